/* SPDX-License-Identifier: GPL-2.0 */
/*
 * pcbbench textbook: the seed chapter's claims about processes, threads,
 * IPC and scheduling, each measured in the same boot and given a verdict.
 * One measure per textbook_<part>.c; textbook_main.c runs them.
 */
#ifndef PCBBENCH_TEXTBOOK_H
#define PCBBENCH_TEXTBOOK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>

#include <pcbstat.h>

#include "measure.h"

#define TB_MAX_TRIALS	  41
#define MAX_TB_SCHED_JOBS 2000

struct tb_opts {
	int trials;	   /* per figure; medians and 95% intervals over them */
	bool quick;	   /* the selftest's and the demo's short version */
	bool json;	   /* one JSON object per part, one per line */
	int max_mb;	   /* create: the largest resident size */
	int sched_jobs;	   /* sched: jobs per policy */
	const char *sched; /* sched: policies, comma-separated */
	const char *out_dir;
};

/* A figure: the median of its trials and the median's 95% interval. */
struct tb_fig {
	double p50, lo, hi;
	int n;
};

/* Sorts @v (n values) and fills *f. */
void tb_fig_of(double *v, int n, struct tb_fig *f);

/*
 * A claim "A is cheaper than B" against per-trial ratios B/A: "holds" if
 * the whole interval of the median ratio is above 1, "does not hold here"
 * if it is all at or below 1, "undecided" otherwise. Prints the verdict
 * line and returns whether the claim held.
 */
bool tb_verdict(const struct tb_opts *o, const char *claim,
		const struct tb_fig *ratio);
/* A claim decided by a count or a flag rather than by an interval. */
void tb_verdict_plain(const struct tb_opts *o, const char *claim, bool holds,
		      const char *evidence);

/* The PCB of a process (or, with @thread, one thread) from /dev/pcbstat. */
int tb_pcb(pid_t pid, bool thread, struct pcbstat_task *t);
/* Lets go of /dev/pcbstat, so that the module can be unloaded. */
void tb_pcb_close(void);
/* Threads: line of /proc/<pid>/status, the oracle beside the PCB; -1. */
int tb_status_threads(pid_t pid);

/* Pin the calling thread to @cpu; -1: every online CPU again. */
int tb_pin(int cpu);

/* Data files and the gnuplot script in o->out_dir, then the PNGs. */
FILE *tb_dat(const struct tb_opts *o, const char *name);
void tb_plot(const struct tb_opts *o);

int tb_switch(const struct tb_opts *o);
int tb_create(const struct tb_opts *o);
int tb_models(const struct tb_opts *o);
int tb_ipc(const struct tb_opts *o);
int tb_sched(const struct tb_opts *o);

#endif /* PCBBENCH_TEXTBOOK_H */
