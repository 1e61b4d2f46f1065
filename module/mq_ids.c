// SPDX-License-Identifier: GPL-2.0
/*
 * Queue identity: per-IPC-namespace tables, ids, keys and permissions,
 * following ipc/util.c so that ids and errors match the kernel's.
 *
 * pcbmq_ids_mutex serialises every change to a table (create, remove, key
 * lookups); readers find a queue by id under RCU and then take its lock.
 */
#include <linux/capability.h>
#include <linux/cred.h>
#include <linux/ipc.h>
#include <linux/nsproxy.h>
#include <linux/pid.h>
#include <linux/rculist.h>
#include <linux/slab.h>
#include <linux/timekeeping.h>
#include <linux/workqueue.h>

#include "mq.h"

/* Serialises changes to every table: create, remove, key lookup. */
DEFINE_MUTEX(pcbmq_ids_mutex);
static LIST_HEAD(mq_namespaces);

/*
 * The kernel tells no module when a namespace dies, so held tables are
 * checked for orphans this often, only while there are any: a dead
 * namespace's queues (and the memory they are charged) go within about a
 * second rather than at unload. Set under pcbmq_ids_mutex at exit.
 */
#define MQ_REAP_PERIOD HZ
static void mq_reap(struct work_struct *work);
static DECLARE_DELAYED_WORK(mq_reaper, mq_reap);
static bool mq_reaper_stopped;

static struct ipc_namespace *mq_current_ipc_ns(void)
{
	return current->nsproxy->ipc_ns;
}

/* Caller holds rcu_read_lock or pcbmq_ids_mutex. */
static struct mq_ns *mq_ns_find(struct ipc_namespace *ipc_ns)
{
	struct mq_ns *mns;

	list_for_each_entry_rcu(mns, &mq_namespaces, node,
				lockdep_is_held(&pcbmq_ids_mutex))
		if (mns->ipc_ns == ipc_ns)
			return mns;
	return NULL;
}

/* After readers under RCU, who may be summing its totals, are gone. */
static void mq_ns_free_rcu(struct rcu_head *head)
{
	struct mq_ns *mns = container_of(head, struct mq_ns, rcu);

	free_percpu(mns->totals);
	kfree(mns);
}

static void mq_ns_free(struct mq_ns *mns)
{
	struct mq_queue *q;
	unsigned long idx;

	lockdep_assert_held(&pcbmq_ids_mutex);
	/* Nobody waits here: a sleeper's nsproxy would keep the ns alive. */
	xa_for_each(&mns->ids, idx, q)
		pcbmq_remove(q);
	list_del_rcu(&mns->node);
	xa_destroy(&mns->ids);
	if (mns->held)
		pcbmq_ipc_ns_drop(mns->ipc_ns);
	call_rcu(&mns->rcu, mq_ns_free_rcu);
}

static void mq_reap(struct work_struct *work)
{
	struct mq_ns *mns, *next;
	bool held = false;

	mutex_lock(&pcbmq_ids_mutex);
	list_for_each_entry_safe(mns, next, &mq_namespaces, node) {
		if (!mns->held)
			continue;
		if (pcbmq_ipc_ns_orphaned(mns->ipc_ns))
			mq_ns_free(mns);
		else
			held = true;
	}
	if (held && !mq_reaper_stopped)
		schedule_delayed_work(&mq_reaper, MQ_REAP_PERIOD);
	mutex_unlock(&pcbmq_ids_mutex);
}

/* The initial namespace never dies: its table needs no reference. */
static bool mq_ns_hold(struct ipc_namespace *ipc_ns)
{
	if (ipc_ns == init_task.nsproxy->ipc_ns ||
	    !pcbmq_ipc_ns_hold(ipc_ns))
		return false;
	if (!mq_reaper_stopped)
		schedule_delayed_work(&mq_reaper, MQ_REAP_PERIOD);
	return true;
}

/*
 * The table of the caller's namespace. Without @create the caller holds
 * rcu_read_lock; with it, pcbmq_ids_mutex.
 */
struct mq_ns *pcbmq_ns_current(bool create)
{
	struct ipc_namespace *ipc_ns = mq_current_ipc_ns();
	u64 ns_id = pcbstat_ipc_ns_id(ipc_ns);
	struct mq_ns *mns = mq_ns_find(ipc_ns);

	if (mns && mns->ns_id == ns_id)
		return mns;
	if (!create)
		return NULL;
	/* A dead namespace's table at a reused address: its queues go. */
	if (mns)
		mq_ns_free(mns);

	mns = kzalloc_obj(*mns, GFP_KERNEL);
	if (!mns)
		return NULL;
	mns->totals = alloc_percpu(struct mq_ns_totals);
	if (!mns->totals) {
		kfree(mns);
		return NULL;
	}
	mns->ipc_ns = ipc_ns;
	mns->ns_id = ns_id;
	mns->held = mq_ns_hold(ipc_ns);
	xa_init_flags(&mns->ids, XA_FLAGS_ALLOC);
	mns->last_idx = -1;
	mns->max_idx = -1;
	list_add_rcu(&mns->node, &mq_namespaces);
	return mns;
}

/* Caller holds rcu_read_lock or pcbmq_ids_mutex. */
static struct mq_queue *mq_slot(struct mq_ns *mns, u32 idx)
{
	if (idx < ARRAY_SIZE(mns->low))
		return rcu_dereference_check(mns->low[idx],
					     lockdep_is_held(&pcbmq_ids_mutex));
	return xa_load(&mns->ids, idx);
}

/* Caller holds rcu_read_lock; the queue may already be removed. */
struct mq_queue *pcbmq_lookup(struct mq_ns *mns, int id)
{
	struct mq_queue *q;

	if (!mns || id < 0)
		return NULL;
	q = mq_slot(mns, id & (MQ_IDX_MAX - 1));
	if (!q || q->seq != id >> MQ_IDX_BITS)
		return NULL;
	return q;
}

struct mq_queue *pcbmq_lookup_index(struct mq_ns *mns, int idx)
{
	if (!mns || idx < 0)
		return NULL;
	return mq_slot(mns, idx & (MQ_IDX_MAX - 1));
}

/* Take a reference on a live queue of the caller's namespace. */
struct mq_queue *pcbmq_queue_get(int msqid)
{
	struct mq_queue *q;

	rcu_read_lock();
	q = pcbmq_lookup(pcbmq_ns_current(false), msqid);
	if (q && !refcount_inc_not_zero(&q->ref))
		q = NULL;
	rcu_read_unlock();
	return q;
}

void pcbmq_queue_put(struct mq_queue *q)
{
	if (!refcount_dec_and_test(&q->ref))
		return;
	put_pid(q->lspid);
	put_pid(q->lrpid);
	kfree(q->spare_type);
	pcbmq_spares_free(q);
	kfree_rcu(q, rcu);
}

/* ipcperms(): S_IRUGO/S_IWUGO or msgget's mode bits against the caller. */
int pcbmq_perms(struct mq_queue *q, int flag)
{
	kuid_t euid = current_euid();
	int requested = (flag >> 6) | (flag >> 3) | flag;
	int granted = q->mode;

	if (uid_eq(euid, q->cuid) || uid_eq(euid, q->uid))
		granted >>= 6;
	else if (in_group_p(q->cgid) || in_group_p(q->gid))
		granted >>= 3;
	if ((requested & ~granted & 0007) &&
	    !ns_capable(q->mns->ipc_ns->user_ns, CAP_IPC_OWNER))
		return -EACCES;
	return 0;
}

/* IPC_SET and IPC_RMID belong to the creator, the owner and CAP_SYS_ADMIN. */
bool pcbmq_is_owner(struct mq_queue *q)
{
	kuid_t euid = current_euid();

	return uid_eq(euid, q->cuid) || uid_eq(euid, q->uid) ||
	       ns_capable(q->mns->ipc_ns->user_ns, CAP_SYS_ADMIN);
}

/*
 * ipc_idr_alloc() with msg_next_id set: its seq, and its index or the
 * first free one above; the cyclic cursor and seq are left alone. Caller
 * holds pcbmq_ids_mutex, which makes the take-and-reset one step.
 */
static int mq_alloc_next_id(struct mq_ns *mns, int next_id, u32 *idx)
{
	int err;

	*idx = next_id & (MQ_IDX_MAX - 1);
	err = xa_alloc(&mns->ids, idx, NULL, XA_LIMIT(*idx, MQ_IDX_MAX - 1),
		       GFP_KERNEL);
	if (err < 0)
		return err == -EBUSY ? -ENOSPC : err;
	return next_id >> MQ_IDX_BITS;
}

/* ipc_idr_alloc(): cyclic indexes, seq bumped whenever they wrap. */
static int mq_alloc_cyclic(struct mq_ns *mns, u32 *idx)
{
	int max_idx = max(mns->in_use * 3 / 2, MQ_MIN_CYCLE);
	int err;

	max_idx = min(max_idx, MQ_IDX_MAX);
	err = xa_alloc_cyclic(&mns->ids, idx, NULL,
			      XA_LIMIT(0, max_idx - 1), &mns->next_idx,
			      GFP_KERNEL);
	if (err < 0)
		return err == -EBUSY ? -ENOSPC : err;
	if ((int)*idx <= mns->last_idx) {
		mns->seq++;
		if (mns->seq >= MQ_SEQ_MAX)
			mns->seq = 0;
	}
	mns->last_idx = *idx;
	return mns->seq;
}

static int mq_alloc_id(struct mq_ns *mns, struct mq_queue *q)
{
	/* Used once, like the sysctl, even if the allocation then fails. */
	int next_id = xchg(&pcbmq_msg_next_id, -1);
	u32 idx;
	int seq;

	if (next_id < 0)
		seq = mq_alloc_cyclic(mns, &idx);
	else
		seq = mq_alloc_next_id(mns, next_id, &idx);
	if (seq < 0)
		return seq;
	q->seq = seq;
	q->id = q->seq << MQ_IDX_BITS | idx;
	/* Published only now, complete: lookups run under RCU alone. */
	xa_store(&mns->ids, idx, q, GFP_KERNEL);
	if (idx < ARRAY_SIZE(mns->low))
		rcu_assign_pointer(mns->low[idx], q);
	if ((int)idx > mns->max_idx)
		WRITE_ONCE(mns->max_idx, idx);
	mns->in_use++;
	return q->id;
}

static int mq_newque(struct mq_ns *mns, int key, int msgflg)
{
	struct mq_queue *q;
	int id;

	if (mns->in_use >= min(READ_ONCE(pcbmq_msgmni), MQ_IDX_MAX))
		return -ENOSPC;
	q = kzalloc_obj(*q, GFP_KERNEL_ACCOUNT);
	if (!q)
		return -ENOMEM;
	spin_lock_init(&q->lock);
	refcount_set(&q->ref, 1);
	q->mns = mns;
	q->key = key;
	q->mode = msgflg & 0777;
	q->uid = current_euid();
	q->cuid = q->uid;
	q->gid = current_egid();
	q->cgid = q->gid;
	q->ctime = ktime_get_real_seconds();
	q->qbytes = READ_ONCE(pcbmq_msgmnb);
	INIT_LIST_HEAD(&q->messages);
	q->types = RB_ROOT_CACHED;
	q->heads = RB_ROOT_CACHED;
	INIT_LIST_HEAD(&q->receivers);
	INIT_LIST_HEAD(&q->senders);
	init_waitqueue_head(&q->pollers);
	pcbmq_spares_init(q);

	id = mq_alloc_id(mns, q);
	if (id < 0)
		kfree(q);
	return id;
}

static struct mq_queue *mq_find_key(struct mq_ns *mns, int key)
{
	struct mq_queue *q;
	unsigned long idx;

	xa_for_each(&mns->ids, idx, q)
		if (q->key == key)
			return q;
	return NULL;
}

/* ipcget(): IPC_PRIVATE always creates; a key is found or created. */
static int mq_get_locked(struct mq_ns *mns, int key, int msgflg)
{
	struct mq_queue *q;

	if (key == IPC_PRIVATE)
		return mq_newque(mns, key, msgflg);
	q = mq_find_key(mns, key);
	if (!q)
		return msgflg & IPC_CREAT ? mq_newque(mns, key, msgflg) :
					    -ENOENT;
	if ((msgflg & IPC_CREAT) && (msgflg & IPC_EXCL))
		return -EEXIST;
	if (pcbmq_perms(q, msgflg))
		return -EACCES;
	return q->id;
}

int pcbmq_msgget(int key, int msgflg)
{
	struct mq_ns *mns;
	int ret;

	mutex_lock(&pcbmq_ids_mutex);
	mns = pcbmq_ns_current(true);
	if (!mns) {
		ret = -ENOMEM;
		goto out_unlock;
	}
	ret = mq_get_locked(mns, key, msgflg);
out_unlock:
	mutex_unlock(&pcbmq_ids_mutex);
	return ret;
}

/*
 * The highest index left after the highest was removed, found by stepping
 * down as ipc_rmid() does: removals pay, so that IPC_INFO and MSG_INFO,
 * which programs call while they send, read one field.
 */
static void mq_lower_max_idx(struct mq_ns *mns)
{
	int idx = mns->max_idx;

	while (--idx >= 0 && !mq_slot(mns, idx))
		;
	WRITE_ONCE(mns->max_idx, idx);
}

/*
 * IPC_RMID: unpublish the queue, fail every waiter with EIDRM and free its
 * messages. Caller holds pcbmq_ids_mutex.
 */
void pcbmq_remove(struct mq_queue *q)
{
	struct mq_ns *mns = q->mns;
	u32 idx = q->id & (MQ_IDX_MAX - 1);
	struct mq_wakeups w;

	lockdep_assert_held(&pcbmq_ids_mutex);
	xa_erase(&mns->ids, idx);
	if (idx < ARRAY_SIZE(mns->low))
		RCU_INIT_POINTER(mns->low[idx], NULL);
	if (idx == mns->max_idx)
		mq_lower_max_idx(mns);
	mns->in_use--;
	pcbmq_queue_lock(q, &w);
	q->removed = true;
	pcbmq_wake_all(q, -EIDRM);
	pcbmq_wake_senders(q);
	pcbmq_queue_unlock(q);
	wake_up_all(&q->pollers);
	pcbmq_free_messages(q);
	pcbmq_queue_put(q);
}

/* Module exit: no file is open, so nobody can be waiting. */
void pcbmq_free_all(void)
{
	struct mq_ns *mns, *next;

	mutex_lock(&pcbmq_ids_mutex);
	mq_reaper_stopped = true;
	mutex_unlock(&pcbmq_ids_mutex);
	cancel_delayed_work_sync(&mq_reaper);

	mutex_lock(&pcbmq_ids_mutex);
	list_for_each_entry_safe(mns, next, &mq_namespaces, node)
		mq_ns_free(mns);
	mutex_unlock(&pcbmq_ids_mutex);
	rcu_barrier();
}
