// SPDX-License-Identifier: GPL-2.0
/*
 * P7 in rounds: the job mix of sched_jobs.c under every peer once per
 * round; each figure is the median over the rounds, and a peer's xFCFS
 * the median of its ratios to FCFS within each round.
 */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sched.h"

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
	return median(v, n);
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
		res[p].jobs.fcfs_ratio = median(v, k);
	}
}

/*
 * P7 in rounds: every peer once per round, starting one peer later each
 * round, so that a busy spell of the host lands on different peers and
 * the median of the rounds sees past it.
 */
void run_p7(const struct bench_opts *o, const struct job_plan *plan,
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
