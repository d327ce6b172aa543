/* mem_thp.c -- transparent huge pages on a block's whole huge pages (see
 * mem.h, "Process memory").
 *
 * The huge page size is the kernel's (hpage_pmd_size), read once: the
 * harness is single-threaded (a race would only read the file twice).
 */
#include "mem.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#define HPAGE_SIZE_FILE "/sys/kernel/mm/transparent_hugepage/hpage_pmd_size"

/* The huge page size in bytes, 0 when the kernel has none (or no THP). */
static size_t huge_page_size(void)
{
    static int known;
    static size_t size;
    char buf[32];
    ssize_t got;
    int fd;
    if (known) return size;
    known = 1;
    fd = open(HPAGE_SIZE_FILE, O_RDONLY | O_CLOEXEC);
    if (fd < 0) return 0;
    got = read(fd, buf, sizeof buf - 1);
    close(fd);
    if (got > 0) {
        unsigned long long v;
        char *end;
        buf[got] = '\0';
        v = strtoull(buf, &end, 10);
        /* a power of two, at least a page */
        if (end != buf && v >= 4096 && (v & (v - 1)) == 0 && v <= SIZE_MAX)
            size = (size_t)v;
    }
    return size;
}

int mem_advise_huge(void *p, size_t n)
{
    size_t hp = huge_page_size();
    uintptr_t beg, end;
    if (p == NULL) return -EINVAL;
    if (hp == 0) return -EOPNOTSUPP;
    if ((uintptr_t)p > UINTPTR_MAX - n) return -EINVAL;
    beg = ((uintptr_t)p + hp - 1) & ~(uintptr_t)(hp - 1);
    end = ((uintptr_t)p + n) & ~(uintptr_t)(hp - 1);
    if (beg >= end) return 0;                      /* no whole huge page */
#ifdef MADV_HUGEPAGE
    if (madvise((void *)beg, end - beg, MADV_HUGEPAGE) != 0) return -errno;
    return 0;
#else
    return -EOPNOTSUPP;
#endif
}

int mem_release_pages(void *p, size_t n)
{
    size_t hp = huge_page_size(), ps = (size_t)sysconf(_SC_PAGESIZE);
    uintptr_t beg = (uintptr_t)p, end;
    if (p == NULL || beg > UINTPTR_MAX - n || beg % ps != 0 || n % ps != 0)
        return -EINVAL;
    end = beg + n;
    if (n == 0) return 0;
#ifdef MADV_NOHUGEPAGE
    if (hp != 0) {
        uintptr_t mask = ~(uintptr_t)(hp - 1), head = 0, tail = 0;
        int has_head = (beg & (hp - 1)) != 0, has_tail = (end & (hp - 1)) != 0;
        if (has_head) head = beg & mask;
        if (has_tail) tail = (end - 1) & mask;
        /* errors ignored: the flag is often set already (EINVAL) */
        if (has_head) (void)madvise((void *)head, hp, MADV_NOHUGEPAGE);
        if (has_tail && (!has_head || tail != head))
            (void)madvise((void *)tail, hp, MADV_NOHUGEPAGE);
    }
#else
    (void)hp;
#endif
    if (madvise(p, n, MADV_DONTNEED) != 0) return -errno;
    return 0;
}
