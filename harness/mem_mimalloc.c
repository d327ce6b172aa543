/* mem_mimalloc.c -- mimalloc as the allocator (see mem.h, "The allocator
 * underneath").
 *
 * Linking Debian's libmimalloc.so makes it the process's malloc. What
 * mimalloc does with freed memory: a freed block goes back to its page's
 * free list at once; a page left empty returns to its segment, which
 * decommits it only `decommit_delay` milliseconds later (25 by default), at
 * the next allocator call after that time, so RSS falls some time after the
 * frees, by a schedule that depends on how long the code between them took.
 * Even mi_collect(true) leaves a page alone until its delay has passed.
 *
 * Pinned tuning sets the delay to 0: an empty page is decommitted when it
 * empties, so RSS follows the frees and does not depend on timing, and a
 * run never inherits memory the previous run left committed. With the
 * defaults, a run starts by waiting the delay out and then collecting.
 */
#include "mem.h"

#include <dlfcn.h>
#include <errno.h>
#include <mimalloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static mem_tuning_t tuning_in_force = MEM_TUNING_DEFAULT;

const char *mem_allocator_name(void)
{
    return "mimalloc";
}

const char *mem_allocator_version(void)
{
    static char buf[32];
    int v = mi_version();       /* major * 100 + minor * 10 + patch */
    snprintf(buf, sizeof buf, "%d.%d.%d", v / 100, (v / 10) % 10, v % 10);
    return buf;
}

int mem_allocator_configure(mem_tuning_t tuning, char *buf, size_t bufsz)
{
    if (tuning == MEM_TUNING_PINNED) {
        mi_option_set(mi_option_decommit_delay, 0);
        mi_option_enable(mi_option_allow_decommit);
    }
    tuning_in_force = tuning;
    snprintf(buf, bufsz, "decommit_delay_ms=%ld;allow_decommit=%s;"
             "eager_commit=%s;release_before_run=mi_collect;tuning=%s",
             mi_option_get(mi_option_decommit_delay),
             mi_option_is_enabled(mi_option_allow_decommit) ? "on" : "off",
             mi_option_is_enabled(mi_option_eager_commit) ? "on" : "off",
             tuning == MEM_TUNING_PINNED ? "pinned" : "default");
    return 0;
}

void mem_allocator_release(void)
{
    long delay = mi_option_get(mi_option_decommit_delay);
    if (tuning_in_force == MEM_TUNING_DEFAULT && delay > 0) {
        /* outlive the delay of the last frees, so the collect can act */
        struct timespec ts = {(delay + 5) / 1000, ((delay + 5) % 1000) * 1000000L};
        nanosleep(&ts, NULL);
        mi_collect(true);
    }
    mi_collect(true);
}
int mem_allocator_active(void)
{
    Dl_info info;
    void *fn = dlsym(RTLD_DEFAULT, "malloc");
    void *p;
    int owned;
    if (fn == NULL || dladdr(fn, &info) == 0 || info.dli_fname == NULL ||
        strstr(info.dli_fname, "libmimalloc") == NULL)
        return 0;
    p = malloc(64);
    owned = p != NULL && mi_is_in_heap_region(p);
    free(p);
    return owned;
}
