// SPDX-License-Identifier: GPL-2.0
/*
 * /dev/pcbmq: the misc device, its ioctl dispatch and the limits.
 *
 * An open file pins the module (fops owner), and a caller sleeping in an
 * ioctl holds its file, so the module cannot go while a queue is in use.
 */
#include <linux/compat.h>
#include <linux/fs.h>
#include <linux/miscdevice.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/poll.h>
#include <linux/slab.h>
#include <linux/sysfs.h>
#include <linux/uaccess.h>

#include "ext_arg.h"
#include "mq.h"
#include "pcbmq.h"
#include "parts.h"

int pcbmq_msgmax = 8192;
int pcbmq_msgmnb = 16384;
int pcbmq_msgmni = 32000;
unsigned long pcbmq_mem_max = 256UL << 20;

/* Like kernel.msg*: non-negative ints; msgmni at most the id space. */
static int mq_param_set(const char *val, const struct kernel_param *kp)
{
	int hi = kp->arg == &pcbmq_msgmni ? MQ_IDX_MAX : INT_MAX;
	int n, err;

	err = kstrtoint(val, 0, &n);
	if (err)
		return err;
	if (n < 0 || n > hi)
		return -EINVAL;
	WRITE_ONCE(*(int *)kp->arg, n);
	return 0;
}

static const struct kernel_param_ops mq_param_ops = {
	.set = mq_param_set,
	.get = param_get_int,
};

module_param_cb(msgmax, &mq_param_ops, &pcbmq_msgmax, 0644);
MODULE_PARM_DESC(msgmax, "pcbmq: largest message in bytes (kernel.msgmax)");
module_param_cb(msgmnb, &mq_param_ops, &pcbmq_msgmnb, 0644);
MODULE_PARM_DESC(msgmnb, "pcbmq: default queue size in bytes (kernel.msgmnb)");
module_param_cb(msgmni, &mq_param_ops, &pcbmq_msgmni, 0644);
MODULE_PARM_DESC(msgmni, "pcbmq: most queues per IPC namespace (kernel.msgmni)");
/*
 * kernel.msg_next_id: the id the next queue created gets, then -1 again
 * (what checkpoint/restore tools set). Like the sysctl it reads -1 when
 * unset and takes 0 to INT_MAX: it is unset only by being used.
 */
int pcbmq_msg_next_id = -1;

static int mq_next_id_set(const char *val, const struct kernel_param *kp)
{
	int n, err;

	err = kstrtoint(val, 0, &n);
	if (err)
		return err;
	if (n < 0)
		return -EINVAL;
	WRITE_ONCE(pcbmq_msg_next_id, n);
	return 0;
}

static const struct kernel_param_ops mq_next_id_ops = {
	.set = mq_next_id_set,
	.get = param_get_int,
};

module_param_cb(msg_next_id, &mq_next_id_ops, &pcbmq_msg_next_id, 0644);
MODULE_PARM_DESC(msg_next_id,
		 "pcbmq: id of the next queue created, once (kernel.msg_next_id)");
module_param_cb(mem_max, &param_ops_ulong, &pcbmq_mem_max, 0644);
MODULE_PARM_DESC(mem_max, "pcbmq: bytes all queued messages may use together");

/* What queued messages use now: tests check it returns to zero. */
static int mq_mem_used_get(char *buf, const struct kernel_param *kp)
{
	return sysfs_emit(buf, "%lld\n", pcbmq_mem_used());
}

static const struct kernel_param_ops mq_mem_used_ops = {
	.get = mq_mem_used_get,
};

module_param_cb(mem_used, &mq_mem_used_ops, NULL, 0444);
MODULE_PARM_DESC(mem_used, "pcbmq: bytes queued messages use now");

/* Per open file: the queue poll(2) reports on, if bound by WATCH. */
struct mq_file {
	struct mq_queue *watched;
	size_t watch_msgsz;
};

static long mq_ioctl_get(void __user *uarg)
{
	struct pcbmq_get a;
	int err = copy_ext_arg(&a, sizeof(a), uarg);

	if (err)
		return err;
	if (a.reserved)
		return -EINVAL;
	return pcbmq_msgget(a.key, a.msgflg);
}

/*
 * A 32-bit caller's structs have the native layout (every field is fixed
 * width), but its msgsnd/msgrcv could only pass a 32-bit pointer, size
 * (compat_ssize_t) and type (compat_long_t): a wider value is not one it
 * can mean, so it is refused like a reserved field.
 */
static bool mq_fits_compat(bool compat, u64 ptr, s64 size, s64 type)
{
	return !compat ||
	       (ptr <= U32_MAX && size == (s32)size && type == (s32)type);
}

static long mq_ioctl_snd(void __user *uarg, bool compat)
{
	struct pcbmq_snd a;
	int err = copy_ext_arg(&a, sizeof(a), uarg);

	if (err)
		return err;
	if (a.reserved || a.timeout_ns < 0 ||
	    !mq_fits_compat(compat, a.msgp, a.msgsz, 0))
		return -EINVAL;
	return pcbmq_msgsnd(a.msqid, mq_user_ptr(a.msgp, compat), a.msgsz,
			    a.msgflg, a.timeout_ns, compat);
}

static long mq_ioctl_rcv(void __user *uarg, bool compat)
{
	struct pcbmq_rcv a;
	int err = copy_ext_arg(&a, sizeof(a), uarg);

	if (err)
		return err;
	if (a.reserved || a.timeout_ns < 0 ||
	    !mq_fits_compat(compat, a.msgp, a.msgsz, a.msgtyp))
		return -EINVAL;
	return pcbmq_msgrcv(a.msqid, mq_user_ptr(a.msgp, compat), a.msgsz,
			    a.msgtyp, a.msgflg, a.timeout_ns, compat);
}

static long mq_ioctl_ctl(void __user *uarg, bool compat)
{
	struct pcbmq_ctl a;
	int err = copy_ext_arg(&a, sizeof(a), uarg);

	if (err)
		return err;
	if (a.reserved || !mq_fits_compat(compat, a.buf, 0, 0))
		return -EINVAL;
	return pcbmq_msgctl(a.msqid, a.cmd, mq_user_ptr(a.buf, compat),
			    compat);
}

static long mq_ioctl_batch(void __user *uarg, bool send, bool compat)
{
	struct pcbmq_batch a;
	int err = copy_ext_arg(&a, sizeof(a), uarg);

	if (err)
		return err;
	if (a.timeout_ns < 0 || !a.count || a.count > PCBMQ_BATCH_MAX ||
	    !mq_fits_compat(compat, a.vec, 0, a.msgtyp))
		return -EINVAL;
	if (send)
		return pcbmq_sndv(a.msqid, mq_user_ptr(a.vec, compat), a.count,
				  a.msgflg, a.timeout_ns, compat);
	return pcbmq_rcvv(a.msqid, mq_user_ptr(a.vec, compat), a.count,
			  a.msgtyp, a.msgflg, a.timeout_ns, compat);
}

static long mq_ioctl_watch(struct file *file, void __user *uarg)
{
	struct mq_file *mf = file->private_data;
	struct pcbmq_watch a;
	struct mq_queue *q;
	int err = copy_ext_arg(&a, sizeof(a), uarg);

	if (err)
		return err;
	if (a.msgsz < 0)
		return -EINVAL;
	q = pcbmq_queue_get(a.msqid);
	if (!q)
		return -EINVAL;
	if (pcbmq_perms(q, 0444)) {
		pcbmq_queue_put(q);
		return -EACCES;
	}
	/* Before the binding is visible, so no poller waits unseen. */
	spin_lock(&q->lock);
	q->watched = true;
	spin_unlock(&q->lock);
	/* One binding per file: a poll table may still hold the old one. */
	if (cmpxchg(&mf->watched, NULL, q)) {
		pcbmq_queue_put(q);
		return -EBUSY;
	}
	mf->watch_msgsz = a.msgsz;
	return 0;
}

/*
 * Both entry points: @compat says the caller is a 32-bit process, whose
 * msgbuf and msqid64_ds have the compat layouts.
 */
static long mq_ioctl_common(struct file *file, unsigned int cmd,
			    void __user *uarg, bool compat)
{
	/* Structs carry their own size, so the number alone names the call. */
	if (_IOC_TYPE(cmd) != PCBMQ_IOC_MAGIC)
		return -ENOTTY;
	switch (_IOC_NR(cmd)) {
	case _IOC_NR(PCBMQ_IOC_GET):
		return mq_ioctl_get(uarg);
	case _IOC_NR(PCBMQ_IOC_SND):
		return mq_ioctl_snd(uarg, compat);
	case _IOC_NR(PCBMQ_IOC_RCV):
		return mq_ioctl_rcv(uarg, compat);
	case _IOC_NR(PCBMQ_IOC_CTL):
		return mq_ioctl_ctl(uarg, compat);
	case _IOC_NR(PCBMQ_IOC_SNDV):
		return mq_ioctl_batch(uarg, true, compat);
	case _IOC_NR(PCBMQ_IOC_RCVV):
		return mq_ioctl_batch(uarg, false, compat);
	case _IOC_NR(PCBMQ_IOC_WATCH):
		return mq_ioctl_watch(file, uarg);
	default:
		return -ENOTTY;
	}
}

static long mq_ioctl(struct file *file, unsigned int cmd, unsigned long arg)
{
	return mq_ioctl_common(file, cmd, (void __user *)arg, false);
}

#ifdef CONFIG_COMPAT
static long mq_compat_ioctl(struct file *file, unsigned int cmd,
			    unsigned long arg)
{
	return mq_ioctl_common(file, cmd, compat_ptr(arg), true);
}
#endif

static __poll_t mq_poll(struct file *file, struct poll_table_struct *wait)
{
	struct mq_file *mf = file->private_data;
	struct mq_queue *q = READ_ONCE(mf->watched);
	__poll_t mask = 0;

	if (!q)
		return EPOLLERR;
	poll_wait(file, &q->pollers, wait);
	spin_lock(&q->lock);
	if (q->removed)
		mask = EPOLLERR | EPOLLHUP;
	else if (q->qnum)
		mask |= EPOLLIN | EPOLLRDNORM;
	if (!q->removed && mq_fits(q, mf->watch_msgsz))
		mask |= EPOLLOUT | EPOLLWRNORM;
	spin_unlock(&q->lock);
	return mask;
}

static int mq_open(struct inode *inode, struct file *file)
{
	struct mq_file *mf = kzalloc_obj(*mf, GFP_KERNEL);

	if (!mf)
		return -ENOMEM;
	file->private_data = mf;
	return 0;
}

static int mq_release(struct inode *inode, struct file *file)
{
	struct mq_file *mf = file->private_data;

	if (mf->watched)
		pcbmq_queue_put(mf->watched);
	kfree(mf);
	return 0;
}

static const struct file_operations mq_fops = {
	.owner = THIS_MODULE,
	.open = mq_open,
	.release = mq_release,
	.unlocked_ioctl = mq_ioctl,
#ifdef CONFIG_COMPAT
	.compat_ioctl = mq_compat_ioctl,
#endif
	.poll = mq_poll,
	.llseek = noop_llseek,
};

static struct miscdevice mq_miscdev = {
	.minor = MISC_DYNAMIC_MINOR,
	.name = "pcbmq",
	.fops = &mq_fops,
	/* Access is decided per queue, on the caller's credentials. */
	.mode = 0666,
};

int pcbmq_init(void)
{
	int err;

	err = pcbmq_alloc_init();
	if (err)
		goto err_out;
	err = pcbmq_proc_init();
	if (err)
		goto err_alloc_exit;
	err = misc_register(&mq_miscdev);
	if (err)
		goto err_remove_proc;
	return 0;

err_remove_proc:
	pcbmq_proc_exit();
err_alloc_exit:
	pcbmq_alloc_exit();
err_out:
	return err;
}

void pcbmq_exit(void)
{
	misc_deregister(&mq_miscdev);
	pcbmq_proc_exit();
	pcbmq_free_all();
	pcbmq_alloc_exit();
}
