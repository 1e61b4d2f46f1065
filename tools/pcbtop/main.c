// SPDX-License-Identifier: GPL-2.0
/*
 * pcbtop - a live view of the five-state model: which processes run, wait
 * ready or block, and how they switch, from /dev/pcbstat.
 *
 * Exit status: 0 quit or done, 1 the module could not be read, 2 bad
 * usage.
 */
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "measure.h"
#include "pcbtop.h"

struct options {
	double interval;
	bool batch;
	long iterations; /* 0: until quit */
	int width;	 /* batch mode */
	struct view view;
};

static void usage(FILE *out)
{
	fprintf(out,
		"usage: pcbtop [options]\n"
		"  -d, --delay SECS     refresh every SECS seconds (default 1)\n"
		"  -b, --batch          print frames as text, for scripts (like top -b)\n"
		"  -n, --iterations N   stop after N frames (batch default: until killed)\n"
		"  -w, --width COLS     batch line width (default $COLUMNS or 80)\n"
		"  -H, --threads        one row per thread\n"
		"  -s, --sort COL       sort by COL: PID USER S THR NI CPU%% RUN%% RDY%%\n"
		"                       BLK%% SWT/s SWP/s SWK/s WAIT-s RSS-MB COMMAND\n"
		"  -r, --reverse        the other sort order\n"
		"  -f, --filter TEXT    rows whose command or user contains TEXT\n"
		"  -p, --pid PID        the detail view of PID\n"
		"  -x, --exited         the exited view: turnaround and response\n"
		"  -h, --help           this text\n"
		"keys: q quit, < > sort column, s next sort column, r reverse,\n"
		"  / filter, H threads, x exited view, Enter or p detail,\n"
		"  Esc back, arrows/PgUp/PgDn move\n"
		"Rates are per interval: CPU%% is CPU time, RUN%% RDY%% BLK%% time\n"
		"running, ready and blocked (summed over threads), SWT SWP SWK\n"
		"switch-outs to a thread, a process, the kernel or idle. The bar\n"
		"splits the interval into running (#), ready (+) and blocked (.).\n");
}

static int set_sort(void *ctx, const char *name)
{
	struct view *v = ctx;

	if (!col_parse(name, &v->sort)) {
		fprintf(stderr, "pcbtop: --sort: no column '%s'\n", name);
		return -1;
	}
	return 0;
}

static int set_filter(void *ctx, const char *text)
{
	struct view *v = ctx;

	snprintf(v->filter, sizeof(v->filter), "%s", text);
	return 0;
}

static void parse(int argc, char **argv, struct options *o)
{
	const struct cli_opt opts[] = {
		CLI_DOUBLE("delay", 'd', &o->interval, 0.05, 86400),
		CLI_FLAG("batch", 'b', &o->batch),
		CLI_LONG_BASE("iterations", 'n', &o->iterations, 1, 1L << 30,
			      10),
		CLI_INT("width", 'w', &o->width, 40, 1000),
		CLI_FLAG("threads", 'H', &o->view.threads),
		CLI_CALL("sort", 's', set_sort, &o->view),
		CLI_FLAG("reverse", 'r', &o->view.reverse),
		CLI_CALL("filter", 'f', set_filter, &o->view),
		CLI_INT("pid", 'p', &o->view.detail_pid, 1, 1 << 30),
		CLI_FLAG("exited", 'x', &o->view.exited),
		CLI_HELP(usage),
		CLI_END,
	};
	const char *cols = getenv("COLUMNS");
	int next;

	o->interval = 1;
	o->view.sort = C_CPU;
	o->width = cols && atoi(cols) > 0 ? atoi(cols) : 80;
	next = cli_parse("pcbtop", opts, argc, argv, false);
	if (next < 0)
		exit(cli_exit_status(next));
	if (next < argc) {
		fprintf(stderr, "pcbtop: unexpected argument '%s'\n",
			argv[next]);
		exit(CLI_EXIT_USAGE);
	}
}

int monitor_next(struct monitor *m, const struct view *v, struct frame *f)
{
	bool same = m->has_prev && m->prev_threads == v->threads;
	struct sample now;
	int err;

	err = sample_take(m->dev, v->threads, &now);
	if (err)
		return err;
	err = frame_build(&now, same ? &m->prev : NULL, f);
	if (m->has_prev)
		sample_free(&m->prev);
	m->prev = now;
	m->has_prev = true;
	m->prev_threads = v->threads;
	if (err)
		return err;
	if (v->exited || v->detail_pid) {
		err = snapshot_exited(m->dev, &f->exited);
		if (err)
			return err;
	}
	return 0;
}

struct batch_out {
	int width;
};

static void batch_line(void *ctx, int y, const char *text, enum line_kind kind,
		       int bar_at, const char *bar)
{
	const struct batch_out *b = ctx;
	int n = strlen(text);

	/* Padding the table leaves at the end of a line says nothing. */
	if (n > b->width)
		n = b->width;
	while (n > 0 && text[n - 1] == ' ')
		n--;
	printf("%.*s\n", n, text);
}

static void sleep_until(uint64_t deadline_ns)
{
	struct timespec ts;
	uint64_t now;

	while ((now = now_ns()) < deadline_ns) {
		ts.tv_sec = (deadline_ns - now) / 1000000000;
		ts.tv_nsec = (deadline_ns - now) % 1000000000;
		nanosleep(&ts, NULL);
	}
}

static int render_frame(struct monitor *m, const struct frame *f,
			const struct view *v, int width, int height,
			line_fn out, void *ctx)
{
	int y = render_header(f, v, width, out, ctx, 0);

	out(ctx, y++, "", LINE_NORMAL, -1, NULL);
	if (v->detail_pid)
		return render_detail(m->dev, f, v->detail_pid, width, out, ctx,
				     y);
	if (v->exited)
		return render_exited(f, width, height < 0 ? -1 : height - y,
				     out, ctx, y);
	return render_rows(f, v, width, height < 0 ? -1 : height - y, out, ctx,
			   y);
}

/* The first frame needs an earlier sample one interval before it. */
static int run_batch(struct monitor *m, struct options *o)
{
	struct batch_out b = { .width = o->width };
	uint64_t step = (uint64_t)(o->interval * 1e9), next = now_ns() + step;
	struct frame f;
	long i;
	int err;

	err = monitor_next(m, &o->view, &f);
	if (err)
		return err;
	frame_free(&f);
	for (i = 0; !o->iterations || i < o->iterations; i++) {
		sleep_until(next);
		next += step;
		err = monitor_next(m, &o->view, &f);
		if (err)
			return err;
		frame_filter(&f, &o->view);
		frame_sort(&f, &o->view);
		if (i)
			putchar('\n');
		render_frame(m, &f, &o->view, o->width, -1, batch_line, &b);
		fflush(stdout);
		frame_free(&f);
	}
	return 0;
}

int screen_render(struct monitor *m, const struct frame *f,
		  const struct view *v, int width, int height, line_fn out,
		  void *ctx)
{
	return render_frame(m, f, v, width, height, out, ctx);
}

int main(int argc, char **argv)
{
	struct options o = { 0 };
	struct monitor m = { 0 };
	int err;

	parse(argc, argv, &o);
	m.dev = open(PCBSTAT_DEVICE, O_RDONLY | O_CLOEXEC);
	if (m.dev < 0) {
		fprintf(stderr, "pcbtop: %s: %s (is pcbstat.ko loaded?)\n",
			PCBSTAT_DEVICE, strerror(errno));
		return 1;
	}
	if (o.batch || !isatty(STDOUT_FILENO))
		err = run_batch(&m, &o);
	else
		err = screen_run(&m, o.interval, &o.view);
	if (err > 0)
		return err;
	if (err) {
		fprintf(stderr, "pcbtop: %s: %s\n", PCBSTAT_DEVICE,
			strerror(-err));
		return 1;
	}
	return 0;
}
