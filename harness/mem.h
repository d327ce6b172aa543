/* mem.h -- what a benchmark run costs in memory.
 *
 * Three questions, three sections:
 *   - how much did this code ask the allocator for, and how much is still live?
 *     (counting allocator: every byte the suite's own code allocates goes
 *     through mem_alloc/mem_free, so the counts are exact, not sampled);
 *   - how much resident memory did the process touch during one run?
 *     (peak RSS from the kernel's high-water mark, reset per run);
 *   - which allocator is underneath, and how is it tuned?
 *     (one implementation file per allocator, one allocator per process).
 *
 * Errors: every function that can fail returns 0 on success or a negative
 * errno value (-ENOMEM, -EOVERFLOW, -EINVAL, ...) and never aborts; results
 * come back through out parameters. This is the convention of every layer of
 * the harness (bm_, gs_, mem_, sb_).
 *
 * Threads: the counters are plain globals. The suite's benchmarks are single
 * threaded; calling mem_alloc from two threads at once is not supported.
 */
#ifndef SLICEBENCH_MEM_H
#define SLICEBENCH_MEM_H

#include <errno.h>
#include <malloc.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ------------------------------------------------------------------------
 * Counting allocator
 *
 * A thin layer over the process's malloc. It counts what it is asked for
 * (requested bytes) and what the allocator really set aside (reserved bytes,
 * from malloc_usable_size or the allocator's own equivalent). The caller
 * passes the requested size back to mem_free, as with sized delete, so
 * both figures can be kept live without a header in front of each block.
 * ------------------------------------------------------------------------ */

typedef struct mem_counts_s {
    uint64_t allocs;          /* calls that returned a block, since reset   */
    uint64_t frees;           /* blocks given back, since reset             */
    uint64_t bytes_requested; /* sum of requested sizes, since reset        */
    uint64_t bytes_reserved;  /* sum of usable sizes, since reset           */
    int64_t  live_bytes;      /* reserved bytes now allocated; may go below
                                 zero when a run frees blocks made before it */
    int64_t  peak_live_bytes; /* highest live_bytes since reset             */
    int64_t  live_requested;  /* requested bytes now allocated (same rule)  */
} mem_counts_t;

/* Allocate n bytes (n > 0), uninitialised. *out is set only on success.
 * -EINVAL for n == 0, -ENOMEM when the allocator fails. */
int mem_alloc(size_t n, void **out);

/* Allocate n bytes (n > 0) of zeros, as calloc does: blocks fresh from the
 * kernel are not written, so they stay out of RSS until touched. */
int mem_alloc_zeroed(size_t n, void **out);

/* Free a block from mem_alloc/mem_alloc_zeroed; n is the size it was asked
 * for. NULL is ignored. */
void mem_free(void *p, size_t n);

/* mem_alloc (zeroed == 0) or mem_alloc_zeroed (zeroed != 0) that also
 * gives the block's reserved size, as mem_usable_size would, in *usable:
 * for callers that keep it (the Go slice model's per-array figure), one
 * look-up in the allocator instead of two. Hand it back to
 * mem_free_usable, which then needs none. Same errors as mem_alloc.
 * Inline (below). */
static inline int mem_alloc_usable(size_t n, int zeroed, void **out,
                                   size_t *usable);

/* mem_free for a block from mem_alloc_usable whose reserved size the caller
 * kept: n as asked for, usable as mem_alloc_usable reported it. Inline
 * (below). */
static inline void mem_free_usable(void *p, size_t n, size_t usable);

/* Count a block the caller carved out of memory of its own (the Go slice
 * model's page heap, gs_gopages.c) as if mem_alloc_usable had returned it:
 * n bytes asked for, usable set aside. Obeys the failure switch as an
 * allocation does: -ENOMEM (nothing counted) when it fires; -EINVAL for
 * n == 0. Give it back with mem_count_give(n, usable). */
int mem_count_take(size_t n, size_t usable);

/* Uncount a block counted with mem_count_take, as mem_free_usable would. */
void mem_count_give(size_t n, size_t usable);

/* Bytes the allocator reserved for a live block (>= its requested size). */
size_t mem_usable_size(const void *p);

/* Copy the counters out. */
void mem_counts_get(mem_counts_t *out);

/* Zero every counter and start the live and peak figures at zero: a run
 * calls this at its start, so its figures cover only itself. */
void mem_counts_reset(void);

/* Failure injection, for tests of what callers do when memory runs out:
 * the allocation after `successes` more successful ones returns -ENOMEM
 * (0: the very next one); one failure, then the switch is off again.
 * Costs one predictable branch per allocation while off. */
void mem_fail_arm(unsigned long successes);
void mem_fail_disarm(void);
int mem_fail_armed(void);           /* 1 while a failure is pending */

/* ------------------------------------------------------------------------
 * The counting allocator's hot path, inline
 *
 * The Go slice model allocates and frees every array through
 * mem_alloc_usable and mem_free_usable, so these two are defined here, in
 * the caller, over mem_count.c's counters and failure switch. The names
 * ending in an underscore are private to them: read the counters with
 * mem_counts_get, work the switch with mem_fail_arm.
 * ------------------------------------------------------------------------ */

extern mem_counts_t mem_counts_;      /* the counters (mem_count.c)        */
extern int mem_fail_armed_;           /* 1 while a failure is pending      */

/* The armed switch's decision for this allocation: 1 when it fails. */
int mem_fail_now_(void);

/* Count one allocation of n bytes (u reserved), and its free: the one
 * place the counters change (mem_count_take and mem_count_give too). */
static inline void mem_count_add_(size_t n, size_t u)
{
    mem_counts_.allocs++;
    mem_counts_.bytes_requested += n;
    mem_counts_.bytes_reserved += u;
    mem_counts_.live_requested += (int64_t)n;
    mem_counts_.live_bytes += (int64_t)u;
    if (mem_counts_.live_bytes > mem_counts_.peak_live_bytes)
        mem_counts_.peak_live_bytes = mem_counts_.live_bytes;
}

static inline void mem_count_sub_(size_t n, size_t u)
{
    mem_counts_.frees++;
    mem_counts_.live_requested -= (int64_t)n;
    mem_counts_.live_bytes -= (int64_t)u;
}

static inline int mem_alloc_usable(size_t n, int zeroed, void **out,
                                   size_t *usable)
{
    void *p;
    size_t u;
    if (n == 0) return -EINVAL;
    if (mem_fail_armed_ && mem_fail_now_()) return -ENOMEM;
    p = zeroed ? calloc(1, n) : malloc(n);
    if (p == NULL) return -ENOMEM;
    u = malloc_usable_size(p);
    mem_count_add_(n, u);
    *usable = u;
    *out = p;
    return 0;
}

static inline void mem_free_usable(void *p, size_t n, size_t usable)
{
    if (p == NULL) return;
    mem_count_sub_(n, usable);
    free(p);
}

/* ------------------------------------------------------------------------
 * Process memory: peak RSS and page faults over one run
 *
 * mem_peak_begin resets the kernel's RSS high-water mark (VmHWM) to the
 * current RSS by writing "5" to /proc/self/clear_refs (Linux >= 4.0), then
 * records the RSS and the minor fault count. mem_peak_end reads VmHWM again:
 * the run's peak is VmHWM - RSS at begin. Where the mark cannot be reset
 * (no permission, another kernel) there is no per-run peak at all: begin
 * returns the error, says why in `reason`, and end reports the peak as
 * missing. The process-lifetime peak is never passed off as a run's.
 * ------------------------------------------------------------------------ */

typedef struct mem_peak_s {
    int      ok;              /* 1 when the high-water mark was reset      */
    int64_t  rss_begin;       /* VmRSS at begin, bytes                     */
    uint64_t minflt_begin;    /* minor faults at begin (getrusage)         */
    uint64_t majflt_begin;    /* major faults at begin                     */
    char     reason[160];     /* why ok == 0, one line                     */
} mem_peak_t;

typedef struct mem_peak_result_s {
    int      has_peak;        /* 0: peak_delta is missing, see reason      */
    int64_t  peak_delta;      /* VmHWM at end - VmRSS at begin, bytes      */
    int64_t  rss_end_delta;   /* VmRSS at end - VmRSS at begin, bytes      */
    uint64_t minor_faults;    /* minor page faults during the run          */
    uint64_t major_faults;    /* major page faults during the run          */
} mem_peak_result_t;

/* Start a measurement. Returns 0, or -errno when the peak cannot be reset
 * (pk->reason says why; faults are still counted). */
int mem_peak_begin(mem_peak_t *pk);

/* mem_peak_begin with the clear_refs file named: for a /proc mounted
 * elsewhere, and for tests of the missing-peak path. */
int mem_peak_begin_at(mem_peak_t *pk, const char *clear_refs);

/* Finish a measurement started by mem_peak_begin. */
int mem_peak_end(const mem_peak_t *pk, mem_peak_result_t *out);

/* How far a run's peak delta may read below the true one, in bytes. The
 * kernel keeps RSS in per-CPU counters, folded into the total in batches
 * of max(32, 2 x CPUs) pages, and reads VmRSS and sets VmHWM from that
 * total, which can be off by up to one batch per CPU either way. The
 * delta is VmHWM at the end less VmRSS at the start, two such reads, so
 * it is exact to within two batches per CPU (512 KiB on 2 CPUs; one CI
 * run read 64 MiB touched as 276 KiB less, over one batch per CPU). */
uint64_t mem_rss_precision(void);

/* Current VmRSS and VmHWM of this process, in bytes. */
int mem_rss_now(int64_t *rss, int64_t *hwm);

/* The minor page faults this process has taken so far (getrusage); 0 when
 * they cannot be read. */
uint64_t mem_minor_faults(void);

/* MemAvailable from /proc/meminfo, in bytes: the kernel's estimate of what
 * can be allocated without swapping. */
int mem_available(uint64_t *bytes);

/* Ask for transparent huge pages on the whole huge pages (2 MiB on amd64,
 * the kernel's hpage_pmd_size) inside [p, p + n): madvise(MADV_HUGEPAGE),
 * as Go's runtime does on heap memory it takes into use (sysUsed). Pages
 * already faulted in stay as they are; with THP "madvise" or "always" the
 * first touch of such a huge page then faults in 2 MiB at once, with
 * "never" nothing changes. 0 (also when no whole huge page is inside),
 * -EOPNOTSUPP without THP, -EINVAL for NULL or a range that wraps, or
 * madvise's -errno. */
int mem_advise_huge(void *p, size_t n);

/* Give the pages of [p, p + n) back to the system, as Go 1.19's scavenger
 * does with heap memory (sysUnused on Linux): first
 * madvise(MADV_NOHUGEPAGE) on the huge pages that hold the range's ends
 * when those are not on a huge page boundary (so the kernel does not
 * rebuild a huge page around the pages still in use), then
 * madvise(MADV_DONTNEED) on the range: its pages leave RSS and read as
 * zeros when next touched (a fault each). p and n must be multiples of the
 * system's page size. 0, -EINVAL for NULL, a misaligned or wrapping range,
 * or madvise's -errno. */
int mem_release_pages(void *p, size_t n);

/* ------------------------------------------------------------------------
 * The allocator underneath
 *
 * Exactly one implementation is linked into each executable: mem_glibc.c,
 * mem_mimalloc.c or mem_jemalloc.c. mimalloc and jemalloc replace malloc for
 * the whole process when linked, so each allocator runs in its own process
 * and one allocator's cached memory never shows in another's figures.
 * ------------------------------------------------------------------------ */

typedef enum mem_tuning_e {
    MEM_TUNING_PINNED = 0,    /* settings fixed for repeatable RSS (default) */
    MEM_TUNING_DEFAULT = 1    /* the allocator's own defaults, untouched     */
} mem_tuning_t;

/* "glibc", "mimalloc" or "jemalloc". */
const char *mem_allocator_name(void);

/* The allocator's version as it reports it at run time, e.g. "2.36". */
const char *mem_allocator_version(void);

/* Apply the tuning before any benchmark allocates, and describe the
 * settings in force as "key=value;key=value" into buf (for the results'
 * metadata). Call once, early in main. */
int mem_allocator_configure(mem_tuning_t tuning, char *buf, size_t bufsz);

/* Give freed memory back to the operating system now, so that a run starts
 * from a clean slate: malloc_trim, mi_collect, or an arena purge. */
void mem_allocator_release(void);

/* 1 when the process's malloc really is this allocator's (the dynamic
 * linker resolved it into the allocator's library), else 0; lets a test
 * prove that the replacement took over. */
int mem_allocator_active(void);

#ifdef __cplusplus
}
#endif

#endif /* SLICEBENCH_MEM_H */
