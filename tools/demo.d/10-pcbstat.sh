# SPDX-License-Identifier: GPL-2.0
# pcbstat.ko: the process control block, made visible.
banner "pcbstat.ko: /proc/pcbstat"
show insmod "$PCBKIT_MODULE"
show head -n 1 /proc/pcbstat
show rmmod pcbstat
