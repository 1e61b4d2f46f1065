// SPDX-License-Identifier: GPL-2.0
/*
 * Per-CPU context-switch totals by class, for /proc/pcbstat_cpu. Every
 * switch on a CPU counts, idle's included, classified by what runs next:
 * the same address space (thread), another user address space (process,
 * page tables change), or a kernel thread or idle (kernel).
 */
#include <linux/percpu.h>
#include <linux/proc_fs.h>
#include <linux/seq_file.h>

#include "stats.h"

DEFINE_PER_CPU(struct pcbstat_cpu_totals, pcbstat_cpu_totals);
static struct proc_dir_entry *cpu_entry;

static int cpu_show(struct seq_file *m, void *v)
{
	u64 sum[PCBSTAT_SW_KERNEL + 1] = { };
	int cpu, c;

	seq_puts(m, "cpu sw_thread sw_process sw_kernel\n");
	for_each_online_cpu(cpu) {
		struct pcbstat_cpu_totals *t =
			per_cpu_ptr(&pcbstat_cpu_totals, cpu);

		seq_printf(m, "%d", cpu);
		for (c = 0; c <= PCBSTAT_SW_KERNEL; c++) {
			u64 v = READ_ONCE(t->sw[c]);

			seq_printf(m, " %llu", v);
			sum[c] += v;
		}
		seq_putc(m, '\n');
	}
	seq_printf(m, "all %llu %llu %llu\n", sum[0], sum[1], sum[2]);
	seq_printf(m, "# untracked_threads %llu\n", pcbstat_slot_overflows());
	return 0;
}

int pcbstat_cpu_init(void)
{
	int cpu;

	/*
	 * Counting starts at load, also across a reload of the module. The
	 * slots are allocated by now and the probes not yet registered.
	 */
	for_each_possible_cpu(cpu) {
		struct pcbstat_cpu_totals *t =
			per_cpu_ptr(&pcbstat_cpu_totals, cpu);

		memset(t, 0, sizeof(*t));
		t->table = pcbstat_table;
	}
	cpu_entry = proc_create_single("pcbstat_cpu", 0444, NULL, cpu_show);
	return cpu_entry ? 0 : -ENOMEM;
}

void pcbstat_cpu_exit(void)
{
	proc_remove(cpu_entry);
}
