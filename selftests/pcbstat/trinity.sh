#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# trinity (Debian's) fuzzes ioctl(2) with /dev/pcbstat as its only victim
# file (every other fd provider off), as nobody. The runner fails the test
# on any splat in dmesg; afterwards the device must still answer: the
# tool's ioctl-built row of pid 1 names /proc/1/comm. Under TCG trinity is
# slow: it gets 120 s, and stopping at that limit is not a failure.
# timeout: 240
. "$PCBKIT_TOP/selftests/lib.sh"
require_root
module_loaded && fail "pcbstat.ko already loaded before the test"
load_module
trap 'rmmod pcbstat 2>/dev/null' EXIT

fuzz_ioctl /dev/pcbstat

out=$(pcbstat -p 1) || fail "device broken after trinity"
expect_eq "comm of pid 1 after trinity" \
	"$(echo "$out" | tail -n 1 | awk '{ print $NF }')" "$(cat /proc/1/comm)"
trap - EXIT
unload_module
echo "device still works"
