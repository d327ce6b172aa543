"""Reading slicebench results CSV files (schema in results/README.md).

A results file is a tidy CSV: metadata lines ``# key=value`` first, then one
header row, then one row per benchmark run (each repetition, and the
aggregates marked in the ``aggregate`` column).

Everything that is wrong with a file is reported as a ResultsError whose
message is one line naming the file and the problem; command-line tools catch
it, print it on stderr and exit with status 2.
"""

import csv
import io
import math
import os

SCHEMA_VERSION = 1

# The parameters that identify a case (one column each), in this order.
PARAMS = ("strategy", "allocator", "source_bytes", "kept_bytes", "items",
          "elem_bytes", "growth_policy")

# Every column of schema 1, in file order, with how its cells are read:
# "str", "int" (parameters, counts) or "float" (figures; empty means missing).
COLUMNS = (
    ("benchmark", "str"),
    ("strategy", "str"),
    ("allocator", "str"),
    ("source_bytes", "int"),
    ("kept_bytes", "int"),
    ("kept_rule", "str"),
    ("items", "int"),
    ("elem_bytes", "int"),
    ("growth_policy", "str"),
    ("repetition", "int"),
    ("aggregate", "str"),
    ("status", "str"),
    ("message", "str"),
    ("iterations", "int"),
    ("real_time_per_item_ns", "float"),
    ("cpu_time_per_item_ns", "float"),
    ("strategy_time_per_item_ns", "float"),
    ("items_per_second", "float"),
    ("kept_bytes_per_second", "float"),
    ("peak_rss_delta_bytes", "float"),
    ("held_bytes", "float"),
    ("held_reserved_bytes", "float"),
    ("needed_bytes", "float"),
    ("amplification", "float"),
    ("peak_rss_amplification", "float"),
    ("allocs_per_item", "float"),
    ("page_faults_per_item", "float"),
)
COLUMN_NAMES = tuple(name for name, _ in COLUMNS)
_KIND = dict(COLUMNS)

STRATEGIES = ("receive-only", "retain", "copy", "append", "exactcap",
              "append-nil", "append-each")


class ResultsError(Exception):
    """A results file that cannot be used; str() is one line."""


class Results:
    """One results file: its path, its metadata and its typed rows."""

    def __init__(self, path, meta, rows):
        self.path = path
        self.meta = meta      # dict of str -> str, from the "# key=value" lines
        self.rows = rows      # list of dicts, column name -> typed value

    def repetitions(self):
        """Rows that are single repetitions (not aggregates), status ok."""
        return [r for r in self.rows
                if r["aggregate"] == "" and r["status"] == "ok"]

    def aggregate(self, name):
        """Rows of one aggregate ("mean", "median", "stddev", "cv")."""
        return [r for r in self.rows if r["aggregate"] == name]


def case_key(row):
    """The tuple of parameters that identifies a row's case."""
    return tuple(row[p] for p in PARAMS)


def _cell(path, lineno, name, text):
    kind = _KIND[name]
    if kind == "str":
        return text
    if text == "":
        return None
    try:
        if kind == "int":
            return int(text)
        value = float(text)
    except ValueError:
        raise ResultsError(f"{path}:{lineno}: column {name}: "
                           f"{text[:40]!r} is not a number") from None
    if math.isnan(value):
        return None
    return value


def read_bytes(path):
    """The whole file at path, or ResultsError: missing, a folder,
    unreadable or empty. Shared by every reader of results files."""
    try:
        with open(path, "rb") as f:
            raw = f.read()
    except FileNotFoundError:
        raise ResultsError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise ResultsError(f"{path}: is a directory, not a results file") from None
    except OSError as e:
        raise ResultsError(f"{path}: cannot read: {e.strerror}") from None
    if not raw.strip():
        raise ResultsError(f"{path}: empty file")
    return raw


def load(path):
    """Read and check one results file; raise ResultsError if it is unusable."""
    raw = read_bytes(path)
    if b"\0" in raw:
        raise ResultsError(f"{path}: binary data, not a results CSV")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise ResultsError(f"{path}: not UTF-8 text, not a results CSV") from None

    meta = {}
    lines = text.splitlines()
    body_start = 0
    for i, line in enumerate(lines):
        if not line.startswith("#"):
            body_start = i
            break
        key, sep, value = line[1:].strip().partition("=")
        if sep:
            meta[key.strip()] = value.strip()
    else:
        body_start = len(lines)

    version = meta.get("schema_version")
    if version is None:
        raise ResultsError(f"{path}: not a slicebench results file "
                           "(no '# schema_version=' line)")
    if version != str(SCHEMA_VERSION):
        raise ResultsError(f"{path}: schema version {version}, "
                           f"this tool reads version {SCHEMA_VERSION}")

    try:
        return _parse_body(path, meta, lines, body_start)
    except csv.Error as e:              # e.g. a field past csv's size limit
        raise ResultsError(f"{path}: not a valid CSV: {e}") from None


def _parse_body(path, meta, lines, body_start):
    reader = csv.reader(io.StringIO("\n".join(lines[body_start:])))
    header = next(reader, None)
    if not header:
        raise ResultsError(f"{path}: no header row")
    missing = [c for c in COLUMN_NAMES if c not in header]
    if missing:
        raise ResultsError(f"{path}: missing columns: {', '.join(missing)}")
    index = {name: header.index(name) for name in COLUMN_NAMES}

    rows = []
    for offset, cells in enumerate(reader):
        lineno = body_start + 2 + offset
        if not cells:
            continue
        if len(cells) != len(header):
            raise ResultsError(f"{path}:{lineno}: {len(cells)} cells, "
                               f"header has {len(header)}")
        rows.append({name: _cell(path, lineno, name, cells[index[name]])
                     for name in COLUMN_NAMES})
    if not rows:
        raise ResultsError(f"{path}: no result rows")
    return Results(os.fspath(path), meta, rows)


def load_many(paths):
    """Read several files; the first unusable one raises ResultsError."""
    if not paths:
        raise ResultsError("no results files given")
    return [load(p) for p in paths]
