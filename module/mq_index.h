/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The typed-receive index (mq_index.c): beside the FIFO every queue keeps
 * an rbtree of types, each with its own FIFO, so a typed receive finds its
 * message without walking the messages of other types:
 *   msgtyp == 0		head of the FIFO
 *   msgtyp > 0			head of that type's list, O(log types)
 *   msgtyp < 0			head of the lowest type (cached leftmost)
 *   MSG_EXCEPT			FIFO head, else the oldest head of the other
 *				types: the second in a tree of types by their
 *				oldest message, kept in O(log types) once the
 *				queue has seen MSG_EXCEPT
 * Messages carry a sequence number, so "oldest" is well defined and a
 * message whose copy to user memory faults can be put back where it was.
 *
 * What a single send or receive and a batch's runs do on each message is
 * here, inline, so that moving the batch paths to their own file put no
 * call on them; the cold parts are in mq_index.c. Callers hold q->lock.
 */
#ifndef PCBMQ_MQ_INDEX_H
#define PCBMQ_MQ_INDEX_H

#include <linux/rbtree.h>
#include <linux/slab.h>

#include "mq.h"

static inline struct mq_type *mq_type_find(struct mq_queue *q, long mtype)
{
	struct rb_node *n = q->types.rb_root.rb_node;

	while (n) {
		struct mq_type *t = rb_entry(n, struct mq_type, rb);

		if (mtype < t->mtype)
			n = n->rb_left;
		else if (mtype > t->mtype)
			n = n->rb_right;
		else
			return t;
	}
	return NULL;
}

static inline bool mq_type_less(struct rb_node *a, const struct rb_node *b)
{
	return rb_entry(a, struct mq_type, rb)->mtype <
	       rb_entry(b, struct mq_type, rb)->mtype;
}

/* Enqueueing a message of a new type consumes q->spare_type. */
static inline bool mq_needs_type_node(struct mq_queue *q, long mtype)
{
	return !q->spare_type && !mq_type_find(q, mtype);
}

static inline struct mq_msg *mq_first_of(struct mq_type *t)
{
	return list_first_entry(&t->msgs, struct mq_msg, same_type);
}

static inline bool mq_head_less(struct rb_node *a, const struct rb_node *b)
{
	return mq_first_of(rb_entry(a, struct mq_type, by_head))->seq <
	       mq_first_of(rb_entry(b, struct mq_type, by_head))->seq;
}

static inline void mq_heads_add(struct mq_queue *q, struct mq_type *t)
{
	if (q->heads_indexed)
		rb_add_cached(&t->by_head, &q->heads, mq_head_less);
}

static inline void mq_heads_remove(struct mq_queue *q, struct mq_type *t)
{
	if (q->heads_indexed)
		rb_erase_cached(&t->by_head, &q->heads);
}

/*
 * Link into both lists, in sequence order (a requeued message goes back).
 * @t is the message's type node if the caller found it, else NULL: the
 * type is new and takes q->spare_type.
 */
static __always_inline void mq_link_to(struct mq_queue *q,
				       struct mq_msg *msg, struct mq_type *t)
{
	bool new_type = !t;
	struct mq_msg *pos;

	if (new_type) {
		t = q->spare_type;
		q->spare_type = NULL;
		t->mtype = msg->mtype;
		INIT_LIST_HEAD(&t->msgs);
		rb_add_cached(&t->rb, &q->types, mq_type_less);
	}
	msg->type = t;

	list_for_each_entry_reverse(pos, &t->msgs, same_type)
		if (pos->seq < msg->seq)
			break;
	list_add(&msg->same_type, &pos->same_type);
	if (mq_first_of(t) == msg) {
		if (!new_type)
			mq_heads_remove(q, t);
		mq_heads_add(q, t);
	}
	list_for_each_entry_reverse(pos, &q->messages, fifo)
		if (pos->seq < msg->seq)
			break;
	list_add(&msg->fifo, &pos->fifo);

	mq_count(q, 1, msg->size);
}

/*
 * After messages of @t were taken: an emptied type leaves the index (its
 * node kept as the spare if there is none), and one whose oldest message
 * went (@was_first) moves in q->heads to its new oldest. rb_erase() reads
 * no keys, so the lists may already have changed.
 */
static __always_inline void mq_type_taken(struct mq_queue *q,
					  struct mq_type *t, bool was_first)
{
	if (was_first)
		mq_heads_remove(q, t);
	if (list_empty(&t->msgs)) {
		rb_erase_cached(&t->rb, &q->types);
		if (q->spare_type)
			kfree(t);
		else
			q->spare_type = t;
	} else if (was_first) {
		mq_heads_add(q, t);
	}
}

static __always_inline void mq_unlink(struct mq_queue *q, struct mq_msg *msg)
{
	struct mq_type *t = msg->type;
	bool was_first = mq_first_of(t) == msg;

	list_del(&msg->fifo);
	list_del(&msg->same_type);
	mq_type_taken(q, t, was_first);
	mq_count(q, -1, -(long)msg->size);
}

static inline bool mq_matches(struct mq_msg *msg, enum mq_search mode,
			      long msgtyp)
{
	switch (mode) {
	case MQ_SEARCH_EQUAL:
		return msg->mtype == msgtyp;
	case MQ_SEARCH_NOTEQUAL:
		return msg->mtype != msgtyp;
	case MQ_SEARCH_LESSEQUAL:
		return msg->mtype <= msgtyp;
	default:
		return true;
	}
}

struct mq_msg *pcbmq_find_except(struct mq_queue *q, long msgtyp);
void pcbmq_link(struct mq_queue *q, struct mq_msg *msg);

static inline struct mq_msg *mq_find_number(struct mq_queue *q, long index)
{
	struct mq_msg *msg;

	list_for_each_entry(msg, &q->messages, fifo)
		if (index-- == 0)
			return msg;
	return NULL;
}

/* find_msg(): the message a receive of this mode takes, or NULL. */
static __always_inline struct mq_msg *mq_find(struct mq_queue *q,
					      enum mq_search mode, long msgtyp)
{
	struct mq_type *t;
	struct rb_node *n;

	switch (mode) {
	case MQ_SEARCH_ANY:
		return list_first_entry_or_null(&q->messages, struct mq_msg,
						fifo);
	case MQ_SEARCH_EQUAL:
		t = mq_type_find(q, msgtyp);
		return t ? mq_first_of(t) : NULL;
	case MQ_SEARCH_LESSEQUAL:
		n = rb_first_cached(&q->types);
		if (!n)
			return NULL;
		t = rb_entry(n, struct mq_type, rb);
		return t->mtype <= msgtyp ? mq_first_of(t) : NULL;
	case MQ_SEARCH_NOTEQUAL:
		return pcbmq_find_except(q, msgtyp);
	case MQ_SEARCH_NUMBER:
		return mq_find_number(q, msgtyp);
	}
	return NULL;
}

#endif /* PCBMQ_MQ_INDEX_H */
