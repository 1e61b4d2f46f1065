/* SPDX-License-Identifier: GPL-2.0 */
/*
 * pcbbench mq's parts: the transports (mq_transport.c), P3 (mq_rtt.c), P4
 * (mq_typed.c), P5 (mq_stream.c), the suite's options (bench_mq.c) and
 * --vs, other builds of pcbstat.ko measured in the same rounds
 * (bench_mq_vs.c).
 */
#ifndef PCBBENCH_MQ_H
#define PCBBENCH_MQ_H

#include <mqueue.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

/* Rounds P4 and P5 run by default, and the A/B of --vs. */
#define MQ_TRIALS     5
#define MQ_MAX_ROUNDS 99
#define MQ_MAX_VS     4

/*
 * P3's trials per size: the kernel's queue and the device back to back in
 * each, in alternating order, so that a drifting host favours neither;
 * the figure is the median of the trials' ratios.
 */
#define P3_TRIALS      61
#define P3_ROUND_TRIPS 2000

#define MAX_TEXT  4096
#define BATCH_MAX 1024

/* What the options set for every part. */
struct mq_config {
	int batch; /* P5's device batch (both sides keep q_qbytes) */
	/*
	 * verbose: P5's CPU use per side; pin: P5's two sides on CPUs 0, 1;
	 * one_cpu: P3's two sides both on CPU 0, where a round trip is two
	 * switches and no cross-CPU wake-up, the steadier measure of
	 * per-call cost under an emulator.
	 */
	bool verbose, pin, one_cpu;
};

extern struct mq_config mq_cfg;

struct bmsg {
	long mtype;
	char text[MAX_TEXT];
};

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

/* The anchor and the device first: P3-P5 index them by bool device. */
enum {
	MQ_SYSV,
	MQ_PCBMQ,
	MQ_PIPE,
	MQ_POSIX,
	NR_TRANSPORTS
};
extern struct transport mq_transports[NR_TRANSPORTS];

/* IPC_SET of a queue's msg_qbytes, on the device or the kernel's. */
int mq_set_qbytes(bool device, int id, unsigned long qbytes);
/* The raw call: -Itools/pcbbench makes <sched.h> this directory's. */
void mq_pin_mask(unsigned long mask);
void mq_pin_to(int cpu);

/* P3: @rounds round trips per trial, @trials trials per size. */
void mq_p3(int rounds, int trials);
/* P3's median round trip in ns of the kernel's queue or the device. */
double mq_rtt(bool device, size_t len, int rounds);

/* P4, and ns per send+receive pair or per receive behind @filler. */
void mq_p4(int iters);
double mq_typed(bool device, int filler, int iters);
double mq_typed_recv(bool device, int filler, int iters);

/* P5, and its messages per second, the device in batches. */
void mq_p5(int total);
double mq_stream(bool device, int total);
double mq_solo(bool device, int total);

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

/*
 * Parts c (pairs under concurrency) and x (stress-ng through the shim),
 * bench_mq_pairs.c: their options, usage lines, and the run.
 */
int mq_pairs_set(void *ctx, const char *val);
void mq_pairs_usage(FILE *out);
int mq_pairs_parts(const char *only, int scale);
bool mq_pairs_looping(void);
int mq_pairs_loop(void);

#endif /* PCBBENCH_MQ_H */
