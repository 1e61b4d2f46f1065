/* SPDX-License-Identifier: GPL-2.0 */
/*
 * State shared by every pcbsched policy and its loader. The loader reaches
 * it through each policy's skeleton; the exit record is the kernel
 * headers' struct user_exit_info (UEI).
 */
#ifndef PCB_SCHED_H
#define PCB_SCHED_H

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

#endif /* PCB_SCHED_H */
