#!/bin/sh
# go_diff.sh -- the model against real Go on random programs.
#
#   go_diff.sh FAMOPS FAMOPS_GO PROGRAMS OPS
#
# For seeds 1..PROGRAMS: `FAMOPS gen SEED OPS` writes a program, then
# `FAMOPS model` (the C model) and FAMOPS_GO (real Go 1.19 slices) run it;
# their state lines (lengths, capacities, contents, slots, reachable heap
# bytes after every operation) must be identical.
set -eu
[ $# -eq 4 ] || { echo "usage: go_diff.sh FAMOPS FAMOPS_GO PROGRAMS OPS" >&2; exit 2; }
famops=$1 famops_go=$2 programs=$3 ops=$4
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
seed=1
while [ "$seed" -le "$programs" ]; do
    "$famops" gen "$seed" "$ops" > "$dir/program" ||
        { echo "seed $seed: famops gen failed"; exit 1; }
    "$famops" model < "$dir/program" > "$dir/model" ||
        { cp "$dir/program" "fam_go_diff_$seed.txt"; echo "seed $seed: the model failed (program saved as fam_go_diff_$seed.txt)"; exit 1; }
    "$famops_go" < "$dir/program" > "$dir/go" ||
        { cp "$dir/program" "fam_go_diff_$seed.txt"; echo "seed $seed: Go failed (program saved as fam_go_diff_$seed.txt)"; exit 1; }
    if ! cmp -s "$dir/model" "$dir/go"; then
        cp "$dir/program" "fam_go_diff_$seed.txt"
        echo "seed $seed: the model and Go disagree (program saved as fam_go_diff_$seed.txt)"
        diff "$dir/model" "$dir/go" | head -6
        exit 1
    fi
    seed=$((seed + 1))
done
echo "$programs programs of $ops operations: the model and Go agree"
