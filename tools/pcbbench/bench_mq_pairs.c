// SPDX-License-Identifier: GPL-2.0
/*
 * pcbbench mq, parts c and x: throughput under concurrency, through the
 * calls an unmodified program makes.
 *   c   N sender/receiver pairs (processes), N = 1, 2, 4, 8, 16, each pair
 *       on its own queue, then all N on one queue (pair i sends and
 *       receives type i + 1); single msgsnd/msgrcv calls of 64 B, libc's
 *       (the kernel's queue) against libpcbmq.so's, loaded with dlopen()
 *       as LD_PRELOAD would load it. Messages per second of all pairs,
 *       the ratio device / kernel as the median of alternated trials with
 *       its 95% interval.
 *   x   stress-ng --msg N through LD_PRELOAD=libpcbmq.so against plain,
 *       alternated: an external measure of the same thing.
 * The shim is build/lib/libpcbmq.so beside build/bin/pcbbench, or
 * $PCBMQ_LIB.
 */
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/msg.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bench_mq.h"
#include "measure.h"

#define PAIRS_MAX     16
#define PAIRS_TEXT    64
#define PAIRS_QBYTES  16384
#define PAIRS_TRIALS  11
#define PAIRS_MSGS    24000
#define STRESS_TRIALS 7
#define STRESS_OPS    50000

/* One implementation of the four calls: libc's, or the shim's. */
struct mq_api {
	const char *name;
	int (*get)(key_t key, int msgflg);
	int (*snd)(int msqid, const void *msgp, size_t msgsz, int msgflg);
	ssize_t (*rcv)(int msqid, void *msgp, size_t msgsz, long msgtyp,
		       int msgflg);
	int (*ctl)(int msqid, int cmd, struct msqid_ds *buf);
};

/*
 * The kernel's calls as libc makes them. pcbbench links libpcbmq in, whose
 * msg* would stand in for libc's here, so these are the system calls.
 */
static int sys_get(key_t key, int msgflg)
{
	return syscall(SYS_msgget, key, msgflg);
}

static int sys_snd(int msqid, const void *msgp, size_t msgsz, int msgflg)
{
	return syscall(SYS_msgsnd, msqid, msgp, msgsz, msgflg);
}

static ssize_t sys_rcv(int msqid, void *msgp, size_t msgsz, long msgtyp,
		       int msgflg)
{
	return syscall(SYS_msgrcv, msqid, msgp, msgsz, msgtyp, msgflg);
}

static int sys_ctl(int msqid, int cmd, struct msqid_ds *buf)
{
	return syscall(SYS_msgctl, msqid, cmd, buf);
}

static const struct mq_api libc_api = { "sysv", sys_get, sys_snd, sys_rcv,
					sys_ctl };
static struct mq_api shim_api = { .name = "pcbmq" };

/* --pairs, --pairs-trials, --pairs-msgs, --stress-ng, --pairs-loop */
static const char *pair_counts = "1,2,4,8,16";
static const char *stress_counts = "4";
static int pairs_trials = PAIRS_TRIALS;
static int pairs_msgs = PAIRS_MSGS;
static const char *pairs_loop;

struct pmsg {
	long mtype;
	uint32_t seq;
	char pad[PAIRS_TEXT - sizeof(uint32_t)];
};

static char shim_path[PATH_MAX + 32];

static const char *mq_shim_path(void)
{
	const char *env = getenv("PCBMQ_LIB");
	char exe[PATH_MAX];
	ssize_t n;
	char *slash;

	if (env)
		return env;
	n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (n <= 0)
		return NULL;
	exe[n] = '\0';
	/* build/bin/pcbbench -> build/lib/libpcbmq.so */
	slash = strrchr(exe, '/');
	if (!slash)
		return NULL;
	*slash = '\0';
	snprintf(shim_path, sizeof(shim_path), "%s/../lib/libpcbmq.so", exe);
	return shim_path;
}

static int mq_shim_load(void)
{
	const char *path = mq_shim_path();
	void *h;

	if (shim_api.snd)
		return 0;
	h = path ? dlopen(path, RTLD_NOW | RTLD_LOCAL) : NULL;
	if (!h) {
		fprintf(stderr, "pcbbench mq: cannot load the shim %s: %s\n",
			path ? path : "(no path)", dlerror());
		return -1;
	}
	shim_api.get = (int (*)(key_t, int))dlsym(h, "msgget");
	shim_api.snd =
		(int (*)(int, const void *, size_t, int))dlsym(h, "msgsnd");
	shim_api.rcv =
		(ssize_t(*)(int, void *, size_t, long, int))dlsym(h, "msgrcv");
	shim_api.ctl = (int (*)(int, int, struct msqid_ds *))dlsym(h, "msgctl");
	if (!shim_api.get || !shim_api.snd || !shim_api.rcv || !shim_api.ctl) {
		fprintf(stderr, "pcbbench mq: %s lacks the msg* calls\n", path);
		shim_api.snd = NULL;
		return -1;
	}
	return 0;
}

/* Every queue of a trial, sized like P5's: 256 messages of 64 B. */
static int pairs_queue(const struct mq_api *api)
{
	struct msqid_ds ds;
	int id = api->get(IPC_PRIVATE, 0600);

	if (id < 0)
		return -1;
	if (api->ctl(id, IPC_STAT, &ds))
		goto err_rmid;
	ds.msg_qbytes = PAIRS_QBYTES;
	if (api->ctl(id, IPC_SET, &ds))
		goto err_rmid;
	return id;

err_rmid:
	api->ctl(id, IPC_RMID, NULL);
	return -1;
}

/* One side of pair @i, after the start: 0 if every message was right. */
static int pairs_side(const struct mq_api *api, int id, long type, bool send,
		      int msgs)
{
	struct pmsg m = { .mtype = type };
	int k;

	for (k = 0; k < msgs; k++) {
		if (send) {
			m.seq = k;
			if (api->snd(id, &m, PAIRS_TEXT, 0))
				return -1;
		} else {
			/* As stress-ng --verify: each pair's order is FIFO. */
			if (api->rcv(id, &m, PAIRS_TEXT, type, 0) !=
				    PAIRS_TEXT ||
			    m.seq != (uint32_t)k)
				return -1;
		}
	}
	return 0;
}

/* A receiver stores when it got its last message in *@done. */
static pid_t pairs_fork(const struct mq_api *api, int id, long type, bool send,
			int msgs, const int *go, uint64_t *done)
{
	char c;
	pid_t pid = fork();

	if (pid)
		return pid;
	/* The start is the write end closing: read() returns 0 to all. */
	close(go[1]);
	if (read(go[0], &c, 1) != 0)
		_exit(1);
	if (pairs_side(api, id, type, send, msgs))
		_exit(1);
	if (!send)
		*done = now_ns();
	_exit(0);
}

static int pairs_reap(pid_t *pids, int n)
{
	int i, status, failed = 0;

	for (i = 0; i < n; i++) {
		if (pids[i] <= 0) {
			failed = 1;
			continue;
		}
		if (waitpid(pids[i], &status, 0) != pids[i] ||
		    !WIFEXITED(status) || WEXITSTATUS(status))
			failed = 1;
	}
	return failed;
}

/*
 * Messages per second of @n pairs sending @msgs each, on their own queues
 * or on one (@shared); < 0 if a call failed or a message was wrong.
 */
static double pairs_rate(const struct mq_api *api, int n, bool shared, int msgs)
{
	uint64_t *done, t0, last = 0;
	pid_t pids[2 * PAIRS_MAX];
	int ids[PAIRS_MAX], go[2], i, nq = shared ? 1 : n, failed;

	done = mmap(NULL, sizeof(*done) * n, PROT_READ | PROT_WRITE,
		    MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (done == MAP_FAILED)
		return -1;
	for (i = 0; i < nq; i++) {
		ids[i] = pairs_queue(api);
		if (ids[i] < 0)
			break;
	}
	failed = i < nq || pipe(go);
	for (i = 0; !failed && i < n; i++) {
		int id = ids[shared ? 0 : i];
		long type = shared ? i + 1 : 1;

		pids[2 * i] = pairs_fork(api, id, type, true, msgs, go, NULL);
		pids[2 * i + 1] =
			pairs_fork(api, id, type, false, msgs, go, &done[i]);
	}
	if (!failed) {
		close(go[0]);
		t0 = now_ns();
		close(go[1]);
		failed = pairs_reap(pids, 2 * n);
		for (i = 0; i < n; i++)
			if (done[i] > last)
				last = done[i];
	}
	for (i = 0; i < nq && ids[i] >= 0; i++)
		api->ctl(ids[i], IPC_RMID, NULL);
	munmap(done, sizeof(*done) * n);
	if (failed || last <= t0)
		return -1;
	return (double)n * msgs / ((last - t0) / 1e9);
}

/* A list like "1,2,4" into @v; the count, or -1 if an entry is bad. */
static int parse_counts(const char *s, int *v, int max, int hi)
{
	int n = 0;
	char *end;

	while (*s && n < max) {
		long x = strtol(s, &end, 10);

		if (end == s || x < 1 || x > hi)
			return -1;
		v[n++] = x;
		s = *end == ',' ? end + 1 : end;
		if (*end && *end != ',')
			return -1;
	}
	return *s ? -1 : n;
}

struct trials {
	double kernel[MQ_MAX_ROUNDS];
	double dev[MQ_MAX_ROUNDS];
	double ratio[MQ_MAX_ROUNDS];
	int n;
};

/* The kernel first in even trials, the device first in odd ones. */
static int trial_pair(struct trials *t, int i,
		      double (*measure)(bool device, void *arg), void *arg)
{
	int j;

	for (j = 0; j < 2; j++) {
		bool device = j ^ (i & 1);
		double v = measure(device, arg);

		if (v <= 0)
			return -1;
		*(device ? &t->dev[i] : &t->kernel[i]) = v;
	}
	t->ratio[i] = t->dev[i] / t->kernel[i];
	return 0;
}

/* "N msg/s  N msg/s  ratio (95% CI lo-hi)" and the verdict against @goal. */
static void print_trials(struct trials *t, double goal)
{
	double lo, hi, k = median(t->kernel, t->n), d = median(t->dev, t->n),
		       r = median_ci95_of(t->ratio, t->n, &lo, &hi);

	printf("sysv %9.0f  pcbmq %9.0f  %5.2fx (95%% CI %.2f-%.2f): "
	       "goal >= %.2f %s\n",
	       k, d, r, lo, hi, goal, verdict_at_least(lo, hi, goal));
}

struct pairs_arg {
	int n;
	bool shared;
	int msgs;
};

static double pairs_measure(bool device, void *arg)
{
	struct pairs_arg *a = arg;

	return pairs_rate(device ? &shim_api : &libc_api, a->n, a->shared,
			  a->msgs);
}

/* Part c: every count, own queues then one queue. */
static int pairs_part(int scale)
{
	struct trials t = { .n = pairs_trials };
	int counts[8], nc, c, s, i;

	nc = parse_counts(pair_counts, counts, 8, PAIRS_MAX);
	if (nc < 0 || mq_shim_load())
		return -1;
	printf("Pc N sender/receiver pairs, single calls of %d B through "
	       "libc and libpcbmq.so,\n   %d alternated trials of %d "
	       "messages (medians, msg/s of all pairs; ratio: pcbmq / sysv)\n",
	       PAIRS_TEXT, pairs_trials, pairs_msgs / scale);
	for (s = 0; s < 2; s++) {
		for (c = 0; c < nc; c++) {
			struct pairs_arg a = { counts[c], s == 1, 0 };

			a.msgs = pairs_msgs / scale / a.n;
			for (i = 0; i < t.n; i++)
				if (trial_pair(&t, i, pairs_measure, &a))
					break;
			printf("  %2d %-10s ", a.n,
			       a.shared ? "one queue" : "own queues");
			if (i < t.n) {
				printf("a trial failed\n");
				continue;
			}
			print_trials(&t, !a.shared && a.n >= 4 ? 1.5 : 1.0);
		}
	}
	return 0;
}

/* bogo-ops-per-second-real-time from stress-ng's YAML, or -1. */
static double stress_yaml_rate(const char *path)
{
	static const char key[] = "bogo-ops-per-second-real-time:";
	char line[256];
	double v = -1;
	FILE *f = fopen(path, "r");

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		char *p = strstr(line, key);

		if (p) {
			v = strtod(p + sizeof(key) - 1, NULL);
			break;
		}
	}
	fclose(f);
	return v;
}

struct stress_arg {
	int n;
	int ops;
};

/* stress-ng --msg N, through the shim if @device; bogo ops/s or -1. */
static double stress_measure(bool device, void *arg)
{
	struct stress_arg *a = arg;
	char n[16], ops[16], yaml[] = "/tmp/pcbbench-stress-XXXXXX";
	int fd = mkstemp(yaml), status;
	double v = -1;
	pid_t pid;

	if (fd < 0)
		return -1;
	close(fd);
	snprintf(n, sizeof(n), "%d", a->n);
	snprintf(ops, sizeof(ops), "%d", a->ops);
	pid = fork();
	if (pid == 0) {
		int null = open("/dev/null", O_WRONLY);

		dup2(null, 1);
		dup2(null, 2);
		if (device)
			setenv("LD_PRELOAD", mq_shim_path(), 1);
		execlp("stress-ng", "stress-ng", "--msg", n, "--msg-ops", ops,
		       "--verify", "--metrics-brief", "--temp-path", "/tmp",
		       "-Y", yaml, (char *)NULL);
		_exit(127);
	}
	if (pid > 0 && waitpid(pid, &status, 0) == pid && WIFEXITED(status) &&
	    !WEXITSTATUS(status))
		v = stress_yaml_rate(yaml);
	else if (pid > 0)
		fprintf(stderr, "pcbbench mq: stress-ng%s exited with %#x\n",
			device ? " (shim)" : "", status);
	unlink(yaml);
	return v;
}

/* Part x: stress-ng --msg N for every count, shim against plain. */
static int stress_part(int scale)
{
	struct trials t = { .n = STRESS_TRIALS };
	int counts[8], nc, c, i;

	nc = parse_counts(stress_counts, counts, 8, 64);
	if (nc < 0 || !mq_shim_path())
		return -1;
	printf("Px stress-ng --msg N --msg-ops %d --verify, LD_PRELOAD="
	       "libpcbmq.so against plain,\n   %d alternated trials (medians, "
	       "bogo ops/s; ratio: pcbmq / sysv)\n",
	       STRESS_OPS / scale, t.n);
	for (c = 0; c < nc; c++) {
		struct stress_arg a = { counts[c], STRESS_OPS / scale };

		for (i = 0; i < t.n; i++)
			if (trial_pair(&t, i, stress_measure, &a))
				break;
		printf("  %2d pairs     ", a.n);
		if (i < t.n) {
			printf("a trial failed (is stress-ng installed?)\n");
			continue;
		}
		print_trials(&t, 0.95);
	}
	return 0;
}

int mq_pairs_parts(const char *only, int scale)
{
	int rc = 0;

	if (strchr(only, 'c') && pairs_part(scale))
		rc = 1;
	if (strchr(only, 'x') && stress_part(scale))
		rc = 1;
	return rc;
}

bool mq_pairs_looping(void)
{
	return pairs_loop != NULL;
}

/* --pairs-loop [sysv-][shared:]N: one run of N pairs, for perf. */
int mq_pairs_loop(void)
{
	const char *s = pairs_loop;
	bool sysv = !strncmp(s, "sysv-", 5), shared;
	double v;
	int n;

	s += sysv ? 5 : 0;
	shared = !strncmp(s, "shared:", 7);
	s += shared ? 7 : 0;
	n = atoi(s);
	if (n < 1 || n > PAIRS_MAX || (!sysv && mq_shim_load()))
		return 1;
	v = pairs_rate(sysv ? &libc_api : &shim_api, n, shared, pairs_msgs / n);
	printf("Pc loop: %s %d pairs, %s: %.0f msg/s\n",
	       sysv ? "sysv" : "pcbmq", n, shared ? "one queue" : "own queues",
	       v);
	return v > 0 ? 0 : 1;
}

/* An integer option's value in [lo, hi] into *@v; -1 if out of range. */
static int int_opt(const char *val, int lo, int hi, int *v)
{
	char *end;
	long x = strtol(val, &end, 10);

	if (end == val || *end || x < lo || x > hi)
		return -1;
	*v = x;
	return 0;
}

/* 0 if @opt is one of these parts' options and @val is good, else -1. */
static int mq_pairs_opt(const char *opt, const char *val)
{
	int v[8];

	if (!strcmp(opt, "--pairs")) {
		pair_counts = val;
		return parse_counts(val, v, 8, PAIRS_MAX) > 0 ? 0 : -1;
	}
	if (!strcmp(opt, "--stress-ng")) {
		stress_counts = val;
		return parse_counts(val, v, 8, 64) > 0 ? 0 : -1;
	}
	if (!strcmp(opt, "--pairs-trials"))
		return int_opt(val, 1, MQ_MAX_ROUNDS, &pairs_trials);
	if (!strcmp(opt, "--pairs-msgs"))
		return int_opt(val, PAIRS_MAX, INT_MAX, &pairs_msgs);
	if (!strcmp(opt, "--pairs-loop")) {
		pairs_loop = val;
		return 0;
	}
	return -1;
}

/* cli_parse()'s call for each option of these parts; @ctx names it. */
int mq_pairs_set(void *ctx, const char *val)
{
	if (!mq_pairs_opt(ctx, val))
		return 0;
	fprintf(stderr, "pcbbench mq: %s: bad value '%s'\n", (const char *)ctx,
		val);
	return -1;
}

void mq_pairs_usage(FILE *out)
{
	fprintf(out,
		"  part c: N pairs of single-call senders/receivers, own queues "
		"and one queue,\n"
		"    libc against libpcbmq.so (dlopen; $PCBMQ_LIB overrides the "
		"path)\n"
		"  part x: stress-ng --msg N, LD_PRELOAD=libpcbmq.so against "
		"plain\n"
		"  --pairs LIST: part c's pair counts (default %s, at most %d)\n"
		"  --pairs-trials N: part c's trials (default %d)\n"
		"  --pairs-msgs N: messages of a trial, all pairs together "
		"(default %d)\n"
		"  --stress-ng LIST: part x's instance counts (default %s)\n"
		"  --pairs-loop [sysv-][shared:]N: only one run of N pairs "
		"(for perf)\n",
		pair_counts, PAIRS_MAX, PAIRS_TRIALS, PAIRS_MSGS,
		stress_counts);
}
