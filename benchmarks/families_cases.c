/* families_cases.c -- the scenarios of families.h on the model. Each builds
 * the Go program's variables, runs it, measures what is reachable, and
 * releases everything (the heaps must end empty: -EBUSY otherwise). */
#include "families.h"

#include "gs.h"
#include "gs_ref.h"

#include "mem.h"

#include <errno.h>
#include <string.h>
#include <time.h>

double fam_now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

/* The measurement point: resident memory now, while the scenario's
 * variables are all live. */
static void at_held(fam_outcome_t *out)
{
    int64_t rss, hwm;
    out->rss_held = mem_rss_now(&rss, &hwm) == 0 ? rss : -1;
}

typedef struct world_s {
    gs_heap_t heap;
    gs_ref_heap_t rheap;
} world_t;

static void world_init(world_t *w)
{
    gs_heap_init(&w->heap, GS_GROW_GO);
    gs_ref_heap_init(&w->rheap, &w->heap);
}

/* Peak and final accounting; every live variable released by the caller. */
static int world_end(world_t *w, fam_outcome_t *out)
{
    out->peak_held_bytes = w->heap.peak_held_bytes + w->rheap.peak_held_bytes;
    if (w->rheap.live_arrays != 0) return -EBUSY;
    return gs_heap_destroy(&w->heap);
}

/* A new byte slice of n bytes, written in full (as a program fills its
 * buffers), so that it is resident. */
static int make_filled(world_t *w, size_t elem, size_t n, gs_slice_t *b)
{
    int rc = gs_make(&w->heap, elem, n, n, b);
    if (rc == 0 && n != 0) memset(b->data, 1, n * elem);
    return rc;
}

/* q = append(q, &make([]byte, item)[0]) */
static int push_item(world_t *w, gs_ref_slice_t *q, size_t item)
{
    gs_slice_t b;
    int rc = make_filled(w, 1, item, &b);
    if (rc) return rc;
    rc = gs_ref_append(&w->rheap, q, &b);
    gs_release(&b);
    return rc;
}

static int queue_run(const fam_params_t *p, const char *v, fam_outcome_t *out)
{
    world_t w;
    gs_ref_slice_t q;
    double t0;
    size_t i;
    int rc = 0, front = strstr(v, "front") != NULL || strcmp(v, "copy_live") == 0;
    int nil_out = strstr(v, "_nil") != NULL;
    size_t pops = p->pops;
    if (pops > p->queue) return -EINVAL;
    /* the append variants keep one item: pop all but one, then append */
    if (strstr(v, "_append") != NULL && p->queue > 0 && pops > p->queue - 1)
        pops = p->queue - 1;
    world_init(&w);
    q = gs_ref_nil(GS_REF_PTR_BYTES);
    for (i = 0; i < p->queue && rc == 0; i++) rc = push_item(&w, &q, p->item);
    t0 = fam_now_ns();
    for (i = 0; i < pops && rc == 0; i++) {
        size_t at = front ? 0 : q.len - 1;
        if (nil_out) rc = gs_ref_set(&q, at, NULL);
        if (rc == 0) rc = front ? gs_ref_sub(&q, 1, q.len, &q)
                                : gs_ref_sub(&q, 0, q.len - 1, &q);
    }
    if (rc == 0 && strcmp(v, "copy_live") == 0) rc = gs_ref_clone(&w.rheap, &q, &q);
    if (rc == 0 && strstr(v, "_append") != NULL) rc = push_item(&w, &q, p->item);
    out->phase_ns = fam_now_ns() - t0;
    out->ops = pops;
    at_held(out);
    if (rc == 0) rc = gs_ref_reach(NULL, 0, &q, 1, &out->held_bytes);
    gs_ref_release(&q);
    return rc ? rc : world_end(&w, out);
}

static int iovec_run(const fam_params_t *p, const char *v, fam_outcome_t *out)
{
    world_t w;
    gs_ref_slice_t iov;
    double t0;
    size_t i;
    int rc = 0;
    world_init(&w);
    iov = gs_ref_nil(GS_REF_SLICE_BYTES);      /* the long-lived object's */
    for (i = 0; i < p->bufs && rc == 0; i++) rc = push_item(&w, &iov, p->item);
    /* writev(iov) here; the caller's buffers are gone (push_item). */
    t0 = fam_now_ns();
    if (strcmp(v, "clear") == 0)
        for (i = 0; i < iov.len && rc == 0; i++) rc = gs_ref_set(&iov, i, NULL);
    if (rc == 0) rc = gs_ref_sub(&iov, 0, 0, &iov);   /* v = v[:0] */
    out->phase_ns = fam_now_ns() - t0;
    out->ops = p->bufs;
    at_held(out);
    if (rc == 0) rc = gs_ref_reach(NULL, 0, &iov, 1, &out->held_bytes);
    gs_ref_release(&iov);
    return rc ? rc : world_end(&w, out);
}

static int temporary_run(const fam_params_t *p, const char *v, fam_outcome_t *out)
{
    static const unsigned char x[1] = { 1 };
    world_t w;
    gs_slice_t b, a = gs_nil(1);
    size_t k = FAM_TEMP_KEEP;
    double t0;
    int rc;
    if (p->item <= k) return -EINVAL;
    world_init(&w);
    rc = make_filled(&w, 1, p->item, &b);
    if (rc) return rc;
    t0 = fam_now_ns();
    rc = strncmp(v, "sub3", 4) == 0 ? gs_sub3(&b, 0, k, k, &a) : gs_sub(&b, 0, k, &a);
    gs_release(&b);                               /* b goes out of scope */
    out->ops = 1;
    if (rc == 0 && strstr(v, "_append") != NULL) rc = gs_append1(&w.heap, &a, x);
    if (rc == 0 && strcmp(v, "sub_outgrow") == 0) {
        size_t n = p->item - k + 1;               /* one past cap(b) */
        out->ops = n;
        while (n-- > 0 && rc == 0) rc = gs_append1(&w.heap, &a, x);
    }
    out->phase_ns = fam_now_ns() - t0;
    at_held(out);
    if (rc == 0) rc = gs_ref_reach(&a, 1, NULL, 0, &out->held_bytes);
    gs_release(&a);
    return rc ? rc : world_end(&w, out);
}

static int article_run(const fam_params_t *p, const char *v, fam_outcome_t *out)
{
    world_t w;
    gs_slice_t b, a = gs_nil(8), c = gs_nil(8), roots[3];
    gs_slice_t two;
    double t0;
    int rc;
    if (p->item < 16) return -EINVAL;
    world_init(&w);
    rc = make_filled(&w, 8, p->item / 8, &b);
    if (rc) return rc;
    t0 = fam_now_ns();
    if (strcmp(v, "without_a") != 0) rc = gs_sub(&b, 0, 2, &a);
    if (rc == 0) rc = gs_sub(&b, 0, 2, &two);
    if (rc == 0) {
        rc = gs_append_slice(&w.heap, &c, &two);      /* c = append(c, b[:2]...) */
        gs_release(&two);
    }
    if (strcmp(v, "before_nil") != 0) gs_release(&b); /* b = nil */
    out->phase_ns = fam_now_ns() - t0;
    roots[0] = a;
    roots[1] = c;
    roots[2] = b;
    out->ops = 1;
    at_held(out);
    if (rc == 0) rc = gs_ref_reach(roots, 3, NULL, 0, &out->held_bytes);
    gs_release(&a);
    gs_release(&b);
    gs_release(&c);
    return rc ? rc : world_end(&w, out);
}

static const fam_variant_t variants[] = {
    { "queue", "pop_front", queue_run },
    { "queue", "pop_front_nil", queue_run },
    { "queue", "pop_back", queue_run },
    { "queue", "pop_back_nil", queue_run },
    { "queue", "copy_live", queue_run },
    { "queue", "pop_front_append", queue_run },
    { "queue", "pop_back_append", queue_run },
    { "iovec", "keep", iovec_run },
    { "iovec", "clear", iovec_run },
    { "temporary", "sub3_pinned", temporary_run },
    { "temporary", "sub3_append", temporary_run },
    { "temporary", "sub_pinned", temporary_run },
    { "temporary", "sub_append_inplace", temporary_run },
    { "temporary", "sub_outgrow", temporary_run },
    { "article", "before_nil", article_run },
    { "article", "after_nil", article_run },
    { "article", "without_a", article_run },
};

const fam_variant_t *fam_variants(size_t *n)
{
    *n = sizeof variants / sizeof variants[0];
    return variants;
}
