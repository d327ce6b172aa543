/* gs_ref.c -- arrays of references and their accounting (see gs_ref.h).
 *
 * Built on gs.h's public API only: a slot is a gs_slice_t holding its own
 * reference on a target array (taken with gs_sub, dropped with gs_release),
 * so a target lives exactly as long as some slot in a live reference array,
 * or some other handle, references it. As in gs_slice.c, every function
 * checks everything that can fail before it changes anything.
 */
#include "gs_ref.h"
#include "mem.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* One reference array: a header and its slots in one counted block. */
struct gs_ref_array_s {
    size_t refs;             /* handles referencing it                   */
    size_t cap;              /* slots                                    */
    size_t elem;             /* Go bytes per slot                        */
    size_t block;            /* bytes asked of mem_alloc for this block  */
    gs_ref_heap_t *heap;     /* the heap that counts it                  */
    gs_slice_t slot[];       /* cap slots; zeroed = nil                  */
};

void gs_ref_heap_init(gs_ref_heap_t *h, gs_heap_t *targets)
{
    memset(h, 0, sizeof *h);
    h->targets = targets;
}

gs_ref_slice_t gs_ref_nil(size_t elem)
{
    gs_ref_slice_t s = { NULL, 0, 0, elem, NULL };
    return s;
}

/* The handle invariants (as gs.h's for byte slices). */
static int rslice_ok(const gs_ref_slice_t *s)
{
    if (s->elem == 0 || s->len > s->cap) return 0;
    if ((s->slot == NULL) != (s->cap == 0)) return 0;
    if (s->array == NULL) return s->cap == 0;
    return s->array->refs > 0 && s->elem == s->array->elem;
}

/* A valid view to store in a slot (NULL stands for nil). */
static int target_ok(const gs_slice_t *v)
{
    if (v == NULL) return 1;
    if (v->elem == 0 || v->len > v->cap) return 0;
    if ((v->data == NULL) != (v->cap == 0)) return 0;
    return v->array != NULL || v->cap == 0;
}

/* Copy view v into an empty slot, taking a reference on its array. v was
 * checked by target_ok, so gs_sub cannot fail here. */
static void slot_take(gs_ref_heap_t *h, gs_slice_t *slot, const gs_slice_t *v)
{
    if (v == NULL) {
        memset(slot, 0, sizeof *slot);
        return;
    }
    if (v->array == NULL) {          /* nil or zero-cap: nothing to pin */
        *slot = *v;
        return;
    }
    (void)gs_sub(v, 0, v->len, slot);
    h->live_refs++;
}

/* Drop a slot's reference (its target may die) and leave it nil. */
static void slot_drop(gs_ref_heap_t *h, gs_slice_t *slot)
{
    if (slot->array != NULL) h->live_refs--;
    gs_release(slot);
    memset(slot, 0, sizeof *slot);
}

/* A new array of cap (> 0) nil slots, refs == 0. Overflow checks: cap x
 * elem within PTRDIFF_MAX (Go's own limit), and the C block's size. */
static int array_new(gs_ref_heap_t *h, size_t elem, size_t cap,
                     gs_ref_array_t **out)
{
    gs_ref_array_t *a;
    void *p;
    size_t block;
    int rc;
    if (cap > (size_t)PTRDIFF_MAX / elem) return -EOVERFLOW;
    if (cap > (SIZE_MAX - sizeof *a) / sizeof a->slot[0]) return -EOVERFLOW;
    block = sizeof *a + cap * sizeof a->slot[0];
    rc = mem_alloc_zeroed(block, &p);
    if (rc < 0) return rc;
    a = p;
    a->refs = 0;
    a->cap = cap;
    a->elem = elem;
    a->block = block;
    a->heap = h;
    h->live_arrays++;
    h->held_bytes += cap * elem;
    if (h->held_bytes > h->peak_held_bytes) h->peak_held_bytes = h->held_bytes;
    h->arrays_made++;
    *out = a;
    return 0;
}

/* Drop one handle; the last frees the array and every reference in it. */
static void array_unref(gs_ref_array_t *a)
{
    gs_ref_heap_t *h = a->heap;
    size_t i;
    if (--a->refs != 0) return;
    for (i = 0; i < a->cap; i++) slot_drop(h, &a->slot[i]);
    h->live_arrays--;
    h->held_bytes -= a->cap * a->elem;
    mem_free(a, a->block);
}

int gs_ref_make(gs_ref_heap_t *h, size_t elem, size_t len, size_t cap,
                gs_ref_slice_t *out)
{
    gs_ref_array_t *a;
    int rc;
    if (h == NULL || out == NULL || elem == 0 || len > cap) return -EINVAL;
    if (cap > (size_t)PTRDIFF_MAX / elem) return -EOVERFLOW;
    *out = gs_ref_nil(elem);
    if (cap == 0) return 0;
    rc = array_new(h, elem, cap, &a);
    if (rc < 0) return rc;
    a->refs = 1;
    out->slot = a->slot;
    out->len = len;
    out->cap = cap;
    out->array = a;
    return 0;
}

int gs_ref_sub3(const gs_ref_slice_t *s, size_t lo, size_t hi, size_t max,
                gs_ref_slice_t *out)
{
    gs_ref_slice_t r;
    if (s == NULL || out == NULL || !rslice_ok(s)) return -EINVAL;
    if (!(lo <= hi && hi <= max && max <= s->cap)) return -ERANGE;
    r.len = hi - lo;
    r.cap = max - lo;
    r.elem = s->elem;
    r.array = s->array;
    r.slot = r.cap != 0 ? s->slot + lo : NULL;
    if (r.array != NULL && out != s) r.array->refs++;
    *out = r;
    return 0;
}

int gs_ref_sub(const gs_ref_slice_t *s, size_t lo, size_t hi,
               gs_ref_slice_t *out)
{
    if (s == NULL) return -EINVAL;
    return gs_ref_sub3(s, lo, hi, s->cap, out);
}

int gs_ref_append(gs_ref_heap_t *h, gs_ref_slice_t *s, const gs_slice_t *v)
{
    gs_ref_array_t *a, *old;
    size_t newcap, i;
    gs_slice_t keep;
    int rc;
    if (h == NULL || s == NULL || !rslice_ok(s) || !target_ok(v))
        return -EINVAL;
    if (s->array != NULL && s->array->heap != h) return -EINVAL;
    if (s->len == SIZE_MAX) return -EOVERFLOW;

    if (s->len < s->cap) {
        /* In place. v may be the very slot being overwritten (q = append(
         * q[:0], q[0])): take the new reference before dropping the old. */
        slot_take(h, &keep, v);
        slot_drop(h, &s->slot[s->len]);
        s->slot[s->len] = keep;
        s->len++;
        return 0;
    }
    if (h->targets == NULL) return -EINVAL;
    rc = gs_next_cap(h->targets->policy, s->cap, s->len + 1, s->elem, &newcap);
    if (rc < 0) return rc;
    rc = array_new(h, s->elem, newcap, &a);
    if (rc < 0) return rc;
    /* Nothing fails from here; the old array (where v may live) is still
     * alive while the slots are copied. */
    for (i = 0; i < s->len; i++) slot_take(h, &a->slot[i], &s->slot[i]);
    slot_take(h, &a->slot[s->len], v);
    a->refs = 1;
    old = s->array;
    s->slot = a->slot;
    s->len++;
    s->cap = newcap;
    s->array = a;
    h->grows++;
    if (old != NULL) array_unref(old);
    return 0;
}

int gs_ref_set(const gs_ref_slice_t *s, size_t i, const gs_slice_t *v)
{
    gs_slice_t keep;
    if (s == NULL || !rslice_ok(s) || !target_ok(v)) return -EINVAL;
    if (i >= s->len) return -ERANGE;
    slot_take(s->array->heap, &keep, v);
    slot_drop(s->array->heap, &s->slot[i]);
    s->slot[i] = keep;
    return 0;
}

const gs_slice_t *gs_ref_get(const gs_ref_slice_t *s, size_t i)
{
    if (s == NULL || i >= s->len) return NULL;
    return &s->slot[i];
}

int gs_ref_clone(gs_ref_heap_t *h, const gs_ref_slice_t *s,
                 gs_ref_slice_t *out)
{
    gs_ref_array_t *a;
    gs_ref_slice_t r;
    size_t i;
    int rc;
    if (h == NULL || s == NULL || out == NULL || !rslice_ok(s)) return -EINVAL;
    r = gs_ref_nil(s->elem);
    if (s->len != 0) {
        rc = array_new(h, s->elem, s->len, &a);
        if (rc < 0) return rc;
        for (i = 0; i < s->len; i++) slot_take(h, &a->slot[i], &s->slot[i]);
        a->refs = 1;
        r.slot = a->slot;
        r.len = r.cap = s->len;
        r.array = a;
    }
    if (out == s && s->array != NULL) array_unref(s->array);
    *out = r;
    return 0;
}

void gs_ref_release(gs_ref_slice_t *s)
{
    if (s == NULL) return;
    if (s->array != NULL) array_unref(s->array);
    *s = gs_ref_nil(s->elem);
}

size_t gs_ref_refs(const gs_ref_slice_t *s)
{
    return s != NULL && s->array != NULL ? s->array->refs : 0;
}

int gs_ref_same_array(const gs_ref_slice_t *a, const gs_ref_slice_t *b)
{
    return a != NULL && b != NULL && a->array != NULL && a->array == b->array;
}

size_t gs_ref_array_cap(const gs_ref_slice_t *s)
{
    return s != NULL && s->array != NULL ? s->array->cap : 0;
}

const gs_slice_t *gs_ref_array_slot(const gs_ref_slice_t *s, size_t i)
{
    if (s == NULL || s->array == NULL || i >= s->array->cap) return NULL;
    return &s->array->slot[i];
}

/* A set of array addresses, for gs_ref_reach: linear, as the roots are few
 * and each reference array is scanned once. */
typedef struct seen_s {
    const void **p;
    size_t n, cap;
    size_t bytes;
    int rc;
} seen_t;

static void seen_add(seen_t *s, const void *p, size_t bytes)
{
    size_t i, r;
    if (p == NULL || s->rc != 0) return;
    for (i = 0; i < s->n; i++) if (s->p[i] == p) return;
    if (s->n == s->cap) {
        size_t nc = s->cap ? 2 * s->cap : 64;
        const void **q = realloc(s->p, nc * sizeof *q);
        if (q == NULL) { s->rc = -ENOMEM; return; }
        s->p = q;
        s->cap = nc;
    }
    s->p[s->n++] = p;
    if (gs_go_roundupsize(bytes, &r) != 0 || r > SIZE_MAX - s->bytes) {
        s->rc = -EOVERFLOW;      /* overflow check: the running total */
        return;
    }
    s->bytes += r;
}

int gs_ref_reach(const gs_slice_t *b, size_t nb, const gs_ref_slice_t *r,
                 size_t nr, size_t *bytes)
{
    seen_t s = { NULL, 0, 0, 0, 0 };
    size_t i, k;
    if (bytes == NULL || (b == NULL && nb) || (r == NULL && nr)) return -EINVAL;
    for (i = 0; i < nb; i++) seen_add(&s, b[i].array, gs_array_bytes(&b[i]));
    for (i = 0; i < nr; i++) {
        const gs_ref_array_t *a = r[i].array;
        size_t before = s.n;
        if (a == NULL) continue;
        seen_add(&s, a, a->cap * a->elem);
        if (s.n == before) continue;             /* already scanned */
        for (k = 0; k < a->cap; k++)
            seen_add(&s, a->slot[k].array, gs_array_bytes(&a->slot[k]));
    }
    free(s.p);
    if (s.rc == 0) *bytes = s.bytes;
    return s.rc;
}
