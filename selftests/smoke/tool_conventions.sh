#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The conventions every tool shares through tools/lib: a number with
# trailing junk or out of its range is a usage error (exit 2) whose
# message names the option, and every --json is valid JSON in valid UTF-8
# even when a comm or a message holds bytes that are not UTF-8, control
# bytes or a NUL (each such byte comes back as the code point of its
# value).
# timeout: 120
. "$PCBKIT_TOP/selftests/lib.sh"
require_root
command -v jq >/dev/null || skip "no jq"

# bad_number NAME CMD...: CMD exits 2 and says what NAME got wrong. A
# parser that took the value would run the command: 20 s end that.
bad_number() {
	local name=$1 err rc

	shift
	err=$(timeout 20 "$@" 2>&1 >/dev/null)
	rc=$?
	expect_eq "exit status of '$*'" "$rc" 2
	case "$err" in
	*"$name"*) ;;
	*) fail "'$*' does not name $name: $err" ;;
	esac
}

bad_number --seed pcbbench sched --seed x
bad_number --seed pcbbench sched --seed 7x
bad_number --seed pcbbench sched --seed 70000
bad_number --jobs pcbbench sched --model --jobs 1e3
bad_number --load pcbbench sched --model --load nan
bad_number --rounds pcbbench stat --rounds x
bad_number LOOPS pcbbench stat 10k
bad_number --batch pcbbench mq --batch 64x
bad_number --pid pcbstat -p 1x
bad_number --interval pcbstat --interval ''
bad_number --type pcbmq recv 1 -t 2x
bad_number ID pcbmq stat 0x
bad_number --interval pcbsched --interval 1s
bad_number --levels pcbsched mlfq --levels 99

# json_ok NAME CMD...: CMD succeeds and prints one JSON document in valid
# UTF-8, kept as NAME. (Not a pipe into a function: a fail in the last
# stage of a pipeline only leaves that stage's subshell.)
json_ok() {
	local f=$PCBKIT_TEST_OUT/$1.json

	shift
	"$@" >"$f" || fail "'$*' exited $?"
	iconv -f UTF-8 -t UTF-8 "$f" >/dev/null 2>&1 ||
		fail "'$*' is not UTF-8: $(od -c "$f" | head -n 5)"
	jq -e . "$f" >/dev/null || fail "'$*' is not JSON: $(head -c 300 "$f")"
}

load_module
# Not in $PCBKIT_TEST_OUT: that may be a share from the host, where a
# FIFO does not work.
fifo=$(mktemp -u) && mkfifo "$fifo" || fail "mkfifo"
# A task may only name itself; a comm is up to 15 bytes, any but NUL. The
# subshell waits in the builtin read, so the renamed task stays alive.
(
	printf 'b\377\376\001\200"x\303\251' >/proc/self/comm || exit 1
	read -r -t 600 _ <>"$fifo"
) &
sleeper=$!
trap 'kill $sleeper 2>/dev/null; rm -f "$fifo"; rmmod pcbstat 2>/dev/null' EXIT
wait_for 10 grep -qa x "/proc/$sleeper/comm"

json_ok pcbstat pcbstat --json
json_ok pcbstat-p pcbstat -p "$sleeper" --json
jq -e --argjson pid "$sleeper" \
	'.[] | select(.pid == $pid) | .comm == "b\u00ff\u00fe\u0001\u0080\"xé"' \
	"$PCBKIT_TEST_OUT/pcbstat-p.json" >/dev/null ||
	fail "comm in --json: $(cat "$PCBKIT_TEST_OUT/pcbstat-p.json")"
json_ok pcbstat-threads pcbstat --threads --json

id=$(pcbmq mk -p 600 --json | jq -r .msqid) || fail "pcbmq mk --json"
printf 'a\000b\377' | pcbmq send "$id" -t 5 - || fail "pcbmq send"
json_ok pcbmq-ls pcbmq ls --json
json_ok pcbmq-stat pcbmq stat "$id" --json
json_ok pcbmq-recv pcbmq recv "$id" --json
jq -e '.text == "a\u0000b\u00ff" and .size == 4 and .mtype == 5' \
	"$PCBKIT_TEST_OUT/pcbmq-recv.json" >/dev/null ||
	fail "message in --json: $(cat "$PCBKIT_TEST_OUT/pcbmq-recv.json")"
pcbmq rm "$id" || fail "pcbmq rm"

if [ -e /sys/kernel/sched_ext ]; then
	json_ok pcbsched-status pcbsched status --json
else
	# No sched_ext (6.12): an error naming the cause, not an empty JSON.
	err=$(pcbsched status --json 2>&1 >/dev/null)
	expect_eq "exit status of pcbsched status without sched_ext" $? 1
	case "$err" in
	*"no sched_ext"*) ;;
	*) fail "pcbsched status without sched_ext says: $err" ;;
	esac
fi

echo >"$fifo"
wait $sleeper
rm -f "$fifo"
trap - EXIT
unload_module
echo "bad numbers exit 2 naming the option; --json valid with non-UTF-8 bytes"
