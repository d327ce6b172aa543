#!/usr/bin/python3
"""slicebench.aa and scripts/aa-sweeps, on copies of the committed
reference run: identical runs give no alarm, and a slowdown put into one
row is flagged there and nowhere else."""

import os
import shutil
import subprocess
import sys
import tempfile
import unittest

import testenv  # first: REPO, scripts/ on sys.path, no bytecode

REPO = testenv.REPO
SCRIPTS = testenv.SCRIPTS

from slicebench import aa  # noqa: E402
from slicebench.results import ResultsError  # noqa: E402

REFERENCE = testenv.reference_csv()
ROW = "copy/N:4096/k:16/M:8168/elem:1/growth:go/alloc:glibc"


class AA(unittest.TestCase):

    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.stems = []
        for i in range(10):
            stem = os.path.join(self.tmp.name, f"run{i}")
            shutil.copy(REFERENCE, stem + "_glibc.csv")
            self.stems.append(stem)
        self.runs = [aa.Run(s) for s in self.stems]

    def tearDown(self):
        self.tmp.cleanup()

    def test_identical_runs_raise_no_alarm(self):
        for _, _, cmp in aa.pairs(self.runs[:3]):
            self.assertEqual(cmp.exit_status, 0)
            self.assertFalse([r for r in cmp.rows if r.flagged])
        for cmp in aa.resample(self.runs, 2, seed=1):
            self.assertEqual(cmp.exit_status, 0)

    def test_a_slowdown_is_flagged_in_its_row_only(self):
        verdicts, others = aa.slowdown(self.runs[:3], 100.0, ROW)
        self.assertEqual(verdicts, [(ROW, "slower")] * 2)
        self.assertEqual(others, 0)
        verdicts, _ = aa.slowdown(self.runs[:2], 1.0, ROW)
        self.assertEqual(verdicts, [(ROW, "no change")])

    def test_schema_1_runs(self):
        # schema 1 has no collector columns: a case label without one
        base = os.path.join(REPO, "tests", "fixtures", "compare", "base.csv")
        stems = []
        for i in range(2):
            stems.append(os.path.join(self.tmp.name, f"v1run{i}"))
            shutil.copy(base, stems[-1] + "_glibc.csv")
        runs = [aa.Run(s) for s in stems]
        row = "copy/N:65536/k:16/M:64/elem:1/growth:go/alloc:glibc"
        verdicts, others = aa.slowdown(runs, 100.0, row)
        self.assertEqual(len(verdicts), 1)
        self.assertEqual(verdicts[0][0], row)

    def test_cli(self):
        def run(*args):
            return subprocess.run([os.path.join(SCRIPTS, "aa-sweeps"), *args],
                                  capture_output=True, text=True, timeout=300)
        p = run("--slowdown", "100", "--row", ROW, *self.stems[:3])
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertIn("pairs: exit 1 in 0 of 2", p.stdout)
        self.assertIn(f"+100 % on {ROW}: flagged in 2 of 2 pairs", p.stdout)
        p = run(os.path.join(self.tmp.name, "nothing"), self.stems[0])
        self.assertEqual(p.returncode, 2)
        self.assertEqual(len(p.stderr.strip().splitlines()), 1, p.stderr)
        self.assertNotIn("Traceback", p.stderr)
        # refused before any pair runs: no pair line (they ran first)
        for bad in ("-200", "nan", "inf"):
            with self.subTest(slowdown=bad):
                p = run("--slowdown", bad, "--row", ROW, *self.stems[:3])
                self.assertEqual((p.returncode, p.stdout), (2, ""))
                self.assertIn("a finite percent above -100", p.stderr)

    def test_too_few_runs_to_resample(self):
        with self.assertRaises(ResultsError):
            aa.resample(self.runs[:4], 1, seed=1)


if __name__ == "__main__":
    unittest.main()
