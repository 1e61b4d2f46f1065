/* SPDX-License-Identifier: GPL-2.0 */
/*
 * /dev/pcbstat's commands for the fuzzer: GET, LIST and EXITED with
 * mostly plausible and sometimes wrong fields, and the errnos
 * Documentation/pcbstat.rst gives for each.
 */
#ifndef PCBKIT_FUZZ_PCBSTAT_H
#define PCBKIT_FUZZ_PCBSTAT_H

#include <sys/ioctl.h>

#include <pcbstat.h>

#include "fuzz_args.h"

enum {
	ST_GET,
	ST_LIST,
	ST_EXITED,
	ST_OTHER, /* an unknown number, or the wrong direction */
	NR_ST_CMDS,
};

#define ST_ARG_ERRNOS EFAULT, EINVAL, E2BIG

static const struct fuzz_cmd st_cmds[NR_ST_CMDS] = {
	[ST_GET] = { "pcbstat GET", { ST_ARG_ERRNOS, ESRCH } },
	[ST_LIST] = { "pcbstat LIST", { ST_ARG_ERRNOS, EINTR } },
	[ST_EXITED] = { "pcbstat EXITED", { ST_ARG_ERRNOS, ENOMEM } },
	[ST_OTHER] = { "pcbstat unknown", { ENOTTY } },
};

/* The header's number, or with another size, which the device ignores. */
static inline unsigned long st_nr(struct fuzz_ctx *c, unsigned long nr)
{
	if (!fuzz_wrong(c, 10))
		return nr;
	return _IOC(_IOC_READ | _IOC_WRITE, PCBSTAT_IOC_MAGIC, _IOC_NR(nr),
		    fuzz_below(&c->rng, 1 << 14));
}

/* Records go at the region's start: the guard stops a count too large. */
static inline uint64_t st_records(struct fuzz_ctx *c, uint32_t count,
				  uint32_t entry_size)
{
	uint64_t need = (uint64_t)count * entry_size;

	return fuzz_pointer(c, need < FUZZ_REGION ? need : FUZZ_REGION, 0, 90);
}

static inline void st_gen_get(struct fuzz_ctx *c, struct fuzz_call *k)
{
	struct pcbstat_get a = { 0 };

	k->size = a.size = fuzz_size(c, sizeof(a));
	a.flags = fuzz_chance(&c->rng, 50) ? 0 : PCBSTAT_GET_THREAD;
	if (fuzz_wrong(c, 3))
		a.flags = (uint32_t)fuzz_next(&c->rng);
	a.pid = fuzz_pid(c);
	a.entry_size = fuzz_entry_size(c, sizeof(struct pcbstat_task));
	a.out = st_records(c, 1, a.entry_size);
	if (fuzz_wrong(c, 3))
		a.reserved = fuzz_next(&c->rng) | 1;
	k->nr = st_nr(c, PCBSTAT_IOC_GET);
	snprintf(k->what, sizeof(k->what), "pid %d flags %#x entry_size %u",
		 a.pid, a.flags, a.entry_size);
	fuzz_put_arg(c, k, &a, sizeof(a));
}

static inline void st_gen_list(struct fuzz_ctx *c, struct fuzz_call *k)
{
	struct pcbstat_list a = { 0 };

	k->size = a.size = fuzz_size(c, sizeof(a));
	a.flags = fuzz_chance(&c->rng, 50) ? 0 : PCBSTAT_LIST_THREADS;
	if (fuzz_wrong(c, 3))
		a.flags = (uint32_t)fuzz_next(&c->rng);
	a.next_pid = fuzz_chance(&c->rng, 50) ? 1 : fuzz_pid(c);
	a.count = fuzz_count(c, 65536);
	a.entry_size = fuzz_entry_size(c, sizeof(struct pcbstat_task));
	a.buf = st_records(c, a.count, a.entry_size);
	if (fuzz_wrong(c, 3))
		a.reserved = 1;
	k->nr = st_nr(c, PCBSTAT_IOC_LIST);
	snprintf(k->what, sizeof(k->what),
		 "flags %#x next_pid %d count %u entry_size %u", a.flags,
		 a.next_pid, a.count, a.entry_size);
	fuzz_put_arg(c, k, &a, sizeof(a));
}

static inline void st_gen_exited(struct fuzz_ctx *c, struct fuzz_call *k)
{
	struct pcbstat_exited a = { 0 };

	k->size = a.size = fuzz_size(c, sizeof(a));
	a.count = fuzz_count(c, 65536);
	a.after_seq = fuzz_chance(&c->rng, 70) ? 0 : fuzz_next(&c->rng) >> 40;
	a.entry_size = fuzz_entry_size(c, sizeof(struct pcbstat_task));
	a.buf = st_records(c, a.count, a.entry_size);
	if (fuzz_wrong(c, 3))
		a.lost = 1;
	if (fuzz_wrong(c, 3))
		a.reserved = 1;
	k->nr = st_nr(c, PCBSTAT_IOC_EXITED);
	snprintf(k->what, sizeof(k->what),
		 "count %u after_seq %llu entry_size %u", a.count,
		 (unsigned long long)a.after_seq, a.entry_size);
	fuzz_put_arg(c, k, &a, sizeof(a));
}

static inline void st_gen_other(struct fuzz_ctx *c, struct fuzz_call *k)
{
	unsigned int nr = 4 + fuzz_below(&c->rng, 252);
	unsigned int dir = _IOC_READ | _IOC_WRITE;

	/* A known number in another direction is not that command. */
	if (fuzz_chance(&c->rng, 50)) {
		nr = 1 + fuzz_below(&c->rng, 3);
		dir = fuzz_below(&c->rng, 3);
	}
	k->nr = _IOC(dir, PCBSTAT_IOC_MAGIC, nr, fuzz_below(&c->rng, 1 << 14));
	k->size = 0;
	k->arg = (void *)(uintptr_t)fuzz_pointer(c, 64, 0, 50);
	snprintf(k->what, sizeof(k->what), "cmd %#lx", k->nr);
}

static inline void st_generate(struct fuzz_ctx *c, struct fuzz_call *k)
{
	int pick = fuzz_below(&c->rng, 100);

	if (pick < 40) {
		k->cmd = ST_GET;
		st_gen_get(c, k);
	} else if (pick < 75) {
		k->cmd = ST_LIST;
		st_gen_list(c, k);
	} else if (pick < 92) {
		k->cmd = ST_EXITED;
		st_gen_exited(c, k);
	} else {
		k->cmd = ST_OTHER;
		st_gen_other(c, k);
	}
}

#endif /* PCBKIT_FUZZ_PCBSTAT_H */
