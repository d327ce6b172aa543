"""Where the Python tests find things: the repository, its scripts/ (put
first on sys.path, so that `slicebench` imports from the checkout) and
the committed reference run. Imported first by every test script."""

import glob
import os
import sys

sys.dont_write_bytecode = True
REPO = os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__))))
SCRIPTS = os.path.join(REPO, "scripts")
if SCRIPTS not in sys.path:
    sys.path.insert(0, SCRIPTS)


def gc_vs_go_reference():
    """The committed reference run of scripts/gc-vs-go (the one kept
    folder results/reference/gc-vs-go-*, the last by name)."""
    return sorted(glob.glob(os.path.join(REPO, "results", "reference",
                                         "gc-vs-go-*")))[-1]


def reference_csv():
    """The committed reference run's glibc results (the first by name)."""
    return sorted(glob.glob(os.path.join(REPO, "results", "reference",
                                         "*_glibc.csv")))[0]


def with_collectors(src, dst, settings):
    """Write dst: the results CSV src (schema 2, run with gc off) with its
    rows once per (gogc, factor) of settings, as one run under several
    collectors writes them: gogc None is gc off, else Go's collector at
    that GOGC; times x factor. The rows come reversed, as a shuffled run
    may write them. Returns dst."""
    import csv
    with open(src, newline="") as f:
        lines = f.read().splitlines(keepends=True)
    meta = [line for line in lines if line.startswith("#")]
    table = list(csv.DictReader(line for line in lines
                                if not line.startswith("#")))
    rows = []
    for gogc, factor in settings:
        for row in table:
            row = dict(row, gc="off" if gogc is None else "go",
                       gogc="" if gogc is None else str(gogc))
            for col in ("real_time_per_item_ns", "cpu_time_per_item_ns"):
                if row[col]:
                    row[col] = repr(float(row[col]) * factor)
            rows.append(row)
    with open(dst, "w", newline="") as f:
        f.writelines(meta)
        w = csv.DictWriter(f, fieldnames=list(table[0]), lineterminator="\n")
        w.writeheader()
        w.writerows(reversed(rows))
    return dst
