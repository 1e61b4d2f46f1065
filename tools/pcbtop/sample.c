// SPDX-License-Identifier: GPL-2.0
/*
 * Samples of the module's records and per-CPU counters, and the rates of
 * one interval between two of them.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "measure.h"
#include "pcbtop.h"

static int by_tid(const void *a, const void *b)
{
	const struct pcbstat_task *x = a, *y = b;

	return (x->tid > y->tid) - (x->tid < y->tid);
}

/* /proc/pcbstat_cpu: "CPU sw_thread sw_process sw_kernel" per line. */
static void read_cpu_switches(struct sample *s)
{
	FILE *f = fopen("/proc/pcbstat_cpu", "r");
	char line[256];
	unsigned long long a, b, c;
	int cpu;

	s->ncpus = 0;
	if (!f)
		return;
	while (fgets(line, sizeof(line), f) && s->ncpus < PCBTOP_MAX_CPUS) {
		struct cpu_raw *r = &s->cpus[s->ncpus];

		if (sscanf(line, "%d %llu %llu %llu", &cpu, &a, &b, &c) != 4)
			continue;
		memset(r, 0, sizeof(*r));
		r->cpu = cpu;
		r->sw[0] = a;
		r->sw[1] = b;
		r->sw[2] = c;
		s->ncpus++;
	}
	fclose(f);
}

static struct cpu_raw *cpu_of(struct sample *s, int cpu)
{
	int i;

	for (i = 0; i < s->ncpus; i++)
		if (s->cpus[i].cpu == cpu)
			return &s->cpus[i];
	return NULL;
}

/*
 * /proc/schedstat's cpuN lines: field 7 is the CPU time of tasks run on
 * this runqueue, field 8 the time tasks waited on it (sched_info).
 */
static void read_schedstat(struct sample *s)
{
	FILE *f = fopen("/proc/schedstat", "r");
	unsigned long long v[9];
	char line[512];
	int cpu;

	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		struct cpu_raw *r;

		if (sscanf(line,
			   "cpu%d %llu %llu %llu %llu %llu %llu %llu %llu "
			   "%llu",
			   &cpu, &v[0], &v[1], &v[2], &v[3], &v[4], &v[5],
			   &v[6], &v[7], &v[8]) != 10)
			continue;
		r = cpu_of(s, cpu);
		if (!r)
			continue;
		r->rq_cpu_time = v[6];
		r->run_delay = v[7];
		r->has_rq = true;
	}
	fclose(f);
}

int sample_take(int dev, bool threads, struct sample *s)
{
	uint64_t start;
	int err;

	memset(s, 0, sizeof(*s));
	start = now_ns();
	err = snapshot_list(dev, threads, &s->tasks);
	if (err)
		return err;
	/*
	 * The records are read one after another over the walk: its middle
	 * is the best single time for them all, so that a walk slowed down
	 * by load skews the rates least.
	 */
	s->at_ns = start + (now_ns() - start) / 2;
	qsort(s->tasks.recs, s->tasks.n, sizeof(*s->tasks.recs), by_tid);
	read_cpu_switches(s);
	read_schedstat(s);
	policy_read(&s->policy, s->level_run_ns);
	return 0;
}

void sample_free(struct sample *s)
{
	snapshot_free(&s->tasks);
}

/* The same thread in @before: same tid and the same start time. */
static const struct pcbstat_task *find_before(const struct sample *before,
					      const struct pcbstat_task *t)
{
	const struct pcbstat_task *b;

	b = bsearch(t, before->tasks.recs, before->tasks.n,
		    sizeof(*before->tasks.recs), by_tid);
	return b && b->start_ns == t->start_ns ? b : NULL;
}

static bool known(uint64_t now, uint64_t then)
{
	return now != PCBSTAT_UNKNOWN && then != PCBSTAT_UNKNOWN && now >= then;
}

/* Change of @field per wall-clock second. */
#define RATE(now, then, field, dt) \
	((double)((now)->field - (then)->field) / (dt))

static void row_rates(struct row *r, const struct pcbstat_task *b, double dt)
{
	const struct pcbstat_task *t = &r->t;

	if (!known(t->run_ns, b->run_ns) ||
	    !known(t->running_ns, b->running_ns) ||
	    !known(t->ready_ns, b->ready_ns) ||
	    !known(t->blocked_ns, b->blocked_ns))
		return;
	r->has_rates = true;
	r->cpu = RATE(t, b, run_ns, dt) / 1e7;
	r->running = RATE(t, b, running_ns, dt) / 1e7;
	r->ready = RATE(t, b, ready_ns, dt) / 1e7;
	r->blocked = RATE(t, b, blocked_ns, dt) / 1e7;
	if (known(t->sw_thread, b->sw_thread))
		r->sw_thread = RATE(t, b, sw_thread, dt);
	if (known(t->sw_process, b->sw_process))
		r->sw_process = RATE(t, b, sw_process, dt);
	if (known(t->sw_kernel, b->sw_kernel))
		r->sw_kernel = RATE(t, b, sw_kernel, dt);
}

static void cpu_rates(struct frame *f, const struct sample *now,
		      const struct sample *before, double dt)
{
	int i, k;

	f->ncpus = 0;
	for (i = 0; i < now->ncpus; i++) {
		const struct cpu_raw *n = &now->cpus[i];
		const struct cpu_raw *b =
			cpu_of((struct sample *)before, n->cpu);
		struct cpu_rates *c = &f->cpus[f->ncpus++];
		double wait, run;

		memset(c, 0, sizeof(*c));
		c->cpu = n->cpu;
		if (!b)
			continue;
		for (k = 0; k < 3; k++)
			c->sw[k] = (double)(n->sw[k] - b->sw[k]) / dt;
		if (!n->has_rq || !b->has_rq)
			continue;
		wait = (double)(n->run_delay - b->run_delay);
		run = (double)(n->rq_cpu_time - b->rq_cpu_time);
		c->has_rq = true;
		c->rq_share = wait + run > 0 ? 100 * wait / (wait + run) : 0;
	}
}

/* Each level's part of the CPU time all levels used in the interval. */
static void policy_shares(struct frame *f, const struct sample *now,
			  const struct sample *before)
{
	double total = 0;
	unsigned int i;

	f->policy = now->policy;
	if (!now->policy.attached || !before->policy.attached ||
	    strcmp(now->policy.ops, before->policy.ops))
		return;
	for (i = 0; i < now->policy.levels; i++)
		total += now->level_run_ns[i] - before->level_run_ns[i];
	for (i = 0; i < now->policy.levels && total > 0; i++)
		f->policy.share[i] =
			100 * (now->level_run_ns[i] - before->level_run_ns[i]) /
			total;
}

int frame_build(const struct sample *now, const struct sample *before,
		struct frame *f)
{
	double dt;
	size_t i;

	/* Without an earlier sample of the same kind, no rates yet. */
	if (!before)
		before = now;
	dt = (double)(now->at_ns - before->at_ns) / 1e9;
	memset(f, 0, sizeof(*f));
	if (dt <= 0)
		dt = 1e-9;
	f->interval_s = dt;
	f->rows = calloc(now->tasks.n + 1, sizeof(*f->rows));
	if (!f->rows)
		return -ENOMEM;
	for (i = 0; i < now->tasks.n; i++) {
		struct row *r = &f->rows[f->nrows++];
		const struct pcbstat_task *b;

		r->t = now->tasks.recs[i];
		snprintf(r->user, sizeof(r->user), "%s", user_name(r->t.uid));
		if (r->t.state == 'R')
			f->nrunning++;
		b = find_before(before, &r->t);
		if (b && before != now)
			row_rates(r, b, dt);
	}
	cpu_rates(f, now, before, dt);
	policy_shares(f, now, before);
	return 0;
}

void frame_free(struct frame *f)
{
	free(f->rows);
	f->rows = NULL;
	snapshot_free(&f->exited);
}
