/* SPDX-License-Identifier: GPL-2.0 */
/*
 * pcb_prio: static priority from nice, non-preemptive.
 *
 * The waiting task with the highest weight (lowest nice) runs next, until
 * it blocks (or the run cap); equal priorities are served first come,
 * first served. Low-priority tasks can starve while higher ones keep the
 * CPU busy: that is the textbook's point, and pcb_dprio's fix.
 */
#define PICK_PREFIX prio
#include "pcb_pick.bpf.h"

static bool pick_better(const struct pcb_cand *a, const struct pcb_cand *b,
			u64 now)
{
	if (a->weight != b->weight)
		return a->weight > b->weight;
	return a->enq_at < b->enq_at;
}

PCB_PICK_OPS(pcb_prio_ops, "pcb_prio")
