"""The leak families' results files (results/FAMILIES.md): read, check, and
put the C model beside Go.

One job: `read(path)` gives a file's metadata and rows (kind=families,
schema_version 1, the columns of COLUMNS); `side_by_side(model, go)` pairs
the rows of a C-model file and a Go file by (family, variant) and says
whether their held bytes agree; `markdown(pairs)` is the findings table.
Standard library only.
"""
import csv
import io

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
_INTS = {"item_bytes", "queue_len", "pops", "bufs_per_write", "ops",
         "held_bytes", "peak_held_bytes", "peak_rss_delta_bytes",
         "rss_held_delta_bytes", "reps"}
_FLOATS = {"time_per_op_ns", "scenario_time_ns"}


class FamiliesError(Exception):
    """A file that is not a families results file; one line, names it."""


def parse(path, text):
    """(metadata dict, list of row dicts) from a file's text."""
    meta, lines = {}, text.splitlines()
    start = len(lines)
    for i, line in enumerate(lines):
        if not line.startswith("#"):
            start = i
            break
        key, sep, value = line[1:].strip().partition("=")
        if sep:
            meta[key.strip()] = value.strip()
    if meta.get("kind") != KIND:
        raise FamiliesError(f"{path}: not a families results file (no '# kind={KIND}')")
    if meta.get("schema_version") != SCHEMA_VERSION:
        raise FamiliesError(f"{path}: families schema version "
                            f"{meta.get('schema_version')}, this tool reads {SCHEMA_VERSION}")
    reader = csv.reader(io.StringIO("\n".join(lines[start:])))
    header = next(reader, None)
    if header is None or tuple(header) != COLUMNS:
        raise FamiliesError(f"{path}: the header is not the families columns")
    rows = []
    for n, cells in enumerate(reader, start=start + 2):
        if not cells:
            continue
        if len(cells) != len(COLUMNS):
            raise FamiliesError(f"{path}:{n}: {len(cells)} cells, want {len(COLUMNS)}")
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
        rows.append(row)
    return meta, rows


def read(path):
    """parse() of the file at path."""
    try:
        with open(path, encoding="utf-8") as f:
            return parse(path, f.read())
    except OSError as e:
        raise FamiliesError(f"{path}: {e.strerror}") from None
    except UnicodeDecodeError:
        raise FamiliesError(f"{path}: not UTF-8 text") from None


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
