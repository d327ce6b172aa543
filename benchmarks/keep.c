/* keep.c -- the strategies of keep.h on the Go slice model. */
#include "keep.h"

#include <errno.h>
#include <string.h>

#include "bm.h"

/* One strategy's functions, per item and per case. */
typedef int keep_fn(gs_heap_t *h, gs_slice_t *src, size_t ke, gs_slice_t *kept,
                    gs_slice_t *acc);
typedef int peak_fn(const keep_case_t *c, gs_policy_t p, uint64_t *bytes);

/* The table rows of keep.h, with their functions (defined below). */
typedef struct row_s {
    const char *name;
    const char *idiom;
    keep_fn *keep;       /* keep one item: in *kept, or appended to *acc   */
    peak_fn *peak;       /* keep_expected_peak, for a checked case         */
    int acc;             /* KEEP_ACC_*                                     */
} row_t;

#define DECLARE_(id, name, keep, peak, acc, idiom) \
    static keep_fn keep;                           \
    static peak_fn peak;
KEEP_STRATEGIES(DECLARE_)
#undef DECLARE_

#define ROW_(id, name, keep, peak, acc, idiom) {name, idiom, keep, peak, acc},
static const row_t table[KEEP_STRATEGY_COUNT] = {KEEP_STRATEGIES(ROW_)};
#undef ROW_

static const row_t *row(keep_strategy_t s)
{
    return (unsigned)s < KEEP_STRATEGY_COUNT ? &table[s] : NULL;
}

const char *keep_strategy_name(keep_strategy_t s)
{
    return row(s) ? row(s)->name : NULL;
}

const char *keep_strategy_idiom(keep_strategy_t s)
{
    return row(s) ? row(s)->idiom : NULL;
}

int keep_strategy_accumulates(keep_strategy_t s)
{
    return row(s) ? row(s)->acc != KEEP_ACC_NONE : 0;
}

int keep_strategy_parse(const char *name, keep_strategy_t *out)
{
    for (unsigned i = 0; name && i < KEEP_STRATEGY_COUNT; i++)
        if (strcmp(name, table[i].name) == 0) {
            *out = (keep_strategy_t)i;
            return 0;
        }
    return -EINVAL;
}

int keep_case_check(const keep_case_t *c)
{
    if (c == NULL || c->elem == 0 || c->source_bytes == 0 ||
        c->kept_bytes == 0 || c->items == 0)
        return -EINVAL;
    if (c->kept_bytes > c->source_bytes) return -EINVAL;
    if (c->source_bytes % c->elem || c->kept_bytes % c->elem) return -EINVAL;
    /* overflow checks: N, and M x k, within what Go could allocate */
    if (c->source_bytes > KEEP_MAX_BYTES) return -EOVERFLOW;
    if (c->items > KEEP_MAX_BYTES / c->kept_bytes) return -EOVERFLOW;
    return 0;
}

/* ------------------------------------------------------------------------
 * Expected peak
 * ------------------------------------------------------------------------ */

/* A block of b bytes as the allocator may hold it: small blocks round up
 * to a size class (at most a quarter more, plus a header), large ones to
 * whole pages plus one. Inputs stay far below 2^62, so no overflow. */
static uint64_t est(uint64_t b)
{
    if (b == 0) return 0;
    if (b < 4096) return b + b / 4 + 32;
    return (b + 4095) / 4096 * 4096 + 4096;
}

/* a * b + c, or -EOVERFLOW past 2^62 (an overflow check: sums of these
 * must still fit in 64 bits). */
static int mul_add(uint64_t a, uint64_t b, uint64_t c, uint64_t *out)
{
    const uint64_t limit = UINT64_C(1) << 62;
    if (b != 0 && a > limit / b) return -EOVERFLOW;
    if (a * b > limit - c) return -EOVERFLOW;
    *out = a * b + c;
    return 0;
}

/* The capacity each item's append-each ends with, and the one before it:
 * the last growth holds both arrays at once. */
static int each_caps(gs_policy_t p, size_t ke, size_t elem, size_t *last,
                     size_t *before)
{
    size_t cap = 0, prev = 0;
    while (cap < ke) {
        size_t next;
        int rc = gs_next_cap(p, cap, cap + 1, elem, &next);
        if (rc) return rc;
        prev = cap;
        cap = next;
    }
    *last = cap;
    *before = prev;
    return 0;
}

/* The expected peaks, one per strategy; the case is checked. */

static int peak_receive_only(const keep_case_t *c, gs_policy_t p,
                             uint64_t *bytes)
{
    (void)p;
    *bytes = est(c->source_bytes);
    return 0;
}

static int peak_retain(const keep_case_t *c, gs_policy_t p, uint64_t *bytes)
{
    (void)p;                      /* the last source is one of the M */
    return mul_add(c->items, est(c->source_bytes), 0, bytes);
}

static int peak_copy(const keep_case_t *c, gs_policy_t p, uint64_t *bytes)
{
    (void)p;
    return mul_add(c->items, est(c->kept_bytes), est(c->source_bytes), bytes);
}

static int peak_exactcap(const keep_case_t *c, gs_policy_t p, uint64_t *bytes)
{
    (void)p;
    return mul_add(1, est((uint64_t)c->items * c->kept_bytes),
                   est(c->source_bytes), bytes);
}

/* Worst moment: the old and the new array at once, during a growth. One
 * growth per step, at the first item that no longer fits: O(log M) steps,
 * since every growth at least adds an item. */
static int peak_append(const keep_case_t *c, gs_policy_t p, uint64_t *bytes)
{
    const size_t ke = c->kept_bytes / c->elem;
    size_t cap = 0, next;
    uint64_t worst = 0;
    while (cap / ke < c->items) {
        uint64_t both;
        int rc = gs_next_cap(p, cap, (cap / ke + 1) * ke, c->elem, &next);
        if (rc) return rc;
        both = est((uint64_t)cap * c->elem) + est((uint64_t)next * c->elem);
        if (both > worst) worst = both;
        cap = next;
    }
    return mul_add(1, worst, est(c->source_bytes), bytes);
}

static int peak_append_nil(const keep_case_t *c, gs_policy_t p,
                           uint64_t *bytes)
{
    size_t next;
    int rc = gs_next_cap(p, 0, c->kept_bytes / c->elem, c->elem, &next);
    if (rc) return rc;
    return mul_add(c->items, est((uint64_t)next * c->elem),
                   est(c->source_bytes), bytes);
}

static int peak_append_each(const keep_case_t *c, gs_policy_t p,
                            uint64_t *bytes)
{
    size_t last, before;
    int rc = each_caps(p, c->kept_bytes / c->elem, c->elem, &last, &before);
    if (rc) return rc;
    return mul_add(c->items, est((uint64_t)last * c->elem),
                   est(c->source_bytes) + est((uint64_t)before * c->elem),
                   bytes);
}

int keep_expected_peak(const keep_case_t *c, gs_policy_t policy,
                       keep_strategy_t s, uint64_t *bytes)
{
    int rc = keep_case_check(c);
    if (rc) return rc;
    if (row(s) == NULL) return -EINVAL;
    rc = row(s)->peak(c, policy, bytes);
    if (rc) return rc;
    /* the M kept slice headers are the run's memory too, counted as Go
     * holds them (GS_GO_SLICE_HEADER_BYTES each) so that Go's benchmarks choose
     * the same M; M x k <= 2^48, so this stays far below 2^62 (overflow) */
    *bytes += (uint64_t)c->items * GS_GO_SLICE_HEADER_BYTES;
    return 0;
}

int keep_items_for(const keep_case_t *c, gs_policy_t policy, uint64_t budget,
                   size_t max_items, size_t *items)
{
    keep_case_t t;
    size_t lo = 0, hi = max_items;
    int rc;
    if (c == NULL || items == NULL) return -EINVAL;
    t = *c;
    t.items = 1;
    rc = keep_case_check(&t);
    if (rc) return rc;
    while (lo < hi) {          /* the largest M that fits, by bisection */
        size_t mid = lo + (hi - lo + 1) / 2;
        int fits = 1;
        t.items = mid;
        for (unsigned s = 0; s < KEEP_STRATEGY_COUNT && fits; s++) {
            uint64_t peak;
            fits = keep_expected_peak(&t, policy, (keep_strategy_t)s,
                                      &peak) == 0 && peak <= budget;
        }
        if (fits) lo = mid;
        else hi = mid - 1;
    }
    *items = lo;
    return 0;
}

/* ------------------------------------------------------------------------
 * A batch
 * ------------------------------------------------------------------------ */

void keep_release(gs_heap_t *h, gs_slice_t *keep, size_t n)
{
    (void)gs_heap_set_heap_refs(h, 1);
    /* a handle with no array is nil already (gs.h: releasing it is a
     * no-op), as every one is after receive-only: no call for those */
    for (size_t i = 0; i < n; i++)
        if (keep[i].array != NULL) gs_release(&keep[i]);
    (void)gs_heap_set_heap_refs(h, 0);
}

/* The keep functions: k elements (ke) of src in *kept (nil on entry), or
 * appended to *acc. */

static int keep_receive_only(gs_heap_t *h, gs_slice_t *src, size_t ke,
                             gs_slice_t *kept, gs_slice_t *acc)
{
    (void)h, (void)src, (void)ke, (void)kept, (void)acc;
    return 0;
}

static int keep_retain(gs_heap_t *h, gs_slice_t *src, size_t ke,
                       gs_slice_t *kept, gs_slice_t *acc)
{
    (void)h, (void)acc;
    return gs_sub(src, 0, ke, kept);
}

static int keep_copy(gs_heap_t *h, gs_slice_t *src, size_t ke,
                     gs_slice_t *kept, gs_slice_t *acc)
{
    int rc = gs_make(h, src->elem, ke, ke, kept);
    (void)acc;
    return rc ? rc : gs_copy(kept, src, NULL);
}

/* append and exactcap: acc = append(acc, b[:k]...) */
static int keep_append(gs_heap_t *h, gs_slice_t *src, size_t ke,
                       gs_slice_t *kept, gs_slice_t *acc)
{
    (void)kept;
    return gs_append(h, acc, src->data, ke);
}

static int keep_append_nil(gs_heap_t *h, gs_slice_t *src, size_t ke,
                           gs_slice_t *kept, gs_slice_t *acc)
{
    (void)acc;
    *kept = gs_nil(src->elem);          /* []T(nil): nil, of the source's type */
    return gs_append(h, kept, src->data, ke);
}

static int keep_append_each(gs_heap_t *h, gs_slice_t *src, size_t ke,
                            gs_slice_t *kept, gs_slice_t *acc)
{
    int rc = 0;
    (void)acc;
    *kept = gs_nil(src->elem);          /* var keep []T: nil, of the source's type */
    for (size_t j = 0; j < ke && rc == 0; j++)
        rc = gs_append1(h, kept, gs_at(src, j));
    return rc;
}

int keep_batch(gs_heap_t *h, const keep_case_t *c, keep_strategy_t s,
               gs_slice_t *keep, unsigned fill, keep_held_t *held)
{
    const uint64_t grows = h->grows;
    const row_t *r = row(s);
    gs_slice_t acc;
    size_t i, ne, ke, elem, items, source_bytes;
    keep_fn *keep_one;
    int rc = keep_case_check(c);            /* first: it rules out elem 0 */
    if (rc) return rc;
    if (r == NULL) return -EINVAL;
    /* the case in locals: the calls below cannot change them, so the loop
     * need not read them again for every item */
    elem = c->elem;
    items = c->items;
    source_bytes = c->source_bytes;
    keep_one = r->keep;
    ne = source_bytes / elem;
    ke = c->kept_bytes / elem;
    acc = gs_nil(elem);

    if (r->acc == KEEP_ACC_PRESIZED) {
        rc = gs_make(h, elem, 0, items * ke, &acc);
        if (rc) return rc;
    }
    for (i = 0; i < items; i++) {
        gs_slice_t src;
        if (fill == KEEP_UNFILLED) (void)gs_heap_set_unwritten(h, 1);
        rc = gs_make(h, elem, ne, ne, &src);                    /* receive */
        if (fill == KEEP_UNFILLED) (void)gs_heap_set_unwritten(h, 0);
        if (rc) goto fail;
        if (fill != KEEP_UNFILLED)
            memset(src.data, (int)((fill + i) & 0xff), source_bytes);
        bm_escape(src.data);
        rc = keep_one(h, &src, ke, &keep[i], &acc);                /* keep */
        gs_release(&src);                                /* drop the source */
        if (rc) goto fail;
    }
    if (r->acc != KEEP_ACC_NONE) {
        for (i = 0; i < items; i++) {
            rc = gs_sub(&acc, i * ke, (i + 1) * ke, &keep[i]);
            if (rc) goto fail;
        }
        gs_release(&acc);
    }
    held->held_bytes = h->held_bytes;
    held->go_held_bytes = h->go_held_bytes;
    held->held_reserved_bytes = h->held_reserved_bytes;
    held->referenced_bytes = h->referenced_bytes;
    held->live_arrays = h->live_arrays;
    held->grows = h->grows - grows;
    return 0;

fail:
    gs_release(&acc);
    keep_release(h, keep, c->items);
    return rc;
}
