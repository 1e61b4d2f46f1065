# SPDX-License-Identifier: GPL-2.0
# pcbbench textbook, short: the chapter's claims about switches and thread
# models, measured on this kernel and judged, the PCB beside each row.
banner "the textbook's claims, measured: switches and thread models"
echo "# pcbbench textbook loads pcbstat.ko for the PCB columns and unloads it"
show pcbbench textbook --parts switch,models --quick --out ""
echo "# the whole run (create, IPC, scheduling criteria, charts):"
echo "#   make bench BENCH=textbook   (7 minutes under TCG on a busy host)"
