/* test_gs_growth.c -- the growth policies as pure functions: names,
 * gs_go_roundupsize, gs_next_cap for all three policies, edge cases and
 * overflow. The real runtime's figures are in test_gs_vectors.c. */
#include "check.h"
#include "gs.h"

#include <errno.h>
#include <stdint.h>

static void policy_names_round_trip(void)
{
    static const char *const names[] = { "go", "double", "x1.5" };
    gs_policy_t p = GS_GROW_DOUBLE;
    int i;
    for (i = 0; i < GS_POLICY_COUNT; i++) {
        CHECK_OK(gs_policy_parse(names[i], &p));
        CHECK_EQ_I(p, i);
        CHECK_EQ_STR(gs_policy_name(p), names[i]);
    }
    CHECK_EQ_I(GS_GROW_GO, 0);
    CHECK_EQ_I(GS_GROW_DOUBLE, 1);
    CHECK_EQ_I(GS_GROW_X1_5, 2);
}

static void policy_parse_rejects(void)
{
    static const char *const bad[] = { "", "Go", "GO", "x1.25", "x1.5 ",
                                       "doubl", "doubles", "1.5", " go" };
    gs_policy_t p = GS_GROW_X1_5;
    size_t i;
    for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        CHECK_ERR(gs_policy_parse(bad[i], &p), -EINVAL);
        CHECK_EQ_I(p, GS_GROW_X1_5);          /* untouched */
    }
    CHECK_ERR(gs_policy_parse(NULL, &p), -EINVAL);
    CHECK_ERR(gs_policy_parse("go", NULL), -EINVAL);
    CHECK(gs_policy_name((gs_policy_t)GS_POLICY_COUNT) == NULL);
    CHECK(gs_policy_name((gs_policy_t)-1) == NULL);
}

static size_t rounded(size_t bytes)
{
    size_t r = 0;
    CHECK_OK(gs_go_roundupsize(bytes, &r));
    return r;
}

static void roundupsize_known(void)
{
    static const size_t v[][2] = {
        { 0, 0 }, { 1, 8 }, { 7, 8 }, { 8, 8 }, { 9, 16 }, { 17, 24 },
        { 25, 32 }, { 33, 48 }, { 49, 64 }, { 257, 288 }, { 1000, 1024 },
        { 1016, 1024 }, { 1017, 1024 }, { 1024, 1024 }, { 1025, 1152 },
        { 2689, 3072 }, { 3073, 3200 }, { 6529, 6784 }, { 8193, 9472 },
        { 27265, 28672 }, { 28673, 32768 }, { 32767, 32768 },
        { 32768, 32768 }, { 32769, 40960 }, { 40960, 40960 },
        { 40961, 49152 }, { 1000000, 1007616 },
    };
    size_t i;
    for (i = 0; i < sizeof v / sizeof v[0]; i++) CHECK_EQ_U(rounded(v[i][0]), v[i][1]);
}

/* Every size to 64 KiB: the rounding is the smallest allowed block, i.e.
 * idempotent, monotonic, and constant between two allowed sizes. */
static void roundupsize_is_smallest_block(void)
{
    size_t b, prev = 0, classes = 0;
    for (b = 1; b <= 65536; b++) {
        size_t r = rounded(b);
        CHECK(r >= b);
        CHECK_EQ_U(rounded(r), r);
        CHECK(r >= prev);
        if (prev >= b) CHECK_EQ_U(r, prev);    /* b still fits the last block */
        else classes++;
        if (b >= GS_GO_MAX_SMALL_SIZE) CHECK_EQ_U(r % GS_GO_PAGE_SIZE, 0);
        else CHECK_EQ_U(r % 8, 0);
        prev = r;
    }
    CHECK_EQ_U(classes, 67 + (65536 - 32768) / 8192);   /* 67 classes, 4 pages */
}

static void roundupsize_overflow(void)
{
    size_t r = 7;
    size_t top = SIZE_MAX - (GS_GO_PAGE_SIZE - 1);       /* page aligned */
    CHECK_EQ_U(rounded(top), top);
    CHECK_ERR(gs_go_roundupsize(top + 1, &r), -EOVERFLOW);
    CHECK_ERR(gs_go_roundupsize(SIZE_MAX, &r), -EOVERFLOW);
    CHECK_EQ_U(r, 7);
    CHECK_ERR(gs_go_roundupsize(1, NULL), -EINVAL);
}

static size_t next(gs_policy_t p, size_t old_cap, size_t needed, size_t elem)
{
    size_t n = 0;
    CHECK_OK(gs_next_cap(p, old_cap, needed, elem, &n));
    return n;
}

static void next_cap_go_known(void)
{
    /* old_cap, needed, elem, new cap (each from the Go 1.19 runtime) */
    static const size_t v[][4] = {
        { 0, 1, 1, 8 }, { 8, 9, 1, 16 }, { 16, 17, 1, 32 },
        { 0, 1, 8, 1 }, { 1, 2, 8, 2 }, { 2, 3, 8, 4 },
        { 0, 1, 3, 2 }, { 2, 3, 3, 5 }, { 5, 6, 3, 10 },  /* 8/3, 16/3, 32/3 */
        { 0, 1, 100, 1 }, { 1, 2, 100, 2 }, { 2, 3, 100, 4 }, { 4, 5, 100, 8 },
        { 128, 129, 8, 256 }, { 256, 257, 8, 512 },
        { 512, 513, 8, 848 },       /* 512 + (512 + 768) / 4 = 832 -> 6784 B */
        { 848, 849, 8, 1280 }, { 1280, 1281, 8, 1792 },
        { 0, 5, 8, 6 },             /* one shot of 5 int64: 40 -> 48 bytes */
        { 0, 1025, 1, 1152 },
        { 3, 7, 1, 8 },             /* needed > 2 * old: needed, rounded */
        { 0, 4097, 8, 5120 },       /* 32776 bytes: whole pages, 40960 */
    };
    size_t i;
    for (i = 0; i < sizeof v / sizeof v[0]; i++)
        CHECK_EQ_U(next(GS_GROW_GO, v[i][0], v[i][1], v[i][2]), v[i][3]);
}

static void next_cap_plain_policies(void)
{
    /* old_cap, needed, double, x1.5 (elem 8; no rounding) */
    static const size_t v[][4] = {
        { 0, 1, 1, 1 }, { 1, 2, 2, 2 }, { 2, 3, 4, 3 }, { 3, 4, 6, 4 },
        { 4, 5, 8, 6 }, { 6, 7, 12, 9 }, { 9, 10, 18, 13 },
        { 10, 11, 20, 15 }, { 10, 25, 25, 25 }, { 10, 15, 20, 15 },
        { 1000, 1001, 2000, 1500 }, { 0, 777, 777, 777 },
    };
    size_t i;
    for (i = 0; i < sizeof v / sizeof v[0]; i++) {
        CHECK_EQ_U(next(GS_GROW_DOUBLE, v[i][0], v[i][1], 8), v[i][2]);
        CHECK_EQ_U(next(GS_GROW_X1_5, v[i][0], v[i][1], 8), v[i][3]);
    }
}

static void next_cap_no_growth_needed(void)
{
    int p;
    for (p = 0; p < GS_POLICY_COUNT; p++) {
        CHECK_EQ_U(next((gs_policy_t)p, 0, 0, 1), 0);
        CHECK_EQ_U(next((gs_policy_t)p, 10, 10, 4), 10);
        CHECK_EQ_U(next((gs_policy_t)p, 10, 3, 4), 10);
    }
}

/* For every policy and old cap to 5000: at least needed, never shrinking
 * growth, and (go) the rounded block is fully used: one more element would
 * not fit the same block. */
static void next_cap_properties(void)
{
    static const size_t elems[] = { 1, 2, 3, 5, 8, 12, 24, 100, 4097 };
    size_t e, old;
    int p;
    for (p = 0; p < GS_POLICY_COUNT; p++) {
        for (e = 0; e < sizeof elems / sizeof elems[0]; e++) {
            size_t prev = 0;
            for (old = 0; old <= 5000; old++) {
                size_t n = next((gs_policy_t)p, old, old + 1, elems[e]);
                CHECK(n >= old + 1);
                CHECK(n >= prev);
                if (p == GS_GROW_GO)
                    CHECK(rounded(n * elems[e]) < (n + 1) * elems[e]);
                prev = n;
            }
        }
    }
}

static void next_cap_invalid(void)
{
    size_t n = 42;
    CHECK_ERR(gs_next_cap(GS_GROW_GO, 0, 1, 0, &n), -EINVAL);
    CHECK_ERR(gs_next_cap((gs_policy_t)GS_POLICY_COUNT, 0, 1, 1, &n), -EINVAL);
    CHECK_ERR(gs_next_cap((gs_policy_t)-1, 0, 1, 1, &n), -EINVAL);
    CHECK_ERR(gs_next_cap(GS_GROW_GO, 0, 1, 1, NULL), -EINVAL);
    CHECK_EQ_U(n, 42);
}

static void next_cap_overflow(void)
{
    const size_t pmax = (size_t)PTRDIFF_MAX;
    size_t n = 42;
    int p;
    for (p = 0; p < GS_POLICY_COUNT; p++) {
        gs_policy_t q = (gs_policy_t)p;
        /* inputs beyond PTRDIFF_MAX bytes */
        CHECK_ERR(gs_next_cap(q, 0, pmax / 8 + 1, 8, &n), -EOVERFLOW);
        CHECK_ERR(gs_next_cap(q, pmax / 8 + 1, pmax / 8 + 2, 8, &n), -EOVERFLOW);
        CHECK_ERR(gs_next_cap(q, 0, SIZE_MAX, 1, &n), -EOVERFLOW);
        CHECK_ERR(gs_next_cap(q, 1, 2, SIZE_MAX, &n), -EOVERFLOW);
        CHECK_ERR(gs_next_cap(q, 0, 2, pmax, &n), -EOVERFLOW);
        /* the largest slice there can be fits exactly, needing no growth */
        CHECK_EQ_U(next(q, pmax / 8, pmax / 8, 8), pmax / 8);
    }
    /* doubling past the limit: an error, never silently less */
    CHECK_ERR(gs_next_cap(GS_GROW_DOUBLE, pmax / 2 + 1, pmax / 2 + 2, 1, &n),
              -EOVERFLOW);
    CHECK_ERR(gs_next_cap(GS_GROW_X1_5, pmax / 3 * 2 + 2, pmax / 3 * 2 + 3, 1, &n),
              -EOVERFLOW);
    CHECK_EQ_U(next(GS_GROW_X1_5, pmax / 3 * 2 - 2, pmax / 3 * 2 - 1, 1),
               pmax / 3 * 2 - 2 + (pmax / 3 * 2 - 2) / 2);
    /* one byte element: a single element of PTRDIFF_MAX bytes fits, but Go
     * would round it up a page past the limit */
    CHECK_ERR(gs_next_cap(GS_GROW_GO, 0, 1, pmax, &n), -EOVERFLOW);
    CHECK_ERR(gs_next_cap(GS_GROW_GO, 0, 1, pmax - 8190, &n), -EOVERFLOW);
    CHECK_EQ_U(next(GS_GROW_DOUBLE, 0, 1, pmax), 1);
    CHECK_EQ_U(n, 42);
}

/* Past the threshold Go's loop can overflow int; it then settles for the
 * needed capacity, and so does the model. */
static void next_cap_go_loop_overflow(void)
{
    const size_t big = (size_t)7 << 60;                  /* 7 * 2^60 < 2^63 */
    const size_t pmax = (size_t)PTRDIFF_MAX;
    /* 7 * 2^60 + (7 * 2^60) / 4 overflows: needed (page aligned) it is */
    CHECK_EQ_U(next(GS_GROW_GO, big, big + 8192, 1), big + 8192);
    CHECK_EQ_U(next(GS_GROW_GO, big, big + 1, 1), big + 8192);
    /* no overflow: 2^62 grows by 2^60 + 192, rounded to a page */
    CHECK_EQ_U(next(GS_GROW_GO, (size_t)1 << 62, ((size_t)1 << 62) + 1, 1),
               ((size_t)5 << 60) + 8192);
    /* needed, rounded to the last page below the limit */
    CHECK_EQ_U(next(GS_GROW_GO, big, pmax - 8191 - 8191, 1), pmax - 8191);
    /* the needed size itself rounds past the limit */
    {
        size_t n = 0;
        CHECK_ERR(gs_next_cap(GS_GROW_GO, big, pmax - 5, 1, &n), -EOVERFLOW);
    }
}

int main(int argc, char **argv)
{
    static const check_case_t cases[] = {
        CHECK_CASE(policy_names_round_trip),
        CHECK_CASE(policy_parse_rejects),
        CHECK_CASE(roundupsize_known),
        CHECK_CASE(roundupsize_is_smallest_block),
        CHECK_CASE(roundupsize_overflow),
        CHECK_CASE(next_cap_go_known),
        CHECK_CASE(next_cap_plain_policies),
        CHECK_CASE(next_cap_no_growth_needed),
        CHECK_CASE(next_cap_properties),
        CHECK_CASE(next_cap_invalid),
        CHECK_CASE(next_cap_overflow),
        CHECK_CASE(next_cap_go_loop_overflow),
    };
    return check_main(argc, argv, cases, CHECK_COUNT(cases));
}
