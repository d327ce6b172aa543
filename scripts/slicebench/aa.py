"""A/A experiments on recorded runs of one build: how often compare.py
raises a false alarm, and which changes it catches.

A run is a stem: results/<run id>, whose files are <stem>_<allocator>.csv
(one per allocator, as scripts/sweep writes them). Every experiment builds
the two sides' files in a temporary folder and runs compare.compare_files
on them, exactly as `scripts/compare.py --base ... --new ...` would.

pairs(runs)                 consecutive runs compared: (a, b, exit, rows)
resample(runs, n, seed)     n comparisons of made-up sweeps, each case's
                            repetition i of a side taken from a different
                            run (repetitions spread over time, as rounds
                            spread them); the two sides use disjoint runs
slowdown(runs, pct, match)  consecutive pairs with NEW's real and CPU times
                            of the rows whose label contains `match`
                            multiplied by 1 + pct/100: (row, caught) each
"""

import csv
import io
import os
import random
import tempfile

from . import compare, schema
from .results import ResultsError

TIME_COLUMNS = ("real_time_per_item_ns", "cpu_time_per_item_ns")


class Run:
    """One recorded run: per allocator, its metadata lines, header and
    rows (lists of cells), and the rows by (benchmark, repetition)."""

    def __init__(self, stem):
        self.stem = stem
        self.files = {}
        folder, base = os.path.split(stem)
        try:
            names = sorted(os.listdir(folder or "."))
        except OSError as e:
            raise ResultsError(f"{folder}: {e.strerror or e}") from None
        for name in names:
            if not (name.startswith(base + "_") and name.endswith(".csv")):
                continue
            alloc = name[len(base) + 1:-4]
            with open(os.path.join(folder, name), encoding="utf-8") as f:
                lines = f.read().splitlines()
            meta = [ln for ln in lines if ln.startswith("#")]
            body = list(csv.reader(ln for ln in lines if not ln.startswith("#")))
            if not body:
                raise ResultsError(f"{name}: no header")
            self.files[alloc] = (meta, body[0], body[1:])
        if not self.files:
            raise ResultsError(f"{stem}: no <stem>_<allocator>.csv files")

    def cells(self, alloc):
        return self.files[alloc]


def _write(folder, name, meta, header, rows):
    path = os.path.join(folder, f"{name}.csv")
    out = io.StringIO()
    out.write("\n".join(meta) + ("\n" if meta else ""))
    csv.writer(out, lineterminator="\n").writerows([header] + rows)
    with open(path, "w", encoding="utf-8") as f:
        f.write(out.getvalue())
    return path


def _compare(folder, base, new, options):
    """base, new: {alloc: (meta, header, rows)} -> Comparison."""
    allocs = sorted(set(base) & set(new))
    bp = [_write(folder, f"a_{a}", *base[a]) for a in allocs]
    np_ = [_write(folder, f"b_{a}", *new[a]) for a in allocs]
    return compare.compare_files(bp, np_, options)


def pairs(runs, options=None):
    """Consecutive runs compared: a list of (a, b, Comparison)."""
    out = []
    with tempfile.TemporaryDirectory(prefix="slicebench-aa.") as tmp:
        for a, b in zip(runs, runs[1:]):
            out.append((a.stem, b.stem,
                        _compare(tmp, a.files, b.files, options)))
    return out


def _composite(runs, reps):
    """One made-up run: repetition i of every case from runs[i]."""
    files = {}
    for alloc, (meta, header, _) in runs[0].files.items():
        ri = header.index("repetition")
        rows = []
        for i, run in enumerate(runs[:reps]):
            rows += [r for r in run.files.get(alloc, (0, 0, []))[2]
                     if len(r) == len(header) and r[ri] == str(i)]
        files[alloc] = (meta, header, rows)
    return files


def resample(runs, n, seed, reps=5, options=None):
    """n comparisons of two made-up runs from disjoint runs: a list of
    Comparisons. Needs 2 x reps runs."""
    if len(runs) < 2 * reps:
        raise ResultsError(f"resampling {reps} repetitions per side needs "
                           f"{2 * reps} runs, got {len(runs)}")
    rng = random.Random(seed)
    out = []
    with tempfile.TemporaryDirectory(prefix="slicebench-aa.") as tmp:
        for _ in range(n):
            pick = rng.sample(runs, 2 * reps)
            out.append(_compare(tmp, _composite(pick[:reps], reps),
                                _composite(pick[reps:], reps), options))
    return out


def _label(header, r):
    """A row's case as compare labels it (compare_input)."""
    cells = dict(zip(header, r))
    cells.setdefault("gc", "off")     # schema 1: no collector columns
    cells.setdefault("gogc", "")
    return schema.case_label(cells)


def slowdown(runs, pct, match, options=None):
    """Consecutive pairs, NEW's times of the rows whose label contains
    `match` raised by pct percent: a list of (label, time verdict), one
    per slowed row and pair, and the number of other rows that regressed."""
    factor = 1.0 + pct / 100.0
    verdicts, others = [], 0
    with tempfile.TemporaryDirectory(prefix="slicebench-aa.") as tmp:
        for a, b in zip(runs, runs[1:]):
            new = {}
            for alloc, (meta, header, rows) in b.files.items():
                ti = [header.index(c) for c in TIME_COLUMNS]
                slowed = []
                for r in rows:
                    r = list(r)
                    if len(r) == len(header) and match in _label(header, r):
                        for i in ti:
                            if r[i]:
                                r[i] = repr(float(r[i]) * factor)
                    slowed.append(r)
                new[alloc] = (meta, header, slowed)
            cmp = _compare(tmp, a.files, new, options)
            for row in cmp.rows:
                if match in row.label:
                    verdicts.append((row.label, row.time_verdict))
                elif row.regressed:
                    others += 1
    return verdicts, others
