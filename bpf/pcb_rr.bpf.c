/* SPDX-License-Identifier: GPL-2.0 */
/*
 * pcb_rr: round robin with a fixed quantum.
 *
 * One shared queue in arrival order; a task runs for at most quantum_ms,
 * then goes to the tail. The textbook's trade-off is the knob: a quantum
 * much longer than the typical burst turns this into FCFS, a very short
 * one spends the CPU on switching. Per-CPU kernel threads skip the queue.
 */
#include "pcb_task.bpf.h"

char _license[] SEC("license") = "GPL";

#define RR_DSQ	      0
#define NSEC_PER_MSEC 1000000ULL

const volatile __u64 quantum_ms = 10;

PCB_DEFINE_SHARED();

static u64 quantum_ns(void)
{
	return quantum_ms * NSEC_PER_MSEC;
}

s32 BPF_STRUCT_OPS(rr_select_cpu, struct task_struct *p, s32 prev_cpu,
		   u64 wake_flags)
{
	return pcb_select_cpu(p, prev_cpu, wake_flags, quantum_ns());
}

void BPF_STRUCT_OPS(rr_enqueue, struct task_struct *p, u64 enq_flags)
{
	struct pcb_queue_stats *qs = pcb_qstats();

	pcb_stat_inc(enqueued);
	if (pcb_is_percpu_kthread(p)) {
		scx_bpf_dsq_insert(p, SCX_DSQ_LOCAL, quantum_ns(), enq_flags);
		return;
	}
	scx_bpf_dsq_insert(p, RR_DSQ, quantum_ns(), enq_flags);
	if (qs)
		qs->queued[0] = scx_bpf_dsq_nr_queued(RR_DSQ);
}

void BPF_STRUCT_OPS(rr_dispatch, s32 cpu, struct task_struct *prev)
{
	if (scx_bpf_dsq_move_to_local(RR_DSQ, 0))
		pcb_stat_inc(dispatched);
}

void BPF_STRUCT_OPS(rr_running, struct task_struct *p)
{
	pcb_note_running(p);
}

void BPF_STRUCT_OPS(rr_stopping, struct task_struct *p, bool runnable)
{
	struct pcb_task_view *t = pcb_task(p);

	if (t)
		pcb_count_run(0, pcb_take_runtime(p, t));
}

/* Entering sched_ext: join the tail like any arrival (see pcb_enter()). */
void BPF_STRUCT_OPS(rr_enable, struct task_struct *p)
{
	pcb_enter(p);
}

s32 BPF_STRUCT_OPS(rr_init_task, struct task_struct *p,
		   struct scx_init_task_args *args)
{
	struct pcb_task_view *t = pcb_task_create(p);

	if (!t)
		return -ENOMEM;
	pcb_mark_start(p, t);
	return 0;
}

s32 BPF_STRUCT_OPS_SLEEPABLE(rr_init)
{
	return pcb_init_one_queue(RR_DSQ);
}

PCB_EXIT_OP(rr)

SCX_OPS_DEFINE(pcb_rr_ops, .select_cpu = (void *)rr_select_cpu,
	       .enqueue = (void *)rr_enqueue, .dispatch = (void *)rr_dispatch,
	       .running = (void *)rr_running, .stopping = (void *)rr_stopping,
	       .enable = (void *)rr_enable, .init_task = (void *)rr_init_task,
	       .init = (void *)rr_init, .exit = (void *)rr_exit,
	       .name = "pcb_rr")
