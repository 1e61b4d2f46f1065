#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The pcbmq CLI against its oracles: what it sends comes back by type,
# its stat agrees with /proc/pcbmq, an empty non-blocking receive exits 3,
# and unmodified util-linux ipcmk/ipcrm run on the device via LD_PRELOAD.
# timeout: 120
. "$PCBKIT_TOP/selftests/lib.sh"
require_root
module_loaded && fail "pcbstat.ko already loaded before the test"
load_module
trap 'rmmod pcbstat 2>/dev/null' EXIT
LIB=$PCBKIT_BUILD/lib/libpcbmq.so

id=$(pcbmq mk -p 600 --json | sed -E 's/.*"msqid":([0-9]+).*/\1/')
[ -n "$id" ] || fail "mk printed no id"
pcbmq send "$id" -t 3 three || fail "send type 3"
pcbmq send "$id" -t 1 one || fail "send type 1"
echo -n "from stdin" | pcbmq send "$id" -t 2 - || fail "send stdin"
expect_eq "recv -t 2" "$(pcbmq recv "$id" -t 2)" "from stdin"
expect_eq "recv -t -5 (lowest type)" "$(pcbmq recv "$id" -t -5)" one
stat=$(pcbmq stat "$id" --json)
case "$stat" in *'"qnum":1,'*'"cbytes":5'* | *'"cbytes":5,'*'"qnum":1,'*) ;;
*) fail "stat --json: $stat" ;; esac
row=$(awk -v id="$id" '$2 == id { print $4, $5 }' /proc/pcbmq)
expect_eq "/proc/pcbmq cbytes qnum" "$row" "5 1"
pcbmq ls | grep -qE "^0x00000000 +$id +root +600 +5 +1" ||
	fail "ls: $(pcbmq ls)"
expect_eq "recv --json" "$(pcbmq recv "$id" --json)" \
	'{"mtype":3,"size":5,"text":"three"}'
pcbmq recv "$id" -n 2>/dev/null
expect_eq "empty -n exit" $? 3
pcbmq recv "$id" -T 50 2>/dev/null
expect_eq "timeout exit" $? 3
pcbmq rm "$id" || fail "rm"
pcbmq rm "$id" 2>/dev/null && fail "rm twice succeeded"
pcbmq bogus 2>/dev/null
expect_eq "unknown command exit" $? 2

# Unmodified SysV programs on the device.
out=$(LD_PRELOAD=$LIB ipcmk -Q) || fail "ipcmk under LD_PRELOAD"
pid=${out##* }
grep -qE "^ *-?[0-9]+ +$pid " /proc/pcbmq || fail "ipcmk's queue not on the device"
[ -z "$(tail -n +2 /proc/sysvipc/msg)" ] || fail "ipcmk reached the kernel"
LD_PRELOAD=$LIB ipcrm -q "$pid" || fail "ipcrm under LD_PRELOAD"
[ -z "$(tail -n +2 /proc/pcbmq)" ] || fail "queue left after ipcrm"

trap - EXIT
unload_module
echo "CLI round trips, stat matches /proc/pcbmq, ipcmk/ipcrm run on the device"
