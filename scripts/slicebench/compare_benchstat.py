"""The samples of a Comparison as Go benchmark lines, for benchstat.

render(cmp, side=None) writes both sides in one stream: a header (comment
lines with the sources and the warnings, then `goos:`, `goarch:`,
`pkg: slicebench`), then `side: base` and BASE's lines, then `side: new`
and NEW's lines. `side:` is a configuration line of the Go benchmark
format, so benchstat (golang.org/x/perf/cmd/benchstat) puts the sides in
columns with

    compare.py --format benchstat BASE NEW > both.txt
    benchstat -col side both.txt

render(cmp, "base") or render(cmp, "new") writes one side alone, for a
benchstat that wants two files (`benchstat base.txt new.txt`).

One line per repetition:
    Benchmark<Name>-<procs>  <ops>  <t> ns/op  <t> cpu-ns/op
        <b> held-B  <b> peak-rss-B  <a> allocs/op
(figures a repetition lacks are left out). <Name> is built from the
parameters with Go-legal characters, e.g.
BenchmarkRetain/N=65536/k=16/M=8192/elem=1/growth=go/alloc=glibc-2 for a
CSV (benchstat can then project on /N, /alloc, ...), or the run name with
"BM_" dropped and ":" written "=" for JSON. <procs> is the CPU count of the
machine that ran the side; <ops> is batches x items (CSV; one op is one
item) or iterations (JSON; one iteration is one item).
"""

import math
import platform
import re

from . import compare_format as cf
from . import schema

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
                 f"elem={p['elem_bytes']}", f"growth={p['growth_policy']}"]
        gc = schema.collector_label(p["gc"], p["gogc"])
        parts += [gc] if gc else []
        parts.append(f"alloc={p['allocator']}")
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


def go_number(v):
    """A finite number as Go's testing package prints results: plain
    decimal, no exponent, about six significant digits. (Go's format, not
    one for people: units does that.)"""
    if v == int(v) and abs(v) < 1e15:
        return str(int(v))
    digits = max(0, 5 - int(math.floor(math.log10(abs(v)))))
    text = f"{v:.{digits}f}"
    # trailing zeros of the fraction only: 110480 stays 110480
    return text.rstrip("0").rstrip(".") if "." in text else text


def _lines(s):
    out = []
    for case in s.ordered():
        name = f"Benchmark{go_name(case)}-{max(1, s.procs)}"
        for rep in case.reps:
            if not _finite(rep.get("real")):
                continue
            fields = [name, str(int(rep["ops"] or 1)),
                      f"{go_number(rep['real'])} ns/op"]
            fields += [f"{go_number(rep[k])} {unit}"
                       for k, unit in _GO_UNITS if _finite(rep.get(k))]
            out.append("\t".join(fields))
    return out


def render(cmp, side=None):
    """Both sides (side None) or one ("base", "new") as Go benchmark lines
    (see the module docstring)."""
    sides = [("base", cmp.base), ("new", cmp.new)]
    if side is not None:
        sides = [(n, s) for n, s in sides if n == side]
    arch = platform.machine()
    out = [f"# slicebench compare.py: {name.upper()} converted from "
           f"{cf.describe(s)}, a {s.kind}" for name, s in sides]
    out += ["# one op is one item (slicebench; Google Benchmark JSON: one "
            "iteration);"
            " held-B: bytes held at the end of a batch;"
            " peak-rss-B: growth of the peak resident set"]
    if side is None:
        out.append("# benchstat -col side THIS_FILE puts BASE and NEW side "
                   "by side")
    out += [f"# warning: {w}" for w in cmp.warnings]
    out += ["goos: " + platform.system().lower(),
            "goarch: " + _GOARCH.get(arch, _go_part(arch).lower()),
            "pkg: slicebench",
            "Unit held-B assume=exact"]
    for name, s in sides:
        if side is None:
            out.append(f"side: {name}")
        out += _lines(s)
    return "\n".join(out) + "\n"
