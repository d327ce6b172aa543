/* fuzz_fam.c -- libFuzzer target: the model (gs.h + gs_ref.h) against the
 * naive reference of fam_ops.c on programs drawn from the input.
 *
 * Every 8 bytes of input seed the generator for one operation (fam_gen);
 * the first byte's low bit chooses Go-runnable operations only. Any
 * disagreement in success, state line or held bytes aborts. */
#include "fam_ops.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static char a[1 << 16], b[1 << 16];
    fam_model_t *m;
    fam_naive_t *r;
    size_t i;
    uint64_t n = 0;
    if (size < 1 || fam_model_new(&m) != 0) return 0;
    if (fam_naive_new(&r) != 0) {
        (void)fam_model_free(m);
        return 0;
    }
    for (i = 1; i + 8 <= size && n < 400; i += 8) {
        uint64_t rng;
        fam_op_t op;
        size_t mb, mr, rb, rr;
        int rm, rn;
        memcpy(&rng, data + i, 8);
        fam_gen(r, &rng, data[0] & 1, &op);
        n++;
        rm = fam_model_run(m, &op, n);
        rn = fam_naive_run(r, &op, n);
        fam_model_held(m, &mb, &mr);
        fam_naive_held(r, &rb, &rr);
        if ((rm < 0) != (rn < 0) || fam_model_state(m, a, sizeof a) != 0 ||
            fam_naive_state(r, b, sizeof b) != 0 || strcmp(a, b) != 0 ||
            mb != rb || mr != rr) {
            fprintf(stderr, "op %llu: model and reference disagree\n model     %s\n"
                    " reference %s\n", (unsigned long long)n, a, b);
            abort();
        }
    }
    fam_naive_free(r);
    if (fam_model_free(m) != 0) abort();
    return 0;
}
