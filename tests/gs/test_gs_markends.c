/* test_gs_markends.c -- gs_go_mark_end, where the model's marks end with
 * draws on, against where Go 1.19's marks ended in the retention
 * benchmark (vectors/markends.csv, from `cd scripts && /usr/bin/python3
 * -m slicebench.pacer --repo .. --vectors`; Go is not needed to run this).
 *
 *     test_gs_markends MARKENDS.csv [test name]
 *
 * Each row is one M of the check's matrices (cases whose allocations are
 * at most 32 KiB, so that one allocation moves a mark's end by at most a
 * hundredth of its runway) and one case, short or long roots, or alike
 * (headers of more than one part, where both end at one point): the
 * median fraction of the way from the trigger to the goal at which Go's
 * marks of that case ended, over every cycle of its processes. The
 * model's point for M x 24 B of kept headers must lie within 0.02 of it.
 */
#include "check.h"
#include "gs.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

static const char *csv_path;

#define HEADER "items,case,fraction,cycles"

/* The model's point, as a fraction of the way. */
static double point(size_t items, gs_go_mark_case_t c)
{
    return gs_go_mark_end(items * GS_GO_SLICE_HEADER_BYTES, c) / 65536.0;
}

static void ends_follow_go(void)
{
    check_csv_t r;
    char line[256];
    size_t rows = 0, cases[3] = {0, 0, 0};
    double worst = 0;
    check_csv_open(&r, csv_path, HEADER);
    while (check_csv_row(&r, line, sizeof line)) {
        unsigned long long items, cycles;
        char name[16], extra;
        double go, model;
        gs_go_mark_case_t c;
        if (sscanf(line, "%llu,%15[a-z],%lf,%llu%c", &items, name, &go, &cycles,
                   &extra) != 4 || items == 0 || go <= 0 || go >= 1 ||
            (strcmp(name, "short") != 0 && strcmp(name, "long") != 0 &&
             strcmp(name, "alike") != 0)) {
            fclose(r.f);
            CHECK_FAIL_("%s:%u: not a row: \"%s\"", csv_path, r.lineno, line);
        }
        /* alike: headers of more than one part, where both cases end at
         * the last part's start */
        c = name[0] == 'l' ? GS_GO_MARK_LONG_ROOTS : GS_GO_MARK_SHORT_ROOTS;
        model = point((size_t)items, c);
        if (name[0] == 'a' && (items * GS_GO_SLICE_HEADER_BYTES <= GS_GO_OBLET_BYTES ||
                               model != point((size_t)items, GS_GO_MARK_LONG_ROOTS))) {
            fclose(r.f);
            CHECK_FAIL_("%s:%u: M %llu: not headers of two parts or more",
                        csv_path, r.lineno, items);
        }
        if (fabs(model - go) > 0.02) {
            fclose(r.f);
            CHECK_FAIL_("%s:%u: M %llu, %s roots: Go's marks ended at %.4f of "
                        "the way, the model's at %.4f", csv_path, r.lineno,
                        items, name, go, model);
        }
        if (fabs(model - go) > worst) worst = fabs(model - go);
        cases[name[0] == 'a' ? 2 : c == GS_GO_MARK_LONG_ROOTS]++;
        rows++;
    }
    fclose(r.f);
    if (!r.seen_comment || !r.seen_header)
        CHECK_FAIL_("%s: needs a comment and a header", csv_path);
    printf("     %zu rows (%zu short, %zu long, %zu alike), the worst %.4f off\n",
           rows, cases[0], cases[1], cases[2], worst);
    /* both cases of headers in one part, and headers in more (M 8168) */
    CHECK(cases[0] >= 3 && cases[1] >= 2 && cases[2] >= 1);
}

/* The points without the vectors: the first assist ends where its credit
 * runs out (globals / all the work); short roots end there too when the
 * headers are one part; long roots, and short ones over more parts, where
 * the headers' last part starts. */
static void points(void)
{
    const double first = GS_GO_FIRST_ASSIST_WORK, roots = GS_GO_ROOTS_WORK;
    const size_t one = 43656, two = 196032;        /* M 1819 and 8168 */
    const double w1 = first + roots + one, w2 = first + roots + two;
    const double tail = two - GS_GO_OBLET_BYTES;   /* 64960 */
    CHECK_EQ_U(gs_go_mark_end(one, GS_GO_MARK_FIRST_ASSIST), (uint32_t)(first / w1 * 65536));
    CHECK_EQ_U(gs_go_mark_end(one, GS_GO_MARK_SHORT_ROOTS), (uint32_t)(first / w1 * 65536));
    CHECK_EQ_U(gs_go_mark_end(one, GS_GO_MARK_LONG_ROOTS),
               (uint32_t)((w1 - one) / w1 * 65536));
    CHECK_EQ_U(gs_go_mark_end(two, GS_GO_MARK_SHORT_ROOTS),
               (uint32_t)((w2 - tail) / w2 * 65536));
    CHECK_EQ_U(gs_go_mark_end(two, GS_GO_MARK_LONG_ROOTS),
               gs_go_mark_end(two, GS_GO_MARK_SHORT_ROOTS));
    CHECK_EQ_U(gs_go_mark_end(two, GS_GO_MARK_FIRST_ASSIST), (uint32_t)(first / w2 * 65536));
    /* the work before the stacks: the globals, and the heap they reach
     * (the roots less the stacks); past the first assist's point */
    CHECK_EQ_U(gs_go_mark_end(one, GS_GO_MARK_BEFORE_STACKS),
               (uint32_t)((w1 - GS_GO_STACKS_SCAN - one) / w1 * 65536));
    CHECK_EQ_U(gs_go_mark_end(two, GS_GO_MARK_BEFORE_STACKS),
               (uint32_t)((w2 - GS_GO_STACKS_SCAN - two) / w2 * 65536));
    CHECK(gs_go_mark_end(two, GS_GO_MARK_BEFORE_STACKS) >
          gs_go_mark_end(two, GS_GO_MARK_FIRST_ASSIST));
    /* no headers: the second assist, the roots, ends it in either case */
    CHECK_EQ_U(gs_go_mark_end(0, GS_GO_MARK_SHORT_ROOTS),
               (uint32_t)(first / (first + roots) * 65536));
    CHECK_EQ_U(gs_go_mark_end(0, GS_GO_MARK_LONG_ROOTS),
               gs_go_mark_end(0, GS_GO_MARK_SHORT_ROOTS));
    /* exactly one part, and one byte more: a last part of one byte */
    CHECK_EQ_U(gs_go_mark_end(GS_GO_OBLET_BYTES, GS_GO_MARK_SHORT_ROOTS),
               gs_go_mark_end(GS_GO_OBLET_BYTES, GS_GO_MARK_FIRST_ASSIST));
    CHECK(gs_go_mark_end(GS_GO_OBLET_BYTES + 1, GS_GO_MARK_SHORT_ROOTS) == 65535);
    /* any size: below the whole way */
    CHECK(gs_go_mark_end(SIZE_MAX, GS_GO_MARK_LONG_ROOTS) < 65536);
    CHECK(gs_go_mark_end(SIZE_MAX, GS_GO_MARK_FIRST_ASSIST) < 65536);
}

int main(int argc, char **argv)
{
    static const check_case_t cases[] = {
        CHECK_CASE(ends_follow_go),
        CHECK_CASE(points),
    };
    return check_main_input(argc, argv, cases, CHECK_COUNT(cases), &csv_path,
                            "MARKENDS.csv");
}
