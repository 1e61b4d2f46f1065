#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# pcbtop on a terminal (tmux, 80x24): keys filter, sort, reverse, open the
# detail view, toggle threads and quit; the rows agree with /proc/pcbstat;
# a resize to 160 columns brings the wide columns; q and SIGTERM both give
# the terminal back in canonical mode with echo.
# timeout: 600
. "$PCBKIT_TOP/selftests/lib.sh"
. "$PCBKIT_TOP/selftests/pcbtop/workload"
require_root
command -v tmux >/dev/null || skip "no tmux"
command -v taskset >/dev/null || skip "no taskset"

load_module
dir=$(mktemp -d)
conf=$dir/tmux.conf
pane=$dir/pane
cleanup() {
	cp "$pane" "$PCBKIT_TEST_OUT/" 2>/dev/null
	# A server that does not answer is killed: only this test's own
	# server and clients name its private config file.
	timeout -k 5 30 tmux -f "$conf" kill-server 2>/dev/null ||
		pkill -KILL -f -- "$conf"
	stop_workload
	rm -rf "$dir"
	rmmod pcbstat 2>/dev/null
}
trap cleanup EXIT
# A terminal type every ncurses knows, and no user configuration.
echo 'set -g default-terminal screen' >"$conf"
start_workload "$dir"
echo "workload: spin $spin, sleep $sleeper, hogs $hog1 $hog2, starved $starved"

# Every tmux call is bounded: a client or a server that blocks fails the
# test naming the call, within the test's timeout. Under TCG on a loaded
# host one call took up to 15 s (exec from virtiofs, CPU 1 shared with the
# hogs), hence the margin, and the waits for a key's effect allow for a
# few such calls.
tmux_limit=60
tm() {
	local rc

	timeout -k 5 "$tmux_limit" tmux -f "$conf" "$@"
	rc=$?
	case $rc in
	124 | 137) fail "tmux $* did not return within ${tmux_limit}s" ;;
	esac
	return $rc
}

capture() {
	tm capture-pane -p -t top >"$pane"
}

# shown REGEX: the pane shows a line matching REGEX.
shown() {
	capture
	grep -qE "$1" "$pane"
}

# After pcbtop ends the pane shows its status and the terminal modes.
tm new-session -d -s top -x 80 -y 24 \
	"pcbtop -d 1; echo pcbtop-exit=\$?; stty -a; sleep 1000"
wait_for 30 shown '^ *PID '

tm send-keys -t top / p t _ Enter
wait_for 30 shown "filter 'pt_'"
# Rates need two samples: wait for the spinner's bar.
oracle_mark a $spin $sleeper $starved
wait_for 30 shown "^ *$spin .*#.* pt_spin"
# At 80 columns COMMAND keeps 8 characters: pt_starved shows as pt_starv.
wait_for 30 shown "^ *$starved .*[0-9] .*pt_starv"
capture
oracle_mark b $spin $sleeper $starved
cat "$pane"
rows=$(awk '$1 == "PID" { on = 1; next } on && $1 ~ /^[0-9]+$/ { print $NF }' "$pane")
echo "$rows" | grep -v '^pt_' && fail "the filter lets other rows through"
check_split "$pane" a b

echo "keys: sort, reverse, detail, threads, resize, quit"
tm send-keys -t top '>'
wait_for 30 shown '^ *PID .*RUN%v'
tm send-keys -t top r
wait_for 30 shown '^ *PID .*RUN%\^'
tm send-keys -t top '<' r
wait_for 30 shown '^ *PID .*CPU%v'
capture
awk '$1 == "PID" { on = 1; next } on && $4 ~ /^[0-9.]+$/ { print $4 }' \
	"$pane" >"$pane.cpu"
sort -rn -c "$pane.cpu" || fail "CPU% is not largest first"

tm send-keys -t top p
# capture-pane drops trailing blanks: the empty prompt ends at the colon.
wait_for 30 shown '^pid:'
tm send-keys -t top "$spin" Enter
wait_for 30 shown "^pid $spin \\(pt_spin\\)"
shown 'running_ns' || fail "the detail view lacks running_ns"
# The wait histogram fits on 80x24, right under the title.
shown '^  wait_hist +[0-9]+ waits, .*p99 ' ||
	fail "the detail view at 80x24 lacks the wait histogram"
shown '^    <[0-9.]+[num]?s [0-9]+' ||
	fail "the detail view at 80x24 lacks the histogram's buckets"
tm send-keys -t top Escape
wait_for 30 shown '^ *PID '

tm send-keys -t top H
wait_for 30 shown '^ *TID .*COMMAND'
shown 'threads' || fail "the header does not say threads"
tm send-keys -t top H
wait_for 30 shown '^ *PID '

tm resize-window -t top -x 160 -y 40
wait_for 30 shown '^ *PID .*WAIT-s .*RSS-MB'

tm send-keys -t top q
wait_for 30 shown '^pcbtop-exit=0'
shown '[^-]icanon' && shown '[^-]echo ' ||
	fail "after q the terminal is not restored: $(grep -o '.icanon\|.echo ' "$pane")"
tm kill-session -t top

# SIGTERM: the terminal is restored as well, and pcbtop dies of it.
tm new-session -d -s top -x 80 -y 24 \
	"pcbtop -d 1; echo pcbtop-exit=\$?; stty -a; sleep 1000"
wait_for 30 shown '^ *PID '
shell=$(tm display-message -p -t top '#{pane_pid}') ||
	fail "tmux display-message failed"
top=$(pgrep -P "$shell" pcbtop) || fail "no pcbtop under the pane's shell"
kill -TERM "$top"
wait_for 30 shown '^pcbtop-exit=143'
shown '[^-]icanon' && shown '[^-]echo ' ||
	fail "after SIGTERM the terminal is not restored"
echo "pcbtop on tmux: filter, sort, detail, threads, resize, quit ok"
