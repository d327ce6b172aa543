/* families.h -- the leak families of issue 14 as scenarios on the model
 * (gs.h byte slices, gs_ref.h slices of references), and the program that
 * measures them (families.c). The Go side is benchmarks/go/families.
 *
 * Families and variants (each a Go program in miniature; fam_variants is
 * the one list):
 *   queue     q := []*byte of `queue` items of `item` bytes, then `pops`
 *             pops. pop_front q = q[1:]; pop_front_nil q[0] = nil first;
 *             pop_back q = q[:len(q)-1]; pop_back_nil q[len(q)-1] = nil
 *             first; copy_live pop_front then q = make+copy of the rest;
 *             pop_front_append / pop_back_append: the pops, then one
 *             append of a new item (reallocates / in place).
 *   iovec     one write of `bufs` buffers of `item` bytes through a [][]byte
 *             cached on a long-lived object; the caller drops its buffers.
 *             keep: slots left as they are; clear: each slot set to nil.
 *   temporary a = b[:k:k] or a = b[:k] of a new b of `item` bytes (k = 16),
 *             b dropped: sub3_pinned, sub3_append (one append), sub_pinned,
 *             sub_append_inplace (one append, within cap(b)), sub_outgrow
 *             (appends past cap(b)).
 *   article   b := make([]int, item/8); a = b[:2] (kept), c = append(c,
 *             b[:2]...). before_nil: b still live; after_nil: b = nil;
 *             without_a: b = nil and no a.
 *
 * Held bytes are measured at the end of the scenario, with every variable
 * the Go program would still hold live, as gs_ref_reach computes them (Go's
 * heap growth after runtime.GC, on Go's size classes). Every item and
 * buffer is written in full when made, so resident memory follows it.
 *
 * The timed phase is what the family does after its structure is built,
 * the part a fix changes: queue, the pops (with the nil-out) and the final
 * copy or append, `pops` operations; iovec, the clearing and v = v[:0] after
 * the write, `bufs` operations; temporary, the subslice and the appends
 * (1, or item - k + 1 for sub_outgrow); article, a = b[:2], the append
 * into c and b = nil, 1 operation.
 */
#ifndef SLICEBENCH_FAMILIES_H
#define SLICEBENCH_FAMILIES_H

#include <stddef.h>
#include <stdint.h>

typedef struct fam_params_s {
    size_t item;     /* bytes per item / buffer / b                       */
    size_t queue;    /* items in the queue                                */
    size_t pops;     /* pops (queue family), <= queue                     */
    size_t bufs;     /* buffers per write (iovec family)                  */
} fam_params_t;

typedef struct fam_outcome_s {
    size_t held_bytes;       /* reachable at the end, Go-rounded            */
    size_t peak_held_bytes;  /* the model heaps' highest held bytes (sum)   */
    size_t ops;              /* operations of the timed phase               */
    double phase_ns;         /* wall time of the timed phase, ns            */
    int64_t rss_held;        /* VmRSS at the measurement point, bytes, or -1 */
} fam_outcome_t;

typedef struct fam_variant_s {
    const char *family;
    const char *variant;
    int (*run)(const fam_params_t *p, const char *variant, fam_outcome_t *out);
} fam_variant_t;

/* Every variant, in order; n gets the count. */
const fam_variant_t *fam_variants(size_t *n);

/* CLOCK_MONOTONIC now, in ns: the one clock of the program. */
double fam_now_ns(void);

/* The k of the temporary family: bytes kept of b. */
#define FAM_TEMP_KEEP 16u

#endif /* SLICEBENCH_FAMILIES_H */
