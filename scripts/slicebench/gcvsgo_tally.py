"""Kept gc-vs-go runs held to one another: the model of every run against
Go of every run, and Go of every run against Go of every other, with the
bounds of one run's check (gcvsgo.compare).

    runs = [load(d) for d in folders]          # Run(model, go, thp)
    t = tally(runs)                            # or tally(runs, go_runs)
    print(render(t, folders))

One run's check holds its model's medians to its own Go's, and Go's
medians move from run to run (some cases land on one of two levels, so a
median of a few processes picks one or the other): its count of cases
within moves by one or two with them. Holding every model run to every Go
run of the same matrix counts the model against all of Go's runs at once,
and Go against itself the same way says how many figures any model could
be expected to get within. Each count is the mean over the pairs, with
its lowest and highest pair.

With go_runs, the models of runs are held to the Go of go_runs instead,
and Go against Go is go_runs' own: two models, each tallied so, are held
to the same Go runs.

Runs that share one Go side (a run of the model again, gc-vs-go
--model-again, keeps a copy of the Go side it was held to) count it once:
Go of such runs is the same Go, which agrees with itself.

Each count holds medians; a case whose processes land on one of two
levels can agree in its medians and still land on the upper one in very
different shares on the two sides. So the tally also pools every
process of each side over the runs, splits each figure's processes into
the two groups that differ most (compare_stats.two_groups: processes
may lie between the levels, as where a level is a matter of timing),
and, for each figure whose groups stand apart (not one spread cut in
two, compare_stats.GROUP_SEPARATION) and whose two levels (the groups'
medians) lie further apart than the check's bounds (the upper one over
1.25 x the lower, and for the peak 1 MiB over it), holds the model's
share on the upper level to Go's (Fisher's exact test on the processes
above and below the cut, compare_stats.group_shares, Holm over those
figures); a share that differs at 5 % is listed.

Only the cases every run has are counted, and runs are held to one another
only when their model results record the same transparent huge page state
(thp_enabled): a run with huge pages off faults in 4 KiB pages only.
"""

import collections
import hashlib
import math
import os
import statistics

from . import compare_stats, gcvsgo

# The two figures of a case the check bounds, by the bounds of Go's median
# and of its 95 % interval (the check's verdict), and the table's columns.
FIGURES = (("peak within", "rss_within"), ("faults within", "pf_within"),
           ("peak in interval", "rss_in_interval"),
           ("faults in interval", "pf_in_interval"))

# The columns of a process's figures, for the pooled levels
LEVEL_COLUMNS = (("peak", "peak_rss_delta_bytes"), ("faults", "page_faults_per_item"))
# Holm-adjusted p under which two sides' level shares differ
LEVEL_ALPHA = 0.05

# go_id: what tells one Go side from another (the digest of its go.txt);
# None: a side of its own
Run = collections.namedtuple("Run", "model go thp go_id", defaults=(None,))


def load(folder):
    """One run kept with gc-vs-go --keep: its model's and its Go's result
    rows (status ok), its huge page state and its Go side's digest. Raises
    gcvsgo.GcVsGoError, results.ResultsError or gobench.GoBenchError (one
    line each)."""
    files = gcvsgo.model_results(folder)
    go = gcvsgo.kept_go_rows(folder)
    return Run([r for res in files for r in res.repetitions()], go,
               files[0].meta.get("thp_enabled", "(none)"), go_digest(folder))


def go_digest(folder):
    """The digest of a kept run's folder/go.txt: the same for a copy."""
    path = os.path.join(folder, "go.txt")
    try:
        with open(path, "rb") as f:
            return hashlib.sha256(f.read()).hexdigest()
    except OSError as e:
        raise gcvsgo.GcVsGoError(f"{path}: {e.strerror or e}") from None


def distinct_go(runs):
    """runs less those whose Go side an earlier one has (the same go_id)."""
    seen, out = set(), []
    for run in runs:
        if run.go_id is not None and run.go_id in seen:
            continue
        seen.add(run.go_id)
        out.append(run)
    return out


def common_cases(runs, sides=("model", "go")):
    """The case keys (gcvsgo.KEY order) that every run has on each of its
    sides given (both by default)."""
    keys = None
    for run in runs:
        for side in sides:
            has = {gcvsgo.case_key(r) for r in getattr(run, side)}
            keys = has if keys is None else keys & has
    return keys or set()


def tally(runs, go_runs=None):
    """{"cases": {gogc: count}, "model": side, "go": side}: a side is
    {"pairs": n, "count": {(gogc, figure): [within per pair]},
    "share": {(case key, figure): fraction of pairs within},
    "passed": pairs whose check passed (gcvsgo.check_passed), "unjudged":
    pairs with no verdict (too few of Go's processes)} (figure: a
    label of FIGURES); "go" has no pairs with one Go run; "levels": a
    list of (case key, figure, Levels of Go against the model, Holm p,
    Go's processes, the model's, (the lower level's median, the upper's)),
    every process of each side pooled (pooled_levels). The models of
    runs are held to the Go of go_runs if given, else of runs. Raises
    gcvsgo.GcVsGoError for runs that cannot be held to one another."""
    if not runs or go_runs == []:
        raise gcvsgo.GcVsGoError("no kept run given")
    go_runs = runs if go_runs is None else go_runs
    states = sorted({run.thp for run in (*runs, *go_runs)})
    if len(states) > 1:
        raise gcvsgo.GcVsGoError(
            "the runs differ in transparent huge pages (thp_enabled "
            + " / ".join(repr(s) for s in states) + "): tally them apart")
    keys = (common_cases(runs) if go_runs is runs else
            common_cases(runs, ("model",)) & common_cases(go_runs, ("go",)))
    if not keys:
        raise gcvsgo.GcVsGoError("no case that every run measured on both sides")

    def only(rows):
        return [r for r in rows if gcvsgo.case_key(r) in keys]

    apart = go_runs is not runs
    distinct = distinct_go(go_runs)
    model = [only(run.model) for run in runs]
    go = [only(run.go) for run in distinct]
    pairs = {"model": [(m, g) for m in model for g in go],
             "go": [(go[i], go[j]) for i in range(len(go))
                    for j in range(len(go)) if i != j]}
    out = {"cases": collections.Counter(k[-1] for k in keys), "apart": apart,
           "shared": len(go_runs) - len(distinct)}
    for side, side_pairs in pairs.items():
        count = collections.defaultdict(list)
        hits = collections.Counter()
        passed = unjudged = 0
        for first, second in side_pairs:
            table = gcvsgo.compare(first, second)
            verdict = gcvsgo.check_passed(table)
            passed += verdict is True
            unjudged += verdict is None
            for gogc in out["cases"]:
                for figure, col in FIGURES:
                    count[(gogc, figure)].append(
                        sum(r[col] for r in table if r["gogc"] == gogc))
            for r in table:
                for figure, col in FIGURES:
                    hits[(tuple(r[k] for k in gcvsgo.KEY), figure)] += r[col]
        n = len(side_pairs)
        out[side] = {"pairs": n, "count": dict(count), "passed": passed,
                     "unjudged": unjudged,
                     "share": {(k, f): hits[(k, f)] / n for k in keys
                               for f, _ in FIGURES} if n else {}}
    out["levels"] = pooled_levels([r for rows in model for r in rows],
                                  [r for rows in go for r in rows])
    return out


def pooled_levels(model_rows, go_rows):
    """[(case key, figure, Levels, Holm p, Go's count, the model's,
    (lower level's median, upper's))] for every case and figure
    (LEVEL_COLUMNS) whose processes, Go's and the model's together, split
    into two groups that stand apart (compare_stats.group_shares, Go as
    base), fall on two levels further apart than the check's bounds
    (gcvsgo.in_bounds, the 1 MiB floor for the peak): two levels closer
    than that are a step the bounds allow, not a figure that lands on one
    or the other. Figures with a value not above zero are left out. (Until 2026-11-29 the cut
    was the widest gap between neighbouring processes, compare_stats.
    level_shares, which found no levels where processes lie between
    them: copy and append-nil at 32 KiB, k = N/2, GOGC 100, whose
    processes land on the lower level in about a quarter of the model's
    and half of Go's.)"""
    def values(rows):
        d = collections.defaultdict(list)
        for r in rows:
            for figure, col in LEVEL_COLUMNS:
                v = r.get(col)
                if v not in ("", None):
                    d[(gcvsgo.case_key(r), figure)].append(float(v))
        return d
    m, g = values(model_rows), values(go_rows)
    found = []
    for key in sorted(set(m) & set(g)):
        if min(m[key]) <= 0 or min(g[key]) <= 0:
            continue
        levels = compare_stats.group_shares(g[key], m[key])
        if levels is None:
            continue
        both = m[key] + g[key]
        lo = statistics.median(v for v in both if math.log(v) <= levels.log_cut)
        hi = statistics.median(v for v in both if math.log(v) > levels.log_cut)
        if gcvsgo.in_bounds(hi, lo, lo, gcvsgo.MIB if key[1] == "peak" else 0):
            continue
        found.append((key, levels, len(g[key]), len(m[key]), (lo, hi)))
    adjusted = compare_stats.holm([f[1].p for f in found])
    return [(key[0], key[1], lv, p, ng, nm, at)
            for (key, lv, ng, nm, at), p in zip(found, adjusted)]


def _mean(counts):
    return sum(counts) / len(counts)


def _cell(counts, of=None):
    if not counts:
        return "-"
    text = f"{_mean(counts):.1f}"
    if of is not None:
        text += f" of {of}"
    lo, hi = min(counts), max(counts)
    return text + ("" if lo == hi else f" ({lo}-{hi})")


def render(t, names=(), go_names=None):
    """The tally as text: per GOGC and figure, the mean count within over
    the pairs of each side (lowest-highest pair); the sums over them, by
    each bound; the pairs whose check passed; each case and figure the
    model gets within in fewer of its pairs than Go does in its own; and
    the pooled levels whose shares differ (pooled_levels). go_names: the runs whose Go the models were held
    to, when not the same runs (tally's go_runs)."""
    model, go = t["model"], t["go"]
    lines = []

    def runs(folders):
        return f"{len(folders)} kept run{'s' if len(folders) > 1 else ''}: " + \
            ", ".join(folders)
    if names:
        lines.append(runs(names) if go_names is None else
                     "the model of " + runs(names))
    if go_names is not None:
        lines.append("Go of " + runs(go_names))

    def pairs(n):
        return f"{n} pair{'' if n == 1 else 's'}"
    which = ("every run's model, every --go-from run's Go" if t.get("apart")
             else "every run's model, every run's Go")
    lines.append(f"model against Go: {pairs(model['pairs'])} ({which}); "
                 f"Go against Go: {pairs(go['pairs'])}")
    if t.get("shared"):
        n = t["shared"]
        lines.append(f"({n} of the Go runs {'has' if n == 1 else 'have'} the same Go "
                     "side as an earlier one (a copy): counted once)")
    rows = [("", "model against Go", "Go against Go")]
    totals = collections.defaultdict(lambda: [0.0, 0.0, 0])   # bound: model, Go, of
    for gogc in sorted(t["cases"]):
        n = t["cases"][gogc]
        for figure, _ in FIGURES:
            m = model["count"].get((gogc, figure), [])
            g = go["count"].get((gogc, figure), [])
            rows.append((f"GOGC {gogc} {figure}", _cell(m, n), _cell(g)))
            total = totals[figure.split(" ", 1)[1]]
            total[0] += _mean(m)
            total[1] += _mean(g) if g else 0.0
            total[2] += n
    for bound, (total_m, total_g, of) in totals.items():
        rows.append((f"all figures {bound}", f"{total_m:.1f} of {of}",
                     f"{total_g:.1f}" if go["pairs"] else "-"))
    rows.append(("pairs whose check passed", f"{model['passed']} of {model['pairs']}",
                 f"{go['passed']} of {go['pairs']}" if go["pairs"] else "-"))
    if model.get("unjudged") or go.get("unjudged"):
        rows.append(("pairs with no verdict (< 6 Go processes)",
                     str(model.get("unjudged", 0)),
                     str(go.get("unjudged", 0)) if go["pairs"] else "-"))
    widths = [max(len(r[i]) for r in rows) for i in range(3)]
    lines += ["  ".join(c.ljust(w) if i == 0 else c.rjust(w)
                        for i, (c, w) in enumerate(zip(r, widths))).rstrip()
              for r in rows]
    lines.append("figures the model gets within in fewer of its pairs than Go "
                 "in its own (share of pairs within, model / Go):")
    short = []
    if go["pairs"]:
        for (key, figure), share in sorted(model["share"].items()):
            g = go["share"][(key, figure)]
            if share < g:
                short.append(f"  {gcvsgo.case_text(dict(zip(gcvsgo.KEY, key)))} "
                             f"{figure}: {share:.2f} / {g:.2f}")
    lines += short or ["  none" if go["pairs"] else "  - (one Go side: no Go pairs)"]
    levels = t.get("levels", [])
    lines.append("figures on two levels further apart than the bounds, every process of "
                 f"each side pooled: {len(levels)}; those whose shares on the upper "
                 "level differ from Go's (Fisher's exact test, Holm over the "
                 f"{len(levels)}, p < {LEVEL_ALPHA:g}):")

    def at(v, figure):
        return f"{v / gcvsgo.MIB:.1f} MiB" if figure == "peak" else f"{v:.3g}"
    differ = [f"  {gcvsgo.case_text(dict(zip(gcvsgo.KEY, key)))} {figure}: the upper level "
              f"({at(hi, figure)}, the lower {at(lo, figure)}) in {lv.new_high} of {nm} "
              f"of the model's processes, {lv.base_high} of {ng} of Go's (p {p:.2g})"
              for key, figure, lv, p, ng, nm, (lo, hi) in levels if p < LEVEL_ALPHA]
    lines += differ or ["  none"]
    return "\n".join(lines)

