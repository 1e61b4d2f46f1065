// SPDX-License-Identifier: GPL-2.0
/*
 * MLFQ rule 5: a task waking at a higher level preempts a running
 * lower-level task. A probe that sleeps 20 ms and works 0.1 ms shares
 * CPU 0 with a hog that has sunk to the bottom (32 ms slices). Each probe
 * wake-up is late by the time it waits for the CPU; with preemption that
 * must stay within one top-level slice (4 ms) for half the wake-ups (the
 * median: an emulator on a busy host stalls vCPUs for tens of ms now and
 * then, which a high percentile would measure instead of the policy). The
 * same probe with --preempt 0 shows the oracle's other side: the hog then
 * keeps the CPU until its slice ends, so the p50 delay is far longer.
 *
 * timeout: 150
 * needs: sched_ext
 */
#include "sched_test.h"

#define SAMPLES	     100
#define PERIOD_NS    (20 * 1000 * 1000LL)
#define TOP_SLICE_NS (4 * 1000 * 1000LL)

static int cmp_ll(const void *a, const void *b)
{
	long long x = *(const long long *)a, y = *(const long long *)b;

	return x < y ? -1 : x > y;
}

/* p50 of how late the probe ran after each absolute wake-up time. */
static long long probe_p50(void)
{
	long long late[SAMPLES];
	struct timespec ts;
	long long next;
	int i;

	pin_to_cpu(0);
	clock_gettime(CLOCK_MONOTONIC, &ts);
	next = ts.tv_sec * NSEC_PER_SEC + ts.tv_nsec;
	for (i = 0; i < SAMPLES; i++) {
		next += PERIOD_NS;
		ts.tv_sec = next / NSEC_PER_SEC;
		ts.tv_nsec = next % NSEC_PER_SEC;
		clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL);
		late[i] = now_ns() - next;
		burn_cpu(100 * 1000);
	}
	qsort(late, SAMPLES, sizeof(late[0]), cmp_ll);
	return late[SAMPLES / 2];
}

static long long run(const char *preempt)
{
	long long p50;
	pid_t h;

	start_policy("mlfq", "--preempt", preempt, "--boost-ms", "60000",
		     "--interval", "0", NULL);
	h = spawn(0, hog, NULL);
	if (!wait_for(30, task_level(h) == 3))
		die("the hog never reached the bottom level");
	p50 = probe_p50();
	pin_to_cpu(1);
	reap(h);
	stop_policy();
	printf("--preempt %s: p50 wake-up delay %.3f ms\n", preempt, p50 / 1e6);
	return p50;
}

int main(void)
{
	long long with, without;

	require_sched_ext();
	if (sysconf(_SC_NPROCESSORS_ONLN) < 2)
		skip("needs 2 CPUs (the test drives CPU 0 from CPU 1)");
	pin_to_cpu(1);
	with = run("1");
	without = run("0");
	if (with > TOP_SLICE_NS)
		die("p50 delay %.3f ms with preemption exceeds a top slice",
		    with / 1e6);
	if (without <= TOP_SLICE_NS)
		die("without preemption the delay is also short (%.3f ms): "
		    "the test cannot tell",
		    without / 1e6);
	printf("ok\n");
	return 0;
}
