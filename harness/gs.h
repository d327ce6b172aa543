/* gs.h -- Go slices, modelled in C.
 *
 * A Go slice is a view (pointer, length, capacity) into a backing array that
 * the garbage collector keeps alive for as long as any view of it is
 * reachable. So `a = b[:2]` keeps all of b's array alive through a's two
 * elements: the subslice "leak" this suite measures. This layer reproduces
 * the parts of Go that decide how much memory stays alive and for how long:
 *
 *   - which array a view shares (s[lo:hi], s[lo:hi:max], append in place);
 *   - when append reallocates, and to which capacity (the Go 1.19 runtime's
 *     growth curve and allocation size classes, or a plain alternative);
 *   - when an array dies: reference counting stands in for reachability,
 *     so an array is freed the moment its last view is released, or, in
 *     the Go GC mode, at the first collection after that;
 *   - how many bytes Go's own heap holds for the arrays (size classes,
 *     pages, tiny blocks), beside what they ask of the allocator.
 *
 * Four sections: growth policies, heap, slices, reading. Every byte of
 * every backing array goes through the counting allocator (mem.h), so its
 * figures and the heap's accounting agree.
 *
 * Errors: as in every layer of the harness, a function that can fail returns
 * 0 or a negative errno value and never aborts; results come back through
 * out parameters. Where Go would panic the model returns an error instead:
 *     -ERANGE     index or bound out of range (Go: "slice bounds out of range")
 *     -EINVAL     NULL argument, elem == 0, len > cap, mixed element sizes,
 *                 a slice used with a heap it does not belong to
 *     -EOVERFLOW  a size in elements or bytes does not fit in size_t, or
 *                 a byte size exceeds PTRDIFF_MAX (Go: "cap out of range")
 *     -ENOMEM     the allocator failed
 * On any error the slices passed in and the heap's accounting are exactly as
 * they were before the call (strong guarantee), with one exception in the
 * Go GC mode: a collection, a sweep, or the background scavenger's or
 * sweeper's turn at the program's preemption, may have run before an
 * allocation that then failed (garbage freed, pages released, the GC
 * figures moved on;
 * nothing live changed), and when no memory is left for a new span, the
 * counting allocator shows the array's slot counted and uncounted.
 *
 * Threads: none. A heap and its slices belong to one thread.
 */
#ifndef SLICEBENCH_GS_H
#define SLICEBENCH_GS_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ------------------------------------------------------------------------
 * Growth policies
 *
 * When append needs more room than a slice's capacity, the policy decides
 * the new capacity. A policy is a pure function of (old capacity, elements
 * needed, element size): no slice, no heap, no allocation, so it can be
 * tested against vectors taken from the real Go runtime and printed by
 * slicebench-growth.
 *
 *   go      Go 1.18/1.19 runtime (growslice): double below 256 elements,
 *           then grow by a quarter plus 192 elements until big enough, then
 *           round the byte size up to the allocation size Go's malloc would
 *           use (size classes below 32 KiB, whole 8 KiB pages above) and
 *           keep every element that fits. Equal to the real runtime's
 *           capacities on 64-bit platforms.
 *   double  max(needed, 2 * old_cap), not rounded.
 *   x1.5    max(needed, old_cap + old_cap / 2), not rounded.
 * ------------------------------------------------------------------------ */

typedef enum gs_policy_e {
    GS_GROW_GO = 0,      /* Go 1.19 runtime, size-class rounded            */
    GS_GROW_DOUBLE = 1,  /* doubling                                       */
    GS_GROW_X1_5 = 2     /* 1.5x                                           */
} gs_policy_t;

#define GS_POLICY_COUNT 3

/* Go's allocation granularity above the size classes, in bytes, and the
 * largest size class (objects of this size or more take whole pages). */
#define GS_GO_PAGE_SIZE      8192u
#define GS_GO_MAX_SMALL_SIZE 32768u
/* The GC mode's page heap grows by this much at a time (Go's
 * pallocChunkPages: 512 pages, 4 MiB). */
#define GS_GO_HEAP_STEP_BYTES (512u * GS_GO_PAGE_SIZE)
/* The GC mode's page heap keeps its first pages out of use, whole: Go's
 * runtime and testing package hold 46 pages of spans scattered over its
 * heap's first 124, and the benchmark's [][]T of kept headers 16 more
 * next (read from a recording runtime at the timed run's
 * debug.FreeOSMemory, results/GC-VS-GO.md; the model's headers take no
 * pages), so that the benchmark's arrays start about 1 MiB into Go's
 * first arena, half a huge page off its alignment, and the model's do
 * too. */
#define GS_GO_RUNTIME_PAGES 128u

/* "go", "double" or "x1.5" to a policy; -EINVAL for anything else
 * (including NULL). *out is set only on success. */
int gs_policy_parse(const char *name, gs_policy_t *out);

/* The policy's name as gs_policy_parse reads it, or NULL if p is not a
 * policy. */
const char *gs_policy_name(gs_policy_t p);

/* The capacity, in elements, that a slice of capacity old_cap grows to when
 * it must hold `needed` elements of `elem` bytes each, under policy p.
 * When needed <= old_cap nothing has to grow and *new_cap is old_cap.
 * Otherwise *new_cap >= needed and *new_cap * elem <= PTRDIFF_MAX.
 * -EINVAL for elem == 0, an unknown policy or new_cap == NULL; -EOVERFLOW
 * when old_cap or needed in bytes, or the grown capacity in bytes, exceeds
 * PTRDIFF_MAX (the policy never falls back to a smaller capacity then,
 * except where Go itself does: see gs_growth.c). */
int gs_next_cap(gs_policy_t p, size_t old_cap, size_t needed, size_t elem,
                size_t *new_cap);

/* The block size Go 1.19's mallocgc hands out for a request of `bytes`:
 * the smallest size class >= bytes below GS_GO_MAX_SMALL_SIZE, else bytes
 * rounded up to a whole GS_GO_PAGE_SIZE. 0 stays 0. -EOVERFLOW when the
 * rounding does not fit in size_t, -EINVAL when rounded is NULL. */
int gs_go_roundupsize(size_t bytes, size_t *rounded);

/* Bytes of one slice header (pointer, len, cap) on a 64-bit platform: what
 * a program pays per kept slice wherever it keeps it. M headers in a
 * [][]T of their own hold gs_go_alloc_size(M x 24, 0, ...) bytes of Go's
 * heap (they hold pointers: never tiny). */
#define GS_GO_SLICE_HEADER_BYTES 24u

/* Go's tiny allocator: pointer-free objects smaller than this many bytes
 * are packed into shared blocks of this many bytes. */
#define GS_GO_TINY_SIZE 16u

/* What Go 1.19's heap holds for one allocation of `size` bytes (mallocgc,
 * as make, append's growth and string/[]byte copies call it), in the form
 * "*per_block objects of this size share one block of *block_bytes":
 *
 *   size == 0             nothing: *block_bytes = 0, *per_block = 1 (Go
 *                         returns one shared address for all of them);
 *   noscan and size < 16  the tiny allocator: *block_bytes = 16 and
 *                         *per_block = how many objects of this size fit
 *                         in one block when each starts at the next offset
 *                         aligned to 8, 4 or 2 (the largest that divides
 *                         size; else 1): 16 for 1 B, 8 for 2 B, 5 for 3 B,
 *                         4 for 4 B, 3 for 5 B, 2 for 6 to 8 B, 1 for 9 to
 *                         15 B;
 *   otherwise             one object in its own block: *block_bytes =
 *                         gs_go_roundupsize(size) (a size class, or whole
 *                         8 KiB pages from 32 KiB on), *per_block = 1.
 *
 * noscan != 0 means the object holds no pointers (every array of the
 * model, whose elements are plain bytes); objects with pointers never use
 * the tiny allocator. Go 1.19 adds no header to any heap object.
 *
 * The per-object figure is block_bytes / per_block: what each of a run of
 * same-size allocations costs, exactly, once the blocks they fill are
 * counted (8 B for an 8 B object, 3.2 B for a 3 B one, 16 B for 9 to 15 B).
 * It is given as a fraction because for 3 B and 5 B no whole number is
 * exact, and charging the object's own (aligned) size would undercount the
 * 9 to 15 B objects, which never share a block. The heap below does not
 * use the average: it places each tiny object in a modelled block the way
 * mallocgc does, so its go_held_bytes is exact for any sequence of sizes.
 *
 * -EINVAL when block_bytes or per_block is NULL; -EOVERFLOW as
 * gs_go_roundupsize. Both outputs are set only on success. */
int gs_go_alloc_size(size_t size, int noscan, size_t *block_bytes,
                     size_t *per_block);

/* ------------------------------------------------------------------------
 * Heap
 *
 * The allocation and accounting context of one run: every array made by a
 * gs_ call with heap h is counted in h until it dies. The public fields are
 * read-only for callers and exact after every call: a benchmark reads them
 * to learn how much its live slices hold (held_*) against how much they
 * can reach (referenced_bytes).
 *
 * referenced_bytes is a sum over handles: two views of the same elements
 * count twice. When the live views are disjoint (the usual case in the
 * benchmarks: one view per array) it is exactly the bytes a program can
 * still read, and held_bytes - referenced_bytes is exactly the bytes kept
 * alive for nothing.
 *
 * The headers that describe arrays (the model's stand-in for the garbage
 * collector's own metadata) come from the heap's private free list, filled
 * in chunks with plain aligned_alloc: they are in no held_* figure and not
 * in the counting allocator's figures. Only array data is.
 *
 * Go's bytes. Beside cap x elem (held_bytes), the heap counts what Go
 * 1.19's heap would hold for the same arrays (go_* fields): each array's
 * allocation, of the byte size make or append asked for, in its size class
 * or whole pages (gs_go_alloc_size), and arrays under 16 B placed in 16 B
 * tiny blocks exactly as mallocgc places them (a block holds objects of
 * any array size in order, at aligned offsets; a new block replaces the
 * current one only when it has more room left; the block counts 16 B while
 * any object in it is alive). Every array of the model is pointer-free.
 * The slices' own headers (24 B each wherever a program keeps them) are
 * not counted here. The allocator is still asked for exactly cap x elem.
 *
 * The Go GC mode (gs_heap_set_gc, off by default). Off, an array is freed
 * the moment its last handle goes, as malloc would (reference counting).
 * In GC_GO mode the heap frees the way Go 1.19's collector does, at GOGC
 * percent, in cycles of a concurrent mark:
 *   - an array whose last handle goes becomes garbage: it stays allocated
 *     (its memory stays in the process) and counts in go_garbage_bytes;
 *   - after an allocation that took the heap to go_trigger_bytes, a
 *     cycle starts marking (gc_marking), as Go's mallocgc allocates and
 *     then starts the cycle. The heap here is Go's heapLive
 *     (_gs_go_live: go_held_bytes + go_garbage_bytes + go_live_lead_): a
 *     span a class's cache takes counts whole as it is taken, not object
 *     by object (mcache.refill; the program's own cached spans too,
 *     gs_heap_add_cached), its tail until the mark's end, which
 *     sets heapLive back to the marked bytes. Tiny blocks count 16 B
 *     each as they are opened (Go counts their class's span whole too: at
 *     most 8 KiB more). The assists' pace (goal - heapLive) and the
 *     sweep's (heapLive since the sweep began) read it too; the way a mark
 *     lasts is walked in the bytes the program allocates, as Go's assists
 *     are paid. The garbage at the cycle's start is what it frees
 *     (go_mark_garbage_bytes). The program runs on while it marks, and
 *     what it allocates meanwhile survives the cycle (Go allocates
 *     black), as does what it drops from heap memory (a slice of kept
 *     slices: Go's write barrier marks what a pointer written over
 *     pointed to; gs_heap_set_heap_refs): floating garbage, freed by the
 *     next cycle. What the program drops from its stack (any other
 *     release) before the cycle scans its stack is freed by this cycle,
 *     unless it was made during the mark (stack_window_; tiny arrays
 *     excepted, which stay in their block): Go scans a goroutine's stack
 *     once a cycle, with one P in one of the program's mark assists.
 *     Draws off, the model takes its first assist, at its next
 *     allocation. Draws on, its second (go_stack_scan_bytes_): in the
 *     Go benchmark the first assist scans the globals, and its assists
 *     take heap work before root jobs, of which the stacks come last;
 *     the second comes before the allocation that would take the heap
 *     past where the first one's credit runs out (gs_go_mark_end's
 *     GS_GO_MARK_FIRST_ASSIST point of the way from the mark's start to
 *     its goal, scaled as below for a mark that starts past it). The
 *     first assist, at the mark's first allocation, pays for that
 *     allocation: one that takes the heap past the point gets an assist
 *     that goes on from the globals into the heap they reach, and into
 *     the stacks only if it must pay for more than those (the
 *     GS_GO_MARK_BEFORE_STACKS point, go_stack_first_bytes_; the
 *     program's stacks counted as the first scanned); short of that, the
 *     stack waits for the next assist (Go's heldBytes at append,
 *     256 KiB, k = N/2, GOGC 100: the mark that starts as a round's sixth
 *     source is made does not mark the 0.62 MiB accumulator its first
 *     allocation outgrows, nor that source: GODEBUG=gctrace=1,
 *     gcpacertrace=1 prints the marked heap as 0 MB, and the next trigger,
 *     at its lower bound, 3.07 MiB, puts it under 0.87 MiB). In a
 *     mark the background worker ends (drawn before that point), the
 *     worker, which takes root jobs before heap work, scans
 *     the stack as it ends the mark, so the window lasts to the end. So
 *     the accumulator an append outgrows before then dies with the
 *     cycle, as in Go. Left out: Go scans each goroutine's stack as a
 *     root job of its own, the benchmark's after the others'; an assist
 *     may take the worker's credit instead of scanning. Held to Go's timed
 *     runs mark by mark (scripts/go-record --model), the marks' count
 *     and the heaps where they start lie nearer Go's than with the stack
 *     scanned at the first assist (results/GC-VS-GO.md, the list of
 *     changes);
 *   - before an allocation that would take the heap past go_mark_end_bytes
 *     the mark ends: GS_GO_MARK_END_NUM/DEN (3/4) of the way from the heap
 *     at its start to the goal (1.1 x the goal for a mark that starts past
 *     it, as Go's revise paces it; Go paces its mark assists so that the mark
 *     ends by the goal, or an allocation past it; its background worker, a
 *     quarter of the one P, ends it sooner), or, with draws on
 *     (gs_heap_set_mark_draws), where Go's last assist starts, in a case
 *     drawn for each cycle (gs_go_mark_end; below; for a mark that starts
 *     past its goal, sooner by W / (W + space - stacks): revise then
 *     paces the assists to maxScanWork, which counts the goroutines'
 *     whole stack space, gs_go_program_t's stack_space_bytes, where W,
 *     the work the point counts, has the program's stacks, as the last
 *     cycle's work has the stacks it scanned; measured and held to Go in
 *     results/GC-VS-GO.md, the list of changes; left out there: the
 *     heap's pointers made since the last cycle, which maxScanWork also
 *     counts (none in the retention benchmark, which makes its own once
 *     a run), a mark that passes its goal while it marks, which Go paces
 *     the same way from then on (the model ends it at its next
 *     allocation its credit does not cover: below), and the marks with
 *     draws off), or
 *     sooner, at the program's preemption (below) once the mark has run
 *     GS_GO_PREEMPT_MARK_NS of Go's clock: the background worker, which
 *     with one P gets the P only when the program is descheduled, takes
 *     it and finishes the mark (recorded untraced, scripts/go-record,
 *     whose events show each mark: of 3500 marks of the check's two
 *     matrices, 44 had a preemption fall in them and 32 of those ended
 *     within 0.21 ms of it, most of the others preempted under 0.25 ms
 *     in; exactcap at 32 KiB, k = N/2, GOGC 400, whose timed run's second
 *     mark starts at 113.8 MiB 29-34 ms in, ended it 0.4-0.7 ms later at
 *     the preemption in 3 processes of 8, 5 MiB past its trigger, and
 *     peaked at 114-115 MiB; in the other 5 the assists ran it 8.5-9.1
 *     ms, 25 MiB past its trigger, and the peak was 134.7-135.0 MiB).
 *     With draws on, a mark an assist ends (not the worker's) follows
 *     the assists' pay as Go's revise paces it, not go_mark_end_bytes:
 *     the first assist's excess is credit in bytes at the pace of then,
 *     spent before the next assist, which pays at the pace of now (work
 *     left over heap left to the goal); the assist that would take the
 *     work past gs_go_mark_end's point is the last, and a mark whose heap
 *     has passed its goal ends at the next allocation its credit does
 *     not cover (gs_goheap.c, assist_ends_mark). With many allocations
 *     in a mark the two agree to an allocation; they part only where a
 *     few large allocations carry the mark past its goal on the credit
 *     (240 KiB, GOGC 400: three allocations, as Go's, to two before; 96
 *     to 320 KiB in all, at GOGC 100 or 400). Go's least assist (64 KiB of work) is left out:
 *     with it, and the model's work short of the deeper stacks of
 *     heldBytes' rounds (gs_go_mark_end counts GS_GO_STACKS_SCAN), the
 *     third allocation's assist would end that mark. At the mark's end
 *     the cycle's garbage waits for the sweep (below), and the next
 *     goal and trigger are set as Go's pacer does. The goal is
 *     max(4 MiB x GOGC/100, marked + (marked + roots) x GOGC/100), with
 *     the program's heap in marked and its stacks and globals as roots
 *     (gs_heap_set_go_program; none by default), marked being the heap
 *     at the end less what the cycle freed (go_marked_bytes: live at the
 *     start, plus everything allocated during the mark), and Go's
 *     heapMinimum scaling with GOGC (4 MiB at 100, 16 MiB at 400). The
 *     trigger is the goal less a runway (with draws off, GS_GO_MARK_RUNWAY x
 *     sqrt(GOGC/100): 4 MiB at GOGC 100, 8 MiB at 400; with draws on,
 *     Go's own, below), kept within Go's bounds, 45/64 to
 *     61/64 of the way from marked to the goal (the upper bound at least
 *     goal - 4 MiB);
 *   - Go sweeps lazily: a dead array keeps its memory until a sweep
 *     reaches it (go_unswept_bytes): one with a span of its own (the
 *     one-object classes, 8, 16, 24 and 32 KiB, and large objects) its
 *     pages (gs_gosweep.c), one of a shared class its slot, and its span
 *     its pages (gs_gospans.c). A class that needs a span sweeps its own
 *     in place (mcentral, oldest first in the order of Go's span sets: a
 *     span goes last as it leaves the class's cache and as a sweep finds
 *     it in use) and takes the first with room,
 *     and the proportional sweep before each new span, the page reclaimer
 *     (lowest pages first), the background sweeper at the program's
 *     preemptions and the next mark's start free the rest. Recorded
 *     untraced (scripts/go-record --strategies append --gogc 100): at
 *     --sizes 32KiB --kept N/2 Go's timed run takes 852 spans from its
 *     page heap (the model: 765-825, 822 in 11 of 20 processes, at
 *     d973b78), its 32 KiB class reusing 2854 dead
 *     spans in place; freed at the mark's end, the model's took 3696, its
 *     heap reaching 70.7 MiB to Go's 88; at --sizes 4KiB --kept N/2 Go
 *     takes 2080 spans (the model: 2053-2093, 2081 in 13 of 20), with its
 *     shared spans' dead
 *     slots freed at the mark's end 8238; at --sizes 4800 --kept 2400
 *     --elem 24 the spans of Go's timed run reach over 33.9-35.7 MiB of
 *     its heap (the model: 33.1-35.6 in 59 of 60 processes; 39.8 when it
 *     left a span with no dead slot out of its class's order);
 *   - memory a cycle frees is kept for reuse: a freed slot stays in its
 *     span for the next object of its class, and the pages of a span left
 *     empty are idle (go_idle_bytes, Go's HeapIdle - HeapReleased); a new
 *     span takes the lowest free pages (under 16 pages, from the page
 *     cache's block: below), idle ones or ones already returned to the
 *     system (go_released_bytes, which fault back in), and only then
 *     grows the heap;
 *   - as each cycle's sweep ends the scavenger may return idle memory to
 *     the system until what the heap retains (held + garbage + unswept,
 *     the free slots of the spans of small objects, and idle) is at most Go 1.19's
 *     scavenge goal: the heap in use at the end of the mark (held +
 *     garbage and the spans' free slots before freeing, Go's
 *     lastHeapInUse, which counts whole spans) x new goal /
 *     last goal, plus 10 % (retainExtraPercent), rounded up to 4 KiB pages;
 *     nothing when within one page of it. It works at Go's pace. Go's
 *     background scavenger is woken as cycles start and their sweeps end,
 *     but with GOMAXPROCS=1 it gets the one P only when the program is
 *     rescheduled: when sysmon preempts it, having seen it run for 10 ms
 *     (forcePreemptNS) at its 10 ms ticks, so every 20 ms of the
 *     program's time and 10-20 ms after it last waited; and as it waits in
 *     runtime.GC. Then the scavenger works toward the goal of the last
 *     cycle, for at least 1 ms (minScavWorkTime) in 64 KiB steps
 *     (scavengeQuantum), and sleeps until a cycle wakes it again (recorded
 *     untraced, scripts/go-record --sizes 32KiB --kept N/2 --strategies
 *     append --repetitions 12: the timed run's first preemption 11.1-19.8
 *     ms after its debug.FreeOSMemory, the next ones 20.1-20.3 ms apart,
 *     or 10.1 where the program was rescheduled meanwhile; every
 *     scavenger turn 0-10 ms after one, the mark under way finished
 *     first; a turn gave back what the heap held over its goal then, 5 to
 *     60 MiB in 9 processes of 12). So the model's
 *     program is preempted every 20 ms (GS_GO_SCAV_PERIOD_NS) of Go's
 *     clock (gs_go_clock_ns: the time Go's program takes for the arrays,
 *     bytes and page faults the model's has made, fit to Go's), the first
 *     time 10-20 ms after it last waited in runtime.GC (drawn: the phase
 *     of sysmon's ticks); at a preemption a scavenger woken by a cycle's
 *     sweep ending since its last turn works toward the last cycle's
 *     goal (and the background sweeper sweeps a span), and in
 *     runtime.GC it works while the program waits for the mark, toward
 *     the goal the cycle before set (finishsweep_m wakes it as the cycle
 *     starts: `GODEBUG=scavtrace=1,gctrace=1` on the Go benchmark (the
 *     command: results/GC-VS-GO.md, its list of changes) shows
 *     19256 KiB given back as each of heldBytes' later rounds starts at
 *     append, 256 KiB, k = N/2, GOGC 100, down to the 43 MiB goal the
 *     round before left, where the model's turn after the mark, toward
 *     the new 2 MiB goal, gave back all 60 MiB), for 1 ms of its own
 *     measured time, checked after every 64 KiB
 *     (gs_heap_set_scavenger_pace; tests set it unpaced, as the cycle's
 *     sweep ends and whole, for exact figures). Its turns
 *     then fall where Go's do in the program, however fast the model's
 *     process runs. (Before, it worked 10 ms of the model's own process
 *     time after a cycle's end woke it; the model's process runs a case
 *     1.0-5.2x as fast as Go's, so in a timed run of two batches the turn
 *     came after the run, or never: append at 32 KiB, k = N/2, GOGC 100
 *     gave back nothing in it, where Go gave back 5-60 MiB in 9 processes
 *     of 12, and faulted 0.34 per item against Go's 0.40-1.30 in the check.)
 *     (Before that, the model's
 *     scavenger worked at the cycle's end itself if 10 ms had passed since
 *     its last turn: a batch's last cycle, as its kept arrays died, then
 *     released the pages the next batch's arrays were about to take, and
 *     exactcap at 4 KiB, k = 2 KiB, GOGC 100, faulted 0.54-0.57 per item
 *     against Go's 0.30-0.39, in every run of scripts/gc-vs-go
 *     --repetitions 7; woken and delayed, 0.35 against
 *     0.30-0.41, 1.11x Go's median, in each of three runs; and over three
 *     runs each of the check's two matrices, with the mark ends drawn,
 *     the cases inside Go's spread went from 30, 28-29, 28-29 and 27-29 of
 *     30 (peak and faults at GOGC 100, then at 400) to 30, 30, 28-30 and
 *     27-30, and off the size classes from 56-58, 58-60, 59-60 and 58-60
 *     of 60 to 56-58, 59-60, 60 and 59-60.) (Measured with THP off for
 *     both processes, where a fault is a 4 KiB page on both sides,
 *     scripts/gc-vs-go --strategies append --kept N/2 under
 *     prctl(PR_SET_THP_DISABLE), one run each: append at 32 KiB and
 *     256 KiB faulted 2.7 and 3.9x Go's at GOGC 100 and 1.7 and 1.8x at
 *     GOGC 400 with the scavenger at every cycle; 0.92 and 1.22x, and 0.81
 *     and 1.08x, at its pace before (above); 1.15 and 1.32x, and 0.83 and 1.12x, once
 *     it also kept huge pages whole, which matters with THP on.)
 *   - gs_heap_collect is runtime.GC(): the cycle under way ends, then a
 *     whole cycle runs with nothing allocated during it.
 * The runway: Go's is its cons/mark estimate (bytes the program allocates
 * per byte the collector scans, from the CPU time each took in the cycles
 * before, through a PI controller) x 3 x the expected scan work. With draws
 * on (gs_heap_set_mark_draws, as the retention benchmark runs the mode)
 * the model runs Go's controller (gs_go_pacer_next, held to Go's by
 * tests/gs/vectors/consmark.csv), with the CPU time it cannot take drawn
 * from Go's. With draws off it takes a runway fitted to Go's runs
 * (GODEBUG=gctrace=1 on the retention benchmark, GOMAXPROCS=1). At GOGC
 * 100 Go's marks start 1 to 4 MB below their goal (retain 32 KiB, M 1819:
 * goals 4, 7, 14, 27, 53 and 105 MB; gcpacertrace: 0.5 MB of scan work,
 * cons/mark 1.3 to 5.8, runways of 1.5 to 6.7 MB): 4 MiB, the runway Go's
 * pacer allows a cycle with next to no scan work (the trigger's upper
 * bound for large heaps: goal - defaultHeapMinimum), since every array
 * here is pointer-free and Go scans only the slice headers, stacks and
 * globals. At GOGC 400 they start 4 to 17 MB below (copy 1 MiB, k 32769:
 * 7 to 14 MB; retain 32 KiB: 17 MB, at the trigger's lower bound): of 4,
 * 8, 12 and 16 MiB, 8 makes the most cycles of tests/gs/vectors/gcpeak.csv
 * agree with Go's (17 of 20) with no peak heap off by more than 25 %;
 * sqrt(GOGC/100) joins the two. Where the mark ends: in the same traces a
 * mark covers 0.55 to 0.9 of the way from its start to the goal (0.7 on
 * average over nine cases); the model takes 3/4, and so its goals grow as
 * Go's do (4, 7.4, 14, 27, 53, 104 MB in the retain case) instead of
 * doubling from 4 MiB (with marks that end at the goal and a runway of
 * 4 MiB at every GOGC, as before, 7 of the 20 vectors' cycle counts
 * agreed); with draws on (gs_heap_set_mark_draws, as the retention
 * benchmark runs the mode) each mark ends where Go's last assist starts
 * instead (gs_go_mark_end). With one P, Go's background worker, a
 * fractional one, gets the P only now and then, so a mark's work is done
 * by the program's assists, and where the last one starts follows from
 * the work's parts: a runtime printing each assist's work and each stack
 * scan (GOROOT copied, mgcmark.go patched) showed every timed mark's
 * first assist doing 234576 B (the globals' root jobs and what they
 * reach), the second 62-64 KB more and, as those fall short of an
 * assist's 64 KiB, the kept headers' first part with them: all of them
 * at M 1819 (mark over at 0.68 of the way), 128 KiB of 196032 at M 8168
 * (a third assist at 0.87). The long roots case is a deeper stack: the
 * benchmark goroutine's frames in Go's harness's held-bytes rounds (24.6
 * KB against 13.0 in its timed loop), so 40-52 % of the marks before the
 * timed loop, 1.6 % in it. Uniform draws from Go's pooled 10th to 90th
 * percentile (0.56-0.88), as before, took the GOGC 400 cases at 4 KiB,
 * k = 16, to 16 MiB against Go's 22: Go's marks there all end at 0.87.
 * Go's order and its stack: the model started a cycle before the
 * allocation that passed the trigger, and ran it whole at once if that
 * allocation would also pass the mark's end, so a large array's
 * allocation could not start a cycle that the array it replaced died
 * in. Go's order alone (allocate, then start; every release surviving
 * the cycle) brought append at 24 KiB, k = 2400, GOGC 100 inside Go's
 * spread but took append's peak at k = N/2, GOGC 100, to 1.3-1.8x Go's
 * (the outgrown accumulator floated through the cycle its successor
 * started); with the stack scanned at the next allocation, both are
 * inside Go's spread (three runs of each of the check's matrices,
 * results/GC-VS-GO.md).
 * A mark's utilization and Go's history: Go's estimate, and with it where
 * each cycle starts, is a chain over every cycle of the process, and the
 * utilization each mark feeds it follows how fast the program allocates,
 * 5-fold slower when it faults memory in (gs_go_mark_utilization). Drawn
 * for the runway alone, with every case's marks pooled, and from one
 * batch before the timed loop, the model's retain at 32 KiB, k = 16, GOGC
 * 400 landed on Go's level (114 MiB) in 2 processes of 20, Go in 20 of
 * 20; with what faults in counted and Go's harness replayed (the
 * retention benchmark's go_history: heldBytes' three rounds, their sources
 * unwritten and their stack deep enough for the long roots case, then two
 * batches), in 38 of 60 (three runs of 20). Less did not (measured while
 * the model took its process's faults and blended r between the rows by
 * their share, which gave 13 of 20): the faults with one batch before, 1
 * of 20; Go's
 * harness with the pooled draw, 2 of 20; with Go's harness, utilizations
 * drawn by runway from tables of faulting and reusing marks apart, 7 of
 * 20, and 3 of 20 without heldBytes' deep stack. At 256 KiB the first
 * mark of heldBytes' first round decides it: Go's takes 0.96-1.06 of the
 * P there, and its estimate lands far from every later one (either
 * sign), where a reusing mark's draw took the model's to 0.99 at most
 * (0.94 at the median);
 * with that mark drawn from Go's marks of memory nobody writes
 * (gs_go_unwritten_utilization) the model's retain at 256 KiB, k = 16,
 * GOGC 400 landed on Go's level (126 MiB) in 43 of 120 (seeds 1-12, 10
 * processes each; 30 of 120 before), and with every such mark at 1.00
 * +- 0.05 instead (a scratch build, seeds 1 and 2) in 17 of 20. Go did
 * in 6 of 6 untraced processes, and in 18 of 27 with gctrace, which
 * moves it. Those draws came from traced marks, corrected for the
 * trace's print; recorded untraced (scripts/slicebench/gorecord.py), Go's
 * first mark there takes 0.88-1.05 of the P (0.99 at the median, 20
 * processes, 17 of them on the upper level; 0.91-1.08 and 10 of 20 in a
 * later batch), and the marks that seemed
 * to cost the program most per byte (Go's second mark of that round at
 * 61-63 MiB, r 0.6-0.7, and the last of GOGC 100's rounds, r up to 10)
 * are those runtime.GC ended: the harness's round ends while the mark
 * runs, the program waits, the assists stop and the workers finish it,
 * so u stays near 0.25 and the mark feeds Go's estimate (u + idle) / (1
 * - u) per byte of x, 0.39-1.75 (gs_go_waited_consmark), where a mark
 * the program ran through feeds u / (1 - u): at 256 KiB (x 6.6, 61 MiB)
 * 1.7 at the traced fit's median, 3.9 at the recorded one's. Both drawn
 * from recorded marks (the unwritten fit without the waited ones,
 * r = c (KiB / N)^p (H / MiB)^h), the model's retain at 256 KiB, k =
 * 16, GOGC 400 lands on Go's level in 87 of 120 (the seeds above); at
 * 32 KiB in 47 and 47 of 60 (k = 16 and N/2, seeds 1-3; 49 and 51
 * before); at 240 KiB, k = 72, elem 8, in 35 of 40 (20 of 40 before),
 * where Go did in 14 of 20, 8 of 8 and 5 of 12 recorded, three batches.
 * (The figures of this paragraph are of the first fit's tables, from
 * another VM; the tables are now this machine's: gs_goheap.c, and
 * results/GC-VS-GO.md, "Go's utilization refitted here, and drawn at Go's x".)
 * Left out: with draws off, the runway's feedback, so Go's trigger moves
 * from cycle to cycle where the model's does not; with draws on, what
 * else moves a mark's utilization in Go (its scheduling: the model draws
 * it between Go's 10th and 90th percentile, each cycle on its own), that
 * a page the background scavenger gave back faults in when reused (the
 * count of what faults in leaves it out, so that the scavenger does not
 * move a seed's utilizations), and the one-item run Go's harness makes first; the
 * scavenger's sleep (Go
 * sleeps it for 1000 times its work at first, then for what a feedback
 * controller sets toward 1 % of a CPU, and a cycle's sweep ending wakes
 * it early:
 * here it works once per wake,
 * whatever it did before; and the time to its turn is Go's longest, 10
 * ms, where Go's is whatever is left of the program's time slice, up to
 * sysmon's own sleep later; working at the next cycle's start when that
 * came first, as Go's sweep termination wakes it and its mark worker
 * soon preempts the program, took the k-off matrix's faults within 25 %
 * of Go's at GOGC 100 to 36 and 39 of 60, two runs); forced and
 * two-minute periodic collections; where Go's runtime and testing package
 * hold their own spans (the model keeps the heap's first
 * GS_GO_RUNTIME_PAGES out of use, whole, where Go's hold 46 pages
 * scattered over its first 124; the small spans Go's harness takes as the
 * benchmark runs, and the stacks' and the collector's work buffers'
 * spans its runtime takes from the same page cache, take none of the
 * model's pages); Go's tiny block is closed
 * at the start of a mark too (Go closes it at the end only); the spans of
 * tiny blocks (a tiny array's memory is the C allocator's; their 16 B
 * blocks count as objects, not as the spans of 16 B slots Go keeps them
 * in).
 *
 * The C process's own memory follows: garbage really stays allocated until
 * a sweep frees it, and every array but a tiny one lives in a heap of the
 * model's own, laid out as Go's:
 *   - the page heap (gs_gopages.c), as Go 1.19's page allocator keeps its
 *     heap: one reservation of address space, in Go's 8 KiB pages, the
 *     first GS_GO_RUNTIME_PAGES never free (Go's runtime's); a span
 *     takes the lowest run of free pages that holds it (first fit by
 *     address), so the pages of freed spans, neighbours merged, serve a
 *     span of any size that fits, without faulting, except that a span
 *     under 16 pages comes from the page cache of Go's one P (GOMAXPROCS
 *     = 1; mpagecache.go): the 64-page block of the lowest free page,
 *     taken whole when the cache is empty and served lowest first, whose
 *     free pages no larger span takes and the scavenger does not release
 *     (pages given back go to the page heap, not the cache); when none
 *     fits the heap grows at its top in 4 MiB steps (fresh pages,
 *     faulted in when first touched), and an allocation that grows it
 *     while the heap retains, with the growth, more than the scavenge
 *     goal gives back that much of its idle pages at once, up to the
 *     growth (mheap.allocSpan); a span's pages are freed (idle, resident:
 *     idle_page_bytes) when a sweep reaches its dead array, or empties a
 *     span of small objects; the scavenger releases idle pages, highest first,
 *     in whole pages (madvise MADV_DONTNEED, with MADV_NOHUGEPAGE on the
 *     huge pages at the ends of a run that does not fill them, as Go's
 *     sysUnused; mem_release_pages), and breaks no huge page, as Go's
 *     findScavengeCandidate: when the pages it takes cross a huge page
 *     boundary and their idle run holds the whole huge page below it, it
 *     takes that whole huge page too, which then faults back in as one
 *     huge page; a released page faults back in, zeroed, when next used;
 *   - an array with a span of its own in Go (the size classes of whole
 *     pages, one object per span: 8 KiB, 6913 B on, 1 page; 16 KiB,
 *     14337 B on, 2 pages; 24 KiB, 21761 B on, 3 pages; 32 KiB, 28673 B
 *     on, 4 pages; and large objects over 32 KiB, one per span of whole
 *     pages) is such a span;
 *   - an array of any other class takes a slot in a span of its class
 *     (gs_gospans.c: Go's class_to_allocnpages pages from the page heap,
 *     as many slots as fit), as Go's mcache and mcentral hand them out:
 *     the lowest free slot of the class's current span from where it left
 *     off, else of the oldest span of the class with a free slot, else of
 *     an unswept one of the class swept in place, else of a new span; a
 *     sweep frees its garbage's slots, a span left empty gives its pages
 *     back to the page heap (idle), and the current spans are flushed and
 *     swept at the end of every cycle (small_spans and
 *     small_span_bytes count the spans of small objects in use). Pages
 *     freed by small objects serve large ones and the other way round, as
 *     in Go.
 * make zeroes an array whose span's memory held an object before (Go's
 * zeroedBase and needzero), not fresh memory. The page heap's idle and
 * released pages are go_idle_bytes and go_released_bytes. The counting
 * allocator counts each array as a block of its Go bytes (its class, or
 * its whole pages) from its allocation until a sweep frees it (a tiny
 * one: a collection) (mem_count_take, mem_count_give; an array that takes a dead
 * one's span in place is counted as the dead one is uncounted); free pages and free slots are not
 * counted. Memory taken into use fresh or back from the scavenger (a span's
 * pages not idle) is advised for transparent huge pages on its whole
 * 2 MiB pages (mem_advise_huge), as Go advises heap memory it takes into
 * use (sysUsed): with THP in "madvise" or "always" mode, a large array then
 * faults in 2 MiB at a time, in Go and in the model alike (Go's 16 MiB
 * array: 8 faults, not 4096), and so does a run of small spans in a huge
 * page advised before.
 * ------------------------------------------------------------------------ */

typedef struct gs_array_s gs_array_t;     /* opaque: one backing array */
typedef struct gs_hdr_chunk_s gs_hdr_chunk_t;
typedef struct gs_tiny_s gs_tiny_t;       /* opaque: one 16 B tiny block */
typedef struct gs_pages_s gs_pages_t;     /* opaque: the GC mode's page heap */
typedef struct gs_span_s gs_span_t;       /* opaque: a span of small objects */
typedef struct gs_spans_s gs_spans_t;     /* opaque: the spans of every class */
typedef struct gs_sweep_s gs_sweep_t;     /* opaque: the sweeper's lists */

/* How the heap frees dead arrays. */
typedef enum gs_gc_e {
    GS_GC_OFF = 0,   /* at the last release, as malloc'd memory (default) */
    GS_GC_GO = 1     /* Go 1.19's collector at GOGC percent, as above     */
} gs_gc_t;

/* Go 1.19's cons/mark estimate and the state of the PI controller that
 * sets it (gcControllerState.consMark and consMarkController). */
typedef struct gs_go_pacer_s {
    double cons_mark;   /* bytes allocated per byte scanned, per CPU time  */
    double integral;    /* the controller's integral term                   */
} gs_go_pacer_t;

/* The Go program around the model's arrays, as Go's pacer counts it
 * (gs_heap_set_go_program), bytes. */
typedef struct gs_go_program_s {
    size_t roots_bytes;    /* its stacks and globals, scanned each cycle     */
    size_t heap_bytes;     /* its own live heap objects outside the arrays
                              (the kept headers' [][]T among them)          */
    size_t headers_bytes;  /* the kept slices' headers: pointers in one heap
                              object, which each mark scans last            */
    size_t stack_bytes;    /* of roots_bytes, its stacks: more than
                              GS_GO_DEEP_STACKS puts every mark drawn in
                              the short roots case in the long one         */
    size_t item_bytes;     /* its largest allocation per item (the
                              received buffer, N): what a mark of memory
                              nobody writes costs it per byte follows
                              (gs_go_unwritten_utilization); 0: not given  */
    size_t stack_space_bytes; /* the stack space its goroutines hold (Go's
                              maxStackScan), of which stack_bytes are in
                              use: a mark that starts past its goal
                              expects to scan all of it; 0 or less than
                              stack_bytes: none beyond them                */
} gs_go_program_t;

/* A mark of the Go GC mode as the model runs it (gs_heap_set_mark_log). */
typedef struct gs_mark_event_s {
    int ends;              /* 0: the mark starts; 1: it ends               */
    int waited;            /* the program waits in runtime.GC meanwhile
                              (gs_heap_collect)                            */
    size_t heap_bytes;     /* the heap (go_held_bytes + go_garbage_bytes):
                              at the start; at the end, before it frees    */
    size_t goal_bytes;     /* at the start the cycle's goal, at the end the
                              next one's                                   */
} gs_mark_event_t;

typedef void (*gs_mark_log_fn)(const gs_mark_event_t *e, void *arg);

/* A span of the Go GC mode's page heap taken or given back
 * (gs_heap_set_span_log): taken 1, the lowest free run that fits it;
 * taken 0, given back (an array's, or a span of small objects' it
 * empties, by a sweep). array 1: an array's own pages;
 * array 0: a span of small objects' slots. page counts 8 KiB pages from
 * the heap's first. */
typedef void (*gs_span_log_fn)(int taken, int array, size_t page, size_t pages,
                               void *arg);

/* Go's smallest heap goal at GOGC = 100 (heapMinimum), bytes. */
#define GS_GO_HEAP_MINIMUM (4u << 20)

/* The model's mark runway at GOGC 100, bytes: a cycle starts marking when
 * the heap is this x sqrt(GOGC/100) below its goal (within Go's trigger
 * bounds; see "The Go GC mode" above). */
#define GS_GO_MARK_RUNWAY (4u << 20)

/* With draws on and no program (gs_go_scan_work), the scan work Go
 * expects of a cycle, bytes: the median of gcpacertrace's "B exp." over
 * the check's cases (the test binary's globals, its stacks and the heap's
 * pointers; 303-508 KB). */
#define GS_GO_SCAN_WORK 353656u

/* Where a mark ends: GS_GO_MARK_END_NUM/DEN of the way from the heap at
 * its start to the goal (see "The Go GC mode" above). */
#define GS_GO_MARK_END_NUM 3u
#define GS_GO_MARK_END_DEN 4u

/* With draws on (gs_heap_set_mark_draws), where a mark ends: where Go's
 * last mark assist starts (gs_go_mark_end, gs_go_mark_case_t). Go 1.19's
 * own constants: */
#define GS_GO_ASSIST_WORK (64u << 10)   /* gcOverAssistWork: an assist's least */
#define GS_GO_OBLET_BYTES (128u << 10)  /* maxObletBytes: a large object's part */
/* and the retention benchmark's test binary's, measured (gcpacertrace and
 * a runtime printing each assist's work; see gs_go_mark_end): */
#define GS_GO_FIRST_ASSIST_WORK 234576u /* the first assist: the globals     */
#define GS_GO_ROOTS_WORK 62632u         /* the rest but the kept headers      */
/* The rest of the test binary's program (gs_go_program_t), measured the
 * same way: its globals and stacks as gcpacertrace counts them (231280 B
 * of globals in every line; 17888-18344 B of stacks in the timed runs),
 * and its heap besides the kept headers (the live heap after the timed
 * run's debug.FreeOSMemory less the [][]T: 69720 and 71752 B at M 8168
 * and 1819): */
#define GS_GO_GLOBALS_SCAN 231280u
#define GS_GO_STACKS_SCAN 18312u
#define GS_GO_HARNESS_HEAP 70736u
/* and its pointers that each mark scans besides the kept headers (Go's
 * scan work less the globals, the stacks and 24 B x M: 49240-50224 B over
 * the check's timed runs, at M 228 to 8168): */
#define GS_GO_HARNESS_SCAN 49520u
/* The free slots of the spans the Go benchmark's own small objects leave
 * in the P's cache as its peak round's two untimed batches start
 * (gs_heap_add_cached): BeginPeak (its file reads and writes) takes spans
 * of four small classes after debug.FreeOSMemory's collection has emptied
 * the caches, and heapLive counts them whole until the first mark ends;
 * the timed run starts without them (runtime.ReadMemStats, in run() and
 * b.ResetTimer, empties the caches and takes the free slots off heapLive).
 * Go's heapLive at the batches' first spans, the peak round's less the
 * timed run's: some 71 KiB in six cases, 72920-73336 B in the four read
 * to the byte (a scratch copy of scripts/go-record's runtime that also
 * recorded heapLive at each span it took; results/GC-VS-GO.md, "Go's
 * harness spans at the peak round"): */
#define GS_GO_HARNESS_CACHED 73000u
/* Stacks deeper than these take the roots past an assist's least work
 * (GS_GO_ROOTS_WORK counts GS_GO_STACKS_SCAN of them): the second assist
 * stops short of the headers, the long roots case. Go's benchmark
 * goroutine is that deep in its heldBytes rounds (29520-29552 B of stacks
 * in their gcpacertrace lines, GS_GO_HELD_STACKS_SCAN): */
#define GS_GO_DEEP_STACKS (GS_GO_STACKS_SCAN + GS_GO_ASSIST_WORK - GS_GO_ROOTS_WORK)
#define GS_GO_HELD_STACKS_SCAN 29520u
/* The stack space the test binary's goroutines hold (Go's maxStackScan,
 * recorded at every mark's start and end by scripts/go-record): 55296 B
 * in heldBytes' rounds and the peak round, 38912 B in the timed loop (the
 * timed run's debug.FreeOSMemory shrinks the benchmark goroutine's 32 KiB
 * stack to 16 KiB). */
#define GS_GO_HELD_STACK_SPACE 55296u
#define GS_GO_STACK_SPACE 38912u
/* Which case a mark falls in, in 64ths of the cycles: */
#define GS_GO_MARK_WORKER_IN_64 4u      /* the background worker ends it      */
#define GS_GO_MARK_LONG_IN_64 1u        /* long roots; the rest short ones    */

typedef struct gs_heap_s {
    gs_policy_t policy;          /* growth policy of every append on this heap */
    size_t live_arrays;          /* arrays referenced by at least one slice    */
    size_t held_bytes;           /* sum over live arrays of cap x elem, bytes  */
    size_t held_reserved_bytes;  /* sum over live arrays of what the allocator
                                    reserved (mem_usable_size), bytes          */
    size_t live_slices;          /* slice handles that reference an array      */
    size_t referenced_bytes;     /* sum over live handles of len x elem, bytes */
    size_t peak_held_bytes;      /* highest held_bytes since init, bytes; a
                                    growing append counts the old and the new
                                    array, both live while it copies          */
    uint64_t arrays_made;        /* cumulative: arrays allocated               */
    uint64_t bytes_made;         /* cumulative: cap x elem of those, bytes     */
    uint64_t grows;              /* cumulative: reallocations by append        */
    /* Go's heap, bytes (see "Go's bytes" above) */
    size_t go_held_bytes;        /* what Go's heap holds for the live arrays:
                                    size classes, pages, 16 B tiny blocks     */
    size_t peak_go_held_bytes;   /* highest go_held_bytes since init           */
    size_t peak_go_heap_bytes;   /* highest go_held + go_garbage +
                                    go_unswept: Go's heap in use, HeapAlloc
                                    (= peak_go_held_bytes with GC off)       */
    size_t peak_go_retained_bytes; /* highest go_held + go_garbage +
                                    go_unswept + go_idle:
                                    the heap's share of Go's RSS              */
    /* Go GC mode (gs_heap_set_gc); all zero while it is off */
    gs_gc_t gc;                  /* GS_GC_OFF or GS_GC_GO                      */
    unsigned gogc;               /* GOGC, percent                              */
    size_t garbage_arrays;       /* dead arrays not yet freed (swept; tiny
                                    ones, and those in a class's current span
                                    as the mark ends, collected)              */
    size_t garbage_bytes;        /* their cap x elem, still allocated, bytes   */
    size_t go_garbage_bytes;     /* the Go bytes of those not yet collected
                                    (tiny blocks whose objects are all garbage
                                    included; the unswept: go_unswept_bytes) */
    size_t go_goal_bytes;        /* heap goal: sets the trigger and where a
                                    mark ends (go_mark_end_bytes)             */
    size_t go_trigger_bytes;     /* a cycle starts marking after the
                                    allocation that takes heapLive
                                    (_gs_go_live) to it                       */
    int gc_marking;              /* a cycle is marking                         */
    size_t go_mark_end_bytes;    /* the mark under way ends before the heap
                                    would pass it (GS_GO_MARK_END_*), but one
                                    that follows the assists' pay
                                    (mark_by_pay_)                           */
    size_t go_mark_garbage_bytes; /* garbage at the start of the mark under
                                    way: what its end frees (0 if none)      */
    size_t go_marked_bytes;      /* what the last cycle marked: the heap at
                                    its end less what it freed                */
    size_t go_live_lead_;        /* Go's heapLive less go_held + go_garbage:
                                    what is left free (slots and tail) of
                                    each span a class's cache took since the
                                    last mark ended, which Go counts whole
                                    as the cache takes it (mcache.refill;
                                    an array with pages of its own is
                                    counted whole as it is), and the
                                    program's own cached spans
                                    (gs_heap_add_cached); 0 as a mark
                                    ends (heapLive = the marked bytes)        */
    size_t go_unswept_bytes;     /* a cycle's dead arrays, not yet swept (Go
                                    bytes; in neither go_held_bytes nor
                                    go_garbage_bytes)                         */
    size_t go_idle_bytes;        /* freed, kept for reuse (resident)           */
    size_t small_spans;          /* GC mode: spans of shared slots in use (the
                                    classes of several objects per span)      */
    size_t small_span_bytes;     /* their pages, bytes (Go's HeapInuse less
                                    every span of one object)                 */
    size_t idle_page_bytes;      /* the page heap's idle pages: freed by a
                                    sweep, resident, in go_idle_bytes        */
    size_t go_released_bytes;    /* freed and returned by the scavenger        */
    size_t go_scavenge_goal_bytes; /* retained bytes the scavenger aims at;
                                    SIZE_MAX = none set                       */
    uint64_t gc_cycles;          /* cumulative: cycles ended                   */
    uint64_t go_scavenged_bytes; /* cumulative: bytes the scavenger returned   */
    uint64_t scav_period_ns;     /* the scavenger's pace (gs_heap_set_scavenger_pace) */
    uint64_t scav_work_ns;
    uint64_t scav_bursts;        /* cumulative: times the scavenger worked     */
    uint64_t mark_seed;          /* draws' seed (gs_heap_set_mark_draws); 0:
                                    every mark ends at GS_GO_MARK_END_*       */
    gs_go_pacer_t go_pacer;      /* draws on: Go's cons/mark estimate, which
                                    sets the runway (gs_go_pacer_next)        */
    double go_mark_util;         /* draws on: the utilization drawn for the
                                    last cycle that allocated during its mark
                                    (0: none yet; gs_go_mark_utilization or
                                    gs_go_unwritten_utilization; for one
                                    runtime.GC ended, k / (1 + k), k
                                    gs_go_waited_consmark's per byte: the u
                                    that feeds k with no idle share, not
                                    Go's own, which is near 0.25),          */
    size_t go_mark_alloc_bytes;  /* what that mark allocated, Go's bytes,     */
    size_t go_mark_grown_bytes;  /* how far past its trigger the heap had
                                    grown by its end (Go's heapLive -
                                    triggered: what its estimate is fed
                                    per byte of scan work),                  */
    double go_mark_faulted;      /* and what faulted in meanwhile
                                    (go_faulted_bytes), per byte of that,
                                    at most 1                                 */
    double go_mark_unwritten;    /* and what was taken into use unwritten
                                    meanwhile (go_unwritten_bytes), per
                                    byte of that, at most 1                   */
    uint64_t go_unwritten_bytes; /* cumulative: pages taken into use that
                                    nobody writes (gs_heap_set_unwritten,
                                    pages that never held an object)          */
    uint64_t go_faulted_bytes;   /* cumulative: pages taken into use and
                                    written that the program had not written
                                    since the heap was last given back whole
                                    (gs_heap_free_os_memory): what faults in */
    gs_go_program_t go_program;  /* the Go program around the arrays
                                    (gs_heap_set_go_program)                  */
    /* private */
    uint64_t mark_draw_;         /* the draws' stream (gs_random_next)         */
    size_t go_mark_start_bytes_; /* the heap when the mark under way started    */
    uint64_t mark_faulted_start_; /* go_faulted_bytes then                      */
    uint64_t mark_unwritten_start_; /* go_unwritten_bytes then                  */
    int unwritten_;              /* gs_heap_set_unwritten                       */
    int stack_window_;           /* a cycle is marking and has not scanned the
                                    program's stack yet                       */
    size_t go_stack_scan_bytes_; /* draws on: the mark scans the stack before
                                    an allocation that would take the heap
                                    past this (its second assist)             */
    size_t go_stack_first_bytes_; /* draws on: the mark's first assist scans
                                    the stack too if its allocation would
                                    take the heap past this                   */
    int first_assist_;           /* draws on: the mark under way has not had
                                    its first assist yet                      */
    int mark_by_pay_;            /* draws on, an assist ends the mark under
                                    way: its end follows the assists' pay
                                    (gs_goheap.c, assist_ends_mark)           */
    int mark_assisted_;          /* the mark under way has had an assist       */
    double mark_paid_;           /* work its assists have done, in 65536ths
                                    of the work they are paced to             */
    double mark_credit_;         /* bytes the program may allocate before its
                                    next assist                               */
    double mark_last_at_;        /* the work done when its last assist starts
                                    (gs_go_mark_end's point), same units     */
    double mark_first_work_;     /* its first assist's work, the globals' root
                                    jobs (GS_GO_MARK_FIRST_ASSIST), same units */
    size_t mark_pace_goal_;      /* the heap its assists are paced to reach:
                                    the goal, 1.1 x one already passed       */
    int heap_refs_;              /* releases drop heap references
                                    (gs_heap_set_heap_refs)                    */
    gs_mark_log_fn mark_log_;    /* gs_heap_set_mark_log, or NULL              */
    void *mark_log_arg_;
    gs_span_log_fn span_log_;    /* gs_heap_set_span_log, or NULL              */
    void *span_log_arg_;
    int scav_woken;              /* woken by a sweep's end, not yet worked     */
    uint64_t scav_draw_;         /* its draws' stream (gs_random_next)         */
    uint64_t clock_faults_base_; /* minor faults when the GC mode was set      */
    gs_array_t *free_hdrs_;      /* array headers ready for reuse              */
    gs_hdr_chunk_t *chunks_;     /* every header chunk, for gs_heap_destroy    */
    gs_array_t *garbage_;        /* GC mode: the garbage, linked by next_free  */
    gs_array_t *mark_garbage_;   /* the garbage the mark under way frees       */
    gs_tiny_t *tiny_;            /* the current tiny block, or NULL            */
    size_t tiny_off_;            /* bytes used in it                           */
    gs_tiny_t *free_tiny_;       /* tiny block records ready for reuse         */
    gs_pages_t *pages_;          /* GC mode: the page heap, or NULL            */
    size_t released_page_bytes_; /* its free pages released by the scavenger
                                    (used before, not idle)                   */
    gs_sweep_t *sweep_;          /* GC mode: the sweeper (gs_gosweep.c)       */
    gs_spans_t *spans_;          /* GC mode: the spans of small objects, or NULL */
    gs_span_t *new_span_;        /* the span of the slot _gs_go_prepare took   */
    size_t slot_bytes_;          /* Go bytes of the slots taken in those spans */
    uint64_t clock_faults_;      /* minor faults at Go's clock's last read     */
    unsigned clock_calls_;       /* its reads since                            */
    uint64_t clock_bytes_;       /* bytes_made at that read                    */
    uint64_t preempt_at_ns_;     /* Go's clock (gs_go_clock_ns) at the
                                    program's next preemption                 */
    uint64_t mark_clock_start_;  /* Go's clock when the mark under way began  */
    double clock_scale_;         /* gs_heap_set_go_clock                      */
    uint64_t clock_alloc_ps_;    /* Go's clock's costs at that scale: per     */
    uint64_t clock_byte_ps_;     /* array, per byte (ps), per fault (ns)      */
    uint64_t clock_fault_ns_;
} gs_heap_t;

/* Start an empty heap whose appends grow by `policy`. Cannot fail; an
 * invalid policy makes every append that must grow return -EINVAL. */
void gs_heap_init(gs_heap_t *h, gs_policy_t policy);

/* Free the heap's own memory (its header chunks), and in GC mode its
 * garbage, and leave it empty, as after gs_heap_init with the same policy,
 * gs_heap_set_gc with the same mode and GOGC, gs_heap_set_scavenger_pace
 * with the same pace and gs_heap_set_mark_draws with the same seed. -EBUSY when arrays are
 * still live: then nothing is freed and the heap stays usable. NULL:
 * -EINVAL. */
int gs_heap_destroy(gs_heap_t *h);

/* Address space the GC mode's page heap leaves the rest of the process
 * when it reserves its own (64 MiB): under an address-space limit, its
 * reservation is the largest that leaves this much besides. */
#define GS_GO_RESERVE_SPARE ((size_t)64 << 20)

/* The most the GC mode's page heap could hold if it were made now: the
 * address space it would reserve (the largest power of two from 64 GiB down
 * to 256 MiB the system grants with GS_GO_RESERVE_SPARE besides; less under
 * RLIMIT_AS), 0 when not even the least. Maps and unmaps that reservation
 * to find out. */
size_t gs_go_heap_room(void);

/* The largest GOGC gs_heap_set_gc takes, percent. */
#define GS_GO_MAX_GOGC 100000u

/* Choose how h frees dead arrays (see "The Go GC mode" above): GS_GC_OFF
 * (gogc ignored, the default), or GS_GC_GO at GOGC = gogc percent (0 to
 * GS_GO_MAX_GOGC), which sets the first goal to 4 MiB x gogc / 100. The
 * GC figures start afresh (peak_go_retained_bytes from peak_go_heap_bytes)
 * and the page heap is unmapped. Only on a heap with no live array and no
 * garbage: else -EBUSY. -EINVAL for NULL, an unknown mode or gogc out of
 * range. */
int gs_heap_set_gc(gs_heap_t *h, gs_gc_t mode, unsigned gogc);

/* The background scavenger's pace in GC mode (see "The Go GC mode"
 * above; with GC off there is no scavenger and the pace is only kept):
 * the program is preempted every period_ns of Go's clock
 * (gs_go_clock_ns), the first time half a period to a period after it
 * last waited in runtime.GC (or the pace was set); at a preemption a
 * scavenger woken by a cycle's sweep ending since its last turn works, for
 * about
 * work_ns of its own time (CLOCK_MONOTONIC; 0: no limit), releasing in
 * GS_GO_SCAV_QUANTUM steps; in runtime.GC (gs_heap_collect) it works
 * before the collection's mark ends, toward the goal the cycle before
 * set, and that cycle's sweep, which runtime.GC finishes, wakes it
 * again. gs_heap_free_os_memory leaves it nothing to do. A period of 0 is
 * unpaced: all it should release, as every cycle's sweep ends, at once
 * (for tests); so is any work time when
 * CLOCK_MONOTONIC cannot be read.
 * gs_heap_set_gc sets Go's: GS_GO_SCAV_PERIOD_NS and GS_GO_SCAV_WORK_NS;
 * gs_heap_destroy keeps the pace. NULL: -EINVAL. */
#define GS_GO_SCAV_PERIOD_NS UINT64_C(20000000)  /* sysmon: 10 ms ticks, and
                                                    forcePreemptNS        */
#define GS_GO_SCAV_WORK_NS UINT64_C(1000000)     /* minScavWorkTime         */
#define GS_GO_PREEMPT_MARK_NS UINT64_C(100000)   /* a preempted mark this old
                                                    ends (draws on)       */
#define GS_GO_SCAV_QUANTUM (64u << 10)           /* scavengeQuantum         */
#define GS_GO_SCAV_DRAWS UINT64_C(0x5ca7e5ca7e5ca7e5) /* its stream: seed ^ */
int gs_heap_set_scavenger_pace(gs_heap_t *h, uint64_t period_ns,
                               uint64_t work_ns);

/* Go's clock: how long Go 1.19's program (the Go benchmark, GOMAXPROCS=1)
 * takes for what h has done, in ns: GS_GO_CLOCK_ALLOC_PS for each array
 * made (arrays_made) and GS_GO_CLOCK_BYTE_PS for each byte of those
 * (bytes_made), in picoseconds, and GS_GO_CLOCK_FAULT_NS for each minor
 * page fault this process took since the GC mode was set (read every
 * GS_GO_CLOCK_READ_EVERY allocations or GS_GO_CLOCK_READ_BYTES made,
 * whichever comes first, mem_minor_faults: a fault here is
 * what one is in Go's process, a 4 KiB page or a huge page). The
 * scavenger is paced by it, so that its turns come where they come in
 * Go's program however fast the model's process runs (1.0-5.2x as fast as
 * Go's). The three are a least-squares fit (of the relative error) of
 * Go's ns/op to its allocs/op, B/op and faults/op over every case of
 * check runs: `python3 -m slicebench.goclock GO.TXT...` on the cases kept
 * in tests/gs/vectors/goclock.txt (where a test holds them to it). */
#define GS_GO_CLOCK_ALLOC_PS UINT64_C(132107)
#define GS_GO_CLOCK_BYTE_PS UINT64_C(37)
#define GS_GO_CLOCK_FAULT_NS UINT64_C(1503)
#define GS_GO_CLOCK_READ_EVERY 256u
#define GS_GO_CLOCK_READ_BYTES ((uint64_t)4 << 20)
uint64_t gs_go_clock_ns(const gs_heap_t *h);

/* Go's clock at `scale` times the fit's costs (each of the three, rounded
 * to whole picoseconds or nanoseconds, at least 1): for a Go that runs
 * that much slower here (faster, below 1) than on the check runs the
 * three were fit to. How fast Go runs moves with the machine's load: on
 * the fit's own runs and on 24467c9's reference run, 1.0; on this
 * machine's check runs some hours later, 1.5-2.0 (`python3 -m
 * slicebench.goclock --scale GO.TXT`), and the scavenger's turns in Go's
 * program follow its real time. scripts/gc-vs-go gives each case the
 * scale of Go's own processes of that case (results/GC-VS-GO.md, "Go's
 * speed and the model's clock"). Set it before the heap's
 * work: the clock's reading scales with it. gs_heap_init sets 1;
 * gs_heap_destroy keeps it. -EINVAL for NULL, or a scale that is not a
 * finite number in [GS_GO_CLOCK_SCALE_MIN, GS_GO_CLOCK_SCALE_MAX]. */
#define GS_GO_CLOCK_SCALE_MIN 0.01
#define GS_GO_CLOCK_SCALE_MAX 100.0
int gs_heap_set_go_clock(gs_heap_t *h, double scale);

/* Go's pacer in GC mode: where each mark ends, and where each cycle
 * starts. seed 0 (what gs_heap_set_gc sets): every mark ends
 * GS_GO_MARK_END_NUM/DEN (3/4) of the way from the heap at its start to
 * the goal, and every cycle starts the fitted runway (GS_GO_MARK_RUNWAY x
 * sqrt(GOGC/100)) below its goal, every cycle alike (deterministic, for
 * tests). Any other seed turns on Go's variation, drawn by a stream
 * (gs_random_next) from seed, so the same seed draws the same cycles:
 *   - where a mark ends: where Go's would (gs_go_mark_end), in the case
 *     drawn for the cycle: the background worker ends it
 *     (GS_GO_MARK_WORKER_IN_64 of 64 cycles), at a point drawn uniformly
 *     up to where the first assist's credit runs out; long roots
 *     (GS_GO_MARK_LONG_IN_64 of 64); short roots (the rest). The kept
 *     headers come from gs_heap_set_go_program. Go's shares, over the
 *     timed runs of the Go retention benchmark's cases of both matrices of
 *     the check against Go (results/GC-VS-GO.md), at GOGC 100 and 400, 2
 *     processes a case (scripts/slicebench/pacer.py, `cd scripts &&
 *     /usr/bin/python3 -m slicebench.pacer --repo ..`; 5161 cycles that ended
 *     by their goal): 7.0 % of the marks ended away from both assist points
 *     (most before the second assist: the worker), and 1.6 % of the others at
 *     the long roots' point. Where a mark ends decides which garbage an
 *     allocation can reuse, and so where a large span lies from one batch to
 *     the next, and which 2 MiB ranges of the heap its taking into use
 *     advises for huge pages (below): at a fixed point every batch is laid
 *     out alike, and the ranges no span covers whole fault in 4 KiB pages
 *     batch after batch;
 *   - where a cycle starts: Go's own runway, its cons/mark estimate
 *     (go_pacer, gs_go_pacer_next) x 3 x the scan work (gs_go_scan_work),
 *     a negative one putting the trigger at its lower bound, as in Go.
 *     Each cycle whose heap grew past its trigger by the mark's end feeds
 *     the estimate what it measured, at a point drawn uniformly:
 *     gs_go_waited_consmark's for a mark that runtime.GC
 *     (gs_heap_collect) ended; else x u / (1 - u), x the heap's growth
 *     from the trigger (go_mark_grown_bytes: Go's heapLive - triggered,
 *     which counts the part of the allocation that started the mark past
 *     the trigger) per byte of scan work and u the mark's utilization
 *     (its share of the one P) at that x, the one Go's tables are fitted
 *     on (b94543d's drew u at what the program allocated while it marked,
 *     8 % less at heldBytes' first mark at 240 KiB, whose u then lay above
 *     Go's), or, when the program allocated while it marked less than
 *     half the growth, at that (go_mark_alloc_bytes; nothing, u = 1.25:
 *     a mark that a large allocation started and the goal ended at once
 *     took the P whole, as
 *     Go's first timed mark of exactcap, whose batch arena passes the
 *     trigger by 17-26 MiB, takes 1.11-1.16 of it; before, the model fed
 *     x and u both of the mark's own allocation and skipped a mark that
 *     allocated nothing, and its triggers lay further from Go's, below):
 *     gs_go_unwritten_utilization's
 *     for a mark when more than half as much was taken into use unwritten
 *     while it marked as it allocated (go_unwritten_bytes: heldBytes'
 *     sources on pages that never held an object), else
 *     gs_go_mark_utilization's for the share of it that faulted in
 *     (go_faulted_bytes: pages written that had not been since the heap
 *     was last given back whole), its two rows blended by the share, as
 *     Go's marks that fault in part lie between them (results/GC-VS-GO.md).
 *     The counts follow from the allocations alone, so a seed draws the same
 *     utilizations again (a paced heap's preemptions, on Go's clock, which
 *     counts the process's page faults, can end a mark sooner: its cycles
 *     then follow the seed within the faults' own variation); go_mark_util,
 *     go_mark_alloc_bytes, go_mark_grown_bytes, go_mark_faulted and
 *     go_mark_unwritten keep the last cycle's. The share follows how fast the
 *     program allocates, which faulting in memory slows 5-fold: Go's retain
 *     at 32 KiB has 29-31 % in every mark that faults, where one draw for the
 *     runway alone (28-56 % at 4 MiB, every case's marks pooled) broke the
 *     chain of estimates below, and the model landed on Go's level in 2
 *     processes of 20, Go in 20 of 20. Go 1.19's controller overshoots: its
 *     estimate swings from cycle to cycle, often below zero, and so its
 *     trigger jumps between its bounds; a batch's peak then depends on
 *     whether the cycle at the batch's end starts before the batch's drop (it
 *     marks the whole batch, and the next batch is made beside it) or after
 *     it (retain at GOGC 400: 114 MiB or 70 over 64 MiB batches, in Go as in
 *     the model).
 * gs_heap_destroy restarts the stream from seed, and the estimate from 0,
 * as does this call. NULL: -EINVAL. */
int gs_heap_set_mark_draws(gs_heap_t *h, uint64_t seed);

/* The Go program around the model's arrays (p; NULL: none): Go 1.19's
 * pacer counts its roots and heap in every goal, marked + (marked +
 * stacks + globals) x GOGC/100 (at least 4 MiB x GOGC/100), marked
 * counting every live heap object, and with draws on its kept headers set
 * where marks end (gs_go_mark_end). The model's figures stay its arrays'
 * (go_goal_bytes and go_trigger_bytes are Go's less p->heap_bytes, to be
 * met by the arrays' heap). The retention benchmark's (its own
 * M x GS_GO_SLICE_HEADER_BYTES of headers): roots GS_GO_GLOBALS_SCAN +
 * GS_GO_STACKS_SCAN, heap GS_GO_HARNESS_HEAP + the headers' [][]T in Go's
 * bytes. None (what gs_heap_set_gc sets): the arrays alone, Go's goal
 * without them. Sets the next goal and trigger when no mark is under way;
 * gs_heap_destroy keeps it. h NULL: -EINVAL. */
int gs_heap_set_go_program(gs_heap_t *h, const gs_go_program_t *p);

/* The cases of a Go mark (gs_go_mark_end). */
typedef enum {
    GS_GO_MARK_SHORT_ROOTS,  /* the roots take less than an assist's least
                                work: the second assist goes on into the
                                headers (Go's steady state)               */
    GS_GO_MARK_LONG_ROOTS,   /* they take more: the headers wait for the
                                next assist (a deeper stack: the benchmark
                                goroutine's in Go's held-bytes rounds)    */
    GS_GO_MARK_FIRST_ASSIST, /* where the first assist's credit runs out:
                                the latest a mark the worker ends can end */
    GS_GO_MARK_BEFORE_STACKS /* where the work before the stacks runs out
                                (the globals and the heap they reach): a
                                first assist that must pay for more than
                                this much of the way scans the stacks     */
} gs_go_mark_case_t;

/* Where Go 1.19's mark ends, in 65536ths of the way from the trigger to
 * the goal, with `headers` bytes of kept slice headers, in case c; pure.
 * With one P a mark's work is done by the program's assists (the
 * background worker gets the P only now and then): an assist does at
 * least GS_GO_ASSIST_WORK of scan work, a root job or an object (a large
 * object's GS_GO_OBLET_BYTES part) at a time, and is credited with
 * allocating the work done x the bytes left to the goal / the work left,
 * so the mark ends where the last assist starts: (W - last) / W, W the
 * whole work and last the last assist's. In the retention benchmark the
 * first assist, at the first allocation after the trigger, scans the
 * globals (GS_GO_FIRST_ASSIST_WORK); the second the heap they reach and
 * the stacks (GS_GO_ROOTS_WORK, about 1 KiB under an assist's least, so
 * that it goes on into the headers' first part: short roots), or in the
 * long roots case those alone; each later one a part of the headers.
 * Held to Go's marks (0.548/0.695 at M 5450, 0.663/0.841 at 2338,
 * 0.688/0.872 at 1819, 0.77/0.98 at 252, 0.868 at 8168) by tests/gs.
 * The last two cases are points inside a mark, not its end: where the
 * first assist's credit runs out (W - roots - headers), and where the
 * work before the stacks does (W - stacks - headers). */
uint32_t gs_go_mark_end(size_t headers, gs_go_mark_case_t c);

/* Go 1.19's cons/mark estimate after a cycle that measured `current`
 * (bytes allocated during its mark / bytes it scanned, each per the CPU
 * time it took: x u / (1 - u), u the mark's share of the one P), as
 * mgcpacer.go's endCycle: a PI controller with kp 0.9, ti 4 and tt 1000
 * cycles, whose output (the new estimate) is clamped to -1000..1000 and
 * may be negative. Go's runway is the estimate x 3 x the scan work it
 * expects; a negative one, converted to a uint64 as Go does, is larger
 * than any goal, so the cycle starts at its earliest trigger. A current
 * value that overflows the controller resets it and sets the estimate to
 * 0, as in Go: returns -ERANGE; otherwise 0. p NULL: -EINVAL. Pure. */
int gs_go_pacer_next(gs_go_pacer_t *p, double current);

/* Go 1.19's mark utilization (its share of the one P: background worker
 * and assists), a fraction, for a mark whose program allocated x bytes per
 * byte of the mark's scan work (gs_go_scan_work), and faulted in
 * `faulted` bytes of memory per byte it allocated (0 to 1, clamped): with
 * one P the assists do the scan work while the program allocates, so
 * u = 0.25 (the background worker's share, as Go counts it) +
 * 1 / (1 + r x), r the program's time per byte it allocates over the
 * assists' per byte they scan. r grows with what the program faults in
 * (the kernel's zeroing of fresh pages): it is the point q (0 to 1,
 * clamped) of the way from the 10th to the 90th percentile of Go's r in
 * marks that reused memory (0.18-0.44, median 0.27) and in those that
 * faulted it in (0.86-2.54, median 1.62), linear between Go's 10th,
 * 25th, 50th, 75th and 90th percentiles and in `faulted` between the
 * two. Go's, as scripts/slicebench/pacer.py reads them off each mark of
 * the timed runs of the check's matrices (results/GC-VS-GO.md), a mark
 * reusing memory when at most 1/8 of its allocation lay above the highest
 * heap an earlier mark of the run ended at (the run starts from a heap given
 * back), faulting it in from 7/8; each mark's utilization as an untraced
 * process has it (the trace's own print lengthens a traced mark: Go's traced
 * marks read 0.85 at their 90th percentile, untraced ones 0.94). (Go's retain
 * at 32 KiB faults 8 times and spends 14.9 us per item; copy, on reused
 * memory, 2.1 us.) x = 0 gives 1.25, as Go's can be past 1 (its first mark in
 * heldBytes' rounds at 256 KiB: 0.97-1.13). Pure. */
double gs_go_mark_utilization(double x, double faulted, double q);

/* The utilization of a mark whose allocation nobody writes (more than
 * half of it taken into use unwritten: the sources of heldBytes' first
 * round, on pages that never held an object, which Go neither zeroes nor
 * faults in), of a program whose largest allocation per item is
 * item_bytes (0: not given, taken as 1 KiB), started with Go's heap at
 * heap_bytes (its trigger: the model passes its arrays' bytes and the
 * program's own heap; taken as at least 1 MiB): u = 0.25 + 1 / (1 + r x) as
 * gs_go_mark_utilization's, with r = c (KiB / item_bytes)^p (heap_bytes /
 * MiB)^h x e, e at the point q (0..1, clamped) of the way from the 10th
 * to the 90th percentile of Go's residuals, linear between its 10th,
 * 25th, 50th, 75th and 90th percentiles. c, p, h and e are Go's, as
 * scripts/slicebench/pacer.py fits them (least squares of ln r) to the
 * marks of the retain strategy's first heldBytes round in every case of
 * the check's matrices (its only marks that allocate memory nobody
 * writes), recorded untraced (scripts/slicebench/gorecord.py: a trace
 * prints inside the marks it measures, and moves them), those that ended
 * as the program allocated and allocated at least half their scan work
 * (pacer.py's UNWRITTEN_MIN_X): with nothing written, the program's cost
 * per byte falls with the size of its allocations (p 0.37) and with the
 * heap (h -0.26; GOGC 400's first marks, at 15 MiB, are GOGC 100's at
 * 14); fitted: 0.15 at 256 KiB and 15 MiB, 0.33 at 32 KiB, 0.72 at 4 KiB,
 * e 0.80-1.27. Go's first mark of that round at 256 KiB, GOGC 400 takes
 * 0.88-1.08 of the P (recorded, two batches of 20 processes, on the first
 * fit's VM; 0.98-1.07 on this one), which
 * sends its estimate far from every later one (see "A mark's utilization
 * and Go's history" above). Pure. */
double gs_go_unwritten_utilization(double x, size_t item_bytes, size_t heap_bytes,
                                   double q);

/* What a mark that ended while the program waited in runtime.GC feeds
 * Go's estimate (its cons/mark measure) when the program allocated x
 * bytes per byte of scan work during it: x (u + idle) / (1 - u), where
 * the mark's utilization u and the idle workers' share are Go's as its
 * endCycle measures them: with the program blocked, the assists stop and
 * the workers finish the mark, so u stays near the background's 0.25.
 * (u + idle) / (1 - u) is the point q (0..1, clamped) of the way from the
 * 10th to the 90th percentile of Go's, linear between its 10th, 25th,
 * 50th, 75th and 90th percentiles: 0.41-1.96, median 0.74, as
 * scripts/slicebench/pacer.py reads them off every case of the check's
 * matrices, recorded (gorecord.py). A mark that ran as the program
 * allocated would feed x u / (1 - u), u from gs_go_mark_utilization or
 * gs_go_unwritten_utilization: at 256 KiB, GOGC 400 (x 6.6, 61 MiB) 1.6
 * x for a reusing mark's median and 5.2 x for an unwritten one's, where
 * the waited one's median feeds 0.74 x. x at most 0: 0. Pure. */
double gs_go_waited_consmark(double x, double q);

/* The scan work Go 1.19 expects of a cycle of the program p (the runway
 * is the estimate x 3 x this, and cons/mark is per byte of it), bytes:
 * its roots, its kept headers and GS_GO_HARNESS_SCAN; with no program
 * (NULL, or no roots and no headers) GS_GO_SCAN_WORK. Pure. */
size_t gs_go_scan_work(const gs_go_program_t *p);

/* Where the references that releases drop were kept, in GC mode, as Go's
 * collector tells them apart. Off (the default): on the program's stack,
 * which a Go cycle scans once, in one of the program's mark assists (the
 * first with draws off, the second with draws on): an array made before
 * the cycle whose last reference goes in between is freed by that cycle
 * (tiny ones excepted: see "The Go GC mode"). On: in heap memory (a slice of
 * kept slices): Go's write barrier marks what a pointer written over during a
 * mark pointed to, so such an array survives the cycle under way. Any other
 * time, and with GC off, both free alike. NULL: -EINVAL. */
int gs_heap_set_heap_refs(gs_heap_t *h, int on);

/* Call fn(event, arg) as each mark of the Go GC mode starts and as it ends
 * (fn NULL: no calls): twice a mark, never on an allocation that neither
 * starts nor ends one. It is called in the middle of an allocation or of
 * gs_heap_collect: fn must not call the library on h. gs_heap_destroy,
 * which ends a mark under way and runs one more, calls it too, then drops
 * it. NULL h: -EINVAL. */
int gs_heap_set_mark_log(gs_heap_t *h, gs_mark_log_fn fn, void *arg);

/* Call fn(taken, array, page, pages, arg) as the GC mode's page heap
 * takes a span (an array's own pages, or a span of small objects' slots)
 * and as it gets one back (fn NULL: no calls), in the order they happen.
 * With the mark log, this is what scripts/go-record --placement holds to
 * the span events of Go's recording runtime. A tiny array, or a slot in a
 * span already there, takes no span. fn must not call the library on h.
 * gs_heap_destroy calls it as it gives the heap back, then drops it.
 * NULL h: -EINVAL. */
int gs_heap_set_span_log(gs_heap_t *h, gs_span_log_fn fn, void *arg);

/* Whether the program leaves the arrays it makes from now on unwritten, in
 * GC mode (off by default): their pages, taken fresh or given back, are
 * not faulted in (go_faulted_bytes) unless they held an object before (Go
 * zeroes such a span), and stay cold. Go's heldBytes rounds leave their
 * sources so; the retention benchmark turns it on around each source it
 * leaves unfilled (KEEP_UNFILLED). NULL: -EINVAL. */
int gs_heap_set_unwritten(gs_heap_t *h, int on);

/* Go's heapLive counts whole the spans a P's cache holds (mcache.refill),
 * those of the program's own small objects too, which the model's arrays
 * do not take: `bytes` more of them (their free slots) count in the heap
 * the trigger, the assists and the sweep's pace read, from now until the
 * next mark ends, as Go's mark termination empties the caches. Not tied
 * to a size class: where Go's arrays would fill such a span's free slots
 * without raising heapLive, the model's take spans of their own and count
 * both, at most a span's free bytes per shared class. Adding them starts
 * no mark: the next allocation tests the trigger. Between marks, in GC_GO
 * only: h NULL or another mode, -EINVAL; a mark under way (its end and
 * its assists' pace were set from heapLive as it started), -EBUSY; a heap
 * past SIZE_MAX, -EOVERFLOW. */
int gs_heap_add_cached(gs_heap_t *h, size_t bytes);

/* splitmix64: the next number of a well-mixed stream of 64-bit numbers
 * from *state, any seed; for what the model and its programs draw. */
uint64_t gs_random_next(uint64_t *state);

/* runtime.GC(): in GC mode, end the cycle under way if any, then run a
 * whole cycle whatever the heap's size: the paced scavenger works during
 * its mark, toward the goal the cycle before set; its end frees all
 * garbage, sets the next goal and trigger, and wakes the scavenger (for
 * its turn at the next preemption; unpaced, it works then and there).
 * With GC off, nothing. Cannot fail. Slices and the live figures do not
 * change. NULL is a no-op. */
void gs_heap_collect(gs_heap_t *h);

/* debug.FreeOSMemory(): in GC mode, gs_heap_collect, then every idle page
 * of the heap returned to the system at once, unpaced (the scavenger's
 * release: go_released_bytes and go_scavenged_bytes count them); with GC
 * off, nothing. Cannot fail. NULL is a no-op. */
void gs_heap_free_os_memory(gs_heap_t *h);

/* "off" or "go" to a mode; -EINVAL for anything else (including NULL).
 * *out is set only on success. */
int gs_gc_parse(const char *name, gs_gc_t *out);

/* The mode's name as gs_gc_parse reads it, or NULL if m is not a mode. */
const char *gs_gc_name(gs_gc_t m);

/* ------------------------------------------------------------------------
 * Slices
 *
 * A gs_slice_t is a slice value that holds one reference on its array. The
 * model's rule in place of garbage collection: every handle that references
 * an array is released exactly once (gs_release), and an array is freed
 * when its last handle is released, never earlier.
 *
 * So a handle is never duplicated by struct assignment when both copies
 * will be released: take a second view with gs_sub(&s, 0, s.len, &t), which
 * adds a reference. Moving a handle (assign, then forget the original) is
 * fine.
 *
 * Invariants of every handle: elem > 0; len <= cap; data == NULL exactly
 * when cap == 0; array == NULL implies len == cap == 0 (nil, or a
 * zero-capacity make). A view with cap == 0 may still pin an array (b[2:2]
 * of a full b does, as in Go, though no element can be reached through it).
 *
 * Functions with an `out` parameter write a new handle there and never
 * release what *out held before: release it first if it was live. Where
 * `out` may be the input slice itself the function says so; the call then
 * replaces that handle as the Go assignment `s = f(s)` would.
 * ------------------------------------------------------------------------ */

typedef struct gs_slice_s {
    unsigned char *data;   /* first element; NULL when cap == 0            */
    size_t len;            /* elements                                     */
    size_t cap;            /* elements from data to the end of the array,
                              or to max for s[lo:hi:max]                   */
    size_t elem;           /* bytes per element (the slice's type), > 0    */
    gs_array_t *array;     /* array this handle holds a reference on;
                              NULL for nil and zero-capacity slices        */
} gs_slice_t;

/* var s []T: len 0, cap 0, no array. Needs no release (releasing is a
 * no-op). elem is kept as given, even 0, which later calls reject. */
gs_slice_t gs_nil(size_t elem);

/* make([]T, len, cap): a new array of exactly cap elements (make does not
 * round the capacity), zeroed through mem_alloc_zeroed, and one handle on
 * it in *out. cap == 0 makes no array (Go's zero-size allocations share one
 * address and cost nothing). -EINVAL: h or out NULL, elem == 0, len > cap;
 * -EOVERFLOW: cap x elem; -ENOMEM. */
int gs_make(gs_heap_t *h, size_t elem, size_t len, size_t cap,
            gs_slice_t *out);

/* s[lo:hi] with lo <= hi <= cap(s), as in Go (hi may pass len). The result
 * shares s's array and takes a reference on it, even when its cap is 0:
 * this is how a small view pins a big array. Nothing is allocated and no
 * view goes stale. out may be s: then s = s[lo:hi] in place and the count
 * of references does not change. -ERANGE for bad bounds, -EINVAL for NULL
 * arguments or a malformed s. */
int gs_sub(const gs_slice_t *s, size_t lo, size_t hi, gs_slice_t *out);

/* s[lo:hi:max] with lo <= hi <= max <= cap(s): as gs_sub, with cap = max -
 * lo. Limiting cap frees nothing (the whole array stays pinned); it only
 * makes the next append past hi reallocate instead of overwriting s's
 * elements from max on. out may be s. */
int gs_sub3(const gs_slice_t *s, size_t lo, size_t hi, size_t max,
            gs_slice_t *out);

/* s = append(s, elems[0..n)...), n elements of s->elem bytes each.
 *
 * Room (len + n <= cap): the elements are written in place at s[len:], the
 * handle keeps its array and reference, and every other view that reaches
 * those positions sees the new values (appending to b[:2] overwrites b[2]).
 *
 * No room: the array is reallocated, the one place this layer grows. The
 * new capacity is gs_next_cap(h->policy, cap, len + n, elem); the block is
 * new from mem_alloc; s[0:len) is copied in, the n elements follow, and
 * [len + n, cap) is zeroed (Go does the same for pointer-free elements).
 * This handle's reference moves to the new array; the old array is freed if
 * that was its last reference, else it lives on, unchanged, for its other
 * views. Counts h->grows. s->data changes: pointers from gs_at into the old
 * array are stale if the old array was freed.
 *
 * elems may point anywhere, including into s's own array (append(s,
 * s[i:j]...)): it is read as if copied before anything is written. n == 0
 * is a no-op, even on a nil slice. -EINVAL: NULL h or s, NULL elems with
 * n > 0, malformed s, s's array from another heap, invalid policy;
 * -EOVERFLOW: len + n or its byte size; -ENOMEM. */
int gs_append(gs_heap_t *h, gs_slice_t *s, const void *elems, size_t n);

/* s = append(s, *elem): gs_append with n == 1. */
int gs_append1(gs_heap_t *h, gs_slice_t *s, const void *elem);

/* dst = append(dst, src...): gs_append with src's elements. src may be dst
 * itself or any view of dst's array (append(s, s...) doubles s's contents).
 * src is not modified, and keeps its reference even if dst's old array
 * was the one it referenced. -EINVAL when the element sizes differ. */
int gs_append_slice(gs_heap_t *h, gs_slice_t *dst, const gs_slice_t *src);

/* copy(dst, src): copies min(len(dst), len(src)) elements as memmove does,
 * so overlapping views of one array are safe in both directions; every view
 * of dst's array sees the result. Neither handle changes. *copied (may be
 * NULL) gets the count. -EINVAL for NULL slices or differing elem. */
int gs_copy(const gs_slice_t *dst, const gs_slice_t *src, size_t *copied);

/* A copy of s's elements in a new array of exactly len elements (the fix
 * for the leak: make([]T, len(s)) + copy, i.e. copy with an exact cap). The
 * new block comes from mem_alloc and is filled completely. len == 0 gives
 * a zero-capacity slice with no array. out may be s: the copy is made
 * first, then s's old reference is released and s becomes the copy (the
 * old array is freed if that was its last view). */
int gs_clone(gs_heap_t *h, const gs_slice_t *s, gs_slice_t *out);

/* s = s[:len:len]: drop the capacity past len, so the next append
 * reallocates. The array stays pinned; nothing is freed. NULL is a no-op. */
void gs_clip(gs_slice_t *s);

/* Drop this handle's reference; the array is freed (mem_free) when it was
 * the last. *s becomes nil with the same elem. Other views are unaffected
 * unless they were this very handle. NULL and nil are no-ops. */
void gs_release(gs_slice_t *s);

/* ------------------------------------------------------------------------
 * Reading
 *
 * Accessors that do not change anything and cannot fail.
 * ------------------------------------------------------------------------ */

/* Address of element i: s->data + i * s->elem. Unchecked: i < cap. */
static inline void *gs_at(const gs_slice_t *s, size_t i)
{
    return s->data + i * s->elem;
}

/* References on s's array (how many live handles pin it), 0 for none. */
size_t gs_refs(const gs_slice_t *s);

/* 1 when a and b reference the same array, else 0 (also when either has
 * none): a write through one is then visible through the other wherever
 * their windows overlap. */
int gs_same_array(const gs_slice_t *a, const gs_slice_t *b);

/* Bytes s's whole array holds (its cap x elem), 0 for none: what s keeps
 * alive, against s->len * s->elem it can reach. */
size_t gs_array_bytes(const gs_slice_t *s);

/* Bytes the allocator reserved for s's array (mem_usable_size), 0 for
 * none. */
size_t gs_array_reserved(const gs_slice_t *s);

#ifdef __cplusplus
}
#endif

#endif /* SLICEBENCH_GS_H */
