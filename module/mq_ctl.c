// SPDX-License-Identifier: GPL-2.0
/*
 * msgctl(2): IPC_STAT, IPC_SET, IPC_RMID, IPC_INFO, MSG_INFO, MSG_STAT and
 * MSG_STAT_ANY with the kernel's checks, in its order, on the kernel's own
 * struct msqid64_ds and struct msginfo layouts, and for 32-bit callers on
 * its compat layouts.
 */
#include <linux/capability.h>
#include <linux/compat.h>
#include <linux/cred.h>
#include <linux/highuid.h>
#include <linux/ipc.h>
#include <linux/msg.h>
#include <linux/pid.h>
#include <linux/timekeeping.h>
#include <linux/uaccess.h>

#include "mq.h"

/*
 * The highest index in use, -1 for none, and for MSG_INFO (@info) the
 * totals, read under RCU without the table's mutex or any queue's lock,
 * so that stat calls (stress-ng makes them every few sends) neither
 * serialise on one mutex nor take the locks of other callers' queues.
 * Like the kernel's per-CPU totals, a sum read while calls run is of no
 * single instant, and a moment's CPU may hold a negative share. Caller
 * holds rcu_read_lock.
 */
static int mq_ns_info(struct mq_ns *mns, struct msginfo *info)
{
	long hdrs = 0, bytes = 0;
	int cpu;

	if (!mns)
		return -1;
	if (info) {
		for_each_possible_cpu(cpu) {
			struct mq_ns_totals *t = per_cpu_ptr(mns->totals, cpu);

			/* Each CPU's share is written by that CPU alone. */
			hdrs += READ_ONCE(t->hdrs);
			bytes += READ_ONCE(t->bytes);
		}
		info->msgpool = READ_ONCE(mns->in_use);
		info->msgmap = clamp_t(long, hdrs, 0, INT_MAX);
		info->msgtql = clamp_t(long, bytes, 0, INT_MAX);
	}
	return READ_ONCE(mns->max_idx);
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
	max_idx = mq_ns_info(pcbmq_ns_current(false),
			     cmd == MSG_INFO ? &info : NULL);
	rcu_read_unlock();
	if (copy_to_user(buf, &info, sizeof(info)))
		return -EFAULT;
	return max_idx < 0 ? 0 : max_idx;
}

/*
 * The layouts msgctl(2) speaks, as ipc/msg.c names them: the native
 * msqid64_ds, and for a 32-bit caller compat_msqid64_ds (IPC_64, which
 * 32-bit libc always passes) or the old compat_msqid_ds (IPC_OLD).
 */
enum mq_layout {
	MQ_NATIVE,
	MQ_COMPAT_64,
	MQ_COMPAT_OLD,
};

#ifdef CONFIG_COMPAT
/*
 * ipc/util.h's compat_ipc_perm and ipc/msg.c's compat_msqid_ds, which no
 * header exports: 16-bit ids, times and counts.
 */
struct mq_compat_ipc_perm {
	compat_key_t key;
	__compat_uid_t uid;
	__compat_gid_t gid;
	__compat_uid_t cuid;
	__compat_gid_t cgid;
	compat_mode_t mode;
	unsigned short seq;
};

struct mq_compat_msqid_ds {
	struct mq_compat_ipc_perm msg_perm;
	compat_uptr_t msg_first;
	compat_uptr_t msg_last;
	old_time32_t msg_stime;
	old_time32_t msg_rtime;
	old_time32_t msg_ctime;
	compat_ulong_t msg_lcbytes;
	compat_ulong_t msg_lqbytes;
	unsigned short msg_cbytes;
	unsigned short msg_qnum;
	unsigned short msg_qbytes;
	compat_ipc_pid_t msg_lspid;
	compat_ipc_pid_t msg_lrpid;
};

/* copy_compat_msqid_to_user() for IPC_64: 64-bit times split in halves. */
static int mq_copy_compat64_to_user(void __user *buf, struct msqid64_ds *in)
{
	struct compat_msqid64_ds v;

	memset(&v, 0, sizeof(v));
	v.msg_perm.key = in->msg_perm.key;
	v.msg_perm.uid = in->msg_perm.uid;
	v.msg_perm.gid = in->msg_perm.gid;
	v.msg_perm.cuid = in->msg_perm.cuid;
	v.msg_perm.cgid = in->msg_perm.cgid;
	v.msg_perm.mode = in->msg_perm.mode;
	v.msg_perm.seq = in->msg_perm.seq;
	v.msg_stime = lower_32_bits(in->msg_stime);
	v.msg_stime_high = upper_32_bits(in->msg_stime);
	v.msg_rtime = lower_32_bits(in->msg_rtime);
	v.msg_rtime_high = upper_32_bits(in->msg_rtime);
	v.msg_ctime = lower_32_bits(in->msg_ctime);
	v.msg_ctime_high = upper_32_bits(in->msg_ctime);
	v.msg_cbytes = in->msg_cbytes;
	v.msg_qnum = in->msg_qnum;
	v.msg_qbytes = in->msg_qbytes;
	v.msg_lspid = in->msg_lspid;
	v.msg_lrpid = in->msg_lrpid;
	return copy_to_user(buf, &v, sizeof(v)) ? -EFAULT : 0;
}

/*
 * ... and for IPC_OLD: ids that do not fit 16 bits become the overflow
 * id, times and counts are cut, and the long counts stay zero, as the
 * kernel leaves them.
 */
static int mq_copy_compat_old_to_user(void __user *buf, struct msqid64_ds *in)
{
	struct mq_compat_msqid_ds v;

	memset(&v, 0, sizeof(v));
	v.msg_perm.key = in->msg_perm.key;
	v.msg_perm.uid = high2lowuid(in->msg_perm.uid);
	v.msg_perm.gid = high2lowgid(in->msg_perm.gid);
	v.msg_perm.cuid = high2lowuid(in->msg_perm.cuid);
	v.msg_perm.cgid = high2lowgid(in->msg_perm.cgid);
	v.msg_perm.mode = in->msg_perm.mode;
	v.msg_perm.seq = in->msg_perm.seq;
	v.msg_stime = in->msg_stime;
	v.msg_rtime = in->msg_rtime;
	v.msg_ctime = in->msg_ctime;
	v.msg_cbytes = in->msg_cbytes;
	v.msg_qnum = in->msg_qnum;
	v.msg_qbytes = in->msg_qbytes;
	v.msg_lspid = in->msg_lspid;
	v.msg_lrpid = in->msg_lrpid;
	return copy_to_user(buf, &v, sizeof(v)) ? -EFAULT : 0;
}

/*
 * copy_compat_msqid_from_user(): the ipc_perm part whole, then
 * msg_qbytes on its own, so a buffer that ends after msg_qbytes faults
 * no more than it does in the kernel.
 */
static int mq_copy_compat_from_user(struct msqid64_ds *out, void __user *buf,
				    enum mq_layout layout)
{
	memset(out, 0, sizeof(*out));
	if (layout == MQ_COMPAT_64) {
		struct compat_msqid64_ds __user *p = buf;
		struct compat_ipc64_perm perm;

		if (copy_from_user(&perm, &p->msg_perm, sizeof(perm)) ||
		    get_user(out->msg_qbytes, &p->msg_qbytes))
			return -EFAULT;
		out->msg_perm.uid = perm.uid;
		out->msg_perm.gid = perm.gid;
		out->msg_perm.mode = perm.mode;
	} else {
		struct mq_compat_msqid_ds __user *p = buf;
		struct mq_compat_ipc_perm perm;

		if (copy_from_user(&perm, &p->msg_perm, sizeof(perm)) ||
		    get_user(out->msg_qbytes, &p->msg_qbytes))
			return -EFAULT;
		out->msg_perm.uid = perm.uid;
		out->msg_perm.gid = perm.gid;
		out->msg_perm.mode = perm.mode;
	}
	return 0;
}
#else
static int mq_copy_compat64_to_user(void __user *buf, struct msqid64_ds *in)
{
	return -EFAULT;
}

static int mq_copy_compat_old_to_user(void __user *buf, struct msqid64_ds *in)
{
	return -EFAULT;
}

static int mq_copy_compat_from_user(struct msqid64_ds *out, void __user *buf,
				    enum mq_layout layout)
{
	return -EFAULT;
}
#endif

static int mq_copy_msqid_to_user(void __user *buf, struct msqid64_ds *in,
				 enum mq_layout layout)
{
	if (layout == MQ_COMPAT_64)
		return mq_copy_compat64_to_user(buf, in);
	if (layout == MQ_COMPAT_OLD)
		return mq_copy_compat_old_to_user(buf, in);
	return copy_to_user(buf, in, sizeof(*in)) ? -EFAULT : 0;
}

static int mq_copy_msqid_from_user(struct msqid64_ds *out, void __user *buf,
				   enum mq_layout layout)
{
	if (layout == MQ_NATIVE)
		return copy_from_user(out, buf, sizeof(*out)) ? -EFAULT : 0;
	return mq_copy_compat_from_user(out, buf, layout);
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
static int mq_ctl_stat(int msqid, int cmd, void __user *buf, enum mq_layout layout)
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
	if (ret >= 0 && mq_copy_msqid_to_user(buf, &p, layout))
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

/*
 * A 32-bit caller's cmd says which layout it speaks, as the ipc(2) entry
 * that 32-bit libc calls reads it (compat_ipc_parse_version()): IPC_64
 * set, compat_msqid64_ds; clear, the old compat_msqid_ds. The flag is
 * taken off before the command is looked at. A native caller has one
 * layout, and IPC_64 in its cmd is an unknown command, EINVAL.
 */
long pcbmq_msgctl(int msqid, int cmd, void __user *buf, bool compat)
{
	enum mq_layout layout = MQ_NATIVE;
	struct msqid64_ds in;

	if (compat) {
		layout = cmd & IPC_64 ? MQ_COMPAT_64 : MQ_COMPAT_OLD;
		cmd &= ~IPC_64;
	}
	if (msqid < 0 || cmd < 0)
		return -EINVAL;
	switch (cmd) {
	case IPC_INFO:
	case MSG_INFO:
		return mq_ctl_info(cmd, buf);
	case IPC_STAT:
	case MSG_STAT:
	case MSG_STAT_ANY:
		return mq_ctl_stat(msqid, cmd, buf, layout);
	case IPC_SET:
		if (mq_copy_msqid_from_user(&in, buf, layout))
			return -EFAULT;
		return mq_ctl_down(msqid, cmd, &in);
	case IPC_RMID:
		return mq_ctl_down(msqid, cmd, NULL);
	default:
		return -EINVAL;
	}
}
