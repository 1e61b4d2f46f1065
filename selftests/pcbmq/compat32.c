// SPDX-License-Identifier: GPL-2.0
/*
 * 32-bit callers, built with -m32 and 64-bit time: one scenario of msg*
 * calls runs against the kernel's SysV queues through 32-bit libc and
 * against /dev/pcbmq's compat_ioctl through build/lib32/libpcbmq.so,
 * each in a fresh IPC namespace, and the two logs must be identical, as
 * in diff.c. A 32-bit msgbuf's mtype is 4 bytes, so every payload digest
 * checks where the text starts; msgctl is checked three ways: libc's
 * __msgctl64 (this program's msgctl), the 32-bit-time msgctl, and the raw
 * layouts (ipc(2) against pcbmq_ctl) with and without IPC_64, every byte
 * of them but the times and pids compared.
 *
 * Then /dev/pcbstat through compat_ptr_ioctl: this process's own record.
 * timeout: 180
 */
#include <dlfcn.h>
#include <fcntl.h>
#include <limits.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/msg.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <pcbmq.h>
#include <pcbstat.h>

#include "ksft.h"

#define LOG_MAX	     1024
/* ipc(2)'s call number for msgctl, and msgctl's layout flag. */
#define IPCOP_MSGCTL 14
#define IPC_64_FLAG  0x100

/* The 32-bit-time struct msqid_ds of programs built without _TIME_BITS. */
struct msqid_ds32 {
	struct ipc_perm msg_perm;
	unsigned long msg_stime, msg_stime_high;
	unsigned long msg_rtime, msg_rtime_high;
	unsigned long msg_ctime, msg_ctime_high;
	unsigned long msg_cbytes, msg_qnum, msg_qbytes;
	pid_t msg_lspid, msg_lrpid;
	unsigned long reserved4, reserved5;
};

/* The kernel's compat_msqid64_ds (IPC_64) ... */
struct kmsqid64 {
	int key;
	unsigned int uid, gid, cuid, cgid;
	unsigned short mode, pad1, seq, pad2;
	unsigned long unused1, unused2;
	unsigned long stime, stime_high, rtime, rtime_high, ctime, ctime_high;
	unsigned long cbytes, qnum, qbytes;
	int lspid, lrpid;
	unsigned long unused4, unused5;
};

/* ... and its old compat_msqid_ds, 16-bit ids and counts. */
struct kmsqid_old {
	int key;
	unsigned short uid, gid, cuid, cgid, mode, seq;
	unsigned int first, last;
	int stime, rtime, ctime;
	unsigned int lcbytes, lqbytes;
	unsigned short cbytes, qnum, qbytes, lspid, lrpid;
};

struct entry {
	char what[64];
	long ret;
	int err;
	uint64_t digest;
};

struct log {
	atomic_int n;
	struct entry e[LOG_MAX];
};

struct backend {
	const char *name;
	int (*get)(key_t key, int msgflg);
	int (*snd)(int msqid, const void *msgp, size_t msgsz, int msgflg);
	ssize_t (*rcv)(int msqid, void *msgp, size_t msgsz, long msgtyp,
		       int msgflg);
	/* libc's __msgctl64, which msgctl is in this program */
	int (*ctl)(int msqid, int cmd, struct msqid_ds *buf);
	/* libc's msgctl for 32-bit time */
	int (*ctl32)(int msqid, int cmd, struct msqid_ds32 *buf);
	/* the kernel's layouts, as given */
	int (*raw)(int msqid, int cmd, void *buf);
	void *lib;
};

struct msg {
	long mtype;
	char text[8192];
};

static struct log *cur_log;
static const struct backend *be;
static pid_t scenario_pid;
static bool on_device;

static uint64_t digest(const void *p, size_t n)
{
	const unsigned char *c = p;
	uint64_t h = 1469598103934665603ULL;

	while (n--)
		h = (h ^ *c++) * 1099511628211ULL;
	return h;
}

static void record(const char *what, long ret, int err, uint64_t d)
{
	int i = atomic_fetch_add(&cur_log->n, 1);

	if (i >= LOG_MAX)
		return;
	snprintf(cur_log->e[i].what, sizeof(cur_log->e[i].what), "%s", what);
	cur_log->e[i].ret = ret;
	cur_log->e[i].err = ret < 0 ? err : 0;
	cur_log->e[i].digest = d;
}

/* errno read after the call, not beside it as an argument. */
static void record_errno(const char *what, long ret)
{
	record(what, ret, errno, 0);
}

static void note(const char *what, long value)
{
	record(what, value, 0, 0);
}

static long pid_role(pid_t pid)
{
	if (!pid)
		return 0;
	return pid == scenario_pid ? 1 : 2;
}

static int get(const char *what, key_t key, int flg)
{
	int r = be->get(key, flg);

	record_errno(what, r);
	return r;
}

static void snd(const char *what, int id, long type, size_t len, int flg)
{
	static struct msg m;
	int r;

	m.mtype = type;
	memset(m.text, (int)(type + len), len < sizeof(m.text) ? len : 0);
	r = be->snd(id, &m, len, flg);
	record_errno(what, r);
}

static long rcv(const char *what, int id, size_t bufsz, long type, int flg)
{
	static struct msg m;
	long r;

	memset(&m, 0xee, sizeof(m));
	r = be->rcv(id, &m, bufsz, type, flg);
	/* The mtype and the text right behind its 4 bytes, both checked. */
	record(what, r, errno,
	       r >= 0 ? digest(&m, sizeof(long) + (size_t)r + 4) : 0);
	return r;
}

static void ctl(const char *what, int id, int cmd, void *buf)
{
	int r = be->ctl(id, cmd, buf);

	record_errno(what, r);
}

#define F(field, val)                                             \
	do {                                                      \
		snprintf(name, sizeof(name), "%s." #field, what); \
		note(name, (long)(val));                          \
	} while (0)

/* Through __msgctl64: every field of the 64-bit-time msqid_ds. */
static void stat_q(const char *what, int id, int cmd)
{
	struct msqid_ds ds;
	char name[64];
	int r;

	memset(&ds, 0x5a, sizeof(ds));
	r = be->ctl(id, cmd, &ds);
	record_errno(what, r);
	if (r < 0)
		return;
	F(key, ds.msg_perm.__key);
	F(uid, ds.msg_perm.uid);
	F(gid, ds.msg_perm.gid);
	F(cuid, ds.msg_perm.cuid);
	F(cgid, ds.msg_perm.cgid);
	F(mode, ds.msg_perm.mode);
	F(seq, ds.msg_perm.__seq);
	F(cbytes, ds.__msg_cbytes);
	F(qnum, ds.msg_qnum);
	F(qbytes, ds.msg_qbytes);
	F(lspid, pid_role(ds.msg_lspid));
	F(lrpid, pid_role(ds.msg_lrpid));
	/* Set, and of this century: the halves were joined right. */
	F(stime, ds.msg_stime ? ds.msg_stime > 1e9 && ds.msg_stime < 1e10 : -1);
	F(rtime, ds.msg_rtime ? ds.msg_rtime > 1e9 && ds.msg_rtime < 1e10 : -1);
	F(ctime, ds.msg_ctime > 1e9 && ds.msg_ctime < 1e10);
}

/* Through the 32-bit-time msgctl: its high halves come back zero. */
static void stat_q32(const char *what, int id, int cmd)
{
	struct msqid_ds32 ds;
	char name[64];
	int r;

	memset(&ds, 0x5a, sizeof(ds));
	r = be->ctl32(id, cmd, &ds);
	record_errno(what, r);
	if (r < 0)
		return;
	F(key, ds.msg_perm.__key);
	F(uid, ds.msg_perm.uid);
	F(mode, ds.msg_perm.mode);
	F(cbytes, ds.msg_cbytes);
	F(qnum, ds.msg_qnum);
	F(qbytes, ds.msg_qbytes);
	F(lspid, pid_role(ds.msg_lspid));
	F(highs, ds.msg_stime_high | ds.msg_rtime_high | ds.msg_ctime_high);
	F(ctime, ds.msg_ctime > 1000000000UL);
}

/*
 * The kernel's own layouts, every byte: times become whether they are
 * set, pids their role, so that the rest compares as it is.
 */
static void stat_raw(const char *what, int id, int cmd)
{
	union {
		struct kmsqid64 k64;
		struct kmsqid_old old;
		unsigned char bytes[256];
	} u;
	size_t len;
	int r;

	memset(&u, 0x5a, sizeof(u));
	r = be->raw(id, cmd, &u);
	if (r < 0) {
		record_errno(what, r);
		return;
	}
	if (cmd & IPC_64_FLAG) {
		u.k64.stime = !!u.k64.stime;
		u.k64.rtime = !!u.k64.rtime;
		u.k64.ctime = !!u.k64.ctime;
		u.k64.lspid = pid_role(u.k64.lspid);
		u.k64.lrpid = pid_role(u.k64.lrpid);
		len = sizeof(u.k64);
	} else {
		u.old.stime = !!u.old.stime;
		u.old.rtime = !!u.old.rtime;
		u.old.ctime = !!u.old.ctime;
		u.old.lspid = pid_role(u.old.lspid);
		u.old.lrpid = pid_role(u.old.lrpid);
		len = sizeof(u.old);
	}
	/* The bytes behind the struct too: neither side writes past it. */
	record(what, r, 0, digest(&u, len + 16));
}

static void info(const char *what, int cmd)
{
	struct msginfo mi;

	memset(&mi, 0, sizeof(mi));
	if (be->ctl(0, cmd, (struct msqid_ds *)&mi) < 0) {
		record_errno(what, -1);
		return;
	}
	record(what, 0, 0, digest(&mi, sizeof(mi)));
}

static void *fault_page(char **gap)
{
	char *page = mmap(NULL, 8192, PROT_READ | PROT_WRITE,
			  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	munmap(page + 4096, 4096);
	*gap = page + 4096 - sizeof(long);
	*(long *)*gap = 1;
	return page;
}

static void errors(void)
{
	struct msg m = { .mtype = 1 };
	char *gap, *page = fault_page(&gap);
	int id = get("get private", IPC_PRIVATE, 0600);

	record_errno("snd NULL", be->snd(id, NULL, 1, 0));
	record_errno("snd too big", be->snd(id, &m, 8193, 0));
	record_errno("snd size -1", be->snd(id, &m, (size_t)-1, 0));
	/* 2 GiB is a negative compat_ssize_t: EINVAL, not "too big". */
	record_errno("snd size 2G", be->snd(id, &m, 0x80000000u, 0));
	record_errno("snd id -1", be->snd(-1, &m, 1, 0));
	m.mtype = 0;
	record_errno("snd mtype 0", be->snd(id, &m, 1, 0));
	m.mtype = -5;
	record_errno("snd mtype <0", be->snd(id, &m, 1, 0));
	/* The text right after a 4-byte mtype is already unmapped. */
	record_errno("snd text faults", be->snd(id, gap, 16, 0));
	*(long *)gap = 0;
	record_errno("snd mtype 0 text faults", be->snd(id, gap, 16, 0));
	m.mtype = 1;
	record_errno("snd no such id", be->snd(id + 1, &m, 1, 0));

	rcv("rcv bufsz -1", id, (size_t)-1, 0, 0);
	rcv("rcv bufsz 2G", id, 0x80000000u, 0, IPC_NOWAIT);
	rcv("rcv id -1", -1, 8, 0, 0);
	rcv("rcv empty", id, 8, 0, IPC_NOWAIT);
	rcv("rcv no such id", id + 1, 8, 0, IPC_NOWAIT);
	rcv("copy without nowait", id, 8, 0, MSG_COPY);
	rcv("copy with except", id, 8, 0, MSG_COPY | MSG_EXCEPT | IPC_NOWAIT);

	ctl("ctl id -1", -1, IPC_STAT, NULL);
	ctl("ctl cmd -1", id, -1, NULL);
	ctl("ctl cmd 999", id, 999, NULL);
	ctl("stat NULL", id, IPC_STAT, NULL);
	ctl("set NULL", id, IPC_SET, NULL);
	ctl("stat no such id", id + 1, IPC_STAT, NULL);
	record_errno("raw stat faults",
		     be->raw(id, IPC_STAT | IPC_64_FLAG, page + 4096));
	record_errno("raw old stat faults", be->raw(id, IPC_STAT, page + 4096));
	record_errno("raw info faults", be->raw(0, IPC_INFO, page + 4096));
	ctl("rmid", id, IPC_RMID, NULL);
	ctl("rmid again", id, IPC_RMID, NULL);
	stat_q("stat removed", id, IPC_STAT);
	munmap(page, 4096);
}

static void typed(void)
{
	static const long types[] = { 3, 1, 2, 3, 1, 5, 7, 2, LONG_MAX, 4 };
	int id = get("typed get", 0x32b17, IPC_CREAT | 0640);
	char what[64];
	size_t i;

	for (i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
		snprintf(what, sizeof(what), "typed snd %zu", i);
		snd(what, id, types[i], 10 * i + 1, IPC_NOWAIT);
	}
	stat_q("typed stat", id, IPC_STAT);
	rcv("typed E2BIG", id, 2, 0, IPC_NOWAIT);
	rcv("typed copy 1", id, 100, 1, MSG_COPY | IPC_NOWAIT);
	rcv("typed copy 20", id, 100, 20, MSG_COPY | IPC_NOWAIT);
	rcv("typed copy small", id, 1, 3, MSG_COPY | IPC_NOWAIT);
	rcv("typed =2", id, 100, 2, IPC_NOWAIT);
	rcv("typed <=-4", id, 100, -4, IPC_NOWAIT);
	rcv("typed except 3", id, 100, 3, IPC_NOWAIT | MSG_EXCEPT);
	rcv("typed =6 none", id, 100, 6, IPC_NOWAIT);
	rcv("typed =LONG_MAX", id, 100, LONG_MAX, IPC_NOWAIT);
	rcv("typed <=LONG_MIN", id, 100, LONG_MIN, IPC_NOWAIT);
	rcv("typed noerror", id, 3, 0, IPC_NOWAIT | MSG_NOERROR);
	rcv("typed except 1", id, 100, 1, IPC_NOWAIT | MSG_EXCEPT);
	stat_q("typed stat 2", id, IPC_STAT);
	stat_q32("typed stat32", id, IPC_STAT);
	stat_raw("typed raw64", id, IPC_STAT | IPC_64_FLAG);
	stat_raw("typed raw old", id, IPC_STAT);
	while (rcv("typed drain", id, 200, -100, IPC_NOWAIT) >= 0)
		;
	rcv("typed drained", id, 200, 0, IPC_NOWAIT);

	/* The kernel drops a message whose copy-out faults; we keep it. */
	snd("fault snd", id, 9, 4, 0);
	record_errno("fault rcv", be->rcv(id, NULL, 4, 0, IPC_NOWAIT));
	ctl("typed rmid", id, IPC_RMID, NULL);
}

static void control(void)
{
	int id = get("ctl get", 0x32b18, IPC_CREAT | 0600);
	struct msqid_ds ds;
	struct msqid_ds32 ds32;
	struct kmsqid_old old;
	int idx = id & 0x7fff;

	snd("ctl snd", id, 1, 5, 0);
	stat_q("msg_stat", idx, MSG_STAT);
	stat_q("msg_stat_any", idx, MSG_STAT_ANY);
	stat_q("msg_stat empty index", 40, MSG_STAT);
	stat_q32("msg_stat32", idx, MSG_STAT);
	stat_raw("raw msg_stat64", idx, MSG_STAT | IPC_64_FLAG);
	stat_raw("raw msg_stat old", idx, MSG_STAT);
	info("ipc_info", IPC_INFO);
	info("msg_info", MSG_INFO);
	record_errno("ctl32 info", be->ctl32(0, MSG_INFO, NULL));
	/* 32-bit glibc takes the IPC_64 it adds from its caller too. */
	stat_q("stat|IPC_64", id, IPC_STAT | IPC_64_FLAG);
	stat_q("msg_stat|IPC_64", idx, MSG_STAT | IPC_64_FLAG);
	ctl("ctl 999|IPC_64", id, 999 | IPC_64_FLAG, &ds);

	be->ctl(id, IPC_STAT, &ds);
	ds.msg_qbytes = 100;
	ds.msg_perm.mode = 0640;
	ctl("set qbytes 100", id, IPC_SET, &ds);
	stat_q("after set", id, IPC_STAT);
	ds.msg_perm.uid = (uid_t)-1;
	ctl("set invalid uid", id, IPC_SET, &ds);

	be->ctl32(id, IPC_STAT, &ds32);
	ds32.msg_qbytes = 200;
	ds32.msg_perm.mode = 0604;
	ds32.msg_perm.uid = 70000;
	record_errno("set32 uid 70000", be->ctl32(id, IPC_SET, &ds32));
	stat_q32("after set32", id, IPC_STAT);
	/* 70000 does not fit the old layout's 16 bits: the overflow id. */
	stat_raw("raw old after set32", id, IPC_STAT);
	stat_raw("raw64 after set32", id, IPC_STAT | IPC_64_FLAG);

	memset(&old, 0, sizeof(old));
	old.qbytes = 300;
	old.mode = 0600;
	record_errno("raw old set", be->raw(id, IPC_SET, &old));
	stat_q("after raw old set", id, IPC_STAT);
	ctl("ctl rmid", id, IPC_RMID, NULL);
}

static void scenario(const struct backend *b, bool device, struct log *l)
{
	pid_t pid = fork();

	if (pid == 0) {
		if (unshare(CLONE_NEWIPC)) {
			perror("unshare");
			_exit(1);
		}
		be = b;
		on_device = device;
		scenario_pid = getpid();
		cur_log = l;
		errors();
		typed();
		control();
		_exit(0);
	}
	waitpid(pid, NULL, 0);
}

static int kern_ctl(int msqid, int cmd, struct msqid_ds *buf)
{
	return msgctl(msqid, cmd, buf);
}

/* The ipc(2) entry 32-bit libc uses: IPC_64 in cmd picks the layout. */
static int kern_raw(int msqid, int cmd, void *buf)
{
	return syscall(SYS_ipc, IPCOP_MSGCTL, msqid, cmd, 0, buf);
}

static void *must_sym(void *lib, const char *name)
{
	void *p = dlsym(lib, name);

	if (!p)
		die("no %s: %s", name, dlerror());
	return p;
}

static void backends(struct backend *kern, struct backend *dev)
{
	const char *build = getenv("PCBKIT_BUILD");
	void *libc = dlopen("libc.so.6", RTLD_NOW | RTLD_NOLOAD);
	char path[4096];

	if (!libc)
		die("libc.so.6: %s", dlerror());
	*kern = (struct backend){
		.name = "kernel",
		.get = msgget,
		.snd = msgsnd,
		.rcv = msgrcv,
		.ctl = kern_ctl,
		/* libc's default msgctl is the 32-bit-time one. */
		.ctl32 = must_sym(libc, "msgctl"),
		.raw = kern_raw,
	};
	snprintf(path, sizeof(path), "%s/lib32/libpcbmq.so",
		 build ? build : "build");
	dev->lib = dlopen(path, RTLD_NOW | RTLD_LOCAL);
	if (!dev->lib)
		die("dlopen %s: %s", path, dlerror());
	dev->name = "device";
	dev->get = must_sym(dev->lib, "msgget");
	dev->snd = must_sym(dev->lib, "msgsnd");
	dev->rcv = must_sym(dev->lib, "msgrcv");
	dev->ctl = must_sym(dev->lib, "__msgctl64");
	dev->ctl32 = must_sym(dev->lib, "msgctl");
	dev->raw = must_sym(dev->lib, "pcbmq_ctl");
}

static bool same(const struct entry *a, const struct entry *b)
{
	return !strcmp(a->what, b->what) && a->ret == b->ret &&
	       a->err == b->err && a->digest == b->digest;
}

static struct log *new_log(void)
{
	struct log *l = mmap(NULL, sizeof(*l), PROT_READ | PROT_WRITE,
			     MAP_SHARED | MAP_ANONYMOUS, -1, 0);

	if (l == MAP_FAILED)
		die("mmap: %m");
	return l;
}

static void against_kernel(const struct backend *kern,
			   const struct backend *dev)
{
	struct log *lk = new_log(), *ld = new_log();
	int i, n, bad = 0;

	scenario(kern, false, lk);
	scenario(dev, true, ld);
	n = lk->n > ld->n ? lk->n : ld->n;
	for (i = 0; i < n && i < LOG_MAX; i++) {
		const struct entry *a = &lk->e[i], *b = &ld->e[i];

		if (same(a, b))
			continue;
		printf("# DIFF %3d kernel: %-30s %ld %s %016llx | device: %-30s %ld %s %016llx\n",
		       i, a->what, a->ret, a->err ? strerror(a->err) : "",
		       (unsigned long long)a->digest, b->what, b->ret,
		       b->err ? strerror(b->err) : "",
		       (unsigned long long)b->digest);
		bad++;
	}
	printf("# %d calls compared, %d differ\n", n, bad);
	KSFT_CHECK(!bad, "%d of %d calls differ", bad, n);
	KSFT_CHECK(lk->n > 120, "kernel log has %d entries: died early", lk->n);
}

/* What only a 32-bit caller can get wrong: fields its syscalls lack. */
static void compat_fields(const struct backend *dev)
{
	int (*fd_of)(void) = must_sym(dev->lib, "pcbmq_fd");
	struct msg m = { .mtype = 1 };
	struct pcbmq_snd s = { .size = sizeof(s), .msgsz = 1 };
	int fd = fd_of(), r;

	s.msqid = dev->get(IPC_PRIVATE, 0600);
	s.msgp = (uintptr_t)&m | 1ULL << 32;
	r = ioctl(fd, PCBMQ_IOC_SND, &s);
	KSFT_CHECK(r < 0 && errno == EINVAL, "msgp above 4 GiB: %d %m", r);
	s.msgp = (uintptr_t)&m;
	s.msgsz = 1LL << 32;
	r = ioctl(fd, PCBMQ_IOC_SND, &s);
	KSFT_CHECK(r < 0 && errno == EINVAL, "msgsz 4 GiB: %d %m", r);
	s.msgsz = 1;
	r = ioctl(fd, PCBMQ_IOC_SND, &s);
	KSFT_CHECK(r == 0, "plain send: %d %m", r);
	dev->ctl(s.msqid, IPC_RMID, NULL);
}

struct small_msg {
	long mtype;
	char text[8];
};

/* Batches carry 32-bit msgbufs too, in and out. */
static void compat_batch(const struct backend *dev)
{
	int (*sendv)(int, struct pcbmq_vec *, unsigned int, int, int64_t) =
		must_sym(dev->lib, "pcbmq_sendv");
	int (*recvv)(int, struct pcbmq_vec *, unsigned int, long, int,
		     int64_t) = must_sym(dev->lib, "pcbmq_recvv");
	static const long types[] = { 1, 2, LONG_MAX };
	struct small_msg in[3], out[3];
	struct pcbmq_vec v[3];
	int id = dev->get(IPC_PRIVATE, 0600), i, r;

	for (i = 0; i < 3; i++) {
		in[i].mtype = types[i];
		memset(in[i].text, 'a' + i, sizeof(in[i].text));
		v[i] = (struct pcbmq_vec){ .msgp = (uintptr_t)&in[i],
					   .msgsz = sizeof(in[i].text) };
	}
	v[2].msgp |= 1ULL << 32;
	r = sendv(id, v, 3, IPC_NOWAIT, 0);
	KSFT_CHECK(r < 0 && errno == EINVAL, "entry above 4 GiB: %d %m", r);
	v[2].msgp = (uintptr_t)&in[2];
	r = sendv(id, v, 3, IPC_NOWAIT, 0);
	KSFT_CHECK(r == 3, "sendv: %d %m", r);
	/* One by the single call: the batch put the text behind 4 bytes. */
	memset(out, 0, sizeof(out));
	r = dev->rcv(id, &out[0], sizeof(out[0].text), 2, IPC_NOWAIT);
	KSFT_CHECK(r == 8 && out[0].mtype == 2 && out[0].text[7] == 'b',
		   "msgrcv type 2: %d, type %ld, '%c'", r, out[0].mtype,
		   out[0].text[7]);
	for (i = 0; i < 2; i++)
		v[i] = (struct pcbmq_vec){ .msgp = (uintptr_t)&out[i],
					   .msgsz = sizeof(out[i].text) };
	memset(out, 0, sizeof(out));
	r = recvv(id, v, 2, 0, IPC_NOWAIT, 0);
	KSFT_CHECK(r == 2 && v[0].result == 8 && v[1].result == 8,
		   "recvv: %d (%lld, %lld)", r, (long long)v[0].result,
		   (long long)v[1].result);
	KSFT_CHECK(out[0].mtype == 1 && out[0].text[0] == 'a' &&
			   out[1].mtype == LONG_MAX && out[1].text[7] == 'c',
		   "recvv got types %ld, %ld", out[0].mtype, out[1].mtype);
	dev->ctl(id, IPC_RMID, NULL);
}

/* /dev/pcbstat's structs are fixed width: compat_ptr_ioctl is enough. */
static void pcbstat32(void)
{
	struct pcbstat_task t;
	struct pcbstat_get g = {
		.size = sizeof(g),
		.pid = getpid(),
		.entry_size = sizeof(t),
		.out = (uintptr_t)&t,
	};
	char comm[32] = "";
	int fd = open(PCBSTAT_DEVICE, O_RDONLY), r;
	FILE *f = fopen("/proc/self/comm", "r");

	KSFT_CHECK(sizeof(t) >= PCBSTAT_TASK_SIZE_VER0,
		   "sizeof(pcbstat_task) %zu", sizeof(t));
	if (f) {
		if (!fgets(comm, sizeof(comm), f))
			comm[0] = 0;
		comm[strcspn(comm, "\n")] = 0;
		fclose(f);
	}
	memset(&t, 0, sizeof(t));
	r = fd < 0 ? -1 : ioctl(fd, PCBSTAT_IOC_GET, &g);
	KSFT_CHECK(r == 0, "PCBSTAT_IOC_GET: %d %m", r);
	KSFT_CHECK(t.size == sizeof(t), "record size %u", t.size);
	KSFT_CHECK(t.pid == getpid() && t.tid == getpid(),
		   "pid %d tid %d, not %d", t.pid, t.tid, getpid());
	KSFT_CHECK(!strcmp(t.comm, comm), "comm '%s', not '%s'", t.comm, comm);
	KSFT_CHECK(t.run_ns > 0 && t.start_ns > 0, "run_ns %llu start_ns %llu",
		   (unsigned long long)t.run_ns,
		   (unsigned long long)t.start_ns);
	if (fd >= 0)
		close(fd);
}

int main(void)
{
	struct backend kern, dev;
	void (*close_fd)(void);

	if (sizeof(long) != 4)
		die("built without -m32");
	module_load();
	backends(&kern, &dev);
	KSFT_CASE("msg* through 32-bit libc and libpcbmq agree",
		  against_kernel(&kern, &dev));
	KSFT_CASE("a 32-bit caller's wide fields are refused",
		  compat_fields(&dev));
	KSFT_CASE("batches of 32-bit messages", compat_batch(&dev));
	KSFT_CASE("/dev/pcbstat from a 32-bit process", pcbstat32());
	close_fd = must_sym(dev.lib, "pcbmq_close");
	close_fd();
	dlclose(dev.lib);
	module_unload();
	return ksft_exit();
}
