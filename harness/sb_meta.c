/* sb_meta.c -- run metadata (see sb.h, "Run metadata"). */
#include "sb.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "bm.h"

#ifndef SB_VERSION
#define SB_VERSION "unknown"
#endif
#ifndef SB_BUILD_TYPE
#define SB_BUILD_TYPE "unknown"
#endif
#ifndef SB_COMPILER
#define SB_COMPILER "unknown"
#endif
#ifndef SB_BENCHMARK_VERSION
#define SB_BENCHMARK_VERSION "unknown"
#endif

enum { SB_SCHEMA_VERSION = 1 };

int sb_meta_set(sb_meta_t *m, const char *key, const char *value)
{
    size_t i, klen = strlen(key);
    char *v;
    if (klen == 0 || klen >= SB_META_KEY) return -EINVAL;
    for (i = 0; i < m->n; i++)
        if (strcmp(m->key[i], key) == 0) break;
    if (i == m->n) {
        if (m->n == SB_META_MAX) return -ENOSPC;
        memcpy(m->key[i], key, klen + 1);
        m->n++;
    }
    v = m->value[i];
    snprintf(v, SB_META_VALUE, "%s", value ? value : "");
    for (; *v; v++)                   /* one line: a value never ends a line */
        if (*v == '\n' || *v == '\r') *v = ' ';
    return 0;
}

const char *sb_meta_get(const sb_meta_t *m, const char *key)
{
    size_t i;
    for (i = 0; i < m->n; i++)
        if (strcmp(m->key[i], key) == 0) return m->value[i];
    return NULL;
}

/* "model name : Intel(R) ..." from /proc/cpuinfo, or "unknown". */
static void cpu_model(char *buf, size_t n)
{
    char text[8192];
    ssize_t got;
    const char *p, *end;
    int fd = open("/proc/cpuinfo", O_RDONLY | O_CLOEXEC);
    snprintf(buf, n, "unknown");
    if (fd < 0) return;
    got = read(fd, text, sizeof text - 1);
    close(fd);
    if (got <= 0) return;
    text[got] = '\0';
    p = strstr(text, "model name");
    if (p == NULL || (p = strchr(p, ':')) == NULL) return;
    for (p++; *p == ' ' || *p == '\t'; p++) {
    }
    end = strchr(p, '\n');
    snprintf(buf, n, "%.*s", (int)(end ? end - p : (ptrdiff_t)strlen(p)), p);
}

int sb_meta_collect(sb_meta_t *m, int argc, char **argv)
{
    char buf[SB_META_VALUE];
    time_t now = time(NULL);
    struct tm tm;
    size_t used = 0;
    int i, rc = 0;

    m->n = 0;
    snprintf(buf, sizeof buf, "%d", SB_SCHEMA_VERSION);
    rc |= sb_meta_set(m, "schema_version", buf);
    gmtime_r(&now, &tm);
    strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
    rc |= sb_meta_set(m, "date", buf);
    rc |= sb_meta_set(m, "git_commit", sb_build_commit);
    rc |= sb_meta_set(m, "git_dirty", sb_build_dirty);
    if (gethostname(buf, sizeof buf) != 0) snprintf(buf, sizeof buf, "unknown");
    buf[sizeof buf - 1] = '\0';
    rc |= sb_meta_set(m, "host", buf);
    cpu_model(buf, sizeof buf);
    rc |= sb_meta_set(m, "cpu_model", buf);
    snprintf(buf, sizeof buf, "%ld", sysconf(_SC_NPROCESSORS_ONLN));
    rc |= sb_meta_set(m, "cpus", buf);
    rc |= sb_meta_set(m, "compiler", SB_COMPILER);
    rc |= sb_meta_set(m, "build_type", SB_BUILD_TYPE);
    rc |= sb_meta_set(m, "allocator", mem_allocator_name());
    rc |= sb_meta_set(m, "allocator_version", mem_allocator_version());
    snprintf(buf, sizeof buf, "%llu", (unsigned long long)mem_rss_precision());
    rc |= sb_meta_set(m, "rss_precision_bytes", buf);
    rc |= sb_meta_set(m, "slicebench_version", SB_VERSION);
    rc |= sb_meta_set(m, "benchmark_library_version", SB_BENCHMARK_VERSION);
    buf[0] = '\0';
    for (i = 0; i < argc && used + 1 < sizeof buf; i++) {
        int w = snprintf(buf + used, sizeof buf - used, "%s%s", i ? " " : "",
                         argv[i]);
        if (w < 0) break;
        used += (size_t)w;
    }
    rc |= sb_meta_set(m, "command", buf);
    return rc ? -ENOSPC : 0;
}

int sb_meta_to_context(const sb_meta_t *m)
{
    size_t i;
    for (i = 0; i < m->n; i++) {
        int rc = bm_add_context(m->key[i], m->value[i]);
        if (rc) return rc;
    }
    return 0;
}

int sb_run_id(const sb_meta_t *m, char *buf, size_t n)
{
    const char *date = sb_meta_get(m, "date");
    const char *commit = sb_meta_get(m, "git_commit");
    const char *dirty = sb_meta_get(m, "git_dirty");
    char compact[32];
    size_t j = 0;
    int w;
    if (date == NULL || commit == NULL) return -EINVAL;
    for (; *date && j + 1 < sizeof compact; date++)   /* drop '-' and ':' */
        if (*date != '-' && *date != ':') compact[j++] = *date;
    compact[j] = '\0';
    w = snprintf(buf, n, "%s_%.7s%s", compact, commit,
                 dirty && strcmp(dirty, "true") == 0 ? "-dirty" : "");
    return (w < 0 || (size_t)w >= n) ? -ENOSPC : 0;
}
