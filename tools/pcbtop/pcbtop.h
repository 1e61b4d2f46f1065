/* SPDX-License-Identifier: GPL-2.0 */
/* pcbtop(1): the parts shared between its files. */
#ifndef PCBTOP_H
#define PCBTOP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "records.h" /* tools/pcbstat: struct snapshot, snapshot_list() */
#include "username.h"

#define PCBTOP_MAX_CPUS	  1024
#define PCBTOP_MAX_LEVELS 8
#define PCBTOP_USER_LEN	  16

/* One process (or thread) over the last interval. */
struct row {
	struct pcbstat_task t; /* figures now */
	bool has_rates;	       /* seen in the previous sample too */
	double cpu;	       /* run_ns per wall second, percent */
	double running;	       /* state time per wall second, percent */
	double ready;
	double blocked;
	double sw_thread; /* switch-outs per second, by class */
	double sw_process;
	double sw_kernel;
	char user[PCBTOP_USER_LEN];
};

struct cpu_rates {
	int cpu;
	double sw[3];	 /* thread, process, kernel switches per second */
	double rq_share; /* run_delay / (run_delay + rq_cpu_time), percent */
	bool has_rq;
};

/* The attached pcbsched policy, if any: per-level queues and CPU share. */
struct policy_view {
	bool attached;
	char ops[64];
	unsigned int levels;
	uint64_t queued[PCBTOP_MAX_LEVELS];
	double share[PCBTOP_MAX_LEVELS]; /* of the levels' CPU, percent */
};

/* Raw per-CPU counters, kept between samples. */
struct cpu_raw {
	int cpu;
	uint64_t sw[3];
	uint64_t run_delay, rq_cpu_time;
	bool has_rq;
};

struct sample {
	struct snapshot tasks; /* sorted by tid, as LIST returns them */
	struct cpu_raw cpus[PCBTOP_MAX_CPUS];
	int ncpus;
	uint64_t at_ns;
	struct policy_view policy; /* share[] not filled: needs two samples */
	uint64_t level_run_ns[PCBTOP_MAX_LEVELS];
};

/* Everything one frame shows. */
struct frame {
	struct row *rows;
	size_t nrows;
	struct cpu_rates cpus[PCBTOP_MAX_CPUS];
	int ncpus;
	double interval_s;
	struct policy_view policy;
	struct snapshot exited;
	unsigned int nrunning, nready; /* tasks in state R now */
};

/* sample.c */
int sample_take(int dev, bool threads, struct sample *s);
void sample_free(struct sample *s);
int frame_build(const struct sample *now, const struct sample *before,
		struct frame *f);
void frame_free(struct frame *f);

/* policy.c: the loaded pcbsched policy, through its maps */
void policy_read(struct policy_view *p, uint64_t *level_run_ns);
int policy_task(int pid, unsigned int *level, double *expected_ms,
		double *used_ms);

/* Columns of the process view, in order; sortable by key. */
enum col_id {
	C_PID,
	C_USER,
	C_STATE,
	C_THREADS,
	C_NICE,
	C_CPU,
	C_RUN,
	C_READY,
	C_BLOCKED,
	C_SWT,
	C_SWP,
	C_SWK,
	C_WAIT,
	C_RSS,
	C_BAR,
	C_COMM,
	C_NR
};

struct view {
	enum col_id sort;
	bool reverse; /* smallest first */
	bool threads;
	bool exited;
	char filter[64];
	int detail_pid; /* 0: process view */
	size_t first;	/* first row shown (scrolling) */
	size_t selected;
};

/* view.c: text lines of a frame, for the screen and for batch mode */
enum line_kind {
	LINE_NORMAL,
	LINE_TITLE,
	LINE_ROW,
	LINE_SELECTED
};
typedef void (*line_fn)(void *ctx, int y, const char *text, enum line_kind kind,
			int bar_at, const char *bar);
const char *col_name(enum col_id c);
bool col_parse(const char *name, enum col_id *out);
void frame_sort(struct frame *f, const struct view *v);
size_t frame_filter(struct frame *f, const struct view *v);
int render_header(const struct frame *f, const struct view *v, int width,
		  line_fn out, void *ctx, int y);
int render_rows(const struct frame *f, const struct view *v, int width,
		int height, line_fn out, void *ctx, int y);
int render_exited(const struct frame *f, int width, int height, line_fn out,
		  void *ctx, int y);

/* detail.c */
int render_detail(int dev, const struct frame *f, int pid, int width,
		  line_fn out, void *ctx, int y);

/* main.c: one refresh, shared by batch mode and the screen */
struct monitor {
	int dev;
	struct sample prev;
	bool has_prev;
	bool prev_threads;
};
int monitor_next(struct monitor *m, const struct view *v, struct frame *f);
int screen_render(struct monitor *m, const struct frame *f,
		  const struct view *v, int width, int height, line_fn out,
		  void *ctx);

/* screen.c */
int screen_run(struct monitor *m, double interval, struct view *v);

#endif /* PCBTOP_H */
