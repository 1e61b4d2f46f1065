#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# pcbsched attaches the FIFO policy, which then schedules real work, and
# detaches on SIGINT, reporting the kernel's exit reason.
# timeout: 120
# needs: sched_ext
. "$PCBKIT_TOP/selftests/lib.sh"
require_root

log=$PCBKIT_TEST_OUT/pcbsched.log
scx_state_is disabled || fail "a scheduler is attached before the test"

pcbsched fifo --interval 0.2 >"$log" 2>&1 &
pid=$!
wait_for 30 scx_state_is enabled
expect_eq "root/ops" "$(cat /sys/kernel/sched_ext/root/ops)" pcb_fifo
pcbsched status --json | grep -q '"state":"enabled"' ||
	fail "pcbsched status does not report enabled"

# Work that must go through the policy: forks and CPU burners.
for i in 1 2 3; do
	timeout 2 sh -c 'while :; do :; done' &
done
for i in $(seq 20); do /bin/true; done
wait_for 30 grep -qE 'enqueued=[1-9]' "$log"
wait_for 30 grep -qE 'dispatched=[1-9]' "$log"

kill -INT "$pid"
wait "$pid"
rc=$?
cat "$log"
expect_eq "pcbsched exit status" "$rc" 0
grep -q 'pcb_fifo exited: unregistered from user space' "$log" ||
	fail "no exit reason printed"
wait_for 30 scx_state_is disabled
wait
