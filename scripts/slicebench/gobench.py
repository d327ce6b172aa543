"""Go benchmark output (benchmarks/go) to a slicebench results CSV.

`go test -bench` prints configuration lines ("key: value") and one line per
benchmark run:

    BenchmarkRetention/strategy=copy/N=65536/k=16/M=963/elem=1-2  \
        1000  812.5 ns/op  0.001 GCs/op ... 65552 B/op  2 allocs/op

convert() turns that text into the rows of a results file of schema 2
(slicebench.schema), allocator "go", one row per benchmark line (each
repetition of -count is a row; the n-th line of a name is repetition n-1),
and write() stores it beside the raw text (same stem, .txt), which
benchstat reads as is. One op of these benchmarks is one item, so ns/op is
already per item.

Mapping: real_time_per_item_ns = ns/op; cpu_time_per_item_ns = cpu-ns/op
(process CPU time, every thread: the GC's workers too); held_bytes and
held_reserved_bytes = held-B (the live heap a batch leaves, in the
runtime's block sizes); peak_rss_delta_bytes = peak-RSS-B;
allocs_per_item = heap-allocs/op (allocs/op, rounded down, if absent);
page_faults_per_item = faults/op. GCs/op and B/op have no column: they
stay in the .txt. A "--- SKIP:" benchmark becomes a row with status
"skipped" and its message.

Bad input raises GoBenchError, whose str() is one line.
"""

import datetime
import os
import re
import socket
import subprocess

from slicebench import schema

ALLOCATOR = schema.GO_ALLOCATOR

_CONFIG = re.compile(r"^([a-z][^\s:]*):\s*(.*)$")
_NAME = re.compile(r"^(?P<name>BenchmarkRetention/strategy=(?P<strategy>[a-z-]+)"
                   r"/N=(?P<N>\d+)/k=(?P<k>\d+)/M=(?P<M>\d+)/elem=(?P<elem>\d+))"
                   r"(?:#\d+)?(?:-(?P<procs>\d+))?$")
_SKIP = re.compile(r"^\s*--- SKIP: (\S+)")
_LOG = re.compile(r"^\s+\S+\.go:\d+: (.*)$")
# when a process of the run started: a comment line, which the Go benchmark
# format and benchstat ignore (a configuration line would set every run
# apart from every other in benchstat's tables)
_STARTED = re.compile(r"# started (\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ)")


class GoBenchError(Exception):
    """Go benchmark output that cannot be converted; str() is one line."""


class GoRun:
    """The parsed output: its configuration lines and benchmark lines."""

    def __init__(self, config, benches, started=None):
        self.config = config     # dict: "goos", "cpu", "gogc", ... -> str
        self.benches = benches   # list of dicts: name, params, iters, metrics
        self.started = started   # "YYYY-MM-DDTHH:MM:SSZ" of the first
                                 # "# started" line, or None


def _number(text):
    try:
        value = float(text)
    except ValueError:
        return None
    return value if value == value else None     # NaN is no number


def _params(where, name):
    m = _NAME.match(name)
    if not m:
        raise GoBenchError(f"{where}: {name[:80]!r} is not a slicebench Go "
                           "benchmark (BenchmarkRetention/strategy=S/N=n/k=k/"
                           "M=m/elem=e)")
    if m["strategy"] not in schema.STRATEGY_NAMES:
        raise GoBenchError(f"{where}: unknown strategy {m['strategy']!r}")
    p = {key: int(m[key]) for key in ("N", "k", "M", "elem")}
    if min(p.values()) <= 0:
        raise GoBenchError(f"{where}: {name[:80]!r}: a size of 0")
    p["strategy"] = m["strategy"]
    p["name"] = m["name"]
    p["procs"] = m["procs"]
    return p


def parse(text, source="<input>"):
    """Read `go test -bench` output; raise GoBenchError when it is not
    output of the slicebench Go benchmarks or holds no result."""
    if "\0" in text:
        raise GoBenchError(f"{source}: binary data, not go test output")
    config, benches, started = {}, [], None
    lines = text.splitlines()
    for i, line in enumerate(lines):
        where = f"{source}:{i + 1}"
        m = _STARTED.fullmatch(line)
        if m:
            started = started or m.group(1)     # the run's first process
            continue
        if line.startswith("Benchmark"):
            fields = line.split()
            if len(fields) == 1:          # a name alone: its output follows
                continue
            params = _params(where, fields[0])
            if len(fields) % 2 != 0 or not fields[1].isdigit():
                raise GoBenchError(f"{where}: not a benchmark result line "
                                   "(name, iterations, value-unit pairs)")
            metrics = {}
            for value, unit in zip(fields[2::2], fields[3::2]):
                number = _number(value)
                if number is None:
                    raise GoBenchError(f"{where}: {value[:20]!r} is not a number")
                metrics[unit] = number
            if "ns/op" not in metrics:
                raise GoBenchError(f"{where}: no ns/op figure")
            if metrics["ns/op"] <= 0:
                raise GoBenchError(f"{where}: ns/op {metrics['ns/op']:g}, "
                                   "a time must be above zero")
            benches.append({"params": params, "iters": int(fields[1]),
                            "metrics": metrics, "skipped": None})
            continue
        skip = _SKIP.match(line)
        if skip:
            params = _params(where, skip.group(1))
            message = ""        # b.Skipf's line: printed before, or after
            for j in (i - 1, i + 1):
                if 0 <= j < len(lines) and _LOG.match(lines[j]):
                    message = _LOG.match(lines[j]).group(1).strip()
                    break
            benches.append({"params": params, "iters": 0, "metrics": {},
                            "skipped": message or "skipped"})
            continue
        if line.startswith("--- FAIL") or line.startswith("FAIL"):
            raise GoBenchError(f"{where}: the benchmark run failed: {line.strip()[:80]}")
        m = _CONFIG.match(line)
        if m and not line.startswith(" "):
            config[m.group(1)] = m.group(2).strip()
    if not benches:
        raise GoBenchError(f"{source}: no slicebench Go benchmark results "
                           "(go test -bench 'Retention' in benchmarks/go)")
    return GoRun(config, benches, started)


def rule_of(rules, n, k):
    """The first k rule ("16", "N/8") that gives k for n, as the C side
    names it; "" when the run did not say its rules."""
    for rule in rules:
        if rule.startswith("N/"):
            try:
                divisor = int(rule[2:])
            except ValueError:
                continue
            if divisor > 0 and n // divisor == k:
                return rule
        else:
            try:
                size = int(rule)
            except ValueError:
                continue            # a size with a suffix: never 16-like
            if size == k:
                return rule
    return ""


def _fmt(value):
    return "" if value is None else format(value, ".10g")


def rows(run, run_id):
    """The results rows of a parsed run: dicts of column -> text."""
    rules = [r for r in run.config.get("kept-rules", "").split(",") if r]
    seen = {}
    out = []
    for b in run.benches:
        p, mt = b["params"], b["metrics"]
        rep = seen.get(p["name"], 0)
        seen[p["name"]] = rep + 1
        needed = p["M"] * p["k"]
        row = dict.fromkeys(schema.COLUMN_NAMES, "")
        row.update(run_id=run_id, benchmark=p["name"], strategy=p["strategy"],
                   allocator=ALLOCATOR, source_bytes=str(p["N"]),
                   kept_bytes=str(p["k"]), kept_rule=rule_of(rules, p["N"], p["k"]),
                   items=str(p["M"]), elem_bytes=str(p["elem"]),
                   growth_policy="go", repetition=str(rep),
                   gc="go", gogc=_gogc(run.config.get("gogc")),
                   needed_bytes=str(needed))
        if b["skipped"] is not None:
            row.update(status="skipped", message=b["skipped"], batches="0")
            out.append(row)
            continue
        ns = mt["ns/op"]
        cpu = mt.get("cpu-ns/op")
        if cpu is not None and cpu <= 0:
            cpu = None          # below getrusage's resolution: not measured
        held = mt.get("held-B")
        peak = mt.get("peak-RSS-B")
        allocs = mt.get("heap-allocs/op", mt.get("allocs/op"))
        row.update(
            status="ok",
            batches=str(-(-b["iters"] // p["M"])),
            real_time_per_item_ns=_fmt(ns),
            cpu_time_per_item_ns=_fmt(cpu),
            items_per_second=_fmt(1e9 / ns),
            kept_bytes_per_second=_fmt(1e9 * p["k"] / ns),
            peak_rss_delta_bytes=_fmt(peak),
            held_bytes=_fmt(held),
            held_reserved_bytes=_fmt(held),
            amplification=_fmt(None if held is None else held / needed),
            peak_rss_amplification=_fmt(None if peak is None else peak / needed),
            allocs_per_item=_fmt(allocs),
            page_faults_per_item=_fmt(mt.get("faults/op")))
        out.append(row)
    return out


def _gogc(value):
    """GOGC as the results' gogc column: a percent, "" when off or unknown."""
    if value in (None, "", "unknown"):
        return "100"            # the runtime's default when GOGC is unset
    return value if value.isdigit() else ""


def _git(repo, *args):
    try:
        done = subprocess.run(["git", "-C", repo, *args], capture_output=True,
                              text=True, timeout=10, check=False)
    except (OSError, subprocess.SubprocessError):
        return None
    return done.stdout.strip() if done.returncode == 0 else None


def _cpu_model():
    try:
        with open("/proc/cpuinfo", encoding="utf-8", errors="replace") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.partition(":")[2].strip()
    except OSError:
        pass
    return "unknown"


def metadata(run, run_id=None, repo=None, now=None):
    """The "# key=value" lines' pairs, in order: the C side's keys
    (harness/sb_meta.c) where they apply, and Go's own."""
    cfg = run.config
    # when the run started (its first process's "# started" line), else
    # the time of conversion
    if run.started:
        date = run.started
    else:
        now = now or datetime.datetime.now(datetime.timezone.utc)
        date = now.strftime("%Y-%m-%dT%H:%M:%SZ")
    repo = repo or os.path.dirname(os.path.dirname(os.path.dirname(
        os.path.abspath(__file__))))
    commit = _git(repo, "rev-parse", "HEAD") or "unknown"
    status = _git(repo, "status", "--porcelain", "--untracked-files=no")
    dirty = "unknown" if status is None else ("true" if status else "false")
    if run_id is None:
        run_id = default_run_id(date, commit, dirty)
    procs = cfg.get("gomaxprocs") or next(
        (b["params"]["procs"] for b in run.benches if b["params"]["procs"]), "1")
    go_version = cfg.get("go-version", "unknown")
    gogc = cfg.get("gogc", "unknown")
    limit = cfg.get("gomemlimit", "unknown")
    pairs = [
        ("schema_version", str(schema.SCHEMA_VERSION)),
        ("run_id", run_id),
        ("date", date),
        ("git_commit", commit),
        ("git_dirty", dirty),
        ("host", socket.gethostname() or "unknown"),
        ("cpu_model", cfg.get("cpu") or _cpu_model()),
        ("cpus", str(os.cpu_count() or 1)),
        ("compiler", go_version),
        ("build_type", "go test"),
        ("allocator", ALLOCATOR),
        ("allocator_version", go_version),
        ("allocator_settings", f"GOGC={gogc} GOMEMLIMIT={limit} GOMAXPROCS={procs}"),
        ("go_version", go_version),
        ("gogc", gogc),
        ("gomemlimit", limit),
        ("gomaxprocs", procs),
        ("goos", cfg.get("goos", "unknown")),
        ("goarch", cfg.get("goarch", "unknown")),
        ("benchmark_library_version", f"testing ({go_version})"),
        ("cpu_time", "process CPU time, all threads (cpu-ns/op)"),
    ]
    if "budget-bytes" in cfg:
        pairs.append(("budget_bytes", cfg["budget-bytes"]))
    if "kept-rules" in cfg:
        pairs.append(("kept_rules", cfg["kept-rules"]))
    if "thp-enabled" in cfg:
        pairs.append(("thp_enabled", cfg["thp-enabled"]))
    return [(k, v.replace("\n", " ").replace("\r", " ")) for k, v in pairs]


def default_run_id(date, commit, dirty):
    """The C side's run id: UTC time without '-' and ':', short commit,
    "-dirty" when the tree had changes (sb_run_id)."""
    compact = date.replace("-", "").replace(":", "")
    return f"{compact}_{commit[:7]}{'-dirty' if dirty == 'true' else ''}"


def _cell(text):
    """One CSV cell as the C writer makes it (harness/sb_csv.c): quoted when
    it holds a comma, a quote or edge spaces; no line breaks, no '#'."""
    text = text.replace("\n", " ").replace("\r", " ").replace("#", " ")
    if text and (text[0] == " " or text[-1] == " " or "," in text or '"' in text):
        return '"' + text.replace('"', '""') + '"'
    return text


def render(meta, table):
    """The whole CSV text of metadata pairs and rows."""
    lines = [f"# {k}={v}" for k, v in meta]
    lines.append(",".join(_cell(c) for c in schema.COLUMN_NAMES))
    lines += [",".join(_cell(r[c]) for c in schema.COLUMN_NAMES) for r in table]
    return "\n".join(lines) + "\n"


def _create(path):
    """A new file at path, for text; FileExistsError if there is one."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC, 0o644)
    return os.fdopen(fd, "w", encoding="utf-8", newline="")


def write(out_dir, stem, csv_text, raw_text):
    """Create <stem>.csv and <stem>.txt in out_dir, both new (never an
    existing file: <stem>.2.csv and .2.txt, and so on, when taken, as the C
    writer does). Returns the two paths; OSError when it cannot."""
    for attempt in range(1, 1000):
        base = stem if attempt == 1 else f"{stem}.{attempt}"
        csv_path = os.path.join(out_dir, base + ".csv")
        txt_path = os.path.join(out_dir, base + ".txt")
        if os.path.lexists(csv_path) or os.path.lexists(txt_path):
            continue
        try:
            csv_file = _create(csv_path)
        except FileExistsError:
            continue
        try:
            txt_file = _create(txt_path)
        except OSError as e:
            csv_file.close()
            os.unlink(csv_path)
            if isinstance(e, FileExistsError):
                continue
            raise
        try:
            with csv_file, txt_file:
                csv_file.write(csv_text)
                txt_file.write(raw_text)
        except OSError:
            for path in (csv_path, txt_path):   # no half-made files left
                try:
                    os.unlink(path)
                except OSError:
                    pass
            raise
        return csv_path, txt_path
    raise FileExistsError(f"{out_dir}: {stem}.csv and 998 numbered ones exist")


def convert(raw_text, source="<input>", run_id=None, repo=None, now=None):
    """Raw go test output to (run_id, CSV text)."""
    run = parse(raw_text, source)
    meta = metadata(run, run_id, repo, now)
    run_id = dict(meta)["run_id"]
    return run_id, render(meta, rows(run, run_id))
