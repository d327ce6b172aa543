/* sb_guard.c -- the memory guard (see sb.h, "Memory guard"). */
#include "sb.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

/* Read root/path (at most n-1 bytes) into buf; -errno when it cannot be. */
static int read_text(const char *root, const char *path, char *buf, size_t n)
{
    char full[PATH_MAX];
    ssize_t got;
    int fd;
    if (snprintf(full, sizeof full, "%s%s", root, path) >= (int)sizeof full)
        return -ENAMETOOLONG;
    fd = open(full, O_RDONLY | O_CLOEXEC);
    if (fd < 0) return -errno;
    got = read(fd, buf, n - 1);
    close(fd);
    if (got < 0) return -EIO;
    buf[got] = '\0';
    return 0;
}

/* A file holding one decimal number; -ERANGE for "max" (no limit). */
static int read_number(const char *root, const char *path, uint64_t *out)
{
    char text[64], *end;
    int rc = read_text(root, path, text, sizeof text);
    if (rc) return rc;
    if (strncmp(text, "max", 3) == 0) return -ERANGE;
    errno = 0;
    *out = strtoull(text, &end, 10);
    if (end == text || errno) return -EINVAL;
    return 0;
}

/* The number after "key" (followed by a space or ':') at a line's start
 * in text, times unit; -ENOENT when absent. */
static int keyed_number(const char *text, const char *key, uint64_t unit,
                        uint64_t *out)
{
    size_t len = strlen(key);
    const char *p = text;
    for (; p && *p; p = strchr(p, '\n'), p = p ? p + 1 : NULL) {
        char *end;
        if (strncmp(p, key, len) != 0 || (p[len] != ' ' && p[len] != ':')) continue;
        p += len + 1;
        while (*p == ' ' || *p == ':' || *p == '\t') p++;
        *out = strtoull(p, &end, 10);
        if (end == p) return -EINVAL;
        if (*out > UINT64_MAX / unit) return -EOVERFLOW;  /* overflow check */
        *out *= unit;
        return 0;
    }
    return -ENOENT;
}

/* One cgroup level: limit - (usage - inactive file cache), into *left.
 * 0 with a limit, -ERANGE without one, or -errno. */
static int cgroup_left(const char *root, const char *dir, const char *limit_file,
                       const char *usage_file, const char *inactive_key,
                       uint64_t *left)
{
    char path[PATH_MAX + 32], stat_text[8192];   /* dir fits PATH_MAX */
    uint64_t limit, usage, inactive = 0;
    int rc;
    snprintf(path, sizeof path, "%s/%s", dir, limit_file);
    if ((rc = read_number(root, path, &limit)) != 0) return rc;
    snprintf(path, sizeof path, "%s/%s", dir, usage_file);
    if ((rc = read_number(root, path, &usage)) != 0) return rc;
    snprintf(path, sizeof path, "%s/memory.stat", dir);
    if (read_text(root, path, stat_text, sizeof stat_text) == 0)
        keyed_number(stat_text, inactive_key, 1, &inactive);
    if (inactive > usage) inactive = usage;
    usage -= inactive;
    *left = limit > usage ? limit - usage : 0;
    return 0;
}

/* Walk from the cgroup at rel (under mount) up to the mount's root, and
 * lower *best to the least headroom found, naming it in which. */
static void cgroup_walk(const char *root, const char *mount, const char *rel,
                        int v2, uint64_t *best, char *which, size_t n)
{
    char path[PATH_MAX], cg[PATH_MAX];
    const char *limit = v2 ? "memory.max" : "memory.limit_in_bytes";
    snprintf(cg, sizeof cg, "%s", rel);
    for (;;) {
        uint64_t left;
        char *slash;
        size_t len = strlen(cg);
        while (len > 1 && cg[len - 1] == '/') cg[--len] = '\0';
        snprintf(path, sizeof path, "%s%s", mount, strcmp(cg, "/") == 0 ? "" : cg);
        if (cgroup_left(root, path, limit,
                        v2 ? "memory.current" : "memory.usage_in_bytes",
                        v2 ? "inactive_file" : "total_inactive_file", &left) == 0 &&
            left < *best) {
            *best = left;
            snprintf(which, n, "cgroup %s %s of %s", v2 ? "v2" : "v1", limit,
                     cg[0] ? cg : "/");
        }
        slash = strrchr(cg, '/');
        if (slash == NULL || strcmp(cg, "/") == 0 || cg[0] == '\0') break;
        if (slash == cg) slash[1] = '\0';
        else *slash = '\0';
    }
}

int sb_memory_headroom(const char *root, uint64_t *bytes, char *which, size_t n)
{
    char text[16384];
    char *line, *save = NULL;
    uint64_t avail;
    if (read_text(root, "/proc/meminfo", text, sizeof text) != 0 ||
        keyed_number(text, "MemAvailable", 1024, &avail) != 0)
        return -ENOENT;
    avail -= avail / 8;   /* the reserve for everything else */
    *bytes = avail;
    snprintf(which, n, "MemAvailable");
    if (read_text(root, "/proc/self/cgroup", text, sizeof text) != 0) return 0;
    /* "0::/path" (v2), "N:memory:/path" or "N:cpu,memory:/path" (v1) */
    for (line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
        char *ctl = strchr(line, ':'), *rel;
        if (ctl == NULL || (rel = strchr(ctl + 1, ':')) == NULL) continue;
        *rel++ = '\0';
        ctl++;
        if (*ctl == '\0') {
            /* v2 alone is mounted at /sys/fs/cgroup; beside v1 ("hybrid")
             * at /sys/fs/cgroup/unified */
            cgroup_walk(root, "/sys/fs/cgroup", rel, 1, bytes, which, n);
            cgroup_walk(root, "/sys/fs/cgroup/unified", rel, 1, bytes, which, n);
        } else {
            char *c, *csave = NULL;
            for (c = strtok_r(ctl, ",", &csave); c; c = strtok_r(NULL, ",", &csave))
                if (strcmp(c, "memory") == 0)
                    cgroup_walk(root, "/sys/fs/cgroup/memory", rel, 0, bytes, which, n);
        }
    }
    return 0;
}

/* What the process's own limits leave: RLIMIT_AS less its address space
 * (VmSize), RLIMIT_DATA less its data (VmData), the lesser when both are
 * set; UINT64_MAX when neither is. which names the one that decides. */
static uint64_t rlimit_left(char *which, size_t n)
{
    static const struct { int resource; const char *key, *name; } lim[] = {
        {RLIMIT_AS, "VmSize", "RLIMIT_AS, the address space limit"},
        {RLIMIT_DATA, "VmData", "RLIMIT_DATA, the data size limit"},
    };
    char text[16384];
    uint64_t left = UINT64_MAX, used;
    size_t i;
    int have_status = -1;    /* /proc/self/status: read once, if a limit is set */
    for (i = 0; i < sizeof lim / sizeof lim[0]; i++) {
        struct rlimit rl;
        uint64_t here;
        if (getrlimit(lim[i].resource, &rl) != 0 || rl.rlim_cur == RLIM_INFINITY) continue;
        if (have_status < 0)
            have_status = read_text("", "/proc/self/status", text, sizeof text) == 0;
        used = 0;
        if (have_status) (void)keyed_number(text, lim[i].key, 1024, &used);
        here = (uint64_t)rl.rlim_cur > used ? (uint64_t)rl.rlim_cur - used : 0;
        if (here < left) {
            left = here;
            snprintf(which, n, "%s", lim[i].name);
        }
    }
    return left;
}

int sb_guard_prepared(uint64_t expected_peak, uint64_t prepare_bytes,
                      uint64_t budget, char *reason, size_t n)
{
    char need[32], have[32], which[PATH_MAX];
    uint64_t avail, total;
    if (expected_peak > UINT64_MAX - prepare_bytes) {   /* overflow check */
        snprintf(reason, n, "needs more memory than can be counted");
        return -ENOMEM;
    }
    total = expected_peak + prepare_bytes;
    sb_format_bytes(total, need, sizeof need);
    if (total > budget) {
        sb_format_bytes(budget, have, sizeof have);
        snprintf(reason, n, "needs about %s, over the memory budget of %s",
                 need, have);
        return -ENOMEM;
    }
    if (sb_memory_headroom("", &avail, which, sizeof which) != 0) {
        snprintf(reason, n, "cannot read MemAvailable from /proc/meminfo");
        return -ENOMEM;
    }
    if (total > avail) {
        sb_format_bytes(avail, have, sizeof have);
        snprintf(reason, n, "needs about %s, only %s of memory available (%s)",
                 need, have, which);
        return -ENOMEM;
    }
    if (total > (avail = rlimit_left(which, sizeof which))) {
        sb_format_bytes(avail, have, sizeof have);
        snprintf(reason, n, "needs about %s, only %s left under %s", need, have, which);
        return -ENOMEM;
    }
    return 0;
}

int sb_guard(uint64_t expected_peak, uint64_t budget, char *reason, size_t n)
{
    return sb_guard_prepared(expected_peak, 0, budget, reason, n);
}
