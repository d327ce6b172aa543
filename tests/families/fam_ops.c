/* fam_ops.c -- the program language of fam_ops.h: parsing, the model
 * runner, the naive reference and the generator.
 *
 * The naive reference keeps every array as a plain buffer with an id and
 * decides what is alive the way Go's collector does, by marking from the
 * variables after every operation (a reference array marks everything in
 * its whole capacity) and sweeping the rest, where the model counts
 * references. The one thing it shares with the model is gs_next_cap, the
 * growth function tested on its own against the Go runtime's vectors.
 */
#include "fam_ops.h"

#include "gs.h"
#include "gs_ref.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#define SLOT GS_REF_SLICE_BYTES
#define MAX_NEW 65536u            /* bytes one operation may add           */

static const struct { const char *name; int nargs; } kinds[FAM_KINDS] = {
    [FAM_BMAKE] = { "bmake", 3 },   [FAM_BSUB] = { "bsub", 4 },
    [FAM_BSUB3] = { "bsub3", 5 },   [FAM_BAPPEND] = { "bappend", 2 },
    [FAM_BSET] = { "bset", 2 },     [FAM_BCLONE] = { "bclone", 2 },
    [FAM_BNIL] = { "bnil", 1 },     [FAM_RMAKE] = { "rmake", 3 },
    [FAM_RSUB] = { "rsub", 4 },     [FAM_RSUB3] = { "rsub3", 5 },
    [FAM_RAPPEND] = { "rappend", 2 }, [FAM_RSET] = { "rset", 3 },
    [FAM_RCLEAR] = { "rclear", 2 }, [FAM_RGET] = { "rget", 3 },
    [FAM_RCLONE] = { "rclone", 2 }, [FAM_RNIL] = { "rnil", 1 },
};

int fam_op_parse(const char *line, fam_op_t *op)
{
    char name[16];
    int k, i, pos = 0;
    if (sscanf(line, "%15s%n", name, &pos) != 1) return -EINVAL;
    for (k = 0; k < FAM_KINDS; k++)
        if (strcmp(name, kinds[k].name) == 0) break;
    if (k == FAM_KINDS) return -EINVAL;
    memset(op, 0, sizeof *op);
    op->kind = (fam_kind_t)k;
    for (i = 0; i < kinds[k].nargs; i++) {
        unsigned long long v;
        int used = 0;
        if (sscanf(line + pos, " %llu%n", &v, &used) != 1) return -EINVAL;
        if (v > 1u << 30) return -EINVAL;      /* no Go program needs more */
        op->a[i] = (size_t)v;
        pos += used;
    }
    line += pos;
    while (*line == ' ' || *line == '\t' || *line == '\r' || *line == '\n') line++;
    if (*line != '\0') return -EINVAL;
    /* variable numbers: the first operand always, and the second of the
     * operations that name another variable */
    {
        int bfirst = k <= FAM_BNIL || k == FAM_RGET;
        if (op->a[0] >= (bfirst ? FAM_NB : FAM_NR)) return -EINVAL;
        switch (k) {
        case FAM_BSUB: case FAM_BSUB3: case FAM_BCLONE:
        case FAM_RAPPEND:
            if (op->a[1] >= FAM_NB) return -EINVAL;
            break;
        case FAM_RSUB: case FAM_RSUB3: case FAM_RCLONE: case FAM_RGET:
            if (op->a[1] >= FAM_NR) return -EINVAL;
            break;
        case FAM_RSET:
            if (op->a[2] >= FAM_NB) return -EINVAL;
            break;
        default: break;
        }
    }
    return 0;
}

void fam_op_format(const fam_op_t *op, char *buf, size_t n)
{
    int i, len = snprintf(buf, n, "%s", kinds[op->kind].name);
    for (i = 0; i < kinds[op->kind].nargs && len > 0 && (size_t)len < n; i++)
        len += snprintf(buf + len, n - (size_t)len, " %zu", op->a[i]);
    if (len > 0 && (size_t)len + 1 < n) strcpy(buf + len, "\n");
}

static unsigned char value_of(uint64_t n, size_t x)
{
    return (unsigned char)((n * 31u + x * 7u) & 255u);
}

static uint32_t fnv(const unsigned char *p, size_t n)
{
    uint32_t h = 2166136261u;
    size_t i;
    for (i = 0; i < n; i++) h = (h ^ p[i]) * 16777619u;
    return h;
}

static size_t go_round(size_t bytes)
{
    size_t r = bytes;
    (void)gs_go_roundupsize(bytes, &r);
    return r;
}

/* Appending formatted text to a state line. */
typedef struct line_s { char *buf; size_t size, len; int full; } line_t;

static void put(line_t *l, const char *fmt, ...)
{
    va_list ap;
    int n;
    if (l->full) return;
    va_start(ap, fmt);
    n = vsnprintf(l->buf + l->len, l->size - l->len, fmt, ap);
    va_end(ap);
    if (n < 0 || (size_t)n >= l->size - l->len) l->full = 1;
    else l->len += (size_t)n;
}

/* One view: "len/cap/hash" and a separator. */
static void put_view(line_t *l, size_t len, size_t cap, uint32_t h, const char *sep)
{
    put(l, "%zu/%zu/%08x%s", len, cap, (unsigned)h, sep);
}

/* ------------------------------------------------------------------------
 * The model
 * ------------------------------------------------------------------------ */

struct fam_model_s {
    gs_heap_t heap;
    gs_ref_heap_t rheap;
    gs_slice_t b[FAM_NB];
    gs_ref_slice_t r[FAM_NR];
    unsigned char scratch[MAX_NEW];
};

int fam_model_new(fam_model_t **out)
{
    fam_model_t *m = calloc(1, sizeof *m);
    int i;
    if (m == NULL) return -ENOMEM;
    gs_heap_init(&m->heap, GS_GROW_GO);
    gs_ref_heap_init(&m->rheap, &m->heap);
    for (i = 0; i < FAM_NB; i++) m->b[i] = gs_nil(1);
    for (i = 0; i < FAM_NR; i++) m->r[i] = gs_ref_nil(SLOT);
    *out = m;
    return 0;
}

int fam_model_free(fam_model_t *m)
{
    int i, rc;
    if (m == NULL) return 0;
    for (i = 0; i < FAM_NR; i++) gs_ref_release(&m->r[i]);
    for (i = 0; i < FAM_NB; i++) gs_release(&m->b[i]);
    rc = m->rheap.live_arrays != 0 || m->rheap.live_refs != 0 ||
         m->rheap.held_bytes != 0 ? -EBUSY : 0;
    if (gs_heap_destroy(&m->heap) != 0) rc = -EBUSY;
    free(m);
    return rc;
}

static void set_b(fam_model_t *m, size_t i, gs_slice_t v)
{
    gs_release(&m->b[i]);
    m->b[i] = v;
}

static void set_r(fam_model_t *m, size_t i, gs_ref_slice_t v)
{
    gs_ref_release(&m->r[i]);
    m->r[i] = v;
}

int fam_model_run(fam_model_t *m, const fam_op_t *op, uint64_t n)
{
    const size_t *a = op->a;
    gs_slice_t t;
    gs_ref_slice_t rt;
    const gs_slice_t *sl;
    size_t x;
    int rc = 0;
    switch (op->kind) {
    case FAM_BMAKE:
        if ((rc = gs_make(&m->heap, 1, a[1], a[2], &t)) == 0) set_b(m, a[0], t);
        break;
    case FAM_BSUB:
        if ((rc = gs_sub(&m->b[a[1]], a[2], a[3], &t)) == 0) set_b(m, a[0], t);
        break;
    case FAM_BSUB3:
        if ((rc = gs_sub3(&m->b[a[1]], a[2], a[3], a[4], &t)) == 0) set_b(m, a[0], t);
        break;
    case FAM_BAPPEND:
        if (a[1] > MAX_NEW) return -EINVAL;
        for (x = 0; x < a[1]; x++) m->scratch[x] = value_of(n, x);
        rc = gs_append(&m->heap, &m->b[a[0]], m->scratch, a[1]);
        break;
    case FAM_BSET:
        if (a[1] >= m->b[a[0]].len) return -ERANGE;
        *(unsigned char *)gs_at(&m->b[a[0]], a[1]) = value_of(n, 0);
        break;
    case FAM_BCLONE:
        if ((rc = gs_clone(&m->heap, &m->b[a[1]], &t)) == 0) set_b(m, a[0], t);
        break;
    case FAM_BNIL:
        gs_release(&m->b[a[0]]);
        break;
    case FAM_RMAKE:
        if ((rc = gs_ref_make(&m->rheap, SLOT, a[1], a[2], &rt)) == 0) set_r(m, a[0], rt);
        break;
    case FAM_RSUB:
        if ((rc = gs_ref_sub(&m->r[a[1]], a[2], a[3], &rt)) == 0) set_r(m, a[0], rt);
        break;
    case FAM_RSUB3:
        if ((rc = gs_ref_sub3(&m->r[a[1]], a[2], a[3], a[4], &rt)) == 0) set_r(m, a[0], rt);
        break;
    case FAM_RAPPEND:
        rc = gs_ref_append(&m->rheap, &m->r[a[0]], &m->b[a[1]]);
        break;
    case FAM_RSET:
        rc = gs_ref_set(&m->r[a[0]], a[1], &m->b[a[2]]);
        break;
    case FAM_RCLEAR:
        rc = gs_ref_set(&m->r[a[0]], a[1], NULL);
        break;
    case FAM_RGET:
        if ((sl = gs_ref_get(&m->r[a[1]], a[2])) == NULL) return -ERANGE;
        if (sl->array == NULL) t = gs_nil(1);
        else if ((rc = gs_sub(sl, 0, sl->len, &t)) != 0) break;
        set_b(m, a[0], t);
        break;
    case FAM_RCLONE:
        if ((rc = gs_ref_clone(&m->rheap, &m->r[a[1]], &rt)) == 0) set_r(m, a[0], rt);
        break;
    case FAM_RNIL:
        gs_ref_release(&m->r[a[0]]);
        break;
    default:
        return -EINVAL;
    }
    return rc;
}

static void model_view(line_t *l, const gs_slice_t *v, const char *sep)
{
    put_view(l, v->len, v->cap, fnv(v->data, v->len), sep);
}

int fam_model_state(const fam_model_t *m, char *buf, size_t size)
{
    line_t l = { buf, size, 0, 0 };
    size_t i, k, reach;
    int rc = gs_ref_reach(m->b, FAM_NB, m->r, FAM_NR, &reach);
    if (rc != 0) return rc;
    buf[0] = '\0';
    for (i = 0; i < FAM_NB; i++) model_view(&l, &m->b[i], " ");
    for (i = 0; i < FAM_NR; i++) {
        const gs_ref_slice_t *r = &m->r[i];
        put(&l, "%zu/%zu[", r->len, r->cap);
        for (k = 0; k < r->len; k++)
            model_view(&l, &r->slot[k], k + 1 < r->len ? "," : "");
        put(&l, "] ");
    }
    put(&l, "reach %zu", reach);
    return l.full ? -ENOSPC : 0;
}

void fam_model_held(const fam_model_t *m, size_t *bytes, size_t *refs)
{
    *bytes = m->heap.held_bytes;
    *refs = m->rheap.held_bytes;
}

/* ------------------------------------------------------------------------
 * The naive reference
 * ------------------------------------------------------------------------ */

typedef struct view_s { long arr; size_t off, len, cap; } view_t;

typedef struct narr_s {
    int is_ref;              /* slots of views, else bytes               */
    size_t cap;              /* elements                                 */
    unsigned char *bytes;    /* cap bytes, byte arrays                   */
    view_t *slots;           /* cap views, reference arrays              */
    int live, mark;
} narr_t;

struct fam_naive_s {
    narr_t *arr;
    size_t n, cap;
    view_t b[FAM_NB], r[FAM_NR];
};

static const view_t NIL = { -1, 0, 0, 0 };

int fam_naive_new(fam_naive_t **out)
{
    fam_naive_t *r = calloc(1, sizeof *r);
    int i;
    if (r == NULL) return -ENOMEM;
    for (i = 0; i < FAM_NB; i++) r->b[i] = NIL;
    for (i = 0; i < FAM_NR; i++) r->r[i] = NIL;
    *out = r;
    return 0;
}

void fam_naive_free(fam_naive_t *r)
{
    size_t i;
    if (r == NULL) return;
    for (i = 0; i < r->n; i++) {
        free(r->arr[i].bytes);
        free(r->arr[i].slots);
    }
    free(r->arr);
    free(r);
}

/* A new live array of cap > 0 elements, zeroed (nil slots). */
static int nnew(fam_naive_t *r, int is_ref, size_t cap, long *id)
{
    narr_t *a;
    size_t i;
    if (r->n == r->cap) {
        size_t nc = r->cap ? 2 * r->cap : 64;
        narr_t *p = realloc(r->arr, nc * sizeof *p);
        if (p == NULL) return -ENOMEM;
        r->arr = p;
        r->cap = nc;
    }
    a = &r->arr[r->n];
    memset(a, 0, sizeof *a);
    a->is_ref = is_ref;
    a->cap = cap;
    if (is_ref) {
        a->slots = malloc(cap * sizeof *a->slots);
        if (a->slots == NULL) return -ENOMEM;
        for (i = 0; i < cap; i++) a->slots[i] = NIL;
    } else {
        a->bytes = calloc(cap, 1);
        if (a->bytes == NULL) return -ENOMEM;
    }
    a->live = 1;
    *id = (long)r->n++;
    return 0;
}

static view_t nsub(view_t v, size_t lo, size_t hi, size_t max)
{
    view_t t;
    if (v.arr < 0) return NIL;
    t.arr = v.arr;
    t.off = v.off + lo;
    t.len = hi - lo;
    t.cap = max - lo;
    return t;
}

static void nmark(fam_naive_t *r, view_t v)
{
    narr_t *a;
    size_t i;
    if (v.arr < 0) return;
    a = &r->arr[v.arr];
    if (a->mark) return;
    a->mark = 1;
    if (a->is_ref)
        for (i = 0; i < a->cap; i++) nmark(r, a->slots[i]);
}

/* The collector: mark from the variables, sweep every unmarked array. */
static void ngc(fam_naive_t *r)
{
    size_t i;
    for (i = 0; i < r->n; i++) r->arr[i].mark = 0;
    for (i = 0; i < FAM_NB; i++) nmark(r, r->b[i]);
    for (i = 0; i < FAM_NR; i++) nmark(r, r->r[i]);
    for (i = 0; i < r->n; i++) {
        narr_t *a = &r->arr[i];
        if (a->live && !a->mark) {
            a->live = 0;
            free(a->bytes);
            free(a->slots);
            a->bytes = NULL;
            a->slots = NULL;
        }
    }
}

static int nclone(fam_naive_t *r, view_t v, int is_ref, view_t *out)
{
    long id;
    int rc;
    *out = NIL;
    if (v.len == 0) return 0;
    if ((rc = nnew(r, is_ref, v.len, &id)) != 0) return rc;
    if (is_ref) memcpy(r->arr[id].slots, r->arr[v.arr].slots + v.off, v.len * sizeof(view_t));
    else memcpy(r->arr[id].bytes, r->arr[v.arr].bytes + v.off, v.len);
    out->arr = id;
    out->off = 0;
    out->len = out->cap = v.len;
    return 0;
}

/* append of n elements to view *v; src: the bytes or one view to add. */
static int nappend(fam_naive_t *r, view_t *v, int is_ref, size_t n,
                   const unsigned char *bytes, view_t slot)
{
    size_t newcap;
    long id;
    int rc;
    if (n == 0) return 0;
    if (v->len + n > v->cap) {
        rc = gs_next_cap(GS_GROW_GO, v->cap, v->len + n, is_ref ? SLOT : 1, &newcap);
        if (rc != 0) return rc;
        if ((rc = nnew(r, is_ref, newcap, &id)) != 0) return rc;
        if (v->len != 0) {
            if (is_ref) memcpy(r->arr[id].slots, r->arr[v->arr].slots + v->off, v->len * sizeof(view_t));
            else memcpy(r->arr[id].bytes, r->arr[v->arr].bytes + v->off, v->len);
        }
        v->arr = id;
        v->off = 0;
        v->cap = newcap;
    }
    if (is_ref) r->arr[v->arr].slots[v->off + v->len] = slot;
    else memcpy(r->arr[v->arr].bytes + v->off + v->len, bytes, n);
    v->len += n;
    return 0;
}

int fam_naive_run(fam_naive_t *r, const fam_op_t *op, uint64_t n)
{
    const size_t *a = op->a;
    unsigned char buf[MAX_NEW];
    view_t t, *v;
    long id;
    size_t x;
    int rc = 0;
    switch (op->kind) {
    case FAM_BMAKE: case FAM_RMAKE:
        if (a[1] > a[2]) return -EINVAL;
        t = NIL;
        if (a[2] > 0) {
            if ((rc = nnew(r, op->kind == FAM_RMAKE, a[2], &id)) != 0) return rc;
            t.arr = id;
            t.off = 0;
            t.len = a[1];
            t.cap = a[2];
        }
        if (op->kind == FAM_BMAKE) r->b[a[0]] = t; else r->r[a[0]] = t;
        break;
    case FAM_BSUB: case FAM_BSUB3: case FAM_RSUB: case FAM_RSUB3: {
        int is_ref = op->kind == FAM_RSUB || op->kind == FAM_RSUB3;
        view_t s = is_ref ? r->r[a[1]] : r->b[a[1]];
        size_t max = op->kind == FAM_BSUB3 || op->kind == FAM_RSUB3 ? a[4] : s.cap;
        if (!(a[2] <= a[3] && a[3] <= max && max <= s.cap)) return -ERANGE;
        t = nsub(s, a[2], a[3], max);
        if (is_ref) r->r[a[0]] = t; else r->b[a[0]] = t;
        break;
    }
    case FAM_BAPPEND:
        if (a[1] > MAX_NEW) return -EINVAL;
        for (x = 0; x < a[1]; x++) buf[x] = value_of(n, x);
        rc = nappend(r, &r->b[a[0]], 0, a[1], buf, NIL);
        break;
    case FAM_BSET:
        v = &r->b[a[0]];
        if (a[1] >= v->len) return -ERANGE;
        r->arr[v->arr].bytes[v->off + a[1]] = value_of(n, 0);
        break;
    case FAM_BCLONE:
        if ((rc = nclone(r, r->b[a[1]], 0, &t)) == 0) r->b[a[0]] = t;
        break;
    case FAM_BNIL: r->b[a[0]] = NIL; break;
    case FAM_RNIL: r->r[a[0]] = NIL; break;
    case FAM_RAPPEND:
        rc = nappend(r, &r->r[a[0]], 1, 1, NULL, r->b[a[1]]);
        break;
    case FAM_RSET: case FAM_RCLEAR:
        v = &r->r[a[0]];
        if (a[1] >= v->len) return -ERANGE;
        r->arr[v->arr].slots[v->off + a[1]] = op->kind == FAM_RSET ? r->b[a[2]] : NIL;
        break;
    case FAM_RGET:
        v = &r->r[a[1]];
        if (a[2] >= v->len) return -ERANGE;
        r->b[a[0]] = r->arr[v->arr].slots[v->off + a[2]];
        break;
    case FAM_RCLONE:
        if ((rc = nclone(r, r->r[a[1]], 1, &t)) == 0) r->r[a[0]] = t;
        break;
    default:
        return -EINVAL;
    }
    ngc(r);
    return rc;
}

static void naive_view(const fam_naive_t *r, line_t *l, view_t v, const char *sep)
{
    put_view(l, v.len, v.cap,
             fnv(v.arr >= 0 ? r->arr[v.arr].bytes + v.off : NULL, v.len), sep);
}

int fam_naive_state(const fam_naive_t *r, char *buf, size_t size)
{
    line_t l = { buf, size, 0, 0 };
    size_t i, k, reach = 0;
    buf[0] = '\0';
    for (i = 0; i < FAM_NB; i++) naive_view(r, &l, r->b[i], " ");
    for (i = 0; i < FAM_NR; i++) {
        view_t v = r->r[i];
        put(&l, "%zu/%zu[", v.len, v.cap);
        for (k = 0; k < v.len; k++)
            naive_view(r, &l, r->arr[v.arr].slots[v.off + k], k + 1 < v.len ? "," : "");
        put(&l, "] ");
    }
    for (i = 0; i < r->n; i++)
        if (r->arr[i].live)
            reach += go_round(r->arr[i].cap * (r->arr[i].is_ref ? SLOT : 1));
    put(&l, "reach %zu", reach);
    return l.full ? -ENOSPC : 0;
}

void fam_naive_held(const fam_naive_t *r, size_t *bytes, size_t *refs)
{
    size_t i;
    *bytes = *refs = 0;
    for (i = 0; i < r->n; i++)
        if (r->arr[i].live) {
            if (r->arr[i].is_ref) *refs += r->arr[i].cap * SLOT;
            else *bytes += r->arr[i].cap;
        }
}

/* ------------------------------------------------------------------------
 * The generator
 * ------------------------------------------------------------------------ */

static size_t below(uint64_t *s, size_t n)
{
    return n ? (size_t)(gs_random_next(s) % n) : 0;
}

/* A size: mostly small, sometimes past Go's 256 and 1024 thresholds,
 * rarely past its 32 KiB small-object limit. */
static size_t rsize(uint64_t *s)
{
    unsigned p = (unsigned)below(s, 100);
    if (p < 70) return below(s, 40);
    if (p < 95) return below(s, 2000);
    return 30000 + below(s, 12000);
}

/* A bound in [0, cap], or (not valid_only) sometimes one past it. */
static size_t rbound(uint64_t *s, size_t cap, int valid_only)
{
    if (!valid_only && below(s, 20) == 0) return cap + 1;
    return below(s, cap + 1);
}

void fam_gen(const fam_naive_t *r, uint64_t *rng, int valid_only, fam_op_t *op)
{
    size_t *a = op->a, lo, hi, max;
    view_t v;
    memset(op, 0, sizeof *op);
    op->kind = (fam_kind_t)below(rng, FAM_KINDS);
    /* dropping a variable is rare, or most would stay nil */
    if (op->kind == FAM_BNIL && below(rng, 4) != 0) op->kind = FAM_BAPPEND;
    if (op->kind == FAM_RNIL && below(rng, 4) != 0) op->kind = FAM_RAPPEND;
    a[0] = below(rng, op->kind <= FAM_BNIL || op->kind == FAM_RGET ? FAM_NB : FAM_NR);
    switch (op->kind) {
    case FAM_BMAKE: case FAM_RMAKE:
        a[2] = op->kind == FAM_RMAKE ? below(rng, 24) : rsize(rng);
        if (valid_only && op->kind == FAM_BMAKE && a[2] > 0 && a[2] < 16) a[2] = 16;
        a[1] = below(rng, a[2] + 1);
        if (!valid_only && below(rng, 30) == 0) a[1] = a[2] + 1;
        break;
    case FAM_BSUB: case FAM_BSUB3: case FAM_RSUB: case FAM_RSUB3:
        a[1] = below(rng, op->kind <= FAM_BNIL ? FAM_NB : FAM_NR);
        v = op->kind <= FAM_BNIL ? r->b[a[1]] : r->r[a[1]];
        max = op->kind == FAM_BSUB3 || op->kind == FAM_RSUB3 ? rbound(rng, v.cap, valid_only) : v.cap;
        hi = valid_only ? below(rng, (max < v.cap ? max : v.cap) + 1) : rbound(rng, max, 0);
        lo = valid_only ? below(rng, hi + 1) : rbound(rng, hi, 0);
        a[2] = lo;
        a[3] = hi;
        a[4] = max;
        break;
    case FAM_BAPPEND:
        a[1] = below(rng, 4) == 0 ? rsize(rng) : below(rng, 20);
        v = r->b[a[0]];
        if (valid_only && v.len + a[1] > v.cap && v.len + a[1] < 16) a[1] = 16 - v.len;
        break;
    case FAM_BSET:
        a[1] = rbound(rng, r->b[a[0]].len ? r->b[a[0]].len - 1 : 0, valid_only);
        if (valid_only && r->b[a[0]].len == 0) { op->kind = FAM_BNIL; a[1] = 0; }
        break;
    case FAM_BCLONE:
        a[1] = below(rng, FAM_NB);
        v = r->b[a[1]];
        if (valid_only && v.len > 0 && v.len < 16) {
            op->kind = FAM_BMAKE;
            a[1] = 0;
            a[2] = 16;
        }
        break;
    case FAM_RAPPEND:
        a[1] = below(rng, FAM_NB);
        break;
    case FAM_RSET: case FAM_RCLEAR:
        v = r->r[a[0]];
        a[1] = rbound(rng, v.len ? v.len - 1 : 0, valid_only);
        a[2] = below(rng, FAM_NB);
        if (op->kind == FAM_RCLEAR) a[2] = 0;
        if (valid_only && v.len == 0) { op->kind = FAM_RAPPEND; a[1] = a[2]; a[2] = 0; }
        break;
    case FAM_RGET:
        a[1] = below(rng, FAM_NR);
        v = r->r[a[1]];
        a[2] = rbound(rng, v.len ? v.len - 1 : 0, valid_only);
        if (valid_only && v.len == 0) { op->kind = FAM_BNIL; a[1] = a[2] = 0; }
        break;
    case FAM_RCLONE:
        a[1] = below(rng, FAM_NR);
        break;
    default:
        break;
    }
}
