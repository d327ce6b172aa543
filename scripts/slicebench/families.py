"""The leak families' results files (results/FAMILIES.md): read, check, and
put the C model beside Go.

One job: `read(path)` gives a file's metadata and rows (kind=families,
schema_version 1, the columns of COLUMNS), through the package's one CSV
reader (slicebench.results: read_bytes, decode, split_table); `load(path)`
the same as a FamiliesFile; `load_inputs(paths)` reads retention and
families files given together and tells them apart. `side_by_side(model,
go)` pairs the rows of a C-model file and a Go file by (family, variant)
and says whether their held bytes agree; `markdown(pairs)` is
scripts/families-table's table. FAMILIES and VARIANTS are the one line of
text on each family and variant that the report shows
(slicebench.families_report). Standard library only.
"""
import math

from .results import ResultsError, decode, read_bytes, split_table
from .results import parse as results_parse

SCHEMA_VERSION = "1"
KIND = "families"

# The one list of the families CSV's columns, in order (results/FAMILIES.md;
# benchmarks/families.c and benchmarks/go/families/fambench write them).
COLUMNS = (
    "run_id", "language", "family", "variant", "item_bytes", "queue_len",
    "pops", "bufs_per_write", "ops", "held_bytes", "peak_held_bytes",
    "peak_rss_delta_bytes", "rss_held_delta_bytes", "time_per_op_ns",
    "scenario_time_ns", "reps",
)
# What each family and variant is, in one line each: the texts the report
# and findings.md show (benchmarks/families.h describes the C scenarios,
# results/FAMILIES.md the families; test_families_py checks that every
# variant of fambench and slicebench-families has a line here).
FAMILIES = {
    "queue": "a queue of pointers popped by re-slicing: a popped pointer "
             "stays in the backing array, which the collector scans whole "
             "(cks, \"An interesting way to leak memory with Go slices\")",
    "iovec": "a [][]byte of buffers cached on a long-lived object keeps every "
             "written buffer until the next write (golang/go PR 32138, "
             "internal/poll Writev)",
    "temporary": "a small view of b pins all of b until an append "
                 "reallocates (the article's closing remark)",
    "article": "the article's own fix as written: c = append(c, b[:2]...), "
               "then b = nil, while a = b[:2] is still kept",
}
VARIANTS = {
    ("queue", "pop_front"): "q = q[1:] until popped",
    ("queue", "pop_front_nil"): "q[0] = nil, then q = q[1:] (the fix)",
    ("queue", "pop_back"): "q = q[:len(q)-1] until popped",
    ("queue", "pop_back_nil"): "q[len(q)-1] = nil, then q = q[:len(q)-1] (the fix)",
    ("queue", "copy_live"): "pop_front, then q = make + copy of the live part (the fix)",
    ("queue", "pop_front_append"): "pop all but one from the front, then one "
                                   "append (reallocates)",
    ("queue", "pop_back_append"): "pop all but one from the back, then one "
                                  "append (in place)",
    ("iovec", "keep"): "slots left as they are after the write",
    ("iovec", "clear"): "each slot set to nil after the write (the fix)",
    ("temporary", "sub3_pinned"): "a = b[:16:16], b dropped",
    ("temporary", "sub3_append"): "a = b[:16:16], then one append (reallocates)",
    ("temporary", "sub_pinned"): "a = b[:16], b dropped",
    ("temporary", "sub_append_inplace"): "a = b[:16], then one append within cap(b)",
    ("temporary", "sub_outgrow"): "a = b[:16], appends past cap(b)",
    ("article", "before_nil"): "a = b[:2] kept, c = append(c, b[:2]...), b still live",
    ("article", "after_nil"): "the same, then b = nil (a still kept)",
    ("article", "without_a"): "c = append(c, b[:2]...), b = nil, no a (the fix as meant)",
}

_INTS = {"item_bytes", "queue_len", "pops", "bufs_per_write", "ops",
         "held_bytes", "peak_held_bytes", "peak_rss_delta_bytes",
         "rss_held_delta_bytes", "reps"}
_FLOATS = {"time_per_op_ns", "scenario_time_ns"}


class FamiliesError(ResultsError):
    """A file that is not a families results file; one line, names it.
    A ResultsError, so that the tools reading both kinds of file catch
    one exception."""


class FamiliesFile:
    """One families results file: its path, metadata and typed rows."""

    def __init__(self, path, meta, rows):
        self.path = path
        self.meta = meta
        self.rows = rows

    @property
    def run_id(self):
        return self.meta.get("run_id") or (self.rows[0]["run_id"]
                                           if self.rows else "")

    @property
    def language(self):
        """"c-model" or "go": the rows' language (else the metadata's)."""
        found = {r["language"] for r in self.rows}
        if len(found) == 1:
            return found.pop()
        return self.meta.get("language", "c-model")


def is_families(meta):
    """True when a file's metadata says it is a families results file."""
    return meta.get("kind") == KIND


def parse(path, text):
    """(metadata dict, list of row dicts) from a file's text, split by
    slicebench.results.split_table (the package's one CSV reader)."""
    try:
        meta, header, body = split_table(path, text)
    except FamiliesError:
        raise
    except ResultsError as e:
        raise FamiliesError(str(e)) from None
    if not is_families(meta):
        raise FamiliesError(f"{path}: not a families results file (no '# kind={KIND}')")
    if meta.get("schema_version") != SCHEMA_VERSION:
        raise FamiliesError(f"{path}: families schema version "
                            f"{meta.get('schema_version')}, this tool reads {SCHEMA_VERSION}")
    if tuple(header) != COLUMNS:
        raise FamiliesError(f"{path}: the header is not the families columns")
    rows, seen = [], {}
    for n, cells in body:
        row = {}
        for name, cell in zip(COLUMNS, cells):
            try:
                if cell == "" and name in _INTS | _FLOATS:
                    row[name] = None
                elif name in _INTS:
                    row[name] = int(cell)
                elif name in _FLOATS:
                    row[name] = float(cell)
                else:
                    row[name] = cell
            except ValueError:
                raise FamiliesError(f"{path}:{n}: {name} is not a number: {cell!r}") from None
            v = row[name]
            if isinstance(v, (int, float)) and not (math.isfinite(v) and v >= 0):
                # rss_held may fall below the start: the only signed figure
                if not (name == "rss_held_delta_bytes" and math.isfinite(v)):
                    raise FamiliesError(f"{path}:{n}: {name} is not a finite "
                                        f"number of 0 or more: {cell!r}")
        key = (row["family"], row["variant"])
        if key in seen:
            raise FamiliesError(f"{path}:{n}: {key[0]}/{key[1]} a second time "
                                f"(first on line {seen[key]})")
        seen[key] = n
        rows.append(row)
    if not rows:
        raise FamiliesError(f"{path}: no result rows")
    return meta, rows


def parse_bytes(path, raw):
    """parse() of a file's bytes (binary or non-UTF-8 data refused)."""
    try:
        return parse(path, decode(path, raw))
    except FamiliesError:
        raise
    except ResultsError as e:
        raise FamiliesError(str(e)) from None


def read(path):
    """parse() of the file at path."""
    try:
        return parse_bytes(path, read_bytes(path))
    except FamiliesError:
        raise
    except ResultsError as e:
        raise FamiliesError(str(e)) from None


def load(path):
    """The FamiliesFile at path."""
    meta, rows = read(path)
    return FamiliesFile(path, meta, rows)


def load_inputs(paths):
    """(retention Results, FamiliesFile) lists of paths of either kind, each
    file read once; told apart by the metadata line `# kind=families`."""
    if not paths:
        raise ResultsError("no results files given")
    retention, fams = [], []
    for path in paths:
        raw = read_bytes(path)
        meta, _, _ = split_table(path, decode(path, raw))
        if is_families(meta):
            meta, rows = parse_bytes(path, raw)
            fams.append(FamiliesFile(path, meta, rows))
        else:
            retention.append(results_parse(path, raw))
    return retention, fams


def side_by_side(model_rows, go_rows):
    """Pairs (family, variant, model row, go row or None), in the model's
    order, then Go's variants the model lacks (model row None)."""
    go = {(r["family"], r["variant"]): r for r in go_rows}
    pairs, seen = [], set()
    for r in model_rows:
        key = (r["family"], r["variant"])
        seen.add(key)
        pairs.append((key[0], key[1], r, go.get(key)))
    for r in go_rows:
        key = (r["family"], r["variant"])
        if key not in seen:
            pairs.append((key[0], key[1], None, r))
    return pairs


def _num(v, fmt):
    return "" if v is None else format(v, fmt)


def markdown(pairs):
    """The findings table: held bytes on both sides, whether they agree, the
    model's RSS at the measurement point, and time per operation."""
    out = ["| family | variant | held, C model (B) | held, Go (B) | equal | "
           "RSS at that point, C (B) | ns/op, C model | ns/op, Go |",
           "|---|---|--:|--:|:-:|--:|--:|--:|"]
    for family, variant, m, g in pairs:
        mh = m["held_bytes"] if m else None
        gh = g["held_bytes"] if g else None
        equal = "yes" if m and g and mh == gh else "NO"
        out.append(f"| {family} | {variant} | {_num(mh, ',')} | {_num(gh, ',')} | "
                   f"{equal} | {_num(m and m['rss_held_delta_bytes'], ',')} | "
                   f"{_num(m and m['time_per_op_ns'], ',.1f')} | "
                   f"{_num(g and g['time_per_op_ns'], ',.1f')} |")
    return "\n".join(out) + "\n"
