"""Comparing two benchmark runs, BASE and NEW: a verdict per case.

compare_files(base_paths, new_paths, options) reads both sides (one file
or several; slicebench CSV or Google Benchmark JSON, see compare_input) and
returns a Comparison for compare_format's writers. row_verdicts() only
counts verdicts; judge_times() is the time verdict alone, on plain samples
(the A/A simulation of the tests uses it).

Matching
    Cases are matched by their key: every parameter of schema.PARAMS for a
    CSV (so files of several allocators pair up by allocator), the run name
    for JSON. Cases found on one side only are listed (only_in_base,
    only_in_new), never dropped. Repetitions that did not run are listed in
    `skipped`; a case with no repetition left on one side is listed there
    and not compared. Both sides must be of one kind (CSV or JSON), share
    a case that ran on both sides, or ResultsError. Sides from different
    machines or settings (cpu_model, build_type, allocator_settings ...)
    get a warning.

Time (real time per item, or CPU time with Options(time="cpu"); both are
computed and shown, the verdict uses one)
    Every repetition is one independent sample (slicebench runs each
    repetition in a fresh process). For each case:
      change   median(NEW) / median(BASE) - 1, in percent;
      p        two-sided robust t-test on log times: the difference of
               the medians over a standard error from the median absolute
               deviation (see compare_stats.robust_log_p); when the times
               fall on two levels, a side has repetitions on both, and
               the medians lie on different ones (compare_stats.level_split), Fisher's
               exact test on how many repetitions land on each level
               instead (the robust t-test would take the gap between the
               levels for a shift; the row gets a warning);
      adj. p   p after Holm's correction over all rows of the comparison
               (and the memory figures that vary, below: one family of
               every test that can fail it): the chance that any row of
               an A/A comparison (no change at all) is flagged stays at
               most alpha, however many rows;
      U p      two-sided Mann-Whitney U test, which must agree (a rank
               check that one outlier cannot fool);
      CI       the Hodges-Lehmann estimate of the change and its
               distribution-free confidence interval at level 1 - alpha
               (Moses' interval; see compare_stats).
    Verdict: "slower" or "faster" (by the sign of change) only when
    adj. p < alpha AND U p < alpha AND |change| >= min_effect AND, for
    real time, CPU time agrees (changed the same way, its U p < alpha, by
    at least min_effect and half the real change: a process that waited
    for a CPU, or shared its caches, on a loaded machine grows its real
    time much more than its CPU time; the row then gets a warning
    instead; see clocks_agree); otherwise "inconclusive" when |change| >=
    min_effect and the U test alone sees it (U p < alpha; the correction
    over the rows does not confirm it), or with too few repetitions to
    tell at all, or when the clocks disagree (more repetitions, or a
    quieter machine, decide); else "no change"; "n/a" when a side has no
    time. When n per side is too
    small for the U test to reach alpha at all (3 vs 3: its smallest p is
    0.1), the row cannot be flagged and the comparison says how many
    samples per side are needed (4 at alpha 0.05).

    Measured on times alone (tests/python/test_compare_aa.py, judge_times
    on real samples of one build, 56 rows of a --quick sweep, 1000
    simulated comparisons each):
    an A/A comparison exits 1 in 2-3 % of runs with 5 or 10 samples per
    side; a 10 % slowdown of one row is caught in most rows with 10 per
    side (34 of 56 rows in at least 90 % of runs, median row 98 %), with 5
    per side only sometimes (median row 25 %; the quietest, 1 % spread,
    68 %). Where every row's repetitions land on one of two levels half
    the time (tests/python/test_compare_aa.py, TestTwoLevels), an A/A
    comparison exits 1 in about 7 % of runs with 5 per side and under 1 %
    with 10 (60 % and 65 % before level_split). The price: a clean
    shift with one repetition of BASE already on NEW's level is read as
    two levels too, and at 5 per side Fisher's smallest p (0.008) cannot
    pass the correction over more than 6 rows, so such a row is
    "inconclusive" (at 10 per side, 56 rows: flagged in 100 of 100).

Memory (held_bytes, peak_rss_delta_bytes, allocs_per_item)
    Medians are compared (compare_memory). A change counts when it exceeds
    both the relative threshold (mem_threshold percent of BASE) and, for
    the byte figures, the absolute floor (mem_floor bytes, one page by
    default; peak RSS is exact only to the kernel's precision, its per-CPU
    counter batches: the files' rss_precision_bytes, else 32 pages per
    CPU, so its floor is the larger of the two), and the spread (max - min)
    of either side's repetitions. A figure that is the same in every
    repetition (held bytes) needs nothing more. One that varies (Go's peak
    RSS and allocations move with its collector's timing) is a sample like
    a time: it also needs a Mann-Whitney U test, Holm-adjusted together
    with the time tests of every row (one family: every test that can fail
    the comparison). Go's peak RSS is bimodal, so ranks, not medians and
    MADs: the smallest p of 5 vs 5 is 0.008, which cannot pass a
    correction over more than 6 tests, and a warning then says so and how
    many repetitions per side would do (9 for two default sweeps, 522
    tests). A figure varying within its floor counts as exact. Verdict per
    figure: "more", "less", "inconclusive" (past the thresholds and the
    spread, but not confirmed by the test), "same", or "n/a" when a side
    lacks the figure.

Regression and exit status
    A row regressed when its time verdict is "slower" or any memory verdict
    is "more" (a memory regression counts however noisy the times are).
    A case that ran in BASE but not in NEW (left out, or skipped in every
    repetition) is lost. Comparison.exit_status is 1 when a row regressed
    or a case was lost, else 0. A row is "flagged" when any verdict is
    slower, faster, more or less; inconclusive rows are counted apart.

Geometric means
    Of the ratios median(NEW) / median(BASE) of the verdict's time figure,
    over all compared rows and per group (strategy for CSV, benchmark
    family for JSON).
"""

import math
import os
from collections import namedtuple

from . import compare_input, compare_memory, compare_meta
from . import compare_stats as st
from .compare_input import MEMORY, TIMES
from .results import ResultsError

PAGE_BYTES = 4096

CI_METHOD = ("Hodges-Lehmann shift of log times, distribution-free "
             "(Moses) interval from the Mann-Whitney U null distribution")
TEST_METHOD = ("two-sided robust t-test on log times (medians, MAD), "
               "Holm-corrected over the rows; the Mann-Whitney U test must "
               "agree")

SLOWER, FASTER, NO_CHANGE, NA = "slower", "faster", "no change", "n/a"
# The median moved by at least min_effect, but the tests cannot tell it
# from noise with these repetitions (or the clocks disagree): not "no change".
INCONCLUSIVE = "inconclusive"
MORE, LESS, SAME = compare_memory.MORE, compare_memory.LESS, compare_memory.SAME
UNSURE = compare_memory.UNSURE


class Options:
    """Thresholds of the verdicts; the defaults are those of compare.py."""

    def __init__(self, alpha=0.05, min_effect=5.0, mem_threshold=1.0,
                 mem_floor=PAGE_BYTES, time="real"):
        if not 0 < alpha < 1:
            raise ValueError(f"alpha {alpha} is not between 0 and 1")
        if not (min_effect >= 0 and mem_threshold >= 0 and mem_floor >= 0):
            raise ValueError("thresholds must not be negative")
        if time not in TIMES:
            raise ValueError(f"time {time!r} is not one of {TIMES}")
        self.alpha = alpha                  # family-wise significance level
        self.min_effect = min_effect        # percent, smallest time change
        self.mem_threshold = mem_threshold  # percent, smallest memory change
        self.mem_floor = mem_floor          # bytes, smallest byte change
        self.time = time                    # "real" or "cpu": the verdict's

    @property
    def confidence(self):
        """Level of the confidence intervals: 1 - alpha."""
        return 1.0 - self.alpha


class TimeStats:
    """One time figure of one row: medians, change, tests and verdict."""

    def __init__(self, figure, column, n_base, n_new):
        self.figure = figure            # "real" or "cpu"
        self.column = column            # source column of the figure
        self.n_base = n_base            # repetitions with this figure, BASE
        self.n_new = n_new              # the same, NEW
        self.base_median = None         # ns
        self.new_median = None          # ns
        self.ratio = None               # new_median / base_median
        self.change_pct = None          # (ratio - 1) x 100
        self.p_value = None             # robust t on logs, two-sided
        self.p_adjusted = None          # p_value, Holm over the rows
        self.u_p_value = None           # Mann-Whitney, two-sided
        self.min_p = None               # smallest U p possible with these n
        self.hl_change_pct = None       # Hodges-Lehmann change, percent
        self.ci_low_pct = None          # its confidence interval, percent,
        self.ci_high_pct = None         #   None when n is too small
        self.levels = False             # two levels (level_split): p is
                                        #   Fisher's on the level counts
        self.verdict = NA


class Row:
    """One case present on both sides, compared."""

    def __init__(self, base_case, new_case):
        self.key = base_case.key
        self.label = base_case.label
        self.group = base_case.group
        self.params = base_case.params  # dict for CSV, None for JSON
        self.times = {}                 # "real"/"cpu" -> TimeStats
        self.memory = {}                # figure -> MemoryStats (present ones)
        self.time_verdict = NA          # verdict of the chosen time figure
        self.warnings = []              # one-line strings
        self.too_few = None             # (n_base, n_new) if too few reps
        self.regressed = False
        self.flagged = False


class Skip:
    """Repetitions of a case that did not run, on one side."""

    def __init__(self, side, label, messages, compared):
        self.side = side                # "base" or "new"
        self.label = label
        self.count = len(messages)      # repetitions that did not run
        self.message = "; ".join(sorted(set(messages)))
        self.compared = compared        # False: the case was left out


class Comparison:
    """Everything compare found; compare_format renders it."""

    def __init__(self, base, new, options):
        self.base = base                # compare_input.Side
        self.new = new
        self.options = options
        self.rows = []                  # Row, in Side.ordered()'s order
        self.only_in_base = []          # labels
        self.only_in_new = []
        self.lost = []                  # labels: ran in BASE, not in NEW
        self.skipped = []               # Skip
        self.warnings = []              # every warning, one line each
        self.rss_precision = 0.0        # bytes: peak RSS's change floor
        self.geomean = None             # over all rows, or None
        self.geomean_by_group = {}      # group -> geometric mean

    @property
    def regressions(self):
        return [r for r in self.rows if r.regressed]

    @property
    def exit_status(self):
        """1 if a row regressed beyond the thresholds or a case that ran in
        BASE did not run in NEW, else 0."""
        return 1 if self.regressions or self.lost else 0

    def counts(self):
        """How many rows got each verdict (time, and memory per figure)."""
        c = {"rows": len(self.rows), SLOWER: 0, FASTER: 0, NO_CHANGE: 0,
             INCONCLUSIVE: 0, NA: 0, "memory_more": 0, "memory_less": 0,
             "memory_unsure": 0, "lost": len(self.lost),
             "regressed": len(self.regressions),
             "flagged": sum(1 for r in self.rows if r.flagged)}
        for r in self.rows:
            c[r.time_verdict] += 1
            if any(m.verdict == MORE for m in r.memory.values()):
                c["memory_more"] += 1
            if any(m.verdict == LESS for m in r.memory.values()):
                c["memory_less"] += 1
            if any(m.verdict == UNSURE for m in r.memory.values()):
                c["memory_unsure"] += 1
        return c


def _time_stats(figure, column, b, n, opt):
    """The statistics of one time figure of one row; no verdict yet (the
    verdict needs every row's p, see judge)."""
    ts = TimeStats(figure, column, len(b), len(n))
    if not b or not n:
        return ts
    ts.base_median, ts.new_median = st.median(b), st.median(n)
    ts.min_p = st.min_two_sided_p(len(b), len(n))
    ts.change_pct = st.median_change(b, n)
    if ts.change_pct is None:
        return ts
    ts.ratio = ts.new_median / ts.base_median
    ts.p_value = st.robust_log_p(b, n)
    level_p = st.level_split(b, n)
    if level_p is not None:
        ts.levels, ts.p_value = True, level_p
    ts.u_p_value = st.mann_whitney_p(b, n)
    hl = st.hodges_lehmann(b, n, opt.confidence)
    if hl is not None:
        ts.hl_change_pct, ts.ci_low_pct, ts.ci_high_pct = hl
    return ts


def judge(stats, opt, memory=()):
    """Set p_adjusted and the verdict of every TimeStats in stats, the
    rows of one comparison, and of the varying memory figures `memory`
    (MemoryStats): Holm over all of these tests together."""
    memory = [ms for ms in memory if ms.varies]
    adjusted = st.holm([ts.p_value for ts in stats]
                       + [ms.p_value for ms in memory])
    for ms, p_adj in zip(memory, adjusted[len(stats):]):
        compare_memory.decide(ms, p_adj, opt)
    for ts, p_adj in zip(stats, adjusted):
        ts.p_adjusted = p_adj
        if ts.base_median is None or ts.new_median is None:
            continue
        ts.verdict = NO_CHANGE
        if ts.change_pct is None or abs(ts.change_pct) < opt.min_effect:
            continue
        u_sees = ts.u_p_value is not None and ts.u_p_value < opt.alpha
        if p_adj is not None and p_adj < opt.alpha and u_sees:
            ts.verdict = SLOWER if ts.change_pct > 0 else FASTER
        elif u_sees or (ts.min_p is not None and ts.min_p >= opt.alpha):
            # the rank test alone sees it (the correction over the rows
            # does not confirm it), or too few repetitions to tell at all
            ts.verdict = INCONCLUSIVE


def judge_times(pairs, options=None, figure="real"):
    """Time verdicts of plain samples: pairs is a list of (base, new)
    sequences of times in ns, one pair per row of one comparison; returns
    the TimeStats, in order, verdicts set."""
    opt = options or Options()
    stats = [_time_stats(figure, figure, list(b), list(n), opt)
             for b, n in pairs]
    judge(stats, opt)
    return stats


def rss_precision(*sides):
    """The coarsest peak-RSS precision of the given inputs, in bytes: their
    rss_precision_bytes metadata, else 32 pages of 4 KiB per CPU (the
    kernel's per-CPU counter batch), else 0 (JSON input)."""
    worst = 0.0
    for side in sides:
        for _, meta in side.metas:
            try:
                value = float(meta["rss_precision_bytes"])
            except (KeyError, ValueError):
                try:
                    value = 32 * 4096 * float(meta["cpus"])
                except (KeyError, ValueError):
                    value = 0.0
            if math.isfinite(value):
                worst = max(worst, value)
    return worst


_memory_stats = compare_memory.memory_stats


def _row(base, bc, nc, opt, precision):
    row = Row(bc, nc)
    for fig in TIMES:
        row.times[fig] = _time_stats(fig, base.time_columns[fig],
                                     bc.samples(fig), nc.samples(fig), opt)
    for fig in MEMORY:
        b, n = bc.samples(fig), nc.samples(fig)
        if b or n:
            row.memory[fig] = _memory_stats(fig, b, n, opt, precision)
    return row


def clocks_agree(real, cpu, opt):
    """False when a real-time verdict is not borne out by CPU time.

    real and cpu are the two TimeStats of one row. On a loaded machine a
    process waits for a CPU, or shares its caches and memory bandwidth with
    others: its wall-clock (real) time grows much more than its CPU time. A
    change of the code moves both clocks about alike (this suite's work is
    CPU-bound, one thread), so a real-time verdict needs CPU time to change
    the same way, its U test p below alpha, by at least min_effect and at
    least half as much as real time. (A CPU-time verdict, --time cpu, needs
    no such check.)
    """
    if real.verdict not in (SLOWER, FASTER) or cpu.change_pct is None:
        return True
    return (cpu.u_p_value is not None and cpu.u_p_value < opt.alpha
            and (cpu.change_pct > 0) == (real.change_pct > 0)
            and abs(cpu.change_pct) >= max(opt.min_effect,
                                           abs(real.change_pct) / 2.0))


def _finish_row(row, bc, nc, opt):
    """Verdict-dependent fields and warnings, once judge() has run."""
    ts = row.times[opt.time]
    if opt.time == "real" and not clocks_agree(ts, row.times["cpu"], opt):
        other = row.times["cpu"]
        row.warnings.append(
            f"{row.label}: {ts.figure} time {ts.change_pct:+.3g}% but "
            f"{other.figure} time {other.change_pct:+.3g}%: the clocks "
            "disagree (a process that waited on a loaded machine?), so not "
            "flagged")
        ts.verdict = INCONCLUSIVE
    if ts.levels:
        row.warnings.append(
            f"{row.label}: its {ts.figure} times fall on two levels, a side "
            f"has repetitions on both, and the medians lie on different ones: "
            f"judged by how many repetitions land on each level (Fisher's "
            f"exact test; at 5 per side it cannot pass a correction over more "
            f"than 6 rows)")
    row.time_verdict = ts.verdict
    if ts.min_p is not None and ts.min_p >= opt.alpha:
        row.too_few = (ts.n_base, ts.n_new)
        row.warnings.append(
            f"{row.label}: too few repetitions ({ts.n_base} vs {ts.n_new}): "
            f"no time change can be flagged; "
            f"{st.samples_needed(opt.alpha)} per side are needed")
    for name, n in (("BASE", ts.n_base), ("NEW", ts.n_new)):
        if n == 0:
            row.warnings.append(f"{row.label}: no {ts.column} in {name}")
    if ts.n_base and ts.n_new and ts.change_pct is None:
        row.warnings.append(f"{row.label}: BASE median time is 0; "
                            "no change computed")
    for name, case in (("BASE", bc), ("NEW", nc)):
        if case.aggregates_only:
            row.warnings.append(f"{row.label}: {name} has only aggregates; "
                                "compared by its median alone")
    for m in row.memory.values():
        if m.verdict == NA:
            side = "BASE" if m.n_base == 0 else "NEW"
            row.warnings.append(f"{row.label}: {m.figure} missing in {side}")
    mem = [m.verdict for m in row.memory.values()]
    row.regressed = row.time_verdict == SLOWER or MORE in mem
    row.flagged = (row.time_verdict in (SLOWER, FASTER)
                   or MORE in mem or LESS in mem)


def _few_warning(cmp):
    """One warning for the rows with too few repetitions: they all say the
    same; put first, it decides what the comparison can tell."""
    few = [row for row in cmp.rows if row.too_few]
    if len(few) <= 3 and len(few) < len(cmp.rows):
        return
    opt = cmp.options
    for row in few:
        row_w = [w for w in row.warnings if "too few repetitions" in w]
        cmp.warnings = [w for w in cmp.warnings if w not in row_w]
    nb, nn = min((r.too_few for r in few), key=lambda t: min(t))
    need = st.samples_needed(opt.alpha)
    head = ("no time verdict is possible" if len(few) == len(cmp.rows)
            else f"no time verdict is possible in {len(few)} of "
                 f"{len(cmp.rows)} rows")
    cmp.warnings.insert(0, (
        f"{head}: too few repetitions per side (as few as {nb} vs {nn}); "
        f"at alpha {opt.alpha:g} a verdict needs at least {need} per side, "
        f"10 to catch a 10 % change in most cases (--benchmark_repetitions, "
        f"or more runs per side); e.g. {few[0].label}"))


def compare(base, new, options=None):
    """Compare two read Sides; raise ResultsError when they do not match."""
    opt = options or Options()
    if base.kind != new.kind:
        raise ResultsError(f"{base.path}, {new.path}: mismatched runs: "
                           f"{base.kind} vs {new.kind}")
    cmp = Comparison(base, new, opt)
    common = [c.key for c in base.ordered() if c.key in new.cases]
    cmp.only_in_base = [c.label for k, c in base.cases.items()
                        if k not in new.cases]
    cmp.only_in_new = [c.label for k, c in new.cases.items()
                       if k not in base.cases]
    if not common:
        hint = ""
        ab = sorted({m.get("allocator", "") for _, m in base.metas} - {""})
        an = sorted({m.get("allocator", "") for _, m in new.metas} - {""})
        if base.kind == compare_input.CSV and ab and an and ab != an:
            hint = f"; allocators differ: {'+'.join(ab)} vs {'+'.join(an)}"
        raise ResultsError(f"{base.path}, {new.path}: no case in common "
                           f"({len(base.cases)} in BASE, {len(new.cases)} "
                           f"in NEW{hint})")

    for side_name, side in (("base", base), ("new", new)):
        for key, case in side.cases.items():
            if case.skipped:
                compared = (key in base.cases and key in new.cases
                            and bool(base.cases[key].reps)
                            and bool(new.cases[key].reps))
                cmp.skipped.append(Skip(side_name, case.label, case.skipped,
                                        compared))
    # a case BASE measured that NEW did not (left out, or skipped in every
    # repetition) is a regression of its own: a gate must not pass it
    cmp.lost = [c.label for k, c in base.cases.items()
                if c.reps and (k not in new.cases or not new.cases[k].reps)]
    cmp.rss_precision = rss_precision(base, new)
    pairs = [(base.cases[k], new.cases[k]) for k in common
             if base.cases[k].reps and new.cases[k].reps]
    if not pairs:
        raise ResultsError(f"{base.path}, {new.path}: no case ran in both "
                           f"files ({len(common)} in common, all skipped "
                           "on one side)")
    cmp.rows = [_row(base, bc, nc, opt, cmp.rss_precision)
                for bc, nc in pairs]
    memory = [ms for row in cmp.rows for ms in row.memory.values()]
    for fig in TIMES:
        judge([row.times[fig] for row in cmp.rows], opt,
              memory if fig == opt.time else ())
    for row, (bc, nc) in zip(cmp.rows, pairs):
        _finish_row(row, bc, nc, opt)

    cmp.warnings = compare_meta.differences(base, new)
    same = sorted(map(os.path.realpath, base.paths)) == sorted(map(os.path.realpath, new.paths))
    if same:
        cmp.warnings.insert(0, "BASE and NEW are the same file(s): every row is "
                               "compared with itself, which tells nothing")
    tests = (sum(1 for row in cmp.rows
                 if row.times[opt.time].p_value is not None)
             + sum(1 for ms in memory if ms.varies))
    few_memory = compare_memory.too_few_warning(cmp.rows, tests, opt.alpha)
    if few_memory:
        cmp.warnings.append(few_memory)
    for row in cmp.rows:
        cmp.warnings.extend(row.warnings)
    _few_warning(cmp)
    ratios = {}
    for row in cmp.rows:
        r = row.times[opt.time].ratio
        if r is not None and r > 0:
            ratios.setdefault(row.group, []).append(r)
    cmp.geomean = st.geometric_mean([r for rs in ratios.values() for r in rs])
    cmp.geomean_by_group = {g: st.geometric_mean(rs)
                            for g, rs in ratios.items()}
    return cmp


def compare_files(base_paths, new_paths, options=None):
    """Read two sides (a path or a list of paths each) and compare them
    (raises ResultsError)."""
    base = compare_input.load_side(base_paths)
    new = compare_input.load_side(new_paths)
    return compare(base, new, options)


RowVerdict = namedtuple("RowVerdict", "case time memory flagged regressed")
RowVerdict.__doc__ = """The verdicts of one row.

case       the case label
time       "slower", "faster", "no change" or "n/a" (the verdict's figure)
memory     dict: memory figure -> "more", "less", "same" or "n/a"
flagged    True when any verdict reports a change
regressed  True when time is "slower" or any memory figure is "more"
"""


def row_verdicts(base_paths, new_paths, options=None, **kwargs):
    """The per-row verdicts of comparing two sides.

    For experiments such as the false-alarm rate of comparing two runs of
    one build: sum(v.flagged for v in verdicts) / len(verdicts). Options
    may be given as an Options or as its keyword arguments (alpha=0.01).
    Raises ResultsError like compare_files.
    """
    if options is None:
        options = Options(**kwargs)
    cmp = compare_files(base_paths, new_paths, options)
    return [RowVerdict(r.label, r.time_verdict,
                       {f: m.verdict for f, m in r.memory.items()},
                       r.flagged, r.regressed) for r in cmp.rows]
