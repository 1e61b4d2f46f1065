// SPDX-License-Identifier: GPL-2.0
/*
 * /dev/pcbstat from inside a child pid namespace: GET, LIST and EXITED
 * show only the namespace's tasks, numbered as it numbers them, and the
 * parent namespace sees the same tasks with its own numbers.
 *
 * The namespace's init (pn_init, pid 1) forks two live processes (one of
 * them with a second thread), one child it waits for (pn_waited), and a
 * helper (pn_helper) that ignores SIGCHLD, so that its child (pn_reaped)
 * is reaped by its own exit, before its final switch writes the exited
 * ring. Every one of them reports its pids as /proc/self/status's NSpid
 * (read through the parent namespace's /proc) and getpid() give them:
 * that is the oracle, never the module. The namespace's init then runs
 * the inside checks on request; the test's own process the outside ones.
 * A second, sibling namespace must see none of it, and neither must a
 * namespace made once the first is gone, which the kernel may give the
 * first one's number (the lowest free).
 *
 * Runs as root (unshare(CLONE_NEWPID)). Waits are bounded; none sleeps
 * for a fixed time to let something happen.
 * timeout: 120
 */
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>

#include "pcbstat.h"
#include "pcbstat_test.h"

#define WAIT_S	  30
#define ROOM	  4096
#define RING_ROOM 4096

enum {
	M_INIT,
	M_LIVE1,
	M_LIVE2,
	M_WAITED,
	M_HELPER,
	M_REAPED,
	NR_M
};

static const char *const m_comm[NR_M] = {
	"pn_init",   "pn_live1",  "pn_live2",
	"pn_waited", "pn_helper", "pn_reaped",
};

/* Which members have exited by the time the checks run. */
static const bool m_exited[NR_M] = {
	[M_WAITED] = true,
	[M_HELPER] = true,
	[M_REAPED] = true,
};

struct ids {
	int ns_pid, host_pid;	/* getpid(); NSpid's first number */
	int ns_ppid, host_ppid; /* getppid(); PPid in the parent's /proc */
};

struct shared {
	struct ids m[NR_M];
	struct ids thread; /* pn_live2's second thread (tids as pids) */
	int test_pid;	   /* the test's own pid, outside */
	__u64 start_seq;   /* the exited ring's last seq before the test */
	int oracle_bad;	   /* a member whose NSpid disagreed with getpid() */
	/* The namespaces' numbers, as /proc/self/ns/pid gives them. */
	unsigned long first_inum, sibling_inum, successor_inum;
};

static struct shared *sh;
static int cmd_pipe[2], rep_pipe[2], rdy_pipe[2];
static pid_t outer, sibling; /* sibling: the other namespace's, either */
static struct pcbstat_task recs[ROOM];
static struct pcbstat_task ring[RING_ROOM];

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* NSpid (outermost and innermost) and PPid of a /proc status file. */
static void read_status(const char *path, struct ids *id)
{
	FILE *f = fopen(path, "r");
	char line[256];
	int n[4], k;

	if (!f)
		die("open %s: %s", path, strerror(errno));
	while (fgets(line, sizeof(line), f)) {
		if (!strncmp(line, "NSpid:", 6)) {
			k = sscanf(line + 6, "%d %d %d %d", &n[0], &n[1], &n[2],
				   &n[3]);
			if (k < 1)
				die("%s: bad NSpid line", path);
			id->host_pid = n[0];
			if (n[k - 1] != id->ns_pid)
				sh->oracle_bad = 1;
		} else if (!strncmp(line, "PPid:", 5)) {
			id->host_ppid = atoi(line + 5);
		}
	}
	fclose(f);
}

static void ready(int i)
{
	char c = i;

	if (write(rdy_pipe[1], &c, 1) != 1)
		die("report ready: %s", strerror(errno));
}

/* The caller's pid namespace's number, 0 if /proc does not say. */
static unsigned long pid_ns_inum(void)
{
	char link[64];
	ssize_t n = readlink("/proc/self/ns/pid", link, sizeof(link) - 1);
	unsigned long inum = 0;

	if (n > 0) {
		link[n] = '\0';
		sscanf(link, "pid:[%lu]", &inum);
	}
	return inum;
}

/* A member names itself and reports its ids. */
static void become(int i)
{
	prctl(PR_SET_NAME, m_comm[i]);
	sh->m[i].ns_pid = getpid();
	sh->m[i].ns_ppid = getppid();
	read_status("/proc/self/status", &sh->m[i]);
}

static void *second_thread(void *arg)
{
	sh->thread.ns_pid = syscall(SYS_gettid);
	sh->thread.ns_ppid = getppid();
	read_status("/proc/thread-self/status", &sh->thread);
	ready(M_LIVE2);
	for (;;)
		pause();
	return NULL;
}

static void __attribute__((noreturn)) live(int i)
{
	pthread_t th;

	become(i);
	if (i == M_LIVE2) {
		if (pthread_create(&th, NULL, second_thread, NULL))
			die("pthread_create");
	} else {
		ready(i);
	}
	for (;;)
		pause();
}

/* Waits until the last @n members forked have reported. */
static void await_ready(int n)
{
	struct pollfd p = { .fd = rdy_pipe[0], .events = POLLIN };
	char c;

	while (n--) {
		if (poll(&p, 1, WAIT_S * 1000) != 1 ||
		    read(rdy_pipe[0], &c, 1) != 1)
			die("a member did not report within %d s", WAIT_S);
	}
}

static pid_t fork_member(int i)
{
	pid_t pid = fork();

	if (pid < 0)
		die("fork: %s", strerror(errno));
	if (pid)
		return pid;
	close(cmd_pipe[0]);
	close(rep_pipe[1]);
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	switch (i) {
	case M_WAITED:
		become(i);
		ready(i);
		_exit(0);
	case M_HELPER:
		become(i);
		/* Its child is reaped by its own exit: no zombie, no wait. */
		signal(SIGCHLD, SIG_IGN);
		pid = fork();
		if (pid < 0)
			die("fork: %s", strerror(errno));
		if (!pid) {
			become(M_REAPED);
			ready(M_REAPED);
			_exit(0);
		}
		/* With SIGCHLD ignored, ECHILD once the child is gone. */
		while (wait(NULL) > 0 || errno == EINTR)
			;
		ready(i);
		_exit(0);
	default:
		live(i);
	}
}

/* ---- reading the device ---- */

static int dev_open(void)
{
	int fd = open(PCBSTAT_DEVICE, O_RDONLY);

	if (fd < 0)
		die("open %s: %s", PCBSTAT_DEVICE, strerror(errno));
	return fd;
}

/* GET; 0 and the record in @t, or -1 and errno. */
static int get(int dev, int pid, bool thread, struct pcbstat_task *t)
{
	struct pcbstat_get g = {
		.size = sizeof(g),
		.flags = thread ? PCBSTAT_GET_THREAD : 0,
		.pid = pid,
		.entry_size = sizeof(*t),
		.out = (uintptr_t)t,
	};

	memset(t, 0, sizeof(*t));
	return ioctl(dev, PCBSTAT_IOC_GET, &g);
}

/* The whole list, @batch records per call; how many. */
static int list_all(int dev, bool threads, unsigned int batch)
{
	struct pcbstat_list l = {
		.size = sizeof(l),
		.flags = threads ? PCBSTAT_LIST_THREADS : 0,
		.next_pid = 1,
		.entry_size = sizeof(recs[0]),
	};
	unsigned int n = 0;

	while (l.next_pid) {
		if (n + batch > ROOM)
			die("more than %d records listed", ROOM);
		l.count = batch;
		l.buf = (uintptr_t)&recs[n];
		if (ioctl(dev, PCBSTAT_IOC_LIST, &l))
			die("LIST: %s", strerror(errno));
		n += l.count;
	}
	return n;
}

/* Exited records after the test began; how many. */
static int exited(int dev)
{
	struct pcbstat_exited x = {
		.size = sizeof(x),
		.count = RING_ROOM,
		.after_seq = sh->start_seq,
		.entry_size = sizeof(ring[0]),
		.buf = (uintptr_t)ring,
	};

	if (ioctl(dev, PCBSTAT_IOC_EXITED, &x))
		die("EXITED: %s", strerror(errno));
	if (x.lost)
		die("the exited ring overwrote %llu records of the test",
		    (unsigned long long)x.lost);
	return x.count;
}

static int member_of(const char *comm)
{
	int i;

	for (i = 0; i < NR_M; i++)
		if (!strcmp(comm, m_comm[i]))
			return i;
	return -1;
}

static int pid_as(const struct ids *id, bool inside)
{
	return inside ? id->ns_pid : id->host_pid;
}

static int ppid_as(const struct ids *id, bool inside)
{
	return inside ? id->ns_ppid : id->host_ppid;
}

/* One record against the member it should be. */
static void check_rec(const char *what, const struct pcbstat_task *t, int i,
		      bool inside)
{
	const struct ids *id = &sh->m[i];

	KSFT_CHECK(t->pid == pid_as(id, inside) && t->tid == t->pid &&
			   t->ppid == ppid_as(id, inside) &&
			   !strcmp(t->comm, m_comm[i]),
		   "%s: %s is pid %d tid %d ppid %d, want pid %d ppid %d", what,
		   m_comm[i], t->pid, t->tid, t->ppid, pid_as(id, inside),
		   ppid_as(id, inside));
}

/* GET of every live member and of pn_live2's second thread. */
static void get_members(bool inside)
{
	struct pcbstat_task t;
	int dev = dev_open(), i;

	for (i = 0; i < NR_M; i++) {
		if (m_exited[i])
			continue;
		if (get(dev, pid_as(&sh->m[i], inside), false, &t)) {
			KSFT_CHECK(0, "GET %s (pid %d): %s", m_comm[i],
				   pid_as(&sh->m[i], inside), strerror(errno));
			continue;
		}
		check_rec("GET", &t, i, inside);
	}
	if (get(dev, pid_as(&sh->thread, inside), true, &t)) {
		KSFT_CHECK(0, "GET thread %d: %s", pid_as(&sh->thread, inside),
			   strerror(errno));
	} else {
		KSFT_CHECK(t.tid == pid_as(&sh->thread, inside) &&
				   t.pid == pid_as(&sh->m[M_LIVE2], inside) &&
				   (t.flags & PCBSTAT_F_THREAD),
			   "GET thread: tid %d pid %d flags %#x, want tid %d "
			   "pid %d",
			   t.tid, t.pid, t.flags, pid_as(&sh->thread, inside),
			   pid_as(&sh->m[M_LIVE2], inside));
	}
	close(dev);
}

/* ---- the cases inside the namespace (run by pn_init) ---- */

static void in_get(void)
{
	get_members(true);
}

/* Numbers that name tasks outside: ESRCH, as for a pid that is free. */
static void in_get_outside(void)
{
	const int outside[] = { sh->test_pid, sh->m[M_LIVE1].host_pid,
				sh->thread.host_pid };
	struct pcbstat_task t;
	int dev = dev_open();
	size_t i;

	for (i = 0; i < sizeof(outside) / sizeof(outside[0]); i++) {
		/* The oracle: the number is free in this namespace. */
		if (!kill(outside[i], 0) || errno != ESRCH) {
			KSFT_CHECK(0, "pid %d is also a pid here: pick another",
				   outside[i]);
			continue;
		}
		KSFT_CHECK(get(dev, outside[i], false, &t) && errno == ESRCH,
			   "GET of outside pid %d: %s (pid %d %s), want ESRCH",
			   outside[i], strerror(errno), t.pid, t.comm);
		KSFT_CHECK(get(dev, outside[i], true, &t) && errno == ESRCH,
			   "GET thread of outside pid %d: %s (tid %d %s), want "
			   "ESRCH",
			   outside[i], strerror(errno), t.tid, t.comm);
	}
	close(dev);
}

/* Exactly the live members (and the thread), two records per call. */
static void in_list(void)
{
	int dev = dev_open(), n, k, i, seen[NR_M] = { 0 }, thread_seen = 0;

	for (k = 0; k < 2; k++) {
		int strangers = 0;

		n = list_all(dev, k, 2);
		memset(seen, 0, sizeof(seen));
		for (i = 0; i < n; i++) {
			const struct pcbstat_task *t = &recs[i];
			int m = member_of(t->comm);

			if (m < 0 || m_exited[m]) {
				/* A few by name, the rest counted. */
				if (strangers++ < 3)
					printf("# LIST%s: pid %d tid %d %s is "
					       "not the namespace's\n",
					       k ? " threads" : "", t->pid,
					       t->tid, t->comm);
				continue;
			}
			if (k && t->tid == sh->thread.ns_pid) {
				thread_seen++;
				KSFT_CHECK(t->pid == sh->m[M_LIVE2].ns_pid,
					   "LIST threads: thread %d has pid %d",
					   t->tid, t->pid);
				continue;
			}
			seen[m]++;
			check_rec(k ? "LIST threads" : "LIST", t, m, true);
		}
		KSFT_CHECK(!strangers,
			   "LIST%s: %d of %d records not the namespace's",
			   k ? " threads" : "", strangers, n);
		for (i = 0; i < NR_M; i++)
			KSFT_CHECK(m_exited[i] || seen[i] == 1,
				   "LIST%s: %s listed %d times",
				   k ? " threads" : "", m_comm[i], seen[i]);
		if (k)
			KSFT_CHECK(thread_seen == 1,
				   "LIST threads: the second thread listed %d "
				   "times",
				   thread_seen);
	}
	close(dev);
}

/* Every exited member once, with @inside's pids; nobody else inside. */
static void exited_members(bool inside, int only)
{
	int dev = dev_open(), n = exited(dev), seen[NR_M] = { 0 }, i, m;

	close(dev);
	for (i = 0; i < n; i++) {
		m = member_of(ring[i].comm);
		if (m < 0) {
			KSFT_CHECK(!inside,
				   "EXITED: pid %d %s is not the "
				   "namespace's",
				   ring[i].pid, ring[i].comm);
			continue;
		}
		if (only >= 0 && m != only)
			continue;
		seen[m]++;
		KSFT_CHECK(m_exited[m], "EXITED: %s has not exited", m_comm[m]);
		KSFT_CHECK(ring[i].flags & PCBSTAT_F_EXITED,
			   "EXITED: %s flags %#x", m_comm[m], ring[i].flags);
		check_rec(inside ? "EXITED inside" : "EXITED outside", &ring[i],
			  m, inside);
	}
	for (m = 0; m < NR_M; m++)
		if (m_exited[m] && (only < 0 || m == only))
			KSFT_CHECK(seen[m] == 1, "EXITED %s: %s seen %d times",
				   inside ? "inside" : "outside", m_comm[m],
				   seen[m]);
}

static void in_exited(void)
{
	exited_members(true, -1);
}

static void in_reaped(void)
{
	exited_members(true, M_REAPED);
}

/* pn_init: the members, then inside checks on request until 'q'. */
static void __attribute__((noreturn)) ns_init(void)
{
	pid_t kids[2];
	int fails;
	char cmd;

	close(cmd_pipe[1]);
	close(rep_pipe[0]);
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	become(M_INIT);
	sh->first_inum = pid_ns_inum();
	kids[0] = fork_member(M_LIVE1);
	kids[1] = fork_member(M_LIVE2);
	await_ready(2);
	if (waitpid(fork_member(M_WAITED), NULL, 0) < 0)
		die("wait for pn_waited: %s", strerror(errno));
	if (waitpid(fork_member(M_HELPER), NULL, 0) < 0)
		die("wait for pn_helper: %s", strerror(errno));
	await_ready(3);
	for (;;) {
		if (write(rep_pipe[1], &(int){ 0 }, sizeof(int)) != sizeof(int))
			die("reply: %s", strerror(errno));
		if (read(cmd_pipe[0], &cmd, 1) != 1 || cmd == 'q')
			break;
		ksft_case_failures = 0;
		switch (cmd) {
		case 'g':
			in_get();
			break;
		case 'o':
			in_get_outside();
			break;
		case 'l':
			in_list();
			break;
		case 'x':
			in_exited();
			break;
		case 'r':
			in_reaped();
			break;
		}
		fails = ksft_case_failures;
		fflush(stdout);
		if (write(rep_pipe[1], &fails, sizeof(fails)) != sizeof(fails))
			die("reply: %s", strerror(errno));
	}
	kill(kids[0], SIGKILL);
	kill(kids[1], SIGKILL);
	waitpid(kids[0], NULL, 0);
	waitpid(kids[1], NULL, 0);
	exit(0);
}

/*
 * A process that is pid 1 of a new pid namespace: returns 0 in it, and
 * in the caller the pid of the process between them, which waits for it
 * and exits with its status (unshare(CLONE_NEWPID) moves only children).
 */
static pid_t spawn_ns_init(void)
{
	pid_t mid = fork(), init;
	int status;

	if (mid)
		return mid;
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (unshare(CLONE_NEWPID)) {
		printf("# unshare(CLONE_NEWPID): %s\n", strerror(errno));
		_exit(2);
	}
	init = fork();
	if (!init)
		return 0;
	if (init < 0 || waitpid(init, &status, 0) != init)
		_exit(2);
	_exit(WIFEXITED(status) ? WEXITSTATUS(status) : 3);
}

/* Reads int from pn_init within WAIT_S; dies if it went. */
static int from_init(void)
{
	struct pollfd p = { .fd = rep_pipe[0], .events = POLLIN };
	int v;

	if (poll(&p, 1, WAIT_S * 1000) != 1 ||
	    read(rep_pipe[0], &v, sizeof(v)) != sizeof(v))
		die("pn_init did not answer within %d s", WAIT_S);
	return v;
}

/* An inside case: pn_init runs it, its failures count in this case. */
static void inside(char cmd)
{
	if (write(cmd_pipe[1], &cmd, 1) != 1)
		die("to pn_init: %s", strerror(errno));
	ksft_case_failures += from_init();
	from_init(); /* ready for the next */
}

/* Bounded wait for a child of ours; its exit status, or -1. */
static int wait_child(pid_t pid)
{
	double end = now_s() + WAIT_S;
	struct timespec tick = { 0, 10 * 1000 * 1000 };
	int status;

	while (waitpid(pid, &status, WNOHANG) == 0) {
		if (now_s() > end)
			return -1;
		nanosleep(&tick, NULL);
	}
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

static void cleanup(void)
{
	if (getpid() != sh->test_pid)
		return;
	if (outer > 0) {
		kill(outer, SIGKILL);
		if (sh->m[M_INIT].host_pid > 0)
			kill(sh->m[M_INIT].host_pid, SIGKILL);
		wait_child(outer);
	}
	if (sibling > 0) {
		kill(sibling, SIGKILL);
		wait_child(sibling);
	}
}

/* ---- the cases outside ---- */

static void out_get(void)
{
	get_members(false);
}

/* The live members among everything, with the parent's pids. */
static void out_list(void)
{
	int dev = dev_open(), n, k, i, m, seen[NR_M], thread_seen;

	for (k = 0; k < 2; k++) {
		n = list_all(dev, k, 64);
		memset(seen, 0, sizeof(seen));
		thread_seen = 0;
		for (i = 0; i < n; i++) {
			m = member_of(recs[i].comm);
			if (m < 0)
				continue;
			if (k && recs[i].tid == sh->thread.host_pid) {
				thread_seen++;
				continue;
			}
			seen[m]++;
			check_rec("LIST outside", &recs[i], m, false);
		}
		for (m = 0; m < NR_M; m++)
			KSFT_CHECK(m_exited[m] || seen[m] == 1,
				   "LIST%s outside: %s listed %d times",
				   k ? " threads" : "", m_comm[m], seen[m]);
		if (k)
			KSFT_CHECK(thread_seen == 1,
				   "LIST threads outside: second thread listed "
				   "%d times",
				   thread_seen);
	}
	close(dev);
}

static void out_exited(void)
{
	exited_members(false, -1);
}

static void out_reaped(void)
{
	exited_members(false, M_REAPED);
}

/*
 * Bounded wait until the ring holds @want exited members: a record is
 * written by the final switch, which may come after the parent's wait
 * returned. Their comm is looked for, in the initial namespace, where a
 * record is listed even if its pids are wrong.
 */
static void await_exit_records(int want)
{
	double end = now_s() + WAIT_S;
	struct timespec tick = { 0, 10 * 1000 * 1000 };
	int dev = dev_open(), n, i, found;

	for (;;) {
		n = exited(dev);
		for (found = 0, i = 0; i < n; i++)
			found += member_of(ring[i].comm) >= 0;
		if (found >= want)
			break;
		if (now_s() > end)
			die("%d of %d exit records after %d s", found, want,
			    WAIT_S);
		nanosleep(&tick, NULL);
	}
	close(dev);
}

/* A sibling namespace's init: it sees none of the first namespace. */
static void __attribute__((noreturn)) sibling_init(void)
{
	struct pcbstat_task t;
	int dev, n, i;

	prctl(PR_SET_NAME, "pn_sibling");
	sh->sibling_inum = pid_ns_inum();
	dev = dev_open();
	n = list_all(dev, true, 16);
	KSFT_CHECK(n == 1 && recs[0].pid == 1 && recs[0].tid == 1,
		   "sibling LIST threads: %d records, first pid %d %s", n,
		   n ? recs[0].pid : 0, n ? recs[0].comm : "");
	for (i = 0; i < NR_M; i++)
		KSFT_CHECK(get(dev, sh->m[i].ns_pid, false, &t) ||
				   strcmp(t.comm, m_comm[i]),
			   "sibling GET %d: the other namespace's %s",
			   sh->m[i].ns_pid, t.comm);
	n = exited(dev);
	for (i = 0; i < n; i++)
		KSFT_CHECK(member_of(ring[i].comm) < 0,
			   "sibling EXITED: the other namespace's %s (pid %d)",
			   ring[i].comm, ring[i].pid);
	close(dev);
	fflush(stdout);
	exit(ksft_case_failures ? 1 : 0);
}

/* Runs @init as pid 1 of a new namespace; its checks' verdict counts here. */
static void other_namespace(void (*init)(void), const char *what)
{
	int status;

	sibling = spawn_ns_init();
	if (sibling < 0)
		die("fork: %s", strerror(errno));
	if (!sibling)
		init();
	status = wait_child(sibling);
	sibling = 0;
	KSFT_CHECK(status == 0, "the %s namespace's checks: status %d", what,
		   status);
}

static void out_sibling(void)
{
	other_namespace(sibling_init, "sibling");
}

/* Made after the first namespace died: it saw no task exit. */
static void __attribute__((noreturn)) successor_init(void)
{
	int dev, n, i;

	prctl(PR_SET_NAME, "pn_successor");
	sh->successor_inum = pid_ns_inum();
	dev = dev_open();
	n = exited(dev);
	for (i = 0; i < n; i++)
		KSFT_CHECK(0,
			   "successor EXITED: %s (pid %d), of a namespace "
			   "gone before it",
			   ring[i].comm, ring[i].pid);
	close(dev);
	fflush(stdout);
	exit(ksft_case_failures ? 1 : 0);
}

static void out_successor(void)
{
	await_exit_records(NR_M);
	other_namespace(successor_init, "successor");
	KSFT_CHECK(sh->first_inum && sh->sibling_inum && sh->successor_inum,
		   "no pid namespace number in /proc/self/ns/pid");
	printf("# pid:[%lu] first, pid:[%lu] sibling, pid:[%lu] successor: "
	       "%s\n",
	       sh->first_inum, sh->sibling_inum, sh->successor_inum,
	       sh->successor_inum == sh->first_inum ? "the first's reused"
	       : sh->successor_inum == sh->sibling_inum
		       ? "the sibling's reused"
		       : "none reused, so only "
			 "isolation was checked");
}

static __u64 last_seq(void)
{
	int dev = dev_open(), n;

	sh->start_seq = 0;
	n = exited(dev);
	close(dev);
	return n ? ring[n - 1].seq : 0;
}

int main(void)
{
	int i;

	setvbuf(stdout, NULL, _IOLBF, 0);
	module_load();
	sh = mmap(NULL, sizeof(*sh), PROT_READ | PROT_WRITE,
		  MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (sh == MAP_FAILED)
		die("mmap: %s", strerror(errno));
	sh->test_pid = getpid();
	ksft_cleanup = cleanup;
	sh->start_seq = last_seq();
	if (pipe(cmd_pipe) || pipe(rep_pipe) || pipe(rdy_pipe))
		die("pipe: %s", strerror(errno));
	outer = spawn_ns_init();
	if (outer < 0)
		die("fork: %s", strerror(errno));
	if (!outer)
		ns_init();
	close(cmd_pipe[0]);
	close(rep_pipe[1]);
	from_init();
	if (sh->oracle_bad)
		die("a member's NSpid disagrees with its getpid()");
	if (sh->m[M_INIT].ns_pid != 1)
		die("pn_init is pid %d in its namespace", sh->m[M_INIT].ns_pid);
	for (i = 0; i < NR_M; i++)
		printf("# %-10s pid %5d (outside %5d), ppid %5d (outside %5d)\n",
		       m_comm[i], sh->m[i].ns_pid, sh->m[i].host_pid,
		       sh->m[i].ns_ppid, sh->m[i].host_ppid);
	printf("# thread of pn_live2: tid %d (outside %d)\n", sh->thread.ns_pid,
	       sh->thread.host_pid);
	await_exit_records(3);

	KSFT_CASE("GET by the namespace's pids", inside('g'));
	KSFT_CASE("GET of pids outside the namespace is ESRCH", inside('o'));
	KSFT_CASE("LIST shows only the namespace's tasks", inside('l'));
	KSFT_CASE("EXITED shows only the namespace's children", inside('x'));
	KSFT_CASE("a child reaped before its exit record, inside", inside('r'));
	KSFT_CASE("GET outside: the same tasks with the parent's pids",
		  out_get());
	KSFT_CASE("LIST outside: the same tasks with the parent's pids",
		  out_list());
	KSFT_CASE("EXITED outside: the same children with the parent's pids",
		  out_exited());
	KSFT_CASE("a child reaped before its exit record, outside",
		  out_reaped());
	KSFT_CASE("a sibling namespace sees none of them", out_sibling());

	if (write(cmd_pipe[1], "q", 1) != 1 || wait_child(outer) != 0)
		die("pn_init did not end cleanly");
	outer = 0;
	KSFT_CASE("a namespace made after the first died sees none of it",
		  out_successor());
	module_unload();
	return ksft_exit();
}
