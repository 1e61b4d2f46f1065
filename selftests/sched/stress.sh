#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Every policy stays attached under stress-ng CPU hogs and a fork storm,
# pinned and re-pinned to CPUs (--affinity, as the sched_ext CI does): no
# watchdog or error exit (the runner also checks the kernel log), and a
# clean detach afterwards. The sched_ext CI runs 45 s per scheduler; under
# QEMU TCG, where fork is 15-25x slower, 8 s per policy covers the same
# paths within the test's time limit.
# timeout: 400
# needs: sched_ext
. "$PCBKIT_TOP/selftests/lib.sh"
require_root
command -v stress-ng >/dev/null || skip "stress-ng not installed"
scx_state_is disabled || fail "a scheduler is attached before the test"

SECS=${PCBSCHED_STRESS_SECS:-8}
n=$(nproc)

pcbsched list | while read -r name ops _; do
	log=$PCBKIT_TEST_OUT/$name.log
	pcbsched "$name" --interval 0 >"$log" 2>&1 &
	pid=$!
	wait_for 30 scx_state_is enabled
	timeout $((SECS + 60)) stress-ng --quiet --timeout "${SECS}s" \
		--cpu "$n" --fork "$n" --affinity "$n" >/dev/null 2>&1
	scx_state_is enabled || { cat "$log"; fail "$name: ejected under stress"; }
	expect_eq "$name: root/ops" "$(cat /sys/kernel/sched_ext/root/ops)" "$ops"
	kill -INT "$pid"
	wait "$pid"
	rc=$?
	grep -q "$ops exited: unregistered from user space" "$log" ||
		{ cat "$log"; fail "$name: unexpected exit"; }
	expect_eq "$name: pcbsched exit status" "$rc" 0
	wait_for 30 scx_state_is disabled
	echo "$name: ${SECS}s of stress-ng --cpu $n --fork $n --affinity $n"
done
