/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the parts of 'pcbbench sched' share: the P7 job mix (sched_jobs.c)
 * and the charts (sched_plot.c) around bench_sched.c.
 */
#ifndef PCBBENCH_SCHED_H
#define PCBBENCH_SCHED_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "measure.h"

#define MS	       1000000ULL
#define NR_JOB_CLASSES 7
#define MAX_PLAN_JOBS  20000

/*
 * Each class is served by job_pool_size[k] long-lived workers, each
 * trained on TRAIN_JOBS jobs of exactly job_class_ms(k) before the clock
 * starts (sched_jobs.c).
 */
#define TRAIN_JOBS 3
extern const int job_pool_size[NR_JOB_CLASSES];

/* Job lengths of class k are about 2^k ms (1 .. 64 ms). */
static inline double job_class_ms(int k)
{
	return (double)(1u << k);
}

/*
 * One P7 run, fixed before the first policy runs so every policy gets
 * the very same jobs at the very same offsets.
 */
struct job_plan {
	int nr_jobs;
	double load;			/* offered share of the capacity */
	double capacity;		/* CPUs the load is offered against */
	uint64_t arrive[MAX_PLAN_JOBS]; /* ns after the start */
	uint64_t len[MAX_PLAN_JOBS];	/* CPU ns */
	unsigned char cls[MAX_PLAN_JOBS];
};

struct job_result {
	struct summary turnaround, waiting, response; /* ms */
	double class_tat[NR_JOB_CLASSES];	      /* mean per class, ms */
	double user_queued_pct; /* found every worker of its class busy */
	double drain_ms;   /* last finish - last arrival: large if overloaded */
	double fcfs_ratio; /* mean turnaround / FCFS's in the same round */
	bool ok;
};

/* Everything measured for one peer (policy or scheduler). */
struct peer_result {
	const char *peer;
	bool ok;
	struct summary probe;	   /* P6, µs */
	struct summary probe_rq;   /* the part of it spent runnable, µs */
	struct summary probe_wake; /* the part before the wake-up, µs */
	bool probe_rq_ok;	   /* the kernel gave run_delay */
	double miss_pct;
	struct job_result jobs; /* P7 */
	double messaging_s;	/* P8; 0: not measured */
};

void plan_jobs(struct job_plan *plan, int nr_jobs, double load, double capacity,
	       unsigned short seed);
/* The median of this many windows; @win gets each window's figure. */
#define CAPACITY_WINDOWS 5
double measure_capacity(const struct job_plan *plan, double *win);
void run_jobs(const struct job_plan *plan, struct job_result *r);

/*
 * The textbook's FCFS, SJF and HRRN on the same plan, computed instead of
 * run (sched_model.c): non-preemptive, on @cpus CPUs with no switching
 * cost, with the same worker pools, training and burst estimates as the
 * pick policies, so P7's measured numbers can be read against what the
 * rules themselves give on this job mix.
 */
enum model_rule {
	MODEL_FCFS,
	MODEL_SJF,
	MODEL_HRRN,
	NR_MODEL_RULES
};

struct model_result {
	struct summary turnaround, waiting; /* ms */
	double fcfs_ratio; /* mean turnaround / the model's FCFS's */
};

extern const char *const model_rule_name[NR_MODEL_RULES];

/* false if out of memory */
bool model_jobs(const struct job_plan *plan, enum model_rule rule, int cpus,
		struct model_result *r);
/* All rules on @cpus CPUs; false if out of memory. */
bool model_all(const struct job_plan *plan, int cpus,
	       struct model_result r[NR_MODEL_RULES]);
/* 'pcbbench sched --model': the model's table only, no kernel involved. */
int print_model(const struct job_plan *plan, int cpus);
/* After P7's table: the model's xFCFS beside each measured rule's. */
void print_model_beside(const struct job_plan *plan, int cpus,
			const struct peer_result *res, int n);

/* What 'pcbbench sched' was asked to run (bench_sched.c). */
#define MAX_PEERS  16
#define MAX_ROUNDS 15
#define MAX_HOGS   256

struct bench_opts {
	double probe_secs;
	int nr_jobs;
	double load;
	double capacity; /* 0: measure it */
	int p7_cap_ms;
	int rounds; /* 0: no P7 */
	int hogs;   /* P6's CPU hogs; -1: 2 x nproc */
	int seed;   /* of P7's plan, 0..65535 */
	bool json;
	bool perf;
	bool model; /* --model: sched_model.c's table only, no kernel */
	int cpus;   /* CPUs of the model (0: this machine's) */
	const char *out_dir;
	const char *peers[MAX_PEERS];
	int nr_peers;
};

/* The peers (sched_peers.c): a pcbsched policy, an scx example, EEVDF. */
bool scx_enabled(void);
bool is_capped(const char *peer);
void scx_peer_path(char *buf, size_t size, const char *peer);
pid_t start_peer(const char *peer, int cap_ms);
bool peer_alive(pid_t pid);
void stop_peer(pid_t pid);

/* P6 (sched_probe.c) and P8 (sched_messaging.c) of one peer. */
void run_probe(const struct bench_opts *o, struct peer_result *r);
#define MESSAGING_RUNS 5
void run_messaging(struct peer_result *r);

/* P7 in rounds over every peer still attached (sched_rounds.c). */
void run_p7(const struct bench_opts *o, const struct job_plan *plan,
	    struct peer_result *res, int n);

/* The results as a table or as JSON (sched_report.c). */
void print_table(const struct bench_opts *o, const struct job_plan *plan,
		 const struct peer_result *res, int n);
void print_json(const struct peer_result *res, int n);

/* Data files and PNG charts of the results in @dir; false if none. */
bool plot_sched(const char *dir, const struct peer_result *res, int n);

/* The CPU-time clock jobs burn against, and a busy loop on it. */
uint64_t thread_cpu_ns(void);
void burn(uint64_t ns);
void sleep_until(uint64_t t);

#endif /* PCBBENCH_SCHED_H */
