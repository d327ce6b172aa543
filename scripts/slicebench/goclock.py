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
With --lines, only the cases instead, as benchmark lines with the four
figures the fit reads: the committed tests/gs/vectors/goclock.txt (the
reference run's cases when the constants were fit) is made so, and a
test holds gs.h's constants to its fit.

Exit status 1 when a file cannot be read or holds no result with the three
figures (go test -benchmem output of the slicebench Go benchmarks), or the
cases do not tell the three apart; 2 for bad arguments.
"""

import math
import sys

from . import cli, gobench, output, pacer

FIGURES = ("allocs/op", "B/op", "faults/op")


class ClockError(Exception):
    """Input the fit cannot use (one line)."""


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
        raise ClockError("no result with allocs/op, B/op and faults/op "
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
    args = ap.parse_args(argv)
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
