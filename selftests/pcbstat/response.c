// SPDX-License-Identifier: GPL-2.0
/*
 * Response and turnaround of a child forked under load (two CPU hogs on
 * the same CPU): response_ns (fork to first run) is > 0 and <= its
 * turnaround while it lives; after it exits, /proc/pcbstat_exited holds
 * its final figures, whose switch counts equal what wait4() reports.
 */
#include <sched.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>

#include "pcbstat_test.h"

static pid_t hogs[2];

static void start_hogs(void)
{
	int i;

	for (i = 0; i < 2; i++) {
		hogs[i] = fork();
		if (hogs[i] < 0)
			die("fork");
		if (!hogs[i])
			for (;;)
				;
	}
}

static void stop_hogs(void)
{
	int i;

	for (i = 0; i < 2; i++) {
		kill(hogs[i], SIGKILL);
		waitpid(hogs[i], NULL, 0);
	}
}

/* Bounded poll for @pid's row in @path. */
static void wait_row(const char *path, pid_t pid, struct row *r,
		     const char *col)
{
	struct timespec ts = { 0, 10000000 };
	int i;

	for (i = 0; i < 2000; i++) {
		if (!row_read(path, pid, r) && strcmp(row_str(r, col), "-"))
			return;
		nanosleep(&ts, NULL);
	}
	die("no row for %d with %s known in %s", pid, col, path);
}

int main(void)
{
	unsigned long long resp, turn, xresp, xturn;
	struct rusage ru;
	int go[2], status;
	struct row r;
	pid_t child;
	char c = 0;

	module_load();
	pin_cpu0();
	start_hogs();
	if (pipe(go))
		die("pipe");
	child = fork();
	if (child < 0)
		die("fork");
	if (!child) {
		if (read(go[0], &c, 1) != 1)
			_exit(1);
		_exit(0);
	}
	wait_row("/proc/pcbstat", child, &r, "response_ns");
	resp = row_u64(&r, "response_ns");
	turn = row_u64(&r, "turnaround_ns");
	printf("live: response %llu ns, turnaround %llu ns\n", resp, turn);
	if (!resp || resp > turn)
		die("response %llu not in (0, turnaround %llu]", resp, turn);

	if (write(go[1], &c, 1) != 1)
		die("write");
	/* The record is written at the final switch; reap only after it. */
	wait_row("/proc/pcbstat_exited", child, &r, "turnaround_ns");
	if (wait4(child, &status, 0, &ru) != child || status)
		die("child failed");
	stop_hogs();
	xresp = row_u64(&r, "response_ns");
	xturn = row_u64(&r, "turnaround_ns");
	printf("exited: response %llu turnaround %llu nvcsw %llu/%ld nivcsw %llu/%ld\n",
	       xresp, xturn, row_u64(&r, "nvcsw"), ru.ru_nvcsw,
	       row_u64(&r, "nivcsw"), ru.ru_nivcsw);
	if (xresp != resp)
		die("exited response %llu, live %llu", xresp, resp);
	if (xturn < turn || xturn < xresp)
		die("exited turnaround %llu below live %llu or response", xturn,
		    turn);
	if (row_u64(&r, "nvcsw") != (unsigned long long)ru.ru_nvcsw ||
	    row_u64(&r, "nivcsw") != (unsigned long long)ru.ru_nivcsw)
		die("exit switch counts differ from wait4()");
	if (strcmp(row_str(&r, "state"), "X") ||
	    strcmp(row_str(&r, "comm"), "response"))
		die("exited record: state %s comm %s", row_str(&r, "state"),
		    row_str(&r, "comm"));
	module_unload();
	return 0;
}
