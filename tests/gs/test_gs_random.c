/* test_gs_random.c -- the operation interpreter (gs_ops.h) on seeded
 * pseudo-random programs: deterministic, the same programs on every run.
 *
 *     test_gs_random [PROGRAMS [FIRST_SEED]] [test name]
 *
 * A failing program is written to gs_random_<seed>.bin in the current
 * folder (ready to join tests/gs/corpus/) and run again with a trace. */
#include "check.h"
#include "gs.h"
#include "gs_ops.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static unsigned long programs = 4000, first_seed = 1;

static void random_programs_agree(void)
{
    static uint8_t buf[2048];
    gs_ops_stats_t st = { 0, 0, 0, 0 };
    unsigned long i;
    for (i = 0; i < programs; i++) {
        uint64_t seed = first_seed + i, state = seed;
        size_t most = i % 10 == 0 ? sizeof buf - 3 : 400, j;
        size_t n = 3 + (size_t)(gs_random_next(&state) % most);
        char why[512];
        for (j = 0; j < n; j++) buf[j] = (uint8_t)gs_random_next(&state);
        if (gs_ops_run(buf, n, 0, &st, why, sizeof why) != 0) {
            char name[64];
            FILE *f;
            snprintf(name, sizeof name, "gs_random_%" PRIu64 ".bin", seed);
            f = fopen(name, "wb");
            if (f != NULL) {
                fwrite(buf, 1, n, f);
                fclose(f);
            }
            fprintf(stderr, "seed %" PRIu64 " (%zu bytes, saved as %s): %s\n"
                    "trace:\n", seed, n, name, why);
            (void)gs_ops_run(buf, n, 1, NULL, why, sizeof why);
            CHECK_FAIL_("seed %" PRIu64 ": %s", seed, why);
        }
    }
    printf("     %lu programs, %" PRIu64 " operations (%" PRIu64 " errors, %"
           PRIu64 " reallocations, %" PRIu64 " allocation failures)\n",
           programs, st.ops, st.errors, st.grows, st.nomem);
    CHECK(st.grows > 0 && st.nomem > 0 && st.errors > 0);
}

int main(int argc, char **argv)
{
    static const check_case_t cases[] = { CHECK_CASE(random_programs_agree) };
    int shift = 0;
    if (argc > 1 + shift && strspn(argv[1 + shift], "0123456789") == strlen(argv[1 + shift])) {
        programs = strtoul(argv[1 + shift], NULL, 10);
        shift++;
        if (argc > 1 + shift && strspn(argv[1 + shift], "0123456789") == strlen(argv[1 + shift])) {
            first_seed = strtoul(argv[1 + shift], NULL, 10);
            shift++;
        }
    }
    argv[shift] = argv[0];
    return check_main(argc - shift, argv + shift, cases, CHECK_COUNT(cases));
}
