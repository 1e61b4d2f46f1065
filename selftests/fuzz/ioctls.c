// SPDX-License-Identifier: GPL-2.0
/*
 * A structure-aware fuzzer of /dev/pcbmq and /dev/pcbstat. Every call is
 * one of the ABI's commands with its struct filled in: sizes short, long
 * (zero tail or not) and huge; reserved fields set; flags, counts, ids,
 * types, pids and timeouts plausible or wrong; pointers good, NULL,
 * unmapped, read-only, straddling a page end or into the kernel. Several
 * processes, some as root and some as nobody, with two threads each, call
 * at once while another process creates, fills and removes queues and a
 * fork storm fills the exited ring; every thread takes a timer signal
 * every few milliseconds, which also ends any call left to block.
 *
 * Each call's errno must be one Documentation/ gives for its command: an
 * undocumented one fails the test, with the call that produced it. Every
 * command must succeed at least once (the fuzzer reaches the handlers,
 * not only the argument checks). Afterwards every queue is removed,
 * mem_used and spares return to 0, and both devices still answer.
 *
 * SELFTEST_FUZZ_CALLS sets the number of calls (default 100000;
 * make check-full 1000000), SELFTEST_FUZZ_SEED the seed.
 * timeout: 300
 */
#include <fcntl.h>
#include <grp.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <time.h>

#include "fuzz_pcbmq.h"
#include "fuzz_pcbstat.h"

#define WORKERS	    4 /* processes; the odd ones run as nobody */
#define THREADS	    2 /* per worker */
#define NOBODY	    65534
#define QUEUES_KEPT 48 /* the churner trims /proc/pcbmq to this */
#define NR_CMDS	    (NR_MQ_CMDS + NR_ST_CMDS)

/* Everything the processes share, in one MAP_SHARED mapping. */
struct shared {
	unsigned long target, issued;
	int stop;
	struct fuzz_pool pool;
	struct fuzz_tally tally[NR_CMDS];
	int nr_examples;
	struct fuzz_example examples[FUZZ_MAX_EXAMPLE];
};

static struct shared *sh;
static uint64_t seed;
static char *ro_page;

static const struct fuzz_cmd *cmd_of(int i)
{
	return i < NR_MQ_CMDS ? &mq_cmds[i] : &st_cmds[i - NR_MQ_CMDS];
}

static void on_tick(int sig)
{
}

/* A signal to this thread every 2-10 ms: EINTR for anything blocked. */
static void start_ticks(struct fuzz_rng *r)
{
	struct sigevent ev = { .sigev_notify = SIGEV_THREAD_ID,
			       .sigev_signo = SIGRTMIN };
	long ns = 2000000 + fuzz_below(r, 8000000);
	struct itimerspec its = { { 0, ns }, { 0, ns } };
	timer_t t;

	ev._sigev_un._tid = gettid();
	if (timer_create(CLOCK_MONOTONIC, &ev, &t) ||
	    timer_settime(t, 0, &its, NULL))
		die("timer: %s", strerror(errno));
}

/*
 * A 32-bit caller's pointer field wider than 32 bits is refused with
 * EINVAL right after the struct is read (or the read itself fails): any
 * other answer means the device went on with the field truncated.
 */
static bool wide_refused(long ret, int err)
{
	return ret < 0 && (err == EINVAL || err == EFAULT || err == E2BIG);
}

static void keep_example(const struct fuzz_call *k, long ret, int err)
{
	int slot = __atomic_fetch_add(&sh->nr_examples, 1, __ATOMIC_RELAXED);
	struct fuzz_example *x;

	if (slot >= FUZZ_MAX_EXAMPLE)
		return;
	x = &sh->examples[slot];
	x->cmd = k->cmd;
	x->err = err;
	x->size = k->size;
	x->ret = ret;
	x->wide = k->wide;
	snprintf(x->what, sizeof(x->what), "%s", k->what);
}

static void record(const struct fuzz_call *k, long ret, int err)
{
	struct fuzz_tally *t = &sh->tally[k->cmd];

	__atomic_add_fetch(&t->calls, 1, __ATOMIC_RELAXED);
	if (k->wide) {
		__atomic_add_fetch(&t->wide, 1, __ATOMIC_RELAXED);
		if (!wide_refused(ret, err)) {
			__atomic_add_fetch(&t->wide_passed, 1,
					   __ATOMIC_RELAXED);
			keep_example(k, ret, err);
		}
	}
	if (ret >= 0) {
		__atomic_add_fetch(&t->ok, 1, __ATOMIC_RELAXED);
		return;
	}
	if (err < FUZZ_MAX_ERRNO)
		__atomic_add_fetch(&t->by_errno[err], 1, __ATOMIC_RELAXED);
	if (fuzz_documented(cmd_of(k->cmd), err))
		return;
	__atomic_add_fetch(&t->undocumented, 1, __ATOMIC_RELAXED);
	keep_example(k, ret, err);
}

/* WATCH binds its file: a fresh one now and then, else the shared one. */
static long call_watch(struct fuzz_ctx *c, const struct fuzz_call *k)
{
	long ret;
	int fd, err;

	if (fuzz_chance(&c->rng, 70))
		return ioctl(c->mq_fd, k->nr, k->arg);
	fd = open(PCBMQ_DEVICE, O_RDWR | O_CLOEXEC);
	if (fd < 0)
		die("open %s: %s", PCBMQ_DEVICE, strerror(errno));
	ret = ioctl(fd, k->nr, k->arg);
	err = errno;
	close(fd);
	errno = err;
	return ret;
}

static void one_call(struct fuzz_ctx *c)
{
	struct fuzz_call k = { 0 };
	long ret;

	c->clean = fuzz_chance(&c->rng, 50);
	c->wide = false;
	if (fuzz_chance(&c->rng, 70)) {
		mq_generate(c, &k);
		/* An unknown command is refused before its argument is read. */
		k.wide = c->wide && k.cmd != MQ_OTHER;
		if (k.cmd == MQ_WATCH)
			ret = call_watch(c, &k);
		else
			ret = ioctl(c->mq_fd, k.nr, k.arg);
		if (k.cmd == MQ_GET && ret >= 0)
			fuzz_pool_put_id(c, (int)ret);
	} else {
		st_generate(c, &k);
		k.cmd += NR_MQ_CMDS;
		ret = ioctl(c->stat_fd, k.nr, k.arg);
	}
	record(&k, ret, ret < 0 ? errno : 0);
}

static void *fuzz_thread(void *arg)
{
	struct fuzz_ctx *c = arg;

	start_ticks(&c->rng);
	while (__atomic_fetch_add(&sh->issued, 1, __ATOMIC_RELAXED) <
	       sh->target)
		one_call(c);
	return NULL;
}

static void drop_to_nobody(void)
{
	if (setgroups(0, NULL) || setresgid(NOBODY, NOBODY, NOBODY) ||
	    setresuid(NOBODY, NOBODY, NOBODY))
		die("drop to nobody: %s", strerror(errno));
}

static void worker(int n)
{
	static struct fuzz_ctx ctx[THREADS];
	pthread_t tids[THREADS];
	int i, mq_fd, stat_fd;

	if (n & 1)
		drop_to_nobody();
	mq_fd = open(PCBMQ_DEVICE, O_RDWR | O_CLOEXEC);
	stat_fd = open(PCBSTAT_DEVICE, O_RDONLY | O_CLOEXEC);
	if (mq_fd < 0 || stat_fd < 0)
		die("worker %d: open: %s", n, strerror(errno));
	ro_page = fuzz_ro_page();
	for (i = 0; i < THREADS; i++) {
		ctx[i].rng.s = seed + 1000003ULL * (n * THREADS + i + 1);
		fuzz_arena_init(&ctx[i].arena, ro_page);
		ctx[i].pool = &sh->pool;
		ctx[i].mq_fd = mq_fd;
		ctx[i].stat_fd = stat_fd;
		if (pthread_create(&tids[i], NULL, fuzz_thread, &ctx[i]))
			die("pthread_create");
	}
	for (i = 0; i < THREADS; i++)
		pthread_join(tids[i], NULL);
	_exit(0);
}

static long mq_call(int fd, unsigned long nr, void *arg)
{
	return ioctl(fd, nr, arg);
}

static int mq_get(int fd, int key, int flags)
{
	struct pcbmq_get g = { sizeof(g), key, flags, 0 };

	return mq_call(fd, PCBMQ_IOC_GET, &g);
}

static int mq_rmid(int fd, int id)
{
	struct pcbmq_ctl c = { .size = sizeof(c),
			       .msqid = id,
			       .cmd = IPC_RMID };

	return mq_call(fd, PCBMQ_IOC_CTL, &c);
}

/* The ids /proc/pcbmq lists (as root: all of them); how many. */
static int proc_ids(int *ids, int max)
{
	FILE *f = fopen("/proc/pcbmq", "r");
	char line[512];
	int n = 0, key, id;

	if (!f)
		return -1;
	if (!fgets(line, sizeof(line), f))
		line[0] = '\0';
	while (n < max && fgets(line, sizeof(line), f))
		if (sscanf(line, "%d %d", &key, &id) == 2)
			ids[n++] = id;
	fclose(f);
	return n;
}

static bool in_pool(int id)
{
	int i;

	for (i = 0; i < FUZZ_POOL; i++)
		if (__atomic_load_n(&sh->pool.ids[i], __ATOMIC_RELAXED) == id)
			return true;
	return false;
}

/*
 * Queues made and removed under the workers, some with messages queued,
 * and the total kept in bounds so that IPC_PRIVATE gets do not fill the
 * id space.
 */
static void churner(void)
{
	struct {
		long mtype;
		char text[64];
	} m = { 1, "churn" };
	struct fuzz_ctx c = { .rng.s = seed ^ 0xc4c4, .pool = &sh->pool };
	int fd = open(PCBMQ_DEVICE, O_RDWR | O_CLOEXEC), ids[512];
	int i, n, left, id, round = 0;

	if (fd < 0)
		die("churner: open: %s", strerror(errno));
	while (!__atomic_load_n(&sh->stop, __ATOMIC_RELAXED)) {
		id = mq_get(fd, IPC_PRIVATE, 0666);
		if (id >= 0) {
			struct pcbmq_snd s = { .size = sizeof(s),
					       .msqid = id,
					       .msgp = (uintptr_t)&m,
					       .msgsz = 1 + round % 60,
					       .msgflg = IPC_NOWAIT };

			for (i = 0; i < 3; i++)
				mq_call(fd, PCBMQ_IOC_SND, &s);
			fuzz_pool_put_id(&c, id);
		}
		if (fuzz_chance(&c.rng, 40))
			mq_rmid(fd, fuzz_pool_id(&c));
		if (++round % 16)
			continue;
		/* Mostly the ones the workers cannot name any more. */
		n = proc_ids(ids, 512);
		left = n;
		for (i = 0; i < n && left > QUEUES_KEPT; i++)
			if ((!in_pool(ids[i]) || fuzz_chance(&c.rng, 10)) &&
			    !mq_rmid(fd, ids[i]))
				left--;
	}
	_exit(0);
}

/* Short-lived tasks for the exited ring and for pids that go stale. */
static void storm(void)
{
	struct fuzz_ctx c = { .rng.s = seed ^ 0x5707, .pool = &sh->pool };
	pid_t pid;

	while (!__atomic_load_n(&sh->stop, __ATOMIC_RELAXED)) {
		pid = fork();
		if (pid < 0)
			die("storm: fork: %s", strerror(errno));
		if (!pid)
			_exit(0);
		__atomic_store_n(&sh->pool.pids[fuzz_below(&c.rng, FUZZ_POOL)],
				 pid, __ATOMIC_RELAXED);
		waitpid(pid, NULL, 0);
	}
	_exit(0);
}

static pid_t spawn(void (*fn)(void))
{
	pid_t pid = fork();

	if (pid < 0)
		die("fork: %s", strerror(errno));
	if (!pid)
		fn();
	return pid;
}

static void report(void)
{
	int i, e;

	for (i = 0; i < NR_CMDS; i++) {
		const struct fuzz_tally *t = &sh->tally[i];

		printf("# %-16s %7lu calls %7lu ok", cmd_of(i)->name, t->calls,
		       t->ok);
		for (e = 1; e < FUZZ_MAX_ERRNO; e++)
			if (t->by_errno[e])
				printf(" %s:%lu", strerrorname_np(e),
				       t->by_errno[e]);
		printf("\n");
	}
	for (i = 0; i < sh->nr_examples && i < FUZZ_MAX_EXAMPLE; i++) {
		const struct fuzz_example *x = &sh->examples[i];

		printf("# %s: %s -> %s (size %u: %s)\n",
		       x->wide ? "wide pointer not refused" : "undocumented",
		       cmd_of(x->cmd)->name,
		       x->ret >= 0 ? "success" : strerrorname_np(x->err),
		       x->size, x->what);
	}
}

static void check_calls(void)
{
	unsigned long total = 0, undocumented = 0, wide = 0, passed = 0;
	int i;

	for (i = 0; i < NR_CMDS; i++) {
		const struct fuzz_tally *t = &sh->tally[i];

		total += t->calls;
		undocumented += t->undocumented;
		wide += t->wide;
		passed += t->wide_passed;
		/* The unknown commands have nothing to succeed at. */
		if (i != MQ_OTHER && i != NR_MQ_CMDS + ST_OTHER && !t->ok)
			KSFT_CHECK(0,
				   "%s never succeeded: the fuzzer does "
				   "not reach its handler",
				   cmd_of(i)->name);
	}
	KSFT_CHECK(total >= sh->target, "%lu calls made of %lu", total,
		   sh->target);
	KSFT_CHECK(!undocumented, "%lu calls gave an undocumented errno",
		   undocumented);
	if (UINTPTR_MAX != UINT32_MAX)
		return;
	printf("# %lu calls had a pointer wider than 32 bits\n", wide);
	KSFT_CHECK(wide > 0, "no call had a pointer wider than 32 bits");
	KSFT_CHECK(!passed, "%lu of them were not refused", passed);
}

/* Every queue removed: the memory counters must come back to zero. */
static void check_cleanup(void)
{
	int fd = open(PCBMQ_DEVICE, O_RDWR | O_CLOEXEC), ids[4096];
	long used = -1, spares = -1;
	int i, n, tries;

	if (fd < 0)
		die("open %s: %s", PCBMQ_DEVICE, strerror(errno));
	for (tries = 0; tries < 10; tries++) {
		n = proc_ids(ids, 4096);
		if (n <= 0)
			break;
		for (i = 0; i < n; i++)
			mq_rmid(fd, ids[i]);
	}
	close(fd);
	KSFT_CHECK(proc_ids(ids, 4096) == 0, "queues left in /proc/pcbmq");
	/* Freeing may wait for RCU: bounded, 5 s. */
	for (tries = 0; tries < 500; tries++) {
		used = module_param_long("mem_used");
		spares = module_param_long("spares");
		if (!used && spares <= 0)
			break;
		usleep(10000);
	}
	KSFT_CHECK(used == 0, "mem_used %ld with no queue left", used);
	KSFT_CHECK(spares <= 0, "spares %ld with no queue left", spares);
}

/* Both devices still do their job. */
static void check_alive(void)
{
	struct {
		long mtype;
		char text[16];
	} out = { 7, "still here" }, in = { 0 };
	struct pcbstat_task rec = { 0 };
	struct pcbstat_get g = { .size = sizeof(g),
				 .pid = getpid(),
				 .entry_size = sizeof(rec),
				 .out = (uintptr_t)&rec };
	int mq = open(PCBMQ_DEVICE, O_RDWR | O_CLOEXEC);
	int st = open(PCBSTAT_DEVICE, O_RDONLY | O_CLOEXEC);
	int id = mq_get(mq, IPC_PRIVATE, 0600);
	struct pcbmq_snd s = { .size = sizeof(s),
			       .msqid = id,
			       .msgp = (uintptr_t)&out,
			       .msgsz = 11 };
	struct pcbmq_rcv r = { .size = sizeof(r),
			       .msqid = id,
			       .msgp = (uintptr_t)&in,
			       .msgsz = 16,
			       .msgflg = IPC_NOWAIT };

	KSFT_CHECK(id >= 0, "GET after the run: %s", strerror(errno));
	KSFT_CHECK(mq_call(mq, PCBMQ_IOC_SND, &s) == 0, "SND after the run");
	KSFT_CHECK(mq_call(mq, PCBMQ_IOC_RCV, &r) == 11 && in.mtype == 7 &&
			   !strcmp(in.text, "still here"),
		   "RCV after the run");
	KSFT_CHECK(mq_rmid(mq, id) == 0, "RMID after the run");
	KSFT_CHECK(ioctl(st, PCBSTAT_IOC_GET, &g) == 0 && rec.pid == getpid(),
		   "pcbstat GET after the run: %s", strerror(errno));
	close(mq);
	close(st);
}

static void run(void)
{
	pid_t workers[WORKERS], churn, storming;
	int i, status, crashed = 0;

	churn = spawn(churner);
	storming = spawn(storm);
	for (i = 0; i < WORKERS; i++) {
		workers[i] = fork();
		if (workers[i] < 0)
			die("fork: %s", strerror(errno));
		if (!workers[i])
			worker(i);
	}
	for (i = 0; i < WORKERS; i++) {
		waitpid(workers[i], &status, 0);
		if (!WIFEXITED(status) || WEXITSTATUS(status)) {
			printf("# worker %d ended with status %#x\n", i,
			       status);
			crashed++;
		}
	}
	__atomic_store_n(&sh->stop, 1, __ATOMIC_RELAXED);
	waitpid(churn, NULL, 0);
	waitpid(storming, NULL, 0);
	KSFT_CHECK(!crashed, "%d workers did not exit cleanly", crashed);
}

int main(void)
{
	struct sigaction sa = { .sa_handler = on_tick };

	setvbuf(stdout, NULL, _IOLBF, 0);
	module_load();
	sh = mmap(NULL, sizeof(*sh), PROT_READ | PROT_WRITE,
		  MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (sh == MAP_FAILED)
		die("mmap: %s", strerror(errno));
	sh->target = ksft_env_long("SELFTEST_FUZZ_CALLS", 100000, 1, LONG_MAX);
	seed = ksft_env_long("SELFTEST_FUZZ_SEED", time(NULL), 0, LONG_MAX);
	/* No SA_RESTART: a tick ends a blocked call with EINTR. */
	sigaction(SIGRTMIN, &sa, NULL);
	printf("# %lu calls, seed %llu (SELFTEST_FUZZ_SEED repeats it)\n",
	       sh->target, (unsigned long long)seed);

	ksft_case_begin();
	run();
	report();
	check_calls();
	ksft_case_end("every errno documented, every command reached");
	KSFT_CASE("no queue or memory left", check_cleanup());
	KSFT_CASE("both devices still work", check_alive());
	module_unload();
	return ksft_exit();
}
