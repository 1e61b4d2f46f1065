// SPDX-License-Identifier: GPL-2.0
/*
 * P7, the textbook's job mix: jobs with heavy-tailed lengths arriving
 * over time, and their turnaround, waiting and response times.
 *
 * Arrivals are a Poisson process (exponential gaps) at the rate that
 * offers plan->load of every CPU. A job's class k is drawn with
 * probability proportional to 2^-k and its length is 2^k ms +-20%, so
 * half the jobs take about 1 ms while each class brings the same share
 * of the work: the long tail holds most of the CPU time, as in measured
 * job mixes, and the queues that form at this load are where FCFS, SJF
 * and HRRN differ.
 *
 * SJF and HRRN predict a job's length from its task's past CPU bursts,
 * as the textbook's exponential average does. A fresh process per job
 * would carry no history (every one would look like the 10 ms default),
 * so each class is served by a pool of long-lived workers, like the
 * threads of a service that handle one kind of request: a worker takes
 * the class's next job, sleeps until it arrives, burns its length and
 * takes the next. Between jobs it always blocks, so one burst is one job
 * even when the class has a backlog. The
 * workers are trained on three jobs of their class before the clock
 * starts. A job that arrives while every worker of its class is busy
 * waits for one, and that wait counts too (reported as user_queued).
 *
 * Nothing is forked or exec'd while the clock runs: the workers exist
 * before the first arrival, so what is measured is the scheduler.
 */
#include <errno.h>
#include <math.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "sched.h"

/* Enough workers per class that a class rarely runs out of them. */
const int job_pool_size[NR_JOB_CLASSES] = { 8, 8, 6, 4, 3, 3, 3 };

struct job_times {
	uint64_t taken, start, finish;
};

struct jobs_shared {
	uint64_t t0;
	bool saturate;	  /* measuring capacity: every job has arrived */
	int late_trained; /* workers still training when the clock started */
	int next[NR_JOB_CLASSES]; /* next index into the class's list */
	struct job_times jt[MAX_PLAN_JOBS];
};

uint64_t thread_cpu_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

void burn(uint64_t ns)
{
	uint64_t end = thread_cpu_ns() + ns;

	while (thread_cpu_ns() < end)
		;
}

void sleep_until(uint64_t t)
{
	struct timespec ts = { t / 1000000000ULL, t % 1000000000ULL };

	while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL) ==
	       EINTR)
		;
}

static int pick_class(unsigned short xs[3])
{
	double u = erand48(xs) * (2.0 - 1.0 / (1 << (NR_JOB_CLASSES - 1)));
	double edge = 1;
	int k;

	for (k = 0; k < NR_JOB_CLASSES - 1; k++, edge /= 2) {
		if (u < edge)
			return k;
		u -= edge;
	}
	return NR_JOB_CLASSES - 1;
}

void plan_jobs(struct job_plan *plan, int nr_jobs, double load, double capacity,
	       unsigned short seed)
{
	unsigned short xs[3] = { 0x330e, seed, seed ^ 0x5a5a };
	double mean_ms = 0, weight = 0, gap_ms, t_ms = 0;
	int i, k;

	for (k = 0; k < NR_JOB_CLASSES; k++) {
		mean_ms += job_class_ms(k) / (1 << k);
		weight += 1.0 / (1 << k);
	}
	mean_ms /= weight;
	/* arrival rate x mean length = load x CPUs */
	gap_ms = mean_ms / (load * capacity);
	plan->nr_jobs = nr_jobs;
	plan->load = load;
	plan->capacity = capacity;
	for (i = 0; i < nr_jobs; i++) {
		t_ms += -gap_ms * log(1 - erand48(xs));
		k = pick_class(xs);
		plan->cls[i] = k;
		plan->arrive[i] = t_ms * MS;
		plan->len[i] = job_class_ms(k) * (0.8 + 0.4 * erand48(xs)) * MS;
	}
}

/* The index of the class's n-th job in the plan, or -1. */
static int class_job(const struct job_plan *plan, int k, int n)
{
	int i;

	for (i = 0; i < plan->nr_jobs; i++)
		if (plan->cls[i] == k && n-- == 0)
			return i;
	return -1;
}

/* How often this thread has blocked so far. */
static long blocks(void)
{
	struct rusage ru;

	if (getrusage(RUSAGE_THREAD, &ru))
		return -1;
	return ru.ru_nvcsw;
}

/*
 * Make sure the thread has blocked since it counted @before, so that the
 * CPU burst the policies see ends here. A short sleep does not always
 * block: its timer can expire before the task is off the CPU (usleep(1)
 * under TCG did not block most of the time), and the next job then ran
 * in the same burst. A P7 trace saw 262 bursts for 400 jobs under HRRN,
 * with estimates learning sums of jobs.
 */
static void end_burst(long before)
{
	useconds_t us = 1;

	while (blocks() == before) {
		usleep(us);
		if (us < 1000)
			us *= 2;
	}
}

/*
 * TRAIN_JOBS jobs of the class's nominal length, each one CPU burst, as
 * the model trains its workers. The start signal is the block that ends
 * the next-to-last one, and the last one runs after it, ended by the
 * wait for the first real job: a handshake burst of its own would be a
 * burst of a few microseconds, and two of them (ready, then go) left
 * every estimate at a quarter of the model's. Uniform scaling does not
 * change SJF's order, but it does change HRRN's (w + s) / s.
 */
static void train(int k, struct jobs_shared *sh, int ready_fd, int go_fd)
{
	char c = 0;
	long before;
	int i;

	for (i = 0; i < TRAIN_JOBS - 1; i++) {
		burn(job_class_ms(k) * MS);
		before = blocks();
		if (i < TRAIN_JOBS - 2)
			usleep(1000);
		else if (write(ready_fd, &c, 1) != 1 || read(go_fd, &c, 1) != 1)
			_exit(1);
		end_burst(before);
	}
	burn(job_class_ms(k) * MS);
	if (now_ns() > sh->t0)
		__atomic_fetch_add(&sh->late_trained, 1, __ATOMIC_RELAXED);
}

static void worker(const struct job_plan *plan, struct jobs_shared *sh, int k,
		   int ready_fd, int go_fd)
{
	int *order = calloc(plan->nr_jobs + 1, sizeof(*order)), n = 0, i, j;
	long before;

	if (!order)
		_exit(1);
	for (i = 0; i < plan->nr_jobs; i++)
		if (plan->cls[i] == k)
			order[n++] = i;
	train(k, sh, ready_fd, go_fd);
	for (;;) {
		i = __atomic_fetch_add(&sh->next[k], 1, __ATOMIC_RELAXED);
		/* measuring capacity: go round until killed, never idle */
		if (sh->saturate)
			i %= n;
		if (i >= n)
			break;
		j = order[i];
		sh->jt[j].taken = now_ns();
		/*
		 * Block before every job, even one that has already
		 * arrived: otherwise a worker with a backlog runs its jobs
		 * as one long burst, its average learns the sum, and SJF
		 * sees a backlogged short class as a long one.
		 */
		before = blocks();
		if (!sh->saturate && sh->jt[j].taken < sh->t0 + plan->arrive[j])
			sleep_until(sh->t0 + plan->arrive[j]);
		end_burst(before);
		sh->jt[j].start = now_ns();
		burn(plan->len[j]);
		sh->jt[j].finish = now_ns();
	}
	free(order);
	_exit(0);
}

/* Wait until every worker is trained; false if one died or it took 60 s. */
static bool wait_ready(int fd, int nr)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };
	char buf[64];
	ssize_t got;

	while (nr > 0) {
		if (poll(&p, 1, 60000) <= 0)
			return false;
		got = read(fd, buf, nr < 64 ? nr : 64);
		if (got <= 0)
			return false;
		nr -= got;
	}
	return true;
}

static void summarize_jobs(const struct job_plan *plan,
			   const struct jobs_shared *sh, struct job_result *r)
{
	int n = plan->nr_jobs, i, k, per[NR_JOB_CLASSES] = { 0 }, queued = 0;
	double *tat = calloc(n, sizeof(double)),
	       *wt = calloc(n, sizeof(double));
	double *rt = calloc(n, sizeof(double));
	uint64_t last_finish = 0;

	if (!tat || !wt || !rt)
		goto out;
	for (i = 0; i < n; i++) {
		const struct job_times *j = &sh->jt[i];
		uint64_t arrive = sh->t0 + plan->arrive[i];

		if (!j->finish)
			goto out;
		tat[i] = (j->finish - arrive) / 1e6;
		wt[i] = tat[i] - plan->len[i] / 1e6;
		rt[i] = j->start > arrive ? (j->start - arrive) / 1e6 : 0;
		queued += j->taken > arrive;
		if (j->finish > last_finish)
			last_finish = j->finish;
		k = plan->cls[i];
		r->class_tat[k] += tat[i];
		per[k]++;
	}
	for (k = 0; k < NR_JOB_CLASSES; k++)
		r->class_tat[k] = per[k] ? r->class_tat[k] / per[k] : 0;
	r->user_queued_pct = 100.0 * queued / n;
	r->drain_ms = (last_finish - sh->t0 - plan->arrive[n - 1]) / 1e6;
	summarize(tat, n, &r->turnaround);
	summarize(wt, n, &r->waiting);
	summarize(rt, n, &r->response);
	r->ok = true;
out:
	free(tat);
	free(wt);
	free(rt);
}

/*
 * Time for the last training job of every worker, which runs after the
 * start signal: four times its CPU time spread over the CPUs, plus 50 ms
 * (twice plus 20 ms was too short on a host at load 8-12). A worker
 * still training when the clock starts is reported.
 */
static uint64_t train_margin(const int *nr_started)
{
	double ms = 0;
	int k;

	for (k = 0; k < NR_JOB_CLASSES; k++)
		ms += nr_started[k] * job_class_ms(k);
	return (50 + 4 * ms / sysconf(_SC_NPROCESSORS_ONLN)) * MS;
}

/* Fork and train the workers; how many started, or -1. */
static int start_workers(const struct job_plan *plan, struct jobs_shared *sh,
			 pid_t *pids)
{
	int nr = 0, k, w, i, ready[2] = { -1, -1 }, go[2] = { -1, -1 };
	int nr_started[NR_JOB_CLASSES] = { 0 };
	char ones[64];

	if (pipe(ready) || pipe(go))
		goto out;
	for (k = 0; k < NR_JOB_CLASSES; k++) {
		/* no job of the class at all: its workers would idle */
		if (class_job(plan, k, 0) < 0)
			continue;
		for (w = 0; w < job_pool_size[k]; w++) {
			pids[nr] = fork();
			if (!pids[nr]) {
				/* so the parent's close ends a failed start */
				close(go[1]);
				worker(plan, sh, k, ready[1], go[0]);
			}
			if (pids[nr] > 0) {
				nr++;
				nr_started[k]++;
			}
		}
	}
	if (wait_ready(ready[0], nr)) {
		sh->t0 = now_ns() + train_margin(nr_started);
		memset(ones, 1, sizeof(ones));
		for (i = 0; i < nr; i += 64)
			if (write(go[1], ones, nr - i < 64 ? nr - i : 64) < 0)
				break;
	}
out:
	for (i = 0; i < 2; i++) {
		if (ready[i] >= 0)
			close(ready[i]);
		if (go[i] >= 0)
			close(go[i]);
	}
	return nr;
}

static struct jobs_shared *map_shared(void)
{
	struct jobs_shared *sh = mmap(NULL, sizeof(*sh), PROT_READ | PROT_WRITE,
				      MAP_SHARED | MAP_ANONYMOUS, -1, 0);

	return sh == MAP_FAILED ? NULL : sh;
}

void run_jobs(const struct job_plan *plan, struct job_result *r)
{
	struct jobs_shared *sh = map_shared();
	pid_t pids[64];
	int nr, i;

	memset(r, 0, sizeof(*r));
	if (!sh)
		return;
	nr = start_workers(plan, sh, pids);
	for (i = 0; i < nr; i++)
		waitpid(pids[i], NULL, 0);
	summarize_jobs(plan, sh, r);
	/* their last training burst competed with the first jobs */
	if (sh->late_trained)
		fprintf(stderr,
			"pcbbench sched: %d workers were still training when "
			"P7's clock started\n",
			sh->late_trained);
	munmap(sh, sizeof(*sh));
}

/*
 * CPU time the workers have had so far, from the kernel's accounting; 0
 * if one of them is gone (its time would be missing from the sum).
 */
static uint64_t workers_runtime(const pid_t *pids, int nr)
{
	unsigned long long ns, sum = 0;
	char path[64];
	FILE *f;
	int i;

	for (i = 0; i < nr; i++) {
		snprintf(path, sizeof(path), "/proc/%d/schedstat", pids[i]);
		f = fopen(path, "r");
		if (!f)
			return 0;
		if (fscanf(f, "%llu", &ns) != 1)
			ns = 0;
		fclose(f);
		if (!ns)
			return 0;
		sum += ns;
	}
	return sum;
}

/*
 * How many CPUs' worth of this job mix the machine runs, with every job
 * already waiting. Under TCG each switch and wake-up costs far more than
 * on hardware, and a busy host slows the guest's kernel further, so 90%
 * of the nominal CPUs can be an overload in which every policy's queue
 * only grows. P7 offers its load against this instead.
 *
 * One window is not enough: under TCG the guest loses CPU whenever the
 * host runs QEMU's own threads, and single 500 ms windows of one boot
 * were seen to read 0.65, 1.34 and 1.55 CPUs. The median of
 * CAPACITY_WINDOWS windows is taken, and all of them are reported.
 */
#define CAPACITY_WINDOW_MS 400

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static bool measure_windows(const pid_t *pids, int nr, double *win)
{
	uint64_t t1 = now_ns(), c1 = workers_runtime(pids, nr), t2, c2;
	int w;

	for (w = 0; w < CAPACITY_WINDOWS; w++) {
		sleep_until(t1 + CAPACITY_WINDOW_MS * MS);
		t2 = now_ns();
		c2 = workers_runtime(pids, nr);
		if (!c1 || c2 <= c1)
			return false;
		win[w] = (double)(c2 - c1) / (t2 - t1);
		t1 = t2;
		c1 = c2;
	}
	return true;
}

double measure_capacity(const struct job_plan *plan, double *win)
{
	struct jobs_shared *sh = map_shared();
	double sorted[CAPACITY_WINDOWS], cap = 0;
	pid_t pids[64];
	int nr, i;

	if (!sh)
		return 0;
	sh->saturate = true;
	nr = start_workers(plan, sh, pids);
	if (nr > 0) {
		sleep_until(sh->t0 + 100 * MS);
		if (measure_windows(pids, nr, win)) {
			memcpy(sorted, win, sizeof(sorted));
			qsort(sorted, CAPACITY_WINDOWS, sizeof(sorted[0]),
			      cmp_double);
			cap = sorted[CAPACITY_WINDOWS / 2];
		}
	}
	for (i = 0; i < nr; i++) {
		kill(pids[i], SIGKILL);
		waitpid(pids[i], NULL, 0);
	}
	munmap(sh, sizeof(*sh));
	return cap;
}
