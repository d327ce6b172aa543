"""Reading Google Benchmark JSON output (--benchmark_out_format=json).

This is the layout Google Benchmark 1.7.1 writes (older versions write a
subset of it, which is read the same way):

    {
      "context": {"date": "...", "host_name": "...", "executable": "...",
                  "num_cpus": 2, "mhz_per_cpu": 2400,
                  "cpu_scaling_enabled": false,
                  "caches": [...], "load_avg": [...],
                  "library_build_type": "release"},
      "benchmarks": [
        {"name": "BM_x/64/repeats:5", "family_index": 0,
         "per_family_instance_index": 0, "run_name": "BM_x/64/repeats:5",
         "run_type": "iteration", "repetitions": 5, "repetition_index": 0,
         "threads": 1, "iterations": 1000, "real_time": 1.2e+02,
         "cpu_time": 1.2e+02, "time_unit": "ns", "held_bytes": 4.1e+03},
        ...
        {"name": "BM_x/64/repeats:5_mean", "run_name": "BM_x/64/repeats:5",
         "run_type": "aggregate", "aggregate_name": "mean",
         "aggregate_unit": "time", ...}
      ]
    }

One entry per run. `run_name` names the case; entries with run_type
"iteration" are repetitions (real_time and cpu_time per iteration, in
`time_unit`: ns, us, ms or s), entries with run_type "aggregate" are the
mean/median/stddev/cv (and BigO/RMS for complexity fits) of a case. A run
stopped by SkipWithError has "error_occurred": true and "error_message"
(newer versions: "skipped" and "skip_message"). Every other numeric key is a
user counter, by its name; other keys whose values are not numbers are kept
aside, so a reader can tell a garbled counter from an absent one. Files
without run_name / run_type (before 1.5) are read with run_name = name and
run_type = "iteration".

parse(path, raw) checks all of this and returns a GBenchFile; a file that
cannot be used raises ResultsError with one line naming the file and the
problem. Times must be finite and positive.

slicebench's binaries make one benchmark iteration one item, so their
real_time and cpu_time are per item, like the results CSV's
real_time_per_item_ns and cpu_time_per_item_ns; this reader takes the
times as they are (per iteration) and does not know about items.
"""

import json
import math
import os

from .results import ResultsError

# Nanoseconds per unit of "time_unit".
TIME_UNITS = {"ns": 1.0, "us": 1e3, "ms": 1e6, "s": 1e9}

# Keys of an entry that are not user counters.
_STRUCTURAL = frozenset((
    "name", "family_index", "per_family_instance_index", "run_name",
    "run_type", "repetitions", "repetition_index", "threads",
    "aggregate_name", "aggregate_unit", "error_occurred", "error_message",
    "skipped", "skip_message", "iterations", "real_time", "cpu_time",
    "time_unit", "label", "big_o", "cpu_coefficient", "real_coefficient",
    "rms",
))

# The context key that newer versions write; this reader knows version 1.
SCHEMA_KEY = "json_schema_version"
SCHEMA_VERSION = 1


class GBenchRun:
    """One entry of "benchmarks": a repetition or an aggregate of a case."""

    def __init__(self, name, run_name, run_type, aggregate_name,
                 repetition_index, iterations, real_ns, cpu_ns, counters,
                 other, error):
        self.name = name                    # entry name, e.g. "BM_x/64_mean"
        self.run_name = run_name            # the case: "BM_x/64"
        self.run_type = run_type            # "iteration" or "aggregate"
        self.aggregate_name = aggregate_name  # "mean", "median", ... or ""
        self.repetition_index = repetition_index  # int, or None if absent
        self.iterations = iterations        # iterations timed, or None
        self.real_ns = real_ns              # wall time per iteration, ns
        self.cpu_ns = cpu_ns                # CPU time per iteration, ns
        self.counters = counters            # dict: counter name -> float
        self.other = other                  # other keys with non-numbers
        self.error = error                  # why the run failed, or None


class GBenchFile:
    """One Google Benchmark JSON file: its path, context and runs."""

    def __init__(self, path, context, runs):
        self.path = path
        self.context = context              # the "context" object, a dict
        self.runs = runs                    # list of GBenchRun, file order


def looks_like_json(raw):
    """True if the bytes of a file start (after blanks) with a JSON object."""
    text = raw.lstrip(b"\xef\xbb\xbf \t\r\n")
    return text.startswith(b"{")


def _number(path, where, key, value, required):
    """value as a float (NaN included), None when absent and not required;
    ResultsError when it is not a number or too large for a float."""
    if value is None:
        if required:
            raise ResultsError(f"{path}: {where}: missing {key}")
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ResultsError(f"{path}: {where}: {key} "
                           f"{str(value)[:40]!r} is not a number")
    try:
        return float(value)
    except OverflowError:   # an integer of hundreds of digits
        raise ResultsError(f"{path}: {where}: {key} is an integer too large "
                           "for a float") from None


def _time(path, where, key, value, scale, measured):
    """A time in ns; a measured one (not an aggregate such as a standard
    deviation, which may be 0) must be finite and positive."""
    value = _number(path, where, key, value, True)
    if not measured:
        return None if math.isnan(value) else value * scale
    if not (math.isfinite(value) and value > 0):
        raise ResultsError(f"{path}: {where}: {key} {value!r} is not a "
                           "positive finite time")
    return value * scale


def _run(path, index, entry):
    if not isinstance(entry, dict) or not isinstance(entry.get("name"), str):
        raise ResultsError(f"{path}: benchmark #{index}: "
                           "not an object with a \"name\"")
    name = entry["name"]
    where = f"benchmark {name!r}"
    run_name = entry.get("run_name", name)
    run_type = entry.get("run_type", "iteration")
    if not isinstance(run_name, str) or run_type not in ("iteration",
                                                         "aggregate"):
        raise ResultsError(f"{path}: {where}: run_name/run_type "
                           "are not those of Google Benchmark")
    error = None
    if entry.get("error_occurred") or entry.get("skipped"):
        error = str(entry.get("error_message") or entry.get("skip_message")
                    or "skipped")

    rep = entry.get("repetition_index")
    if rep is not None and (isinstance(rep, bool) or not isinstance(rep, int)):
        raise ResultsError(f"{path}: {where}: repetition_index "
                           f"{str(rep)[:40]!r} is not an integer")
    iterations = _number(path, where, "iterations",
                         entry.get("iterations"), False)
    if iterations is not None and not (math.isfinite(iterations)
                                       and iterations >= 0):
        raise ResultsError(f"{path}: {where}: iterations {iterations!r} is "
                           "not a count")

    # Complexity fits (BigO, RMS) have no times; skip-with-error runs may
    # have none either. Every other run must have both times and a unit.
    timed = error is None and ("real_time" in entry or run_type == "iteration")
    real_ns = cpu_ns = None
    if timed:
        unit = entry.get("time_unit", "ns")
        if unit not in TIME_UNITS:
            raise ResultsError(f"{path}: {where}: time_unit "
                               f"{str(unit)[:40]!r} is not ns, us, ms or s")
        scale = TIME_UNITS[unit]
        measured = run_type == "iteration"
        real_ns = _time(path, where, "real_time", entry.get("real_time"),
                        scale, measured)
        cpu_ns = _time(path, where, "cpu_time", entry.get("cpu_time"), scale,
                       measured)

    counters, other = {}, {}
    for key, value in entry.items():
        if key in _STRUCTURAL:
            continue
        if value is None or isinstance(value, (str, bool, list, dict)):
            other[key] = value
            continue
        number = _number(path, where, key, value, False)
        counters[key] = None if math.isnan(number) else number
    return GBenchRun(name, run_name, run_type,
                     str(entry.get("aggregate_name", "")), rep,
                     None if iterations is None else int(iterations),
                     real_ns, cpu_ns, counters, other, error)


def parse(path, raw):
    """Check and read the bytes of a Google Benchmark JSON file."""
    if b"\0" in raw:
        raise ResultsError(f"{path}: binary data, not a benchmark JSON file")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ResultsError(f"{path}: not UTF-8 text, "
                           "not a benchmark JSON file") from None
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as e:
        raise ResultsError(f"{path}: not valid JSON: {e.msg} "
                           f"(line {e.lineno}, column {e.colno})") from None
    except RecursionError:
        raise ResultsError(f"{path}: not valid JSON: nested too deeply") \
            from None
    except ValueError as e:     # e.g. an integer past 4300 digits
        raise ResultsError(f"{path}: not usable JSON: {e}".split("\n")[0]
                           [:200]) from None
    if not isinstance(doc, dict) or not isinstance(doc.get("benchmarks"),
                                                   list):
        raise ResultsError(f"{path}: JSON without a \"benchmarks\" list, "
                           "not Google Benchmark output")
    context = doc.get("context", {})
    if not isinstance(context, dict):
        raise ResultsError(f"{path}: \"context\" is not an object")
    version = context.get(SCHEMA_KEY, SCHEMA_VERSION)
    if version != SCHEMA_VERSION:
        raise ResultsError(f"{path}: JSON schema version {version}, "
                           f"this tool reads version {SCHEMA_VERSION}")
    runs = [_run(path, i, e) for i, e in enumerate(doc["benchmarks"])]
    if not runs:
        raise ResultsError(f"{path}: no benchmark runs")
    return GBenchFile(os.fspath(path), context, runs)

