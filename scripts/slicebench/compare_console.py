"""A Comparison as aligned plain-text tables for a terminal.

render(cmp, color=False): a time table (one row per case: repetitions,
medians, change, confidence interval, adjusted p, verdict, and the other
time figure's change and adjusted p), a memory table (per figure: NEW's
median, change and verdict), the geometric means, the cases on one side
only, skipped repetitions, warnings and a one-line result. With color=True
verdicts and warnings are coloured with ANSI escapes.
"""

from . import compare_format as cf
from .compare import FASTER, LESS, MORE, SLOWER

_RED, _GREEN, _YELLOW, _BOLD, _RESET = ("\033[31m", "\033[32m", "\033[33m",
                                        "\033[1m", "\033[0m")
_VERDICT_COLOR = {SLOWER: _RED, MORE: _RED, FASTER: _GREEN, LESS: _GREEN}


def _table(header, rows, colors):
    """Aligned columns; colors[i][j] is an escape sequence or ''."""
    widths = [max(len(str(r[j])) for r in [header] + rows)
              for j in range(len(header))]
    lines = ["  ".join(h.ljust(w) for h, w in zip(header, widths)).rstrip()]
    for r, cs in zip(rows, colors):
        cells = []
        for j, (cell, w) in enumerate(zip(r, widths)):
            # Numbers right-aligned, text (case, verdicts) left-aligned.
            numeric = j > 0 and cell[:1] in "+-<[0123456789–"
            text = cell.rjust(w) if numeric else cell.ljust(w)
            cells.append(f"{cs[j]}{text}{_RESET}" if cs[j] else text)
        lines.append("  ".join(cells).rstrip())
    return lines


def render(cmp, color=False):
    """The comparison as aligned text tables (see the module docstring)."""
    def paint(text, code):
        return f"{code}{text}{_RESET}" if color and code else text

    out = [f"BASE  {cf.describe(cmp.base)}", f"NEW   {cf.describe(cmp.new)}"]
    out += cf.method_lines(cmp)
    out.append("")

    rows = [cf.time_cells(cmp, r) for r in cmp.rows]
    colors = [[""] * len(rows[0]) for _ in rows]
    if color:
        for cs, r in zip(colors, cmp.rows):
            cs[cf.VERDICT_COLUMN] = _VERDICT_COLOR.get(r.time_verdict, "")
    out += _table(cf.time_header(cmp), rows, colors)

    figures = cf.memory_figures(cmp)
    out.append("")
    if figures:
        header = ["case"] + [f"{cf.MEMORY_SHORT[f]} ({f})" for f in figures]
        rows, colors = [], []
        for r in cmp.rows:
            cells, cs = [r.label], [""]
            for f in figures:
                text, verdict = cf.memory_cell(r.memory.get(f))
                cells.append(f"{text} {verdict}")
                cs.append(_VERDICT_COLOR.get(verdict, "") if color else "")
            rows.append(cells)
            colors.append(cs)
        out += _table(header, rows, colors)
    else:
        out.append("memory: no memory figures in these files")

    out.append("")
    out.append(f"geometric mean of time ratios (new/base): "
               f"overall {cf.ratio(cmp.geomean)}")
    for g, gm in cmp.geomean_by_group.items():
        out.append(f"  {g}: {cf.ratio(gm)}")
    for title, items in cf.lists(cmp):
        for item in items:
            out.append(f"{title}: {item}")
    for w in cmp.warnings:
        out.append(paint(f"warning: {w}", _YELLOW))
    out.append(paint(cf.result_line(cmp),
                     _BOLD + _RED if cmp.exit_status else _BOLD + _GREEN))
    return "\n".join(out) + "\n"
