// SPDX-License-Identifier: GPL-2.0
/*
 * One process's whole PCB: every /proc/pcbstat column, its rates over the
 * last interval, the attached policy's view of it and its exited children.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pcbtop.h"

#define HIST_SUM offsetof(struct pcbstat_task, wait_hist_sum_ns)

static void column_text(const struct column *c, const struct pcbstat_task *t,
			char *buf, size_t size)
{
	FILE *m = fmemopen(buf, size, "w");

	buf[0] = '\0';
	if (!m)
		return;
	column_print(m, c, t);
	fclose(m);
}

static const struct row *find_row(const struct frame *f, int pid)
{
	size_t i;

	for (i = 0; i < f->nrows; i++)
		if (f->rows[i].t.tid == pid)
			return &f->rows[i];
	return NULL;
}

/* "name value" pairs, as many to a line as fit in @width. */
static int render_fields(const struct pcbstat_task *t, int width, line_fn out,
			 void *ctx, int y)
{
	enum {
		PAIR = 38
	};
	int per_line = width / PAIR > 0 ? width / PAIR : 1, n = 0;
	char line[1024] = "", cell[PAIR + 32], val[64];
	const struct column *c;

	for (c = columns; c->name; c++) {
		/* The histogram has lines of its own (render_hist()). */
		if (c->type == COL_HIST || c->offset == HIST_SUM)
			continue;
		column_text(c, t, val, sizeof(val));
		snprintf(cell, sizeof(cell), "  %-14s %20s ", c->name,
			 val + strspn(val, " "));
		strncat(line, cell, sizeof(line) - strlen(line) - 1);
		if (++n % per_line && c[1].name)
			continue;
		out(ctx, y++, line, LINE_NORMAL, -1, NULL);
		line[0] = '\0';
	}
	if (line[0])
		out(ctx, y++, line, LINE_NORMAL, -1, NULL);
	return y;
}

/* A time in 3 or 4 characters and a unit: 524us, 1.0ms, 4.3s. */
static void short_ns(char *buf, size_t size, double ns)
{
	static const char *const units[] = { "ns", "us", "ms", "s" };
	int u = 0;

	while (ns >= 1000 && u < 3) {
		ns /= 1000;
		u++;
	}
	snprintf(buf, size, ns < 10 ? "%.1f%s" : "%.0f%s", ns, units[u]);
}

/* The upper bound of bucket @b, or "+Inf" for the open last one. */
static void bucket_le(char *buf, size_t size, const struct pcbstat_task *t,
		      int b)
{
	if (b == PCBSTAT_WAIT_HIST_BUCKETS - 1)
		snprintf(buf, size, "+Inf");
	else
		short_ns(buf, size, (double)(1ULL << (t->wait_hist_shift + b)));
}

/* The bucket holding quantile @q of the waits, as "<bound". */
static void quantile(char *buf, size_t size, const struct pcbstat_task *t,
		     uint64_t count, double q)
{
	uint64_t cum = 0;
	int b;

	for (b = 0; b < PCBSTAT_WAIT_HIST_BUCKETS - 1; b++) {
		cum += t->wait_hist[b];
		if (cum >= q * count)
			break;
	}
	buf[0] = b == PCBSTAT_WAIT_HIST_BUCKETS - 1 ? '>' : '<';
	bucket_le(buf + 1, size - 1, t,
		  b == PCBSTAT_WAIT_HIST_BUCKETS - 1 ? b - 1 : b);
}

/*
 * The runqueue-wait histogram, right under the title so that it is on an
 * 80x24 screen: a summary line, then "<bound count" for each non-empty
 * bucket, as many to a line as fit.
 */
static int render_hist(const struct pcbstat_task *t, int width, line_fn out,
		       void *ctx, int y)
{
	char line[512], cell[48], le[16], mean[16], sum[16], p50[16], p99[16];
	uint64_t count = 0;
	size_t len;
	int b;

	if (t->size < PCBSTAT_TASK_SIZE_VER1 ||
	    t->wait_hist[0] == PCBSTAT_UNKNOWN) {
		out(ctx, y++, "  wait_hist      -", LINE_NORMAL, -1, NULL);
		return y;
	}
	for (b = 0; b < PCBSTAT_WAIT_HIST_BUCKETS; b++)
		count += t->wait_hist[b];
	if (!count) {
		out(ctx, y++, "  wait_hist      no dispatch since load",
		    LINE_NORMAL, -1, NULL);
		return y;
	}
	short_ns(sum, sizeof(sum), t->wait_hist_sum_ns);
	short_ns(mean, sizeof(mean), (double)t->wait_hist_sum_ns / count);
	quantile(p50, sizeof(p50), t, count, 0.5);
	quantile(p99, sizeof(p99), t, count, 0.99);
	snprintf(line, sizeof(line),
		 "  wait_hist      %llu waits, sum %s, mean %s, "
		 "p50 %s, p99 %s",
		 (unsigned long long)count, sum, mean, p50, p99);
	out(ctx, y++, line, LINE_NORMAL, -1, NULL);
	strcpy(line, "   ");
	for (b = 0; b < PCBSTAT_WAIT_HIST_BUCKETS; b++) {
		if (!t->wait_hist[b])
			continue;
		bucket_le(le, sizeof(le), t, b);
		snprintf(cell, sizeof(cell), " %s%s %llu",
			 b == PCBSTAT_WAIT_HIST_BUCKETS - 1 ? "" : "<", le,
			 (unsigned long long)t->wait_hist[b]);
		len = strlen(line);
		if (len > 3 && len + strlen(cell) > (size_t)width) {
			out(ctx, y++, line, LINE_NORMAL, -1, NULL);
			strcpy(line, "   ");
			len = 3;
		}
		strncat(line, cell, sizeof(line) - len - 1);
	}
	out(ctx, y++, line, LINE_NORMAL, -1, NULL);
	return y;
}

static int render_children(const struct frame *f, int pid, line_fn out,
			   void *ctx, int y)
{
	char line[256];
	size_t i;
	int n = 0;

	for (i = 0; i < f->exited.n; i++) {
		const struct pcbstat_task *t = &f->exited.recs[i];

		if (t->ppid != pid)
			continue;
		if (!n++)
			out(ctx, y++,
			    "exited children:     PID  TURNAROUND-s  RESPONSE-ms COMMAND",
			    LINE_TITLE, -1, NULL);
		snprintf(line, sizeof(line), "%24d %13.3f %12.3f %s", t->pid,
			 t->turnaround_ns / 1e9,
			 t->response_ns == PCBSTAT_UNKNOWN
				 ? -1.0
				 : t->response_ns / 1e6,
			 t->comm);
		out(ctx, y++, line, LINE_ROW, -1, NULL);
	}
	if (!n)
		out(ctx, y++, "exited children: none in the exited ring",
		    LINE_NORMAL, -1, NULL);
	return y;
}

int render_detail(int dev, const struct frame *f, int pid, int width,
		  line_fn out, void *ctx, int y)
{
	const struct row *r = find_row(f, pid);
	double expected_ms, used_ms;
	unsigned int level;
	struct snapshot one;
	char line[512];
	int err;

	err = snapshot_one(dev, pid, false, &one);
	if (err) {
		snprintf(line, sizeof(line), "pid %d: %s", pid,
			 err == -ESRCH ? "no such process (it may have exited)"
				       : strerror(-err));
		out(ctx, y++, line, LINE_TITLE, -1, NULL);
		snapshot_free(&one);
		return render_children(f, pid, out, ctx, y);
	}
	snprintf(line, sizeof(line), "pid %d (%s), user %s: the whole PCB", pid,
		 one.recs[0].comm, user_name(one.recs[0].uid));
	out(ctx, y++, line, LINE_TITLE, -1, NULL);
	y = render_hist(&one.recs[0], width, out, ctx, y);
	y = render_fields(&one.recs[0], width, out, ctx, y);
	snapshot_free(&one);
	if (r && r->has_rates) {
		snprintf(
			line, sizeof(line),
			"last %.2fs: cpu %.1f%%  running %.1f%%  ready %.1f%%  "
			"blocked %.1f%%  switches/s %.1f thread %.1f process "
			"%.1f kernel",
			f->interval_s, r->cpu, r->running, r->ready, r->blocked,
			r->sw_thread, r->sw_process, r->sw_kernel);
		out(ctx, y++, line, LINE_NORMAL, -1, NULL);
	}
	if (!policy_task(pid, &level, &expected_ms, &used_ms))
		snprintf(line, sizeof(line),
			 "policy %s: level %u, %.3f ms used at this level, "
			 "expected burst %.3f ms",
			 f->policy.ops, level, used_ms, expected_ms);
	else
		snprintf(line, sizeof(line), "policy: %s",
			 f->policy.attached ? "does not know this task"
					    : "no pcbsched policy attached");
	out(ctx, y++, line, LINE_NORMAL, -1, NULL);
	return render_children(f, pid, out, ctx, y);
}
