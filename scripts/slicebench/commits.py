"""Benchmarking two commits against each other (scripts/compare-commits).

compare_commits(opts) builds the retention benchmark of two revisions, each
in its own git worktree and build folder under a private temporary folder,
runs the two binaries alternately (A B B A A B ..., one invocation of each per
round) so that drift of the machine hits both alike, merges each side's
rounds into one results file under the output folder, and returns the two
paths; the caller runs compare.py on them.

The work is split: commits_git runs the programs (git, the builds, the
benchmark, each child in a process group of its own), commits_merge merges
the rounds with the package's results reader. This module holds the options
and the order of things.

Nothing of the user's work tree is touched: the worktrees are registered in
the repository's .git and removed again (also on error and interruption).
Measurements are never lost: the temporary folder (per-round results, logs)
is removed only after both merged files were written and read back; on any
failure or interruption it is kept and the message says where.

Every failure is a CommitsError whose str() is one line (or, for a failed
build or run, one line followed by the tail of its log); the CLI prints it
and exits with status 2.
"""

import os
import shutil
import signal
import sys
import tempfile
import time

from . import commits_git as g
from .commits_git import CommitsError
from .commits_merge import write_merged

ALLOCATORS = ("glibc", "mimalloc", "jemalloc")

# Flags the script sets itself; giving them after "--" would break the
# rounds (file names, repetition numbering), so they are refused.
RESERVED_FLAGS = ("--csv-dir", "--run-id", "--no-csv",
                  "--benchmark_repetitions", "--help", "--version")

# Benchmark flags when none are given after "--": a sweep of seconds.
DEFAULT_FLAGS = ("--quick", "--benchmark_min_time=0.05")
# Every repetition is a sample: 10 rounds of 1 give 10 per side and case,
# enough for a time verdict (compare.py needs at least 4 per side).
DEFAULT_ROUNDS = 10
DEFAULT_REPETITIONS = 1


class Options:
    """What compare-commits was asked to do (the CLI fills it in)."""

    def __init__(self, rev_a, rev_b, bench_filter=None, flags=(),
                 rounds=DEFAULT_ROUNDS, repetitions=DEFAULT_REPETITIONS,
                 allocator="glibc", jobs=2,
                 out_dir=None, keep_temp=False, log=None):
        self.rev_a = rev_a              # revisions as the user wrote them
        self.rev_b = rev_b
        self.bench_filter = bench_filter  # --benchmark_filter regex or None
        self.flags = list(flags) or list(DEFAULT_FLAGS)  # to every run
        self.rounds = rounds            # invocations of each binary
        self.repetitions = repetitions  # --benchmark_repetitions per run
        self.allocator = allocator      # one of ALLOCATORS
        self.jobs = jobs                # parallel build jobs
        self.out_dir = out_dir          # merged CSVs; None: <repo>/results
        self.keep_temp = keep_temp      # keep logs and per-round CSVs
        self.log = log or _stderr_line


def _stderr_line(line):
    """A progress line on stderr; one that cannot be written is passed
    over (the run goes on, and its exit status says how it ended)."""
    try:
        print(line, file=sys.stderr, flush=True)
    except (OSError, ValueError, AttributeError):
        pass


def check_flags(flags, bench_filter):
    """Raise CommitsError if a pass-through flag clashes with ours."""
    for flag in flags:
        name = flag.split("=", 1)[0]
        if name in RESERVED_FLAGS:
            raise CommitsError(f"{name} is set by compare-commits itself; "
                               "leave it out after '--'")
        if name == "--benchmark_filter" and bench_filter is not None:
            raise CommitsError("two benchmark filters: the FILTER argument "
                               "and --benchmark_filter after '--'")


def _sides(opts, cwd):
    """Resolve both revisions (before either is looked into) and check
    that each has the suite; return (repo, side A, side B)."""
    repo = g.toplevel(cwd)
    shas = [g.resolve(repo, rev) for rev in (opts.rev_a, opts.rev_b)]
    a, b = (g.Side(name, rev, sha, g.short(repo, sha)) for name, rev, sha
            in zip("AB", (opts.rev_a, opts.rev_b), shas))
    for side in (a, b):
        g.check_suite(repo, side.sha, f"{side.rev} ({side.short})")
    return repo, a, b


def _measure(repo, a, b, tmp, raw_dir, opts):
    """Build both sides and run the rounds."""
    g.build(repo, a, tmp, opts)
    if b.sha == a.sha:
        opts.log(f"compare-commits: {a.rev} and {b.rev} are one "
                 "commit: A/A comparison of one build")
        b.binary = a.binary
    else:
        g.build(repo, b, tmp, opts)
    # A B, then B A, ...: whatever running second does to a run (a warmer
    # machine, a cooler one) falls on each side equally.
    for r in range(1, opts.rounds + 1):
        order = (a, b) if r % 2 else (b, a)
        took = {}
        for side in order:
            took[side.name] = g.run_round(side, r, f"{side.name.lower()}-r{r}",
                                          raw_dir, opts)
        opts.log(f"compare-commits: round {r}/{opts.rounds}: "
                 f"A {took['A']:.1f} s, B {took['B']:.1f} s")


def compare_commits(opts, cwd="."):
    """Build, run and merge; return (path of A's CSV, path of B's CSV).

    Raises CommitsError (one line, or a line and a log tail) on failure and
    Interrupted on SIGTERM/SIGHUP (KeyboardInterrupt on Ctrl-C); either way
    the worktrees and build folders are gone and the temporary folder with
    the per-round results and logs is kept (its path is in the message, or
    logged for an interruption). On success it is removed unless
    opts.keep_temp.
    """
    check_flags(opts.flags, opts.bench_filter)
    repo, a, b = _sides(opts, cwd)
    out_dir = opts.out_dir or os.path.join(repo, "results")
    try:
        tmp = tempfile.mkdtemp(prefix="slicebench-compare-")
        raw_dir = os.path.join(tmp, "rounds")
        os.mkdir(raw_dir)
    except OSError as e:
        raise CommitsError(f"cannot make a temporary folder: "
                           f"{e.strerror or e}") from None
    old = {s: signal.signal(s, g.on_signal)
           for s in (signal.SIGTERM, signal.SIGHUP)}
    done = False
    try:
        try:
            _measure(repo, a, b, tmp, raw_dir, opts)
            stamp = time.strftime("%Y%m%dT%H%M%SZ", time.gmtime())
            paths = write_merged(
                (("A " + a.rev, a.rounds), ("B " + b.rev, b.rounds)),
                out_dir, f"{stamp}_compare_{a.short}_vs_{b.short}",
                opts.repetitions, opts.log)
            done = True
            return paths
        except OSError as e:        # the temporary folder filled up, ...
            raise CommitsError(f"{getattr(e, 'filename', '') or tmp}: "
                               f"{e.strerror or e}") from None
        finally:
            g.remove_worktrees(repo, tmp)
    except CommitsError as e:
        sep = "\n" if "\n" in str(e) else " "
        raise CommitsError(f"{e}{sep}(every round's results and the logs "
                           f"are kept in {tmp})") from None
    except BaseException:           # Ctrl-C, SIGTERM, SIGHUP
        opts.log(f"compare-commits: every round's results and the logs "
                 f"are kept in {tmp}")
        raise
    finally:
        for s, handler in old.items():
            signal.signal(s, handler)
        if done and opts.keep_temp:
            opts.log(f"compare-commits: logs and rounds kept in {tmp}")
        elif done:
            shutil.rmtree(tmp, ignore_errors=True)
