/* retention_rows.c -- every reported run as one row of the results CSV
 * (schema version 1, results/README.md).
 *
 * Google Benchmark reports times per iteration, and an iteration here is a
 * batch of M items; the rows give everything per item. The memory counters
 * come from sb_memrun (peak RSS, allocations, faults) and from the
 * benchmark itself (held and needed bytes).
 */
#include "retention.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const columns[] = {
    "benchmark", "strategy", "allocator", "source_bytes", "kept_bytes",
    "kept_rule", "items", "elem_bytes", "growth_policy", "repetition",
    "aggregate", "status", "message", "iterations", "real_time_per_item_ns",
    "cpu_time_per_item_ns", "strategy_time_per_item_ns", "items_per_second",
    "kept_bytes_per_second", "peak_rss_delta_bytes", "held_bytes",
    "held_reserved_bytes", "needed_bytes", "amplification",
    "peak_rss_amplification", "allocs_per_item", "page_faults_per_item",
};
enum { NCOLS = sizeof columns / sizeof columns[0] };

/* ------------------------------------------------------------------------
 * What the sink remembers: the rule behind each (N, k), and the baseline
 * times the strategy times are taken against.
 * ------------------------------------------------------------------------ */

enum { MAX_RULES = 4096, MAX_BASELINES = 8192 };

static struct { uint64_t n, k; char rule[24]; } rules[MAX_RULES];
static size_t n_rules;

void ret_rows_note_rule(uint64_t n, uint64_t k, const char *rule)
{
    if (n_rules == MAX_RULES) return;   /* kept_rule then reads "" */
    rules[n_rules].n = n;
    rules[n_rules].k = k;
    snprintf(rules[n_rules].rule, sizeof rules[n_rules].rule, "%s", rule);
    n_rules++;
}

static const char *rule_of(uint64_t n, uint64_t k)
{
    for (size_t i = 0; i < n_rules; i++)
        if (rules[i].n == n && rules[i].k == k) return rules[i].rule;
    return "";
}

/* A case and a repetition (or an aggregate): the receive-only row of the
 * same key is the baseline. */
typedef struct key_s {
    int64_t args[5];          /* N, k, M, elem, growth */
    int64_t repetition;       /* -1 on aggregates      */
    char aggregate[16];
} run_key_t;

static struct { run_key_t key; double ns_per_item; } baselines[MAX_BASELINES];
static size_t n_baselines;

static int same_key(const run_key_t *a, const run_key_t *b)
{
    return memcmp(a->args, b->args, sizeof a->args) == 0 &&
           a->repetition == b->repetition &&
           strcmp(a->aggregate, b->aggregate) == 0;
}

/* ------------------------------------------------------------------------
 * One row
 * ------------------------------------------------------------------------ */

typedef struct cells_s {
    char buf[NCOLS][160];
    const char *cell[NCOLS];
} cells_t;

static void put(cells_t *c, int col, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void put(cells_t *c, int col, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(c->buf[col], sizeof c->buf[col], fmt, ap);
    va_end(ap);
    c->cell[col] = c->buf[col];
}

static void put_num(cells_t *c, int col, double v)
{
    put(c, col, "%.10g", v);
}

/* A counter, or an empty cell when the run has none of that name. */
static int counter(const bm_run_t *r, const char *name, double *v)
{
    int found;
    *v = bm_run_counter(r, name, &found);
    return found;
}

static void row_of(const bm_run_t *r, const ret_rows_t *rows, cells_t *c)
{
    enum { N, K, M, ELEM, GROWTH };
    static const char *const arg_names[] = {"N", "k", "M", "elem", "growth"};
    const int cv = r->aggregate_is_fraction;             /* every figure a cv */
    const int spread = cv || strcmp(r->aggregate, "stddev") == 0;
    const char *allocator = sb_meta_get(rows->meta, "allocator");
    const char *policy;
    int64_t a[5] = {0};
    double m, needed, v, held;
    run_key_t key;

    memset(c, 0, sizeof *c);
    for (size_t i = 0; i < r->n_args; i++)
        for (int j = 0; j < 5; j++)
            if (strcmp(r->arg_names[i], arg_names[j]) == 0) a[j] = r->arg_values[i];
    m = a[M] > 0 ? (double)a[M] : 1;
    needed = (double)a[M] * (double)a[K];
    policy = gs_policy_name((gs_policy_t)a[GROWTH]);

    put(c, 0, "%s", r->name);
    put(c, 1, "%s", r->family);
    put(c, 2, "%s", allocator ? allocator : "");
    put(c, 3, "%lld", (long long)a[N]);
    put(c, 4, "%lld", (long long)a[K]);
    put(c, 5, "%s", rule_of((uint64_t)a[N], (uint64_t)a[K]));
    put(c, 6, "%lld", (long long)a[M]);
    put(c, 7, "%lld", (long long)a[ELEM]);
    put(c, 8, "%s", policy ? policy : "");
    if (r->aggregate[0] == '\0') put(c, 9, "%lld", (long long)r->repetition);
    put(c, 10, "%s", r->aggregate);
    put(c, 11, "%s", r->skipped ? "skipped" : "ok");
    put(c, 12, "%s", r->skipped ? r->error : r->label);
    put(c, 13, "%lld", (long long)r->iterations);
    if (r->skipped) return;

    /* times: per batch from Google Benchmark, per item here */
    put_num(c, 14, cv ? r->real_ns : r->real_ns / m);
    put_num(c, 15, cv ? r->cpu_ns : r->cpu_ns / m);
    memcpy(key.args, a, sizeof key.args);
    key.repetition = r->repetition;
    snprintf(key.aggregate, sizeof key.aggregate, "%s", r->aggregate);
    if (!spread) {
        if (strcmp(r->family, "receive-only") == 0) {
            if (n_baselines < MAX_BASELINES) {
                baselines[n_baselines].key = key;
                baselines[n_baselines].ns_per_item = r->real_ns / m;
                n_baselines++;
            }
            put_num(c, 16, 0);
        } else {
            for (size_t i = 0; i < n_baselines; i++)
                if (same_key(&baselines[i].key, &key))
                    put_num(c, 16, r->real_ns / m - baselines[i].ns_per_item);
        }
    }
    if (counter(r, "items_per_second", &v)) put_num(c, 17, v);
    if (counter(r, "kept_bytes_per_second", &v)) put_num(c, 18, v);

    /* memory: whole-batch figures; ratios over the (constant) needed bytes */
    if (counter(r, SB_PEAK_RSS, &v)) {
        put_num(c, 19, v);
        if (needed > 0) put_num(c, 24, cv ? v : v / needed);
    }
    if (counter(r, "held_bytes", &held)) {
        put_num(c, 20, held);
        if (needed > 0) put_num(c, 23, cv ? held : held / needed);
    }
    if (counter(r, "held_reserved_bytes", &v)) put_num(c, 21, v);
    put_num(c, 22, spread ? 0 : needed);
    if (counter(r, SB_ALLOCS, &v)) put_num(c, 25, cv ? v : v / m);
    if (counter(r, SB_FAULTS, &v)) put_num(c, 26, cv ? v : v / m);
}

void ret_rows_sink(const bm_run_t *run, void *ud)
{
    ret_rows_t *rows = ud;
    cells_t c;
    int rc;
    row_of(run, rows, &c);
    if (rows->opt->no_csv || rows->error) return;
    if (rows->csv.fd < 0) {
        rc = sb_csv_create(&rows->csv, rows->dir, rows->stem, rows->meta,
                           NCOLS, columns);
        if (rc) {
            fprintf(stderr, "slicebench-retention: cannot create a results file "
                    "in %s: %s\n", rows->dir, strerror(-rc));
            exit(1);
        }
    }
    rc = sb_csv_row(&rows->csv, c.cell);
    if (rc) {
        rows->error = rc;
        fprintf(stderr, "slicebench-retention: cannot write to %s: %s "
                "(the file keeps the %zu rows before)\n", rows->csv.path,
                strerror(-rc), rows->rows);
        exit(1);
    }
    rows->rows++;
}
