// SPDX-License-Identifier: GPL-2.0
/*
 * libpcbmq: each call is one ioctl on /dev/pcbmq. User pointers and sizes
 * go to the device untouched (sizes as signed 64-bit, sign-extended from
 * ssize_t as the kernel's compat entry does for a 32-bit caller), so the
 * device, not this library, decides every EFAULT and EINVAL exactly as the
 * kernel.
 *
 * Built 32-bit, it stands in for 32-bit libc: the device's compat_ioctl
 * takes the 4-byte mtype, and msgctl and __msgctl64 do what libc's do on
 * top of the kernel's compat_msqid64_ds (IPC_64 in cmd, times in halves).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "libpcbmq.h"

#define PCBMQ_API __attribute__((visibility("default")))

static int pcbmq_shared_fd = -1;

static int pcbmq_open(void)
{
	int fd = open(PCBMQ_DEVICE, O_RDWR | O_CLOEXEC);

	if (fd < 0) {
		/* ENOENT would read as "no such key": say what is missing. */
		fprintf(stderr, "libpcbmq: cannot open %s: %s\n", PCBMQ_DEVICE,
			strerror(errno));
		errno = ENOSYS;
	}
	return fd;
}

PCBMQ_API int pcbmq_fd(void)
{
	int fd = __atomic_load_n(&pcbmq_shared_fd, __ATOMIC_ACQUIRE);
	int expected = -1;

	if (fd >= 0)
		return fd;
	fd = pcbmq_open();
	if (fd < 0)
		return -1;
	/* Two threads raced to open: keep the first descriptor. */
	if (!__atomic_compare_exchange_n(&pcbmq_shared_fd, &expected, fd, 0,
					 __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE)) {
		close(fd);
		fd = expected;
	}
	return fd;
}

PCBMQ_API void pcbmq_close(void)
{
	int fd = __atomic_exchange_n(&pcbmq_shared_fd, -1, __ATOMIC_ACQ_REL);

	if (fd >= 0)
		close(fd);
}

static long pcbmq_ioctl(unsigned long cmd, void *arg)
{
	int fd = pcbmq_fd();

	if (fd < 0)
		return -1;
	return ioctl(fd, cmd, arg);
}

PCBMQ_API int pcbmq_get(key_t key, int msgflg)
{
	struct pcbmq_get a = { .size = sizeof(a),
			       .key = key,
			       .msgflg = msgflg };

	return pcbmq_ioctl(PCBMQ_IOC_GET, &a);
}

PCBMQ_API int msgget(key_t key, int msgflg)
{
	return pcbmq_get(key, msgflg);
}

PCBMQ_API int pcbmq_send(int msqid, const void *msgp, size_t msgsz, int msgflg,
			 int64_t timeout_ns)
{
	struct pcbmq_snd a = {
		.size = sizeof(a),
		.msqid = msqid,
		.msgp = (uintptr_t)msgp,
		.msgsz = (ssize_t)msgsz,
		.msgflg = msgflg,
		.timeout_ns = timeout_ns,
	};

	return pcbmq_ioctl(PCBMQ_IOC_SND, &a);
}

PCBMQ_API int msgsnd(int msqid, const void *msgp, size_t msgsz, int msgflg)
{
	return pcbmq_send(msqid, msgp, msgsz, msgflg, 0);
}

PCBMQ_API ssize_t pcbmq_recv(int msqid, void *msgp, size_t msgsz, long msgtyp,
			     int msgflg, int64_t timeout_ns)
{
	struct pcbmq_rcv a = {
		.size = sizeof(a),
		.msqid = msqid,
		.msgp = (uintptr_t)msgp,
		.msgsz = (ssize_t)msgsz,
		.msgtyp = msgtyp,
		.msgflg = msgflg,
		.timeout_ns = timeout_ns,
	};

	return pcbmq_ioctl(PCBMQ_IOC_RCV, &a);
}

PCBMQ_API ssize_t msgrcv(int msqid, void *msgp, size_t msgsz, long msgtyp,
			 int msgflg)
{
	return pcbmq_recv(msqid, msgp, msgsz, msgtyp, msgflg, 0);
}

PCBMQ_API int pcbmq_ctl(int msqid, int cmd, struct msqid_ds *buf)
{
	struct pcbmq_ctl a = {
		.size = sizeof(a),
		.msqid = msqid,
		.cmd = cmd,
		.buf = (uintptr_t)buf,
	};

	return pcbmq_ioctl(PCBMQ_IOC_CTL, &a);
}

#if __TIMESIZE == 64
PCBMQ_API int msgctl(int msqid, int cmd, struct msqid_ds *buf)
{
	return pcbmq_ctl(msqid, cmd, buf);
}
#else
/* The kernel's compat_msqid64_ds, which 32-bit libc passes with IPC_64. */
struct pcbmq_kmsqid64 {
	struct ipc_perm msg_perm;
	unsigned long msg_stime, msg_stime_high;
	unsigned long msg_rtime, msg_rtime_high;
	unsigned long msg_ctime, msg_ctime_high;
	unsigned long msg_cbytes, msg_qnum, msg_qbytes;
	pid_t msg_lspid, msg_lrpid;
	unsigned long unused4, unused5;
};

#define PCBMQ_IPC_64 0x100

static int64_t pcbmq_time64(unsigned long lo, unsigned long hi)
{
	return (int64_t)((uint64_t)hi << 32 | lo);
}

/*
 * glibc's __msgctl64, a _TIME_BITS=64 program's msgctl. msgctl calls this
 * one, not the export, which libc's would interpose in a program that
 * dlopens the library.
 */
static int pcbmq_ctl64(int msqid, int cmd, struct __msqid64_ds *buf)
{
	struct pcbmq_kmsqid64 k, *arg = NULL;
	/* glibc takes the flag it adds itself from its caller too. */
	int op = cmd & ~PCBMQ_IPC_64;
	int ret;

	switch (op) {
	case IPC_RMID:
		break;
	case IPC_SET:
	case IPC_STAT:
	case MSG_STAT:
	case MSG_STAT_ANY:
		/* Like libc, the caller's struct is read for every one. */
		if (!buf)
			break;
		memset(&k, 0, sizeof(k));
		k.msg_perm = buf->msg_perm;
		k.msg_stime = (unsigned long)buf->msg_stime;
		k.msg_stime_high = (uint64_t)buf->msg_stime >> 32;
		k.msg_rtime = (unsigned long)buf->msg_rtime;
		k.msg_rtime_high = (uint64_t)buf->msg_rtime >> 32;
		k.msg_ctime = (unsigned long)buf->msg_ctime;
		k.msg_ctime_high = (uint64_t)buf->msg_ctime >> 32;
		k.msg_cbytes = buf->__msg_cbytes;
		k.msg_qnum = buf->msg_qnum;
		k.msg_qbytes = buf->msg_qbytes;
		k.msg_lspid = buf->msg_lspid;
		k.msg_lrpid = buf->msg_lrpid;
		arg = &k;
		break;
	case IPC_INFO:
	case MSG_INFO:
		/* struct msginfo, the same for every caller. */
		arg = (struct pcbmq_kmsqid64 *)buf;
		break;
	default:
		errno = EINVAL;
		return -1;
	}
	ret = pcbmq_ctl(msqid, cmd | PCBMQ_IPC_64, (struct msqid_ds *)arg);
	if (ret < 0 || arg != &k || op == IPC_SET)
		return ret;
	/* The kernel's mode is 16 bits with padding; libc's is a mode_t. */
	buf->msg_perm = k.msg_perm;
	buf->msg_perm.mode &= 0xffff;
	buf->msg_stime = pcbmq_time64(k.msg_stime, k.msg_stime_high);
	buf->msg_rtime = pcbmq_time64(k.msg_rtime, k.msg_rtime_high);
	buf->msg_ctime = pcbmq_time64(k.msg_ctime, k.msg_ctime_high);
	buf->__msg_cbytes = k.msg_cbytes;
	buf->msg_qnum = k.msg_qnum;
	buf->msg_qbytes = k.msg_qbytes;
	buf->msg_lspid = k.msg_lspid;
	buf->msg_lrpid = k.msg_lrpid;
	return ret;
}

PCBMQ_API int __msgctl64(int msqid, int cmd, struct __msqid64_ds *buf)
{
	return pcbmq_ctl64(msqid, cmd, buf);
}

/*
 * libc's msgctl for 32-bit time: through __msgctl64, the high halves of
 * the times read in and written back as zero.
 */
PCBMQ_API int msgctl(int msqid, int cmd, struct msqid_ds *buf)
{
	struct __msqid64_ds m64, *arg = NULL;
	int ret;

	if (buf && (cmd == IPC_INFO || cmd == MSG_INFO)) {
		arg = (struct __msqid64_ds *)buf;
	} else if (buf) {
		memset(&m64, 0, sizeof(m64));
		m64.msg_perm = buf->msg_perm;
		m64.msg_stime =
			pcbmq_time64(buf->msg_stime, buf->__msg_stime_high);
		m64.msg_rtime =
			pcbmq_time64(buf->msg_rtime, buf->__msg_rtime_high);
		m64.msg_ctime =
			pcbmq_time64(buf->msg_ctime, buf->__msg_ctime_high);
		m64.__msg_cbytes = buf->__msg_cbytes;
		m64.msg_qnum = buf->msg_qnum;
		m64.msg_qbytes = buf->msg_qbytes;
		m64.msg_lspid = buf->msg_lspid;
		m64.msg_lrpid = buf->msg_lrpid;
		arg = &m64;
	}
	ret = pcbmq_ctl64(msqid, cmd, arg);
	if (ret < 0 || arg != &m64 ||
	    (cmd != IPC_STAT && cmd != MSG_STAT && cmd != MSG_STAT_ANY))
		return ret;
	buf->msg_perm = m64.msg_perm;
	buf->msg_stime = m64.msg_stime;
	buf->__msg_stime_high = 0;
	buf->msg_rtime = m64.msg_rtime;
	buf->__msg_rtime_high = 0;
	buf->msg_ctime = m64.msg_ctime;
	buf->__msg_ctime_high = 0;
	buf->__msg_cbytes = m64.__msg_cbytes;
	buf->msg_qnum = m64.msg_qnum;
	buf->msg_qbytes = m64.msg_qbytes;
	buf->msg_lspid = m64.msg_lspid;
	buf->msg_lrpid = m64.msg_lrpid;
	return ret;
}
#endif

static int pcbmq_batch(unsigned long cmd, int msqid, struct pcbmq_vec *vec,
		       unsigned int count, long msgtyp, int msgflg,
		       int64_t timeout_ns)
{
	struct pcbmq_batch a = {
		.size = sizeof(a),
		.msqid = msqid,
		.vec = (uintptr_t)vec,
		.count = count,
		.msgflg = msgflg,
		.msgtyp = msgtyp,
		.timeout_ns = timeout_ns,
	};

	return pcbmq_ioctl(cmd, &a);
}

PCBMQ_API int pcbmq_sendv(int msqid, struct pcbmq_vec *vec, unsigned int count,
			  int msgflg, int64_t timeout_ns)
{
	return pcbmq_batch(PCBMQ_IOC_SNDV, msqid, vec, count, 0, msgflg,
			   timeout_ns);
}

PCBMQ_API int pcbmq_recvv(int msqid, struct pcbmq_vec *vec, unsigned int count,
			  long msgtyp, int msgflg, int64_t timeout_ns)
{
	return pcbmq_batch(PCBMQ_IOC_RCVV, msqid, vec, count, msgtyp, msgflg,
			   timeout_ns);
}

PCBMQ_API int pcbmq_watch(int msqid, size_t msgsz)
{
	struct pcbmq_watch a = {
		.size = sizeof(a),
		.msqid = msqid,
		.msgsz = (ssize_t)msgsz,
	};
	int fd = pcbmq_open();

	if (fd < 0)
		return -1;
	if (ioctl(fd, PCBMQ_IOC_WATCH, &a) < 0) {
		int err = errno;

		close(fd);
		errno = err;
		return -1;
	}
	return fd;
}
