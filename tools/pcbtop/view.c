// SPDX-License-Identifier: GPL-2.0
/*
 * A frame as lines of text, the same for the screen and for batch mode:
 * the header, the process view with its state bars, and the exited view.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "pcbtop.h"

struct col {
	const char *name; /* header, and what -s and the sort keys name */
	int width;
	bool left;     /* left-aligned text */
	bool desc;     /* sorts largest first */
	bool optional; /* shown only when the terminal is wide enough */
};

static const struct col cols[C_NR] = {
	[C_PID] = { "PID", 7, false, false, false },
	[C_USER] = { "USER", 8, true, false, false },
	[C_STATE] = { "S", 1, true, false, false },
	[C_THREADS] = { "THR", 4, false, true, true },
	[C_NICE] = { "NI", 3, false, false, true },
	[C_CPU] = { "CPU%", 5, false, true, false },
	[C_RUN] = { "RUN%", 5, false, true, false },
	[C_READY] = { "RDY%", 5, false, true, false },
	[C_BLOCKED] = { "BLK%", 5, false, true, false },
	[C_SWT] = { "SWT/s", 5, false, true, false },
	[C_SWP] = { "SWP/s", 5, false, true, false },
	[C_SWK] = { "SWK/s", 5, false, true, false },
	[C_WAIT] = { "WAIT-s", 8, false, true, true },
	[C_RSS] = { "RSS-MB", 7, false, true, true },
	[C_BAR] = { "RUN/READY/BLOCKED", 0, true, true, false },
	[C_COMM] = { "COMMAND", 0, true, false, false },
};

#define BAR_MIN	 10
#define BAR_MAX	 40
#define COMM_MIN 8

const char *col_name(enum col_id c)
{
	return cols[c].name;
}

bool col_parse(const char *name, enum col_id *out)
{
	int c;

	for (c = 0; c < C_NR; c++)
		if (!strcasecmp(name, cols[c].name)) {
			*out = c;
			return true;
		}
	return false;
}

static int num_cmp(double a, double b)
{
	return (a > b) - (a < b);
}

static int row_cmp(const struct row *a, const struct row *b, enum col_id c)
{
	switch (c) {
	case C_PID:
		return num_cmp(a->t.tid, b->t.tid);
	case C_USER:
		return strcmp(a->user, b->user);
	case C_STATE:
		return num_cmp(a->t.state, b->t.state);
	case C_THREADS:
		return num_cmp(a->t.threads, b->t.threads);
	case C_NICE:
		return num_cmp(a->t.nice, b->t.nice);
	case C_CPU:
		return num_cmp(a->cpu, b->cpu);
	case C_RUN:
	case C_BAR:
		return num_cmp(a->running, b->running);
	case C_READY:
		return num_cmp(a->ready, b->ready);
	case C_BLOCKED:
		return num_cmp(a->blocked, b->blocked);
	case C_SWT:
		return num_cmp(a->sw_thread, b->sw_thread);
	case C_SWP:
		return num_cmp(a->sw_process, b->sw_process);
	case C_SWK:
		return num_cmp(a->sw_kernel, b->sw_kernel);
	case C_WAIT:
		return num_cmp(a->t.wait_ns, b->t.wait_ns);
	case C_RSS:
		return num_cmp(a->t.rss_kb, b->t.rss_kb);
	case C_COMM:
		return strcmp(a->t.comm, b->t.comm);
	case C_NR:
		break;
	}
	return 0;
}

static const struct view *sort_view;

static int by_view(const void *x, const void *y)
{
	const struct row *a = x, *b = y;
	enum col_id c = sort_view->sort < C_NR ? sort_view->sort : C_CPU;
	int r = row_cmp(a, b, c);

	if (cols[c].desc != sort_view->reverse)
		r = -r;
	return r ? r : num_cmp(a->t.tid, b->t.tid);
}

void frame_sort(struct frame *f, const struct view *v)
{
	sort_view = v;
	qsort(f->rows, f->nrows, sizeof(*f->rows), by_view);
}

/* Keeps the rows whose command or user contains the filter. */
size_t frame_filter(struct frame *f, const struct view *v)
{
	size_t i, n = 0;

	if (!v->filter[0])
		return f->nrows;
	for (i = 0; i < f->nrows; i++)
		if (strstr(f->rows[i].t.comm, v->filter) ||
		    strstr(f->rows[i].user, v->filter))
			f->rows[n++] = f->rows[i];
	f->nrows = n;
	return n;
}

/* Which columns fit, and how wide the bar is. */
struct layout {
	bool shown[C_NR];
	int bar;
};

static int used_width(const struct layout *l)
{
	int c, w = 0;

	for (c = 0; c < C_NR; c++)
		if (l->shown[c] && cols[c].width)
			w += cols[c].width + 1;
	return w;
}

static void lay_out(int width, struct layout *l)
{
	int c, left;

	memset(l, 0, sizeof(*l));
	for (c = 0; c < C_NR; c++)
		l->shown[c] = !cols[c].optional;
	/* Extra columns join in table order while the bar keeps its minimum. */
	for (c = 0; c < C_NR; c++) {
		if (!cols[c].optional)
			continue;
		if (used_width(l) + cols[c].width + 1 + BAR_MIN + 1 + COMM_MIN +
			    8 >
		    width)
			break;
		l->shown[c] = true;
	}
	left = width - used_width(l) - 1 - COMM_MIN - 8;
	l->bar = left < BAR_MIN ? BAR_MIN : left > BAR_MAX ? BAR_MAX : left;
}

static void put_rate(char *buf, size_t size, double v, bool has)
{
	if (!has)
		snprintf(buf, size, "-");
	else if (v < 999.95)
		snprintf(buf, size, "%.1f", v);
	else if (v < 99999.5)
		snprintf(buf, size, "%.0f", v);
	else
		snprintf(buf, size, "%.0fk", v / 1000);
}

/* The interval split into running (#), ready (+) and blocked (.). */
static void fill_bar(char *bar, int width, const struct row *r)
{
	double total = r->running + r->ready + r->blocked;
	int run = 0, rdy = 0, blk = 0, i;

	if (r->has_rates && total > 0) {
		run = (int)(width * r->running / total + 0.5);
		rdy = (int)(width * r->ready / total + 0.5);
		if (run + rdy > width)
			rdy = width - run;
		blk = width - run - rdy;
	}
	for (i = 0; i < width; i++)
		bar[i] = i < run	       ? '#'
			 : i < run + rdy       ? '+'
			 : i < run + rdy + blk ? '.'
					       : ' ';
	bar[width] = '\0';
}

static void cell_text(const struct row *r, enum col_id c, char *s, size_t n)
{
	switch (c) {
	case C_PID:
		snprintf(s, n, "%d", r->t.tid);
		break;
	case C_USER:
		snprintf(s, n, "%.8s", r->user);
		break;
	case C_STATE:
		snprintf(s, n, "%c", (char)r->t.state);
		break;
	case C_THREADS:
		snprintf(s, n, "%u", r->t.threads);
		break;
	case C_NICE:
		snprintf(s, n, "%d", r->t.nice);
		break;
	case C_CPU:
		put_rate(s, n, r->cpu, r->has_rates);
		break;
	case C_RUN:
		put_rate(s, n, r->running, r->has_rates);
		break;
	case C_READY:
		put_rate(s, n, r->ready, r->has_rates);
		break;
	case C_BLOCKED:
		put_rate(s, n, r->blocked, r->has_rates);
		break;
	case C_SWT:
		put_rate(s, n, r->sw_thread, r->has_rates);
		break;
	case C_SWP:
		put_rate(s, n, r->sw_process, r->has_rates);
		break;
	case C_SWK:
		put_rate(s, n, r->sw_kernel, r->has_rates);
		break;
	case C_WAIT:
		snprintf(s, n, "%.2f", r->t.wait_ns / 1e9);
		break;
	case C_RSS:
		snprintf(s, n, "%.1f", r->t.rss_kb / 1024.0);
		break;
	case C_COMM:
		snprintf(s, n, "%s", r->t.comm);
		break;
	case C_BAR:
	case C_NR:
		s[0] = '\0';
	}
}

/* Appends one cell to @line at *at; returns where the bar starts, or -1. */
static int put_cell(char *line, int *at, int width, enum col_id c,
		    const char *text, int bar_width)
{
	int w = c == C_BAR ? bar_width : cols[c].width, start = *at;
	int room = width - *at;

	if (room <= 0)
		return -1;
	if (c == C_COMM)
		w = room;
	*at += snprintf(line + *at, room + 1,
			cols[c].left ? "%-*.*s " : "%*.*s ", w, w, text);
	if (*at > width)
		*at = width;
	return c == C_BAR ? start : -1;
}

static void header_text(const struct view *v, const struct layout *l, int width,
			char *line)
{
	char name[32];
	int c, at = 0;

	for (c = 0; c < C_NR; c++) {
		if (!l->shown[c])
			continue;
		snprintf(name, sizeof(name), "%s%s",
			 c == C_PID && v->threads ? "TID" : cols[c].name,
			 c == (int)v->sort
				 ? (cols[c].desc != v->reverse ? "v" : "^")
				 : "");
		put_cell(line, &at, width, c, name, l->bar);
	}
}

int render_rows(const struct frame *f, const struct view *v, int width,
		int height, line_fn out, void *ctx, int y)
{
	char line[1024], cell[64], bar[BAR_MAX + 1];
	struct layout l;
	size_t i;

	if (width >= (int)sizeof(line))
		width = sizeof(line) - 1;
	lay_out(width, &l);
	header_text(v, &l, width, line);
	out(ctx, y++, line, LINE_TITLE, -1, NULL);
	for (i = v->first; i < f->nrows && (height < 0 || height-- > 1); i++) {
		const struct row *r = &f->rows[i];
		int c, at = 0, bar_at = -1, b;

		for (c = 0; c < C_NR; c++) {
			if (!l.shown[c])
				continue;
			if (c == C_BAR)
				fill_bar(bar, l.bar, r);
			else
				cell_text(r, c, cell, sizeof(cell));
			b = put_cell(line, &at, width, c,
				     c == C_BAR ? bar : cell, l.bar);
			if (b >= 0)
				bar_at = b;
		}
		out(ctx, y++, line, i == v->selected ? LINE_SELECTED : LINE_ROW,
		    bar_at, bar);
	}
	return y;
}

static void clock_text(char *buf, size_t size)
{
	time_t now = time(NULL);
	struct tm tm;

	localtime_r(&now, &tm);
	strftime(buf, size, "%H:%M:%S", &tm);
}

/* Per-CPU cells, as many to a line as fit, "all" first. */
#define CPU_CELL       "%-4s %7s %7s %7s %7s  "
#define CPU_CELL_WIDTH 38
#define CPU_MAX_LINES  4

static void cpu_cell(char *buf, size_t size, const char *name, const double *sw,
		     double rq)
{
	char v[4][32];

	snprintf(v[0], sizeof(v[0]), "%.0f", sw[0]);
	snprintf(v[1], sizeof(v[1]), "%.0f", sw[1]);
	snprintf(v[2], sizeof(v[2]), "%.0f", sw[2]);
	snprintf(v[3], sizeof(v[3]), "%.1f", rq);
	snprintf(buf, size, CPU_CELL, name, v[0], v[1], v[2], v[3]);
}

static void out_cut(line_fn out, void *ctx, int y, char *line, int width)
{
	if (width < (int)strlen(line))
		line[width] = '\0';
	out(ctx, y, line, LINE_NORMAL, -1, NULL);
}

static int render_cpus(const struct frame *f, int width, line_fn out, void *ctx,
		       int y)
{
	int per_line = width / CPU_CELL_WIDTH > 0 ? width / CPU_CELL_WIDTH : 1;
	char line[1024] = "", cell[256], name[16];
	double sw[3] = { 0 }, wait_sum = 0;
	int i, k, n = 0, lines = 0, with_rq = 0;

	for (i = 0; i < f->ncpus; i++) {
		for (k = 0; k < 3; k++)
			sw[k] += f->cpus[i].sw[k];
		if (f->cpus[i].has_rq) {
			wait_sum += f->cpus[i].rq_share;
			with_rq++;
		}
	}
	for (i = 0; i < per_line && i <= f->ncpus; i++) {
		snprintf(cell, sizeof(cell), CPU_CELL, "CPU", "thr/s", "proc/s",
			 "kern/s", "rqwait%");
		strncat(line, cell, sizeof(line) - strlen(line) - 1);
	}
	out_cut(out, ctx, y++, line, width);
	line[0] = '\0';
	for (i = -1; i < f->ncpus; i++) {
		const struct cpu_rates *c = i < 0 ? NULL : &f->cpus[i];

		if (c) {
			snprintf(name, sizeof(name), "%d", c->cpu);
			cpu_cell(cell, sizeof(cell), name, c->sw, c->rq_share);
		} else {
			cpu_cell(cell, sizeof(cell), "all", sw,
				 with_rq ? wait_sum / with_rq : 0);
		}
		strncat(line, cell, sizeof(line) - strlen(line) - 1);
		if (++n % per_line && i + 1 < f->ncpus)
			continue;
		if (lines++ == CPU_MAX_LINES) {
			out(ctx, y++, "(more CPUs: widen the terminal)",
			    LINE_NORMAL, -1, NULL);
			break;
		}
		out_cut(out, ctx, y++, line, width);
		line[0] = '\0';
	}
	return y;
}

static int render_policy(const struct policy_view *p, int width, line_fn out,
			 void *ctx, int y)
{
	char line[1024], cell[64];
	unsigned int i;

	if (!p->attached)
		return y;
	snprintf(line, sizeof(line), "policy %s  level: waiting/CPU%%", p->ops);
	for (i = 0; i < p->levels; i++) {
		snprintf(cell, sizeof(cell), "  L%u %llu/%.0f%%", i,
			 (unsigned long long)p->queued[i], p->share[i]);
		strncat(line, cell, sizeof(line) - strlen(line) - 1);
	}
	if (width < (int)sizeof(line))
		line[width] = '\0';
	out(ctx, y++, line, LINE_NORMAL, -1, NULL);
	return y;
}

int render_header(const struct frame *f, const struct view *v, int width,
		  line_fn out, void *ctx, int y)
{
	char line[1024], now[16];

	clock_text(now, sizeof(now));
	snprintf(line, sizeof(line),
		 "pcbtop %s  %.2fs  %zu %s, %u running  sort %s%s%s%s", now,
		 f->interval_s, f->nrows, v->threads ? "threads" : "processes",
		 f->nrunning, col_name(v->sort),
		 v->filter[0] ? "  filter '" : "", v->filter,
		 v->filter[0] ? "'" : "");
	if (width < (int)sizeof(line))
		line[width] = '\0';
	out(ctx, y++, line, LINE_NORMAL, -1, NULL);
	y = render_cpus(f, width, out, ctx, y);
	return render_policy(&f->policy, width, out, ctx, y);
}

int render_exited(const struct frame *f, int width, int height, line_fn out,
		  void *ctx, int y)
{
	char line[1024];
	size_t i;

	if (width >= (int)sizeof(line))
		width = sizeof(line) - 1;
	snprintf(line, sizeof(line), "%7s %7s %-8s %12s %11s %10s %10s %s",
		 "PID", "PPID", "USER", "TURNAROUND-s", "RESPONSE-ms", "CPU-s",
		 "WAIT-s", "COMMAND");
	line[width] = '\0';
	out(ctx, y++, line, LINE_TITLE, -1, NULL);
	/* Newest first: the ring is oldest first. */
	for (i = f->exited.n; i-- > 0 && (height < 0 || height-- > 1);) {
		const struct pcbstat_task *t = &f->exited.recs[i];
		char resp[32];

		if (t->response_ns == PCBSTAT_UNKNOWN)
			snprintf(resp, sizeof(resp), "-");
		else
			snprintf(resp, sizeof(resp), "%.3f",
				 t->response_ns / 1e6);
		snprintf(line, sizeof(line),
			 "%7d %7d %-8.8s %12.3f %11s %10.3f %10.3f %s", t->pid,
			 t->ppid, user_name(t->uid), t->turnaround_ns / 1e9,
			 resp, t->run_ns / 1e9, t->wait_ns / 1e9, t->comm);
		line[width] = '\0';
		out(ctx, y++, line, LINE_ROW, -1, NULL);
	}
	return y;
}
