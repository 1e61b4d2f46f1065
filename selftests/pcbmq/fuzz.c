// SPDX-License-Identifier: GPL-2.0
/*
 * A differential fuzzer: a seeded random sequence of non-blocking
 * msgsnd/msgrcv/msgctl calls (random types, sizes, flags, including
 * invalid ones) runs on the kernel and on the device, each in a fresh IPC
 * namespace; every result, errno and payload must agree. This is the
 * oracle for the per-type index: the kernel scans its FIFO. The ABI
 * itself (sizes, reserved fields, pointers, every command) is fuzzed by
 * selftests/fuzz/ioctls.
 * PCBMQ_FUZZ_OPS sets the length (default 20000).
 * timeout: 300
 */
#include <limits.h>
#include <sched.h>
#include <stdint.h>
#include <sys/mman.h>
#include <sys/wait.h>

#include "pcbmq_lib.h"

struct result {
	long ret;
	int err;
	uint64_t digest;
};

static uint64_t rng;

static uint64_t next(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

static long pick(long lo, long hi)
{
	return lo + (long)(next() % (uint64_t)(hi - lo + 1));
}

struct fuzz_msg {
	long mtype;
	unsigned char text[256];
};

static struct result one_op(const struct mq_backend *b, int q)
{
	struct fuzz_msg m;
	struct msqid_ds ds;
	struct result r = { 0 };
	long op = pick(0, 99), flags;
	size_t len;

	memset(&m, 0xa5, sizeof(m));
	if (op < 45) {
		m.mtype = pick(-1, 7);
		len = pick(0, 40);
		if (pick(0, 50) == 0)
			len = 8193;
		memset(m.text, (int)(len ^ m.mtype), len < 256 ? len : 0);
		r.ret = b->snd(q, &m, len, IPC_NOWAIT);
	} else if (op < 93) {
		long typ = pick(-8, 8);

		flags = IPC_NOWAIT;
		if (pick(0, 3) == 0)
			flags |= MSG_NOERROR;
		if (pick(0, 4) == 0)
			flags |= MSG_EXCEPT;
		if (pick(0, 6) == 0) {
			flags |= MSG_COPY;
			typ = pick(0, 20);
		}
		if (pick(0, 40) == 0)
			typ = LONG_MIN;
		len = pick(0, 48);
		r.ret = b->rcv(q, &m, len, typ, (int)flags);
		if (r.ret >= 0)
			r.digest = mq_digest(&m, sizeof(long) + r.ret);
	} else if (op < 97) {
		r.ret = b->ctl(q, IPC_STAT, &ds);
		if (r.ret == 0)
			r.digest = ds.msg_qnum * 1000003 + ds.__msg_cbytes;
	} else {
		b->ctl(q, IPC_STAT, &ds);
		ds.msg_qbytes = pick(0, 400);
		r.ret = b->ctl(q, IPC_SET, &ds);
	}
	r.err = r.ret < 0 ? errno : 0;
	return r;
}

static void run(const struct mq_backend *b, struct result *out, long n)
{
	pid_t pid = fork();
	int q;
	long i;

	if (pid == 0) {
		if (unshare(CLONE_NEWIPC))
			_exit(1);
		rng = 0x9e3779b97f4a7c15ULL;
		q = b->get(IPC_PRIVATE, 0600);
		for (i = 0; i < n; i++)
			out[i] = one_op(b, q);
		b->ctl(q, IPC_RMID, NULL);
		_exit(0);
	}
	waitpid(pid, NULL, 0);
}

static int differential(long n)
{
	struct mq_backend kern, dev;
	size_t size = n * sizeof(struct result);
	struct result *rk = mmap(NULL, size, PROT_READ | PROT_WRITE,
				 MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	struct result *rd = mmap(NULL, size, PROT_READ | PROT_WRITE,
				 MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	long i, ok = 0;

	mq_kernel_backend(&kern);
	if (mq_device_backend(&dev))
		return 1;
	run(&kern, rk, n);
	run(&dev, rd, n);
	for (i = 0; i < n; i++) {
		if (rk[i].ret == rd[i].ret && rk[i].err == rd[i].err &&
		    rk[i].digest == rd[i].digest) {
			ok += rk[i].ret >= 0;
			continue;
		}
		printf("# op %ld differs: kernel %ld/%s device %ld/%s\n", i,
		       rk[i].ret, strerror(rk[i].err), rd[i].ret,
		       strerror(rd[i].err));
		return 1;
	}
	printf("# differential: %ld ops agree (%ld succeeded)\n", n, ok);
	mq_device_close(&dev);
	/* A fuzzer whose calls all fail explores nothing. */
	return ok > n / 10 ? 0 : 1;
}

int main(void)
{
	long n = ksft_env_long("PCBMQ_FUZZ_OPS", 20000, 1, 10000000);
	int err;

	module_load();
	err = differential(n);
	module_unload();
	return err;
}
