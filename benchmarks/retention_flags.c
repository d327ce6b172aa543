/* retention_flags.c -- the retention binary's own command-line flags. */
#include "retention.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifndef SB_RESULTS_DIR
#define SB_RESULTS_DIR "results"
#endif

void ret_usage(const char *prog)
{
    printf(
"usage: %s [flags] [--benchmark_* flags]\n"
"\n"
"Receives M buffers of N bytes, keeps k bytes of each by every strategy\n"
"(receive-only, retain, copy, append, exactcap, append-nil, append-each),\n"
"and reports time per item and memory held, as Google Benchmark output and\n"
"as a results CSV (schema: results/README.md).\n"
"\n"
"  --sizes=LIST        N values, bytes (suffixes K/KiB, M/MiB, G/GiB)\n"
"                      default 64,512,4KiB,32KiB,128KiB,1MiB,4MiB,16MiB\n"
"  --kept=LIST         k rules: a size (16) or a fraction of N (N/8)\n"
"                      default 16,N/8,N/2\n"
"  --elem=LIST         element sizes in bytes, default 1,8\n"
"  --growth=LIST       growth policies go, double, x1.5; default go\n"
"  --strategies=LIST   strategies to run, default all\n"
"  --budget=BYTES      memory the worst strategy of a case may use;\n"
"                      chooses M (default 512MiB)\n"
"  --items=M           the same M for every case instead\n"
"  --max-items=M       the largest M the budget may choose (default 16384)\n"
"  --quick             a small sweep that takes seconds (smoke tests): N 64,\n"
"                      4KiB, 64KiB, 1MiB, k 16 and N/2, elem 1, budget 64MiB,\n"
"                      at most 1024 items, 0.005 s per run unless\n"
"                      --benchmark_min_time says otherwise\n"
"  --csv-dir=DIR       folder for the results CSV (default %s)\n"
"  --no-csv            write no results CSV\n"
"  --run-id=ID         results file name stem (default: UTC time and commit)\n"
"  --allocator-defaults  leave the allocator's own tuning (default: pinned)\n"
"  --isolation=MODE    process (default): every repetition of every case is\n"
"                      measured in a fresh process, in an order shuffled\n"
"                      across cases; none: all in this process, in order\n"
"                      (figures then depend on what ran before: debugging)\n"
"  --seed=N            seed of the shuffled order (default: drawn, recorded\n"
"                      as order_seed in the results' metadata)\n"
"  --schema            print the results schema and the strategies (JSON)\n"
"  --help, --version\n"
"\n"
"Every --benchmark_* flag of Google Benchmark works as usual, e.g.\n"
"--benchmark_filter=retain --benchmark_repetitions=5.\n",
        prog, SB_RESULTS_DIR);
}

static int fail(char *err, size_t n, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err, n, fmt, ap);
    va_end(ap);
    return -EINVAL;
}

/* Split a comma list into at most max items, each handed to fn. */
typedef int item_fn(const char *item, void *out, size_t i, char *err, size_t n);

static int each_item(const char *flag, const char *list, item_fn *fn, void *out,
                     size_t max, size_t *count, char *err, size_t n)
{
    char buf[1024];
    char *save = NULL, *item;
    size_t i = 0;
    if (snprintf(buf, sizeof buf, "%s", list) >= (int)sizeof buf)
        return fail(err, n, "%s: list too long", flag);
    for (item = strtok_r(buf, ",", &save); item; item = strtok_r(NULL, ",", &save)) {
        int rc;
        if (i == max)
            return fail(err, n, "%s: more than %zu values", flag, max);
        rc = fn(item, out, i, err, n);
        if (rc) return rc;
        i++;
    }
    if (i == 0) return fail(err, n, "%s: empty list", flag);
    *count = i;
    return 0;
}

static int size_item(const char *item, void *out, size_t i, char *err, size_t n)
{
    uint64_t v;
    int rc = sb_parse_bytes(item, &v);
    if (rc == -EOVERFLOW) return fail(err, n, "size '%s' is too large", item);
    if (rc || v == 0)
        return fail(err, n, "'%s' is not a size in bytes (e.g. 64, 4KiB, 16MiB)", item);
    ((uint64_t *)out)[i] = v;
    return 0;
}

static int elem_item(const char *item, void *out, size_t i, char *err, size_t n)
{
    uint64_t v;
    if (sb_parse_count(item, &v) || v > 4096)
        return fail(err, n, "element size '%s' is not a number from 1 to 4096", item);
    ((uint64_t *)out)[i] = v;
    return 0;
}

static int kept_item(const char *item, void *out, size_t i, char *err, size_t n)
{
    ret_kept_rule_t *r = &((ret_kept_rule_t *)out)[i];
    memset(r, 0, sizeof *r);
    if (strncmp(item, "N/", 2) == 0) {
        if (sb_parse_count(item + 2, &r->divisor))
            return fail(err, n, "kept rule '%s': after N/ comes a positive integer", item);
    } else if (sb_parse_bytes(item, &r->bytes) || r->bytes == 0) {
        return fail(err, n, "kept rule '%s' is neither a size (16) nor N/d (N/8)", item);
    }
    snprintf(r->text, sizeof r->text, "%s", item);
    return 0;
}

static int growth_item(const char *item, void *out, size_t i, char *err, size_t n)
{
    if (gs_policy_parse(item, &((gs_policy_t *)out)[i]))
        return fail(err, n, "unknown growth policy '%s' (go, double, x1.5)", item);
    return 0;
}

static int strategy_item(const char *item, void *out, size_t i, char *err, size_t n)
{
    if (keep_strategy_parse(item, &((keep_strategy_t *)out)[i]))
        return fail(err, n, "unknown strategy '%s'", item);
    return 0;
}

/* The value of --name=value in arg, or NULL when arg is another flag. */
static const char *value_of(const char *arg, const char *name)
{
    size_t len = strlen(name);
    return strncmp(arg, name, len) == 0 && arg[len] == '=' ? arg + len + 1 : NULL;
}

int ret_parse_flags(int argc, char **argv, ret_options_t *o, char *err,
                    size_t errsz)
{
    const char *sizes = NULL, *kept = NULL, *elems = NULL, *growth = NULL,
               *strategies = NULL, *v;
    int budget_given = 0, max_given = 0, i;

    memset(o, 0, sizeof *o);
    o->budget = UINT64_C(512) << 20;
    o->max_items = 16384;
    o->csv_dir = SB_RESULTS_DIR;
    o->tuning = MEM_TUNING_PINNED;

    for (i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            ret_usage(argv[0]);
            return 1;
        } else if (strcmp(a, "--version") == 0) {
            printf("slicebench-retention %s (commit %s, allocator %s %s)\n",
                   SB_VERSION, sb_build_commit, mem_allocator_name(),
                   mem_allocator_version());
            return 1;
        } else if ((v = value_of(a, "--sizes"))) {
            sizes = v;
        } else if ((v = value_of(a, "--kept"))) {
            kept = v;
        } else if ((v = value_of(a, "--elem"))) {
            elems = v;
        } else if ((v = value_of(a, "--growth"))) {
            growth = v;
        } else if ((v = value_of(a, "--strategies"))) {
            strategies = v;
        } else if ((v = value_of(a, "--budget"))) {
            if (sb_parse_bytes(v, &o->budget) || o->budget == 0)
                return fail(err, errsz, "--budget: '%s' is not a size in bytes", v);
            budget_given = 1;
        } else if ((v = value_of(a, "--items"))) {
            if (sb_parse_count(v, &o->items))
                return fail(err, errsz, "--items: '%s' is not a positive integer", v);
            if (o->items > RET_ITEMS_LIMIT)
                return fail(err, errsz, "--items: at most %d", RET_ITEMS_LIMIT);
        } else if ((v = value_of(a, "--max-items"))) {
            if (sb_parse_count(v, &o->max_items))
                return fail(err, errsz, "--max-items: '%s' is not a positive integer", v);
            if (o->max_items > RET_ITEMS_LIMIT)
                return fail(err, errsz, "--max-items: at most %d", RET_ITEMS_LIMIT);
            max_given = 1;
        } else if (strcmp(a, "--quick") == 0) {
            o->quick = 1;
        } else if ((v = value_of(a, "--csv-dir"))) {
            if (*v == '\0') return fail(err, errsz, "--csv-dir: empty folder name");
            o->csv_dir = v;
        } else if (strcmp(a, "--no-csv") == 0) {
            o->no_csv = 1;
        } else if ((v = value_of(a, "--run-id"))) {
            if (*v == '\0' || strchr(v, '/'))
                return fail(err, errsz, "--run-id: '%s' must be a non-empty name without '/'", v);
            o->run_id = v;
        } else if (strcmp(a, "--allocator-defaults") == 0) {
            o->tuning = MEM_TUNING_DEFAULT;
        } else if ((v = value_of(a, "--isolation"))) {
            if (strcmp(v, "process") == 0) o->isolation = RET_ISOLATE_PROCESS;
            else if (strcmp(v, "none") == 0) o->isolation = RET_ISOLATE_NONE;
            else return fail(err, errsz, "--isolation: '%s' is not one of process, none", v);
        } else if ((v = value_of(a, "--seed"))) {
            char *end;
            errno = 0;
            o->seed = strtoull(v, &end, 10);
            if (*v < '0' || *v > '9' || *end || errno)
                return fail(err, errsz, "--seed: '%s' is not a whole number", v);
            o->seed_given = 1;
        } else if (strcmp(a, "--schema") == 0) {
            o->schema = 1;
        } else if ((v = value_of(a, "--child"))) {
            o->child = v;
        } else if ((v = value_of(a, "--child-min-time"))) {
            o->child_min_time = strtod(v, NULL);
        } else if ((v = value_of(a, "--child-warmup"))) {
            o->child_warmup = strtod(v, NULL);
        } else if (strncmp(a, "--benchmark_", 12) == 0) {
            return fail(err, errsz, "unrecognized flag '%s' (see --help)", a);
        } else {
            return fail(err, errsz, "unknown argument '%s' (see --help)", a);
        }
    }

    /* --quick chooses small defaults; flags given explicitly still win */
    if (o->quick) {
        if (!sizes) sizes = "64,4KiB,64KiB,1MiB";
        if (!kept) kept = "16,N/2";
        if (!elems) elems = "1";
        if (!budget_given) o->budget = UINT64_C(64) << 20;
        if (!max_given) o->max_items = 1024;
        o->min_time = 0.005;
    }
    if (each_item("--sizes", sizes ? sizes : "64,512,4KiB,32KiB,128KiB,1MiB,4MiB,16MiB",
                  size_item, o->sizes, RET_MAX_LIST, &o->n_sizes, err, errsz) ||
        each_item("--kept", kept ? kept : "16,N/8,N/2", kept_item, o->kept,
                  RET_MAX_LIST, &o->n_kept, err, errsz) ||
        each_item("--elem", elems ? elems : "1,8", elem_item, o->elems,
                  RET_MAX_LIST, &o->n_elems, err, errsz))
        return -EINVAL;
    if (growth) {
        if (each_item("--growth", growth, growth_item, o->growth, GS_POLICY_COUNT,
                      &o->n_growth, err, errsz))
            return -EINVAL;
    } else {
        o->growth[0] = GS_GROW_GO;
        o->n_growth = 1;
    }
    if (strategies) {
        if (each_item("--strategies", strategies, strategy_item, o->strategies,
                      KEEP_STRATEGY_COUNT, &o->n_strategies, err, errsz))
            return -EINVAL;
    } else {
        for (i = 0; i < KEEP_STRATEGY_COUNT; i++)
            o->strategies[i] = (keep_strategy_t)i;
        o->n_strategies = KEEP_STRATEGY_COUNT;
    }
    return 0;
}
