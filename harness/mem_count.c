/* mem_count.c -- the counting allocator (see mem.h, "Counting allocator").
 *
 * Cost on the hot path: one malloc_usable_size call and a handful of adds
 * per allocation, and one more call per free unless the caller kept the
 * size (mem_alloc_usable, mem_free_usable: inline in mem.h, over the
 * counters and switch defined here). That is part of what every strategy
 * pays, equally, so it cancels in the strategy-minus-baseline figures.
 */
#include "mem.h"

#include <errno.h>
#include <malloc.h>
#include <stdlib.h>
#include <string.h>

mem_counts_t mem_counts_;               /* mem.h: the counters             */
int mem_fail_armed_;                    /* mem.h: the failure switch       */
static unsigned long fail_countdown;    /* successes left before it fails  */

void mem_fail_arm(unsigned long successes)
{
    mem_fail_armed_ = 1;
    fail_countdown = successes;
}

void mem_fail_disarm(void)
{
    mem_fail_armed_ = 0;
}

int mem_fail_armed(void)
{
    return mem_fail_armed_;
}

int mem_fail_now_(void)
{
    if (!mem_fail_armed_) return 0;
    if (fail_countdown > 0) {
        fail_countdown--;
        return 0;
    }
    mem_fail_armed_ = 0;
    return 1;
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

void mem_free(void *p, size_t n)
{
    if (p == NULL) return;
    mem_free_usable(p, n, malloc_usable_size(p));
}

int mem_count_take(size_t n, size_t usable)
{
    if (n == 0) return -EINVAL;
    if (mem_fail_armed_ && mem_fail_now_()) return -ENOMEM;
    mem_count_add_(n, usable);
    return 0;
}

void mem_count_give(size_t n, size_t usable)
{
    mem_count_sub_(n, usable);
}

size_t mem_usable_size(const void *p)
{
    return p ? malloc_usable_size((void *)p) : 0;
}

void mem_counts_get(mem_counts_t *out)
{
    *out = mem_counts_;
}

void mem_counts_reset(void)
{
    memset(&mem_counts_, 0, sizeof mem_counts_);
}
