/* SPDX-License-Identifier: GPL-2.0 */
/*
 * pcbbench mq's parts shared by bench_mq.c (the suite) and bench_mq_vs.c
 * (--vs: other builds of pcbstat.ko measured in the same rounds).
 */
#ifndef PCBBENCH_MQ_H
#define PCBBENCH_MQ_H

#include <stdbool.h>
#include <stddef.h>

/* Rounds P4 and P5 run by default, and the A/B of --vs. */
#define MQ_TRIALS     5
#define MQ_MAX_ROUNDS 99
#define MQ_MAX_VS     4

/* P3's median round trip in ns of the kernel's queue or the device. */
double mq_rtt(bool device, size_t len, int rounds);
/* P5's messages per second, the device in batches (--batch). */
double mq_stream(bool device, int total);
double mq_solo(bool device, int total);
double mq_median(double *v, int n);
/* Close the device, load exactly this build of pcbstat.ko, reopen it. */
int mq_dev_use(const char *ko);

struct mq_vs {
	const char *const *ko; /* the --vs builds */
	int n;
	int rounds;
	int batch;    /* P5's device batch, for the header */
	bool one_cpu; /* P3's sides on CPU 0, for the header */
};

/* P3 and P5 for this build and each --vs build, alternated per round. */
int mq_vs_p3(const struct mq_vs *vs, int iters);
int mq_vs_p5(const struct mq_vs *vs, int total);

#endif /* PCBBENCH_MQ_H */
