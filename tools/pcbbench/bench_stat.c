// SPDX-License-Identifier: GPL-2.0
/*
 * pcbbench stat: what pcbstat.ko costs and what it saves, in one boot.
 *
 * P1  perf bench sched pipe with the module unloaded (anchor) and loaded,
 *     in pairs of back-to-back runs; ratio = median over the pairs of
 *     loaded / unloaded usecs per op (goal 1.03).
 * P2  with N extra sleeping processes, reading every process's figures
 *     from /proc/pcbstat vs scraping /proc/<pid>/status and schedstat
 *     (anchor); ratio = scrape / pcbstat time (goal >= 20).
 */
#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bench.h"
#include "measure.h"

#define P1_PAIRS 9
#define P1_LOOPS 10000
#define P2_RUNS	 7

/* usecs/op of one perf bench sched pipe run, or a negative number. */
static double pipe_usecs(int loops)
{
	char cmd[128], line[256];
	double v = -1;
	FILE *p;

	snprintf(cmd, sizeof(cmd), "perf bench sched pipe -l %d 2>&1", loops);
	p = popen(cmd, "r");
	if (!p)
		return -1;
	while (fgets(line, sizeof(line), p))
		if (strstr(line, "usecs/op"))
			sscanf(line, " %lf", &v);
	pclose(p);
	return v;
}

static int bench_p1(int loops)
{
	double off[P1_PAIRS], on[P1_PAIRS], ratio[P1_PAIRS];
	struct summary s_off, s_on, s_ratio;
	int i, k;

	for (i = 0; i < P1_PAIRS; i++) {
		for (k = 0; k < 2; k++) {
			/* Alternate the order: a drifting host favours neither. */
			int loaded = k ^ (i & 1);

			if (module_set(loaded))
				return -1;
			(loaded ? on : off)[i] = pipe_usecs(loops);
		}
		if (off[i] <= 0 || on[i] <= 0) {
			fprintf(stderr,
				"pcbbench stat: perf bench sched pipe failed\n");
			return -1;
		}
		ratio[i] = on[i] / off[i];
	}
	summarize(off, P1_PAIRS, &s_off);
	summarize(on, P1_PAIRS, &s_on);
	summarize(ratio, P1_PAIRS, &s_ratio);
	/*
	 * Other guests share the host and single runs spread widely; a pair
	 * run back to back shares its disturbance, so the median of the
	 * pairs' ratios is the figure, not a ratio of two spreads.
	 */
	printf("P1 sched pipe (%d loops x %d pairs): unloaded %.2f us/op p50 "
	       "(min %.2f), loaded %.2f p50 (min %.2f); ratio median of pairs "
	       "%.3f (min %.3f, max %.3f), of p50s %.3f (goal <= 1.03)\n",
	       loops, P1_PAIRS, s_off.p50, s_off.min, s_on.p50, s_on.min,
	       s_ratio.p50, s_ratio.min, s_ratio.max, s_on.p50 / s_off.p50);
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
			fprintf(stderr, "pcbbench stat: fork %d of %d failed\n",
				i, n);
			exit(1);
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

static long read_all(const char *path, char *buf, size_t size)
{
	long total = 0, r;
	int fd = open(path, O_RDONLY);

	if (fd < 0)
		return -1;
	while ((r = read(fd, buf, size)) > 0)
		total += r;
	close(fd);
	return total;
}

/* One pass of the anchor: the figures /proc/pcbstat has, from procfs. */
static long scrape_procfs(char *buf, size_t size)
{
	DIR *d = opendir("/proc");
	unsigned long long vol, invol;
	struct dirent *e;
	char path[300];
	long n = 0;

	if (!d)
		return -1;
	while ((e = readdir(d))) {
		char *p;

		if (e->d_name[0] < '0' || e->d_name[0] > '9')
			continue;
		snprintf(path, sizeof(path), "/proc/%s/status", e->d_name);
		if (read_all(path, buf, size) < 0)
			continue;
		p = strstr(buf, "voluntary_ctxt_switches:");
		if (!p || sscanf(p, "voluntary_ctxt_switches: %llu", &vol) != 1)
			continue;
		p = strstr(buf, "nonvoluntary_ctxt_switches:");
		if (!p ||
		    sscanf(p, "nonvoluntary_ctxt_switches: %llu", &invol) != 1)
			continue;
		snprintf(path, sizeof(path), "/proc/%s/schedstat", e->d_name);
		read_all(path, buf, size);
		n++;
	}
	closedir(d);
	return n;
}

static double time_ns(int scrape, char *buf, size_t size)
{
	uint64_t t0 = now_ns();

	if (scrape)
		scrape_procfs(buf, size);
	else
		read_all("/proc/pcbstat", buf, size);
	return (double)(now_ns() - t0);
}

static int bench_p2(int ntasks)
{
	double ours[P2_RUNS], anchor[P2_RUNS];
	struct summary s_ours, s_anchor;
	size_t size = 1 << 20;
	char *buf = malloc(size);
	pid_t *pids;
	int i;

	if (!buf)
		return -1;
	pids = spawn_sleepers(ntasks);
	if (!pids)
		return -1;
	for (i = 0; i < P2_RUNS; i++) {
		anchor[i] = time_ns(1, buf, size);
		ours[i] = time_ns(0, buf, size);
	}
	reap(pids, ntasks);
	free(buf);
	summarize(anchor, P2_RUNS, &s_anchor);
	summarize(ours, P2_RUNS, &s_ours);
	printf("P2 %5d extra tasks: scrape /proc/*/status+schedstat %.2f ms, "
	       "/proc/pcbstat %.2f ms (p50 of %d), ratio %.1fx (goal >= 20)\n",
	       ntasks, s_anchor.p50 / 1e6, s_ours.p50 / 1e6, P2_RUNS,
	       s_anchor.p50 / s_ours.p50);
	return 0;
}

int bench_stat_run(int argc, char **argv)
{
	int loops = argc > 1 ? atoi(argv[1]) : P1_LOOPS;
	int was_loaded = module_is_loaded();
	int rc = 0;

	if (argc > 1 &&
	    (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help"))) {
		printf("usage: pcbbench stat [LOOPS]  (perf bench sched pipe loops, default 10000)\n");
		return 0;
	}
	if (geteuid()) {
		fprintf(stderr, "pcbbench stat: needs root (insmod/rmmod)\n");
		return 1;
	}
	if (bench_p1(loops > 0 ? loops : P1_LOOPS))
		rc = 1;
	if (!module_is_loaded() && module_set(1))
		return 1;
	if (bench_p2(1000) || bench_p2(5000))
		rc = 1;
	if (!was_loaded)
		module_set(0);
	return rc;
}
