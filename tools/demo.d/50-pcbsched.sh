# SPDX-License-Identifier: GPL-2.0
# pcbsched: a textbook scheduling policy on the real kernel.
banner "pcbsched: the FIFO policy"
show pcbsched list
pcbsched fifo --interval 1 --duration 3 &
demo_sched_pid=$!
wait_until 30 grep -qx enabled /sys/kernel/sched_ext/state
show pcbsched status
for demo_i in 1 2; do timeout 2 sh -c 'while :; do :; done' & done
wait "$demo_sched_pid"
wait
show cat /sys/kernel/sched_ext/state
