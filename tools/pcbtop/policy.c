// SPDX-License-Identifier: GPL-2.0
/*
 * The attached pcbsched policy as pcbtop shows it: per-level queues from
 * its PCB_QUEUES_MAP and one task's level and burst estimate from its
 * PCB_TASKS_MAP, both found the way 'pcbsched status' finds them.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <linux/types.h>

#include "pcb_sched.h"
#include "pcbsched.h"
#include "pcbtop.h"

#define SCX_SYSFS "/sys/kernel/sched_ext/"

static int read_word(const char *rel, char *buf, size_t size)
{
	char path[128];
	FILE *f;

	snprintf(path, sizeof(path), SCX_SYSFS "%s", rel);
	f = fopen(path, "r");
	if (!f)
		return -1;
	if (!fgets(buf, size, f))
		buf[0] = '\0';
	fclose(f);
	buf[strcspn(buf, "\n")] = '\0';
	return 0;
}

/*
 * Walking every BPF map to find ours costs a syscall per map, so the fd is
 * kept until sched_ext's enable_seq says another scheduler came. A kept fd
 * also keeps a detached policy's map alive, hence the check of state.
 */
static int queues_fd = -1;
static char seen_seq[32];

static int queues_map(void)
{
	char seq[32], state[32];

	if (read_word("state", state, sizeof(state)) ||
	    strcmp(state, "enabled") ||
	    read_word("enable_seq", seq, sizeof(seq))) {
		seq[0] = '\0';
	} else if (queues_fd >= 0 && !strcmp(seq, seen_seq)) {
		return queues_fd;
	}
	if (queues_fd >= 0)
		close(queues_fd);
	queues_fd = -1;
	snprintf(seen_seq, sizeof(seen_seq), "%s", seq);
	if (seq[0])
		queues_fd = pcbsched_find_map(PCB_QUEUES_MAP);
	return queues_fd;
}

void policy_read(struct policy_view *p, uint64_t *level_run_ns)
{
	struct pcb_queue_stats qs;
	unsigned int i;
	int fd = queues_map();

	memset(p, 0, sizeof(*p));
	if (fd < 0 || pcbsched_read_queues(fd, &qs))
		return;
	if (read_word("root/ops", p->ops, sizeof(p->ops)))
		snprintf(p->ops, sizeof(p->ops), "?");
	p->attached = true;
	p->levels = qs.nr_queues < PCBTOP_MAX_LEVELS ? qs.nr_queues
						     : PCBTOP_MAX_LEVELS;
	for (i = 0; i < p->levels; i++) {
		p->queued[i] = qs.queued[i];
		level_run_ns[i] = qs.run_ns[i];
	}
}

/* The policy's view of @pid; -ENOENT when no policy of ours knows it. */
int policy_task(int pid, unsigned int *level, double *expected_ms,
		double *used_ms)
{
	struct pcb_queue_stats qs;
	struct pcb_task_view t;
	int fd, pidfd, err = -ENOENT, qfd = queues_map();

	if (qfd < 0)
		return -ENOENT;
	fd = pcbsched_find_map(PCB_TASKS_MAP);
	if (fd < 0)
		return -ENOENT;
	pidfd = syscall(SYS_pidfd_open, pid, 0);
	if (pidfd >= 0 && !bpf_map_lookup_elem(fd, &pidfd, &t)) {
		/* A boost the task has not been looked at since applies. */
		bool boosted = !pcbsched_read_queues(qfd, &qs) &&
			       t.boost_gen != qs.boost_gen;

		*level = boosted ? 0 : t.level;
		*used_ms = boosted ? 0 : t.used_ns / 1e6;
		*expected_ms = t.expected_ns / 1e6;
		err = 0;
	}
	if (pidfd >= 0)
		close(pidfd);
	close(fd);
	return err;
}
