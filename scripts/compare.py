#!/usr/bin/python3
"""compare.py BASE NEW: did NEW regress against BASE, in time or memory?

BASE and NEW are two results files of the same kind: slicebench CSV files
(results/README.md) or Google Benchmark JSON files (--benchmark_out=FILE
--benchmark_out_format=json); the format is told from the content. Cases
are matched by all their parameters (CSV) or their run name (JSON); cases
in only one file and repetitions that were skipped are listed.

Time: every repetition counts; the verdict is "slower"/"faster" only when
the two-sided Mann-Whitney U test gives p < --alpha AND the median changed by
at least --min-effect percent. The confidence interval is the
Hodges-Lehmann one for the ratio of times (distribution-free, no
resampling). Memory (held_bytes, peak_rss_delta_bytes, allocs_per_item):
medians; a change counts when it is above --mem-threshold percent and, for
bytes, above --mem-floor bytes. A row regressed when it is "slower" or uses
"more" memory. See scripts/slicebench/compare.py for the whole method and
scripts/slicebench/compare_format.py for the output formats (the JSON keys).

Output formats (--format):
  console    aligned tables; colour with --color=auto|always|never
  markdown   for a pull-request comment
  json       for machines
  benchstat  one input (--side base|new) as Go benchmark lines:
             compare.py --format benchstat --side base A B > base.txt
             compare.py --format benchstat --side new  A B > new.txt
             benchstat base.txt new.txt

Exit status: 0 no regression, 1 regression (time "slower" or memory "more"),
2 bad input (one line on stderr: compare.py: FILE: problem).
"""

import argparse
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from slicebench import compare, compare_format  # noqa: E402
from slicebench.results import ResultsError  # noqa: E402

PROG = "compare.py"


def _nonneg(text):
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number")
    if not value >= 0:
        raise argparse.ArgumentTypeError(f"{text!r} is negative")
    return value


def _alpha(text):
    value = _nonneg(text)
    if not 0 < value < 1:
        raise argparse.ArgumentTypeError(f"{text!r} is not between 0 and 1")
    return value


def parse_args(argv):
    p = argparse.ArgumentParser(
        prog=PROG,
        description="Compare two benchmark runs (slicebench CSV or Google "
                    "Benchmark JSON) and say whether NEW regressed.",
        epilog="Exit status: 0 no regression, 1 regression, 2 bad input.")
    p.add_argument("base", metavar="BASE", help="results file of the baseline")
    p.add_argument("new", metavar="NEW", help="results file to judge")
    p.add_argument("--format", choices=compare_format.FORMATS,
                   default="console", help="output format (default console)")
    p.add_argument("--side", choices=("base", "new"),
                   help="with --format benchstat: which input to write")
    p.add_argument("--time", choices=("real", "cpu"), default="real",
                   help="time figure the verdict uses (default real; both "
                        "are shown)")
    p.add_argument("--alpha", type=_alpha, default=0.05,
                   help="significance level of the test; the confidence "
                        "intervals are at 1 - alpha (default 0.05)")
    p.add_argument("--min-effect", type=_nonneg, default=5.0, metavar="PCT",
                   help="smallest median time change, percent, that can be "
                        "flagged (default 5)")
    p.add_argument("--mem-threshold", type=_nonneg, default=1.0,
                   metavar="PCT",
                   help="a memory change must exceed this percent of BASE "
                        "(default 1)")
    p.add_argument("--mem-floor", type=_nonneg, default=compare.PAGE_BYTES,
                   metavar="BYTES",
                   help="and, for bytes, this many bytes (default 4096, one "
                        "page)")
    p.add_argument("--color", choices=("auto", "always", "never"),
                   default="auto",
                   help="colour the console output (default auto: when "
                        "stdout is a terminal)")
    args = p.parse_args(argv)
    if args.format == "benchstat" and args.side is None:
        p.error("--format benchstat needs --side base or --side new")
    return args


def main(argv=None):
    args = parse_args(sys.argv[1:] if argv is None else argv)
    options = compare.Options(alpha=args.alpha, min_effect=args.min_effect,
                              mem_threshold=args.mem_threshold,
                              mem_floor=args.mem_floor, time=args.time)
    try:
        cmp = compare.compare_files(args.base, args.new, options)
    except ResultsError as e:
        print(f"{PROG}: {e}", file=sys.stderr)
        return 2
    color = args.color == "always" or (args.color == "auto"
                                       and sys.stdout.isatty())
    text = compare_format.render(cmp, args.format, color=color,
                                 side=args.side or "base")
    try:
        sys.stdout.write(text)
        sys.stdout.flush()
    except BrokenPipeError:
        # The reader went away (| head); the verdict still stands.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    return cmp.exit_status


if __name__ == "__main__":
    sys.exit(main())
