/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Every difference between the kernels pcbstat.ko builds against (6.12 to
 * 7.x) is absorbed here, so the rest of the module is written against one
 * API. Add a wrapper here rather than an #if in the logic.
 */
#ifndef PCBSTAT_COMPAT_H
#define PCBSTAT_COMPAT_H

#include <linux/version.h>

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

#endif /* PCBSTAT_COMPAT_H */
