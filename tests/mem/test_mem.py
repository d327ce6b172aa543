#!/usr/bin/python3
"""Per-run memory figures, proved against known allocations, for each
allocator: run mem_fixture (one binary per allocator) and check that the
counters the harness puts on every run match what the code allocated.

Usage: test_mem.py FIXTURE [FIXTURE ...]   (one per allocator)
"""
import json
import os
import subprocess
import sys
import tempfile
import unittest

MIB = 1 << 20
SLACK = 2 * MIB          # what a peak may exceed the touched bytes by
# The kernel keeps RSS in per-CPU batched counters (percpu_counter, a batch
# of max(32, 2 x CPUs) pages) and reads VmRSS and VmHWM from their folded
# sum, each off by up to a batch per CPU either way; a peak delta is the
# difference of two such reads, so it can read low by up to two batches
# per CPU (mem_rss_precision). That is the measurement's own precision.
UNDER = 2 * max(32, 2 * os.cpu_count()) * 4096 * os.cpu_count()
FIXTURES = []


def run_json(fixture, *flags):
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "out.json")
        p = subprocess.run([fixture, f"--benchmark_out={out}",
                            "--benchmark_out_format=json", *flags],
                           capture_output=True, text=True, timeout=300)
        if p.returncode != 0:
            raise AssertionError(f"{fixture} exited {p.returncode}: {p.stderr}")
        with open(out) as f:
            return json.load(f)


class MemoryFigures:
    """Mixed into one TestCase class per allocator (see load_tests)."""
    fixture = None

    def assertPeak(self, peak, touched):
        """peak lies in [touched - kernel precision, touched + 2 MiB]."""
        self.assertGreaterEqual(peak, touched - UNDER)
        self.assertLessEqual(peak, touched + SLACK)

    @classmethod
    def setUpClass(cls):
        cls.doc = run_json(cls.fixture, "--benchmark_repetitions=2")
        cls.runs = {}
        for b in cls.doc["benchmarks"]:
            if b["run_type"] == "iteration":
                cls.runs.setdefault(b["run_name"], []).append(b)

    def figure(self, run_name, counter):
        values = [b[counter] for b in self.runs[run_name]]
        self.assertTrue(values, f"no runs of {run_name}")
        return values

    def test_allocator_really_replaced_malloc(self):
        out = subprocess.run([self.fixture, "--allocator"], capture_output=True,
                             text=True, timeout=30).stdout
        self.assertIn("active=1", out)
        self.assertEqual(self.doc["context"]["allocator"], out.split()[0])

    def test_touched_64_mib_peak(self):
        for peak in self.figure("touch/mib:64/iterations:1", "peak_rss_delta_bytes"):
            self.assertPeak(peak, 64 * MIB)

    def test_run_after_a_bigger_one_is_not_polluted(self):
        # touch/mib:8 runs right after touch/mib:64: its peak is its own.
        for peak in self.figure("touch/mib:8/iterations:1", "peak_rss_delta_bytes"):
            self.assertPeak(peak, 8 * MIB)

    def test_every_repetition_and_iteration_count_measures_the_same(self):
        for peak in self.figure("touch/mib:64/iterations:3", "peak_rss_delta_bytes"):
            self.assertPeak(peak, 64 * MIB)

    def test_allocation_counters_are_exact(self):
        for b in self.runs["touch/mib:64/iterations:3"]:
            self.assertEqual(b["allocs_per_iter"], 1)
            self.assertEqual(b["requested_bytes_per_iter"], 64 * MIB)
            self.assertGreaterEqual(b["reserved_bytes_per_iter"], 64 * MIB)
            self.assertEqual(b["live_bytes_end"], 0)
            self.assertGreater(b["page_faults_per_iter"], 0)

    def test_keep_versus_free_live_bytes_exact(self):
        for b in self.runs["keep/mib:16/iterations:4"]:
            self.assertEqual(b["live_after_loop"], b["expected_live"])
            self.assertGreaterEqual(b["expected_live"], 4 * 16 * MIB)
            self.assertEqual(b["peak_live_bytes"], b["expected_live"])
            self.assertEqual(b["live_bytes_end"], 0)
        for b in self.runs["free/mib:16/iterations:4"]:
            self.assertEqual(b["live_after_loop"], 0)
            self.assertEqual(b["expected_live"], 0)
            self.assertGreaterEqual(b["peak_live_bytes"], 16 * MIB)
            self.assertLessEqual(b["peak_live_bytes"], 16 * MIB + 4096 * 2)

    def test_keep_versus_free_rss(self):
        keep = self.figure("keep/mib:16/iterations:4", "peak_rss_delta_bytes")
        free = self.figure("free/mib:16/iterations:4", "peak_rss_delta_bytes")
        for k in keep:
            self.assertPeak(k, 64 * MIB)
        for f in free:
            self.assertPeak(f, 16 * MIB)

    def test_deletable_work_was_kept_by_the_barrier(self):
        for peak in self.figure("deletable/mib:64/iterations:1", "peak_rss_delta_bytes"):
            self.assertPeak(peak, 64 * MIB)


def load_tests(loader, tests, pattern):
    suite = unittest.TestSuite()
    for fixture in FIXTURES:
        name = os.path.basename(fixture)
        cls = type(name.replace("-", "_"), (MemoryFigures, unittest.TestCase),
                   {"fixture": fixture})
        suite.addTests(loader.loadTestsFromTestCase(cls))
    return suite


if __name__ == "__main__":
    if len(sys.argv) < 2:
        sys.exit("usage: test_mem.py FIXTURE [FIXTURE ...]")
    FIXTURES = [os.path.abspath(a) for a in sys.argv[1:]]
    del sys.argv[1:]
    unittest.main()
