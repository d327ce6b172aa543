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
 * Standard streams
 *
 * A program started with fd 0, 1 or 2 closed (`>&-`) would hand that number
 * to the next file it opens -- the results CSV -- and then write its
 * console report into it. Call sb_stdio_reopen first thing in main(): it
 * opens /dev/null on each of them that is closed, so no file ever takes
 * their numbers and output to a closed stream goes nowhere.
 * Returns a mask of the fds that were closed (1 = stdin, 2 = stdout,
 * 4 = stderr), or -errno when /dev/null cannot be opened (then nothing can
 * be said: exit 2).
 * ------------------------------------------------------------------------ */

int sb_stdio_reopen(void);

/* ------------------------------------------------------------------------
 * Text for files and messages
 *
 * Command lines, host names and folder names may hold any bytes; the
 * results CSV and the JSON context must stay readable. sb_text_clean copies
 * in to out (n bytes, always terminated) as valid UTF-8 on one line: a tab,
 * CR or LF becomes a space; any other control character and every byte
 * that is not part of a valid UTF-8 sequence becomes the four characters
 * \xHH. When out is too small the copy is cut at a character boundary.
 * Returns how many bytes were replaced (0: the text was clean).
 * ------------------------------------------------------------------------ */

size_t sb_text_clean(const char *in, char *out, size_t n);

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

enum { SB_META_MAX = 48, SB_META_KEY = 32, SB_META_VALUE = 512 };

typedef struct sb_meta_s {
    size_t n;                                   /* pairs in use          */
    char key[SB_META_MAX][SB_META_KEY];         /* e.g. "git_commit"     */
    char value[SB_META_MAX][SB_META_VALUE];     /* one line, no newlines */
} sb_meta_t;

/* Fill m with what describes this build and machine: schema_version,
 * date, git_commit, git_dirty, host, cpu_model, cpus, compiler,
 * build_type, allocator, allocator_version, rss_precision_bytes,
 * slicebench_version, benchmark_library_version, command (argv joined
 * by spaces), and the machine check (sb_meta_machine). */
int sb_meta_collect(sb_meta_t *m, int argc, char **argv);

/* The machine check: what may disturb the numbers, read under root (""
 * for this machine; a test's fake tree otherwise). Adds
 *   aslr                  /proc/sys/kernel/randomize_va_space (0 = off)
 *   cpufreq_governor      scaling_governor of every CPU ("performance";
 *                         several values joined by '/'; "none" when the
 *                         machine has no cpufreq, as in most VMs)
 *   cpu_boost             on/off: cpufreq/boost, or intel_pstate/no_turbo
 *   thp_enabled           transparent huge pages, the [selected] mode
 *   loadavg_1m            from /proc/loadavg
 *   benchmark_library_build_type   release/debug (bm_library_build_type)
 *   machine_warnings      one line naming what may disturb the numbers:
 *                         ASLR on, a governor other than performance,
 *                         boost on, THP always, a load average of 1 or
 *                         more, slicebench or the library not a release
 *                         build; empty when nothing
 * A file that cannot be read gives "unknown", never an error; uses
 * build_type already in m. -ENOSPC when m is full. main() prints
 * machine_warnings once, on stderr, when it is not empty. */
int sb_meta_machine(sb_meta_t *m, const char *root);

/* Add or replace one pair; the value is made one line of valid UTF-8
 * (sb_text_clean). -ENOSPC when full, -EINVAL for an empty or over-long
 * key. */
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
 * sb_csv_create checks the folder (a file can be made in it: a probe file,
 * made and removed) and prepares the metadata ("# key=value" lines) and
 * the header row; it creates no file. The first row creates
 * dir/<stem>.csv with O_EXCL, so a run never overwrites or truncates an
 * existing file: when the name is taken it tries <stem>.2.csv,
 * <stem>.3.csv, ... Two runs started at the same moment therefore never
 * share a file. The metadata, the header and that first row go out in one
 * write(2), with SIGINT, SIGTERM, SIGHUP, SIGQUIT and SIGPIPE held off
 * from the file's creation to that write: a run stopped by a signal
 * before its first row leaves no file, nor one without rows (SIGKILL or a
 * crash of the machine between the two calls can still leave an empty
 * one). Each row after
 * that is one write(2), so a run killed between rows leaves exactly the
 * rows it finished. A row that cannot be written whole (disk full, or a
 * file size limit: EFBIG, not SIGXFSZ) is cut back off the file, which
 * stays valid (the first row's file is removed), and the error is
 * returned.
 * ------------------------------------------------------------------------ */

typedef struct sb_csv_s {
    int fd;                 /* -1 until the first row, and when closed */
    size_t ncols;           /* cells per row                      */
    off_t size;             /* bytes written and kept, so far     */
    char *head;             /* metadata and header, until the first row */
    size_t head_len;
    char base[4096];        /* dir/stem, the name before its suffix */
    char path[4096];        /* the file the first row created; "" before */
} sb_csv_t;

/* 0 when dir/<stem>.NNN.csv -- the longest name sb_csv_create tries,
 * for a stem of stem_len bytes -- and a margin of SB_PATH_MARGIN bytes for
 * the other files a run makes beside it fit in PATH_MAX; -ENAMETOOLONG
 * otherwise. Ask before the run, so it does not fail at its end. */
enum { SB_PATH_MARGIN = 32 };
int sb_csv_path_fits(const char *dir, size_t stem_len);

/* The default results folder, in buf: <checkout>/results when this program
 * is <checkout>/<build folder>/<folder>/<program> of a slicebench checkout
 * (found from /proc/self/exe; the checkout holds CMakeLists.txt and a
 * results folder), else "results" in the current folder. Nothing is
 * compiled in, so a copied or moved checkout writes into its own
 * results. -ENAMETOOLONG when buf is too small. */
int sb_default_results_dir(char *buf, size_t n);

/* 0 when a file can be made in dir now (a probe file, made and removed
 * at once), else -errno. */
int sb_csv_dir_writable(const char *dir);

int sb_csv_create(sb_csv_t *c, const char *dir, const char *stem,
                  const sb_meta_t *meta, size_t ncols,
                  const char *const cols[]);

/* Write one row of c->ncols cells (quoted as CSV needs; NULL is empty).
 * A cell never holds a line break or '#' (readers drop everything after a
 * '#' as a comment): CR, LF and tab become a space, '#' becomes "%23",
 * other control characters and bytes that are not valid UTF-8 become
 * \xHH (sb_text_clean). */
int sb_csv_row(sb_csv_t *c, const char *const cells[]);

/* Close; -errno when the data did not reach the disk. Without a row
 * written, nothing was created: path stays "". */
int sb_csv_close(sb_csv_t *c);

/* ------------------------------------------------------------------------
 * Memory guard
 *
 * Before a case runs: do its expected peak and the memory the run still
 * has to allocate to prepare (e.g. the kept handles array for M items) fit
 * the budget, the memory this process may still use
 * (sb_memory_headroom), and what its own RLIMIT_AS and RLIMIT_DATA leave
 * (less its VmSize and VmData)? 0 when they fit; -ENOMEM with the reason, one
 * line, in `reason` when not -- the reason names the limit that decided.
 * Prepared memory already allocated when the guard is asked is part of
 * the usage the kernel reports: pass only what is still to come.
 * ------------------------------------------------------------------------ */

int sb_guard_prepared(uint64_t expected_peak, uint64_t prepare_bytes,
                      uint64_t budget, char *reason, size_t n);

/* sb_guard_prepared with nothing left to prepare. */
int sb_guard(uint64_t expected_peak, uint64_t budget, char *reason, size_t n);

/* The memory this process may still use: the least of
 *   MemAvailable (/proc/meminfo) less a reserve of 1/8 of it, so the rest
 *     of the machine keeps breathing;
 *   for the process's cgroup (/proc/self/cgroup) and each one above it,
 *   v2: memory.max - usage, v1: memory.limit_in_bytes - usage, where usage
 *     is memory.current (v1 memory.usage_in_bytes) less the inactive file
 *     cache (memory.stat), which the kernel reclaims before it OOM-kills.
 * Every path is read under root ("" for this machine, a test's fake tree
 * otherwise; v2 cgroups under <root>/sys/fs/cgroup or, beside v1, under
 * <root>/sys/fs/cgroup/unified; v1 under <root>/sys/fs/cgroup/memory).
 * A level without a limit ("max", or v1's huge number) never decides;
 * neither does a level whose files cannot be read. which (n bytes) names the
 * limit that decided: "MemAvailable", "cgroup v2 memory.max of /a/b",
 * "cgroup v1 memory.limit_in_bytes of /a". -ENOENT when not even
 * MemAvailable can be read. */
int sb_memory_headroom(const char *root, uint64_t *bytes, char *which, size_t n);

/* ------------------------------------------------------------------------
 * Parsing command-line values
 * ------------------------------------------------------------------------ */

/* A byte count: digits with an optional binary suffix B, K/KiB, M/MiB,
 * G/GiB (1K = 1024). -EINVAL for anything else, -EOVERFLOW past 2^63. */
int sb_parse_bytes(const char *text, uint64_t *out);

/* A positive decimal integer. */
int sb_parse_count(const char *text, uint64_t *out);

/* A run id names files and rows: 1 to SB_RUN_ID_MAX characters, each a
 * letter, a digit, '.', '_' or '-'. 0 or -EINVAL. */
enum { SB_RUN_ID_MAX = 100 };
int sb_check_run_id(const char *id);

/* Format bytes for people: "64 B", "4 KiB", "1.5 MiB". */
void sb_format_bytes(uint64_t bytes, char *buf, size_t n);

/* Build information baked in at build time (sb_buildinfo.c, generated). */
extern const char sb_build_commit[];
extern const char sb_build_dirty[];

#ifdef __cplusplus
}
#endif

#endif /* SLICEBENCH_SB_H */
