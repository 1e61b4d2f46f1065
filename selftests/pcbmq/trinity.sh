#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# trinity (Debian's) fuzzes ioctl(2) with /dev/pcbmq as its only victim
# file (every other fd provider off), as nobody. The runner fails the test
# on any splat in dmesg; afterwards the device must still create, use and
# remove a queue. Under TCG trinity is slow: it gets 120 s, and stopping at
# that limit is not a failure.
# timeout: 240
. "$PCBKIT_TOP/selftests/lib.sh"
require_root
module_loaded && fail "pcbstat.ko already loaded before the test"
load_module
trap 'rmmod pcbstat 2>/dev/null' EXIT

fuzz_ioctl /dev/pcbmq

id=$(pcbmq mk -p 600 --json | sed -E 's/.*"msqid":([0-9]+).*/\1/')
pcbmq send "$id" alive || fail "device broken after trinity"
expect_eq "after trinity" "$(pcbmq recv "$id")" alive
pcbmq rm "$id"
# trinity may have made queues of its own: unloading frees them.
trap - EXIT
unload_module
echo "device still works"
