/* test_sb.c -- the suite layer: parsing, the results CSV, metadata, the
 * memory guard, and the counting allocator and peak reader beneath them.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check.h"
#include "mem.h"
#include "sb.h"

/* ------------------------------------------------------------------------
 * Parsing
 * ------------------------------------------------------------------------ */

static void bytes_with_suffixes(void)
{
    uint64_t v;
    CHECK_OK(sb_parse_bytes("64", &v));      CHECK_EQ_U(v, 64);
    CHECK_OK(sb_parse_bytes("64B", &v));     CHECK_EQ_U(v, 64);
    CHECK_OK(sb_parse_bytes("4K", &v));      CHECK_EQ_U(v, 4096);
    CHECK_OK(sb_parse_bytes("4KiB", &v));    CHECK_EQ_U(v, 4096);
    CHECK_OK(sb_parse_bytes("16MiB", &v));   CHECK_EQ_U(v, 16u << 20);
    CHECK_OK(sb_parse_bytes("2G", &v));      CHECK_EQ_U(v, UINT64_C(2) << 30);
    CHECK_OK(sb_parse_bytes("0", &v));       CHECK_EQ_U(v, 0);
}

static void bad_bytes(void)
{
    uint64_t v = 7;
    CHECK_ERR(sb_parse_bytes("", &v), -EINVAL);
    CHECK_ERR(sb_parse_bytes("KiB", &v), -EINVAL);
    CHECK_ERR(sb_parse_bytes("4 KiB", &v), -EINVAL);
    CHECK_ERR(sb_parse_bytes("4kib", &v), -EINVAL);
    CHECK_ERR(sb_parse_bytes("-4", &v), -EINVAL);
    CHECK_ERR(sb_parse_bytes("4.5M", &v), -EINVAL);
    CHECK_ERR(sb_parse_bytes("18446744073709551616", &v), -EOVERFLOW);
    CHECK_ERR(sb_parse_bytes("9223372036854775808", &v), -EOVERFLOW);   /* 2^63 */
    CHECK_ERR(sb_parse_bytes("8589934592G", &v), -EOVERFLOW);           /* 2^63 */
    CHECK_ERR(sb_parse_bytes(NULL, &v), -EINVAL);
    CHECK_EQ_U(v, 7);                                  /* untouched on error */
}

static void counts(void)
{
    uint64_t v;
    CHECK_OK(sb_parse_count("1", &v));   CHECK_EQ_U(v, 1);
    CHECK_OK(sb_parse_count("18446744073709551615", &v)); CHECK_EQ_U(v, UINT64_MAX);
    CHECK_ERR(sb_parse_count("0", &v), -EINVAL);
    CHECK_ERR(sb_parse_count("12x", &v), -EINVAL);
    CHECK_ERR(sb_parse_count("18446744073709551616", &v), -EOVERFLOW);
}

static void format_bytes(void)
{
    char buf[32];
    sb_format_bytes(0, buf, sizeof buf);          CHECK_EQ_STR(buf, "0 B");
    sb_format_bytes(1023, buf, sizeof buf);       CHECK_EQ_STR(buf, "1023 B");
    sb_format_bytes(4096, buf, sizeof buf);       CHECK_EQ_STR(buf, "4 KiB");
    sb_format_bytes(1536 * 1024, buf, sizeof buf); CHECK_EQ_STR(buf, "1.5 MiB");
}

/* ------------------------------------------------------------------------
 * Results CSV
 * ------------------------------------------------------------------------ */

static char tmpdir[] = "/tmp/sb-test-XXXXXX";

static char *slurp(const char *path)
{
    static char buf[65536];
    int fd = open(path, O_RDONLY);
    ssize_t n;
    CHECK(fd >= 0);
    n = read(fd, buf, sizeof buf - 1);
    close(fd);
    CHECK(n >= 0);
    buf[n] = '\0';
    return buf;
}

static const char *const cols[] = {"name", "value", "note"};

static void csv_layout_and_quoting(void)
{
    sb_meta_t meta = {0};
    sb_csv_t c;
    char path[256];
    CHECK_OK(sb_meta_set(&meta, "schema_version", "1"));
    CHECK_OK(sb_meta_set(&meta, "command", "run --x\nwith a newline"));
    CHECK_OK(sb_csv_create(&c, tmpdir, "layout", &meta, 3, cols));
    CHECK_OK(sb_csv_row(&c, (const char *[]){"a", "1", NULL}));
    CHECK_OK(sb_csv_row(&c, (const char *[]){"b,c", "say \"hi\"", " edge "}));
    CHECK_OK(sb_csv_row(&c, (const char *[]){"line\nbreak", "2", ""}));
    CHECK_OK(sb_csv_close(&c));
    snprintf(path, sizeof path, "%s/layout.csv", tmpdir);
    CHECK_EQ_STR(c.path, path);
    CHECK_EQ_STR(slurp(path),
                 "# schema_version=1\n"
                 "# command=run --x with a newline\n"
                 "name,value,note\n"
                 "a,1,\n"
                 "\"b,c\",\"say \"\"hi\"\"\",\" edge \"\n"
                 "line break,2,\n");
}

static void csv_never_overwrites(void)
{
    sb_csv_t a, b, c;
    char path[256];
    CHECK_OK(sb_csv_create(&a, tmpdir, "same", NULL, 3, cols));
    CHECK_OK(sb_csv_row(&a, (const char *[]){"first", "1", "x"}));
    CHECK_OK(sb_csv_create(&b, tmpdir, "same", NULL, 3, cols));
    CHECK_OK(sb_csv_create(&c, tmpdir, "same", NULL, 3, cols));
    CHECK_EQ_STR(b.path, "");                 /* no file before a row */
    CHECK_OK(sb_csv_row(&b, (const char *[]){"second", "2", "y"}));
    CHECK_OK(sb_csv_row(&c, (const char *[]){"third", "3", "z"}));
    snprintf(path, sizeof path, "%s/same.2.csv", tmpdir);
    CHECK_EQ_STR(b.path, path);
    snprintf(path, sizeof path, "%s/same.3.csv", tmpdir);
    CHECK_EQ_STR(c.path, path);
    CHECK_OK(sb_csv_close(&a));
    CHECK_OK(sb_csv_close(&b));
    CHECK_OK(sb_csv_close(&c));
    snprintf(path, sizeof path, "%s/same.csv", tmpdir);
    CHECK_EQ_STR(slurp(path), "name,value,note\nfirst,1,x\n");
}

/* A run that ends before its first row leaves no file: not an empty one,
 * not one with only the metadata and the header. */
static void csv_no_row_no_file(void)
{
    sb_meta_t meta = {0};
    sb_csv_t c;
    char path[256];
    struct stat st;
    CHECK_OK(sb_meta_set(&meta, "schema_version", "2"));
    CHECK_OK(sb_csv_create(&c, tmpdir, "norow", &meta, 3, cols));
    snprintf(path, sizeof path, "%s/norow.csv", tmpdir);
    CHECK(stat(path, &st) != 0 && errno == ENOENT);
    CHECK_OK(sb_csv_close(&c));
    CHECK(stat(path, &st) != 0 && errno == ENOENT);
    CHECK_EQ_STR(c.path, "");
    CHECK_ERR(sb_csv_row(&c, (const char *[]){"late", "1", "x"}), -EBADF);
    CHECK(stat(path, &st) != 0 && errno == ENOENT);
}

/* sb_csv_row of a row too big for a file size limit of 1 KiB, which
 * makes write() fail part way, as a full disk does. SIGXFSZ keeps its
 * default action, which ends the process: sb_csv must hold it off, and
 * leave it neither pending nor blocked. */
static int row_past_a_full_disk(sb_csv_t *c)
{
    struct rlimit old, lim;
    sigset_t mask, pending;
    char big[3000];
    int rc;
    memset(big, 'x', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    CHECK(getrlimit(RLIMIT_FSIZE, &old) == 0);
    lim = old;
    lim.rlim_cur = 1024;
    CHECK(setrlimit(RLIMIT_FSIZE, &lim) == 0);
    rc = sb_csv_row(c, (const char *[]){"lost", big, "z"});
    CHECK(setrlimit(RLIMIT_FSIZE, &old) == 0);
    CHECK(sigprocmask(SIG_SETMASK, NULL, &mask) == 0);
    CHECK(!sigismember(&mask, SIGXFSZ));
    CHECK(sigpending(&pending) == 0);
    CHECK(!sigismember(&pending, SIGXFSZ));
    return rc;
}

/* The first row's write cannot be whole: no file is left, and a later row
 * that fits still makes it, with the header. */
static void csv_first_row_cannot_be_written(void)
{
    sb_csv_t c;
    char path[256];
    struct stat st;
    CHECK_OK(sb_csv_create(&c, tmpdir, "firstfull", NULL, 3, cols));
    CHECK_ERR(row_past_a_full_disk(&c), -EFBIG);
    snprintf(path, sizeof path, "%s/firstfull.csv", tmpdir);
    CHECK(stat(path, &st) != 0 && errno == ENOENT);
    CHECK_EQ_STR(c.path, "");
    CHECK_OK(sb_csv_row(&c, (const char *[]){"kept", "1", "y"}));
    CHECK_OK(sb_csv_close(&c));
    CHECK_EQ_STR(c.path, path);
    CHECK_EQ_STR(slurp(path), "name,value,note\nkept,1,y\n");
}

/* The first row holds off the terminating signals while it creates the
 * file, then gives the caller its signal mask back as it was: what the
 * caller blocked stays blocked, the rest unblocked. */
static void csv_first_row_restores_the_mask(void)
{
    sb_csv_t c;
    sigset_t term, before, after;
    sigemptyset(&term);
    sigaddset(&term, SIGTERM);
    CHECK(sigprocmask(SIG_BLOCK, &term, &before) == 0);
    CHECK_OK(sb_csv_create(&c, tmpdir, "mask", NULL, 3, cols));
    CHECK_OK(sb_csv_row(&c, (const char *[]){"a", "1", "x"}));
    CHECK(sigprocmask(SIG_SETMASK, &before, &after) == 0);
    CHECK(sigismember(&after, SIGTERM));
    CHECK(!sigismember(&after, SIGINT) && !sigismember(&after, SIGHUP));
    CHECK(!sigismember(&after, SIGXFSZ));
    CHECK_OK(sb_csv_close(&c));
}

static void csv_bad_folders(void)
{
    sb_csv_t c;
    char path[256];
    snprintf(path, sizeof path, "%s/missing", tmpdir);
    CHECK_ERR(sb_csv_create(&c, path, "x", NULL, 3, cols), -ENOENT);
    CHECK_ERR(sb_csv_create(&c, "/dev/null", "x", NULL, 3, cols), -ENOTDIR);
    CHECK_EQ_I(c.fd, -1);
}

/* A row that a full disk cuts part way is cut back off, leaving the file
 * as it was. */
static void csv_full_disk_keeps_the_file_valid(void)
{
    sb_csv_t c;
    char path[256];
    CHECK_OK(sb_csv_create(&c, tmpdir, "full", NULL, 3, cols));
    CHECK_OK(sb_csv_row(&c, (const char *[]){"kept", "1", "y"}));
    CHECK_ERR(row_past_a_full_disk(&c), -EFBIG);
    CHECK_OK(sb_csv_close(&c));
    snprintf(path, sizeof path, "%s/full.csv", tmpdir);
    CHECK_EQ_STR(slurp(path), "name,value,note\nkept,1,y\n");
}

/* ------------------------------------------------------------------------
 * Metadata and the guard
 * ------------------------------------------------------------------------ */

static void meta_and_run_id(void)
{
    sb_meta_t m;
    char id[64];
    char prog[] = "prog", flag[] = "--a";
    char *argv[] = {prog, flag, NULL};
    CHECK_OK(sb_meta_collect(&m, 2, argv));
    CHECK_EQ_STR(sb_meta_get(&m, "schema_version"), "1");
    CHECK_EQ_STR(sb_meta_get(&m, "command"), "prog --a");
    CHECK_EQ_STR(sb_meta_get(&m, "allocator"), mem_allocator_name());
    CHECK(sb_meta_get(&m, "nope") == NULL);
    CHECK_OK(sb_meta_set(&m, "date", "2026-11-26T23:01:02Z"));
    CHECK_OK(sb_meta_set(&m, "git_commit", "3f2a9c1deadbeef"));
    CHECK_OK(sb_meta_set(&m, "git_dirty", "true"));
    CHECK_OK(sb_run_id(&m, id, sizeof id));
    CHECK_EQ_STR(id, "20261126T230102Z_3f2a9c1-dirty");
    CHECK_OK(sb_meta_set(&m, "git_dirty", "false"));
    CHECK_OK(sb_run_id(&m, id, sizeof id));
    CHECK_EQ_STR(id, "20261126T230102Z_3f2a9c1");
    CHECK_ERR(sb_meta_set(&m, "", "x"), -EINVAL);
    CHECK_ERR(sb_meta_set(&m, "a_key_that_is_much_too_long_to_keep", "x"), -EINVAL);
}

static void guard(void)
{
    char reason[160];
    uint64_t avail;
    CHECK_OK(sb_guard(1 << 20, 64 << 20, reason, sizeof reason));
    CHECK_ERR(sb_guard(65 << 20, 64 << 20, reason, sizeof reason), -ENOMEM);
    CHECK_EQ_STR(reason, "needs about 65 MiB, over the memory budget of 64 MiB");
    CHECK_OK(mem_available(&avail));
    CHECK_ERR(sb_guard(avail, UINT64_MAX, reason, sizeof reason), -ENOMEM);
    CHECK(strstr(reason, "of memory available") != NULL);
}

/* ------------------------------------------------------------------------
 * The layers beneath: exact counters, a peak that cannot be measured
 * ------------------------------------------------------------------------ */

static void counting_allocator_is_exact(void)
{
    mem_counts_t c;
    void *a, *b;
    mem_counts_reset();
    CHECK_OK(mem_alloc(100, &a));
    CHECK_OK(mem_alloc_zeroed(5000, &b));
    CHECK_EQ_U(((unsigned char *)b)[4999], 0);
    mem_counts_get(&c);
    CHECK_EQ_U(c.allocs, 2);
    CHECK_EQ_U(c.bytes_requested, 5100);
    CHECK_EQ_U(c.bytes_reserved, mem_usable_size(a) + mem_usable_size(b));
    CHECK_EQ_I(c.live_bytes, (int64_t)c.bytes_reserved);
    CHECK_EQ_I(c.live_requested, 5100);
    mem_free(a, 100);
    mem_counts_get(&c);
    CHECK_EQ_U(c.frees, 1);
    CHECK_EQ_I(c.live_requested, 5000);
    CHECK_EQ_I(c.live_bytes, (int64_t)mem_usable_size(b));
    CHECK_EQ_I(c.peak_live_bytes, (int64_t)c.bytes_reserved);
    mem_free(b, 5000);
    mem_free(NULL, 0);
    mem_counts_get(&c);
    CHECK_EQ_I(c.live_bytes, 0);
    CHECK_ERR(mem_alloc(0, &a), -EINVAL);
    CHECK_ERR(mem_alloc((size_t)1 << 62, &a), -ENOMEM);   /* no such memory */
}

static void peak_missing_says_why(void)
{
    mem_peak_t pk;
    mem_peak_result_t r;
    CHECK_ERR(mem_peak_begin_at(&pk, "/nonexistent/clear_refs"), -ENOENT);
    CHECK_EQ_I(pk.ok, 0);
    CHECK_EQ_STR(pk.reason, "cannot reset the RSS high-water mark: open "
                 "/nonexistent/clear_refs: No such file or directory");
    CHECK_OK(mem_peak_end(&pk, &r));
    CHECK_EQ_I(r.has_peak, 0);     /* missing, not 0 and not the lifetime peak */
}

static void peak_present(void)
{
    mem_peak_t pk;
    mem_peak_result_t r;
    CHECK_OK(mem_peak_begin(&pk));
    CHECK_EQ_I(pk.ok, 1);
    CHECK_OK(mem_peak_end(&pk, &r));
    CHECK_EQ_I(r.has_peak, 1);
    CHECK(r.peak_delta >= 0);
}

/* The process's minor faults: touching 64 fresh 4 KiB pages of a mapping
 * kept off huge pages adds at least 64, and the count never goes back. */
static void minor_faults_count(void)
{
    size_t n = 64 * 4096, i;
    unsigned char *p = mmap(NULL, n, PROT_READ | PROT_WRITE,
                            MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    uint64_t before, after;
    CHECK(p != MAP_FAILED);
#ifdef MADV_NOHUGEPAGE
    (void)madvise(p, n, MADV_NOHUGEPAGE);
#endif
    before = mem_minor_faults();
    for (i = 0; i < n; i += 4096) p[i] = 1;
    after = mem_minor_faults();
    CHECK(before > 0);
    CHECK(after >= before + 64);
    munmap(p, n);
}

/* Huge-page advice: arguments, a range with no whole huge page, and one
 * with several (0, or -EOPNOTSUPP on a kernel without THP). */
static void advise_huge(void)
{
    size_t n = 8u << 20;
    void *p = mmap(NULL, n, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
                   -1, 0);
    int rc;
    CHECK(p != MAP_FAILED);
    CHECK_ERR(mem_advise_huge(NULL, 4096), -EINVAL);
    CHECK_ERR(mem_advise_huge((void *)(UINTPTR_MAX - 10), 4096), -EINVAL);
    rc = mem_advise_huge((char *)p + 1, 4096);
    CHECK(rc == 0 || rc == -EOPNOTSUPP);
    rc = mem_advise_huge(p, n);
    CHECK(rc == 0 || rc == -EOPNOTSUPP);
    munmap(p, n);
}

/* Blocks the caller carved out itself: counted as allocations, failed by
 * the switch; pages given back read as zeros and leave RSS. */
static void count_take_and_release(void)
{
    size_t n = 4u << 20;
    mem_counts_t mc;
    unsigned char *p = mmap(NULL, n, PROT_READ | PROT_WRITE,
                            MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    CHECK(p != MAP_FAILED);
    mem_counts_reset();
    CHECK_ERR(mem_count_take(0, 0), -EINVAL);
    CHECK_OK(mem_count_take(40000, 40960));
    mem_counts_get(&mc);
    CHECK_EQ_U(mc.allocs, 1);
    CHECK_EQ_I(mc.live_bytes, 40960);
    CHECK_EQ_I(mc.live_requested, 40000);
    mem_fail_arm(0);
    CHECK_ERR(mem_count_take(100, 4096), -ENOMEM);
    mem_counts_get(&mc);
    CHECK_EQ_I(mc.live_bytes, 40960);
    mem_count_give(40000, 40960);
    mem_counts_get(&mc);
    CHECK_EQ_U(mc.frees, 1);
    CHECK_EQ_I(mc.live_bytes, 0);
    CHECK_EQ_I(mc.live_requested, 0);
    mem_counts_reset();
    memset(p, 0xab, n);
    CHECK_ERR(mem_release_pages(NULL, 4096), -EINVAL);
    CHECK_ERR(mem_release_pages(p + 1, 4096), -EINVAL);
    CHECK_ERR(mem_release_pages(p, 100), -EINVAL);
    CHECK_OK(mem_release_pages(p + 8192, 3u << 20));       /* unaligned ends */
    CHECK_EQ_U(p[8191], 0xab);
    CHECK_EQ_U(p[8192], 0);
    CHECK_EQ_U(p[8192 + (3u << 20) - 1], 0);
    CHECK_EQ_U(p[8192 + (3u << 20)], 0xab);
    munmap(p, n);
}

int main(int argc, char **argv)
{
    static const check_case_t cases[] = {
        CHECK_CASE(count_take_and_release),
        CHECK_CASE(bytes_with_suffixes), CHECK_CASE(bad_bytes),
        CHECK_CASE(counts), CHECK_CASE(format_bytes),
        CHECK_CASE(csv_layout_and_quoting), CHECK_CASE(csv_never_overwrites),
        CHECK_CASE(csv_no_row_no_file), CHECK_CASE(csv_first_row_cannot_be_written),
        CHECK_CASE(csv_first_row_restores_the_mask), CHECK_CASE(csv_bad_folders),
        CHECK_CASE(csv_full_disk_keeps_the_file_valid),
        CHECK_CASE(meta_and_run_id), CHECK_CASE(guard),
        CHECK_CASE(counting_allocator_is_exact), CHECK_CASE(peak_missing_says_why),
        CHECK_CASE(peak_present), CHECK_CASE(advise_huge),
        CHECK_CASE(minor_faults_count),
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
