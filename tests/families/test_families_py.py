"""Tests of scripts/slicebench/families.py and scripts/families-table."""
import os
import resource
import subprocess
import sys
import tempfile
import unittest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(ROOT, "scripts"))
from slicebench import families  # noqa: E402

HEADER = ",".join(families.COLUMNS)


def address_space_limit():
    """In a child about to run a case that must be refused: 4 GiB of
    address space, so that a guard that no longer refuses it fails the
    test at an allocation instead of filling the machine's memory."""
    resource.setrlimit(resource.RLIMIT_AS, (4 << 30, 4 << 30))


def text(language, held, kind="families", version="1", header=HEADER):
    return (f"# schema_version={version}\n# kind={kind}\n# run_id=r\n{header}\n"
            f"r,{language},queue,pop_front,1048576,64,64,64,64,{held},,,,15.5,100,5\n"
            f"r,{language},queue,pop_front_nil,1048576,64,64,64,64,512,,,,14.0,100,5\n")


class Parse(unittest.TestCase):
    def test_rows_and_types(self):
        meta, rows = families.parse("f", text("go", 67109376))
        self.assertEqual(meta["kind"], "families")
        self.assertEqual(len(rows), 2)
        self.assertEqual(rows[0]["held_bytes"], 67109376)
        self.assertIsNone(rows[0]["peak_held_bytes"])
        self.assertEqual(rows[0]["time_per_op_ns"], 15.5)

    def test_not_families(self):
        with self.assertRaisesRegex(families.FamiliesError, "^f: not a families"):
            families.parse("f", text("go", 1, kind="retention"))

    def test_other_version(self):
        with self.assertRaisesRegex(families.FamiliesError, "version 2"):
            families.parse("f", text("go", 1, version="2"))

    def test_bad_header_and_cells(self):
        with self.assertRaisesRegex(families.FamiliesError, "header"):
            families.parse("f", text("go", 1, header="a,b"))
        with self.assertRaisesRegex(families.FamiliesError, "held_bytes is not a number"):
            families.parse("f", text("go", "lots"))


class SideBySide(unittest.TestCase):
    def test_pairs_and_table(self):
        _, m = families.parse("m", text("c-model", 67109376))
        _, g = families.parse("g", text("go", 67109376)[:-1].rsplit("\n", 1)[0] + "\n")
        pairs = families.side_by_side(m, g)
        self.assertEqual([(p[0], p[1]) for p in pairs],
                         [("queue", "pop_front"), ("queue", "pop_front_nil")])
        self.assertIsNone(pairs[1][3])
        table = families.markdown(pairs).splitlines()
        self.assertIn("| 67,109,376 | 67,109,376 | yes |", table[2])
        self.assertIn("| NO |", table[3])


class Cli(unittest.TestCase):
    def run_tool(self, *args):
        return subprocess.run([sys.executable, os.path.join(ROOT, "scripts", "families-table"),
                               *args], capture_output=True, text=True)

    def files(self, held_model, held_go):
        d = tempfile.mkdtemp()
        self.addCleanup(lambda: [os.remove(os.path.join(d, f)) for f in os.listdir(d)]
                        or os.rmdir(d))
        paths = []
        for name, content in (("m.csv", text("c-model", held_model)),
                              ("g.csv", text("go", held_go))):
            path = os.path.join(d, name)
            with open(path, "w", encoding="utf-8") as f:
                f.write(content)
            paths.append(path)
        return paths

    def test_agree_differ_bad(self):
        self.assertEqual(self.run_tool(*self.files(5, 5)).returncode, 0)
        p = self.run_tool(*self.files(5, 6))
        self.assertEqual(p.returncode, 1)
        self.assertIn("| NO |", p.stdout)
        p = self.run_tool("/nonexistent.csv", "/nonexistent.csv")
        self.assertEqual(p.returncode, 2)
        self.assertEqual(len(p.stderr.splitlines()), 1)
        self.assertNotIn("Traceback", p.stderr)
        self.assertEqual(self.run_tool().returncode, 2)

    def test_wrong_inputs_are_bad_input(self):
        """Each was a table and status 0 or 1: twice the same side ("yes"
        everywhere), the sides swapped (columns mislabelled), a variant
        twice (the last won), a NaN time, a negative count (status 1)."""
        m, g = self.files(5, 5)
        for args, pattern in [((m, m), "language c-model, not go"),
                              ((g, m), "language go, not c-model")]:
            with self.subTest(args=args):
                p = self.run_tool(*args)
                self.assertEqual(p.returncode, 2, p.stderr)
                self.assertEqual(len(p.stderr.splitlines()), 1, p.stderr)
                self.assertIn(pattern, p.stderr)
        body = text("c-model", 5)
        for bad, pattern in [(body + body.splitlines()[-1] + "\n", "a second time"),
                             (body.replace(",15.5,", ",nan,"), "time_per_op_ns is not a finite"),
                             (body.replace(",64,64,64,64,5,", ",64,64,64,64,-5,"),
                              "held_bytes is not a finite number of 0 or more")]:
            with self.subTest(pattern=pattern):
                with open(m, "w", encoding="utf-8") as f:
                    f.write(bad)
                p = self.run_tool(m, g)
                self.assertEqual(p.returncode, 2, p.stderr)
                self.assertIn(pattern, p.stderr)

    def test_bad_input_with_stderr_full(self):
        """Bad input exits 2 even when stderr cannot take its line: 1 would
        read as "the model and Go differ"."""
        with open("/dev/full", "w") as full:
            p = subprocess.run([sys.executable, os.path.join(ROOT, "scripts", "families-table"),
                                "/nonexistent.csv", "/nonexistent.csv"],
                               stdout=subprocess.PIPE, stderr=full)
        self.assertEqual(p.returncode, 2)


    def test_families_bad_flag_runs_nothing(self):
        """scripts/families with a flag neither side takes: the C side's one
        line and its status 2, and Go is not run (it printed its whole
        flag list, and the script exited 1, "a side wrote no results")."""
        fam = os.path.join(ROOT, "build", "benchmarks", "slicebench-families")
        if not os.access(fam, os.X_OK):
            self.skipTest("no build/ (the script says: build first)")
        results = os.path.join(ROOT, "results")
        # --no-csv: the C side takes it, Go does not (it ran C whole first)
        for flag in ("--bogus", "--no-csv", "--queue=0"):
            with self.subTest(flag=flag):
                before = sorted(os.listdir(results))
                p = subprocess.run([os.path.join(ROOT, "scripts", "families"), flag],
                                   capture_output=True, text=True, timeout=60)
                self.assertEqual(p.returncode, 2)
                self.assertEqual(p.stdout, "")
                self.assertEqual(len(p.stderr.splitlines()), 1, p.stderr)
                self.assertIn(flag, p.stderr)
                self.assertEqual(sorted(os.listdir(results)), before)

    def test_a_run_the_machine_cannot_hold_is_refused(self):
        """A queue of 2^20 items of 1 GiB (1024 TiB) is refused before any
        variant runs: one line that says how much it needs and has, status
        1 (it ran, and the kernel killed what it could not hold)."""
        fam = os.path.join(ROOT, "build", "benchmarks", "slicebench-families")
        if not os.access(fam, os.X_OK):
            self.skipTest("no build/")
        p = subprocess.run([fam, "--no-csv", "--item=1GiB", "--queue=1048576", "--reps=1"],
                           capture_output=True, text=True, timeout=60,
                           preexec_fn=address_space_limit)
        self.assertEqual(p.returncode, 1)
        self.assertEqual(p.stdout, "")
        self.assertEqual(len(p.stderr.splitlines()), 1, p.stderr)
        self.assertRegex(p.stderr, r"^slicebench-families: not run: its largest variant "
                         r"needs about 1024\.0 TiB, only .* of memory available")
        # the Go side (fambench) refuses it the same way
        go = os.path.join(ROOT, "build", "tests", "families", "fambench")
        if os.access(go, os.X_OK):
            p = subprocess.run([go, "-item=1G", "-queue=1048576", "-reps=1"],
                               capture_output=True, text=True, timeout=60,
                               preexec_fn=address_space_limit)
            self.assertEqual(p.returncode, 1)
            self.assertEqual(len(p.stderr.splitlines()), 1, p.stderr)
            self.assertRegex(p.stderr, r"^fambench: not run: its largest variant needs about")
        # and the default run is not refused (its largest variant: 65 MiB)
        p = subprocess.run([fam, "--no-csv", "--quick"], capture_output=True, text=True,
                           timeout=120)
        self.assertEqual(p.returncode, 0, p.stderr)

if __name__ == "__main__":
    unittest.main()
