// SPDX-License-Identifier: GPL-2.0
/*
 * A task that switches itself to SCHED_EXT must queue like any arrival
 * under the non-preemptive pick policies, not run at once.
 *
 * On CPU 1, with the policy loaded with --partial: a blocker (SCHED_EXT)
 * burns BLOCKER_MS of CPU; a waiter (SCHED_EXT, trained on WAITER_MS
 * bursts) wakes at 100 ms and queues behind it; at 200 ms a switcher,
 * still a CFS task, wakes, preempts the blocker (CFS is the higher
 * class), turns itself into a SCHED_EXT task and burns SWITCHER_MS.
 *
 * The model, the same for FCFS, SJF, HRRN, prio and dprio: the blocker
 * keeps the CPU until it blocks (non-preemptive); then the waiter runs
 * before the switcher: it came first (FCFS, and prio and dprio at equal
 * nice), it is shorter by its trained estimate than the switcher's 10 ms
 * default (SJF), and its response ratio, about 1 + 700 / 5, beats the
 * switcher's 1 + 600 / 10 (HRRN). So the completion order is blocker,
 * waiter, switcher.
 *
 * Without its own slice, the switcher entered sched_ext straight onto
 * CPU 1's local queue, and the kernel parked it at the head with the 20 ms
 * default slice of a task that was never in sched_ext: it ran its 5 ms at
 * once, before the blocker resumed, without the policy choosing it.
 *
 * FIFO slices the blocker with the kernel's 20 ms default, so there the
 * waiter comes at 195 ms, just before the switcher, and the model is one
 * queue in arrival order: a waiter still waiting when the switcher comes
 * finishes first (its 5 ms fit in one slice). A waiter that started
 * before the switcher came (the blocker's slice ended in between) tells
 * nothing, and the run is repeated.
 *
 * A run whose premise a slow host broke (the blocker done before the
 * switcher came) is repeated too; if it never holds the test fails
 * naming the host, rather than skip every policy after the one it hit.
 *
 * timeout: 300
 * needs: sched_ext
 */
#include "sched_test.h"

#define CPU	    1
#define BLOCKER_MS  800
#define WAITER_MS   5
#define SWITCHER_MS 5
#define TRAIN	    6

enum {
	BLOCKER,
	WAITER,
	SWITCHER,
	NR_TASKS
};

static const char *const names[NR_TASKS] = { "blocker", "waiter", "switcher" };
static const long long arrive_ms[NR_TASKS] = { 0, 100, 200 };
#define FIFO_WAITER_MS 195
#define FIFO_TRIES     8
/* Runs whose timing a slow host upset are repeated, then fail loudly. */
#define SLOW_TRIES     3
static const long long len_ms[NR_TASKS] = { BLOCKER_MS, WAITER_MS,
					    SWITCHER_MS };

struct shared {
	volatile int ready[NR_TASKS];
	volatile long long released[NR_TASKS];
	volatile long long started[NR_TASKS];
	volatile long long finished[NR_TASKS];
};

static struct shared *sh;
static int go_pipe[NR_TASKS][2];

/* Blocking, not polling: nothing may be queued before it arrives. */
static void wait_go(int i)
{
	char c;

	if (read(go_pipe[i][0], &c, 1) != 1)
		_exit(2);
}

static void task_main(void *arg)
{
	int i = (int)(long)arg, k;

	if (i == BLOCKER) {
		become_ext();
	} else if (i == WAITER) {
		become_ext();
		/* an estimate near WAITER_MS, below the 10 ms default */
		for (k = 0; k < TRAIN; k++) {
			burn_cpu(WAITER_MS * MS);
			sleep_ns(2 * MS);
		}
	}
	sh->ready[i] = 1;
	wait_go(i);
	/* the switcher enters sched_ext while it runs, as a CFS task */
	sh->started[i] = now_ns();
	if (i == SWITCHER)
		become_ext();
	burn_cpu(len_ms[i] * MS);
	sh->finished[i] = now_ns();
}

static void release(int i)
{
	sh->released[i] = now_ns();
	if (write(go_pipe[i][1], "g", 1) != 1)
		die("release %s: %s", names[i], strerror(errno));
}

/* Run the three tasks once under @policy; @at: their arrivals (ms). */
static void run_tasks(const char *policy, const long long *at)
{
	pid_t pids[NR_TASKS];
	long long t0;
	int i, status;

	memset((void *)sh, 0, sizeof(*sh));
	/* fifo has no run cap: its slices are the kernel's default */
	if (!strcmp(policy, "fifo"))
		start_policy(policy, "--partial", "--interval", "0", NULL);
	else
		start_policy(policy, "--partial", "--cap-ms", "5000",
			     "--interval", "0", NULL);
	for (i = 0; i < NR_TASKS; i++)
		pids[i] = spawn(CPU, task_main, (void *)(long)i);
	for (i = 0; i < NR_TASKS; i++)
		if (!wait_for(60, sh->ready[i]))
			die("%s: %s never got ready", policy, names[i]);
	t0 = now_ns();
	for (i = 0; i < NR_TASKS; i++) {
		while (now_ns() < t0 + at[i] * MS)
			sleep_ns(MS / 2);
		release(i);
	}
	for (i = 0; i < NR_TASKS; i++)
		if (waitpid(pids[i], &status, 0) < 0 || !WIFEXITED(status) ||
		    WEXITSTATUS(status))
			die("%s: %s failed (status 0x%x)", policy, names[i],
			    status);
	nr_helpers = 0;
	stop_policy();
}

static void print_finished(const char *policy)
{
	int i;

	printf("%s: finished (ms after the blocker's release):", policy);
	for (i = 0; i < NR_TASKS; i++)
		printf(" %s %.1f", names[i],
		       (sh->finished[i] - sh->released[BLOCKER]) / 1e6);
	putchar('\n');
}

static void run_one(const char *policy)
{
	int n;

	for (n = 0; n < SLOW_TRIES; n++) {
		run_tasks(policy, arrive_ms);
		print_finished(policy);
		/* the model's premise: both came while the blocker still ran */
		if (sh->released[SWITCHER] < sh->finished[BLOCKER])
			break;
		printf("%s: the blocker was done before the switcher came "
		       "(host too slow for the timing); again\n",
		       policy);
	}
	if (n == SLOW_TRIES)
		die("%s: in %d runs the blocker was always done before the "
		    "switcher came: the host is too slow to test this",
		    policy, SLOW_TRIES);
	if (sh->finished[SWITCHER] < sh->finished[BLOCKER])
		die("%s: the switcher ran before the blocker finished, "
		    "without being chosen",
		    policy);
	if (sh->finished[SWITCHER] < sh->finished[WAITER])
		die("%s: the switcher ran before the waiter", policy);
	if (sh->finished[WAITER] < sh->finished[BLOCKER])
		die("%s: the waiter preempted the blocker", policy);
}

/* FIFO: the waiter, queued when the switcher came, finishes first. */
static void run_fifo(void)
{
	const long long at[NR_TASKS] = { 0, FIFO_WAITER_MS, 200 };
	int n;

	for (n = 0; n < FIFO_TRIES; n++) {
		run_tasks("fifo", at);
		print_finished("fifo");
		if (sh->started[WAITER] > sh->released[SWITCHER])
			break;
		printf("fifo: the waiter started before the switcher came; "
		       "again\n");
	}
	if (n == FIFO_TRIES)
		die("fifo: in %d runs the waiter never waited for the "
		    "switcher: the host is too slow to test this",
		    FIFO_TRIES);
	if (sh->finished[SWITCHER] < sh->finished[WAITER])
		die("fifo: the switcher ran before the waiter, which was "
		    "queued first");
}

int main(void)
{
	static const char *const policies[] = { "fcfs", "sjf", "hrrn", "prio",
						"dprio" };
	size_t i;

	require_sched_ext();
	if (sysconf(_SC_NPROCESSORS_ONLN) < 2)
		skip("needs 2 CPUs (the tasks on CPU 1, the driver on CPU 0)");
	sh = map_shared(sizeof(*sh));
	for (i = 0; i < NR_TASKS; i++)
		if (pipe(go_pipe[i]))
			die("pipe: %s", strerror(errno));
	pin_to_cpu(0);
	for (i = 0; i < sizeof(policies) / sizeof(policies[0]); i++)
		run_one(policies[i]);
	run_fifo();
	printf("ok\n");
	return 0;
}
