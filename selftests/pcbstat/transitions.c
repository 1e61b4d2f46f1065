// SPDX-License-Identifier: GPL-2.0
/*
 * The five-state counts agree with what the kernel counts itself, for a
 * child forked after load:
 *  - frozen (stopped), its blocks equal its voluntary switches, its
 *    preempts its involuntary ones (/proc/<pid>/status), its dispatches
 *    both together, its wakeups one less than its blocks (the stop has
 *    none yet), and ready + running + blocked its whole life (turnaround);
 *  - woken but kept off its CPU by a real-time hog of a higher priority
 *    than its own, it already counts as woken: wakeups equal blocks,
 *    state R, as the kernel's timeslice count (/proc/<pid>/schedstat)
 *    shows that it has not run since.
 * The probes count a wakeup only when the thread next leaves a CPU, and
 * readers add what happened since; both halves are checked here.
 */
#include <signal.h>
#include <stdatomic.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>

#include "pcbstat_test.h"

struct kernel_counts {
	unsigned long long nvcsw, nivcsw, slices;
};

static void kernel_counts_of(pid_t pid, struct kernel_counts *k)
{
	unsigned long long run, delay;
	char path[64], line[256];
	FILE *f;

	k->nvcsw = k->nivcsw = ~0ULL;
	snprintf(path, sizeof(path), "/proc/%d/status", pid);
	f = fopen(path, "r");
	if (!f)
		die("cannot open %s", path);
	while (fgets(line, sizeof(line), f)) {
		sscanf(line, "voluntary_ctxt_switches: %llu", &k->nvcsw);
		sscanf(line, "nonvoluntary_ctxt_switches: %llu", &k->nivcsw);
	}
	fclose(f);
	if (k->nvcsw == ~0ULL || k->nivcsw == ~0ULL)
		die("no ctxt_switches lines in %s", path);
	snprintf(path, sizeof(path), "/proc/%d/schedstat", pid);
	f = fopen(path, "r");
	if (!f || fscanf(f, "%llu %llu %llu", &run, &delay, &k->slices) != 3)
		die("cannot read %s", path);
	fclose(f);
}

static void expect_eq(const char *what, unsigned long long got,
		      const char *oracle, unsigned long long want)
{
	if (got != want)
		die("%s %llu, kernel %s %llu", what, got, oracle, want);
	printf("%s %llu = %s\n", what, got, oracle);
}

/* Burns @ns of this thread's CPU time. */
static void burn(long ns)
{
	struct timespec t0, t;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t0);
	do {
		clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
	} while ((t.tv_sec - t0.tv_sec) * 1000000000L + t.tv_nsec - t0.tv_nsec <
		 ns);
}

/*
 * Sleeps and runs in turn on CPU 0, each run longer than a slice so that
 * the hog there preempts it, then stops.
 */
static void sleep_run_stop(void)
{
	struct timespec ts = { 0, 200000 };
	int i;

	pin_cpu0();
	for (i = 0; i < 20; i++) {
		burn(5000000);
		nanosleep(&ts, NULL);
	}
	raise(SIGSTOP);
	_exit(0);
}

/* A child that dies with the test, whatever ends it. */
static pid_t fork_tied(void)
{
	pid_t pid = fork();

	if (pid < 0)
		die("fork");
	if (!pid && prctl(PR_SET_PDEATHSIG, SIGKILL))
		die("prctl");
	return pid;
}

/* Whether the child sleeps off its runqueue: only then has it a wchan. */
static int asleep_off_cpu(pid_t pid)
{
	char path[64], buf[128] = "";
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/wchan", pid);
	f = fopen(path, "r");
	if (!f)
		die("cannot open %s", path);
	if (!fgets(buf, sizeof(buf), f))
		buf[0] = '\0';
	fclose(f);
	return buf[0] && strcmp(buf, "0");
}

/* Polls @pid until @cond holds; 0 if it did not within @seconds. */
static int poll_until(int (*cond)(pid_t), pid_t pid, int seconds)
{
	struct timespec t0, t, pause = { 0, 1000000 };

	clock_gettime(CLOCK_MONOTONIC, &t0);
	while (!cond(pid)) {
		clock_gettime(CLOCK_MONOTONIC, &t);
		if (t.tv_sec - t0.tv_sec >= seconds)
			return 0;
		nanosleep(&pause, NULL);
	}
	return 1;
}

static void wait_for(int (*cond)(pid_t), pid_t pid, const char *what)
{
	if (!poll_until(cond, pid, 10))
		die("child %d never %s", pid, what);
}

static pid_t spin_on_cpu0(void)
{
	pid_t hog = fork_tied();

	if (!hog) {
		pin_cpu0();
		for (;;)
			;
	}
	return hog;
}

static void reap(pid_t pid)
{
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
}

static void check_stopped(void)
{
	unsigned long long ready, running, blocked, life, slack;
	struct kernel_counts k;
	pid_t hog, pid;
	struct row r;
	int status;

	hog = spin_on_cpu0();
	pid = fork_tied();
	if (!pid)
		sleep_run_stop();
	if (waitpid(pid, &status, WUNTRACED) != pid || !WIFSTOPPED(status))
		die("child %d did not stop", pid);
	reap(hog);
	/* The parent hears of the stop before the child leaves its CPU. */
	wait_for(asleep_off_cpu, pid, "left its CPU");
	kernel_counts_of(pid, &k);
	if (row_read("/proc/pcbstat", pid, &r))
		die("no row for child %d", pid);
	expect_eq("blocks", row_u64(&r, "blocks"), "nvcsw", k.nvcsw);
	expect_eq("preempts", row_u64(&r, "preempts"), "nivcsw", k.nivcsw);
	expect_eq("dispatches", row_u64(&r, "dispatches"), "nvcsw + nivcsw",
		  k.nvcsw + k.nivcsw);
	expect_eq("wakeups", row_u64(&r, "wakeups"), "nvcsw - 1", k.nvcsw - 1);
	if (k.nivcsw == 0)
		die("no involuntary switches: the hog did not share the CPU");
	ready = row_u64(&r, "ready_ns");
	running = row_u64(&r, "running_ns");
	blocked = row_u64(&r, "blocked_ns");
	life = row_u64(&r, "turnaround_ns");
	slack = life / 100 + 2000000;
	if (ready + running + blocked + slack < life ||
	    ready + running + blocked > life + slack)
		die("ready %llu + running %llu + blocked %llu, turnaround %llu",
		    ready, running, blocked, life);
	printf("ready + running + blocked %llu, turnaround %llu: "
	       "within 1%% + 2 ms\n",
	       ready + running + blocked, life);
	reap(pid);
}

/* This task, on CPU 0, in SCHED_FIFO at @prio. */
static void fifo_on_cpu0(int prio)
{
	struct sched_param sp = { .sched_priority = prio };

	pin_cpu0();
	if (sched_setscheduler(0, SCHED_FIFO, &sp))
		die("sched_setscheduler(SCHED_FIFO, %d): %s", prio,
		    strerror(errno));
}

/* A real-time hog on CPU 0 until *stop is set, 20 s at most. */
static pid_t fifo_hog(atomic_int *stop)
{
	struct timespec t0, t;
	pid_t hog = fork_tied();

	if (hog)
		return hog;
	fifo_on_cpu0(10);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	do {
		clock_gettime(CLOCK_MONOTONIC, &t);
	} while (!atomic_load(stop) && t.tv_sec - t0.tv_sec < 20);
	_exit(0);
}

/* The state letter of /proc/<pid>/stat. */
static char state_of(pid_t pid)
{
	char path[64], buf[512], *p;
	ssize_t n;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/stat", pid);
	f = fopen(path, "r");
	if (!f)
		die("cannot open %s", path);
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n > 0 ? n : 0] = '\0';
	p = strrchr(buf, ')');
	if (!p || p[1] != ' ')
		die("cannot parse %s", path);
	return p[2];
}

static int runnable(pid_t pid)
{
	return state_of(pid) == 'R';
}

/*
 * Row and kernel counts of a child the parent has just woken, read while
 * the kernel's timeslice count shows the child has not run since; 0 if it
 * ran anyway (the fair server lets it in now and then).
 */
static int read_woken(pid_t pid, int fd, struct row *r, struct kernel_counts *k)
{
	struct kernel_counts after;

	wait_for(asleep_off_cpu, pid, "went to sleep");
	kernel_counts_of(pid, k);
	if (write(fd, "x", 1) != 1)
		die("write");
	/*
	 * The wakeup may be queued to CPU 0 and done there a little later;
	 * if the child ran and slept again meanwhile, this try is lost.
	 */
	if (!poll_until(runnable, pid, 2))
		return 0;
	if (row_read("/proc/pcbstat", pid, r))
		die("no row for child %d", pid);
	kernel_counts_of(pid, &after);
	return after.slices == k->slices;
}

static void check_woken_not_run(void)
{
	atomic_int *stop = mmap(NULL, sizeof(*stop), PROT_READ | PROT_WRITE,
				MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	struct kernel_counts k;
	int ping[2], tries;
	pid_t hog, pid;
	struct row r;
	char c;

	if (stop == MAP_FAILED || pipe(ping))
		die("mmap or pipe");
	atomic_store(stop, 0);
	pid = fork_tied();
	if (!pid) {
		/*
		 * Below the hog's priority it cannot run while the hog does:
		 * a fair task would, now and then, by the fair server.
		 */
		close(ping[1]);
		fifo_on_cpu0(5);
		while (read(ping[0], &c, 1) == 1)
			;
		_exit(0);
	}
	/*
	 * Once in SCHED_FIFO below the hog the child gets no CPU at all
	 * while the hog spins: it must be in its read() before the hog
	 * starts, or it may not get there for the hog's 20 s.
	 */
	wait_for(asleep_off_cpu, pid, "went to sleep");
	hog = fifo_hog(stop);
	for (tries = 0; tries < 20; tries++) {
		if (read_woken(pid, ping[1], &r, &k))
			break;
	}
	atomic_store(stop, 1);
	waitpid(hog, NULL, 0);
	if (tries == 20)
		die("the woken child always ran before the row was read");
	if (strcmp(row_str(&r, "state"), "R"))
		die("state %s for a woken child, want R", row_str(&r, "state"));
	if (row_u64(&r, "blocks") == 0)
		die("the child never blocked before it was woken");
	expect_eq("woken, not yet run: wakeups", row_u64(&r, "wakeups"),
		  "blocks", row_u64(&r, "blocks"));
	expect_eq("dispatches", row_u64(&r, "dispatches"), "nvcsw + nivcsw",
		  k.nvcsw + k.nivcsw);
	printf("(%d retries)\n", tries);
	close(ping[1]);
	waitpid(pid, NULL, 0);
}

int main(void)
{
	module_load();
	KSFT_CASE("sleep, run, stop", check_stopped());
	KSFT_CASE("woken but not run", check_woken_not_run());
	module_unload();
	return ksft_exit();
}
