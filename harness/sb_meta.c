/* sb_meta.c -- run metadata (see sb.h, "Run metadata"). */
#include "sb.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "bm.h"
#include "bm_flags.h"

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
    sb_text_clean(value, v, SB_META_VALUE);   /* one line of valid UTF-8 */
    return 0;
}

const char *sb_meta_get(const sb_meta_t *m, const char *key)
{
    size_t i;
    for (i = 0; i < m->n; i++)
        if (strcmp(m->key[i], key) == 0) return m->value[i];
    return NULL;
}

/* The start of root/path, up to n - 1 bytes, NUL-terminated in buf: 0, or
 * -1 when it cannot be read or is empty (buf then unspecified). */
static int read_head(const char *root, const char *path, char *buf, size_t n)
{
    char full[4096];
    ssize_t got;
    int fd;
    if (snprintf(full, sizeof full, "%s%s", root, path) >= (int)sizeof full) return -1;
    fd = open(full, O_RDONLY | O_CLOEXEC);
    if (fd < 0) return -1;
    got = read(fd, buf, n - 1);
    close(fd);
    if (got <= 0) return -1;
    buf[got] = '\0';
    return 0;
}

/* "model name : Intel(R) ..." from /proc/cpuinfo, or "unknown". */
static void cpu_model(char *buf, size_t n)
{
    char text[8192];
    const char *p, *end;
    snprintf(buf, n, "unknown");
    if (read_head("", "/proc/cpuinfo", text, sizeof text) != 0) return;
    p = strstr(text, "model name");
    if (p == NULL || (p = strchr(p, ':')) == NULL) return;
    for (p++; *p == ' ' || *p == '\t'; p++) {
    }
    end = strchr(p, '\n');
    snprintf(buf, n, "%.*s", (int)(end ? end - p : (ptrdiff_t)strlen(p)), p);
}

/* The value of "key:" in root/path (a /proc status file), without its
 * leading blanks and newline, or "unknown". */
static void status_value(const char *root, const char *path, const char *key,
                         char *buf, size_t n)
{
    char text[8192], *p;
    size_t klen = strlen(key);
    snprintf(buf, n, "unknown");
    if (read_head(root, path, text, sizeof text) != 0) return;
    for (p = text; *p != '\0'; p += strcspn(p, "\n") + (p[strcspn(p, "\n")] != '\0')) {
        if (strncmp(p, key, klen) != 0 || p[klen] != ':') continue;
        for (p += klen + 1; *p == ' ' || *p == '\t'; p++) {
        }
        snprintf(buf, n, "%.*s", (int)strcspn(p, "\n"), p);
        return;
    }
}

/* The first line of root/path, without its newline, or "unknown". */
static void first_line(const char *root, const char *path, char *buf, size_t n)
{
    if (read_head(root, path, buf, n) != 0) {
        snprintf(buf, n, "unknown");
        return;
    }
    buf[strcspn(buf, "\n")] = '\0';
}

/* Append ", text" (or text, first) to the warnings line w. */
static void warn(char *w, size_t n, const char *text)
{
    size_t used = strlen(w);
    snprintf(w + used, n - used, "%s%s", used ? ", " : "", text);
}

int sb_meta_machine(sb_meta_t *m, const char *root)
{
    char aslr[64], gov[256], boost[64], thp[128], load[64], lib[32];
    char path[128], one[64], w[SB_META_VALUE] = "", text[160];
    const char *build = sb_meta_get(m, "build_type");
    long cpu, cpus = sysconf(_SC_NPROCESSORS_CONF);
    double load1;
    int rc = 0;

    first_line(root, "/proc/sys/kernel/randomize_va_space", aslr, sizeof aslr);
    if (strcmp(aslr, "unknown") != 0 && strcmp(aslr, "0") != 0) {
        snprintf(text, sizeof text, "ASLR on (randomize_va_space=%s)", aslr);
        warn(w, sizeof w, text);
    }

    /* every CPU's governor; distinct values joined by '/' */
    gov[0] = '\0';
    for (cpu = 0; cpu < (cpus > 0 ? cpus : 1) && cpu < 4096; cpu++) {
        snprintf(path, sizeof path,
                 "/sys/devices/system/cpu/cpu%ld/cpufreq/scaling_governor", cpu);
        first_line(root, path, one, sizeof one);
        if (strcmp(one, "unknown") == 0) continue;
        if (strstr(gov, one) == NULL) {
            size_t used = strlen(gov);
            snprintf(gov + used, sizeof gov - used, "%s%s", used ? "/" : "", one);
        }
    }
    if (gov[0] == '\0') {
        /* no cpufreq at all (most VMs): the host decides, nothing to read */
        snprintf(path, sizeof path, "%s/sys/devices/system/cpu/cpu0/cpufreq", root);
        snprintf(gov, sizeof gov, access(path, F_OK) == 0 ? "unknown" : "none");
    } else if (strcmp(gov, "performance") != 0) {
        snprintf(text, sizeof text, "CPU governor %s (not performance)", gov);
        warn(w, sizeof w, text);
    }

    first_line(root, "/sys/devices/system/cpu/cpufreq/boost", one, sizeof one);
    if (strcmp(one, "unknown") != 0) {
        snprintf(boost, sizeof boost, "%s", strcmp(one, "0") == 0 ? "off" : "on");
    } else {
        first_line(root, "/sys/devices/system/cpu/intel_pstate/no_turbo", one, sizeof one);
        snprintf(boost, sizeof boost, "%s", strcmp(one, "unknown") == 0 ? "unknown"
                 : strcmp(one, "0") == 0 ? "on" : "off");
    }
    if (strcmp(boost, "on") == 0) warn(w, sizeof w, "CPU boost on");

    /* "always [madvise] never": the bracketed one */
    first_line(root, "/sys/kernel/mm/transparent_hugepage/enabled", text, sizeof text);
    {
        const char *open_b = strchr(text, '['), *close_b = open_b ? strchr(open_b, ']') : NULL;
        if (open_b && close_b)
            snprintf(thp, sizeof thp, "%.*s", (int)(close_b - open_b - 1), open_b + 1);
        else
            snprintf(thp, sizeof thp, "unknown");
    }
    /* a process can have them off whatever the system's mode: prctl's
     * PR_SET_THP_DISABLE, which its children inherit (scripts/gc-vs-go
     * --thp=off) */
    status_value(root, "/proc/self/status", "THP_enabled", one, sizeof one);
    if (strcmp(one, "0") == 0) {
        snprintf(text, sizeof text, "never (off for this process; system %s)", thp);
        snprintf(thp, sizeof thp, "%s", text);
    } else if (strcmp(thp, "always") == 0) {
        warn(w, sizeof w, "transparent huge pages always (RSS moves in 2 MiB steps)");
    }

    first_line(root, "/proc/loadavg", text, sizeof text);
    if (sscanf(text, "%lf", &load1) == 1) {
        snprintf(load, sizeof load, "%.2f", load1);
        if (load1 >= 1.0) {
            snprintf(text, sizeof text, "load average %.2f (other work shares the CPUs)",
                     load1);
            warn(w, sizeof w, text);
        }
    } else {
        snprintf(load, sizeof load, "unknown");
    }

    if (build && strcmp(build, "Release") != 0) {
        snprintf(text, sizeof text, "slicebench built as %s, not Release", build);
        warn(w, sizeof w, text);
    }
    bm_library_build_type(lib, sizeof lib);
    if (strcmp(lib, "release") != 0) {
        snprintf(text, sizeof text, "Google Benchmark library built as %s", lib);
        warn(w, sizeof w, text);
    }

    rc |= sb_meta_set(m, "aslr", aslr);
    rc |= sb_meta_set(m, "cpufreq_governor", gov);
    rc |= sb_meta_set(m, "cpu_boost", boost);
    rc |= sb_meta_set(m, "thp_enabled", thp);
    rc |= sb_meta_set(m, "loadavg_1m", load);
    rc |= sb_meta_set(m, "benchmark_library_build_type", lib);
    rc |= sb_meta_set(m, "machine_warnings", w);
    return rc ? -ENOSPC : 0;
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
    rc |= sb_meta_machine(m, "");
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
