#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# pcbtop -b: a spinner shows ~100% running, a sleeper ~100% blocked and a
# nice-19 task behind two hogs on one CPU mostly ready, each agreeing with
# /proc/pcbstat's own state times over the same window; -n frames, -s
# sorts, -f filters, -p shows the whole PCB, -x the exited ring, -H threads,
# and errors give the documented exit codes.
# timeout: 240
. "$PCBKIT_TOP/selftests/lib.sh"
. "$PCBKIT_TOP/selftests/pcbtop/workload"
require_root
command -v taskset >/dev/null || skip "no taskset"

# Every pcbtop run is bounded: one that hangs fails the test naming its
# arguments, within the test's timeout. On a loaded TCG host a run takes
# seconds (exec from virtiofs, CPU 1 shared with the hogs).
top_limit=60
run_top() {
	local rc

	timeout -k 5 "$top_limit" pcbtop "$@"
	rc=$?
	case $rc in
	124 | 137) fail "pcbtop $* did not return within ${top_limit}s" ;;
	esac
	return $rc
}

run_top -b -n 1 >/dev/null 2>&1
expect_eq "exit status without the module" "$?" 1
run_top --help | grep -q -- --batch || fail "--help lacks --batch"
run_top -s NOSUCH -b >/dev/null 2>&1
expect_eq "exit status for a bad column" "$?" 2
run_top -d 0 -b >/dev/null 2>&1
expect_eq "exit status for a bad delay" "$?" 2

load_module
dir=$(mktemp -d)
trap 'cp "$dir"/*.out "$PCBKIT_TEST_OUT/" 2>/dev/null; stop_workload; rm -rf "$dir"; rmmod pcbstat 2>/dev/null' EXIT
start_workload "$dir"
echo "workload: spin $spin, sleep $sleeper, hogs $hog1 $hog2, starved $starved"

out=$dir/batch.out
oracle_mark a $spin $sleeper $starved
run_top -b -n 2 -d 1 -w 100 >"$out" || fail "pcbtop -b -n 2"
oracle_mark b $spin $sleeper $starved
cat "$out" | head -n 12
expect_eq "frames printed" "$(grep -c '^pcbtop ' "$out")" 2
check_split "$out" a b

# Sorted by ready share: the column never grows down the rows with rates.
run_top -b -n 1 -d 0.5 -s RDY% -f pt_ >"$out" || fail "pcbtop -s RDY%"
awk '$1 == "PID" { for (i = 1; i <= NF; i++) if ($i ~ /^RDY%/) k = i; next }
	k && $k ~ /^[0-9.]+$/ { print $k }' "$out" >"$out.col"
[ -s "$out.col" ] || fail "no rows with a ready share"
sort -rn -c "$out.col" || fail "-s RDY% rows are not largest first"
# Filtered: every row is one of ours, and all five are there.
rows=$(awk '$1 == "PID" { on = 1; next } on && NF { print $NF }' "$out")
echo "$rows" | grep -v '^pt_' && fail "-f pt_ shows other rows"
expect_eq "filtered rows" "$(echo "$rows" | grep -c '^pt_')" 5

# The detail view has every /proc/pcbstat column of the pid.
run_top -b -n 1 -d 0.2 -p "$spin" >"$out" || fail "pcbtop -p"
cat "$out"
grep -q "^pid $spin (pt_spin)" "$out" || fail "-p names no pid $spin"
for c in $(head -n 1 /proc/pcbstat); do
	grep -qw "$c" "$out" || fail "detail view lacks column $c"
done
before=$(proc_field "$spin" run_ns)
run_top -b -n 1 -d 0.2 -p "$spin" >"$out" || fail "pcbtop -p"
after=$(proc_field "$spin" run_ns)
got=$(grep -ow 'run_ns *[0-9]*' "$out" | awk '{ print $2 }')
echo "detail run_ns $got, /proc/pcbstat $before before and $after after"
[ "$got" -ge "$before" ] && [ "$got" -le "$after" ] ||
	fail "detail run_ns $got outside [$before, $after]"

# An exited child is in the exited view, with its parent in the detail.
"$dir/pt_sleep" 0 || fail "pt_sleep 0"
wait_for 10 sh -c "timeout -k 5 $top_limit pcbtop -b -n 1 -d 0.1 -x |
	grep -q ' pt_sleep\$'"
run_top -b -n 1 -d 0.1 -p $$ | grep -q 'pt_sleep$' ||
	fail "the detail view of $$ lists no exited child pt_sleep"

# Threads: a process's threads each get a row of their own.
run_top -b -n 1 -d 0.2 -H -f pt_spin >"$out" || fail "pcbtop -H"
grep -q '^ *TID ' "$out" || fail "-H shows no TID column"
grep -q "threads" "$out" || fail "-H header does not say threads"
grep -q "^ *$spin " "$out" || fail "-H lacks the spinner's thread"
echo "pcbtop -b: frames, split, sort, filter, detail, exited, threads ok"
