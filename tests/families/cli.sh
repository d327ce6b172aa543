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
expect2 "no such variant" "$fam" --child=99
expect2 "famops usage" "$famops"
OUT=/dev/full expect2 "help it cannot write" "$fam" --help
printf 'nonsense 1\n' > prog.txt
STDIN=prog.txt expect2 "famops bad line" "$famops" model
printf 'bsub 9 0 0 0\n' > prog.txt
STDIN=prog.txt expect2 "famops bad variable" "$famops" model

# The default results folder is the checkout's (it exists), not "".
dir=$("$fam" --help | sed -n 's/.* -- here //p')
if [ -n "$dir" ] && [ -d "$dir" ]; then echo "ok   default results folder: $dir"
else echo "FAIL default results folder: '$dir' is not a folder"; failed=1; fi

# A sanitizer build cannot start under an address-space limit (its shadow
# memory): the two checks that set one are skipped there.
limits=1
prlimit --as=4000000000 "$fam" --help > /dev/null 2>&1 || limits=""

# The measuring processes are guarded too: --child is no way past the guard
# (the limit keeps a regression from filling the machine).
if [ -n "$limits" ]; then
    prlimit --as=4000000000 "$fam" --item=256MiB --queue=1024 --no-csv --child=0 \
        > out.txt 2> err.txt
    rc=$?
    if [ "$rc" -eq 1 ] && grep -q 'not run: its largest variant needs about' err.txt; then
        echo "ok   guarded child: $(head -n 1 err.txt)"
    else
        echo "FAIL guarded child: status $rc, stderr: $(head -c 200 err.txt)"; failed=1
    fi
else
    echo "skip guarded child: this build cannot start under prlimit --as"
fi

# --quick sets defaults; a flag given before it still counts: the queue
# family's rows have 4 items.
if "$fam" --queue=4 --quick --reps=1 --out=. > /dev/null 2> err.txt &&
   grep -q ',queue,' families_*.csv &&
   awk -F, '!/^#/ && $3 == "queue" && $6 != 4 { bad = 1 } END { exit bad }' families_*.csv; then
    echo "ok   --quick keeps a flag given before it"
else
    echo "FAIL --quick keeps a flag given before it: $(head -c 200 err.txt)"; failed=1
fi

# A table it cannot write: status 1 and one line; the results file stays whole.
"$fam" --quick --reps=1 --out=. > /dev/full 2> err.txt
rc=$?
if [ "$rc" -eq 1 ] && [ "$(wc -l < err.txt)" -eq 1 ] && grep -q 'standard output' err.txt
then echo "ok   full stdout: $(cat err.txt)"
else echo "FAIL full stdout: status $rc, stderr: $(head -c 200 err.txt)"; failed=1; fi

# Closed stderr, under an address-space limit the run does not fit: the
# guard refuses it (RLIMIT_AS counted), and no message lands in a file (the
# old binary ran it, its measuring processes failed, and their messages
# went into the CSV, which had taken stderr's number).
if [ -n "$limits" ]; then
    mkdir closed && cd closed || exit 1
    prlimit --as=60000000 "$fam" --quick --reps=1 --bufs=1000 --out=. > /dev/null 2>&-
    rc=$?
    cd .. || exit 1
    if [ "$rc" -eq 1 ] && ! grep -qrs 'slicebench-families:' closed; then
        echo "ok   closed stderr under RLIMIT_AS: refused, no message in a file"
    else echo "FAIL closed stderr under RLIMIT_AS: status $rc, or a message in a file"; failed=1; fi
else
    echo "skip closed stderr under RLIMIT_AS: this build cannot start under prlimit --as"
fi
exit $failed
