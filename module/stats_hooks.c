// SPDX-License-Identifier: GPL-2.0
/*
 * Scheduler tracepoints drive the five-state model of every thread:
 *
 *   new to ready:       sched_wakeup_new
 *   ready to running:   sched_switch, as next (a dispatch)
 *   running to ready:   sched_switch, as prev, still runnable (a preempt)
 *   running to blocked: sched_switch, as prev, asleep (a block)
 *   blocked to ready:   sched_wakeup
 *   running to exit:    sched_switch, as prev, TASK_DEAD
 *
 * The sched_* tracepoints are not exported to modules, so they are found by
 * name with for_each_kernel_tracepoint(). Probes run with IRQs off and the
 * runqueue lock held: they only touch preallocated slots and per-CPU
 * counters, never sleep, allocate or print.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kernel.h>
#include <linux/percpu.h>
#include <linux/sched/signal.h>
#include <linux/string.h>
#include <linux/tracepoint.h>

#include "stats.h"

/*
 * The slot of the task each CPU switched in last, which is the task the
 * CPU switches out next: one table lookup per switch instead of two. It
 * is only a hint, checked against the key, so a switch the probes missed
 * (while they were being registered) or an untracked task costs a lookup,
 * never a wrong slot.
 */
static DEFINE_PER_CPU(struct pcbstat_slot *, running_slot);

static struct pcbstat_slot *running_slot_of(struct task_struct *prev,
					    u64 now)
{
	struct pcbstat_slot *s = this_cpu_read(running_slot);

	if (likely(s && READ_ONCE(s->key) == (unsigned long)prev))
		return s;
	return pcbstat_slot_get(prev, PCBSTAT_UNSEEN, now);
}

static void slot_add_time(struct pcbstat_slot *s, u64 now)
{
	static const int counter_of_state[] = {
		[PCBSTAT_READY] = PCBSTAT_READY_NS,
		[PCBSTAT_RUNNING] = PCBSTAT_RUNNING_NS,
		[PCBSTAT_BLOCKED] = PCBSTAT_BLOCKED_NS,
	};

	/* Monotonic fast ns may step back a little between CPUs. */
	if (s->state >= PCBSTAT_READY && s->state <= PCBSTAT_BLOCKED &&
	    now > s->since)
		s->cnt[counter_of_state[s->state]] += now - s->since;
	s->since = now;
}

/* What ran after prev decides what the switch cost. */
static enum pcbstat_counter switch_class(struct task_struct *prev,
					 struct task_struct *next)
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
static void slot_fold(struct task_struct *p, struct pcbstat_slot *s)
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

static void switch_out(bool preempt, struct task_struct *prev,
		       struct task_struct *next, unsigned int prev_state,
		       u64 now)
{
	enum pcbstat_counter class = switch_class(prev, next);
	struct pcbstat_slot *s;

	pcbstat_cpu_count(class);
	if (is_idle_task(prev))
		return;
	s = running_slot_of(prev, now);
	if (!s)
		return;
	s->cnt[class]++;
	slot_add_time(s, now);
	if (prev_state == TASK_DEAD) {
		s->state = PCBSTAT_EXIT;
		slot_fold(prev, s);
	} else if (!preempt && READ_ONCE(prev->__state) != TASK_RUNNING) {
		/* A pending signal turns a sleep back into TASK_RUNNING. */
		s->state = PCBSTAT_BLOCKED;
		s->cnt[PCBSTAT_BLOCKS]++;
	} else {
		s->state = PCBSTAT_READY;
		s->cnt[PCBSTAT_PREEMPTS]++;
	}
}

static void switch_in(struct task_struct *next, u64 now)
{
	struct pcbstat_slot *s = NULL;

	if (!is_idle_task(next))
		s = pcbstat_slot_get(next, PCBSTAT_UNSEEN, now);
	this_cpu_write(running_slot, s);
	if (!s)
		return;
	slot_add_time(s, now);
	s->state = PCBSTAT_RUNNING;
	s->cnt[PCBSTAT_DISPATCHES]++;
	if (!(s->flags & PCBSTAT_SLOT_RAN)) {
		s->response_ns = now > s->born ? now - s->born : 0;
		s->flags |= PCBSTAT_SLOT_RAN;
	}
}

/* The time of this switch (see PCBSTAT_SWITCH_STAMPED in compat.h). */
static u64 switch_now(const struct task_struct *prev,
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

static void probe_switch(void *data, bool preempt, struct task_struct *prev,
			 struct task_struct *next, unsigned int prev_state)
{
	u64 now = switch_now(prev, next);

	switch_out(preempt, prev, next, prev_state, now);
	switch_in(next, now);
}

static void probe_wakeup(void *data, struct task_struct *p)
{
	struct pcbstat_slot *s = pcbstat_slot_find(p);
	u64 now;

	/*
	 * A wakeup that beat the sleeper to schedule() changes nothing, and
	 * needs no clock read.
	 */
	if (s && s->state != PCBSTAT_BLOCKED && s->state != PCBSTAT_UNSEEN)
		return;
	now = pcbstat_now();
	if (!s)
		s = pcbstat_slot_get(p, PCBSTAT_UNSEEN, now);
	if (!s)
		return;
	slot_add_time(s, now);
	s->state = PCBSTAT_READY;
	s->cnt[PCBSTAT_WAKEUPS]++;
}

static void probe_wakeup_new(void *data, struct task_struct *p)
{
	u64 now = pcbstat_now();
	struct pcbstat_slot *s;

	s = pcbstat_slot_get(p, PCBSTAT_NEW, now);
	if (!s)
		return;
	s->state = PCBSTAT_READY;
	s->since = now;
}

static void probe_fork(void *data, struct task_struct *parent,
		       struct task_struct *child)
{
	struct pcbstat_slot *s;

	s = pcbstat_slot_get(child, PCBSTAT_NEW, pcbstat_now());
	if (s)
		s->flags |= PCBSTAT_SLOT_FORKED;
}

/* Runs in the exiting thread, which keeps its leader from being reaped. */
static void probe_exit(void *data, PCBSTAT_EXIT_PROBE_ARGS)
{
	struct task_struct *leader = p->group_leader;
	u64 now = pcbstat_now();
	struct pcbstat_slot *s;

	s = pcbstat_slot_get(p, PCBSTAT_UNSEEN, now);
	if (!s)
		return;
	s->lead = pcbstat_slot_get(leader, PCBSTAT_UNSEEN, now);
	s->lead_key = (unsigned long)leader;
	s->proc_start_ns = leader->start_time;
	memcpy(s->proc_comm, leader->comm, sizeof(s->proc_comm));
	s->proc_comm[sizeof(s->proc_comm) - 1] = '\0';
	if (PCBSTAT_EXIT_GROUP_DEAD(p))
		s->flags |= PCBSTAT_SLOT_GROUP_DEAD;
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
	{ "sched_wakeup", probe_wakeup },
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
