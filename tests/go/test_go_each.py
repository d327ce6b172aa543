#!/usr/bin/python3
"""slicebench.go_each: the Go benchmarks one case per process, as the sweep
runs them.

Usage: test_go_each.py BUILD_DIR

Builds the Go test binary as the sweep does, into BUILD_DIR (with Go's
caches), on a few quick cases (-benchtime=1x), and checks:
  - -names lists exactly the sub-benchmarks one `-bench Retention` process
    runs, in its order;
  - go_each runs every case, each in a process of its own (one set of
    configuration lines per result), in the order its seed gives, and
    appends to its file without touching what was there;
  - bad flags: exit status 1, one line on stderr, the file as it was.
"""
import os
import re
import resource
import subprocess
import sys
import tempfile
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(REPO, "scripts"))
from slicebench import go_each, gobench, thp  # noqa: E402

FLAGS = ["-sizes=64,4KiB", "-kept=16", "-elem=1", "-strategies=retain,copy",
         "-benchtime=1x", "-count=1"]
SEED = 7
BUILD_DIR = None


def run_module(*args):
    """go_each as the sweep runs it, its binary and caches in BUILD_DIR."""
    return subprocess.run([sys.executable, "-m", "slicebench.go_each",
                           "--build-dir", BUILD_DIR, *args],
                          cwd=REPO, env=dict(os.environ, PYTHONPATH=os.path.join(REPO, "scripts")),
                          capture_output=True, text=True, timeout=300)


def bench_names(text):
    """The sub-benchmark names of go test output, in order."""
    out = []
    for line in text.splitlines():
        if line.startswith("BenchmarkRetention/") and len(line.split()) > 2:
            name = line.split()[0].split("/", 1)[1]
            out.append(re.sub(r"-\d+$", "", name))    # GOMAXPROCS's suffix
    return out


class GoEach(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.env = go_each.env(REPO, BUILD_DIR)
        cls.exe = go_each.build(REPO, os.path.join(BUILD_DIR, go_each.EXE_NAME),
                                cls.env)

    def test_names_are_what_one_process_runs(self):
        names = go_each.names(self.exe, FLAGS, self.env)
        self.assertEqual(len(names), 4)
        p = subprocess.run([self.exe, "-test.run", "^$", "-test.bench", "Retention",
                            *go_each.binary_flags(FLAGS)], env=self.env,
                           capture_output=True, text=True, timeout=300)
        self.assertEqual(p.returncode, 0, p.stderr[-2000:])
        self.assertEqual(bench_names(p.stdout), names)

    def test_each_case_its_own_process_in_seed_order(self):
        names = go_each.names(self.exe, FLAGS, self.env)
        order = go_each.shuffled(names, SEED)
        self.assertNotEqual(order, names)     # the seed does reorder them
        with tempfile.TemporaryDirectory() as d:
            path = os.path.join(d, "go.txt")
            with open(path, "w") as f:
                f.write("earlier run\n")
            p = run_module("--out", path, "--seed", str(SEED), *FLAGS)
            self.assertEqual(p.returncode, 0, p.stderr)
            with open(path) as f:
                text = f.read()
        self.assertTrue(text.startswith("earlier run\ngo-case-order-seed: 7\n"))
        self.assertEqual(bench_names(text), order)
        # one process per case: each prints its own configuration lines
        self.assertEqual(text.count("\ngo-version: "), len(names))
        self.assertEqual(text.count("\nPASS"), len(names))

    # huge pages off for the process it then becomes, as gc-vs-go --thp=off
    # starts them; exit 3 when the kernel refuses
    OFF = ("import os, sys; sys.path.insert(0, sys.argv[1]); "
           "from slicebench import thp\n"
           "try:\n    thp.disable()\n"
           "except thp.ThpError:\n    sys.exit(3)\n"
           "os.execv(sys.argv[2], sys.argv[2:])")

    def run_config(self, huge_pages_off):
        """The configuration lines of a quick run, as a dict, and its output."""
        cmd = [self.exe, "-test.run", "^$", "-test.bench", "Retention",
               *go_each.binary_flags(FLAGS)]
        if huge_pages_off:
            cmd = [sys.executable, "-c", self.OFF, os.path.join(REPO, "scripts"), *cmd]
        p = subprocess.run(cmd, env=self.env, capture_output=True, text=True,
                           timeout=300)
        if huge_pages_off and p.returncode == 3:
            self.skipTest("the kernel refuses PR_SET_THP_DISABLE")
        self.assertEqual(p.returncode, 0, p.stderr[-2000:])
        return dict(line.split(": ", 1) for line in p.stdout.splitlines()
                    if re.match(r"^[a-z-]+: ", line)), p.stdout

    def test_records_huge_pages_as_the_model_does(self):
        """thp-enabled: the system's mode, or off for this process (prctl,
        inherited: gc-vs-go --thp=off); in the results as thp_enabled."""
        try:
            with open("/sys/kernel/mm/transparent_hugepage/enabled") as f:
                mode = re.search(r"\[(\w+)\]", f.read()).group(1)
        except (OSError, AttributeError):
            mode = "unknown"
        state = thp.enabled()
        if state is None:
            self.skipTest("no THP_enabled line in /proc/self/status")
        if state:
            self.assertEqual(self.run_config(False)[0]["thp-enabled"], mode)
            off, text = self.run_config(True)
        else:                           # already off, inherited
            off, text = self.run_config(False)
        self.assertEqual(off["thp-enabled"], f"never (off for this process; system {mode})")
        meta = dict(gobench.metadata(gobench.parse(text, "go.txt")))
        self.assertEqual(meta["thp_enabled"], off["thp-enabled"])

    def test_a_case_the_machine_cannot_hold_is_skipped(self):
        """Within the budget but over the memory this process may still
        take (MemAvailable, cgroups: memguard): skipped with the reason,
        as the C side skips it, not run into the OOM killer. 64 items of
        1 TiB, within a 100 TiB budget."""
        p = subprocess.run([self.exe, "-test.run", "^$", "-test.bench", "Retention",
                            "-test.v", "-test.benchtime=1x", "-sizes=1099511627776", "-kept=16",
                            "-elem=1", "-strategies=retain", "-items=64",
                            "-budget=109951162777600"],
                           env=self.env, capture_output=True, text=True, timeout=120,
                           # a guard that no longer skips it fails at an
                           # allocation, not in the OOM killer
                           preexec_fn=lambda: resource.setrlimit(
                               resource.RLIMIT_AS, (8 << 30, 8 << 30)))
        self.assertEqual(p.returncode, 0, p.stderr[-2000:])
        self.assertRegex(p.stdout, r"needs about [0-9.]+ MiB, only [0-9.]+ MiB of memory "
                         r"available \((MemAvailable|cgroup .*)\)")
        self.assertIn("--- SKIP: BenchmarkRetention/strategy=retain/N=1099511627776", p.stdout)
        rows = gobench.rows(gobench.parse(p.stdout, "go test"), "go")
        self.assertEqual({r["status"] for r in rows}, {"skipped"})

    def test_bad_flags(self):
        with tempfile.TemporaryDirectory() as d:
            path = os.path.join(d, "go.txt")
            with open(path, "w") as f:
                f.write("earlier run\n")
            p = run_module("--out", path, "-sizes=0", "-benchtime=1x")
            with open(path) as f:
                text = f.read()
        self.assertEqual(p.returncode, 1)
        lines = p.stderr.strip().splitlines()
        self.assertEqual(len(lines), 1, p.stderr)
        self.assertTrue(lines[0].startswith("go_each: "), lines[0])
        self.assertEqual(text, "earlier run\n")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: test_go_each.py BUILD_DIR")
    BUILD_DIR = sys.argv.pop(1)
    unittest.main()
