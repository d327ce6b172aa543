#!/usr/bin/python3
"""Tests of slicebench.gorecord (what Go's runtime did, recorded
untraced): the parsing of what the recording runtime prints, the patch on
a runtime it does not know, and, with the installed Go, that every
recorded mark is the mark gcpacertrace reports (the same bytes allocated,
the same utilization to its printed percent), that the harness's
runtime.GC calls are there, and that the span counts add up to the
program's allocations (a 256 KiB source a span of its own each; a 32 KiB
one, of a class of one object per span, a new span or one its class
reused), and that the timed run's events are there (its
debug.FreeOSMemory first, a preemption in a run of over 45 ms, scavenger
turns that stop at their goal, each of its cycles a mark's start and end,
each span it took, as its counts have them, and spans its sweeps gave
back), and that the goroutines' stack space the marks are paced to, in
heldBytes' rounds and in the timed run, is harness/gs.h's.

Run from anywhere:  /usr/bin/python3 tests/python/test_gorecord.py [-v]
"""

import os
import re
import subprocess
import tempfile
import unittest

import testenv  # noqa: F401  first: scripts/ on sys.path, no bytecode

from slicebench import go_each, gorecord  # noqa: E402

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))


def gs_h_constant(name):
    """A #define NAME <digits>u of harness/gs.h, as an int."""
    with open(os.path.join(REPO, "harness", "gs.h")) as f:
        return int(re.search(r"#define %s (\d+)u\b" % name, f.read()).group(1))

OUTPUT = """\
slicebench-gc
slicebench-mark u=+9.940451e-001 idle=+0.000000e+000 trigger=15994215 alloc=594377 work=314360 waited=0 space=55296
slicebench-mark u=+4.317594e-001 idle=+7.220000e-001 trigger=63977446 alloc=2156346 work=314104 waited=1 space=55296
slicebench-gc
BenchmarkRetention/strategy=retain	slicebench-mark u=+3.0e-001 idle=+0.0e+000 trigger=1 alloc=2 work=3 waited=0 space=7
slicebench-mark u=+2.5e-001 idle=+0.0e+000 trigger=4 alloc=5 work=6 waited=0 space=8
"""


class Calls(unittest.TestCase):
    def test_marks_per_call(self):
        got = gorecord.calls(OUTPUT)
        self.assertEqual(len(got), 2)                # the marks after the last: none
        self.assertEqual(got[0], [])
        self.assertEqual(got[1], [(0.9940451, 0.0, 15994215, 594377, 314360, False, 55296),
                                  (0.4317594, 0.722, 63977446, 2156346, 314104, True, 55296)])
        self.assertEqual(gorecord.calls(""), [])


class SpanCounts(unittest.TestCase):
    def test_lines(self):
        out = ("slicebench-spans 1 2 3 4 5 6 7 8 9 10 11 12\nslicebench-gc\n"
               "slicebench-spans 0 0 0 0 0 0 0 0 0 0 0 0\nslicebench-exit\n")
        got = gorecord.span_counts(out)
        self.assertEqual(len(got), 2)
        self.assertEqual(got[0], dict(zip(gorecord.SPAN_FIELDS, range(1, 13))))
        self.assertEqual(set(got[1].values()), {0})
        with self.assertRaises(gorecord.RecordError):
            gorecord.span_counts("slicebench-spans 1 2 3\n")


class Events(unittest.TestCase):
    def test_lines(self):
        text = ("slicebench-spans 0 0 0 0 0 0 0 0 0 0 0 0\n"
                "slicebench-event 2 0 78708736 0 0\n"
                "slicebench-event 0 19720 0 0 0\n"
                "slicebench-event 1 20840 0 77594624 18446744073709551615\n"
                "slicebench-event 1 42060 19431424 63963136 63963136\n"
                "slicebench-event 3 43000 46137344 44040192 48234496\n"
                "slicebench-event 7 43000 303856 324432 38912\n"
                "slicebench-event 4 44500 2097152 341808 312500\n"
                "slicebench-event 5 44600 824634818560 32 1\n"
                "slicebench-event 6 44700 824634818560 32 53\n"
                "slicebench-exit\n")
        evs = gorecord.events(text)
        self.assertEqual([e["kind"] for e in evs],
                         ["free-os-memory", "preempt", "scavenger", "scavenger",
                          "mark-start", "mark-scan", "mark-end", "span", "span-free"])
        self.assertEqual((evs[7]["addr"], evs[7]["pages"], evs[7]["size_class"]),
                         (824634818560, 32, 0))
        self.assertEqual(evs[8]["size_class"], 26)
        self.assertEqual((evs[5]["expected"], evs[5]["most"], evs[5]["stack_space"]),
                         (303856, 324432, 38912))
        self.assertEqual(evs[1]["ms"], 19.72)
        self.assertIsNone(evs[2]["goal"])
        self.assertEqual(evs[3]["goal"], 63963136)
        self.assertEqual(evs[3]["released"], 19431424)
        self.assertEqual((evs[4]["heap"], evs[4]["trigger"], evs[4]["goal"]),
                         (46137344, 44040192, 48234496))
        self.assertEqual((evs[6]["alloc"], evs[6]["work"]), (2097152, 341808))
        self.assertAlmostEqual(evs[6]["u"], 0.3125)
        line = gorecord.describe_events(evs)
        self.assertIn("19.7 ms preempted", line)
        self.assertIn("20.8 ms scavenger gave back 0.0 MiB (no goal", line)
        self.assertIn("42.1 ms scavenger gave back 18.5 MiB (goal 61.0 MiB", line)
        self.assertIn("43.0 ms mark starts at 44.0 MiB (goal 46.0 MiB, scan work "
                      "303856 B expected, worst case (maxScanWork) 324432 B, "
                      "stacks' space 38912 B)", line)
        self.assertIn("44.5 ms mark ends, 2.0 MiB allocated from its trigger (u 0.31)", line)
        # one span of 32 pages: the heap it reaches over is its 0.25 MiB
        self.assertTrue(line.endswith("; 1 spans taken from the page heap (reaching "
                                      "over 0.2 MiB of the heap), 1 given back"), line)
        two = evs + [dict(evs[7], addr=evs[7]["addr"] + (10 << 20))]
        self.assertIn("2 spans taken from the page heap (reaching over 10.2 MiB",
                      gorecord.describe_events(two))
        self.assertEqual(gorecord.describe_events([]), "timed run's events: none")
        with self.assertRaises(gorecord.RecordError):
            gorecord.events("slicebench-event 10 1 0 0 0\n")
        # a full buffer: the events it kept, and how many it lost
        full = "slicebench-events-lost 3\nslicebench-event 2 0 0 0 0\n"
        self.assertEqual([e["kind"] for e in gorecord.events(full)], ["free-os-memory"])
        self.assertEqual(gorecord.lost(full), 3)
        self.assertEqual(gorecord.lost(text), 0)
        self.assertEqual(gorecord.describe_events(gorecord.events(full), 3),
                         "timed run's events: the 3 events after these lost "
                         "(the recording buffer was full)")

    def test_sweep_pace_and_runtime_spans(self):
        heap = gorecord.GO_HEAP
        text = ("slicebench-event 2 0 0 0 0\n"
                "slicebench-event 8 100 517 777216 1990000\n"
                f"slicebench-event 9 1400 {heap + 440 * 8192} 4 3\n"
                "slicebench-event 8 2100 604 700000 2300000\n"
                f"slicebench-event 9 2200 {heap + 97 * 8192} 4 1\n"
                f"slicebench-event 9 2300 {heap + 440 * 8192} 4 259\n"
                "slicebench-event 8 2400 509 800000 2100000\n")
        evs = gorecord.events(text)
        self.assertEqual([e["kind"] for e in evs],
                         ["free-os-memory", "sweep-pace", "runtime-span", "sweep-pace",
                          "runtime-span", "runtime-span", "sweep-pace"])
        self.assertEqual((evs[1]["pages"], evs[1]["distance"], evs[1]["basis"]),
                         (517, 777216, 1990000))
        self.assertEqual((evs[2]["what"], evs[2]["pages"], evs[2]["freed"]),
                         ("workbuf", 4, False))
        self.assertEqual((evs[4]["what"], evs[5]["what"], evs[5]["freed"]),
                         ("stack", "workbuf", True))
        line = gorecord.describe_events(evs)
        self.assertIn("1.4 ms the work buffers' span taken, page 440 of the heap", line)
        self.assertIn("2.3 ms the work buffers' span given back, page 440 of the heap",
                      line)
        self.assertNotIn("page 97", line)                  # a stack's: not said
        self.assertIn("3 sweeps paced over 509-604 pages in use (median 517)", line)


class Gogc(unittest.TestCase):
    """--gogc takes what Go reads as given (off, or a whole number), and
    refuses the rest before it builds or runs anything: Go 1.19 runs a
    GOGC it cannot read at 100 without a word, and a negative one with
    the collector off, so a recording would name a GOGC it did not run."""

    def test_values(self):
        self.assertEqual(go_each.gogc_values("100,off,0,400"), ["100", "off", "0", "400"])
        self.assertEqual(go_each.gogc_values(str(go_each.GOGC_MAX)), [str(go_each.GOGC_MAX)])
        for bad in ("x", "100,x", "100,,400", "", "-5", "+5", " 100", "1e3",
                    str(go_each.GOGC_MAX + 1), "\u0663"):
            with self.subTest(bad=bad), self.assertRaises(ValueError) as cm:
                go_each.gogc_values(bad)
            self.assertNotIn("\n", str(cm.exception))

    def test_go_record_refuses(self):
        for bad in ("abc", "100,-5", "99999999999"):
            with self.subTest(bad=bad):
                p = subprocess.run(["/usr/bin/python3", os.path.join(REPO, "scripts", "go-record"),
                                    "--gogc", bad], capture_output=True, text=True, timeout=60)
                self.assertEqual(p.returncode, 2)
                self.assertEqual(p.stdout, "")
                lines = p.stderr.splitlines()
                self.assertEqual(len(lines), 1, p.stderr)
                self.assertTrue(lines[0].startswith("go-record: --gogc: GOGC '"), lines[0])

    def test_model_refuses_first(self):
        """With --model, a GOGC Go reads but the model does not run is
        refused before Go is built or run: the model's one line."""
        binary = os.path.join(REPO, "build", "benchmarks", "slicebench-retention")
        if not os.access(binary, os.X_OK):
            self.skipTest("no built model binary")
        p = subprocess.run(["/usr/bin/python3", os.path.join(REPO, "scripts", "go-record"),
                            "--model", binary, "--gogc", "200000"],
                           capture_output=True, text=True, timeout=20)
        self.assertEqual(p.returncode, 2)       # bad input (it was 1)
        self.assertEqual(p.stdout, "")
        lines = p.stderr.splitlines()
        self.assertEqual(len(lines), 1, p.stderr)
        self.assertIn("GOGC '200000' is not a whole number from 0 to 100000", lines[0])


class Patch(unittest.TestCase):
    def test_unknown_runtime(self):
        with tempfile.TemporaryDirectory() as tmp:
            path = os.path.join(tmp, "mgc.go")
            with open(path, "w") as f:
                f.write("package runtime\n")
            with self.assertRaises(gorecord.RecordError):
                gorecord.patch(path, gorecord.GC_AT, gorecord.GC_BEFORE)
            with open(path) as f:
                self.assertEqual(f.read(), "package runtime\n")   # untouched

    def test_before_and_after(self):
        with tempfile.TemporaryDirectory() as tmp:
            path = os.path.join(tmp, "f.go")
            with open(path, "w") as f:
                f.write("a\nb\nc\n")
            gorecord.patch(path, "b\n", "x\n", "tail\n")
            gorecord.patch(path, "b\n", "y\n", before=True)
            with open(path) as f:
                self.assertEqual(f.read(), "a\ny\nb\nx\nc\ntail\n")


class Recorded(unittest.TestCase):
    """The installed Go, one case: retain at 256 KiB, k = 16, GOGC 400."""

    def test_span_counts_add_up(self):
        sizes = {262144: ("16", 252), 32768: ("N/2", 1819)}
        with tempfile.TemporaryDirectory() as tmp:
            exe = gorecord.build(REPO, tmp)
            environ = go_each.env(REPO, GOMAXPROCS="1", GOGC="100")
            for n, (kept, m) in sizes.items():
                case = f"strategy=append/N={n}/k={n // 2 if kept == 'N/2' else 16}/M={m}/elem=1"
                args = [f"-sizes={n}", f"-kept={kept}", "-elem=1", "-strategies=append",
                        f"-items={m}", "-budget=64MiB", "-count=1", f"-benchtime={2 * m}x"]
                text, out = go_each.run_one(exe, case, args, environ, both=True)
                counts = gorecord.span_counts(out)
                self.assertEqual(len(counts), 14)            # 13 calls, the exit
                self.assertIn(gorecord.EXIT, out)
                timed = counts[-1]                          # two batches of m
                if n > 32768:
                    self.assertGreaterEqual(timed["large_spans"], 2 * m)
                    self.assertGreaterEqual(timed["large_bytes"], 2 * m * n)
                else:
                    got = timed["small_spans"] + timed["one_reused"]
                    self.assertGreaterEqual(got, 2 * m)
                    self.assertLess(got, 2 * m * 1.05)
                    self.assertGreater(timed["one_reused"], 0)
                for c in counts:
                    self.assertLessEqual(c["small_released"], c["small_bytes"])
                    self.assertLessEqual(c["large_released"], c["large_bytes"])
                # the timed run's events, from its debug.FreeOSMemory on:
                # sysmon preempts the program some 20 ms after it was
                # last scheduled, so a timed run longer than 45 ms has a
                # preemption; a scavenger turn gives back nothing without
                # a goal, and stops at its goal (less its last 64 KiB step,
                # or a huge page it would not break)
                evs = gorecord.events(out)
                self.assertTrue(evs)
                self.assertEqual(evs[0]["kind"], "free-os-memory")
                # every span the timed run took is an event, as its counts
                # have it (at 256 KiB each source a large object's 32
                # pages), and its sweeps gave spans back
                spans = [e for e in evs if e["kind"] == "span"]
                large = [e for e in spans if e["size_class"] == 0]
                self.assertEqual(len(large), timed["large_spans"])
                self.assertEqual(len(spans) - len(large), timed["small_spans"])
                if n > 32768:
                    self.assertGreaterEqual(sum(e["pages"] == n // 8192 for e in large),
                                            2 * m)
                self.assertIn("span-free", [e["kind"] for e in evs])
                for e in spans:
                    self.assertGreaterEqual(e["addr"], 0xc000000000)
                    self.assertGreater(e["pages"], 0)
                self.assertEqual(evs[0]["ms"], 0)
                ns = float(re.search(r"([\d.]+) ns/op", text).group(1))
                if ns * 2 * m > 45e6:
                    self.assertIn("preempt", [e["kind"] for e in evs])
                # every cycle of the timed run (its GCs/op) starts and
                # ends there, one at a time, and at most one more after
                # it (the events run to the exit: the harness allocates),
                # which may still be marking at the exit
                gcs = round(float(re.search(r"([\d.]+) GCs/op", text).group(1)) * 2 * m)
                marks = [e["kind"] for e in evs if e["kind"] in ("mark-start", "mark-end")]
                ended = len(marks) // 2
                self.assertGreater(gcs, 0)
                self.assertEqual(marks[:2 * ended], ["mark-start", "mark-end"] * ended)
                self.assertIn(marks[2 * ended:], ([], ["mark-start"]))
                self.assertIn(ended, (gcs, gcs + 1))
                # each mark's start says the scan work it is paced to;
                # in the timed run's marks (not one after it, which the
                # harness's exit may start) the stacks' space is the
                # model's (harness/gs.h: the timed run's
                # debug.FreeOSMemory shrank the benchmark goroutine's
                # stack), and the worst case exceeds the expected work by
                # that space less the stacks scanned, as the model takes
                # it (the heap's pointers made once, before)
                scans = [e for e in evs if e["kind"] == "mark-scan"]
                self.assertEqual(len(scans), marks.count("mark-start"))
                space = gs_h_constant("GS_GO_STACK_SPACE")
                stacks = gs_h_constant("GS_GO_STACKS_SCAN")
                for e in scans[:ended]:
                    self.assertEqual(e["stack_space"], space)
                    self.assertGreater(e["expected"], gs_h_constant("GS_GO_GLOBALS_SCAN"))
                    self.assertLess(abs(e["most"] - e["expected"] - (space - stacks)),
                                    4096, e)
                for e in evs:
                    self.assertGreaterEqual(e["ms"], 0)
                    if e["kind"] == "mark-start":
                        self.assertGreaterEqual(e["heap"], e["trigger"])
                        self.assertLess(e["trigger"], e["goal"])
                    if e["kind"] == "mark-end":
                        self.assertGreater(e["work"], 0)
                    if e["kind"] != "scavenger":
                        continue
                    if e["goal"] is None:
                        self.assertEqual(e["released"], 0)
                    elif e["released"] > 0:
                        self.assertGreaterEqual(e["retained"] + (2 << 20), e["goal"])

    def test_records_what_the_pacer_traces(self):
        case = "strategy=retain/N=262144/k=16/M=252/elem=1"
        args = ["-sizes=262144", "-kept=16", "-elem=1", "-strategies=retain",
                "-items=252", "-budget=64MiB", "-count=1", "-benchtime=504x"]
        with tempfile.TemporaryDirectory() as tmp:
            exe = gorecord.build(REPO, tmp)
            environ = go_each.env(REPO, GOMAXPROCS="1", GOGC="400",
                                  GODEBUG="gcpacertrace=1")
            out = go_each.run_one(exe, case, args, environ, stderr=True)
        calls = gorecord.calls(out)
        # the harness: heldBytes' three rounds, the peak round, the timed run
        self.assertEqual(len(calls), 13)
        marks = [m for call in calls for m in call]
        traced = re.findall(r"pacer: (\d+)% CPU .*? in (\d+) B -> (\d+) B", out)
        # the timed run's marks come after the last call: not printed
        self.assertGreaterEqual(len(traced), len(marks))
        self.assertGreater(len(marks), 3)
        for (u, _, trigger, alloc, _, _, _), (pct, trig, live) in zip(marks, traced):
            self.assertEqual(trigger, int(trig))
            self.assertEqual(alloc, int(live) - int(trig))
            # Go prints int(u x 100); the record, u to 7 digits
            self.assertTrue(int(pct) - 1e-4 <= u * 100 < int(pct) + 1 + 1e-4, (u, pct))
        # heldBytes' first round, its first mark as the program allocated
        first = calls[5][0]
        self.assertFalse(first[5])
        self.assertGreater(first[3], 256 << 10)
        # its marks ran with the deeper stack's space, the model's
        # (harness/gs.h)
        for m in calls[5]:
            self.assertEqual(m[6], gs_h_constant("GS_GO_HELD_STACK_SPACE"))
        # only the mark runtime.GC ended, the last before the call, waited
        for call in calls:
            self.assertFalse(any(m[5] for m in call[:-1]))


if __name__ == "__main__":
    unittest.main()
