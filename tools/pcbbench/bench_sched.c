// SPDX-License-Identifier: GPL-2.0
/*
 * pcbbench sched: every pcbsched policy, the kernel's own EEVDF and the
 * kernel's example sched_ext schedulers (if tools/scx-peers/build built
 * them), side by side in one boot. EEVDF is the anchor of P6 and P8; P7,
 * the textbook's metrics, is also given against FCFS.
 *
 * P6 interactive probe: a task with a 10 ms period and 0.5 ms of work
 *    under 2 x nproc CPU hogs. Its wake-to-run latency (schedstat's
 *    run_delay across the sleep: runnable after the timer woke it) p50
 *    and p99, the goal's measure; how late it ran after its absolute
 *    deadline (coordinated-omission safe: a missed period is still
 *    measured from when it should have run), which adds the timer's
 *    and the host's delay before the wake-up; and the share of periods
 *    whose work ended after the next period began.
 * P7 job mix: heavy-tailed job lengths arriving as a Poisson process at
 *    90% of the CPUs (sched_jobs.c); mean and p99 turnaround, mean and
 *    worst waiting, mean response. The non-preemptive policies run it
 *    with their run cap above the longest job, so that they are.
 * P8 throughput: 'perf bench sched messaging' wall time, if perf exists.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <stddef.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "bench.h"
#include "sched.h"

#define PROBE_PERIOD (10 * MS)
#define PROBE_WORK   (MS / 2)
#define MAX_PEERS    16
#define MAX_ROUNDS   15

static const char *const default_peers[] = {
	"eevdf", "mlfq", "hrrn", "sjf", "fcfs", "rr", "prio", "dprio", "fifo",
};

/*
 * The kernel's examples that make sense as whole-system schedulers and
 * run here. scx_qmap builds too, but 7.3's loader segfaults inside
 * trixie's libbpf 1.5; name it in --policies to try it.
 */
static const char *const scx_peers[] = {
	"scx_simple",
	"scx_central",
	"scx_flatcg",
};

/* pcbsched's non-preemptive policies, the ones with --cap-ms. */
static const char *const capped_policies[] = {
	"hrrn", "sjf", "fcfs", "prio", "dprio",
};

struct bench_opts {
	double probe_secs;
	int nr_jobs;
	double load;
	double capacity; /* 0: measure it */
	int p7_cap_ms;
	int rounds; /* 0: no P7 */
	int hogs;   /* P6's CPU hogs; -1: 2 x nproc */
	unsigned short seed;
	bool json;
	bool perf;
	bool model; /* --model: sched_model.c's table only, no kernel */
	int cpus;   /* CPUs of the model (0: this machine's) */
	const char *out_dir;
	const char *peers[MAX_PEERS];
	int nr_peers;
};

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

static bool is_capped(const char *peer)
{
	size_t i;

	for (i = 0; i < sizeof(capped_policies) / sizeof(capped_policies[0]);
	     i++)
		if (peer_is(peer, capped_policies[i]))
			return true;
	return false;
}

static void scx_peer_path(char *buf, size_t size, const char *peer)
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
static pid_t start_peer(const char *peer, int cap_ms)
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
static bool peer_alive(pid_t pid)
{
	if (pid <= 0)
		return !scx_enabled();
	return waitpid(pid, NULL, WNOHANG) == 0 && scx_enabled();
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
static void run_probe(const struct bench_opts *o, struct peer_result *r)
{
	int nhogs = o->hogs < 0 ? 2 * sysconf(_SC_NPROCESSORS_ONLN) : o->hogs;
	int i;
	size_t n = o->probe_secs * 1e9 / PROBE_PERIOD, k, misses = 0;
	struct probe_samples s;
	pid_t hogs[256];
	uint64_t next;

	if (!probe_samples_init(&s, n))
		goto out;
	if (nhogs > 256)
		nhogs = 256;
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

/*
 * P8: 'perf bench sched messaging' total time, small enough for TCG. One
 * run differed by 1.8x between two boots of the same tree, so P8 is the
 * median of MESSAGING_RUNS.
 */
#define MESSAGING_RUNS 5

static double messaging_once(void)
{
	FILE *f =
		popen("perf bench sched messaging -g 2 -l 50 2>/dev/null", "r");
	char line[256];
	double s, total = 0;

	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, " Total time: %lf", &s) == 1)
			total = s;
	pclose(f);
	return total;
}

static void run_messaging(struct peer_result *r)
{
	double runs[MESSAGING_RUNS];
	struct summary sum;
	size_t n = 0;
	int i;

	for (i = 0; i < MESSAGING_RUNS; i++) {
		runs[n] = messaging_once();
		if (runs[n] > 0)
			n++;
	}
	if (!n)
		return;
	summarize(runs, n, &sum);
	r->messaging_s = sum.p50;
}

/* P6 and P8, with each policy as users get it. */
static void run_peer(const struct bench_opts *o, const char *peer,
		     struct peer_result *r)
{
	pid_t pid;

	memset(r, 0, sizeof(*r));
	r->peer = peer;
	pid = start_peer(peer, 0);
	if (pid < 0) {
		fprintf(stderr, "pcbbench sched: cannot attach %s\n", peer);
		return;
	}
	run_probe(o, r);
	if (o->perf)
		run_messaging(r);
	r->ok = peer_alive(pid);
	stop_peer(pid);
	if (!r->ok)
		fprintf(stderr, "pcbbench sched: %s was ejected\n", peer);
}

/*
 * One P7 round of one peer. P7 asks the textbook's question, so a
 * non-preemptive policy runs it with its run cap above the longest job:
 * with the default 20 ms cap a long job goes back to the tail of the
 * queue, and FCFS becomes round robin for exactly the jobs that make
 * FCFS what it is.
 */
static void run_p7_once(const struct bench_opts *o, const struct job_plan *plan,
			const char *peer, struct job_result *j)
{
	pid_t pid = start_peer(peer, is_capped(peer) ? o->p7_cap_ms : 0);

	memset(j, 0, sizeof(*j));
	if (pid < 0) {
		fprintf(stderr, "pcbbench sched: cannot attach %s for P7\n",
			peer);
		return;
	}
	run_jobs(plan, j);
	if (!peer_alive(pid)) {
		fprintf(stderr, "pcbbench sched: %s was ejected in P7\n", peer);
		j->ok = false;
	}
	stop_peer(pid);
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* The median over the good rounds of the field at @off of a job_result. */
static double median_field(const struct job_result *rounds, int nr, size_t off)
{
	double v[MAX_ROUNDS];
	int i, n = 0;

	for (i = 0; i < nr; i++)
		if (rounds[i].ok)
			v[n++] = *(const double *)((const char *)&rounds[i] +
						   off);
	if (!n)
		return 0;
	qsort(v, n, sizeof(v[0]), cmp_double);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

#define MEDIAN(field) \
	(out->field = \
		 median_field(rounds, nr, offsetof(struct job_result, field)))

static void median_rounds(const struct job_result *rounds, int nr,
			  struct job_result *out)
{
	int i, k;

	memset(out, 0, sizeof(*out));
	for (i = 0; i < nr; i++)
		out->ok |= rounds[i].ok;
	MEDIAN(turnaround.mean);
	MEDIAN(turnaround.p99);
	MEDIAN(waiting.mean);
	MEDIAN(waiting.max);
	MEDIAN(response.mean);
	MEDIAN(user_queued_pct);
	MEDIAN(drain_ms);
	for (k = 0; k < NR_JOB_CLASSES; k++)
		MEDIAN(class_tat[k]);
}

/*
 * Each peer's mean turnaround over FCFS's in the same round, median over
 * the rounds: the pairing cancels what a busy host does to a whole round.
 */
static void fcfs_ratios(const struct job_result *rounds, int nr_rounds,
			struct peer_result *res, int n)
{
	double v[MAX_ROUNDS];
	int f, p, r, k;

	for (f = 0; f < n && strcmp(res[f].peer, "fcfs"); f++)
		;
	if (f == n)
		return;
	for (p = 0; p < n; p++) {
		const struct job_result *a = &rounds[p * nr_rounds];
		const struct job_result *b = &rounds[f * nr_rounds];

		for (r = k = 0; r < nr_rounds; r++)
			if (a[r].ok && b[r].ok && b[r].turnaround.mean > 0)
				v[k++] = a[r].turnaround.mean /
					 b[r].turnaround.mean;
		if (!k)
			continue;
		qsort(v, k, sizeof(v[0]), cmp_double);
		res[p].jobs.fcfs_ratio =
			k % 2 ? v[k / 2] : (v[k / 2 - 1] + v[k / 2]) / 2;
	}
}

/*
 * P7 in rounds: every peer once per round, starting one peer later each
 * round, so that a busy spell of the host lands on different peers and
 * the median of the rounds sees past it.
 */
static void run_p7(const struct bench_opts *o, const struct job_plan *plan,
		   struct peer_result *res, int n)
{
	struct job_result *rounds = calloc(n * o->rounds, sizeof(*rounds));
	struct job_result *j;
	int r, i, p;

	if (!rounds)
		return;
	for (r = 0; r < o->rounds; r++)
		for (i = 0; i < n; i++) {
			p = (i + r) % n;
			if (!res[p].ok)
				continue;
			j = &rounds[p * o->rounds + r];
			run_p7_once(o, plan, res[p].peer, j);
			if (!o->json)
				fprintf(stderr,
					"pcbbench sched: P7 round %d/%d %-10s "
					"mean TAT %7.1f ms, drain %6.0f ms\n",
					r + 1, o->rounds, res[p].peer,
					j->turnaround.mean, j->drain_ms);
		}
	for (p = 0; p < n; p++)
		median_rounds(&rounds[p * o->rounds], o->rounds, &res[p].jobs);
	fcfs_ratios(rounds, o->rounds, res, n);
	free(rounds);
}

static double ratio(double v, double anchor)
{
	return anchor > 0 ? v / anchor : 0;
}

static const struct peer_result *find_result(const struct peer_result *res,
					     int n, const char *peer)
{
	int i;

	for (i = 0; i < n; i++)
		if (!strcmp(res[i].peer, peer) && res[i].ok && res[i].jobs.ok)
			return &res[i];
	return NULL;
}

/* P6's columns of one row: µs, and ratios against the anchor @a. */
static void print_probe(const struct peer_result *r,
			const struct peer_result *a)
{
	if (r->probe_rq_ok && a->probe_rq_ok)
		printf("%-11s | %9.0f %7.0f %6.2f ", r->peer, r->probe_rq.p50,
		       r->probe_rq.p99,
		       ratio(r->probe_rq.p99, a->probe_rq.p99));
	else
		printf("%-11s | %9s %7s %6s ", r->peer, "-", "-", "-");
	printf("%7.0f %7.0f ", r->probe.p50, r->probe.p99);
	if (r->probe_rq_ok)
		printf("%7.0f ", r->probe_wake.p99);
	else
		printf("%7s ", "-");
	printf("%7.2f %5.1f | ", ratio(r->probe.p99, a->probe.p99),
	       r->miss_pct);
}

static void print_table(const struct bench_opts *o, const struct job_plan *plan,
			const struct peer_result *res, int n)
{
	const struct peer_result *a = &res[0]; /* EEVDF, the anchor */
	const struct peer_result *fcfs = find_result(res, n, "fcfs");
	/* xFCFS: median over rounds of the ratio within each round */
	int i;

	printf("\npcbbench sched: %ld CPUs; ratios are against %s (same boot)"
	       "%s\n",
	       sysconf(_SC_NPROCESSORS_ONLN), a->peer,
	       fcfs ? "; P7 xFCFS against fcfs" : "");
	printf("P6: %d CPU hogs, %.0f s of 10 ms periods; w2r: wake-to-run "
	       "(runnable after the wake-up, the goal's measure), late: after "
	       "the deadline,\n    timer99: p99 of late - w2r (the timer's "
	       "and the host's delay before the wake-up)\n",
	       o->hogs < 0 ? 2 * (int)sysconf(_SC_NPROCESSORS_ONLN) : o->hogs,
	       o->probe_secs);
	if (o->perf)
		printf("P8: perf bench sched messaging -g 2 -l 50, median of %d "
		       "runs\n",
		       MESSAGING_RUNS);
	if (!o->rounds)
		printf("P7: not run (--rounds 0)\n");
	else
		printf("P7: %d jobs of 1-64 ms (heavy-tailed), Poisson arrivals at "
		       "%.0f%% of %.2f CPUs%s;\n    median of %d rounds; "
		       "non-preemptive policies capped at %d ms in P7; drain = last "
		       "finish - last arrival\n",
		       plan->nr_jobs, 100 * plan->load, plan->capacity,
		       o->capacity ? " (given or nominal)"
				   : " (measured job-mix capacity)",
		       o->rounds, o->p7_cap_ms ? o->p7_cap_ms : 20);
	printf("%-11s | %9s %7s %6s %7s %7s %7s %7s %5s | %8s %8s %8s %8s "
	       "%8s %6s %6s %6s | %8s %6s\n",
	       "policy", "P6 w2r50", "w2r99", "w2r99x", "late50", "late99",
	       "timer99", "late99x", "miss%", "P7 TATms", "p99TAT", "wait",
	       "maxwait", "resp", "drain", "TATx", "xFCFS", "P8 s", "x");
	for (i = 0; i < n; i++) {
		const struct peer_result *r = &res[i];
		const struct job_result *j = &r->jobs;

		if (!r->ok) {
			printf("%-11s | not measured\n", r->peer);
			continue;
		}
		print_probe(r, a);
		if (j->ok)
			printf("%8.1f %8.1f %8.1f %8.1f %8.1f %6.0f %6.2f "
			       "%6.2f | ",
			       j->turnaround.mean, j->turnaround.p99,
			       j->waiting.mean, j->waiting.max,
			       j->response.mean, j->drain_ms,
			       ratio(j->turnaround.mean,
				     a->jobs.turnaround.mean),
			       j->fcfs_ratio);
		else
			printf("%-76s | ", "P7 not measured");
		/* P8 is not measured with --no-perf or without perf */
		if (r->messaging_s > 0)
			printf("%8.3f %6.2f\n", r->messaging_s,
			       ratio(r->messaging_s, a->messaging_s));
		else
			printf("%8s %6s\n", "-", "-");
	}
	print_model_beside(plan, sysconf(_SC_NPROCESSORS_ONLN), res, n);
}

static void print_json(const struct peer_result *res, int n)
{
	int i;

	printf("[");
	for (i = 0; i < n; i++) {
		const struct peer_result *r = &res[i];
		const struct job_result *j = &r->jobs;

		printf("%s{\"policy\":\"%s\",\"ok\":%s,\"probe_p50_us\":%.1f,"
		       "\"probe_p99_us\":%.1f,\"probe_miss_pct\":%.2f,",
		       i ? "," : "", r->peer, r->ok ? "true" : "false",
		       r->probe.p50, r->probe.p99, r->miss_pct);
		if (r->probe_rq_ok)
			printf("\"probe_rq_p50_us\":%.1f,"
			       "\"probe_rq_p99_us\":%.1f,"
			       "\"probe_wake_p99_us\":%.1f,",
			       r->probe_rq.p50, r->probe_rq.p99,
			       r->probe_wake.p99);
		else
			printf("\"probe_rq_p50_us\":null,"
			       "\"probe_rq_p99_us\":null,"
			       "\"probe_wake_p99_us\":null,");
		printf("\"jobs_ok\":%s,"
		       "\"turnaround_mean_ms\":%.2f,\"turnaround_p99_ms\":%.2f,"
		       "\"waiting_mean_ms\":%.2f,\"waiting_max_ms\":%.2f,"
		       "\"response_mean_ms\":%.2f,\"user_queued_pct\":%.2f,"
		       "\"drain_ms\":%.1f,\"turnaround_x_fcfs\":%.3f,"
		       "\"messaging_s\":%.3f}",
		       j->ok ? "true" : "false", j->turnaround.mean,
		       j->turnaround.p99, j->waiting.mean, j->waiting.max,
		       j->response.mean, j->user_queued_pct, j->drain_ms,
		       j->fcfs_ratio, r->messaging_s);
	}
	printf("]\n");
}

static int parse(int argc, char **argv, struct bench_opts *o)
{
	static const struct option longopts[] = {
		{ "policies", required_argument, NULL, 'p' },
		{ "probe-secs", required_argument, NULL, 's' },
		{ "jobs", required_argument, NULL, 'n' },
		{ "load", required_argument, NULL, 'l' },
		{ "p7-cap-ms", required_argument, NULL, 'c' },
		{ "capacity", required_argument, NULL, 'C' },
		{ "rounds", required_argument, NULL, 'r' },
		{ "hogs", required_argument, NULL, 'H' },
		{ "seed", required_argument, NULL, 'S' },
		{ "out", required_argument, NULL, 'o' },
		{ "no-perf", no_argument, NULL, 'P' },
		{ "json", no_argument, NULL, 'j' },
		{ "model", no_argument, NULL, 'm' },
		{ "cpus", required_argument, NULL, 'u' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL },
	};
	char *list, *tok;
	int c;

	o->probe_secs = 5;
	o->nr_jobs = 400;
	o->rounds = 3;
	o->hogs = -1;
	o->load = 0.9;
	o->p7_cap_ms = 200;
	o->seed = 7;
	o->perf = true;
	o->out_dir = getenv("PCBKIT_OUT");
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
			break;
		case 'l':
			o->load = atof(optarg);
			break;
		case 'c':
			o->p7_cap_ms = atoi(optarg);
			break;
		case 'r':
			o->rounds = atoi(optarg);
			break;
		case 'H':
			o->hogs = atoi(optarg);
			break;
		case 'C':
			o->capacity = atof(optarg);
			break;
		case 'S':
			o->seed = atoi(optarg);
			break;
		case 'o':
			o->out_dir = optarg;
			break;
		case 'P':
			o->perf = false;
			break;
		case 'j':
			o->json = true;
			break;
		case 'm':
			o->model = true;
			break;
		case 'u':
			o->cpus = atoi(optarg);
			break;
		case 'h':
			printf("usage: pcbbench sched [--policies eevdf,mlfq,...,scx_simple] "
			       "[--probe-secs S]\n"
			       "       [--jobs N] [--load L] [--p7-cap-ms MS] [--seed N] "
			       "[--capacity CPUS]\n"
			       "       [--rounds R] [--hogs N]"
			       " [--out DIR] [--no-perf] [--json]\n"
			       "The first policy is the anchor (default eevdf). P6 probes "
			       "for S seconds (5). P7 runs N "
			       "jobs (400) offering L (0.9) of\n"
			       "the CPUs; non-preemptive policies run it with --p7-cap-ms MS "
			       "(200; 0: their default). The load is offered against the "
			       "CPUs' capacity for the\n"
			       "job mix, measured under EEVDF first unless --capacity "
			       "gives it, in R rounds (3)\n"
			       "over all peers; each P7 number is the median of the "
			       "rounds; --rounds 0 skips P7. P6 runs under N CPU hogs "
			       "(2 x nproc;\n"
			       "--hogs 0 measures the floor).\n"
			       "Charts and data go to DIR (default $PCBKIT_OUT).\n"
			       "A policy may carry pcbsched knobs: "
			       "mlfq:preempt=1:boost-ms=1000\n"
			       "--model [--cpus N]: only the textbook FCFS, SJF and "
			       "HRRN computed on P7's plan\n"
			       "on N CPUs (nproc) offered at --capacity (N), no "
			       "kernel involved\n");
			exit(0);
		default:
			return -1;
		}
	}
	if (o->probe_secs <= 0 || o->probe_secs > 600)
		return -1;
	if (o->hogs > 256)
		return -1;
	if (o->nr_jobs < 10 || o->nr_jobs > MAX_PLAN_JOBS || o->rounds < 0 ||
	    o->rounds > MAX_ROUNDS)
		return -1;
	if (o->load <= 0 || o->load > 2 || o->p7_cap_ms < 0 || o->capacity < 0)
		return -1;
	if (o->cpus < 0 || o->cpus > 1024)
		return -1;
	return 0;
}

/* --model: the plan offered against --capacity, computed on --cpus. */
static int run_model(const struct bench_opts *o)
{
	int cpus = o->cpus ? o->cpus : sysconf(_SC_NPROCESSORS_ONLN), ret;
	struct job_plan *plan = malloc(sizeof(*plan));

	if (!plan)
		return 1;
	plan_jobs(plan, o->nr_jobs, o->load, o->capacity ? o->capacity : cpus,
		  o->seed);
	ret = print_model(plan, cpus);
	free(plan);
	return ret;
}

/* The default peers, and the kernel's examples if they were built. */
static void default_peer_list(struct bench_opts *o)
{
	char path[PATH_MAX];
	size_t i;

	for (i = 0; i < sizeof(default_peers) / sizeof(default_peers[0]); i++)
		o->peers[o->nr_peers++] = default_peers[i];
	for (i = 0; i < sizeof(scx_peers) / sizeof(scx_peers[0]) &&
		    o->nr_peers < MAX_PEERS;
	     i++) {
		scx_peer_path(path, sizeof(path), scx_peers[i]);
		if (!access(path, X_OK))
			o->peers[o->nr_peers++] = scx_peers[i];
	}
}

int bench_sched_run(int argc, char **argv)
{
	struct peer_result res[MAX_PEERS];
	struct bench_opts o = { 0 };
	int i, ncpu = sysconf(_SC_NPROCESSORS_ONLN);
	double capacity, win[CAPACITY_WINDOWS] = { 0 };
	struct job_plan *plan;

	if (parse(argc, argv, &o)) {
		fprintf(stderr, "pcbbench sched: bad options (--help)\n");
		return 2;
	}
	if (o.model)
		return run_model(&o);
	if (!o.nr_peers)
		default_peer_list(&o);
	if (scx_enabled()) {
		fprintf(stderr, "pcbbench sched: a sched_ext scheduler is "
				"already attached\n");
		return 1;
	}
	plan = malloc(sizeof(*plan));
	if (!plan)
		return 1;
	plan_jobs(plan, o.nr_jobs, o.load, ncpu, o.seed);
	/* without P7 the capacity is not needed: do not measure it */
	if (!o.rounds && !o.capacity)
		o.capacity = ncpu;
	capacity = o.capacity ? o.capacity : measure_capacity(plan, win);
	if (capacity <= 0) {
		fprintf(stderr,
			"pcbbench sched: could not measure the "
			"job-mix capacity; using %d CPUs\n",
			ncpu);
		capacity = ncpu;
		o.capacity = ncpu; /* so the table does not call it measured */
	}
	if (capacity > ncpu)
		capacity = ncpu;
	if (!o.json) {
		fprintf(stderr,
			"pcbbench sched: P7 job-mix capacity %.2f "
			"of %d CPUs",
			capacity, ncpu);
		if (win[0]) {
			fprintf(stderr, " (median of windows");
			for (i = 0; i < CAPACITY_WINDOWS; i++)
				fprintf(stderr, " %.2f", win[i]);
			fprintf(stderr, ")");
		}
		fprintf(stderr, "\n");
	}
	plan_jobs(plan, o.nr_jobs, o.load, capacity, o.seed);
	for (i = 0; i < o.nr_peers; i++) {
		if (!o.json)
			fprintf(stderr, "pcbbench sched: measuring %s\n",
				o.peers[i]);
		run_peer(&o, o.peers[i], &res[i]);
	}
	if (o.rounds)
		run_p7(&o, plan, res, o.nr_peers);
	if (o.json)
		print_json(res, o.nr_peers);
	else
		print_table(&o, plan, res, o.nr_peers);
	/* a P6/P8-only run (--rounds 0) leaves the last full run's charts */
	if (o.out_dir && o.rounds)
		plot_sched(o.out_dir, res, o.nr_peers);
	free(plan);
	return res[0].ok ? 0 : 1;
}
