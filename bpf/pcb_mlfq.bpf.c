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
 *     With --preempt 2 a task that wakes up also preempts a running task
 *     of its own level that has used more of the level's allotment, and
 *     goes to the head of its level. Since the level is fixed by the CPU
 *     used since the last boost, this is the same comparison as rule
 *     5's, carried into the level: the task with less CPU since the
 *     boost goes first. Without it, right after a boost
 *     (when every hog is back on top) a task that mostly sleeps waits a
 *     full slice behind each hog: one source of MLFQ's wake-up latency
 *     tail (the other was boosted hogs keeping their bottom-level slice).
 *     It cannot starve anyone: only a wake-up preempts, the waker's use
 *     grows while it runs, and the lead ends when it sinks or at the
 *     next boost.
 *     With --preempt 3 (the default) a waking task that preempts, at any level,
 *     also goes to the head of its level, and kicks its own CPU first if that
 *     CPU runs a task in its way. A kick only makes the victim pick again, from
 *     the head of the highest non-empty level: queued at the tail, the waker
 *     handed the CPU it freed to a task already waiting at its level (a hog the
 *     boost moved up, or one the tick preempted), and waited a slice more
 *     (measured in Documentation/pcbsched.rst). The tasks passed lose one turn,
 *     not their place, and did not preempt anyone themselves; the tick gives
 *     them the next CPU that runs a lower level. The waker's own CPU (the one
 *     select_cpu chose: where it last ran and its timer fired) is kicked by a
 *     reschedule at the end of the interrupt, not by an IPI to another CPU it
 *     then migrates to; EEVDF's wake-up preemption also looks at that CPU.
 *     Failing that, the CPU furthest behind is kicked.
 *
 * Defaults: 4 levels; the top slice is 4 ms, one tick at the usual
 * HZ=250 (sched_ext enforces slices at ticks, so a shorter one buys
 * nothing) and each level down doubles it (4/8/16/32 ms) so a CPU-bound
 * task pays fewer switches the longer it runs; the allotment is 4 slices
 * of the level (16 ms on top), so a hog reaches the bottom after 112 ms
 * of CPU; a boost every 500 ms then gives a bottom-level task at least
 * 16 ms of CPU per 500 ms under any stream of top-level work.
 *
 * nice: scales the slice within a level by the task's weight (nice 0 =
 * 1x, clamped to 1/4x..4x), so a nicer task gets shorter turns in the
 * same round robin. The allotment is not scaled: nice never lets a
 * CPU-bound task stay on top.
 *
 * Boosts come from a BPF timer, not from ops.dispatch(), which a CPU need
 * not call for a long time. They are lazy: a counter (boost_gen) is
 * bumped and every task compares it with the generation its level belongs
 * to the next time the policy looks at it; tasks waiting in lower queues
 * are moved to the top queue at the boost, with the top level's slice.
 *
 * Every task the policy has not placed itself is sent back to its level
 * as soon as another task starts on that CPU: sched_ext parks a task
 * preempted by a higher sched class (and a task that switches to
 * sched_ext while running) at the head of the CPU's local queue, out of
 * the levels' and the boost's reach; see unpark_local().
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
const volatile __u64 preempt = 3;

PCB_DEFINE_SHARED();

/*
 * Level of the task each CPU runs now (MLFQ_IDLE if none of ours) and how
 * much of that level's allotment it had used when last charged.
 */
#define MLFQ_IDLE 0xff
static u8 cpu_level[MLFQ_MAX_CPUS];
static u64 cpu_used[MLFQ_MAX_CPUS];

static u64 boost_gen;

/* Rule 4's clock: a BPF timer, so boosts do not wait for a dispatch. */
struct boost_timer {
	struct bpf_timer timer;
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, u32);
	__type(value, struct boost_timer);
} mlfq_boost_timer SEC(".maps");

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

/*
 * Does the task a CPU runs (@l, @used) stand in the way of a task at
 * @level that has used @want of it? Rule 5: a lower level always does. At
 * the same level, only for a waking task with --preempt 2 or more, and
 * only if the running one has used more of the allotment: after a boost,
 * or beside hogs that have not sunk yet, a task that mostly sleeps then
 * waits for no hog's slice, and nothing is starved by it, since the
 * waker's use grows as it runs and a boost or demotion ends its lead.
 */
static bool in_the_way(u32 l, u64 used, u32 level, u64 want, bool wakeup)
{
	if (l == MLFQ_IDLE || l < level)
		return false;
	if (l > level)
		return true;
	return wakeup && preempt >= 2 && used > want;
}

/*
 * Rule 5: find the CPU running the task furthest behind @p (lowest level,
 * then most allotment used) that @p may preempt; -1 if none. With
 * --preempt 3 a waking task takes its own CPU first if it may.
 */
static s32 preempt_victim(struct task_struct *p, u32 level, u64 want,
			  bool wakeup)
{
	s32 cpu, victim = -1;
	u32 worst = 0, nr = scx_bpf_nr_cpu_ids();
	u64 worst_used = 0;

	if (!preempt)
		return -1;
	cpu = scx_bpf_task_cpu(p);
	if (wakeup && preempt >= 3 && cpu >= 0 && cpu < MLFQ_MAX_CPUS &&
	    in_the_way(cpu_level[cpu], cpu_used[cpu], level, want, wakeup) &&
	    bpf_cpumask_test_cpu(cpu, p->cpus_ptr))
		return cpu;
	bpf_for (cpu, 0, nr) {
		u32 l;
		u64 used;

		if (cpu >= MLFQ_MAX_CPUS)
			break;
		l = cpu_level[cpu];
		used = cpu_used[cpu];
		if (!in_the_way(l, used, level, want, wakeup))
			continue;
		if (victim >= 0 &&
		    (l < worst || (l == worst && used <= worst_used)))
			continue;
		if (!bpf_cpumask_test_cpu(cpu, p->cpus_ptr))
			continue;
		worst = l;
		worst_used = used;
		victim = cpu;
	}
	return victim;
}

static void kick_victim(s32 victim)
{
	struct pcb_queue_stats *qs;

	if (victim < 0)
		return;
	scx_bpf_kick_cpu(victim, SCX_KICK_PREEMPT);
	qs = pcb_qstats();
	if (qs)
		__sync_fetch_and_add(&qs->preemptions, 1);
}

/*
 * Per-CPU kernel threads wait in a queue of their CPU's own, which that CPU
 * drains before the levels, not on its local queue: unpark_local() sends
 * the local queue back through ops.enqueue() each time a task starts, and
 * a kthread left there while a task preempted by a higher class resumes
 * again and again would count as re-enqueued without running, which the
 * kernel ends by ejecting the scheduler (SCX_REENQ_MAX_REPEAT).
 */
#define KTHREAD_DSQ_BASE (1ULL << 16)

static u64 kthread_dsq(s32 cpu)
{
	return KTHREAD_DSQ_BASE + cpu;
}

static void enqueue_kthread(struct task_struct *p, u64 enq_flags)
{
	s32 cpu = bpf_cpumask_first(p->cpus_ptr);

	scx_bpf_dsq_insert(p, kthread_dsq(cpu), task_slice(p, 0), enq_flags);
	scx_bpf_kick_cpu(cpu, SCX_KICK_IDLE);
}

s32 BPF_STRUCT_OPS(mlfq_select_cpu, struct task_struct *p, s32 prev_cpu,
		   u64 wake_flags)
{
	struct pcb_task_view *t = pcb_task_checked(p);
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
	struct pcb_task_view *t;
	s32 victim;
	u32 level;

	pcb_stat_inc(enqueued);
	if (pcb_is_percpu_kthread(p)) {
		enqueue_kthread(p, enq_flags);
		return;
	}
	t = pcb_task_checked(p);
	if (!t) {
		/* the policy is being ejected; the task must go somewhere */
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
	victim = preempt_victim(p, level, t->used_ns,
				enq_flags & SCX_ENQ_WAKEUP);
	/*
	 * A waker that preempts goes to the head of its level, or the kicked
	 * CPU would only pick the next in line (rule 5, --preempt 2 and 3).
	 */
	if (victim >= 0 && (cpu_level[victim] == level ||
			    (preempt >= 3 && (enq_flags & SCX_ENQ_WAKEUP))))
		enq_flags |= SCX_ENQ_HEAD;
	scx_bpf_dsq_insert(p, level, task_slice(p, level), enq_flags);
	kick_victim(victim);
}

/*
 * Rule 4: a new generation puts every task back on top (lazily, see
 * current_level()), and what waits below the top moves to the top queue
 * now, with the top level's slice rather than the one it queued with.
 */
static void boost(void)
{
	struct pcb_queue_stats *qs = pcb_qstats();
	struct task_struct *p;
	u64 moved = 0;
	u32 level;

	__sync_fetch_and_add(&boost_gen, 1);
	bpf_for (level, 1, nr_levels) {
		if (level >= MLFQ_MAX_LEVELS)
			break;
		bpf_for_each (scx_dsq, p, level, 0) {
			scx_bpf_dsq_move_set_slice(BPF_FOR_EACH_ITER,
						   task_slice(p, 0));
			if (scx_bpf_dsq_move(BPF_FOR_EACH_ITER, p, 0, 0))
				moved++;
		}
	}
	if (qs) {
		qs->boost_gen = boost_gen;
		__sync_fetch_and_add(&qs->boosted, moved);
	}
}

static int boost_timer_fn(void *map, int *key, struct bpf_timer *timer)
{
	boost();
	bpf_timer_start(timer, boost_ms * NSEC_PER_MSEC, 0);
	return 0;
}

static s32 start_boost_timer(void)
{
	struct boost_timer *bt;
	u32 zero = 0;
	s32 err;

	if (!boost_ms)
		return 0;
	bt = bpf_map_lookup_elem(&mlfq_boost_timer, &zero);
	if (!bt)
		return -ENOMEM;
	err = bpf_timer_init(&bt->timer, &mlfq_boost_timer, CLOCK_MONOTONIC);
	if (err)
		return err;
	err = bpf_timer_set_callback(&bt->timer, boost_timer_fn);
	if (err)
		return err;
	return bpf_timer_start(&bt->timer, boost_ms * NSEC_PER_MSEC, 0);
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

	sample_queues();
	if (scx_bpf_dsq_move_to_local(kthread_dsq(cpu), 0))
		return;
	bpf_for (level, 0, nr_levels) {
		if (scx_bpf_dsq_move_to_local(level, 0)) {
			pcb_stat_inc(dispatched);
			return;
		}
	}
}

static void note_cpu(s32 cpu, u32 level, u64 used)
{
	if (cpu < 0 || cpu >= MLFQ_MAX_CPUS)
		return;
	cpu_level[cpu] = level;
	cpu_used[cpu] = used;
}

/*
 * Tasks the kernel parks on a local queue bypass the levels: a task
 * preempted by a higher sched class waits at the head of its CPU's local
 * queue with the rest of its slice, and a task switching to sched_ext
 * while it runs is parked the same way, so a stream of tasks entering
 * sched_ext on one CPU stacks up there and keeps ops.dispatch() from
 * being called at all. Whenever a task starts running, send whatever else
 * waits on the local queue back through ops.enqueue() to its level.
 */
static void unpark_local(void)
{
	struct pcb_queue_stats *qs;
	s32 n = scx_bpf_dsq_nr_queued(SCX_DSQ_LOCAL);

	if (n <= 0)
		return;
	/*
	 * Before 6.19 the local queue could be re-enqueued only from
	 * ops.cpu_release(); there parked tasks wait for their CPU's next
	 * pick instead, as they did before this rule.
	 */
	if (scx_bpf_reenqueue_local_from_anywhere())
		return;
	qs = pcb_qstats();
	if (qs)
		__sync_fetch_and_add(&qs->unparked, n);
}

void BPF_STRUCT_OPS(mlfq_running, struct task_struct *p)
{
	struct pcb_task_view *t = pcb_task(p);
	struct pcb_queue_stats *qs = pcb_qstats();
	u32 level = 0;
	u64 used = 0;

	if (t) {
		level = current_level(t);
		used = t->used_ns;
		pcb_mark_start(p, t);
	}
	/* kernel work: nothing preempts it at the top level */
	if (pcb_is_percpu_kthread(p)) {
		level = 0;
		used = 0;
	}
	note_cpu(scx_bpf_task_cpu(p), level, used);
	if (qs && level < MLFQ_MAX_LEVELS)
		__sync_fetch_and_add(&qs->runs[level], 1);
	unpark_local();
}

void BPF_STRUCT_OPS(mlfq_stopping, struct task_struct *p, bool runnable)
{
	struct pcb_task_view *t = pcb_task(p);
	s32 cpu = scx_bpf_task_cpu(p);

	if (t)
		charge(p, t);
	note_cpu(cpu, MLFQ_IDLE, 0);
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
 * backstop for a lost kick). A task that a boost put back on top while
 * it ran gets the top level's slice from now on.
 */
void BPF_STRUCT_OPS(mlfq_tick, struct task_struct *p)
{
	struct pcb_task_view *t = pcb_task(p);
	u64 gen = READ_ONCE(boost_gen);
	u32 before, after;
	bool boosted;

	if (!t || pcb_is_percpu_kthread(p))
		return;
	boosted = t->boost_gen != gen && t->level > 0;
	before = current_level(t);
	after = charge(p, t);
	note_cpu(scx_bpf_task_cpu(p), after, t->used_ns);
	if (after != before || (preempt && higher_waiting(after)))
		p->scx.slice = 0;
	else if (boosted && p->scx.slice > task_slice(p, 0))
		p->scx.slice = task_slice(p, 0);
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
	s32 cpu;
	s32 err;

	if (nr_levels < 1 || nr_levels > MLFQ_MAX_LEVELS)
		return -EINVAL;
	if (qs)
		qs->nr_queues = nr_levels;
	bpf_for (level, 0, MLFQ_MAX_CPUS)
		cpu_level[level] = MLFQ_IDLE;
	bpf_for (level, 0, nr_levels) {
		err = scx_bpf_create_dsq(level, -1);
		if (err)
			return err;
	}
	bpf_for (cpu, 0, scx_bpf_nr_cpu_ids()) {
		err = scx_bpf_create_dsq(kthread_dsq(cpu), -1);
		if (err)
			return err;
	}
	return start_boost_timer();
}

PCB_EXIT_OP(mlfq)

SCX_OPS_DEFINE(pcb_mlfq_ops, .select_cpu = (void *)mlfq_select_cpu,
	       .enqueue = (void *)mlfq_enqueue,
	       .dispatch = (void *)mlfq_dispatch,
	       .running = (void *)mlfq_running,
	       .stopping = (void *)mlfq_stopping, .tick = (void *)mlfq_tick,
	       .init_task = (void *)mlfq_init_task, .init = (void *)mlfq_init,
	       .exit = (void *)mlfq_exit, .flags = SCX_OPS_ENQ_LAST,
	       .name = "pcb_mlfq")
