// SPDX-License-Identifier: GPL-2.0
/*
 * MLFQ's feedback rules, observed through 'pcbsched task': on one CPU a
 * CPU hog sinks to the bottom level; a task that yields just before its
 * slice ends sinks too (its allotment is summed over its runs); a task
 * that sleeps most of the time stays on top; and after a boost every task
 * is back on top.
 *
 * Oracle: the rules with the knobs given here. The top allotment is
 * 4 x 4 ms = 16 ms per 500 ms boost period, and a CPU-bound task reaches
 * the bottom after 16 + 32 + 64 ms of CPU, well within a period even
 * when it shares the CPU; the sleeper works 0.05 ms per 100 ms (0.25 ms
 * per period plus its syscalls), the yielder 3.5 ms of every 4 ms slice. The boost check runs with a 10 s
 * period, to have time to see two stopped hogs at the bottom first.
 *
 * timeout: 200
 * needs: sched_ext
 */
#include "sched_test.h"

#define LEVELS	     4
#define BOTTOM	     (LEVELS - 1)
#define SLICE_NS     (4 * 1000 * 1000LL)
#define ALLOT	     4
#define TOP_ALLOT_NS (ALLOT * SLICE_NS)
#define BOOST_NS     (500 * 1000 * 1000LL)

static void yielder(void *unused)
{
	for (;;) {
		burn_cpu(SLICE_NS * 7 / 8);
		sched_yield();
	}
}

static void sleeper(void *unused)
{
	for (;;) {
		burn_cpu(50 * 1000);
		sleep_ns(100 * 1000 * 1000);
	}
}

static void expect_sinks(const char *what, pid_t pid)
{
	if (!wait_for(30, task_level(pid) == BOTTOM))
		die("%s (pid %d) never reached level %d (at %d)", what, pid,
		    BOTTOM, task_level(pid));
	printf("%s reached the bottom level\n", what);
}

/* CPU time the kernel charged to @pid so far (ns), from schedstat. */
static long long task_runtime_ns(pid_t pid)
{
	char path[64], buf[128];

	snprintf(path, sizeof(path), "/proc/%d/schedstat", pid);
	return read_file(path, buf, sizeof(buf)) ? atoll(buf) : -1;
}

/*
 * The sleeper must be on top every time we look, over several boosts,
 * provided it really used less than its top allotment per boost period
 * (the kernel's own runtime accounting is the oracle: under a slow
 * emulator the syscalls around each sleep cost CPU time too).
 */
static bool expect_stays_on_top(pid_t pid)
{
	long long t0 = now_ns(), r0 = task_runtime_ns(pid), per_period;
	int i, level, wrong = 0;

	for (i = 0; i < 10; i++) {
		level = task_level(pid);
		if (level != 0)
			wrong = level;
		sleep_ns(150 * 1000 * 1000);
	}
	per_period = (task_runtime_ns(pid) - r0) * BOOST_NS / (now_ns() - t0);
	printf("the sleeper used %.2f ms of CPU per boost period\n",
	       per_period / 1e6);
	if (per_period > TOP_ALLOT_NS * 3 / 4) {
		printf("the sleeper is not light on this host; cannot judge\n");
		return false;
	}
	if (wrong)
		die("the sleeper (pid %d) was at level %d, not 0", pid, wrong);
	printf("the sleeper stayed on top over 10 samples\n");
	return true;
}

/*
 * Stopped tasks seen at the bottom are on top after the next boost. The
 * boost count is read before the levels: if both still show the bottom,
 * no boost has come since that count.
 */
static void expect_boost(pid_t a, pid_t b)
{
	long long boosts = -1;
	int try;

	for (try = 0; try < 5; try++) {
		if (!wait_for(30, task_level(a) == BOTTOM &&
					  task_level(b) == BOTTOM))
			break;
		kill(a, SIGSTOP);
		kill(b, SIGSTOP);
		boosts = status_counter("boosts");
		if (task_level(a) == BOTTOM && task_level(b) == BOTTOM)
			break;
		printf("a boost came while stopping the hogs; again\n");
		boosts = -1;
		kill(a, SIGCONT);
		kill(b, SIGCONT);
	}
	if (boosts < 0)
		die("could not stop both hogs at the bottom level");
	if (!wait_for(30, status_counter("boosts") > boosts))
		die("no boost within 30 s (boost period 10 s)");
	if (task_level(a) != 0 || task_level(b) != 0)
		die("after a boost: levels %d and %d, want 0 and 0",
		    task_level(a), task_level(b));
	printf("after a boost both stopped tasks are on top\n");
	kill(a, SIGCONT);
	kill(b, SIGCONT);
}

int main(void)
{
	bool judged;
	pid_t h, y, s;

	require_sched_ext();
	/*
	 * The observer stays off CPU 0: each 'pcbsched task' it runs is a
	 * new top-level process that can take most of a second of CPU under
	 * an emulator, and on CPU 0 it would eat the CPU time the yielder
	 * needs to use up its allotments within a boost period.
	 */
	if (sysconf(_SC_NPROCESSORS_ONLN) > 1)
		pin_to_cpu(1);
	start_policy("mlfq", "--levels", "4", "--slice-us", "4000", "--allot",
		     "4", "--boost-ms", "500", "--interval", "1", NULL);
	h = spawn(0, hog, NULL);
	y = spawn(0, yielder, NULL);
	s = spawn(0, sleeper, NULL);
	if (!wait_for(10, task_level(h) >= 0))
		die("pcbsched task does not know the hog");
	expect_sinks("the hog", h);
	expect_sinks("the yielder", y);
	judged = expect_stays_on_top(s);
	reap(h);
	reap(y);
	reap(s);
	stop_policy();

	/*
	 * A long period leaves time to catch both hogs at the bottom: under
	 * an emulator each 'pcbsched task' can take most of a second.
	 */
	start_policy("mlfq", "--boost-ms", "10000", "--interval", "1", NULL);
	h = spawn(0, hog, NULL);
	y = spawn(0, hog, NULL);
	expect_boost(h, y);
	reap(h);
	reap(y);
	stop_policy();
	if (!judged)
		skip("the other checks passed; the sleeper was too heavy here");
	printf("ok\n");
	return 0;
}
