"""Writing a Comparison (see compare.py): the cells every writer shares.

One writer per format, each a module of its own, each returning the whole
output as one str ending in a newline:

    console    compare_console.render(cmp, color=False)   aligned tables
    markdown   compare_markdown.render(cmp)               pull-request comment
    json       compare_json.render(cmp)                   for machines (keys
                                                          in compare_json)
    benchstat  compare_benchstat.render(cmp, side)        Go benchmark lines

render(cmp, fmt, ...) picks one. This module holds what they share: the
text of the cells (numbers through units, the one formatter of slicebench),
the method and result lines, and the lists of cases left out.
"""

import math

from . import compare_input, units
from .compare import CI_METHOD, FASTER, INCONCLUSIVE, NA, SLOWER, TEST_METHOD

FORMATS = ("console", "markdown", "json", "benchstat")

MEMORY_SHORT = {"held_bytes": "held", "peak_rss_delta_bytes": "peak RSS",
                "allocs_per_item": "allocs/item"}


def figure_value(figure, v):
    """A memory figure's value: bytes in binary units, counts plain."""
    if figure in compare_input.BYTE_FIGURES:
        return units.format_bytes(v)
    return units.MISSING if v is None else units.significant(v)


def pct(v):
    """A signed percentage: "+10.2%", "-0.5%", "+inf%"."""
    if v is None:
        return units.MISSING
    if math.isinf(v):
        return "+inf%" if v > 0 else "-inf%"
    return ("+" if v >= 0 else "-") + units.significant(abs(v)) + "%"


def p_text(v):
    if v is None:
        return units.MISSING
    return "<0.001" if v < 0.001 else units.significant(v, 2)


def ci(ts):
    if ts.ci_low_pct is None:
        return units.MISSING if ts.hl_change_pct is None else "n too small"
    return f"[{pct(ts.ci_low_pct)}, {pct(ts.ci_high_pct)}]"


def ratio(r):
    return (units.MISSING if r is None
            else f"{units.format_ratio(r)} ({pct((r - 1) * 100)})")


def _about(side, meta):
    """What one file is: its run id, allocator and commit, or its date."""
    if side.kind == compare_input.CSV:
        bits = [meta.get("run_id"), meta.get("allocator")]
        commit = meta.get("git_commit")
        if commit and commit != "unknown":
            bits.append("commit " + commit[:12]
                        + (" dirty" if meta.get("git_dirty") == "true"
                           else ""))
    else:
        bits = [meta.get("date"), meta.get("host_name")]
    return [b for b in bits if b]


def describe(side):
    """A side's files and what they are; several files in one short line
    (how many, the first and last, and what they share)."""
    if len(side.metas) == 1:
        path, meta = side.metas[0]
        bits = _about(side, meta)
        return f"{path} ({', '.join(bits)})" if bits else path
    first, last = side.metas[0][0], side.metas[-1][0]
    shared = []
    for bits in zip(*(_about(side, m) for _, m in side.metas)):
        values = sorted(set(bits))
        if len(values) <= 3:
            shared.append("/".join(values))
    return (f"{len(side.metas)} files, {first} ... {last}"
            + (f" ({', '.join(shared)})" if shared else ""))


def method_lines(cmp):
    opt = cmp.options
    column = cmp.base.time_columns[opt.time]
    rss = ""
    if cmp.rss_precision > opt.mem_floor:
        rss = (f" (peak RSS: above {units.format_bytes(cmp.rss_precision)}, "
               "the kernel's RSS precision in these files)")
    return [
        f"time: {column}, median of the repetitions; p: {TEST_METHOD}; "
        f"CI: {opt.confidence:.0%} {CI_METHOD}",
        f"verdict: slower/faster when Holm-adjusted p < {opt.alpha:g} over "
        f"all {len(cmp.rows)} rows, U p < {opt.alpha:g} and "
        f"|change| >= {opt.min_effect:g}%",
        f"memory: medians; a change counts when above {opt.mem_threshold:g}%"
        f" and, for bytes, above {units.format_bytes(opt.mem_floor)}{rss}",
    ]


def result_line(cmp):
    c = cmp.counts()
    unsure = c[INCONCLUSIVE] + c["memory_unsure"]
    tail = ""
    if unsure:
        tail = (f"; {c[INCONCLUSIVE]} time and {c['memory_unsure']} memory "
                "verdicts inconclusive (a change that only an uncorrected test "
                "sees, or too few repetitions: by chance in a few rows of any "
                "comparison; more repetitions decide)")
    lost = ""
    if c["lost"]:
        shown = ", ".join(cmp.lost[:3]) + (", ..." if c["lost"] > 3 else "")
        lost = (f"{c['lost']} case{'s' if c['lost'] > 1 else ''} measured in "
                f"BASE did not run in NEW ({shown})")
    if c["regressed"]:
        return (f"REGRESSION in {c['regressed']} of {c['rows']} rows "
                f"({c[SLOWER]} slower, {c['memory_more']} with more memory)"
                + (f"; {lost}" if lost else "") + tail)
    if lost:
        return f"REGRESSION: {lost}; no row of {c['rows']} regressed" + tail
    return (f"no regression in {c['rows']} rows ({c[FASTER]} faster, "
            f"{c['memory_less']} with less memory)" + tail)


def other_time(cmp):
    return "cpu" if cmp.options.time == "real" else "real"


def time_header(cmp):
    return ["case", "n", "base", "new", "change",
            f"{cmp.options.confidence:.0%} CI", "adj. p", "verdict",
            f"{other_time(cmp)} change", f"{other_time(cmp)} adj. p"]


VERDICT_COLUMN = 7


def time_cells(cmp, row):
    ts = row.times[cmp.options.time]
    other = row.times[other_time(cmp)]
    return [row.label, f"{ts.n_base}/{ts.n_new}",
            units.format_ns(ts.base_median), units.format_ns(ts.new_median),
            pct(ts.change_pct), ci(ts), p_text(ts.p_adjusted), ts.verdict,
            pct(other.change_pct), p_text(other.p_adjusted)]


def memory_figures(cmp):
    return [f for f in compare_input.MEMORY
            if any(f in r.memory for r in cmp.rows)]


def memory_cell(m):
    """(text, verdict) of one memory figure of one row."""
    if m is None:
        return units.MISSING, NA
    if m.verdict == NA:
        return figure_value(m.figure, m.base if m.n_base else m.new), NA
    return f"{figure_value(m.figure, m.new)} {pct(m.change_pct)}", m.verdict


def lists(cmp):
    """(title, items) pairs for what was not compared or needs attention."""
    skipped = [f"{s.side.upper()}: {s.label}: {s.count} repetition(s) "
               f"skipped: {s.message}"
               + ("" if s.compared else " (case not compared)")
               for s in cmp.skipped]
    return [("only in BASE", cmp.only_in_base),
            ("only in NEW", cmp.only_in_new),
            ("skipped", skipped)]


def render(cmp, fmt, color=False, side=None):
    """Output in one of FORMATS (side: benchstat's "base", "new" or None
    for both)."""
    from . import (compare_benchstat, compare_console, compare_json,
                   compare_markdown)
    if fmt == "console":
        return compare_console.render(cmp, color)
    if fmt == "markdown":
        return compare_markdown.render(cmp)
    if fmt == "json":
        return compare_json.render(cmp)
    if fmt == "benchstat":
        return compare_benchstat.render(cmp, side)
    raise ValueError(f"unknown format {fmt!r}")
