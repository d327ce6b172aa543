"""The "Leak families" section of findings.md and report.html (matplotlib-free).

    tables = family_tables(files)     # files: slicebench.families.FamiliesFile
    markdown(files, tables)           # "## Leak families", then one table each
    html(files, tables)               # the same, as HTML

One table per family (results/FAMILIES.md), in the order the files list
them, one row per variant: what the variant does (families.VARIANTS), the
bytes it holds at the end on each side (C model beside Go, in human units),
whether they agree to the byte, and the time per operation of its timed
phase on each side. A side is one input file, labelled by its language ("C
model", "Go"), with its allocator or run id added when two files share one.
A dash is a figure a side did not measure, or a variant it lacks.
"""

import html as html_mod
import os

from . import units
from .families import FAMILIES, VARIANTS
from .findings import Findings

SECTION = "Leak families"
_LANGUAGES = {"c-model": "C model", "go": "Go"}


def _order(f):
    """C model files first, then Go, then others; stable otherwise."""
    return list(_LANGUAGES).index(f.language) if f.language in _LANGUAGES \
        else len(_LANGUAGES)


def sources(files):
    """(label, FamiliesFile) pairs, C model first, labels unique."""
    files = sorted(files, key=_order)
    labels = [_LANGUAGES.get(f.language, f.language) for f in files]
    if len(set(labels)) < len(labels):
        labels = [f"{label} ({f.meta.get('allocator') or f.run_id})"
                  if labels.count(label) > 1 else label
                  for label, f in zip(labels, files)]
    if len(set(labels)) < len(labels):
        labels = [f"{label} ({os.path.basename(f.path)})"
                  for label, f in zip(labels, files)]
    return list(zip(labels, files))


def _agree(helds):
    if any(h is None for h in helds):
        return units.MISSING
    return "yes" if len(set(helds)) == 1 else "NO"


def family_tables(files):
    """One Findings table per family (see the module docstring)."""
    pairs = sources(files)
    keys = []
    for _, f in pairs:
        for r in f.rows:
            if (r["family"], r["variant"]) not in keys:
                keys.append((r["family"], r["variant"]))
    at = [{(r["family"], r["variant"]): r for r in f.rows} for _, f in pairs]
    labels = [label for label, _ in pairs]
    header = (["variant", "what it does"]
              + [f"held, {label}" for label in labels]
              + (["same bytes"] if len(pairs) > 1 else [])
              + [f"time/op, {label}" for label in labels])
    tables = []
    for family in dict.fromkeys(k[0] for k in keys):
        rows = []
        for key in (k for k in keys if k[0] == family):
            found = [side.get(key) for side in at]
            helds = [r["held_bytes"] if r else None for r in found]
            rows.append(
                [key[1], VARIANTS.get(key, units.MISSING)]
                + [units.format_bytes(h) for h in helds]
                + ([_agree(helds)] if len(pairs) > 1 else [])
                + [units.format_ns(r["time_per_op_ns"] if r else None)
                   for r in found])
        tables.append(Findings(family, FAMILIES.get(family, ""), header, rows,
                               level=3, left=2, code=0))
    return tables


def _sizes(files):
    """The sizes of the runs, in words; several when the files differ."""
    seen = []
    for f in files:
        r = f.rows[0]
        text = (f"items of {units.format_bytes(r['item_bytes'])}, a queue of "
                f"{r['queue_len']} with {r['pops']} pops, "
                f"{r['bufs_per_write']} buffers per write")
        if text not in seen:
            seen.append(text)
    if len(seen) == 1:
        return seen[0]
    return "the files differ: " + "; ".join(seen)


def intro(files):
    """The paragraph above the tables."""
    names = ", ".join(f"{label}: {os.path.basename(f.path)}"
                      for label, f in sources(files))
    return (f"Files {names}; {_sizes(files)}. Held is what is still "
            "reachable at the end of the scenario, every array rounded as "
            "Go's malloc rounds it (the C model computes it, Go measures its "
            "heap after a full collection); same bytes says whether the "
            "sides agree to the byte. Time/op is the wall time of the timed "
            "phase (the part a fix changes) per operation, mean of the runs: "
            "where the model frees memory in that phase its time is mostly "
            "the allocator's free, work Go leaves to its collector. See "
            "results/FAMILIES.md.")


def markdown(files, tables):
    """The section as Markdown."""
    return "\n".join([f"## {SECTION}", "", intro(files), ""]
                     + [t.markdown() for t in tables])


def html(files, tables):
    """The section as HTML (a heading, the intro, a table per family)."""
    out = [f"<h2>{SECTION}</h2>",
           f'<p class="note">{html_mod.escape(intro(files))}</p>']
    for t in tables:
        out.append(f'<h3 id="family-{html_mod.escape(t.title)}">'
                   f"{html_mod.escape(t.title)}</h3>"
                   f'<p class="note">{html_mod.escape(t.intro)}</p>'
                   + t.html())
    return "\n".join(out)
