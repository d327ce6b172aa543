/* test_sb_robust.c -- the suite layer against hostile surroundings: closed
 * standard streams, bytes that are not text, cgroup memory limits, machine
 * settings read from a fake /proc and /sys, and Google Benchmark's flags.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bm_flags.h"
#include "check.h"
#include "sb.h"

static char tmpdir[] = "/tmp/sb-robust-XXXXXX";

/* Write text into tmpdir/<case>/<path>, making the folders on the way. */
static void put(const char *root, const char *path, const char *text)
{
    char full[1024], *slash;
    FILE *f;
    snprintf(full, sizeof full, "%s%s", root, path);
    for (slash = strchr(full + strlen(root) + 1, '/'); slash; slash = strchr(slash + 1, '/')) {
        *slash = '\0';
        mkdir(full, 0755);
        *slash = '/';
    }
    f = fopen(full, "w");
    CHECK(f != NULL);
    fputs(text, f);
    fclose(f);
}

static void root_of(const char *name, char *buf, size_t n)
{
    snprintf(buf, n, "%s/%s", tmpdir, name);
    mkdir(buf, 0755);
}

/* ------------------------------------------------------------------------
 * Closed standard streams
 * ------------------------------------------------------------------------ */

static void closed_stdio_goes_to_dev_null(void)
{
    int status;
    pid_t pid = fork();
    CHECK(pid >= 0);
    if (pid == 0) {
        struct stat st, null;
        int fd;
        close(0);
        close(1);
        if (sb_stdio_reopen() != 3) _exit(10);
        if (fstat(1, &st) != 0 || stat("/dev/null", &null) != 0) _exit(11);
        if (!S_ISCHR(st.st_mode) || st.st_rdev != null.st_rdev) _exit(12);
        fd = open("/dev/null", O_RDONLY);         /* the next file: not 0-2 */
        if (fd < 3) _exit(13);
        if (sb_stdio_reopen() != 0) _exit(14);    /* nothing closed now */
        _exit(0);
    }
    CHECK(waitpid(pid, &status, 0) == pid);
    CHECK(WIFEXITED(status));
    CHECK_EQ_I(WEXITSTATUS(status), 0);
}

/* ------------------------------------------------------------------------
 * Text
 * ------------------------------------------------------------------------ */

static void text_is_one_line_of_utf8(void)
{
    char out[64];
    CHECK_EQ_U(sb_text_clean("plain", out, sizeof out), 0);
    CHECK_EQ_STR(out, "plain");
    CHECK_EQ_U(sb_text_clean("a\nb\r\tc", out, sizeof out), 3);
    CHECK_EQ_STR(out, "a b  c");
    sb_text_clean("caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80", out, sizeof out);
    CHECK_EQ_STR(out, "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80");
    CHECK_EQ_U(sb_text_clean("x\xffy", out, sizeof out), 1);
    CHECK_EQ_STR(out, "x\\xffy");
    sb_text_clean("\xc3", out, sizeof out);                 /* cut sequence */
    CHECK_EQ_STR(out, "\\xc3");
    sb_text_clean("\xc0\xaf", out, sizeof out);             /* overlong '/' */
    CHECK_EQ_STR(out, "\\xc0\\xaf");
    sb_text_clean("\xed\xa0\x80", out, sizeof out);         /* a surrogate */
    CHECK_EQ_STR(out, "\\xed\\xa0\\x80");
    sb_text_clean("\x01\x7f", out, sizeof out);
    CHECK_EQ_STR(out, "\\x01\\x7f");
    sb_text_clean("a\xc3\xa9", out, 3);                     /* no half é */
    CHECK_EQ_STR(out, "a");
    sb_text_clean(NULL, out, sizeof out);
    CHECK_EQ_STR(out, "");
}

static void csv_cells_hold_no_hash_or_line_break(void)
{
    static const char *const cols[] = {"a", "b", "c"};
    sb_meta_t meta = {0};
    sb_csv_t c;
    char path[4096], text[4096];
    FILE *f;
    size_t got;
    CHECK_OK(sb_meta_set(&meta, "command", "run --run-id=\xff\n#x"));
    CHECK_OK(sb_csv_create(&c, tmpdir, "cells", &meta, 3, cols));
    CHECK_OK(sb_csv_row(&c, (const char *[]){"no#1", "two\nlines", "\xfe,x"}));
    snprintf(path, sizeof path, "%s", c.path);
    CHECK_OK(sb_csv_close(&c));
    f = fopen(path, "r");
    CHECK(f != NULL);
    got = fread(text, 1, sizeof text - 1, f);
    fclose(f);
    text[got] = '\0';
    CHECK_EQ_STR(text, "# command=run --run-id=\\xff #x\n"
                       "a,b,c\n"
                       "no%231,two lines,\"\\xfe,x\"\n");
}

static void run_ids(void)
{
    char id[SB_RUN_ID_MAX + 2];
    CHECK_OK(sb_check_run_id("reference-1.2_b"));
    CHECK_ERR(sb_check_run_id(""), -EINVAL);
    CHECK_ERR(sb_check_run_id(NULL), -EINVAL);
    CHECK_ERR(sb_check_run_id("a/b"), -EINVAL);
    CHECK_ERR(sb_check_run_id("a b"), -EINVAL);
    CHECK_ERR(sb_check_run_id("a\nb"), -EINVAL);
    CHECK_ERR(sb_check_run_id("caf\xc3\xa9"), -EINVAL);
    CHECK_ERR(sb_check_run_id("\xff"), -EINVAL);
    memset(id, 'x', SB_RUN_ID_MAX);
    id[SB_RUN_ID_MAX] = '\0';
    CHECK_OK(sb_check_run_id(id));
    id[SB_RUN_ID_MAX] = 'x';
    id[SB_RUN_ID_MAX + 1] = '\0';
    CHECK_ERR(sb_check_run_id(id), -EINVAL);
}

static void csv_path_must_fit(void)
{
    static char dir[PATH_MAX + 8];
    CHECK_OK(sb_csv_path_fits("/tmp", SB_RUN_ID_MAX + 10));
    memset(dir, 'd', PATH_MAX - 200);
    dir[PATH_MAX - 200] = '\0';
    CHECK_OK(sb_csv_path_fits(dir, 100));
    CHECK_ERR(sb_csv_path_fits(dir, 180), -ENAMETOOLONG);
    CHECK_ERR(sb_csv_path_fits("/tmp", 300), -ENAMETOOLONG);   /* over NAME_MAX */
}

static void default_results_dir(void)
{
    char dir[PATH_MAX];
    size_t len;
    CHECK_OK(sb_default_results_dir(dir, sizeof dir));
    len = strlen(dir);
    /* this test runs from <checkout>/build/tests/sb/: <checkout>/results
     * when build/ sits in a checkout, else the fallback */
    CHECK(strcmp(dir, "results") == 0 ||
          (len > 8 && strcmp(dir + len - 8, "/results") == 0));
    CHECK_ERR(sb_default_results_dir(dir, 4), -ENAMETOOLONG);
}

/* ------------------------------------------------------------------------
 * Memory headroom under cgroup limits
 * ------------------------------------------------------------------------ */

#define MIB (UINT64_C(1) << 20)

static void headroom_mem_available_only(void)
{
    char root[512], which[256];
    uint64_t b;
    root_of("mem-only", root, sizeof root);
    CHECK_ERR(sb_memory_headroom(root, &b, which, sizeof which), -ENOENT);
    put(root, "/proc/meminfo", "MemTotal: 16384000 kB\nMemAvailable:    8192 kB\n");
    CHECK_OK(sb_memory_headroom(root, &b, which, sizeof which));
    CHECK_EQ_U(b, 8 * MIB - MIB);             /* less the reserve of 1/8 */
    CHECK_EQ_STR(which, "MemAvailable");
}

static void headroom_cgroup_v2(void)
{
    char root[512], which[256];
    uint64_t b;
    root_of("v2", root, sizeof root);
    put(root, "/proc/meminfo", "MemAvailable: 8388608 kB\n");           /* 8 GiB */
    put(root, "/proc/self/cgroup", "0::/a/b\n");
    put(root, "/sys/fs/cgroup/a/b/memory.max", "max\n");
    put(root, "/sys/fs/cgroup/a/b/memory.current", "1000\n");
    put(root, "/sys/fs/cgroup/a/memory.max", "104857600\n");             /* 100 MiB */
    put(root, "/sys/fs/cgroup/a/memory.current", "52428800\n");          /* 50 MiB */
    put(root, "/sys/fs/cgroup/a/memory.stat", "active_file 1\ninactive_file 10485760\n");
    CHECK_OK(sb_memory_headroom(root, &b, which, sizeof which));
    CHECK_EQ_U(b, 60 * MIB);                  /* 100 - (50 - 10 reclaimable) */
    CHECK_EQ_STR(which, "cgroup v2 memory.max of /a");
    /* usage over the limit: nothing left, not a wrap-around */
    put(root, "/sys/fs/cgroup/a/memory.current", "209715200\n");
    put(root, "/sys/fs/cgroup/a/memory.stat", "inactive_file 0\n");
    CHECK_OK(sb_memory_headroom(root, &b, which, sizeof which));
    CHECK_EQ_U(b, 0);
}

static void headroom_cgroup_v1(void)
{
    char root[512], which[256];
    uint64_t b;
    root_of("v1", root, sizeof root);
    put(root, "/proc/meminfo", "MemAvailable: 8388608 kB\n");
    put(root, "/proc/self/cgroup", "7:cpu,cpuacct:/x\n5:memory:/x\n");
    put(root, "/sys/fs/cgroup/memory/x/memory.limit_in_bytes", "33554432\n");  /* 32 MiB */
    put(root, "/sys/fs/cgroup/memory/x/memory.usage_in_bytes", "2097152\n");
    put(root, "/sys/fs/cgroup/memory/x/memory.stat",
        "inactive_file 999999999\ntotal_inactive_file 1048576\n");
    /* the root's limit is "unlimited" (a huge number): never the least */
    put(root, "/sys/fs/cgroup/memory/memory.limit_in_bytes", "9223372036854771712\n");
    put(root, "/sys/fs/cgroup/memory/memory.usage_in_bytes", "1\n");
    CHECK_OK(sb_memory_headroom(root, &b, which, sizeof which));
    CHECK_EQ_U(b, 31 * MIB);
    CHECK_EQ_STR(which, "cgroup v1 memory.limit_in_bytes of /x");
}

static void headroom_cgroup_v2_beside_v1(void)
{
    char root[512], which[256];
    uint64_t b;
    root_of("hybrid", root, sizeof root);
    put(root, "/proc/meminfo", "MemAvailable: 8388608 kB\n");
    put(root, "/proc/self/cgroup", "4:memory:/\n0::/job\n");
    put(root, "/sys/fs/cgroup/unified/job/memory.max", "16777216\n");   /* 16 MiB */
    put(root, "/sys/fs/cgroup/unified/job/memory.current", "0\n");
    CHECK_OK(sb_memory_headroom(root, &b, which, sizeof which));
    CHECK_EQ_U(b, 16 * MIB);
    CHECK_EQ_STR(which, "cgroup v2 memory.max of /job");
}

static void guard_counts_what_a_run_prepares(void)
{
    char reason[160];
    CHECK_OK(sb_guard_prepared(60 * MIB, 4 * MIB, 64 * MIB, reason, sizeof reason));
    CHECK_ERR(sb_guard_prepared(60 * MIB, 5 * MIB, 64 * MIB, reason, sizeof reason),
              -ENOMEM);
    CHECK_EQ_STR(reason, "needs about 65 MiB, over the memory budget of 64 MiB");
    CHECK_ERR(sb_guard_prepared(UINT64_MAX, 1, UINT64_MAX, reason, sizeof reason),
              -ENOMEM);
}

/* ------------------------------------------------------------------------
 * The machine check
 * ------------------------------------------------------------------------ */

static void machine_unreadable_is_unknown(void)
{
    char root[512];
    sb_meta_t m = {0};
    root_of("machine-empty", root, sizeof root);
    CHECK_OK(sb_meta_set(&m, "build_type", "Release"));
    CHECK_OK(sb_meta_machine(&m, root));
    CHECK_EQ_STR(sb_meta_get(&m, "aslr"), "unknown");
    CHECK_EQ_STR(sb_meta_get(&m, "cpufreq_governor"), "none");
    CHECK_EQ_STR(sb_meta_get(&m, "cpu_boost"), "unknown");
    CHECK_EQ_STR(sb_meta_get(&m, "thp_enabled"), "unknown");
    CHECK_EQ_STR(sb_meta_get(&m, "loadavg_1m"), "unknown");
    CHECK(sb_meta_get(&m, "benchmark_library_build_type") != NULL);
    CHECK(sb_meta_get(&m, "machine_warnings") != NULL);
}

static void machine_settings_and_warnings(void)
{
    char root[512];
    const char *w;
    sb_meta_t m = {0};
    root_of("machine", root, sizeof root);
    put(root, "/proc/sys/kernel/randomize_va_space", "0\n");
    put(root, "/sys/devices/system/cpu/cpu0/cpufreq/scaling_governor", "powersave\n");
    put(root, "/sys/devices/system/cpu/cpufreq/boost", "1\n");
    put(root, "/sys/kernel/mm/transparent_hugepage/enabled", "always [madvise] never\n");
    put(root, "/proc/loadavg", "0.50 0.40 0.30 1/100 4242\n");
    CHECK_OK(sb_meta_set(&m, "build_type", "Debug"));
    CHECK_OK(sb_meta_machine(&m, root));
    CHECK_EQ_STR(sb_meta_get(&m, "aslr"), "0");
    CHECK_EQ_STR(sb_meta_get(&m, "cpufreq_governor"), "powersave");
    CHECK_EQ_STR(sb_meta_get(&m, "cpu_boost"), "on");
    CHECK_EQ_STR(sb_meta_get(&m, "thp_enabled"), "madvise");
    CHECK_EQ_STR(sb_meta_get(&m, "loadavg_1m"), "0.50");
    w = sb_meta_get(&m, "machine_warnings");
    CHECK(strstr(w, "CPU governor powersave (not performance), CPU boost on, "
                    "slicebench built as Debug, not Release") == w);
    CHECK(strstr(w, "ASLR") == NULL && strstr(w, "load") == NULL);
    CHECK(strchr(w, '\n') == NULL);
    /* intel_pstate's no_turbo says the opposite way round */
    put(root, "/proc/loadavg", "3.25 0 0 1/1 1\n");
    unlink(strcat(strcpy((char[600]){0}, root), "/sys/devices/system/cpu/cpufreq/boost"));
    put(root, "/sys/devices/system/cpu/intel_pstate/no_turbo", "1\n");
    CHECK_OK(sb_meta_machine(&m, root));
    CHECK_EQ_STR(sb_meta_get(&m, "cpu_boost"), "off");
    CHECK(strstr(sb_meta_get(&m, "machine_warnings"), "load average 3.25") != NULL);
    /* huge pages off for the process (prctl), whatever the system's mode */
    put(root, "/sys/kernel/mm/transparent_hugepage/enabled", "[always] madvise never\n");
    put(root, "/proc/self/status", "Name:\tx\nTHP_enabled:\t1\nThreads:\t1\n");
    CHECK_OK(sb_meta_machine(&m, root));
    CHECK_EQ_STR(sb_meta_get(&m, "thp_enabled"), "always");
    CHECK(strstr(sb_meta_get(&m, "machine_warnings"), "huge pages always") != NULL);
    put(root, "/proc/self/status", "Name:\tx\nTHP_enabled:\t0\nThreads:\t1\n");
    CHECK_OK(sb_meta_machine(&m, root));
    CHECK_EQ_STR(sb_meta_get(&m, "thp_enabled"),
                 "never (off for this process; system always)");
    CHECK(strstr(sb_meta_get(&m, "machine_warnings"), "huge pages") == NULL);
}

/* ------------------------------------------------------------------------
 * Google Benchmark's flags
 * ------------------------------------------------------------------------ */

/* bm_flags_check over "prog" and the given flags: its error, "" if none. */
static const char *gb(const char *a, const char *b)
{
    static char err[256];
    char p[] = "prog", x[256], y[256];
    char *argv[4] = {p, x, y, NULL};
    int argc = b ? 3 : 2;
    snprintf(x, sizeof x, "%s", a);
    snprintf(y, sizeof y, "%s", b ? b : "");
    if (!b) argv[2] = NULL;
    err[0] = '\0';
    if (bm_flags_check(&argc, argv, err, sizeof err) != 0 && err[0] == '\0')
        return "(failed without a message)";
    return err;
}

static void benchmark_flags(void)
{
    CHECK_EQ_STR(gb("--benchmark_repetitions=3", NULL), "");
    CHECK_EQ_STR(gb("--benchmark_repetitions=-1", NULL),
                 "--benchmark_repetitions: '-1' is not a positive integer");
    CHECK_EQ_STR(gb("--benchmark_repetitions=0", NULL),
                 "--benchmark_repetitions: '0' is not a positive integer");
    CHECK_EQ_STR(gb("--benchmark_repetitions=99999999999", NULL),
                 "--benchmark_repetitions: '99999999999' is not a positive integer");
    CHECK_EQ_STR(gb("--benchmark_format=xml", NULL),
                 "--benchmark_format: 'xml' is not one of console, json, csv");
    CHECK_EQ_STR(gb("--benchmark_out_format=tabular", NULL),
                 "--benchmark_out_format: 'tabular' is not one of console, json, csv");
    CHECK_EQ_STR(gb("--benchmark_min_time=0", NULL),
                 "--benchmark_min_time: '0' is not a positive number of seconds");
    CHECK_EQ_STR(gb("--benchmark_min_time=inf", NULL),
                 "--benchmark_min_time: 'inf' is not a positive number of seconds");
    CHECK_EQ_STR(gb("--benchmark_min_time=0.5", NULL), "");
    CHECK_EQ_STR(gb("--benchmark_list_tests", NULL), "");
    CHECK_EQ_STR(gb("--benchmark_counters_tabular=maybe", NULL),
                 "--benchmark_counters_tabular: 'maybe' is not true or false");
    CHECK_EQ_STR(gb("--benchmark_frobnicate=1", NULL),
                 "unrecognized flag '--benchmark_frobnicate=1' (see --help)");
    CHECK_EQ_STR(gb("--benchmark_filter=\n\xff", NULL), "");
    CHECK_EQ_STR(gb("--benchmark_format=\n\xff", NULL),
                 "--benchmark_format: '\\x0a\\xff' is not one of console, json, csv");
    CHECK_EQ_STR(gb("--benchmark_out=/dev/null", NULL),
                 "--benchmark_out: '/dev/null' exists already (no run overwrites "
                 "results; choose a new name)");
    CHECK_EQ_STR(gb("--benchmark_out=/nonexistent-dir/x.json", NULL),
                 "--benchmark_out: '/nonexistent-dir/x.json': its folder does not exist");
    CHECK_EQ_STR(gb("--benchmark_context=a=1,=2", NULL),
                 "--benchmark_context: 'a=1,=2' is not key=value[,key=value...]");
    CHECK_EQ_STR(gb("--benchmark_time_unit=ks", NULL),
                 "--benchmark_time_unit: 'ks' is not one of ns, us, ms, s");
    CHECK_EQ_STR(gb("--v=-2", NULL), "--v: '-2' is not an integer of 0 or more");
    CHECK_EQ_STR(gb("--version", NULL), "");           /* not a library flag */
    CHECK_EQ_STR(gb("--benchmark_filter", NULL), "--benchmark_filter needs a value");
    CHECK_EQ_STR(gb("--benchmark_repetitions", "0"),
                 "--benchmark_repetitions: '0' is not a positive integer");
    setenv("BENCHMARK_REPETITIONS", "-1", 1);
    CHECK_EQ_STR(gb("--sizes=64", NULL), "environment variable BENCHMARK_REPETITIONS: "
                                         "'-1' is not a positive integer");
    unsetenv("BENCHMARK_REPETITIONS");
}

static void benchmark_flags_as_two_arguments(void)
{
    char err[256], p[] = "prog", f[] = "--benchmark_filter", v[] = "retain",
         o[] = "--quick";
    char *argv[] = {p, f, v, o, NULL};
    int argc = 4;
    CHECK_OK(bm_flags_check(&argc, argv, err, sizeof err));
    CHECK_EQ_I(argc, 3);
    CHECK_EQ_STR(argv[1], "--benchmark_filter=retain");
    CHECK_EQ_STR(argv[2], "--quick");
    CHECK(argv[3] == NULL);
}

int main(int argc, char **argv)
{
    static const check_case_t cases[] = {
        CHECK_CASE(closed_stdio_goes_to_dev_null), CHECK_CASE(text_is_one_line_of_utf8),
        CHECK_CASE(csv_cells_hold_no_hash_or_line_break), CHECK_CASE(run_ids),
        CHECK_CASE(csv_path_must_fit), CHECK_CASE(default_results_dir),
        CHECK_CASE(headroom_mem_available_only), CHECK_CASE(headroom_cgroup_v2),
        CHECK_CASE(headroom_cgroup_v1), CHECK_CASE(headroom_cgroup_v2_beside_v1),
        CHECK_CASE(guard_counts_what_a_run_prepares),
        CHECK_CASE(machine_unreadable_is_unknown), CHECK_CASE(machine_settings_and_warnings),
        CHECK_CASE(benchmark_flags), CHECK_CASE(benchmark_flags_as_two_arguments),
    };
    char cmd[64];
    int rc;
    if (mkdtemp(tmpdir) == NULL) {
        perror("mkdtemp");
        return 1;
    }
    rc = check_main(argc, argv, cases, CHECK_COUNT(cases));
    snprintf(cmd, sizeof cmd, "rm -rf %s", tmpdir);
    if (system(cmd) != 0) fprintf(stderr, "could not remove %s\n", tmpdir);
    return rc;
}
