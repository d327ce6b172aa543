"""The findings table of a run (matplotlib-free): per source (allocator) and
strategy, at up to three representative sizes N (model.table_sizes: the
smallest N, the N nearest 64 KiB and the largest, for the k rule "16" or the
first present; the largest M when one N has several):

    time/item        median (min–max) of the repetitions, n when it varies
    vs receive-only  the median time minus receive-only's median in the same
                     case, or "≈ 0 (within spread)" when the repetitions do
                     not separate the two: their min–max ranges overlap,
                     or the difference is no larger than the run's noise
                     level (noise_level: the widest relative min–max range
                     of receive-only's cases in that source, a measured
                     figure), or it is negative: every strategy does
                     receive-only's work and more, so a time below the
                     baseline's is noise. Noise is not presented as a
                     finding.
    amplification    median held_bytes / needed_bytes

A dash marks a figure that was not measured or a case that was skipped.
Findings.markdown() is a Markdown section to paste into a README;
Findings.html() the same table in HTML.
"""

import html

from . import units
from .model import BASELINE, table_sizes

NOISE = "≈ 0 (noise)"


class Findings:
    """A table: `title`, `intro` (a paragraph), `header` (column names) and
    `rows` (lists of cell strings; the strategy cell is the bare name).
    `level` is the Markdown heading level of the title, `left` the number
    of leading text columns (the others are figures, right-aligned) and
    `code` the column of names shown as code."""

    def __init__(self, title, intro, header, rows, level=2, left=2, code=1):
        self.title = title
        self.intro = intro
        self.header = header
        self.rows = rows
        self.level = level      # Markdown heading level of the title
        self.left = left        # leading text columns; the rest are figures
        self.code = code        # the column shown as code (a name)

    def _cells(self, row, code):
        return [code(c) if i == self.code else c for i, c in enumerate(row)]

    def markdown(self):
        """The table as Markdown: a heading, a paragraph, the table."""
        def line(cells):
            return "| " + " | ".join(cells) + " |"
        out = ["#" * self.level + f" {self.title}", "", self.intro, "",
               line(self.header),
               "|" + "|".join(["---"] * self.left
                              + ["--:"] * (len(self.header) - self.left))
               + "|"]
        for row in self.rows:
            out.append(line(self._cells(row, lambda c: f"`{c}`")))
        return "\n".join(out) + "\n"

    def html(self):
        """The table as an HTML <table> (escaped)."""
        head = "".join(f"<th>{html.escape(h)}</th>" for h in self.header)
        body = []
        for row in self.rows:
            cells = self._cells([html.escape(c) for c in row],
                                lambda c: f"<code>{c}</code>")
            body.append("<tr>" + "".join(
                f"<td>{c}</td>" if i < self.left else f'<td class="num">{c}</td>'
                for i, c in enumerate(cells)) + "</tr>")
        return (f'<table class="findings"><thead><tr>{head}</tr></thead>'
                f"<tbody>{''.join(body)}</tbody></table>")


def noise_level(source):
    """The widest (max - min) / median of time per item over the
    receive-only cases of a source with two or more repetitions: how far
    repetitions of the same work spread in this run. 0 when unknown."""
    spreads = [(v.high - v.low) / v.median
               for c in source.cases if c.strategy == BASELINE
               for v in [c.value("real_time_per_item_ns")]
               if v is not None and v.n >= 2 and v.median > 0]
    return max(spreads, default=0.0)


def cost_cell(time, base, noise=0.0):
    """The "vs receive-only" cell of a case's and its baseline's Values;
    noise is the source's noise_level."""
    if time is None or base is None:
        return units.MISSING
    diff = time.median - base.median
    if diff <= 0 or (time.n >= 2 and base.n >= 2 and (
            time.overlaps(base) or diff <= noise * base.median)):
        return NOISE
    text = "+" + units.format_ns(diff)
    if time.n < 2 or base.n < 2:
        text += " (n=1, unchecked)"
    return text


def findings(sel):
    """The findings table of a Selection (see the module docstring)."""
    rule, sizes = table_sizes(sel)
    header = ["allocator", "strategy"]
    for n in sizes:
        size = units.format_bytes(n)
        header += [f"time/item, N = {size}", f"vs receive-only, N = {size}",
                   f"amplification, N = {size}"]
    counts = {len(c.repetitions) for s in sel.sources for c in s.cases
              if c.kept_rule == rule}
    varied = len(counts) > 1
    rows, noises = [], []
    for source in sel.sources:
        noise = noise_level(source)
        noises.append(f"{source.label} {units.significant(noise * 100)} %")
        for strategy in sel.strategies:
            at = {c.source_bytes: c for c in source.select(strategy, rule)}
            if not at:
                continue
            row = [source.label, strategy]
            for n in sizes:
                case = at.get(n)
                time = case.value("real_time_per_item_ns") if case else None
                amp = case.value("amplification") if case else None
                base = source.baseline(case) if case else None
                row.append(time.spread(units.format_ns, with_n=varied)
                           if time else units.MISSING)
                row.append(units.MISSING if strategy == BASELINE else
                           cost_cell(time, base.value(
                               "real_time_per_item_ns") if base else None,
                               noise))
                row.append(units.format_ratio(amp.median if amp else None))
            rows.append(row)
    fixed = f" (k = {units.format_bytes(int(rule))})" if rule.isdigit() else ""
    intro = (f"Run {sel.run_id}, {sel.describe()}, k rule {rule}{fixed}. "
             "Time is the median wall-clock time per item (in parentheses the "
             "minimum–maximum of the "
             + (f"{counts.pop()} repetitions" if len(counts) == 1
                else "n repetitions") + "). vs receive-only is the "
             "median time minus receive-only's median in the same case, or "
             f"“{NOISE}” when the repetitions do not separate them: the two "
             "ranges overlap, or the difference is within the run's noise "
             "level, the widest relative range of receive-only's own "
             f"repetitions ({', '.join(noises)}), or negative (a strategy "
             "does receive-only's work and more). "
             "Amplification is held_bytes / needed_bytes (1× holds only "
             "what was kept, 0× holds nothing). – means not measured or "
             "skipped.")
    return Findings(f"Findings: run {sel.run_id}", intro, header, rows)
