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

static const int hook_fields[PCBSTAT_NR_COUNTERS] = {
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
};

static u64 *hook_field(struct pcbstat_task *t, int c)
{
	return (u64 *)((char *)t + hook_fields[c]);
}

static void set_hook_fields(struct pcbstat_task *t, u64 v)
{
	int c;

	for (c = 0; c < PCBSTAT_NR_COUNTERS; c++)
		*hook_field(t, c) = v;
	t->response_ns = v;
}

/* A live thread's counters, with the state it is in counted up to now. */
static void add_slot(struct pcbstat_task *t, const struct pcbstat_slot *s,
		     u64 now)
{
	u32 state = READ_ONCE(s->state);
	u64 since = READ_ONCE(s->since);
	int c;

	for (c = 0; c < PCBSTAT_NR_COUNTERS; c++)
		*hook_field(t, c) += READ_ONCE(s->cnt[c]);
	if (now <= since)
		return;
	if (state == PCBSTAT_READY)
		t->ready_ns += now - since;
	else if (state == PCBSTAT_RUNNING)
		t->running_ns += now - since;
	else if (state == PCBSTAT_BLOCKED)
		t->blocked_ns += now - since;
}

static void add_dead(struct pcbstat_task *t, struct pcbstat_slot *lead)
{
	int c;

	for (c = 0; c < PCBSTAT_NR_COUNTERS; c++)
		*hook_field(t, c) += atomic64_read(&lead->dead[c]);
}

static u64 response_of(const struct pcbstat_slot *s)
{
	u32 flags = READ_ONCE(s->flags);

	if (!(flags & PCBSTAT_SLOT_FORKED) || !(flags & PCBSTAT_SLOT_RAN))
		return PCBSTAT_UNKNOWN;
	return s->response_ns;
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
	t->turnaround_ns = mono_now > p->start_time ? mono_now - p->start_time : 0;
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

static void begin(struct pcbstat_task *t, u32 flags)
{
	memset(t, 0, sizeof(*t));
	t->size = sizeof(*t);
	t->flags = flags;
}

static void hide_if_gated(struct task_struct *p, struct pcbstat_task *t)
{
	if (pcbstat_may_read(p))
		return;
	set_hook_fields(t, PCBSTAT_UNKNOWN);
	t->flags |= PCBSTAT_F_HIDDEN;
}

/*
 * Process totals the way getrusage(RUSAGE_SELF) and the sum of
 * /proc/<pid>/task/<tid>/schedstat see them: the signal struct keeps what
 * exited threads did, the live threads the rest.
 */
void pcbstat_gather_process(struct task_struct *leader,
			    struct pid_namespace *ns, u64 mono_now,
			    struct pcbstat_task *t)
{
	struct pcbstat_slot *lead = pcbstat_slot_find(leader);
	u64 now = pcbstat_now();
	struct signal_struct *sig;
	struct task_struct *th;

	begin(t, 0);
	fill_identity(leader, ns, mono_now, t);
	rcu_read_lock();
	sig = leader->signal;
	t->nvcsw = READ_ONCE(sig->nvcsw);
	t->nivcsw = READ_ONCE(sig->nivcsw);
	for_each_thread(leader, th) {
		struct pcbstat_slot *s;

		/*
		 * Most processes have one thread: look the leader up once,
		 * and trust that lookup while the slot is still its own.
		 */
		if (th == leader && lead &&
		    READ_ONCE(lead->key) == (unsigned long)leader)
			s = lead;
		else
			s = pcbstat_slot_find(th);

		t->nvcsw += READ_ONCE(th->nvcsw);
		t->nivcsw += READ_ONCE(th->nivcsw);
		t->run_ns += READ_ONCE(th->se.sum_exec_runtime);
		t->wait_ns += READ_ONCE(th->sched_info.run_delay);
		/* Pairs with slot_fold(): a folded thread is in dead[]. */
		if (s && !(smp_load_acquire(&s->flags) & PCBSTAT_SLOT_FOLDED))
			add_slot(t, s, now);
	}
	rcu_read_unlock();
	/*
	 * Hook figures count from load: a process with no slot yet has not
	 * been scheduled since, which is zero, not unknown. Its response
	 * time is known only if the module saw it fork.
	 */
	t->response_ns = PCBSTAT_UNKNOWN;
	if (lead) {
		add_dead(t, lead);
		t->response_ns = response_of(lead);
	}
	fill_rss(leader, t);
	hide_if_gated(leader, t);
}

void pcbstat_gather_thread(struct task_struct *p, struct pid_namespace *ns,
			   u64 mono_now, struct pcbstat_task *t)
{
	struct pcbstat_slot *s = pcbstat_slot_find(p);

	begin(t, PCBSTAT_F_THREAD);
	fill_identity(p, ns, mono_now, t);
	t->nvcsw = READ_ONCE(p->nvcsw);
	t->nivcsw = READ_ONCE(p->nivcsw);
	t->run_ns = READ_ONCE(p->se.sum_exec_runtime);
	t->wait_ns = READ_ONCE(p->sched_info.run_delay);
	t->response_ns = PCBSTAT_UNKNOWN;
	if (s) {
		add_slot(t, s, pcbstat_now());
		t->response_ns = response_of(s);
	}
	fill_rss(p, t);
	hide_if_gated(p, t);
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
