/* shim_fixture.c -- a benchmark binary that exercises every part of the
 * shim, for test_shim.py to run with flags and read back.
 *
 * Besides the --benchmark_* flags it takes --sink=PATH: every run the shim
 * hands to the C sink is written there, one line each, as
 *     name|family|args|aggregate|repetition|iterations|label|skipped|error|counters
 * so the test can check the sink against Google Benchmark's own output.
 */
#define _POSIX_C_SOURCE 200809L   /* nanosleep */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bm.h"

static void named_args(bm_state_t *st)
{
    int64_t n = bm_arg(st, "n"), m = bm_arg(st, "m"), sum = 0;
    char label[64];
    for (int64_t batch; (batch = bm_batch(st)) > 0;)
        for (int64_t i = 0; i < batch; i++) {
            sum += n * m;
            bm_do_not_optimize(sum);
        }
    bm_set_counter(st, "n_seen", (double)n, BM_COUNTER_DEFAULT);
    bm_set_counter(st, "m_seen", (double)bm_range(st, 1), BM_COUNTER_DEFAULT);
    bm_set_counter(st, "three_per_iter", 3.0 * (double)bm_iterations(st),
                   BM_COUNTER_AVG_ITERATIONS);
    bm_set_counter(st, "events", 1000.0, BM_COUNTER_RATE);
    bm_set_counter(st, "bytes_kib", 2048.0, BM_COUNTER_1024);
    bm_set_items_processed(st, bm_iterations(st) * n);
    bm_set_bytes_processed(st, bm_iterations(st) * m);
    snprintf(label, sizeof label, "n=%lld m=%lld", (long long)n, (long long)m);
    bm_set_label(st, label);
}

static void skipped(bm_state_t *st)
{
    bm_skip_with_error(st, "deliberate skip: out of cheese");
    for (int64_t batch; (batch = bm_batch(st)) > 0;) {
        fprintf(stderr, "the loop of a skipped run ran\n");
        exit(3);
    }
}

static void unknown_arg(bm_state_t *st)
{
    int64_t v = bm_arg(st, "nope");
    for (int64_t batch; (batch = bm_batch(st)) > 0;)
        bm_do_not_optimize(v);
}

static void fixed_iterations(bm_state_t *st)
{
    for (int64_t batch; (batch = bm_batch(st)) > 0;)
        for (int64_t i = 0; i < batch; i++) bm_clobber_memory();
    bm_set_counter(st, "iterations_seen", (double)bm_iterations(st), 0);
}

/* Sleeps 2 ms per iteration with the timer paused: the time must not show. */
static void paused(bm_state_t *st)
{
    const struct timespec ms2 = {0, 2000000};
    for (int64_t batch; (batch = bm_batch(st)) > 0;)
        for (int64_t i = 0; i < batch; i++) {
            bm_pause_timing(st);
            nanosleep(&ms2, NULL);
            bm_resume_timing(st);
        }
}

/* Leaves after the first bm_batch: the shim stops the timer itself. */
static void early_return(bm_state_t *st)
{
    int64_t batch = bm_batch(st), sum = 0;
    for (int64_t i = 0; i < batch; i++) {
        sum += i;
        bm_do_not_optimize(sum);
    }
}

/* A batch of `items` items per iteration, 1 ms of real time each batch:
 * reported per item, that is 1 ms / items (and well under 1 ms). */
static void batches(bm_state_t *st)
{
    const struct timespec ms1 = {0, 1000000};
    for (int64_t batch; (batch = bm_batch(st)) > 0;)
        for (int64_t i = 0; i < batch; i++) nanosleep(&ms1, NULL);
    bm_set_items_processed(st, bm_iterations(st) * bm_arg(st, "items"));
}

static void no_loop(bm_state_t *st)
{
    (void)st;
}

static FILE *sink_file;

static void sink(const bm_run_t *r, void *ud)
{
    (void)ud;
    fprintf(sink_file, "%s|%s|", r->name, r->family);
    for (size_t i = 0; i < r->n_args; i++)
        fprintf(sink_file, "%s%s=%lld", i ? "," : "", r->arg_names[i],
                (long long)r->arg_values[i]);
    fprintf(sink_file, "|%s|%lld|%lld|%s|%d|%s|", r->aggregate,
            (long long)r->repetition, (long long)r->iterations, r->label,
            r->skipped, r->error);
    for (size_t i = 0; i < r->n_counters; i++)
        fprintf(sink_file, "%s%s=%.17g", i ? "," : "", r->counter_names[i],
                r->counter_values[i]);
    fprintf(sink_file, "|real_ns=%.17g|cpu_ns=%.17g\n", r->real_ns, r->cpu_ns);
}

static int check(int rc, const char *what)
{
    if (rc != 0) {
        fprintf(stderr, "shim_fixture: %s failed: %d\n", what, rc);
        exit(1);
    }
    return rc;
}

int main(int argc, char **argv)
{
    static const int64_t ns[] = {1, 2}, ms[] = {10, 20};
    static const char *const names[] = {"n", "m"};
    const bm_list_t lists[] = {BM_LIST(ns), BM_LIST(ms)};
    static const int64_t one[] = {5};
    bm_bench_t *b;
    int i, out = 1;

    b = bm_register("named_args", named_args);
    check(bm_arg_names(b, 2, names), "bm_arg_names");
    check(bm_args_product(b, 2, lists), "bm_args_product");
    check(bm_fix_min_time(b, 0.01), "bm_fix_min_time");

    b = bm_register("skipped", skipped);
    check(b == NULL, "bm_register");
    b = bm_register("unknown_arg", unknown_arg);
    check(bm_arg_names(b, 1, (const char *[]){"k"}), "bm_arg_names");
    check(bm_args(b, 1, one), "bm_args");
    b = bm_register("fixed_iterations", fixed_iterations);
    check(bm_fix_iterations(b, 7), "bm_fix_iterations");
    check(bm_set_unit(b, BM_MICROSECOND), "bm_set_unit");
    b = bm_register("paused", paused);
    check(bm_fix_iterations(b, 20), "bm_fix_iterations");
    check(bm_use_real_time(b), "bm_use_real_time");
    b = bm_register("early_return", early_return);
    check(bm_fix_min_time(b, 0.01), "bm_fix_min_time");
    b = bm_register("batches", batches);
    check(bm_arg_names(b, 1, (const char *[]){"items"}), "bm_arg_names");
    check(bm_args(b, 1, (const int64_t[]){50}), "bm_args");
    check(bm_fix_iterations(b, 4), "bm_fix_iterations");
    check(bm_use_real_time(b), "bm_use_real_time");
    check(bm_items_per_iteration(b, "items"), "bm_items_per_iteration");
    check(bm_items_per_iteration(b, "nope") != -EINVAL,
          "bm_items_per_iteration(unnamed) == -EINVAL");
    b = bm_register("no_loop", no_loop);
    b = bm_register("repeated", fixed_iterations);
    check(bm_fix_repetitions(b, 3), "bm_fix_repetitions");
    check(bm_fix_iterations(b, 5), "bm_fix_iterations");

    /* registration refuses bad values instead of aborting */
    check(bm_fix_iterations(b, 0) != -EINVAL, "bm_fix_iterations(0) == -EINVAL");
    check(bm_args(NULL, 1, one) != -EINVAL, "bm_args(NULL) == -EINVAL");

    /* our own flag, taken out before Google Benchmark sees argv */
    for (i = 1; i < argc; i++) {
        if (strncmp(argv[i], "--sink=", 7) == 0) {
            sink_file = fopen(argv[i] + 7, "w");
            if (sink_file == NULL) {
                perror(argv[i] + 7);
                return 1;
            }
            bm_set_run_sink(sink, NULL);
        } else {
            argv[out++] = argv[i];
        }
    }
    argc = out;
    argv[argc] = NULL;
    check(bm_add_context("fixture", "shim"), "bm_add_context");
    i = bm_main(&argc, argv);
    if (sink_file) fclose(sink_file);
    return i;
}
