/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * /dev/pcbstat: the ABI between pcbstat.ko and user space.
 *
 * Every request struct starts with its size, so that old binaries keep
 * working when fields are appended: the kernel zero-fills a shorter struct
 * and refuses (-E2BIG) a longer one whose unknown tail is not zero. Records
 * written back are cut to, or zero-padded up to, the entry size the caller
 * names. Reserved fields must be zero (-EINVAL). Times are nanoseconds of
 * CLOCK_MONOTONIC; a figure the module could not observe (the task is older
 * than the module, or procfs would hide it from the caller) is
 * PCBSTAT_UNKNOWN. Documentation/pcbstat.rst has the whole story.
 */
#ifndef _UAPI_PCBSTAT_H
#define _UAPI_PCBSTAT_H

#include <linux/ioctl.h>
#include <linux/types.h>

#define PCBSTAT_DEVICE		"/dev/pcbstat"
#define PCBSTAT_UNKNOWN		(~(__u64)0)
#define PCBSTAT_COMM_LEN	16

/*
 * pcbstat_task.wait_hist[]: bucket 0 counts waits below 2^SHIFT ns, bucket
 * i > 0 those in [2^(SHIFT+i-1), 2^(SHIFT+i)) ns, the last bucket also
 * every longer one. Its count equals dispatches.
 */
#define PCBSTAT_WAIT_HIST_SHIFT		10
#define PCBSTAT_WAIT_HIST_BUCKETS	24

/* pcbstat_task.flags */
#define PCBSTAT_F_THREAD	0x1 /* one thread, not a process */
#define PCBSTAT_F_EXITED	0x2 /* from the exited ring */
#define PCBSTAT_F_HIDDEN	0x4 /* ptrace-gated figures hidden */

/* One process (thread group) or one thread. */
struct pcbstat_task {
	__u32 size;		/* bytes of this struct the kernel filled */
	__u32 flags;		/* PCBSTAT_F_* */
	__s32 pid;		/* tgid, in the caller's pid namespace */
	__s32 tid;		/* thread id; == pid for a process record */
	__s32 ppid;
	__u32 uid;		/* in the caller's user namespace */
	__u32 state;		/* one letter, as in /proc/<pid>/stat */
	__u32 threads;
	__u32 policy;		/* SCHED_* number */
	__s32 nice;
	__s32 prio;		/* as /proc/<pid>/stat: prio - 100 */
	__s32 cpu;		/* CPU it last ran on */
	__u64 run_ns;		/* CPU time of live threads */
	__u64 wait_ns;		/* runqueue wait of live threads */
	__u64 nvcsw;		/* voluntary switches, as getrusage */
	__u64 nivcsw;		/* involuntary switches, as getrusage */
	__u64 sw_thread;	/* switch-outs to a thread of the same mm */
	__u64 sw_process;	/* ... to another user address space */
	__u64 sw_kernel;	/* ... to a kernel thread or idle */
	__u64 dispatches;	/* ready -> running */
	__u64 preempts;		/* running -> ready */
	__u64 blocks;		/* running -> blocked */
	__u64 wakeups;		/* blocked -> ready */
	__u64 ready_ns;
	__u64 running_ns;
	__u64 blocked_ns;
	__u64 turnaround_ns;	/* start to now, or start to exit */
	__u64 response_ns;	/* fork to first run */
	__u64 rss_kb;
	__u64 start_ns;		/* CLOCK_MONOTONIC at fork */
	__u64 exit_ns;		/* CLOCK_MONOTONIC at exit, 0 while alive */
	__u64 seq;		/* exited ring: sequence number, from 1 */
	char comm[PCBSTAT_COMM_LEN];
	/* VER1: runqueue waits, one per dispatch, in log2 buckets of ns */
	__u64 wait_hist_sum_ns;	/* the waits counted in wait_hist[] */
	__u32 wait_hist_shift;	/* PCBSTAT_WAIT_HIST_SHIFT */
	__u32 wait_hist_buckets; /* PCBSTAT_WAIT_HIST_BUCKETS */
	__u64 wait_hist[PCBSTAT_WAIT_HIST_BUCKETS];
};

#define PCBSTAT_TASK_SIZE_VER0	224
#define PCBSTAT_TASK_SIZE_VER1	432

/* PCBSTAT_IOC_GET: one process, or one thread with PCBSTAT_GET_THREAD. */
#define PCBSTAT_GET_THREAD	0x1

struct pcbstat_get {
	__u32 size;		/* sizeof(struct pcbstat_get) */
	__u32 flags;		/* PCBSTAT_GET_* */
	__s32 pid;		/* in the caller's pid namespace */
	__u32 entry_size;	/* bytes at out, >= PCBSTAT_TASK_SIZE_VER0 */
	__u64 out;		/* struct pcbstat_task * */
	__u64 reserved;		/* must be zero */
};

/*
 * PCBSTAT_IOC_LIST: processes (or every thread, PCBSTAT_LIST_THREADS) with
 * pid >= next_pid, at most count of them. On return count says how many
 * were written and next_pid where to resume; next_pid 0 means done.
 */
#define PCBSTAT_LIST_THREADS	0x1

struct pcbstat_list {
	__u32 size;		/* sizeof(struct pcbstat_list) */
	__u32 flags;		/* PCBSTAT_LIST_* */
	__s32 next_pid;		/* in: resume here (1 to start); out: next */
	__u32 count;		/* in: room at buf; out: records written */
	__u32 entry_size;	/* bytes per record at buf */
	__u32 reserved;		/* must be zero */
	__u64 buf;		/* struct pcbstat_task[count] */
};

/*
 * PCBSTAT_IOC_EXITED: records of exited processes with seq > after_seq,
 * oldest first, at most count. Records the ring already overwrote are
 * counted in lost.
 */
struct pcbstat_exited {
	__u32 size;		/* sizeof(struct pcbstat_exited) */
	__u32 count;		/* in: room at buf; out: records written */
	__u64 after_seq;	/* in: last seq seen (0: all) */
	__u32 entry_size;	/* bytes per record at buf */
	__u32 reserved;		/* must be zero */
	__u64 buf;		/* struct pcbstat_task[count] */
	__u64 lost;		/* out: records overwritten before this read */
};

#define PCBSTAT_IOC_MAGIC	0xB9
#define PCBSTAT_IOC_GET		_IOWR(PCBSTAT_IOC_MAGIC, 1, struct pcbstat_get)
#define PCBSTAT_IOC_LIST	_IOWR(PCBSTAT_IOC_MAGIC, 2, struct pcbstat_list)
#define PCBSTAT_IOC_EXITED	_IOWR(PCBSTAT_IOC_MAGIC, 3, \
				      struct pcbstat_exited)

#endif /* _UAPI_PCBSTAT_H */
