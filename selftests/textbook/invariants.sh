#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The claims of 'pcbbench textbook' that must hold on any machine, checked
# here from its --json rows rather than from its own verdicts: a user-level
# switch is cheaper than a kernel thread switch; under N:1 no other task
# moves while one blocks in read(2), under 1:1 they do; the kernel counts
# 1 / N / M threads for the three models, as /proc/<pid>/status does; and
# the PCB classes the process ping-pong as process switches and the thread
# ping-pong as thread switches (90% of the switch-outs at least).
# timeout: 300
. "$PCBKIT_TOP/selftests/lib.sh"
require_root
command -v jq >/dev/null || skip "no jq"
module_loaded && fail "pcbstat.ko already loaded"

json=$(pcbbench textbook --parts switch,models --quick --json --out "") ||
	fail "pcbbench textbook failed"
echo "$json" | grep -v '"verdict"'
module_loaded && fail "pcbbench textbook left pcbstat.ko loaded"

# row PART KEY VALUE: the JSON row of PART whose KEY is VALUE
row() {
	echo "$json" | jq -c "select(.part == \"$1\" and .$2 == \"$3\")"
}

field() {
	jq -r ".$1" <<<"$2"
}

thread=$(row switch kind thread)
process=$(row switch kind process)
uctx=$(row switch kind swapcontext)
[ -n "$thread" ] && [ -n "$process" ] && [ -n "$uctx" ] ||
	fail "switch rows missing"
awk -v u="$(field ns "$uctx")" -v t="$(field ns "$thread")" \
	'BEGIN { exit !(u > 0 && u < t) }' ||
	fail "swapcontext $(field ns "$uctx") ns not below a thread switch" \
		"$(field ns "$thread") ns"

expect_eq "the module answered" "$(field pcb "$thread")" true
ninety() {
	local hit=$1 r=$2 all

	all=$(($(field sw_process "$r") + $(field sw_thread "$r") +
		$(field sw_kernel "$r")))
	[ "$all" -gt 0 ] && [ $((hit * 10)) -ge $((all * 9)) ]
}
ninety "$(field sw_process "$process")" "$process" ||
	fail "process ping-pong not classed sw_process: $process"
ninety "$(field sw_thread "$thread")" "$thread" ||
	fail "thread ping-pong not classed sw_thread: $thread"

n1=$(row models model N:1)
one=$(row models model 1:1)
mn=$(row models model M:N)
[ -n "$n1" ] && [ -n "$one" ] && [ -n "$mn" ] || fail "model rows missing"
expect_eq "N:1: others' steps while task 0 blocked" \
	"$(field others_blocked "$n1")" 0
[ "$(field others_free "$n1")" -gt 0 ] || fail "N:1 never ran again: $n1"
expect_eq "N:1: task 0 resumed after the write" "$(field resumed "$n1")" true
[ "$(field others_blocked "$one")" -gt 0 ] ||
	fail "1:1 stalled while one thread blocked: $one"
[ "$(field others_blocked "$mn")" -gt 0 ] ||
	fail "M:N stalled while one task blocked: $mn"

tasks=$(field tasks "$n1")
[ "$tasks" -gt 2 ] || fail "N:1 ran $tasks tasks, too few to tell N from M"
for m in "N:1 1" "1:1 $tasks" "M:N 2"; do
	set -- $m
	r=$(row models model "$1")
	expect_eq "$1 threads, by /proc/<pid>/status" \
		"$(field threads_status "$r")" "$2"
	expect_eq "$1 threads, by the PCB" "$(field threads_pcb "$r")" "$2"
done
echo "ok: every invariant holds"
