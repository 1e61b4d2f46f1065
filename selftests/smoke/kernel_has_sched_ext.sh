#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The test kernel is one pcbkit can run on: sched_ext, BTF, modules.
# timeout: 30
. "$PCBKIT_TOP/selftests/lib.sh"

config=/boot/config-$(uname -r)
[ -r "$config" ] || fail "no $config to check the kernel's configuration"
for opt in CONFIG_SCHED_CLASS_EXT CONFIG_DEBUG_INFO_BTF CONFIG_MODULES \
	CONFIG_BPF_SYSCALL; do
	grep -qx "$opt=y" "$config" || fail "$opt is not =y in $config"
done
[ -r /sys/kernel/sched_ext/state ] || fail "no /sys/kernel/sched_ext/state"
expect_eq "sched_ext state before any policy" "$(scx_state)" disabled
[ -r /sys/kernel/btf/vmlinux ] || fail "no /sys/kernel/btf/vmlinux"
echo "kernel $(uname -r): sched_ext $(scx_state), BTF present"
