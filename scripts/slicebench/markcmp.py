"""The model's marks held to Go's, cycle by cycle: where each mark started
(the heap then) over the same two batches, in the model (slicebench-
retention --gc=go --go-marks, one line per measuring process, from its
first batch on, with no warm-up: its first batch and one timed one) and
in Go (scripts/go-record's timed-run events, its timed loop of 2 x M
items after debug.FreeOSMemory), for the same cases.

    model = parse(stderr_text)                 # {key (gcvsgo.KEY): [[heap MiB, ...], ...]}
    go = {key: [[heap MiB, ...], ...]}         # from gorecord.events
    stats = agreement(model, go)
    print(summary(stats))

A case's figures follow from where its cycles land; two runs that land
alike start their marks at the same heaps. For every model process and
every Go process of a case, the mean |ln(model / Go)| of the heaps at
which their marks started, the i-th against the i-th up to the shorter
list, and how many more or fewer marks one made than the other; each
averaged over the pairs, then over the cases.
"""

import math
import re
import statistics

from . import gcvsgo, model_log

LINE = re.compile(r"^go-marks (\S+):(.*)$", re.M)
PAIR = re.compile(r"^(\d+(?:\.\d+)?)/(\d+(?:\.\d+)?)$")


class MarkError(model_log.LogError):
    """Marks that cannot be read; str() is one line."""


def parse(text):
    """The --go-marks lines in text: {key: [[mark start heap, MiB], ...]},
    one list per measuring process. A list cut short (" ...") or a value
    that is not heap/goal raises MarkError."""
    out = {}
    for key, name, items in model_log.lines(LINE, text, "go-marks", "marks", MarkError):
        heaps = []
        for item in items:
            m = PAIR.match(item)
            if not m:
                raise MarkError(f"go-marks of {name}: '{item}' is not heap/goal")
            heaps.append(float(m.group(1)))
        out.setdefault(key, []).append(heaps)
    return out


def _pair(m, g):
    lns = [abs(math.log(a / b)) for a, b in zip(m, g) if a > 0 and b > 0]
    return (statistics.mean(lns) if lns else None), abs(len(m) - len(g))


def agreement(model, go):
    """{key: (mean |ln(model/Go)| of the mark starts, or None when no pair
    had a mark on both sides; mean |count difference|)} for the cases both
    have, over every model process x Go process pair (a case one side
    lacks is left out: `missing` counts them)."""
    out = {}
    for key in sorted(set(model) & set(go)):
        lns, counts = [], []
        for m in model[key]:
            for g in go[key]:
                ln, d = _pair(m, g)
                if ln is not None:
                    lns.append(ln)
                counts.append(d)
        out[key] = (statistics.mean(lns) if lns else None, statistics.mean(counts))
    return out


def summary(stats, left_out=0):
    """The agreement in words: over all cases, and per GOGC; left_out
    (missing) cases on one side only, said when there are any."""
    if not stats:
        return "cycles: no case with marks on both sides"

    def line(keys, what):
        lns = [stats[k][0] for k in keys if stats[k][0] is not None]
        counts = [stats[k][1] for k in keys]
        ln = f"{statistics.mean(lns):.3f}" if lns else "-"
        return (f"{what}: mark starts off by a mean |ln(model/Go)| of {ln}, "
                f"the count of marks by {statistics.mean(counts):.2f}, "
                f"over {len(keys)} cases")
    out = [line(list(stats), "cycles, the model against Go (every model process "
                "with every Go process of its case)")]
    for gogc in sorted({k[-1] for k in stats}):
        out.append(line([k for k in stats if k[-1] == gogc], f"  GOGC {gogc}"))
    if left_out:
        out.append(f"  ({left_out} cases on one side only, left out)")
    return "\n".join(out)


def describe(key, model_runs):
    """A case's model processes' mark starts, one line."""
    runs = "; ".join(" ".join(f"{h:.1f}" for h in run) or "none" for run in model_runs)
    return (f"model {gcvsgo.case_text(dict(zip(gcvsgo.KEY, key)))}: marks start "
            f"at (MiB) {runs}")
