// SPDX-License-Identifier: GPL-2.0
/*
 * rmmod under fire: pcbstat.ko is unloaded while readers of every /proc
 * file, LIST and EXITED callers on /dev/pcbstat, /dev/pcbmq senders and
 * receivers and a fork/exit storm keep running. Each cycle loads the
 * module, waits (bounded) until every kind of worker has used this load,
 * then removes it as rmmod does (delete_module with O_NONBLOCK) until it
 * goes: while a device is open the answer must be EAGAIN (the kernel's
 * "in use") or EBUSY, never anything else, and the module must go within
 * a bound once the workers let go of it between their rounds. No call
 * may find that the module went while its file was open (the file did not
 * pin it; freed code may even keep running for a while, so a splat alone
 * would not show it). The runner fails the test on any kernel splat.
 *
 * First, before any worker starts, each device file in turn, and both
 * together, is held open by this process across rmmod attempts: the
 * module must be counted in use (its refcnt) and delete_module refused
 * with EWOULDBLOCK, the kernel's "in use" (EBUSY is for a module not
 * live), the held files must still work after each refusal, and the
 * module must go once they are closed. A device whose file_operations
 * lack .owner is not counted: the test closes the file and fails while
 * the module is still there. (Were it let go under the open file, the
 * close would run freed code: an oops in the exiting test, which then
 * hangs until its timeout.)
 *
 * SELFTEST_UNLOAD_CYCLES sets the cycles (default 20; check-full 200).
 * timeout: 900
 */
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/msg.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>

#include <pcbmq.h>
#include <pcbstat.h>

#include "ksft.h"

enum {
	W_PROC,
	W_LIST,
	W_SEND,
	W_RECV,
	W_STORM,
	NR_KINDS
};

static const char *const kind_name[NR_KINDS] = {
	"proc readers", "LIST/EXITED", "mq senders",
	"mq receivers", "fork storm",
};

/* Workers of each kind, and what they count as progress. */
#define PER_KIND      2
#define ROUND_CALLS   20 /* calls per open of a device */
#define LOAD_WAIT_S   20
#define UNLOAD_WAIT_S 30
#define MQ_KEY	      0x7c0dead

struct shared {
	int stop;
	unsigned long progress[NR_KINDS];
	/*
	 * Bumped when the module goes. A device file open across a bump
	 * did not pin the module: the bug the unload must never allow.
	 */
	unsigned long unloads;
	unsigned long stale_calls;
};

static struct shared *sh;

static unsigned long unloads(void)
{
	return __atomic_load_n(&sh->unloads, __ATOMIC_ACQUIRE);
}

/* A call on a file opened while @seen unloads had happened. */
static void check_pinned(unsigned long seen)
{
	if (unloads() != seen)
		__atomic_add_fetch(&sh->stale_calls, 1, __ATOMIC_RELAXED);
}

static void progressed(int kind)
{
	__atomic_add_fetch(&sh->progress[kind], 1, __ATOMIC_RELAXED);
}

static bool stopped(void)
{
	return __atomic_load_n(&sh->stop, __ATOMIC_RELAXED);
}

static void read_proc_files(void)
{
	static const char *const files[] = { "/proc/pcbstat",
					     "/proc/pcbstat_exited",
					     "/proc/pcbstat_cpu",
					     "/proc/pcbmq" };
	char buf[4096];
	size_t i;
	int fd;

	for (i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		fd = open(files[i], O_RDONLY);
		if (fd < 0)
			continue;
		while (read(fd, buf, sizeof(buf)) > 0)
			;
		close(fd);
		progressed(W_PROC);
	}
}

static void list_round(void)
{
	static struct pcbstat_task recs[16];
	struct pcbstat_list l = { .size = sizeof(l),
				  .next_pid = 1,
				  .count = 16,
				  .entry_size = sizeof(recs[0]),
				  .buf = (uintptr_t)recs };
	struct pcbstat_exited x = { .size = sizeof(x),
				    .count = 16,
				    .entry_size = sizeof(recs[0]),
				    .buf = (uintptr_t)recs };
	int fd = open(PCBSTAT_DEVICE, O_RDONLY), i;
	unsigned long seen;

	if (fd < 0)
		return;
	/* After the open: from here on the file pins the module. */
	seen = unloads();
	for (i = 0; i < ROUND_CALLS && l.next_pid; i++) {
		l.count = 16;
		l.flags = i & 1 ? PCBSTAT_LIST_THREADS : 0;
		if (ioctl(fd, PCBSTAT_IOC_LIST, &l))
			break;
		check_pinned(seen);
		progressed(W_LIST);
	}
	if (!ioctl(fd, PCBSTAT_IOC_EXITED, &x))
		progressed(W_LIST);
	check_pinned(seen);
	close(fd);
}

struct msg {
	long mtype;
	char text[32];
};

/* One open of /dev/pcbmq: a few sends or timed receives on one queue. */
static void mq_round(bool send)
{
	struct msg m = { 1, "under fire" };
	struct pcbmq_get g = { sizeof(g), MQ_KEY, IPC_CREAT | 0600, 0 };
	struct pcbmq_snd s = { .size = sizeof(s),
			       .msgp = (uintptr_t)&m,
			       .msgsz = sizeof(m.text),
			       .msgflg = IPC_NOWAIT };
	struct pcbmq_rcv r = { .size = sizeof(r),
			       .msgp = (uintptr_t)&m,
			       .msgsz = sizeof(m.text),
			       .timeout_ns = 2000000 };
	int fd = open(PCBMQ_DEVICE, O_RDWR), i, id;

	if (fd < 0)
		return;
	id = ioctl(fd, PCBMQ_IOC_GET, &g);
	s.msqid = r.msqid = id;
	for (i = 0; id >= 0 && i < ROUND_CALLS; i++) {
		if (send ? !ioctl(fd, PCBMQ_IOC_SND, &s)
			 : ioctl(fd, PCBMQ_IOC_RCV, &r) >= 0)
			progressed(send ? W_SEND : W_RECV);
		else if (errno == EIDRM || errno == EINVAL)
			break;
	}
	close(fd);
}

static void storm_round(void)
{
	pid_t pid = fork();

	if (pid < 0)
		return;
	if (!pid)
		_exit(0);
	waitpid(pid, NULL, 0);
	progressed(W_STORM);
}

static void work(int kind)
{
	while (!stopped()) {
		switch (kind) {
		case W_PROC:
			read_proc_files();
			break;
		case W_LIST:
			list_round();
			break;
		case W_SEND:
		case W_RECV:
			mq_round(kind == W_SEND);
			break;
		default:
			storm_round();
		}
		/* Without the module a round fails at once: let others run. */
		sched_yield();
	}
	_exit(0);
}

static pid_t parent, workers[NR_KINDS * PER_KIND];
static int nr_workers;

/*
 * On a failure the workers' open files would keep the module in, and
 * every later test would find it loaded: stop them before the unload.
 */
static void stop_workers(void)
{
	int i;

	if (getpid() != parent)
		return;
	for (i = 0; i < nr_workers; i++)
		kill(workers[i], SIGKILL);
	for (i = 0; i < nr_workers; i++)
		waitpid(workers[i], NULL, 0);
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Every kind of worker has used the module loaded at @since. */
static void wait_for_use(const unsigned long *since, int cycle)
{
	double end = now_s() + ksft_scaled(LOAD_WAIT_S);
	int k;

	for (k = 0; k < NR_KINDS; k++)
		while (__atomic_load_n(&sh->progress[k], __ATOMIC_RELAXED) <=
		       since[k] + 2) {
			if (now_s() > end)
				die("cycle %d: %s made no progress in %ld s",
				    cycle, kind_name[k],
				    ksft_scaled(LOAD_WAIT_S));
			usleep(1000);
		}
}

/* delete_module as rmmod calls it; how many times it was refused. */
static int unload_under_fire(int cycle)
{
	double end = now_s() + ksft_scaled(UNLOAD_WAIT_S);
	int refused = 0;

	while (syscall(SYS_delete_module, "pcbstat", O_NONBLOCK)) {
		if (errno != EAGAIN && errno != EBUSY)
			die("cycle %d: delete_module: %s, not EAGAIN or EBUSY",
			    cycle, strerror(errno));
		if (now_s() > end)
			die("cycle %d: still in use after %ld s (%d refusals)",
			    cycle, ksft_scaled(UNLOAD_WAIT_S), refused);
		refused++;
		sched_yield();
	}
	__atomic_add_fetch(&sh->unloads, 1, __ATOMIC_RELEASE);
	if (module_is_loaded())
		die("cycle %d: delete_module succeeded, module still there",
		    cycle);
	return refused;
}

/* The module's reference count, as rmmod reads it; -1 if unreadable. */
static long refcnt(void)
{
	FILE *f = fopen("/sys/module/pcbstat/refcnt", "r");
	long n = -1;

	if (f) {
		if (fscanf(f, "%ld", &n) != 1)
			n = -1;
		fclose(f);
	}
	return n;
}

/* A call that runs the module's own ioctl code on a held file. */
static void use_held(int fd, bool mq, const char *when)
{
	struct pcbstat_task t;
	struct pcbstat_get g = { .size = sizeof(g),
				 .pid = getpid(),
				 .entry_size = sizeof(t),
				 .out = (uintptr_t)&t };
	/* A key no worker used: ENOENT comes from the module's lookup. */
	struct pcbmq_get q = { sizeof(q), MQ_KEY + 1, 0, 0 };

	if (mq) {
		if (ioctl(fd, PCBMQ_IOC_GET, &q) >= 0 || errno != ENOENT)
			die("%s: held /dev/pcbmq GET: %s, want ENOENT", when,
			    strerror(errno));
	} else if (ioctl(fd, PCBSTAT_IOC_GET, &g) || t.pid != getpid()) {
		die("%s: held /dev/pcbstat GET: %s", when, strerror(errno));
	}
}

#define HELD_TRIES 3

/*
 * rmmod while this process holds @which of the two devices open (bit 0
 * /dev/pcbstat, bit 1 /dev/pcbmq), and after it lets go.
 */
static void unload_held(unsigned int which)
{
	static const char *const path[2] = { PCBSTAT_DEVICE, PCBMQ_DEVICE };
	double end;
	int fd[2] = { -1, -1 }, i, try;
	char what[64] = "";
	long held;

	module_load();
	for (i = 0; i < 2; i++) {
		if (!(which & (1U << i)))
			continue;
		fd[i] = open(path[i], i ? O_RDWR : O_RDONLY);
		if (fd[i] < 0)
			die("open %s: %s", path[i], strerror(errno));
		use_held(fd[i], i, "before rmmod");
		snprintf(what + strlen(what), sizeof(what) - strlen(what),
			 "%s%s", *what ? " and " : "", path[i]);
	}
	/*
	 * Caught here, the files are closed while the module is still
	 * there: rmmod in die() then succeeds, and nothing runs freed code.
	 */
	held = refcnt();
	if (held < __builtin_popcount(which)) {
		for (i = 0; i < 2; i++)
			if (fd[i] >= 0)
				close(fd[i]);
		die("%s open, the module's refcnt is %ld: the open file does "
		    "not pin it (.owner)",
		    what, held);
	}
	for (try = 1; try <= HELD_TRIES; try++) {
		if (!syscall(SYS_delete_module, "pcbstat", O_NONBLOCK))
			die("rmmod %d succeeded while %s was open: the file "
			    "does not pin the module (.owner)",
			    try, what);
		if (errno != EWOULDBLOCK)
			die("rmmod %d with %s open: %s, want EWOULDBLOCK (in "
			    "use)",
			    try, what, strerror(errno));
		for (i = 0; i < 2; i++)
			if (fd[i] >= 0)
				use_held(fd[i], i, "after a refused rmmod");
	}
	for (i = 0; i < 2; i++)
		if (fd[i] >= 0)
			close(fd[i]);
	end = now_s() + ksft_scaled(UNLOAD_WAIT_S);
	while (syscall(SYS_delete_module, "pcbstat", O_NONBLOCK)) {
		if (now_s() > end)
			die("rmmod after closing %s: %s after %ld s", what,
			    strerror(errno), ksft_scaled(UNLOAD_WAIT_S));
		sched_yield();
	}
	ksft_module_loader = 0;
	if (module_is_loaded())
		die("rmmod after closing %s succeeded, module still there",
		    what);
	printf("# %s held: rmmod refused %d times (in use), then gone once "
	       "closed\n",
	       what, HELD_TRIES);
}

int main(void)
{
	int cycles = ksft_env_long("SELFTEST_UNLOAD_CYCLES", 20, 1, 100000);
	int i, k, refused, busy = 0;
	unsigned long since[NR_KINDS];

	setvbuf(stdout, NULL, _IOLBF, 0);
	if (geteuid())
		skip("needs root");
	if (module_is_loaded())
		die("pcbstat.ko already loaded before the test");
	/* Alone first: no worker's file may pin the module for a held one. */
	unload_held(1);
	unload_held(2);
	unload_held(3);
	sh = mmap(NULL, sizeof(*sh), PROT_READ | PROT_WRITE,
		  MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (sh == MAP_FAILED)
		die("mmap: %s", strerror(errno));
	parent = getpid();
	ksft_cleanup = stop_workers;
	for (k = 0; k < NR_KINDS; k++)
		for (i = 0; i < PER_KIND; i++) {
			pid_t pid = fork();

			if (pid < 0)
				die("fork: %s", strerror(errno));
			if (!pid)
				work(k);
			workers[nr_workers++] = pid;
		}
	for (i = 1; i <= cycles; i++) {
		double t0 = now_s(), t1, t2;

		memcpy(since, sh->progress, sizeof(since));
		module_load();
		t1 = now_s();
		wait_for_use(since, i);
		t2 = now_s();
		refused = unload_under_fire(i);
		busy += refused > 0;
		printf("# cycle %d: insmod %.1f s, in use after %.1f s, gone "
		       "after %.1f s and %d refusals\n",
		       i, t1 - t0, t2 - t1, now_s() - t2, refused);
	}
	__atomic_store_n(&sh->stop, 1, __ATOMIC_RELAXED);
	ksft_cleanup = NULL;
	for (i = 0; i < nr_workers; i++)
		waitpid(workers[i], NULL, 0);
	if (sh->stale_calls)
		die("%lu calls on a device file the module had gone under: an "
		    "open file did not pin it",
		    sh->stale_calls);
	printf("%d cycles unloaded under fire, %d of them refused (in use) "
	       "first\n",
	       cycles, busy);
	return KSFT_PASS;
}
