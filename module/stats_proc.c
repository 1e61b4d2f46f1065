// SPDX-License-Identifier: GPL-2.0
/*
 * /proc/pcbstat: one row per process, first line the column names. Tools
 * parse rows by those names, so columns may be added but never renamed.
 * /proc/pcbstat_exited prints the exited ring in the same columns.
 *
 * Rows are produced one process at a time, resuming by pid number like
 * /proc readdir: no lock or RCU section is held between rows, so a reader
 * of 20k threads cannot stall the machine, and seq_file's copy-out runs
 * with nothing held.
 */
#include <linux/pid_namespace.h>
#include <linux/proc_fs.h>
#include <linux/sched/task.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/timekeeping.h>

#include "parts.h"
#include "stats.h"

static const char *const pcbstat_columns[] = {
	"pid", "ppid", "uid", "state", "threads", "policy", "nice", "prio",
	"cpu", "run_ns", "wait_ns", "nvcsw", "nivcsw", "sw_thread",
	"sw_process", "sw_kernel", "dispatches", "preempts", "blocks",
	"wakeups", "ready_ns", "running_ns", "blocked_ns", "turnaround_ns",
	"response_ns", "rss_kb", "wait_hist", "comm",
};

static struct proc_dir_entry *pcbstat_proc_entry;
static struct proc_dir_entry *pcbstat_exited_entry;

static void put_header(struct seq_file *m)
{
	int i;

	for (i = 0; i < ARRAY_SIZE(pcbstat_columns); i++)
		seq_printf(m, "%s%s", i ? " " : "", pcbstat_columns[i]);
	seq_putc(m, '\n');
}

static const char *policy_name(u32 policy)
{
	static const char *const names[] = {
		"normal", "fifo", "rr", "batch", "iso", "idle", "deadline",
		"ext",
	};

	return policy < ARRAY_SIZE(names) ? names[policy] : "unknown";
}

/* seq_put_decimal_*() rather than seq_printf(): rows are the hot path. */
static void put_u64(struct seq_file *m, u64 v)
{
	if (v == PCBSTAT_UNKNOWN)
		seq_puts(m, " -");
	else
		seq_put_decimal_ull(m, " ", v);
}

static void put_s64(struct seq_file *m, s64 v)
{
	seq_put_decimal_ll(m, " ", v);
}

/*
 * wait_hist as one field: the buckets from 0 up to the last non-zero one,
 * comma-separated ("0" when empty), so a row grows by a few characters
 * and whitespace-split parsers still see one column.
 */
static void put_hist(struct seq_file *m, const struct pcbstat_task *t)
{
	int i, last = 0;

	if (t->wait_hist[0] == PCBSTAT_UNKNOWN) {
		seq_puts(m, " -");
		return;
	}
	for (i = 1; i < PCBSTAT_WAIT_HIST_BUCKETS; i++)
		if (t->wait_hist[i])
			last = i;
	for (i = 0; i <= last; i++)
		seq_put_decimal_ull(m, i ? "," : " ", t->wait_hist[i]);
}

/* The columns of pcbstat_columns, in order; comm last, as a tool expects. */
static void put_record(struct seq_file *m, const struct pcbstat_task *t)
{
	seq_put_decimal_ll(m, "", t->pid);
	put_s64(m, t->ppid);
	put_s64(m, t->uid);
	seq_putc(m, ' ');
	seq_putc(m, t->state);
	put_s64(m, t->threads);
	seq_putc(m, ' ');
	seq_puts(m, policy_name(t->policy));
	put_s64(m, t->nice);
	put_s64(m, t->prio);
	put_s64(m, t->cpu);
	put_u64(m, t->run_ns);
	put_u64(m, t->wait_ns);
	put_u64(m, t->nvcsw);
	put_u64(m, t->nivcsw);
	put_u64(m, t->sw_thread);
	put_u64(m, t->sw_process);
	put_u64(m, t->sw_kernel);
	put_u64(m, t->dispatches);
	put_u64(m, t->preempts);
	put_u64(m, t->blocks);
	put_u64(m, t->wakeups);
	put_u64(m, t->ready_ns);
	put_u64(m, t->running_ns);
	put_u64(m, t->blocked_ns);
	put_u64(m, t->turnaround_ns);
	put_u64(m, t->response_ns);
	put_u64(m, t->rss_kb);
	put_hist(m, t);
	seq_putc(m, ' ');
	/* Escaping costs more than the rest of a row; most names need none. */
	if (strpbrk(t->comm, " \t\n\\"))
		seq_escape(m, t->comm, " \t\n\\");
	else
		seq_puts(m, t->comm);
	seq_putc(m, '\n');
}

struct pcbstat_iter {
	int nr;				/* pid number of the current row */
	u64 mono_now;			/* read once per read() */
	struct pid_namespace *ns;	/* the reader's, read once per read() */
	struct pcbstat_task rec;
};

/*
 * seq_file fills at most this much per read() call, and starts over (one
 * pid lookup, one clock read) for each fill; a reader asking for less
 * stops the fill at what it asked for, so a big buffer costs small readers
 * nothing but memory while the file is open.
 */
#define PCBSTAT_PROC_BUF	(128 * 1024)

static struct task_struct *rows_task(struct pcbstat_iter *it, loff_t *pos)
{
	struct task_struct *task;

	if (*pos > INT_MAX)
		return NULL;
	it->nr = *pos;
	task = pcbstat_next_task(it->ns, &it->nr, false);
	*pos = it->nr;
	return task;
}

static void *rows_start(struct seq_file *m, loff_t *pos)
{
	struct pcbstat_iter *it = m->private;

	it->mono_now = ktime_get_ns();
	it->ns = task_active_pid_ns(current);
	if (!*pos)
		return SEQ_START_TOKEN;
	return rows_task(it, pos);
}

static void *rows_next(struct seq_file *m, void *v, loff_t *pos)
{
	struct pcbstat_iter *it = m->private;

	if (v == SEQ_START_TOKEN) {
		*pos = 1;
	} else {
		put_task_struct(v);
		*pos = (loff_t)it->nr + 1;
	}
	/* A fill runs thousands of rows with nothing held: let others in. */
	cond_resched();
	return rows_task(it, pos);
}

static void rows_stop(struct seq_file *m, void *v)
{
	if (v && v != SEQ_START_TOKEN)
		put_task_struct(v);
}

static int rows_show(struct seq_file *m, void *v)
{
	struct pcbstat_iter *it = m->private;

	if (v == SEQ_START_TOKEN) {
		put_header(m);
		return 0;
	}
	if (!pcbstat_gather_process(v, it->ns, it->mono_now, &it->rec))
		return SEQ_SKIP;
	put_record(m, &it->rec);
	return 0;
}

static const struct seq_operations rows_ops = {
	.start = rows_start,
	.next = rows_next,
	.stop = rows_stop,
	.show = rows_show,
};

static int exited_show(struct seq_file *m, void *v)
{
	unsigned int n = pcbstat_exited_size();
	struct pcbstat_task *recs;
	u64 lost;
	int i, got;

	recs = kvcalloc(n, sizeof(*recs), GFP_KERNEL);
	if (!recs)
		return -ENOMEM;
	got = pcbstat_exited_copy(0, recs, n, &lost);
	if (got < 0)
		goto out_free;
	put_header(m);
	for (i = 0; i < got; i++)
		put_record(m, &recs[i]);
out_free:
	kvfree(recs);
	return got < 0 ? got : 0;
}

static int rows_open(struct inode *inode, struct file *file)
{
	struct seq_file *m;
	int err;

	err = seq_open_private(file, &rows_ops, sizeof(struct pcbstat_iter));
	if (err)
		return err;
	m = file->private_data;
	/* seq_release() frees the buffer; without one, seq_file makes one. */
	m->buf = kvmalloc(PCBSTAT_PROC_BUF, GFP_KERNEL_ACCOUNT);
	if (m->buf)
		m->size = PCBSTAT_PROC_BUF;
	return 0;
}

static const struct proc_ops rows_proc_ops = {
	.proc_open = rows_open,
	.proc_read_iter = seq_read_iter,
	.proc_lseek = seq_lseek,
	.proc_release = seq_release_private,
};

int pcbstat_proc_init(void)
{
	pcbstat_proc_entry = proc_create("pcbstat", 0444, NULL,
					 &rows_proc_ops);
	if (!pcbstat_proc_entry)
		return -ENOMEM;
	pcbstat_exited_entry = proc_create_single("pcbstat_exited", 0444, NULL,
						  exited_show);
	if (!pcbstat_exited_entry) {
		proc_remove(pcbstat_proc_entry);
		return -ENOMEM;
	}
	return 0;
}

void pcbstat_proc_exit(void)
{
	proc_remove(pcbstat_exited_entry);
	proc_remove(pcbstat_proc_entry);
}
