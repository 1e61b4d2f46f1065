/* SPDX-License-Identifier: GPL-2.0 */
/*
 * libpcbmq: message queues on /dev/pcbmq.
 *
 * msgget/msgsnd/msgrcv/msgctl are exported with libc's signatures and
 * errno, so LD_PRELOAD=libpcbmq.so runs an unmodified SysV program on the
 * device. The pcbmq_* calls add what SysV lacks: timeouts, batches and a
 * pollable file descriptor per queue.
 */
#ifndef LIBPCBMQ_H
#define LIBPCBMQ_H

#include <stddef.h>
#include <stdint.h>
#include <sys/msg.h>
#include <sys/types.h>

#include <pcbmq.h>

/* The shared descriptor of /dev/pcbmq, opened on first use; -1 + errno. */
int pcbmq_fd(void);
/*
 * Closes the shared descriptor, which pins pcbstat.ko while open; the
 * next call opens it again. Not while another thread is in a call.
 */
void pcbmq_close(void);

/*
 * msgget and msgctl by their device names, for programs that use both.
 * pcbmq_ctl passes cmd and buf to the device as they are, as the kernel's
 * msgctl syscall takes them: in a 32-bit program buf is then the
 * kernel's compat_msqid64_ds when cmd has IPC_64 (0x100), else its old
 * compat_msqid_ds, not libc's struct msqid_ds; msgctl converts as libc's
 * does, and so does __msgctl64, which _TIME_BITS=64 programs call.
 */
int pcbmq_get(key_t key, int msgflg);
int pcbmq_ctl(int msqid, int cmd, struct msqid_ds *buf);
#if __TIMESIZE == 32
int __msgctl64(int msqid, int cmd, struct __msqid64_ds *buf);
#endif

/* msgsnd/msgrcv with a timeout (0: none); ETIMEDOUT when it expires. */
int pcbmq_send(int msqid, const void *msgp, size_t msgsz, int msgflg,
	       int64_t timeout_ns);
ssize_t pcbmq_recv(int msqid, void *msgp, size_t msgsz, long msgtyp, int msgflg,
		   int64_t timeout_ns);

/*
 * Many messages in one call: returns how many were transferred (each
 * vec[i].result says how) or -1 + errno if none was.
 */
int pcbmq_sendv(int msqid, struct pcbmq_vec *vec, unsigned int count,
		int msgflg, int64_t timeout_ns);
int pcbmq_recvv(int msqid, struct pcbmq_vec *vec, unsigned int count,
		long msgtyp, int msgflg, int64_t timeout_ns);

/*
 * A new descriptor for poll/epoll on one queue: readable while a message
 * is queued, writable while msgsz bytes fit; close it when done.
 */
int pcbmq_watch(int msqid, size_t msgsz);

#endif /* LIBPCBMQ_H */
