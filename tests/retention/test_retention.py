#!/usr/bin/python3
"""The retention benchmark binaries, end to end: what they measure (checked
against what the code allocated), what they write, and how they answer bad
input, interruption and a small memory budget.

Usage: test_retention.py measures|behaviour BINARY [BINARY ...]
(one binary per allocator, the glibc one first). "measures" checks the
figures of every allocator (real RSS: not under sanitizers); "behaviour"
checks files, signals, the guard and bad input on the first binary.
"""
import glob
import os
import signal
import subprocess
import sys
import tempfile
import time
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "scripts"))
from slicebench import results  # noqa: E402

MIB = 1 << 20
BINARIES = []
MODE = "measures"
FAST = ["--benchmark_min_time=0.01", "--benchmark_repetitions=1"]


def run(binary, *flags, timeout=300):
    return subprocess.run([binary, *flags], capture_output=True, text=True,
                          timeout=timeout)


def only_csv(folder):
    files = glob.glob(os.path.join(folder, "*.csv"))
    assert len(files) == 1, files
    return files[0]


class Measures:
    """Mixed into one TestCase per allocator (see load_tests)."""
    binary = None

    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory()
        p = run(cls.binary, "--sizes=64KiB,256KiB,1MiB", "--kept=16,N/2",
                "--elem=1", "--budget=64MiB",
                "--strategies=receive-only,retain,copy,append,exactcap",
                f"--csv-dir={cls.tmp.name}", "--run-id=t", *FAST)
        if p.returncode != 0:
            raise AssertionError(f"{cls.binary} exited {p.returncode}: {p.stderr}")
        cls.res = results.load(only_csv(cls.tmp.name))
        cls.rows = [r for r in cls.res.rows if r["status"] == "ok"]

    @classmethod
    def tearDownClass(cls):
        cls.tmp.cleanup()

    def rows_of(self, strategy):
        rows = [r for r in self.rows if r["strategy"] == strategy]
        self.assertTrue(rows, f"no {strategy} rows")
        return rows

    def test_every_run_succeeded_and_names_its_allocator(self):
        self.assertEqual(len(self.rows), len(self.res.rows))
        self.assertEqual(len(self.rows), 3 * 2 * 5)
        allocator = self.res.meta["allocator"]
        self.assertIn(allocator, os.path.basename(self.binary) + "glibc")
        self.assertTrue(all(r["allocator"] == allocator for r in self.rows))

    def test_metadata(self):
        for key in ("schema_version", "run_id", "date", "git_commit", "git_dirty",
                    "host", "cpu_model", "cpus", "compiler", "build_type",
                    "allocator", "allocator_version", "allocator_settings",
                    "slicebench_version", "benchmark_library_version",
                    "budget_bytes", "command"):
            self.assertIn(key, self.res.meta)
            self.assertNotEqual(self.res.meta[key], "")
        self.assertEqual(self.res.meta["run_id"], "t")
        self.assertEqual(self.res.meta["budget_bytes"], str(64 * MIB))

    def test_held_bytes_follow_the_formulas(self):
        for r in self.rows_of("retain"):
            self.assertEqual(r["held_bytes"], r["items"] * r["source_bytes"])
            self.assertGreaterEqual(r["held_reserved_bytes"], r["held_bytes"])
        for strategy in ("exactcap", "copy"):
            for r in self.rows_of(strategy):
                self.assertEqual(r["held_bytes"], r["items"] * r["kept_bytes"])
        for r in self.rows_of("receive-only"):
            self.assertEqual(r["held_bytes"], 0)
        for r in self.rows:
            self.assertEqual(r["needed_bytes"], r["items"] * r["kept_bytes"])
            self.assertAlmostEqual(r["amplification"],
                                   r["held_bytes"] / r["needed_bytes"])

    def test_retain_peak_rss_is_m_times_n(self):
        # jemalloc's cache-oblivious layout gives each large block one more
        # page (mem_jemalloc.c); the allocator reports whether it is on.
        pad = 4096 if "cache_oblivious=true" in self.res.meta["allocator_settings"] else 0
        for r in self.rows_of("retain"):
            if r["source_bytes"] < 64 * 1024:
                continue
            want = r["items"] * (r["source_bytes"] + pad)
            self.assertLess(abs(r["peak_rss_delta_bytes"] - want), 0.05 * want,
                            f"{r['benchmark']}: peak {r['peak_rss_delta_bytes']} vs {want}")

    def test_exactcap_peak_rss_is_m_times_k(self):
        # A batch also holds the one source in flight (N bytes), which the
        # 1 MiB allowance covers for N up to 256 KiB.
        for r in self.rows_of("exactcap"):
            if r["source_bytes"] > 256 * 1024:
                continue
            want = r["items"] * r["kept_bytes"]
            self.assertLess(abs(r["peak_rss_delta_bytes"] - want), 0.05 * want + MIB,
                            f"{r['benchmark']}: peak {r['peak_rss_delta_bytes']} vs {want}")

    def test_allocations_per_item(self):
        for r in self.rows_of("retain"):
            self.assertEqual(r["allocs_per_item"], 1)        # the source
        for r in self.rows_of("copy"):
            self.assertEqual(r["allocs_per_item"], 2)        # source + copy
        for r in self.rows_of("exactcap"):
            self.assertAlmostEqual(r["allocs_per_item"], 1 + 1 / r["items"])

    def test_strategy_time_is_against_receive_only(self):
        base = {(r["source_bytes"], r["kept_bytes"]): r["real_time_per_item_ns"]
                for r in self.rows_of("receive-only")}
        for r in self.rows:
            want = r["real_time_per_item_ns"] - base[(r["source_bytes"], r["kept_bytes"])]
            self.assertAlmostEqual(r["strategy_time_per_item_ns"], want, delta=1e-6 * abs(want) + 1e-9)

    def test_per_item_times_and_rates_agree(self):
        for r in self.rows:
            self.assertGreater(r["real_time_per_item_ns"], 0)
            self.assertAlmostEqual(r["items_per_second"] * r["real_time_per_item_ns"] / 1e9,
                                   1.0, delta=1e-3)
            self.assertAlmostEqual(r["kept_bytes_per_second"] / r["items_per_second"],
                                   r["kept_bytes"], delta=1e-6 * r["kept_bytes"])


class Behaviour(unittest.TestCase):
    """Files, interruption, the guard: on the glibc binary."""

    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.dir = self.tmp.name

    def tearDown(self):
        self.tmp.cleanup()

    def test_quick_sweep(self):
        p = run(BINARIES[0], "--quick", f"--csv-dir={self.dir}", "--benchmark_repetitions=2")
        self.assertEqual(p.returncode, 0, p.stderr)
        res = results.load(only_csv(self.dir))
        aggregates = {r["aggregate"] for r in res.rows}
        self.assertEqual(aggregates, {"", "mean", "median", "stddev", "cv"})
        self.assertEqual({r["strategy"] for r in res.rows}, set(results.STRATEGIES))

    def test_a_run_never_overwrites_an_earlier_file(self):
        flags = ["--sizes=4KiB", "--kept=16", "--elem=1", "--strategies=copy",
                 f"--csv-dir={self.dir}", "--run-id=same", *FAST]
        self.assertEqual(run(BINARIES[0], *flags).returncode, 0)
        first = only_csv(self.dir)                  # same_<allocator>.csv
        with open(first) as f:
            before = f.read()
        self.assertEqual(run(BINARIES[0], *flags).returncode, 0)
        with open(first) as f:
            self.assertEqual(f.read(), before)
        self.assertTrue(os.path.exists(first[:-len(".csv")] + ".2.csv"))

    def test_two_runs_at_the_same_moment_write_two_files(self):
        flags = ["--sizes=4KiB", "--kept=16", "--elem=1", "--strategies=copy",
                 f"--csv-dir={self.dir}", "--run-id=race", *FAST]
        procs = [subprocess.Popen([BINARIES[0], *flags], stdout=subprocess.DEVNULL,
                                  stderr=subprocess.DEVNULL) for _ in range(4)]
        self.assertEqual([p.wait(timeout=120) for p in procs], [0] * 4)
        files = sorted(glob.glob(os.path.join(self.dir, "race_*.csv")))
        self.assertEqual(len(files), 4)
        for f in files:
            self.assertEqual(len(results.load(f).rows), 1)

    def interrupt(self, sig):
        """Start a long run, stop it with sig once some rows are written."""
        p = subprocess.Popen([BINARIES[0], "--sizes=4KiB,1MiB", "--kept=16,N/2",
                              "--elem=1", "--benchmark_min_time=0.2",
                              f"--csv-dir={self.dir}", "--run-id=stop"],
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.time() + 60
        path = None
        while time.time() < deadline:
            found = glob.glob(os.path.join(self.dir, "stop_*.csv"))
            if found and open(found[0]).read().count("\n") >= 20:
                path = found[0]
                break
            time.sleep(0.05)
        self.assertIsNotNone(path, "no rows within 60 s")
        p.send_signal(sig)
        p.wait(timeout=60)
        self.assertEqual(p.returncode, -sig)
        return path

    def check_complete_rows(self, path):
        with open(path) as f:
            text = f.read()
        self.assertTrue(text.endswith("\n"))
        res = results.load(path)
        self.assertGreater(len(res.rows), 0)
        self.assertLess(len(res.rows), 28)       # stopped before the end
        body = [l for l in text.splitlines() if not l.startswith("#")]
        self.assertEqual(len(body), 1 + len(res.rows))

    def test_sigint_leaves_exactly_the_finished_rows(self):
        self.check_complete_rows(self.interrupt(signal.SIGINT))

    def test_sigterm_leaves_exactly_the_finished_rows(self):
        self.check_complete_rows(self.interrupt(signal.SIGTERM))

    def test_memory_guard_skips_with_the_reason(self):
        p = run(BINARIES[0], "--sizes=64,4MiB", "--kept=16", "--elem=1",
                "--strategies=receive-only,retain", "--budget=1MiB",
                f"--csv-dir={self.dir}", *FAST)
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertIn("over the memory budget of 1 MiB", p.stdout)
        rows = results.load(only_csv(self.dir)).rows
        skipped = [r for r in rows if r["status"] == "skipped"]
        self.assertEqual({r["source_bytes"] for r in skipped}, {4 * MIB})
        self.assertTrue(all("over the memory budget of 1 MiB" in r["message"]
                            for r in skipped))
        self.assertTrue(all(r["peak_rss_delta_bytes"] is None for r in skipped))
        ran = [r for r in rows if r["status"] == "ok"]
        self.assertEqual({r["source_bytes"] for r in ran}, {64})

    def test_stdout_to_a_full_disk(self):
        with open("/dev/full", "w") as full:
            p = subprocess.run([BINARIES[0], "--sizes=4KiB", "--kept=16", "--elem=1",
                                "--strategies=copy", "--no-csv", *FAST],
                               stdout=full, stderr=subprocess.PIPE, text=True, timeout=120)
        self.assertEqual(p.returncode, 1)
        self.assertTrue(p.stderr.strip().splitlines()[-1].startswith(
            "slicebench-retention: cannot write the report to standard output"),
            p.stderr)


class BadInput(unittest.TestCase):
    """Each bad input: one line on stderr, a non-zero exit, no results file."""

    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.dir = self.tmp.name

    def tearDown(self):
        self.tmp.cleanup()

    def refused(self, message, *flags, status=2, csv_dir=None):
        p = run(BINARIES[0], f"--csv-dir={csv_dir or self.dir}", *flags, *FAST)
        self.assertEqual(p.returncode, status, p.stderr)
        lines = p.stderr.strip().splitlines()
        self.assertEqual(len(lines), 1, p.stderr)
        self.assertEqual(lines[0], "slicebench-retention: " + message)
        self.assertNotIn("Traceback", p.stderr)
        self.assertEqual(os.listdir(self.dir), [])

    def test_unknown_flag(self):
        self.refused("unknown argument '--frobnicate' (see --help)", "--frobnicate")

    def test_unknown_benchmark_flag(self):
        self.refused("unrecognized flag '--benchmark_frobnicate=1' (see --help)",
                     "--benchmark_frobnicate=1")

    def test_malformed_size_list(self):
        self.refused("'4Q' is not a size in bytes (e.g. 64, 4KiB, 16MiB)",
                     "--sizes=64,4Q")
        self.refused("--sizes: empty list", "--sizes=")
        self.refused("size '99999999999999999999' is too large",
                     "--sizes=99999999999999999999")

    def test_k_larger_than_n(self):
        self.refused("--kept=128 is larger than N=64 (--sizes)", "--sizes=64", "--kept=128")

    def test_items_zero(self):
        self.refused("--items: '0' is not a positive integer", "--items=0")

    def test_element_size_not_dividing(self):
        self.refused("N=64 and k=12 must be multiples of --elem=8", "--sizes=64",
                     "--kept=12", "--elem=8")

    def test_unknown_strategy_and_policy(self):
        self.refused("unknown strategy 'leak'", "--strategies=retain,leak")
        self.refused("unknown growth policy 'x3' (go, double, x1.5)", "--growth=x3")

    def test_budget_too_small_for_any_case(self):
        self.refused("--budget=1 KiB is too small for any case "
                     "(the smallest needs about 68 KiB)", "--sizes=64KiB", "--kept=16",
                     "--budget=1KiB")

    def test_results_folder_missing(self):
        missing = os.path.join(self.dir, "nope")
        self.refused(f"results folder {missing}: No such file or directory",
                     csv_dir=missing)

    def test_results_folder_not_a_folder(self):
        self.refused("results folder /dev/null is not a folder", csv_dir="/dev/null")

    def test_results_folder_not_writable(self):
        self.refused("results folder /sys is not writable: Permission denied",
                     csv_dir="/sys")

    def test_help_and_version(self):
        p = run(BINARIES[0], "--help")
        self.assertEqual(p.returncode, 0)
        self.assertIn("--budget=BYTES", p.stdout)
        p = run(BINARIES[0], "--version")
        self.assertEqual(p.returncode, 0)
        self.assertTrue(p.stdout.startswith("slicebench-retention "))


def load_tests(loader, tests, pattern):
    suite = unittest.TestSuite()
    if MODE == "measures":
        for binary in BINARIES:
            name = os.path.basename(binary).replace("-", "_")
            cls = type(name, (Measures, unittest.TestCase), {"binary": binary})
            suite.addTests(loader.loadTestsFromTestCase(cls))
    else:
        suite.addTests(loader.loadTestsFromTestCase(Behaviour))
        suite.addTests(loader.loadTestsFromTestCase(BadInput))
    return suite


if __name__ == "__main__":
    if len(sys.argv) < 3 or sys.argv[1] not in ("measures", "behaviour"):
        sys.exit("usage: test_retention.py measures|behaviour BINARY [BINARY ...]")
    MODE = sys.argv[1]
    BINARIES = [os.path.abspath(a) for a in sys.argv[2:]]
    del sys.argv[1:]
    unittest.main()
