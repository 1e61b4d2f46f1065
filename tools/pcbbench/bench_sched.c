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
 *
 * This file has the options and the order of the run; each measure has
 * its own sched_*.c.
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bench.h"
#include "cli.h"
#include "sched.h"

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

static void sched_usage(FILE *out)
{
	fprintf(out,
		"usage: pcbbench sched [--policies eevdf,mlfq,...,scx_simple] "
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
}

/* --policies a,b,c: the peers in that order, the first the anchor. */
static int parse_policies(void *ctx, const char *arg)
{
	struct bench_opts *o = ctx;
	char *list = strdup(arg), *tok, *save = NULL;

	if (!list)
		return -1;
	o->nr_peers = 0;
	for (tok = strtok_r(list, ",", &save); tok;
	     tok = strtok_r(NULL, ",", &save)) {
		if (o->nr_peers == MAX_PEERS) {
			fprintf(stderr,
				"pcbbench sched: --policies: more than %d\n",
				MAX_PEERS);
			return -1;
		}
		o->peers[o->nr_peers++] = tok;
	}
	if (!o->nr_peers) {
		fprintf(stderr, "pcbbench sched: --policies: none named\n");
		return -1;
	}
	return 0;
}

/* 0 to run, else cli_parse()'s answer. */
static int parse(int argc, char **argv, struct bench_opts *o)
{
	bool no_perf = false;
	const struct cli_opt opts[] = {
		CLI_CALL("policies", 'p', parse_policies, o),
		CLI_DOUBLE("probe-secs", 's', &o->probe_secs, 0.001, 600),
		CLI_INT("jobs", 'n', &o->nr_jobs, 10, MAX_PLAN_JOBS),
		CLI_DOUBLE("load", 'l', &o->load, 1e-6, 2),
		CLI_INT("p7-cap-ms", 0, &o->p7_cap_ms, 0, 1000000),
		CLI_DOUBLE("capacity", 0, &o->capacity, 0, 4096),
		CLI_INT("rounds", 0, &o->rounds, 0, MAX_ROUNDS),
		CLI_INT("hogs", 0, &o->hogs, 0, MAX_HOGS),
		CLI_INT("seed", 0, &o->seed, 0, 65535),
		CLI_STRING("out", 0, &o->out_dir),
		CLI_FLAG("no-perf", 0, &no_perf),
		CLI_FLAG("json", 'j', &o->json),
		CLI_FLAG("model", 0, &o->model),
		CLI_INT("cpus", 0, &o->cpus, 0, 1024),
		CLI_HELP(sched_usage),
		CLI_END,
	};
	int next;

	o->probe_secs = 5;
	o->nr_jobs = 400;
	o->rounds = 3;
	o->hogs = -1;
	o->load = 0.9;
	o->p7_cap_ms = 200;
	o->seed = 7;
	o->out_dir = getenv("PCBKIT_OUT");
	next = cli_parse("pcbbench sched", opts, argc, argv, false);
	if (next >= 0 && next < argc) {
		fprintf(stderr, "pcbbench sched: unexpected argument '%s'\n",
			argv[next]);
		return CLI_BAD;
	}
	o->perf = !no_perf;
	return next < 0 ? next : 0;
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

	int parsed = parse(argc, argv, &o);

	if (parsed)
		return cli_exit_status(parsed);
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
