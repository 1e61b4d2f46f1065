// SPDX-License-Identifier: GPL-2.0
/*
 * Claims: pipes are inefficient for frequent exchanges; a message queue
 * fixes that but copies each message from user to kernel space and back;
 * shared memory avoids the copies and is the fastest.
 *
 * Two processes exchange messages of 64 B, 4 KiB and 64 KiB over an
 * anonymous pipe, a FIFO, a Unix socket, the kernel's SysV queue, a POSIX
 * queue, /dev/pcbmq through libpcbmq (one call per message, and batches
 * for streaming) and a ring in a memfd shared by both, with futex
 * wake-ups. Ping-pong gives the round trip; streaming one way gives
 * messages per second. Every kernel path copies a message twice (in and
 * out); the ring copies it once, into the ring, and the receiver reads it
 * in place. ipc-bench's published ping-pong rates (i5-4590S, 100 B) are
 * set beside ours as ratios to pipes.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/futex.h>
#include <mqueue.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/msg.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <pcbmq.h>

#include "libpcbmq.h"
#include "textbook.h"

#define MAX_MSG	   65536
#define NR_SIZES   3
#define RING_BYTES (1 << 20)
#define MAX_SLOTS  4096
#define QBYTES	   (1 << 20)
#define MAX_BATCH  64

static const size_t msg_size[NR_SIZES] = { 64, 4096, 65536 };

struct tmsg {
	long mtype;
	char text[MAX_MSG];
};

/*
 * One shared-memory ring, one direction: as many slots of the message
 * size as fit in RING_BYTES, so that a small message has as much room to
 * queue as in the kernel's buffers.
 */
struct ring {
	uint32_t head, tail;	      /* futex words */
	int head_waiter, tail_waiter; /* someone sleeps on the word */
	uint32_t slots, slot_size;
	char data[RING_BYTES];
};

struct chan {
	int fd[2][2]; /* per direction: [read end, write end] */
	int id;	      /* SysV or pcbmq queue */
	mqd_t mq[2];
	char fifo[2][64];
	struct ring *ring; /* [2] */
	size_t len;	   /* the message size of this cell */
};

struct kind {
	const char *name;
	const char *copies; /* bytes copied per message */
	int (*setup)(struct chan *c);
	int (*send)(struct chan *c, int dir, struct tmsg *m, size_t len);
	int (*recv)(struct chan *c, int dir, struct tmsg *m, size_t len);
	void (*teardown)(struct chan *c);
	bool batch; /* streams in batches; no ping-pong */
};

/*
 * The kernel's own queue by its system calls: libpcbmq, linked into
 * pcbbench, stands in for libc's msg* calls.
 */
static int kernel_msgctl(int id, int cmd, struct msqid_ds *buf)
{
	return syscall(SYS_msgctl, id, cmd, buf);
}

static int full_io(int fd, void *buf, size_t len, bool out)
{
	char *p = buf;
	ssize_t n;

	while (len) {
		n = out ? write(fd, p, len) : read(fd, p, len);
		if (n <= 0)
			return -1;
		p += n;
		len -= n;
	}
	return 0;
}

static int fd_send(struct chan *c, int dir, struct tmsg *m, size_t len)
{
	return full_io(c->fd[dir][1], m->text, len, true);
}

static int fd_recv(struct chan *c, int dir, struct tmsg *m, size_t len)
{
	return full_io(c->fd[dir][0], m->text, len, false);
}

static void fd_teardown(struct chan *c)
{
	int d, e;

	for (d = 0; d < 2; d++)
		for (e = 0; e < 2; e++)
			if (c->fd[d][e] >= 0)
				close(c->fd[d][e]);
}

static int pipe_setup(struct chan *c)
{
	return pipe(c->fd[0]) || pipe(c->fd[1]) ? -1 : 0;
}

static int fifo_setup(struct chan *c)
{
	int d;

	for (d = 0; d < 2; d++) {
		snprintf(c->fifo[d], sizeof(c->fifo[d]),
			 "/tmp/pcbbench-fifo-%d-%d", getpid(), d);
		unlink(c->fifo[d]);
		if (mkfifo(c->fifo[d], 0600))
			return -1;
		/* O_RDWR: neither open waits for the other side */
		c->fd[d][0] = open(c->fifo[d], O_RDWR);
		c->fd[d][1] = open(c->fifo[d], O_RDWR);
		if (c->fd[d][0] < 0 || c->fd[d][1] < 0)
			return -1;
	}
	return 0;
}

static void fifo_teardown(struct chan *c)
{
	fd_teardown(c);
	unlink(c->fifo[0]);
	unlink(c->fifo[1]);
}

static int unix_setup(struct chan *c)
{
	int sv[2];

	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv))
		return -1;
	c->fd[0][1] = sv[0];
	c->fd[0][0] = sv[1];
	c->fd[1][1] = dup(sv[1]);
	c->fd[1][0] = dup(sv[0]);
	return c->fd[1][1] < 0 || c->fd[1][0] < 0 ? -1 : 0;
}

static int raise_qbytes(int id, int (*ctl)(int, int, struct msqid_ds *))
{
	struct msqid_ds ds;

	if (ctl(id, IPC_STAT, &ds))
		return -1;
	ds.msg_qbytes = QBYTES;
	return ctl(id, IPC_SET, &ds);
}

static int sysv_setup(struct chan *c)
{
	c->id = syscall(SYS_msgget, IPC_PRIVATE, 0600);
	return c->id < 0 ? -1 : raise_qbytes(c->id, kernel_msgctl);
}

static int sysv_send(struct chan *c, int dir, struct tmsg *m, size_t len)
{
	m->mtype = 1 + dir;
	return syscall(SYS_msgsnd, c->id, m, len, 0);
}

static int sysv_recv(struct chan *c, int dir, struct tmsg *m, size_t len)
{
	return syscall(SYS_msgrcv, c->id, m, len, 1 + dir, 0) < 0 ? -1 : 0;
}

static void sysv_teardown(struct chan *c)
{
	kernel_msgctl(c->id, IPC_RMID, NULL);
}

static int posix_setup(struct chan *c)
{
	struct mq_attr a = { .mq_maxmsg = 10, .mq_msgsize = c->len };
	char name[64];
	int d;

	for (d = 0; d < 2; d++) {
		snprintf(name, sizeof(name), "/pcbbench-%d-%d", getpid(), d);
		mq_unlink(name);
		c->mq[d] = mq_open(name, O_RDWR | O_CREAT | O_EXCL, 0600, &a);
		mq_unlink(name); /* the descriptors keep it alive */
		if (c->mq[d] == (mqd_t)-1)
			return -1;
	}
	return 0;
}

static int posix_send(struct chan *c, int dir, struct tmsg *m, size_t len)
{
	return mq_send(c->mq[dir], m->text, len, 0);
}

static int posix_recv(struct chan *c, int dir, struct tmsg *m, size_t len)
{
	return mq_receive(c->mq[dir], m->text, c->len, NULL) < 0 ? -1 : 0;
}

static void posix_teardown(struct chan *c)
{
	mq_close(c->mq[0]);
	mq_close(c->mq[1]);
}

static int dev_setup(struct chan *c)
{
	c->id = pcbmq_get(IPC_PRIVATE, 0600);
	return c->id < 0 ? -1 : raise_qbytes(c->id, pcbmq_ctl);
}

static int dev_send(struct chan *c, int dir, struct tmsg *m, size_t len)
{
	m->mtype = 1 + dir;
	return pcbmq_send(c->id, m, len, 0, 0);
}

static int dev_recv(struct chan *c, int dir, struct tmsg *m, size_t len)
{
	return pcbmq_recv(c->id, m, len, 1 + dir, 0, 0) < 0 ? -1 : 0;
}

static void dev_teardown(struct chan *c)
{
	pcbmq_ctl(c->id, IPC_RMID, NULL);
}

static long futex(uint32_t *word, int op, uint32_t val)
{
	return syscall(SYS_futex, word, op, val, NULL, NULL, 0);
}

/* Until *word is no longer @old: a short spin, then sleep on it. */
static void ring_wait(uint32_t *word, int *waiter, uint32_t old)
{
	int i;

	for (i = 0; i < 200; i++)
		if (__atomic_load_n(word, __ATOMIC_ACQUIRE) != old)
			return;
	while (__atomic_load_n(word, __ATOMIC_ACQUIRE) == old) {
		__atomic_store_n(waiter, 1, __ATOMIC_SEQ_CST);
		/* the other side reads waiter after it moves the word */
		if (__atomic_load_n(word, __ATOMIC_SEQ_CST) != old)
			break;
		futex(word, FUTEX_WAIT, old);
	}
	__atomic_store_n(waiter, 0, __ATOMIC_RELAXED);
}

static void ring_move(uint32_t *word, int *waiter)
{
	__atomic_fetch_add(word, 1, __ATOMIC_SEQ_CST);
	if (__atomic_load_n(waiter, __ATOMIC_SEQ_CST))
		futex(word, FUTEX_WAKE, 1);
}

static int ring_setup(struct chan *c)
{
	int fd = memfd_create("pcbbench-ring", MFD_CLOEXEC);
	size_t len = 2 * sizeof(struct ring);
	int d;

	if (fd < 0)
		return -1;
	if (ftruncate(fd, len)) {
		close(fd);
		return -1;
	}
	c->ring = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	close(fd);
	if (c->ring == MAP_FAILED)
		return -1;
	for (d = 0; d < 2; d++) {
		c->ring[d].slot_size = c->len;
		c->ring[d].slots = RING_BYTES / c->len;
		if (c->ring[d].slots > MAX_SLOTS)
			c->ring[d].slots = MAX_SLOTS;
	}
	return 0;
}

/* The one copy: the sender's message into the ring. */
static int ring_send(struct chan *c, int dir, struct tmsg *m, size_t len)
{
	struct ring *r = &c->ring[dir];
	uint32_t head = r->head, tail;

	while (head - (tail = __atomic_load_n(&r->tail, __ATOMIC_ACQUIRE)) ==
	       r->slots)
		ring_wait(&r->tail, &r->tail_waiter, tail);
	memcpy(r->data + (size_t)(head % r->slots) * r->slot_size, m->text,
	       len);
	ring_move(&r->head, &r->head_waiter);
	return 0;
}

/* Read in place: the first and last byte, no copy. */
static int ring_recv(struct chan *c, int dir, struct tmsg *m, size_t len)
{
	struct ring *r = &c->ring[dir];
	uint32_t tail = r->tail;
	const char *s;

	while (__atomic_load_n(&r->head, __ATOMIC_ACQUIRE) == tail)
		ring_wait(&r->head, &r->head_waiter, tail);
	s = r->data + (size_t)(tail % r->slots) * r->slot_size;
	m->text[0] = s[0];
	m->text[len - 1] = s[len - 1];
	ring_move(&r->tail, &r->tail_waiter);
	return 0;
}

static void ring_teardown(struct chan *c)
{
	munmap(c->ring, 2 * sizeof(struct ring));
}

enum {
	K_PIPE,
	K_FIFO,
	K_UNIX,
	K_SYSV,
	K_POSIX,
	K_DEV,
	K_DEV_BATCH,
	K_RING,
	NR_KINDS
};

static const struct kind kinds[NR_KINDS] = {
	{ "pipe", "2 x size", pipe_setup, fd_send, fd_recv, fd_teardown,
	  false },
	{ "fifo", "2 x size", fifo_setup, fd_send, fd_recv, fifo_teardown,
	  false },
	{ "unix", "2 x size", unix_setup, fd_send, fd_recv, fd_teardown,
	  false },
	{ "sysv-msg", "2 x size", sysv_setup, sysv_send, sysv_recv,
	  sysv_teardown, false },
	{ "posix-mq", "2 x size", posix_setup, posix_send, posix_recv,
	  posix_teardown, false },
	{ "pcbmq", "2 x size", dev_setup, dev_send, dev_recv, dev_teardown,
	  false },
	{ "pcbmq-batch", "2 x size", dev_setup, dev_send, dev_recv,
	  dev_teardown, true },
	{ "shm-ring", "1 x size, 0 by the kernel", ring_setup, ring_send,
	  ring_recv, ring_teardown, false },
};

static int batch_of(size_t len)
{
	int n = QBYTES / 2 / len;

	return n > MAX_BATCH ? MAX_BATCH : n;
}

/* Streams @count messages in batches through the device: 0 or -1. */
static int dev_stream(struct chan *c, struct tmsg *m, size_t len, int count,
		      bool out)
{
	struct pcbmq_vec v[MAX_BATCH];
	int b = batch_of(len), done = 0, n, i;

	m->mtype = 1;
	while (done < count) {
		n = count - done < b ? count - done : b;
		for (i = 0; i < n; i++)
			v[i] = (struct pcbmq_vec){ .msgp = (uintptr_t)m,
						   .msgsz = len };
		n = out ? pcbmq_sendv(c->id, v, n, 0, 0)
			: pcbmq_recvv(c->id, v, n, 1, 0, 0);
		if (n <= 0)
			return -1;
		done += n;
	}
	return 0;
}

static int stream(const struct kind *k, struct chan *c, struct tmsg *m,
		  size_t len, int count, bool out)
{
	int i;

	if (k->batch)
		return dev_stream(c, m, len, count, out);
	for (i = 0; i < count; i++)
		if (out ? k->send(c, 0, m, len) : k->recv(c, 0, m, len))
			return -1;
	return 0;
}

static void child_side(const struct kind *k, struct chan *c, size_t len,
		       int rounds, int count, int done_fd)
{
	static struct tmsg m;
	int i;

	for (i = 0; !k->batch && i < rounds; i++)
		if (k->recv(c, 0, &m, len) || k->send(c, 1, &m, len))
			_exit(1);
	if (stream(k, c, &m, len, count, false))
		_exit(1);
	_exit(write(done_fd, "d", 1) == 1 ? 0 : 1);
}

/* Round trip ns and streaming messages/s of one kind at one size. */
static int cell(const struct kind *k, size_t len, int rounds, int count,
		double *rtt, double *rate)
{
	static struct tmsg m;
	struct chan c;
	int done[2], i, status, err = -1;
	uint64_t t0;
	char d;
	pid_t pid;

	memset(&c, 0, sizeof(c));
	memset(c.fd, -1, sizeof(c.fd));
	c.len = len;
	memset(m.text, 'm', len);
	if (k->setup(&c) || pipe(done))
		return -1;
	pid = fork();
	if (!pid)
		child_side(k, &c, len, rounds, count, done[1]);
	if (pid < 0)
		goto out;
	*rtt = 0;
	if (!k->batch) {
		t0 = now_ns();
		for (i = 0; i < rounds; i++)
			if (k->send(&c, 0, &m, len) || k->recv(&c, 1, &m, len))
				goto reap;
		*rtt = (double)(now_ns() - t0) / rounds;
	}
	t0 = now_ns();
	if (stream(k, &c, &m, len, count, true) || read(done[0], &d, 1) != 1)
		goto reap;
	*rate = count / ((now_ns() - t0) / 1e9);
	err = 0;
reap:
	if (err)
		kill(pid, SIGKILL);
	if (waitpid(pid, &status, 0) != pid || status)
		err = -1;
out:
	close(done[0]);
	close(done[1]);
	k->teardown(&c);
	return err;
}

/* Knobs raised for 64 KiB messages, and put back afterwards. */
static const char *const knob_path[] = {
	"/proc/sys/kernel/msgmax",
	"/proc/sys/kernel/msgmnb",
	"/proc/sys/fs/mqueue/msgsize_max",
	"/sys/module/pcbstat/parameters/msgmax",
	"/sys/module/pcbstat/parameters/msgmnb",
};

#define NR_KNOBS (int)(sizeof(knob_path) / sizeof(knob_path[0]))

static const long knob_value[NR_KNOBS] = { MAX_MSG, QBYTES, MAX_MSG, MAX_MSG,
					   QBYTES };

static long knob_saved[NR_KNOBS];

static long knob_rw(const char *path, long set)
{
	long v = -1;
	FILE *f = fopen(path, set < 0 ? "r" : "w");

	if (!f)
		return -1;
	if (set < 0 ? fscanf(f, "%ld", &v) != 1 : fprintf(f, "%ld\n", set) < 0)
		v = -1;
	if (fclose(f))
		v = -1;
	return set < 0 ? v : 0;
}

static void knobs_raise(void)
{
	int i;

	for (i = 0; i < NR_KNOBS; i++) {
		knob_saved[i] = knob_rw(knob_path[i], -1);
		if (knob_saved[i] >= 0 && knob_saved[i] < knob_value[i])
			knob_rw(knob_path[i], knob_value[i]);
	}
}

static void knobs_restore(void)
{
	int i;

	for (i = 0; i < NR_KNOBS; i++)
		if (knob_saved[i] >= 0 && knob_saved[i] < knob_value[i])
			knob_rw(knob_path[i], knob_saved[i]);
}

struct ipc_results {
	int trials;
	bool ok[NR_KINDS];
	double rtt[NR_KINDS][NR_SIZES][TB_MAX_TRIALS];
	double rate[NR_KINDS][NR_SIZES][TB_MAX_TRIALS];
};

static int rounds_of(const struct tb_opts *o, int s)
{
	static const int r[NR_SIZES] = { 100, 50, 20 };

	return o->quick ? r[s] / 2 : r[s];
}

static int count_of(const struct tb_opts *o, int s)
{
	static const int n[NR_SIZES] = { 400, 200, 50 };

	return o->quick ? n[s] / 2 : n[s];
}

static void run_trials(const struct tb_opts *o, struct ipc_results *r)
{
	int i, s, j, k;

	for (i = 0; i < r->trials; i++)
		for (s = 0; s < NR_SIZES; s++)
			for (j = 0; j < NR_KINDS; j++) {
				k = (i + j) % NR_KINDS;
				if (!r->ok[k])
					continue;
				if (cell(&kinds[k], msg_size[s],
					 rounds_of(o, s), count_of(o, s),
					 &r->rtt[k][s][i], &r->rate[k][s][i])) {
					fprintf(stderr,
						"pcbbench textbook: ipc: %s at "
						"%zu B failed: %s\n",
						kinds[k].name, msg_size[s],
						strerror(errno));
					r->ok[k] = false;
				}
			}
}

/* Per-trial ratios a/b of one figure of two kinds at size s. */
static void kind_ratio(const struct ipc_results *r, bool rtt, int ka, int kb,
		       int s, struct tb_fig *f)
{
	double v[TB_MAX_TRIALS];
	int i, n = 0;

	for (i = 0; r->ok[ka] && r->ok[kb] && i < r->trials; i++) {
		const double a = rtt ? r->rtt[ka][s][i] : r->rate[ka][s][i];
		const double b = rtt ? r->rtt[kb][s][i] : r->rate[kb][s][i];

		if (a > 0 && b > 0)
			v[n++] = a / b;
	}
	tb_fig_of(v, n, f);
}

/* ipc-bench's 100 B ping-pong messages/s, by our kinds; 0: not there. */
static const double ipcbench_rate[NR_KINDS] = {
	[K_PIPE] = 162441, [K_FIFO] = 265823,  [K_UNIX] = 130372,
	[K_SYSV] = 232253, [K_RING] = 4702557,
};

static void print_kind(const struct tb_opts *o, struct ipc_results *r, int k,
		       FILE *dat)
{
	struct tb_fig rtt[NR_SIZES], rate[NR_SIZES], vs_pipe;
	int s;

	for (s = 0; s < NR_SIZES; s++) {
		tb_fig_of(r->rtt[k][s], r->trials, &rtt[s]);
		tb_fig_of(r->rate[k][s], r->trials, &rate[s]);
	}
	/* pipe's round trip over this kind's: the messages/s ratio */
	kind_ratio(r, true, K_PIPE, k, 0, &vs_pipe);
	if (o->json) {
		for (s = 0; s < NR_SIZES; s++)
			printf("{\"part\":\"ipc\",\"kind\":\"%s\",\"bytes\":%zu,"
			       "\"rtt_us\":%.2f,\"rtt_lo\":%.2f,\"rtt_hi\":%.2f,"
			       "\"msgs_per_s\":%.0f,\"copies\":\"%s\"}\n",
			       kinds[k].name, msg_size[s], rtt[s].p50 / 1e3,
			       rtt[s].lo / 1e3, rtt[s].hi / 1e3, rate[s].p50,
			       kinds[k].copies);
		return;
	}
	printf("%-12s", kinds[k].name);
	for (s = 0; s < NR_SIZES; s++)
		if (kinds[k].batch)
			printf(" %8s", "-");
		else
			printf(" %8.1f", rtt[s].p50 / 1e3);
	printf(" |");
	for (s = 0; s < NR_SIZES; s++)
		printf(" %9.0f", rate[s].p50);
	if (kinds[k].batch)
		printf(" | %6s", "-");
	else
		printf(" | %6.2f", vs_pipe.p50);
	if (ipcbench_rate[k] > 0)
		printf(" %7.2f", ipcbench_rate[k] / ipcbench_rate[K_PIPE]);
	else
		printf(" %7s", "-");
	printf("  %s\n", kinds[k].copies);
	if (dat) {
		fprintf(dat, "%s", kinds[k].name);
		for (s = 0; s < NR_SIZES; s++)
			fprintf(dat, " %.2f", rtt[s].p50 / 1e3);
		for (s = 0; s < NR_SIZES; s++)
			fprintf(dat, " %.0f", rate[s].p50);
		fprintf(dat, "\n");
	}
}

static void verdicts(const struct tb_opts *o, const struct ipc_results *r)
{
	struct tb_fig f;

	kind_ratio(r, true, K_PIPE, K_SYSV, 0, &f);
	tb_verdict(o,
		   "a message queue exchanges small messages faster than "
		   "a pipe (pipe RTT / SysV msg RTT, 64 B)",
		   &f);
	kind_ratio(r, true, K_PIPE, K_RING, 0, &f);
	tb_verdict(o,
		   "shared memory is faster than a pipe (pipe RTT / ring "
		   "RTT, 64 B)",
		   &f);
	kind_ratio(r, true, K_SYSV, K_RING, NR_SIZES - 1, &f);
	tb_verdict(o,
		   "shared memory avoids the queue's copies (SysV msg RTT "
		   "/ ring RTT, 64 KiB)",
		   &f);
	kind_ratio(r, false, K_RING, K_SYSV, NR_SIZES - 1, &f);
	tb_verdict(o,
		   "the same, streaming (ring msgs/s / SysV msgs/s, "
		   "64 KiB)",
		   &f);
	kind_ratio(r, false, K_DEV_BATCH, K_DEV, 0, &f);
	tb_verdict(o,
		   "batching the queue's calls pays (pcbmq batch / single "
		   "msgs/s, 64 B)",
		   &f);
}

int tb_ipc(const struct tb_opts *o)
{
	struct ipc_results *r = calloc(1, sizeof(*r));
	FILE *dat = tb_dat(o, "textbook-ipc.dat");
	struct rlimit unlimited = { RLIM_INFINITY, RLIM_INFINITY };
	int k;

	if (!r)
		return 1;
	r->trials = o->quick ? 3 : (o->trials < 5 ? o->trials : 5);
	for (k = 0; k < NR_KINDS; k++)
		r->ok[k] = true;
	if (pcbmq_fd() < 0) {
		fprintf(stderr, "pcbbench textbook: ipc: no /dev/pcbmq; pcbmq "
				"rows skipped\n");
		r->ok[K_DEV] = r->ok[K_DEV_BATCH] = false;
	}
	knobs_raise();
	/* POSIX queues of 64 KiB messages need more than the default 800 KB */
	setrlimit(RLIMIT_MSGQUEUE, &unlimited);
	/*
	 * Both sides on CPU 0: a message is a switch, not a cross-CPU wake-up,
	 * whose cost under an emulator is the host's scheduling of the other
	 * vCPU (an unpinned trial saw pipe round trips of 18 ms).
	 */
	tb_pin(0);
	if (!o->json)
		printf("\n== 4. IPC between two processes on CPU 0 (median of "
		       "%d trials; 64 B / 4 KiB / 64 KiB)\n%-12s %8s %8s %8s | %9s %9s "
		       "%9s | %6s %7s  %s\n",
		       r->trials, "kind", "RTT us", "4K", "64K", "msgs/s", "4K",
		       "64K", "xpipe", "ipc-b", "bytes copied per message");
	run_trials(o, r);
	tb_pin(-1);
	knobs_restore();
	/* the device's descriptor would pin the module */
	pcbmq_close();
	if (dat)
		fprintf(dat, "# kind rtt_us_64 rtt_us_4k rtt_us_64k rate_64 "
			     "rate_4k rate_64k\n");
	for (k = 0; k < NR_KINDS; k++)
		if (r->ok[k])
			print_kind(o, r, k, dat);
	if (dat)
		fclose(dat);
	if (!o->json)
		printf("xpipe: our 64 B ping-pong rate over pipes'; ipc-b: "
		       "ipc-bench's at 100 B on an i5-4590S (its \"shared "
		       "memory\" row for shm-ring)\n");
	verdicts(o, r);
	free(r);
	return 0;
}
