// SPDX-License-Identifier: GPL-2.0
/*
 * pcbbench stat: what pcbstat.ko costs and what it saves, in one boot.
 *
 * P1  perf bench sched pipe with the module unloaded (anchor) and loaded,
 *     in rounds of back-to-back runs; ratio = median over the rounds of
 *     loaded / unloaded usecs per op (goal 1.03), with a 95% confidence
 *     interval that says whether the boot met it. Each round also runs the
 *     anchor a second time, so the median of "unloaded again / unloaded"
 *     shows what no difference looks like in this boot (the noise floor),
 *     and runs every variant once more with both tasks pinned to CPU 0,
 *     where an op is exactly two switches and two wakeups and the extra
 *     time per op is the probes' own cost. --vs KO adds other builds of
 *     the module as variants of the same rounds (an A/B in one boot).
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
#include "cli.h"
#include "measure.h"

#define P1_ROUNDS      11
#define P1_MAX_ROUNDS  301
#define P1_LOOPS       10000
#define P1_GOAL	       1.03
#define P1_MAX_VS      4
#define P1_RUN_TIMEOUT 180 /* seconds */
#define P2_RUNS	       7

/* The anchor, the anchor again, the module, and the --vs builds. */
#define P1_MAX_VARIANTS (3 + P1_MAX_VS)

struct p1_variant {
	const char *name;
	const char *ko;		     /* NULL: module unloaded */
	double us[2][P1_MAX_ROUNDS]; /* [pinned][round], usecs per op */
};

/*
 * usecs/op of one perf bench sched pipe run, or a negative number. Pinned,
 * perf and both of its tasks inherit taskset's affinity.
 */
static double pipe_usecs(int loops, int pinned)
{
	char cmd[128], line[256];
	double v = -1;
	FILE *p;

	/*
	 * Bounded: a run that never ends (seen twice under a loaded host,
	 * with the module loaded) costs its round, not the whole bench.
	 */
	snprintf(cmd, sizeof(cmd),
		 "timeout -k 5 %d %sperf bench sched pipe -l %d 2>&1",
		 P1_RUN_TIMEOUT, pinned ? "taskset -c 0 " : "", loops);
	p = popen(cmd, "r");
	if (!p)
		return -1;
	while (fgets(line, sizeof(line), p))
		if (strstr(line, "usecs/op"))
			sscanf(line, " %lf", &v);
	pclose(p);
	return v;
}

/*
 * Runs v free and pinned into slot @slot of attempt @round: 0, 1 if a run
 * failed (the round is dropped), -1 if the module would not change.
 */
static int p1_run_variant(struct p1_variant *v, int round, int slot, int loops)
{
	int k;

	if (module_use(v->ko))
		return -1;
	for (k = 0; k < 2; k++) {
		/* Alternate the order: a drifting host favours neither. */
		int pinned = k ^ (round & 1);

		v->us[pinned][slot] = pipe_usecs(loops, pinned);
		if (v->us[pinned][slot] <= 0) {
			fprintf(stderr,
				"pcbbench stat: round %d: perf bench sched "
				"pipe failed or timed out (%s, %s)\n",
				round, v->name, pinned ? "pinned" : "free");
			return 1;
		}
	}
	return 0;
}

/* The rounds' ratios of v to the anchor a: their summary and spread. */
struct p1_ratio {
	struct summary s;
	double q1, q3; /* quartiles */
	double lo, hi; /* 95% confidence interval of the median */
};

static void p1_ratios(const struct p1_variant *v, const struct p1_variant *a,
		      int pinned, int rounds, struct p1_ratio *pr)
{
	double r[P1_MAX_ROUNDS];
	int i;

	for (i = 0; i < rounds; i++)
		r[i] = v->us[pinned][i] / a->us[pinned][i];
	summarize(r, rounds, &pr->s);
	pr->q1 = percentile_sorted(r, rounds, 25);
	pr->q3 = percentile_sorted(r, rounds, 75);
	median_ci95(r, rounds, &pr->lo, &pr->hi);
}

/* Median over the rounds of v's extra usecs per op over the anchor's. */
static double p1_extra_us(const struct p1_variant *v,
			  const struct p1_variant *a, int pinned, int rounds)
{
	double d[P1_MAX_ROUNDS];
	struct summary s;
	int i;

	for (i = 0; i < rounds; i++)
		d[i] = v->us[pinned][i] - a->us[pinned][i];
	summarize(d, rounds, &s);
	return s.p50;
}

static double p1_p50(const struct p1_variant *v, int pinned, int rounds,
		     double *min)
{
	double u[P1_MAX_ROUNDS];
	struct summary s;

	memcpy(u, v->us[pinned], rounds * sizeof(*u));
	summarize(u, rounds, &s);
	*min = s.min;
	return s.p50;
}

static void p1_report_variant(const struct p1_variant *v,
			      const struct p1_variant *a, int rounds)
{
	static const char *const mode[] = { "free", "pinned" };
	struct p1_ratio pr;
	int pinned;

	for (pinned = 0; pinned < 2; pinned++) {
		p1_ratios(v, a, pinned, rounds, &pr);
		/*
		 * Pinned, an op is two switches and two wakeups on one CPU:
		 * half the extra time per op is what one of each costs.
		 */
		printf("P1   %-22s %-6s ratio %.3f (95%% CI %.3f-%.3f, IQR "
		       "%.3f-%.3f, min %.3f, max %.3f), %+.0f ns/op%s",
		       v->name, mode[pinned], pr.s.p50, pr.lo, pr.hi, pr.q1,
		       pr.q3, pr.s.min, pr.s.max,
		       1000 * p1_extra_us(v, a, pinned, rounds),
		       pinned ? "" : "\n");
		if (pinned)
			printf(" = %+.0f ns per switch+wakeup\n",
			       500 * p1_extra_us(v, a, pinned, rounds));
	}
}

static int bench_p1(int loops, int rounds, const char *const *vs, int nvs)
{
	static struct p1_variant var[P1_MAX_VARIANTS];
	struct p1_variant *off = &var[0], *on = &var[2];
	double off_p50, off_min, on_p50, on_min;
	int n = 0, kept, err = 0, i, j;
	struct p1_ratio pr;

	var[n++] = (struct p1_variant){ .name = "unloaded" };
	var[n++] = (struct p1_variant){ .name = "unloaded again" };
	var[n++] = (struct p1_variant){ .name = "loaded", .ko = module_path() };
	for (i = 0; i < nvs; i++)
		var[n++] = (struct p1_variant){ .name = vs[i], .ko = vs[i] };

	for (i = 0, kept = 0; i < rounds; i++) {
		/*
		 * Each round runs every variant once, starting at a
		 * different one and reversing direction every other round,
		 * so that no variant keeps a place or a neighbour.
		 */
		for (j = 0; j < n; j++) {
			int k = (i & 1) ? (n - 1 - j + i) % n : (j + i) % n;

			err = p1_run_variant(&var[k], i, kept, loops);
			if (err)
				break;
		}
		if (err < 0)
			return -1;
		if (!err)
			kept++;
	}
	if (kept < rounds)
		printf("P1 %d of %d rounds dropped: a run failed or timed out "
		       "(stderr says which)\n",
		       rounds - kept, rounds);
	if (!kept)
		return -1;
	rounds = kept;

	/*
	 * Other guests share the host and single runs spread widely; runs
	 * of one round share their disturbance, so the median of the
	 * rounds' ratios is the figure, not a ratio of two spreads.
	 */
	off_p50 = p1_p50(off, 0, rounds, &off_min);
	on_p50 = p1_p50(on, 0, rounds, &on_min);
	p1_ratios(on, off, 0, rounds, &pr);
	printf("P1 sched pipe (%d loops x %d rounds): unloaded %.2f us/op p50 "
	       "(min %.2f), loaded %.2f p50 (min %.2f); ratio median of "
	       "rounds %.3f (95%% CI %.3f-%.3f), of p50s %.3f: goal <= %.2f "
	       "%s\n",
	       loops, rounds, off_p50, off_min, on_p50, on_min, pr.s.p50, pr.lo,
	       pr.hi, on_p50 / off_p50, P1_GOAL,
	       verdict_at_most(pr.lo, pr.hi, P1_GOAL));
	off_p50 = p1_p50(off, 1, rounds, &off_min);
	on_p50 = p1_p50(on, 1, rounds, &on_min);
	p1_ratios(on, off, 1, rounds, &pr);
	printf("P1 pinned to CPU 0: unloaded %.2f us/op p50, loaded %.2f; "
	       "ratio %.3f (95%% CI %.3f-%.3f): goal <= %.2f %s\n",
	       off_p50, on_p50, pr.s.p50, pr.lo, pr.hi, P1_GOAL,
	       verdict_at_most(pr.lo, pr.hi, P1_GOAL));
	printf("P1 per variant, median of the rounds' ratios to unloaded "
	       "(unloaded again = the noise floor):\n");
	for (i = 1; i < n; i++)
		p1_report_variant(&var[i], off, rounds);
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

static void stat_usage(FILE *out)
{
	fprintf(out,
		"usage: pcbbench stat [LOOPS] [--rounds N] [--p1-only] "
		"[--vs KO]...\n"
		"  LOOPS       perf bench sched pipe loops per run (default %d)\n"
		"  --rounds N  P1 rounds, each running every variant (default "
		"%d, max %d)\n"
		"  --p1-only   skip P2\n"
		"  --vs KO     also measure this build of pcbstat.ko in the same "
		"rounds (up to %d)\n",
		P1_LOOPS, P1_ROUNDS, P1_MAX_ROUNDS, P1_MAX_VS);
}

struct stat_opts {
	int loops, rounds;
	bool p1_only;
	const char *vs[P1_MAX_VS];
	int nvs;
};

static int add_vs(void *ctx, const char *ko)
{
	struct stat_opts *o = ctx;

	if (o->nvs == P1_MAX_VS) {
		fprintf(stderr, "pcbbench stat: --vs: at most %d builds\n",
			P1_MAX_VS);
		return -1;
	}
	o->vs[o->nvs++] = ko;
	return 0;
}

/* 0 to run, else cli_parse()'s answer. */
static int stat_parse(struct stat_opts *o, int argc, char **argv)
{
	const struct cli_opt opts[] = {
		CLI_INT("rounds", 0, &o->rounds, 1, P1_MAX_ROUNDS),
		CLI_FLAG("p1-only", 0, &o->p1_only),
		CLI_CALL("vs", 0, add_vs, o),
		CLI_HELP(stat_usage),
		CLI_END,
	};
	long long loops;
	int next;

	*o = (struct stat_opts){ .loops = P1_LOOPS, .rounds = P1_ROUNDS };
	next = cli_parse("pcbbench stat", opts, argc, argv, false);
	if (next < 0)
		return next;
	if (next < argc) {
		if (cli_number("pcbbench stat", "LOOPS", argv[next++], 10, 1,
			       100000000, &loops))
			return CLI_BAD;
		o->loops = (int)loops;
	}
	if (next < argc) {
		fprintf(stderr, "pcbbench stat: unexpected argument '%s'\n",
			argv[next]);
		return CLI_BAD;
	}
	return 0;
}

int bench_stat_run(int argc, char **argv)
{
	int was_loaded = module_is_loaded();
	struct stat_opts o;
	int rc;

	rc = stat_parse(&o, argc, argv);
	if (rc)
		return cli_exit_status(rc);
	if (geteuid()) {
		fprintf(stderr, "pcbbench stat: needs root (insmod/rmmod)\n");
		return 1;
	}
	if (bench_p1(o.loops, o.rounds, o.vs, o.nvs))
		rc = 1;
	if (!o.p1_only) {
		/* P2 measures the module under test, not a --vs build. */
		if (module_use(NULL) || module_set(1))
			return 1;
		if (bench_p2(1000) || bench_p2(5000))
			rc = 1;
	}
	module_set(was_loaded);
	return rc;
}
