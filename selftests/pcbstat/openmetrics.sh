#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# pcbstat --openmetrics and pcbsched status --openmetrics: promtool accepts
# both (with a policy attached and without); a stopped process's CPU time
# equals /proc/pcbstat's; --top N keeps the N largest; a comm with a quote
# and a backslash is escaped; the exited histograms count the ring's
# records; a /dev/pcbmq queue's length is its gauge.
# timeout: 120
# needs: sched_ext
. "$PCBKIT_TOP/selftests/lib.sh"
require_root
command -v promtool >/dev/null || skip "no promtool (Debian package prometheus)"

out=$PCBKIT_TEST_OUT/metrics.prom

# promtool_ok FILE: valid exposition, and no lint problems.
promtool_ok() {
	promtool check metrics <"$1" || fail "promtool rejects $1"
}

load_module
dir=$(mktemp -d)
trap 'kill $stopped $quoted 2>/dev/null; rm -rf "$dir"; rmmod pcbstat 2>/dev/null' EXIT

# A spinner stopped after it ran: its counters hold still.
sh -c 'while :; do :; done' &
stopped=$!
wait_for 30 sh -c "cat /proc/pcbstat | awk -v p=$stopped '\$1 == p && \$10 > 50000000' | grep -q ."
kill -STOP "$stopped"
wait_for 10 sh -c "grep -q '^State:.*T' /proc/$stopped/status"
ln -s "$(command -v sleep)" "$dir/q\"b\\s"
"$dir/q\"b\\s" 1000 &
quoted=$!
sh -c 'exit 0' # one more record for the exited ring
id=$(pcbmq mk -p 600 --json | sed -E 's/.*"msqid":([0-9]+).*/\1/')
pcbmq send "$id" -t 1 one && pcbmq send "$id" -t 2 two || fail "pcbmq send"
wait_for 10 sh -c "grep -q '^ *$quoted ' /proc/pcbstat"

# The ring only grows while this test runs (64 slots by default), so
# the histograms' count lies between its sizes before and after.
ring_before=$(($(pcbstat --exited -o pid | wc -l) - 1))
pcbstat --openmetrics >"$out" || fail "pcbstat --openmetrics"
ring_after=$(($(pcbstat --exited -o pid | wc -l) - 1))
promtool_ok "$out"
expect_eq "last line" "$(tail -n 1 "$out")" "# EOF"

run_ns=$(cat /proc/pcbstat | awk -v p="$stopped" '
	NR == 1 { for (i = 1; i <= NF; i++) if ($i == "run_ns") k = i; next }
	$1 == p { print $k }')
got=$(grep "^pcbkit_process_cpu_seconds_total{pid=\"$stopped\"," "$out" | awk '{ print $2 }')
echo "stopped spinner: /proc/pcbstat run_ns $run_ns, exported $got s"
awk -v g="$got" -v w="$run_ns" 'BEGIN { d = g * 1e9 - w; exit !(g != "" && (d < 0 ? -d : d) <= 1000) }' ||
	fail "cpu seconds $got vs run_ns $run_ns"

# Its runqueue-latency histogram: cumulative, +Inf and _count are its
# dispatches.
h=pcbkit_process_runqueue_latency_seconds
dispatches=$(cat /proc/pcbstat | awk -v p="$stopped" '
	NR == 1 { for (i = 1; i <= NF; i++) if ($i == "dispatches") k = i; next }
	$1 == p { print $k }')
grep "^${h}_bucket{pid=\"$stopped\"," "$out" | awk '{ print $2 }' >"$out.hist"
expect_eq "latency buckets" "$(wc -l <"$out.hist")" 24
sort -n -c "$out.hist" || fail "latency buckets are not cumulative"
expect_eq "latency +Inf bucket" \
	"$(grep "^${h}_bucket{pid=\"$stopped\",.*le=\"+Inf\"}" "$out" | awk '{ print $2 }')" \
	"$dispatches"
expect_eq "latency count" \
	"$(grep "^${h}_count{pid=\"$stopped\"," "$out" | awk '{ print $2 }')" \
	"$dispatches"
grep -q "^${h}_sum{pid=\"$stopped\"," "$out" || fail "no latency _sum"

grep -qF 'comm="q\"b\\s"' "$out" || fail "comm not escaped: $(grep -F "pid=\"$quoted\"" "$out" | head -n 1)"
grep -q '^pcbkit_cpu_switches_total{cpu="0",class="process"} [0-9]' "$out" ||
	fail "no per-CPU switch classes"
grep -q '^pcbkit_process_state_seconds_total{.*state="blocked"} ' "$out" ||
	fail "no state seconds"

count=$(awk '$1 == "pcbkit_exited_turnaround_seconds_count" { print $2 }' "$out")
echo "exited ring: $ring_before before, $count exported, $ring_after after"
[ -n "$count" ] && [ "$count" -ge "$ring_before" ] &&
	[ "$count" -le "$ring_after" ] || fail "turnaround count $count"
expect_eq "turnaround +Inf bucket" \
	"$(awk '$1 == "pcbkit_exited_turnaround_seconds_bucket{le=\"+Inf\"}" { print $2 }' "$out")" "$count"
grep '^pcbkit_exited_turnaround_seconds_bucket' "$out" | awk '{ print $2 }' |
	sort -n -c || fail "turnaround buckets are not cumulative"
expect_eq "queue length gauge" \
	"$(awk -v id="$id" '$1 ~ "^pcbkit_mq_messages\\{msqid=\"" id "\"" { print $2 }' "$out")" 2
pcbmq rm "$id" || fail "pcbmq rm $id"

# --top 3 by run_ns: three processes, the three largest.
pcbstat --openmetrics --top 3 >"$out.top" || fail "--top 3"
promtool_ok "$out.top"
pids=$(grep '^pcbkit_process_cpu_seconds_total' "$out.top" |
	sed -E 's/.*pid="([0-9]+)".*/\1/' | sort -n | tr '\n' ' ')
want=$(pcbstat -s run_ns -r -o pid | sed -n '2,4p' | sort -n | tr -d ' ' | tr '\n' ' ')
echo "--top 3: $pids (pcbstat -s run_ns -r: $want)"
expect_eq "--top 3 rows" "$(echo $pids | wc -w)" 3

pcbstat --openmetrics --json >/dev/null 2>&1
expect_eq "--openmetrics with --json" "$?" 2

# pcbsched status: without a policy, then with MLFQ and its levels.
pcbsched status --openmetrics >"$out.sched" || fail "pcbsched status --openmetrics"
promtool_ok "$out.sched"
grep -qx 'pcbkit_sched_ext_enabled 0' "$out.sched" || fail "enabled is not 0"
pcbsched mlfq --interval 0 >"$PCBKIT_TEST_OUT/mlfq.log" 2>&1 &
sched=$!
trap 'kill $sched $stopped $quoted 2>/dev/null; wait $sched; rm -rf "$dir"; rmmod pcbstat 2>/dev/null' EXIT
wait_for 30 scx_state_is enabled
wait_for 30 sh -c "pcbsched status --openmetrics | grep -q '^pcbkit_sched_level_runs_total{level=\"0\"} [1-9]'"
pcbsched status --openmetrics >"$out.sched" || fail "status --openmetrics, attached"
cat "$out.sched"
promtool_ok "$out.sched"
grep -qx 'pcbkit_sched_ext_enabled 1' "$out.sched" || fail "enabled is not 1"
grep -q '^pcbkit_sched_level_queued{level="2"} ' "$out.sched" || fail "no level gauges"
kill -INT "$sched"
wait "$sched"
wait_for 30 scx_state_is disabled
echo "openmetrics: promtool ok, values agree with /proc/pcbstat"
