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
	struct mq_msg *msg;
	long err = 0;
	u32 i;

	if (IS_ERR(vec))
		return PTR_ERR(vec);
	for (i = 0; i < count; i++) {
		msg = mq_msg_prepare(msqid, u64_to_user_ptr(vec[i].msgp),
				     vec[i].msgsz);
		if (IS_ERR(msg)) {
			err = PTR_ERR(msg);
		} else {
			err = mq_send_msg(msqid, msg,
					  i ? msgflg | IPC_NOWAIT : msgflg,
					  timeout_ns);
			if (err)
				mq_msg_free(msg);
		}
		vec[i].result = err;
		if (err)
			break;
	}
	return mq_vec_finish(uvec, vec, count, i, err);
}

long mq_rcvv(int msqid, void __user *uvec, u32 count, long msgtyp,
	     int msgflg, s64 timeout_ns)
{
	struct mq_recv_args a = { .timeout_ns = timeout_ns };
	struct pcbmq_vec *vec;
	struct mq_queue *q;
	long ret = 0;
	u32 i;

	/* MSG_COPY peeks by index: one message per call is its contract. */
	if (msqid < 0 || (msgflg & MSG_COPY))
		return -EINVAL;
	vec = mq_vec_load(uvec, count);
	if (IS_ERR(vec))
		return PTR_ERR(vec);
	q = mq_get(msqid);
	if (!q) {
		kvfree(vec);
		return -EINVAL;
	}
	for (i = 0; i < count; i++) {
		a.msgtyp = msgtyp;
		a.msgflg = i ? msgflg | IPC_NOWAIT : msgflg;
		a.mode = mq_mode(&a.msgtyp, a.msgflg);
		a.bufsz = vec[i].msgsz;
		ret = vec[i].msgsz < 0 ? -EINVAL :
			mq_recv_msg(q, u64_to_user_ptr(vec[i].msgp), &a);
		vec[i].result = ret;
		if (ret < 0)
			break;
	}
	mq_queue_put(q);
	return mq_vec_finish(uvec, vec, count, i, ret);
}
