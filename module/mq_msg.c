// SPDX-License-Identifier: GPL-2.0
/*
 * Sending and receiving, with msgsnd(2)/msgrcv(2)'s checks in ipc/msg.c's
 * order. Beside the FIFO every queue keeps an rbtree of types, each with
 * its own FIFO, so a typed receive finds its message without walking the
 * messages of other types:
 *   msgtyp == 0		head of the FIFO
 *   msgtyp > 0			head of that type's list, O(log types)
 *   msgtyp < 0			head of the lowest type (cached leftmost)
 *   MSG_EXCEPT			FIFO head, else the oldest head of the other
 *				types: the second in a tree of types by their
 *				oldest message, kept in O(log types) once the
 *				queue has seen MSG_EXCEPT
 * Messages carry a sequence number, so "oldest" is well defined and a
 * message whose copy to user memory faults can be put back where it was.
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

/* Timeouts may fire this much late, so wake-ups can be batched. */
#define MQ_TIMER_SLACK_NS (50 * NSEC_PER_USEC)

void mq_queue_lock(struct mq_queue *q, struct mq_wakeups *w)
{
	spin_lock(&q->lock);
	w->n = 0;
	w->rcu = false;
	q->wakeups = w;
}

void mq_queue_unlock(struct mq_queue *q)
{
	struct mq_wakeups *w = q->wakeups;
	int i;

	q->wakeups = NULL;
	spin_unlock(&q->lock);
	for (i = 0; i < w->n; i++) {
		wake_up_process(w->task[i]);
		put_task_struct(w->task[i]);
	}
}

/* Caller holds q->lock, taken with mq_queue_lock(). */
void mq_wake(struct mq_queue *q, struct task_struct *task)
{
	struct mq_wakeups *w = q->wakeups;

	if (w->n < MQ_WAKE_BATCH)
		w->task[w->n++] = get_task_struct(task);
	else
		wake_up_process(task);
}

/* Room for @count more messages of @bytes in all (qbytes caps both). */
static bool mq_fits_more(struct mq_queue *q, size_t bytes, size_t count)
{
	return bytes + q->cbytes <= q->qbytes && count + q->qnum <= q->qbytes;
}

bool mq_fits(struct mq_queue *q, size_t msgsz)
{
	return mq_fits_more(q, msgsz, 1);
}

static struct mq_type *mq_type_find(struct mq_queue *q, long mtype)
{
	struct rb_node *n = q->types.rb_root.rb_node;

	while (n) {
		struct mq_type *t = rb_entry(n, struct mq_type, rb);

		if (mtype < t->mtype)
			n = n->rb_left;
		else if (mtype > t->mtype)
			n = n->rb_right;
		else
			return t;
	}
	return NULL;
}

static bool mq_type_less(struct rb_node *a, const struct rb_node *b)
{
	return rb_entry(a, struct mq_type, rb)->mtype <
	       rb_entry(b, struct mq_type, rb)->mtype;
}

/* Enqueueing a message of a new type consumes q->spare_type. */
static bool mq_needs_type_node(struct mq_queue *q, long mtype)
{
	return !q->spare_type && !mq_type_find(q, mtype);
}

static struct mq_msg *mq_first_of(struct mq_type *t)
{
	return list_first_entry(&t->msgs, struct mq_msg, same_type);
}

static bool mq_head_less(struct rb_node *a, const struct rb_node *b)
{
	return mq_first_of(rb_entry(a, struct mq_type, by_head))->seq <
	       mq_first_of(rb_entry(b, struct mq_type, by_head))->seq;
}

static void mq_heads_add(struct mq_queue *q, struct mq_type *t)
{
	if (q->heads_indexed)
		rb_add_cached(&t->by_head, &q->heads, mq_head_less);
}

static void mq_heads_remove(struct mq_queue *q, struct mq_type *t)
{
	if (q->heads_indexed)
		rb_erase_cached(&t->by_head, &q->heads);
}

static void mq_heads_build(struct mq_queue *q)
{
	struct rb_node *n;

	q->heads_indexed = true;
	for (n = rb_first_cached(&q->types); n; n = rb_next(n))
		mq_heads_add(q, rb_entry(n, struct mq_type, rb));
}

/*
 * Link into both lists, in sequence order (a requeued message goes back).
 * @t is the message's type node if the caller found it, else NULL: the
 * type is new and takes q->spare_type.
 */
static __always_inline void mq_link_to(struct mq_queue *q,
				       struct mq_msg *msg, struct mq_type *t)
{
	bool new_type = !t;
	struct mq_msg *pos;

	if (new_type) {
		t = q->spare_type;
		q->spare_type = NULL;
		t->mtype = msg->mtype;
		INIT_LIST_HEAD(&t->msgs);
		rb_add_cached(&t->rb, &q->types, mq_type_less);
	}
	msg->type = t;

	list_for_each_entry_reverse(pos, &t->msgs, same_type)
		if (pos->seq < msg->seq)
			break;
	list_add(&msg->same_type, &pos->same_type);
	if (mq_first_of(t) == msg) {
		if (!new_type)
			mq_heads_remove(q, t);
		mq_heads_add(q, t);
	}
	list_for_each_entry_reverse(pos, &q->messages, fifo)
		if (pos->seq < msg->seq)
			break;
	list_add(&msg->fifo, &pos->fifo);

	q->qnum++;
	q->cbytes += msg->size;
}

static void mq_link(struct mq_queue *q, struct mq_msg *msg)
{
	mq_link_to(q, msg, mq_type_find(q, msg->mtype));
}

/*
 * After messages of @t were taken: an emptied type leaves the index (its
 * node kept as the spare if there is none), and one whose oldest message
 * went (@was_first) moves in q->heads to its new oldest. rb_erase() reads
 * no keys, so the lists may already have changed.
 */
static __always_inline void mq_type_taken(struct mq_queue *q,
					  struct mq_type *t, bool was_first)
{
	if (was_first)
		mq_heads_remove(q, t);
	if (list_empty(&t->msgs)) {
		rb_erase_cached(&t->rb, &q->types);
		if (q->spare_type)
			kfree(t);
		else
			q->spare_type = t;
	} else if (was_first) {
		mq_heads_add(q, t);
	}
}

static __always_inline void mq_unlink(struct mq_queue *q, struct mq_msg *msg)
{
	struct mq_type *t = msg->type;
	bool was_first = mq_first_of(t) == msg;

	list_del(&msg->fifo);
	list_del(&msg->same_type);
	mq_type_taken(q, t, was_first);
	q->qnum--;
	q->cbytes -= msg->size;
}

/* IPC_RMID: the queue is unpublished and marked removed, so nobody adds. */
void mq_free_messages(struct mq_queue *q)
{
	struct mq_msg *msg, *next;
	LIST_HEAD(doomed);

	spin_lock(&q->lock);
	list_for_each_entry_safe(msg, next, &q->messages, fifo) {
		mq_unlink(q, msg);
		list_add_tail(&msg->fifo, &doomed);
	}
	spin_unlock(&q->lock);
	/* kvfree() may sleep, so free outside the lock. */
	list_for_each_entry_safe(msg, next, &doomed, fifo)
		mq_msg_free(msg);
}

static bool mq_matches(struct mq_msg *msg, enum mq_search mode, long msgtyp)
{
	switch (mode) {
	case MQ_SEARCH_EQUAL:
		return msg->mtype == msgtyp;
	case MQ_SEARCH_NOTEQUAL:
		return msg->mtype != msgtyp;
	case MQ_SEARCH_LESSEQUAL:
		return msg->mtype <= msgtyp;
	default:
		return true;
	}
}

/*
 * The FIFO head is the oldest message of its type, so its type leads
 * q->heads; when that type is the excluded one, the next type's oldest
 * message is the oldest of any other type.
 */
static struct mq_msg *mq_find_except(struct mq_queue *q, long msgtyp)
{
	struct mq_msg *head;
	struct rb_node *n;

	head = list_first_entry_or_null(&q->messages, struct mq_msg, fifo);
	if (!head || head->mtype != msgtyp)
		return head;
	if (!q->heads_indexed)
		mq_heads_build(q);
	n = rb_next(rb_first_cached(&q->heads));
	return n ? mq_first_of(rb_entry(n, struct mq_type, by_head)) : NULL;
}

static struct mq_msg *mq_find_number(struct mq_queue *q, long index)
{
	struct mq_msg *msg;

	list_for_each_entry(msg, &q->messages, fifo)
		if (index-- == 0)
			return msg;
	return NULL;
}

/* find_msg(): the message a receive of this mode takes, or NULL. */
static __always_inline struct mq_msg *mq_find(struct mq_queue *q,
					      enum mq_search mode, long msgtyp)
{
	struct mq_type *t;
	struct rb_node *n;

	switch (mode) {
	case MQ_SEARCH_ANY:
		return list_first_entry_or_null(&q->messages, struct mq_msg,
						fifo);
	case MQ_SEARCH_EQUAL:
		t = mq_type_find(q, msgtyp);
		return t ? mq_first_of(t) : NULL;
	case MQ_SEARCH_LESSEQUAL:
		n = rb_first_cached(&q->types);
		if (!n)
			return NULL;
		t = rb_entry(n, struct mq_type, rb);
		return t->mtype <= msgtyp ? mq_first_of(t) : NULL;
	case MQ_SEARCH_NOTEQUAL:
		return mq_find_except(q, msgtyp);
	case MQ_SEARCH_NUMBER:
		return mq_find_number(q, msgtyp);
	}
	return NULL;
}

static __always_inline void mq_set_pid(struct pid **slot, struct pid *pid)
{
	if (*slot != pid) {
		put_pid(*slot);
		*slot = get_pid(pid);
	}
}

/* A receiver leaves q->receivers with its result; it rechecks on waking. */
static void mq_hand(struct mq_queue *q, struct mq_receiver *r,
		    struct mq_msg *msg)
{
	list_del_init(&r->node);
	r->msg = msg;
	mq_wake(q, r->task);
}

/* expunge_all(): every blocked receiver returns @err (or retries: EAGAIN). */
void mq_wake_all(struct mq_queue *q, int err)
{
	struct mq_receiver *r, *next;

	list_for_each_entry_safe(r, next, &q->receivers, node)
		mq_hand(q, r, ERR_PTR(err));
}

/*
 * ss_wakeup(): wake every sender whose message now fits (all of them once
 * the queue is removed); the others move to the tail in their order. A
 * woken sender leaves the list, so a batch of receives wakes it once.
 */
void mq_wake_senders(struct mq_queue *q)
{
	struct mq_sender *s, *next;
	struct task_struct *first_kept = NULL;

	list_for_each_entry_safe(s, next, &q->senders, node) {
		if (s->task == first_kept)
			break;
		if (!q->removed && !mq_fits(q, s->msgsz)) {
			if (!first_kept)
				first_kept = s->task;
			list_move_tail(&s->node, &q->senders);
			continue;
		}
		list_del_init(&s->node);
		mq_wake(q, s->task);
	}
}

static void mq_wake_pollers(struct mq_queue *q)
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

static void mq_deliver(struct mq_queue *q, struct mq_msg *msg)
{
	mq_set_pid(&q->lspid, task_tgid(current));
	q->stime = ktime_get_real_seconds();
	msg->seq = q->next_seq++;
	if (!mq_handoff(q, msg))
		mq_link(q, msg);
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

/* Take a reference on a live queue of the caller's namespace. */
struct mq_queue *mq_get(int msqid)
{
	struct mq_queue *q;

	rcu_read_lock();
	q = mq_lookup(mq_ns_current(false), msqid);
	if (q && !refcount_inc_not_zero(&q->ref))
		q = NULL;
	rcu_read_unlock();
	return q;
}

/*
 * Find and lock a queue of the caller's namespace without a reference:
 * RCU keeps it allocated, as ipc_obtain_object_check() relies on, so a
 * call that does not sleep touches no shared counter. Finish with
 * mq_queue_unlock() and then mq_queue_done().
 */
static struct mq_queue *mq_lock_id(int msqid, struct mq_wakeups *w)
{
	struct mq_queue *q;

	rcu_read_lock();
	q = mq_lookup(mq_ns_current(false), msqid);
	if (!q) {
		rcu_read_unlock();
		return NULL;
	}
	mq_queue_lock(q, w);
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
		mq_queue_put(q);
}

static int mq_send_locked(struct mq_queue *q, struct mq_msg *msg,
			  int msgflg, s64 timeout_ns)
{
	ktime_t deadline = mq_deadline(timeout_ns);
	struct mq_wakeups *w = q->wakeups;
	struct mq_sender s;
	int err;

	for (;;) {
		err = mq_perms(q, 0222);
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
			mq_queue_unlock(q);
			t = kmalloc_obj(*t, GFP_KERNEL_ACCOUNT);
			mq_queue_lock(q, w);
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
		mq_queue_unlock(q);
		err = mq_sleep(deadline);
		mq_queue_lock(q, w);
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
long mq_send_msg(int msqid, struct mq_msg *msg, int msgflg, s64 timeout_ns)
{
	struct mq_wakeups w;
	struct mq_queue *q = mq_lock_id(msqid, &w);
	long err;

	if (!q)
		return -EINVAL;
	err = mq_send_locked(q, msg, msgflg, timeout_ns);
	mq_queue_unlock(q);
	if (!err)
		mq_wake_pollers(q);
	mq_queue_done(q, &w);
	return err;
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
	q->qnum += run->len;
	q->cbytes += run->bytes;
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
 * permission and removal checks of mq_send_locked() read nothing that can
 * change while the lock is held, and the sender's pid is already set, so
 * each message needs only room and a type node, found once per run of
 * one type. Stops at the first message that needs more (a new type node
 * with no spare, no room), for mq_send_locked() to deal with. Returns how
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
u32 mq_send_many(int msqid, struct mq_msg **msgs, u32 n, int msgflg,
		 s64 timeout_ns, long *err)
{
	struct mq_queue *q = mq_get(msqid);
	struct mq_wakeups w;
	struct mq_run run;
	u32 i;

	*err = -EINVAL;
	if (!q)
		return 0;
	mq_run_chain(&run, msgs + 1, n - 1, NULL);
	mq_queue_lock(q, &w);
	*err = mq_send_locked(q, msgs[0], msgflg, timeout_ns);
	i = 1;
	if (!*err)
		i += mq_send_rest(q, msgs + 1, n - 1, &run);
	for (; i < n && !*err; i++)
		*err = mq_send_locked(q, msgs[i], msgflg | IPC_NOWAIT,
				      timeout_ns);
	mq_queue_unlock(q);
	mq_wake_pollers(q);
	mq_queue_put(q);
	return *err ? i - 1 : i;
}

/*
 * msgsnd(2)'s checks before the queue is looked up, then the copy-in.
 * @precharged: the caller charged the cap for this message already.
 * @mem: room from mq_mem_get_many(), or NULL; used or given back.
 */
struct mq_msg *mq_msg_prepare(int msqid, void __user *msgp, long msgsz,
			      bool precharged, void *mem)
{
	struct msgbuf __user *ubuf = msgp;
	long mtype;
	int err;

	err = get_user(mtype, &ubuf->mtype);
	if (!err && (msgsz > READ_ONCE(mq_msgmax) || msgsz < 0 || msqid < 0 ||
		     mtype < 1))
		err = -EINVAL;
	if (err) {
		mq_mem_put_one(mem);
		return ERR_PTR(err);
	}
	/* Copied before any lock, like load_msg(): EFAULT beats EINVAL id. */
	return mq_msg_load(ubuf->mtext, msgsz, mtype, precharged, mem);
}

long mq_msgsnd(int msqid, void __user *msgp, long msgsz, int msgflg,
	       s64 timeout_ns)
{
	struct mq_msg *msg = mq_msg_prepare(msqid, msgp, msgsz, false, NULL);
	long err;

	if (IS_ERR(msg))
		return PTR_ERR(msg);
	err = mq_send_msg(msqid, msg, msgflg, timeout_ns);
	if (err)
		mq_msg_free(msg);
	return err;
}

/* convert_mode() */
enum mq_search mq_mode(long *msgtyp, int msgflg)
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

/* Does @msg go into a buffer of @bufsz bytes, or may it be cut short? */
static bool mq_fits_buffer(const struct mq_msg *msg, size_t bufsz,
			   int msgflg)
{
	return msg->size <= bufsz || (msgflg & MSG_NOERROR);
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
	mq_wake_senders(q);
	return msg;
}

static struct mq_msg *mq_recv_locked(struct mq_queue *q,
				     struct mq_recv_args *a)
{
	ktime_t deadline = mq_deadline(a->timeout_ns);
	struct mq_wakeups *w = q->wakeups;
	struct mq_receiver r;
	struct mq_msg *msg;
	int err;

	for (;;) {
		if (mq_perms(q, 0444))
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
		mq_queue_unlock(q);
		err = mq_sleep(deadline);
		mq_queue_lock(q, w);
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

/* do_msg_fill(): mtype first, then at most bufsz bytes of text. */
static __always_inline long mq_fill(void __user *msgp, struct mq_msg *msg,
				    size_t bufsz)
{
	struct msgbuf __user *ubuf = msgp;
	size_t n = min(bufsz, msg->size);

	if (put_user(msg->mtype, &ubuf->mtype))
		return -EFAULT;
	if (n && copy_to_user(ubuf->mtext, msg->text, n))
		return -EFAULT;
	return n;
}

/*
 * The copy-out faulted: unlike the kernel, which drops the message, put it
 * back where its sequence number says (or to a receiver now waiting).
 */
void mq_requeue(struct mq_queue *q, struct mq_msg *msg)
{
	struct mq_type *t = kmalloc_obj(*t, GFP_KERNEL | __GFP_NOFAIL);
	struct mq_wakeups w;

	mq_queue_lock(q, &w);
	if (!q->spare_type) {
		q->spare_type = t;
		t = NULL;
	}
	if (q->removed) {
		mq_queue_unlock(q);
		mq_msg_free(msg);
	} else {
		if (!mq_handoff(q, msg))
			mq_link(q, msg);
		mq_queue_unlock(q);
		mq_wake_pollers(q);
	}
	kfree(t);
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
	q->qnum -= i;
	q->cbytes -= bytes;
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
		mq_wake_senders(q);
	}
	return i;
}

/*
 * Take up to n messages under one lock hold (only the first may sleep),
 * each checked against its own buffer size in sizes[]. Returns how many
 * were taken; *err says why it stopped.
 */
u32 mq_take_many(struct mq_queue *q, struct mq_recv_args *a,
		 const s64 *sizes, struct mq_msg **msgs, u32 n, long *err)
{
	struct mq_wakeups w;
	u32 i = 0;

	*err = 0;
	mq_queue_lock(q, &w);
	a->bufsz = sizes[0];
	msgs[0] = mq_recv_locked(q, a);
	if (IS_ERR(msgs[0]))
		*err = PTR_ERR(msgs[0]);
	else
		i = 1 + mq_take_rest(q, a, sizes + 1, msgs + 1, n - 1, err);
	mq_queue_unlock(q);
	if (i)
		mq_wake_pollers(q);
	return i;
}

/*
 * Copy a taken message out; a fault puts it back. Byte count or -errno.
 * A delivered message is the caller's to free, and its charge is added to
 * *charge: both are returned once for the whole batch.
 */
long mq_deliver_to_user(struct mq_queue *q, void __user *msgp,
			struct mq_msg *msg, size_t bufsz, size_t *charge)
{
	long ret = mq_fill(msgp, msg, bufsz);

	if (ret == -EFAULT) {
		mq_requeue(q, msg);
		return ret;
	}
	*charge += mq_msg_charge(msg->alloc);
	return ret;
}

/*
 * Copy a received message out while still under RCU, with page faults
 * off so nothing sleeps. If the user page must be faulted in, trade RCU
 * for a reference first: a fault then puts the message back. Returns the
 * byte count or -errno; *q is NULL if the queue went away meanwhile.
 */
static long mq_fill_pinned(struct mq_queue **q, struct mq_wakeups *w,
			   void __user *msgp, struct mq_msg *msg, size_t bufsz)
{
	long ret;

	if (w->rcu) {
		pagefault_disable();
		ret = mq_fill(msgp, msg, bufsz);
		pagefault_enable();
		if (ret != -EFAULT)
			return ret;
		if (!refcount_inc_not_zero(&(*q)->ref))
			*q = NULL;
		w->rcu = false;
		rcu_read_unlock();
	}
	return mq_fill(msgp, msg, bufsz);
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
	msg = mq_recv_locked(q, a);
	mq_queue_unlock(q);
	if (IS_ERR(msg)) {
		ret = PTR_ERR(msg);
		goto out_done;
	}
	if (msg != a->copy)
		mq_wake_pollers(q);
	ret = mq_fill_pinned(&q, &w, msgp, msg, a->bufsz);
	if (msg == a->copy) {
		msg = NULL; /* the caller frees its copy */
	} else if (ret == -EFAULT && q) {
		mq_requeue(q, msg);
		msg = NULL;
	}
	/* Out of RCU first: kvfree() of a vmalloc'ed text may sleep. */
	if (q)
		mq_queue_done(q, &w);
	if (msg)
		mq_msg_free(msg);
	return ret;

out_done:
	mq_queue_done(q, &w);
	return ret;
}

long mq_msgrcv(int msqid, void __user *msgp, long msgsz, long msgtyp,
	       int msgflg, s64 timeout_ns)
{
	struct mq_recv_args a = {
		.bufsz = msgsz,
		.msgflg = msgflg,
		.timeout_ns = timeout_ns,
	};
	long ret;

	if (msqid < 0 || msgsz < 0)
		return -EINVAL;
	if (msgflg & MSG_COPY) {
		if ((msgflg & MSG_EXCEPT) || !(msgflg & IPC_NOWAIT))
			return -EINVAL;
		/* prepare_copy() reads the user buffer: EFAULT comes first. */
		a.copy = mq_msg_load(msgp,
				     min_t(long, msgsz, READ_ONCE(mq_msgmax)),
				     0, false, NULL);
		if (IS_ERR(a.copy))
			return PTR_ERR(a.copy);
	}
	a.msgtyp = msgtyp;
	a.mode = mq_mode(&a.msgtyp, msgflg);

	ret = mq_recv_msg(msqid, msgp, &a);
	if (a.copy)
		mq_msg_free(a.copy);
	return ret;
}
