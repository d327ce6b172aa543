/* gs_goheap.c -- Go's bytes and the Go GC mode of the heap (see gs.h,
 * "Heap": "Go's bytes" and "The Go GC mode").
 *
 * gs_slice.c calls in at three points: before an array is allocated
 * (_gs_go_prepare: the collection trigger, and a tiny record at hand),
 * after (_gs_go_charge), and when its last handle goes (_gs_go_dead).
 * Everything here is counting; the only memory it touches is the garbage's
 * blocks, which a collection moves to the idle pool (or frees, tiny ones)
 * and the pool frees through _gs_array_free, and the small malloc'd
 * records of tiny blocks.
 */
#include "gs.h"
#include "gs_impl.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* One 16 B tiny block of Go's heap. The objects in it are arrays of the
 * model; the block lives while any of them is not yet freed. */
struct gs_tiny_s {
    size_t objects;          /* arrays in it not yet freed                */
    size_t live;             /* of those, arrays with a handle            */
    gs_tiny_t *next_free;    /* free-list link while unused               */
};

/* Go's physical page, the scavenger's granularity (linux/amd64), bytes. */
#define GO_PHYS_PAGE 4096u

/* ------------------------------------------------------------------------
 * Counting
 * ------------------------------------------------------------------------ */

static size_t min_size(size_t a, size_t b)
{
    return a < b ? a : b;
}

void _gs_go_note_peaks(gs_heap_t *h)
{
    size_t heap = h->go_held_bytes + h->go_garbage_bytes;
    if (h->go_held_bytes > h->peak_go_held_bytes)
        h->peak_go_held_bytes = h->go_held_bytes;
    if (heap > h->peak_go_heap_bytes) h->peak_go_heap_bytes = heap;
    if (heap + h->go_idle_bytes > h->peak_go_retained_bytes)
        h->peak_go_retained_bytes = heap + h->go_idle_bytes;
}

/* `bytes` more of Go's heap in use: in GC mode they come out of idle
 * memory first, then out of released memory (faulted back in), and only
 * then from growing the heap. Go's page allocator takes the lowest free
 * address, and its scavenger releases the highest first, so reuse meets
 * unreleased pages first. */
static void go_take(gs_heap_t *h, size_t bytes)
{
    size_t from_idle = min_size(bytes, h->go_idle_bytes);
    h->go_idle_bytes -= from_idle;
    h->go_released_bytes -= min_size(bytes - from_idle, h->go_released_bytes);
}

/* ------------------------------------------------------------------------
 * Tiny blocks
 * ------------------------------------------------------------------------ */

/* Whether an object of size bytes goes to the tiny allocator. */
static int is_tiny(size_t bytes)
{
    return bytes < GS_GO_TINY_SIZE;   /* every array of the model: noscan */
}

/* Whether a tiny object of size bytes fits the current block, and where. */
static int tiny_fits(const gs_heap_t *h, size_t size, size_t *off)
{
    size_t align = _gs_go_tiny_align(size);
    size_t o = (h->tiny_off_ + align - 1) & ~(align - 1);
    if (h->tiny_ == NULL || o + size > GS_GO_TINY_SIZE) return 0;
    *off = o;
    return 1;
}

static void tiny_recycle(gs_heap_t *h, gs_tiny_t *t)
{
    if (h->tiny_ == t) h->tiny_ = NULL;
    t->next_free = h->free_tiny_;
    h->free_tiny_ = t;
}

/* ------------------------------------------------------------------------
 * The idle pool
 * ------------------------------------------------------------------------ */

/* Free pooled blocks, most recently pooled first, until the pool's Go bytes
 * are at most limit. */
static void pool_trim(gs_heap_t *h, size_t limit)
{
    while (h->idle_go_bytes_ > limit && h->idle_ != NULL) {
        gs_array_t *a = h->idle_;
        h->idle_ = a->next_free;
        h->idle_go_bytes_ -= a->go.bytes;
        h->idle_arrays--;
        h->idle_bytes -= a->bytes;
        _gs_array_free(h, a);
    }
}

/* How many pooled blocks an allocation looks at for one of its exact size
 * (the pool is newest first; the benchmarks' arrays come in few sizes). */
#define POOL_SCAN 16

/* Take a pooled block of exactly `bytes` out of the pool: its data, or
 * NULL when none of the first POOL_SCAN has that size. */
static void *pool_take(gs_heap_t *h, size_t bytes)
{
    gs_array_t **link = &h->idle_, *a;
    unsigned i;
    void *data;
    for (i = 0; i < POOL_SCAN && *link != NULL; i++, link = &(*link)->next_free) {
        a = *link;
        if (a->bytes != bytes) continue;
        *link = a->next_free;
        h->idle_go_bytes_ -= a->go.bytes;
        h->idle_arrays--;
        h->idle_bytes -= a->bytes;
        data = a->data;
        _gs_hdr_recycle(h, a);
        return data;
    }
    return NULL;
}

/* ------------------------------------------------------------------------
 * Collection
 * ------------------------------------------------------------------------ */

/* Go's goal after a collection that left `marked` bytes live: marked x
 * (1 + GOGC/100), at least 4 MiB x GOGC/100 (integer arithmetic, as Go's
 * pacer). Overflow check: marked x gogc and the sum saturate at SIZE_MAX. */
static size_t go_goal(size_t marked, unsigned gogc)
{
    /* 4 MiB x 100000 fits in 64 bits; the model's sizes fit in size_t */
    uint64_t minimum = (uint64_t)GS_GO_HEAP_MINIMUM * gogc / 100;
    size_t growth, goal;
    if (marked > SIZE_MAX / (gogc ? gogc : 1)) growth = SIZE_MAX;
    else growth = marked * gogc / 100;
    goal = growth > SIZE_MAX - marked ? SIZE_MAX : marked + growth;
    return goal > minimum ? goal : (size_t)minimum;
}

/* The scavenger's goal for what the heap retains after a collection, as
 * Go 1.19's gcPaceScavenger: inuse x goal / last_goal, plus 10 %, in
 * whole physical pages (float64 there too). */
static size_t scavenge_goal(size_t inuse, size_t goal, size_t last_goal)
{
    double g = (double)inuse * ((double)goal / (double)last_goal);
    size_t s;
    if (g >= (double)(SIZE_MAX / 2)) return SIZE_MAX;
    s = (size_t)g;
    s += s / 10;
    return (s + GO_PHYS_PAGE - 1) & ~(size_t)(GO_PHYS_PAGE - 1);
}

void gs_heap_collect(gs_heap_t *h)
{
    gs_array_t *a, *next;
    size_t inuse, last_goal, retained;

    if (h == NULL || h->gc != GS_GC_GO) return;
    inuse = h->go_held_bytes + h->go_garbage_bytes;   /* lastHeapInUse */
    last_goal = h->go_goal_bytes;

    for (a = h->garbage_; a != NULL; a = next) {
        gs_tiny_t *t = _gs_array_is_tiny(a) ? a->go.block : NULL;
        next = a->next_free;
        if (t == NULL) {          /* to the idle pool, still allocated */
            a->next_free = h->idle_;
            h->idle_ = a;
            h->idle_go_bytes_ += a->go.bytes;
            h->idle_arrays++;
            h->idle_bytes += a->bytes;
            continue;
        }
        if (--t->objects == 0) tiny_recycle(h, t);
        _gs_array_free(h, a);
    }
    h->garbage_ = NULL;
    h->go_idle_bytes += h->go_garbage_bytes;
    h->go_garbage_bytes = 0;
    h->garbage_arrays = 0;
    h->garbage_bytes = 0;
    /* Go empties every P's cache at a cycle: the next tiny object opens a
     * new block (the old one lives on through its objects). */
    h->tiny_ = NULL;
    h->tiny_off_ = 0;

    h->go_marked_bytes = h->go_held_bytes;
    h->go_goal_bytes = go_goal(h->go_marked_bytes, h->gogc);
    h->gc_cycles++;

    h->go_scavenge_goal_bytes = SIZE_MAX;
    if (last_goal != 0) {
        size_t goal = scavenge_goal(inuse, h->go_goal_bytes, last_goal);
        retained = h->go_held_bytes + h->go_idle_bytes;
        if (retained > goal && retained - goal >= GO_PHYS_PAGE) {
            size_t give = min_size(retained - goal, h->go_idle_bytes);
            h->go_scavenge_goal_bytes = goal;
            h->go_idle_bytes -= give;
            h->go_released_bytes += give;
            h->go_scavenged_bytes += give;
        }
    }
    pool_trim(h, h->go_idle_bytes);
}

/* ------------------------------------------------------------------------
 * The calls from gs_slice.c
 * ------------------------------------------------------------------------ */

int _gs_go_prepare(gs_heap_t *h, size_t bytes, void **reuse)
{
    size_t off, add;
    int tiny = is_tiny(bytes);

    *reuse = NULL;
    if (h->gc == GS_GC_GO) {
        if (tiny) add = tiny_fits(h, bytes, &off) ? 0 : GS_GO_TINY_SIZE;
        /* bytes <= PTRDIFF_MAX, so rounding to a page cannot fail */
        else (void)gs_go_roundupsize(bytes, &add);
        /* heap + add > goal, written so that nothing can wrap */
        if (add != 0 && (add > h->go_goal_bytes ||
                         h->go_held_bytes + h->go_garbage_bytes >
                             h->go_goal_bytes - add)) {
            gs_heap_collect(h);
            if (tiny) add = GS_GO_TINY_SIZE;   /* a collection ends the block */
        }
        /* The idle bytes this allocation will take: a pooled block of
         * its size if there is one, else give the allocator the pooled
         * blocks that stood for them, so it can reuse them. */
        if (!tiny && h->go_idle_bytes >= add) *reuse = pool_take(h, bytes);
        pool_trim(h, h->go_idle_bytes - min_size(add, h->go_idle_bytes));
    }
    if (tiny && h->free_tiny_ == NULL && !tiny_fits(h, bytes, &off)) {
        gs_tiny_t *t = malloc(sizeof *t);
        if (t == NULL) return -ENOMEM;
        t->objects = t->live = 0;
        t->next_free = NULL;
        h->free_tiny_ = t;
    }
    return 0;
}

void _gs_go_charge(gs_heap_t *h, gs_array_t *a)
{
    size_t off, size = a->bytes;
    gs_tiny_t *t;

    if (!is_tiny(size)) {
        (void)gs_go_roundupsize(size, &a->go.bytes);  /* checked in prepare */
        h->go_held_bytes += a->go.bytes;
        go_take(h, a->go.bytes);
        pool_trim(h, h->go_idle_bytes);   /* done in prepare: no-op */
        _gs_go_note_peaks(h);
        return;
    }
    if (tiny_fits(h, size, &off)) {
        t = h->tiny_;
        h->tiny_off_ = off + size;
        if (t->live == 0) {   /* GC mode: a block of garbage comes back */
            h->go_garbage_bytes -= GS_GO_TINY_SIZE;
            h->go_held_bytes += GS_GO_TINY_SIZE;
        }
    } else {
        t = h->free_tiny_;    /* at hand: _gs_go_prepare */
        h->free_tiny_ = t->next_free;
        t->next_free = NULL;
        t->live = 0;
        t->objects = 0;
        h->go_held_bytes += GS_GO_TINY_SIZE;
        go_take(h, GS_GO_TINY_SIZE);
        pool_trim(h, h->go_idle_bytes);   /* done in prepare: no-op */
        /* mallocgc keeps whichever block has more room left. */
        if (h->tiny_ == NULL || size < h->tiny_off_) {
            h->tiny_ = t;
            h->tiny_off_ = size;
        }
    }
    t->live++;
    t->objects++;
    a->go.block = t;
    _gs_go_note_peaks(h);
}

int _gs_go_dead(gs_heap_t *h, gs_array_t *a)
{
    gs_tiny_t *t = _gs_array_is_tiny(a) ? a->go.block : NULL;
    if (h->gc != GS_GC_GO) {
        if (t == NULL) {
            h->go_held_bytes -= a->go.bytes;
        } else {
            t->live--;
            if (--t->objects == 0) {
                h->go_held_bytes -= GS_GO_TINY_SIZE;
                tiny_recycle(h, t);
            }
        }
        return 1;
    }
    if (t == NULL) {
        h->go_held_bytes -= a->go.bytes;
        h->go_garbage_bytes += a->go.bytes;
    } else if (--t->live == 0) {
        h->go_held_bytes -= GS_GO_TINY_SIZE;
        h->go_garbage_bytes += GS_GO_TINY_SIZE;
    }
    h->garbage_arrays++;
    h->garbage_bytes += a->bytes;
    a->next_free = h->garbage_;
    h->garbage_ = a;
    return 0;
}

void _gs_go_destroy(gs_heap_t *h)
{
    gs_tiny_t *t, *next;
    gs_heap_collect(h);
    pool_trim(h, 0);
    for (t = h->free_tiny_; t != NULL; t = next) {
        next = t->next_free;
        free(t);
    }
    h->free_tiny_ = NULL;
}

/* ------------------------------------------------------------------------
 * Mode
 * ------------------------------------------------------------------------ */

static const char *const gc_names[] = {
    [GS_GC_OFF] = "off",
    [GS_GC_GO] = "go",
};

#define GC_MODES (sizeof gc_names / sizeof gc_names[0])

int gs_gc_parse(const char *name, gs_gc_t *out)
{
    int i = _gs_name_index(gc_names, GC_MODES, name);
    if (i < 0 || out == NULL) return -EINVAL;
    *out = (gs_gc_t)i;
    return 0;
}

const char *gs_gc_name(gs_gc_t m)
{
    if ((unsigned)m >= GC_MODES) return NULL;
    return gc_names[m];
}

int gs_heap_set_gc(gs_heap_t *h, gs_gc_t mode, unsigned gogc)
{
    if (h == NULL || (unsigned)mode >= GC_MODES) return -EINVAL;
    if (mode == GS_GC_GO && gogc > GS_GO_MAX_GOGC) return -EINVAL;
    if (h->live_arrays != 0 || h->garbage_arrays != 0) return -EBUSY;
    pool_trim(h, 0);
    h->gc = mode;
    h->gogc = mode == GS_GC_GO ? gogc : 0;
    h->go_goal_bytes = mode == GS_GC_GO ? go_goal(0, gogc) : 0;
    h->go_marked_bytes = 0;
    h->go_idle_bytes = 0;
    h->go_released_bytes = 0;
    h->go_scavenge_goal_bytes = mode == GS_GC_GO ? SIZE_MAX : 0;
    h->gc_cycles = 0;
    h->go_scavenged_bytes = 0;
    h->peak_go_retained_bytes = h->peak_go_heap_bytes;
    return 0;
}
