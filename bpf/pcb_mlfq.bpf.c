/* SPDX-License-Identifier: GPL-2.0 */
/*
 * pcb_mlfq: the textbook's multi-level feedback queue.
 *
 * Rules (OSTEP ch. 8, made robust):
 *  1. Higher level runs first; within a level, first come first served
 *     with a time slice (round robin).
 *  2. A new task starts at the top (level 0).
 *  3. A task that has used its level's allotment of CPU time moves down
 *     one level. The allotment is summed over every run at that level, so
 *     giving up the CPU just before the slice ends does not keep a task on
 *     top. CPU use comes from the kernel's runtime accounting
 *     (se.sum_exec_runtime), never from p->scx.slice reaching zero, which
 *     a preemption also causes.
 *  4. Every boost_ms all tasks go back to the top, so nothing starves and
 *     a task whose behaviour changed gets a new chance.
 *  5. A task that becomes runnable at a higher level than a running task
 *     preempts it (a kick at enqueue time, with a tick-time check behind).
 *
 * Defaults: 4 levels; the top slice is 4 ms, one tick at the usual
 * HZ=250 (sched_ext enforces slices at ticks, so a shorter one buys
 * nothing) and each level down doubles it (4/8/16/32 ms) so a CPU-bound
 * task pays fewer switches the longer it runs; the allotment is 2 slices
 * of the level, so a hog reaches the bottom after 56 ms of CPU; boost
 * every 1000 ms bounds the wait of a bottom-level task under a stream of
 * top-level work by roughly one boost period.
 *
 * nice: scales the slice within a level by the task's weight (nice 0 =
 * 1x, clamped to 1/4x..4x), so a nicer task gets shorter turns in the
 * same round robin. The allotment is not scaled: nice never lets a
 * CPU-bound task stay on top.
 *
 * Boosts are lazy: a counter (boost_gen) is bumped and every task compares
 * it with the generation its level belongs to the next time the policy
 * looks at it; tasks already waiting in lower queues are moved to the top
 * queue at the boost.
 */
#include "pcb_task.bpf.h"

char _license[] SEC("license") = "GPL";

#define MLFQ_MAX_LEVELS PCB_MAX_QUEUES
#define MLFQ_MAX_CPUS	1024
#define NSEC_PER_USEC	1000ULL
#define NSEC_PER_MSEC	1000000ULL
#define MIN_SLICE_NS	(100 * NSEC_PER_USEC)

/* Knobs, set by pcbsched before loading. */
const volatile __u64 nr_levels = 4;
const volatile __u64 slice_us = 4000;
const volatile __u64 allot_slices = 4;
const volatile __u64 boost_ms = 500;
const volatile __u64 preempt = 1;

PCB_DEFINE_SHARED();

/* Level of the task each CPU runs now; MLFQ_IDLE if none of ours. */
#define MLFQ_IDLE 0xff
static u8 cpu_level[MLFQ_MAX_CPUS];

static u64 boost_gen;
static u64 last_boost_ns;

static u32 bottom(void)
{
	return nr_levels - 1;
}

static u64 level_slice(u32 level)
{
	return (slice_us * NSEC_PER_USEC) << (level & 7);
}

static u64 level_allotment(u32 level)
{
	return allot_slices * level_slice(level);
}

/* nice within a level: weight 100 is nice 0. */
static u64 task_slice(const struct task_struct *p, u32 level)
{
	u64 weight = p->scx.weight, slice = level_slice(level);

	if (weight < 25)
		weight = 25;
	if (weight > 400)
		weight = 400;
	slice = slice * weight / 100;
	return slice < MIN_SLICE_NS ? MIN_SLICE_NS : slice;
}

/* Applies any boost the task has not seen yet; returns its level. */
static u32 current_level(struct pcb_task_view *t)
{
	u64 gen = READ_ONCE(boost_gen);

	if (t->boost_gen != gen) {
		t->boost_gen = gen;
		t->level = 0;
		t->used_ns = 0;
	}
	if (t->level > bottom())
		t->level = bottom();
	return t->level;
}

/* Rule 3: charge CPU time to the level's allotment, demote when spent. */
static u32 charge(struct task_struct *p, struct pcb_task_view *t)
{
	u32 level = current_level(t);
	u64 ran = pcb_take_runtime(p, t);
	struct pcb_queue_stats *qs;

	pcb_count_run(level, ran);
	t->used_ns += ran;
	if (level < bottom() && t->used_ns >= level_allotment(level)) {
		t->level = level + 1;
		t->used_ns = 0;
		qs = pcb_qstats();
		if (qs)
			__sync_fetch_and_add(&qs->demotions, 1);
	}
	return t->level;
}

/* Rule 5: kick the CPU running the lowest-level task below @level. */
static void preempt_lower(struct task_struct *p, u32 level)
{
	s32 cpu, victim = -1;
	u32 worst = level, nr = scx_bpf_nr_cpu_ids();
	struct pcb_queue_stats *qs;

	if (!preempt)
		return;
	bpf_for (cpu, 0, nr) {
		u32 l;

		if (cpu >= MLFQ_MAX_CPUS)
			break;
		l = cpu_level[cpu];
		if (l == MLFQ_IDLE || l <= worst)
			continue;
		if (!bpf_cpumask_test_cpu(cpu, p->cpus_ptr))
			continue;
		worst = l;
		victim = cpu;
	}
	if (victim < 0)
		return;
	scx_bpf_kick_cpu(victim, SCX_KICK_PREEMPT);
	qs = pcb_qstats();
	if (qs)
		__sync_fetch_and_add(&qs->preemptions, 1);
}

s32 BPF_STRUCT_OPS(mlfq_select_cpu, struct task_struct *p, s32 prev_cpu,
		   u64 wake_flags)
{
	struct pcb_task_view *t = pcb_task(p);
	bool is_idle = false;
	s32 cpu;

	cpu = scx_bpf_select_cpu_dfl(p, prev_cpu, wake_flags, &is_idle);
	if (is_idle && t) {
		pcb_stat_inc(direct);
		scx_bpf_dsq_insert(p, SCX_DSQ_LOCAL,
				   task_slice(p, current_level(t)), 0);
	}
	return cpu;
}

void BPF_STRUCT_OPS(mlfq_enqueue, struct task_struct *p, u64 enq_flags)
{
	struct pcb_task_view *t = pcb_task(p);
	u32 level;

	pcb_stat_inc(enqueued);
	if (!t || pcb_is_percpu_kthread(p)) {
		scx_bpf_dsq_insert(p, SCX_DSQ_LOCAL, task_slice(p, 0),
				   enq_flags);
		return;
	}
	level = current_level(t);
	/*
	 * The last runnable task on its CPU (SCX_OPS_ENQ_LAST) keeps the CPU,
	 * but through here so that its slice matches its level.
	 */
	if (enq_flags & SCX_ENQ_LAST) {
		scx_bpf_dsq_insert(p, SCX_DSQ_LOCAL, task_slice(p, level),
				   enq_flags);
		return;
	}
	scx_bpf_dsq_insert(p, level, task_slice(p, level), enq_flags);
	preempt_lower(p, level);
}

/* Rule 4: move everything waiting below the top to the top queue. */
static void boost_if_due(void)
{
	u64 now = bpf_ktime_get_ns(), last = READ_ONCE(last_boost_ns);
	struct pcb_queue_stats *qs;
	struct task_struct *p;
	u32 level;

	if (!boost_ms || now - last < boost_ms * NSEC_PER_MSEC)
		return;
	if (!__sync_bool_compare_and_swap(&last_boost_ns, last, now))
		return; /* another CPU does this boost */
	__sync_fetch_and_add(&boost_gen, 1);
	qs = pcb_qstats();
	if (qs)
		qs->boost_gen = boost_gen;
	bpf_for (level, 1, nr_levels) {
		if (level >= MLFQ_MAX_LEVELS)
			break;
		bpf_for_each (scx_dsq, p, level, 0)
			scx_bpf_dsq_move(BPF_FOR_EACH_ITER, p, 0, 0);
	}
}

static void sample_queues(void)
{
	struct pcb_queue_stats *qs = pcb_qstats();
	u32 level;

	if (!qs)
		return;
	bpf_for (level, 0, nr_levels) {
		if (level >= MLFQ_MAX_LEVELS)
			break;
		qs->queued[level] = scx_bpf_dsq_nr_queued(level);
	}
}

void BPF_STRUCT_OPS(mlfq_dispatch, s32 cpu, struct task_struct *prev)
{
	u32 level;

	boost_if_due();
	sample_queues();
	bpf_for (level, 0, nr_levels) {
		if (scx_bpf_dsq_move_to_local(level)) {
			pcb_stat_inc(dispatched);
			return;
		}
	}
}

void BPF_STRUCT_OPS(mlfq_running, struct task_struct *p)
{
	struct pcb_task_view *t = pcb_task(p);
	struct pcb_queue_stats *qs = pcb_qstats();
	s32 cpu = scx_bpf_task_cpu(p);
	u32 level = 0;

	if (t) {
		level = current_level(t);
		pcb_mark_start(p, t);
	}
	if (cpu >= 0 && cpu < MLFQ_MAX_CPUS)
		cpu_level[cpu] = pcb_is_percpu_kthread(p) ? 0 : level;
	if (qs && level < MLFQ_MAX_LEVELS)
		__sync_fetch_and_add(&qs->runs[level], 1);
}

void BPF_STRUCT_OPS(mlfq_stopping, struct task_struct *p, bool runnable)
{
	struct pcb_task_view *t = pcb_task(p);
	s32 cpu = scx_bpf_task_cpu(p);

	if (t)
		charge(p, t);
	if (cpu >= 0 && cpu < MLFQ_MAX_CPUS)
		cpu_level[cpu] = MLFQ_IDLE;
}

/* A higher queue has waiters the running task is in the way of. */
static bool higher_waiting(u32 level)
{
	u32 l;

	bpf_for (l, 0, level) {
		if (scx_bpf_dsq_nr_queued(l))
			return true;
	}
	return false;
}

/*
 * Every tick: demote as soon as the allotment is spent, not only when the
 * task stops, and end the slice if a higher level waits (rule 5's
 * backstop for a lost kick).
 */
void BPF_STRUCT_OPS(mlfq_tick, struct task_struct *p)
{
	struct pcb_task_view *t = pcb_task(p);
	u32 before, after;

	if (!t || pcb_is_percpu_kthread(p))
		return;
	before = current_level(t);
	after = charge(p, t);
	if (after != before || (preempt && higher_waiting(after)))
		p->scx.slice = 0;
}

s32 BPF_STRUCT_OPS(mlfq_init_task, struct task_struct *p,
		   struct scx_init_task_args *args)
{
	struct pcb_task_view *t = pcb_task_create(p);

	if (!t)
		return -ENOMEM;
	t->boost_gen = READ_ONCE(boost_gen);
	t->level = 0;
	t->used_ns = 0;
	pcb_mark_start(p, t);
	return 0;
}

s32 BPF_STRUCT_OPS_SLEEPABLE(mlfq_init)
{
	struct pcb_queue_stats *qs = pcb_qstats();
	u32 level;
	s32 err;

	if (nr_levels < 1 || nr_levels > MLFQ_MAX_LEVELS)
		return -EINVAL;
	if (qs)
		qs->nr_queues = nr_levels;
	last_boost_ns = bpf_ktime_get_ns();
	bpf_for (level, 0, MLFQ_MAX_CPUS)
		cpu_level[level] = MLFQ_IDLE;
	bpf_for (level, 0, nr_levels) {
		err = scx_bpf_create_dsq(level, -1);
		if (err)
			return err;
	}
	return 0;
}

void BPF_STRUCT_OPS(mlfq_exit, struct scx_exit_info *ei)
{
	PCB_RECORD_EXIT(ei);
}

SEC(".struct_ops.link")
struct sched_ext_ops pcb_mlfq_ops = {
	.select_cpu = (void *)mlfq_select_cpu,
	.enqueue = (void *)mlfq_enqueue,
	.dispatch = (void *)mlfq_dispatch,
	.running = (void *)mlfq_running,
	.stopping = (void *)mlfq_stopping,
	.tick = (void *)mlfq_tick,
	.init_task = (void *)mlfq_init_task,
	.init = (void *)mlfq_init,
	.exit = (void *)mlfq_exit,
	.flags = SCX_OPS_ENQ_LAST,
	.name = "pcb_mlfq",
};
