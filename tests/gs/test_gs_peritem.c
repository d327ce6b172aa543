/* test_gs_peritem.c -- the model's Go bytes for the retention benchmark's
 * kept items against the real Go runtime's heap (vectors/gen_peritem.go;
 * Go is not needed to run this).
 *
 *     test_gs_peritem PERITEM.csv [test name]
 *
 * Every row is one batch: M buffers of N bytes, k elements of each kept by
 * a strategy (benchmarks/keep.h), and the bytes Go's heap held for the kept
 * items once collected. The same batch on the model (keep_batch, GC off)
 * must leave go_held_bytes exactly equal to it. The table is printed.
 */
#include "check.h"
#include "gs.h"
#include "keep.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *csv_path;

#define HEADER "strategy,elem_size,source_bytes,kept_elems,items,heap_bytes"

static void kept_items_match_go(void)
{
    check_csv_t r;
    char line[256];
    size_t rows = 0;

    check_csv_open(&r, csv_path, HEADER);
    printf("     %-10s %4s %6s %12s %12s\n", "strategy", "elem", "k",
           "Go B/item", "model B/item");
    while (check_csv_row(&r, line, sizeof line)) {
        char name[32], extra;
        size_t elem, n, k, m, heap, i, got;
        keep_strategy_t s;
        keep_case_t c;
        keep_held_t held;
        gs_heap_t h;
        gs_slice_t *keep;
        int rc;
        if (sscanf(line, "%31[^,],%zu,%zu,%zu,%zu,%zu%c", name, &elem, &n, &k,
                   &m, &heap, &extra) != 6 ||
            keep_strategy_parse(name, &s) != 0 || elem == 0 || m == 0) {
            fclose(r.f);
            CHECK_FAIL_("%s:%u: not a row: \"%s\"", csv_path, r.lineno, line);
        }
        c.source_bytes = n / elem * elem;   /* Go: make([]T, N/elem) */
        c.kept_bytes = k * elem;
        c.items = m;
        c.elem = elem;
        keep = calloc(m, sizeof *keep);
        if (keep == NULL) { fclose(r.f); CHECK_FAIL_("out of memory"); }
        for (i = 0; i < m; i++) keep[i] = gs_nil(elem);
        gs_heap_init(&h, GS_GROW_GO);
        rc = keep_batch(&h, &c, s, keep, (unsigned)r.lineno, &held);
        got = h.go_held_bytes;
        if (rc == 0) keep_release(&h, keep, m);
        free(keep);
        if (rc != 0 || gs_heap_destroy(&h) != 0 || got != heap) {
            fclose(r.f);
            CHECK_FAIL_("%s:%u: %s, elem %zu, k %zu: Go's heap holds %zu B, "
                        "the model %zu B (rc %d)", csv_path, r.lineno, name, elem,
                        k, heap, got, rc);
        }
        printf("     %-10s %4zu %6zu %12.2f %12.2f\n", name, elem, k,
               (double)heap / (double)m, (double)got / (double)m);
        rows++;
    }
    fclose(r.f);
    CHECK(r.seen_header && rows >= 60);
}

int main(int argc, char **argv)
{
    static const check_case_t cases[] = {
        CHECK_CASE(kept_items_match_go),
    };
    return check_main_input(argc, argv, cases, CHECK_COUNT(cases), &csv_path,
                            "PERITEM.csv");
}
