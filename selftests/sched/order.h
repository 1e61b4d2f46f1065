/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Completion order of jobs of known lengths under a non-preemptive
 * policy, against a userspace model of the same policy.
 *
 * All jobs run as SCHED_EXT (the policy is loaded with --partial) on one
 * CPU. First each job trains the policy's burst estimate: TRAIN bursts of
 * its own length, with sleeps between. Then a blocker occupies the CPU
 * for BLOCKER_MS while the jobs arrive one by one at known times; when
 * the blocker blocks, the policy chooses among all of them. Each job runs
 * its final burst and records when it finished.
 *
 * The model replays the same arrivals, with the burst estimates the
 * documented EWMA (weight 1/2, 10 ms initial) gives after TRAIN bursts,
 * and picks by the policy's rule at each decision point.
 */
#ifndef ORDER_H
#define ORDER_H

#include "sched_test.h"

#define NR_JOBS	   4
#define TRAIN	   6
#define BLOCKER_MS 800
#define JOB_CPU	   1

struct job {
	long long len_ms, arrive_ms; /* arrival after the blocker starts */
};

/*
 * Lengths and arrivals chosen so that FCFS, SJF and HRRN all give
 * different orders, each decision with a wide margin:
 * FCFS 0 3 2 1, SJF 2 1 0 3, HRRN 2 0 1 3. Long enough that a loaded
 * host's timer slack does not reorder arrivals.
 */
static const struct job jobs[NR_JOBS] = {
	{ 120, 0 },
	{ 60, 680 },
	{ 20, 400 },
	{ 240, 200 },
};

/* A job blocks on its pipe until released; the last one is the blocker's. */
static int go_pipe[NR_JOBS + 1][2];

struct shared {
	volatile int trained[NR_JOBS];
	volatile long long blocker_start, blocker_end;
	volatile long long arrived[NR_JOBS];
	volatile long long finished[NR_JOBS];
};

static struct shared *sh;

enum pick_rule {
	FCFS,
	SJF,
	HRRN
};

/* Blocking, not polling: a job must not be queued before it arrives. */
static void wait_go(int i)
{
	char c;

	if (read(go_pipe[i][0], &c, 1) != 1)
		_exit(2);
}

static void release(int i)
{
	if (write(go_pipe[i][1], "g", 1) != 1)
		die("release job %d: %s", i, strerror(errno));
}

static void job_main(void *arg)
{
	int i = (int)(long)arg, k;

	become_ext();
	/* TRAIN bursts, each ended by blocking; the last by wait_go() */
	for (k = 0; k < TRAIN; k++) {
		burn_cpu(jobs[i].len_ms * MS);
		if (k < TRAIN - 1)
			sleep_ns(2 * MS);
	}
	sh->trained[i] = 1;
	wait_go(i);
	burn_cpu(jobs[i].len_ms * MS);
	sh->finished[i] = now_ns();
}

static void blocker_main(void *unused)
{
	become_ext();
	wait_go(NR_JOBS);
	sh->blocker_start = now_ns();
	burn_cpu(BLOCKER_MS * MS);
	sh->blocker_end = now_ns();
}

static double ewma_ms(long long len_ms)
{
	double e = 10;
	int k;

	for (k = 0; k < TRAIN; k++)
		e = e / 2 + len_ms / 2.0;
	return e;
}

/* Does job a go before job b at time t (ms, blocker start = 0)? */
static bool model_before(enum pick_rule rule, int a, int b, double t,
			 const double *arrive)
{
	double ea = ewma_ms(jobs[a].len_ms), eb = ewma_ms(jobs[b].len_ms);

	switch (rule) {
	case FCFS:
		return arrive[a] < arrive[b];
	case SJF:
		return ea < eb;
	case HRRN:
		return (t - arrive[a] + ea) / ea > (t - arrive[b] + eb) / eb;
	}
	return false;
}

/* The order the policy's rule gives with the measured arrivals. */
static void model_order(enum pick_rule rule, const double *arrive, double start,
			int *order)
{
	bool done[NR_JOBS] = { false };
	double t = start;
	int n, i, best;

	for (n = 0; n < NR_JOBS; n++) {
		best = -1;
		for (i = 0; i < NR_JOBS; i++)
			if (!done[i] && (best < 0 || model_before(rule, i, best,
								  t, arrive)))
				best = i;
		done[best] = true;
		order[n] = best;
		t += jobs[best].len_ms;
	}
}

static void actual_order(int *order)
{
	int n, i, j;

	for (i = 0; i < NR_JOBS; i++)
		order[i] = i;
	for (n = 0; n < NR_JOBS; n++)
		for (i = 0; i + 1 < NR_JOBS - n; i++)
			if (sh->finished[order[i]] >
			    sh->finished[order[i + 1]]) {
				j = order[i];
				order[i] = order[i + 1];
				order[i + 1] = j;
			}
}

static void print_order(const char *what, const int *order)
{
	int i;

	printf("%s:", what);
	for (i = 0; i < NR_JOBS; i++)
		printf(" %d", order[i]);
	putchar('\n');
}

static void release_jobs(void)
{
	long long t0;
	int i, k, next;
	bool sent[NR_JOBS] = { false };

	release(NR_JOBS);
	if (!wait_for(10, sh->blocker_start != 0))
		die("the blocker never started");
	t0 = sh->blocker_start;
	/* in arrival order */
	for (k = 0; k < NR_JOBS; k++) {
		next = -1;
		for (i = 0; i < NR_JOBS; i++)
			if (!sent[i] &&
			    (next < 0 ||
			     jobs[i].arrive_ms < jobs[next].arrive_ms))
				next = i;
		sent[next] = true;
		while (now_ns() < t0 + jobs[next].arrive_ms * MS)
			sleep_ns(MS / 2);
		sh->arrived[next] = now_ns();
		release(next);
	}
}

static int run_order_test(const char *policy, enum pick_rule rule)
{
	int want[NR_JOBS], got[NR_JOBS], i;
	double arrive[NR_JOBS], start;
	pid_t pids[NR_JOBS + 1];
	int status;

	require_sched_ext();
	if (sysconf(_SC_NPROCESSORS_ONLN) < 2)
		skip("needs 2 CPUs (jobs on CPU 1, the driver on CPU 0)");
	sh = map_shared(sizeof(*sh));
	for (i = 0; i <= NR_JOBS; i++)
		if (pipe(go_pipe[i]))
			die("pipe: %s", strerror(errno));
	pin_to_cpu(0);
	start_policy(policy, "--partial", "--cap-ms", "5000", "--interval", "0",
		     NULL);
	for (i = 0; i < NR_JOBS; i++)
		pids[i] = spawn(JOB_CPU, job_main, (void *)(long)i);
	pids[NR_JOBS] = spawn(JOB_CPU, blocker_main, NULL);
	for (i = 0; i < NR_JOBS; i++)
		if (!wait_for(60, sh->trained[i]))
			die("job %d did not finish training", i);
	release_jobs();
	for (i = 0; i <= NR_JOBS; i++) {
		if (waitpid(pids[i], &status, 0) < 0 || !WIFEXITED(status) ||
		    WEXITSTATUS(status))
			die("job %d failed (status 0x%x)", i, status);
	}
	nr_helpers = 0;
	stop_policy();

	start = (sh->blocker_end - sh->blocker_start) / 1e6;
	printf("blocker ran %.1f ms; arrivals (ms):", start);
	for (i = 0; i < NR_JOBS; i++) {
		arrive[i] = (sh->arrived[i] - sh->blocker_start) / 1e6;
		printf(" %.1f", arrive[i]);
	}
	putchar('\n');
	model_order(rule, arrive, start, want);
	actual_order(got);
	print_order("model ", want);
	print_order("actual", got);
	for (i = 0; i < NR_JOBS; i++)
		if (want[i] != got[i])
			die("%s completion order differs from the model",
			    policy);
	printf("ok\n");
	return 0;
}

#endif /* ORDER_H */
