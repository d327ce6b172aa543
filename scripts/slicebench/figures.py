"""The figures of a run, each built from a slicebench.model.Selection.

    time           real time per item vs N, a line per strategy
    held           held bytes per item (held_bytes / M) vs N; the floor is
                   needed bytes per item (k)
    rss            peak RSS growth per item vs N, the same floor, and the
                   RSS precision (metadata rss_precision_bytes / M) drawn
                   as a band: points inside it cannot be told from zero
    amplification  retain's measured amplification over the expected N/k,
                   vs N, a line per allocator (colour and marker): 1× is
                   "exactly N/k", a deviation shows
    tradeoff       time per item over receive-only's against amplification,
                   one panel per allocator (rows) and representative N
                   (columns), for the findings table's k rule

By-N figures have one panel per (k rule, source): a row of k rules for a
single source, else k rules (rows) by sources (columns). Axes are
logarithmic with ticks at the measured values; zero has no place on them
and the captions say when points were left out for it. Each builder returns
a style.Plot, or None when it would be empty.
"""

from .axes import set_log_axis
from .model import BASELINE, relative_time, strategy_order, table_sizes
from .style import (Plot, allocator_styles, bars_note, draw_bars,
                    draw_series, finish,
                    gid, legend_handle, new_figure, no_data,
                    strategy_handles, strategy_label, strategy_style)
from . import units
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

FIGURE_NAMES = ("time", "held", "rss", "amplification", "tradeoff")
QUICK_FIGURE_NAMES = ("time", "held", "rss", "amplification")


def _labels(panel_w):
    """How many size labels fit under a panel panel_w inches wide."""
    return max(2, int(panel_w / 0.7))


def _panels(sel):
    """(figure, axes grid, [(ax, k rule, source, title)], labels) for
    by-N figures; labels: how many x tick labels fit a panel."""
    rules, sources = sel.kept_rules, sel.sources
    if len(sources) == 1:
        figure, axes = new_figure(1, len(rules), 4.2, 3.0)
        return figure, axes, [(axes[0][i], rule, sources[0], f"k = {rule}")
                              for i, rule in enumerate(rules)], _labels(4.2)
    figure, axes = new_figure(len(rules), len(sources), 3.6, 2.8)
    return figure, axes, [(axes[i][j], rule, s, f"{s.label} · k = {rule}")
                          for i, rule in enumerate(rules)
                          for j, s in enumerate(sources)], _labels(3.6)


def _value(case, column, per_item):
    return case.per_item(column) if per_item else case.value(column)


def _by_n(sel, name, column, title, ylabel, ykind, per_item=False,
          floor=False, band=False):
    """Shared body of time, held and rss: a line per strategy of `column`
    (per item when per_item) against N, with the floor (needed per item)
    and the RSS precision band when asked. Returns (figure, strategies with
    values of zero left out, whether a band was drawn) or None."""
    figure, axes, panels, labels = _panels(sel)
    drawn, zeros, used, ys, bands = 0, set(), [], [], []
    for ax, rule, source, heading in panels:
        ax.set_title(heading, fontsize=10)
        set_log_axis(ax.xaxis, "bytes", at=sel.sizes, labels=labels)
        set_log_axis(ax.yaxis, ykind)
        cases = source.select(kept_rule=rule)
        if floor:
            pts = sorted({(c.source_bytes, c.per_item("needed_bytes").median)
                          for c in cases if c.value("needed_bytes")
                          and c.value("needed_bytes").median > 0})
            if pts:
                line, = ax.plot([x for x, _ in pts], [y for _, y in pts],
                                color="black", linestyle="--", linewidth=1.2,
                                zorder=1)
                line.set_gid(gid("floor", name, rule, source.label))
                ys += [y for _, y in pts]
        precision = source.rss_precision if band else None
        if precision:
            top = {}
            for c in cases:     # the smallest M of an N: the widest band
                top[c.source_bytes] = max(top.get(c.source_bytes, 0.0),
                                          precision / c.items)
            bands.append((ax, sorted(top.items())))
            ys += list(top.values())
        panel = 0
        for i, strategy in enumerate(sel.strategies):
            points = [(c.source_bytes, _value(c, column, per_item))
                      for c in source.select(strategy, rule)]
            if any(v is not None and v.median <= 0 for _, v in points):
                zeros.add(strategy)
            points = [(x, v) for x, v in points
                      if v is not None and v.median > 0]
            if not points:
                continue
            draw_series(ax, [x for x, _ in points], [v for _, v in points],
                        strategy_style(strategy, i), strategy_label(strategy),
                        gid("series", name, rule, source.label, strategy))
            ys += [v.median for _, v in points]
            ys += [v.low for _, v in points if v.low > 0]
            ys += [v.high for _, v in points]
            panel += 1
            if strategy not in used:
                used.append(strategy)
        if not panel:
            no_data(ax)
        drawn += panel
    if not drawn:
        return None
    lo, hi = min(ys) / 1.6, max(ys) * 1.6
    axes[0][0].set_ylim(lo, hi)       # shared by every panel
    for ax, pts in bands:
        band = ax.fill_between([x for x, _ in pts], lo, [y for _, y in pts],
                               color="#bbbbbb", alpha=0.35, linewidth=0,
                               zorder=0)
        band.set_gid(gid("band", name))
    handles = strategy_handles(used)
    if floor:
        handles.append(Line2D([], [], color="black", linestyle="--",
                              label=("needed bytes per item (k): the floor"
                                     if per_item else "needed (M × k)")))
    if bands:
        handles.append(Patch(color="#bbbbbb", alpha=0.5,
                             label="within the RSS precision (precision / M)"
                                   ": not told from 0"))
    finish(figure, axes, title, sel.describe(), handles, bars_note(sel),
           "N (source buffer size)", ylabel)
    return figure, sorted(zeros, key=strategy_order), bool(bands)


def _zero_note(zeros, what):
    if not zeros:
        return ""
    return (f" {', '.join(zeros)} {'holds' if len(zeros) == 1 else 'hold'} "
            f"zero {what} at some sizes; zero has no place on a log axis, "
            "so those points are left out.")


def _m_note(sel):
    if len(sel.items) > 1:
        return (" M (items per batch) changes with N in this run "
                f"({', '.join(map(str, sel.items))}), so every figure is per "
                "item, not per batch.")
    return ""


def figure_time(sel):
    """Time per item (real_time_per_item_ns) vs N; a Plot or None."""
    built = _by_n(sel, "time", "real_time_per_item_ns", "Time per item vs N",
                  "time per item (wall clock)", "ns")
    if built is None:
        return None
    figure, zeros, _ = built
    caption = ("Median wall-clock time per received item against the "
               "source buffer size N (ticks at the measured N), one line per "
               f"strategy and one panel per k rule; {bars_note(sel)}."
               + _zero_note(zeros, "time"))
    return Plot("time", "Time per item", caption, figure)


def figure_held(sel):
    """Held bytes per item (held_bytes / M) vs N, floor k."""
    built = _by_n(sel, "held", "held_bytes", "Bytes held per item vs N",
                  "held bytes / M", "bytes", per_item=True, floor=True)
    if built is None:
        return None
    figure, zeros, _ = built
    caption = ("Bytes of every backing array still alive after a batch, "
               "divided by the M items of the batch, against N; the dashed "
               "black line is what the program asked to keep per item (k). "
               "A line on the floor wastes nothing; retain sits N/k above "
               f"it. {bars_note(sel).capitalize()}." + _m_note(sel)
               + _zero_note(zeros, "bytes"))
    return Plot("held", "Held bytes per item", caption, figure)


def figure_rss(sel):
    """Peak RSS growth per item vs N, the floor and the precision band."""
    built = _by_n(sel, "rss", "peak_rss_delta_bytes",
                  "Peak resident set growth per item vs N",
                  "(peak RSS − RSS at start) / M", "bytes", per_item=True,
                  floor=True, band=True)
    if built is None:
        return None
    figure, zeros, banded = built
    caption = ("Highest resident set during the run minus the resident set "
               "at its start, divided by M, against N; the dashed black line "
               "is k, what each item needs. ")
    if banded:
        caption += ("The grey band is the RSS precision (the file's "
                    "rss_precision_bytes, the kernel's batched RSS counter, "
                    "divided by M): a point inside it may be off by that "
                    "much and cannot be told from zero, so a point under the "
                    "floor inside the band is not a finding. ")
    else:
        caption += "The files give no RSS precision: no band is drawn. "
    caption += (f"{bars_note(sel).capitalize()}." + _m_note(sel)
                + _zero_note(zeros, "resident bytes"))
    return Plot("rss", "Peak RSS growth per item", caption, figure)


def figure_amplification(sel):
    """retain's amplification over N/k vs N: a line per allocator, panels
    k rules (rows) by held / peak RSS (columns)."""
    if "retain" not in sel.strategies:
        return None
    columns = (("amplification", "held / needed"),
               ("peak_rss_amplification", "peak RSS Δ / needed"))
    rules = sel.kept_rules
    figure, axes = new_figure(len(rules), 2, 4.6, 2.9, sharex=True,
                              sharey=True)
    drawn, ys, bands = 0, [1.0], []
    styles = allocator_styles([s.allocator for s in sel.sources])
    for r, rule in enumerate(rules):
        for c, (column, heading) in enumerate(columns):
            ax = axes[r][c]
            ax.set_title(f"{heading} · k = {rule}", fontsize=10)
            set_log_axis(ax.xaxis, "bytes", at=sel.sizes,
                         labels=_labels(4.6))
            set_log_axis(ax.yaxis, "ratio")
            ref = ax.axhline(1.0, color="#555555", linestyle="--",
                             linewidth=1.0, zorder=1)
            ref.set_gid(gid("reference", "amplification", column, rule))
            panel, floor = 0, {}
            for i, source in enumerate(sel.sources):
                pts = []
                for case in source.select("retain", rule):
                    value, expected = (case.value(column),
                                       case.expected_amplification())
                    if value and value.median > 0 and expected:
                        pts.append((case.source_bytes,
                                    value.scaled(1.0 / expected)))
                    precision = source.rss_precision
                    if column == "peak_rss_amplification" and precision:
                        # RSS reads low by up to the precision: a true 1x
                        # reads anywhere from 1 - p / (M x N) to 1.
                        low = 1.0 - precision / (case.items
                                                 * case.source_bytes)
                        floor[case.source_bytes] = min(
                            low, floor.get(case.source_bytes, 1.0))
                if not pts:
                    continue
                ys += [v.low for _, v in pts] + [v.high for _, v in pts]
                draw_series(ax, [x for x, _ in pts], [v for _, v in pts],
                            styles[i],
                            source.label, gid("series", "amplification",
                                              column, rule, source.label))
                panel += 1
            if floor:
                bands.append((ax, sorted(floor.items())))
            if not panel:
                no_data(ax)
            drawn += panel
    if not drawn:
        return None
    lo, hi = min(y for y in ys if y > 0) / 1.25, max(ys) * 1.25
    axes[0][0].set_ylim(lo, hi)       # shared by every panel
    for ax, pts in bands:
        band = ax.fill_between([x for x, _ in pts],
                               [max(y, lo) for _, y in pts], 1.0,
                               color="#bbbbbb", alpha=0.35, linewidth=0,
                               zorder=0)
        band.set_gid("band-amplification")
    handles = [legend_handle(styles[i], f"{s.label}: retain")
               for i, s in enumerate(sel.sources)]
    if bands:
        handles.append(Patch(color="#bbbbbb", alpha=0.5,
                             label="1× within the RSS precision "
                                   "(precision / (M × N))"))
    handles.append(Line2D([], [], color="#555555", linestyle="--",
                          label="1×: exactly N/k, the whole buffer kept "
                                "for k bytes"))
    finish(figure, axes, "retain's amplification over the expected N/k",
           sel.describe(with_sources=False), handles, bars_note(sel),
           "N (source buffer size)", "measured / (N/k)")
    caption = ("retain's amplification divided by N/k, the amplification "
               "it has when each kept view pins exactly its N-byte source: "
               "the dashed line at 1× is that expectation, above it more is "
               "held or resident than the sources alone (allocator headers, "
               "size classes, pages), below it less (a band of RSS that "
               "the kernel had not counted yet). Left: held_bytes, which "
               "counts capacities and so is the same under every allocator "
               "(the lines coincide); right: peak RSS growth, where the "
               "grey band spans what an exact 1× can read as, the RSS "
               "precision (rss_precision_bytes) over M × N: a point in the "
               "band does not deviate measurably. One line per allocator, "
               f"told apart by colour and marker; {bars_note(sel)}.")
    return Plot("amplification", "Amplification of retain over N/k",
                caption, figure)


def figure_tradeoff(sel):
    """Time per item over receive-only's against amplification: panels
    allocators (rows) by representative N (columns), k rule of the
    findings table; a marker per strategy."""
    rule, sizes = table_sizes(sel)
    shown = [s for s in sel.strategies if s != BASELINE]
    if not sizes or not shown:
        return None
    figure, axes = new_figure(len(sel.sources), len(sizes), 3.6, 2.8,
                              sharex=False, sharey=True)
    drawn, used = 0, []
    for r, source in enumerate(sel.sources):
        for col, n in enumerate(sizes):
            ax = axes[r][col]
            set_log_axis(ax.xaxis, "ratio")
            set_log_axis(ax.yaxis, "ratio")
            ref = ax.axhline(1.0, color="#555555", linestyle="--",
                             linewidth=1.0, zorder=1)
            ref.set_gid(gid("reference", "tradeoff", source.label, n))
            xs, ms, panel = [1.0], set(), 0
            for strategy in shown:
                at = [c for c in source.select(strategy, rule)
                      if c.source_bytes == n]
                if not at:
                    continue
                case = at[-1]             # the largest M, as the findings
                amp = case.value("amplification")
                ratio = relative_time(case, source.baseline(case))
                if amp is None or amp.median <= 0 or ratio is None:
                    continue
                colour, marker, _ = strategy_style(
                    strategy, sel.strategies.index(strategy))
                line, = ax.plot([amp.median], [ratio.median], color=colour,
                                marker=marker, linestyle="none",
                                markersize=7, markeredgewidth=1.3,
                                markerfacecolor="none", zorder=3)
                line.set_gid(gid("series", "tradeoff", source.label, n,
                                 strategy))
                if ratio.high > ratio.low:
                    draw_bars(ax, [amp.median], [ratio], colour)
                if amp.high > amp.low:
                    draw_bars(ax, [ratio.median], [amp], colour,
                              horizontal=True)
                xs.append(amp.median)
                ms.add(case.items)
                panel += 1
                if strategy not in used:
                    used.append(strategy)
            pad = max(1.4, (max(xs) / min(xs)) ** 0.08)
            ax.set_xlim(min(xs) / pad, max(xs) * pad)
            m_text = (" · M = " + ", ".join(map(str, sorted(ms)))) if ms \
                else ""
            ax.set_title(f"{source.label} · N = {units.format_bytes(n)}"
                         + m_text, fontsize=10)
            if not panel:
                no_data(ax)
            drawn += panel
    if not drawn:
        return None
    handles = strategy_handles(used, linestyle="none")
    handles.append(Line2D([], [], color="#555555", linestyle="--",
                          label="1×: receiving alone (receive-only's time)"))
    finish(figure, axes, "Trade-off: time per item relative to receiving "
           "alone, against memory amplification",
           f"{sel.describe(with_sources=False)} · k = {rule}", handles,
           bars_note(sel), "amplification (held / needed)",
           "time / receive-only's", inner_x_labels=True)
    sizes_text = ", ".join(units.format_bytes(n) for n in sizes)
    caption = (
        "Which fix is cheapest for the memory it saves, for the k rule "
        f"{rule}. One row of panels per allocator, one column per source "
        f"size of the findings table ({sizes_text}); the panel title gives "
        "M. Each marker is one strategy (colour and shape as in the other "
        "figures): across, its amplification (held_bytes / needed_bytes: 1× "
        "holds only what was kept, retain sits near N/k); up, its median "
        "wall-clock time per item divided by the median time per item of "
        "receive-only in the same case. The dashed line at 1× is receiving "
        "alone. Lower left is best. receive-only has no marker: it keeps "
        "nothing and is the baseline itself. ")
    if sel.max_repetitions >= 2:
        caption += ("Bars span the minimum to the maximum of the "
                    "repetitions (time: each over receive-only's median; "
                    "the baseline's own spread is not in them), so a "
                    "marker whose bar crosses 1× is not measurably slower "
                    "than receiving alone.")
    else:
        caption += "One repetition per case: no error bars."
    return Plot("tradeoff", "Trade-off", caption, figure)


FIGURES = {"time": figure_time, "held": figure_held, "rss": figure_rss,
           "amplification": figure_amplification,
           "tradeoff": figure_tradeoff}


def make_plots(sel, names=FIGURE_NAMES):
    """The non-empty figures of a Selection among `names`, as Plots."""
    plots = []
    for name in names:
        plot = FIGURES[name](sel)
        if plot is not None:
            plots.append(plot)
    return plots
