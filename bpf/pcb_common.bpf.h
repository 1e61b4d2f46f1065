/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What every pcbsched policy includes: kernel types, helpers, the kfuncs
 * and the exit/stat records the loader reads.
 */
#ifndef PCB_COMMON_BPF_H
#define PCB_COMMON_BPF_H

#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

#include "compat.bpf.h"
#include "pcb_sched.h"

#ifndef READ_ONCE
#define READ_ONCE(x) (*(volatile typeof(x) *)&(x))
#endif
#define EINVAL	   22
#define ENOMEM	   12
#define PF_KTHREAD 0x00200000

#define BPF_STRUCT_OPS(name, args...) \
	SEC("struct_ops/" #name) BPF_PROG(name, ##args)
#define BPF_STRUCT_OPS_SLEEPABLE(name, args...) \
	SEC("struct_ops.s/" #name) BPF_PROG(name, ##args)

/*
 * Define once per policy. The loader reads these through their sections,
 * so they must not be static.
 */
#define PCB_DEFINE_SHARED()                              \
	struct pcb_exit_info pcb_exit SEC(PCB_EXIT_SEC); \
	struct pcb_stats pcb_stats SEC(PCB_STATS_SEC)

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
 * Call from ops.exit. SCX_ECODE_ACT_RESTART is decoded here because the
 * loader has no vmlinux.h to read the bit from.
 */
#define PCB_RECORD_EXIT(ei)                                                   \
	do {                                                                  \
		pcb_exit.exit_code = (ei)->exit_code;                         \
		pcb_exit.restart =                                            \
			!!((ei)->exit_code & SCX_ECODE_ACT_RESTART);          \
		bpf_probe_read_kernel_str(pcb_exit.reason,                    \
					  sizeof(pcb_exit.reason),            \
					  (ei)->reason);                      \
		bpf_probe_read_kernel_str(pcb_exit.msg, sizeof(pcb_exit.msg), \
					  (ei)->msg);                         \
		/* kind last: the loader polls it */                          \
		__sync_lock_test_and_set(&pcb_exit.kind, (ei)->kind);         \
	} while (0)

#endif /* PCB_COMMON_BPF_H */
