#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Every policy pcbsched lists attaches under its own ops name, schedules a
# mixed load (CPU burners, forks, sleepers), reports per-queue counts in
# 'pcbsched status', knows a running task in 'pcbsched task', and detaches
# on SIGINT with "unregistered from user space" and exit status 0.
# timeout: 300
# needs: sched_ext
. "$PCBKIT_TOP/selftests/lib.sh"
require_root
trap 'exit 1' TERM INT

scx_state_is disabled || fail "a scheduler is attached before the test"

mixed_load() {
	local i

	for i in 1 2 3; do
		timeout 2 sh -c 'while :; do :; done' &
	done
	for i in $(seq 10); do
		/bin/true
		sleep 0.01
	done
}

check_policy() {
	local name=$1 ops=$2 log=$PCBKIT_TEST_OUT/$1.log pid rc burner

	pcbsched "$name" --interval 0.5 >"$log" 2>&1 &
	pid=$!
	wait_for 30 scx_state_is enabled
	expect_eq "$name: root/ops" "$(cat /sys/kernel/sched_ext/root/ops)" "$ops"
	sh -c 'while :; do :; done' &
	burner=$!
	trap 'kill $burner 2>/dev/null' EXIT
	mixed_load
	wait_for 30 grep -qE 'dispatched=[1-9]|direct=[1-9]' "$log"
	pcbsched status --json >"$PCBKIT_TEST_OUT/$name.status"
	grep -q '"queues":\[{' "$PCBKIT_TEST_OUT/$name.status" ||
		fail "$name: status shows no per-queue counts"
	pcbsched task "$burner" --json | grep -q "\"pid\":$burner" ||
		fail "$name: pcbsched task does not know a running task"
	kill "$burner"
	kill -INT "$pid"
	wait "$pid"
	rc=$?
	cat "$log"
	expect_eq "$name: pcbsched exit status" "$rc" 0
	grep -q "$ops exited: unregistered from user space" "$log" ||
		fail "$name: no exit reason printed"
	wait_for 30 scx_state_is disabled
	wait
}

pcbsched list >"$PCBKIT_TEST_OUT/list"
while read -r name ops _; do
	[ "$name" = fifo ] && continue # selftests/smoke/fifo_attach.sh
	echo "# $name"
	check_policy "$name" "$ops"
done <"$PCBKIT_TEST_OUT/list"
