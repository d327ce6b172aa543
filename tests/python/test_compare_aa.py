#!/usr/bin/python3
"""The false-alarm rate and the power of compare.py, on recorded samples.

tests/fixtures/compare/aa_samples.csv holds real samples of one build run
twice (an A/A pair, 12 processes per side, every process one sample of each
of the 56 cases of `slicebench-retention --quick`; record_aa.py there
writes it). Each simulated comparison draws n samples per side for every
case, without replacement, from the 24 samples of that case, as
independent processes would give them, and judges all 56 rows as one
comparison (compare.judge_times: Holm over the rows). The exit status of an
A/A comparison must be 1 (some row "slower") in at most 5 % of the runs;
a synthetic 10 % slowdown of one strategy at one size must be flagged.

    /usr/bin/python3 tests/python/test_compare_aa.py
    /usr/bin/python3 tests/python/test_compare_aa.py --power N
        (not a test: for each of the 56 cases in turn, how often a 10 %
        slowdown of it is caught with N samples per side, over 40 runs)
"""

import csv
import os
import random
import sys
import unittest

import testenv  # first: REPO, scripts/ on sys.path, no bytecode

REPO = testenv.REPO

from slicebench import compare  # noqa: E402

SAMPLES = os.path.join(REPO, "tests", "fixtures", "compare",
                       "aa_samples.csv")
SIMULATIONS = 1000
# A quiet case (median absolute deviation about 1 % of its time, the
# quietest of the --quick rows; the median row's is 2-3 %): the one whose
# slowdown must be caught with 5 samples per side. With 10 per side, 34 of
# the 56 rows catch it in at least 90 % of runs (see --power).
SLOWED = "copy/N:4096/k:16/M:1024/elem:1/growth:go/alloc:glibc"


def load_samples(path=SAMPLES):
    """{case: [(real, CPU time per item, ns), ...]} over both recorded
    sides, one pair per process."""
    cases = {}
    with open(path, newline="") as f:
        for row in csv.DictReader(f):
            cases.setdefault(row["case"], []).append(
                (float(row["real_time_per_item_ns"]),
                 float(row["cpu_time_per_item_ns"])))
    return cases


def simulate(cases, n, runs, seed, slowed=None, factor=1.10):
    """(share of runs with exit status 1 from rows other than slowed,
    share of runs in which slowed was "slower")."""
    rng = random.Random(seed)
    labels = sorted(cases)
    false_alarms = caught = 0
    for _ in range(runs):
        pairs, cpu = [], {}
        for label in labels:
            pool = list(cases[label])
            rng.shuffle(pool)
            base, new = pool[:n], pool[n:2 * n]
            if label == slowed:
                new = [(r * factor, c * factor) for r, c in new]
            pairs.append(([r for r, _ in base], [r for r, _ in new]))
            cpu[label] = ([c for _, c in base], [c for _, c in new])
        stats = compare.judge_times(pairs)
        verdicts = dict(zip(labels, (s.verdict for s in stats)))
        if slowed is not None:
            # compare() also asks CPU time to agree with real time.
            real = stats[labels.index(slowed)]
            (cpu_stats,) = compare.judge_times([cpu[slowed]], figure="cpu")
            if not compare.clocks_agree(real, cpu_stats, compare.Options()):
                verdicts[slowed] = compare.NO_CHANGE
        caught += verdicts.get(slowed) == compare.SLOWER
        false_alarms += any(v == compare.SLOWER for k, v in verdicts.items()
                            if k != slowed)
    return false_alarms / runs, caught / runs


class TestAASimulation(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.cases = load_samples()

    def test_fixture(self):
        self.assertEqual(len(self.cases), 56)
        self.assertTrue(all(len(v) == 24 for v in self.cases.values()))
        self.assertTrue(all(r > 0 and c > 0 for v in self.cases.values()
                            for r, c in v))
        self.assertIn(SLOWED, self.cases)

    def test_aa_exit_status_rate_at_most_5_percent(self):
        for n in (5, 10):
            with self.subTest(n=n):
                rate, _ = simulate(self.cases, n, SIMULATIONS, seed=n)
                print(f"\nA/A, {n} vs {n} samples, {len(self.cases)} rows: "
                      f"exit status 1 in {rate:.1%} of {SIMULATIONS} "
                      "simulated comparisons", file=sys.stderr)
                self.assertLessEqual(rate, 0.05)

    def test_ten_percent_slowdown_is_flagged(self):
        for n, least in ((5, 0.5), (10, 0.9)):
            with self.subTest(n=n):
                rate, power = simulate(self.cases, n, 200, seed=100 + n,
                                       slowed=SLOWED)
                print(f"\n+10 % on {SLOWED}, {n} vs {n}: flagged in "
                      f"{power:.0%} of 200, other rows in {rate:.1%}",
                      file=sys.stderr)
                self.assertGreaterEqual(power, least)
                self.assertLessEqual(rate, 0.05)


def two_level(rng, n, share_low=0.5):
    """n times of a case whose processes land on one of two levels (50 and
    80 ns, 1 % noise within a level), as a Go case's cycles do."""
    return [(50.0 if rng.random() < share_low else 80.0) * (1 + rng.gauss(0, 0.01))
            for _ in range(n)]


class TestTwoLevels(unittest.TestCase):
    """Rows whose repetitions fall on two levels. The robust t-test's MAD
    measures the spread within a level, so a side with four of five on
    the lower level against one with four on the upper looked like a
    50 % shift: every row two-level, half and half, an A/A comparison of
    56 rows exited 1 in 60 % of the runs at 5 per side and 65 % at 10. Judged by the level counts (compare_stats.level_split), the
    rate is what remains when a side's repetitions all land on one level,
    which no test can tell from a shift."""

    def aa_rate(self, n, runs, seed, share_low=0.5):
        rng = random.Random(seed)
        exits = 0
        for _ in range(runs):
            pairs = [(two_level(rng, n, share_low), two_level(rng, n, share_low))
                     for _ in range(56)]
            exits += any(ts.verdict == compare.SLOWER
                         for ts in compare.judge_times(pairs))
        return exits / runs

    def test_aa_two_levels(self):
        for n, most in ((10, 0.05), (5, 0.10)):
            with self.subTest(n=n):
                rate = self.aa_rate(n, 200, seed=n)
                print(f"\nA/A, two levels half and half in every row, {n} vs {n}: "
                      f"exit status 1 in {rate:.1%} of 200", file=sys.stderr)
                self.assertLessEqual(rate, most)

    def test_a_clean_shift_is_still_flagged(self):
        """A 10 % slowdown of every process (5 per side), and of every one
        with one slow process on each side (10 per side: with 5, the U test
        cannot see past the slow one, before as now)."""
        rng = random.Random(3)
        for n, slow in ((5, 0), (10, 1)):
            caught = 0
            for _ in range(100):
                pairs = [([100 * (1 + rng.gauss(0, .01)) for _ in range(n)],
                          [100 * (1 + rng.gauss(0, .01)) for _ in range(n)])
                         for _ in range(55)]
                base = ([100 * (1 + rng.gauss(0, .01)) for _ in range(n - slow)]
                        + [160.0] * slow)
                new = ([110 * (1 + rng.gauss(0, .01)) for _ in range(n - slow)]
                       + [170.0] * slow)
                caught += compare.judge_times(pairs + [(base, new)])[-1].verdict \
                    == compare.SLOWER
            with self.subTest(n=n):
                self.assertGreaterEqual(caught, 90)

    def test_level_split_reads_the_counts(self):
        from slicebench import compare_stats as st
        low, high = [50.0, 50.5, 49.5, 50.2], [80.0, 80.4, 79.6]
        # 4 low 1 high against 1 low 4 high: Fisher's p of (4, 1; 1, 4)
        p = st.level_split(low + high[:1], low[:1] + high + [80.2])
        self.assertAlmostEqual(p, 0.20634920634920634)
        self.assertIsNone(st.level_split(low, high))          # a clean shift
        self.assertIsNone(st.level_split(low + [80.0], low))  # one slow process
        self.assertIsNone(st.level_split([50, 51, 52, 53], [54, 55, 56, 57]))


def power_table(n, runs=40):
    """Print, per case, the share of runs that catch its +10 %."""
    cases = load_samples()
    shares = sorted((simulate(cases, n, runs, seed=7, slowed=label)[1], label)
                    for label in sorted(cases))
    for share, label in shares:
        print(f"{share:5.0%}  {label}")
    values = [s for s, _ in shares]
    print(f"{n} vs {n}: median {values[len(values) // 2]:.0%}; "
          f"{sum(v >= 0.9 for v in values)} of {len(values)} cases caught "
          "in at least 90 % of runs")


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--power":
        power_table(int(sys.argv[2]))
    else:
        unittest.main()
