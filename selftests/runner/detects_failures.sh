#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The runner itself: it must report failures, skips, timeouts and kernel
# warnings for what they are, and exit non-zero when anything failed.
# timeout: 180
. "$PCBKIT_TOP/selftests/lib.sh"
require_root

fixtures=$PCBKIT_TOP/selftests/runner/fixtures
out=$PCBKIT_TEST_OUT/inner
SELFTESTS_DIR=$fixtures PCBKIT_OUT=$out T= "$PCBKIT_TOP/selftests/run" \
	>"$PCBKIT_TEST_OUT/tap" 2>&1
rc=$?
cat "$PCBKIT_TEST_OUT/tap"

[ "$rc" != 0 ] || fail "runner exited 0 although fixtures failed"
expect_eq "summary" "$(tail -n 1 "$PCBKIT_TEST_OUT/tap")" \
	"2 passed, 3 failed, 1 skipped"
grep -q '^not ok .* cases/fails # exit status 1$' "$PCBKIT_TEST_OUT/tap" ||
	fail "a failing status was not reported"
grep -q '^not ok .* cases/hangs # timed out' "$PCBKIT_TEST_OUT/tap" ||
	fail "a timeout was not reported"
grep -q '^not ok .* cases/warns # kernel: .*WARNING: pcbkit' \
	"$PCBKIT_TEST_OUT/tap" || fail "a kernel warning was not reported"
grep -q '^ok .* cases/skips # SKIP nothing to do here' \
	"$PCBKIT_TEST_OUT/tap" || fail "a skip was not reported"
grep -q '^ok .* cases/expects_warning$' "$PCBKIT_TEST_OUT/tap" ||
	fail "a declared kernel line was not excused"
