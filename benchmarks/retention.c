/* retention.c -- slicebench-retention: what each way of keeping k bytes of
 * M received N-byte buffers costs, in time and in memory held.
 *
 * One benchmark per (strategy, case), registered case by case so the
 * strategies of a case run side by side; an iteration is one batch of M
 * items (keep.h). The binary is built once per allocator; each run writes
 * one results CSV (retention_rows.c). See --help.
 */
#include "retention.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "bm.h"
#include "bm_flags.h"
#include "mem.h"

static const char *prog = "slicebench-retention";
static ret_options_t opt;

/* The heaps (one per growth policy) and the kept handles live for the whole
 * process and are warmed up before the first run, so no run pays for, or
 * counts in its peak, the model's own bookkeeping. */
static gs_heap_t heaps[GS_POLICY_COUNT];
static gs_slice_t *keep_store;
static size_t keep_capacity;

/* ------------------------------------------------------------------------
 * The benchmark
 * ------------------------------------------------------------------------ */

static void keep_bench(bm_state_t *st)
{
    keep_strategy_t s;
    keep_case_t c;
    keep_held_t held = {0}, first = {0};
    int64_t growth, batches = 0;
    uint64_t expect;
    gs_heap_t *h;
    char reason[256];
    int rc;

    c.source_bytes = (size_t)bm_arg(st, "N");
    c.kept_bytes = (size_t)bm_arg(st, "k");
    c.items = (size_t)bm_arg(st, "M");
    c.elem = (size_t)bm_arg(st, "elem");
    growth = bm_arg(st, "growth");
    if (bm_error_occurred(st)) return;
    if (keep_strategy_parse(bm_family(st), &s) || growth < 0 ||
        growth >= GS_POLICY_COUNT || c.items > keep_capacity) {
        bm_skip_with_error(st, "internal: bad registration");
        return;
    }
    h = &heaps[growth];
    rc = keep_expected_peak(&c, (gs_policy_t)growth, s, &expect);
    if (rc == 0) rc = sb_guard(expect, opt.budget, reason, sizeof reason);
    else snprintf(reason, sizeof reason, "case out of range: %s", strerror(-rc));
    if (rc) {
        bm_skip_with_error(st, reason);
        return;
    }

    BM_LOOP(st) {
        mem_counts_t mc;
        rc = keep_batch(h, &c, s, keep_store, (unsigned)batches, &held);
        if (rc) {
            snprintf(reason, sizeof reason, "batch failed: %s", strerror(-rc));
            bm_skip_with_error(st, reason);
            break;
        }
        /* the allocator's count of live bytes is the model's held bytes
         * (what is measured is what the code allocated), and every batch
         * holds the same arrays (the allocator's reserved size of them may
         * differ a little with where they land in its heap) */
        mem_counts_get(&mc);
        if (mc.live_bytes != (int64_t)held.held_reserved_bytes ||
            (batches > 0 && (held.held_bytes != first.held_bytes ||
                             held.referenced_bytes != first.referenced_bytes ||
                             held.live_arrays != first.live_arrays ||
                             held.grows != first.grows))) {
            keep_release(keep_store, c.items);
            bm_skip_with_error(st, "internal: accounting mismatch between "
                               "the model and the counting allocator");
            break;
        }
        if (batches++ == 0) first = held;
        keep_release(keep_store, c.items);
        bm_do_not_optimize(held);
    }
    if (bm_error_occurred(st)) return;

    bm_set_items_processed(st, bm_iterations(st) * (int64_t)c.items);
    bm_set_counter(st, "kept_bytes_per_second",
                   (double)bm_iterations(st) * (double)c.items * (double)c.kept_bytes,
                   BM_COUNTER_RATE | BM_COUNTER_1024);
    bm_set_counter(st, "held_bytes", (double)held.held_bytes, BM_COUNTER_1024);
    bm_set_counter(st, "held_reserved_bytes", (double)held.held_reserved_bytes,
                   BM_COUNTER_1024);
    bm_set_counter(st, "needed_bytes", (double)c.items * (double)c.kept_bytes,
                   BM_COUNTER_1024);
    bm_set_counter(st, "amplification",
                   (double)held.held_bytes / ((double)c.items * (double)c.kept_bytes), 0);
    bm_set_counter(st, "grows_per_batch", (double)held.grows, 0);
}

/* ------------------------------------------------------------------------
 * Cases
 * ------------------------------------------------------------------------ */

/* The largest M whose worst strategy fits the budget (0 if none does). */
static size_t items_for(keep_case_t c, gs_policy_t p)
{
    size_t lo = 0, hi = (size_t)opt.max_items;
    while (lo < hi) {
        size_t mid = lo + (hi - lo + 1) / 2, i;
        int fits = 1;
        c.items = mid;
        for (i = 0; i < opt.n_strategies && fits; i++) {
            uint64_t peak;
            fits = keep_expected_peak(&c, p, opt.strategies[i], &peak) == 0 &&
                   peak <= opt.budget;
        }
        if (fits) lo = mid;
        else hi = mid - 1;
    }
    return lo;
}

static int register_case(keep_case_t c, gs_policy_t p)
{
    static const char *const names[] = {"N", "k", "M", "elem", "growth"};
    const int64_t args[] = {(int64_t)c.source_bytes, (int64_t)c.kept_bytes,
                            (int64_t)c.items, (int64_t)c.elem, (int64_t)p};
    for (size_t i = 0; i < opt.n_strategies; i++) {
        bm_bench_t *b = bm_register(keep_strategy_name(opt.strategies[i]), keep_bench);
        if (b == NULL || bm_arg_names(b, 5, names) || bm_args(b, 5, args) ||
            bm_use_real_time(b) ||
            (opt.min_time > 0 && bm_fix_min_time(b, opt.min_time)))
            return -ENOMEM;
    }
    if (c.items > keep_capacity) keep_capacity = c.items;
    return 0;
}

/* Register every case of the options. Returns how many cases fit the
 * budget, or -EINVAL with a message in err. */
static int register_cases(char *err, size_t n)
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
            ret_rows_note_rule(N, k, r->text);
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
                    c.items = opt.items ? (size_t)opt.items : items_for(c, p);
                    total++;
                    if (c.items == 0) {
                        /* registered with M = 1 so that the skip, and why,
                         * shows in the output and the CSV */
                        c.items = 1;
                    } else {
                        in_budget++;
                    }
                    if (keep_expected_peak(&c, p, KEEP_RECEIVE_ONLY, &one) == 0 &&
                        one < smallest)
                        smallest = one;
                    if (register_case(c, p)) {
                        snprintf(err, n, "cannot register benchmarks: out of memory");
                        return -EINVAL;
                    }
                }
            }
        }
    }
    if (total > 0 && in_budget == 0 && opt.items == 0) {
        char b[32], s[32];
        sb_format_bytes(opt.budget, b, sizeof b);
        sb_format_bytes(smallest, s, sizeof s);
        snprintf(err, n, "--budget=%s is too small for any case "
                 "(the smallest needs about %s)", b, s);
        return -EINVAL;
    }
    return (int)in_budget;
}

/* Warm the heaps and the kept handles: make and drop as many arrays as a
 * batch can keep, so the header free lists are full before any run. */
static int warm_up(void)
{
    keep_store = calloc(keep_capacity ? keep_capacity : 1, sizeof *keep_store);
    if (keep_store == NULL) return -ENOMEM;
    for (size_t p = 0; p < GS_POLICY_COUNT; p++) {
        gs_heap_init(&heaps[p], (gs_policy_t)p);
        for (size_t i = 0; i < keep_capacity; i++) {
            int rc = gs_make(&heaps[p], 1, 1, 1, &keep_store[i]);
            if (rc) return rc;
        }
        keep_release(keep_store, keep_capacity);   /* writes every handle */
    }
    return 0;
}

/* ------------------------------------------------------------------------
 * main
 * ------------------------------------------------------------------------ */

/* Can a file be created in dir? Asked by creating one, since permission
 * bits are not the whole answer (read-only mounts, root). */
static int probe_writable(const char *dir, char *err, size_t n)
{
    char path[4096];
    int fd;
    if (snprintf(path, sizeof path, "%s/.slicebench-probe-XXXXXX", dir) >= (int)sizeof path) {
        snprintf(err, n, "results folder name too long");
        return -ENAMETOOLONG;
    }
    fd = mkstemp(path);
    if (fd < 0) {
        int e = errno;
        snprintf(err, n, "results folder %s is not writable: %s", dir, strerror(e));
        return -e;
    }
    close(fd);
    unlink(path);
    return 0;
}

static int usage_error(const char *msg)
{
    fprintf(stderr, "%s: %s\n", prog, msg);
    return 2;
}

int main(int argc, char **argv)
{
    static sb_meta_t meta;
    static ret_rows_t rows;
    char err[512], settings[256], run_id[128];
    int rc, i, min_time_given = 0;
    struct stat sd;

    if (sb_stdio_reopen() < 0) return 2;    /* crobust: closed fd 0/1/2 -> /dev/null first */
    /* the command line as given, before Google Benchmark takes flags out */
    if (sb_meta_collect(&meta, argc, argv))
        return usage_error("cannot collect the run's metadata");
    if (bm_flags_check(&argc, argv, err, sizeof err)) return usage_error(err);  /* crobust */
    for (i = 1; i < argc; i++) {          /* before Google Benchmark's --help */
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            ret_usage(prog);
            return 0;
        }
        min_time_given |= strncmp(argv[i], "--benchmark_min_time=", 21) == 0;
    }
    bm_initialize(&argc, argv);                 /* takes --benchmark_* out */
    rc = ret_parse_flags(argc, argv, &opt, err, sizeof err);
    if (rc == 1) return 0;
    if (rc) return usage_error(err);
    if (min_time_given) opt.min_time = 0;       /* the flag beats --quick's */

    if (mem_allocator_configure(opt.tuning, settings, sizeof settings))
        return usage_error("cannot configure the allocator");
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

    rc = register_cases(err, sizeof err);
    if (rc < 0) return usage_error(err);
    rc = warm_up();
    if (rc) {
        snprintf(err, sizeof err, "warm-up failed: %s", strerror(-rc));
        return usage_error(err);
    }

    if (sb_meta_set(&meta, "allocator_settings", settings))
        return usage_error("cannot collect the run's metadata");
    snprintf(err, sizeof err, "%llu", (unsigned long long)opt.budget);
    sb_meta_set(&meta, "budget_bytes", err);
    if (opt.run_id) snprintf(run_id, sizeof run_id, "%s", opt.run_id);
    else if (sb_run_id(&meta, run_id, sizeof run_id))
        snprintf(run_id, sizeof run_id, "run");
    sb_meta_set(&meta, "run_id", run_id);
    sb_meta_to_context(&meta);

    rows.dir = opt.csv_dir;
    snprintf(rows.stem, sizeof rows.stem, "%s_%s", run_id, mem_allocator_name());
    rows.meta = &meta;
    rows.opt = &opt;
    rows.csv.fd = -1;
    bm_set_run_sink(ret_rows_sink, &rows);
    sb_memrun_install();

    if (*sb_meta_get(&meta, "machine_warnings")) fprintf(stderr, "%s: warning: %s\n", prog, sb_meta_get(&meta, "machine_warnings"));  /* crobust: once per run */
    if (bm_run_specified() == 0) {
        fprintf(stderr, "%s: no benchmark ran (check --benchmark_filter)\n", prog);
        bm_shutdown();
        return 1;
    }
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
    if (rows.csv.fd >= 0) {
        rc = sb_csv_close(&rows.csv);
        if (rc) {
            fprintf(stderr, "%s: %s: %s\n", prog, rows.csv.path, strerror(-rc));
            return 1;
        }
        fprintf(stderr, "%s: %zu rows written to %s\n", prog, rows.rows,
                rows.csv.path);
    }
    return 0;
}
