/* SPDX-License-Identifier: GPL-2.0 */
/*
 * pcb_dprio: dynamic priority with aging, non-preemptive.
 *
 * Like pcb_prio, but a waiting task's priority rises by one nice level
 * for every age_ms it has waited, so even nice 19 reaches the top after
 * 39 * age_ms of waiting: the bound on any task's wait is that plus the
 * runs already queued ahead of it, each at most run_cap_ms.
 *
 * Priorities are 19 - nice (0 for nice 19, 39 for nice -20), plus one
 * per age_ms waited.
 */
#define PICK_PREFIX dprio
#include "pcb_pick.bpf.h"

const volatile __u64 age_ms = 100;

static s64 priority(const struct pcb_cand *c, u64 now)
{
	u64 waited = now > c->enq_at ? now - c->enq_at : 0;

	return 19 - c->nice + (age_ms ? waited / (age_ms * NSEC_PER_MSEC) : 0);
}

static bool pick_better(const struct pcb_cand *a, const struct pcb_cand *b,
			u64 now)
{
	s64 pa = priority(a, now), pb = priority(b, now);

	if (pa != pb)
		return pa > pb;
	return a->enq_at < b->enq_at;
}

PCB_PICK_OPS(pcb_dprio_ops, "pcb_dprio")
