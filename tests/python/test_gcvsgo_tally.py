#!/usr/bin/python3
"""Tests of slicebench.gcvsgo_tally (scripts/gc-vs-go --tally) without
running either side: counts and shares over the pairs of hand-made runs,
which runs it refuses, and the command on copies of the committed
reference run (with --go-from, with its output's reader gone, and with
an output that cannot be written).

Run from anywhere:  /usr/bin/python3 tests/python/test_gcvsgo_tally.py [-v]
"""

import os
import re
import shutil
import subprocess
import sys
import tempfile
import unittest

import testenv  # first: REPO, scripts/ on sys.path, no bytecode

REPO = testenv.REPO

from slicebench import compare_stats, gcvsgo, gcvsgo_tally  # noqa: E402

MIB = 1 << 20
REFERENCE = testenv.gc_vs_go_reference()
SCRIPT = os.path.join(REPO, "scripts", "gc-vs-go")


def row(strategy, peak, faults=1.0, gogc=100):
    return {"strategy": strategy, "source_bytes": 4096, "kept_bytes": 16,
            "elem_bytes": 1, "gogc": gogc, "items": 8, "held_bytes": 1000,
            "peak_rss_delta_bytes": peak, "page_faults_per_item": faults}


def run(model, go, thp="madvise"):
    return gcvsgo_tally.Run(model, go, thp)


class Tally(unittest.TestCase):
    def test_go_runs_apart(self):
        # the model of run m (copy at 10 MiB) held to the Go of runs x and
        # y only (copy at 10 and 40 MiB); m's own Go (at 40) and x's and
        # y's models (at 99) count nowhere; a case only m's Go lacks
        # (retain) still counts, one the Go runs lack (exactcap) does not
        m = run([row("copy", 10 * MIB), row("retain", 10 * MIB), row("exactcap", MIB)],
                [row("copy", 40 * MIB)])
        x = run([row("copy", 99 * MIB)],
                [row("copy", 10 * MIB), row("retain", 10 * MIB)])
        y = run([row("copy", 99 * MIB)],
                [row("copy", 40 * MIB), row("retain", 10 * MIB)])
        t = gcvsgo_tally.tally([m], [x, y])
        self.assertEqual(t["cases"], {100: 2})
        self.assertEqual(t["model"]["pairs"], 2)      # m-x, m-y
        self.assertEqual(t["go"]["pairs"], 2)         # x-y, y-x
        self.assertEqual(t["model"]["count"][(100, "peak within")], [2, 1])
        self.assertEqual(t["go"]["count"][(100, "peak within")], [1, 1])
        text = gcvsgo_tally.render(t, ["m"], ["x", "y"])
        self.assertIn("the model of 1 kept run: m", text)
        self.assertIn("Go of 2 kept runs: x, y", text)
        self.assertIn("every --go-from run's Go", text)
        with self.assertRaisesRegex(gcvsgo.GcVsGoError, "no kept run given"):
            gcvsgo_tally.tally([m], [])

    def test_counts_and_shares(self):
        # copy: Go lands at 10 MiB in run a, 20 in run b, the model at 10
        # in both; retain: Go at 10 in both, the model at 30 in both
        a = run([row("copy", 10 * MIB), row("retain", 30 * MIB)],
                [row("copy", 10 * MIB), row("retain", 10 * MIB)])
        b = run([row("copy", 10 * MIB), row("retain", 30 * MIB)],
                [row("copy", 20 * MIB), row("retain", 10 * MIB)])
        t = gcvsgo_tally.tally([a, b])
        self.assertEqual(t["cases"], {100: 2})
        self.assertEqual(t["model"]["pairs"], 4)      # every model, every Go
        self.assertEqual(t["go"]["pairs"], 2)         # a-b and b-a
        # model: copy within against Go a only, retain never
        self.assertEqual(t["model"]["count"][(100, "peak within")], [1, 0, 1, 0])
        self.assertEqual(t["model"]["count"][(100, "faults within")], [2, 2, 2, 2])
        # one repetition a side: Go's interval is its one value, the same count
        self.assertEqual(t["model"]["count"][(100, "peak in interval")], [1, 0, 1, 0])
        # Go: copy 10 against 20 either way is out, retain always within
        self.assertEqual(t["go"]["count"][(100, "peak within")], [1, 1])
        # one process a side: no interval, so no pair has a verdict
        self.assertEqual((t["model"]["passed"], t["go"]["passed"]), (0, 0))
        self.assertEqual((t["model"]["unjudged"], t["go"]["unjudged"]), (4, 2))
        copy = (("copy", 4096, 16, 1, 100), "peak within")
        retain = (("retain", 4096, 16, 1, 100), "peak within")
        self.assertEqual(t["model"]["share"][copy], 0.5)
        self.assertEqual(t["go"]["share"][copy], 0.0)
        self.assertEqual(t["model"]["share"][retain], 0.0)
        self.assertEqual(t["go"]["share"][retain], 1.0)
        text = gcvsgo_tally.render(t, ["a", "b"])
        self.assertIn("2 kept runs: a, b", text)
        self.assertIn("model against Go: 4 pairs", text)
        self.assertIn("Go against Go: 2 pairs", text)
        lines = text.splitlines()
        peak = next(x for x in lines if x.startswith("GOGC 100 peak within"))
        self.assertEqual(peak.split()[4:], ["0.5", "of", "2", "(0-1)", "1.0"])
        within = next(x for x in lines if x.startswith("all figures within"))
        self.assertEqual(within.split()[3:], ["2.5", "of", "4", "3.0"])
        inside = next(x for x in lines if x.startswith("all figures in interval"))
        self.assertEqual(inside.split()[4:], ["2.5", "of", "4", "3.0"])
        passed = next(x for x in lines if x.startswith("pairs whose check passed"))
        self.assertEqual(passed.split()[4:], ["0", "of", "4", "0", "of", "2"])
        # only retain's peak is within less often for the model than for Go,
        # by either bound. Pooled, copy's peak lies on two levels (10 and
        # 20 MiB: Go's in 1 of 2 on the upper, the model's in 0 of 2),
        # shares too alike to list; retain's is a clean shift (Go at 10,
        # the model at 30), no levels
        self.assertEqual(lines[-2], "figures on two levels further apart than the bounds, "
                                    "every process of each side pooled: 1; those whose "
                                    "shares on the upper level differ from Go's (Fisher's "
                                    "exact test, Holm over the 1, p < 0.05):")
        self.assertEqual(lines[-1], "  none")
        lines = lines[:-2]
        self.assertEqual(lines[-2:], [
            "  retain N=4096 k=16 elem=1 GOGC 100 peak in interval: 0.00 / 1.00",
            "  retain N=4096 k=16 elem=1 GOGC 100 peak within: 0.00 / 1.00"])

    def test_pooled_levels(self):
        # every process of each side pooled over two runs. retain lands on
        # 10 or 20 MiB (1 or 2 faults): the model's processes on the upper
        # level in 1 of 30, Go's in 16 of 30, both medians on the lower
        # level in each run: listed, both figures. copy steps from 10 to
        # 11 MiB (1 to 1.1), within the bounds, in shares as far apart (1
        # against 24 of 30): counted nowhere. exactcap's peak steps from 1
        # to 1.5 MiB (under 1 MiB: not two levels), its faults from 0.01
        # to 0.02 (no floor: two levels), 1 against 24 of 30: its faults
        # listed, its peak not
        def procs(strategy, high, lo, hi, flo, fhi, n=15):
            return [row(strategy, hi if i < high else lo, fhi if i < high else flo)
                    for i in range(n)]

        def side(retain, copy, exactcap):
            return (procs("retain", retain, 10 * MIB, 20 * MIB, 1.0, 2.0) +
                    procs("copy", copy, 10 * MIB, 11 * MIB, 1.0, 1.1) +
                    procs("exactcap", exactcap, MIB, 1.5 * MIB, 0.01, 0.02))
        a = run(side(1, 1, 1), side(7, 12, 12))
        b = run(side(0, 0, 0), side(9, 12, 12))
        t = gcvsgo_tally.tally([a, b])
        levels = {(k[0], f): rest for k, f, *rest in t["levels"]}
        self.assertEqual(sorted(levels), [("exactcap", "faults"), ("retain", "faults"),
                                          ("retain", "peak")])
        lv, p, ng, nm, (lo, hi) = levels[("retain", "peak")]
        self.assertEqual((lv.base_high, lv.new_high, ng, nm), (16, 1, 30, 30))
        self.assertEqual((lo, hi), (10 * MIB, 20 * MIB))
        # Holm over the three: the smallest p times 3, and so on
        raw = {k: v[0].p for k, v in levels.items()}
        adjusted = dict(zip(raw, compare_stats.holm(list(raw.values()))))
        for k, v in levels.items():
            self.assertAlmostEqual(v[1], adjusted[k])
        self.assertGreater(levels[("retain", "peak")][1], raw[("retain", "peak")])
        self.assertLess(p, 0.05)
        text = gcvsgo_tally.render(t, ["a", "b"])
        self.assertIn("figures on two levels further apart than the bounds, every process "
                      "of each side pooled: 3;", text)
        self.assertIn("  retain N=4096 k=16 elem=1 GOGC 100 peak: the upper level "
                      "(20.0 MiB, the lower 10.0 MiB) in 1 of 30 of the model's "
                      "processes, 16 of 30 of Go's (p ", text)
        self.assertIn("  exactcap N=4096 k=16 elem=1 GOGC 100 faults: the upper level "
                      "(0.02, the lower 0.01) in 1 of 30 of the model's processes, "
                      "24 of 30 of Go's (p ", text)
        # the same shares on both sides: counted, not listed
        t = gcvsgo_tally.tally([run(procs("retain", 5, 10 * MIB, 20 * MIB, 1.0, 2.0),
                                    procs("retain", 5, 10 * MIB, 20 * MIB, 1.0, 2.0)),
                                run(procs("retain", 6, 10 * MIB, 20 * MIB, 1.0, 2.0),
                                    procs("retain", 6, 10 * MIB, 20 * MIB, 1.0, 2.0))])
        self.assertEqual(len(t["levels"]), 2)
        self.assertTrue(gcvsgo_tally.render(t).endswith("p < 0.05):\n  none"))

    def test_levels_with_processes_between(self):
        # copy lands at 46 or 60 MiB, some processes between (48-54): no
        # gap stands out, so the widest gap finds no levels
        # (compare_stats.level_shares), and the two groups do (cut at 54
        # MiB). Go's on the upper level in 10 of 30, the model's in 24 of
        # 30: listed. A
        # spread within the bounds (40-44 MiB) is not two levels.
        def procs(strategy, peaks):
            return [row(strategy, p * MIB) for p in peaks]
        go = [46, 46.5, 47, 46, 46.2, 47.1, 45.8, 46.6, 49, 51, 55, 59, 60, 61, 62]
        model = [46, 50, 53, 56, 57, 58, 59, 59.5, 60, 60.5, 61, 61.5, 62, 63, 64]
        narrow = [40, 41, 42, 43, 44] * 3
        a = run(procs("copy", model) + procs("retain", narrow),
                procs("copy", go) + procs("retain", narrow))
        b = run(procs("copy", model) + procs("retain", narrow),
                procs("copy", go) + procs("retain", narrow))
        self.assertIsNone(compare_stats.level_shares([p * MIB for p in go * 2],
                                                     [p * MIB for p in model * 2]))
        t = gcvsgo_tally.tally([a, b])
        levels = {(k[0], f): rest for k, f, *rest in t["levels"]}
        self.assertEqual(sorted(levels), [("copy", "peak")])
        lv, p, ng, nm, (lo, hi) = levels[("copy", "peak")]
        self.assertEqual((lv.base_high, lv.new_high, ng, nm), (10, 24, 30, 30))
        self.assertLess(p, 0.05)
        self.assertLess(lo, 48 * MIB)
        self.assertGreater(hi, 58 * MIB)

    def test_one_run_has_no_go_pairs(self):
        t = gcvsgo_tally.tally([run([row("copy", MIB)], [row("copy", MIB)])])
        self.assertEqual((t["model"]["pairs"], t["go"]["pairs"]), (1, 0))
        text = gcvsgo_tally.render(t, ["a"])
        self.assertIn("1 kept run: a", text)
        self.assertIn("model against Go: 1 pair (", text)
        self.assertIn("Go against Go: 0 pairs", text)
        self.assertIn("\n  - (one Go side: no Go pairs)\n", text)

    def test_only_cases_every_run_has(self):
        a = run([row("copy", MIB), row("copy", MIB, gogc=400)],
                [row("copy", MIB), row("copy", MIB, gogc=400)])
        b = run([row("copy", MIB), row("copy", MIB, gogc=400)],
                [row("copy", MIB)])                   # Go b lacks GOGC 400
        t = gcvsgo_tally.tally([a, b])
        self.assertEqual(t["cases"], {100: 1})
        self.assertNotIn((400, "peak within"), t["model"]["count"])
        self.assertNotIn((400, "peak in interval"), t["model"]["count"])
        self.assertIn((100, "peak within"), t["model"]["count"])

    def test_refused(self):
        with self.assertRaisesRegex(gcvsgo.GcVsGoError, "no kept run"):
            gcvsgo_tally.tally([])
        with self.assertRaisesRegex(gcvsgo.GcVsGoError, "differ in transparent huge"):
            gcvsgo_tally.tally([run([row("copy", MIB)], [row("copy", MIB)]),
                                run([row("copy", MIB)], [row("copy", MIB)],
                                    thp="never (off for this process; system madvise)")])
        with self.assertRaisesRegex(gcvsgo.GcVsGoError, "no case that every run"):
            gcvsgo_tally.tally([run([row("copy", MIB)], [row("retain", MIB)])])


class Command(unittest.TestCase):
    """scripts/gc-vs-go --tally on copies of the committed reference run."""

    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.addCleanup(self.tmp.cleanup)

    def copy(self, name, same_go=False):
        """A copy of the reference run; its go.txt longer by as many blank
        lines as copies made so far (the same processes) unless same_go, so
        that it reads as a Go run of its own."""
        made = len(os.listdir(self.tmp.name))
        d = shutil.copytree(REFERENCE, os.path.join(self.tmp.name, name))
        if not same_go:
            with open(os.path.join(d, "go.txt"), "a") as f:
                f.write("\n" * (made + 1))
        return d

    def gc_vs_go(self, *args):
        return subprocess.run([sys.executable, SCRIPT, *args],
                              capture_output=True, text=True)

    def test_two_copies(self):
        a, b = self.copy("a"), self.copy("b")
        p = self.gc_vs_go("--tally", a, b)
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertIn("model against Go: 4 pairs", p.stdout)
        # the same Go twice agrees with itself in every figure
        lines = p.stdout.splitlines()
        total = next(x for x in lines if x.startswith("all figures within"))
        self.assertEqual(total.split()[4:], ["of", "120", "120.0"], total)
        # the model's counts and verdict are the reference run's own check,
        # whatever it was: its summary's lines in Go's interval and its
        # verdict, in every pair
        with open(os.path.join(REFERENCE, "gc-vs-go.txt")) as f:
            kept = f.read()
        in_interval = sum(int(n) for x in kept.splitlines() if " in Go's interval " in x
                          for n in re.findall(r"(?:peak RSS|faults per item) (\d+) of", x))
        self.assertGreater(in_interval, 100)
        total = next(x for x in lines if x.startswith("all figures in interval"))
        self.assertEqual(total.split()[4:], [f"{in_interval:.1f}", "of", "120", "120.0"],
                         total)
        verdict = next(x for x in kept.splitlines() if x.startswith("the check: "))
        ref_passed = verdict.startswith("the check: passed")
        self.assertTrue(ref_passed or verdict.startswith("the check: failed"), verdict)
        passed = next(x for x in lines if x.startswith("pairs whose check passed"))
        self.assertEqual(passed.split()[4:], ["4" if ref_passed else "0", "of", "4",
                                              "2", "of", "2"], passed)
        ref = gcvsgo_tally.load(REFERENCE)
        self.assertIs(gcvsgo.check_passed(gcvsgo.compare(ref.model, ref.go)), ref_passed)
        peak = next(x for x in kept.splitlines() if x.startswith("GOGC 100: peak RSS"))
        within = peak.split("within 25 %/1 MiB in ")[1].split()[0]
        line = next(x for x in p.stdout.splitlines()
                    if x.startswith("GOGC 100 peak within"))
        self.assertEqual(line.split()[4], f"{float(within):.1f}", line)

    def test_a_shared_go_side_counts_once(self):
        """Runs whose go.txt is the same (a run of the model again keeps a
        copy of the Go it was held to) hold their models to that Go once,
        and Go to no copy of itself."""
        a, b = self.copy("a", same_go=True), self.copy("b", same_go=True)
        p = self.gc_vs_go("--tally", a, b)
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertIn("model against Go: 2 pairs", p.stdout)
        self.assertIn("Go against Go: 0 pairs", p.stdout)
        self.assertIn("(1 of the Go runs has the same Go side as an earlier one (a copy): "
                      "counted once)", p.stdout)
        c = self.copy("c")
        p = self.gc_vs_go("--tally", a, b, c)
        self.assertIn("model against Go: 6 pairs", p.stdout)
        self.assertIn("Go against Go: 2 pairs", p.stdout)

    def test_go_from(self):
        # the model of one copy held to the Go of two others: the counts
        # of the same run held to itself, and Go against Go among those
        a, b, c = self.copy("a"), self.copy("b"), self.copy("c")
        p = self.gc_vs_go("--tally", a, "--go-from", b, c)
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertIn("the model of 1 kept run: " + a, p.stdout)
        self.assertIn(f"Go of 2 kept runs: {b}, {c}", p.stdout)
        self.assertIn("model against Go: 2 pairs", p.stdout)
        self.assertIn("Go against Go: 2 pairs", p.stdout)
        alone = self.gc_vs_go("--tally", a, b)
        total = [next(x for x in out.splitlines()
                      if x.startswith("all figures within")).split()[3]
                 for out in (p.stdout, alone.stdout)]
        self.assertEqual(total[0], total[1])
        for args, why in ((["--go-from", b], "--go-from: only with --tally"),
                          (["--tally", a, "--go-from", b, b + "/"],
                           "--go-from: a folder given twice"),
                          (["--tally", a, "--go-from", b, "--keep", c + "x"],
                           "--keep: --tally runs nothing")):
            p = self.gc_vs_go(*args)
            self.assertEqual(p.returncode, 2, args)
            lines = p.stderr.splitlines()
            self.assertEqual(len(lines), 1, p.stderr)
            self.assertTrue(lines[0].startswith(f"gc-vs-go: {why}"), lines[0])
            self.assertTrue(lines[0].endswith(" (see --help)"), lines[0])

    def test_reader_gone(self):
        # a reader that goes away (| head) is not an error: no traceback
        a, b = self.copy("a"), self.copy("b")
        p = subprocess.Popen([sys.executable, SCRIPT, "--tally", a, b],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        p.stdout.close()
        err = p.communicate(timeout=60)[1].decode()
        self.assertEqual(p.returncode, 0, err)
        self.assertEqual(err, "")
        # an output that cannot be written is: one line, exit 1
        with open("/dev/full", "w") as full:
            p = subprocess.run([sys.executable, SCRIPT, "--tally", a, b], stdout=full,
                               stderr=subprocess.PIPE, text=True, timeout=60)
        self.assertEqual(p.returncode, 1, p.stderr)
        self.assertEqual(p.stderr.splitlines(),
                         ["gc-vs-go: cannot write the output: No space left on device"])

    def test_tally_given_twice_adds_up(self):
        a, b = self.copy("a"), self.copy("b")
        p = self.gc_vs_go("--tally", a, "--tally", b)
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertIn("2 kept runs", p.stdout)

    def test_bad_folders(self):
        a = self.copy("a")
        p = self.gc_vs_go("--tally", a, a + "/")
        self.assertEqual(p.returncode, 2)
        self.assertIn("a folder given twice", p.stderr)
        # two files where a run at the fit's clock keeps one: not a kept run
        two = self.copy("two")
        for name in ("model_glibc.csv", "model-x_glibc.csv"):
            shutil.copy(os.path.join(two, "model", "model-0_glibc.csv"),
                        os.path.join(two, name))
        shutil.rmtree(os.path.join(two, "model"))
        self.assertIn("2 model results files", self.gc_vs_go("--tally", two).stderr)
        # aa7d134's layout: its files per case beside the rest, one run
        flat = self.copy("flat")
        for name in os.listdir(os.path.join(flat, "model")):
            os.rename(os.path.join(flat, "model", name), os.path.join(flat, name))
        os.rmdir(os.path.join(flat, "model"))
        p = self.gc_vs_go("--tally", flat, self.copy("nested"))
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertIn("all figures", p.stdout)
        shutil.rmtree(os.path.join(a, "model"))        # its results per case
        for args in ([a], [os.path.join(self.tmp.name, "none")]):
            p = self.gc_vs_go("--tally", *args)
            self.assertEqual(p.returncode, 1, p.stderr)
            self.assertEqual(len(p.stderr.strip().splitlines()), 1, p.stderr)
            self.assertNotIn("Traceback", p.stderr)
        self.assertIn("not a kept run", self.gc_vs_go("--tally", a).stderr)
        for extra in (["--thp=off"], ["--keep", os.path.join(self.tmp.name, "k")],
                      ["--markdown"], ["--repetitions", "15"], ["--gogc", "100"],
                      ["--clock=fit"]):
            p = self.gc_vs_go("--tally", a, *extra)
            self.assertEqual(p.returncode, 2, extra)
        self.assertFalse(os.path.exists(os.path.join(self.tmp.name, "k")))


if __name__ == "__main__":
    unittest.main()
