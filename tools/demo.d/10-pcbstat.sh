# SPDX-License-Identifier: GPL-2.0
# pcbstat.ko: the process control block, made visible.
banner "pcbstat.ko: /proc/pcbstat"
show insmod "$PCBKIT_MODULE"
show head -n 1 /proc/pcbstat

banner "pcbstat: two threads ping-pong (sw_thread) vs two processes (sw_process)"
# The selftest loads and unloads the module itself; reload it after.
rmmod pcbstat
show "$PCBKIT_TOP/build/selftests/pcbstat/switch_classes"
show insmod "$PCBKIT_MODULE"

banner "pcbstat: the five-state model of a sleeper and a spinner"
# Both live until killed: a wall-clock lifetime would let a loaded host end
# them before they are shown. The spinner is shown once it has run 1 s.
sleep 600 &
demo_sleeper=$!
sh -c 'while :; do :; done' &
demo_spinner=$!
wait_until 60 awk -v pid="$demo_spinner" \
	'$1 == pid && $10 >= 1e9 { found = 1 } END { exit !found }' /proc/pcbstat
show pcbstat -p "$demo_sleeper" -o pid,state,dispatches,blocks,wakeups,blocked_ns,response_ns,comm
show pcbstat -p "$demo_spinner" -o pid,state,dispatches,preempts,ready_ns,running_ns,response_ns,comm
kill "$demo_spinner" "$demo_sleeper"
wait "$demo_spinner" "$demo_sleeper" 2>/dev/null || true

banner "pcbstat: the busiest processes, and what exited"
show pcbstat -s run_ns -r -o pid,state,run_ns,wait_ns,nvcsw,nivcsw,sw_kernel,comm
show pcbstat --exited -o pid,seq,run_ns,turnaround_ns,response_ns,comm
show cat /proc/pcbstat_cpu
show pcbstat -p 1 --interval 1 --count 2 -o pid,nvcsw,sw_kernel,running_ns,blocked_ns,comm
show rmmod pcbstat
