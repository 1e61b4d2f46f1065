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

static struct pcbmq_vec *mq_vec_load(void __user *uvec, u32 count)
{
	return vmemdup_user(uvec, array_size(count, sizeof(struct pcbmq_vec)));
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

long mq_sndv(int msqid, void __user *uvec, u32 count, int msgflg,
	     s64 timeout_ns)
{
	struct pcbmq_vec *vec = mq_vec_load(uvec, count);
	struct mq_msg **msgs;
	long err = 0;
	u32 loaded, sent, i;

	if (IS_ERR(vec))
		return PTR_ERR(vec);
	msgs = kvmalloc_array(count, sizeof(*msgs), GFP_KERNEL);
	if (!msgs) {
		kvfree(vec);
		return -ENOMEM;
	}
	/* Copy every text in first: no user access under the queue lock. */
	for (loaded = 0; loaded < count; loaded++) {
		msgs[loaded] = mq_msg_prepare(msqid,
					      u64_to_user_ptr(vec[loaded].msgp),
					      vec[loaded].msgsz);
		if (IS_ERR(msgs[loaded])) {
			err = PTR_ERR(msgs[loaded]);
			break;
		}
	}
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
	for (i = sent; i < loaded; i++)
		mq_msg_free(msgs[i]);
	kvfree(msgs);
	return mq_vec_finish(uvec, vec, count, sent, err);
}

long mq_rcvv(int msqid, void __user *uvec, u32 count, long msgtyp,
	     int msgflg, s64 timeout_ns)
{
	struct mq_recv_args a = { .timeout_ns = timeout_ns, .msgflg = msgflg };
	struct pcbmq_vec *vec;
	struct mq_msg **msgs;
	struct mq_queue *q;
	s64 *sizes;
	long err = 0, ret;
	u32 taken, done, i;

	/* MSG_COPY peeks by index: one message per call is its contract. */
	if (msqid < 0 || (msgflg & MSG_COPY))
		return -EINVAL;
	vec = mq_vec_load(uvec, count);
	if (IS_ERR(vec))
		return PTR_ERR(vec);
	msgs = kvmalloc_array(count, sizeof(*msgs) + sizeof(*sizes),
			      GFP_KERNEL);
	q = mq_get(msqid);
	if (!msgs || !q) {
		err = msgs ? -EINVAL : -ENOMEM;
		goto out_free;
	}
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
					 msgs[done], sizes[done]);
		vec[done].result = ret;
		if (ret < 0) {
			err = ret;
			for (i = done + 1; i < taken; i++)
				mq_requeue(q, msgs[i]);
			break;
		}
	}
	if (done < count)
		vec[done].result = err;
	mq_queue_put(q);
	kvfree(msgs);
	return mq_vec_finish(uvec, vec, count, done, err);

out_free:
	if (q)
		mq_queue_put(q);
	kvfree(msgs);
	kvfree(vec);
	return err;
}
