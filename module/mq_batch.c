// SPDX-License-Identifier: GPL-2.0
/*
 * Batch send and receive: many messages per ioctl. Each message keeps the
 * single call's semantics and errors; only the first may block, so a batch
 * never waits with messages already transferred. Under the one lock hold
 * the messages after the first go in and out by runs of one type, each
 * joined to or cut from the queue's lists in one splice.
 */
#include <linux/ipc.h>
#include <linux/msg.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include "mq.h"
#include "mq_index.h"
#include "mq_msg.h"
#include "pcbmq.h"

/*
 * A 32-bit caller's entries must hold what its own msgsnd and msgrcv could
 * pass: a 32-bit pointer and a size that fits a compat_ssize_t.
 */
static bool mq_vec_fits_compat(const struct pcbmq_vec *vec, u32 count)
{
	u32 i;

	for (i = 0; i < count; i++)
		if (vec[i].msgp > U32_MAX || vec[i].msgsz != (s32)vec[i].msgsz)
			return false;
	return true;
}

/*
 * The caller's vector, with room behind it for @extra bytes per entry: one
 * allocation per batch. Freed by mq_vec_finish() or kvfree().
 */
static struct pcbmq_vec *mq_vec_load(void __user *uvec, u32 count,
				     size_t extra, bool compat)
{
	struct pcbmq_vec *vec;
	int err = -EFAULT;

	vec = kvmalloc_array(count, sizeof(*vec) + extra, GFP_KERNEL);
	if (!vec)
		return ERR_PTR(-ENOMEM);
	if (copy_from_user(vec, uvec, array_size(count, sizeof(*vec))))
		goto err_free;
	err = -EINVAL;
	if (compat && !mq_vec_fits_compat(vec, count))
		goto err_free;
	return vec;

err_free:
	kvfree(vec);
	return ERR_PTR(err);
}

/* Report per-message results, then the call's: a count, or the error. */
static long mq_vec_finish(void __user *uvec, struct pcbmq_vec *vec,
			  u32 count, u32 done, long err)
{
	u32 reported = done < count ? done + 1 : count;
	long ret = done ? done : err;

	if (copy_to_user(uvec, vec, array_size(reported, sizeof(*vec))))
		ret = -EFAULT;
	kvfree(vec);
	return ret;
}

/*
 * Charge the cap once for the leading messages whose sizes are valid,
 * rather than once per message. Returns how many it covers, 0 if the cap
 * would not take them all: each message then charges itself, and the one
 * that does not fit fails with ENOMEM as a single send would.
 */
static u32 mq_batch_precharge(const struct pcbmq_vec *vec, u32 count,
			      size_t *charge)
{
	long msgmax = READ_ONCE(pcbmq_msgmax);
	size_t total = 0;
	u32 n;

	for (n = 0; n < count && vec[n].msgsz >= 0 && vec[n].msgsz <= msgmax;
	     n++)
		total += mq_msg_charge(vec[n].msgsz);
	if (!pcbmq_mem_charge(total))
		return 0;
	*charge = total;
	return n;
}

/*
 * Room for the leading small messages of a batch, put in @mem[i] for
 * message i: @q's spares first, if the batch names a queue, then the
 * rest in one slab call. Returns how many have it, perhaps 0 (then each
 * message allocates its own).
 */
static u32 mq_batch_get_room(struct mq_queue *q, const struct pcbmq_vec *vec,
			     u32 count, void **mem)
{
	u32 n, spares;

	for (n = 0;
	     n < count && (size_t)vec[n].msgsz <= pcbmq_small_text(); n++)
		;
	spares = q ? pcbmq_spares_take(q, mem, n) : 0;
	/* One message gains nothing from a bulk call. */
	if (n - spares < 2 || !pcbmq_mem_get_many(mem + spares, n - spares))
		return spares;
	return n;
}

/*
 * Messages loaded but not sent (the queue was full, or gone): their
 * charge is returned and their memory goes back to @q's spares, so that
 * a sender held back by a full queue does not drain them call by call.
 */
static void mq_batch_unload(struct mq_queue *q, struct mq_msg **msgs, u32 n)
{
	size_t charge = 0;
	u32 i;

	if (!q) {
		for (i = 0; i < n; i++)
			pcbmq_msg_free(msgs[i]);
		return;
	}
	for (i = 0; i < n; i++)
		charge += mq_msg_charge(msgs[i]->alloc);
	pcbmq_mem_uncharge(charge);
	pcbmq_spares_give(q, msgs, n);
}

/*
 * A run of messages of one type, chained on its own and joined to the
 * queue in one splice. A batch's leading run is chained before the queue
 * is locked, so that the other side of a stream, spinning on the lock
 * meanwhile, does not wait for the links to be made.
 */
struct mq_run {
	struct list_head fifo;
	struct list_head same;
	size_t bytes;
	u32 len;
};

/*
 * Chain the leading run of one type of @msgs, as long as it fits in @q if
 * a queue is given (under its lock); before the lock none is.
 */
static void mq_run_chain(struct mq_run *run, struct mq_msg **msgs, u32 n,
			 struct mq_queue *q)
{
	u32 i;

	INIT_LIST_HEAD(&run->fifo);
	INIT_LIST_HEAD(&run->same);
	run->bytes = 0;
	for (i = 0; i < n && msgs[i]->mtype == msgs[0]->mtype; i++) {
		if (q && !mq_fits_more(q, run->bytes + msgs[i]->size, i + 1))
			break;
		list_add_tail(&msgs[i]->fifo, &run->fifo);
		list_add_tail(&msgs[i]->same_type, &run->same);
		run->bytes += msgs[i]->size;
	}
	run->len = i;
}

/* Join a chained @run of type @t to the queue's tail. */
static u32 mq_append_chained(struct mq_queue *q, struct mq_type *t,
			     struct mq_msg **msgs, struct mq_run *run)
{
	u32 i;

	for (i = 0; i < run->len; i++) {
		msgs[i]->seq = q->next_seq++;
		msgs[i]->type = t;
	}
	list_splice_tail(&run->fifo, &q->messages);
	list_splice_tail(&run->same, &t->msgs);
	mq_count(q, run->len, run->bytes);
	return run->len;
}

/*
 * The leading run of @msgs that is of a type already queued and fits,
 * appended in one splice, which is what a stream mostly is: with no
 * receiver waiting none can be handed a message, and a message of a
 * queued type goes behind every queued one, its type's head unchanged.
 * If @run, chained before the lock, fits whole, it is joined as it is;
 * otherwise the run is chained again here, as far as it fits (a chain
 * left unused is only overwritten). Returns the run's length, 0 if the
 * first message needs the general path.
 */
static u32 mq_append_run(struct mq_queue *q, struct mq_msg **msgs, u32 n,
			 struct mq_run *run)
{
	struct mq_type *t = mq_type_find(q, msgs[0]->mtype);
	struct mq_run here;

	if (!t)
		return 0;
	if (!run || !run->len || !mq_fits_more(q, run->bytes, run->len)) {
		run = &here;
		mq_run_chain(run, msgs, n, q);
	}
	return mq_append_chained(q, t, msgs, run);
}

/*
 * The messages after a batch's first, in the lock hold that sent it: the
 * permission and removal checks of pcbmq_send_locked() read nothing that can
 * change while the lock is held, and the sender's pid is already set, so
 * each message needs only room and a type node, found once per run of
 * one type. Stops at the first message that needs more (a new type node
 * with no spare, no room), for pcbmq_send_locked() to deal with. Returns how
 * many it sent.
 */
static u32 mq_send_rest(struct mq_queue *q, struct mq_msg **msgs, u32 n,
			struct mq_run *run)
{
	struct mq_type *t = NULL;
	u32 i;

	for (i = 0; i < n; i++) {
		struct mq_msg *msg = msgs[i];
		u32 appended;

		if (list_empty(&q->receivers)) {
			appended = mq_append_run(q, msgs + i, n - i,
						 i ? NULL : run);
			if (appended) {
				i += appended - 1;
				t = NULL;
				continue;
			}
		}
		if (!mq_fits(q, msg->size))
			break;
		if (!t || t->mtype != msg->mtype)
			t = mq_type_find(q, msg->mtype);
		if (!t && !q->spare_type)
			break;
		msg->seq = q->next_seq++;
		if (mq_handoff(q, msg)) {
			t = NULL;
			continue;
		}
		mq_link_to(q, msg, t);
		t = msg->type;
	}
	if (i)
		q->stime = ktime_get_real_seconds();
	return i;
}

/*
 * Send loaded messages in order under one lock hold: only the first may
 * sleep. Returns how many the queue took; *err says why it stopped.
 */
static u32 mq_send_many(int msqid, struct mq_msg **msgs, u32 n,
			int msgflg, s64 timeout_ns, long *err)
{
	struct mq_queue *q = pcbmq_queue_get(msqid);
	struct mq_wakeups w;
	struct mq_run run;
	u32 i;

	*err = -EINVAL;
	if (!q)
		return 0;
	mq_run_chain(&run, msgs + 1, n - 1, NULL);
	pcbmq_queue_lock(q, &w);
	*err = pcbmq_send_locked(q, msgs[0], msgflg, timeout_ns);
	i = 1;
	if (!*err)
		i += mq_send_rest(q, msgs + 1, n - 1, &run);
	for (; i < n && !*err; i++)
		*err = pcbmq_send_locked(q, msgs[i], msgflg | IPC_NOWAIT,
					 timeout_ns);
	pcbmq_queue_unlock(q);
	mq_wake_pollers(q);
	pcbmq_queue_put(q);
	return *err ? i - 1 : i;
}

/*
 * The queue is looked up at the start only for its spares: the send
 * looks it up again once the texts are in, as msgsnd does, so that a
 * queue removed meanwhile still fails it with EINVAL.
 */
long pcbmq_sndv(int msqid, void __user *uvec, u32 count, int msgflg,
		s64 timeout_ns, bool compat)
{
	struct pcbmq_vec *vec = mq_vec_load(uvec, count, sizeof(void *),
					    compat);
	struct mq_queue *spares_q;
	size_t charge = 0;
	struct mq_msg **msgs;
	long err = 0;
	u32 covered, roomy, loaded, sent, i;

	if (IS_ERR(vec))
		return PTR_ERR(vec);
	spares_q = pcbmq_queue_get(msqid);
	msgs = (struct mq_msg **)(vec + count);
	covered = mq_batch_precharge(vec, count, &charge);
	roomy = mq_batch_get_room(spares_q, vec, covered, (void **)msgs);
	/* Copy every text in first: no user access under the queue lock. */
	for (loaded = 0; loaded < count; loaded++) {
		void __user *msgp = mq_user_ptr(vec[loaded].msgp, compat);

		msgs[loaded] = pcbmq_msg_prepare(msqid, msgp, vec[loaded].msgsz,
						 loaded < covered,
						 loaded < roomy ? msgs[loaded]
								: NULL,
						 compat);
		if (IS_ERR(msgs[loaded])) {
			err = PTR_ERR(msgs[loaded]);
			break;
		}
		/* The message holds its share of the charge now. */
		if (loaded < covered)
			charge -= mq_msg_charge(msgs[loaded]->alloc);
	}
	/* Room taken for messages after one that failed goes back. */
	if (loaded + 1 < roomy)
		pcbmq_mem_put((void **)msgs + loaded + 1, roomy - loaded - 1);
	pcbmq_mem_uncharge(charge);
	sent = 0;
	if (loaded) {
		long send_err;

		sent = mq_send_many(msqid, msgs, loaded, msgflg, timeout_ns,
				    &send_err);
		if (send_err)
			err = send_err;
	}
	for (i = 0; i < sent; i++)
		vec[i].result = 0;
	if (sent < count)
		vec[sent].result = err;
	mq_batch_unload(spares_q, msgs + sent, loaded - sent);
	if (spares_q)
		pcbmq_queue_put(spares_q);
	return mq_vec_finish(uvec, vec, count, sent, err);
}

/*
 * The run of messages at the head of the queue that are also the oldest of
 * their type, in order, and that a receive of any type (or of theirs)
 * takes next, each into its own buffer: what a stream mostly is. They are
 * cut from both lists at once, where unlinking them one by one writes to
 * every neighbour. Returns the run's length, 0 if the first message takes
 * the general path (another type leads, or its buffer is too small).
 */
static u32 mq_cut_run(struct mq_queue *q, struct mq_recv_args *a,
		      const s64 *sizes, struct mq_msg **msgs, u32 n)
{
	struct mq_msg *msg, *next;
	LIST_HEAD(fifo);
	LIST_HEAD(same);
	struct mq_type *t;
	size_t bytes = 0;
	u32 i;

	msg = list_first_entry_or_null(&q->messages, struct mq_msg, fifo);
	if (!msg || (a->mode == MQ_SEARCH_EQUAL && msg->mtype != a->msgtyp))
		return 0;
	t = msg->type;
	for (i = 0; i < n;) {
		if (!mq_fits_buffer(msg, sizes[i], a->msgflg))
			break;
		msgs[i++] = msg;
		bytes += msg->size;
		next = list_next_entry(msg, fifo);
		/* Next in the queue and of the type: same type, in turn. */
		if (list_entry_is_head(next, &q->messages, fifo) ||
		    msg->same_type.next != &next->same_type)
			break;
		msg = next;
	}
	if (!i)
		return 0;
	list_cut_position(&fifo, &q->messages, &msgs[i - 1]->fifo);
	list_cut_position(&same, &t->msgs, &msgs[i - 1]->same_type);
	/* The taken stay chained to each other only, not to this stack. */
	list_del_init(&fifo);
	list_del_init(&same);
	mq_type_taken(q, t, true);
	mq_count(q, -(long)i, -(long)bytes);
	return i;
}

/*
 * The messages after a batch's first, in the lock hold that took it: as
 * in mq_send_rest(), the permission and removal checks cannot have
 * changed, so each message needs only the search and its buffer size.
 * Senders are woken once, at the end: one that fits after any of the
 * takes fits after the last, and wake-ups wait for the unlock anyway.
 */
static u32 mq_take_rest(struct mq_queue *q, struct mq_recv_args *a,
			const s64 *sizes, struct mq_msg **msgs, u32 n,
			long *err)
{
	u32 i;

	for (i = 0; i < n; i++) {
		struct mq_msg *msg;
		u32 run;

		if (a->mode == MQ_SEARCH_ANY || a->mode == MQ_SEARCH_EQUAL) {
			run = mq_cut_run(q, a, sizes + i, msgs + i, n - i);
			if (run) {
				i += run - 1;
				continue;
			}
		}
		msg = mq_find(q, a->mode, a->msgtyp);

		if (!msg) {
			*err = -ENOMSG;
			break;
		}
		if (!mq_fits_buffer(msg, sizes[i], a->msgflg)) {
			*err = -E2BIG;
			break;
		}
		mq_unlink(q, msg);
		msgs[i] = msg;
	}
	if (i) {
		q->rtime = ktime_get_real_seconds();
		/* The first may have been handed over, which sets a tid. */
		mq_set_pid(&q->lrpid, task_tgid(current));
		pcbmq_wake_senders(q);
	}
	return i;
}

/*
 * Take up to n messages under one lock hold (only the first may sleep),
 * each checked against its own buffer size in sizes[]. Returns how many
 * were taken; *err says why it stopped.
 */
static u32 mq_take_many(struct mq_queue *q, struct mq_recv_args *a,
			const s64 *sizes, struct mq_msg **msgs, u32 n,
			long *err)
{
	struct mq_wakeups w;
	u32 i = 0;

	*err = 0;
	pcbmq_queue_lock(q, &w);
	a->bufsz = sizes[0];
	msgs[0] = pcbmq_recv_locked(q, a);
	if (IS_ERR(msgs[0]))
		*err = PTR_ERR(msgs[0]);
	else
		i = 1 + mq_take_rest(q, a, sizes + 1, msgs + 1, n - 1, err);
	pcbmq_queue_unlock(q);
	if (i)
		mq_wake_pollers(q);
	return i;
}

/*
 * Copy a taken message out; a fault puts it back. Byte count or -errno.
 * A delivered message is the caller's to free, and its charge is added to
 * *charge: both are returned once for the whole batch.
 */
static long mq_deliver_to_user(struct mq_queue *q, void __user *msgp,
			       struct mq_msg *msg, size_t bufsz,
			       size_t *charge, bool compat)
{
	long ret = mq_fill(msgp, msg, bufsz, compat);

	if (ret == -EFAULT) {
		pcbmq_requeue(q, msg);
		return ret;
	}
	*charge += mq_msg_charge(msg->alloc);
	return ret;
}

long pcbmq_rcvv(int msqid, void __user *uvec, u32 count, long msgtyp,
		int msgflg, s64 timeout_ns, bool compat)
{
	struct mq_recv_args a = {
		.timeout_ns = timeout_ns,
		.msgflg = msgflg,
		.compat = compat,
	};
	size_t charge = 0;
	struct pcbmq_vec *vec;
	struct mq_msg **msgs;
	struct mq_queue *q;
	s64 *sizes;
	long err = 0, ret;
	u32 taken, done, i;

	/* MSG_COPY peeks by index: one message per call is its contract. */
	if (msqid < 0 || (msgflg & MSG_COPY))
		return -EINVAL;
	vec = mq_vec_load(uvec, count, sizeof(*msgs) + sizeof(*sizes), compat);
	if (IS_ERR(vec))
		return PTR_ERR(vec);
	q = pcbmq_queue_get(msqid);
	if (!q) {
		kvfree(vec);
		return -EINVAL;
	}
	msgs = (struct mq_msg **)(vec + count);
	sizes = (s64 *)(msgs + count);
	/* A negative size ends the batch there, with msgrcv's EINVAL. */
	for (i = 0; i < count && vec[i].msgsz >= 0; i++)
		sizes[i] = vec[i].msgsz;
	a.msgtyp = msgtyp;
	a.mode = pcbmq_search_mode(&a.msgtyp, msgflg);
	taken = i ? mq_take_many(q, &a, sizes, msgs, i, &err) : 0;
	if (!err && taken < count)
		err = -EINVAL;

	/* Copy out after the lock; a fault keeps that and later messages. */
	for (done = 0; done < taken; done++) {
		ret = mq_deliver_to_user(q, mq_user_ptr(vec[done].msgp, compat),
					 msgs[done], sizes[done], &charge,
					 compat);
		vec[done].result = ret;
		if (ret < 0) {
			err = ret;
			for (i = done + 1; i < taken; i++)
				pcbmq_requeue(q, msgs[i]);
			break;
		}
	}
	pcbmq_spares_give(q, msgs, done);
	pcbmq_mem_uncharge(charge);
	if (done < count)
		vec[done].result = err;
	pcbmq_queue_put(q);
	return mq_vec_finish(uvec, vec, count, done, err);
}
