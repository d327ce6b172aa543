/* growth.c -- slicebench-growth: "what capacity will I get?"
 *
 * Prints, as CSV, the capacities a growth policy of the Go slice model
 * (gs.h, "Growth policies") gives:
 *   --len=L        appending one element at a time to a nil slice until it
 *                  has L elements: one row per reallocation,
 *                  elem_size,old_cap,new_cap
 *   --oneshot=K,.. one append of k elements to a nil slice, per k:
 *                  elem_size,len,cap
 * Under --policy=go the figures are the Go 1.19 runtime's (64-bit).
 *
 * Exit status: 0 on success (and for --help), 2 for a bad command line,
 * with exactly one line on stderr saying what is wrong; nothing is printed
 * on stdout then.
 */
#include "gs.h"

#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PROG "slicebench-growth"

static const char usage[] =
    "usage: " PROG " [--policy=go|double|x1.5] [--elem=BYTES] --len=L\n"
    "       " PROG " [--policy=go|double|x1.5] [--elem=BYTES] --oneshot=K1,K2,...\n"
    "\n"
    "What capacity will a Go slice get? Prints CSV on stdout.\n"
    "\n"
    "  --policy=P       growth policy: go (Go 1.19 runtime, default), double, x1.5\n"
    "  --elem=BYTES     element size in bytes, > 0 (default 8, as []int on 64-bit)\n"
    "  --len=L          append one element at a time to a nil slice up to length L;\n"
    "                   one row per reallocation: elem_size,old_cap,new_cap\n"
    "  --oneshot=K,...  append(nil, k elements...) for each k > 0:\n"
    "                   one row per k: elem_size,len,cap\n"
    "  --help           print this and exit\n"
    "\n"
    "Exit status: 0 on success, 2 for a bad command line (one line on stderr).\n";

/* Report a bad command line: one line on stderr, status 2. */
#if defined(__GNUC__)
__attribute__((format(printf, 1, 2)))
#endif
static int bad(const char *fmt, ...)
{
    va_list ap;
    fputs(PROG ": ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    return 2;
}

/* A decimal count > 0 from s[0..n): digits only (no sign, no spaces).
 * -EINVAL not a number, -ERANGE zero, -EOVERFLOW too big for size_t. */
static int parse_count(const char *s, size_t n, size_t *out)
{
    size_t v = 0, i;
    if (n == 0) return -EINVAL;
    for (i = 0; i < n; i++) {
        unsigned d;
        if (s[i] < '0' || s[i] > '9') return -EINVAL;
        d = (unsigned)(s[i] - '0');
        /* Overflow check: v * 10 + d must fit in size_t. */
        if (v > (SIZE_MAX - d) / 10) return -EOVERFLOW;
        v = v * 10 + d;
    }
    if (v == 0) return -ERANGE;
    *out = v;
    return 0;
}

static const char *count_problem(int rc)
{
    switch (rc) {
    case -ERANGE: return "must be greater than zero";
    case -EOVERFLOW: return "is too large";
    default: return "is not a positive integer";
    }
}

static const char no_value[] = "";

/* The value of "--name=value" if arg is that flag, no_value for "--name"
 * alone, else NULL. */
static const char *flag_value(const char *arg, const char *name)
{
    size_t n = strlen(name);
    if (strncmp(arg, name, n) != 0) return NULL;
    if (arg[n] == '=') return arg + n + 1;
    if (arg[n] == '\0') return no_value;
    return NULL;
}

typedef struct row_s { size_t a, b; } row_t;

/* Rows grow in a buffer first so that a failure prints nothing on stdout. */
typedef struct rows_s { row_t *v; size_t n, cap; } rows_t;

static rows_t rows;   /* static: still reachable if main returns early */

static int rows_push(rows_t *r, size_t a, size_t b)
{
    if (r->n == r->cap) {
        size_t cap = r->cap ? 2 * r->cap : 64;
        row_t *v;
        /* Overflow check: cap rows in bytes. */
        if (cap > SIZE_MAX / sizeof *v) return -EOVERFLOW;
        v = realloc(r->v, cap * sizeof *v);
        if (v == NULL) return -ENOMEM;
        r->v = v;
        r->cap = cap;
    }
    r->v[r->n].a = a;
    r->v[r->n].b = b;
    r->n++;
    return 0;
}

int main(int argc, char **argv)
{
    gs_policy_t policy = GS_GROW_GO;
    size_t elem = 8, len = 0, i;
    const char *policy_arg = NULL, *elem_arg = NULL, *len_arg = NULL,
               *oneshot_arg = NULL;
    int rc, j;

    for (j = 1; j < argc; j++) {
        const char *a = argv[j], *v;
        const char **slot;
        if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            fputs(usage, stdout);
            return 0;
        }
        if ((v = flag_value(a, "--policy")) != NULL) slot = &policy_arg;
        else if ((v = flag_value(a, "--elem")) != NULL) slot = &elem_arg;
        else if ((v = flag_value(a, "--len")) != NULL) slot = &len_arg;
        else if ((v = flag_value(a, "--oneshot")) != NULL) slot = &oneshot_arg;
        else return bad("unknown argument '%s' (see --help)", a);
        if (v == no_value) return bad("%s needs a value: %s=...", a, a);
        if (*slot != NULL)
            return bad("%.*s given twice", (int)strcspn(a, "="), a);
        *slot = v;
    }

    if (policy_arg != NULL && gs_policy_parse(policy_arg, &policy) < 0)
        return bad("--policy: unknown policy '%s' (go, double, x1.5)",
                   policy_arg);
    if (elem_arg != NULL) {
        rc = parse_count(elem_arg, strlen(elem_arg), &elem);
        if (rc < 0) return bad("--elem: '%s' %s", elem_arg, count_problem(rc));
    }
    if (len_arg != NULL && oneshot_arg != NULL)
        return bad("--len and --oneshot exclude each other");
    if (len_arg == NULL && oneshot_arg == NULL)
        return bad("one of --len=L or --oneshot=K,... is required");

    if (len_arg != NULL) {
        size_t cap = 0;
        rc = parse_count(len_arg, strlen(len_arg), &len);
        if (rc < 0) return bad("--len: '%s' %s", len_arg, count_problem(rc));
        /* Element by element: append reallocates each time len reaches
         * cap, asking for one more element than it has. */
        while (cap < len) {
            size_t next;
            rc = gs_next_cap(policy, cap, cap + 1, elem, &next);
            if (rc < 0)
                return bad("--len: growing past %zu elements overflows "
                           "(more than PTRDIFF_MAX bytes)", cap);
            if (rows_push(&rows, cap, next) < 0)
                return bad("out of memory");
            cap = next;
        }
    } else {
        const char *p = oneshot_arg;
        for (;;) {
            size_t n = strcspn(p, ","), k, cap;
            char item[64];
            snprintf(item, sizeof item, "%.*s", n < 60 ? (int)n : 60, p);
            rc = parse_count(p, n, &k);
            if (rc < 0) return bad("--oneshot: '%s' %s", item, count_problem(rc));
            rc = gs_next_cap(policy, 0, k, elem, &cap);
            if (rc < 0)
                return bad("--oneshot: %s elements overflow "
                           "(more than PTRDIFF_MAX bytes)", item);
            if (rows_push(&rows, k, cap) < 0)
                return bad("out of memory");
            if (p[n] == '\0') break;
            p += n + 1;
        }
    }

    puts(len_arg != NULL ? "elem_size,old_cap,new_cap" : "elem_size,len,cap");
    for (i = 0; i < rows.n; i++)
        printf("%zu,%zu,%zu\n", elem, rows.v[i].a, rows.v[i].b);
    free(rows.v);
    if (fflush(stdout) != 0 || ferror(stdout)) {
        fprintf(stderr, PROG ": cannot write the output\n");
        return 1;
    }
    return 0;
}
