/* gs_ops.h -- an operation interpreter that checks the Go slice model
 * against a naive reference model.
 *
 * A byte string is decoded into a program: a growth policy and GC mode
 * (off, or Go's at GOGC 0 or 100), two element sizes, then operations on six slice variables (make, s[lo:hi],
 * s[lo:hi:max], append of one, of n, of a slice or of a window of an array
 * (aliasing included), copy, clone, clip, release, element writes, a pending
 * allocation failure, heap destroy, and overflowing sizes). Each operation
 * runs on the model (gs.h) and on the reference, which keeps every array as
 * a plain buffer with an id and every variable as (array id, offset, len,
 * cap), and shares nothing by pointer. After each operation the two must
 * agree on: the return code; every variable's len, cap, elem, address and
 * all cap elements; which variables share an array; each array's reference
 * count; every accounting field of the heap (Go's bytes within the bounds
 * of their classes and tiny blocks); the counting allocator's live bytes
 * (with the garbage, in GC mode). Any byte string is a valid program; running out of bytes ends it.
 *
 * Allocation failures are part of the programs with GC off (in GC mode an
 * allocation may reuse an idle block instead): they use the counting
 * allocator's failure switch (mem_fail_arm in mem.h).
 */
#ifndef SLICEBENCH_TESTS_GS_OPS_H
#define SLICEBENCH_TESTS_GS_OPS_H

#include <stddef.h>
#include <stdint.h>

typedef struct gs_ops_stats_s {
    uint64_t ops;        /* operations run                        */
    uint64_t errors;     /* of which returned an (expected) error */
    uint64_t grows;      /* reallocations by append               */
    uint64_t nomem;      /* injected allocation failures          */
} gs_ops_stats_t;

/* Run the program in data[0..size). 0 when model and reference agreed
 * throughout, -1 on the first disagreement, described in why (one line).
 * stats (may be NULL) is added to. trace != 0 prints each operation on
 * stderr. */
int gs_ops_run(const uint8_t *data, size_t size, int trace,
               gs_ops_stats_t *stats, char *why, size_t why_size);

#endif /* SLICEBENCH_TESTS_GS_OPS_H */
