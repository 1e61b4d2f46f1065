// SPDX-License-Identifier: GPL-2.0
/*
 * 8 senders x 8 receivers on one device queue, messages of mixed types and
 * sizes, each carrying its sender, sequence number and a checksum of its
 * text. Receivers use every search mode (any, lowest type, except) so the
 * type index is exercised under contention. Half of each side works in
 * batches, so that single and batch calls interleave and the memory a
 * batch receive keeps for reuse is taken by batch sends while other
 * receivers run. Every message must arrive exactly once and intact, and
 * the module's memory must return to zero after IPC_RMID.
 *
 * Messages: PCBMQ_STRESS_MSGS, default 10^6 (about 5 s under TCG).
 * timeout: 600
 */
#include <poll.h>
#include <stdbool.h>
#include <stddef.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdint.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>

#include <pcbmq.h>

#include "pcbmq_lib.h"

#define SENDERS	  8
#define RECEIVERS 8
#define STOP_TYPE 1
#define MAX_TEXT  512
#define BATCH	  16

struct payload {
	uint32_t sender;
	uint32_t seq;
	uint32_t len;
	uint32_t sum;
	unsigned char bytes[MAX_TEXT];
};

struct stress_msg {
	long mtype;
	struct payload p;
};

struct shared {
	atomic_long received;
	atomic_long corrupt;
	atomic_long duplicate;
	atomic_uchar seen[];
};

static struct mq_backend be;
static int (*sendv)(int, struct pcbmq_vec *, unsigned int, int, int64_t);
static int (*recvv)(int, struct pcbmq_vec *, unsigned int, long, int, int64_t);
static struct shared *sh;
static long per_sender;

static uint32_t fill(struct payload *p, uint32_t sender, uint32_t seq)
{
	uint32_t i, sum = 2166136261u;

	p->sender = sender;
	p->seq = seq;
	p->len = (seq * 37 + sender * 11) % MAX_TEXT;
	for (i = 0; i < p->len; i++) {
		p->bytes[i] = (unsigned char)(seq * 7 + i * 13 + sender);
		sum = (sum ^ p->bytes[i]) * 16777619u;
	}
	return sum;
}

static void send_one(int q, struct stress_msg *m)
{
	if (be.snd(q, m, offsetof(struct payload, bytes) + m->p.len, 0)) {
		perror("msgsnd");
		_exit(1);
	}
}

static void send_batch(int q, struct stress_msg *m, int n)
{
	struct pcbmq_vec vec[BATCH];
	int i, sent;

	for (i = 0; i < n; i++)
		vec[i] = (struct pcbmq_vec){ (uintptr_t)&m[i],
					     offsetof(struct payload, bytes) +
						     m[i].p.len,
					     0 };
	/* Only the first message may block: send the rest again. */
	for (i = 0; i < n; i += sent) {
		sent = sendv(q, vec + i, n - i, 0, 0);
		if (sent <= 0) {
			perror("pcbmq_sendv");
			_exit(1);
		}
	}
}

/* Odd senders send in batches of BATCH, even ones one at a time. */
static void sender(int id, int q)
{
	struct stress_msg m[BATCH];
	int n = 0;
	long i;

	for (i = 0; i < per_sender; i++) {
		m[n].p.sum = fill(&m[n].p, id, i);
		/* Types 2..9: type 1 is reserved for the stop messages. */
		m[n].mtype = 2 + (i + id) % 8;
		if (!(id & 1)) {
			send_one(q, &m[n]);
		} else if (++n == BATCH || i + 1 == per_sender) {
			send_batch(q, m, n);
			n = 0;
		}
	}
	_exit(0);
}

static void check(struct stress_msg *m, long len)
{
	struct payload want;
	long idx;

	if (m->p.sender >= SENDERS || m->p.seq >= per_sender) {
		atomic_fetch_add(&sh->corrupt, 1);
		return;
	}
	want.sum = fill(&want, m->p.sender, m->p.seq);
	if (len != (long)offsetof(struct payload, bytes) + want.len ||
	    m->p.sum != want.sum || memcmp(m->p.bytes, want.bytes, want.len) ||
	    m->mtype != 2 + (long)(m->p.seq + m->p.sender) % 8)
		atomic_fetch_add(&sh->corrupt, 1);
	idx = (long)m->p.sender * per_sender + m->p.seq;
	if (atomic_fetch_add(&sh->seen[idx], 1))
		atomic_fetch_add(&sh->duplicate, 1);
}

/*
 * Takes one message as received; true for a stop. A batch that took
 * more than one stop hands the others back, for the receivers still
 * waiting for theirs: stops are sent only once every message is in.
 */
static bool take(int q, struct stress_msg *m, long len, bool stopped)
{
	if (m->mtype != STOP_TYPE) {
		check(m, len);
		atomic_fetch_add(&sh->received, 1);
		return false;
	}
	if (stopped && be.snd(q, m, 0, 0)) {
		perror("msgsnd stop");
		_exit(1);
	}
	return true;
}

/* Receivers 4..7 take up to BATCH messages a call, 0..3 one. */
static void receiver(int id, int q)
{
	/* Three ways to ask for "anything", three code paths on the device. */
	static const long modes[][2] = {
		{ 0, 0 },
		{ -100, 0 },
		{ 99, MSG_EXCEPT },
		{ -9, 0 },
	};
	static struct stress_msg m[BATCH];
	struct pcbmq_vec vec[BATCH];
	long msgtyp = modes[id % 4][0];
	int flags = (int)modes[id % 4][1], i, got;
	bool stopped = false;

	while (!stopped) {
		for (i = 0; i < BATCH; i++)
			vec[i] = (struct pcbmq_vec){ (uintptr_t)&m[i],
						     sizeof(m[i].p), 0 };
		if (id < 4) {
			vec[0].result =
				be.rcv(q, &m[0], sizeof(m[0].p), msgtyp, flags);
			got = vec[0].result < 0 ? -1 : 1;
		} else {
			got = recvv(q, vec, BATCH, msgtyp, flags, 0);
		}
		if (got <= 0) {
			perror("msgrcv");
			_exit(1);
		}
		for (i = 0; i < got; i++)
			stopped |= take(q, &m[i], vec[i].result, stopped);
	}
	_exit(0);
}

int main(void)
{
	pid_t pids[SENDERS + RECEIVERS];
	const char *env = getenv("PCBMQ_STRESS_MSGS");
	long total = env ? atol(env) : 1000000, i, waited, spares;
	int q, status, failed = 0;
	struct stress_msg stop = { .mtype = STOP_TYPE };
	size_t shsize;

	per_sender = total / SENDERS;
	total = per_sender * SENDERS;
	shsize = sizeof(*sh) + total;
	sh = mmap(NULL, shsize, PROT_READ | PROT_WRITE,
		  MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	module_load();
	if (mq_device_backend(&be))
		return 1;
	sendv = dlsym(be.lib, "pcbmq_sendv");
	recvv = dlsym(be.lib, "pcbmq_recvv");
	if (!sendv || !recvv)
		return 1;
	spares = module_param_long("spares");
	q = be.get(IPC_PRIVATE, 0600);
	if (q < 0) {
		perror("msgget");
		return 1;
	}
	for (i = 0; i < RECEIVERS; i++)
		if (!(pids[SENDERS + i] = fork()))
			receiver(i, q);
	for (i = 0; i < SENDERS; i++)
		if (!(pids[i] = fork()))
			sender(i, q);
	for (i = 0; i < SENDERS; i++) {
		waitpid(pids[i], &status, 0);
		failed |= !WIFEXITED(status) || WEXITSTATUS(status);
	}
	/* Bounded: every message must be consumed before the stops go. */
	for (waited = 0; atomic_load(&sh->received) < total; waited++) {
		if (waited > 60 * 100) {
			printf("# only %ld of %ld received after 60 s\n",
			       atomic_load(&sh->received), total);
			failed = 1;
			break;
		}
		poll(NULL, 0, 10);
	}
	for (i = 0; i < RECEIVERS; i++)
		be.snd(q, &stop, 0, 0);
	for (i = 0; i < RECEIVERS; i++) {
		waitpid(pids[SENDERS + i], &status, 0);
		failed |= !WIFEXITED(status) || WEXITSTATUS(status);
	}
	for (i = 0; i < total; i++)
		if (atomic_load(&sh->seen[i]) != 1) {
			printf("# message %ld/%ld seen %d times\n",
			       i / per_sender, i % per_sender,
			       atomic_load(&sh->seen[i]));
			failed = 1;
			break;
		}
	printf("# %ld messages, %ld received, %ld corrupt, %ld duplicated\n",
	       total, atomic_load(&sh->received), atomic_load(&sh->corrupt),
	       atomic_load(&sh->duplicate));
	failed |= atomic_load(&sh->corrupt) || atomic_load(&sh->duplicate);
	if (be.ctl(q, IPC_RMID, NULL))
		failed = 1;
	printf("# module memory after IPC_RMID: %ld bytes, spares %ld "
	       "(%ld before)\n",
	       module_param_long("mem_used"), module_param_long("spares"),
	       spares);
	failed |= module_param_long("mem_used") != 0 ||
		  module_param_long("spares") != spares;
	mq_device_close(&be);
	module_unload();
	return failed;
}
