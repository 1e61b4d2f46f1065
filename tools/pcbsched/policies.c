// SPDX-License-Identifier: GPL-2.0
/* The policies compiled into pcbsched, one embedded skeleton each. */
#include <stdlib.h>
#include <string.h>

#include <linux/types.h>

#include "pcb_sched.h"
#include "pcbsched.h"
/* Skeletons name the shared structs, so they come after pcb_sched.h. */
#include "pcb_dprio.skel.h"
#include "pcb_fcfs.skel.h"
#include "pcb_fifo.skel.h"
#include "pcb_hrrn.skel.h"
#include "pcb_mlfq.skel.h"
#include "pcb_prio.skel.h"
#include "pcb_rr.skel.h"
#include "pcb_sjf.skel.h"

/* The skeletons' own elf_bytes take no size_t * on every bpftool. */
#define POLICY_BYTES(skel)                            \
	static const void *skel##_bytes(size_t *size) \
	{                                             \
		return skel##__elf_bytes(size);       \
	}

POLICY_BYTES(pcb_dprio)
POLICY_BYTES(pcb_fcfs)
POLICY_BYTES(pcb_fifo)
POLICY_BYTES(pcb_hrrn)
POLICY_BYTES(pcb_mlfq)
POLICY_BYTES(pcb_prio)
POLICY_BYTES(pcb_rr)
POLICY_BYTES(pcb_sjf)

/* The first entry is the default policy. */
const struct pcbsched_policy pcbsched_policies[] = {
	{ "mlfq", "pcb_mlfq", "multi-level feedback queue (default)",
	  pcb_mlfq_bytes },
	{ "hrrn", "pcb_hrrn", "highest response ratio next (non-preemptive)",
	  pcb_hrrn_bytes },
	{ "sjf", "pcb_sjf", "shortest predicted burst first (non-preemptive)",
	  pcb_sjf_bytes },
	{ "fcfs", "pcb_fcfs", "first come, first served (non-preemptive)",
	  pcb_fcfs_bytes },
	{ "rr", "pcb_rr", "round robin with a fixed quantum", pcb_rr_bytes },
	{ "prio", "pcb_prio", "static priority from nice (non-preemptive)",
	  pcb_prio_bytes },
	{ "dprio", "pcb_dprio",
	  "priority from nice plus aging (non-preemptive)", pcb_dprio_bytes },
	{ "fifo", "pcb_fifo", "global first-in first-out queue",
	  pcb_fifo_bytes },
	{ NULL },
};

const struct pcbsched_knob pcbsched_knobs[] = {
	{ "levels", "nr_levels", "mlfq", 4, 1, PCB_MAX_QUEUES,
	  "number of queues" },
	{ "slice-us", "slice_us", "mlfq", 4000, 100, 1000000,
	  "top level's time slice; each level down doubles it" },
	{ "allot", "allot_slices", "mlfq", 4, 1, 1000,
	  "CPU a task may use at a level before it sinks, in slices" },
	{ "boost-ms", "boost_ms", "mlfq", 500, 0, 60000,
	  "move every task back to the top this often (0: never)" },
	{ "preempt", "preempt", "mlfq", 3, 0, 3,
	  "1: a task preempts a lower-level one; 2: also a waking task "
	  "preempts one of its level that used more of the allotment; "
	  "3: and a waking task that preempts goes to the head of its "
	  "level, taking its own CPU first" },
	{ "cap-ms", "run_cap_ms", "hrrn sjf fcfs prio dprio", 20, 1, 10000,
	  "longest one run may last before the task queues again" },
	{ "age-ms", "age_ms", "dprio", 100, 0, 60000,
	  "waiting this long raises priority one nice level (0: never)" },
	{ "quantum-ms", "quantum_ms", "rr", 10, 1, 10000,
	  "time slice of each turn" },
	{ NULL },
};

bool pcbsched_knob_applies(const struct pcbsched_knob *k,
			   const struct pcbsched_policy *policy)
{
	size_t n = strlen(policy->name);
	const char *s = k->policies;

	while ((s = strstr(s, policy->name))) {
		bool start = s == k->policies || s[-1] == ' ';

		if (start && (s[n] == ' ' || !s[n]))
			return true;
		s += n;
	}
	return false;
}

const struct pcbsched_policy *pcbsched_find_policy(const char *name)
{
	const struct pcbsched_policy *p;

	for (p = pcbsched_policies; p->name; p++)
		if (!strcmp(p->name, name) || !strcmp(p->ops, name))
			return p;
	return NULL;
}
