# SPDX-License-Identifier: GPL-2.0
# pcbsched: textbook scheduling policies on the real kernel.
banner "pcbsched: the textbook's schedulers as sched_ext policies"
show pcbsched list

banner "MLFQ: a CPU hog sinks, a sleeper stays on top"
pcbsched mlfq --interval 1 --duration 4 &
demo_sched_pid=$!
wait_until 30 grep -qx enabled /sys/kernel/sched_ext/state
timeout 3 sh -c 'while :; do :; done' &
demo_hog=$!
sleep 1 # let the hog use up its allotments: this is what we show
show pcbsched task "$demo_hog"
show pcbsched status
wait "$demo_sched_pid"
wait

banner "side by side: every policy and EEVDF (short run)"
show pcbbench sched --probe-secs 1 --jobs 16 --no-perf
show cat /sys/kernel/sched_ext/state
