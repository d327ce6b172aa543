#!/usr/bin/python3
"""Tests of slicebench.gcvsgo (scripts/gc-vs-go), most without running
either side: medians, ratios and the issue's bounds on hand-made rows,
and the Go rows of a committed go test output; and one run of one case
whose output's reader goes away, which keeps its files all the same.

Run from anywhere:  /usr/bin/python3 tests/python/test_gcvsgo.py [-v]
"""

import os
import re
import subprocess
import sys
import tempfile
import unittest

import testenv  # first: REPO, scripts/ on sys.path, no bytecode

REPO = testenv.REPO

from slicebench import gcvsgo, gcvsgo_plot, gcvsgo_tally, gobench, results, thp  # noqa: E402

FIXTURE = os.path.join(REPO, "tests", "fixtures", "go", "retention.txt")
MIB = 1 << 20


def row(strategy, peak, faults, held=1000, gogc=100, n=4096, k=16):
    return {"strategy": strategy, "source_bytes": n, "kept_bytes": k,
            "elem_bytes": 1, "gogc": gogc, "items": 8, "held_bytes": held,
            "peak_rss_delta_bytes": peak, "page_faults_per_item": faults}


class Compare(unittest.TestCase):
    def test_medians_ratios_and_bounds(self):
        model = [row("copy", 10 * MIB, 1.0), row("copy", 12 * MIB, 1.2),
                 row("copy", 40 * MIB, 9.0),
                 row("retain", 100 * MIB, 2.0), row("retain", 100 * MIB, 2.0)]
        go = [row("copy", 8 * MIB, 1.0), row("copy", 8 * MIB, 1.0),
              row("retain", 60 * MIB, 1.0, held=999)]
        table = {r["strategy"]: r for r in gcvsgo.compare(model, go)}
        copy, retain = table["copy"], table["retain"]
        self.assertEqual(copy["rss_model"], 12 * MIB)           # median of 3
        self.assertAlmostEqual(copy["rss_ratio"], 1.5)
        self.assertFalse(copy["rss_within"])                    # 4 MiB over
        self.assertAlmostEqual(copy["pf_ratio"], 1.2)
        self.assertTrue(copy["pf_within"])
        self.assertTrue(copy["held_equal"])
        self.assertFalse(retain["rss_within"])
        self.assertFalse(retain["pf_within"])
        self.assertFalse(retain["held_equal"])
        text = gcvsgo.summary(list(table.values()))
        self.assertIn("GOGC 100: peak RSS within 25 %/1 MiB in 0 of 2", text)
        self.assertIn("faults per item within 25 % in 1 of 2", text)
        self.assertIn("held bytes equal in 1 of 2", text)
        # too few of Go's processes for an interval: no verdict, and Go's
        # whole spread in its place; then each figure outside its bounds,
        # and held bytes that differ, a line each; the copy faults (1.2 in
        # 1.0-1.0 widened) are not one
        self.assertIsNone(gcvsgo.check_passed(list(table.values())))
        misses = text.split("the check: no verdict (2 cases with too few of Go's "
                            "processes for a 95 % interval, fewer than 6: their "
                            "\"Go 95 %\" is Go's whole spread); outside Go's "
                            "interval, or held bytes unequal:\n")[1]
        self.assertEqual(misses.splitlines(), [
            "  copy N=4096 k=16 elem=1 GOGC 100: peak 12.0 MiB, Go's median's 95 % 8.0-8.0",
            "  retain N=4096 k=16 elem=1 GOGC 100: peak 100.0 MiB, Go's median's 95 % "
            "60.0-60.0",
            "  retain N=4096 k=16 elem=1 GOGC 100: faults/item 2, Go's median's 95 % 1-1",
            "  retain N=4096 k=16 elem=1 GOGC 100: held bytes 1000, Go 999"])

    def test_one_mib_is_within(self):
        table = gcvsgo.compare([row("copy", 3 * MIB, 0.5)], [row("copy", 2 * MIB, 0.5)] * 6)
        self.assertTrue(table[0]["rss_within"])                 # 1 MiB apart
        self.assertTrue(gcvsgo.check_passed(table))
        self.assertTrue(gcvsgo.summary(table).endswith(
            "the check: passed (every figure in Go's interval, held bytes equal)"))
        # five of Go's processes: no interval, no verdict
        table = gcvsgo.compare([row("copy", 3 * MIB, 0.5)], [row("copy", 2 * MIB, 0.5)] * 5)
        self.assertIsNone(gcvsgo.check_passed(table))
        self.assertTrue(gcvsgo.summary(table).endswith(
            "the check: no verdict (1 case with too few of Go's processes for a 95 % "
            "interval, fewer than 6: their \"Go 95 %\" is Go's whole spread)"))

    def test_held_bytes_alone_fail_the_check(self):
        go = [row("copy", 2 * MIB, 0.5)] * 15
        self.assertTrue(gcvsgo.check_passed(gcvsgo.compare([row("copy", 2 * MIB, 0.5)], go)))
        table = gcvsgo.compare([row("copy", 2 * MIB, 0.5, held=1001)], go)
        self.assertTrue(table[0]["rss_in_interval"] and table[0]["pf_in_interval"])
        self.assertFalse(gcvsgo.check_passed(table))
        self.assertIn("the check: failed; outside Go's interval, or held bytes unequal:\n"
                      "  copy N=4096 k=16 elem=1 GOGC 100: held bytes 1001, Go 1000",
                      gcvsgo.summary(table))

    def test_interval_is_the_4th_to_the_12th_of_15(self):
        # fifteen distinct figures of Go's, 1..15 MiB: the interval is 4-12
        go = [row("copy", v * MIB, v / 10) for v in range(15, 0, -1)]
        r = gcvsgo.compare([row("copy", 8 * MIB, 0.8)], go)[0]
        self.assertEqual((r["rss_go_lo"], r["rss_go_hi"]), (4 * MIB, 12 * MIB))
        self.assertEqual((r["pf_go_lo"], r["pf_go_hi"]), (0.4, 1.2))
        # 12 x 1.25 = 15: a model at 15 is in, at 15.1 out; 4 x 0.75 = 3
        for v, inside in ((15, True), (15.1, False), (3, True), (2.9, False)):
            r = gcvsgo.compare([row("copy", v * MIB, 0.8)], go)[0]
            self.assertEqual(r["rss_in_interval"], inside, v)

    def test_go_interval_on_two_levels(self):
        # 15 Go processes on two levels, 8 at 10 MiB and 7 at 20 MiB: the
        # median is 10, its 95 % interval the 4th to the 12th, 10-20; the
        # model's 19 MiB is outside 25 % of the median, inside the interval
        go = ([row("copy", 10 * MIB, 1.0)] * 8 + [row("copy", 20 * MIB, 2.0)] * 7)
        table = gcvsgo.compare([row("copy", 19 * MIB, 2.6)], go)
        r = table[0]
        self.assertFalse(r["rss_within"])
        self.assertTrue(r["rss_in_interval"])
        self.assertEqual((r["rss_go_lo"], r["rss_go_hi"]), (10 * MIB, 20 * MIB))
        self.assertEqual((r["rss_go_min"], r["rss_go_max"]), (10 * MIB, 20 * MIB))
        self.assertFalse(r["pf_within"])                        # 2.6 x Go's median
        self.assertFalse(r["pf_in_interval"])                   # over 2.0 x 1.25
        self.assertFalse(gcvsgo.check_passed(table))
        self.assertIn("the check: failed; outside Go's interval, or held bytes "
                      "unequal:\n"
                      "  copy N=4096 k=16 elem=1 GOGC 100: faults/item 2.6, "
                      "Go's median's 95 % 1-2", gcvsgo.summary(table))
        table = gcvsgo.compare([row("copy", 26 * MIB, 2.5)], go)
        self.assertFalse(table[0]["rss_in_interval"])           # over 20 x 1.25
        self.assertTrue(table[0]["pf_in_interval"])
        text = gcvsgo.summary(table)
        self.assertIn("GOGC 100: in Go's interval (the same bounds of its median's "
                      "95 % interval): peak RSS 0 of 1, faults per item 1 of 1", text)
        self.assertIn(" 10.0-20.0 ", gcvsgo.render(table))

    def test_go_interval_on_one_level(self):
        # Go lands on the upper level in 12 of 15: the interval is that
        # level alone, and a model on the lower one fails, though Go's own
        # spread reaches down to it
        go = ([row("retain", 10 * MIB, 1.0)] * 3 + [row("retain", 20 * MIB, 2.0)] * 12)
        table = gcvsgo.compare([row("retain", 10 * MIB, 1.0)], go)
        r = table[0]
        self.assertEqual((r["rss_go_lo"], r["rss_go_hi"]), (20 * MIB, 20 * MIB))
        self.assertEqual(r["rss_go_min"], 10 * MIB)
        self.assertFalse(r["rss_in_interval"])
        self.assertFalse(r["pf_in_interval"])
        self.assertFalse(gcvsgo.check_passed(table))
        # the same with the levels' shares swapped: the model on Go's level
        go = ([row("retain", 10 * MIB, 1.0)] * 12 + [row("retain", 20 * MIB, 2.0)] * 3)
        self.assertTrue(gcvsgo.check_passed(
            gcvsgo.compare([row("retain", 10 * MIB, 1.0)], go)))

    def test_no_rows_no_pass(self):
        self.assertFalse(gcvsgo.check_passed([]))

    def test_only_cases_on_both_sides(self):
        table = gcvsgo.compare([row("copy", MIB, 1), row("copy", MIB, 1, gogc=400)],
                               [row("copy", MIB, 1)])
        self.assertEqual([r["gogc"] for r in table], [100])

    def test_render(self):
        table = gcvsgo.compare([row("copy", 3 * MIB, 0.5)], [row("copy", 2 * MIB, 0.5)])
        md = gcvsgo.render(table, markdown=True).splitlines()
        self.assertTrue(md[0].startswith("| strategy | N | k |"))
        self.assertEqual(md[2], "| copy | 4096 | 16 | 1 | 100 | 8 | 3.0 | 2.0 | 2.0-2.0 | 1.50 | "
                                "0.5 | 0.5 | 0.5-0.5 | 1.00 |")
        self.assertIn("1.50", gcvsgo.render(table))

    def test_figure(self):
        go = [row("copy", 8 * MIB, 1.0), row("copy", 12 * MIB, 1.5),
              row("retain", 60 * MIB, 2.0), row("copy", 8 * MIB, 1.0, gogc=400)]
        model = [row("copy", 9 * MIB, 1.1), row("retain", 100 * MIB, 2.0),
                 row("copy", 9 * MIB, 1.1, gogc=400)]
        plot = gcvsgo_plot.figure(gcvsgo.compare(model, go), 3)
        self.assertTrue(plot.render("png").startswith(b"\x89PNG"))
        gids = {g for _, g in plot.series()}
        # one series per row, GOGC and strategy present
        self.assertIn("series-peak_RSS_MiB-100-copy", gids)
        self.assertIn("series-page_faults_per_item-400-copy", gids)
        self.assertIn("series-peak_RSS_MiB-100-retain", gids)
        self.assertNotIn("series-peak_RSS_MiB-400-retain", gids)
        self.assertEqual(len(plot.figure.axes), 4)

    def test_go_rows(self):
        with open(FIXTURE) as f:
            rows = gobench.rows(gobench.parse(f.read(), FIXTURE), "go")
        ok = [r for r in rows if r["status"] == "ok"]
        m = gcvsgo.medians(ok)
        self.assertTrue(m)
        for fig in m.values():
            self.assertGreaterEqual(fig["n"], 1)


class Clock(unittest.TestCase):
    """Go runs first, and how fast it ran each case sets the model's clock
    for that case."""

    def test_scale_of_each_case(self):
        with open(FIXTURE) as f:
            out = f.read()
        a, b = ("copy", 4096, 16, 8, 1), ("retain", 4096, 16, 8, 1)
        got = gcvsgo.case_scales([("100", a, out), ("100", b, out),
                                  ("400", a, out), ("100", a, out)])
        self.assertEqual(sorted(got), [(a, "100"), (a, "400"), (b, "100")])
        self.assertGreater(got[(a, "100")], 0)
        # the same output once or twice: the same median
        self.assertAlmostEqual(got[(a, "100")], got[(b, "100")])
        # the slowest case sets its own clock, not the others'
        slow = re.sub(r"([0-9.]+) ns/op", lambda m: f"{float(m.group(1)) * 10} ns/op", out)
        got2 = gcvsgo.case_scales([("100", a, slow), ("100", b, out)])
        self.assertAlmostEqual(got2[(a, "100")], 10 * got[(a, "100")], delta=0.1 * got[(a, "100")])
        self.assertAlmostEqual(got2[(b, "100")], got[(b, "100")])
        # a case Go skipped has no clock (the model does not run it); no
        # case measured at all is an error
        skipped = ("goos: linux\n--- SKIP: BenchmarkRetention/strategy=copy/N=4096/k=16/"
                   "M=8/elem=1\n    retention_test.go:140: over the budget of 1 bytes "
                   "(-budget)\nPASS\n")
        self.assertEqual(sorted(gcvsgo.case_scales([("100", a, skipped), ("100", b, out)])),
                         [(b, "100")])
        with self.assertRaisesRegex(gcvsgo.GcVsGoError, "^Go's clock: Go measured no case"):
            gcvsgo.case_scales([("100", a, skipped)])
        # any other output the clock cannot use is an error, not a skip
        bad = re.sub(r"([0-9.]+) ns/op", "-1 ns/op", out)
        with self.assertRaisesRegex(gcvsgo.GcVsGoError, "^Go's clock: go test:\\d+: ns/op -1"):
            gcvsgo.case_scales([("100", a, bad), ("100", b, out)])
        line = gcvsgo.clock_line({(a, "100"): 1.5, (b, "100"): 2.25, (a, "400"): 1.75})
        self.assertIn("x1.5-2.25 (median x1.75)", line)
        self.assertIn("its fit", gcvsgo.clock_line(None))

    def test_skipped_by_go(self):
        with open(FIXTURE) as f:
            out = f.read()
        head = "go-version: go1.19.8\ngogc: 100\nbudget-bytes: 67108864\n"
        self.assertTrue(gcvsgo.skipped_by_go(head + "PASS\n"))
        self.assertFalse(gcvsgo.skipped_by_go(out))
        self.assertFalse(gcvsgo.skipped_by_go(head + "FAIL\n"))
        self.assertFalse(gcvsgo.skipped_by_go(head + "--- FAIL: BenchmarkRetention\nPASS\n"))
        self.assertFalse(gcvsgo.skipped_by_go(""))

    def test_case_filter_names_one_case(self):
        names = [f"{s}/gogc:{g}/N:{n}/k:16/M:8/elem:1/manual_time"
                 for s in ("append", "append-nil", "append-each") for g in (100, 1000)
                 for n in (4096, 40960)]
        for case, gogc, want in ((("append", 4096, 16, 8, 1), "100",
                                  "append/gogc:100/N:4096/"),
                                 (("append-nil", 40960, 16, 8, 1), "0100",
                                  "append-nil/gogc:100/N:40960/")):
            got = [x for x in names if re.match(gcvsgo.case_filter(case, gogc), x)]
            self.assertEqual(len(got), 1, got)
            self.assertTrue(got[0].startswith(want), got)

    def test_case_filter_runs_each_case_of_the_real_binary(self):
        """Google Benchmark's regex, not Python's: every strategy's filter
        lists exactly its case (an escaped '-' listed nothing)."""
        binary = os.path.join(REPO, "build", "benchmarks", "slicebench-retention")
        if not os.access(binary, os.X_OK):
            self.skipTest("no built model binary")
        flags = ["--sizes=4KiB", "--kept=16", "--elem=1", "--budget=64MiB"]
        cases = gcvsgo.model_cases(binary, flags, "100")
        self.assertIn("append-nil", {c[0] for c in cases})
        for case in cases:
            p = subprocess.run([binary, *flags, "--gc=go", "--gogc=100", "--no-csv",
                                "--benchmark_list_tests",
                                f"--benchmark_filter={gcvsgo.case_filter(case, '100')}"],
                               capture_output=True, text=True)
            self.assertEqual(p.returncode, 0, p.stderr)
            self.assertEqual(p.stderr.count("Invalid"), 0, p.stderr)
            self.assertEqual(len(p.stdout.splitlines()), 1, (case, p.stdout, p.stderr))
            self.assertTrue(p.stdout.startswith(f"{case[0]}/gogc:100/"), p.stdout)
        with self.assertRaises(gcvsgo.GcVsGoError):
            gcvsgo.case_filter(("a.b", 4096, 16, 8, 1), "100")
        for gogc in ("", "off", "1.5"):
            with self.assertRaises(gcvsgo.GcVsGoError):
                gcvsgo.case_filter(("append", 4096, 16, 8, 1), gogc)

    def test_model_command_takes_the_scale(self):
        cmd = gcvsgo.model_command("b", ["--sizes=4KiB"], "100", 3, scale=1.8125)
        self.assertIn("--go-clock-scale=1.812", cmd)
        self.assertFalse(any(a.startswith("--go-clock-scale")
                             for a in gcvsgo.model_command("b", [], "100", 3)))

    def test_model_cases(self):
        binary = os.path.join(REPO, "build", "benchmarks", "slicebench-retention")
        if not os.access(binary, os.X_OK):
            self.skipTest("no built model binary")
        flags = gcvsgo.case_flags("4KiB,32KiB", "16", "1", "copy,retain", "64MiB")
        got = gcvsgo.model_cases(binary, flags, "100,400")
        self.assertEqual([c[:3] for c in got],
                         [("copy", 4096, 16), ("copy", 32768, 16),
                          ("retain", 4096, 16), ("retain", 32768, 16)])
        self.assertTrue(all(c[3] > 0 and c[4] == 1 for c in got), got)


def kept(folder, text):
    """A folder as --keep leaves it, with go.txt = text."""
    os.makedirs(folder)
    with open(os.path.join(folder, "go.txt"), "w") as f:
        f.write(text)
    return folder


class GoAgainst(unittest.TestCase):
    """--go-against: Go of one kept run against Go of another."""

    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.addCleanup(self.tmp.cleanup)
        with open(FIXTURE) as f:
            self.out = f.read()

    def test_kept_rows(self):
        # two processes, as run_go writes them: a "# GOGC=" line before each
        text = (f"# GOGC=100 strategy=copy/N=4096 -count=1\n{self.out}"
                f"# GOGC=100 strategy=copy/N=4096 -count=1\n{self.out}")
        rows = gcvsgo.kept_go_rows(kept(os.path.join(self.tmp.name, "a"), text))
        one = [r for r in gobench.rows(gobench.parse(self.out, FIXTURE), "go")
               if r["status"] == "ok"]
        self.assertEqual(len(rows), 2 * len(one))
        table = gcvsgo.compare(rows, one)
        self.assertTrue(table)
        self.assertTrue(all(r["rss_within"] and r["held_equal"] for r in table))
        self.assertIn("Go A/Go median 1.00", gcvsgo.summary(table, first="Go A"))
        self.assertIn("peak MiB Go A", gcvsgo.render(table, first="Go A"))
        # what gc-vs-go prints (and --keep writes): table, summary, key
        text = gcvsgo.report(table, first="Go A")
        self.assertTrue(text.startswith(gcvsgo.render(table, first="Go A") + "\n\n"))
        self.assertIn(gcvsgo.summary(table, first="Go A"), text)
        self.assertTrue(text.endswith("Go A / Go of the medians)"))

    def test_bad_folders(self):
        with self.assertRaisesRegex(gcvsgo.GcVsGoError, "go.txt: No such file"):
            gcvsgo.kept_go_rows(os.path.join(self.tmp.name, "none"))
        empty = kept(os.path.join(self.tmp.name, "empty"), "not a kept run\n")
        with self.assertRaisesRegex(gcvsgo.GcVsGoError, "no Go process in it"):
            gcvsgo.kept_go_rows(empty)

    def test_cli(self):
        a = kept(os.path.join(self.tmp.name, "a"), f"# GOGC=100 x\n{self.out}")
        b = kept(os.path.join(self.tmp.name, "b"), f"# GOGC=100 y\n{self.out}")
        script = os.path.join(REPO, "scripts", "gc-vs-go")
        p = subprocess.run([sys.executable, script, "--go-against", a, b],
                           capture_output=True, text=True)
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertIn(f"Go A: {a}; Go: {b}", p.stdout)
        self.assertIn("peak RSS within 25 %/1 MiB in", p.stdout)
        p = subprocess.run([sys.executable, script, "--go-against", a,
                            os.path.join(self.tmp.name, "none")],
                           capture_output=True, text=True)
        self.assertEqual(p.returncode, 1)
        self.assertEqual(len(p.stderr.strip().splitlines()), 1, p.stderr)
        self.assertNotIn("Traceback", p.stderr)


class HugePagesOff(unittest.TestCase):
    """--thp=off: slicebench.thp turns them off for a process and the
    processes it starts (each side's), and the model's results say so."""

    CHILD = ("import sys; sys.path.insert(0, sys.argv[1]); "
             "from slicebench import thp; import subprocess; "
             "print(thp.enabled()); thp.disable(); print(thp.enabled()); "
             "print(subprocess.run(['grep', '^THP_enabled', '/proc/self/status'], "
             "capture_output=True, text=True).stdout.split()[-1])")

    def test_off_here_and_in_children(self):
        if thp.enabled() is not True:
            self.skipTest("huge pages already off here (or no THP_enabled line)")
        p = subprocess.run([sys.executable, "-c", self.CHILD,
                            os.path.join(REPO, "scripts")],
                           capture_output=True, text=True)
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertEqual(p.stdout.split(), ["True", "False", "0"])
        self.assertTrue(thp.enabled())          # this process: untouched

    def test_cli(self):
        script = os.path.join(REPO, "scripts", "gc-vs-go")
        with tempfile.TemporaryDirectory() as d:
            p = subprocess.run([sys.executable, script, "--thp=off",
                                "--go-against", d, d], capture_output=True, text=True)
        self.assertEqual(p.returncode, 2)
        self.assertIn("--go-against runs nothing", p.stderr)
        # an option that chooses or runs cases is refused, not ignored
        # (abbreviated too), and a default is not taken for one given
        with tempfile.TemporaryDirectory() as d:
            for extra, named in ((["--repetitions", "15"], "--repetitions"),
                                 (["--rep", "15"], "--repetitions"),
                                 (["--sizes=4KiB"], "--sizes"),
                                 (["--binary", "x"], "--binary")):
                p = subprocess.run([sys.executable, script, "--go-against", d, d,
                                    *extra], capture_output=True, text=True)
                self.assertEqual(p.returncode, 2, extra)
                self.assertIn(f"{named}: --go-against runs nothing", p.stderr)
            p = subprocess.run([sys.executable, script, "--go-against", d, d],
                               capture_output=True, text=True)
            self.assertEqual(p.returncode, 1, p.stderr)   # no kept run there
            self.assertNotIn("runs nothing", p.stderr)
        p = subprocess.run([sys.executable, script, "--thp=on"],
                           capture_output=True, text=True)
        self.assertEqual(p.returncode, 2)
        self.assertNotIn("Traceback", p.stderr)

    def test_refused_is_one_line_and_no_folder(self):
        """A kernel that refuses (prctl fails): one line, exit 1, nothing
        run and no --keep folder made."""
        script = os.path.join(REPO, "scripts", "gc-vs-go")
        code = ("import runpy, sys; sys.path.insert(0, sys.argv[1]); "
                "from slicebench import thp\n"
                "def refuse():\n"
                "    raise thp.ThpError('cannot turn transparent huge pages off: "
                "prctl: Invalid argument')\n"
                "thp.disable = refuse\n"
                "sys.argv = sys.argv[2:]\n"
                "runpy.run_path(sys.argv[0], run_name='__main__')")
        with tempfile.TemporaryDirectory() as d:
            keep = os.path.join(d, "kept")
            p = subprocess.run([sys.executable, "-c", code,
                                os.path.join(REPO, "scripts"), script,
                                "--binary", "/bin/true", "--thp=off", "--keep", keep],
                               capture_output=True, text=True, timeout=60)
            self.assertFalse(os.path.exists(keep))
        self.assertEqual(p.returncode, 1, p.stderr)
        self.assertEqual(p.stderr.splitlines(), [
            "gc-vs-go: cannot turn transparent huge pages off: prctl: Invalid argument"])

    def test_status_without_the_line(self):
        with tempfile.NamedTemporaryFile("w", suffix="status") as f:
            f.write("Name:\tx\nThreads:\t1\n")
            f.flush()
            self.assertIsNone(thp.enabled(f.name))
            self.assertIsNone(thp.enabled(f.name + ".none"))

    def test_model_records_it(self):
        binary = os.path.join(REPO, "build", "benchmarks", "slicebench-retention")
        if not os.access(binary, os.X_OK) or thp.enabled() is not True:
            self.skipTest("no built model binary, or huge pages already off")
        code = ("import os, sys; sys.path.insert(0, sys.argv[1]); "
                "from slicebench import thp; thp.disable(); "
                "os.execv(sys.argv[2], sys.argv[2:])")
        with tempfile.TemporaryDirectory() as d:
            p = subprocess.run([sys.executable, "-c", code,
                                os.path.join(REPO, "scripts"), binary,
                                "--sizes=4KiB", "--kept=16", "--strategies=copy",
                                "--benchmark_min_time=1e-6", f"--csv-dir={d}"],
                               capture_output=True, text=True)
            self.assertEqual(p.returncode, 0, p.stderr)
            [csv] = [f for f in os.listdir(d) if f.endswith(".csv")]
            with open(os.path.join(d, csv)) as f:
                meta = [ln for ln in f if ln.startswith("# thp_enabled=")]
        self.assertEqual(len(meta), 1)
        self.assertTrue(meta[0].startswith("# thp_enabled=never (off for this process; "),
                        meta[0])


MODEL_BINARY = os.path.join(REPO, "build", "benchmarks", "slicebench-retention")
ONE_CASE = ["--sizes", "4KiB", "--kept", "16", "--strategies", "retain", "--gogc", "100",
            "--repetitions", "1"]


class ReaderGone(unittest.TestCase):
    def run_one_case(self, keep, *extra, case=ONE_CASE):
        """gc-vs-go on one case, its output's reader gone (| head): the
        kept folder's files, and the table it kept."""
        if not os.access(MODEL_BINARY, os.X_OK):
            self.skipTest("no built model binary")
        script = os.path.join(REPO, "scripts", "gc-vs-go")
        p = subprocess.Popen([sys.executable, script, "--binary", MODEL_BINARY,
                              *case, "--keep", keep, *extra],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        p.stdout.close()
        err = p.communicate(timeout=300)[1].decode()
        self.assertEqual(p.returncode, 0, err)
        self.assertNotIn("Traceback", err)
        with open(os.path.join(keep, "gc-vs-go.txt")) as f:
            return sorted(os.listdir(keep)), f.read()

    def test_keep_written_when_the_reader_goes(self):
        """A run whose output's reader goes away (| head) still keeps its
        files (written before its table is printed), with no traceback;
        --clock=fit: the model at gs.h's clock, in one run."""
        with tempfile.TemporaryDirectory() as d:
            files, table = self.run_one_case(os.path.join(d, "kept"), "--clock=fit")
            self.assertEqual(files, ["gc-vs-go.png", "gc-vs-go.txt", "go.txt",
                                     "model_glibc.csv"])
            self.assertIn("the model's clock: Go's clock (gs.h), its fit", table)
            res = results.load(os.path.join(d, "kept", "model_glibc.csv"))
            self.assertEqual(res.meta["go_clock_scale"], "1")

    def test_clock_of_go(self):
        """By default (--clock=go) Go runs first, and the model runs its
        case alone, at Go's speed in that case."""
        with tempfile.TemporaryDirectory() as d:
            keep = os.path.join(d, "kept")
            files, table = self.run_one_case(keep)
            self.assertEqual(files, ["gc-vs-go.png", "gc-vs-go.txt", "go.txt", "model"])
            self.assertEqual(os.listdir(os.path.join(keep, "model")), ["model-0_glibc.csv"])
            with open(os.path.join(keep, "go.txt")) as f:
                case = ("retain", 4096, 16, 8168, 1)
                (scale,) = gcvsgo.case_scales([("100", case, f.read())]).values()
            self.assertIn(f"the model's clock: Go's clock (gs.h) x{scale:.3g}-{scale:.3g} ",
                          table)
            res = results.load(os.path.join(keep, "model", "model-0_glibc.csv"))
            self.assertEqual(res.meta["go_clock_scale"], f"{float(f'{scale:.4g}'):.9g}")
            self.assertEqual({r["strategy"] for r in res.rows}, {"retain"})
            # a kept run of one file per case reads back as one run
            run = gcvsgo_tally.load(keep)
            self.assertEqual(len(run.model), 1)



class ModelAgain(unittest.TestCase):
    """--model-again DIR: Go's side read from a kept run, the model run
    again on that run's cases with its options, read from its Go
    processes, at Go's speed in them."""

    SCRIPT = os.path.join(REPO, "scripts", "gc-vs-go")
    REFERENCE = testenv.gc_vs_go_reference()

    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.addCleanup(self.tmp.cleanup)

    def run_script(self, *args, cwd=None):
        return subprocess.run([sys.executable, self.SCRIPT, *args], capture_output=True,
                              text=True, timeout=300, cwd=cwd or self.tmp.name)

    def test_same_go_new_model(self):
        first = os.path.join(self.tmp.name, "first")
        ReaderGone.run_one_case(self, first, case=[*ONE_CASE[:-1], "2"])
        # run again from a relative path, then from elsewhere again from that
        p = self.run_script("--model-again", "first", "--keep", "again",
                            "--binary", MODEL_BINARY)
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertNotIn("Traceback", p.stderr)
        again = os.path.join(self.tmp.name, "again")
        # Go's side is the first run's, byte for byte, and its figures
        with open(os.path.join(first, "go.txt"), "rb") as a, \
                open(os.path.join(again, "go.txt"), "rb") as b:
            self.assertEqual(a.read(), b.read())
        self.assertIn("Go: the processes of first, 2 that measured their case", p.stderr)
        self.assertRegex(p.stderr, r"the model: 1/1 cases and GOGCs, \d+ s")
        rows_first, rows_again = (gcvsgo_tally.load(d) for d in (first, again))
        self.assertEqual(rows_first.go, rows_again.go)
        # the model ran the first run's case, its repetitions, at Go's speed there
        res = results.load(os.path.join(again, "model", "model-0_glibc.csv"))
        self.assertEqual({(r["strategy"], r["source_bytes"], r["kept_bytes"])
                          for r in res.rows}, {("retain", 4096, 16)})
        self.assertEqual(len(res.repetitions()), 2)
        with open(os.path.join(first, "go.txt")) as f:
            (scale,) = gcvsgo.case_scales(
                [("100", ("retain", 4096, 16, 8168, 1), c.split("\n", 1)[1])
                 for c in f.read().split("# GOGC=")[1:]]).values()
        self.assertEqual(res.meta["go_clock_scale"], f"{float(f'{scale:.4g}'):.9g}")
        # a run again is a kept run too: run again from it, elsewhere
        p = self.run_script("--model-again", again, "--binary", MODEL_BINARY, "--clock=fit",
                            cwd=REPO)
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertRegex(p.stdout, r"(?m)^retain +4096 +16 +1 +100 +8168 ")
        self.assertIn("the model's clock: Go's clock (gs.h), its fit", p.stdout)

    def test_options_from_go(self):
        """The options come from the Go processes, whatever the command."""
        opts = gcvsgo.kept_run_options(self.REFERENCE)
        self.assertEqual({k: opts[k] for k in ("sizes", "kept", "elem", "budget", "gogc",
                                               "repetitions", "span", "thp")},
                         {"sizes": "4096,32768,262144", "kept": "16,N/2", "elem": "1",
                          "budget": "64MiB", "gogc": "100,400", "repetitions": 15,
                          "span": "batches", "thp": "system"})
        self.assertEqual(set(opts["strategies"].split(",")),
                         {"retain", "copy", "append", "exactcap", "append-nil"})

    def kept(self, edit):
        """A kept folder whose go.txt is the reference run's, edited."""
        d = os.path.join(self.tmp.name, f"k{len(os.listdir(self.tmp.name))}")
        os.makedirs(d)
        with open(os.path.join(self.REFERENCE, "go.txt")) as f:
            # as if run on this machine's huge page mode (the check refuses
            # any other before the rest)
            text = edit(f.read().replace("thp-enabled: madvise",
                                         f"thp-enabled: {thp.system_mode()}"))
        with open(os.path.join(d, "go.txt"), "w") as f:
            f.write(text)
        return d

    def test_flags_the_model_refuses_are_bad_input(self):
        """Status 2, the model's own line (it was 1: read as a failed run)."""
        for args, says in ((["--gogc", "abc"], "GOGC 'abc' is not a whole number"),
                           (["--sizes", "0"], "'0' is not a size in bytes")):
            with self.subTest(args=args):
                p = self.run_script("--binary", MODEL_BINARY, *args)
                self.assertEqual(p.returncode, 2, p.stderr)
                self.assertEqual(len(p.stderr.splitlines()), 1, p.stderr)
                self.assertIn(says, p.stderr)

    def test_refused(self):
        kept = self.kept(lambda t: t)
        for args, says in ((["--sizes", "4KiB"], "--sizes: --model-again runs the cases"),
                           (["--repetitions", "3"], "--repetitions: --model-again"),
                           (["--tally", kept], "one or the other")):
            with self.subTest(args=args):
                p = self.run_script("--model-again", kept, *args)
                self.assertEqual(p.returncode, 2)
                self.assertEqual(len(p.stderr.splitlines()), 1, p.stderr)
                self.assertIn(says, p.stderr)
        mode = thp.system_mode()
        other = "always" if mode != "always" else "madvise"
        first = "# GOGC=100 strategy=append/N=4096/k=16/M=8168/elem=1 "
        for edit, says in (
                (lambda t: "junk\n", "no Go process in it"),
                (lambda t: t.replace(first, "# GOGC=100 x ", 1), "names no GOGC and case"),
                (lambda t: t.replace("-budget=64MiB", "-budget=32MiB", 1), "budget"),
                (lambda t: t.replace("x\n", "s\n", 1), "not one run's span"),
                (lambda t: t[:t.rindex("# GOGC=")], "processes each"),
                (lambda t: t.replace(f"thp-enabled: {mode}", f"thp-enabled: {other}"),
                 f"Go ran with transparent huge pages '{other}'"),
                (lambda t: t.replace("strategy=append/N=4096/k=16/M=8168/",
                                     "strategy=append/N=4096/k=16/M=8000/"),
                 "append N=4096 k=16 M=8000 elem=1, which")):
            with self.subTest(says=says):
                d = self.kept(edit)
                keep = os.path.join(self.tmp.name, "never-made")
                p = self.run_script("--model-again", d, "--binary", MODEL_BINARY,
                                    "--keep", keep)
                self.assertEqual(p.returncode, 1, p.stderr)
                self.assertEqual(len(p.stderr.splitlines()), 1, p.stderr)
                self.assertIn(says, p.stderr)
                self.assertNotIn("Traceback", p.stderr)
                self.assertFalse(os.path.exists(keep))      # refused before it
        # Go against a copy of itself: refused, not a perfect agreement
        a, b = self.kept(lambda t: t), self.kept(lambda t: t)
        p = self.run_script("--go-against", a, b)
        self.assertEqual(p.returncode, 1)
        self.assertIn("hold the same Go processes", p.stderr)
        self.assertEqual(len(p.stderr.splitlines()), 1, p.stderr)
        p = self.run_script("--model-again", os.path.join(self.tmp.name, "none"))
        self.assertEqual(p.returncode, 1)
        self.assertIn("No such file", p.stderr)

if __name__ == "__main__":
    unittest.main()
