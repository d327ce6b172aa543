#!/usr/bin/python3
"""Tests of compare.py's inputs and outputs: readers, bad input of every
class, several files per side, the output stream and the interpreter.

    /usr/bin/python3 tests/python/test_compare_input.py
"""

import json
import os
import random
import shutil
import subprocess
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from test_compare import (BAD, CLI, SCRIPTS, TempDirCase,  # noqa: E402
                          fixture, mk, run_cli, run_main)
from slicebench import compare, compare_stats  # noqa: E402
from slicebench.results import ResultsError  # noqa: E402

MIB = 1 << 20


class TestGBenchReader(TempDirCase):
    def write(self, name, doc):
        with open(self.path(name), "w") as f:
            json.dump(doc, f)
        return self.path(name)

    def test_time_unit_and_errors(self):
        doc = mk.gbench_doc([("BM_A", [1.0, 1.1, 0.9, 1.0, 1.05], {})])
        for e in doc["benchmarks"]:
            e["time_unit"] = "us"
        doc["benchmarks"].insert(0, {
            "name": "BM_B", "run_name": "BM_B", "run_type": "iteration",
            "repetitions": 1, "repetition_index": 0, "threads": 1,
            "error_occurred": True, "error_message": "no memory",
            "iterations": 0, "real_time": 0, "cpu_time": 0,
            "time_unit": "ns"})
        a = self.write("a.json", doc)
        cmp = compare.compare_files(a, a)
        self.assertEqual(len(cmp.rows), 1)
        self.assertAlmostEqual(cmp.rows[0].times["real"].base_median, 1000.0)
        self.assertEqual([(s.label, s.message) for s in cmp.skipped],
                         [("BM_B", "no memory")] * 2)

    def test_aggregates_only(self):
        doc = mk.gbench_doc([("BM_A", [1.0, 1.1, 0.9], {})])
        doc["benchmarks"] = [e for e in doc["benchmarks"]
                             if e["run_type"] == "aggregate"]
        a = self.write("a.json", doc)
        cmp = compare.compare_files(a, a)
        self.assertEqual(cmp.rows[0].times["real"].n_base, 1)
        self.assertTrue(any("only aggregates" in w for w in cmp.warnings))

    def test_repeats_in_name_do_not_split_cases(self):
        rng = random.Random(3)
        a = self.write("a.json", mk.gbench_doc(
            [("BM_A/64/repeats:5", mk.noisy(rng, 100, 5, 0.02), {})]))
        b = self.write("b.json", mk.gbench_doc(
            [("BM_A/64/repeats:10", mk.noisy(rng, 100, 10, 0.02), {})]))
        cmp = compare.compare_files(a, b)
        self.assertEqual([r.label for r in cmp.rows], ["BM_A/64/repeats:5"])
        self.assertEqual(cmp.rows[0].times["real"].n_new, 10)
        self.assertEqual(cmp.only_in_base + cmp.only_in_new, [])

    def test_old_format_without_run_type(self):
        a = "/usr/share/benchmark/gbench/Inputs/test1_run1.json"
        if not os.path.exists(a):
            self.skipTest("libbenchmark-tools examples not installed")
        b = a.replace("run1", "run2")
        labels = [r.label for r in compare.compare_files(a, b).rows]
        self.assertIn("BM_2xSlower", labels)


class TestBadInput(TempDirCase):
    def assertBad(self, base, new, *words):
        status, out, err = run_cli(base, new)
        self.assertEqual(status, 2, err)
        self.assertEqual(out, "")
        self.assertNotIn("Traceback", err)
        lines = err.splitlines()
        self.assertEqual(len(lines), 1, err)
        self.assertTrue(lines[0].startswith("compare.py: "), err)
        for w in words:
            self.assertIn(w, lines[0])
        return lines[0]

    def test_bad_files(self):
        good = fixture("base.csv")
        cases = {
            "missing": (self.path("nope.csv"), "nope.csv: no such file"),
            "empty": (os.path.join(BAD, "empty.csv"), "empty file"),
            "schema": (os.path.join(BAD, "schema99.csv"),
                       "schema99.csv: schema version 99"),
            "column": (os.path.join(BAD, "missing_column.csv"),
                       "missing columns: held_bytes"),
            "number": (os.path.join(BAD, "non_numeric.csv"),
                       "'fast' is not a number"),
            "garbage": (os.path.join(BAD, "garbage.bin"), "garbage.bin: "),
            "not gbench": (os.path.join(BAD, "not_gbench.json"),
                           "without a \"benchmarks\" list"),
        }
        for what, (bad, words) in cases.items():
            with self.subTest(what, side="new"):
                self.assertBad(good, bad, words)
            with self.subTest(what, side="base"):
                self.assertBad(bad, good, words)

    def test_no_common_rows(self):
        self.assertBad(fixture("base.csv"),
                       os.path.join(BAD, "other_cases.csv"),
                       "no case in common", "allocators differ: glibc vs "
                       "mimalloc")

    def test_csv_json_mix(self):
        self.assertBad(fixture("base.csv"), fixture("gb_new.json"),
                       "mismatched runs", "slicebench CSV",
                       "Google Benchmark JSON")

    def test_bad_json(self):
        doc = mk.gbench_doc([("BM_A", [1.0, 1.1, 0.9], {"held_bytes": 5.0})])
        doc["benchmarks"][1]["real_time"] = "slow"
        with open(self.path("a.json"), "w") as f:
            json.dump(doc, f)
        self.assertBad(self.path("a.json"), fixture("gb_new.json"),
                       "real_time 'slow' is not a number")
        doc["benchmarks"][1]["real_time"] = 1.0
        doc["benchmarks"][1]["held_bytes"] = "lots"
        with open(self.path("a.json"), "w") as f:
            json.dump(doc, f)
        self.assertBad(self.path("a.json"), fixture("gb_new.json"),
                       "held_bytes 'lots' is not a number")
        with open(self.path("t.json"), "w") as f:
            f.write('{"benchmarks": [')
        self.assertBad(self.path("t.json"), fixture("gb_new.json"),
                       "not valid JSON")
        with open(self.path("z.json"), "wb") as f:
            f.write(b'{"benchmarks": \0\0\xff}')
        self.assertBad(self.path("z.json"), fixture("gb_new.json"),
                       "binary data")

    def test_all_skipped(self):
        one = [mk.case("retain", [0.0] * 3, None, skipped="no budget")]
        mk.write_csv(self.path("a.csv"), one)
        self.assertBad(self.path("a.csv"), self.path("a.csv"),
                       "no case ran in both files")

    def test_api_raises_results_error(self):
        with self.assertRaises(ResultsError):
            compare.row_verdicts(fixture("base.csv"), fixture("gb_new.json"))


class TestOverflow(TempDirCase):
    def test_many_repetitions(self):
        # 2 / C(1030, 515) is below the smallest float: no OverflowError.
        self.assertLess(compare_stats.min_two_sided_p(515, 515), 1e-300)
        self.assertEqual(compare_stats.min_two_sided_p(600, 700), 0.0)
        rng = random.Random(4)
        mk.write_csv(self.path("a.csv"), [mk.case(
            "retain", mk.noisy(rng, 100.0, 600, 0.02), 0.0)])
        mk.write_csv(self.path("b.csv"), [mk.case(
            "retain", mk.noisy(rng, 110.0, 520, 0.02), 0.0)])
        status, out, err = run_cli(self.path("a.csv"), self.path("b.csv"))
        self.assertEqual((status, err), (1, ""))
        self.assertIn("600/520", out)

    def test_extreme_finite_values(self):
        change, low, high = compare_stats.hodges_lehmann(
            [1e-300] * 5, [1e300] * 5, 0.95)
        self.assertEqual(change, float("inf"))
        self.assertEqual(compare_stats.median([1.7e308, 1.7e308]), 1.7e308)
        mk.write_csv(self.path("a.csv"), [mk.case(
            "retain", [1.0 + i / 10 for i in range(5)], 0.0)])
        mk.write_csv(self.path("b.csv"), [mk.case(
            "retain", [1.7e308 / (1 + i / 10) for i in range(5)], 0.0)])
        for fmt in ("console", "json", "markdown", "benchstat"):
            status, out, err = run_main(self.path("a.csv"),
                                        self.path("b.csv"), "--format", fmt)
            self.assertEqual((status, err), (1, ""), fmt)

    def test_huge_integers_in_json(self):
        doc = mk.gbench_doc([("BM_A", [1.0, 1.1, 0.9, 1.0], {})])
        text = json.dumps(doc)
        for digits in (400, 4300, 5000):
            big = "9" * digits
            bad = text.replace('"iterations": 1000', '"iterations": ' + big,
                               1)
            with open(self.path("a.json"), "w") as f:
                f.write(bad)
            status, out, err = run_main(self.path("a.json"),
                                        self.path("a.json"))
            self.assertEqual(status, 2, (digits, err))
            self.assertNotIn("Traceback", err)
            self.assertEqual(len(err.splitlines()), 1, err)


class TestBadTimes(TempDirCase):
    def assertBad(self, base, words):
        status, out, err = run_main(base, base)
        self.assertEqual((status, out), (2, ""), err)
        self.assertEqual(len(err.splitlines()), 1, err)
        self.assertIn(words, err)

    def test_csv_times(self):
        # The reader or compare refuses each (the wording is the reader's).
        for value in (-3.0, 0.0, float("inf"), float("-inf"), float("nan")):
            times = [10.0, 11.0, value, 12.0]
            mk.write_csv(self.path("a.csv"), [mk.case("retain", times, 0.0)])
            self.assertBad(self.path("a.csv"), "real_time_per_item_ns")

    def test_json_times(self):
        for value in ("-3", "0", "NaN", "Infinity"):
            doc = mk.gbench_doc([("BM_A", [1.0, 1.1, 0.9, 1.0], {})])
            text = json.dumps(doc).replace('"real_time": 1.1,',
                                           f'"real_time": {value},', 1)
            self.assertIn(value, text)
            with open(self.path("a.json"), "w") as f:
                f.write(text)
            self.assertBad(self.path("a.json"), "real_time")


class TestInputFiles(TempDirCase):
    def assertRefused(self, path, words):
        status, out, err = run_main(path, fixture("new.csv"))
        self.assertEqual((status, out), (2, ""), err)
        self.assertEqual(len(err.splitlines()), 1, err)
        self.assertIn(words, err)

    def test_devices_and_fifos(self):
        self.assertRefused("/dev/zero", "not a regular file")
        fifo = self.path("fifo")
        os.mkfifo(fifo)
        self.assertRefused(fifo, "not a regular file")  # no hang

    def test_size_cap(self):
        big = self.path("big.csv")
        with open(big, "wb") as f:     # sparse: no disk used
            f.truncate(300 << 20)
        self.assertRefused(big, "more than the 256 MiB")

    def test_cut_inside_last_cell(self):
        with open(fixture("base.csv"), "rb") as f:
            text = f.read()
        with open(self.path("cut.csv"), "wb") as f:
            f.write(text[:-3])
        self.assertRefused(self.path("cut.csv"), "cut while being written")


class TestOptions(unittest.TestCase):
    def test_errors_are_one_line(self):
        a, b = fixture("base.csv"), fixture("new.csv")
        cases = [((a, b, "--alpha", "2"), "not between 0 and 1"),
                 ((a, b, "--bogus"), "unrecognized arguments: --bogus"),
                 ((a, b, "--format", "xml"), "invalid choice: 'xml'"),
                 ((a,), "expected BASE and NEW, got 1 file"),
                 ((a, b, a), "got 3 file(s)"),
                 (("--base", a), "--base and --new go together"),
                 ((a, "--base", a, "--new", b), "not both"),
                 ((a, b, "--min-effect", "inf"), "finite number"),
                 ((a, b, "--min-effect", "-1"), "finite number")]
        for args, words in cases:
            with self.subTest(args=args):
                status, out, err = run_cli(*args)
                self.assertEqual((status, out), (2, ""), err)
                self.assertEqual(len(err.splitlines()), 1, err)
                self.assertTrue(err.startswith("compare.py: "), err)
                self.assertIn(words, err)

    def test_help(self):
        status, out, err = run_cli("--help")
        self.assertEqual((status, err), (0, ""))
        for words in ("--base FILE", "benchstat -col side", "pair up by "
                      "allocator", "rss_precision_bytes", "Holm"):
            self.assertIn(words, out)


class TestSeveralFiles(TempDirCase):
    def side(self, name, allocator, seed, factor=1.0, run_id="r1",
             cpu="Fixture CPU @ 2.0GHz", reps=6):
        rng = random.Random(seed)
        meta = tuple((k, {"allocator": allocator, "run_id": run_id,
                          "cpu_model": cpu}.get(k, v)) for k, v in mk.META)
        cases = [mk.case(s, mk.noisy(rng, 100.0 * (i + 1) * factor, reps,
                                     0.01), 0.0, allocator=allocator)
                 for i, s in enumerate(("retain", "copy"))]
        mk.write_csv(self.path(name), cases, meta=meta)
        return self.path(name)

    def test_paired_by_allocator(self):
        base = [self.side("bg.csv", "glibc", 1),
                self.side("bm.csv", "mimalloc", 2)]
        new = [self.side("nm.csv", "mimalloc", 3, factor=1.2),
               self.side("ng.csv", "glibc", 4)]
        cmp = compare.compare_files(base, new)
        verdicts = {r.label.rsplit("alloc:", 1)[1] + "/" + r.group:
                    r.time_verdict for r in cmp.rows}
        self.assertEqual(verdicts, {"glibc/retain": "no change",
                                    "glibc/copy": "no change",
                                    "mimalloc/retain": "slower",
                                    "mimalloc/copy": "slower"})
        status, out, err = run_cli("--base", *base, "--new", *new)
        self.assertEqual((status, err), (1, ""))
        self.assertIn("bg.csv", out)
        self.assertIn("nm.csv", out)

    def test_runs_of_one_allocator_pool(self):
        base = [self.side("a1.csv", "glibc", 1, reps=3),
                self.side("a2.csv", "glibc", 2, reps=3, run_id="r2")]
        cmp = compare.compare_files(base, base[0])
        self.assertEqual(cmp.rows[0].times["real"].n_base, 6)
        with self.assertRaises(ResultsError) as e:
            compare.compare_files([base[0], base[0]], base[1])
        self.assertIn("given twice", str(e.exception))
        with self.assertRaises(ResultsError) as e:
            compare.compare_files([base[0], self.side("a3.csv", "glibc", 3)],
                                  base[1])
        self.assertIn("appears twice", str(e.exception))
        with self.assertRaises(ResultsError) as e:
            compare.compare_files([base[0], fixture("gb_base.json")],
                                  base[1])
        self.assertIn("mismatched files", str(e.exception))

    def test_other_machine_or_settings_warned(self):
        a = self.side("a.csv", "glibc", 1)
        b = self.side("b.csv", "glibc", 2, cpu="Other CPU", run_id="r2")
        cmp = compare.compare_files(a, b)
        self.assertEqual(len(cmp.warnings), 1, cmp.warnings)
        self.assertIn("ran on different machines (cpu_model "
                      "'Fixture CPU @ 2.0GHz' vs 'Other CPU')",
                      cmp.warnings[0])
        # A commit or a run id of its own is what a comparison is about.
        self.assertEqual(compare.compare_files(
            a, self.side("c.csv", "glibc", 3, run_id="r3")).warnings, [])

    def test_header_says_the_rss_floor(self):
        out = run_main(fixture("base.csv"), fixture("new.csv"))[1]
        self.assertIn("for bytes, above 4 KiB (peak RSS: above 256 KiB",
                      out)


class TestSchema2Rows(TempDirCase):
    """Rows as a schema 2 reader gives them (run_id and batches columns, no
    aggregate): compare takes the run id from the row."""

    def test_rows_of_schema_2(self):
        from slicebench import compare_input, results, schema
        mk.write_csv(self.path("a.csv"), [mk.case("retain", [10.0] * 3,
                                                  0.0)])
        v1 = results.load(self.path("a.csv"))
        rows = []
        for run in ("r1", "r2"):
            for row in v1.rows:
                if row["aggregate"]:
                    continue
                row = dict(row, run_id=run, batches=row["iterations"])
                rows.append({c: row[c] for c in schema.COLUMN_NAMES})
        saved = results.load
        results.load = lambda path: results.Results(path, v1.meta, rows)
        try:
            side = compare_input.load_side(self.path("a.csv"))
        finally:
            results.load = saved
        (case,) = side.cases.values()
        self.assertEqual([r["id"] for r in case.reps],
                         [("r1", 0), ("r1", 1), ("r1", 2),
                          ("r2", 0), ("r2", 1), ("r2", 2)])
        self.assertEqual(case.reps[0]["ops"], 1000 * 64)


class TestOutputStream(unittest.TestCase):
    args = (fixture("base.csv"), fixture("new.csv"))

    def run_with(self, **kwargs):
        p = subprocess.run([sys.executable, CLI, *self.args],
                           stderr=subprocess.PIPE, text=True, timeout=60,
                           **kwargs)
        self.assertNotIn("Traceback", p.stderr)
        return p.returncode, p.stderr

    def test_closed_stdout(self):
        status, err = self.run_with(stdout=None,
                                    preexec_fn=lambda: os.close(1))
        self.assertEqual(status, 2)
        self.assertEqual(err, "compare.py: standard output is closed; "
                              "nothing written\n")

    def test_full_stdout(self):
        with open("/dev/full", "w") as full:
            status, err = self.run_with(stdout=full)
        self.assertEqual(status, 2)
        self.assertEqual(len(err.splitlines()), 1, err)
        self.assertIn("cannot write the output: No space left", err)

    def test_reader_goes_away(self):
        p = subprocess.run(f"'{sys.executable}' '{CLI}' '{self.args[0]}' "
                           f"'{self.args[1]}' | head -c 10 >/dev/null; "
                           "exit ${PIPESTATUS[0]}", shell=True,
                           executable="/bin/bash", stderr=subprocess.PIPE,
                           text=True, timeout=60)
        self.assertEqual((p.returncode, p.stderr), (1, ""))


class TestInterpreter(unittest.TestCase):
    def test_python_without_the_modules(self):
        """The python3 first on PATH may lack numpy/scipy: compare.py runs
        itself again with /usr/bin/python3."""
        other = shutil.which("python3")
        if other is None or os.path.realpath(other) == os.path.realpath(
                "/usr/bin/python3"):
            self.skipTest("no python3 on PATH other than /usr/bin/python3")
        if subprocess.run([other, "-c", "import scipy"],
                          capture_output=True).returncode == 0:
            self.skipTest(f"{other} has scipy")
        p = subprocess.run([other, CLI, fixture("base.csv"),
                            fixture("new.csv")], capture_output=True,
                           text=True, timeout=60)
        self.assertEqual((p.returncode, p.stderr), (1, ""))
        self.assertIn("REGRESSION", p.stdout)

    def test_missing_module_is_one_line(self):
        code = ("import sys; sys.path.insert(0, %r); "
                "from slicebench import reexec; "
                "reexec.need('compare.py', ('no_such_module_x',), %r, [])"
                % (SCRIPTS, CLI))
        p = subprocess.run([sys.executable, "-c", code], capture_output=True,
                           text=True, timeout=60,
                           env=dict(os.environ, SLICEBENCH_REEXEC="1"))
        self.assertEqual(p.returncode, 2)
        self.assertEqual(len(p.stderr.splitlines()), 1, p.stderr)
        self.assertIn("needs the Python module no_such_module_x", p.stderr)
        # a stderr that cannot take the line: still 2, never a traceback's 1
        with open("/dev/full", "w") as full:
            p = subprocess.run([sys.executable, "-c", code],
                               stdout=subprocess.PIPE, stderr=full, timeout=60,
                               env=dict(os.environ, SLICEBENCH_REEXEC="1"))
        self.assertEqual(p.returncode, 2)


if __name__ == "__main__":
    unittest.main()
