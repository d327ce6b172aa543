/* retention.h -- the retention benchmark binary's parts: its options
 * (retention_flags.c), its results rows (retention_rows.c) and the
 * program (retention.c).
 */
#ifndef SLICEBENCH_RETENTION_H
#define SLICEBENCH_RETENTION_H

#include <stddef.h>
#include <stdint.h>

#include "bm.h"
#include "gs.h"
#include "keep.h"
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
} ret_options_t;

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

/* Results rows: a shim sink that turns every reported run into one CSV
 * row. It opens the file at the first row. */
typedef struct ret_rows_s {
    const char *dir;          /* folder of the CSV                         */
    char stem[256];           /* file name without .csv                    */
    const sb_meta_t *meta;    /* its "# key=value" lines                   */
    const ret_options_t *opt;
    sb_csv_t csv;             /* fd < 0 until the first row                */
    size_t rows;              /* rows written                              */
    int error;                /* first write error (-errno), 0 if none     */
} ret_rows_t;

/* The kept rule that produced k for N (registered with ret_rows_note_rule). */
void ret_rows_note_rule(uint64_t n, uint64_t k, const char *rule);

void ret_rows_sink(const bm_run_t *run, void *ud);

#endif /* SLICEBENCH_RETENTION_H */
