/* mem_fixture.c -- benchmarks with known memory behaviour, built once per
 * allocator, for test_mem.py to check the per-run memory counters against.
 *
 *   touch/mib:M      allocate M MiB, write every byte, free; once per iteration
 *   keep/mib:16      allocate 16 MiB per iteration, write it, keep it all
 *   free/mib:16      the same, freed at once
 *   deletable/mib:M  malloc + memset + free in this file, where the compiler
 *                    may delete all three; bm_escape keeps the stores
 *
 * The binary also answers --allocator: it prints the allocator's name and
 * version, and whether it really is the process's malloc.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bm.h"
#include "mem.h"
#include "sb.h"

enum { MIB = 1 << 20 };

static void touch(bm_state_t *st)
{
    size_t n = (size_t)bm_arg(st, "mib") * MIB;
    BM_LOOP(st) {
        void *p;
        if (mem_alloc(n, &p) != 0) {
            bm_skip_with_error(st, "out of memory");
            break;
        }
        memset(p, 0xa5, n);
        bm_escape(p);
        mem_free(p, n);
    }
}

/* keep: blocks stay allocated to the end of the loop, and the live bytes
 * are read before they go. */
static void keep_or_free(bm_state_t *st, int keep)
{
    enum { MAX_BLOCKS = 64 };
    void *blocks[MAX_BLOCKS];
    size_t n = (size_t)bm_arg(st, "mib") * MIB, count = 0, i;
    uint64_t expected_live = 0;
    mem_counts_t c;
    BM_LOOP(st) {
        void *p;
        if (count == MAX_BLOCKS || mem_alloc(n, &p) != 0) {
            bm_skip_with_error(st, "too many iterations or out of memory");
            break;
        }
        memset(p, 0x5a, n);
        bm_escape(p);
        if (keep) {
            blocks[count++] = p;
            expected_live += mem_usable_size(p);
        } else {
            mem_free(p, n);
        }
    }
    mem_counts_get(&c);
    bm_set_counter(st, "live_after_loop", (double)c.live_bytes, 0);
    bm_set_counter(st, "expected_live", (double)expected_live, 0);
    for (i = 0; i < count; i++) mem_free(blocks[i], n);
}

static void keep(bm_state_t *st) { keep_or_free(st, 1); }
static void free_at_once(bm_state_t *st) { keep_or_free(st, 0); }

static void deletable(bm_state_t *st)
{
    size_t n = (size_t)bm_arg(st, "mib") * MIB;
    BM_LOOP(st) {
        char *p = malloc(n);
        if (p == NULL) {
            bm_skip_with_error(st, "out of memory");
            break;
        }
        memset(p, 1, n);
        bm_escape(p);
        free(p);
    }
}

static int add(const char *name, bm_fn *fn, int64_t mib, int64_t iters)
{
    static const char *const names[] = {"mib"};
    bm_bench_t *b = bm_register(name, fn);
    if (b == NULL || bm_arg_names(b, 1, names) || bm_args(b, 1, &mib) ||
        bm_fix_iterations(b, iters))
        return -1;
    return 0;
}

int main(int argc, char **argv)
{
    char settings[256];
    if (argc == 2 && strcmp(argv[1], "--allocator") == 0) {
        printf("%s %s active=%d\n", mem_allocator_name(),
               mem_allocator_version(), mem_allocator_active());
        return 0;
    }
    if (mem_allocator_configure(MEM_TUNING_PINNED, settings, sizeof settings)) {
        fprintf(stderr, "mem_fixture: cannot configure the allocator\n");
        return 1;
    }
    if (add("touch", touch, 64, 1) || add("touch", touch, 8, 1) ||
        add("touch", touch, 64, 3) || add("keep", keep, 16, 4) ||
        add("free", free_at_once, 16, 4) || add("deletable", deletable, 64, 1)) {
        fprintf(stderr, "mem_fixture: cannot register benchmarks\n");
        return 1;
    }
    sb_memrun_install();
    bm_add_context("allocator", mem_allocator_name());
    bm_add_context("allocator_settings", settings);
    return bm_main(&argc, argv);
}
