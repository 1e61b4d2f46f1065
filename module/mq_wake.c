// SPDX-License-Identifier: GPL-2.0
/*
 * A queue's waiters: the wake-ups its lock holder defers to the unlock,
 * receivers handed a result, senders woken once their message fits.
 */
#include <linux/list.h>
#include <linux/sched.h>
#include <linux/sched/task.h>
#include <linux/spinlock.h>

#include "mq.h"

void pcbmq_queue_unlock(struct mq_queue *q)
	__releases(&q->lock)
{
	struct mq_wakeups *w = q->wakeups;
	int i;

	q->wakeups = NULL;
	spin_unlock(&q->lock);
	for (i = 0; i < w->n; i++) {
		wake_up_process(w->task[i]);
		put_task_struct(w->task[i]);
	}
}

/* expunge_all(): every blocked receiver returns @err (or retries: EAGAIN). */
void pcbmq_wake_all(struct mq_queue *q, int err)
{
	struct mq_receiver *r, *next;

	list_for_each_entry_safe(r, next, &q->receivers, node)
		mq_hand(q, r, ERR_PTR(err));
}

/*
 * ss_wakeup(): wake every sender whose message now fits (all of them once
 * the queue is removed); the others move to the tail in their order. A
 * woken sender leaves the list, so a batch of receives wakes it once.
 */
void pcbmq_wake_senders(struct mq_queue *q)
{
	struct mq_sender *s, *next;
	struct task_struct *first_kept = NULL;

	list_for_each_entry_safe(s, next, &q->senders, node) {
		if (s->task == first_kept)
			break;
		if (!q->removed && !mq_fits(q, s->msgsz)) {
			if (!first_kept)
				first_kept = s->task;
			list_move_tail(&s->node, &q->senders);
			continue;
		}
		list_del_init(&s->node);
		mq_wake(q, s->task);
	}
}
