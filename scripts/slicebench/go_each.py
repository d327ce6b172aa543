"""Go's retention benchmarks (benchmarks/go), one case per process.

`go test -bench Retention` runs every case in one process, one after the
other, so each case inherits what the runtime kept from the cases before
it: a heap already faulted in and grown, the pacer's state, pages not yet
given back. A case's figures then depend on which cases ran before it,
which the C binaries rule out by measuring each case in a child process.
Measured on the default sweep's 98 Go cases, five runs of one process
against five runs of a process per case, interleaved (GOMAXPROCS 2): page
faults per item were more than 25 % apart, every run of one side beyond
every run of the other, in 12 of 98 cases, both ways (append-nil at 256
KiB, k = N/2: 12.8-22.6 per item after the cases before it, 44.9-48.1
alone; append at 2 MiB, k = N/2: 352-703 against 18-183), and time per
item in 4 (append-nil at 256 KiB: 44-69 us against 88-123 us).
So this runs the test binary once per case, -test.bench selecting that
case alone:

    exe = build(repo, path)                       # go test -c, offline
    for name in shuffled(names(exe, flags, env), seed):
        text = run_one(exe, name, flags, env)     # one process, its output

and, as a module (scripts/sweep),

    python3 -m slicebench.go_each --out FILE --seed S [GO FLAGS...]

builds build/go-retention.test (--build-dir: in another folder), and
runs every case of GO FLAGS (the Go benchmarks' flags, e.g. -sizes=4KiB
-benchtime=0.01s -count=1) in a process of its own, in an order shuffled
with seed S (written to FILE as the configuration line
"go-case-order-seed: S"), appending each process's output to FILE as soon
as it ends: FILE is never truncated, and what ran before a failure stays
in it. Exit status 1 and one line on stderr on
failure.
"""

import os
import random
import re
import subprocess
import sys

from . import cli

# Go offline, as scripts/sweep has always run it: no module proxy, no user
# settings, its caches in the build folder (env() adds them).
GO_ENV = {"GOPROXY": "off", "GOFLAGS": "", "GOENV": "off"}
EXE_NAME = "go-retention.test"     # in the build folder
TOP = "BenchmarkRetention"
# a case's name as names() gives it: strategy, N, k, M, elem
NAME = re.compile(r"strategy=([^/]+)/N=(\d+)/k=(\d+)/M=(\d+)/elem=(\d+)$")
# go test's own flags among those a sweep passes: the test binary spells
# them -test.NAME
TEST_FLAGS = ("benchtime", "count", "benchmem", "cpu", "timeout")


class GoEachError(Exception):
    """A Go process that failed; str() says which and why, in one line.
    usage: True when it exited 2, refusing its flags (bad input)."""
    usage = False


# the largest GOGC Go 1.19 reads (readGOGC: atoi32); a value it cannot
# read it runs at 100 without a word, and a negative one with the collector
# off
GOGC_MAX = 2**31 - 1


def gogc_values(text):
    """The GOGC values of a comma-separated list (--gogc): each "off" or a
    whole number from 0 to GOGC_MAX; ValueError, one line, for any other,
    which Go would run at some other GOGC without a word."""
    out = []
    for v in text.split(","):
        if v != "off" and not (v.isascii() and v.isdigit() and int(v) <= GOGC_MAX):
            raise ValueError(f"GOGC '{v[:20]}' is not off or a whole number from 0 "
                             f"to {GOGC_MAX}")
        out.append(v)
    return out


def env(repo, build_dir=None, **extra):
    """The environment of a go command, or of the test binary, for the
    checkout at repo: Go's caches in build_dir (default: repo/build)."""
    build = os.path.abspath(build_dir or os.path.join(repo, "build"))  # go wants it absolute
    return dict(os.environ, **GO_ENV, GOCACHE=os.path.join(build, "go-cache"),
                GOPATH=os.path.join(build, "go-path"), **extra)


def check(proc, what):
    """proc's standard output; GoEachError, one line, if it failed."""
    if proc.returncode != 0:
        # the first line of stderr says why (a flag, a panic); else stdout's last
        err = [ln for ln in proc.stderr.splitlines() if ln.strip()]
        out = [ln for ln in proc.stdout.splitlines() if ln.strip()]
        why = err[0] if err else out[-1] if out else "no output"
        e = GoEachError(f"{what} exited {proc.returncode}: {why.strip()[:300]}")
        # it refused the flags it was given (a Go panic or fatal error
        # exits 2 too: a crash, not bad input)
        e.usage = (proc.returncode == 2 and not re.search(
            r"^(panic: |fatal error: )", proc.stderr or "", re.M))
        raise e
    return proc.stdout


def build(repo, exe, environ=None):
    """The Go benchmarks' test binary, built into exe (go test -c), in
    environ (default: env(repo))."""
    check(subprocess.run(["go", "test", "-c", "-o", os.path.abspath(exe), "."],
                         cwd=os.path.join(repo, "benchmarks", "go"),
                         env=environ or env(repo), capture_output=True, text=True),
          "go test -c")
    return exe


def names(exe, flags, environ):
    """The sub-benchmark names the flags select (strategy=S/N=n/...), in
    the order one process would run them."""
    out = check(subprocess.run([exe, "-names", *binary_flags(flags)], env=environ,
                               capture_output=True, text=True), f"{exe} -names")
    found = [ln.strip() for ln in out.splitlines() if ln.startswith("strategy=")]
    if not found:
        raise GoEachError(f"{exe} -names: no cases for the flags {' '.join(flags)}")
    return found


def binary_flags(flags):
    """flags in go test's spelling (-benchtime=1s) as the test binary
    takes them (-test.benchtime=1s); the benchmarks' own flags as given."""
    return ["-test." + f.lstrip("-")
            if f.lstrip("-").split("=", 1)[0] in TEST_FLAGS else f for f in flags]


def pattern(name):
    """The -test.bench pattern that selects exactly the sub-benchmark name."""
    return "/".join(f"^{part}$" for part in [TOP, *name.split("/")])


def run_one(exe, name, flags, environ, stderr=False, both=False):
    """Run the one case name in a process of its own; its standard output
    (with stderr, its standard error: the runtime's GODEBUG traces; with
    both, the two, (stdout, stderr)).
    flags: the benchmark flags, test flags (-benchtime=, -count=) included,
    in go test's spelling. A failed process raises GoEachError, with its
    standard output in .output."""
    args = [exe, "-test.run", "^$", "-test.bench", pattern(name),
            *binary_flags(flags)]
    proc = subprocess.run(args, env=environ, capture_output=True, text=True)
    try:
        out = check(proc, f"{os.path.basename(exe)} {name}")
    except GoEachError as e:
        e.output = proc.stdout
        raise
    if both:
        return out, proc.stderr
    return proc.stderr if stderr else out


def shuffled(items, seed):
    """items in the order of seed (the same seed, the same order)."""
    out = list(items)
    random.Random(seed).shuffle(out)
    return out


def main(argv):
    ap = cli.Parser(
        prog="go_each", description="Run the Go retention benchmarks, one case "
        "per process, in a shuffled order; append their output to a file.")
    ap.add_argument("--out", required=True, help="the file the output is appended to")
    ap.add_argument("--seed", type=int, help="the order's seed (default: random)")
    ap.add_argument("--repo", default=".", help="the checkout (default: .)")
    ap.add_argument("--build-dir", help="where the test binary and Go's caches "
                    "go (default: REPO/build)")
    args, flags = ap.parse_known_args(argv)
    seed = args.seed if args.seed is not None else random.SystemRandom().randrange(1 << 31)
    try:
        build_dir = args.build_dir or os.path.join(args.repo, "build")
        environ = env(args.repo, build_dir)
        exe = build(args.repo, os.path.join(build_dir, EXE_NAME), environ)
        cases = shuffled(names(exe, flags, environ), seed)
        with open(args.out, "a", encoding="utf-8") as out:
            out.write(f"go-case-order-seed: {seed}\n")
            out.flush()
            for name in cases:
                try:
                    text = run_one(exe, name, flags, environ)
                except GoEachError as e:
                    out.write(getattr(e, "output", ""))
                    raise
                out.write(text)
                out.flush()
    except (GoEachError, OSError) as e:
        print(f"go_each: {e}", file=sys.stderr)
        return 1
    print(f"go_each: {len(cases)} cases, one process each, order seed {seed}",
          file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
