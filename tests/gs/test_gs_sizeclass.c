/* test_gs_sizeclass.c -- gs_go_alloc_size against the heap bytes measured
 * on the real Go runtime (vectors/gen_sizeclass.go; Go is not needed to run
 * this).
 *
 *     test_gs_sizeclass SIZECLASS.csv [test name]
 *
 * Every row says: `objects` calls of make([]type, bytes/elem) grew Go's
 * HeapAlloc by heap_bytes. The model must give exactly that as objects x
 * block_bytes / per_block, for pointer-free and pointer-holding types.
 */
#include "check.h"
#include "gs.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *csv_path;

#define HEADER "type,elem_size,noscan,bytes,objects,heap_bytes"

static void sizes_match_go(void)
{
    check_csv_t r;
    char line[256];
    size_t rows = 0, tiny = 0, large = 0, scan = 0;

    check_csv_open(&r, csv_path, HEADER);
    while (check_csv_row(&r, line, sizeof line)) {
        char type[64], extra;
        size_t elem, noscan, bytes, objects, heap, block = 0, per = 0;
        /* The type may contain commas only inside braces: read up to the
         * last five fields. */
        {
            char *p = line + strlen(line);
            int commas = 0;
            while (p > line && commas < 5) if (*--p == ',') commas++;
            if (commas != 5 || (size_t)(p - line) >= sizeof type ||
                sscanf(p, ",%zu,%zu,%zu,%zu,%zu%c", &elem, &noscan, &bytes,
                       &objects, &heap, &extra) != 5 || noscan > 1 || objects == 0) {
                fclose(r.f);
                CHECK_FAIL_("%s:%u: not a row: \"%s\"", csv_path, r.lineno, line);
            }
            memcpy(type, line, (size_t)(p - line));
            type[p - line] = '\0';
        }
        if (gs_go_alloc_size(bytes, (int)noscan, &block, &per) != 0 ||
            per == 0 || objects % per != 0 || objects / per * block != heap) {
            fclose(r.f);
            CHECK_FAIL_("%s:%u: %zu x make([]%s, %zu): Go's heap grew by %zu B, "
                        "the model says %zu blocks of %zu B per %zu objects",
                        csv_path, r.lineno, objects, type, bytes / (elem ? elem : 1),
                        heap, objects, block, per);
        }
        rows++;
        if (per > 1 || (noscan && bytes < GS_GO_TINY_SIZE)) tiny++;
        if (bytes > GS_GO_MAX_SMALL_SIZE) large++;
        if (!noscan) scan++;
    }
    fclose(r.f);
    if (!r.seen_comment || !r.seen_header) CHECK_FAIL_("%s: needs a comment and a header", csv_path);
    printf("     %zu rows: %zu tiny, %zu large, %zu with pointers\n", rows, tiny,
           large, scan);
    CHECK(rows > 1000 && tiny >= 15 && large > 10 && scan > 100);
}

/* The fixed points of the header, without the vectors. */
static void tiny_table(void)
{
    static const size_t per[16] = { 0, 16, 8, 5, 4, 3, 2, 2, 2, 1, 1, 1, 1, 1, 1, 1 };
    size_t s, block, n;
    for (s = 1; s < GS_GO_TINY_SIZE; s++) {
        CHECK_OK(gs_go_alloc_size(s, 1, &block, &n));
        CHECK_EQ_U(block, 16);
        CHECK_EQ_U(n, per[s]);
        CHECK_OK(gs_go_alloc_size(s, 0, &block, &n));   /* pointers: a class */
        CHECK_EQ_U(block, s <= 8 ? 8 : 16);
        CHECK_EQ_U(n, 1);
    }
    CHECK_OK(gs_go_alloc_size(0, 1, &block, &n));
    CHECK_EQ_U(block, 0);
    CHECK_EQ_U(n, 1);
    CHECK_OK(gs_go_alloc_size(16, 1, &block, &n));
    CHECK_EQ_U(block, 16);
    CHECK_EQ_U(n, 1);
    CHECK_OK(gs_go_alloc_size(33, 1, &block, &n));
    CHECK_EQ_U(block, 48);
    CHECK_OK(gs_go_alloc_size(32769, 1, &block, &n));
    CHECK_EQ_U(block, 40960);
    /* the keep slice of M = 40 headers: 960 B in the 1024 B class */
    CHECK_OK(gs_go_alloc_size(40 * GS_GO_SLICE_HEADER_BYTES, 0, &block, &n));
    CHECK_EQ_U(block, 1024);
    CHECK_ERR(gs_go_alloc_size(1, 1, NULL, &n), -EINVAL);
    CHECK_ERR(gs_go_alloc_size(1, 1, &block, NULL), -EINVAL);
    CHECK_ERR(gs_go_alloc_size(SIZE_MAX, 1, &block, &n), -EOVERFLOW);
}

int main(int argc, char **argv)
{
    static const check_case_t cases[] = {
        CHECK_CASE(sizes_match_go),
        CHECK_CASE(tiny_table),
    };
    return check_main_input(argc, argv, cases, CHECK_COUNT(cases), &csv_path,
                            "SIZECLASS.csv");
}
