/* mem_glibc.c -- glibc malloc as the allocator (see mem.h, "The allocator
 * underneath").
 *
 * What glibc does with freed memory: blocks at or above the mmap threshold
 * are mmap'd on allocation and munmap'd on free, so they leave RSS at once;
 * smaller blocks go back to the heap's bins and stay resident until the top
 * of the heap exceeds the trim threshold (then it is given back) or
 * malloc_trim runs. By default the mmap threshold moves: the first free of
 * an mmap'd block raises it to that block's size (up to 32 MiB on 64-bit),
 * so later blocks of that size come from the heap instead, and stay
 * resident after free. That changes RSS behaviour halfway through a run;
 * pinning the threshold (any mallopt of M_MMAP_THRESHOLD turns the dynamic
 * adjustment off) keeps it fixed at its initial 128 KiB.
 */
#include "mem.h"

#include <dlfcn.h>
#include <errno.h>
#include <gnu/libc-version.h>
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { PINNED_THRESHOLD = 128 * 1024 };   /* glibc's own initial value */

const char *mem_allocator_name(void)
{
    return "glibc";
}

const char *mem_allocator_version(void)
{
    return gnu_get_libc_version();
}

int mem_allocator_configure(mem_tuning_t tuning, char *buf, size_t bufsz)
{
    if (tuning == MEM_TUNING_PINNED) {
        if (mallopt(M_MMAP_THRESHOLD, PINNED_THRESHOLD) != 1 ||
            mallopt(M_TRIM_THRESHOLD, PINNED_THRESHOLD) != 1)
            return -EINVAL;
        snprintf(buf, bufsz, "mmap_threshold=%d;trim_threshold=%d;"
                 "release_before_run=malloc_trim;tuning=pinned",
                 PINNED_THRESHOLD, PINNED_THRESHOLD);
    } else {
        snprintf(buf, bufsz, "mmap_threshold=dynamic;trim_threshold=dynamic;"
                 "release_before_run=malloc_trim;tuning=default");
    }
    return 0;
}

void mem_allocator_release(void)
{
    malloc_trim(0);
}

int mem_allocator_active(void)
{
    Dl_info info;
    void *fn = dlsym(RTLD_DEFAULT, "malloc");
    if (fn == NULL || dladdr(fn, &info) == 0 || info.dli_fname == NULL)
        return 0;
    return strstr(info.dli_fname, "libc.so") != NULL;
}
