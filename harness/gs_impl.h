/* gs_impl.h -- private to the gs_ layer: the array header, and the calls
 * between gs_slice.c (arrays and handles) and gs_goheap.c (Go's bytes and
 * the GC mode). Nothing outside harness/gs_*.c includes this.
 */
#ifndef SLICEBENCH_GS_IMPL_H
#define SLICEBENCH_GS_IMPL_H

#include "gs.h"

/* One backing array. Headers live in the heap's chunks, never alone
 * (gs_slice.c). */
struct gs_array_s {
    unsigned char *data;     /* block from mem_alloc*, exactly bytes long */
    size_t elem;             /* bytes per element                         */
    size_t bytes;            /* cap x elem, as asked of the allocator     */
    size_t reserved;         /* mem_usable_size(data), bytes              */
    size_t refs;             /* handles referencing it; 0 = header free
                                or (GC mode) garbage                      */
    gs_heap_t *heap;         /* the heap that counts it                   */
    gs_array_t *next_free;   /* free-list link while the header is free,
                                garbage-list link while garbage           */
    union {                  /* which one: _gs_array_is_tiny              */
        size_t bytes;        /* not tiny: the Go bytes charged to it alone,
                                its size class or pages                   */
        gs_tiny_t *block;    /* tiny: the tiny block it lives in          */
    } go;
    uint64_t mark_born;      /* GC mode: the heap's gc_cycles + 1 when it
                                was made while that cycle marked (Go
                                allocates black: it survives that cycle),
                                else 0; GS_SWEEP_DEAD once a cycle found
                                it dead and it waits for the sweep      */
    gs_array_t *sweep_next;  /* GC mode: with pages of its own, the next
                                on its sweeper's list (gs_gosweep.c); in
                                a shared span, dead, the next of its
                                span's dead (gs_gospans.c)                */
    gs_span_t *span;         /* GC mode: the span of shared slots
                                (gs_gospans.c) a small object lives in,
                                else NULL; not set with GC off (never
                                read then)                                */
};

/* Whether a lives in a tiny block of Go's heap (Go's tiny allocator takes
 * every array of the model under 16 B: they are all pointer-free). */
static inline int _gs_array_is_tiny(const gs_array_t *a)
{
    return a->bytes < GS_GO_TINY_SIZE;
}

/* The index of name in names[0..n), or -1: the one lookup behind every
 * *_parse of the layer's named lists (gs_growth.c). */
int _gs_name_index(const char *const names[], size_t n, const char *name);

/* Go's size classes as two tables of block sizes (gs_growth.c): the block
 * for a request of b bytes is _gs_go_size_by_8[(b + 7) / 8] up to
 * GS_GO_SMALL_CUTOFF, _gs_go_size_by_128[(b - cutoff + 127) / 128] from
 * there to GS_GO_MAX_SMALL_SIZE. Filled by _gs_go_classes_build, which
 * gs_go_roundupsize and gs_heap_init call (it does nothing the second
 * time), so that every array made on a heap finds them ready. */
#define GS_GO_SMALL_CUTOFF 1024u
extern uint16_t _gs_go_size_by_8[];
extern uint16_t _gs_go_size_by_128[];
void _gs_go_classes_build(void);

/* gs_go_roundupsize, inline, for every array the model makes: requires
 * 0 < bytes <= SIZE_MAX - (GS_GO_PAGE_SIZE - 1) (an array's bytes are at
 * most PTRDIFF_MAX) and the tables built. */
static inline size_t _gs_go_block_bytes(size_t bytes)
{
    if (bytes <= GS_GO_SMALL_CUTOFF) return _gs_go_size_by_8[(bytes + 7) / 8];
    if (bytes < GS_GO_MAX_SMALL_SIZE)
        return _gs_go_size_by_128[(bytes - GS_GO_SMALL_CUTOFF + 127) / 128];
    return (bytes + (GS_GO_PAGE_SIZE - 1)) & ~(size_t)(GS_GO_PAGE_SIZE - 1);
}

/* The span of a size class (gs_growth.c): for `block`, one of Go's small
 * size classes (a _gs_go_block_bytes result of at most
 * GS_GO_MAX_SMALL_SIZE), the 8 KiB pages of one span, returned, and in
 * *objects the blocks it holds. Requires the tables built. */
size_t _gs_go_class_pages(size_t block, size_t *objects);

/* The tiny allocator's offset alignment for an object of size (< 16)
 * bytes: 8, 4, 2 or 1 (gs_growth.c). */
size_t _gs_go_tiny_align(size_t size);

/* Before allocating an array of `bytes` (> 0): in GC mode, collect if the
 * allocation would take the heap past its goal, and give the array its
 * memory unless it is tiny: its pages from the page heap
 * (_gs_array_in_pages), or else a slot of its class in a span
 * (_gs_spans_alloc): *reuse its data, zeroed if `zeroed`, counted by the
 * counting allocator, *reserved its reserved size. Else (GC off, or tiny)
 * *reuse is NULL and the caller allocates. Make sure a tiny block record is
 * at hand if the array will open a new block. -ENOMEM (then *reuse is
 * NULL); nothing visible has changed then (a collection is invisible to
 * slices, and so are the page heap's growth and a new span). */
int _gs_go_prepare(gs_heap_t *h, size_t bytes, int zeroed, void **reuse,
                   size_t *reserved);

/* Charge a new array (a->bytes set) in Go's bytes: sets a->go. Cannot fail
 * after _gs_go_prepare(h, a->bytes). */
void _gs_go_charge(gs_heap_t *h, gs_array_t *a);

/* Go's heapLive: the heap's objects as Go counts them between marks,
 * whole spans as a class's cache takes them (go_live_lead_). The trigger,
 * the assists' pace and the sweep's pace read it. */
static inline size_t _gs_go_live(const gs_heap_t *h)
{
    return h->go_held_bytes + h->go_garbage_bytes + h->go_live_lead_;
}

/* Raise peak_go_held_bytes, peak_go_heap_bytes and peak_go_retained_bytes
 * to the heap's figures now (gs_goheap.c). The peaks are ordered at all
 * times (retained >= heap >= held), as the figures are, so with GC off
 * (no garbage, nothing idle) only go_held_bytes passing peak_go_held_bytes
 * can move any of them: _gs_go_charge_plain calls this only then. */
void _gs_go_note_peaks(gs_heap_t *h);

/* The plain case of Go's bytes, inline on every make and release: GC off
 * and an array of at least GS_GO_TINY_SIZE bytes. Its Go bytes are its
 * block alone (no tiny block, no collection, no span to take a slot of),
 * so _gs_go_prepare has nothing to do and _gs_go_charge and _gs_go_dead
 * come down to what _gs_go_charge_plain and _gs_go_dead_plain do. */
static inline int _gs_go_plain(const gs_heap_t *h, size_t bytes)
{
    return h->gc == GS_GC_OFF && bytes >= GS_GO_TINY_SIZE;
}

/* _gs_go_charge for a plain array (a->bytes set). */
static inline void _gs_go_charge_plain(gs_heap_t *h, gs_array_t *a)
{
    a->go.bytes = _gs_go_block_bytes(a->bytes);
    h->go_held_bytes += a->go.bytes;
    if (h->go_held_bytes > h->peak_go_held_bytes) _gs_go_note_peaks(h);
}

/* Whether a dead array was plain when made (a GC mode change needs an
 * empty heap, so the mode is still the one it was made in). */
static inline int _gs_go_dead_is_plain(const gs_heap_t *h, const gs_array_t *a)
{
    return h->gc == GS_GC_OFF && !_gs_array_is_tiny(a);
}

/* _gs_go_dead for a plain array: uncharge it; the caller frees it. */
static inline void _gs_go_dead_plain(gs_heap_t *h, const gs_array_t *a)
{
    h->go_held_bytes -= a->go.bytes;
}

/* a's last handle went (the cap x elem counters already updated). With GC
 * off: uncharges it and returns 1, the caller frees it (_gs_array_free).
 * In GC mode: makes it garbage and returns 0; a sweep after the next
 * collection frees it (a tiny one: the collection). */
int _gs_go_dead(gs_heap_t *h, gs_array_t *a);

/* Whether an array of `bytes` lives in the page heap (gs_gopages.c): in GC
 * mode, an object with a span of its own in Go 1.19. Those are the size
 * classes whose block is whole pages, each with one object per span: 8 KiB
 * (6913 B to 8 KiB, span of 1 page), 16 KiB (14337 B on, 2 pages), 24 KiB
 * (21761 B on, 3 pages) and 32 KiB (28673 B on, 4 pages), and the large
 * objects over 32 KiB, one per span of their whole pages. Every other class
 * has several objects per span (the 12 KiB class: two in 3 pages), and its
 * block is not a multiple of a page. The mode is the same from an array's
 * birth to its end (a change needs an empty heap). */
static inline int _gs_array_in_pages(const gs_heap_t *h, size_t bytes)
{
    return h->gc == GS_GC_GO && bytes > GS_GO_TINY_SIZE &&
           _gs_go_block_bytes(bytes) % GS_GO_PAGE_SIZE == 0;
}

/* The 8 KiB pages of Go's heap that `bytes` take up, rounded up. */
static inline size_t _gs_go_pages(size_t bytes)
{
    return (bytes + GS_GO_PAGE_SIZE - 1) / GS_GO_PAGE_SIZE;
}

/* The page heap (gs_gopages.c). _gs_pages_alloc: the pages that hold
 * `bytes` (the page cache's under 16 pages, else the lowest run of free
 * pages, growing the heap if none), counted by the
 * counting allocator (reserved: its whole pages), zeroed if `zeroed` and
 * any of it was used before; -ENOMEM, and nothing counted, when the heap
 * cannot grow or the failure switch fires. _gs_pages_free: its pages are
 * free and idle, uncounted. _gs_pages_take and _gs_pages_put: the same
 * for n pages, uncounted (a span of small objects, gs_gospans.c), *used
 * set when any of them held an object before. _gs_pages_release: release
 * `bytes` of idle pages to the system (whole pages, so up to one page
 * more; fewer when fewer are idle), highest first, the scavenger's
 * (released_page_bytes_ counts them); returns the bytes released.
 * _gs_pages_destroy: unmap it all (every page must be free).
 * idle_page_bytes and released_page_bytes_ follow. */
int _gs_pages_alloc(gs_heap_t *h, size_t bytes, int zeroed, void **data);
void _gs_pages_free(gs_heap_t *h, void *data, size_t bytes);
int _gs_pages_take(gs_heap_t *h, size_t n, void **base, int *used);
void _gs_pages_put(gs_heap_t *h, void *base, size_t n);
size_t _gs_pages_release(gs_heap_t *h, size_t bytes);
/* _gs_pages_grown: the pages the heap has grown to; _gs_pages_index: the
 * page at p. _gs_pages_rewrite: the n pages at base, in use, are written
 * again (a dead array's span its class takes in place, which Go zeroes):
 * those not warm fault in (go_faulted_bytes). _gs_pages_drop: as
 * _gs_pages_free, for pages no longer counted (an array's own). */
void _gs_pages_rewrite(gs_heap_t *h, void *base, size_t n);
void _gs_pages_drop(gs_heap_t *h, void *base, size_t n);
size_t _gs_pages_grown(const gs_heap_t *h);
/* _gs_pages_growth: the bytes the heap grew by since the last call; in
 * *took and *took_idle (either may be NULL) the bytes of the last span
 * taken and of those that were idle. */
size_t _gs_pages_growth(gs_heap_t *h, size_t *took, size_t *took_idle);
size_t _gs_pages_index(const gs_heap_t *h, const void *p);
/* Every free page, and every released one the page cache holds, is cold
 * again, as after the heap gave it all back
 * (gs_heap_free_os_memory): written again, it faults in. */
void _gs_pages_cool(gs_heap_t *h);
void _gs_pages_destroy(gs_heap_t *h);

/* Spans of small objects (gs_gospans.c): in GC mode an array of Go's
 * small size classes that share a span (not tiny, not in the page heap)
 * takes a slot of its class from a span in the page heap.
 * _gs_spans_alloc: a slot for `bytes` (its class's size: *reserved), from
 * the class's current span, else a span with free slots, else a new span
 * (pages from the page heap); counted by the counting allocator, zeroed
 * if `zeroed` and the span's memory held an object before; *span its
 * span. -ENOMEM when the failure switch fires (nothing changed) or no
 * memory is left for a new span (the slot was counted and uncounted: the
 * counting allocator shows one allocation and its free; nothing else
 * changed). _gs_spans_free: free the slot of an array of `bytes` at data
 * in span now (uncounted: its span was a current one as the mark ended);
 * a span left empty gives its pages back to the page heap (idle).
 * _gs_spans_flush: the end of a cycle, as Go's caches are flushed: every
 * class's current span leaves it (the newest on its class's sets, back
 * with the spans with free slots if it has room), to be swept now.
 * _gs_spans_destroy: free every span (all empty). */
int _gs_spans_alloc(gs_heap_t *h, size_t bytes, int zeroed, void **data,
                    size_t *reserved, gs_span_t **span);
void _gs_spans_free(gs_heap_t *h, gs_span_t *span, void *data, size_t bytes);
void _gs_spans_flush(gs_heap_t *h);
void _gs_spans_destroy(gs_heap_t *h);

/* The lazy sweep of the spans of small objects (gs_gospans.c), as Go
 * 1.19's: at mark termination, after _gs_spans_flush, _gs_spans_dead
 * leaves a dead array's slot to its span's sweep (1: the array waits,
 * GS_SWEEP_DEAD, counted as _gs_sweep's arrays are) unless its span was
 * a class's current one, which Go sweeps as it flushes it (0: the caller
 * frees the slot now, _gs_spans_free); _gs_spans_flushed ends that
 * flush and lists every other span, dead slots or none, to wait for its
 * sweep, the pages of the current spans it swept returned (Go's
 * pagesSwept counts them). A span is swept when its class takes a span
 * (mcentral.cacheSpan,
 * in _gs_spans_alloc: swept in place, an empty one kept for the class),
 * by _gs_spans_sweep_one (sweepone: the next unswept span by class,
 * full before partial, oldest first; 0 when none is left; *swept its
 * pages, *freed those that went back to the page heap) and by
 * _gs_spans_reclaim (reclaimChunk: the spans with no live object whose
 * first page is in [lo, lo + n), the pages freed, *swept added to). A
 * swept dead array: _gs_go_slot_swept (gs_goheap.c) uncounts it and
 * recycles its header; _gs_go_sync publishes the page heap's idle bytes. */
int _gs_spans_dead(gs_array_t *a);
size_t _gs_spans_flushed(gs_heap_t *h);
int _gs_spans_sweep_one(gs_heap_t *h, size_t *swept, size_t *freed);
size_t _gs_spans_reclaim(gs_heap_t *h, size_t lo, size_t n, size_t *swept);
void _gs_go_slot_swept(gs_heap_t *h, gs_array_t *a);
void _gs_go_sync(gs_heap_t *h);

/* The sweeper (gs_gosweep.c), for the arrays with a span of their own in
 * GC mode, which also paces and orders the sweep of the spans of small
 * objects (gs_gospans.c); what it models: its head comment. _gs_sweep_init: its lists, made
 * at the first allocation in GC mode (_gs_go_prepare), -ENOMEM; the other
 * calls come after it, but for _gs_sweep_begin and _gs_sweep_finish, which
 * find nothing to sweep without it. _gs_sweep_list: a new array joins the lists.
 * At mark termination a dead one is marked GS_SWEEP_DEAD and keeps its
 * pages (counted in go_unswept_bytes, and in garbage_arrays and
 * garbage_bytes, as the allocator still holds them) until swept;
 * _gs_sweep_begin then starts the sweep, paced by the heap (Go's heapLive)
 * and the next trigger, over the arrays listed and small_bytes of spans
 * of small objects (those in use as the mark ended, before it freed
 * theirs: Go's pagesInUse). Before a span is taken from the page heap:
 * _gs_sweep_credit (the proportional sweep; caller_pages, a large array's
 * own), _gs_sweep_reuse (a one-object class of `pages` pages: a dead span
 * of its class swept in place, its data, or NULL; its pages stay in use
 * and counted, and the page heap sees nothing) and _gs_sweep_reclaim
 * (n pages freed ahead, as mheap.reclaim). _gs_sweep_finish: sweep all
 * that is left. _gs_sweep_background: the background sweeper's turn at
 * the program's preemption, one span (or the sweep's end). _gs_go_swept (gs_goheap.c): the sweep has ended (Go's
 * last sweeper readies the scavenger). _gs_go_free_swept: a swept dead
 * array's pages go idle (with `keep`, they stay in use, uncounted, for the
 * array that takes them in place and counts them), its header is
 * recycled. */
#define GS_SWEEP_DEAD UINT64_MAX
int _gs_sweep_init(gs_heap_t *h);
void _gs_sweep_list(gs_heap_t *h, gs_array_t *a);
void _gs_sweep_begin(gs_heap_t *h, size_t heap, size_t trigger, size_t small_bytes,
                     size_t swept_pages);
void _gs_sweep_count(gs_heap_t *h, size_t pages);
void _gs_sweep_credit(gs_heap_t *h, size_t span_bytes, size_t caller_pages);
void *_gs_sweep_reuse(gs_heap_t *h, size_t pages);
void _gs_sweep_reclaim(gs_heap_t *h, size_t n);
void _gs_sweep_finish(gs_heap_t *h);
void _gs_sweep_background(gs_heap_t *h);
void _gs_sweep_destroy(gs_heap_t *h);
void _gs_go_swept(gs_heap_t *h);
void _gs_go_free_swept(gs_heap_t *h, gs_array_t *a, int keep);

/* Free a dead array's block and recycle its header (gs_slice.c). */
void _gs_array_free(gs_heap_t *h, gs_array_t *a);

/* Recycle a dead array's header only: its block has been handed on. */
void _gs_hdr_recycle(gs_heap_t *h, gs_array_t *a);

/* Free the garbage and the tiny records (gs_heap_destroy). */
void _gs_go_destroy(gs_heap_t *h);

#endif /* SLICEBENCH_GS_IMPL_H */
