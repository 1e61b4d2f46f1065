// SPDX-License-Identifier: GPL-2.0
/*
 * libpcbmq: each call is one ioctl on /dev/pcbmq. User pointers and sizes
 * go to the device untouched (sizes as signed 64-bit), so the device, not
 * this library, decides every EFAULT and EINVAL exactly as the kernel.
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
		.msgsz = (int64_t)msgsz,
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
		.msgsz = (int64_t)msgsz,
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

PCBMQ_API int msgctl(int msqid, int cmd, struct msqid_ds *buf)
{
	return pcbmq_ctl(msqid, cmd, buf);
}

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
		.msgsz = (int64_t)msgsz,
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
