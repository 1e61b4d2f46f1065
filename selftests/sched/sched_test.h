/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Helpers for the pcbsched tests: start and stop a policy through the
 * real CLI, make tasks with a known CPU pattern on one CPU, and ask the
 * policy what it thinks of them ('pcbsched task PID --json').
 */
#ifndef SCHED_TEST_H
#define SCHED_TEST_H

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "ksft.h"

#define NSEC_PER_SEC 1000000000LL
#define MS	     (1000 * 1000LL)
#define SCHED_EXT    7

static pid_t policy_pid;
static pid_t helpers[64];
static int nr_helpers;

static inline void stop_policy_quietly(void)
{
	if (policy_pid > 0) {
		kill(policy_pid, SIGINT);
		waitpid(policy_pid, NULL, 0);
		policy_pid = 0;
	}
}

/* What die() and skip() undo: the helpers, then the policy. */
static void sched_cleanup(void)
{
	while (nr_helpers > 0)
		kill(helpers[--nr_helpers], SIGKILL);
	stop_policy_quietly();
}

static inline long long now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * NSEC_PER_SEC + ts.tv_nsec;
}

static inline long long thread_cpu_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return ts.tv_sec * NSEC_PER_SEC + ts.tv_nsec;
}

/* Burn @ns of this thread's own CPU time, however long that takes. */
static inline void burn_cpu(long long ns)
{
	long long end = thread_cpu_ns() + ns;

	while (thread_cpu_ns() < end)
		;
}

static inline void sleep_ns(long long ns)
{
	struct timespec ts = { ns / NSEC_PER_SEC, ns % NSEC_PER_SEC };

	nanosleep(&ts, NULL);
}

static inline void pin_to_cpu(int cpu)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	if (sched_setaffinity(0, sizeof(set), &set))
		die("pin to CPU %d: %s", cpu, strerror(errno));
}

static inline bool read_file(const char *path, char *buf, size_t size)
{
	int fd = open(path, O_RDONLY);
	ssize_t n;

	if (fd < 0)
		return false;
	n = read(fd, buf, size - 1);
	close(fd);
	if (n < 0)
		return false;
	buf[n] = '\0';
	buf[strcspn(buf, "\n")] = '\0';
	return true;
}

static inline bool scx_state_is(const char *want)
{
	char buf[64];

	return read_file("/sys/kernel/sched_ext/state", buf, sizeof(buf)) &&
	       !strcmp(buf, want);
}

/* Poll @cond every 20 ms for at most @seconds. */
#define wait_for(seconds, cond)                                        \
	({                                                             \
		long long __end = now_ns() + (seconds) * NSEC_PER_SEC; \
		bool __ok;                                             \
		while (!(__ok = (cond)) && now_ns() < __end)           \
			sleep_ns(20 * 1000 * 1000);                    \
		__ok;                                                  \
	})

static inline void require_sched_ext(void)
{
	ksft_cleanup = sched_cleanup;
	if (geteuid())
		skip("needs root");
	if (access("/sys/kernel/sched_ext/state", R_OK))
		skip("no sched_ext in this kernel");
	if (!scx_state_is("disabled"))
		die("a scheduler is attached before the test");
}

/* Run 'pcbsched ARGS...' in the background, output to the test's log. */
static inline void start_policy(const char *first, ...)
{
	const char *argv[32] = { "pcbsched", first };
	char log[512];
	const char *dir = getenv("PCBKIT_TEST_OUT");
	va_list ap;
	int n = 2, fd;

	va_start(ap, first);
	while (n < 31 && (argv[n] = va_arg(ap, const char *)))
		n++;
	va_end(ap);
	argv[n] = NULL;
	snprintf(log, sizeof(log), "%s/pcbsched.log", dir ? dir : "/tmp");
	fflush(stdout);
	policy_pid = fork();
	if (policy_pid < 0)
		die("fork: %s", strerror(errno));
	if (!policy_pid) {
		fd = open(log, O_WRONLY | O_CREAT | O_APPEND, 0644);
		if (fd >= 0) {
			dup2(fd, 1);
			dup2(fd, 2);
		}
		execvp("pcbsched", (char **)argv);
		_exit(127);
	}
	if (!wait_for(30, scx_state_is("enabled")))
		die("pcbsched %s did not attach (see %s)", first, log);
}

/* SIGINT the loader; it must detach cleanly with status 0. */
static inline void stop_policy(void)
{
	int status;

	kill(policy_pid, SIGINT);
	if (waitpid(policy_pid, &status, 0) < 0)
		die("waitpid pcbsched: %s", strerror(errno));
	policy_pid = 0;
	if (!WIFEXITED(status) || WEXITSTATUS(status))
		die("pcbsched exited with status 0x%x", status);
	if (!wait_for(30, scx_state_is("disabled")))
		die("sched_ext still attached after pcbsched exited");
}

/*
 * Makes the calling child a SCHED_EXT task (the policy runs --partial).
 * A child must not die(): that would kill its siblings and detach the
 * policy; its exit status tells the parent instead.
 */
static inline void become_ext(void)
{
	struct sched_param param = { 0 };

	if (sched_setscheduler(0, SCHED_EXT, &param)) {
		fprintf(stderr, "SCHED_EXT: %s\n", strerror(errno));
		_exit(3);
	}
}

/* Memory the test shares with the children it forks afterwards. */
static inline void *map_shared(size_t size)
{
	void *p = mmap(NULL, size, PROT_READ | PROT_WRITE,
		       MAP_SHARED | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED)
		die("mmap: %s", strerror(errno));
	return p;
}

/* A child running @fn pinned to @cpu; killed by the test when done. */
static inline pid_t spawn(int cpu, void (*fn)(void *), void *arg)
{
	pid_t pid;

	fflush(stdout);
	pid = fork();
	if (pid < 0)
		die("fork: %s", strerror(errno));
	if (!pid) {
		if (cpu >= 0)
			pin_to_cpu(cpu);
		fn(arg);
		_exit(0);
	}
	if (nr_helpers < 64)
		helpers[nr_helpers++] = pid;
	return pid;
}

static inline void reap(pid_t pid)
{
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
}

static inline void hog(void *unused)
{
	for (;;)
		;
}

/* Output of a command's first line, or "" when it fails. */
static inline bool command_line(const char *cmd, char *buf, size_t size)
{
	FILE *f = popen(cmd, "r");
	bool ok;

	if (!f)
		return false;
	ok = fgets(buf, size, f) != NULL;
	return pclose(f) == 0 && ok;
}

/* A number field of a flat JSON object, e.g. "level". */
static inline bool json_number(const char *json, const char *key, double *out)
{
	char pat[64];
	const char *p;

	snprintf(pat, sizeof(pat), "\"%s\":", key);
	p = strstr(json, pat);
	if (!p)
		return false;
	*out = strtod(p + strlen(pat), NULL);
	return true;
}

/* The MLFQ level the loaded policy has for @pid, or -1. */
static inline int task_level(pid_t pid)
{
	char cmd[64], out[512];
	double level;

	snprintf(cmd, sizeof(cmd), "pcbsched task %d --json 2>/dev/null", pid);
	if (!command_line(cmd, out, sizeof(out)) ||
	    !json_number(out, "level", &level))
		return -1;
	return (int)level;
}

/* A counter from 'pcbsched status --json', e.g. "boosts". */
static inline long long status_counter(const char *key)
{
	char out[4096];
	double v;

	if (!command_line("pcbsched status --json", out, sizeof(out)) ||
	    !json_number(out, key, &v))
		return -1;
	return (long long)v;
}

#endif /* SCHED_TEST_H */
