// SPDX-License-Identifier: GPL-2.0
/* 'pcbsched status': what sched_ext reports about the loaded policy. */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <linux/types.h>

#include "json.h"
#include "openmetrics.h"
#include "pcb_sched.h"
#include "pcbsched.h"

#define SCX_SYSFS "/sys/kernel/sched_ext"

static const char *const status_files[] = {
	"state",      "root/ops",    "switch_all", "nr_rejected",
	"enable_seq", "hotplug_seq", NULL,
};

static int read_line(const char *rel, char *buf, size_t size)
{
	char path[256];
	FILE *f;

	snprintf(path, sizeof(path), SCX_SYSFS "/%s", rel);
	f = fopen(path, "r");
	if (!f)
		return -1;
	if (!fgets(buf, size, f))
		buf[0] = '\0';
	fclose(f);
	buf[strcspn(buf, "\n")] = '\0';
	return 0;
}

static void queue_status_json(struct json *j, const struct pcb_queue_stats *qs,
			      unsigned int n)
{
	unsigned int i;

	json_kv_uint(j, "boosts", qs->boost_gen);
	json_kv_uint(j, "boosted", qs->boosted);
	json_kv_uint(j, "unparked", qs->unparked);
	json_kv_uint(j, "demotions", qs->demotions);
	json_kv_uint(j, "preemptions", qs->preemptions);
	json_key(j, "queues");
	json_begin_array(j);
	for (i = 0; i < n; i++) {
		json_begin_object(j);
		json_kv_uint(j, "queued", qs->queued[i]);
		json_kv_uint(j, "runs", qs->runs[i]);
		json_kv_double(j, "run_ms", qs->run_ns[i] / 1e6, 1);
		json_end_object(j);
	}
	json_end_array(j);
}

/* Per-queue counts of the loaded policy, if it is one of ours. */
static void print_queue_status(struct json *j)
{
	struct pcb_queue_stats qs;
	unsigned int i, n;
	int fd = pcbsched_find_map(PCB_QUEUES_MAP);

	if (fd < 0)
		return;
	if (pcbsched_read_queues(fd, &qs)) {
		close(fd);
		return;
	}
	close(fd);
	n = qs.nr_queues < PCB_MAX_QUEUES ? qs.nr_queues : PCB_MAX_QUEUES;
	if (j) {
		queue_status_json(j, &qs, n);
		return;
	}
	printf("%-12s %llu boosts (%llu tasks moved up), %llu unparked, "
	       "%llu demotions, %llu preemptions\n",
	       "policy", (unsigned long long)qs.boost_gen,
	       (unsigned long long)qs.boosted, (unsigned long long)qs.unparked,
	       (unsigned long long)qs.demotions,
	       (unsigned long long)qs.preemptions);
	for (i = 0; i < n; i++)
		printf("queue %-6u %llu waiting, %llu runs, %.1f ms CPU\n", i,
		       (unsigned long long)qs.queued[i],
		       (unsigned long long)qs.runs[i], qs.run_ns[i] / 1e6);
}

int pcbsched_status(bool json)
{
	const char *const *f;
	struct json j;
	char val[256];

	if (read_line("state", val, sizeof(val))) {
		fprintf(stderr,
			"pcbsched: %s missing: this kernel has no sched_ext\n",
			SCX_SYSFS);
		return 1;
	}
	json_init(&j, stdout, 0);
	if (json)
		json_begin_object(&j);
	for (f = status_files; *f; f++) {
		if (read_line(*f, val, sizeof(val)))
			continue; /* root/ops exists only while enabled */
		if (json)
			json_kv_string(&j, *f, val);
		else
			printf("%-12s %s\n", *f, val);
	}
	if (!read_line("state", val, sizeof(val)) && !strcmp(val, "enabled"))
		print_queue_status(json ? &j : NULL);
	if (json) {
		json_end_object(&j);
		json_finish(&j);
	}
	return 0;
}

static void om_levels(const struct pcb_queue_stats *qs)
{
	unsigned int i, n;
	char level[16];

	n = qs->nr_queues < PCB_MAX_QUEUES ? qs->nr_queues : PCB_MAX_QUEUES;
	om_family(stdout, "pcbkit_sched_level_queued", "gauge",
		  "Tasks waiting at each level (queue) of the policy, sampled "
		  "at its last dispatch.");
	for (i = 0; i < n; i++) {
		snprintf(level, sizeof(level), "%u", i);
		om_sample(stdout, "pcbkit_sched_level_queued", qs->queued[i],
			  "level", level, NULL);
	}
	om_family(stdout, "pcbkit_sched_level_runs_total", "counter",
		  "Times a task of each level was put on a CPU.");
	for (i = 0; i < n; i++) {
		snprintf(level, sizeof(level), "%u", i);
		om_sample(stdout, "pcbkit_sched_level_runs_total", qs->runs[i],
			  "level", level, NULL);
	}
	om_family(stdout, "pcbkit_sched_level_cpu_seconds_total", "counter",
		  "CPU time used by the tasks of each level.");
	for (i = 0; i < n; i++) {
		snprintf(level, sizeof(level), "%u", i);
		om_sample(stdout, "pcbkit_sched_level_cpu_seconds_total",
			  qs->run_ns[i] * 1e-9, "level", level, NULL);
	}
}

static void om_counter(const char *name, const char *help, double v)
{
	om_family(stdout, name, "counter", help);
	om_sample(stdout, name, v, NULL);
}

/*
 * 'pcbsched status --openmetrics': whether a policy is attached and, if it
 * is one of ours, its levels. Series of a detached policy are left out.
 */
int pcbsched_status_openmetrics(void)
{
	char state[64], ops[128];
	struct pcb_queue_stats qs;
	bool enabled;
	int fd;

	if (read_line("state", state, sizeof(state))) {
		fprintf(stderr,
			"pcbsched: %s missing: this kernel has no sched_ext\n",
			SCX_SYSFS);
		return 1;
	}
	enabled = !strcmp(state, "enabled");
	om_family(stdout, "pcbkit_sched_ext_enabled", "gauge",
		  "1 while a sched_ext scheduler is attached.");
	om_sample(stdout, "pcbkit_sched_ext_enabled", enabled, NULL);
	if (enabled && !read_line("root/ops", ops, sizeof(ops))) {
		om_family(stdout, "pcbkit_sched_policy_info", "gauge",
			  "The attached scheduler's name (always 1).");
		om_sample(stdout, "pcbkit_sched_policy_info", 1, "ops", ops,
			  NULL);
	}
	fd = enabled ? pcbsched_find_map(PCB_QUEUES_MAP) : -1;
	if (fd >= 0 && !pcbsched_read_queues(fd, &qs)) {
		om_levels(&qs);
		om_counter("pcbkit_sched_boosts_total",
			   "MLFQ boosts of every waiting task to the top.",
			   qs.boost_gen);
		om_counter("pcbkit_sched_demotions_total",
			   "Tasks that used up a level's allotment.",
			   qs.demotions);
		om_counter("pcbkit_sched_preemptions_total",
			   "CPUs kicked for a more urgent task.",
			   qs.preemptions);
	}
	if (fd >= 0)
		close(fd);
	om_eof(stdout);
	return 0;
}
