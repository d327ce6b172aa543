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
    The two-sided p-value of the Mann-Whitney U test (scipy.stats.mannwhitneyu,
    method "auto": exact for small samples without ties, else the normal
    approximation with tie correction and continuity correction). It asks
    "could both samples come from one distribution?" without assuming
    normality, which suits benchmark times (skewed, with outliers).

min_two_sided_p(n1, n2)
    The smallest p the exact test can give with n1 and n2 samples:
    2 / C(n1 + n2, n1). With 3 vs 3 it is 0.1, so at alpha 0.05 no amount of
    difference can be significant; more repetitions are needed.

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

import functools
import math

import numpy as np
from scipy import stats

# Above this many samples in total, U's null distribution is approximated.
EXACT_U_LIMIT = 60


def median(values):
    """The median of a non-empty sequence of floats."""
    return float(np.median(np.asarray(values, dtype=float)))


def median_change(base, new):
    """Percent change of the medians, new against base; None if base's is 0."""
    mb = median(base)
    if mb == 0:
        return None
    return (median(new) / mb - 1.0) * 100.0


def min_two_sided_p(n1, n2):
    """Smallest two-sided p the exact Mann-Whitney test can give for n1, n2."""
    if n1 < 1 or n2 < 1:
        return 1.0
    return min(1.0, 2.0 / math.comb(n1 + n2, n1))


def mann_whitney_p(base, new):
    """Two-sided Mann-Whitney U p-value; 1.0 when every value is the same."""
    a = np.asarray(base, dtype=float)
    b = np.asarray(new, dtype=float)
    if a.size == 0 or b.size == 0:
        return None
    if np.all(a == a[0]) and np.all(b == a[0]):
        return 1.0
    p = float(stats.mannwhitneyu(b, a, alternative="two-sided",
                                 method="auto").pvalue)
    if math.isnan(p):
        return 1.0
    return min(p, 1.0)


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
def _critical_rank(n1, n2, confidence):
    """k for the Moses interval: 0 when no interval reaches the confidence."""
    tail = (1.0 - confidence) / 2.0
    if n1 + n2 <= EXACT_U_LIMIT:
        cdf = _u_null_cdf(n1, n2)
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
    diffs = np.sort((np.log(b)[:, None] - np.log(a)[None, :]).ravel())
    shift = float(np.median(diffs))

    def pct(d):
        return (math.exp(d) - 1.0) * 100.0

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
