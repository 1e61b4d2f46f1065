// SPDX-License-Identifier: GPL-2.0
/*
 * Differential test: one scenario of msgget/msgsnd/msgrcv/msgctl calls runs
 * against the kernel's SysV queues (raw syscalls) and against /dev/pcbmq
 * (libpcbmq's msg* stand-ins), each in a fresh IPC namespace. Every return
 * value, errno, payload and msqid_ds field is logged; the two logs must be
 * identical. Covers every flag and error path, permissions as nobody,
 * EINTR under SA_RESTART, EIDRM while blocked, FIFO hand-off and
 * msg_next_id (the kernel's sysctl against the module parameter).
 *
 * The one intended difference: a receive whose copy-out faults loses the
 * message in the kernel and keeps it on the device; logged as "lost"
 * versus "kept" and checked for each side separately.
 * timeout: 300
 */
#include <fcntl.h>
#include <limits.h>
#include <sched.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/mman.h>
#include <sys/wait.h>

#include "pcbmq_lib.h"

#define LOG_MAX 4096

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

static struct log *cur_log;
static pid_t scenario_pid;
static const struct mq_backend *be;
static bool on_device;

struct msg {
	long mtype;
	char text[16384];
};

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

/*
 * A call's result and errno, read here, after the call: as an argument
 * beside the call, errno could be read before the call is made.
 */
static void record_errno(const char *what, long ret)
{
	record(what, ret, errno, 0);
}

static void note(const char *what, long value)
{
	record(what, value, 0, 0);
}

static int get(const char *what, key_t key, int flg)
{
	int r = be->get(key, flg);

	record(what, r, errno, 0);
	return r;
}

static int snd(const char *what, int id, long type, size_t len, int flg)
{
	static struct msg m;
	size_t i;
	int r;

	m.mtype = type;
	/* Bytes that differ along the text, so an offset copy is seen. */
	for (i = 0; i < len && i < sizeof(m.text); i++)
		m.text[i] = (char)(type + len + i * 31);
	r = be->snd(id, &m, len, flg);
	record(what, r, errno, 0);
	return r;
}

static long rcv(const char *what, int id, size_t bufsz, long type, int flg)
{
	static struct msg m;
	long r;

	memset(&m, 0xee, sizeof(m));
	r = be->rcv(id, &m, bufsz, type, flg);
	record(what, r, errno,
	       r >= 0 ? mq_digest(&m, sizeof(long) + (size_t)r) ^
				(uint64_t)m.mtype
		      : 0);
	return r;
}

/* Pids differ between runs; who they are must not. */
static long pid_role(pid_t pid)
{
	if (!pid)
		return 0;
	if (pid == scenario_pid)
		return 1;
	return pid == getpid() ? 2 : 3;
}

static void stat_q(const char *what, int id, int cmd)
{
	struct msqid_ds ds;
	char name[64];
	int r;

	memset(&ds, 0, sizeof(ds));
	r = be->ctl(id, cmd, &ds);
	record(what, r, errno, 0);
	if (r < 0)
		return;
#define F(field, val)                                             \
	do {                                                      \
		snprintf(name, sizeof(name), "%s." #field, what); \
		note(name, (long)(val));                          \
	} while (0)
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
	F(stime_set, ds.msg_stime != 0);
	F(rtime_set, ds.msg_rtime != 0);
	F(ctime_set, ds.msg_ctime != 0);
#undef F
}

static void info(const char *what, int cmd)
{
	struct msginfo mi;
	char name[64];
	int r;

	memset(&mi, 0, sizeof(mi));
	r = be->ctl(0, cmd, (struct msqid_ds *)&mi);
	record(what, r, errno, 0);
	if (r < 0)
		return;
	snprintf(name, sizeof(name), "%s.fields", what);
	record(name, 0, 0, mq_digest(&mi, sizeof(mi)));
}

static int ctl(const char *what, int id, int cmd, struct msqid_ds *buf)
{
	int r = be->ctl(id, cmd, buf);

	record(what, r, errno, 0);
	return r;
}

/* Argument checks, in the kernel's order. */
static void errors(void)
{
	struct msg m = { .mtype = 1 };
	char *page, *gap;
	int id = get("get private", IPC_PRIVATE, 0600);

	page = mmap(NULL, 8192, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	munmap(page + 4096, 4096);
	gap = page + 4096 - sizeof(long);
	*(long *)gap = 1;

	record_errno("snd NULL", be->snd(id, NULL, 1, 0));
	record_errno("snd bad id + NULL", be->snd(-1, NULL, 1, 0));
	record_errno("snd too big", be->snd(id, &m, 8193, 0));
	record_errno("snd negative", be->snd(id, &m, (size_t)-1, 0));
	record_errno("snd id -1", be->snd(-1, &m, 1, 0));
	m.mtype = 0;
	record_errno("snd mtype 0", be->snd(id, &m, 1, 0));
	m.mtype = -5;
	record_errno("snd mtype <0", be->snd(id, &m, 1, 0));
	record_errno("snd text faults", be->snd(id, gap, 16, 0));
	record_errno("snd text faults bad id", be->snd(id + 1, gap, 16, 0));
	/* The type is checked before the text is read, after the size. */
	*(long *)gap = 0;
	record_errno("snd mtype 0 text faults", be->snd(id, gap, 16, 0));
	*(long *)gap = 1;
	record_errno("snd NULL too big", be->snd(id, NULL, 8193, 0));
	m.mtype = 1;
	record_errno("snd no such id", be->snd(id + 1, &m, 1, 0));
	record_errno("snd stale seq", be->snd(id + 32768, &m, 1, 0));

	rcv("rcv bufsz <0", id, (size_t)-1, 0, 0);
	rcv("rcv id -1", -1, 8, 0, 0);
	rcv("rcv no such id", id + 1, 8, 0, IPC_NOWAIT);
	rcv("rcv empty", id, 8, 0, IPC_NOWAIT);
	rcv("copy without nowait", id, 8, 0, MSG_COPY);
	rcv("copy with except", id, 8, 0, MSG_COPY | MSG_EXCEPT | IPC_NOWAIT);
	record_errno("copy faulting buffer",
		     be->rcv(id, gap, 64, 0, MSG_COPY | IPC_NOWAIT));
	rcv("copy empty", id, 8, 0, MSG_COPY | IPC_NOWAIT);

	ctl("ctl id -1", -1, IPC_STAT, NULL);
	ctl("ctl cmd -1", id, -1, NULL);
	ctl("ctl cmd 999", id, 999, NULL);
	ctl("stat NULL", id, IPC_STAT, NULL);
	ctl("set NULL", id, IPC_SET, NULL);
	ctl("stat no such id", id + 1, IPC_STAT, NULL);
	ctl("rmid", id, IPC_RMID, NULL);
	ctl("rmid again", id, IPC_RMID, NULL);
	stat_q("stat removed", id, IPC_STAT);
	snd("snd removed", id, 1, 1, 0);
	munmap(page, 4096);
}

static void keys(void)
{
	int a, b, c;

	get("key absent", 0x5eed, 0);
	a = get("key create", 0x5eed, IPC_CREAT | 0640);
	get("key excl", 0x5eed, IPC_CREAT | IPC_EXCL | 0600);
	b = get("key found", 0x5eed, 0);
	note("key same id", a == b);
	get("key found asking 0600", 0x5eed, 0600);
	get("private 2", IPC_PRIVATE, 0);
	c = get("private 3", IPC_PRIVATE, IPC_CREAT | IPC_EXCL | 0777);
	stat_q("stat key", a, IPC_STAT);
	stat_q("msg_stat", a & 0x7fff, MSG_STAT);
	stat_q("msg_stat_any", a & 0x7fff, MSG_STAT_ANY);
	stat_q("msg_stat empty index", 40, MSG_STAT);
	info("ipc_info", IPC_INFO);
	info("msg_info", MSG_INFO);
	/* MSG_INFO's totals are of all queues; IPC_INFO returns the top. */
	snd("snd for info a", a, 3, 100, 0);
	snd("snd for info c", c, 4, 7, 0);
	snd("snd for info c again", c, 4, 0, 0);
	info("msg_info queued", MSG_INFO);
	rcv("rcv for info c", c, 8, 4, 0);
	info("msg_info one taken", MSG_INFO);
	ctl("rmid top index", c, IPC_RMID, NULL);
	info("ipc_info top removed", IPC_INFO);
	info("msg_info top removed", MSG_INFO);
	ctl("rmid key", a, IPC_RMID, NULL);
	get("key after rmid", 0x5eed, 0);
	info("msg_info key removed", MSG_INFO);
}

static void typed(void)
{
	static const long types[] = { 3, 1, 2, 3, 1, 5, 7, 2, 4 };
	int id = get("typed get", IPC_PRIVATE, 0600);
	char what[64];
	size_t i;

	for (i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
		snprintf(what, sizeof(what), "typed snd %zu", i);
		snd(what, id, types[i], 10 * i + 1, IPC_NOWAIT);
	}
	stat_q("typed stat", id, IPC_STAT);
	rcv("typed E2BIG", id, 2, 0, IPC_NOWAIT);
	stat_q("typed after E2BIG", id, IPC_STAT);
	rcv("typed copy 1", id, 100, 1, MSG_COPY | IPC_NOWAIT);
	rcv("typed copy 20", id, 100, 20, MSG_COPY | IPC_NOWAIT);
	rcv("typed copy small", id, 1, 3, MSG_COPY | IPC_NOWAIT);
	rcv("typed copy small noerror", id, 1, 3,
	    MSG_COPY | IPC_NOWAIT | MSG_NOERROR);
	rcv("typed =2", id, 100, 2, IPC_NOWAIT);
	rcv("typed <=-4", id, 100, -4, IPC_NOWAIT);
	rcv("typed except 3", id, 100, 3, IPC_NOWAIT | MSG_EXCEPT);
	rcv("typed =6 none", id, 100, 6, IPC_NOWAIT);
	rcv("typed <=LONG_MIN", id, 100, LONG_MIN, IPC_NOWAIT);
	rcv("typed noerror", id, 3, 0, IPC_NOWAIT | MSG_NOERROR);
	rcv("typed except 1", id, 100, 1, IPC_NOWAIT | MSG_EXCEPT);
	rcv("typed except 99", id, 100, 99, IPC_NOWAIT | MSG_EXCEPT);
	stat_q("typed stat 2", id, IPC_STAT);
	while (rcv("typed drain", id, 200, -100, IPC_NOWAIT) >= 0)
		;
	stat_q("typed drained", id, IPC_STAT);

	/* The kernel drops a message whose copy-out faults; we keep it. */
	snd("fault snd", id, 9, 4, 0);
	record_errno("fault rcv", be->rcv(id, NULL, 4, 0, IPC_NOWAIT));
	{
		struct msqid_ds ds;

		be->ctl(id, IPC_STAT, &ds);
		note(on_device ? "fault: message kept" : "fault: message lost",
		     on_device ? ds.msg_qnum == 1 : ds.msg_qnum == 0);
	}
	ctl("typed rmid", id, IPC_RMID, NULL);
}

/*
 * Every size class of message memory the device has (a small object, a
 * kmalloc'd one, one past a page), each edge of them, and msgmax itself:
 * whole, truncated by MSG_NOERROR, and refused whole with E2BIG.
 */
static void sizes(void)
{
	static const size_t lens[] = { 0,    1,	   127,	 200,  216,  224,
				       232,  240,  248,	 255,  256,  1000,
				       2048, 4000, 4056, 4064, 4080, 4095,
				       4096, 4097, 6000, 8191, 8192 };
	int id = get("sizes get", IPC_PRIVATE, 0600);
	char what[64];
	size_t i, len;

	for (i = 0; i < sizeof(lens) / sizeof(lens[0]); i++) {
		len = lens[i];
		snprintf(what, sizeof(what), "size %zu snd", len);
		snd(what, id, (long)i + 1, len, IPC_NOWAIT);
		snprintf(what, sizeof(what), "size %zu rcv", len);
		rcv(what, id, len, 0, IPC_NOWAIT);
		snprintf(what, sizeof(what), "size %zu snd again", len);
		snd(what, id, (long)i + 1, len, IPC_NOWAIT);
		if (len) {
			snprintf(what, sizeof(what), "size %zu E2BIG", len);
			rcv(what, id, len - 1, 0, IPC_NOWAIT);
		}
		snprintf(what, sizeof(what), "size %zu noerror", len);
		rcv(what, id, len / 2, 0, IPC_NOWAIT | MSG_NOERROR);
	}
	snd("size 8193 snd", id, 1, 8193, IPC_NOWAIT);
	stat_q("sizes stat", id, IPC_STAT);
	ctl("sizes rmid", id, IPC_RMID, NULL);
}

static void limits(void)
{
	int id = get("full get", IPC_PRIVATE, 0600);
	struct msqid_ds ds;
	int n = 0;

	be->ctl(id, IPC_STAT, &ds);
	ds.msg_qbytes = 100;
	ds.msg_perm.mode = 0640;
	ctl("set qbytes 100", id, IPC_SET, &ds);
	stat_q("after set", id, IPC_STAT);
	while (be->snd(id, &(struct msg){ .mtype = 1 }, 0, IPC_NOWAIT) == 0)
		n++;
	record("zero-byte messages that fit", n, 0, 0);
	record("then", -1, errno, 0);
	ds.msg_qbytes = 1 << 20;
	ctl("set qbytes above msgmnb as root", id, IPC_SET, &ds);
	ds.msg_perm.uid = (uid_t)-1;
	ctl("set invalid uid", id, IPC_SET, &ds);
	stat_q("full stat", id, IPC_STAT);
	ctl("full rmid", id, IPC_RMID, NULL);
}

/* As nobody: EACCES on the data, EPERM on the control. */
static void others(void)
{
	int id = get("perm get", 0xacce55, IPC_CREAT | 0600);
	int open_id = get("perm get open", IPC_PRIVATE, 0666);
	struct msqid_ds ds;
	pid_t pid;

	snd("perm snd", id, 1, 4, 0);
	be->ctl(id, IPC_STAT, &ds);
	pid = fork();
	if (pid == 0) {
		if (setgid(65534) || setuid(65534))
			_exit(1);
		get("nobody get", 0xacce55, 0);
		get("nobody get no mode", 0xacce55, 0);
		get("nobody get 0400", 0xacce55, 0400);
		snd("nobody snd", id, 1, 4, IPC_NOWAIT);
		rcv("nobody rcv", id, 8, 0, IPC_NOWAIT);
		stat_q("nobody stat", id, IPC_STAT);
		stat_q("nobody msg_stat", id & 0x7fff, MSG_STAT);
		stat_q("nobody msg_stat_any", id & 0x7fff, MSG_STAT_ANY);
		ctl("nobody set", id, IPC_SET, &ds);
		ctl("nobody rmid", id, IPC_RMID, NULL);
		snd("nobody snd open", open_id, 1, 4, IPC_NOWAIT);
		rcv("nobody rcv open", open_id, 8, 0, IPC_NOWAIT);
		stat_q("nobody stat open", open_id, IPC_STAT);
		ctl("nobody rmid open", open_id, IPC_RMID, NULL);
		_exit(0);
	}
	waitpid(pid, NULL, 0);
	ctl("perm rmid", id, IPC_RMID, NULL);
	ctl("perm rmid open", open_id, IPC_RMID, NULL);
}

static void on_signal(int sig)
{
}

/* Child blocks in @op; parent waits for state S, then provokes it. */
static void blocked(const char *what, int id, bool send, int provoke)
{
	int status, r = 0, err = 0;
	pid_t pid = fork();

	if (pid == 0) {
		if (send)
			snd(what, id, 1, 8, 0);
		else
			rcv(what, id, 64, 77, 0);
		_exit(0);
	}
	if (mq_wait_sleeping(pid, 20)) {
		note("child never slept", 1);
		kill(pid, SIGKILL);
	} else if (provoke == IPC_RMID) {
		r = be->ctl(id, IPC_RMID, NULL);
		err = errno;
	} else if (provoke == IPC_SET) {
		/* Wakes it to recheck; the removal may find it awake or not. */
		struct msqid_ds ds;

		be->ctl(id, IPC_STAT, &ds);
		be->ctl(id, IPC_SET, &ds);
		r = be->ctl(id, IPC_RMID, NULL);
		err = errno;
	} else {
		kill(pid, provoke);
	}
	/* Log only after the child did, so both logs have one order. */
	waitpid(pid, &status, 0);
	record("provoked", r, err, 0);
	note("child exit", WIFEXITED(status) ? WEXITSTATUS(status) : -1);
}

static void blocking(void)
{
	struct sigaction sa = { .sa_handler = on_signal,
				.sa_flags = SA_RESTART };
	struct msqid_ds ds;
	int id;

	sigaction(SIGUSR1, &sa, NULL);
	id = get("block get", IPC_PRIVATE, 0600);
	blocked("rcv EINTR under SA_RESTART", id, false, SIGUSR1);
	be->ctl(id, IPC_STAT, &ds);
	ds.msg_qbytes = 8;
	be->ctl(id, IPC_SET, &ds);
	snd("fill", id, 1, 8, 0);
	blocked("snd EINTR under SA_RESTART", id, true, SIGUSR1);
	blocked("snd EIDRM", id, true, IPC_RMID);
	id = get("block get 2", IPC_PRIVATE, 0600);
	blocked("rcv EIDRM", id, false, IPC_RMID);
	id = get("block get 3", IPC_PRIVATE, 0600);
	blocked("rcv EIDRM after IPC_SET", id, false, IPC_SET);
}

/* Blocked receivers are served first come, first served, by hand-off. */
static void handoff(void)
{
	int id = get("handoff get", IPC_PRIVATE, 0600);
	pid_t pids[3];
	int i, r, status;

	for (i = 0; i < 3; i++) {
		pids[i] = fork();
		if (pids[i] == 0) {
			struct msg m;
			/* Receiver 1 has too small a buffer: E2BIG. */
			long got = be->rcv(id, &m, i == 1 ? 2 : 64, -10, 0);

			/* The parent logs for all three, in one order. */
			_exit(got >= 0 ? (int)(m.mtype * 10 + got)
				       : 200 + errno);
		}
		if (mq_wait_sleeping(pids[i], 20))
			note("handoff child never slept", i);
	}
	r = be->snd(id, &(struct msg){ .mtype = 5 }, 10, 0);
	waitpid(pids[0], &status, 0);
	record("handoff snd 1", r, errno, 0);
	note("handoff rcv 0", WEXITSTATUS(status));
	stat_q("handoff stat", id, IPC_STAT);
	r = be->snd(id, &(struct msg){ .mtype = 6 }, 10, 0);
	record("handoff snd 2", r, errno, 0);
	for (i = 1; i < 3; i++) {
		waitpid(pids[i], &status, 0);
		note(i == 1 ? "handoff rcv 1" : "handoff rcv 2",
		     WEXITSTATUS(status));
	}
	stat_q("handoff stat 2", id, IPC_STAT);
	ctl("handoff rmid", id, IPC_RMID, NULL);
}

/*
 * msg_next_id: the kernel's sysctl (per namespace, so this scenario's
 * fresh one) against the module parameter. A write's result is logged
 * too: both refuse what is not 0 to INT_MAX.
 */
static void set_next_id(const char *what, long v)
{
	const char *path =
		on_device ? "/sys/module/pcbstat/parameters/msg_next_id"
			  : "/proc/sys/kernel/msg_next_id";
	int fd = open(path, O_WRONLY);
	char buf[32];
	long ret;

	if (fd < 0) {
		record(what, -1, errno, 0);
		return;
	}
	snprintf(buf, sizeof(buf), "%ld\n", v);
	ret = write(fd, buf, strlen(buf));
	record(what, ret < 0 ? -1 : 0, errno, 0);
	close(fd);
}

static void note_next_id(const char *what)
{
	const char *path =
		on_device ? "/sys/module/pcbstat/parameters/msg_next_id"
			  : "/proc/sys/kernel/msg_next_id";
	FILE *f = fopen(path, "r");
	long v = -2;

	if (f) {
		if (fscanf(f, "%ld", &v) != 1)
			v = -2;
		fclose(f);
	}
	note(what, v);
}

static void next_id(void)
{
	int a, b, c, d;

	set_next_id("next_id -2", -2);
	note_next_id("next_id after -2");
	set_next_id("next_id 5:3", 5 << 15 | 3);
	note_next_id("next_id set");
	a = get("get at next_id", IPC_PRIVATE, 0600);
	note_next_id("next_id used once");
	b = get("get after next_id", IPC_PRIVATE, 0600);
	/* Its index is taken: the first free one above, with its seq. */
	set_next_id("next_id taken", 9 << 15 | 3);
	c = get("get at taken index", IPC_PRIVATE, 0600);
	/* Only a creation uses it. */
	get("get key", 0x7e57, IPC_CREAT | 0600);
	set_next_id("next_id kept", 2 << 15 | 40);
	get("get existing key", 0x7e57, IPC_CREAT | 0600);
	get("get existing key again", 0x7e57, 0600);
	note_next_id("next_id after finding");
	d = get("get key at next_id", 0x7e58, IPC_CREAT | 0600);
	note_next_id("next_id cleared");
	ctl("next_id rmid a", a, IPC_RMID, NULL);
	ctl("next_id rmid b", b, IPC_RMID, NULL);
	ctl("next_id rmid c", c, IPC_RMID, NULL);
	ctl("next_id rmid d", d, IPC_RMID, NULL);
	ctl("next_id rmid key", be->get(0x7e57, 0), IPC_RMID, NULL);
	/* Unset only by use: -1 is refused, as -2 was. */
	set_next_id("next_id -1", -1);
	note_next_id("next_id at the end");
}

static void section(const char *name, void (*fn)(void))
{
	fprintf(stderr, "# %s: %s\n", be->name, name);
	fn();
}

static void scenario(const struct mq_backend *b, bool device, struct log *l)
{
	pid_t pid = fork();

	if (pid == 0) {
		/* A fresh namespace on each side, so even ids must agree. */
		if (unshare(CLONE_NEWIPC)) {
			perror("unshare");
			_exit(1);
		}
		be = b;
		on_device = device;
		scenario_pid = getpid();
		cur_log = l;
		section("errors", errors);
		section("keys", keys);
		section("typed", typed);
		section("sizes", sizes);
		section("limits", limits);
		section("others", others);
		section("blocking", blocking);
		section("handoff", handoff);
		section("next_id", next_id);
		_exit(0);
	}
	waitpid(pid, NULL, 0);
}

static struct log *new_log(void)
{
	struct log *l = mmap(NULL, sizeof(*l), PROT_READ | PROT_WRITE,
			     MAP_SHARED | MAP_ANONYMOUS, -1, 0);

	if (l == MAP_FAILED) {
		perror("mmap");
		exit(1);
	}
	return l;
}

static bool same(const struct entry *a, const struct entry *b)
{
	if (!strncmp(a->what, "fault: message", 14))
		return a->ret == 1 && b->ret == 1;
	return !strcmp(a->what, b->what) && a->ret == b->ret &&
	       a->err == b->err && a->digest == b->digest;
}

int main(void)
{
	struct mq_backend kern, dev;
	struct log *lk = new_log(), *ld = new_log();
	int i, bad = 0, n;

	module_load();
	mq_kernel_backend(&kern);
	if (mq_device_backend(&dev)) {
		module_unload();
		return 1;
	}
	scenario(&kern, false, lk);
	scenario(&dev, true, ld);
	mq_device_close(&dev);

	n = lk->n > ld->n ? lk->n : ld->n;
	for (i = 0; i < n && i < LOG_MAX; i++) {
		const struct entry *a = &lk->e[i], *b = &ld->e[i];

		if (same(a, b))
			continue;
		printf("# DIFF %3d kernel: %-36s %ld %s | device: %-36s %ld %s\n",
		       i, a->what, a->ret, a->err ? strerror(a->err) : "",
		       b->what, b->ret, b->err ? strerror(b->err) : "");
		bad++;
	}
	printf("# %d calls compared, %d differ\n", n, bad);
	module_unload();
	if (lk->n < 150) {
		printf("# kernel log too short: scenario died early\n");
		return 1;
	}
	return bad ? 1 : 0;
}
