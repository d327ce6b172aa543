/* retention.c -- slicebench-retention: what each way of keeping k bytes of
 * M received N-byte buffers costs, in time and in memory held.
 *
 * A run has three steps. The cases (strategy, N, k, M, elem, growth) are
 * made from the flags and registered with Google Benchmark, one benchmark
 * each. Every repetition of every case that --benchmark_filter selects is
 * measured (retention_measure.c), each in a fresh process of its own, in an
 * order shuffled across cases with a recorded seed (retention_child.c), and
 * written to the results CSV as it finishes (retention_rows.c). Then Google
 * Benchmark reports the measurements, per item, through every output its
 * flags ask for. The binary is built once per allocator. See --help.
 */
#include "retention.h"

#include <errno.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "bm.h"
#include "bm_flags.h"
#include "mem.h"

static const char *prog = "slicebench-retention";
static ret_options_t opt;

/* Every case of the options, and what its measurements found. */
typedef struct case_slot_s {
    ret_case_t rc;
    int selected;             /* chosen by --benchmark_filter              */
    ret_result_t *res;        /* one per repetition, once measured         */
    int64_t replayed;         /* repetitions reported through the shim     */
    bm_bench_t *bench;        /* its registration                          */
} case_slot_t;

static case_slot_t *cases;
static size_t n_cases, cap_cases;
static int64_t repetitions;

/* ------------------------------------------------------------------------
 * Reporting a measurement through Google Benchmark
 *
 * Each registered benchmark stands for one case; its run replays the
 * measurement of the repetition Google Benchmark asks for, so every
 * --benchmark_* output flag works on figures measured elsewhere. Time and
 * the counters are per item (one benchmark iteration is one item).
 * ------------------------------------------------------------------------ */

/* The counters the console shows; every other one is in the JSON. */
static const char *const console_counters[] = {
    "held_per_item", "amplification", "peak_rss_per_item", "faults_per_item",
};

static void replay_bench(bm_state_t *st)
{
    case_slot_t *s = bm_user_data(st);
    const ret_result_t *r;
    double m, needed;
    if (s == NULL || s->res == NULL || s->replayed >= repetitions) {
        bm_skip_with_error(st, "internal: no measurement for this run");
        return;
    }
    r = &s->res[s->replayed++];
    if (!r->ok) {
        bm_skip_with_error(st, r->message);
        return;
    }
    m = (double)s->rc.c.items;
    needed = m * (double)s->rc.c.kept_bytes;
    if (r->message[0]) bm_set_label(st, r->message);
    bm_set_counter(st, "items_per_second", 1e9 / r->real_ns, 0);
    bm_set_counter(st, "kept_bytes_per_second",
                   1e9 / r->real_ns * (double)s->rc.c.kept_bytes, BM_COUNTER_1024);
    bm_set_counter(st, "held_bytes", r->held_bytes, BM_COUNTER_1024);
    bm_set_counter(st, "held_reserved_bytes", r->held_reserved, BM_COUNTER_1024);
    bm_set_counter(st, "needed_bytes", needed, BM_COUNTER_1024);
    bm_set_counter(st, "held_per_item", r->held_bytes / m, BM_COUNTER_1024);
    bm_set_counter(st, "amplification", r->held_bytes / needed, 0);
    if (r->has_peak) {
        bm_set_counter(st, "peak_rss_delta_bytes", r->peak_rss_delta, BM_COUNTER_1024);
        bm_set_counter(st, "peak_rss_per_item", r->peak_rss_delta / m, BM_COUNTER_1024);
        bm_set_counter(st, "peak_rss_amplification", r->peak_rss_delta / needed, 0);
    }
    bm_set_counter(st, "allocs_per_item", r->allocs_per_item, 0);
    bm_set_counter(st, "faults_per_item", r->faults_per_item, 0);
    bm_set_counter(st, "batches", (double)r->batches, 0);
    bm_replay(st, r->batches * (int64_t)s->rc.c.items, r->real_ns, r->cpu_ns);
}

/* ------------------------------------------------------------------------
 * Cases
 * ------------------------------------------------------------------------ */

static int add_case(keep_case_t c, gs_policy_t p, gs_gc_t gc, unsigned gogc,
                    keep_strategy_t s, const char *rule)
{
    size_t used;
    ret_case_t *rc;
    if (n_cases == cap_cases) {
        size_t cap = cap_cases ? cap_cases * 2 : 64;
        case_slot_t *more = realloc(cases, cap * sizeof *cases);
        if (more == NULL) return -ENOMEM;
        cases = more;
        cap_cases = cap;
    }
    memset(&cases[n_cases], 0, sizeof cases[n_cases]);
    rc = &cases[n_cases++].rc;
    rc->strategy = s;
    rc->c = c;
    rc->growth = p;
    rc->gc = gc;
    rc->gogc = gc == GS_GC_GO ? gogc : 0;
    snprintf(rc->rule, sizeof rc->rule, "%s", rule);
    /* the policy and the GC show in the name only when they are not the
     * defaults (Go's growth, frees at the last release) */
    used = (size_t)snprintf(rc->family, sizeof rc->family, "%s", keep_strategy_name(s));
    if (p != GS_GROW_GO && used < sizeof rc->family)
        used += (size_t)snprintf(rc->family + used, sizeof rc->family - used,
                                 "/growth:%s", gs_policy_name(p));
    if (gc == GS_GC_GO && used < sizeof rc->family)
        snprintf(rc->family + used, sizeof rc->family - used, "/gogc:%u", gogc);
    /* as Google Benchmark names it: family/args/manual_time */
    snprintf(rc->name, sizeof rc->name, "%s/N:%zu/k:%zu/M:%zu/elem:%zu/manual_time",
             rc->family, c.source_bytes, c.kept_bytes, c.items, c.elem);
    return 0;
}

/* Every case of the options, in (N, k, elem, growth, strategy) order.
 * Returns how many fit the budget, or -EINVAL with a message in err. */
static int make_cases(char *err, size_t n)
{
    size_t in_budget = 0, total = 0;
    uint64_t smallest = UINT64_MAX;
    for (size_t si = 0; si < opt.n_sizes; si++) {
        uint64_t N = opt.sizes[si], seen[RET_MAX_LIST];
        size_t n_seen = 0;
        for (size_t ki = 0; ki < opt.n_kept; ki++) {
            const ret_kept_rule_t *r = &opt.kept[ki];
            uint64_t k = r->bytes ? r->bytes : N / r->divisor;
            size_t dup = 0;
            if (k > N) {
                snprintf(err, n, "--kept=%s is larger than N=%llu (--sizes)",
                         r->text, (unsigned long long)N);
                return -EINVAL;
            }
            if (k == 0) continue;                  /* N/d below one byte */
            for (size_t j = 0; j < n_seen; j++) dup |= seen[j] == k;
            if (dup) continue;                     /* two rules, one k */
            seen[n_seen++] = k;
            for (size_t ei = 0; ei < opt.n_elems; ei++) {
                keep_case_t c = {(size_t)N, (size_t)k, 1, (size_t)opt.elems[ei]};
                if (N % c.elem || k % c.elem) {
                    snprintf(err, n, "N=%llu and k=%llu must be multiples of "
                             "--elem=%zu", (unsigned long long)N,
                             (unsigned long long)k, c.elem);
                    return -EINVAL;
                }
                if (keep_case_check(&c) != 0) {
                    snprintf(err, n, "N=%llu is over 256 TiB, the most Go "
                             "allocates at once", (unsigned long long)N);
                    return -EINVAL;
                }
                for (size_t gi = 0; gi < opt.n_growth; gi++) {
                    gs_policy_t p = opt.growth[gi];
                    uint64_t one;
                    c.items = (size_t)opt.items;
                    if (opt.items == 0 &&
                        keep_items_for(&c, p, opt.budget, (size_t)opt.max_items, &c.items)) {
                        snprintf(err, n, "N=%llu, k=%llu: out of range",
                                 (unsigned long long)N, (unsigned long long)k);
                        return -EINVAL;
                    }
                    total++;
                    if (c.items == 0) {
                        /* made with M = 1 so that the skip, and why, shows
                         * in the output and the CSV */
                        c.items = 1;
                    } else {
                        in_budget++;
                    }
                    if (keep_expected_peak(&c, p, KEEP_RECEIVE_ONLY, &one) == 0 &&
                        one < smallest)
                        smallest = one;
                    for (size_t ci = 0; ci < opt.n_gc; ci++)
                        for (size_t gg = 0; gg < (opt.gc[ci] == GS_GC_GO ? opt.n_gogc : 1); gg++)
                            for (size_t i = 0; i < opt.n_strategies; i++)
                                if (add_case(c, p, opt.gc[ci], (unsigned)opt.gogc[gg],
                                             opt.strategies[i], r->text)) {
                                    snprintf(err, n, "out of memory");
                                    return -EINVAL;
                                }
                }
            }
        }
    }
    if (total == 0) {
        snprintf(err, n, "no case: every --kept rule is below one byte at "
                 "every --sizes value");
        return -EINVAL;
    }
    if (in_budget == 0 && opt.items == 0) {
        char b[32], s[32];
        sb_format_bytes(opt.budget, b, sizeof b);
        sb_format_bytes(smallest, s, sizeof s);
        snprintf(err, n, "--budget=%s is too small for any case "
                 "(the smallest needs about %s)", b, s);
        return -EINVAL;
    }
    return (int)in_budget;
}

/* Each case's time unit, from the median of its measured times per item,
 * so the console reads at a glance (the JSON says which unit it used); a
 * --benchmark_time_unit given (or BENCHMARK_TIME_UNIT) is every case's. */
static void choose_units(void)
{
    if (bm_flags_given("benchmark_time_unit")) return;   /* the library's */
    for (size_t i = 0; i < n_cases; i++) {
        double t[64], median;
        size_t n = 0;
        if (!cases[i].res) continue;
        for (int64_t r = 0; r < repetitions && n < 64; r++)
            if (cases[i].res[r].ok) t[n++] = cases[i].res[r].real_ns;
        if (n == 0) continue;
        for (size_t a = 1; a < n; a++)             /* insertion sort: n is small */
            for (size_t b = a; b > 0 && t[b - 1] > t[b]; b--) {
                double x = t[b];
                t[b] = t[b - 1];
                t[b - 1] = x;
            }
        median = n % 2 ? t[n / 2] : (t[n / 2 - 1] + t[n / 2]) / 2;
        bm_set_unit(cases[i].bench, median < 1e4 ? BM_NANOSECOND
                                    : median < 1e7 ? BM_MICROSECOND
                                                   : BM_MILLISECOND);
    }
}

static int register_cases(void)
{
    static const char *const names[] = {"N", "k", "M", "elem"};
    for (size_t i = 0; i < n_cases; i++) {
        const keep_case_t *c = &cases[i].rc.c;
        const int64_t args[] = {(int64_t)c->source_bytes, (int64_t)c->kept_bytes,
                                (int64_t)c->items, (int64_t)c->elem};
        bm_bench_t *b = bm_register_with(cases[i].rc.family, replay_bench, &cases[i]);
        if (b == NULL || bm_arg_names(b, 4, names) || bm_args(b, 4, args) ||
            bm_use_manual_time(b))
            return -ENOMEM;
        cases[i].bench = b;
    }
    return 0;
}

static void mark_selected(const bm_state_t *st, void *ud)
{
    case_slot_t *s = bm_user_data(st);
    (void)ud;
    if (s) s->selected = 1;
}

/* ------------------------------------------------------------------------
 * Measuring: every (case, repetition) once, in a shuffled order
 * ------------------------------------------------------------------------ */

typedef struct job_s {
    case_slot_t *slot;
    int64_t rep;
    uint64_t seed;          /* its measurement's draws (job_seed) */
} job_t;

/* The seed of the draws of repetition rep of the case named name in a run
 * of seed `seed` (the model's mark ends with --gc=go): the same for the
 * same three whatever the order or the other cases selected, never 0. */
static uint64_t job_seed(uint64_t seed, const char *name, int64_t rep)
{
    uint64_t h = UINT64_C(14695981039346656037);          /* FNV-1a */
    for (const unsigned char *c = (const unsigned char *)name; *c; c++)
        h = (h ^ *c) * UINT64_C(1099511628211);
    h ^= seed ^ (uint64_t)rep * UINT64_C(0x9e3779b97f4a7c15);
    h = gs_random_next(&h);
    return h ? h : 1;
}

static void shuffle(job_t *jobs, size_t n, uint64_t seed)
{
    for (size_t i = n; i > 1; i--) {
        size_t j = (size_t)(gs_random_next(&seed) % i);
        job_t t = jobs[i - 1];
        jobs[i - 1] = jobs[j];
        jobs[j] = t;
    }
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static void format_duration(double s, char *buf, size_t n)
{
    if (s < 60) snprintf(buf, n, "%.0f s", s);
    else if (s < 3600) snprintf(buf, n, "%.0f min %02.0f s", floor(s / 60), fmod(s, 60));
    else snprintf(buf, n, "%.1f h", s / 3600);
}

/* [i/n] name, elapsed and time left, on standard error: rewritten in place
 * on a terminal, else a line every ten seconds and one at the end. */
static void progress(size_t done, size_t total, const char *name, double t0,
                     int tty)
{
    static double last_line;
    double now = now_s(), elapsed = now - t0;
    char e[32], left[32];
    format_duration(elapsed, e, sizeof e);
    format_duration(done ? elapsed / (double)done * (double)(total - done) : 0,
                    left, sizeof left);
    if (tty) {
        fprintf(stderr, "\r\033[K[%zu/%zu] %.60s  %s, about %s left",
                done, total, name, e, left);
        if (done == total) fputs("\r\033[K", stderr);
    } else if (done == total || now - (last_line > 0 ? last_line : t0) >= 10) {
        last_line = now;
        fprintf(stderr, "%s: [%zu/%zu] measured in %s%s%s%s\n", prog, done, total,
                e, done < total ? ", about " : "", done < total ? left : "",
                done < total ? " left" : "");
    }
}

static int no_room_for_jobs(void)
{
    fprintf(stderr, "%s: out of memory for the list of measurements (%lld "
            "repetitions of each case; --benchmark_repetitions)\n", prog,
            (long long)repetitions);
    return -ENOMEM;
}

/* Measure every selected case `repetitions` times, writing each row as it
 * comes. Returns how many measurements failed, or -errno (its message
 * printed) when the list of measurements cannot be made or the results
 * file cannot be written. */
static int measure_all(int argc, char **argv, ret_rows_t *rows, double min_time,
                       double warmup, uint64_t seed)
{
    size_t n_jobs = 0, done = 0;
    int failed = 0, tty = isatty(STDERR_FILENO);
    double t0 = now_s();
    job_t *jobs;

    for (size_t i = 0; i < n_cases; i++)
        if (cases[i].selected) n_jobs += (size_t)repetitions;
    jobs = calloc(n_jobs ? n_jobs : 1, sizeof *jobs);
    if (jobs == NULL) return no_room_for_jobs();
    n_jobs = 0;
    for (size_t i = 0; i < n_cases; i++) {
        if (!cases[i].selected) continue;
        cases[i].res = calloc((size_t)repetitions, sizeof *cases[i].res);
        if (cases[i].res == NULL) {
            free(jobs);
            return no_room_for_jobs();
        }
        for (int64_t r = 0; r < repetitions; r++)
            jobs[n_jobs++] = (job_t){&cases[i], r,
                                     job_seed(seed, cases[i].rc.name, r)};
    }
    if (opt.isolation == RET_ISOLATE_PROCESS) shuffle(jobs, n_jobs, seed);

    for (size_t j = 0; j < n_jobs; j++) {
        case_slot_t *s = jobs[j].slot;
        ret_result_t *r = &s->res[jobs[j].rep];
        int err = opt.isolation == RET_ISOLATE_PROCESS
                      ? ret_measure_in_child(&s->rc, argc, argv, min_time, warmup,
                                             jobs[j].seed, r)
                      : ret_measure(&s->rc, &opt, min_time, warmup, jobs[j].seed, r);
        if (err) {
            memset(r, 0, sizeof *r);
            r->failed = 1;
            snprintf(r->message, sizeof r->message, "cannot measure: %s",
                     strerror(-err));
        }
        failed += r->failed;
        if (!opt.no_csv) {
            err = ret_rows_write(rows, &s->rc, jobs[j].rep, r);
            if (err) {
                if (tty) fputs("\n", stderr);
                if (rows->csv.path[0])
                    fprintf(stderr, "%s: cannot write the results file %s: %s "
                            "(it keeps the %zu rows before)\n", prog,
                            rows->csv.path, strerror(-err), rows->rows);
                else
                    fprintf(stderr, "%s: cannot create the results file in %s: "
                            "%s (no file made)\n", prog, rows->dir, strerror(-err));
                free(jobs);
                return err;
            }
        }
        progress(++done, n_jobs, s->rc.name, t0, tty);
    }
    free(jobs);
    return failed;
}

/* The measured case named `name` (--child), its answer on standard output. */
static int run_child(const char *name)
{
    char line[1024];
    ret_result_t r;
    /* a measurement nobody waits for any more is not finished */
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (getppid() == 1) return 1;
    for (size_t i = 0; i < n_cases; i++) {
        if (strcmp(cases[i].rc.name, name) != 0) continue;
        if (ret_measure(&cases[i].rc, &opt, opt.child_min_time, opt.child_warmup,
                        opt.child_seed, &r))
            return 1;
        if (ret_result_format(&r, line, sizeof line)) return 1;
        fputs(line, stdout);
        return fflush(stdout) == 0 ? 0 : 1;
    }
    fprintf(stderr, "%s: --child: no case named '%s'\n", prog, name);
    return 2;
}

/* --schema: what a reader of the results needs to agree with this binary. */
static void print_schema(void)
{
    printf("{\"schema_version\": %d, \"columns\": [", RET_SCHEMA_VERSION);
    for (int i = 0; i < RET_NCOLS; i++)
        printf("%s\"%s\"", i ? ", " : "", ret_columns[i]);
    printf("], \"strategies\": [");
    for (int i = 0; i < KEEP_STRATEGY_COUNT; i++)
        printf("%s\"%s\"", i ? ", " : "", keep_strategy_name((keep_strategy_t)i));
    printf("], \"allocator\": \"%s\"}\n", mem_allocator_name());
}

/* ------------------------------------------------------------------------
 * main
 * ------------------------------------------------------------------------ */

/* Can a file be created in dir? Asked by creating one, since permission
 * bits are not the whole answer (read-only mounts, root). */
static int probe_writable(const char *dir, char *err, size_t n)
{
    int rc = sb_csv_dir_writable(dir);
    if (rc == -ENAMETOOLONG) snprintf(err, n, "results folder name too long");
    else if (rc != 0)
        snprintf(err, n, "results folder %s is not writable: %s", dir, strerror(-rc));
    return rc;
}

static int usage_error(const char *msg)
{
    fprintf(stderr, "%s: %s\n", prog, msg);
    return 2;
}

/* The exit status once `what` has gone to standard output: 0, or 1 with a
 * line on standard error when it could not be written. */
static int written(const char *what)
{
    if (fflush(stdout) == 0 && !ferror(stdout)) return 0;
    fprintf(stderr, "%s: cannot write the %s to standard output\n", prog, what);
    return 1;
}

int main(int argc, char **argv)
{
    static sb_meta_t meta;
    static ret_rows_t rows;
    char err[512], settings[256], run_id[128], num[64];
    static char **given;     /* static: lives as long as the process */
    int given_argc;
    double min_time, warmup;
    uint64_t seed;
    int rc, i, failed;
    struct stat sd;

    if (sb_stdio_reopen() < 0) return 2;   /* closed fd 0/1/2: /dev/null first */
    if (bm_flags_check(&argc, argv, err, sizeof err)) return usage_error(err);
    /* the command line as given, before Google Benchmark takes flags out:
     * for the metadata, and for the measuring processes */
    given_argc = argc;
    given = calloc((size_t)argc + 1, sizeof *given);
    if (given == NULL) return usage_error("out of memory");
    memcpy(given, argv, (size_t)argc * sizeof *given);
    for (i = 1; i < argc; i++) {          /* before Google Benchmark's --help */
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            ret_usage(prog);
            if (fflush(stdout) == 0 && !ferror(stdout)) return 0;
            /* status 2, as the scripts give output they cannot write */
            fprintf(stderr, "%s: cannot write the help to standard output: %s\n",
                    prog, strerror(errno));
            return 2;
        }
    }
    bm_default_counters_tabular(1);
    bm_initialize(&argc, argv);                 /* takes --benchmark_* out */
    rc = ret_parse_flags(argc, argv, &opt, err, sizeof err);
    if (rc == 1) return written("version");     /* --version (--help: above) */
    if (rc) return usage_error(err);
    if (opt.schema) {
        print_schema();
        return written("schema");
    }
    if (mem_allocator_configure(opt.tuning, settings, sizeof settings))
        return usage_error("cannot configure the allocator");
    rc = make_cases(err, sizeof err);
    if (rc < 0) return usage_error(err);
    if (opt.child) return run_child(opt.child);

    if (sb_meta_collect(&meta, given_argc, given))
        return usage_error("cannot collect the run's metadata");
    snprintf(num, sizeof num, "%d", RET_SCHEMA_VERSION);
    sb_meta_set(&meta, "schema_version", num);
    if (!opt.no_csv) {
        if (stat(opt.csv_dir, &sd) != 0) {
            snprintf(err, sizeof err, "results folder %s: %s", opt.csv_dir,
                     strerror(errno));
            return usage_error(err);
        }
        if (!S_ISDIR(sd.st_mode)) {
            snprintf(err, sizeof err, "results folder %s is not a folder", opt.csv_dir);
            return usage_error(err);
        }
        if (probe_writable(opt.csv_dir, err, sizeof err) != 0)
            return usage_error(err);
    }
    if (register_cases())
        return usage_error("cannot register benchmarks: out of memory");
    if (bm_flag_list_tests()) {                 /* names only, nothing run */
        bm_run_specified();
        bm_shutdown();
        return written("list");
    }
    if (bm_list_selected(mark_selected, NULL) == 0) {
        fprintf(stderr, "%s: no benchmark matches --benchmark_filter=%s\n", prog,
                bm_flag_filter());
        return 1;
    }
    /* the report file, made now: no other run takes its name, and a
     * folder it cannot be made in is found before anything is measured */
    if (bm_flags_reserve_out(err, sizeof err)) return usage_error(err);
    repetitions = bm_flag_repetitions();
    if (repetitions < 1) repetitions = 1;
    warmup = bm_flag_take_min_warmup_time();
    /* --quick's short time, unless --benchmark_min_time was given */
    min_time = opt.min_time > 0 && !bm_flags_given("benchmark_min_time")
                   ? opt.min_time : bm_flag_min_time();
    seed = opt.seed;
    if (!opt.seed_given) {
        struct timespec ts;
        clock_gettime(CLOCK_REALTIME, &ts);
        seed = (uint64_t)ts.tv_sec * UINT64_C(1000000007) ^ (uint64_t)ts.tv_nsec ^
               ((uint64_t)getpid() << 32);
    }

    if (sb_meta_set(&meta, "allocator_settings", settings))
        return usage_error("cannot collect the run's metadata");
    snprintf(num, sizeof num, "%llu", (unsigned long long)opt.budget);
    sb_meta_set(&meta, "budget_bytes", num);
    sb_meta_set(&meta, "isolation",
                opt.isolation == RET_ISOLATE_PROCESS ? "process" : "none");
    snprintf(num, sizeof num, "%llu", (unsigned long long)seed);
    sb_meta_set(&meta, "order_seed", num);
    snprintf(num, sizeof num, "%.9g", min_time);
    sb_meta_set(&meta, "min_time_s", num);
    snprintf(num, sizeof num, "%.9g", opt.go_clock_scale);
    sb_meta_set(&meta, "go_clock_scale", num);
    snprintf(num, sizeof num, "%lld", (long long)repetitions);
    sb_meta_set(&meta, "repetitions", num);
    if (opt.run_id) snprintf(run_id, sizeof run_id, "%s", opt.run_id);
    else if (sb_run_id(&meta, run_id, sizeof run_id))
        snprintf(run_id, sizeof run_id, "run");
    sb_meta_set(&meta, "run_id", run_id);
    sb_meta_to_context(&meta);
    if (*sb_meta_get(&meta, "machine_warnings"))           /* once per run */
        fprintf(stderr, "%s: warning: %s\n", prog, sb_meta_get(&meta, "machine_warnings"));

    rows.dir = opt.csv_dir;
    rows.meta = &meta;
    rows.csv.fd = -1;
    rows.csv.head = NULL;
    if (!opt.no_csv) {
        char stem[256];
        snprintf(stem, sizeof stem, "%s_%s", run_id, mem_allocator_name());
        rc = sb_csv_create(&rows.csv, rows.dir, stem, &meta, RET_NCOLS, ret_columns);
        if (rc) {
            fprintf(stderr, "%s: cannot prepare the results file in %s: %s\n",
                    prog, rows.dir, strerror(-rc));
            return 1;
        }
    }

    failed = measure_all(given_argc, given, &rows, min_time, warmup, seed);
    if (failed < 0) return 1;

    choose_units();
    bm_set_console_counters(sizeof console_counters / sizeof console_counters[0],
                            console_counters);
    bm_run_specified();
    bm_shutdown();
    if (fflush(stdout) != 0) {
        fprintf(stderr, "%s: cannot write the report to standard output: %s\n",
                prog, strerror(errno));
        return 1;
    }
    if (ferror(stdout)) {    /* failed earlier; errno is long gone */
        fprintf(stderr, "%s: cannot write the report to standard output\n", prog);
        return 1;
    }
    if (!opt.no_csv) {
        rc = sb_csv_close(&rows.csv);
        if (rc) {
            fprintf(stderr, "%s: %s: %s\n", prog, rows.csv.path, strerror(-rc));
            return 1;
        }
        if (rows.csv.path[0])
            fprintf(stderr, "%s: %zu rows written to %s\n", prog, rows.rows,
                    rows.csv.path);
    }
    if (failed) {
        fprintf(stderr, "%s: %d measurement%s failed (status failed in the "
                "results)\n", prog, failed, failed == 1 ? "" : "s");
        return 1;
    }
    return 0;
}
