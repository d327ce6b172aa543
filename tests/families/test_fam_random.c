/* test_fam_random.c -- the model (gs.h + gs_ref.h) against the naive
 * reference of fam_ops.c on seeded random programs, deterministic.
 *
 *     test_fam_random [PROGRAMS [OPS [FIRST_SEED]]] [test name]
 *
 * After every operation both must agree on success or failure, on the
 * state line (every variable's len, cap and contents, every slot of every
 * reference slice, the reachable bytes) and on the bytes held, the model
 * by counting references, the reference by marking from the variables.
 * Every other program keeps to operations real Go can run (fam_gen's
 * valid_only); the others include out-of-range ones.
 *
 * allocation_failures_change_nothing runs the same programs with
 * allocation failures injected (mem_fail_arm): an operation that fails
 * with -ENOMEM must leave the model's state line and held bytes exactly as
 * they were (gs.h's strong guarantee, kept by gs_ref.h), and is then
 * skipped on the reference. */
#include "check.h"
#include "fam_ops.h"
#include "mem.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static unsigned long programs = 300, ops = 200, first_seed = 1;

static void run_programs(int inject, uint64_t *nomem_out)
{
    static char want[1 << 16], got[1 << 16], before[1 << 16];
    uint64_t total = 0, errors = 0, nomem = 0;
    unsigned long p, i;
    for (p = 0; p < programs; p++) {
        uint64_t seed = first_seed + p, rng = seed;
        fam_model_t *m;
        fam_naive_t *r;
        mem_counts_t mc;
        mem_counts_reset();
        CHECK(fam_model_new(&m) == 0);
        CHECK(fam_naive_new(&r) == 0);
        for (i = 1; i <= ops; i++) {
            fam_op_t op;
            char text[128];
            size_t mb, mr, rb, rr;
            int rm, rn;
            fam_gen(r, &rng, (int)(p & 1), &op);
            fam_op_format(&op, text, sizeof text);
            if (inject && rng % 4 == 0) {
                size_t hb, hr;
                CHECK(fam_model_state(m, before, sizeof before) == 0);
                fam_model_held(m, &hb, &hr);
                mem_fail_arm((unsigned long)(rng >> 8) % 3);
                rm = fam_model_run(m, &op, i);
                mem_fail_disarm();
                if (rm == -ENOMEM) {
                    nomem++;
                    CHECK(fam_model_state(m, got, sizeof got) == 0);
                    fam_model_held(m, &mb, &mr);
                    if (strcmp(got, before) != 0 || mb != hb || mr != hr)
                        CHECK_FAIL_("seed %" PRIu64 " op %lu %s failed with -ENOMEM "
                                    "but changed the model:\n before %s\n after  %s",
                                    seed, i, text, before, got);
                    continue;
                }
            } else {
                rm = fam_model_run(m, &op, i);
            }
            rn = fam_naive_run(r, &op, i);
            total++;
            if (rn < 0) errors++;
            if ((rm < 0) != (rn < 0))
                CHECK_FAIL_("seed %" PRIu64 " op %lu %s: model %d, reference %d",
                            seed, i, text, rm, rn);
            CHECK(fam_model_state(m, got, sizeof got) == 0);
            CHECK(fam_naive_state(r, want, sizeof want) == 0);
            if (strcmp(got, want) != 0)
                CHECK_FAIL_("seed %" PRIu64 " op %lu %s:\n model     %s\n reference %s",
                            seed, i, text, got, want);
            fam_model_held(m, &mb, &mr);
            fam_naive_held(r, &rb, &rr);
            if (mb != rb || mr != rr)
                CHECK_FAIL_("seed %" PRIu64 " op %lu %s: held %zu+%zu, reference %zu+%zu",
                            seed, i, text, mb, mr, rb, rr);
        }
        fam_naive_free(r);
        CHECK_EQ_I(fam_model_free(m), 0);
        mem_counts_get(&mc);
        CHECK_EQ_I(mc.live_requested, 0);
    }
    printf("     %lu programs, %" PRIu64 " operations (%" PRIu64 " errors, %" PRIu64
           " allocation failures)\n", programs, total, errors, nomem);
    CHECK(errors > 0);
    *nomem_out = nomem;
}

static void random_programs_agree(void)
{
    uint64_t nomem;
    run_programs(0, &nomem);
}

static void allocation_failures_change_nothing(void)
{
    uint64_t nomem;
    run_programs(1, &nomem);
    CHECK(nomem > 0);
}

int main(int argc, char **argv)
{
    static const check_case_t cases[] = {
        CHECK_CASE(random_programs_agree),
        CHECK_CASE(allocation_failures_change_nothing),
    };
    unsigned long *nums[] = { &programs, &ops, &first_seed };
    int shift = 0;
    while (shift < 3 && argc > 1 + shift &&
           strspn(argv[1 + shift], "0123456789") == strlen(argv[1 + shift])) {
        *nums[shift] = strtoul(argv[1 + shift], NULL, 10);
        shift++;
    }
    argv[shift] = argv[0];
    return check_main(argc - shift, argv + shift, cases, CHECK_COUNT(cases));
}
