// SPDX-License-Identifier: GPL-2.0
/*
 * pcbbench sched: every pcbsched policy and the kernel's own EEVDF, side
 * by side in one boot. EEVDF is the anchor; ratios are policy / EEVDF.
 *
 * P6 interactive probe: a task with a 10 ms period and 0.5 ms of work
 *    under 2 x nproc CPU hogs; wake-up latency (how late it ran after its
 *    absolute deadline, coordinated-omission safe: a missed period is
 *    still measured from when it should have run) p50/p99, and the share
 *    of periods whose work ended after the next period began.
 * P7 job mix: jobs with heavy-tailed lengths from long-lived workers
 *    (see run_jobs), loading the CPUs to 90%; mean and p99 turnaround,
 *    mean and worst waiting, mean response: the textbook's metrics.
 * P8 throughput: 'perf bench sched messaging' wall time, if perf exists.
 */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "bench.h"
#include "measure.h"

#define MS	     1000000ULL
#define PROBE_PERIOD (10 * MS)
#define PROBE_WORK   (MS / 2)
#define MAX_JOBS     64
#define MAX_PEERS    16

static const char *const default_peers[] = {
	"eevdf", "mlfq", "hrrn", "sjf", "fcfs", "rr", "prio", "dprio", "fifo",
};

struct bench_opts {
	double probe_secs;
	int nr_jobs;
	bool json;
	bool perf;
	const char *peers[MAX_PEERS];
	int nr_peers;
};

struct result {
	const char *peer;
	bool ok;
	struct summary probe; /* µs */
	double miss_pct;
	struct summary turnaround, waiting, response; /* ms */
	double messaging_s;			      /* 0: not measured */
};

static uint64_t cpu_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

static void burn(uint64_t ns)
{
	uint64_t end = cpu_ns() + ns;

	while (cpu_ns() < end)
		;
}

static void sleep_until(uint64_t t)
{
	struct timespec ts = { t / 1000000000ULL, t % 1000000000ULL };

	while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL) ==
	       EINTR)
		;
}

static bool scx_enabled(void)
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

/* pcbsched lives next to pcbbench. */
static void pcbsched_path(char *buf, size_t size)
{
	ssize_t n = readlink("/proc/self/exe", buf, size - 1);
	char *slash;

	if (n < 0)
		n = 0;
	buf[n] = '\0';
	slash = strrchr(buf, '/');
	if (slash)
		snprintf(slash + 1, size - (slash + 1 - buf), "pcbsched");
	else
		snprintf(buf, size, "pcbsched");
}

/*
 * A peer is a policy name, optionally with knobs: "mlfq:preempt=1:allot=2"
 * runs 'pcbsched mlfq --preempt 1 --allot 2', so that variants of one
 * policy can be compared in the same boot.
 */
#define MAX_PEER_ARGS 16

static void exec_peer(const char *peer)
{
	char path[PATH_MAX], *spec = strdup(peer), *knob, *eq, *save = NULL;
	char *argv[2 * MAX_PEER_ARGS + 5];
	char flags[MAX_PEER_ARGS][64];
	int n = 0, k = 0;

	if (!spec)
		_exit(127);
	pcbsched_path(path, sizeof(path));
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
	argv[n++] = "--interval";
	argv[n++] = "0";
	argv[n] = NULL;
	execv(path, argv);
	_exit(127);
}

static pid_t start_peer(const char *peer)
{
	pid_t pid;
	int i;

	if (!strcmp(peer, "eevdf"))
		return 0;
	pid = fork();
	if (pid < 0)
		return -1;
	if (!pid) {
		if (!freopen("/dev/null", "w", stdout))
			_exit(127);
		exec_peer(peer);
	}
	for (i = 0; i < 600 && !scx_enabled(); i++)
		usleep(50 * 1000);
	if (!scx_enabled()) {
		kill(pid, SIGINT);
		waitpid(pid, NULL, 0);
		return -1;
	}
	return pid;
}

static void stop_peer(pid_t pid)
{
	int i;

	if (pid <= 0)
		return;
	kill(pid, SIGINT);
	waitpid(pid, NULL, 0);
	for (i = 0; i < 600 && scx_enabled(); i++)
		usleep(50 * 1000);
}

static pid_t spawn_hog(void)
{
	pid_t pid = fork();

	if (!pid) {
		for (;;)
			;
	}
	return pid;
}

/* P6: lateness of each period's start, under 2 x nproc hogs. */
static void run_probe(const struct bench_opts *o, struct result *r)
{
	int nhogs = 2 * sysconf(_SC_NPROCESSORS_ONLN), i;
	size_t n = o->probe_secs * 1e9 / PROBE_PERIOD, k, misses = 0;
	double *late = calloc(n ? n : 1, sizeof(*late));
	pid_t hogs[256];
	uint64_t next;

	if (nhogs > 256)
		nhogs = 256;
	for (i = 0; i < nhogs; i++)
		hogs[i] = spawn_hog();
	next = now_ns() + PROBE_PERIOD;
	for (k = 0; k < n; k++) {
		sleep_until(next);
		late[k] = (now_ns() - next) / 1e3;
		burn(PROBE_WORK);
		next += PROBE_PERIOD;
		if (now_ns() > next)
			misses++;
	}
	for (i = 0; i < nhogs; i++) {
		kill(hogs[i], SIGKILL);
		waitpid(hogs[i], NULL, 0);
	}
	summarize(late, n, &r->probe);
	r->miss_pct = n ? 100.0 * misses / n : 0;
	free(late);
}

/*
 * P7 job mix. SJF and HRRN predict a job's length from its task's past
 * bursts, so jobs come from long-lived workers, each with its own length
 * (heavy-tailed across workers: most short, a few long) and a fixed
 * arrival period; together they load the CPUs to about 90%. Arrivals are
 * absolute times: a worker still busy with its last job starts the next
 * one late, and that lateness counts. The first WARMUP jobs of each worker
 * teach the policies its length and are not measured.
 */
#define NR_WORKERS 8
#define WARMUP	   4

static const double worker_len_ms[NR_WORKERS] = { 1, 1, 2, 3, 5, 8, 20, 60 };

struct job_times {
	uint64_t arrive, start, finish;
};

static void worker(int w, int nr_jobs, uint64_t t0, uint64_t period,
		   struct job_times *jt)
{
	uint64_t len = worker_len_ms[w] * MS, now;
	int k;

	for (k = 0; k < nr_jobs; k++) {
		jt[k].arrive = t0 + w * period / NR_WORKERS + k * period;
		sleep_until(jt[k].arrive);
		now = now_ns();
		jt[k].start = now > jt[k].arrive ? now : jt[k].arrive;
		burn(len);
		jt[k].finish = now_ns();
	}
}

static void run_jobs(const struct bench_opts *o, struct result *r)
{
	int per = o->nr_jobs, n = 0, w, k, ncpu = sysconf(_SC_NPROCESSORS_ONLN);
	double sum_len = 0, *tat, *wt, *rt;
	size_t bytes = sizeof(struct job_times) * NR_WORKERS * per;
	struct job_times *jt;
	pid_t pids[NR_WORKERS];
	uint64_t t0, period;

	for (w = 0; w < NR_WORKERS; w++)
		sum_len += worker_len_ms[w];
	/* 90% of the CPUs: sum(len) / period = 0.9 * ncpu */
	period = sum_len / (0.9 * ncpu) * MS;
	jt = mmap(NULL, bytes, PROT_READ | PROT_WRITE,
		  MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	tat = calloc(NR_WORKERS * per, sizeof(double));
	wt = calloc(NR_WORKERS * per, sizeof(double));
	rt = calloc(NR_WORKERS * per, sizeof(double));
	if (jt == MAP_FAILED || !tat || !wt || !rt)
		goto out;
	t0 = now_ns() + 100 * MS;
	for (w = 0; w < NR_WORKERS; w++) {
		pids[w] = fork();
		if (!pids[w]) {
			worker(w, per, t0, period, jt + w * per);
			_exit(0);
		}
	}
	for (w = 0; w < NR_WORKERS; w++)
		waitpid(pids[w], NULL, 0);
	for (w = 0; w < NR_WORKERS; w++)
		for (k = WARMUP; k < per; k++, n++) {
			struct job_times *j = &jt[w * per + k];

			tat[n] = (j->finish - j->arrive) / 1e6;
			wt[n] = tat[n] - worker_len_ms[w];
			rt[n] = (j->start - j->arrive) / 1e6;
		}
	summarize(tat, n, &r->turnaround);
	summarize(wt, n, &r->waiting);
	summarize(rt, n, &r->response);
out:
	free(tat);
	free(wt);
	free(rt);
	if (jt != MAP_FAILED)
		munmap(jt, bytes);
}

/* P8: 'perf bench sched messaging' total time, small enough for TCG. */
static void run_messaging(struct result *r)
{
	FILE *f =
		popen("perf bench sched messaging -g 2 -l 50 2>/dev/null", "r");
	char line[256];
	double s;

	if (!f)
		return;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, " Total time: %lf", &s) == 1)
			r->messaging_s = s;
	pclose(f);
}

static void run_peer(const struct bench_opts *o, const char *peer,
		     struct result *r)
{
	pid_t pid;

	memset(r, 0, sizeof(*r));
	r->peer = peer;
	pid = start_peer(peer);
	if (pid < 0) {
		fprintf(stderr, "pcbbench sched: cannot attach %s\n", peer);
		return;
	}
	run_probe(o, r);
	run_jobs(o, r);
	if (o->perf)
		run_messaging(r);
	stop_peer(pid);
	r->ok = true;
}

static double ratio(double v, double anchor)
{
	return anchor > 0 ? v / anchor : 0;
}

static void print_table(const struct result *res, int n)
{
	const struct result *a = &res[0]; /* EEVDF, the anchor */
	int i;

	printf("\npcbbench sched: %ld CPUs; ratios are against %s (same boot)\n",
	       sysconf(_SC_NPROCESSORS_ONLN), a->peer);
	printf("%-6s | %9s %9s %6s %6s | %8s %8s %8s %8s %8s %6s | %8s %6s\n",
	       "policy", "P6 p50us", "p99us", "miss%", "p99x", "P7 TATms",
	       "p99TAT", "wait", "maxwait", "resp", "TATx", "P8 s", "x");
	for (i = 0; i < n; i++) {
		const struct result *r = &res[i];

		if (!r->ok) {
			printf("%-6s | not measured\n", r->peer);
			continue;
		}
		printf("%-6s | %9.0f %9.0f %6.1f %6.2f | %8.1f %8.1f %8.1f "
		       "%8.1f %8.1f %6.2f | %8.3f %6.2f\n",
		       r->peer, r->probe.p50, r->probe.p99, r->miss_pct,
		       ratio(r->probe.p99, a->probe.p99), r->turnaround.mean,
		       r->turnaround.p99, r->waiting.mean, r->waiting.max,
		       r->response.mean,
		       ratio(r->turnaround.mean, a->turnaround.mean),
		       r->messaging_s, ratio(r->messaging_s, a->messaging_s));
	}
}

static void print_json(const struct result *res, int n)
{
	int i;

	printf("[");
	for (i = 0; i < n; i++) {
		const struct result *r = &res[i];

		printf("%s{\"policy\":\"%s\",\"ok\":%s,\"probe_p50_us\":%.1f,"
		       "\"probe_p99_us\":%.1f,\"probe_miss_pct\":%.2f,"
		       "\"turnaround_mean_ms\":%.2f,\"turnaround_p99_ms\":%.2f,"
		       "\"waiting_mean_ms\":%.2f,\"waiting_max_ms\":%.2f,"
		       "\"response_mean_ms\":%.2f,\"messaging_s\":%.3f}",
		       i ? "," : "", r->peer, r->ok ? "true" : "false",
		       r->probe.p50, r->probe.p99, r->miss_pct,
		       r->turnaround.mean, r->turnaround.p99, r->waiting.mean,
		       r->waiting.max, r->response.mean, r->messaging_s);
	}
	printf("]\n");
}

static int parse(int argc, char **argv, struct bench_opts *o)
{
	static const struct option longopts[] = {
		{ "policies", required_argument, NULL, 'p' },
		{ "probe-secs", required_argument, NULL, 's' },
		{ "jobs", required_argument, NULL, 'n' },
		{ "no-perf", no_argument, NULL, 'P' },
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL },
	};
	char *list, *tok;
	int c;

	o->probe_secs = 2;
	o->nr_jobs = 16;
	o->perf = true;
	optind = 1;
	while ((c = getopt_long(argc, argv, "p:s:n:jh", longopts, NULL)) !=
	       -1) {
		switch (c) {
		case 'p':
			list = strdup(optarg);
			for (tok = strtok(list, ",");
			     tok && o->nr_peers < MAX_PEERS;
			     tok = strtok(NULL, ","))
				o->peers[o->nr_peers++] = tok;
			break;
		case 's':
			o->probe_secs = atof(optarg);
			break;
		case 'n':
			o->nr_jobs = atoi(optarg);
			if (o->nr_jobs <= WARMUP || o->nr_jobs > MAX_JOBS)
				return -1;
			break;
		case 'P':
			o->perf = false;
			break;
		case 'j':
			o->json = true;
			break;
		case 'h':
			printf("usage: pcbbench sched [--policies eevdf,mlfq,...] "
			       "[--probe-secs S] [--jobs N per worker] [--no-perf] [--json]\n"
			       "The first policy is the anchor (default eevdf); a policy may\n"
			       "carry pcbsched knobs: mlfq:preempt=1:boost-ms=1000\n");
			exit(0);
		default:
			return -1;
		}
	}
	if (o->probe_secs <= 0 || o->probe_secs > 600)
		return -1;
	return 0;
}

int bench_sched_run(int argc, char **argv)
{
	struct result res[MAX_PEERS];
	struct bench_opts o = { 0 };
	size_t i;

	if (parse(argc, argv, &o)) {
		fprintf(stderr, "pcbbench sched: bad options (--help)\n");
		return 2;
	}
	if (!o.nr_peers)
		for (i = 0;
		     i < sizeof(default_peers) / sizeof(default_peers[0]); i++)
			o.peers[o.nr_peers++] = default_peers[i];
	if (scx_enabled()) {
		fprintf(stderr, "pcbbench sched: a sched_ext scheduler is "
				"already attached\n");
		return 1;
	}
	for (i = 0; i < (size_t)o.nr_peers; i++) {
		if (!o.json)
			fprintf(stderr, "pcbbench sched: measuring %s\n",
				o.peers[i]);
		run_peer(&o, o.peers[i], &res[i]);
	}
	if (o.json)
		print_json(res, o.nr_peers);
	else
		print_table(res, o.nr_peers);
	return res[0].ok ? 0 : 1;
}
