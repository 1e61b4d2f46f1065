// SPDX-License-Identifier: GPL-2.0
/*
 * P5, one-way streaming of 64 B messages, the device in batches
 * (--batch): messages/s of one sender process to one receiver, and of one
 * task sending a batch and then receiving it.
 */
#include <stdio.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bench_mq.h"
#include "libpcbmq.h"
#include "measure.h"

/*
 * P5's queue size for both sides, set explicitly rather than trusting that
 * kernel.msgmnb and the device's msgmnb agree: 256 messages of 64 B.
 */
#define STREAM_QBYTES 16384

/* Receives take type 1, as sysv_recv() does for direction 0. */
static int dev_sendv(int id, struct pcbmq_vec *v, int n)
{
	return pcbmq_sendv(id, v, n, 0, 0);
}

static int dev_recvv(int id, struct pcbmq_vec *v, int n)
{
	return pcbmq_recvv(id, v, n, 1, 0, 0);
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
	struct transport *t = &mq_transports[device ? MQ_PCBMQ : MQ_SYSV];
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
	if (mq_set_qbytes(device, t->id, STREAM_QBYTES)) {
		t->teardown(t);
		close(go[0]);
		close(go[1]);
		return -1;
	}
	for (i = 0; i < mq_cfg.batch; i++) {
		buf[i].mtype = 1;
		v[i] = (struct pcbmq_vec){ (uintptr_t)&buf[i], 64, 0 };
	}
	if (mq_cfg.pin)
		mq_pin_to(0);
	pid = fork();
	if (pid == 0) {
		if (mq_cfg.pin)
			mq_pin_to(1);
		/* the clock starts after fork, which is not the queue's cost */
		if (read(go[0], &c, 1) != 1)
			_exit(1);
		for (i = 0; i < total; i += n) {
			n = device ? dev_sendv(t->id, v, mq_cfg.batch)
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
		n = device ? dev_recvv(t->id, v, mq_cfg.batch)
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
	if (mq_cfg.verbose)
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
		if (dev_sendv(t->id, v, mq_cfg.batch) != mq_cfg.batch)
			return -1;
		return dev_recvv(t->id, v, mq_cfg.batch) == mq_cfg.batch ? 0
									 : -1;
	}
	for (j = 0; j < mq_cfg.batch; j++)
		if (t->send(t, 0, &buf[j], 64))
			return -1;
	for (j = 0; j < mq_cfg.batch; j++)
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
	struct transport *t = &mq_transports[device ? MQ_PCBMQ : MQ_SYSV];
	uint64_t t0;
	int i;

	if (t->setup(t))
		return -1;
	if (mq_set_qbytes(device, t->id, STREAM_QBYTES)) {
		t->teardown(t);
		return -1;
	}
	for (i = 0; i < mq_cfg.batch; i++) {
		buf[i].mtype = 1;
		v[i] = (struct pcbmq_vec){ (uintptr_t)&buf[i], 64, 0 };
	}
	t0 = now_ns();
	for (i = 0; i < total; i += mq_cfg.batch)
		if (solo_batch(t, device, buf, v))
			break;
	t0 = now_ns() - t0;
	t->teardown(t);
	return i < total ? -1 : i / (t0 / 1e9);
}

void mq_p5(int total)
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
	       MQ_TRIALS, total / MQ_TRIALS, median(k, MQ_TRIALS), mq_cfg.batch,
	       median(d, MQ_TRIALS), median(ratio, MQ_TRIALS),
	       median(ks, MQ_TRIALS), mq_cfg.batch, median(ds, MQ_TRIALS),
	       median(sratio, MQ_TRIALS));
}
