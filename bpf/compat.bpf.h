/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The sched_ext kfuncs pcbsched's policies use, declared once. Their names
 * and signatures drift between kernels (scx_bpf_dispatch became
 * scx_bpf_dsq_insert in 6.13, ___v2 variants appeared in 6.19/7.1); a
 * policy calls only the names below, and only this file changes when the
 * kernel does.
 */
#ifndef PCB_COMPAT_BPF_H
#define PCB_COMPAT_BPF_H

extern s32 scx_bpf_create_dsq(u64 dsq_id, s32 node) __ksym;
extern void scx_bpf_dsq_insert(struct task_struct *p, u64 dsq_id, u64 slice,
			       u64 enq_flags) __ksym;
extern bool scx_bpf_dsq_move_to_local(u64 dsq_id) __ksym;
extern s32 scx_bpf_select_cpu_dfl(struct task_struct *p, s32 prev_cpu,
				  u64 wake_flags, bool *is_idle) __ksym;
extern s32 scx_bpf_dsq_nr_queued(u64 dsq_id) __ksym;
extern void scx_bpf_kick_cpu(s32 cpu, u64 flags) __ksym;
extern u32 scx_bpf_nr_cpu_ids(void) __ksym;
extern s32 scx_bpf_task_cpu(const struct task_struct *p) __ksym;
extern bool bpf_cpumask_test_cpu(u32 cpu, const struct cpumask *cpumask) __ksym;
extern u32 bpf_cpumask_first(const struct cpumask *cpumask) __ksym;

/* Walking a DSQ (bpf_for_each(scx_dsq, ...)) and moving what it finds. */
extern int bpf_iter_scx_dsq_new(struct bpf_iter_scx_dsq *it, u64 dsq_id,
				u64 flags) __ksym;
extern struct task_struct *
bpf_iter_scx_dsq_next(struct bpf_iter_scx_dsq *it) __ksym;
extern void bpf_iter_scx_dsq_destroy(struct bpf_iter_scx_dsq *it) __ksym;
extern bool scx_bpf_dsq_move(struct bpf_iter_scx_dsq *it__iter,
			     struct task_struct *p, u64 dsq_id,
			     u64 enq_flags) __ksym;
#define BPF_FOR_EACH_ITER (&___it)
extern void scx_bpf_dsq_move_set_slice(struct bpf_iter_scx_dsq *it__iter,
				       u64 slice) __ksym;

/*
 * Re-enqueue a DSQ (here: a local one) from any context; in the 7.3 test
 * kernel, where scx_bpf_reenqueue_local() became a special case of it.
 */
extern void scx_bpf_dsq_reenq(u64 dsq_id, u64 reenq_flags) __ksym;

#endif /* PCB_COMPAT_BPF_H */
