/* gs_ref.h -- Go slices whose elements are references, modelled in C.
 *
 * gs.h models slices of plain bytes. This layer adds the other kind the Go
 * garbage collector cares about: a slice whose elements point at other
 * arrays ([]*T, [][]byte). The collector scans such an array over its whole
 * capacity, not over the len of whatever slice views it, so:
 *
 *   - a reference stored in any slot of a live array keeps its target
 *     alive, even a slot no live view can reach any more (q = q[1:] leaves
 *     the popped element in slot 0: the queue leak);
 *   - clearing a slot (q[0] = nil) drops that reference at once;
 *   - when the array itself dies, every reference in it goes with it.
 *
 * A slot holds a gs_slice_t (gs.h) that owns one reference on its target's
 * array, so the targets' arrays live and die by gs.h's rules, on the
 * targets' heap. A pointer to an array (*[N]byte, &b[0]) is modelled as a
 * slot holding a view of that array. References can only point at byte
 * arrays, never at other reference arrays: there are no cycles, so
 * reference counting is exactly reachability.
 *
 * Accounting is in Go's terms: an array of cap slots of `elem` bytes (8 for
 * a pointer, 24 for a slice header) holds cap x elem bytes, as gs.h counts
 * byte arrays; the C storage behind it (cap gs_slice_t's) is larger and is
 * counted only by the counting allocator, not in held_bytes.
 *
 * Errors and guarantees as in gs.h: 0 or a negative errno, never abort;
 *     -ERANGE     index or bound out of range (where Go panics)
 *     -EINVAL     NULL argument, elem == 0, len > cap, a malformed handle,
 *                 a slice of another heap (targets are not checked: storing
 *                 a view of another gs.h heap's array is the caller's bug)
 *     -EOVERFLOW  a size does not fit in size_t or exceeds PTRDIFF_MAX
 *     -ENOMEM     the allocator failed
 * and on any error everything is as it was before the call.
 *
 * Threads: none.
 */
#ifndef SLICEBENCH_GS_REF_H
#define SLICEBENCH_GS_REF_H

#include <stddef.h>
#include <stdint.h>

#include "gs.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Go's sizes of the two kinds of slot. */
#define GS_REF_PTR_BYTES   8u    /* *T on 64-bit platforms                */
#define GS_REF_SLICE_BYTES 24u   /* []T: pointer, len, cap                */

/* ------------------------------------------------------------------------
 * Heap
 *
 * Counts the reference arrays of one run; its targets live on `targets`,
 * a gs.h heap, whose own figures say how much the references keep alive.
 * Public fields are read-only and exact after every call.
 * ------------------------------------------------------------------------ */

typedef struct gs_ref_array_s gs_ref_array_t;   /* opaque */

typedef struct gs_ref_heap_s {
    gs_heap_t *targets;      /* the heap of every array a slot references  */
    size_t live_arrays;      /* reference arrays with a live handle        */
    size_t held_bytes;       /* sum over them of cap x elem (Go's), bytes  */
    size_t peak_held_bytes;  /* highest held_bytes since init, bytes       */
    size_t live_refs;        /* non-nil slots in live arrays               */
    uint64_t arrays_made;    /* cumulative: reference arrays allocated     */
    uint64_t grows;          /* cumulative: reallocations by append        */
} gs_ref_heap_t;

/* An empty heap whose slots reference arrays of `targets` and whose
 * appends grow by targets->policy. Cannot fail. */
void gs_ref_heap_init(gs_ref_heap_t *h, gs_heap_t *targets);

/* ------------------------------------------------------------------------
 * Slices of references
 *
 * A gs_ref_slice_t is a slice value holding one reference on its array,
 * released exactly once with gs_ref_release, as in gs.h: take a second view
 * with gs_ref_sub, never by copying the struct.
 * ------------------------------------------------------------------------ */

typedef struct gs_ref_slice_s {
    gs_slice_t *slot;        /* first slot; NULL when cap == 0             */
    size_t len;              /* slots                                      */
    size_t cap;              /* slots from `slot` to the end (or to max)   */
    size_t elem;             /* Go bytes per slot, > 0                     */
    gs_ref_array_t *array;   /* NULL for nil and zero-capacity slices      */
} gs_ref_slice_t;

/* var s []*T: no array, nothing to release. */
gs_ref_slice_t gs_ref_nil(size_t elem);

/* make([]*T, len, cap): cap nil slots. cap == 0 makes no array. */
int gs_ref_make(gs_ref_heap_t *h, size_t elem, size_t len, size_t cap,
                gs_ref_slice_t *out);

/* s[lo:hi] and s[lo:hi:max], sharing s's array (one more reference on it).
 * out may be s (s = s[lo:hi], same reference). Slots outside the new
 * window keep their references: that is the leak. */
int gs_ref_sub(const gs_ref_slice_t *s, size_t lo, size_t hi,
               gs_ref_slice_t *out);
int gs_ref_sub3(const gs_ref_slice_t *s, size_t lo, size_t hi, size_t max,
                gs_ref_slice_t *out);

/* s = append(s, v): v's array (a view of it, as given) goes in slot
 * s[len]; v may be nil (a nil slot) and is not changed, the slot takes its
 * own reference. With room the slot is overwritten in place, dropping the
 * reference it held (appending to q[:1] overwrites q[1]). Without, a new
 * array of gs_next_cap(policy, cap, len + 1, elem) slots is made, s[0:len)
 * copied (each copied slot one more reference on its target) and the rest
 * nil; the old array dies if this was its last handle, and with it every
 * reference it held. */
int gs_ref_append(gs_ref_heap_t *h, gs_ref_slice_t *s, const gs_slice_t *v);

/* s[i] = v for i < len(s): the slot drops its reference and takes one on
 * v's array; v NULL or nil sets the slot to nil (q[0] = nil, the fix). */
int gs_ref_set(const gs_ref_slice_t *s, size_t i, const gs_slice_t *v);

/* The slot s[i], i < len(s), or NULL when out of range. Borrowed: take a
 * reference of your own with gs_sub to keep it. */
const gs_slice_t *gs_ref_get(const gs_ref_slice_t *s, size_t i);

/* make([]*T, len(s)) + copy: a new array of exactly len slots with one more
 * reference on each target. out may be s: then s's old reference goes
 * after the copy is made. */
int gs_ref_clone(gs_ref_heap_t *h, const gs_ref_slice_t *s,
                 gs_ref_slice_t *out);

/* Drop this handle's reference; when it was the array's last, the array
 * dies and releases every slot in its capacity. *s becomes nil. */
void gs_ref_release(gs_ref_slice_t *s);

/* Handles on s's array, 0 for none. */
size_t gs_ref_refs(const gs_ref_slice_t *s);

/* 1 when a and b share an array. */
int gs_ref_same_array(const gs_ref_slice_t *a, const gs_ref_slice_t *b);

/* Slots of s's whole array (its full capacity, from slot 0), 0 for none:
 * with gs_ref_array_slot, what the collector would scan. */
size_t gs_ref_array_cap(const gs_ref_slice_t *s);

/* Slot i of s's whole array (not of the window), i < gs_ref_array_cap(s). */
const gs_slice_t *gs_ref_array_slot(const gs_ref_slice_t *s, size_t i);

/* What Go's collector would keep for these roots: the bytes of every
 * distinct array reachable from the nb byte slices and the nr reference
 * slices (a reference array and everything in its whole capacity), each
 * rounded up as Go's malloc rounds it (gs_go_roundupsize): in real Go, the
 * heap's growth after runtime.GC. Either list may be NULL when its count is
 * 0. -ENOMEM when the scratch set cannot be allocated; -EOVERFLOW past
 * SIZE_MAX. */
int gs_ref_reach(const gs_slice_t *b, size_t nb, const gs_ref_slice_t *r,
                 size_t nr, size_t *bytes);

#ifdef __cplusplus
}
#endif

#endif /* SLICEBENCH_GS_REF_H */
