#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# pcbstat.ko loads, creates /proc/pcbstat with its header, and unloads
# without leaving the file behind.
# timeout: 60
. "$PCBKIT_TOP/selftests/lib.sh"
require_root

[ -f "$PCBKIT_MODULE" ] || fail "$PCBKIT_MODULE not built"
module_loaded && fail "pcbstat.ko already loaded before the test"
[ -e /proc/pcbstat ] && fail "/proc/pcbstat exists before loading"

load_module
module_loaded || fail "pcbstat missing from /proc/modules after insmod"
[ -r /proc/pcbstat ] || fail "/proc/pcbstat missing after insmod"
header=$(head -n 1 /proc/pcbstat)
set -- $header
expect_eq "first column" "$1" pid
expect_eq "last column" "${!#}" comm
for col in ppid uid state policy nice prio run_ns wait_ns nvcsw nivcsw \
	sw_thread sw_process sw_kernel turnaround_ns response_ns; do
	case " $header " in
	*" $col "*) ;;
	*) fail "column $col missing from header: $header" ;;
	esac
done

unload_module
module_loaded && fail "pcbstat still in /proc/modules after rmmod"
[ -e /proc/pcbstat ] && fail "/proc/pcbstat left behind after rmmod"
echo "loaded, header of $# columns, unloaded"
