/* keep.c -- the strategies of keep.h on the Go slice model. */
#include "keep.h"

#include <errno.h>
#include <string.h>

#include "bm.h"

static const char *const strategy_names[KEEP_STRATEGY_COUNT] = {
    "receive-only", "retain", "copy", "append", "exactcap", "append-nil",
    "append-each",
};

const char *keep_strategy_name(keep_strategy_t s)
{
    return (unsigned)s < KEEP_STRATEGY_COUNT ? strategy_names[s] : NULL;
}

int keep_strategy_parse(const char *name, keep_strategy_t *out)
{
    for (unsigned i = 0; name && i < KEEP_STRATEGY_COUNT; i++)
        if (strcmp(name, strategy_names[i]) == 0) {
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

int keep_expected_peak(const keep_case_t *c, gs_policy_t policy,
                       keep_strategy_t s, uint64_t *bytes)
{
    size_t ke, cap = 0, next, last, before;
    uint64_t src, worst = 0, m;
    int rc = keep_case_check(c);
    if (rc) return rc;
    ke = c->kept_bytes / c->elem;
    m = c->items;
    src = est(c->source_bytes);
    switch (s) {
    case KEEP_RECEIVE_ONLY:
        *bytes = src;
        return 0;
    case KEEP_RETAIN:             /* the last source is one of the M */
        return mul_add(m, src, 0, bytes);
    case KEEP_COPY:
        return mul_add(m, est(c->kept_bytes), src, bytes);
    case KEEP_EXACTCAP:
        return mul_add(1, est((uint64_t)c->items * c->kept_bytes), src, bytes);
    case KEEP_APPEND:             /* worst moment: old and new array at once */
        /* one growth per step, at the first item that no longer fits:
         * O(log M) steps, since every growth at least adds an item */
        while (cap / ke < c->items) {
            rc = gs_next_cap(policy, cap, (cap / ke + 1) * ke, c->elem, &next);
            if (rc) return rc;
            if (est((uint64_t)cap * c->elem) + est((uint64_t)next * c->elem) > worst)
                worst = est((uint64_t)cap * c->elem) + est((uint64_t)next * c->elem);
            cap = next;
        }
        return mul_add(1, worst, src, bytes);
    case KEEP_APPEND_NIL:
        rc = gs_next_cap(policy, 0, ke, c->elem, &next);
        if (rc) return rc;
        return mul_add(m, est((uint64_t)next * c->elem), src, bytes);
    case KEEP_APPEND_EACH:
        rc = each_caps(policy, ke, c->elem, &last, &before);
        if (rc) return rc;
        return mul_add(m, est((uint64_t)last * c->elem),
                       src + est((uint64_t)before * c->elem), bytes);
    default:
        return -EINVAL;
    }
}

/* ------------------------------------------------------------------------
 * A batch
 * ------------------------------------------------------------------------ */

void keep_release(gs_slice_t *keep, size_t n)
{
    for (size_t i = 0; i < n; i++) gs_release(&keep[i]);
}

/* Keep k elements of src in *kept (nil on entry), or in acc. */
static int keep_one(gs_heap_t *h, keep_strategy_t s, gs_slice_t *src,
                    size_t ke, gs_slice_t *kept, gs_slice_t *acc)
{
    int rc = 0;
    switch (s) {
    case KEEP_RECEIVE_ONLY:
        return 0;
    case KEEP_RETAIN:
        return gs_sub(src, 0, ke, kept);
    case KEEP_COPY:
        rc = gs_make(h, src->elem, ke, ke, kept);
        return rc ? rc : gs_copy(kept, src, NULL);
    case KEEP_APPEND:
    case KEEP_EXACTCAP:
        return gs_append(h, acc, src->data, ke);
    case KEEP_APPEND_NIL:
        return gs_append(h, kept, src->data, ke);
    case KEEP_APPEND_EACH:
        for (size_t j = 0; j < ke && rc == 0; j++)
            rc = gs_append1(h, kept, gs_at(src, j));
        return rc;
    default:
        return -EINVAL;
    }
}

int keep_batch(gs_heap_t *h, const keep_case_t *c, keep_strategy_t s,
               gs_slice_t *keep, unsigned fill, keep_held_t *held)
{
    const uint64_t grows = h->grows;
    gs_slice_t acc;
    size_t i, ne, ke;
    int rc = keep_case_check(c);            /* first: it rules out elem 0 */
    if (rc) return rc;
    ne = c->source_bytes / c->elem;
    ke = c->kept_bytes / c->elem;
    acc = gs_nil(c->elem);

    if (s == KEEP_EXACTCAP) {
        rc = gs_make(h, c->elem, 0, c->items * ke, &acc);
        if (rc) return rc;
    }
    for (i = 0; i < c->items; i++) {
        gs_slice_t src;
        rc = gs_make(h, c->elem, ne, ne, &src);                 /* receive */
        if (rc) goto fail;
        memset(src.data, (int)((fill + i) & 0xff), c->source_bytes);
        bm_escape(src.data);
        rc = keep_one(h, s, &src, ke, &keep[i], &acc);            /* keep */
        gs_release(&src);                                /* drop the source */
        if (rc) goto fail;
    }
    if (s == KEEP_APPEND || s == KEEP_EXACTCAP) {
        for (i = 0; i < c->items; i++) {
            rc = gs_sub(&acc, i * ke, (i + 1) * ke, &keep[i]);
            if (rc) goto fail;
        }
        gs_release(&acc);
    }
    held->held_bytes = h->held_bytes;
    held->held_reserved_bytes = h->held_reserved_bytes;
    held->referenced_bytes = h->referenced_bytes;
    held->live_arrays = h->live_arrays;
    held->grows = h->grows - grows;
    return 0;

fail:
    gs_release(&acc);
    keep_release(keep, c->items);
    return rc;
}
