"""The memory verdict of one figure of one row (see compare.py, "Memory").

A memory figure (held_bytes, peak_rss_delta_bytes, allocs_per_item) is
either exact, the same in every repetition of a side (held bytes, the C
model's allocation counts), or it varies from process to process (Go's
peak RSS and allocations move with its collector; RSS with the kernel's
counters). An exact figure, or one that varies by no more than its floor
(the precision it is judged to: peak RSS within the kernel's counter
batches), that moves past the thresholds has changed.
A varying one is a sample like a time, and a gate that judged it by its
medians alone would raise a false alarm in some row of nearly every
comparison of two runs of one build: it also needs a Mann-Whitney U test
whose p is Holm-adjusted together with the time tests of the comparison
(compare.judge), and a change past the spread of either side's
repetitions. A rank test, not the robust t-test of the times: Go's peak
RSS is bimodal (one batch's garbage collected in time, or not: 67 or 128
MB for retain at 2 MiB, from one process to the next), and a side of 5
processes that falls mostly in one mode fools any test of medians and
spreads. Ranks need enough processes: with 5 per side the smallest p is
0.008, too large to survive the correction, so a varying memory figure
is flagged only with about 8 or more per side (compare-commits' rounds).
"""

import math

from . import compare_stats as st
from .compare_input import BYTE_FIGURES

MORE, LESS, SAME, NA = "more", "less", "same", "n/a"
# The medians moved past the thresholds and the repetitions' spread, but
# the test does not confirm it: neither "more" nor "same".
UNSURE = "inconclusive"


class MemoryStats:
    """One memory figure of one row: medians, change, tests and verdict."""

    def __init__(self, figure, n_base, n_new):
        self.figure = figure            # one of compare_input.MEMORY
        self.n_base = n_base
        self.n_new = n_new
        self.base = None                # median, bytes or count
        self.new = None
        self.change_abs = None          # new - base
        self.change_pct = None          # percent of base (inf if base is 0)
        self.varies = False             # a side's repetitions differ
        self.past_thresholds = False    # change past thresholds and spread
        self.p_value = None             # the U test's p, varying only
        self.p_adjusted = None          # Holm, with the comparison's times
        self.u_p_value = None           # Mann-Whitney, varying only (= p)
        self.verdict = NA


def memory_stats(figure, b, n, opt, precision=0.0):
    """The statistics of one memory figure, and its verdict as if it were
    the only test of the comparison (compare.judge adjusts it)."""
    ms = MemoryStats(figure, len(b), len(n))
    ms.base = st.median(b) if b else None
    ms.new = st.median(n) if n else None
    if not b or not n:
        return ms
    ms.change_abs = ms.new - ms.base
    if ms.base != 0:
        ms.change_pct = ms.change_abs / abs(ms.base) * 100.0
    else:
        ms.change_pct = 0.0 if ms.change_abs == 0 else math.inf
    floor = opt.mem_floor if figure in BYTE_FIGURES else 0.0
    if figure == "peak_rss_delta_bytes":
        floor = max(floor, precision)
    spread = max(max(b) - min(b), max(n) - min(n))
    # Variation within the floor (peak RSS within the kernel's precision)
    # is the measurement's own: the floor already covers it.
    ms.varies = spread > floor
    ms.past_thresholds = (abs(ms.change_pct) > opt.mem_threshold
                          and abs(ms.change_abs) > floor
                          and abs(ms.change_abs) > spread)
    if ms.varies:
        ms.u_p_value = st.mann_whitney_p(b, n)
        ms.p_value = ms.u_p_value
    decide(ms, ms.p_value, opt)
    return ms


def decide(ms, p_adjusted, opt):
    """Set ms's verdict, given its Holm-adjusted p (varying figures)."""
    if ms.change_abs is None:
        return
    ms.p_adjusted = p_adjusted
    changed = ms.past_thresholds
    if ms.varies:
        changed = (changed and p_adjusted is not None
                   and p_adjusted < opt.alpha
                   and ms.u_p_value is not None and ms.u_p_value < opt.alpha)
    if changed:
        ms.verdict = MORE if ms.change_abs > 0 else LESS
    else:
        # past the thresholds and every repetition's spread, but the
        # test over the comparison's family does not confirm it
        ms.verdict = UNSURE if ms.past_thresholds else SAME


def too_few_warning(rows, tests, alpha):
    """One warning when the varying memory figures of `rows` (compare.Row)
    cannot be flagged at all: the smallest p their numbers of repetitions
    allow, times the `tests` of the comparison's family, is not below
    alpha. None when they can, or when nothing varies."""
    varying = [(row, ms) for row in rows for ms in row.memory.values()
               if ms.varies]
    if not varying:
        return None
    stuck = [(row, ms) for row, ms in varying
             if st.min_two_sided_p(ms.n_base, ms.n_new) * tests >= alpha]
    if not stuck:
        return None
    row, ms = stuck[0]
    need = 2
    while st.min_two_sided_p(need, need) * tests >= alpha:
        need += 1
    return (f"memory: {len(stuck)} figures vary from one repetition to the "
            f"next (e.g. {ms.figure} of {row.label}); with as few as "
            f"{ms.n_base} vs {ms.n_new} repetitions no change of theirs can "
            f"pass the correction over the comparison's {tests} tests, so "
            f"they are never flagged: about {need} per side are needed")
