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
			/* A reader that began on the old owner retries. */
			pcbstat_slot_write_begin(s);
			slot_reset(s, state, now);
			/* Publish the key only once the figures are zero. */
			smp_store_release(&s->key, key);
			pcbstat_slot_write_end(s);
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

/*
 * A whole copy of the figures of @s into @v, if @s belonged to @key when
 * the copy began; false if it did not. A reader finds a slot by its key
 * and only then copies it, and meanwhile the task may have been reaped
 * (the release) and its slot claimed by another (the claim): the key read
 * inside the read section says whose the copy is, and the sequence count,
 * which a claim moves, that it stayed so until the copy was done and that
 * no update was half-made. A release alone does not move it: it clears the
 * key and leaves the figures, still the task's, as they are.
 */
bool pcbstat_slot_read(const struct pcbstat_slot *s, unsigned long key,
		       struct pcbstat_slot *v)
{
	unsigned long owner;
	unsigned int seq;
	int c;

	do {
		seq = read_seqcount_begin(&s->seq);
		owner = READ_ONCE(s->key);
		v->state = READ_ONCE(s->state);
		v->flags = READ_ONCE(s->flags);
		v->since = READ_ONCE(s->since);
		v->queued_mark = READ_ONCE(s->queued_mark);
		v->dispatch_mark = READ_ONCE(s->dispatch_mark);
		v->exec_mark = READ_ONCE(s->exec_mark);
		v->born = READ_ONCE(s->born);
		v->response_ns = READ_ONCE(s->response_ns);
		for (c = 0; c < PCBSTAT_NR_COUNTERS; c++)
			v->cnt[c] = READ_ONCE(s->cnt[c]);
	} while (read_seqcount_retry(&s->seq, seq));
	return owner == key;
}

/*
 * The exited threads' figures kept in @s, if @s is @key's. dead[] is added
 * to by other threads' final switches, outside this slot's sequence count,
 * one atomic counter at a time; the count still tells whether a claim
 * zeroed the slot for another task meanwhile.
 */
bool pcbstat_slot_read_dead(const struct pcbstat_slot *s, unsigned long key,
			    u64 dead[PCBSTAT_NR_COUNTERS])
{
	unsigned long owner;
	unsigned int seq;
	int c;

	do {
		seq = read_seqcount_begin(&s->seq);
		owner = READ_ONCE(s->key);
		for (c = 0; c < PCBSTAT_NR_COUNTERS; c++)
			dead[c] = atomic64_read(&s->dead[c]);
	} while (read_seqcount_retry(&s->seq, seq));
	return owner == key;
}

u64 pcbstat_slot_overflows(void)
{
	return atomic64_read(&overflows);
}

int pcbstat_slots_init(void)
{
	unsigned int bits, i;

	if (max_threads < PCBSTAT_WINDOW || max_threads > (1U << 24))
		return -EINVAL;
	bits = order_base_2(max_threads);
	pcbstat_table.shift = BITS_PER_LONG - bits;
	pcbstat_table.mask = (1U << bits) - 1;
	pcbstat_loaded_ns = pcbstat_now();
	pcbstat_table.slots = kvcalloc(1U << bits,
				       sizeof(struct pcbstat_slot), GFP_KERNEL);
	if (!pcbstat_table.slots)
		return -ENOMEM;
	for (i = 0; i <= pcbstat_table.mask; i++)
		seqcount_init(&pcbstat_table.slots[i].seq);
	return 0;
}

/* Called only after the probes are unregistered and synchronised. */
void pcbstat_slots_exit(void)
{
	kvfree(pcbstat_table.slots);
	pcbstat_table.slots = NULL;
}
