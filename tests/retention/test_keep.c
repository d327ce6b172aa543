/* test_keep.c -- the strategies hold exactly what the model says they hold.
 *
 * For each strategy: held bytes from the formula of the issue (retain:
 * M x N; copy: M x k; append: final capacity x elem from the growth policy;
 * exactcap: M x k; ...), reserved bytes equal to the allocator's usable
 * sizes of the live arrays and to the counting allocator's live bytes,
 * the kept bytes intact, and everything freed after release.
 */
#include <errno.h>
#include <string.h>

#include "check.h"
#include "gs.h"
#include "keep.h"
#include "mem.h"

enum { MAX_M = 64 };
static gs_slice_t keep[MAX_M];

/* The capacity append reaches appending ke elements m times from nil. */
static size_t append_cap(gs_policy_t p, size_t m, size_t ke, size_t elem,
                         uint64_t *grows)
{
    size_t cap = 0, next;
    *grows = 0;
    for (size_t i = 1; i <= m; i++)
        if (i * ke > cap) {
            CHECK_OK(gs_next_cap(p, cap, i * ke, elem, &next));
            cap = next;
            ++*grows;
        }
    return cap;
}

/* The capacity element-by-element append from nil reaches for ke elements. */
static size_t each_cap(gs_policy_t p, size_t ke, size_t elem)
{
    size_t cap = 0, next;
    while (cap < ke) {
        CHECK_OK(gs_next_cap(p, cap, cap + 1, elem, &next));
        cap = next;
    }
    return cap;
}

/* Sum of the allocator's usable sizes of the distinct arrays kept. */
static size_t reserved_of_kept(size_t m)
{
    size_t sum = 0;
    for (size_t i = 0; i < m; i++) {
        int seen = 0;
        for (size_t j = 0; j < i && !seen; j++) seen = gs_same_array(&keep[i], &keep[j]);
        if (!seen) sum += gs_array_reserved(&keep[i]);
    }
    return sum;
}

static void run_case(gs_policy_t p, size_t n, size_t k, size_t m, size_t elem)
{
    const keep_case_t c = {n, k, m, elem};
    const size_t ke = k / elem;
    for (int s = 0; s < KEEP_STRATEGY_COUNT; s++) {
        gs_heap_t h;
        keep_held_t held;
        mem_counts_t mc;
        uint64_t grows = 0, peak;
        size_t expect_held, expect_arrays;
        gs_heap_init(&h, p);
        mem_counts_reset();
        CHECK_OK(keep_batch(&h, &c, (keep_strategy_t)s, keep, 7, &held));

        switch ((keep_strategy_t)s) {
        case KEEP_RECEIVE_ONLY:
            expect_held = 0, expect_arrays = 0;
            break;
        case KEEP_RETAIN:
            expect_held = m * n, expect_arrays = m;
            for (size_t i = 0; i < m; i++) CHECK_EQ_U(gs_array_bytes(&keep[i]), n);
            break;
        case KEEP_COPY:
            expect_held = m * k, expect_arrays = m;
            break;
        case KEEP_APPEND:
            expect_held = append_cap(p, m, ke, elem, &grows) * elem, expect_arrays = 1;
            CHECK_EQ_U(held.grows, grows);
            break;
        case KEEP_EXACTCAP:
            expect_held = m * k, expect_arrays = 1;
            CHECK_EQ_U(held.grows, 0);
            break;
        case KEEP_APPEND_NIL: {
            size_t cap;
            CHECK_OK(gs_next_cap(p, 0, ke, elem, &cap));
            expect_held = m * cap * elem, expect_arrays = m;
            break;
        }
        case KEEP_APPEND_EACH:
            expect_held = m * each_cap(p, ke, elem) * elem, expect_arrays = m;
            break;
        default:
            CHECK(0);
            return;
        }
        CHECK_EQ_U(held.held_bytes, expect_held);
        CHECK_EQ_U(held.live_arrays, expect_arrays);
        CHECK_EQ_U(held.referenced_bytes, s == KEEP_RECEIVE_ONLY ? 0 : m * k);
        CHECK_EQ_U(held.held_reserved_bytes, reserved_of_kept(m));
        CHECK(held.held_reserved_bytes >= held.held_bytes);
        mem_counts_get(&mc);
        CHECK_EQ_I(mc.live_bytes, held.held_reserved_bytes);

        /* item i kept the first k bytes of its source, filled with 7 + i */
        if (s != KEEP_RECEIVE_ONLY)
            for (size_t i = 0; i < m; i++) {
                unsigned char want[4096];
                size_t len = k < sizeof want ? k : sizeof want;
                memset(want, (int)((7 + i) & 0xff), len);
                CHECK_EQ_U(keep[i].len * elem, k);
                CHECK_EQ_MEM(keep[i].data, want, len);
            }

        /* the estimate the budget and the guard use covers what is held */
        CHECK_OK(keep_expected_peak(&c, p, (keep_strategy_t)s, &peak));
        CHECK(peak >= held.held_bytes);

        keep_release(&h, keep, m);
        CHECK_EQ_U(h.live_arrays, 0);
        CHECK_EQ_U(h.held_bytes, 0);
        mem_counts_get(&mc);
        CHECK_EQ_I(mc.live_bytes, 0);
        CHECK_OK(gs_heap_destroy(&h));
    }
}

static void small_bytes(void) { run_case(GS_GROW_GO, 64, 16, 50, 1); }
static void two_ints(void) { run_case(GS_GROW_GO, 256, 16, 40, 8); }
static void half_of_n(void) { run_case(GS_GROW_GO, 4096, 2048, 20, 1); }
static void odd_elem(void) { run_case(GS_GROW_GO, 24 * 100, 24 * 7, 33, 24); }
static void past_go_small_limit(void) { run_case(GS_GROW_GO, 64 * 1024, 40000, 9, 8); }
static void large_mmapped(void) { run_case(GS_GROW_GO, 256 * 1024, 16, 8, 1); }
static void doubling(void) { run_case(GS_GROW_DOUBLE, 512, 64, 37, 8); }
static void x1_5(void) { run_case(GS_GROW_X1_5, 512, 96, 37, 8); }

static void bad_cases_are_refused(void)
{
    gs_heap_t h;
    keep_held_t held;
    const keep_case_t k_over_n = {64, 128, 4, 1}, zero_m = {64, 16, 0, 1},
                      not_multiple = {64, 12, 4, 8}, zero_elem = {64, 16, 4, 0};
    uint64_t peak;
    gs_heap_init(&h, GS_GROW_GO);
    CHECK_ERR(keep_batch(&h, &k_over_n, KEEP_COPY, keep, 0, &held), -EINVAL);
    CHECK_ERR(keep_batch(&h, &zero_m, KEEP_COPY, keep, 0, &held), -EINVAL);
    CHECK_ERR(keep_batch(&h, &not_multiple, KEEP_COPY, keep, 0, &held), -EINVAL);
    CHECK_ERR(keep_batch(&h, &zero_elem, KEEP_COPY, keep, 0, &held), -EINVAL);
    CHECK_ERR(keep_expected_peak(&k_over_n, GS_GROW_GO, KEEP_RETAIN, &peak), -EINVAL);
    CHECK_EQ_U(h.live_arrays, 0);
    CHECK_OK(gs_heap_destroy(&h));
}

static void names_round_trip(void)
{
    for (int s = 0; s < KEEP_STRATEGY_COUNT; s++) {
        keep_strategy_t back;
        CHECK_OK(keep_strategy_parse(keep_strategy_name((keep_strategy_t)s), &back));
        CHECK_EQ_I(back, s);
    }
    CHECK(keep_strategy_name(KEEP_STRATEGY_COUNT) == NULL);
    CHECK(keep_strategy_idiom(KEEP_STRATEGY_COUNT) == NULL);
    CHECK_EQ_I(keep_strategy_accumulates(KEEP_STRATEGY_COUNT), 0);
    CHECK_ERR(keep_strategy_parse("leak", &(keep_strategy_t){0}), -EINVAL);
}

/* Every row of the table is complete, and accumulates says what the batch
 * does: one array for all the kept items, or one per item. */
static void table_rows(void)
{
    const keep_case_t c = {64, 16, 8, 1};
    for (int s = 0; s < KEEP_STRATEGY_COUNT; s++) {
        gs_heap_t h;
        keep_held_t held;
        const char *idiom = keep_strategy_idiom((keep_strategy_t)s);
        CHECK(idiom != NULL && idiom[0] != '\0' && strchr(idiom, '\n') == NULL);
        gs_heap_init(&h, GS_GROW_GO);
        CHECK_OK(keep_batch(&h, &c, (keep_strategy_t)s, keep, 1, &held));
        if (s != KEEP_RECEIVE_ONLY)
            CHECK_EQ_U(held.live_arrays,
                       keep_strategy_accumulates((keep_strategy_t)s) ? 1 : c.items);
        keep_release(&h, keep, c.items);
        CHECK_OK(gs_heap_destroy(&h));
    }
    CHECK_EQ_I(keep_strategy_accumulates(KEEP_APPEND), 1);
    CHECK_EQ_I(keep_strategy_accumulates(KEEP_COPY), 0);
}

/* KEEP_UNFILLED (Go's heldBytes rounds): the sources stay as the heap
 * gave them, zeroed, and the batch holds what a filled one holds. */
static void unfilled_sources(void)
{
    const keep_case_t c = {4096, 16, 8, 1};
    for (int s = 0; s < KEEP_STRATEGY_COUNT; s++) {
        gs_heap_t h;
        keep_held_t filled, unfilled;
        static const unsigned char zero[16];
        gs_heap_init(&h, GS_GROW_GO);
        CHECK_OK(keep_batch(&h, &c, (keep_strategy_t)s, keep, 7, &filled));
        keep_release(&h, keep, c.items);
        CHECK_OK(keep_batch(&h, &c, (keep_strategy_t)s, keep, KEEP_UNFILLED, &unfilled));
        CHECK_EQ_U(unfilled.held_bytes, filled.held_bytes);
        CHECK_EQ_U(unfilled.live_arrays, filled.live_arrays);
        CHECK_EQ_U(unfilled.referenced_bytes, filled.referenced_bytes);
        if (s != KEEP_RECEIVE_ONLY)
            for (size_t i = 0; i < c.items; i++) CHECK_EQ_MEM(keep[i].data, zero, 16);
        keep_release(&h, keep, c.items);
        CHECK_OK(gs_heap_destroy(&h));
    }
}

/* M from the budget: the largest M whose worst strategy fits. */
static void items_from_budget(void)
{
    const keep_case_t c = {4096, 16, 0, 1};
    size_t m, max_items = 1u << 20;
    uint64_t peak, worst = 0;
    CHECK_OK(keep_items_for(&c, GS_GROW_GO, 64u << 20, max_items, &m));
    CHECK(m > 0 && m < max_items);
    for (int s = 0; s < KEEP_STRATEGY_COUNT; s++) {
        keep_case_t t = c;
        t.items = m;
        CHECK_OK(keep_expected_peak(&t, GS_GROW_GO, (keep_strategy_t)s, &peak));
        CHECK(peak <= 64u << 20);
        t.items = m + 1;
        CHECK_OK(keep_expected_peak(&t, GS_GROW_GO, (keep_strategy_t)s, &peak));
        if (peak > worst) worst = peak;
    }
    CHECK(worst > 64u << 20);                 /* one more item does not fit */
    CHECK_OK(keep_items_for(&c, GS_GROW_GO, UINT64_MAX, 100, &m));
    CHECK_EQ_U(m, 100);                       /* capped by max_items */
    CHECK_OK(keep_items_for(&c, GS_GROW_GO, 1000, 100, &m));
    CHECK_EQ_U(m, 0);                         /* not even one fits */
    CHECK_ERR(keep_items_for(&(keep_case_t){16, 64, 0, 1}, GS_GROW_GO, 1000,
                             100, &m), -EINVAL);
}

int main(int argc, char **argv)
{
    static const check_case_t cases[] = {
        CHECK_CASE(small_bytes),       CHECK_CASE(two_ints),
        CHECK_CASE(half_of_n),         CHECK_CASE(odd_elem),
        CHECK_CASE(past_go_small_limit), CHECK_CASE(large_mmapped),
        CHECK_CASE(doubling),          CHECK_CASE(x1_5),
        CHECK_CASE(bad_cases_are_refused), CHECK_CASE(names_round_trip),
        CHECK_CASE(table_rows),        CHECK_CASE(items_from_budget),
        CHECK_CASE(unfilled_sources),
    };
    return check_main(argc, argv, cases, CHECK_COUNT(cases));
}
