# SPDX-License-Identifier: GPL-2.0
# The kernel pcbkit runs on.
banner "the test kernel"
show uname -r
echo "CPUs: $(nproc)"
show cat /sys/kernel/sched_ext/state
