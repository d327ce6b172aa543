/* keep.h -- ways of keeping k bytes of each of M received N-byte buffers.
 *
 * The scenario of the retention benchmark, on the Go slice model: a
 * long-running program receives M buffers of N bytes and keeps k bytes of
 * each. Each strategy is a Go idiom:
 *
 *   receive-only  (baseline) receive, keep nothing
 *   retain        keep[i] = b[:k]                  pins all of b
 *   copy          keep[i] = make([]T, k); copy(keep[i], b)
 *   append        acc = append(acc, b[:k]...) from a nil acc; at the end
 *                 keep[i] = acc[i*k:(i+1)*k]       one array, grown by policy
 *   exactcap      the same, acc = make([]T, 0, M*k) first
 *   append-nil    keep[i] = append([]T(nil), b[:k]...)
 *   append-each   keep[i] = append(keep[i], b[j]) for each element j < k
 *
 * A batch receives M items: for each, the source is made (make([]T, N/elem),
 * zeroed as Go's allocator zeroes it) and filled (as a read fills it), kept
 * by the strategy, and the program's own reference to it dropped. At the
 * end of the batch, the kept handles are what the program holds.
 *
 * The append and exactcap views are taken after the last append, because a
 * view taken while acc can still grow would pin each outgrown array.
 *
 * Errors: 0 or a negative errno, as everywhere in the harness. A failed
 * batch releases what it made, so the heap is empty again.
 */
#ifndef SLICEBENCH_KEEP_H
#define SLICEBENCH_KEEP_H

#include <stddef.h>
#include <stdint.h>

#include "gs.h"

typedef enum keep_strategy_e {
    KEEP_RECEIVE_ONLY,
    KEEP_RETAIN,
    KEEP_COPY,
    KEEP_APPEND,
    KEEP_EXACTCAP,
    KEEP_APPEND_NIL,
    KEEP_APPEND_EACH,
    KEEP_STRATEGY_COUNT
} keep_strategy_t;

/* The names above ("receive-only", "retain", ...), NULL if not a strategy. */
const char *keep_strategy_name(keep_strategy_t s);

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
 * with an allowance for the allocator's own rounding. An estimate for
 * budgets and the memory guard, never a measured figure. */
int keep_expected_peak(const keep_case_t *c, gs_policy_t policy,
                       keep_strategy_t s, uint64_t *bytes);

/* The figures of a batch, read just before its kept items are released. */
typedef struct keep_held_s {
    size_t held_bytes;            /* cap x elem of every live array        */
    size_t held_reserved_bytes;   /* their allocator-reserved size         */
    size_t referenced_bytes;      /* len x elem of every kept handle       */
    size_t live_arrays;           /* arrays still alive                    */
    uint64_t grows;               /* reallocations by append in the batch  */
} keep_held_t;

/* One batch: receive c->items buffers and keep them by strategy s in
 * keep[0..c->items), with every array made on heap h (whose policy is the
 * growth policy). keep must hold c->items handles, all nil. On return the
 * kept handles are live and *held describes them; release them with
 * keep_release. On error nothing stays allocated and keep is all nil.
 * fill is the first byte value written into the sources (it varies by
 * item, so no two sources are alike). */
int keep_batch(gs_heap_t *h, const keep_case_t *c, keep_strategy_t s,
               gs_slice_t *keep, unsigned fill, keep_held_t *held);

/* Release the n kept handles (each becomes nil). */
void keep_release(gs_slice_t *keep, size_t n);

#endif /* SLICEBENCH_KEEP_H */
