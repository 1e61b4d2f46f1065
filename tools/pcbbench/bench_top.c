// SPDX-License-Identifier: GPL-2.0
/*
 * pcbbench top: the CPU one pcbtop refresh costs against top(1) reading
 * procfs, both in batch mode over the same extra sleeping processes, in
 * the same boot. CPU time is the child's user + system time from wait4().
 *
 * Each tool runs with one frame and with three; the difference over two is
 * what a refresh costs once running (startup, the first sample and the
 * libraries' own set-up cancel out), and the one-frame run is what a
 * script calling it once pays.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bench.h"
#include "cli.h"
#include "measure.h"

#define TOP_TASKS  5000
#define TOP_TRIALS 5
#define MAX_TRIALS 101

static char pcbtop_path[PATH_MAX + 16];

/* pcbtop is built next to pcbbench. */
static int find_pcbtop(void)
{
	char self[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	char *slash;

	if (n < 0)
		return -errno;
	self[n] = '\0';
	slash = strrchr(self, '/');
	if (!slash)
		return -ENOENT;
	*slash = '\0';
	snprintf(pcbtop_path, sizeof(pcbtop_path), "%s/pcbtop", self);
	return access(pcbtop_path, X_OK) ? -errno : 0;
}

/* Seconds of CPU the command used, or a negative number if it failed. */
static double child_cpu(char *const argv[])
{
	struct rusage ru;
	int status, null;
	pid_t pid = fork();

	if (pid < 0)
		return -1;
	if (!pid) {
		null = open("/dev/null", O_WRONLY);
		if (null >= 0) {
			dup2(null, STDOUT_FILENO);
			dup2(null, STDERR_FILENO);
		}
		setenv("TERM", "dumb", 1);
		execvp(argv[0], argv);
		_exit(127);
	}
	if (wait4(pid, &status, 0, &ru) < 0 || !WIFEXITED(status) ||
	    WEXITSTATUS(status))
		return -1;
	return ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6 +
	       ru.ru_stime.tv_sec + ru.ru_stime.tv_usec / 1e6;
}

struct tool_run {
	const char *name;
	double one[MAX_TRIALS];	    /* CPU of a one-frame run */
	double refresh[MAX_TRIALS]; /* CPU per extra frame */
};

/* One trial of one tool: frames 1 and 3, 0.1 s apart. */
static int trial(struct tool_run *t, int i, bool is_pcbtop)
{
	char *pcbtop1[] = { pcbtop_path, "-b", "-n",  "1", "-d",
			    "0.1",	 "-w", "200", NULL };
	char *pcbtop3[] = { pcbtop_path, "-b", "-n",  "3", "-d",
			    "0.1",	 "-w", "200", NULL };
	char *top1[] = {
		"top", "-b", "-n", "1", "-d", "0.1", "-w", "200", NULL
	};
	char *top3[] = {
		"top", "-b", "-n", "3", "-d", "0.1", "-w", "200", NULL
	};
	double a = child_cpu(is_pcbtop ? pcbtop1 : top1);
	double b = child_cpu(is_pcbtop ? pcbtop3 : top3);

	if (a < 0 || b < 0) {
		fprintf(stderr, "pcbbench top: %s failed\n", t->name);
		return -1;
	}
	t->one[i] = a;
	t->refresh[i] = (b - a) / 2 > 0 ? (b - a) / 2 : 0;
	return 0;
}

static pid_t *spawn_sleepers(int n)
{
	pid_t *pids = calloc(n, sizeof(*pids));
	int i;

	if (!pids)
		return NULL;
	for (i = 0; i < n; i++) {
		pids[i] = fork();
		if (pids[i] < 0) {
			fprintf(stderr, "pcbbench top: fork %d of %d failed\n",
				i, n);
			while (i-- > 0)
				kill(pids[i], SIGKILL);
			free(pids);
			return NULL;
		}
		if (!pids[i]) {
			pause();
			_exit(0);
		}
	}
	return pids;
}

static void reap(pid_t *pids, int n)
{
	int i;

	for (i = 0; i < n; i++)
		kill(pids[i], SIGKILL);
	for (i = 0; i < n; i++)
		waitpid(pids[i], NULL, 0);
	free(pids);
}

static void report(const char *what, double *ours, double *anchor, int n)
{
	double ratio[MAX_TRIALS], lo, hi;
	struct summary so, sa, sr;
	int i;

	for (i = 0; i < n; i++)
		ratio[i] = anchor[i] > 0 ? ours[i] / anchor[i] : 0;
	summarize(ours, n, &so);
	summarize(anchor, n, &sa);
	summarize(ratio, n, &sr);
	median_ci95(ratio, n, &lo, &hi);
	printf("  %-22s pcbtop %7.1f ms, top %7.1f ms CPU (p50 of %d); "
	       "ratio %.3f [%.3f, %.3f] (goal < 1: %s)\n",
	       what, so.p50 * 1e3, sa.p50 * 1e3, n, sr.p50, lo, hi,
	       hi < 1	 ? "met"
	       : lo >= 1 ? "not met"
			 : "undecided");
}

static void top_usage(FILE *out)
{
	fprintf(out,
		"usage: pcbbench top [--tasks N] [--trials N]\n"
		"  --tasks N   extra sleeping processes (default %d)\n"
		"  --trials N  alternated trials of each tool (default %d)\n",
		TOP_TASKS, TOP_TRIALS);
}

/* 0 to run, else cli_parse()'s answer. */
static int top_parse(int *tasks, int *trials, int argc, char **argv)
{
	const struct cli_opt opts[] = {
		CLI_INT("tasks", 0, tasks, 0, 100000),
		CLI_INT("trials", 0, trials, 1, MAX_TRIALS),
		CLI_HELP(top_usage),
		CLI_END,
	};
	int next;

	next = cli_parse("pcbbench top", opts, argc, argv, false);
	if (next < 0)
		return next;
	if (next < argc) {
		fprintf(stderr, "pcbbench top: unexpected argument '%s'\n",
			argv[next]);
		return CLI_BAD;
	}
	return 0;
}

int bench_top_run(int argc, char **argv)
{
	struct tool_run ours = { .name = "pcbtop" }, anchor = { .name = "top" };
	int tasks = TOP_TASKS, trials = TOP_TRIALS, i, rc;
	int was_loaded = module_is_loaded();
	pid_t *pids;

	rc = top_parse(&tasks, &trials, argc, argv);
	if (rc)
		return cli_exit_status(rc);
	if (find_pcbtop()) {
		fprintf(stderr, "pcbbench top: no pcbtop next to pcbbench\n");
		return 1;
	}
	if (module_set(1))
		return 1;
	pids = spawn_sleepers(tasks);
	if (!pids) {
		rc = 1;
		goto restore_module;
	}
	printf("top: CPU of pcbtop -b vs top -b (procps), %d extra "
	       "processes, both -w 200 to /dev/null\n",
	       tasks);
	/* Alternated, so that drift in the machine's load hits both. */
	for (i = 0; i < trials && !rc; i++)
		if (trial(&ours, i, true) || trial(&anchor, i, false))
			rc = 1;
	reap(pids, tasks);
	if (!rc) {
		report("one refresh", ours.refresh, anchor.refresh, trials);
		report("one-frame run (-n 1)", ours.one, anchor.one, trials);
	}
restore_module:
	if (!was_loaded)
		module_set(0);
	return rc;
}
