#!/usr/bin/python3
"""Tests of slicebench.summary: the table a sweep prints at its end, on the
fixtures in tests/fixtures/plot/, and its command line.

Run from anywhere:  /usr/bin/python3 tests/python/test_summary.py [-v]
"""

import os
import re
import statistics
import subprocess
import sys
import tempfile
import unittest

import testenv  # first: REPO, scripts/ on sys.path, no bytecode

REPO = testenv.REPO
SCRIPTS = testenv.SCRIPTS

from slicebench import model, results, summary, units  # noqa: E402

FIXTURES = os.path.join(REPO, "tests", "fixtures", "plot")
RUN_ID = "20261126T230102Z_3f2a9c1"
FILES = [os.path.join(FIXTURES, f"{RUN_ID}_{a}.csv")
         for a in ("glibc", "mimalloc", "go")]
V1 = os.path.join(FIXTURES, "v1_glibc.csv")
FIXES = ("copy", "append", "exactcap", "append-nil", "append-each")


def run_cli(args):
    env = dict(os.environ, PYTHONPATH=SCRIPTS)
    return subprocess.run([sys.executable, "-m", "slicebench.summary"] + args,
                          env=env, capture_output=True, text=True,
                          timeout=120)


def median_time(rows, strategy, allocator, n, rule="16"):
    return statistics.median(
        r["real_time_per_item_ns"] for r in rows
        if r["strategy"] == strategy and r["allocator"] == allocator
        and r["source_bytes"] == n and r["kept_rule"] == rule
        and r["status"] == "ok" and r["elem_bytes"] == 1
        and r["growth_policy"] == "go")


def row(rows, strategy, rep, time, alloc="glibc", n=64, status="ok"):
    """A minimal typed row for synthetic cases."""
    return {"strategy": strategy, "allocator": alloc, "source_bytes": n,
            "kept_bytes": 16, "kept_rule": "16", "items": 100,
            "elem_bytes": 1, "growth_policy": "go", "repetition": rep,
            "status": status, "real_time_per_item_ns": time,
            "amplification": 1.0}


class SummaryTable(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.loaded = results.load_many(FILES)
        cls.rows = [r for res in cls.loaded for r in res.rows]
        cls.text = summary.summarize(cls.loaded, report="results/x/r.html")
        cls.lines = cls.text.splitlines()
        cls.header = next(ln for ln in cls.lines
                          if ln.startswith("allocator"))
        start = cls.lines.index(cls.header) + 2
        cls.body = []
        for line in cls.lines[start:]:
            if line.startswith("-"):
                break
            cls.body.append(line)

    def cell(self, line, name):
        """The cell under a header column (right-aligned, flag after)."""
        end = self.header.index(name) + len(name) + 1
        begin = max(i for i in range(end)
                    if i == 0 or self.header[i - 1:i + 1] == "  ")
        return line[begin:end + 1].strip()

    def test_short(self):
        self.assertLessEqual(len(self.lines), 25)
        self.assertLessEqual(max(len(ln) for ln in self.lines), 110)

    def test_title_names_run_and_case(self):
        self.assertIn(RUN_ID, self.lines[0])
        self.assertIn("k = 16 B", self.lines[0])
        self.assertIn("2 repetitions", self.lines[0])

    def test_report_last(self):
        self.assertEqual(self.lines[-1], "report: results/x/r.html")
        no_report = summary.summarize(self.loaded).splitlines()
        self.assertFalse(no_report[-1].startswith("report:"))

    def test_rows_per_allocator_and_size(self):
        self.assertEqual(len(self.body), 9)       # 3 allocators x 3 N
        labels = [ln.split()[0] for ln in self.body[::3]]
        self.assertEqual(labels, ["glibc", "mimalloc", "go"])
        sizes = [re.split(r"  +", ln)[1] for ln in self.body[:3]]
        self.assertEqual(sizes, ["64 B", "64 KiB", "1 MiB"])
        for name in ("receive-only", "retain held") + FIXES:
            self.assertIn(name, self.header)

    def test_retain_amplification(self):
        cells = [self.cell(ln, "retain held") for ln in self.body]
        self.assertEqual(cells[:3], ["4×", "4096×", "65.5k×"])
        # mimalloc's retain at 1 MiB was skipped: a dash, never a zero.
        self.assertEqual(cells[5], units.MISSING)

    def test_receive_only_time(self):
        want = units.format_ns(median_time(self.rows, "receive-only",
                                           "glibc", 65536))
        self.assertEqual(self.cell(self.body[1], "receive-only"), want)

    def test_fix_ratios_from_rows(self):
        for line, alloc, n in ((self.body[0], "glibc", 64),
                               (self.body[8], "go", 1048576)):
            base = median_time(self.rows, "receive-only", alloc, n)
            for fix in FIXES:
                want = units.format_ratio(
                    median_time(self.rows, fix, alloc, n) / base)
                self.assertEqual(self.cell(line, fix).rstrip("~?"), want,
                                 (alloc, n, fix))

    def test_columns_aligned(self):
        table = [self.header] + self.body
        for fix in FIXES:
            end = self.header.index(fix) + len(fix)
            for line in self.body:
                self.assertEqual(line[end - 1], "×", (fix, line))
        self.assertTrue(all(ln.rstrip() == ln for ln in table))

    def test_legend_explains_flags(self):
        legend = "\n".join(self.lines[-4:])
        self.assertIn(summary.NOISE_FLAG, legend)
        self.assertIn(summary.UNCHECKED_FLAG, legend)
        self.assertIn(units.MISSING, legend)

    def test_schema_1(self):
        text = summary.summarize(results.load_many([V1]))
        self.assertIn("glibc", text)
        self.assertIn("4096×", text)

    def test_other_rule_when_no_16(self):
        loaded = results.load_many(FILES[:1])
        loaded[0].rows = [r for r in loaded[0].rows if r["kept_rule"] != "16"]
        text = summary.summarize(loaded)
        self.assertIn("k = N/8", text.splitlines()[0])
        self.assertIn("8×", text)

    def test_no_matplotlib(self):
        env = dict(os.environ, PYTHONPATH=SCRIPTS)
        code = ("import sys, slicebench.summary; "
                "sys.exit('matplotlib' in sys.modules)")
        proc = subprocess.run([sys.executable, "-c", code], env=env,
                              timeout=60)
        self.assertEqual(proc.returncode, 0)


class FixCell(unittest.TestCase):
    def case(self, strategy, times):
        return model.Case([row(None, strategy, i, t)
                           for i, t in enumerate(times)])

    def cell(self, times, base_times):
        return summary.fix_cell(self.case("copy", times),
                                self.case("receive-only", base_times))

    def test_separate_ranges(self):
        self.assertEqual(self.cell([30, 31, 32], [10, 11, 12]), "2.82× ")

    def test_overlapping_ranges(self):
        self.assertEqual(self.cell([11, 12, 30], [10, 11, 12]), "1.09×~")

    def test_faster_than_baseline_is_noise(self):
        self.assertEqual(self.cell([5, 5.5, 6], [10, 11, 12]), "0.5×~")

    def test_single_repetition(self):
        self.assertEqual(self.cell([30], [10, 11]), "2.86×?")
        self.assertEqual(self.cell([30, 31], [10]), "3.05×?")

    def test_missing(self):
        self.assertEqual(summary.fix_cell(None, None), units.MISSING)
        self.assertEqual(summary.fix_cell(self.case("copy", [1]), None),
                         units.MISSING)


class CommandLine(unittest.TestCase):
    def test_help(self):
        proc = run_cli(["--help"])
        self.assertEqual(proc.returncode, 0)
        self.assertIn("usage:", proc.stdout)

    def test_prints_summary(self):
        proc = run_cli(FILES + ["--report", "r/report.html"])
        self.assertEqual(proc.returncode, 0, proc.stderr)
        self.assertTrue(proc.stdout.startswith("Summary of run " + RUN_ID))
        self.assertTrue(proc.stdout.endswith("report: r/report.html\n"))
        self.assertEqual(proc.stderr, "")

    def test_bad_input_one_line(self):
        for name in ("bad_cut.csv", "bad_empty.csv", "no_such.csv"):
            proc = run_cli([os.path.join(FIXTURES, name)])
            self.assertEqual(proc.returncode, 2, name)
            self.assertEqual(proc.stdout, "")
            self.assertEqual(len(proc.stderr.splitlines()), 1, proc.stderr)
            self.assertTrue(proc.stderr.startswith("summary: "))

    def test_no_rows_to_show(self):
        with tempfile.TemporaryDirectory() as tmp:
            path = os.path.join(tmp, "skipped.csv")
            with open(FILES[0], encoding="utf-8") as f:
                text = f.read()
            head, _, body = text.partition("\nrun_id,")
            lines = ("run_id," + body).splitlines()
            rows = [ln.replace(",ok,,", ",skipped,over budget,")
                    for ln in lines[1:]]
            with open(path, "w", encoding="utf-8") as f:
                f.write(head + "\n" + lines[0] + "\n" + "\n".join(rows)
                        + "\n")
            proc = run_cli([path])
        self.assertEqual(proc.returncode, 2)
        self.assertEqual(len(proc.stderr.splitlines()), 1, proc.stderr)

    def test_reader_gone_is_quiet(self):
        """| head: a reader that went away is not the run's failure."""
        env = dict(os.environ, PYTHONPATH=SCRIPTS)
        proc = subprocess.Popen([sys.executable, "-m", "slicebench.summary"]
                                + FILES, env=env, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE)
        proc.stdout.close()
        err = proc.stderr.read()
        proc.stderr.close()
        self.assertEqual(proc.wait(timeout=120), 0, err)
        self.assertEqual(err, b"")

    def test_full_stdout_one_line(self):
        env = dict(os.environ, PYTHONPATH=SCRIPTS)
        with open("/dev/full", "w") as full:
            proc = subprocess.run([sys.executable, "-m", "slicebench.summary"]
                                  + FILES, env=env, stdout=full,
                                  stderr=subprocess.PIPE, text=True,
                                  timeout=120)
        self.assertEqual(proc.returncode, 2)
        lines = proc.stderr.splitlines()
        self.assertEqual(len(lines), 1, proc.stderr)
        self.assertTrue(lines[0].startswith("summary: cannot write the summary: "),
                        lines[0])

    def test_usage_error(self):
        proc = run_cli([])
        self.assertEqual(proc.returncode, 2)
        self.assertEqual(len(proc.stderr.splitlines()), 1)


if __name__ == "__main__":
    unittest.main()
