/* gs_slice.c -- arrays, slice handles and their accounting (see gs.h,
 * "Heap", "Slices", "Reading").
 *
 * Every public function below first checks everything that can fail
 * (arguments, bounds, sizes, then allocation), and only then changes slices
 * and the heap: that ordering is the whole of the strong guarantee.
 *
 * Accounting is kept incrementally, at the four points where it can change:
 * an array is born (array_new), dies (array_unref to zero), a handle starts
 * or stops referencing an array (handle_on / handle_off), or a handle's
 * len changes (in-place append, in-place reslice).
 *
 * Cost: these helpers are the model's bookkeeping on every make, view,
 * append and release, measured against hand-written C by
 * benchmarks/overhead.c. They are forced inline (HOT), so a make is one
 * call into this file plus the allocator's; the rare paths are kept out of
 * line, so that the common ones save no registers for them: a new chunk of
 * headers (COLD), an array that is not plain (gs_impl.h: the Go GC mode or
 * a tiny object, array_new_full and array_dead_full), and a growing append
 * (APART). A plain array's Go bytes are counted inline (gs_impl.h).
 */
#include "gs.h"
#include "gs_impl.h"
#include "mem.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#if defined(__GNUC__)
#define HOT static inline __attribute__((always_inline))
#define COLD static __attribute__((noinline, cold))
#define APART static __attribute__((noinline))
#else
#define HOT static inline
#define COLD static
#define APART static
#endif

/* Headers come 64 to a chunk, aligned to a cache line: a batch that keeps
 * M arrays walks M headers when it makes them and again when it frees
 * them. (A header is 88 bytes on 64-bit platforms: 72 for the array, 8
 * for the GC mode's span of a small object, 8 for its sweeper's list.) */
#define GS_HDRS_PER_CHUNK 64
#define GS_HDR_ALIGN 64

struct gs_hdr_chunk_s {
    gs_array_t hdr[GS_HDRS_PER_CHUNK];
    gs_hdr_chunk_t *next;
};

_Static_assert(sizeof(gs_array_t) % sizeof(void *) == 0,
               "array headers pack without padding");

/* ------------------------------------------------------------------------
 * Heap
 * ------------------------------------------------------------------------ */

void gs_heap_init(gs_heap_t *h, gs_policy_t policy)
{
    _gs_go_classes_build();          /* for _gs_go_block_bytes */
    memset(h, 0, sizeof *h);
    h->policy = policy;
    (void)gs_heap_set_go_clock(h, 1.0);
}

int gs_heap_destroy(gs_heap_t *h)
{
    gs_hdr_chunk_t *c, *next;
    gs_gc_t gc;
    unsigned gogc;
    uint64_t period, work, seed;
    double clock;
    gs_go_program_t program;
    if (h == NULL) return -EINVAL;
    if (h->live_arrays != 0) return -EBUSY;
    _gs_go_destroy(h);
    for (c = h->chunks_; c != NULL; c = next) {
        next = c->next;
        free(c);
    }
    gc = h->gc;
    gogc = h->gogc;
    period = h->scav_period_ns;
    work = h->scav_work_ns;
    seed = h->mark_seed;
    clock = h->clock_scale_;
    program = h->go_program;
    gs_heap_init(h, h->policy);
    (void)gs_heap_set_gc(h, gc, gogc);
    (void)gs_heap_set_scavenger_pace(h, period, work);
    (void)gs_heap_set_mark_draws(h, seed);
    (void)gs_heap_set_go_program(h, &program);
    (void)gs_heap_set_go_clock(h, clock);
    return 0;
}

/* A new chunk of free headers, for hdr_reserve. */
COLD int hdr_refill(gs_heap_t *h)
{
    gs_hdr_chunk_t *c;
    size_t i;
    /* aligned_alloc: a size that is a multiple of the alignment (C11) */
    c = aligned_alloc(GS_HDR_ALIGN, (sizeof *c + GS_HDR_ALIGN - 1) &
                                        ~(size_t)(GS_HDR_ALIGN - 1));
    if (c == NULL) return -ENOMEM;
    for (i = 0; i < GS_HDRS_PER_CHUNK; i++) {
        c->hdr[i].refs = 0;
        c->hdr[i].next_free = i + 1 < GS_HDRS_PER_CHUNK ? &c->hdr[i + 1] : NULL;
    }
    c->next = h->chunks_;
    h->chunks_ = c;
    h->free_hdrs_ = &c->hdr[0];
    return 0;
}

/* A free header, malloc'ing a chunk when the free list is empty. The header
 * stays on the list (so an allocation failure after this needs no undo)
 * until array_new takes it. Cost on the hot path: one load and a test. */
HOT int hdr_reserve(gs_heap_t *h)
{
    return h->free_hdrs_ != NULL ? 0 : hdr_refill(h);
}

/* ------------------------------------------------------------------------
 * Arrays and the accounting
 * ------------------------------------------------------------------------ */

/* Overflow check: n elements of elem bytes, within PTRDIFF_MAX (elem > 0).
 * A checked multiply, not a division: this is on every make and append. */
HOT int elems_to_bytes(size_t n, size_t elem, size_t *bytes)
{
    size_t b;
    if (__builtin_mul_overflow(n, elem, &b) || b > (size_t)PTRDIFF_MAX)
        return -EOVERFLOW;
    *bytes = b;
    return 0;
}

/* Take the free header a (hdr_reserve's) for a new block and count the
 * array in h: everything of array_new but Go's bytes. */
HOT void array_count(gs_heap_t *h, gs_array_t *a, void *data, size_t elem,
                     size_t bytes, size_t reserved)
{
    h->free_hdrs_ = a->next_free;
    a->data = data;
    a->elem = elem;
    a->bytes = bytes;
    a->reserved = reserved;
    a->refs = 1;                     /* the caller's handle: handle_first */
    a->heap = h;

    h->live_arrays++;
    h->held_bytes += bytes;
    h->held_reserved_bytes += reserved;
    if (h->held_bytes > h->peak_held_bytes) h->peak_held_bytes = h->held_bytes;
    h->arrays_made++;
    h->bytes_made += bytes;
}

/* array_new in every case: a header chunk to malloc, the Go GC mode (a
 * collection, pages or a slot of Go's heap) or a tiny object. Out of line:
 * the plain case below does not save registers for it. */
APART int array_new_full(gs_heap_t *h, size_t elem, size_t cap, int zeroed,
                         gs_array_t **out)
{
    gs_array_t *a;
    void *data;
    size_t bytes = cap * elem, reserved;
    int rc = hdr_reserve(h);
    if (rc < 0) return rc;
    rc = _gs_go_prepare(h, bytes, zeroed, &data, &reserved);
    if (rc < 0) return rc;
    if (data == NULL) {          /* else GC mode: its pages, or a slot */
        rc = mem_alloc_usable(bytes, zeroed, &data, &reserved);
        if (rc < 0) return rc;
    }
    a = h->free_hdrs_;
    array_count(h, a, data, elem, bytes, reserved);
    _gs_go_charge(h, a);
    *out = a;
    return 0;
}

/* A new array of cap (> 0) elements, counted in h, with refs == 1 for the
 * handle the caller makes of it next (and counts with handle_first).
 * Requires: cap * elem checked. On failure nothing has changed. The plain
 * case (a header at hand, GC off, not tiny: gs_impl.h) inline: the
 * allocation, the header and the counters, nothing else. */
HOT int array_new(gs_heap_t *h, size_t elem, size_t cap, int zeroed,
                  gs_array_t **out)
{
    gs_array_t *a = h->free_hdrs_;
    void *data;
    size_t bytes = cap * elem, reserved;
    int rc;
    if (a == NULL || !_gs_go_plain(h, bytes))
        return array_new_full(h, elem, cap, zeroed, out);
    rc = mem_alloc_usable(bytes, zeroed, &data, &reserved);
    if (rc < 0) return rc;
    array_count(h, a, data, elem, bytes, reserved);
    _gs_go_charge_plain(h, a);
    *out = a;
    return 0;
}

/* Free a dead array's block and recycle its header. */
HOT void array_free(gs_heap_t *h, gs_array_t *a)
{
    void *data = a->data;
    size_t bytes = a->bytes, reserved = a->reserved;
    a->next_free = h->free_hdrs_;       /* the header first: nothing of it */
    h->free_hdrs_ = a;                  /* is needed across the free      */
    mem_free_usable(data, bytes, reserved);
}

/* An array that was not plain died: Go's bytes (and the GC mode) decide
 * whether it is freed now. Out of line. */
APART void array_dead_full(gs_heap_t *h, gs_array_t *a)
{
    if (_gs_go_dead(h, a)) array_free(h, a);
}

/* Drop one reference; the last frees the block and recycles the header,
 * or (GC mode) makes the array garbage. h is a's heap. */
HOT void array_unref(gs_heap_t *h, gs_array_t *a)
{
    if (--a->refs != 0) return;
    h->live_arrays--;
    h->held_bytes -= a->bytes;
    h->held_reserved_bytes -= a->reserved;
    if (_gs_go_dead_is_plain(h, a)) {
        _gs_go_dead_plain(h, a);
        array_free(h, a);
    } else {
        array_dead_full(h, a);
    }
}

void _gs_array_free(gs_heap_t *h, gs_array_t *a)
{
    array_free(h, a);
}

void _gs_hdr_recycle(gs_heap_t *h, gs_array_t *a)
{
    a->next_free = h->free_hdrs_;
    h->free_hdrs_ = a;
}

/* The first handle of a new array a (refs already 1), of len elements. */
HOT void handle_first(gs_heap_t *h, gs_array_t *a, size_t len)
{
    h->live_slices++;
    h->referenced_bytes += len * a->elem;
}

/* A handle of len elements starts referencing a, of heap h. */
HOT void handle_on(gs_heap_t *h, gs_array_t *a, size_t len)
{
    a->refs++;
    h->live_slices++;
    h->referenced_bytes += len * a->elem;
}

/* A handle of len elements stops referencing a, of heap h (a may die). */
HOT void handle_off(gs_heap_t *h, gs_array_t *a, size_t len)
{
    h->live_slices--;
    h->referenced_bytes -= len * a->elem;
    array_unref(h, a);
}

/* A referencing handle's len changes from old_len to new_len (either way:
 * the difference wraps, and so the sum comes out exact). */
HOT void handle_len(gs_heap_t *h, gs_array_t *a, size_t old_len,
                    size_t new_len)
{
    h->referenced_bytes += (new_len - old_len) * a->elem;
}

/* The handle invariants of gs.h, "Slices"; a handle breaking them was not
 * made by this layer (or was used after a struct copy went stale). */
HOT int slice_ok(const gs_slice_t *s)
{
    const gs_array_t *a = s->array;
    if (s->len > s->cap || (s->data == NULL) != (s->cap == 0)) return 0;
    if (a == NULL) return s->cap == 0 && s->elem != 0;
    /* a live array's elem is > 0, so this also rules out elem == 0 */
    return a->refs != 0 && s->elem == a->elem;
}

/* ------------------------------------------------------------------------
 * Slices
 * ------------------------------------------------------------------------ */

gs_slice_t gs_nil(size_t elem)
{
    gs_slice_t s = { NULL, 0, 0, elem, NULL };
    return s;
}

int gs_make(gs_heap_t *h, size_t elem, size_t len, size_t cap,
            gs_slice_t *out)
{
    gs_array_t *a;
    size_t bytes;
    int rc;
    if (h == NULL || out == NULL || elem == 0 || len > cap) return -EINVAL;
    rc = elems_to_bytes(cap, elem, &bytes);
    if (rc < 0) return rc;
    if (cap == 0) {
        *out = gs_nil(elem);
        return 0;
    }
    rc = array_new(h, elem, cap, 1, &a);
    if (rc < 0) return rc;
    handle_first(h, a, len);
    out->data = a->data;
    out->len = len;
    out->cap = cap;
    out->elem = elem;
    out->array = a;
    return 0;
}

int gs_sub3(const gs_slice_t *s, size_t lo, size_t hi, size_t max,
            gs_slice_t *out)
{
    gs_slice_t r;
    if (s == NULL || out == NULL || !slice_ok(s)) return -EINVAL;
    if (!(lo <= hi && hi <= max && max <= s->cap)) return -ERANGE;

    r.len = hi - lo;
    r.cap = max - lo;
    r.elem = s->elem;
    r.array = s->array;
    /* No pointer past the array's end: a zero-cap view keeps its array but
     * no address (Go leaves the pointer at the base in that case). */
    r.data = r.cap != 0 ? s->data + lo * s->elem : NULL;

    if (r.array != NULL) {
        if (out == s) handle_len(r.array->heap, r.array, s->len, r.len);
        else handle_on(r.array->heap, r.array, r.len);
    }
    *out = r;
    return 0;
}

int gs_sub(const gs_slice_t *s, size_t lo, size_t hi, gs_slice_t *out)
{
    if (s == NULL) return -EINVAL;
    return gs_sub3(s, lo, hi, s->cap, out);
}

/* gs_append without room: a new array for newlen (bytes long) elements.
 * Out of line, so the in-place path saves no registers for it. Cost:
 * gs_next_cap, one mem_alloc, copying len + n elements, zeroing the tail,
 * and perhaps one mem_free. */
APART int append_grow(gs_heap_t *h, gs_slice_t *s, const void *elems,
                     size_t n, size_t newlen, size_t bytes)
{
    gs_array_t *a, *old;
    size_t newcap, len_bytes = s->len * s->elem;
    int rc = gs_next_cap(h->policy, s->cap, newlen, s->elem, &newcap);
    if (rc < 0) return rc;
    rc = array_new(h, s->elem, newcap, 0, &a);
    if (rc < 0) return rc;

    /* From here on nothing fails. The old array is still alive, so elems
     * (which may point into it) is read before any reference is dropped. */
    if (len_bytes != 0) memcpy(a->data, s->data, len_bytes);
    memcpy(a->data + len_bytes, elems, n * s->elem);
    if (a->bytes > bytes) memset(a->data + bytes, 0, a->bytes - bytes);

    old = s->array;
    handle_first(h, a, newlen);
    if (old != NULL) handle_off(h, old, s->len);
    h->grows++;
    s->data = a->data;
    s->len = newlen;
    s->cap = newcap;
    s->array = a;
    return 0;
}

/* The append of gs.h. Cost with room: the checks and one memmove. */
int gs_append(gs_heap_t *h, gs_slice_t *s, const void *elems, size_t n)
{
    size_t newlen, bytes;
    int rc;

    if (h == NULL || s == NULL || !slice_ok(s)) return -EINVAL;
    if (s->array != NULL && s->array->heap != h) return -EINVAL;
    if (n == 0) return 0;
    if (elems == NULL) return -EINVAL;
    /* Overflow check: the new length, and, when it passes cap, its bytes
     * (within cap they are within the array's, which fit). */
    if (n > SIZE_MAX - s->len) return -EOVERFLOW;
    newlen = s->len + n;
    if (newlen > s->cap) {
        rc = elems_to_bytes(newlen, s->elem, &bytes);
        if (rc < 0) return rc;
        return append_grow(h, s, elems, n, newlen, bytes);
    }

    /* In place: overwrite s[len:newlen) in the shared array, which every
     * view reaching those positions sees. memmove, as elems may lie in this
     * very array. The counting first, so that nothing of s or its array
     * has to be read again after the copy. */
    {
        unsigned char *to = s->data + s->len * s->elem;
        size_t n_bytes = n * s->elem;
        handle_len(h, s->array, s->len, newlen);
        s->len = newlen;
        memmove(to, elems, n_bytes);
    }
    return 0;
}

int gs_append1(gs_heap_t *h, gs_slice_t *s, const void *elem)
{
    return gs_append(h, s, elem, 1);
}

int gs_append_slice(gs_heap_t *h, gs_slice_t *dst, const gs_slice_t *src)
{
    if (dst == NULL || src == NULL || !slice_ok(src)) return -EINVAL;
    if (src->elem != dst->elem) return -EINVAL;
    if (src->len == 0) return gs_append(h, dst, NULL, 0);
    /* src's fields are passed by value, so src == dst is safe: gs_append
     * reads the elements before it changes dst. */
    return gs_append(h, dst, src->data, src->len);
}

int gs_copy(const gs_slice_t *dst, const gs_slice_t *src, size_t *copied)
{
    size_t n;
    if (dst == NULL || src == NULL || !slice_ok(dst) || !slice_ok(src))
        return -EINVAL;
    if (dst->elem != src->elem) return -EINVAL;
    n = dst->len < src->len ? dst->len : src->len;
    if (n != 0) memmove(dst->data, src->data, n * dst->elem);
    if (copied != NULL) *copied = n;
    return 0;
}

int gs_clone(gs_heap_t *h, const gs_slice_t *s, gs_slice_t *out)
{
    gs_array_t *a;
    gs_slice_t r;
    size_t bytes;
    int rc;
    if (h == NULL || s == NULL || out == NULL || !slice_ok(s)) return -EINVAL;
    r = gs_nil(s->elem);
    if (s->len != 0) {
        rc = elems_to_bytes(s->len, s->elem, &bytes);
        if (rc < 0) return rc;
        rc = array_new(h, s->elem, s->len, 0, &a);
        if (rc < 0) return rc;
        memcpy(a->data, s->data, bytes);
        handle_first(h, a, s->len);
        r.data = a->data;
        r.len = r.cap = s->len;
        r.array = a;
    }
    /* The copy exists; only now may s's old reference go. */
    if (out == s && s->array != NULL)
        handle_off(s->array->heap, s->array, s->len);
    *out = r;
    return 0;
}

void gs_clip(gs_slice_t *s)
{
    if (s == NULL) return;
    s->cap = s->len;
    if (s->cap == 0) s->data = NULL;
}

void gs_release(gs_slice_t *s)
{
    /* A handle with no array is nil already (gs.h's invariants): it is
     * left unwritten, so releasing a store of nil handles only reads it. */
    gs_array_t *a;
    size_t len;
    if (s == NULL || (a = s->array) == NULL) return;
    len = s->len;
    *s = gs_nil(s->elem);     /* first: the free, if any, then ends the call */
    handle_off(a->heap, a, len);
}

/* ------------------------------------------------------------------------
 * Reading
 * ------------------------------------------------------------------------ */

size_t gs_refs(const gs_slice_t *s)
{
    return s != NULL && s->array != NULL ? s->array->refs : 0;
}

int gs_same_array(const gs_slice_t *a, const gs_slice_t *b)
{
    return a != NULL && b != NULL && a->array != NULL && a->array == b->array;
}

size_t gs_array_bytes(const gs_slice_t *s)
{
    return s != NULL && s->array != NULL ? s->array->bytes : 0;
}

size_t gs_array_reserved(const gs_slice_t *s)
{
    return s != NULL && s->array != NULL ? s->array->reserved : 0;
}
