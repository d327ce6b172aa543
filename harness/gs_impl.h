/* gs_impl.h -- private to the gs_ layer: the array header, and the calls
 * between gs_slice.c (arrays and handles) and gs_goheap.c (Go's bytes and
 * the GC mode). Nothing outside harness/gs_*.c includes this.
 */
#ifndef SLICEBENCH_GS_IMPL_H
#define SLICEBENCH_GS_IMPL_H

#include "gs.h"

/* One backing array. Headers live in the heap's chunks, never alone. */
struct gs_array_s {
    unsigned char *data;     /* block from mem_alloc*, exactly bytes long */
    size_t cap;              /* elements                                  */
    size_t elem;             /* bytes per element                         */
    size_t bytes;            /* cap x elem, as asked of the allocator     */
    size_t reserved;         /* mem_usable_size(data), bytes              */
    size_t refs;             /* handles referencing it; 0 = header free
                                or (GC mode) garbage                      */
    gs_heap_t *heap;         /* the heap that counts it                   */
    gs_array_t *next_free;   /* free-list link while the header is free,
                                garbage-list link while garbage           */
    size_t go_bytes;         /* Go bytes charged to this array alone: its
                                size class or pages; 0 for a tiny object  */
    gs_tiny_t *tiny;         /* the tiny block it lives in, or NULL       */
    /* while in the idle pool (gs_goheap.c): next_free links it to the
     * block pooled before it, and */
    gs_array_t *pool_prev;   /* the block pooled after it, or NULL        */
    gs_array_t *same_next;   /* the block of its size pooled before it    */
    gs_array_t *size_next;   /* the newest block of each pooled size, in  */
    gs_array_t *size_prev;   /* a list of their own (only while newest)   */
};

/* The index of name in names[0..n), or -1: the one lookup behind every
 * *_parse of the layer's named lists (gs_growth.c). */
int _gs_name_index(const char *const names[], size_t n, const char *name);

/* The tiny allocator's offset alignment for an object of size (< 16)
 * bytes: 8, 4, 2 or 1 (gs_growth.c). */
size_t _gs_go_tiny_align(size_t size);

/* Before allocating an array of `bytes` (> 0): in GC mode, collect if the
 * allocation would take the heap past its goal, and take a block of
 * exactly `bytes` out of the idle pool if there is one near its head
 * (*reuse: its data, still allocated, as Go reuses freed memory; else
 * NULL); make sure a tiny block record is at hand if the array will open a
 * new block. -ENOMEM (then *reuse is NULL); nothing visible has changed
 * then (a collection is invisible to slices). */
int _gs_go_prepare(gs_heap_t *h, size_t bytes, void **reuse);

/* Charge a new array (a->bytes set) in Go's bytes: sets a->go_bytes and
 * a->tiny. Cannot fail after _gs_go_prepare(h, a->bytes). */
void _gs_go_charge(gs_heap_t *h, gs_array_t *a);

/* a's last handle went (the cap x elem counters already updated). With GC
 * off: uncharges it and returns 1, the caller frees it (_gs_array_free).
 * In GC mode: makes it garbage and returns 0; a collection frees it. */
int _gs_go_dead(gs_heap_t *h, gs_array_t *a);

/* Free a dead array's block and recycle its header (gs_slice.c). */
void _gs_array_free(gs_heap_t *h, gs_array_t *a);

/* Recycle a dead array's header only: its block has been handed on. */
void _gs_hdr_recycle(gs_heap_t *h, gs_array_t *a);

/* Free the garbage and the tiny records (gs_heap_destroy). */
void _gs_go_destroy(gs_heap_t *h);

#endif /* SLICEBENCH_GS_IMPL_H */
