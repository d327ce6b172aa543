"""Figures of a slicebench run, and the folder of plots and reports they go to.

Pipeline (each step is a function you can call on its own):

    results = results.load_many(paths)         # slicebench.results
    sel = select(results, elem_bytes=None, growth_policy="go",
                 allocators=None, strategies=None)
    plots = make_plots(sel)                    # list of Plot
    paths = generate(paths, out_dir=None, ...) # all of the above, then write
                                               # (also takes loaded results)

Selection
    `select` keeps the rows with status "ok" that match the filters and groups
    them into sources (one per input file and allocator; the label is the
    allocator, with the run id or file name added when two files share one)
    and cases (one per parameter combination and k rule). A case's value for a
    figure is its `median` aggregate row, or the median of its repetitions
    when the file has no aggregate rows; its error bar spans the minimum to
    the maximum of its repetitions (drawn only with two or more). Skipped rows
    and empty cells are left out, never drawn as zero. A filter that matches
    nothing raises PlotError naming the files and the values present.

Figures (Plot.name; each is skipped when it would be empty)
    time           real_time_per_item_ns vs N, a line per strategy
    held           held_bytes vs N, needed bytes (M x k) as a dashed floor
    rss            peak_rss_delta_bytes vs N, same floor
    amplification  retain's held/needed and peak-RSS/needed vs N/k, a line
                   per allocator, with the line amplification = N/k
    tradeoff       time per item relative to receive-only's against
                   amplification, a marker per strategy and source; panels:
                   k rules (rows) by the findings table's representative N
                   (columns), sources told apart by marker fill
    The other figures have one panel per k rule; with several sources, a grid
    of k rules (rows) by sources (columns). All axes are logarithmic, so
    values of zero (what receive-only holds) have no point; the caption says
    so when it happens.

Output
    `generate` writes <name>.png and <name>.svg per figure, findings.md and
    report.html (see slicebench.report) into the output folder, by default
    <folder of the first CSV>/<run_id>/. It writes only those names (each
    through a temporary file renamed over the old one) and never deletes
    anything. Nothing is created until every input has been read, checked
    and drawn.

Figures are built on matplotlib.figure.Figure with the Agg canvas; pyplot and
its global state are not used.
"""

import io
import math
import os
import re
import statistics
import tempfile

import matplotlib
from matplotlib import ticker, transforms
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from . import report as report_mod     # report imports nothing from here
from . import units
from .results import (STRATEGIES, Results, ResultsError, case_key,
                      load_many)


class PlotError(ResultsError):
    """Inputs that load but cannot be plotted (no row matches a filter)."""


# What each strategy does, as the legends say it after the strategy's name.
STRATEGY_GLOSS = {
    "receive-only": "baseline: receive and drop",
    "retain": "keep b[:k]",
    "copy": "make + copy",
    "append": "one accumulator, grown by the policy",
    "exactcap": "accumulator made with cap M×k",
    "append-nil": "append([]T(nil), b[:k]...)",
    "append-each": "append element by element",
}

# (colour, marker, line style) per strategy; fixed so that every figure of a
# report uses the same look for the same strategy.
STRATEGY_STYLE = {
    "receive-only": ("#7f7f7f", "o", ":"),
    "retain": ("#d62728", "X", "-"),
    "copy": ("#1f77b4", "s", "-"),
    "append": ("#2ca02c", "^", "-"),
    "exactcap": ("#9467bd", "D", "--"),
    "append-nil": ("#ff7f0e", "v", "-."),
    "append-each": ("#8c564b", "P", "-"),
}
ALLOCATOR_STYLE = {
    "glibc": ("#1f77b4", "o", "-"),
    "mimalloc": ("#2ca02c", "s", "-"),
    "jemalloc": ("#ff7f0e", "^", "-"),
}
_SPARE_STYLES = (("#e377c2", "h", "-"), ("#17becf", "*", "-"),
                 ("#bcbd22", "p", "-"), ("#000000", "d", "-"))

ERROR_BARS = "bars: min–max of repetitions"
FIGURE_NAMES = ("time", "held", "rss", "amplification", "tradeoff")
FINDINGS_FILE = "findings.md"
REPORT_FILE = "report.html"
PNG_DPI = 110


def strategy_label(strategy):
    """The legend text of a strategy: its exact name and a short gloss."""
    gloss = STRATEGY_GLOSS.get(strategy)
    return f"{strategy} ({gloss})" if gloss else strategy


def _style(table, key, index):
    return table.get(key, _SPARE_STYLES[index % len(_SPARE_STYLES)])


def _rule_order(rule):
    # Fixed sizes first, ascending; then fractions of N, smallest first.
    if rule.isdigit():
        return (0, int(rule), rule)
    match = re.fullmatch(r"N/(\d+)", rule)
    if match and int(match.group(1)) > 0:
        return (1, 1.0 / int(match.group(1)), rule)
    return (2, 0, rule)


def _strategy_order(strategy):
    if strategy in STRATEGIES:
        return (STRATEGIES.index(strategy), strategy)
    return (len(STRATEGIES), strategy)


# ---------------------------------------------------------------------------
# Selection: rows -> sources -> cases
# ---------------------------------------------------------------------------

class Value:
    """A case's figure: `median` (the plotted value) and, with two or more
    repetitions, `low` and `high` (their minimum and maximum, else None)."""

    __slots__ = ("median", "low", "high", "repetitions")

    def __init__(self, median, low=None, high=None, repetitions=0):
        self.median = median
        self.low = low
        self.high = high
        self.repetitions = repetitions

    def __repr__(self):
        return (f"Value({self.median!r}, low={self.low!r}, "
                f"high={self.high!r}, repetitions={self.repetitions})")


class Case:
    """One parameter combination of one source: its repetition rows and its
    `median` aggregate row (or None)."""

    def __init__(self, first_row, repetitions, median_row):
        self.strategy = first_row["strategy"]
        self.allocator = first_row["allocator"]
        self.source_bytes = first_row["source_bytes"]   # N, bytes
        self.kept_bytes = first_row["kept_bytes"]       # k, bytes
        self.kept_rule = first_row["kept_rule"]         # "16", "N/8", ...
        self.items = first_row["items"]                 # M
        self.elem_bytes = first_row["elem_bytes"]
        self.growth_policy = first_row["growth_policy"]
        self.repetitions = repetitions
        self.median_row = median_row

    def value(self, column):
        """The Value of one figure column, or None when it was not measured."""
        reps = [r[column] for r in self.repetitions if r[column] is not None]
        median = self.median_row[column] if self.median_row else None
        if median is None:
            if not reps:
                return None
            median = statistics.median(reps)
        if len(reps) >= 2:
            return Value(median, min(reps), max(reps), len(reps))
        return Value(median, repetitions=len(reps))

    def ratio(self):
        """N/k, the amplification retain would have if nothing else held."""
        if not self.kept_bytes:
            return None
        return self.source_bytes / self.kept_bytes


class Source:
    """The cases of one input file and allocator, under a legend label."""

    def __init__(self, results, allocator, label, cases):
        self.results = results      # the slicebench.results.Results
        self.allocator = allocator
        self.label = label
        self.cases = cases          # list of Case, in file order

    def select(self, strategy=None, kept_rule=None):
        """The cases of one strategy and/or k rule, ordered by N then M."""
        found = [c for c in self.cases
                 if (strategy is None or c.strategy == strategy)
                 and (kept_rule is None or c.kept_rule == kept_rule)]
        return sorted(found, key=lambda c: (c.source_bytes, c.items))


class Selection:
    """What the figures show: the chosen sources and the filters used."""

    def __init__(self, results, sources, elem_bytes, growth_policy, skipped):
        self.results = results              # every input file, in order
        self.sources = sources              # list of Source
        self.elem_bytes = elem_bytes
        self.growth_policy = growth_policy
        self.skipped = skipped      # (source label, benchmark, message)
        cases = [c for s in sources for c in s.cases]
        self.strategies = sorted({c.strategy for c in cases},
                                 key=_strategy_order)
        self.kept_rules = sorted({c.kept_rule for c in cases},
                                 key=_rule_order)
        self.items = sorted({c.items for c in cases})
        self.max_repetitions = max((len(c.repetitions) for c in cases),
                                   default=0)

    @property
    def paths(self):
        return [r.path for r in self.results]

    @property
    def run_id(self):
        """The run id of the first input file (else its file name)."""
        first = self.results[0]
        run = first.meta.get("run_id", "")
        return run or os.path.splitext(os.path.basename(first.path))[0]

    def describe(self, with_sources=True):
        """One line naming the case: allocators, element size, growth, M."""
        parts = []
        if with_sources:
            parts.append(", ".join(s.label for s in self.sources))
        parts.append(f"elem {units.format_bytes(self.elem_bytes)}")
        parts.append(f"growth {self.growth_policy}")
        if len(self.items) == 1:
            parts.append(f"M = {self.items[0]}")
        else:
            parts.append("M varies")
        return " · ".join(parts)


def _where(results):
    return ", ".join(r.path for r in results)


def select(results, elem_bytes=None, growth_policy="go", allocators=None,
           strategies=None):
    """Filter loaded results (a list of slicebench.results.Results) and group
    them into a Selection.

    growth_policy: keep rows of this policy ("go" by default).
    allocators, strategies: iterables of names to keep; None keeps all.
    elem_bytes: keep this element size; None picks the smallest one left
    after the other filters.
    Raises PlotError when no row is left after a filter.
    """
    where = _where(results)
    pairs = [(res, row) for res in results for row in res.rows]
    ok = [(res, row) for res, row in pairs if row["status"] == "ok"]
    if not ok:
        raise PlotError(f"{where}: no rows with status ok "
                        "(every benchmark was skipped)")

    def narrow(rows, column, wanted, shown):
        kept = [(res, row) for res, row in rows if row[column] in wanted]
        if not kept:
            present = sorted({str(row[column]) for _, row in rows})
            raise PlotError(f"{where}: no rows with {column}={shown} "
                            f"(present: {', '.join(present)})")
        return kept

    ok = narrow(ok, "growth_policy", {growth_policy}, growth_policy)
    if allocators:
        ok = narrow(ok, "allocator", set(allocators), ",".join(allocators))
    if strategies:
        ok = narrow(ok, "strategy", set(strategies), ",".join(strategies))
    if elem_bytes is None:
        elem_bytes = min(row["elem_bytes"] for _, row in ok)
    ok = narrow(ok, "elem_bytes", {elem_bytes}, str(elem_bytes))

    # Group by (file, allocator) in input order, then by case.
    grouped = {}
    for res, row in ok:
        source = grouped.setdefault((id(res), row["allocator"]),
                                    (res, row["allocator"], []))
        source[2].append(row)
    labels = _source_labels([(res, alloc)
                             for res, alloc, _ in grouped.values()])
    sources = []
    for (res, allocator, rows), label in zip(grouped.values(), labels):
        built = _cases_of(rows)
        if built:
            sources.append(Source(res, allocator, label, built))
    if not sources:
        raise PlotError(f"{where}: no repetition or median rows left "
                        "after the filters")

    # Skipped cases that the filters would otherwise have shown.
    label_of = {(id(s.results), s.allocator): s.label for s in sources}
    skipped, seen = [], set()
    for res, row in pairs:
        key = (id(res), row["allocator"])
        if (row["status"] != "ok" and key in label_of
                and row["growth_policy"] == growth_policy
                and row["elem_bytes"] == elem_bytes
                and (not strategies or row["strategy"] in strategies)):
            case = (key, case_key(row), row["kept_rule"])
            if case not in seen:
                seen.add(case)
                skipped.append((label_of[key], row["benchmark"],
                                row["message"]))
    return Selection(results, sources, elem_bytes, growth_policy, skipped)


def _cases_of(rows):
    """The Cases of rows of one source, in the order they first appear;
    only repetition and `median` rows count, and a case needs one of them."""
    cases = {}
    for row in rows:
        case = cases.setdefault((case_key(row), row["kept_rule"]),
                                [row, [], None])
        if row["aggregate"] == "":
            case[1].append(row)
        elif row["aggregate"] == "median":
            case[2] = row
    return [Case(first, reps, median)
            for first, reps, median in cases.values() if reps or median]


def _source_labels(pairs):
    """Legend labels for (Results, allocator) pairs: the allocator, made
    unique with the run id, else the file name, else the position, when
    files share one."""
    labels = [alloc for _, alloc in pairs]
    if len(set(labels)) < len(labels):
        labels = [f"{alloc} ({res.meta.get('run_id') or '?'})"
                  for res, alloc in pairs]
    if len(set(labels)) < len(labels):
        labels = [f"{alloc} ({os.path.basename(res.path)})"
                  for res, alloc in pairs]
    if len(set(labels)) < len(labels):
        labels = [f"{alloc} (#{i + 1})" for i, (_, alloc) in enumerate(pairs)]
    return labels


# ---------------------------------------------------------------------------
# Axes: log scales with byte, time, ratio and count tick labels
# ---------------------------------------------------------------------------

class _LogLocator(ticker.Locator):
    """A tick locator for a log axis: at most `max_ticks` inside the view.
    Subclasses give _ticks(vmin, vmax) for a positive, ordered view."""

    def __init__(self, max_ticks):
        self.max_ticks = max_ticks

    def __call__(self):
        vmin, vmax = self.axis.get_view_interval()
        return self.tick_values(vmin, vmax)

    def tick_values(self, vmin, vmax):
        vmin, vmax = sorted((vmin, vmax))
        if vmax <= 0:
            return []
        return self._ticks(vmin, vmax)


class PowerOfTwoLocator(_LogLocator):
    """Ticks at powers of two, every 1, 2, 4, 10, ... exponents so that at
    most `max_ticks` fall inside the view (16 B, 256 B, 4 KiB, 64 KiB, ...
    or 1 B, 1 KiB, 1 MiB, ...)."""

    STRIDES = (1, 2, 4, 10, 20, 40)

    def __init__(self, max_ticks=7):
        super().__init__(max_ticks)

    def _ticks(self, vmin, vmax):
        vmin = max(vmin, vmax * 2.0 ** -60)
        lo = math.floor(math.log2(vmin))
        hi = math.ceil(math.log2(vmax))
        for stride in self.STRIDES:
            first = lo - lo % stride
            ticks = [2.0 ** e for e in range(first, hi + stride, stride)]
            if sum(vmin <= t <= vmax for t in ticks) <= self.max_ticks:
                break
        return ticks


class DecadeLocator(_LogLocator):
    """Ticks at 1, 10, 100, ... or, on a short axis, 1-2-5 or finer steps,
    so that at least three (at most `max_ticks`) fall inside the view."""

    MANTISSAS = ((1,), (1, 2, 5), (1, 1.5, 2, 3, 5, 7))

    def __init__(self, max_ticks=8):
        super().__init__(max_ticks)

    def _ticks(self, vmin, vmax):
        vmin = max(vmin, vmax * 1e-30)
        lo = math.floor(math.log10(vmin))
        hi = math.ceil(math.log10(vmax))
        ticks = []
        for mantissas in self.MANTISSAS:
            stride = 1
            while True:
                first = lo - lo % stride
                ticks = [m * 10.0 ** e
                         for e in range(first, hi + stride, stride)
                         for m in mantissas]
                inside = sum(vmin <= t <= vmax for t in ticks)
                if inside <= self.max_ticks or len(mantissas) > 1:
                    break
                stride += 1
            if inside >= 3:
                break
        return ticks


_FORMATS = {
    "bytes": (PowerOfTwoLocator, units.format_bytes),
    "count": (PowerOfTwoLocator, units.format_count),
    "ns": (DecadeLocator, units.format_ns),
    "ratio": (DecadeLocator,
              lambda v: units.format_ratio(v, compact=True)),
}


def set_log_axis(axis, kind):
    """Make a matplotlib Axis logarithmic with labels in `kind` units:
    "bytes" (B, KiB, MiB, GiB at powers of two), "count" (plain, Ki, Mi),
    "ns" (ns, µs, ms, s at powers of ten) or "ratio" (1×, 10×, ...)."""
    locator, fmt = _FORMATS[kind]
    if axis.axis_name == "x":
        axis.axes.set_xscale("log", base=2 if locator is PowerOfTwoLocator
                             else 10)
    else:
        axis.axes.set_yscale("log", base=2 if locator is PowerOfTwoLocator
                             else 10)
    axis.set_major_locator(locator())
    axis.set_major_formatter(ticker.FuncFormatter(lambda v, _pos: fmt(v)))
    if locator is PowerOfTwoLocator:
        axis.set_minor_locator(ticker.LogLocator(base=2, subs=(1.0,),
                                                 numticks=80))
    else:
        axis.set_minor_locator(ticker.LogLocator(base=10, subs="auto",
                                                 numticks=12))
    axis.set_minor_formatter(ticker.NullFormatter())


# ---------------------------------------------------------------------------
# Figures
# ---------------------------------------------------------------------------

class Plot:
    """One figure: `name` (file stem), `title`, `caption` (a sentence for the
    report) and the matplotlib `figure`."""

    def __init__(self, name, title, caption, figure):
        self.name = name
        self.title = title
        self.caption = caption
        self.figure = figure

    def render(self, fmt):
        """The figure as bytes: fmt is "png" or "svg"."""
        buffer = io.BytesIO()
        with matplotlib.rc_context({"svg.hashsalt": "slicebench",
                                    "svg.fonttype": "path"}):
            metadata = {"Date": None} if fmt == "svg" else {"Software": None}
            self.figure.savefig(buffer, format=fmt, dpi=PNG_DPI,
                                metadata=metadata)
        return buffer.getvalue()

    def series(self):
        """The data lines drawn, as (panel title, gid) pairs."""
        return [(ax.get_title(), line.get_gid())
                for ax in self.figure.axes for line in ax.get_lines()
                if (line.get_gid() or "").startswith("series-")]


def _gid(kind, *parts):
    text = "-".join(str(p) for p in parts)
    return kind + "-" + re.sub(r"[^A-Za-z0-9_.-]+", "_", text)


def _marker_fill(colour, fill):
    """matplotlib marker keywords for a fill style: "none" (open marker),
    "full", or a half ("left", "bottom", ...) with the other half open."""
    if fill == "none":
        return {"markerfacecolor": "none"}
    return {"fillstyle": fill, "markerfacecolor": colour,
            "markerfacecoloralt": "none"}


def _draw_series(ax, xs, values, style, label, gid, linestyle=None,
                 fill="none", transform=None):
    """A line with open markers (or markers filled as `fill` says) through
    the medians and, where repetitions exist, min-max error bars. Returns
    the data Line2D."""
    colour, marker, default_ls = style
    ys = [v.median for v in values]
    where = {} if transform is None else {"transform": transform}
    (line,) = ax.plot(xs, ys, color=colour, marker=marker,
                      linestyle=default_ls if linestyle is None else linestyle,
                      linewidth=1.4, markersize=6, markeredgewidth=1.3,
                      label=label, zorder=3, **_marker_fill(colour, fill),
                      **where)
    line.set_gid(gid)
    if any(v.low is not None for v in values):
        below = [v.median - v.low if v.low is not None else 0.0
                 for v in values]
        above = [v.high - v.median if v.high is not None else 0.0
                 for v in values]
        ax.errorbar(xs, ys, yerr=[[max(b, 0.0) for b in below],
                                  [max(a, 0.0) for a in above]],
                    fmt="none", ecolor=colour, elinewidth=1.0, capsize=2.5,
                    zorder=2, **where)
    return line


def _positive(points):
    """Drop (x, Value) points that a log axis cannot show; return the kept
    ones and how many were zero or negative."""
    kept = [(x, v) for x, v in points
            if v is not None and v.median > 0 and x and x > 0]
    zeros = sum(1 for x, v in points if v is not None and v.median <= 0)
    return kept, zeros


class _Grid:
    """Panels for (k rule, source) pairs: one row of k rules for a single
    source, else k rules as rows and sources as columns."""

    def __init__(self, rules, sources, panel_w=4.4, panel_h=3.3):
        self.rules = rules
        self.sources = sources
        if len(sources) == 1:
            nrows, ncols = 1, len(rules)
        else:
            nrows, ncols = len(rules), len(sources)
        self.figure = Figure(figsize=(panel_w * ncols + 0.6,
                                      panel_h * nrows))
        FigureCanvasAgg(self.figure)
        self.axes = self.figure.subplots(nrows, ncols, sharex=True,
                                         sharey=True, squeeze=False)
        self.panel_h = panel_h * nrows

    def panels(self):
        """(axes, k rule, source) for every panel."""
        for i, rule in enumerate(self.rules):
            for j, source in enumerate(self.sources):
                if len(self.sources) == 1:
                    ax = self.axes[0][i]
                else:
                    ax = self.axes[i][j]
                yield ax, rule, source

    def panel_title(self, rule, source):
        rule_text = f"k = {rule}"
        if len(self.sources) == 1:
            return rule_text
        return f"{source.label} · {rule_text}"


def _legend_columns(figure, count):
    """How many columns the legend under a figure gets for `count` entries."""
    return max(1, min(count, int(figure.get_figwidth() // 3.4)))


def _grouped_handles(figure, first, last):
    """Legend handles laid out so that `last` fills the legend's last column
    and `first` the columns before it (legends fill column by column)."""
    ncol = _legend_columns(figure, len(first) + len(last))
    if ncol < 2:
        return first + last
    rows = max(-(-len(first) // (ncol - 1)), len(last))

    def blank():
        return Line2D([], [], linestyle="none", label=" ")
    return (first + [blank() for _ in range(rows * (ncol - 1) - len(first))]
            + last + [blank() for _ in range(rows - len(last))])


def _finish(figure, axes_grid, title, subtitle, handles, legend_title,
            panel_h, xlabel, ylabel):
    """Labels on the outer panels, a legend under them, a two-line title,
    and a figure height that fits all three."""
    for row in axes_grid:
        for ax in row:
            ax.grid(True, which="major", color="#dddddd", linewidth=0.6)
            ax.set_axisbelow(True)
    for ax in axes_grid[-1]:
        ax.set_xlabel(xlabel)
    for row in axes_grid:
        row[0].set_ylabel(ylabel)
    width = figure.get_figwidth()
    ncol = _legend_columns(figure, len(handles))
    legend = figure.legend(handles=handles, loc="lower center", ncol=ncol,
                           frameon=False, fontsize=9, title=legend_title,
                           title_fontsize=9, bbox_to_anchor=(0.5, 0.0))
    renderer = figure.canvas.get_renderer()
    legend_h = legend.get_window_extent(renderer).height / figure.dpi + 0.15
    height = panel_h + legend_h + 0.9    # 0.9 in: the two-line title
    figure.set_size_inches(width, height)
    figure.suptitle(f"{title}\n{subtitle}", fontsize=11.5,
                    y=1 - 0.08 / height, va="top")
    # tight_layout makes room for the suptitle itself; rect keeps the
    # legend's strip at the bottom free.
    figure.tight_layout(rect=(0, legend_h / height, 1, 1))


def _legend_handle(style, label, marker=True, linestyle=None):
    colour, mark, ls = style
    return Line2D([], [], color=colour, marker=mark if marker else None,
                  linestyle=ls if linestyle is None else linestyle,
                  markerfacecolor="none", markeredgewidth=1.3, label=label)


def _strategy_handles(strategies):
    return [_legend_handle(_style(STRATEGY_STYLE, s, i), strategy_label(s))
            for i, s in enumerate(strategies)]


def _bars_note(sel):
    if sel.max_repetitions >= 2:
        return f"{ERROR_BARS} ({sel.max_repetitions} per case)"
    return "one repetition per case: no error bars"


def _by_n_figure(sel, name, column, title, ylabel, ykind, floor):
    """Shared body of the time, held and rss figures: a line per strategy
    of `column` against N, one panel per (k rule, source)."""
    grid = _Grid(sel.kept_rules, sel.sources)
    drawn, zeros, used = 0, set(), []
    for ax, rule, source in grid.panels():
        ax.set_title(grid.panel_title(rule, source), fontsize=10)
        set_log_axis(ax.xaxis, "bytes")
        set_log_axis(ax.yaxis, ykind)
        panel = 0
        if floor:
            points = {}
            for case in source.select(kept_rule=rule):
                needed = case.value("needed_bytes")
                if needed is not None and needed.median > 0:
                    points.setdefault((case.source_bytes, case.items),
                                      needed.median)
            if points:
                xs = [n for n, _ in sorted(points)]
                line, = ax.plot(xs, [points[k] for k in sorted(points)],
                                color="black", linestyle="--", linewidth=1.2,
                                zorder=1, label="needed (M × k)")
                line.set_gid(_gid("floor", name, rule, source.label))
        for i, strategy in enumerate(sel.strategies):
            cases = source.select(strategy, rule)
            points, dropped = _positive(
                [(c.source_bytes, c.value(column)) for c in cases])
            if dropped:
                zeros.add(strategy)
            if not points:
                continue
            _draw_series(ax, [x for x, _ in points], [v for _, v in points],
                         _style(STRATEGY_STYLE, strategy, i),
                         strategy_label(strategy),
                         _gid("series", name, rule, source.label, strategy))
            panel += 1
            if strategy not in used:
                used.append(strategy)
        if not panel:
            _no_data(ax)
        drawn += panel
    if not drawn:
        return None
    handles = _strategy_handles(used)
    if floor:
        handles.append(Line2D([], [], color="black", linestyle="--",
                              label="needed bytes (M × k): the floor"))
    _finish(grid.figure, grid.axes, title, sel.describe(),
            handles, _bars_note(sel), grid.panel_h, "N (source buffer size)",
            ylabel)
    return grid.figure, sorted(zeros, key=_strategy_order)


def _no_data(ax):
    ax.text(0.5, 0.5, "no data", transform=ax.transAxes, ha="center",
            va="center", color="#888888")


def _zero_note(zeros, what):
    if not zeros:
        return ""
    return (f" {', '.join(zeros)} {'holds' if len(zeros) == 1 else 'hold'} "
            f"zero {what} at some sizes; zero has no place on a log axis, "
            "so those points are left out.")


def figure_time(sel):
    """Time per item (real_time_per_item_ns) vs N; a Plot or None."""
    built = _by_n_figure(sel, "time", "real_time_per_item_ns",
                         "Time per item vs N", "time per item (wall clock)",
                         "ns", floor=False)
    if built is None:
        return None
    figure, zeros = built
    caption = ("Median wall-clock time per received item against the "
               "source buffer size N, one line per strategy and one panel "
               f"per k rule; {_bars_note(sel)}." + _zero_note(zeros, "time"))
    return Plot("time", "Time per item", caption, figure)


def figure_held(sel):
    """Held bytes (held_bytes) vs N with the needed bytes as a floor."""
    built = _by_n_figure(sel, "held", "held_bytes",
                         "Bytes held at the end of a batch vs N",
                         "held bytes (capacity × elem size)", "bytes",
                         floor=True)
    if built is None:
        return None
    figure, zeros = built
    caption = ("Bytes of every backing array still alive after a batch of M "
               "items, against N; the dashed black line is what the program "
               "asked to keep (M × k). A line on the floor wastes nothing; "
               f"retain sits N/k above it. {_bars_note(sel).capitalize()}."
               + _zero_note(zeros, "bytes"))
    return Plot("held", "Held bytes", caption, figure)


def figure_rss(sel):
    """Peak RSS delta (peak_rss_delta_bytes) vs N with the needed floor."""
    built = _by_n_figure(sel, "rss", "peak_rss_delta_bytes",
                         "Peak resident set growth vs N",
                         "peak RSS − RSS at start", "bytes", floor=True)
    if built is None:
        return None
    figure, zeros = built
    caption = ("Highest resident set during the run minus the resident set "
               "at its start (what the operating system really gave the "
               "process), against N; the dashed black line is M × k. "
               f"{_bars_note(sel).capitalize()}."
               + _zero_note(zeros, "resident bytes"))
    return Plot("rss", "Peak RSS delta", caption, figure)


def _merge(values):
    """One Value for several cases at the same x: the median of their
    medians, the bar over all their repetitions (or medians)."""
    if len(values) == 1:
        return values[0]
    lows = [v.low if v.low is not None else v.median for v in values]
    highs = [v.high if v.high is not None else v.median for v in values]
    return Value(statistics.median(v.median for v in values), min(lows),
                 max(highs), sum(v.repetitions for v in values))


def figure_amplification(sel):
    """retain's held/needed (and peak RSS/needed) vs N/k, a line per source."""
    if "retain" not in sel.strategies:
        return None
    columns = [("amplification", "held / needed"),
               ("peak_rss_amplification", "peak RSS Δ / needed")]
    per_column = []
    for column, heading in columns:
        lines = []
        for i, source in enumerate(sel.sources):
            at = {}
            for case in source.select("retain"):
                value = case.value(column)
                if value is not None and value.median > 0 and case.ratio():
                    at.setdefault(case.ratio(), []).append(value)
            if at:
                xs = sorted(at)
                lines.append((source, i, xs, [_merge(at[x]) for x in xs]))
        if lines:
            per_column.append((column, heading, lines))
    if not per_column:
        return None

    figure = Figure(figsize=(5.0 * len(per_column) + 0.6, 3.8))
    FigureCanvasAgg(figure)
    axes = figure.subplots(1, len(per_column), sharex=True, sharey=True,
                           squeeze=False)
    all_x = []
    for ax, (column, heading, lines) in zip(axes[0], per_column):
        ax.set_title(heading, fontsize=10)
        set_log_axis(ax.xaxis, "count")
        set_log_axis(ax.yaxis, "ratio")
        for source, i, xs, values in lines:
            _draw_series(ax, xs, values,
                         _style(ALLOCATOR_STYLE, source.allocator, i),
                         source.label,
                         _gid("series", "amplification", column,
                              source.label))
            all_x.extend(xs)
    lo, hi = min(all_x), max(all_x)
    for ax in axes[0]:
        ref, = ax.plot([lo, hi], [lo, hi], color="#555555", linestyle="--",
                       linewidth=1.0, zorder=1)
        ref.set_gid("reference-n-over-k")
    handles = [_legend_handle(_style(ALLOCATOR_STYLE, s.allocator, i),
                              f"{s.label}: retain (keep b[:k])")
               for i, s in enumerate(sel.sources)]
    handles.append(Line2D([], [], color="#555555", linestyle="--",
                          label="N/k: the whole buffer kept for k bytes"))
    _finish(figure, axes, "The cost of the leak: retain's amplification "
            "vs N/k", sel.describe(with_sources=False), handles,
            _bars_note(sel), 3.8, "N/k (source size / kept size)",
            "amplification")
    caption = ("Memory held by retain divided by what it needs (M × k), "
               "against N/k, one line per allocator; left from held_bytes, "
               "right from the peak resident set. Where several cases share "
               "one N/k (a k rule N/8 gives N/k = 8 for every N) the point "
               "is the median of them and the bar spans all of them; "
               f"{_bars_note(sel)}.")
    return Plot("amplification", "Amplification of retain", caption, figure)


# Marker fill per source in the trade-off figure, where all sources share a
# panel: (matplotlib fillstyle, how the caption says it).
SOURCE_FILLS = (("full", "filled"), ("none", "hollow"),
                ("left", "left half filled"), ("bottom", "bottom half filled"),
                ("right", "right half filled"), ("top", "top half filled"))
BASELINE = "receive-only"
SOURCE_SHIFT_PT = 6     # sideways step between sources' markers, in points


def _baselines(source, sel):
    """The receive-only Cases of a source's file and allocator, by (N, k, M,
    k rule), with the selection's element size and growth policy. Read from
    the file, so a strategies filter that leaves receive-only out of the
    figures does not take the trade-off figure's baseline away."""
    rows = [r for r in source.results.rows
            if r["strategy"] == BASELINE and r["status"] == "ok"
            and r["allocator"] == source.allocator
            and r["elem_bytes"] == sel.elem_bytes
            and r["growth_policy"] == sel.growth_policy]
    return {(c.source_bytes, c.kept_bytes, c.items, c.kept_rule): c
            for c in _cases_of(rows)}


def relative_time(case, baseline):
    """A case's time per item over its receive-only case's, as a Value: the
    median over the baseline's median and, for the bar, each repetition over
    that same median. None when either time is missing or not positive."""
    time = case.value("real_time_per_item_ns")
    base = baseline.value("real_time_per_item_ns") if baseline else None
    if time is None or base is None or time.median <= 0 or base.median <= 0:
        return None

    def over(v):
        return None if v is None else v / base.median
    return Value(over(time.median), over(time.low), over(time.high),
                 time.repetitions)


def _tradeoff_title(n, rule, cases):
    ks = sorted({c.kept_bytes for c in cases})
    ms = sorted({c.items for c in cases})
    k_text = f"k = {rule}"
    if not rule.isdigit() and ks:
        k_text += " = " + ", ".join(units.format_bytes(k) for k in ks)
    parts = [f"N = {units.format_bytes(n)}", k_text]
    if ms:
        parts.append("M = " + ", ".join(str(m) for m in ms))
    return " · ".join(parts)


def figure_tradeoff(sel):
    """Time per item relative to receive-only's against amplification: one
    panel per k rule (rows) and representative N (columns, the sizes of the
    findings table), a marker per strategy and source."""
    _, sizes = report_mod.table_sizes(sel)
    strategies = [(i, s) for i, s in enumerate(sel.strategies)
                  if s != BASELINE]
    if not sizes or not strategies:
        return None
    several = len(sel.sources) > 1
    fills = [SOURCE_FILLS[j % len(SOURCE_FILLS)] if several else ("none", "")
             for j in range(len(sel.sources))]
    baselines = [_baselines(source, sel) for source in sel.sources]
    rules = sel.kept_rules
    panel_h = 3.3
    figure = Figure(figsize=(4.3 * len(sizes) + 0.6, panel_h * len(rules)))
    FigureCanvasAgg(figure)
    axes = figure.subplots(len(rules), len(sizes), sharey=True,
                           squeeze=False)
    drawn, used, unmatched = 0, [], 0
    for r, rule in enumerate(rules):
        for col, n in enumerate(sizes):
            ax = axes[r][col]
            set_log_axis(ax.xaxis, "ratio")
            set_log_axis(ax.yaxis, "ratio")
            ref = ax.axhline(1.0, color="#555555", linestyle="--",
                             linewidth=1.0, zorder=1)
            ref.set_gid(_gid("reference", "tradeoff", n, rule))
            panel, xs, shown = 0, [1.0], []
            for j, source in enumerate(sel.sources):
                # Each source's markers a few points sideways, so that the
                # allocators of one fix do not hide one another at 1x.
                shift = transforms.offset_copy(
                    ax.transData, fig=figure, units="points", y=0,
                    x=(j - (len(sel.sources) - 1) / 2) * SOURCE_SHIFT_PT)
                for i, strategy in strategies:
                    at = [c for c in source.select(strategy, rule)
                          if c.source_bytes == n]
                    if not at:
                        continue
                    case = at[-1]     # the largest M, as the findings table
                    amp = case.value("amplification")
                    base = baselines[j].get(
                        (n, case.kept_bytes, case.items, rule))
                    ratio = relative_time(case, base)
                    if base is None:
                        unmatched += 1
                    if amp is None or amp.median <= 0 or ratio is None:
                        continue
                    style = _style(STRATEGY_STYLE, strategy, i)
                    _draw_series(ax, [amp.median], [ratio], style,
                                 f"{strategy_label(strategy)} · "
                                 f"{source.label}",
                                 _gid("series", "tradeoff", n, rule,
                                      source.label, strategy),
                                 linestyle="none", fill=fills[j][0],
                                 transform=shift)
                    if amp.low is not None and amp.high != amp.low:
                        ax.errorbar([amp.median], [ratio.median], xerr=[
                            [amp.median - amp.low], [amp.high - amp.median]],
                            fmt="none", ecolor=style[0], elinewidth=1.0,
                            capsize=2.5, zorder=2, transform=shift)
                    xs.append(amp.median)
                    shown.append(case)
                    panel += 1
                    if strategy not in used:
                        used.append(strategy)
            # A margin of 1.4x, or 8 % of a wide span, on either side.
            pad = max(1.4, (max(xs) / min(xs)) ** 0.08)
            ax.set_xlim(min(xs) / pad, max(xs) * pad)
            ax.set_title(_tradeoff_title(n, rule, shown), fontsize=10)
            if not panel:
                _no_data(ax)
            drawn += panel
    if not drawn:
        return None

    handles = [_legend_handle(_style(STRATEGY_STYLE, s, i),
                              strategy_label(s), linestyle="none")
               for i, s in enumerate(sel.strategies) if s in used]
    others = []
    if several:
        others += [Line2D([], [], color="#444444", marker="o",
                           linestyle="none", markeredgewidth=1.3,
                           label=f"{source.label} ({fill[1]})",
                           **_marker_fill("#444444", fill[0]))
                    for source, fill in zip(sel.sources, fills)]
    others.append(Line2D([], [], color="#555555", linestyle="--",
                         label="1×: receiving alone (receive-only's time)"))
    handles = _grouped_handles(figure, handles, others)
    bars = _bars_note(sel)
    if sel.max_repetitions >= 2:
        bars += ", each over receive-only's median"
    subtitle = sel.describe()
    if len(sel.items) > 1:
        subtitle += " with N (panel titles give M)"
    _finish(figure, axes, "Trade-off: time per item relative to receiving "
            "alone, against memory amplification", subtitle, handles, bars,
            panel_h * len(rules), "amplification (held / needed)",
            "time per item / receive-only's")

    sizes_text = ", ".join(units.format_bytes(n) for n in sizes)
    caption = (
        "Which fix is cheapest for the memory it saves. Columns are the "
        f"source sizes of the findings table ({sizes_text}: the smallest N, "
        "the N nearest 64 KiB and the largest N), rows the k rules"
        + ("; M, the items per batch, changes with N and each panel title "
           "gives it. " if len(sel.items) > 1 else ". ") +
        "Each marker is one strategy under one allocator: across, its "
        "amplification (held_bytes / needed_bytes: 1× holds only what was "
        "kept, retain sits near N/k); up, its median wall-clock time per "
        "item divided by the median time per item of receive-only in the "
        "same case (same N, k, M, element size, growth policy and "
        "allocator). The dashed line at 1× is receiving alone; 2× means "
        "keeping doubles the time. Lower left is best: of the markers at "
        "1× amplification, the lowest is the cheapest fix. Colour and shape "
        "give the strategy, as in the other figures. ")
    if several:
        caption += (
            "The fill gives the allocator ("
            + ", ".join(f"{fill[1]}: {source.label}"
                        for source, fill in zip(sel.sources, fills))
            + f"), each allocator's markers {SOURCE_SHIFT_PT} points to the "
            "right of the previous one's so that none hides another: the "
            "allocators share a panel so that each fix is compared across "
            "them at a glance, rather than in one panel per allocator, "
            "which would multiply the panels. ")
    caption += (
        "receive-only has no marker: it keeps nothing (amplification 0, "
        "which a log axis cannot show) and is the baseline itself. ")
    if sel.max_repetitions >= 2:
        caption += (
            "Bars span the minimum to the maximum of the repetitions, each "
            "repetition's time divided by receive-only's median (the "
            "baseline's own spread is not in them).")
    else:
        caption += "One repetition per case: no error bars."
    if unmatched:
        caption += (" Cases without a receive-only row in their file are "
                    "left out.")
    return Plot("tradeoff", "Trade-off", caption, figure=figure)


FIGURES = (figure_time, figure_held, figure_rss, figure_amplification,
           figure_tradeoff)


def make_plots(sel):
    """Every non-empty figure of a Selection, as a list of Plot."""
    plots = []
    for build in FIGURES:
        plot = build(sel)
        if plot is not None:
            plots.append(plot)
    return plots


# ---------------------------------------------------------------------------
# Output folder
# ---------------------------------------------------------------------------

def default_out_dir(sel):
    """<folder of the first input file>/<run id>, the run id made safe as
    one path component."""
    name = re.sub(r"[^A-Za-z0-9._+-]", "_", sel.run_id).lstrip(".") or "run"
    return os.path.join(os.path.dirname(sel.results[0].path) or ".", name)


def _write(folder, name, data):
    """Write bytes to folder/name through a temporary file renamed over the
    old one, so a reader never sees half a file and a symlink at that name
    is replaced rather than followed."""
    fd, tmp = tempfile.mkstemp(prefix=f".{name}.", dir=folder)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.chmod(tmp, 0o644)
        os.replace(tmp, os.path.join(folder, name))
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
    return os.path.join(folder, name)


def generate(inputs, out_dir=None, elem_bytes=None, growth_policy="go",
             allocators=None, strategies=None, report=True):
    """Load, select, draw and write; return the list of files written.

    inputs: paths of results files, or slicebench.results.Results already
    loaded (the CLI loads first: that needs no matplotlib and is quick).

    Writes <figure>.png and <figure>.svg for each non-empty figure,
    findings.md and (unless report is False) report.html into out_dir
    (default: default_out_dir). Raises ResultsError (or PlotError) for bad
    input before anything is created, and PlotError when the output folder
    or a file in it cannot be written.
    """
    if inputs and all(isinstance(i, Results) for i in inputs):
        results = list(inputs)
    else:
        results = load_many(inputs)
    sel = select(results, elem_bytes=elem_bytes, growth_policy=growth_policy,
                 allocators=allocators, strategies=strategies)
    plots = make_plots(sel)
    if not plots:
        raise PlotError(f"{_where(results)}: no figure has any value to "
                        "draw (every selected figure is empty)")
    files, images = [], []
    for plot in plots:
        png = plot.render("png")
        images.append((plot, png))
        files.append((plot.name + ".png", png))
        files.append((plot.name + ".svg", plot.render("svg")))
    findings = report_mod.findings(sel)
    files.append((FINDINGS_FILE, findings.markdown().encode("utf-8")))
    if report:
        html = report_mod.render_html(sel, images, findings)
        files.append((REPORT_FILE, html.encode("utf-8")))

    folder = out_dir or default_out_dir(sel)
    try:
        os.makedirs(folder, exist_ok=True)
        return [_write(folder, name, data) for name, data in files]
    except OSError as e:
        where = e.filename or folder
        raise PlotError(f"{where}: cannot write: {e.strerror}") from None
