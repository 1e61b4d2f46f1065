#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Attach/detach cycles of every policy while a CPU hog and a steady
# trickle of forks run: each cycle must attach under the policy's ops
# name, and detach with status 0 and the "unregistered from user space"
# reason. Under QEMU TCG a fork storm makes every attach (which moves each
# task into sched_ext) take many seconds, so the forks are paced and the
# default is 2 cycles per policy; PCBSCHED_CYCLES=100 (make check-full)
# runs the full count.
# timeout: 900
# needs: sched_ext
. "$PCBKIT_TOP/selftests/lib.sh"
require_root
scx_state_is disabled || fail "a scheduler is attached before the test"

CYCLES=${PCBSCHED_CYCLES:-2}
sh -c 'while :; do :; done' &
hog=$!
sh -c 'while :; do /bin/true; sleep 0.05; done' &
forker=$!
pid=
trap 'kill $hog $forker 2>/dev/null; stop_pcbsched "$pid"' EXIT
trap 'exit 1' TERM INT

pcbsched_policies >"$PCBKIT_TEST_OUT/list"
while read -r name ops _; do
	for i in $(seq "$CYCLES"); do
		log=$PCBKIT_TEST_OUT/cycle.log
		pcbsched "$name" --interval 0 >"$log" 2>&1 &
		pid=$!
		wait_for 60 scx_state_is enabled
		expect_eq "$name cycle $i: root/ops" \
			"$(cat /sys/kernel/sched_ext/root/ops)" "$ops"
		kill -INT "$pid"
		wait "$pid"
		rc=$?
		pid=
		[ "$rc" = 0 ] || { cat "$log"; fail "$name cycle $i: exit status $rc"; }
		grep -q "$ops exited: unregistered from user space" "$log" ||
			{ cat "$log"; fail "$name cycle $i: unexpected exit"; }
		wait_for 30 scx_state_is disabled
	done
	echo "$name: $CYCLES attach/detach cycles"
done <"$PCBKIT_TEST_OUT/list"
kill "$hog" "$forker"
wait
