"""The model's lines per measurement on stderr (slicebench-retention
--gc=go --go-marks, --go-spans): the case a line is of, its items, and
the run of the model that prints them; and the same case key for a Go
case name, so that the two sides' records pair up.

    text = run(binary, flags, "100,400", reps, ["--go-marks", "--go-spans"])
    for key, name, items in lines(LINE, text, "go-marks", "marks", Error):
        ...

A key is (strategy, N, k, elem, GOGC), as gcvsgo.KEY names them.
"""

import re
import subprocess

from . import gcvsgo, go_each

MODEL_NAME = re.compile(r"^([^/]+)/gogc:(\d+)/N:(\d+)/k:(\d+)/M:\d+/elem:(\d+)(?:/|$)")


class LogError(Exception):
    """A line or a case name that cannot be read; str() is one line."""


def model_key(name):
    """(strategy, N, k, elem, GOGC) of a model case name, or None (a case
    without --gc=go)."""
    m = MODEL_NAME.match(name)
    if not m:
        return None
    s, gogc, n, k, e = m.groups()
    return (s, int(n), int(k), int(e), int(gogc))


def go_key(name, gogc):
    """(strategy, N, k, elem, GOGC) of a Go case name (go_each.NAME)."""
    m = go_each.NAME.search(name)
    if not m:
        raise LogError(f"not a Go case name: {name}")
    s, n, k, _, e = m.groups()
    try:
        return (s, int(n), int(k), int(e), int(gogc))
    except ValueError:
        raise LogError(f"GOGC {gogc}: not a percent") from None


def missing(model, go):
    """How many cases one side has and the other lacks (dicts by key)."""
    return len(set(model) ^ set(go))


def lines(line, text, flag, what, error, cut_ok=False):
    """(key, name, items) of each line of one kind in text (line: its
    pattern, giving the case name and the rest; flag and what name it in
    messages: "go-marks", "marks"), its items split. A line of a case
    without --gc=go raises error; so does one cut short (" ..."), unless
    cut_ok, when the items are those before the cut."""
    for name, rest in line.findall(text):
        key = model_key(name)
        if key is None:
            raise error(f"{flag} of a case without --gc=go: {name}")
        items = rest.split()
        if items and items[-1] == "...":
            if not cut_ok:
                raise error(f"the model's {what} of {name} were cut short "
                            f"after {len(items) - 1}")
            items = items[:-1]
        yield key, name, items


def run(binary, flags, gogcs, reps, extra, scales=None):
    """What binary --gc=go prints on stderr, with the flags in extra (its
    lines: --go-marks, --go-spans), for the cases of flags
    (gcvsgo.case_flags), reps measuring processes each, over the span
    gc-vs-go's batches measure (the first batch and one timed one); writes
    no results file. Without scales, one run of every case at GOGC gogcs
    on the fit's clock; with scales (gcvsgo.case_scales), one run per
    (case, GOGC) of them, alone (gcvsgo.case_filter) and at its own
    scale, as gc-vs-go runs the model, their lines in that order."""
    runs = ([gcvsgo.model_command(binary, flags, gogcs, reps)] if scales is None
            else gcvsgo.case_commands(binary, flags, reps, scales))
    out = []
    for cmd in runs:
        proc = subprocess.run([*cmd, *extra, "--no-csv"], capture_output=True, text=True)
        go_each.check(proc, binary)
        out.append(proc.stderr)
    return "".join(out)
