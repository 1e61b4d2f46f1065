#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# 'make demo' is what a new user runs first, so the suite runs it too: every
# story must finish with status 0 and leave no module or scheduler behind
# (the runner checks the latter), and its last banner must be printed.
# timeout: 300
# needs: sched_ext
. "$PCBKIT_TOP/selftests/lib.sh"
require_root
module_loaded && fail "pcbstat.ko already loaded before the demo"

# To a file, not through a pipe: a story's background helper that outlives
# it would hold a pipe open. ps afterwards names any such straggler.
out=$PCBKIT_TEST_OUT/demo.out
"$PCBKIT_TOP/tools/demo" >"$out" 2>&1
status=$?
tail -n 30 "$out"
[ "$status" = 0 ] || fail "tools/demo exited with status $status"
tail -n 1 "$out" | grep -qx '== done' ||
	fail "the demo did not reach its end: $(tail -n 1 "$out")"
ps -eo pid,ppid,stat,comm | grep -E 'pcbsched|pcbmq|pcbbench|yes|sleep' || :
echo "demo: $(grep -c '^== ' "$out") banners, all done"
