"""The inputs of compare.py, read into one model whatever their format.

load_side(paths) reads one side (BASE or NEW): one file or several, tells
each file's format from its content (a JSON object with a "benchmarks" list
is Google Benchmark output; anything else must be a slicebench results CSV,
see results/README.md) and returns a Side: the cases of all its files, each
with its repetitions. All files of a side must be of one kind.

How each format maps onto the model:

  slicebench CSV      case key: the parameters schema.PARAMS (strategy,
                      allocator, source_bytes, kept_bytes, items, elem_bytes,
                      growth_policy, gc, gogc); so several files per side (one per
                      allocator, or several runs of one) pair up by
                      allocator, and runs of one allocator pool their
                      repetitions. Repetitions: the measurement rows (schema
                      1's aggregate rows are not samples); times:
                      real_time_per_item_ns and cpu_time_per_item_ns (one
                      "op" is one item); group (for geometric means): the
                      strategy.
  Google Benchmark    case key: run_name less any "/repeats:N" (so runs with
  JSON                different repetition counts still match; the label
                      is the run name); several files per side pool their
                      repetitions; repetitions: entries with run_type
                      "iteration"; times: real_time and cpu_time per
                      iteration (one iteration is one item for slicebench's
                      binaries), converted to ns from time_unit; group:
                      run_name up to its first "/". User counters
                      held_bytes, peak_rss_delta_bytes and allocs_per_item
                      are read as those memory figures.

Every repetition is one sample: its (run, repetition) pair must be unique
within a case. Repetitions that did not run (CSV status other than "ok",
JSON error_occurred) are not samples; their messages are kept in
Case.skipped. A time that is zero, negative or not finite is an error. A
case with no repetition at all but a "median" aggregate (schema 1, or
--benchmark_report_aggregates_only) takes that median as its single sample
and is marked aggregates_only.

Inputs must be regular files of at most MAX_BYTES (a device or a FIFO is
refused before it is opened), and a CSV must end with a line break (one cut
short inside its last cell is refused).
"""

import math
import os
import re

from . import gbench_json, results, schema
from .results import ResultsError

CSV = "slicebench CSV"
GBENCH = "Google Benchmark JSON"

# Figures a sample may carry: the two times, in ns, and the memory figures.
TIMES = ("real", "cpu")
MEMORY = ("held_bytes", "peak_rss_delta_bytes", "allocs_per_item")
# Memory figures in bytes (the absolute floor of compare applies to them).
BYTE_FIGURES = ("held_bytes", "peak_rss_delta_bytes")

# The largest input read: far above any sweep, far below the memory.
MAX_BYTES = 256 << 20

# "/repeats:N" in a run name says how often it ran, not what it measured.
_REPEATS = re.compile(r"/repeats:\d+(?=/|$)")

CSV_TIME_COLUMNS = {"real": "real_time_per_item_ns",
                    "cpu": "cpu_time_per_item_ns"}
GBENCH_TIME_COLUMNS = {"real": "real_time", "cpu": "cpu_time"}


class Case:
    """One case of one side: what identifies it and its repetitions."""

    def __init__(self, key, label, group, params):
        self.key = key              # matching key: PARAMS tuple or run name
        self.label = label          # how outputs name the case
        self.group = group          # strategy (CSV) or family (JSON)
        self.params = params        # dict of PARAMS, or None for JSON
        self.reps = []              # list of dicts, one per repetition:
                                    #   "id": (run, repetition) or None,
                                    #   "ops": ops timed (int) or None,
                                    #   "real", "cpu": ns per op or None,
                                    #   each of MEMORY: value or None
        self.skipped = []           # messages of repetitions that did not run
        self.aggregates_only = False  # True: the one sample is the median

    def samples(self, figure):
        """Values of one figure over the repetitions, missing ones left out."""
        return [r[figure] for r in self.reps if r.get(figure) is not None]


class Side:
    """One side (BASE or NEW): its files read as cases."""

    def __init__(self, paths, kind):
        self.paths = list(paths)    # as given on the command line
        self.kind = kind            # CSV or GBENCH
        self.metas = []             # (path, metadata dict) per file
        self.procs = 1              # CPUs of the machine that ran it
        self.time_columns = (CSV_TIME_COLUMNS if kind == CSV
                             else GBENCH_TIME_COLUMNS)
        self.cases = {}             # key -> Case, in file order

    @property
    def path(self):
        """The file, or the files joined by ", "."""
        return ", ".join(self.paths)

    @property
    def meta(self):
        """The first file's metadata (CSV) or context (JSON), as strings."""
        return self.metas[0][1] if self.metas else {}

    def ordered(self):
        """The cases as reports list them: a CSV's by schema.case_order (a
        results file has them in the order measured, which is shuffled),
        a JSON's in file order."""
        cases = list(self.cases.values())
        if self.kind == CSV:
            cases.sort(key=lambda c: schema.case_order(c.params))
        return cases

    def case(self, key, label, group, params):
        if key not in self.cases:
            self.cases[key] = Case(key, label, group, params)
        return self.cases[key]


def _int_or(text, default):
    try:
        return int(text)
    except (TypeError, ValueError):
        return default


def _check_time(path, case, rep_id, column, value):
    if value is not None and not (math.isfinite(value) and value > 0):
        where = "" if rep_id is None else f"repetition {rep_id[1]}: "
        raise ResultsError(f"{path}: case {case.label}: {where}{column} "
                           f"{value!r} is not a positive finite time")


def _add_rep(path, side, case, rep):
    for fig, column in side.time_columns.items():
        _check_time(path, case, rep["id"], column, rep[fig])
        if rep[fig] is None and side.kind == CSV:
            # The reader gives NaN and an empty cell alike as None; a
            # measured repetition has both times.
            where = ("" if rep["id"] is None
                     else f"repetition {rep['id'][1]}: ")
            raise ResultsError(f"{path}: case {case.label}: {where}{column} "
                               "is empty or NaN")
    if rep["id"] is not None and any(r["id"] == rep["id"] for r in case.reps):
        raise ResultsError(f"{path}: case {case.label}: repetition "
                           f"{rep['id'][1]} of run {rep['id'][0]!r} appears "
                           "twice (the same file given twice?)")
    case.reps.append(rep)


def _row_value(row, *names):
    """The first of names a reader's row has: schema 2 names, then 1."""
    for name in names:
        if name in row:
            return row[name]
    return None


def _from_csv(path, side):
    res = results.load(path)
    side.metas.append((path, dict(res.meta)))
    side.procs = max(side.procs, _int_or(res.meta.get("cpus"), 1))
    medians = {}
    # Schema 1's aggregate rows: among the rows (a schema 1 reader) or
    # apart in Results.aggregates (a schema 2 reader).
    for row in list(res.rows) + list(getattr(res, "aggregates", ())):
        params = {p: row[p] for p in schema.PARAMS}
        case = side.case(tuple(params.values()), schema.case_label(params),
                         row["strategy"], params)
        batches = _row_value(row, "batches", "iterations")
        ops = None
        if batches is not None and row["items"] is not None:
            ops = batches * max(row["items"], 1)
        run = _row_value(row, "run_id") or res.meta.get("run_id") or path
        rep = {"id": (run, row["repetition"]), "ops": ops,
               "real": row["real_time_per_item_ns"],
               "cpu": row["cpu_time_per_item_ns"]}
        rep.update((m, row[m]) for m in MEMORY)
        aggregate = _row_value(row, "aggregate") or ""
        if aggregate == "":
            if row["status"] != "ok":
                case.skipped.append(row["message"] or row["status"])
            else:
                _add_rep(path, side, case, rep)
        elif aggregate == "median" and row["status"] == "ok":
            medians[case.key] = (path, rep)
    return medians


def _from_gbench(path, raw, side):
    doc = gbench_json.parse(path, raw)
    ctx = {k: str(v) for k, v in doc.context.items()
           if not isinstance(v, (list, dict))}
    side.metas.append((path, ctx))
    side.procs = max(side.procs, _int_or(doc.context.get("num_cpus"), 1))
    medians = {}
    for run in doc.runs:
        for m in MEMORY:
            if m in run.other and run.other[m] is not None:
                raise ResultsError(f"{path}: benchmark {run.name!r}: {m} "
                                   f"{str(run.other[m])[:40]!r} "
                                   "is not a number")
        if run.run_type == "aggregate" and run.aggregate_name != "median":
            continue
        group = run.run_name.split("/", 1)[0]
        case = side.case(_REPEATS.sub("", run.run_name), run.run_name, group,
                         None)
        rep_id = (None if run.repetition_index is None
                  else (path, run.repetition_index))
        rep = {"id": rep_id, "ops": run.iterations,
               "real": run.real_ns, "cpu": run.cpu_ns}
        rep.update((m, run.counters.get(m)) for m in MEMORY)
        if run.run_type == "aggregate":
            if run.error is None:
                medians[case.key] = (path, rep)
        elif run.error is not None:
            case.skipped.append(run.error)
        else:
            _add_rep(path, side, case, rep)
    return medians


def _median_fallback(side, medians):
    for key, (path, rep) in medians.items():
        case = side.cases[key]
        if not case.reps:
            _add_rep(path, side, case, dict(rep, id=None))
            case.aggregates_only = True


def read_input(path):
    """The bytes of one input file (results.read_bytes: a regular file of
    at most MAX_BYTES; a device or FIFO is refused before it is read)."""
    return results.read_bytes(path, MAX_BYTES)


def _load_file(path, side):
    raw = read_input(path)
    kind = GBENCH if gbench_json.looks_like_json(raw) else CSV
    if side.kind != kind:
        raise ResultsError(f"{side.path}: mismatched files: {side.kind} "
                           f"and {kind} on one side")
    if kind == GBENCH:
        return _from_gbench(path, raw, side)
    return _from_csv(path, side)          # results.load refuses a cut file


def load_side(paths):
    """Read one side of compare.py: a path or a list of paths, of one kind
    (all CSV or all JSON); raise ResultsError."""
    if isinstance(paths, (str, bytes, os.PathLike)):
        paths = [paths]
    paths = [os.fspath(p) for p in paths]
    if not paths:
        raise ResultsError("no results file given")
    if len(set(paths)) != len(paths):
        twice = next(p for p in paths if paths.count(p) > 1)
        raise ResultsError(f"{twice}: given twice on one side")
    first = read_input(paths[0])
    side = Side(paths, GBENCH if gbench_json.looks_like_json(first) else CSV)
    medians = {}
    for path in paths:
        medians.update(_load_file(path, side))
    _median_fallback(side, medians)
    return side
