/* check.h -- the C tests' assertions and runner, in one header.
 *
 * A test is a `static void name(void)`; a failed CHECK prints
 * "file:line: what failed (values)" and abandons that test (longjmp), the
 * runner goes on with the next one and ends with the line
 * "N passed, N failed" and exit status 1 if anything failed.
 *
 *     static void make_sets_len(void) { CHECK_EQ_U(s.len, 3); }
 *     int main(int argc, char **argv) {
 *         static const check_case_t cases[] = { CHECK_CASE(make_sets_len) };
 *         return check_main(argc, argv, cases, CHECK_COUNT(cases));
 *     }
 *
 * A test name given on the command line runs that test alone.
 */
#ifndef SLICEBENCH_CHECK_H
#define SLICEBENCH_CHECK_H

#include <errno.h>
#include <inttypes.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct check_case_s {
    const char *name;
    void (*fn)(void);
} check_case_t;

#define CHECK_CASE(fn) { #fn, fn }
#define CHECK_COUNT(a) (sizeof(a) / sizeof((a)[0]))

static jmp_buf check_bail;

#define CHECK_FAIL_(...)                                                      \
    do {                                                                      \
        fprintf(stderr, "%s:%d: ", __FILE__, __LINE__);                       \
        fprintf(stderr, __VA_ARGS__);                                         \
        fputc('\n', stderr);                                                  \
        longjmp(check_bail, 1);                                               \
    } while (0)

#define CHECK(cond)                                                           \
    do { if (!(cond)) CHECK_FAIL_("CHECK(%s) failed", #cond); } while (0)

#define CHECK_EQ_U(a, b)                                                      \
    do {                                                                      \
        uintmax_t a_ = (uintmax_t)(a), b_ = (uintmax_t)(b);                   \
        if (a_ != b_)                                                         \
            CHECK_FAIL_("CHECK_EQ_U(%s, %s) failed: %ju != %ju", #a, #b,     \
                        a_, b_);                                              \
    } while (0)

#define CHECK_EQ_I(a, b)                                                      \
    do {                                                                      \
        intmax_t a_ = (intmax_t)(a), b_ = (intmax_t)(b);                      \
        if (a_ != b_)                                                         \
            CHECK_FAIL_("CHECK_EQ_I(%s, %s) failed: %jd != %jd", #a, #b,     \
                        a_, b_);                                              \
    } while (0)

/* lo <= a <= hi, all as signed */
#define CHECK_IN_RANGE(a, lo, hi)                                             \
    do {                                                                      \
        intmax_t a_ = (intmax_t)(a), l_ = (intmax_t)(lo), h_ = (intmax_t)(hi);\
        if (a_ < l_ || a_ > h_)                                               \
            CHECK_FAIL_("CHECK_IN_RANGE(%s) failed: %jd not in [%jd, %jd]",   \
                        #a, a_, l_, h_);                                      \
    } while (0)

#define CHECK_EQ_STR(a, b)                                                    \
    do {                                                                      \
        const char *a_ = (a), *b_ = (b);                                      \
        if (strcmp(a_, b_) != 0)                                              \
            CHECK_FAIL_("CHECK_EQ_STR(%s, %s) failed: \"%s\" != \"%s\"", #a,  \
                        #b, a_, b_);                                          \
    } while (0)

#define CHECK_EQ_MEM(a, b, n)                                                 \
    do {                                                                      \
        if (memcmp((a), (b), (n)) != 0)                                       \
            CHECK_FAIL_("CHECK_EQ_MEM(%s, %s, %s) failed", #a, #b, #n);       \
    } while (0)

/* expr returns 0 (the harness's success value) */
#define CHECK_OK(expr)                                                        \
    do {                                                                      \
        int rc_ = (expr);                                                     \
        if (rc_ != 0)                                                         \
            CHECK_FAIL_("CHECK_OK(%s) failed: returned %d (%s)", #expr, rc_,  \
                        rc_ < 0 ? strerror(-rc_) : "not an errno");           \
    } while (0)

/* expr returns the negative errno err */
#define CHECK_ERR(expr, err)                                                  \
    do {                                                                      \
        int rc_ = (expr);                                                     \
        if (rc_ != (err))                                                     \
            CHECK_FAIL_("CHECK_ERR(%s, %s) failed: returned %d", #expr, #err, \
                        rc_);                                                 \
    } while (0)

static int check_main(int argc, char **argv, const check_case_t *cases,
                      size_t n)
{
    /* volatile: they live across setjmp/longjmp */
    volatile size_t passed = 0, failed = 0, i;
    for (i = 0; i < n; i++) {
        if (argc > 1 && strcmp(argv[1], cases[i].name) != 0) continue;
        if (setjmp(check_bail) == 0) {
            cases[i].fn();
            printf("ok   %s\n", cases[i].name);
            passed++;
        } else {
            printf("FAIL %s\n", cases[i].name);
            failed++;
        }
        fflush(stdout);
    }
    if (passed + failed == 0) {
        fprintf(stderr, "%s: no test named '%s'\n", argv[0], argv[1]);
        return 2;
    }
    printf("%zu passed, %zu failed\n", (size_t)passed, (size_t)failed);
    return failed ? 1 : 0;
}

/* The tests' vector files (generated by real Go, tests/gs/vectors/): '#'
 * lines are comments, the first other line must be `header`, every line
 * after it is a row.
 *
 *     check_csv_t r;
 *     check_csv_open(&r, path, HEADER);
 *     while (check_csv_row(&r, line, sizeof line)) { ... r.lineno ... }
 *     fclose(r.f);
 *
 * A test that fails while reading closes r.f first (fclose(r.f)). */
typedef struct check_csv_s {
    FILE *f;
    const char *path, *header;
    unsigned lineno;            /* the line last read, from 1 */
    int seen_header, seen_comment;
} check_csv_t;

static inline void check_csv_open(check_csv_t *r, const char *path,
                                  const char *header)
{
    r->f = fopen(path, "r");
    r->path = path;
    r->header = header;
    r->lineno = 0;
    r->seen_header = r->seen_comment = 0;
    if (r->f == NULL) CHECK_FAIL_("cannot open %s: %s", path, strerror(errno));
}

/* The next row into line (its line break cut): 1, or 0 at the end. */
static inline int check_csv_row(check_csv_t *r, char *line, int size)
{
    while (fgets(line, size, r->f) != NULL) {
        r->lineno++;
        line[strcspn(line, "\r\n")] = '\0';
        if (line[0] == '#') {
            r->seen_comment = 1;
            continue;
        }
        if (!r->seen_header) {
            if (strcmp(line, r->header) != 0) {
                fclose(r->f);
                CHECK_FAIL_("%s:%u: header \"%s\", expected \"%s\"", r->path,
                            r->lineno, line, r->header);
            }
            r->seen_header = 1;
            continue;
        }
        return 1;
    }
    return 0;
}

/* check_main for a test that reads one input named first on its command
 * line (`PROG INPUT [test]`): *input is set to it; `what` names it in the
 * usage line. */
static inline int check_main_input(int argc, char **argv, const check_case_t *cases,
                                   size_t n, const char **input, const char *what)
{
    if (argc < 2) {
        fprintf(stderr, "usage: %s %s [test]\n", argv[0], what);
        return 2;
    }
    *input = argv[1];
    argv[1] = argv[0];
    return check_main(argc - 1, argv + 1, cases, n);
}

#endif /* SLICEBENCH_CHECK_H */
