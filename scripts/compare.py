#!/usr/bin/python3
"""compare.py: did NEW regress against BASE, in time or memory?

Usage:
  compare.py [options] BASE NEW
  compare.py [options] --base FILE... --new FILE...

Each side is one results file or several, all of one kind: slicebench CSV
files (results/README.md) or Google Benchmark JSON files (--benchmark_out=
FILE --benchmark_out_format=json); the kind is told from the content.
Several CSV files per side pair up by allocator (each case's parameters
include it: `--base BASE_glibc.csv BASE_mimalloc.csv --new NEW_*.csv`), and
several runs of one allocator pool their repetitions. Cases on one side only
and repetitions that were skipped are listed.

Time: every repetition is one independent sample (each runs in a process of
its own). Per case: the median change, a robust t-test on log times
(medians and their spread by the MAD) with Holm's correction over all rows (so an A/A comparison of rows on one
level each exits 1 in at most --alpha of runs, however many rows; two-level
rows: below), a Mann-Whitney U test that must agree,
and a Hodges-Lehmann confidence interval. Times that fall on two levels
(a process lands on one or the other, as a Go case's do) are judged by how
many repetitions land on each (Fisher's exact test) instead of the t-test;
at 5 per side that cannot pass a correction over more than 6 rows, so
such a row is at most "inconclusive" (a clean shift with one repetition
of BASE already on NEW's level too; with 10 per side it is flagged).
A row is "slower"/"faster" when
both tests pass at --alpha, the median changed by at least --min-effect
percent and, for real time, CPU time changed the same way by at least
--min-effect and half as much (else a warning: a process that waited for
a CPU on a loaded machine). "inconclusive": the median moved by
--min-effect or more and the U test alone sees it, or too few repetitions
tell nothing, or the clocks disagree: not a regression, not "no change";
more repetitions decide. The U test needs 4 repetitions per side at alpha 0.05; with
fewer, a warning says so and no time verdict is given. Measured on a
--quick sweep of this project's machine (56 rows): with 10 per side a 10 %
slowdown is caught in most rows, with 5 only in the quietest. Where every
row lands on two levels half the time, an A/A comparison exits 1 in about
7 % of runs with 5 per side (a side's five on one level looks like a
shift) and under 1 % with 10.

Memory (held_bytes, peak_rss_delta_bytes, allocs_per_item): medians; a
change counts when above --mem-threshold percent and, for bytes, above
--mem-floor bytes (peak RSS: above the larger of that and the kernel's RSS
precision recorded in the files, rss_precision_bytes), and above the spread
of either side's repetitions. A figure that varies between repetitions
(Go's peak RSS moves with its collector) also needs a U test, Holm-adjusted
together with the time tests (about 8 repetitions per side); a change
past the thresholds and the spread that the test cannot confirm is
"inconclusive". A row regressed when it is "slower" or uses "more" memory,
and a case measured in BASE that did not run in NEW (missing, or skipped
in every repetition) fails the comparison too (exit 1). A warning says when
BASE and NEW ran on different machines or with different settings.
Method: scripts/slicebench/compare.py; JSON keys: compare_json.py.

Output formats (--format):
  console    aligned tables; colour with --color=auto|always|never
  markdown   for a pull-request comment
  json       for machines
  benchstat  Go benchmark lines of both sides, `side: base` / `side: new`
             telling them apart:
               compare.py --format benchstat BASE NEW > both.txt
               benchstat -col side both.txt
             or one side per file, for a benchstat that wants two files:
               compare.py --format benchstat --side base BASE NEW > b.txt
               compare.py --format benchstat --side new  BASE NEW > n.txt
               benchstat b.txt n.txt

Exit status: 0 no regression, 1 regression (time "slower" or memory
"more"), 2 bad input or options, or output that could not be written (one
line on stderr: compare.py: problem).
"""

import argparse
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from slicebench import cli, reexec  # noqa: E402 (no numpy or scipy)

PROG = "compare.py"
USAGE = (f"{PROG} [options] BASE NEW  |  {PROG} [options] --base FILE... "
         "--new FILE...")


def _number(text):
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number")
    if not value >= 0 or value == float("inf"):
        raise argparse.ArgumentTypeError(f"{text!r} is not a finite number "
                                         ">= 0")
    return value


def _alpha(text):
    value = _number(text)
    if not 0 < value < 1:
        raise argparse.ArgumentTypeError(f"{text!r} is not between 0 and 1")
    return value


def parse_args(argv):
    p = cli.Parser(prog=PROG, usage=USAGE,
                   description=__doc__.split("\n", 1)[1],
                   formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("files", nargs="*", metavar="BASE NEW",
                   help="one results file per side")
    p.add_argument("--base", nargs="+", metavar="FILE",
                   help="the baseline's results files (with --new)")
    p.add_argument("--new", nargs="+", metavar="FILE",
                   help="the results files to judge (with --base)")
    p.add_argument("--format", choices=("console", "markdown", "json",
                                        "benchstat"),
                   default="console", help="output format (default console)")
    p.add_argument("--side", choices=("base", "new"),
                   help="with --format benchstat: write this side only "
                        "(default: both, told apart by `side:` lines)")
    p.add_argument("--time", choices=("real", "cpu"), default="real",
                   help="time figure the verdict uses (default real; both "
                        "are shown)")
    p.add_argument("--alpha", type=_alpha, default=0.05,
                   help="chance that an A/A comparison flags any row "
                        "(family-wise); the confidence intervals are at "
                        "1 - alpha (default 0.05)")
    p.add_argument("--min-effect", type=_number, default=5.0, metavar="PCT",
                   help="smallest median time change, percent, that can be "
                        "flagged (default 5)")
    p.add_argument("--mem-threshold", type=_number, default=1.0,
                   metavar="PCT",
                   help="a memory change must exceed this percent of BASE "
                        "(default 1)")
    p.add_argument("--mem-floor", type=_number, default=4096.0,
                   metavar="BYTES",
                   help="and, for bytes, this many bytes (default 4096, one "
                        "page; peak RSS: at least the files' "
                        "rss_precision_bytes)")
    p.add_argument("--color", choices=("auto", "always", "never"),
                   default="auto",
                   help="colour the console output (default auto: when "
                        "stdout is a terminal)")
    args = p.parse_args(argv)
    if args.base or args.new:
        if args.files:
            p.error("give the sides either as BASE NEW or with --base and "
                    "--new, not both")
        if not (args.base and args.new):
            p.error("--base and --new go together")
    elif len(args.files) != 2:
        p.error(f"expected BASE and NEW, got {len(args.files)} file(s); "
                "several files per side go with --base and --new")
    else:
        args.base, args.new = [args.files[0]], [args.files[1]]
    if args.side is not None and args.format != "benchstat":
        p.error("--side goes with --format benchstat")
    return args


def _write(text):
    """Write the output; return an error line or None. A reader that went
    away (| head) is not an error: the verdict still stands."""
    from slicebench import output
    if sys.stdout is None:
        return "standard output is closed; nothing written"
    try:
        output.emit(text, end="")
    except (OSError, ValueError) as e:
        return f"cannot write the output: {getattr(e, 'strerror', e) or e}"
    return None


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    if sys.stdout is None:          # started with fd 1 closed (>&-)
        cli.fail(PROG, "standard output is closed; nothing written", 2)
    args = parse_args(argv)
    reexec.need(PROG, ("numpy", "scipy"), __file__, argv)
    from slicebench import compare, compare_format
    from slicebench.results import ResultsError

    options = compare.Options(alpha=args.alpha, min_effect=args.min_effect,
                              mem_threshold=args.mem_threshold,
                              mem_floor=args.mem_floor, time=args.time)
    try:
        cmp = compare.compare_files(args.base, args.new, options)
    except ResultsError as e:
        cli.fail(PROG, str(e), 2)
    color = args.color == "always" or (
        args.color == "auto" and sys.stdout is not None
        and sys.stdout.isatty())
    text = compare_format.render(cmp, args.format, color=color,
                                 side=args.side)
    problem = _write(text)
    if problem:
        cli.fail(PROG, problem, 2)
    return cmp.exit_status


if __name__ == "__main__":
    try:
        sys.exit(main())
    except KeyboardInterrupt:
        sys.exit(130)
