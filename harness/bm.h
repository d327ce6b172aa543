/* bm.h -- Google Benchmark for C.
 *
 * A C benchmark registers a function, Google Benchmark decides how many
 * iterations to run, and the function runs them in its own loop:
 *
 *     static void bm_sum(bm_state_t *st)
 *     {
 *         int64_t n = bm_arg(st, "n"), acc = 0;
 *         BM_LOOP(st) {
 *             acc += n;
 *             bm_do_not_optimize(acc);
 *         }
 *         bm_set_items_processed(st, bm_iterations(st));
 *     }
 *
 *     int main(int argc, char **argv)
 *     {
 *         static const int64_t ns[] = {1, 8, 64};
 *         bm_bench_t *b = bm_register("sum", bm_sum);
 *         bm_arg_names(b, 1, (const char *[]){"n"});
 *         bm_args_product(b, 1, (const bm_list_t[]){BM_LIST(ns)});
 *         return bm_main(&argc, argv);
 *     }
 *
 * The timed loop costs one call across the shim per run, not per iteration:
 * bm_batch hands the C code the whole iteration count at once, and BM_LOOP
 * counts it down as Google Benchmark's own range-for does, so a 1 ns body
 * times the same as in C++ (see benchmarks/overhead.c).
 *
 * Every --benchmark_* flag works unchanged (filter, repetitions, out,
 * out_format, min_time, enable_random_interleaving, counters_tabular, ...):
 * they are Google Benchmark's own.
 *
 * Errors: registration functions return 0 or a negative errno (-EINVAL for
 * a bad argument, -ENOMEM); they never abort. Inside a run, a mistake such as
 * an unknown argument name marks the run as failed with a message (as
 * bm_skip_with_error does) instead of crashing.
 */
#ifndef SLICEBENCH_BM_H
#define SLICEBENCH_BM_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ------------------------------------------------------------------------
 * Registration
 *
 * A registered benchmark lives until the process exits. Configure it before
 * bm_run_specified; the calls below map one to one onto Google Benchmark's
 * Benchmark methods of the same name.
 * ------------------------------------------------------------------------ */

typedef struct bm_state_s bm_state_t;   /* one run: wraps benchmark::State  */
typedef struct bm_bench_s bm_bench_t;   /* one family: a registered name    */
typedef void bm_fn(bm_state_t *st);

typedef struct bm_list_s {
    const int64_t *values;              /* the values one argument takes    */
    size_t n;                           /* how many                         */
} bm_list_t;

#define BM_LIST(array) { (array), sizeof(array) / sizeof((array)[0]) }

typedef enum bm_unit_e {
    BM_NANOSECOND, BM_MICROSECOND, BM_MILLISECOND, BM_SECOND
} bm_unit_t;

/* Register fn under name. Returns NULL when name or fn is NULL or memory
 * runs out. */
bm_bench_t *bm_register(const char *name, bm_fn *fn);

/* Name the arguments (ArgNames): they print as name:value in run names and
 * are what bm_arg looks up. */
int bm_arg_names(bm_bench_t *b, size_t n, const char *const names[]);

/* Add one argument tuple (Args). */
int bm_args(bm_bench_t *b, size_t n, const int64_t values[]);

/* Add the cartesian product of n lists (ArgsProduct). */
int bm_args_product(bm_bench_t *b, size_t n, const bm_list_t lists[]);

/* Fixed iteration count (n > 0); excludes bm_min_time. */
int bm_fix_iterations(bm_bench_t *b, int64_t n);

/* Repetitions of each run (n > 0), overriding --benchmark_repetitions. */
int bm_fix_repetitions(bm_bench_t *b, int n);

/* Minimum time per run in seconds (t > 0); excludes bm_fix_iterations. */
int bm_fix_min_time(bm_bench_t *b, double seconds);

/* Time unit of the console and JSON output. */
int bm_set_unit(bm_bench_t *b, bm_unit_t unit);

/* Let wall time, not CPU time, decide the iteration count and the rates. */
int bm_use_real_time(bm_bench_t *b);

/* Register fn under name with a pointer of the caller's, which every run of
 * this benchmark can read back with bm_user_data (e.g. the case it stands
 * for). bm_register is this with ud = NULL. */
bm_bench_t *bm_register_with(const char *name, bm_fn *fn, void *ud);

/* For benchmarks that report times measured elsewhere (bm_replay): the
 * run's time is the one bm_replay gives (UseManualTime). */
int bm_use_manual_time(bm_bench_t *b);

/* Each iteration handles as many items as the argument named arg (given
 * to bm_arg_names before): every output, the sink included, then counts
 * items as iterations and reports time per item -- a run of I iterations
 * of a batch of M items reads as I x M iterations of its time over I x M;
 * an aggregate's times are per item too (a cv, a fraction, is unchanged).
 * Counters are the run's own: one set with BM_COUNTER_AVG_ITERATIONS
 * stays per iteration (per batch). Not for a benchmark that bm_replay's:
 * its iterations are whatever it replays. */
int bm_items_per_iteration(bm_bench_t *b, const char *arg);

/* ------------------------------------------------------------------------
 * Inside a run
 * ------------------------------------------------------------------------ */

/* The timed loop. The first call starts the timer and returns the number of
 * iterations to run; the next call stops the timer and returns 0. Returns 0
 * at once when the run was skipped before the loop. */
int64_t bm_batch(bm_state_t *st);

/* for each iteration: BM_LOOP(st) { body }. A `break` leaves the loop early
 * (the timer then stops at the loop's end); `continue` goes to the next
 * iteration. The counter is the shim's; the body needs none. */
#define BM_LOOP(st)                                                        \
    for (int64_t bm_left_; (bm_left_ = bm_batch(st)) > 0;)                 \
        for (; bm_left_ > 0; bm_left_--)

/* The argument at position i (range(i)); 0 and a failed run when i is out of
 * range. */
int64_t bm_range(bm_state_t *st, size_t i);

/* The argument named name; 0 and a failed run when there is none. */
int64_t bm_arg(bm_state_t *st, const char *name);

/* Iterations run so far (all of them, after the loop). */
int64_t bm_iterations(const bm_state_t *st);

/* The registered name of this run's benchmark. */
const char *bm_family(const bm_state_t *st);

/* The pointer given to bm_register_with, or NULL. */
void *bm_user_data(const bm_state_t *st);

/* Report a measurement made elsewhere (in a child process, say) instead of
 * running a loop: `iterations` iterations taking real_ns wall and cpu_ns CPU
 * nanoseconds each. Call it once, in place of BM_LOOP, in a benchmark
 * registered with bm_use_manual_time. Every output then shows exactly these
 * figures: the console's and --benchmark_out's Time, CPU and Iterations
 * columns, their JSON real_time/cpu_time/iterations, the aggregates over
 * repetitions (mean, median, stddev, cv of the per-iteration times), and the
 * sink. Google Benchmark's own iteration-count search is cut short (one call
 * per repetition), so a replay costs microseconds whatever the flags. */
void bm_replay(bm_state_t *st, int64_t iterations, double real_ns, double cpu_ns);

/* Stop and restart the timer inside the loop. Each pair costs a few hundred
 * nanoseconds: pause around work much longer than that, or not at all. */
void bm_pause_timing(bm_state_t *st);
void bm_resume_timing(bm_state_t *st);

/* Items and bytes processed over the whole run; reported per second. */
void bm_set_items_processed(bm_state_t *st, int64_t items);
void bm_set_bytes_processed(bm_state_t *st, int64_t bytes);

/* User counters. The flags are Google Benchmark's Counter::Flags, bit for
 * bit; BM_COUNTER_1024 asks for 1024-based prefixes (Counter::kIs1024). */
enum {
    BM_COUNTER_DEFAULT        = 0,
    BM_COUNTER_RATE           = 1 << 0,   /* divided by the run's time      */
    BM_COUNTER_AVG_THREADS    = 1 << 1,   /* divided by the thread count    */
    BM_COUNTER_ITER_INVARIANT = 1 << 2,   /* multiplied by the iterations   */
    BM_COUNTER_AVG_ITERATIONS = 1 << 3,   /* divided by the iterations      */
    BM_COUNTER_1024           = 1 << 30,  /* KiB, MiB rather than k, M      */
    BM_COUNTER_INVERT         = (int)(1u << 31) /* 1/x, applied last        */
};
void bm_set_counter(bm_state_t *st, const char *name, double value, int flags);

/* A free-form label printed after the run. */
void bm_set_label(bm_state_t *st, const char *label);

/* Mark the run as failed with a message: the loop will not start (or ends
 * at the next bm_batch), and the message is reported instead of times. */
void bm_skip_with_error(bm_state_t *st, const char *message);
int bm_error_occurred(const bm_state_t *st);

/* ------------------------------------------------------------------------
 * Keeping work alive
 *
 * The C spelling of DoNotOptimize and ClobberMemory, with the same
 * constraints Google Benchmark uses, so they cost the same.
 *
 * bm_do_not_optimize(x): x (an lvalue) is read and may have been written,
 *   so the computation of x cannot be deleted or hoisted.
 * bm_escape(p): the memory p points to may be read by unseen code, so
 *   stores into it cannot be deleted.
 * bm_clobber_memory(): all memory may have been read and written.
 * ------------------------------------------------------------------------ */

#if defined(__clang__)
#define bm_do_not_optimize(x) __asm__ volatile("" : "+r,m"(x) : : "memory")
#else
#define bm_do_not_optimize(x) __asm__ volatile("" : "+m,r"(x) : : "memory")
#endif

static inline void bm_escape(const void *p)
{
    __asm__ volatile("" : : "r"(p) : "memory");
}

static inline void bm_clobber_memory(void)
{
    __asm__ volatile("" : : : "memory");
}

/* ------------------------------------------------------------------------
 * Running
 * ------------------------------------------------------------------------ */

/* Parse and remove the --benchmark_* flags from argv (Initialize). */
void bm_initialize(int *argc, char **argv);

/* 1 (after printing them) when argv still holds arguments, else 0. */
int bm_report_unrecognized(int argc, char **argv);

/* Run the benchmarks the filter selects; returns how many ran. */
size_t bm_run_specified(void);

/* Which runs bm_run_specified would make, without making them: fn is
 * called once per selected benchmark instance (filter applied), in Google
 * Benchmark's order, with a state whose bm_user_data and bm_arg work; no
 * benchmark function, hook or reporter runs, nothing is printed and no
 * --benchmark_out file is opened. Returns how many instances were listed. */
typedef void bm_list_fn(const bm_state_t *st, void *ud);
size_t bm_list_selected(bm_list_fn *fn, void *ud);

/* Google Benchmark's flags as parsed by bm_initialize. */
int bm_flag_repetitions(void);           /* --benchmark_repetitions     */
double bm_flag_min_time(void);           /* --benchmark_min_time, s     */
int bm_flag_list_tests(void);            /* --benchmark_list_tests      */
const char *bm_flag_filter(void);        /* --benchmark_filter          */

/* --benchmark_min_warmup_time, which is then set to 0 so that Google
 * Benchmark warms up nothing itself: for replays, whose warm-up belongs to
 * the measurement they replay. */
double bm_flag_take_min_warmup_time(void);

/* Counters in aligned columns on the console by default, as
 * --benchmark_counters_tabular=true does; call before bm_initialize, so
 * that the flag still decides when it is given. */
void bm_default_counters_tabular(int on);

/* Show only these counters on the console (when the display format is
 * console), and never one whose value is not finite (a cv over zeros);
 * --benchmark_out, the JSON and CSV display formats and the sink keep
 * every counter. The names are copied. n = 0 shows them all again. */
int bm_set_console_counters(size_t n, const char *const names[]);

/* Release Google Benchmark's resources. */
void bm_shutdown(void);

/* Add key: value to the "context" block of the JSON output. */
int bm_add_context(const char *key, const char *value);

/* initialize + unrecognized check + run + shutdown. Returns the process's
 * exit status: 2 for an unrecognized argument, else 0. */
int bm_main(int *argc, char **argv);

/* ------------------------------------------------------------------------
 * Hooks for the harness
 *
 * before/after run around every invocation of every C benchmark function,
 * outside the timed loop: the memory layer uses them to measure each run.
 * The sink receives every reported run (each repetition and each
 * aggregate), after the display reporter printed it.
 * ------------------------------------------------------------------------ */

typedef void bm_hook_fn(bm_state_t *st, void *ud);
void bm_set_run_hooks(bm_hook_fn *before, bm_hook_fn *after, void *ud);

typedef struct bm_run_s {
    const char *name;            /* full run name, as the console shows it */
    const char *family;          /* the name given to bm_register          */
    size_t n_args;
    const char *const *arg_names;   /* "" where an argument has no name    */
    const int64_t *arg_values;
    const char *aggregate;       /* "" for one repetition, else "mean",
                                    "median", "stddev", "cv", ...          */
    int aggregate_is_fraction;   /* 1: times are fractions, not seconds    */
    int64_t repetition;          /* 0-based; -1 on aggregates              */
    int64_t repetitions;         /* how many in this family's instance     */
    int64_t iterations;
    double real_ns;              /* wall time per iteration, nanoseconds   */
    double cpu_ns;               /* CPU time per iteration, nanoseconds    */
    const char *label;           /* "" when none                           */
    int skipped;                 /* 1 when the run reported an error       */
    const char *error;           /* the error message, "" when none        */
    size_t n_counters;           /* user counters, finished (rates done)   */
    const char *const *counter_names;
    const double *counter_values;
} bm_run_t;

typedef void bm_sink_fn(const bm_run_t *run, void *ud);
void bm_set_run_sink(bm_sink_fn *sink, void *ud);

/* Counter value by name in a reported run; 0 and *found = 0 when absent. */
double bm_run_counter(const bm_run_t *run, const char *name, int *found);

#ifdef __cplusplus
}
#endif

#endif /* SLICEBENCH_BM_H */
