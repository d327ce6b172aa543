"""scripts/sweep's rounds, merged into one results file per allocator.

The default sweep takes its repetitions in rounds, as asv takes its
"rounds": each round runs every allocator's binary once (one repetition of
every case, each in a process of its own) and Go's benchmarks once, so the
repetitions of a case are spread over the whole sweep instead of taken
within seconds of each other. A machine that slows down for a minute (other
work, memory compaction, a neighbour on the host) then widens a case's
spread instead of shifting its median, and compare.py, which judges two
sweeps by their repetitions, no longer mistakes it for a change of the
code. Measured on 11 default sweeps of one build (closing note of issue
11): comparing two sweeps whose repetitions were taken back to back flagged
a row in 23 of 100 resampled comparisons; with each case's repetitions
drawn from different moments, in 4 of 100.

    python3 -m slicebench.sweep_rounds --run-id ID --out FILE ROUND...

writes the rounds' results files (round order) into FILE as one run: run_id
ID in every row, repetition i of round r becomes r x repetitions + i, and
the metadata of round 0 with `rounds` and `repetitions` for the whole. FILE
is created exclusively: an existing file is never touched, and a failure
removes what was written. One line on stderr and exit status 1 on failure.
"""

import os
import sys

from . import cli, results
from .commits_git import CommitsError
from .commits_merge import merge_rounds
from .results import ResultsError


def merge(paths, run_id, out_path):
    """Merge the round files `paths` into the new file out_path; returns
    the number of rows. Raises CommitsError (one line)."""
    try:
        rounds = [results.load(p) for p in paths]
    except ResultsError as e:
        raise CommitsError(str(e)) from None
    if not rounds:
        raise CommitsError("no round to merge")
    reps = int(rounds[0].meta.get("repetitions") or 1)
    seeds = ",".join(r.meta.get("order_seed", "") for r in rounds)
    meta = {"run_id": run_id, "rounds": str(len(rounds)),
            "repetitions": str(reps * len(rounds)), "order_seed": seeds}
    try:
        out = open(out_path, "x", encoding="utf-8", newline="")
    except OSError as e:
        raise CommitsError(f"{out_path}: {e.strerror or e}") from None
    try:
        with out:
            n = merge_rounds(paths, reps, out, as_run=run_id, meta=meta)
        results.load(out_path)
    except BaseException as e:
        try:
            os.unlink(out_path)
        except OSError:
            pass
        if isinstance(e, OSError):
            raise CommitsError(f"{out_path}: {e.strerror or e}") from None
        if isinstance(e, ResultsError):
            raise CommitsError(f"merged file not valid: {e}") from None
        raise
    return n


def main(argv=None):
    ap = cli.Parser(
        prog="python3 -m slicebench.sweep_rounds",
        description="Merge scripts/sweep's rounds into one results file.")
    ap.add_argument("--run-id", required=True, help="the sweep's run id")
    ap.add_argument("--out", required=True,
                    help="the merged file (must not exist)")
    ap.add_argument("rounds", nargs="+", help="the rounds' files, in order")
    args = ap.parse_args(argv)
    try:
        n = merge(args.rounds, args.run_id, args.out)
    except CommitsError as e:
        print(f"sweep_rounds: {e}", file=sys.stderr)
        return 1
    print(f"{args.out}: {n} rows from {len(args.rounds)} rounds")
    return 0


if __name__ == "__main__":
    sys.exit(main())
