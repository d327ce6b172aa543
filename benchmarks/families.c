/* families.c -- slicebench-families: the leak families of issue 14 on the
 * model, one measurement per variant in a fresh process, into a results
 * CSV of its own (results/FAMILIES.md documents it).
 *
 *     slicebench-families [--quick] [--item=BYTES] [--queue=N] [--pops=N]
 *                         [--bufs=N] [--reps=N] [--out=DIR] [--no-csv]
 *
 * Each variant runs in a child (this program again, with --child=I): it
 * runs the scenario once between mem_peak_begin and mem_peak_end (held
 * bytes, peak RSS delta, RSS at the measurement point), then --reps more
 * times under the clock: time per operation is the timed phase's wall time
 * (families.h) over its operations, averaged over the reps; scenario time
 * is a whole run's, building the structure included. It prints one line
 * the parent turns into a row.
 */
#include "families.h"

#include "mem.h"
#include "sb.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <signal.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

#define FAM_SCHEMA_VERSION "1"

static const char *const columns[] = {
    "run_id", "language", "family", "variant", "item_bytes", "queue_len",
    "pops", "bufs_per_write", "ops", "held_bytes", "peak_held_bytes",
    "peak_rss_delta_bytes", "rss_held_delta_bytes", "time_per_op_ns",
    "scenario_time_ns", "reps",
};
#define NCOLS (sizeof columns / sizeof columns[0])

typedef struct opts_s {
    fam_params_t p;
    uint64_t reps;
    const char *out;
    const char *bad;         /* the argument parse rejected             */
    int no_csv, quick;
    long child;              /* -1: the parent */
    char out_default[4096];  /* the checkout's results folder           */
} opts_t;

/* The usage, on standard output (--help). */
static void usage(const opts_t *o)
{
    printf("usage: slicebench-families [--quick] [--item=BYTES] [--queue=N] "
           "[--pops=N] [--bufs=N] [--reps=N] [--out=DIR] [--no-csv]\n"
           "\n"
           "  --quick     item 64 KiB, queue and bufs 16, 2 reps (the other\n"
           "              flags, in any order, override these; a flag given\n"
           "              twice, the later counts)\n"
           "  --item      bytes of an item, 32 B to 1 GiB (default 1 MiB)\n"
           "  --queue     queue length (default 64); --pops, popped (default\n"
           "              the queue length); --bufs, buffers per write\n"
           "              (default 64); --reps, timed runs (default 5)\n"
           "  --out       folder of the results CSV; default: the results\n"
           "              folder of the checkout this binary was built in,\n"
           "              else ./results -- here %s\n"
           "  --no-csv    write no results CSV\n", o->out_default);
}

/* One line on standard error, and the exit status: 2, a bad argument
 * (pointed to --help), 1 any other failure. */
static int fail(int status, const char *msg)
{
    fprintf(stderr, "slicebench-families: %s%s\n", msg, status == 2 ? " (see --help)" : "");
    return status;
}

static int parse(int argc, char **argv, opts_t *o)
{
    int i, pops_given = 0;
    uint64_t v;
    o->p.item = 1u << 20;
    o->p.queue = 64;
    o->p.bufs = 64;
    o->reps = 5;
    if (sb_default_results_dir(o->out_default, sizeof o->out_default))
        snprintf(o->out_default, sizeof o->out_default, "results");
    o->out = o->out_default;
    o->child = -1;
    /* --quick sets the defaults; the flags given override them, wherever
     * --quick stands */
    for (i = 1; i < argc; i++)
        if (strcmp(argv[i], "--quick") == 0) {
            o->quick = 1;
            o->p.item = 64u << 10;
            o->p.queue = 16;
            o->p.bufs = 16;
            o->reps = 2;
        }
    for (i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char *eq = strchr(a, '=');
        const char *val = eq ? eq + 1 : "";
        if (strcmp(a, "--quick") == 0) {
            continue;
        } else if (strcmp(a, "--no-csv") == 0) {
            o->no_csv = 1;
        } else if (strncmp(a, "--item=", 7) == 0) {
            if (sb_parse_bytes(val, &v) || v < 32 || v > (1u << 30)) {
                o->bad = a;
                return -EINVAL;
            }
            o->p.item = (size_t)v;
        } else if (strncmp(a, "--queue=", 8) == 0 || strncmp(a, "--pops=", 7) == 0 ||
                   strncmp(a, "--bufs=", 7) == 0 || strncmp(a, "--reps=", 7) == 0 ||
                   strncmp(a, "--child=", 8) == 0) {
            if (strncmp(a, "--child=", 8) == 0 && strcmp(val, "0") == 0) v = 0;
            else if (sb_parse_count(val, &v) || v > (1u << 20)) {
                o->bad = a;
                return -EINVAL;
            }
            switch (a[2]) {
            case 'q': o->p.queue = (size_t)v; break;
            case 'p': o->p.pops = (size_t)v; pops_given = 1; break;
            case 'b': o->p.bufs = (size_t)v; break;
            case 'r': o->reps = v; break;
            default: o->child = (long)v; break;
            }
        } else if (strncmp(a, "--out=", 6) == 0 && *val) {
            o->out = val;
        } else {
            o->bad = a;
            return -EINVAL;
        }
    }
    if (!pops_given) o->p.pops = o->p.queue;
    if (o->p.pops > o->p.queue) return -ERANGE;
    return 0;
}


/* The most memory one variant of these parameters may hold at once, an
 * estimate on the high side to refuse a run the machine cannot hold (not
 * a figure of the results): the queue family's items and one more (its
 * copy_live copies the references, not the items), the iovec family's
 * buffers and one more, the other families' few items, and the slices of
 * references (8 to 24 B an entry, twice). */
static uint64_t largest_peak(const fam_params_t *p)
{
    uint64_t queue = (uint64_t)p->queue + 1, bufs = (uint64_t)p->bufs + 1;
    uint64_t most = queue > bufs ? queue : bufs;
    return (most > 3 ? most : 3) * ((uint64_t)p->item + 48);  /* <= 2^21 x 2^31 */
}

/* In the child: measure variant i, print "held peak_held peak_rss
 * rss_held ns_per_op scenario_ns ops" (-1 for an RSS figure not had). */
static int child(const opts_t *o)
{
    size_t n;
    const fam_variant_t *v = fam_variants(&n);
    fam_outcome_t out;
    mem_peak_t pk;
    mem_peak_result_t pr;
    double t0, scen, phase = 0;
    int64_t rss_held;
    uint64_t r;
    int rc, has_peak;
    if (o->child < 0 || (size_t)o->child >= n) return 2;
    /* a measurement nobody waits for any more is not finished */
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (getppid() == 1) return 1;
    v += o->child;
    mem_allocator_release();
    has_peak = mem_peak_begin(&pk) == 0;
    rc = v->run(&o->p, v->variant, &out);
    if (rc) {
        fprintf(stderr, "slicebench-families: %s/%s: %s\n", v->family,
                v->variant, strerror(-rc));
        return 1;
    }
    mem_peak_end(&pk, &pr);
    rss_held = has_peak && out.rss_held >= 0 ? out.rss_held - pk.rss_begin : -1;
    t0 = fam_now_ns();
    for (r = 0; r < o->reps && rc == 0; r++) {
        fam_outcome_t again;
        rc = v->run(&o->p, v->variant, &again);
        phase += again.phase_ns;
    }
    scen = (fam_now_ns() - t0) / (double)o->reps;
    phase /= (double)o->reps * (double)(out.ops ? out.ops : 1);
    if (rc) return 1;
    printf("%zu %zu %" PRId64 " %" PRId64 " %.3f %.0f %zu\n", out.held_bytes,
           out.peak_held_bytes,
           has_peak && pr.has_peak ? pr.peak_delta : (int64_t)-1, rss_held,
           phase, scen, out.ops);
    return fflush(stdout) == 0 ? 0 : 1;
}

/* Run variant i in a fresh process; its answer line into buf. */
static int spawn_child(int argc, char **argv, size_t i, char *buf, size_t n)
{
    char arg[32], **args;
    posix_spawn_file_actions_t fa;
    int fds[2], status, err, k;
    size_t got = 0;
    pid_t pid;
    args = calloc((size_t)argc + 2, sizeof *args);
    if (args == NULL) return -ENOMEM;
    for (k = 0; k < argc; k++) args[k] = argv[k];
    snprintf(arg, sizeof arg, "--child=%zu", i);
    args[argc] = arg;
    if (pipe2(fds, O_CLOEXEC) != 0) {
        free(args);
        return -errno;
    }
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_adddup2(&fa, fds[1], STDOUT_FILENO);
    err = posix_spawn(&pid, "/proc/self/exe", &fa, NULL, args, environ);
    posix_spawn_file_actions_destroy(&fa);
    free(args);
    close(fds[1]);
    if (err) {
        close(fds[0]);
        return -err;
    }
    for (;;) {
        ssize_t r = read(fds[0], buf + got, n - 1 - got);
        if (r < 0 && errno == EINTR) continue;
        if (r <= 0 || (got += (size_t)r) == n - 1) break;
    }
    buf[got] = '\0';
    close(fds[0]);
    while (waitpid(pid, &status, 0) < 0)
        if (errno != EINTR) return -errno;
    return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : -ECHILD;
}

int main(int argc, char **argv)
{
    static sb_meta_t meta;
    opts_t o;
    sb_csv_t csv;
    char run_id[128], settings[256], line[256];
    size_t n, i;
    const fam_variant_t *v = fam_variants(&n);
    int failed = 0, rc;

    if (sb_stdio_reopen() < 0) return 2;   /* closed fd 0/1/2: /dev/null first */
    memset(&o, 0, sizeof o);
    for (i = 1; i < (size_t)argc; i++)
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            (void)parse(argc, argv, &o);   /* the default folder, for the help */
            usage(&o);
            if (fflush(stdout) == 0 && !ferror(stdout)) return 0;
            /* status 2, as the scripts give output they cannot write */
            fprintf(stderr, "slicebench-families: cannot write the help to "
                    "standard output: %s\n", strerror(errno));
            return 2;
        }
    rc = parse(argc, argv, &o);
    if (rc == -ERANGE) return fail(2, "--pops must not exceed --queue");
    if (rc) {
        char msg[300];
        snprintf(msg, sizeof msg, "unknown option or bad value: %s (--item: 32 B to "
                 "1 GiB; counts: 1 to 1048576)", o.bad ? o.bad : "?");
        return fail(2, msg);
    }
    if (o.child >= (long)n) return fail(2, "--child: no such variant");
    {
        /* the measuring processes too: --child is how they are started,
         * and no way past the guard */
        char reason[256];
        if (sb_guard(largest_peak(&o.p), UINT64_MAX, reason, sizeof reason) != 0) {
            fprintf(stderr, "slicebench-families: not run: its largest variant %s\n",
                    reason);
            return 1;
        }
    }
    if (mem_allocator_configure(MEM_TUNING_PINNED, settings, sizeof settings))
        return fail(1, "cannot configure the allocator");
    if (o.child >= 0) return child(&o);

    if (sb_meta_collect(&meta, argc, argv)) return fail(1, "cannot collect metadata");
    sb_meta_set(&meta, "schema_version", FAM_SCHEMA_VERSION);
    sb_meta_set(&meta, "kind", "families");
    sb_meta_set(&meta, "allocator_settings", settings);
    if (sb_run_id(&meta, run_id, sizeof run_id)) return fail(1, "cannot make a run id");
    sb_meta_set(&meta, "run_id", run_id);
    if (!o.no_csv) {
        char stem[160];
        snprintf(stem, sizeof stem, "families_%s", run_id);
        rc = sb_csv_create(&csv, o.out, stem, &meta, NCOLS, columns);
        if (rc) {
            fprintf(stderr, "slicebench-families: cannot prepare a CSV in %s: %s\n",
                    o.out, strerror(-rc));
            return 1;
        }
    }
    printf("%-10s %-20s %12s %12s %12s %12s %10s %12s\n", "family", "variant",
           "held_bytes", "peak_held", "peak_rss", "rss_held", "ns/op", "scenario_ns");
    for (i = 0; i < n; i++) {
        char held[32], peak[32], rss[32], rssh[32], ns[32], scen[32], ops[32];
        char item[32], queue[32], pops[32], bufs[32], reps[32];
        const char *cells[NCOLS];
        if (spawn_child(argc, argv, i, line, sizeof line) != 0 ||
            sscanf(line, "%31s %31s %31s %31s %31s %31s %31s", held, peak, rss,
                   rssh, ns, scen, ops) != 7) {
            fprintf(stderr, "slicebench-families: %s/%s: the measuring process failed\n",
                    v[i].family, v[i].variant);
            failed = 1;
            continue;
        }
        printf("%-10s %-20s %12s %12s %12s %12s %10s %12s\n", v[i].family,
               v[i].variant, held, peak, strcmp(rss, "-1") ? rss : "",
               strcmp(rssh, "-1") ? rssh : "", ns, scen);
        if (o.no_csv) continue;
        snprintf(item, sizeof item, "%zu", o.p.item);
        snprintf(queue, sizeof queue, "%zu", o.p.queue);
        snprintf(pops, sizeof pops, "%zu", o.p.pops);
        snprintf(bufs, sizeof bufs, "%zu", o.p.bufs);
        snprintf(reps, sizeof reps, "%" PRIu64, o.reps);
        cells[0] = run_id; cells[1] = "c-model"; cells[2] = v[i].family;
        cells[3] = v[i].variant; cells[4] = item; cells[5] = queue;
        cells[6] = pops; cells[7] = bufs; cells[8] = ops; cells[9] = held;
        cells[10] = peak; cells[11] = strcmp(rss, "-1") ? rss : NULL;
        cells[12] = strcmp(rssh, "-1") ? rssh : NULL;
        cells[13] = ns; cells[14] = scen; cells[15] = reps;
        if ((rc = sb_csv_row(&csv, cells)) != 0) {   /* stop, as retention does */
            if (csv.path[0])
                fprintf(stderr, "slicebench-families: cannot write the results file %s: "
                        "%s (it keeps the rows before)\n", csv.path, strerror(-rc));
            else
                fprintf(stderr, "slicebench-families: cannot create the results file "
                        "in %s: %s (no file made)\n", o.out, strerror(-rc));
            failed = 1;
            break;
        }
    }
    if (!o.no_csv) {
        if (sb_csv_close(&csv) != 0) failed = 1;
        else if (csv.path[0]) printf("results: %s\n", csv.path);
    }
    if (fflush(stdout) != 0 || ferror(stdout)) {
        fprintf(stderr, "slicebench-families: cannot write the table to standard "
                "output%s\n", !o.no_csv && csv.path[0] ? " (the results file is whole)" : "");
        failed = 1;
    }
    return failed;
}
