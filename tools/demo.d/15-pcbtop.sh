# SPDX-License-Identifier: GPL-2.0
# pcbtop: the five-state model live, and the same figures for Prometheus.
banner "pcbtop: who runs, who waits ready, who blocks"
show insmod "$PCBKIT_MODULE"
sh -c 'while :; do :; done' &
demo_top_spin=$!
sleep 600 &
demo_top_sleep=$!
wait_until 10 grep -q "^ *$demo_top_spin " /proc/pcbstat
printf '$ pcbtop -b -n 1 | head -n 14\n'
# Whole, then cut: head exiting early would kill pcbtop with SIGPIPE
# whenever the frame takes more than one write (a slow kernel).
demo_top_frame=$(pcbtop -b -n 1 -w 80)
sed -n 1,14p <<<"$demo_top_frame"

if command -v tmux >/dev/null; then
	banner "pcbtop on an 80x24 terminal (tmux capture-pane)"
	demo_tmux="tmux -f /dev/null -L pcbkit-demo"
	$demo_tmux new-session -d -x 80 -y 24 "TERM=screen pcbtop"
	wait_until 20 sh -c "$demo_tmux capture-pane -p | grep -q '#.* sh\$'"
	$demo_tmux capture-pane -p | sed 's/^/| /'
	$demo_tmux send-keys q
	$demo_tmux kill-server 2>/dev/null || :
fi

banner "pcbstat --openmetrics: for node_exporter's textfile collector"
printf '$ pcbstat --openmetrics --top 3 | grep -A4 cpu_seconds\n'
pcbstat --openmetrics --top 3 | grep -A4 'cpu_seconds'
kill "$demo_top_spin" "$demo_top_sleep"
wait "$demo_top_spin" "$demo_top_sleep" 2>/dev/null || true
show rmmod pcbstat
