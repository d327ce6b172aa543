"""Plots, findings table and HTML report of a slicebench run, in one call.

    paths = generate(inputs, out_dir=None, elem_bytes=None,
                     growth_policy="go", allocators=None, strategies=None,
                     report=True, svg=False, quick=False)

The steps, each a module of its own:

    results.load_many(paths)       read and check the CSV files
    model.select(results, ...)     group rows into sources and cases (no
                                   matplotlib; the findings and the report
                                   use it too)
    figures.make_plots(sel)        the figures (figures.py, style.py,
                                   axes.py)
    findings.findings(sel)         the findings table
    report.render_html(...)        the HTML page
    output.write_files(...)        the files, written whole or not at all

`generate` writes <figure>.png (and <figure>.svg with svg=True) for each
non-empty figure, findings.md and (unless report is False) report.html into
out_dir (default: output.default_out_dir). quick=True draws the figures of
figures.QUICK_FIGURE_NAMES only. Nothing is created until every input has
been read, checked and drawn. Bad input raises ResultsError (or PlotError);
so does an output folder that cannot be written.
"""

from . import findings as findings_mod
from . import report as report_mod
from .figures import FIGURE_NAMES, QUICK_FIGURE_NAMES, make_plots  # noqa
from .model import PlotError, select  # noqa: F401 (part of this API)
from .output import default_out_dir, write_files
from .results import Results, load_many

FINDINGS_FILE = "findings.md"
REPORT_FILE = "report.html"


def generate(inputs, out_dir=None, elem_bytes=None, growth_policy="go",
             allocators=None, strategies=None, report=True, svg=False,
             quick=False):
    """Load (unless given Results), select, draw and write; return the
    list of files written."""
    if inputs and all(isinstance(i, Results) for i in inputs):
        results = list(inputs)
    else:
        results = load_many(inputs)
    sel = select(results, elem_bytes=elem_bytes, growth_policy=growth_policy,
                 allocators=allocators, strategies=strategies)
    plots = make_plots(sel, QUICK_FIGURE_NAMES if quick else FIGURE_NAMES)
    if not plots:
        raise PlotError(f"{', '.join(sel.paths)}: no figure has any value "
                        "to draw (every selected figure is empty)")
    files, images = [], []
    for plot in plots:
        png = plot.render("png")
        images.append((plot, png))
        files.append((plot.name + ".png", png))
        if svg:
            files.append((plot.name + ".svg", plot.render("svg")))
    table = findings_mod.findings(sel)
    files.append((FINDINGS_FILE, table.markdown().encode("utf-8")))
    if report:
        html = report_mod.render_html(sel, images, table)
        files.append((REPORT_FILE, html.encode("utf-8")))
    return write_files(out_dir or default_out_dir(sel), files)
