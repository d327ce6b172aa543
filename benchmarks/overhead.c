/* overhead.c -- what the C shim costs per iteration.
 *
 * The same trivial body (add one, keep the sum alive) runs as a native C++
 * Google Benchmark (overhead_native.cc) and through the shim, side by side
 * in one run of this binary. At the end it prints the ratio of the shim's
 * median time per iteration to the native one's:
 *
 *     slicebench-overhead --benchmark_repetitions=20 \
 *         --benchmark_enable_random_interleaving=true
 *
 * The target is a ratio within 2 % of 1, or 0.2 ns, whichever is larger.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bm.h"

void overhead_register_native(void);   /* overhead_native.cc */

static void shim_increment(bm_state_t *st)
{
    uint64_t x = 0;
    BM_LOOP(st) {
        x += 1;
        bm_do_not_optimize(x);
    }
}

/* Per-repetition times of each side, for the medians at the end (or Google
 * Benchmark's own median, when only aggregates are reported). */
enum { MAX_REPS = 1024 };
typedef struct side_s {
    const char *family;
    double ns[MAX_REPS];
    size_t n;
    double reported_median;   /* 0 until a "median" aggregate arrives */
} side_t;

static side_t sides[2] = {{"native/increment", {0}, 0, 0},
                          {"shim/increment", {0}, 0, 0}};

static void collect(const bm_run_t *run, void *ud)
{
    (void)ud;
    if (run->skipped) return;
    for (size_t i = 0; i < 2; i++) {
        side_t *s = &sides[i];
        if (strcmp(run->family, s->family) != 0) continue;
        if (run->aggregate[0] == '\0' && s->n < MAX_REPS)
            s->ns[s->n++] = run->real_ns;
        else if (strcmp(run->aggregate, "median") == 0)
            s->reported_median = run->real_ns;
    }
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static double median(side_t *s)
{
    if (s->n == 0) return s->reported_median;
    qsort(s->ns, s->n, sizeof s->ns[0], cmp_double);
    return s->n % 2 ? s->ns[s->n / 2] : (s->ns[s->n / 2 - 1] + s->ns[s->n / 2]) / 2;
}

int main(int argc, char **argv)
{
    double native, shim, diff;
    overhead_register_native();
    if (bm_register("shim/increment", shim_increment) == NULL) {
        fprintf(stderr, "slicebench-overhead: cannot register a benchmark\n");
        return 1;
    }
    bm_set_run_sink(collect, NULL);
    bm_initialize(&argc, argv);
    if (bm_report_unrecognized(argc, argv)) return 2;
    bm_run_specified();
    bm_shutdown();
    native = median(&sides[0]);
    shim = median(&sides[1]);
    if (native <= 0 || shim <= 0) return 0;   /* one side filtered out */
    diff = shim - native;
    printf("shim/native median time per iteration: %.4f (%.3f ns vs %.3f ns, "
           "%+.3f ns): %s\n",
           shim / native, shim, native, diff,
           fabs(diff) <= fmax(0.02 * native, 0.2) ? "within target"
                                                   : "OUTSIDE target");
    return 0;
}
