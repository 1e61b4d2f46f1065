/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Laying a generated argument struct out in memory: where it goes
 * (usually the arena, sometimes across the guard page, in the read-only
 * page or at NULL), its size field, and the bytes past the struct that a
 * larger size field claims (zero, or not).
 */
#ifndef PCBKIT_FUZZ_ARGS_H
#define PCBKIT_FUZZ_ARGS_H

#include "fuzz.h"

/*
 * Puts @len bytes of @s (whose first u32 is its size) where the call will
 * find it, with k->size already in it; fills k->arg.
 */
static inline void fuzz_put_arg(struct fuzz_ctx *c, struct fuzz_call *k,
				const void *s, size_t len)
{
	const struct fuzz_arena *a = &c->arena;
	bool rw;
	char *dst = fuzz_arg_place(c, len, &rw);
	size_t room, tail;

	k->arg = dst;
	if (!dst || !rw)
		return;
	room = a->guard - dst;
	memcpy(dst, s, len < room ? len : room);
	if (len >= room || k->size <= len)
		return;
	tail = k->size - len;
	if (tail > room - len)
		tail = room - len;
	if (!fuzz_wrong(c, 30)) {
		memset(dst + len, 0, tail);
	} else {
		memset(dst + len, 0, tail);
		dst[len + fuzz_below(&c->rng, tail)] =
			1 + fuzz_below(&c->rng, 255);
	}
}

/* A msqid: mostly one from the pool, else stale, odd or nonsense. */
static inline int fuzz_msqid(struct fuzz_ctx *c)
{
	int id = fuzz_pool_id(c);

	if (c->clean)
		return id;
	switch (fuzz_below(&c->rng, 20)) {
	case 0:
		return -1;
	case 1:
		return id ^ (1 << 15); /* another sequence number */
	case 2:
		return (int)fuzz_next(&c->rng);
	case 3:
		return fuzz_below(&c->rng, 64);
	case 4:
		return 0x7fffffff;
	default:
		return id;
	}
}

/* 0 (forever), short, negative or huge: never a long wait on purpose. */
static inline int64_t fuzz_timeout(struct fuzz_ctx *c)
{
	switch (fuzz_below(&c->rng, 20)) {
	case 0:
		if (c->clean)
			return 0;
		return -1 - (int64_t)fuzz_below(&c->rng, 1000);
	case 1:
		return INT64_MAX;
	case 2:
	case 3:
	case 4:
	case 5:
		return 1 + fuzz_below(&c->rng, 2000000);
	default:
		return 0;
	}
}

/* A pid: this task, a storm task (maybe gone), init, or nonsense. */
static inline int fuzz_pid(struct fuzz_ctx *c)
{
	switch (fuzz_below(&c->rng, 10)) {
	case 0:
		return getpid();
	case 1:
		return gettid();
	case 2:
		return 1;
	case 3:
		return c->clean ? 1 : fuzz_range(&c->rng, -3, 0);
	case 4:
		return c->clean ? getppid() : (int)fuzz_next(&c->rng);
	case 5:
		return 0x7fffffff;
	default:
		return fuzz_pool_pid(c);
	}
}

/* A record size: the published one mostly, else short, long or huge. */
static inline uint32_t fuzz_entry_size(struct fuzz_ctx *c, uint32_t real)
{
	if (c->clean)
		return fuzz_chance(&c->rng, 80) ? real : 4096;
	switch (fuzz_below(&c->rng, 12)) {
	case 0:
		return fuzz_below(&c->rng, real);
	case 1:
		return real + fuzz_below(&c->rng, 512);
	case 2:
		return 4096;
	case 3:
		return 4097 + fuzz_below(&c->rng, 100);
	case 4:
		return (uint32_t)fuzz_next(&c->rng);
	default:
		return real;
	}
}

/* A count of records or messages. */
static inline uint32_t fuzz_count(struct fuzz_ctx *c, uint32_t max)
{
	if (c->clean)
		return 1 + fuzz_below(&c->rng, 16);
	switch (fuzz_below(&c->rng, 20)) {
	case 0:
		return 0;
	case 1:
		return max;
	case 2:
		return max + 1;
	case 3:
		return (uint32_t)fuzz_next(&c->rng);
	case 4:
		return 17 + fuzz_below(&c->rng, 64);
	default:
		return 1 + fuzz_below(&c->rng, 16);
	}
}

#endif /* PCBKIT_FUZZ_ARGS_H */
