/* retention.h -- the retention benchmark binary's parts: its options
 * (retention_flags.c), the measurement of one case (retention_measure.c),
 * running each measurement in a child process of its own
 * (retention_child.c), its results rows (retention_rows.c) and the program
 * (retention.c).
 */
#ifndef SLICEBENCH_RETENTION_H
#define SLICEBENCH_RETENTION_H

#include <stddef.h>
#include <stdint.h>

#include "bm.h"
#include "gs.h"
#include "keep.h"
#include "retention_columns.h"
#include "sb.h"

enum {
    RET_MAX_LIST = 32,              /* values in one list flag            */
    RET_ITEMS_LIMIT = 1 << 24       /* the most M a batch may have        */
};

/* A rule choosing k for a given N: a fixed size, or N divided by d. */
typedef struct ret_kept_rule_s {
    uint64_t bytes;          /* fixed k in bytes, or 0 for a fraction      */
    uint64_t divisor;        /* k = N / divisor when bytes == 0            */
    char text[24];           /* as written: "16", "N/8"                    */
} ret_kept_rule_t;

typedef struct ret_options_s {
    uint64_t sizes[RET_MAX_LIST];          size_t n_sizes;     /* N values   */
    ret_kept_rule_t kept[RET_MAX_LIST];    size_t n_kept;      /* k rules    */
    uint64_t elems[RET_MAX_LIST];          size_t n_elems;     /* elem sizes */
    gs_policy_t growth[GS_POLICY_COUNT];   size_t n_growth;    /* policies   */
    gs_gc_t gc[2];                         size_t n_gc;        /* GC modes   */
    uint64_t gogc[RET_MAX_LIST];           size_t n_gogc;      /* GOGC values */
    keep_strategy_t strategies[KEEP_STRATEGY_COUNT]; size_t n_strategies;
    uint64_t budget;         /* bytes the worst strategy of a case may use */
    uint64_t items;          /* M for every case, or 0: from the budget    */
    uint64_t max_items;      /* the most M the budget may choose           */
    int quick;               /* the small smoke-test sweep                 */
    double min_time;         /* seconds per run to force, or 0: the flag's */
    const char *csv_dir;     /* where the results CSV goes                 */
    char csv_dir_default[4096];  /* sb_default_results_dir, found at run time */
    int no_csv;              /* write no results CSV                       */
    const char *run_id;      /* file name stem, or NULL: date and commit   */
    mem_tuning_t tuning;     /* pinned (default) or the allocator's own    */
    int isolation;           /* RET_ISOLATE_PROCESS (default) or _NONE     */
    uint64_t seed;           /* order of the measurements; see seed_given  */
    int seed_given;          /* 1: --seed; 0: drawn at start, recorded     */
    int schema;              /* --schema: print the schema and exit        */
    const char *child;       /* --child=NAME: measure that case, print it  */
    double child_min_time;   /* --child-min-time: seconds of timed batches */
    double child_warmup;     /* --child-warmup: seconds of untimed batches */
    uint64_t child_seed;     /* --child-seed: the measurement's draws      */
    int go_marks;            /* --go-marks: each measurement's mark starts
                                on stderr (ret_measure)                   */
    int go_spans;            /* --go-spans: each measurement's spans and
                                marks, in order, on stderr (ret_measure)  */
    double go_clock_scale;   /* --go-clock-scale: Go's clock, x the fit's  */
    int go_clock_given;      /* 1: --go-clock-scale was given              */
} ret_options_t;

enum { RET_ISOLATE_PROCESS = 0, RET_ISOLATE_NONE = 1 };

/* Parse the program's own flags (Google Benchmark's are gone by then).
 * A flag is one row of flag_table in retention_flags.c; "--flag=value"
 * and "--flag value" both work. Every list refuses a value given twice;
 * --run-id is checked (sb_check_run_id) and --csv-dir must leave room for
 * the file names (sb_csv_path_fits). Returns 0, 1 when --help or
 * --version was answered (exit 0), or -EINVAL with a one-line message of
 * valid UTF-8 in err. */
int ret_parse_flags(int argc, char **argv, ret_options_t *o, char *err,
                    size_t errsz);

/* The usage text. */
void ret_usage(const char *prog);

/* ------------------------------------------------------------------------
 * Cases and their measurement
 * ------------------------------------------------------------------------ */

/* One case: a strategy on one (N, k, M, elem, growth). M depends on the
 * case alone (keep_items_for), never on what else was selected. */
typedef struct ret_case_s {
    keep_strategy_t strategy;
    keep_case_t c;            /* N, k, M, elem                             */
    gs_policy_t growth;
    gs_gc_t gc;               /* how dead arrays are freed (--gc)          */
    unsigned gogc;            /* GOGC percent in GS_GC_GO mode, else 0     */
    char rule[24];            /* the --kept rule that gave k: "16", "N/8"  */
    char family[48];          /* registered name: strategy[/growth:policy] */
    char name[192];           /* full run name, as every output shows it   */
} ret_case_t;

/* What one measurement of a case found (retention_measure.c). */
typedef struct ret_result_s {
    int ok;                   /* 1 measured; 0 skipped or failed: message  */
    int failed;               /* 1: an error, not a stated skip            */
    char message[256];        /* why not ok, or a note (one line)          */
    int64_t batches;          /* timed batches of M items                  */
    double real_ns;           /* wall time per item over those, ns         */
    double cpu_ns;            /* CPU time per item, ns                     */
    int has_peak;             /* 0: peak_rss_delta is missing (message)    */
    double peak_rss_delta;    /* peak RSS of the first batch over the RSS
                                 before it, bytes                          */
    double held_bytes;        /* what Go's heap holds for the arrays kept  */
    double held_cap;          /* their cap x elem, bytes                   */
    double held_reserved;     /* what malloc reserved for them, bytes      */
    double allocs_per_item;   /* allocations per item, timed batches       */
    double faults_per_item;   /* minor page faults per item, timed batches
                                 (GC mode: every batch, see ret_measure)   */
} ret_result_t;

/* Measure case rc in this process (with Go's GC, after a batch and the
 * heap's memory given back): one untimed first batch from a heap
 * that has given its free memory back (peak RSS, held bytes), `warmup`
 * more seconds of untimed batches, then timed batches until min_time
 * seconds have passed (at least one): time, allocations and page faults
 * per item in the steady state (with Go's GC, the page faults and the peak
 * over every batch, per item of all). With Go's GC, seed draws where its
 * marks end (gs_heap_set_mark_draws; 0: at a fixed point). A case that does
 * not fit the budget or the memory available is skipped with the reason;
 * -errno only when the measurement itself could not be made. */
int ret_measure(const ret_case_t *rc, const ret_options_t *o, double min_time,
                double warmup, uint64_t seed, ret_result_t *out);

/* The result as one line of text, and back (the child's answer). */
int ret_result_format(const ret_result_t *r, char *buf, size_t n);
int ret_result_parse(const char *line, ret_result_t *out);

/* Measure case rc in a fresh process: this program run again with its own
 * flags (argv as given, saved before Google Benchmark took its flags out)
 * and --child=NAME (and seed, --child-seed); the child's answer, or a
 * failed result saying how the child ended. */
int ret_measure_in_child(const ret_case_t *rc, int argc, char *const argv[],
                         double min_time, double warmup, uint64_t seed,
                         ret_result_t *out);

/* ------------------------------------------------------------------------
 * Results rows
 * ------------------------------------------------------------------------ */

/* The results CSV of a run: a row per measurement, written as each one
 * finishes, the file created at the first (sb_csv). */
typedef struct ret_rows_s {
    const char *dir;          /* folder of the CSV                         */
    const sb_meta_t *meta;    /* the run's metadata                        */
    sb_csv_t csv;             /* prepared before the run; path "" until the
                                 first row                                 */
    size_t rows;              /* rows written                              */
} ret_rows_t;

/* The schema's column names, in file order. */
extern const char *const ret_columns[RET_NCOLS];

/* Write the row of repetition `rep` of case rc; 0 or -errno (the file then
 * keeps every row before). */
int ret_rows_write(ret_rows_t *rows, const ret_case_t *rc, int64_t rep,
                   const ret_result_t *r);

#endif /* SLICEBENCH_RETENTION_H */
