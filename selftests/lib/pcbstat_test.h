/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Helpers for the C selftests of pcbstat.ko (with ksft.h's): pin to CPU
 * 0, and read one figure of one row of a /proc/pcbstat-style
 * file by column name, the way tools are meant to parse it.
 */
#ifndef PCBSTAT_TEST_H
#define PCBSTAT_TEST_H

#include <errno.h>
#include <sched.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ksft.h"

/* The tests that need a contended CPU make it CPU 0. */
static inline void pin_cpu0(void)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(0, &set);
	if (sched_setaffinity(0, sizeof(set), &set))
		die("sched_setaffinity");
}

#define ROW_MAX_COLS 64

struct row {
	int ncols;
	char *names[ROW_MAX_COLS];
	char *vals[ROW_MAX_COLS];
	char buf[2][4096];
};

static inline int split(char *line, char **out)
{
	int n = 0;
	char *save, *tok;

	for (tok = strtok_r(line, " \n", &save); tok && n < ROW_MAX_COLS;
	     tok = strtok_r(NULL, " \n", &save))
		out[n++] = tok;
	return n;
}

/* The row of @path whose pid column is @pid; 0 found, -1 not. */
static inline int row_read(const char *path, int pid, struct row *r)
{
	FILE *f = fopen(path, "r");
	char line[4096];
	int found = -1;

	if (!f)
		die("open %s: %s", path, strerror(errno));
	if (!fgets(r->buf[0], sizeof(r->buf[0]), f))
		die("%s: no header", path);
	r->ncols = split(r->buf[0], r->names);
	while (fgets(line, sizeof(line), f)) {
		if (atoi(line) != pid)
			continue;
		strcpy(r->buf[1], line);
		if (split(r->buf[1], r->vals) != r->ncols)
			die("%s: row of pid %d has the wrong width", path, pid);
		found = 0;
	}
	fclose(f);
	return found;
}

static inline const char *row_str(const struct row *r, const char *col)
{
	int i;

	for (i = 0; i < r->ncols; i++)
		if (!strcmp(r->names[i], col))
			return r->vals[i];
	die("no column %s", col);
}

/* A numeric figure; "-" (unknown) fails the test. */
static inline unsigned long long row_u64(const struct row *r, const char *col)
{
	const char *v = row_str(r, col);

	if (!strcmp(v, "-"))
		die("column %s unknown where a figure is expected", col);
	return strtoull(v, NULL, 10);
}

#endif /* PCBSTAT_TEST_H */
