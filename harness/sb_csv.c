/* sb_csv.c -- the results CSV (see sb.h, "Results CSV"). */
#include "sb.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
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

/* One cell: quoted when it holds a comma, a quote or edge spaces; line
 * breaks become spaces, since a row is one line. */
static void buf_cell(buf_t *b, const char *s)
{
    size_t n = s ? strlen(s) : 0, i;
    int quote = n > 0 && (s[0] == ' ' || s[n - 1] == ' ');
    for (i = 0; i < n && !quote; i++)
        quote = s[i] == ',' || s[i] == '"';
    if (quote) buf_put(b, "\"", 1);
    for (i = 0; i < n; i++) {
        char ch = s[i] == '\n' || s[i] == '\r' ? ' ' : s[i];
        if (ch == '"') buf_put(b, "\"", 1);
        buf_put(b, &ch, 1);
    }
    if (quote) buf_put(b, "\"", 1);
}

/* Write all of b, or cut the file back to what it held and fail. */
static int write_all(sb_csv_t *c, const buf_t *b)
{
    size_t done = 0;
    while (done < b->len) {
        ssize_t w = write(c->fd, b->p + done, b->len - done);
        if (w < 0 && errno == EINTR) continue;
        if (w <= 0) {
            int err = w < 0 ? errno : EIO;
            if (ftruncate(c->fd, c->size) != 0) {
                /* the file may now end in half a row; nothing more to try */
            }
            return -err;
        }
        done += (size_t)w;
    }
    c->size += (off_t)b->len;
    return 0;
}

int sb_csv_create(sb_csv_t *c, const char *dir, const char *stem,
                  const sb_meta_t *meta, size_t ncols,
                  const char *const cols[])
{
    struct stat st;
    buf_t b = {0};
    size_t i;
    int attempt, rc;

    c->fd = -1;
    c->ncols = ncols;
    c->size = 0;
    if (stat(dir, &st) != 0) return -errno;
    if (!S_ISDIR(st.st_mode)) return -ENOTDIR;
    for (attempt = 1; attempt < 1000; attempt++) {
        int w = attempt == 1
            ? snprintf(c->path, sizeof c->path, "%s/%s.csv", dir, stem)
            : snprintf(c->path, sizeof c->path, "%s/%s.%d.csv", dir, stem, attempt);
        if (w < 0 || (size_t)w >= sizeof c->path) return -ENAMETOOLONG;
        c->fd = open(c->path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
        if (c->fd >= 0) break;
        if (errno != EEXIST) return -errno;
    }
    if (c->fd < 0) return -EEXIST;

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
    rc = b.failed ? -ENOMEM : write_all(c, &b);
    free(b.p);
    if (rc != 0) {               /* no half-made file is left behind */
        close(c->fd);
        unlink(c->path);
        c->fd = -1;
    }
    return rc;
}

int sb_csv_row(sb_csv_t *c, const char *const cells[])
{
    buf_t b = {0};
    size_t i;
    int rc;
    if (c->fd < 0) return -EBADF;
    for (i = 0; i < c->ncols; i++) {
        if (i) buf_put(&b, ",", 1);
        buf_cell(&b, cells[i]);
    }
    buf_put(&b, "\n", 1);
    rc = b.failed ? -ENOMEM : write_all(c, &b);
    free(b.p);
    return rc;
}

int sb_csv_close(sb_csv_t *c)
{
    int rc = 0;
    if (c->fd < 0) return 0;
    if (fsync(c->fd) != 0 && errno != EINVAL) rc = -errno;
    if (close(c->fd) != 0 && rc == 0) rc = -errno;
    c->fd = -1;
    return rc;
}
