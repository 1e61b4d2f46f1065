/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The slot table (stats_slots.c): one slot of figures per tracked thread,
 * and the lookup every probe inlines. It depends on no other part, so the
 * probes, the readers and the per-CPU copy (stats.h) build on it.
 */
#ifndef PCBSTAT_STATS_SLOTS_H
#define PCBSTAT_STATS_SLOTS_H

#include <linux/atomic.h>
#include <linux/bits.h>
#include <linux/cache.h>
#include <linux/hash.h>
#include <linux/sched.h>
#include <linux/seqlock.h>
#include <linux/types.h>
#include <linux/uidgid.h>

#include "uapi/pcbstat.h"

/* The five states of the textbook model, plus "not yet observed". */
enum pcbstat_state {
	PCBSTAT_UNSEEN,		/* existed before load; state not yet known */
	PCBSTAT_NEW,
	PCBSTAT_READY,
	PCBSTAT_RUNNING,
	PCBSTAT_BLOCKED,
	PCBSTAT_EXIT,
};

/* Event counters; the order matches the dead[] accumulators. */
enum pcbstat_counter {
	PCBSTAT_SW_THREAD,
	PCBSTAT_SW_PROCESS,
	PCBSTAT_SW_KERNEL,
	PCBSTAT_DISPATCHES,
	PCBSTAT_PREEMPTS,
	PCBSTAT_BLOCKS,
	PCBSTAT_WAKEUPS,
	PCBSTAT_READY_NS,
	PCBSTAT_RUNNING_NS,
	PCBSTAT_BLOCKED_NS,
	/* The runqueue wait of each dispatch: its sum, and its log2 bucket. */
	PCBSTAT_WAIT_SUM_NS,
	PCBSTAT_WAIT_HIST,
	PCBSTAT_NR_COUNTERS = PCBSTAT_WAIT_HIST + PCBSTAT_WAIT_HIST_BUCKETS,
};

/* pcbstat_slot.flags */
#define PCBSTAT_SLOT_FORKED	BIT(0)	/* born after load: figures complete */
#define PCBSTAT_SLOT_RAN	BIT(1)	/* response_ns is valid */
#define PCBSTAT_SLOT_FOLDED	BIT(2)	/* counted in the leader's dead[] */
#define PCBSTAT_SLOT_GROUP_DEAD	BIT(3)	/* last thread of its process */

/*
 * One thread's figures. key is the task_struct address, used only as an
 * identity and never dereferenced: it is set while the task exists and
 * cleared by sched_process_free, before the task_struct can be freed, so
 * no two live tasks share a key even when pid numbers are reused.
 * Counters are written only by events of their own task, which the
 * scheduler serialises under that task's runqueue lock; dead[] collects
 * the figures of exited threads in their leader's slot and is atomic
 * because threads on different CPUs exit concurrently.
 *
 * seq makes a reader's copy of the figures whole, and a claim moves it, so
 * a copy that began while the slot was @key's is @key's alone (see
 * pcbstat_slot_read()). Its writers are the ones above: a task's own
 * events under its runqueue lock (or before its first wakeup, when nothing
 * else can touch it), and a claim under claim_lock while the slot is free.
 * They never overlap on one slot, so a plain seqcount_t needs no lock of
 * its own, and its raw_ write side (an increment and a compiler barrier on
 * x86) is legal with IRQs off under the runqueue lock, where a seqlock_t
 * or lockdep's checks of an associated lock are not: that lock is the
 * scheduler's and not ours to name. Every writer has preemption off, so a
 * reader never spins on a writer that was scheduled away.
 */
struct pcbstat_slot {
	/* What every switch touches, together at the front. */
	unsigned long key;
	seqcount_t seq;
	u32 state;		/* as the thread last left a CPU */
	u32 flags;
	u64 since;		/* when that state began */
	u64 queued_mark;	/* pcbstat_queued_ns() then */
	unsigned long dispatch_mark;	/* pcbstat_dispatches() then */
	u64 exec_mark;		/* CPU time then, if it left ready */
	u64 cnt[PCBSTAT_NR_COUNTERS];
	u64 born;		/* when the slot was claimed */
	u64 response_ns;	/* born to first run, if FORKED */
	/*
	 * Set by sched_process_exit, while the leader is surely alive, for
	 * the final switch, when it may already be gone: where to fold this
	 * thread's figures, and what the exited ring needs of the leader.
	 */
	struct pcbstat_slot *lead;
	unsigned long lead_key;
	u64 proc_start_ns;
	char proc_comm[TASK_COMM_LEN];
	/*
	 * The last thread's ids, also taken then: a task reaped before its
	 * final switch (by a parent's wait, or at once when its parent
	 * ignores SIGCHLD) has no pids left to read by then.
	 */
	pid_t exit_pid;		/* tgid as init_pid_ns numbers it */
	pid_t exit_ppid;
	pid_t exit_ns_pid;	/* ... and as its own pid namespace does */
	pid_t exit_ns_ppid;
	u64 exit_ns_id;		/* that namespace (compat.h) */
	kuid_t exit_uid;
	atomic64_t dead[PCBSTAT_NR_COUNTERS];
} ____cacheline_aligned;	/* no slot shares a line with another */

#define PCBSTAT_WINDOW	16

/*
 * What a lookup needs of the table. Each CPU keeps a copy next to its
 * switch totals, so that a probe reads one line of per-CPU data and no
 * module global (under an emulator every further page a switch touches
 * is a TLB fill on each switch).
 */
struct pcbstat_table {
	struct pcbstat_slot *slots;
	unsigned int shift;	/* 64 - log2(number of slots) */
	unsigned int mask;	/* number of slots - 1 */
};

extern struct pcbstat_table pcbstat_table;

int pcbstat_slots_init(void);
void pcbstat_slots_exit(void);

/* hash_long() with the shift precomputed. */
static inline unsigned int pcbstat_slot_hash(const struct pcbstat_table *t,
					     unsigned long key)
{
	return (unsigned int)((key * GOLDEN_RATIO_64) >> t->shift);
}

/*
 * Inline because every switch looks a task up: the first slot
 * of the window is nearly always the task's, so the common lookup is a
 * multiply, a shift and one compare, with no call.
 */
static inline struct pcbstat_slot *
pcbstat_slot_find_in(const struct pcbstat_table *t,
		     const struct task_struct *p)
{
	unsigned long key = (unsigned long)p;
	unsigned int h = pcbstat_slot_hash(t, key);
	unsigned int i;

	for (i = 0; i < PCBSTAT_WINDOW; i++) {
		struct pcbstat_slot *s = &t->slots[(h + i) & t->mask];

		if (likely(READ_ONCE(s->key) == key))
			return s;
	}
	return NULL;
}

static inline struct pcbstat_slot *
pcbstat_slot_find(const struct task_struct *p)
{
	return pcbstat_slot_find_in(&pcbstat_table, p);
}

struct pcbstat_slot *pcbstat_slot_claim(struct task_struct *p, u32 state,
					u64 now);

/* The slot of p, claimed in @state if p has none yet. */
static inline struct pcbstat_slot *
pcbstat_slot_get_in(const struct pcbstat_table *t, struct task_struct *p,
		    u32 state, u64 now)
{
	struct pcbstat_slot *s = pcbstat_slot_find_in(t, p);

	return likely(s) ? s : pcbstat_slot_claim(p, state, now);
}

static inline struct pcbstat_slot *
pcbstat_slot_get(struct task_struct *p, u32 state, u64 now)
{
	return pcbstat_slot_get_in(&pcbstat_table, p, state, now);
}

void pcbstat_slot_release(const struct task_struct *p);

/*
 * Brackets for every update of a claimed slot's figures, so that readers
 * never copy half of one (the caller is the slot's one writer, above).
 */
static __always_inline void pcbstat_slot_write_begin(struct pcbstat_slot *s)
{
	raw_write_seqcount_begin(&s->seq);
}

static __always_inline void pcbstat_slot_write_end(struct pcbstat_slot *s)
{
	raw_write_seqcount_end(&s->seq);
}

bool pcbstat_slot_read(const struct pcbstat_slot *s, unsigned long key,
		       struct pcbstat_slot *v);
bool pcbstat_slot_read_dead(const struct pcbstat_slot *s, unsigned long key,
			    u64 dead[PCBSTAT_NR_COUNTERS]);
u64 pcbstat_slot_overflows(void);
u64 pcbstat_now(void);
extern u64 pcbstat_loaded_ns;

#endif /* PCBSTAT_STATS_SLOTS_H */
