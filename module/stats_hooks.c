// SPDX-License-Identifier: GPL-2.0
/*
 * Scheduler tracepoints drive the five-state model of every thread:
 *
 *   new to ready:       sched_wakeup_new
 *   ready to running:   sched_switch, as prev (from its last_arrival)
 *   blocked to ready:   sched_switch, as prev (from its run_delay)
 *   running to ready:   sched_switch, as prev, still runnable (a preempt)
 *   running to blocked: sched_switch, as prev, asleep (a block)
 *   running to exit:    sched_switch, as prev, TASK_DEAD
 *
 * stats_states.h says why one probe, on the thread leaving the CPU, can
 * settle a whole cycle. The sched_* tracepoints are not exported to
 * modules, so they are found by name with for_each_kernel_tracepoint().
 * Probes run with IRQs off and the runqueue lock held: they only touch
 * preallocated slots and per-CPU counters, never sleep, allocate or print.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/cred.h>
#include <linux/kernel.h>
#include <linux/percpu.h>
#include <linux/pid_namespace.h>
#include <linux/rcupdate.h>
#include <linux/sched/signal.h>
#include <linux/string.h>
#include <linux/tracepoint.h>

#include "stats.h"
#include "stats_states.h"

/* What ran after prev decides what the switch cost. */
static __always_inline enum pcbstat_counter
switch_class(const struct task_struct *prev, const struct task_struct *next)
{
	if ((next->flags & PF_KTHREAD) || !next->mm)
		return PCBSTAT_SW_KERNEL;
	if (prev->mm == next->mm)
		return PCBSTAT_SW_THREAD;
	return PCBSTAT_SW_PROCESS;
}

/*
 * A dead thread's figures move to its leader's dead[] so that process
 * totals survive the thread; the last thread also leaves a record in the
 * exited ring. By the final switch the leader may have been reaped and
 * freed, so only what sched_process_exit saved is used, and the leader's
 * slot only if it still belongs to the same leader.
 */
static noinline void slot_fold(struct task_struct *p, struct pcbstat_slot *s)
{
	struct pcbstat_slot *lead = s->lead;
	int c;

	if (!lead || READ_ONCE(lead->key) != s->lead_key)
		return;
	for (c = 0; c < PCBSTAT_NR_COUNTERS; c++)
		atomic64_add(s->cnt[c], &lead->dead[c]);
	/* Pairs with the reader's acquire: FOLDED implies dead[] is summed. */
	smp_store_release(&s->flags, s->flags | PCBSTAT_SLOT_FOLDED);
	if (s->flags & PCBSTAT_SLOT_GROUP_DEAD)
		pcbstat_exited_record(p, s, lead);
}

/* prev's cycle since it last left a CPU: dispatched, ran, and now left. */
static __always_inline void switch_out(struct pcbstat_slot *s, bool preempt,
				       struct task_struct *prev,
				       unsigned int prev_state,
				       enum pcbstat_counter class, u64 now)
{
	s->cnt[class]++;
	if (unlikely(s->state == PCBSTAT_READY &&
		     !slot_dispatched_since(s, prev)))
		slot_ran_unstamped(s, prev, now);
	else
		slot_dispatched(s, prev, now);
	slot_add_time(s, now);
	s->dispatch_mark = pcbstat_dispatches(prev);
	/* Where the next wait, or the wakeup's, is measured from. */
	s->queued_mark = pcbstat_queued_ns(prev, now);
	if (unlikely(prev_state == TASK_DEAD)) {
		s->state = PCBSTAT_EXIT;
		slot_fold(prev, s);
	} else if (!preempt && READ_ONCE(prev->__state) != TASK_RUNNING) {
		/* A pending signal turns a sleep back into TASK_RUNNING. */
		s->state = PCBSTAT_BLOCKED;
		s->cnt[PCBSTAT_BLOCKS]++;
	} else {
		s->state = PCBSTAT_READY;
		s->cnt[PCBSTAT_PREEMPTS]++;
		s->exec_mark = READ_ONCE(prev->se.sum_exec_runtime);
	}
}

/* The time of this switch (see PCBSTAT_SWITCH_STAMPED in compat.h). */
static __always_inline u64 switch_now(const struct task_struct *prev,
				      const struct task_struct *next)
{
#ifdef PCBSTAT_SWITCH_STAMPED
	/* The later stamp is the pick's: prev's may predate a dequeue. */
	return max(READ_ONCE(prev->se.exec_start),
		   READ_ONCE(next->se.exec_start));
#else
	return pcbstat_now();
#endif
}

/*
 * One function with everything inlined but the rare paths: under an
 * emulator every call and every further page of code or data a switch
 * touches is paid on each switch.
 */
static void probe_switch(void *data, bool preempt, struct task_struct *prev,
			 struct task_struct *next, unsigned int prev_state)
{
	enum pcbstat_counter class = switch_class(prev, next);
	struct pcbstat_cpu_totals *cpu = this_cpu_ptr(&pcbstat_cpu_totals);
	struct pcbstat_slot *s;
	u64 now;

	cpu->sw[class]++;
	if (unlikely(is_idle_task(prev)))
		return;
	now = switch_now(prev, next);
	s = pcbstat_slot_get_in(&cpu->table, prev, PCBSTAT_UNSEEN, now);
	if (likely(s)) {
		pcbstat_slot_write_begin(s);
		switch_out(s, preempt, prev, prev_state, class, now);
		pcbstat_slot_write_end(s);
	}
}

static void probe_wakeup_new(void *data, struct task_struct *p)
{
	u64 now = READ_ONCE(p->sched_info.last_queued) ?: pcbstat_now();
	struct pcbstat_slot *s;

	s = pcbstat_slot_get(p, PCBSTAT_NEW, now);
	if (!s)
		return;
	pcbstat_slot_write_begin(s);
	s->state = PCBSTAT_READY;
	s->since = now;
	pcbstat_slot_write_end(s);
}

static void probe_fork(void *data, struct task_struct *parent,
		       struct task_struct *child)
{
	struct pcbstat_slot *s;

	s = pcbstat_slot_get(child, PCBSTAT_NEW, pcbstat_now());
	if (!s)
		return;
	pcbstat_slot_write_begin(s);
	s->flags |= PCBSTAT_SLOT_FORKED;
	pcbstat_slot_write_end(s);
}

/*
 * What the exited ring will say of p's process, in the two namespaces it
 * is shown in. p is current and still has its pids: do_exit() has not
 * yet reached exit_notify(), where a reap may take them.
 */
static void exit_ids(struct task_struct *p, struct pcbstat_slot *s)
{
	struct pid_namespace *ns = task_active_pid_ns(p);
	struct task_struct *parent;

	s->exit_pid = task_tgid_nr_ns(p, &init_pid_ns);
	s->exit_ns_pid = task_tgid_nr_ns(p, ns);
	rcu_read_lock();
	parent = rcu_dereference(p->real_parent);
	s->exit_ppid = task_tgid_nr_ns(parent, &init_pid_ns);
	s->exit_ns_ppid = task_tgid_nr_ns(parent, ns);
	rcu_read_unlock();
	s->exit_ns_id = pcbstat_pid_ns_id(ns);
	s->exit_uid = task_uid(p);
}

/* Runs in the exiting thread, which keeps its leader from being reaped. */
static void probe_exit(void *data, PCBSTAT_EXIT_PROBE_ARGS)
{
	struct task_struct *leader = p->group_leader;
	bool last = PCBSTAT_EXIT_GROUP_DEAD(p);
	u64 now = pcbstat_now();
	struct pcbstat_slot *s, *lead;

	s = pcbstat_slot_get(p, PCBSTAT_UNSEEN, now);
	if (!s)
		return;
	/* A claim of the leader's slot nests no write section in this one. */
	lead = pcbstat_slot_get(leader, PCBSTAT_UNSEEN, now);
	pcbstat_slot_write_begin(s);
	s->lead = lead;
	s->lead_key = (unsigned long)leader;
	s->proc_start_ns = leader->start_time;
	memcpy(s->proc_comm, leader->comm, sizeof(s->proc_comm));
	s->proc_comm[sizeof(s->proc_comm) - 1] = '\0';
	if (last) {
		s->flags |= PCBSTAT_SLOT_GROUP_DEAD;
		exit_ids(p, s);
	}
	pcbstat_slot_write_end(s);
}

/* Runs from an RCU callback, before the task_struct can be freed. */
static void probe_free(void *data, struct task_struct *p)
{
	pcbstat_slot_release(p);
}

struct pcbstat_hook {
	const char *name;
	void *probe;
	struct tracepoint *tp;
};

static struct pcbstat_hook hooks[] = {
	{ "sched_process_fork", probe_fork },
	{ "sched_wakeup_new", probe_wakeup_new },
	{ "sched_switch", probe_switch },
	{ "sched_process_exit", probe_exit },
	{ "sched_process_free", probe_free },
};

static void find_hook(struct tracepoint *tp, void *priv)
{
	int i;

	for (i = 0; i < ARRAY_SIZE(hooks); i++)
		if (!strcmp(tp->name, hooks[i].name))
			hooks[i].tp = tp;
}

static void unregister_hooks(int n)
{
	while (n--)
		tracepoint_probe_unregister(hooks[n].tp, hooks[n].probe, NULL);
	/* No probe may still be running when the slots are freed. */
	tracepoint_synchronize_unregister();
}

int pcbstat_hooks_init(void)
{
	int i, err;

	for_each_kernel_tracepoint(find_hook, NULL);
	for (i = 0; i < ARRAY_SIZE(hooks); i++) {
		if (!hooks[i].tp) {
			pr_err("tracepoint %s not found\n", hooks[i].name);
			err = -ENOENT;
			goto err_unregister;
		}
		err = tracepoint_probe_register(hooks[i].tp, hooks[i].probe,
						NULL);
		if (err)
			goto err_unregister;
	}
	return 0;

err_unregister:
	unregister_hooks(i);
	return err;
}

void pcbstat_hooks_exit(void)
{
	unregister_hooks(ARRAY_SIZE(hooks));
}
