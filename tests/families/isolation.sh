#!/bin/sh
# isolation.sh -- fambench (real Go) measures each variant in a process of
# its own by default, as slicebench-families does: one process per variant
# (FAMBENCH_PIDS), the run's isolation in its CSV, the same held bytes as
# -isolation=none (one process, every variant in turn); -variant alone
# prints its two lines; a bad -isolation or -variant: exit 2, one line.
#
#   isolation.sh FAMBENCH
set -u
[ $# -eq 1 ] || { echo "usage: isolation.sh FAMBENCH" >&2; exit 2; }
fambench=$1 failed=0
fail() { echo "FAIL $*"; failed=1; }
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
cd "$tmp" || exit 1
mkdir proc none
FAMBENCH_PIDS=$tmp/pids.proc "$fambench" --quick --reps=1 --out=proc --run-id=p > /dev/null ||
    fail "the default run exited $?"
FAMBENCH_PIDS=$tmp/pids.none "$fambench" --quick --reps=1 -isolation=none --out=none --run-id=n > /dev/null ||
    fail "-isolation=none exited $?"
variants=$(wc -l < pids.none)
[ "$variants" -ge 10 ] || fail "-isolation=none measured $variants variants"
procs=$(cut -d' ' -f1 pids.proc | sort -u | wc -l)
[ "$procs" -eq "$variants" ] && [ "$(wc -l < pids.proc)" -eq "$variants" ] ||
    fail "default: $variants variants measured by $procs processes"
[ "$(cut -d' ' -f1 pids.none | sort -u | wc -l)" -eq 1 ] ||
    fail "-isolation=none: more than one process measured"
[ "$(cut -d' ' -f2 pids.proc)" = "$(cut -d' ' -f2 pids.none)" ] ||
    fail "the variants differ, or their order"
grep -qx '# isolation=process' proc/*.csv || fail "no '# isolation=process' in the CSV"
grep -qx '# isolation=none' none/*.csv || fail "no '# isolation=none' in the CSV"
# the same held bytes (column 10) either way
held() { grep -v '^#' "$1" | cut -d, -f3,4,10; }
[ "$(held proc/*.csv)" = "$(held none/*.csv)" ] || fail "held bytes differ between the two"
out=$("$fambench" --quick --reps=1 -variant=queue/pop_front) || fail "-variant exited $?"
[ "$(printf '%s\n' "$out" | wc -l)" -eq 2 ] &&
    printf '%s\n' "$out" | head -n 1 | grep -q '^console: queue ' &&
    printf '%s\n' "$out" | tail -n 1 | grep -q '^row: .*,go,queue,pop_front,' ||
    fail "-variant printed: $out"
for bad in "-isolation=threads" "-variant=queue/nosuch"; do
    "$fambench" --quick "$bad" > /dev/null 2> err.txt
    rc=$?
    [ "$rc" -eq 2 ] && [ "$(wc -l < err.txt)" -eq 1 ] ||
        fail "$bad: status $rc, stderr: $(head -c 200 err.txt)"
done
[ "$failed" -eq 0 ] && echo "ok: $variants variants, $procs processes"
exit $failed
