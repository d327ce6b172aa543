"""The model's Go GC mode (--gc=go) against real Go, case by case: peak RSS
and page faults per item, model / Go, as the ratios of medians over
repetitions.

    cases = model_cases(binary, flags, gogcs)
    exe = build_go(repo, folder)
    outputs = []
    go_rows = run_go(exe, flags, gogcs, reps, span, min_time, cases,
                     outputs=outputs)
    scales = case_scales(outputs)            # Go's speed in each case
    model_rows = run_model(binary, flags, gogcs, reps, span, min_time, folder,
                           scales)               # scales None: the fit's clock
    table = compare(model_rows, go_rows)     # list of dicts, one per case
    print(render(table, markdown=True)); print(summary(table))

Go runs first, and how fast it ran each case sets the model's clock for
that case (case_scales; harness/gs.h, gs_heap_set_go_clock): the clock
paces the model's scavenger, and Go on this machine runs 1.5-2.0x slower
than on the runs gs.h's clock was fit to, as the machine's load moves
(results/GC-VS-GO.md, "Go's speed and the model's clock"). Each case's
clock comes from Go's processes of that case alone, and the model runs
each case (and GOGC) in a run of its own, so that no case's figures
depend on which others the run selected. Without scales (gc-vs-go
--clock=fit), the model runs every case in one run at gs.h's clock.

Both sides measure the same thing (results/README.md): VmHWM over whole
batches from a heap given back, minus the RSS before; minor faults over
those batches, per item. Two spans:

  batches  (default) the same items on both sides: the model's first batch
           and one timed batch (--benchmark_min_time tiny), Go's timed loop
           of exactly 2 x M items (-benchtime=<2M>x, one process per case,
           given the flags of its case alone). Faults per item then mean
           the same on both sides.
  time     the run's usual span: --benchmark_min_time / -benchtime of
           min_time seconds each; the model runs faster than Go, so the
           heap's first faulting-in is spread over more items there.
           One process per case too, given its case's flags alone.

A case is "within" when |model - Go| <= max(25 % of Go, 1 MiB) for the
peak, and <= 25 % of Go for page faults per item (the issue's bounds).

Go's own figures move from process to process: some cases land on one of
two levels (a collection just before a batch's end, or just after it), so
that the median of 15 processes picks one level or the other, and Go's
median misses Go's own from one run to the next (gc-vs-go --go-against).
A median of R processes is known only to within its confidence interval:
Go's median's 95 % interval (compare_stats.median_interval, from the
order statistics, whatever the law's shape; the 4th and 12th of 15) is
where Go's true median lies. A figure is "in Go's interval"
when the model's median lies within the same bounds of some value in it:
between its low end less the bound and its high end plus it. It is the
check's verdict: the check passes when every figure is in Go's
interval and held bytes are equal (check_passed). Where Go's processes
sit tight, the interval is narrow and the verdict is the bounds of the
median; where they split over two levels in like shares, it spans both,
and where they land mostly on one, it holds the model to that one. The
table also keeps Go's spread, its lowest and highest repetition, for the
plot.

Which level a Go process lands on follows details of the process that
have nothing to do with its case. Copy at 240 KiB, k = 2400, elem 24,
GOGC 400, the one case run alone (-test.bench selecting it): its peak was
18.6-21.4 MiB over 10 processes given that case's flags, 26.5-40.1 over 5
given the flags of the whole k-off matrix (which change only the list of
cases the process knows of), and 19.1-40.3 over 10 with its own flags
again but a test binary with one unused global variable added (gctrace:
the heap's marks end at their goal, the next goal grows with what they
marked, and the heap climbs to 40 MB; in the low processes the marks end
1 MB short of it). So a Go process here gets its case's flags alone, and
the figure of a case does not depend on which others the run selected.
"""

import os
import re
import statistics
import subprocess

from . import compare_stats, go_each, gobench, goclock, results

KEY = ("strategy", "source_bytes", "kept_bytes", "elem_bytes", "gogc")
# the subfolder of the model's results files, one per case and GOGC
CASES_DIR = "model"
# a results file of one case and GOGC (run_model)
PER_CASE_FILE = re.compile(r"^model-\d+_[^/]*\.csv$")
# a case as the model's --benchmark_list_tests names it
MODEL_CASE = re.compile(r"^([a-z-]+)/gogc:\d+/N:(\d+)/k:(\d+)/M:(\d+)/elem:(\d+)/manual_time$")
MIB = 1 << 20
TOLERANCE = 0.25
# the confidence of Go's median's interval (the check's verdict)
CONFIDENCE = 0.95
# Go at GOMAXPROCS 1, offline as scripts/sweep runs it (go_each.env).
GO_ENV = {"GOMAXPROCS": "1"}
# What case_filter puts into a regex as it is.
STRATEGY_NAME = re.compile(r"[a-z0-9][a-z0-9-]*")


class GcVsGoError(Exception):
    """A run that failed; str() says which and why. (A process that failed
    raises go_each.GoEachError, also one line.)"""


def case_flags(sizes, kept, elems, strategies, budget):
    """The flags that choose the cases, the same names on both sides."""
    return [f"--sizes={sizes}", f"--kept={kept}", f"--elem={elems}",
            f"--strategies={strategies}", f"--budget={budget}"]


def batch_cases(exe, flags, environ):
    """[(name, args, N, M)] of every Go case the flags select (the order of
    go_each.names), args its flags alone (one_case_flags) for two whole
    batches of M items in one run (-count=1, -benchtime=<2M>x)."""
    out = []
    for name in go_each.names(exe, go_flags(flags), environ):
        s, *sizes = go_each.NAME.match(name).groups()
        n, k, m, e = map(int, sizes)
        out.append((name, [*one_case_flags(flags, s, n, k, m, e), "-count=1",
                           f"-benchtime={2 * m}x"], n, m))
    return out


def model_command(binary, flags, gogcs, reps, span="batches", min_time=None,
                  scale=None):
    """The model's command line for the cases of flags at GOGC gogcs, reps
    measuring processes each, over span: "batches" (the first batch and
    one timed one, as Go's 2 x M items) or "time" (min_time seconds); with
    scale, Go's clock at that scale (--go-clock-scale)."""
    t = min_time if span == "time" else 1e-6
    clock = [] if scale is None else [f"--go-clock-scale={scale:.4g}"]
    return [binary, *flags, "--gc=go", f"--gogc={gogcs}", *clock,
            f"--benchmark_repetitions={reps}", f"--benchmark_min_time={t}"]


def model_cases(binary, flags, gogcs):
    """[(strategy, N, k, M, elem)] of the model's cases for flags at GOGC
    gogcs (its --benchmark_list_tests), sorted: what both sides run."""
    cmd = [binary, *flags, "--gc=go", f"--gogc={gogcs}", "--no-csv",
           "--benchmark_list_tests"]
    proc = subprocess.run(cmd, capture_output=True, text=True)
    go_each.check(proc, binary)
    out = set()
    for line in proc.stdout.splitlines():
        m = MODEL_CASE.match(line)
        if m is None:
            raise GcVsGoError(f"{binary} --benchmark_list_tests: '{line[:80]}' is "
                              "not a case of --gc=go")
        out.add((m.group(1), *map(int, m.groups()[1:])))
    if not out:
        raise GcVsGoError(f"{binary} runs no case for these flags")
    return sorted(out)


def case_scales(outputs):
    """{(case, gogc): scale}: the model's --go-clock-scale for each case
    (model_cases) and GOGC of Go's outputs [(gogc, case, `go test`
    output)] (run_go): how much slower Go ran that case than the model's
    clock (gs.h) says, the median over its processes
    (slicebench.goclock.scale). A case Go measured in none of its
    processes (skipped: over the budget) has none, and the model does
    not run it either; when Go measured no case at all, GcVsGoError."""
    groups = {}
    for gogc, case, out in outputs:
        groups.setdefault((case, gogc), []).append(out)
    try:
        costs = goclock.committed(goclock.HEADER)
    except goclock.ClockError as e:
        raise GcVsGoError(f"Go's clock: {e}") from None
    scales, why = {}, None
    try:
        for key, outs in groups.items():
            try:
                rows = goclock.cases([(o, "go test") for o in outs])
            except goclock.NoResultError as e:      # skipped in every process
                why = why or str(e)
                continue
            scales[key] = goclock.scale(rows, costs)
    except goclock.ClockError as e:
        raise GcVsGoError(f"Go's clock: {e}") from None
    if not scales:
        raise GcVsGoError(f"Go's clock: Go measured no case ({why})")
    return scales


def clock_line(scales):
    """The table's line on the model's clocks (case_scales, or None: the
    fit's)."""
    if scales is None:
        return "the model's clock: Go's clock (gs.h), its fit to Go's time per item"
    v = sorted(scales.values())
    return (f"the model's clock: Go's clock (gs.h) x{v[0]:.3g}-{v[-1]:.3g} "
            f"(median x{statistics.median(v):.3g}), each case's at Go's speed "
            f"in its own processes ({len(v)} cases and GOGCs)")


def case_filter(case, gogc):
    """The model's --benchmark_filter for one case (model_cases) at GOGC
    gogc: its name and nothing else (the model writes GOGC as a plain
    number, 400 for "0400"). Written for Google Benchmark's own regex,
    which refuses an escaped '-' ("append\\-nil": Invalid escape) and then
    runs nothing: a strategy name is lowercase letters, digits and '-',
    which need no escape, and GOGC a number; anything else is refused
    (GcVsGoError)."""
    s, n, k, m, e = case
    if not STRATEGY_NAME.fullmatch(s):
        raise GcVsGoError(f"strategy '{s[:40]}': not a name the model's filter can match")
    if not gogc.strip().isdigit():
        raise GcVsGoError(f"GOGC '{gogc[:20]}': not a number the model's filter can match")
    g = str(int(gogc))
    return f"^{s}/gogc:{g}/N:{n}/k:{k}/M:{m}/elem:{e}/"


def case_commands(binary, flags, reps, scales, span="batches", min_time=None):
    """The model's command line for each (case, GOGC) of scales
    (case_scales), in sorted order: that case alone (case_filter), its
    clock at that case's scale."""
    return [[*model_command(binary, flags, gogc, reps, span, min_time,
                            scales[(case, gogc)]),
             f"--benchmark_filter={case_filter(case, gogc)}"]
            for case, gogc in sorted(scales)]


def run_model(binary, flags, gogcs, reps, span, min_time, folder, scales=None,
              progress=None):
    """The model's rows (status ok): without scales, of one run of binary
    for every case at GOGC gogcs, at the fit's clock (its results in
    folder, model_*.csv); with scales (case_scales), for each (case, GOGC)
    of them, each a run of binary alone (--benchmark_filter), its clock at
    that case's scale (folder/model/model-I_*.csv), and progress(done,
    total), if given, after every tenth of those runs (every fifth at
    least) and the last, as run_go's."""
    if scales is None:
        cmd = [*model_command(binary, flags, gogcs, reps, span, min_time),
               f"--csv-dir={folder}", "--run-id=model"]
        go_each.check(subprocess.run(cmd, capture_output=True, text=True), binary)
        return model_results(folder, binary)[0].repetitions()
    rows = []
    cases_dir = os.path.join(folder, CASES_DIR)
    os.makedirs(cases_dir, exist_ok=True)
    cmds = case_commands(binary, flags, reps, scales, span, min_time)
    step = max(5, len(cmds) // 10)
    for i, cmd in enumerate(cmds):
        cmd += [f"--csv-dir={cases_dir}", f"--run-id=model-{i}"]
        go_each.check(subprocess.run(cmd, capture_output=True, text=True), binary)
        if progress is not None and ((i + 1) % step == 0 or i + 1 == len(cmds)):
            progress(i + 1, len(cmds))
    for res in model_results(folder, binary):
        rows += res.repetitions()
    return rows


def model_results(folder, who=None):
    """The model's results files (results.Results) in folder, as run_model
    writes them (files named model*.csv: one for the run, or at Go's
    speed one per case and GOGC in folder/model/), in name order; who
    names the writer in the error, else the folder."""
    per_case = os.path.isdir(os.path.join(folder, CASES_DIR))
    if per_case:
        folder = os.path.join(folder, CASES_DIR)
    try:
        csvs = sorted(f for f in os.listdir(folder)
                      if f.startswith("model") and f.endswith(".csv"))
    except OSError as e:
        raise GcVsGoError(f"{folder}: {e.strerror or e}") from None
    if not csvs:
        raise GcVsGoError(f"{who} wrote no results file" if who else
                          f"{folder}: no model results file (model*.csv): "
                          "not a kept run")
    # aa7d134 kept its files per case beside the rest (model-I_*.csv)
    per_case = per_case or all(PER_CASE_FILE.match(f) for f in csvs)
    if not per_case and len(csvs) != 1:
        raise GcVsGoError(f"{who} wrote {len(csvs)} results files, not one"
                          if who else f"{folder}: {len(csvs)} model results "
                          "files (model*.csv), not one: not a kept run")
    return [results.load(os.path.join(folder, f)) for f in csvs]


def build_go(repo, folder):
    """The Go benchmarks' test binary, built once into folder."""
    return go_each.build(repo, os.path.join(folder, "retention.test"))


def go_flags(flags):
    return ["-" + f[2:] for f in flags]        # --sizes=x -> -sizes=x


def one_case_flags(flags, strategy, n, k, m, elem):
    """The Go flags of one case alone: its N, its k (the rule of the flags
    that gives it, else its bytes), element size, strategy and M (-items),
    the budget as given."""
    go = go_flags(flags)
    budget = [f for f in go if f.startswith("-budget=")]
    rules = [r for f in go if f.startswith("-kept=") for r in f[6:].split(",")]
    kept = gobench.rule_of(rules, n, k) or str(k)
    return [f"-sizes={n}", f"-kept={kept}", f"-elem={elem}",
            f"-strategies={strategy}", f"-items={m}", *budget]


def run_go(exe, flags, gogcs, reps, span, min_time, cases, folder=None,
           repo=".", progress=None, outputs=None):
    """Go's result rows for cases (model_cases): every case and
    repetition a process of its own (go_each.run_one), so that no case
    follows another in a process (as the model's child processes), given
    the flags of that case alone (one_case_flags: the flags of the other
    cases change the process, and Go's figures follow such changes, this
    module's text); with span "batches", -benchtime=<2M>x, with span
    "time", -benchtime of min_time seconds. With a folder, every process's
    `go test` output, GOGC first, goes into folder/go.txt (a new file).
    progress(done, total), if given, after every tenth of the processes
    (every fifth at least) and the last; (gogc, case, output) of each
    process is appended to outputs, if given."""
    base = ["-count=1", "-benchmem"]
    jobs = [(f"strategy={s}/N={n}/k={k}/M={m}/elem={e}",
             [*base, *one_case_flags(flags, s, n, k, m, e),
              f"-benchtime={min_time}s" if span == "time" else f"-benchtime={2 * m}x"],
             (s, n, k, m, e))
            for s, n, k, m, e in cases]
    rows, raw = [], []
    total = len(gogcs.split(",")) * reps * len(jobs)
    done, step = 0, max(5, total // 10)
    for gogc in gogcs.split(","):
        environ = go_each.env(repo, **GO_ENV, GOGC=gogc)
        for _ in range(reps):
            for name, args, case in jobs:
                out = go_each.run_one(exe, name, args, environ)
                done += 1
                if progress is not None and (done % step == 0 or done == total):
                    progress(done, total)
                raw.append(f"# GOGC={gogc} {name} {' '.join(args)}\n{out}")
                if skipped_by_go(out):
                    continue            # over Go's budget: no rows, no clock
                if outputs is not None:
                    outputs.append((gogc, case, out))
                run = gobench.parse(out, "go test")
                rows += [r for r in gobench.rows(run, "go") if r["status"] == "ok"]
    if folder is not None:
        with open(os.path.join(folder, "go.txt"), "x") as f:
            f.write("".join(raw))
    return rows


def skipped_by_go(out):
    """A Go process that passed without a result line: its one case was
    skipped (over the budget, which go test prints only with -test.v)."""
    lines = [ln.strip() for ln in out.splitlines() if ln.strip()]
    return (bool(lines) and lines[-1] == "PASS" and
            not any(ln.startswith(("Benchmark", "--- ")) for ln in lines))


# a process's first line in a kept go.txt (run_go): its GOGC and case
KEPT_PROCESS = re.compile(r"^(\S+) strategy=([a-z0-9-]+)/N=(\d+)/k=(\d+)/M=(\d+)/elem=(\d+)(?: |$)")


def kept_processes(folder):
    """(path, [(first line, output)]): the Go processes of the run kept in
    folder, from its go.txt (run_go: each after a "# GOGC=" line, the
    line's rest first); GcVsGoError, one line, when it cannot be read or
    holds none."""
    path = os.path.join(folder, "go.txt")
    try:
        with open(path, encoding="utf-8") as f:
            text = f.read()
    except (OSError, UnicodeDecodeError) as e:
        raise GcVsGoError(f"{path}: {getattr(e, 'strerror', None) or e}") from None
    processes = [c.partition("\n")[::2] for c in text.split("# GOGC=")[1:] if c.strip()]
    if not processes:
        raise GcVsGoError(f"{path}: no Go process in it (not a kept go.txt)")
    return path, processes


def kept_go(folder, cases=True):
    """Go's side of a run kept with --keep, read from its folder/go.txt
    (one `go test` output per process after a "# GOGC=" line, run_go):
    (rows, outputs), its result rows (status ok) as run_go returns them,
    and [(gogc, case, output)] of each process that measured its case, as
    run_go appends them (case_scales takes them). cases False: a process
    line that names no case is read for its rows alone (outputs then
    lack it)."""
    path, processes = kept_processes(folder)
    rows, outputs = [], []
    for i, (head, out) in enumerate(processes):
        m = KEPT_PROCESS.match(head)
        if m is None and cases:
            raise GcVsGoError(f"{path}, process {i + 1}: '{head[:60]}' names no GOGC "
                              "and case (not a kept go.txt)")
        if skipped_by_go(out):
            continue
        if m is not None:
            gogc, s, *sizes = m.groups()
            outputs.append((gogc, (s, *map(int, sizes)), out))
        run = gobench.parse(out, f"{path}, process {i + 1}")
        rows += [r for r in gobench.rows(run, "go") if r["status"] == "ok"]
    return rows, outputs


# how a Go process of a run with huge pages off says so (thp-enabled)
THP_OFF = "never (off for this process; system "


def kept_run_options(folder):
    """The options that chose and ran the cases of the run kept in folder,
    from its Go processes (folder/go.txt, kept_go): {"sizes", "kept",
    "elem", "strategies", "budget", "gogc", "repetitions", "span",
    "min_time", "thp"} as scripts/gc-vs-go takes them (the sizes, rules,
    element sizes, strategies and GOGC values its processes ran, in the
    order they first ran; the processes per case; batches for
    -benchtime=<n>x, time for -benchtime=<t>s; thp "off" when its
    processes had huge pages off, else "system", the machine's mode then
    under "thp_system"). GcVsGoError, one line, when its processes do not
    agree on one budget, span, huge page state, or count per case."""
    path, processes = kept_processes(folder)
    seen = {k: {} for k in ("sizes", "kept", "elem", "strategies", "budget", "gogc",
                            "benchtime", "thp")}
    per_case = {}
    for i, (head, out) in enumerate(processes):
        m = KEPT_PROCESS.match(head)
        if m is None:
            raise GcVsGoError(f"{path}, process {i + 1}: '{head[:60]}' names no GOGC "
                              "and case (not a kept go.txt)")
        flags = dict(a[1:].split("=", 1) for a in head.split()[2:]
                     if a.startswith("-") and "=" in a)
        thp_line = [ln[len("thp-enabled: "):].strip() for ln in out.splitlines()
                    if ln.startswith("thp-enabled: ")]
        got = {"sizes": m.group(3), "gogc": m.group(1), "kept": flags.get("kept"),
               "elem": flags.get("elem"), "strategies": flags.get("strategies"),
               "budget": flags.get("budget"), "benchtime": flags.get("benchtime"),
               "thp": thp_line[0] if thp_line else None}
        for key, value in got.items():
            if value is None:
                what = ("thp-enabled line (kept before Go printed it)" if key == "thp"
                        else f"-{key} flag (not a kept go.txt of gc-vs-go)")
                raise GcVsGoError(f"{path}, process {i + 1}: no {what}")
            seen[key].setdefault(value, None)
        case = tuple(head.split()[:2])            # GOGC, case name
        per_case[case] = per_case.get(case, 0) + 1
    benches = list(seen["benchtime"])
    if all(b.endswith("x") for b in benches):        # 2 x M items, per case
        span, min_time = "batches", 0.01
    else:
        span, min_time = "time", None
        if len(benches) == 1 and benches[0].endswith("s"):
            try:
                min_time = float(benches[0][:-1])
            except ValueError:
                pass
        if min_time is None:
            raise GcVsGoError(f"{path}: its processes ran -benchtime="
                              + " and ".join(benches[:2]) + ": not one run's span")
    for key in ("budget", "thp"):
        if len(seen[key]) > 1:
            raise GcVsGoError(f"{path}: its processes ran with {key} "
                              + " and ".join(repr(v) for v in list(seen[key])[:2])
                              + ": not one run's options")
    counts = set(per_case.values())
    if len(counts) > 1:
        raise GcVsGoError(f"{path}: its cases ran in {min(counts)} to {max(counts)} "
                          "processes each: not one run's repetitions")
    (thp_text,) = seen["thp"]
    off = thp_text.startswith(THP_OFF)
    return {"sizes": ",".join(sorted(seen["sizes"], key=int)),
            "kept": ",".join(seen["kept"]), "elem": ",".join(seen["elem"]),
            "strategies": ",".join(seen["strategies"]),
            "budget": next(iter(seen["budget"])), "gogc": ",".join(seen["gogc"]),
            "repetitions": counts.pop(), "span": span, "min_time": min_time,
            "thp": "off" if off else "system",
            "thp_system": thp_text[len(THP_OFF):].rstrip(")") if off else thp_text}


def kept_go_rows(folder):
    """Go's result rows (status ok) of a run kept with --keep (kept_go)."""
    return kept_go(folder, cases=False)[0]


def _num(v):
    return float(v) if v not in ("", None) else None


def case_key(r):
    """A result row's case (KEY): strategy, N, k, elem, GOGC."""
    return (r["strategy"], int(float(r["source_bytes"])),
            int(float(r["kept_bytes"])), int(float(r["elem_bytes"])),
            int(float(r["gogc"])))


def case_text(case):
    """A case (a dict with KEY's fields) in words, as every summary line
    names it."""
    return (f"{case['strategy']} N={case['source_bytes']} k={case['kept_bytes']} "
            f"elem={case['elem_bytes']} GOGC {case['gogc']}")


def medians(rows):
    """Per case: the medians of peak RSS, faults per item and held bytes."""
    groups = {}
    for r in rows:
        groups.setdefault(case_key(r), []).append(r)
    out = {}
    for key, rs in groups.items():
        fig = {}
        for col in ("peak_rss_delta_bytes", "page_faults_per_item", "held_bytes",
                    "items"):
            vals = [_num(r[col]) for r in rs if _num(r[col]) is not None]
            fig[col] = statistics.median(vals) if vals else None
            fig[col + ":min"] = min(vals) if vals else None
            fig[col + ":max"] = max(vals) if vals else None
            # too few repetitions for an interval: the whole spread
            # shown in its place, and no verdict (check_passed)
            interval = compare_stats.median_interval(vals, CONFIDENCE)
            fig[col + ":interval"] = interval is not None
            fig[col + ":lo"], fig[col + ":hi"] = (
                interval or (fig[col + ":min"], fig[col + ":max"]))
        fig["n"] = len(rs)
        out[key] = fig
    return out


def compare(model_rows, go_rows):
    """One dict per case both sides have: the figures and ratios."""
    m, g = medians(model_rows), medians(go_rows)
    table = []
    for key in sorted(set(m) & set(g)):
        a, b = m[key], g[key]
        row = dict(zip(KEY, key), items=int(a["items"]),
                   rss_model=a["peak_rss_delta_bytes"], rss_go=b["peak_rss_delta_bytes"],
                   pf_model=a["page_faults_per_item"], pf_go=b["page_faults_per_item"],
                   held_model=a["held_bytes"], held_go=b["held_bytes"],
                   held_equal=a["held_bytes"] == b["held_bytes"])
        row["rss_ratio"] = (row["rss_model"] / row["rss_go"]
                            if row["rss_model"] is not None and row["rss_go"] else None)
        row["rss_within"] = (row["rss_ratio"] is not None and
                             abs(row["rss_model"] - row["rss_go"]) <=
                             max(TOLERANCE * row["rss_go"], MIB))
        row["pf_ratio"] = (row["pf_model"] / row["pf_go"]
                           if row["pf_model"] is not None and row["pf_go"] else None)
        row["pf_within"] = (row["pf_ratio"] is not None and
                            abs(row["pf_ratio"] - 1) <= TOLERANCE)
        row["rss_go_min"] = b["peak_rss_delta_bytes:min"]
        row["rss_go_max"] = b["peak_rss_delta_bytes:max"]
        row["pf_go_min"] = b["page_faults_per_item:min"]
        row["pf_go_max"] = b["page_faults_per_item:max"]
        row["rss_go_lo"] = b["peak_rss_delta_bytes:lo"]
        row["rss_go_hi"] = b["peak_rss_delta_bytes:hi"]
        row["pf_go_lo"] = b["page_faults_per_item:lo"]
        row["pf_go_hi"] = b["page_faults_per_item:hi"]
        row["go_interval"] = (b["peak_rss_delta_bytes:interval"] and
                              b["page_faults_per_item:interval"])
        row["rss_in_interval"] = in_bounds(row["rss_model"], row["rss_go_lo"],
                                            row["rss_go_hi"], MIB)
        row["pf_in_interval"] = in_bounds(row["pf_model"], row["pf_go_lo"],
                                           row["pf_go_hi"], 0)
        table.append(row)
    return table


def check_passed(table):
    """The check's verdict: every figure of every case in Go's interval
    (within the bounds of a value of Go's median's 95 % interval) and held
    bytes equal; False for an empty table, None (no verdict) when a case
    has too few of Go's processes for an interval (fewer than 6 at 95 %)."""
    if table and not all(r["go_interval"] for r in table):
        return None
    return bool(table) and all(r["rss_in_interval"] and r["pf_in_interval"] and
                               r["held_equal"] for r in table)


def in_bounds(model, lo, hi, floor):
    """Whether model lies within [lo, hi] widened by the bound at each end
    (25 %, at least floor)."""
    if model is None or lo is None or hi is None:
        return False
    return (lo - max(TOLERANCE * lo, floor) <= model <=
            hi + max(TOLERANCE * hi, floor))


def _f(v, fmt):
    return "-" if v is None else format(v, fmt)


def render(table, markdown=False, first="model"):
    """The table as text: one line per case; `first` names the side
    compared with Go."""
    head = ["strategy", "N", "k", "elem", "GOGC", "M", f"peak MiB {first}", "Go",
            "Go 95 %", "ratio", f"faults/item {first}", "Go", "Go 95 %", "ratio"]
    lines = []
    for r in table:
        mib = [v and v / MIB for v in (r["rss_go_lo"], r["rss_go_hi"])]
        lines.append([r["strategy"], str(r["source_bytes"]), str(r["kept_bytes"]),
                      str(r["elem_bytes"]), str(r["gogc"]), str(r["items"]),
                      _f(r["rss_model"] and r["rss_model"] / MIB, ".1f"),
                      _f(r["rss_go"] and r["rss_go"] / MIB, ".1f"),
                      _f(mib[0], ".1f") + "-" + _f(mib[1], ".1f") +
                      ("" if r["rss_in_interval"] else " !"),
                      _f(r["rss_ratio"], ".2f") + ("" if r["rss_within"] else " *"),
                      _f(r["pf_model"], ".3g"), _f(r["pf_go"], ".3g"),
                      _f(r["pf_go_lo"], ".3g") + "-" + _f(r["pf_go_hi"], ".3g") +
                      ("" if r["pf_in_interval"] else " !"),
                      _f(r["pf_ratio"], ".2f") + ("" if r["pf_within"] else " *")])
    if markdown:
        out = ["| " + " | ".join(head) + " |",
               "|" + "|".join("---" if i < 1 else "--:" for i in range(len(head))) + "|"]
        out += ["| " + " | ".join(cells) + " |" for cells in lines]
        return "\n".join(out)
    widths = [max(len(c) for c in col) for col in zip(head, *lines)]
    fmt = "  ".join("{:<%d}" % w if i == 0 else "{:>%d}" % w
                    for i, w in enumerate(widths))
    return "\n".join(fmt.format(*cells) for cells in [head] + lines)


def summary(table, first="model"):
    """Per GOGC: cases within, median ratios; and held bytes equal; `first`
    names the side compared with Go."""
    out = []
    for gogc in sorted({r["gogc"] for r in table}):
        rs = [r for r in table if r["gogc"] == gogc]
        rr = [r["rss_ratio"] for r in rs if r["rss_ratio"] is not None]
        pr = [r["pf_ratio"] for r in rs if r["pf_ratio"] is not None]
        out.append(
            f"GOGC {gogc}: peak RSS within 25 %/1 MiB in "
            f"{sum(r['rss_within'] for r in rs)} of {len(rs)} "
            f"({first}/Go median {_f(statistics.median(rr) if rr else None, '.2f')}, "
            f"{_f(min(rr) if rr else None, '.2f')}-{_f(max(rr) if rr else None, '.2f')}); "
            f"faults per item within 25 % in {sum(r['pf_within'] for r in rs)} "
            f"of {len(rs)} (median {_f(statistics.median(pr) if pr else None, '.2f')}); "
            f"held bytes equal in {sum(r['held_equal'] for r in rs)} of {len(rs)}")
        out.append(
            f"GOGC {gogc}: in Go's interval (the same bounds of its median's 95 % "
            f"interval): peak RSS {sum(r['rss_in_interval'] for r in rs)} of {len(rs)}, "
            f"faults per item {sum(r['pf_in_interval'] for r in rs)} of {len(rs)}")
    return "\n".join(out + _misses(table))


def legend(first="model"):
    """The marks' key under the summary; `first` names the side compared
    with Go."""
    return ("(* = outside the bounds of Go's median; ! = outside the bounds of its\n"
            " 95 % interval, \"Go 95 %\"; ratios are " f"{first} / Go of the medians)")


def report(table, markdown=False, first="model"):
    """What gc-vs-go prints: the table, a blank line, the summary and the
    marks' key."""
    return "\n".join([render(table, markdown, first), "", summary(table, first),
                      legend(first)])


def _misses(table):
    """The check's verdict, then the figures that fail it (outside the
    bounds of Go's interval) and held bytes that differ: a line each, so
    that what is left to explain reads at a glance."""
    out = []
    for r in table:
        case = case_text(r)
        if not r["rss_in_interval"]:
            m, lo, hi = (v and v / MIB for v in
                         (r["rss_model"], r["rss_go_lo"], r["rss_go_hi"]))
            out.append(f"  {case}: peak {_f(m, '.1f')} MiB, "
                       f"Go's median's 95 % {_f(lo, '.1f')}-{_f(hi, '.1f')}")
        if not r["pf_in_interval"]:
            out.append(f"  {case}: faults/item {_f(r['pf_model'], '.3g')}, "
                       f"Go's median's 95 % {_f(r['pf_go_lo'], '.3g')}-"
                       f"{_f(r['pf_go_hi'], '.3g')}")
        if not r["held_equal"]:
            out.append(f"  {case}: held bytes {_f(r['held_model'], '.0f')}, "
                       f"Go {_f(r['held_go'], '.0f')}")
    verdict = check_passed(table)
    if verdict:
        return ["the check: passed (every figure in Go's interval, held bytes equal)"]
    if verdict is None:
        short = sum(not r["go_interval"] for r in table)
        head = (f"the check: no verdict ({short} case{'s' if short > 1 else ''} with too "
                "few of Go's processes for a 95 % interval, fewer than 6: their "
                "\"Go 95 %\" is Go's whole spread)")
        return [head + ("; outside Go's interval, or held bytes unequal:" if out else "")] + out
    return ["the check: failed; outside Go's interval, or held bytes unequal:"] + out
