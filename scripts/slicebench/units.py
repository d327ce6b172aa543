"""Numbers as people read them: bytes, durations, ratios and counts.

Every function takes a number (int or float) and returns a short string with
its unit, at most three significant digits, trailing zeros dropped:

    format_bytes(65536)     -> "64 KiB"      binary prefixes, B .. TiB
    format_bytes(1536)      -> "1.5 KiB"
    format_ns(1234.0)       -> "1.23 µs"     ns, µs, ms, s
    format_ratio(4096.0)    -> "4096×"       ratios keep all integer digits
    format_ratio(1e5, compact=True) -> "100k×"  (for tick labels)
    format_count(32768)     -> "32 Ki"       plain below 1024, then Ki, Mi, Gi

None (a figure that was not measured) formats as "–" everywhere. The module
has no dependencies, so both the plots (tick labels) and the text reports use
it.
"""

import math

MISSING = "–"

_BYTE_UNITS = ("B", "KiB", "MiB", "GiB", "TiB")
_COUNT_UNITS = ("", " Ki", " Mi", " Gi", " Ti")
_TIME_UNITS = ((1.0, "ns"), (1e3, "µs"), (1e6, "ms"), (1e9, "s"))


def significant(value, digits=3):
    """value with at most `digits` significant digits, no exponent, no
    trailing zeros: 12.30 -> "12.3", 4096.0 -> "4096", 0.012345 -> "0.0123"."""
    if value == 0 or not math.isfinite(value):
        return "0" if value == 0 else str(value)
    exponent = math.floor(math.log10(abs(value)))
    decimals = max(digits - 1 - exponent, 0)
    text = f"{round(value, decimals):.{decimals}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text


def _scaled(value, step, units, digits):
    # Pick the largest unit that keeps the mantissa >= 1; if rounding then
    # reaches `step` (1023.9 KiB -> "1024 KiB"), move up one unit.
    sign = "-" if value < 0 else ""
    value = abs(value)
    index = 0
    while value >= step and index < len(units) - 1:
        value /= step
        index += 1
    text = significant(value, digits)
    if float(text) >= step and index < len(units) - 1:
        value /= step
        index += 1
        text = significant(value, digits)
    return sign + text, units[index]


def format_bytes(value, digits=3):
    """A size in bytes with a binary prefix: "16 B", "1.5 KiB", "64 MiB"."""
    if value is None:
        return MISSING
    text, unit = _scaled(value, 1024.0, _BYTE_UNITS, digits)
    return f"{text} {unit}"


def format_count(value, digits=3):
    """A dimensionless count with a binary prefix: "512", "4 Ki", "1 Mi"."""
    if value is None:
        return MISSING
    text, unit = _scaled(value, 1024.0, _COUNT_UNITS, digits)
    return text + unit


def format_ns(value, digits=3):
    """A duration given in nanoseconds: "850 ns", "1.23 µs", "45 ms"."""
    if value is None:
        return MISSING
    index = 0
    for i, (scale, _) in enumerate(_TIME_UNITS):
        if abs(value) >= scale:
            index = i
    text = significant(value / _TIME_UNITS[index][0], digits)
    if abs(float(text)) >= 1000 and index < len(_TIME_UNITS) - 1:
        # 999.9 ns rounds to "1000 ns"; say "1 µs" instead.
        index += 1
        text = significant(value / _TIME_UNITS[index][0], digits)
    unit = _TIME_UNITS[index][1]
    return f"{text} {unit}"


def format_ratio(value, digits=3, compact=False):
    """A ratio such as an amplification: "1×", "1.25×", "4096×", "65536×";
    with compact=True (tick labels) ratios from 10000 on get a decimal
    prefix: "10k×", "65.5k×", "1M×"."""
    if value is None:
        return MISSING
    if compact and abs(value) >= 1e4:
        for scale, prefix in ((1e9, "G"), (1e6, "M"), (1e3, "k")):
            if abs(value) >= scale:
                return significant(value / scale, digits) + prefix + "×"
    if abs(value) >= 10 ** digits:
        return f"{value:.0f}×"
    return significant(value, digits) + "×"


def format_range(low, high, fmt=format_ns):
    """A min–max range in one unit where both ends share it: "4.17–4.25 µs",
    else each end with its own: "999 ns–1.01 µs"."""
    if low is None or high is None:
        return MISSING
    a, b = fmt(low), fmt(high)
    number_a, _, unit_a = a.rpartition(" ")
    number_b, _, unit_b = b.rpartition(" ")
    if unit_a == unit_b and number_a and number_b:
        return f"{number_a}–{b}"
    return f"{a}–{b}"
