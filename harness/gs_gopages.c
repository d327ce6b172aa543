/* gs_gopages.c -- the Go GC mode's page heap (see gs.h, "The Go GC mode").
 *
 * In GC mode every span of the model's Go heap lives here: the arrays with
 * a span of their own (large objects, and the size classes of whole pages;
 * _gs_array_in_pages) and the spans of small objects' slots
 * (gs_gospans.c, through _gs_pages_take), all in one reservation
 * of address space of the model's own, managed in Go's 8 KiB pages as Go
 * 1.19's page allocator manages its heap: its first GS_GO_RUNTIME_PAGES
 * are never free (Go's runtime's own spans); an allocation takes the
 * lowest run of free pages long enough for it (first fit by address), so
 * the pages of freed arrays, neighbours merged, serve an allocation of any
 * size that fits, except one under CACHE_SPAN pages, which the page cache
 * serves (below); when no run fits, the heap grows at its top in steps of
 * 4 MiB (Go's allocation chunk), fresh pages never touched, and
 * _gs_pages_growth tells the collector by how much (it may scavenge); the scavenger
 * releases free pages, highest first, with madvise (mem_release_pages),
 * breaking no huge page it could take whole, and a released page faults
 * back in, zeroed, when next used.
 *
 * Three bitmaps over the reservation: free (the page is in no span and
 * not in the page cache, which keeps its own),
 * idle (free and still resident: freed by the sweep or a collection, not
 * yet released)
 * and released (free, released by the scavenger). A free page in neither
 * is fresh. A fourth, warm, says which pages the program has written
 * since the heap was last given back whole (gs_heap_free_os_memory): a
 * page taken into use that is not warm, and is written (the program
 * writes what it makes unless gs_heap_set_unwritten says otherwise; a
 * span used before is zeroed), faults in: go_faulted_bytes. The
 * scavenger's releases (in the background, and as the heap grows) leave
 * pages warm, so that the count follows from the allocations alone, not
 * from the scavenger's clock.
 *
 * The bytes of an array with a span of its own are counted in the counting
 * allocator (mem_count_take, mem_count_give) from allocation until a
 * sweep frees them, as a block from mem_alloc would be: reserved =
 * the whole pages. Spans of small objects are not: their slots are
 * (gs_gospans.c).
 */
#define _GNU_SOURCE     /* MAP_ANONYMOUS, MAP_NORESERVE */

#include "gs.h"
#include "gs_impl.h"
#include "mem.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#define PAGE ((size_t)GS_GO_PAGE_SIZE)
/* Go's heap grows in chunks of 512 pages (pallocChunkPages), 4 MiB. */
#define GROW_PAGES ((size_t)GS_GO_HEAP_STEP_BYTES / PAGE)
/* The reservation's alignment: a huge page on amd64, so that the heap's
 * huge pages line up as Go's (64 MiB aligned) arenas' do. */
#define RESERVE_ALIGN ((size_t)2 << 20)
/* Pages per huge page (2 MiB, Go's physHugePageSize on linux/amd64): page
 * indices that are multiples of it are huge page boundaries. */
#define HUGE_PAGES (RESERVE_ALIGN / PAGE)
/* The reservation: the largest of these the system grants (address space
 * only, PROT_NONE and not committed until the heap grows into it). */
#define RESERVE_MAX ((size_t)64 << 30)
#define RESERVE_MIN ((size_t)256 << 20)
/* Address space a reservation leaves the rest of the process (malloc: the
 * handles, the heap's own records), which matters under an address-space
 * limit only: the reservation is the largest that leaves this much too. */
#define RESERVE_SPARE ((size_t)GS_GO_RESERVE_SPARE)
/* Go's page cache (mpagecache.go): a P takes the CACHE_PAGES-aligned block
 * of pages holding the heap's lowest free page, all its free pages at
 * once, and serves spans of fewer than CACHE_SPAN pages from it, lowest
 * first, until it is empty. Its free pages are out of the page heap until
 * then: no other allocation takes them and the scavenger does not release
 * them. The model runs one P (GOMAXPROCS=1), whose cache Go never flushes. */
#define CACHE_PAGES ((size_t)64)         /* one bitmap word */
#define CACHE_SPAN (CACHE_PAGES / 4)
/* The heap's first pages, never free: Go's runtime's (gs.h). */
#define RUNTIME_PAGES ((size_t)GS_GO_RUNTIME_PAGES)

struct gs_pages_s {
    void *map;               /* the reservation as mmap returned it        */
    size_t map_bytes;        /* its length                                 */
    unsigned char *base;     /* page 0, RESERVE_ALIGN aligned              */
    size_t pages;            /* pages in the reservation after base        */
    size_t grown;            /* pages taken into the heap (read-write)     */
    size_t search;           /* no free page below this one                */
    size_t zeroed_base;      /* pages from here on never held an array     */
    uint64_t *free_bits;     /* 1: free                                    */
    uint64_t *idle_bits;     /* 1: free and resident                       */
    uint64_t *rel_bits;      /* 1: free, released by the scavenger         */
    uint64_t *warm_bits;     /* 1: written since the heap was given back   */
    size_t grew;             /* pages grown by since _gs_pages_growth      */
    size_t took_idle;        /* pages of the last span taken that were idle */
    size_t took;             /* pages of the last span taken               */
    /* the page cache: CACHE_PAGES pages from cache_base, bit j of cache
     * set where page cache_base + j is held there (free, but out of the
     * bitmaps above), of cache_idle where it was idle, of cache_rel where
     * released */
    size_t cache_base;
    uint64_t cache;
    uint64_t cache_idle;
    uint64_t cache_rel;
};

static int bit(const uint64_t *b, size_t i)
{
    return (int)((b[i / 64] >> (i % 64)) & 1u);
}

static void bit_set(uint64_t *b, size_t i)
{
    b[i / 64] |= (uint64_t)1 << (i % 64);
}

static void bit_clear(uint64_t *b, size_t i)
{
    b[i / 64] &= ~((uint64_t)1 << (i % 64));
}

/* The first i' >= i below n whose bit is `want`, else n. */
static size_t next_bit(const uint64_t *b, size_t i, size_t n, int want)
{
    while (i < n) {
        uint64_t w = want ? b[i / 64] : ~b[i / 64];
        w >>= i % 64;
        if (w != 0) {
            i += (size_t)__builtin_ctzll(w);
            return i < n ? i : n;
        }
        i = (i / 64 + 1) * 64;
    }
    return n;
}

/* The last i' < i whose bit is set, else SIZE_MAX. */
static size_t prev_set(const uint64_t *b, size_t i)
{
    while (i > 0) {
        size_t j = i - 1;
        uint64_t w = b[j / 64];
        unsigned sh = (unsigned)(63 - j % 64);
        w <<= sh;                           /* bits 0..j of the word, on top */
        if (w != 0) return j - (size_t)__builtin_clzll(w);
        i = j - j % 64;
    }
    return SIZE_MAX;
}

/* The reservation: the largest size the system grants with RESERVE_SPARE
 * to spare (its usable bytes in *size, with RESERVE_ALIGN more mapped; the
 * spare is mapped with it and given back at once), or MAP_FAILED. */
static void *reserve(size_t *size)
{
    void *m = MAP_FAILED;
    for (*size = RESERVE_MAX; *size >= RESERVE_MIN; *size /= 2) {
        m = mmap(NULL, *size + RESERVE_ALIGN + RESERVE_SPARE, PROT_NONE,
                 MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
        if (m != MAP_FAILED) break;
    }
    if (m != MAP_FAILED)
        munmap((unsigned char *)m + *size + RESERVE_ALIGN, RESERVE_SPARE);
    return m;
}

size_t gs_go_heap_room(void)
{
    size_t size;
    void *m = reserve(&size);
    if (m == MAP_FAILED) return 0;
    munmap(m, size + RESERVE_ALIGN);
    return size > RUNTIME_PAGES * PAGE ? size - RUNTIME_PAGES * PAGE : 0;
}

static int pages_new(gs_heap_t *h)
{
    gs_pages_t *p = calloc(1, sizeof *p);
    size_t size, words;
    void *m;
    if (p == NULL) return -ENOMEM;
    m = reserve(&size);
    if (m == MAP_FAILED) {
        free(p);
        return -ENOMEM;
    }
    p->map = m;
    p->map_bytes = size + RESERVE_ALIGN;
    p->base = (unsigned char *)(((uintptr_t)m + RESERVE_ALIGN - 1) &
                                ~(uintptr_t)(RESERVE_ALIGN - 1));
    p->pages = size / PAGE;
    words = (p->pages + 63) / 64;
    p->free_bits = calloc(words, sizeof *p->free_bits);
    p->idle_bits = calloc(words, sizeof *p->idle_bits);
    p->rel_bits = calloc(words, sizeof *p->rel_bits);
    p->warm_bits = calloc(words, sizeof *p->warm_bits);
    if (p->free_bits == NULL || p->idle_bits == NULL || p->rel_bits == NULL ||
        p->warm_bits == NULL) {
        free(p->free_bits);
        free(p->idle_bits);
        free(p->rel_bits);
        free(p->warm_bits);
        munmap(m, p->map_bytes);
        free(p);
        return -ENOMEM;
    }
    h->pages_ = p;
    return 0;
}

/* The lowest run of n free pages: its first page in *at, or 0. */
static int find_run(const gs_pages_t *p, size_t n, size_t *at)
{
    size_t i = p->search, j;
    while ((i = next_bit(p->free_bits, i, p->grown, 1)) < p->grown) {
        j = next_bit(p->free_bits, i, p->grown, 0);
        if (j - i >= n) {
            *at = i;
            return 1;
        }
        i = j;
    }
    return 0;
}

/* Fill the empty page cache from the block of the lowest free page (none
 * when no page is free: the allocation then grows the heap as any does).
 * A block is CACHE_PAGES = 64 pages from a multiple of 64: one word of
 * each bitmap (no bit is set past the heap's top). */
static void cache_fill(gs_pages_t *p)
{
    size_t i = next_bit(p->free_bits, p->search, p->grown, 1), w = i / 64;
    if (i >= p->grown) return;
    p->cache_base = w * 64;
    p->cache = p->free_bits[w];
    p->cache_idle = p->idle_bits[w];      /* idle and released pages are free */
    p->cache_rel = p->rel_bits[w];
    p->free_bits[w] = p->idle_bits[w] = p->rel_bits[w] = 0;
}

/* The lowest n pages in a row the page cache holds: their first page in
 * *at, or 0 when it has no n in a row. The cache is unchanged until
 * commit_run takes them (cache_claim). */
static int cache_find(const gs_pages_t *p, size_t n, size_t *at)
{
    uint64_t run = p->cache;
    size_t j;
    for (j = 1; j < n; j++) run &= p->cache >> j;
    if (run == 0) return 0;
    *at = p->cache_base + (size_t)__builtin_ctzll(run);
    return 1;
}

/* Pages [at, at + n) out of the page cache, if it holds them, back in the
 * page heap's bitmaps as they were (free, idle or released), for
 * commit_run to take. */
static void cache_claim(gs_pages_t *p, size_t at, size_t n)
{
    size_t w = p->cache_base / 64;
    uint64_t mask;
    if (p->cache == 0 || at < p->cache_base || at + n > p->cache_base + CACHE_PAGES)
        return;
    mask = (((uint64_t)1 << n) - 1) << (at - p->cache_base);
    if ((p->cache & mask) != mask) return;
    p->free_bits[w] |= mask;
    p->idle_bits[w] |= p->cache_idle & mask;
    p->rel_bits[w] |= p->cache_rel & mask;
    p->cache &= ~mask;
    p->cache_idle &= ~mask;
    p->cache_rel &= ~mask;
}

/* Grow the heap at its top for an allocation of n pages: 512-page steps,
 * fresh pages (free, not idle), which merge with a free run below. */
static int grow(gs_pages_t *p, size_t n)
{
    size_t ask = (n + GROW_PAGES - 1) / GROW_PAGES * GROW_PAGES, i;
    if (ask > p->pages - p->grown) ask = p->pages - p->grown;
    if (ask < n) return -ENOMEM;
    if (mprotect(p->base + p->grown * PAGE, ask * PAGE, PROT_READ | PROT_WRITE) != 0)
        return -ENOMEM;
    for (i = p->grown; i < p->grown + ask; i++) bit_set(p->free_bits, i);
    p->grown += ask;
    p->grew += ask;
    return 0;
}

/* The heap as the program's first allocation finds it: Go's first chunk,
 * its first RUNTIME_PAGES the runtime's (never free), the rest free; not
 * a growth of the program's. */
static int grow_first(gs_pages_t *p)
{
    size_t i;
    int rc = grow(p, RUNTIME_PAGES + 1);
    if (rc < 0) return rc;
    for (i = 0; i < RUNTIME_PAGES; i++) bit_clear(p->free_bits, i);
    p->search = RUNTIME_PAGES;
    p->grew = 0;
    return 0;
}

/* Where a span of n pages goes: under CACHE_SPAN pages the page cache's
 * lowest n in a row if it has them (refilled first if empty), else the
 * lowest run of n free pages, growing the heap if none: *at. The growth
 * is fresh pages, free, counted for _gs_pages_growth. */
static int reserve_run(gs_heap_t *h, size_t n, size_t *at)
{
    gs_pages_t *p;
    int rc;
    if (h->pages_ == NULL && (rc = pages_new(h)) < 0) return rc;
    p = h->pages_;
    if (n == 0 || n > p->pages) return -ENOMEM;
    if (n < CACHE_SPAN) {
        if (p->cache == 0) cache_fill(p);
        if (cache_find(p, n, at)) return 0;
    }
    if (!find_run(p, n, at)) {
        if (p->grown == 0 && (rc = grow_first(p)) < 0) return rc;
        if (!find_run(p, n, at)) {
            if ((rc = grow(p, n)) < 0) return rc;
            if (!find_run(p, n, at)) return -ENOMEM;
        }
    }
    return 0;
}

/* Take the free run of n pages at `at` into use: *base, and in *used
 * whether any of it held an object before; the pages written that were
 * not warm fault in (go_faulted_bytes), those nobody writes are counted
 * in go_unwritten_bytes. */
static void commit_run(gs_heap_t *h, size_t at, size_t n, int array, void **base,
                       int *used)
{
    gs_pages_t *p = h->pages_;
    size_t i, fresh = 0;
    /* Go zeroes a span any of whose pages held an object before */
    int written = !h->unwritten_ || at < p->zeroed_base;
    if (n < CACHE_SPAN) cache_claim(p, at, n);
    p->took = n;
    p->took_idle = 0;
    if (!written) h->go_unwritten_bytes += (uint64_t)n * PAGE;
    for (i = at; i < at + n; i++) {
        if (written && !bit(p->warm_bits, i)) {
            bit_set(p->warm_bits, i);
            h->go_faulted_bytes += PAGE;
        }
        bit_clear(p->free_bits, i);
        if (bit(p->idle_bits, i)) {
            bit_clear(p->idle_bits, i);
            h->idle_page_bytes -= PAGE;
            p->took_idle++;
        } else {
            fresh++;                    /* fresh, or back from the scavenger */
            if (bit(p->rel_bits, i)) {
                bit_clear(p->rel_bits, i);
                h->released_page_bytes_ -= PAGE;
            }
        }
    }
    *base = p->base + at * PAGE;
    /* Go zeroes what it allocates in a span when any of its pages held an
     * object before (its arena's zeroedBase), whether or not they were
     * released since */
    *used = at < p->zeroed_base;
    if (at + n > p->zeroed_base) p->zeroed_base = at + n;
    /* pages fresh or back from the scavenger: Go's sysUsed advises the
     * span's whole huge pages */
    if (fresh != 0) (void)mem_advise_huge(*base, n * PAGE);
    if (at == p->search) p->search = at + n;
    if (h->span_log_ != NULL) h->span_log_(1, array, at, n, h->span_log_arg_);
}

int _gs_pages_take(gs_heap_t *h, size_t n, void **base, int *used)
{
    size_t at;
    int rc = reserve_run(h, n, &at);
    if (rc < 0) return rc;
    commit_run(h, at, n, 0, base, used);
    return 0;
}

/* Pages [base, base + n pages) free and idle again; array: an array's own
 * (the span log's). */
static void pages_put(gs_heap_t *h, void *base, size_t n, int array)
{
    gs_pages_t *p = h->pages_;
    size_t at = (size_t)((unsigned char *)base - p->base) / PAGE, i;
    for (i = at; i < at + n; i++) {
        bit_set(p->free_bits, i);
        bit_set(p->idle_bits, i);
    }
    h->idle_page_bytes += n * PAGE;
    if (at < p->search) p->search = at;
    if (h->span_log_ != NULL) h->span_log_(0, array, at, n, h->span_log_arg_);
}

void _gs_pages_put(gs_heap_t *h, void *base, size_t n)
{
    pages_put(h, base, n, 0);
}

void _gs_pages_drop(gs_heap_t *h, void *base, size_t n)
{
    pages_put(h, base, n, 1);
}

void _gs_pages_rewrite(gs_heap_t *h, void *base, size_t n)
{
    gs_pages_t *p = h->pages_;
    size_t at = (size_t)((unsigned char *)base - p->base) / PAGE, i;
    for (i = at; i < at + n; i++)
        if (!bit(p->warm_bits, i)) {
            bit_set(p->warm_bits, i);
            h->go_faulted_bytes += PAGE;
        }
}

int _gs_pages_alloc(gs_heap_t *h, size_t bytes, int zeroed, void **data)
{
    size_t n = _gs_go_pages(bytes), at;
    void *d;
    int used, rc = reserve_run(h, n, &at);
    if (rc < 0) return rc;
    if ((rc = mem_count_take(bytes, n * PAGE)) < 0) return rc;
    commit_run(h, at, n, 1, &d, &used);
    if (zeroed && used) memset(d, 0, bytes);
    *data = d;
    return 0;
}

size_t _gs_pages_growth(gs_heap_t *h, size_t *took, size_t *took_idle)
{
    size_t g;
    if (h->pages_ == NULL) return 0;
    g = h->pages_->grew * PAGE;
    h->pages_->grew = 0;
    if (took != NULL) *took = h->pages_->took * PAGE;
    if (took_idle != NULL) *took_idle = h->pages_->took_idle * PAGE;
    return g;
}

size_t _gs_pages_grown(const gs_heap_t *h)
{
    return h->pages_ == NULL ? 0 : h->pages_->grown;
}

size_t _gs_pages_index(const gs_heap_t *h, const void *q)
{
    return (size_t)((const unsigned char *)q - h->pages_->base) / PAGE;
}

void _gs_pages_free(gs_heap_t *h, void *data, size_t bytes)
{
    size_t n = _gs_go_pages(bytes);
    pages_put(h, data, n, 1);
    mem_count_give(bytes, n * PAGE);
}

/* Release idle pages [lo, hi] to the system. */
static void release_run(gs_pages_t *p, size_t lo, size_t hi)
{
    size_t i;
    (void)mem_release_pages(p->base + lo * PAGE, (hi + 1 - lo) * PAGE);
    for (i = lo; i <= hi; i++) {
        bit_clear(p->idle_bits, i);
        bit_set(p->rel_bits, i);
    }
}

size_t _gs_pages_release(gs_heap_t *h, size_t bytes)
{
    gs_pages_t *p = h->pages_;
    size_t done = 0, i, lo, hi, want, below, j;
    if (p == NULL) return 0;
    i = p->grown;
    while (done < bytes) {
        want = (bytes - done) / PAGE + ((bytes - done) % PAGE != 0);
        hi = prev_set(p->idle_bits, i);
        if (hi == SIZE_MAX) break;
        lo = hi;
        while (lo > 0 && hi + 1 - lo < want && bit(p->idle_bits, lo - 1)) lo--;
        /* Go's scavenger does not break a huge page
         * (findScavengeCandidate): when the pages taken cross a huge page
         * boundary and the idle run they belong to holds the whole huge
         * page below it, that whole huge page goes too (only [below, lo)
         * is looked at: at most one huge page) */
        below = lo / HUGE_PAGES * HUGE_PAGES;
        if (below + HUGE_PAGES <= hi + 1) {
            for (j = lo; j > below && bit(p->idle_bits, j - 1); j--) {}
            if (j == below) lo = below;
        }
        i = lo;
        release_run(p, lo, hi);
        done += (hi + 1 - lo) * PAGE;
    }
    h->idle_page_bytes -= done;
    h->released_page_bytes_ += done;
    return done;
}

void _gs_pages_cool(gs_heap_t *h)
{
    gs_pages_t *p = h->pages_;
    size_t i;
    if (p == NULL) return;
    for (i = 0; i < p->grown; i++)
        if (bit(p->free_bits, i)) bit_clear(p->warm_bits, i);
    /* the cache's released pages too (its idle ones stay resident) */
    p->warm_bits[p->cache_base / 64] &= ~p->cache_rel;
}

void _gs_pages_destroy(gs_heap_t *h)
{
    gs_pages_t *p = h->pages_;
    if (p == NULL) return;
    munmap(p->map, p->map_bytes);
    free(p->free_bits);
    free(p->idle_bits);
    free(p->rel_bits);
    free(p->warm_bits);
    free(p);
    h->pages_ = NULL;
    h->idle_page_bytes = 0;
    h->released_page_bytes_ = 0;
}
