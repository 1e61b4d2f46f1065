// SPDX-License-Identifier: GPL-2.0
/*
 * Charts of 'pcbbench textbook': each part leaves its data file, this adds
 * one gnuplot script per chart beside it (to redraw or restyle without
 * measuring again) and draws the PNGs of the parts that ran, as
 * sched_plot.c does for 'pcbbench sched'.
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "textbook.h"

#define GP_HEAD                                            \
	"set terminal pngcairo size 1000,520 noenhanced\n" \
	"set style fill solid 0.85 border -1\n"            \
	"set grid ytics\n"                                 \
	"set key top left\n"

static const struct {
	const char *name; /* textbook-NAME.dat, .gp and .png */
	const char *script;
} charts[] = {
	{ "switch",
	  GP_HEAD "set title 'Switch cost by kind, pinned to one CPU (median, "
		  "95% CI)'\n"
		  "set ylabel 'ns per switch (log)'\nset logscale y\n"
		  "set style data histograms\nset style histogram errorbars "
		  "gap 1 lw 1\n"
		  "plot 'textbook-switch.dat' using 2:3:4:xtic(1) notitle\n" },
	{ "create",
	  GP_HEAD "set title 'Create + end + reap vs resident size'\n"
		  "set xlabel 'resident MB (log)'\nset ylabel 'us (log)'\n"
		  "set logscale xy\nset key outside right top autotitle "
		  "columnhead\n"
		  "plot for [c=2:7] 'textbook-create.dat' using 1:c with "
		  "linespoints lw 2\n" },
	{ "models",
	  GP_HEAD "set title 'Thread models: CPUs used by the process (PCB "
		  "run time / wall)'\n"
		  "set ylabel 'CPUs'\nset yrange [0:*]\n"
		  "set style data histograms\nset style histogram errorbars "
		  "gap 1 lw 1\n"
		  "plot 'textbook-models.dat' using 4:5:6:xtic(1) notitle\n" },
	{ "ipc",
	  GP_HEAD "set title 'IPC ping-pong round trip (median)'\n"
		  "set ylabel 'us (log)'\nset logscale y\n"
		  "set style data histograms\nset style histogram clustered "
		  "gap 1\nset xtics rotate by -30\n"
		  "plot 'textbook-ipc.dat' using 2:xtic(1) title '64 B', '' "
		  "using 3 title '4 KiB', '' using 4 title '64 KiB'\n"
		  "set output 'textbook-ipc-stream.png'\n"
		  "set title 'IPC streaming, messages/s (median)'\n"
		  "set ylabel 'messages/s (log)'\n"
		  "plot 'textbook-ipc.dat' using 5:xtic(1) title '64 B', '' "
		  "using 6 title '4 KiB', '' using 7 title '64 KiB'\n" },
	{ "sched",
	  GP_HEAD "set title 'The seed''s criteria per policy, from the PCB "
		  "(lower is better)'\n"
		  "set ylabel 'ms'\nset style data histograms\n"
		  "set style histogram clustered gap 1\n"
		  "plot 'textbook-sched.dat' using 4:xtic(1) title 'mean "
		  "turnaround', '' using 5 title 'mean waiting (ready)', '' "
		  "using 6 title 'mean response'\n" },
};

#define NR_CHARTS (int)(sizeof(charts) / sizeof(charts[0]))

static bool draw(const struct tb_opts *o, int c)
{
	char path[4096], cmd[4300];
	FILE *f;

	snprintf(path, sizeof(path), "%s/textbook-%s.dat", o->out_dir,
		 charts[c].name);
	if (access(path, R_OK))
		return false;
	snprintf(path, sizeof(path), "textbook-%s.gp", charts[c].name);
	f = tb_dat(o, path);
	if (!f)
		return false;
	fprintf(f,
		"# Redraw with: cd DIR && gnuplot %s\nset output "
		"'textbook-%s.png'\n%s",
		path, charts[c].name, charts[c].script);
	if (fclose(f))
		return false;
	snprintf(cmd, sizeof(cmd),
		 "cd '%s' && command -v gnuplot >/dev/null && gnuplot %s "
		 "2>/dev/null",
		 o->out_dir, path);
	return !system(cmd);
}

void tb_plot(const struct tb_opts *o)
{
	int c, drawn = 0;

	if (!o->out_dir)
		return;
	for (c = 0; c < NR_CHARTS; c++)
		drawn += draw(o, c);
	if (!o->json && drawn)
		printf("\ncharts: %s/textbook-*.png%s\n", o->out_dir,
		       getenv("PCBKIT_GUEST") ? " (build/vm-out/ on the host)"
					      : "");
}
