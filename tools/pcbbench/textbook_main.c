// SPDX-License-Identifier: GPL-2.0
/*
 * pcbbench textbook: the seed chapter's claims, measured in one boot.
 *
 *   switch  process vs thread vs user-level switch, with the PCB's classes
 *   create  fork, vfork, posix_spawn, pthread, clone(CLONE_VM), ucontext
 *           at growing resident sizes
 *   models  N:1 vs 1:1 vs M:N threads: a blocking read, a second CPU, and
 *           the kernel's thread count
 *   ipc     pipe, FIFO, Unix socket, SysV msg, POSIX mq, /dev/pcbmq and a
 *           shared-memory ring: latency, throughput, copies
 *   sched   the five scheduling criteria per policy, from the PCB
 *
 * Each claim ends in a verdict line. Loads pcbstat.ko if it is not loaded
 * (and unloads it again); needs root for that, for the pcbsched policies
 * and for the IPC size limits.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bench.h"
#include "cli.h"
#include "textbook.h"

static const struct {
	const char *name;
	int (*run)(const struct tb_opts *o);
} parts[] = {
	{ "switch", tb_switch }, { "create", tb_create },
	{ "models", tb_models }, { "ipc", tb_ipc },
	{ "sched", tb_sched },
};

#define NR_PARTS (int)(sizeof(parts) / sizeof(parts[0]))

static void usage(FILE *out)
{
	fprintf(out,
		"usage: pcbbench textbook [--parts LIST] [--quick] [--trials N]\n"
		"       [--max-mb MB] [--big] [--sched-jobs N] [--policies LIST]\n"
		"       [--out DIR] [--json]\n"
		"The seed chapter's claims, each measured in this boot and given "
		"a verdict.\n"
		"  --parts LIST     some of switch,create,models,ipc,sched "
		"(default: all)\n"
		"  --quick          the short version (selftest, make demo)\n"
		"  --trials N       trials per figure (11; --quick 7), up to %d\n"
		"  --max-mb MB      create: largest resident size (256)\n"
		"  --big            create: up to 1024 MB\n"
		"  --sched-jobs N   sched: jobs per policy (120; --quick 40)\n"
		"  --policies LIST  sched: eevdf and pcbsched policies "
		"(eevdf,mlfq,hrrn,sjf,fcfs,rr,prio,dprio,fifo)\n"
		"  --out DIR        charts and their data (default "
		"$PCBKIT_OUT; \"\": none)\n"
		"  --json           one JSON object per row and verdict\n"
		"Figures are medians with a distribution-free 95%% interval. Under "
		"an emulator\n(TCG) they are not hardware figures; the ratios "
		"within one boot are the point.\n",
		TB_MAX_TRIALS);
}

struct parse_ctx {
	struct tb_opts *o;
	bool *want;
};

/* --parts a,b: those parts only, in the suite's order. */
static int parse_parts(void *ctx, const char *arg)
{
	struct parse_ctx *c = ctx;
	char *list = strdup(arg), *tok, *save = NULL;
	int i, any = 0;

	if (!list)
		return -1;
	for (tok = strtok_r(list, ",", &save); tok;
	     tok = strtok_r(NULL, ",", &save)) {
		for (i = 0; i < NR_PARTS && strcmp(tok, parts[i].name); i++)
			;
		if (i == NR_PARTS) {
			fprintf(stderr,
				"pcbbench textbook: --parts: no part '%s'\n",
				tok);
			free(list);
			return -1;
		}
		c->want[i] = true;
		any = 1;
	}
	free(list);
	if (!any) {
		fprintf(stderr, "pcbbench textbook: --parts: none named\n");
		return -1;
	}
	return 0;
}

/* 0 to run, else cli_parse()'s answer. */
static int parse(int argc, char **argv, struct tb_opts *o, bool *want)
{
	struct parse_ctx ctx = { o, want };
	bool big = false;
	const struct cli_opt opts[] = {
		CLI_CALL("parts", 'p', parse_parts, &ctx),
		CLI_FLAG("quick", 'q', &o->quick),
		CLI_INT("trials", 't', &o->trials, 3, TB_MAX_TRIALS),
		CLI_INT("max-mb", 0, &o->max_mb, 1, 4096),
		CLI_FLAG("big", 0, &big),
		CLI_INT("sched-jobs", 0, &o->sched_jobs, 10, MAX_TB_SCHED_JOBS),
		CLI_STRING("policies", 0, &o->sched),
		CLI_STRING("out", 0, &o->out_dir),
		CLI_FLAG("json", 'j', &o->json),
		CLI_HELP(usage),
		CLI_END,
	};
	int next, i, any = 0;

	o->out_dir = getenv("PCBKIT_OUT");
	o->max_mb = 256;
	next = cli_parse("pcbbench textbook", opts, argc, argv, false);
	if (next >= 0 && next < argc) {
		fprintf(stderr, "pcbbench textbook: unexpected argument '%s'\n",
			argv[next]);
		return CLI_BAD;
	}
	if (next < 0)
		return next;
	if (big)
		o->max_mb = 1024;
	if (o->out_dir && !*o->out_dir)
		o->out_dir = NULL; /* --out "": no charts */
	for (i = 0; i < NR_PARTS; i++)
		any |= want[i];
	for (i = 0; !any && i < NR_PARTS; i++)
		want[i] = true;
	if (!o->trials)
		o->trials = o->quick ? 7 : 11;
	if (!o->sched_jobs)
		o->sched_jobs = o->quick ? 40 : 120;
	return 0;
}

int bench_textbook_run(int argc, char **argv)
{
	struct tb_opts o = { 0 };
	bool want[NR_PARTS] = { false }, loaded_here = false;
	int i, rc = 0, parsed;
	uint64_t t0 = now_ns();

	parsed = parse(argc, argv, &o, want);
	if (parsed)
		return cli_exit_status(parsed);
	if (!module_is_loaded()) {
		if (module_set(1))
			fprintf(stderr,
				"pcbbench textbook: cannot load %s; the PCB "
				"columns stay empty\n",
				module_path());
		else
			loaded_here = true;
	}
	if (!o.json)
		printf("pcbbench textbook: the seed chapter's claims, measured "
		       "in this boot (%ld CPUs)%s\n",
		       sysconf(_SC_NPROCESSORS_ONLN),
		       getenv("PCBKIT_GUEST") ? "; under an emulator these "
						"are not hardware figures"
					      : "");
	for (i = 0; i < NR_PARTS; i++)
		if (want[i] && parts[i].run(&o)) {
			fprintf(stderr, "pcbbench textbook: %s failed\n",
				parts[i].name);
			rc = 1;
		}
	tb_plot(&o);
	tb_pcb_close();
	if (loaded_here)
		module_set(0);
	if (!o.json)
		printf("\npcbbench textbook: %.0f s\n", (now_ns() - t0) / 1e9);
	return rc;
}
