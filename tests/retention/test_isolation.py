#!/usr/bin/python3
"""A figure belongs to its case: the retention binary measured as a user
would try it, with other cases beside it, in another order, with another
output format; its schema against the Python side's; Google Benchmark's
per-item time against the results CSV's.

Usage: test_isolation.py BINARY (the glibc binary)
"""
import csv
import json
import os
import statistics
import subprocess
import sys
import tempfile
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "scripts"))
from slicebench import schema  # noqa: E402

BINARY = None
UNIT_NS = {"ns": 1, "us": 1e3, "ms": 1e6, "s": 1e9}
# The case: exactcap's 32 MiB accumulator is allocated and freed by
# every batch, so every batch faults it in: 4 faults per item, unless an
# earlier case left freed memory behind in the same process.
CASE = ["--sizes=32768", "--kept=16384", "--items=2048", "--elem=1"]


def run(*flags, timeout=300):
    p = subprocess.run([BINARY, *flags], capture_output=True, text=True,
                       timeout=timeout)
    if p.returncode != 0:
        raise AssertionError(f"exit {p.returncode}: {p.stderr[-2000:]}")
    return p


def rows_of(path):
    with open(path, newline="") as f:
        return list(csv.DictReader(line for line in f if not line.startswith("#")))


def meta_of(path):
    meta = {}
    with open(path) as f:
        for line in f:
            if not line.startswith("#"):
                break
            key, _, value = line[1:].strip().partition("=")
            meta[key] = value
    return meta


class Isolation(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.n = 0

    def tearDown(self):
        self.tmp.cleanup()

    def measure(self, *flags):
        """Run the binary; the rows and metadata of its results file."""
        self.n += 1
        run(*flags, f"--csv-dir={self.tmp.name}", f"--run-id=r{self.n}")
        path = os.path.join(self.tmp.name, f"r{self.n}_glibc.csv")
        return rows_of(path), meta_of(path)

    def faults(self, rows, strategy="exactcap"):
        return [float(r["page_faults_per_item"]) for r in rows
                if r["strategy"] == strategy and r["status"] == "ok"]

    def test_page_faults_do_not_depend_on_what_ran_with_it(self):
        quick = ["--benchmark_min_time=0.02", "--benchmark_repetitions=2"]
        alone, _ = self.measure(*CASE, "--strategies=exactcap", *quick)
        want = statistics.median(self.faults(alone))
        self.assertGreater(want, 1.0)            # the accumulator does fault
        for extra in (["--strategies=receive-only,retain,copy,exactcap",
                       "--benchmark_format=json", "--seed=1"],
                      ["--strategies=retain,exactcap,copy", "--seed=2"],
                      ["--strategies=exactcap,append-each",
                       "--benchmark_format=csv", "--seed=3"]):
            with self.subTest(extra=extra):
                rows, _ = self.measure(*CASE, *extra, *quick)
                got = self.faults(rows)
                self.assertEqual(len(got), 2)
                for g in got:
                    self.assertAlmostEqual(g, want, delta=0.05 * want)

    def test_items_do_not_depend_on_the_strategies_selected(self):
        flags = ["--quick", "--benchmark_min_time=0.001"]
        one, _ = self.measure(*flags, "--strategies=receive-only")
        every, _ = self.measure(*flags)
        items = {(r["source_bytes"], r["kept_bytes"]): r["items"] for r in every}
        for r in one:
            self.assertEqual(r["items"], items[(r["source_bytes"], r["kept_bytes"])])

    def test_order_is_shuffled_and_recorded(self):
        flags = ["--quick", "--benchmark_min_time=0.001", "--sizes=64,4KiB"]
        a, meta_a = self.measure(*flags, "--seed=7")
        b, meta_b = self.measure(*flags, "--seed=7")
        c, _ = self.measure(*flags, "--seed=8")
        self.assertEqual(meta_a["order_seed"], "7")
        self.assertEqual(meta_a["isolation"], "process")
        order = [[(r["benchmark"], r["repetition"]) for r in x] for x in (a, b, c)]
        self.assertEqual(order[0], order[1])
        self.assertNotEqual(order[0], order[2])
        self.assertEqual(sorted(order[0]), sorted(order[2]))

    def test_flags_after_benchmark_flags_reach_the_measuring_process(self):
        # Google Benchmark takes its flags out of argv; each measuring
        # process must still get every flag as given (--quick chooses M)
        rows, _ = self.measure("--benchmark_min_time=0.001", "--benchmark_filter=copy",
                               "--quick", "--sizes", "64")
        self.assertTrue(rows)
        self.assertEqual({r["status"] for r in rows}, {"ok"}, rows)
        self.assertEqual({r["items"] for r in rows}, {"1024"})

    def test_one_process_mode_still_measures(self):
        rows, meta = self.measure("--quick", "--benchmark_min_time=0.001",
                                  "--sizes=4KiB", "--isolation=none")
        self.assertEqual(meta["isolation"], "none")
        self.assertTrue(rows)
        self.assertTrue(all(r["status"] == "ok" for r in rows))

    def test_one_process_mode_measures_go_gc_case_after_case(self):
        # every measurement after the first once failed its accounting
        # check: Go's harness checked its batches against the counts the
        # measurement before had left
        rows, _ = self.measure("--quick", "--benchmark_min_time=0.001",
                               "--sizes=4KiB", "--strategies=retain,copy",
                               "--gc=go", "--benchmark_repetitions=2",
                               "--isolation=none")
        self.assertEqual(len(rows), 8)
        self.assertEqual([r["status"] for r in rows], ["ok"] * 8,
                         [r["message"] for r in rows])

    def test_google_benchmark_time_is_per_item_as_in_the_csv(self):
        out = os.path.join(self.tmp.name, "gb.json")
        rows, _ = self.measure("--quick", "--benchmark_min_time=0.002",
                               "--sizes=64,64KiB", "--benchmark_repetitions=3",
                               f"--benchmark_out={out}")
        with open(out) as f:
            runs = json.load(f)["benchmarks"]
        csv_rows = {(r["benchmark"], int(r["repetition"])): r for r in rows}
        seen = 0
        for b in runs:
            if b["run_type"] != "iteration":
                continue
            r = csv_rows[(b["run_name"], b["repetition_index"])]
            ns = UNIT_NS[b["time_unit"]]
            self.assertAlmostEqual(b["real_time"] * ns, float(r["real_time_per_item_ns"]),
                                   delta=1e-9 * b["real_time"] * ns)
            self.assertAlmostEqual(b["cpu_time"] * ns, float(r["cpu_time_per_item_ns"]),
                                   delta=1e-9 * b["cpu_time"] * ns)
            self.assertEqual(b["iterations"], int(r["batches"]) * int(r["items"]))
            seen += 1
        self.assertEqual(seen, len(rows))
        medians = [b for b in runs if b.get("aggregate_name") == "median"]
        self.assertTrue(medians)
        for b in medians:
            reps = [float(r["real_time_per_item_ns"]) for r in rows
                    if r["benchmark"] == b["run_name"]]
            ns = UNIT_NS[b["time_unit"]]
            self.assertAlmostEqual(b["real_time"] * ns, statistics.median(reps),
                                   delta=1e-9 * b["real_time"] * ns)


class Schema(unittest.TestCase):
    def test_c_and_python_agree(self):
        got = json.loads(run("--schema").stdout)
        self.assertEqual(got["schema_version"], schema.SCHEMA_VERSION)
        self.assertEqual(tuple(got["columns"]), schema.COLUMN_NAMES)
        self.assertEqual(tuple(got["strategies"]), schema.STRATEGY_NAMES)

    def test_file_header_is_the_schema(self):
        with tempfile.TemporaryDirectory() as d:
            run("--quick", "--sizes=64", "--strategies=copy",
                "--benchmark_min_time=0.001", f"--csv-dir={d}", "--run-id=h")
            path = os.path.join(d, "h_glibc.csv")
            with open(path) as f:
                header = next(line for line in f if not line.startswith("#"))
            self.assertEqual(tuple(header.strip().split(",")), schema.COLUMN_NAMES)
            self.assertEqual(meta_of(path)["schema_version"],
                             str(schema.SCHEMA_VERSION))
            self.assertTrue(all(r["run_id"] == "h" for r in rows_of(path)))


if __name__ == "__main__":
    BINARY = sys.argv.pop(1)
    unittest.main()
