"""A Comparison as GitHub-flavoured Markdown, for a pull-request comment.

render(cmp): a heading with the result, the method, the time and memory
tables, the geometric means, and lists of what was left out and warnings.
"""

from . import compare_format as cf
from .compare import FASTER, LESS, MORE, NA, SLOWER


def _md(text):
    return str(text).replace("|", "\\|")


def _table(header, rows):
    align = ["---"] + ["--:" if h not in ("verdict",) else ":--"
                       for h in header[1:]]
    lines = ["| " + " | ".join(_md(h) for h in header) + " |",
             "|" + "|".join(align) + "|"]
    lines += ["| " + " | ".join(_md(c) for c in r) + " |" for r in rows]
    return lines


def render(cmp):
    """The comparison as GitHub Markdown (see the module docstring)."""
    icon = ":x:" if cmp.exit_status else ":white_check_mark:"
    out = [f"### slicebench comparison: {icon} {cf.result_line(cmp)}", "",
           f"BASE `{cf.describe(cmp.base)}`  ",
           f"NEW `{cf.describe(cmp.new)}`", ""]
    out += [f"- {line}" for line in cf.method_lines(cmp)]
    out.append("")

    rows = []
    for r in cmp.rows:
        cells = cf.time_cells(cmp, r)
        cells[0] = f"`{cells[0]}`"
        if r.time_verdict in (SLOWER, FASTER):
            v = cf.VERDICT_COLUMN
            cells[v] = f"**{cells[v]}**"
        rows.append(cells)
    out += _table(cf.time_header(cmp), rows)

    figures = cf.memory_figures(cmp)
    out.append("")
    if figures:
        header = ["case"] + list(figures)
        rows = []
        for r in cmp.rows:
            cells = [f"`{r.label}`"]
            for f in figures:
                m = r.memory.get(f)
                text, verdict = cf.memory_cell(m)
                if m is not None and m.verdict != NA:
                    text = f"{cf.figure_value(f, m.base)} → {text}"
                v = f"**{verdict}**" if verdict in (MORE, LESS) else verdict
                cells.append(f"{text} {v}")
            rows.append(cells)
        out.append("Memory (median BASE → NEW, change, verdict):")
        out.append("")
        out += _table(header, rows)
    else:
        out.append("Memory: no memory figures in these files.")

    out += ["", f"**Geometric mean** of time ratios (new/base): overall "
            f"{cf.ratio(cmp.geomean)}"
            + "".join(f"; {g} {cf.ratio(gm)}"
                      for g, gm in cmp.geomean_by_group.items())]
    for title, items in cf.lists(cmp):
        if items:
            out += ["", f"**{title[0].upper() + title[1:]}:**", ""]
            out += [f"- `{_md(i)}`" if title.startswith("only") else
                    f"- {_md(i)}" for i in items]
    if cmp.warnings:
        out += ["", "**Warnings:**", ""]
        out += [f"- :warning: {_md(w)}" for w in cmp.warnings]
    return "\n".join(out) + "\n"
