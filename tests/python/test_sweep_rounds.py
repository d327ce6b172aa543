#!/usr/bin/python3
"""scripts/sweep's rounds merged into one run (slicebench.sweep_rounds).

The rounds are cut out of the committed reference run (schema 2): two
rounds of one repetition each, each with its own run id and order seed, as
scripts/sweep writes them into results/<run id>.rounds/.
"""

import os
import subprocess
import sys
import tempfile
import unittest

import testenv  # first: REPO, scripts/ on sys.path, no bytecode

REPO = testenv.REPO
SCRIPTS = testenv.SCRIPTS

from slicebench import results, schema, sweep_rounds  # noqa: E402
from slicebench.commits_git import CommitsError  # noqa: E402

REFERENCE = testenv.reference_csv()


def write_round(path, r, strategies=("receive-only", "retain")):
    """Round r (from 1): repetition 0 of some reference cases, its run id
    <stem>.r<r>, its own order seed, repetitions=1."""
    with open(REFERENCE, encoding="utf-8") as f:
        lines = f.read().splitlines()
    meta = [ln for ln in lines if ln.startswith("#")]
    body = [ln for ln in lines if not ln.startswith("#")]
    cols = body[0].split(",")
    out = []
    for ln in meta:
        key = ln[2:].split("=", 1)[0]
        value = {"run_id": f"stem.r{r}", "order_seed": str(1000 + r),
                 "repetitions": "1"}.get(key)
        out.append(ln if value is None else f"# {key}={value}")
    out.append(body[0])
    for ln in body[1:]:
        cells = ln.split(",")
        row = dict(zip(cols, cells))
        if row["strategy"] in strategies and row["repetition"] == str(r - 1):
            row["repetition"] = "0"
            row["run_id"] = f"stem.r{r}"
            out.append(",".join(row[c] for c in cols))
    with open(path, "w", encoding="utf-8") as f:
        f.write("\n".join(out) + "\n")
    return path


class SweepRounds(unittest.TestCase):

    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.rounds = [write_round(os.path.join(self.tmp.name, f"r{r}.csv"), r)
                       for r in (1, 2)]
        self.out = os.path.join(self.tmp.name, "merged.csv")

    def tearDown(self):
        self.tmp.cleanup()

    def test_one_run_of_all_rounds(self):
        n = sweep_rounds.merge(self.rounds, "sweep1", self.out)
        merged = results.load(self.out)
        one, two = (results.load(p) for p in self.rounds)
        self.assertEqual(n, len(one.rows) + len(two.rows))
        self.assertEqual(merged.meta["run_id"], "sweep1")
        self.assertEqual(merged.meta["rounds"], "2")
        self.assertEqual(merged.meta["repetitions"], "2")
        self.assertEqual(merged.meta["order_seed"], "1001,1002")
        # Every row of round r is repetition r of run sweep1, its columns
        # unchanged (what the reader derives from a whole file aside).
        self.assertEqual({r["run_id"] for r in merged.rows}, {"sweep1"})

        def written(row):
            return {c: row[c] for c in schema.COLUMN_NAMES}

        for r, source in enumerate((one, two)):
            got = [written(row) for row in merged.rows
                   if row["repetition"] == r]
            want = [written(dict(row, run_id="sweep1", repetition=r))
                    for row in source.rows]
            self.assertEqual(got, want)
        # Each case has one sample per round, each its own measurement.
        per_case = {}
        for row in merged.repetitions():
            per_case.setdefault(row["benchmark"], set()).add(row["repetition"])
        self.assertTrue(per_case)
        self.assertEqual({frozenset(v) for v in per_case.values()},
                         {frozenset({0, 1})})

    def test_never_overwrites(self):
        with open(self.out, "w") as f:
            f.write("earlier results\n")
        with self.assertRaises(CommitsError):
            sweep_rounds.merge(self.rounds, "sweep1", self.out)
        with open(self.out) as f:
            self.assertEqual(f.read(), "earlier results\n")

    def test_unusable_round_leaves_nothing(self):
        bad = os.path.join(self.tmp.name, "bad.csv")
        with open(bad, "w") as f:
            f.write("not a results file\n")
        with self.assertRaises(CommitsError):
            sweep_rounds.merge([self.rounds[0], bad], "sweep1", self.out)
        self.assertFalse(os.path.exists(self.out))

    def test_failed_merge_removes_its_file(self):
        # Round 2 reads well on its own but does not fit: it says it took 1
        # repetition and has a row of repetition 3. The merge has written
        # round 1 by then; the half-written file must go.
        with open(self.rounds[1], encoding="utf-8") as f:
            text = f.read()
        head, _, body = text.partition("run_id,")
        lines = ("run_id," + body).splitlines()
        cols = lines[0].split(",")
        cells = lines[1].split(",")
        cells[cols.index("repetition")] = "3"
        with open(self.rounds[1], "w", encoding="utf-8") as f:
            f.write(head + "\n".join([lines[0], ",".join(cells)] + lines[2:])
                    + "\n")
        results.load(self.rounds[1])          # usable alone
        with self.assertRaises(CommitsError) as e:
            sweep_rounds.merge(self.rounds, "sweep1", self.out)
        self.assertIn("repetition 3", str(e.exception))
        self.assertFalse(os.path.exists(self.out))

    def test_cli(self):
        cmd = [sys.executable, "-m", "slicebench.sweep_rounds",
               "--run-id", "sweep1", "--out", self.out]
        env = dict(os.environ, PYTHONPATH=SCRIPTS)
        p = subprocess.run(cmd + self.rounds, capture_output=True, text=True,
                           env=env, timeout=120)
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertIn("from 2 rounds", p.stdout)
        # Again: the file exists; one line on stderr, status 1, no traceback.
        p = subprocess.run(cmd + self.rounds, capture_output=True, text=True,
                           env=env, timeout=120)
        self.assertEqual(p.returncode, 1)
        self.assertEqual(len(p.stderr.strip().splitlines()), 1, p.stderr)
        self.assertNotIn("Traceback", p.stderr)



class SweepFlags(unittest.TestCase):
    """A flag the binaries refuse, or a filter that selects no case, stops
    scripts/sweep before its first round: one line on stderr, status 2,
    and no rounds folder left in results/ (it made one, ran round 1 into
    it and exited 1 with two lines)."""

    def test_bad_flags_write_nothing(self):
        if not os.access(os.path.join(REPO, "build", "benchmarks", "slicebench-retention"),
                         os.X_OK):
            self.skipTest("no build/ (the sweep would install and build first)")
        results_dir = os.path.join(REPO, "results")
        for flags, says in ((["--bogus"], "--bogus"), (["--quick", "--sizes=0"], "'0'"),
                            (["--benchmark_filter=zzz"], "no case matches")):
            with self.subTest(flags=flags):
                before = sorted(os.listdir(results_dir))
                p = subprocess.run([os.path.join(SCRIPTS, "sweep"), *flags],
                                   capture_output=True, text=True, timeout=300)
                self.assertEqual(p.returncode, 2, p.stderr)
                self.assertEqual(len(p.stderr.splitlines()), 1, p.stderr)
                self.assertIn(says, p.stderr)
                self.assertEqual(sorted(os.listdir(results_dir)), before)

if __name__ == "__main__":
    unittest.main()
