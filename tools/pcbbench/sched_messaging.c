// SPDX-License-Identifier: GPL-2.0
/* P8, throughput: 'perf bench sched messaging' wall time, if perf exists. */
#include <stdio.h>

#include "sched.h"

/*
 * P8: 'perf bench sched messaging' total time, small enough for TCG. One
 * run differed by 1.8x between two boots of the same tree, so P8 is the
 * median of MESSAGING_RUNS.
 */
static double messaging_once(void)
{
	FILE *f =
		popen("perf bench sched messaging -g 2 -l 50 2>/dev/null", "r");
	char line[256];
	double s, total = 0;

	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, " Total time: %lf", &s) == 1)
			total = s;
	pclose(f);
	return total;
}

void run_messaging(struct peer_result *r)
{
	double runs[MESSAGING_RUNS];
	struct summary sum;
	size_t n = 0;
	int i;

	for (i = 0; i < MESSAGING_RUNS; i++) {
		runs[n] = messaging_once();
		if (runs[n] > 0)
			n++;
	}
	if (!n)
		return;
	summarize(runs, n, &sum);
	r->messaging_s = sum.p50;
}
