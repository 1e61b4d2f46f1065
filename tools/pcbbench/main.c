// SPDX-License-Identifier: GPL-2.0
/*
 * pcbbench - pcbkit's benchmarks, each against its anchor in the same boot.
 *
 * usage: pcbbench [SUITE [suite options]]   (no suite: run them all)
 *        pcbbench list
 *
 * Exit status: 0 measured, 1 a suite could not run, 2 bad usage.
 */
#include <stdio.h>
#include <string.h>

#include "bench.h"

const struct bench_suite bench_suites[] = {
	{ "mq", "/dev/pcbmq vs SysV, pipes, POSIX mq: RTT, typed, batch",
	  bench_mq_run },
	{ "stat",
	  "pcbstat.ko: sched pipe overhead, /proc/pcbstat vs procfs scraping",
	  bench_stat_run },
	{ "top", "pcbtop refresh vs top -b reading procfs, CPU at 5k processes",
	  bench_top_run },
	{ "sched",
	  "pcbsched policies vs EEVDF: P6 probe, P7 job mix, P8 messaging",
	  bench_sched_run },
	{ "textbook",
	  "the seed chapter's claims: switches, creation, thread models, "
	  "IPC, criteria",
	  bench_textbook_run },
	{ NULL },
};

static void usage(FILE *out)
{
	const struct bench_suite *s;

	fprintf(out,
		"usage: pcbbench [SUITE [options]]  run SUITE (default: all)\n"
		"       pcbbench list               list the suites\n"
		"       pcbbench SUITE --help       the suite's options\n"
		"\nsuites:\n");
	for (s = bench_suites; s->name; s++)
		fprintf(out, "  %-8s %s\n", s->name, s->summary);
}

static int run_all(void)
{
	const struct bench_suite *s;
	char *argv[] = { NULL, NULL };
	int rc = 0;

	for (s = bench_suites; s->name; s++) {
		argv[0] = (char *)s->name;
		if (s->run(1, argv))
			rc = 1;
	}
	return rc;
}

int main(int argc, char **argv)
{
	const struct bench_suite *s;

	/*
	 * Suites fork workers; a block-buffered stdout (a pipe, a file) would
	 * be flushed again by every child that exits.
	 */
	setvbuf(stdout, NULL, _IOLBF, 0);

	if (argc < 2)
		return run_all();
	if (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help")) {
		usage(stdout);
		return 0;
	}
	if (!strcmp(argv[1], "list")) {
		for (s = bench_suites; s->name; s++)
			printf("%-8s %s\n", s->name, s->summary);
		return 0;
	}
	for (s = bench_suites; s->name; s++)
		if (!strcmp(s->name, argv[1]))
			return s->run(argc - 1, argv + 1);
	fprintf(stderr,
		"pcbbench: no suite '%s' ('pcbbench list' names them)\n",
		argv[1]);
	return 2;
}
