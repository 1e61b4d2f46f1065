// SPDX-License-Identifier: GPL-2.0
/*
 * Message memory a queue keeps from one batch receive for the next batch
 * send. A stream's two ends run on different CPUs, so each message was
 * allocated on one and freed on the other: the sender's slab cache ran
 * dry every batch while the receiver's overflowed, and the sender paid
 * for fresh slab pages (zeroed, their freelists shuffled) as fast as the
 * receiver's side handed whole pages back to the page allocator. Kept on
 * the queue, the memory goes straight back to the sender.
 *
 * Like a pipe's spare page, a spare stays charged to the memory cgroup
 * of the task that first allocated it. It holds no message and is not
 * counted in pcbmq_mem_max, which counts queued messages; instead spares
 * are bounded, per queue and for the whole module.
 */
#include <linux/atomic.h>
#include <linux/minmax.h>
#include <linux/moduleparam.h>
#include <linux/sysfs.h>
#include <linux/spinlock.h>
#include <linux/string.h>

#include "mq.h"

/* A full queue of 64-byte messages at the default msgmnb. */
#define MQ_QUEUE_SPARES 256
/* 1 MiB of 256-byte objects, whatever the number of queues. */
#define MQ_ALL_SPARES 4096

static atomic_t mq_all_spares = ATOMIC_INIT(0);

/* Memory held outside mem_used is shown too: tests check its bounds. */
static int mq_spares_get(char *buf, const struct kernel_param *kp)
{
	return sysfs_emit(buf, "%d\n", atomic_read(&mq_all_spares));
}

static const struct kernel_param_ops mq_spares_ops = {
	.get = mq_spares_get,
};

module_param_cb(spares, &mq_spares_ops, NULL, 0444);
MODULE_PARM_DESC(spares, "pcbmq: message objects kept for reuse by queues");

void pcbmq_spares_init(struct mq_queue *q)
{
	spin_lock_init(&q->spare_lock);
	INIT_LIST_HEAD(&q->spares);
}

/*
 * Room for up to @want more spares, taken from the module's bound: a
 * hard bound, where the queue's own is only read, as its sole purpose is
 * that no one queue keeps every spare.
 */
static u32 mq_spares_reserve(struct mq_queue *q, u32 want)
{
	u32 queued = READ_ONCE(q->nr_spares);
	int old = atomic_read(&mq_all_spares), grant;

	if (queued >= MQ_QUEUE_SPARES)
		return 0;
	want = min(want, MQ_QUEUE_SPARES - queued);
	do {
		grant = min_t(int, want, MQ_ALL_SPARES - old);
		if (grant <= 0)
			return 0;
	} while (!atomic_try_cmpxchg(&mq_all_spares, &old, old + grant));
	return grant;
}

/* Splice @list, @n spares, onto @q's. */
static void mq_spares_add(struct mq_queue *q, struct list_head *list, u32 n)
{
	spin_lock(&q->spare_lock);
	list_splice(list, &q->spares);
	WRITE_ONCE(q->nr_spares, q->nr_spares + n);
	spin_unlock(&q->spare_lock);
}

/*
 * Free @msgs, delivered or not sent, keeping the small ones as @q's
 * spares while there is room; a removed queue keeps none, as it may
 * linger while a file is bound to it. A spare's text is cleared, so that
 * it holds nothing of the message it carried, as a new object holds
 * nothing under init_on_alloc. May sleep.
 */
void pcbmq_spares_give(struct mq_queue *q, struct mq_msg **msgs, u32 n)
{
	u32 room = READ_ONCE(q->removed) ? 0 : mq_spares_reserve(q, n);
	u32 kept = 0, rest = 0, i;
	LIST_HEAD(spares);

	for (i = 0; i < n; i++) {
		struct mq_msg *msg = msgs[i];

		if (kept < room && msg->alloc <= pcbmq_small_text()) {
			memset(msg->text, 0, msg->size);
			list_add(&msg->fifo, &spares);
			kept++;
		} else {
			msgs[rest++] = msg;
		}
	}
	if (kept)
		mq_spares_add(q, &spares, kept);
	if (kept < room)
		atomic_sub(room - kept, &mq_all_spares);
	pcbmq_msg_release_many(msgs, rest);
}

/*
 * Up to @n of @q's spares, as room for small messages in @mem[0..): the
 * same room pcbmq_mem_get_many() gives. Returns how many. All are taken and
 * the surplus put back, so that the receiver giving spares never waits
 * on a walk of the list under the lock.
 */
u32 pcbmq_spares_take(struct mq_queue *q, void **mem, u32 n)
{
	struct mq_msg *msg;
	LIST_HEAD(all);
	LIST_HEAD(taken);
	u32 had, got = 0;

	if (!n || !READ_ONCE(q->nr_spares))
		return 0;
	spin_lock(&q->spare_lock);
	list_splice_init(&q->spares, &all);
	had = q->nr_spares;
	WRITE_ONCE(q->nr_spares, 0);
	spin_unlock(&q->spare_lock);

	list_for_each_entry(msg, &all, fifo) {
		mem[got] = msg;
		if (++got == n)
			break;
	}
	if (got == n && had > got) {
		list_cut_position(&taken, &all, &msg->fifo);
		mq_spares_add(q, &all, had - got);
	}
	atomic_sub(got, &mq_all_spares);
	return got;
}

/* The queue is being freed: nobody else can reach its spares. */
void pcbmq_spares_free(struct mq_queue *q)
{
	struct mq_msg *msg, *next;

	list_for_each_entry_safe(msg, next, &q->spares, fifo)
		pcbmq_msg_release(msg);
	atomic_sub(q->nr_spares, &mq_all_spares);
	q->nr_spares = 0;
	INIT_LIST_HEAD(&q->spares);
}
