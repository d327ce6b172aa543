#!/usr/bin/python3
"""Tests of the Go results converter: slicebench.gobench and scripts/go-results.

Run from anywhere:  /usr/bin/python3 tests/python/test_gobench.py [-v]

tests/fixtures/go/retention.txt is real `go test -v -bench` output of
benchmarks/go (2 repetitions, a skipped strategy, elem 1 and 8). Writes only
into temporary directories.
"""

import csv
import datetime
import io
import os
import subprocess
import sys
import tempfile
import unittest

import testenv  # first: REPO, scripts/ on sys.path, no bytecode

REPO = testenv.REPO

from slicebench import gobench, results, schema  # noqa: E402

FIXTURE = os.path.join(REPO, "tests", "fixtures", "go", "retention.txt")
CLI = os.path.join(REPO, "scripts", "go-results")
NOW = datetime.datetime(2026, 11, 27, 5, 0, 0, tzinfo=datetime.timezone.utc)


def fixture():
    with open(FIXTURE, encoding="utf-8") as f:
        return f.read()


def table(csv_text):
    """(metadata dict, header, rows as dicts) of a CSV text."""
    lines = csv_text.splitlines()
    meta = dict(line[2:].split("=", 1) for line in lines if line.startswith("# "))
    body = [line for line in lines if not line.startswith("#")]
    reader = csv.reader(io.StringIO("\n".join(body)))
    header = next(reader)
    return meta, header, [dict(zip(header, r)) for r in reader]


class Convert(unittest.TestCase):
    def setUp(self):
        self.run_id, self.text = gobench.convert(fixture(), FIXTURE, "R1", REPO, NOW)
        self.meta, self.header, self.rows = table(self.text)

    def test_columns_are_schema_2(self):
        self.assertEqual(tuple(self.header), schema.COLUMN_NAMES)
        self.assertEqual(self.meta["schema_version"], "2")
        self.assertTrue(all(len(r) == len(self.header) for r in self.rows))

    def test_metadata(self):
        m = self.meta
        self.assertEqual((m["run_id"], m["allocator"], m["go_version"], m["gogc"],
                          m["gomaxprocs"], m["gomemlimit"]),
                         ("R1", "go", "go1.19.8", "100", "2", "off"))
        self.assertEqual(m["date"], "2026-11-27T05:00:00Z")
        self.assertEqual(m["cpu_model"], "AMD EPYC")
        for key in ("git_commit", "git_dirty", "host", "cpus", "allocator_version",
                    "allocator_settings", "budget_bytes"):
            self.assertIn(key, m)
        self.assertEqual(self.text.splitlines()[0], "# schema_version=2")

    def test_date_is_when_the_run_started(self):
        # each process prints when it started; a run of several processes
        # (a sweep's rounds) started with its first; conversion later
        # keeps it
        text = ("# started 2026-11-20T01:02:03Z\n" + fixture()
                + "# started 2026-11-20T03:30:00Z\n" + fixture())
        run_id, out = gobench.convert(text, FIXTURE, None, REPO, NOW)
        self.assertEqual(table(out)[0]["date"], "2026-11-20T01:02:03Z")
        self.assertTrue(run_id.startswith("20261120T010203Z_"), run_id)
        # no such line (older output), or not a time: the conversion's
        for head in ("", "# started soon\n", "started: 2026-11-20T01:02:03Z\n"):
            _, out = gobench.convert(head + fixture(), FIXTURE, "R", REPO, NOW)
            self.assertEqual(table(out)[0]["date"], "2026-11-27T05:00:00Z", head)

    def test_one_row_per_line_with_repetitions(self):
        lines = [l for l in fixture().splitlines()
                 if l.startswith("Benchmark") and len(l.split()) > 1]
        ok = [r for r in self.rows if r["status"] == "ok"]
        self.assertEqual(len(ok), len(lines))
        self.assertEqual(sorted({r["repetition"] for r in ok}), ["0", "1"])
        for r in self.rows:
            self.assertEqual((r["run_id"], r["allocator"], r["growth_policy"]),
                             ("R1", "go", "go"))
            self.assertNotIn("#", r["benchmark"])

    def test_figures_per_item(self):
        first = next(l for l in fixture().splitlines()
                     if l.startswith("BenchmarkRetention/strategy=copy/N=4096/k=2048/")
                     and len(l.split()) > 1)
        f = first.split()
        metrics = dict(zip(f[3::2], map(float, f[2::2])))
        row = next(r for r in self.rows if r["strategy"] == "copy"
                   and r["kept_bytes"] == "2048" and r["elem_bytes"] == "1"
                   and r["repetition"] == "0")
        self.assertEqual(float(row["real_time_per_item_ns"]), metrics["ns/op"])
        self.assertEqual(float(row["held_bytes"]), metrics["held-B"])
        self.assertEqual(float(row["held_bytes"]), 100 * 2048)   # k is a size class
        self.assertEqual(float(row["peak_rss_delta_bytes"]), metrics["peak-RSS-B"])
        self.assertEqual(float(row["page_faults_per_item"]), metrics["faults/op"])
        self.assertEqual(float(row["allocs_per_item"]), metrics["heap-allocs/op"])
        self.assertEqual(row["needed_bytes"], str(100 * 2048))
        self.assertEqual(row["kept_rule"], "N/2")
        self.assertEqual(row["batches"], "2")          # 200 items, M = 100
        self.assertAlmostEqual(float(row["items_per_second"]),
                               1e9 / metrics["ns/op"], delta=1e-3)

    def test_skipped_rows(self):
        skipped = [r for r in self.rows if r["status"] == "skipped"]
        self.assertTrue(skipped)
        for r in skipped:
            self.assertEqual(r["strategy"], "retain")
            self.assertIn("budget", r["message"])
            self.assertEqual(r["real_time_per_item_ns"], "")

    def test_rule_names_follow_the_c_side(self):
        self.assertEqual(gobench.rule_of(["16", "N/8"], 128, 16), "16")
        self.assertEqual(gobench.rule_of(["N/8", "16"], 128, 16), "N/8")
        self.assertEqual(gobench.rule_of([], 128, 16), "")

    @unittest.skipUnless(2 in getattr(results, "READABLE_VERSIONS",
                                      (getattr(results, "SCHEMA_VERSION", 1),)),
                         "slicebench.results does not read schema 2 yet")
    def test_results_reader_takes_it(self):
        with tempfile.TemporaryDirectory() as d:
            path, _ = gobench.write(d, "R1_go", self.text, fixture())
            res = results.load(path)
            self.assertEqual(res.meta["allocator"], "go")


class BadInput(unittest.TestCase):
    def bad(self, text, words):
        with self.assertRaises(gobench.GoBenchError) as cm:
            gobench.parse(text, "x.txt")
        msg = str(cm.exception)
        self.assertNotIn("\n", msg)
        self.assertIn(words, msg)

    def test_bad_inputs(self):
        self.bad("", "no slicebench Go benchmark results")
        self.bad("PASS\nok  \tslicebench/retention\t0.1s\n", "no slicebench")
        self.bad("BenchmarkOther-2  100  5 ns/op\n", "not a slicebench Go benchmark")
        self.bad("BenchmarkRetention/strategy=nope/N=64/k=16/M=1/elem=1-2 1 5 ns/op\n",
                 "unknown strategy")
        self.bad("BenchmarkRetention/strategy=copy/N=64/k=16/M=1/elem=1-2 1 x ns/op\n",
                 "not a number")
        self.bad("BenchmarkRetention/strategy=copy/N=64/k=16/M=1/elem=1-2 1 5\n",
                 "not a benchmark result line")
        self.bad("BenchmarkRetention/strategy=copy/N=64/k=16/M=0/elem=1-2 1 5 ns/op\n",
                 "a size of 0")
        self.bad("BenchmarkRetention/strategy=copy/N=64/k=16/M=1/elem=1-2 1 5 B/op\n",
                 "no ns/op")
        self.bad(fixture() + "--- FAIL: BenchmarkRetention\nFAIL\n", "failed")
        self.bad("a\0b", "binary")
        self.bad("BenchmarkRetention/strategy=copy/N=64/k=16/M=1/elem=1-2 1 0 ns/op\n",
                 "above zero")


class Write(unittest.TestCase):
    def test_never_overwrites(self):
        with tempfile.TemporaryDirectory() as d:
            with open(os.path.join(d, "S.txt"), "w") as f:
                f.write("mine")
            first = gobench.write(d, "S", "a\n", "raw")
            second = gobench.write(d, "S", "b\n", "raw")
            self.assertEqual([os.path.basename(p) for p in first + second],
                             ["S.2.csv", "S.2.txt", "S.3.csv", "S.3.txt"])
            with open(os.path.join(d, "S.txt")) as f:
                self.assertEqual(f.read(), "mine")
            self.assertFalse(os.path.exists(os.path.join(d, "S.csv")))


class Cli(unittest.TestCase):
    def run_cli(self, *args, stdin=None):
        return subprocess.run([sys.executable, CLI, *args], input=stdin,
                              capture_output=True, text=True, timeout=60)

    def test_writes_csv_and_raw_text(self):
        with tempfile.TemporaryDirectory() as d:
            done = self.run_cli("--out-dir", d, "--run-id", "R2", FIXTURE)
            self.assertEqual(done.returncode, 0, done.stderr)
            self.assertEqual(sorted(os.listdir(d)), ["R2_go.csv", "R2_go.txt"])
            with open(os.path.join(d, "R2_go.txt"), encoding="utf-8") as f:
                self.assertEqual(f.read(), fixture())
            again = self.run_cli("--out-dir", d, "--run-id", "R2", "-", stdin=fixture())
            self.assertEqual(again.returncode, 0, again.stderr)
            self.assertIn("R2_go.2.csv", again.stderr)

    def test_bad_input_is_one_line_and_2(self):
        with tempfile.TemporaryDirectory() as d:
            for args, stdin in ((["--out-dir", d, "-"], "garbage\n"),
                                (["--out-dir", d, os.path.join(d, "none.txt")], None),
                                (["--out-dir", os.path.join(d, "no"), FIXTURE], None),
                                (["--out-dir", d, "--run-id", "a/b", FIXTURE], None),
                                (["--bogus"], None)):
                done = self.run_cli(*args, stdin=stdin)
                self.assertEqual(done.returncode, 2, (args, done.stderr))
                lines = done.stderr.strip().splitlines()
                self.assertEqual(len(lines), 1, done.stderr)
                self.assertTrue(lines[-1].startswith("go-results: "), done.stderr)
                self.assertNotIn("Traceback", done.stderr)
            # standard input closed from the start: one line, 2
            done = subprocess.run([sys.executable, CLI, "--out-dir", d, "-"],
                                  stdin=None, capture_output=True, text=True,
                                  preexec_fn=lambda: os.close(0))
            self.assertEqual(done.returncode, 2, done.stderr)
            self.assertEqual(done.stderr.splitlines(),
                             ["go-results: -: standard input is closed"])
            self.assertEqual(os.listdir(d), [])

    def test_unwritable_out_dir_is_one_line_and_2(self):
        """A folder no file can be made in (/proc, even for root): the
        status of every output the suite's tools cannot write."""
        done = self.run_cli("--out-dir", "/proc", FIXTURE)
        self.assertEqual(done.returncode, 2, done.stderr)
        self.assertEqual(len(done.stderr.splitlines()), 1, done.stderr)
        self.assertTrue(done.stderr.startswith("go-results: /proc: cannot write: "))

    def test_stderr_full(self):
        """No line can reach stderr: bad input still exits 2, good input
        still writes its files and exits 0."""
        with tempfile.TemporaryDirectory() as d, open("/dev/full", "w") as full:
            bad = subprocess.run([sys.executable, CLI, "--out-dir", d,
                                  os.path.join(d, "none.txt")],
                                 stdout=subprocess.PIPE, stderr=full)
            self.assertEqual(bad.returncode, 2)
            good = subprocess.run([sys.executable, CLI, "--out-dir", d, FIXTURE],
                                  stdout=subprocess.PIPE, stderr=full)
            self.assertEqual(good.returncode, 0)
            self.assertEqual(sorted(os.path.splitext(f)[1] for f in os.listdir(d)),
                             [".csv", ".txt"])

    def test_help(self):
        done = self.run_cli("--help")
        self.assertEqual(done.returncode, 0)
        self.assertIn("usage:", done.stdout)


if __name__ == "__main__":
    unittest.main()
