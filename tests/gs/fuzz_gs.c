/* fuzz_gs.c -- libFuzzer target: any byte string is a program for the
 * operation interpreter (gs_ops.h); a disagreement between the slice model
 * and the reference aborts with the reason. Built as a fuzzer with
 * SLICEBENCH_FUZZ=ON (clang), and always as the replay test of the committed
 * corpus (fuzz_replay.c provides main then). */
#include "gs_ops.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char why[512];
    if (gs_ops_run(data, size, 0, NULL, why, sizeof why) != 0) {
        fprintf(stderr, "gs_ops: %s\n", why);
        abort();
    }
    return 0;
}
