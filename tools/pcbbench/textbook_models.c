// SPDX-License-Identifier: GPL-2.0
/*
 * Claim: user threads on one kernel thread (N:1) all stop when one of them
 * blocks in a system call, and cannot use a second CPU; one kernel thread
 * per user thread (1:1) and N user threads over M kernel threads (M:N) do
 * not have either problem. The kernel sees 1, N and M threads.
 *
 * The same N tasks run under three small runtimes in a child process:
 * N:1, a cooperative ucontext scheduler on the one thread; 1:1, a pthread
 * per task; M:N, M pthreads taking ucontext tasks from one shared queue.
 * Each task counts its progress in memory shared with pcbbench, which
 * watches the counters while task 0 blocks in read(2) on a pipe only
 * pcbbench writes, and reads the child's PCB for its thread count and CPU
 * time. The child's threads are counted by /proc/<pid>/status as well.
 */
#include <pthread.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <ucontext.h>
#include <unistd.h>

#include "textbook.h"

#define NR_TASKS   4 /* N */
#define NR_KTHREAD 2 /* M */
#define STACK_SIZE (64 * 1024)
#define WAIT_MS	   10000 /* bound on every wait for the child */

enum model {
	MODEL_N1,
	MODEL_11,
	MODEL_MN,
	NR_MODELS
};

static const char *const model_name[NR_MODELS] = { "N:1", "1:1", "M:N" };
static const int model_threads[NR_MODELS] = { 1, NR_TASKS, NR_KTHREAD };

struct models_shared {
	uint64_t progress[NR_TASKS];
	int entered; /* task 0 is about to block */
	int stop;
};

struct utask {
	ucontext_t uc;
	void *stack;
	int done;
};

static struct models_shared *sh;
static enum model cur_model;
static bool blocking;
static int block_fd;
static struct utask tasks[NR_TASKS];
/* Each kernel thread's scheduler, where a yielding task goes back to. */
static __thread ucontext_t sched_ctx;
static __thread struct utask *running;

/* Back to this kernel thread's scheduler; nothing to do under 1:1. */
static void __attribute__((noinline)) task_yield(void)
{
	struct utask *me = running;

	if (cur_model != MODEL_11)
		swapcontext(&me->uc, &sched_ctx);
}

static void work_chunk(void)
{
	volatile unsigned long x = 0;
	int i;

	for (i = 0; i < 20000; i++)
		x += i;
}

static void task_body(int id)
{
	char c;

	while (!__atomic_load_n(&sh->stop, __ATOMIC_RELAXED)) {
		/* after a few steps, so that every task has run by then */
		if (blocking && id == 0 && sh->progress[0] == 3) {
			__atomic_store_n(&sh->entered, 1, __ATOMIC_SEQ_CST);
			if (read(block_fd, &c, 1) != 1)
				_exit(1);
		}
		work_chunk();
		__atomic_fetch_add(&sh->progress[id], 1, __ATOMIC_RELAXED);
		task_yield();
	}
}

static void utask_entry(int id)
{
	task_body(id);
	tasks[id].done = 1;
	task_yield();
}

static int utask_make(int i)
{
	tasks[i].stack = malloc(STACK_SIZE);
	if (!tasks[i].stack || getcontext(&tasks[i].uc))
		return -1;
	tasks[i].uc.uc_stack.ss_sp = tasks[i].stack;
	tasks[i].uc.uc_stack.ss_size = STACK_SIZE;
	tasks[i].uc.uc_link = NULL;
	makecontext(&tasks[i].uc, (void (*)(void))utask_entry, 1, i);
	return 0;
}

static int utasks_make(void)
{
	int i;

	for (i = 0; i < NR_TASKS; i++)
		if (utask_make(i))
			return -1;
	return 0;
}

/* N:1: round robin over the tasks on the one thread, until all end. */
static void run_n1(void)
{
	int i, left = NR_TASKS;

	while (left)
		for (i = 0, left = 0; i < NR_TASKS; i++) {
			if (tasks[i].done)
				continue;
			running = &tasks[i];
			swapcontext(&sched_ctx, &tasks[i].uc);
			left += !tasks[i].done;
		}
}

static void *pthread_task(void *arg)
{
	task_body((int)(intptr_t)arg);
	return NULL;
}

/* 1:1: task 0 on the main thread, the others a pthread each. */
static void run_11(void)
{
	pthread_t th[NR_TASKS];
	int i;

	for (i = 1; i < NR_TASKS; i++)
		if (pthread_create(&th[i], NULL, pthread_task,
				   (void *)(intptr_t)i))
			_exit(1);
	task_body(0);
	for (i = 1; i < NR_TASKS; i++)
		pthread_join(th[i], NULL);
}

/* M:N: the runnable tasks in one queue that every kernel thread serves. */
static pthread_mutex_t mn_lock = PTHREAD_MUTEX_INITIALIZER;
static int mn_queue[NR_TASKS], mn_head, mn_len, mn_left = NR_TASKS;

static void *mn_kthread(void *arg)
{
	int id;

	for (;;) {
		pthread_mutex_lock(&mn_lock);
		if (!mn_left) {
			pthread_mutex_unlock(&mn_lock);
			return NULL;
		}
		if (!mn_len) {
			pthread_mutex_unlock(&mn_lock);
			sched_yield();
			continue;
		}
		id = mn_queue[mn_head];
		mn_head = (mn_head + 1) % NR_TASKS;
		mn_len--;
		pthread_mutex_unlock(&mn_lock);
		running = &tasks[id];
		swapcontext(&sched_ctx, &tasks[id].uc);
		pthread_mutex_lock(&mn_lock);
		if (tasks[id].done)
			mn_left--;
		else
			mn_queue[(mn_head + mn_len++) % NR_TASKS] = id;
		pthread_mutex_unlock(&mn_lock);
	}
}

static void run_mn(void)
{
	pthread_t th[NR_KTHREAD];
	int i;

	for (i = 0; i < NR_TASKS; i++)
		mn_queue[mn_len++] = i;
	for (i = 1; i < NR_KTHREAD; i++)
		if (pthread_create(&th[i], NULL, mn_kthread, NULL))
			_exit(1);
	mn_kthread(NULL);
	for (i = 1; i < NR_KTHREAD; i++)
		pthread_join(th[i], NULL);
}

static void child_main(enum model m)
{
	cur_model = m;
	if (m != MODEL_11 && utasks_make())
		_exit(1);
	if (m == MODEL_N1)
		run_n1();
	else if (m == MODEL_11)
		run_11();
	else
		run_mn();
	_exit(0);
}

/* What pcbbench saw of one model. */
struct model_seen {
	int threads_pcb, threads_status;
	uint64_t others_blocked; /* steps of tasks 1.. while task 0 blocked */
	uint64_t others_free;	 /* the same over a window with no block */
	bool resumed;		 /* task 0 ran again after the write */
	double cpus[TB_MAX_TRIALS];
	struct tb_fig cpu;
};

static bool wait_for(const int *flag)
{
	int i;

	for (i = 0; i < WAIT_MS; i++) {
		if (__atomic_load_n(flag, __ATOMIC_SEQ_CST))
			return true;
		usleep(1000);
	}
	return false;
}

static bool wait_progress(int id, uint64_t above)
{
	int i;

	for (i = 0; i < WAIT_MS; i++) {
		if (__atomic_load_n(&sh->progress[id], __ATOMIC_RELAXED) >
		    above)
			return true;
		usleep(1000);
	}
	return false;
}

static uint64_t others(void)
{
	uint64_t sum = 0;
	int i;

	for (i = 1; i < NR_TASKS; i++)
		sum += __atomic_load_n(&sh->progress[i], __ATOMIC_RELAXED);
	return sum;
}

static pid_t start_child(enum model m, bool block, int *wfd)
{
	int p[2];
	pid_t pid;

	memset(sh, 0, sizeof(*sh));
	if (pipe(p))
		return -1;
	blocking = block;
	pid = fork();
	if (!pid) {
		close(p[1]);
		block_fd = p[0];
		child_main(m);
	}
	close(p[0]);
	*wfd = p[1];
	return pid;
}

static int end_child(pid_t pid, int wfd)
{
	int status;

	__atomic_store_n(&sh->stop, 1, __ATOMIC_SEQ_CST);
	close(wfd); /* a task still in read(2) gets EOF and fails */
	if (waitpid(pid, &status, 0) != pid)
		return -1;
	return WIFEXITED(status) && !WEXITSTATUS(status) ? 0 : -1;
}

static void thread_counts(pid_t pid, struct model_seen *r)
{
	struct pcbstat_task t;

	r->threads_pcb = tb_pcb(pid, false, &t) ? -1 : (int)t.threads;
	r->threads_status = tb_status_threads(pid);
}

/*
 * Task 0 blocks in read(2); how far the others get in @window_ms, then
 * whether task 0 runs again once the byte is there.
 */
static int measure_block(enum model m, int window_ms, struct model_seen *r)
{
	uint64_t before, p0;
	int wfd;
	pid_t pid = start_child(m, true, &wfd);

	if (pid < 0)
		return -1;
	if (!wait_for(&sh->entered) || !wait_progress(1, 0)) {
		end_child(pid, wfd);
		return -1;
	}
	before = others();
	usleep(window_ms * 1000);
	r->others_blocked = others() - before;
	thread_counts(pid, r);
	p0 = __atomic_load_n(&sh->progress[0], __ATOMIC_RELAXED);
	r->resumed = write(wfd, "x", 1) == 1 && wait_progress(0, p0);
	before = others();
	usleep(window_ms * 1000);
	r->others_free = others() - before;
	return end_child(pid, wfd);
}

/* CPUs the process used in windows of @window_ms, from its PCB. */
static int measure_cpus(enum model m, int window_ms, int windows,
			struct model_seen *r)
{
	struct pcbstat_task a, b;
	uint64_t t0, t1;
	int wfd, i;
	pid_t pid = start_child(m, false, &wfd);

	if (pid < 0)
		return -1;
	for (i = 0; i < NR_TASKS; i++)
		if (!wait_progress(i, 0))
			goto fail;
	for (i = 0; i < windows; i++) {
		t0 = now_ns();
		if (tb_pcb(pid, false, &a))
			goto fail;
		usleep(window_ms * 1000);
		t1 = now_ns();
		if (tb_pcb(pid, false, &b))
			goto fail;
		r->cpus[i] = (double)(b.run_ns - a.run_ns) / (t1 - t0);
	}
	tb_fig_of(r->cpus, windows, &r->cpu);
	return end_child(pid, wfd);
fail:
	end_child(pid, wfd);
	return -1;
}

static void print_model(const struct tb_opts *o, enum model m,
			const struct model_seen *r, FILE *dat)
{
	if (o->json)
		printf("{\"part\":\"models\",\"model\":\"%s\",\"tasks\":%d,"
		       "\"threads_expected\":%d,\"threads_pcb\":%d,"
		       "\"threads_status\":%d,\"others_blocked\":%llu,"
		       "\"others_free\":%llu,\"resumed\":%s,\"cpus\":%.2f,"
		       "\"cpus_lo\":%.2f,\"cpus_hi\":%.2f}\n",
		       model_name[m], NR_TASKS, model_threads[m],
		       r->threads_pcb, r->threads_status,
		       (unsigned long long)r->others_blocked,
		       (unsigned long long)r->others_free,
		       r->resumed ? "true" : "false", r->cpu.p50, r->cpu.lo,
		       r->cpu.hi);
	else
		printf("%-5s %8d %8d %8d   %12llu %12llu %8s   %5.2f "
		       "(%.2f-%.2f)\n",
		       model_name[m], model_threads[m], r->threads_pcb,
		       r->threads_status, (unsigned long long)r->others_blocked,
		       (unsigned long long)r->others_free,
		       r->resumed ? "yes" : "NO", r->cpu.p50, r->cpu.lo,
		       r->cpu.hi);
	if (dat)
		fprintf(dat, "%s %llu %llu %.2f %.2f %.2f\n", model_name[m],
			(unsigned long long)r->others_blocked,
			(unsigned long long)r->others_free, r->cpu.p50,
			r->cpu.lo, r->cpu.hi);
}

static void verdicts(const struct tb_opts *o, const struct model_seen *r)
{
	const struct model_seen *n1 = &r[MODEL_N1], *k11 = &r[MODEL_11],
				*mn = &r[MODEL_MN];
	bool counts = true;
	char ev[200];
	int m;

	snprintf(ev, sizeof(ev),
		 "others' steps while task 0 blocked: N:1 %llu, 1:1 %llu, "
		 "M:N %llu",
		 (unsigned long long)n1->others_blocked,
		 (unsigned long long)k11->others_blocked,
		 (unsigned long long)mn->others_blocked);
	tb_verdict_plain(o,
			 "one blocking call stalls every user thread of "
			 "an N:1 process",
			 !n1->others_blocked && n1->others_free && n1->resumed,
			 ev);
	tb_verdict_plain(o,
			 "a blocking call does not stall the others "
			 "under 1:1 and M:N",
			 k11->others_blocked && mn->others_blocked, ev);
	snprintf(ev, sizeof(ev), "CPUs used: N:1 %.2f, 1:1 %.2f, M:N %.2f",
		 n1->cpu.p50, k11->cpu.p50, mn->cpu.p50);
	/*
	 * Medians: with 3-5 windows the interval is nearly the whole range,
	 * and one window in which the host took a vCPU away decides nothing.
	 */
	tb_verdict_plain(o, "N:1 cannot use a second CPU; 1:1 and M:N can",
			 n1->cpu.p50 <= 1.05 && k11->cpu.p50 > 1.3 &&
				 mn->cpu.p50 > 1.3,
			 ev);
	for (m = 0; m < NR_MODELS; m++)
		counts &= r[m].threads_pcb == model_threads[m] &&
			  r[m].threads_status == model_threads[m];
	snprintf(ev, sizeof(ev),
		 "PCB threads %d / %d / %d, /proc status %d / %d / %d",
		 n1->threads_pcb, k11->threads_pcb, mn->threads_pcb,
		 n1->threads_status, k11->threads_status, mn->threads_status);
	tb_verdict_plain(o, "the kernel sees 1 / N / M threads", counts, ev);
}

int tb_models(const struct tb_opts *o)
{
	struct model_seen r[NR_MODELS] = { 0 };
	int window = o->quick ? 150 : 300, windows = o->quick ? 3 : 5, m;
	FILE *dat = tb_dat(o, "textbook-models.dat");

	sh = mmap(NULL, sizeof(*sh), PROT_READ | PROT_WRITE,
		  MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (sh == MAP_FAILED)
		return 1;
	if (!o->json)
		printf("\n== 3. thread models: %d tasks, M = %d; task 0 blocks "
		       "in read(2) for %d ms\n%-5s %8s %8s %8s   %12s %12s %8s "
		       "  %s\n",
		       NR_TASKS, NR_KTHREAD, window, "model", "threads", "PCB",
		       "status", "others/block", "others/free", "resumed",
		       "CPUs used (PCB run time / wall)");
	if (dat)
		fprintf(dat, "# model others_blocked others_free cpus lo hi\n");
	for (m = 0; m < NR_MODELS; m++) {
		if (measure_block(m, window, &r[m]) ||
		    measure_cpus(m, window, windows, &r[m])) {
			fprintf(stderr,
				"pcbbench textbook: models: %s runtime "
				"failed\n",
				model_name[m]);
			munmap(sh, sizeof(*sh));
			return 1;
		}
		print_model(o, m, &r[m], dat);
	}
	if (dat)
		fclose(dat);
	verdicts(o, r);
	munmap(sh, sizeof(*sh));
	return 0;
}
