/* test_gs_consmark.c -- gs_go_pacer_next, the model's cons/mark controller,
 * against Go 1.19's own, cycle by cycle (vectors/gen_consmark.go; Go is not
 * needed to run this).
 *
 *     test_gs_consmark CONSMARK.csv [test name]
 *
 * Each row is one cycle of a Go process: the mark's share of the one P
 * (util_pct, truncated to a percent), its scan work, the heap at its start
 * and end, and the estimate it started with. A cycle measures
 * (live - triggered) / scan_work x u / (1 - u); the next row's estimate is
 * what Go's controller made of it. The controller's integral term is not
 * printed, so each check takes two cycles: from row i's estimate, the
 * integral that turns cycle i's measure into row i+1's estimate (found by
 * a first step from a zero integral: the controller is linear there), then
 * a step with cycle i+1's measure must give row i+2's estimate. Go prints
 * u truncated: the measures take u + 0.5 %, and each check allows what
 * that half percent can move them, plus the printed estimate's rounding
 * (7 digits). Cycles at 90 % or more, where it moves them most, are left
 * out. Go's constants pass these rows with room (the worst check uses 0.71
 * of its allowance); kp 0.8, ti 3, or no integral term fail from the
 * first checks on.
 */
#include "check.h"
#include "gs.h"

#include <math.h>
#include <stdio.h>

static const char *csv_path;

#define HEADER "util_pct,scan_work,triggered,live,cons_mark"
#define MAX_ROWS 4096

typedef struct row_s {
    double u, measure, err, cons_mark;
} row_t;

static row_t rows[MAX_ROWS];

/* The cycles of the vectors, with their measures and the relative error
 * the truncated u can put in them. */
static size_t read_rows(void)
{
    check_csv_t r;
    char line[256];
    size_t n = 0;
    check_csv_open(&r, csv_path, HEADER);
    while (check_csv_row(&r, line, sizeof line)) {
        unsigned pct;
        unsigned long long work, trig, live;
        double cm, u;
        char extra;
        if (sscanf(line, "%u,%llu,%llu,%llu,%lf%c", &pct, &work, &trig, &live,
                   &cm, &extra) != 5 || pct >= 100 || work == 0 || live < trig ||
            n == MAX_ROWS) {
            fclose(r.f);
            CHECK_FAIL_("%s:%u: not a row: \"%s\"", csv_path, r.lineno, line);
        }
        u = (pct + 0.5) / 100.0;
        rows[n].u = u;
        rows[n].measure = (double)(live - trig) / (double)work * u / (1.0 - u);
        rows[n].err = 0.005 * (1.0 / u + 1.0 / (1.0 - u)) * 1.2;
        rows[n].cons_mark = cm;
        n++;
    }
    fclose(r.f);
    if (!r.seen_comment || !r.seen_header)
        CHECK_FAIL_("%s: needs a comment and a header", csv_path);
    return n;
}

static void controller_follows_go(void)
{
    size_t n = read_rows(), i, checks = 0;
    double worst = 0;
    for (i = 0; i + 2 < n; i++) {
        const row_t *a = &rows[i], *b = &rows[i + 1], *c = &rows[i + 2];
        gs_go_pacer_t p = { a->cons_mark, 0 };
        double tol, off;
        if (a->u >= 0.9 || b->u >= 0.9) continue;
        CHECK_OK(gs_go_pacer_next(&p, a->measure));       /* integral 0 */
        p.integral = b->cons_mark - p.cons_mark;          /* the one Go had */
        p.cons_mark = a->cons_mark;
        CHECK_OK(gs_go_pacer_next(&p, a->measure));
        CHECK(fabs(p.cons_mark - b->cons_mark) <= 1e-9 * (1 + fabs(b->cons_mark)));
        CHECK_OK(gs_go_pacer_next(&p, b->measure));
        tol = 0.9 * fabs(b->measure) * b->err + 0.675 * fabs(a->measure) * a->err +
              1e-3 * (fabs(c->cons_mark) > 1 ? fabs(c->cons_mark) : 1);
        off = fabs(p.cons_mark - c->cons_mark);
        if (off > tol)
            CHECK_FAIL_("%s: cycle %zu: Go's estimate %.6g, the model's %.6g "
                        "(allowed %.3g)", csv_path, i + 3, c->cons_mark,
                        p.cons_mark, tol);
        if (off / tol > worst) worst = off / tol;
        checks++;
    }
    printf("     %zu rows, %zu checks, the worst at %.2f of its allowance\n", n,
           checks, worst);
    CHECK(checks >= 50);
}

/* The controller's fixed points, without the vectors. */
static void controller_limits(void)
{
    gs_go_pacer_t p = { 0, 0 };
    CHECK_EQ_I(gs_go_pacer_next(NULL, 1.0), -EINVAL);
    /* first step from rest: kp x the measure; the integral kp/ti of it */
    CHECK_OK(gs_go_pacer_next(&p, 10.0));
    CHECK(fabs(p.cons_mark - 9.0) < 1e-12 && fabs(p.integral - 2.25) < 1e-12);
    /* a fall below the estimate can take it negative (Go's runway then
     * exceeds every goal: the earliest trigger) */
    CHECK_OK(gs_go_pacer_next(&p, 0.0));
    CHECK(p.cons_mark < 0);
    /* clamped to +-1000, the excess fed back over tt = 1000 cycles */
    p.cons_mark = p.integral = 0;
    CHECK_OK(gs_go_pacer_next(&p, 1e6));
    CHECK(p.cons_mark == 1000.0);
    CHECK(fabs(p.integral - (0.225e6 + (1000.0 - 0.9e6) / 1000.0)) < 1e-6);
    /* overflow resets it, the estimate 0, as Go */
    CHECK_EQ_I(gs_go_pacer_next(&p, INFINITY), -ERANGE);
    CHECK(p.cons_mark == 0 && p.integral == 0);
    CHECK_EQ_I(gs_go_pacer_next(&p, NAN), -ERANGE);
    CHECK(p.cons_mark == 0 && p.integral == 0);
}

int main(int argc, char **argv)
{
    static const check_case_t cases[] = {
        CHECK_CASE(controller_follows_go),
        CHECK_CASE(controller_limits),
    };
    return check_main_input(argc, argv, cases, CHECK_COUNT(cases), &csv_path,
                            "CONSMARK.csv");
}
