// SPDX-License-Identifier: GPL-2.0
/*
 * P6, the interactive probe: a task with a 10 ms period and 0.5 ms of work
 * under CPU hogs. Each period's lateness after its absolute deadline
 * (coordinated-omission safe: a missed period is still measured from when
 * it should have run), split into the time it spent runnable after the
 * wake-up (schedstat's run_delay, the scheduler's share and the goal's
 * measure) and the rest (the timer's and the host's delay before the
 * wake-up); and the share of periods whose work ended after the next
 * period began.
 */
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include "sched.h"

#define PROBE_PERIOD (10 * MS)
#define PROBE_WORK   (MS / 2)

static pid_t spawn_hog(void)
{
	pid_t pid = fork();

	if (!pid) {
		for (;;)
			;
	}
	return pid;
}

/*
 * The calling thread's time spent runnable but not running so far (ns,
 * schedstat's run_delay), or -1. Read across the probe's sleep, it is how
 * long the wake-up waited for a CPU: the scheduler's share of the
 * lateness. The rest is the timer's expiry and the (virtual) CPU's delay
 * in taking its interrupt, which no policy controls. The run queue's
 * clock is not read again when a wake-up preempts at once, so waits of a
 * few microseconds count as 0; the long ones, the tail, are counted.
 */
static long long run_delay_ns(int fd)
{
	char buf[96];
	unsigned long long on_cpu, delay;
	ssize_t n;

	if (fd < 0)
		return -1;
	n = pread(fd, buf, sizeof(buf) - 1, 0);
	if (n <= 0)
		return -1;
	buf[n] = '\0';
	if (sscanf(buf, "%llu %llu", &on_cpu, &delay) != 2)
		return -1;
	return delay;
}

/* P6's per-period samples, µs: lateness, its runnable part, the rest. */
struct probe_samples {
	double *late, *rq, *wake;
	int fd; /* the probe's schedstat; -1 if the kernel has none */
	long long work_delay; /* run_delay as the last period's work began */
	bool rq_known;
};

static bool probe_samples_init(struct probe_samples *s, size_t n)
{
	s->late = calloc(n ? n : 1, sizeof(double));
	s->rq = calloc(n ? n : 1, sizeof(double));
	s->wake = calloc(n ? n : 1, sizeof(double));
	s->fd = open("/proc/thread-self/schedstat", O_RDONLY | O_CLOEXEC);
	s->work_delay = run_delay_ns(s->fd);
	s->rq_known = s->fd >= 0;
	return s->late && s->rq && s->wake;
}

static void probe_samples_free(struct probe_samples *s)
{
	free(s->late);
	free(s->rq);
	free(s->wake);
	if (s->fd >= 0)
		close(s->fd);
}

/*
 * Sleep until @next; record period @k's lateness and how it splits. A
 * period whose deadline passed while the last one's work ran does not
 * sleep: it is late by that work's own delays, so the runnable time since
 * that work began counts (at most the lateness).
 */
static void probe_period(struct probe_samples *s, size_t k, uint64_t next)
{
	long long before = run_delay_ns(s->fd), after;

	if (now_ns() >= next)
		before = s->work_delay;
	sleep_until(next);
	s->late[k] = (now_ns() - next) / 1e3;
	after = run_delay_ns(s->fd);
	s->work_delay = after;
	if (before < 0 || after < before) {
		s->rq_known = false;
		return;
	}
	s->rq[k] = (after - before) / 1e3;
	if (s->rq[k] > s->late[k])
		s->rq[k] = s->late[k];
	s->wake[k] = s->late[k] - s->rq[k];
}

/*
 * P6: lateness of each period's start, under 2 x nproc hogs (--hogs 0
 * gives the floor: what timers and wake-ups cost with nothing in the way).
 */
void run_probe(const struct bench_opts *o, struct peer_result *r)
{
	int nhogs = o->hogs < 0 ? 2 * sysconf(_SC_NPROCESSORS_ONLN) : o->hogs;
	int i;
	size_t n = o->probe_secs * 1e9 / PROBE_PERIOD, k, misses = 0;
	struct probe_samples s;
	pid_t hogs[MAX_HOGS];
	uint64_t next;

	if (!probe_samples_init(&s, n))
		goto out;
	if (nhogs > MAX_HOGS)
		nhogs = MAX_HOGS;
	for (i = 0; i < nhogs; i++)
		hogs[i] = spawn_hog();
	next = now_ns() + PROBE_PERIOD;
	for (k = 0; k < n; k++) {
		probe_period(&s, k, next);
		burn(PROBE_WORK);
		next += PROBE_PERIOD;
		if (now_ns() > next)
			misses++;
	}
	for (i = 0; i < nhogs; i++) {
		kill(hogs[i], SIGKILL);
		waitpid(hogs[i], NULL, 0);
	}
	summarize(s.late, n, &r->probe);
	if (s.rq_known) {
		summarize(s.rq, n, &r->probe_rq);
		summarize(s.wake, n, &r->probe_wake);
	}
	r->probe_rq_ok = s.rq_known;
	r->miss_pct = n ? 100.0 * misses / n : 0;
out:
	probe_samples_free(&s);
}
