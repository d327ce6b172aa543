#!/bin/sh
# interrupt.sh -- slicebench-families stopped by SIGTERM while its first
# variant is still being measured leaves no results file: not one with the
# metadata and the header and no row (sb_csv creates the file with its
# first row). Its measuring process ends with it. Exit 77 (skipped) where
# /proc does not list a process's children.
#
#   interrupt.sh SLICEBENCH_FAMILIES
set -u
[ $# -eq 1 ] || { echo "usage: interrupt.sh SLICEBENCH_FAMILIES" >&2; exit 2; }
fam=$1
[ -e "/proc/$$/task/$$/children" ] || { echo "skip: no /proc/PID/task/TID/children"; exit 77; }
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
# --reps=40: the first variant's measuring process runs for about a second
"$fam" --reps=40 --out="$tmp" > /dev/null 2>&1 &
pid=$!
tries=0
child=
while [ -z "$child" ]; do            # until the first child is running
    child=$(cat "/proc/$pid/task/$pid/children" 2>/dev/null)
    tries=$((tries + 1))
    if [ -z "$child" ] && [ "$tries" -gt 2000 ]; then
        echo "FAIL no measuring process within 20 s"
        kill "$pid" 2>/dev/null
        exit 1
    fi
    [ -n "$child" ] || sleep 0.01
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
tries=0
for c in $child; do                  # the measuring process went with it
    while kill -0 "$c" 2>/dev/null; do
        tries=$((tries + 1))
        if [ "$tries" -gt 500 ]; then
            echo "FAIL measuring process $c still running 5 s after its parent ended"
            kill -KILL "$c" 2>/dev/null
            exit 1
        fi
        sleep 0.01
    done
done
echo "ok   stopped in its first variant: no file left, its measuring process gone"
