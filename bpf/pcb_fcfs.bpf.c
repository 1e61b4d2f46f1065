/* SPDX-License-Identifier: GPL-2.0 */
/*
 * pcb_fcfs: first come, first served, non-preemptive.
 *
 * The task that has waited longest runs next, until it blocks (or the run
 * cap). Unlike pcb_fifo, which slices with the kernel default and so is
 * round robin in disguise, this is the textbook's FCFS: a long job holds
 * the CPU and everyone behind it waits (the convoy effect).
 */
#define PICK_PREFIX fcfs
#include "pcb_pick.bpf.h"

static bool pick_better(const struct pcb_cand *a, const struct pcb_cand *b,
			u64 now)
{
	return a->enq_at < b->enq_at;
}

PCB_PICK_OPS(pcb_fcfs_ops, "pcb_fcfs")
