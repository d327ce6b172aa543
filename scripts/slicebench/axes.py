"""Log axes for the figures: where the ticks go and how they read.

set_log_axis(axis, kind, at=None)
    Make a matplotlib Axis logarithmic with labels in `kind` units, all from
    slicebench.units: "bytes" (B, KiB, MiB), "count" (plain, Ki, Mi), "ns"
    (ns, µs, ms, s) or "ratio" (1×, 10×, ...). With `at` (the values that
    were measured, e.g. the sizes N of a sweep) the ticks are those values,
    and as many of them as fit (evenly spread) are labelled; else powers of
    two (bytes, count) or
    1-2-5 decades (ns, ratio). No minor ticks: they cost time and say
    nothing the grid does not.

The locators work for any positive finite view, however extreme: exponents
are clamped to what a float can hold and ticks that overflow are dropped.
"""

import math

from matplotlib import ticker

from . import units

MAX_FIXED_TICKS = 8
_MAX_EXP2, _MIN_EXP2 = 1023, -1074
_MAX_EXP10, _MIN_EXP10 = 307, -323


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
        if not (vmax > 0 and math.isfinite(vmax)):
            return []
        if not (vmin > 0 and math.isfinite(vmin)):
            vmin = vmax / 1e6
        return [t for t in self._ticks(vmin, vmax)
                if t > 0 and math.isfinite(t)]


class PowerOfTwoLocator(_LogLocator):
    """Ticks at powers of two, every 1, 2, 4, 10, ... exponents so that at
    most `max_ticks` fall inside the view."""

    STRIDES = (1, 2, 4, 10, 20, 40, 100, 200, 400)

    def __init__(self, max_ticks=7):
        super().__init__(max_ticks)

    def _ticks(self, vmin, vmax):
        lo = max(math.floor(math.log2(vmin)), _MIN_EXP2)
        hi = min(math.ceil(math.log2(vmax)), _MAX_EXP2)
        ticks = []
        for stride in self.STRIDES:
            first = lo - lo % stride
            ticks = [2.0 ** e for e in range(first, hi + 1, stride)
                     if _MIN_EXP2 <= e <= _MAX_EXP2]
            if sum(vmin <= t <= vmax for t in ticks) <= self.max_ticks:
                break
        return ticks


class DecadeLocator(_LogLocator):
    """Ticks at 1, 10, 100, ... or, on a short axis, 1-2-5 or finer steps,
    so that at least three (at most `max_ticks`) fall inside the view; on a
    view too narrow for those, evenly spaced round values."""

    MANTISSAS = ((1,), (1, 2, 5), (1, 1.5, 2, 3, 5, 7))

    def __init__(self, max_ticks=8):
        super().__init__(max_ticks)

    def _ticks(self, vmin, vmax):
        lo = max(math.floor(math.log10(vmin)), _MIN_EXP10)
        hi = min(math.ceil(math.log10(vmax)), _MAX_EXP10)
        ticks, inside = [], 0
        for mantissas in self.MANTISSAS:
            stride = 1
            while True:
                first = lo - lo % stride
                ticks = [m * 10.0 ** e
                         for e in range(first, hi + 1, stride)
                         for m in mantissas]
                inside = sum(vmin <= t <= vmax for t in ticks)
                if inside <= self.max_ticks or len(mantissas) > 1:
                    break
                stride += 1
            if inside >= 3:
                return ticks
        # A view narrower than 1-1.5-2: evenly spaced round values in it.
        return list(ticker.MaxNLocator(nbins=4, steps=[1, 2, 2.5, 5, 10])
                    .tick_values(vmin, vmax))


def measured_ticks(values, limit=MAX_FIXED_TICKS):
    """The distinct positive finite values, thinned to at most `limit` that
    are spread evenly on a log scale: the first is kept, then each value at
    least an even share of the span past the last one kept, and the last
    value in place of a kept one too close to it."""
    values = sorted({v for v in values
                     if v is not None and v > 0 and math.isfinite(v)})
    if len(values) <= max(limit, 1):
        return values
    if limit < 2:
        return values[:1]
    logs = [math.log(v) for v in values]
    gap = 0.95 * (logs[-1] - logs[0]) / (limit - 1)
    kept = [0]
    for i in range(1, len(values)):
        if logs[i] - logs[kept[-1]] >= gap:
            kept.append(i)
    if kept[-1] != len(values) - 1:
        if len(kept) > 1 and logs[-1] - logs[kept[-1]] < gap:
            kept.pop()
        kept.append(len(values) - 1)
    return [values[i] for i in kept]


_FORMATS = {
    "bytes": (PowerOfTwoLocator, units.format_bytes),
    "count": (PowerOfTwoLocator, units.format_count),
    "ns": (DecadeLocator, units.format_ns),
    "ratio": (DecadeLocator,
              lambda v: units.format_ratio(v, compact=True)),
}


def set_log_axis(axis, kind, at=None, labels=MAX_FIXED_TICKS):
    """Make a matplotlib Axis logarithmic, labelled in `kind` units, with
    ticks at `at` (measured values: every one gets a tick and a grid line,
    at most `labels` of them, evenly spread, get a label so that none
    overlap) or at round values (see the module)."""
    locator, fmt = _FORMATS[kind]
    base = 2 if locator is PowerOfTwoLocator else 10
    if axis.axis_name == "x":
        axis.axes.set_xscale("log", base=base)
    else:
        axis.axes.set_yscale("log", base=base)
    ticks = measured_ticks(at, limit=len(at)) if at is not None else []
    if ticks:
        shown = measured_ticks(ticks, labels)

        def label(value, _pos):
            near = any(abs(value - s) <= 1e-9 * s for s in shown)
            return fmt(value) if near else ""
        axis.set_major_locator(ticker.FixedLocator(ticks))
        axis.set_major_formatter(ticker.FuncFormatter(label))
    else:
        axis.set_major_locator(locator())
        axis.set_major_formatter(
            ticker.FuncFormatter(lambda v, _pos: fmt(v)))
    axis.set_minor_locator(ticker.NullLocator())
