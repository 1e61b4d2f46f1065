// SPDX-License-Identifier: GPL-2.0
/*
 * msgctl(2): IPC_STAT, IPC_SET, IPC_RMID, IPC_INFO, MSG_INFO, MSG_STAT and
 * MSG_STAT_ANY with the kernel's checks, in its order, on the kernel's own
 * struct msqid64_ds and struct msginfo layouts.
 */
#include <linux/capability.h>
#include <linux/cred.h>
#include <linux/ipc.h>
#include <linux/msg.h>
#include <linux/pid.h>
#include <linux/timekeeping.h>
#include <linux/uaccess.h>

#include "mq.h"

/*
 * The highest index in use, -1 for none, and for MSG_INFO (@info) the
 * totals, summed here rather than kept in counters that every send and
 * receive would have to update. Read under RCU, without the table's mutex
 * or the queues' locks, so that stat calls (stress-ng makes them every
 * few sends) do not serialise on one mutex nor take the locks of other
 * callers' queues. Like the kernel's per-CPU totals, figures read while
 * calls run are each of a moment, not all of one instant. Caller holds
 * rcu_read_lock.
 */
static int mq_ns_scan(struct mq_ns *mns, struct msginfo *info)
{
	unsigned long hdrs = 0, bytes = 0, idx;
	struct mq_queue *q;
	int max_idx = -1;

	if (!mns || !READ_ONCE(mns->in_use))
		return -1;
	xa_for_each(&mns->ids, idx, q) {
		max_idx = idx;
		/* Written under q->lock, which this reader does not take. */
		hdrs += READ_ONCE(q->qnum);
		bytes += READ_ONCE(q->cbytes);
	}
	if (info) {
		info->msgpool = READ_ONCE(mns->in_use);
		info->msgmap = min_t(unsigned long, INT_MAX, hdrs);
		info->msgtql = min_t(unsigned long, INT_MAX, bytes);
	}
	return max_idx;
}

static int mq_ctl_info(int cmd, void __user *buf)
{
	struct msginfo info;
	int max_idx;

	memset(&info, 0, sizeof(info));
	info.msgmni = READ_ONCE(pcbmq_msgmni);
	info.msgmax = READ_ONCE(pcbmq_msgmax);
	info.msgmnb = READ_ONCE(pcbmq_msgmnb);
	info.msgssz = MSGSSZ;
	info.msgseg = MSGSEG;
	if (cmd != MSG_INFO) {
		info.msgmap = MSGMAP;
		info.msgpool = MSGPOOL;
		info.msgtql = MSGTQL;
	}
	rcu_read_lock();
	max_idx = mq_ns_scan(pcbmq_ns_current(false),
			     cmd == MSG_INFO ? &info : NULL);
	rcu_read_unlock();
	if (copy_to_user(buf, &info, sizeof(info)))
		return -EFAULT;
	return max_idx < 0 ? 0 : max_idx;
}

static void mq_fill_stat(struct mq_queue *q, struct msqid64_ds *p)
{
	struct user_namespace *user_ns = current_user_ns();

	p->msg_perm.key = q->key;
	p->msg_perm.uid = from_kuid_munged(user_ns, q->uid);
	p->msg_perm.gid = from_kgid_munged(user_ns, q->gid);
	p->msg_perm.cuid = from_kuid_munged(user_ns, q->cuid);
	p->msg_perm.cgid = from_kgid_munged(user_ns, q->cgid);
	p->msg_perm.mode = q->mode;
	p->msg_perm.seq = q->seq;
	p->msg_stime = q->stime;
	p->msg_rtime = q->rtime;
	p->msg_ctime = q->ctime;
	p->msg_cbytes = q->cbytes;
	p->msg_qnum = q->qnum;
	p->msg_qbytes = q->qbytes;
	p->msg_lspid = pid_vnr(q->lspid);
	p->msg_lrpid = pid_vnr(q->lrpid);
}

/*
 * IPC_STAT takes an id; MSG_STAT and MSG_STAT_ANY take an index and return
 * the id.
 */
static int mq_ctl_stat(int msqid, int cmd, void __user *buf)
{
	struct mq_queue *q;
	struct msqid64_ds p;
	int ret;

	memset(&p, 0, sizeof(p));
	rcu_read_lock();
	if (cmd == IPC_STAT)
		q = pcbmq_lookup(pcbmq_ns_current(false), msqid);
	else
		q = pcbmq_lookup_index(pcbmq_ns_current(false), msqid);
	ret = -EINVAL;
	if (!q)
		goto out_unlock_rcu;
	ret = -EACCES;
	if (cmd != MSG_STAT_ANY && pcbmq_perms(q, 0444))
		goto out_unlock_rcu;
	spin_lock(&q->lock);
	if (q->removed) {
		ret = -EIDRM;
	} else {
		mq_fill_stat(q, &p);
		ret = cmd == IPC_STAT ? 0 : q->id;
	}
	spin_unlock(&q->lock);
out_unlock_rcu:
	rcu_read_unlock();
	if (ret >= 0 && copy_to_user(buf, &p, sizeof(p)))
		return -EFAULT;
	return ret;
}

static int mq_ctl_set(struct mq_queue *q, struct msqid64_ds *in)
{
	struct user_namespace *user_ns = current_user_ns();
	/* The kernel narrows msg_qbytes to int before checking it. */
	int qbytes = in->msg_qbytes;
	struct mq_wakeups w;
	kuid_t uid;
	kgid_t gid;

	if (qbytes > READ_ONCE(pcbmq_msgmnb) && !capable(CAP_SYS_RESOURCE))
		return -EPERM;
	uid = make_kuid(user_ns, in->msg_perm.uid);
	gid = make_kgid(user_ns, in->msg_perm.gid);
	if (!uid_valid(uid) || !gid_valid(gid))
		return -EINVAL;

	pcbmq_queue_lock(q, &w);
	q->uid = uid;
	q->gid = gid;
	q->mode = (q->mode & ~0777) | (in->msg_perm.mode & 0777);
	q->qbytes = qbytes;
	q->ctime = ktime_get_real_seconds();
	/* Receivers recheck their permission, senders whether they fit now. */
	pcbmq_wake_all(q, -EAGAIN);
	pcbmq_wake_senders(q);
	pcbmq_queue_unlock(q);
	wake_up_interruptible_all(&q->pollers);
	return 0;
}

/* IPC_SET and IPC_RMID: the creator, the owner or CAP_SYS_ADMIN. */
static int mq_ctl_down(int msqid, int cmd, struct msqid64_ds *in)
{
	struct mq_queue *q;
	struct mq_ns *mns;
	int ret;

	mutex_lock(&pcbmq_ids_mutex);
	mns = pcbmq_ns_current(false);
	q = pcbmq_lookup(mns, msqid);
	ret = -EINVAL;
	if (!q)
		goto out_unlock;
	ret = -EPERM;
	if (!pcbmq_is_owner(q))
		goto out_unlock;
	if (cmd == IPC_RMID) {
		pcbmq_remove(q);
		ret = 0;
	} else {
		ret = mq_ctl_set(q, in);
	}
out_unlock:
	mutex_unlock(&pcbmq_ids_mutex);
	return ret;
}

long pcbmq_msgctl(int msqid, int cmd, void __user *buf)
{
	struct msqid64_ds in;

	if (msqid < 0 || cmd < 0)
		return -EINVAL;
	switch (cmd) {
	case IPC_INFO:
	case MSG_INFO:
		return mq_ctl_info(cmd, buf);
	case IPC_STAT:
	case MSG_STAT:
	case MSG_STAT_ANY:
		return mq_ctl_stat(msqid, cmd, buf);
	case IPC_SET:
		if (copy_from_user(&in, buf, sizeof(in)))
			return -EFAULT;
		return mq_ctl_down(msqid, cmd, &in);
	case IPC_RMID:
		return mq_ctl_down(msqid, cmd, NULL);
	default:
		return -EINVAL;
	}
}
