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
