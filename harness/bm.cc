// bm.cc -- the C shim over Google Benchmark (contract in bm.h).
//
// The only C++ in slicebench. Each C benchmark is a subclass of Google
// Benchmark's internal::Benchmark whose Run() calls the C function with a
// small bm_state_t on the stack; everything else is a one-line forward.

#include "bm.h"

#include <benchmark/benchmark.h>

#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <map>
#include <memory>
#include <new>
#include <ostream>
#include <set>
#include <string>
#include <utility>
#include <vector>

// Google Benchmark builds its default display reporter from these two
// (exported, not in the public header). The shim builds the same reporter
// when it has to wrap it, so every --benchmark_format/_color/_counters_tabular
// flag behaves exactly as it does without the shim.
namespace benchmark {
extern std::string FLAGS_benchmark_format;
extern std::string FLAGS_benchmark_out;
extern std::string FLAGS_benchmark_out_format;
extern std::string FLAGS_benchmark_filter;
extern int32_t FLAGS_benchmark_repetitions;
extern double FLAGS_benchmark_min_time;
extern double FLAGS_benchmark_min_warmup_time;
extern bool FLAGS_benchmark_list_tests;
extern bool FLAGS_benchmark_counters_tabular;
namespace internal {
ConsoleReporter::OutputOptions GetOutputOptions(bool force_no_color);
}  // namespace internal
}  // namespace benchmark

namespace {

bm_hook_fn *hook_before = nullptr;
bm_hook_fn *hook_after = nullptr;
void *hook_ud = nullptr;
bm_sink_fn *sink_fn = nullptr;
void *sink_ud = nullptr;

enum Phase { kNotStarted, kInLoop, kDone };

// bm_list_selected: while set, every Run() reports its instance and skips.
bm_list_fn *list_fn = nullptr;
void *list_ud = nullptr;
size_t listed = 0;

// bm_replay hands its figures to the reporters through three counters of
// these names; the reporters turn them back into times and take them out.
const char kReplayIters[] = "bm:replay_iterations";
const char kReplayReal[] = "bm:replay_real_ns";
const char kReplayCpu[] = "bm:replay_cpu_ns";

// bm_set_console_counters
std::set<std::string> console_counters;

// bm_items_per_iteration: a family's name -> the argument counting its items
std::map<std::string, std::string> items_args;

}  // namespace

struct bm_bench_s : public benchmark::internal::Benchmark {
  bm_bench_s(const char *name, bm_fn *fn, void *ud)
      : benchmark::internal::Benchmark(name), family(name), fn(fn), ud(ud) {}
  void Run(benchmark::State &state) override;

  std::string family;
  bm_fn *fn;
  void *ud;                        // bm_register_with's pointer
  std::vector<std::string> names;  // our copy of ArgNames, for bm_arg
  size_t arity = 0;                // arguments per run, for bm_range
};

struct bm_state_s {
  benchmark::State *st;
  bm_bench_s *bench;
  Phase phase;
};

void bm_bench_s::Run(benchmark::State &state) {
  bm_state_s s{&state, this, kNotStarted};
  if (list_fn) {                   // bm_list_selected: name it, run nothing
    list_fn(&s, list_ud);
    listed++;
    state.SkipWithError("listed");
    return;
  }
  if (hook_before) hook_before(&s, hook_ud);
  fn(&s);
  // A function that left its loop early still has the timer running: stop
  // it here. One that never ran its loop is a bug worth a message.
  if (s.phase == kInLoop) {
    while (state.KeepRunningBatch(1)) {
    }
  } else if (s.phase == kNotStarted && !state.error_occurred()) {
    state.SkipWithError(
        "benchmark function returned without running its loop "
        "(call bm_batch until it returns 0)");
  }
  if (hook_after) hook_after(&s, hook_ud);
}

// ---------------------------------------------------------------------------
// Registration
// ---------------------------------------------------------------------------

extern "C" bm_bench_t *bm_register(const char *name, bm_fn *fn) {
  return bm_register_with(name, fn, nullptr);
}

extern "C" bm_bench_t *bm_register_with(const char *name, bm_fn *fn, void *ud) {
  if (name == nullptr || fn == nullptr) return nullptr;
  bm_bench_s *b = new (std::nothrow) bm_bench_s(name, fn, ud);
  if (b == nullptr) return nullptr;
  benchmark::internal::RegisterBenchmarkInternal(b);  // takes ownership
  return b;
}

extern "C" int bm_arg_names(bm_bench_t *b, size_t n, const char *const names[]) {
  if (b == nullptr || (n > 0 && names == nullptr)) return -EINVAL;
  try {
    std::vector<std::string> v;
    for (size_t i = 0; i < n; i++) {
      if (names[i] == nullptr) return -EINVAL;
      v.emplace_back(names[i]);
    }
    b->ArgNames(v);
    b->names = v;
    b->arity = n;
  } catch (const std::bad_alloc &) {
    return -ENOMEM;
  }
  return 0;
}

extern "C" int bm_args(bm_bench_t *b, size_t n, const int64_t values[]) {
  if (b == nullptr || n == 0 || values == nullptr) return -EINVAL;
  try {
    b->Args(std::vector<int64_t>(values, values + n));
    b->arity = n;
  } catch (const std::bad_alloc &) {
    return -ENOMEM;
  }
  return 0;
}

extern "C" int bm_args_product(bm_bench_t *b, size_t n, const bm_list_t lists[]) {
  if (b == nullptr || n == 0 || lists == nullptr) return -EINVAL;
  try {
    std::vector<std::vector<int64_t>> product;
    for (size_t i = 0; i < n; i++) {
      if (lists[i].n == 0 || lists[i].values == nullptr) return -EINVAL;
      product.emplace_back(lists[i].values, lists[i].values + lists[i].n);
    }
    b->ArgsProduct(product);
    b->arity = n;
  } catch (const std::bad_alloc &) {
    return -ENOMEM;
  }
  return 0;
}

extern "C" int bm_fix_iterations(bm_bench_t *b, int64_t n) {
  if (b == nullptr || n <= 0) return -EINVAL;
  b->Iterations(n);
  return 0;
}

extern "C" int bm_fix_repetitions(bm_bench_t *b, int n) {
  if (b == nullptr || n <= 0) return -EINVAL;
  b->Repetitions(n);
  return 0;
}

extern "C" int bm_fix_min_time(bm_bench_t *b, double seconds) {
  if (b == nullptr || !(seconds > 0)) return -EINVAL;
  b->MinTime(seconds);
  return 0;
}

extern "C" int bm_set_unit(bm_bench_t *b, bm_unit_t unit) {
  static const benchmark::TimeUnit units[] = {
      benchmark::kNanosecond, benchmark::kMicrosecond,
      benchmark::kMillisecond, benchmark::kSecond};
  if (b == nullptr || unit < BM_NANOSECOND || unit > BM_SECOND) return -EINVAL;
  b->Unit(units[unit]);
  return 0;
}

extern "C" int bm_use_real_time(bm_bench_t *b) {
  if (b == nullptr) return -EINVAL;
  b->UseRealTime();
  return 0;
}

extern "C" int bm_use_manual_time(bm_bench_t *b) {
  if (b == nullptr) return -EINVAL;
  b->UseManualTime();
  return 0;
}

extern "C" int bm_items_per_iteration(bm_bench_t *b, const char *arg) {
  if (b == nullptr || arg == nullptr) return -EINVAL;
  bool named = false;
  for (const std::string &n : b->names) named = named || n == arg;
  if (!named) return -EINVAL;
  try {
    items_args[b->family] = arg;
  } catch (const std::bad_alloc &) {
    return -ENOMEM;
  }
  return 0;
}

// ---------------------------------------------------------------------------
// Inside a run
// ---------------------------------------------------------------------------

extern "C" int64_t bm_batch(bm_state_t *s) {
  benchmark::State &st = *s->st;
  if (s->phase == kNotStarted) {
    // One batch of every iteration: starts the timer, leaves nothing over.
    s->phase = kInLoop;
    if (st.KeepRunningBatch(st.max_iterations)) return st.max_iterations;
    s->phase = kDone;
    return 0;
  }
  if (s->phase == kInLoop) {
    s->phase = kDone;
    while (st.KeepRunningBatch(1)) {
    }  // stops the timer
  }
  return 0;
}

extern "C" int64_t bm_range(bm_state_t *s, size_t i) {
  // range() asserts only in debug builds; check in every build.
  if (i >= s->bench->arity) {
    bm_skip_with_error(s, "bm_range: argument index out of range");
    return 0;
  }
  return s->st->range(i);
}

extern "C" int64_t bm_arg(bm_state_t *s, const char *name) {
  const std::vector<std::string> &names = s->bench->names;
  for (size_t i = 0; i < names.size(); i++)
    if (name != nullptr && names[i] == name) return s->st->range(i);
  std::string msg = "bm_arg: benchmark '" + s->bench->family +
                    "' has no argument named '" + (name ? name : "(null)") + "'";
  bm_skip_with_error(s, msg.c_str());
  return 0;
}

extern "C" int64_t bm_iterations(const bm_state_t *s) {
  return s->st->iterations();
}

extern "C" const char *bm_family(const bm_state_t *s) {
  return s->bench->family.c_str();
}

extern "C" void *bm_user_data(const bm_state_t *s) { return s->bench->ud; }

extern "C" void bm_replay(bm_state_t *s, int64_t iterations, double real_ns,
                          double cpu_ns) {
  benchmark::State &st = *s->st;
  if (s->phase != kNotStarted) return;
  s->phase = kDone;
  // One pass of whatever count Google Benchmark asks for, with a manual time
  // no --benchmark_min_time exceeds, ends its iteration search at once; the
  // reporters replace that time with the figures below (Rewrite).
  if (st.KeepRunningBatch(st.max_iterations)) st.SetIterationTime(1e9);
  while (st.KeepRunningBatch(1)) {
  }
  st.counters[kReplayIters] = benchmark::Counter(static_cast<double>(iterations));
  st.counters[kReplayReal] = benchmark::Counter(real_ns);
  st.counters[kReplayCpu] = benchmark::Counter(cpu_ns);
}

extern "C" void bm_pause_timing(bm_state_t *s) { s->st->PauseTiming(); }
extern "C" void bm_resume_timing(bm_state_t *s) { s->st->ResumeTiming(); }

extern "C" void bm_set_items_processed(bm_state_t *s, int64_t items) {
  s->st->SetItemsProcessed(items);
}

extern "C" void bm_set_bytes_processed(bm_state_t *s, int64_t bytes) {
  s->st->SetBytesProcessed(bytes);
}

extern "C" void bm_set_counter(bm_state_t *s, const char *name, double value,
                               int flags) {
  using benchmark::Counter;
  Counter::OneK onek = (flags & BM_COUNTER_1024) ? Counter::kIs1024 : Counter::kIs1000;
  Counter::Flags f = static_cast<Counter::Flags>(flags & ~BM_COUNTER_1024);
  s->st->counters[name] = Counter(value, f, onek);
}

extern "C" void bm_set_label(bm_state_t *s, const char *label) {
  s->st->SetLabel(label);
}

extern "C" void bm_skip_with_error(bm_state_t *s, const char *message) {
  if (s->st->error_occurred()) return;  // the first message is the cause
  s->st->SkipWithError(message);
}

extern "C" int bm_error_occurred(const bm_state_t *s) {
  return s->st->error_occurred() ? 1 : 0;
}

// ---------------------------------------------------------------------------
// Reported runs, handed to C
// ---------------------------------------------------------------------------

namespace {

using Run = benchmark::BenchmarkReporter::Run;

// A bm_replay run carries its figures in the kReplay* counters: make them
// the run's times and iterations, and take the counters out. On an
// aggregate the counters hold the statistic of the per-iteration figures
// over the repetitions (Google Benchmark aggregates counters as values), and
// an aggregate's times are read per data.iterations, its repetition count.
void Rewrite(Run *run) {
  auto iters = run->counters.find(kReplayIters);
  auto real = run->counters.find(kReplayReal);
  auto cpu = run->counters.find(kReplayCpu);
  if (iters == run->counters.end() || real == run->counters.end() ||
      cpu == run->counters.end())
    return;
  if (run->run_type == Run::RT_Iteration) {
    run->iterations = static_cast<benchmark::IterationCount>(iters->second.value);
    run->real_accumulated_time = real->second.value * 1e-9 * run->iterations;
    run->cpu_accumulated_time = cpu->second.value * 1e-9 * run->iterations;
  } else if (run->aggregate_unit == benchmark::kTime) {
    run->real_accumulated_time = real->second.value * 1e-9 * run->iterations;
    run->cpu_accumulated_time = cpu->second.value * 1e-9 * run->iterations;
  } else {                           // a fraction (cv): no unit to scale
    run->real_accumulated_time = real->second.value;
    run->cpu_accumulated_time = cpu->second.value;
  }
  run->counters.erase(iters);
  run->counters.erase(real);
  run->counters.erase(cpu);
}

// A run's arguments, "N:64/k:16" (named) or "64/16" (unnamed): the shim's
// own format, as names ("" where unnamed) and values.
void ParseArgs(const std::string &args, std::vector<std::string> *names,
               std::vector<int64_t> *values) {
  for (size_t pos = 0; pos < args.size();) {
    size_t end = args.find('/', pos);
    if (end == std::string::npos) end = args.size();
    std::string part = args.substr(pos, end - pos);
    size_t colon = part.find(':');
    names->push_back(colon == std::string::npos ? "" : part.substr(0, colon));
    values->push_back(std::strtoll(
        part.c_str() + (colon == std::string::npos ? 0 : colon + 1), nullptr, 10));
    pos = end + 1;
  }
}

// A family of bm_items_per_iteration: its run counts items, not
// iterations, and its times are per item (an aggregate's iterations are its
// repetitions, so only its times are scaled; a cv has no unit to scale).
void PerItem(Run *run) {
  auto arg = items_args.find(run->run_name.function_name);
  if (arg == items_args.end()) return;
  std::vector<std::string> names;
  std::vector<int64_t> values;
  ParseArgs(run->run_name.args, &names, &values);
  int64_t items = 0;
  for (size_t i = 0; i < names.size(); i++)
    if (names[i] == arg->second) items = values[i];
  if (items < 1) return;
  if (run->run_type == Run::RT_Iteration) {
    run->iterations *= items;
  } else if (run->aggregate_unit == benchmark::kTime) {
    run->real_accumulated_time /= static_cast<double>(items);
    run->cpu_accumulated_time /= static_cast<double>(items);
  }
}

// The console's share of the counters (bm_set_console_counters).
void ForConsole(Run *run) {
  for (auto it = run->counters.begin(); it != run->counters.end();) {
    const bool shown = console_counters.empty() ||
                       console_counters.count(it->first) > 0;
    if (!shown || !std::isfinite(it->second.value))
      it = run->counters.erase(it);
    else
      ++it;
  }
}

// Forwards everything to a reporter Google Benchmark would have made, with
// replayed runs rewritten (and, for the console, its counters chosen); the
// display one also hands each run to the C sink. Google Benchmark sets the
// output stream of a file reporter on this wrapper: it is passed on.
class TeeReporter : public benchmark::BenchmarkReporter {
 public:
  TeeReporter(benchmark::BenchmarkReporter *inner, bool display, bool console)
      : inner_(inner), display_(display), console_(console) {}

  bool ReportContext(const Context &context) override {
    if (!display_) {
      inner_->SetOutputStream(&GetOutputStream());
      inner_->SetErrorStream(&GetErrorStream());
    } else if (console_) {
      // The console's context is one line: the machine, the library and
      // every custom key are in the JSON output (and the harness's results)
      inner_->SetErrorStream(&nowhere_);
      GetErrorStream() << "Run on (" << context.cpu_info.num_cpus << " X "
                       << static_cast<int>(context.cpu_info.cycles_per_second / 1e6)
                       << " MHz CPUs); the full context "
                       << (benchmark::FLAGS_benchmark_out.empty()
                               ? "is written by --benchmark_out=FILE (JSON)\n"
                               : "is in --benchmark_out's JSON\n");
    }
    return inner_->ReportContext(context);
  }

  void ReportRuns(const std::vector<Run> &runs) override {
    std::vector<Run> out(runs);
    for (Run &run : out) {
      Rewrite(&run);
      PerItem(&run);
    }
    if (display_ && sink_fn)
      for (const Run &run : out) Sink(run);
    if (console_)
      for (Run &run : out) ForConsole(&run);
    inner_->ReportRuns(out);
  }

  void Finalize() override { inner_->Finalize(); }

 private:
  static void Sink(const Run &run);
  std::unique_ptr<benchmark::BenchmarkReporter> inner_;
  bool display_, console_;
  std::ostream nowhere_{nullptr};  // where the console's long context goes
};

// Reports nothing, anywhere (bm_list_selected).
class NullReporter : public benchmark::BenchmarkReporter {
 public:
  bool ReportContext(const Context &) override { return true; }
  void ReportRuns(const std::vector<Run> &) override {}
};

void TeeReporter::Sink(const Run &run) {
  std::vector<std::string> names;
  std::vector<int64_t> values;
  ParseArgs(run.run_name.args, &names, &values);
  std::vector<const char *> name_ptrs;
  for (const std::string &n : names) name_ptrs.push_back(n.c_str());

  std::vector<const char *> counter_names;
  std::vector<double> counter_values;
  for (const auto &kv : run.counters) {
    counter_names.push_back(kv.first.c_str());
    counter_values.push_back(kv.second.value);
  }

  const bool fraction = run.run_type == Run::RT_Aggregate &&
                        run.aggregate_unit == benchmark::kPercentage;
  const double per_iter =
      (fraction || run.iterations == 0) ? 1.0 : 1e9 / static_cast<double>(run.iterations);
  const std::string name = run.benchmark_name();

  bm_run_t r;
  r.name = name.c_str();
  r.family = run.run_name.function_name.c_str();
  r.n_args = names.size();
  r.arg_names = name_ptrs.data();
  r.arg_values = values.data();
  r.aggregate = run.run_type == Run::RT_Aggregate ? run.aggregate_name.c_str() : "";
  r.aggregate_is_fraction = fraction ? 1 : 0;
  r.repetition = run.run_type == Run::RT_Aggregate ? -1 : run.repetition_index;
  r.repetitions = run.repetitions;
  r.iterations = run.iterations;
  r.real_ns = run.real_accumulated_time * per_iter;
  r.cpu_ns = run.cpu_accumulated_time * per_iter;
  r.label = run.report_label.c_str();
  r.skipped = run.error_occurred ? 1 : 0;
  r.error = run.error_message.c_str();
  r.n_counters = counter_names.size();
  r.counter_names = counter_names.data();
  r.counter_values = counter_values.data();
  sink_fn(&r, sink_ud);
}

// The reporter Google Benchmark makes for a format name (NULL for one it
// does not know): the display one with the console's options, the file one
// plain, as Google Benchmark does.
benchmark::BenchmarkReporter *MakeReporter(const std::string &format, bool display) {
  if (format == "json") return new benchmark::JSONReporter;
  // Deprecated upstream, but --benchmark_format=csv still selects it.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"
  if (format == "csv") return new benchmark::CSVReporter;
#pragma GCC diagnostic pop
  if (format != "console") return nullptr;
  return new benchmark::ConsoleReporter(
      display ? benchmark::internal::GetOutputOptions(false)
              : benchmark::ConsoleReporter::OO_None);
}

}  // namespace

extern "C" double bm_run_counter(const bm_run_t *run, const char *name, int *found) {
  for (size_t i = 0; i < run->n_counters; i++) {
    if (std::strcmp(run->counter_names[i], name) == 0) {
      if (found) *found = 1;
      return run->counter_values[i];
    }
  }
  if (found) *found = 0;
  return 0;
}

// ---------------------------------------------------------------------------
// Running
// ---------------------------------------------------------------------------

extern "C" void bm_set_run_hooks(bm_hook_fn *before, bm_hook_fn *after, void *ud) {
  hook_before = before;
  hook_after = after;
  hook_ud = ud;
}

extern "C" void bm_set_run_sink(bm_sink_fn *sink, void *ud) {
  sink_fn = sink;
  sink_ud = ud;
}

extern "C" void bm_initialize(int *argc, char **argv) {
  benchmark::Initialize(argc, argv);
}

extern "C" int bm_report_unrecognized(int argc, char **argv) {
  return benchmark::ReportUnrecognizedArguments(argc, argv) ? 1 : 0;
}

extern "C" size_t bm_run_specified(void) {
  const std::string &format = benchmark::FLAGS_benchmark_format;
  benchmark::BenchmarkReporter *display = MakeReporter(format, true);
  // A format GB does not know is left to GB, which reports it and exits.
  if (display == nullptr) return benchmark::RunSpecifiedBenchmarks();
  TeeReporter tee(display, true, format == "console");
  if (benchmark::FLAGS_benchmark_out.empty())
    return benchmark::RunSpecifiedBenchmarks(&tee);
  benchmark::BenchmarkReporter *file =
      MakeReporter(benchmark::FLAGS_benchmark_out_format, false);
  if (file == nullptr) return benchmark::RunSpecifiedBenchmarks(&tee);
  TeeReporter file_tee(file, false, false);
  return benchmark::RunSpecifiedBenchmarks(&tee, &file_tee);
}

extern "C" size_t bm_list_selected(bm_list_fn *fn, void *ud) {
  // One quiet pass over the selected instances: no output file, no
  // repetitions or warm-up (each instance is named once), errors unseen.
  struct Saved {
    std::string out = benchmark::FLAGS_benchmark_out;
    int32_t reps = benchmark::FLAGS_benchmark_repetitions;
    double warmup = benchmark::FLAGS_benchmark_min_warmup_time;
    ~Saved() {
      benchmark::FLAGS_benchmark_out = out;
      benchmark::FLAGS_benchmark_repetitions = reps;
      benchmark::FLAGS_benchmark_min_warmup_time = warmup;
      list_fn = nullptr;
      list_ud = nullptr;
    }
  } saved;
  std::ostream nowhere(nullptr);
  NullReporter quiet;
  quiet.SetOutputStream(&nowhere);
  quiet.SetErrorStream(&nowhere);
  if (fn == nullptr || benchmark::FLAGS_benchmark_list_tests) return 0;
  benchmark::FLAGS_benchmark_out.clear();
  benchmark::FLAGS_benchmark_repetitions = 1;
  benchmark::FLAGS_benchmark_min_warmup_time = 0;
  list_fn = fn;
  list_ud = ud;
  listed = 0;
  benchmark::RunSpecifiedBenchmarks(&quiet);
  return listed;
}

extern "C" int bm_flag_repetitions(void) {
  return benchmark::FLAGS_benchmark_repetitions;
}
extern "C" double bm_flag_min_time(void) { return benchmark::FLAGS_benchmark_min_time; }
extern "C" int bm_flag_list_tests(void) { return benchmark::FLAGS_benchmark_list_tests; }
extern "C" double bm_flag_take_min_warmup_time(void) {
  const double t = benchmark::FLAGS_benchmark_min_warmup_time;
  benchmark::FLAGS_benchmark_min_warmup_time = 0;
  return t;
}
extern "C" const char *bm_flag_filter(void) {
  return benchmark::FLAGS_benchmark_filter.c_str();
}

extern "C" void bm_default_counters_tabular(int on) {
  benchmark::FLAGS_benchmark_counters_tabular = on != 0;
}

extern "C" int bm_set_console_counters(size_t n, const char *const names[]) {
  if (n > 0 && names == nullptr) return -EINVAL;
  try {
    std::set<std::string> chosen;
    for (size_t i = 0; i < n; i++) {
      if (names[i] == nullptr) return -EINVAL;
      chosen.insert(names[i]);
    }
    console_counters = std::move(chosen);
  } catch (const std::bad_alloc &) {
    return -ENOMEM;
  }
  return 0;
}

extern "C" void bm_shutdown(void) { benchmark::Shutdown(); }

extern "C" int bm_add_context(const char *key, const char *value) {
  if (key == nullptr || value == nullptr) return -EINVAL;
  try {
    benchmark::AddCustomContext(key, value);
  } catch (const std::bad_alloc &) {
    return -ENOMEM;
  }
  return 0;
}

extern "C" int bm_main(int *argc, char **argv) {
  bm_initialize(argc, argv);
  if (bm_report_unrecognized(*argc, argv)) return 2;
  bm_run_specified();
  bm_shutdown();
  return 0;
}
