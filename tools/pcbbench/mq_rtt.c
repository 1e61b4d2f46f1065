// SPDX-License-Identifier: GPL-2.0
/*
 * P3, ping-pong round trip of 64 B and 4 KiB messages: each transport's
 * median RTT; the device's ratio to the kernel's queue is the median of
 * alternated trials, with its 95% interval and a verdict on the goal.
 */
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bench_mq.h"
#include "measure.h"

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
	if (mq_cfg.one_cpu)
		mq_pin_to(0);
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
	if (mq_cfg.one_cpu)
		mq_pin_mask(~0UL);
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
	return pingpong(&mq_transports[device ? MQ_PCBMQ : MQ_SYSV], len,
			rounds);
}

#define P3_GOAL 1.05

/* The trials' ratios of device to kernel RTT: median and its 95% CI. */
static int p3_trials(size_t len, int per, int trials, double *sysv, double *dev,
		     double *ratio, double *lo, double *hi)
{
	double k[MQ_MAX_ROUNDS], d[MQ_MAX_ROUNDS], r[MQ_MAX_ROUNDS];
	int i, j;

	for (i = 0; i < trials; i++) {
		for (j = 0; j < 2; j++) {
			bool device = j ^ (i & 1);
			double v = pingpong(&mq_transports[device], len, per);

			if (v <= 0)
				return -1;
			*(device ? &d[i] : &k[i]) = v;
		}
		r[i] = d[i] / k[i];
	}
	*ratio = median_ci95_of(r, trials, lo, hi);
	*sysv = median(k, trials);
	*dev = median(d, trials);
	return 0;
}

/* @rounds: round trips of a trial, and of the other transports' run. */
void mq_p3(int rounds, int trials)
{
	static const size_t sizes[] = { 64, 4096 };
	double anchor, dev, ratio, lo, hi, v;
	size_t i, j;

	printf("P3 ping-pong RTT%s: sysv and pcbmq in %d alternated trials of "
	       "%d round trips,\n  the others in one run of %d (medians; "
	       "ratio: / sysv, lower is better)\n",
	       mq_cfg.one_cpu ? " on CPU 0" : "", trials, rounds, rounds);
	for (i = 0; i < 2; i++) {
		if (p3_trials(sizes[i], rounds, trials, &anchor, &dev, &ratio,
			      &lo, &hi)) {
			printf("  %5zu B  a trial failed\n", sizes[i]);
			continue;
		}
		printf("  %5zu B  %-9s %9.2f us\n", sizes[i],
		       mq_transports[0].name, anchor / 1000);
		printf("  %5zu B  %-9s %9.2f us  %6.3fx (95%% CI %.3f-%.3f): "
		       "goal <= %.2f %s\n",
		       sizes[i], mq_transports[1].name, dev / 1000, ratio, lo,
		       hi, P3_GOAL, verdict_at_most(lo, hi, P3_GOAL));
		for (j = MQ_PIPE; j < NR_TRANSPORTS; j++) {
			v = pingpong(&mq_transports[j], sizes[i], rounds);
			printf("  %5zu B  %-9s %9.2f us  %6.3fx\n", sizes[i],
			       mq_transports[j].name, v / 1000, v / anchor);
		}
	}
}
