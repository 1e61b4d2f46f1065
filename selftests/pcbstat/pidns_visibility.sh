#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Visibility like procfs: a reader in a new pid namespace sees exactly the
# processes of that namespace, numbered as it numbers them (oracle: its own
# /proc); an unprivileged reader sees the hook figures ("-" otherwise) only
# of its own processes, like ptrace-gated procfs files (oracle: whether it
# may read /proc/<pid>/io), and not of its own processes that are not
# dumpable.
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

# Unprivileged reader: root's init hidden, its own sleep shown, and its
# own sleep run from an execute-only copy (exec makes it non-dumpable)
# hidden. Each is checked against procfs's own ptrace gate.
nobody=(setpriv --reuid 65534 --regid 65534 --clear-groups)
# On tmpfs, since virtiofs leaves permission checks to the host, which
# would let the exec read the file.
xonly=$(mktemp -d)
mount -t tmpfs -o mode=0711 pcbkit-xonly "$xonly" || fail "no tmpfs"
trap 'umount "$xonly"; rmmod pcbstat 2>/dev/null' EXIT
install -m 0711 "$(command -v sleep)" "$xonly/sleep"
"${nobody[@]}" sleep 30 &
mine=$!
# Through sh: setpriv keeps root's capabilities until its own exec, and
# with them the execute-only file would be readable.
"${nobody[@]}" sh -c 'exec "$0" 30' "$xonly/sleep" &
closed=$!
# Until both have exec'd, they are setpriv, still or just no longer root.
execd() { [ "$(cat "/proc/$1/comm" 2>/dev/null)" = sleep ]; }
wait_for 10 execd "$mine"
wait_for 10 execd "$closed"
rows=$("${nobody[@]}" cat /proc/pcbstat)
gate() { "${nobody[@]}" cat "/proc/$1/io" >/dev/null 2>&1 && echo shown || echo -; }
gates="$(gate 1) $(gate "$mine") $(gate "$closed")"
kill $mine $closed
col=$(echo "$rows" | head -n 1 | tr ' ' '\n' | grep -nx sw_kernel | cut -d: -f1)
sw() { echo "$rows" | awk -v p="$1" -v c="$col" '$1 == p { print $c }'; }
init_sw=$(sw 1)
mine_sw=$(sw "$mine")
closed_sw=$(sw "$closed")
echo "as nobody: sw_kernel of init '$init_sw', own sleep '$mine_sw'," \
	"execute-only sleep '$closed_sw'; procfs: $gates"
expect_eq "procfs gates (init, sleep, execute-only)" "$gates" "- shown -"
expect_eq "root's init seen by nobody" "$init_sw" "-"
[[ "$mine_sw" =~ ^[0-9]+$ ]] || fail "own process hidden: '$mine_sw'"
expect_eq "non-dumpable own process seen by nobody" "$closed_sw" "-"
# Root sees everything.
root_sw=$(awk -v c="$col" '$1 == 1 { print $c }' /proc/pcbstat)
[[ "$root_sw" =~ ^[0-9]+$ ]] || fail "root sees init as '$root_sw'"
wait $mine $closed 2>/dev/null
umount "$xonly"
rmdir "$xonly"
trap - EXIT
unload_module
