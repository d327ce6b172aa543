/* keep.h -- ways of keeping k bytes of each of M received N-byte buffers.
 *
 * The scenario of the retention benchmark, on the Go slice model: a
 * long-running program receives M buffers of N bytes and keeps k bytes of
 * each. Each strategy is a Go idiom; KEEP_STRATEGIES below is the list of
 * them, the one source every other list derives from (the enum here; the
 * names, idioms, keep and expected-peak functions in keep.c's table; the
 * retention binary's flags; the Python side checks itself against it).
 *
 * A batch receives M items: for each, the source is made (make([]T, N/elem),
 * zeroed as Go's allocator zeroes it) and filled (as a read fills it), kept
 * by the strategy, and the program's own reference to it dropped. At the
 * end of the batch, the kept handles are what the program holds.
 *
 * A strategy that accumulates appends every item's k bytes to one slice,
 * acc, and takes keep[i] = acc[i*k:(i+1)*k] after the last append, because
 * a view taken while acc can still grow would pin each outgrown array.
 *
 * Errors: 0 or a negative errno, as everywhere in the harness. A failed
 * batch releases what it made, so the heap is empty again.
 */
#ifndef SLICEBENCH_KEEP_H
#define SLICEBENCH_KEEP_H

#include <stddef.h>
#include <stdint.h>

#include "gs.h"

/* ------------------------------------------------------------------------
 * The strategy table
 *
 * One row per strategy: X(ID, name, keep, peak, acc, idiom), where
 *   ID     the enum constant's suffix: KEEP_<ID>
 *   name   what flags, results files and plots call it
 *   keep   its function in keep.c that keeps one item (strategies may share
 *          one)
 *   peak   its function in keep.c that computes keep_expected_peak
 *   acc    KEEP_ACC_NONE: every item kept on its own; KEEP_ACC_NIL: items
 *          appended to one acc that starts nil; KEEP_ACC_PRESIZED: to one
 *          acc that starts as make([]T, 0, M*k)
 *   idiom  the Go it stands for, one line
 * Adding a strategy: one row here, its keep and peak functions in keep.c,
 * its expectations in tests/retention/test_keep.c, and its line in
 * scripts/slicebench/schema.py, which a test holds equal to this table.
 * ------------------------------------------------------------------------ */

#define KEEP_ACC_NONE 0
#define KEEP_ACC_NIL 1
#define KEEP_ACC_PRESIZED 2

#define KEEP_STRATEGIES(X)                                                   \
    X(RECEIVE_ONLY, "receive-only",                                          \
      keep_receive_only, peak_receive_only, KEEP_ACC_NONE,                   \
      "receive, keep nothing (the baseline)")                                \
    X(RETAIN, "retain",                                                      \
      keep_retain, peak_retain, KEEP_ACC_NONE,                               \
      "keep[i] = b[:k]: pins all of b")                                      \
    X(COPY, "copy",                                                          \
      keep_copy, peak_copy, KEEP_ACC_NONE,                                   \
      "keep[i] = make([]T, k); copy(keep[i], b)")                            \
    X(APPEND, "append",                                                      \
      keep_append, peak_append, KEEP_ACC_NIL,                                \
      "acc = append(acc, b[:k]...) from nil; keep views of acc")             \
    X(EXACTCAP, "exactcap",                                                  \
      keep_append, peak_exactcap, KEEP_ACC_PRESIZED,                         \
      "acc = make([]T, 0, M*k); acc = append(acc, b[:k]...)")                \
    X(APPEND_NIL, "append-nil",                                              \
      keep_append_nil, peak_append_nil, KEEP_ACC_NONE,                       \
      "keep[i] = append([]T(nil), b[:k]...)")                                \
    X(APPEND_EACH, "append-each",                                            \
      keep_append_each, peak_append_each, KEEP_ACC_NONE,                     \
      "keep[i] = append(keep[i], b[j]) for each j < k")

#define KEEP_ENUM_ROW_(id, name, keep, peak, acc, idiom) KEEP_##id,
typedef enum keep_strategy_e {
    KEEP_STRATEGIES(KEEP_ENUM_ROW_)
    KEEP_STRATEGY_COUNT
} keep_strategy_t;
#undef KEEP_ENUM_ROW_

/* The names above ("receive-only", "retain", ...), NULL if not a strategy. */
const char *keep_strategy_name(keep_strategy_t s);

/* The Go idiom a strategy stands for, one line; NULL if not a strategy. */
const char *keep_strategy_idiom(keep_strategy_t s);

/* 1 when the strategy appends every item into one array (acc is not
 * KEEP_ACC_NONE), 0 when it keeps each item on its own or is no strategy. */
int keep_strategy_accumulates(keep_strategy_t s);

/* A name to a strategy; -EINVAL when there is none of that name. */
int keep_strategy_parse(const char *name, keep_strategy_t *out);

typedef struct keep_case_s {
    size_t source_bytes;   /* N: bytes of each received buffer            */
    size_t kept_bytes;     /* k: bytes kept of each, k <= N                */
    size_t items;          /* M: buffers per batch                         */
    size_t elem;           /* bytes per element; N and k are multiples     */
} keep_case_t;

/* The largest N, and M x k, a case may have: Go's own limit on one
 * allocation on 64-bit platforms (maxAlloc, 2^48 bytes). */
#define KEEP_MAX_BYTES (UINT64_C(1) << 48)

/* 0 when the case makes sense: every size > 0, k <= N, N and k multiples
 * of elem; -EINVAL otherwise. -EOVERFLOW when N or M x k is over
 * KEEP_MAX_BYTES. */
int keep_case_check(const keep_case_t *c);

/* What the process will hold at most while a batch of strategy s runs,
 * in bytes: the model's arrays at their worst moment (the kept arrays,
 * plus the source in flight, plus both arrays during a growth), each
 * with an allowance for the allocator's own rounding, and the M kept
 * slice headers at Go's size. An estimate for
 * budgets and the memory guard, never a measured figure. */
int keep_expected_peak(const keep_case_t *c, gs_policy_t policy,
                       keep_strategy_t s, uint64_t *bytes);

/* The largest M <= max_items for which every strategy's expected peak
 * (keep_expected_peak) of case c with c->items = M is at most budget
 * bytes, into *items; 0 when not even M = 1 fits. c->items is ignored.
 * The rule that chooses M from the case alone, whatever strategies run.
 * -EINVAL/-EOVERFLOW as keep_case_check for the case with M = 1. */
int keep_items_for(const keep_case_t *c, gs_policy_t policy, uint64_t budget,
                   size_t max_items, size_t *items);

/* The figures of a batch, read just before its kept items are released. */
typedef struct keep_held_s {
    size_t held_bytes;            /* cap x elem of every live array        */
    size_t go_held_bytes;         /* what Go's heap holds for them (size
                                     classes, pages, tiny blocks)          */
    size_t held_reserved_bytes;   /* their allocator-reserved size         */
    size_t referenced_bytes;      /* len x elem of every kept handle       */
    size_t live_arrays;           /* arrays still alive                    */
    uint64_t grows;               /* reallocations by append in the batch  */
} keep_held_t;

/* keep_batch's fill that leaves the sources unwritten (as Go's heldBytes
 * rounds leave them): their fresh pages are never faulted in (the heap is
 * told so: gs_heap_set_unwritten). */
#define KEEP_UNFILLED (~0u)

/* One batch: receive c->items buffers and keep them by strategy s in
 * keep[0..c->items), with every array made on heap h (whose policy is the
 * growth policy). keep must hold c->items handles, all nil. On return the
 * kept handles are live and *held describes them; release them with
 * keep_release. On error nothing stays allocated and keep is all nil.
 * fill is the first byte value written into the sources (it varies by
 * item, so no two sources are alike), or KEEP_UNFILLED. */
int keep_batch(gs_heap_t *h, const keep_case_t *c, keep_strategy_t s,
               gs_slice_t *keep, unsigned fill, keep_held_t *held);

/* Release the n kept handles of heap h (each becomes nil): the program
 * drops what it kept in its slice of slices, heap memory in Go, so in GC
 * mode what they free survives a cycle under way (gs_heap_set_heap_refs). */
void keep_release(gs_heap_t *h, gs_slice_t *keep, size_t n);

#endif /* SLICEBENCH_KEEP_H */
