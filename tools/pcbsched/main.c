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
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <linux/types.h>

#include "json.h"
#include "pcb_sched.h"
#include "pcbsched.h"

#define EXIT_LOAD    1
#define EXIT_USAGE   2
#define EXIT_EJECTED 3

/* enum scx_exit_kind: kinds from here on are errors, not requests. */
#define SCX_EXIT_ERROR_FIRST 1024

struct options {
	const struct pcbsched_policy *policy;
	double interval;
	double duration;
	bool json;
	bool partial;
	bool verbose;
};

static volatile sig_atomic_t stop_requested;

static void on_stop_signal(int sig)
{
	stop_requested = 1;
}

static void usage(FILE *out)
{
	const struct pcbsched_policy *p;

	fprintf(out,
		"usage: pcbsched [POLICY] [options]   load POLICY until interrupted\n"
		"       pcbsched list                 list the policies\n"
		"       pcbsched status [--json]      show what sched_ext runs now\n"
		"\n"
		"options:\n"
		"  -i, --interval SEC   print counters every SEC seconds (default 1; 0: never)\n"
		"  -d, --duration SEC   detach after SEC seconds (default: on SIGINT/SIGTERM)\n"
		"  -p, --partial        schedule only tasks that chose SCHED_EXT\n"
		"  -j, --json           one JSON object per line\n"
		"  -v, --verbose        libbpf debug output and the verifier log\n"
		"  -h, --help           this text\n"
		"\npolicies:\n");
	for (p = pcbsched_policies; p->name; p++)
		fprintf(out, "  %-8s %s\n", p->name, p->summary);
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

static int parse_seconds(const char *arg, double *out)
{
	char *end;

	errno = 0;
	*out = strtod(arg, &end);
	if (errno || end == arg || *end || *out < 0) {
		fprintf(stderr, "pcbsched: '%s' is not a number of seconds\n",
			arg);
		return -1;
	}
	return 0;
}

static int parse_options(int argc, char **argv, struct options *opt)
{
	static const struct option longopts[] = {
		{ "interval", required_argument, NULL, 'i' },
		{ "duration", required_argument, NULL, 'd' },
		{ "partial", no_argument, NULL, 'p' },
		{ "json", no_argument, NULL, 'j' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL },
	};
	int c;

	opt->interval = 1;
	while ((c = getopt_long(argc, argv, "i:d:pjvh", longopts, NULL)) !=
	       -1) {
		switch (c) {
		case 'i':
			if (parse_seconds(optarg, &opt->interval))
				return -1;
			break;
		case 'd':
			if (parse_seconds(optarg, &opt->duration))
				return -1;
			break;
		case 'p':
			opt->partial = true;
			break;
		case 'j':
			opt->json = true;
			break;
		case 'v':
			opt->verbose = true;
			break;
		case 'h':
			usage(stdout);
			exit(0);
		default:
			return -1;
		}
	}
	return 0;
}

static void print_stats(const struct options *opt, double t,
			const struct pcb_stats *now,
			const struct pcb_stats *last)
{
	unsigned long long enq = now->enqueued - last->enqueued;
	unsigned long long dsp = now->dispatched - last->dispatched;
	unsigned long long dir = now->direct - last->direct;

	if (opt->json)
		printf("{\"t\":%.3f,\"policy\":\"%s\",\"enqueued\":%llu,"
		       "\"dispatched\":%llu,\"direct\":%llu}\n",
		       t, opt->policy->ops, enq, dsp, dir);
	else
		printf("%s t=%.1fs enqueued=%llu dispatched=%llu direct=%llu\n",
		       opt->policy->ops, t, enq, dsp, dir);
	fflush(stdout);
}

static void print_exit(const struct options *opt,
		       const volatile struct pcb_exit_info *ei)
{
	if (opt->json) {
		printf("{\"event\":\"exit\",\"policy\":\"%s\",\"kind\":%d,"
		       "\"code\":%lld,\"restart\":%s,\"reason\":",
		       opt->policy->ops, ei->kind, (long long)ei->exit_code,
		       ei->restart ? "true" : "false");
		json_put_string(stdout, (const char *)ei->reason);
		printf(",\"msg\":");
		json_put_string(stdout, (const char *)ei->msg);
		puts("}");
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
	struct pcb_stats last = { 0 }, cur;

	while (!stop_requested && !ld->exit->kind) {
		double t = now_s();

		if (opt->duration && t - start >= opt->duration)
			break;
		if (opt->interval && t >= next) {
			memcpy(&cur, (const void *)ld->stats, sizeof(cur));
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
		if (pcbsched_load(opt->policy, opt->partial, opt->verbose, &ld))
			return EXIT_LOAD;
		if (!opt->json)
			printf("%s attached%s; Ctrl-C detaches\n",
			       opt->policy->ops,
			       opt->partial ? " (partial: SCHED_EXT tasks only)"
					    : "");
		fflush(stdout);
		run_until_exit(opt, &ld);
		pcbsched_detach(&ld);
		print_exit(opt, ld.exit);
		kind = ld.exit->kind;
		restart = ld.exit->restart && !stop_requested;
		pcbsched_close(&ld);
		if (restart && !opt->json)
			printf("the kernel asked for a restart; reloading\n");
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
	const char *name = "fifo";
	struct sigaction sa = { .sa_handler = on_stop_signal };

	if (parse_options(argc, argv, &opt)) {
		usage(stderr);
		return EXIT_USAGE;
	}
	if (optind < argc)
		name = argv[optind++];
	if (optind < argc) {
		fprintf(stderr, "pcbsched: unexpected argument '%s'\n",
			argv[optind]);
		return EXIT_USAGE;
	}
	if (!strcmp(name, "list"))
		return list_policies();
	if (!strcmp(name, "status"))
		return pcbsched_status(opt.json);
	opt.policy = pcbsched_find_policy(name);
	if (!opt.policy) {
		fprintf(stderr,
			"pcbsched: no policy '%s' ('pcbsched list' names them)\n",
			name);
		return EXIT_USAGE;
	}
	if (access("/sys/kernel/sched_ext/state", R_OK)) {
		fprintf(stderr,
			"pcbsched: this kernel has no sched_ext (no /sys/kernel/sched_ext)\n");
		return EXIT_LOAD;
	}
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	return run_policy(&opt);
}
