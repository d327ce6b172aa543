#!/usr/bin/python3
"""Tests of slicebench.goclock (Go's clock, the model's GS_GO_CLOCK_*
constants): the fit finds the figures of cases made from known ones, each
case weighs alike, and input it cannot use ends with one line and status 1
(status 2 for no file); and the constants in harness/gs.h are those the
fit gives on the committed cases, tests/gs/vectors/goclock.txt.

Run from anywhere:  /usr/bin/python3 tests/python/test_goclock.py [-v]
"""

import contextlib
import io
import os
import tempfile
import unittest

import testenv  # noqa: F401  first: scripts/ on sys.path, no bytecode

from slicebench import goclock  # noqa: E402

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
A, B, C = 150.0, 0.04, 1500.0     # ns per array, per byte, per fault


def line(strategy, n, allocs, nbytes, faults, ns=None):
    if ns is None:
        ns = A * allocs + B * nbytes + C * faults
    return (f"BenchmarkRetention/strategy={strategy}/N={n}/k=16/M=8/elem=1 \t"
            f"16\t{ns:.4f} ns/op\t{faults} faults/op\t{nbytes} B/op\t"
            f"{allocs} allocs/op\n")


CASES = [("copy", 4096, 1, 4112, 0.06), ("append", 32768, 1, 126879, 0.64),
         ("retain", 262144, 1, 262144, 64.0), ("copy", 65536, 3, 70000, 2.0),
         ("exactcap", 8192, 2, 9000, 0.5)]


def text(rows=CASES, extra=""):
    return "goos: linux\n" + "".join(line(*r) for r in rows) + extra + "PASS\n"


def run(argv):
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            rc = goclock.main(argv)
        except SystemExit as e:
            rc = e.code
    return rc, out.getvalue(), err.getvalue()


class Fit(unittest.TestCase):
    def test_exact_cases_give_their_figures(self):
        a, b, c, ratios = goclock.fit(goclock.cases([(text(), "t")]))
        self.assertAlmostEqual(a, A, places=4)
        self.assertAlmostEqual(b, B, places=8)
        self.assertAlmostEqual(c, C, places=4)
        self.assertEqual(len(ratios), len(CASES))
        for r in ratios:
            self.assertAlmostEqual(r, 1.0, places=9)

    def test_relative_error_each_case_alike(self):
        # one slow case 3x its figures: an absolute fit would follow the
        # largest times; this one moves the small cases' ratios little
        rows = CASES + [("retain", 524288, 1, 524288, 128.0)]
        t = text(CASES) + line("retain", 524288, 1, 524288, 128.0,
                               ns=3 * (A + B * 524288 + C * 128.0))
        got = goclock.cases([(t, "t")])
        self.assertEqual(len(got), len(rows))
        _, _, _, ratios = goclock.fit(got)
        self.assertLess(ratios[0], 1.0)     # the slow case, under its time
        self.assertGreater(ratios[-1], 1.0)
        self.assertLess(ratios[-1], 2.0)

    def test_cases_without_the_three_figures_are_left_out(self):
        t = text(extra="BenchmarkRetention/strategy=copy/N=4096/k=16/M=8/elem=1 "
                 "\t16\t100 ns/op\n")
        self.assertEqual(len(goclock.cases([(t, "t")])), len(CASES))

    def test_no_clock_from_nonsense(self):
        # time falling with the bytes: a negative cost per byte
        rows = [("copy", 4096, 1, 1000, 0.0, 900.0), ("copy", 8192, 1, 100000, 0.0, 150.0),
                ("copy", 16384, 2, 50000, 1.0, 2000.0), ("copy", 32768, 3, 10, 0.5, 1200.0)]
        t = "".join(line(*r[:5], ns=r[5]) for r in rows)
        with self.assertRaises(goclock.ClockError):
            goclock.fit(goclock.cases([(t, "t")]))
        t = text(extra=line("copy", 4096, 1, 4096, 0.1).replace("0.1 faults", "inf faults"))
        with self.assertRaises(goclock.ClockError):
            goclock.cases([(t, "t")])

    def test_too_few_cases(self):
        with self.assertRaises(goclock.ClockError):
            goclock.fit(goclock.cases([(text(CASES[:2]), "t")]))


class Cli(unittest.TestCase):
    def test_prints_the_constants(self):
        with tempfile.TemporaryDirectory() as d:
            p = os.path.join(d, "go.txt")
            with open(p, "w") as f:
                f.write(text())
            rc, out, err = run([p])
        self.assertEqual(rc, 0, err)
        self.assertIn("GS_GO_CLOCK_ALLOC_PS 150000, GS_GO_CLOCK_BYTE_PS 40, "
                      "GS_GO_CLOCK_FAULT_NS 1500", out)
        self.assertIn("5 cases", out)

    def test_scale(self):
        """--scale: Go's time over the model's clock (gs.h), the median of
        the cases."""
        a, b, c = goclock.committed(goclock.HEADER)
        rows = [(1, 4112, 0.06), (1, 126879, 0.64), (3, 70000, 2.0)]
        body = "".join(
            f"BenchmarkRetention/strategy=copy/N=4096/k=16/M=8/elem=1 \t16\t"
            f"{(a * x + b * y + c * z) * f:.6f} ns/op\t{z} faults/op\t{y} B/op\t"
            f"{x} allocs/op\n" for (x, y, z), f in zip(rows, (1.5, 2.0, 4.0)))
        with tempfile.TemporaryDirectory() as d:
            p = os.path.join(d, "go.txt")
            with open(p, "w") as f:
                f.write("goos: linux\n" + body + "PASS\n")
            rc, out, err = run(["--scale", p])
            self.assertEqual(rc, 0, err)
            self.assertTrue(out.startswith("Go ran x2 the model's clock"), out)
            self.assertIn("over 3 cases", out)
            rc, out, err = run(["--scale", "--lines", p])
            self.assertEqual(rc, 2)

    def test_bad_input_one_line(self):
        with tempfile.TemporaryDirectory() as d:
            missing = os.path.join(d, "none.txt")
            empty = os.path.join(d, "empty.txt")
            with open(empty, "w") as f:
                f.write("goos: linux\nPASS\n")
            for argv in ([missing], [empty]):
                rc, out, err = run(argv)
                self.assertEqual(rc, 1)
                self.assertEqual(out, "")
                self.assertEqual(len(err.strip().splitlines()), 1, err)
                self.assertTrue(err.startswith("goclock: "), err)
        rc, _, _ = run([])
        self.assertEqual(rc, 2)


class Scale(unittest.TestCase):
    """goclock.scale: how much slower Go ran than a clock, the median over
    the cases; goclock.committed reads gs.h's clock."""

    def test_median_of_the_cases(self):
        costs = (A, B, C)
        slow = [(x, y, z, (A * x + B * y + C * z) * f) for (_, _, x, y, z), f in
                zip(CASES, (2.0, 1.5, 2.5, 2.0, 1.0))]
        self.assertAlmostEqual(goclock.scale(slow, costs), 2.0)
        # one case alone is enough; a case with no work is left out
        self.assertAlmostEqual(goclock.scale(slow[:1] + [(0, 0, 0, 50.0)], costs), 2.0)
        with self.assertRaises(goclock.ClockError):
            goclock.scale([(0, 0, 0, 50.0)], costs)

    def test_committed_reads_gs_h(self):
        a, b, c = goclock.committed(os.path.join(REPO, "harness", "gs.h"))
        self.assertTrue(a > 0 and b > 0 and c > 0)
        with tempfile.TemporaryDirectory() as d:
            p = os.path.join(d, "gs.h")
            with open(p, "w") as f:
                f.write("#define GS_GO_CLOCK_ALLOC_PS UINT64_C(150000)\n"
                        "#define GS_GO_CLOCK_BYTE_PS UINT64_C(40)\n")
            with self.assertRaisesRegex(goclock.ClockError, "GS_GO_CLOCK_FAULT_NS"):
                goclock.committed(p)
            with open(p, "a") as f:
                f.write("#define GS_GO_CLOCK_FAULT_NS UINT64_C(1500)\n")
            self.assertEqual(goclock.committed(p), (150.0, 0.04, 1500.0))
            with self.assertRaises(goclock.ClockError):
                goclock.committed(os.path.join(d, "none.h"))


class Constants(unittest.TestCase):
    def test_gs_h_holds_the_committed_cases_fit(self):
        path = os.path.join(REPO, "tests", "gs", "vectors", "goclock.txt")
        with open(path) as f:
            a, b, c, ratios = goclock.fit(goclock.cases([(f.read(), path)]))
        got = goclock.committed(os.path.join(REPO, "harness", "gs.h"))
        self.assertEqual(got, (round(a * 1000) / 1000, round(b * 1000) / 1000,
                               float(round(c))))
        # a clock worth the name: within 0.7-1.4x of Go's time for most
        self.assertGreater(ratios[len(ratios) // 10], 0.7)
        self.assertLess(ratios[len(ratios) * 9 // 10], 1.4)


if __name__ == "__main__":
    unittest.main()
