#!/usr/bin/python3
"""Tests of scripts/compare.py and the slicebench.compare* modules.

Run from anywhere:

    /usr/bin/python3 tests/python/test_compare.py

Fixtures are in tests/fixtures/compare/ (rewritten by make_fixtures.py
there); synthetic runs are written to a temporary folder with fixed seeds.
"""

import contextlib
import io
import json
import math
import os
import random
import re
import subprocess
import sys
import tempfile
import unittest

import testenv  # first: REPO, scripts/ on sys.path, no bytecode

REPO = testenv.REPO
SCRIPTS = testenv.SCRIPTS
FIXTURES = os.path.join(REPO, "tests", "fixtures", "compare")
BAD = os.path.join(FIXTURES, "bad")
CLI = os.path.join(SCRIPTS, "compare.py")
sys.path.insert(0, FIXTURES)

import make_fixtures as mk  # noqa: E402
from slicebench import compare, compare_format, compare_stats  # noqa: E402
from slicebench import schema  # noqa: E402

MIB = 1 << 20
GO_LINE = re.compile(r"^Benchmark\S+\s+\d+\s+[\d.]+ ns/op")


def fixture(name):
    return os.path.join(FIXTURES, name)


def run_cli(*args, cwd="/"):
    """Run compare.py as a user would; returns (status, stdout, stderr)."""
    p = subprocess.run([sys.executable, CLI] + list(args), cwd=cwd,
                       capture_output=True, text=True, timeout=60)
    return p.returncode, p.stdout, p.stderr


def run_main(*args):
    """Run compare.py's main() in this process (faster than a subprocess)."""
    import importlib.util
    spec = importlib.util.spec_from_file_location("compare_cli", CLI)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            status = mod.main(list(args))
        except SystemExit as e:       # its errors exit through cli.fail
            status = e.code
    return status, out.getvalue(), err.getvalue()


class TempDirCase(unittest.TestCase):
    def setUp(self):
        self._tmp = tempfile.TemporaryDirectory()
        self.tmp = self._tmp.name

    def tearDown(self):
        self._tmp.cleanup()

    def path(self, name):
        return os.path.join(self.tmp, name)

    def synthetic(self, name, seed, factor, reps, noise, held=4 * MIB,
                  strategies=("retain", "copy", "append")):
        """A CSV of a few cases, times x factor, lognormal noise."""
        rng = random.Random(seed)
        cases = [mk.case(s, mk.noisy(rng, 100.0 * (i + 1) * factor, reps,
                                     noise), held, held + 8192.0)
                 for i, s in enumerate(strategies)]
        path = self.path(name)
        mk.write_csv(path, cases)
        return path


class TestStats(unittest.TestCase):
    def test_min_p(self):
        self.assertAlmostEqual(compare_stats.min_two_sided_p(3, 3), 0.1)
        self.assertAlmostEqual(compare_stats.min_two_sided_p(4, 4), 2 / 70)
        self.assertEqual(compare_stats.min_two_sided_p(1, 1), 1.0)

    def test_critical_ranks_match_tables(self):
        # k - 1 is the tabled two-sided 5% critical value of U.
        table = {4: 0, 5: 2, 6: 5, 8: 13, 10: 23, 20: 127}
        for n, u in table.items():
            self.assertEqual(compare_stats._critical_rank(n, n, 0.95), u + 1,
                             n)
        self.assertEqual(compare_stats._critical_rank(3, 3, 0.95), 0)

    def test_median_interval(self):
        mi = compare_stats.median_interval
        # the binomial tables' ranks at 95 %: n = 6: 1st-6th; 9: 2nd-8th;
        # 15: 4th-12th; 20: 6th-15th; 30: 10th-21st; 5: none
        for n, (lo, hi) in ((6, (1, 6)), (9, (2, 8)), (15, (4, 12)),
                            (20, (6, 15)), (30, (10, 21))):
            self.assertEqual(mi(list(range(n, 0, -1)), 0.95), (lo, hi), n)
        self.assertIsNone(mi([1, 2, 3, 4, 5], 0.95))
        self.assertIsNone(mi([], 0.95))
        # n = 11: P(B <= 2) = 0.033, between the tails of 95 % and 90 %
        self.assertEqual(mi(range(1, 12), 0.95), (2, 10))
        self.assertEqual(mi(range(1, 12), 0.90), (3, 9))

    def test_two_groups(self):
        groups = compare_stats.two_groups
        self.assertIsNone(groups([]))
        self.assertIsNone(groups([1.0]))
        self.assertIsNone(groups([2.0, 2.0, 2.0]))
        self.assertEqual(groups([1.0, 3.0]), (1.0, 1.0))
        cut, sep = groups([1.0, 1.0, 1.0, 5.0])
        self.assertEqual((cut, sep), (1.0, 1.0))
        # two levels of 15 (0-0.028 and 0.33-0.358) and one value far
        # above (0.72): the widest gap sets that one apart, the two groups
        # that differ most are the levels
        low = [i * 0.002 for i in range(15)]
        logs = low + [0.33 + x for x in low] + [0.72]
        cut, sep = groups(logs)
        self.assertEqual(cut, low[-1])
        self.assertGreater(sep, compare_stats.GROUP_SEPARATION)
        gap = compare_stats.level_shares([math.exp(x) for x in logs[:16]],
                                         [math.exp(x) for x in logs[16:]])
        self.assertGreater(gap.log_cut, 0.358)
        # one spread with one peak, wider than any bounds, is not two groups
        # that stand apart: its separation stays under the threshold
        rng = random.Random(5)
        normal = [rng.gauss(0.0, 0.5) for _ in range(200)]
        uniform = [i / 199 for i in range(200)]
        for spread in (normal, uniform):
            self.assertLess(groups(spread)[1], compare_stats.GROUP_SEPARATION)

    def test_group_shares(self):
        from scipy import stats
        base = [math.exp(x) for x in [0.0, 0.02, 0.05, 0.8, 0.9]]
        new = [math.exp(x) for x in [0.01, 0.85, 0.9, 0.95, 1.0]]
        lv = compare_stats.group_shares(base, new)
        self.assertEqual((lv.base_high, lv.new_high), (2, 4))
        self.assertAlmostEqual(lv.p, stats.fisher_exact([[3, 2], [1, 4]])[1])
        # a side with one value has no share to hold
        self.assertIsNone(compare_stats.group_shares([1.0], [1.0, 5.0]))
        # a clean shift, every value of each side on one side of the cut
        self.assertIsNone(compare_stats.group_shares([1.0, 1.1], [5.0, 5.5]))
        # one spread, the two sides drawn from it in other proportions: no
        # levels to hold shares on
        rng = random.Random(7)
        one = [math.exp(rng.gauss(0.0, 0.3)) for _ in range(90)]
        shifted = [x * 1.1 for x in one]
        self.assertIsNone(compare_stats.group_shares(one, shifted))

    def test_level_shares(self):
        ls = compare_stats.level_shares
        # Go's processes on the upper level in 10 of 15, the model's in 1:
        # the medians on different levels, so level_split sees it too
        go = [10.0] * 5 + [20.0] * 10
        model = [10.0] * 14 + [20.0]
        lv = ls(go, model)
        self.assertEqual((lv.base_high, lv.new_high), (10, 1))
        self.assertAlmostEqual(math.exp(lv.log_cut), math.sqrt(200))
        self.assertAlmostEqual(lv.p, compare_stats.stats.fisher_exact([[5, 10], [14, 1]])[1])
        self.assertEqual(compare_stats.level_split(go, model), lv.p)
        # Go upper in 6 of 15: both medians on the lower level, which
        # level_split leaves alone and level_shares still counts
        go = [10.0] * 9 + [20.0] * 6
        lv = ls(go, model)
        self.assertEqual((lv.base_high, lv.new_high), (6, 1))
        self.assertIsNone(compare_stats.level_split(go, model))
        # a clean shift (neither side visits both) and no gap: none
        self.assertIsNone(ls([10.0] * 15, [20.0] * 15))
        self.assertIsNone(ls([10.0, 10.1, 10.2, 10.3], [10.05, 10.15, 10.25]))
        self.assertIsNone(ls([10.0], [20.0, 10.0]))

    def test_hodges_lehmann_exact_ratio(self):
        base = [10.0, 11.0, 12.0, 13.0, 14.0]
        new = [x * 1.2 for x in base]
        change, low, high = compare_stats.hodges_lehmann(base, new, 0.95)
        self.assertAlmostEqual(change, 20.0, places=9)
        self.assertLess(low, 20.0)
        self.assertGreater(high, 20.0)
        # Too few samples: an estimate, no interval.
        self.assertEqual(compare_stats.hodges_lehmann([1, 2, 3], [2, 3, 4],
                                                      0.95)[1:], (None, None))

    def test_geometric_mean(self):
        self.assertAlmostEqual(compare_stats.geometric_mean([2.0, 0.5]), 1.0)
        self.assertAlmostEqual(compare_stats.geometric_mean([2.0, 8.0]), 4.0)
        self.assertIsNone(compare_stats.geometric_mean([]))


class TestVerdicts(TempDirCase):
    def test_ten_percent_slowdown_is_flagged(self):
        base = self.synthetic("base.csv", 1, 1.0, 10, 0.02)
        new = self.synthetic("new.csv", 2, 1.10, 10, 0.02)
        cmp = compare.compare_files(base, new)
        self.assertEqual(len(cmp.rows), 3)
        for row in cmp.rows:
            ts = row.times["real"]
            self.assertEqual(row.time_verdict, "slower", row.label)
            self.assertLess(ts.p_value, 0.05)
            self.assertGreater(ts.change_pct, 5.0)
            self.assertLess(ts.ci_low_pct, ts.hl_change_pct)
            self.assertGreater(ts.ci_low_pct, 0.0)
        self.assertEqual(cmp.exit_status, 1)
        self.assertEqual(cmp.warnings, [])
        self.assertEqual(run_main(base, new, "--color=never")[0], 1)

    def test_same_data_is_no_change(self):
        base = self.synthetic("base.csv", 1, 1.0, 10, 0.02)
        cmp = compare.compare_files(base, base)
        self.assertTrue(all(r.time_verdict == "no change" for r in cmp.rows))
        self.assertTrue(all(m.verdict == "same" for r in cmp.rows
                            for m in r.memory.values()))
        self.assertEqual(cmp.exit_status, 0)
        status, out, _ = run_main(base, base)
        self.assertEqual(status, 0)
        self.assertIn("no regression", out)

    def test_small_change_is_not_flagged(self):
        # Significant but below --min-effect: no change; flagged below it.
        base = self.synthetic("base.csv", 1, 1.0, 10, 0.005)
        new = self.synthetic("new.csv", 2, 1.03, 10, 0.005)
        cmp = compare.compare_files(base, new)
        self.assertTrue(all(r.times["real"].p_value < 0.05 for r in cmp.rows))
        self.assertTrue(all(r.time_verdict == "no change" for r in cmp.rows))
        cmp = compare.compare_files(base, new,
                                    compare.Options(min_effect=2.0))
        self.assertTrue(all(r.time_verdict == "slower" for r in cmp.rows))

    def test_faster_is_not_a_regression(self):
        base = self.synthetic("base.csv", 1, 1.0, 10, 0.02)
        new = self.synthetic("new.csv", 2, 0.8, 10, 0.02)
        cmp = compare.compare_files(base, new)
        self.assertTrue(all(r.time_verdict == "faster" for r in cmp.rows))
        self.assertEqual(cmp.exit_status, 0)

    def test_memory_regression_with_noisy_times(self):
        base = self.synthetic("base.csv", 1, 1.0, 3, 0.30)
        new = self.synthetic("new.csv", 2, 1.0, 3, 0.30, held=8 * MIB)
        cmp = compare.compare_files(base, new)
        for row in cmp.rows:
            self.assertEqual(row.memory["held_bytes"].verdict, "more")
            self.assertAlmostEqual(row.memory["held_bytes"].change_pct, 100.0)
            # 30 % noise, 3 per side: never a time verdict; "inconclusive"
            # where the medians moved by 5 % or more
            self.assertIn(row.time_verdict, ("no change", "inconclusive"))
            self.assertTrue(row.regressed)
        status, out, err = run_main(base, new, "--color=never")
        self.assertEqual((status, err), (1, ""))
        self.assertIn("more", out)

    def test_a_case_lost_in_new_is_a_regression(self):
        """A case BASE measured that NEW left out, or skipped in every
        repetition, passed the gate (status 0, "no regression")."""
        cases = [mk.case("copy", [10.0 + i for i in range(5)], 0.0, source=s)
                 for s in (64, 128, 256)]
        mk.write_csv(self.path("a.csv"), cases)
        mk.write_csv(self.path("gone.csv"), cases[:2])
        cmp = compare.compare_files(self.path("a.csv"), self.path("gone.csv"))
        self.assertEqual(len(cmp.lost), 1)
        self.assertEqual(cmp.exit_status, 1)
        status, out, err = run_main(self.path("a.csv"), self.path("gone.csv"))
        self.assertEqual((status, err), (1, ""))
        self.assertIn("REGRESSION: 1 case measured in BASE did not run in NEW", out)
        # a case only NEW has is no loss
        cmp = compare.compare_files(self.path("gone.csv"), self.path("a.csv"))
        self.assertEqual((cmp.lost, cmp.exit_status), ([], 0))

    def test_a_change_the_tests_cannot_confirm_is_inconclusive(self):
        """+30 % in every repetition, 15 % spread, 5 per side: the rank test
        sees it (U p 0.03), the robust t-test does not confirm it (p 0.08).
        It read "no change"; now "inconclusive", counted in the result
        line, status 0."""
        times = [82.0, 91.0, 100.0, 109.0, 118.0]
        mk.write_csv(self.path("a.csv"), [mk.case("copy", times, 0.0)])
        mk.write_csv(self.path("b.csv"), [mk.case("copy", [t * 1.3 for t in times], 0.0)])
        cmp = compare.compare_files(self.path("a.csv"), self.path("b.csv"))
        ts = cmp.rows[0].times["real"]
        self.assertLess(ts.u_p_value, 0.05)
        self.assertGreater(ts.p_adjusted, 0.05)
        self.assertEqual(cmp.rows[0].time_verdict, "inconclusive")
        self.assertEqual(cmp.exit_status, 0)
        self.assertIn("; 1 time and 0 memory verdicts inconclusive",
                      compare_format.result_line(cmp))

    def test_memory_floor_and_threshold(self):
        one = [mk.case("retain", [10.0] * 5, 1000.0, 8192.0)]
        two = [mk.case("retain", [10.0] * 5, 2000.0, 8192.0 * 1.005)]
        mk.write_csv(self.path("a.csv"), one)
        mk.write_csv(self.path("b.csv"), two)
        row = compare.compare_files(self.path("a.csv"),
                                    self.path("b.csv")).rows[0]
        # +100% but only 1000 bytes: below the one-page floor.
        self.assertEqual(row.memory["held_bytes"].verdict, "same")
        # +0.5%: below the 1% threshold.
        self.assertEqual(row.memory["peak_rss_delta_bytes"].verdict, "same")
        row = compare.compare_files(
            self.path("a.csv"), self.path("b.csv"),
            compare.Options(mem_floor=0)).rows[0]
        self.assertEqual(row.memory["held_bytes"].verdict, "more")

    def test_memory_change_within_its_own_spread_is_noise(self):
        # Go's peak RSS moves from process to process: a median shift of
        # +10 % inside a spread of 20 % is not a regression; an exact
        # figure (no spread) that moves by 10 % is
        opt = compare.Options()
        mib = float(1 << 20)
        noisy_b = [m * mib for m in (40, 42, 44, 46, 48)]
        noisy_n = [m * mib for m in (44, 46, 48.4, 50, 52)]
        ms = compare._memory_stats("peak_rss_delta_bytes", noisy_b, noisy_n, opt)
        self.assertEqual(ms.verdict, "same")
        ms = compare._memory_stats("peak_rss_delta_bytes", [44 * mib] * 5,
                                   [48.4 * mib] * 5, opt)
        self.assertEqual(ms.verdict, "more")
        far = [m * mib for m in (60, 62, 64, 66, 68)]
        ms = compare._memory_stats("peak_rss_delta_bytes", noisy_b, far, opt)
        self.assertEqual(ms.verdict, "more")

    def test_varying_memory_is_held_to_the_comparison_error(self):
        # 40 rows whose peak RSS varies from process to process (10 %
        # lognormal, as Go's does with its collector): an A/A comparison
        # must exit 1 in at most alpha of runs, as for times, not in most
        # (judged by medians and spreads alone, about 1 row in 40 moves past
        # both spreads); a real change of one row is still caught.
        def side(name, seed, factor=1.0, reps=5):
            rng = random.Random(seed)
            cases = [mk.case("copy", mk.noisy(rng, 100.0, reps, 0.02),
                             4 * MIB,
                             rss=[r * (factor if i == 0 else 1.0) for r in
                                  mk.noisy(rng, 40 * MIB, reps, 0.10)],
                             source=4096 * (i + 1))
                     for i in range(40)]
            path = self.path(name)
            mk.write_csv(path, cases)
            return path

        exits = 0
        for t in range(40):
            cmp = compare.compare_files(side("a.csv", 2 * t),
                                        side("b.csv", 2 * t + 1))
            exits += cmp.exit_status
        self.assertLessEqual(exits, 2)
        # Doubled: with 5 processes per side the ranks cannot tell (their
        # smallest p, 0.008, does not survive 80 tests), and the verdict
        # says so; with 10 they do.
        cmp = compare.compare_files(side("a.csv", 1), side("b.csv", 2, 2.0))
        self.assertEqual(cmp.rows[0].memory["peak_rss_delta_bytes"].verdict,
                         "inconclusive")
        self.assertEqual(cmp.exit_status, 0)
        self.assertRegex(compare_format.result_line(cmp),
                         r"; 0 time and [1-9]\d* memory verdicts inconclusive")
        # ... and it says so, rather than passing in silence.
        said = [w for w in cmp.warnings if w.startswith("memory: 40 figures")]
        self.assertEqual(len(said), 1, cmp.warnings)
        self.assertIn("about 7 per side are needed", said[0])
        cmp = compare.compare_files(side("a.csv", 1, reps=10),
                                    side("b.csv", 2, 2.0, reps=10))
        self.assertEqual(cmp.rows[0].memory["peak_rss_delta_bytes"].verdict,
                         "more")
        self.assertEqual(cmp.exit_status, 1)
        self.assertFalse([w for w in cmp.warnings if w.startswith("memory")])

    def test_too_few_repetitions_warns_in_every_format(self):
        base = self.synthetic("base.csv", 1, 1.0, 3, 0.02)
        new = self.synthetic("new.csv", 2, 2.0, 3, 0.02)
        cmp = compare.compare_files(base, new)
        # One warning for all rows, first, saying how many are needed.
        self.assertEqual(len(cmp.warnings), 1)
        for row in cmp.rows:
            # twice as slow, but 3 vs 3 cannot show it: inconclusive
            self.assertEqual(row.time_verdict, "inconclusive")
            self.assertAlmostEqual(row.times["real"].min_p, 0.1)
        want = ("no time verdict is possible: too few repetitions per side "
                "(as few as 3 vs 3); at alpha 0.05 a verdict needs at least "
                "4 per side")
        self.assertIn(want, cmp.warnings[0])
        for fmt in ("console", "markdown", "json"):
            status, out, _ = run_main(base, new, "--format", fmt)
            self.assertIn(want, out, fmt)
        for side in ("base", "new"):
            out = run_main(base, new, "--format", "benchstat", "--side",
                           side)[1]
            self.assertIn("# warning: " + want, out)
        # 4 vs 4 can reach p < 0.05: no warning.
        base = self.synthetic("base4.csv", 1, 1.0, 4, 0.02)
        # (one file on both sides: only the warning that says so)
        self.assertEqual(compare.compare_files(base, base).warnings,
                         ["BASE and NEW are the same file(s): every row is compared "
                          "with itself, which tells nothing"])
        # Some rows too few: the count is said.
        few = [mk.case("retain", [10.0, 11.0, 12.0], 0.0)] + [
            mk.case("copy", [10.0 + i for i in range(5)], 0.0, source=s)
            for s in (64, 128, 256, 512)]
        mk.write_csv(self.path("few.csv"), few)
        cmp = compare.compare_files(self.path("few.csv"), self.path("few.csv"))
        self.assertTrue(any("too few repetitions (3 vs 3)" in w
                            for w in cmp.warnings), cmp.warnings)
        self.assertEqual(compare_stats.samples_needed(0.05), 4)
        self.assertEqual(compare_stats.samples_needed(0.01), 5)

    def test_geometric_mean_hand_computed(self):
        base = [mk.case("retain", [100.0] * 4, 0.0),
                mk.case("retain", [100.0] * 4, 0.0, source=4096),
                mk.case("copy", [40.0] * 4, 0.0)]
        new = [mk.case("retain", [200.0] * 4, 0.0),
               mk.case("retain", [50.0] * 4, 0.0, source=4096),
               mk.case("copy", [60.0] * 4, 0.0)]
        mk.write_csv(self.path("a.csv"), base)
        mk.write_csv(self.path("b.csv"), new)
        cmp = compare.compare_files(self.path("a.csv"), self.path("b.csv"))
        # ratios 2, 0.5, 1.5: overall (2 x 0.5 x 1.5)^(1/3) = 1.5^(1/3).
        self.assertAlmostEqual(cmp.geomean, 1.5 ** (1 / 3), places=12)
        self.assertAlmostEqual(cmp.geomean_by_group["retain"], 1.0,
                               places=12)
        self.assertAlmostEqual(cmp.geomean_by_group["copy"], 1.5, places=12)
        doc = json.loads(run_main(self.path("a.csv"), self.path("b.csv"),
                                  "--format", "json")[1])
        self.assertAlmostEqual(doc["geomean"]["overall"], 1.5 ** (1 / 3))
        self.assertAlmostEqual(doc["geomean"]["by_group"]["copy"], 1.5)

    def test_cpu_time_option(self):
        base = [mk.case("retain", mk.noisy(random.Random(1), 100, 10, 0.01),
                        0.0, cpu_times=[100.0] * 10)]
        new = [mk.case("retain", mk.noisy(random.Random(2), 100, 10, 0.01),
                       0.0, cpu_times=[150.0] * 10)]
        mk.write_csv(self.path("a.csv"), base)
        mk.write_csv(self.path("b.csv"), new)
        a, b = self.path("a.csv"), self.path("b.csv")
        self.assertEqual(compare.compare_files(a, b).rows[0].time_verdict,
                         "no change")
        row = compare.compare_files(a, b, compare.Options(time="cpu")).rows[0]
        self.assertEqual(row.time_verdict, "slower")
        self.assertEqual(run_main(a, b, "--time", "cpu")[0], 1)

    def test_clocks_must_agree(self):
        # Real time x3, CPU time unchanged: the process waited (a loaded
        # machine), the code did not change: no verdict (inconclusive), a
        # warning.
        rng = random.Random(5)
        cpu = mk.noisy(rng, 100.0, 10, 0.01)
        base = [mk.case("retain", cpu, 0.0, cpu_times=cpu)]
        new = [mk.case("retain", [t * 3 for t in cpu], 0.0,
                       cpu_times=mk.noisy(rng, 100.0, 10, 0.01))]
        mk.write_csv(self.path("a.csv"), base)
        mk.write_csv(self.path("b.csv"), new)
        cmp = compare.compare_files(self.path("a.csv"), self.path("b.csv"))
        self.assertEqual(cmp.rows[0].time_verdict, "inconclusive")
        self.assertEqual(cmp.exit_status, 0)
        self.assertIn("the clocks disagree", cmp.warnings[0])
        # Real x4.5, CPU x1.1 (seen in a real A/A run on a loaded machine):
        # CPU moved, but far less than half as much: not flagged.
        new = [mk.case("retain", [t * 4.5 for t in cpu], 0.0,
                       cpu_times=[t * 1.1 for t in cpu])]
        mk.write_csv(self.path("b.csv"), new)
        cmp = compare.compare_files(self.path("a.csv"), self.path("b.csv"))
        self.assertEqual(cmp.rows[0].time_verdict, "inconclusive")
        # Both clocks x1.2: slower.
        new = [mk.case("retain", [t * 1.2 for t in cpu], 0.0,
                       cpu_times=[t * 1.2 for t in cpu])]
        mk.write_csv(self.path("b.csv"), new)
        cmp = compare.compare_files(self.path("a.csv"), self.path("b.csv"))
        self.assertEqual(cmp.rows[0].time_verdict, "slower")

    def test_row_verdicts_helper(self):
        base = self.synthetic("base.csv", 1, 1.0, 10, 0.02)
        new = self.synthetic("new.csv", 2, 1.10, 10, 0.02)
        verdicts = compare.row_verdicts(base, new)
        self.assertEqual(len(verdicts), 3)
        self.assertEqual([v.time for v in verdicts], ["slower"] * 3)
        self.assertEqual(sum(v.flagged for v in verdicts) / len(verdicts),
                         1.0)
        self.assertTrue(all(v.regressed for v in verdicts))
        self.assertEqual(verdicts[0].memory["held_bytes"], "same")
        same = compare.row_verdicts(base, base, alpha=0.01)
        self.assertFalse(any(v.flagged for v in same))


class TestCaseKeys(TempDirCase):
    PLOT_GLIBC = os.path.join(REPO, "tests", "fixtures", "plot",
                              "20261126T230102Z_3f2a9c1_glibc.csv")

    def test_one_case_under_three_collectors_is_three_rows(self):
        base = testenv.with_collectors(self.PLOT_GLIBC, self.path("b.csv"),
                                       [(None, 1.0), (100, 2.0), (400, 3.0)])
        new = testenv.with_collectors(self.PLOT_GLIBC, self.path("n.csv"),
                                      [(None, 1.0), (100, 2.0), (400, 3.6)])
        cmp = compare.compare_files(base, new)
        copy = [r.label for r in cmp.rows
                if r.label.startswith("copy/N:4096/k:16/M:200/elem:1/growth:go")]
        self.assertEqual(copy, [
            "copy/N:4096/k:16/M:200/elem:1/growth:go/alloc:glibc",
            "copy/N:4096/k:16/M:200/elem:1/growth:go/gogc:100/alloc:glibc",
            "copy/N:4096/k:16/M:200/elem:1/growth:go/gogc:400/alloc:glibc"])
        for r in cmp.rows:
            ts = r.times["real"]
            self.assertAlmostEqual(ts.ratio, 1.2 if "gogc:400" in r.label
                                   else 1.0, places=9, msg=r.label)

    def test_go_at_gogc_off(self):
        # a Go run with GOGC=off: its rows' gogc is empty, labelled "off"
        from slicebench import gobench
        with open(os.path.join(REPO, "tests", "fixtures", "go",
                               "retention.txt")) as f:
            text = re.sub(r"(?m)^gogc: .*$", "gogc: off", f.read())
        _, csv_text = gobench.convert(text, "retention.txt", "R", REPO)
        path = self.path("R_go.csv")
        with open(path, "w") as f:
            f.write(csv_text)
        cmp = compare.compare_files(path, path)
        self.assertTrue(cmp.rows)
        for r in cmp.rows:
            self.assertTrue(r.label.endswith("/gogc:off/alloc:go"), r.label)
        status, out, _ = run_main("--format", "benchstat", path, path)
        self.assertEqual(status, 0)
        self.assertIn("/gogc=off/alloc=go-", out)
        self.assertNotIn("None", out)

    def test_rows_in_the_strategy_tables_order(self):
        # the file lists its rows reversed (a shuffled run's order)
        base = testenv.with_collectors(self.PLOT_GLIBC, self.path("b.csv"),
                                       [(None, 1.0)])
        cmp = compare.compare_files(base, base)
        keys = [(schema.STRATEGY_NAMES.index(r.label.split("/")[0]),
                 int(r.label.split("/")[1][2:])) for r in cmp.rows]
        self.assertEqual(keys, sorted(keys))
        self.assertEqual(list(cmp.geomean_by_group),
                         [s for s in schema.STRATEGY_NAMES
                          if s in cmp.geomean_by_group])


class TestFixtures(unittest.TestCase):
    def test_only_in_one_file_and_skipped_are_listed(self):
        cmp = compare.compare_files(fixture("base.csv"), fixture("new.csv"))
        self.assertEqual([r.group for r in cmp.rows],
                         ["receive-only", "retain", "copy"])
        self.assertEqual(len(cmp.only_in_base), 1)
        self.assertTrue(cmp.only_in_base[0].startswith("append-each/"))
        self.assertTrue(cmp.only_in_new[0].startswith("append-nil/"))
        self.assertEqual({(s.side, s.compared) for s in cmp.skipped},
                         {("base", False), ("new", False)})
        status, out, err = run_cli(fixture("base.csv"), fixture("new.csv"))
        self.assertEqual((status, err), (1, ""))
        self.assertIn("only in BASE: append-each/N:65536", out)
        self.assertIn("only in NEW: append-nil/N:65536", out)
        self.assertIn("skipped: BASE: exactcap/", out)
        self.assertIn("budget_bytes exceeded", out)

    def test_fixture_verdicts(self):
        v = {r.group: r for r in
             compare.compare_files(fixture("base.csv"),
                                   fixture("new.csv")).rows}
        self.assertEqual(v["retain"].time_verdict, "slower")
        self.assertEqual(v["copy"].memory["held_bytes"].verdict, "more")
        self.assertFalse(v["receive-only"].regressed)

    def test_gbench_json(self):
        cmp = compare.compare_files(fixture("gb_base.json"),
                                    fixture("gb_new.json"))
        self.assertEqual([r.label for r in cmp.rows],
                         ["BM_Retain/65536/16/repeats:5",
                          "BM_Copy/65536/16/repeats:5"])
        retain, copy = cmp.rows
        # The aggregates are not samples.
        self.assertEqual(retain.times["real"].n_base, 5)
        self.assertEqual(retain.time_verdict, "slower")
        self.assertEqual(copy.time_verdict, "no change")
        self.assertEqual(retain.memory["held_bytes"].verdict, "same")
        self.assertEqual(set(retain.memory), {"held_bytes"})
        self.assertEqual(run_cli(fixture("gb_base.json"),
                                 fixture("gb_new.json"))[0], 1)
        self.assertEqual(run_main(fixture("gb_base.json"),
                                  fixture("gb_base.json"))[0], 0)


class TestFormats(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.args = (fixture("base.csv"), fixture("new.csv"))

    def test_console(self):
        status, out, _ = run_main(*self.args, "--color=never")
        self.assertNotIn("\033[", out)
        self.assertRegex(out, r"(?m)^case\s+n\s+base\s+new\s+change")
        self.assertIn("geometric mean", out)
        self.assertIn("REGRESSION", out)
        colored = run_main(*self.args, "--color=always")[1]
        self.assertIn("\033[31mslower", colored)
        # auto: stdout here is not a terminal.
        self.assertNotIn("\033[", run_cli(*self.args)[1])

    def test_markdown(self):
        out = run_main(*self.args, "--format", "markdown")[1]
        self.assertRegex(out, r"(?m)^\| case \| n \| base \| new \|")
        self.assertRegex(out, r"(?m)^\|---\|")
        self.assertIn("**slower**", out)
        self.assertIn("**Only in BASE:**", out)

    def test_json(self):
        status, out, _ = run_main(*self.args, "--format", "json")
        doc = json.loads(out)
        self.assertEqual(status, 1)
        for key in ("format_version", "tool", "base", "new", "settings",
                    "rows", "only_in_base", "only_in_new", "skipped",
                    "geomean", "warnings", "summary", "exit_status"):
            self.assertIn(key, doc)
        self.assertEqual(doc["exit_status"], 1)
        row = doc["rows"][1]
        for key in ("case", "params", "group", "time_verdict", "times",
                    "memory", "regressed", "flagged", "warnings"):
            self.assertIn(key, row)
        for key in ("column", "n_base", "n_new", "base_median_ns",
                    "new_median_ns", "ratio", "change_pct", "p_value",
                    "p_adjusted", "u_p_value", "min_p", "hl_change_pct", "ci_low_pct", "ci_high_pct",
                    "verdict"):
            self.assertIn(key, row["times"]["real"])
        self.assertEqual(row["time_verdict"], "slower")
        self.assertEqual(set(row["params"]), set(schema.PARAMS))
        self.assertEqual(set(row["memory"]["held_bytes"]),
                         {"n_base", "n_new", "base", "new", "change_abs",
                          "change_pct", "varies", "p_value", "p_adjusted",
                          "u_p_value", "verdict"})
        self.assertEqual(doc["summary"]["slower"], 1)
        self.assertEqual(doc["summary"]["memory_more"], 1)
        self.assertEqual(doc["settings"]["ci_level"], 0.95)

    def test_benchstat(self):
        for args in (self.args, (fixture("gb_base.json"),
                                 fixture("gb_new.json"))):
            for side in ("base", "new"):
                out = run_main(*args, "--format", "benchstat", "--side",
                               side)[1]
                lines = out.splitlines()
                self.assertIn("goos: linux", lines)
                self.assertIn("pkg: slicebench", lines)
                self.assertTrue(any(l.startswith("goarch: ") for l in lines))
                bench = [l for l in lines if l.startswith("Benchmark")]
                # CSV: 4 cases that ran in each file; JSON: 2; 5 reps each.
                self.assertEqual(len(bench), 20 if args == self.args else 10)
                for line in bench:
                    self.assertRegex(line, GO_LINE)
                    name = line.split()[0]
                    self.assertRegex(name, r"^Benchmark[A-Z][\w./=+-]*-\d+$")
        out = run_main(*self.args, "--format", "benchstat",
                       "--side", "base")[1]
        self.assertIn("BenchmarkRetain/N=65536/k=16/M=64/elem=1/growth=go/"
                      "alloc=glibc-2\t64000\t", out)
        self.assertIn("held-B", out)

    def test_benchstat_numbers_keep_their_magnitude(self):
        """Go's format: about six significant digits, trailing zeros of a
        fraction dropped; a whole number's own zeros stay (110479.59 was
        printed as 11048, 100000.4 as 1)."""
        from slicebench.compare_benchstat import go_number
        for v, text in [(110479.59, "110480"), (100000.4, "100000"),
                        (10257600.33, "10257600"), (1234567.0, "1234567"),
                        (12.5, "12.5"), (3.0, "3"), (0.000123456, "0.000123456")]:
            with self.subTest(v=v):
                self.assertEqual(go_number(v), text)
                self.assertAlmostEqual(float(go_number(v)), v, delta=abs(v) * 1e-5)

    def test_benchstat_both_sides_without_side(self):
        status, out, err = run_cli(*self.args, "--format", "benchstat")
        self.assertEqual((status, err), (1, ""))
        lines = out.splitlines()
        i, j = lines.index("side: base"), lines.index("side: new")
        self.assertLess(i, j)
        self.assertEqual(sum(1 for l in lines[i:j]
                             if l.startswith("Benchmark")), 20)
        self.assertEqual(sum(1 for l in lines[j:]
                             if l.startswith("Benchmark")), 20)
        self.assertIn("benchstat -col side", out)
        status, _, err = run_cli(*self.args, "--side", "base")
        self.assertEqual(status, 2)
        self.assertIn("--side goes with --format benchstat", err)


class TestCLI(unittest.TestCase):
    def test_bad_input_with_stderr_full_is_2(self):
        """1 is the regression verdict: bad input must stay 2 even when
        stderr cannot take its line."""
        with open("/dev/full", "w") as full:
            p = subprocess.run([sys.executable, CLI, "/nonexistent.csv",
                                "/nonexistent.csv"], stdout=subprocess.PIPE,
                               stderr=full, timeout=60)
        self.assertEqual(p.returncode, 2)

    def test_executable_with_shebang(self):
        with open(CLI) as f:
            self.assertEqual(f.readline(), "#!/usr/bin/python3\n")
        self.assertTrue(os.access(CLI, os.X_OK))

    def test_help(self):
        status, out, _ = run_cli("--help")
        self.assertEqual(status, 0)
        for opt in ("--format", "--side", "--time", "--alpha", "--min-effect",
                    "--mem-threshold", "--mem-floor", "--color"):
            self.assertIn(opt, out)


if __name__ == "__main__":
    unittest.main()
