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

/*
 * Per-queue counters (an MLFQ level, or the one queue of the other
 * policies), in a map named PCB_QUEUES_MAP so that 'pcbsched status' can
 * find it in the loaded scheduler from another process.
 */
#define PCB_MAX_QUEUES 8
#define PCB_QUEUES_MAP "pcb_queues"
#define PCB_TASKS_MAP  "pcb_tasks"

struct pcb_queue_stats {
	__u32 nr_queues;
	__u32 pad;
	__u64 boost_gen; /* MLFQ: boosts so far; tasks remember the last seen */
	__u64 demotions; /* MLFQ: tasks that used up a level's allotment */
	__u64 preemptions;	      /* CPUs kicked for a more urgent task */
	__u64 queued[PCB_MAX_QUEUES]; /* waiting now (sampled at dispatch) */
	__u64 runs[PCB_MAX_QUEUES];   /* times a task of this queue ran */
	__u64 run_ns[PCB_MAX_QUEUES]; /* CPU time used by this queue's tasks */
	__u64 boosted;	/* MLFQ: waiting tasks moved to the top by boosts */
	__u64 unparked; /* MLFQ: tasks sent from a local queue to their level */
};

/*
 * What a policy knows about one task: the value of the task storage map
 * PCB_TASKS_MAP. Userspace looks it up with a pidfd as the key.
 */
struct pcb_task_view {
	__u32 level; /* MLFQ level, 0 = top */
	__u32 pad;
	__u64 boost_gen;   /* boost generation the level belongs to */
	__u64 used_ns;	   /* CPU used at this level since arriving there */
	__u64 run_start;   /* sum_exec_runtime when last put on a CPU */
	__u64 burst_ns;	   /* CPU used since the task last woke up */
	__u64 expected_ns; /* EWMA of past bursts (HRRN, SJF) */
	__u64 enq_at;	   /* when it last joined a queue (ns, boot clock) */
	__u64 nr_bursts;   /* completed bursts */
};

/*
 * The burst estimate of a task with no history yet, where SJF's and
 * HRRN's exponential average starts (pcb_pick.bpf.h); here so that
 * pcbbench's model of those rules starts from the same value.
 */
#define PCB_EXPECTED_NEW_NS 10000000ULL /* 10 ms */

#define PCB_EXIT_SEC  ".data.pcb_exit"
#define PCB_STATS_SEC ".data.pcb_stats"

#endif /* PCB_SCHED_H */
