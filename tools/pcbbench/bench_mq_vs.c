// SPDX-License-Identifier: GPL-2.0
/*
 * pcbbench mq --vs KO: P3 and P5 for this build of pcbstat.ko and other
 * builds of it, in one boot (an A/B of module changes).
 *
 * Both run in rounds. A round measures every build once, in an order that
 * starts at a different build each round and reverses every other round,
 * so no build keeps its place or its neighbour on a drifting host. A
 * build's turn loads it, then measures the kernel's queue (the anchor) and
 * the device back to back, device first in odd rounds, and its ratio for
 * the round is to that anchor. A row per build gives the medians of its
 * times and of its per-round ratios, and the ratios' range.
 */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "bench.h"
#include "bench_mq.h"
#include "measure.h"

/* One build's samples of the part being measured, per round. */
struct vs_build {
	const char *ko;
	double anchor[MQ_MAX_ROUNDS];
	double dev[MQ_MAX_ROUNDS];
};

/* What a turn measures: P3 at one size, or P5. */
struct vs_part {
	double (*measure)(bool device, size_t size, int iters);
	size_t size;
	int iters;
};

static struct vs_build builds[1 + MQ_MAX_VS];

static int vs_builds(const struct mq_vs *vs)
{
	int i;

	builds[0].ko = module_path();
	for (i = 0; i < vs->n; i++)
		builds[1 + i].ko = vs->ko[i];
	return 1 + vs->n;
}

/* The build taking turn k of round r: A B, B A, A B... for two. */
static int vs_order(int r, int k, int n)
{
	return (r & 1) ? ((r - k) % n + n) % n : (r + k) % n;
}

static int vs_turn(struct vs_build *b, const struct vs_part *p, int r)
{
	int k;

	if (mq_dev_use(b->ko))
		return -1;
	for (k = 0; k < 2; k++) {
		bool device = k ^ (r & 1);
		double v = p->measure(device, p->size, p->iters);

		if (v <= 0) {
			fprintf(stderr,
				"pcbbench mq: round %d: %s failed (%s)\n", r,
				device ? "pcbmq" : "sysv", b->ko);
			return -1;
		}
		if (device)
			b->dev[r] = v;
		else
			b->anchor[r] = v;
	}
	return 0;
}

static int vs_run(const struct mq_vs *vs, const struct vs_part *p)
{
	int n = vs_builds(vs), r, k;

	for (r = 0; r < vs->rounds; r++)
		for (k = 0; k < n; k++)
			if (vs_turn(&builds[vs_order(r, k, n)], p, r))
				return -1;
	return 0;
}

static double vs_p50(const double *v, int n)
{
	double tmp[MQ_MAX_ROUNDS];

	memcpy(tmp, v, n * sizeof(*v));
	return median(tmp, n);
}

/* @scale and @unit turn a sample into what the row prints. */
static void vs_report(const struct mq_vs *vs, const char *label, double scale,
		      const char *unit)
{
	double ratio[MQ_MAX_ROUNDS];
	const struct vs_build *b;
	struct summary s;
	int i, r;

	for (i = 0; i <= vs->n; i++) {
		b = &builds[i];
		for (r = 0; r < vs->rounds; r++)
			ratio[r] = b->dev[r] / b->anchor[r];
		summarize(ratio, vs->rounds, &s);
		printf("  %-8s sysv %9.2f %s  pcbmq %9.2f %s  ratio %6.3f "
		       "(min %.3f, max %.3f)  %s%s\n",
		       label, vs_p50(b->anchor, vs->rounds) * scale, unit,
		       vs_p50(b->dev, vs->rounds) * scale, unit, s.p50, s.min,
		       s.max, b->ko, i ? "" : " (this build)");
	}
}

static double vs_rtt(bool device, size_t size, int iters)
{
	return mq_rtt(device, size, iters);
}

int mq_vs_p3(const struct mq_vs *vs, int iters)
{
	static const size_t sizes[] = { 64, 4096 };
	char label[16];
	size_t i;

	printf("P3 ping-pong RTT%s, %d builds alternated over %d rounds: "
	       "medians (of %d round trips per run, then of the rounds; "
	       "ratio: / the round's sysv, lower is better)\n",
	       vs->one_cpu ? " on CPU 0" : "", 1 + vs->n, vs->rounds, iters);
	for (i = 0; i < 2; i++) {
		struct vs_part p = { vs_rtt, sizes[i], iters };

		if (vs_run(vs, &p))
			return -1;
		snprintf(label, sizeof(label), "%zu B", sizes[i]);
		vs_report(vs, label, 1e-3, "us");
	}
	return 0;
}

static double vs_stream(bool device, size_t size, int iters)
{
	return mq_stream(device, iters);
}

static double vs_solo(bool device, size_t size, int iters)
{
	return mq_solo(device, iters);
}

int mq_vs_p5(const struct mq_vs *vs, int total)
{
	struct vs_part p = { vs_stream, 64, total / vs->rounds };
	struct vs_part one = { vs_solo, 64, total / vs->rounds };

	printf("P5 streaming 64 B messages, pcbmq in batches of %d, %d builds "
	       "alternated over %d rounds of %d: medians (ratio: / the "
	       "round's sysv, higher is better)\n",
	       vs->batch, 1 + vs->n, vs->rounds, p.iters);
	if (vs_run(vs, &p))
		return -1;
	vs_report(vs, "stream", 1e-3, "kmsg/s");
	/* The calls' own cost, without the stream's wake-ups: see p5(). */
	if (vs_run(vs, &one))
		return -1;
	vs_report(vs, "one task", 1e-3, "kmsg/s");
	return 0;
}
