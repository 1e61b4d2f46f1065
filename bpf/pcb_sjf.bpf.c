/* SPDX-License-Identifier: GPL-2.0 */
/*
 * pcb_sjf: shortest job first, non-preemptive.
 *
 * The waiting task with the shortest predicted CPU burst runs next, until
 * it blocks (or the run cap). The prediction is the exponential average
 * of the task's past bursts (see pcb_pick.bpf.h). Optimal for mean
 * waiting time when the predictions are right; a long job can wait as
 * long as shorter ones keep arriving, which is what HRRN repairs.
 */
#define PICK_PREFIX sjf
#include "pcb_pick.bpf.h"

static bool pick_better(const struct pcb_cand *a, const struct pcb_cand *b,
			u64 now)
{
	if (a->expected != b->expected)
		return a->expected < b->expected;
	return a->enq_at < b->enq_at;
}

PCB_PICK_OPS(pcb_sjf_ops, "pcb_sjf")
