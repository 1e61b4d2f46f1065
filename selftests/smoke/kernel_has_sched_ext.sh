#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The test kernel is one pcbkit can run on: sched_ext, BTF, modules.
# timeout: 30
# needs: sched_ext
. "$PCBKIT_TOP/selftests/lib.sh"

# Debian's kernels install their configuration in /boot; the test kernels
# tools/vm builds carry it in /proc/config.gz.
config=$PCBKIT_TEST_OUT/config
if [ -r "/boot/config-$(uname -r)" ]; then
	cp "/boot/config-$(uname -r)" "$config"
elif [ -r /proc/config.gz ]; then
	zcat /proc/config.gz >"$config"
else
	fail "neither /boot/config-$(uname -r) nor /proc/config.gz to check"
fi
for opt in CONFIG_SCHED_CLASS_EXT CONFIG_DEBUG_INFO_BTF CONFIG_MODULES \
	CONFIG_BPF_SYSCALL; do
	grep -qx "$opt=y" "$config" || fail "$opt is not =y in the kernel's config"
done
[ -r /sys/kernel/sched_ext/state ] || fail "no /sys/kernel/sched_ext/state"
expect_eq "sched_ext state before any policy" "$(scx_state)" disabled
[ -r /sys/kernel/btf/vmlinux ] || fail "no /sys/kernel/btf/vmlinux"
echo "kernel $(uname -r): sched_ext $(scx_state), BTF present"
