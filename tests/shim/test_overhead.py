#!/usr/bin/python3
"""slicebench-overhead's report: per item everywhere, and its ratio table
made of the same medians its JSON output has.

Usage: test_overhead.py PATH/TO/slicebench-overhead
"""
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import unittest

OVERHEAD = None
M = 16384          # the items of a batch at N = 64 (the budget's largest M)
ROW = re.compile(r"^copy\s+64\s+16\s+(\d+)\s+([\d.]+)ns\s+([\d.]+)ns\s+([\d.]+)\s")


class Report(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        with tempfile.TemporaryDirectory() as tmp:
            out = os.path.join(tmp, "out.json")
            p = subprocess.run(
                [OVERHEAD, "--benchmark_filter=(slicebench|hand)/copy/N:64/",
                 "--benchmark_min_time=0.01", "--benchmark_repetitions=3",
                 f"--benchmark_out={out}"],
                capture_output=True, text=True, timeout=120)
            if p.returncode != 0:
                raise AssertionError(f"overhead exited {p.returncode}: {p.stderr}")
            cls.console = p.stdout
            with open(out) as f:
                cls.runs = json.load(f)["benchmarks"]

    def reps(self, side):
        return [b for b in self.runs if b["run_type"] == "iteration"
                and b["name"].startswith(f"{side}/copy/N:64/")]

    def test_json_is_per_item(self):
        for side in ("slicebench", "hand"):
            reps = self.reps(side)
            self.assertEqual(len(reps), 3)
            for b in reps:
                # whole batches of M items, and a time of an item (a batch
                # of 16384 copies of 16 B takes far more than 10 us)
                self.assertEqual(b["iterations"] % M, 0)
                self.assertLess(b["real_time"], 10e3)
                self.assertAlmostEqual(b["items_per_second"] * b["real_time"] * 1e-9,
                                       1.0, delta=1e-6)

    def test_console_is_per_item(self):
        lines = [l for l in self.console.splitlines()       # the repetitions
                 if l.startswith("slicebench/copy/N:64/")
                 and l.split()[0].endswith("/real_time")]
        self.assertEqual(len(lines), 3)
        for line in lines:
            fields = line.split()
            self.assertEqual(fields[2], "ns", line)
            self.assertLess(float(fields[1]), 10e3, line)
            self.assertEqual(int(fields[5]) % M, 0, line)

    def test_ratio_table_holds_the_json_medians(self):
        rows = [ROW.match(l) for l in self.console.splitlines()]
        rows = [r for r in rows if r]
        self.assertEqual(len(rows), 1, self.console[-800:])
        items, sb, hand, ratio = rows[0].groups()
        self.assertEqual(int(items), M)
        want_sb = statistics.median(b["real_time"] for b in self.reps("slicebench"))
        want_hand = statistics.median(b["real_time"] for b in self.reps("hand"))
        self.assertAlmostEqual(float(sb), want_sb, delta=0.051 + want_sb * 1e-3)
        self.assertAlmostEqual(float(hand), want_hand, delta=0.051 + want_hand * 1e-3)
        self.assertAlmostEqual(float(ratio), want_sb / want_hand, delta=0.0006)


if __name__ == "__main__":
    if len(sys.argv) < 2:
        sys.exit("usage: test_overhead.py PATH/TO/slicebench-overhead")
    OVERHEAD = os.path.abspath(sys.argv.pop(1))
    unittest.main()
