// SPDX-License-Identifier: GPL-2.0
/*
 * The slot table: per-thread figures in memory allocated once at load,
 * because the scheduler probes that fill it run with the runqueue lock held
 * and IRQs off, where allocation is not allowed.
 *
 * Open addressing over a power-of-two array, hashed by task_struct address,
 * with a bounded probe window: a lookup reads at most PCBSTAT_WINDOW slots
 * whether or not it meets a free one, so a release never has to move other
 * entries and needs no tombstones. A thread whose window is full is not
 * tracked (its hook figures print as unknown) and counted in overflows;
 * size the table with max_threads.
 */
#include <linux/hash.h>
#include <linux/log2.h>
#include <linux/moduleparam.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/string.h>
#include <linux/sched/clock.h>

#include "stats_slots.h"

static unsigned int max_threads = 65536;
module_param(max_threads, uint, 0444);
MODULE_PARM_DESC(max_threads,
		 "Threads tracked at once (rounded up to a power of two)");

/* Serialises claims only; lookups and updates of a claimed slot are free. */
static DEFINE_RAW_SPINLOCK(claim_lock);
struct pcbstat_table pcbstat_table __read_mostly;
static atomic64_t overflows;

/*
 * The probes' clock: the scheduler's own, cheap on every CPU and in every
 * VM. Figures are differences of it, so its origin does not matter; a
 * reading of the clocksource (CLOCK_MONOTONIC) per switch costs a device
 * access where the TSC is not trusted.
 */
/* When the table was made: what a thread did before is not counted. */
u64 pcbstat_loaded_ns;

u64 pcbstat_now(void)
{
	return local_clock();
}

static void slot_reset(struct pcbstat_slot *s, u32 state, u64 now)
{
	int c;

	s->state = state;
	s->flags = 0;
	s->since = now;
	s->born = now;
	s->response_ns = 0;
	s->queued_mark = 0;
	s->dispatch_mark = 0;
	s->exec_mark = 0;
	s->lead = NULL;
	s->lead_key = 0;
	for (c = 0; c < PCBSTAT_NR_COUNTERS; c++) {
		s->cnt[c] = 0;
		atomic64_set(&s->dead[c], 0);
	}
}

static struct pcbstat_slot *slot_claim(unsigned long key, u32 state, u64 now)
{
	unsigned int h = pcbstat_slot_hash(&pcbstat_table, key);
	unsigned int i;

	for (i = 0; i < PCBSTAT_WINDOW; i++) {
		struct pcbstat_slot *s =
			&pcbstat_table.slots[(h + i) & pcbstat_table.mask];

		if (!s->key) {
			slot_reset(s, state, now);
			/* Publish the key only once the figures are zero. */
			smp_store_release(&s->key, key);
			return s;
		}
	}
	atomic64_inc(&overflows);
	return NULL;
}

/*
 * A slot for p, which had none when pcbstat_slot_get() looked. A probe may
 * claim a slot for another task (an exiting thread for its leader) while
 * that task's own events run on another CPU, so claims take claim_lock and
 * look again under it. It is a leaf lock, taken inside the runqueue lock,
 * and only on the first event of each thread.
 */
struct pcbstat_slot *pcbstat_slot_claim(struct task_struct *p, u32 state,
					u64 now)
{
	struct pcbstat_slot *s;
	unsigned long flags;

	raw_spin_lock_irqsave(&claim_lock, flags);
	s = pcbstat_slot_find(p);
	if (!s)
		s = slot_claim((unsigned long)p, state, now);
	raw_spin_unlock_irqrestore(&claim_lock, flags);
	return s;
}

void pcbstat_slot_release(const struct task_struct *p)
{
	struct pcbstat_slot *s = pcbstat_slot_find(p);

	if (s) {
		/* Its last updates are visible before anyone reclaims it. */
		smp_store_release(&s->key, 0);
	}
}

u64 pcbstat_slot_overflows(void)
{
	return atomic64_read(&overflows);
}

int pcbstat_slots_init(void)
{
	unsigned int bits;

	if (max_threads < PCBSTAT_WINDOW || max_threads > (1U << 24))
		return -EINVAL;
	bits = order_base_2(max_threads);
	pcbstat_table.shift = BITS_PER_LONG - bits;
	pcbstat_table.mask = (1U << bits) - 1;
	pcbstat_loaded_ns = pcbstat_now();
	pcbstat_table.slots = kvcalloc(1U << bits,
				       sizeof(struct pcbstat_slot), GFP_KERNEL);
	return pcbstat_table.slots ? 0 : -ENOMEM;
}

/* Called only after the probes are unregistered and synchronised. */
void pcbstat_slots_exit(void)
{
	kvfree(pcbstat_table.slots);
	pcbstat_table.slots = NULL;
}
