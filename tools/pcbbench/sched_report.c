// SPDX-License-Identifier: GPL-2.0
/* pcbbench sched's results: the table, each ratio against the anchor, or --json. */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "json.h"
#include "sched.h"

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

void print_table(const struct bench_opts *o, const struct job_plan *plan,
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

static void peer_json(struct json *jw, const struct peer_result *r)
{
	const struct job_result *j = &r->jobs;

	json_begin_object(jw);
	json_kv_string(jw, "policy", r->peer);
	json_kv_bool(jw, "ok", r->ok);
	json_kv_double(jw, "probe_p50_us", r->probe.p50, 1);
	json_kv_double(jw, "probe_p99_us", r->probe.p99, 1);
	json_kv_double(jw, "probe_miss_pct", r->miss_pct, 2);
	if (r->probe_rq_ok) {
		json_kv_double(jw, "probe_rq_p50_us", r->probe_rq.p50, 1);
		json_kv_double(jw, "probe_rq_p99_us", r->probe_rq.p99, 1);
		json_kv_double(jw, "probe_wake_p99_us", r->probe_wake.p99, 1);
	} else {
		json_kv_null(jw, "probe_rq_p50_us");
		json_kv_null(jw, "probe_rq_p99_us");
		json_kv_null(jw, "probe_wake_p99_us");
	}
	json_kv_bool(jw, "jobs_ok", j->ok);
	json_kv_double(jw, "turnaround_mean_ms", j->turnaround.mean, 2);
	json_kv_double(jw, "turnaround_p99_ms", j->turnaround.p99, 2);
	json_kv_double(jw, "waiting_mean_ms", j->waiting.mean, 2);
	json_kv_double(jw, "waiting_max_ms", j->waiting.max, 2);
	json_kv_double(jw, "response_mean_ms", j->response.mean, 2);
	json_kv_double(jw, "user_queued_pct", j->user_queued_pct, 2);
	json_kv_double(jw, "drain_ms", j->drain_ms, 1);
	json_kv_double(jw, "turnaround_x_fcfs", j->fcfs_ratio, 3);
	json_kv_double(jw, "messaging_s", r->messaging_s, 3);
	json_end_object(jw);
}

void print_json(const struct peer_result *res, int n)
{
	struct json jw;
	int i;

	json_init(&jw, stdout, 0);
	json_begin_array(&jw);
	for (i = 0; i < n; i++)
		peer_json(&jw, &res[i]);
	json_end_array(&jw);
	json_finish(&jw);
}
