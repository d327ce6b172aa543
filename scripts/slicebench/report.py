"""Text reports of a run: the findings table and the self-contained HTML page.

findings(sel) -> Findings
    Per source (allocator) and strategy, the median time per item and the
    amplification (held_bytes / needed_bytes) at up to three representative
    sizes: the smallest N, the N nearest 64 KiB and the largest N, for the k
    rule "16" (or the first k rule present when there is no "16"). When one N
    has cases of several M, the one with the largest M is used. A dash marks
    a figure that was not measured or a case that was skipped.
    Findings.markdown() is a Markdown section to paste into a README;
    Findings.html() is the same table as HTML. table_sizes(sel) returns that
    k rule and those sizes (the trade-off figure's columns use them too).

render_html(sel, images, findings) -> str
    One HTML page with no external resources: the case and filters, the
    findings table, every plot as a PNG data: URI with its caption, the
    skipped cases, and the metadata of every input file side by side.

`sel` is a slicebench.plot.Selection; this module only reads it, and imports
nothing from slicebench.plot.
"""

import base64
import html
import math
import os

from . import units

REFERENCE_N = 64 * 1024         # the "middle" size of the findings table
PREFERRED_RULE = "16"

# Metadata keys in the order results/README.md lists them; others follow.
META_ORDER = ("schema_version", "run_id", "date", "git_commit", "git_dirty",
              "host", "cpu_model", "cpus", "compiler", "build_type",
              "allocator", "allocator_version", "allocator_settings",
              "slicebench_version", "benchmark_library_version",
              "budget_bytes", "command")


class Findings:
    """A table: `title`, `intro` (a paragraph), `header` (column names) and
    `rows` (lists of cell strings; the strategy cell is the bare name)."""

    def __init__(self, title, intro, header, rows):
        self.title = title
        self.intro = intro
        self.header = header
        self.rows = rows

    def markdown(self):
        """The table as Markdown: a heading, a paragraph, the table."""
        def line(cells):
            return "| " + " | ".join(cells) + " |"
        out = [f"## {self.title}", "", self.intro, "",
               line(self.header),
               "|" + "|".join(["---"] * 2 + ["--:"] * (len(self.header) - 2))
               + "|"]
        for row in self.rows:
            out.append(line([row[0], f"`{row[1]}`"] + row[2:]))
        return "\n".join(out) + "\n"

    def html(self):
        """The table as an HTML <table> (escaped)."""
        head = "".join(f"<th>{html.escape(h)}</th>" for h in self.header)
        body = []
        for row in self.rows:
            cells = [f"<td>{html.escape(row[0])}</td>",
                     f"<td><code>{html.escape(row[1])}</code></td>"]
            cells += [f'<td class="num">{html.escape(c)}</td>'
                      for c in row[2:]]
            body.append("<tr>" + "".join(cells) + "</tr>")
        return (f'<table class="findings"><thead><tr>{head}</tr></thead>'
                f"<tbody>{''.join(body)}</tbody></table>")


def representative_sizes(sizes, reference=REFERENCE_N):
    """The smallest size, the one nearest `reference` (on a log scale) and
    the largest, without repeats, in increasing order."""
    sizes = sorted(set(sizes))
    if not sizes:
        return []
    middle = min(sizes, key=lambda n: (abs(math.log2(n / reference))
                                       if n > 0 else math.inf, n))
    return sorted({sizes[0], middle, sizes[-1]})


def table_sizes(sel):
    """(k rule, sizes) of the findings table of a Selection: the rule "16"
    (else the first rule present) and the representative sizes N of that
    rule's cases. The trade-off figure uses the same sizes."""
    rule = (PREFERRED_RULE if PREFERRED_RULE in sel.kept_rules
            else sel.kept_rules[0])
    sizes = representative_sizes(
        c.source_bytes for s in sel.sources for c in s.cases
        if c.kept_rule == rule and c.source_bytes > 0)
    return rule, sizes


def findings(sel):
    """The findings table of a Selection (see the module docstring)."""
    rule, sizes = table_sizes(sel)
    header = ["allocator", "strategy"]
    for n in sizes:
        size = units.format_bytes(n)
        header += [f"time/item, N = {size}", f"amplification, N = {size}"]
    rows = []
    for source in sel.sources:
        for strategy in sel.strategies:
            at = {}
            for case in source.select(strategy, rule):
                at[case.source_bytes] = case    # sorted by M: largest M wins
            if not at:
                continue
            row = [source.label, strategy]
            for n in sizes:
                case = at.get(n)
                time = case.value("real_time_per_item_ns") if case else None
                amp = case.value("amplification") if case else None
                row += [units.format_ns(time.median if time else None),
                        units.format_ratio(amp.median if amp else None)]
            rows.append(row)
    fixed = f"k = {units.format_bytes(int(rule))}" if rule.isdigit() else ""
    intro = (f"Run {sel.run_id}, {sel.describe()}, k rule {rule}"
             + (f" ({fixed})" if fixed else "") + ". "
             "Time is the median wall-clock time per item; amplification is "
             "held_bytes / needed_bytes (1× holds only what was kept, "
             "0× holds nothing). – means not measured or skipped.")
    return Findings(f"Findings: run {sel.run_id}", intro, header, rows)


_CSS = """
body { font-family: sans-serif; color: #222; margin: 2em auto;
       max-width: 1200px; padding: 0 1em; line-height: 1.4; }
h1 { font-size: 1.6em; margin-bottom: 0.2em; }
h2 { font-size: 1.25em; margin-top: 2em; border-bottom: 1px solid #ccc; }
table { border-collapse: collapse; margin: 0.8em 0; font-size: 0.9em; }
th, td { border: 1px solid #ccc; padding: 0.25em 0.6em; text-align: left;
         vertical-align: top; }
th { background: #f2f2f2; }
td.num { text-align: right; white-space: nowrap; }
table.meta td { word-break: break-all; max-width: 28em; }
figure { margin: 1.5em 0; }
figure img { max-width: 100%; height: auto; border: 1px solid #eee; }
figcaption { font-size: 0.9em; color: #444; max-width: 60em; }
code { background: #f4f4f4; padding: 0 0.2em; }
.note { color: #555; font-size: 0.9em; }
"""


def _esc(text):
    return html.escape(str(text), quote=True)


def _metadata_table(results):
    keys = [k for k in META_ORDER if any(k in r.meta for r in results)]
    keys += sorted({k for r in results for k in r.meta} - set(keys))
    head = "<th>key</th>" + "".join(
        f'<th title="{_esc(r.path)}">{_esc(os.path.basename(r.path))}</th>'
        for r in results)
    body = []
    for key in keys:
        cells = "".join(f"<td>{_esc(r.meta.get(key, ''))}</td>"
                        for r in results)
        body.append(f"<tr><th>{_esc(key)}</th>{cells}</tr>")
    return (f'<table class="meta"><thead><tr>{head}</tr></thead>'
            f"<tbody>{''.join(body)}</tbody></table>")


def _selection_list(sel):
    files = ", ".join(f"<code>{_esc(p)}</code>" for p in sel.paths)
    items = [f"<li>files: {files}</li>",
             "<li>allocators: "
             f"{_esc(', '.join(s.label for s in sel.sources))}</li>",
             "<li>element size: "
             f"{_esc(units.format_bytes(sel.elem_bytes))}</li>",
             f"<li>growth policy: <code>{_esc(sel.growth_policy)}</code></li>",
             f"<li>strategies: {_esc(', '.join(sel.strategies))}</li>",
             f"<li>k rules: {_esc(', '.join(sel.kept_rules))}</li>",
             "<li>M (items per batch): "
             f"{_esc(', '.join(map(str, sel.items)))}</li>"]
    return "<ul>" + "".join(items) + "</ul>"


def _skipped_list(sel):
    if not sel.skipped:
        return '<p class="note">No case was skipped.</p>'
    items = "".join(
        f"<li>{_esc(label)}: <code>{_esc(bench)}</code>"
        + (f" — {_esc(message)}" if message else "") + "</li>"
        for label, bench, message in sel.skipped)
    return ('<p class="note">These cases have no figures and are left out of '
            f"the plots and the table.</p><ul>{items}</ul>")


def render_html(sel, images, findings_table):
    """The report page as a string. images: (Plot, PNG bytes) pairs, in the
    order to show them."""
    figures = []
    for plot, png in images:
        uri = "data:image/png;base64," + base64.b64encode(png).decode("ascii")
        figures.append(
            f'<figure id="{_esc(plot.name)}"><img src="{uri}" '
            f'alt="{_esc(plot.title)}"><figcaption><b>{_esc(plot.title)}.'
            f"</b> {_esc(plot.caption)}</figcaption></figure>")
    title = f"slicebench run {sel.run_id}"
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{_esc(title)}</title>
<style>{_CSS}</style>
</head>
<body>
<h1>{_esc(title)}</h1>
<p class="note">{_esc(sel.describe())}. Memory retained by subslices: keeping
<code>b[:k]</code> of an N-byte buffer keeps all N bytes alive. Each
strategy receives M buffers of N bytes and keeps k bytes of each in its own
way (receive-only keeps nothing: the baseline).</p>
<h2>Selection</h2>
{_selection_list(sel)}
<h2>Findings</h2>
<p class="note">{_esc(findings_table.intro)}</p>
{findings_table.html()}
<h2>Plots</h2>
{''.join(figures)}
<h2>Skipped cases</h2>
{_skipped_list(sel)}
<h2>Input files</h2>
{_metadata_table(sel.results)}
</body>
</html>
"""
