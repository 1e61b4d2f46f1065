/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Shared by the pcbmq selftests (with ksft.h's helpers): reach
 * the same four calls either as the kernel's SysV syscalls or as
 * libpcbmq's stand-ins, so one scenario can run against both.
 */
#ifndef PCBMQ_SELFTEST_LIB_H
#define PCBMQ_SELFTEST_LIB_H

#include <dlfcn.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/msg.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "ksft.h"

/* FNV-1a: results of the kernel and the device compare by digest. */
static inline uint64_t mq_digest(const void *p, size_t n)
{
	const unsigned char *c = p;
	uint64_t h = 1469598103934665603ULL;

	while (n--)
		h = (h ^ *c++) * 1099511628211ULL;
	return h;
}

struct mq_backend {
	const char *name;
	int (*get)(key_t key, int msgflg);
	int (*snd)(int msqid, const void *msgp, size_t msgsz, int msgflg);
	ssize_t (*rcv)(int msqid, void *msgp, size_t msgsz, long msgtyp,
		       int msgflg);
	int (*ctl)(int msqid, int cmd, struct msqid_ds *buf);
	void *lib;
};

/* Raw syscalls: libc's wrappers are what LD_PRELOAD replaces. */
static int kern_get(key_t key, int msgflg)
{
	return syscall(SYS_msgget, key, msgflg);
}

static int kern_snd(int msqid, const void *msgp, size_t msgsz, int msgflg)
{
	return syscall(SYS_msgsnd, msqid, msgp, msgsz, msgflg);
}

static ssize_t kern_rcv(int msqid, void *msgp, size_t msgsz, long msgtyp,
			int msgflg)
{
	return syscall(SYS_msgrcv, msqid, msgp, msgsz, msgtyp, msgflg);
}

static int kern_ctl(int msqid, int cmd, struct msqid_ds *buf)
{
	return syscall(SYS_msgctl, msqid, cmd, buf);
}

static inline void mq_kernel_backend(struct mq_backend *b)
{
	*b = (struct mq_backend){ "kernel", kern_get, kern_snd,
				  kern_rcv, kern_ctl, NULL };
}

/* libpcbmq's msg* stand-ins, without letting them replace libc's here. */
static inline int mq_device_backend(struct mq_backend *b)
{
	char path[4096];
	const char *build = getenv("PCBKIT_BUILD");

	snprintf(path, sizeof(path), "%s/lib/libpcbmq.so",
		 build ? build : "build");
	b->name = "device";
	b->lib = dlopen(path, RTLD_NOW | RTLD_LOCAL);
	if (!b->lib) {
		fprintf(stderr, "dlopen %s: %s\n", path, dlerror());
		return -1;
	}
	b->get = (int (*)(key_t, int))dlsym(b->lib, "msgget");
	b->snd = (int (*)(int, const void *, size_t, int))dlsym(b->lib,
								"msgsnd");
	b->rcv = (ssize_t(*)(int, void *, size_t, long, int))dlsym(b->lib,
								   "msgrcv");
	b->ctl = (int (*)(int, int, struct msqid_ds *))dlsym(b->lib, "msgctl");
	return b->get && b->snd && b->rcv && b->ctl ? 0 : -1;
}

/* libpcbmq keeps /dev/pcbmq open, which pins the module: close it. */
static inline void mq_device_close(struct mq_backend *b)
{
	void (*close_fd)(void) = (void (*)(void))dlsym(b->lib, "pcbmq_close");

	if (close_fd)
		close_fd();
	dlclose(b->lib);
}

/* Wait (bounded) until @pid sleeps interruptibly: 'S' in /proc/pid/stat. */
static inline int mq_wait_sleeping(pid_t pid, int seconds)
{
	char path[64], buf[512], *p;
	int i;

	snprintf(path, sizeof(path), "/proc/%d/stat", pid);
	for (i = 0; i < seconds * 200; i++) {
		FILE *f = fopen(path, "r");

		if (f) {
			size_t n = fread(buf, 1, sizeof(buf) - 1, f);

			fclose(f);
			buf[n] = 0;
			p = strrchr(buf, ')');
			if (p && p[1] == ' ' && p[2] == 'S')
				return 0;
		}
		usleep(5000);
	}
	return -1;
}

#endif /* PCBMQ_SELFTEST_LIB_H */
