// SPDX-License-Identifier: GPL-2.0
/*
 * The statistics parts of pcbstat.ko, brought up in dependency order:
 * storage before the probes that write it, probes before the device that
 * reads it; torn down in reverse, so storage outlives every probe.
 */
#include "parts.h"
#include "stats.h"

int pcbstat_stats_init(void)
{
	int err;

	err = pcbstat_slots_init();
	if (err)
		goto err_out;
	err = pcbstat_exited_init();
	if (err)
		goto err_free_slots;
	err = pcbstat_cpu_init();
	if (err)
		goto err_free_ring;
	err = pcbstat_hooks_init();
	if (err)
		goto err_remove_cpu;
	err = pcbstat_dev_init();
	if (err)
		goto err_unhook;
	return 0;

err_unhook:
	pcbstat_hooks_exit();
err_remove_cpu:
	pcbstat_cpu_exit();
err_free_ring:
	pcbstat_exited_exit();
err_free_slots:
	pcbstat_slots_exit();
err_out:
	return err;
}

void pcbstat_stats_exit(void)
{
	pcbstat_dev_exit();
	pcbstat_hooks_exit();
	pcbstat_cpu_exit();
	pcbstat_exited_exit();
	pcbstat_slots_exit();
}
