#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Visibility like procfs: a reader in a new pid namespace sees exactly the
# processes of that namespace, numbered as it numbers them (oracle: its own
# /proc); an unprivileged reader sees the hook figures ("-" otherwise) only
# of its own processes, like ptrace-gated procfs files.
# timeout: 120
. "$PCBKIT_TOP/selftests/lib.sh"
require_root
command -v unshare >/dev/null || skip "no unshare"
command -v setpriv >/dev/null || skip "no setpriv"

load_module
trap 'rmmod pcbstat 2>/dev/null' EXIT

# Inside the namespace: few rows, numbered as the namespace numbers them
# (oracle: the namespace's own /proc/<pid>/comm), none of the host's.
outside=$(($(wc -l </proc/pcbstat) - 1))
inside=$(unshare --pid --fork --mount-proc bash -c '
	sleep 30 & s=$!
	rows=$(tail -n +2 /proc/pcbstat)
	kill $s
	echo "$s $(cat /proc/1/comm)"
	echo "$rows"') || fail "unshare failed"
read -r s init_comm <<<"$(echo "$inside" | head -n 1)"
rows=$(echo "$inside" | tail -n +2)
n=$(echo "$rows" | wc -l)
echo "namespace: $n rows (host: $outside); sleep is pid $s there"
[ "$n" -lt 10 ] && [ "$n" -lt "$outside" ] ||
	fail "namespace sees $n rows, host has $outside: $rows"
expect_eq "pid 1 in the namespace" \
	"$(echo "$rows" | awk '$1 == 1 { print $NF }')" "$init_comm"
expect_eq "sleep's pid in the namespace" \
	"$(echo "$rows" | awk -v p="$s" '$1 == p { print $NF }')" sleep
expect_eq "ppid of the sleep" \
	"$(echo "$rows" | awk -v p="$s" '$1 == p { print $2 }')" 1

# Unprivileged reader: root's init hidden, its own sleep shown.
setpriv --reuid 65534 --regid 65534 --clear-groups sleep 30 &
mine=$!
wait_for 10 grep -q "^$mine " /proc/pcbstat
rows=$(setpriv --reuid 65534 --regid 65534 --clear-groups cat /proc/pcbstat)
kill $mine
col=$(echo "$rows" | head -n 1 | tr ' ' '\n' | grep -nx sw_kernel | cut -d: -f1)
init_sw=$(echo "$rows" | awk -v c="$col" '$1 == 1 { print $c }')
mine_sw=$(echo "$rows" | awk -v p="$mine" -v c="$col" '$1 == p { print $c }')
echo "as nobody: init sw_kernel '$init_sw', own sleep sw_kernel '$mine_sw'"
expect_eq "root's init seen by nobody" "$init_sw" "-"
[[ "$mine_sw" =~ ^[0-9]+$ ]] || fail "own process hidden: '$mine_sw'"
# Root sees everything.
root_sw=$(awk -v c="$col" '$1 == 1 { print $c }' /proc/pcbstat)
[[ "$root_sw" =~ ^[0-9]+$ ]] || fail "root sees init as '$root_sw'"
wait $mine 2>/dev/null
trap - EXIT
unload_module
