#!/usr/bin/python3
"""Tests of slicebench.markcmp (scripts/go-record --model) and
slicebench.model_log: the model's --go-marks lines, case keys on both
sides, and the cycle-by-cycle agreement on hand-made mark starts, without
running either side; and model_log.run at Go's speed through the built
model binary (skipped without one).

Run from anywhere:  /usr/bin/python3 tests/python/test_markcmp.py [-v]
"""

import math
import os
import unittest

import testenv  # noqa: F401  first: scripts/ on sys.path, no bytecode

from slicebench import gcvsgo, go_each, markcmp, model_log  # noqa: E402

NAME = "append/gogc:400/N:262144/k:131072/M:228/elem:1/manual_time"
KEY = ("append", 262144, 131072, 1, 400)


class Parse(unittest.TestCase):
    def test_lines(self):
        text = ("slicebench-retention: a warning\n"
                f"go-marks {NAME}: 11.20/15.90 18.60/18.40\n"
                f"go-marks {NAME}:\n"
                "go-marks copy/gogc:100/N:4096/k:16/M:8168/elem:8/manual_time: 4.00/4.00\n")
        got = markcmp.parse(text)
        self.assertEqual(got[KEY], [[11.2, 18.6], []])
        self.assertEqual(got[("copy", 4096, 16, 8, 100)], [[4.0]])

    def test_refused(self):
        for line, why in ((f"go-marks {NAME}: 11.20/15.90 ...", "cut short after 1"),
                          (f"go-marks {NAME}: 11.20", "not heap/goal"),
                          ("go-marks append/N:4096/k:16/M:8/elem:1: 1/2", "without --gc=go")):
            with self.assertRaisesRegex(markcmp.MarkError, why):
                markcmp.parse(line + "\n")

    def test_keys(self):
        self.assertEqual(model_log.model_key(NAME), KEY)
        self.assertIsNone(model_log.model_key("append/N:4096/k:16/M:8/elem:1/manual_time"))
        self.assertEqual(model_log.go_key("BenchmarkRetention/strategy=append/N=262144/"
                                          "k=131072/M=228/elem=1", "400"), KEY)
        with self.assertRaises(model_log.LogError):
            model_log.go_key("BenchmarkRetention/append", 100)
        with self.assertRaisesRegex(model_log.LogError, "GOGC off: not a percent"):
            model_log.go_key("strategy=append/N=1/k=1/M=1/elem=1", "off")


class Agreement(unittest.TestCase):
    def test_pairs(self):
        # model processes [10, 20] and [10]; Go [10, 40, 80]: the pairs'
        # |ln| means are (0 + ln 2) / 2 and 0, the counts off by 1 and 2
        stats = markcmp.agreement({KEY: [[10, 20], [10]]}, {KEY: [[10, 40, 80]]})
        ln, count = stats[KEY]
        self.assertAlmostEqual(ln, (math.log(2) / 2 + 0) / 2)
        self.assertEqual(count, 1.5)
        text = markcmp.summary(stats)
        self.assertIn(f"mean |ln(model/Go)| of {ln:.3f}, the count of marks by 1.50, "
                      "over 1 cases", text)
        self.assertIn("  GOGC 400:", text)

    def test_no_marks_on_one_side(self):
        stats = markcmp.agreement({KEY: [[]]}, {KEY: [[5.0]], ("copy", 1, 1, 1, 100): [[1]]})
        self.assertEqual(list(stats), [KEY])             # cases on both sides
        self.assertEqual(stats[KEY], (None, 1))
        self.assertIn("of -, the count of marks by 1.00", markcmp.summary(stats))
        self.assertEqual(markcmp.summary({}), "cycles: no case with marks on both sides")
        self.assertEqual(model_log.missing({KEY: [[]]}, {KEY: [[5.0]], ("copy", 1, 1, 1, 100): [[1]]}), 1)
        self.assertTrue(markcmp.summary(stats, 1).endswith(
            "  (1 cases on one side only, left out)"))
        self.assertNotIn("one side only", markcmp.summary(stats, 0))
        # a heap of 0 has no ratio: left out, not an error
        self.assertEqual(markcmp.agreement({KEY: [[0.0]]}, {KEY: [[0.0, 2.0]]})[KEY], (None, 1))

    def test_describe(self):
        self.assertEqual(markcmp.describe(KEY, [[11.2, 18.6], []]),
                         "model append N=262144 k=131072 elem=1 GOGC 400: marks start "
                         "at (MiB) 11.2 18.6; none")


class RunAtGoSpeed(unittest.TestCase):
    """model_log.run with scales (go-record --model's default clock): each
    case alone, at its own scale, through the built model binary."""

    def test_each_case_alone_at_its_scale(self):
        binary = os.path.join(testenv.REPO, "build", "benchmarks", "slicebench-retention")
        if not os.access(binary, os.X_OK):
            self.skipTest("no built model binary")
        flags = gcvsgo.case_flags("4KiB", "16", "1", "retain,append-nil", "64MiB")
        (a, b) = gcvsgo.model_cases(binary, flags, "100")
        text = model_log.run(binary, flags, "100", 2, ["--go-marks"],
                             {(b, "100"): 1.7, (a, "100"): 2.5})
        names = [ln.split()[1] for ln in text.splitlines() if ln.startswith("go-marks ")]
        # two processes each, one case per run, in the scales' order
        self.assertEqual([n.split("/")[0] for n in names], ["append-nil"] * 2 + ["retain"] * 2)
        # the scale reaches the binary: one out of its range fails the run
        with self.assertRaises(go_each.GoEachError):
            model_log.run(binary, flags, "100", 1, ["--go-marks"], {(a, "100"): 1000.0})


if __name__ == "__main__":
    unittest.main()
