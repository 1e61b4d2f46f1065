// SPDX-License-Identifier: GPL-2.0
/*
 * pcbsched - run one of the textbook's scheduling policies on this kernel.
 *
 * Loads the policy as a sched_ext scheduler, prints its counters every
 * interval, and detaches on SIGINT/SIGTERM or after --duration. When the
 * kernel takes the policy down it prints why; when the kernel asks for a
 * restart (CPU hotplug) it loads the policy again.
 *
 * Exit status: 0 detached on request, 1 could not load or attach,
 * 2 bad usage, 3 the kernel ejected the policy with an error.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <scx/common.h>

#include "cli.h"
#include "json.h"
#include "pcb_sched.h"
#include "pcbsched.h"

#define EXIT_LOAD    1
#define EXIT_USAGE   CLI_EXIT_USAGE
#define EXIT_EJECTED 3

/* enum scx_exit_kind: kinds from here on are errors, not requests. */
#define SCX_EXIT_ERROR_FIRST 1024

struct options {
	const struct pcbsched_policy *policy;
	double interval;
	double duration;
	bool json;
	bool openmetrics;
	bool partial;
	bool verbose;
	struct pcbsched_setting settings[PCBSCHED_MAX_SETTINGS];
	const struct pcbsched_knob *set_knobs[PCBSCHED_MAX_SETTINGS];
	int nr_settings;
};

/* The options and the knobs' options together. */
#define MAX_OPTIONS 64

static volatile sig_atomic_t stop_requested;

static void on_stop_signal(int sig)
{
	stop_requested = 1;
}

static void usage(FILE *out)
{
	const struct pcbsched_policy *p;
	const struct pcbsched_knob *k;

	fprintf(out,
		"usage: pcbsched [POLICY] [options]   load POLICY until interrupted\n"
		"       pcbsched list                 list the policies\n"
		"       pcbsched status [--json]      show what sched_ext runs now\n"
		"       pcbsched status --openmetrics the same for node_exporter\n"
		"       pcbsched task PID [--json]    the loaded policy's view of PID\n"
		"\n"
		"options:\n"
		"  -i, --interval SEC   print counters every SEC seconds (default 1; 0: never)\n"
		"  -d, --duration SEC   detach after SEC seconds (default: on SIGINT/SIGTERM)\n"
		"  -p, --partial        schedule only tasks that chose SCHED_EXT\n"
		"  -j, --json           one JSON object per line\n"
		"      --openmetrics    with status: text for node_exporter\n"
		"  -v, --verbose        libbpf debug output and the verifier log\n"
		"  -h, --help           this text\n"
		"\npolicies:\n");
	for (p = pcbsched_policies; p->name; p++)
		fprintf(out, "  %-8s %s\n", p->name, p->summary);
	fprintf(out, "\npolicy knobs:\n");
	for (k = pcbsched_knobs; k->option; k++)
		fprintf(out, "  --%-12s %s (%s; default %llu, %llu..%llu)\n",
			k->option, k->help, k->policies, k->def, k->min,
			k->max);
	fprintf(out,
		"\nexit status: 0 detached on request, 1 load/attach failed,\n"
		"2 bad usage, 3 the kernel ejected the policy with an error\n");
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* What a knob's option needs to record its value. */
struct knob_arg {
	struct options *opt;
	const struct pcbsched_knob *knob;
};

static int parse_knob(void *ctx, const char *arg)
{
	const struct knob_arg *ka = ctx;
	const struct pcbsched_knob *k = ka->knob;
	struct options *opt = ka->opt;
	char what[64];
	long long v;

	snprintf(what, sizeof(what), "--%s", k->option);
	if (cli_number("pcbsched", what, arg, 0, (long long)k->min,
		       (long long)k->max, &v))
		return -1;
	if (opt->nr_settings == PCBSCHED_MAX_SETTINGS) {
		fprintf(stderr, "pcbsched: too many knobs\n");
		return -1;
	}
	opt->set_knobs[opt->nr_settings] = k;
	opt->settings[opt->nr_settings].var = k->var;
	opt->settings[opt->nr_settings++].value = v;
	return 0;
}

/* Knobs given must belong to the policy chosen. */
static int check_knobs(const struct options *opt)
{
	int i;

	for (i = 0; i < opt->nr_settings; i++) {
		if (pcbsched_knob_applies(opt->set_knobs[i], opt->policy))
			continue;
		fprintf(stderr, "pcbsched: --%s is not a knob of %s\n",
			opt->set_knobs[i]->option, opt->policy->name);
		return -1;
	}
	return 0;
}

/* The index of the first operand, or cli_parse()'s negative answer. */
static int parse_options(int argc, char **argv, struct options *opt)
{
	static struct knob_arg knob_args[MAX_OPTIONS];
	struct cli_opt opts[MAX_OPTIONS] = {
		CLI_DOUBLE("interval", 'i', &opt->interval, 0, 1e9),
		CLI_DOUBLE("duration", 'd', &opt->duration, 0, 1e9),
		CLI_FLAG("partial", 'p', &opt->partial),
		CLI_FLAG("json", 'j', &opt->json),
		CLI_FLAG("openmetrics", 0, &opt->openmetrics),
		CLI_FLAG("verbose", 'v', &opt->verbose),
		CLI_HELP(usage),
	};
	int n = 0, k;

	while (opts[n].name)
		n++;
	for (k = 0; pcbsched_knobs[k].option && n < MAX_OPTIONS - 1; k++, n++) {
		knob_args[k] = (struct knob_arg){ opt, &pcbsched_knobs[k] };
		opts[n] = (struct cli_opt)CLI_CALL(pcbsched_knobs[k].option, 0,
						   parse_knob, &knob_args[k]);
	}
	opt->interval = 1;
	return cli_parse("pcbsched", opts, argc, argv, false);
}

static void queues_json(struct json *j, const struct pcb_queue_stats *now,
			const struct pcb_queue_stats *last, unsigned int n)
{
	unsigned int i;

	json_kv_uint(j, "boosts", now->boost_gen);
	json_kv_uint(j, "demotions", now->demotions - last->demotions);
	json_kv_uint(j, "preemptions", now->preemptions - last->preemptions);
	json_key(j, "queues");
	json_begin_array(j);
	for (i = 0; i < n; i++) {
		json_begin_object(j);
		json_kv_uint(j, "queued", now->queued[i]);
		json_kv_uint(j, "runs", now->runs[i] - last->runs[i]);
		json_kv_double(j, "run_ms",
			       (now->run_ns[i] - last->run_ns[i]) / 1e6, 1);
		json_end_object(j);
	}
	json_end_array(j);
}

/* Per-queue counters: runs and CPU time as deltas, queue lengths now. */
static void print_queues(struct json *j, const struct pcb_queue_stats *now,
			 const struct pcb_queue_stats *last)
{
	unsigned int i, n = now->nr_queues;

	if (n > PCB_MAX_QUEUES)
		n = PCB_MAX_QUEUES;
	if (j) {
		queues_json(j, now, last, n);
		return;
	}
	for (i = 0; i < n; i++)
		printf(" | q%u: %llu waiting, %llu runs, %.1f ms", i,
		       (unsigned long long)now->queued[i],
		       (unsigned long long)(now->runs[i] - last->runs[i]),
		       (now->run_ns[i] - last->run_ns[i]) / 1e6);
	printf(" | boosts=%llu demoted=%llu preempted=%llu",
	       (unsigned long long)now->boost_gen,
	       (unsigned long long)(now->demotions - last->demotions),
	       (unsigned long long)(now->preemptions - last->preemptions));
}

struct snapshot {
	struct pcb_stats stats;
	struct pcb_queue_stats queues;
	bool has_queues;
};

static void take_snapshot(const struct pcbsched_loaded *ld, struct snapshot *s)
{
	memcpy(&s->stats, (const void *)ld->stats, sizeof(s->stats));
	s->has_queues = ld->queues_fd >= 0 &&
			!pcbsched_read_queues(ld->queues_fd, &s->queues);
}

static void print_stats(const struct options *opt, double t,
			const struct snapshot *now, const struct snapshot *last)
{
	unsigned long long enq = now->stats.enqueued - last->stats.enqueued;
	unsigned long long dsp = now->stats.dispatched - last->stats.dispatched;
	unsigned long long dir = now->stats.direct - last->stats.direct;
	bool queues = now->has_queues && last->has_queues;
	struct json j;

	if (!opt->json) {
		printf("%s t=%.1fs enqueued=%llu dispatched=%llu direct=%llu",
		       opt->policy->ops, t, enq, dsp, dir);
		if (queues)
			print_queues(NULL, &now->queues, &last->queues);
		putchar('\n');
		fflush(stdout);
		return;
	}
	json_init(&j, stdout, 0);
	json_begin_object(&j);
	json_kv_double(&j, "t", t, 3);
	json_kv_string(&j, "policy", opt->policy->ops);
	json_kv_uint(&j, "enqueued", enq);
	json_kv_uint(&j, "dispatched", dsp);
	json_kv_uint(&j, "direct", dir);
	if (queues)
		print_queues(&j, &now->queues, &last->queues);
	json_end_object(&j);
	json_finish(&j);
}

static void print_exit(const struct options *opt,
		       const volatile struct user_exit_info *ei)
{
	bool restart = UEI_ECODE_RESTART(ei->exit_code);
	struct json j;

	if (opt->json) {
		json_init(&j, stdout, 0);
		json_begin_object(&j);
		json_kv_string(&j, "event", "exit");
		json_kv_string(&j, "policy", opt->policy->ops);
		json_kv_int(&j, "kind", ei->kind);
		json_kv_int(&j, "code", (long long)ei->exit_code);
		json_kv_bool(&j, "restart", restart);
		json_kv_string(&j, "reason", (const char *)ei->reason);
		json_kv_string(&j, "msg", (const char *)ei->msg);
		json_end_object(&j);
		json_finish(&j);
	} else {
		printf("%s exited: %s%s%s%s (kind %d, code %lld)\n",
		       opt->policy->ops, ei->reason[0] ? ei->reason : "unknown",
		       ei->msg[0] ? " (" : "", ei->msg, ei->msg[0] ? ")" : "",
		       ei->kind, (long long)ei->exit_code);
	}
	fflush(stdout);
}

/* Polls often so a kernel-side exit is noticed within 100 ms. */
static void run_until_exit(const struct options *opt,
			   struct pcbsched_loaded *ld)
{
	const struct timespec tick = { .tv_nsec = 100 * 1000 * 1000 };
	double start = now_s(), next = start + opt->interval;
	struct snapshot last, cur;

	take_snapshot(ld, &last);

	while (!stop_requested && !ld->uei->kind) {
		double t = now_s();

		if (opt->duration && t - start >= opt->duration)
			break;
		if (opt->interval && t >= next) {
			take_snapshot(ld, &cur);
			print_stats(opt, t - start, &cur, &last);
			last = cur;
			next += opt->interval;
		}
		nanosleep(&tick, NULL);
	}
}

static int run_policy(const struct options *opt)
{
	struct pcbsched_loaded ld;
	bool restart;
	int kind;

	do {
		if (pcbsched_load(opt->policy, opt->partial, opt->verbose,
				  opt->settings, opt->nr_settings, &ld))
			return EXIT_LOAD;
		if (!opt->json)
			printf("%s attached%s; Ctrl-C detaches\n",
			       opt->policy->ops,
			       opt->partial ? " (partial: SCHED_EXT tasks only)"
					    : "");
		fflush(stdout);
		run_until_exit(opt, &ld);
		pcbsched_detach(&ld);
		ld.policy->report(&ld);
		print_exit(opt, ld.uei);
		kind = ld.uei->kind;
		restart =
			UEI_ECODE_RESTART(ld.uei->exit_code) && !stop_requested;
		pcbsched_close(&ld);
		if (restart && !opt->json) {
			printf("the kernel asked for a restart; reloading\n");
			fflush(stdout);
		}
	} while (restart);
	return kind >= SCX_EXIT_ERROR_FIRST ? EXIT_EJECTED : 0;
}

static int list_policies(void)
{
	const struct pcbsched_policy *p;

	for (p = pcbsched_policies; p->name; p++)
		printf("%-8s %-10s %s\n", p->name, p->ops, p->summary);
	return 0;
}

int main(int argc, char **argv)
{
	struct options opt = { 0 };
	const char *name = pcbsched_policies[0].name;
	const char *arg = NULL;
	struct sigaction sa = { .sa_handler = on_stop_signal };
	int next;

	next = parse_options(argc, argv, &opt);
	if (next < 0)
		return cli_exit_status(next);
	if (next < argc)
		name = argv[next++];
	if (next < argc && !strcmp(name, "task"))
		arg = argv[next++];
	if (next < argc) {
		fprintf(stderr, "pcbsched: unexpected argument '%s'\n",
			argv[next]);
		return EXIT_USAGE;
	}
	if (!strcmp(name, "list"))
		return list_policies();
	if (!strcmp(name, "status"))
		return opt.openmetrics ? pcbsched_status_openmetrics()
				       : pcbsched_status(opt.json);
	if (opt.openmetrics) {
		fprintf(stderr, "pcbsched: --openmetrics goes with status\n");
		return EXIT_USAGE;
	}
	if (!strcmp(name, "task")) {
		if (!arg) {
			fprintf(stderr, "pcbsched: task needs a PID\n");
			return EXIT_USAGE;
		}
		return pcbsched_task(arg, opt.json);
	}
	opt.policy = pcbsched_find_policy(name);
	if (!opt.policy) {
		fprintf(stderr,
			"pcbsched: no policy '%s' ('pcbsched list' names them)\n",
			name);
		return EXIT_USAGE;
	}
	if (check_knobs(&opt))
		return EXIT_USAGE;
	if (access("/sys/kernel/sched_ext/state", R_OK)) {
		fprintf(stderr,
			"pcbsched: this kernel has no sched_ext (no /sys/kernel/sched_ext)\n");
		return EXIT_LOAD;
	}
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	return run_policy(&opt);
}
