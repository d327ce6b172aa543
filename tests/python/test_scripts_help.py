#!/usr/bin/python3
"""Every script in scripts/ answers --help (issue 15): exit status 0, a
usage text on standard output whose first line names the script, nothing on
standard error, within a few seconds, and no side effects: `git status
--porcelain` of the work tree, the entries of results/ and of every build*/
folder at the top of the work tree, and the (temporary) folder it runs in
are the same after as before. The scripts are those executable files found
in scripts/ when the test runs.

The Python ones (first line #!/usr/bin/python3; the shell scripts are left
out) and the modules of slicebench that have a command line of their own
also fail as the suite's tools do (slicebench.cli):
  - --help whose reader went away (| head; here a pipe whose read end is
    already closed): exit status 0, nothing on standard error;
  - an unknown option: exit status 2, one line on standard error that
    starts with the tool's name, nothing on standard output (go_each is
    left out: the options it does not know are the Go benchmarks' flags);
  - --help with no standard output at all: nothing printed elsewhere, and
    status 0, or one line saying standard output is closed, status 2;
  - --help into a full standard output (/dev/full): exit status 2 (the
    status the tools give output they cannot write; 1 is a result in some)
    and one line on standard error, "cannot write" in it.

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
PYTHON = "#!/usr/bin/python3"
# the modules of slicebench with a command line (python3 -m), by their name
# on it (argparse's prog)
MODULES = {"go_each": "go_each", "goclock": "goclock", "pacer": "pacer",
           "summary": "summary",
           "sweep_rounds": "python3 -m slicebench.sweep_rounds"}
# status of --help into a full standard output, when not 2
UNWRITTEN = {}


def scripts():
    """The executable regular files of scripts/, by name."""
    return sorted(name for name in os.listdir(SCRIPTS)
                  if os.path.isfile(os.path.join(SCRIPTS, name))
                  and os.access(os.path.join(SCRIPTS, name), os.X_OK))


def python_scripts():
    """The scripts that run under /usr/bin/python3 (their first line)."""
    names = []
    for name in scripts():
        with open(os.path.join(SCRIPTS, name), "rb") as f:
            if f.readline().decode("utf-8", "replace").strip() == PYTHON:
                names.append(name)
    return names


def tools():
    """(name on the command line, argv without options, environment) of
    every Python script (their own environment) and module with a command
    line (scripts/ on PYTHONPATH, as scripts/sweep runs them)."""
    modules = dict(os.environ, PYTHONPATH=SCRIPTS)
    return ([(name, [os.path.join(SCRIPTS, name)], None)
             for name in python_scripts()]
            + [(prog, ["/usr/bin/python3", "-m", "slicebench." + module], modules)
               for module, prog in sorted(MODULES.items())])


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


def run(name, cwd, argv=None, env=None, stdout=subprocess.PIPE,
        reader_gone=False, stdout_closed=False):
    """scripts/<name> --help (or argv) in its own session, a
    CompletedProcess; None when it has not ended within SECONDS (then the
    whole session, builds or installs it started included, is killed).
    reader_gone: standard output is a pipe whose read end is closed;
    stdout_closed: the tool starts with no standard output at all."""
    argv = [os.path.join(SCRIPTS, name), "--help"] if argv is None else argv
    proc = subprocess.Popen(argv, cwd=cwd, env=env,
                            stdin=subprocess.DEVNULL,
                            stdout=None if stdout_closed else stdout,
                            stderr=subprocess.PIPE, text=True,
                            start_new_session=True,
                            preexec_fn=(lambda: os.close(1)) if stdout_closed else None)
    if reader_gone:
        proc.stdout.close()
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

    def test_python_scripts_found(self):
        self.assertGreater(len(python_scripts()), 0, SCRIPTS)

    def test_modules_listed(self):
        """Every module of slicebench that runs as a program is in MODULES."""
        folder = os.path.join(SCRIPTS, "slicebench")
        found = set()
        for name in os.listdir(folder):
            if name.endswith(".py"):
                with open(os.path.join(folder, name), encoding="utf-8") as f:
                    if 'if __name__ == "__main__":' in f.read():
                        found.add(name[:-3])
        self.assertEqual(found, set(MODULES))

    def test_help_reader_gone(self):
        for name, argv, env in tools():
            with self.subTest(tool=name):
                proc = self.run_in_temp(name, argv + ["--help"], env=env,
                                        reader_gone=True)
                self.assertEqual((proc.returncode, proc.stderr), (0, ""),
                                 f"{name} --help | (reader gone)")

    def test_unknown_option_one_line(self):
        for name, argv, env in tools():
            if name == "go_each":
                continue
            with self.subTest(tool=name):
                proc = self.run_in_temp(name, argv + ["--no-such-option"],
                                        env=env)
                self.assertEqual(proc.returncode, 2, proc.stderr[-1000:])
                lines = proc.stderr.splitlines()
                self.assertEqual(len(lines), 1, proc.stderr[-1000:])
                self.assertTrue(lines[0].startswith(name + ": "), lines[0])
                self.assertIn("--help", lines[0])
                self.assertEqual(proc.stdout, "")

    def test_help_closed_stdout(self):
        # no standard output at all: nothing printed elsewhere instead (the
        # help is not written to stderr), and no traceback; a tool that
        # needs its standard output says so in one line, status 2
        for name, argv, env in tools():
            with self.subTest(tool=name):
                proc = self.run_in_temp(name, argv + ["--help"], env=env,
                                        stdout_closed=True)
                if proc.returncode == 0:
                    self.assertEqual(proc.stderr, "", name)
                else:
                    self.assertEqual(proc.returncode, 2, proc.stderr[-1000:])
                    lines = proc.stderr.splitlines()
                    self.assertEqual(len(lines), 1, proc.stderr[-1000:])
                    self.assertIn("closed", lines[0])

    def test_help_full_stdout(self):
        for name, argv, env in tools():
            with self.subTest(tool=name):
                with open("/dev/full", "w") as full:
                    proc = self.run_in_temp(name, argv + ["--help"], env=env,
                                            stdout=full)
                self.assertEqual(proc.returncode, UNWRITTEN.get(name, 2),
                                 proc.stderr[-1000:])
                lines = proc.stderr.splitlines()
                self.assertEqual(len(lines), 1, proc.stderr[-1000:])
                self.assertTrue(lines[0].startswith(name + ": "), lines[0])
                self.assertIn("cannot write", lines[0])

    def run_in_temp(self, name, argv, **how):
        """run() in a folder of its own, which must stay empty."""
        cwd = tempfile.mkdtemp(prefix="slicebench-help-")
        try:
            proc = run(name, cwd, argv, **how)
            if proc is None:
                self.fail(f"{' '.join(argv)} did not return in {SECONDS} s")
            self.assertEqual(os.listdir(cwd), [], f"{name} wrote into its folder")
        finally:
            shutil.rmtree(cwd)
        return proc


if __name__ == "__main__":
    unittest.main()
