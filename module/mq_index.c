// SPDX-License-Identifier: GPL-2.0
/*
 * The typed-receive index, its parts off the hot paths (see mq_index.h):
 * the MSG_EXCEPT tree built on first use, a link that looks its type up,
 * and emptying a removed queue.
 */
#include <linux/list.h>
#include <linux/rbtree.h>
#include <linux/spinlock.h>

#include "mq.h"
#include "mq_index.h"

static void mq_heads_build(struct mq_queue *q)
{
	struct rb_node *n;

	q->heads_indexed = true;
	for (n = rb_first_cached(&q->types); n; n = rb_next(n))
		mq_heads_add(q, rb_entry(n, struct mq_type, rb));
}

/*
 * The FIFO head is the oldest message of its type, so its type leads
 * q->heads; when that type is the excluded one, the next type's oldest
 * message is the oldest of any other type.
 */
struct mq_msg *pcbmq_find_except(struct mq_queue *q, long msgtyp)
{
	struct mq_msg *head;
	struct rb_node *n;

	head = list_first_entry_or_null(&q->messages, struct mq_msg, fifo);
	if (!head || head->mtype != msgtyp)
		return head;
	if (!q->heads_indexed)
		mq_heads_build(q);
	n = rb_next(rb_first_cached(&q->heads));
	return n ? mq_first_of(rb_entry(n, struct mq_type, by_head)) : NULL;
}

void pcbmq_link(struct mq_queue *q, struct mq_msg *msg)
{
	mq_link_to(q, msg, mq_type_find(q, msg->mtype));
}

/* IPC_RMID: the queue is unpublished and marked removed, so nobody adds. */
void pcbmq_free_messages(struct mq_queue *q)
{
	struct mq_msg *msg, *next;
	LIST_HEAD(doomed);

	spin_lock(&q->lock);
	list_for_each_entry_safe(msg, next, &q->messages, fifo) {
		mq_unlink(q, msg);
		list_add_tail(&msg->fifo, &doomed);
	}
	spin_unlock(&q->lock);
	/* kvfree() may sleep, so free outside the lock. */
	list_for_each_entry_safe(msg, next, &doomed, fifo)
		pcbmq_msg_free(msg);
}
