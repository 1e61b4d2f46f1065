// SPDX-License-Identifier: GPL-2.0
/*
 * The columns of a pcbstat record, named as /proc/pcbstat names them, with
 * one way each to compare, print and subtract them.
 */
#include <inttypes.h>
#include <stdint.h>
#include <string.h>

#include "json.h"
#include "records.h"

#define F(field) offsetof(struct pcbstat_task, field)

const struct column columns[] = {
	{ "pid", F(pid), COL_S32, false, 7 },
	{ "tid", F(tid), COL_S32, false, 7 },
	{ "ppid", F(ppid), COL_S32, false, 7 },
	{ "uid", F(uid), COL_U32, false, 5 },
	{ "state", F(state), COL_CHAR, false, 5 },
	{ "threads", F(threads), COL_U32, false, 7 },
	{ "policy", F(policy), COL_POLICY, false, 8 },
	{ "nice", F(nice), COL_S32, false, 4 },
	{ "prio", F(prio), COL_S32, false, 4 },
	{ "cpu", F(cpu), COL_S32, false, 3 },
	{ "run_ns", F(run_ns), COL_U64, true, 12 },
	{ "wait_ns", F(wait_ns), COL_U64, true, 12 },
	{ "nvcsw", F(nvcsw), COL_U64, true, 8 },
	{ "nivcsw", F(nivcsw), COL_U64, true, 8 },
	{ "sw_thread", F(sw_thread), COL_U64, true, 9 },
	{ "sw_process", F(sw_process), COL_U64, true, 10 },
	{ "sw_kernel", F(sw_kernel), COL_U64, true, 9 },
	{ "dispatches", F(dispatches), COL_U64, true, 10 },
	{ "preempts", F(preempts), COL_U64, true, 8 },
	{ "blocks", F(blocks), COL_U64, true, 8 },
	{ "wakeups", F(wakeups), COL_U64, true, 8 },
	{ "ready_ns", F(ready_ns), COL_U64, true, 12 },
	{ "running_ns", F(running_ns), COL_U64, true, 12 },
	{ "blocked_ns", F(blocked_ns), COL_U64, true, 12 },
	{ "turnaround_ns", F(turnaround_ns), COL_U64, false, 13 },
	{ "response_ns", F(response_ns), COL_U64, false, 11 },
	{ "rss_kb", F(rss_kb), COL_U64, false, 8 },
	{ "wait_hist_sum_ns", F(wait_hist_sum_ns), COL_U64, true, 16 },
	{ "wait_hist", F(wait_hist), COL_HIST, true, 9 },
	{ "start_ns", F(start_ns), COL_U64, false, 13 },
	{ "exit_ns", F(exit_ns), COL_U64, false, 13 },
	{ "seq", F(seq), COL_U64, false, 5 },
	{ "comm", F(comm), COL_STR, false, 0 },
	{ NULL },
};

static const char *const policies[] = {
	"normal", "fifo", "rr", "batch", "iso", "idle", "deadline", "ext",
};

const struct column *column_find(const char *name)
{
	const struct column *c;

	for (c = columns; c->name; c++)
		if (!strcmp(c->name, name))
			return c;
	return NULL;
}

static const void *at(const struct column *c, const struct pcbstat_task *t)
{
	return (const char *)t + c->offset;
}

static const char *policy_name(uint32_t p)
{
	return p < sizeof(policies) / sizeof(policies[0]) ? policies[p] : "?";
}

/* Longest waits first: bucket by bucket from the top. */
static int hist_cmp(const uint64_t *x, const uint64_t *y)
{
	int b;

	for (b = PCBSTAT_WAIT_HIST_BUCKETS - 1; b >= 0; b--)
		if (x[b] != y[b])
			return x[b] > y[b] ? 1 : -1;
	return 0;
}

/* As /proc/pcbstat prints it: up to the last non-zero bucket, "-" hidden. */
static void hist_print(FILE *out, int width, const uint64_t *h)
{
	char buf[PCBSTAT_WAIT_HIST_BUCKETS * 21];
	int b, last = 0;
	size_t n = 0;

	if (h[0] == PCBSTAT_UNKNOWN) {
		fprintf(out, "%*s", width, "-");
		return;
	}
	for (b = 1; b < PCBSTAT_WAIT_HIST_BUCKETS; b++)
		if (h[b])
			last = b;
	for (b = 0; b <= last; b++)
		n += snprintf(buf + n, sizeof(buf) - n, "%s%" PRIu64,
			      b ? "," : "", h[b]);
	fprintf(out, "%*s", width, buf);
}

int column_cmp(const struct column *c, const struct pcbstat_task *a,
	       const struct pcbstat_task *b)
{
	const void *x = at(c, a), *y = at(c, b);

	switch (c->type) {
	case COL_S32:
		return (*(int32_t *)x > *(int32_t *)y) -
		       (*(int32_t *)x < *(int32_t *)y);
	case COL_U32:
	case COL_CHAR:
	case COL_POLICY:
		return (*(uint32_t *)x > *(uint32_t *)y) -
		       (*(uint32_t *)x < *(uint32_t *)y);
	case COL_U64:
		return (*(uint64_t *)x > *(uint64_t *)y) -
		       (*(uint64_t *)x < *(uint64_t *)y);
	case COL_STR:
		return strcmp(x, y);
	case COL_HIST:
		return hist_cmp(x, y);
	}
	return 0;
}

void column_print(FILE *out, const struct column *c,
		  const struct pcbstat_task *t)
{
	const void *v = at(c, t);

	switch (c->type) {
	case COL_S32:
		fprintf(out, "%*" PRId32, c->width, *(int32_t *)v);
		break;
	case COL_U32:
		fprintf(out, "%*" PRIu32, c->width, *(uint32_t *)v);
		break;
	case COL_CHAR:
		fprintf(out, "%*c", c->width, (char)*(uint32_t *)v);
		break;
	case COL_POLICY:
		fprintf(out, "%*s", c->width, policy_name(*(uint32_t *)v));
		break;
	case COL_U64:
		if (*(uint64_t *)v == PCBSTAT_UNKNOWN)
			fprintf(out, "%*s", c->width, "-");
		else
			fprintf(out, "%*" PRIu64, c->width, *(uint64_t *)v);
		break;
	case COL_STR:
		fprintf(out, "%s", (const char *)v);
		break;
	case COL_HIST:
		hist_print(out, c->width, v);
		break;
	}
}

/* Every bucket, and each one's upper bound, so no reader needs the rule. */
static void hist_json(struct json *j, const uint64_t *h)
{
	int b;

	if (h[0] == PCBSTAT_UNKNOWN) {
		json_null(j);
		return;
	}
	json_begin_object(j);
	json_key(j, "le_ns");
	json_begin_array(j);
	for (b = 0; b < PCBSTAT_WAIT_HIST_BUCKETS - 1; b++)
		json_uint(j, 1ULL << (PCBSTAT_WAIT_HIST_SHIFT + b));
	json_null(j); /* the last bucket is open: +Inf */
	json_end_array(j);
	json_key(j, "counts");
	json_begin_array(j);
	for (b = 0; b < PCBSTAT_WAIT_HIST_BUCKETS; b++)
		json_uint(j, h[b]);
	json_end_array(j);
	json_end_object(j);
}

void column_json(struct json *j, const struct column *c,
		 const struct pcbstat_task *t)
{
	const void *v = at(c, t);
	char s[2] = { 0 };

	json_key(j, c->name);
	switch (c->type) {
	case COL_S32:
		json_int(j, *(int32_t *)v);
		break;
	case COL_U32:
		json_uint(j, *(uint32_t *)v);
		break;
	case COL_CHAR:
		s[0] = (char)*(uint32_t *)v;
		json_string(j, s);
		break;
	case COL_POLICY:
		json_string(j, policy_name(*(uint32_t *)v));
		break;
	case COL_U64:
		if (*(uint64_t *)v == PCBSTAT_UNKNOWN)
			json_null(j);
		else
			json_uint(j, *(uint64_t *)v);
		break;
	case COL_STR:
		/* bounded: a comm need not end in NUL within its field */
		json_string_n(j, v, strnlen(v, sizeof(t->comm)));
		break;
	case COL_HIST:
		hist_json(j, v);
		break;
	}
}

/* Counters become their change since @before; unknown stays unknown. */
void column_delta(struct pcbstat_task *now, const struct pcbstat_task *before)
{
	const struct column *c;

	for (c = columns; c->name; c++) {
		int k, nk = c->type == COL_HIST ? PCBSTAT_WAIT_HIST_BUCKETS : 1;

		if (!c->counter)
			continue;
		for (k = 0; k < nk; k++) {
			uint64_t *n = (uint64_t *)((char *)now + c->offset) + k;
			uint64_t b = ((const uint64_t *)((const char *)before +
							 c->offset))[k];

			if (*n == PCBSTAT_UNKNOWN)
				continue;
			*n = b == PCBSTAT_UNKNOWN || b > *n ? PCBSTAT_UNKNOWN
							    : *n - b;
		}
	}
}
