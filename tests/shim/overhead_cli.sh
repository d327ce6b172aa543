#!/bin/sh
# overhead_cli.sh -- bad input to slicebench-overhead: one line on stderr
# and a non-zero status, before anything runs; a report it cannot write is
# status 1; --benchmark_out never replaces a file.
#
#   overhead_cli.sh SLICEBENCH_OVERHEAD
set -u
[ $# -eq 1 ] || { echo "usage: overhead_cli.sh SLICEBENCH_OVERHEAD" >&2; exit 2; }
ov=$1 failed=0
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
cd "$tmp" || exit 1
expect() {
    status=$1 what=$2
    shift 2
    "$@" > out.txt 2> err.txt < /dev/null
    rc=$?
    if [ "$rc" -ne "$status" ] || [ "$(wc -l < err.txt)" -ne 1 ]; then
        echo "FAIL $what: status $rc, stderr: $(head -c 300 err.txt)"
        failed=1
    else
        echo "ok   $what: $(cat err.txt)"
    fi
}
echo '{}' > earlier.json
expect 2 "negative repetitions" "$ov" --benchmark_repetitions=-1
expect 2 "zero repetitions" "$ov" --benchmark_repetitions=0
expect 2 "more repetitions than the report keeps" "$ov" --benchmark_repetitions=257
expect 2 "unknown format" "$ov" --benchmark_format=xml
expect 2 "bad seconds" "$ov" --benchmark_min_time=abc
expect 1 "a filter that selects nothing" "$ov" --benchmark_filter=nothing-is-called-this
expect 2 "an existing report file" "$ov" --benchmark_filter=increment --benchmark_out=earlier.json
if [ "$(cat earlier.json)" != "{}" ]; then echo "FAIL earlier.json was replaced"; failed=1; fi
"$ov" --benchmark_filter=increment --benchmark_min_time=0.01 > /dev/full 2> err.txt
rc=$?
if [ "$rc" -eq 1 ] && grep -q 'cannot write the report to standard output' err.txt; then
    echo "ok   full stdout: $(tail -n 1 err.txt)"
else
    echo "FAIL full stdout: status $rc, stderr: $(head -c 300 err.txt)"; failed=1
fi
"$ov" --benchmark_list_tests > out.txt 2> err.txt
rc=$?
if [ "$rc" -eq 0 ] && grep -qx 'shim/increment' out.txt && [ ! -s err.txt ]; then
    echo "ok   --benchmark_list_tests lists the cases"
else
    echo "FAIL --benchmark_list_tests: status $rc, stderr: $(head -c 300 err.txt)"; failed=1
fi
exit $failed
