"""Benchmarking two commits against each other (scripts/compare-commits).

compare_commits(opts) builds the retention benchmark of two revisions, each
in its own git worktree and build folder under a private temporary folder,
runs the two binaries alternately (A B B A A B ..., one invocation of each per
round) so that drift of the machine hits both alike, merges each side's
rounds into one results CSV under the output folder, and returns the two
paths; the caller runs compare.py on them.

Nothing of the user's work tree is touched: the worktrees are registered in
the repository's .git and removed again (also on error and interruption).

Every failure is a CommitsError whose str() is one line (or, for a failed
build or run, one line followed by the tail of its log); the CLI prints it
and exits with status 2. A failure after the temporary folder was made
keeps that folder (logs, per-round CSVs) and says where it is.
"""

import csv
import io
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time

from . import results
from .results import ResultsError

ALLOCATORS = ("glibc", "mimalloc", "jemalloc")

# Flags the script sets itself; giving them after "--" would break the
# rounds (file names, repetition numbering), so they are refused.
RESERVED_FLAGS = ("--csv-dir", "--run-id", "--no-csv",
                  "--benchmark_repetitions", "--help", "--version")

# Benchmark flags when none are given after "--": a sweep of seconds.
DEFAULT_FLAGS = ("--quick", "--benchmark_min_time=0.05")
# One sample per process and case: repetitions within a process are not
# independent of each other (see compare-commits --help).
DEFAULT_ROUNDS = 10
DEFAULT_REPETITIONS = 1

LOG_TAIL = 15  # lines of a failed build's or run's log shown


class CommitsError(Exception):
    """Why the comparison cannot go on; str() is what the user reads."""


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
        self.log = log or (lambda line: print(line, file=sys.stderr))


def target_name(allocator):
    """The CMake target (and binary name) of the retention benchmark."""
    if allocator == "glibc":
        return "slicebench-retention"
    return f"slicebench-retention-{allocator}"


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


# ---------------------------------------------------------------------------
# Merging rounds
# ---------------------------------------------------------------------------

def merge_rounds(paths, repetitions, out):
    """Write one results CSV from the per-round files `paths` to file `out`.

    paths[r] is round r (0-based), a results CSV written with
    --benchmark_repetitions=repetitions. The output keeps the metadata lines
    of round 0 and every repetition row of every round, with repetition i
    of round r renumbered r * repetitions + i, so that all stay distinct;
    aggregate rows (mean, median, ... of one round) are dropped. Cell text
    is copied unchanged. Returns the number of rows written. Raises
    CommitsError when the rounds do not fit together.
    """
    header = None
    rows_out = 0
    writer = csv.writer(out, lineterminator="\n")
    for r, path in enumerate(paths):
        try:
            with open(path, encoding="utf-8", newline="") as f:
                text = f.read()
        except (OSError, UnicodeDecodeError) as e:
            raise CommitsError(f"{path}: cannot read: {e}") from None
        lines = text.splitlines()
        n_meta = next((i for i, ln in enumerate(lines)
                       if not ln.startswith("#")), len(lines))
        reader = csv.reader(io.StringIO("\n".join(lines[n_meta:])))
        this_header = next(reader, None)
        if this_header is None:
            raise CommitsError(f"{path}: no header row")
        if header is None:
            header = this_header
            for name in ("repetition", "aggregate"):
                if name not in header:
                    raise CommitsError(f"{path}: no column {name}")
            rep_col = header.index("repetition")
            agg_col = header.index("aggregate")
            for line in lines[:n_meta]:
                out.write(line + "\n")
            writer.writerow(header)
        elif this_header != header:
            raise CommitsError(f"{path}: columns differ from those of "
                               f"{paths[0]}")
        for lineno, cells in enumerate(reader, start=n_meta + 2):
            if not cells:
                continue
            if len(cells) != len(header):
                raise CommitsError(f"{path}:{lineno}: {len(cells)} cells, "
                                   f"header has {len(header)}")
            if cells[agg_col] != "":
                continue
            if cells[rep_col] != "":
                try:
                    i = int(cells[rep_col])
                except ValueError:
                    raise CommitsError(f"{path}:{lineno}: repetition "
                                       f"{cells[rep_col]!r} is not a "
                                       "number") from None
                if not 0 <= i < repetitions:
                    raise CommitsError(f"{path}:{lineno}: repetition {i} "
                                       f"outside 0..{repetitions - 1}")
                cells[rep_col] = str(r * repetitions + i)
            writer.writerow(cells)
            rows_out += 1
    if header is None:
        raise CommitsError("no round to merge")
    return rows_out


def create_pair(out_dir, stem):
    """Create <stem>_a.csv and <stem>_b.csv in out_dir, neither existing.

    Exclusive creation (O_EXCL): an existing file is never touched; on a
    clash the stem gets ".2", ".3", ... Returns the two paths (empty files).
    """
    for n in range(1, 1000):
        s = stem if n == 1 else f"{stem}.{n}"
        a, b = (os.path.join(out_dir, f"{s}_{x}.csv") for x in "ab")
        try:
            open(a, "x").close()
        except FileExistsError:
            continue
        try:
            open(b, "x").close()
        except FileExistsError:
            os.unlink(a)
            continue
        return a, b
    raise CommitsError(f"{out_dir}: no free name for {stem}_a.csv")


# ---------------------------------------------------------------------------
# Git
# ---------------------------------------------------------------------------

def _git(repo, *args, check=True):
    p = subprocess.run(["git", "-C", repo, *args], stdin=subprocess.DEVNULL,
                       capture_output=True, text=True)
    if check and p.returncode != 0:
        last = (p.stderr.strip().splitlines() or ["(no message)"])[-1]
        raise CommitsError(f"git {args[0]}: {last}")
    return p


def toplevel(cwd="."):
    """The work tree root of the repository cwd is in."""
    p = subprocess.run(["git", "-C", cwd, "rev-parse", "--show-toplevel"],
                       stdin=subprocess.DEVNULL, capture_output=True,
                       text=True)
    if p.returncode != 0:
        raise CommitsError(f"{os.path.abspath(cwd)}: not in a git "
                           "repository")
    return p.stdout.strip()


def resolve(repo, rev):
    """The full commit hash of rev; CommitsError if there is none."""
    if rev.startswith("-"):
        raise CommitsError(f"unknown revision {rev!r}")
    p = _git(repo, "rev-parse", "--verify", "--quiet", rev + "^{commit}",
             check=False)
    if p.returncode != 0:
        raise CommitsError(f"unknown revision {rev!r}")
    return p.stdout.strip()


def short(repo, sha):
    return _git(repo, "rev-parse", "--short", sha).stdout.strip()


def check_suite(repo, sha, rev):
    """Raise CommitsError unless commit sha can build the retention target.

    The target's name appears in a CMakeLists.txt of every revision that has
    it (the allocator variants are named from it in a loop).
    """
    if _git(repo, "cat-file", "-e", f"{sha}:CMakeLists.txt",
            check=False).returncode != 0:
        raise CommitsError(f"{rev} does not have the slicebench suite "
                           "(no CMakeLists.txt)")
    found = _git(repo, "grep", "-q", "-F", target_name("glibc"), sha, "--",
                 "*CMakeLists.txt", check=False).returncode == 0
    if not found:
        raise CommitsError(f"{rev} does not have the slicebench suite "
                           f"(no {target_name('glibc')} target)")


# ---------------------------------------------------------------------------
# Child processes
# ---------------------------------------------------------------------------

def _tail(path, n=LOG_TAIL):
    """The last n lines of a log, indented; with a parallel build the first
    error may have scrolled further up, so it leads when not among them."""
    try:
        with open(path, errors="replace") as f:
            lines = f.read().splitlines()
    except OSError:
        return ""
    shown = lines[-n:]
    first = next((ln for ln in lines
                  if "error:" in ln or "CMake Error" in ln), None)
    if first is not None and first not in shown:
        shown = [first, "..."] + shown
    return "\n".join("  " + ln for ln in shown)


def _run(cmd, log_path, cwd=None):
    """Run cmd with its output appended to log_path; return its status.

    The child gets its own process group, so an interruption of this
    script (Ctrl-C, SIGTERM) ends it and all its children (make, the
    compilers) before the folders they write into are removed.
    """
    with open(log_path, "a") as log:
        log.write("$ " + " ".join(cmd) + "\n")
        log.flush()
        p = subprocess.Popen(cmd, cwd=cwd, stdin=subprocess.DEVNULL,
                             stdout=log, stderr=subprocess.STDOUT,
                             start_new_session=True)
        try:
            return p.wait()
        except BaseException:
            _kill_group(p)
            raise


def _kill_group(p):
    for sig, wait in ((signal.SIGTERM, 5), (signal.SIGKILL, None)):
        try:
            os.killpg(p.pid, sig)
        except ProcessLookupError:
            return
        try:
            p.wait(timeout=wait)
            return
        except subprocess.TimeoutExpired:
            continue


class Interrupted(Exception):
    """SIGTERM or SIGHUP arrived: unwind and clean up like Ctrl-C."""


def _on_signal(signum, frame):
    raise Interrupted(signal.Signals(signum).name)


# ---------------------------------------------------------------------------
# Building and running
# ---------------------------------------------------------------------------

class Side:
    """One revision: where it is checked out, built, and what it wrote."""

    def __init__(self, name, rev, sha, short_sha):
        self.name = name            # "A" or "B"
        self.rev = rev              # as the user wrote it
        self.sha = sha              # full hash
        self.short = short_sha      # abbreviated hash
        self.binary = None          # path of the built benchmark
        self.rounds = []            # per-round results CSVs, in order

    def __str__(self):
        return f"{self.name} {self.rev} ({self.short})"


def build(repo, side, tmp, opts):
    """Check side out into tmp/<name> and build its benchmark target."""
    tag = side.name.lower()
    src = os.path.join(tmp, tag)
    bld = os.path.join(tmp, f"build-{tag}")
    log = os.path.join(tmp, f"build-{tag}.log")
    _git(repo, "worktree", "add", "--quiet", "--detach", src, side.sha)
    target = target_name(opts.allocator)
    configure = ["cmake", "-S", src, "-B", bld, "-DCMAKE_BUILD_TYPE=Release",
                 f"-DSLICEBENCH_MIMALLOC={on_off(opts.allocator, 'mimalloc')}",
                 f"-DSLICEBENCH_JEMALLOC={on_off(opts.allocator, 'jemalloc')}"]
    opts.log(f"compare-commits: building {side} (log {log})")
    start = time.monotonic()
    status = _run(configure, log)
    step = "configure"
    if status == 0:
        step = "build"
        status = _run(["cmake", "--build", bld, "--target", target,
                       f"-j{opts.jobs}"], log)
    binary = os.path.join(bld, "benchmarks", target)
    if status == 0 and not os.access(binary, os.X_OK):
        raise CommitsError(f"{side} built, but {binary} is not there\n"
                           f"  (log: {log})")
    if status != 0:
        raise CommitsError(f"{side} does not build ({step} failed, status "
                           f"{status}); last lines of {log}:\n{_tail(log)}")
    opts.log(f"compare-commits: built {side} in "
             f"{time.monotonic() - start:.0f} s")
    side.binary = binary


def on_off(allocator, name):
    return "ON" if allocator == name else "OFF"


def run_round(side, r, run_id, raw_dir, opts):
    """Run side's binary once (round r, 1-based); record its CSV."""
    cmd = [side.binary, f"--csv-dir={raw_dir}", f"--run-id={run_id}",
           f"--benchmark_repetitions={opts.repetitions}"]
    if opts.bench_filter is not None:
        cmd.append(f"--benchmark_filter={opts.bench_filter}")
    cmd += opts.flags
    log = os.path.join(raw_dir, f"{run_id}.log")
    start = time.monotonic()
    status = _run(cmd, log)
    if status != 0:
        raise CommitsError(f"round {r}: {side} exited with status {status}; "
                           f"last lines of {log}:\n{_tail(log)}")
    csv_path = os.path.join(raw_dir, f"{run_id}_{opts.allocator}.csv")
    if not os.path.exists(csv_path):
        raise CommitsError(f"round {r}: {side} wrote no {csv_path} (did the "
                           f"filter match no benchmark?); see {log}")
    side.rounds.append(csv_path)
    return time.monotonic() - start


def _remove_worktrees(repo, tmp):
    for tag in ("a", "b"):
        path = os.path.join(tmp, tag)
        if os.path.exists(path):
            if _git(repo, "worktree", "remove", "--force", path,
                    check=False).returncode != 0:
                shutil.rmtree(path, ignore_errors=True)
        shutil.rmtree(os.path.join(tmp, f"build-{tag}"), ignore_errors=True)
    _git(repo, "worktree", "prune", check=False)


def compare_commits(opts, cwd="."):
    """Build, run and merge; return (path of A's CSV, path of B's CSV).

    Raises CommitsError (one line, or a line and a log tail) on failure and
    Interrupted on SIGTERM/SIGHUP (KeyboardInterrupt on Ctrl-C); either way
    the worktrees and build folders are gone. The temporary folder with the
    logs and per-round CSVs is kept when a build or run failed (its path is
    in the message) or with opts.keep_temp, else removed.
    """
    check_flags(opts.flags, opts.bench_filter)
    repo = toplevel(cwd)
    # Both revisions resolve before either is looked into.
    shas = [resolve(repo, rev) for rev in (opts.rev_a, opts.rev_b)]
    a, b = (Side(name, rev, sha, short(repo, sha)) for name, rev, sha
            in zip("AB", (opts.rev_a, opts.rev_b), shas))
    for side in (a, b):
        check_suite(repo, side.sha, f"{side.rev} ({side.short})")
    out_dir = opts.out_dir or os.path.join(repo, "results")

    tmp = tempfile.mkdtemp(prefix="slicebench-compare-")
    raw_dir = os.path.join(tmp, "rounds")
    os.mkdir(raw_dir)
    old = {s: signal.signal(s, _on_signal)
           for s in (signal.SIGTERM, signal.SIGHUP)}
    keep = opts.keep_temp
    try:
        try:
            build(repo, a, tmp, opts)
            if b.sha == a.sha:
                opts.log(f"compare-commits: {a.rev} and {b.rev} are one "
                         "commit: A/A comparison of one build")
                b.binary = a.binary
            else:
                build(repo, b, tmp, opts)
            # A B, then B A, ...: whatever running second does to a run
            # (a warmer machine, a cooler one) falls on each side equally.
            for r in range(1, opts.rounds + 1):
                if r % 2:
                    ta = run_round(a, r, f"a-r{r}", raw_dir, opts)
                    tb = run_round(b, r, f"b-r{r}", raw_dir, opts)
                else:
                    tb = run_round(b, r, f"b-r{r}", raw_dir, opts)
                    ta = run_round(a, r, f"a-r{r}", raw_dir, opts)
                opts.log(f"compare-commits: round {r}/{opts.rounds}: "
                         f"A {ta:.1f} s, B {tb:.1f} s")
            return write_merged(a, b, out_dir, opts)
        except CommitsError as e:
            keep = True
            sep = "\n" if "\n" in str(e) else " "
            raise CommitsError(f"{e}{sep}(temporary folder kept: {tmp})") \
                from None
        finally:
            _remove_worktrees(repo, tmp)
    finally:
        for s, handler in old.items():
            signal.signal(s, handler)
        if keep:
            if opts.keep_temp:
                opts.log(f"compare-commits: logs and rounds kept in {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)


def write_merged(a, b, out_dir, opts):
    """Merge each side's rounds into a new pair of files in out_dir."""
    try:
        os.makedirs(out_dir, exist_ok=True)
    except OSError as e:
        raise CommitsError(f"{out_dir}: cannot create: {e.strerror}") \
            from None
    stamp = time.strftime("%Y%m%dT%H%M%SZ", time.gmtime())
    paths = create_pair(out_dir, f"{stamp}_compare_{a.short}_vs_{b.short}")
    try:
        for side, path in zip((a, b), paths):
            with open(path, "w", encoding="utf-8", newline="") as out:
                n = merge_rounds(side.rounds, opts.repetitions, out)
            try:
                results.load(path)
            except ResultsError as e:
                raise CommitsError(f"merged file not valid: {e}") from None
            opts.log(f"compare-commits: {side}: {n} rows in {path}")
    except BaseException:
        for path in paths:
            os.unlink(path)
        raise
    return paths
