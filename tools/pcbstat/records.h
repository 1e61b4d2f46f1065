/* SPDX-License-Identifier: GPL-2.0 */
/* pcbstat(1): the records it shows, their columns and snapshots. */
#ifndef PCBSTAT_RECORDS_H
#define PCBSTAT_RECORDS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "json.h"
#include "pcbstat.h" /* module/uapi/pcbstat.h */

/* A record column: its /proc/pcbstat name and where it lives. */
struct column {
	const char *name;
	size_t offset;
	enum {
		COL_S32,
		COL_U32,
		COL_U64,
		COL_CHAR,
		COL_POLICY,
		COL_STR,
		COL_HIST /* wait_hist[]: "n0,n1,..." up to the last non-zero */
	} type;
	bool counter; /* --interval prints its change, not its value */
	int width;
};

extern const struct column columns[];
const struct column *column_find(const char *name);
int column_cmp(const struct column *c, const struct pcbstat_task *a,
	       const struct pcbstat_task *b);
void column_print(FILE *out, const struct column *c,
		  const struct pcbstat_task *t);
void column_json(struct json *j, const struct column *c,
		 const struct pcbstat_task *t);
void column_delta(struct pcbstat_task *now, const struct pcbstat_task *before);

struct snapshot {
	struct pcbstat_task *recs;
	size_t n;
};

int snapshot_list(int dev, bool threads, struct snapshot *s);
int snapshot_one(int dev, int pid, bool thread, struct snapshot *s);
int snapshot_exited(int dev, struct snapshot *s);
void snapshot_free(struct snapshot *s);

void print_openmetrics(FILE *out, int dev, const struct snapshot *s);

#endif /* PCBSTAT_RECORDS_H */
