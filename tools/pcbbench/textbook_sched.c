// SPDX-License-Identifier: GPL-2.0
/*
 * The seed's five scheduling criteria, per policy, from the PCB: CPU
 * utilisation, throughput, mean turnaround, mean waiting (time in the
 * ready queue, the PCB's ready_ns, not inferred) and mean response.
 *
 * A smaller version of 'pcbbench sched' P7, on the same heavy-tailed
 * Poisson job mix (sched_jobs.c's plan): here every job is a process of
 * its own, forked when it arrives, which burns its length and exits, so
 * that its exit record in /dev/pcbstat holds exactly the textbook's
 * figures for that job. P7's long-lived trained workers cannot give that
 * (their ready time mixes jobs and training). The price: a fresh process
 * has no burst history, so SJF and HRRN see every job at their default
 * estimate; P7 is where their ordering is measured.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "sched.h"
#include "textbook.h"

#define MAX_POLICIES 12
#define CAP_MS	     200 /* non-preemptive policies stay so (P7's) */

static const char default_policies[] = "eevdf,mlfq,hrrn,sjf,fcfs,rr,prio,"
				       "dprio,fifo";

struct job_pcb {
	pid_t pid;
	bool seen;
	double tat, wait, resp, run, blocked; /* ms */
	uint64_t start, exit;		      /* ns */
};

struct policy_result {
	const char *name;
	bool ok;
	double util, jobs_s, tat, wait, resp;
	double worst_gap; /* ms: |tat - (run + wait + blocked)|, worst job */
	struct job_pcb worst; /* that job's figures */
	double gap_mean;      /* ms: mean of tat - (run + wait + blocked) */
	int lost;	/* exit records overwritten before they were read */
	int seen, jobs; /* jobs whose exit record was read, of all jobs */
	double resp_ms[MAX_TB_SCHED_JOBS];
};

/* New exit records since *seq; those of @jobs are filled in. */
static void read_exits(int fd, uint64_t *seq, struct job_pcb *jobs, int n,
		       int *lost)
{
	struct pcbstat_task rec[64];
	struct pcbstat_exited e;
	int i, j;

	do {
		e = (struct pcbstat_exited){ .size = sizeof(e),
					     .count = 64,
					     .after_seq = *seq,
					     .entry_size = sizeof(rec[0]),
					     .buf = (uintptr_t)rec };
		if (ioctl(fd, PCBSTAT_IOC_EXITED, &e))
			return;
		*lost += e.lost;
		for (i = 0; i < (int)e.count; i++) {
			*seq = rec[i].seq;
			for (j = 0; j < n; j++) {
				struct job_pcb *p = &jobs[j];

				if (p->pid != rec[i].pid || p->seen)
					continue;
				p->seen = true;
				p->tat = rec[i].turnaround_ns / 1e6;
				p->wait = rec[i].ready_ns / 1e6;
				p->resp = rec[i].response_ns / 1e6;
				p->run = rec[i].running_ns / 1e6;
				p->blocked = rec[i].blocked_ns / 1e6;
				p->start = rec[i].start_ns;
				p->exit = rec[i].exit_ns;
				break;
			}
		}
	} while (e.count == 64);
}

/* Fork each job when it arrives; read the exits as they come. */
static int run_plan(const struct job_plan *plan, struct job_pcb *jobs,
		    int *lost)
{
	int fd = open(PCBSTAT_DEVICE, O_RDONLY | O_CLOEXEC), i, left;
	uint64_t seq = 0, t0;

	if (fd < 0)
		return -1;
	/* start after the records already there */
	read_exits(fd, &seq, jobs, 0, lost);
	*lost = 0;
	memset(jobs, 0, plan->nr_jobs * sizeof(*jobs));
	t0 = now_ns() + 20 * MS;
	for (i = 0; i < plan->nr_jobs; i++) {
		read_exits(fd, &seq, jobs, i, lost);
		sleep_until(t0 + plan->arrive[i]);
		jobs[i].pid = fork();
		if (!jobs[i].pid) {
			burn(plan->len[i]);
			_exit(0);
		}
	}
	for (left = plan->nr_jobs; left > 0; left--)
		if (wait(NULL) < 0)
			break;
	read_exits(fd, &seq, jobs, plan->nr_jobs, lost);
	close(fd);
	return 0;
}

static void criteria(const struct job_plan *plan, const struct job_pcb *jobs,
		     struct policy_result *r)
{
	uint64_t first = UINT64_MAX, last = 0;
	double run = 0, gap;
	int i, n = 0;

	r->tat = r->wait = r->resp = r->worst_gap = r->gap_mean = 0;
	for (i = 0; i < plan->nr_jobs; i++) {
		const struct job_pcb *p = &jobs[i];

		if (!p->seen)
			continue;
		n++;
		r->tat += p->tat;
		r->wait += p->wait;
		r->resp += p->resp;
		r->resp_ms[i] = p->resp;
		run += p->run;
		gap = p->tat - (p->run + p->wait + p->blocked);
		r->gap_mean += gap;
		if (gap < 0)
			gap = -gap;
		if (gap > r->worst_gap) {
			r->worst_gap = gap;
			r->worst = *p;
		}
		if (p->start < first)
			first = p->start;
		if (p->exit > last)
			last = p->exit;
	}
	r->seen = n;
	r->jobs = plan->nr_jobs;
	/* a missing record leaves its job out, and the table says so */
	r->ok = n && last > first;
	if (!n || last <= first)
		return;
	r->tat /= n;
	r->wait /= n;
	r->resp /= n;
	r->gap_mean /= n;
	r->util = 100 * run / ((last - first) / 1e6) /
		  sysconf(_SC_NPROCESSORS_ONLN);
	r->jobs_s = n / ((last - first) / 1e9);
}

static void print_policy(const struct tb_opts *o, const struct policy_result *r,
			 FILE *dat)
{
	if (!r->ok) {
		if (o->json)
			printf("{\"part\":\"sched\",\"policy\":\"%s\","
			       "\"ok\":false,\"lost\":%d}\n",
			       r->name, r->lost);
		else
			printf("%-7s not measured (%d of %d exit records, "
			       "%d lost)\n",
			       r->name, r->seen, r->jobs, r->lost);
		return;
	}
	if (o->json)
		printf("{\"part\":\"sched\",\"policy\":\"%s\",\"ok\":true,"
		       "\"cpu_util_pct\":%.1f,\"jobs_per_s\":%.1f,"
		       "\"turnaround_ms\":%.2f,\"waiting_ms\":%.2f,"
		       "\"response_ms\":%.2f,\"unaccounted_ms\":%.2f,"
		       "\"jobs_seen\":%d,\"jobs\":%d}\n",
		       r->name, r->util, r->jobs_s, r->tat, r->wait, r->resp,
		       r->gap_mean, r->seen, r->jobs);
	else
		printf("%-7s %8.1f %8.1f %10.2f %10.2f %10.2f %10.2f%s\n",
		       r->name, r->util, r->jobs_s, r->tat, r->wait, r->resp,
		       r->gap_mean,
		       r->seen < r->jobs ? "  (not every job's record)" : "");
	if (dat)
		fprintf(dat, "%s %.1f %.1f %.2f %.2f %.2f\n", r->name, r->util,
			r->jobs_s, r->tat, r->wait, r->resp);
}

static int parse_policies(const struct tb_opts *o, char *list,
			  struct policy_result *res)
{
	char *tok, *save;
	int n = 0;

	snprintf(list, 256, "%s", o->sched ? o->sched : default_policies);
	for (tok = strtok_r(list, ",", &save); tok && n < MAX_POLICIES;
	     tok = strtok_r(NULL, ",", &save))
		res[n++].name = tok;
	return n;
}

static const struct policy_result *find(const struct policy_result *res, int n,
					const char *name)
{
	int i;

	for (i = 0; i < n; i++)
		if (!strcmp(res[i].name, name) && res[i].ok)
			return &res[i];
	return NULL;
}

static void verdicts(const struct tb_opts *o, const struct job_plan *plan,
		     const struct policy_result *res, int n)
{
	const struct policy_result *fcfs = find(res, n, "fcfs"),
				   *rr = find(res, n, "rr"), *w = NULL;
	double v[MAX_TB_SCHED_JOBS];
	struct tb_fig f;
	char ev[256];
	int i, k = 0;

	for (i = 0; i < n; i++)
		if (res[i].ok && (!w || res[i].worst_gap > w->worst_gap))
			w = &res[i];
	if (w)
		snprintf(ev, sizeof(ev),
			 "worst job under %s: turnaround %.2f ms, running "
			 "%.2f + waiting %.2f + blocked %.2f ms (response "
			 "%.2f ms)",
			 w->name, w->worst.tat, w->worst.run, w->worst.wait,
			 w->worst.blocked, w->worst.resp);
	/* the figures selftest's bound for a live process: 1% + 2 ms */
	tb_verdict_plain(o,
			 "the PCB's turnaround is running + waiting + "
			 "blocked time, the seed's definition",
			 w && w->worst_gap <= 2 + w->worst.tat / 100,
			 w ? ev : "no policy measured");
	if (!fcfs || !rr)
		return;
	/* the same job under both policies: paired by its place in the plan */
	for (i = 0; i < plan->nr_jobs; i++)
		if (rr->resp_ms[i] > 0 && fcfs->resp_ms[i] > 0)
			v[k++] = fcfs->resp_ms[i] / rr->resp_ms[i];
	tb_fig_of(v, k, &f);
	tb_verdict(o,
		   "round robin responds sooner than FCFS (per job, FCFS "
		   "response / RR response)",
		   &f);
}

int tb_sched(const struct tb_opts *o)
{
	struct policy_result *res = calloc(MAX_POLICIES, sizeof(*res));
	struct job_pcb *jobs = calloc(MAX_TB_SCHED_JOBS, sizeof(*jobs));
	struct job_plan *plan = malloc(sizeof(*plan));
	int ncpu = sysconf(_SC_NPROCESSORS_ONLN), n, i;
	double cap, load = 0.7, win[CAPACITY_WINDOWS];
	FILE *dat = NULL;
	char list[256];
	pid_t pid;

	if (!res || !jobs || !plan || scx_enabled()) {
		if (scx_enabled())
			fprintf(stderr, "pcbbench textbook: sched: a sched_ext "
					"scheduler is already attached\n");
		free(res);
		free(jobs);
		free(plan);
		return 1;
	}
	n = parse_policies(o, list, res);
	plan_jobs(plan, o->sched_jobs, load, ncpu, 7);
	/* P7's capacity for this mix; the quick version takes the CPUs */
	cap = o->quick ? ncpu : measure_capacity(plan, win);
	if (cap <= 0 || cap > ncpu)
		cap = ncpu;
	plan_jobs(plan, o->sched_jobs, load, cap, 7);
	if (!o->json)
		printf("\n== 5. scheduling criteria: %d jobs of 1-64 ms, one "
		       "process each, Poisson arrivals at %.0f%% of %.2f "
		       "CPUs\n%-7s %8s %8s %10s %10s %10s %10s\n",
		       plan->nr_jobs, 100 * load, cap, "policy", "CPU %",
		       "jobs/s", "TAT ms", "wait ms", "resp ms", "unacct ms");
	dat = tb_dat(o, "textbook-sched.dat");
	if (dat)
		fprintf(dat,
			"# policy util_pct jobs_s tat_ms wait_ms resp_ms\n");
	for (i = 0; i < n; i++) {
		pid = start_peer(res[i].name,
				 is_capped(res[i].name) ? CAP_MS : 0);
		if (pid < 0) {
			fprintf(stderr,
				"pcbbench textbook: sched: cannot attach %s\n",
				res[i].name);
			continue;
		}
		if (!run_plan(plan, jobs, &res[i].lost))
			criteria(plan, jobs, &res[i]);
		if (!peer_alive(pid))
			res[i].ok = false;
		stop_peer(pid);
		print_policy(o, &res[i], dat);
	}
	if (dat)
		fclose(dat);
	verdicts(o, plan, res, n);
	free(res);
	free(jobs);
	free(plan);
	return 0;
}
