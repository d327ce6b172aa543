#!/usr/bin/python3
"""Tests of scripts/compare-commits and slicebench.commits.

Run from anywhere:

    /usr/bin/python3 tests/python/test_compare_commits.py

The quick tests check the command line, the refusals before any build
(unknown revision, a revision without the suite, in throwaway repositories)
and the merge of rounds (fixtures in tests/fixtures/commits/). One slow test
clones this repository and runs a real A/A comparison of its HEAD (one
build, about a minute or less); skip it with SLICEBENCH_SKIP_SLOW=1. It
clones SLICEBENCH_COMPARE_REPO instead of this checkout when that is set.
"""

import csv
import glob
import io
import os
import re
import subprocess
import sys
import tempfile
import time
import unittest

REPO = os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__))))
SCRIPTS = os.path.join(REPO, "scripts")
CLI = os.path.join(SCRIPTS, "compare-commits")
FIXTURES = os.path.join(REPO, "tests", "fixtures", "commits")
ROUNDS = [os.path.join(FIXTURES, f"round{r}.csv") for r in (1, 2)]
sys.path.insert(0, SCRIPTS)

from slicebench import commits, results  # noqa: E402
from slicebench.commits import CommitsError  # noqa: E402

# Commits in throwaway repositories need an identity, whatever the host has.
GIT_ENV = dict(os.environ, GIT_AUTHOR_NAME="t", GIT_AUTHOR_EMAIL="t@t",
               GIT_COMMITTER_NAME="t", GIT_COMMITTER_EMAIL="t@t")


def run_cli(args, cwd):
    return subprocess.run([CLI, *args], cwd=cwd, capture_output=True,
                          text=True, env=GIT_ENV, timeout=60)


def git(cwd, *args):
    return subprocess.run(["git", "-C", cwd, *args], check=True,
                          capture_output=True, text=True,
                          env=GIT_ENV).stdout.strip()


def make_repo(root, files=None):
    """A repository with one commit holding files (path -> text)."""
    git(root, "init", "--quiet")
    for path, text in (files or {}).items():
        with open(os.path.join(root, path), "w") as f:
            f.write(text)
    git(root, "add", "-A")
    git(root, "commit", "--quiet", "--allow-empty", "-m", "one")
    return git(root, "rev-parse", "--short", "HEAD")


class OneLineError(unittest.TestCase):
    """Asserts for the contract: status 2, one line on stderr."""

    def assertFails(self, p, pattern):
        self.assertEqual(p.returncode, 2, p.stderr)
        self.assertEqual(p.stdout, "")
        lines = p.stderr.splitlines()
        self.assertEqual(len(lines), 1, p.stderr)
        self.assertTrue(lines[0].startswith("compare-commits: "), lines[0])
        self.assertRegex(lines[0], pattern)


class CommandLine(OneLineError):

    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.dir = self.tmp.name

    def tearDown(self):
        self.tmp.cleanup()

    def test_help(self):
        p = run_cli(["--help"], self.dir)
        self.assertEqual(p.returncode, 0)
        for word in ("--rounds", "--repetitions", "--allocator",
                     "--compare-args", "--keep-temp", "--out-dir",
                     "FILTER", "A/A", "Exit status"):
            self.assertIn(word, p.stdout)

    def test_bad_options(self):
        cases = [([], "required"),
                 (["A"], "required"),
                 (["A", "B", "C", "D"], "unrecognized"),
                 (["A", "B", "--rounds=0"], "--rounds"),
                 (["A", "B", "--repetitions=x"], "--repetitions"),
                 (["A", "B", "--allocator=tcmalloc"], "--allocator"),
                 (["A", "B", "--bogus"], "--bogus"),
                 (["A", "B", "--compare-args='"], "--compare-args")]
        for args, pattern in cases:
            with self.subTest(args=args):
                self.assertFails(run_cli(args, self.dir), pattern)

    def test_reserved_benchmark_flags(self):
        for flag in ("--csv-dir=x", "--run-id=x", "--no-csv",
                     "--benchmark_repetitions=3"):
            with self.subTest(flag=flag):
                p = run_cli(["A", "B", "--", flag], self.dir)
                self.assertFails(p, "set by compare-commits itself")
        p = run_cli(["A", "B", "x", "--", "--benchmark_filter=y"], self.dir)
        self.assertFails(p, "two benchmark filters")

    def test_not_a_repository(self):
        self.assertFails(run_cli(["HEAD", "HEAD"], self.dir),
                         "not in a git repository")


class Refusals(OneLineError):
    """What is refused before anything is checked out or built."""

    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.dir = self.tmp.name

    def tearDown(self):
        self.tmp.cleanup()

    def assertUntouched(self):
        # No worktree left registered, no results folder made.
        self.assertEqual(len(git(self.dir, "worktree", "list").splitlines()),
                         1)
        self.assertFalse(os.path.exists(os.path.join(self.dir, "results")))

    def test_unknown_revision(self):
        make_repo(self.dir)
        for args in (["nope", "HEAD"], ["HEAD", "nope"],
                     ["HEAD", "HEAD~5"]):
            with self.subTest(args=args):
                bad = args[0] if args[0] != "HEAD" else args[1]
                self.assertFails(run_cli(args, self.dir),
                                 f"^compare-commits: unknown revision "
                                 f"'{re.escape(bad)}'$")
        self.assertUntouched()

    def test_revision_without_the_suite(self):
        short = make_repo(self.dir)
        self.assertFails(run_cli(["HEAD", "HEAD"], self.dir),
                         f"HEAD \\({short}\\) does not have the slicebench "
                         "suite \\(no CMakeLists.txt\\)")
        self.assertUntouched()

    def test_revision_without_the_target(self):
        short = make_repo(self.dir, {"CMakeLists.txt": "project(other C)\n"})
        self.assertFails(run_cli(["HEAD", "HEAD", "--rounds=1"], self.dir),
                         f"HEAD \\({short}\\) does not have the slicebench "
                         "suite \\(no slicebench-retention target\\)")
        self.assertUntouched()

    def test_one_side_without_the_suite(self):
        # The suite is checked on both sides before the first build.
        make_repo(self.dir)
        with open(os.path.join(self.dir, "CMakeLists.txt"), "w") as f:
            f.write("add_executable(slicebench-retention x.c)\n")
        git(self.dir, "add", "-A")
        git(self.dir, "commit", "--quiet", "-m", "two")
        self.assertFails(run_cli(["HEAD", "HEAD~1"], self.dir),
                         r"HEAD~1 \(\w+\) does not have the slicebench suite")


def read_rows(path):
    with open(path, newline="") as f:
        lines = f.read().splitlines()
    meta = [ln for ln in lines if ln.startswith("#")]
    rows = list(csv.DictReader(io.StringIO(
        "\n".join(ln for ln in lines if not ln.startswith("#")))))
    return meta, rows


class Merge(unittest.TestCase):

    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.out = os.path.join(self.tmp.name, "merged.csv")

    def tearDown(self):
        self.tmp.cleanup()

    def merge(self, paths, repetitions=2):
        with open(self.out, "x", newline="") as f:
            return commits.merge_rounds(paths, repetitions, f)

    def test_merged_file(self):
        n = self.merge(ROUNDS)
        meta, rows = read_rows(self.out)
        meta1, rows1 = read_rows(ROUNDS[0])
        _, rows2 = read_rows(ROUNDS[1])
        self.assertEqual(meta, meta1)
        self.assertEqual(n, len(rows))
        self.assertTrue(all(r["aggregate"] == "" for r in rows))

        # Every repetition row of each round, in order, cells unchanged
        # except the repetition: round r, repetition i -> r * 2 + i.
        expected = []
        for r, source in enumerate((rows1, rows2)):
            for row in source:
                if row["aggregate"] == "":
                    row = dict(row)
                    row["repetition"] = str(r * 2 + int(row["repetition"]))
                    expected.append(row)
        self.assertEqual(rows, expected)

        reps = {}
        for row in rows:
            reps.setdefault(row["strategy"], []).append(
                int(row["repetition"]))
        self.assertEqual(reps, {"receive-only": [0, 1, 2, 3],
                                "retain": [0, 1, 2, 3], "copy": [2, 3]})
        skipped = [r for r in rows if r["status"] == "skipped"]
        self.assertEqual(skipped[0]["message"],
                         "needs 8 MiB, budget is 4 MiB")

    def test_valid_for_results_and_compare(self):
        self.merge(ROUNDS)
        res = results.load(self.out)
        self.assertEqual(len(res.repetitions()), 8)
        self.assertEqual(res.aggregate("median"), [])
        p = subprocess.run([sys.executable,
                            os.path.join(SCRIPTS, "compare.py"),
                            "--format", "json", self.out, self.out],
                           capture_output=True, text=True, timeout=120)
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertIn("receive-only/N:4096/k:16", p.stdout)
        self.assertIn("retain/N:4096/k:16", p.stdout)

    def test_repetition_beyond_the_count(self):
        with self.assertRaisesRegex(CommitsError,
                                    r"round1\.csv:\d+: repetition 1 "
                                    r"outside 0\.\.0"):
            self.merge(ROUNDS, repetitions=1)

    def test_rounds_with_other_columns(self):
        other = os.path.join(self.tmp.name, "other.csv")
        with open(ROUNDS[1]) as f:
            text = f.read().replace("page_faults_per_item",
                                    "page_faults", 1)
        with open(other, "w") as f:
            f.write(text)
        with self.assertRaisesRegex(CommitsError, "columns differ"):
            self.merge([ROUNDS[0], other])

    def test_no_rounds(self):
        with self.assertRaisesRegex(CommitsError, "no round"):
            self.merge([])


class CreatePair(unittest.TestCase):

    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.dir = self.tmp.name

    def tearDown(self):
        self.tmp.cleanup()

    def path(self, name):
        return os.path.join(self.dir, name)

    def test_fresh(self):
        self.assertEqual(commits.create_pair(self.dir, "s"),
                         (self.path("s_a.csv"), self.path("s_b.csv")))

    def test_never_overwrites(self):
        for existing in ("s_a.csv", "s_b.csv"):
            with self.subTest(existing=existing):
                for name in os.listdir(self.dir):
                    os.unlink(self.path(name))
                with open(self.path(existing), "w") as f:
                    f.write("keep me")
                a, b = commits.create_pair(self.dir, "s")
                self.assertEqual((a, b), (self.path("s.2_a.csv"),
                                          self.path("s.2_b.csv")))
                with open(self.path(existing)) as f:
                    self.assertEqual(f.read(), "keep me")
                self.assertEqual(sorted(os.listdir(self.dir)),
                                 sorted([existing, "s.2_a.csv",
                                         "s.2_b.csv"]))


@unittest.skipIf(os.environ.get("SLICEBENCH_SKIP_SLOW") == "1",
                 "slow: SLICEBENCH_SKIP_SLOW=1")
class EndToEnd(unittest.TestCase):
    """SLOW: clone the repository, build its HEAD once, compare it with
    itself (A/A) in 2 rounds of 2 repetitions."""

    def test_a_a_of_head(self):
        source = os.environ.get("SLICEBENCH_COMPARE_REPO", REPO)
        with tempfile.TemporaryDirectory() as tmp:
            clone = os.path.join(tmp, "repo")
            subprocess.run(["git", "clone", "--quiet", source, clone],
                           check=True)
            short = git(clone, "rev-parse", "--short", "HEAD")
            start = time.monotonic()
            p = subprocess.run(
                [CLI, "HEAD", "HEAD", "^retain/N:4096", "--rounds=2",
                 "--repetitions=2", "--", "--quick"],
                cwd=clone, capture_output=True, text=True, timeout=600)
            took = time.monotonic() - start
            print(f"\n  end-to-end run: {took:.0f} s", file=sys.stderr)
            self.assertIn(p.returncode, (0, 1), p.stderr)
            self.assertIn("one commit: A/A comparison of one build",
                          p.stderr)
            self.assertEqual(p.stderr.count("compare-commits: building "), 1)

            out = os.path.join(clone, "results")
            pair = [glob.glob(os.path.join(
                out, f"*_compare_{short}_vs_{short}_{x}.csv")) for x in "ab"]
            self.assertEqual([len(x) for x in pair], [1, 1], pair)
            for (path,) in pair:
                res = results.load(path)
                self.assertEqual(res.aggregate("mean"), [])
                by_case = {}
                for row in res.rows:
                    self.assertTrue(row["benchmark"].startswith(
                        "retain/N:4096/"))
                    by_case.setdefault(results.case_key(row), []).append(
                        row["repetition"])
                self.assertTrue(by_case)
                for reps in by_case.values():
                    self.assertEqual(sorted(reps), [0, 1, 2, 3])
                self.assertIn(path, p.stdout)   # compare.py names its inputs
            self.assertRegex(p.stdout, r"retain/N:4096/k:\d+/M:\d+")
            self.assertNotIn("receive-only", p.stdout)

            # The clone's work tree is as it was, no worktree is left.
            self.assertEqual(git(clone, "status", "--porcelain"), "")
            self.assertEqual(len(git(clone, "worktree", "list")
                                 .splitlines()), 1)


if __name__ == "__main__":
    unittest.main()
