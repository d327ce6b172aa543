/* gs_gospans.c -- the Go GC mode's spans of small objects (see gs.h, "The
 * Go GC mode").
 *
 * In GC mode an array of one of Go's small size classes that share a span
 * (every class but the tiny objects and the classes of whole pages, which
 * gs_gopages.c holds as spans of their own) takes a slot of its class in a
 * span of the page heap, as Go 1.19's mcache and mcentral hand them out:
 *   - each class has a current span (Go's mcache), and a slot is the
 *     lowest free one from where the span's last allocation left off (its
 *     freeindex); a full current span is set aside (it is only found again
 *     when a collection frees a slot in it);
 *   - then a span of the class with free slots (swept: Go's mcentral's
 *     partial spans), oldest first, from its lowest free slot;
 *   - then a new span, class_to_allocnpages pages from the page heap
 *     (lowest first, fresh or idle or released: _gs_pages_take).
 * A collection frees the slots of its garbage (Go's sweep, done at once
 * here); a span left with no object gives its pages back to the page heap
 * as idle pages, which the scavenger may release and any array may reuse;
 * a span with a slot freed joins the spans with free slots. The current
 * spans are flushed at the end of every cycle, as Go flushes its caches.
 * Go zeroes a slot when its span's memory held an object before (needzero:
 * the pages did, or a collection freed a slot in it).
 *
 * Left out: the order of Go's span sets beyond oldest-first; the bitmap
 * cache Go allocates from (the same slots, found one at a time here);
 * spans of tiny blocks (a tiny array's memory is the C allocator's, only
 * its 16 B block is counted in Go's bytes).
 *
 * Every slot is counted in the counting allocator (mem_count_take) as a
 * block of the class's size, from its allocation until a collection frees
 * it; a span's pages are not.
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

struct gs_span_s {
    unsigned char *base;     /* its first page                             */
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
};

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
    /* the proportional sweep (Go's cacheSpan pays it at every refill of a
     * class, the model only for a new span), then mheap.alloc's reclaim */
    _gs_sweep_credit(h, pages * GS_GO_PAGE_SIZE, 0);
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
    h->small_spans++;
    h->small_span_bytes += pages * GS_GO_PAGE_SIZE;
    *out = sp;
    return 0;
}

/* The span the class of `size` allocates its next slot from, with the
 * slot in *slot: the current one, a listed one, or a new one. */
static int span_for(gs_heap_t *h, size_t size, gs_span_t **out, size_t *slot)
{
    gs_spans_t *s = h->spans_;
    size_t c = size / 8, i;
    gs_span_t *sp = s->current[c];
    int rc;
    if (sp != NULL && (i = free_slot(sp)) < sp->slots) goto found;
    s->current[c] = NULL;                   /* full: set aside */
    while ((sp = s->first[c]) != NULL) {
        list_remove(s, sp);
        if ((i = free_slot(sp)) < sp->slots) goto found;
    }
    if ((rc = span_new(h, size, &sp)) < 0) return rc;
    i = 0;
found:
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
    size_t i = (size_t)((unsigned char *)data - sp->base) / sp->size;
    mem_count_give(bytes, sp->size);
    sp->bits[i / 64] &= ~((uint64_t)1 << (i % 64));
    sp->used--;
    sp->needzero = 1;
    sp->next = 0;
    if (sp->used == 0) {
        if (sp->listed) list_remove(s, sp);
        if (s->current[sp->size / 8] == sp) s->current[sp->size / 8] = NULL;
        _gs_pages_put(h, sp->base, sp->pages);
        h->small_spans--;
        h->small_span_bytes -= sp->pages * GS_GO_PAGE_SIZE;
        free(sp);
        return;
    }
    if (!sp->listed && s->current[sp->size / 8] != sp) list_add(s, sp);
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
        sp->next = 0;
        if (sp->used < sp->slots && !sp->listed) list_add(s, sp);
    }
}

void _gs_spans_destroy(gs_heap_t *h)
{
    gs_spans_t *s = h->spans_;
    size_t c;
    if (s == NULL) return;
    /* every slot is free by now, so every span has gone back to the page
     * heap; what is left are only the lists' records, none */
    for (c = 0; c < CLASS_SLOTS; c++) {
        while (s->first[c] != NULL) {
            gs_span_t *sp = s->first[c];
            list_remove(s, sp);
            free(sp);
        }
        free(s->current[c]);
    }
    free(s);
    h->spans_ = NULL;
    h->small_spans = 0;
    h->small_span_bytes = 0;
    h->slot_bytes_ = 0;
}
