/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the single send and receive (mq_msg.c) share with the batch paths
 * (mq_batch.c). The helpers are inline for the reason mq_msg.c gives.
 */
#ifndef PCBMQ_MQ_MSG_H
#define PCBMQ_MQ_MSG_H

#include <linux/msg.h>
#include <linux/pid.h>
#include <linux/poll.h>
#include <linux/timekeeping.h>
#include <linux/uaccess.h>

#include "mq.h"
#include "mq_index.h"

struct mq_recv_args {
	enum mq_search mode;
	long msgtyp;
	size_t bufsz;
	int msgflg;
	s64 timeout_ns;
	/* MSG_COPY: where a copy goes instead of dequeueing. */
	struct mq_msg *copy;
	/* The caller is 32-bit: its msgbuf has a 4-byte mtype. */
	bool compat;
};

int pcbmq_send_locked(struct mq_queue *q, struct mq_msg *msg, int msgflg,
		      s64 timeout_ns);
struct mq_msg *pcbmq_recv_locked(struct mq_queue *q, struct mq_recv_args *a);

static __always_inline void mq_set_pid(struct pid **slot, struct pid *pid)
{
	if (*slot != pid) {
		put_pid(*slot);
		*slot = get_pid(pid);
	}
}

static inline void mq_wake_pollers(struct mq_queue *q)
{
	/* Never watched: nobody can be polling, and the barrier is spared. */
	if (READ_ONCE(q->watched) && wq_has_sleeper(&q->pollers))
		wake_up_interruptible_poll(&q->pollers, EPOLLIN | EPOLLOUT);
}

/*
 * pipelined_send(): the first blocked receiver that wants the message gets
 * it directly; one whose buffer is too small fails with E2BIG instead.
 */
static __always_inline bool mq_handoff(struct mq_queue *q, struct mq_msg *msg)
{
	struct mq_receiver *r, *next;

	list_for_each_entry_safe(r, next, &q->receivers, node) {
		if (!mq_matches(msg, r->mode, r->msgtyp))
			continue;
		if (r->maxsize < msg->size) {
			mq_hand(q, r, ERR_PTR(-E2BIG));
			continue;
		}
		/* Like the kernel: the receiving thread's pid, not its tgid. */
		mq_set_pid(&q->lrpid, task_pid(r->task));
		q->rtime = ktime_get_real_seconds();
		mq_hand(q, r, msg);
		return true;
	}
	return false;
}

/* Does @msg go into a buffer of @bufsz bytes, or may it be cut short? */
static inline bool mq_fits_buffer(const struct mq_msg *msg, size_t bufsz,
				  int msgflg)
{
	return msg->size <= bufsz || (msgflg & MSG_NOERROR);
}

/*
 * A 32-bit caller's msgbuf (ipc/msg.c's compat_msgbuf): its long mtype is
 * four bytes, so the text starts four bytes in, not eight.
 */
struct mq_compat_msgbuf {
	s32 mtype;
	char mtext[];
};

/* Where the text of the caller's msgbuf starts. */
static __always_inline void __user *mq_mtext(void __user *msgp, bool compat)
{
	if (compat)
		return ((struct mq_compat_msgbuf __user *)msgp)->mtext;
	return ((struct msgbuf __user *)msgp)->mtext;
}

/* A 32-bit mtype is sign-extended, as compat_ksys_msgsnd() does. */
static __always_inline int mq_get_mtype(long *mtype, void __user *msgp,
					bool compat)
{
	s32 mtype32;

	if (!compat)
		return get_user(*mtype, &((struct msgbuf __user *)msgp)->mtype);
	if (get_user(mtype32, &((struct mq_compat_msgbuf __user *)msgp)->mtype))
		return -EFAULT;
	*mtype = mtype32;
	return 0;
}

/*
 * A type a 64-bit sender chose is cut to its low 32 bits for a 32-bit
 * receiver, as compat_do_msg_fill() does.
 */
static __always_inline int mq_put_mtype(long mtype, void __user *msgp,
					bool compat)
{
	if (!compat)
		return put_user(mtype, &((struct msgbuf __user *)msgp)->mtype);
	return put_user((s32)mtype,
			&((struct mq_compat_msgbuf __user *)msgp)->mtype);
}

/* do_msg_fill(): mtype first, then at most bufsz bytes of text. */
static __always_inline long mq_fill(void __user *msgp, struct mq_msg *msg,
				    size_t bufsz, bool compat)
{
	size_t n = min(bufsz, msg->size);

	if (mq_put_mtype(msg->mtype, msgp, compat))
		return -EFAULT;
	if (n && copy_to_user(mq_mtext(msgp, compat), msg->text, n))
		return -EFAULT;
	return n;
}

#endif /* PCBMQ_MQ_MSG_H */
