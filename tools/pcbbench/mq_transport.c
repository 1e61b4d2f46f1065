// SPDX-License-Identifier: GPL-2.0
/*
 * pcbbench mq's transports, each carrying both directions of a ping-pong
 * or one of a stream: the kernel's SysV queue (the anchor, by raw
 * syscalls), /dev/pcbmq through libpcbmq, pipes and POSIX mq.
 */
#include <fcntl.h>
#include <mqueue.h>
#include <stdio.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "bench_mq.h"
#include "libpcbmq.h"

static int sysv_setup(struct transport *t)
{
	t->id = syscall(SYS_msgget, IPC_PRIVATE, 0600);
	return t->id < 0 ? -1 : 0;
}

static int sysv_send(struct transport *t, int dir, struct bmsg *m, size_t len)
{
	m->mtype = 1 + dir;
	return syscall(SYS_msgsnd, t->id, m, len, 0);
}

static int sysv_recv(struct transport *t, int dir, struct bmsg *m, size_t len)
{
	return syscall(SYS_msgrcv, t->id, m, len, 1 + dir, 0) < 0 ? -1 : 0;
}

static void sysv_teardown(struct transport *t)
{
	syscall(SYS_msgctl, t->id, IPC_RMID, NULL);
}

static int dev_setup(struct transport *t)
{
	t->id = pcbmq_get(IPC_PRIVATE, 0600);
	return t->id < 0 ? -1 : 0;
}

static int dev_send(struct transport *t, int dir, struct bmsg *m, size_t len)
{
	m->mtype = 1 + dir;
	return pcbmq_send(t->id, m, len, 0, 0);
}

static int dev_recv(struct transport *t, int dir, struct bmsg *m, size_t len)
{
	return pcbmq_recv(t->id, m, len, 1 + dir, 0, 0) < 0 ? -1 : 0;
}

static void dev_teardown(struct transport *t)
{
	pcbmq_ctl(t->id, IPC_RMID, NULL);
}

static int pipe_setup(struct transport *t)
{
	return pipe(t->fds[0]) || pipe(t->fds[1]) ? -1 : 0;
}

static int full_io(int fd, void *buf, size_t len, bool out)
{
	char *p = buf;

	while (len) {
		ssize_t n = out ? write(fd, p, len) : read(fd, p, len);

		if (n <= 0)
			return -1;
		p += n;
		len -= n;
	}
	return 0;
}

static int pipe_send(struct transport *t, int dir, struct bmsg *m, size_t len)
{
	return full_io(t->fds[dir][1], m->text, len, true);
}

static int pipe_recv(struct transport *t, int dir, struct bmsg *m, size_t len)
{
	return full_io(t->fds[dir][0], m->text, len, false);
}

static void pipe_teardown(struct transport *t)
{
	int i;

	for (i = 0; i < 4; i++)
		close(t->fds[i / 2][i % 2]);
}

static int posix_setup(struct transport *t)
{
	struct mq_attr a = { .mq_maxmsg = 10, .mq_msgsize = MAX_TEXT };
	int i;

	for (i = 0; i < 2; i++) {
		snprintf(t->mq_name[i], sizeof(t->mq_name[i]),
			 "/pcbbench-%d-%d", getpid(), i);
		t->mq[i] = mq_open(t->mq_name[i], O_RDWR | O_CREAT, 0600, &a);
		if (t->mq[i] == (mqd_t)-1)
			return -1;
	}
	return 0;
}

static int posix_send(struct transport *t, int dir, struct bmsg *m, size_t len)
{
	return mq_send(t->mq[dir], m->text, len, 0);
}

static int posix_recv(struct transport *t, int dir, struct bmsg *m, size_t len)
{
	return mq_receive(t->mq[dir], m->text, MAX_TEXT, NULL) < 0 ? -1 : 0;
}

static void posix_teardown(struct transport *t)
{
	int i;

	for (i = 0; i < 2; i++) {
		mq_close(t->mq[i]);
		mq_unlink(t->mq_name[i]);
	}
}

struct transport mq_transports[NR_TRANSPORTS] = {
	[MQ_SYSV] = { .name = "sysv",
		      .setup = sysv_setup,
		      .send = sysv_send,
		      .recv = sysv_recv,
		      .teardown = sysv_teardown },
	[MQ_PCBMQ] = { .name = "pcbmq",
		       .setup = dev_setup,
		       .send = dev_send,
		       .recv = dev_recv,
		       .teardown = dev_teardown },
	[MQ_PIPE] = { .name = "pipe",
		      .setup = pipe_setup,
		      .send = pipe_send,
		      .recv = pipe_recv,
		      .teardown = pipe_teardown },
	[MQ_POSIX] = { .name = "posix-mq",
		       .setup = posix_setup,
		       .send = posix_send,
		       .recv = posix_recv,
		       .teardown = posix_teardown },
};

int mq_set_qbytes(bool device, int id, unsigned long qbytes)
{
	struct msqid_ds ds;

	if (device ? pcbmq_ctl(id, IPC_STAT, &ds)
		   : syscall(SYS_msgctl, id, IPC_STAT, &ds))
		return -1;
	ds.msg_qbytes = qbytes;
	return device ? pcbmq_ctl(id, IPC_SET, &ds)
		      : syscall(SYS_msgctl, id, IPC_SET, &ds);
}

/* The raw call: -Itools/pcbbench makes <sched.h> this directory's. */
void mq_pin_mask(unsigned long mask)
{
	syscall(SYS_sched_setaffinity, 0, sizeof(mask), &mask);
}

void mq_pin_to(int cpu)
{
	mq_pin_mask(1UL << cpu);
}
