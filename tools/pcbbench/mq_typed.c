// SPDX-License-Identifier: GPL-2.0
/*
 * P4, typed receive (msgtyp > 0) behind 0/1k/4k/16k non-matching
 * messages: kernel/device speed-up per send+receive pair, and per receive
 * alone (the goal's measure), and MSG_EXCEPT behind 16k.
 */
#include <stdio.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "bench_mq.h"
#include "libpcbmq.h"
#include "measure.h"

/* The block of type-1 messages a receive-only round queues, then takes. */
#define RECV_BLOCK 50

static struct transport *typed_setup(bool device, int filler)
{
	struct transport *t = &mq_transports[device ? MQ_PCBMQ : MQ_SYSV];
	static struct bmsg m;
	int i;

	if (t->setup(t))
		return NULL;
	if (mq_set_qbytes(device, t->id, 1 << 20))
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
double mq_typed(bool device, int filler, int iters)
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
	long ret;

	if (t == &mq_transports[MQ_PCBMQ])
		ret = pcbmq_recv(t->id, m, len, 2 + dir, MSG_EXCEPT, 0);
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
double mq_typed_recv(bool device, int filler, int iters)
{
	return recv_behind(device, filler, iters,
			   mq_transports[device ? MQ_PCBMQ : MQ_SYSV].recv);
}

void mq_p4(int iters)
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
			k[r] = mq_typed(false, fillers[i], iters);
			d[r] = mq_typed(true, fillers[i], iters);
			ratio[r] = k[r] / d[r];
			kr[r] = mq_typed_recv(false, fillers[i], iters);
			dr[r] = mq_typed_recv(true, fillers[i], iters);
			rratio[r] = kr[r] / dr[r];
		}
		printf("  %6d queued  pair: sysv %9.2f us  pcbmq %7.2f us  "
		       "%7.1fx  recv: sysv %9.2f us  pcbmq %7.2f us  %7.1fx\n",
		       fillers[i], median(k, MQ_TRIALS) / 1000,
		       median(d, MQ_TRIALS) / 1000, median(ratio, MQ_TRIALS),
		       median(kr, MQ_TRIALS) / 1000,
		       median(dr, MQ_TRIALS) / 1000, median(rratio, MQ_TRIALS));
	}
	for (r = 0; r < MQ_TRIALS; r++) {
		kr[r] = recv_behind(false, 16000, iters, except_recv);
		dr[r] = recv_behind(true, 16000, iters, except_recv);
		rratio[r] = kr[r] / dr[r];
	}
	printf("  %6d queued  MSG_EXCEPT of their type, recv: sysv %9.2f us  "
	       "pcbmq %7.2f us  %7.1fx\n",
	       16000, median(kr, MQ_TRIALS) / 1000,
	       median(dr, MQ_TRIALS) / 1000, median(rratio, MQ_TRIALS));
}
