"""Rounds of runs merged into one results file: the rounds of one side of
compare-commits, and scripts/sweep's rounds (slicebench.sweep_rounds).

merge_rounds(paths, repetitions, out) reads each round's results file with
the package's reader (results.load: schema 1 or 2) and writes every
measurement of every round to `out`, in the schema the reader gives its rows
in, with the metadata of round 0. Schema 1 keeps a run's id in its metadata
only, so repetition i of round r (from 0) becomes r x repetitions + i and
all stay distinct; schema 2 rows carry their round's run_id and keep their
repetition. Aggregate rows (schema 1) are dropped.

create_pair(out_dir, stem) creates the two output files exclusively (never
overwriting); write_merged(a, b, out_dir, stamp) does both sides. Every
failure is a CommitsError of one line; a file this module created is
removed again when writing it fails.
"""

import csv
import math
import os

from . import results, schema
from .commits_git import CommitsError
from .results import ResultsError


def _columns(row):
    """The schema (version, column names) of a row as the reader gives it."""
    if set(schema.COLUMN_NAMES) <= set(row):
        return schema.SCHEMA_VERSION, schema.COLUMN_NAMES
    return 1, schema.COLUMNS_V1


def _cell(value):
    if value is None:
        return ""
    if isinstance(value, float):
        if math.isnan(value):
            return ""
        # repr round-trips a float exactly; integral ones lose the ".0".
        return str(int(value)) if value.is_integer() and abs(value) < 1e15 \
            else repr(value)
    return str(value)


def merge_rounds(paths, repetitions, out, as_run=None, meta=None):
    """Write one results CSV from the per-round files `paths` to the open
    text file `out`; return the number of rows written (see the module
    docstring). With as_run (a run id), the rounds become one run: every
    row's run_id is as_run and repetition i of round r is r x repetitions
    + i, as for schema 1 (scripts/sweep's rounds); `meta` (a dict) is
    written over round 0's metadata. Raises CommitsError when a round is
    unusable or the rounds do not fit together."""
    if not paths:
        raise CommitsError("no round to merge")
    columns = None
    writer = csv.writer(out, lineterminator="\n")
    written = 0
    for r, path in enumerate(paths):
        try:
            res = results.load(path)
        except ResultsError as e:
            raise CommitsError(f"round {r + 1}: {e}") from None
        if columns is None:
            version, columns = _columns(res.rows[0])
            head = dict(res.meta, **(meta or {}))
            head["schema_version"] = str(version)
            for key, value in head.items():
                out.write(f"# {key}={value}\n")
            writer.writerow(columns)
        elif _columns(res.rows[0])[1] != columns:
            raise CommitsError(f"{path}: schema differs from that of "
                               f"{paths[0]}")
        for row in res.rows:
            if row.get("aggregate"):
                continue
            row = dict(row)
            i = row["repetition"]
            if i is not None and not 0 <= i < repetitions:
                raise CommitsError(f"{path}: {row['benchmark']}: repetition "
                                   f"{i} outside 0..{repetitions - 1}")
            if ("run_id" not in row or as_run) and i is not None:
                row["repetition"] = r * repetitions + i
            if as_run and "run_id" in row:
                row["run_id"] = as_run
            writer.writerow([_cell(row[c]) for c in columns])
            written += 1
    return written


def create_pair(out_dir, stem):
    """Create <stem>_a.csv and <stem>_b.csv in out_dir, neither existing.

    Exclusive creation (O_EXCL): an existing file is never touched; on a
    clash the stem gets ".2", ".3", ... Returns the two paths (empty files).
    """
    for n in range(1, 1000):
        s = stem if n == 1 else f"{stem}.{n}"
        a, b = (os.path.join(out_dir, f"{s}_{x}.csv") for x in "ab")
        try:
            open(a, "x").close()
        except FileExistsError:
            continue
        try:
            open(b, "x").close()
        except FileExistsError:
            os.unlink(a)
            continue
        return a, b
    raise CommitsError(f"{out_dir}: no free name for {stem}_a.csv")


def write_merged(sides, out_dir, stem, repetitions, log):
    """Merge each side's rounds into a new pair of files in out_dir.

    sides: two (name, round paths) pairs, A then B. Returns the two paths.
    On any failure (a folder that cannot be made or written: read-only,
    full, /proc) the files made here are removed and CommitsError says
    why; the rounds themselves are never touched.
    """
    try:
        os.makedirs(out_dir, exist_ok=True)
        paths = create_pair(out_dir, stem)
    except OSError as e:
        raise CommitsError(f"{out_dir}: cannot write the merged results "
                           f"there: {e.strerror or e}") from None
    try:
        for (name, rounds), path in zip(sides, paths):
            with open(path, "w", encoding="utf-8", newline="") as out:
                n = merge_rounds(rounds, repetitions, out)
            try:
                results.load(path)
            except ResultsError as e:
                raise CommitsError(f"merged file not valid: {e}") from None
            log(f"compare-commits: {name}: {n} rows in {path}")
    except OSError as e:
        _remove(paths)
        raise CommitsError(f"{out_dir}: cannot write the merged results "
                           f"there: {e.strerror or e}") from None
    except BaseException:
        _remove(paths)
        raise
    return paths


def _remove(paths):
    for path in paths:
        try:
            os.unlink(path)
        except OSError:
            pass
