// SPDX-License-Identifier: GPL-2.0
/*
 * The global memory cap (mem_max) is exact at its boundary although each
 * CPU batches its part of the count (Documentation/pcbmq.rst): with the
 * cap set to what k messages are charged, k sends succeed and the next
 * fails with ENOMEM, on either CPU; one byte less and the k-th fails; a
 * receive on one CPU makes room for a send on the other. The sends and
 * receives alternate between CPUs so that each holds a part of the count
 * that the global figure has not seen. The oracle is the charge of one
 * message, read from mem_used, times the count. mem_used reads exact and
 * returns to where it was.
 * timeout: 120
 */
#include <sched.h>

#include "pcbmq_lib.h"

#define TEXT 100
#define K    40

static int failures;

#define CHECK(cond, ...)                                \
	do {                                            \
		if (!(cond)) {                          \
			printf("# FAIL: " __VA_ARGS__); \
			printf("\n");                   \
			failures++;                     \
		}                                       \
	} while (0)

struct msg {
	long mtype;
	char text[TEXT];
};

static int ncpus;

/* Run the next call on CPU @i modulo the CPUs this test may use. */
static void on_cpu(int i)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(i % ncpus, &set);
	sched_setaffinity(0, sizeof(set), &set);
}

static int set_mem_max(unsigned long v)
{
	FILE *f = fopen("/sys/module/pcbstat/parameters/mem_max", "w");
	int ok;

	if (!f)
		return -1;
	ok = fprintf(f, "%lu\n", v) > 0;
	return fclose(f) == 0 && ok ? 0 : -1;
}

static int send_on(const struct mq_backend *b, int q, int cpu)
{
	struct msg m = { .mtype = 1 };

	on_cpu(cpu);
	return b->snd(q, &m, TEXT, IPC_NOWAIT);
}

static int recv_on(const struct mq_backend *b, int q, int cpu)
{
	struct msg m;

	on_cpu(cpu);
	return b->rcv(q, &m, TEXT, 0, IPC_NOWAIT) == TEXT ? 0 : -1;
}

/* Sends on both CPUs fail with ENOMEM. */
static void both_refused(const struct mq_backend *b, int q, const char *when)
{
	int cpu;

	for (cpu = 0; cpu < 2; cpu++) {
		errno = 0;
		CHECK(send_on(b, q, cpu) == -1 && errno == ENOMEM,
		      "%s: a send on CPU %d was not refused (%s)", when,
		      cpu % ncpus, strerror(errno));
	}
}

static void boundary(const struct mq_backend *b, long base, long charge)
{
	struct msqid_ds ds;
	int q = b->get(IPC_PRIVATE, 0600), i, sent = 0;

	CHECK(q >= 0 && !b->ctl(q, IPC_STAT, &ds), "queue: %s",
	      strerror(errno));
	/* Room for far more than the cap, so only the cap refuses. */
	ds.msg_qbytes = 1 << 20;
	CHECK(!b->ctl(q, IPC_SET, &ds), "IPC_SET: %s", strerror(errno));

	CHECK(!set_mem_max(base + K * charge), "mem_max: %s", strerror(errno));
	for (i = 0; i < K; i++)
		sent += !send_on(b, q, i);
	CHECK(sent == K, "%d of %d sends fit the cap exactly", sent, K);
	CHECK(module_param_long("mem_used") == base + K * charge,
	      "mem_used %ld, not %ld", module_param_long("mem_used"),
	      base + K * charge);
	both_refused(b, q, "at the cap");

	/* A receive on one CPU makes room for one send on the other. */
	CHECK(!recv_on(b, q, 1), "receive: %s", strerror(errno));
	CHECK(!send_on(b, q, 0), "the room a receive made: %s",
	      strerror(errno));
	both_refused(b, q, "at the cap again");

	/* One byte short of k messages: the k-th no longer fits. */
	CHECK(!recv_on(b, q, 0), "receive: %s", strerror(errno));
	CHECK(!set_mem_max(base + K * charge - 1), "mem_max: %s",
	      strerror(errno));
	both_refused(b, q, "one byte short");

	CHECK(!b->ctl(q, IPC_RMID, NULL), "IPC_RMID: %s", strerror(errno));
}

int main(void)
{
	struct mq_backend b;
	long base, charge, old_max;
	int q;

	ncpus = sysconf(_SC_NPROCESSORS_ONLN) > 1 ? 2 : 1;
	module_load();
	if (mq_device_backend(&b))
		return 1;
	old_max = module_param_long("mem_max");
	base = module_param_long("mem_used");

	/* One message's charge, header and text, as mem_used counts it. */
	q = b.get(IPC_PRIVATE, 0600);
	CHECK(q >= 0 && !send_on(&b, q, 0), "first send: %s", strerror(errno));
	charge = module_param_long("mem_used") - base;
	CHECK(charge > TEXT && charge < 4 * TEXT, "one message charged %ld",
	      charge);
	CHECK(!recv_on(&b, q, 1), "first receive: %s", strerror(errno));
	CHECK(!b.ctl(q, IPC_RMID, NULL), "IPC_RMID: %s", strerror(errno));
	CHECK(module_param_long("mem_used") == base,
	      "mem_used %ld after one message, not %ld",
	      module_param_long("mem_used"), base);

	if (!failures)
		boundary(&b, base, charge);

	CHECK(!set_mem_max(old_max), "restoring mem_max: %s", strerror(errno));
	CHECK(module_param_long("mem_used") == base,
	      "mem_used %ld at the end, not %ld", module_param_long("mem_used"),
	      base);
	mq_device_close(&b);
	module_unload();
	printf("# %d failures\n", failures);
	return failures ? 1 : 0;
}
