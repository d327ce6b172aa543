"""The figure of scripts/gc-vs-go: the model's --gc=go against real Go,
case by case.

    plot = figure(table, repetitions)     # a style.Plot
    plot.render("png")

One column per GOGC, two rows: peak RSS, and page faults per item. Each
case is a marker at (Go's median, the model's median), on log axes, in its
strategy's colour and marker; a horizontal bar spans Go's own spread (its
lowest to its highest repetition). The diagonal is model = Go, the dashed
lines the issue's bounds (25 %; for the peak, 1 MiB where that is more).
A marker between the dashed lines is within the bounds of Go's median; one
outside them but level with its bar is within what Go itself does.
"""

from . import style
from .schema import STRATEGY_NAMES

MIB = 1 << 20
TOLERANCE = 0.25

# (row title, model key, Go median key, Go min key, Go max key, scale, floor)
_ROWS = (
    ("peak RSS, MiB", "rss_model", "rss_go", "rss_go_min", "rss_go_max", MIB, 1.0),
    ("page faults per item", "pf_model", "pf_go", "pf_go_min", "pf_go_max", 1, 0.0),
)


def _bounds(ax, lo, hi, floor):
    """The diagonal and the bounds around it, over [lo, hi]."""
    xs = [lo * (hi / lo) ** (i / 60) for i in range(61)]
    ax.plot(xs, xs, color="#444444", linewidth=0.9, zorder=1)
    for sign in (-1, 1):
        ys = [max(x + sign * max(TOLERANCE * x, floor), lo / 2) for x in xs]
        ax.plot(xs, ys, color="#888888", linewidth=0.8, linestyle="--", zorder=1)


def _log_ticks(axis, lo, hi):
    """Labels at 1, 2 and 5 times the powers of ten (only the powers when
    the axis spans more than three decades), as plain numbers: a panel
    over 15-200 MiB had the one label 10^2."""
    from matplotlib import ticker
    subs = (1.0,) if hi / lo > 1e3 else (1.0, 2.0, 5.0)
    axis.set_major_locator(ticker.LogLocator(base=10, subs=subs))
    axis.set_major_formatter(ticker.FuncFormatter(lambda v, _: f"{v:g}"))
    axis.set_minor_formatter(ticker.NullFormatter())


def figure(table, repetitions):
    """A style.Plot of table (gcvsgo.compare's rows)."""
    gogcs = sorted({r["gogc"] for r in table})
    strategies = [s for s in STRATEGY_NAMES if any(r["strategy"] == s for r in table)]
    strategies += sorted({r["strategy"] for r in table} - set(strategies))
    fig, axes = style.new_figure(len(_ROWS), len(gogcs), 4.2, 3.6,
                                 sharex=False, sharey=False)
    for ri, (name, mk, gk, lok, hik, scale, floor) in enumerate(_ROWS):
        for ci, gogc in enumerate(gogcs):
            ax = axes[ri][ci]
            rows = [r for r in table if r["gogc"] == gogc and r[mk] and r[gk]
                    and r[lok] and r[hik]]
            ax.set_title(f"{name}, GOGC {gogc}", fontsize=10)
            ax.set_xscale("log")
            ax.set_yscale("log")
            if not rows:
                style.no_data(ax)
                continue
            vals = [v / scale for r in rows for v in (r[mk], r[gk], r[lok], r[hik])]
            lo, hi = min(vals) / 1.3, max(vals) * 1.3
            _bounds(ax, lo, hi, floor)
            for si, s in enumerate(strategies):
                colour, marker, _ = style.strategy_style(s, si)
                pts = [r for r in rows if r["strategy"] == s]
                if not pts:
                    continue
                line, = ax.plot([r[gk] / scale for r in pts],
                                [r[mk] / scale for r in pts],
                                linestyle="none", color=colour, marker=marker,
                                markersize=6, markeredgewidth=1.3,
                                markerfacecolor="none", zorder=3)
                line.set_gid(style.gid("series", name, gogc, s))
                for r in pts:
                    ax.plot([r[lok] / scale, r[hik] / scale],
                            [r[mk] / scale] * 2, color=colour,
                            linewidth=1.0, zorder=2)
            ax.set_xlim(lo, hi)
            ax.set_ylim(lo, hi)
            _log_ticks(ax.xaxis, lo, hi)
            _log_ticks(ax.yaxis, lo, hi)
    handles = style.strategy_handles(strategies, linestyle="none")
    style.finish(fig, axes, "The model's --gc=go against real Go 1.19 "
                 "(GOMAXPROCS=1), case by case",
                 f"medians of {repetitions} processes a side; bars: Go's "
                 "lowest to highest; dashed: ±25 % (peak: or 1 MiB)",
                 handles, None, "Go", "model", inner_x_labels=True)
    fig.subplots_adjust(hspace=0.38)
    for ri, row in enumerate(axes):
        row[0].set_ylabel(f"model, {_ROWS[ri][0]}")
        for ax in row:
            ax.set_xlabel(f"Go, {_ROWS[ri][0]}")
    return style.Plot("gc-vs-go", "The model's --gc=go against real Go",
                      "Peak RSS and page faults per item of the model's Go GC "
                      "mode against real Go, per case.", fig)
