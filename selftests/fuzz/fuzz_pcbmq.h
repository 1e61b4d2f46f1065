/* SPDX-License-Identifier: GPL-2.0 */
/*
 * /dev/pcbmq's commands for the fuzzer: each one's struct, filled with
 * mostly plausible and sometimes wrong values, and the errnos
 * Documentation/pcbmq.rst gives for it.
 */
#ifndef PCBKIT_FUZZ_PCBMQ_H
#define PCBKIT_FUZZ_PCBMQ_H

#include <limits.h>
#include <sys/ioctl.h>
#include <sys/msg.h>

#include <pcbmq.h>

#include "fuzz_args.h"

enum {
	MQ_GET,
	MQ_SND,
	MQ_RCV,
	MQ_CTL,
	MQ_SNDV,
	MQ_RCVV,
	MQ_WATCH,
	MQ_OTHER, /* an unknown number or a foreign magic */
	NR_MQ_CMDS,
};

/* Any command whose struct is short, unreadable, reserved-dirty or long. */
#define MQ_ARG_ERRNOS EFAULT, EINVAL, E2BIG
#define MQ_SND_ERRNOS \
	MQ_ARG_ERRNOS, EACCES, EIDRM, EAGAIN, ENOMEM, EINTR, ETIMEDOUT
#define MQ_RCV_ERRNOS \
	MQ_ARG_ERRNOS, EACCES, EIDRM, ENOMSG, ENOMEM, EINTR, ETIMEDOUT

static const struct fuzz_cmd mq_cmds[NR_MQ_CMDS] = {
	[MQ_GET] = { "pcbmq GET",
		     { MQ_ARG_ERRNOS, EACCES, EEXIST, ENOENT, ENOSPC,
		       ENOMEM } },
	[MQ_SND] = { "pcbmq SND", { MQ_SND_ERRNOS } },
	[MQ_RCV] = { "pcbmq RCV", { MQ_RCV_ERRNOS } },
	[MQ_CTL] = { "pcbmq CTL", { MQ_ARG_ERRNOS, EACCES, EIDRM, EPERM } },
	[MQ_SNDV] = { "pcbmq SNDV", { MQ_SND_ERRNOS } },
	[MQ_RCVV] = { "pcbmq RCVV", { MQ_RCV_ERRNOS } },
	[MQ_WATCH] = { "pcbmq WATCH", { MQ_ARG_ERRNOS, EACCES, EBUSY } },
	[MQ_OTHER] = { "pcbmq unknown", { ENOTTY } },
};

/* Offsets in the arena: message texts, a msqid_ds, the batch vector. */
#define MQ_TEXT_OFF 0
#define MQ_DS_OFF   (12 * 1024)
#define MQ_VEC_OFF  (16 * 1024)

/*
 * The command number: usually the header's, sometimes with another
 * direction or size, which the device ignores (the struct has its size).
 */
static inline unsigned long mq_nr(struct fuzz_ctx *c, unsigned long nr)
{
	if (!fuzz_wrong(c, 10))
		return nr;
	return _IOC(fuzz_below(&c->rng, 4), PCBMQ_IOC_MAGIC, _IOC_NR(nr),
		    fuzz_below(&c->rng, 1 << 14));
}

static inline int mq_flags(struct fuzz_ctx *c, int usual)
{
	int f = fuzz_chance(&c->rng, 85) ? IPC_NOWAIT : 0;

	if (fuzz_chance(&c->rng, 30))
		f |= usual;
	if (fuzz_wrong(c, 3))
		f |= (int)fuzz_next(&c->rng);
	return f;
}

static inline void mq_gen_get(struct fuzz_ctx *c, struct fuzz_call *k)
{
	struct pcbmq_get a = { 0 };

	k->size = a.size = fuzz_size(c, sizeof(a));
	if (fuzz_chance(&c->rng, 30))
		a.key = IPC_PRIVATE;
	else if (fuzz_chance(&c->rng, 90))
		a.key = 0x7c000000 + fuzz_below(&c->rng, 8);
	else
		a.key = (int)fuzz_next(&c->rng);
	a.msgflg = fuzz_below(&c->rng, 01000);
	if (fuzz_chance(&c->rng, 60))
		a.msgflg |= IPC_CREAT;
	if (fuzz_chance(&c->rng, 20))
		a.msgflg |= IPC_EXCL;
	if (fuzz_wrong(c, 3))
		a.msgflg = (int)fuzz_next(&c->rng);
	if (fuzz_wrong(c, 3))
		a.reserved = 1 + fuzz_below(&c->rng, 100);
	k->nr = mq_nr(c, PCBMQ_IOC_GET);
	snprintf(k->what, sizeof(k->what), "key %#x msgflg %#o", a.key,
		 a.msgflg);
	fuzz_put_arg(c, k, &a, sizeof(a));
}

/* A message of @len text bytes at the text offset; its pointer. */
static inline uint64_t mq_message(struct fuzz_ctx *c, int64_t len)
{
	long *mtype = (long *)(c->arena.rw + MQ_TEXT_OFF);
	size_t need = len > 0 && len < 8192 ? len + sizeof(long) : 64;

	if (fuzz_wrong(c, 10))
		*mtype = fuzz_range(&c->rng, LONG_MIN / 2, 0);
	else if (fuzz_chance(&c->rng, 3))
		*mtype = LONG_MAX;
	else
		*mtype = 1 + fuzz_below(&c->rng, 8);
	return fuzz_pointer(c, need, MQ_TEXT_OFF, 90);
}

static inline int64_t mq_msgsz(struct fuzz_ctx *c, int64_t usual)
{
	if (c->clean)
		return fuzz_below(&c->rng, usual + 1);
	switch (fuzz_below(&c->rng, 20)) {
	case 0:
		return -1 - fuzz_below(&c->rng, 10);
	case 1:
		return 8192;
	case 2:
		return 8193 + fuzz_below(&c->rng, 1000);
	case 3:
		return INT64_MAX;
	default:
		return fuzz_below(&c->rng, usual + 1);
	}
}

static inline void mq_gen_snd(struct fuzz_ctx *c, struct fuzz_call *k)
{
	struct pcbmq_snd a = { 0 };

	k->size = a.size = fuzz_size(c, sizeof(a));
	a.msqid = fuzz_msqid(c);
	a.msgsz = mq_msgsz(c, 128);
	a.msgp = mq_message(c, a.msgsz);
	a.msgflg = mq_flags(c, 0);
	a.timeout_ns = fuzz_timeout(c);
	if (fuzz_wrong(c, 3))
		a.reserved = 1;
	k->nr = mq_nr(c, PCBMQ_IOC_SND);
	snprintf(k->what, sizeof(k->what),
		 "msqid %d msgsz %lld msgflg %#x timeout %lld", a.msqid,
		 (long long)a.msgsz, a.msgflg, (long long)a.timeout_ns);
	fuzz_put_arg(c, k, &a, sizeof(a));
}

static inline int64_t mq_msgtyp(struct fuzz_ctx *c)
{
	switch (fuzz_below(&c->rng, 20)) {
	case 0:
		return LONG_MIN;
	case 1:
		return LONG_MAX;
	case 2:
	case 3:
		return -fuzz_range(&c->rng, 1, 8);
	case 4:
	case 5:
	case 6:
	case 7:
	case 8:
		return fuzz_range(&c->rng, 1, 8);
	default:
		return 0;
	}
}

static inline int mq_rcv_flags(struct fuzz_ctx *c)
{
	int f = mq_flags(c, MSG_NOERROR);

	if (fuzz_chance(&c->rng, 15))
		f |= MSG_EXCEPT;
	if (fuzz_chance(&c->rng, 7))
		f |= MSG_COPY;
	return f;
}

static inline void mq_gen_rcv(struct fuzz_ctx *c, struct fuzz_call *k)
{
	struct pcbmq_rcv a = { 0 };

	k->size = a.size = fuzz_size(c, sizeof(a));
	a.msqid = fuzz_msqid(c);
	a.msgsz = mq_msgsz(c, 256);
	a.msgp = mq_message(c, a.msgsz);
	a.msgtyp = mq_msgtyp(c);
	a.msgflg = mq_rcv_flags(c);
	a.timeout_ns = fuzz_timeout(c);
	if (fuzz_wrong(c, 3))
		a.reserved = 1;
	k->nr = mq_nr(c, PCBMQ_IOC_RCV);
	snprintf(k->what, sizeof(k->what),
		 "msqid %d msgsz %lld msgtyp %lld msgflg %#x timeout %lld",
		 a.msqid, (long long)a.msgsz, (long long)a.msgtyp, a.msgflg,
		 (long long)a.timeout_ns);
	fuzz_put_arg(c, k, &a, sizeof(a));
}

/* IPC_SET's input: plausible owners, modes and sizes. */
static inline void mq_fill_ds(struct fuzz_ctx *c)
{
	struct msqid_ds *ds = (struct msqid_ds *)(c->arena.rw + MQ_DS_OFF);

	memset(ds, 0, sizeof(*ds));
	ds->msg_perm.uid = fuzz_chance(&c->rng, 80) ? 0 : 65534;
	ds->msg_perm.gid = fuzz_chance(&c->rng, 80) ? 0 : 65534;
	ds->msg_perm.mode = fuzz_below(&c->rng, 01000);
	ds->msg_qbytes = fuzz_chance(&c->rng, 90) ? fuzz_below(&c->rng, 65537)
						  : fuzz_next(&c->rng);
}

static inline void mq_gen_ctl(struct fuzz_ctx *c, struct fuzz_call *k)
{
	static const int cmds[] = { IPC_STAT, IPC_STAT, IPC_SET,  IPC_INFO,
				    MSG_INFO, MSG_STAT, MSG_STAT, MSG_STAT_ANY,
				    IPC_STAT, IPC_SET };
	struct pcbmq_ctl a = { 0 };

	k->size = a.size = fuzz_size(c, sizeof(a));
	a.cmd = cmds[fuzz_below(&c->rng, sizeof(cmds) / sizeof(cmds[0]))];
	if (fuzz_wrong(c, 2))
		a.cmd = IPC_RMID;
	else if (fuzz_wrong(c, 3))
		a.cmd = (int)fuzz_next(&c->rng);
	a.msqid = a.cmd == MSG_STAT || a.cmd == MSG_STAT_ANY
			  ? (int)fuzz_below(&c->rng, 80)
			  : fuzz_msqid(c);
	mq_fill_ds(c);
	a.buf = fuzz_pointer(c, 128, MQ_DS_OFF, 90);
	if (fuzz_wrong(c, 3))
		a.reserved = 1;
	k->nr = mq_nr(c, PCBMQ_IOC_CTL);
	snprintf(k->what, sizeof(k->what), "msqid %d cmd %d buf %#llx", a.msqid,
		 a.cmd, (unsigned long long)a.buf);
	fuzz_put_arg(c, k, &a, sizeof(a));
}

/* A batch vector at the vector offset; each entry a message, or not. */
static inline uint64_t mq_vector(struct fuzz_ctx *c, uint32_t count)
{
	struct pcbmq_vec *v = (struct pcbmq_vec *)(c->arena.rw + MQ_VEC_OFF);
	uint32_t i, n = count <= PCBMQ_BATCH_MAX ? count : 0;

	for (i = 0; i < n; i++) {
		int64_t len = fuzz_wrong(c, 5)
				      ? mq_msgsz(c, 64)
				      : (int64_t)fuzz_below(&c->rng, 65);

		v[i].msgp = mq_message(c, len);
		v[i].msgsz = len;
		v[i].result = (int64_t)fuzz_next(&c->rng);
	}
	return fuzz_pointer(c, (size_t)n * sizeof(*v), MQ_VEC_OFF, 90);
}

static inline void mq_gen_batch(struct fuzz_ctx *c, struct fuzz_call *k,
				bool send)
{
	struct pcbmq_batch a = { 0 };

	k->size = a.size = fuzz_size(c, sizeof(a));
	a.msqid = fuzz_msqid(c);
	a.count = fuzz_count(c, PCBMQ_BATCH_MAX);
	a.vec = mq_vector(c, a.count);
	a.msgflg = send ? mq_flags(c, 0) : mq_rcv_flags(c);
	a.msgtyp = mq_msgtyp(c);
	a.timeout_ns = fuzz_timeout(c);
	k->nr = mq_nr(c, send ? PCBMQ_IOC_SNDV : PCBMQ_IOC_RCVV);
	snprintf(k->what, sizeof(k->what),
		 "msqid %d count %u msgtyp %lld msgflg %#x timeout %lld",
		 a.msqid, a.count, (long long)a.msgtyp, a.msgflg,
		 (long long)a.timeout_ns);
	fuzz_put_arg(c, k, &a, sizeof(a));
}

/* WATCH binds the file it is called on: the caller picks which file. */
static inline void mq_gen_watch(struct fuzz_ctx *c, struct fuzz_call *k)
{
	struct pcbmq_watch a = { 0 };

	k->size = a.size = fuzz_size(c, sizeof(a));
	a.msqid = fuzz_msqid(c);
	a.msgsz = fuzz_wrong(c, 10) ? -1 : (int64_t)fuzz_below(&c->rng, 9000);
	k->nr = mq_nr(c, PCBMQ_IOC_WATCH);
	snprintf(k->what, sizeof(k->what), "msqid %d msgsz %lld", a.msqid,
		 (long long)a.msgsz);
	fuzz_put_arg(c, k, &a, sizeof(a));
}

/*
 * Magics no generic ioctl of the VFS uses ('T', 'X', 'f', 0x94, 0x15 and
 * 0 have FIONBIO, FIFREEZE, FS_IOC_*, FICLONE, FS_IOC_GETFSUUID, FIBMAP).
 */
static const unsigned char mq_foreign_magics[] = { 'x',	 'z',  'q',
						   0xb8, 0xba, 0xc0 };

static inline void mq_gen_other(struct fuzz_ctx *c, struct fuzz_call *k)
{
	unsigned int nr = 8 + fuzz_below(&c->rng, 248);
	unsigned int magic = PCBMQ_IOC_MAGIC;

	if (fuzz_chance(&c->rng, 50)) {
		nr = 1 + fuzz_below(&c->rng, 7);
		magic = mq_foreign_magics[fuzz_below(
			&c->rng, sizeof(mq_foreign_magics))];
	}
	k->nr = _IOC(fuzz_below(&c->rng, 4), magic, nr,
		     fuzz_below(&c->rng, 1 << 14));
	k->size = 0;
	k->arg = (void *)(uintptr_t)fuzz_pointer(c, 64, 0, 50);
	snprintf(k->what, sizeof(k->what), "cmd %#lx", k->nr);
}

static inline void mq_generate(struct fuzz_ctx *c, struct fuzz_call *k)
{
	/* Sends and receives most: they reach the deepest code. */
	static const int weights[NR_MQ_CMDS] = {
		[MQ_GET] = 8,  [MQ_SND] = 25, [MQ_RCV] = 25,  [MQ_CTL] = 12,
		[MQ_SNDV] = 9, [MQ_RCVV] = 9, [MQ_WATCH] = 6, [MQ_OTHER] = 6,
	};
	int pick = fuzz_below(&c->rng, 100), cmd = 0;

	while (cmd < NR_MQ_CMDS - 1 && pick >= weights[cmd])
		pick -= weights[cmd++];
	k->cmd = cmd;
	switch (cmd) {
	case MQ_GET:
		mq_gen_get(c, k);
		break;
	case MQ_SND:
		mq_gen_snd(c, k);
		break;
	case MQ_RCV:
		mq_gen_rcv(c, k);
		break;
	case MQ_CTL:
		mq_gen_ctl(c, k);
		break;
	case MQ_SNDV:
	case MQ_RCVV:
		mq_gen_batch(c, k, cmd == MQ_SNDV);
		break;
	case MQ_WATCH:
		mq_gen_watch(c, k);
		break;
	default:
		mq_gen_other(c, k);
	}
}

#endif /* PCBKIT_FUZZ_PCBMQ_H */
