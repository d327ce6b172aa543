"""Go's clock (harness/gs.h, gs_go_clock_ns): Go's time per item as a
linear function of the work Go's program did, fit over the cases of kept
check runs.

    python3 -m slicebench.goclock [--lines] GO.TXT [GO.TXT ...]

A GO.TXT is the Go side of a check run kept with scripts/gc-vs-go --keep
DIR (DIR/go.txt, as results/reference/ holds one): every benchmark line of
every file is a case. The fit is ns/op = a allocs/op + b B/op + c faults/op,
least squares of the relative error (each case weighs alike, whatever its
time), and is printed as gs.h's constants: a in picoseconds per array
(GS_GO_CLOCK_ALLOC_PS), b in picoseconds per byte (GS_GO_CLOCK_BYTE_PS), c in
nanoseconds per minor fault (GS_GO_CLOCK_FAULT_NS); then the percentiles
(10, 25, 50, 75, 90) of the fit's time over Go's, over the cases. The model
paces its scavenger by this clock, so that the scavenger's turns fall
where they fall in Go's program, however fast the model's own process is.
With --scale, how much slower Go ran in the files than the model's clock
(gs.h's constants) says instead: the median over the cases of Go's ns/op
over the clock's time for the same work (the model's --go-clock-scale;
scripts/gc-vs-go --clock=go gives each case its own). With --lines, only
the cases instead, as benchmark lines with the four
figures the fit reads: the committed tests/gs/vectors/goclock.txt (the
reference run's cases when the constants were fit) is made so, and a
test holds gs.h's constants to its fit.

Exit status 1 when a file cannot be read or holds no result with the three
figures (go test -benchmem output of the slicebench Go benchmarks), or the
cases do not tell the three apart; 2 for bad arguments.
"""

import math
import os
import re
import statistics
import sys

from . import cli, gobench, output, pacer

FIGURES = ("allocs/op", "B/op", "faults/op")


class ClockError(Exception):
    """Input the fit cannot use (one line)."""


class NoResultError(ClockError):
    """Output with no measured case (every one skipped, or not the
    benchmarks' output at all)."""


def cases(texts, lines=None):
    """[(allocs/op, B/op, faults/op, ns/op)] of every benchmark line of the
    go test outputs [(text, source)] that has the three figures; each such
    line, with those four figures only, appended to lines if given."""
    out = []
    for text, source in texts:
        try:
            run = gobench.parse(text, source)
        except gobench.GoBenchError as e:
            raise ClockError(str(e)) from None
        for b in run.benches:
            m = b["metrics"]
            if all(f in m for f in FIGURES):
                row = tuple(m[f] for f in FIGURES) + (m["ns/op"],)
                if not all(math.isfinite(x) and x >= 0 for x in row):
                    raise ClockError(f"{source}: {b['params']['name']}: a figure "
                                     "that is not a finite number of at least 0")
                out.append(row)
                if lines is not None:
                    lines.append(f"{b['params']['name']}\t{b['iters']}\t"
                                 f"{m['ns/op']:.10g} ns/op\t" + "\t".join(
                                     f"{m[f]:.10g} {f}" for f in FIGURES))
    if not out:
        raise NoResultError("no result with allocs/op, B/op and faults/op "
                         "(go test -benchmem output of benchmarks/go)")
    return out


def fit(rows):
    """(a, b, c, ratios) of ns/op = a allocs + b bytes + c faults over rows
    (cases()), least squares of (fit - ns) / ns; ratios the fit over Go's
    time, sorted. ClockError when the rows do not tell a, b and c apart,
    or one of them comes out at 0 or less."""
    scaled = [[x / row[3] for x in row[:3]] for row in rows]
    # each column to a like size first: bytes are 10^5 times arrays
    norm = [max(abs(r[i]) for r in scaled) or 1.0 for i in range(3)]
    scaled = [[r[i] / norm[i] for i in range(3)] for r in scaled]
    got = pacer.least_squares(scaled, [1.0] * len(scaled))
    if got is None:
        raise ClockError(f"{len(rows)} cases do not tell the three figures apart")
    a, b, c = (g / n for g, n in zip(got, norm))
    if not (a > 0 and b > 0 and c > 0):
        raise ClockError(f"the fit over {len(rows)} cases gives a cost of 0 or "
                         f"less (per array {a:.4g} ns, per byte {b:.4g} ns, per "
                         f"fault {c:.4g} ns): not a clock")
    ratios = sorted((a * x + b * y + c * z) / ns for x, y, z, ns in rows)
    return a, b, c, ratios


# the model's header, where the constants are
HEADER = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..",
                      "harness", "gs.h")
# gs.h's three constants, in the order of fit()'s costs
CONSTANTS = ("GS_GO_CLOCK_ALLOC_PS", "GS_GO_CLOCK_BYTE_PS", "GS_GO_CLOCK_FAULT_NS")


def committed(header_path):
    """(a, b, c) of the model's clock, in fit()'s units (ns per array, per
    byte, per fault), read from gs.h's constants at header_path."""
    try:
        with open(header_path, encoding="utf-8") as f:
            text = f.read()
    except OSError as e:
        raise ClockError(f"{header_path}: {e.strerror or e}") from None
    got = dict(re.findall(r"#define (GS_GO_CLOCK_[A-Z_]+) UINT64_C\((\d+)\)", text))
    missing = [k for k in CONSTANTS if k not in got]
    if missing:
        raise ClockError(f"{header_path}: no {missing[0]} (Go's clock's constants)")
    a, b, c = (int(got[k]) for k in CONSTANTS)
    return a / 1000, b / 1000, float(c)


def scale(rows, costs):
    """How much slower Go ran in rows (cases()) than the clock of costs
    (committed()) says: the median over the cases of Go's ns/op over the
    clock's time for the same allocs/op, B/op and faults/op (the model's
    --go-clock-scale). ClockError when no case has work the clock counts."""
    a, b, c = costs
    ratios = sorted(ns / t for t, ns in
                    ((a * x + b * y + c * z, ns) for x, y, z, ns in rows) if t > 0)
    if not ratios:
        raise ClockError("no case with work Go's clock counts (arrays, bytes "
                         "or faults)")
    return statistics.median(ratios)


def main(argv):
    ap = cli.Parser(
        prog="goclock", description="Go's clock: Go's ns/op as a allocs/op + "
        "b B/op + c faults/op, fit over the cases of kept check runs' go.txt "
        "(the model's GS_GO_CLOCK_* constants).")
    ap.add_argument("files", nargs="+", metavar="GO.TXT",
                    help="a kept check run's go.txt (scripts/gc-vs-go --keep)")
    ap.add_argument("--lines", action="store_true",
                    help="print only the cases, as benchmark lines of the four "
                    "figures (tests/gs/vectors/goclock.txt)")
    ap.add_argument("--scale", action="store_true",
                    help="print instead how much slower Go ran in the files "
                    "than the model's clock (harness/gs.h) says: the median "
                    "over the cases (the model's --go-clock-scale)")
    args = ap.parse_args(argv)
    if args.lines and args.scale:
        ap.error("--lines and --scale: one or the other")
    try:
        texts = []
        for path in args.files:
            try:
                with open(path, encoding="utf-8", errors="replace") as f:
                    texts.append((f.read(), path))
            except OSError as e:
                raise ClockError(f"{path}: {e.strerror}") from None
        lines = []
        rows = cases(texts, lines)
        if args.lines:
            text = "\n".join(lines)
        elif args.scale:
            got = scale(rows, committed(HEADER))
            text = (f"Go ran x{got:.3g} the model's clock (harness/gs.h), the "
                    f"median over {len(rows)} cases of Go's ns/op over the "
                    "clock's time for their work")
        else:
            a, b, c, ratios = fit(rows)
            text = (f"Go's clock over {len(rows)} cases: GS_GO_CLOCK_ALLOC_PS "
                    f"{a * 1000:.0f}, GS_GO_CLOCK_BYTE_PS {b * 1000:.0f}, "
                    f"GS_GO_CLOCK_FAULT_NS {c:.0f}\n"
                    f"fit / Go's ns/op: {pacer.describe(ratios, '{:.2f}', what='cases')}")
    except ClockError as e:
        print(f"goclock: {e}", file=sys.stderr)
        return 1
    try:
        output.emit(text)
    except OSError as e:
        cli.fail("goclock", f"cannot write the output: {e.strerror or e}", 1)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
