// SPDX-License-Identifier: GPL-2.0
/*
 * pcbstat.ko - the textbook's process control block, made visible.
 *
 * This file only wires the module's parts together: each part initialises
 * itself, and a failure unwinds the parts already up, newest first.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/init.h>
#include <linux/module.h>

#include "parts.h"

static int __init pcbstat_init(void)
{
	int err;

	err = pcbstat_stats_init();
	if (err)
		goto err_out;
	err = pcbstat_proc_init();
	if (err)
		goto err_stats;

	err = pcbmq_init();
	if (err)
		goto err_proc_exit;

	pr_info("loaded\n");
	return 0;

err_proc_exit:
	pcbstat_proc_exit();
err_stats:
	pcbstat_stats_exit();
err_out:
	return err;
}

static void __exit pcbstat_exit(void)
{
	pcbmq_exit();
	pcbstat_proc_exit();
	pcbstat_stats_exit();
	pr_info("unloaded\n");
}

module_init(pcbstat_init);
module_exit(pcbstat_exit);

MODULE_LICENSE("GPL");
MODULE_AUTHOR("pcbkit developers");
MODULE_DESCRIPTION("Process control blocks, five-state model and SysV-style message queues, made visible");
