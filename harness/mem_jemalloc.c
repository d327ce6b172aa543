/* mem_jemalloc.c -- jemalloc as the allocator (see mem.h, "The allocator
 * underneath").
 *
 * Linking Debian's libjemalloc.so makes it the process's malloc. What
 * jemalloc does with freed memory: freed pages become "dirty" and are
 * purged back to the kernel gradually over dirty_decay_ms (10 s by
 * default), so RSS falls long after the frees. A run therefore starts with
 * every arena purged, and the pinned tuning fixes the decay times so the
 * environment (MALLOC_CONF) cannot change them under a run.
 */
#include "mem.h"

#include <dlfcn.h>
#include <errno.h>
#include <jemalloc/jemalloc.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define STR_(x) #x
#define STR(x) STR_(x)

enum { PINNED_DIRTY_DECAY_MS = 0, PINNED_MUZZY_DECAY_MS = 0 };

const char *mem_allocator_name(void)
{
    return "jemalloc";
}

const char *mem_allocator_version(void)
{
    static char buf[64];
    const char *v = NULL;
    size_t sz = sizeof v;
    if (mallctl("version", &v, &sz, NULL, 0) != 0 || v == NULL) return "unknown";
    snprintf(buf, sizeof buf, "%s", v);
    return buf;
}

static long get_ssize(const char *name)
{
    ssize_t v = -1;
    size_t sz = sizeof v;
    if (mallctl(name, &v, &sz, NULL, 0) != 0) return -1;
    return (long)v;
}

static const char *get_bool(const char *name)
{
    bool v = false;
    size_t sz = sizeof v;
    if (mallctl(name, &v, &sz, NULL, 0) != 0) return "unknown";
    return v ? "true" : "false";
}

static int set_ssize(const char *name, ssize_t v)
{
    return mallctl(name, NULL, NULL, &v, sizeof v) == 0 ? 0 : -EINVAL;
}

int mem_allocator_configure(mem_tuning_t tuning, char *buf, size_t bufsz)
{
    if (tuning == MEM_TUNING_PINNED) {
        unsigned narenas = 0, i;
        size_t sz = sizeof narenas;
        /* arenas made from now on, then each one that already exists */
        if (set_ssize("arenas.dirty_decay_ms", PINNED_DIRTY_DECAY_MS) ||
            set_ssize("arenas.muzzy_decay_ms", PINNED_MUZZY_DECAY_MS) ||
            mallctl("arenas.narenas", &narenas, &sz, NULL, 0) != 0)
            return -EINVAL;
        for (i = 0; i < narenas; i++) {
            char name[64];
            snprintf(name, sizeof name, "arena.%u.dirty_decay_ms", i);
            set_ssize(name, PINNED_DIRTY_DECAY_MS);   /* unused arenas refuse */
            snprintf(name, sizeof name, "arena.%u.muzzy_decay_ms", i);
            set_ssize(name, PINNED_MUZZY_DECAY_MS);
        }
    }
    snprintf(buf, bufsz, "dirty_decay_ms=%ld;muzzy_decay_ms=%ld;"
             "cache_oblivious=%s;release_before_run=purge;tuning=%s",
             get_ssize("arena.0.dirty_decay_ms"),
             get_ssize("arena.0.muzzy_decay_ms"),
             get_bool("opt.cache_oblivious"),
             tuning == MEM_TUNING_PINNED ? "pinned" : "default");
    return 0;
}

void mem_allocator_release(void)
{
    mallctl("arena." STR(MALLCTL_ARENAS_ALL) ".purge", NULL, NULL, NULL, 0);
}

int mem_allocator_active(void)
{
    Dl_info info;
    void *fn = dlsym(RTLD_DEFAULT, "malloc");
    if (fn == NULL || dladdr(fn, &info) == 0 || info.dli_fname == NULL)
        return 0;
    return strstr(info.dli_fname, "libjemalloc") != NULL;
}
