"""Do BASE and NEW come from comparable runs? Their metadata, side by side.

differences(base, new) returns warnings (one line each) when the files of
the two sides were run on different machines or with different settings:
metadata keys whose values differ between a BASE file and a NEW file of the
same allocator (CSV; its `allocator` metadata) or between any BASE and NEW
file (Google Benchmark JSON's context). Keys that differ from run to run by
nature (when, which commit, the command line, the load) are left out: a
change of commit is what a comparison is for.
"""

# Metadata that says which run it was, not how it ran; and keys that vary
# between any two runs of one setup (the load average, the date).
_PER_RUN = frozenset((
    "run_id", "date", "git_commit", "git_dirty", "command",
    "slicebench_version", "executable", "mhz_per_cpu",
    # The machine check's human text (it names the load of the moment);
    # its structured keys (aslr, cpufreq_governor, thp_enabled, ...) are
    # compared.
    "machine_warnings",
))
# Keys that name the machine: a difference there gets its own wording.
_MACHINE = ("host", "host_name", "cpu_model", "cpus", "num_cpus")
# Values longer than this are cut in the message.
_SHOW = 40


def _show(value):
    text = repr(value)
    return text if len(text) <= _SHOW else text[:_SHOW - 3] + "...'"


def _varies(key):
    # Also the load average, a shuffle seed, any date (mhz_per_cpu above:
    # Google Benchmark reads the current clock, which scaling moves).
    return (key in _PER_RUN or "load" in key or "seed" in key
            or key.endswith("date"))


def _by_allocator(side):
    groups = {}
    for path, meta in side.metas:
        groups.setdefault(meta.get("allocator", ""), []).append((path, meta))
    return groups


def _diff_keys(base_metas, new_metas):
    """{key: (base values, new values)} for keys whose values differ."""
    keys = set()
    for _, m in base_metas + new_metas:
        keys.update(m)
    out = {}
    for key in sorted(keys):
        if _varies(key):
            continue
        b = sorted({m.get(key, "(none)") for _, m in base_metas})
        n = sorted({m.get(key, "(none)") for _, m in new_metas})
        if b != n:
            out[key] = (b, n)
    return out


def differences(base, new):
    """Warnings about BASE and NEW runs that differ in machine or settings."""
    gb, gn = _by_allocator(base), _by_allocator(new)
    pairs = [(a, gb[a], gn[a]) for a in gb if a in gn]
    warnings = []
    for allocator, bm, nm in pairs:
        diff = _diff_keys(bm, nm)
        if not diff:
            continue
        where = f" ({allocator})" if allocator and len(pairs) > 1 else ""
        machine = [k for k in diff if k in _MACHINE]
        settings = [k for k in diff if k not in _MACHINE]

        def said(keys):
            return "; ".join(
                f"{k} {', '.join(map(_show, diff[k][0]))} vs "
                f"{', '.join(map(_show, diff[k][1]))}" for k in keys)
        if machine:
            warnings.append(f"BASE and NEW{where} ran on different machines "
                            f"({said(machine)}): their times differ for that "
                            "reason too")
        if settings:
            warnings.append(f"BASE and NEW{where} ran with different "
                            f"settings ({said(settings)}): a change may come "
                            "from them, not from the code")
    return warnings
