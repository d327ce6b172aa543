/* gs_goheap.c -- Go's bytes and the Go GC mode of the heap (see gs.h,
 * "Heap": "Go's bytes" and "The Go GC mode").
 *
 * gs_slice.c calls in at three points: before an array is allocated
 * (_gs_go_prepare: the collection trigger, the array's memory from the
 * page heap or a span of its class, and a tiny record at hand), after
 * (_gs_go_charge), and when its last handle goes (_gs_go_dead). Everything
 * here is counting; the only memory it touches is the garbage's, which a
 * collection frees (tiny ones: the C allocator's) or leaves to the sweep
 * (gs_gospans.c, gs_gosweep.c), which gives it to its span, the page heap
 * (gs_gopages.c) or an array of its class in place, and the small
 * malloc'd records of tiny blocks.
 */
#define _POSIX_C_SOURCE 200809L   /* clock_gettime: the scavenger's work */
#include "gs.h"
#include "gs_impl.h"
#include "mem.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <math.h>
#include <time.h>

/* One 16 B tiny block of Go's heap. The objects in it are arrays of the
 * model; the block lives while any of them is not yet freed. */
struct gs_tiny_s {
    size_t objects;          /* arrays in it not yet freed                */
    size_t live;             /* of those, arrays with a handle            */
    gs_tiny_t *next_free;    /* free-list link while unused               */
};

/* Go's physical page, the scavenger's granularity (linux/amd64), bytes. */
#define GO_PHYS_PAGE 4096u

/* ------------------------------------------------------------------------
 * Counting
 * ------------------------------------------------------------------------ */

static size_t min_size(size_t a, size_t b)
{
    return a < b ? a : b;
}

void _gs_go_note_peaks(gs_heap_t *h)
{
    /* Go's HeapAlloc counts the garbage not yet swept */
    size_t heap = h->go_held_bytes + h->go_garbage_bytes + h->go_unswept_bytes;
    if (h->go_held_bytes > h->peak_go_held_bytes)
        h->peak_go_held_bytes = h->go_held_bytes;
    if (heap > h->peak_go_heap_bytes) h->peak_go_heap_bytes = heap;
    if (heap + h->go_idle_bytes > h->peak_go_retained_bytes)
        h->peak_go_retained_bytes = heap + h->go_idle_bytes;
}

/* go_idle_bytes and go_released_bytes: the page heap's, which holds every
 * span in GC mode. */
static void go_sync(gs_heap_t *h)
{
    h->go_idle_bytes = h->idle_page_bytes;
    h->go_released_bytes = h->released_page_bytes_;
}

/* ------------------------------------------------------------------------
 * Tiny blocks
 * ------------------------------------------------------------------------ */

/* Whether an object of size bytes goes to the tiny allocator. */
static int is_tiny(size_t bytes)
{
    return bytes < GS_GO_TINY_SIZE;   /* every array of the model: noscan */
}

/* Whether a tiny object of size bytes fits the current block, and where. */
static int tiny_fits(const gs_heap_t *h, size_t size, size_t *off)
{
    size_t align = _gs_go_tiny_align(size);
    size_t o = (h->tiny_off_ + align - 1) & ~(align - 1);
    if (h->tiny_ == NULL || o + size > GS_GO_TINY_SIZE) return 0;
    *off = o;
    return 1;
}

static void tiny_recycle(gs_heap_t *h, gs_tiny_t *t)
{
    if (h->tiny_ == t) h->tiny_ = NULL;
    t->next_free = h->free_tiny_;
    h->free_tiny_ = t;
}

/* ------------------------------------------------------------------------
 * Collection: the trigger, the mark, its end
 * ------------------------------------------------------------------------ */

/* a + b, or SIZE_MAX when it would wrap. */
static size_t sat_add(size_t a, size_t b)
{
    return a > SIZE_MAX - b ? SIZE_MAX : a + b;
}

/* Go's goal after a cycle that marked `marked` bytes of the model's arrays,
 * as Go 1.19's pacer sets it (gcControllerState.commit, in integers): with
 * the program's heap P in marked and its stacks and globals as roots,
 * marked + (marked + roots) x GOGC/100, at least 4 MiB x GOGC/100; less P,
 * so that the model's arrays meet it (gs_heap_set_go_program). The sums
 * saturate at SIZE_MAX. */
static size_t go_goal(const gs_heap_t *h, size_t marked, unsigned gogc)
{
    /* 4 MiB x 100000 fits in 64 bits; the model's sizes fit in size_t */
    uint64_t minimum = (uint64_t)GS_GO_HEAP_MINIMUM * gogc / 100;
    size_t p = h->go_program.heap_bytes, m = sat_add(marked, p);
    size_t scanned = sat_add(m, h->go_program.roots_bytes), growth, goal;
    if (scanned > SIZE_MAX / (gogc ? gogc : 1)) growth = SIZE_MAX;
    else growth = scanned * gogc / 100;
    goal = sat_add(m, growth);
    if (goal < minimum) goal = (size_t)minimum;
    return goal > p ? goal - p : 0;
}

/* Go 1.19's trigger bounds (gcControllerState.trigger): the trigger lies
 * 45/64 (~0.7) to 61/64 (~0.95) of the way from marked to the goal, in
 * Go's integer form; for goals over 4 MiB the upper bound is at least the
 * goal less 4 MiB (defaultHeapMinimum, which does not scale with GOGC). */
#define TRIGGER_DEN 64u
#define TRIGGER_MIN_NUM 45u
#define TRIGGER_MAX_NUM 61u

/* The model's runway at this GOGC: GS_GO_MARK_RUNWAY x sqrt(GOGC/100),
 * 4 MiB at GOGC 100 and 8 MiB at 400 (gs.h, "The Go GC mode"), in integers:
 * the square root of gogc x 100 (at most 10^7) by bisection, to 1/100. */
static uint64_t go_runway(unsigned gogc)
{
    uint64_t x = (uint64_t)gogc * 100, lo = 0, hi = 4000;  /* 4000^2 > 10^7 */
    while (lo < hi) {             /* the largest r with r x r <= x */
        uint64_t mid = (lo + hi + 1) / 2;
        if (mid * mid <= x) lo = mid;
        else hi = mid - 1;
    }
    return (uint64_t)GS_GO_MARK_RUNWAY * lo / 100;
}

/* The heap at which the next cycle starts marking: the goal less the
 * runway, within Go's bounds. With draws off the runway is go_runway's,
 * fitted to Go's runs (gs.h, "The Go GC mode"); with draws on it is Go's
 * own, its cons/mark estimate (go_pacer) x 3 x the scan work it expects,
 * where a negative one, as a uint64 in Go, exceeds every goal: the
 * earliest trigger. */
static size_t go_trigger(const gs_heap_t *h, size_t marked, size_t goal)
{
    size_t lo, hi, trigger;
    int below_all = 0;
    uint64_t runway = 0;
    if (marked >= goal) return goal;
    if (h->mark_seed == 0) runway = go_runway(h->gogc);
    else {
        /* Go's goal counts the program's heap too */
        double r = h->go_pacer.cons_mark * 3.0 * (double)gs_go_scan_work(&h->go_program);
        if (r < 0 || r >= (double)goal + (double)h->go_program.heap_bytes)
            below_all = 1;
        else runway = (uint64_t)r;
    }
    lo = (goal - marked) / TRIGGER_DEN * TRIGGER_MIN_NUM + marked;
    hi = (goal - marked) / TRIGGER_DEN * TRIGGER_MAX_NUM + marked;
    if (goal > GS_GO_HEAP_MINIMUM && goal - GS_GO_HEAP_MINIMUM > hi)
        hi = goal - GS_GO_HEAP_MINIMUM;
    if (below_all) return lo;
    trigger = goal > runway ? goal - (size_t)runway : 0;
    if (trigger < lo) trigger = lo;
    if (trigger > hi) trigger = hi;
    return trigger;
}

/* Go's utilization tables below (mut_*, unw_*, waited_k) are a share of
 * wall time, and move from machine to machine: these are the mean of two
 * runs of `cd scripts && /usr/bin/python3 -m slicebench.pacer --repo ..
 * --repetitions 4` on the machine of the check's reference runs (Debian 12
 * VM, 2 cores, idle; 2026-11-29). The first fit, from another VM, had
 * unw_c 3.680 and unw_h -0.318, and this machine's Go measured e 0.74-0.82
 * against it at 240 KiB (results/GC-VS-GO.md). Refit on yours with the same
 * command. */

/* The program's time per byte it allocates over the assists' per byte
 * they scan, r (gs_go_mark_utilization), in Go's marks that reused memory
 * and in those that faulted it in: the 10th, 25th, 50th, 75th and 90th
 * percentiles over the timed runs of the check's matrices, as
 * scripts/slicebench/pacer.py reads them off Go's gcpacertrace. */
static const double mut_reused[5] = {0.18, 0.22, 0.27, 0.33, 0.44};
static const double mut_fresh[5] = {0.86, 1.23, 1.62, 2.02, 2.54};

/* A draw point: between Go's 10th, 25th, 50th, 75th and 90th percentiles
 * i and i + 1, `num` of the way of `den`. */
typedef struct {
    int i;
    double num, den;
} draw_point_t;

/* A mark's draw point q (0..1; clamped, NaN as 0) as a percentile of
 * Go's (0.10..0.90). */
static draw_point_t draw_point(double q)
{
    static const double at[5] = {0.10, 0.25, 0.50, 0.75, 0.90};
    draw_point_t d = {0, 0, 1};
    q = !(q > 0) ? 0.10 : q >= 1 ? 0.90 : 0.10 + 0.80 * q;    /* NaN: 0 */
    while (d.i < 3 && q > at[d.i + 1]) d.i++;
    d.num = q - at[d.i];
    d.den = at[d.i + 1] - at[d.i];
    return d;
}

/* A row of Go's percentiles at a draw point, linear between them. */
static double row_at(const double row[5], draw_point_t d)
{
    return row[d.i] + (row[d.i + 1] - row[d.i]) * d.num / d.den;
}

/* u = 0.25 + 1 / (1 + r x), x below zero (or NaN) as 0. */
static double utilization(double r, double x)
{
    if (!(x > 0)) x = 0;
    return 0.25 + 1.0 / (1.0 + r * x);
}

double gs_go_mark_utilization(double x, double faulted, double q)
{
    const draw_point_t d = draw_point(q);
    double r0, r1;
    faulted = !(faulted > 0) ? 0 : faulted > 1 ? 1 : faulted;
    r0 = row_at(mut_reused, d);
    r1 = row_at(mut_fresh, d);
    return utilization(r0 + faulted * (r1 - r0), x);
}

/* A mark of memory nobody writes: r = c (KiB / N)^p (H / MiB)^h x e, c,
 * p and h and the 10th, 25th, 50th, 75th and 90th percentiles of e, Go's
 * residuals, as scripts/slicebench/pacer.py fits them to the retain
 * strategy's marks of heldBytes' first round, recorded untraced. */
static const double unw_c = 2.430, unw_p = 0.373, unw_h = -0.260;
static const double unw_resid[5] = {0.80, 0.89, 1.00, 1.13, 1.27};

double gs_go_unwritten_utilization(double x, size_t item_bytes, size_t heap_bytes,
                                   double q)
{
    /* N not given: 1 KiB, the factor 1; H at least 1 MiB */
    const double n = item_bytes ? (double)item_bytes / 1024.0 : 1.0;
    const double hm = heap_bytes > ((size_t)1 << 20) ? (double)heap_bytes / 1048576.0 : 1.0;
    return utilization(unw_c * pow(n, -unw_p) * pow(hm, unw_h) *
                       row_at(unw_resid, draw_point(q)), x);
}

/* A mark that ends while the program waits in runtime.GC: the 10th,
 * 25th, 50th, 75th and 90th percentiles of (u + idle) / (1 - u) over Go's,
 * as scripts/slicebench/pacer.py reads them off every case's recorded
 * marks. */
static const double waited_k[5] = {0.409, 0.488, 0.738, 1.207, 1.958};

double gs_go_waited_consmark(double x, double q)
{
    if (!(x > 0)) x = 0;
    return x * row_at(waited_k, draw_point(q));
}

size_t gs_go_scan_work(const gs_go_program_t *p)
{
    size_t w;
    if (p == NULL || (p->roots_bytes == 0 && p->headers_bytes == 0))
        return GS_GO_SCAN_WORK;
    w = sat_add(p->roots_bytes, p->headers_bytes);
    return sat_add(w, GS_GO_HARNESS_SCAN);
}

/* Go's cons/mark estimate after a cycle whose heap grew `grown` bytes past
 * its trigger by the mark's end (Go's heapLive - triggered: the allocation
 * that started the mark counts, its part past the trigger) and whose
 * program allocated `allocated` bytes while it marked, `faulted` bytes of
 * pages faulting in (go_faulted_bytes) and `unwritten` taken into use
 * unwritten (go_unwritten_bytes): what the cycle measured, to Go's
 * controller, at a uniform point: for a mark that ended while the program
 * waited in runtime.GC (`waited`), gs_go_waited_consmark's for the growth;
 * else (grown / scan work) x u / (1 - u), u the mark's utilization at
 * that same growth per byte of scan work, the x Go's tables are fitted on
 * (pacer.py reads r off Go's marks at x = heapLive - triggered per byte
 * of scan work), or
 * at what the program allocated while it marked when that is less than
 * half the growth (gs_go_unwritten_utilization's when more than half as
 * much was taken unwritten, else gs_go_mark_utilization's for the share
 * of it that faulted in, its rows blended by the share, as Go's marks
 * that fault in part of what they allocate lie between: gs.h). A mark
 * that a large allocation started and the heap's goal ended at once
 * allocated nothing and took the P whole: u = 1.25, so it measures a
 * figure far below zero, as Go's do (exactcap's batch arena: u 1.11-1.16,
 * 17-26 MiB past the trigger). A cycle whose heap did not grow past its
 * trigger (runtime.GC) leaves the estimate as it was, as in Go (endCycle
 * returns early when heapLive <= triggered). */
static void pacer_update(gs_heap_t *h, size_t grown, size_t allocated,
                         uint64_t faulted, uint64_t unwritten, int waited)
{
    double u, q, x, xg;
    if (grown == 0) return;
    q = (double)(gs_random_next(&h->mark_draw_) >> 11) / (double)(UINT64_C(1) << 53);
    x = (double)allocated / (double)gs_go_scan_work(&h->go_program);
    xg = (double)grown / (double)gs_go_scan_work(&h->go_program);
    h->go_mark_alloc_bytes = allocated;
    h->go_mark_grown_bytes = grown;
    h->go_mark_faulted = allocated ? (double)faulted / (double)allocated : 0;
    if (h->go_mark_faulted > 1) h->go_mark_faulted = 1;
    h->go_mark_unwritten = allocated ? (double)unwritten / (double)allocated : 0;
    if (h->go_mark_unwritten > 1) h->go_mark_unwritten = 1;
    if (waited) {
        const double k = gs_go_waited_consmark(1.0, q);   /* (u + idle) / (1 - u) */
        h->go_mark_util = k / (1.0 + k);   /* the u that feeds k with no idle
                                              share (Go's own is near 0.25) */
        (void)gs_go_pacer_next(&h->go_pacer, gs_go_waited_consmark(xg, q));
        return;
    }
    /* Go's tables give r at x = heapLive - triggered per byte of scan
     * work (the growth pacer.py reads off Go's marks), so u takes the
     * growth too; a mark whose growth is mostly the allocation that
     * started it keeps what the program allocated while it marked (none:
     * the P whole, u 1.25) */
    if (allocated >= grown / 2) x = xg;
    if (h->go_mark_unwritten > 0.5)
        u = gs_go_unwritten_utilization(x, h->go_program.item_bytes,
                                        sat_add(h->go_mark_start_bytes_,
                                                h->go_program.heap_bytes), q);
    else u = gs_go_mark_utilization(x, h->go_mark_faulted, q);
    h->go_mark_util = u;
    (void)gs_go_pacer_next(&h->go_pacer, xg * u / (1.0 - u));
}

/* Go's heapInUse: the heap's objects (held, garbage and the dead ones not
 * yet swept, in Go's bytes) plus the free slots of the spans of small
 * objects (their pages less the slots taken). */
static size_t heap_in_use(const gs_heap_t *h)
{
    return h->go_held_bytes + h->go_garbage_bytes + h->go_unswept_bytes +
           (h->small_span_bytes - h->slot_bytes_);
}

/* What the heap retains (Go's heapRetained): in use and idle. */
static size_t heap_retained(const gs_heap_t *h)
{
    return heap_in_use(h) + h->go_idle_bytes;
}

/* The scavenger's goal for what the heap retains after a collection, as
 * Go 1.19's gcPaceScavenger: inuse x goal / last_goal, plus 10 %, in
 * whole physical pages (float64 there too). */
static size_t scavenge_goal(size_t inuse, size_t goal, size_t last_goal)
{
    double g = (double)inuse * ((double)goal / (double)last_goal);
    size_t s;
    if (g >= (double)(SIZE_MAX / 2)) return SIZE_MAX;
    s = (size_t)g;
    s += s / 10;
    return (s + GO_PHYS_PAGE - 1) & ~(size_t)(GO_PHYS_PAGE - 1);
}

/* way x num / den, num <= den <= 2^32, without overflow. */
static size_t part_of(size_t way, uint64_t num, uint64_t den)
{
    return (size_t)(way / den * num + way % den * num / den);
}

uint32_t gs_go_mark_end(size_t headers, gs_go_mark_case_t c)
{
    /* at most 2^48 bytes of headers, so that the sums stay exact doubles */
    const double k = (double)(headers < (UINT64_C(1) << 48) ? headers : UINT64_C(1) << 48);
    const double first = GS_GO_FIRST_ASSIST_WORK, roots = GS_GO_ROOTS_WORK;
    const double oblet = GS_GO_OBLET_BYTES, whole = first + roots + k;
    double last;             /* the work of the assist that ends the mark */
    double parts = k > 0 ? ceil(k / oblet) : 0;
    double tail = k > 0 ? k - oblet * (parts - 1) : 0;     /* the last part */
    if (c == GS_GO_MARK_FIRST_ASSIST) last = roots + k;
    else if (c == GS_GO_MARK_BEFORE_STACKS) last = GS_GO_STACKS_SCAN + k;
    else if (parts == 0) last = roots;
    else if (c == GS_GO_MARK_SHORT_ROOTS && roots < GS_GO_ASSIST_WORK && parts == 1)
        last = roots + k;         /* the second assist goes on into them */
    else last = tail;
    return (uint32_t)((whole - last) / whole * 65536.0);
}

/* A point `at` (65536ths of the way, gs_go_mark_end's) for a mark that
 * starts past its goal (past != 0): Go's revise then paces the assists to
 * the worst case, maxScanWork, which counts the whole stack space the
 * goroutines hold (the program's stack_space_bytes) where the last
 * cycle's work counts the stacks it scanned (stack_bytes), so each
 * assist's credit, and the mark, end sooner by the ratio of the two:
 * W / (W + space - stacks), W the mark's work (the first assist's, the
 * roots' with the program's stacks, the headers'). Unchanged for a mark
 * below its goal, or no space beyond the stacks. */
static uint64_t past_goal(const gs_heap_t *h, uint64_t at, int past)
{
    const gs_go_program_t *p = &h->go_program;
    double work, extra;
    if (!past || p->stack_space_bytes <= p->stack_bytes) return at;
    work = (double)GS_GO_FIRST_ASSIST_WORK + GS_GO_ROOTS_WORK - GS_GO_STACKS_SCAN +
           (double)p->stack_bytes + (double)p->headers_bytes;
    extra = (double)(p->stack_space_bytes - p->stack_bytes);
    return (uint64_t)((double)at * work / (work + extra));
}

/* How far into `way` (from the heap at a mark's start to its goal) the
 * mark ends: GS_GO_MARK_END_NUM/DEN of it, or with draws on where Go's
 * last assist starts, in a case drawn for the cycle (gs_go_mark_end;
 * when the worker ends it, a point drawn uniformly up to where the first
 * assist's credit runs out), in 65536ths; for a mark that starts past its
 * goal (past), scaled as past_goal says. */
static size_t mark_way(gs_heap_t *h, size_t way, int past)
{
    uint64_t d, at;
    if (h->mark_seed == 0)
        return part_of(way, GS_GO_MARK_END_NUM, GS_GO_MARK_END_DEN);
    d = gs_random_next(&h->mark_draw_) % 64;
    if (d < GS_GO_MARK_WORKER_IN_64) {
        at = past_goal(h, gs_go_mark_end(h->go_program.headers_bytes,
                                         GS_GO_MARK_FIRST_ASSIST), past);
        at = gs_random_next(&h->mark_draw_) % (at + 1);
    } else {
        int deep = h->go_program.stack_bytes > GS_GO_DEEP_STACKS;
        at = gs_go_mark_end(h->go_program.headers_bytes,
                            deep || d < GS_GO_MARK_WORKER_IN_64 + GS_GO_MARK_LONG_IN_64
                                ? GS_GO_MARK_LONG_ROOTS : GS_GO_MARK_SHORT_ROOTS);
        at = past_goal(h, at, past);
        /* an assist ends it: where follows the assists' pay */
        h->mark_by_pay_ = 1;
        h->mark_last_at_ = (double)at;
    }
    return part_of(way, at, UINT64_C(1) << 16);
}

/* The heap at point c of a mark's way (gs_go_mark_end) from `heap` to
 * `goal`, scaled as past_goal says; `heap` itself when it has reached
 * the goal. */
static size_t assist_point(const gs_heap_t *h, size_t heap, size_t goal, int past,
                           gs_go_mark_case_t c)
{
    if (heap >= goal) return heap;
    return heap + part_of(goal - heap,
                          past_goal(h, gs_go_mark_end(h->go_program.headers_bytes, c), past),
                          UINT64_C(1) << 16);
}

/* The mark log's call, if one is set (gs_heap_set_mark_log). */
static void log_mark(gs_heap_t *h, int ends, int waited, size_t heap)
{
    gs_mark_event_t e;
    if (h->mark_log_ == NULL) return;
    e.ends = ends;
    e.waited = waited;
    e.heap_bytes = heap;
    e.goal_bytes = h->go_goal_bytes;
    h->mark_log_(&e, h->mark_log_arg_);
}

/* A cycle starts marking: what is garbage now is what its end frees (its
 * snapshot); everything else survives it, including arrays made while it
 * marks (Go allocates black) and arrays that die while it marks, but for
 * those the program drops from its stack before the mark scans it
 * (stack_window_, _gs_go_dead). The current tiny block is closed, so no
 * block of the snapshot can come back to life before the end. */
static void mark_start(gs_heap_t *h, int waited)
{
    size_t heap = h->go_held_bytes + h->go_garbage_bytes, goal, way_goal;
    size_t lead = h->go_live_lead_, live = _gs_go_live(h);
    int past;
    gs_array_t **tail = &h->mark_garbage_;
    _gs_sweep_finish(h);                             /* finishsweep_m */
    while (*tail != NULL) tail = &(*tail)->next_free;   /* empty: not marking */
    *tail = h->garbage_;
    h->garbage_ = NULL;
    h->go_mark_garbage_bytes += h->go_garbage_bytes;
    h->gc_marking = 1;
    h->go_mark_start_bytes_ = heap;
    /* the mark's age on Go's clock (scav_turn): from the faults as
     * they are now, not at their last read */
    if (h->scav_period_ns != 0 && h->mark_seed != 0)
        h->clock_faults_ = mem_minor_faults();
    h->mark_clock_start_ = gs_go_clock_ns(h);
    h->mark_faulted_start_ = h->go_faulted_bytes;
    h->mark_unwritten_start_ = h->go_unwritten_bytes;
    /* a mark that starts past its goal paces its assists to 1.1 x the
     * goal (Go's revise, maxOvershoot) */
    goal = h->go_goal_bytes;
    past = live > goal;
    if (past) goal = goal > SIZE_MAX - goal / 10 ? SIZE_MAX : goal + goal / 10;
    /* the way is Go's (goal - heapLive), walked by what the program
     * allocates (the assists' debt is the bytes of each object) */
    way_goal = goal > lead ? goal - lead : 0;
    h->mark_by_pay_ = h->mark_assisted_ = 0;
    h->mark_paid_ = h->mark_credit_ = 0;
    h->mark_pace_goal_ = goal;
    h->mark_first_work_ = (double)past_goal(h, gs_go_mark_end(h->go_program.headers_bytes,
                                                               GS_GO_MARK_FIRST_ASSIST), past);
    h->go_mark_end_bytes = heap >= way_goal ? way_goal
                                            : heap + mark_way(h, way_goal - heap, past);
    /* where the first assist's credit runs out, and where it would go
     * on into the stacks (draws on) */
    h->go_stack_scan_bytes_ = assist_point(h, heap, way_goal, past, GS_GO_MARK_FIRST_ASSIST);
    h->go_stack_first_bytes_ = assist_point(h, heap, way_goal, past, GS_GO_MARK_BEFORE_STACKS);
    h->first_assist_ = h->mark_seed != 0;
    h->tiny_ = NULL;
    h->tiny_off_ = 0;
    log_mark(h, 0, waited, live);
}

/* Now, CLOCK_MONOTONIC, in ns; 0 if the clock fails (scavenge then works
 * unpaced). */
static uint64_t clock_ns(void)
{
    struct timespec t;
    if (clock_gettime(CLOCK_MONOTONIC, &t) != 0) return 0;
    return (uint64_t)t.tv_sec * UINT64_C(1000000000) + (uint64_t)t.tv_nsec;
}

/* The scavenger's turn: give back up to `give` idle bytes, the page
 * heap's highest idle pages first (whole pages: up to one more). Paced
 * (scav_period_ns != 0), for about scav_work_ns of its own time (0: no
 * limit), checked after each GS_GO_SCAV_QUANTUM of pages; what is left
 * waits for a later turn. Nothing to give takes no turn. */
static void scavenge(gs_heap_t *h, size_t give)
{
    uint64_t start = 0, now;
    size_t got = 0;
    int paced = h->scav_period_ns != 0;
    if (give == 0) return;
    if (paced && (start = clock_ns()) == 0) paced = 0;     /* no clock */
    h->scav_bursts++;
    while (got < give) {
        size_t r = _gs_pages_release(
            h, paced ? min_size(GS_GO_SCAV_QUANTUM, give - got) : give - got);
        got += r;
        if (r == 0) break;
        if (paced && h->scav_work_ns != 0 && (now = clock_ns()) >= start &&
            now - start >= h->scav_work_ns)
            break;                                 /* its time is up */
    }
    h->go_scavenged_bytes += got;
    go_sync(h);
}

/* What the heap retains over the scavenge goal, at most the idle bytes:
 * what the scavenger gives back now. */
static size_t over_goal(const gs_heap_t *h)
{
    size_t retained = heap_retained(h);
    if (retained <= h->go_scavenge_goal_bytes ||
        retained - h->go_scavenge_goal_bytes < GO_PHYS_PAGE)
        return 0;
    return min_size(retained - h->go_scavenge_goal_bytes, h->go_idle_bytes);
}

/* mheap.allocSpan: an allocation that grew the heap while the heap
 * retains, with the growth, more than the scavenge goal gives back that
 * much of its idle pages at once, up to the growth. What it retains is
 * Go's heapRetained as allocSpan reads it, before the new span counts:
 * the idle pages the span took still free, the span not yet in use (a
 * new span of small objects is in small_span_bytes already; an array is
 * charged later). */
static void grew_scavenge(gs_heap_t *h)
{
    size_t took, took_idle, retained, got;
    size_t g = _gs_pages_growth(h, &took, &took_idle);
    if (g == 0 || h->go_scavenge_goal_bytes == SIZE_MAX) return;
    retained = sat_add(heap_retained(h), took_idle);
    if (h->new_span_ != NULL) retained -= min_size(retained, took);
    retained = sat_add(retained, g);                    /* with the growth */
    if (retained <= h->go_scavenge_goal_bytes) return;
    got = _gs_pages_release(h, min_size(g, retained - h->go_scavenge_goal_bytes));
    h->go_scavenged_bytes += got;
    go_sync(h);
}

/* a + b, or UINT64_MAX if that overflows (a period of "never"). */
static uint64_t sat_add64(uint64_t a, uint64_t b)
{
    return a > UINT64_MAX - b ? UINT64_MAX : a + b;
}

uint64_t gs_go_clock_ns(const gs_heap_t *h)
{
    uint64_t ps = h->arrays_made * h->clock_alloc_ps_ +
                  h->bytes_made * h->clock_byte_ps_;
    uint64_t faults = h->clock_faults_ > h->clock_faults_base_ ?
                      h->clock_faults_ - h->clock_faults_base_ : 0;
    return ps / 1000 + faults * h->clock_fault_ns_;
}

/* cost x scale, to the nearest whole unit, at least 1 */
static uint64_t scaled_cost(uint64_t cost, double scale)
{
    double v = (double)cost * scale + 0.5;
    return v < 1.0 ? 1 : (uint64_t)v;
}

int gs_heap_set_go_clock(gs_heap_t *h, double scale)
{
    if (h == NULL || !(scale >= GS_GO_CLOCK_SCALE_MIN && scale <= GS_GO_CLOCK_SCALE_MAX))
        return -EINVAL;
    h->clock_scale_ = scale;
    h->clock_alloc_ps_ = scaled_cost(GS_GO_CLOCK_ALLOC_PS, scale);
    h->clock_byte_ps_ = scaled_cost(GS_GO_CLOCK_BYTE_PS, scale);
    h->clock_fault_ns_ = scaled_cost(GS_GO_CLOCK_FAULT_NS, scale);
    return 0;
}

/* Go's clock has reached the program's next preemption: the faults read
 * again first every GS_GO_CLOCK_READ_EVERY calls or GS_GO_CLOCK_READ_BYTES
 * made, whichever comes first (a read is a system call, some 450 ns here,
 * in the timed loop: small arrays seldom fault, large ones may; the faults
 * only add to the clock, so between reads it runs slow, never fast). The
 * same test as gs_go_clock_ns(h) >= preempt_at_ns_, in picoseconds,
 * without its division on every allocation. */
static int clock_reached(gs_heap_t *h)
{
    uint64_t ps, faults, at;
    if (++h->clock_calls_ >= GS_GO_CLOCK_READ_EVERY ||
        h->bytes_made - h->clock_bytes_ >= GS_GO_CLOCK_READ_BYTES) {
        h->clock_calls_ = 0;
        h->clock_bytes_ = h->bytes_made;
        h->clock_faults_ = mem_minor_faults();
    }
    ps = h->arrays_made * h->clock_alloc_ps_ + h->bytes_made * h->clock_byte_ps_;
    faults = h->clock_faults_ > h->clock_faults_base_ ?
             h->clock_faults_ - h->clock_faults_base_ : 0;
    at = h->preempt_at_ns_;
    /* floor(ps / 1000) + faults x FAULT_NS >= at, for whole ns */
    if (faults * h->clock_fault_ns_ >= at) return 1;
    at -= faults * h->clock_fault_ns_;
    return at <= UINT64_MAX / 1000 ? ps >= at * 1000 : 0;
}

/* The program was rescheduled (it waited in runtime.GC): its next
 * preemption comes half a period to a period of Go's clock on (sysmon
 * notices the new schedule at its next tick, up to half a period on,
 * and preempts forcePreemptNS after that), drawn from the scavenger's
 * stream; three quarters of a period without draws. */
static void rescheduled(gs_heap_t *h)
{
    uint64_t half = h->scav_period_ns / 2, off = half / 2;
    h->clock_faults_ = mem_minor_faults();
    h->clock_calls_ = 0;
    h->clock_bytes_ = h->bytes_made;
    if (h->mark_seed != 0 && half != 0)
        off = gs_random_next(&h->scav_draw_) % half;
    h->preempt_at_ns_ = sat_add64(gs_go_clock_ns(h), half + off);
}

/* A cycle's sweep, ended, wakes the scavenger: paced, it works at the
 * program's next preemption (scav_turn); unpaced, it works now. */
static void scav_wake(gs_heap_t *h)
{
    if (h->scav_period_ns == 0) {
        scavenge(h, over_goal(h));
        return;
    }
    h->scav_woken = 1;
}

static void mark_end(gs_heap_t *h, int waited);

/* Before an allocation: once Go's clock reaches the program's next
 * preemption, the next is a period on, a woken scavenger works now,
 * toward the last cycle's goal, and the background sweeper sweeps a
 * span. */
static void scav_turn(gs_heap_t *h)
{
    uint64_t now;
    if (h->scav_period_ns == 0 || !clock_reached(h)) return;
    now = gs_go_clock_ns(h);
    /* sysmon's ticks keep their phase: the next a period on from this
     * one, unless the clock has passed that too (a read of many faults) */
    h->preempt_at_ns_ = sat_add64(h->preempt_at_ns_, h->scav_period_ns);
    if (h->preempt_at_ns_ <= now) h->preempt_at_ns_ = sat_add64(now, h->scav_period_ns);
    /* with draws on, the background mark worker takes the P and finishes
     * a mark under way that has run GS_GO_PREEMPT_MARK_NS (its age from
     * the faults as they are now) */
    if (h->gc_marking && h->mark_seed != 0) {
        h->clock_faults_ = mem_minor_faults();
        now = gs_go_clock_ns(h);
        if (now >= h->mark_clock_start_ &&
            now - h->mark_clock_start_ >= GS_GO_PREEMPT_MARK_NS)
            mark_end(h, 0);
    }
    if (h->scav_woken) {
        h->scav_woken = 0;
        scavenge(h, over_goal(h));
    }
    /* bgsweep gets the P too: a span, or the sweep ends (which wakes the
     * scavenger for the next preemption) */
    _gs_sweep_background(h);
}

int gs_heap_set_scavenger_pace(gs_heap_t *h, uint64_t period_ns,
                               uint64_t work_ns)
{
    if (h == NULL) return -EINVAL;
    h->scav_period_ns = period_ns;
    h->scav_work_ns = work_ns;
    rescheduled(h);
    return 0;
}

/* The cycle's mark ends (`waited`: while the program waits in
 * runtime.GC): the snapshot's garbage is dead (tiny ones freed to their
 * blocks, and small objects of the classes' current spans to their
 * span, as Go's cache flush sweeps those; the rest held until the sweep
 * reaches it: its slot, or its pages), marked is the rest of
 * the heap, and the next goal and trigger follow from it; then the sweep
 * begins, whose end wakes the scavenger. */
static void mark_end(gs_heap_t *h, int waited)
{
    gs_array_t *a, *next;
    size_t inuse, last_goal, retained, freed = h->go_mark_garbage_bytes;
    size_t small_bytes;                           /* in use as the mark ends */
    size_t swept_now;                        /* pages of the current spans */
    size_t heap_at_end = _gs_go_live(h);

    inuse = heap_in_use(h);                           /* lastHeapInUse */
    last_goal = h->go_goal_bytes;
    if (h->mark_seed != 0) {
        /* Go feeds its estimate the heap's growth from the trigger
         * (heapLive - triggered), which the allocation that started the
         * mark reached, perhaps passed by far; the mark's share of the P
         * is drawn at that growth too, the x Go's tables are fitted on,
         * or at what the program allocated while it marked when that is
         * less than half of it (pacer_update) */
        size_t heap = h->go_held_bytes + h->go_garbage_bytes;
        size_t start = h->go_mark_start_bytes_, trig = h->go_trigger_bytes;
        pacer_update(h, heap_at_end > trig ? heap_at_end - trig : 0,
                     heap > start ? heap - start : 0,
                     h->go_faulted_bytes - h->mark_faulted_start_,
                     h->go_unwritten_bytes - h->mark_unwritten_start_, waited);
    }

    _gs_sweep_finish(h);          /* nothing is left of the last cycle's */
    small_bytes = h->small_span_bytes;
    _gs_spans_flush(h);
    for (a = h->mark_garbage_; a != NULL; a = next) {
        gs_tiny_t *t = _gs_array_is_tiny(a) ? a->go.block : NULL;
        next = a->next_free;
        h->garbage_arrays--;
        h->garbage_bytes -= a->bytes;
        if (t != NULL) {          /* its block lives on through the others */
            if (--t->objects == 0) tiny_recycle(h, t);
            _gs_array_free(h, a);
            continue;
        }
        if (a->span != NULL && !_gs_spans_dead(a)) {
            h->slot_bytes_ -= a->go.bytes;     /* a cached span, swept now */
            _gs_spans_free(h, a->span, a->data, a->bytes);
            _gs_hdr_recycle(h, a);
        } else {          /* it stays until its span is swept (gs_gospans.c,
                           * gs_gosweep.c) */
            h->garbage_arrays++;
            h->garbage_bytes += a->bytes;
            h->go_unswept_bytes += a->go.bytes;
            a->mark_born = GS_SWEEP_DEAD;
        }
    }
    h->mark_garbage_ = NULL;
    swept_now = _gs_spans_flushed(h);
    go_sync(h);
    h->go_garbage_bytes -= freed;
    h->go_mark_garbage_bytes = 0;
    h->gc_marking = 0;
    h->stack_window_ = h->first_assist_ = 0;
    /* Go empties every P's cache at the end of a cycle: the next tiny
     * object opens a new block (the old one lives on through its objects). */
    h->tiny_ = NULL;
    h->tiny_off_ = 0;

    h->go_marked_bytes = h->go_held_bytes + h->go_garbage_bytes;
    h->go_live_lead_ = 0;                   /* heapLive is what was marked */
    h->go_goal_bytes = go_goal(h, h->go_marked_bytes, h->gogc);
    h->go_trigger_bytes = go_trigger(h, h->go_marked_bytes, h->go_goal_bytes);
    h->gc_cycles++;

    h->go_scavenge_goal_bytes = SIZE_MAX;
    if (last_goal != 0) {
        size_t goal = scavenge_goal(inuse, h->go_goal_bytes, last_goal);
        retained = heap_retained(h);
        if (retained > goal && retained - goal >= GO_PHYS_PAGE)
            h->go_scavenge_goal_bytes = goal;
    }
    log_mark(h, 1, waited, heap_at_end);
    /* the sweep (gcSweep); its end wakes the scavenger (_gs_go_swept) */
    _gs_sweep_begin(h, h->go_marked_bytes, h->go_trigger_bytes, small_bytes, swept_now);
}

void gs_heap_collect(gs_heap_t *h)
{
    if (h == NULL || h->gc != GS_GC_GO) return;
    /* runtime.GC: the cycle under way finishes, then a whole one runs */
    if (h->gc_marking) mark_end(h, 1);
    mark_start(h, 1);
    /* the program waits for the mark: the scavenger, woken as the cycle
     * started (finishsweep_m), takes the P and works now, toward the goal
     * the last cycle set; the goal this one sets waits for its turn at
     * the program's next preemption (scav_turn) */
    if (h->scav_period_ns != 0) {
        h->scav_woken = 0;
        scavenge(h, over_goal(h));
    }
    mark_end(h, 1);
    _gs_sweep_finish(h);              /* runtime.GC sweeps it all */
    rescheduled(h);
}

void gs_heap_free_os_memory(gs_heap_t *h)
{
    if (h == NULL || h->gc != GS_GC_GO) return;
    gs_heap_collect(h);
    /* mheap.scavengeAll: every free page, whatever the pace; nothing is
     * left for the background scavenger */
    h->go_scavenged_bytes += _gs_pages_release(h, SIZE_MAX);
    _gs_pages_cool(h);
    h->scav_woken = 0;
    go_sync(h);
}

/* ------------------------------------------------------------------------
 * The calls from gs_slice.c
 * ------------------------------------------------------------------------ */

/* The Go bytes an allocation of `bytes` adds to the heap now: its class or
 * pages, a new tiny block, or nothing when it fits the current block. */
static size_t go_add(const gs_heap_t *h, size_t bytes, int tiny)
{
    size_t off, add;
    if (tiny) return tiny_fits(h, bytes, &off) ? 0 : GS_GO_TINY_SIZE;
    /* bytes <= PTRDIFF_MAX, so rounding to a page cannot fail */
    (void)gs_go_roundupsize(bytes, &add);
    return add;
}

/* Whether heap + add > limit, written so that nothing can wrap. */
static int passes(const gs_heap_t *h, size_t add, size_t limit)
{
    return add > limit || h->go_held_bytes + h->go_garbage_bytes > limit - add;
}

/* Whether the mark under way ends before an allocation of `add` Go
 * bytes (add > 0). Draws off, or a mark the background worker ends: the
 * allocation would take the heap past go_mark_end_bytes. A mark an
 * assist ends follows the assists' pay, as Go 1.19's gcAssistAlloc and
 * revise do: an allocation first spends the program's credit; past it,
 * its assist does the debt's work at the pace of now, the work left over
 * the heap left to the goal (revise, at every change of the live heap),
 * and the mark's first assist does at least the globals' root jobs
 * (mark_first_work_), whose excess is credit in bytes at the pace of
 * then. The assist that would take the work done past where the last
 * assist starts (mark_last_at_) is the last: the mark ends before its
 * allocation; so does a mark whose heap has passed its goal, at the
 * first allocation its credit does not cover (Go paces it on to 1.1 x
 * its goal, and its next assist ends it in the marks recorded). With
 * many allocations in a mark, this is the same point as
 * go_mark_end_bytes, give or take one allocation; the two part where a
 * few large allocations carry the mark past its goal on the credit: Go's
 * first mark of heldBytes' first round at 240 KiB, GOGC 400, takes three
 * allocations and ends 10600 B past its goal, and at 256 KiB two, where
 * go_mark_end_bytes ended both after two (results/GC-VS-GO.md). Left
 * out: Go's least assist (64 KiB of work; with it, and the model's work
 * short of the deeper stacks of heldBytes' rounds, the third assist of
 * that mark would reach the end point), the background worker's work
 * and its credit that assists take, and work Go did not expect. */
static int assist_ends_mark(gs_heap_t *h, size_t add)
{
    const double all = 65536.0;           /* the work the assists are paced to */
    size_t heap = _gs_go_live(h);
    double pace, work;
    if (!h->mark_by_pay_) return passes(h, add, h->go_mark_end_bytes);
    h->mark_credit_ -= (double)add;
    if (h->mark_credit_ >= 0) return 0;
    if (h->mark_paid_ >= all || heap >= h->mark_pace_goal_) return 1;
    pace = (all - h->mark_paid_) / (double)(h->mark_pace_goal_ - heap);
    work = -h->mark_credit_ * pace;
    if (!h->mark_assisted_ && work < h->mark_first_work_) work = h->mark_first_work_;
    h->mark_assisted_ = 1;
    if (h->mark_paid_ + work > h->mark_last_at_) return 1;
    h->mark_paid_ += work;
    h->mark_credit_ += work / pace;
    return 0;
}

/* The cycle's steps before an allocation that adds `add`. The program's
 * stack is scanned now if the mark under way has not scanned it yet and
 * this is the assist that does (the stack window closes: draws off, the
 * first allocation of the mark; draws on, the one that would take the
 * heap past go_stack_scan_bytes_); a mark under way ends when
 * the heap would pass its end (go_mark_end_bytes). A cycle starts after
 * the allocation (_gs_go_charge). */
static void go_pace(gs_heap_t *h, size_t bytes, int tiny)
{
    size_t add = go_add(h, bytes, tiny);
    /* the program's stack is scanned by the assist before this allocation:
     * with draws off its first; with draws on its second, which comes
     * when the first one's credit runs out (the first scans the globals,
     * the second the roots left, the stacks among them). The first pays
     * for its own allocation: one that takes the heap past where the
     * first one's credit usually runs out gets an assist that scans the
     * heap the globals reach too, and goes on into the stacks only if it
     * must pay for more than those (go_stack_first_bytes_); if not, the
     * stacks wait for the next assist */
    if (h->first_assist_ && add != 0) {
        h->first_assist_ = 0;
        if (h->stack_window_ && !passes(h, add, h->go_stack_first_bytes_) &&
            passes(h, add, h->go_stack_scan_bytes_))
            h->go_stack_scan_bytes_ = h->go_held_bytes + h->go_garbage_bytes + add;
    }
    if (h->stack_window_ &&
        (h->mark_seed == 0 || passes(h, add, h->go_stack_scan_bytes_)))
        h->stack_window_ = 0;
    if (add == 0) return;
    if (h->gc_marking && assist_ends_mark(h, add)) mark_end(h, 0);
}

int _gs_go_prepare(gs_heap_t *h, size_t bytes, int zeroed, void **reuse,
                   size_t *reserved)
{
    size_t off, add;
    int tiny = is_tiny(bytes), rc;

    *reuse = NULL;
    if (h->gc == GS_GC_GO) {
        if (h->sweep_ == NULL && (rc = _gs_sweep_init(h)) < 0) return rc;
        (void)_gs_pages_growth(h, NULL, NULL);   /* none left by a failure */
        go_pace(h, bytes, tiny);
        scav_turn(h);
        add = go_add(h, bytes, tiny);
        /* An array with a span of its own takes the lowest free pages
         * that fit it, idle ones or not (as Go's page allocator); one of
         * a class that shares spans takes a slot in a span of its class
         * (gs_gospans.c); a tiny one's memory is the C allocator's. */
        h->new_span_ = NULL;
        if (_gs_array_in_pages(h, bytes)) {
            /* a one-object class: mcentral.cacheSpan, a dead span of the
             * class swept in place; else mcache.allocLarge; then
             * mheap.alloc, which reclaims first */
            size_t n = _gs_go_pages(bytes);
            void *at = NULL;
            if (bytes <= GS_GO_MAX_SMALL_SIZE) {
                _gs_sweep_credit(h, n * GS_GO_PAGE_SIZE, 0);
                at = _gs_sweep_reuse(h, n);
            } else _gs_sweep_credit(h, n * GS_GO_PAGE_SIZE, n);
            if (at == NULL) _gs_sweep_reclaim(h, n);
            if (at != NULL) {            /* a span used before: zeroed */
                if ((rc = mem_count_take(bytes, add)) < 0) {
                    _gs_pages_drop(h, at, n);    /* swept: its pages idle */
                    go_sync(h);
                    return rc;
                }
                _gs_pages_rewrite(h, at, n);
                if (zeroed) memset(at, 0, bytes);
                *reuse = at;
            } else rc = _gs_pages_alloc(h, bytes, zeroed, reuse);
            if (rc < 0) return rc;
            *reserved = add;
        } else if (!tiny) {
            rc = _gs_spans_alloc(h, bytes, zeroed, reuse, reserved, &h->new_span_);
            if (rc < 0) return rc;
        }
        go_sync(h);
        grew_scavenge(h);
    }
    if (tiny && h->free_tiny_ == NULL && !tiny_fits(h, bytes, &off)) {
        gs_tiny_t *t = malloc(sizeof *t);
        if (t == NULL) return -ENOMEM;
        t->objects = t->live = 0;
        t->next_free = NULL;
        h->free_tiny_ = t;
    }
    return 0;
}

static void charge(gs_heap_t *h, gs_array_t *a);

void _gs_go_charge(gs_heap_t *h, gs_array_t *a)
{
    charge(h, a);
    /* a cycle starts after the allocation that takes heapLive to the
     * trigger (mallocgc allocates, then gcStart; gcTrigger.test: heapLive
     * >= trigger); its stack is not yet scanned (go_pace closes the
     * window). heapLive moves only as a class's cache takes a span, or
     * with a large object (or a tiny block here), where Go tests the
     * trigger (shouldhelpgc). */
    if (h->gc == GS_GC_GO && !h->gc_marking && _gs_go_live(h) >= h->go_trigger_bytes) {
        mark_start(h, 0);
        h->stack_window_ = 1;
    }
}

/* The array's Go bytes: held, in its span, or in a tiny block. */
static void charge(gs_heap_t *h, gs_array_t *a)
{
    size_t off, size = a->bytes;
    gs_tiny_t *t;

    a->mark_born = h->gc_marking ? h->gc_cycles + 1 : 0;
    if (!is_tiny(size)) {
        (void)gs_go_roundupsize(size, &a->go.bytes);  /* checked in prepare */
        h->go_held_bytes += a->go.bytes;
        a->span = h->new_span_;       /* taken in prepare, or NULL */
        if (a->span != NULL) h->slot_bytes_ += a->go.bytes;
        else if (h->gc == GS_GC_GO) _gs_sweep_list(h, a);  /* a span of its own */
        h->new_span_ = NULL;
        _gs_go_note_peaks(h);
        return;
    }
    if (tiny_fits(h, size, &off)) {
        t = h->tiny_;
        h->tiny_off_ = off + size;
        if (t->live == 0) {   /* GC mode: a block of garbage comes back */
            h->go_garbage_bytes -= GS_GO_TINY_SIZE;
            h->go_held_bytes += GS_GO_TINY_SIZE;
        }
    } else {
        t = h->free_tiny_;    /* at hand: _gs_go_prepare */
        h->free_tiny_ = t->next_free;
        t->next_free = NULL;
        t->live = 0;
        t->objects = 0;
        h->go_held_bytes += GS_GO_TINY_SIZE;
        /* mallocgc keeps whichever block has more room left. */
        if (h->tiny_ == NULL || size < h->tiny_off_) {
            h->tiny_ = t;
            h->tiny_off_ = size;
        }
    }
    t->live++;
    t->objects++;
    a->go.block = t;
    a->span = NULL;
    _gs_go_note_peaks(h);
}

void _gs_go_swept(gs_heap_t *h)
{
    scav_wake(h);
}

/* A dead array the sweep reached leaves the garbage and the unswept. */
static void unswept_gone(gs_heap_t *h, const gs_array_t *a)
{
    h->garbage_arrays--;
    h->garbage_bytes -= a->bytes;
    h->go_unswept_bytes -= a->go.bytes;
}

void _gs_go_slot_swept(gs_heap_t *h, gs_array_t *a)
{
    unswept_gone(h, a);
    h->slot_bytes_ -= a->go.bytes;
    _gs_hdr_recycle(h, a);
}

void _gs_go_sync(gs_heap_t *h)
{
    go_sync(h);
}

void _gs_go_free_swept(gs_heap_t *h, gs_array_t *a, int keep)
{
    unswept_gone(h, a);
    if (keep) mem_count_give(a->bytes, a->go.bytes);
    else _gs_pages_free(h, a->data, a->bytes);
    _gs_hdr_recycle(h, a);
    go_sync(h);
}

int _gs_go_dead(gs_heap_t *h, gs_array_t *a)
{
    gs_tiny_t *t = _gs_array_is_tiny(a) ? a->go.block : NULL;
    if (h->gc != GS_GC_GO) {
        if (t == NULL) {
            h->go_held_bytes -= a->go.bytes;
        } else {
            t->live--;
            if (--t->objects == 0) {
                h->go_held_bytes -= GS_GO_TINY_SIZE;
                tiny_recycle(h, t);
            }
        }
        return 1;
    }
    if (t == NULL) {
        h->go_held_bytes -= a->go.bytes;
        h->go_garbage_bytes += a->go.bytes;
    } else if (--t->live == 0) {
        h->go_held_bytes -= GS_GO_TINY_SIZE;
        h->go_garbage_bytes += GS_GO_TINY_SIZE;
    }
    h->garbage_arrays++;
    h->garbage_bytes += a->bytes;
    if (h->stack_window_ && h->gc_marking && t == NULL && !h->heap_refs_ &&
        a->mark_born != h->gc_cycles + 1) {
        /* the program's stack held its last reference, and the cycle under
         * way has not scanned the stack yet, nor was it made while that
         * cycle marked (allocated black): that cycle frees it */
        a->next_free = h->mark_garbage_;
        h->mark_garbage_ = a;
        h->go_mark_garbage_bytes += a->go.bytes;
        return 0;
    }
    a->next_free = h->garbage_;
    h->garbage_ = a;
    return 0;
}

void _gs_go_destroy(gs_heap_t *h)
{
    gs_tiny_t *t, *next;
    gs_heap_collect(h);
    _gs_spans_destroy(h);
    _gs_sweep_destroy(h);
    _gs_pages_destroy(h);
    for (t = h->free_tiny_; t != NULL; t = next) {
        next = t->next_free;
        free(t);
    }
    h->free_tiny_ = NULL;
}

/* ------------------------------------------------------------------------
 * Mode
 * ------------------------------------------------------------------------ */

static const char *const gc_names[] = {
    [GS_GC_OFF] = "off",
    [GS_GC_GO] = "go",
};

#define GC_MODES (sizeof gc_names / sizeof gc_names[0])

int gs_gc_parse(const char *name, gs_gc_t *out)
{
    int i = _gs_name_index(gc_names, GC_MODES, name);
    if (i < 0 || out == NULL) return -EINVAL;
    *out = (gs_gc_t)i;
    return 0;
}

const char *gs_gc_name(gs_gc_t m)
{
    if ((unsigned)m >= GC_MODES) return NULL;
    return gc_names[m];
}

int gs_go_pacer_next(gs_go_pacer_t *p, double current)
{
    double err, raw, out;
    if (p == NULL) return -EINVAL;
    err = current - p->cons_mark;
    raw = 0.9 * err + p->integral;                       /* kp x error + I */
    if (!isfinite(raw)) {
        p->cons_mark = p->integral = 0;
        return -ERANGE;
    }
    out = raw < -1000.0 ? -1000.0 : raw > 1000.0 ? 1000.0 : raw;
    p->integral += 0.9 / 4.0 * err + (out - raw) / 1000.0;   /* kp/ti, 1/tt */
    if (!isfinite(p->integral)) {
        p->cons_mark = p->integral = 0;
        return -ERANGE;
    }
    p->cons_mark = out;
    return 0;
}

uint64_t gs_random_next(uint64_t *state)
{
    uint64_t z = (*state += UINT64_C(0x9e3779b97f4a7c15));
    z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
    z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
    return z ^ (z >> 31);
}

int gs_heap_set_unwritten(gs_heap_t *h, int on)
{
    if (h == NULL) return -EINVAL;
    h->unwritten_ = on != 0;
    return 0;
}

int gs_heap_add_cached(gs_heap_t *h, size_t bytes)
{
    if (h == NULL || h->gc != GS_GC_GO) return -EINVAL;
    /* a mark under way has set its way from heapLive as it started */
    if (h->gc_marking) return -EBUSY;
    if (bytes > SIZE_MAX - _gs_go_live(h)) return -EOVERFLOW;
    h->go_live_lead_ += bytes;                      /* mark_end clears them */
    return 0;
}

int gs_heap_set_mark_log(gs_heap_t *h, gs_mark_log_fn fn, void *arg)
{
    if (h == NULL) return -EINVAL;
    h->mark_log_ = fn;
    h->mark_log_arg_ = arg;
    return 0;
}

int gs_heap_set_span_log(gs_heap_t *h, gs_span_log_fn fn, void *arg)
{
    if (h == NULL) return -EINVAL;
    h->span_log_ = fn;
    h->span_log_arg_ = arg;
    return 0;
}

int gs_heap_set_heap_refs(gs_heap_t *h, int on)
{
    if (h == NULL) return -EINVAL;
    h->heap_refs_ = on != 0;
    return 0;
}

int gs_heap_set_go_program(gs_heap_t *h, const gs_go_program_t *p)
{
    static const gs_go_program_t none = {0, 0, 0, 0, 0, 0};
    if (h == NULL) return -EINVAL;
    h->go_program = p != NULL ? *p : none;
    if (h->gc == GS_GC_GO && !h->gc_marking) {
        h->go_goal_bytes = go_goal(h, h->go_marked_bytes, h->gogc);
        h->go_trigger_bytes = go_trigger(h, h->go_marked_bytes, h->go_goal_bytes);
    }
    return 0;
}

int gs_heap_set_mark_draws(gs_heap_t *h, uint64_t seed)
{
    if (h == NULL) return -EINVAL;
    h->mark_seed = seed;
    h->mark_draw_ = seed;
    h->scav_draw_ = seed ^ GS_GO_SCAV_DRAWS;
    rescheduled(h);
    h->go_pacer.cons_mark = h->go_pacer.integral = 0;
    h->go_mark_util = h->go_mark_faulted = h->go_mark_unwritten = 0;
    h->go_mark_alloc_bytes = h->go_mark_grown_bytes = 0;
    if (h->gc == GS_GC_GO && !h->gc_marking)
        h->go_trigger_bytes = go_trigger(h, h->go_marked_bytes, h->go_goal_bytes);
    return 0;
}

int gs_heap_set_gc(gs_heap_t *h, gs_gc_t mode, unsigned gogc)
{
    if (h == NULL || (unsigned)mode >= GC_MODES) return -EINVAL;
    if (mode == GS_GC_GO && gogc > GS_GO_MAX_GOGC) return -EINVAL;
    if (h->live_arrays != 0 || h->garbage_arrays != 0) return -EBUSY;
    _gs_spans_destroy(h);
    _gs_sweep_destroy(h);
    _gs_pages_destroy(h);
    h->gc = mode;
    h->go_unswept_bytes = 0;
    h->gogc = mode == GS_GC_GO ? gogc : 0;
    memset(&h->go_program, 0, sizeof h->go_program);   /* before the goal */
    h->go_goal_bytes = mode == GS_GC_GO ? go_goal(h, 0, gogc) : 0;
    h->mark_seed = h->mark_draw_ = 0;
    h->go_pacer.cons_mark = h->go_pacer.integral = 0;
    h->go_mark_util = h->go_mark_faulted = h->go_mark_unwritten = 0;
    h->go_mark_alloc_bytes = h->go_mark_grown_bytes = 0;
    h->go_faulted_bytes = 0;
    h->go_unwritten_bytes = 0;
    h->unwritten_ = 0;
    h->go_mark_start_bytes_ = 0;
    h->stack_window_ = h->first_assist_ = 0;
    h->go_trigger_bytes = mode == GS_GC_GO ? go_trigger(h, 0, h->go_goal_bytes) : 0;
    h->go_marked_bytes = 0;
    h->go_live_lead_ = 0;
    h->gc_marking = 0;
    h->go_mark_garbage_bytes = 0;
    go_sync(h);
    h->go_scavenge_goal_bytes = mode == GS_GC_GO ? SIZE_MAX : 0;
    h->gc_cycles = 0;
    h->go_scavenged_bytes = 0;
    h->scav_period_ns = mode == GS_GC_GO ? GS_GO_SCAV_PERIOD_NS : 0;
    h->scav_work_ns = mode == GS_GC_GO ? GS_GO_SCAV_WORK_NS : 0;
    h->scav_bursts = 0;
    h->scav_woken = 0;
    h->clock_faults_base_ = mem_minor_faults();
    rescheduled(h);
    h->go_mark_end_bytes = 0;
    h->peak_go_retained_bytes = h->peak_go_heap_bytes;
    return 0;
}
