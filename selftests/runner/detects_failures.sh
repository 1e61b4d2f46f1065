#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The runner itself: it must report failures, skips, timeouts and kernel
# warnings for what they are, unload a module a test left held, check the
# kernel log before the first test and after the last, blame a late report
# on the test it belongs to, and exit non-zero when anything failed.
# timeout: 400
. "$PCBKIT_TOP/selftests/lib.sh"
require_root

fixtures=$PCBKIT_TOP/selftests/runner/fixtures
out=$PCBKIT_TEST_OUT/inner
tap=$PCBKIT_TEST_OUT/tap
# What the inner runner finds in the log before its first test is its boot.
echo "WARNING: pcbkit runner fixture, at boot" >/dev/kmsg
SELFTESTS_DIR=$fixtures PCBKIT_OUT=$out T= SELFTEST_KMEMLEAK=0 \
	"$PCBKIT_TOP/selftests/run" >"$tap" 2>&1
rc=$?
cat "$tap"

has() {
	grep -qE "$1" "$tap" || fail "$2"
}

[ "$rc" != 0 ] || fail "runner exited 0 although fixtures failed"
if [ -e /sys/kernel/sched_ext/state ]; then
	expect_eq "summary" "$(tail -n 1 "$tap")" "7 passed, 6 failed, 1 skipped"
	has '^ok .* cases/needs_sched_ext$' "a test needing sched_ext did not run"
else
	expect_eq "summary" "$(tail -n 1 "$tap")" "6 passed, 6 failed, 2 skipped"
	has '^ok .* cases/needs_sched_ext # SKIP kernel has no sched_ext$' \
		"a test needing sched_ext was not skipped"
fi
has '^1\.\.14$' "the plan does not count the runner's two checks"
has '^not ok 1 kernel/boot # kernel: WARNING: pcbkit runner fixture, at boot$' \
	"a warning before the first test was not reported"
has '^not ok .* cases/fails # exit status 1$' "a failing status was not reported"
has '^not ok .* cases/hangs # timed out' "a timeout was not reported"
has '^not ok .* cases/warns # kernel: .*WARNING: pcbkit' \
	"a kernel warning was not reported"
has '^ok .* cases/skips # SKIP nothing to do here' "a skip was not reported"
has '^ok .* cases/expects_warning$' "a declared kernel line was not excused"
has '^ok .* cases/hung_a_straggler$' "the straggler's own test failed"
has '^not ok .* cases/leaves_module # pcbstat.ko left loaded$' \
	"a module left loaded was not reported"
has '^ok .* cases/module_unloaded$' \
	"a module held by a straggler stayed loaded into the next test"
has '^ok .* cases/hung_b_reports$' \
	"a hung task left by an earlier test was blamed on the running one"
has '^not ok 14 kernel/after-suite # late kernel report of cases/hung_a_straggler: INFO: task sleep:[0-9]+ blocked' \
	"a late hung-task report was not blamed on the test that left the task"
has '^#   kernel: WARNING: pcbkit runner fixture, at exit$' \
	"a warning after the last test was not reported"
