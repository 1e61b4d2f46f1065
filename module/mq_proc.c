// SPDX-License-Identifier: GPL-2.0
/*
 * /proc/pcbmq: the reader's namespace's queues in exactly the format of
 * /proc/sysvipc/msg, pids and ids translated for the reader, so ipcs-style
 * parsers work on it unchanged.
 */
#include <linux/pid_namespace.h>
#include <linux/proc_fs.h>
#include <linux/seq_file.h>

#include "mq.h"
#include "parts.h"

static struct proc_dir_entry *mq_proc_entry;

/* *pos is 0 for the header, then one more than the next index to show. */
static void *mq_proc_find(loff_t *pos)
{
	struct mq_ns *mns = pcbmq_ns_current(false);
	unsigned long idx = *pos - 1;
	struct mq_queue *q;

	if (!mns || *pos < 1 || *pos > MQ_IDX_MAX)
		return NULL;
	q = xa_find(&mns->ids, &idx, MQ_IDX_MAX - 1, XA_PRESENT);
	if (q)
		*pos = idx + 1;
	return q;
}

static void *mq_proc_start(struct seq_file *s, loff_t *pos)
{
	mutex_lock(&pcbmq_ids_mutex);
	if (!*pos)
		return SEQ_START_TOKEN;
	return mq_proc_find(pos);
}

static void *mq_proc_next(struct seq_file *s, void *v, loff_t *pos)
{
	++*pos;
	return mq_proc_find(pos);
}

static void mq_proc_stop(struct seq_file *s, void *v)
{
	mutex_unlock(&pcbmq_ids_mutex);
}

static int mq_proc_show(struct seq_file *s, void *v)
{
	struct pid_namespace *pid_ns = task_active_pid_ns(current);
	struct user_namespace *user_ns = seq_user_ns(s);
	struct mq_queue *q = v;

	if (v == SEQ_START_TOKEN) {
		seq_puts(s, "       key      msqid perms      cbytes       qnum lspid lrpid   uid   gid  cuid  cgid      stime      rtime      ctime\n");
		return 0;
	}
	spin_lock(&q->lock);
	seq_printf(s,
		   "%10d %10d  %4o  %10lu %10lu %5u %5u %5u %5u %5u %5u %10llu %10llu %10llu\n",
		   q->key, q->id, q->mode, q->cbytes, q->qnum,
		   pid_nr_ns(q->lspid, pid_ns), pid_nr_ns(q->lrpid, pid_ns),
		   from_kuid_munged(user_ns, q->uid),
		   from_kgid_munged(user_ns, q->gid),
		   from_kuid_munged(user_ns, q->cuid),
		   from_kgid_munged(user_ns, q->cgid),
		   q->stime, q->rtime, q->ctime);
	spin_unlock(&q->lock);
	return 0;
}

static const struct seq_operations mq_proc_ops = {
	.start = mq_proc_start,
	.next = mq_proc_next,
	.stop = mq_proc_stop,
	.show = mq_proc_show,
};

int pcbmq_proc_init(void)
{
	mq_proc_entry = proc_create_seq("pcbmq", 0444, NULL, &mq_proc_ops);
	return mq_proc_entry ? 0 : -ENOMEM;
}

void pcbmq_proc_exit(void)
{
	proc_remove(mq_proc_entry);
}
