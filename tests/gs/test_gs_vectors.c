/* test_gs_vectors.c -- the `go` policy against capacities measured on the
 * real Go runtime (vectors/gen_growth.go; Go is not needed to run this).
 *
 *     test_gs_vectors APPEND_EACH.csv APPEND_ONESHOT.csv [test name]
 *
 * Every row must match gs_next_cap; the first mismatch is printed with its
 * file and line. The smaller rows are also replayed through the model
 * itself (gs_append on a heap), so the slices it makes have Go's
 * capacities too, not only the pure function.
 */
#include "check.h"
#include "gs.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *each_path, *oneshot_path;

/* Rows replayed through gs_append are those up to this many bytes. */
#define MODEL_BYTES (64u * 1024u)

typedef struct row_s {
    size_t a, b, c;     /* elem_size, then old_cap,new_cap or len,cap */
    unsigned line;
} row_t;

/* The rows of a vector file: '#' lines are comments, the first other line
 * must be `header`. */
static row_t *load(const char *path, const char *header, size_t *n_out)
{
    check_csv_t in;
    char line[256];
    row_t *rows = NULL;
    size_t n = 0, cap = 0;

    check_csv_open(&in, path, header);
    while (check_csv_row(&in, line, sizeof line)) {
        row_t r;
        char extra;
        if (sscanf(line, "%zu,%zu,%zu%c", &r.a, &r.b, &r.c, &extra) != 3) {
            fclose(in.f);
            free(rows);
            CHECK_FAIL_("%s:%u: not a row: \"%s\"", path, in.lineno, line);
        }
        r.line = in.lineno;
        if (n == cap) {
            row_t *p;
            cap = cap ? 2 * cap : 1024;
            p = realloc(rows, cap * sizeof *p);
            if (p == NULL) { fclose(in.f); free(rows); CHECK_FAIL_("out of memory"); }
            rows = p;
        }
        rows[n++] = r;
    }
    fclose(in.f);
    if (!in.seen_comment || !in.seen_header || n == 0) {
        free(rows);
        CHECK_FAIL_("%s: needs a comment line, the header and rows", path);
    }
    *n_out = n;
    return rows;
}

/* Element by element: each row is one reallocation, old_cap -> new_cap;
 * per element size the rows start at 0 and chain without gaps. */
static void append_each_matches_go(void)
{
    size_t n, i, elems = 0, prev_elem = 0, prev_cap = 0, got;
    row_t *rows = load(each_path, "elem_size,old_cap,new_cap", &n);
    for (i = 0; i < n; i++) {
        const row_t r = rows[i];   /* a copy: rows is freed on failure */
        if (r.a != prev_elem) {
            if (r.b != 0) {
                free(rows);
                CHECK_FAIL_("%s:%u: elem %zu does not start at cap 0", each_path,
                            r.line, r.a);
            }
            elems++;
        } else if (r.b != prev_cap) {
            free(rows);
            CHECK_FAIL_("%s:%u: gap: previous row ended at cap %zu", each_path,
                        r.line, prev_cap);
        }
        got = 0;
        if (gs_next_cap(GS_GROW_GO, r.b, r.b + 1, r.a, &got) != 0 || got != r.c) {
            free(rows);
            CHECK_FAIL_("%s:%u: elem %zu, cap %zu grows to %zu in Go, %zu in the "
                        "model", each_path, r.line, r.a, r.b, r.c, got);
        }
        prev_elem = r.a;
        prev_cap = r.c;
    }
    printf("     %zu rows, %zu element sizes\n", n, elems);
    free(rows);
    CHECK(elems >= 14);
}

static void append_oneshot_matches_go(void)
{
    size_t n, i, got;
    row_t *rows = load(oneshot_path, "elem_size,len,cap", &n);
    for (i = 0; i < n; i++) {
        const row_t r = rows[i];   /* a copy: rows is freed on failure */
        got = 0;
        if (gs_next_cap(GS_GROW_GO, 0, r.b, r.a, &got) != 0 || got != r.c) {
            free(rows);
            CHECK_FAIL_("%s:%u: append(nil, %zu elements of %zu bytes) has cap "
                        "%zu in Go, %zu in the model", oneshot_path, r.line,
                        r.b, r.a, r.c, got);
        }
    }
    printf("     %zu rows\n", n);
    free(rows);
}

/* The same rows, through slices on a heap: element-by-element appends must
 * reallocate exactly at Go's capacities, and one-shot appends get Go's
 * capacity. */
static void model_slices_match_go(void)
{
    static const unsigned char zeros[MODEL_BYTES];
    size_t n, i, checked = 0;
    gs_heap_t h;
    row_t *rows = load(each_path, "elem_size,old_cap,new_cap", &n);
    gs_heap_init(&h, GS_GROW_GO);
    i = 0;
    while (i < n) {
        size_t elem = rows[i].a, j, cap = 0;
        unsigned bad = 0;
        gs_slice_t s = gs_nil(elem);
        for (j = i; j < n && rows[j].a == elem; j++) {
            if (bad != 0 || rows[j].c * elem > MODEL_BYTES) continue;
            /* fill up to the capacity Go reallocates at, then one more */
            while (s.len < rows[j].b && gs_append1(&h, &s, zeros) == 0) {}
            if (s.len != rows[j].b || s.cap != rows[j].b ||
                gs_append1(&h, &s, zeros) != 0 || s.cap != rows[j].c) {
                bad = rows[j].line;
                cap = s.cap;
            } else {
                checked++;
            }
        }
        gs_release(&s);
        if (bad != 0) {
            free(rows);
            CHECK_FAIL_("%s:%u: elem %zu, the model's slice went to cap %zu",
                        each_path, bad, elem, cap);
        }
        i = j;
    }
    free(rows);

    rows = load(oneshot_path, "elem_size,len,cap", &n);
    for (i = 0; i < n; i++) {
        gs_slice_t s = gs_nil(rows[i].a);
        size_t cap;
        if (rows[i].a * rows[i].b > MODEL_BYTES) continue;
        CHECK_OK(gs_append(&h, &s, zeros, rows[i].b));
        cap = s.cap;
        gs_release(&s);
        if (cap != rows[i].c) {
            unsigned line = rows[i].line;
            free(rows);
            CHECK_FAIL_("%s:%u: the model's one-shot slice has cap %zu",
                        oneshot_path, line, cap);
        }
        checked++;
    }
    free(rows);
    CHECK_EQ_U(h.live_arrays, 0);
    CHECK_OK(gs_heap_destroy(&h));
    printf("     %zu rows replayed through gs_append\n", checked);
    CHECK(checked > 10000);
}

int main(int argc, char **argv)
{
    static const check_case_t cases[] = {
        CHECK_CASE(append_each_matches_go),
        CHECK_CASE(append_oneshot_matches_go),
        CHECK_CASE(model_slices_match_go),
    };
    if (argc < 3) {
        fprintf(stderr, "usage: %s APPEND_EACH.csv APPEND_ONESHOT.csv [test]\n",
                argv[0]);
        return 2;
    }
    each_path = argv[1];
    oneshot_path = argv[2];
    /* Drop the two paths: check_main sees [program, test name]. */
    argv[2] = argv[0];
    return check_main(argc - 2, argv + 2, cases, CHECK_COUNT(cases));
}
