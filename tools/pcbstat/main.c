// SPDX-License-Identifier: GPL-2.0
/*
 * pcbstat - the process control blocks pcbstat.ko keeps, as a table.
 *
 * Exit status: 0 shown, 1 the module could not be read (not loaded, no
 * such pid), 2 bad usage.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "records.h"
#include "json.h"
#include "cli.h"

#define DEFAULT_COLUMNS                                                       \
	"pid,ppid,state,threads,policy,nice,cpu,run_ns,wait_ns,nvcsw,nivcsw," \
	"sw_thread,sw_process,sw_kernel,response_ns,comm"

struct options {
	const struct column *sort;
	bool reverse;
	int pid;
	bool threads;
	bool exited;
	bool json;
	bool openmetrics;
	bool sort_given;
	int top;
	int interval;
	int count;
	const struct column *show[64];
	int nshow;
};

static const struct column *sort_col;
static bool sort_reverse;

static void usage(FILE *out)
{
	fprintf(out,
		"usage: pcbstat [options]\n"
		"  -s, --sort COL      sort by column COL (default pid)\n"
		"  -r, --reverse       largest first\n"
		"  -p, --pid PID       only process (or with --threads, thread) PID\n"
		"  -t, --threads       one row per thread\n"
		"  -x, --exited        the exited ring: final figures of exited processes\n"
		"  -o, --columns LIST  comma-separated columns to show (default\n"
		"                      " DEFAULT_COLUMNS ")\n"
		"  -i, --interval N    every N seconds, print what changed (like pidstat)\n"
		"  -c, --count N       stop after N intervals\n"
		"  -j, --json          JSON, every column\n"
		"      --openmetrics   Prometheus/OpenMetrics text for node_exporter's\n"
		"                      textfile collector (processes, CPUs, exited, pcbmq)\n"
		"      --top N         only the N largest by the sort column (default\n"
		"                      run_ns): bounds the metrics' cardinality\n"
		"  -h, --help          this text\n"
		"Columns are those of /proc/pcbstat (see Documentation/pcbstat.rst);\n"
		"'-' or null marks a figure the module could not observe.\n");
}

static int parse_columns(struct options *o, char *list)
{
	char *save, *name;

	o->nshow = 0;
	for (name = strtok_r(list, ",", &save); name;
	     name = strtok_r(NULL, ",", &save)) {
		const struct column *c = column_find(name);

		if (!c) {
			fprintf(stderr, "pcbstat: no column '%s'\n", name);
			return -1;
		}
		if (o->nshow == 64) {
			fprintf(stderr, "pcbstat: more than 64 columns\n");
			return -1;
		}
		o->show[o->nshow++] = c;
	}
	return 0;
}

static int set_sort(void *ctx, const char *name)
{
	struct options *o = ctx;

	o->sort = column_find(name);
	if (!o->sort) {
		fprintf(stderr, "pcbstat: --sort: no column '%s'\n", name);
		return -1;
	}
	o->sort_given = true;
	return 0;
}

static int set_columns(void *ctx, const char *list)
{
	char *copy = strdup(list);
	int err;

	if (!copy)
		return -1;
	err = parse_columns(ctx, copy);
	free(copy);
	return err;
}

static void parse(int argc, char **argv, struct options *o)
{
	const struct cli_opt opts[] = {
		CLI_CALL("sort", 's', set_sort, o),
		CLI_FLAG("reverse", 'r', &o->reverse),
		CLI_INT("pid", 'p', &o->pid, 1, 1000000000),
		CLI_FLAG("threads", 't', &o->threads),
		CLI_FLAG("exited", 'x', &o->exited),
		CLI_CALL("columns", 'o', set_columns, o),
		CLI_INT("interval", 'i', &o->interval, 1, 1000000000),
		CLI_INT("count", 'c', &o->count, 1, 1000000000),
		CLI_FLAG("json", 'j', &o->json),
		CLI_FLAG("openmetrics", 0, &o->openmetrics),
		CLI_INT("top", 0, &o->top, 1, 1000000000),
		CLI_HELP(usage),
		CLI_END,
	};
	char defaults[] = DEFAULT_COLUMNS;
	int next;

	parse_columns(o, defaults);
	o->sort = column_find("pid");
	next = cli_parse("pcbstat", opts, argc, argv, false);
	if (next < 0)
		exit(cli_exit_status(next));
	if (next < argc) {
		fprintf(stderr, "pcbstat: unexpected argument '%s'\n",
			argv[next]);
		exit(CLI_EXIT_USAGE);
	}
	if (o->exited && (o->interval || o->threads)) {
		fprintf(stderr,
			"pcbstat: --exited goes with neither --interval nor "
			"--threads\n");
		exit(CLI_EXIT_USAGE);
	}
	/* The exposition is one scrape of every process, nothing else. */
	if (o->openmetrics &&
	    (o->exited || o->interval || o->json || o->threads || o->pid)) {
		fprintf(stderr,
			"pcbstat: --openmetrics goes with none of --exited, "
			"--interval, --json, --threads, --pid\n");
		exit(CLI_EXIT_USAGE);
	}
	/* --top keeps the largest; by CPU time unless told otherwise. */
	if (o->top) {
		if (!o->sort_given)
			o->sort = column_find("run_ns");
		o->reverse = !o->reverse;
	}
}

static int by_column(const void *a, const void *b)
{
	int r = column_cmp(sort_col, a, b);

	if (!r)
		r = column_cmp(column_find("tid"), a, b);
	return sort_reverse ? -r : r;
}

static void print_table(const struct options *o, const struct snapshot *s)
{
	size_t i;
	int k;

	for (k = 0; k < o->nshow; k++)
		printf("%s%*s", k ? " " : "", o->show[k]->width,
		       o->show[k]->name);
	putchar('\n');
	for (i = 0; i < s->n; i++) {
		for (k = 0; k < o->nshow; k++) {
			if (k)
				putchar(' ');
			column_print(stdout, o->show[k], &s->recs[i]);
		}
		putchar('\n');
	}
}

static void print_json(const struct snapshot *s)
{
	const struct column *c;
	struct json j;
	size_t i;

	json_init(&j, stdout, JSON_ROWS);
	json_begin_array(&j);
	for (i = 0; i < s->n; i++) {
		json_begin_object(&j);
		for (c = columns; c->name; c++)
			column_json(&j, c, &s->recs[i]);
		json_end_object(&j);
	}
	json_end_array(&j);
	json_finish(&j);
}

static int take(int dev, const struct options *o, struct snapshot *s)
{
	if (o->exited)
		return snapshot_exited(dev, s);
	if (o->pid)
		return snapshot_one(dev, o->pid, o->threads, s);
	return snapshot_list(dev, o->threads, s);
}

static void show(int dev, const struct options *o, struct snapshot *s)
{
	sort_col = o->sort;
	sort_reverse = o->reverse;
	qsort(s->recs, s->n, sizeof(*s->recs), by_column);
	if (o->top && s->n > (size_t)o->top)
		s->n = o->top;
	if (o->openmetrics)
		print_openmetrics(stdout, dev, s);
	else if (o->json)
		print_json(s);
	else
		print_table(o, s);
	fflush(stdout);
}

/* Keeps the records present in both, as changes since @before. */
static void delta(struct snapshot *now, const struct snapshot *before)
{
	size_t i, j, n = 0;

	for (i = 0; i < now->n; i++)
		for (j = 0; j < before->n; j++) {
			const struct pcbstat_task *b = &before->recs[j];

			if (b->tid != now->recs[i].tid ||
			    b->start_ns != now->recs[i].start_ns)
				continue;
			column_delta(&now->recs[i], b);
			now->recs[n++] = now->recs[i];
			break;
		}
	now->n = n;
}

static int fail(int err, const struct options *o)
{
	if (err == -ESRCH)
		fprintf(stderr, "pcbstat: no process %d visible here\n",
			o->pid);
	else
		fprintf(stderr, "pcbstat: %s: %s\n", PCBSTAT_DEVICE,
			strerror(-err));
	return 1;
}

static int copy_snapshot(struct snapshot *dst, const struct snapshot *src)
{
	dst->n = src->n;
	dst->recs = malloc((src->n + 1) * sizeof(*src->recs));
	if (!dst->recs)
		return -ENOMEM;
	memcpy(dst->recs, src->recs, src->n * sizeof(*src->recs));
	return 0;
}

/* Each interval shows what changed since the previous snapshot. */
static int run_intervals(int dev, const struct options *o)
{
	struct timespec ts = { o->interval, 0 };
	struct snapshot before, now, raw;
	int err, i;

	err = take(dev, o, &before);
	if (err)
		return fail(err, o);
	for (i = 0; !o->count || i < o->count; i++) {
		nanosleep(&ts, NULL);
		err = take(dev, o, &now);
		if (!err)
			err = copy_snapshot(&raw, &now);
		if (err)
			return fail(err, o);
		delta(&now, &before);
		show(dev, o, &now);
		snapshot_free(&now);
		snapshot_free(&before);
		before = raw;
	}
	snapshot_free(&before);
	return 0;
}

int main(int argc, char **argv)
{
	struct options o = { 0 };
	struct snapshot s;
	int dev, err;

	parse(argc, argv, &o);
	dev = open(PCBSTAT_DEVICE, O_RDONLY | O_CLOEXEC);
	if (dev < 0) {
		fprintf(stderr, "pcbstat: %s: %s (is pcbstat.ko loaded?)\n",
			PCBSTAT_DEVICE, strerror(errno));
		return 1;
	}
	if (o.interval)
		return run_intervals(dev, &o);
	err = take(dev, &o, &s);
	if (err)
		return fail(err, &o);
	show(dev, &o, &s);
	snapshot_free(&s);
	return 0;
}
