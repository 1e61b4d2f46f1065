// SPDX-License-Identifier: GPL-2.0
/*
 * /proc/pcbstat: one row per process, first line the column names. Tools
 * parse rows by those names, so columns may be added but never renamed.
 */
#include <linux/proc_fs.h>
#include <linux/seq_file.h>

#include "pcbstat.h"

static const char *const pcbstat_columns[] = {
	"pid", "ppid", "uid", "state", "threads", "policy", "nice", "prio",
	"cpu", "run_ns", "wait_ns", "nvcsw", "nivcsw", "sw_thread",
	"sw_process", "sw_kernel", "dispatches", "preempts", "blocks",
	"wakeups", "ready_ns", "running_ns", "blocked_ns", "turnaround_ns",
	"response_ns", "rss_kb", "comm",
};

static struct proc_dir_entry *pcbstat_proc_entry;

static int pcbstat_proc_show(struct seq_file *m, void *v)
{
	int i;

	for (i = 0; i < ARRAY_SIZE(pcbstat_columns); i++)
		seq_printf(m, "%s%s", i ? " " : "", pcbstat_columns[i]);
	seq_putc(m, '\n');
	return 0;
}

int pcbstat_proc_init(void)
{
	pcbstat_proc_entry = proc_create_single("pcbstat", 0444, NULL,
						pcbstat_proc_show);
	return pcbstat_proc_entry ? 0 : -ENOMEM;
}

void pcbstat_proc_exit(void)
{
	proc_remove(pcbstat_proc_entry);
}
