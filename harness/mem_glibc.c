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

/* A sanitizer build links AddressSanitizer's allocator in glibc's place:
 * the figures are then its, and it has no thresholds to pin. */
#if defined(__SANITIZE_ADDRESS__)
#define SANITIZER_MALLOC 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define SANITIZER_MALLOC 1
#endif
#endif
#ifndef SANITIZER_MALLOC
#define SANITIZER_MALLOC 0
#endif

const char *mem_allocator_name(void)
{
    return SANITIZER_MALLOC ? "asan" : "glibc";
}

const char *mem_allocator_version(void)
{
    return SANITIZER_MALLOC ? "compiler's" : gnu_get_libc_version();
}

int mem_allocator_configure(mem_tuning_t tuning, char *buf, size_t bufsz)
{
    if (SANITIZER_MALLOC) {
        snprintf(buf, bufsz, "tuning=none (AddressSanitizer's allocator)");
        return 0;
    }
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
    if (SANITIZER_MALLOC) return 1;   /* the sanitizer's, as named */
    void *fn = dlsym(RTLD_DEFAULT, "malloc");
    if (fn == NULL || dladdr(fn, &info) == 0 || info.dli_fname == NULL)
        return 0;
    return strstr(info.dli_fname, "libc.so") != NULL;
}
