#!/bin/sh
# interrupt.sh -- slicebench-families stopped by SIGTERM while its first
# variant is still being measured leaves no results file: not one with the
# metadata and the header and no row (sb_csv creates the file with its
# first row).
#
#   interrupt.sh SLICEBENCH_FAMILIES
set -u
[ $# -eq 1 ] || { echo "usage: interrupt.sh SLICEBENCH_FAMILIES" >&2; exit 2; }
fam=$1
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
# --reps=40: the first variant's measuring process runs for about a second
"$fam" --reps=40 --out="$tmp" > /dev/null 2>&1 &
pid=$!
tries=0
# the first child is running (read from /proc: no procps needed)
while [ -z "$(cat "/proc/$pid/task/$pid/children" 2>/dev/null)" ]; do
    tries=$((tries + 1))
    if [ "$tries" -gt 2000 ]; then
        echo "FAIL no measuring process within 20 s"
        kill "$pid" 2>/dev/null
        exit 1
    fi
    sleep 0.01
done
kill -TERM "$pid"
wait "$pid"
rc=$?
if [ "$rc" -ne 143 ]; then
    echo "FAIL status $rc, not 143 (ended by SIGTERM)"
    exit 1
fi
left=$(ls -A "$tmp")
if [ -n "$left" ]; then
    echo "FAIL left behind: $left"
    for f in "$tmp"/*; do head -c 300 "$f"; echo; done
    exit 1
fi
echo "ok   stopped in its first variant: no file left"
