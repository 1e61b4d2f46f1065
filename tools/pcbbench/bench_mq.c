// SPDX-License-Identifier: GPL-2.0
/*
 * pcbbench mq: /dev/pcbmq against the kernel's SysV queues (the anchor),
 * pipes and POSIX mq, in the same boot.
 *   P3  ping-pong round trip, 64 B and 4 KiB: median RTT, ratio to SysV
 *       as the median of alternated trials, with its 95% interval
 *   P4  typed receive (msgtyp > 0) behind 0/1k/4k/16k non-matching
 *       messages, kernel/device speed-up: per send+receive pair, and per
 *       receive alone (the goal's measure)
 *   P5  one-way streaming of 64 B messages, device in batches of 64:
 *       messages/s, device/kernel
 * Under an emulator one measurement of either side can be off by 2x, so P4
 * and P5 run MQ_TRIALS rounds, the kernel and the device back to back in
 * each, and report the median of the per-round ratios. --vs KO measures P3
 * and P5 of other builds of pcbstat.ko in the same rounds (bench_mq_vs.c).
 * Needs root (P4 raises msg_qbytes) and pcbstat.ko loaded.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "bench.h"
#include "bench_mq.h"
#include "cli.h"
#include "libpcbmq.h"

struct mq_config mq_cfg = { .batch = 64 };

/* Close the device, load exactly @ko (rmmod first if another), reopen. */
int mq_dev_use(const char *ko)
{
	pcbmq_close();
	if (module_use(ko)) {
		fprintf(stderr, "pcbbench mq: cannot load %s\n", ko);
		return -1;
	}
	if (pcbmq_fd() < 0) {
		fprintf(stderr, "pcbbench mq: %s: %s (%s)\n", PCBMQ_DEVICE,
			strerror(errno), ko);
		return -1;
	}
	return 0;
}

static void mq_usage(FILE *out)
{
	fprintf(out,
		"usage: pcbbench mq [--quick] [--only 345cx] [--batch N] [--pin]\n"
		"       [--one-cpu] [--verbose] [--vs KO]... [--rounds N]\n"
		"       [--loop-typed N [--filler F] [--sysv] [--recv]]\n"
		"       [--loop-stream N [--sysv]]\n"
		"  P3 ping-pong RTT, P4 typed receive, P5 batch streaming; "
		"needs root and pcbstat.ko\n"
		"  --only: the parts to run (default 345cx)\n"
		"  --batch: P5's device batch (default 64)\n"
		"  --pin: P5's receiver on CPU 0, sender on 1\n"
		"  --one-cpu: P3's two sides both on CPU 0\n"
		"  --verbose: P5's CPU use per round\n"
		"  --vs KO: P3 and P5 also for this other build of pcbstat.ko "
		"(up to %d),\n"
		"    builds alternated per round, each against the sysv anchor "
		"of its turn;\n"
		"    a build of another commit, from the checkout's top:\n"
		"      mkdir -p build/vs/main && git archive main | tar -x -C "
		"build/vs/main\n"
		"      make -C build/vs/main module   # then --vs "
		"build/vs/main/module/pcbstat.ko\n"
		"    (the path must be inside the checkout for the VM to see "
		"it)\n"
		"  --rounds N: P3's trials (default %d), or rounds of the --vs "
		"comparison\n    (default %d); at most %d\n"
		"  --loop-typed: only N device send+receive pairs of P4 behind "
		"F queued (for perf),\n"
		"  the kernel's with --sysv, the receives alone with --recv\n"
		"  --loop-stream: only one P5 stream of N messages (for perf), "
		"the kernel's\n  with --sysv\n",
		MQ_MAX_VS, P3_TRIALS, MQ_TRIALS, MQ_MAX_ROUNDS);
	mq_pairs_usage(out);
}

struct mq_opts {
	int loop, filler, loop_stream;
	int rounds; /* --rounds: P3's trials, or the --vs rounds */
	bool quick, loop_sysv, loop_recv;
	const char *only;
	const char *vs_ko[MQ_MAX_VS];
	struct mq_vs vs;
};

static int add_vs(void *ctx, const char *ko)
{
	struct mq_opts *o = ctx;

	if (o->vs.n == MQ_MAX_VS) {
		fprintf(stderr, "pcbbench mq: --vs: at most %d builds\n",
			MQ_MAX_VS);
		return -1;
	}
	o->vs_ko[o->vs.n++] = ko;
	return 0;
}

static int set_only(void *ctx, const char *parts)
{
	struct mq_opts *o = ctx;

	if (!*parts || strspn(parts, "345cx") != strlen(parts)) {
		fprintf(stderr,
			"pcbbench mq: --only: '%s' is not some of 3, 4, 5, c, x\n",
			parts);
		return -1;
	}
	o->only = parts;
	return 0;
}

/* 0 to run, else cli_parse()'s answer. */
static int mq_parse(struct mq_opts *o, int argc, char **argv)
{
	const struct cli_opt opts[] = {
		CLI_FLAG("quick", 0, &o->quick),
		CLI_CALL("only", 0, set_only, o),
		CLI_INT("batch", 0, &mq_cfg.batch, 1, BATCH_MAX),
		CLI_FLAG("pin", 0, &mq_cfg.pin),
		CLI_FLAG("one-cpu", 0, &mq_cfg.one_cpu),
		CLI_FLAG("verbose", 0, &mq_cfg.verbose),
		CLI_CALL("vs", 0, add_vs, o),
		CLI_INT("rounds", 0, &o->rounds, 1, MQ_MAX_ROUNDS),
		CLI_INT("loop-typed", 0, &o->loop, 1, 1000000000),
		CLI_INT("filler", 0, &o->filler, 0, 1000000),
		CLI_FLAG("sysv", 0, &o->loop_sysv),
		CLI_FLAG("recv", 0, &o->loop_recv),
		CLI_INT("loop-stream", 0, &o->loop_stream, 1, 1000000000),
		CLI_CALL("pairs", 0, mq_pairs_set, "--pairs"),
		CLI_CALL("pairs-trials", 0, mq_pairs_set, "--pairs-trials"),
		CLI_CALL("pairs-msgs", 0, mq_pairs_set, "--pairs-msgs"),
		CLI_CALL("pairs-loop", 0, mq_pairs_set, "--pairs-loop"),
		CLI_CALL("stress-ng", 0, mq_pairs_set, "--stress-ng"),
		CLI_HELP(mq_usage),
		CLI_END,
	};
	int next;

	*o = (struct mq_opts){ .only = "345cx" };
	next = cli_parse("pcbbench mq", opts, argc, argv, false);
	if (next < 0)
		return next;
	if (next < argc) {
		fprintf(stderr, "pcbbench mq: unexpected argument '%s'\n",
			argv[next]);
		return CLI_BAD;
	}
	o->vs = (struct mq_vs){ .ko = o->vs_ko,
				.n = o->vs.n,
				.rounds = o->rounds ? o->rounds : MQ_TRIALS,
				.batch = mq_cfg.batch,
				.one_cpu = mq_cfg.one_cpu };
	return 0;
}

static void mq_loop(const struct mq_opts *o)
{
	printf("P4 loop: %s %.2f us per %s, %d queued\n",
	       o->loop_sysv ? "sysv" : "pcbmq",
	       (o->loop_recv ? mq_typed_recv : mq_typed)(!o->loop_sysv,
							 o->filler, o->loop) /
		       1000,
	       o->loop_recv ? "receive" : "send+receive", o->filler);
}

/* With --vs, P3 and P5 run as an A/B of builds; P4 on this build. */
static int mq_parts(const struct mq_opts *o)
{
	bool vs = o->vs.n > 0;
	int scale = o->quick ? 10 : 1;

	if (strchr(o->only, '3')) {
		if (!vs)
			mq_p3(P3_ROUND_TRIPS / scale,
			      o->rounds ? o->rounds : P3_TRIALS);
		else if (mq_vs_p3(&o->vs, 20000 / scale) ||
			 mq_dev_use(module_path()))
			return 1;
	}
	if (strchr(o->only, '4'))
		mq_p4(1000 / scale);
	if (strchr(o->only, '5')) {
		if (!vs)
			mq_p5(200000 / scale);
		else if (mq_vs_p5(&o->vs, 200000 / scale) ||
			 mq_dev_use(module_path()))
			return 1;
	}
	return mq_pairs_parts(o->only, scale);
}

int bench_mq_run(int argc, char **argv)
{
	struct mq_opts o;
	int was_loaded, rc;

	rc = mq_parse(&o, argc, argv);
	if (rc)
		return cli_exit_status(rc);
	/* Load the module only if we must, and leave things as we found them. */
	was_loaded = module_is_loaded();
	if (module_set(1)) {
		fprintf(stderr, "pcbbench mq: cannot load pcbstat.ko\n");
		return 1;
	}
	if (pcbmq_fd() < 0) {
		module_set(was_loaded);
		fprintf(stderr, "pcbbench mq: %s: %s (load pcbstat.ko)\n",
			PCBMQ_DEVICE, strerror(errno));
		return 1;
	}
	rc = 0;
	if (o.loop_stream > 0)
		printf("P5 loop: %s %.0f msg/s\n",
		       o.loop_sysv ? "sysv" : "pcbmq",
		       mq_stream(!o.loop_sysv, o.loop_stream));
	else if (o.loop > 0)
		mq_loop(&o);
	else if (mq_pairs_looping())
		rc = mq_pairs_loop();
	else
		rc = mq_parts(&o);
	pcbmq_close();
	module_set(was_loaded);
	return rc;
}
