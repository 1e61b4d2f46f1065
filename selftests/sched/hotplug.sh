#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# A CPU taken offline and back while MLFQ is attached: the kernel ejects
# the scheduler asking for a restart, pcbsched says so and loads the
# policy again, each time; the policy ends attached and detaches cleanly.
# timeout: 200
# needs: sched_ext
. "$PCBKIT_TOP/selftests/lib.sh"
require_root
cpu=/sys/devices/system/cpu/cpu1/online
[ -w "$cpu" ] || skip "CPU 1 cannot be taken offline here"
scx_state_is disabled || fail "a scheduler is attached before the test"
# The kernel logs why it ejected the scheduler; that is the point here.
echo 'sched_ext: .*(hotplug|going (on|off)line|restart)' \
	>"$PCBKIT_TEST_OUT/expected-dmesg"

log=$PCBKIT_TEST_OUT/pcbsched.log
restarted() { [ "$(grep -c 'asked for a restart' "$log")" -ge "$1" ]; }
# Whatever happens, the next test gets both CPUs back.
trap 'echo 1 >"$cpu" 2>/dev/null' EXIT

pcbsched mlfq --interval 0 >"$log" 2>&1 &
pid=$!
wait_for 30 scx_state_is enabled
timeout 60 sh -c 'while :; do :; done' &
hog=$!

echo 0 >"$cpu" || fail "offlining CPU 1"
wait_for 30 restarted 1
wait_for 30 scx_state_is enabled
echo 1 >"$cpu" || fail "onlining CPU 1"
wait_for 30 restarted 2
wait_for 30 scx_state_is enabled
expect_eq "root/ops" "$(cat /sys/kernel/sched_ext/root/ops)" pcb_mlfq

kill "$hog"
kill -INT "$pid"
wait "$pid"
rc=$?
cat "$log"
expect_eq "pcbsched exit status" "$rc" 0
wait_for 30 scx_state_is disabled
