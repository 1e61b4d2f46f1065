#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# /proc/pcbmq matches /proc/sysvipc/msg byte for byte: the same queue made
# by util-linux ipcmk, once on the kernel and once on the device through
# LD_PRELOAD=libpcbmq.so, each in a fresh IPC namespace, gives the same
# row but for the key (ipcmk picks it at random). An open /dev/pcbmq pins
# the module, and so does a receiver asleep in it; limits are writable at
# runtime and reject bad values.
# timeout: 120
. "$PCBKIT_TOP/selftests/lib.sh"
require_root
command -v ipcmk >/dev/null || skip "no ipcmk"
module_loaded && fail "pcbstat.ko already loaded before the test"
load_module
trap 'rmmod pcbstat 2>/dev/null' EXIT

LIB=$PCBKIT_BUILD/lib/libpcbmq.so
expect_eq "header" "$(head -n1 /proc/pcbmq)" "$(head -n1 /proc/sysvipc/msg)"

# Everything but the key and ctime columns, for a queue made in a fresh
# namespace.
row() {
	unshare -i sh -c "$1 ipcmk -Q -p 0640 >/dev/null && tail -n +2 $2" |
		sed -E 's/^ *-?[0-9]+//; s/ +[0-9]+$//'
}
kernel_row=$(row "" /proc/sysvipc/msg)
device_row=$(row "env LD_PRELOAD=$LIB" /proc/pcbmq)
[ -n "$kernel_row" ] || fail "no kernel row"
expect_eq "row after the key" "$device_row" "$kernel_row"

P=/sys/module/pcbstat/parameters
echo 100 >$P/msgmax || fail "msgmax not writable"
expect_eq "msgmax" "$(cat $P/msgmax)" 100
echo -1 >$P/msgmax 2>/dev/null && fail "msgmax accepted -1"
echo 40000 >$P/msgmni 2>/dev/null && fail "msgmni accepted 40000"
echo 8192 >$P/msgmax

exec 3<>/dev/pcbmq
rmmod pcbstat 2>/dev/null && fail "rmmod succeeded with /dev/pcbmq open"
exec 3>&-

# A receiver asleep in the device pins it too, and still gets its message.
id=$(pcbmq mk --json | sed -E 's/.*"msqid":([0-9]+).*/\1/')
pcbmq recv "$id" >"$PCBKIT_TEST_OUT/waiter.out" &
waiter=$!
wait_for 20 grep -q '^State:.*S' "/proc/$waiter/status"
rmmod pcbstat 2>/dev/null && fail "rmmod succeeded under a sleeping receiver"
pcbmq send "$id" wake || fail "send to the sleeping receiver"
wait "$waiter" || fail "receiver failed"
expect_eq "waiter got" "$(cat "$PCBKIT_TEST_OUT/waiter.out")" wake
pcbmq rm "$id"
trap - EXIT
unload_module
echo "header and row match /proc/sysvipc/msg; open device pins the module"
