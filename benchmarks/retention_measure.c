/* retention_measure.c -- one measurement of one case (retention.h).
 *
 * The order of a measurement, and why:
 *   1. the kept handles and the model's array headers are made first, so
 *      neither the peak nor the time pays for the model's bookkeeping;
 *   2. the first batch starts from a heap that has given its free memory
 *      back: its peak RSS over the RSS before it is what keeping costs,
 *      from a clean slate (in a fresh process, the heap really is clean);
 *   3. untimed warm-up batches for --benchmark_min_warmup_time, if any;
 *   4. timed batches until min_time has passed: time, allocations and page
 *      faults per item in the steady state, which a long-running program
 *      lives in. Nothing is given back between batches but what the
 *      allocator gives back by itself.
 * With Go's GC (--gc=go) Go's benchmark harness runs first (go_history):
 * Go's timed loop comes after the case's earlier runs in its process, and
 * they set the pacer's state it starts from. The peak and the page faults both
 * span every batch from step 2 on, per item of all of them: one batch's
 * garbage lies beside the next one's arrays, and Go's own benchmark counts
 * its faults from that heap given back over its whole timed loop, so the
 * heap's faulting-in again is in both.
 * Every batch checks that the counting allocator's live bytes are the
 * model's held bytes, and that every batch holds the same arrays.
 */
#include "retention.h"

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>


/* A line of text on stderr after the measurement, built as it runs: cut,
 * and " ..." added, when its buffer fills. */
typedef struct line_s {
    char *text;              /* cap bytes, '\0'-terminated                */
    size_t cap, len;
    int cut;
} line_t;

static void line_put(line_t *l, const char *fmt, ...)
{
    va_list ap;
    int n;
    if (l->cut) return;
    va_start(ap, fmt);
    n = vsnprintf(l->text + l->len, l->cap - l->len, fmt, ap);
    va_end(ap);
    if (n < 0 || (size_t)n >= l->cap - l->len) {
        l->text[l->len] = '\0';
        l->cut = 1;
        return;
    }
    l->len += (size_t)n;
}

static void line_print(const line_t *l, const char *what, const char *name)
{
    fprintf(stderr, "%s %s:%s%s\n", what, name, l->text, l->cut ? " ..." : "");
}

/* --go-marks: where each mark started from the first batch on (the
 * batches the GC mode's peak and faults span), as " heap/goal" in MiB (the
 * mark log of gs_heap_set_mark_log).
 * --go-spans: the spans the page heap takes for arrays (" aPAGE+PAGES")
 * and for small objects' slots (" sPAGE+PAGES") and gets back (" f" as the
 * sweep reaches a dead array, " r" as a sweep empties a span) and the
 * marks' starts (" m") and ends (" e"), in order, from the first batch on (gs_heap_set_span_log and the
 * mark log). Its buffer is written through before the GC mode is set, so
 * that filling it faults no page in the measurement's counts nor moves
 * Go's clock, which counts the process's faults from then on
 * (gs_go_clock_ns). */
#define MARKS_TEXT ((size_t)3072)
#define SPANS_TEXT ((size_t)1 << 20)
static char spans_text[SPANS_TEXT];

/* What the mark log writes to: --go-marks' line, --go-spans' or both. */
typedef struct go_log_s {
    line_t *marks;           /* NULL: --go-marks off */
    line_t *spans;           /* NULL: --go-spans off */
} go_log_t;

static void note_span(int taken, int array, size_t page, size_t pages, void *arg)
{
    line_put(arg, " %c%zu+%zu", array ? (taken ? 'a' : 'f') : (taken ? 's' : 'r'),
             page, pages);
}

static void note_mark(const gs_mark_event_t *e, void *arg)
{
    const go_log_t *g = arg;
    const double mib = 1024.0 * 1024.0;
    if (g->spans != NULL) line_put(g->spans, " %c", e->ends ? 'e' : 'm');
    if (g->marks == NULL || e->ends || e->waited) return;
    line_put(g->marks, " %.2f/%.2f", (double)e->heap_bytes / mib,
             (double)e->goal_bytes / mib);
}

/* The peak RSS since mem_peak_begin(pk) into out, or why there is none. */
static void peak_of(const mem_peak_t *pk, ret_result_t *out)
{
    mem_peak_result_t pr;
    if (mem_peak_end(pk, &pr) == 0 && pr.has_peak) {
        out->has_peak = 1;
        out->peak_rss_delta = (double)pr.peak_delta;
    } else {
        snprintf(out->message, sizeof out->message, "peak RSS unavailable: %s",
                 pk->ok ? "cannot read /proc/self/status" : pk->reason);
    }
}

static double now_s(clockid_t clock)
{
    struct timespec ts;
    clock_gettime(clock, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* One batch, checked against the counting allocator and the first batch;
 * the kept handles are released again before it returns. */
static int one_batch(gs_heap_t *h, const keep_case_t *c, keep_strategy_t s,
                     gs_slice_t *keep, unsigned fill, keep_held_t *held,
                     const keep_held_t *first, char *msg, size_t n)
{
    mem_counts_t mc;
    int rc = keep_batch(h, c, s, keep, fill, held);
    if (rc) {
        snprintf(msg, n, "batch failed: %s", strerror(-rc));
        return rc;
    }
    /* what is measured is what the code allocated */
    mem_counts_get(&mc);
    /* with Go's GC the allocator also holds the garbage not yet collected:
     * at least the live arrays, checked on
     * the first batch (later ones free garbage made before the counts) */
    rc = (h->gc == GS_GC_OFF ? mc.live_bytes != (int64_t)held->held_reserved_bytes
                             : !first && mc.live_bytes < (int64_t)held->held_reserved_bytes) ||
         (first && (held->held_bytes != first->held_bytes ||
                    held->go_held_bytes != first->go_held_bytes ||
                    held->referenced_bytes != first->referenced_bytes ||
                    held->live_arrays != first->live_arrays ||
                    held->grows != first->grows));
    keep_release(h, keep, c->items);
    if (rc) {
        snprintf(msg, n, "internal: accounting mismatch between the model "
                 "and the counting allocator");
        return -EPROTO;
    }
    return 0;
}

/* With Go's GC: the Go test binary's program around the arrays, as the
 * Go retention benchmark runs it (gs_heap_set_go_program): its roots and
 * heap, with the [][]T of the M kept headers, its N-byte sources, and
 * `stacks` bytes of stacks (GS_GO_STACKS_SCAN, or GS_GO_HELD_STACKS_SCAN
 * in heldBytes' rounds) in `space` bytes of stack space (GS_GO_STACK_SPACE
 * in the timed run, GS_GO_HELD_STACK_SPACE before it). */
static int go_program(gs_heap_t *h, const keep_case_t *c, size_t stacks, size_t space)
{
    const size_t items = c->items;
    gs_go_program_t p;
    size_t block = 0, per = 1;
    int err;
    p.headers_bytes = items * GS_GO_SLICE_HEADER_BYTES;
    if ((err = gs_go_alloc_size(p.headers_bytes, 0, &block, &per)) != 0) return err;
    p.stack_bytes = stacks;
    p.stack_space_bytes = space;
    p.roots_bytes = GS_GO_GLOBALS_SCAN + stacks;
    p.heap_bytes = GS_GO_HARNESS_HEAP + block;
    p.item_bytes = c->source_bytes;
    return gs_heap_set_go_program(h, &p);
}

/* With Go's GC: what the Go retention benchmark's process runs before its
 * timed loop (benchmarks/go/retention_test.go, for -benchtime of 2M items
 * or less), which sets the pacer's estimate and its controller's state
 * the timed loop starts from (Go's retain at 32 KiB, k = 16, GOGC 400
 * lands on 114 MiB in 20 processes of 20 by the chain of estimates those
 * cycles leave; from one batch the model did in 2 of 20, with them in 38
 * of 60): heldBytes' three rounds (runtime.GC, a batch, runtime.GC, the
 * drop: three in each of the check's 180 processes, by their forced
 * collections; with heldBytes' deeper stack), then the peak round
 * (debug.FreeOSMemory, two batches), then the timed run's
 * debug.FreeOSMemory. heldBytes leaves its sources unwritten, so its
 * rounds fault in only what Go zeroes (a span used before) or the
 * strategy writes (gs_go_mark_utilization); the peak round starts with
 * the harness's own spans in the P's cache (GS_GO_HARNESS_CACHED), the
 * timed run without. Left out: the one-item run before them. */
static int go_history(gs_heap_t *h, const keep_case_t *c, keep_strategy_t s,
                      gs_slice_t *keep, unsigned *fill, char *msg, size_t n)
{
    keep_held_t held;
    int err = go_program(h, c, GS_GO_HELD_STACKS_SCAN, GS_GO_HELD_STACK_SPACE);
    for (int round = 0; err == 0 && round < 3; round++) {
        gs_heap_collect(h);
        err = keep_batch(h, c, s, keep, KEEP_UNFILLED, &held);
        if (err) {
            snprintf(msg, n, "batch failed: %s", strerror(-err));
            return err;
        }
        gs_heap_collect(h);
        keep_release(h, keep, c->items);
    }
    if (err || (err = go_program(h, c, GS_GO_STACKS_SCAN, GS_GO_HELD_STACK_SPACE)) != 0) {
        snprintf(msg, n, "GC mode: %s", strerror(-err));
        return err;
    }
    gs_heap_free_os_memory(h);
    /* nothing is live now: the peak round's batches are checked against
     * counts from here, not from whatever an earlier measurement in this
     * process (--isolation=none) took and gave back */
    mem_counts_reset();
    /* and BeginPeak's spans count in Go's heapLive until the first mark
     * ends: that mark starts a little sooner than the timed run's (at 4800
     * B, k = 2400, elem 24, before the accumulator's 66-page array in 29
     * of Go's 30 recorded processes, the timed run's after it in 30) */
    if ((err = gs_heap_add_cached(h, GS_GO_HARNESS_CACHED)) != 0) {
        snprintf(msg, n, "the harness's cached spans: %s", strerror(-err));
        return err;
    }
    for (int batch = 0; batch < 2; batch++)
        if ((err = one_batch(h, c, s, keep, (*fill)++, &held, NULL, msg, n)) != 0)
            return err;
    gs_heap_free_os_memory(h);
    /* that collection shrinks the benchmark goroutine's stack */
    if ((err = go_program(h, c, GS_GO_STACKS_SCAN, GS_GO_STACK_SPACE)) != 0)
        snprintf(msg, n, "GC mode: %s", strerror(-err));
    return err;
}

/* What a case's arrays take of the memory: expect, the estimate of its
 * worst moment, with GC off; with Go's collector, its heap: the next
 * batch's garbage beside the arrays up to GOGC percent more (the heap
 * goal), and past the goal the source that crosses it and a step of the
 * heap's growth. UINT64_MAX when that cannot be counted. */
static uint64_t go_heap_need(const ret_case_t *rc, uint64_t expect)
{
    const uint64_t page = GS_GO_PAGE_SIZE, over =
        GS_GO_HEAP_STEP_BYTES + (rc->c.source_bytes + page - 1) / page * page;
    if (rc->gc != GS_GC_GO) return expect;
    /* GOGC <= GS_GO_MAX_GOGC (100000): expect x 1001 stays in range */
    if (expect > (UINT64_MAX - over) / 1001) return UINT64_MAX;
    return expect + expect / 100 * rc->gogc + over;
}

int ret_measure(const ret_case_t *rc, const ret_options_t *o, double min_time,
                double warmup, uint64_t seed, ret_result_t *out)
{
    const keep_case_t *c = &rc->c;
    keep_held_t first = {0}, held = {0};
    gs_slice_t *keep = NULL;
    gs_heap_t heap;
    mem_peak_t pk;
    mem_counts_t mc;
    uint64_t faults0, faults_first = 0;
    uint64_t expect;
    int64_t untimed = 1;          /* the first batch and the warm-up ones */
    double t0, c0, t1, c1;
    unsigned fill = 0;
    char marks_text[MARKS_TEXT] = "";
    line_t marks = {marks_text, MARKS_TEXT, 0, 0};
    line_t spans = {spans_text, SPANS_TEXT, 0, 0};
    go_log_t go_log = {NULL, NULL};
    int err;

    memset(out, 0, sizeof *out);
    err = keep_expected_peak(c, rc->growth, rc->strategy, &expect);
    if (err) {
        snprintf(out->message, sizeof out->message, "case out of range: %s",
                 strerror(-err));
        return 0;
    }
    /* the budget rules on the estimate, which counts the kept slice
     * headers as Go holds them (so M is Go's); the memory available must
     * also take the model's larger handles and, with Go's collector, its
     * heap (go_heap_need; scripts' Go side, benchmarks/go: heapNeed) */
    if (sb_guard(expect, o->budget, out->message, sizeof out->message))
        return 0;
    {
        uint64_t arrays = go_heap_need(rc, expect), room;
        uint64_t handles = (uint64_t)c->items * (sizeof *keep - GS_GO_SLICE_HEADER_BYTES);
        if (sb_guard(arrays > UINT64_MAX - handles ? UINT64_MAX : arrays + handles, UINT64_MAX,
                     out->message, sizeof out->message))
            return 0;
        /* and Go's heap is one reservation of address space, which an
         * address space limit makes smaller than what the guard found left */
        if (rc->gc == GS_GC_GO && arrays > (room = gs_go_heap_room())) {
            struct rlimit as;
            int limited = getrlimit(RLIMIT_AS, &as) == 0 && as.rlim_cur != RLIM_INFINITY;
            snprintf(out->message, sizeof out->message,
                     "needs about %.1f MiB of Go's heap, which can reserve only "
                     "%.1f MiB of address space here (%s)", (double)arrays / 1048576,
                     (double)room / 1048576,
                     limited ? "RLIMIT_AS" : "the most the model reserves");
            return 0;
        }
    }

    if (o->go_spans && rc->gc == GS_GC_GO) {
        memset(spans_text, ' ', sizeof spans_text);   /* its pages in, now */
        spans_text[0] = '\0';
        go_log.spans = &spans;
    }
    keep = calloc(c->items, sizeof *keep);
    if (keep == NULL) {
        snprintf(out->message, sizeof out->message, "out of memory for %zu handles",
                 c->items);
        out->failed = 1;
        return 0;
    }
    gs_heap_init(&heap, rc->growth);
    for (size_t i = 0; i < c->items; i++) {      /* fill the header lists */
        err = gs_make(&heap, 1, 1, 1, &keep[i]);
        if (err) break;
    }
    keep_release(&heap, keep, c->items);
    /* the GC mode from an empty heap, so no garbage predates the counts */
    /* the clock's scale first: the GC mode's first preemption is set on it */
    if (err == 0 && ((err = gs_heap_set_go_clock(&heap, o->go_clock_scale)) != 0 ||
                     (err = gs_heap_set_gc(&heap, rc->gc, rc->gogc)) != 0 ||
                     (err = gs_heap_set_mark_draws(&heap, seed)) != 0 ||
                     (err = go_program(&heap, c, GS_GO_STACKS_SCAN, GS_GO_STACK_SPACE)) != 0)) {
        snprintf(out->message, sizeof out->message, "GC mode: %s", strerror(-err));
        out->failed = 1;
        goto done;
    }
    if (err) {
        snprintf(out->message, sizeof out->message, "warm-up failed: %s",
                 strerror(-err));
        out->failed = 1;
        goto done;
    }

    /* with Go's GC, Go's harness before it all, ending with
     * debug.FreeOSMemory: the heap has been used and given back, so its
     * memory faults back in as it did before (huge pages where the heap had
     * advised them), not as never-touched memory */
    if (heap.gc != GS_GC_OFF &&
        (err = go_history(&heap, c, rc->strategy, keep, &fill, out->message,
                          sizeof out->message)) != 0)
        goto failed;

    /* the first batch: from a clean heap, its peak RSS; with Go's GC one
     * batch's garbage lies beside the next one's arrays, so the peak then
     * spans every batch of the measurement */
    if (o->go_marks && heap.gc == GS_GC_GO) go_log.marks = &marks;
    if (go_log.spans != NULL) (void)gs_heap_set_span_log(&heap, note_span, &spans);
    if (go_log.marks != NULL || go_log.spans != NULL)
        (void)gs_heap_set_mark_log(&heap, note_mark, &go_log);
    mem_allocator_release();
    mem_counts_reset();
    mem_peak_begin(&pk);                   /* pk.ok = 0: no peak, said below */
    faults_first = mem_minor_faults();
    err = one_batch(&heap, c, rc->strategy, keep, fill++, &first, NULL,
                    out->message, sizeof out->message);
    if (err) goto failed;
    if (heap.gc == GS_GC_OFF) peak_of(&pk, out);
    out->held_bytes = (double)first.go_held_bytes;
    out->held_cap = (double)first.held_bytes;
    out->held_reserved = (double)first.held_reserved_bytes;

    /* warm-up, untimed */
    t0 = now_s(CLOCK_MONOTONIC);
    while (warmup > 0 && now_s(CLOCK_MONOTONIC) - t0 < warmup) {
        err = one_batch(&heap, c, rc->strategy, keep, fill++, &held, &first,
                        out->message, sizeof out->message);
        if (err) goto failed;
        untimed++;
    }

    /* the steady state, timed */
    mem_counts_reset();
    if (heap.gc == GS_GC_OFF) mem_peak_begin(&pk);    /* for its faults */
    faults0 = mem_minor_faults();
    t0 = now_s(CLOCK_MONOTONIC);
    c0 = now_s(CLOCK_PROCESS_CPUTIME_ID);
    do {
        err = one_batch(&heap, c, rc->strategy, keep, fill++, &held, &first,
                        out->message, sizeof out->message);
        if (err) goto failed;
        out->batches++;
        t1 = now_s(CLOCK_MONOTONIC);
    } while (t1 - t0 < min_time);
    c1 = now_s(CLOCK_PROCESS_CPUTIME_ID);
    mem_counts_get(&mc);
    {
        const double items = (double)out->batches * (double)c->items;
        out->real_ns = (t1 - t0) * 1e9 / items;
        out->cpu_ns = (c1 - c0) * 1e9 / items;
        out->allocs_per_item = (double)mc.allocs / items;
        out->faults_per_item = (double)(mem_minor_faults() - faults0) / items;
        if (heap.gc != GS_GC_OFF)             /* from the clean slate on */
            out->faults_per_item = (double)(mem_minor_faults() - faults_first) /
                                   ((double)(out->batches + untimed) * (double)c->items);
    }
    if (heap.gc != GS_GC_OFF) peak_of(&pk, out);
    if (go_log.marks != NULL) line_print(&marks, "go-marks", rc->name);
    if (go_log.spans != NULL) line_print(&spans, "go-spans", rc->name);
    out->ok = 1;
    goto done;

failed:
    out->failed = 1;
done:
    (void)gs_heap_set_mark_log(&heap, NULL, NULL);
    (void)gs_heap_set_span_log(&heap, NULL, NULL);
    gs_heap_destroy(&heap);
    free(keep);
    return 0;
}

/* ------------------------------------------------------------------------
 * The child's answer: one line of key=value pairs, the message last (it
 * may hold spaces, never a line break).
 * ------------------------------------------------------------------------ */

int ret_result_format(const ret_result_t *r, char *buf, size_t n)
{
    int w = snprintf(buf, n,
                     "slicebench-result ok=%d failed=%d batches=%" PRId64
                     " real_ns=%.17g cpu_ns=%.17g has_peak=%d peak=%.17g"
                     " held=%.17g cap=%.17g reserved=%.17g allocs=%.17g"
                     " faults=%.17g message=%s\n",
                     r->ok, r->failed, r->batches, r->real_ns, r->cpu_ns,
                     r->has_peak, r->peak_rss_delta, r->held_bytes, r->held_cap,
                     r->held_reserved, r->allocs_per_item, r->faults_per_item,
                     r->message);
    return w < 0 || (size_t)w >= n ? -ENOSPC : 0;
}

int ret_result_parse(const char *line, ret_result_t *out)
{
    const char *msg;
    int used = 0;
    memset(out, 0, sizeof *out);
    if (sscanf(line,
               "slicebench-result ok=%d failed=%d batches=%" SCNd64
               " real_ns=%lg cpu_ns=%lg has_peak=%d peak=%lg held=%lg"
               " cap=%lg reserved=%lg allocs=%lg faults=%lg message=%n",
               &out->ok, &out->failed, &out->batches, &out->real_ns,
               &out->cpu_ns, &out->has_peak, &out->peak_rss_delta,
               &out->held_bytes, &out->held_cap, &out->held_reserved,
               &out->allocs_per_item, &out->faults_per_item, &used) != 12 ||
        used == 0)
        return -EINVAL;
    msg = line + used;
    snprintf(out->message, sizeof out->message, "%.*s",
             (int)strcspn(msg, "\n"), msg);
    if (out->ok && (out->batches <= 0 || !(out->real_ns > 0))) return -EINVAL;
    return 0;
}
