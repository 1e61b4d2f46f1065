// SPDX-License-Identifier: GPL-2.0
/*
 * Claim: a thread switch is cheaper than a process switch, because the
 * threads of one process share the page tables; a user-level switch is
 * cheaper still, because no kernel is involved.
 *
 * Process and thread: two tasks ping-pong a byte through two pipes, both
 * pinned to CPU 0, so a round trip is exactly two switches (and two pipe
 * writes and reads, the same in both). User-level: swapcontext between two
 * contexts of one thread, and a hand-rolled switch of the callee-saved
 * registers, the floor. The PCB of the process says how the kernel
 * classified the switches of each row (sw_process, sw_thread) so that the
 * claim and the PCB are read side by side.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <ucontext.h>
#include <unistd.h>

#include "textbook.h"

enum sw_kind {
	SW_PROCESS,
	SW_THREAD,
	SW_UCONTEXT,
	SW_REGS,
	NR_SW_KINDS
};

static const char *const sw_name[NR_SW_KINDS] = {
	"process",
	"thread",
	"swapcontext",
	"registers",
};

/* What the PCB counted while one kind ran: switch-outs by class. */
struct sw_classes {
	uint64_t thread, process, kernel;
};

struct sw_trials {
	double ns[NR_SW_KINDS][TB_MAX_TRIALS]; /* per switch */
	struct sw_classes cls[NR_SW_KINDS];    /* summed over the trials */
	bool pcb;			       /* the module answered */
};

static int ping[2], pong[2];

static void bounce(int in, int out, int rounds, bool first)
{
	char c = 'x';
	int i;

	for (i = 0; i < rounds; i++) {
		if (first && write(out, &c, 1) != 1)
			return;
		if (read(in, &c, 1) != 1)
			return;
		if (!first && write(out, &c, 1) != 1)
			return;
	}
}

static int partner_rounds;

static void *partner(void *arg)
{
	tb_pin(0);
	bounce(ping[0], pong[1], partner_rounds, false);
	return NULL;
}

static void pcb_classes(bool *ok, struct sw_classes *c)
{
	struct pcbstat_task t;

	memset(c, 0, sizeof(*c));
	if (tb_pcb(getpid(), false, &t)) {
		*ok = false;
		return;
	}
	c->thread = t.sw_thread;
	c->process = t.sw_process;
	c->kernel = t.sw_kernel;
}

static void add_delta(struct sw_classes *sum, const struct sw_classes *a,
		      const struct sw_classes *b)
{
	sum->thread += b->thread - a->thread;
	sum->process += b->process - a->process;
	sum->kernel += b->kernel - a->kernel;
}

/* ns per switch of a pinned pipe ping-pong, or -1. */
static double pingpong(bool threads, int rounds)
{
	uint64_t t0, t1;
	pthread_t th;
	pid_t child = -1;
	int status;

	partner_rounds = rounds + 1;
	if (threads) {
		if (pthread_create(&th, NULL, partner, NULL))
			return -1;
	} else {
		child = fork();
		if (child < 0)
			return -1;
		if (!child) {
			partner(NULL);
			_exit(0);
		}
	}
	/* one round trip first: both sides are running and warm */
	bounce(pong[0], ping[1], 1, true);
	t0 = now_ns();
	bounce(pong[0], ping[1], rounds, true);
	t1 = now_ns();
	if (threads)
		pthread_join(th, NULL);
	else if (waitpid(child, &status, 0) != child || status)
		return -1;
	return (double)(t1 - t0) / (2.0 * rounds);
}

static ucontext_t uc_main, uc_other;
static long uc_rounds;

static void uc_partner(void)
{
	for (;;)
		swapcontext(&uc_other, &uc_main);
}

/* ns per swapcontext between two contexts of this thread. */
static double ucontext_switch(long rounds)
{
	static char stack[64 * 1024];
	uint64_t t0, t1;
	long i;

	getcontext(&uc_other);
	uc_other.uc_stack.ss_sp = stack;
	uc_other.uc_stack.ss_size = sizeof(stack);
	uc_other.uc_link = NULL;
	makecontext(&uc_other, uc_partner, 0);
	uc_rounds = rounds;
	t0 = now_ns();
	for (i = 0; i < rounds; i++)
		swapcontext(&uc_main, &uc_other);
	t1 = now_ns();
	return (double)(t1 - t0) / (2.0 * rounds);
}

#ifdef __x86_64__
/*
 * The least a switch between two stacks can do under the SysV ABI: push
 * the callee-saved registers, swap stack pointers, pop them. No signal
 * mask, no floating-point state: the floor under swapcontext.
 */
void tb_regs_switch(void **from_sp, void *to_sp);
__asm__(".text\n"
	".globl tb_regs_switch\n"
	".type tb_regs_switch,@function\n"
	"tb_regs_switch:\n"
	"	pushq %rbp\n"
	"	pushq %rbx\n"
	"	pushq %r12\n"
	"	pushq %r13\n"
	"	pushq %r14\n"
	"	pushq %r15\n"
	"	movq %rsp, (%rdi)\n"
	"	movq %rsi, %rsp\n"
	"	popq %r15\n"
	"	popq %r14\n"
	"	popq %r13\n"
	"	popq %r12\n"
	"	popq %rbx\n"
	"	popq %rbp\n"
	"	ret\n"
	".size tb_regs_switch, .-tb_regs_switch\n");

static void *regs_main_sp, *regs_other_sp;

static void regs_partner(void)
{
	for (;;)
		tb_regs_switch(&regs_other_sp, regs_main_sp);
}

static double regs_switch(long rounds)
{
	static char stack[64 * 1024] __attribute__((aligned(16)));
	void **sp = (void **)(stack + sizeof(stack));
	uint64_t t0, t1;
	long i;

	/*
	 * The new stack as tb_regs_switch leaves one: six saved registers,
	 * then the return address; 8 bytes below a 16-byte boundary at the
	 * partner's entry, as after a call.
	 */
	*--sp = NULL;
	*--sp = (void *)regs_partner;
	sp -= 6;
	memset(sp, 0, 6 * sizeof(*sp));
	regs_other_sp = sp;
	t0 = now_ns();
	for (i = 0; i < rounds; i++)
		tb_regs_switch(&regs_main_sp, regs_other_sp);
	t1 = now_ns();
	return (double)(t1 - t0) / (2.0 * rounds);
}
#else
static double regs_switch(long rounds)
{
	return -1;
}
#endif

static double measure_kind(enum sw_kind k, int rounds)
{
	switch (k) {
	case SW_PROCESS:
		return pingpong(false, rounds);
	case SW_THREAD:
		return pingpong(true, rounds);
	case SW_UCONTEXT:
		return ucontext_switch(rounds * 100L);
	default:
		return regs_switch(rounds * 1000L);
	}
}

/* Every kind once per trial, in an order that turns with the trial. */
static int run_trials(const struct tb_opts *o, int rounds, struct sw_trials *st)
{
	struct sw_classes a, b;
	int i, j, k;

	st->pcb = true;
	for (i = 0; i < o->trials; i++)
		for (j = 0; j < NR_SW_KINDS; j++) {
			k = (i + j) % NR_SW_KINDS;
			pcb_classes(&st->pcb, &a);
			st->ns[k][i] = measure_kind(k, rounds);
			pcb_classes(&st->pcb, &b);
			if (st->ns[k][i] < 0 && k != SW_REGS)
				return -1;
			add_delta(&st->cls[k], &a, &b);
		}
	return 0;
}

/* Per-trial ratios num/den of two kinds. */
static void ratio_fig(const struct sw_trials *st, int trials, enum sw_kind num,
		      enum sw_kind den, struct tb_fig *f)
{
	double r[TB_MAX_TRIALS];
	int i, n = 0;

	for (i = 0; i < trials; i++)
		if (st->ns[num][i] > 0 && st->ns[den][i] > 0)
			r[n++] = st->ns[num][i] / st->ns[den][i];
	tb_fig_of(r, n, f);
}

static bool cpu_flag(const char *flag)
{
	char line[8192], *tok, *save;
	bool found = false;
	FILE *f = fopen("/proc/cpuinfo", "r");

	if (!f)
		return false;
	while (!found && fgets(line, sizeof(line), f)) {
		if (strncmp(line, "flags", 5))
			continue;
		for (tok = strtok_r(line, " \t\n:", &save); tok && !found;
		     tok = strtok_r(NULL, " \t\n:", &save))
			found = !strcmp(tok, flag);
		break;
	}
	fclose(f);
	return found;
}

static void read_line(const char *path, char *buf, size_t size)
{
	FILE *f = fopen(path, "r");

	buf[0] = '\0';
	if (f) {
		if (!fgets(buf, size, f))
			buf[0] = '\0';
		fclose(f);
	}
	buf[strcspn(buf, "\n")] = '\0';
}

/*
 * What the address-space switch costs cannot be taken apart from the
 * rest without a boot with and without PCID (nopcid is a boot option);
 * say what this CPU and kernel offer, and estimate it as process minus
 * thread switch.
 */
static void print_pcid(const struct tb_opts *o, double as_ns)
{
	char pti[256];

	read_line("/sys/devices/system/cpu/vulnerabilities/meltdown", pti,
		  sizeof(pti));
	if (o->json) {
		printf("{\"part\":\"switch-mm\",\"pcid\":%s,\"invpcid\":%s,"
		       "\"meltdown\":\"%s\",\"mm_switch_ns\":%.0f}\n",
		       cpu_flag("pcid") ? "true" : "false",
		       cpu_flag("invpcid") ? "true" : "false", pti, as_ns);
		return;
	}
	printf("address-space switch: process - thread = %.0f ns per switch "
	       "(median of per-trial differences)\n",
	       as_ns);
	printf("  CPU flags: pcid %s, invpcid %s; meltdown: %s\n",
	       cpu_flag("pcid") ? "yes" : "no",
	       cpu_flag("invpcid") ? "yes" : "no", pti[0] ? pti : "unknown");
	printf("  with and without PCID needs two boots (nopcid); not "
	       "measured here\n");
}

static double mm_switch_ns(const struct sw_trials *st, int trials)
{
	double d[TB_MAX_TRIALS];
	struct tb_fig f;
	int i;

	for (i = 0; i < trials; i++)
		d[i] = st->ns[SW_PROCESS][i] - st->ns[SW_THREAD][i];
	tb_fig_of(d, trials, &f);
	return f.p50;
}

static void print_rows(const struct tb_opts *o, struct sw_trials *st,
		       struct tb_fig *fig, FILE *dat)
{
	int k;

	if (!o->json)
		printf("%-12s %10s %21s   %10s %10s %10s\n", "switch",
		       "ns/switch", "95% CI", "sw_process", "sw_thread",
		       "sw_kernel");
	for (k = 0; k < NR_SW_KINDS; k++) {
		const struct sw_classes *c = &st->cls[k];

		if (!fig[k].n)
			continue;
		if (o->json)
			printf("{\"part\":\"switch\",\"kind\":\"%s\","
			       "\"ns\":%.1f,\"lo\":%.1f,\"hi\":%.1f,"
			       "\"sw_process\":%llu,\"sw_thread\":%llu,"
			       "\"sw_kernel\":%llu,\"pcb\":%s}\n",
			       sw_name[k], fig[k].p50, fig[k].lo, fig[k].hi,
			       (unsigned long long)c->process,
			       (unsigned long long)c->thread,
			       (unsigned long long)c->kernel,
			       st->pcb ? "true" : "false");
		else
			printf("%-12s %10.1f %10.1f-%-10.1f   %10llu %10llu "
			       "%10llu\n",
			       sw_name[k], fig[k].p50, fig[k].lo, fig[k].hi,
			       (unsigned long long)c->process,
			       (unsigned long long)c->thread,
			       (unsigned long long)c->kernel);
		if (dat)
			fprintf(dat, "%s %.1f %.1f %.1f\n", sw_name[k],
				fig[k].p50, fig[k].lo, fig[k].hi);
	}
}

/* At least 90% of the switch-outs of a row are of its class. */
static void classification_verdicts(const struct tb_opts *o,
				    const struct sw_trials *st)
{
	const struct sw_classes *p = &st->cls[SW_PROCESS];
	const struct sw_classes *t = &st->cls[SW_THREAD];
	uint64_t pn = p->thread + p->process + p->kernel;
	uint64_t tn = t->thread + t->process + t->kernel;
	char ev[160];

	if (!st->pcb) {
		printf("pcbstat: /dev/pcbstat did not answer; no "
		       "classification (load pcbstat.ko)\n");
		return;
	}
	snprintf(ev, sizeof(ev), "%llu of %llu switch-outs sw_process",
		 (unsigned long long)p->process, (unsigned long long)pn);
	tb_verdict_plain(o,
			 "the PCB counts the process ping-pong as "
			 "process switches",
			 pn && p->process * 10 >= pn * 9, ev);
	snprintf(ev, sizeof(ev), "%llu of %llu switch-outs sw_thread",
		 (unsigned long long)t->thread, (unsigned long long)tn);
	tb_verdict_plain(o,
			 "the PCB counts the thread ping-pong as "
			 "thread switches",
			 tn && t->thread * 10 >= tn * 9, ev);
}

int tb_switch(const struct tb_opts *o)
{
	struct sw_trials *st = calloc(1, sizeof(*st));
	struct tb_fig fig[NR_SW_KINDS], r;
	int rounds = o->quick ? 300 : 1000, k;
	FILE *dat = tb_dat(o, "textbook-switch.dat");

	if (!st || pipe(ping) || pipe(pong))
		return 1;
	if (!o->json)
		printf("\n== 1. switch cost by kind (pinned to CPU 0; %d "
		       "trials; ping-pongs of %d round trips)\n",
		       o->trials, rounds);
	if (tb_pin(0) || run_trials(o, rounds, st)) {
		fprintf(stderr, "pcbbench textbook: switch: a ping-pong "
				"failed\n");
		free(st);
		return 1;
	}
	tb_pin(-1);
	for (k = 0; k < NR_SW_KINDS; k++) {
		double v[TB_MAX_TRIALS];
		int i, n = 0;

		for (i = 0; i < o->trials; i++)
			if (st->ns[k][i] > 0)
				v[n++] = st->ns[k][i];
		tb_fig_of(v, n, &fig[k]);
	}
	if (dat)
		fprintf(dat, "# kind ns_per_switch lo hi\n");
	print_rows(o, st, fig, dat);
	if (dat)
		fclose(dat);
	print_pcid(o, mm_switch_ns(st, o->trials));
	ratio_fig(st, o->trials, SW_PROCESS, SW_THREAD, &r);
	tb_verdict(o, "a thread switch is cheaper than a process switch", &r);
	ratio_fig(st, o->trials, SW_THREAD, SW_UCONTEXT, &r);
	tb_verdict(o,
		   "a user-level switch (swapcontext) is cheaper than a "
		   "kernel thread switch",
		   &r);
	ratio_fig(st, o->trials, SW_THREAD, SW_REGS, &r);
	if (r.n)
		tb_verdict(o,
			   "a user-level switch (registers only) is "
			   "cheaper than a kernel thread switch",
			   &r);
	classification_verdicts(o, st);
	close(ping[0]);
	close(ping[1]);
	close(pong[0]);
	close(pong[1]);
	free(st);
	return 0;
}
