/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Every difference between the kernels pcbstat.ko builds against (6.12 to
 * 7.x) is absorbed here, so the rest of the module is written against one
 * API. Add a wrapper here rather than an #if in the logic.
 */
#ifndef PCBSTAT_COMPAT_H
#define PCBSTAT_COMPAT_H

#include <linux/version.h>
#include <linux/slab.h>

/* 7.x allocates by type; older kernels only by size. */
#ifndef kmalloc_obj
#define kmalloc_obj(var, gfp) kmalloc(sizeof(var), gfp)
#define kzalloc_obj(var, gfp) kzalloc(sizeof(var), gfp)
#endif

/*
 * A namespace's identity for as long as the system runs: kernels with the
 * namespace tree (which brought ns_ref_inc()) number every namespace once
 * (ns_id); older ones only have the proc inode number, which is recycled.
 * An IPC namespace's table holds a reference (below), so its number cannot
 * come back while the table exists.
 */
#include <linux/ipc_namespace.h>
#include <linux/pid_namespace.h>
#ifdef ns_ref_inc
static inline u64 pcbstat_ipc_ns_id(struct ipc_namespace *ns)
{
	return ns->ns.ns_id;
}

static inline u64 pcbstat_pid_ns_id(struct pid_namespace *ns)
{
	return ns->ns.ns_id;
}
#else
static inline u64 pcbstat_ipc_ns_id(struct ipc_namespace *ns)
{
	return ns->ns.inum;
}

/*
 * The proc inode number alone would let a new pid namespace, which gets
 * the lowest free number, read a dead one's exited records. Its init
 * tells the two apart: a namespace's init starts after every task of an
 * earlier namespace of that number exited. The callers run in a task of
 * @ns (a reader, or an exiting task before exit_notify()), so init's
 * thread group, whose leader stays until the group is gone, is alive.
 * Folded into 64 bits: inits started a multiple of 2^32 ns apart in two
 * namespaces of one number would give them one id.
 */
static inline u64 pcbstat_pid_ns_id(struct pid_namespace *ns)
{
	struct task_struct *init = READ_ONCE(ns->child_reaper);
	u32 born = init ? (u32)init->group_leader->start_time : 0;

	return (u64)ns->ns.inum << 32 | born;
}
#endif

/*
 * Whether a module may keep an IPC namespace alive and let it go again:
 * get_ipc_ns() is inline everywhere, but put_ipc_ns() is not exported by
 * every kernel (Debian's 6.12 and 7.x do; Kbuild tests Module.symvers and
 * defines PCBMQ_PUT_IPC_NS). Where it is not, no reference is held and a
 * dead namespace's queues wait for its address to come back or unload.
 * Orphaned: the module's reference is the last, so no task, open nsfs file
 * or mount can reach the namespace again, and nothing but the module can
 * raise the count: the test and the put that follows it cannot race.
 */
#ifdef PCBMQ_PUT_IPC_NS
static inline bool pcbmq_ipc_ns_hold(struct ipc_namespace *ns)
{
	get_ipc_ns(ns);
	return true;
}

static inline void pcbmq_ipc_ns_drop(struct ipc_namespace *ns)
{
	put_ipc_ns(ns);
}

#ifdef ns_ref_read
static inline bool pcbmq_ipc_ns_orphaned(struct ipc_namespace *ns)
{
	return ns_ref_read(ns) == 1;
}
#else
static inline bool pcbmq_ipc_ns_orphaned(struct ipc_namespace *ns)
{
	return refcount_read(&ns->ns.count) == 1;
}
#endif
#else
static inline bool pcbmq_ipc_ns_hold(struct ipc_namespace *ns)
{
	return false;
}

static inline void pcbmq_ipc_ns_drop(struct ipc_namespace *ns)
{
}

static inline bool pcbmq_ipc_ns_orphaned(struct ipc_namespace *ns)
{
	return false;
}
#endif

/*
 * sched_process_exit gained "bool group_dead" in 6.16; Kbuild tests the
 * header and defines PCBSTAT_EXIT_HAS_GROUP_DEAD. Without it the probe
 * works it out the way do_exit does, from the live-thread count do_exit
 * has already decremented.
 */
#ifdef PCBSTAT_EXIT_HAS_GROUP_DEAD
#define PCBSTAT_EXIT_PROBE_ARGS	struct task_struct *p, bool group_dead
#define PCBSTAT_EXIT_GROUP_DEAD(p)	((void)(p), group_dead)
#else
#define PCBSTAT_EXIT_PROBE_ARGS	struct task_struct *p
#define PCBSTAT_EXIT_GROUP_DEAD(p)	(!atomic_read(&(p)->signal->live))
#endif

/*
 * Whether the sched_switch probe can take the time of the switch from the
 * scheduler instead of reading the clock. At the tracepoint the pick has
 * just stamped next->se.exec_start with rq_clock_task() (every class does,
 * the idle class since 6.12), and prev's was stamped when it was put or
 * dequeued. Without IRQ-time and steal-time accounting rq_clock_task() is
 * rq_clock(), which __schedule() has just read from sched_clock_cpu() of
 * this CPU: the clock pcbstat_now() reads, so the figures stay in one
 * clock. With either accounting the task clock runs slower, and with proxy
 * execution next may be a lock owner run for a donor, whose stamp is old.
 */
#if !defined(CONFIG_IRQ_TIME_ACCOUNTING) && \
	!defined(CONFIG_PARAVIRT_TIME_ACCOUNTING) && \
	!defined(CONFIG_SCHED_PROXY_EXEC)
#define PCBSTAT_SWITCH_STAMPED
#endif

/*
 * Dumpability, as ptrace checks it after the ids: whether a reader with
 * matching ids may look, else which user namespace CAP_SYS_PTRACE must be
 * held over. Kernels with per-task exec state keep it there, read under
 * RCU (the caller holds rcu_read_lock()); older ones in the mm, read under
 * task_lock(), and a task without an mm passes.
 */
#ifdef PCBSTAT_HAS_EXEC_STATE
#include <linux/sched/exec_state.h>
static inline bool pcbstat_dumpable(struct task_struct *p,
				    struct user_namespace **ns)
{
	const struct task_exec_state *es = rcu_dereference(p->exec_state);

	if (!es) {
		*ns = &init_user_ns;
		return false;
	}
	*ns = es->user_ns;
	return READ_ONCE(es->dumpable) == TASK_DUMPABLE_OWNER;
}
#else
#include <linux/sched/coredump.h>
#include <linux/sched/task.h>
static inline bool pcbstat_dumpable(struct task_struct *p,
				    struct user_namespace **ns)
{
	struct mm_struct *mm;
	bool dumpable = true;

	*ns = &init_user_ns;
	task_lock(p);
	mm = p->mm;
	if (mm) {
		*ns = mm->user_ns;
		dumpable = get_dumpable(mm) == SUID_DUMP_USER;
	}
	task_unlock(p);
	return dumpable;
}
#endif

/*
 * A 32-bit caller's user pointer. Kernels without CONFIG_COMPAT have no
 * compat_ptr(); they never set .compat_ioctl, so no caller is 32-bit.
 */
#ifdef CONFIG_COMPAT
#include <linux/compat.h>
#define pcbmq_compat_ptr(v) compat_ptr((compat_uptr_t)(v))
#else
#define pcbmq_compat_ptr(v) u64_to_user_ptr(v)
#endif

/*
 * wait_ns, the wakeups and the dispatches come from the scheduler's own
 * sched_info, which kernels have with schedstats or delay accounting (all
 * the distributions' kernels do).
 */
#ifndef CONFIG_SCHED_INFO
#error "pcbstat.ko needs a kernel with CONFIG_SCHED_INFO"
#endif

/*
 * for_each_thread() gives the RCU list check a lockdep condition that
 * names tasklist_lock, which is not exported: on a kernel with
 * CONFIG_PROVE_RCU_LIST the module would not link. Our walks hold
 * rcu_read_lock(), which the check accepts without the condition.
 */
#include <linux/rculist.h>
#include <linux/sched/signal.h>
#define pcbstat_for_each_thread(p, t) \
	list_for_each_entry_rcu(t, &(p)->signal->thread_head, thread_node)

#endif /* PCBSTAT_COMPAT_H */
