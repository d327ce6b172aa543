"""Plots, findings table and HTML report of a slicebench run, in one call.

    paths = generate(inputs, out_dir=None, elem_bytes=None,
                     growth_policy="go", allocators=None, strategies=None,
                     report=True, svg=False, quick=False)

The steps, each a module of its own:

    families.load_inputs(paths)    read and check the CSV files, retention
                                   (results.py) and leak families
                                   (families.py) told apart
    model.select(results, ...)     group rows into sources and cases (no
                                   matplotlib; the findings and the report
                                   use it too)
    figures.make_plots(sel)        the figures (figures.py, style.py,
                                   axes.py)
    findings.findings(sel)         the findings table
    families_report                the leak families section (tables)
    report.render_html(...)        the HTML page
    output.write_files(...)        the files, written whole or not at all

`generate` writes <figure>.png (and <figure>.svg with svg=True) for each
non-empty figure, findings.md and (unless report is False) report.html into
out_dir (default: output.default_out_dir). quick=True draws the figures of
figures.QUICK_FIGURE_NAMES only. Nothing is created until every input has
been read, checked and drawn. Bad input raises ResultsError (or PlotError);
so does an output folder that cannot be written.
"""

from . import families as families_mod
from . import families_report
from . import findings as findings_mod
from . import report as report_mod
from .figures import FIGURE_NAMES, QUICK_FIGURE_NAMES, make_plots  # noqa
from .model import PlotError, select  # noqa: F401 (part of this API)
from .output import default_out_dir, out_dir_for, write_files
from .results import Results, load_many

FINDINGS_FILE = "findings.md"
REPORT_FILE = "report.html"


def generate(inputs, out_dir=None, elem_bytes=None, growth_policy="go",
             allocators=None, strategies=None, report=True, svg=False,
             quick=False, families=()):
    """Load (unless given Results), select, draw and write; return the
    list of files written. Paths may name retention and families files
    alike; loaded inputs give the families files (FamiliesFile) apart, in
    `families`. With families files only, findings.md and report.html
    hold the leak families section alone (no figures)."""
    if inputs and all(isinstance(i, Results) for i in inputs):
        results, fams = list(inputs), list(families)
    elif not inputs and families:
        results, fams = [], list(families)
    else:
        results, fams = families_mod.load_inputs(inputs)
        fams += list(families)
    fam_tables = families_report.family_tables(fams) if fams else []
    fam_md = families_report.markdown(fams, fam_tables) if fams else ""
    fam_html = families_report.html(fams, fam_tables) if fams else ""
    if not results:
        files = [(FINDINGS_FILE, fam_md.encode("utf-8"))]
        if report:
            html = report_mod.render_families_html(fams, fam_html)
            files.append((REPORT_FILE, html.encode("utf-8")))
        return write_files(out_dir or out_dir_for(fams[0].path, fams[0].run_id),
                           files)
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
    markdown = table.markdown() + ("\n" + fam_md if fam_md else "")
    files.append((FINDINGS_FILE, markdown.encode("utf-8")))
    if report:
        html = report_mod.render_html(sel, images, table, fam_html, fams)
        files.append((REPORT_FILE, html.encode("utf-8")))
    return write_files(out_dir or default_out_dir(sel), files)
