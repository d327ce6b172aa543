#!/usr/bin/python3
"""The C shim, end to end: run shim_fixture with Google Benchmark's own flags
and check that names, arguments, counters, labels and errors come out as the
C code set them -- in the JSON, the CSV, the console and the C sink.

Usage: test_shim.py PATH/TO/shim_fixture
"""
import csv
import io
import json
import os
import subprocess
import sys
import tempfile
import unittest

FIXTURE = None


def run(*flags, check=True):
    """Run the fixture; return (stdout, stderr, exit status)."""
    p = subprocess.run([FIXTURE, *flags], capture_output=True, text=True,
                       timeout=120)
    if check and p.returncode != 0:
        raise AssertionError(f"fixture exited {p.returncode}: {p.stderr}")
    return p.stdout, p.stderr, p.returncode


def run_json(*flags):
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "out.json")
        run(*flags, "--benchmark_format=console", f"--benchmark_out={out}",
            "--benchmark_out_format=json")
        with open(out) as f:
            return json.load(f)


def by_name(doc):
    return {b["name"]: b for b in doc["benchmarks"]}


class NamesArgumentsCounters(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.doc = run_json("--benchmark_filter=^named_args/")
        cls.runs = by_name(cls.doc)

    def test_filter_selects_exactly_the_product(self):
        self.assertEqual(sorted(self.runs), [
            "named_args/n:1/m:10/min_time:0.010",
            "named_args/n:1/m:20/min_time:0.010",
            "named_args/n:2/m:10/min_time:0.010",
            "named_args/n:2/m:20/min_time:0.010",
        ])

    def test_arguments_read_back_by_name_and_position(self):
        for name, b in self.runs.items():
            n = int(name.split("/n:")[1].split("/")[0])
            m = int(name.split("/m:")[1].split("/")[0])
            self.assertEqual(b["n_seen"], n)
            self.assertEqual(b["m_seen"], m)

    def test_counter_flags(self):
        for b in self.runs.values():
            self.assertEqual(b["three_per_iter"], 3.0)       # kAvgIterations
            # kIsRate: divided by the run's CPU time (no UseRealTime here)
            rate = 1000.0 / (b["cpu_time"] * b["iterations"] * 1e-9)
            self.assertAlmostEqual(b["events"] / rate, 1.0, delta=1e-6)
            self.assertEqual(b["bytes_kib"], 2048.0)

    def test_items_bytes_and_label(self):
        for name, b in self.runs.items():
            n = int(name.split("/n:")[1].split("/")[0])
            m = int(name.split("/m:")[1].split("/")[0])
            self.assertIn("items_per_second", b)
            self.assertIn("bytes_per_second", b)
            self.assertAlmostEqual(b["bytes_per_second"] / b["items_per_second"],
                                   m / n, places=6)
            self.assertEqual(b["label"], f"n={n} m={m}")

    def test_context_carries_custom_pairs(self):
        self.assertEqual(self.doc["context"]["fixture"], "shim")


class ErrorsAndControl(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.runs = by_name(run_json(
            "--benchmark_filter=^(skipped|unknown_arg|fixed_iterations|paused"
            "|early_return|no_loop)"))

    def test_skip_with_error(self):
        b = self.runs["skipped"]
        self.assertTrue(b["error_occurred"])
        self.assertEqual(b["error_message"], "deliberate skip: out of cheese")

    def test_unknown_argument_fails_the_run_not_the_process(self):
        b = self.runs["unknown_arg/k:5"]
        self.assertTrue(b["error_occurred"])
        self.assertEqual(b["error_message"],
                         "bm_arg: benchmark 'unknown_arg' has no argument named 'nope'")

    def test_fixed_iterations_and_unit(self):
        b = self.runs["fixed_iterations/iterations:7"]
        self.assertEqual(b["iterations"], 7)
        self.assertEqual(b["iterations_seen"], 7)
        self.assertEqual(b["time_unit"], "us")

    def test_paused_time_is_not_counted(self):
        b = self.runs["paused/iterations:20/real_time"]
        self.assertEqual(b["time_unit"], "ns")
        # 2 ms slept per iteration with the timer paused; a pause/resume
        # pair costs well under 100 us even on a loaded machine.
        self.assertLess(b["real_time"], 100e3)

    def test_early_return_is_timed_and_not_an_error(self):
        b = self.runs["early_return/min_time:0.010"]
        self.assertFalse(b.get("error_occurred", False))
        self.assertGreater(b["iterations"], 1)

    def test_function_without_a_loop_is_an_error(self):
        b = self.runs["no_loop"]
        self.assertTrue(b["error_occurred"])
        self.assertIn("without running its loop", b["error_message"])


class StandardFlags(unittest.TestCase):
    def test_repetitions_and_aggregates(self):
        runs = run_json("--benchmark_filter=^repeated")["benchmarks"]
        kinds = [(b["run_type"], b.get("aggregate_name", "")) for b in runs]
        self.assertEqual(kinds.count(("iteration", "")), 3)
        for agg in ("mean", "median", "stddev", "cv"):
            self.assertIn(("aggregate", agg), kinds)

    def test_items_per_iteration(self):
        # 4 iterations of a 50-item batch, each 1 ms asleep: 200 items of
        # about 20 us each, in every output and every aggregate but cv
        runs = run_json("--benchmark_filter=^batches",
                        "--benchmark_repetitions=3")["benchmarks"]
        reps = [b for b in runs if b["run_type"] == "iteration"]
        aggs = {b["aggregate_name"]: b for b in runs if b["run_type"] == "aggregate"}
        self.assertEqual([b["iterations"] for b in reps], [200] * 3)
        for b in reps + [aggs["mean"], aggs["median"]]:
            self.assertEqual(b["time_unit"], "ns")
            self.assertGreaterEqual(b["real_time"], 1e6 / 50)
            self.assertLess(b["real_time"], 1e6 / 5)
        for b in reps:
            self.assertAlmostEqual(b["items_per_second"] * b["real_time"] * 1e-9,
                                   1.0, delta=1e-6)
        # cv is a fraction, the same per item as per batch
        self.assertAlmostEqual(aggs["cv"]["real_time"],
                               aggs["stddev"]["real_time"] / aggs["mean"]["real_time"],
                               delta=aggs["cv"]["real_time"] * 1e-6)
        out, _, _ = run("--benchmark_filter=^batches", "--benchmark_color=false")
        line = [l for l in out.splitlines() if l.startswith("batches/")][0]
        self.assertEqual(line.split()[5], "200")

    def test_repetitions_flag_overrides_default(self):
        runs = run_json("--benchmark_filter=^fixed_iterations",
                        "--benchmark_repetitions=2")["benchmarks"]
        self.assertEqual(sum(b["run_type"] == "iteration" for b in runs), 2)

    def test_min_time_flag(self):
        runs = run_json("--benchmark_filter=^early_return",
                        "--benchmark_min_time=0.002")["benchmarks"]
        self.assertEqual(len(runs), 1)

    def test_random_interleaving(self):
        runs = run_json("--benchmark_filter=^(fixed_iterations|repeated)",
                        "--benchmark_repetitions=2",
                        "--benchmark_enable_random_interleaving=true")["benchmarks"]
        names = {b["run_name"] for b in runs if b["run_type"] == "iteration"}
        self.assertEqual(names, {"fixed_iterations/iterations:7",
                                 "repeated/iterations:5/repeats:3"})

    def test_csv_out_format(self):
        with tempfile.TemporaryDirectory() as tmp:
            out = os.path.join(tmp, "out.csv")
            run("--benchmark_filter=^named_args/n:1/m:10", f"--benchmark_out={out}",
                "--benchmark_out_format=csv")
            with open(out) as f:
                text = f.read()
        rows = list(csv.DictReader(io.StringIO(text[text.index("name,"):])))
        self.assertEqual([r["name"] for r in rows],
                         ["named_args/n:1/m:10/min_time:0.010"])
        self.assertEqual(rows[0]["label"], "n=1 m=10")

    def test_console_tabular_counters(self):
        out, _, _ = run("--benchmark_filter=^named_args/n:1/m:10",
                        "--benchmark_counters_tabular=true",
                        "--benchmark_color=false")
        header = next(line for line in out.splitlines() if line.startswith("Benchmark"))
        for counter in ("n_seen", "m_seen", "three_per_iter", "events"):
            self.assertIn(counter, header)

    def test_display_json_format(self):
        out, _, _ = run("--benchmark_filter=^skipped", "--benchmark_format=json")
        self.assertEqual(json.loads(out)["benchmarks"][0]["name"], "skipped")

    def test_unknown_flag_exits_2_with_one_line(self):
        _, err, rc = run("--benchmark_bogus=1", check=False)
        self.assertEqual(rc, 2)
        self.assertIn("unrecognized command-line flag: --benchmark_bogus=1", err)


class Sink(unittest.TestCase):
    """The C sink sees what the reporters see, with any display format."""

    def sink_lines(self, *flags):
        with tempfile.TemporaryDirectory() as tmp:
            path = os.path.join(tmp, "sink.txt")
            out, _, _ = run(f"--sink={path}", *flags)
            with open(path) as f:
                return out, [line.rstrip("\n").split("|") for line in f]

    def test_sink_with_console_and_repetitions(self):
        out, lines = self.sink_lines("--benchmark_filter=^(repeated|skipped)",
                                     "--benchmark_color=false")
        self.assertIn("repeated/iterations:5/repeats:3", out)   # console still prints
        reps = [l for l in lines if l[3] == "" and l[1] == "repeated"]
        aggs = [l[3] for l in lines if l[3] != ""]
        self.assertEqual([l[4] for l in reps], ["0", "1", "2"])
        self.assertEqual(sorted(aggs), ["cv", "mean", "median", "stddev"])
        self.assertTrue(all(l[5] == "5" for l in reps))
        skipped = [l for l in lines if l[1] == "skipped"][0]
        self.assertEqual((skipped[7], skipped[8]),
                         ("1", "deliberate skip: out of cheese"))

    def test_sink_per_item(self):
        out, lines = self.sink_lines("--benchmark_filter=^batches",
                                     "--benchmark_format=json",
                                     "--benchmark_repetitions=3")
        gb = {(b["run_type"], b.get("aggregate_name", ""), b.get("repetition_index", -1)): b
              for b in json.loads(out)["benchmarks"]}
        reps = [l for l in lines if l[3] == ""]
        self.assertEqual([l[5] for l in reps], ["200"] * 3)
        for l in lines:
            key = (("aggregate", l[3], -1) if l[3]
                   else ("iteration", "", int(l[4])))
            real_ns = float(l[10].split("=")[1])
            self.assertAlmostEqual(real_ns, gb[key]["real_time"],
                                   delta=gb[key]["real_time"] * 1e-9, msg=l[3])
            if l[3] in ("", "mean", "median"):
                self.assertGreaterEqual(real_ns, 1e6 / 50)
                self.assertLess(real_ns, 1e6 / 5)

    def test_sink_with_json_display(self):
        out, lines = self.sink_lines("--benchmark_filter=^named_args/n:2/m:20",
                                     "--benchmark_format=json")
        gb = json.loads(out)["benchmarks"][0]
        line = lines[0]
        self.assertEqual(line[0], gb["name"])
        self.assertEqual(line[2], "n=2,m=20")
        self.assertEqual(line[6], "n=2 m=20")
        counters = dict(kv.split("=") for kv in line[9].split(","))
        self.assertEqual(float(counters["n_seen"]), 2.0)
        self.assertAlmostEqual(float(counters["items_per_second"]),
                               gb["items_per_second"], delta=gb["items_per_second"] * 1e-9)
        real_ns = float(line[10].split("=")[1])
        self.assertAlmostEqual(real_ns, gb["real_time"], delta=gb["real_time"] * 1e-9)


if __name__ == "__main__":
    if len(sys.argv) < 2:
        sys.exit("usage: test_shim.py PATH/TO/shim_fixture")
    FIXTURE = os.path.abspath(sys.argv.pop(1))
    unittest.main()
