#!/bin/sh
# cli.sh -- bad input to the families tools: a one-line reason (one line
# on stderr) and exit status 2, never a crash.
#
#   cli.sh SLICEBENCH_FAMILIES FAMOPS
set -u
[ $# -eq 2 ] || { echo "usage: cli.sh SLICEBENCH_FAMILIES FAMOPS" >&2; exit 2; }
fam=$1 famops=$2 failed=0
expect2() {
    what=$1
    shift
    "$@" > "${OUT:-/dev/null}" 2> err.txt < "${STDIN:-/dev/null}"
    rc=$?
    if [ "$rc" -ne 2 ] || [ "$(wc -l < err.txt)" -ne 1 ]; then
        echo "FAIL $what: status $rc, stderr: $(head -c 200 err.txt)"
        failed=1
    else
        echo "ok   $what: $(head -n 1 err.txt)"
    fi
}
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
cd "$tmp" || exit 1
expect2 "unknown option" "$fam" --bogus
expect2 "bad item size" "$fam" --item=abc
expect2 "item too small" "$fam" --item=3
expect2 "zero queue" "$fam" --queue=0
expect2 "pops past queue" "$fam" --queue=4 --pops=5
expect2 "famops usage" "$famops"
OUT=/dev/full expect2 "help it cannot write" "$fam" --help
printf 'nonsense 1\n' > prog.txt
STDIN=prog.txt expect2 "famops bad line" "$famops" model
printf 'bsub 9 0 0 0\n' > prog.txt
STDIN=prog.txt expect2 "famops bad variable" "$famops" model
exit $failed
