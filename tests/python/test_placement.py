#!/usr/bin/python3
"""Tests of slicebench.placement (where the arrays land, the model against
Go, span by span): the reading of the model's --go-spans lines and of Go's
recorded span events, what is compared (arrays over 32 KiB from the first
one's page, and the marks), where two processes part, and go-record's
refusal of --placement without --model.

Run from anywhere:  /usr/bin/python3 tests/python/test_placement.py [-v]
"""

import os
import subprocess
import sys
import unittest

import testenv  # noqa: F401  first: scripts/ on sys.path, no bytecode

from slicebench import gorecord, placement  # noqa: E402

NAME = "append/gogc:100/N:262144/k:131072/M:228/elem:1/manual_time"
KEY = ("append", 262144, 131072, 1, 100)


def span(kind, addr, pages, size_class=0):
    return {"kind": kind, "ms": 0, "addr": addr, "pages": pages,
            "size_class": size_class}


class Parse(unittest.TestCase):
    def test_lines(self):
        text = (f"go-spans {NAME}: a0+32 s32+1 m f0+32 r32+1 e a0+101\n"
                "something else\n"
                f"go-spans {NAME}:\n")
        got = placement.parse(text)
        self.assertEqual(list(got), [KEY])
        self.assertEqual(got[KEY][0], [("a", 0, 32), ("s", 32, 1), ("m", None, None),
                                       ("f", 0, 32), ("r", 32, 1), ("e", None, None),
                                       ("a", 0, 101)])
        self.assertEqual(got[KEY][1], [])
        self.assertEqual(placement.parse("nothing\n"), {})

    def test_cut_short(self):
        # the model's buffer filled: the tokens before the cut
        got = placement.parse(f"go-spans {NAME}: a0+32 m ...\n")
        self.assertEqual(got[KEY], [[("a", 0, 32), ("m", None, None)]])

    def test_refusals(self):
        for bad in (f"go-spans {NAME}: x0+32\n",               # not a token
                    f"go-spans {NAME}: a0\n",
                    "go-spans append/N:64/k:16/M:1/elem:1: m\n"):  # no --gc=go
            with self.assertRaises(placement.PlacementError, msg=bad):
                placement.parse(bad)


class GoTokens(unittest.TestCase):
    def test_events(self):
        base = gorecord.GO_HEAP
        evs = [{"kind": "free-os-memory", "ms": 0, "released": 1, "retained": 0,
                "goal": None},
               span("span", base + 8192, 1, size_class=26),
               span("span", base + 101 * 8192, 32),
               {"kind": "mark-start", "ms": 1, "heap": 1, "trigger": 1, "goal": 2},
               span("span-free", base + 101 * 8192, 32),
               span("span-free", base + 8192, 1, size_class=26),
               {"kind": "mark-end", "ms": 2, "alloc": 1, "work": 1, "u": 0.3},
               {"kind": "preempt", "ms": 3, "released": 0, "retained": 0, "goal": None}]
        self.assertEqual(placement.go_tokens(evs),
                         [("s", 1, 1), ("a", 101, 32), ("m", None, None),
                          ("f", 101, 32), ("r", 1, 1), ("e", None, None)])


class Compare(unittest.TestCase):
    def test_compared_from_the_first_large_array(self):
        # Go's runtime holds its heap's first pages: the same layout, shifted
        model = [("a", 0, 32), ("s", 32, 1), ("a", 33, 4), ("m", None, None),
                 ("a", 40, 16), ("f", 0, 32), ("e", None, None)]
        go = [("s", 0, 1), ("a", 101, 32), ("m", None, None), ("a", 141, 16),
              ("e", None, None)]
        cm, cg = placement.compared(model), placement.compared(go)
        # small arrays (4 pages: 32 KiB, not a large object) and frees are
        # not compared
        self.assertEqual([x for x, _ in cm],
                         [("a", 0, 32), ("m",), ("a", 40, 16), ("e",)])
        self.assertEqual([i for _, i in cm], [0, 3, 4, 6])
        self.assertEqual([x for x, _ in cg], [x for x, _ in cm])
        self.assertEqual(placement.common(cm, cg), 4)
        self.assertEqual(placement.common(cm, cg[:2]), 2)
        self.assertEqual(placement.common([], cg), 0)

    def test_where_they_part(self):
        model = [("a", 0, 32), ("m", None, None), ("f", 0, 32), ("e", None, None),
                 ("a", 0, 101)]
        go = [("a", 101, 32), ("m", None, None), ("a", 133, 101), ("e", None, None)]
        lines = placement.describe(KEY, [model], [go])
        self.assertEqual(len(lines), 4)
        self.assertIn("placement append N=262144 k=131072 elem=1 GOGC 100", lines[0])
        self.assertIn("the first 2-2 agree (median 2, 1 pairs)", lines[0])
        self.assertIn("parts at item 3", lines[1])
        # the model's mark ends before the array, Go's after it
        self.assertIn("model: ... a0.000+0.250 m f0.000+0.250 [e] a0.000+0.789 ...",
                      lines[2])
        self.assertIn("Go:    ... a0.000+0.250 m [a0.250+0.789] e ...", lines[3])

    def test_agreeing_pairs(self):
        run = [("a", 0, 32), ("m", None, None), ("e", None, None)]
        self.assertIn("agrees throughout", placement.describe(KEY, [run], [run])[1])
        self.assertIn("agrees until one ends (3 against 2 items)",
                      placement.describe(KEY, [run], [run[:2]])[1])
        self.assertIn("no Go processes", placement.describe(KEY, [run], [])[0])
        self.assertIn("no model processes", placement.describe(KEY, [], [run])[0])
        # only small objects' spans and frees on both sides
        small = [("s", 0, 1), ("r", 0, 1)]
        self.assertIn("nothing to compare", placement.describe(KEY, [small], [small])[1])


class Cli(unittest.TestCase):
    def test_placement_needs_the_model(self):
        script = os.path.join(os.path.dirname(__file__), "..", "..", "scripts", "go-record")
        p = subprocess.run([sys.executable, script, "--placement"], capture_output=True,
                           text=True, timeout=60)
        self.assertEqual(p.returncode, 2)
        self.assertIn("--placement: only with --model", p.stderr)
        self.assertEqual(p.stdout, "")


if __name__ == "__main__":
    unittest.main()
