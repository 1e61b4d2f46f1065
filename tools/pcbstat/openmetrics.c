// SPDX-License-Identifier: GPL-2.0
/*
 * pcbstat --openmetrics: what the module knows, as metrics for
 * node_exporter's textfile collector. Times are seconds, memory bytes,
 * counters end in _total; per-process series carry pid, comm and user.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "records.h"
#include "openmetrics.h"
#include "username.h"

static void label_int(char *buf, size_t size, long long v)
{
	snprintf(buf, size, "%lld", v);
}

/* A figure the module could not observe is left out, not exported as 0. */
static bool have(uint64_t v)
{
	return v != PCBSTAT_UNKNOWN;
}

struct process_counter {
	const char *name;
	const char *type;
	const char *help;
	const char *label; /* extra label, or NULL */
	const char *value; /* its value */
	size_t offset;
	double scale;
};

#define T(f) offsetof(struct pcbstat_task, f)

static const struct process_counter process_counters[] = {
	{ "pcbkit_process_cpu_seconds_total", "counter",
	  "CPU time of the live threads.", NULL, NULL, T(run_ns), 1e-9 },
	{ "pcbkit_process_runqueue_wait_seconds_total", "counter",
	  "Time the live threads waited on a runqueue (run_delay).", NULL, NULL,
	  T(wait_ns), 1e-9 },
	{ "pcbkit_process_state_seconds_total", "counter",
	  "Time in each state of the five-state model, summed over threads.",
	  "state", "running", T(running_ns), 1e-9 },
	{ NULL, NULL, NULL, "state", "ready", T(ready_ns), 1e-9 },
	{ NULL, NULL, NULL, "state", "blocked", T(blocked_ns), 1e-9 },
	{ "pcbkit_process_context_switches_total", "counter",
	  "Context switches as getrusage counts them.", "kind", "voluntary",
	  T(nvcsw), 1 },
	{ NULL, NULL, NULL, "kind", "involuntary", T(nivcsw), 1 },
	{ "pcbkit_process_switch_outs_total", "counter",
	  "Switch-outs by what ran next: a thread of the same address space, "
	  "another process, or a kernel thread or idle.",
	  "class", "thread", T(sw_thread), 1 },
	{ NULL, NULL, NULL, "class", "process", T(sw_process), 1 },
	{ NULL, NULL, NULL, "class", "kernel", T(sw_kernel), 1 },
	{ "pcbkit_process_transitions_total", "counter",
	  "Five-state transitions: dispatch (ready to running), preempt "
	  "(running to ready), block (running to blocked), wakeup (blocked "
	  "to ready).",
	  "transition", "dispatch", T(dispatches), 1 },
	{ NULL, NULL, NULL, "transition", "preempt", T(preempts), 1 },
	{ NULL, NULL, NULL, "transition", "block", T(blocks), 1 },
	{ NULL, NULL, NULL, "transition", "wakeup", T(wakeups), 1 },
	{ "pcbkit_process_resident_memory_bytes", "gauge",
	  "Resident set size, as VmRSS.", NULL, NULL, T(rss_kb), 1024 },
	{ "pcbkit_process_response_seconds", "gauge",
	  "Fork to first run of the leader.", NULL, NULL, T(response_ns),
	  1e-9 },
	{ NULL },
};

static void process_family(FILE *out, const struct process_counter *c,
			   const struct snapshot *s)
{
	const struct process_counter *k;
	char pid[16];
	size_t i;

	om_family(out, c->name, c->type, c->help);
	/* Rows that share the family follow it in the table. */
	for (k = c; k->offset && (k == c || !k->name); k++) {
		for (i = 0; i < s->n; i++) {
			const struct pcbstat_task *t = &s->recs[i];
			uint64_t v = *(const uint64_t *)((const char *)t +
							 k->offset);

			if (!have(v))
				continue;
			label_int(pid, sizeof(pid), t->pid);
			if (k->label)
				om_sample(out, c->name, v * k->scale, "pid",
					  pid, "comm", t->comm, "user",
					  user_name(t->uid), k->label, k->value,
					  NULL);
			else
				om_sample(out, c->name, v * k->scale, "pid",
					  pid, "comm", t->comm, "user",
					  user_name(t->uid), NULL);
		}
	}
}

static void process_threads(FILE *out, const struct snapshot *s)
{
	char pid[16];
	size_t i;

	om_family(out, "pcbkit_process_threads", "gauge", "Live threads.");
	for (i = 0; i < s->n; i++) {
		label_int(pid, sizeof(pid), s->recs[i].pid);
		om_sample(out, "pcbkit_process_threads", s->recs[i].threads,
			  "pid", pid, "comm", s->recs[i].comm, "user",
			  user_name(s->recs[i].uid), NULL);
	}
}

/*
 * The module's wait histogram of each process, as the cumulative buckets
 * a Prometheus histogram has: bucket b of wait_hist[] ends at
 * 2^(shift + b) ns, and the last one is +Inf. A series per process, every
 * bucket always present, so that rate() and histogram_quantile() see one
 * bucket layout; a process not dispatched since load (most kernel threads
 * of an idle machine) has none, which keeps the series to what waited.
 */
static void runqueue_latency(FILE *out, const struct snapshot *s)
{
	static const char name[] = "pcbkit_process_runqueue_latency_seconds";
	char pid[16], bound[32];
	size_t i;
	int b;

	om_family(out, name, "histogram",
		  "Runqueue wait of each dispatch (ready to running), "
		  "threads and exited threads of the process together.");
	for (i = 0; i < s->n; i++) {
		const struct pcbstat_task *t = &s->recs[i];
		const char *user = user_name(t->uid);
		uint64_t cum = 0;

		if (t->size < PCBSTAT_TASK_SIZE_VER1 ||
		    !have(t->wait_hist[0]) || !t->dispatches)
			continue;
		label_int(pid, sizeof(pid), t->pid);
		for (b = 0; b < PCBSTAT_WAIT_HIST_BUCKETS; b++) {
			cum += t->wait_hist[b];
			if (b < PCBSTAT_WAIT_HIST_BUCKETS - 1)
				snprintf(bound, sizeof(bound), "%.10g",
					 (double)(1ULL
						  << (t->wait_hist_shift + b)) *
						 1e-9);
			else
				snprintf(bound, sizeof(bound), "+Inf");
			om_sample(
				out,
				"pcbkit_process_runqueue_latency_seconds_bucket",
				cum, "pid", pid, "comm", t->comm, "user", user,
				"le", bound, NULL);
		}
		om_sample(out, "pcbkit_process_runqueue_latency_seconds_sum",
			  t->wait_hist_sum_ns * 1e-9, "pid", pid, "comm",
			  t->comm, "user", user, NULL);
		om_sample(out, "pcbkit_process_runqueue_latency_seconds_count",
			  cum, "pid", pid, "comm", t->comm, "user", user, NULL);
	}
}

/* /proc/pcbstat_cpu: per-CPU switch classes, and untracked threads. */
static void cpu_switches(FILE *out)
{
	static const char *const classes[] = { "thread", "process", "kernel" };
	FILE *f = fopen("/proc/pcbstat_cpu", "r");
	unsigned long long v[3], untracked;
	bool have_untracked = false;
	char line[256], cpu[16];
	int k, n;

	if (!f)
		return;
	om_family(out, "pcbkit_cpu_switches_total", "counter",
		  "Switches on each CPU by what ran next, since module load.");
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%d %llu %llu %llu", &n, &v[0], &v[1],
			   &v[2]) == 4) {
			label_int(cpu, sizeof(cpu), n);
			for (k = 0; k < 3; k++)
				om_sample(out, "pcbkit_cpu_switches_total",
					  v[k], "cpu", cpu, "class", classes[k],
					  NULL);
		} else if (sscanf(line, "# untracked_threads %llu",
				  &untracked) == 1) {
			have_untracked = true;
		}
	}
	fclose(f);
	if (!have_untracked)
		return;
	om_family(
		out, "pcbkit_untracked_threads", "gauge",
		"Threads that got no slot in the module (raise max_threads).");
	om_sample(out, "pcbkit_untracked_threads", untracked, NULL);
}

/* Log-spaced upper bounds, seconds; +Inf is added. */
static const double turnaround_le[] = { 0.001, 0.01, 0.1, 1, 10, 60, 600 };
static const double response_le[] = { 1e-5, 1e-4, 1e-3, 1e-2, 0.1, 1 };

static void histogram(FILE *out, const char *name, const char *help,
		      const double *le, size_t nle, const struct snapshot *x,
		      size_t offset)
{
	char bucket[128], sum[128], count[128], bound[32];
	double total = 0;
	size_t i, b, seen = 0;

	snprintf(bucket, sizeof(bucket), "%s_bucket", name);
	snprintf(sum, sizeof(sum), "%s_sum", name);
	snprintf(count, sizeof(count), "%s_count", name);
	om_family(out, name, "histogram", help);
	for (b = 0; b <= nle; b++) {
		size_t n = 0;

		for (i = 0; i < x->n; i++) {
			uint64_t v =
				*(const uint64_t *)((const char *)&x->recs[i] +
						    offset);

			if (have(v) && (b == nle || v * 1e-9 <= le[b]))
				n++;
		}
		if (b < nle)
			snprintf(bound, sizeof(bound), "%g", le[b]);
		else
			snprintf(bound, sizeof(bound), "+Inf");
		om_sample(out, bucket, n, "le", bound, NULL);
	}
	for (i = 0; i < x->n; i++) {
		uint64_t v =
			*(const uint64_t *)((const char *)&x->recs[i] + offset);

		if (have(v)) {
			total += v * 1e-9;
			seen++;
		}
	}
	om_sample(out, sum, total, NULL);
	om_sample(out, count, seen, NULL);
}

static void exited(FILE *out, int dev)
{
	struct snapshot x;

	if (snapshot_exited(dev, &x))
		return;
	histogram(out, "pcbkit_exited_turnaround_seconds",
		  "Start to exit of the processes in the exited ring.",
		  turnaround_le,
		  sizeof(turnaround_le) / sizeof(turnaround_le[0]), &x,
		  offsetof(struct pcbstat_task, turnaround_ns));
	histogram(out, "pcbkit_exited_response_seconds",
		  "Fork to first run of the processes in the exited ring.",
		  response_le, sizeof(response_le) / sizeof(response_le[0]), &x,
		  offsetof(struct pcbstat_task, response_ns));
	snapshot_free(&x);
}

/* /proc/pcbmq, /proc/sysvipc/msg's format: queue lengths now. */
static void mq_queues(FILE *out)
{
	FILE *f = fopen("/proc/pcbmq", "r");
	unsigned long cbytes, qnum;
	char line[512], key[16], id[16];
	int k, msqid;
	unsigned int mode;
	bool first = true;

	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%d %d %o %lu %lu", &k, &msqid, &mode, &cbytes,
			   &qnum) != 5)
			continue;
		if (first) {
			om_family(out, "pcbkit_mq_messages", "gauge",
				  "Messages waiting on a /dev/pcbmq queue.");
			first = false;
		}
		label_int(key, sizeof(key), k);
		label_int(id, sizeof(id), msqid);
		om_sample(out, "pcbkit_mq_messages", qnum, "msqid", id, "key",
			  key, NULL);
	}
	/* A second pass keeps each family's samples together. */
	rewind(f);
	first = true;
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%d %d %o %lu %lu", &k, &msqid, &mode, &cbytes,
			   &qnum) != 5)
			continue;
		if (first) {
			om_family(
				out, "pcbkit_mq_bytes", "gauge",
				"Bytes of message text on a /dev/pcbmq queue.");
			first = false;
		}
		label_int(key, sizeof(key), k);
		label_int(id, sizeof(id), msqid);
		om_sample(out, "pcbkit_mq_bytes", cbytes, "msqid", id, "key",
			  key, NULL);
	}
	fclose(f);
}

void print_openmetrics(FILE *out, int dev, const struct snapshot *s)
{
	const struct process_counter *c;

	for (c = process_counters; c->offset; c++)
		if (c->name)
			process_family(out, c, s);
	process_threads(out, s);
	runqueue_latency(out, s);
	cpu_switches(out);
	exited(out, dev);
	mq_queues(out);
	om_eof(out);
}
