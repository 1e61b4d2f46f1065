# SPDX-License-Identifier: GPL-2.0
# Helpers for the shell selftests; source it, do not run it.

KSFT_SKIP=4

fail() {
	echo "FAIL: $*" >&2
	exit 1
}

skip() {
	echo "$*"
	exit $KSFT_SKIP
}

# wait_for SECONDS CMD...: poll CMD every 50 ms until it succeeds; fail the
# test if it never does. Every wait in a test is bounded by this.
wait_for() {
	local limit=$1 deadline

	shift
	deadline=$(($(date +%s%N) + limit * 1000000000))
	until "$@"; do
		[ "$(date +%s%N)" -lt "$deadline" ] ||
			fail "gave up after ${limit}s waiting for: $*"
		sleep 0.05
	done
}

require_root() {
	[ "$(id -u)" = 0 ] || skip "needs root"
}

scx_state() {
	cat /sys/kernel/sched_ext/state
}

scx_state_is() {
	[ "$(scx_state)" = "$1" ]
}

module_loaded() {
	grep -q '^pcbstat ' /proc/modules
}

load_module() {
	insmod "$PCBKIT_MODULE" "$@" || fail "insmod $PCBKIT_MODULE $*"
}

unload_module() {
	rmmod pcbstat || fail "rmmod pcbstat"
}

# expect_eq WHAT GOT WANT
expect_eq() {
	[ "$2" = "$3" ] || fail "$1: got '$2', want '$3'"
}

# fuzz_ioctl DEVICE: trinity (Debian's) fuzzes ioctl(2) as nobody with
# DEVICE as its only victim file (every other fd provider off). Under TCG
# trinity is slow: it gets 120 s, and stopping at that limit is not a
# failure; the caller checks that the device still works afterwards.
fuzz_ioctl() {
	local dev=$1 dir status

	command -v trinity >/dev/null || skip "trinity not installed"
	dir=$(mktemp -d)
	chmod 777 "$dir"
	(cd "$dir" && timeout 120 trinity -q -l off -X -C 2 -N 5000 -s 1 \
		--disable-fds=sockets,pipes,perf,epoll,eventfd,pseudo,timerfd,memfd,drm \
		-c ioctl -V "$dev") >"$dir/out" 2>&1
	status=$?
	tail -n 5 "$dir/out"
	grep -q "Enabled 1/" "$dir/out" || echo "note: trinity used other fds too"
	# trinity may leave files it made immutable; they live in /tmp only.
	rm -rf "$dir" 2>/dev/null
	echo "trinity on $dev ran (exit $status)"
}

# pcbsched_policies: 'pcbsched list' (name, ops, summary per line), only
# the policies named in PCBSCHED_POLICIES (comma-separated) if it is set:
# to rerun the per-policy sched tests on one policy.
pcbsched_policies() {
	local want=",${PCBSCHED_POLICIES:-},"

	pcbsched list | while read -r name rest; do
		[ "$want" = ",," ] || [[ $want == *",$name,"* ]] || continue
		echo "$name $rest"
	done
}

# stop_pcbsched PID: what a failing test leaves running must not outlive
# it: SIGINT detaches the policy; wait until the kernel agrees.
stop_pcbsched() {
	[ -n "${1:-}" ] || return 0
	kill -INT "$1" 2>/dev/null
	wait "$1" 2>/dev/null
	local i
	for i in $(seq 600); do
		scx_state_is disabled && return 0
		sleep 0.05
	done
}
