/* retention_columns.h -- the results CSV's columns: the C side's one list.
 *
 * Schema 2 (results/README.md documents every column; the Python side's one
 * list is scripts/slicebench/schema.py, and tests/python/test_schema.py holds
 * the two equal through `slicebench-retention --schema`). One line per
 * column, in file order: X(identifier, "name"). Adding a column is one line
 * here plus the line in retention_rows.c that fills it.
 */
#ifndef SLICEBENCH_RETENTION_COLUMNS_H
#define SLICEBENCH_RETENTION_COLUMNS_H

#define RET_SCHEMA_VERSION 2

#define RET_COLUMNS(X)                                                      \
    X(RUN_ID, "run_id")                                                     \
    X(BENCHMARK, "benchmark")                                               \
    X(STRATEGY, "strategy")                                                 \
    X(ALLOCATOR, "allocator")                                               \
    X(SOURCE_BYTES, "source_bytes")                                         \
    X(KEPT_BYTES, "kept_bytes")                                             \
    X(KEPT_RULE, "kept_rule")                                               \
    X(ITEMS, "items")                                                       \
    X(ELEM_BYTES, "elem_bytes")                                             \
    X(GROWTH_POLICY, "growth_policy")                                       \
    X(REPETITION, "repetition")                                             \
    X(STATUS, "status")                                                     \
    X(MESSAGE, "message")                                                   \
    X(BATCHES, "batches")                                                   \
    X(REAL_TIME_PER_ITEM_NS, "real_time_per_item_ns")                       \
    X(CPU_TIME_PER_ITEM_NS, "cpu_time_per_item_ns")                         \
    X(ITEMS_PER_SECOND, "items_per_second")                                 \
    X(KEPT_BYTES_PER_SECOND, "kept_bytes_per_second")                       \
    X(PEAK_RSS_DELTA_BYTES, "peak_rss_delta_bytes")                         \
    X(GC, "gc")                                                             \
    X(GOGC, "gogc")                                                         \
    X(HELD_BYTES, "held_bytes")                                             \
    X(HELD_CAP_BYTES, "held_cap_bytes")                                     \
    X(HELD_RESERVED_BYTES, "held_reserved_bytes")                           \
    X(KEPT_HEADERS_BYTES, "kept_headers_bytes")                             \
    X(NEEDED_BYTES, "needed_bytes")                                         \
    X(AMPLIFICATION, "amplification")                                       \
    X(PEAK_RSS_AMPLIFICATION, "peak_rss_amplification")                     \
    X(ALLOCS_PER_ITEM, "allocs_per_item")                                   \
    X(PAGE_FAULTS_PER_ITEM, "page_faults_per_item")

#define RET_COLUMN_ENUM_(id, name) RET_COL_##id,
enum { RET_COLUMNS(RET_COLUMN_ENUM_) RET_NCOLS };
#undef RET_COLUMN_ENUM_

#endif /* SLICEBENCH_RETENTION_COLUMNS_H */
