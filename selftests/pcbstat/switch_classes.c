// SPDX-License-Identifier: GPL-2.0
/*
 * Context-switch classes against a computed model: two threads, or two
 * processes, ping-pong a byte through pipes pinned to one CPU, so nearly
 * every switch-out hands the CPU to the partner. Threads share an address
 * space (sw_thread); processes do not (sw_process). At least 90% of the
 * switch-outs counted during the ping-pong must be of the expected class.
 */
#include <pthread.h>
#include <sched.h>
#include <sys/wait.h>

#include "pcbstat_test.h"

#define ROUNDS 2000

static int ping[2], pong[2];

static void bounce(int in, int out, int first)
{
	char c = 'x';
	int i;

	pin_cpu0();
	for (i = 0; i < ROUNDS; i++) {
		if (first && write(out, &c, 1) != 1)
			die("write");
		if (read(in, &c, 1) != 1)
			die("read");
		if (!first && write(out, &c, 1) != 1)
			die("write");
	}
}

static void *partner(void *arg)
{
	bounce(ping[0], pong[1], 0);
	return NULL;
}

struct classes {
	unsigned long long thread, process, kernel;
};

static void classes_of(pid_t pid, struct classes *c)
{
	struct row r;

	if (row_read("/proc/pcbstat", pid, &r))
		die("no row for %d", pid);
	c->thread = row_u64(&r, "sw_thread");
	c->process = row_u64(&r, "sw_process");
	c->kernel = row_u64(&r, "sw_kernel");
}

static void expect_share(const char *what, const struct classes *a,
			 const struct classes *b, int want_thread)
{
	unsigned long long t = b->thread - a->thread;
	unsigned long long p = b->process - a->process;
	unsigned long long k = b->kernel - a->kernel;
	unsigned long long hit = want_thread ? t : p;

	printf("%s: sw_thread %llu sw_process %llu sw_kernel %llu\n", what, t,
	       p, k);
	if (t + p + k < ROUNDS)
		die("%s: %llu switch-outs for %d round trips", what, t + p + k,
		    ROUNDS);
	if (hit * 10 < (t + p + k) * 9)
		die("%s: only %llu of %llu switch-outs are %s", what, hit,
		    t + p + k, want_thread ? "sw_thread" : "sw_process");
}

static void check_threads(void)
{
	struct classes a, b;
	pthread_t th;

	classes_of(getpid(), &a);
	if (pthread_create(&th, NULL, partner, NULL))
		die("pthread_create");
	bounce(pong[0], ping[1], 1);
	pthread_join(th, NULL);
	classes_of(getpid(), &b);
	expect_share("threads", &a, &b, 1);
}

static void check_processes(void)
{
	struct classes a, b;
	int status;
	pid_t child;

	classes_of(getpid(), &a);
	child = fork();
	if (child < 0)
		die("fork");
	if (!child) {
		bounce(ping[0], pong[1], 0);
		_exit(0);
	}
	bounce(pong[0], ping[1], 1);
	classes_of(getpid(), &b);
	if (waitpid(child, &status, 0) != child || status)
		die("ping-pong child failed");
	expect_share("processes", &a, &b, 0);
}

int main(void)
{
	module_load();
	if (pipe(ping) || pipe(pong))
		die("pipe");
	check_threads();
	check_processes();
	module_unload();
	return 0;
}
