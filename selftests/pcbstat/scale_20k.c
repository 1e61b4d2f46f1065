// SPDX-License-Identifier: GPL-2.0
/*
 * 20k threads: /proc/pcbstat and PCBSTAT_IOC_LIST with threads list them
 * all without a soft lockup or RCU stall (the runner fails the test on
 * either), every thread gets a slot (untracked_threads stays 0), and the
 * process row counts every live thread.
 * timeout: 400
 */
#include <fcntl.h>
#include <pthread.h>
#include <stdint.h>
#include <sys/ioctl.h>

#include "pcbstat.h"
#include "pcbstat_test.h"

#define NTHREADS 20000

static int gate[2];

static void *blocked(void *arg)
{
	char c;

	/* Returns when the main thread closes the write end. */
	if (read(gate[0], &c, 1) < 0)
		return NULL;
	return NULL;
}

static void raise_limit(const char *path, long want)
{
	FILE *f = fopen(path, "r+");
	long cur;

	if (!f || fscanf(f, "%ld", &cur) != 1)
		die("read %s", path);
	if (cur < want) {
		rewind(f);
		fprintf(f, "%ld\n", want);
	}
	fclose(f);
}

static unsigned long long list_threads(void)
{
	static struct pcbstat_task recs[512];
	struct pcbstat_list l = {
		.size = sizeof(l),
		.flags = PCBSTAT_LIST_THREADS,
		.next_pid = 1,
		.entry_size = sizeof(recs[0]),
		.buf = (uintptr_t)recs,
	};
	unsigned long long mine = 0;
	int dev = open(PCBSTAT_DEVICE, O_RDONLY);
	unsigned int i;

	if (dev < 0)
		die("open %s", PCBSTAT_DEVICE);
	while (l.next_pid) {
		l.count = 512;
		if (ioctl(dev, PCBSTAT_IOC_LIST, &l))
			die("LIST threads: %s", strerror(errno));
		for (i = 0; i < l.count; i++)
			mine += recs[i].pid == getpid();
	}
	close(dev);
	return mine;
}

static unsigned long long untracked(void)
{
	FILE *f = fopen("/proc/pcbstat_cpu", "r");
	unsigned long long n = ~0ULL;
	char line[256];

	if (!f)
		die("open /proc/pcbstat_cpu");
	while (fgets(line, sizeof(line), f))
		sscanf(line, "# untracked_threads %llu", &n);
	fclose(f);
	return n;
}

int main(void)
{
	static pthread_t th[NTHREADS];
	pthread_attr_t attr;
	unsigned long long listed;
	struct row r;
	int i;

	module_load();
	raise_limit("/proc/sys/kernel/threads-max", 4 * NTHREADS);
	raise_limit("/proc/sys/kernel/pid_max", 8 * NTHREADS);
	if (pipe(gate))
		die("pipe");
	pthread_attr_init(&attr);
	pthread_attr_setstacksize(&attr, 64 * 1024);
	for (i = 0; i < NTHREADS; i++)
		if (pthread_create(&th[i], &attr, blocked, NULL))
			die("pthread_create %d: %s", i, strerror(errno));
	if (row_read("/proc/pcbstat", getpid(), &r))
		die("no row for self");
	if (row_u64(&r, "threads") != NTHREADS + 1)
		die("threads %llu, want %d", row_u64(&r, "threads"),
		    NTHREADS + 1);
	listed = list_threads();
	printf("%d threads: row says %llu, LIST threads found %llu, untracked %llu\n",
	       NTHREADS + 1, row_u64(&r, "threads"), listed, untracked());
	if (listed != NTHREADS + 1)
		die("LIST found %llu of our threads", listed);
	if (untracked())
		die("%llu threads got no slot", untracked());
	close(gate[1]);
	for (i = 0; i < NTHREADS; i++)
		pthread_join(th[i], NULL);
	module_unload();
	return 0;
}
