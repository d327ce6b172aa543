"""The results schema and the strategy list: the Python side's one source.

The C side has its own single source (benchmarks/retention_columns.h for the
columns, the strategy table in benchmarks/keep.c); `slicebench-retention
--schema` prints both, and tests/python/test_schema.py holds the two sides
equal. Every reader, writer, fixture generator and plot takes its column and
strategy names from here.

Schema 2 (written now): one row per measurement (one repetition of one case,
each in a process of its own unless the run says otherwise), `run_id` as a
column, no aggregate rows (readers compute medians and spreads), no column
named like a pandas DataFrame method. Loads into pandas with

    pandas.read_csv(path, comment="#")

(the writer never puts '#' or a line break in a cell).

Schema 1 (still read): the same figures, plus aggregate rows marked in an
`aggregate` column, `iterations` where 2 says `batches`, a
`strategy_time_per_item_ns` column, and the run id in metadata only.
"""

SCHEMA_VERSION = 2
READABLE_VERSIONS = (1, 2)

# The parameters that identify a case (one column each), in this order:
# a run may hold one case under several collectors (--gc=off,go --gogc=...).
PARAMS = ("strategy", "allocator", "source_bytes", "kept_bytes", "items",
          "elem_bytes", "growth_policy", "gc", "gogc")

# Every column of schema 2, in file order, with how its cells are read:
# "str", "int" (parameters, counts) or "float" (figures; empty = missing).
COLUMNS = (
    ("run_id", "str"),
    ("benchmark", "str"),
    ("strategy", "str"),
    ("allocator", "str"),
    ("source_bytes", "int"),
    ("kept_bytes", "int"),
    ("kept_rule", "str"),
    ("items", "int"),
    ("elem_bytes", "int"),
    ("growth_policy", "str"),
    ("repetition", "int"),
    ("status", "str"),
    ("message", "str"),
    ("batches", "int"),
    ("real_time_per_item_ns", "float"),
    ("cpu_time_per_item_ns", "float"),
    ("items_per_second", "float"),
    ("kept_bytes_per_second", "float"),
    ("peak_rss_delta_bytes", "float"),
    ("gc", "str"),
    ("gogc", "int"),
    ("held_bytes", "float"),
    ("held_cap_bytes", "float"),
    ("held_reserved_bytes", "float"),
    ("kept_headers_bytes", "float"),
    ("needed_bytes", "float"),
    ("amplification", "float"),
    ("peak_rss_amplification", "float"),
    ("allocs_per_item", "float"),
    ("page_faults_per_item", "float"),
)
COLUMN_NAMES = tuple(name for name, _ in COLUMNS)
KIND = dict(COLUMNS)

# Schema 1's columns, in file order (read only).
COLUMNS_V1 = (
    "benchmark", "strategy", "allocator", "source_bytes", "kept_bytes",
    "kept_rule", "items", "elem_bytes", "growth_policy", "repetition",
    "aggregate", "status", "message", "iterations", "real_time_per_item_ns",
    "cpu_time_per_item_ns", "strategy_time_per_item_ns", "items_per_second",
    "kept_bytes_per_second", "peak_rss_delta_bytes", "held_bytes",
    "held_reserved_bytes", "needed_bytes", "amplification",
    "peak_rss_amplification", "allocs_per_item", "page_faults_per_item",
)
# Schema 1 names of columns that schema 2 renamed.
RENAMED_V1 = {"iterations": "batches"}

# The strategies, in the order of the C strategy table, each with the Go
# idiom it stands for (for legends and tables).
STRATEGIES = (
    ("receive-only", "receive, keep nothing (the baseline)"),
    ("retain", "keep[i] = b[:k]: pins all of b"),
    ("copy", "keep[i] = make([]T, k); copy(keep[i], b)"),
    ("append", "acc = append(acc, b[:k]...) from nil; keep views of acc"),
    ("exactcap", "acc = make([]T, 0, M*k); acc = append(acc, b[:k]...)"),
    ("append-nil", "keep[i] = append([]T(nil), b[:k]...)"),
    ("append-each", "keep[i] = append(keep[i], b[j]) for each j < k"),
)
STRATEGY_NAMES = tuple(name for name, _ in STRATEGIES)
BASELINE = "receive-only"

# Columns that readers derive once every row of a run is known (never in a
# file of schema 2; schema 1 files carry a copy that readers recompute).
#   strategy_time_per_item_ns: a row's real_time_per_item_ns minus the median
#   receive-only real_time_per_item_ns of the same case (same allocator, N, k,
#   M, elem, growth, gc, gogc) in the same run; None without such a baseline.
DERIVED = (("strategy_time_per_item_ns", "float"),)
KIND.update(DERIVED)

# Figures that are durations: finite and above zero when present.
TIME_COLUMNS = ("real_time_per_item_ns", "cpu_time_per_item_ns")

# The allocators, in the order plots, tables and legends show them: the C
# harness's three, and "go" (real Go, converted from `go test -bench`
# output). Sanitizer builds report "asan". Unknown names still plot after
# these, in the order met.
GO_ALLOCATOR = "go"
ALLOCATORS = ("glibc", "mimalloc", "jemalloc", GO_ALLOCATOR)
SANITIZER_ALLOCATORS = ("asan",)
KNOWN_ALLOCATORS = ALLOCATORS + SANITIZER_ALLOCATORS

# Metadata keys, in the order results/README.md lists them (others follow).
META_KEYS = ("schema_version", "run_id", "date", "git_commit", "git_dirty",
             "host", "cpu_model", "cpus", "compiler", "build_type",
             "allocator", "allocator_version", "allocator_settings",
             "rss_precision_bytes", "slicebench_version",
             "benchmark_library_version", "budget_bytes", "command")
# The machine check's keys (written by the harness when it ran the check):
# machine_warnings is human text, empty when the machine looked quiet.
MACHINE_KEYS = ("machine_warnings", "aslr", "cpufreq_governor", "cpu_boost",
                "thp_enabled", "loadavg_1m", "build_type",
                "benchmark_library_build_type")


def strategy_order(strategy):
    """Sort key of strategies: the order of the C strategy table."""
    if strategy in STRATEGY_NAMES:
        return (STRATEGY_NAMES.index(strategy), strategy)
    return (len(STRATEGY_NAMES), strategy)


def allocator_order(allocator):
    """Sort key of allocators: schema.KNOWN_ALLOCATORS, then by name."""
    if allocator in KNOWN_ALLOCATORS:
        return (KNOWN_ALLOCATORS.index(allocator), allocator)
    return (len(KNOWN_ALLOCATORS), allocator)


def collector_order(gc, gogc):
    """Sort key of collectors: off (malloc's way) first, then Go's by GOGC
    (a number, or None/"" for GOGC=off, last)."""
    return (gc == "go", gogc in (None, ""), 0 if gogc in (None, "") else int(gogc))


def collector_label(gc, gogc):
    """A collector as case names show it: "" for malloc's way (gc off),
    else Go's and its GOGC, "gogc:100" ("gogc:off" for a gogc of None/"",
    Go run with GOGC=off), as the benchmark names it."""
    if gc != "go":
        return ""
    return f"gogc:{'off' if gogc in (None, '') else gogc}"


def case_order(params):
    """Sort key of cases by their PARAMS (a dict): allocator (as the files
    of a run come), strategy, N, k, element size, M, growth, collector."""
    p = params
    return (allocator_order(p["allocator"]), strategy_order(p["strategy"]),
            p["source_bytes"], p["kept_bytes"], p["elem_bytes"], p["items"],
            p["growth_policy"], collector_order(p["gc"], p["gogc"]))


def case_label(params):
    """A compact, unique name for a case, from its PARAMS (a dict): the
    collector shows only when it is Go's."""
    p = params
    gc = collector_label(p["gc"], p["gogc"])
    gc = f"/{gc}" if gc else ""
    return (f"{p['strategy']}/N:{p['source_bytes']}/k:{p['kept_bytes']}"
            f"/M:{p['items']}/elem:{p['elem_bytes']}"
            f"/growth:{p['growth_policy']}{gc}/alloc:{p['allocator']}")
