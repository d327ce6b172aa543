/* sb.h -- what every slicebench benchmark binary shares.
 *
 * The suite layer sits on the three below it (bm_ shim, mem_ measurement,
 * gs_ slice model) and gives a benchmark binary what it needs beyond them:
 * memory counters on every run, run metadata, a results CSV that is never
 * overwritten and survives Ctrl-C, a memory guard, and parsing of the
 * command-line values the binaries share.
 *
 * Errors: functions that can fail return 0 or a negative errno value and
 * never exit; only a program's main() decides to print and exit.
 */
#ifndef SLICEBENCH_SB_H
#define SLICEBENCH_SB_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "mem.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ------------------------------------------------------------------------
 * Memory counters on every run
 *
 * sb_memrun_install hooks into the shim so that every invocation of every
 * benchmark function is measured, outside its timed loop:
 *   before: give freed memory back to the OS (mem_allocator_release), zero
 *           the counting allocator, reset the RSS high-water mark;
 *   after:  set the counters below on the run.
 * A figure that cannot be measured is left out (never reported as 0) and
 * the run's label says why.
 * ------------------------------------------------------------------------ */

#define SB_PEAK_RSS       "peak_rss_delta_bytes"   /* bytes, whole run       */
#define SB_RSS_END        "rss_end_delta_bytes"    /* bytes, at run's end    */
#define SB_ALLOCS         "allocs_per_iter"        /* per iteration          */
#define SB_REQUESTED      "requested_bytes_per_iter" /* per iteration        */
#define SB_RESERVED       "reserved_bytes_per_iter"  /* per iteration        */
#define SB_LIVE_END       "live_bytes_end"         /* bytes, at run's end    */
#define SB_PEAK_LIVE      "peak_live_bytes"        /* bytes, whole run       */
#define SB_FAULTS         "page_faults_per_iter"   /* minor, per iteration   */

void sb_memrun_install(void);

/* ------------------------------------------------------------------------
 * Run metadata
 *
 * An ordered list of key=value pairs describing a run: when, which code
 * (commit, dirty tree), where (host, CPU), how built, which allocator. The
 * same pairs head the results CSV and go into the JSON output's context.
 * ------------------------------------------------------------------------ */

enum { SB_META_MAX = 32, SB_META_KEY = 32, SB_META_VALUE = 512 };

typedef struct sb_meta_s {
    size_t n;                                   /* pairs in use          */
    char key[SB_META_MAX][SB_META_KEY];         /* e.g. "git_commit"     */
    char value[SB_META_MAX][SB_META_VALUE];     /* one line, no newlines */
} sb_meta_t;

/* Fill m with what describes this build and machine: schema_version,
 * date, git_commit, git_dirty, host, cpu_model, cpus, compiler,
 * build_type, allocator, allocator_version, rss_precision_bytes,
 * slicebench_version, benchmark_library_version, and command (argv joined
 * by spaces). */
int sb_meta_collect(sb_meta_t *m, int argc, char **argv);

/* Add or replace one pair; the value is cut to one line. -ENOSPC when
 * full, -EINVAL for an empty or over-long key. */
int sb_meta_set(sb_meta_t *m, const char *key, const char *value);

/* The value of key, or NULL. */
const char *sb_meta_get(const sb_meta_t *m, const char *key);

/* Pass every pair to the JSON output's context block. */
int sb_meta_to_context(const sb_meta_t *m);

/* A run id: "<UTC yyyymmddThhmmssZ>_<commit 7>[-dirty]", from m. */
int sb_run_id(const sb_meta_t *m, char *buf, size_t n);

/* ------------------------------------------------------------------------
 * Results CSV
 *
 * sb_csv_create makes dir/<stem>.csv with O_EXCL, so it never overwrites
 * or truncates an existing file: when the name is taken it tries
 * <stem>.2.csv, <stem>.3.csv, ... Two runs started at the same moment
 * therefore never share a file. The metadata ("# key=value" lines) and the
 * header row go out in one write; each row after that is one write(2),
 * so a run killed between rows leaves exactly the rows it finished. A row
 * that cannot be written whole (disk full) is cut back off the file, which
 * stays valid, and the error is returned.
 * ------------------------------------------------------------------------ */

typedef struct sb_csv_s {
    int fd;                 /* -1 when closed                     */
    size_t ncols;           /* cells per row                      */
    off_t size;             /* bytes written and kept, so far     */
    char path[4096];        /* the file actually created          */
} sb_csv_t;

int sb_csv_create(sb_csv_t *c, const char *dir, const char *stem,
                  const sb_meta_t *meta, size_t ncols,
                  const char *const cols[]);

/* Write one row of c->ncols cells (quoted as CSV needs; NULL is empty). */
int sb_csv_row(sb_csv_t *c, const char *const cells[]);

/* Close; -errno when the data did not reach the disk. */
int sb_csv_close(sb_csv_t *c);

/* ------------------------------------------------------------------------
 * Memory guard
 *
 * Before a case runs: does its expected peak fit the budget, and what the
 * kernel says is available (MemAvailable, less a reserve of 1/8 of it so
 * the rest of the machine keeps breathing)? 0 when it fits; -ENOMEM with
 * the reason, one line, in `reason` when it does not.
 * ------------------------------------------------------------------------ */

int sb_guard(uint64_t expected_peak, uint64_t budget, char *reason, size_t n);

/* ------------------------------------------------------------------------
 * Parsing command-line values
 * ------------------------------------------------------------------------ */

/* A byte count: digits with an optional binary suffix B, K/KiB, M/MiB,
 * G/GiB (1K = 1024). -EINVAL for anything else, -EOVERFLOW past 2^63. */
int sb_parse_bytes(const char *text, uint64_t *out);

/* A positive decimal integer. */
int sb_parse_count(const char *text, uint64_t *out);

/* Format bytes for people: "64 B", "4 KiB", "1.5 MiB". */
void sb_format_bytes(uint64_t bytes, char *buf, size_t n);

/* Build information baked in at build time (sb_buildinfo.c, generated). */
extern const char sb_build_commit[];
extern const char sb_build_dirty[];

#ifdef __cplusplus
}
#endif

#endif /* SLICEBENCH_SB_H */
