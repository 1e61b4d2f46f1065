// SPDX-License-Identifier: GPL-2.0
/*
 * pcbbench sched's peers: a pcbsched policy (with its knobs), one of the
 * kernel's example schedulers from build/peers, or EEVDF (nothing
 * attached). Attaching waits, bounded, until sched_ext says it is on.
 */
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "sched.h"

/* pcbsched's non-preemptive policies, the ones with --cap-ms. */
static const char *const capped_policies[] = {
	"hrrn", "sjf", "fcfs", "prio", "dprio",
};

bool scx_enabled(void)
{
	char buf[32] = "";
	FILE *f = fopen("/sys/kernel/sched_ext/state", "r");

	if (!f)
		return false;
	if (!fgets(buf, sizeof(buf), f))
		buf[0] = '\0';
	fclose(f);
	return !strncmp(buf, "enabled", 7);
}

/* @rel resolved against the directory pcbbench lives in (build/bin). */
static void beside_self(char *buf, size_t size, const char *rel)
{
	ssize_t n = readlink("/proc/self/exe", buf, size - 1);
	char *slash;

	if (n < 0)
		n = 0;
	buf[n] = '\0';
	slash = strrchr(buf, '/');
	if (slash)
		snprintf(slash + 1, size - (slash + 1 - buf), "%s", rel);
	else
		snprintf(buf, size, "%s", rel);
}

static bool is_scx_peer(const char *peer)
{
	return !strncmp(peer, "scx_", 4);
}

/* The policy a peer names, without its knobs ("hrrn:cap_ms=5" is hrrn). */
static bool peer_is(const char *peer, const char *policy)
{
	size_t n = strlen(policy);

	return !strncmp(peer, policy, n) && (!peer[n] || peer[n] == ':');
}

bool is_capped(const char *peer)
{
	size_t i;

	for (i = 0; i < sizeof(capped_policies) / sizeof(capped_policies[0]);
	     i++)
		if (peer_is(peer, capped_policies[i]))
			return true;
	return false;
}

void scx_peer_path(char *buf, size_t size, const char *peer)
{
	char rel[64];

	snprintf(rel, sizeof(rel), "../peers/%s", peer);
	beside_self(buf, size, rel);
}

/*
 * A pcbsched peer is a policy name, optionally with knobs:
 * "mlfq:preempt=1:allot=2" runs 'pcbsched mlfq --preempt 1 --allot 2', so
 * that variants of one policy can be compared in the same boot. A non-zero
 * @cap_ms adds --cap-ms.
 */
#define MAX_PEER_ARGS 16

static void exec_pcbsched(const char *peer, int cap_ms)
{
	char path[PATH_MAX], *spec = strdup(peer), *knob, *eq, *save = NULL;
	char *argv[2 * MAX_PEER_ARGS + 7];
	char flags[MAX_PEER_ARGS][64], cap[16];
	int n = 0, k = 0;

	if (!spec)
		_exit(127);
	beside_self(path, sizeof(path), "pcbsched");
	argv[n++] = "pcbsched";
	argv[n++] = strtok_r(spec, ":", &save);
	while ((knob = strtok_r(NULL, ":", &save)) && k < MAX_PEER_ARGS) {
		eq = strchr(knob, '=');
		if (!eq)
			_exit(127);
		*eq = '\0';
		snprintf(flags[k], sizeof(flags[k]), "--%s", knob);
		argv[n++] = flags[k++];
		argv[n++] = eq + 1;
	}
	if (cap_ms) {
		snprintf(cap, sizeof(cap), "%d", cap_ms);
		argv[n++] = "--cap-ms";
		argv[n++] = cap;
	}
	argv[n++] = "--interval";
	argv[n++] = "0";
	argv[n] = NULL;
	execv(path, argv);
	_exit(127);
}

/*
 * Attach @peer: a pcbsched policy (with --cap-ms @cap_ms if non-zero) or
 * one of the kernel's examples from build/peers. 0 for EEVDF, -1 if it
 * did not attach.
 */
pid_t start_peer(const char *peer, int cap_ms)
{
	char path[PATH_MAX];
	pid_t pid;
	int i;

	if (!strcmp(peer, "eevdf"))
		return 0;
	if (is_scx_peer(peer))
		scx_peer_path(path, sizeof(path), peer);
	pid = fork();
	if (pid < 0)
		return -1;
	if (!pid) {
		if (!freopen("/dev/null", "w", stdout))
			_exit(127);
		if (is_scx_peer(peer))
			execl(path, peer, NULL);
		else
			exec_pcbsched(peer, cap_ms);
		_exit(127);
	}
	/* bounded, and over as soon as the loader gives up or crashes */
	for (i = 0; i < 600 && !scx_enabled(); i++) {
		if (waitpid(pid, NULL, WNOHANG) == pid)
			return -1;
		usleep(50 * 1000);
	}
	if (!scx_enabled()) {
		kill(pid, SIGINT);
		waitpid(pid, NULL, 0);
		return -1;
	}
	return pid;
}

/* Did @pid's scheduler stay attached? The kernel may eject it meanwhile. */
bool peer_alive(pid_t pid)
{
	if (pid <= 0)
		return !scx_enabled();
	return waitpid(pid, NULL, WNOHANG) == 0 && scx_enabled();
}

void stop_peer(pid_t pid)
{
	int i;

	if (pid <= 0)
		return;
	kill(pid, SIGINT);
	waitpid(pid, NULL, 0);
	for (i = 0; i < 600 && scx_enabled(); i++)
		usleep(50 * 1000);
}
