/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * /dev/pcbmq: SysV message queue semantics behind an ioctl ABI.
 *
 * Every argument struct starts with its own size so it can grow: the device
 * accepts any size from the first published one up, zero-fills what an
 * older caller did not pass and rejects non-zero bytes it does not know
 * (E2BIG). Reserved fields must be zero (EINVAL). User pointers travel as
 * __u64 and sizes as signed 64-bit values, untouched, so every EFAULT and
 * negative-size case of msgsnd(2)/msgrcv(2) is decided by the device.
 *
 * The ioctl's return value is the system call's: the id for GET, 0 for
 * SND, the byte count for RCV, the msgctl(2) result for CTL.
 *
 * A 32-bit process passes the same structs (every field is fixed width);
 * what it points at is its own: a msgbuf with a 4-byte mtype, and for CTL
 * the kernel's compat_msqid64_ds when cmd has IPC_64, else the old
 * compat_msqid_ds. Its pointers, sizes and types must fit 32 bits.
 */
#ifndef _UAPI_PCBMQ_H
#define _UAPI_PCBMQ_H

#include <linux/ioctl.h>
#include <linux/types.h>

#define PCBMQ_DEVICE "/dev/pcbmq"
#define PCBMQ_IOC_MAGIC 0xB9

/* msgget(2) */
struct pcbmq_get {
	__u32 size;
	__s32 key;
	__s32 msgflg;
	__u32 reserved;
};

/* msgsnd(2); msgp points at a struct msgbuf (long mtype, then text). */
struct pcbmq_snd {
	__u32 size;
	__s32 msqid;
	__u64 msgp;
	__s64 msgsz;
	__s32 msgflg;
	__u32 reserved;
	/* 0: wait forever; > 0: ETIMEDOUT after this many nanoseconds. */
	__s64 timeout_ns;
};

/* msgrcv(2) */
struct pcbmq_rcv {
	__u32 size;
	__s32 msqid;
	__u64 msgp;
	__s64 msgsz;
	__s64 msgtyp;
	__s32 msgflg;
	__u32 reserved;
	__s64 timeout_ns;
};

/*
 * msgctl(2); buf points at the kernel's struct msqid64_ds (which is
 * x86-64 libc's struct msqid_ds), its compat layouts for a 32-bit caller,
 * or at a struct msginfo.
 */
struct pcbmq_ctl {
	__u32 size;
	__s32 msqid;
	__s32 cmd;
	__u32 reserved;
	__u64 buf;
};

/* One message of a batch: result is its msgrcv byte count or -errno. */
struct pcbmq_vec {
	__u64 msgp;
	__s64 msgsz;
	__s64 result;
};

/*
 * Batch send or receive of up to PCBMQ_BATCH_MAX messages under one lock
 * round trip. Only the first message may block (unless IPC_NOWAIT); the
 * call returns how many messages were transferred, or -errno if none was.
 * For receive, msgtyp and msgflg apply to every message.
 */
struct pcbmq_batch {
	__u32 size;
	__s32 msqid;
	__u64 vec;
	__u32 count;
	__s32 msgflg;
	__s64 msgtyp;
	__s64 timeout_ns;
};

#define PCBMQ_BATCH_MAX 1024

/*
 * Bind this open file to a queue for poll(2)/epoll: EPOLLIN while a
 * message is queued, EPOLLOUT while one of watch.msgsz bytes would fit,
 * EPOLLERR|EPOLLHUP once the queue is removed.
 */
struct pcbmq_watch {
	__u32 size;
	__s32 msqid;
	__s64 msgsz;
};

#define PCBMQ_IOC_GET _IOWR(PCBMQ_IOC_MAGIC, 1, struct pcbmq_get)
#define PCBMQ_IOC_SND _IOW(PCBMQ_IOC_MAGIC, 2, struct pcbmq_snd)
#define PCBMQ_IOC_RCV _IOW(PCBMQ_IOC_MAGIC, 3, struct pcbmq_rcv)
#define PCBMQ_IOC_CTL _IOW(PCBMQ_IOC_MAGIC, 4, struct pcbmq_ctl)
#define PCBMQ_IOC_SNDV _IOW(PCBMQ_IOC_MAGIC, 5, struct pcbmq_batch)
#define PCBMQ_IOC_RCVV _IOW(PCBMQ_IOC_MAGIC, 6, struct pcbmq_batch)
#define PCBMQ_IOC_WATCH _IOW(PCBMQ_IOC_MAGIC, 7, struct pcbmq_watch)

#endif /* _UAPI_PCBMQ_H */
