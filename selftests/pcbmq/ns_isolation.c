// SPDX-License-Identifier: GPL-2.0
/*
 * IPC namespaces isolate the device's queues, and a namespace's queues die
 * with it:
 *  - process A, in a new IPC namespace, makes a queue with key KEY and
 *    queues a message; process B, in another, gets EINVAL sending to A's
 *    id, ENOENT looking KEY up, and an empty /proc/pcbmq; then makes its
 *    own KEY queue and queues a larger message;
 *  - A still sees one queue, holding only its own message (IPC_STAT and
 *    /proc/pcbmq);
 *  - when B exits, its namespace dies, and the module's mem_used returns to
 *    what A's message uses; when A exits, to what it was before.
 * The waits for mem_used are bounded (the module frees a dead namespace's
 * queues within about a second).
 *
 * Every failure cleans up: a child removes the queue it made before it
 * exits, and the parent kills and reaps A and B (whose namespaces and
 * queues go with them) before it unloads the module.
 * timeout: 120
 */
#include <sched.h>
#include <signal.h>
#include <sys/prctl.h>
#include <stdarg.h>
#include <sys/wait.h>
#include <time.h>

#include "pcbmq_lib.h"

#define KEY	0x15e1
#define A_SIZE	1000
#define B_SIZE	3000
#define WAIT_MS 30000

struct msg {
	long mtype;
	char text[B_SIZE];
};

/* In A or B: its backend and queue, removed if it fails. */
static struct mq_backend *own_backend;
static int own_id = -1;

/* A child's failure: its queue goes before it does. */
static void __attribute__((noreturn, format(printf, 1, 2)))
fail(const char *fmt, ...)
{
	va_list ap;

	printf("# FAIL [%d]: ", getpid());
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	fflush(stdout);
	if (own_backend && own_id >= 0 &&
	    own_backend->ctl(own_id, IPC_RMID, NULL))
		printf("# [%d] IPC_RMID of queue %d: %s\n", getpid(), own_id,
		       strerror(errno));
	exit(1);
}

static pid_t parent, pid_a = -1, pid_b = -1;

/* The parent's cleanup, before ksft.h unloads the module. */
static void kill_children(void)
{
	pid_t *kids[] = { &pid_a, &pid_b };
	size_t i;

	if (getpid() != parent)
		return;
	for (i = 0; i < 2; i++) {
		if (*kids[i] <= 0)
			continue;
		kill(*kids[i], SIGKILL);
		/* SIGKILL cannot be held off: this wait is bounded. */
		waitpid(*kids[i], NULL, 0);
		*kids[i] = -1;
	}
}

/* A child: dies with the parent, and keeps no pipe end it does not use. */
static void child_setup(int keep1, int keep2, const int *pipes)
{
	int i;

	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (getppid() != parent)
		exit(1);
	ksft_cleanup = NULL;
	for (i = 0; i < 4; i++)
		if (pipes[i] != keep1 && pipes[i] != keep2)
			close(pipes[i]);
}

/* Rows of /proc/pcbmq as this process sees them; cbytes of the last. */
static int proc_rows(unsigned long *cbytes)
{
	FILE *f = fopen("/proc/pcbmq", "r");
	char line[512];
	int rows = -1;

	if (!f)
		fail("open /proc/pcbmq");
	while (fgets(line, sizeof(line), f)) {
		if (rows >= 0 && cbytes)
			sscanf(line, "%*d %*d %*o %lu", cbytes);
		rows++;
	}
	fclose(f);
	return rows;
}

static void new_namespace(struct mq_backend *b)
{
	if (unshare(CLONE_NEWIPC))
		fail("unshare(CLONE_NEWIPC): %s", strerror(errno));
	if (mq_device_backend(b))
		fail("no libpcbmq");
}

static int make_queue(struct mq_backend *b, size_t size)
{
	struct msg m = { .mtype = 1 };
	int id = b->get(KEY, IPC_CREAT | 0600);

	if (id < 0)
		fail("msgget: %s", strerror(errno));
	own_backend = b;
	own_id = id;
	memset(m.text, 'x', size);
	if (b->snd(id, &m, size, IPC_NOWAIT))
		fail("msgsnd: %s", strerror(errno));
	return id;
}

static void check_own(struct mq_backend *b, int id, size_t size)
{
	struct msqid_ds ds;
	unsigned long cbytes = 0;
	int rows;

	if (b->ctl(id, IPC_STAT, &ds))
		fail("IPC_STAT of own queue: %s", strerror(errno));
	if (ds.msg_qnum != 1 || ds.msg_cbytes != size)
		fail("own queue holds %lu messages, %lu bytes; want 1, %zu",
		     (unsigned long)ds.msg_qnum, (unsigned long)ds.msg_cbytes,
		     size);
	rows = proc_rows(&cbytes);
	if (rows != 1 || cbytes != size)
		fail("/proc/pcbmq shows %d queues (cbytes %lu); want 1 (%zu)",
		     rows, cbytes, size);
}

/* A: makes its queue, reports its id, and checks it again on request. */
static void process_a(int report, int go)
{
	struct mq_backend b;
	char c;
	int id;

	new_namespace(&b);
	id = make_queue(&b, A_SIZE);
	if (write(report, &id, sizeof(id)) != sizeof(id))
		fail("report");
	if (read(go, &c, 1) != 1)
		fail("no go");
	check_own(&b, id, A_SIZE);
	/* Left for the namespace's end: the test is that it goes then. */
	exit(0);
}

/* B: cannot see A's queue, then makes its own. */
static void process_b(int a_id)
{
	struct msg m = { .mtype = 1 };
	struct mq_backend b;
	int id;

	new_namespace(&b);
	if (b.snd(a_id, &m, 1, IPC_NOWAIT) == 0 || errno != EINVAL)
		fail("send to the other namespace's id %d: %s, want EINVAL",
		     a_id, strerror(errno));
	if (b.ctl(a_id, IPC_STAT, &(struct msqid_ds){}) == 0 || errno != EINVAL)
		fail("IPC_STAT of the other namespace's id: %s, want EINVAL",
		     strerror(errno));
	if (b.get(KEY, 0) >= 0 || errno != ENOENT)
		fail("msgget of the other namespace's key: %s, want ENOENT",
		     strerror(errno));
	if (proc_rows(NULL) != 0)
		fail("/proc/pcbmq shows the other namespace's queue");
	id = make_queue(&b, B_SIZE);
	check_own(&b, id, B_SIZE);
	exit(0);
}

static long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Bounded: the reaper looks once a second. */
static void wait_mem(long want, const char *when)
{
	long deadline = now_ms() + WAIT_MS, got;
	struct timespec tick = { 0, 50 * 1000000 };

	for (;;) {
		got = module_param_long("mem_used");
		if (got == want || now_ms() >= deadline)
			break;
		nanosleep(&tick, NULL);
	}
	if (got != want)
		die("%s: mem_used %ld, want %ld", when, got, want);
	printf("# %s: mem_used %ld\n", when, got);
}

/* Bounded, as the children's own waits and checks are. */
static void reap(pid_t *pid, const char *who)
{
	long deadline = now_ms() + WAIT_MS;
	struct timespec tick = { 0, 10 * 1000000 };
	int status;
	pid_t got;

	while (!(got = waitpid(*pid, &status, WNOHANG))) {
		if (now_ms() >= deadline)
			die("%s did not end within %d ms", who, WAIT_MS);
		nanosleep(&tick, NULL);
	}
	if (got != *pid)
		die("wait for %s: %s", who, strerror(errno));
	*pid = -1;
	if (!WIFEXITED(status) || WEXITSTATUS(status))
		die("%s failed (status %#x)", who, status);
}

int main(void)
{
	int pipes[4], a_id;
	int *report = pipes, *go = pipes + 2;
	long base, with_a;

	parent = getpid();
	module_load();
	ksft_cleanup = kill_children;
	base = module_param_long("mem_used");
	if (pipe(report) || pipe(go))
		die("pipe: %s", strerror(errno));
	pid_a = fork();
	if (pid_a < 0)
		die("fork: %s", strerror(errno));
	if (!pid_a) {
		child_setup(report[1], go[0], pipes);
		process_a(report[1], go[0]);
	}
	close(report[1]);
	close(go[0]);
	/* A's failure closes its end: no answer is EOF, not a hang. */
	if (read(report[0], &a_id, sizeof(a_id)) != sizeof(a_id))
		die("A did not report");
	with_a = module_param_long("mem_used");
	if (with_a <= base)
		die("A's message uses no memory (%ld, base %ld)", with_a, base);
	pid_b = fork();
	if (pid_b < 0)
		die("fork: %s", strerror(errno));
	if (!pid_b) {
		child_setup(-1, -1, (int[]){ report[0], go[1], -1, -1 });
		process_b(a_id);
	}
	reap(&pid_b, "B");
	wait_mem(with_a, "B's namespace gone");
	if (write(go[1], "g", 1) != 1)
		die("go: %s", strerror(errno));
	reap(&pid_a, "A");
	wait_mem(base, "A's namespace gone");
	ksft_cleanup = NULL;
	module_unload();
	printf("# A and B isolated; each namespace's memory freed at its end\n");
	return 0;
}
