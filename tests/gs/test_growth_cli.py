#!/usr/bin/python3
"""slicebench-growth's command line: exact output for known cases, and for
each bad argument exit status 2 with exactly one line on stderr.

    test_growth_cli.py PATH/TO/slicebench-growth [unittest arguments]

Standard library only.
"""
import subprocess
import sys
import unittest

TOOL = None


def run(*args):
    return subprocess.run([TOOL, *args], capture_output=True, text=True,
                          timeout=60, check=False)


def csv(header, elem, rows):
    return header + "\n" + "".join(f"{elem},{a},{b}\n" for a, b in rows)


EACH = "elem_size,old_cap,new_cap"
ONESHOT = "elem_size,len,cap"


class KnownOutput(unittest.TestCase):
    def assert_prints(self, args, expected):
        p = run(*args)
        self.assertEqual(p.stderr, "", args)
        self.assertEqual(p.returncode, 0, args)
        self.assertEqual(p.stdout, expected, args)

    def test_go_bytes_to_20(self):
        self.assert_prints(["--elem=1", "--len=20"],
                           csv(EACH, 1, [(0, 8), (8, 16), (16, 32)]))

    def test_defaults_are_go_and_8_bytes(self):
        expected = csv(EACH, 8, [(0, 1), (1, 2), (2, 4), (4, 8)])
        self.assert_prints(["--len=5"], expected)
        self.assert_prints(["--len=5", "--policy=go", "--elem=8"], expected)

    def test_go_threshold_and_size_classes(self):
        p = run("--elem=8", "--len=1300")
        self.assertEqual(p.returncode, 0)
        self.assertEqual(p.stdout.splitlines()[-5:],
                         ["8,128,256", "8,256,512", "8,512,848", "8,848,1280",
                          "8,1280,1792"])

    def test_odd_element_size(self):
        # 3-byte elements: 3 -> 8 bytes holds 2, 12 -> 16 holds 5, ...
        self.assert_prints(["--elem=3", "--len=11"],
                           csv(EACH, 3, [(0, 2), (2, 5), (5, 10), (10, 21)]))

    def test_double(self):
        self.assert_prints(["--policy=double", "--elem=1", "--len=5"],
                           csv(EACH, 1, [(0, 1), (1, 2), (2, 4), (4, 8)]))

    def test_x1_5(self):
        self.assert_prints(["--policy=x1.5", "--elem=4", "--len=7"],
                           csv(EACH, 4, [(0, 1), (1, 2), (2, 3), (3, 4),
                                         (4, 6), (6, 9)]))

    def test_oneshot_go(self):
        self.assert_prints(["--elem=1", "--oneshot=1,9,1025,32769"],
                           csv(ONESHOT, 1, [(1, 8), (9, 16), (1025, 1152),
                                            (32769, 40960)]))
        self.assert_prints(["--oneshot=5", "--elem=3"],
                           csv(ONESHOT, 3, [(5, 5)]))

    def test_oneshot_plain_policies_do_not_round(self):
        self.assert_prints(["--policy=double", "--elem=3", "--oneshot=5,7"],
                           csv(ONESHOT, 3, [(5, 5), (7, 7)]))
        self.assert_prints(["--policy=x1.5", "--oneshot=1000"],
                           csv(ONESHOT, 8, [(1000, 1000)]))

    def test_help(self):
        for flag in ("--help", "-h"):
            p = run(flag)
            self.assertEqual(p.returncode, 0)
            self.assertTrue(p.stdout.startswith("usage: slicebench-growth"))
            self.assertIn("--oneshot", p.stdout)
            self.assertEqual(p.stderr, "")


class BadArguments(unittest.TestCase):
    CASES = [
        ([], "required"),
        (["--foo"], "unknown argument '--foo'"),
        (["-x", "--len=3"], "unknown argument '-x'"),
        (["len=3"], "unknown argument"),
        (["--len", "3"], "--len needs a value"),
        (["--policy"], "--policy needs a value"),
        (["--len="], "not a positive integer"),
        (["--len=0"], "greater than zero"),
        (["--len=-3"], "not a positive integer"),
        (["--len=abc"], "not a positive integer"),
        (["--len=12x"], "not a positive integer"),
        (["--len= 12"], "not a positive integer"),
        (["--len=99999999999999999999999"], "too large"),
        (["--len=3", "--oneshot=4"], "exclude each other"),
        (["--len=1", "--len=2"], "--len given twice"),
        (["--elem=0", "--len=3"], "--elem"),
        (["--elem=-1", "--len=3"], "--elem"),
        (["--elem=1.5", "--len=3"], "--elem"),
        (["--elem=18446744073709551616", "--len=3"], "too large"),
        (["--policy=triple", "--len=3"], "unknown policy 'triple'"),
        (["--policy=", "--len=3"], "unknown policy"),
        (["--policy=GO", "--len=3"], "unknown policy"),
        (["--oneshot=1,,2"], "--oneshot"),
        (["--oneshot=1,0"], "greater than zero"),
        (["--oneshot=5,"], "--oneshot"),
        (["--oneshot=,"], "--oneshot"),
        (["--oneshot=2", "--elem=9223372036854775807"], "overflow"),
        (["--elem=4611686018427387904", "--len=2"], "overflow"),
    ]

    def test_each_exits_2_with_one_line(self):
        for args, needle in self.CASES:
            with self.subTest(args=args):
                p = run(*args)
                self.assertEqual(p.returncode, 2)
                self.assertEqual(p.stdout, "")
                lines = p.stderr.splitlines()
                self.assertEqual(len(lines), 1, p.stderr)
                self.assertTrue(p.stderr.endswith("\n"))
                self.assertTrue(lines[0].startswith("slicebench-growth: "),
                                lines[0])
                self.assertIn(needle, lines[0])


if __name__ == "__main__":
    if len(sys.argv) < 2:
        sys.exit("usage: test_growth_cli.py PATH/TO/slicebench-growth")
    TOOL = sys.argv.pop(1)
    unittest.main(verbosity=2)
