#!/usr/bin/python3
"""Tests of the plots: slicebench.units, slicebench.plot and scripts/plot.py.

Run from anywhere:  /usr/bin/python3 tests/python/test_plot.py [-v]

Uses the fixtures in tests/fixtures/plot/ (see make_fixtures.py there) and
writes only into temporary directories.
"""

import os
import shutil
import subprocess
import sys
import tempfile
import unittest
import xml.etree.ElementTree as ET

import testenv  # first: REPO, scripts/ on sys.path, no bytecode

REPO = testenv.REPO

from slicebench import (  # noqa: E402
    axes, figures, findings, model, plot, results, schema, style, units)

FIXTURES = os.path.join(REPO, "tests", "fixtures", "plot")
RUN_ID = "20261126T230102Z_3f2a9c1"
GLIBC = os.path.join(FIXTURES, f"{RUN_ID}_glibc.csv")
MIMALLOC = os.path.join(FIXTURES, f"{RUN_ID}_mimalloc.csv")
GO = os.path.join(FIXTURES, f"{RUN_ID}_go.csv")
V1 = os.path.join(FIXTURES, "v1_glibc.csv")
GOOD = [GLIBC, MIMALLOC, GO]
SIZES = [64, 4096, 65536, 1 << 20]
ITEMS = {64: 200, 4096: 200, 65536: 100, 1 << 20: 50}
CLI = os.path.join(REPO, "scripts", "plot.py")
SYSTEM_PYTHON = "/usr/bin/python3"
PNGS = {f"{name}.png" for name in plot.FIGURE_NAMES}
OWN_FILES = PNGS | {"findings.md", "report.html"}
SVGS = {f"{name}.svg" for name in plot.FIGURE_NAMES}

# Data series per figure for the three-allocator fixture run (2 k rules):
# 7 strategies per panel (2 rules x 3 allocators), minus receive-only where
# it holds 0 bytes (held); amplification a line per allocator in each of
# 2 rules x 2 columns; tradeoff a marker per strategy but receive-only in
# each of 3 allocators x 3 sizes, minus mimalloc's retain skipped at 1 MiB.
EXPECTED_SERIES = {"time": 42, "held": 36, "rss": 42, "amplification": 12,
                   "tradeoff": 3 * 3 * 6 - 1}

# Trade-off panels: allocators (rows) by the findings table's sizes.
TRADEOFF_TITLES = [f"{a} · N = {n} · M = {m}"
                   for a in ("glibc", "mimalloc", "go")
                   for n, m in (("64 B", 200), ("64 KiB", 100),
                                ("1 MiB", 50))]


def run_cli(args, cwd, python=SYSTEM_PYTHON, env=None, **kwargs):
    env = dict(os.environ, PYTHONDONTWRITEBYTECODE="1", **(env or {}))
    env.pop("SLICEBENCH_PLOT_REEXEC", None)
    kwargs.setdefault("capture_output", True)
    return subprocess.run([python, CLI] + args, cwd=cwd, env=env,
                          text=True, timeout=120, **kwargs)


def svg_series(path):
    """Count <g id="series-..."> groups of an SVG file, per figure name."""
    tree = ET.parse(path)
    return sum(1 for g in tree.iter("{http://www.w3.org/2000/svg}g")
               if g.get("id", "").startswith("series-"))


class UnitsTest(unittest.TestCase):
    def test_bytes(self):
        cases = {0: "0 B", 16: "16 B", 1000: "1000 B", 1024: "1 KiB",
                 1536: "1.5 KiB", 65536: "64 KiB", 1048575: "1 MiB",
                 3 * 2 ** 30: "3 GiB", None: "–"}
        for value, text in cases.items():
            self.assertEqual(units.format_bytes(value), text)

    def test_ns(self):
        cases = {0.5: "0.5 ns", 12.345: "12.3 ns", 999.4: "999 ns",
                 999.6: "1 µs", 1234: "1.23 µs", 45e6: "45 ms",
                 2.5e9: "2.5 s"}
        for value, text in cases.items():
            self.assertEqual(units.format_ns(value), text)

    def test_ratio_and_count(self):
        self.assertEqual(units.format_ratio(4096.0), "4096×")
        self.assertEqual(units.format_ratio(1.2857), "1.29×")
        self.assertEqual(units.format_ratio(65536.0), "65536×")
        self.assertEqual(units.format_ratio(1e5, compact=True), "100k×")
        self.assertEqual(units.format_count(32768), "32 Ki")
        self.assertEqual(units.format_count(8), "8")

    def test_range(self):
        self.assertEqual(units.format_range(4170, 4250), "4.17–4.25 µs")
        self.assertEqual(units.format_range(999, 1010), "999 ns–1.01 µs")
        self.assertEqual(units.format_range(1024, 3072, units.format_bytes),
                         "1–3 KiB")
        self.assertEqual(units.format_range(None, 1), units.MISSING)

    def test_power_of_two_ticks(self):
        loc = axes.PowerOfTwoLocator(max_ticks=7)
        ticks = [t for t in loc.tick_values(48, 1.5 * 2 ** 20)
                 if 48 <= t <= 1.5 * 2 ** 20]
        self.assertEqual(ticks, [256, 4096, 65536, 2 ** 20])
        ticks = [t for t in loc.tick_values(1, 2 ** 40) if 1 <= t <= 2 ** 40]
        self.assertEqual(ticks, [1, 2 ** 10, 2 ** 20, 2 ** 30, 2 ** 40])

    def test_decade_ticks(self):
        loc = axes.DecadeLocator()
        ticks = [t for t in loc.tick_values(10, 1e5) if 10 <= t <= 1e5]
        self.assertEqual(ticks, [10, 100, 1000, 1e4, 1e5])
        short = [t for t in loc.tick_values(15, 60) if 15 <= t <= 60]
        self.assertGreaterEqual(len(short), 3)
        narrow = [t for t in loc.tick_values(0.8, 1.08) if 0.8 <= t <= 1.08]
        self.assertGreaterEqual(len(narrow), 3)

    def test_extreme_views(self):
        # Finite but extreme: no overflow, only finite ticks.
        for loc in (axes.PowerOfTwoLocator(), axes.DecadeLocator()):
            for lo, hi in ((1e-320, 1e308), (1e300, 1.7e308), (5e-324, 1e-300),
                           (0.0, 1e308), (-5.0, 1e10), (1.0, float("inf"))):
                with self.subTest(locator=type(loc).__name__, view=(lo, hi)):
                    ticks = loc.tick_values(lo, hi)
                    self.assertTrue(all(t > 0 and t < float("inf")
                                        for t in ticks))

    def test_measured_ticks(self):
        self.assertEqual(axes.measured_ticks([4096, 64, 64, 0, None, 1024]),
                         [64, 1024, 4096])
        many = axes.measured_ticks([2 ** e for e in range(20)], limit=5)
        self.assertLessEqual(len(many), 5)
        self.assertEqual((many[0], many[-1]), (1, 2 ** 19))
        # The reference sweep's sizes under a narrow panel: evenly spread
        # labels, none closer than a share of the span.
        sizes = [64, 512, 4096, 32768, 1 << 17, 1 << 20, 1 << 22, 1 << 24]
        self.assertEqual(axes.measured_ticks(sizes, 5),
                         [64, 4096, 1 << 17, 1 << 24])

    def test_every_measured_size_ticked_some_labelled(self):
        sizes = [64, 512, 4096, 32768, 1 << 17, 1 << 20, 1 << 22, 1 << 24]
        from matplotlib.figure import Figure
        ax = Figure().subplots()
        axes.set_log_axis(ax.xaxis, "bytes", at=sizes, labels=5)
        self.assertEqual(list(ax.xaxis.get_majorticklocs()), sizes)
        fmt = ax.xaxis.get_major_formatter()
        self.assertEqual([fmt(v, 0) for v in sizes],
                         ["64 B", "", "4 KiB", "", "128 KiB", "", "",
                          "16 MiB"])


class ResultsTest(unittest.TestCase):
    def test_schema_2_rows(self):
        res = results.load(GLIBC)
        self.assertEqual(res.version, 2)
        self.assertEqual(res.run_id, RUN_ID)
        row = res.rows[0]
        for name in schema.COLUMN_NAMES:
            self.assertIn(name, row)
        self.assertIsInstance(row["batches"], int)
        self.assertIsInstance(row["real_time_per_item_ns"], float)
        self.assertEqual(res.aggregate("median"), [])

    def test_schema_1_reads_as_schema_2(self):
        v1, v2 = results.load(V1), results.load(GLIBC)
        self.assertEqual(v1.version, 1)
        self.assertEqual(len(v1.rows), len(v2.rows))   # aggregates dropped
        # ... but kept apart, for readers that fall back on a median.
        self.assertEqual(len(v1.aggregate("median")), len(v2.rows) // 2)
        self.assertTrue(all(r["aggregate"] == "median"
                            for r in v1.aggregate("median")))
        self.assertEqual(v2.aggregate("median"), [])
        # what schema 1 had no column for: kept_headers_bytes (empty)
        same = [k for k in schema.COLUMN_NAMES
                if k not in ("benchmark", "kept_headers_bytes")]
        for a, b in zip(v1.rows, v2.rows):
            self.assertEqual({k: a[k] for k in same}, {k: b[k] for k in same})
            self.assertIsNone(a["kept_headers_bytes"])
            self.assertEqual(a["gc"], "off")
            self.assertEqual(a["run_id"], RUN_ID)       # from metadata
            self.assertEqual(a["strategy_time_per_item_ns"],
                             b["strategy_time_per_item_ns"])

    def test_strategy_time_derived_from_all_rows(self):
        res = results.load(GLIBC)
        row = [r for r in res.rows if r["strategy"] == "copy"
               and r["source_bytes"] == 4096 and r["kept_rule"] == "16"
               and r["elem_bytes"] == 1 and r["growth_policy"] == "go"][0]
        base = [r["real_time_per_item_ns"] for r in res.rows
                if r["strategy"] == "receive-only"
                and r["source_bytes"] == 4096 and r["kept_rule"] == "16"
                and r["elem_bytes"] == 1 and r["growth_policy"] == "go"]
        self.assertAlmostEqual(row["strategy_time_per_item_ns"],
                               row["real_time_per_item_ns"]
                               - (base[0] + base[1]) / 2)
        # The baseline after the row, or rows shuffled: the same values.
        rows = [dict(r) for r in reversed(res.rows)]
        results.derive_strategy_time(rows)
        self.assertEqual(sorted(str(r["strategy_time_per_item_ns"])
                                for r in rows),
                         sorted(str(r["strategy_time_per_item_ns"])
                                for r in res.rows))
        skipped = [r for r in results.load(MIMALLOC).rows
                   if r["status"] != "ok"]
        self.assertTrue(all(r["strategy_time_per_item_ns"] is None
                            for r in skipped))

    def test_no_final_line_break_refused(self):
        with tempfile.TemporaryDirectory() as tmp:
            path = os.path.join(tmp, "x.csv")
            with open(GLIBC, "rb") as f:
                data = f.read()
            with open(path, "wb") as f:
                f.write(data.rstrip(b"\n"))      # complete cells, no break
            with self.assertRaises(results.ResultsError) as caught:
                results.load(path)
            self.assertIn("cut while being written", str(caught.exception))

    def test_size_cap(self):
        with self.assertRaises(results.ResultsError) as caught:
            results.read_bytes(GLIBC, limit=100)
        self.assertIn("more than the 100", str(caught.exception))

    def test_allocators_list(self):
        self.assertEqual(schema.ALLOCATORS,
                         ("glibc", "mimalloc", "jemalloc", "go"))
        self.assertIn("asan", schema.KNOWN_ALLOCATORS)


class SelectTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.results = results.load_many([GO, MIMALLOC, GLIBC])
        cls.sel = plot.select(cls.results)

    def test_defaults(self):
        sel = self.sel
        self.assertEqual(sel.elem_bytes, 1)            # smallest present
        self.assertEqual(sel.growth_policy, "go")
        # Sources in the order of schema.ALLOCATORS, not of the arguments.
        self.assertEqual([s.label for s in sel.sources],
                         ["glibc", "mimalloc", "go"])
        self.assertEqual(sel.strategies, list(schema.STRATEGY_NAMES))
        self.assertEqual(sel.kept_rules, ["16", "N/8"])
        self.assertEqual(sel.items, [50, 100, 200])
        self.assertEqual(sel.sizes, SIZES)
        self.assertEqual(sel.max_repetitions, 2)
        self.assertIn("M varies with N", sel.describe())

    def test_value_is_median_with_min_max_and_quartiles(self):
        glibc = self.sel.sources[0]
        case = [c for c in glibc.select("copy", "16")
                if c.source_bytes == 65536][0]
        value = case.value("real_time_per_item_ns")
        self.assertAlmostEqual(value.median, (4247.7948 + 4169.5406) / 2)
        self.assertEqual((value.low, value.high), (4169.5406, 4247.7948))
        self.assertEqual(value.n, 2)
        self.assertLessEqual(value.low, value.q1)
        self.assertLessEqual(value.q3, value.high)
        self.assertEqual(value.spread(units.format_ns),
                         "4.21 µs (4.17–4.25 µs, n=2)")
        held = case.per_item("held_bytes")
        self.assertEqual(held.median, 16.0)         # copy holds k per item

    def test_skipped_case_left_out(self):
        mimalloc = self.sel.sources[1]
        sizes = [c.source_bytes for c in mimalloc.select("retain", "16")]
        self.assertEqual(sizes, [64, 4096, 65536])
        self.assertEqual(len(self.sel.skipped), 1)
        label, _, message = self.sel.skipped[0]
        self.assertEqual(label, "mimalloc")
        self.assertIn("over budget", message)

    def test_filters(self):
        sel = plot.select(self.results, elem_bytes=8)
        self.assertEqual([s.label for s in sel.sources], ["glibc"])
        sel = plot.select(self.results, growth_policy="double",
                          strategies=["retain", "copy"])
        self.assertEqual(sel.strategies, ["retain", "copy"])
        # receive-only stays in the sources as the baseline.
        case = sel.sources[0].select("copy")[0]
        self.assertIsNotNone(sel.sources[0].baseline(case))
        sel = plot.select(self.results, allocators=["mimalloc"])
        self.assertEqual([s.label for s in sel.sources], ["mimalloc"])

    def test_filter_errors_name_files_and_present_values(self):
        for kwargs, text in (
                ({"allocators": ["tcmalloc"]},
                 "no rows with allocator=tcmalloc (present: glibc, go, "
                 "mimalloc)"),
                ({"elem_bytes": 3},
                 "no rows with elem_bytes=3 (present: 1, 8)"),
                ({"growth_policy": "x1.5"},
                 "no rows with growth_policy=x1.5 (present: double, go)")):
            with self.assertRaises(plot.PlotError) as caught:
                plot.select(self.results, **kwargs)
            message = str(caught.exception)
            self.assertIn(text, message)
            self.assertIn(GLIBC, message)
            self.assertNotIn("\n", message)
            self.assertIsInstance(caught.exception, results.ResultsError)

    def test_labels_unique_for_two_files_of_one_allocator(self):
        with tempfile.TemporaryDirectory() as tmp:
            other = os.path.join(tmp, "other_glibc.csv")
            with open(GLIBC) as f:
                text = f.read().replace(RUN_ID, "later")
            with open(other, "w") as f:
                f.write(text)
            sel = plot.select(results.load_many([GLIBC, other]))
            self.assertEqual([s.label for s in sel.sources],
                             [f"glibc ({RUN_ID})", "glibc (later)"])
        sel = plot.select(results.load_many([GLIBC, GLIBC]))
        self.assertEqual([s.label for s in sel.sources],
                         ["glibc (#1)", "glibc (#2)"])

    def test_one_source_per_collector(self):
        # one run of a case under gc off and Go's collector at two GOGCs:
        # three sources, each case with its own repetitions only, and the
        # receive-only baseline of its own collector
        with tempfile.TemporaryDirectory() as tmp:
            path = testenv.with_collectors(
                GLIBC, os.path.join(tmp, "gc_glibc.csv"),
                [(None, 1.0), (100, 2.0), (400, 3.0)])
            sel = plot.select(results.load_many([path]))
        self.assertEqual([s.label for s in sel.sources],
                         ["glibc", "glibc/gogc:100", "glibc/gogc:400"])
        self.assertEqual(sel.max_repetitions, 2)
        plain = plot.select(results.load_many([GLIBC])).sources[0]
        want = [c.value("real_time_per_item_ns").median
                for c in plain.select("copy", "16")]
        for source, factor in zip(sel.sources, (1.0, 2.0, 3.0)):
            got = [c.value("real_time_per_item_ns").median
                   for c in source.select("copy", "16")]
            for g, w in zip(got, want):
                self.assertAlmostEqual(g, w * factor, delta=w * 1e-9)
            for case in source.select("copy", "16"):
                for row in case.repetitions:
                    base = source.baseline(case).value("real_time_per_item_ns")
                    self.assertAlmostEqual(
                        row["strategy_time_per_item_ns"],
                        row["real_time_per_item_ns"] - base.median,
                        delta=base.median * 1e-9)
        # the amplification figure draws the three apart
        self.assertEqual(len(set(style.allocator_styles(
            [s.allocator for s in sel.sources]))), 3)

    def test_collectors_in_gogc_order(self):
        # GOGC as a number (1000 after 200), not as text
        with tempfile.TemporaryDirectory() as tmp:
            path = testenv.with_collectors(
                GLIBC, os.path.join(tmp, "gc_glibc.csv"),
                [(1000, 1.0), (None, 1.0), (200, 1.0), (50, 1.0)])
            sel = plot.select(results.load_many([path]))
        self.assertEqual([s.label for s in sel.sources],
                         ["glibc", "glibc/gogc:50", "glibc/gogc:200",
                          "glibc/gogc:1000"])


def series_of(p):
    """{gid: Line2D} of a figure's data series."""
    return {l.get_gid(): l for ax in p.figure.axes for l in ax.get_lines()
            if (l.get_gid() or "").startswith("series-")}


class FigureTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.sel = plot.select(results.load_many(GOOD))
        cls.plots = {p.name: p for p in plot.make_plots(cls.sel)}

    def test_every_figure_made(self):
        self.assertEqual(list(self.plots), list(plot.FIGURE_NAMES))
        quick = plot.make_plots(self.sel, figures.QUICK_FIGURE_NAMES)
        self.assertEqual([p.name for p in quick],
                         list(figures.QUICK_FIGURE_NAMES))

    def test_series_counts(self):
        for name, expected in EXPECTED_SERIES.items():
            with self.subTest(figure=name):
                self.assertEqual(len(self.plots[name].series()), expected)

    def test_grid_rules_by_allocators(self):
        titles = [ax.get_title() for ax in self.plots["time"].figure.axes]
        self.assertEqual(titles, [f"{a} · k = {r}" for r in ("16", "N/8")
                                  for a in ("glibc", "mimalloc", "go")])

    def test_single_allocator_is_one_row_of_rules(self):
        sel = plot.select(results.load_many([GLIBC]))
        p = figures.figure_time(sel)
        self.assertEqual([ax.get_title() for ax in p.figure.axes],
                         ["k = 16", "k = N/8"])
        self.assertEqual(len(p.series()), 14)
        self.assertIn("glibc", p.figure._suptitle.get_text())

    def test_ticks_at_measured_sizes(self):
        for name in ("time", "held", "rss", "amplification"):
            for ax in self.plots[name].figure.axes:
                self.assertEqual(list(ax.xaxis.get_majorticklocs()), SIZES,
                                 name)

    def test_no_zero_or_skipped_points(self):
        for name, p in self.plots.items():
            for ax in p.figure.axes:
                for line in ax.get_lines():
                    self.assertTrue(all(y > 0 for y in line.get_ydata()),
                                    (name, line))
        retain = series_of(self.plots["held"])["series-held-16-mimalloc-retain"]
        self.assertEqual(list(retain.get_xdata()), [64, 4096, 65536])

    def test_held_is_per_item_over_floor_k(self):
        p = self.plots["held"]
        lines = series_of(p)
        copy = lines["series-held-16-glibc-copy"]
        self.assertEqual(list(copy.get_ydata()), [16.0] * 4)   # M x k / M
        retain = lines["series-held-16-glibc-retain"]
        self.assertEqual(list(retain.get_ydata()), [float(n) for n in SIZES])
        floors = [l for ax in p.figure.axes for l in ax.get_lines()
                  if (l.get_gid() or "").startswith("floor-")]
        self.assertEqual(len(floors), 6)
        floor = [l for l in floors if l.get_gid() == "floor-held-16-glibc"][0]
        self.assertEqual(list(floor.get_ydata()), [16.0] * 4)
        self.assertIn("receive-only", p.caption)
        self.assertIn("per item", p.caption)

    def test_rss_precision_band(self):
        p = self.plots["rss"]
        bands = [c for ax in p.figure.axes for c in ax.collections
                 if c.get_gid() == "band-rss"]
        self.assertEqual(len(bands), 6)
        top = max(v[1] for v in bands[0].get_paths()[0].vertices)
        self.assertAlmostEqual(top, 262144 / 50)    # precision / M at 1 MiB
        self.assertIn("RSS precision", p.caption)
        labels = [t.get_text() for t in p.figure.legends[0].get_texts()]
        self.assertTrue(any("RSS precision" in l for l in labels))

    def test_time_values_are_medians(self):
        line = series_of(self.plots["time"])["series-time-16-glibc-copy"]
        glibc = self.sel.sources[0]
        want = [c.value("real_time_per_item_ns").median
                for c in glibc.select("copy", "16")]
        self.assertEqual(list(line.get_ydata()), want)

    def test_legends_name_strategies(self):
        legend = self.plots["time"].figure.legends[0]
        labels = [t.get_text() for t in legend.get_texts()]
        self.assertEqual(labels, [figures.strategy_label(s)
                                  for s in schema.STRATEGY_NAMES])
        self.assertIn("min–max of repetitions",
                      legend.get_title().get_text())

    def test_axis_labels_in_units(self):
        ax = self.plots["held"].figure.axes[0]
        self.assertEqual(ax.yaxis.get_major_formatter()(65536, 0), "64 KiB")
        self.assertEqual(ax.xaxis.get_major_formatter()(2 ** 20, 0), "1 MiB")
        ax = self.plots["time"].figure.axes[0]
        self.assertEqual(ax.yaxis.get_major_formatter()(1000, 0), "1 µs")
        self.assertEqual((ax.get_xscale(), ax.get_yscale()), ("log", "log"))

    def test_amplification_is_measured_over_expected(self):
        p = self.plots["amplification"]
        lines = series_of(p)
        held = lines["series-amplification-amplification-16-glibc"]
        self.assertEqual(list(held.get_xdata()), SIZES)
        self.assertTrue(all(abs(y - 1.0) < 1e-9 for y in held.get_ydata()))
        rss = lines["series-amplification-peak_rss_amplification-16-glibc"]
        case = [c for c in self.sel.sources[0].select("retain", "16")
                if c.source_bytes == 64][0]
        self.assertAlmostEqual(
            rss.get_ydata()[0],
            case.value("peak_rss_amplification").median / (64 / 16))
        refs = [l for ax in p.figure.axes for l in ax.get_lines()
                if (l.get_gid() or "").startswith("reference-")]
        self.assertEqual(len(refs), 4)
        self.assertTrue(all(list(r.get_ydata()) == [1, 1] for r in refs))
        # The RSS column shows what an exact 1x can read as: down to
        # 1 - precision / (M x N); at 1 MiB, M = 50.
        bands = [c for ax in p.figure.axes for c in ax.collections
                 if c.get_gid() == "band-amplification"]
        self.assertEqual(len(bands), 2)
        ys = [y for x, y in bands[0].get_paths()[0].vertices
              if abs(x - (1 << 20)) < 1]
        self.assertAlmostEqual(min(ys), 1 - 262144 / (50 * (1 << 20)))

    def test_allocators_by_colour_and_marker_never_shifted(self):
        lines = series_of(self.plots["amplification"])
        looks = {}
        for gid, line in lines.items():
            alloc = gid.rsplit("-", 1)[1]
            looks.setdefault(alloc, set()).add((line.get_color(),
                                                line.get_marker()))
            # Drawn in data coordinates: no sideways offset.
            self.assertIs(line.get_transform(), line.axes.transData)
        self.assertEqual(sorted(looks), ["glibc", "go", "mimalloc"])
        colours = {next(iter(v))[0] for v in looks.values()}
        markers = {next(iter(v))[1] for v in looks.values()}
        self.assertEqual((len(colours), len(markers)), (3, 3))
        for line in series_of(self.plots["tradeoff"]).values():
            self.assertIs(line.get_transform(), line.axes.transData)

    def test_tradeoff_panels(self):
        p = self.plots["tradeoff"]
        self.assertEqual([ax.get_title() for ax in p.figure.axes],
                         TRADEOFF_TITLES)
        self.assertEqual(model.table_sizes(self.sel),
                         ("16", [64, 65536, 1 << 20]))
        lines = series_of(p)
        self.assertNotIn("series-tradeoff-mimalloc-1048576-retain", lines)
        self.assertIn("series-tradeoff-glibc-1048576-retain", lines)
        for gid in lines:
            self.assertNotIn("receive-only", gid)
        self.assertIn("receive-only has no marker", p.caption)

    def test_tradeoff_y_is_time_over_receive_only(self):
        lines = series_of(self.plots["tradeoff"])
        copy = lines["series-tradeoff-glibc-65536-copy"]
        # By hand from the fixture (glibc, N = 64 KiB, k = 16, M = 100):
        # copy 4247.7948 and 4169.5406 ns, receive-only 4052.3848 and
        # 3994.8752 ns; copy holds exactly M x k (amplification 1).
        self.assertAlmostEqual(copy.get_ydata()[0],
                               ((4247.7948 + 4169.5406) / 2)
                               / ((4052.3848 + 3994.8752) / 2))
        self.assertEqual(list(copy.get_xdata()), [1.0])
        retain = lines["series-tradeoff-glibc-65536-retain"]
        self.assertEqual(list(retain.get_xdata()), [65536 / 16])
        value = model.relative_time(
            *[(c, self.sel.sources[0].baseline(c))
              for c in self.sel.sources[0].select("copy", "16")
              if c.source_bytes == 65536][0])
        base = (4052.3848 + 3994.8752) / 2
        self.assertAlmostEqual(value.low, 4169.5406 / base)
        self.assertAlmostEqual(value.high, 4247.7948 / base)
        self.assertIsNone(model.relative_time(None, None))

    def test_tradeoff_baseline_survives_strategy_filter(self):
        sel = plot.select(results.load_many([GLIBC]),
                          strategies=["retain", "copy"])
        lines = series_of(figures.figure_tradeoff(sel))
        self.assertEqual(len(lines), 6)
        self.assertAlmostEqual(
            lines["series-tradeoff-glibc-65536-copy"].get_ydata()[0],
            ((4247.7948 + 4169.5406) / 2) / ((4052.3848 + 3994.8752) / 2))

    def test_empty_figures_left_out(self):
        sel = plot.select(results.load_many([GLIBC]),
                          strategies=["receive-only"])
        names = [p.name for p in plot.make_plots(sel)]
        self.assertEqual(names, ["time", "rss"])   # holds 0 bytes, no retain


class FindingsTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.sel = plot.select(results.load_many(GOOD))
        cls.table = findings.findings(cls.sel)

    def cells(self, allocator, strategy):
        row = [r for r in self.table.rows
               if r[:2] == [allocator, strategy]][0]
        return dict(zip(self.table.header, row))

    def test_spread_in_cells(self):
        copy = self.cells("glibc", "copy")
        self.assertEqual(copy["time/item, N = 64 KiB"],
                         "4.21 µs (4.17–4.25 µs)")
        self.assertIn("minimum–maximum of the 2 repetitions",
                      self.table.intro)

    def test_noise_is_not_a_finding(self):
        # At 1 MiB receiving dominates: copy's 21 ns extra is inside the
        # jitter of the repetitions, so no difference is claimed.
        copy = self.cells("glibc", "copy")
        self.assertEqual(copy["vs receive-only, N = 1 MiB"], findings.NOISE)
        retain = self.cells("glibc", "retain")
        self.assertTrue(retain["vs receive-only, N = 64 KiB"]
                        .startswith("+"))
        base = self.cells("glibc", "receive-only")
        self.assertEqual(base["vs receive-only, N = 64 B"], units.MISSING)

    def test_cost_cell(self):
        a, b = model.Value([10.0, 12.0]), model.Value([11.0, 13.0])
        self.assertEqual(findings.cost_cell(a, b), findings.NOISE)
        c = model.Value([20.0, 21.0])
        self.assertEqual(findings.cost_cell(c, a), "+9.5 ns")
        self.assertEqual(findings.cost_cell(model.Value([20.0]), a),
                         "+9 ns (n=1, unchecked)")
        self.assertEqual(findings.cost_cell(None, a), units.MISSING)


class CliTest(unittest.TestCase):
    """The CLI on the good fixtures, copied into a temporary folder."""

    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="slicebench-plot-")
        for path in GOOD:
            shutil.copy(path, cls.tmp)
        cls.out = os.path.join(cls.tmp, RUN_ID)
        os.mkdir(cls.out)
        with open(os.path.join(cls.out, "notes.txt"), "w") as f:
            f.write("not ours\n")
        cls.names = [os.path.basename(p) for p in GOOD]
        cls.proc = run_cli(cls.names, cwd=cls.tmp)

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp)

    def test_exit_and_listing(self):
        self.assertEqual(self.proc.returncode, 0, self.proc.stderr)
        self.assertEqual(self.proc.stderr, "")
        listed = {os.path.basename(p)
                  for p in self.proc.stdout.splitlines()}
        self.assertEqual(listed, OWN_FILES)

    def test_files_in_run_folder(self):
        self.assertEqual(set(os.listdir(self.out)), OWN_FILES | {"notes.txt"})
        with open(os.path.join(self.out, "notes.txt")) as f:
            self.assertEqual(f.read(), "not ours\n")
        for name in PNGS:
            with open(os.path.join(self.out, name), "rb") as f:
                self.assertEqual(f.read(8), b"\x89PNG\r\n\x1a\n")

    def test_svg_on_request(self):
        out = os.path.join(self.tmp, "svg")
        proc = run_cli(self.names + ["--svg", "--out", out], cwd=self.tmp)
        self.assertEqual(proc.returncode, 0, proc.stderr)
        self.assertEqual(set(os.listdir(out)), OWN_FILES | SVGS)
        for name, expected in EXPECTED_SERIES.items():
            with self.subTest(figure=name):
                self.assertEqual(svg_series(os.path.join(out, name + ".svg")),
                                 expected)

    def test_quick(self):
        out = os.path.join(self.tmp, "quick")
        proc = run_cli(self.names + ["--quick", "--out", out], cwd=self.tmp)
        self.assertEqual(proc.returncode, 0, proc.stderr)
        self.assertEqual(set(os.listdir(out)),
                         {f"{n}.png" for n in figures.QUICK_FIGURE_NAMES}
                         | {"findings.md", "report.html"})

    def test_findings_table(self):
        with open(os.path.join(self.out, "findings.md")) as f:
            text = f.read()
        rows = [l for l in text.splitlines() if l.startswith("| ")]
        self.assertEqual(len(rows), 1 + 21)     # header, 3 x 7 strategies
        self.assertIn("| glibc | `retain` | ", text)
        self.assertIn("| go | `copy` | ", text)

    def test_rerun_replaces_nothing(self):
        """Into a folder with files of its own: written beside them. Again:
        refused before anything is written (a rerun on fewer files
        replaced the plots and findings of the first)."""
        out = os.path.join(self.tmp, "again")
        os.mkdir(out)
        keep = os.path.join(out, "mine.png")
        with open(keep, "wb") as f:
            f.write(b"keep")
        args = [self.names[0], "--out", out, "--no-report", "--svg",
                "--strategy", "retain", "--strategy", "copy"]
        proc = run_cli(args, cwd=self.tmp)
        self.assertEqual(proc.returncode, 0, proc.stderr)
        with open(os.path.join(out, "time.svg"), "rb") as f:
            first = f.read()
        proc = run_cli(args[:-2], cwd=self.tmp)
        self.assertNotEqual(proc.returncode, 0)
        self.assertEqual(len(proc.stderr.splitlines()), 1, proc.stderr)
        self.assertIn("exists already (no run replaces earlier results", proc.stderr)
        with open(keep, "rb") as f:
            self.assertEqual(f.read(), b"keep")
        with open(os.path.join(out, "time.svg"), "rb") as f:
            self.assertEqual(f.read(), first)
        self.assertNotIn("report.html", os.listdir(out))
        self.assertEqual(svg_series(os.path.join(out, "time.svg")), 4)

    def test_reads_schema_1(self):
        out = os.path.join(self.tmp, "v1")
        proc = run_cli([V1, "--out", out, "--quick"], cwd=self.tmp)
        self.assertEqual(proc.returncode, 0, proc.stderr)
        self.assertIn("time.png", os.listdir(out))

    @unittest.skipIf(
        not shutil.which("python3")
        or os.path.realpath(shutil.which("python3"))
        == os.path.realpath(SYSTEM_PYTHON),
        "no python3 other than /usr/bin/python3 on PATH")
    def test_other_python3(self):
        out = os.path.join(self.tmp, "other-python")
        proc = run_cli([self.names[0], "--out", out, "--no-report",
                        "--quick"], cwd=self.tmp,
                       python=shutil.which("python3"))
        self.assertEqual(proc.returncode, 0, proc.stderr)
        self.assertIn("time.png", os.listdir(out))


class BadInputTest(unittest.TestCase):
    """Every bad input: exit 2, one stderr line naming the file, nothing
    created (neither the default run folder nor --out), no traceback."""

    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="slicebench-plot-bad-")

    def tearDown(self):
        shutil.rmtree(self.tmp)

    def assertOneLine(self, proc, *expect):
        self.assertEqual(proc.returncode, 2, proc.stderr)
        lines = proc.stderr.splitlines()
        self.assertEqual(len(lines), 1, proc.stderr)
        self.assertTrue(lines[0].startswith("plot.py: "), lines[0])
        self.assertNotIn("Traceback", proc.stderr)
        for text in expect:
            self.assertIn(text, lines[0])

    def assertRefused(self, args, *expect, env=None):
        before = sorted(os.listdir(self.tmp))
        out = os.path.join(self.tmp, "out")
        for extra in ([], ["--out", out]):
            proc = run_cli(args + extra, cwd=self.tmp, env=env)
            self.assertOneLine(proc, *expect)
            self.assertEqual(proc.stdout, "")
            self.assertEqual(sorted(os.listdir(self.tmp)), before)

    def copy(self, name):
        shutil.copy(os.path.join(FIXTURES, name), self.tmp)
        return name

    def test_bad_files(self):
        for name, problem in (
                ("bad_empty.csv", "empty file"),
                ("bad_garbage.csv", "binary data"),
                ("bad_schema_v9.csv", "schema version 9"),
                ("bad_missing_column.csv", "missing columns: held_bytes"),
                ("bad_non_numeric.csv", "is not a number"),
                ("bad_header_only.csv", "no result rows"),
                ("bad_cut.csv", "cut while being written"),
                ("bad_negative_time.csv", "must be above zero"),
                ("bad_zero_time.csv", "must be above zero"),
                ("bad_inf_time.csv", "not a finite number"),
                ("bad_nan_time.csv", "not a finite number")):
            with self.subTest(file=name):
                self.assertRefused([self.copy(name)], name, problem)

    def test_missing_file(self):
        self.assertRefused(["nothing.csv"], "nothing.csv: no such file")

    def test_not_regular_files(self):
        self.assertRefused(["/dev/zero"], "/dev/zero: not a regular file")
        self.assertRefused([self.tmp], "is a directory")
        fifo = os.path.join(self.tmp, "fifo.csv")
        os.mkfifo(fifo)         # nobody writes: reading it would hang
        self.assertRefused([fifo], "not a regular file")

    def test_bad_file_among_good_ones(self):
        good = self.copy(os.path.basename(GLIBC))
        bad = self.copy("bad_non_numeric.csv")
        self.assertRefused([good, bad], bad)

    def test_filters_matching_nothing(self):
        good = self.copy(os.path.basename(GLIBC))
        self.assertRefused([good, "--allocator", "tcmalloc"], good,
                           "allocator=tcmalloc")
        self.assertRefused([good, "--elem-bytes", "3"], good, "elem_bytes=3")
        self.assertRefused([good, "--growth-policy", "x1.5"], good,
                           "growth_policy=x1.5")

    def test_matplotlib_warnings_do_not_leak(self):
        # An unwritable config folder makes matplotlib warn on import; the
        # filter error after that import must still be the only line.
        good = self.copy(os.path.basename(GLIBC))
        env = {"MPLCONFIGDIR": "/proc/slicebench-none",
               "HOME": "/proc/slicebench-none"}
        self.assertRefused([good, "--allocator", "tcmalloc"],
                           "allocator=tcmalloc", env=env)

    def test_bad_options(self):
        good = self.copy(os.path.basename(GLIBC))
        self.assertRefused([good, "--strategy", "leak"], "invalid choice")
        self.assertRefused([good, "--elem-bytes", "many"], "--elem-bytes")
        self.assertRefused([good, "--elem-bytes", "0"], "must be positive")
        self.assertRefused([], "required")
        self.assertRefused([good, "--bogus"], "unrecognized arguments")

    def test_closed_or_full_stdout(self):
        good = self.copy(os.path.basename(GLIBC))
        out = os.path.join(self.tmp, "out")
        args = [SYSTEM_PYTHON, CLI, good, "--out", out, "--quick"]
        closed = subprocess.run(args, cwd=self.tmp, stdout=None,
                                stderr=subprocess.PIPE, text=True,
                                timeout=120, pass_fds=(),
                                preexec_fn=lambda: os.close(1))
        self.assertOneLine(closed, "standard output is closed")
        self.assertFalse(os.path.exists(out))
        with open("/dev/full", "w") as full:
            proc = subprocess.run(args, cwd=self.tmp, stdout=full,
                                  stderr=subprocess.PIPE, text=True,
                                  timeout=120)
        self.assertOneLine(proc, "cannot write to standard output")
        with open("/dev/full", "w") as full:
            proc = subprocess.run([SYSTEM_PYTHON, CLI, "--help"],
                                  cwd=self.tmp, stdout=full,
                                  stderr=subprocess.PIPE, text=True,
                                  timeout=120)
        self.assertOneLine(proc, "cannot write to standard output")
        read, write = os.pipe()
        os.close(read)                      # a reader that went away
        args[4] = os.path.join(self.tmp, "out2")     # a new folder
        proc = subprocess.run(args, cwd=self.tmp, stdout=write,
                              stderr=subprocess.PIPE, text=True, timeout=120)
        os.close(write)
        self.assertOneLine(proc, "cannot write to standard output")

    def test_extreme_finite_values(self):
        # Finite values near the float limits: a plot or a one-line error,
        # never a traceback.
        with open(GLIBC) as f:
            lines = f.read().splitlines(keepends=True)
        header = [l for l in lines if not l.startswith("#")][0].split(",")
        col = {n.strip(): i for i, n in enumerate(header)}
        for value in ("1.7e308", "4.9e-324"):
            with self.subTest(value=value):
                out, body = [], False
                for line in lines:
                    if line.startswith("#") or not body:
                        body = body or not line.startswith("#")
                        out.append(line)
                        continue
                    cells = line.rstrip("\n").split(",")
                    for name in ("real_time_per_item_ns", "held_bytes",
                                 "needed_bytes", "amplification"):
                        if cells[col[name]] not in ("", "0.0", "0"):
                            cells[col[name]] = value
                    out.append(",".join(cells) + "\n")
                path = os.path.join(self.tmp, "extreme.csv")
                with open(path, "w") as f:
                    f.writelines(out)
                proc = run_cli([path, "--out",
                                os.path.join(self.tmp, "x" + value)],
                               cwd=self.tmp)
                self.assertNotIn("Traceback", proc.stderr)
                if proc.returncode != 0:
                    self.assertOneLine(proc)
                else:
                    self.assertEqual(proc.stderr, "")


if __name__ == "__main__":
    unittest.main()
