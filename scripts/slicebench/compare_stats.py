"""The statistics behind compare.py: two samples in, numbers out.

Nothing here knows about files, cases or verdicts; every function takes plain
sequences of floats (the repetitions of one figure in BASE and in NEW) and is
deterministic: the same input always gives the same output, there is no
random resampling.

Methods
-------
median_change(base, new)
    (median(new) / median(base) - 1) x 100, in percent.

mann_whitney_p(base, new)
    The two-sided p-value of the Mann-Whitney U test: exact for up to
    EXACT_U_LIMIT samples without ties, else the normal approximation with
    tie correction and continuity correction. It asks
    "could both samples come from one distribution?" without assuming
    normality, which suits benchmark times (skewed, with outliers).

min_two_sided_p(n1, n2)
    The smallest p the exact test can give with n1 and n2 samples:
    2 / C(n1 + n2, n1), computed in log space (no overflow for any n). With
    3 vs 3 it is 0.1, so at alpha 0.05 no amount of difference can be
    significant; more repetitions are needed. samples_needed(alpha) is the
    smallest n per side with which it is below alpha (4 at 0.05).

robust_log_p(base, new)
    The two-sided p-value of a robust t-test on log times: the difference
    of the medians over its standard error estimated from the median
    absolute deviation (MAD) of both samples, against Student's t with
    (n1 + n2 - 2) / 2 degrees of freedom (half the usual: the MAD is about
    half as efficient as the standard deviation, and taking fewer degrees
    of freedom widens the tails for its uncertainty). Unlike a rank test
    it can reach the small p that a correction over many rows asks for
    (with 56 rows Holm's first step wants p < 0.05 / 56, below what 5 vs 5
    ranks can give); unlike Welch's t-test on means, one slow process
    (benchmark noise is heavy-tailed) neither hides a change nor makes one.
    Its false-alarm rate is measured on recorded A/A samples by
    tests/python/test_compare.py (TestAASimulation).

level_split(base, new)
    Whether the two samples fall on two levels, visited within a side, their
    medians on different ones (a process lands on one level or the other,
    as a Go case's cycles do, and the two sides only drew them in
    different proportions): the widest gap between neighbouring log
    values of both samples together is over LEVEL_GAP times the robust
    t-test's sigma, a side has values on both sides of it (a side on one
    level only is what a clean shift gives), and the two medians lie on
    opposite sides. Then the medians' difference is the gap
    between the levels, which the robust t-test, whose sigma measures the
    spread within a level, would take for a shift. Returns the two-sided
    p-value of Fisher's exact test on how many of each side's values lie
    on each level (what such a sample can show), or None when the
    samples do not split so.

level_shares(base, new)
    The same two levels, whatever the medians: Fisher's exact p on the
    level counts whenever the samples fall on two levels and a side visits
    both, with the counts and the cut. Two samples can agree in their
    medians and still land on the upper level in very different shares
    (one process in 7 against one in 2); pooled over many runs, this is
    what tells them apart when nothing lies between the levels.

group_shares(base, new)
    The same counts with the samples split into the two groups that
    differ most (two_groups: Otsu's threshold on the logs), when those
    groups stand apart (GROUP_SEPARATION), with nothing needed between
    them but some may lie there: a level that a process reaches or not
    by timing leaves processes between. What gc-vs-go --tally pools
    (gcvsgo_tally.pooled_levels); compare.py's level_split keeps the gap.

holm(pvalues)
    Holm's step-down adjustment: adjusted p-values such that rejecting
    every one below alpha keeps the chance of any false rejection, over
    all of them, at most alpha (whatever their dependence).

median_interval(values, confidence)
    A distribution-free confidence interval for the median of the law the
    values were drawn from: the k-th smallest and the k-th largest value,
    k the largest with P(B <= k - 1) <= (1 - confidence) / 2 for B
    binomial (n, 1/2), the count of values below the true median. It
    assumes nothing about the law's shape, so it holds where a side lands
    on one of two levels (its median then picks one, and the interval
    spans both when each level holds enough values). With too few values
    for an interval at this confidence (n < 6 at 0.95) there is none
    (None).

hodges_lehmann(base, new, confidence)
    The Hodges-Lehmann estimate of the shift between log(new) and log(base)
    (the median of all n1 x n2 pairwise differences log(new_j) - log(base_i))
    and its distribution-free confidence interval (Moses' method): the
    interval runs from the k-th smallest to the k-th largest pairwise
    difference, where k - 1 is the largest u with
    P(U <= u) <= (1 - confidence) / 2 under the null distribution of the
    Mann-Whitney U statistic (computed exactly for n1 + n2 <= 60, by the
    normal approximation above). Working on
    logs makes the shift a ratio: exp(shift) - 1 is the relative change of
    typical times, and the interval is one for that ratio. Its coverage is
    at least `confidence` when the two distributions differ by a shift of
    log times; with too few samples (k < 1) there is no interval (None).

geometric_mean(ratios)
    exp(mean(log ratios)): the average of ratios such as new/base times, which
    treats x2 and x0.5 symmetrically.
"""

import collections
import functools
import math

import numpy as np
from scipy import special, stats

# sigma of a normal law = 1.4826 x its median absolute deviation; the
# standard error of a median of n normal values = 1.2533 x sigma / sqrt(n).
MAD_TO_SIGMA = 1.4826
MEDIAN_SE = 1.2533
# Two levels: a gap between neighbouring log times this many times the
# robust t-test's sigma (see level_split).
LEVEL_GAP = 4.0
# Two groups (group_shares): the variance between them at least this share
# of the whole, above what one spread cut in two gives (0.64 for a normal
# law, 0.75 for a uniform one)
GROUP_SEPARATION = 0.8
# Above this many samples in total, U's null distribution is approximated.
EXACT_U_LIMIT = 60
# Above this many pairs (3000 x 3000 samples) the Hodges-Lehmann estimate is
# not computed: its n1 x n2 differences would take too much memory.
PAIRS_LIMIT = 9_000_000


# level_shares' and group_shares' answer: Fisher's p, each side's count
# above the cut, the cut's log
Levels = collections.namedtuple("Levels", "p base_high new_high log_cut")


def median(values):
    """The median of a non-empty sequence of floats. The middle pair is
    averaged as a/2 + b/2, so values near the float limit do not overflow."""
    s = sorted(float(v) for v in values)
    mid = len(s) // 2
    if len(s) % 2:
        return s[mid]
    return s[mid - 1] / 2.0 + s[mid] / 2.0


def median_change(base, new):
    """Percent change of the medians, new against base; None if base's is 0."""
    mb = median(base)
    if mb == 0:
        return None
    return (median(new) / mb - 1.0) * 100.0


def median_interval(values, confidence):
    """(low, high): the median's distribution-free interval at this
    confidence, from the values' order statistics; None when there are too
    few values for one."""
    s = sorted(float(v) for v in values)
    n = len(s)
    tail = (1.0 - confidence) / 2.0
    k = 0
    # P(B <= j) for B binomial(n, 1/2), summed term by term
    cdf = 0.0
    for j in range(n // 2 + 1):
        cdf += math.exp(math.lgamma(n + 1) - math.lgamma(j + 1)
                        - math.lgamma(n - j + 1) - n * math.log(2.0))
        if cdf > tail:
            break
        k = j + 1
    if k < 1:
        return None
    return s[k - 1], s[n - k]


def min_two_sided_p(n1, n2):
    """Smallest two-sided p the exact Mann-Whitney test can give for n1, n2."""
    if n1 < 1 or n2 < 1:
        return 1.0
    # log C(n1 + n2, n1) by lgamma: C(1030, 515) is past any float.
    log_comb = (math.lgamma(n1 + n2 + 1) - math.lgamma(n1 + 1)
                - math.lgamma(n2 + 1))
    return min(1.0, 2.0 * math.exp(-log_comb))


def samples_needed(alpha):
    """Smallest n such that n vs n samples can give a two-sided p < alpha."""
    n = 1
    while min_two_sided_p(n, n) >= alpha:
        n += 1
    return n


def _log_sigma(a, b):
    """The robust t-test's sigma of two samples of logs."""
    ma, mb = median(a), median(b)
    return MAD_TO_SIGMA * median([abs(x - ma) for x in a]
                                 + [abs(x - mb) for x in b])


def robust_log_p(base, new):
    """Two-sided p of the robust t-test on log times (all values positive).

    T = (median(log new) - median(log base)) / se, se = 1.2533 x sigma x
    sqrt(1/n1 + 1/n2), sigma = 1.4826 x the median absolute deviation of
    every log time from its own side's median; T against Student's t with
    (n1 + n2 - 2) / 2 degrees of freedom. Returns 1.0 when nothing varies
    and the medians are equal, 0.0 when nothing varies and they differ
    (a deterministic change), None when a side has fewer than 2 values.
    """
    if len(base) < 2 or len(new) < 2:
        return None
    a = [math.log(x) for x in base]
    b = [math.log(x) for x in new]
    diff = median(b) - median(a)
    sigma = _log_sigma(a, b)
    if sigma == 0:
        return 1.0 if diff == 0 else 0.0
    se = MEDIAN_SE * sigma * math.sqrt(1.0 / len(a) + 1.0 / len(b))
    df = (len(a) + len(b) - 2) / 2.0
    # stdtr(df, t) is Student's t CDF (scipy.stats.t.sf, without its
    # argument checking, which costs more than the whole test).
    return float(min(1.0, 2.0 * special.stdtr(df, -abs(diff) / se)))


def level_shares(base, new):
    """Levels(p, base_high, new_high, log_cut) when base and new together
    fall on two levels and a side visits both (the gap and the counts of
    level_split, whatever the medians), else None: p is Fisher's exact
    two-sided p on how many of each side's values lie above the cut, the
    midpoint of the widest gap between neighbouring log values. All values
    positive."""
    if len(base) < 2 or len(new) < 2:
        return None
    a = [math.log(x) for x in base]
    b = [math.log(x) for x in new]
    sigma = _log_sigma(a, b)
    pooled = sorted(a + b)
    gap, i = max((pooled[j + 1] - pooled[j], j) for j in range(len(pooled) - 1))
    if gap <= LEVEL_GAP * sigma:          # also no gap at all
        return None
    return _shares_at(a, b, (pooled[i] + pooled[i + 1]) / 2.0)


def _shares_at(a, b, cut):
    """Levels of logs a and b cut at `cut` (above it: the upper level),
    or None when neither side has values on both sides of it (a clean
    shift)."""
    a_high, b_high = sum(x > cut for x in a), sum(x > cut for x in b)
    if not (0 < a_high < len(a) or 0 < b_high < len(b)):
        return None           # neither side visits both: a clean shift
    table = [[len(a) - a_high, a_high], [len(b) - b_high, b_high]]
    return Levels(float(stats.fisher_exact(table)[1]), a_high, b_high, cut)


def two_groups(logs):
    """(cut, separation) of logs split into the two groups with the largest
    variance between them (Otsu's threshold, in one dimension): cut the
    largest value of the lower group (a value is in the upper group when
    it is above the cut), separation that variance between the groups
    over the whole variance (0 to 1: 1 for two levels with nothing
    between or about them, at most about 0.75 to 0.8 for a spread with one
    peak, normal or uniform); None with fewer than 2 values or all of
    them equal. Unlike level_shares' widest gap, it needs no empty stretch
    between the groups: values may lie between them."""
    v = sorted(logs)
    n = len(v)
    if n < 2 or v[0] == v[-1]:
        return None
    total, below = math.fsum(v), 0.0
    whole = math.fsum((x - total / n) ** 2 for x in v) / n
    best, cut = -1.0, None
    for i in range(1, n):                      # v[:i] below, v[i:] above
        below += v[i - 1]
        if v[i] == v[i - 1]:
            continue        # no cut between equal values: "above" is exact
        w0, w1 = i / n, (n - i) / n
        between = w0 * w1 * (below / i - (total - below) / (n - i)) ** 2
        if between > best:
            best, cut = between, v[i - 1]
    return cut, min(1.0, best / whole)


def group_shares(base, new):
    """Levels(p, base_high, new_high, log_cut) of base and new split into
    two groups by two_groups of their logs pooled, when the groups stand
    apart (separation at least GROUP_SEPARATION: not one spread cut in
    two) and a side has values in both, else None: p is Fisher's exact
    two-sided p on how many of each side's values lie above the cut. All
    values positive."""
    if len(base) < 2 or len(new) < 2:
        return None
    a = [math.log(x) for x in base]
    b = [math.log(x) for x in new]
    groups = two_groups(a + b)
    if groups is None or groups[1] < GROUP_SEPARATION:
        return None
    return _shares_at(a, b, groups[0])


def level_split(base, new):
    """Fisher's exact p on the level counts when base and new split over
    two levels as the module's docstring says, else None."""
    levels = level_shares(base, new)
    if levels is None:
        return None
    cut = levels.log_cut
    if ((median([math.log(x) for x in base]) > cut) ==
            (median([math.log(x) for x in new]) > cut)):
        return None
    return levels.p


def holm(pvalues):
    """Holm-adjusted p-values, in the order given; None stays None."""
    known = sorted((p, i) for i, p in enumerate(pvalues) if p is not None)
    m = len(known)
    adjusted = [None] * len(pvalues)
    running = 0.0
    for rank, (p, i) in enumerate(known):
        running = max(running, min(1.0, (m - rank) * p))
        adjusted[i] = running
    return adjusted


def _ranks(values):
    """Ranks from 1, ties sharing their mean rank; and whether any tie."""
    order = sorted(range(len(values)), key=values.__getitem__)
    ranks = [0.0] * len(values)
    tied = []
    i = 0
    while i < len(order):
        j = i
        while j + 1 < len(order) and values[order[j + 1]] == values[order[i]]:
            j += 1
        for k in range(i, j + 1):
            ranks[order[k]] = (i + j) / 2.0 + 1.0
        if j > i:
            tied.append(j - i + 1)
        i = j + 1
    return ranks, tied


def mann_whitney_p(base, new):
    """Two-sided Mann-Whitney U p-value; 1.0 when every value is the same.

    Exact (from the null distribution of U) without ties and for at most
    EXACT_U_LIMIT samples in all; else the normal approximation with tie
    and continuity corrections.
    """
    n1, n2 = len(base), len(new)
    if n1 == 0 or n2 == 0:
        return None
    ranks, tied = _ranks([float(x) for x in base] + [float(x) for x in new])
    u = sum(ranks[:n1]) - n1 * (n1 + 1) / 2.0
    if not tied and n1 + n2 <= EXACT_U_LIMIT:
        cdf = _u_cdf_cached(n1, n2)
        k = int(round(u))
        low = cdf[k]
        high = 1.0 - (cdf[k - 1] if k > 0 else 0.0)
        return float(min(1.0, 2.0 * min(low, high)))
    n = n1 + n2
    tie_term = sum(t ** 3 - t for t in tied) / (n * (n - 1))
    var = n1 * n2 / 12.0 * ((n + 1) - tie_term)
    if var <= 0:
        return 1.0
    z = (abs(u - n1 * n2 / 2.0) - 0.5) / math.sqrt(var)
    return float(min(1.0, 2.0 * special.ndtr(-max(z, 0.0))))


def _u_null_cdf(n1, n2):
    """P(U <= u) for u = 0 .. n1*n2 under the null hypothesis, no ties.

    The count of arrangements with statistic u obeys
    f(m, n, u) = f(m-1, n, u-n) + f(m, n-1, u); we carry it as probabilities
    (each step weighted m/(m+n) and n/(m+n)) so large n never overflows.
    """
    # table[n] holds the distribution for (m, n) of the current m.
    size = n1 * n2 + 1
    prev = [np.zeros(size) for _ in range(n2 + 1)]
    for n in range(n2 + 1):
        prev[n][0] = 1.0                    # m = 0: U is always 0
    for m in range(1, n1 + 1):
        cur = [None] * (n2 + 1)
        cur[0] = np.zeros(size)
        cur[0][0] = 1.0                     # n = 0: U is always 0
        for n in range(1, n2 + 1):
            dist = np.zeros(size)
            w = m / (m + n)
            # The largest value is from the first sample: U grows by n.
            dist[n:] += w * prev[n][:size - n]
            dist += (1.0 - w) * cur[n - 1]
            cur[n] = dist
        prev = cur
    return np.cumsum(prev[n2])


@functools.lru_cache(maxsize=256)
def _u_cdf_cached(n1, n2):
    return _u_null_cdf(n1, n2)


@functools.lru_cache(maxsize=256)
def _critical_rank(n1, n2, confidence):
    """k for the Moses interval: 0 when no interval reaches the confidence."""
    tail = (1.0 - confidence) / 2.0
    if n1 + n2 <= EXACT_U_LIMIT:
        cdf = _u_cdf_cached(n1, n2)
        # k - 1 = largest u with P(U <= u) <= tail; the epsilon absorbs
        # rounding in the probabilities, never a whole arrangement.
        below = np.nonzero(cdf <= tail * (1.0 + 1e-9))[0]
        return int(below[-1]) + 1 if below.size else 0
    z = stats.norm.ppf(1.0 - tail)
    sd = math.sqrt(n1 * n2 * (n1 + n2 + 1) / 12.0)
    return max(0, int(math.floor(n1 * n2 / 2.0 - z * sd)))


def hodges_lehmann(base, new, confidence):
    """Shift of log times, new against base, with its confidence interval.

    Returns (change, low, high) in percent (exp(shift) - 1 times 100);
    low and high are None when the samples are too small for an interval
    at this confidence. Returns None when a value is not positive.
    """
    a = np.asarray(base, dtype=float)
    b = np.asarray(new, dtype=float)
    if a.size == 0 or b.size == 0 or np.any(a <= 0) or np.any(b <= 0):
        return None
    if a.size * b.size > PAIRS_LIMIT:
        return None
    if not (np.all(np.isfinite(a)) and np.all(np.isfinite(b))):
        return None
    diffs = np.sort((np.log(b)[:, None] - np.log(a)[None, :]).ravel())
    half = diffs.size // 2
    shift = float(diffs[half] if diffs.size % 2
                  else diffs[half - 1] / 2.0 + diffs[half] / 2.0)

    def pct(d):
        # A log ratio past ~709 (times 1e-300 vs 1e300) overflows exp.
        return math.inf if d > 700 else (math.exp(d) - 1.0) * 100.0

    k = _critical_rank(a.size, b.size, confidence)
    if k < 1:
        return pct(shift), None, None
    return pct(shift), pct(diffs[k - 1]), pct(diffs[diffs.size - k])


def geometric_mean(ratios):
    """Geometric mean of positive ratios; None for an empty sequence."""
    r = [x for x in ratios if x is not None and x > 0 and math.isfinite(x)]
    if not r:
        return None
    return math.exp(sum(math.log(x) for x in r) / len(r))
