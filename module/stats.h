/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The statistics half of pcbstat.ko: a preallocated table of per-thread
 * slots fed by scheduler tracepoints, and the readers that turn slots plus
 * task_struct fields into struct pcbstat_task records.
 */
#ifndef PCBSTAT_STATS_H
#define PCBSTAT_STATS_H

#include <linux/atomic.h>
#include <linux/hash.h>
#include <linux/percpu.h>
#include <linux/pid_namespace.h>
#include <linux/sched.h>
#include <linux/sched/prio.h>
#include <linux/types.h>

#include "compat.h"
#include "stats_slots.h"
#include "uapi/pcbstat.h"

/* stats_hooks.c */
int pcbstat_hooks_init(void);
void pcbstat_hooks_exit(void);

/* stats_gather.c */
struct pcbstat_task;
bool pcbstat_gather_process(struct task_struct *leader,
			    struct pid_namespace *ns, u64 mono_now,
			    struct pcbstat_task *t);
bool pcbstat_gather_thread(struct task_struct *p, struct pid_namespace *ns,
			   u64 mono_now, struct pcbstat_task *t);
struct task_struct *pcbstat_next_task(struct pid_namespace *ns, int *nr,
				      bool threads);
void pcbstat_task_begin(struct pcbstat_task *t, u32 flags);
u64 *pcbstat_hook_field(struct pcbstat_task *t, enum pcbstat_counter c);
void pcbstat_set_hook_fields(struct pcbstat_task *t, u64 v);

/*
 * The priority as /proc/<pid>/stat shows it (task_prio(), not exported):
 * 0..39 for nice -20..19, -2..-100 for real time, -101 for deadline.
 */
static inline int pcbstat_prio(const struct task_struct *p)
{
	return p->prio - MAX_RT_PRIO;
}

/* stats_access.c */
bool pcbstat_may_read(struct task_struct *p);

/* stats_exited.c */
int pcbstat_exited_init(void);
void pcbstat_exited_exit(void);
void pcbstat_exited_record(struct task_struct *p, struct pcbstat_slot *s,
			   struct pcbstat_slot *lead);
unsigned int pcbstat_exited_size(void);
int pcbstat_exited_copy(u64 after_seq, struct pcbstat_task *out,
			unsigned int max, u64 *lost);

/* stats_cpu.c */
int pcbstat_cpu_init(void);
void pcbstat_cpu_exit(void);
/* What a switch touches of its CPU, in one line: totals by class, table. */
struct pcbstat_cpu_totals {
	u64 sw[PCBSTAT_SW_KERNEL + 1];
	struct pcbstat_table table;
} ____cacheline_aligned;
DECLARE_PER_CPU(struct pcbstat_cpu_totals, pcbstat_cpu_totals);

/* Probe context: the writer is always this CPU, with IRQs off. */
static inline void pcbstat_cpu_count(enum pcbstat_counter c)
{
	this_cpu_inc(pcbstat_cpu_totals.sw[c]);
}

/* stats_dev.c */
int pcbstat_dev_init(void);
void pcbstat_dev_exit(void);

#endif /* PCBSTAT_STATS_H */
