/* retention_flags.c -- the retention binary's own command-line flags.
 *
 * Every flag is one row of flag_table (its name, whether it takes a value)
 * and one case of the switch in ret_parse_flags. Conventions as
 * getopt_long's: "--flag=value" or "--flag value", "-h" for --help; names
 * are matched whole (no abbreviations), and a next argument that starts
 * with "--" is never taken as a value (it is the next flag). Google Benchmark's --benchmark_*
 * flags are taken out of argv before this runs (bm_flags.h checks them).
 */
#include "retention.h"

#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------------------
 * The flags
 * ------------------------------------------------------------------------ */

typedef enum ret_flag_id_e {
    F_HELP, F_VERSION, F_SIZES, F_KEPT, F_ELEM, F_GROWTH, F_STRATEGIES,
    F_BUDGET, F_ITEMS, F_MAX_ITEMS, F_QUICK, F_CSV_DIR, F_NO_CSV, F_RUN_ID,
    F_ALLOCATOR_DEFAULTS, F_ISOLATION, F_SEED, F_SCHEMA, F_CHILD,
    F_CHILD_MIN_TIME, F_CHILD_WARMUP, F_CHILD_SEED, F_GC, F_GOGC, F_GO_MARKS,
    F_GO_CLOCK_SCALE,
    F_GO_SPANS
} ret_flag_id_t;

static const struct {
    const char *name;      /* without the leading "--"                */
    int takes_value;       /* 1: "--name=V" or "--name V"; 0: alone   */
    ret_flag_id_t id;
} flag_table[] = {
    {"help", 0, F_HELP},
    {"version", 0, F_VERSION},
    {"sizes", 1, F_SIZES},
    {"kept", 1, F_KEPT},
    {"elem", 1, F_ELEM},
    {"growth", 1, F_GROWTH},
    {"strategies", 1, F_STRATEGIES},
    {"budget", 1, F_BUDGET},
    {"items", 1, F_ITEMS},
    {"max-items", 1, F_MAX_ITEMS},
    {"quick", 0, F_QUICK},
    {"csv-dir", 1, F_CSV_DIR},
    {"no-csv", 0, F_NO_CSV},
    {"run-id", 1, F_RUN_ID},
    {"allocator-defaults", 0, F_ALLOCATOR_DEFAULTS},
    {"isolation", 1, F_ISOLATION},
    {"seed", 1, F_SEED},
    {"schema", 0, F_SCHEMA},
    {"gc", 1, F_GC},
    {"gogc", 1, F_GOGC},
    {"go-marks", 0, F_GO_MARKS},
    {"go-spans", 0, F_GO_SPANS},
    {"go-clock-scale", 1, F_GO_CLOCK_SCALE},
    /* the measuring process's own (retention_child.c), not in --help */
    {"child", 1, F_CHILD},
    {"child-min-time", 1, F_CHILD_MIN_TIME},
    {"child-warmup", 1, F_CHILD_WARMUP},
    {"child-seed", 1, F_CHILD_SEED},
};
enum { N_FLAGS = sizeof flag_table / sizeof flag_table[0] };

/* "a, b, c": every name of a list (keep.c's strategies, gs's policies),
 * so no message or usage text holds a copy of it. */
typedef const char *name_fn(int i);
static const char *strategy_name(int i) { return keep_strategy_name((keep_strategy_t)i); }
static const char *policy_name(int i) { return gs_policy_name((gs_policy_t)i); }
static const char *gc_name(int i) { return gs_gc_name((gs_gc_t)i); }

static const char *names(name_fn *fn, int count, char *buf, size_t n)
{
    size_t used = 0;
    int i;
    buf[0] = '\0';
    for (i = 0; i < count && used < n; i++)
        used += (size_t)snprintf(buf + used, n - used, "%s%s", i ? ", " : "", fn(i));
    return buf;
}

void ret_usage(const char *prog)
{
    char dir[4096], strategies[256], policies[128];
    if (sb_default_results_dir(dir, sizeof dir)) snprintf(dir, sizeof dir, "results");
    names(strategy_name, KEEP_STRATEGY_COUNT, strategies, sizeof strategies);
    names(policy_name, GS_POLICY_COUNT, policies, sizeof policies);
    printf(
"usage: %s [flags] [--benchmark_* flags]\n"
"\n"
"Receives M buffers of N bytes, keeps k bytes of each by every strategy\n"
"(%s),\n"
"and reports time per item and memory held, as Google Benchmark output and\n"
"as a results CSV (schema: results/README.md).\n"
"\n"
"A flag's value follows '=' or comes as the next argument: --sizes=4KiB\n"
"or --sizes 4KiB (a value that starts with -- needs the '=' form).\n"
"No value may appear twice in a list; a flag given twice, the later counts.\n"
"\n"
"  --sizes=LIST        N values, bytes (suffixes K/KiB, M/MiB, G/GiB)\n"
"                      default 64,512,4KiB,32KiB,128KiB,1MiB,4MiB,16MiB\n"
"  --kept=LIST         k rules: a size (16) or a fraction of N (N/8)\n"
"                      default 16,N/8,N/2\n"
"  --elem=LIST         element sizes in bytes, default 1,8\n"
"  --growth=LIST       growth policies (%s); default go\n"
"  --strategies=LIST   strategies to run, default all\n"
"  --budget=BYTES      memory the worst strategy of a case may use;\n"
"                      chooses M (default 512MiB)\n"
"  --items=M           the same M for every case instead\n"
"  --max-items=M       the largest M the budget may choose (default 16384)\n"
"  --quick             a small sweep that takes seconds (smoke tests): N 64,\n"
"                      4KiB, 64KiB, 1MiB, k 16 and N/2, elem 1, budget 64MiB,\n"
"                      at most 1024 items, 0.005 s per run unless\n"
"                      --benchmark_min_time (or BENCHMARK_MIN_TIME) says\n"
"                      otherwise\n"
"  --csv-dir=DIR       folder for the results CSV; default: the results\n"
"                      folder of the checkout this binary was built in\n"
"                      (<checkout>/<build>/benchmarks/ -> <checkout>/results),\n"
"                      else ./results -- here %s\n"
"  --no-csv            write no results CSV\n"
"  --run-id=ID         results file name stem, 1 to %d characters of\n"
"                      A-Z a-z 0-9 . _ - (default: UTC time and commit)\n"
"  --allocator-defaults  leave the allocator's own tuning (default: pinned)\n"
"  --isolation=MODE    process (default): every repetition of every case is\n"
"                      measured in a fresh process, in an order shuffled\n"
"                      across cases; none: all in this process, in order\n"
"                      (figures then depend on what ran before: debugging)\n"
"  --seed=N            seed of the shuffled order and, with --gc=go, of the\n"
"                      model's mark ends, drawn for each case and repetition\n"
"                      (default: drawn, recorded as order_seed in the\n"
"                      results' metadata)\n"
"  --gc=LIST           how dead arrays are freed: off (at the last release,\n"
"                      as malloc frees; default) or go (Go 1.19's collector:\n"
"                      garbage until the heap reaches its goal, see gs.h)\n"
"  --gogc=LIST         GOGC percent values for --gc=go, default 100\n"
"  --go-marks          with --gc=go, a line on stderr per measurement: where\n"
"                      each mark started from the first batch on (the first,\n"
"                      any warm-up, the timed ones), heap/goal in MiB\n"
"                      (scripts/go-record --model holds them to Go's)\n"
"  --go-spans          with --gc=go, a line on stderr per measurement: the\n"
"                      spans the model's page heap took for arrays (a) and\n"
"                      small objects (s), as PAGE+PAGES, and got back (f\n"
"                      as the sweep reached them, r), and its marks'\n"
"                      starts (m) and ends (e), in order, from the first\n"
"                      batch on (scripts/go-record --placement holds them\n"
"                      to Go's)\n"
"  --go-clock-scale=X  with --gc=go, how much slower Go runs here now than\n"
"                      on the runs Go's clock was fit to (gs.h), %g to %g\n"
"                      (default 1): the scavenger's turns follow Go's time\n"
"                      (scripts/gc-vs-go gives each case Go's own)\n"
"  --schema            print the results schema and the strategies (JSON)\n"
"  -h, --help, --version\n"
"\n"
"Every --benchmark_* flag of Google Benchmark works as usual, e.g.\n"
"--benchmark_filter=retain --benchmark_repetitions=5; their values are\n"
"checked first, and --benchmark_out=FILE must name a new file.\n",
        prog, strategies, policies, dir, SB_RUN_ID_MAX, GS_GO_CLOCK_SCALE_MIN,
        GS_GO_CLOCK_SCALE_MAX);
}

/* ------------------------------------------------------------------------
 * Values
 * ------------------------------------------------------------------------ */

/* Every message is one line of valid UTF-8, whatever bytes it quotes. */
static int fail(char *err, size_t n, const char *fmt, ...)
{
    char raw[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(raw, sizeof raw, fmt, ap);
    va_end(ap);
    sb_text_clean(raw, err, n);
    return -EINVAL;
}

/* One list flag's item parser (fills out[i]) and its equality test. */
typedef int item_fn(const char *item, void *out, size_t i, char *err, size_t n);
typedef int same_fn(const void *out, size_t i, size_t j);

/* Split a comma list into at most max items, each handed to fn; a value
 * that equals an earlier one (same(out, j, i)) is refused, naming both. */
static int each_item(const char *flag, const char *list, item_fn *fn, same_fn *same,
                     void *out, size_t max, size_t *count, char *err, size_t n)
{
    char buf[1024], *texts[RET_MAX_LIST + 1];
    char *save = NULL, *item;
    size_t i = 0, j;
    if (snprintf(buf, sizeof buf, "%s", list) >= (int)sizeof buf)
        return fail(err, n, "%s: list too long", flag);
    /* strtok_r would pass over an empty item: "64,,128" is a typo */
    if (buf[0] == ',' || strstr(buf, ",,") != NULL ||
        (buf[0] != '\0' && buf[strlen(buf) - 1] == ','))
        return fail(err, n, "%s: '%s' has an empty item", flag, list);
    for (item = strtok_r(buf, ",", &save); item; item = strtok_r(NULL, ",", &save)) {
        int rc;
        if (i == max || i == RET_MAX_LIST)
            return fail(err, n, "%s: more than %zu values", flag, max);
        rc = fn(item, out, i, err, n);
        if (rc) return rc;
        for (j = 0; j < i; j++) {
            if (!same(out, j, i)) continue;
            if (strcmp(texts[j], item) == 0)
                return fail(err, n, "%s: '%s' is given twice", flag, item);
            return fail(err, n, "%s: '%s' is given twice (also as '%s')", flag, item,
                        texts[j]);
        }
        texts[i++] = item;
    }
    if (i == 0) return fail(err, n, "%s: empty list", flag);
    *count = i;
    return 0;
}

static int same_u64(const void *out, size_t i, size_t j)
{
    return ((const uint64_t *)out)[i] == ((const uint64_t *)out)[j];
}

static int same_rule(const void *out, size_t i, size_t j)
{
    const ret_kept_rule_t *a = &((const ret_kept_rule_t *)out)[i],
                          *b = &((const ret_kept_rule_t *)out)[j];
    return a->bytes == b->bytes && a->divisor == b->divisor;
}

static int same_policy(const void *out, size_t i, size_t j)
{
    return ((const gs_policy_t *)out)[i] == ((const gs_policy_t *)out)[j];
}

static int same_strategy(const void *out, size_t i, size_t j)
{
    return ((const keep_strategy_t *)out)[i] == ((const keep_strategy_t *)out)[j];
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
    char valid[128];
    if (gs_policy_parse(item, &((gs_policy_t *)out)[i]))
        return fail(err, n, "unknown growth policy '%s' (valid: %s)", item,
                    names(policy_name, GS_POLICY_COUNT, valid, sizeof valid));
    return 0;
}

static int gc_item(const char *item, void *out, size_t i, char *err, size_t n)
{
    char valid[64];
    if (gs_gc_parse(item, &((gs_gc_t *)out)[i]))
        return fail(err, n, "unknown GC mode '%s' (valid: %s)", item,
                    names(gc_name, 2, valid, sizeof valid));
    return 0;
}

static int same_gc(const void *out, size_t i, size_t j)
{
    return ((const gs_gc_t *)out)[i] == ((const gs_gc_t *)out)[j];
}

static int gogc_item(const char *item, void *out, size_t i, char *err, size_t n)
{
    uint64_t v;
    if (strcmp(item, "0") == 0) v = 0;
    else if (sb_parse_count(item, &v) || v > GS_GO_MAX_GOGC)
        return fail(err, n, "GOGC '%s' is not a whole number from 0 to %u", item,
                    GS_GO_MAX_GOGC);
    ((uint64_t *)out)[i] = v;
    return 0;
}

static int strategy_item(const char *item, void *out, size_t i, char *err, size_t n)
{
    char valid[256];
    if (keep_strategy_parse(item, &((keep_strategy_t *)out)[i]))
        return fail(err, n, "unknown strategy '%s' (valid: %s)", item,
                    names(strategy_name, KEEP_STRATEGY_COUNT, valid, sizeof valid));
    return 0;
}

/* ------------------------------------------------------------------------
 * The command line
 * ------------------------------------------------------------------------ */

/* The row of "--name" or "--name=value" in arg, or -1. */
static int find_flag(const char *arg)
{
    const char *name;
    size_t len;
    int f;
    if (strncmp(arg, "--", 2) != 0) return -1;     /* before reading past arg */
    name = arg + 2;
    len = strcspn(name, "=");
    for (f = 0; f < N_FLAGS; f++)
        if (strlen(flag_table[f].name) == len &&
            strncmp(flag_table[f].name, name, len) == 0)
            return f;
    return -1;
}

int ret_parse_flags(int argc, char **argv, ret_options_t *o, char *err,
                    size_t errsz)
{
    const char *sizes = NULL, *kept = NULL, *elems = NULL, *growth = NULL,
               *strategies = NULL, *gcs = NULL, *gogcs = NULL;
    int budget_given = 0, max_given = 0, i;

    memset(o, 0, sizeof *o);
    o->budget = UINT64_C(512) << 20;
    o->max_items = 16384;
    o->go_clock_scale = 1.0;
    if (sb_default_results_dir(o->csv_dir_default, sizeof o->csv_dir_default))
        snprintf(o->csv_dir_default, sizeof o->csv_dir_default, "results");
    o->csv_dir = o->csv_dir_default;
    o->tuning = MEM_TUNING_PINNED;

    for (i = 1; i < argc; i++) {
        const char *a = argv[i], *v = NULL;
        int f = strcmp(a, "-h") == 0 ? 0 : find_flag(a);
        if (f < 0 && strncmp(a, "--benchmark_", 12) == 0)
            return fail(err, errsz, "unrecognized flag '%s' (see --help)", a);
        if (f < 0)
            return fail(err, errsz, "unknown argument '%s' (see --help)", a);
        if (flag_table[f].takes_value) {
            const char *eq = strchr(a, '=');
            if (eq) v = eq + 1;
            else if (i + 1 < argc && strncmp(argv[i + 1], "--", 2) != 0) v = argv[++i];
            else return fail(err, errsz, "--%s needs a value", flag_table[f].name);
        } else if (strchr(a, '=')) {
            return fail(err, errsz, "--%s takes no value", flag_table[f].name);
        }
        switch (flag_table[f].id) {
        case F_HELP:
            ret_usage(argv[0]);
            return 1;
        case F_VERSION:
            printf("slicebench-retention %s (commit %s, allocator %s %s)\n",
                   SB_VERSION, sb_build_commit, mem_allocator_name(),
                   mem_allocator_version());
            return 1;
        case F_SIZES: sizes = v; break;
        case F_KEPT: kept = v; break;
        case F_ELEM: elems = v; break;
        case F_GROWTH: growth = v; break;
        case F_STRATEGIES: strategies = v; break;
        case F_BUDGET:
            if (sb_parse_bytes(v, &o->budget) || o->budget == 0)
                return fail(err, errsz, "--budget: '%s' is not a size in bytes", v);
            budget_given = 1;
            break;
        case F_ITEMS:
            if (sb_parse_count(v, &o->items))
                return fail(err, errsz, "--items: '%s' is not a positive integer", v);
            if (o->items > RET_ITEMS_LIMIT)
                return fail(err, errsz, "--items: at most %d", RET_ITEMS_LIMIT);
            break;
        case F_MAX_ITEMS:
            if (sb_parse_count(v, &o->max_items))
                return fail(err, errsz, "--max-items: '%s' is not a positive integer", v);
            if (o->max_items > RET_ITEMS_LIMIT)
                return fail(err, errsz, "--max-items: at most %d", RET_ITEMS_LIMIT);
            max_given = 1;
            break;
        case F_QUICK: o->quick = 1; break;
        case F_GO_MARKS: o->go_marks = 1; break;
        case F_GO_SPANS: o->go_spans = 1; break;
        case F_CSV_DIR:
            if (*v == '\0') return fail(err, errsz, "--csv-dir: empty folder name");
            for (const char *c = v; *c; c++)      /* a path in one-line messages */
                if ((unsigned char)*c < 0x20 || *c == 0x7f)
                    return fail(err, errsz, "--csv-dir: '%s' holds a control character "
                                "(a line break, a tab, ...)", v);
            o->csv_dir = v;
            break;
        case F_NO_CSV: o->no_csv = 1; break;
        case F_RUN_ID:
            if (sb_check_run_id(v))
                return fail(err, errsz, "--run-id: '%.120s' is not 1 to %d characters "
                            "of A-Z a-z 0-9 . _ -", v, SB_RUN_ID_MAX);
            o->run_id = v;
            break;
        case F_ALLOCATOR_DEFAULTS: o->tuning = MEM_TUNING_DEFAULT; break;
        case F_ISOLATION:
            if (strcmp(v, "process") == 0) o->isolation = RET_ISOLATE_PROCESS;
            else if (strcmp(v, "none") == 0) o->isolation = RET_ISOLATE_NONE;
            else return fail(err, errsz, "--isolation: '%s' is not one of process, none", v);
            break;
        case F_SEED: {
            char *end;
            errno = 0;
            o->seed = strtoull(v, &end, 10);
            if (*v < '0' || *v > '9' || *end || errno)
                return fail(err, errsz, "--seed: '%s' is not a whole number below 2^64", v);
            o->seed_given = 1;
            break;
        }
        case F_GO_CLOCK_SCALE: {
            char *end;
            errno = 0;
            o->go_clock_scale = strtod(v, &end);
            if (end == v || *end || errno ||
                !(o->go_clock_scale >= GS_GO_CLOCK_SCALE_MIN &&
                  o->go_clock_scale <= GS_GO_CLOCK_SCALE_MAX))
                return fail(err, errsz, "--go-clock-scale: '%.40s' is not a number "
                            "from %g to %g", v, GS_GO_CLOCK_SCALE_MIN,
                            GS_GO_CLOCK_SCALE_MAX);
            o->go_clock_given = 1;
            break;
        }
        case F_SCHEMA: o->schema = 1; break;
        case F_GC: gcs = v; break;
        case F_GOGC: gogcs = v; break;
        case F_CHILD: o->child = v; break;
        case F_CHILD_MIN_TIME: o->child_min_time = strtod(v, NULL); break;
        case F_CHILD_WARMUP: o->child_warmup = strtod(v, NULL); break;
        case F_CHILD_SEED: o->child_seed = strtoull(v, NULL, 10); break;
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
                  size_item, same_u64, o->sizes, RET_MAX_LIST, &o->n_sizes, err, errsz) ||
        each_item("--kept", kept ? kept : "16,N/8,N/2", kept_item, same_rule, o->kept,
                  RET_MAX_LIST, &o->n_kept, err, errsz) ||
        each_item("--elem", elems ? elems : "1,8", elem_item, same_u64, o->elems,
                  RET_MAX_LIST, &o->n_elems, err, errsz))
        return -EINVAL;
    if (growth) {
        if (each_item("--growth", growth, growth_item, same_policy, o->growth,
                      GS_POLICY_COUNT, &o->n_growth, err, errsz))
            return -EINVAL;
    } else {
        o->growth[0] = GS_GROW_GO;
        o->n_growth = 1;
    }
    if (each_item("--gc", gcs ? gcs : "off", gc_item, same_gc, o->gc, 2, &o->n_gc,
                  err, errsz) ||
        each_item("--gogc", gogcs ? gogcs : "100", gogc_item, same_u64, o->gogc,
                  RET_MAX_LIST, &o->n_gogc, err, errsz))
        return -EINVAL;
    if (o->go_marks || o->go_spans || o->go_clock_given || gogcs) {
        int go = 0;
        for (size_t g = 0; g < o->n_gc; g++) go |= o->gc[g] == GS_GC_GO;
        if (!go && gogcs)
            return fail(err, errsz, "--gogc: only with --gc=go (GOGC paces Go's collector)");
        if (!go && o->go_clock_given)
            return fail(err, errsz, "--go-clock-scale: only with --gc=go (Go's clock "
                        "paces Go's scavenger)");
        if (!go && o->go_marks)
            return fail(err, errsz, "--go-marks: only with --gc=go (marks are Go's collector's)");
        if (!go)
            return fail(err, errsz, "--go-spans: only with --gc=go (the page heap is Go's collector's)");
    }
    if (strategies) {
        if (each_item("--strategies", strategies, strategy_item, same_strategy,
                      o->strategies, KEEP_STRATEGY_COUNT, &o->n_strategies, err, errsz))
            return -EINVAL;
    } else {
        for (i = 0; i < KEEP_STRATEGY_COUNT; i++)
            o->strategies[i] = (keep_strategy_t)i;
        o->n_strategies = KEEP_STRATEGY_COUNT;
    }
    /* a fraction of N below one byte would leave the case out silently */
    for (size_t ki = 0; ki < o->n_kept; ki++)
        for (size_t si = 0; si < o->n_sizes; si++)
            if (o->kept[ki].divisor > o->sizes[si])
                return fail(err, errsz, "--kept=%s is below one byte at N=%llu (--sizes)",
                            o->kept[ki].text, (unsigned long long)o->sizes[si]);
    /* every file name the run makes must fit beside the folder's name,
     * known now rather than after the whole run */
    if (!o->no_csv &&
        sb_csv_path_fits(o->csv_dir, SB_RUN_ID_MAX + 1 + strlen(mem_allocator_name())))
        return fail(err, errsz, "--csv-dir: the folder name is too long for the results "
                    "file names in it (%zu bytes; the limit is %d with a file name)",
                    strlen(o->csv_dir), PATH_MAX);
    return 0;
}
