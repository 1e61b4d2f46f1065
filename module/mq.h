/* SPDX-License-Identifier: GPL-2.0 */
/*
 * /dev/pcbmq internals: SysV message queues kept per IPC namespace, with a
 * per-type index beside the FIFO so typed receives do not scan.
 */
#ifndef PCBMQ_MQ_H
#define PCBMQ_MQ_H

#include <linux/bits.h>
#include <linux/ipc_namespace.h>
#include <linux/list.h>
#include <linux/percpu.h>
#include <linux/rbtree.h>
#include <linux/refcount.h>
#include <linux/sched.h>
#include <linux/sched/task.h>
#include <linux/spinlock.h>
#include <linux/uidgid.h>
#include <linux/wait.h>
#include <linux/xarray.h>

#include "compat.h"

/* The kernel's id layout: id = seq << MQ_IDX_BITS | index. */
#define MQ_IDX_BITS 15
#define MQ_IDX_MAX 32768 /* 1 << MQ_IDX_BITS, an int like the limits */
#define MQ_SEQ_MAX (INT_MAX >> MQ_IDX_BITS)
#define MQ_MIN_CYCLE 64

enum mq_search {
	MQ_SEARCH_ANY,
	MQ_SEARCH_EQUAL,
	MQ_SEARCH_NOTEQUAL,
	MQ_SEARCH_LESSEQUAL,
	MQ_SEARCH_NUMBER,
};

/*
 * Messages and bytes queued in a namespace, per CPU, for MSG_INFO: like
 * the kernel's percpu_msg_hdrs and percpu_msg_bytes, so that no send or
 * receive writes a line that other queues' calls write too, and MSG_INFO
 * sums CPUs rather than walking queues.
 */
struct mq_ns_totals {
	long hdrs;
	long bytes;
};

/*
 * The queues of one IPC namespace, found by address. Where the kernel lets
 * a module drop a namespace reference (compat.h), a table of a namespace
 * other than the initial one holds one (held), so the address stays the
 * namespace's; the reaper frees the table, its queues and the reference
 * once that reference is the namespace's last, within MQ_REAP_PERIOD of
 * its last task leaving. Elsewhere no reference is held: ns_id tells a
 * dead namespace's table from a new one's at the same address, and the
 * dead one is reclaimed when the address comes back, or at module exit.
 */
struct mq_ns {
	struct list_head node;
	struct ipc_namespace *ipc_ns;
	u64 ns_id;
	bool held;
	struct xarray ids;
	/*
	 * The low indexes again, which is where ids stay while a namespace
	 * has few queues: an id lookup on every send and receive is then one
	 * load rather than an xarray walk.
	 */
	struct mq_queue __rcu *low[MQ_MIN_CYCLE];
	/* Where cyclic index allocation resumes, like the idr's cursor. */
	u32 next_idx;
	int in_use;
	int seq;
	int last_idx;
	/* The highest index in use, -1 for none: IPC_INFO's answer. */
	int max_idx;
	struct mq_ns_totals __percpu *totals;
	struct rcu_head rcu;
};

/* All messages of one type, oldest first; a node exists while non-empty. */
struct mq_type {
	struct rb_node rb;
	/* In q->heads, by the sequence number of its oldest message. */
	struct rb_node by_head;
	long mtype;
	struct list_head msgs;
};

struct mq_msg {
	struct list_head fifo;
	struct list_head same_type;
	struct mq_type *type;
	size_t size;
	/* Text bytes allocated (and charged); MSG_COPY fills only size. */
	size_t alloc;
	u64 seq;
	long mtype;
	char text[];
};

/*
 * Tasks to wake once the queue lock is dropped, like ipc/msg.c's wake_q
 * (which modules cannot use): a woken task then never spins on a lock its
 * waker still holds. Beyond MQ_WAKE_BATCH, tasks are woken at once.
 */
#define MQ_WAKE_BATCH 8

struct mq_wakeups {
	struct task_struct *task[MQ_WAKE_BATCH];
	int n;
	/*
	 * The holder found the queue under rcu_read_lock, as ipc_lock()
	 * does, and holds no reference until it must drop the lock to sleep
	 * (mq_queue_pin()).
	 */
	bool rcu;
};

struct mq_queue {
	/*
	 * Guards the fields from removed to wakeups, except those fixed at
	 * creation (mns, id, seq, key, cuid, cgid) and watched, which is set
	 * once. ref is atomic, pollers has its own lock, and the spares
	 * below spare_lock theirs.
	 */
	spinlock_t lock;
	refcount_t ref;
	bool removed;
	struct mq_ns *mns;
	int id;
	int seq;
	int key;
	umode_t mode;
	kuid_t uid, cuid;
	kgid_t gid, cgid;
	time64_t stime, rtime, ctime;
	unsigned long cbytes, qnum, qbytes;
	struct pid *lspid, *lrpid;
	struct list_head messages;
	struct rb_root_cached types;
	/*
	 * The types again, oldest first message first: MSG_EXCEPT's answer,
	 * when the FIFO head is of the excluded type, is the second of them.
	 * Built by the first MSG_EXCEPT, so queues that never use it pay
	 * nothing on each send and receive.
	 */
	struct rb_root_cached heads;
	bool heads_indexed;
	struct mq_type *spare_type;
	u64 next_seq;
	struct list_head receivers;
	struct list_head senders;
	wait_queue_head_t pollers;
	/*
	 * Set for good once a file is bound by WATCH, before anyone can poll:
	 * until then no poller can wait, and a call skips the barrier of
	 * looking.
	 */
	bool watched;
	/* The lock holder's wake-ups, fired by pcbmq_queue_unlock(). */
	struct mq_wakeups *wakeups;
	/*
	 * Memory of received messages for the next batch send (mq_spares.c),
	 * under a lock of its own: the two ends of a stream take it once per
	 * batch each, outside the queue lock's hold. Guards spares and
	 * nr_spares.
	 */
	spinlock_t spare_lock;
	struct list_head spares;
	u32 nr_spares;
	struct rcu_head rcu;
};

/* Take q->lock; wake-ups queued while it is held fire at the unlock. */
static inline void pcbmq_queue_lock(struct mq_queue *q, struct mq_wakeups *w)
	__acquires(&q->lock)
{
	spin_lock(&q->lock);
	w->n = 0;
	w->rcu = false;
	q->wakeups = w;
}

/* @hdrs messages of @bytes joined (or, negative, left) queue @q. */
static inline void mq_count(struct mq_queue *q, long hdrs, long bytes)
{
	q->qnum += hdrs;
	q->cbytes += bytes;
	this_cpu_add(q->mns->totals->hdrs, hdrs);
	this_cpu_add(q->mns->totals->bytes, bytes);
}

/* Room for @count more messages of @bytes in all (qbytes caps both). */
static inline bool mq_fits_more(struct mq_queue *q, size_t bytes,
				size_t count)
{
	return bytes + q->cbytes <= q->qbytes && count + q->qnum <= q->qbytes;
}

static inline bool mq_fits(struct mq_queue *q, size_t msgsz)
{
	return mq_fits_more(q, msgsz, 1);
}

/* A receiver blocked in msgrcv, on its own stack, linked on q->receivers. */
struct mq_receiver {
	struct list_head node;
	struct task_struct *task;
	enum mq_search mode;
	long msgtyp;
	size_t maxsize;
	/* NULL while waiting; a message handed over, or ERR_PTR(-errno). */
	struct mq_msg *msg;
};

struct mq_sender {
	struct list_head node;
	struct task_struct *task;
	size_t msgsz;
};

/* Caller holds q->lock, taken with pcbmq_queue_lock(). */
static inline void mq_wake(struct mq_queue *q, struct task_struct *task)
{
	struct mq_wakeups *w = q->wakeups;

	if (w->n < MQ_WAKE_BATCH)
		w->task[w->n++] = get_task_struct(task);
	else
		wake_up_process(task);
}

/* A receiver leaves q->receivers with its result; it rechecks on waking. */
static inline void mq_hand(struct mq_queue *q, struct mq_receiver *r,
			   struct mq_msg *msg)
{
	list_del_init(&r->node);
	r->msg = msg;
	mq_wake(q, r->task);
}

/*
 * A user pointer from a __u64 field. A 32-bit caller's goes through
 * compat_ptr(), as its syscalls' do; the ioctl checked that it fits.
 */
static inline void __user *mq_user_ptr(u64 v, bool compat)
{
	return compat ? pcbmq_compat_ptr(v) : u64_to_user_ptr(v);
}

/* Limits, module parameters (mq_dev.c) */
extern int pcbmq_msgmax;
extern int pcbmq_msgmnb;
extern int pcbmq_msgmni;
extern int pcbmq_msg_next_id;
extern unsigned long pcbmq_mem_max;

/* mq_ids.c */
extern struct mutex pcbmq_ids_mutex;
struct mq_ns *pcbmq_ns_current(bool create);
void pcbmq_remove(struct mq_queue *q);
struct mq_queue *pcbmq_lookup(struct mq_ns *mns, int id);
struct mq_queue *pcbmq_lookup_index(struct mq_ns *mns, int idx);
struct mq_queue *pcbmq_queue_get(int msqid);
void pcbmq_queue_put(struct mq_queue *q);
int pcbmq_perms(struct mq_queue *q, int flag);
bool pcbmq_is_owner(struct mq_queue *q);
int pcbmq_msgget(int key, int msgflg);
void pcbmq_free_all(void);

/* What a message of @size text bytes counts against pcbmq_mem_max. */
static inline size_t mq_msg_charge(size_t size)
{
	return sizeof(struct mq_msg) + size;
}

/* mq_alloc.c */
int pcbmq_alloc_init(void);
void pcbmq_alloc_exit(void);
bool pcbmq_mem_charge(size_t charge);
void pcbmq_mem_uncharge(size_t charge);
s64 pcbmq_mem_used(void);
bool pcbmq_mem_get_many(void **mem, u32 n);
void pcbmq_mem_put(void **mem, u32 n);
void pcbmq_mem_put_one(void *mem);
size_t pcbmq_small_text(void);
struct mq_msg *pcbmq_msg_load(const void __user *text, size_t size, long mtype,
			      bool precharged, void *mem);
void pcbmq_msg_release(struct mq_msg *msg);
void pcbmq_msg_release_many(struct mq_msg **msgs, u32 n);
void pcbmq_msg_free(struct mq_msg *msg);

/* mq_wake.c */
void pcbmq_queue_unlock(struct mq_queue *q) __releases(&q->lock);
void pcbmq_wake_all(struct mq_queue *q, int err);
void pcbmq_wake_senders(struct mq_queue *q);

/* mq_index.c (the rest of the index is inline in mq_index.h) */
void pcbmq_free_messages(struct mq_queue *q);

/* mq_msg.c */
long pcbmq_msgsnd(int msqid, void __user *msgp, long msgsz, int msgflg,
		  s64 timeout_ns, bool compat);
long pcbmq_msgrcv(int msqid, void __user *msgp, long msgsz, long msgtyp,
		  int msgflg, s64 timeout_ns, bool compat);
enum mq_search pcbmq_search_mode(long *msgtyp, int msgflg);
struct mq_msg *pcbmq_msg_prepare(int msqid, void __user *msgp, long msgsz,
				 bool precharged, void *mem, bool compat);
long pcbmq_send_msg(int msqid, struct mq_msg *msg, int msgflg, s64 timeout_ns);
void pcbmq_requeue(struct mq_queue *q, struct mq_msg *msg);

/* mq_spares.c */
void pcbmq_spares_init(struct mq_queue *q);
void pcbmq_spares_give(struct mq_queue *q, struct mq_msg **msgs, u32 n);
u32 pcbmq_spares_take(struct mq_queue *q, void **mem, u32 n);
void pcbmq_spares_free(struct mq_queue *q);

/* mq_ctl.c */
long pcbmq_msgctl(int msqid, int cmd, void __user *buf, bool compat);

/* mq_batch.c */
long pcbmq_sndv(int msqid, void __user *uvec, u32 count, int msgflg,
		s64 timeout_ns, bool compat);
long pcbmq_rcvv(int msqid, void __user *uvec, u32 count, long msgtyp,
		int msgflg, s64 timeout_ns, bool compat);

#endif /* PCBMQ_MQ_H */
