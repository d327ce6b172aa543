"""Where the arrays land, the model against Go, span by span: the arrays
over 32 KiB (Go's large objects, a span of their own on both sides) that
the page heap places, and the marks' starts and ends, in order, in the
model (slicebench-retention --gc=go --go-spans, one line per measuring
process, its first batch and one timed one) and in Go (scripts/go-record's
timed-run events, from the timed loop's debug.FreeOSMemory to the
process's exit), for the same cases.

    model = parse(stderr_text)             # {key (model_log): [[token, ...], ...]}
    go = {key: [go_tokens(events), ...]}   # from gorecord.events
    print(describe(key, model[key], go[key]))

A token is (kind, page, pages): "a" an array's span taken, "f" given back,
"s" and "r" the same for a span of small objects' slots, pages of 8 KiB
from the heap's first; "m" a mark starts, "e" it ends (page and pages
None). Both sides give a dead array, and a span of small objects left
empty, back as their sweepers reach it, after the mark's end, as the
program allocates; an array of a one-object class that takes a dead
one's span in place, and a span of small objects swept in place for its
class, are not events on either. Pages are held to each other from each side's first
array over 32 KiB on (Go's runtime holds its heap's first pages). The
first item where two processes part says how: an array placed elsewhere
(what was free differed) or a mark that started or ended elsewhere.
Small objects' spans are shown around it but not compared.
"""

import re
import statistics

from . import gcvsgo, gorecord, model_log

LINE = re.compile(r"^go-spans (\S+):(.*)$", re.M)
TOKEN = re.compile(r"^([afsr])(\d+)\+(\d+)$|^([me])$")
PAGE = 8192
# arrays over 32 KiB: Go's large objects, on both sides a span of their own
LARGE_PAGES = 5
# tokens shown on each side of where two processes part
CONTEXT = 6


class PlacementError(model_log.LogError):
    """Spans that cannot be read; str() is one line."""


def parse(text):
    """The --go-spans lines in text: {key: [[token, ...], ...]}, one list per
    measuring process; a line cut short (" ...": the model's buffer was
    full) gives the tokens before the cut. An item that is not a token
    raises PlacementError."""
    out = {}
    for key, name, items in model_log.lines(LINE, text, "go-spans", "spans",
                                            PlacementError, cut_ok=True):
        tokens = []
        for item in items:
            m = TOKEN.match(item)
            if not m:
                raise PlacementError(f"go-spans of {name}: '{item}' is not a span "
                                     "or a mark")
            if m.group(4):
                tokens.append((m.group(4), None, None))
            else:
                tokens.append((m.group(1), int(m.group(2)), int(m.group(3))))
        out.setdefault(key, []).append(tokens)
    return out


def go_tokens(evs):
    """Tokens of Go's timed-run events (gorecord.events): its heap spans
    taken and given back (a large object's as "a" and "f", a span of a
    size class's objects as "s" and "r"), its marks' starts and ends."""
    out = []
    for e in evs:
        kind = e["kind"]
        if kind in ("mark-start", "mark-end"):
            out.append(("m" if kind == "mark-start" else "e", None, None))
        elif kind in ("span", "span-free"):
            large = e["size_class"] == 0
            k = ("a" if large else "s") if kind == "span" else ("f" if large else "r")
            out.append((k, gorecord.heap_page(e["addr"]), e["pages"]))
    return out


def large(kind, pages):
    """Whether a token is a large array placed (over 32 KiB)."""
    return kind == "a" and pages >= LARGE_PAGES


def first_page(tokens):
    """The page of the first large array placed (0 if none)."""
    for kind, page, pages in tokens:
        if large(kind, pages):
            return page
    return 0


def compared(tokens):
    """What is held to the other side: the large arrays placed ("a", pages
    from the first one's) and the marks, with each one's index in tokens."""
    out, first = [], first_page(tokens)
    for i, (kind, page, pages) in enumerate(tokens):
        if kind in ("m", "e"):
            out.append(((kind,), i))
        elif large(kind, pages):
            out.append((("a", page - first, pages), i))
    return out


def common(a, b):
    """How many leading items of two compared() lists agree."""
    n = 0
    for (x, _), (y, _) in zip(a, b):
        if x != y:
            break
        n += 1
    return n


def show(tokens, base, lo, hi):
    """tokens[lo:hi] in words: spans as MiB from base's page, + MiB."""
    mib = PAGE / (1 << 20)
    out = []
    for kind, page, pages in tokens[max(lo, 0):hi]:
        if page is None:
            out.append(kind)
        else:
            out.append(f"{kind}{(page - base) * mib:.3f}+{pages * mib:.3f}")
    return " ".join(out)


def context(tokens, i):
    """tokens around tokens[i], which is bracketed, in words (show)."""
    base = first_page(tokens)
    return (f"... {show(tokens, base, i - CONTEXT, i)} [{show(tokens, base, i, i + 1)}] "
            f"{show(tokens, base, i + 1, i + 1 + CONTEXT)} ...")


def describe(key, model_runs, go_runs):
    """Lines for one case: over every pair of a model process and a Go
    process, how many of the compared items (large arrays placed, marks)
    agree from the start, then where the first pair parts, with the
    tokens around it (frees included) on each side."""
    head = f"placement {gcvsgo.case_text(dict(zip(gcvsgo.KEY, key)))}"
    if not model_runs or not go_runs:
        return [f"{head}: no {'model' if not model_runs else 'Go'} processes"]
    cm = [compared(t) for t in model_runs]
    cg = [compared(t) for t in go_runs]
    agree = [common(a, b) for a in cm for b in cg]
    sizes = f"{statistics.median(len(a) for a in cm):.0f} and " \
            f"{statistics.median(len(b) for b in cg):.0f}"
    lines = [f"{head}: of the model's and Go's compared items (arrays over "
             f"32 KiB placed, marks; medians {sizes} a process), the first "
             f"{min(agree)}-{max(agree)} agree (median {statistics.median(agree):.0f}, "
             f"{len(agree)} pairs)"]
    a, b = cm[0], cg[0]
    at = common(a, b)
    if not a and not b:
        lines.append("  nothing to compare: neither side placed an array over "
                     "32 KiB or marked")
        return lines
    if at >= min(len(a), len(b)):
        if len(a) == len(b):
            lines.append("  the first pair agrees throughout")
        else:
            lines.append(f"  the first pair agrees until one ends ({len(a)} "
                         f"against {len(b)} items)")
        return lines
    lines.append(f"  the first pair parts at item {at + 1} (MiB from the first "
                 f"large array; a taken, f given back, s/r a small objects' span, "
                 f"m/e a mark starts/ends):")
    lines.append(f"    model: {context(model_runs[0], a[at][1])}")
    lines.append(f"    Go:    {context(go_runs[0], b[at][1])}")
    return lines

