"""The short summary a sweep prints at its end (no matplotlib): per source
(allocator) and a few representative N, what retain holds and what each fix
costs.

    lines = summary_lines(sel, report=None)     # a list of str
    text = summarize(results, report=None)      # the same, one str

For the k rule "16" (else the first present; model.table_sizes) at the
smallest N, the N nearest 64 KiB and the largest, one row per source and N:

    receive-only   its median time per item, the scale of the ratios
    retain held    retain's median held_bytes / needed_bytes (amplification)
    each fix       (every strategy but receive-only and retain) its median
                   time per item over receive-only's median in the same
                   case, flagged "~" when the two min–max ranges of the
                   repetitions overlap or the fix looks faster (every fix
                   does receive-only's work and more, as the findings
                   table reads it: noise) and "?" when either has one
                   repetition (nothing to check)

A dash marks a figure that was not measured or a case that was skipped.
The element size is the smallest present and the growth policy "go" when
present (else the first), as in the plots.

Command line (the sweep's use; also by hand):

    python3 -m slicebench.summary [--report PATH] RESULTS.csv...

prints the summary, then "report: PATH" when given; bad input, or a summary
that cannot be written (a full disk), is one line on stderr and exit status
2; a reader that went away (| head) ends it quietly, status 0.
"""

import sys

from . import cli, units
from .model import PlotError, relative_time, select, table_sizes
from .output import emit
from .results import ResultsError, load_many
from .schema import BASELINE

RETAIN = "retain"
NOISE_FLAG = "~"
UNCHECKED_FLAG = "?"
PROG = "summary"


def fix_cell(case, base):
    """A fix's cell: its median time over receive-only's median, flagged
    NOISE_FLAG when the min–max ranges overlap, UNCHECKED_FLAG when either
    side has a single repetition; units.MISSING without both."""
    ratio = relative_time(case, base)
    if ratio is None:
        return units.MISSING
    time = case.value("real_time_per_item_ns")
    base_time = base.value("real_time_per_item_ns")
    flag = " "
    if time.n < 2 or base_time.n < 2:
        flag = UNCHECKED_FLAG
    elif time.overlaps(base_time) or ratio.median < 1:
        flag = NOISE_FLAG
    return units.format_ratio(ratio.median) + flag


def _at(source, strategy, rule):
    """The cases of a strategy and rule by N (the largest M when an N has
    several, as in the findings table)."""
    return {c.source_bytes: c for c in source.select(strategy, rule)}


def _median(case, column, fmt, **kwargs):
    value = case.value(column) if case else None
    return fmt(value.median, **kwargs) if value else units.MISSING


def _repetitions(sel, rule):
    counts = sorted({len(c.repetitions) for s in sel.sources
                     for c in s.cases if c.kept_rule == rule})
    if len(counts) == 1:
        return f"{counts[0]} repetition" + ("s" if counts[0] != 1 else "")
    return f"{counts[0]}–{counts[-1]} repetitions"


def _align(rows, right_from):
    """Rows of cells as lines: the first `right_from` columns left-aligned,
    the rest right-aligned, two spaces between columns. A cell ending in a
    flag character or a space keeps it outside the alignment of numbers."""
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    lines = []
    for row in rows:
        cells = [c.ljust(w) if i < right_from else c.rjust(w)
                 for i, (c, w) in enumerate(zip(row, widths))]
        lines.append("  ".join(cells).rstrip())
    return lines


def summary_lines(sel, report=None):
    """The summary of a model.Selection as lines (see the module
    docstring); `report` is the report's path, shown last when given."""
    rule, sizes = table_sizes(sel)
    fixes = [s for s in sel.strategies if s not in (BASELINE, RETAIN)]
    kept = (units.format_bytes(int(rule)) if rule.isdigit() else rule)
    lines = [f"Summary of run {sel.run_id}: k = {kept}, "
             f"elem {units.format_bytes(sel.elem_bytes)}, "
             f"growth {sel.growth_policy}, medians of "
             f"{_repetitions(sel, rule)}"]
    header = ["allocator", "N"] + [
        name + " " for name in ["receive-only", "retain held"] + fixes]
    rows = [header]
    for source in sel.sources:
        bases = _at(source, BASELINE, rule)
        retains = _at(source, RETAIN, rule)
        by_fix = {f: _at(source, f, rule) for f in fixes}
        for i, n in enumerate(sizes):
            base = bases.get(n)
            row = [source.label if i == 0 else "", units.format_bytes(n),
                   _median(base, "real_time_per_item_ns", units.format_ns)
                   + " ",
                   _median(retains.get(n), "amplification",
                           units.format_ratio, compact=True) + " "]
            for fix in fixes:
                case = by_fix[fix].get(n)
                row.append(fix_cell(case, source.baseline(case))
                           if case else units.MISSING + " ")
            rows.append(row)
    table = _align(rows, right_from=2)
    width = max(len(line) for line in table)
    lines.append("-" * width)
    lines += table[:1] + ["-" * width] + table[1:] + ["-" * width]
    lines.append("receive-only: median time per item. retain held: bytes "
                 "held per byte kept (N/k if nothing else).")
    lines.append(f"{', '.join(fixes)}: time per item as a multiple of "
                 "receive-only's.")
    lines.append(f"{NOISE_FLAG} may be noise (min–max ranges overlap, or "
                 f"below 1×), {UNCHECKED_FLAG} one repetition, "
                 f"{units.MISSING} not measured or skipped.")
    if report:
        lines.append(f"report: {report}")
    return lines


def _growth(results):
    """"go" when any ok row has it, else the first ok row's policy."""
    policies = [row["growth_policy"] for res in results for row in res.rows
                if row["status"] == "ok"]
    return "go" if "go" in policies or not policies else policies[0]


def summarize(results, report=None):
    """The summary of loaded Results (slicebench.results) as one string;
    raises PlotError when no row can be shown."""
    sel = select(results, growth_policy=_growth(results))
    return "\n".join(summary_lines(sel, report)) + "\n"


def main(argv=None):
    parser = cli.Parser(
        prog=PROG,
        description="Print the end-of-sweep summary of slicebench results: "
                    "per allocator and a few N, retain's amplification and "
                    "each fix's time relative to receive-only.")
    parser.add_argument("csv", nargs="+", metavar="RESULTS.csv")
    parser.add_argument("--report", metavar="PATH",
                        help="the report's path, printed last")
    args = parser.parse_args(argv)
    try:
        text = summarize(load_many(args.csv), args.report)
    except (ResultsError, PlotError) as e:
        cli.fail(PROG, str(e), 2)
    try:
        emit(text, end="")      # a reader gone (| head) is not a failure
    except OSError as e:
        cli.fail(PROG, f"cannot write the summary: {e.strerror or e}", 2)
    return 0


if __name__ == "__main__":
    sys.exit(main())
