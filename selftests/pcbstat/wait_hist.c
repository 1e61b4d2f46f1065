// SPDX-License-Identifier: GPL-2.0
/*
 * The runqueue-wait histogram (ABI VER1) of a child forked after load,
 * whose threads share CPU 0: a spinner, a nice-19 spinner starved by it,
 * a sleeper that waits briefly after each wakeup, and a thread that exits
 * early (its waits fold into the process).
 *  - live, read again and again: every thread's and the process's bucket
 *    counts add up to its dispatches;
 *  - stopped: each thread's waits (wait_hist_sum_ns) are its run_delay
 *    (wait_ns), and the buckets' bounds bracket it: the sum of their lower
 *    bounds is at most wait_ns, that of their upper bounds at least;
 *  - a VER0 caller (entry_size 224) gets the first 224 bytes of the same
 *    record and nothing written past them, from GET, LIST and EXITED; the
 *    exited record's histogram counts the process's dispatches too.
 */
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>

#include "pcbstat.h"
#include "pcbstat_test.h"

enum role {
	SPINNER,
	STARVED,
	SLEEPER,
	SHORT,
	NR_ROLES
};

static const char *const role_names[] = { "spinner", "starved", "sleeper",
					  "short" };

struct shared {
	_Atomic int tid[NR_ROLES];
	_Atomic int short_done;
};

static struct shared *sh;
static int dev;
static pid_t child;

static void cleanup(void)
{
	if (child > 0) {
		kill(child, SIGKILL);
		waitpid(child, NULL, 0);
		child = 0;
	}
}

static void *spin(void *arg)
{
	enum role r = (enum role)(intptr_t)arg;

	if (r == STARVED && setpriority(PRIO_PROCESS, 0, 19))
		_exit(3);
	atomic_store(&sh->tid[r], (int)syscall(SYS_gettid));
	for (;;)
		;
	return NULL;
}

static void *sleeper(void *arg)
{
	struct timespec ts = { 0, 300000 };
	enum role r = (enum role)(intptr_t)arg;
	int i;

	atomic_store(&sh->tid[r], (int)syscall(SYS_gettid));
	for (i = 0; r != SHORT || i < 50; i++)
		nanosleep(&ts, NULL);
	atomic_store(&sh->short_done, 1);
	return NULL;
}

static void child_main(void)
{
	pthread_t t;
	int r;

	pin_cpu0();
	for (r = 0; r < NR_ROLES; r++)
		if (pthread_create(&t, NULL,
				   r == SPINNER || r == STARVED ? spin
								: sleeper,
				   (void *)(intptr_t)r))
			_exit(2);
	for (;;)
		pause();
}

static int get(int pid, bool thread, uint32_t entry_size, void *out)
{
	struct pcbstat_get g = {
		.size = sizeof(g),
		.flags = thread ? PCBSTAT_GET_THREAD : 0,
		.pid = pid,
		.entry_size = entry_size,
		.out = (uintptr_t)out,
	};

	return ioctl(dev, PCBSTAT_IOC_GET, &g);
}

static void get_or_die(int pid, bool thread, struct pcbstat_task *t)
{
	if (get(pid, thread, sizeof(*t), t))
		die("GET %s %d: %s", thread ? "thread" : "process", pid,
		    strerror(errno));
}

static uint64_t hist_count(const struct pcbstat_task *t)
{
	uint64_t n = 0;
	int i;

	for (i = 0; i < PCBSTAT_WAIT_HIST_BUCKETS; i++)
		n += t->wait_hist[i];
	return n;
}

static void print_hist(const char *what, const struct pcbstat_task *t)
{
	int i;

	printf("%-8s dispatches %llu wait_ns %llu hist", what,
	       (unsigned long long)t->dispatches,
	       (unsigned long long)t->wait_ns);
	for (i = 0; i < PCBSTAT_WAIT_HIST_BUCKETS; i++)
		printf("%c%llu", i ? ',' : ' ',
		       (unsigned long long)t->wait_hist[i]);
	putchar('\n');
}

static void check_count(const char *what, const struct pcbstat_task *t)
{
	KSFT_CHECK(hist_count(t) == t->dispatches,
		   "%s: histogram counts %llu waits, dispatches %llu", what,
		   (unsigned long long)hist_count(t),
		   (unsigned long long)t->dispatches);
}

/* Bucket b's bounds in ns; the last bucket has no upper bound. */
static uint64_t lower_ns(int b)
{
	return b ? 1ULL << (PCBSTAT_WAIT_HIST_SHIFT + b - 1) : 0;
}

static uint64_t upper_ns(int b)
{
	return b == PCBSTAT_WAIT_HIST_BUCKETS - 1
		       ? UINT64_MAX
		       : 1ULL << (PCBSTAT_WAIT_HIST_SHIFT + b);
}

static uint64_t sat_add(uint64_t a, uint64_t b)
{
	return a > UINT64_MAX - b ? UINT64_MAX : a + b;
}

static void check_bracket(const char *what, const struct pcbstat_task *t)
{
	uint64_t lo = 0, hi = 0;
	int b;

	for (b = 0; b < PCBSTAT_WAIT_HIST_BUCKETS; b++) {
		if (!t->wait_hist[b])
			continue;
		lo += t->wait_hist[b] * lower_ns(b);
		hi = b == PCBSTAT_WAIT_HIST_BUCKETS - 1
			     ? UINT64_MAX
			     : sat_add(hi, t->wait_hist[b] * upper_ns(b));
	}
	KSFT_CHECK(lo <= t->wait_ns && t->wait_ns <= hi,
		   "%s: buckets bracket [%llu, %llu] ns, wait_ns %llu", what,
		   (unsigned long long)lo, (unsigned long long)hi,
		   (unsigned long long)t->wait_ns);
	KSFT_CHECK(t->wait_hist_sum_ns == t->wait_ns,
		   "%s: wait_hist_sum_ns %llu, wait_ns %llu", what,
		   (unsigned long long)t->wait_hist_sum_ns,
		   (unsigned long long)t->wait_ns);
	printf("%s: %llu <= wait_ns %llu <= %llu\n", what,
	       (unsigned long long)lo, (unsigned long long)t->wait_ns,
	       (unsigned long long)hi);
}

static double elapsed(const struct timespec *t0)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec - t0->tv_sec + (t.tv_nsec - t0->tv_nsec) / 1e9;
}

/* Until every thread has dispatches to count and the short one is gone. */
static void wait_for_waits(void)
{
	struct timespec t0, pause = { 0, 10000000 };
	struct pcbstat_task t;
	int r, ready;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	do {
		if (elapsed(&t0) > 60)
			die("the child's threads never got going");
		nanosleep(&pause, NULL);
		ready = atomic_load(&sh->short_done);
		for (r = 0; r < NR_ROLES && ready; r++) {
			if (r == SHORT)
				continue;
			if (!atomic_load(&sh->tid[r]) ||
			    get(atomic_load(&sh->tid[r]), true, sizeof(t), &t))
				ready = 0;
			else if (t.dispatches < 20)
				ready = 0;
		}
	} while (!ready);
	/* The short thread's exit: its tid gone, its figures folded. */
	while (!get(atomic_load(&sh->tid[SHORT]), true, sizeof(t), &t)) {
		if (elapsed(&t0) > 60)
			die("the short thread never exited");
		nanosleep(&pause, NULL);
	}
}

static void check_live(void)
{
	struct pcbstat_task t;
	int i, r;

	for (i = 0; i < 200; i++) {
		for (r = 0; r < NR_ROLES; r++) {
			if (r == SHORT)
				continue;
			get_or_die(atomic_load(&sh->tid[r]), true, &t);
			check_count(role_names[r], &t);
		}
		get_or_die(child, false, &t);
		check_count("process", &t);
	}
	printf("live: counts equal dispatches over 200 reads\n");
}

static void check_stopped(void)
{
	struct pcbstat_task t, p;
	uint64_t live[PCBSTAT_WAIT_HIST_BUCKETS] = { 0 };
	int status, r, b;

	if (kill(child, SIGSTOP) ||
	    waitpid(child, &status, WUNTRACED) != child || !WIFSTOPPED(status))
		die("child %d did not stop", child);
	for (r = 0; r < NR_ROLES; r++) {
		if (r == SHORT)
			continue;
		get_or_die(atomic_load(&sh->tid[r]), true, &t);
		KSFT_CHECK(t.size == PCBSTAT_TASK_SIZE_VER1 &&
				   t.wait_hist_shift ==
					   PCBSTAT_WAIT_HIST_SHIFT &&
				   t.wait_hist_buckets ==
					   PCBSTAT_WAIT_HIST_BUCKETS,
			   "%s: size %u shift %u buckets %u", role_names[r],
			   t.size, t.wait_hist_shift, t.wait_hist_buckets);
		print_hist(role_names[r], &t);
		check_count(role_names[r], &t);
		check_bracket(role_names[r], &t);
		for (b = 0; b < PCBSTAT_WAIT_HIST_BUCKETS; b++)
			live[b] += t.wait_hist[b];
	}
	get_or_die(child, false, &p);
	print_hist("process", &p);
	check_count("process", &p);
	/* The process adds the short thread's waits to its live threads'. */
	for (b = 0; b < PCBSTAT_WAIT_HIST_BUCKETS; b++)
		KSFT_CHECK(p.wait_hist[b] >= live[b],
			   "process bucket %d: %llu < its threads' %llu", b,
			   (unsigned long long)p.wait_hist[b],
			   (unsigned long long)live[b]);
	KSFT_CHECK(p.wait_hist_sum_ns >= p.wait_ns,
		   "process: sum %llu, wait_ns of its live threads %llu",
		   (unsigned long long)p.wait_hist_sum_ns,
		   (unsigned long long)p.wait_ns);
}

/* A VER0 caller gets the VER1 record's first 224 bytes, and no more. */
static void check_ver0_get(void)
{
	static unsigned char buf[1024], want[1024];
	static const size_t moving[] = {
		offsetof(struct pcbstat_task, ready_ns),
		offsetof(struct pcbstat_task, running_ns),
		offsetof(struct pcbstat_task, blocked_ns),
		offsetof(struct pcbstat_task, turnaround_ns),
	};
	size_t i;

	if (offsetof(struct pcbstat_task, wait_hist_sum_ns) !=
		    PCBSTAT_TASK_SIZE_VER0 ||
	    sizeof(struct pcbstat_task) != PCBSTAT_TASK_SIZE_VER1)
		die("uapi layout: VER1 fields at %zu, struct %zu bytes",
		    offsetof(struct pcbstat_task, wait_hist_sum_ns),
		    sizeof(struct pcbstat_task));
	if (get(child, false, PCBSTAT_TASK_SIZE_VER1, want))
		die("GET VER1: %s", strerror(errno));
	memset(buf, 0xa5, sizeof(buf));
	if (get(child, false, PCBSTAT_TASK_SIZE_VER0, buf))
		die("GET VER0: %s", strerror(errno));
	/*
	 * The child is stopped, but the times of its states and life run on
	 * to the moment of each read.
	 */
	for (i = 0; i < sizeof(moving) / sizeof(moving[0]); i++)
		memcpy(buf + moving[i], want + moving[i], 8);
	for (i = 0; i < PCBSTAT_TASK_SIZE_VER0; i++)
		if (buf[i] != want[i])
			break;
	KSFT_CHECK(i == PCBSTAT_TASK_SIZE_VER0,
		   "GET VER0: byte %zu differs from VER1's record", i);
	for (i = PCBSTAT_TASK_SIZE_VER0; i < sizeof(buf); i++)
		if (buf[i] != 0xa5)
			break;
	KSFT_CHECK(i == sizeof(buf), "GET VER0: byte %zu written", i);
	/* Between versions: cut there, not rounded to a version. */
	memset(buf, 0xa5, sizeof(buf));
	if (get(child, false, PCBSTAT_TASK_SIZE_VER0 + 40, buf))
		die("GET VER0 + 40: %s", strerror(errno));
	for (i = PCBSTAT_TASK_SIZE_VER0 + 40; i < sizeof(buf); i++)
		if (buf[i] != 0xa5)
			break;
	KSFT_CHECK(i == sizeof(buf), "GET 264 bytes: byte %zu written", i);
	KSFT_CHECK(!memcmp(buf + PCBSTAT_TASK_SIZE_VER0,
			   want + PCBSTAT_TASK_SIZE_VER0, 40),
		   "GET 264 bytes: the VER1 head differs");
	printf("GET VER0: 224 bytes, the same as VER1's, nothing past\n");
}

/* LIST at VER0's stride finds the child with the same figures. */
static void check_ver0_list(void)
{
	enum {
		ROOM = 64
	};
	static unsigned char buf[(ROOM + 1) * PCBSTAT_TASK_SIZE_VER0];
	struct pcbstat_list l = {
		.size = sizeof(l),
		.next_pid = child,
		.count = ROOM,
		.entry_size = PCBSTAT_TASK_SIZE_VER0,
		.buf = (uintptr_t)buf,
	};
	struct pcbstat_task want;
	const struct pcbstat_task *t = (const void *)buf;
	size_t i;

	get_or_die(child, false, &want);
	memset(buf, 0xa5, sizeof(buf));
	if (ioctl(dev, PCBSTAT_IOC_LIST, &l))
		die("LIST VER0: %s", strerror(errno));
	KSFT_CHECK(l.count >= 1 && t->pid == child &&
			   t->dispatches == want.dispatches &&
			   !strcmp(t->comm, want.comm),
		   "LIST VER0: first record pid %d dispatches %llu, want %d "
		   "%llu",
		   t->pid, (unsigned long long)t->dispatches, child,
		   (unsigned long long)want.dispatches);
	for (i = (size_t)l.count * PCBSTAT_TASK_SIZE_VER0; i < sizeof(buf); i++)
		if (buf[i] != 0xa5)
			break;
	KSFT_CHECK(i == sizeof(buf), "LIST VER0: byte %zu written", i);
	printf("LIST VER0: %u records at 224 bytes each\n", l.count);
}

static int exited_find(uint32_t entry_size, unsigned char *buf, size_t room,
		       const struct pcbstat_task **out)
{
	struct pcbstat_exited x = {
		.size = sizeof(x),
		.count = room / entry_size,
		.entry_size = entry_size,
		.buf = (uintptr_t)buf,
	};
	unsigned int i;

	if (ioctl(dev, PCBSTAT_IOC_EXITED, &x))
		die("EXITED: %s", strerror(errno));
	for (i = 0; i < x.count; i++) {
		const struct pcbstat_task *t =
			(const void *)(buf + (size_t)i * entry_size);

		if (t->pid == child) {
			*out = t;
			return 1;
		}
	}
	return 0;
}

static void check_exited(void)
{
	static unsigned char b1[64 * PCBSTAT_TASK_SIZE_VER1],
		b0[64 * PCBSTAT_TASK_SIZE_VER0];
	struct timespec t0, pause = { 0, 10000000 };
	const struct pcbstat_task *t1, *t0r;

	kill(child, SIGKILL);
	waitpid(child, NULL, 0);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	while (!exited_find(PCBSTAT_TASK_SIZE_VER1, b1, sizeof(b1), &t1)) {
		if (elapsed(&t0) > 30)
			die("child %d never reached the exited ring", child);
		nanosleep(&pause, NULL);
	}
	print_hist("exited", t1);
	check_count("exited", t1);
	if (!exited_find(PCBSTAT_TASK_SIZE_VER0, b0, sizeof(b0), &t0r))
		die("EXITED VER0: child %d missing", child);
	KSFT_CHECK(!memcmp(t0r, t1, PCBSTAT_TASK_SIZE_VER0),
		   "EXITED VER0: the first 224 bytes differ from VER1's");
	child = 0;
}

int main(void)
{
	module_load();
	ksft_cleanup = cleanup;
	dev = open(PCBSTAT_DEVICE, O_RDONLY);
	if (dev < 0)
		die("open %s: %s", PCBSTAT_DEVICE, strerror(errno));
	sh = mmap(NULL, sizeof(*sh), PROT_READ | PROT_WRITE,
		  MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (sh == MAP_FAILED)
		die("mmap");
	child = fork();
	if (child < 0)
		die("fork");
	if (!child) {
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		child_main();
	}
	wait_for_waits();
	KSFT_CASE("live counts", check_live());
	KSFT_CASE("stopped bracket", check_stopped());
	KSFT_CASE("VER0 GET", check_ver0_get());
	KSFT_CASE("VER0 LIST", check_ver0_list());
	KSFT_CASE("exited", check_exited());
	close(dev);
	module_unload();
	return ksft_exit();
}
