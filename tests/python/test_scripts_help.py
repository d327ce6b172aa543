#!/usr/bin/python3
"""Every script in scripts/ answers --help (issue 15): exit status 0, a
usage text on standard output whose first line names the script, nothing on
standard error, within a few seconds, and no side effects: `git status
--porcelain` of the work tree, the entries of results/ and of every build*/
folder at the top of the work tree, and the (temporary) folder it runs in
are the same after as before. The scripts are those executable files found
in scripts/ when the test runs.

Run from anywhere:  /usr/bin/python3 tests/python/test_scripts_help.py [-v]
"""

import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import unittest

import testenv  # first: REPO, scripts/ on sys.path, no bytecode

REPO = testenv.REPO
SCRIPTS = testenv.SCRIPTS
SECONDS = 10        # "a few seconds" on a busy 2-core machine


def scripts():
    """The executable regular files of scripts/, by name."""
    return sorted(name for name in os.listdir(SCRIPTS)
                  if os.path.isfile(os.path.join(SCRIPTS, name))
                  and os.access(os.path.join(SCRIPTS, name), os.X_OK))


def state():
    """What a side effect would change: git status and folder listings."""
    git = subprocess.run(["git", "-C", REPO, "status", "--porcelain"],
                         capture_output=True, text=True, timeout=60)
    folders = {}
    for name in sorted(os.listdir(REPO)):
        path = os.path.join(REPO, name)
        if (name == "results" or name.startswith("build")) \
                and os.path.isdir(path):
            folders[name] = sorted(os.listdir(path))
    return git.stdout if git.returncode == 0 else None, folders


def run(name, cwd):
    """scripts/<name> --help in its own session, a CompletedProcess; None
    when it has not ended within SECONDS (then the whole session, builds
    or installs it started included, is killed)."""
    proc = subprocess.Popen([os.path.join(SCRIPTS, name), "--help"], cwd=cwd,
                            stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True,
                            start_new_session=True)
    try:
        out, err = proc.communicate(timeout=SECONDS)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.communicate()
        return None
    return subprocess.CompletedProcess(proc.args, proc.returncode, out, err)


class HelpTest(unittest.TestCase):
    def test_scripts_found(self):
        self.assertGreater(len(scripts()), 0, SCRIPTS)

    def test_every_script_answers_help(self):
        for name in scripts():
            with self.subTest(script=name):
                self.check(name)

    def check(self, name):
        before = state()
        cwd = tempfile.mkdtemp(prefix="slicebench-help-")
        try:
            start = time.monotonic()
            proc = run(name, cwd)
            if proc is None:
                self.fail(f"{name} --help did not return in {SECONDS} s")
            took = time.monotonic() - start
            self.assertEqual(os.listdir(cwd), [],
                             f"{name} --help wrote into its folder")
        finally:
            shutil.rmtree(cwd)
        self.assertEqual(proc.returncode, 0,
                         f"{name} --help: exit {proc.returncode}\n"
                         f"{proc.stderr[-1000:]}")
        self.assertEqual(proc.stderr, "", f"{name} --help wrote to stderr")
        lines = [l for l in proc.stdout.splitlines() if l.strip()]
        self.assertTrue(lines, f"{name} --help printed nothing on stdout")
        self.assertIn(name, lines[0],
                      f"{name} --help: the first line does not name it")
        self.assertGreater(len(lines), 1, f"{name} --help: one line only")
        self.assertEqual(state(), before,
                         f"{name} --help changed the work tree "
                         f"(git status, results/ or build*/) in {took:.1f} s")


if __name__ == "__main__":
    unittest.main()
