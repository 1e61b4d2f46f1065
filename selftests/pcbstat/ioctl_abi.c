// SPDX-License-Identifier: GPL-2.0
/*
 * /dev/pcbstat ioctls: good requests return what /proc and getpid() say;
 * bad ones (wrong size, non-zero reserved or unknown flags, bad pointers,
 * unknown commands) fail with the documented errno and change nothing,
 * neither the request struct nor the caller's buffer.
 */
#include <fcntl.h>
#include <stdint.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <time.h>

#include "pcbstat.h"
#include "pcbstat_test.h"

#define BAD_PTR 0x10ULL /* never mapped */

static int dev;
static unsigned char outbuf[8192];

static void fill_out(void)
{
	memset(outbuf, 0xa5, sizeof(outbuf));
}

static int out_untouched(void)
{
	size_t i;

	for (i = 0; i < sizeof(outbuf); i++)
		if (outbuf[i] != 0xa5)
			return 0;
	return 1;
}

/* Runs a request expected to fail with @want and change nothing. */
static void expect_err(const char *what, unsigned long cmd, void *req,
		       size_t len, int want)
{
	unsigned char copy[512];
	int rc;

	memcpy(copy, req, len);
	fill_out();
	rc = ioctl(dev, cmd, req);
	if (rc != -1 || errno != want)
		die("%s: rc %d errno %d (%s), want errno %d", what, rc, errno,
		    strerror(errno), want);
	if (memcmp(copy, req, len))
		die("%s: the request struct was changed", what);
	if (!out_untouched())
		die("%s: the output buffer was written", what);
	printf("%s: %s as expected\n", what, strerror(want));
}

static struct pcbstat_get get_self(void)
{
	struct pcbstat_get g = {
		.size = sizeof(g),
		.pid = getpid(),
		.entry_size = sizeof(struct pcbstat_task),
		.out = (uintptr_t)outbuf,
	};

	return g;
}

static void check_get(void)
{
	struct pcbstat_get g = get_self();
	struct pcbstat_task *t = (void *)outbuf;
	size_t i;

	if (sizeof(struct pcbstat_task) != PCBSTAT_TASK_SIZE_VER1)
		die("uapi struct is %zu bytes", sizeof(struct pcbstat_task));
	g.entry_size = sizeof(*t) + 64; /* a newer caller's bigger record */
	fill_out();
	if (ioctl(dev, PCBSTAT_IOC_GET, &g))
		die("GET self: %s", strerror(errno));
	if (t->pid != getpid() || t->tid != getpid() || t->state != 'R' ||
	    t->threads != 1 || t->size != sizeof(*t) || t->ppid != getppid())
		die("GET self: pid %d tid %d state %c threads %u size %u",
		    t->pid, t->tid, t->state, t->threads, t->size);
	if (strcmp(t->comm, "ioctl_abi"))
		die("GET self: comm %s", t->comm);
	for (i = sizeof(*t); i < sizeof(*t) + 64; i++)
		if (outbuf[i])
			die("GET: bytes past the record not zeroed");
	if (outbuf[sizeof(*t) + 64] != 0xa5)
		die("GET: wrote past entry_size");
	g.flags = PCBSTAT_GET_THREAD;
	if (ioctl(dev, PCBSTAT_IOC_GET, &g) || !(t->flags & PCBSTAT_F_THREAD))
		die("GET thread: %s", strerror(errno));
	printf("GET: self as process and as thread\n");
}

/* Above a page is E2BIG even with a zero tail, as for /dev/pcbmq. */
static void check_get_above_page(void)
{
	static unsigned char huge[3 * 4096];
	struct pcbstat_get g = get_self();

	g.size = sysconf(_SC_PAGESIZE) + 8;
	if (g.size > sizeof(huge))
		return;
	memcpy(huge, &g, sizeof(g));
	expect_err("GET size above a page", PCBSTAT_IOC_GET, huge, sizeof(g),
		   E2BIG);
}

static void check_get_errors(void)
{
	struct {
		struct pcbstat_get g;
		uint64_t tail;
	} big = { get_self(), 1 };
	struct pcbstat_get g;

	g = get_self();
	g.size = 8;
	expect_err("GET short size", PCBSTAT_IOC_GET, &g, sizeof(g), EINVAL);
	big.g.size = sizeof(big);
	expect_err("GET unknown non-zero tail", PCBSTAT_IOC_GET, &big,
		   sizeof(big), E2BIG);
	check_get_above_page();
	g = get_self();
	g.reserved = 1;
	expect_err("GET reserved", PCBSTAT_IOC_GET, &g, sizeof(g), EINVAL);
	g = get_self();
	g.flags = 0x80;
	expect_err("GET unknown flag", PCBSTAT_IOC_GET, &g, sizeof(g), EINVAL);
	g = get_self();
	g.entry_size = PCBSTAT_TASK_SIZE_VER0 - 8;
	expect_err("GET small entry", PCBSTAT_IOC_GET, &g, sizeof(g), EINVAL);
	g = get_self();
	g.out = BAD_PTR;
	expect_err("GET bad out", PCBSTAT_IOC_GET, &g, sizeof(g), EFAULT);
	g = get_self();
	g.pid = 0x3ffffff0;
	expect_err("GET no such pid", PCBSTAT_IOC_GET, &g, sizeof(g), ESRCH);
	fill_out();
	if (ioctl(dev, PCBSTAT_IOC_GET, (void *)BAD_PTR) != -1 ||
	    errno != EFAULT)
		die("GET bad request pointer: errno %d", errno);
	g = get_self();
	expect_err("unknown nr",
		   _IOWR(PCBSTAT_IOC_MAGIC, 0x7f, struct pcbstat_get), &g,
		   sizeof(g), ENOTTY);
	expect_err("wrong magic", _IOWR('x', 1, struct pcbstat_get), &g,
		   sizeof(g), ENOTTY);
	expect_err("wrong direction",
		   _IOR(PCBSTAT_IOC_MAGIC, 1, struct pcbstat_get), &g,
		   sizeof(g), ENOTTY);
}

static int proc_rows(void)
{
	FILE *f = fopen("/proc/pcbstat", "r");
	char line[4096];
	int n = -1;

	if (!f)
		die("open /proc/pcbstat");
	while (fgets(line, sizeof(line), f))
		n++;
	fclose(f);
	return n;
}

static void check_list(void)
{
	struct pcbstat_list l = {
		.size = sizeof(l),
		.next_pid = 1,
		.entry_size = sizeof(struct pcbstat_task),
		.buf = (uintptr_t)outbuf,
	};
	int total = 0, batches = 0, rows = proc_rows(), self = 0;
	unsigned int i;

	while (l.next_pid) {
		struct pcbstat_task *t = (void *)outbuf;

		l.count = sizeof(outbuf) / sizeof(*t);
		if (l.count > 7)
			l.count = 7;
		if (ioctl(dev, PCBSTAT_IOC_LIST, &l))
			die("LIST: %s", strerror(errno));
		for (i = 0; i < l.count; i++)
			self |= t[i].pid == getpid();
		total += l.count;
		if (++batches > 100000)
			die("LIST never ends");
	}
	printf("LIST: %d processes in %d batches; /proc/pcbstat %d rows\n",
	       total, batches, rows);
	if (!self || total < rows - 3 || total > rows + 3)
		die("LIST and /proc/pcbstat disagree");

	l.next_pid = 1;
	l.count = 4;
	l.reserved = 1;
	expect_err("LIST reserved", PCBSTAT_IOC_LIST, &l, sizeof(l), EINVAL);
	l.reserved = 0;
	l.next_pid = 0;
	expect_err("LIST pid 0", PCBSTAT_IOC_LIST, &l, sizeof(l), EINVAL);
	l.next_pid = 1;
	l.buf = BAD_PTR;
	expect_err("LIST bad buf", PCBSTAT_IOC_LIST, &l, sizeof(l), EFAULT);
}

static void check_exited(void)
{
	struct pcbstat_exited x = {
		.size = sizeof(x),
		.entry_size = sizeof(struct pcbstat_task),
		.buf = (uintptr_t)outbuf,
	};
	struct timespec ts = { 0, 10000000 };
	struct pcbstat_task *t = (void *)outbuf;
	pid_t child = fork();
	unsigned int i, tries;

	if (child < 0)
		die("fork");
	if (!child)
		_exit(7);
	for (tries = 0; tries < 1000; tries++) {
		x.count = sizeof(outbuf) / sizeof(*t);
		x.after_seq = 0;
		if (ioctl(dev, PCBSTAT_IOC_EXITED, &x))
			die("EXITED: %s", strerror(errno));
		for (i = 0; i < x.count; i++)
			if (t[i].pid == child)
				goto found;
		nanosleep(&ts, NULL);
	}
	die("child %d never reached the exited ring", child);
found:
	if (!(t[i].flags & PCBSTAT_F_EXITED) || !t[i].seq || !t[i].exit_ns ||
	    t[i].exit_ns < t[i].start_ns)
		die("EXITED record: flags %x seq %llu", t[i].flags,
		    (unsigned long long)t[i].seq);
	waitpid(child, NULL, 0);
	printf("EXITED: child %d at seq %llu\n", child,
	       (unsigned long long)t[i].seq);
	x.lost = 5;
	expect_err("EXITED lost set", PCBSTAT_IOC_EXITED, &x, sizeof(x),
		   EINVAL);
	x.lost = 0;
	x.reserved = 3;
	expect_err("EXITED reserved", PCBSTAT_IOC_EXITED, &x, sizeof(x),
		   EINVAL);
}

int main(void)
{
	module_load();
	dev = open(PCBSTAT_DEVICE, O_RDONLY);
	if (dev < 0)
		die("open %s: %s", PCBSTAT_DEVICE, strerror(errno));
	KSFT_CASE("GET", check_get());
	KSFT_CASE("GET errors", check_get_errors());
	KSFT_CASE("LIST", check_list());
	KSFT_CASE("EXITED", check_exited());
	close(dev);
	module_unload();
	return ksft_exit();
}
