/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What every pcbsched policy includes: the kernel's own sched_ext headers
 * (tools/sched_ext/include/scx of the kernel source, found at build time:
 * they declare the kfuncs with bpf_ksym_exists() fallbacks for the
 * kernels that named them differently, and the UEI exit record), and the
 * counters the loader reads.
 */
#ifndef PCB_COMMON_BPF_H
#define PCB_COMMON_BPF_H

#include <scx/common.bpf.h>

#include "pcb_sched.h"

/*
 * Define once per policy. The loader reaches both through the policy's
 * skeleton (skel->data->uei, skel->bss->pcb_stats).
 */
#define PCB_DEFINE_SHARED() \
	UEI_DEFINE(uei);    \
	struct pcb_stats pcb_stats

#define pcb_stat_inc(field) __sync_fetch_and_add(&pcb_stats.field, 1)

/* Defined by each policy's PCB_DEFINE_SHARED(); declared for the helpers. */
extern struct pcb_stats pcb_stats;

/*
 * The ops.select_cpu every policy shares: a waking task that finds an idle
 * CPU goes straight there for @slice, since nobody waits ahead of it.
 */
static __always_inline s32 pcb_select_cpu(struct task_struct *p, s32 prev_cpu,
					  u64 wake_flags, u64 slice)
{
	bool is_idle = false;
	s32 cpu;

	cpu = scx_bpf_select_cpu_dfl(p, prev_cpu, wake_flags, &is_idle);
	if (is_idle) {
		pcb_stat_inc(direct);
		scx_bpf_dsq_insert(p, SCX_DSQ_LOCAL, slice, 0);
	}
	return cpu;
}

/*
 * The ops.exit of every policy, named <prefix>_exit: the exit record and
 * the kernel's debug dump go to the loader through UEI.
 */
#define PCB_EXIT_OP(prefix)                                          \
	void BPF_STRUCT_OPS(prefix##_exit, struct scx_exit_info *ei) \
	{                                                            \
		UEI_RECORD(uei, ei);                                 \
	}

#endif /* PCB_COMMON_BPF_H */
