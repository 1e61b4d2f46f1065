// SPDX-License-Identifier: GPL-2.0
/*
 * Readers never mix two tasks, and a thread's figures never go backwards,
 * while threads are created and exit as fast as they can.
 *
 * The churner creates PCBSTAT_CHURN_THREADS threads (1000 here, 20000 in
 * check-full), a few at a time; each names itself "c<tid>" and then
 * yields and sleeps a number of times that depends on its tid, so threads
 * differ in their counts. It also forks a short-lived process every
 * PROC_EVERY threads, named "p<pid>". Meanwhile a reader process lists
 * every thread with PCBSTAT_IOC_LIST and reads /proc/pcbstat, over and
 * over, and checks each record of ours against an oracle that does not
 * come from the slot:
 *  - identity: the name says the tid (pid for /proc rows); the record's
 *    tid and pid agree with it and with the churner's pid;
 *  - the figures are the named task's: the switch-outs the probes counted
 *    in the slot (sw_thread + sw_process + sw_kernel) equal the ones the
 *    kernel counted in the task (nvcsw + nivcsw), give or take the
 *    switches made between the two reads of one record;
 *  - monotonic: every event counter of a thread (tid and start_ns) is at
 *    least what the previous read showed (time figures: see FIRST_NS).
 *
 * A churn thread lives too briefly to be read more than once or twice,
 * and a reader's copy rarely meets an update of the same slot: a reader
 * that copied slots without their sequence count and key went unseen.
 * So two hot threads ("h<tid>") of the churner also ping-pong through a
 * pipe on the last CPU for the whole run, switching, blocking and waking
 * as fast as they can, and the reader, on CPU 0, GETs them HOT_READS times
 * a pass: a copy that mixes a slot's state from before a switch with its
 * counters from after it counts the switch's dispatch twice, and the next
 * read shows the count going back. Their figures are checked for that
 * order only: one record's two reads of a thread that switches thousands
 * of times a second may be far apart when the host delays the reader.
 * timeout: 300
 */
#include <fcntl.h>
#include <pthread.h>
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

#define DEFAULT_THREADS 1000
#define AT_ONCE		16
#define PROC_EVERY	64
#define LIST_ROOM	512
/* Switches a record may see in the task and not yet in the slot, or after. */
#define SLACK_BEHIND	2
#define SLACK_AHEAD	8
#define SEEN_BITS	16
#define NFIG		10
/*
 * The time figures of a thread on a CPU are brought up to the reader's
 * clock from the scheduler's stamps of another CPU, so they may run ahead
 * of a later read by the two clocks' skew: counted and reported, not
 * failed. Every event counter before them must never go back.
 */
#define FIRST_NS	7
#define HOT		2
#define HOT_READS	200

struct shared {
	volatile int done;
	unsigned long long rows, reads, lists, time_back;
	unsigned long long hot_reads;
	volatile int hot_tid[HOT];
	volatile int hot_stop; /* after the reader: it GETs them to the end */
};

struct seen {
	int tid;
	unsigned long long start_ns;
	unsigned long long fig[NFIG];
};

static struct seen seen[1 << SEEN_BITS];
static unsigned long long time_back;
static struct pcbstat_task recs[LIST_ROOM];

static const char *const fig_name[NFIG] = {
	"sw_thread", "sw_process", "sw_kernel", "dispatches", "preempts",
	"blocks",    "wakeups",	   "ready_ns",	"running_ns", "blocked_ns",
};

static void figures(const struct pcbstat_task *t, unsigned long long *f)
{
	f[0] = t->sw_thread;
	f[1] = t->sw_process;
	f[2] = t->sw_kernel;
	f[3] = t->dispatches;
	f[4] = t->preempts;
	f[5] = t->blocks;
	f[6] = t->wakeups;
	f[7] = t->ready_ns;
	f[8] = t->running_ns;
	f[9] = t->blocked_ns;
}

/* The switch-outs of one record, in the slot and in the task. */
static void check_owner(const char *what, int id, unsigned long long slot_sw,
			unsigned long long task_sw)
{
	if (slot_sw + SLACK_BEHIND < task_sw || slot_sw > task_sw + SLACK_AHEAD)
		die("%s %d: slot counted %llu switch-outs, the task %llu: another task's figures",
		    what, id, slot_sw, task_sw);
}

static void check_thread(const struct pcbstat_task *t, int churner)
{
	char kind = t->comm[0];
	unsigned long long f[NFIG];
	struct seen *s;
	int named, i;

	if ((kind != 'c' && kind != 'h') ||
	    sscanf(t->comm + 1, "%d", &named) != 1)
		return;
	if (t->tid != named || t->pid != churner)
		die("record of tid %d pid %d is named %s (churner %d)", t->tid,
		    t->pid, t->comm, churner);
	/* Figures gone with a thread reaped mid-read are unknown, not 0. */
	if (t->sw_thread == PCBSTAT_UNKNOWN)
		return;
	if (kind == 'c')
		check_owner("tid", t->tid,
			    t->sw_thread + t->sw_process + t->sw_kernel,
			    t->nvcsw + t->nivcsw);
	figures(t, f);
	s = &seen[t->tid & ((1 << SEEN_BITS) - 1)];
	if (s->tid == t->tid && s->start_ns == t->start_ns) {
		for (i = 0; i < NFIG; i++) {
			if (f[i] >= s->fig[i])
				continue;
			if (i < FIRST_NS)
				die("tid %d: %s went back from %llu to %llu",
				    t->tid, fig_name[i], s->fig[i], f[i]);
			time_back++;
		}
	}
	s->tid = t->tid;
	s->start_ns = t->start_ns;
	memcpy(s->fig, f, sizeof(f));
}

static void list_pass(int dev, int churner, struct shared *sh)
{
	struct pcbstat_list l = {
		.size = sizeof(l),
		.flags = PCBSTAT_LIST_THREADS,
		.next_pid = 1,
		.entry_size = sizeof(recs[0]),
		.buf = (uintptr_t)recs,
	};
	unsigned int i;

	while (l.next_pid) {
		l.count = LIST_ROOM;
		if (ioctl(dev, PCBSTAT_IOC_LIST, &l))
			die("LIST threads: %s", strerror(errno));
		for (i = 0; i < l.count; i++)
			check_thread(&recs[i], churner);
		sh->rows += l.count;
	}
	sh->lists++;
}

/* The hot threads, read back to back from another CPU. */
static void hot_pass(int dev, int churner, struct shared *sh)
{
	struct pcbstat_task t;
	struct pcbstat_get g = {
		.size = sizeof(g),
		.flags = PCBSTAT_GET_THREAD,
		.entry_size = sizeof(t),
		.out = (uintptr_t)&t,
	};
	int r, h;

	for (r = 0; r < HOT_READS; r++)
		for (h = 0; h < HOT; h++) {
			g.pid = sh->hot_tid[h];
			if (!g.pid)
				continue;
			if (ioctl(dev, PCBSTAT_IOC_GET, &g))
				die("GET hot thread %d: %s", g.pid,
				    strerror(errno));
			check_thread(&t, churner);
			sh->hot_reads++;
		}
}

static int column(char **names, int n, const char *want)
{
	int i;

	for (i = 0; i < n; i++)
		if (!strcmp(names[i], want))
			return i;
	die("/proc/pcbstat has no column %s", want);
}

/* Rows of the short-lived processes: single-threaded, so comparable. */
static void proc_pass(struct shared *sh)
{
	static const char *const cols[] = { "pid",	 "threads",
					    "nvcsw",	 "nivcsw",
					    "sw_thread", "sw_process",
					    "sw_kernel", "comm" };
	char head[4096], line[4096], *names[ROW_MAX_COLS], *v[ROW_MAX_COLS];
	int at[8], n, i, named;
	FILE *f = fopen("/proc/pcbstat", "r");

	if (!f || !fgets(head, sizeof(head), f))
		die("read /proc/pcbstat");
	n = split(head, names);
	for (i = 0; i < 8; i++)
		at[i] = column(names, n, cols[i]);
	while (fgets(line, sizeof(line), f)) {
		if (split(line, v) != n)
			die("/proc/pcbstat: a row of the wrong width");
		sh->rows++;
		if (v[at[7]][0] != 'p' ||
		    sscanf(v[at[7]] + 1, "%d", &named) != 1)
			continue;
		if (atoi(v[at[0]]) != named)
			die("row of pid %s is named %s", v[at[0]], v[at[7]]);
		if (atoi(v[at[1]]) != 1 || !strcmp(v[at[4]], "-"))
			continue;
		check_owner("pid", named,
			    strtoull(v[at[4]], NULL, 10) +
				    strtoull(v[at[5]], NULL, 10) +
				    strtoull(v[at[6]], NULL, 10),
			    strtoull(v[at[2]], NULL, 10) +
				    strtoull(v[at[3]], NULL, 10));
	}
	fclose(f);
	sh->reads++;
}

static void reader(int churner, struct shared *sh)
{
	int dev = open(PCBSTAT_DEVICE, O_RDONLY);

	if (dev < 0)
		die("open %s", PCBSTAT_DEVICE);
	pin_cpu0();
	/* One last pass after the churn ends, so that every run reads. */
	do {
		hot_pass(dev, churner, sh);
		list_pass(dev, churner, sh);
		proc_pass(sh);
	} while (!sh->done);
	close(dev);
	sh->time_back = time_back;
	exit(0);
}

/* Work that makes a thread's counts depend on who it is. */
static void busy(int id)
{
	struct timespec ts = { 0, 1000 };
	int i;

	for (i = 0; i < 1 + id % 8; i++) {
		sched_yield();
		nanosleep(&ts, NULL);
	}
}

static void *churn_thread(void *arg)
{
	int tid = syscall(SYS_gettid);
	char name[16];

	snprintf(name, sizeof(name), "c%d", tid);
	prctl(PR_SET_NAME, name);
	busy(tid);
	return NULL;
}

static struct shared *sh;
static int hot_pipe[HOT][2];

/*
 * One of the hot pair: hands a byte to the other and waits for it back,
 * on the last CPU, away from the reader, until the reader is done.
 */
static void *hot_thread(void *arg)
{
	int h = (long)arg, tid = syscall(SYS_gettid);
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);
	char name[16], c = 0;
	cpu_set_t set;

	snprintf(name, sizeof(name), "h%d", tid);
	prctl(PR_SET_NAME, name);
	CPU_ZERO(&set);
	CPU_SET(cpus > 1 ? cpus - 1 : 0, &set);
	sched_setaffinity(0, sizeof(set), &set);
	sh->hot_tid[h] = tid;
	if (h && write(hot_pipe[0][1], &c, 1) != 1)
		return NULL;
	while (read(hot_pipe[h][0], &c, 1) == 1 && !sh->hot_stop)
		if (write(hot_pipe[!h][1], &c, 1) != 1)
			break;
	/* Let the other one see done too. */
	if (write(hot_pipe[!h][1], &c, 1) != 1)
		return NULL;
	return NULL;
}

static void short_process(void)
{
	pid_t pid = fork();
	char name[16];

	if (pid < 0)
		die("fork: %s", strerror(errno));
	if (pid)
		return;
	snprintf(name, sizeof(name), "p%d", getpid());
	prctl(PR_SET_NAME, name);
	busy(getpid());
	_exit(0);
}

static pid_t reader_pid;
static int reader_status = -1;

/* Reaps the short-lived processes, and the reader if it has stopped. */
static void reap_processes(int block)
{
	int status;
	pid_t pid;

	while ((pid = waitpid(-1, &status, block ? 0 : WNOHANG)) > 0)
		if (pid == reader_pid)
			reader_status = status;
}

static long churn(long total)
{
	pthread_t th[AT_ONCE];
	pthread_attr_t attr;
	long made = 0;
	int i, n;

	pthread_attr_init(&attr);
	pthread_attr_setstacksize(&attr, 64 * 1024);
	/* A reader that stopped early has failed: stop the churn too. */
	while (made < total && reader_status == -1) {
		n = total - made < AT_ONCE ? total - made : AT_ONCE;
		for (i = 0; i < n; i++)
			if (pthread_create(&th[i], &attr, churn_thread, NULL))
				die("pthread_create: %s", strerror(errno));
		for (i = 0; i < n; i++)
			pthread_join(th[i], NULL);
		if (made / PROC_EVERY != (made + n) / PROC_EVERY)
			short_process();
		reap_processes(0);
		made += n;
	}
	return made;
}

int main(void)
{
	const char *env = getenv("PCBSTAT_CHURN_THREADS");
	long total = env ? atol(env) : DEFAULT_THREADS, made;
	pthread_t hot[HOT];
	int status, h;

	module_load();
	sh = mmap(NULL, sizeof(*sh), PROT_READ | PROT_WRITE,
		  MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (sh == MAP_FAILED)
		die("mmap");
	prctl(PR_SET_NAME, "churner");
	reader_pid = fork();
	if (reader_pid < 0)
		die("fork");
	if (!reader_pid)
		reader(getppid(), sh);
	for (h = 0; h < HOT; h++)
		if (pipe(hot_pipe[h]))
			die("pipe: %s", strerror(errno));
	for (h = 0; h < HOT; h++)
		if (pthread_create(&hot[h], NULL, hot_thread, (void *)(long)h))
			die("pthread_create: %s", strerror(errno));
	made = churn(total);
	sh->done = 1;
	while (reader_status == -1)
		reap_processes(1);
	sh->hot_stop = 1;
	for (h = 0; h < HOT; h++)
		pthread_join(hot[h], NULL);
	status = reader_status;
	printf("%ld threads churned; reader: %llu LIST passes, %llu /proc reads, %llu rows, %llu GETs of the hot pair\n",
	       made, sh->lists, sh->reads, sh->rows, sh->hot_reads);
	printf("time figures behind an earlier read (clock skew): %llu\n",
	       sh->time_back);
	/* Unloaded first: a failure must not leave the module behind. */
	module_unload();
	if (!WIFEXITED(status) || WEXITSTATUS(status))
		die("reader failed (status %#x)", status);
	if (!sh->lists || !sh->reads)
		die("the reader never read");
	return 0;
}
