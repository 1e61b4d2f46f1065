/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Per-task state and per-queue counters shared by the textbook policies,
 * and the few rules every one of them follows.
 */
#ifndef PCB_TASK_BPF_H
#define PCB_TASK_BPF_H

#include "pcb_common.bpf.h"

struct {
	__uint(type, BPF_MAP_TYPE_TASK_STORAGE);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, int);
	__type(value, struct pcb_task_view);
} pcb_tasks SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, u32);
	__type(value, struct pcb_queue_stats);
} pcb_queues SEC(".maps");

static __always_inline struct pcb_task_view *pcb_task(struct task_struct *p)
{
	return bpf_task_storage_get(&pcb_tasks, p, NULL, 0);
}

/*
 * ops.init_task() gives every task its storage before any other op sees
 * it, so a task without one is a broken invariant: eject the policy with
 * the reason rather than schedule the task some other way unnoticed.
 */
static __always_inline struct pcb_task_view *
pcb_task_checked(struct task_struct *p)
{
	struct pcb_task_view *t = pcb_task(p);

	if (!t)
		scx_bpf_error("task %d has no pcb_tasks storage", p->pid);
	return t;
}

static __always_inline struct pcb_task_view *
pcb_task_create(struct task_struct *p)
{
	return bpf_task_storage_get(&pcb_tasks, p, NULL,
				    BPF_LOCAL_STORAGE_GET_F_CREATE);
}

static __always_inline struct pcb_queue_stats *pcb_qstats(void)
{
	u32 zero = 0;

	return bpf_map_lookup_elem(&pcb_queues, &zero);
}

/*
 * A kernel thread bound to one CPU (kworkers, ksoftirqd, migration) must
 * not wait behind user work on a shared queue: the kernel's own progress
 * and the sched_ext watchdog depend on it. Such threads skip the policy.
 */
static __always_inline bool pcb_is_percpu_kthread(const struct task_struct *p)
{
	return (p->flags & PF_KTHREAD) && p->nr_cpus_allowed == 1;
}

/*
 * ops.enable of the single-queue policies (ops.enable runs when a task
 * enters sched_ext). A task that switches to sched_ext while it runs,
 * by sched_setscheduler() on itself, comes in straight onto its CPU's
 * local queue without ops.enqueue(), and the kernel then parks it at the
 * head of that queue with whatever slice it has: for a task new to
 * sched_ext, the 20 ms default. It would run at once, ahead of every
 * waiter and of the task it preempted as a CFS task, without the policy
 * having chosen it. With no slice it goes through ops.enqueue() at the
 * switch's reschedule instead, and waits its turn like any arrival.
 *
 * A task preempted by a higher class is parked the same way, but it was
 * running by the policy's choice: resuming it first is what a
 * non-preemptive policy (and round robin, within its quantum) does
 * anyway. Nothing is re-enqueued here, so a per-CPU kernel thread cannot
 * pile up re-enqueues without running (SCX_REENQ_MAX_REPEAT).
 */
static __always_inline void pcb_enter(struct task_struct *p)
{
	p->scx.slice = 0;
}

/*
 * CPU time p used since pcb_mark_start(), from the scheduler's own runtime
 * accounting: p->scx.slice cannot tell a used-up slice from a preemption.
 */
static __always_inline u64 pcb_take_runtime(struct task_struct *p,
					    struct pcb_task_view *t)
{
	u64 now = p->se.sum_exec_runtime;
	u64 delta = now > t->run_start ? now - t->run_start : 0;

	t->run_start = now;
	return delta;
}

static __always_inline void pcb_mark_start(struct task_struct *p,
					   struct pcb_task_view *t)
{
	t->run_start = p->se.sum_exec_runtime;
}

/* ops.running of the single-queue policies: start the clock, count a run. */
static __always_inline void pcb_note_running(struct task_struct *p)
{
	struct pcb_task_view *t = pcb_task(p);
	struct pcb_queue_stats *qs = pcb_qstats();

	if (t)
		pcb_mark_start(p, t);
	if (qs)
		__sync_fetch_and_add(&qs->runs[0], 1);
}

/* ops.init of the policies with one shared queue, @dsq. */
static __always_inline s32 pcb_init_one_queue(u64 dsq)
{
	struct pcb_queue_stats *qs = pcb_qstats();

	if (qs)
		qs->nr_queues = 1;
	return scx_bpf_create_dsq(dsq, -1);
}

static __always_inline void pcb_count_run(u32 queue, u64 ns)
{
	struct pcb_queue_stats *qs = pcb_qstats();

	if (!qs || queue >= PCB_MAX_QUEUES)
		return;
	__sync_fetch_and_add(&qs->run_ns[queue], ns);
}

#endif /* PCB_TASK_BPF_H */
