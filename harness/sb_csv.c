/* sb_csv.c -- the results CSV (see sb.h, "Results CSV"). */
#include "sb.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* A growable byte buffer for one write. */
typedef struct buf_s {
    char *p;
    size_t len, cap;
    int failed;
} buf_t;

static void buf_put(buf_t *b, const char *s, size_t n)
{
    if (b->failed) return;
    if (n > SIZE_MAX - b->len - 1) {          /* overflow check */
        b->failed = 1;
        return;
    }
    if (b->len + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 256;
        char *p;
        while (cap < b->len + n + 1) {
            if (cap > SIZE_MAX / 2) {         /* overflow check */
                b->failed = 1;
                return;
            }
            cap *= 2;
        }
        p = realloc(b->p, cap);
        if (p == NULL) {
            b->failed = 1;
            return;
        }
        b->p = p;
        b->cap = cap;
    }
    memcpy(b->p + b->len, s, n);
    b->len += n;
    b->p[b->len] = '\0';
}

static void buf_str(buf_t *b, const char *s)
{
    buf_put(b, s, strlen(s));
}

/* One cell: valid UTF-8 on one line (sb_text_clean), '#' as "%23" (a
 * reader drops the rest of a line after '#'), quoted when it holds a comma,
 * a quote or edge spaces. */
static void buf_cell(buf_t *b, const char *s)
{
    size_t n = s ? strlen(s) : 0, i;
    char *clean;
    int quote;
    if (n > (SIZE_MAX - 1) / 4) {         /* overflow check: \xHH is 4 bytes */
        b->failed = 1;
        return;
    }
    clean = malloc(4 * n + 1);
    if (clean == NULL) {
        b->failed = 1;
        return;
    }
    sb_text_clean(s, clean, 4 * n + 1);
    n = strlen(clean);
    quote = n > 0 && (clean[0] == ' ' || clean[n - 1] == ' ');
    for (i = 0; i < n && !quote; i++)
        quote = clean[i] == ',' || clean[i] == '"';
    if (quote) buf_put(b, "\"", 1);
    for (i = 0; i < n; i++) {
        if (clean[i] == '#') {
            buf_put(b, "%23", 3);
            continue;
        }
        if (clean[i] == '"') buf_put(b, "\"", 1);
        buf_put(b, &clean[i], 1);
    }
    if (quote) buf_put(b, "\"", 1);
    free(clean);
}

/* Write all of b, or cut the file back to what it held and fail. A file
 * size limit fails the write with EFBIG instead of ending the process by
 * SIGXFSZ, which would leave half a row: the signal is held off meanwhile
 * and, if the write raised it, taken back. */
static int write_all(sb_csv_t *c, const buf_t *b)
{
    sigset_t xfsz, old;
    size_t done = 0;
    int err = 0;
    sigemptyset(&xfsz);
    sigaddset(&xfsz, SIGXFSZ);
    sigprocmask(SIG_BLOCK, &xfsz, &old);
    while (done < b->len) {
        ssize_t w = write(c->fd, b->p + done, b->len - done);
        if (w < 0 && errno == EINTR) continue;
        if (w <= 0) {
            err = w < 0 ? errno : EIO;
            if (ftruncate(c->fd, c->size) != 0) {
                /* the file may now end in half a row; nothing more to try */
            }
            break;
        }
        done += (size_t)w;
    }
    if (err == EFBIG && !sigismember(&old, SIGXFSZ)) {
        const struct timespec now = {0, 0};
        (void)sigtimedwait(&xfsz, NULL, &now);    /* the limit's signal */
    }
    sigprocmask(SIG_SETMASK, &old, NULL);
    if (err) return -err;
    c->size += (off_t)b->len;
    return 0;
}

int sb_csv_path_fits(const char *dir, size_t stem_len)
{
    /* "dir" "/" stem ".999.csv" NUL, plus the margin; sizes are small
     * (dir is a C string, stem_len a name), so no sum can overflow */
    size_t need = strlen(dir) + 1 + stem_len + sizeof ".999.csv" + SB_PATH_MARGIN;
    if (stem_len > NAME_MAX - sizeof ".999.csv" || need > PATH_MAX ||
        need > sizeof ((sb_csv_t *)0)->path)
        return -ENAMETOOLONG;
    return 0;
}

int sb_default_results_dir(char *buf, size_t n)
{
    char exe[PATH_MAX], probe[PATH_MAX + 32];
    struct stat st;
    ssize_t len = readlink("/proc/self/exe", exe, sizeof exe - 1);
    int up;
    if (len > 0) {
        exe[len] = '\0';
        /* <checkout>/<build>/<folder>/<program>: three names off the end */
        for (up = 0; up < 3; up++) {
            char *slash = strrchr(exe, '/');
            if (slash == NULL || slash == exe) break;
            *slash = '\0';
        }
        if (up == 3 &&
            snprintf(probe, sizeof probe, "%s/CMakeLists.txt", exe) < (int)sizeof probe &&
            stat(probe, &st) == 0 && S_ISREG(st.st_mode) &&
            snprintf(probe, sizeof probe, "%s/results", exe) < (int)sizeof probe &&
            stat(probe, &st) == 0 && S_ISDIR(st.st_mode)) {
            if (strlen(probe) >= n) return -ENAMETOOLONG;
            memcpy(buf, probe, strlen(probe) + 1);
            return 0;
        }
    }
    if (n < sizeof "results") return -ENAMETOOLONG;
    memcpy(buf, "results", sizeof "results");
    return 0;
}

int sb_csv_dir_writable(const char *dir)
{
    char probe[PATH_MAX];
    int fd;
    if (snprintf(probe, sizeof probe, "%s/.slicebench-probe-XXXXXX", dir) >=
        (int)sizeof probe)
        return -ENAMETOOLONG;
    if ((fd = mkstemp(probe)) < 0) return -errno;
    close(fd);
    unlink(probe);
    return 0;
}

int sb_csv_create(sb_csv_t *c, const char *dir, const char *stem,
                  const sb_meta_t *meta, size_t ncols,
                  const char *const cols[])
{
    struct stat st;
    buf_t b = {0};
    size_t i;
    int w;

    c->fd = -1;
    c->ncols = ncols;
    c->size = 0;
    c->head = NULL;
    c->head_len = 0;
    c->path[0] = '\0';
    if (stat(dir, &st) != 0) return -errno;
    if (!S_ISDIR(st.st_mode)) return -ENOTDIR;
    if (strlen(stem) > NAME_MAX - (sizeof ".999.csv" - 1)) return -ENAMETOOLONG;
    w = snprintf(c->base, sizeof c->base, "%s/%s", dir, stem);
    if (w < 0 || (size_t)w + sizeof ".999.csv" > sizeof c->path) return -ENAMETOOLONG;
    /* fail before the run, not at its first row */
    if ((w = sb_csv_dir_writable(dir)) != 0) return w;

    for (i = 0; meta && i < meta->n; i++) {
        buf_str(&b, "# ");
        buf_str(&b, meta->key[i]);
        buf_str(&b, "=");
        buf_str(&b, meta->value[i]);
        buf_str(&b, "\n");
    }
    for (i = 0; i < ncols; i++) {
        if (i) buf_put(&b, ",", 1);
        buf_cell(&b, cols[i]);
    }
    buf_put(&b, "\n", 1);
    if (b.failed) {
        free(b.p);
        return -ENOMEM;
    }
    c->head = b.p;
    c->head_len = b.len;
    return 0;
}

/* Create the file under the first free name and write b (the header and
 * the first row) into it in one go. The signals that end a run by default
 * are held off from open to write, so no interrupted run leaves a file
 * without its first row; a file that cannot be written whole is removed. */
static int create_with(sb_csv_t *c, const buf_t *b)
{
    sigset_t stop, old;
    int attempt, rc;

    sigemptyset(&stop);
    sigaddset(&stop, SIGINT);
    sigaddset(&stop, SIGTERM);
    sigaddset(&stop, SIGHUP);
    sigaddset(&stop, SIGQUIT);
    sigaddset(&stop, SIGPIPE);
    sigprocmask(SIG_BLOCK, &stop, &old);
    for (attempt = 1; attempt < 1000; attempt++) {
        if (attempt == 1)
            snprintf(c->path, sizeof c->path, "%s.csv", c->base);
        else
            snprintf(c->path, sizeof c->path, "%s.%d.csv", c->base, attempt);
        c->fd = open(c->path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
        if (c->fd >= 0 || errno != EEXIST) break;
    }
    if (c->fd < 0) {
        rc = attempt < 1000 ? -errno : -EEXIST;
    } else {
        rc = write_all(c, b);
        if (rc != 0) {
            close(c->fd);
            unlink(c->path);
            c->fd = -1;
        }
    }
    if (rc != 0) c->path[0] = '\0';
    sigprocmask(SIG_SETMASK, &old, NULL);
    return rc;
}

int sb_csv_row(sb_csv_t *c, const char *const cells[])
{
    buf_t b = {0};
    size_t i;
    int rc, first = c->fd < 0;
    if (first && c->head == NULL) return -EBADF;
    if (first) buf_put(&b, c->head, c->head_len);
    for (i = 0; i < c->ncols; i++) {
        if (i) buf_put(&b, ",", 1);
        buf_cell(&b, cells[i]);
    }
    buf_put(&b, "\n", 1);
    if (b.failed) rc = -ENOMEM;
    else rc = first ? create_with(c, &b) : write_all(c, &b);
    free(b.p);
    if (first && rc == 0) {
        free(c->head);
        c->head = NULL;
    }
    return rc;
}

int sb_csv_close(sb_csv_t *c)
{
    int rc = 0;
    free(c->head);
    c->head = NULL;
    if (c->fd < 0) return 0;
    if (fsync(c->fd) != 0 && errno != EINVAL) rc = -errno;
    if (close(c->fd) != 0 && rc == 0) rc = -errno;
    c->fd = -1;
    return rc;
}
