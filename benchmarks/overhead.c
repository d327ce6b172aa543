/* overhead.c -- what the harness itself costs: the C shim per iteration,
 * and the Go slice model per kept item.
 *
 * Two comparisons, each side by side in one run of this binary, each
 * printed at the end as the ratio of medians of the repetitions:
 *
 *   shim/increment against native/increment: the same trivial body (add
 *     one, keep the sum alive) through the shim and as a native C++ Google
 *     Benchmark (overhead_native.cc). Target: within 2 % of 1, or 0.2 ns.
 *
 *   slicebench/<strategy> against hand/<strategy>, per case (N, k, M,
 *     elem): one batch of keep.h's keep_batch and keep_release on the
 *     model, against a C loop written by hand that does what the Go
 *     program does and nothing else: the same batch (M items; each source
 *     calloc'd, as make zeroes, and filled with memset; the kept part
 *     retained, copied or appended with gs_next_cap's capacities, so every
 *     allocation has the model's size; sources dropped; everything kept
 *     freed at the end of the batch), on the same allocator with the
 *     retention benchmark's tuning, but no handles, reference counts or
 *     accounting. Target: at most 1.10x for every strategy and N.
 *
 *     slicebench-overhead --benchmark_repetitions=11 \
 *         --benchmark_enable_random_interleaving=true --benchmark_min_time=0.05
 *
 * The report gives medians of real and of CPU time per item, each side's
 * over its repetitions, and their ratios; and each side's CPU time over
 * its own receive-only's in the same case (xrecv): what the retention
 * benchmark's summary reports as a strategy's cost, on the model and by
 * hand. On a shared machine prefer CPU
 * time: a side's real time also counts the time it waited for a core.
 *
 * Cases: N of the retention benchmark's default sweep (64 B to 16 MiB),
 * k = 16 (--all-kept: also N/8 and N/2), elem 1, Go growth, M by
 * keep_items_for with a 128 MiB budget and at most 16384 items.
 * --benchmark_filter=hand/copy etc. select as usual; a strategy without a
 * hand-written equivalent below is measured alone and listed as such.
 */
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bm.h"
#include "bm_flags.h"
#include "gs.h"
#include "keep.h"
#include "mem.h"
#include "sb.h"

void overhead_register_native(void);   /* overhead_native.cc */

/* ------------------------------------------------------------------------
 * The shim against native Google Benchmark
 * ------------------------------------------------------------------------ */

static void shim_increment(bm_state_t *st)
{
    uint64_t x = 0;
    BM_LOOP(st) {
        x += 1;
        bm_do_not_optimize(x);
    }
}

/* ------------------------------------------------------------------------
 * The strategies written by hand
 *
 * A kept item is what Go keeps: a slice header (pointer, len, cap, here in
 * bytes). Each function runs one whole batch and frees what it kept.
 * ------------------------------------------------------------------------ */

typedef struct hand_slice_s {
    unsigned char *data;
    size_t len, cap;        /* bytes */
} hand_slice_t;

typedef int hand_fn(const keep_case_t *c, hand_slice_t *keep, unsigned fill);

/* make([]T, N/elem) filled as a read fills it. */
static unsigned char *receive(const keep_case_t *c, size_t i, unsigned fill)
{
    unsigned char *b = calloc(1, c->source_bytes);
    if (b == NULL) return NULL;
    memset(b, (int)((fill + i) & 0xff), c->source_bytes);
    bm_escape(b);
    return b;
}

static void free_kept(hand_slice_t *keep, size_t m)
{
    for (size_t i = 0; i < m; i++) free(keep[i].data);
}

/* s = append(s, p[0..n)...), n bytes, with Go's growth. */
static int hand_append(const keep_case_t *c, hand_slice_t *s,
                       const unsigned char *p, size_t n)
{
    size_t need = s->len + n, cap;
    unsigned char *d;
    if (need <= s->cap) {
        memcpy(s->data + s->len, p, n);
        s->len = need;
        return 0;
    }
    if (gs_next_cap(GS_GROW_GO, s->cap / c->elem, need / c->elem, c->elem,
                    &cap))
        return -EOVERFLOW;
    cap *= c->elem;
    d = malloc(cap);
    if (d == NULL) return -ENOMEM;
    if (s->len) memcpy(d, s->data, s->len);
    memcpy(d + s->len, p, n);
    if (cap > need) memset(d + need, 0, cap - need);
    free(s->data);
    s->data = d;
    s->len = need;
    s->cap = cap;
    return 0;
}

static int hand_receive_only(const keep_case_t *c, hand_slice_t *keep,
                             unsigned fill)
{
    (void)keep;
    for (size_t i = 0; i < c->items; i++) {
        unsigned char *b = receive(c, i, fill);
        if (b == NULL) return -ENOMEM;
        free(b);
    }
    return 0;
}

static int hand_retain(const keep_case_t *c, hand_slice_t *keep, unsigned fill)
{
    for (size_t i = 0; i < c->items; i++) {
        unsigned char *b = receive(c, i, fill);
        if (b == NULL) return free_kept(keep, i), -ENOMEM;
        keep[i].data = b;
        keep[i].len = c->kept_bytes;
        keep[i].cap = c->source_bytes;
    }
    free_kept(keep, c->items);
    return 0;
}

static int hand_copy(const keep_case_t *c, hand_slice_t *keep, unsigned fill)
{
    for (size_t i = 0; i < c->items; i++) {
        unsigned char *b = receive(c, i, fill), *k = NULL;
        if (b != NULL) k = calloc(1, c->kept_bytes);
        if (k != NULL) memcpy(k, b, c->kept_bytes);
        free(b);
        if (k == NULL) return free_kept(keep, i), -ENOMEM;
        keep[i].data = k;
        keep[i].len = keep[i].cap = c->kept_bytes;
    }
    free_kept(keep, c->items);
    return 0;
}

/* append and exactcap: one acc, views of it at the end. */
static int accumulate(const keep_case_t *c, hand_slice_t *keep, unsigned fill,
                      hand_slice_t acc)
{
    const size_t k = c->kept_bytes;
    for (size_t i = 0; i < c->items; i++) {
        unsigned char *b = receive(c, i, fill);
        int rc = b ? hand_append(c, &acc, b, k) : -ENOMEM;
        free(b);
        if (rc) return free(acc.data), rc;
    }
    for (size_t i = 0; i < c->items; i++) {
        keep[i].data = acc.data + i * k;
        keep[i].len = k;
        keep[i].cap = acc.cap - i * k;
    }
    bm_escape(keep);
    free(acc.data);
    return 0;
}

static int hand_append_acc(const keep_case_t *c, hand_slice_t *keep,
                           unsigned fill)
{
    hand_slice_t acc = {NULL, 0, 0};
    return accumulate(c, keep, fill, acc);
}

static int hand_exactcap(const keep_case_t *c, hand_slice_t *keep,
                         unsigned fill)
{
    hand_slice_t acc = {NULL, 0, c->items * c->kept_bytes};
    acc.data = calloc(1, acc.cap);
    if (acc.data == NULL) return -ENOMEM;
    return accumulate(c, keep, fill, acc);
}

/* keep[i] = append(keep[i], b[:k]...) from nil, `step` bytes per append:
 * k at once (append-nil) or one element at a time (append-each). */
static int append_from_nil(const keep_case_t *c, hand_slice_t *keep,
                           unsigned fill, size_t step)
{
    for (size_t i = 0; i < c->items; i++) {
        unsigned char *b = receive(c, i, fill);
        int rc = b ? 0 : -ENOMEM;
        keep[i].data = NULL;
        keep[i].len = keep[i].cap = 0;
        for (size_t j = 0; j < c->kept_bytes && rc == 0; j += step)
            rc = hand_append(c, &keep[i], b + j, step);
        free(b);
        if (rc) return free_kept(keep, i + 1), rc;
    }
    free_kept(keep, c->items);
    return 0;
}

static int hand_append_nil(const keep_case_t *c, hand_slice_t *keep,
                           unsigned fill)
{
    return append_from_nil(c, keep, fill, c->kept_bytes);
}

static int hand_append_each(const keep_case_t *c, hand_slice_t *keep,
                            unsigned fill)
{
    return append_from_nil(c, keep, fill, c->elem);
}

/* The hand-written equivalent of each strategy, by name. */
static const struct {
    const char *strategy;
    hand_fn *fn;
} hands[] = {
    {"receive-only", hand_receive_only}, {"retain", hand_retain},
    {"copy", hand_copy},                 {"append", hand_append_acc},
    {"exactcap", hand_exactcap},         {"append-nil", hand_append_nil},
    {"append-each", hand_append_each},
};

static hand_fn *hand_for(keep_strategy_t s)
{
    for (size_t i = 0; i < sizeof hands / sizeof hands[0]; i++)
        if (strcmp(hands[i].strategy, keep_strategy_name(s)) == 0)
            return hands[i].fn;
    return NULL;
}

/* ------------------------------------------------------------------------
 * The two sides of a case
 * ------------------------------------------------------------------------ */

static const char *const model_prefix = "slicebench/";
static const char *const hand_prefix = "hand/";

/* As the retention benchmark keeps them: one heap and one store of kept
 * handles for the whole process, warmed up before the first run. */
static gs_heap_t heap;
static gs_slice_t *model_keep;
static hand_slice_t *hand_keep;
static size_t keep_capacity;

static int case_of(bm_state_t *st, const char *prefix, keep_case_t *c,
                   keep_strategy_t *s)
{
    c->source_bytes = (size_t)bm_arg(st, "N");
    c->kept_bytes = (size_t)bm_arg(st, "k");
    c->items = (size_t)bm_arg(st, "M");
    c->elem = (size_t)bm_arg(st, "elem");
    if (bm_error_occurred(st)) return -EINVAL;
    if (keep_strategy_parse(bm_family(st) + strlen(prefix), s) ||
        c->items > keep_capacity || keep_case_check(c)) {
        bm_skip_with_error(st, "internal: bad registration");
        return -EINVAL;
    }
    return 0;
}

static void finish(bm_state_t *st, const keep_case_t *c)
{
    bm_set_items_processed(st, bm_iterations(st) * (int64_t)c->items);
}

static void model_bench(bm_state_t *st)
{
    keep_case_t c;
    keep_strategy_t s;
    keep_held_t held;
    unsigned batches = 0;
    if (case_of(st, model_prefix, &c, &s)) return;
    BM_LOOP(st) {
        int rc = keep_batch(&heap, &c, s, model_keep, batches++, &held);
        if (rc) {
            bm_skip_with_error(st, "batch failed");
            break;
        }
        keep_release(&heap, model_keep, c.items);
        bm_do_not_optimize(held);
    }
    finish(st, &c);
}

static void hand_bench(bm_state_t *st)
{
    keep_case_t c;
    keep_strategy_t s;
    hand_fn *fn;
    unsigned batches = 0;
    if (case_of(st, hand_prefix, &c, &s)) return;
    fn = hand_for(s);
    BM_LOOP(st) {
        if (fn(&c, hand_keep, batches++)) {
            bm_skip_with_error(st, "batch failed");
            break;
        }
    }
    finish(st, &c);
}

/* ------------------------------------------------------------------------
 * Collecting the repetitions
 * ------------------------------------------------------------------------ */

enum { MAX_REPS = 256, MAX_SIDES = 2 + 2 * KEEP_STRATEGY_COUNT * 8 * 3 };

/* One benchmark instance: its repetitions' real and CPU times per item
 * (or per iteration for increment), or Google Benchmark's medians when
 * only aggregates are reported. */
typedef struct side_s {
    char family[48];
    int64_t n_bytes, k_bytes, items;
    double ns[MAX_REPS], cpu_ns[MAX_REPS];
    size_t n;
    double reported_median, reported_cpu_median;   /* 0 until reported */
} side_t;

static side_t sides[MAX_SIDES];
static size_t n_sides;

static int64_t arg_named(const bm_run_t *run, const char *name)
{
    for (size_t i = 0; i < run->n_args; i++)
        if (strcmp(run->arg_names[i], name) == 0) return run->arg_values[i];
    return 0;
}

static side_t *side_of(const char *family, int64_t n, int64_t k, int64_t m)
{
    for (size_t i = 0; i < n_sides; i++)
        if (strcmp(sides[i].family, family) == 0 && sides[i].n_bytes == n &&
            sides[i].k_bytes == k && sides[i].items == m)
            return &sides[i];
    return NULL;
}

/* The times come per item already (bm_items_per_iteration), and per
 * iteration for increment. */
static void collect(const bm_run_t *run, void *ud)
{
    int64_t m = arg_named(run, "M");
    side_t *s;
    (void)ud;
    if (run->skipped) return;
    s = side_of(run->family, arg_named(run, "N"), arg_named(run, "k"), m);
    if (s == NULL && n_sides < MAX_SIDES) {
        s = &sides[n_sides++];
        snprintf(s->family, sizeof s->family, "%s", run->family);
        s->n_bytes = arg_named(run, "N");
        s->k_bytes = arg_named(run, "k");
        s->items = m;
    }
    if (s == NULL) return;
    if (run->aggregate[0] == '\0' && s->n < MAX_REPS) {
        s->cpu_ns[s->n] = run->cpu_ns;
        s->ns[s->n++] = run->real_ns;
    } else if (strcmp(run->aggregate, "median") == 0 &&
               !run->aggregate_is_fraction) {
        s->reported_median = run->real_ns;
        s->reported_cpu_median = run->cpu_ns;
    }
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* The median of a side's real (cpu == 0) or CPU times (sorts them). */
static double median_of(side_t *s, int cpu)
{
    double *v;
    if (s == NULL) return 0;
    if (s->n == 0) return cpu ? s->reported_cpu_median : s->reported_median;
    v = cpu ? s->cpu_ns : s->ns;
    qsort(v, s->n, sizeof v[0], cmp_double);
    return s->n % 2 ? v[s->n / 2] : (v[s->n / 2 - 1] + v[s->n / 2]) / 2;
}

static double median(side_t *s)
{
    return median_of(s, 0);
}

/* ------------------------------------------------------------------------
 * Cases and the report
 * ------------------------------------------------------------------------ */

static const int64_t sizes[] = {64, 512, 4096, 32768, 131072, 1048576,
                                4194304, 16777216};
static const uint64_t budget = UINT64_C(128) << 20;
static const size_t max_items = 16384;

static int register_strategies(keep_case_t c)
{
    static const char *const names[] = {"N", "k", "M", "elem"};
    const int64_t args[] = {(int64_t)c.source_bytes, (int64_t)c.kept_bytes,
                            (int64_t)c.items, (int64_t)c.elem};
    char name[64];
    for (unsigned s = 0; s < KEEP_STRATEGY_COUNT; s++)
        for (int side = 0; side < 2; side++) {
            bm_bench_t *b;
            if (side == 1 && hand_for((keep_strategy_t)s) == NULL) continue;
            snprintf(name, sizeof name, "%s%s",
                     side ? hand_prefix : model_prefix,
                     keep_strategy_name((keep_strategy_t)s));
            b = bm_register(name, side ? hand_bench : model_bench);
            if (b == NULL || bm_arg_names(b, 4, names) || bm_args(b, 4, args) ||
                bm_use_real_time(b) || bm_items_per_iteration(b, "M"))
                return -ENOMEM;
        }
    if (c.items > keep_capacity) keep_capacity = c.items;
    return 0;
}

static int register_cases(int all_kept)
{
    for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
        const uint64_t n = (uint64_t)sizes[i];
        const uint64_t kept[] = {16, n / 8, n / 2};
        for (size_t j = 0; j < (all_kept ? 3u : 1u); j++) {
            keep_case_t c = {(size_t)n, (size_t)kept[j], 0, 1};
            int rc;
            if (kept[j] == 0 || (j > 0 && kept[j] == 16)) continue;
            rc = keep_items_for(&c, GS_GROW_GO, budget, max_items, &c.items);
            if (rc == 0 && c.items > 0) rc = register_strategies(c);
            if (rc) return rc;
        }
    }
    return 0;
}

/* Warm the heap and both stores, as the retention benchmark does, so no
 * run pays for the model's header chunks. */
static int warm_up(void)
{
    model_keep = calloc(keep_capacity ? keep_capacity : 1, sizeof *model_keep);
    hand_keep = calloc(keep_capacity ? keep_capacity : 1, sizeof *hand_keep);
    if (model_keep == NULL || hand_keep == NULL) return -ENOMEM;
    gs_heap_init(&heap, GS_GROW_GO);
    for (size_t i = 0; i < keep_capacity; i++) {
        int rc = gs_make(&heap, 1, 1, 1, &model_keep[i]);
        if (rc) return rc;
    }
    keep_release(&heap, model_keep, keep_capacity);
    return 0;
}

static void report_increment(void)
{
    double native = median(side_of("native/increment", 0, 0, 0));
    double shim = median(side_of("shim/increment", 0, 0, 0));
    double diff = shim - native;
    if (native <= 0 || shim <= 0) return;   /* one side filtered out */
    printf("shim/native median time per iteration: %.4f (%.3f ns vs %.3f ns, "
           "%+.3f ns): %s\n",
           shim / native, shim, native, diff,
           fabs(diff) <= fmax(0.02 * native, 0.2) ? "within target"
                                                   : "OUTSIDE target");
}

static int by_case(const void *a, const void *b)
{
    const side_t *x = a, *y = b;
    if (x->n_bytes != y->n_bytes)
        return (x->n_bytes > y->n_bytes) - (x->n_bytes < y->n_bytes);
    return (x->k_bytes > y->k_bytes) - (x->k_bytes < y->k_bytes);
}

/* The median CPU time per item of receive-only in case c on one side
 * (prefix), 0 when it was not measured. */
static double receive_cpu(const char *prefix, const side_t *c)
{
    char family[64];
    snprintf(family, sizeof family, "%s%s", prefix,
             keep_strategy_name(KEEP_RECEIVE_ONLY));
    return median_of(side_of(family, c->n_bytes, c->k_bytes, c->items), 1);
}

/* One line per case and strategy measured on both sides, by N and k:
 * medians of real time per item and their ratio, then the same for CPU
 * time (on a shared machine the steadier of the two: time spent waiting
 * for a core counts in neither side's), then the strategy's CPU time over
 * receive-only's in the same case on each side: the "x" figures of the
 * retention benchmark's summary and findings, and how far the model's
 * bookkeeping moves them. */
static void report_keep(void)
{
    char family[64];
    int header = 0, outside_real = 0, outside_cpu = 0;
    qsort(sides, n_sides, sizeof sides[0], by_case);
    for (unsigned s = 0; s < KEEP_STRATEGY_COUNT; s++)
        for (size_t i = 0; i < n_sides; i++) {
            side_t *m = &sides[i], *h;
            double real[2], cpu[2];
            const char *name = keep_strategy_name((keep_strategy_t)s);
            snprintf(family, sizeof family, "%s%s", model_prefix, name);
            if (strcmp(m->family, family) != 0) continue;
            snprintf(family, sizeof family, "%s%s", hand_prefix, name);
            h = side_of(family, m->n_bytes, m->k_bytes, m->items);
            real[0] = median_of(m, 0), real[1] = median_of(h, 0);
            cpu[0] = median_of(m, 1), cpu[1] = median_of(h, 1);
            if (!header++)
                printf("\nslicebench/hand-written, medians per item "
                       "(target <= 1.10):\n"
                       "%-13s %9s %9s %6s %11s %11s %6s %11s %11s %6s"
                       " %8s %8s\n",
                       "strategy", "N", "k", "M", "real sb", "real hand",
                       "ratio", "cpu sb", "cpu hand", "ratio", "xrecv sb",
                       "xrecv hd");
            printf("%-13s %9lld %9lld %6lld", name, (long long)m->n_bytes,
                   (long long)m->k_bytes, (long long)m->items);
            if (real[1] <= 0 || cpu[1] <= 0) {
                printf(" %9.1fns %11s %6s %9.1fns %11s %6s\n", real[0], "-",
                       "-", cpu[0], "-", "-");
                continue;
            }
            outside_real += real[0] / real[1] > 1.10;
            outside_cpu += cpu[0] / cpu[1] > 1.10;
            printf(" %9.1fns %9.1fns %6.3f %9.1fns %9.1fns %6.3f", real[0],
                   real[1], real[0] / real[1], cpu[0], cpu[1], cpu[0] / cpu[1]);
            {
                double rs = receive_cpu(model_prefix, m);
                double rh = receive_cpu(hand_prefix, m);
                if (rs > 0 && rh > 0)
                    printf(" %7.2fx %7.2fx\n", cpu[0] / rs, cpu[1] / rh);
                else
                    printf(" %8s %8s\n", "-", "-");
            }
        }
    if (header)
        printf("ratios above 1.10: %d in real time, %d in CPU time\n",
               outside_real, outside_cpu);
}

/* One line on standard error; the status to exit with. */
static int fail(int status, const char *msg)
{
    fprintf(stderr, "slicebench-overhead: %s\n", msg);
    return status;
}

static void count_selected(const bm_state_t *st, void *ud)
{
    (void)st;
    (void)ud;
}

int main(int argc, char **argv)
{
    char settings[256], err[512], msg[600];
    int all_kept = 0, j = 1;
    if (sb_stdio_reopen() < 0) return 2;   /* closed fd 0/1/2: /dev/null first */
    if (bm_flags_check(&argc, argv, err, sizeof err)) return fail(2, err);
    for (int i = 1; i < argc; i++) {            /* take our own flag out */
        if (strcmp(argv[i], "--all-kept") == 0) all_kept = 1;
        else argv[j++] = argv[i];
    }
    argc = j;
    overhead_register_native();
    if (bm_register("shim/increment", shim_increment) == NULL ||
        register_cases(all_kept) != 0)
        return fail(1, "cannot register the benchmarks");
    bm_set_run_sink(collect, NULL);
    bm_initialize(&argc, argv);
    if (bm_report_unrecognized(argc, argv)) return 2;
    if (bm_flag_repetitions() > MAX_REPS) {
        snprintf(msg, sizeof msg, "--benchmark_repetitions: at most %d (the report's "
                 "medians keep that many)", MAX_REPS);
        return fail(2, msg);
    }
    if (bm_flag_list_tests()) {                 /* names only, nothing run */
        bm_run_specified();
        bm_shutdown();
        if (fflush(stdout) != 0 || ferror(stdout))
            return fail(1, "cannot write the list to standard output");
        return 0;
    }
    if (bm_list_selected(count_selected, NULL) == 0) {
        snprintf(msg, sizeof msg, "no benchmark matches --benchmark_filter=%.500s",
                 bm_flag_filter());
        return fail(1, msg);
    }
    if (mem_allocator_configure(MEM_TUNING_PINNED, settings, sizeof settings) ||
        warm_up() != 0)
        return fail(1, "cannot set up the allocator");
    /* the report file, made now: no other run takes its name */
    if (bm_flags_reserve_out(err, sizeof err)) return fail(2, err);
    bm_run_specified();
    bm_shutdown();
    report_increment();
    report_keep();
    if (fflush(stdout) != 0 || ferror(stdout))
        return fail(1, "cannot write the report to standard output");
    return 0;
}
