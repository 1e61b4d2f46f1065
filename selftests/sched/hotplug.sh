#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# A CPU taken offline and back while each policy is attached, with
# pcbstat.ko loaded (its per-CPU state sees the same hotplug): the kernel
# ejects the scheduler asking for a restart, pcbsched says so and loads
# the policy again, each time; the policy ends attached under its ops
# name and detaches cleanly, and /proc/pcbstat_cpu still reads.
# timeout: 900
# needs: sched_ext
. "$PCBKIT_TOP/selftests/lib.sh"
require_root
cpu=/sys/devices/system/cpu/cpu1/online
[ -w "$cpu" ] || skip "CPU 1 cannot be taken offline here"
scx_state_is disabled || fail "a scheduler is attached before the test"
module_loaded && fail "pcbstat.ko already loaded before the test"
# The kernel logs why it ejected the scheduler; that is the point here.
echo 'sched_ext: .*(hotplug|going (on|off)line|restart)' \
	>"$PCBKIT_TEST_OUT/expected-dmesg"

hog=
pid=
# Whatever happens, the next test gets both CPUs back, no policy and no
# module.
trap 'echo 1 >"$cpu" 2>/dev/null; [ -n "$hog" ] && kill $hog 2>/dev/null;
	stop_pcbsched "$pid"; rmmod pcbstat 2>/dev/null' EXIT
trap 'exit 1' TERM INT
load_module

restarted() { [ "$(grep -c 'asked for a restart' "$1")" -ge "$2" ]; }
# pcbstat's per-CPU rows follow the online CPUs (the kernel's count).
pcbstat_cpus_match() {
	expect_eq "$1: CPUs in /proc/pcbstat_cpu" \
		"$(grep -cE '^[0-9]+ ' /proc/pcbstat_cpu)" \
		"$(getconf _NPROCESSORS_ONLN)"
}

pcbsched_policies >"$PCBKIT_TEST_OUT/list"
while read -r name ops _; do
	log=$PCBKIT_TEST_OUT/$name.log
	pcbsched "$name" --interval 0 >"$log" 2>&1 &
	pid=$!
	wait_for 60 scx_state_is enabled
	timeout 120 sh -c 'while :; do :; done' &
	hog=$!

	echo 0 >"$cpu" || fail "$name: offlining CPU 1"
	wait_for 30 restarted "$log" 1
	wait_for 60 scx_state_is enabled
	pcbstat_cpus_match "$name, CPU 1 offline"
	echo 1 >"$cpu" || fail "$name: onlining CPU 1"
	wait_for 30 restarted "$log" 2
	wait_for 60 scx_state_is enabled
	expect_eq "$name: root/ops" "$(cat /sys/kernel/sched_ext/root/ops)" "$ops"
	pcbstat_cpus_match "$name, CPU 1 online"

	kill "$hog"
	wait "$hog" 2>/dev/null
	hog=
	kill -INT "$pid"
	wait "$pid"
	rc=$?
	pid=
	[ "$rc" = 0 ] || { cat "$log"; fail "$name: pcbsched exit status $rc"; }
	grep -q "$ops exited: unregistered from user space" "$log" ||
		{ cat "$log"; fail "$name: unexpected exit"; }
	wait_for 30 scx_state_is disabled
	echo "$name: restarted after CPU 1 went offline and online"
done <"$PCBKIT_TEST_OUT/list"
unload_module
