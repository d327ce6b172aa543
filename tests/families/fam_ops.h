/* fam_ops.h -- programs of slice operations on byte slices and slices of
 * references, run on the model (gs.h + gs_ref.h), on a naive reference
 * model, and (through the same text) on real Go slices.
 *
 * A program is text, one operation a line, on four byte-slice variables
 * B0..B3 ([]byte) and three reference-slice variables R0..R2 ([][]byte):
 *
 *     bmake i len cap      B[i] = make([]byte, len, cap)
 *     bsub i j lo hi       B[i] = B[j][lo:hi]
 *     bsub3 i j lo hi max  B[i] = B[j][lo:hi:max]
 *     bappend i n          B[i] = append(B[i], n new byte values...)
 *     bset i k            B[i][k] = a new byte value
 *     bclone i j           B[i] = make([]byte, len(B[j])); copy(B[i], B[j])
 *     bnil i               B[i] = nil
 *     rmake i len cap      R[i] = make([][]byte, len, cap)
 *     rsub i j lo hi       R[i] = R[j][lo:hi]
 *     rsub3 i j lo hi max  R[i] = R[j][lo:hi:max]
 *     rappend i j          R[i] = append(R[i], B[j])
 *     rset i k j           R[i][k] = B[j]
 *     rclear i k           R[i][k] = nil
 *     rget i j k           B[i] = R[j][k]
 *     rclone i j           R[i] = make([][]byte, len(R[j])); copy(R[i], R[j])
 *     rnil i               R[i] = nil
 *
 * The n-th operation (from 1) writes byte values (n * 31 + x * 7) & 255 for
 * its x-th new byte, so every side computes the same contents. After each
 * operation a state line is printed (fam_state_line):
 *
 *     B len/cap/hash ... R len/cap[slot len/cap/hash,...] ... reach BYTES
 *
 * where hash is FNV-1a over the len bytes and reach is the bytes of every
 * array still reachable from the variables, each rounded up as Go's malloc
 * rounds it (gs_go_roundupsize): in Go, the heap's growth since the start
 * after a full collection. An operation that fails prints "error" instead.
 */
#ifndef SLICEBENCH_TESTS_FAM_OPS_H
#define SLICEBENCH_TESTS_FAM_OPS_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define FAM_NB 4
#define FAM_NR 3

typedef enum fam_kind_e {
    FAM_BMAKE, FAM_BSUB, FAM_BSUB3, FAM_BAPPEND, FAM_BSET, FAM_BCLONE,
    FAM_BNIL, FAM_RMAKE, FAM_RSUB, FAM_RSUB3, FAM_RAPPEND, FAM_RSET,
    FAM_RCLEAR, FAM_RGET, FAM_RCLONE, FAM_RNIL, FAM_KINDS
} fam_kind_t;

typedef struct fam_op_s {
    fam_kind_t kind;
    size_t a[5];             /* operands in the order of the text form */
} fam_op_t;

/* One line (no newline needed) to an op; -EINVAL for anything else. */
int fam_op_parse(const char *line, fam_op_t *op);

/* The text form of op, newline-terminated, into buf. */
void fam_op_format(const fam_op_t *op, char *buf, size_t n);

/* Run programs. A runner is opaque; each holds its own heaps. */
typedef struct fam_model_s fam_model_t;
typedef struct fam_naive_s fam_naive_t;

int fam_model_new(fam_model_t **out);
/* Release every variable and free m: -EBUSY when an array outlived its
 * last reference (a leak in the model), else 0. */
int fam_model_free(fam_model_t *m);
/* Run the n-th (from 1) operation; 0 or the model's negative errno. */
int fam_model_run(fam_model_t *m, const fam_op_t *op, uint64_t n);
/* The state line (without newline) into buf; -ENOMEM for allocation. */
int fam_model_state(const fam_model_t *m, char *buf, size_t size);
/* Sum of cap x elem over live byte arrays and over live reference arrays,
 * as the two heaps count them (not rounded). */
void fam_model_held(const fam_model_t *m, size_t *bytes, size_t *refs);

int fam_naive_new(fam_naive_t **out);
void fam_naive_free(fam_naive_t *r);
/* 0, or -ERANGE where Go would panic (the reference checks nothing else). */
int fam_naive_run(fam_naive_t *r, const fam_op_t *op, uint64_t n);
int fam_naive_state(const fam_naive_t *r, char *buf, size_t size);
void fam_naive_held(const fam_naive_t *r, size_t *bytes, size_t *refs);

/* A random operation for the naive model's state; `valid_only` keeps to
 * operations that succeed and whose arrays Go does not put in its tiny
 * allocator (byte arrays under 16 bytes), so real Go can run them. */
void fam_gen(const fam_naive_t *r, uint64_t *rng, int valid_only,
             fam_op_t *op);

#endif /* SLICEBENCH_TESTS_FAM_OPS_H */
