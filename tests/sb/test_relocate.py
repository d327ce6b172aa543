#!/usr/bin/python3
"""A copied checkout builds, tests and writes into its own results folder;
the setup and test scripts answer --help without side effects.

Usage: test_relocate.py CHECKOUT
Copies CHECKOUT (cp -a, everything, its build folders too) into a temporary
folder, runs scripts/setup there, and runs the copy's benchmark binary from
another folder.
"""
import glob
import os
import subprocess
import sys
import tempfile
import unittest

CHECKOUT = None


def run(*cmd, cwd=None, timeout=900):
    return subprocess.run(list(cmd), cwd=cwd, capture_output=True, text=True,
                          timeout=timeout)


def cache_home(build):
    with open(os.path.join(build, "CMakeCache.txt")) as f:
        for line in f:
            if line.startswith("CMAKE_HOME_DIRECTORY:INTERNAL="):
                return line.split("=", 1)[1].strip()
    return None


class Scripts(unittest.TestCase):
    def test_help_and_unknown_options(self):
        for script in ("setup", "test"):
            path = os.path.join(CHECKOUT, "scripts", script)
            for flag in ("--help", "-h"):
                p = run(path, flag, timeout=30)
                self.assertEqual(p.returncode, 0, p.stderr)
                self.assertTrue(p.stdout.startswith(f"usage: scripts/{script}"), p.stdout)
                self.assertEqual(p.stderr, "")
            p = run(path, "--frobnicate", timeout=30)
            self.assertEqual(p.returncode, 2)
            self.assertEqual(p.stdout, "")
            self.assertEqual(p.stderr, f"{script}: unknown option '--frobnicate' "
                                       "(see --help)\n")


class CopiedCheckout(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.copy = os.path.join(self.tmp.name, "copy of slicebench")
        p = run("cp", "-a", CHECKOUT, self.copy, timeout=300)
        self.assertEqual(p.returncode, 0, p.stderr)

    def tearDown(self):
        self.tmp.cleanup()

    def test_copy_builds_and_writes_into_its_own_results(self):
        build = os.path.join(self.copy, "build")
        original = os.path.realpath(CHECKOUT)
        if os.path.exists(os.path.join(build, "CMakeCache.txt")):
            # --help first: no side effect, the stale cache stays as it was
            self.assertEqual(run(os.path.join(self.copy, "scripts", "setup"),
                                 "--help").returncode, 0)
            self.assertEqual(os.path.realpath(cache_home(build)), original)
        p = run(os.path.join(self.copy, "scripts", "setup"))
        self.assertEqual(p.returncode, 0, p.stdout[-2000:] + p.stderr[-2000:])
        self.assertEqual(os.path.realpath(cache_home(build)), os.path.realpath(self.copy))
        binary = os.path.join(build, "benchmarks", "slicebench-retention")
        with open(binary, "rb") as f:
            data = f.read()
        for path in (original, os.path.realpath(self.copy)):
            self.assertNotIn(path.encode(), data, f"{path} is compiled in")
        p = run(binary, "--quick", "--sizes=64", "--strategies=copy",
                "--run-id=relocated", "--benchmark_repetitions=1", cwd="/")
        self.assertEqual(p.returncode, 0, p.stderr)
        made = glob.glob(os.path.join(self.copy, "results", "relocated_*.csv"))
        self.assertEqual([os.path.basename(m) for m in made], ["relocated_glibc.csv"])
        self.assertEqual(glob.glob(os.path.join(CHECKOUT, "results", "relocated_*")), [])
        p = run(binary, "--help")
        self.assertIn(os.path.join(os.path.realpath(self.copy), "results"), p.stdout)


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: test_relocate.py CHECKOUT")
    CHECKOUT = os.path.abspath(sys.argv[1])
    del sys.argv[1:]
    unittest.main()
