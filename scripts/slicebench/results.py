"""Reading slicebench results CSV files: the package's one CSV parser.

A results file (schema in results/README.md, column list in
slicebench.schema) is `# key=value` metadata lines, one header row, then one
row per measurement (one repetition of one case). `load(path)` reads schema 2
and schema 1 files into the same typed rows of schema 2:

    schema 2   taken as written;
    schema 1   aggregate rows (mean, median, stddev, cv) dropped from the
               rows (kept apart: Results.aggregate), `iterations` renamed
               `batches`, `run_id` taken from the metadata, its
               `strategy_time_per_item_ns` ignored.

Either way the derived columns of schema.DERIVED are computed here, where
every row of the file is known (see `derive_strategy_time`).

Rows are dicts: column name -> str, int, float or None (an empty cell: not
measured). For the comparison tools, which still read schema 1 names, each
row also carries `iterations` (= batches) and `aggregate` (always ""); these
two keys are deprecated and go when those tools read `batches`.

What a file may be: a regular file (not a FIFO, device or folder) of at most
MAX_FILE_BYTES, UTF-8 without NUL bytes, every row with the header's number
of cells, ending with a line break (a last line without one was cut while
being written and is refused, not read as data). In rows with status "ok"
figures are finite, times above zero and sizes, counts and ratios not
negative. Anything else raises ResultsError, whose message is one line
naming the file (and line) and the problem; command-line tools print it and
exit with status 2.
"""

import csv
import math
import os
import stat
import statistics

from . import schema, units
from .schema import (BASELINE, COLUMN_NAMES, COLUMNS, COLUMNS_V1, PARAMS,
                     RENAMED_V1, SCHEMA_VERSION, STRATEGY_NAMES)

# Old names, kept for the modules that import them from here.
STRATEGIES = STRATEGY_NAMES
READABLE_VERSIONS = schema.READABLE_VERSIONS

# A results file of a full sweep is a few MB; refuse anything far larger
# (and never read /dev/zero without end).
MAX_FILE_BYTES = 256 * 1024 * 1024

# Figures that may be negative in a valid row: a difference, and the RSS
# growth, which the kernel's batched counter can read below the start.
_SIGNED = ("strategy_time_per_item_ns", "peak_rss_delta_bytes",
           "peak_rss_amplification")


class ResultsError(Exception):
    """A results file that cannot be used; str() is one line."""


class Results:
    """One results file: its path, metadata, version read and typed rows."""

    def __init__(self, path, meta, rows, version=SCHEMA_VERSION,
                 aggregates=()):
        self.path = path
        self.meta = meta          # dict str -> str, from "# key=value"
        self.rows = rows          # list of dicts (schema 2 + derived)
        self.version = version    # the schema version the file had
        self.aggregates = list(aggregates)  # schema 1's aggregate rows

    @property
    def run_id(self):
        """The run id of the file (metadata, else the first row's)."""
        if self.meta.get("run_id"):
            return self.meta["run_id"]
        return self.rows[0]["run_id"] if self.rows else ""

    def repetitions(self):
        """The rows with status "ok" (each one repetition of a case)."""
        return [r for r in self.rows if r["status"] == "ok"]

    def aggregate(self, name):
        """A schema 1 file's aggregate rows of one kind ("mean", "median",
        "stddev", "cv"), typed like rows (unchecked: cv rows hold fractions
        and NaN); [] for schema 2, which has none. Only for readers that
        fall back on a median when a file has no repetition rows (a run
        with --benchmark_report_aggregates_only)."""
        return [r for r in self.aggregates if r["aggregate"] == name]


def case_key(row):
    """The tuple of parameters that identifies a row's case."""
    return tuple(row[p] for p in PARAMS)


# ---------------------------------------------------------------------------
# Bytes and text
# ---------------------------------------------------------------------------

def read_bytes(path, limit=MAX_FILE_BYTES):
    """The whole regular file at path, or ResultsError: missing, a folder,
    not a regular file (FIFO, device), unreadable, over `limit` bytes or
    empty. Opening does not block on a FIFO."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
    except FileNotFoundError:
        raise ResultsError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise ResultsError(f"{path}: is a directory, "
                           "not a results file") from None
    except OSError as e:
        raise ResultsError(f"{path}: cannot read: {e.strerror}") from None
    try:
        info = os.fstat(fd)
        if stat.S_ISDIR(info.st_mode):
            raise ResultsError(f"{path}: is a directory, not a results file")
        if not stat.S_ISREG(info.st_mode):
            raise ResultsError(f"{path}: not a regular file (a pipe or "
                               "device); give a results file")
        if info.st_size > limit:
            raise ResultsError(f"{path}: {info.st_size} bytes, more than "
                               f"the {units.format_bytes(limit)} a results file may have")
        chunks, size = [], 0
        while size <= limit:
            chunk = os.read(fd, min(1 << 20, limit + 1 - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
    except OSError as e:
        raise ResultsError(f"{path}: cannot read: {e.strerror}") from None
    finally:
        os.close(fd)
    raw = b"".join(chunks)
    if len(raw) > limit:
        raise ResultsError(f"{path}: grew past the {limit} bytes a results "
                           "file may have while being read")
    if not raw.strip():
        raise ResultsError(f"{path}: empty file")
    return raw


def decode(path, raw):
    """raw bytes as text, or ResultsError for binary or non-UTF-8 data."""
    if b"\0" in raw:
        raise ResultsError(f"{path}: binary data, not a results CSV")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        raise ResultsError(f"{path}: not UTF-8 text, "
                           "not a results CSV") from None


def split_table(path, text):
    """(metadata dict, header list, [(line number, cells)]) of a results
    file's text. Checks only the shape: metadata first, a header, each row
    as many cells as the header, and a line break after the last row."""
    lines = text.split("\n")
    if lines[-1] != "":
        raise ResultsError(
            f"{path}:{len(lines)}: last line has no line break: the file was "
            "cut while being written (refusing to read that row as data)")
    lines.pop()
    meta, start = {}, len(lines)
    for i, line in enumerate(lines):
        if not line.startswith("#"):
            start = i
            break
        key, sep, value = line[1:].strip().partition("=")
        if sep:
            meta[key.strip()] = value.strip()
    try:
        parsed = list(csv.reader(lines[start:], strict=True))
    except csv.Error as e:          # a quote left open, a field too long
        raise ResultsError(f"{path}: not a valid CSV: {e}") from None
    if not parsed or not parsed[0]:
        raise ResultsError(f"{path}: no header row")
    header = parsed[0]
    rows = []
    for offset, cells in enumerate(parsed[1:]):
        lineno = start + 2 + offset
        if not cells:
            continue
        if len(cells) != len(header):
            raise ResultsError(f"{path}:{lineno}: {len(cells)} cells, "
                               f"header has {len(header)}")
        rows.append((lineno, cells))
    return meta, header, rows


# ---------------------------------------------------------------------------
# Typed rows
# ---------------------------------------------------------------------------

def _number(path, lineno, name, kind, text):
    if text == "":
        return None
    try:
        value = int(text) if kind == "int" else float(text)
    except ValueError:
        raise ResultsError(f"{path}:{lineno}: column {name}: "
                           f"{text[:40]!r} is not a number") from None
    return value


def _check(path, lineno, row):
    """Refuse figures no measurement can have, in a row with status ok."""
    for name in ("source_bytes", "items", "elem_bytes"):
        if row[name] is None or row[name] <= 0:
            raise ResultsError(f"{path}:{lineno}: column {name}: "
                               f"{row[name]!r}, must be above zero")
    for name in ("kept_bytes", "batches", "repetition"):
        if row[name] is not None and row[name] < 0:
            raise ResultsError(f"{path}:{lineno}: column {name}: "
                               f"{row[name]} is negative")
    for name, kind in COLUMNS:
        value = row[name]
        if kind != "float" or value is None:
            continue
        if not math.isfinite(value):
            raise ResultsError(f"{path}:{lineno}: column {name}: {value} "
                               "is not a finite number")
        if name in schema.TIME_COLUMNS:
            if value <= 0:
                raise ResultsError(f"{path}:{lineno}: column {name}: "
                                   f"{value} ns, a time must be above zero")
        elif value < 0 and name not in _SIGNED:
            raise ResultsError(f"{path}:{lineno}: column {name}: {value} "
                               "is negative")


def _typed_rows(path, version, meta, header, body):
    names = COLUMN_NAMES if version == 2 else COLUMNS_V1
    missing = [c for c in names if c not in header]
    if missing:
        raise ResultsError(f"{path}: missing columns: {', '.join(missing)}")
    index = {name: header.index(name) for name in names}
    run_id = meta.get("run_id", "")
    rows, aggregates = [], []
    for lineno, cells in body:
        if version == 1:
            text = {RENAMED_V1.get(n, n): cells[index[n]] for n in names}
            text["run_id"] = run_id
            # columns schema 1 did not have: its arrays were freed at the
            # last release, and its held bytes were capacity x element size
            text.update(gc="off", gogc="", kept_headers_bytes="",
                        held_cap_bytes=text["held_bytes"])
        else:
            text = {n: cells[index[n]] for n in names}
        row = {}
        for name, kind in COLUMNS:
            value = text[name]
            row[name] = (value if kind == "str" else
                         _number(path, lineno, name, kind, value))
        if version == 1 and text["aggregate"] != "":
            # Not a measurement: kept apart (Results.aggregate).
            row["aggregate"] = text["aggregate"]
            aggregates.append(row)
            continue
        if row["status"] == "ok":
            _check(path, lineno, row)
        rows.append(row)
    return rows, aggregates


def derive_strategy_time(rows):
    """Set each row's strategy_time_per_item_ns: its real time per item minus
    the median receive-only real time per item of the same run and case
    (allocator, N, k, M, elem, growth, gc, gogc); None without that
    baseline. Done
    once every row of a run is known, so the order of rows does not
    matter."""
    def key(row):
        return (row["run_id"], row["allocator"], row["source_bytes"],
                row["kept_bytes"], row["items"], row["elem_bytes"],
                row["growth_policy"], row["gc"], row["gogc"])
    times = {}
    for row in rows:
        if (row["strategy"] == BASELINE and row["status"] == "ok"
                and row["real_time_per_item_ns"] is not None):
            times.setdefault(key(row), []).append(
                row["real_time_per_item_ns"])
    base = {k: statistics.median(v) for k, v in times.items()}
    for row in rows:
        b = base.get(key(row))
        t = row["real_time_per_item_ns"]
        row["strategy_time_per_item_ns"] = (
            None if b is None or t is None or row["status"] != "ok"
            else t - b)


def parse(path, raw):
    """Results of a file's bytes (see the module docstring)."""
    meta, header, body = split_table(path, decode(path, raw))
    version = meta.get("schema_version")
    if version is None:
        raise ResultsError(f"{path}: not a slicebench results file "
                           "(no '# schema_version=' line)")
    if version not in {str(v) for v in READABLE_VERSIONS}:
        readable = " and ".join(str(v) for v in READABLE_VERSIONS)
        raise ResultsError(f"{path}: schema version {version[:20]}, this "
                           f"tool reads versions {readable}")
    version = int(version)
    rows, aggregates = _typed_rows(path, version, meta, header, body)
    if not rows and not aggregates:
        raise ResultsError(f"{path}: no result rows")
    derive_strategy_time(rows)
    for row in rows:                    # deprecated schema 1 names
        row["iterations"] = row["batches"]
        row["aggregate"] = ""
    for row in aggregates:
        row["iterations"] = row["batches"]
        row["strategy_time_per_item_ns"] = None
    return Results(os.fspath(path), meta, rows, version, aggregates)


def load(path):
    """Read and check one results file; raise ResultsError if unusable."""
    return parse(path, read_bytes(path))


def load_many(paths):
    """Read several files; the first unusable one raises ResultsError."""
    if not paths:
        raise ResultsError("no results files given")
    return [load(p) for p in paths]
