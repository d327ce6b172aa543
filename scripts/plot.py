#!/usr/bin/python3
"""plot.py: plots, findings table and HTML report of slicebench results.

Usage: scripts/plot.py [options] RESULTS.csv [RESULTS.csv ...]

RESULTS.csv are retention results files (results/README.md) and leak
families files (families_*.csv, results/FAMILIES.md; told apart by their
`# kind=families` line), in any mix: the families get a "Leak families"
section, one table per family with the C model beside Go, in findings.md
and report.html. Families files alone give those two files only.

Writes <figure>.png (and .svg with --svg), findings.md and report.html into
<folder of the first CSV>/<run_id>/ (or --out DIR) and lists them on
standard output; a file of those names there already stops it before it
writes anything (no run replaces earlier results: give --out a new
folder). Bad input, an output that cannot be written, or a closed
or full standard output: one line on stderr, exit status 2 (matplotlib's
own warnings are silenced). The work is done by slicebench.plot; this file
only parses the command line.

Needs matplotlib (Debian: python3-matplotlib). When started by a python3
without it (e.g. a pyenv or venv interpreter), it runs itself again with
/usr/bin/python3.
"""

import argparse
import os
import sys
import warnings

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from slicebench import cli, output  # noqa: E402 (stdlib only)
from slicebench.families import load_inputs  # noqa: E402 (stdlib only)
from slicebench.results import ResultsError  # noqa: E402 (no matplotlib)
from slicebench.schema import STRATEGY_NAMES as STRATEGIES  # noqa: E402

PROG = "plot.py"
SYSTEM_PYTHON = "/usr/bin/python3"


def _need_matplotlib():
    """Run again with /usr/bin/python3 when this python3 has no matplotlib
    (checked without importing it, which is slow)."""
    from importlib.util import find_spec
    if find_spec("matplotlib") and find_spec("numpy"):
        return
    here = os.path.realpath(sys.executable or "")
    if (os.environ.get("SLICEBENCH_PLOT_REEXEC") != "1"
            and os.access(SYSTEM_PYTHON, os.X_OK)
            and here != os.path.realpath(SYSTEM_PYTHON)):
        os.environ["SLICEBENCH_PLOT_REEXEC"] = "1"
        os.execv(SYSTEM_PYTHON, [SYSTEM_PYTHON, os.path.abspath(__file__)]
                 + sys.argv[1:])
    _missing_matplotlib()


def _missing_matplotlib():
    sys.stderr.write(PROG + ": needs matplotlib and numpy "
                     "(Debian: apt-get install python3-matplotlib)\n")
    sys.exit(2)


def _positive_int(text):
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError("not a whole number: %r" % text)
    if value <= 0:
        raise argparse.ArgumentTypeError("must be positive: %r" % text)
    return value


class _Parser(cli.Parser):
    """cli.Parser, but a --help that cannot be written (other than for a
    reader gone) raises the OSError: main reports it as any standard output
    it cannot write, status 2."""

    def write(self, text, stream):
        output.emit(text, stream, end="")


def parse_args(argv):
    parser = _Parser(
        prog=PROG,
        description="Plot slicebench results (one or more CSV files: "
                    "several allocators of one run, or several runs) and "
                    "write findings.md and a self-contained report.html.")
    parser.add_argument("csv", nargs="+", metavar="RESULTS.csv",
                        help="results files (schema in results/README.md); "
                             "leak families files (families_*.csv, "
                             "results/FAMILIES.md) may be among them, or "
                             "given alone (then only their tables: no "
                             "figures, and the filters below do not apply)")
    parser.add_argument("--out", metavar="DIR",
                        help="output folder (default: <folder of the first "
                             "CSV>/<run_id>/)")
    parser.add_argument("--elem-bytes", type=_positive_int, metavar="BYTES",
                        help="element size to plot (default: the smallest "
                             "present)")
    parser.add_argument("--growth-policy", default="go", metavar="POLICY",
                        help="growth policy to plot: go, double or x1.5 "
                             "(default: go)")
    parser.add_argument("--allocator", action="append", metavar="NAME",
                        help="plot only this allocator (repeatable; default: "
                             "all present)")
    parser.add_argument("--strategy", action="append", choices=STRATEGIES,
                        metavar="NAME",
                        help="plot only this strategy (repeatable; default: "
                             "all): " + ", ".join(STRATEGIES))
    parser.add_argument("--no-report", action="store_true",
                        help="do not write report.html")
    parser.add_argument("--svg", action="store_true",
                        help="also write each figure as SVG (slower)")
    parser.add_argument("--quick", action="store_true",
                        help="fewer figures (no trade-off figure), for "
                             "scripts/sweep --quick")
    return parser.parse_args(argv)


def _fail(message):
    sys.stderr.write("%s: %s\n" % (PROG, message))
    return 2


def _quiet_matplotlib():
    """No warning or log line of matplotlib's may reach stderr: this tool's
    errors are one line (set before matplotlib is imported)."""
    import logging
    warnings.simplefilter("ignore")
    logging.getLogger("matplotlib").setLevel(logging.CRITICAL)
    os.environ.setdefault("MPLBACKEND", "Agg")


def _stdout_open():
    try:
        os.fstat(1)
        return sys.stdout is not None
    except OSError:
        return False


def _stdout_failed(error):
    """Report a failed write to standard output (full, or its reader
    gone) and point the descriptor at /dev/null, so that the interpreter's
    own flush at exit has nothing left to complain about. Returns 2."""
    try:
        null = os.open(os.devnull, os.O_WRONLY)
        os.dup2(null, sys.stdout.fileno())
    except (OSError, ValueError):
        pass
    return _fail("cannot write to standard output: %s"
                 % (error.strerror or error))


def _list(paths):
    """Print the paths written; 0, or 2 when standard output fails."""
    try:
        sys.stdout.write("".join(p + "\n" for p in paths))
        sys.stdout.flush()
        return 0
    except OSError as e:
        return _stdout_failed(e)


def main(argv=None):
    if not _stdout_open():
        return _fail("standard output is closed (it lists the files "
                     "written); give it a file or /dev/null")
    try:
        args = parse_args(sys.argv[1:] if argv is None else argv)
    except OSError as e:
        return _stdout_failed(e)
    _need_matplotlib()
    _quiet_matplotlib()
    try:
        # Read and check the files first: quick, and needs no matplotlib.
        loaded, families = load_inputs(args.csv)
        try:
            from slicebench.plot import generate
        except ImportError:
            _missing_matplotlib()
        written = generate(loaded, out_dir=args.out,
                           elem_bytes=args.elem_bytes,
                           growth_policy=args.growth_policy,
                           allocators=args.allocator,
                           strategies=args.strategy,
                           report=not args.no_report, svg=args.svg,
                           quick=args.quick, families=families)
    except ResultsError as e:
        return _fail(e)
    except KeyboardInterrupt:
        return 130
    except (ArithmeticError, ValueError, MemoryError) as e:
        # Values so extreme that matplotlib cannot lay them out.
        first = str(e).splitlines()[0] if str(e) else type(e).__name__
        return _fail("cannot draw these results: %s" % first)
    return _list(written)


if __name__ == "__main__":
    sys.exit(main())
