"""The look shared by every figure: colours and markers, series with their
spread, panel grids, legends and the page layout, and Plot (one figure).

Strategies and allocators each have a fixed colour AND marker, so that a
reader tells them apart without colour and every figure of a report draws
the same thing the same way. Error bars span the minimum to the maximum of
the repetitions. Figures are matplotlib.figure.Figure on the Agg canvas;
pyplot and its global state are not used. Layout is computed in inches
(no tight_layout, which costs a full draw per call).
"""

import io
import re
import weakref

import matplotlib
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.collections import LineCollection
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from .schema import KNOWN_ALLOCATORS, STRATEGIES, STRATEGY_NAMES

# What each strategy does, as the legends say it after the strategy's name:
# the Go idiom of schema.STRATEGIES.
STRATEGY_GLOSS = dict(STRATEGIES)
_STRATEGY_LOOK = (("#7f7f7f", "o", ":"), ("#d62728", "X", "-"),
                  ("#1f77b4", "s", "-"), ("#2ca02c", "^", "-"),
                  ("#9467bd", "D", "--"), ("#ff7f0e", "v", "-."),
                  ("#8c564b", "P", "-"))
_ALLOCATOR_LOOK = (("#1f77b4", "o", "-"), ("#2ca02c", "s", "--"),
                   ("#ff7f0e", "^", "-."), ("#17becf", "D", ":"),
                   ("#7f7f7f", "v", "-"))
STRATEGY_STYLE = dict(zip(STRATEGY_NAMES, _STRATEGY_LOOK))
ALLOCATOR_STYLE = dict(zip(KNOWN_ALLOCATORS, _ALLOCATOR_LOOK))
_SPARE_STYLES = (("#e377c2", "h", "-"), ("#bcbd22", "*", "-"),
                 ("#000000", "p", "-"), ("#8c564b", "d", "--"))

ERROR_BARS = "bars: min–max of repetitions"
PNG_DPI = 100


def strategy_label(strategy):
    """The legend text of a strategy: its exact name and a short gloss."""
    gloss = STRATEGY_GLOSS.get(strategy)
    return f"{strategy}: {gloss}" if gloss else strategy


def style_of(table, key, index):
    """(colour, marker, line style) of a strategy or allocator."""
    return table.get(key, _SPARE_STYLES[index % len(_SPARE_STYLES)])


def allocator_styles(allocators):
    """The styles of sources by their allocators, in order: an allocator's
    own the first time it comes, a spare one for each later source of the
    same allocator (another run, or another collector), so that two sources
    of one allocator are told apart (the spares repeat after four)."""
    seen, spare, out = set(), 0, []
    for a in allocators:
        if a in ALLOCATOR_STYLE and a not in seen:
            out.append(ALLOCATOR_STYLE[a])
        else:
            out.append(_SPARE_STYLES[spare % len(_SPARE_STYLES)])
            spare += 1
        seen.add(a)
    return out


def gid(kind, *parts):
    """An SVG id for an artist: kind-part-part, safe characters only."""
    text = "-".join(str(p) for p in parts)
    return kind + "-" + re.sub(r"[^A-Za-z0-9_.-]+", "_", text)


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
            extra = {"pil_kwargs": {"compress_level": 1}} \
                if fmt == "png" else {}
            self.figure.savefig(buffer, format=fmt, dpi=PNG_DPI,
                                metadata=metadata, **extra)
        return buffer.getvalue()

    def series(self):
        """The data lines drawn, as (panel title, gid) pairs."""
        return [(ax.get_title(), line.get_gid())
                for ax in self.figure.axes for line in ax.get_lines()
                if (line.get_gid() or "").startswith("series-")]


def new_figure(nrows, ncols, panel_w, panel_h, sharex=True, sharey=True):
    """A Figure on the Agg canvas with an nrows x ncols grid of axes."""
    figure = Figure(figsize=(panel_w * ncols + 0.9, panel_h * nrows))
    FigureCanvasAgg(figure)
    axes = figure.subplots(nrows, ncols, sharex=sharex, sharey=sharey,
                           squeeze=False)
    return figure, axes


def draw_series(ax, xs, values, style, label, series_id, linestyle=None):
    """A line with open markers through the medians and, where repetitions
    differ, min-max error bars. Returns the data Line2D."""
    colour, marker, default_ls = style
    ys = [v.median for v in values]
    (line,) = ax.plot(xs, ys, color=colour, marker=marker,
                      linestyle=default_ls if linestyle is None else linestyle,
                      linewidth=1.4, markersize=6, markeredgewidth=1.3,
                      markerfacecolor="none", label=label, zorder=3)
    line.set_gid(series_id)
    spread = [(x, v) for x, v in zip(xs, values) if v.high > v.low]
    if spread:
        draw_bars(ax, [x for x, _ in spread], [v for _, v in spread], colour)
    return line


def draw_bars(ax, xs, values, colour, horizontal=False):
    """Min-max bars of Values at xs (vertical; horizontal: xs are y
    positions and the Values span x). Collected per panel and drawn by
    finish() as one line collection: an errorbar or vlines call per series
    makes artists that are slow to lay out."""
    if horizontal:
        segments = [((v.low, x), (v.high, x)) for x, v in zip(xs, values)]
    else:
        segments = [((x, v.low), (x, v.high)) for x, v in zip(xs, values)]
    pending = _PENDING_BARS.setdefault(ax, [])
    pending.extend((segment, colour) for segment in segments)


# Bars drawn by draw_bars and not yet added to their panel, per Axes.
_PENDING_BARS = weakref.WeakKeyDictionary()


def _add_bars(ax):
    pending = _PENDING_BARS.pop(ax, [])
    if pending:
        bars = LineCollection([s for s, _ in pending],
                              colors=[c for _, c in pending],
                              linewidths=1.0, zorder=2)
        bars.set_gid("bars")
        ax.add_collection(bars, autolim=True)


def legend_handle(style, label, linestyle=None):
    colour, mark, ls = style
    return Line2D([], [], color=colour, marker=mark,
                  linestyle=ls if linestyle is None else linestyle,
                  markerfacecolor="none", markeredgewidth=1.3, label=label)


def strategy_handles(strategies, linestyle=None):
    return [legend_handle(style_of(STRATEGY_STYLE, s, STRATEGY_NAMES.index(s)
                                   if s in STRATEGY_NAMES else i),
                          strategy_label(s), linestyle)
            for i, s in enumerate(strategies)]


def strategy_style(strategy, index):
    return style_of(STRATEGY_STYLE, strategy, index)


def no_data(ax):
    ax.text(0.5, 0.5, "no data", transform=ax.transAxes, ha="center",
            va="center", color="#888888")


def bars_note(sel):
    if sel.max_repetitions >= 2:
        return f"{ERROR_BARS} ({sel.max_repetitions} per case)"
    return "one repetition per case: no error bars"


def finish(figure, axes_grid, title, subtitle, handles, legend_title,
           xlabel, ylabel, inner_x_labels=False):
    """Grid lines, labels on the outer panels, a legend under them and a
    two-line title, laid out in inches: the figure grows by the legend's
    height and the axes keep their size."""
    for row in axes_grid:
        for ax in row:
            _add_bars(ax)
            ax.grid(True, which="major", color="#dddddd", linewidth=0.6)
            ax.set_axisbelow(True)
    for ax in axes_grid[-1]:
        ax.set_xlabel(xlabel)
    for row in axes_grid:
        row[0].set_ylabel(ylabel)
    width, panels_h = figure.get_figwidth(), figure.get_figheight()
    # Columns as wide as the longest label (about 0.07 in a character at
    # 9 points, plus the marker), as many as fit the width.
    longest = max(len(h.get_label()) for h in handles)
    ncol = max(1, min(len(handles), int((width - 0.4)
                                        // (0.07 * longest + 0.7))))
    legend = figure.legend(handles=handles, loc="lower center", ncol=ncol,
                           frameon=False, fontsize=9, title=legend_title,
                           title_fontsize=9, bbox_to_anchor=(0.5, 0.0))
    renderer = figure.canvas.get_renderer()
    legend_h = legend.get_window_extent(renderer).height / figure.dpi + 0.1
    top_h, xlabel_h = 0.75, 0.6
    height = panels_h + legend_h + top_h + xlabel_h
    figure.set_size_inches(width, height)
    figure.suptitle(f"{title}\n{subtitle}", fontsize=11.5,
                    y=1 - 0.08 / height, va="top")
    nrows = len(axes_grid)
    axes_h = (panels_h - 0.45 * (nrows - 1)) / nrows
    gap = 0.75 if inner_x_labels else 0.4   # panel title (+ tick labels)
    figure.subplots_adjust(
        left=0.85 / width, right=1 - 0.35 / width,
        bottom=(legend_h + xlabel_h) / height, top=1 - top_h / height,
        wspace=0.12 if _shares_y(axes_grid) else 0.3,
        hspace=gap / max(axes_h, 0.5))


def _shares_y(axes_grid):
    row = axes_grid[0]
    return len(row) < 2 or row[0].get_shared_y_axes().joined(row[0], row[1])
