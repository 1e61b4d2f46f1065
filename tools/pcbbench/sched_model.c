// SPDX-License-Identifier: GPL-2.0
/*
 * A model of P7 under the textbook's FCFS, SJF and HRRN: P7's own plan
 * (plan_jobs(), so the same jobs at the same offsets), replayed by
 * computation instead of by a kernel. It shows what each rule gives on
 * this job mix by itself: how far below FCFS a policy can get when its
 * implementation is exact and switching costs nothing.
 *
 * What it keeps from sched_jobs.c and pcb_pick.bpf.h: each class is
 * served by its pool of workers, each worker takes the class's next job
 * when its last one is done and is runnable from the job's arrival (or at
 * once if it has arrived), the workers are trained on TRAIN_JOBS jobs of
 * their class's nominal length, and a worker's expected burst is the
 * exponential average with weight 1/2 of its past jobs, starting at
 * PCB_EXPECTED_NEW_NS. Non-preemptive: a free CPU takes the best runnable
 * worker and runs its job to the end. FCFS: the earliest runnable. SJF:
 * the smallest expected burst. HRRN: the highest (wait + expected) /
 * expected at that instant. Ties go to the earliest runnable.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/types.h>

#include "pcb_sched.h"
#include "sched.h"

#define NR_MODEL_WORKERS 64

const char *const model_rule_name[NR_MODEL_RULES] = { "fcfs", "sjf", "hrrn" };

/* One worker of a class: its current job, if any, and its estimate. */
struct model_worker {
	int cls;
	int job;	 /* index into the plan, -1: none left */
	double runnable; /* ms: its job has arrived and it is free */
	double expected; /* ms: EWMA of its past bursts */
};

struct model_state {
	const struct job_plan *plan;
	int *order[NR_JOB_CLASSES]; /* the class's jobs in arrival order */
	int nr[NR_JOB_CLASSES], taken[NR_JOB_CLASSES];
	struct model_worker w[NR_MODEL_WORKERS];
	int nr_workers;
};

static double arrive_ms(const struct job_plan *plan, int i)
{
	return plan->arrive[i] / 1e6;
}

static double len_ms(const struct job_plan *plan, int i)
{
	return plan->len[i] / 1e6;
}

/* The class's next job for worker @w, free from time @t on. */
static void take_job(struct model_state *s, struct model_worker *w, double t)
{
	int k = w->cls, i;
	double a;

	w->job = -1;
	if (s->taken[k] >= s->nr[k])
		return;
	i = s->order[k][s->taken[k]++];
	a = arrive_ms(s->plan, i);
	w->job = i;
	w->runnable = a > t ? a : t;
}

static bool model_init(struct model_state *s, const struct job_plan *plan)
{
	int i, k, n;
	double e;

	memset(s, 0, sizeof(*s));
	s->plan = plan;
	for (k = 0; k < NR_JOB_CLASSES; k++) {
		s->order[k] = calloc(plan->nr_jobs + 1, sizeof(int));
		if (!s->order[k])
			return false;
	}
	for (i = 0; i < plan->nr_jobs; i++) {
		k = plan->cls[i];
		s->order[k][s->nr[k]++] = i;
	}
	for (k = 0; k < NR_JOB_CLASSES; k++) {
		e = PCB_EXPECTED_NEW_NS / 1e6;
		for (n = 0; n < TRAIN_JOBS; n++)
			e = e / 2 + job_class_ms(k) / 2;
		for (n = 0; n < job_pool_size[k]; n++) {
			struct model_worker *w = &s->w[s->nr_workers++];

			w->cls = k;
			w->expected = e;
			take_job(s, w, 0);
		}
	}
	return true;
}

static void model_free(struct model_state *s)
{
	int k;

	for (k = 0; k < NR_JOB_CLASSES; k++)
		free(s->order[k]);
}

/* Should worker @a run before worker @b, both runnable at time @t? */
static bool better(enum model_rule rule, const struct model_worker *a,
		   const struct model_worker *b, double t)
{
	double ra, rb;

	switch (rule) {
	case MODEL_SJF:
		if (a->expected != b->expected)
			return a->expected < b->expected;
		break;
	case MODEL_HRRN:
		ra = (t - a->runnable + a->expected) / a->expected;
		rb = (t - b->runnable + b->expected) / b->expected;
		if (ra != rb)
			return ra > rb;
		break;
	default:
		break;
	}
	if (a->runnable != b->runnable)
		return a->runnable < b->runnable;
	return a->job < b->job;
}

/* Run every job of the plan; finish[i] is job i's finish time (ms). */
static void model_run(struct model_state *s, enum model_rule rule, int cpus,
		      double *free_at, double *finish)
{
	int done = 0, c, i, j;
	struct model_worker *best, *w;
	double t, next;

	while (done < s->plan->nr_jobs) {
		for (c = 0, i = 1; i < cpus; i++)
			if (free_at[i] < free_at[c])
				c = i;
		t = free_at[c];
		best = NULL;
		next = -1;
		for (i = 0; i < s->nr_workers; i++) {
			w = &s->w[i];
			if (w->job < 0)
				continue;
			if (w->runnable > t) {
				if (next < 0 || w->runnable < next)
					next = w->runnable;
				continue;
			}
			if (!best || better(rule, w, best, t))
				best = w;
		}
		if (!best) {
			if (next < 0)
				return; /* cannot happen: jobs left, none taken */
			free_at[c] = next;
			continue;
		}
		j = best->job;
		free_at[c] = finish[j] = t + len_ms(s->plan, j);
		best->expected = best->expected / 2 + len_ms(s->plan, j) / 2;
		take_job(s, best, finish[j]);
		done++;
	}
}

bool model_jobs(const struct job_plan *plan, enum model_rule rule, int cpus,
		struct model_result *r)
{
	int n = plan->nr_jobs, i;
	double *finish = calloc(n, sizeof(double));
	double *tat = calloc(n, sizeof(double));
	double *wt = calloc(n, sizeof(double));
	double *free_at = calloc(cpus, sizeof(double));
	struct model_state *s = malloc(sizeof(*s));
	bool ok = false;

	memset(r, 0, sizeof(*r));
	if (!finish || !tat || !wt || !free_at || !s)
		goto out;
	if (!model_init(s, plan))
		goto out_state;
	model_run(s, rule, cpus, free_at, finish);
	for (i = 0; i < n; i++) {
		tat[i] = finish[i] - arrive_ms(plan, i);
		wt[i] = tat[i] - len_ms(plan, i);
	}
	summarize(tat, n, &r->turnaround);
	summarize(wt, n, &r->waiting);
	ok = true;
out_state:
	model_free(s);
out:
	free(s);
	free(free_at);
	free(wt);
	free(tat);
	free(finish);
	return ok;
}

bool model_all(const struct job_plan *plan, int cpus,
	       struct model_result r[NR_MODEL_RULES])
{
	int m;

	for (m = 0; m < NR_MODEL_RULES; m++)
		if (!model_jobs(plan, m, cpus, &r[m]))
			return false;
	for (m = 0; m < NR_MODEL_RULES; m++)
		r[m].fcfs_ratio =
			r[MODEL_FCFS].turnaround.mean > 0
				? r[m].turnaround.mean /
					  r[MODEL_FCFS].turnaround.mean
				: 0;
	return true;
}

int print_model(const struct job_plan *plan, int cpus)
{
	struct model_result r[NR_MODEL_RULES];
	int m;

	if (!model_all(plan, cpus, r))
		return 1;
	printf("pcbbench sched --model: %d jobs, Poisson arrivals at %.0f%% "
	       "of %.2f CPUs, run on %d CPUs\nwith no switching cost "
	       "(textbook rules, not measured)\n",
	       plan->nr_jobs, 100 * plan->load, plan->capacity, cpus);
	printf("%-5s | %8s %8s %8s %8s %6s\n", "rule", "TATms", "p99TAT",
	       "wait", "maxwait", "xFCFS");
	for (m = 0; m < NR_MODEL_RULES; m++)
		printf("%-5s | %8.1f %8.1f %8.1f %8.1f %6.3f\n",
		       model_rule_name[m], r[m].turnaround.mean,
		       r[m].turnaround.p99, r[m].waiting.mean, r[m].waiting.max,
		       r[m].fcfs_ratio);
	return 0;
}

void print_model_beside(const struct job_plan *plan, int cpus,
			const struct peer_result *res, int n)
{
	struct model_result r[NR_MODEL_RULES];
	const struct job_result *j;
	int m, i;

	if (!model_all(plan, cpus, r))
		return;
	printf("Model (textbook rule on the same plan, %d CPUs, no switching "
	       "cost) vs measured:\n",
	       cpus);
	for (m = 0; m < NR_MODEL_RULES; m++) {
		for (i = 0, j = NULL; i < n && !j; i++)
			if (!strcmp(res[i].peer, model_rule_name[m]) &&
			    res[i].ok && res[i].jobs.ok)
				j = &res[i].jobs;
		printf("  %-5s model xFCFS %5.2f, maxwait %6.1f ms",
		       model_rule_name[m], r[m].fcfs_ratio, r[m].waiting.max);
		if (j && j->fcfs_ratio > 0)
			printf(" | measured xFCFS %5.2f, maxwait %6.1f ms\n",
			       j->fcfs_ratio, j->waiting.max);
		else
			printf(" | not measured\n");
	}
}
