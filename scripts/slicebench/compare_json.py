"""A Comparison as JSON, for machines.

render(cmp) returns a JSON object (format_version 2) with these keys:
  format_version  2
  tool            "slicebench compare"
  base, new       {"path" (the files joined by ", "), "paths" (list),
                  "kind" ("slicebench CSV" or "Google Benchmark JSON"),
                  "meta" (the first file's CSV metadata or JSON context,
                  strings), "metas" (one per file), "cases" (count)}
  settings        {"time" ("real"|"cpu"), "time_column", "alpha",
                  "min_effect_pct", "mem_threshold_pct", "mem_floor_bytes",
                  "rss_precision_bytes" (peak RSS's floor when larger),
                  "test", "ci_method", "ci_level"}
  rows            list, one per compared case, in BASE order:
                    case        label
                    params      dict of the parameters (CSV) or null
                    group       strategy (CSV) or benchmark family (JSON)
                    time_verdict  "slower" | "faster" | "inconclusive" |
                                "no change" | "n/a"
                    times       {"real": T, "cpu": T}, T being
                                {"column", "n_base", "n_new",
                                "base_median_ns", "new_median_ns", "ratio",
                                "change_pct", "p_value" (robust t on
                                log times), "p_adjusted" (Holm over the rows),
                                "u_p_value" (Mann-Whitney), "min_p" (the
                                smallest U p these n allow),
                                "hl_change_pct", "ci_low_pct",
                                "ci_high_pct", "levels" (p is Fisher's
                                on two levels' counts), "verdict"}
                    memory      {figure: {"n_base", "n_new", "base", "new",
                                "change_abs", "change_pct", "varies",
                                "p_value", "p_adjusted", "u_p_value",
                                "verdict"}} (p values: varying
                                figures only, else null)
                                for each of held_bytes,
                                peak_rss_delta_bytes, allocs_per_item
                                present on either side; verdict
                                "more" | "less" | "inconclusive" | "same"
                                | "n/a"
                    regressed, flagged   booleans
                    warnings    list of strings
  only_in_base, only_in_new   lists of case labels
  lost            case labels measured in BASE that did not run in NEW
                  (missing, or skipped in every repetition)
  skipped         list of {"side" ("base"|"new"), "case", "count",
                  "message", "compared"}
  geomean         {"overall": ratio or null, "by_group": {group: ratio}}
  warnings        list of strings (every row's warnings, and those of the
                  comparison: different machines or settings, too few
                  repetitions)
  summary         {"rows", "slower", "faster", "no change",
                  "inconclusive", "n/a", "memory_more", "memory_less",
                  "memory_unsure", "lost", "regressed", "flagged"}
  exit_status     0 (no regression) or 1 (a regression, or a lost case)
Numbers that do not exist (no data, an interval too small to compute, an
infinite change from a zero base) are null.
"""

import json
import math

from .compare import CI_METHOD, TEST_METHOD

FORMAT_VERSION = 2


def _num(v):
    if v is None or (isinstance(v, float) and not math.isfinite(v)):
        return None
    return v


def _time(ts):
    return {"column": ts.column, "n_base": ts.n_base, "n_new": ts.n_new,
            "base_median_ns": _num(ts.base_median),
            "new_median_ns": _num(ts.new_median), "ratio": _num(ts.ratio),
            "change_pct": _num(ts.change_pct), "p_value": _num(ts.p_value),
            "p_adjusted": _num(ts.p_adjusted),
            "u_p_value": _num(ts.u_p_value),
            "min_p": _num(ts.min_p), "hl_change_pct": _num(ts.hl_change_pct),
            "ci_low_pct": _num(ts.ci_low_pct),
            "ci_high_pct": _num(ts.ci_high_pct), "levels": ts.levels,
            "verdict": ts.verdict}


def _memory(m):
    return {"n_base": m.n_base, "n_new": m.n_new, "base": _num(m.base),
            "new": _num(m.new), "change_abs": _num(m.change_abs),
            "change_pct": _num(m.change_pct), "varies": m.varies,
            "p_value": _num(m.p_value), "p_adjusted": _num(m.p_adjusted),
            "u_p_value": _num(m.u_p_value), "verdict": m.verdict}


def _side(side):
    return {"path": side.path, "paths": list(side.paths), "kind": side.kind,
            "meta": side.meta, "metas": [m for _, m in side.metas],
            "cases": len(side.cases)}


def report_dict(cmp):
    """The JSON report as a dict (keys in the module docstring)."""
    opt = cmp.options
    return {
        "format_version": FORMAT_VERSION,
        "tool": "slicebench compare",
        "base": _side(cmp.base),
        "new": _side(cmp.new),
        "settings": {"time": opt.time,
                     "time_column": cmp.base.time_columns[opt.time],
                     "alpha": opt.alpha, "min_effect_pct": opt.min_effect,
                     "mem_threshold_pct": opt.mem_threshold,
                     "mem_floor_bytes": opt.mem_floor,
                     "rss_precision_bytes": cmp.rss_precision,
                     "test": TEST_METHOD,
                     "ci_method": CI_METHOD, "ci_level": opt.confidence},
        "rows": [{"case": r.label, "params": r.params, "group": r.group,
                  "time_verdict": r.time_verdict,
                  "times": {f: _time(t) for f, t in r.times.items()},
                  "memory": {f: _memory(m) for f, m in r.memory.items()},
                  "regressed": r.regressed, "flagged": r.flagged,
                  "warnings": list(r.warnings)} for r in cmp.rows],
        "only_in_base": list(cmp.only_in_base),
        "only_in_new": list(cmp.only_in_new),
        "lost": list(cmp.lost),
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


def render(cmp):
    """The comparison as JSON text (keys in the module docstring)."""
    return json.dumps(report_dict(cmp), indent=2, allow_nan=False) + "\n"
