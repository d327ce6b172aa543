"""The two inputs of compare.py, read into one model whatever their format.

load_side(path) reads a file, tells its format from its content (a JSON
object with a "benchmarks" list is Google Benchmark output; anything else
must be a slicebench results CSV, see results/README.md) and returns a Side:
the file's cases, each with its repetitions.

How each format maps onto the model:

  slicebench CSV      case key: the parameters results.PARAMS (strategy,
                      allocator, source_bytes, kept_bytes, items, elem_bytes,
                      growth_policy); repetitions: rows with an empty
                      `aggregate`; times: real_time_per_item_ns and
                      cpu_time_per_item_ns (one "op" is one item, so a
                      repetition counts iterations x items ops); group (for
                      geometric means): the strategy.
  Google Benchmark    case key: run_name less any "/repeats:N" (so runs with
  JSON                different repetition counts still match; the label
                      is the run name); repetitions: entries with run_type
                      "iteration"; times: real_time and cpu_time per iteration,
                      converted to ns from time_unit (one op is one
                      iteration); group: run_name up to its first "/".
                      User counters held_bytes, peak_rss_delta_bytes and
                      allocs_per_item are read as those memory figures.

Repetitions that did not run (CSV status other than "ok", JSON
error_occurred) are not samples; their messages are kept in Case.skipped. A
case with no repetition at all but a "median" aggregate (a run with
--benchmark_report_aggregates_only) takes that median as its single sample
and is marked aggregates_only.
"""

import csv
import os
import re

from . import gbench_json, results
from .results import ResultsError

CSV = "slicebench CSV"
GBENCH = "Google Benchmark JSON"

# Figures a sample may carry: the two times, in ns, and the memory figures.
TIMES = ("real", "cpu")
MEMORY = ("held_bytes", "peak_rss_delta_bytes", "allocs_per_item")
# Memory figures in bytes (the absolute floor of compare applies to them).
BYTE_FIGURES = ("held_bytes", "peak_rss_delta_bytes")

# "/repeats:N" in a run name says how often it ran, not what it measured.
_REPEATS = re.compile(r"/repeats:\d+(?=/|$)")

_CSV_TIME_COLUMNS = {"real": "real_time_per_item_ns",
                     "cpu": "cpu_time_per_item_ns"}
_GBENCH_TIME_COLUMNS = {"real": "real_time", "cpu": "cpu_time"}


class Case:
    """One case of one file: what identifies it and its repetitions."""

    def __init__(self, key, label, group, params):
        self.key = key              # matching key: PARAMS tuple or run name
        self.label = label          # how outputs name the case
        self.group = group          # strategy (CSV) or family (JSON)
        self.params = params        # dict of PARAMS, or None for JSON
        self.reps = []              # list of dicts, one per repetition:
                                    #   "repetition": index or None,
                                    #   "ops": ops timed (int) or None,
                                    #   "real", "cpu": ns per op or None,
                                    #   each of MEMORY: value or None
        self.skipped = []           # messages of repetitions that did not run
        self.aggregates_only = False  # True: the one sample is the median

    def samples(self, figure):
        """Values of one figure over the repetitions, missing ones left out."""
        return [r[figure] for r in self.reps if r.get(figure) is not None]


class Side:
    """One input file (BASE or NEW) read as cases."""

    def __init__(self, path, kind, meta, procs, time_columns):
        self.path = path            # as given on the command line
        self.kind = kind            # CSV or GBENCH
        self.meta = meta            # CSV metadata or the JSON context (str)
        self.procs = procs          # CPUs of the machine that ran it
        self.time_columns = time_columns  # "real"/"cpu" -> source column
        self.cases = {}             # key -> Case, in file order

    def case(self, key, label, group, params):
        if key not in self.cases:
            self.cases[key] = Case(key, label, group, params)
        return self.cases[key]


def case_label(params):
    """A compact, unique name for a CSV case, from all its parameters."""
    p = params
    return (f"{p['strategy']}/N:{p['source_bytes']}/k:{p['kept_bytes']}"
            f"/M:{p['items']}/elem:{p['elem_bytes']}"
            f"/growth:{p['growth_policy']}/alloc:{p['allocator']}")


def _int_or(text, default):
    try:
        return int(text)
    except (TypeError, ValueError):
        return default


def _add_rep(side, case, rep):
    index = rep["repetition"]
    if index is not None and any(r["repetition"] == index for r in case.reps):
        raise ResultsError(f"{side.path}: case {case.label}: "
                           f"repetition {index} appears twice")
    case.reps.append(rep)


def _from_csv(path):
    try:
        res = results.load(path)
    except csv.Error as e:
        raise ResultsError(f"{path}: not a valid CSV: {e}") from None
    side = Side(os.fspath(path), CSV, dict(res.meta),
                _int_or(res.meta.get("cpus"), 1), _CSV_TIME_COLUMNS)
    medians = {}
    for row in res.rows:
        params = {p: row[p] for p in results.PARAMS}
        case = side.case(results.case_key(row), case_label(params),
                         row["strategy"], params)
        ops = None
        if row["iterations"] is not None and row["items"] is not None:
            ops = row["iterations"] * max(row["items"], 1)
        rep = {"repetition": row["repetition"], "ops": ops,
               "real": row["real_time_per_item_ns"],
               "cpu": row["cpu_time_per_item_ns"]}
        rep.update((m, row[m]) for m in MEMORY)
        if row["aggregate"] == "":
            if row["status"] != "ok":
                case.skipped.append(row["message"] or row["status"])
            else:
                _add_rep(side, case, rep)
        elif row["aggregate"] == "median" and row["status"] == "ok":
            medians[case.key] = rep
    _median_fallback(side, medians)
    return side


def _from_gbench(path, raw):
    doc = gbench_json.parse(path, raw)
    ctx = {k: str(v) for k, v in doc.context.items()
           if not isinstance(v, (list, dict))}
    procs = _int_or(doc.context.get("num_cpus"), 1)
    side = Side(os.fspath(path), GBENCH, ctx, procs, _GBENCH_TIME_COLUMNS)
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
        rep = {"repetition": run.repetition_index, "ops": run.iterations,
               "real": run.real_ns, "cpu": run.cpu_ns}
        rep.update((m, run.counters.get(m)) for m in MEMORY)
        if run.run_type == "aggregate":
            if run.error is None:
                medians[case.key] = rep
        elif run.error is not None:
            case.skipped.append(run.error)
        else:
            _add_rep(side, case, rep)
    _median_fallback(side, medians)
    return side


def _median_fallback(side, medians):
    for key, rep in medians.items():
        case = side.cases[key]
        if not case.reps:
            case.reps.append(dict(rep, repetition=None))
            case.aggregates_only = True


def load_side(path):
    """Read one input of compare.py, CSV or JSON; raise ResultsError."""
    raw = results.read_bytes(path)
    if gbench_json.looks_like_json(raw):
        return _from_gbench(path, raw)
    return _from_csv(path)

