"""Git, child processes and builds for compare-commits: everything that runs
another program.

Revisions: toplevel(cwd), resolve(repo, rev), short(repo, sha),
check_suite(repo, sha, rev). Worktrees: build(repo, side, tmp, opts) checks
a revision out into tmp/<a|b> and builds its benchmark in tmp/build-<a|b>;
remove_worktrees(repo, tmp) removes both (the measurements in tmp stay).
Runs: run_round(side, r, run_id, raw_dir, opts) runs one benchmark
invocation and records its results file.

Every child runs in a process group of its own, with its output appended to
a log: an interruption of compare-commits (Ctrl-C, SIGTERM, SIGHUP, see
on_signal) ends the child and all its children (make, the compilers) before
anything is cleaned up. Every failure is a CommitsError whose str() is one
line, or for a failed build or run one line and the tail of its log.
"""

import os
import shutil
import signal
import subprocess
import time

LOG_TAIL = 15  # lines of a failed build's or run's log shown


class CommitsError(Exception):
    """Why the comparison cannot go on; str() is what the user reads."""


class Interrupted(Exception):
    """SIGTERM or SIGHUP arrived: unwind and clean up like Ctrl-C."""


def on_signal(signum, frame):
    """Signal handler that turns SIGTERM/SIGHUP into Interrupted."""
    raise Interrupted(signal.Signals(signum).name)


def target_name(allocator):
    """The CMake target (and binary name) of the retention benchmark."""
    if allocator == "glibc":
        return "slicebench-retention"
    return f"slicebench-retention-{allocator}"


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


def remove_worktrees(repo, tmp):
    for tag in ("a", "b"):
        path = os.path.join(tmp, tag)
        if os.path.exists(path):
            if _git(repo, "worktree", "remove", "--force", path,
                    check=False).returncode != 0:
                shutil.rmtree(path, ignore_errors=True)
        shutil.rmtree(os.path.join(tmp, f"build-{tag}"), ignore_errors=True)
    _git(repo, "worktree", "prune", check=False)
