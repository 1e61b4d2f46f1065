/* SPDX-License-Identifier: GPL-2.0 */
/*
 * pcb_hrrn: highest response ratio next.
 *
 * The waiting task with the largest (waiting + expected) / expected runs
 * next, and runs until it blocks (or the run cap). Short jobs win early,
 * as in SJF, but a long job's ratio grows with every moment it waits, so
 * it cannot be passed over forever: a job of expected length s that has
 * waited w beats any newly arrived job once (w + s) / s exceeds the
 * newcomer's 1 + 0 = 1, i.e. at once, and beats a job of length s' that
 * waited w' once w/s > w'/s'.
 *
 * Bound (documented for users): with n other waiters, each running at
 * most run_cap_ms, a waiter starts within n runs of the cap once its
 * ratio is the highest, which it reaches because its ratio grows without
 * limit while theirs restart from 1 after each run.
 *
 * Ratios are compared exactly, by cross-multiplying in microseconds:
 * (wa + ea) * eb > (wb + eb) * ea. Ties go to the earlier arrival.
 */
#define PICK_PREFIX hrrn
#include "pcb_pick.bpf.h"

#define NSEC_PER_USEC 1000ULL

static bool pick_better(const struct pcb_cand *a, const struct pcb_cand *b,
			u64 now)
{
	u64 ea = a->expected / NSEC_PER_USEC + 1;
	u64 eb = b->expected / NSEC_PER_USEC + 1;
	u64 wa = now > a->enq_at ? (now - a->enq_at) / NSEC_PER_USEC : 0;
	u64 wb = now > b->enq_at ? (now - b->enq_at) / NSEC_PER_USEC : 0;
	u64 ra = (wa + ea) * eb, rb = (wb + eb) * ea;

	if (ra != rb)
		return ra > rb;
	return a->enq_at < b->enq_at;
}

PCB_PICK_OPS(pcb_hrrn_ops, "pcb_hrrn")
