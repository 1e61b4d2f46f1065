// SPDX-License-Identifier: GPL-2.0
/*
 * Turning a task into a struct pcbstat_task record: task_struct fields for
 * what the kernel keeps itself, slots for what only the hooks can see.
 * Callers hold a reference on the task and no locks; RCU is taken here
 * only around thread walks, never across anything that copies to user
 * space or sleeps. Callers read CLOCK_MONOTONIC (mono_now, for turnaround)
 * once per batch of records: the clocksource can be slow to read.
 */
#include <linux/cred.h>
#include <linux/mm.h>
#include <linux/pid.h>
#include <linux/rcupdate.h>
#include <linux/sched/mm.h>
#include <linux/sched/signal.h>
#include <linux/string.h>
#include <linux/uidgid.h>

#include "stats.h"
#include "stats_states.h"

static const int hook_fields[PCBSTAT_WAIT_HIST] = {
	[PCBSTAT_SW_THREAD] = offsetof(struct pcbstat_task, sw_thread),
	[PCBSTAT_SW_PROCESS] = offsetof(struct pcbstat_task, sw_process),
	[PCBSTAT_SW_KERNEL] = offsetof(struct pcbstat_task, sw_kernel),
	[PCBSTAT_DISPATCHES] = offsetof(struct pcbstat_task, dispatches),
	[PCBSTAT_PREEMPTS] = offsetof(struct pcbstat_task, preempts),
	[PCBSTAT_BLOCKS] = offsetof(struct pcbstat_task, blocks),
	[PCBSTAT_WAKEUPS] = offsetof(struct pcbstat_task, wakeups),
	[PCBSTAT_READY_NS] = offsetof(struct pcbstat_task, ready_ns),
	[PCBSTAT_RUNNING_NS] = offsetof(struct pcbstat_task, running_ns),
	[PCBSTAT_BLOCKED_NS] = offsetof(struct pcbstat_task, blocked_ns),
	[PCBSTAT_WAIT_SUM_NS] = offsetof(struct pcbstat_task, wait_hist_sum_ns),
};

/* The field of @t that counter @c of a slot fills. */
u64 *pcbstat_hook_field(struct pcbstat_task *t, enum pcbstat_counter c)
{
	if (c >= PCBSTAT_WAIT_HIST)
		return &t->wait_hist[c - PCBSTAT_WAIT_HIST];
	return (u64 *)((char *)t + hook_fields[c]);
}

/* Every figure the probes make, set to @v (PCBSTAT_UNKNOWN, say). */
void pcbstat_set_hook_fields(struct pcbstat_task *t, u64 v)
{
	int c;

	for (c = 0; c < PCBSTAT_NR_COUNTERS; c++)
		*pcbstat_hook_field(t, c) = v;
	t->response_ns = v;
}

/*
 * Whether p, last seen by the probes going to sleep, has been woken since.
 * Its __state says so from the wakeup on (TASK_WAKING, then TASK_RUNNING),
 * and stays asleep while a delayed dequeue completes. on_rq does not: that
 * dequeue clears sched_delayed before on_rq, and a reader between the two
 * stores saw a queued, undelayed task and counted a wakeup that a later
 * read took back (caught by selftests/pcbstat/churn_readers on 6.12).
 */
static bool woken_since_block(const struct task_struct *p)
{
	unsigned int state = READ_ONCE(p->__state);

	return state == TASK_RUNNING || state == TASK_WAKING;
}

/*
 * The figures of p's slot @s brought up to @now, in @v; false if @s is no
 * longer p's (p was reaped and the slot claimed again). The slot holds the
 * thread as it last left a CPU, and the scheduler's sched_info tells what
 * happened since, the way the probe will settle it (stats_states.h).
 */
static bool slot_as_of(struct pcbstat_slot *v, const struct pcbstat_slot *s,
		       const struct task_struct *p, u64 now)
{
	bool woken;

	if (!pcbstat_slot_read(s, (unsigned long)p, v))
		return false;
	if (v->state == PCBSTAT_EXIT)
		return true;
	woken = v->state == PCBSTAT_BLOCKED && woken_since_block(p);
	/*
	 * p may be woken, dispatched and asleep again between two loads of
	 * a reader the host has descheduled: __state first, then pcount,
	 * which that dispatch bumped before p could run and sleep, so an
	 * asleep p with an unchanged pcount was not woken in between.
	 */
	smp_rmb();
	if (slot_dispatched_since(v, p))
		slot_dispatched(v, p, now);
	else if (woken)
		slot_woken(v, p, now);
	slot_add_time(v, now);
	return true;
}

/* The exited threads of leader's process, if the slot is still its own. */
static void add_dead(struct pcbstat_task *t, const struct pcbstat_slot *lead,
		     const struct task_struct *leader)
{
	u64 dead[PCBSTAT_NR_COUNTERS];
	int c;

	if (!pcbstat_slot_read_dead(lead, (unsigned long)leader, dead))
		return;
	for (c = 0; c < PCBSTAT_NR_COUNTERS; c++)
		*pcbstat_hook_field(t, c) += dead[c];
}

/* Of a copy made by pcbstat_slot_read(). */
static u64 response_of(const struct pcbstat_slot *v)
{
	if (!(v->flags & PCBSTAT_SLOT_FORKED) || !(v->flags & PCBSTAT_SLOT_RAN))
		return PCBSTAT_UNKNOWN;
	return v->response_ns;
}

static void add_counts(struct pcbstat_task *t, const struct pcbstat_slot *v)
{
	int c;

	for (c = 0; c < PCBSTAT_NR_COUNTERS; c++)
		*pcbstat_hook_field(t, c) += v->cnt[c];
}

static void fill_identity(struct task_struct *p, struct pid_namespace *ns,
			  u64 mono_now, struct pcbstat_task *t)
{
	struct task_struct *parent;

	t->pid = task_tgid_nr_ns(p, ns);
	/* A process record's tid is its pid: the leader's, one lookup less. */
	t->tid = thread_group_leader(p) ? t->pid : task_pid_nr_ns(p, ns);
	rcu_read_lock();
	parent = pid_alive(p) ? rcu_dereference(p->real_parent) : NULL;
	t->ppid = parent ? task_tgid_nr_ns(parent, ns) : 0;
	rcu_read_unlock();
	t->uid = from_kuid_munged(current_user_ns(), task_uid(p));
	t->state = task_state_to_char(p);
	t->threads = get_nr_threads(p);
	t->policy = p->policy;
	t->nice = task_nice(p);
	t->prio = pcbstat_prio(p);
	t->cpu = task_cpu(p);
	t->start_ns = p->start_time;
	t->turnaround_ns = mono_now > p->start_time ?
			   mono_now - p->start_time : 0;
	get_task_comm(t->comm, p);
}

/*
 * exit_mm() clears p->mm under task_lock() before it drops the task's
 * reference, so under the lock the mm stays: no mmget()/mmput() pair of
 * atomics per row. Kernel threads only borrow an mm, like get_task_mm().
 */
static void fill_rss(struct task_struct *p, struct pcbstat_task *t)
{
	struct mm_struct *mm;

	if (p->flags & PF_KTHREAD)
		return;
	task_lock(p);
	mm = p->mm;
	if (mm)
		t->rss_kb = get_mm_rss(mm) << (PAGE_SHIFT - 10);
	task_unlock(p);
}

/*
 * A task reaped while its record was made has lost its pids, which then
 * read 0: the record names no one, and is left out as if the task had
 * gone a moment earlier. The ids are read before the figures, so a task
 * with ids has figures of its own (its slot is checked on its own).
 */
static bool still_listed(const struct pcbstat_task *t)
{
	return t->pid && t->tid;
}

/* A zeroed record of this ABI version. */
void pcbstat_task_begin(struct pcbstat_task *t, u32 flags)
{
	memset(t, 0, sizeof(*t));
	t->size = sizeof(*t);
	t->flags = flags;
	t->wait_hist_shift = PCBSTAT_WAIT_HIST_SHIFT;
	t->wait_hist_buckets = PCBSTAT_WAIT_HIST_BUCKETS;
}

static void hide_if_gated(struct task_struct *p, struct pcbstat_task *t)
{
	if (pcbstat_may_read(p))
		return;
	pcbstat_set_hook_fields(t, PCBSTAT_UNKNOWN);
	t->flags |= PCBSTAT_F_HIDDEN;
}

/*
 * Process totals the way getrusage(RUSAGE_SELF) and the sum of
 * /proc/<pid>/task/<tid>/schedstat see them: the signal struct keeps what
 * exited threads did, the live threads the rest.
 */
bool pcbstat_gather_process(struct task_struct *leader,
			    struct pid_namespace *ns, u64 mono_now,
			    struct pcbstat_task *t)
{
	struct pcbstat_slot *lead = pcbstat_slot_find(leader);
	u64 now = pcbstat_now();
	struct signal_struct *sig;
	struct task_struct *th;

	pcbstat_task_begin(t, 0);
	fill_identity(leader, ns, mono_now, t);
	rcu_read_lock();
	sig = leader->signal;
	t->nvcsw = READ_ONCE(sig->nvcsw);
	t->nivcsw = READ_ONCE(sig->nivcsw);
	t->response_ns = PCBSTAT_UNKNOWN;
	pcbstat_for_each_thread(leader, th) {
		/* Most processes have one thread: the leader's is looked up. */
		struct pcbstat_slot *s = th == leader ? lead :
					 pcbstat_slot_find(th);
		struct pcbstat_slot v;

		t->nvcsw += READ_ONCE(th->nvcsw);
		t->nivcsw += READ_ONCE(th->nivcsw);
		t->run_ns += READ_ONCE(th->se.sum_exec_runtime);
		t->wait_ns += READ_ONCE(th->sched_info.run_delay);
		if (!s || !slot_as_of(&v, s, th, now))
			continue;
		/* An exited leader's slot still has its response time. */
		if (th == leader)
			t->response_ns = response_of(&v);
		/*
		 * A folded thread is in dead[]: slot_fold() adds to dead[]
		 * before it sets FOLDED, and the read's barrier orders this
		 * flag before add_dead() reads dead[].
		 */
		if (!(v.flags & PCBSTAT_SLOT_FOLDED))
			add_counts(t, &v);
	}
	rcu_read_unlock();
	/*
	 * Hook figures count from load: a process with no slot yet has not
	 * been scheduled since, which is zero, not unknown. Its response
	 * time is known only if the module saw it fork. The caller's
	 * reference keeps leader's address from a new task, so a slot that
	 * still has it as key is leader's, and one that lost it was
	 * released (the leader reaped) with its dead[] gone to no one.
	 */
	if (lead)
		add_dead(t, lead, leader);
	fill_rss(leader, t);
	hide_if_gated(leader, t);
	return still_listed(t);
}

bool pcbstat_gather_thread(struct task_struct *p, struct pid_namespace *ns,
			   u64 mono_now, struct pcbstat_task *t)
{
	struct pcbstat_slot *s = pcbstat_slot_find(p);
	struct pcbstat_slot v;

	pcbstat_task_begin(t, PCBSTAT_F_THREAD);
	fill_identity(p, ns, mono_now, t);
	t->nvcsw = READ_ONCE(p->nvcsw);
	t->nivcsw = READ_ONCE(p->nivcsw);
	t->run_ns = READ_ONCE(p->se.sum_exec_runtime);
	t->wait_ns = READ_ONCE(p->sched_info.run_delay);
	t->response_ns = PCBSTAT_UNKNOWN;
	if (s && slot_as_of(&v, s, p, pcbstat_now())) {
		add_counts(t, &v);
		t->response_ns = response_of(&v);
	} else if (s) {
		/*
		 * Reaped while we looked, its slot already someone else's:
		 * its figures are gone, which is unknown, not zero.
		 */
		pcbstat_set_hook_fields(t, PCBSTAT_UNKNOWN);
	}
	fill_rss(p, t);
	hide_if_gated(p, t);
	return still_listed(t);
}

/*
 * The first process (or thread) whose pid in @ns is at least *nr, with a
 * reference held; *nr becomes its pid. Walking pid numbers the way /proc
 * readdir does lets a reader drop RCU between records and resume.
 */
struct task_struct *pcbstat_next_task(struct pid_namespace *ns, int *nr,
				      bool threads)
{
	enum pid_type type = threads ? PIDTYPE_PID : PIDTYPE_TGID;
	struct task_struct *task = NULL;
	struct pid *pid;

	rcu_read_lock();
	while ((pid = find_ge_pid(*nr, ns))) {
		*nr = pid_nr_ns(pid, ns);
		task = pid_task(pid, type);
		if (task) {
			get_task_struct(task);
			break;
		}
		(*nr)++;
	}
	rcu_read_unlock();
	return task;
}
