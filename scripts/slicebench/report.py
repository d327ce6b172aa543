"""The self-contained HTML report of a run.

render_html(sel, images, findings) -> str
    One page with no external resources: the case and filters, the machine
    check of each input file (its warnings, and the keys of
    schema.MACHINE_KEYS that the file has), the findings table
    (slicebench.findings), every plot as a PNG data: URI with its caption,
    the skipped cases, and the metadata of every input file side by side;
    with leak families files also their section (slicebench.families_report).
render_families_html(families, section) -> str
    The page of families files alone: that section, machine check, metadata.

`sel` is a slicebench.model.Selection; this module only reads it and needs
no matplotlib.
"""

import base64
import html
import os

from . import units
from .schema import MACHINE_KEYS, META_KEYS

_CSS = """
body { font-family: sans-serif; color: #222; margin: 2em auto;
       max-width: 1200px; padding: 0 1em; line-height: 1.4; }
h1 { font-size: 1.6em; margin-bottom: 0.2em; }
h2 { font-size: 1.25em; margin-top: 2em; border-bottom: 1px solid #ccc; }
table { border-collapse: collapse; margin: 0.8em 0; font-size: 0.9em; }
th, td { border: 1px solid #ccc; padding: 0.25em 0.6em; text-align: left;
         vertical-align: top; }
th { background: #f2f2f2; }
td.num { text-align: right; }
table.meta td { word-break: break-all; max-width: 28em; }
table.meta thead th, table.machine thead th { word-break: break-all; }
figure { margin: 1.5em 0; }
figure img { max-width: 100%; height: auto; border: 1px solid #eee; }
figcaption { font-size: 0.9em; color: #444; max-width: 60em; }
code { background: #f4f4f4; padding: 0 0.2em; }
.note { color: #555; font-size: 0.9em; }
.warn { background: #fff4e0; border-left: 4px solid #e69500;
        padding: 0.3em 1em; }
"""


def _esc(text):
    return html.escape(str(text), quote=True)


def _machine_check(results):
    """The machine check of every file: warnings first, then a table of the
    keys present; a note when no file has them."""
    keys = [k for k in MACHINE_KEYS[1:] if any(k in r.meta for r in results)]
    warned = [(r, r.meta["machine_warnings"]) for r in results
              if r.meta.get("machine_warnings")]
    # build_type was recorded before the machine check was: it alone does
    # not say that the check ran.
    checked = [k for k in MACHINE_KEYS if k != "build_type"]
    if not any(k in r.meta for r in results for k in checked):
        return ('<p class="note">The input files record no machine check '
                "(older runs): frequency scaling, ASLR, transparent huge "
                "pages and load are unknown.</p>")
    out = []
    if warned:
        items = "".join(f"<li><b>{_esc(os.path.basename(r.path))}</b>: "
                        f"{_esc(text)}</li>" for r, text in warned)
        out.append(f'<div class="warn"><p>The machine check warned; '
                   f"timings may be noisier or biased:</p><ul>{items}</ul>"
                   "</div>")
    else:
        out.append('<p class="note">The machine check gave no warning.</p>')
    if keys:
        out.append(_key_table(results, keys, "machine"))
    return "".join(out)


def _key_table(results, keys, css):
    head = "<th>key</th>" + "".join(
        f'<th title="{_esc(r.path)}">{_esc(os.path.basename(r.path))}</th>'
        for r in results)
    body = []
    for key in keys:
        cells = "".join(f"<td>{_esc(r.meta.get(key, ''))}</td>"
                        for r in results)
        body.append(f"<tr><th>{_esc(key)}</th>{cells}</tr>")
    return (f'<table class="{css}"><thead><tr>{head}</tr></thead>'
            f"<tbody>{''.join(body)}</tbody></table>")


def _metadata_table(results):
    keys = [k for k in META_KEYS if any(k in r.meta for r in results)]
    keys += sorted({k for r in results for k in r.meta} - set(keys))
    return _key_table(results, keys, "meta")


def _selection_list(sel):
    files = ", ".join(f"<code>{_esc(p)}</code>" for p in sel.paths)
    items = [f"<li>files: {files}</li>",
             "<li>allocators: "
             f"{_esc(', '.join(s.label for s in sel.sources))}</li>",
             "<li>element size: "
             f"{_esc(units.format_bytes(sel.elem_bytes))}</li>",
             f"<li>growth policy: <code>{_esc(sel.growth_policy)}</code></li>",
             f"<li>strategies: {_esc(', '.join(sel.strategies))}</li>",
             f"<li>k rules: {_esc(', '.join(sel.kept_rules))}</li>",
             "<li>M (items per batch): "
             f"{_esc(', '.join(map(str, sel.items)))}</li>"]
    return "<ul>" + "".join(items) + "</ul>"


def _skipped_list(sel):
    if not sel.skipped:
        return '<p class="note">No case was skipped.</p>'
    items = "".join(
        f"<li>{_esc(label)}: <code>{_esc(bench)}</code>"
        + (f" — {_esc(message)}" if message else "") + "</li>"
        for label, bench, message in sel.skipped)
    return ('<p class="note">These cases have no figures and are left out of '
            f"the plots and the table.</p><ul>{items}</ul>")


def _page(title, body):
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{_esc(title)}</title>
<style>{_CSS}</style>
</head>
<body>
<h1>{_esc(title)}</h1>
{body}
</body>
</html>
"""


def render_html(sel, images, findings_table, families_html="", families=()):
    """The report page as a string. images: (Plot, PNG bytes) pairs, in the
    order to show them; families_html: the leak families section
    (slicebench.families_report.html) of the FamiliesFiles `families`, shown
    after the findings, or ""."""
    figures = []
    for plot, png in images:
        uri = "data:image/png;base64," + base64.b64encode(png).decode("ascii")
        figures.append(
            f'<figure id="{_esc(plot.name)}"><img src="{uri}" '
            f'alt="{_esc(plot.title)}"><figcaption><b>{_esc(plot.title)}.'
            f"</b> {_esc(plot.caption)}</figcaption></figure>")
    inputs = list(sel.results) + list(families)
    return _page(f"slicebench run {sel.run_id}", f"""\
<p class="note">{_esc(sel.describe())}. Memory retained by subslices: keeping
<code>b[:k]</code> of an N-byte buffer keeps all N bytes alive. Each
strategy receives M buffers of N bytes and keeps k bytes of each in its own
way (receive-only keeps nothing: the baseline).</p>
<h2>Selection</h2>
{_selection_list(sel)}
<h2>Machine check</h2>
{_machine_check(inputs)}
<h2>Findings</h2>
<p class="note">{_esc(findings_table.intro)}</p>
{findings_table.html()}
{families_html}
<h2>Plots</h2>
{''.join(figures)}
<h2>Skipped cases</h2>
{_skipped_list(sel)}
<h2>Input files</h2>
{_metadata_table(inputs)}""")


def render_families_html(families, families_html):
    """The page of a report given leak families files only: the families
    section, the machine check and the metadata of every file."""
    return _page(f"slicebench leak families, run {families[0].run_id}", f"""\
<p class="note">Ways a Go program keeps memory through a slice, each with
its fix, measured on slicebench's C model of Go slices and on real Go.</p>
{families_html}
<h2>Machine check</h2>
{_machine_check(families)}
<h2>Input files</h2>
{_metadata_table(families)}""")
