// SPDX-License-Identifier: GPL-2.0
/*
 * The exited ring: the final figures of the last exited_ring processes,
 * written by the probe that sees a process's last thread switch out for
 * good, and read by /proc/pcbstat_exited and PCBSTAT_IOC_EXITED.
 *
 * The task is gone by the time anyone reads, so an entry keeps its pids
 * both as the initial namespace and as the process's own namespace numbers
 * them; a reader sees the entry only from one of those two namespaces.
 * They are the ones sched_process_exit saw: by the final switch that
 * writes the entry, a reaped task has no pids left.
 */
#include <linux/capability.h>
#include <linux/cred.h>
#include <linux/moduleparam.h>
#include <linux/pid_namespace.h>
#include <linux/proc_fs.h>
#include <linux/rcupdate.h>
#include <linux/sched/signal.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/string.h>

#include "stats.h"

static unsigned int exited_ring = 64;
module_param(exited_ring, uint, 0444);
MODULE_PARM_DESC(exited_ring, "Exited processes kept with their figures");

struct exited_entry {
	/* pid and ppid as init_pid_ns sees them */
	struct pcbstat_task rec;
	pid_t ns_pid;
	pid_t ns_ppid;
	u64 ns_id;		/* the process's own pid namespace (compat.h) */
	kuid_t uid;
};

/*
 * Guards ring[] and next_seq. Raw: records are written from the exit
 * probe, under the runqueue lock with IRQs off.
 */
static DEFINE_RAW_SPINLOCK(ring_lock);
static struct exited_entry *ring;
static u64 next_seq = 1;

static void sum_threads(struct task_struct *p, struct pcbstat_task *t)
{
	struct signal_struct *sig = p->signal;
	struct task_struct *th;

	t->nvcsw = READ_ONCE(sig->nvcsw);
	t->nivcsw = READ_ONCE(sig->nivcsw);
	t->run_ns = READ_ONCE(sig->sum_sched_runtime);
	rcu_read_lock();
	pcbstat_for_each_thread(p, th) {
		t->nvcsw += READ_ONCE(th->nvcsw);
		t->nivcsw += READ_ONCE(th->nivcsw);
		t->run_ns += READ_ONCE(th->se.sum_exec_runtime);
		t->wait_ns += READ_ONCE(th->sched_info.run_delay);
	}
	rcu_read_unlock();
}

static void fill_counters(struct pcbstat_task *t, struct pcbstat_slot *lead)
{
	int c;

	for (c = 0; c < PCBSTAT_NR_COUNTERS; c++)
		*pcbstat_hook_field(t, c) = atomic64_read(&lead->dead[c]);
}

static void fill_response(struct pcbstat_slot *lead, struct pcbstat_task *t)
{
	if ((lead->flags & PCBSTAT_SLOT_FORKED) &&
	    (lead->flags & PCBSTAT_SLOT_RAN))
		t->response_ns = lead->response_ns;
	else
		t->response_ns = PCBSTAT_UNKNOWN;
}

/*
 * The ids probe_exit took from the last thread: by its final switch it
 * may have been reaped, and its pids read 0 in every namespace.
 */
static void fill_ids(struct pcbstat_slot *s, struct exited_entry *e)
{
	e->rec.pid = s->exit_pid;
	e->ns_pid = s->exit_ns_pid;
	e->rec.ppid = s->exit_ppid;
	e->ns_ppid = s->exit_ns_ppid;
	e->ns_id = s->exit_ns_id;
	e->uid = s->exit_uid;
	memcpy(e->rec.comm, s->proc_comm, sizeof(e->rec.comm));
}

/* Probe context: runqueue lock held, IRQs off. */
void pcbstat_exited_record(struct task_struct *p, struct pcbstat_slot *s,
			   struct pcbstat_slot *lead)
{
	struct exited_entry e = { };
	unsigned long flags;

	pcbstat_task_begin(&e.rec, PCBSTAT_F_EXITED);
	e.rec.state = 'X';
	e.rec.policy = p->policy;
	e.rec.nice = task_nice(p);
	e.rec.prio = pcbstat_prio(p);
	e.rec.cpu = task_cpu(p);
	e.rec.start_ns = s->proc_start_ns;
	/* Once per process: the clocksource read is affordable here. */
	e.rec.exit_ns = ktime_get_mono_fast_ns();
	e.rec.turnaround_ns = e.rec.exit_ns - s->proc_start_ns;
	fill_ids(s, &e);
	sum_threads(p, &e.rec);
	fill_counters(&e.rec, lead);
	fill_response(lead, &e.rec);

	raw_spin_lock_irqsave(&ring_lock, flags);
	e.rec.seq = next_seq++;
	ring[(e.rec.seq - 1) % exited_ring] = e;
	raw_spin_unlock_irqrestore(&ring_lock, flags);
}

/* The entry as the reader may see it; false if it is not theirs to see. */
static bool translate(struct exited_entry *e, struct pid_namespace *ns)
{
	struct pcbstat_task *t = &e->rec;

	if (ns != &init_pid_ns) {
		if (pcbstat_pid_ns_id(ns) != e->ns_id)
			return false;
		t->pid = e->ns_pid;
		t->ppid = e->ns_ppid;
	}
	t->tid = t->pid;
	t->uid = from_kuid_munged(current_user_ns(), e->uid);
	if (!uid_eq(current_fsuid(), e->uid) &&
	    !ns_capable_noaudit(&init_user_ns, CAP_SYS_PTRACE)) {
		pcbstat_set_hook_fields(t, PCBSTAT_UNKNOWN);
		t->flags |= PCBSTAT_F_HIDDEN;
	}
	return true;
}

/* Snapshot under the lock; translation may not run under a raw lock. */
static unsigned int snapshot(u64 after_seq, struct exited_entry *snap,
			     u64 *lost)
{
	unsigned long flags;
	unsigned int n = 0;
	u64 seq, first;

	raw_spin_lock_irqsave(&ring_lock, flags);
	first = next_seq > exited_ring ? next_seq - exited_ring : 1;
	*lost = after_seq + 1 < first ? first - after_seq - 1 : 0;
	for (seq = max(after_seq + 1, first); seq < next_seq; seq++)
		snap[n++] = ring[(seq - 1) % exited_ring];
	raw_spin_unlock_irqrestore(&ring_lock, flags);
	return n;
}

/*
 * Up to @max records with seq > @after_seq, oldest first, into @out.
 * Returns how many, or -ENOMEM.
 */
int pcbstat_exited_copy(u64 after_seq, struct pcbstat_task *out,
			unsigned int max, u64 *lost)
{
	struct pid_namespace *ns = task_active_pid_ns(current);
	struct exited_entry *snap;
	unsigned int i, n, k = 0;

	snap = kvcalloc(exited_ring, sizeof(*snap), GFP_KERNEL);
	if (!snap)
		return -ENOMEM;
	n = snapshot(after_seq, snap, lost);
	for (i = 0; i < n && k < max; i++)
		if (translate(&snap[i], ns))
			out[k++] = snap[i].rec;
	kvfree(snap);
	return k;
}

unsigned int pcbstat_exited_size(void)
{
	return exited_ring;
}

int pcbstat_exited_init(void)
{
	if (!exited_ring || exited_ring > 65536)
		return -EINVAL;
	ring = kvcalloc(exited_ring, sizeof(*ring), GFP_KERNEL);
	return ring ? 0 : -ENOMEM;
}

void pcbstat_exited_exit(void)
{
	kvfree(ring);
	ring = NULL;
}
