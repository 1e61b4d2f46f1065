#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# build/bin/pcbstat against /proc: -p shows the process /proc/<pid>/comm
# names, --json parses and agrees with /proc/pcbstat's columns, sorting
# orders rows, --threads lists each thread, --exited holds a reaped child,
# --interval prints deltas, and errors give the documented exit codes.
# timeout: 120
. "$PCBKIT_TOP/selftests/lib.sh"
require_root
command -v jq >/dev/null || skip "no jq"

pcbstat -p 1 >/dev/null 2>&1 && fail "pcbstat works without the module"
pcbstat -p 1 >/dev/null 2>&1
expect_eq "exit status without the module" "$?" 1

load_module
trap 'rmmod pcbstat 2>/dev/null' EXIT

out=$(pcbstat -p 1) || fail "pcbstat -p 1"
expect_eq "comm of pid 1" "$(echo "$out" | tail -n 1 | awk '{ print $NF }')" \
	"$(cat /proc/1/comm)"

json=$(pcbstat --json) || fail "pcbstat --json"
echo "$json" | jq -e 'length > 1' >/dev/null || fail "--json is not an array"
expect_eq "json comm of pid 1" \
	"$(echo "$json" | jq -r '.[] | select(.pid == 1) | .comm')" \
	"$(cat /proc/1/comm)"
expect_eq "json ppid of pid 1" \
	"$(echo "$json" | jq -r '.[] | select(.pid == 1) | .ppid')" 0
# pid 1's wait histogram: 24 buckets, counting its dispatches (a process
# whose threads exit may be read between two counters of a fold).
expect_eq "json pid 1's wait_hist count" \
	"$(echo "$json" | jq '.[] | select(.pid == 1) |
		[(.wait_hist.counts | add), (.wait_hist.le_ns | length)]' |
		tr -d ' \n')" \
	"[$(echo "$json" | jq '.[] | select(.pid == 1) | .dispatches'),24]"
expect_eq "json pid 1's wait_hist bound 0" \
	"$(echo "$json" | jq '.[] | select(.pid == 1) | .wait_hist.le_ns[0]')" 1024
# Short-lived helpers (this pipeline's) may differ by a process or two.
n_json=$(echo "$json" | jq length)
n_proc=$(($(wc -l </proc/pcbstat) - 1))
[ "$n_json" -ge $((n_proc - 3)) ] && [ "$n_json" -le $((n_proc + 3)) ] ||
	fail "--json has $n_json rows, /proc/pcbstat $n_proc"

sorted=$(pcbstat -s run_ns -r -o pid,run_ns | tail -n +2 | awk '{ print $2 }')
[ "$sorted" = "$(echo "$sorted" | sort -rn)" ] || fail "-s run_ns -r unsorted"

threads=$(pcbstat --threads -o pid,tid,comm | awk -v p=1 '$1 == p' | wc -l)
expect_eq "threads of pid 1" "$threads" "$(ls /proc/1/task | wc -l)"

sh -c 'exit 0' &
child=$!
wait $child
wait_for 10 sh -c "pcbstat --exited -o pid,comm | grep -q '^ *$child '"

deltas=$(pcbstat -p 1 -i 1 -c 2 -o pid,nvcsw,turnaround_ns | grep -c '^ *1 ')
expect_eq "interval rows" "$deltas" 2

pcbstat -s nosuchcolumn >/dev/null 2>&1
expect_eq "exit status for a bad column" "$?" 2
pcbstat -p 999999 >/dev/null 2>&1
expect_eq "exit status for a missing pid" "$?" 1
pcbstat --help | grep -q -- --interval || fail "--help lacks --interval"
trap - EXIT
unload_module
