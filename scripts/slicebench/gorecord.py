"""What Go's runtime did, recorded untraced: the Go benchmarks' test
binary built against a copy of the installed Go whose runtime keeps, in
memory, for every cycle whose end fed its pacer (gcControllerState.endCycle)
the mark's utilization, idle share, trigger, the bytes allocated from the
trigger to the mark's end and the scan work, and counts the spans it takes
from its page heap (mheap.allocSpan: how many, their bytes, and how many
of those bytes had been released or never used, small objects' spans and
large ones apart) and the empty spans of small objects its sweeper finds
(mspan.sweep: reused by their size class, or freed to the page heap; the
classes of one object per span apart) and the bytes it gives back to the
system (the background scavenger's, and those it gives back as the heap
grows, mheap.allocSpan); it prints the marks and the counts
as each runtime.GC call returns (its own cycle swept, and what its
waits let the scavenger give back counted), and the counts again as the
process exits (the timed run's, after debug.FreeOSMemory), with the
timed run's events: when sysmon preempted the program, when the
background scavenger took its turns, what it gave back and its goal, and
when each cycle's mark started (the heap then, its trigger and goal, and
the scan work its assists are paced to: the last cycle's, or past the
goal the worst case, which counts the goroutines' whole stack space) and
ended (the bytes allocated from the trigger, its scan work and
utilization), how many pages each cycle's sweep was paced to walk
(gcPaceSweeper: pagesInUse less pagesSwept, the runtime's own spans of
small objects among them), and where the collector's work buffers took
their span (a span the runtime takes for itself, outside the heap's
counts) or gave it back, so that a landing can be read cycle by cycle;
each mark printed at a runtime.GC call also says that stack space.

A trace (GODEBUG=gcpacertrace=1, gctrace=1) prints inside the cycles it
measures, and moves them: Go's retain at 256 KiB, k = 16, GOGC 400 took
its first mark at 0.82-0.95 of the P in 6 traced processes and landed on
its upper level in 3; recorded, at 0.88-1.05 in 20 and on the upper level
in 17 (in a later batch, 0.91-1.08 and 10 of 20). The print here comes as
runtime.GC returns, outside every mark.

The copy is a folder of links to the installed Go but for src/runtime, a
copy with the records and the prints added (patch() and replace(), each
at the one place its anchor marks; a runtime whose source differs is
refused). Nothing of the installed Go changes. The records are plain
variables, right with one P (GOMAXPROCS=1, as the benchmarks here run):
with more, two Ps could count at once.
"""

import os
import re
import shutil
import subprocess

from . import go_each

# the marker lines the recording runtime prints
MARK = re.compile(r"^slicebench-mark u=(\S+) idle=(\S+) trigger=(\d+) alloc=(\d+) "
                  r"work=(\d+) waited=([01]) space=(\d+)$", re.M)
SPANS = re.compile(r"^slicebench-spans (.*)$", re.M)
GC_CALL = "slicebench-gc"
EXIT = "slicebench-exit"
# the counts of a slicebench-spans line, in order
SPAN_FIELDS = ("small_spans", "small_bytes", "small_released", "large_spans",
               "large_bytes", "large_released", "one_reused", "one_freed",
               "many_reused", "many_freed", "bg_released", "grow_released")

# endCycle: the record goes in just before the pacer's trace print
PACER_FILE = "mgcpacer.go"
PACER_AT = "\tif debug.gcpacertrace > 0 {\n\t\tprintlock()\n\t\tgoal := gcGoalUtilization * 100\n"
PACER_ADD = """\tif sbMarksN < len(sbMarks) {
\t\tsbMarks[sbMarksN] = sbMark{utilization, idleUtilization, c.triggered, c.heapLive - c.triggered, uint64(scanWork), sbWaiting, atomic.Load64(&c.maxStackScan)}
\t\tsbMarksN++
\t}
\tsbEvent(4, c.heapLive-c.triggered, uint64(scanWork), uint64(utilization*1e6))
"""
PACER_TAIL = """
// slicebench: every mark that fed the pacer, printed at runtime.GC.
type sbMark struct {
\tu, idle              float64
\ttrigger, alloc, work uint64
\twaited               bool
\tspace                uint64
}

var sbMarks [4096]sbMark
var sbMarksN int
var sbWaiting bool

func sbPrintMarks() {
\tmp := acquirem() // not preempted: nothing is recorded meanwhile
\tfor i := 0; i < sbMarksN; i++ {
\t\tm := &sbMarks[i]
\t\tw := 0
\t\tif m.waited {
\t\t\tw = 1
\t\t}
\t\tprint("slicebench-mark u=", m.u, " idle=", m.idle, " trigger=", m.trigger, " alloc=", m.alloc, " work=", m.work, " waited=", w, " space=", m.space, "\\n")
\t}
\tsbMarksN = 0
\tsbWaiting = false
\tsbPrintSpans()
\treleasem(mp)
\tprint("slicebench-gc\\n")
}

// slicebench: spans taken from the page heap and empty spans swept, since
// the last print; [0] small objects' spans, [1] large ones.
var sbSpans, sbSpanBytes, sbSpanReleased [2]uintptr

// empty spans of small objects swept: [0] one object per span, [1] more;
// reused by their class (mcentral), or freed to the page heap
var sbSweptReused, sbSweptFreed [2]uintptr

// bytes given back: by the background scavenger, as the heap grows
var sbReleasedBg, sbReleasedGrow uintptr

func sbPrintSpans() {
\tmp := acquirem() // not preempted: nothing counts meanwhile
\tprint("slicebench-spans")
\tfor i := 0; i < 2; i++ {
\t\tprint(" ", sbSpans[i], " ", sbSpanBytes[i], " ", sbSpanReleased[i])
\t}
\tfor i := 0; i < 2; i++ {
\t\tprint(" ", sbSweptReused[i], " ", sbSweptFreed[i])
\t}
\tprint(" ", sbReleasedBg, " ", sbReleasedGrow, "\\n")
\tsbSpans, sbSpanBytes, sbSpanReleased = [2]uintptr{}, [2]uintptr{}, [2]uintptr{}
\tsbSweptReused, sbSweptFreed = [2]uintptr{}, [2]uintptr{}
\tsbReleasedBg, sbReleasedGrow = 0, 0
\treleasem(mp)
}
"""
# GC: what ends while the program waits in it is marked so; the print
# comes as it returns, its own cycle and sweep done
GC_FILE = "mgc.go"
GC_AT = "\tn := atomic.Load(&work.cycles)\n\tgcWaitOnMark(n)\n"
GC_BEFORE = "\tsbWaiting = true\n"
GC_END_AT = "\treleasem(mp)\n}\n\n// gcWaitOnMark blocks"
GC_END_NEW = "\treleasem(mp)\n\tsbPrintMarks()\n}\n\n// gcWaitOnMark blocks"
# allocSpan: a span of the heap (not a stack's), taken
HEAP_FILE = "mheap.go"
HEAP_AT = ("\t// Commit and account for any scavenged memory that the span now owns.\n"
           "\tif scav != 0 {\n")
HEAP_ADD = """\tif typ == spanAllocHeap {
\t\tsbEvent(5, uint64(base), uint64(npages), uint64(spanclass))
\t\tk := 0
\t\tif spanclass.sizeclass() == 0 {
\t\t\tk = 1
\t\t}
\t\tsbSpans[k]++
\t\tsbSpanBytes[k] += nbytes
\t\tsbSpanReleased[k] += scav
\t}
"""
# allocSpan and freeManual: a span the runtime takes for itself, not for
# heap objects (a goroutine's stack, the collector's work buffers: Go's
# spanAllocType in c, plus 256 as it is given back)
RUNTIME_ADD = """\tif typ != spanAllocHeap {
\t\tsbEvent(9, uint64(base), uint64(npages), uint64(typ))
\t}
"""
MANUAL_AT = "func (h *mheap) freeManual(s *mspan, typ spanAllocType) {\n"
MANUAL_ADD = "\tsbEvent(9, uint64(s.base()), uint64(s.npages), uint64(typ)|256)\n"
RUNTIME_SPANS = ("heap", "stack", "bitmap", "workbuf")
# gcPaceSweeper: the pages the cycle's sweep must walk (pagesInUse less
# pagesSwept), the heap it has to do it in, and the heap it starts from
PACE_FILE = "mgcsweep.go"
PACE_AT = ("\t\t\tmheap_.sweepPagesPerByte = float64(sweepDistancePages) / "
           "float64(heapDistance)\n")
PACE_ADD = ("\t\t\tsbEvent(8, uint64(sweepDistancePages), uint64(heapDistance), "
            "heapLiveBasis)\n")
# freeSpan: a sweep gives a heap span's pages back to the page heap (a
# large object's, or a small objects' span left empty)
FREE_FILE = "mheap.go"
FREE_AT = "func (h *mheap) freeSpan(s *mspan) {\n"
FREE_ADD = "\tsbEvent(6, uint64(s.base()), uint64(s.npages), uint64(s.spanclass))\n"
# sweep: a span of small objects found empty, before it goes to its class
# (preserve: mcentral takes it) or to the page heap
SWEEP_FILE = "mgcsweep.go"
SWEEP_AT = ("\t\tif !preserve {\n\t\t\t// The caller may not have removed this span "
            "from whatever\n")
SWEEP_ADD = """\t\tif nalloc == 0 {
\t\t\tk := 1
\t\t\tif s.nelems == 1 {
\t\t\t\tk = 0
\t\t\t}
\t\t\tif preserve {
\t\t\t\tsbSweptReused[k]++
\t\t\t} else {
\t\t\t\tsbSweptFreed[k]++
\t\t\t}
\t\t}
"""
# the background scavenger's work, and allocSpan's as the heap grows
SCAV_FILE = "mgcscavenge.go"
SCAV_AT = "\t\t\tr := mheap_.pages.scavenge(n, nil)\n"
SCAV_ADD = "\t\t\tsbReleasedBg += r\n"
GROW_AT = "\t\th.pages.scavenge(bytesToScavenge, func() bool {\n"
GROW_NEW = "\t\tsbReleasedGrow += h.pages.scavenge(bytesToScavenge, func() bool {\n"
# where Go's heap starts on linux/amd64 (its first arena hint)
GO_HEAP = 0xc000000000


def heap_page(addr):
    """The 8 KiB page of Go's heap an address lies in, from the heap's
    first; an address below the heap is taken as a page count already."""
    return (addr - GO_HEAP if addr >= GO_HEAP else addr) // 8192


# when things happen: sysmon preempts the goroutine on the P (it has run
# 10 ms since sysmon last saw it scheduled: with one P, the program's,
# unless a mark worker is running then), the background scavenger takes a
# turn, debug.FreeOSMemory gives the heap back (scavengeAll), a mark starts
# or ends, a heap span is taken or freed (HEAP_ADD, FREE_ADD); a full
# buffer keeps the first events and says how many it lost
# (slicebench-events-lost), not left silent
EVENT = re.compile(r"^slicebench-event (\d+) (\d+) (\d+) (\d+) (\d+)$", re.M)
EVENT_KINDS = ("preempt", "scavenger", "free-os-memory", "mark-start", "mark-end",
               "span", "span-free", "mark-scan", "sweep-pace", "runtime-span")
PREEMPT_FILE = "proc.go"
PREEMPT_AT = ("\t\t\t} else if pd.schedwhen+forcePreemptNS <= now {\n"
              "\t\t\t\tpreemptone(_p_)\n")
PREEMPT_NEW = ("\t\t\t} else if pd.schedwhen+forcePreemptNS <= now {\n"
               "\t\t\t\tif preemptone(_p_) {\n\t\t\t\t\tsbEvent(0, 0, 0, 0)\n"
               "\t\t\t\t}\n")
LOST = re.compile(r"^slicebench-events-lost (\d+)$", re.M)
TURN_AT = "\t\treleased, workTime := scavenger.run()\n"
TURN_ADD = ("\t\tsbEvent(1, uint64(released), heapRetained(), "
            "scavenge.gcPercentGoal.Load())\n")
ALL_AT = "\treleased := h.pages.scavenge(^uintptr(0), nil)\n"
ALL_ADD = "\tsbEvent(2, uint64(released), 0, 0)\n"
# startCycle: a mark starts (the heap then, its trigger and goal), and the
# scan work revise paces its assists to (kind 7: the last cycle's, below
# the goal; the worst case, maxScanWork, past it; the stack space the
# goroutines hold, which that counts whole); endCycle (PACER_ADD): it ends
# (the bytes allocated from its trigger, its scan work, its utilization
# x 1e6)
START_AT = "\theapTrigger, heapGoal := c.trigger()\n"
START_ADD = ("\tsbEvent(3, atomic.Load64(&c.heapLive), heapTrigger, heapGoal)\n"
             "\tsbEvent(7, c.lastHeapScan+c.lastStackScan+c.globalsScan, "
             "atomic.Load64(&c.heapScan)+atomic.Load64(&c.maxStackScan)+c.globalsScan, "
             "atomic.Load64(&c.maxStackScan))\n")
EVENT_TAIL = """
// slicebench: when things happen (sbEvent kinds: 0 sysmon preempts the
// program, 1 the background scavenger's turn, 2 scavengeAll, 3 a mark
// starts, 4 it ends, 5 a heap span is taken, 6 one is freed, 7 the scan
// work a starting mark expects, 8 a sweep is paced, 9 the runtime takes
// or gives back a span of its own); sysmon
// records on its own thread, so the slot is taken atomically. Only what
// comes from the last scavengeAll on is printed, so one starts the buffer
// afresh: it takes slot 0, then the count. A preemption recorded in
// between can be lost or land among the earlier events.
type sbEv struct {
\tkind       uint32
\tt          int64
\ta, b, c    uint64
}

var sbEvs [1 << 16]sbEv
var sbEvN uint32

func sbEvent(kind uint32, a, b, c uint64) {
\tif kind == 2 {
\t\tsbEvs[0] = sbEv{kind, nanotime(), a, b, c}
\t\tatomic.Store(&sbEvN, 1)
\t\treturn
\t}
\ti := atomic.Xadd(&sbEvN, 1) - 1
\tif int(i) < len(sbEvs) {
\t\tsbEvs[i] = sbEv{kind, nanotime(), a, b, c}
\t}
}

// sbPrintEvents prints the events from the last scavengeAll on (the timed
// run's debug.FreeOSMemory), their times in microseconds from it.
func sbPrintEvents() {
\tn := int(atomic.Load(&sbEvN))
\tif n > len(sbEvs) {
\t\tn = len(sbEvs)
\t}
\tfrom := -1
\tfor i := 0; i < n; i++ {
\t\tif sbEvs[i].kind == 2 {
\t\t\tfrom = i
\t\t}
\t}
\tif int(atomic.Load(&sbEvN)) > len(sbEvs) {
\t\tprint("slicebench-events-lost ", int(atomic.Load(&sbEvN))-len(sbEvs), "\\n")
\t}
\tif from < 0 {
\t\treturn
\t}
\tfor i := from; i < n; i++ {
\t\te := &sbEvs[i]
\t\tprint("slicebench-event ", e.kind, " ", (e.t-sbEvs[from].t)/1000, " ", e.a, " ", e.b, " ", e.c, "\\n")
\t}
}
"""
# os.Exit: the counts since the last runtime.GC, the events of the timed run
EXIT_FILE = "proc.go"
EXIT_AT = "func os_beforeExit() {\n"
EXIT_ADD = "\tsbPrintSpans()\n\tsbPrintEvents()\n\tprint(\"slicebench-exit\\n\")\n"


class RecordError(Exception):
    """The recording runtime could not be made or built (one line)."""


def installed_goroot(environ):
    """The installed Go's GOROOT (go env GOROOT)."""
    try:
        out = subprocess.run(["go", "env", "GOROOT"], env=environ,
                             capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError) as e:
        raise RecordError(f"go env GOROOT: {e}") from None
    if not out or not os.path.isdir(os.path.join(out, "src", "runtime")):
        raise RecordError(f"go env GOROOT: no Go source at {out!r}")
    return out


def replace(path, at, new, tail=""):
    """Replace the one occurrence of at in the file with new, and add tail
    at its end; RecordError when at is not there exactly once."""
    with open(path, encoding="utf-8") as f:
        text = f.read()
    if text.count(at) != 1:
        raise RecordError(f"{path}: not the Go 1.19 runtime this patch knows")
    with open(path, "w", encoding="utf-8") as f:
        f.write(text.replace(at, new) + tail)


def patch(path, at, add, tail="", before=False):
    """Insert add after (before) the one occurrence of at in the file, and
    tail at its end."""
    replace(path, at, add + at if before else at + add, tail)


def make_goroot(installed, folder):
    """folder/goroot: links to the installed Go, src/runtime a patched copy."""
    root = os.path.join(folder, "goroot")
    src = os.path.join(root, "src")
    real_src = os.path.realpath(os.path.join(installed, "src"))
    os.makedirs(src)
    for name in os.listdir(installed):
        if name != "src":
            os.symlink(os.path.realpath(os.path.join(installed, name)),
                       os.path.join(root, name))
    for name in os.listdir(real_src):
        if name != "runtime":
            os.symlink(os.path.join(real_src, name), os.path.join(src, name))
    runtime = os.path.join(src, "runtime")
    shutil.copytree(os.path.join(real_src, "runtime"), runtime)
    patch(os.path.join(runtime, PACER_FILE), PACER_AT, PACER_ADD, PACER_TAIL,
          before=True)
    patch(os.path.join(runtime, GC_FILE), GC_AT, GC_BEFORE, before=True)
    replace(os.path.join(runtime, GC_FILE), GC_END_AT, GC_END_NEW)
    patch(os.path.join(runtime, HEAP_FILE), HEAP_AT, HEAP_ADD, before=True)
    patch(os.path.join(runtime, SWEEP_FILE), SWEEP_AT, SWEEP_ADD, before=True)
    patch(os.path.join(runtime, FREE_FILE), FREE_AT, FREE_ADD)
    patch(os.path.join(runtime, HEAP_FILE), HEAP_AT, RUNTIME_ADD, before=True)
    patch(os.path.join(runtime, HEAP_FILE), MANUAL_AT, MANUAL_ADD)
    patch(os.path.join(runtime, PACE_FILE), PACE_AT, PACE_ADD)
    patch(os.path.join(runtime, EXIT_FILE), EXIT_AT, EXIT_ADD)
    patch(os.path.join(runtime, SCAV_FILE), SCAV_AT, SCAV_ADD)
    patch(os.path.join(runtime, SCAV_FILE), TURN_AT, TURN_ADD, EVENT_TAIL)
    replace(os.path.join(runtime, PREEMPT_FILE), PREEMPT_AT, PREEMPT_NEW)
    patch(os.path.join(runtime, HEAP_FILE), ALL_AT, ALL_ADD)
    patch(os.path.join(runtime, PACER_FILE), START_AT, START_ADD)
    replace(os.path.join(runtime, HEAP_FILE), GROW_AT, GROW_NEW)
    return root


def build(repo, folder):
    """The Go benchmarks' test binary with the recording runtime, built
    into folder (its own Go cache under repo/build: the runtime differs)."""
    environ = go_each.env(repo)
    root = make_goroot(installed_goroot(environ), folder)
    environ = dict(environ, GOROOT=root,
                   GOCACHE=os.path.join(os.path.abspath(repo), "build",
                                        "go-record-cache"))
    exe = os.path.join(folder, "retention-record.test")
    try:
        go_each.build(repo, exe, environ)
    except go_each.GoEachError as e:
        raise RecordError(str(e)) from None
    return exe


def calls(output):
    """The marks a recording process printed, one list per runtime.GC call,
    in order: [[(utilization, idle utilization, heap at the trigger,
    allocated, scan work, waited, stack space), ...], ...], waited true for
    a mark that ended while the program waited in runtime.GC, stack space
    the goroutines' stacks' whole space as it ended (Go's maxStackScan);
    the marks after the last call (none printed) are not there."""
    out, start = [], 0
    for line_end in [m.end() for m in re.finditer(GC_CALL + r"$", output, re.M)]:
        part = output[start:line_end]
        out.append([(float(u), float(i), int(t), int(a), int(w), waited == "1", int(sp))
                    for u, i, t, a, w, waited, sp in MARK.findall(part)])
        start = line_end
    return out


def span_counts(output):
    """The span counts a recording process printed (SPAN_FIELDS), one dict
    per runtime.GC call, in order, then one for the process's exit (what
    came after the last call: the timed run) if it printed it."""
    out = []
    for m in SPANS.finditer(output):
        values = [int(v) for v in m.group(1).split()]
        if len(values) != len(SPAN_FIELDS):
            raise RecordError(f"a spans line of {len(values)} counts, "
                              f"not {len(SPAN_FIELDS)}")
        out.append(dict(zip(SPAN_FIELDS, values)))
    return out


def events(output):
    """The timed run's events a recording process printed at exit, from its
    debug.FreeOSMemory on, in order: [{"kind": EVENT_KINDS name, "ms": time
    from that call, ...}], with, for a scavenger turn, "released" (bytes
    given back), "retained" (the heap's retained bytes after) and "goal"
    (the scavenger's goal then; None: it had none); for a mark's start,
    "heap" (the live heap then), "trigger" and "goal"; for its end, "alloc"
    (bytes allocated from its trigger on), "work" (its scan work) and "u"
    (its utilization); right after a mark's start, "mark-scan": the scan
    work its assists are paced to, "expected" below its goal (the last
    cycle's) and "most" past it (maxScanWork: every stack's whole space,
    "stack_space", and all the heap's pointers); for a heap span taken
    from the page heap ("span") or given back to it by a sweep
    ("span-free"), "addr" (its first byte),
    "pages" (8 KiB each) and "size_class" (0: one large object); for a
    cycle's sweep as it is paced ("sweep-pace"), "pages" (the pages in use
    it must walk, Go's pagesInUse less pagesSwept), "distance" (the bytes
    of heap growth it has for them) and "basis" (the heap it starts from);
    for a span the runtime takes for itself or gives back ("runtime-span"),
    "addr", "pages", "what" ("stack", "workbuf", ...) and "freed". When the
    runtime's buffer filled, the events are the first it kept (lost())."""
    out = []
    for kind, us, a, b, c in EVENT.findall(output):
        k = int(kind)
        if k >= len(EVENT_KINDS):
            raise RecordError(f"an event of kind {k}")
        e = {"kind": EVENT_KINDS[k], "ms": int(us) / 1000}
        a, b, c = int(a), int(b), int(c)
        if e["kind"] == "mark-start":
            e.update(heap=a, trigger=b, goal=c)
        elif e["kind"] == "mark-end":
            e.update(alloc=a, work=b, u=c / 1e6)
        elif e["kind"] in ("span", "span-free"):
            e.update(addr=a, pages=b, size_class=c >> 1)
        elif e["kind"] == "mark-scan":
            e.update(expected=a, most=b, stack_space=c)
        elif e["kind"] == "sweep-pace":
            e.update(pages=a, distance=b, basis=c)
        elif e["kind"] == "runtime-span":
            what = c & 255
            e.update(addr=a, pages=b, freed=c >= 256,
                     what=RUNTIME_SPANS[what] if what < len(RUNTIME_SPANS) else str(what))
        else:
            e.update(released=a, retained=b, goal=None if c >= 1 << 63 else c)
        out.append(e)
    return out


def lost(output):
    """How many of the timed run's events the recording runtime's buffer
    had no room for (0: none): they are the last ones."""
    m = LOST.search(output)
    return int(m.group(1)) if m else 0


def describe_events(evs, lost_events=0):
    """The timed run's preemptions, marks and scavenger turns in words, and
    how many heap spans it took and gave back, one line; lost_events, if
    any, said at its end."""
    mib = 1 << 20
    parts = []
    taken = sum(e["kind"] == "span" for e in evs)
    freed = sum(e["kind"] == "span-free" for e in evs)
    prev = None         # the kind of the last event put in words
    for e in evs:
        if e["kind"] == "preempt":
            parts.append(f"{e['ms']:.1f} ms preempted")
        elif e["kind"] == "scavenger":
            goal = ("no goal" if e["goal"] is None
                    else f"goal {e['goal'] / mib:.1f} MiB")
            parts.append(f"{e['ms']:.1f} ms scavenger gave back "
                         f"{e['released'] / mib:.1f} MiB ({goal}, "
                         f"retained {e['retained'] / mib:.1f} MiB after)")
        elif e["kind"] == "mark-start":
            parts.append(f"{e['ms']:.1f} ms mark starts at {e['heap'] / mib:.1f} MiB "
                         f"(goal {e['goal'] / mib:.1f} MiB)")
        elif e["kind"] == "mark-scan":
            scan = (f"scan work {e['expected']} B expected, worst case "
                    f"(maxScanWork) {e['most']} B, stacks' space {e['stack_space']} B")
            if prev == "mark-start":      # inside the start's parentheses
                parts[-1] = parts[-1][:-1] + f", {scan})"
            else:
                parts.append(f"{e['ms']:.1f} ms a mark's {scan}")
        elif e["kind"] == "mark-end":
            parts.append(f"{e['ms']:.1f} ms mark ends, {e['alloc'] / mib:.1f} MiB "
                         f"allocated from its trigger (u {e['u']:.2f})")
        elif e["kind"] == "runtime-span" and e["what"] == "workbuf":
            parts.append(f"{e['ms']:.1f} ms the work buffers' span "
                         f"{'given back' if e['freed'] else 'taken'}, page "
                         f"{heap_page(e['addr'])} of the heap")
        else:
            continue
        prev = e["kind"]
    paces = sorted(e["pages"] for e in evs if e["kind"] == "sweep-pace")
    if paces:
        parts.append(f"{len(paces)} sweeps paced over {paces[0]}-{paces[-1]} pages in "
                     f"use (median {paces[len(paces) // 2]})")
    if taken or freed:
        spans = [e for e in evs if e["kind"] == "span"]
        reach = ""
        if spans:
            # from the lowest span's first page to the highest one's end:
            # the heap the timed run spread over (its peak RSS, less what
            # was released and not touched again)
            lo = min(e["addr"] for e in spans)
            hi = max(e["addr"] + e["pages"] * 8192 for e in spans)
            reach = f" (reaching over {(hi - lo) / mib:.1f} MiB of the heap)"
        parts.append(f"{taken} spans taken from the page heap{reach}, {freed} given back")
    if lost_events:
        parts.append(f"the {lost_events} events after these lost (the recording "
                     "buffer was full)")
    return "timed run's events: " + ("; ".join(parts) if parts else "none")


def describe_process(calls_list, counts):
    """Lines for one recording process: per runtime.GC call its marks and
    span counts, then the timed run's span counts (after the last call)."""
    lines = []
    for i, marks in enumerate(calls_list):
        c = counts[i] if i < len(counts) else None
        parts = [f"call {i + 1}:"]
        for u, idle, trigger, alloc, work, waited, space in marks:
            parts.append(f"mark u {u:.3f}{' waited' if waited else ''} "
                         f"idle {idle:.3f} trigger {trigger / (1 << 20):.2f} MiB "
                         f"alloc {alloc} work {work} stacks' space {space};")
        if c is not None:
            parts.append(describe_counts(c))
        lines.append(" ".join(parts))
    if len(counts) > len(calls_list):
        lines.append("timed run: " + describe_counts(counts[-1]))
    return lines


def describe_counts(c):
    """One span-counts dict in words."""
    return (f"spans small {c['small_spans']} ({c['small_bytes']} B, "
            f"{c['small_released']} released), large {c['large_spans']} "
            f"({c['large_bytes']} B, {c['large_released']} released); empty "
            f"spans swept: one-object classes {c['one_reused']} reused, "
            f"{c['one_freed']} freed; others {c['many_reused']} reused, "
            f"{c['many_freed']} freed; given back: {c['bg_released']} B by "
            f"the background scavenger, {c['grow_released']} B as the heap grew")
