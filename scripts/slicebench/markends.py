"""Where Go's marks end: for each collection cycle of the Go retention
benchmark, how far from the heap at the trigger to the goal the heap had
come when the mark ended, read from GODEBUG=gcpacertrace=1. The model's
mark-end draws (harness/gs.h, gs_heap_set_mark_draws) take their range
from these percentiles.

    python3 -m slicebench.markends [--budget B] [--gogc 100,400]
        [--repetitions R] [MATRIX ...]

A MATRIX is SIZES:KEPT:ELEM, as gc-vs-go's --sizes, --kept and --elem
(default: the two matrices of the check against Go, README). Every case of
every matrix (the five strategies of the check), at every GOGC, runs R times
(default 2), each a process of its own given its case's flags alone, as
gc-vs-go runs them, for 2 x M items. Prints, per matrix and pooled, the
cycles counted and the 10th, 25th, 50th, 75th and 90th percentiles and the
mean of the fraction, over the cycles whose mark ended by its goal (a cycle
that ended past it did so at one large allocation, which the model takes as
it comes); exit status 1 when a process failed, 2 for bad arguments.
"""

import argparse
import os
import re
import statistics
import sys
import tempfile

from . import gcvsgo, go_each

MATRICES = ("4KiB,32KiB,256KiB:16,N/2:1", "4800,24KiB,240KiB:72,2400:8,24")
STRATEGIES = "retain,copy,append,exactcap,append-nil"
PERCENTILES = (10, 25, 50, 75, 90)
# gcpacertrace's line at a mark's end (Go 1.19, mgcpacer.go): the heap at
# the trigger, at the end, and the end less the goal.
END = re.compile(r"in (\d+) B -> (\d+) B \(\u2206goal (-?\d+)")
NAME = re.compile(r"strategy=([^/]+)/N=(\d+)/k=(\d+)/M=(\d+)/elem=(\d+)$")


def fractions(trace):
    """The fractions of the way from trigger to goal at which the marks of
    a process's gcpacertrace ended, for those that ended by their goal."""
    out = []
    for trig, end, past in END.findall(trace):
        trig, end, goal = int(trig), int(end), int(end) - int(past)
        if trig < goal and end <= goal:
            out.append((end - trig) / (goal - trig))
    return out


def percentile(sorted_values, p):
    """The p-th percentile of sorted values, nearest rank below."""
    return sorted_values[int(p / 100 * (len(sorted_values) - 1))]


def describe(values):
    """'n cycles: p10 .. p90, mean' for a list of fractions."""
    if not values:
        return "no cycle"
    v = sorted(values)
    ps = ", ".join(f"{percentile(v, p):.3f}" for p in PERCENTILES)
    return (f"{len(v)} cycles; percentiles {'/'.join(map(str, PERCENTILES))}: "
            f"{ps}; mean {statistics.mean(v):.3f}")


def matrix_fractions(exe, spec, budget, gogcs, reps, repo):
    """The fractions of every case of one matrix SIZES:KEPT:ELEM."""
    sizes, kept, elems = spec.split(":")
    flags = gcvsgo.case_flags(sizes, kept, elems, STRATEGIES, budget)
    out = []
    for gogc in gogcs.split(","):
        environ = go_each.env(repo, GOMAXPROCS="1", GOGC=gogc,
                              GODEBUG="gcpacertrace=1")
        for name in go_each.names(exe, gcvsgo.go_flags(flags), environ):
            s, n, k, m, e = NAME.match(name).groups()
            args = [*gcvsgo.one_case_flags(flags, s, int(n), int(k), int(m), int(e)),
                    "-count=1", f"-benchtime={2 * int(m)}x"]
            for _ in range(reps):
                out += fractions(go_each.run_one(exe, name, args, environ, stderr=True))
    return out


def main(argv):
    ap = argparse.ArgumentParser(
        prog="markends", description="Where Go's marks end, from gcpacertrace: "
        "percentiles of the fraction of the way from trigger to goal.")
    ap.add_argument("matrices", nargs="*", metavar="MATRIX", default=list(MATRICES),
                    help="SIZES:KEPT:ELEM (default: the check's two matrices)")
    ap.add_argument("--budget", default="64MiB", help="chooses M (default 64MiB)")
    ap.add_argument("--gogc", default="100,400", help="GOGC values")
    ap.add_argument("--repetitions", type=int, default=2,
                    help="processes per case and GOGC (default 2)")
    ap.add_argument("--repo", default=".", help="the checkout (default: .)")
    args = ap.parse_args(argv)
    if args.repetitions < 1:
        ap.error("--repetitions must be positive")
    for spec in args.matrices:
        if spec.count(":") != 2 or not all(spec.split(":")):
            ap.error(f"matrix {spec!r}: not SIZES:KEPT:ELEM")
    pooled = []
    try:
        with tempfile.TemporaryDirectory(prefix="markends.") as tmp:
            exe = gcvsgo.build_go(args.repo, tmp)
            for spec in args.matrices:
                got = matrix_fractions(exe, spec, args.budget, args.gogc,
                                       args.repetitions, args.repo)
                print(f"{spec}: {describe(got)}", flush=True)
                pooled += got
    except (go_each.GoEachError, OSError) as e:
        print(f"markends: {e}", file=sys.stderr)
        return 1
    if len(args.matrices) > 1:
        print(f"pooled: {describe(pooled)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
