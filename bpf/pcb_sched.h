/* SPDX-License-Identifier: GPL-2.0 */
/*
 * State shared by every pcbsched policy and its loader. It lives in named
 * data sections so that one generic loader can find it in any policy by
 * section name, whatever else the policy keeps in .bss.
 */
#ifndef PCB_SCHED_H
#define PCB_SCHED_H

#define PCB_EXIT_REASON_LEN 128
#define PCB_EXIT_MSG_LEN    1024

/* Why the kernel (or we) took the policy down; filled by ops.exit. */
struct pcb_exit_info {
	__s32 kind;    /* enum scx_exit_kind */
	__u32 restart; /* the kernel asks the loader to restart us */
	__s64 exit_code;
	char reason[PCB_EXIT_REASON_LEN];
	char msg[PCB_EXIT_MSG_LEN];
};

/* Counters every policy keeps; the loader prints them as deltas. */
struct pcb_stats {
	__u64 enqueued;	  /* tasks queued by ops.enqueue */
	__u64 dispatched; /* tasks moved to a CPU by ops.dispatch */
	__u64 direct;	  /* tasks placed on an idle CPU at wake-up */
};

#define PCB_EXIT_SEC  ".data.pcb_exit"
#define PCB_STATS_SEC ".data.pcb_stats"

#endif /* PCB_SCHED_H */
