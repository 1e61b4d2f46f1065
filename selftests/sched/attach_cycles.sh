#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Attach/detach cycles of the default policy (MLFQ) while CPU hogs and
# forks run: each cycle must attach, be seen enabled, and detach with
# status 0 and the "unregistered from user space" reason. 50 cycles take
# over 6 minutes under QEMU TCG on a loaded host, so the default is 20;
# PCBSCHED_CYCLES=50 runs the full count.
# timeout: 400
. "$PCBKIT_TOP/selftests/lib.sh"
require_root
scx_state_is disabled || fail "a scheduler is attached before the test"

CYCLES=${PCBSCHED_CYCLES:-20}
sh -c 'while :; do :; done' &
hog=$!
sh -c 'while :; do /bin/true; done' &
forker=$!
trap 'kill $hog $forker 2>/dev/null' EXIT
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
