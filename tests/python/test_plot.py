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

sys.dont_write_bytecode = True
REPO = os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(REPO, "scripts"))

from slicebench import plot, report, results, units  # noqa: E402

FIXTURES = os.path.join(REPO, "tests", "fixtures", "plot")
RUN_ID = "20261126T230102Z_3f2a9c1"
GLIBC = os.path.join(FIXTURES, f"{RUN_ID}_glibc.csv")
MIMALLOC = os.path.join(FIXTURES, f"{RUN_ID}_mimalloc.csv")
CLI = os.path.join(REPO, "scripts", "plot.py")
SYSTEM_PYTHON = "/usr/bin/python3"
OWN_FILES = {f"{name}.{ext}" for name in plot.FIGURE_NAMES
             for ext in ("png", "svg")} | {"findings.md", "report.html"}

# Data series per figure for the two-allocator fixture run (2 k rules):
# 7 strategies per panel, minus receive-only where it holds 0 bytes (held);
# amplification has a line per allocator in each of 2 panels; tradeoff has
# a marker per strategy but receive-only and allocator in each of 2 k rules
# x 3 sizes, minus mimalloc's retain skipped at 1 MiB, k = 16.
EXPECTED_SERIES = {"time": 28, "held": 24, "rss": 28, "amplification": 4,
                   "tradeoff": 2 * 3 * 6 * 2 - 1}

# Trade-off panels of the fixture run: k rules (rows) by the findings
# table's sizes, 64 B, 64 KiB and 1 MiB (columns), row by row.
TRADEOFF_TITLES = [
    "N = 64 B · k = 16 · M = 200", "N = 64 KiB · k = 16 · M = 200",
    "N = 1 MiB · k = 16 · M = 200",
    "N = 64 B · k = N/8 = 8 B · M = 200",
    "N = 64 KiB · k = N/8 = 8 KiB · M = 200",
    "N = 1 MiB · k = N/8 = 128 KiB · M = 200"]


def run_cli(args, cwd, python=SYSTEM_PYTHON):
    env = dict(os.environ, PYTHONDONTWRITEBYTECODE="1")
    env.pop("SLICEBENCH_PLOT_REEXEC", None)
    return subprocess.run([python, CLI] + args, cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=120)


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

    def test_power_of_two_ticks(self):
        loc = plot.PowerOfTwoLocator(max_ticks=7)
        ticks = [t for t in loc.tick_values(48, 1.5 * 2 ** 20)
                 if 48 <= t <= 1.5 * 2 ** 20]
        self.assertEqual(ticks, [256, 4096, 65536, 2 ** 20])
        ticks = [t for t in loc.tick_values(1, 2 ** 40) if 1 <= t <= 2 ** 40]
        self.assertEqual(ticks, [1, 2 ** 10, 2 ** 20, 2 ** 30, 2 ** 40])

    def test_decade_ticks(self):
        loc = plot.DecadeLocator()
        ticks = [t for t in loc.tick_values(10, 1e5) if 10 <= t <= 1e5]
        self.assertEqual(ticks, [10, 100, 1000, 1e4, 1e5])
        short = [t for t in loc.tick_values(15, 60) if 15 <= t <= 60]
        self.assertGreaterEqual(len(short), 3)


class SelectTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.results = results.load_many([GLIBC, MIMALLOC])
        cls.sel = plot.select(cls.results)

    def test_defaults(self):
        sel = self.sel
        self.assertEqual(sel.elem_bytes, 1)            # smallest present
        self.assertEqual(sel.growth_policy, "go")
        self.assertEqual([s.label for s in sel.sources],
                         ["glibc", "mimalloc"])
        self.assertEqual(sel.strategies, list(results.STRATEGIES))
        self.assertEqual(sel.kept_rules, ["16", "N/8"])
        self.assertEqual(sel.items, [200])
        self.assertEqual(sel.run_id, RUN_ID)
        self.assertEqual(sel.max_repetitions, 2)

    def test_value_is_median_row_with_min_max_bars(self):
        glibc = self.sel.sources[0]
        case = [c for c in glibc.select("retain", "16")
                if c.source_bytes == 65536][0]
        value = case.value("real_time_per_item_ns")
        reps = [r["real_time_per_item_ns"] for r in case.repetitions]
        self.assertEqual(value.median,
                         case.median_row["real_time_per_item_ns"])
        self.assertEqual((value.low, value.high), (min(reps), max(reps)))
        self.assertEqual(value.repetitions, 2)

    def test_median_of_repetitions_without_aggregates(self):
        glibc = self.sel.sources[0]
        case = glibc.select("copy", "16")[0]
        reps = case.repetitions
        bare = plot.Case(reps[0], reps, None)
        value = bare.value("held_bytes")
        self.assertEqual(value.median,
                         sorted(r["held_bytes"] for r in reps)[0] / 2
                         + sorted(r["held_bytes"] for r in reps)[1] / 2)

    def test_skipped_case_left_out(self):
        mimalloc = self.sel.sources[1]
        sizes = [c.source_bytes for c in mimalloc.select("retain", "16")]
        self.assertEqual(sizes, [64, 4096, 65536])
        self.assertEqual(len(self.sel.skipped), 1)
        label, bench, message = self.sel.skipped[0]
        self.assertEqual(label, "mimalloc")
        self.assertIn("over budget", message)

    def test_filters(self):
        sel = plot.select(self.results, elem_bytes=8)
        self.assertEqual(sel.strategies, list(results.STRATEGIES))
        self.assertEqual([s.label for s in sel.sources], ["glibc"])
        sel = plot.select(self.results, growth_policy="double",
                          strategies=["retain", "copy"])
        self.assertEqual(sel.strategies, ["retain", "copy"])
        sel = plot.select(self.results, allocators=["mimalloc"])
        self.assertEqual([s.label for s in sel.sources], ["mimalloc"])

    def test_filter_errors_name_files_and_present_values(self):
        for kwargs, text in (
                ({"allocators": ["tcmalloc"]},
                 "no rows with allocator=tcmalloc (present: glibc, mimalloc)"),
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
                text = f.read().replace(f"run_id={RUN_ID}", "run_id=later")
            with open(other, "w") as f:
                f.write(text)
            sel = plot.select(results.load_many([GLIBC, other]))
            self.assertEqual([s.label for s in sel.sources],
                             [f"glibc ({RUN_ID})", "glibc (later)"])
        sel = plot.select(results.load_many([GLIBC, GLIBC]))
        self.assertEqual([s.label for s in sel.sources],
                         ["glibc (#1)", "glibc (#2)"])


class FigureTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.sel = plot.select(results.load_many([GLIBC, MIMALLOC]))
        cls.plots = {p.name: p for p in plot.make_plots(cls.sel)}

    def test_every_figure_made(self):
        self.assertEqual(list(self.plots), list(plot.FIGURE_NAMES))

    def test_series_counts(self):
        for name, expected in EXPECTED_SERIES.items():
            with self.subTest(figure=name):
                self.assertEqual(len(self.plots[name].series()), expected)

    def test_grid_rules_by_allocators(self):
        fig = self.plots["time"].figure
        titles = [ax.get_title() for ax in fig.axes]
        self.assertEqual(titles, ["glibc · k = 16", "mimalloc · k = 16",
                                  "glibc · k = N/8", "mimalloc · k = N/8"])

    def test_single_allocator_is_one_row_of_rules(self):
        sel = plot.select(results.load_many([GLIBC]))
        figure = plot.figure_time(sel)
        titles = [ax.get_title() for ax in figure.figure.axes]
        self.assertEqual(titles, ["k = 16", "k = N/8"])
        self.assertEqual(len(figure.series()), 14)
        self.assertIn("glibc", figure.figure._suptitle.get_text())
        self.assertIn("M = 200", figure.figure._suptitle.get_text())

    def test_no_zero_or_skipped_points(self):
        for name, p in self.plots.items():
            for ax in p.figure.axes:
                for line in ax.get_lines():
                    ys = [y for y in line.get_ydata()]
                    self.assertTrue(all(y > 0 for y in ys), (name, line))
        held = self.plots["held"].figure.axes[1]     # mimalloc, k = 16
        retain = [l for l in held.get_lines()
                  if (l.get_gid() or "").startswith("series-")
                  and l.get_gid().endswith("retain")]
        self.assertEqual(len(retain), 1)
        self.assertEqual(list(retain[0].get_xdata()), [64, 4096, 65536])

    def test_held_floor_and_caption(self):
        fig = self.plots["held"].figure
        floors = [l for ax in fig.axes for l in ax.get_lines()
                  if (l.get_gid() or "").startswith("floor-")]
        self.assertEqual(len(floors), 4)
        self.assertTrue(all(l.get_color() == "black" and
                            l.get_linestyle() == "--" for l in floors))
        # receive-only holds nothing: not drawn, and the caption says so.
        self.assertIn("receive-only", self.plots["held"].caption)
        self.assertIn("min–max of repetitions", self.plots["held"].caption)

    def test_time_values_are_medians(self):
        ax = self.plots["time"].figure.axes[0]      # glibc, k = 16
        line = [l for l in ax.get_lines()
                if l.get_gid() == "series-time-16-glibc-copy"][0]
        glibc = self.sel.sources[0]
        want = [c.median_row["real_time_per_item_ns"]
                for c in glibc.select("copy", "16")]
        self.assertEqual(list(line.get_ydata()), want)

    def test_legends_name_strategies(self):
        legend = self.plots["time"].figure.legends[0]
        labels = [t.get_text() for t in legend.get_texts()]
        self.assertEqual(labels, [plot.strategy_label(s)
                                  for s in results.STRATEGIES])
        self.assertIn("retain (keep b[:k])", labels)
        self.assertIn("min–max of repetitions",
                      legend.get_title().get_text())

    def test_axis_labels_in_units(self):
        ax = self.plots["held"].figure.axes[0]
        fmt = ax.yaxis.get_major_formatter()
        self.assertEqual(fmt(65536, 0), "64 KiB")
        self.assertEqual(ax.xaxis.get_major_formatter()(2 ** 20, 0), "1 MiB")
        ax = self.plots["time"].figure.axes[0]
        self.assertEqual(ax.yaxis.get_major_formatter()(1000, 0), "1 µs")
        self.assertEqual(ax.get_xscale(), "log")
        self.assertEqual(ax.get_yscale(), "log")

    def series_by_panel(self, plot_):
        """{panel title: {gid: Line2D}} of a figure's data series."""
        return {ax.get_title(): {l.get_gid(): l for l in ax.get_lines()
                                 if (l.get_gid() or "").startswith("series-")}
                for ax in plot_.figure.axes}

    def test_tradeoff_panels(self):
        panels = self.series_by_panel(self.plots["tradeoff"])
        self.assertEqual(list(panels), TRADEOFF_TITLES)
        _, sizes = report.table_sizes(self.sel)
        self.assertEqual(sizes, [64, 65536, 1 << 20])
        for title, series in panels.items():
            # 6 strategies (all but receive-only) x 2 allocators; mimalloc's
            # retain at 1 MiB, k = 16 was skipped.
            want = 11 if title == "N = 1 MiB · k = 16 · M = 200" else 12
            with self.subTest(panel=title):
                self.assertEqual(len(series), want)
                self.assertTrue(all(len(l.get_xdata()) == 1
                                    for l in series.values()))
        skipped = panels["N = 1 MiB · k = 16 · M = 200"]
        self.assertNotIn("series-tradeoff-1048576-16-mimalloc-retain",
                         skipped)
        self.assertIn("series-tradeoff-1048576-16-glibc-retain", skipped)

    def test_tradeoff_has_no_receive_only(self):
        p = self.plots["tradeoff"]
        for _, gid in p.series():
            self.assertNotIn("receive-only", gid)
        labels = [t.get_text() for t in p.figure.legends[0].get_texts()]
        self.assertFalse(any(l.startswith("receive-only") for l in labels))
        self.assertIn("receive-only has no marker", p.caption)

    def test_tradeoff_y_is_time_over_receive_only(self):
        panels = self.series_by_panel(self.plots["tradeoff"])
        line = panels["N = 64 KiB · k = 16 · M = 200"][
            "series-tradeoff-65536-16-glibc-copy"]
        # By hand from the fixture's median rows (glibc, N = 64 KiB, k = 16,
        # M = 200, elem 1 B, growth go): copy 4208.6677 ns, receive-only
        # 4023.63 ns; copy holds exactly M x k (amplification 1).
        self.assertAlmostEqual(line.get_ydata()[0], 4208.6677 / 4023.63)
        self.assertEqual(list(line.get_xdata()), [1.0])
        retain = panels["N = 64 KiB · k = 16 · M = 200"][
            "series-tradeoff-65536-16-glibc-retain"]
        self.assertEqual(list(retain.get_xdata()), [65536 / 16])
        # Every marker: its case's median time over the receive-only median
        # of the same case, read from the rows of the file.
        medians = {}
        for row in self.sel.results[0].aggregate("median"):
            medians[(row["strategy"], row["source_bytes"], row["kept_rule"],
                     row["elem_bytes"], row["growth_policy"])] = row
        checked = 0
        for title, series in panels.items():
            for gid, l in series.items():
                _, _, n, rule, source, strategy = gid.split("-", 5)
                if source != "glibc":
                    continue
                checked += 1
                rule = rule.replace("_", "/")
                mine = medians[(strategy, int(n), rule, 1, "go")]
                base = medians[("receive-only", int(n), rule, 1, "go")]
                self.assertAlmostEqual(
                    l.get_ydata()[0], mine["real_time_per_item_ns"]
                    / base["real_time_per_item_ns"], msg=gid)
                self.assertEqual(l.get_xdata()[0], mine["amplification"])
        self.assertEqual(checked, 6 * 6)    # 6 panels x 6 strategies

    def test_tradeoff_bars_are_repetitions_over_baseline_median(self):
        glibc = self.sel.sources[0]
        copy = [c for c in glibc.select("copy", "16")
                if c.source_bytes == 65536][0]
        base = [c for c in glibc.cases if c.strategy == "receive-only"
                and c.kept_rule == "16" and c.source_bytes == 65536][0]
        value = plot.relative_time(copy, base)
        self.assertAlmostEqual(value.median, 4208.6677 / 4023.63)
        self.assertAlmostEqual(value.low, 4169.5406 / 4023.63)
        self.assertAlmostEqual(value.high, 4247.7948 / 4023.63)
        self.assertEqual(value.repetitions, 2)
        self.assertIsNone(plot.relative_time(copy, None))

    def test_tradeoff_reference_axes_and_legend(self):
        p = self.plots["tradeoff"]
        for ax in p.figure.axes:
            refs = [l for l in ax.get_lines()
                    if (l.get_gid() or "").startswith("reference-")]
            self.assertEqual(len(refs), 1)
            self.assertEqual(list(refs[0].get_ydata()), [1, 1])
            self.assertEqual(ax.get_xscale(), "log")
            self.assertEqual(ax.get_yscale(), "log")
            self.assertEqual(ax.yaxis.get_major_formatter()(2, 0), "2×")
        ax = p.figure.axes[0]
        self.assertIn("receive-only", ax.get_ylabel())
        self.assertIn("amplification", p.figure.axes[-1].get_xlabel())
        labels = [t.get_text() for t in p.figure.legends[0].get_texts()]
        self.assertIn("glibc (filled)", labels)
        self.assertIn("mimalloc (hollow)", labels)
        self.assertIn("1×: receiving alone (receive-only's time)", labels)
        self.assertIn(plot.strategy_label("retain"), labels)
        title = p.figure._suptitle.get_text()
        for text in ("glibc, mimalloc", "elem 1 B", "growth go", "M = 200"):
            self.assertIn(text, title)
        # Allocators by fill: glibc filled, mimalloc open.
        series = self.series_by_panel(p)[TRADEOFF_TITLES[0]]
        self.assertEqual(
            series["series-tradeoff-64-16-glibc-copy"].get_fillstyle(),
            "full")
        self.assertEqual(series["series-tradeoff-64-16-glibc-copy"]
                         .get_markerfacecolor(), "#1f77b4")
        self.assertEqual(series["series-tradeoff-64-16-mimalloc-copy"]
                         .get_markerfacecolor(), "none")
        self.assertIn("filled: glibc, hollow: mimalloc", p.caption)

    def test_tradeoff_single_allocator(self):
        sel = plot.select(results.load_many([GLIBC]))
        p = plot.figure_tradeoff(sel)
        panels = self.series_by_panel(p)
        self.assertEqual(list(panels), TRADEOFF_TITLES)
        self.assertTrue(all(len(s) == 6 for s in panels.values()))
        labels = [t.get_text() for t in p.figure.legends[0].get_texts()]
        self.assertNotIn("glibc (filled)", labels)
        self.assertNotIn("fill", p.caption)

    def test_tradeoff_baseline_survives_strategy_filter(self):
        sel = plot.select(results.load_many([GLIBC]),
                          strategies=["retain", "copy"])
        p = plot.figure_tradeoff(sel)
        panels = self.series_by_panel(p)
        self.assertTrue(all(len(s) == 2 for s in panels.values()))
        line = panels["N = 64 KiB · k = 16 · M = 200"][
            "series-tradeoff-65536-16-glibc-copy"]
        self.assertAlmostEqual(line.get_ydata()[0], 4208.6677 / 4023.63)

    def test_empty_figures_left_out(self):
        sel = plot.select(results.load_many([GLIBC]),
                          strategies=["receive-only"])
        names = [p.name for p in plot.make_plots(sel)]
        # receive-only holds 0 bytes and there is no retain.
        self.assertEqual(names, ["time", "rss"])


class CliTest(unittest.TestCase):
    """The CLI on the good fixtures, copied into a temporary folder."""

    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="slicebench-plot-")
        for path in (GLIBC, MIMALLOC):
            shutil.copy(path, cls.tmp)
        cls.out = os.path.join(cls.tmp, RUN_ID)
        os.mkdir(cls.out)
        with open(os.path.join(cls.out, "notes.txt"), "w") as f:
            f.write("not ours\n")
        cls.proc = run_cli([f"{RUN_ID}_glibc.csv", f"{RUN_ID}_mimalloc.csv"],
                           cwd=cls.tmp)

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp)

    def test_exit_and_listing(self):
        self.assertEqual(self.proc.returncode, 0, self.proc.stderr)
        listed = {os.path.basename(p)
                  for p in self.proc.stdout.splitlines()}
        self.assertEqual(listed, OWN_FILES)

    def test_files_in_run_folder(self):
        self.assertEqual(set(os.listdir(self.out)), OWN_FILES | {"notes.txt"})
        with open(os.path.join(self.out, "notes.txt")) as f:
            self.assertEqual(f.read(), "not ours\n")
        for name in plot.FIGURE_NAMES:
            with open(os.path.join(self.out, name + ".png"), "rb") as f:
                self.assertEqual(f.read(8), b"\x89PNG\r\n\x1a\n")

    def test_svg_series_counts(self):
        for name, expected in EXPECTED_SERIES.items():
            with self.subTest(figure=name):
                path = os.path.join(self.out, name + ".svg")
                self.assertEqual(svg_series(path), expected)

    def test_findings_table(self):
        with open(os.path.join(self.out, "findings.md")) as f:
            text = f.read()
        rows = [l for l in text.splitlines() if l.startswith("| ")]
        self.assertEqual(len(rows), 1 + 14)     # header, 2 x 7 strategies
        self.assertIn("| glibc | `retain` | ", text)

    def test_rerun_only_overwrites_own_files(self):
        out = os.path.join(self.tmp, "again")
        os.mkdir(out)
        keep = os.path.join(out, "mine.png")
        with open(keep, "wb") as f:
            f.write(b"keep")
        args = [f"{RUN_ID}_glibc.csv", "--out", out, "--no-report",
                "--strategy", "retain", "--strategy", "copy"]
        for _ in range(2):
            proc = run_cli(args, cwd=self.tmp)
            self.assertEqual(proc.returncode, 0, proc.stderr)
        with open(keep, "rb") as f:
            self.assertEqual(f.read(), b"keep")
        self.assertNotIn("report.html", os.listdir(out))
        self.assertEqual(svg_series(os.path.join(out, "time.svg")), 4)

    @unittest.skipIf(
        not shutil.which("python3")
        or os.path.realpath(shutil.which("python3"))
        == os.path.realpath(SYSTEM_PYTHON),
        "no python3 other than /usr/bin/python3 on PATH")
    def test_other_python3(self):
        out = os.path.join(self.tmp, "other-python")
        proc = run_cli([f"{RUN_ID}_glibc.csv", "--out", out, "--no-report"],
                       cwd=self.tmp, python=shutil.which("python3"))
        self.assertEqual(proc.returncode, 0, proc.stderr)
        self.assertIn("time.png", os.listdir(out))


class BadInputTest(unittest.TestCase):
    """Every bad input: exit 2, one stderr line naming the file, nothing
    created (neither the default run folder nor --out)."""

    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="slicebench-plot-bad-")

    def tearDown(self):
        shutil.rmtree(self.tmp)

    def assertRefused(self, args, *expect):
        before = sorted(os.listdir(self.tmp))
        out = os.path.join(self.tmp, "out")
        for extra in ([], ["--out", out]):
            proc = run_cli(args + extra, cwd=self.tmp)
            self.assertEqual(proc.returncode, 2, proc.stderr)
            self.assertEqual(proc.stdout, "")
            lines = proc.stderr.splitlines()
            self.assertEqual(len(lines), 1, proc.stderr)
            self.assertTrue(lines[0].startswith("plot.py: "), lines[0])
            self.assertNotIn("Traceback", proc.stderr)
            for text in expect:
                self.assertIn(text, lines[0])
            self.assertEqual(sorted(os.listdir(self.tmp)), before)

    def copy(self, name):
        shutil.copy(os.path.join(FIXTURES, name), self.tmp)
        return name

    def test_bad_files(self):
        for name, problem in (
                ("bad_empty.csv", "empty file"),
                ("bad_garbage.csv", "binary data"),
                ("bad_schema_v2.csv", "schema version 2"),
                ("bad_missing_column.csv", "missing columns: held_bytes"),
                ("bad_non_numeric.csv", "is not a number"),
                ("bad_header_only.csv", "no result rows")):
            with self.subTest(file=name):
                self.assertRefused([self.copy(name)], name, problem)

    def test_missing_file(self):
        self.assertRefused(["nothing.csv"], "nothing.csv: no such file")

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

    def test_bad_options(self):
        good = self.copy(os.path.basename(GLIBC))
        self.assertRefused([good, "--strategy", "leak"], "invalid choice")
        self.assertRefused([good, "--elem-bytes", "many"], "--elem-bytes")
        self.assertRefused([good, "--elem-bytes", "0"], "must be positive")
        self.assertRefused([], "required")
        self.assertRefused([good, "--bogus"], "unrecognized arguments")


if __name__ == "__main__":
    unittest.main()
