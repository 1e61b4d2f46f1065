// SPDX-License-Identifier: GPL-2.0
/*
 * Charts of 'pcbbench sched': plain data files, the gnuplot script that
 * draws them (kept beside them, so a chart can be redrawn or restyled
 * without measuring again) and, if gnuplot is installed, the PNGs.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sched.h"

static FILE *open_in(const char *dir, const char *name)
{
	char path[4096];

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	return fopen(path, "w");
}

/* P6: the probe's lateness percentiles per peer, µs. */
static bool write_p6(const char *dir, const struct peer_result *res, int n)
{
	FILE *f = open_in(dir, "sched-p6.dat");
	int i;

	if (!f)
		return false;
	fprintf(f, "# peer p50_us p90_us p99_us max_us miss_pct\n");
	for (i = 0; i < n; i++)
		if (res[i].ok)
			fprintf(f, "%s %.1f %.1f %.1f %.1f %.2f\n", res[i].peer,
				res[i].probe.p50, res[i].probe.p90,
				res[i].probe.p99, res[i].probe.max,
				res[i].miss_pct);
	return !fclose(f);
}

/* P7: the textbook's metrics per peer, ms. */
static bool write_p7(const char *dir, const struct peer_result *res, int n)
{
	FILE *f = open_in(dir, "sched-p7.dat");
	int i;

	if (!f)
		return false;
	fprintf(f,
		"# peer tat_mean tat_p99 wait_mean wait_max resp_mean (ms)\n");
	for (i = 0; i < n; i++) {
		const struct job_result *j = &res[i].jobs;

		if (res[i].ok && j->ok)
			fprintf(f, "%s %.2f %.2f %.2f %.2f %.2f\n", res[i].peer,
				j->turnaround.mean, j->turnaround.p99,
				j->waiting.mean, j->waiting.max,
				j->response.mean);
	}
	return !fclose(f);
}

/* P7: mean turnaround per job class, one column per peer. */
static bool write_p7_class(const char *dir, const struct peer_result *res,
			   int n)
{
	FILE *f = open_in(dir, "sched-p7-class.dat");
	int i, k;

	if (!f)
		return false;
	fprintf(f, "class_ms");
	for (i = 0; i < n; i++)
		if (res[i].ok && res[i].jobs.ok)
			fprintf(f, " %s", res[i].peer);
	fprintf(f, "\n");
	for (k = 0; k < NR_JOB_CLASSES; k++) {
		fprintf(f, "%g", job_class_ms(k));
		for (i = 0; i < n; i++)
			if (res[i].ok && res[i].jobs.ok)
				fprintf(f, " %.2f", res[i].jobs.class_tat[k]);
		fprintf(f, "\n");
	}
	return !fclose(f);
}

static const char plot_script[] =
	"# Redraw with: cd DIR && gnuplot sched.gp\n"
	"set terminal pngcairo size 1000,520 noenhanced\n"
	"set style data histograms\n"
	"set style histogram clustered gap 1\n"
	"set style fill solid 0.85 border -1\n"
	"set key top left\n"
	"set grid ytics\n"
	"set xtics rotate by -30\n"
	"set logscale y\n"
	"set output 'sched-p6.png'\n"
	"set title 'P6: interactive probe lateness under 2 x nproc hogs "
	"(lower is better)'\n"
	"set ylabel 'microseconds (log)'\n"
	"plot 'sched-p6.dat' using 2:xtic(1) title 'p50', '' using 3 "
	"title 'p90', '' using 4 title 'p99', '' using 5 title 'max'\n"
	"set output 'sched-p7.png'\n"
	"set title 'P7: heavy-tailed job mix, textbook metrics (lower is "
	"better)'\n"
	"set ylabel 'milliseconds (log)'\n"
	"plot 'sched-p7.dat' using 2:xtic(1) title 'mean turnaround', '' "
	"using 3 title 'p99 turnaround', '' using 4 title 'mean waiting', '' "
	"using 6 title 'mean response', '' using 5 title 'worst waiting'\n"
	"set output 'sched-p7-class.png'\n"
	"set style data linespoints\n"
	"set xtics norotate\n"
	"set logscale xy 2\n"
	"set key autotitle columnhead outside right top\n"
	"set title 'P7: mean turnaround by job length'\n"
	"set xlabel 'job length class (ms of CPU)'\n"
	"set ylabel 'mean turnaround, ms (log)'\n"
	"stats 'sched-p7-class.dat' skip 1 nooutput\n"
	"plot for [c=2:STATS_columns] 'sched-p7-class.dat' using 1:c "
	"lw 2\n";

static bool write_script(const char *dir)
{
	FILE *f = open_in(dir, "sched.gp");

	if (!f)
		return false;
	fputs(plot_script, f);
	return !fclose(f);
}

bool plot_sched(const char *dir, const struct peer_result *res, int n)
{
	char cmd[4200];

	if (!write_p6(dir, res, n) || !write_p7(dir, res, n) ||
	    !write_p7_class(dir, res, n) || !write_script(dir)) {
		fprintf(stderr, "pcbbench sched: cannot write charts to %s\n",
			dir);
		return false;
	}
	snprintf(cmd, sizeof(cmd),
		 "cd '%s' && command -v gnuplot >/dev/null && gnuplot sched.gp",
		 dir);
	if (system(cmd)) {
		printf("charts: data in %s/sched-*.dat; no gnuplot to draw "
		       "them (sched.gp)\n",
		       dir);
		return false;
	}
	printf("charts: %s/sched-p6.png sched-p7.png sched-p7-class.png%s\n",
	       dir,
	       getenv("PCBKIT_GUEST") ? " (build/vm-out/ on the host)" : "");
	return true;
}
