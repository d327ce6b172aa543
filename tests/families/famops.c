/* famops.c -- run programs of fam_ops.h from the command line, for the
 * differential test against real Go (famops_go, benchmarks/go/families).
 *
 *     famops gen SEED OPS     a random program Go can run, on stdout
 *     famops model            run the program on stdin on the model
 *     famops naive            ... on the naive reference
 *
 * run and naive print one state line per operation ("error" when it
 * fails). Exit 2 for usage or an unreadable program, 1 for a failure of
 * the runner itself. */
#include "fam_ops.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int usage(void)
{
    fprintf(stderr, "usage: famops gen SEED OPS | famops model | famops naive\n");
    return 2;
}

static int gen(const char *seed_text, const char *ops_text)
{
    char *end;
    uint64_t seed = strtoull(seed_text, &end, 10), rng = seed, i, n;
    fam_naive_t *r;
    if (*end != '\0') return usage();
    n = strtoull(ops_text, &end, 10);
    if (*end != '\0' || n == 0) return usage();
    if (fam_naive_new(&r) != 0) return 1;
    for (i = 1; i <= n; i++) {
        fam_op_t op;
        char text[128];
        fam_gen(r, &rng, 1, &op);
        if (fam_naive_run(r, &op, i) != 0) {
            fprintf(stderr, "famops: generated an operation that fails\n");
            fam_naive_free(r);
            return 1;
        }
        fam_op_format(&op, text, sizeof text);
        fputs(text, stdout);
    }
    fam_naive_free(r);
    return 0;
}

static int run(int naive)
{
    static char line[256], state[1 << 16];
    fam_model_t *m = NULL;
    fam_naive_t *r = NULL;
    uint64_t n = 0;
    int rc = 0;
    if (naive ? fam_naive_new(&r) : fam_model_new(&m)) return 1;
    while (fgets(line, sizeof line, stdin) != NULL) {
        fam_op_t op;
        int e;
        if (line[0] == '\n' || line[0] == '#') continue;
        if (fam_op_parse(line, &op) != 0) {
            fprintf(stderr, "famops: line %" PRIu64 ": not an operation: %s",
                    n + 1, line);
            rc = 2;
            break;
        }
        n++;
        e = naive ? fam_naive_run(r, &op, n) : fam_model_run(m, &op, n);
        if (e < 0) {
            puts("error");
            continue;
        }
        if ((naive ? fam_naive_state(r, state, sizeof state)
                   : fam_model_state(m, state, sizeof state)) != 0) {
            fprintf(stderr, "famops: state line too long\n");
            rc = 1;
            break;
        }
        puts(state);
    }
    fam_naive_free(r);
    if (fam_model_free(m) != 0 && rc == 0) {
        fprintf(stderr, "famops: the model leaked an array\n");
        rc = 1;
    }
    return rc;
}

int main(int argc, char **argv)
{
    if (argc == 4 && strcmp(argv[1], "gen") == 0) return gen(argv[2], argv[3]);
    if (argc == 2 && strcmp(argv[1], "model") == 0) return run(0);
    if (argc == 2 && strcmp(argv[1], "naive") == 0) return run(1);
    return usage();
}
