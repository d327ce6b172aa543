#!/bin/sh
# compare_held.sh -- the model's held bytes equal real Go's, variant by
# variant (the issue's "done when": exactly, on Go's size classes).
#
#   compare_held.sh SLICEBENCH_FAMILIES FAMBENCH [FLAGS...]
#
# Runs both with the same FLAGS (both read --item=, --queue=, --pops=,
# --bufs=, --reps=, --quick) and compares their family, variant and
# held_bytes columns.
set -eu
[ $# -ge 2 ] || { echo "usage: compare_held.sh SLICEBENCH_FAMILIES FAMBENCH [FLAGS...]" >&2; exit 2; }
c=$1 go=$2
shift 2
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
"$c" --no-csv "$@" > "$dir/c.out"
"$go" "$@" > "$dir/go.out"
awk 'NR > 1 && $1 != "results:" { print $1, $2, $3 }' "$dir/c.out" > "$dir/c"
awk 'NR > 1 && $1 != "results:" { print $1, $2, $3 }' "$dir/go.out" > "$dir/go"
if ! cmp -s "$dir/c" "$dir/go"; then
    echo "held bytes differ (model <, Go >) with flags: $*"
    diff "$dir/c" "$dir/go" || true
    exit 1
fi
[ -s "$dir/c" ] || { echo "no variants measured"; exit 1; }
echo "model and Go hold the same bytes in all $(wc -l < "$dir/c") variants ($*):"
cat "$dir/c"
