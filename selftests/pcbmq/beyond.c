// SPDX-License-Identifier: GPL-2.0
/*
 * What the device adds to SysV, each against an independent oracle:
 * - timeouts: a receive on an empty queue and a send to a full one fail
 *   with ETIMEDOUT no earlier than asked (CLOCK_MONOTONIC), and not much
 *   later; a message arriving in time is delivered;
 * - poll/epoll: a watch fd is readable exactly while qnum > 0 (IPC_STAT),
 *   writable while a message fits, and reports EPOLLHUP after IPC_RMID;
 * - batches: 200 messages sent in one call come back in one call in
 *   FIFO order, intact; a batch that does not fit stops at the limit and
 *   reports per-message EAGAIN, a run of one type too; a typed batch
 *   takes only its type; an error mid-batch stops it there with what
 *   came before kept; mixed types sent into a queue holding them come
 *   back as a model of the queue says, typed, MSG_EXCEPT and in FIFO
 *   order;
 * - the memory batch receives keep for batch sends stays within its
 *   documented bounds and goes with its queue, and a send into it
 *   delivers that send's texts;
 * - a message handed to a blocked receiver whose buffer faults stays
 *   queued, intact;
 * - hand-offs to blocked receivers racing timeouts and signals lose,
 *   duplicate or reorder nothing;
 * - ENOTTY for unknown commands, EINVAL for reserved fields and short
 *   structs, E2BIG for unknown non-zero tail bytes.
 * timeout: 120
 */
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <sys/epoll.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <time.h>

#include <pcbmq.h>

#include "pcbmq_lib.h"

static ssize_t (*recv_t)(int, void *, size_t, long, int, int64_t);
static int (*send_t)(int, const void *, size_t, int, int64_t);
static int (*sendv)(int, struct pcbmq_vec *, unsigned int, int, int64_t);
static int (*recvv)(int, struct pcbmq_vec *, unsigned int, long, int, int64_t);
static int (*watch)(int, size_t);

struct small {
	long mtype;
	char text[64];
};

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void timeouts(const struct mq_backend *b)
{
	struct small m = { .mtype = 1 };
	struct msqid_ds ds;
	int q = b->get(IPC_PRIVATE, 0600);
	double t0 = now(), dt;
	long r;

	r = recv_t(q, &m, sizeof(m.text), 0, 0, 200000000);
	dt = now() - t0;
	KSFT_CHECK(r == -1 && errno == ETIMEDOUT, "recv timeout: %ld %s", r,
		   strerror(errno));
	KSFT_CHECK(dt >= 0.2 && dt < 10, "recv timeout took %.3f s", dt);

	b->ctl(q, IPC_STAT, &ds);
	ds.msg_qbytes = 8;
	b->ctl(q, IPC_SET, &ds);
	KSFT_CHECK(send_t(q, &m, 8, 0, 0) == 0, "fill");
	t0 = now();
	r = send_t(q, &m, 8, 0, 100000000);
	dt = now() - t0;
	KSFT_CHECK(r == -1 && errno == ETIMEDOUT, "send timeout: %ld %s", r,
		   strerror(errno));
	KSFT_CHECK(dt >= 0.1 && dt < 10, "send timeout took %.3f s", dt);
	r = recv_t(q, &m, sizeof(m.text), 0, 0, 100000000);
	KSFT_CHECK(r == 8, "message there within the timeout: %ld", r);
	KSFT_CHECK(send_t(q, &m, 8, 0, -1) == -1 && errno == EINVAL,
		   "negative timeout");
	b->ctl(q, IPC_RMID, NULL);
}

static short revents(int fd)
{
	struct pollfd p = { .fd = fd, .events = POLLIN | POLLOUT };

	return poll(&p, 1, 0) < 0 ? -1 : p.revents;
}

static void polling(const struct mq_backend *b)
{
	struct small m = { .mtype = 3 };
	struct epoll_event ev = { .events = EPOLLIN };
	struct msqid_ds ds;
	int q = b->get(IPC_PRIVATE, 0600);
	int fd = watch(q, 8), ep = epoll_create1(0), fd2;

	KSFT_CHECK(fd >= 0, "watch: %s", strerror(errno));
	KSFT_CHECK(revents(fd) == POLLOUT, "empty queue: revents %#x",
		   revents(fd));
	epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev);
	KSFT_CHECK(epoll_wait(ep, &ev, 1, 0) == 0, "epoll ready while empty");
	b->snd(q, &m, 8, 0);
	b->ctl(q, IPC_STAT, &ds);
	KSFT_CHECK(ds.msg_qnum == 1 && (revents(fd) & POLLIN),
		   "one message: revents %#x", revents(fd));
	KSFT_CHECK(epoll_wait(ep, &ev, 1, 1000) == 1, "epoll not ready");
	ds.msg_qbytes = 8;
	b->ctl(q, IPC_SET, &ds);
	KSFT_CHECK(revents(fd) == POLLIN, "full queue: revents %#x",
		   revents(fd));
	b->rcv(q, &m, sizeof(m.text), 0, 0);
	KSFT_CHECK(revents(fd) == POLLOUT, "drained: revents %#x", revents(fd));
	fd2 = watch(q, 8);
	KSFT_CHECK(fd2 >= 0, "second watch fd");
	close(fd2);
	b->ctl(q, IPC_RMID, NULL);
	KSFT_CHECK(revents(fd) & POLLHUP, "removed: revents %#x", revents(fd));
	close(ep);
	close(fd);
}

static void batches(const struct mq_backend *b)
{
	static struct small out[200], in[200];
	struct pcbmq_vec vec[200];
	int q = b->get(IPC_PRIVATE, 0600), i, n, ok = 1;
	struct msqid_ds ds;

	for (i = 0; i < 200; i++) {
		out[i].mtype = 1 + i % 3;
		snprintf(out[i].text, sizeof(out[i].text), "batch %d", i);
		vec[i] = (struct pcbmq_vec){ (uintptr_t)&out[i], 16, 0 };
	}
	n = sendv(q, vec, 200, 0, 0);
	b->ctl(q, IPC_STAT, &ds);
	KSFT_CHECK(n == 200 && ds.msg_qnum == 200, "sendv: %d, qnum %lu", n,
		   ds.msg_qnum);
	for (i = 0; i < 200; i++)
		vec[i] = (struct pcbmq_vec){ (uintptr_t)&in[i], 64, 0 };
	n = recvv(q, vec, 200, 2, IPC_NOWAIT, 0);
	KSFT_CHECK(n == 67, "typed recvv: %d of type 2", n);
	for (i = 0; i < n; i++)
		ok &= in[i].mtype == 2 && vec[i].result == 16 &&
		      !strcmp(in[i].text, out[3 * i + 1].text);
	KSFT_CHECK(ok, "typed recvv contents");
	n = recvv(q, vec, 200, 0, IPC_NOWAIT, 0);
	KSFT_CHECK(n == 133 && vec[133].result == -ENOMSG,
		   "recvv rest: %d, then %lld", n, (long long)vec[133].result);
	for (i = 0, ok = 1; i < n; i++)
		ok &= in[i].mtype != 2 &&
		      !strcmp(in[i].text,
			      out[i / 2 * 3 + (i % 2 ? 2 : 0)].text);
	KSFT_CHECK(ok, "recvv order");

	b->ctl(q, IPC_STAT, &ds);
	ds.msg_qbytes = 16 * 10;
	b->ctl(q, IPC_SET, &ds);
	for (i = 0; i < 200; i++)
		vec[i] = (struct pcbmq_vec){ (uintptr_t)&out[i], 16, 0 };
	n = sendv(q, vec, 200, IPC_NOWAIT, 0);
	KSFT_CHECK(n == 10 && vec[10].result == -EAGAIN,
		   "sendv into a 10-message queue: %d, then %lld", n,
		   (long long)vec[10].result);
	n = recvv(q, vec, 0, 0, IPC_NOWAIT, 0);
	KSFT_CHECK(n == -1 && errno == EINVAL, "empty batch");
	/* A fault in the middle of a batch loses nothing. */
	for (i = 0; i < 3; i++)
		vec[i] = (struct pcbmq_vec){ (uintptr_t)&in[i], 64, 0 };
	vec[1].msgp = 0;
	n = recvv(q, vec, 3, 0, IPC_NOWAIT, 0);
	b->ctl(q, IPC_STAT, &ds);
	KSFT_CHECK(n == 1 && vec[1].result == -EFAULT && ds.msg_qnum == 9,
		   "recvv with a faulting buffer: %d, %lld, qnum %lu", n,
		   (long long)vec[1].result, ds.msg_qnum);
	n = recvv(q, vec, 1, 0, IPC_NOWAIT, 0);
	KSFT_CHECK(n == 1 && !strcmp(in[0].text, out[1].text),
		   "the faulted message is next: %s", in[0].text);
	b->ctl(q, IPC_RMID, NULL);
}

/*
 * The queue as the test expects it: message i of out[] is queued while
 * model_queued[i]. A receive takes what the model says it takes.
 */
static int model_queued[16];

/* The oldest queued message of type @mtype, except it if @except; or -1. */
static int model_find(const struct small *out, int n, long mtype, int except)
{
	int i;

	for (i = 0; i < n; i++)
		if (model_queued[i] &&
		    (!mtype || (out[i].mtype == mtype) != except))
			return i;
	return -1;
}

/*
 * Checks a receive of up to @max messages of @mtype (of any other type if
 * @except, of any if 0) that got @got into in[], against the model.
 */
static void model_check(const char *what, const struct small *out, int n,
			const struct small *in, int got, int max, long mtype,
			int except)
{
	int i, k, ok = 1;

	for (i = 0; i < max; i++) {
		k = model_find(out, n, mtype, except);
		if (k < 0)
			break;
		ok &= i < got && in[i].mtype == out[k].mtype &&
		      !strcmp(in[i].text, out[k].text);
		model_queued[k] = 0;
	}
	KSFT_CHECK(ok && got == i, "%s: %d received, %d expected%s", what, got,
		   i, ok ? "" : ", not the ones queued");
}

/*
 * Batches into a queue that already holds their types, so that runs of
 * one type are appended and taken whole, with the index of types by
 * oldest message built (by a MSG_EXCEPT receive) and kept through them:
 * a typed batch receive gets its type in send order, MSG_EXCEPT the
 * oldest of any other type, and a receive of any type the FIFO order.
 */
static void batch_runs(const struct mq_backend *b)
{
	static const long types[] = { 1, 1, 2, 2, 2, 1, 3, 3, 1, 2, 3, 3 };
	enum {
		N = 3 + sizeof(types) / sizeof(types[0])
	};
	static struct small out[N], in[N];
	struct pcbmq_vec vec[N];
	int q = b->get(IPC_PRIVATE, 0600), i, n;
	struct msqid_ds ds;

	for (i = 0; i < N; i++) {
		out[i].mtype = i < 3 ? 3 - i : types[i - 3];
		snprintf(out[i].text, sizeof(out[i].text), "run %d", i);
		vec[i] = (struct pcbmq_vec){ (uintptr_t)&out[i], 16, 0 };
	}
	for (i = 0; i < 3; i++) {
		KSFT_CHECK(!send_t(q, &out[i], 16, 0, 0), "send %d", i);
		model_queued[i] = 1;
	}
	/* Type 3 leads: excepting it builds the index of types. */
	n = recv_t(q, &in[0], 64, 3, IPC_NOWAIT | MSG_EXCEPT, 0);
	model_check("except 3", out, N, in, n > 0, 1, 3, 1);
	n = recv_t(q, &in[0], 64, 3, IPC_NOWAIT, 0);
	model_check("type 3", out, N, in, n > 0, 1, 3, 0);
	n = sendv(q, vec + 3, N - 3, 0, 0);
	for (i = 3; i < N; i++)
		model_queued[i] = 1;
	KSFT_CHECK(n == N - 3, "sendv: %d of %d", n, N - 3);
	for (i = 0; i < N; i++)
		vec[i] = (struct pcbmq_vec){ (uintptr_t)&in[i], 64, 0 };
	/* The run at the head only: type 1's next message becomes its head. */
	n = recvv(q, vec, 3, 1, IPC_NOWAIT, 0);
	model_check("type 1 batch", out, N, in, n, 3, 1, 0);
	n = recv_t(q, &in[0], 64, 2, IPC_NOWAIT | MSG_EXCEPT, 0);
	model_check("except 2", out, N, in, n > 0, 1, 2, 1);
	n = recvv(q, vec, N, 0, IPC_NOWAIT, 0);
	model_check("the rest", out, N, in, n, N, 0, 0);
	b->ctl(q, IPC_STAT, &ds);
	KSFT_CHECK(ds.msg_qnum == 0 && model_find(out, N, 0, 0) < 0,
		   "left: %lu queued", ds.msg_qnum);
	b->ctl(q, IPC_RMID, NULL);
}

/* A message above the device's small-message size, in the same batches. */
struct big {
	long mtype;
	char text[300];
};

/*
 * Each message of a batch keeps the single call's errors wherever it
 * stands: an invalid size or a fault stops a send there with what came
 * before it queued intact (small and large messages mixed, new types
 * made mid-batch), an E2BIG stops a receive and leaves that message
 * queued, and the module's memory count is back where it started once
 * the queue is gone.
 */
static void batch_edges(const struct mq_backend *b)
{
	static struct small out[6], in[6];
	static struct big large = { .mtype = 2 }, large_in;
	struct pcbmq_vec vec[6];
	int q = b->get(IPC_PRIVATE, 0600), i, n;
	long before = module_param_long("mem_used");
	struct msqid_ds ds;

	memset(large.text, 'L', sizeof(large.text));
	for (i = 0; i < 6; i++) {
		out[i].mtype = 10 + i;
		snprintf(out[i].text, sizeof(out[i].text), "edge %d", i);
		vec[i] = (struct pcbmq_vec){ (uintptr_t)&out[i], 16, 0 };
	}
	vec[2] = (struct pcbmq_vec){ (uintptr_t)&large, sizeof(large.text), 0 };
	vec[3].msgsz = -1;
	n = sendv(q, vec, 6, IPC_NOWAIT, 0);
	KSFT_CHECK(n == 3 && vec[3].result == -EINVAL,
		   "sendv with a bad size 4th: %d, then %lld", n,
		   (long long)vec[3].result);
	vec[3].msgsz = 16;
	vec[4].msgp = 0;
	n = sendv(q, vec + 3, 3, IPC_NOWAIT, 0);
	KSFT_CHECK(n == 1 && vec[4].result == -EFAULT,
		   "sendv with a fault 2nd: %d, then %lld", n,
		   (long long)vec[4].result);
	b->ctl(q, IPC_STAT, &ds);
	KSFT_CHECK(ds.msg_qnum == 4, "queued after both: %lu, want 4",
		   ds.msg_qnum);

	n = b->rcv(q, &large_in, sizeof(large_in.text), 2, IPC_NOWAIT);
	KSFT_CHECK(n == sizeof(large.text) && !memcmp(large_in.text, large.text,
						      sizeof(large.text)),
		   "the large message: %d bytes", n);
	for (i = 0; i < 3; i++)
		vec[i] = (struct pcbmq_vec){ (uintptr_t)&in[i], 64, 0 };
	vec[1].msgsz = 8;
	n = recvv(q, vec, 3, 0, IPC_NOWAIT, 0);
	b->ctl(q, IPC_STAT, &ds);
	KSFT_CHECK(n == 1 && vec[1].result == -E2BIG && ds.msg_qnum == 2 &&
			   !strcmp(in[0].text, "edge 0"),
		   "recvv with a short 2nd buffer: %d, %lld, qnum %lu", n,
		   (long long)vec[1].result, ds.msg_qnum);
	n = recvv(q, vec + 1, 2, 0, IPC_NOWAIT | MSG_NOERROR, 0);
	KSFT_CHECK(n == 2 && vec[1].result == 8 &&
			   !memcmp(in[1].text, "edge 1", 6) &&
			   in[2].mtype == 13,
		   "recvv MSG_NOERROR: %d, %lld bytes, types %ld %ld", n,
		   (long long)vec[1].result, in[1].mtype, in[2].mtype);
	b->ctl(q, IPC_RMID, NULL);
	KSFT_CHECK(module_param_long("mem_used") == before,
		   "module memory %ld after IPC_RMID, "
		   "%ld before",
		   module_param_long("mem_used"), before);
}

/*
 * A batch of one type already queued, into a queue with room for part of
 * it: the part that fits is sent, in order, the rest fails with EAGAIN,
 * and the queue holds no more than its msg_qbytes allow.
 */
static void batch_run_room(const struct mq_backend *b)
{
	static struct small out[21], in[21];
	struct pcbmq_vec vec[21];
	int q = b->get(IPC_PRIVATE, 0600), i, n, ok = 1;
	struct msqid_ds ds;

	b->ctl(q, IPC_STAT, &ds);
	ds.msg_qbytes = 16 * 10;
	b->ctl(q, IPC_SET, &ds);
	for (i = 0; i < 21; i++) {
		out[i].mtype = 5;
		snprintf(out[i].text, sizeof(out[i].text), "room %d", i);
		vec[i] = (struct pcbmq_vec){ (uintptr_t)&out[i], 16, 0 };
	}
	b->snd(q, &out[0], 16, 0);
	n = sendv(q, vec + 1, 20, IPC_NOWAIT, 0);
	b->ctl(q, IPC_STAT, &ds);
	KSFT_CHECK(n == 9 && vec[10].result == -EAGAIN && ds.msg_qnum == 10 &&
			   ds.msg_cbytes == 160,
		   "a run of one type into room for 9: %d sent, then %lld; "
		   "qnum %lu, cbytes %lu",
		   n, (long long)vec[10].result, ds.msg_qnum, ds.msg_cbytes);
	for (i = 0; i < 21; i++)
		vec[i] = (struct pcbmq_vec){ (uintptr_t)&in[i], 64, 0 };
	n = recvv(q, vec, 21, 5, IPC_NOWAIT, 0);
	for (i = 0; i < n; i++)
		ok &= !strcmp(in[i].text, out[i].text);
	KSFT_CHECK(n == 10 && ok, "the run received: %d, %s", n,
		   ok ? "in order" : "not as sent");
	b->ctl(q, IPC_RMID, NULL);
}

/* The bounds mq_spares.c documents: per queue, and for the module. */
#define QUEUE_SPARES 256
#define ALL_SPARES   4096
#define SPARE_QUEUES 20

/* One full batch of @n 16-byte type-1 messages, "@tag i", sent. */
static int spares_send(int q, struct small *out, struct pcbmq_vec *vec, int n,
		       const char *tag)
{
	int i;

	for (i = 0; i < n; i++) {
		out[i].mtype = 1;
		snprintf(out[i].text, sizeof(out[i].text), "%s %d", tag, i);
		vec[i] = (struct pcbmq_vec){ (uintptr_t)&out[i], 16, 0 };
	}
	return sendv(q, vec, n, IPC_NOWAIT, 0);
}

/*
 * SPARE_QUEUES queues each pass QUEUE_SPARES small messages through a
 * batch send and a batch receive, one queue after another: the module's
 * count of kept objects must grow by QUEUE_SPARES a queue until
 * ALL_SPARES, never beyond. Two more batches into each queue must take
 * their room from its spares (the count falls by as many as it kept, up
 * to 128) and come back with their own texts, which they would not if a
 * spare were handed out twice. Once the queues are gone the count, and
 * the module's memory count, must be where they started.
 */
static void spares_bounded(const struct mq_backend *b)
{
	static struct small out[QUEUE_SPARES], in[QUEUE_SPARES];
	static struct pcbmq_vec vec[QUEUE_SPARES];
	long before = module_param_long("spares"),
	     mem = module_param_long("mem_used"), want, now;
	long kept[SPARE_QUEUES], start, taken;
	int q[SPARE_QUEUES], i, j, n, m, r, ok;

	for (i = 0; i < SPARE_QUEUES; i++) {
		start = module_param_long("spares");
		q[i] = b->get(IPC_PRIVATE, 0600);
		n = spares_send(q[i], out, vec, QUEUE_SPARES, "first");
		for (j = 0; j < QUEUE_SPARES; j++)
			vec[j] = (struct pcbmq_vec){ (uintptr_t)&in[j], 64, 0 };
		m = recvv(q[i], vec, QUEUE_SPARES, 0, IPC_NOWAIT, 0);
		want = before + (long)(i + 1) * QUEUE_SPARES;
		if (want > ALL_SPARES)
			want = before > ALL_SPARES ? before : ALL_SPARES;
		now = module_param_long("spares");
		kept[i] = now - start;
		KSFT_CHECK(
			n == QUEUE_SPARES && m == QUEUE_SPARES && now == want,
			"queue %d: sent %d, received %d, spares %ld, want %ld",
			i, n, m, now, want);
	}
	for (i = 0; i < SPARE_QUEUES; i++) {
		start = module_param_long("spares");
		n = spares_send(q[i], out, vec, 64, "second");
		m = spares_send(q[i], out + 64, vec + 64, 64, "third");
		taken = start - module_param_long("spares");
		for (j = 0; j < 128; j++)
			vec[j] = (struct pcbmq_vec){ (uintptr_t)&in[j], 64, 0 };
		memset(in, 0, sizeof(in));
		r = recvv(q[i], vec, 128, 0, IPC_NOWAIT, 0);
		for (j = 0, ok = 1; j < r; j++)
			ok &= vec[j].result == 16 &&
			      !strcmp(in[j].text, out[j].text);
		KSFT_CHECK(
			n == 64 && m == 64 && r == 128 && ok &&
				taken == (kept[i] < 128 ? kept[i] : 128),
			"two batches into queue %d: %d and %d sent, %d back%s; "
			"%ld spares taken of %ld kept",
			i, n, m, r, ok ? "" : ", not as sent", taken, kept[i]);
	}
	for (i = 0; i < SPARE_QUEUES; i++)
		b->ctl(q[i], IPC_RMID, NULL);
	KSFT_CHECK(module_param_long("spares") == before &&
			   module_param_long("mem_used") == mem,
		   "after IPC_RMID: spares %ld (%ld before), memory %ld (%ld)",
		   module_param_long("spares"), before,
		   module_param_long("mem_used"), mem);
}

/*
 * MSG_EXCEPT once the queue keeps its types in order of their oldest
 * message: a faulted receive puts type 1's head back, which must move
 * type 1 in front of type 3 again, or "except 1" would answer type 1.
 */
static void except_after_requeue(const struct mq_backend *b)
{
	static const struct {
		long mtype;
		const char *text;
	} sent[] = { { 1, "a" }, { 2, "b" }, { 3, "d" }, { 1, "c" } };
	static const struct {
		long except;
		const char *want;
	} taken[] = { { 1, "d" }, { 3, "a" }, { 3, "c" } };
	int q = b->get(IPC_PRIVATE, 0600);
	struct small m;
	size_t i;
	ssize_t n;

	for (i = 0; i < 4; i++) {
		m.mtype = sent[i].mtype;
		strcpy(m.text, sent[i].text);
		b->snd(q, &m, 2, 0);
	}
	n = b->rcv(q, &m, 64, 1, IPC_NOWAIT | MSG_EXCEPT);
	KSFT_CHECK(n == 2 && !strcmp(m.text, "b"), "except 1 first: %s",
		   m.text);
	n = b->rcv(q, NULL, 64, 0, IPC_NOWAIT);
	KSFT_CHECK(n == -1 && errno == EFAULT, "faulting receive: %zd", n);
	for (i = 0; i < 3; i++) {
		n = b->rcv(q, &m, 64, taken[i].except, IPC_NOWAIT | MSG_EXCEPT);
		KSFT_CHECK(n == 2 && !strcmp(m.text, taken[i].want),
			   "except %ld after requeue: %s, want %s",
			   taken[i].except, n == 2 ? m.text : "-",
			   taken[i].want);
	}
	b->ctl(q, IPC_RMID, NULL);
}

/*
 * A receiver asleep when its message is handed over, into a buffer that
 * faults: the receive fails with EFAULT and the message stays queued,
 * intact. The woken receiver holds neither the queue lock nor a
 * reference, so it finds the queue again by its id to put it back.
 */
static void faulting_handoff(const struct mq_backend *b)
{
	int q = b->get(IPC_PRIVATE, 0600), status = -1;
	struct small m = { .mtype = 4 };
	ssize_t n;
	pid_t pid = fork();

	if (pid == 0) {
		n = b->rcv(q, NULL, 64, 4, 0);
		_exit(n == -1 && errno == EFAULT ? 0 : 1);
	}
	if (mq_wait_sleeping(pid, 20))
		kill(pid, SIGKILL);
	strcpy(m.text, "kept");
	b->snd(q, &m, 5, 0);
	waitpid(pid, &status, 0);
	KSFT_CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0,
		   "blocked receive into a faulting buffer: %#x", status);
	memset(&m, 0, sizeof(m));
	n = b->rcv(q, &m, 64, 0, IPC_NOWAIT);
	KSFT_CHECK(n == 5 && m.mtype == 4 && !strcmp(m.text, "kept"),
		   "the message handed to the faulting receive: %zd, %ld, %s",
		   n, m.mtype, n == 5 ? m.text : "-");
	b->ctl(q, IPC_RMID, NULL);
}

/*
 * A hand-off to a blocked receiver wins over a timeout or a signal that
 * wakes it meanwhile. Race them: one receiver with 20 us timeouts (every
 * other call waits forever), sent SIGUSR1 without SA_RESTART, against one
 * sender on a queue of four messages, so both sides block. FIFO order
 * makes the oracle exact: every message arrives once and in sequence, and
 * the queue is empty at the end.
 */
#define RACE_MSGS 20000

static void on_usr1(int sig)
{
	(void)sig;
}

static int race_receiver(int q)
{
	struct small m;
	uint32_t seq;
	long r;
	int i = 0;

	for (seq = 0; seq < RACE_MSGS; i++) {
		r = recv_t(q, &m, sizeof(m.text), 0, 0, i & 1 ? 0 : 20000);
		if (r < 0 && (errno == ETIMEDOUT || errno == EINTR))
			continue;
		if (r != sizeof(seq) || memcmp(m.text, &seq, sizeof(seq)))
			return 1;
		seq++;
	}
	return 0;
}

static void handoff_races(const struct mq_backend *b)
{
	struct sigaction sa = { .sa_handler = on_usr1 }, old;
	struct small m = { .mtype = 1 };
	int q = b->get(IPC_PRIVATE, 0600), status = -1;
	struct msqid_ds ds;
	uint32_t seq;
	pid_t pid;

	b->ctl(q, IPC_STAT, &ds);
	ds.msg_qbytes = 4 * sizeof(seq);
	b->ctl(q, IPC_SET, &ds);
	sigaction(SIGUSR1, &sa, &old);
	pid = fork();
	if (pid == 0)
		_exit(race_receiver(q));
	for (seq = 0; seq < RACE_MSGS; seq++) {
		memcpy(m.text, &seq, sizeof(seq));
		if (send_t(q, &m, sizeof(seq), 0, 10000000000LL))
			break;
		if (seq % 64 == 0)
			kill(pid, SIGUSR1);
	}
	KSFT_CHECK(seq == RACE_MSGS, "race: send %u: %s", seq, strerror(errno));
	waitpid(pid, &status, 0);
	sigaction(SIGUSR1, &old, NULL);
	KSFT_CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0,
		   "race: messages lost, duplicated or out of order (%#x)",
		   status);
	KSFT_CHECK(b->ctl(q, IPC_STAT, &ds) == 0 && ds.msg_qnum == 0,
		   "race: %lu left queued", (unsigned long)ds.msg_qnum);
	b->ctl(q, IPC_RMID, NULL);
}

/* The errno of a GET whose size is above a page, its tail zero. */
static int get_above_page(int fd)
{
	static unsigned char huge[3 * 4096];
	struct pcbmq_get g = { sizeof(g), IPC_PRIVATE, 0600, 0 };

	g.size = sysconf(_SC_PAGESIZE) + 8;
	if (g.size > sizeof(huge))
		return E2BIG; /* not testable here */
	memcpy(huge, &g, sizeof(g));
	return ioctl(fd, PCBMQ_IOC_GET, huge) == -1 ? errno : 0;
}

static void abi(void)
{
	int fd = open(PCBMQ_DEVICE, O_RDWR);
	struct {
		struct pcbmq_get g;
		uint64_t tail;
	} big = { { sizeof(big), IPC_PRIVATE, 0600, 0 }, 0 };
	struct pcbmq_get g = { sizeof(g), IPC_PRIVATE, 0600, 0 };
	int id;

	KSFT_CHECK(ioctl(fd, _IO('x', 1)) == -1 && errno == ENOTTY,
		   "foreign cmd");
	KSFT_CHECK(ioctl(fd, _IO(PCBMQ_IOC_MAGIC, 99)) == -1 && errno == ENOTTY,
		   "unknown nr");
	g.reserved = 1;
	KSFT_CHECK(ioctl(fd, PCBMQ_IOC_GET, &g) == -1 && errno == EINVAL,
		   "reserved");
	g.reserved = 0;
	g.size = 8;
	KSFT_CHECK(ioctl(fd, PCBMQ_IOC_GET, &g) == -1 && errno == EINVAL,
		   "short");
	id = ioctl(fd, PCBMQ_IOC_GET, &big);
	KSFT_CHECK(id >= 0, "longer struct, zero tail: %s", strerror(errno));
	big.tail = 1;
	KSFT_CHECK(ioctl(fd, PCBMQ_IOC_GET, &big) == -1 && errno == E2BIG,
		   "non-zero tail");
	KSFT_CHECK(get_above_page(fd) == E2BIG, "size above a page, zero tail");
	KSFT_CHECK(ioctl(fd, PCBMQ_IOC_GET, NULL) == -1 && errno == EFAULT,
		   "NULL arg");
	g.size = sizeof(g);
	ioctl(fd, PCBMQ_IOC_CTL,
	      &(struct pcbmq_ctl){ .size = sizeof(struct pcbmq_ctl),
				   .msqid = id,
				   .cmd = IPC_RMID });
	close(fd);
}

int main(void)
{
	struct mq_backend b;

	module_load();
	if (mq_device_backend(&b))
		return 1;
	recv_t = dlsym(b.lib, "pcbmq_recv");
	send_t = dlsym(b.lib, "pcbmq_send");
	sendv = dlsym(b.lib, "pcbmq_sendv");
	recvv = dlsym(b.lib, "pcbmq_recvv");
	watch = dlsym(b.lib, "pcbmq_watch");
	if (!recv_t || !send_t || !sendv || !recvv || !watch)
		return 1;
	KSFT_CASE("timeouts", timeouts(&b));
	KSFT_CASE("poll and epoll", polling(&b));
	KSFT_CASE("batches", batches(&b));
	KSFT_CASE("batch runs", batch_runs(&b));
	KSFT_CASE("batch edges", batch_edges(&b));
	KSFT_CASE("batch run room", batch_run_room(&b));
	KSFT_CASE("spares bounded", spares_bounded(&b));
	KSFT_CASE("MSG_EXCEPT after a requeue", except_after_requeue(&b));
	KSFT_CASE("faulting hand-off", faulting_handoff(&b));
	KSFT_CASE("hand-off races", handoff_races(&b));
	KSFT_CASE("ABI edges", abi());
	mq_device_close(&b);
	module_unload();
	return ksft_exit();
}
