// SPDX-License-Identifier: GPL-2.0
/*
 * Sending and receiving one message, with msgsnd(2)/msgrcv(2)'s checks in
 * ipc/msg.c's order; the message is found through the type index
 * (mq_index.h), and a batch (mq_batch.c) is built from the same steps.
 *
 * The helpers of a single send or receive are __always_inline, so each is
 * one function, as msgsnd and msgrcv mostly are: under an emulator every
 * call and return costs a lookup of the code that follows, and the
 * compiler kept these out of line for having several callers.
 */
#include <linux/cred.h>
#include <linux/hrtimer.h>
#include <linux/ipc.h>
#include <linux/msg.h>
#include <linux/overflow.h>
#include <linux/poll.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <linux/timekeeping.h>
#include <linux/uaccess.h>

#include "mq.h"
#include "mq_index.h"
#include "mq_msg.h"

/* Timeouts may fire this much late, so wake-ups can be batched. */
#define MQ_TIMER_SLACK_NS (50 * NSEC_PER_USEC)

static void mq_deliver(struct mq_queue *q, struct mq_msg *msg)
{
	mq_set_pid(&q->lspid, task_tgid(current));
	q->stime = ktime_get_real_seconds();
	msg->seq = q->next_seq++;
	if (!mq_handoff(q, msg))
		pcbmq_link(q, msg);
}

/* An absolute CLOCK_MONOTONIC deadline, so re-sleeping never extends it. */
static ktime_t mq_deadline(s64 timeout_ns)
{
	return timeout_ns ? ktime_add_ns(ktime_get(), timeout_ns) : KTIME_MAX;
}

/* Sleep in the state the caller set; -ETIMEDOUT once the deadline passed. */
static int mq_sleep(ktime_t deadline)
{
	if (deadline == KTIME_MAX) {
		schedule();
		return 0;
	}
	/* schedule_hrtimeout_range() returns 0 only when the timer fired. */
	if (!schedule_hrtimeout_range(&deadline, MQ_TIMER_SLACK_NS,
				      HRTIMER_MODE_ABS))
		return -ETIMEDOUT;
	return 0;
}

/*
 * How a sleep ended without a result: signals are never restarted, even
 * under SA_RESTART (ERESTARTNOHAND), like msgsnd/msgrcv; a sleep with a
 * timeout cannot be restarted at all.
 */
static int mq_sleep_error(ktime_t deadline, int slept)
{
	if (signal_pending(current))
		return deadline == KTIME_MAX ? -ERESTARTNOHAND : -EINTR;
	return slept;
}

/*
 * Find and lock a queue of the caller's namespace without a reference:
 * RCU keeps it allocated, as ipc_obtain_object_check() relies on, so a
 * call that does not sleep touches no shared counter. Finish with
 * pcbmq_queue_unlock() and then mq_queue_done().
 */
static struct mq_queue *mq_lock_id(int msqid, struct mq_wakeups *w)
{
	struct mq_queue *q;

	rcu_read_lock();
	q = pcbmq_lookup(pcbmq_ns_current(false), msqid);
	if (!q) {
		rcu_read_unlock();
		return NULL;
	}
	pcbmq_queue_lock(q, w);
	w->rcu = true;
	return q;
}

/*
 * Before the holder drops the lock to sleep: trade RCU for a reference.
 * The queue is not removed (the caller checked under the lock), so the
 * table's own reference keeps the count above zero.
 */
static void mq_queue_pin(struct mq_queue *q, struct mq_wakeups *w)
{
	if (!w->rcu)
		return;
	refcount_inc(&q->ref);
	w->rcu = false;
	rcu_read_unlock();
}

static void mq_queue_done(struct mq_queue *q, struct mq_wakeups *w)
{
	if (w->rcu)
		rcu_read_unlock();
	else
		pcbmq_queue_put(q);
}

int pcbmq_send_locked(struct mq_queue *q, struct mq_msg *msg, int msgflg,
		      s64 timeout_ns)
{
	ktime_t deadline = mq_deadline(timeout_ns);
	struct mq_wakeups *w = q->wakeups;
	struct mq_sender s;
	int err;

	for (;;) {
		err = pcbmq_perms(q, 0222);
		if (err)
			return err;
		if (q->removed)
			return -EIDRM;
		if (mq_fits(q, msg->size) &&
		    !mq_needs_type_node(q, msg->mtype))
			break;
		if (mq_fits(q, msg->size)) {
			struct mq_type *t;

			mq_queue_pin(q, w);
			pcbmq_queue_unlock(q);
			t = kmalloc_obj(*t, GFP_KERNEL_ACCOUNT);
			pcbmq_queue_lock(q, w);
			if (!t)
				return -ENOMEM;
			if (q->spare_type)
				kfree(t);
			else
				q->spare_type = t;
			continue;
		}
		if (msgflg & IPC_NOWAIT)
			return -EAGAIN;

		s.task = current;
		s.msgsz = msg->size;
		list_add_tail(&s.node, &q->senders);
		__set_current_state(TASK_INTERRUPTIBLE);
		mq_queue_pin(q, w);
		pcbmq_queue_unlock(q);
		err = mq_sleep(deadline);
		pcbmq_queue_lock(q, w);
		list_del_init(&s.node);
		if (q->removed)
			return -EIDRM;
		err = mq_sleep_error(deadline, err);
		if (err)
			return err;
	}
	mq_deliver(q, msg);
	return 0;
}

/* Send a loaded message; on success the queue owns it. */
long pcbmq_send_msg(int msqid, struct mq_msg *msg, int msgflg, s64 timeout_ns)
{
	struct mq_wakeups w;
	struct mq_queue *q = mq_lock_id(msqid, &w);
	long err;

	if (!q)
		return -EINVAL;
	err = pcbmq_send_locked(q, msg, msgflg, timeout_ns);
	pcbmq_queue_unlock(q);
	if (!err)
		mq_wake_pollers(q);
	mq_queue_done(q, &w);
	return err;
}

/*
 * msgsnd(2)'s checks before the queue is looked up, then the copy-in.
 * @precharged: the caller charged the cap for this message already.
 * @mem: room from pcbmq_mem_get_many(), or NULL; used or given back.
 */
struct mq_msg *pcbmq_msg_prepare(int msqid, void __user *msgp, long msgsz,
				 bool precharged, void *mem, bool compat)
{
	long mtype;
	int err;

	err = mq_get_mtype(&mtype, msgp, compat);
	if (!err && (msgsz > READ_ONCE(pcbmq_msgmax) || msgsz < 0 ||
		     msqid < 0 || mtype < 1))
		err = -EINVAL;
	if (err) {
		pcbmq_mem_put_one(mem);
		return ERR_PTR(err);
	}
	/* Copied before any lock, like load_msg(): EFAULT beats EINVAL id. */
	return pcbmq_msg_load(mq_mtext(msgp, compat), msgsz, mtype, precharged,
			      mem);
}

long pcbmq_msgsnd(int msqid, void __user *msgp, long msgsz, int msgflg,
		  s64 timeout_ns, bool compat)
{
	struct mq_msg *msg = pcbmq_msg_prepare(msqid, msgp, msgsz, false, NULL,
					       compat);
	long err;

	if (IS_ERR(msg))
		return PTR_ERR(msg);
	err = pcbmq_send_msg(msqid, msg, msgflg, timeout_ns);
	if (err)
		pcbmq_msg_free(msg);
	return err;
}

/* convert_mode() */
enum mq_search pcbmq_search_mode(long *msgtyp, int msgflg)
{
	if (msgflg & MSG_COPY)
		return MQ_SEARCH_NUMBER;
	if (*msgtyp == 0)
		return MQ_SEARCH_ANY;
	if (*msgtyp < 0) {
		*msgtyp = *msgtyp == LONG_MIN ? LONG_MAX : -*msgtyp;
		return MQ_SEARCH_LESSEQUAL;
	}
	return msgflg & MSG_EXCEPT ? MQ_SEARCH_NOTEQUAL : MQ_SEARCH_EQUAL;
}

/* A found message: E2BIG leaves it queued; MSG_COPY copies it. */
static struct mq_msg *mq_take(struct mq_queue *q, struct mq_msg *msg,
			      struct mq_recv_args *a)
{
	if (!mq_fits_buffer(msg, a->bufsz, a->msgflg))
		return ERR_PTR(-E2BIG);
	if (a->copy) {
		if (msg->size > a->copy->size)
			return ERR_PTR(-EINVAL);
		memcpy(a->copy->text, msg->text, msg->size);
		a->copy->mtype = msg->mtype;
		a->copy->size = msg->size;
		return a->copy;
	}
	mq_unlink(q, msg);
	q->rtime = ktime_get_real_seconds();
	mq_set_pid(&q->lrpid, task_tgid(current));
	pcbmq_wake_senders(q);
	return msg;
}

struct mq_msg *pcbmq_recv_locked(struct mq_queue *q, struct mq_recv_args *a)
{
	ktime_t deadline = mq_deadline(a->timeout_ns);
	struct mq_wakeups *w = q->wakeups;
	struct mq_receiver r;
	struct mq_msg *msg;
	int err;

	for (;;) {
		if (pcbmq_perms(q, 0444))
			return ERR_PTR(-EACCES);
		if (q->removed)
			return ERR_PTR(-EIDRM);
		msg = mq_find(q, a->mode, a->msgtyp);
		if (msg)
			return mq_take(q, msg, a);
		if (a->msgflg & IPC_NOWAIT)
			return ERR_PTR(-ENOMSG);

		r.task = current;
		r.mode = a->mode;
		r.msgtyp = a->msgtyp;
		r.maxsize = a->msgflg & MSG_NOERROR ? INT_MAX : a->bufsz;
		r.msg = NULL;
		list_add_tail(&r.node, &q->receivers);
		__set_current_state(TASK_INTERRUPTIBLE);
		mq_queue_pin(q, w);
		pcbmq_queue_unlock(q);
		err = mq_sleep(deadline);
		pcbmq_queue_lock(q, w);
		/* A hand-off wins over a signal or a timeout meanwhile. */
		if (r.msg && r.msg != ERR_PTR(-EAGAIN))
			return r.msg;
		if (!r.msg)
			list_del(&r.node);
		err = mq_sleep_error(deadline, err);
		if (err)
			return ERR_PTR(err);
	}
}

/*
 * The copy-out faulted: unlike the kernel, which drops the message, put it
 * back where its sequence number says (or to a receiver now waiting).
 */
void pcbmq_requeue(struct mq_queue *q, struct mq_msg *msg)
{
	struct mq_type *t = kmalloc_obj(*t, GFP_KERNEL | __GFP_NOFAIL);
	struct mq_wakeups w;

	pcbmq_queue_lock(q, &w);
	if (!q->spare_type) {
		q->spare_type = t;
		t = NULL;
	}
	if (q->removed) {
		pcbmq_queue_unlock(q);
		pcbmq_msg_free(msg);
	} else {
		if (!mq_handoff(q, msg))
			pcbmq_link(q, msg);
		pcbmq_queue_unlock(q);
		mq_wake_pollers(q);
	}
	kfree(t);
}

/*
 * Copy a received message out while still under RCU, with page faults
 * off so nothing sleeps. If the user page must be faulted in, trade RCU
 * for a reference first: a fault then puts the message back. Returns the
 * byte count or -errno; *q is NULL if the queue went away meanwhile.
 */
static long mq_fill_pinned(struct mq_queue **q, struct mq_wakeups *w,
			   void __user *msgp, struct mq_msg *msg, size_t bufsz,
			   bool compat)
{
	long ret;

	if (w->rcu) {
		pagefault_disable();
		ret = mq_fill(msgp, msg, bufsz, compat);
		pagefault_enable();
		if (ret != -EFAULT)
			return ret;
		if (!refcount_inc_not_zero(&(*q)->ref))
			*q = NULL;
		w->rcu = false;
		rcu_read_unlock();
	}
	return mq_fill(msgp, msg, bufsz, compat);
}

/* Receive into user memory; returns the byte count or -errno. */
static long mq_recv_msg(int msqid, void __user *msgp, struct mq_recv_args *a)
{
	struct mq_wakeups w;
	struct mq_queue *q = mq_lock_id(msqid, &w);
	struct mq_msg *msg;
	long ret;

	if (!q)
		return -EINVAL;
	msg = pcbmq_recv_locked(q, a);
	pcbmq_queue_unlock(q);
	if (IS_ERR(msg)) {
		ret = PTR_ERR(msg);
		goto out_done;
	}
	if (msg != a->copy)
		mq_wake_pollers(q);
	ret = mq_fill_pinned(&q, &w, msgp, msg, a->bufsz, a->compat);
	if (msg == a->copy) {
		msg = NULL; /* the caller frees its copy */
	} else if (ret == -EFAULT && q) {
		pcbmq_requeue(q, msg);
		msg = NULL;
	}
	/* Out of RCU first: kvfree() of a vmalloc'ed text may sleep. */
	if (q)
		mq_queue_done(q, &w);
	if (msg)
		pcbmq_msg_free(msg);
	return ret;

out_done:
	mq_queue_done(q, &w);
	return ret;
}

long pcbmq_msgrcv(int msqid, void __user *msgp, long msgsz, long msgtyp,
		  int msgflg, s64 timeout_ns, bool compat)
{
	struct mq_recv_args a = {
		.bufsz = msgsz,
		.msgflg = msgflg,
		.timeout_ns = timeout_ns,
		.compat = compat,
	};
	long ret;

	if (msqid < 0 || msgsz < 0)
		return -EINVAL;
	if (msgflg & MSG_COPY) {
		if ((msgflg & MSG_EXCEPT) || !(msgflg & IPC_NOWAIT))
			return -EINVAL;
		/* prepare_copy() reads the user buffer: EFAULT comes first. */
		a.copy = pcbmq_msg_load(msgp, min_t(long, msgsz,
						    READ_ONCE(pcbmq_msgmax)),
					0, false, NULL);
		if (IS_ERR(a.copy))
			return PTR_ERR(a.copy);
	}
	a.msgtyp = msgtyp;
	a.mode = pcbmq_search_mode(&a.msgtyp, msgflg);

	ret = mq_recv_msg(msqid, msgp, &a);
	if (a.copy)
		pcbmq_msg_free(a.copy);
	return ret;
}
