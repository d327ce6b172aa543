/* fuzz_flags.c -- libFuzzer target over the retention binary's command
 * line: the bytes are split into arguments (at NUL and newline), parsed by
 * ret_parse_flags, and every case the options describe is checked and
 * sized for every strategy and policy, as the binary does before it
 * registers anything. Nothing may crash, overflow or leak; a bad command
 * line must come back as -EINVAL with a one-line message of valid UTF-8.
 *
 * Built as a libFuzzer target with SLICEBENCH_FUZZ=ON (clang), and always
 * as a replay test over tests/retention/corpus (fuzz_replay.c).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <unistd.h>

#include "keep.h"
#include "retention.h"

enum { MAX_ARGS = 24, MAX_INPUT = 4096 };

static void size_every_case(const ret_options_t *o)
{
    for (size_t si = 0; si < o->n_sizes; si++)
        for (size_t ki = 0; ki < o->n_kept; ki++) {
            const ret_kept_rule_t *r = &o->kept[ki];
            uint64_t n = o->sizes[si], k = r->bytes ? r->bytes : n / r->divisor;
            for (size_t ei = 0; ei < o->n_elems; ei++) {
                keep_case_t c = {(size_t)n, (size_t)k,
                                 o->items ? (size_t)o->items : 1, (size_t)o->elems[ei]};
                uint64_t peak;
                if (keep_case_check(&c) != 0) continue;
                for (int s = 0; s < KEEP_STRATEGY_COUNT; s++)
                    for (size_t g = 0; g < o->n_growth; g++) {
                        int rc = keep_expected_peak(&c, o->growth[g],
                                                    (keep_strategy_t)s, &peak);
                        if (rc != 0 && rc != -EOVERFLOW) abort();
                    }
            }
        }
}

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
    static char prog[] = "slicebench-retention";
    char buf[MAX_INPUT + 1], err[512], *argv[MAX_ARGS + 1];
    ret_options_t opt;
    int argc = 1, rc, saved, null;
    if (size > MAX_INPUT) size = MAX_INPUT;
    memcpy(buf, data, size);
    buf[size] = '\0';
    argv[0] = prog;
    for (char *p = buf, *end = buf + size; p < end && argc < MAX_ARGS;) {
        size_t len = strcspn(p, "\n");          /* NUL also ends an argument */
        p[len] = '\0';
        argv[argc++] = p;
        p += len + 1;
    }
    argv[argc] = NULL;
    err[0] = '\0';
    /* --help and --version print: into /dev/null, for the call only */
    fflush(stdout);
    saved = dup(STDOUT_FILENO);
    null = open("/dev/null", O_WRONLY);
    if (saved >= 0 && null >= 0) dup2(null, STDOUT_FILENO);
    rc = ret_parse_flags(argc, argv, &opt, err, sizeof err);
    fflush(stdout);
    if (saved >= 0) {
        dup2(saved, STDOUT_FILENO);
        close(saved);
    }
    if (null >= 0) close(null);
    if (rc == -EINVAL) {
        char clean[sizeof err];
        if (err[0] == '\0' || strchr(err, '\n')) abort();   /* one line, said */
        if (sb_text_clean(err, clean, sizeof clean) != 0) abort();   /* UTF-8 */
        return 0;
    }
    if (rc != 0 && rc != 1) abort();
    if (rc == 0) size_every_case(&opt);
    return 0;
}
