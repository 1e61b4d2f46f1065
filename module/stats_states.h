/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The five-state model's transitions on a slot, for the one probe that
 * sees them and for the readers.
 *
 * Only the switch away from a CPU is hooked. What happened to the thread
 * before that, since its previous switch-out, the scheduler's sched_info
 * tells: its dispatch (last_arrival, with pcount counting dispatches) and,
 * if it had blocked, its wakeup (the waits charged to run_delay since).
 * So the sched_switch probe settles the whole cycle (woken, dispatched,
 * switched out) on the thread's own slot, and never touches the slot of
 * the thread coming in; sched_wakeup needs no probe at all. Under an
 * emulator every probe and every page a switch touches is paid on each
 * switch, and these two were most of what the module cost.
 *
 * Readers apply the same transitions to a copy of a slot, to count what
 * has happened since the thread last left a CPU.
 */
#ifndef PCBSTAT_STATS_STATES_H
#define PCBSTAT_STATS_STATES_H

#include <linux/bitops.h>
#include <linux/minmax.h>
#include <linux/sched.h>

#include "stats.h"

/*
 * enqueue_task() stamps last_queued with rq_clock() when a task is queued
 * (also a task whose dequeue was delayed), and the task's next dispatch,
 * or a dequeue such as a migration, adds the wait to run_delay and clears
 * the stamp. So this is all of p's waits, one still going at @now included,
 * and the difference of two readings is the time p spent queued between
 * them, on whichever runqueues.
 */
static __always_inline u64 pcbstat_queued_ns(const struct task_struct *p,
					     u64 now)
{
	u64 queued = READ_ONCE(p->sched_info.last_queued);
	u64 delay = READ_ONCE(p->sched_info.run_delay);

	return queued && now > queued ? delay + (now - queued) : delay;
}

/*
 * Dispatches of p since it was forked, as far as the scheduler counts
 * them: pcount is bumped by a dispatch that ends a wait on a runqueue,
 * which is all of them but the next run of a task preempted on its way to
 * sleep (never stamped as queued, and not counted in run_delay either).
 * The probe counts that one at its switch-out (slot_ran_unstamped()).
 */
static __always_inline unsigned long
pcbstat_dispatches(const struct task_struct *p)
{
	return READ_ONCE(p->sched_info.pcount);
}

/*
 * Adds the time since the slot's state began to that state's counter. The
 * *_NS counters are in the order of the states they time, so the counter
 * is an offset, not a table (a table is one more page per switch to fill
 * into an emulator's TLB).
 */
static __always_inline void slot_add_time(struct pcbstat_slot *s, u64 now)
{
	unsigned int timed = s->state - PCBSTAT_READY;

	BUILD_BUG_ON(PCBSTAT_RUNNING - PCBSTAT_READY !=
		     PCBSTAT_RUNNING_NS - PCBSTAT_READY_NS);
	BUILD_BUG_ON(PCBSTAT_BLOCKED - PCBSTAT_READY !=
		     PCBSTAT_BLOCKED_NS - PCBSTAT_READY_NS);
	/* Stamps of different CPUs may be a little out of step. */
	if (timed <= PCBSTAT_BLOCKED - PCBSTAT_READY && now > s->since)
		s->cnt[PCBSTAT_READY_NS + timed] += now - s->since;
	s->since = now;
}

/*
 * A blocked thread found queued again was woken when its latest wait
 * began: the waits charged to it since it blocked say how long before @now
 * that was, even if it moved between runqueues meanwhile.
 */
static __always_inline void slot_woken(struct pcbstat_slot *s,
				       const struct task_struct *p, u64 now)
{
	u64 waited = pcbstat_queued_ns(p, now) - s->queued_mark;
	u64 blocked = now > s->since ? now - s->since : 0;

	slot_add_time(s, now - min(waited, blocked));
	s->state = PCBSTAT_READY;
	s->cnt[PCBSTAT_WAKEUPS]++;
}

/*
 * The wait that ended in p's dispatch at @at: what the scheduler charged
 * to run_delay since p last left a CPU (queued_mark), in pieces if p moved
 * between runqueues meanwhile. So the waits of a thread add up to its
 * run_delay, wait_ns, since the module saw it born. One add and one
 * increment, on lines the switch already touches: the bucket is the bit
 * length of the wait in units of 2^PCBSTAT_WAIT_HIST_SHIFT ns.
 */
static __always_inline void slot_count_wait(struct pcbstat_slot *s,
					    const struct task_struct *p,
					    u64 at)
{
	u64 wait = pcbstat_queued_ns(p, at) - s->queued_mark;
	unsigned int b = fls64(wait >> PCBSTAT_WAIT_HIST_SHIFT);

	s->cnt[PCBSTAT_WAIT_SUM_NS] += wait;
	s->cnt[PCBSTAT_WAIT_HIST +
	       min_t(unsigned int, b, PCBSTAT_WAIT_HIST_BUCKETS - 1)]++;
}

/* Whether p has been dispatched since the slot last saw it leave a CPU. */
static __always_inline bool slot_dispatched_since(const struct pcbstat_slot *s,
						  const struct task_struct *p)
{
	return pcbstat_dispatches(p) != s->dispatch_mark;
}

/*
 * p's dispatch since it last left a CPU, as of @now: woken first if it had
 * blocked, then running from its arrival. Of a thread the module had not
 * seen yet (UNSEEN) only a dispatch after load is counted, and nothing of
 * what came before it.
 */
static __always_inline void slot_dispatched(struct pcbstat_slot *s,
					    const struct task_struct *p,
					    u64 now)
{
	u64 at = READ_ONCE(p->sched_info.last_arrival);

	if (unlikely(s->state == PCBSTAT_UNSEEN)) {
		s->state = PCBSTAT_RUNNING;
		s->since = now;
		if (at >= pcbstat_loaded_ns && at <= now) {
			s->since = at;
			s->cnt[PCBSTAT_DISPATCHES]++;
			/* Its wait began before load: unmeasured, as 0 ns. */
			s->cnt[PCBSTAT_WAIT_HIST]++;
		}
		return;
	}
	/* The arrival was stamped on the CPU p arrived on. */
	at = clamp(at, min(s->since, now), now);
	if (s->state == PCBSTAT_BLOCKED)
		slot_woken(s, p, at);
	slot_add_time(s, at);
	s->state = PCBSTAT_RUNNING;
	s->cnt[PCBSTAT_DISPATCHES]++;
	slot_count_wait(s, p, at);
	if (unlikely(!(s->flags & PCBSTAT_SLOT_RAN))) {
		s->response_ns = at > s->born ? at - s->born : 0;
		s->flags |= PCBSTAT_SLOT_RAN;
	}
}

/*
 * The run of a thread that left the CPU ready and came back with no
 * dispatch stamped: it was preempted on its way to sleep. Its start is
 * worked out from the CPU time it used since (the scheduler has just
 * brought sum_exec_runtime up to date for the switch); the time before
 * that it was ready, waiting for the CPU. Only the probe sees this run.
 */
static __always_inline void slot_ran_unstamped(struct pcbstat_slot *s,
					       const struct task_struct *p,
					       u64 now)
{
	u64 ran = READ_ONCE(p->se.sum_exec_runtime) - s->exec_mark;
	u64 at = now > ran ? now - ran : 0;

	at = clamp(at, min(s->since, now), now);
	slot_add_time(s, at);
	s->state = PCBSTAT_RUNNING;
	s->cnt[PCBSTAT_DISPATCHES]++;
	/* Never queued, so charged no wait: bucket 0, as wait_ns has it. */
	slot_count_wait(s, p, at);
}

#endif /* PCBSTAT_STATS_STATES_H */
