/* fuzz_replay.c -- runs every file of a corpus folder through the fuzz
 * target's interpreter, without libFuzzer:
 *
 *     fuzz_gs_replay CORPUS_DIR [test name]
 *
 * A failing file is run once more with a trace of its operations on
 * stderr. With no file in the folder the test fails (a missing corpus must
 * not pass silently). */
#define _POSIX_C_SOURCE 200809L
#include "check.h"
#include "gs_ops.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static const char *corpus_dir;

static int by_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The whole file at path, malloc'd (at least one byte allocated). */
static unsigned char *slurp(const char *path, size_t *n)
{
    FILE *f = fopen(path, "rb");
    unsigned char *buf = NULL;
    size_t len = 0, cap = 0, got;
    if (f == NULL) return NULL;
    do {
        if (len == cap) {
            unsigned char *p = realloc(buf, cap = cap ? 2 * cap : 4096);
            if (p == NULL) { free(buf); fclose(f); return NULL; }
            buf = p;
        }
        got = fread(buf + len, 1, cap - len, f);
        len += got;
    } while (got > 0);
    fclose(f);
    *n = len;
    return buf;
}

static void corpus_replays(void)
{
    DIR *d = opendir(corpus_dir);
    struct dirent *e;
    char **names = NULL, path[4096];
    size_t n = 0, cap = 0, i, failed = 0;
    gs_ops_stats_t st = { 0, 0, 0, 0 };
    if (d == NULL) CHECK_FAIL_("cannot open %s: %s", corpus_dir, strerror(errno));
    while ((e = readdir(d)) != NULL) {
        struct stat sb;
        if (e->d_name[0] == '.') continue;
        snprintf(path, sizeof path, "%s/%s", corpus_dir, e->d_name);
        if (stat(path, &sb) != 0 || !S_ISREG(sb.st_mode)) continue;
        if (n == cap) {
            char **p = realloc(names, (cap = cap ? 2 * cap : 64) * sizeof *p);
            if (p == NULL) break;
            names = p;
        }
        names[n] = strdup(e->d_name);
        if (names[n] != NULL) n++;
    }
    closedir(d);
    qsort(names, n, sizeof *names, by_name);
    for (i = 0; i < n; i++) {
        char why[512];
        size_t len = 0;
        unsigned char *buf;
        snprintf(path, sizeof path, "%s/%s", corpus_dir, names[i]);
        buf = slurp(path, &len);
        if (buf == NULL) {
            fprintf(stderr, "%s: cannot read\n", path);
            failed++;
        } else if (gs_ops_run(buf, len, 0, &st, why, sizeof why) != 0) {
            fprintf(stderr, "%s: %s\ntrace:\n", path, why);
            (void)gs_ops_run(buf, len, 1, NULL, why, sizeof why);
            failed++;
        }
        free(buf);
        free(names[i]);
    }
    free(names);
    printf("     %zu files, %llu operations (%llu errors expected and seen, "
           "%llu reallocations, %llu allocation failures)\n", n,
           (unsigned long long)st.ops, (unsigned long long)st.errors,
           (unsigned long long)st.grows, (unsigned long long)st.nomem);
    CHECK(n > 0);
    CHECK_EQ_U(failed, 0);
}

int main(int argc, char **argv)
{
    static const check_case_t cases[] = { CHECK_CASE(corpus_replays) };
    return check_main_input(argc, argv, cases, CHECK_COUNT(cases), &corpus_dir,
                            "CORPUS_DIR");
}
