// SPDX-License-Identifier: GPL-2.0
/*
 * The policies compiled into pcbsched: one embedded skeleton each, loaded
 * with the kernel's sched_ext loader macros (SCX_OPS_OPEN/LOAD/ATTACH,
 * UEI_REPORT from tools/sched_ext/include/scx), which need the skeleton's
 * type; PCBSCHED_SKEL() writes that code once per policy.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <scx/common.h>

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

/* In a policy's set_knob: the rodata variable @field, if @var names it. */
#define KNOB(field)                         \
	do {                                \
		if (!strcmp(var, #field)) { \
			ro->field = value;  \
			return 0;           \
		}                           \
	} while (0)

/*
 * Defines <sk>_policy_load/report/destroy for the policy whose skeleton
 * is @sk (ops map <sk>_ops); @knobs is its KNOB() list, typed against
 * the skeleton's rodata so that a misspelt knob does not compile.
 */
#define PCBSCHED_SKEL(sk, knobs)                                           \
	static int sk##_set_knob(struct sk##__rodata *ro, const char *var, \
				 __u64 value)                              \
	{                                                                  \
		knobs;                                                     \
		fprintf(stderr, "pcbsched: policy has no knob %s\n", var); \
		return -ENOENT;                                            \
	}                                                                  \
                                                                           \
	static int sk##_policy_load(const struct pcbsched_request *req,    \
				    struct pcbsched_loaded *out)           \
	{                                                                  \
		struct sk *s = SCX_OPS_OPEN(sk##_ops, sk);                 \
		int i;                                                     \
                                                                           \
		if (req->partial)                                          \
			s->struct_ops.sk##_ops->flags |=                   \
				SCX_OPS_SWITCH_PARTIAL;                    \
		for (i = 0; i < req->nr_settings; i++) {                   \
			if (sk##_set_knob(s->rodata, req->settings[i].var, \
					  req->settings[i].value)) {       \
				sk##__destroy(s);                          \
				return -ENOENT;                            \
			}                                                  \
		}                                                          \
		SCX_OPS_LOAD(s, sk##_ops, sk, uei);                        \
		out->skel = s;                                             \
		out->obj = s->obj;                                         \
		out->uei = &s->data->uei;                                  \
		out->stats = &s->bss->pcb_stats;                           \
		out->link = SCX_OPS_ATTACH(s, sk##_ops, sk);               \
		return 0;                                                  \
	}                                                                  \
                                                                           \
	static long long sk##_policy_report(struct pcbsched_loaded *ld)    \
	{                                                                  \
		struct sk *s = ld->skel;                                   \
                                                                           \
		return UEI_REPORT(s, uei);                                 \
	}                                                                  \
                                                                           \
	static void sk##_policy_destroy(void *s)                           \
	{                                                                  \
		sk##__destroy(s);                                          \
	}

#define PICK_KNOBS KNOB(run_cap_ms)

PCBSCHED_SKEL(pcb_mlfq, KNOB(nr_levels); KNOB(slice_us); KNOB(allot_slices);
	      KNOB(boost_ms); KNOB(preempt))
PCBSCHED_SKEL(pcb_hrrn, PICK_KNOBS)
PCBSCHED_SKEL(pcb_sjf, PICK_KNOBS)
PCBSCHED_SKEL(pcb_fcfs, PICK_KNOBS)
PCBSCHED_SKEL(pcb_rr, KNOB(quantum_ms))
PCBSCHED_SKEL(pcb_prio, PICK_KNOBS)
PCBSCHED_SKEL(pcb_dprio, PICK_KNOBS; KNOB(age_ms))
PCBSCHED_SKEL(pcb_fifo, (void)ro; (void)value)

#define POLICY(name, skel, summary) \
	{ name,                     \
	  #skel,                    \
	  summary,                  \
	  skel##_policy_load,       \
	  skel##_policy_report,     \
	  skel##_policy_destroy }

/* The first entry is the default policy. */
const struct pcbsched_policy pcbsched_policies[] = {
	POLICY("mlfq", pcb_mlfq, "multi-level feedback queue (default)"),
	POLICY("hrrn", pcb_hrrn,
	       "highest response ratio next (non-preemptive)"),
	POLICY("sjf", pcb_sjf,
	       "shortest predicted burst first (non-preemptive)"),
	POLICY("fcfs", pcb_fcfs, "first come, first served (non-preemptive)"),
	POLICY("rr", pcb_rr, "round robin with a fixed quantum"),
	POLICY("prio", pcb_prio, "static priority from nice (non-preemptive)"),
	POLICY("dprio", pcb_dprio,
	       "priority from nice plus aging (non-preemptive)"),
	POLICY("fifo", pcb_fifo, "global first-in first-out queue"),
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
