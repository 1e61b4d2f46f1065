# SPDX-License-Identifier: GPL-2.0
# pcbsched: textbook scheduling policies on the real kernel.
banner "pcbsched: the textbook's schedulers as sched_ext policies"
show pcbsched list

banner "MLFQ: a CPU hog sinks to the bottom level"
pcbsched mlfq --interval 1 &
demo_sched_pid=$!
wait_until 30 grep -qx enabled /sys/kernel/sched_ext/state
sh -c 'while :; do :; done' &
demo_hog=$!
wait_until 20 sh -c "pcbsched task $demo_hog --json | grep -q '\"level\":3'"
show pcbsched task "$demo_hog"
show pcbsched status
kill "$demo_hog"
# detached by SIGINT like Ctrl-C, not after a fixed time that a slow guest
# may not give the hog to sink
kill -INT "$demo_sched_pid"
wait "$demo_sched_pid"
wait

banner "side by side: every policy and EEVDF (short run)"
show pcbbench sched --policies eevdf,mlfq,hrrn,sjf,fcfs --probe-secs 1 \
	--jobs 100 --rounds 1 --no-perf
show cat /sys/kernel/sched_ext/state
