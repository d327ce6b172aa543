/* gs_ops.c -- the operation interpreter and the reference model (see
 * gs_ops.h).
 *
 * The reference is written to be obviously right rather than fast: an array
 * is a calloc'd buffer with an id and a reference count, a variable is
 * (array id, offset, len, cap, elem), every rule of Go's slices is spelled
 * out once below, and every accounting figure is recomputed from scratch
 * after each operation. The one thing it borrows from the model is
 * gs_next_cap, the pure growth function tested on its own against Go's
 * vectors (test_gs_vectors.c).
 */
#include "gs_ops.h"

#include "gs.h"
#include "mem.h"

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NVARS 6
/* Programs are kept small enough to run thousands a second: an operation
 * whose array would pass this is skipped (6 x 8 pages past Go's 32 KiB
 * small-object limit, so page rounding is exercised). */
#define MAX_ARRAY_BYTES (96u * 1024u)

static const size_t elem_choices[8] = { 1, 8, 3, 24, 2, 12, 64, 5 };

/* ------------------------------------------------------------------------
 * The reference model
 * ------------------------------------------------------------------------ */

typedef struct ref_array_s {
    unsigned char *bytes;       /* cap x elem; NULL once dead             */
    size_t cap, elem;           /* elements, bytes per element            */
    size_t refs;                /* variables referencing it               */
    const unsigned char *base;  /* the model's block for it               */
    size_t reserved;            /* mem_usable_size(base)                  */
} ref_array_t;

typedef struct ref_var_s {
    long arr;                   /* array id, -1 for none                  */
    size_t off, len, cap, elem; /* window into the array, in elements     */
} ref_var_t;

typedef struct ctx_s {
    /* input */
    const uint8_t *in;
    size_t in_n, in_i;
    int trace;
    /* the model */
    gs_heap_t heap;
    gs_slice_t v[NVARS];
    /* the reference */
    gs_policy_t policy;
    gs_gc_t gc;                 /* the heap's GC mode                     */
    unsigned gogc;
    size_t elem[2];
    ref_var_t r[NVARS];
    ref_array_t *arrs;
    size_t narrs, arrs_cap;
    uint64_t arrays_made, bytes_made, grows;
    size_t peak_held;
    int armed;                  /* an allocation failure is pending       */
    /* scratch */
    unsigned char *buf;         /* MAX_ARRAY_BYTES of element values      */
    uint32_t tick;              /* source of distinct element values      */
    uint64_t step;
    gs_ops_stats_t stats;
    char *why;
    size_t why_size;
} ctx_t;

static int fail(ctx_t *c, const char *fmt, ...)
{
    va_list ap;
    int n = snprintf(c->why, c->why_size, "op %" PRIu64 ": ", c->step);
    if (n < 0 || (size_t)n >= c->why_size) return -1;
    va_start(ap, fmt);
    vsnprintf(c->why + n, c->why_size - (size_t)n, fmt, ap);
    va_end(ap);
    return -1;
}

static unsigned rd8(ctx_t *c)
{
    return c->in_i < c->in_n ? c->in[c->in_i++] : 0;
}

/* A length or count: mostly small, sometimes past Go's 256 threshold,
 * rarely into page-rounded sizes. */
static size_t rd_size(ctx_t *c)
{
    unsigned b = rd8(c);
    if (b < 150) return b % 20;
    if (b < 230) return (size_t)(b - 150) * 5;
    if (b < 250) return 300 + (size_t)rd8(c) * 4 + (b - 230);
    return 1000 + (size_t)rd8(c) * 24 + rd8(c);
}

/* A bound for a slice expression on something of capacity cap: usually in
 * [0, cap], sometimes just past it, rarely absurd. */
static size_t rd_bound(ctx_t *c, size_t cap)
{
    unsigned b = rd8(c);
    if (b < 216) return (size_t)rd8(c) % (cap + 1);
    if (b < 224) return cap;
    if (b < 250) return cap + 1 + b % 3;
    return SIZE_MAX - b % 4;
}

static unsigned rd_var(ctx_t *c)
{
    return rd8(c) % NVARS;
}

/* n bytes of fresh element values into the scratch buffer. */
static void fill(ctx_t *c, size_t n)
{
    size_t i;
    for (i = 0; i < n; i++) c->buf[i] = (unsigned char)(++c->tick * 167u + 13u);
}

static size_t ref_held_now(const ctx_t *c)
{
    size_t held = 0, i;
    for (i = 0; i < c->narrs; i++)
        if (c->arrs[i].refs > 0) held += c->arrs[i].cap * c->arrs[i].elem;
    return held;
}

/* A new array (refs 0, the caller sets them). The arrays it replaces are
 * still live at this point, as in the model (and in Go's growslice): the
 * peak counts both. */
static int ref_new_array(ctx_t *c, size_t elem, size_t cap, long *id)
{
    ref_array_t *a;
    size_t peak = ref_held_now(c) + cap * elem;
    if (peak > c->peak_held) c->peak_held = peak;
    if (c->narrs == c->arrs_cap) {
        size_t ncap = c->arrs_cap ? 2 * c->arrs_cap : 64;
        ref_array_t *p = realloc(c->arrs, ncap * sizeof *p);
        if (p == NULL) return fail(c, "reference: out of memory");
        c->arrs = p;
        c->arrs_cap = ncap;
    }
    a = &c->arrs[c->narrs];
    a->bytes = calloc(cap, elem);
    if (a->bytes == NULL) return fail(c, "reference: out of memory");
    a->cap = cap;
    a->elem = elem;
    a->refs = 0;
    a->base = NULL;
    a->reserved = 0;
    *id = (long)c->narrs++;
    c->arrays_made++;
    c->bytes_made += cap * elem;
    return 0;
}

/* The model's block for a new array is learnt from the variable that
 * received it (offset 0, cap > 0). Its reserve: the allocator's, or in GC
 * mode, for any array but a tiny one (under 16 B), Go's block: the pages
 * of a span of its own, or its class's slot in a shared span. */
static void ref_bind(ctx_t *c, long id, unsigned var)
{
    size_t bytes = c->arrs[id].cap * c->arrs[id].elem, block = 0;
    int in_go_heap = c->gc == GS_GC_GO && bytes >= GS_GO_TINY_SIZE &&
                     gs_go_roundupsize(bytes, &block) == 0;
    c->arrs[id].base = c->v[var].data;
    c->arrs[id].reserved = in_go_heap ? block : mem_usable_size(c->v[var].data);
}

static void ref_unref(ctx_t *c, long id)
{
    ref_array_t *a = &c->arrs[id];
    if (--a->refs == 0) {
        free(a->bytes);
        a->bytes = NULL;
    }
}

static void ref_release(ctx_t *c, unsigned i)
{
    ref_var_t *r = &c->r[i];
    if (r->arr >= 0) ref_unref(c, r->arr);
    r->arr = -1;
    r->off = r->len = r->cap = 0;
}

static unsigned char *ref_at(ctx_t *c, const ref_var_t *r, size_t i)
{
    return c->arrs[r->arr].bytes + (r->off + i) * r->elem;
}

/* ------------------------------------------------------------------------
 * Agreement
 * ------------------------------------------------------------------------ */

static int check_all(ctx_t *c)
{
    size_t live_arrays = 0, held = 0, reserved = 0, slices = 0, referenced = 0;
    size_t tiny = 0, go_big = 0;
    size_t i, j;
    mem_counts_t mc;
    const gs_heap_t *h = &c->heap;

    for (i = 0; i < NVARS; i++) {
        const gs_slice_t *s = &c->v[i];
        const ref_var_t *r = &c->r[i];
        if (s->len != r->len || s->cap != r->cap || s->elem != r->elem)
            return fail(c, "v%zu: len/cap/elem %zu/%zu/%zu, expected %zu/%zu/%zu",
                        i, s->len, s->cap, s->elem, r->len, r->cap, r->elem);
        if ((s->array != NULL) != (r->arr >= 0))
            return fail(c, "v%zu: %s an array, expected %s", i,
                        s->array ? "has" : "has no", r->arr >= 0 ? "one" : "none");
        if (r->cap == 0) {
            if (s->data != NULL) return fail(c, "v%zu: cap 0 but data set", i);
        } else {
            const ref_array_t *a = &c->arrs[r->arr];
            if (s->data != a->base + r->off * r->elem)
                return fail(c, "v%zu: data is not array base + %zu elements", i, r->off);
            if (memcmp(s->data, ref_at(c, r, 0), r->cap * r->elem) != 0)
                return fail(c, "v%zu: contents differ from the reference", i);
        }
        if (r->arr >= 0) {
            size_t n = 0;
            for (j = 0; j < NVARS; j++) n += c->r[j].arr == r->arr;
            if (c->arrs[r->arr].refs != n)
                return fail(c, "reference broken: refs %zu, %zu variables",
                            c->arrs[r->arr].refs, n);
            if (gs_refs(s) != n)
                return fail(c, "v%zu: gs_refs %zu, expected %zu", i, gs_refs(s), n);
            if (gs_array_bytes(s) != c->arrs[r->arr].cap * r->elem)
                return fail(c, "v%zu: gs_array_bytes %zu", i, gs_array_bytes(s));
            if (gs_array_reserved(s) != c->arrs[r->arr].reserved)
                return fail(c, "v%zu: gs_array_reserved %zu", i, gs_array_reserved(s));
            slices++;
            referenced += r->len * r->elem;
        } else if (gs_refs(s) != 0) {
            return fail(c, "v%zu: gs_refs %zu without an array", i, gs_refs(s));
        }
        for (j = 0; j < NVARS; j++) {
            int want = r->arr >= 0 && r->arr == c->r[j].arr;
            if (gs_same_array(s, &c->v[j]) != want)
                return fail(c, "gs_same_array(v%zu, v%zu) is %d", i, j, !want);
        }
    }
    for (i = 0; i < c->narrs; i++) {
        size_t bytes = c->arrs[i].cap * c->arrs[i].elem, go;
        if (c->arrs[i].refs == 0) continue;
        live_arrays++;
        held += bytes;
        reserved += c->arrs[i].reserved;
        if (bytes < GS_GO_TINY_SIZE) {
            tiny++;
        } else if (gs_go_roundupsize(bytes, &go) == 0) {
            go_big += go;
        }
    }
    /* Go's bytes: every array in its class or pages, and the tiny ones in
     * at least one and at most one block each (placement: test_gs_goheap). */
    if (h->go_held_bytes < go_big + (tiny ? GS_GO_TINY_SIZE : 0) ||
        h->go_held_bytes > go_big + tiny * GS_GO_TINY_SIZE)
        return fail(c, "heap.go_held_bytes is %zu: %zu B in classes, %zu tiny",
                    h->go_held_bytes, go_big, tiny);
    if (h->go_held_bytes > h->peak_go_held_bytes ||
        h->go_held_bytes + h->go_garbage_bytes > h->peak_go_heap_bytes)
        return fail(c, "heap.go_held_bytes %zu over its peaks", h->go_held_bytes);
    if (c->gc == GS_GC_OFF && (h->garbage_arrays != 0 || h->go_garbage_bytes != 0 ||
                               h->gc_cycles != 0 || h->go_idle_bytes != 0))
        return fail(c, "garbage or collections with GC off");
    if (c->gc == GS_GC_GO && h->gc_cycles != 0 &&
        h->go_goal_bytes < h->go_marked_bytes + h->go_marked_bytes / 100 * c->gogc)
        return fail(c, "heap.go_goal_bytes %zu under marked %zu at GOGC %u",
                    h->go_goal_bytes, h->go_marked_bytes, c->gogc);
#define SAME(field, want)                                                     \
    if ((uint64_t)h->field != (uint64_t)(want))                               \
        return fail(c, "heap." #field " is %" PRIu64 ", expected %" PRIu64,   \
                    (uint64_t)h->field, (uint64_t)(want))
    SAME(live_arrays, live_arrays);
    SAME(held_bytes, held);
    SAME(held_reserved_bytes, reserved);
    SAME(live_slices, slices);
    SAME(referenced_bytes, referenced);
    SAME(peak_held_bytes, c->peak_held);
    SAME(arrays_made, c->arrays_made);
    SAME(bytes_made, c->bytes_made);
    SAME(grows, c->grows);
#undef SAME
    mem_counts_get(&mc);
    /* In GC mode the garbage is still allocated, its reserve unknown
     * here; the spans' and the page heap's free memory is not counted. */
    if (mc.live_requested != (int64_t)(held + h->garbage_bytes) ||
        (c->gc == GS_GC_OFF ? mc.live_bytes != (int64_t)reserved
                            : mc.live_bytes < (int64_t)reserved))
        return fail(c, "allocator live %" PRId64 "/%" PRId64 ", held %zu/%zu",
                    mc.live_bytes, mc.live_requested, reserved, held);
    if (mem_fail_armed() != c->armed)
        return fail(c, "pending allocation failure %s", c->armed ? "consumed" : "appeared");
    return 0;
}

static int expect_rc(ctx_t *c, const char *op, int got, int want)
{
    if (got != want) return fail(c, "%s returned %d, expected %d", op, got, want);
    if (want != 0) c->stats.errors++;
    return 0;
}

/* The allocation of an operation that allocates: -ENOMEM when a failure is
 * pending (which it consumes), else 0. */
static int ref_alloc_rc(ctx_t *c)
{
    if (!c->armed) return 0;
    c->armed = 0;
    c->stats.nomem++;
    return -ENOMEM;
}

/* ------------------------------------------------------------------------
 * Operations: each decodes its operands, works out the expected result on
 * the reference, runs the model, compares, then updates the reference.
 * Returns 1 when skipped (too big), 0 when done, -1 on disagreement.
 * ------------------------------------------------------------------------ */

static int op_make(ctx_t *c)
{
    unsigned d = rd_var(c), b = rd8(c);
    size_t elem = c->elem[b & 1], len = rd_size(c), cap = len + rd_size(c);
    gs_slice_t t;
    int want, rc;
    long id = -1;

    if ((b & 0x0e) == 0x0e) cap = rd_size(c);              /* maybe len > cap */
    if ((b & 0xf0) == 0xf0) cap = (size_t)PTRDIFF_MAX / elem + 1 + (b & 1);
    if ((b & 0xf0) == 0xe0) { cap = SIZE_MAX; len = b & 3; }
    if (c->trace) fprintf(stderr, "  v%u = make(%zu, %zu, %zu)\n", d, elem, len, cap);

    if (len > cap) want = -EINVAL;
    else if (cap > (size_t)PTRDIFF_MAX / elem) want = -EOVERFLOW;
    else if (cap * elem > MAX_ARRAY_BYTES) return 1;
    else if (cap == 0) want = 0;
    else want = ref_alloc_rc(c);

    rc = gs_make(&c->heap, elem, len, cap, &t);
    if (expect_rc(c, "gs_make", rc, want) < 0) return -1;
    if (rc != 0) return 0;
    gs_release(&c->v[d]);
    c->v[d] = t;
    if (cap != 0) {      /* the new array exists before the old one goes */
        if (ref_new_array(c, elem, cap, &id) < 0) return -1;
        c->arrs[id].refs = 1;
        ref_bind(c, id, d);
    }
    ref_release(c, d);
    c->r[d].arr = id;
    c->r[d].off = 0;
    c->r[d].len = len;
    c->r[d].cap = cap;
    c->r[d].elem = elem;
    return 0;
}

/* v[d] = v[s][lo:hi] or v[s][lo:hi:max] (three == 1). */
static int op_sub(ctx_t *c, int three)
{
    unsigned d = rd_var(c), s = rd_var(c);
    const ref_var_t rs = c->r[s];
    size_t max = three ? rd_bound(c, rs.cap) : rs.cap;
    size_t hi = rd_bound(c, max < rs.cap ? max : rs.cap);
    size_t lo = rd_bound(c, hi < rs.cap ? hi : rs.cap);
    gs_slice_t t;
    int want, rc;

    if (c->trace)
        fprintf(stderr, "  v%u = v%u[%zu:%zu:%zu]\n", d, s, lo, hi, max);
    want = lo <= hi && hi <= max && max <= rs.cap ? 0 : -ERANGE;
    if (d == s) {
        rc = three ? gs_sub3(&c->v[s], lo, hi, max, &c->v[s])
                   : gs_sub(&c->v[s], lo, hi, &c->v[s]);
    } else {
        rc = three ? gs_sub3(&c->v[s], lo, hi, max, &t)
                   : gs_sub(&c->v[s], lo, hi, &t);
    }
    if (expect_rc(c, three ? "gs_sub3" : "gs_sub", rc, want) < 0) return -1;
    if (rc != 0) return 0;
    if (d != s) {
        gs_release(&c->v[d]);
        c->v[d] = t;
        if (rs.arr >= 0) c->arrs[rs.arr].refs++;   /* before d lets go */
        ref_release(c, d);
    }
    c->r[d] = rs;
    c->r[d].off = rs.off + lo;
    c->r[d].len = hi - lo;
    c->r[d].cap = max - lo;
    return 0;
}

/* The reference side of v[d] = append(v[d], src[0..n)...), src already a
 * private copy. Returns the expected rc (0 or -ENOMEM or -EOVERFLOW), or 1
 * when the result would be too big to run. */
static int ref_append_rc(ctx_t *c, unsigned d, size_t n, size_t *newcap)
{
    const ref_var_t *r = &c->r[d];
    int rc;
    if (n == 0) return 0;
    if (n > SIZE_MAX - r->len) return -EOVERFLOW;
    if (r->len + n > (size_t)PTRDIFF_MAX / r->elem) return -EOVERFLOW;
    if (r->len + n <= r->cap) {
        *newcap = r->cap;
        return 0;
    }
    rc = gs_next_cap(c->policy, r->cap, r->len + n, r->elem, newcap);
    if (rc < 0) return rc;
    if (*newcap * r->elem > MAX_ARRAY_BYTES) return 1;
    return ref_alloc_rc(c);
}

static int ref_append_apply(ctx_t *c, unsigned d, const unsigned char *src,
                            size_t n, size_t newcap)
{
    ref_var_t *r = &c->r[d];
    size_t e = r->elem;
    long id;
    if (n == 0) return 0;
    if (r->len + n <= r->cap) {
        memcpy(ref_at(c, r, r->len), src, n * e);
        r->len += n;
        return 0;
    }
    if (ref_new_array(c, e, newcap, &id) < 0) return -1;
    if (r->len != 0) memcpy(c->arrs[id].bytes, ref_at(c, r, 0), r->len * e);
    memcpy(c->arrs[id].bytes + r->len * e, src, n * e);
    c->arrs[id].refs = 1;
    if (r->arr >= 0) ref_unref(c, r->arr);
    r->arr = id;
    r->off = 0;
    r->len += n;
    r->cap = newcap;
    c->grows++;
    c->stats.grows++;
    ref_bind(c, id, d);
    return 0;
}

/* kind 0: n new values; 1: one new value (gs_append1); 2: v[s] (append
 * slice); 3: a window v[s][lo:lo+n] of v[s]'s array, read through a raw
 * pointer (gs_append); 4: an overflowing n. */
static int op_append(ctx_t *c, int kind)
{
    unsigned d = rd_var(c), s = d;
    size_t e = c->r[d].elem, n = 0, lo = 0, newcap = 0;
    unsigned char *src = NULL;
    const void *model_src = NULL;
    int want, rc;

    switch (kind) {
    case 0:
        n = rd_size(c);
        if (n * e > MAX_ARRAY_BYTES) return 1;
        fill(c, n * e);
        model_src = c->buf;
        break;
    case 1:
        n = 1;
        fill(c, e);
        model_src = c->buf;
        break;
    case 2:
        s = rd_var(c);
        n = c->r[s].len;
        break;
    case 3:
        s = rd_var(c);
        if (c->r[s].elem != e || c->r[s].cap == 0) return 1;
        lo = rd8(c) % c->r[s].cap;
        n = rd8(c) % (c->r[s].cap - lo + 1);
        model_src = gs_at(&c->v[s], lo);
        break;
    default: {
        unsigned b = rd8(c) % 3;
        size_t len = c->r[d].len;
        n = b == 0 ? SIZE_MAX - len + 1 : b == 1 ? SIZE_MAX
                   : (size_t)PTRDIFF_MAX / e - len + 1;
        model_src = c->buf;
        break;
    }
    }
    if (c->trace)
        fprintf(stderr, "  v%u = append(v%u, %zu elements, kind %d from v%u[%zu:])\n",
                d, d, n, kind, s, lo);

    if (kind == 2 && c->r[s].elem != e) {
        want = -EINVAL;
    } else {
        want = ref_append_rc(c, d, n, &newcap);
        if (want == 1) return 1;
    }
    if (want == 0 && n != 0 && (kind == 2 || kind == 3)) {
        /* The reference reads its source before writing anything, which
         * is what the model must behave as if it did. */
        memcpy(c->buf, ref_at(c, &c->r[s], lo), n * e);
    }
    src = c->buf;

    if (kind == 1) rc = gs_append1(&c->heap, &c->v[d], model_src);
    else if (kind == 2) rc = gs_append_slice(&c->heap, &c->v[d], &c->v[s]);
    else rc = gs_append(&c->heap, &c->v[d], model_src, n);
    if (expect_rc(c, "append", rc, want) < 0) return -1;
    if (rc != 0) return 0;
    return ref_append_apply(c, d, src, n, newcap);
}

static int op_copy(ctx_t *c)
{
    unsigned d = rd_var(c), s = rd_var(c);
    const ref_var_t *rd = &c->r[d], *rs = &c->r[s];
    size_t n = rd->len < rs->len ? rd->len : rs->len, got = SIZE_MAX;
    int want = rd->elem == rs->elem ? 0 : -EINVAL, rc;

    if (c->trace) fprintf(stderr, "  copy(v%u, v%u)\n", d, s);
    rc = gs_copy(&c->v[d], &c->v[s], &got);
    if (expect_rc(c, "gs_copy", rc, want) < 0) return -1;
    if (rc != 0) return 0;
    if (got != n) return fail(c, "gs_copy copied %zu, expected %zu", got, n);
    if (n != 0) memmove(ref_at(c, rd, 0), ref_at(c, rs, 0), n * rd->elem);
    return 0;
}

static int op_clone(ctx_t *c)
{
    unsigned d = rd_var(c), s = rd_var(c);
    ref_var_t rs = c->r[s];
    gs_slice_t t;
    int want = rs.len == 0 ? 0 : ref_alloc_rc(c), rc;
    long id = -1;

    if (c->trace) fprintf(stderr, "  v%u = clone(v%u)\n", d, s);
    rc = gs_clone(&c->heap, &c->v[s], d == s ? &c->v[s] : &t);
    if (expect_rc(c, "gs_clone", rc, want) < 0) return -1;
    if (rc != 0) return 0;
    if (d != s) {
        gs_release(&c->v[d]);
        c->v[d] = t;
    }
    if (rs.len != 0) {
        if (ref_new_array(c, rs.elem, rs.len, &id) < 0) return -1;
        memcpy(c->arrs[id].bytes, ref_at(c, &rs, 0), rs.len * rs.elem);
        c->arrs[id].refs = 1;
        ref_bind(c, id, d);
    }
    ref_release(c, d);
    c->r[d].arr = id;
    c->r[d].off = 0;
    c->r[d].len = c->r[d].cap = rs.len;
    c->r[d].elem = rs.elem;
    return 0;
}

static int op_write(ctx_t *c)
{
    unsigned d = rd_var(c);
    ref_var_t *r = &c->r[d];
    size_t i;
    if (r->cap == 0) return 1;
    i = rd8(c) % r->cap;
    if (c->trace) fprintf(stderr, "  v%u[:cap][%zu] = x\n", d, i);
    fill(c, r->elem);
    memcpy(gs_at(&c->v[d], i), c->buf, r->elem);
    memcpy(ref_at(c, r, i), c->buf, r->elem);
    return 0;
}

static int op_destroy(ctx_t *c)
{
    int want = 0, rc;
    size_t i;
    for (i = 0; i < c->narrs; i++)
        if (c->arrs[i].refs > 0) want = -EBUSY;
    if (c->trace) fprintf(stderr, "  destroy heap\n");
    rc = gs_heap_destroy(&c->heap);
    if (expect_rc(c, "gs_heap_destroy", rc, want) < 0) return -1;
    if (rc == 0) {
        /* An empty heap starts over, cumulative counters included. */
        c->arrays_made = c->bytes_made = c->grows = 0;
        c->peak_held = 0;
    }
    return 0;
}

enum {
    OP_MAKE, OP_SUB, OP_SUB3, OP_APPEND1, OP_APPENDN, OP_APPEND_SLICE,
    OP_APPEND_VIEW, OP_COPY, OP_CLONE, OP_CLIP, OP_RELEASE, OP_WRITE,
    OP_FAIL, OP_APPEND_HUGE, OP_DESTROY, OP_COUNT
};

/* Opcode weights out of 256: appends and slicing most often. */
static int decode_op(unsigned b)
{
    static const unsigned char upto[OP_COUNT] = {
        /* MAKE */ 28, /* SUB */ 56, /* SUB3 */ 72, /* APPEND1 */ 110,
        /* APPENDN */ 140, /* APPEND_SLICE */ 160, /* APPEND_VIEW */ 176,
        /* COPY */ 190, /* CLONE */ 204, /* CLIP */ 212, /* RELEASE */ 226,
        /* WRITE */ 238, /* FAIL */ 247, /* APPEND_HUGE */ 251,
        /* DESTROY */ 255,
    };
    int i;
    for (i = 0; i < OP_COUNT; i++)
        if (b < upto[i]) return i;
    return OP_DESTROY;
}

static int run_op(ctx_t *c, int op)
{
    unsigned d;
    switch (op) {
    case OP_MAKE: return op_make(c);
    case OP_SUB: return op_sub(c, 0);
    case OP_SUB3: return op_sub(c, 1);
    case OP_APPEND1: return op_append(c, 1);
    case OP_APPENDN: return op_append(c, 0);
    case OP_APPEND_SLICE: return op_append(c, 2);
    case OP_APPEND_VIEW: return op_append(c, 3);
    case OP_APPEND_HUGE: return op_append(c, 4);
    case OP_COPY: return op_copy(c);
    case OP_CLONE: return op_clone(c);
    case OP_WRITE: return op_write(c);
    case OP_DESTROY: return op_destroy(c);
    case OP_CLIP:
        d = rd_var(c);
        if (c->trace) fprintf(stderr, "  clip(v%u)\n", d);
        gs_clip(&c->v[d]);
        c->r[d].cap = c->r[d].len;
        return 0;
    case OP_RELEASE:
        d = rd_var(c);
        if (c->trace) fprintf(stderr, "  release(v%u)\n", d);
        gs_release(&c->v[d]);
        ref_release(c, d);
        return 0;
    case OP_FAIL:
        /* In GC mode a collection may run before an allocation that then
         * fails (gs.h's one exception to the strong guarantee), which the
         * reference cannot follow: no failures. */
        if (c->gc != GS_GC_OFF) return 1;
        if (c->trace) fprintf(stderr, "  fail the next allocation\n");
        mem_fail_arm(0);
        c->armed = 1;
        return 0;
    default:
        return fail(c, "bad opcode %d", op);
    }
}

int gs_ops_run(const uint8_t *data, size_t size, int trace,
               gs_ops_stats_t *stats, char *why, size_t why_size)
{
    static char no_why[8];
    ctx_t c;
    int rc = 0;
    size_t i;

    memset(&c, 0, sizeof c);
    c.in = data;
    c.in_n = size;
    c.trace = trace;
    c.why = why != NULL && why_size > 0 ? why : no_why;
    c.why_size = why != NULL && why_size > 0 ? why_size : sizeof no_why;
    c.why[0] = '\0';
    {
        /* the first byte: the policy, then the GC mode (off, GOGC 0 which
         * collects before nearly every allocation, or GOGC 100) */
        unsigned b = rd8(&c);
        static const unsigned gogcs[3] = { 0, 0, 100 };
        c.policy = (gs_policy_t)(b % GS_POLICY_COUNT);
        c.gc = (b / GS_POLICY_COUNT) % 3 == 0 ? GS_GC_OFF : GS_GC_GO;
        c.gogc = gogcs[(b / GS_POLICY_COUNT) % 3];
    }
    c.elem[0] = elem_choices[rd8(&c) % 8];
    c.elem[1] = elem_choices[rd8(&c) % 8];
    c.buf = malloc(MAX_ARRAY_BYTES);
    if (c.buf == NULL) return fail(&c, "out of memory");
    mem_fail_disarm();
    mem_counts_reset();
    gs_heap_init(&c.heap, c.policy);
    if (gs_heap_set_gc(&c.heap, c.gc, c.gogc) != 0) {
        free(c.buf);
        return fail(&c, "gs_heap_set_gc failed on an empty heap");
    }
    /* replays must repeat: the scavenger unpaced (no clock) */
    (void)gs_heap_set_scavenger_pace(&c.heap, 0, 0);
    for (i = 0; i < NVARS; i++) {
        c.v[i] = gs_nil(c.elem[i & 1]);
        c.r[i].arr = -1;
        c.r[i].elem = c.elem[i & 1];
    }
    if (trace)
        fprintf(stderr, "policy %s, gc %s (GOGC %u), elem %zu and %zu\n",
                gs_policy_name(c.policy), gs_gc_name(c.gc), c.gogc, c.elem[0],
                c.elem[1]);

    while (rc == 0 && c.in_i < c.in_n) {
        int op = decode_op(rd8(&c)), r = run_op(&c, op);
        c.step++;
        if (r < 0) { rc = -1; break; }
        if (r == 1) continue;
        c.stats.ops++;
        rc = check_all(&c);
    }
    /* Release everything, in order, checking after each. */
    for (i = 0; i < NVARS && rc == 0; i++) {
        gs_release(&c.v[i]);
        ref_release(&c, (unsigned)i);
        rc = check_all(&c);
    }
    if (rc == 0 && gs_heap_destroy(&c.heap) != 0)
        rc = fail(&c, "gs_heap_destroy failed with nothing live");
    if (rc != 0) {
        /* Leave nothing behind even after a disagreement (for the fuzzer's
         * leak checker): release what the model still holds, best effort. */
        for (i = 0; i < NVARS; i++) gs_release(&c.v[i]);
        (void)gs_heap_destroy(&c.heap);
    }
    mem_fail_disarm();
    for (i = 0; i < c.narrs; i++) free(c.arrs[i].bytes);
    free(c.arrs);
    free(c.buf);
    if (stats != NULL) {
        stats->ops += c.stats.ops;
        stats->errors += c.stats.errors;
        stats->grows += c.stats.grows;
        stats->nomem += c.stats.nomem;
    }
    return rc;
}
