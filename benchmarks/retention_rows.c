/* retention_rows.c -- each measurement as one row of the results CSV
 * (schema 2, retention_columns.h; documented in results/README.md).
 *
 * A row is written as soon as its measurement is made, so a run stopped
 * halfway keeps every measurement it finished. Everything is per item; the
 * figures that need other rows (a strategy's time over receiving alone,
 * medians over repetitions) are the readers' to compute.
 */
#include "retention.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#define RET_COLUMN_NAME_(id, name) name,
const char *const ret_columns[RET_NCOLS] = {RET_COLUMNS(RET_COLUMN_NAME_)};
#undef RET_COLUMN_NAME_

typedef struct cells_s {
    char buf[RET_NCOLS][256];
    const char *cell[RET_NCOLS];
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

int ret_rows_write(ret_rows_t *rows, const ret_case_t *rc, int64_t rep,
                   const ret_result_t *r)
{
    const char *allocator = sb_meta_get(rows->meta, "allocator");
    const char *run_id = sb_meta_get(rows->meta, "run_id");
    const double m = (double)rc->c.items;
    const double needed = m * (double)rc->c.kept_bytes;
    size_t headers = 0, per = 1;
    cells_t c;
    int err;

    memset(&c, 0, sizeof c);
    put(&c, RET_COL_RUN_ID, "%s", run_id ? run_id : "");
    put(&c, RET_COL_BENCHMARK, "%s", rc->name);
    put(&c, RET_COL_STRATEGY, "%s", keep_strategy_name(rc->strategy));
    put(&c, RET_COL_ALLOCATOR, "%s", allocator ? allocator : "");
    put(&c, RET_COL_SOURCE_BYTES, "%zu", rc->c.source_bytes);
    put(&c, RET_COL_KEPT_BYTES, "%zu", rc->c.kept_bytes);
    put(&c, RET_COL_KEPT_RULE, "%s", rc->rule);
    put(&c, RET_COL_ITEMS, "%zu", rc->c.items);
    put(&c, RET_COL_ELEM_BYTES, "%zu", rc->c.elem);
    put(&c, RET_COL_GROWTH_POLICY, "%s", gs_policy_name(rc->growth));
    put(&c, RET_COL_GC, "%s", gs_gc_name(rc->gc));
    if (rc->gc == GS_GC_GO) put(&c, RET_COL_GOGC, "%u", rc->gogc);
    /* the M headers of the kept slices, in a [][]T as Go holds it (they
     * hold pointers, so never in a tiny block) */
    if (rc->strategy != KEEP_RECEIVE_ONLY &&
        gs_go_alloc_size(rc->c.items * GS_GO_SLICE_HEADER_BYTES, 0, &headers, &per) == 0)
        put(&c, RET_COL_KEPT_HEADERS_BYTES, "%zu", headers);
    put(&c, RET_COL_REPETITION, "%lld", (long long)rep);
    put(&c, RET_COL_STATUS, "%s", r->ok ? "ok" : r->failed ? "failed" : "skipped");
    put(&c, RET_COL_MESSAGE, "%s", r->message);
    put_num(&c, RET_COL_NEEDED_BYTES, needed);
    if (r->ok) {
        put(&c, RET_COL_BATCHES, "%lld", (long long)r->batches);
        put_num(&c, RET_COL_REAL_TIME_PER_ITEM_NS, r->real_ns);
        put_num(&c, RET_COL_CPU_TIME_PER_ITEM_NS, r->cpu_ns);
        if (r->real_ns > 0) {
            put_num(&c, RET_COL_ITEMS_PER_SECOND, 1e9 / r->real_ns);
            put_num(&c, RET_COL_KEPT_BYTES_PER_SECOND,
                    1e9 / r->real_ns * (double)rc->c.kept_bytes);
        }
        if (r->has_peak) {
            put_num(&c, RET_COL_PEAK_RSS_DELTA_BYTES, r->peak_rss_delta);
            put_num(&c, RET_COL_PEAK_RSS_AMPLIFICATION, r->peak_rss_delta / needed);
        }
        put_num(&c, RET_COL_HELD_BYTES, r->held_bytes);
        put_num(&c, RET_COL_HELD_CAP_BYTES, r->held_cap);
        put_num(&c, RET_COL_HELD_RESERVED_BYTES, r->held_reserved);
        put_num(&c, RET_COL_AMPLIFICATION, r->held_bytes / needed);
        put_num(&c, RET_COL_ALLOCS_PER_ITEM, r->allocs_per_item);
        put_num(&c, RET_COL_PAGE_FAULTS_PER_ITEM, r->faults_per_item);
    }

    err = sb_csv_row(&rows->csv, c.cell);
    if (err) return err;
    rows->rows++;
    return 0;
}
