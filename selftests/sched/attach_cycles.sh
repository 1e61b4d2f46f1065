#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Attach/detach cycles of the default policy (MLFQ) while a CPU hog and
# a steady trickle of forks run: each cycle must attach, be seen enabled,
# and detach with status 0 and the "unregistered from user space" reason.
# Under QEMU TCG a fork storm makes every attach (which moves each task
# into sched_ext) take many seconds, so the forks are paced and the
# default is 10 cycles; PCBSCHED_CYCLES=50 runs the full count.
# timeout: 400
# needs: sched_ext
. "$PCBKIT_TOP/selftests/lib.sh"
require_root
scx_state_is disabled || fail "a scheduler is attached before the test"

CYCLES=${PCBSCHED_CYCLES:-10}
sh -c 'while :; do :; done' &
hog=$!
sh -c 'while :; do /bin/true; sleep 0.05; done' &
forker=$!
trap 'kill $hog $forker 2>/dev/null' EXIT
trap 'exit 1' TERM INT
for i in $(seq "$CYCLES"); do
	log=$PCBKIT_TEST_OUT/cycle.log
	pcbsched --interval 0 >"$log" 2>&1 &
	pid=$!
	wait_for 30 scx_state_is enabled
	kill -INT "$pid"
	wait "$pid"
	rc=$?
	[ "$rc" = 0 ] || { cat "$log"; fail "cycle $i: exit status $rc"; }
	grep -q "exited: unregistered from user space" "$log" ||
		{ cat "$log"; fail "cycle $i: unexpected exit"; }
	wait_for 30 scx_state_is disabled
done
kill "$hog" "$forker"
wait
echo "$CYCLES attach/detach cycles"
