/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the structure-aware ioctl fuzzer's parts share: a seeded random
 * source, the memory its arguments and pointers live in, the errno sets
 * the ABI documents for each command, and the tallies the workers keep
 * in memory shared across processes.
 *
 * Every pointer the fuzzer hands the kernel is either invalid (NULL,
 * unmapped, read-only for an output, non-canonical, a kernel address) or
 * points into a region followed by a PROT_NONE guard page, so that no
 * count or size, however wrong, lets the kernel write over the fuzzer's
 * own memory: the write runs into the guard and the call gets EFAULT.
 */
#ifndef PCBKIT_FUZZ_H
#define PCBKIT_FUZZ_H

#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "ksft.h"

#define FUZZ_PAGE	 4096UL
#define FUZZ_REGION	 (16 * FUZZ_PAGE)
#define FUZZ_MAX_ERRNO	 134
#define FUZZ_MAX_EXAMPLE 8

/* xorshift64*: reproducible from the seed a worker prints. */
struct fuzz_rng {
	uint64_t s;
};

static inline uint64_t fuzz_next(struct fuzz_rng *r)
{
	r->s ^= r->s >> 12;
	r->s ^= r->s << 25;
	r->s ^= r->s >> 27;
	return r->s * 0x2545f4914f6cdd1dULL;
}

/* Uniform in [0, n); n > 0. */
static inline uint64_t fuzz_below(struct fuzz_rng *r, uint64_t n)
{
	return fuzz_next(r) % n;
}

static inline int64_t fuzz_range(struct fuzz_rng *r, int64_t lo, int64_t hi)
{
	return lo + (int64_t)fuzz_below(r, (uint64_t)(hi - lo) + 1);
}

/* True @pct percent of the time. */
static inline bool fuzz_chance(struct fuzz_rng *r, int pct)
{
	return (int)fuzz_below(r, 100) < pct;
}

/*
 * A thread's memory: FUZZ_REGION bytes of read-write memory with a guard
 * page after it, and the process's read-only page.
 */
struct fuzz_arena {
	char *rw;    /* FUZZ_REGION bytes */
	char *guard; /* rw + FUZZ_REGION: PROT_NONE */
	char *ro;    /* one page, PROT_READ, non-zero bytes */
};

static inline void fuzz_arena_init(struct fuzz_arena *a, char *ro)
{
	char *m = mmap(NULL, FUZZ_REGION + FUZZ_PAGE, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (m == MAP_FAILED)
		die("mmap arena: %s", strerror(errno));
	if (mprotect(m + FUZZ_REGION, FUZZ_PAGE, PROT_NONE))
		die("mprotect guard: %s", strerror(errno));
	a->rw = m;
	a->guard = m + FUZZ_REGION;
	a->ro = ro;
}

/* Ids and pids the workers share, so calls name live and dead objects. */
#define FUZZ_POOL 64

struct fuzz_pool {
	int ids[FUZZ_POOL];    /* queue ids, live or removed */
	pid_t pids[FUZZ_POOL]; /* tasks of the fork storm, live or exited */
};

/* What a generator needs: its thread's random source and memory. */
struct fuzz_ctx {
	struct fuzz_rng rng;
	/*
	 * A clean call gets every field right, so that it reaches the
	 * command's handler and the state behind it; the others get some
	 * fields wrong.
	 */
	bool clean;
	struct fuzz_arena arena;
	struct fuzz_pool *pool;
	int mq_fd, stat_fd;
	/* The call carries a pointer a 32-bit caller could not pass. */
	bool wide;
};

/* A field goes wrong @pct percent of the time, never in a clean call. */
static inline bool fuzz_wrong(struct fuzz_ctx *c, int pct)
{
	return !c->clean && fuzz_chance(&c->rng, pct);
}

/* The process's read-only page: it reads as a plausible struct. */
static inline char *fuzz_ro_page(void)
{
	char *p = mmap(NULL, FUZZ_PAGE, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED)
		die("mmap: %s", strerror(errno));
	memset(p, 0, FUZZ_PAGE);
	*(uint32_t *)p = 64;
	if (mprotect(p, FUZZ_PAGE, PROT_READ))
		die("mprotect ro: %s", strerror(errno));
	return p;
}

enum fuzz_ptr_kind {
	FUZZ_PTR_GOOD,	   /* in the region, room for @need bytes */
	FUZZ_PTR_STRADDLE, /* its end runs into the guard page */
	FUZZ_PTR_NULL,
	FUZZ_PTR_GUARD,	       /* mapped PROT_NONE */
	FUZZ_PTR_RO,	       /* readable, not writable */
	FUZZ_PTR_KERNEL,       /* beyond the caller's address space */
	FUZZ_PTR_NONCANONICAL, /* 64-bit: a hole; 32-bit: wider than 32 */
	FUZZ_PTR_MISALIGNED,   /* good but odd */
	NR_FUZZ_PTR,
};

#if UINTPTR_MAX == UINT32_MAX
/*
 * A 32-bit caller, which reaches the devices' compat_ioctl: its address
 * space ends below the kernel's top two pages, and a pointer field wider
 * than 32 bits is one its own msgsnd could not pass. Such a field holds
 * a live arena address in its low half, so a device that truncated it
 * instead of refusing it would succeed, and the tally says so (wide).
 */
#define FUZZ_KERNEL_ADDR 0xffffe000ULL
#define FUZZ_KERNEL_SPAN 0x2000ULL

static inline uint64_t fuzz_unreachable(struct fuzz_ctx *c, uint64_t live)
{
	c->wide = true;
	return (1 + fuzz_below(&c->rng, 0xffff)) << 32 | live;
}
#else
#define FUZZ_KERNEL_ADDR 0xffff888000000000ULL
#define FUZZ_KERNEL_SPAN (1ULL << 32)

static inline uint64_t fuzz_unreachable(struct fuzz_ctx *c, uint64_t live)
{
	return 0x0000800000000000ULL + fuzz_below(&c->rng, 1ULL << 40);
}
#endif

/* A pointer for @need bytes: good @good_pct percent of the time. */
static inline uint64_t fuzz_pointer(struct fuzz_ctx *c, size_t need,
				    size_t offset_hint, int good_pct)
{
	enum fuzz_ptr_kind kind = FUZZ_PTR_GOOD;
	const struct fuzz_arena *a = &c->arena;
	struct fuzz_rng *r = &c->rng;

	if (need > FUZZ_REGION)
		need = FUZZ_REGION;
	if (offset_hint + need > FUZZ_REGION)
		offset_hint = FUZZ_REGION - need;
	if (fuzz_wrong(c, 100 - good_pct))
		kind = 1 + fuzz_below(r, NR_FUZZ_PTR - 1);
	switch (kind) {
	case FUZZ_PTR_GOOD:
		return (uintptr_t)(a->rw + offset_hint);
	case FUZZ_PTR_STRADDLE:
		return (uintptr_t)(a->guard - 1 -
				   fuzz_below(r, need > 1 ? need - 1 : 1));
	case FUZZ_PTR_NULL:
		return 0;
	case FUZZ_PTR_GUARD:
		return (uintptr_t)(a->guard + fuzz_below(r, FUZZ_PAGE));
	case FUZZ_PTR_RO:
		return (uintptr_t)a->ro + fuzz_below(r, 64);
	case FUZZ_PTR_KERNEL:
		return FUZZ_KERNEL_ADDR + fuzz_below(r, FUZZ_KERNEL_SPAN);
	case FUZZ_PTR_NONCANONICAL:
		return fuzz_unreachable(c, (uintptr_t)(a->rw + offset_hint));
	case FUZZ_PTR_MISALIGNED:
	default:
		return (uintptr_t)(a->rw + 1 + fuzz_below(r, 7));
	}
}

/*
 * Where an argument struct of @len bytes goes: usually the region's start,
 * sometimes straddling the guard page or in the read-only page.
 */
static inline void *fuzz_arg_place(struct fuzz_ctx *c, size_t len,
				   bool *placed_rw)
{
	const struct fuzz_arena *a = &c->arena;
	struct fuzz_rng *r = &c->rng;
	int k = c->clean ? 100 : fuzz_below(r, 100);

	*placed_rw = true;
	if (k < 3)
		return a->guard - 1 - fuzz_below(r, len > 1 ? len - 1 : 1);
	if (k < 5) {
		*placed_rw = false;
		return a->ro;
	}
	if (k < 6)
		return NULL;
	return a->rw + FUZZ_REGION - FUZZ_PAGE;
}

/* A size field: mostly right, else short, long, zero-tailed or huge. */
static inline uint32_t fuzz_size(struct fuzz_ctx *c, uint32_t real)
{
	struct fuzz_rng *r = &c->rng;

	if (c->clean)
		return real;
	switch (fuzz_below(r, 16)) {
	case 0:
		return 0;
	case 1:
		return fuzz_below(r, real);
	case 2:
		return real + 8 * (1 + fuzz_below(r, 4));
	case 3:
		return FUZZ_PAGE + 1 + fuzz_below(r, 64);
	case 4:
		return (uint32_t)fuzz_next(r);
	default:
		return real;
	}
}

/* The errnos a command may answer with; zero-terminated. */
#define FUZZ_MAX_SET 16

struct fuzz_cmd {
	const char *name;
	int errnos[FUZZ_MAX_SET];
};

static inline bool fuzz_documented(const struct fuzz_cmd *c, int err)
{
	int i;

	for (i = 0; i < FUZZ_MAX_SET && c->errnos[i]; i++)
		if (c->errnos[i] == err)
			return true;
	return false;
}

/* One undocumented answer, kept to say what the call was. */
struct fuzz_example {
	int cmd;
	int err;
	uint32_t size;
	long ret;
	bool wide;
	char what[96];
};

/* Per command, shared by every worker process. */
struct fuzz_tally {
	unsigned long calls, ok;
	unsigned long by_errno[FUZZ_MAX_ERRNO];
	unsigned long undocumented;
	/* Calls of a 32-bit caller with a pointer wider than 32 bits, and
	 * those not refused for it. */
	unsigned long wide, wide_passed;
};

static inline int fuzz_pool_id(struct fuzz_ctx *c)
{
	return __atomic_load_n(&c->pool->ids[fuzz_below(&c->rng, FUZZ_POOL)],
			       __ATOMIC_RELAXED);
}

static inline void fuzz_pool_put_id(struct fuzz_ctx *c, int id)
{
	__atomic_store_n(&c->pool->ids[fuzz_below(&c->rng, FUZZ_POOL)], id,
			 __ATOMIC_RELAXED);
}

static inline pid_t fuzz_pool_pid(struct fuzz_ctx *c)
{
	return __atomic_load_n(&c->pool->pids[fuzz_below(&c->rng, FUZZ_POOL)],
			       __ATOMIC_RELAXED);
}

/* One generated call: the command, its argument, and words for a report. */
struct fuzz_call {
	int cmd; /* index into the command table */
	unsigned long nr;
	void *arg;
	uint32_t size;
	bool wide; /* a pointer field wider than 32 bits, from a 32-bit caller */
	char what[96];
};

#endif /* PCBKIT_FUZZ_H */
