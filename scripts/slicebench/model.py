"""What the figures, the findings table and the report show, without
matplotlib: loaded rows grouped into sources and cases, each figure of a case
as its median and spread over the repetitions.

    sel = select(results, elem_bytes=None, growth_policy="go",
                 allocators=None, strategies=None)    # a Selection
    for source in sel.sources:                        # one per file+allocator
        for case in source.select("retain", "16"):    # ordered by N, then M
            v = case.value("held_bytes")              # a Value, or None
            v.median, v.low, v.high, v.q1, v.q3, v.n

`select` keeps the rows with status "ok" that match the filters. A source is
one input file and allocator (labelled by the allocator, with the run id or
file name added when two files share one), ordered as schema.ALLOCATORS
lists allocators; a case is one parameter combination and k rule. A case's
value is the median of its repetitions; low/high are their minimum and
maximum, q1/q3 the quartiles. Skipped rows and empty cells are left out,
never taken as zero. A filter that matches nothing raises PlotError naming
the files and the values present.
"""

import math
import os
import re
import statistics

from . import units
from .results import ResultsError, case_key
from .schema import (BASELINE, GO_ALLOCATOR, allocator_order, collector_label,
                     collector_order, strategy_order)


class PlotError(ResultsError):
    """Inputs that load but cannot be shown (no row matches a filter)."""


def rule_order(rule):
    """Sort key of k rules: fixed sizes ascending, then fractions of N."""
    if rule.isdigit():
        return (0, int(rule), rule)
    match = re.fullmatch(r"N/(\d+)", rule)
    if match and int(match.group(1)) > 0:
        return (1, 1.0 / int(match.group(1)), rule)
    return (2, 0, rule)


class Value:
    """A figure over n repetitions: median, min (low), max (high) and the
    quartiles q1, q3 (with one repetition all five are that value)."""

    __slots__ = ("median", "low", "high", "q1", "q3", "n")

    def __init__(self, samples):
        samples = sorted(samples)
        self.n = len(samples)
        self.median = statistics.median(samples)
        self.low, self.high = samples[0], samples[-1]
        if self.n >= 2:
            self.q1, _, self.q3 = statistics.quantiles(
                samples, n=4, method="inclusive")
        else:
            self.q1 = self.q3 = self.median

    @classmethod
    def of(cls, samples):
        """A Value, or None when there are no samples."""
        samples = [s for s in samples if s is not None]
        return cls(samples) if samples else None

    def scaled(self, factor):
        """The same Value with every sample multiplied by factor > 0."""
        v = Value.__new__(Value)
        for name in ("median", "low", "high", "q1", "q3"):
            setattr(v, name, getattr(self, name) * factor)
        v.n = self.n
        return v

    def spread(self, fmt, with_n=True):
        """"median (min–max, n=…)" in the units of a slicebench.units
        formatter; without n when with_n is False."""
        n = f", n={self.n}" if with_n else ""
        if self.n < 2:
            return f"{fmt(self.median)} (n=1)"
        return (f"{fmt(self.median)} "
                f"({units.format_range(self.low, self.high, fmt)}{n})")

    def overlaps(self, other):
        """True when the min–max ranges of two Values meet: a difference
        between their medians may be noise."""
        return self.low <= other.high and other.low <= self.high

    def __repr__(self):
        return (f"Value(median={self.median!r}, low={self.low!r}, "
                f"high={self.high!r}, n={self.n})")


class Case:
    """One parameter combination of one source and its repetition rows."""

    def __init__(self, rows):
        first = rows[0]
        self.strategy = first["strategy"]
        self.allocator = first["allocator"]
        self.source_bytes = first["source_bytes"]   # N, bytes
        self.kept_bytes = first["kept_bytes"]       # k, bytes
        self.kept_rule = first["kept_rule"]         # "16", "N/8", ...
        self.items = first["items"]                 # M
        self.elem_bytes = first["elem_bytes"]
        self.growth_policy = first["growth_policy"]
        self.repetitions = rows

    def value(self, column):
        """The Value of one figure column, or None when not measured."""
        return Value.of(r[column] for r in self.repetitions)

    def per_item(self, column):
        """The Value of a byte column divided by M (items), or None."""
        value = self.value(column)
        return value.scaled(1.0 / self.items) if value else None

    def expected_amplification(self):
        """N/k, the amplification retain has if nothing else is held."""
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

    def baseline(self, case):
        """The receive-only Case of the same N, k, M and k rule, or None."""
        for c in self.cases:
            if (c.strategy == BASELINE and c.source_bytes == case.source_bytes
                    and c.kept_bytes == case.kept_bytes
                    and c.items == case.items
                    and c.kept_rule == case.kept_rule):
                return c
        return None

    @property
    def rss_precision(self):
        """rss_precision_bytes from the file's metadata, or None."""
        text = self.results.meta.get("rss_precision_bytes", "")
        return int(text) if text.isdigit() and int(text) > 0 else None


class Selection:
    """What the figures show: the chosen sources and the filters used."""

    def __init__(self, results, sources, elem_bytes, growth_policy, skipped,
                 strategies):
        self.results = results              # every input file, in order
        self.sources = sources              # list of Source
        self.elem_bytes = elem_bytes
        self.growth_policy = growth_policy
        self.skipped = skipped      # (source label, benchmark, message)
        cases = [c for s in sources for c in s.cases
                 if strategies is None or c.strategy in strategies]
        self.strategies = sorted({c.strategy for c in cases},
                                 key=strategy_order)
        self.kept_rules = sorted({c.kept_rule for c in cases},
                                 key=rule_order)
        self.items = sorted({c.items for c in cases})
        self.sizes = sorted({c.source_bytes for c in cases})
        self.max_repetitions = max((len(c.repetitions) for c in cases),
                                   default=0)

    @property
    def paths(self):
        return [r.path for r in self.results]

    @property
    def run_id(self):
        """The run id of the first input file (else its file name)."""
        first = self.results[0]
        return (first.run_id
                or os.path.splitext(os.path.basename(first.path))[0])

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
            parts.append("M varies with N")
        return " · ".join(parts)


def select(results, elem_bytes=None, growth_policy="go", allocators=None,
           strategies=None):
    """Filter loaded results (slicebench.results.Results) into a Selection.

    growth_policy: keep rows of this policy ("go" by default).
    allocators, strategies: iterables of names to keep; None keeps all.
    The receive-only cases stay in the sources (as baselines) even when a
    strategies filter leaves them out of the figures.
    elem_bytes: keep this element size; None picks the smallest one left.
    Raises PlotError when no row is left after a filter.
    """
    where = ", ".join(r.path for r in results)
    pairs = [(res, row) for res in results for row in res.rows]
    ok = [(res, row) for res, row in pairs if row["status"] == "ok"]
    if not ok:
        raise PlotError(f"{where}: no rows with status ok "
                        "(every benchmark was skipped)")

    def narrow(rows, column, wanted, shown, extra=()):
        kept = [(res, row) for res, row in rows
                if row[column] in wanted or row[column] in extra]
        if not any(row[column] in wanted for _, row in kept):
            present = sorted({str(row[column]) for _, row in rows})
            raise PlotError(f"{where}: no rows with {column}={shown} "
                            f"(present: {', '.join(present)})")
        return kept

    ok = narrow(ok, "growth_policy", {growth_policy}, growth_policy)
    if allocators:
        ok = narrow(ok, "allocator", set(allocators), ",".join(allocators))
    if strategies:
        strategies = set(strategies)
        ok = narrow(ok, "strategy", strategies, ",".join(sorted(strategies)),
                    extra=(BASELINE,))
    if elem_bytes is None:
        elem_bytes = min(row["elem_bytes"] for _, row in ok)
    ok = narrow(ok, "elem_bytes", {elem_bytes}, str(elem_bytes))

    # a source: one file's rows of one allocator under one collector
    grouped = {}
    for res, row in ok:
        grouped.setdefault((id(res), row["allocator"], collector(row)),
                           (res, row["allocator"], collector(row), []))[3].append(row)
    order = sorted(grouped.values(),     # stable: file order
                   key=lambda g: (allocator_order(g[1]),
                                  collector_order(g[3][0]["gc"], g[3][0]["gogc"])))
    names = _source_names([(alloc, coll) for _, alloc, coll, _ in order])
    labels = _source_labels([(res, name) for (res, *_), name in zip(order, names)])
    sources = [Source(res, alloc, label, _cases_of(rows))
               for (res, alloc, _, rows), label in zip(order, labels)]

    label_of = {(id(res), alloc, coll): label
                for (res, alloc, coll, _), label in zip(order, labels)}
    skipped, seen = [], set()
    for res, row in pairs:
        key = (id(res), row["allocator"], collector(row))
        if (row["status"] != "ok" and key in label_of
                and row["growth_policy"] == growth_policy
                and row["elem_bytes"] == elem_bytes
                and (not strategies or row["strategy"] in strategies)):
            case = (key, case_key(row), row["kept_rule"])
            if case not in seen:
                seen.add(case)
                skipped.append((label_of[key], row["benchmark"],
                                row["message"]))
    return Selection(results, sources, elem_bytes, growth_policy, skipped,
                     strategies)


def collector(row):
    """How a row's dead arrays were freed, as a legend shows it
    (schema.collector_label)."""
    return collector_label(row["gc"], row["gogc"])


def _source_names(pairs):
    """The names of (allocator, collector) sources: the allocator, and the
    collector where it is not the allocator's own (Go's collector on a C
    allocator) or the allocator runs under several."""
    several = {a for a, _ in pairs
               if len({c for b, c in pairs if b == a}) > 1}
    return [f"{a}/{c}" if c and (a != GO_ALLOCATOR or a in several) else a
            for a, c in pairs]


def _cases_of(rows):
    """The Cases of rows of one source, in the order they first appear."""
    cases = {}
    for row in rows:
        cases.setdefault((case_key(row), row["kept_rule"]), []).append(row)
    return [Case(group) for group in cases.values()]


def _source_labels(pairs):
    """Legend labels for (Results, allocator) pairs: the allocator, made
    unique with the run id, else the file name, else the position."""
    labels = [alloc for _, alloc in pairs]
    if len(set(labels)) < len(labels):
        labels = [f"{alloc} ({res.run_id or '?'})" for res, alloc in pairs]
    if len(set(labels)) < len(labels):
        labels = [f"{alloc} ({os.path.basename(res.path)})"
                  for res, alloc in pairs]
    if len(set(labels)) < len(labels):
        labels = [f"{alloc} (#{i + 1})" for i, (_, alloc) in enumerate(pairs)]
    return labels


def relative_time(case, baseline):
    """A case's time per item over its receive-only case's median, as a
    Value (each repetition over that same median). None when either is
    missing."""
    time = case.value("real_time_per_item_ns") if case else None
    base = baseline.value("real_time_per_item_ns") if baseline else None
    if time is None or base is None:
        return None
    return time.scaled(1.0 / base.median)


def representative_sizes(sizes, reference=64 * 1024):
    """The smallest size, the one nearest `reference` (on a log scale) and
    the largest, without repeats, in increasing order."""
    sizes = sorted(set(s for s in sizes if s > 0))
    if not sizes:
        return []
    middle = min(sizes, key=lambda n: (abs(math.log2(n / reference)), n))
    return sorted({sizes[0], middle, sizes[-1]})


PREFERRED_RULE = "16"


def table_sizes(sel):
    """(k rule, sizes) of the findings table and the trade-off figure: the
    rule "16" (else the first present) and the representative N of it."""
    rule = (PREFERRED_RULE if PREFERRED_RULE in sel.kept_rules
            else sel.kept_rules[0])
    sizes = representative_sizes(
        c.source_bytes for s in sel.sources for c in s.cases
        if c.kept_rule == rule)
    return rule, sizes
