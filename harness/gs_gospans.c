/* gs_gospans.c -- the Go GC mode's spans of small objects (see gs.h, "The
 * Go GC mode").
 *
 * In GC mode an array of one of Go's small size classes that share a span
 * (every class but the tiny objects and the classes of whole pages, which
 * gs_gopages.c holds as spans of their own) takes a slot of its class in a
 * span of the page heap, as Go 1.19's mcache and mcentral hand them out:
 *   - each class has a current span (Go's mcache), and a slot is the
 *     lowest free one from where the span's last allocation left off (its
 *     freeindex); a full current span is set aside (it is found again
 *     only through the sweep: unswept from the next mark's end on, it may
 *     be swept in place and taken if a slot of it died);
 *   - then, as mcentral.cacheSpan, after the proportional sweep
 *     (deductSweepCredit, gs_gosweep.c, at every refill): a swept span of
 *     the class with free slots (Go's partial swept set), oldest first;
 *     then the class's unswept spans (below), those that had a free slot
 *     as the mark ended first, then the full ones, oldest first, each
 *     swept in place, at most 101 (spanBudget), the first with a free
 *     slot taken (an empty one too: it stays the class's, pages and all);
 *   - then a new span, class_to_allocnpages pages from the page heap
 *     (lowest first, fresh or idle or released: _gs_pages_take), which
 *     the page reclaimer pays first (gs_gosweep.c).
 * Go sweeps lazily, and so does the model: at mark termination the
 * class's current spans are flushed (Go's caches) and swept at once, and
 * every other span waits, unswept, with its dead arrays if the mark found
 * any (their bytes in go_unswept_bytes, their slots still taken), until a
 * sweep reaches it: its class's refill (above), sweepone
 * (the proportional sweep, and the background sweeper at the program's
 * preemptions: by class, smallest first, full spans before partial ones),
 * mheap.reclaim (a span no live object is left in, by address, before a
 * span is taken from the page heap), or the next mark's start and
 * runtime.GC (all). A sweep frees the dead slots; a span left with no
 * object gives its pages back to the page heap as idle pages, which the
 * scavenger may release and any array may reuse, unless its class's
 * refill swept it to take it; a span with room joins the spans with
 * free slots. Go zeroes a slot when its span's memory held an object
 * before (needzero: the pages did, or a sweep freed a slot in it).
 * The order of each class's spans is that of Go's span sets: a span goes
 * last as it leaves its class's cache (full, or flushed as a mark ends)
 * and as a sweep finds it still in use (sweepone, or a refill that found
 * it full), and every span but the flushed ones, dead slots or none, is
 * unswept when a mark ends, swept in that order, oldest first. So a span
 * whose objects were all made while a mark ran (Go allocates them black)
 * is swept in that cycle all the same and goes behind the spans the
 * refills took before the sweep reached it; in the next cycle, its
 * objects dead, it waits behind them, and the sweep frees it while the
 * refills take those. Until 2026-11-29 the model kept such a span with
 * the swept ones in the order it was last its class's current one, the
 * next cycle's refills took it first, and the heap's layout at 4800 B,
 * k = 2400 parted from Go's (its spans reached over 39.8 MiB to Go's
 * 33.9-35.7; now 33.1-35.6).
 *
 * Recorded untraced (scripts/go-record --sizes 4KiB --kept N/2
 * --strategies append --gogc 100), Go's timed run takes 2026 spans of
 * small objects from its page heap and sweeps 6167 empty ones in place
 * for their class (1211 freed); the model takes as many (1908-2025,
 * 2025 in 14 of twenty processes of d973b78; b13e635's scratch count,
 * before the order above: 6151 swept in place and 1192 freed);
 * freed at the mark's end, it took 8182 (results/GC-VS-GO.md, "The
 * shared classes too").
 *
 * A new span's pages come from the page heap, through its page cache
 * when the cache holds them in a row, as Go's do (gs_gopages.c). Left out: the bitmap cache Go allocates from (the same
 * slots, found one at a time here); spans of tiny blocks (a tiny array's
 * memory is the C allocator's, only its 16 B block is counted in Go's
 * bytes).
 *
 * Every slot is counted in the counting allocator (mem_count_take) as a
 * block of the class's size, from its allocation until a sweep frees it;
 * a span's pages are not.
 */
#include "gs.h"
#include "gs_impl.h"
#include "mem.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* The smallest class (8 B in an 8 KiB page) has the most slots. */
#define MAX_SLOTS ((size_t)GS_GO_PAGE_SIZE / 8)
#define CLASS_SLOTS ((size_t)GS_GO_MAX_SMALL_SIZE / 8 + 1)
/* mcentral.cacheSpan: unswept spans it sweeps before it takes a new one
 * (its spanBudget of 100 counted down to 0 and past: 101) */
#define SPAN_BUDGET 101

struct gs_span_s {
    unsigned char *base;     /* its first page                             */
    gs_array_t *dead;        /* the slots the last mark found dead, not yet
                                swept (linked through sweep_next)          */
    size_t ndead;            /* how many                                   */
    int unswept;             /* on its class's unswept list: 1 full, 2
                                partial (it had a free slot as the mark
                                ended), 0 not                              */
    int cached;              /* its class's current span as the mark ended */
    gs_span_t *uprev, *uafter; /* that list, oldest first                  */
    gs_span_t *older, *newer;  /* every span, by when Go last pushed it
                                  on its class's sets (age_newest)         */
    size_t pages;            /* 8 KiB pages                                */
    size_t size;             /* the class's block size, bytes              */
    size_t slots;            /* blocks it holds                            */
    size_t used;             /* slots allocated (live or garbage)          */
    size_t next;             /* no free slot below this one (freeindex)    */
    int needzero;            /* its memory held an object before           */
    int listed;              /* in its class's list of spans with room     */
    gs_span_t *prev, *after; /* that list, oldest first                    */
    uint64_t bits[MAX_SLOTS / 64]; /* 1: the slot is allocated            */
};

/* Per class, by block size / 8 (only the classes' sizes are used). */
struct gs_spans_s {
    gs_span_t *current[CLASS_SLOTS];
    gs_span_t *first[CLASS_SLOTS];   /* spans with free slots, oldest first */
    gs_span_t *last[CLASS_SLOTS];
    /* spans not yet swept: [0] full as the mark ended, [1] partial (Go's
     * fullUnswept and partialUnswept), oldest first */
    gs_span_t *ufirst[2][CLASS_SLOTS];
    gs_span_t *ulast[2][CLASS_SLOTS];
    size_t unswept_pages;            /* the pages of the spans on them      */
    size_t ucursor;                  /* no unswept span of a class below    */
    gs_span_t *cached[CLASS_SLOTS];  /* the current spans the flush set aside */
    size_t ncached;
    size_t cached_pages;             /* their pages                          */
    gs_span_t *oldest, *newest;      /* every span (older, newer)           */
};

static void age_unlink(gs_spans_t *s, gs_span_t *sp)
{
    if (sp->older != NULL) sp->older->newer = sp->newer;
    else if (s->oldest == sp) s->oldest = sp->newer;
    if (sp->newer != NULL) sp->newer->older = sp->older;
    else if (s->newest == sp) s->newest = sp->older;
    sp->older = sp->newer = NULL;
}

/* sp becomes the newest (Go pushes a span on its class's sets as it
 * leaves the cache and as a sweep finds it in use, so they go oldest
 * first); a new span too, so that every span is on the age list. */
static void age_newest(gs_spans_t *s, gs_span_t *sp)
{
    if (s->newest == sp) return;
    age_unlink(s, sp);
    sp->older = s->newest;
    if (s->newest != NULL) s->newest->newer = sp;
    else s->oldest = sp;
    s->newest = sp;
}

static void list_add(gs_spans_t *s, gs_span_t *sp)
{
    size_t c = sp->size / 8;
    sp->prev = s->last[c];
    sp->after = NULL;
    if (s->last[c] != NULL) s->last[c]->after = sp;
    else s->first[c] = sp;
    s->last[c] = sp;
    sp->listed = 1;
}

static void list_remove(gs_spans_t *s, gs_span_t *sp)
{
    size_t c = sp->size / 8;
    if (sp->prev != NULL) sp->prev->after = sp->after;
    else s->first[c] = sp->after;
    if (sp->after != NULL) sp->after->prev = sp->prev;
    else s->last[c] = sp->prev;
    sp->listed = 0;
}

static void ulist_add(gs_spans_t *s, gs_span_t *sp, int which)
{
    size_t c = sp->size / 8;
    int k = which - 1;
    sp->uprev = s->ulast[k][c];
    sp->uafter = NULL;
    if (s->ulast[k][c] != NULL) s->ulast[k][c]->uafter = sp;
    else s->ufirst[k][c] = sp;
    s->ulast[k][c] = sp;
    sp->unswept = which;
    s->unswept_pages += sp->pages;
    if (c < s->ucursor) s->ucursor = c;
}

static void ulist_remove(gs_spans_t *s, gs_span_t *sp)
{
    size_t c = sp->size / 8;
    int k = sp->unswept - 1;
    if (sp->uprev != NULL) sp->uprev->uafter = sp->uafter;
    else s->ufirst[k][c] = sp->uafter;
    if (sp->uafter != NULL) sp->uafter->uprev = sp->uprev;
    else s->ulast[k][c] = sp->uprev;
    sp->unswept = 0;
    s->unswept_pages -= sp->pages;
}

/* The lowest free slot of sp from sp->next on, or sp->slots if none. */
static size_t free_slot(const gs_span_t *sp)
{
    size_t i = sp->next;
    while (i < sp->slots) {
        uint64_t w = ~sp->bits[i / 64] >> (i % 64);
        if (w != 0) {
            i += (size_t)__builtin_ctzll(w);
            return i < sp->slots ? i : sp->slots;
        }
        i = (i / 64 + 1) * 64;
    }
    return sp->slots;
}

/* A new span of the class of `size` bytes, empty. */
static int span_new(gs_heap_t *h, size_t size, gs_span_t **out)
{
    gs_span_t *sp = calloc(1, sizeof *sp);
    void *base;
    int used, rc;
    size_t slots, pages;
    if (sp == NULL) return -ENOMEM;
    pages = _gs_go_class_pages(size, &slots);
    if (slots == 0 || slots > MAX_SLOTS) {   /* not a class size: a bug */
        free(sp);
        return -EINVAL;
    }
    /* mheap.alloc reclaims first (span_for paid the proportional sweep) */
    _gs_sweep_reclaim(h, pages);
    if ((rc = _gs_pages_take(h, pages, &base, &used)) < 0) {
        free(sp);
        return rc;
    }
    sp->base = base;
    sp->pages = pages;
    sp->size = size;
    sp->slots = slots;
    sp->needzero = used;
    age_newest(h->spans_, sp);
    h->small_spans++;
    h->small_span_bytes += pages * GS_GO_PAGE_SIZE;
    *out = sp;
    return 0;
}

/* Free the slot at data of sp (uncounted: an array of `bytes`). */
static void slot_clear(gs_span_t *sp, void *data, size_t bytes)
{
    size_t i = (size_t)((unsigned char *)data - sp->base) / sp->size;
    mem_count_give(bytes, sp->size);
    sp->bits[i / 64] &= ~((uint64_t)1 << (i % 64));
    sp->used--;
    sp->needzero = 1;
    sp->next = 0;
}

/* sp, empty, back to the page heap (idle pages). */
static void span_release(gs_heap_t *h, gs_span_t *sp)
{
    gs_spans_t *s = h->spans_;
    size_t i;
    if (sp->listed) list_remove(s, sp);
    if (sp->unswept) ulist_remove(s, sp);
    if (s->current[sp->size / 8] == sp) s->current[sp->size / 8] = NULL;
    if (sp->cached)
        for (i = 0; i < s->ncached; i++)
            if (s->cached[i] == sp) s->cached[i] = NULL;
    age_unlink(s, sp);
    _gs_pages_put(h, sp->base, sp->pages);
    h->small_spans--;
    h->small_span_bytes -= sp->pages * GS_GO_PAGE_SIZE;
    free(sp);
}

/* Sweep sp, off its unswept list: its dead slots are freed (their arrays'
 * counts and headers: _gs_go_slot_swept), if it has any. Left empty, it
 * goes back to the page heap, its pages returned, unless `preserve`
 * (mcentral.cacheSpan sweeps it to take it: it stays, for the caller,
 * which ages it if it is still full); not preserved and still in use, it
 * becomes the newest (Go pushes it on its class's swept sets) and, with
 * room, joins the spans with free slots. */
static size_t span_sweep(gs_heap_t *h, gs_span_t *sp, int preserve)
{
    gs_spans_t *s = h->spans_;
    gs_array_t *a, *next;
    size_t pages = sp->pages;
    ulist_remove(s, sp);
    if (preserve) _gs_sweep_count(h, pages);   /* Go's pagesSwept counts it */
    for (a = sp->dead; a != NULL; a = next) {
        next = a->sweep_next;
        a->sweep_next = NULL;
        slot_clear(sp, a->data, a->bytes);
        _gs_go_slot_swept(h, a);
    }
    sp->dead = NULL;
    sp->ndead = 0;
    if (preserve) return 0;
    if (sp->used == 0) {
        span_release(h, sp);
        _gs_go_sync(h);
        return pages;
    }
    age_newest(s, sp);               /* on the swept sets, as Go pushes it */
    if (sp->used < sp->slots && !sp->listed && s->current[sp->size / 8] != sp)
        list_add(s, sp);
    return 0;
}

/* The span the class of `size` allocates its next slot from, with the
 * slot in *slot: the current one; else, as mcentral.cacheSpan, after the
 * proportional sweep (deductSweepCredit: every refill), a swept one with
 * free slots, then unswept ones swept in place, partial then full, at most
 * SPAN_BUDGET of them, the first with a free slot; else a new one. */
static int span_for(gs_heap_t *h, size_t size, gs_span_t **out, size_t *slot)
{
    gs_spans_t *s = h->spans_;
    size_t c = size / 8, i, slots;
    gs_span_t *sp = s->current[c];
    int rc, budget = SPAN_BUDGET, k;
    if (sp != NULL && (i = free_slot(sp)) < sp->slots) goto found;
    if (sp != NULL) age_newest(s, sp);      /* full: it leaves the cache */
    s->current[c] = NULL;
    _gs_sweep_credit(h, _gs_go_class_pages(size, &slots) * GS_GO_PAGE_SIZE, 0);
    while ((sp = s->first[c]) != NULL) {
        list_remove(s, sp);
        if ((i = free_slot(sp)) < sp->slots) goto found;
    }
    for (k = 1; k >= 0; k--)                /* partial, then full */
        while (budget > 0 && (sp = s->ufirst[k][c]) != NULL) {
            budget--;
            (void)span_sweep(h, sp, 1);
            if ((i = free_slot(sp)) < sp->slots) goto found;
            age_newest(s, sp);         /* still full: on Go's fullSwept */
        }
    if ((rc = span_new(h, size, &sp)) < 0) return rc;
    i = 0;
found:
    if (s->current[c] != sp)            /* mcache.refill: heapLive takes it whole */
        h->go_live_lead_ += sp->pages * GS_GO_PAGE_SIZE - sp->used * sp->size;
    s->current[c] = sp;
    *out = sp;
    *slot = i;
    return 0;
}

int _gs_spans_alloc(gs_heap_t *h, size_t bytes, int zeroed, void **data,
                    size_t *reserved, gs_span_t **span)
{
    size_t size = _gs_go_block_bytes(bytes), i;
    gs_span_t *sp;
    unsigned char *d;
    int rc;
    if (h->spans_ == NULL && (h->spans_ = calloc(1, sizeof *h->spans_)) == NULL)
        return -ENOMEM;
    if ((rc = mem_count_take(bytes, size)) < 0) return rc;
    if ((rc = span_for(h, size, &sp, &i)) < 0) {
        mem_count_give(bytes, size);
        return rc;
    }
    sp->bits[i / 64] |= (uint64_t)1 << (i % 64);
    sp->used++;
    /* counted in heapLive as its span was taken (a slot is freed only
     * by a sweep, never in a current span, or as a mark ends, after the
     * current spans are flushed: the lead holds every slot taken here) */
    h->go_live_lead_ -= size;
    sp->next = i + 1;
    d = sp->base + i * size;
    if (zeroed && sp->needzero) memset(d, 0, bytes);
    *data = d;
    *reserved = size;
    *span = sp;
    return 0;
}

void _gs_spans_free(gs_heap_t *h, gs_span_t *sp, void *data, size_t bytes)
{
    gs_spans_t *s = h->spans_;
    slot_clear(sp, data, bytes);
    if (sp->used == 0) {
        span_release(h, sp);
        return;
    }
    if (!sp->listed && s->current[sp->size / 8] != sp) list_add(s, sp);
}

int _gs_spans_dead(gs_array_t *a)
{
    gs_span_t *sp = a->span;
    if (sp->cached) return 0;
    /* it waits for its sweep (_gs_spans_flushed lists it, off the spans
     * with free slots) */
    a->sweep_next = sp->dead;
    sp->dead = a;
    sp->ndead++;
    return 1;
}

void _gs_spans_flush(gs_heap_t *h)
{
    gs_spans_t *s = h->spans_;
    size_t c;
    if (s == NULL) return;
    for (c = 0; c < CLASS_SLOTS; c++) {
        gs_span_t *sp = s->current[c];
        if (sp == NULL) continue;
        s->current[c] = NULL;
        age_newest(s, sp);                  /* it leaves the cache */
        sp->next = 0;
        sp->cached = 1;
        s->cached[s->ncached++] = sp;
        s->cached_pages += sp->pages;
        if (sp->used < sp->slots && !sp->listed) list_add(s, sp);
    }
}

size_t _gs_spans_flushed(gs_heap_t *h)
{
    gs_spans_t *s = h->spans_;
    gs_span_t *sp;
    size_t i, swept;
    if (s == NULL) return 0;
    /* every other span waits for its sweep, with dead slots or none,
     * oldest first, full and partial apart, as Go's swept span sets
     * become the unswept ones when the sweep generation moves on */
    for (sp = s->oldest; sp != NULL; sp = sp->newer)
        if (!sp->cached && !sp->unswept) {
            if (sp->listed) list_remove(s, sp);
            ulist_add(s, sp, sp->used < sp->slots ? 2 : 1);
        }
    /* a cached span the mark's garbage emptied has gone (span_release):
     * only those still in use are on the record */
    for (i = 0; i < s->ncached; i++)
        if (s->cached[i] != NULL) s->cached[i]->cached = 0;
    s->ncached = 0;
    swept = s->cached_pages;
    s->cached_pages = 0;
    return swept;
}

int _gs_spans_sweep_one(gs_heap_t *h, size_t *swept, size_t *freed)
{
    gs_spans_t *s = h->spans_;
    size_t c;
    int k;
    if (s == NULL || s->unswept_pages == 0) return 0;
    for (c = s->ucursor; c < CLASS_SLOTS; c++)
        for (k = 0; k < 2; k++)             /* full, then partial */
            if (s->ufirst[k][c] != NULL) {
                gs_span_t *sp = s->ufirst[k][c];
                s->ucursor = c;
                *swept = sp->pages;
                *freed = span_sweep(h, sp, 0);
                return 1;
            }
    return 0;
}

size_t _gs_spans_reclaim(gs_heap_t *h, size_t lo, size_t n, size_t *swept)
{
    gs_spans_t *s = h->spans_;
    size_t c, at, freed = 0;
    int k;
    if (s == NULL || s->unswept_pages == 0) return 0;
    for (c = s->ucursor; c < CLASS_SLOTS; c++)     /* none below it */
        for (k = 0; k < 2; k++) {
            gs_span_t *sp = s->ufirst[k][c], *next;
            for (; sp != NULL; sp = next) {
                next = sp->uafter;
                /* mheap.reclaimChunk sweeps the spans no object of which
                 * the mark found alive */
                if (sp->ndead != sp->used) continue;
                at = _gs_pages_index(h, sp->base);
                if (at < lo || at >= lo + n) continue;
                *swept += sp->pages;
                freed += span_sweep(h, sp, 0);
            }
        }
    return freed;
}

void _gs_spans_destroy(gs_heap_t *h)
{
    gs_spans_t *s = h->spans_;
    if (s == NULL) return;
    /* every slot is free by now, so every span has gone back to the page
     * heap; what is left are only records, none (every span is on the
     * age list from span_new on) */
    while (s->oldest != NULL) {
        gs_span_t *sp = s->oldest;
        age_unlink(s, sp);
        free(sp);
    }
    free(s);
    h->spans_ = NULL;
    h->small_spans = 0;
    h->small_span_bytes = 0;
    h->slot_bytes_ = 0;
}
