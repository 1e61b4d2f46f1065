// SPDX-License-Identifier: GPL-2.0
/*
 * pcbbench mq: /dev/pcbmq against the kernel's SysV queues (the anchor),
 * pipes and POSIX mq, in the same boot.
 *   P3  ping-pong round trip, 64 B and 4 KiB: median RTT, ratio to SysV
 *       as the median of alternated trials, with its 95% interval
 *   P4  typed receive (msgtyp > 0) behind 0/1k/4k/16k non-matching
 *       messages, kernel/device speed-up: per send+receive pair, and per
 *       receive alone (the goal's measure)
 *   P5  one-way streaming of 64 B messages, device in batches of 64:
 *       messages/s, device/kernel
 * Under an emulator one measurement of either side can be off by 2x, so P4
 * and P5 run MQ_TRIALS rounds, the kernel and the device back to back in
 * each, and report the median of the per-round ratios. --vs KO measures P3
 * and P5 of other builds of pcbstat.ko in the same rounds (bench_mq_vs.c).
 * Needs root (P4 raises msg_qbytes) and pcbstat.ko loaded.
 */
#include <errno.h>
#include <fcntl.h>
#include <mqueue.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/msg.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <pcbmq.h>

#include "bench.h"
#include "bench_mq.h"
#include "measure.h"

#define MAX_TEXT  4096
#define BATCH_MAX 1024

/* P5's device batch; --batch N changes it (both sides keep q_qbytes). */
static int batch = 64;
/*
 * --verbose: P5's CPU use per side; --pin: P5's two sides on CPUs 0, 1;
 * --one-cpu: P3's two sides both on CPU 0, where a round trip is two
 * switches and no cross-CPU wake-up, the steadier measure of per-call
 * cost under an emulator.
 */
static bool verbose, pin, one_cpu;

struct bmsg {
	long mtype;
	char text[MAX_TEXT];
};

static int dev_fd = -1;

/* One transport: both directions of a ping-pong, or one of a stream. */
struct transport {
	const char *name;
	int (*setup)(struct transport *t);
	int (*send)(struct transport *t, int dir, struct bmsg *m, size_t len);
	int (*recv)(struct transport *t, int dir, struct bmsg *m, size_t len);
	void (*teardown)(struct transport *t);
	int id;
	int fds[2][2];
	mqd_t mq[2];
	char mq_name[2][32];
};

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

static int dev_get(void)
{
	struct pcbmq_get g = { .size = sizeof(g),
			       .key = IPC_PRIVATE,
			       .msgflg = 0600 };

	return ioctl(dev_fd, PCBMQ_IOC_GET, &g);
}

static int dev_ctl(int id, int cmd, struct msqid_ds *ds)
{
	struct pcbmq_ctl c = {
		.size = sizeof(c), .msqid = id, .cmd = cmd, .buf = (uintptr_t)ds
	};

	return ioctl(dev_fd, PCBMQ_IOC_CTL, &c);
}

static int dev_setup(struct transport *t)
{
	t->id = dev_get();
	return t->id < 0 ? -1 : 0;
}

static int dev_send(struct transport *t, int dir, struct bmsg *m, size_t len)
{
	struct pcbmq_snd s = { .size = sizeof(s),
			       .msqid = t->id,
			       .msgp = (uintptr_t)m,
			       .msgsz = len };

	m->mtype = 1 + dir;
	return ioctl(dev_fd, PCBMQ_IOC_SND, &s);
}

static int dev_recv(struct transport *t, int dir, struct bmsg *m, size_t len)
{
	struct pcbmq_rcv r = { .size = sizeof(r),
			       .msqid = t->id,
			       .msgp = (uintptr_t)m,
			       .msgsz = len,
			       .msgtyp = 1 + dir };

	return ioctl(dev_fd, PCBMQ_IOC_RCV, &r) < 0 ? -1 : 0;
}

static void dev_teardown(struct transport *t)
{
	dev_ctl(t->id, IPC_RMID, NULL);
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

static struct transport transports[] = {
	{ .name = "sysv",
	  .setup = sysv_setup,
	  .send = sysv_send,
	  .recv = sysv_recv,
	  .teardown = sysv_teardown },
	{ .name = "pcbmq",
	  .setup = dev_setup,
	  .send = dev_send,
	  .recv = dev_recv,
	  .teardown = dev_teardown },
	{ .name = "pipe",
	  .setup = pipe_setup,
	  .send = pipe_send,
	  .recv = pipe_recv,
	  .teardown = pipe_teardown },
	{ .name = "posix-mq",
	  .setup = posix_setup,
	  .send = posix_send,
	  .recv = posix_recv,
	  .teardown = posix_teardown },
};

/* The raw call: -Itools/pcbbench makes <sched.h> this directory's. */
static void pin_mask(unsigned long mask)
{
	syscall(SYS_sched_setaffinity, 0, sizeof(mask), &mask);
}

static void pin_to(int cpu)
{
	pin_mask(1UL << cpu);
}

/* Median round trip in ns, or < 0 if the transport failed. */
static double pingpong(struct transport *t, size_t len, int rounds)
{
	static struct bmsg m;
	double *rtt = calloc(rounds, sizeof(*rtt));
	struct summary s;
	pid_t pid;
	int i;

	if (!rtt || t->setup(t))
		return -1;
	if (one_cpu)
		pin_to(0);
	pid = fork();
	if (pid == 0) {
		for (i = 0; i < rounds; i++)
			if (t->recv(t, 0, &m, len) || t->send(t, 1, &m, len))
				_exit(1);
		_exit(0);
	}
	for (i = 0; i < rounds; i++) {
		uint64_t t0 = now_ns();

		if (t->send(t, 0, &m, len) || t->recv(t, 1, &m, len))
			break;
		rtt[i] = now_ns() - t0;
	}
	waitpid(pid, NULL, 0);
	if (one_cpu)
		pin_mask(~0UL);
	t->teardown(t);
	if (i < rounds) {
		free(rtt);
		return -1;
	}
	summarize(rtt, rounds, &s);
	free(rtt);
	return s.p50;
}

double mq_rtt(bool device, size_t len, int rounds)
{
	return pingpong(&transports[device ? 1 : 0], len, rounds);
}

/*
 * P3's trials per size: the kernel's queue and the device back to back in
 * each, in alternating order, so that a drifting host favours neither;
 * the figure is the median of the trials' ratios.
 */
#define P3_TRIALS      61
#define P3_ROUND_TRIPS 2000
#define P3_GOAL	       1.05

/* The trials' ratios of device to kernel RTT: median and its 95% CI. */
static int p3_trials(size_t len, int per, int trials, double *sysv, double *dev,
		     double *ratio, double *lo, double *hi)
{
	double k[MQ_MAX_ROUNDS], d[MQ_MAX_ROUNDS], r[MQ_MAX_ROUNDS];
	struct summary s;
	int i, j;

	for (i = 0; i < trials; i++) {
		for (j = 0; j < 2; j++) {
			bool device = j ^ (i & 1);
			double v = pingpong(&transports[device], len, per);

			if (v <= 0)
				return -1;
			*(device ? &d[i] : &k[i]) = v;
		}
		r[i] = d[i] / k[i];
	}
	summarize(r, trials, &s);
	median_ci95(r, trials, lo, hi);
	*ratio = s.p50;
	*sysv = mq_median(k, trials);
	*dev = mq_median(d, trials);
	return 0;
}

/* @rounds: round trips of a trial, and of the other transports' run. */
static void p3(int rounds, int trials)
{
	static const size_t sizes[] = { 64, 4096 };
	double anchor, dev, ratio, lo, hi, v;
	size_t i, j;

	printf("P3 ping-pong RTT%s: sysv and pcbmq in %d alternated trials of "
	       "%d round trips,\n  the others in one run of %d (medians; "
	       "ratio: / sysv, lower is better)\n",
	       one_cpu ? " on CPU 0" : "", trials, rounds, rounds);
	for (i = 0; i < 2; i++) {
		if (p3_trials(sizes[i], rounds, trials, &anchor, &dev, &ratio,
			      &lo, &hi)) {
			printf("  %5zu B  a trial failed\n", sizes[i]);
			continue;
		}
		printf("  %5zu B  %-9s %9.2f us\n", sizes[i],
		       transports[0].name, anchor / 1000);
		printf("  %5zu B  %-9s %9.2f us  %6.3fx (95%% CI %.3f-%.3f): "
		       "goal <= %.2f %s\n",
		       sizes[i], transports[1].name, dev / 1000, ratio, lo, hi,
		       P3_GOAL, verdict_at_most(lo, hi, P3_GOAL));
		for (j = 2; j < sizeof(transports) / sizeof(transports[0]);
		     j++) {
			v = pingpong(&transports[j], sizes[i], rounds);
			printf("  %5zu B  %-9s %9.2f us  %6.3fx\n", sizes[i],
			       transports[j].name, v / 1000, v / anchor);
		}
	}
}

/*
 * P5's queue size for both sides, set explicitly rather than trusting that
 * kernel.msgmnb and the device's msgmnb agree: 256 messages of 64 B.
 */
#define STREAM_QBYTES 16384

static int set_qbytes(bool device, int id, unsigned long qbytes)
{
	struct msqid_ds ds;

	if (device ? dev_ctl(id, IPC_STAT, &ds)
		   : syscall(SYS_msgctl, id, IPC_STAT, &ds))
		return -1;
	ds.msg_qbytes = qbytes;
	return device ? dev_ctl(id, IPC_SET, &ds)
		      : syscall(SYS_msgctl, id, IPC_SET, &ds);
}

/* The block of type-1 messages a receive-only round queues, then takes. */
#define RECV_BLOCK 50

static struct transport *typed_setup(bool device, int filler)
{
	struct transport *t = &transports[device ? 1 : 0];
	static struct bmsg m;
	int i;

	if (t->setup(t))
		return NULL;
	if (set_qbytes(device, t->id, 1 << 20))
		goto err_teardown;
	for (i = 0; i < filler; i++)
		if (t->send(t, 1, &m, 0))
			goto err_teardown;
	return t;

err_teardown:
	t->teardown(t);
	return NULL;
}

/* ns per (send type 1 + receive type 1) behind @filler type-2 messages. */
static double typed(bool device, int filler, int iters)
{
	struct transport *t = typed_setup(device, filler);
	static struct bmsg m;
	uint64_t t0;
	int i;

	if (!t)
		return -1;
	t0 = now_ns();
	for (i = 0; i < iters; i++)
		if (t->send(t, 0, &m, 0) || t->recv(t, 0, &m, 0))
			break;
	t0 = now_ns() - t0;
	t->teardown(t);
	return i < iters ? -1 : (double)t0 / iters;
}

/* Anything but the fillers' type 2, i.e. the oldest type-1 message. */
static int except_recv(struct transport *t, int dir, struct bmsg *m, size_t len)
{
	struct pcbmq_rcv r = { .size = sizeof(r),
			       .msqid = t->id,
			       .msgp = (uintptr_t)m,
			       .msgsz = len,
			       .msgtyp = 2 + dir,
			       .msgflg = MSG_EXCEPT };
	long ret;

	if (t == &transports[1])
		ret = ioctl(dev_fd, PCBMQ_IOC_RCV, &r);
	else
		ret = syscall(SYS_msgrcv, t->id, m, len, 2 + dir, MSG_EXCEPT);
	return ret < 0 ? -1 : 0;
}

/*
 * ns per receive of a type-1 message behind @filler type-2 messages, by
 * @recv: a block of RECV_BLOCK type-1 messages is queued behind the
 * fillers off the clock, then only the receives are timed.
 */
static double recv_behind(bool device, int filler, int iters,
			  int (*recv)(struct transport *, int, struct bmsg *,
				      size_t))
{
	struct transport *t = typed_setup(device, filler);
	static struct bmsg m;
	uint64_t t0, total = 0;
	int i, j;

	if (!t)
		return -1;
	for (i = 0; i < iters; i += RECV_BLOCK) {
		for (j = 0; j < RECV_BLOCK; j++)
			if (t->send(t, 0, &m, 0))
				goto out;
		t0 = now_ns();
		for (j = 0; j < RECV_BLOCK; j++)
			if (recv(t, 0, &m, 0))
				goto out;
		total += now_ns() - t0;
	}
out:
	t->teardown(t);
	return i < iters ? -1 : (double)total / i;
}

/* msgtyp 1: the goal's measure. */
static double typed_recv(bool device, int filler, int iters)
{
	return recv_behind(device, filler, iters,
			   transports[device ? 1 : 0].recv);
}

double mq_median(double *v, int n)
{
	struct summary s;

	summarize(v, n, &s);
	return s.p50;
}

static void p4(int iters)
{
	static const int fillers[] = { 0, 1000, 4000, 16000 };
	double k[MQ_TRIALS], d[MQ_TRIALS], ratio[MQ_TRIALS];
	double kr[MQ_TRIALS], dr[MQ_TRIALS], rratio[MQ_TRIALS];
	size_t i;
	int r;

	printf("P4 typed receive behind non-matching messages (speed-up: "
	       "sysv / pcbmq, median of %d rounds)\n"
	       "  pair: send+receive timed together; recv: the receive "
	       "alone, the goal's measure\n",
	       MQ_TRIALS);
	for (i = 0; i < 4; i++) {
		for (r = 0; r < MQ_TRIALS; r++) {
			k[r] = typed(false, fillers[i], iters);
			d[r] = typed(true, fillers[i], iters);
			ratio[r] = k[r] / d[r];
			kr[r] = typed_recv(false, fillers[i], iters);
			dr[r] = typed_recv(true, fillers[i], iters);
			rratio[r] = kr[r] / dr[r];
		}
		printf("  %6d queued  pair: sysv %9.2f us  pcbmq %7.2f us  "
		       "%7.1fx  recv: sysv %9.2f us  pcbmq %7.2f us  %7.1fx\n",
		       fillers[i], mq_median(k, MQ_TRIALS) / 1000,
		       mq_median(d, MQ_TRIALS) / 1000,
		       mq_median(ratio, MQ_TRIALS),
		       mq_median(kr, MQ_TRIALS) / 1000,
		       mq_median(dr, MQ_TRIALS) / 1000,
		       mq_median(rratio, MQ_TRIALS));
	}
	for (r = 0; r < MQ_TRIALS; r++) {
		kr[r] = recv_behind(false, 16000, iters, except_recv);
		dr[r] = recv_behind(true, 16000, iters, except_recv);
		rratio[r] = kr[r] / dr[r];
	}
	printf("  %6d queued  MSG_EXCEPT of their type, recv: sysv %9.2f us  "
	       "pcbmq %7.2f us  %7.1fx\n",
	       16000, mq_median(kr, MQ_TRIALS) / 1000,
	       mq_median(dr, MQ_TRIALS) / 1000, mq_median(rratio, MQ_TRIALS));
}

/* Receives take type 1, as sysv_recv() does for direction 0. */
static int dev_batch(unsigned long cmd, int id, struct pcbmq_vec *v, int n)
{
	struct pcbmq_batch b = { .size = sizeof(b),
				 .msqid = id,
				 .vec = (uintptr_t)v,
				 .count = n,
				 .msgtyp = 1 };

	return ioctl(dev_fd, cmd, &b);
}

static double cpu_s(const struct rusage *ru)
{
	return ru->ru_utime.tv_sec + ru->ru_stime.tv_sec +
	       (ru->ru_utime.tv_usec + ru->ru_stime.tv_usec) / 1e6;
}

/* Messages per second, one sender process to one receiver. */
double mq_stream(bool device, int total)
{
	struct rusage ru0, ru1, child;
	static struct bmsg buf[BATCH_MAX];
	static struct pcbmq_vec v[BATCH_MAX];
	struct transport *t = &transports[device ? 1 : 0];
	int i, n, go[2];
	uint64_t t0;
	pid_t pid;
	char c;

	if (pipe(go))
		return -1;
	if (t->setup(t)) {
		close(go[0]);
		close(go[1]);
		return -1;
	}
	if (set_qbytes(device, t->id, STREAM_QBYTES)) {
		t->teardown(t);
		close(go[0]);
		close(go[1]);
		return -1;
	}
	for (i = 0; i < batch; i++) {
		buf[i].mtype = 1;
		v[i] = (struct pcbmq_vec){ (uintptr_t)&buf[i], 64, 0 };
	}
	if (pin)
		pin_to(0);
	pid = fork();
	if (pid == 0) {
		if (pin)
			pin_to(1);
		/* the clock starts after fork, which is not the queue's cost */
		if (read(go[0], &c, 1) != 1)
			_exit(1);
		for (i = 0; i < total; i += n) {
			n = device ? dev_batch(PCBMQ_IOC_SNDV, t->id, v, batch)
				   : !t->send(t, 0, &buf[0], 64);
			if (n <= 0)
				_exit(1);
		}
		_exit(0);
	}
	getrusage(RUSAGE_SELF, &ru0);
	t0 = now_ns();
	i = write(go[1], "g", 1) == 1 ? 0 : total;
	for (; i < total; i += n) {
		n = device ? dev_batch(PCBMQ_IOC_RCVV, t->id, v, batch)
			   : !t->recv(t, 0, &buf[0], 64);
		if (n <= 0)
			break;
	}
	t0 = now_ns() - t0;
	getrusage(RUSAGE_SELF, &ru1);
	close(go[1]);
	close(go[0]);
	wait4(pid, NULL, 0, &child);
	t->teardown(t);
	if (verbose)
		printf("    %-5s %9.0f msg/s  CPU: receiver %3.0f%%  sender "
		       "%3.0f%%  sleeps per 1k msgs: receiver %5.1f  sender "
		       "%5.1f\n",
		       t->name, total / (t0 / 1e9),
		       (cpu_s(&ru1) - cpu_s(&ru0)) * 1e11 / t0,
		       cpu_s(&child) * 1e11 / t0,
		       (ru1.ru_nvcsw - ru0.ru_nvcsw) * 1e3 / total,
		       child.ru_nvcsw * 1e3 / total);
	return i < total ? -1 : total / (t0 / 1e9);
}

/* One batch of 64 B type-1 messages sent, then received, by one task. */
static int solo_batch(struct transport *t, bool device, struct bmsg *buf,
		      struct pcbmq_vec *v)
{
	int j;

	if (device) {
		if (dev_batch(PCBMQ_IOC_SNDV, t->id, v, batch) != batch)
			return -1;
		return dev_batch(PCBMQ_IOC_RCVV, t->id, v, batch) == batch ? 0
									   : -1;
	}
	for (j = 0; j < batch; j++)
		if (t->send(t, 0, &buf[j], 64))
			return -1;
	for (j = 0; j < batch; j++)
		if (t->recv(t, 0, &buf[j], 64))
			return -1;
	return 0;
}

/*
 * Messages per second through one task that sends a batch and then
 * receives it: the calls' own cost per message, without the wake-ups
 * and CPU placement that make the two-task stream vary so much under
 * TCG.
 */
double mq_solo(bool device, int total)
{
	static struct bmsg buf[BATCH_MAX];
	static struct pcbmq_vec v[BATCH_MAX];
	struct transport *t = &transports[device ? 1 : 0];
	uint64_t t0;
	int i;

	if (t->setup(t))
		return -1;
	if (set_qbytes(device, t->id, STREAM_QBYTES)) {
		t->teardown(t);
		return -1;
	}
	for (i = 0; i < batch; i++) {
		buf[i].mtype = 1;
		v[i] = (struct pcbmq_vec){ (uintptr_t)&buf[i], 64, 0 };
	}
	t0 = now_ns();
	for (i = 0; i < total; i += batch)
		if (solo_batch(t, device, buf, v))
			break;
	t0 = now_ns() - t0;
	t->teardown(t);
	return i < total ? -1 : i / (t0 / 1e9);
}

static void p5(int total)
{
	double k[MQ_TRIALS], d[MQ_TRIALS], ratio[MQ_TRIALS];
	double ks[MQ_TRIALS], ds[MQ_TRIALS], sratio[MQ_TRIALS];
	int r;

	for (r = 0; r < MQ_TRIALS; r++) {
		k[r] = mq_stream(false, total / MQ_TRIALS);
		d[r] = mq_stream(true, total / MQ_TRIALS);
		ratio[r] = d[r] / k[r];
		ks[r] = mq_solo(false, total / MQ_TRIALS);
		ds[r] = mq_solo(true, total / MQ_TRIALS);
		sratio[r] = ds[r] / ks[r];
	}
	printf("P5 streaming 64 B messages, %d rounds of %d\n"
	       "  sysv %10.0f msg/s  pcbmq (batch %d) %10.0f msg/s  %6.2fx\n"
	       "  one task sending a batch, then receiving it:\n"
	       "  sysv %10.0f msg/s  pcbmq (batch %d) %10.0f msg/s  %6.2fx\n",
	       MQ_TRIALS, total / MQ_TRIALS, mq_median(k, MQ_TRIALS), batch,
	       mq_median(d, MQ_TRIALS), mq_median(ratio, MQ_TRIALS),
	       mq_median(ks, MQ_TRIALS), batch, mq_median(ds, MQ_TRIALS),
	       mq_median(sratio, MQ_TRIALS));
}

/* Close the device, load exactly @ko (rmmod first if another), reopen. */
int mq_dev_use(const char *ko)
{
	if (dev_fd >= 0)
		close(dev_fd);
	dev_fd = -1;
	if (module_use(ko)) {
		fprintf(stderr, "pcbbench mq: cannot load %s\n", ko);
		return -1;
	}
	dev_fd = open(PCBMQ_DEVICE, O_RDWR);
	if (dev_fd < 0) {
		fprintf(stderr, "pcbbench mq: %s: %s (%s)\n", PCBMQ_DEVICE,
			strerror(errno), ko);
		return -1;
	}
	return 0;
}

static void mq_usage(FILE *out)
{
	fprintf(out,
		"usage: pcbbench mq [--quick] [--only 345] [--batch N] [--pin]\n"
		"       [--one-cpu] [--verbose] [--vs KO]... [--rounds N]\n"
		"       [--loop-typed N [--filler F] [--sysv] [--recv]]\n"
		"       [--loop-stream N [--sysv]]\n"
		"  P3 ping-pong RTT, P4 typed receive, P5 batch streaming; "
		"needs root and pcbstat.ko\n"
		"  --only: the parts to run (default 345)\n"
		"  --batch: P5's device batch (default 64)\n"
		"  --pin: P5's receiver on CPU 0, sender on 1\n"
		"  --one-cpu: P3's two sides both on CPU 0\n"
		"  --verbose: P5's CPU use per round\n"
		"  --vs KO: P3 and P5 also for this other build of pcbstat.ko "
		"(up to %d),\n"
		"    builds alternated per round, each against the sysv anchor "
		"of its turn;\n"
		"    a build of another commit, from the checkout's top:\n"
		"      mkdir -p build/vs/main && git archive main | tar -x -C "
		"build/vs/main\n"
		"      make -C build/vs/main module   # then --vs "
		"build/vs/main/module/pcbstat.ko\n"
		"    (the path must be inside the checkout for the VM to see "
		"it)\n"
		"  --rounds N: P3's trials (default %d), or rounds of the --vs "
		"comparison\n    (default %d); at most %d\n"
		"  --loop-typed: only N device send+receive pairs of P4 behind "
		"F queued (for perf),\n"
		"  the kernel's with --sysv, the receives alone with --recv\n"
		"  --loop-stream: only one P5 stream of N messages (for perf), "
		"the kernel's\n  with --sysv\n",
		MQ_MAX_VS, P3_TRIALS, MQ_TRIALS, MQ_MAX_ROUNDS);
}

struct mq_opts {
	int scale, loop, filler, loop_stream;
	int p3_trials; /* --rounds without --vs */
	bool loop_sysv, loop_recv;
	const char *only;
	const char *vs_ko[MQ_MAX_VS];
	struct mq_vs vs;
};

/* An option that takes a value; -1 on a bad one. */
static int mq_opt_value(struct mq_opts *o, const char *opt, const char *val)
{
	if (!strcmp(opt, "--only")) {
		o->only = val;
	} else if (!strcmp(opt, "--batch")) {
		batch = atoi(val);
		if (batch < 1 || batch > BATCH_MAX)
			return -1;
	} else if (!strcmp(opt, "--loop-typed")) {
		o->loop = atoi(val);
	} else if (!strcmp(opt, "--loop-stream")) {
		o->loop_stream = atoi(val);
	} else if (!strcmp(opt, "--filler")) {
		o->filler = atoi(val);
	} else if (!strcmp(opt, "--vs") && o->vs.n < MQ_MAX_VS) {
		o->vs_ko[o->vs.n++] = val;
	} else if (!strcmp(opt, "--rounds")) {
		o->vs.rounds = atoi(val);
		if (o->vs.rounds < 1 || o->vs.rounds > MQ_MAX_ROUNDS)
			return -1;
		o->p3_trials = o->vs.rounds;
	} else {
		return -1;
	}
	return 0;
}

static int mq_opt_flag(struct mq_opts *o, const char *opt)
{
	if (!strcmp(opt, "--quick"))
		o->scale = 10;
	else if (!strcmp(opt, "--verbose"))
		verbose = true;
	else if (!strcmp(opt, "--pin"))
		pin = true;
	else if (!strcmp(opt, "--one-cpu"))
		one_cpu = true;
	else if (!strcmp(opt, "--sysv"))
		o->loop_sysv = true;
	else if (!strcmp(opt, "--recv"))
		o->loop_recv = true;
	else
		return -1;
	return 0;
}

/* 0 to run, 1 after --help, 2 on bad usage. */
static int mq_parse(struct mq_opts *o, int argc, char **argv)
{
	int i;

	*o = (struct mq_opts){ .scale = 1,
			       .only = "345",
			       .p3_trials = P3_TRIALS };
	o->vs = (struct mq_vs){ .ko = o->vs_ko, .rounds = MQ_TRIALS };
	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--help")) {
			mq_usage(stdout);
			return 1;
		}
		if (!mq_opt_flag(o, argv[i]))
			continue;
		if (i + 1 < argc && !mq_opt_value(o, argv[i], argv[i + 1])) {
			i++;
			continue;
		}
		fprintf(stderr, "pcbbench mq: bad option %s\n", argv[i]);
		mq_usage(stderr);
		return 2;
	}
	o->vs.batch = batch;
	o->vs.one_cpu = one_cpu;
	return 0;
}

static void mq_loop(const struct mq_opts *o)
{
	printf("P4 loop: %s %.2f us per %s, %d queued\n",
	       o->loop_sysv ? "sysv" : "pcbmq",
	       (o->loop_recv ? typed_recv : typed)(!o->loop_sysv, o->filler,
						   o->loop) /
		       1000,
	       o->loop_recv ? "receive" : "send+receive", o->filler);
}

/* With --vs, P3 and P5 run as an A/B of builds; P4 on this build. */
static int mq_parts(const struct mq_opts *o)
{
	bool vs = o->vs.n > 0;

	if (strchr(o->only, '3')) {
		if (!vs)
			p3(P3_ROUND_TRIPS / o->scale, o->p3_trials);
		else if (mq_vs_p3(&o->vs, 20000 / o->scale) ||
			 mq_dev_use(module_path()))
			return 1;
	}
	if (strchr(o->only, '4'))
		p4(1000 / o->scale);
	if (strchr(o->only, '5')) {
		if (!vs)
			p5(200000 / o->scale);
		else if (mq_vs_p5(&o->vs, 200000 / o->scale) ||
			 mq_dev_use(module_path()))
			return 1;
	}
	return 0;
}

int bench_mq_run(int argc, char **argv)
{
	struct mq_opts o;
	int was_loaded, rc;

	rc = mq_parse(&o, argc, argv);
	if (rc)
		return rc == 1 ? 0 : rc;
	/* Load the module only if we must, and leave things as we found them. */
	was_loaded = module_is_loaded();
	if (module_set(1)) {
		fprintf(stderr, "pcbbench mq: cannot load pcbstat.ko\n");
		return 1;
	}
	dev_fd = open(PCBMQ_DEVICE, O_RDWR);
	if (dev_fd < 0) {
		module_set(was_loaded);
		fprintf(stderr, "pcbbench mq: %s: %s (load pcbstat.ko)\n",
			PCBMQ_DEVICE, strerror(errno));
		return 1;
	}
	rc = 0;
	if (o.loop_stream > 0)
		printf("P5 loop: %s %.0f msg/s\n",
		       o.loop_sysv ? "sysv" : "pcbmq",
		       mq_stream(!o.loop_sysv, o.loop_stream));
	else if (o.loop > 0)
		mq_loop(&o);
	else
		rc = mq_parts(&o);
	if (dev_fd >= 0)
		close(dev_fd);
	module_set(was_loaded);
	return rc;
}
