/* test_gs_nomem.c -- allocation failures: every operation that allocates
 * returns -ENOMEM and leaves its slices and the heap's accounting exactly
 * as they were (the strong guarantee of gs.h), with failures made by the
 * counting allocator's failure switch (mem_fail_arm in mem.h). */
#include "check.h"
#include "gs.h"
#include "mem.h"

#include <errno.h>
#include <stddef.h>
#include <string.h>

static gs_heap_t H;

static void start(void)
{
    mem_fail_disarm();
    mem_counts_reset();
    gs_heap_init(&H, GS_GROW_GO);
}

/* The heap's public figures, before and after a failed call (the private
 * pool of headers may have grown a chunk: that is not accounting). */
#define SAME_HEAP(before)                                                     \
    do {                                                                      \
        CHECK_EQ_MEM(&H, &(before), offsetof(gs_heap_t, free_hdrs_));         \
        mem_counts_get(&mc_);                                                 \
        CHECK_EQ_I(mc_.live_bytes, H.held_reserved_bytes);                    \
    } while (0)

static mem_counts_t mc_;

static void make_fails_cleanly(void)
{
    gs_slice_t s, keep;
    gs_heap_t before;
    start();
    memset(&s, 0x77, sizeof s);
    keep = s;
    before = H;
    mem_fail_arm(0);
    CHECK_ERR(gs_make(&H, 8, 1, 4, &s), -ENOMEM);
    CHECK(!mem_fail_armed());
    CHECK_EQ_MEM(&s, &keep, sizeof s);
    SAME_HEAP(before);
    /* zero cap allocates nothing, so cannot fail */
    mem_fail_arm(0);
    CHECK_OK(gs_make(&H, 8, 0, 0, &s));
    CHECK(mem_fail_armed());
    mem_fail_disarm();
    CHECK_OK(gs_heap_destroy(&H));
}

static void append_growth_fails_cleanly(void)
{
    gs_slice_t s = gs_nil(1), view, keep, keep_view;
    gs_heap_t before;
    start();
    CHECK_OK(gs_append(&H, &s, "abcdefgh", 8));    /* cap 8, full */
    CHECK_OK(gs_sub(&s, 2, 4, &view));
    keep = s;
    keep_view = view;
    before = H;
    mem_fail_arm(0);
    CHECK_ERR(gs_append1(&H, &s, "X"), -ENOMEM);
    CHECK_EQ_MEM(&s, &keep, sizeof s);
    CHECK_EQ_MEM(s.data, "abcdefgh", 8);
    SAME_HEAP(before);
    mem_fail_arm(0);
    CHECK_ERR(gs_append_slice(&H, &s, &s), -ENOMEM);
    mem_fail_arm(0);
    CHECK_ERR(gs_append_slice(&H, &view, &s), -ENOMEM);  /* 2 + 8 > 6 */
    CHECK_EQ_MEM(&s, &keep, sizeof s);
    CHECK_EQ_MEM(&view, &keep_view, sizeof view);
    CHECK_EQ_U(gs_refs(&s), 2);
    SAME_HEAP(before);
    CHECK(!mem_fail_armed());
    /* with room nothing is allocated: the failure stays pending */
    mem_fail_arm(0);
    CHECK_OK(gs_append1(&H, &view, "Y"));
    CHECK(mem_fail_armed());
    CHECK_EQ_MEM(s.data, "abcdYfgh", 8);
    mem_fail_disarm();
    gs_release(&view);
    gs_release(&s);
    CHECK_OK(gs_heap_destroy(&H));
}

static void clone_fails_cleanly(void)
{
    gs_slice_t b, a, out, keep;
    gs_heap_t before;
    start();
    CHECK_OK(gs_make(&H, 4, 100, 100, &b));
    CHECK_OK(gs_sub(&b, 0, 3, &a));
    gs_release(&b);
    keep = a;
    before = H;
    memset(&out, 0x11, sizeof out);
    mem_fail_arm(0);
    CHECK_ERR(gs_clone(&H, &a, &out), -ENOMEM);
    mem_fail_arm(0);
    CHECK_ERR(gs_clone(&H, &a, &a), -ENOMEM);     /* in place: keeps its array */
    CHECK_EQ_MEM(&a, &keep, sizeof a);
    CHECK_EQ_U(gs_refs(&a), 1);
    SAME_HEAP(before);
    CHECK_OK(gs_clone(&H, &a, &a));
    CHECK_EQ_U(H.live_arrays, 1);
    CHECK_EQ_U(H.held_bytes, 12);
    gs_release(&a);
    CHECK_OK(gs_heap_destroy(&H));
}

/* Fail the k-th allocation of a fixed script, for every k: each run stops
 * at the failure with everything as it was just before it. */
static void every_allocation_can_fail(void)
{
    unsigned long k;
    int finished = 0;
    for (k = 0; !finished; k++) {
        gs_slice_t s = gs_nil(3), t = gs_nil(3), u = gs_nil(3);
        gs_heap_t before;
        int rc = 0, step;
        start();
        mem_fail_arm(k);
        for (step = 0; step < 40 && rc == 0; step++) {
            gs_slice_t ks, kt, ku;
            if (step % 4 == 2) gs_release(&u);
            ks = s;
            kt = t;
            ku = u;
            before = H;
            switch (step % 4) {
            case 0: rc = gs_append(&H, &s, "abcdefghi", 3); break;
            case 1: rc = gs_append_slice(&H, &t, &s); break;
            case 2: rc = gs_clone(&H, &t, &u); break;
            default: rc = gs_append_slice(&H, &s, &s); break;
            }
            if (rc != 0) {
                CHECK_ERR(rc, -ENOMEM);
                CHECK_EQ_MEM(&s, &ks, sizeof s);
                CHECK_EQ_MEM(&t, &kt, sizeof t);
                CHECK_EQ_MEM(&u, &ku, sizeof u);
                SAME_HEAP(before);
            }
        }
        if (rc == 0) finished = 1;
        CHECK(k < 1000);
        gs_release(&s);
        gs_release(&t);
        gs_release(&u);
        mem_fail_disarm();
        CHECK_EQ_U(H.live_arrays, 0);
        CHECK_OK(gs_heap_destroy(&H));
    }
    CHECK(k > 10);
}

/* In the Go GC mode an array with a span of its own comes from the page
 * heap, which counts it in the counting allocator: the failure switch
 * fails it too, with nothing visible changed (the heap may have grown:
 * private), and the next try takes the same pages. */
static void page_heap_fails_cleanly(void)
{
    gs_slice_t s, t;
    gs_heap_t before;
    start();
    CHECK_OK(gs_heap_set_gc(&H, GS_GC_GO, 100));
    CHECK_OK(gs_make(&H, 1, 64 << 10, 64 << 10, &t));
    before = H;
    mem_fail_arm(0);
    CHECK_ERR(gs_make(&H, 1, 40 << 10, 40 << 10, &s), -ENOMEM);
    SAME_HEAP(before);
    mem_fail_arm(0);
    CHECK_ERR(gs_append(&H, &t, "x", 1), -ENOMEM);          /* growth */
    SAME_HEAP(before);
    CHECK_OK(gs_make(&H, 1, 40 << 10, 40 << 10, &s));
    CHECK(s.data == t.data + (64 << 10));
    CHECK_EQ_U(H.held_reserved_bytes, (64 << 10) + (40 << 10));
    gs_release(&s);
    gs_release(&t);
    CHECK_OK(gs_heap_destroy(&H));
    CHECK_OK(gs_heap_set_gc(&H, GS_GC_OFF, 0));
}

/* A small array in the Go GC mode takes a slot of a span, counted in the
 * counting allocator: the failure switch fails it with nothing visible
 * changed, whether the slot would come from the class's current span or
 * from a new span (the current one full), and the next try takes the
 * same slot. */
static void span_slot_fails_cleanly(void)
{
    gs_slice_t s[3], t;
    gs_heap_t before;
    start();
    CHECK_OK(gs_heap_set_gc(&H, GS_GC_GO, 100));
    CHECK_OK(gs_make(&H, 1, 4096, 4096, &s[0]));     /* two to a span */
    before = H;
    mem_fail_arm(0);
    CHECK_ERR(gs_make(&H, 1, 4096, 4096, &t), -ENOMEM);  /* the same span */
    SAME_HEAP(before);
    CHECK_OK(gs_make(&H, 1, 4096, 4096, &s[1]));
    CHECK(s[1].data == s[0].data + 4096);
    before = H;
    mem_fail_arm(0);
    CHECK_ERR(gs_make(&H, 1, 4096, 4096, &t), -ENOMEM);  /* a new span */
    SAME_HEAP(before);
    CHECK_OK(gs_make(&H, 1, 4096, 4096, &s[2]));
    CHECK_EQ_U(H.small_spans, 2);
    CHECK_EQ_U(H.small_span_bytes, 16 << 10);
    gs_release(&s[0]);
    gs_release(&s[1]);
    gs_release(&s[2]);
    CHECK_OK(gs_heap_destroy(&H));
    CHECK_EQ_U(H.small_spans, 0);
    CHECK_OK(gs_heap_set_gc(&H, GS_GC_OFF, 0));
}

int main(int argc, char **argv)
{
    static const check_case_t cases[] = {
        CHECK_CASE(make_fails_cleanly),
        CHECK_CASE(page_heap_fails_cleanly),
        CHECK_CASE(span_slot_fails_cleanly),
        CHECK_CASE(append_growth_fails_cleanly),
        CHECK_CASE(clone_fails_cleanly),
        CHECK_CASE(every_allocation_can_fail),
    };
    return check_main(argc, argv, cases, CHECK_COUNT(cases));
}
