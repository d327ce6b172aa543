/* mem_peak.c -- peak RSS and page faults over one run (see mem.h, "Process
 * memory").
 *
 * Reads /proc with open/read into stack buffers: no stdio, no malloc, so
 * measuring does not itself move the figures it measures.
 */
#include "mem.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

/* Read a whole small /proc file into buf (NUL-terminated). */
static int read_proc(const char *path, char *buf, size_t bufsz)
{
    size_t used = 0;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) return -errno;
    while (used + 1 < bufsz) {
        ssize_t got = read(fd, buf + used, bufsz - 1 - used);
        if (got < 0) {
            int err = errno;
            if (err == EINTR) continue;
            close(fd);
            return -err;
        }
        if (got == 0) break;
        used += (size_t)got;
    }
    buf[used] = '\0';
    close(fd);
    return 0;
}

/* The value of "key:   123 kB" in a /proc file, in bytes. */
static int field_kib(const char *text, const char *key, int64_t *bytes)
{
    size_t klen = strlen(key);
    const char *p = text;
    while ((p = strstr(p, key)) != NULL) {
        if ((p == text || p[-1] == '\n') && p[klen] == ':') {
            char *end;
            long long kib = strtoll(p + klen + 1, &end, 10);
            if (end == p + klen + 1 || kib < 0) return -EINVAL;
            *bytes = (int64_t)kib * 1024;
            return 0;
        }
        p += klen;
    }
    return -ENOENT;
}

uint64_t mem_rss_precision(void)
{
    long cpus = sysconf(_SC_NPROCESSORS_CONF), page = sysconf(_SC_PAGESIZE);
    uint64_t batch;
    if (cpus < 1) cpus = 1;
    if (page < 1) page = 4096;
    batch = (uint64_t)cpus * 2 > 32 ? (uint64_t)cpus * 2 : 32;
    return 2 * batch * (uint64_t)cpus * (uint64_t)page;  /* two reads */
}

int mem_rss_now(int64_t *rss, int64_t *hwm)
{
    char buf[4096];
    int rc = read_proc("/proc/self/status", buf, sizeof buf);
    if (rc == 0 && rss) rc = field_kib(buf, "VmRSS", rss);
    if (rc == 0 && hwm) rc = field_kib(buf, "VmHWM", hwm);
    return rc;
}

int mem_available(uint64_t *bytes)
{
    char buf[8192];
    int64_t v;
    int rc = read_proc("/proc/meminfo", buf, sizeof buf);
    if (rc == 0) rc = field_kib(buf, "MemAvailable", &v);
    if (rc == 0) *bytes = (uint64_t)v;
    return rc;
}

static void faults_now(uint64_t *minflt, uint64_t *majflt)
{
    struct rusage ru;
    if (getrusage(RUSAGE_SELF, &ru) != 0) {
        *minflt = *majflt = 0;
        return;
    }
    *minflt = (uint64_t)ru.ru_minflt;
    *majflt = (uint64_t)ru.ru_majflt;
}

uint64_t mem_minor_faults(void)
{
    uint64_t minflt, majflt;
    faults_now(&minflt, &majflt);
    return minflt;
}

/* Writing "5" to clear_refs resets VmHWM to the current RSS (Linux >= 4.0). */
static int reset_hwm(const char *path, char *reason, size_t n)
{
    int fd = open(path, O_WRONLY | O_CLOEXEC);
    int err;
    if (fd < 0) {
        err = errno;
        snprintf(reason, n, "cannot reset the RSS high-water mark: "
                 "open %s: %s", path, strerror(err));
        return -err;
    }
    if (write(fd, "5", 1) != 1) {
        err = errno ? errno : EIO;
        close(fd);
        snprintf(reason, n, "cannot reset the RSS high-water mark: "
                 "write 5 to %s: %s (kernel older than 4.0?)", path,
                 strerror(err));
        return -err;
    }
    close(fd);
    return 0;
}

int mem_peak_begin(mem_peak_t *pk)
{
    return mem_peak_begin_at(pk, "/proc/self/clear_refs");
}

int mem_peak_begin_at(mem_peak_t *pk, const char *clear_refs)
{
    int rc;
    memset(pk, 0, sizeof *pk);
    rc = reset_hwm(clear_refs, pk->reason, sizeof pk->reason);
    pk->ok = rc == 0;
    faults_now(&pk->minflt_begin, &pk->majflt_begin);
    if (mem_rss_now(&pk->rss_begin, NULL) != 0 && pk->ok) {
        pk->ok = 0;
        snprintf(pk->reason, sizeof pk->reason,
                 "cannot read VmRSS from /proc/self/status");
        rc = -EIO;
    }
    return rc;
}

int mem_peak_end(const mem_peak_t *pk, mem_peak_result_t *out)
{
    int64_t rss = 0, hwm = 0;
    uint64_t minflt, majflt;
    int rc = mem_rss_now(&rss, &hwm);
    faults_now(&minflt, &majflt);
    memset(out, 0, sizeof *out);
    out->minor_faults = minflt - pk->minflt_begin;
    out->major_faults = majflt - pk->majflt_begin;
    if (rc != 0) return rc;
    out->rss_end_delta = rss - pk->rss_begin;
    if (pk->ok) {
        out->has_peak = 1;
        out->peak_delta = hwm - pk->rss_begin;
    }
    return 0;
}
