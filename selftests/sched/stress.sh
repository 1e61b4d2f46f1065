#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The sched_ext CI's gate, for every policy: while the policy runs,
#   stress-ng -t 31 --aggressive -M -c N -f N --affinity 1 --affinity-pin
# (CPU hogs, a fork storm, a task hopping between CPUs); the policy must
# still be attached PCBSCHED_STRESS_WINDOW seconds after it attached (45
# in the CI), and pcbsched must exit 0 on SIGINT with the "unregistered
# from user space" reason. The runner also fails on any sched_ext error
# or stall in the kernel log.
#
# make check-full runs the CI's 31 s of stress in a 45 s window. Under
# QEMU TCG that is 6 minutes for the 8 policies, so make check runs 15 s
# in a 20 s window: errors (a bad dispatch, a re-enqueue limit) show
# within seconds, but the kernel's watchdog only ejects a policy whose
# task waited 30 s, which only the full window can see.
# timeout: 900
# needs: sched_ext
. "$PCBKIT_TOP/selftests/lib.sh"
require_root
command -v stress-ng >/dev/null || skip "stress-ng not installed"
scx_state_is disabled || fail "a scheduler is attached before the test"

SECS=${PCBSCHED_STRESS_SECS:-15}
WINDOW=${PCBSCHED_STRESS_WINDOW:-20}
[ "$WINDOW" -gt "$SECS" ] || fail "window ${WINDOW}s must outlast ${SECS}s of stress"
n=$(nproc)
stress=
pid=
trap '[ -n "$stress" ] && kill $stress 2>/dev/null; stop_pcbsched "$pid"' EXIT
trap 'exit 1' TERM INT

# attached_for SECONDS LOG: the policy stays attached that long; polls
# twice a second so that an ejection is reported when it happens.
attached_for() {
	local deadline=$(($(date +%s) + $1))

	while [ "$(date +%s)" -lt "$deadline" ]; do
		scx_state_is enabled || { cat "$2"; return 1; }
		sleep 0.5
	done
}

pcbsched_policies >"$PCBKIT_TEST_OUT/list"
while read -r name ops _; do
	log=$PCBKIT_TEST_OUT/$name.log
	pcbsched "$name" --interval 0 >"$log" 2>&1 &
	pid=$!
	wait_for 60 scx_state_is enabled
	start=$(date +%s)
	timeout $((WINDOW + 60)) stress-ng -t "$SECS" --aggressive -M \
		-c "$n" -f "$n" --affinity 1 --affinity-pin \
		--temp-path "$PCBKIT_TEST_OUT" \
		>"$PCBKIT_TEST_OUT/$name.stress" 2>&1 &
	stress=$!
	attached_for "$WINDOW" "$log" ||
		fail "$name: ejected $(($(date +%s) - start))s into the stress"
	expect_eq "$name: root/ops" "$(cat /sys/kernel/sched_ext/root/ops)" "$ops"
	wait "$stress"
	src=$?
	stress=
	[ "$src" = 0 ] || { cat "$PCBKIT_TEST_OUT/$name.stress"; \
		fail "$name: stress-ng exited with status $src"; }
	kill -INT "$pid"
	wait "$pid"
	rc=$?
	pid=
	grep -q "$ops exited: unregistered from user space" "$log" ||
		{ cat "$log"; fail "$name: unexpected exit"; }
	expect_eq "$name: pcbsched exit status" "$rc" 0
	wait_for 30 scx_state_is disabled
	echo "$name: attached for ${WINDOW}s, ${SECS}s of stress-ng" \
		"--aggressive -c $n -f $n --affinity 1 --affinity-pin"
done <"$PCBKIT_TEST_OUT/list"
