/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The skeleton of every "pick the best waiter" policy: FCFS, SJF, HRRN,
 * static and dynamic priority. They differ only in which waiting task is
 * best, so a policy file defines
 *
 *	static bool pick_better(const struct pcb_cand *a,
 *				const struct pcb_cand *b, u64 now);
 *
 * (true if @a should run before @b at time @now), defines PICK_PREFIX
 * (its programs' name prefix, e.g. fcfs: fcfs_enqueue, fcfs_dispatch, so
 * that bpftool and the verifier log tell the policies apart), includes
 * this file and ends with PCB_PICK_OPS().
 *
 * Waiters sit in one shared queue in arrival order. A CPU that needs work
 * walks the whole queue at that moment and takes the best task it may run:
 * keys that change while tasks wait (HRRN's response ratio, aging) are
 * compared at the same instant, so the choice is exact, never an
 * approximation fixed at enqueue time. The walk is O(waiters).
 *
 * Non-preemptive, like the textbook: a task runs until it blocks, or for
 * at most run_cap_ms, after which it queues again as a new arrival. The
 * cap keeps unbound kernel threads and the sched_ext watchdog (30 s) from
 * starving behind one long job; per-CPU kernel threads skip the queue.
 *
 * Every task's CPU bursts (CPU time from waking to blocking, summed over
 * capped runs) feed an exponential average with weight 1/2, starting at
 * 10 ms for a new task: Silberschatz's tau(n+1) = a*t(n) + (1-a)*tau(n)
 * with a = 1/2 and tau(0) = 10 ms. While a burst is still running the
 * estimate is at least what the burst has used so far, so a CPU hog that
 * never blocks does not keep looking short.
 */
#ifndef PCB_PICK_BPF_H
#define PCB_PICK_BPF_H

#include "pcb_task.bpf.h"

char _license[] SEC("license") = "GPL";

#ifndef PICK_PREFIX
#error "define PICK_PREFIX, the policy's program name prefix"
#endif
#define PICK_PASTE(a, b) a##_##b
#define PICK_NAME(a, b)	 PICK_PASTE(a, b)
/* <PICK_PREFIX>_<op>; two steps so that PICK_PREFIX expands first. */
#define PICK_OP(op)	 PICK_NAME(PICK_PREFIX, op)
#define PICK_STRUCT_OPS(op, args...) \
	PICK_EXPANDED_STRUCT_OPS(PICK_OP(op), ##args)
#define PICK_EXPANDED_STRUCT_OPS(name, args...) BPF_STRUCT_OPS(name, ##args)
#define PICK_STRUCT_OPS_SLEEPABLE(op) \
	PICK_EXPANDED_STRUCT_OPS_SLEEPABLE(PICK_OP(op))
#define PICK_EXPANDED_STRUCT_OPS_SLEEPABLE(name) BPF_STRUCT_OPS_SLEEPABLE(name)

#define PICK_DSQ	    0
#define NSEC_PER_MSEC	    1000000ULL
#define DEFAULT_EXPECTED_NS PCB_EXPECTED_NEW_NS

const volatile __u64 run_cap_ms = 20;

PCB_DEFINE_SHARED();

/* What pick_better() may compare; copied out of the queue walk. */
struct pcb_cand {
	s32 pid;
	u32 weight; /* sched_ext weight: 100 = nice 0 */
	s32 nice;
	u64 enq_at;   /* joined the queue (ns) */
	u64 expected; /* estimated CPU burst (ns) */
};

static bool pick_better(const struct pcb_cand *a, const struct pcb_cand *b,
			u64 now);

static u64 run_cap_ns(void)
{
	return run_cap_ms * NSEC_PER_MSEC;
}

static u64 estimate(const struct pcb_task_view *t)
{
	return t->burst_ns > t->expected_ns ? t->burst_ns : t->expected_ns;
}

s32 PICK_STRUCT_OPS(select_cpu, struct task_struct *p, s32 prev_cpu,
		    u64 wake_flags)
{
	/* An idle CPU has nobody waiting for it: nothing to pick. */
	return pcb_select_cpu(p, prev_cpu, wake_flags, run_cap_ns());
}

void PICK_STRUCT_OPS(enqueue, struct task_struct *p, u64 enq_flags)
{
	struct pcb_task_view *t;

	pcb_stat_inc(enqueued);
	if (pcb_is_percpu_kthread(p)) {
		scx_bpf_dsq_insert(p, SCX_DSQ_LOCAL, run_cap_ns(), enq_flags);
		return;
	}
	t = pcb_task_checked(p);
	if (!t) {
		/* the policy is being ejected; the task must go somewhere */
		scx_bpf_dsq_insert(p, SCX_DSQ_LOCAL, run_cap_ns(), enq_flags);
		return;
	}
	t->enq_at = bpf_ktime_get_ns();
	scx_bpf_dsq_insert(p, PICK_DSQ, run_cap_ns(), enq_flags);
}

static void fill_cand(struct task_struct *p, struct pcb_cand *c)
{
	struct pcb_task_view *t = pcb_task(p);

	c->pid = p->pid;
	c->weight = p->scx.weight;
	c->nice = p->static_prio - 120; /* MAX_RT_PRIO + 20 is nice 0 */
	c->enq_at = t ? t->enq_at : 0;
	c->expected = t ? estimate(t) : DEFAULT_EXPECTED_NS;
}

/* The pid of the best waiter this CPU may run, or 0 if none. */
static s32 best_waiter(s32 cpu, u64 now)
{
	struct pcb_cand best = {}, c;
	struct pcb_queue_stats *qs;
	struct task_struct *p;
	u64 seen = 0;

	bpf_for_each (scx_dsq, p, PICK_DSQ, 0) {
		seen++;
		if (!bpf_cpumask_test_cpu(cpu, p->cpus_ptr))
			continue;
		fill_cand(p, &c);
		if (!best.pid || pick_better(&c, &best, now))
			best = c;
	}
	qs = pcb_qstats();
	if (qs)
		qs->queued[0] = seen;
	return best.pid;
}

void PICK_STRUCT_OPS(dispatch, s32 cpu, struct task_struct *prev)
{
	u64 now = bpf_ktime_get_ns();
	struct task_struct *p;
	s32 pid;

	pid = best_waiter(cpu, now);
	if (!pid)
		return;
	bpf_for_each (scx_dsq, p, PICK_DSQ, 0) {
		if (p->pid != pid)
			continue;
		if (scx_bpf_dsq_move(BPF_FOR_EACH_ITER, p, SCX_DSQ_LOCAL, 0)) {
			pcb_stat_inc(dispatched);
			return;
		}
		break;
	}
	/* It left the queue between the walks: take the oldest instead. */
	if (scx_bpf_dsq_move_to_local(PICK_DSQ, 0))
		pcb_stat_inc(dispatched);
}

void PICK_STRUCT_OPS(running, struct task_struct *p)
{
	pcb_note_running(p);
}

/* A burst ends when the task blocks; only then does the average move. */
void PICK_STRUCT_OPS(stopping, struct task_struct *p, bool runnable)
{
	struct pcb_task_view *t = pcb_task(p);
	u64 ran;

	if (!t)
		return;
	ran = pcb_take_runtime(p, t);
	pcb_count_run(0, ran);
	t->burst_ns += ran;
	if (runnable)
		return;
	t->expected_ns = t->expected_ns / 2 + t->burst_ns / 2;
	t->burst_ns = 0;
	t->nr_bursts++;
}

/* Entering sched_ext: queue like any arrival (see pcb_enter()). */
void PICK_STRUCT_OPS(enable, struct task_struct *p)
{
	pcb_enter(p);
}

s32 PICK_STRUCT_OPS(init_task, struct task_struct *p,
		    struct scx_init_task_args *args)
{
	struct pcb_task_view *t = pcb_task_create(p);

	if (!t)
		return -ENOMEM;
	t->expected_ns = DEFAULT_EXPECTED_NS;
	t->burst_ns = 0;
	t->enq_at = bpf_ktime_get_ns();
	pcb_mark_start(p, t);
	return 0;
}

s32 PICK_STRUCT_OPS_SLEEPABLE(init)
{
	return pcb_init_one_queue(PICK_DSQ);
}

#define PICK_EXIT_OP(prefix) PCB_EXIT_OP(prefix)
PICK_EXIT_OP(PICK_PREFIX)

/* The ops table; @var must be "<name>_ops" for pcbsched to find it. */
#define PCB_PICK_OPS(var, ops_name)                                    \
	SCX_OPS_DEFINE(var, .select_cpu = (void *)PICK_OP(select_cpu), \
		       .enqueue = (void *)PICK_OP(enqueue),            \
		       .dispatch = (void *)PICK_OP(dispatch),          \
		       .running = (void *)PICK_OP(running),            \
		       .stopping = (void *)PICK_OP(stopping),          \
		       .enable = (void *)PICK_OP(enable),              \
		       .init_task = (void *)PICK_OP(init_task),        \
		       .init = (void *)PICK_OP(init),                  \
		       .exit = (void *)PICK_OP(exit), .name = ops_name)

#endif /* PCB_PICK_BPF_H */
