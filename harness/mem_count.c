/* mem_count.c -- the counting allocator (see mem.h, "Counting allocator").
 *
 * Cost on the hot path: one malloc_usable_size call and a handful of adds
 * per allocation, and one more call per free unless the caller kept the
 * size (mem_alloc_usable, mem_free_usable). That is part of what every
 * strategy pays, equally, so it cancels in the strategy-minus-baseline
 * figures.
 */
#include "mem.h"

#include <errno.h>
#include <malloc.h>
#include <stdlib.h>
#include <string.h>

static mem_counts_t counts;
static int fail_armed;                  /* the failure switch (mem.h)      */
static unsigned long fail_countdown;    /* successes left before it fails  */

void mem_fail_arm(unsigned long successes)
{
    fail_armed = 1;
    fail_countdown = successes;
}

void mem_fail_disarm(void)
{
    fail_armed = 0;
}

int mem_fail_armed(void)
{
    return fail_armed;
}

/* 1 when this allocation is the one the switch makes fail. */
static int fail_now(void)
{
    if (!fail_armed) return 0;
    if (fail_countdown > 0) {
        fail_countdown--;
        return 0;
    }
    fail_armed = 0;
    return 1;
}

static void count_alloc(size_t n, size_t usable)
{
    counts.allocs++;
    counts.bytes_requested += n;
    counts.bytes_reserved += usable;
    counts.live_requested += (int64_t)n;
    counts.live_bytes += (int64_t)usable;
    if (counts.live_bytes > counts.peak_live_bytes)
        counts.peak_live_bytes = counts.live_bytes;
}

int mem_alloc_usable(size_t n, int zeroed, void **out, size_t *usable)
{
    void *p;
    if (n == 0) return -EINVAL;
    if (fail_now()) return -ENOMEM;
    p = zeroed ? calloc(1, n) : malloc(n);
    if (p == NULL) return -ENOMEM;
    *usable = malloc_usable_size(p);
    count_alloc(n, *usable);
    *out = p;
    return 0;
}

int mem_alloc(size_t n, void **out)
{
    size_t usable;
    return mem_alloc_usable(n, 0, out, &usable);
}

int mem_alloc_zeroed(size_t n, void **out)
{
    size_t usable;
    return mem_alloc_usable(n, 1, out, &usable);
}

void mem_free_usable(void *p, size_t n, size_t usable)
{
    if (p == NULL) return;
    counts.frees++;
    counts.live_requested -= (int64_t)n;
    counts.live_bytes -= (int64_t)usable;
    free(p);
}

void mem_free(void *p, size_t n)
{
    if (p == NULL) return;
    mem_free_usable(p, n, malloc_usable_size(p));
}

size_t mem_usable_size(const void *p)
{
    return p ? malloc_usable_size((void *)p) : 0;
}

void mem_counts_get(mem_counts_t *out)
{
    *out = counts;
}

void mem_counts_reset(void)
{
    memset(&counts, 0, sizeof counts);
}
