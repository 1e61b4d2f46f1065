// SPDX-License-Identifier: GPL-2.0
/*
 * Batch send and receive: many messages per ioctl. Each message keeps the
 * single call's semantics and errors; only the first may block, so a batch
 * never waits with messages already transferred.
 */
#include <linux/ipc.h>
#include <linux/msg.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include "mq.h"
#include "pcbmq.h"

/*
 * The caller's vector, with room behind it for @extra bytes per entry: one
 * allocation per batch. Freed by mq_vec_finish() or kvfree().
 */
static struct pcbmq_vec *mq_vec_load(void __user *uvec, u32 count,
				     size_t extra)
{
	struct pcbmq_vec *vec;

	vec = kvmalloc_array(count, sizeof(*vec) + extra, GFP_KERNEL);
	if (!vec)
		return ERR_PTR(-ENOMEM);
	if (copy_from_user(vec, uvec, array_size(count, sizeof(*vec)))) {
		kvfree(vec);
		return ERR_PTR(-EFAULT);
	}
	return vec;
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
	long msgmax = READ_ONCE(mq_msgmax);
	size_t total = 0;
	u32 n;

	for (n = 0; n < count && vec[n].msgsz >= 0 && vec[n].msgsz <= msgmax;
	     n++)
		total += mq_msg_charge(vec[n].msgsz);
	if (!mq_mem_charge(total))
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

	for (n = 0; n < count && (size_t)vec[n].msgsz <= mq_small_text(); n++)
		;
	spares = q ? mq_spares_take(q, mem, n) : 0;
	/* One message gains nothing from a bulk call. */
	if (n - spares < 2 || !mq_mem_get_many(mem + spares, n - spares))
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
			mq_msg_free(msgs[i]);
		return;
	}
	for (i = 0; i < n; i++)
		charge += mq_msg_charge(msgs[i]->alloc);
	mq_mem_uncharge(charge);
	mq_spares_give(q, msgs, n);
}

/*
 * The queue is looked up at the start only for its spares: the send
 * looks it up again once the texts are in, as msgsnd does, so that a
 * queue removed meanwhile still fails it with EINVAL.
 */
long mq_sndv(int msqid, void __user *uvec, u32 count, int msgflg,
	     s64 timeout_ns)
{
	struct pcbmq_vec *vec = mq_vec_load(uvec, count, sizeof(void *));
	struct mq_queue *spares_q;
	size_t charge = 0;
	struct mq_msg **msgs;
	long err = 0;
	u32 covered, roomy, loaded, sent, i;

	if (IS_ERR(vec))
		return PTR_ERR(vec);
	spares_q = mq_get(msqid);
	msgs = (struct mq_msg **)(vec + count);
	covered = mq_batch_precharge(vec, count, &charge);
	roomy = mq_batch_get_room(spares_q, vec, covered, (void **)msgs);
	/* Copy every text in first: no user access under the queue lock. */
	for (loaded = 0; loaded < count; loaded++) {
		msgs[loaded] = mq_msg_prepare(msqid,
					      u64_to_user_ptr(vec[loaded].msgp),
					      vec[loaded].msgsz,
					      loaded < covered,
					      loaded < roomy ? msgs[loaded]
							     : NULL);
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
		mq_mem_put((void **)msgs + loaded + 1, roomy - loaded - 1);
	mq_mem_uncharge(charge);
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
		mq_queue_put(spares_q);
	return mq_vec_finish(uvec, vec, count, sent, err);
}

long mq_rcvv(int msqid, void __user *uvec, u32 count, long msgtyp,
	     int msgflg, s64 timeout_ns)
{
	struct mq_recv_args a = { .timeout_ns = timeout_ns, .msgflg = msgflg };
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
	vec = mq_vec_load(uvec, count, sizeof(*msgs) + sizeof(*sizes));
	if (IS_ERR(vec))
		return PTR_ERR(vec);
	q = mq_get(msqid);
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
	a.mode = mq_mode(&a.msgtyp, msgflg);
	taken = i ? mq_take_many(q, &a, sizes, msgs, i, &err) : 0;
	if (!err && taken < count)
		err = -EINVAL;

	/* Copy out after the lock; a fault keeps that and later messages. */
	for (done = 0; done < taken; done++) {
		ret = mq_deliver_to_user(q, u64_to_user_ptr(vec[done].msgp),
					 msgs[done], sizes[done], &charge);
		vec[done].result = ret;
		if (ret < 0) {
			err = ret;
			for (i = done + 1; i < taken; i++)
				mq_requeue(q, msgs[i]);
			break;
		}
	}
	mq_spares_give(q, msgs, done);
	mq_mem_uncharge(charge);
	if (done < count)
		vec[done].result = err;
	mq_queue_put(q);
	return mq_vec_finish(uvec, vec, count, done, err);
}
