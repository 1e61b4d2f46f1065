// SPDX-License-Identifier: GPL-2.0
/*
 * Claim: creating and ending a thread is cheaper than a process, because a
 * process needs its own resources (the address space above all) and a
 * thread shares them. So process creation should grow with the memory a
 * process has touched, and thread creation should not.
 *
 * At each resident size the parent first touches that much anonymous
 * memory, then times create + end + reap of: fork (copies the page
 * tables), vfork and posix_spawn of /bin/true (borrow the parent's memory
 * until exec), pthread_create + join, clone(CLONE_VM) + waitpid (a thread
 * the kernel treats as a process), and a user-level context (makecontext
 * on a fresh stack, run to its end).
 */
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <spawn.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <ucontext.h>
#include <unistd.h>

#include "textbook.h"

extern char **environ;

enum how {
	HOW_FORK,
	HOW_VFORK,
	HOW_SPAWN,
	HOW_CLONE_VM,
	HOW_PTHREAD,
	HOW_UCONTEXT,
	NR_HOWS
};

static const char *const how_name[NR_HOWS] = {
	"fork", "vfork", "posix_spawn", "clone_vm", "pthread", "ucontext",
};

/* Operations per trial: the cheap ones are too quick to time one by one. */
static const int how_reps[NR_HOWS] = { 3, 3, 1, 5, 20, 500 };

#define MAX_SIZES   6
#define CHILD_STACK (64 * 1024)

static int fork_once(void)
{
	pid_t pid = fork();

	if (!pid)
		_exit(0);
	return pid < 0 || waitpid(pid, NULL, 0) != pid ? -1 : 0;
}

static int vfork_once(void)
{
	pid_t pid = vfork();

	if (!pid)
		_exit(0);
	return pid < 0 || waitpid(pid, NULL, 0) != pid ? -1 : 0;
}

static int spawn_once(void)
{
	char *argv[] = { "true", NULL };
	pid_t pid;

	if (posix_spawn(&pid, "/bin/true", NULL, NULL, argv, environ))
		return -1;
	return waitpid(pid, NULL, 0) != pid ? -1 : 0;
}

static int child_fn(void *arg)
{
	return 0;
}

static int clone_once(void)
{
	static char *stack;
	pid_t pid;

	if (!stack)
		stack = malloc(CHILD_STACK);
	if (!stack)
		return -1;
	pid = clone(child_fn, stack + CHILD_STACK, CLONE_VM | SIGCHLD, NULL);
	return pid < 0 || waitpid(pid, NULL, 0) != pid ? -1 : 0;
}

static void *thread_fn(void *arg)
{
	return NULL;
}

static int pthread_once_(void)
{
	pthread_t th;

	if (pthread_create(&th, NULL, thread_fn, NULL))
		return -1;
	return pthread_join(th, NULL) ? -1 : 0;
}

static void uc_fn(void)
{
}

static int ucontext_once(void)
{
	ucontext_t here, uc;

	if (getcontext(&uc))
		return -1;
	uc.uc_stack.ss_sp = malloc(CHILD_STACK);
	if (!uc.uc_stack.ss_sp)
		return -1;
	uc.uc_stack.ss_size = CHILD_STACK;
	uc.uc_link = &here;
	makecontext(&uc, uc_fn, 0);
	swapcontext(&here, &uc);
	free(uc.uc_stack.ss_sp);
	return 0;
}

static int (*const how_fn[NR_HOWS])(void) = {
	fork_once,  vfork_once,	   spawn_once,
	clone_once, pthread_once_, ucontext_once,
};

/* µs per create + end of one kind, or -1. */
static double time_how(enum how h)
{
	uint64_t t0 = now_ns();
	int i;

	for (i = 0; i < how_reps[h]; i++)
		if (how_fn[h]())
			return -1;
	return (now_ns() - t0) / 1e3 / how_reps[h];
}

struct create_results {
	int sizes[MAX_SIZES], nr_sizes, trials;
	double us[MAX_SIZES][NR_HOWS][TB_MAX_TRIALS];
	struct tb_fig fig[MAX_SIZES][NR_HOWS];
};

static int ladder(const struct tb_opts *o, int *sizes)
{
	static const int full[] = { 1, 16, 64, 256, 1024, 4096 };
	static const int quick[] = { 1, 64 };
	const int *l = o->quick ? quick : full;
	int n = o->quick ? 2 : 6, i, k = 0;

	for (i = 0; i < n; i++)
		if (l[i] <= o->max_mb)
			sizes[k++] = l[i];
	return k;
}

static int measure_size(int s, struct create_results *r)
{
	size_t len = (size_t)r->sizes[s] << 20;
	char *mem = mmap(NULL, len, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	int i, j, h;

	if (mem == MAP_FAILED)
		return -1;
	memset(mem, 1, len); /* resident, every page its own */
	for (i = 0; i < r->trials; i++)
		for (j = 0; j < NR_HOWS; j++) {
			h = (i + j) % NR_HOWS;
			r->us[s][h][i] = time_how(h);
			if (r->us[s][h][i] < 0) {
				munmap(mem, len);
				return -1;
			}
		}
	munmap(mem, len);
	for (h = 0; h < NR_HOWS; h++)
		tb_fig_of(r->us[s][h], r->trials, &r->fig[s][h]);
	return 0;
}

static void print_size(const struct tb_opts *o, const struct create_results *r,
		       int s, FILE *dat)
{
	int h;

	if (o->json) {
		for (h = 0; h < NR_HOWS; h++)
			printf("{\"part\":\"create\",\"mb\":%d,\"how\":\"%s\","
			       "\"us\":%.2f,\"lo\":%.2f,\"hi\":%.2f}\n",
			       r->sizes[s], how_name[h], r->fig[s][h].p50,
			       r->fig[s][h].lo, r->fig[s][h].hi);
		return;
	}
	printf("%6d MB", r->sizes[s]);
	for (h = 0; h < NR_HOWS; h++)
		printf(" %11.1f", r->fig[s][h].p50);
	printf("\n");
	if (!dat)
		return;
	fprintf(dat, "%d", r->sizes[s]);
	for (h = 0; h < NR_HOWS; h++)
		fprintf(dat, " %.2f", r->fig[s][h].p50);
	fprintf(dat, "\n");
}

/* Per-trial ratios a/b of two cells. */
static void cell_ratio(const struct create_results *r, int sa, enum how ha,
		       int sb, enum how hb, struct tb_fig *f)
{
	double v[TB_MAX_TRIALS];
	int i;

	for (i = 0; i < r->trials; i++)
		v[i] = r->us[sa][ha][i] / r->us[sb][hb][i];
	tb_fig_of(v, r->trials, f);
}

static void verdicts(const struct tb_opts *o, const struct create_results *r)
{
	int top = r->nr_sizes - 1, i;
	double v[TB_MAX_TRIALS];
	struct tb_fig f;
	char claim[160];

	snprintf(claim, sizeof(claim),
		 "creating + ending a thread is cheaper than a process "
		 "(fork/pthread at %d MB)",
		 r->sizes[0]);
	cell_ratio(r, 0, HOW_FORK, 0, HOW_PTHREAD, &f);
	tb_verdict(o, claim, &f);
	if (!top)
		return;
	snprintf(claim, sizeof(claim),
		 "the same at %d MB resident (fork/pthread)", r->sizes[top]);
	cell_ratio(r, top, HOW_FORK, top, HOW_PTHREAD, &f);
	tb_verdict(o, claim, &f);
	/* how much more fork grows than pthread from the least to the most */
	for (i = 0; i < r->trials; i++)
		v[i] = (r->us[top][HOW_FORK][i] / r->us[0][HOW_FORK][i]) /
		       (r->us[top][HOW_PTHREAD][i] / r->us[0][HOW_PTHREAD][i]);
	tb_fig_of(v, r->trials, &f);
	snprintf(claim, sizeof(claim),
		 "process creation grows with the address space, thread "
		 "creation does not (fork growth / pthread growth, %d to %d "
		 "MB)",
		 r->sizes[0], r->sizes[top]);
	tb_verdict(o, claim, &f);
	cell_ratio(r, top, HOW_FORK, top, HOW_VFORK, &f);
	tb_verdict(o,
		   "vfork avoids the copy fork makes (fork/vfork at the "
		   "largest size)",
		   &f);
}

int tb_create(const struct tb_opts *o)
{
	struct create_results *r = calloc(1, sizeof(*r));
	FILE *dat = tb_dat(o, "textbook-create.dat");
	int s, h, rc;

	if (!r)
		return 1;
	r->nr_sizes = ladder(o, r->sizes);
	r->trials = o->trials < 7 ? o->trials : 7;
	if (!o->json) {
		printf("\n== 2. create + end + reap, µs (median of %d trials; "
		       "resident sizes up to %d MB, --big for 1 GB)\n%9s",
		       r->trials, r->sizes[r->nr_sizes - 1], "resident");
		for (h = 0; h < NR_HOWS; h++)
			printf(" %11s", how_name[h]);
		printf("\n");
	}
	if (dat) {
		fprintf(dat, "mb");
		for (h = 0; h < NR_HOWS; h++)
			fprintf(dat, " %s", how_name[h]);
		fprintf(dat, "\n");
	}
	for (s = 0; s < r->nr_sizes; s++) {
		if (measure_size(s, r)) {
			fprintf(stderr,
				"pcbbench textbook: create: %d MB failed\n",
				r->sizes[s]);
			r->nr_sizes = s;
			break;
		}
		print_size(o, r, s, dat);
	}
	if (dat)
		fclose(dat);
	rc = r->nr_sizes ? 0 : 1;
	if (r->nr_sizes)
		verdicts(o, r);
	free(r);
	return rc;
}
