"""Go's pacer, cycle by cycle, from GODEBUG=gcpacertrace=1 on the Go
retention benchmark: what the model's draws in the Go GC mode take from it
(harness/gs.h, gs_heap_set_mark_draws).

  - where marks end: how far from the heap at the trigger to the goal the
    heap had come when the mark ended;
  - which case each mark of the timed runs fell in (harness/gs.h,
    gs_go_mark_end): with one P, Go's mark ends where its last assist
    starts; the first assist scans the globals, the second the heap they
    reach and the stacks, going on into the kept headers ([][]T of M
    headers, 24 B each, in 128 KiB parts) when those took less than an
    assist's least work ("short roots"), or not ("long roots"); a mark
    ended elsewhere (mostly by the background worker, before the second
    assist) is "other". The points come from the trace's own work figures
    (globals / work, and work less the headers' last part / work), each
    within 0.02 plus the case's allocation / the runway;
  - what sets a mark's utilization (its share of the one P, background
    worker and assists: "U% CPU"): with one P the assists do the mark's
    scan work W while the program allocates A, so u = 0.25 + 1 / (1 + r
    A / W), r the program's time per byte it allocates over the assists'
    per byte they scan (gs_go_mark_utilization); r is read off each mark of
    the timed runs, apart for the marks that faulted in memory and those
    that reused it (gs_goheap.c's mut_fresh and mut_reused). The timed run
    starts from a heap given back (debug.FreeOSMemory), so the share of a
    mark's allocation that lies above the highest heap any earlier mark of
    the run ended at is memory it faulted in: "reused" up to 1/8 of it,
    "fresh" from 7/8; the marks between are printed by their share, with
    the model's r for it (the two rows blended by the share). Marks of memory nobody writes are the retain
    strategy's in heldBytes' first round (its sources unwritten, on pages
    that never held an object, which Go neither zeroes nor faults in);
    their r follows the size N of the program's allocations and the heap
    H at the mark's trigger, r = c (KiB / N)^p (H / MiB)^h x e, e a
    residual (gs_go_unwritten_utilization). A mark that ends while the
    program waits in runtime.GC (the harness's rounds end with one) has
    next to no assists: what it feeds Go's estimate, per byte allocated
    per byte of scan work, is (u + idle) / (1 - u), u and the idle
    workers' share as Go measures them (gs_go_waited_consmark). Both are
    read untraced, from processes of their own whose runtime records each
    mark and prints it as the next runtime.GC returns (gorecord.py),
    every case's for the second: the first mark of memory nobody writes
    decides where a process lands (the retain cases at 256 KiB, GOGC
    400), and a trace moves it.

The trace costs what it measures: Go prints a cycle's first pacer line
while the world is stopped at the mark's start, which Go counts in the
mark's time, so a traced mark's utilization is low by the print's share
(marks of 0.1 ms lose up to 0.1 of it). Each mark's utilization is taken
back to an untraced one with its gctrace line: the assists' share, scaled
by the mark's traced time (its sweep-termination pause plus its concurrent
mark) over its untraced one (an untraced process's pause plus the same
mark). The untraced pause is the median over the unforced cycles of one
gctrace-only process per case and GOGC, and is printed; a gctrace line
comes after its mark's utilization is taken, so it costs the mark nothing.

Run it on an otherwise idle machine: Go's utilization is a share of wall
time, so another process's load lowers it, and it deepens the stacks the
marks find (this VM, 4 processes a case: long roots 3.8 % of the short
and long marks idle, 10.7 % beside other work; r's percentiles moved by
up to 0.08).

    python3 -m slicebench.pacer [--budget B] [--gogc 100,400]
        [--repetitions R] [--vectors] [MATRIX ...]

A MATRIX is SIZES:KEPT:ELEM, as gc-vs-go's --sizes, --kept and --elem
(default: the two matrices of the check against Go, results/GC-VS-GO.md).
Every case of every matrix (the five strategies of the check), at every
GOGC, runs R times (default 2), each a process of its own given its case's
flags alone, as gc-vs-go runs them, for 2 x M items, traced, and as many recorded.
Prints, per matrix and pooled, the cycles counted and the 10th, 25th,
50th, 75th and 90th percentiles and the
mean of the fraction, over the cycles whose mark ended by its goal (a cycle
that ended past it did so at one large allocation, which the model takes as
it comes); then, over every matrix, the same percentiles of r, reused
marks and fresh ones apart; then c, p and h of the marks of memory nobody
writes and the percentiles of their residuals e; then the percentiles of
the waited marks' figure; then the marks' cases,
over every matrix. With --vectors, only
a CSV instead: items,case,fraction,cycles, the median fraction of each case
(short, long, alike) for each M whose case's allocations are at most 32 KiB,
over every cycle of its processes (the runs before the timed one have most
of the long ones), with at least 5 cycles (tests/gs/vectors/markends.csv). Exit status 1 when
a process failed, 2 for bad arguments.
"""

import collections
import math
import re
import statistics
import sys
import tempfile

from . import cli, gcvsgo, go_each, gorecord

MATRICES = ("4KiB,32KiB,256KiB:16,N/2:1", "4800,24KiB,240KiB:72,2400:8,24")
STRATEGIES = "retain,copy,append,exactcap,append-nil"
PERCENTILES = (10, 25, 50, 75, 90)
# gcpacertrace's line at a mark's end (Go 1.19, mgcpacer.go): the mark's
# utilization, the heap at the trigger, at the end, and the end less the goal.
END = re.compile(r"pacer: (\d+)% CPU .*? in (\d+) B -> (\d+) B \(\u2206goal (-?\d+)")
# the same line's work: heap, stacks and globals, bytes
WORK = re.compile(r"pacer: \d+% CPU .*? for (\d+)\+(\d+)\+(\d+) B work .*? "
                  r"in (\d+) B -> (\d+) B \(\u2206goal (-?\d+)")
# a forced cycle's gctrace line: the last one starts the timed run
FORCED = re.compile(r"^gc \d+ @.*\(forced\)$", re.M)
HEADER_BYTES = 24         # a slice header (the kept [][]T's elements)
OBLET_BYTES = 128 << 10   # Go's maxObletBytes: a large object's scan part
CASES = ("short", "long", "alike", "other")
# the same line with the mark's utilization too
MARK = re.compile(r"pacer: (\d+)% CPU .*? for (\d+)\+(\d+)\+(\d+) B work .*? "
                  r"in (\d+) B -> (\d+) B \(\u2206goal (-?\d+)")
# a cycle's gctrace line: its sweep-termination pause and concurrent mark,
# wall clock, ms; and whether it was forced
GCLINE = re.compile(r"^gc \d+ @\S+ \d+%: ([\d.]+)\+([\d.]+)\+[\d.]+ ms clock.*?"
                    r"(\(forced\))?$", re.M)
# heldBytes' first round ends at the process's 6th runtime.GC call (of 13,
# or 11 when heldBytes' first two rounds agree and it makes no third: each
# of its rounds opens and closes with one, then come the peak round's and
# the timed run's), in gorecord.calls()' list
HELD_CLOSE_CALL = 5
# the least allocation per byte of scan work (x) of a mark r is read off
# in that round: below, u stays near its ceiling whatever r is, and Go's
# fall short of the form's 1.25 (1.11-1.14 at 256 KiB, GOGC 100, x about
# 0.06), which reads as r of 3-8, the residuals' 90th percentile 2.5
# instead of 1.6
UNWRITTEN_MIN_X = 0.5
# a mark's faulted share (faulted_shares) up to which it reused memory and
# from which it faulted it in (fresh)
REUSED_UP_TO, FRESH_FROM = 1 / 8, 7 / 8
# the shares between, in bins, for the marks that faulted in part of what
# they allocated (the model blends the two rows of r by the share)
MIXED_BINS = (REUSED_UP_TO, 0.3, 0.5, 0.7, FRESH_FROM)


def cycles(trace):
    """(utilization percent, trigger, end, goal) of each mark's end in a
    process's gcpacertrace."""
    return [(int(u), int(trig), int(end), int(end) - int(past))
            for u, trig, end, past in END.findall(trace)]


def fractions(cycle_list):
    """The fractions of the way from trigger to goal at which the marks
    ended, for those that ended by their goal."""
    return [(end - trig) / (goal - trig) for _, trig, end, goal in cycle_list
            if trig < goal and end <= goal]


def first_held_round(calls):
    """The recorded marks of heldBytes' first round (gorecord.calls()
    tuples): those printed at the runtime.GC call that ends the round; []
    when the process made fewer than the 11 calls of Go's harness."""
    if len(calls) < 11:
        return []
    return calls[HELD_CLOSE_CALL]


def timed(trace):
    """The part of a process's trace (gctrace and gcpacertrace) after its
    last forced cycle (the timed run's debug.FreeOSMemory)."""
    last = None
    for last in FORCED.finditer(trace):
        pass
    return trace if last is None else trace[last.end():]


def mark_case(work, trig, end, goal, items, alloc):
    """(case, fraction) of a mark that ended by its goal, with `work` =
    (heap, stacks, globals) from its trace line, M = items and allocations
    of `alloc` bytes: "short" at the first assist's point (globals / work),
    "long" at the last headers part's (work less that part / work),
    "alike" at both (headers of more than one part), "other" elsewhere."""
    whole = sum(work)
    headers = HEADER_BYTES * items
    tail = headers - OBLET_BYTES * ((headers - 1) // OBLET_BYTES) if headers else 0
    f = (end - trig) / (goal - trig)
    tol = 0.02 + alloc / (goal - trig)
    long_at = (whole - tail) / whole
    if headers > OBLET_BYTES:
        return ("alike" if abs(f - long_at) <= tol else "other"), f
    if abs(f - work[2] / whole) <= tol:
        return "short", f
    return ("long" if abs(f - long_at) <= tol else "other"), f


def mark_cases(trace, items, alloc):
    """[(case, fraction)] of the marks in a trace that ended by their goal."""
    out = []
    for h, st, g, trig, end, past in WORK.findall(trace):
        trig, end, goal = int(trig), int(end), int(end) - int(past)
        if trig < goal and end <= goal:
            out.append(mark_case((int(h), int(st), int(g)), trig, end, goal,
                                 items, alloc))
    return out


def describe_cases(found):
    """One line: how many marks in each case, and the shares the model
    draws (other among all; long among short and long)."""
    n = collections.Counter(c for c, _ in found)
    total = sum(n.values())
    if total == 0:
        return "no cycle"
    pairs = n["short"] + n["long"]
    counts = ", ".join(f"{c} {n[c]}" for c in CASES)
    longs = f"{100 * n['long'] / pairs:.1f} %" if pairs else "-"
    return (f"{total} cycles: {counts}; other {100 * n['other'] / total:.1f} %, "
            f"long among short and long {longs}")


def vectors(by_items):
    """CSV lines items,case,fraction,cycles: the median fraction of the
    short, long and alike cases of each M, with at least 5 cycles."""
    lines = ["items,case,fraction,cycles"]
    for items in sorted(by_items):
        for case in ("short", "long", "alike"):
            fs = sorted(f for c, f in by_items[items] if c == case)
            if len(fs) >= 5:
                lines.append(f"{items},{case},{statistics.median(fs):.4f},{len(fs)}")
    return "\n".join(lines)


def marks(trace, pause=None):
    """(utilization, scan work, trigger, end) of each mark's end in a
    process's gcpacertrace, the utilization in percent at the middle of
    Go's truncated figure (u + 0.5). With pause (ms, an untraced process's
    sweep-termination pause: untraced_pause), each mark followed by its
    gctrace line has its utilization as untraced: the assists' share
    scaled by the traced time (its pause + mark) over the untraced one
    (pause + mark)."""
    out, pending = [], None
    for line in trace.splitlines():
        m = MARK.search(line)
        if m:
            if pending is not None:
                out.append(pending)
            u, h, st, g, trig, end, _ = m.groups()
            pending = (int(u) + 0.5, int(h) + int(st) + int(g), int(trig), int(end))
            continue
        gc = GCLINE.match(line)
        if gc and pending is not None:
            traced, mark = float(gc.group(1)), float(gc.group(2))
            u = pending[0]
            if pause is not None and pause + mark > 0:
                u = 25 + (u - 25) * (traced + mark) / (pause + mark)
            out.append((u, *pending[1:]))
            pending = None
    if pending is not None:
        out.append(pending)
    return out


def untraced_pause(trace):
    """The median sweep-termination pause (ms) of the unforced cycles in a
    gctrace-only trace; None without one."""
    pauses = [float(p) for p, _, forced in GCLINE.findall(trace) if not forced]
    return statistics.median(pauses) if pauses else None


def faulted_shares(mark_list):
    """For each mark of one timed run, in order: the share of what it
    allocated (from the heap at the trigger to the heap at its end) that
    lies above the highest heap an earlier mark of the run ended at, memory
    the run had not touched since its heap was given back; None for a mark
    that allocated nothing."""
    out, high = [], 0
    for _, _, trig, end in mark_list:
        out.append((end - max(trig, high)) / (end - trig) if end > trig and end > high
                   else 0.0 if end > trig else None)
        high = max(high, end)
    return out


def cost_ratio(u, work, allocated):
    """r of a mark with utilization u (percent, as marks() gives it), scan
    work `work` and `allocated` bytes: from u = 0.25 + 1 / (1 + r x),
    x = allocated / work; None at 25 % or less (no assist time)."""
    if u <= 25:
        return None
    return (1 / (u / 100 - 0.25) - 1) * work / allocated


def cost_ratios(mark_list):
    """{"reused": [r, ...], "fresh": [r, ...], "mixed": [(share, r), ...]}
    of one timed run's marks (faulted_shares up to REUSED_UP_TO, from
    FRESH_FROM, or between)."""
    out = {"reused": [], "fresh": [], "mixed": []}
    for (u, work, trig, end), f in zip(mark_list, faulted_shares(mark_list)):
        r = None if f is None else cost_ratio(u, work, end - trig)
        if r is None:
            continue
        if f <= REUSED_UP_TO:
            out["reused"].append(r)
        elif f >= FRESH_FROM:
            out["fresh"].append(r)
        else:
            out["mixed"].append((f, r))
    return out


def describe_mixed(mixed, reused, fresh):
    """The median r of the mixed marks ((share, r) pairs) in each bin of
    MIXED_BINS, beside the model's for the bin's middle share: the reused
    and fresh medians blended by the share, and, as before, either one by
    the share over 1/2."""
    r0, r1 = statistics.median(reused), statistics.median(fresh)
    parts = []
    for lo, hi in zip(MIXED_BINS, MIXED_BINS[1:]):
        rs = [r for f, r in mixed if lo < f <= hi]
        mid = (lo + hi) / 2
        got = f"{statistics.median(rs):.2f} (n={len(rs)})" if rs else "none"
        parts.append(f"{lo:.2f}-{hi:.2f}: {got}, blended {r0 + mid * (r1 - r0):.2f}, "
                     f"by 1/2 {r1 if mid > 0.5 else r0:.2f}")
    return "; ".join(parts)


def unwritten_points(recorded, item_bytes):
    """(KiB / N, H in MiB, r) of each recorded mark (gorecord.calls()
    tuples) that ended as the program allocated, not in runtime.GC, and
    allocated at least UNWRITTEN_MIN_X per byte of its scan work, N =
    item_bytes, H the heap at its trigger."""
    out = []
    for u, _, trigger, alloc, work, waited, _ in recorded:
        if waited or trigger <= 0 or alloc <= 0 or alloc < UNWRITTEN_MIN_X * work:
            continue
        r = cost_ratio(100 * u, work, alloc)
        if r is not None and r > 0:
            out.append((1024 / item_bytes, trigger / (1 << 20), r))
    return out


def solve(matrix, vector):
    """x of matrix x = vector (square, Gaussian elimination with partial
    pivoting); None when singular (a pivot below 1e-9 of the matrix's
    largest entry)."""
    n = len(vector)
    a = [list(row) + [v] for row, v in zip(matrix, vector)]
    scale = max((abs(x) for row in matrix for x in row), default=0.0)
    for col in range(n):
        pivot = max(range(col, n), key=lambda i: abs(a[i][col]))
        if not abs(a[pivot][col]) > 1e-9 * scale:
            return None
        a[col], a[pivot] = a[pivot], a[col]
        for i in range(col + 1, n):
            f = a[i][col] / a[col][col]
            for j in range(col, n + 1):
                a[i][j] -= f * a[col][j]
    x = [0.0] * n
    for i in range(n - 1, -1, -1):
        x[i] = (a[i][n] - sum(a[i][j] * x[j] for j in range(i + 1, n))) / a[i][i]
    return x


def least_squares(rows, ys):
    """x minimizing sum((row . x - y)^2) over rows and ys, by the normal
    equations (solve); None when the rows do not tell x's parts apart."""
    n = len(rows[0]) if rows else 0
    ata = [[sum(row[i] * row[j] for row in rows) for j in range(n)] for i in range(n)]
    aty = [sum(row[i] * y for row, y in zip(rows, ys)) for i in range(n)]
    return solve(ata, aty) if n else None


def unwritten_fit(points):
    """(c, p, h, residuals) of r = c v^p H^h over points [(v, H, r)]
    (unwritten_points): least squares of ln r on ln v and ln H, residuals
    = every point's r / (c v^p H^h), sorted; None when v or H take fewer
    than two values, or ln v and ln H move together (no fit apart)."""
    if len({v for v, _, _ in points}) < 2 or len({hm for _, hm, _ in points}) < 2:
        return None
    rows = [(1.0, math.log(v), math.log(hm)) for v, hm, _ in points]
    ys = [math.log(r) for _, _, r in points]
    got = least_squares(rows, ys)
    if got is None or not all(map(math.isfinite, got)) or abs(got[0]) > 700:
        return None
    c, p, h = math.exp(got[0]), got[1], got[2]
    return c, p, h, sorted(r / (c * v ** p * hm ** h) for v, hm, r in points)


def waited_figures(calls):
    """(u + idle) / (1 - u) of every recorded mark that ended while the
    program waited in runtime.GC and allocated (gorecord.calls())."""
    return [(u + idle) / (1 - u) for call in calls
            for u, idle, _, alloc, _, waited, _ in call if waited and alloc > 0 and u < 1]


def percentile(sorted_values, p):
    """The p-th percentile of sorted values, nearest rank below."""
    return sorted_values[int(p / 100 * (len(sorted_values) - 1))]


def describe(values, fmt="{:.3f}", what="cycles"):
    """'n cycles: p10 .. p90, mean' for a list of values (what: the noun
    for n)."""
    if not values:
        return "no cycle"
    v = sorted(values)
    ps = ", ".join(fmt.format(percentile(v, p)) for p in PERCENTILES)
    return (f"{len(v)} {what}; percentiles {'/'.join(map(str, PERCENTILES))}: "
            f"{ps}; mean {statistics.mean(v):.3f}")


def matrix_cycles(exe, spec, budget, gogcs, reps, repo, record_exe):
    """The cycles (cycles()) of every case of one matrix SIZES:KEPT:ELEM;
    {"reused": [r], "fresh": [r], "mixed": [(share, r)]} of their timed
    runs' marks (cost_ratios);
    and {M: [(case, fraction)]} of their marks (mark_cases), the whole
    process's, for the cases of allocations of at most 32 KiB, and under
    "all" every case's timed run's; and the untraced pauses (untraced_pause)
    of its cases, one gctrace-only process each per GOGC, which correct the
    utilizations of that GOGC's marks. ratios["unwritten"] holds
    the points (unwritten_points) of the retain strategy's marks in
    heldBytes' first round (first_held_round), the only ones of memory
    nobody writes (unwritten_fit), and ratios["waited"] every case's
    waited_figures, read off reps processes of record_exe each
    (gorecord.build), untraced."""
    sizes, kept, elems = spec.split(":")
    flags = gcvsgo.case_flags(sizes, kept, elems, STRATEGIES, budget)
    out, by_items = [], {"all": []}
    ratios = {"reused": [], "fresh": [], "mixed": [], "unwritten": [], "waited": []}
    pauses = []
    for gogc in gogcs.split(","):
        environ = go_each.env(repo, GOMAXPROCS="1", GOGC=gogc,
                              GODEBUG="gcpacertrace=1,gctrace=1")
        plain = go_each.env(repo, GOMAXPROCS="1", GOGC=gogc, GODEBUG="gctrace=1")
        quiet = go_each.env(repo, GOMAXPROCS="1", GOGC=gogc)
        runs, here = gcvsgo.batch_cases(exe, flags, environ), []
        for name, args, _, _ in runs:
            p = untraced_pause(go_each.run_one(exe, name, args, plain, stderr=True))
            if p is not None:
                here.append(p)
        pause = statistics.median(here) if here else None
        pauses += here
        for name, args, n, m in runs:
            for _ in range(reps):
                trace = go_each.run_one(exe, name, args, environ, stderr=True)
                out += cycles(trace)
                loop = timed(trace)
                for key, rs in cost_ratios(marks(loop, pause)).items():
                    ratios[key] += rs
                recorded = gorecord.calls(
                    go_each.run_one(record_exe, name, args, quiet, stderr=True))
                ratios["waited"] += waited_figures(recorded)
                if name.startswith("strategy=retain/"):
                    ratios["unwritten"] += unwritten_points(
                        first_held_round(recorded), n)
                if n <= 32 << 10:
                    by_items.setdefault(m, []).extend(mark_cases(trace, m, n))
                by_items["all"].extend(mark_cases(loop, m, n))
    return out, ratios, by_items, pauses


def main(argv):
    ap = cli.Parser(
        prog="pacer", description="Go's pacer, from gcpacertrace: where "
        "marks end (the fraction of the way from trigger to goal) and the "
        "marks' utilization by runway, as percentiles.")
    ap.add_argument("matrices", nargs="*", metavar="MATRIX", default=list(MATRICES),
                    help="SIZES:KEPT:ELEM (default: the check's two matrices)")
    ap.add_argument("--budget", default="64MiB", help="chooses M (default 64MiB)")
    ap.add_argument("--gogc", default="100,400", help="GOGC values")
    ap.add_argument("--repetitions", type=int, default=2,
                    help="processes per case and GOGC (default 2)")
    ap.add_argument("--repo", default=".", help="the checkout (default: .)")
    ap.add_argument("--vectors", action="store_true",
                    help="print only the CSV of each M's median fraction per "
                    "case (tests/gs/vectors/markends.csv)")
    args = ap.parse_args(argv)
    if args.repetitions < 1:
        ap.error("--repetitions must be positive")
    for spec in args.matrices:
        if spec.count(":") != 2 or not all(spec.split(":")):
            ap.error(f"matrix {spec!r}: not SIZES:KEPT:ELEM")
    pooled, by_items = [], {}
    ratios = {"reused": [], "fresh": [], "mixed": [], "unwritten": [], "waited": []}
    try:
        with tempfile.TemporaryDirectory(prefix="pacer.") as tmp:
            exe = gcvsgo.build_go(args.repo, tmp)
            record_exe = gorecord.build(args.repo, tmp)
            for spec in args.matrices:
                got, rs, cases, pauses = matrix_cycles(
                    exe, spec, args.budget, args.gogc, args.repetitions, args.repo,
                    record_exe)
                if not args.vectors:
                    print(f"marks' ends, {spec}: {describe(fractions(got))}",
                          flush=True)
                    print(f"untraced sweep-termination pause, {spec}: "
                          f"{describe(pauses, what='processes')} ms", flush=True)
                pooled += got
                for key in ratios:
                    ratios[key] += rs[key]
                for items, found in cases.items():
                    by_items.setdefault(items, []).extend(found)
    except (go_each.GoEachError, gorecord.RecordError, OSError) as e:
        print(f"pacer: {e}", file=sys.stderr)
        return 1
    if args.vectors:
        print(vectors({m: f for m, f in by_items.items() if m != "all"}))
        return 0
    if len(args.matrices) > 1:
        print(f"marks' ends, pooled: {describe(fractions(pooled))}")
    for key in ("reused", "fresh"):
        print(f"program's / scan cost per byte (r), {key}: "
              f"{describe(ratios[key], '{:.2f}')}")
    if ratios["reused"] and ratios["fresh"]:
        print("r of marks that faulted in part, median by faulted share: "
              + describe_mixed(ratios["mixed"], ratios["reused"], ratios["fresh"]))
    fit = unwritten_fit(ratios["unwritten"])
    if fit is None:
        print("r of memory nobody writes: too few cases")
    else:
        c, p, h, resid = fit
        print(f"r of memory nobody writes (retain, heldBytes' first round, recorded) = "
              f"c (KiB/N)^p (H/MiB)^h x e: c {c:.3f}, p {p:.3f}, h {h:.3f}; e: "
              f"{describe(resid, '{:.2f}', what='marks')}")
    print(f"marks ended in runtime.GC (recorded), (u + idle) / (1 - u): "
          f"{describe(ratios['waited'], '{:.3f}', what='marks')}")
    print(f"marks' cases, timed runs: {describe_cases(by_items.get('all', []))}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
