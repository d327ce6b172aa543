/* gs_gosweep.c -- the Go GC mode's sweeper (see gs.h, "The Go GC mode").
 *
 * Go 1.19 frees a cycle's garbage lazily: at mark termination every span
 * becomes unswept, and a dead one keeps its pages until a sweep reaches
 * it. The model does the same. This file keeps the arrays with pages of
 * their own (_gs_array_in_pages: large objects, and the one-object classes
 * of 8, 16, 24 and 32 KiB) and paces and orders the whole sweep; the
 * spans of the shared classes keep their own unswept lists
 * (gs_gospans.c), which sweepone and the reclaimer reach through it.
 *
 * Every such array is on one of two lists of its kind (large, or its
 * class), first in, first out, as mcentral's span sets are: `listed`, the
 * arrays made or found alive by a sweep since the cycle ended, and
 * `unswept`, what the last mark termination left to sweep (the listed of
 * then). A sweep of an array frees it if that cycle found it dead
 * (_gs_go_free_swept: its pages go idle) and lists it again if not. What
 * sweeps, as in Go:
 *   - mcentral.cacheSpan, for an array of a one-object class: first the
 *     proportional sweep (below); then its class's unswept arrays from the
 *     oldest, at most 101 (spanBudget); the first dead one is swept in
 *     place and its span, pages and all, goes to the new array
 *     (_gs_sweep_reuse), which Go zeroes: only pages never written before
 *     fault in (heldBytes' unwritten rounds). Only if none is dead does
 *     the array take pages from the page heap;
 *   - deductSweepCredit, before every span taken (a large array's, a
 *     one-object class's, a span of small objects'): sweepone until the
 *     pages swept since the cycle ended reach pages_per_byte x (what the
 *     heap (Go's heapLive) grew since then + the span), less a large
 *     array's own pages; gcPaceSweeper sets pages_per_byte at mark
 *     termination to sweep every span in use by 1 MiB before the next
 *     trigger. sweepone goes by Go's sweep classes: large objects first,
 *     then the small classes upward (here: the shared classes' spans, by
 *     class, then the one-object classes 8 to 32 KiB). The pages it
 *     frees are credit for the reclaimer;
 *   - mheap.reclaim, before a span is taken from the page heap: that
 *     credit first, else the dead arrays, and the spans of shared classes
 *     no live object is left in, whose pages start in the heap's next
 *     512-page chunk (pagesPerReclaimerChunk), from the lowest, until at
 *     least the span's pages are free; what it frees past them is
 *     credit;
 *   - bgsweep, which with one P gets it when the program is preempted
 *     (gs_goheap.c, scav_turn) and sweeps one span then; its sweepone
 *     finding nothing ends the sweep;
 *   - finishsweep_m as the next mark starts, and runtime.GC before it
 *     returns: everything left.
 * The sweep's end wakes the scavenger (Go's last sweeper readies it).
 * Left out: the span each one-object class has cached as the mark ends,
 * which Go sweeps then and frees rather than reuses (one per class and
 * cycle); the order of the shared classes among the one-object ones in
 * sweepone (all before).
 */
#include "gs.h"
#include "gs_impl.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>

#define PAGE ((size_t)GS_GO_PAGE_SIZE)
/* mheap.reclaim's step, pages (pagesPerReclaimerChunk) */
#define RECLAIM_CHUNK ((size_t)512)
/* gcPaceSweeper: the sweep ends this far before the trigger, bytes */
#define SWEEP_MARGIN ((size_t)1 << 20)
/* mcentral.cacheSpan: spans it sweeps before it takes a new one (its
 * spanBudget of 100 counted down to 0 and past: 101) */
#define SPAN_BUDGET 101
/* the lists: large objects, then the one-object classes of 1-4 pages */
#define LISTS 5

typedef struct list_s {
    gs_array_t *head, *tail;     /* linked through sweep_next */
} list_t;

struct gs_sweep_s {
    list_t unswept[LISTS];
    list_t listed[LISTS];
    double pages_per_byte;       /* the pace; 0: the proportional sweep is done */
    size_t heap_basis;           /* the heap (Go's heapLive) as the sweep began */
    size_t pages_swept;          /* since the sweep began */
    size_t credit;               /* pages freed ahead of the reclaimer */
    size_t reclaim_at;           /* its next chunk; SIZE_MAX: it is done */
    int active;                  /* something may be left to sweep */
};

static size_t npages(const gs_array_t *a)
{
    return _gs_go_pages(a->bytes);
}

/* Its list: 0 for a large object, else its class's pages. */
static int list_of(const gs_array_t *a)
{
    return a->bytes > GS_GO_MAX_SMALL_SIZE ? 0 : (int)npages(a);
}

static void append(list_t *l, gs_array_t *a)
{
    a->sweep_next = NULL;
    if (l->tail != NULL) l->tail->sweep_next = a;
    else l->head = a;
    l->tail = a;
}

static gs_array_t *pop(list_t *l)
{
    gs_array_t *a = l->head;
    if (a != NULL) {
        l->head = a->sweep_next;
        if (l->head == NULL) l->tail = NULL;
        a->sweep_next = NULL;
    }
    return a;
}

int _gs_sweep_init(gs_heap_t *h)
{
    if (h->sweep_ == NULL && (h->sweep_ = calloc(1, sizeof *h->sweep_)) == NULL)
        return -ENOMEM;
    h->sweep_->reclaim_at = SIZE_MAX;
    return 0;
}

void _gs_sweep_list(gs_heap_t *h, gs_array_t *a)
{
    append(&h->sweep_->listed[list_of(a)], a);
}

/* Sweep a, off its list: dead, it is freed (returns its pages; with
 * `keep`, they stay in use for the array that takes them in place);
 * alive, it is listed again (returns 0). */
static size_t sweep_array(gs_heap_t *h, gs_array_t *a, int keep)
{
    gs_sweep_t *s = h->sweep_;
    size_t n = npages(a);
    s->pages_swept += n;
    if (a->mark_born == GS_SWEEP_DEAD) {
        _gs_go_free_swept(h, a, keep);
        return n;
    }
    _gs_sweep_list(h, a);
    return 0;
}

/* sweepone: the next span in Go's order; 0 when none is left. */
static int sweep_one(gs_heap_t *h)
{
    gs_sweep_t *s = h->sweep_;
    gs_array_t *a;
    int l;
    size_t swept, freed;
    for (l = 0; l < LISTS; l++) {
        if ((a = pop(&s->unswept[l])) != NULL) {
            s->credit += sweep_array(h, a, 0);
            return 1;
        }
        if (l != 0) continue;
        /* the shared classes' spans */
        if (_gs_spans_sweep_one(h, &swept, &freed)) {
            s->pages_swept += swept;
            s->credit += freed;
            return 1;
        }
    }
    return 0;
}

/* Everything swept: the sweep is over, and its end wakes the scavenger. */
static void done(gs_heap_t *h)
{
    gs_sweep_t *s = h->sweep_;
    s->pages_per_byte = 0;
    s->credit = 0;
    s->reclaim_at = SIZE_MAX;
    s->active = 0;
    _gs_go_swept(h);
}

void _gs_sweep_finish(gs_heap_t *h)
{
    gs_sweep_t *s = h->sweep_;
    if (s == NULL || !s->active) return;
    while (sweep_one(h)) {}
    done(h);
}

void _gs_sweep_count(gs_heap_t *h, size_t pages)
{
    if (h->sweep_ != NULL && h->sweep_->active) h->sweep_->pages_swept += pages;
}

void _gs_sweep_begin(gs_heap_t *h, size_t heap, size_t trigger, size_t small_bytes,
                     size_t swept_pages)
{
    gs_sweep_t *s = h->sweep_;
    size_t in_use, distance;
    const gs_array_t *a;
    int l;
    if (s == NULL) {                 /* nothing was ever made: nothing to sweep */
        _gs_go_swept(h);
        return;
    }
    _gs_sweep_finish(h);
    /* the shared classes' spans: the current ones were swept as the mark
     * ended (swept_pages), every other one waits on its class's lists */
    in_use = small_bytes / PAGE;
    for (l = 0; l < LISTS; l++) {
        s->unswept[l] = s->listed[l];
        s->listed[l].head = s->listed[l].tail = NULL;
        for (a = s->unswept[l].head; a != NULL; a = a->sweep_next) in_use += npages(a);
    }
    s->pages_swept = swept_pages;
    s->credit = 0;
    s->reclaim_at = 0;
    s->heap_basis = heap;
    s->active = 1;
    /* gcPaceSweeper: at least a page of runway */
    distance = trigger > heap + SWEEP_MARGIN ? trigger - heap - SWEEP_MARGIN : 0;
    if (distance < PAGE) distance = PAGE;
    s->pages_per_byte = (double)in_use / (double)distance;
    if (in_use == 0) done(h);                    /* nothing to sweep */
}

void _gs_sweep_credit(gs_heap_t *h, size_t span_bytes, size_t caller_pages)
{
    gs_sweep_t *s = h->sweep_;
    size_t heap = _gs_go_live(h);
    double grown;
    int64_t target;
    if (!s->active || s->pages_per_byte == 0) return;
    /* as Go: int64(pagesPerByte x newHeapLive) - callerSweepPages */
    grown = (double)(heap > s->heap_basis ? heap - s->heap_basis : 0) + (double)span_bytes;
    target = (int64_t)(s->pages_per_byte * grown) - (int64_t)caller_pages;
    while (target > (int64_t)s->pages_swept)
        if (!sweep_one(h)) {                     /* sweepone: none left */
            done(h);
            break;
        }
}

/* Sweep the dead arrays of list l whose first page is in [lo, lo + chunk):
 * the pages freed. */
static size_t reclaim_list(gs_heap_t *h, list_t *l, size_t lo)
{
    gs_array_t *a = l->head, *prev = NULL, *next;
    size_t freed = 0, at;
    for (; a != NULL; a = next) {
        next = a->sweep_next;
        if (a->mark_born == GS_SWEEP_DEAD &&
            (at = _gs_pages_index(h, a->data)) >= lo && at < lo + RECLAIM_CHUNK) {
            if (prev != NULL) prev->sweep_next = next;
            else l->head = next;
            if (l->tail == a) l->tail = prev;
            a->sweep_next = NULL;
            freed += sweep_array(h, a, 0);
            continue;
        }
        prev = a;
    }
    return freed;
}

void _gs_sweep_reclaim(gs_heap_t *h, size_t n)
{
    gs_sweep_t *s = h->sweep_;
    size_t grown = _gs_pages_grown(h);
    int l;
    if (!s->active || s->reclaim_at == SIZE_MAX) return;
    if (s->credit >= n) {
        s->credit -= n;
        return;
    }
    n -= s->credit;
    s->credit = 0;
    while (n > 0) {
        size_t lo = s->reclaim_at, freed = 0;
        if (lo >= grown) {
            s->reclaim_at = SIZE_MAX;
            return;
        }
        s->reclaim_at += RECLAIM_CHUNK;
        for (l = 0; l < LISTS; l++) freed += reclaim_list(h, &s->unswept[l], lo);
        freed += _gs_spans_reclaim(h, lo, RECLAIM_CHUNK, &s->pages_swept);
        if (freed <= n) n -= freed;
        else {
            s->credit += freed - n;
            n = 0;
        }
    }
}

void _gs_sweep_background(gs_heap_t *h)
{
    gs_sweep_t *s = h->sweep_;
    if (s == NULL || !s->active) return;
    if (!sweep_one(h)) done(h);
}

void *_gs_sweep_reuse(gs_heap_t *h, size_t pages)
{
    gs_sweep_t *s = h->sweep_;
    int budget = SPAN_BUDGET;
    gs_array_t *a;
    if (!s->active || pages < 1 || pages >= LISTS) return NULL;
    while (budget-- > 0 && (a = pop(&s->unswept[pages])) != NULL) {
        void *data = a->data;        /* before its header is recycled */
        if (sweep_array(h, a, 1) != 0) return data;
    }
    return NULL;
}

void _gs_sweep_destroy(gs_heap_t *h)
{
    free(h->sweep_);
    h->sweep_ = NULL;
}
