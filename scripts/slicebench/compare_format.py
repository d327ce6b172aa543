"""Writing a Comparison (see compare.py) for people and for machines.

Every writer returns the whole output as one str, ending in a newline.

console(cmp, color=False)
    Aligned plain-text tables for a terminal: a time table (one row per
    case: repetitions, medians, change, confidence interval, p, verdict, and
    the other time figure's change and p), a memory table (per figure: NEW's
    median, change and verdict), the geometric means, the cases only in one
    file, skipped repetitions, warnings and a one-line result. With
    color=True verdicts and warnings are coloured with ANSI escapes.

markdown(cmp)
    The same content as GitHub-flavoured Markdown, for a pull-request
    comment: a heading with the result, the method, two tables, and lists.

json_report(cmp)
    A JSON object (format_version 1) with these keys:
      format_version  1
      tool            "slicebench compare"
      base, new       {"path", "kind" ("slicebench CSV" or "Google Benchmark
                      JSON"), "meta" (CSV metadata or JSON context, strings),
                      "cases" (count)}
      settings        {"time" ("real"|"cpu"), "time_column", "alpha",
                      "min_effect_pct", "mem_threshold_pct", "mem_floor_bytes",
                      "test", "ci_method", "ci_level"}
      rows            list, one per compared case, in BASE order:
                        case        label
                        params      dict of the parameters (CSV) or null
                        group       strategy (CSV) or benchmark family (JSON)
                        time_verdict  "slower" | "faster" | "no change" | "n/a"
                        times       {"real": T, "cpu": T}, T being
                                    {"column", "n_base", "n_new",
                                    "base_median_ns", "new_median_ns", "ratio",
                                    "change_pct", "p_value", "min_p",
                                    "hl_change_pct", "ci_low_pct",
                                    "ci_high_pct", "verdict"}
                        memory      {figure: {"n_base", "n_new", "base", "new",
                                    "change_abs", "change_pct", "verdict"}}
                                    for each of held_bytes,
                                    peak_rss_delta_bytes, allocs_per_item
                                    present in either file; verdict
                                    "more" | "less" | "same" | "n/a"
                        regressed, flagged   booleans
                        warnings    list of strings
      only_in_base, only_in_new   lists of case labels
      skipped         list of {"side" ("base"|"new"), "case", "count",
                      "message", "compared"}
      geomean         {"overall": ratio or null, "by_group": {group: ratio}}
      warnings        list of strings (every row's warnings)
      summary         {"rows", "slower", "faster", "no change", "n/a",
                      "memory_more", "memory_less", "regressed", "flagged"}
      exit_status     0 (no regression) or 1 (regression)
    Numbers that do not exist (no data, an interval too small to compute,
    an infinite change from a zero base) are null.

benchstat(cmp, side)
    One input ("base" or "new") as Go benchmark result lines, so that
    `benchstat base.txt new.txt` works: a header (comment lines with the
    source and the warnings, then `goos:`, `goarch:`, `pkg: slicebench`),
    then one line per repetition:
        Benchmark<Name>-<procs>  <ops>  <t> ns/op  <t> cpu-ns/op
            <b> held-B  <b> peak-rss-B  <a> allocs/op
    (figures a repetition lacks are left out). <Name> is built from the
    parameters with Go-legal characters, e.g.
    BenchmarkRetain/N=65536/k=16/M=8192/elem=1/growth=go/alloc=glibc-2 for a
    CSV (benchstat can then project on /N, /alloc, ...), or the run name with
    "BM_" dropped and ":" written "=" for JSON. <procs> is the CPU count of
    the machine that ran the file; <ops> is iterations x items (CSV; one op
    is one item) or iterations (JSON).
"""

import json
import math
import platform
import re

from . import compare_input
from .compare import (CI_METHOD, FASTER, LESS, MORE, NA, SLOWER,
                      TEST_METHOD)

FORMATS = ("console", "markdown", "json", "benchstat")

_RED, _GREEN, _YELLOW, _BOLD, _RESET = ("\033[31m", "\033[32m", "\033[33m",
                                        "\033[1m", "\033[0m")
_VERDICT_COLOR = {SLOWER: _RED, MORE: _RED, FASTER: _GREEN, LESS: _GREEN}

_MEMORY_SHORT = {"held_bytes": "held", "peak_rss_delta_bytes": "peak RSS",
                 "allocs_per_item": "allocs/item"}


# ---------------------------------------------------------------- numbers --

def _ns(v):
    if v is None:
        return "-"
    for unit, scale in (("s", 1e9), ("ms", 1e6), ("us", 1e3)):
        if abs(v) >= scale:
            return f"{v / scale:.4g} {unit}"
    return f"{v:.4g} ns"


def _bytes(v):
    if v is None:
        return "-"
    for unit, scale in (("GiB", 2**30), ("MiB", 2**20), ("KiB", 2**10)):
        if abs(v) >= scale:
            return f"{v / scale:.3g} {unit}"
    return f"{v:.4g} B"


def _figure_value(figure, v):
    if figure in compare_input.BYTE_FIGURES:
        return _bytes(v)
    return "-" if v is None else f"{v:.4g}"


def _pct(v):
    if v is None:
        return "-"
    if math.isinf(v):
        return "+inf%" if v > 0 else "-inf%"
    return f"{v:+.1f}%"


def _p(v):
    if v is None:
        return "-"
    return "<0.001" if v < 0.001 else f"{v:.3f}"


def _ci(ts):
    if ts.ci_low_pct is None:
        return "-" if ts.hl_change_pct is None else "n too small"
    return f"[{_pct(ts.ci_low_pct)}, {_pct(ts.ci_high_pct)}]"


def _ratio(r):
    return "-" if r is None else f"x{r:.4f} ({_pct((r - 1) * 100)})"


# ------------------------------------------------------------ shared text --

def _describe(side):
    m = side.meta
    if side.kind == compare_input.CSV:
        bits = [m.get("run_id"), m.get("allocator")]
        commit = m.get("git_commit")
        if commit and commit != "unknown":
            bits.append("commit " + commit[:12]
                        + (" dirty" if m.get("git_dirty") == "true" else ""))
    else:
        bits = [m.get("date"), m.get("host_name")]
    bits = [b for b in bits if b]
    return f"{side.path} ({', '.join(bits)})" if bits else side.path


def _method_lines(cmp):
    opt = cmp.options
    column = cmp.base.time_columns[opt.time]
    return [
        f"time: {column}, median of the repetitions; p: {TEST_METHOD}; "
        f"CI: {opt.confidence:.0%} {CI_METHOD}",
        f"verdict: slower/faster when p < {opt.alpha:g} and "
        f"|change| >= {opt.min_effect:g}%",
        f"memory: medians; a change counts when above {opt.mem_threshold:g}%"
        f" and, for bytes, above {opt.mem_floor:g} B",
    ]


def _result_line(cmp):
    c = cmp.counts()
    if c["regressed"]:
        return (f"REGRESSION in {c['regressed']} of {c['rows']} rows "
                f"({c[SLOWER]} slower, {c['memory_more']} with more memory)")
    return (f"no regression in {c['rows']} rows ({c[FASTER]} faster, "
            f"{c['memory_less']} with less memory)")


def _other_time(cmp):
    return "cpu" if cmp.options.time == "real" else "real"


def _time_cells(cmp, row):
    ts = row.times[cmp.options.time]
    other = row.times[_other_time(cmp)]
    return [row.label, f"{ts.n_base}/{ts.n_new}", _ns(ts.base_median),
            _ns(ts.new_median), _pct(ts.change_pct), _ci(ts),
            _p(ts.p_value), ts.verdict, _pct(other.change_pct),
            _p(other.p_value)]


def _time_header(cmp):
    return ["case", "n", "base", "new", "change",
            f"{cmp.options.confidence:.0%} CI", "p", "verdict",
            f"{_other_time(cmp)} change", f"{_other_time(cmp)} p"]


def _memory_figures(cmp):
    return [f for f in compare_input.MEMORY
            if any(f in r.memory for r in cmp.rows)]


def _memory_cell(m):
    if m is None:
        return "-", NA
    if m.verdict == NA:
        return f"{_figure_value(m.figure, m.base if m.n_base else m.new)}", NA
    return (f"{_figure_value(m.figure, m.new)} {_pct(m.change_pct)}",
            m.verdict)


def _lists(cmp):
    """(title, items) pairs for what was not compared or needs attention."""
    skipped = [f"{s.side.upper()}: {s.label}: {s.count} repetition(s) "
               f"skipped: {s.message}"
               + ("" if s.compared else " (case not compared)")
               for s in cmp.skipped]
    return [("only in BASE", cmp.only_in_base),
            ("only in NEW", cmp.only_in_new),
            ("skipped", skipped)]


# ---------------------------------------------------------------- console --

def _table(header, rows, colors):
    """Aligned columns; colors[i][j] is an escape sequence or ''."""
    widths = [max(len(str(r[j])) for r in [header] + rows)
              for j in range(len(header))]
    lines = ["  ".join(h.ljust(w) for h, w in zip(header, widths)).rstrip()]
    for r, cs in zip(rows, colors):
        cells = []
        for j, (cell, w) in enumerate(zip(r, widths)):
            # Numbers right-aligned, text (case, verdicts) left-aligned.
            numeric = j > 0 and cell[:1] in "+-<[0123456789x"
            text = cell.rjust(w) if numeric else cell.ljust(w)
            cells.append(f"{cs[j]}{text}{_RESET}" if cs[j] else text)
        lines.append("  ".join(cells).rstrip())
    return lines


def console(cmp, color=False):
    """The comparison as aligned text tables (see the module docstring)."""
    def paint(text, code):
        return f"{code}{text}{_RESET}" if color and code else text

    out = [f"BASE  {_describe(cmp.base)}", f"NEW   {_describe(cmp.new)}"]
    out += _method_lines(cmp)
    out.append("")

    rows = [_time_cells(cmp, r) for r in cmp.rows]
    colors = [[""] * len(rows[0]) for _ in rows]
    if color:
        for cs, r in zip(colors, cmp.rows):
            cs[7] = _VERDICT_COLOR.get(r.time_verdict, "")
    out += _table(_time_header(cmp), rows, colors)

    figures = _memory_figures(cmp)
    out.append("")
    if figures:
        header = ["case"] + [f"{_MEMORY_SHORT[f]} ({f})" for f in figures]
        rows, colors = [], []
        for r in cmp.rows:
            cells, cs = [r.label], [""]
            for f in figures:
                text, verdict = _memory_cell(r.memory.get(f))
                cells.append(f"{text} {verdict}")
                cs.append(_VERDICT_COLOR.get(verdict, "") if color else "")
            rows.append(cells)
            colors.append(cs)
        out += _table(header, rows, colors)
    else:
        out.append("memory: no memory figures in these files")

    out.append("")
    out.append(f"geometric mean of time ratios (new/base): "
               f"overall {_ratio(cmp.geomean)}")
    for g, gm in cmp.geomean_by_group.items():
        out.append(f"  {g}: {_ratio(gm)}")
    for title, items in _lists(cmp):
        for item in items:
            out.append(f"{title}: {item}")
    for w in cmp.warnings:
        out.append(paint(f"warning: {w}", _YELLOW))
    out.append(paint(_result_line(cmp),
                     _BOLD + _RED if cmp.exit_status else _BOLD + _GREEN))
    return "\n".join(out) + "\n"


# --------------------------------------------------------------- markdown --

def _md(text):
    return str(text).replace("|", "\\|")


def _md_table(header, rows):
    align = ["---"] + ["--:" if h not in ("verdict",) else ":--"
                       for h in header[1:]]
    lines = ["| " + " | ".join(_md(h) for h in header) + " |",
             "|" + "|".join(align) + "|"]
    lines += ["| " + " | ".join(_md(c) for c in r) + " |" for r in rows]
    return lines


def markdown(cmp):
    """The comparison as GitHub Markdown (see the module docstring)."""
    icon = ":x:" if cmp.exit_status else ":white_check_mark:"
    out = [f"### slicebench comparison: {icon} {_result_line(cmp)}", "",
           f"BASE `{_describe(cmp.base)}`  ", f"NEW `{_describe(cmp.new)}`",
           ""]
    out += [f"- {line}" for line in _method_lines(cmp)]
    out.append("")

    rows = []
    for r in cmp.rows:
        cells = _time_cells(cmp, r)
        cells[0] = f"`{cells[0]}`"
        if r.time_verdict in (SLOWER, FASTER):
            cells[7] = f"**{cells[7]}**"
        rows.append(cells)
    out += _md_table(_time_header(cmp), rows)

    figures = _memory_figures(cmp)
    out.append("")
    if figures:
        header = ["case"] + list(figures)
        rows = []
        for r in cmp.rows:
            cells = [f"`{r.label}`"]
            for f in figures:
                m = r.memory.get(f)
                text, verdict = _memory_cell(m)
                if m is not None and m.verdict != NA:
                    text = (f"{_figure_value(f, m.base)} → {text}")
                v = f"**{verdict}**" if verdict in (MORE, LESS) else verdict
                cells.append(f"{text} {v}")
            rows.append(cells)
        out.append("Memory (median BASE → NEW, change, verdict):")
        out.append("")
        out += _md_table(header, rows)
    else:
        out.append("Memory: no memory figures in these files.")

    out += ["", f"**Geometric mean** of time ratios (new/base): overall "
            f"{_ratio(cmp.geomean)}"
            + "".join(f"; {g} {_ratio(gm)}"
                      for g, gm in cmp.geomean_by_group.items())]
    for title, items in _lists(cmp):
        if items:
            out += ["", f"**{title[0].upper() + title[1:]}:**", ""]
            out += [f"- `{_md(i)}`" if title.startswith("only") else
                    f"- {_md(i)}" for i in items]
    if cmp.warnings:
        out += ["", "**Warnings:**", ""]
        out += [f"- :warning: {_md(w)}" for w in cmp.warnings]
    return "\n".join(out) + "\n"


# ------------------------------------------------------------------- json --

def _num(v):
    if v is None or (isinstance(v, float) and not math.isfinite(v)):
        return None
    return v


def _time_json(ts):
    return {"column": ts.column, "n_base": ts.n_base, "n_new": ts.n_new,
            "base_median_ns": _num(ts.base_median),
            "new_median_ns": _num(ts.new_median), "ratio": _num(ts.ratio),
            "change_pct": _num(ts.change_pct), "p_value": _num(ts.p_value),
            "min_p": _num(ts.min_p), "hl_change_pct": _num(ts.hl_change_pct),
            "ci_low_pct": _num(ts.ci_low_pct),
            "ci_high_pct": _num(ts.ci_high_pct), "verdict": ts.verdict}


def _memory_json(m):
    return {"n_base": m.n_base, "n_new": m.n_new, "base": _num(m.base),
            "new": _num(m.new), "change_abs": _num(m.change_abs),
            "change_pct": _num(m.change_pct), "verdict": m.verdict}


def _side_json(side):
    return {"path": side.path, "kind": side.kind, "meta": side.meta,
            "cases": len(side.cases)}


def report_dict(cmp):
    """The JSON report as a dict (keys in the module docstring)."""
    opt = cmp.options
    return {
        "format_version": 1,
        "tool": "slicebench compare",
        "base": _side_json(cmp.base),
        "new": _side_json(cmp.new),
        "settings": {"time": opt.time,
                     "time_column": cmp.base.time_columns[opt.time],
                     "alpha": opt.alpha, "min_effect_pct": opt.min_effect,
                     "mem_threshold_pct": opt.mem_threshold,
                     "mem_floor_bytes": opt.mem_floor, "test": TEST_METHOD,
                     "ci_method": CI_METHOD, "ci_level": opt.confidence},
        "rows": [{"case": r.label, "params": r.params, "group": r.group,
                  "time_verdict": r.time_verdict,
                  "times": {f: _time_json(t) for f, t in r.times.items()},
                  "memory": {f: _memory_json(m)
                             for f, m in r.memory.items()},
                  "regressed": r.regressed, "flagged": r.flagged,
                  "warnings": list(r.warnings)} for r in cmp.rows],
        "only_in_base": list(cmp.only_in_base),
        "only_in_new": list(cmp.only_in_new),
        "skipped": [{"side": s.side, "case": s.label, "count": s.count,
                     "message": s.message, "compared": s.compared}
                    for s in cmp.skipped],
        "geomean": {"overall": _num(cmp.geomean),
                    "by_group": {g: _num(v)
                                 for g, v in cmp.geomean_by_group.items()}},
        "warnings": list(cmp.warnings),
        "summary": cmp.counts(),
        "exit_status": cmp.exit_status,
    }


def json_report(cmp):
    """The comparison as JSON text (keys in the module docstring)."""
    return json.dumps(report_dict(cmp), indent=2, allow_nan=False) + "\n"


# -------------------------------------------------------------- benchstat --

_GO_UNSAFE = re.compile(r"[^A-Za-z0-9_.=+-]+")
_GOARCH = {"x86_64": "amd64", "amd64": "amd64", "aarch64": "arm64",
           "arm64": "arm64", "i686": "386", "i386": "386",
           "riscv64": "riscv64", "ppc64le": "ppc64le", "s390x": "s390x"}

# Extra figures of a line: (repetition key, Go unit).
_GO_UNITS = (("cpu", "cpu-ns/op"), ("held_bytes", "held-B"),
             ("peak_rss_delta_bytes", "peak-rss-B"),
             ("allocs_per_item", "allocs/op"))


def _go_part(text):
    return _GO_UNSAFE.sub("_", str(text).replace(":", "=")).strip("_") or "_"


def go_name(case):
    """The Go benchmark name (without "Benchmark" and -procs) of a case."""
    if case.params is not None:
        p = case.params
        head = "".join(w[:1].upper() + w[1:]
                       for w in re.split(r"[^A-Za-z0-9]+", p["strategy"]))
        parts = [head or "Case", f"N={p['source_bytes']}",
                 f"k={p['kept_bytes']}", f"M={p['items']}",
                 f"elem={p['elem_bytes']}", f"growth={p['growth_policy']}",
                 f"alloc={p['allocator']}"]
        return "/".join(_go_part(x) for x in parts)
    parts = case.key.split("/")
    if parts[0].startswith("BM_"):
        parts[0] = parts[0][3:]
    parts = [_go_part(x) for x in parts]
    # "Benchmark" must be followed by an upper-case letter.
    parts[0] = parts[0][:1].upper() + parts[0][1:]
    if not parts[0][:1].isupper():
        parts[0] = "X" + parts[0]
    return "/".join(parts)


def _finite(v):
    return v is not None and math.isfinite(v)


def _go_number(v):
    """A finite number as Go prints results: plain decimal, no exponent."""
    if v == int(v) and abs(v) < 1e15:
        return str(int(v))
    digits = max(0, 5 - int(math.floor(math.log10(abs(v)))))
    return f"{v:.{digits}f}".rstrip("0").rstrip(".")


def benchstat(cmp, side):
    """One side ("base" or "new") as Go benchmark lines (module docstring)."""
    s = cmp.base if side == "base" else cmp.new
    arch = platform.machine()
    op = "item" if s.kind == compare_input.CSV else "iteration"
    out = [f"# slicebench compare.py: {side.upper()} converted from "
           f"{_describe(s)}, a {s.kind}",
           f"# one op is one {op};"
           " held-B: bytes held at the end of a batch;"
           " peak-rss-B: growth of the peak resident set"]
    out += [f"# warning: {w}" for w in cmp.warnings]
    out += ["goos: " + platform.system().lower(),
            "goarch: " + _GOARCH.get(arch, _go_part(arch).lower()),
            "pkg: slicebench",
            "Unit held-B assume=exact"]
    for case in s.cases.values():
        name = f"Benchmark{go_name(case)}-{max(1, s.procs)}"
        for rep in case.reps:
            if not _finite(rep.get("real")):
                continue
            fields = [name, str(int(rep["ops"] or 1)),
                      f"{_go_number(rep['real'])} ns/op"]
            fields += [f"{_go_number(rep[k])} {unit}"
                       for k, unit in _GO_UNITS if _finite(rep.get(k))]
            out.append("\t".join(fields))
    return "\n".join(out) + "\n"


def render(cmp, fmt, color=False, side="base"):
    """Output in one of FORMATS."""
    if fmt == "console":
        return console(cmp, color)
    if fmt == "markdown":
        return markdown(cmp)
    if fmt == "json":
        return json_report(cmp)
    if fmt == "benchstat":
        return benchstat(cmp, side)
    raise ValueError(f"unknown format {fmt!r}")
