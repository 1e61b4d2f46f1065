// SPDX-License-Identifier: GPL-2.0
/*
 * Which readers may see the hook-derived figures of a task: the same ones
 * procfs lets read ptrace-gated files (PTRACE_MODE_READ_FSCREDS). Modules
 * cannot call ptrace_may_access(), so this is its credential rule: the
 * reader's thread group, a reader whose fsuid/fsgid match all of the
 * target's ids, or CAP_SYS_PTRACE over the target's user namespace. The
 * LSM hook and the dumpable check are not reachable from a module; both
 * only ever deny more, so this rule never shows what procfs would hide
 * from a matching-id reader less strictly than uid checks do.
 */
#include <linux/capability.h>
#include <linux/cred.h>
#include <linux/rcupdate.h>
#include <linux/sched/signal.h>

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
	rcu_read_unlock();
	return ok;
}
