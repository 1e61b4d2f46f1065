// SPDX-License-Identifier: GPL-2.0
/*
 * /dev/pcbstat: the ioctl ABI of module/uapi/pcbstat.h. Requests are
 * extensible structs led by their size, records are written at the entry
 * size the caller names, and a request is checked in full before anything
 * is written back, so a rejected request changes nothing.
 */
#include <linux/fs.h>
#include <linux/miscdevice.h>
#include <linux/pid.h>
#include <linux/pid_namespace.h>
#include <linux/sched/signal.h>
#include <linux/sched/task.h>
#include <linux/slab.h>
#include <linux/timekeeping.h>
#include <linux/uaccess.h>

#include "ext_arg.h"
#include "stats.h"

#define PCBSTAT_MAX_ENTRY_SIZE	4096

static int check_entry_size(u32 entry_size)
{
	if (entry_size < PCBSTAT_TASK_SIZE_VER0 ||
	    entry_size > PCBSTAT_MAX_ENTRY_SIZE)
		return -EINVAL;
	return 0;
}

/* A record cut to, or zero-padded up to, what the caller asked for. */
static int put_task(void __user *dst, u32 entry_size,
		    const struct pcbstat_task *t)
{
	size_t n = min_t(size_t, entry_size, sizeof(*t));

	if (copy_to_user(dst, t, n))
		return -EFAULT;
	if (entry_size > n && clear_user(dst + n, entry_size - n))
		return -EFAULT;
	return 0;
}

/* Writes back the request fields the caller's struct has room for. */
static int put_request(void __user *ureq, const void *kreq, u32 ksize,
		       u32 usize)
{
	return copy_to_user(ureq, kreq, min(ksize, usize)) ? -EFAULT : 0;
}

static long ioc_get(void __user *ureq)
{
	struct pcbstat_task rec;
	struct task_struct *task;
	struct pcbstat_get req;
	struct pid *pid;
	bool thread;
	bool alive;
	int err;

	err = copy_ext_arg(&req, sizeof(req), ureq);
	if (err)
		return err;
	if (req.reserved || (req.flags & ~PCBSTAT_GET_THREAD) || req.pid <= 0)
		return -EINVAL;
	err = check_entry_size(req.entry_size);
	if (err)
		return err;
	thread = req.flags & PCBSTAT_GET_THREAD;
	pid = find_get_pid(req.pid);
	task = get_pid_task(pid, thread ? PIDTYPE_PID : PIDTYPE_TGID);
	put_pid(pid);
	if (!task)
		return -ESRCH;
	if (thread)
		alive = pcbstat_gather_thread(task, task_active_pid_ns(current),
					      ktime_get_ns(), &rec);
	else
		alive = pcbstat_gather_process(task,
					       task_active_pid_ns(current),
					       ktime_get_ns(), &rec);
	put_task_struct(task);
	if (!alive)
		return -ESRCH;
	return put_task(u64_to_user_ptr(req.out), req.entry_size, &rec);
}

static long list_into(struct pcbstat_list *req, struct pcbstat_task *rec)
{
	struct pid_namespace *ns = task_active_pid_ns(current);
	bool threads = req->flags & PCBSTAT_LIST_THREADS;
	void __user *buf = u64_to_user_ptr(req->buf);
	u64 mono_now = ktime_get_ns();
	int nr = req->next_pid;
	u32 k;

	for (k = 0; k < req->count; nr++) {
		struct task_struct *task = pcbstat_next_task(ns, &nr, threads);
		bool alive;

		if (!task) {
			nr = 0;
			break;
		}
		if (threads)
			alive = pcbstat_gather_thread(task, ns, mono_now, rec);
		else
			alive = pcbstat_gather_process(task, ns, mono_now, rec);
		put_task_struct(task);
		if (alive) {
			if (put_task(buf + (size_t)k * req->entry_size,
				     req->entry_size, rec))
				return -EFAULT;
			k++;
		}
		cond_resched();
		if (fatal_signal_pending(current))
			return -EINTR;
	}
	req->count = k;
	req->next_pid = nr;
	return 0;
}

static long ioc_list(void __user *ureq)
{
	struct pcbstat_task rec;
	struct pcbstat_list req;
	u32 usize;
	int err;

	err = copy_ext_arg(&req, sizeof(req), ureq);
	if (err)
		return err;
	usize = req.size;
	if (req.reserved || (req.flags & ~PCBSTAT_LIST_THREADS) ||
	    req.next_pid <= 0 || req.count > 65536)
		return -EINVAL;
	err = check_entry_size(req.entry_size);
	if (err)
		return err;
	err = list_into(&req, &rec);
	if (err)
		return err;
	return put_request(ureq, &req, sizeof(req), usize);
}

static long exited_into(struct pcbstat_exited *req, struct pcbstat_task *recs)
{
	void __user *buf = u64_to_user_ptr(req->buf);
	u64 lost;
	int i, n;

	n = pcbstat_exited_copy(req->after_seq, recs,
				min(req->count, pcbstat_exited_size()), &lost);
	if (n < 0)
		return n;
	for (i = 0; i < n; i++)
		if (put_task(buf + (size_t)i * req->entry_size,
			     req->entry_size, &recs[i]))
			return -EFAULT;
	req->count = n;
	req->lost = lost;
	return 0;
}

static long ioc_exited(void __user *ureq)
{
	struct pcbstat_exited req;
	struct pcbstat_task *recs;
	u32 usize;
	long err;

	err = copy_ext_arg(&req, sizeof(req), ureq);
	if (err)
		return err;
	usize = req.size;
	if (req.reserved || req.lost || req.count > 65536)
		return -EINVAL;
	err = check_entry_size(req.entry_size);
	if (err)
		return err;
	recs = kvcalloc(pcbstat_exited_size(), sizeof(*recs), GFP_KERNEL);
	if (!recs)
		return -ENOMEM;
	err = exited_into(&req, recs);
	kvfree(recs);
	if (err)
		return err;
	return put_request(ureq, &req, sizeof(req), usize);
}

/*
 * Commands match by type and number, not by the size _IOWR encodes: the
 * size field inside the struct is what lets a struct grow.
 */
static long pcbstat_ioctl(struct file *file, unsigned int cmd,
			  unsigned long arg)
{
	void __user *uarg = (void __user *)arg;

	if (_IOC_TYPE(cmd) != PCBSTAT_IOC_MAGIC ||
	    _IOC_DIR(cmd) != (_IOC_READ | _IOC_WRITE))
		return -ENOTTY;
	switch (_IOC_NR(cmd)) {
	case _IOC_NR(PCBSTAT_IOC_GET):
		return ioc_get(uarg);
	case _IOC_NR(PCBSTAT_IOC_LIST):
		return ioc_list(uarg);
	case _IOC_NR(PCBSTAT_IOC_EXITED):
		return ioc_exited(uarg);
	default:
		return -ENOTTY;
	}
}

static const struct file_operations pcbstat_dev_fops = {
	.owner = THIS_MODULE,
	.unlocked_ioctl = pcbstat_ioctl,
	.compat_ioctl = compat_ptr_ioctl,
};

static struct miscdevice pcbstat_dev = {
	.minor = MISC_DYNAMIC_MINOR,
	.name = "pcbstat",
	.fops = &pcbstat_dev_fops,
	.mode = 0444,
};

int pcbstat_dev_init(void)
{
	return misc_register(&pcbstat_dev);
}

void pcbstat_dev_exit(void)
{
	misc_deregister(&pcbstat_dev);
}
