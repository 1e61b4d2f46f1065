/* SPDX-License-Identifier: GPL-2.0 */
/*
 * pcb_fifo: first come, first served, on one global queue.
 *
 * The textbook's FCFS in its simplest runnable form: every task that
 * becomes runnable joins the tail of one shared dispatch queue, and a CPU
 * that needs work takes the head. A waking task that finds its CPU idle
 * goes straight there, since nobody waits ahead of it. Slices are the
 * kernel's default so the sched_ext watchdog always sees progress; a
 * non-preemptive FCFS with run-to-completion belongs to the fcfs policy.
 */
#include "pcb_common.bpf.h"

char _license[] SEC("license") = "GPL";

#define FIFO_DSQ 0

PCB_DEFINE_SHARED();

s32 BPF_STRUCT_OPS(fifo_select_cpu, struct task_struct *p, s32 prev_cpu,
		   u64 wake_flags)
{
	return pcb_select_cpu(p, prev_cpu, wake_flags, SCX_SLICE_DFL);
}

void BPF_STRUCT_OPS(fifo_enqueue, struct task_struct *p, u64 enq_flags)
{
	pcb_stat_inc(enqueued);
	scx_bpf_dsq_insert(p, FIFO_DSQ, SCX_SLICE_DFL, enq_flags);
}

void BPF_STRUCT_OPS(fifo_dispatch, s32 cpu, struct task_struct *prev)
{
	if (scx_bpf_dsq_move_to_local(FIFO_DSQ, 0))
		pcb_stat_inc(dispatched);
}

/*
 * Entering sched_ext: join the tail like any arrival, not jump the queue
 * with a task switching itself to SCHED_EXT. pcb_enter() of
 * pcb_task.bpf.h says why; that header's task storage is not needed here.
 */
void BPF_STRUCT_OPS(fifo_enable, struct task_struct *p)
{
	p->scx.slice = 0;
}

s32 BPF_STRUCT_OPS_SLEEPABLE(fifo_init)
{
	return scx_bpf_create_dsq(FIFO_DSQ, -1);
}

PCB_EXIT_OP(fifo)

SCX_OPS_DEFINE(pcb_fifo_ops, .select_cpu = (void *)fifo_select_cpu,
	       .enqueue = (void *)fifo_enqueue,
	       .dispatch = (void *)fifo_dispatch, .enable = (void *)fifo_enable,
	       .init = (void *)fifo_init, .exit = (void *)fifo_exit,
	       .name = "pcb_fifo")
