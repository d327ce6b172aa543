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

import glob
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import unittest

import testenv  # first: REPO, scripts/ on sys.path, no bytecode

REPO = testenv.REPO
SCRIPTS = testenv.SCRIPTS
CLI = os.path.join(SCRIPTS, "compare-commits")
FIXTURES = os.path.join(REPO, "tests", "fixtures", "commits")
ROUNDS = [os.path.join(FIXTURES, f"round{r}.csv") for r in (1, 2)]

from slicebench import commits, commits_git, commits_merge  # noqa: E402
from slicebench import results, schema  # noqa: E402
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
                 (["A", "B", "--compare-args='"], "--compare-args"),
                 # checked before anything is built (they failed after a
                 # minute of builds and rounds)
                 (["A", "B", "--compare-args=--bogus"], "unrecognized arguments: --bogus"),
                 (["A", "B", "--compare-args=--alpha=2"], "between 0 and 1"),
                 (["A", "B", "--out-dir", "/etc/passwd"], "not a folder"),
                 (["A", "B", "--out-dir", "/proc/x/y"], "cannot write in /proc")]
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

    def test_filter_anywhere(self):
        for args in (["HEAD", "HEAD", "--rounds=3", "^retain/"],
                     ["--rounds=3", "HEAD", "HEAD", "^retain/"],
                     ["HEAD", "--rounds", "3", "HEAD", "^retain/",
                      "--keep-temp"]):
            with self.subTest(args=args):
                # Parsed: it gets as far as looking for the repository.
                self.assertFails(run_cli(args, self.dir),
                                 "not in a git repository")

    def test_help_has_no_side_effects(self):
        make_repo(self.dir, {"a.txt": "x"})
        before = git(self.dir, "worktree", "list")
        for args in (["--help"], ["HEAD", "HEAD", "--help"], ["-h"]):
            p = run_cli(args, self.dir)
            self.assertEqual((p.returncode, p.stderr), (0, ""))
            self.assertTrue(p.stdout.startswith("usage: compare-commits"))
        self.assertEqual(sorted(os.listdir(self.dir)), [".git", "a.txt"])
        self.assertEqual(git(self.dir, "worktree", "list"), before)
        self.assertEqual(git(self.dir, "status", "--porcelain"), "")

    def test_closed_stdout(self):
        p = subprocess.run([CLI, "HEAD", "HEAD"], cwd=self.dir,
                           stderr=subprocess.PIPE, text=True, timeout=60,
                           preexec_fn=lambda: os.close(1))
        self.assertEqual(p.returncode, 2)
        self.assertEqual(len(p.stderr.splitlines()), 1, p.stderr)
        self.assertIn("standard output is closed", p.stderr)

    def test_bad_revision_with_stderr_full_is_2(self):
        """1 is compare.py's regression verdict: an error must stay 2 when
        stderr cannot take its line."""
        with open("/dev/full", "w") as full:
            p = subprocess.run([CLI, "no-such-rev", "HEAD"], cwd=self.dir,
                               stdout=subprocess.PIPE, stderr=full,
                               env=GIT_ENV, timeout=60)
        self.assertEqual(p.returncode, 2)

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


class Merge(unittest.TestCase):

    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.out = os.path.join(self.tmp.name, "merged.csv")

    def tearDown(self):
        self.tmp.cleanup()

    def merge(self, paths, repetitions=2):
        with open(self.out, "x", newline="") as f:
            return commits_merge.merge_rounds(paths, repetitions, f)

    def test_merged_file(self):
        n = self.merge(ROUNDS)
        merged = results.load(self.out)
        one, two = (results.load(p) for p in ROUNDS)
        # Round 0's metadata; the version is the one the reader gave.
        self.assertEqual(dict(merged.meta, schema_version=""),
                         dict(one.meta, schema_version=""))
        self.assertEqual(n, len(merged.rows))
        self.assertTrue(all(not r.get("aggregate") for r in merged.rows))

        # Every measurement row of each round, in order, values unchanged
        # except the repetition (schema 1: round r, repetition i ->
        # r * 2 + i; schema 2 rows keep theirs and their run_id).
        expected = []
        for r, source in enumerate((one, two)):
            for row in source.rows:
                if not row.get("aggregate"):
                    row = dict(row)
                    if "run_id" not in row:
                        row["repetition"] = r * 2 + row["repetition"]
                    expected.append(row)
        self.assertEqual(merged.rows, expected)

        # Every measurement stays one of its own: (run, repetition) unique.
        reps = {}
        for row in merged.rows:
            run = row.get("run_id", "")
            reps.setdefault(row["strategy"], set()).add(
                (run, row["repetition"]))
        self.assertEqual({k: len(v) for k, v in reps.items()},
                         {"receive-only": 4, "retain": 4, "copy": 2})
        skipped = [r for r in merged.rows if r["status"] == "skipped"]
        self.assertEqual(skipped[0]["message"],
                         "needs 8 MiB, budget is 4 MiB")

    def test_valid_for_results_and_compare(self):
        self.merge(ROUNDS)
        res = results.load(self.out)
        self.assertEqual(len([r for r in res.rows
                              if r["status"] == "ok"]), 8)
        p = subprocess.run([sys.executable,
                            os.path.join(SCRIPTS, "compare.py"),
                            "--format", "json", self.out, self.out],
                           capture_output=True, text=True, timeout=120)
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertIn("receive-only/N:4096/k:16", p.stdout)
        self.assertIn("retain/N:4096/k:16", p.stdout)

    def test_repetition_beyond_the_count(self):
        with self.assertRaisesRegex(CommitsError,
                                    r"round1\.csv: \S+: repetition 1 "
                                    r"outside 0\.\.0"):
            self.merge(ROUNDS, repetitions=1)

    def test_unusable_round(self):
        other = os.path.join(self.tmp.name, "other.csv")
        with open(ROUNDS[1]) as f:
            text = f.read().replace("page_faults_per_item",
                                    "page_faults", 1)
        with open(other, "w") as f:
            f.write(text)
        with self.assertRaisesRegex(CommitsError, "round 2: .*other.csv: "
                                    "missing columns: page_faults"):
            self.merge([ROUNDS[0], other])

    def test_no_rounds(self):
        with self.assertRaisesRegex(CommitsError, "no round"):
            self.merge([])


class KeepsMeasurements(unittest.TestCase):
    """Whatever fails after the rounds ran, their results stay."""

    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.logs = []

    def tearDown(self):
        self.tmp.cleanup()

    def run_with_out_dir(self, out_dir):
        side = commits_git.Side

        def fake_sides(opts, cwd):
            return self.tmp.name, side("A", "x", "1" * 40, "111"), \
                side("B", "y", "2" * 40, "222")

        def fake_measure(repo, a, b, tmp, raw_dir, opts):
            for s in (a, b):
                for r, src in enumerate(ROUNDS):
                    dst = os.path.join(raw_dir, f"{s.name}-{r}.csv")
                    shutil.copyfile(src, dst)
                    s.rounds.append(dst)
            self.raw_dir = raw_dir

        saved = commits._sides, commits._measure
        commits._sides, commits._measure = fake_sides, fake_measure
        try:
            opts = commits.Options("x", "y", repetitions=2, out_dir=out_dir,
                                   log=self.logs.append)
            return commits.compare_commits(opts)
        finally:
            commits._sides, commits._measure = saved

    def test_unwritable_out_dir(self):
        a_file = os.path.join(self.tmp.name, "file")
        open(a_file, "w").close()
        for out_dir in ("/proc/sys", os.path.join(a_file, "sub"),
                        "/proc/self/fd/0/x"):
            with self.subTest(out_dir=out_dir):
                with self.assertRaises(CommitsError) as e:
                    self.run_with_out_dir(out_dir)
                message = str(e.exception)
                self.assertEqual(len(message.splitlines()), 1, message)
                self.assertIn("cannot write the merged results there",
                              message)
                self.assertIn("every round's results and the logs are kept "
                              "in ", message)
                kept = sorted(os.listdir(self.raw_dir))
                self.assertEqual(kept, ["A-0.csv", "A-1.csv", "B-0.csv",
                                        "B-1.csv"])
                self.assertIn(os.path.dirname(self.raw_dir), message)
                shutil.rmtree(os.path.dirname(self.raw_dir))

    def test_full_disk(self):
        import errno

        def full(paths, repetitions, out):
            out.write("# schema_version=1\n")
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

        out_dir = os.path.join(self.tmp.name, "out")
        saved = commits_merge.merge_rounds
        commits_merge.merge_rounds = full
        try:
            with self.assertRaises(CommitsError) as e:
                self.run_with_out_dir(out_dir)
        finally:
            commits_merge.merge_rounds = saved
        self.assertIn("cannot write the merged results there: No space "
                      "left on device", str(e.exception))
        self.assertEqual(os.listdir(out_dir), [])   # no half-written file
        self.assertEqual(len(os.listdir(self.raw_dir)), 4)
        shutil.rmtree(os.path.dirname(self.raw_dir))

    def test_success_removes_the_temporary_folder(self):
        out_dir = os.path.join(self.tmp.name, "out")
        a, b = self.run_with_out_dir(out_dir)
        self.assertEqual(len(results.load(a).rows), len(results.load(b).rows))
        self.assertFalse(os.path.exists(self.raw_dir))


class CreatePair(unittest.TestCase):

    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.dir = self.tmp.name

    def tearDown(self):
        self.tmp.cleanup()

    def path(self, name):
        return os.path.join(self.dir, name)

    def test_fresh(self):
        self.assertEqual(commits_merge.create_pair(self.dir, "s"),
                         (self.path("s_a.csv"), self.path("s_b.csv")))

    def test_never_overwrites(self):
        for existing in ("s_a.csv", "s_b.csv"):
            with self.subTest(existing=existing):
                for name in os.listdir(self.dir):
                    os.unlink(self.path(name))
                with open(self.path(existing), "w") as f:
                    f.write("keep me")
                a, b = commits_merge.create_pair(self.dir, "s")
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

    def test_unwritable_out_dir_is_refused_before_building(self):
        """It was found after the builds and rounds (whose results were
        then kept: test_unwritable_out_dir holds the library to that, for a
        folder that goes bad during the run)."""
        source = os.environ.get("SLICEBENCH_COMPARE_REPO", REPO)
        with tempfile.TemporaryDirectory() as tmp:
            clone = os.path.join(tmp, "repo")
            subprocess.run(["git", "clone", "--quiet", source, clone],
                           check=True)
            p = subprocess.run(
                [CLI, "HEAD", "HEAD", "--rounds=1", "--out-dir=/proc/sys",
                 "^retain/N:4096", "--", "--quick"],
                cwd=clone, capture_output=True, text=True, timeout=60)
            self.assertEqual(p.returncode, 2, p.stderr)
            self.assertEqual(p.stderr.splitlines(), [
                "compare-commits: --out-dir /proc/sys: cannot write in /proc/sys: "
                "No such file or directory (see --help)"])
            self.assertNotIn("building", p.stderr)

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
                by_case = {}
                for row in res.rows:
                    self.assertFalse(row.get("aggregate"))
                    self.assertTrue(row["benchmark"].startswith(
                        "retain/N:4096/"))
                    key = tuple(row[p] for p in schema.PARAMS)
                    by_case.setdefault(key, []).append(
                        (row.get("run_id"), row["repetition"]))
                self.assertTrue(by_case)
                for reps in by_case.values():
                    self.assertEqual(len(set(reps)), 4)
                self.assertIn(path, p.stdout)   # compare.py names its inputs
            self.assertRegex(p.stdout, r"retain/N:4096/k:\d+/M:\d+")
            self.assertNotIn("receive-only", p.stdout)

            # The clone's work tree is as it was, no worktree is left.
            self.assertEqual(git(clone, "status", "--porcelain"), "")
            self.assertEqual(len(git(clone, "worktree", "list")
                                 .splitlines()), 1)


if __name__ == "__main__":
    unittest.main()
