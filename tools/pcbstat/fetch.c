// SPDX-License-Identifier: GPL-2.0
/* Reading records from /dev/pcbstat into growable snapshots. */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>

#include "records.h"

#define BATCH 256

static int grow(struct snapshot *s, size_t room)
{
	struct pcbstat_task *r;

	r = realloc(s->recs, (s->n + room) * sizeof(*r));
	if (!r)
		return -ENOMEM;
	s->recs = r;
	return 0;
}

int snapshot_list(int dev, bool threads, struct snapshot *s)
{
	struct pcbstat_list l = {
		.size = sizeof(l),
		.flags = threads ? PCBSTAT_LIST_THREADS : 0,
		.next_pid = 1,
		.entry_size = sizeof(struct pcbstat_task),
	};

	s->recs = NULL;
	s->n = 0;
	while (l.next_pid) {
		if (grow(s, BATCH))
			return -ENOMEM;
		l.count = BATCH;
		l.buf = (uintptr_t)(s->recs + s->n);
		if (ioctl(dev, PCBSTAT_IOC_LIST, &l))
			return -errno;
		s->n += l.count;
	}
	return 0;
}

int snapshot_one(int dev, int pid, bool thread, struct snapshot *s)
{
	struct pcbstat_get g = {
		.size = sizeof(g),
		.flags = thread ? PCBSTAT_GET_THREAD : 0,
		.pid = pid,
		.entry_size = sizeof(struct pcbstat_task),
	};

	s->n = 0;
	s->recs = calloc(1, sizeof(*s->recs));
	if (!s->recs)
		return -ENOMEM;
	g.out = (uintptr_t)s->recs;
	if (ioctl(dev, PCBSTAT_IOC_GET, &g))
		return -errno;
	s->n = 1;
	return 0;
}

int snapshot_exited(int dev, struct snapshot *s)
{
	struct pcbstat_exited x = {
		.size = sizeof(x),
		.entry_size = sizeof(struct pcbstat_task),
	};

	s->recs = NULL;
	s->n = 0;
	do {
		if (grow(s, BATCH))
			return -ENOMEM;
		x.count = BATCH;
		x.buf = (uintptr_t)(s->recs + s->n);
		if (ioctl(dev, PCBSTAT_IOC_EXITED, &x))
			return -errno;
		s->n += x.count;
		if (x.count)
			x.after_seq = s->recs[s->n - 1].seq;
	} while (x.count == BATCH);
	return 0;
}

void snapshot_free(struct snapshot *s)
{
	free(s->recs);
	s->recs = NULL;
	s->n = 0;
}
