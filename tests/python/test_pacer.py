#!/usr/bin/python3
"""Tests of slicebench.pacer (Go's pacer from gcpacertrace) without running
Go: where marks end and what sets the marks' utilization, read from
gcpacertrace lines of Go 1.19, and their summary.

Run from anywhere:  /usr/bin/python3 tests/python/test_pacer.py [-v]
"""

import unittest

import testenv  # noqa: F401  first: scripts/ on sys.path, no bytecode

from slicebench import pacer  # noqa: E402

# Lines of a Go 1.19 process (GODEBUG=gcpacertrace=1, GOGC=400, append at
# 32 KiB, k = N/2): a mark's start, then three marks' ends: one by its goal,
# one past it (a large allocation), one by its goal again.
TRACE = """\
pacer: assist ratio=+8.893741e-001 (scan 0 MB in 15->16 MB) workers=0++2.500000e-001
pacer: 33% CPU (25 exp.) for 92648+29552+231280 B work (353544 B exp.) in 16108071 B -> 16707376 B (\u2206goal -69840, cons/mark +1.222812e-001)
gc 7 @0.009s 7%: 0.061+0.52+0.13 ms clock, 15->15->4 MB, 16 MB goal, 1 P
pacer: 27% CPU (25 exp.) for 92648+29520+231280 B work (353480 B exp.) in 25298317 B -> 33730352 B (\u2206goal 7436224, cons/mark +6.860167e-001)
pacer: 31% CPU (25 exp.) for 92648+29520+231280 B work (353448 B exp.) in 38279941 B -> 46116656 B (\u2206goal -534464, cons/mark +7.894777e+000)
"""


class Fractions(unittest.TestCase):
    def test_marks_that_ended_by_their_goal(self):
        got = pacer.fractions(pacer.cycles(TRACE))
        # (end - trigger) / (goal - trigger), goal = end - delta
        want = [(16707376 - 16108071) / (16777216 - 16108071),
                (46116656 - 38279941) / (46651120 - 38279941)]
        self.assertEqual(len(got), 2)
        for g, w in zip(got, want):
            self.assertAlmostEqual(g, w)
        self.assertAlmostEqual(got[0], 0.8956, places=4)

    def test_no_marks(self):
        self.assertEqual(pacer.cycles("gc 1 @0.000s 14%: (forced)\n"), [])
        self.assertEqual(pacer.describe([]), "no cycle")

    def test_describe(self):
        text = pacer.describe([i / 100 for i in range(101)])
        self.assertEqual(text, "101 cycles; percentiles 10/25/50/75/90: 0.100, "
                         "0.250, 0.500, 0.750, 0.900; mean 0.500")
        self.assertEqual(pacer.describe([30, 40], "{:d}"), "2 cycles; percentiles "
                         "10/25/50/75/90: 30, 30, 30, 30, 30; mean 35.000")


# A process's gctrace and gcpacertrace: a forced cycle, a mark of the runs
# before the timed one, the timed run's debug.FreeOSMemory, then its marks
# (copy at 32 KiB, k = 16, M = 1819, GOGC 400): short roots, long roots,
# the worker's, and one past its goal.
def end_line(heap, stacks, trig, end, goal):
    return (f"pacer: 60% CPU (25 exp.) for {heap}+{stacks}+231280 B work "
            f"(340800 B exp.) in {trig} B -> {end} B (\u2206goal {end - goal}, "
            f"cons/mark +1.0e+000)\n")


W_SHORT = 90976 + 18312 + 231280                     # 340568
SHORT_END = 12658842 + round(231280 / W_SHORT * 4120000)
LONG_END = 12658842 + round((W_SHORT - 24 * 1819) / W_SHORT * 4120000)
TIMED = ("gc 1 @0.001s 1%: 0.01+0.1+0 ms clock, 0->0->0 MB, 4 MB goal, 1 P (forced)\n"
         + end_line(90976, 29520, 12000000, 12000000 + 3600000, 16000000)
         + "gc 9 @0.02s 2%: 0.01+0.1+0 ms clock, 0->0->0 MB, 16 MB goal, 1 P (forced)\n"
         + end_line(90976, 18312, 12658842, SHORT_END, 12658842 + 4120000)
         + end_line(90976, 29520, 12658842, LONG_END, 12658842 + 4120000)
         + end_line(90976, 18312, 12658842, 12658842 + 800000, 12658842 + 4120000)
         + end_line(90976, 18312, 12658842, 17000000, 16000000))


class MarkCases(unittest.TestCase):
    def test_timed_part(self):
        t = pacer.timed(TIMED)
        self.assertTrue(t.startswith("\npacer:"))
        self.assertEqual(t.count("pacer:"), 4)
        self.assertEqual(pacer.timed("no forced cycle"), "no forced cycle")

    def test_cases(self):
        got = pacer.mark_cases(pacer.timed(TIMED), 1819, 32768)
        self.assertEqual([c for c, _ in got], ["short", "long", "other"])
        self.assertAlmostEqual(got[0][1], 231280 / W_SHORT, places=3)
        self.assertAlmostEqual(got[2][1], 800000 / 4120000)
        # the whole trace: the earlier run's mark too (3.6 of 4 MB: other)
        self.assertEqual(len(pacer.mark_cases(TIMED, 1819, 32768)), 4)

    def test_headers_of_two_parts(self):
        # M 8168: 196032 B of headers, the last part 64960 B
        w = 244992 + 18312 + 231280
        at = (w - 64960) / w
        case, f = pacer.mark_case((244992, 18312, 231280), 0, round(at * 4e6),
                                  4000000, 8168, 4096)
        self.assertEqual(case, "alike")
        self.assertEqual(pacer.mark_case((244992, 18312, 231280), 0,
                                         round(0.47 * 4e6), 4000000, 8168, 4096)[0],
                         "other")

    def test_tolerance_takes_the_allocation(self):
        # 256 KiB allocations over a 4 MiB runway: 1/16 more room
        w = W_SHORT
        f = 231280 / w - 0.07
        self.assertEqual(pacer.mark_case((90976, 18312, 231280), 0, round(f * 4194304),
                                         4194304, 1819, 262144)[0], "short")
        self.assertEqual(pacer.mark_case((90976, 18312, 231280), 0, round(f * 4194304),
                                         4194304, 1819, 4096)[0], "other")

    def test_describe_and_vectors(self):
        found = [("short", 0.68)] * 6 + [("long", 0.87)] * 5 + [("other", 0.2)]
        self.assertEqual(pacer.describe_cases(found),
                         "12 cycles: short 6, long 5, alike 0, other 1; other 8.3 %, "
                         "long among short and long 45.5 %")
        self.assertEqual(pacer.describe_cases([]), "no cycle")
        self.assertEqual(pacer.vectors({1819: found, 5450: [("short", 0.55)] * 4}),
                         "items,case,fraction,cycles\n1819,short,0.6800,6\n"
                         "1819,long,0.8700,5")


class Utilization(unittest.TestCase):
    def test_cycles(self):
        got = pacer.cycles(TRACE)
        self.assertEqual([c[0] for c in got], [33, 27, 31])
        self.assertEqual(got[0], (33, 16108071, 16707376, 16777216))

    def test_marks(self):
        got = pacer.marks(TRACE)
        # the middle of Go's truncated percent; no pause: uncorrected
        self.assertEqual(got[0], (33.5, 92648 + 29552 + 231280, 16108071, 16707376))
        self.assertEqual([m[0] for m in got], [33.5, 27.5, 31.5])
        self.assertEqual(pacer.marks(TRACE, 0.004)[1:], got[1:])   # no gctrace line

    def test_marks_untraced(self):
        # the first mark's gctrace line: a 0.061 ms pause (the trace's
        # print in it) and 0.52 ms of mark; untraced, a 0.004 ms pause:
        # the assists' 8.5 points of the P over 0.581 ms become theirs
        # over 0.524 ms
        got = pacer.marks(TRACE, 0.004)
        self.assertAlmostEqual(got[0][0], 25 + 8.5 * 0.581 / 0.524)
        self.assertEqual(got[0][1:], (92648 + 29552 + 231280, 16108071, 16707376))
        self.assertEqual(len(got), 3)

    def test_untraced_pause(self):
        text = ("gc 1 @0.000s 6%: 0.016+0.093+0.001 ms clock, 0->0->0 MB, 1 P (forced)\n"
                "gc 2 @0.002s 10%: 0.004+0.072+0.015 ms clock, 15->15->15 MB, 1 P\n"
                "gc 3 @0.003s 9%: 0.006+0.093+0.015 ms clock, 61->63->63 MB, 1 P\n"
                "gc 4 @0.004s 9%: 0.005+1.1+0.015 ms clock, 61->63->63 MB, 1 P\n")
        self.assertEqual(pacer.untraced_pause(text), 0.005)     # forced left out
        self.assertIsNone(pacer.untraced_pause(text.splitlines()[0]))

    def test_faulted_shares(self):
        # each mark's allocation above the highest earlier mark end: all of
        # the first; half of the second (10 -> 20 above 15); none of the
        # third (5 -> 12, under 20); none of one that allocated nothing
        got = pacer.faulted_shares([(50, 1, 0, 15), (50, 1, 10, 20), (50, 1, 5, 12),
                                    (50, 1, 7, 7)])
        self.assertEqual(got, [1.0, 0.5, 0.0, None])

    def test_cost_ratio(self):
        # u = 0.25 + 1 / (1 + r x): u 44.5 % at x = 2
        self.assertAlmostEqual(pacer.cost_ratio(44.5, 1000, 2000),
                               (1 / 0.195 - 1) / 2)
        # and back: the r read off gives the utilization again
        r = pacer.cost_ratio(29.5, 340000, 3400000)
        self.assertAlmostEqual(0.25 + 1 / (1 + r * 10), 0.295)
        self.assertIsNone(pacer.cost_ratio(25, 1000, 2000))   # no assist time

    def test_cost_ratios(self):
        # fresh (all above), half (neither), reused (none above)
        found = pacer.cost_ratios([(30, 100, 0, 1000), (40, 100, 500, 1500),
                                   (70, 100, 200, 700)])
        self.assertEqual(len(found["fresh"]), 1)
        self.assertEqual(len(found["reused"]), 1)
        self.assertAlmostEqual(found["fresh"][0], pacer.cost_ratio(30, 100, 1000))
        self.assertAlmostEqual(found["reused"][0], pacer.cost_ratio(70, 100, 500))
        self.assertEqual(found["mixed"], [(0.5, pacer.cost_ratio(40, 100, 1000))])

    def test_describe_mixed(self):
        # a bin's median beside the two rows blended at its middle share
        # and either row by the share over 1/2
        mixed = [(0.2, 1.0), (0.25, 3.0), (0.6, 5.0)]
        line = pacer.describe_mixed(mixed, [0.2, 0.3, 0.4], [2.0])
        self.assertIn("0.12-0.30: 2.00 (n=2), blended 0.66, by 1/2 0.30", line)
        self.assertIn("0.30-0.50: none, blended 0.98, by 1/2 0.30", line)
        self.assertIn("0.50-0.70: 5.00 (n=1), blended 1.32, by 1/2 2.00", line)
        self.assertIn("0.70-0.88: none, blended 1.64, by 1/2 2.00", line)

    def test_first_held_round(self):
        # 13 runtime.GC calls, or 11 (no third heldBytes round): the first
        # round ends at the 6th either way
        calls = [[(0.5, 0.0, 1 << 20, i + 1, 1000, False, 38912)] for i in range(13)]
        self.assertEqual(pacer.first_held_round(calls), calls[5])
        self.assertEqual(pacer.first_held_round(calls[:11]), calls[5])
        self.assertEqual(pacer.first_held_round(calls[:10]), [])

    def test_unwritten_points(self):
        # x = 2 and 0.5 are read; x = 0.25 (near the ceiling), no
        # allocation, no assist time and a mark ended in runtime.GC are not
        mib = 1 << 20
        got = pacer.unwritten_points(
            [(0.445, 0.0, 15 * mib, 2000, 1000, False, 38912),
             (0.60, 0.0, 30 * mib, 500, 1000, False, 38912),
             (1.10, 0.0, 15 * mib, 250, 1000, False, 38912),
             (0.90, 0.0, 15 * mib, 0, 1000, False, 38912),
             (0.25, 0.0, 15 * mib, 4000, 1000, False, 38912),
             (0.40, 0.0, 15 * mib, 4000, 1000, True, 38912)], 256 << 10)
        self.assertEqual(len(got), 2)
        self.assertEqual(got[0][:2], (1 / 256, 15.0))
        self.assertEqual(got[1][:2], (1 / 256, 30.0))
        self.assertAlmostEqual(got[0][2], pacer.cost_ratio(44.5, 1000, 2000))
        self.assertAlmostEqual(got[1][2], pacer.cost_ratio(60, 1000, 500))

    def test_unwritten_fit(self):
        # r = 2 v^0.4 H^-0.3 exactly, then residuals of 0.5 and 2
        pts = [(v, hm, 2 * v ** 0.4 * hm ** -0.3)
               for v in (1 / 256, 1 / 32, 1 / 4) for hm in (4.0, 16.0, 64.0)]
        c, p, h, resid = pacer.unwritten_fit(pts)
        self.assertAlmostEqual(c, 2.0)
        self.assertAlmostEqual(p, 0.4)
        self.assertAlmostEqual(h, -0.3)
        self.assertEqual(len(resid), 9)
        for e in resid:
            self.assertAlmostEqual(e, 1.0)
        noisy = pts + [(1 / 8, 16.0, 0.5 * 2 * (1 / 8) ** 0.4 * 16 ** -0.3),
                       (1 / 8, 16.0, 2 * 2 * (1 / 8) ** 0.4 * 16 ** -0.3)]
        c, p, h, resid = pacer.unwritten_fit(noisy)
        self.assertAlmostEqual(c, 2.0)               # the two cancel in ln
        self.assertAlmostEqual(resid[0], 0.5)
        self.assertAlmostEqual(resid[-1], 2.0)
        # one heap, or one size, whatever the noise: no fit
        import random
        rng = random.Random(7)
        for _ in range(50):
            one_n = [(1 / 256, rng.uniform(4, 64), rng.uniform(0.1, 0.3))
                     for _ in range(rng.randint(3, 60))]
            one_h = [(rng.choice((1 / 256, 1 / 32, 1 / 4)), 15.25, rng.uniform(0.1, 3))
                     for _ in range(rng.randint(3, 60))]
            self.assertIsNone(pacer.unwritten_fit(one_n))
            self.assertIsNone(pacer.unwritten_fit(one_h))
        # v and H moving together: no fit either
        self.assertIsNone(pacer.unwritten_fit([(v, 4 * v, 1.0) for v in (1, 2, 3, 4)]))
        self.assertIsNone(pacer.unwritten_fit([]))

    def test_waited_figures(self):
        calls = [[(0.4, 0.0, 1, 3000, 1000, True, 38912), (0.9, 0.0, 1, 3000, 1000, False, 38912)],
                 [(0.25, 0.7, 1, 400, 1000, True, 38912), (0.5, 0.0, 1, 0, 1000, True, 38912)]]
        got = pacer.waited_figures(calls)
        self.assertEqual(len(got), 2)
        self.assertAlmostEqual(got[0], 0.4 / 0.6)
        self.assertAlmostEqual(got[1], 0.95 / 0.75)

    def test_solve(self):
        x = pacer.solve([[2, 1, 0], [1, 3, 1], [0, 1, 4]], [3, 5, 5])
        for got, want in zip(x, [1, 1, 1]):
            self.assertAlmostEqual(got, want)
        self.assertIsNone(pacer.solve([[1, 2], [2, 4]], [1, 2]))


if __name__ == "__main__":
    unittest.main()
