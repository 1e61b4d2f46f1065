// SPDX-License-Identifier: GPL-2.0
/*
 * Which readers may see the hook-derived figures of a task: the same ones
 * procfs lets read ptrace-gated files (PTRACE_MODE_READ_FSCREDS). Modules
 * cannot call ptrace_may_access(), so this is its rule without the LSM
 * hook: the reader's thread group, or a reader whose fsuid/fsgid match all
 * of the target's ids or who has CAP_SYS_PTRACE over the target's user
 * namespace, and then only while the target is dumpable or the reader has
 * CAP_SYS_PTRACE over the namespace its dumpability was set in. The hook
 * only ever denies more.
 */
#include <linux/capability.h>
#include <linux/cred.h>
#include <linux/rcupdate.h>
#include <linux/sched/signal.h>

#include "compat.h"
#include "stats.h"

static bool ids_match(const struct cred *reader, const struct cred *target)
{
	return uid_eq(reader->fsuid, target->euid) &&
	       uid_eq(reader->fsuid, target->suid) &&
	       uid_eq(reader->fsuid, target->uid) &&
	       gid_eq(reader->fsgid, target->egid) &&
	       gid_eq(reader->fsgid, target->sgid) &&
	       gid_eq(reader->fsgid, target->gid);
}

static bool may_read_dumpable(struct task_struct *p)
{
	struct user_namespace *ns;

	return pcbstat_dumpable(p, &ns) ||
	       ns_capable_noaudit(ns, CAP_SYS_PTRACE);
}

bool pcbstat_may_read(struct task_struct *p)
{
	const struct cred *target;
	bool ok;

	if (same_thread_group(p, current))
		return true;
	rcu_read_lock();
	target = __task_cred(p);
	ok = ids_match(current_cred(), target) ||
	     ns_capable_noaudit(target->user_ns, CAP_SYS_PTRACE);
	/* Dumpability after the ids: commit_creds() changes them in order. */
	smp_rmb();
	ok = ok && may_read_dumpable(p);
	rcu_read_unlock();
	return ok;
}
