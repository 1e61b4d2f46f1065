# SPDX-License-Identifier: GPL-2.0
# /dev/pcbmq: SysV message queues as a device, two processes talking.
banner "pcbmq: a SysV message queue you can see into"
show insmod "$PCBKIT_MODULE"
id=$(pcbmq mk -p 600 --json | sed -E 's/.*"msqid":([0-9]+).*/\1/')
show pcbmq ls
echo "# a receiver waits for type 2 only; it sleeps (state S) until one comes"
pcbmq recv "$id" -t 2 --json >"${TMPDIR:-/tmp}/pcbmq-demo.out" &
receiver=$!
wait_until 10 grep -q '^State:.*S' "/proc/$receiver/status"
grep '^State' "/proc/$receiver/status"
show pcbmq send "$id" -t 1 "type 1 waits in the queue"
show pcbmq send "$id" -t 2 "type 2 goes straight to the receiver"
wait "$receiver"
echo "receiver got: $(cat "${TMPDIR:-/tmp}/pcbmq-demo.out")"
show pcbmq stat "$id"
show head -n 2 /proc/pcbmq
show pcbmq recv "$id" -t -9
show pcbmq rm "$id"
show rmmod pcbstat
