/* test_gs_slice.c -- each operation of the slice model, with Go's aliasing
 * rules and the heap's accounting checked exactly after every step, on the
 * real counting allocator (harness/mem_count.c). */
#include "check.h"
#include "gs.h"
#include "mem.h"

#include <errno.h>
#include <stdint.h>
#include <string.h>

static gs_heap_t H;

/* Fresh heap and zeroed allocator counters for each test. */
static void start(gs_policy_t p)
{
    mem_counts_reset();
    gs_heap_init(&H, p);
}

/* The heap's live figures, and the allocator agreeing with them. */
#define ACCT(arrays, held, slices, referenced)                                \
    do {                                                                      \
        mem_counts_t mc_;                                                     \
        CHECK_EQ_U(H.live_arrays, (arrays));                                  \
        CHECK_EQ_U(H.held_bytes, (held));                                     \
        CHECK_EQ_U(H.live_slices, (slices));                                  \
        CHECK_EQ_U(H.referenced_bytes, (referenced));                         \
        mem_counts_get(&mc_);                                                 \
        CHECK_EQ_I(mc_.live_requested, H.held_bytes);                         \
        CHECK_EQ_I(mc_.live_bytes, H.held_reserved_bytes);                    \
        CHECK(H.held_reserved_bytes >= H.held_bytes);                         \
    } while (0)

/* Everything released: nothing live anywhere, the heap can go. */
#define FINISH()                                                              \
    do {                                                                      \
        ACCT(0, 0, 0, 0);                                                     \
        CHECK_EQ_U(H.held_reserved_bytes, 0);                                 \
        CHECK_OK(gs_heap_destroy(&H));                                        \
    } while (0)

static void put_bytes(gs_slice_t *s, const char *text)
{
    CHECK_OK(gs_append(&H, s, text, strlen(text)));
}

#define CHECK_CONTENT(s, text)                                                \
    do {                                                                      \
        CHECK_EQ_U((s).len, strlen(text));                                    \
        CHECK_EQ_MEM((s).data, (text), strlen(text));                         \
    } while (0)

/* ---- nil and make ---- */

static void nil_slice(void)
{
    gs_slice_t s = gs_nil(8);
    start(GS_GROW_GO);
    CHECK(s.data == NULL && s.array == NULL);
    CHECK_EQ_U(s.len, 0);
    CHECK_EQ_U(s.cap, 0);
    CHECK_EQ_U(s.elem, 8);
    CHECK_EQ_U(gs_refs(&s), 0);
    CHECK_EQ_U(gs_array_bytes(&s), 0);
    CHECK(!gs_same_array(&s, &s));
    gs_release(&s);
    gs_release(NULL);
    gs_clip(NULL);
    CHECK_EQ_U(s.elem, 8);
    FINISH();
}

static void make_zeroed_exact(void)
{
    gs_slice_t s;
    size_t i;
    start(GS_GROW_GO);
    CHECK_OK(gs_make(&H, 8, 3, 10, &s));
    CHECK(s.data != NULL && s.array != NULL);
    CHECK_EQ_U(s.len, 3);
    CHECK_EQ_U(s.cap, 10);                     /* make does not round cap */
    CHECK_EQ_U(s.elem, 8);
    for (i = 0; i < 80; i++) CHECK_EQ_U(s.data[i], 0);
    ACCT(1, 80, 1, 24);
    CHECK_EQ_U(H.held_reserved_bytes, mem_usable_size(s.data));
    CHECK_EQ_U(gs_array_reserved(&s), mem_usable_size(s.data));
    CHECK_EQ_U(gs_array_bytes(&s), 80);
    CHECK_EQ_U(gs_refs(&s), 1);
    CHECK_EQ_U(H.arrays_made, 1);
    CHECK_EQ_U(H.bytes_made, 80);
    CHECK_EQ_U(H.peak_held_bytes, 80);
    CHECK_EQ_U(H.grows, 0);
    CHECK(gs_at(&s, 2) == s.data + 16);
    gs_release(&s);
    CHECK(s.data == NULL && s.array == NULL && s.len == 0 && s.cap == 0);
    CHECK_EQ_U(s.elem, 8);
    gs_release(&s);                            /* twice: a no-op */
    CHECK_EQ_U(H.arrays_made, 1);
    CHECK_EQ_U(H.peak_held_bytes, 80);
    FINISH();
}

static void make_zero_cap_has_no_array(void)
{
    gs_slice_t s;
    mem_counts_t mc;
    start(GS_GROW_GO);
    CHECK_OK(gs_make(&H, 4, 0, 0, &s));
    CHECK(s.data == NULL && s.array == NULL);
    CHECK_EQ_U(s.elem, 4);
    ACCT(0, 0, 0, 0);
    CHECK_EQ_U(H.arrays_made, 0);
    mem_counts_get(&mc);
    CHECK_EQ_U(mc.allocs, 0);
    gs_release(&s);
    FINISH();
}

static void make_errors_change_nothing(void)
{
    gs_slice_t s, keep;
    start(GS_GROW_GO);
    memset(&s, 0x5a, sizeof s);
    keep = s;
    CHECK_ERR(gs_make(NULL, 1, 0, 1, &s), -EINVAL);
    CHECK_ERR(gs_make(&H, 1, 0, 1, NULL), -EINVAL);
    CHECK_ERR(gs_make(&H, 0, 0, 1, &s), -EINVAL);
    CHECK_ERR(gs_make(&H, 1, 2, 1, &s), -EINVAL);
    CHECK_ERR(gs_make(&H, 8, 0, (size_t)PTRDIFF_MAX / 8 + 1, &s), -EOVERFLOW);
    CHECK_ERR(gs_make(&H, 8, 0, SIZE_MAX, &s), -EOVERFLOW);
    CHECK_ERR(gs_make(&H, SIZE_MAX, 1, 1, &s), -EOVERFLOW);
    CHECK_EQ_MEM(&s, &keep, sizeof s);
    ACCT(0, 0, 0, 0);
    CHECK_EQ_U(H.arrays_made, 0);
    FINISH();
}

/* ---- sub-slices pin arrays ---- */

/* The article's leak: a = b[:2] keeps all of b's array alive. */
static void sub_pins_whole_array(void)
{
    gs_slice_t b, a;
    start(GS_GROW_GO);
    CHECK_OK(gs_make(&H, 1, 1000, 1000, &b));
    ACCT(1, 1000, 1, 1000);
    CHECK_OK(gs_sub(&b, 0, 2, &a));
    CHECK(a.data == b.data && gs_same_array(&a, &b));
    CHECK_EQ_U(a.len, 2);
    CHECK_EQ_U(a.cap, 1000);
    CHECK_EQ_U(gs_refs(&a), 2);
    ACCT(1, 1000, 2, 1002);
    gs_release(&b);
    ACCT(1, 1000, 1, 2);                       /* 998 bytes held for nothing */
    CHECK_EQ_U(gs_refs(&a), 1);
    CHECK_EQ_U(gs_array_bytes(&a), 1000);
    gs_release(&a);
    FINISH();
}

static void sub_bounds(void)
{
    gs_slice_t b, a, keep;
    start(GS_GROW_GO);
    CHECK_OK(gs_make(&H, 4, 2, 6, &b));
    CHECK_OK(gs_sub(&b, 1, 6, &a));            /* hi past len, up to cap */
    CHECK_EQ_U(a.len, 5);
    CHECK_EQ_U(a.cap, 5);
    CHECK(a.data == b.data + 4);
    ACCT(1, 24, 2, 8 + 20);
    gs_release(&a);
    memset(&a, 0x33, sizeof a);
    keep = a;
    CHECK_ERR(gs_sub(&b, 0, 7, &a), -ERANGE);  /* hi > cap */
    CHECK_ERR(gs_sub(&b, 3, 2, &a), -ERANGE);  /* lo > hi */
    CHECK_ERR(gs_sub(&b, SIZE_MAX, SIZE_MAX, &a), -ERANGE);
    CHECK_ERR(gs_sub3(&b, 0, 2, 7, &a), -ERANGE);   /* max > cap */
    CHECK_ERR(gs_sub3(&b, 0, 3, 2, &a), -ERANGE);   /* hi > max */
    CHECK_ERR(gs_sub3(&b, 3, 2, 4, &a), -ERANGE);   /* lo > hi */
    CHECK_ERR(gs_sub(NULL, 0, 0, &a), -EINVAL);
    CHECK_ERR(gs_sub(&b, 0, 0, NULL), -EINVAL);
    CHECK_EQ_MEM(&a, &keep, sizeof a);
    CHECK_EQ_U(gs_refs(&b), 1);
    ACCT(1, 24, 1, 8);
    gs_release(&b);
    FINISH();
}

/* b[len:len] of a full slice reaches nothing but still pins the array. */
static void sub_with_zero_cap_still_pins(void)
{
    gs_slice_t b, v, w, n = gs_nil(2), m;
    start(GS_GROW_GO);
    CHECK_OK(gs_make(&H, 2, 4, 4, &b));
    CHECK_OK(gs_sub(&b, 4, 4, &v));
    CHECK(v.data == NULL && v.array != NULL);
    CHECK_EQ_U(v.cap, 0);
    CHECK(gs_same_array(&v, &b));
    CHECK_OK(gs_sub3(&b, 1, 1, 1, &w));
    CHECK(w.data == NULL && w.array != NULL);
    CHECK_EQ_U(gs_refs(&b), 3);
    gs_release(&b);
    ACCT(1, 8, 2, 0);
    gs_release(&v);
    ACCT(1, 8, 1, 0);
    gs_release(&w);
    ACCT(0, 0, 0, 0);
    /* a nil slice's [0:0] is nil again */
    CHECK_OK(gs_sub(&n, 0, 0, &m));
    CHECK(m.array == NULL && m.data == NULL);
    CHECK_EQ_U(m.elem, 2);
    CHECK_ERR(gs_sub(&n, 0, 1, &m), -ERANGE);
    FINISH();
}

/* s = s[lo:hi]: the same handle, the same single reference. */
static void sub_in_place(void)
{
    gs_slice_t s;
    start(GS_GROW_GO);
    CHECK_OK(gs_make(&H, 8, 10, 10, &s));
    unsigned char *base = s.data;
    CHECK_OK(gs_sub(&s, 2, 5, &s));
    CHECK(s.data == base + 16);
    CHECK_EQ_U(s.len, 3);
    CHECK_EQ_U(s.cap, 8);
    CHECK_EQ_U(gs_refs(&s), 1);
    ACCT(1, 80, 1, 24);
    CHECK_OK(gs_sub3(&s, 1, 2, 4, &s));
    CHECK(s.data == base + 24);
    CHECK_EQ_U(s.len, 1);
    CHECK_EQ_U(s.cap, 3);
    ACCT(1, 80, 1, 8);
    CHECK_ERR(gs_sub(&s, 0, 4, &s), -ERANGE);
    CHECK_EQ_U(s.len, 1);
    CHECK_OK(gs_sub(&s, 3, 3, &s));            /* to cap 0: pins, no address */
    CHECK(s.data == NULL && s.array != NULL);
    ACCT(1, 80, 1, 0);
    gs_release(&s);
    FINISH();
}

/* ---- append ---- */

/* Appending to b[:2] writes b[2], as in Go: the two share the array. */
static void append_in_place_overwrites_shared(void)
{
    gs_slice_t b = gs_nil(1), a, c;
    start(GS_GROW_GO);
    put_bytes(&b, "abcde");
    CHECK_EQ_U(b.cap, 8);
    CHECK_OK(gs_sub(&b, 0, 2, &a));
    CHECK_OK(gs_append1(&H, &a, "X"));
    CHECK(a.data == b.data);
    CHECK_CONTENT(a, "abX");
    CHECK_CONTENT(b, "abXde");                 /* b[2] overwritten */
    CHECK_EQ_U(H.grows, 1);                    /* only b's first append */
    ACCT(1, 8, 2, 3 + 5);
    /* past b's len, into the spare capacity b[:cap] reaches */
    CHECK_OK(gs_sub(&b, 5, 5, &c));
    CHECK_OK(gs_append(&H, &c, "YZ", 2));
    CHECK(c.data == b.data + 5);
    CHECK_EQ_U(b.len, 5);
    CHECK_EQ_MEM(b.data, "abXdeYZ", 7);
    CHECK_EQ_U(gs_refs(&b), 3);
    ACCT(1, 8, 3, 3 + 5 + 2);
    gs_release(&b);
    gs_release(&a);
    ACCT(1, 8, 1, 2);
    gs_release(&c);
    FINISH();
}

/* s[lo:hi:max] then append: the full-slice expression forces a copy. */
static void sub3_then_append_reallocates(void)
{
    gs_slice_t b = gs_nil(1), a;
    start(GS_GROW_GO);
    put_bytes(&b, "abcde");
    CHECK_OK(gs_sub3(&b, 0, 2, 2, &a));
    CHECK_EQ_U(a.cap, 2);
    CHECK_OK(gs_append1(&H, &a, "X"));
    CHECK(!gs_same_array(&a, &b));
    CHECK_CONTENT(a, "abX");
    CHECK_CONTENT(b, "abcde");                 /* untouched */
    CHECK_EQ_U(a.cap, 8);                      /* go: 2 -> 4 -> class 8 */
    CHECK_EQ_U(gs_refs(&b), 1);
    CHECK_EQ_U(gs_refs(&a), 1);
    CHECK_EQ_U(H.grows, 2);
    ACCT(2, 16, 2, 8);
    gs_release(&a);
    gs_release(&b);
    FINISH();
}

static void append_grows_go_policy(void)
{
    gs_slice_t s = gs_nil(1);
    static const size_t caps[] = { 8, 16, 32, 64, 128, 256, 512, 896, 1408 };
    size_t i, k = 0, prev_cap = 0;
    start(GS_GROW_GO);
    for (i = 0; i < 1400; i++) {
        unsigned char c = (unsigned char)(i * 7 + 1);
        CHECK_OK(gs_append1(&H, &s, &c));
        if (s.cap != prev_cap) {
            CHECK(k < sizeof caps / sizeof caps[0]);
            CHECK_EQ_U(s.cap, caps[k]);
            k++;
            prev_cap = s.cap;
        }
        ACCT(1, s.cap, 1, s.len);              /* old arrays freed at once */
    }
    CHECK_EQ_U(k, 9);
    CHECK_EQ_U(H.grows, 9);
    CHECK_EQ_U(H.arrays_made, 9);
    for (i = 0; i < 1400; i++) CHECK_EQ_U(s.data[i], (unsigned char)(i * 7 + 1));
    for (i = 1400; i < s.cap; i++) CHECK_EQ_U(s.data[i], 0);   /* tail zeroed */
    /* peak: the last growth had 896 and 1408 live at once */
    CHECK_EQ_U(H.peak_held_bytes, 896 + 1408);
    gs_release(&s);
    FINISH();
}

static void append_grows_plain_policies(void)
{
    static const size_t dbl[] = { 1, 2, 4, 8, 16 }, x15[] = { 1, 2, 3, 4, 6, 9, 13 };
    gs_slice_t s;
    size_t i, k;
    uint32_t v = 0;
    start(GS_GROW_DOUBLE);
    s = gs_nil(4);
    for (i = 0, k = 0; i < 16; i++) {
        size_t before = s.cap;
        CHECK_OK(gs_append1(&H, &s, &v));
        if (s.cap != before) CHECK_EQ_U(s.cap, dbl[k++]);
    }
    CHECK_EQ_U(k, 5);
    gs_release(&s);
    FINISH();
    start(GS_GROW_X1_5);
    s = gs_nil(4);
    for (i = 0, k = 0; i < 13; i++) {
        size_t before = s.cap;
        CHECK_OK(gs_append1(&H, &s, &v));
        if (s.cap != before) CHECK_EQ_U(s.cap, x15[k++]);
    }
    CHECK_EQ_U(k, 7);
    gs_release(&s);
    FINISH();
}

/* The tail past the new len is zero even when malloc hands back dirty
 * memory (mem_alloc does not clear). */
static void append_zeroes_tail_of_dirty_block(void)
{
    gs_slice_t s = gs_nil(1);
    void *p;
    size_t i, round;
    start(GS_GROW_GO);
    for (round = 0; round < 4; round++) {
        CHECK_OK(mem_alloc(16, &p));           /* the block append will get */
        memset(p, 0xee, 16);
        mem_free(p, 16);
        CHECK_OK(gs_append(&H, &s, "0123456789", 10));   /* cap 16 */
        for (i = s.len; i < s.cap; i++) CHECK_EQ_U(s.data[i], 0);
        gs_release(&s);
    }
    FINISH();
}

/* append(s, s...) with and without room. */
static void append_self(void)
{
    gs_slice_t s = gs_nil(1), t;
    start(GS_GROW_GO);
    put_bytes(&s, "abc");                      /* cap 8: room */
    CHECK_OK(gs_append_slice(&H, &s, &s));
    CHECK_CONTENT(s, "abcabc");
    CHECK_EQ_U(H.grows, 1);
    CHECK_OK(gs_append_slice(&H, &s, &s));     /* 12 > 8: grows */
    CHECK_CONTENT(s, "abcabcabcabc");
    CHECK_EQ_U(H.grows, 2);
    ACCT(1, 16, 1, 12);
    /* growing while another view keeps the old array */
    CHECK_OK(gs_sub(&s, 0, 12, &t));
    CHECK_OK(gs_append_slice(&H, &s, &s));
    CHECK_CONTENT(s, "abcabcabcabcabcabcabcabc");
    CHECK_CONTENT(t, "abcabcabcabc");
    CHECK_EQ_U(gs_refs(&t), 1);
    ACCT(2, 16 + 32, 2, 24 + 12);
    gs_release(&s);
    gs_release(&t);
    /* src is dst's own array, whose last reference this append drops */
    put_bytes(&s, "abc");
    CHECK_OK(gs_clone(&H, &s, &s));            /* cap 3 exactly */
    CHECK_OK(gs_append_slice(&H, &s, &s));
    CHECK_CONTENT(s, "abcabc");
    ACCT(1, 8, 1, 6);
    gs_release(&s);
    FINISH();
}

/* append(s[:4], s[2:6]...): the source overlaps the destination. */
static void append_overlapping_window(void)
{
    gs_slice_t s = gs_nil(1), src;
    start(GS_GROW_GO);
    put_bytes(&s, "01234567");                 /* len 8, cap 8 */
    CHECK_OK(gs_sub(&s, 0, 4, &s));
    CHECK_OK(gs_sub(&s, 2, 6, &src));          /* "2345", past s's len */
    CHECK_OK(gs_append_slice(&H, &s, &src));
    CHECK_CONTENT(s, "01232345");              /* read before written */
    CHECK_CONTENT(src, "2323");                /* src sees the overwrite */
    CHECK_EQ_U(H.grows, 1);
    /* the same through a raw pointer, with growth */
    CHECK_OK(gs_append(&H, &s, gs_at(&s, 1), 7));
    CHECK_CONTENT(s, "012323451232345");
    CHECK_EQ_U(H.grows, 2);
    CHECK_CONTENT(src, "2323");                /* old array, still alive */
    ACCT(2, 8 + 16, 2, 15 + 4);
    gs_release(&src);
    ACCT(1, 16, 1, 15);
    gs_release(&s);
    FINISH();
}

/* Growth moves one handle; the others keep the old array. */
static void append_grow_keeps_other_views(void)
{
    gs_slice_t b, a;
    uint64_t x = 0x1122334455667788u;
    start(GS_GROW_GO);
    CHECK_OK(gs_make(&H, 8, 4, 4, &b));
    CHECK_OK(gs_sub(&b, 0, 4, &a));
    CHECK_OK(gs_append1(&H, &a, &x));
    CHECK(!gs_same_array(&a, &b));
    CHECK_EQ_U(a.cap, 8);
    CHECK_EQ_U(gs_refs(&b), 1);
    CHECK_EQ_MEM(gs_at(&a, 4), &x, 8);
    ACCT(2, 32 + 64, 2, 32 + 40);
    gs_release(&b);                            /* old array freed now */
    ACCT(1, 64, 1, 40);
    gs_release(&a);
    FINISH();
}

static void append_nothing(void)
{
    gs_slice_t s = gs_nil(8), e;
    start(GS_GROW_GO);
    CHECK_OK(gs_append(&H, &s, NULL, 0));
    CHECK(s.array == NULL && s.data == NULL);
    e = gs_nil(8);
    CHECK_OK(gs_append_slice(&H, &s, &e));
    CHECK(s.array == NULL);
    CHECK_EQ_U(H.arrays_made, 0);
    FINISH();
}

static void append_errors_change_nothing(void)
{
    gs_slice_t s = gs_nil(2), keep, other = gs_nil(4);
    gs_heap_t h2;
    start(GS_GROW_GO);
    CHECK_OK(gs_append(&H, &s, "abcd", 2));    /* 2 elements of 2 bytes */
    CHECK_EQ_U(s.cap, 4);
    keep = s;
    CHECK_ERR(gs_append(NULL, &s, "xx", 1), -EINVAL);
    CHECK_ERR(gs_append(&H, NULL, "xx", 1), -EINVAL);
    CHECK_ERR(gs_append(&H, &s, NULL, 1), -EINVAL);
    CHECK_ERR(gs_append(&H, &s, "xx", SIZE_MAX), -EOVERFLOW);
    CHECK_ERR(gs_append(&H, &s, "xx", SIZE_MAX - 1), -EOVERFLOW);
    CHECK_ERR(gs_append(&H, &s, "xx", (size_t)PTRDIFF_MAX / 2 - 1), -EOVERFLOW);
    CHECK_ERR(gs_append_slice(&H, &s, &other), -EINVAL);  /* 2 vs 4 bytes */
    CHECK_ERR(gs_append_slice(&H, &s, NULL), -EINVAL);
    gs_heap_init(&h2, GS_GROW_GO);             /* s belongs to H */
    CHECK_ERR(gs_append1(&h2, &s, "xx"), -EINVAL);
    CHECK_OK(gs_heap_destroy(&h2));
    H.policy = (gs_policy_t)7;                 /* cannot grow */
    CHECK_ERR(gs_append(&H, &s, "xxxxxxxx", 4), -EINVAL);
    CHECK_EQ_MEM(&s, &keep, sizeof s);
    ACCT(1, 8, 1, 4);
    CHECK_EQ_U(H.grows, 1);
    CHECK_OK(gs_append(&H, &s, "yy", 1));      /* but has room */
    CHECK_EQ_U(s.len, 3);
    H.policy = GS_GROW_GO;
    gs_release(&s);
    FINISH();
}

/* ---- copy, clone, clip ---- */

static void copy_overlap_both_ways(void)
{
    gs_slice_t s = gs_nil(1), lo, hi;
    size_t n = 0;
    start(GS_GROW_GO);
    put_bytes(&s, "0123456789");
    CHECK_OK(gs_sub(&s, 0, 8, &lo));
    CHECK_OK(gs_sub(&s, 2, 10, &hi));
    CHECK_OK(gs_copy(&hi, &lo, &n));           /* forward: to higher addresses */
    CHECK_EQ_U(n, 8);
    CHECK_CONTENT(s, "0101234567");
    CHECK_OK(gs_copy(&lo, &hi, &n));           /* backward */
    CHECK_CONTENT(s, "0123456767");
    CHECK_CONTENT(lo, "01234567");
    /* count is min(len) */
    gs_release(&hi);
    CHECK_OK(gs_sub(&s, 7, 10, &hi));
    CHECK_OK(gs_copy(&lo, &hi, &n));
    CHECK_EQ_U(n, 3);
    CHECK_CONTENT(s, "7673456767");
    CHECK_OK(gs_copy(&hi, &hi, NULL));         /* onto itself */
    ACCT(1, 16, 3, 10 + 8 + 3);
    gs_release(&lo);
    gs_release(&hi);
    gs_release(&s);
    FINISH();
}

static void copy_errors(void)
{
    gs_slice_t a = gs_nil(1), b = gs_nil(2);
    size_t n = 99;
    start(GS_GROW_GO);
    CHECK_ERR(gs_copy(&a, &b, &n), -EINVAL);
    CHECK_ERR(gs_copy(NULL, &b, &n), -EINVAL);
    CHECK_ERR(gs_copy(&a, NULL, &n), -EINVAL);
    CHECK_EQ_U(n, 99);
    CHECK_OK(gs_copy(&a, &a, &n));             /* nil to nil: 0 */
    CHECK_EQ_U(n, 0);
    FINISH();
}

/* The fix: a copy with an exact cap lets the big array go. */
static void clone_exact_cap_frees_big_array(void)
{
    gs_slice_t b, a, c;
    start(GS_GROW_GO);
    CHECK_OK(gs_make(&H, 4, 1000, 1000, &b));
    memcpy(b.data, "wxyz1234", 8);
    CHECK_OK(gs_sub(&b, 0, 2, &a));
    CHECK_OK(gs_clone(&H, &a, &c));
    CHECK_EQ_U(c.len, 2);
    CHECK_EQ_U(c.cap, 2);
    CHECK(!gs_same_array(&c, &b));
    CHECK_EQ_MEM(c.data, "wxyz1234", 8);
    ACCT(2, 4000 + 8, 3, 4000 + 8 + 8);
    CHECK_EQ_U(H.grows, 0);
    CHECK_EQ_U(H.arrays_made, 2);
    gs_release(&a);
    gs_release(&b);
    ACCT(1, 8, 1, 8);                          /* 4000 bytes gone */
    /* clone in place: s = clone(s) */
    CHECK_OK(gs_make(&H, 4, 1000, 1000, &b));
    CHECK_OK(gs_sub(&b, 10, 13, &a));
    gs_release(&b);
    ACCT(2, 8 + 4000, 2, 8 + 12);
    CHECK_OK(gs_clone(&H, &a, &a));
    CHECK_EQ_U(a.cap, 3);
    CHECK_EQ_U(gs_refs(&a), 1);
    ACCT(2, 8 + 12, 2, 8 + 12);
    CHECK_EQ_U(H.peak_held_bytes, 8 + 4000 + 12);
    /* clone of empty: no array; in place it drops the reference */
    CHECK_OK(gs_sub(&a, 0, 0, &a));
    CHECK(a.array != NULL);
    CHECK_OK(gs_clone(&H, &a, &a));
    CHECK(a.array == NULL && a.data == NULL);
    CHECK_EQ_U(a.elem, 4);
    ACCT(1, 8, 1, 8);
    gs_release(&c);
    CHECK_ERR(gs_clone(NULL, &c, &a), -EINVAL);
    CHECK_ERR(gs_clone(&H, NULL, &a), -EINVAL);
    CHECK_ERR(gs_clone(&H, &c, NULL), -EINVAL);
    FINISH();
}

static void clip_forces_reallocation(void)
{
    gs_slice_t b = gs_nil(1), a;
    start(GS_GROW_GO);
    put_bytes(&b, "abcde");
    CHECK_OK(gs_sub(&b, 1, 3, &a));
    gs_clip(&a);
    CHECK_EQ_U(a.cap, 2);
    CHECK(gs_same_array(&a, &b));              /* clip frees nothing */
    ACCT(1, 8, 2, 5 + 2);
    CHECK_OK(gs_append1(&H, &a, "X"));
    CHECK(!gs_same_array(&a, &b));
    CHECK_CONTENT(a, "bcX");
    CHECK_CONTENT(b, "abcde");
    gs_release(&b);
    CHECK_OK(gs_sub(&a, 0, 0, &a));
    gs_clip(&a);                               /* to cap 0: no address */
    CHECK(a.data == NULL && a.array != NULL);
    ACCT(1, 8, 1, 0);
    gs_release(&a);
    FINISH();
}

/* ---- lifetimes ---- */

/* Three views, every release order: the array goes with the last. */
static void release_orders(void)
{
    static const int orders[6][3] = { { 0, 1, 2 }, { 0, 2, 1 }, { 1, 0, 2 },
                                      { 1, 2, 0 }, { 2, 0, 1 }, { 2, 1, 0 } };
    int o, k;
    start(GS_GROW_GO);
    for (o = 0; o < 6; o++) {
        gs_slice_t v[3];
        size_t refd;
        CHECK_OK(gs_make(&H, 8, 8, 16, &v[0]));
        CHECK_OK(gs_sub(&v[0], 2, 4, &v[1]));
        CHECK_OK(gs_sub3(&v[1], 1, 2, 3, &v[2]));
        refd = (8 + 2 + 1) * 8;
        ACCT(1, 128, 3, refd);
        for (k = 0; k < 3; k++) {
            gs_slice_t *s = &v[orders[o][k]];
            refd -= s->len * 8;
            gs_release(s);
            if (k < 2) ACCT(1, 128, 2 - (size_t)k, refd);
            else ACCT(0, 0, 0, 0);
        }
    }
    FINISH();
}

/* More arrays than one header chunk holds, freed and made again: headers
 * are recycled, never counted as held memory. */
static void many_arrays_recycle_headers(void)
{
    static gs_slice_t v[1000];
    size_t i, round;
    start(GS_GROW_GO);
    for (round = 0; round < 3; round++) {
        for (i = 0; i < 1000; i++) CHECK_OK(gs_make(&H, 3, 1, 1 + i % 7, &v[i]));
        CHECK_EQ_U(H.live_arrays, 1000);
        CHECK_EQ_U(H.live_slices, 1000);
        CHECK_EQ_U(H.referenced_bytes, 3000);
        for (i = 0; i < 1000; i += 2) gs_release(&v[i]);
        CHECK_EQ_U(H.live_arrays, 500);
        for (i = 1; i < 1000; i += 2) gs_release(&v[i]);
        ACCT(0, 0, 0, 0);
    }
    CHECK_EQ_U(H.arrays_made, 3000);
    FINISH();
}

static void heap_destroy_busy(void)
{
    gs_slice_t s;
    start(GS_GROW_DOUBLE);
    CHECK_ERR(gs_heap_destroy(NULL), -EINVAL);
    CHECK_OK(gs_make(&H, 1, 1, 1, &s));
    CHECK_ERR(gs_heap_destroy(&H), -EBUSY);
    ACCT(1, 1, 1, 1);                          /* still usable */
    CHECK_OK(gs_append1(&H, &s, "z"));
    CHECK_EQ_U(s.cap, 2);
    gs_release(&s);
    CHECK_OK(gs_heap_destroy(&H));
    CHECK_EQ_I(H.policy, GS_GROW_DOUBLE);
    CHECK_EQ_U(H.arrays_made, 0);
    CHECK_OK(gs_heap_destroy(&H));             /* twice is fine */
    FINISH();
}

/* A handle that breaks the invariants is refused, not trusted. */
static void malformed_handles_rejected(void)
{
    gs_slice_t bad = gs_nil(0), s, out;
    start(GS_GROW_GO);
    CHECK_ERR(gs_sub(&bad, 0, 0, &out), -EINVAL);
    CHECK_ERR(gs_append1(&H, &bad, "x"), -EINVAL);
    bad = gs_nil(1);
    bad.len = 1;                               /* len > cap */
    CHECK_ERR(gs_sub(&bad, 0, 0, &out), -EINVAL);
    CHECK_OK(gs_make(&H, 1, 1, 1, &s));
    bad = s;
    bad.elem = 2;                              /* not the array's elem */
    CHECK_ERR(gs_copy(&bad, &s, NULL), -EINVAL);
    CHECK_ERR(gs_clone(&H, &bad, &out), -EINVAL);
    gs_release(&s);
    FINISH();
}

/* The counting allocator's sized pair (what the model uses) counts as the
 * plain pair does, and either free undoes either alloc. */
static void allocator_sized_pair(void)
{
    void *p, *q;
    size_t u, v;
    mem_counts_t mc;
    mem_counts_reset();
    CHECK_OK(mem_alloc_usable(100, 1, &p, &u));
    CHECK_EQ_U(u, mem_usable_size(p));
    CHECK(u >= 100);
    CHECK(((unsigned char *)p)[99] == 0);
    CHECK_OK(mem_alloc(40, &q));
    v = mem_usable_size(q);
    mem_counts_get(&mc);
    CHECK_EQ_I(mc.live_bytes, u + v);
    CHECK_EQ_I(mc.live_requested, 140);
    CHECK_EQ_U(mc.allocs, 2);
    mem_free(p, 100);
    mem_free_usable(q, 40, v);
    mem_free_usable(NULL, 1, 1);
    mem_counts_get(&mc);
    CHECK_EQ_I(mc.live_bytes, 0);
    CHECK_EQ_I(mc.live_requested, 0);
    CHECK_EQ_U(mc.frees, 2);
    CHECK_ERR(mem_alloc_usable(0, 0, &p, &u), -EINVAL);
    mem_fail_arm(0);
    CHECK_ERR(mem_alloc_usable(8, 0, &p, &u), -ENOMEM);
    mem_counts_get(&mc);
    CHECK_EQ_U(mc.allocs, 2);
}

int main(int argc, char **argv)
{
    static const check_case_t cases[] = {
        CHECK_CASE(allocator_sized_pair),
        CHECK_CASE(nil_slice),
        CHECK_CASE(make_zeroed_exact),
        CHECK_CASE(make_zero_cap_has_no_array),
        CHECK_CASE(make_errors_change_nothing),
        CHECK_CASE(sub_pins_whole_array),
        CHECK_CASE(sub_bounds),
        CHECK_CASE(sub_with_zero_cap_still_pins),
        CHECK_CASE(sub_in_place),
        CHECK_CASE(append_in_place_overwrites_shared),
        CHECK_CASE(sub3_then_append_reallocates),
        CHECK_CASE(append_grows_go_policy),
        CHECK_CASE(append_grows_plain_policies),
        CHECK_CASE(append_zeroes_tail_of_dirty_block),
        CHECK_CASE(append_self),
        CHECK_CASE(append_overlapping_window),
        CHECK_CASE(append_grow_keeps_other_views),
        CHECK_CASE(append_nothing),
        CHECK_CASE(append_errors_change_nothing),
        CHECK_CASE(copy_overlap_both_ways),
        CHECK_CASE(copy_errors),
        CHECK_CASE(clone_exact_cap_frees_big_array),
        CHECK_CASE(clip_forces_reallocation),
        CHECK_CASE(release_orders),
        CHECK_CASE(many_arrays_recycle_headers),
        CHECK_CASE(heap_destroy_busy),
        CHECK_CASE(malformed_handles_rejected),
    };
    return check_main(argc, argv, cases, CHECK_COUNT(cases));
}
