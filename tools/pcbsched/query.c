// SPDX-License-Identifier: GPL-2.0
/*
 * Reading the loaded policy's state from outside the loader: its maps are
 * found by name among the kernel's BPF maps, so 'pcbsched status' and
 * 'pcbsched task' work from any shell while 'pcbsched POLICY' runs.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <linux/types.h>

#include "cli.h"
#include "json.h"
#include "pcb_sched.h"
#include "pcbsched.h"

/* The newest map called @name: a policy loaded later wins. */
int pcbsched_find_map(const char *name)
{
	__u32 id = 0, best = 0;
	int fd;

	while (!bpf_map_get_next_id(id, &id)) {
		struct bpf_map_info info = { 0 };
		__u32 len = sizeof(info);

		fd = bpf_map_get_fd_by_id(id);
		if (fd < 0)
			continue;
		if (!bpf_map_get_info_by_fd(fd, &info, &len) &&
		    !strcmp(info.name, name))
			best = id;
		close(fd);
	}
	return best ? bpf_map_get_fd_by_id(best) : -ENOENT;
}

int pcbsched_read_queues(int fd, struct pcb_queue_stats *qs)
{
	__u32 zero = 0;

	return bpf_map_lookup_elem(fd, &zero, qs) ? -errno : 0;
}

static void print_task(int pid, const struct pcb_task_view *t,
		       const struct pcb_queue_stats *qs, bool json)
{
	/* A boost the task has not been looked at since still applies. */
	bool boosted = qs && t->boost_gen != qs->boost_gen;
	unsigned int level = boosted ? 0 : t->level;

	struct json j;

	if (json) {
		json_init(&j, stdout, 0);
		json_begin_object(&j);
		json_kv_int(&j, "pid", pid);
		json_kv_uint(&j, "level", level);
		json_kv_bool(&j, "boost_pending", boosted);
		json_kv_double(&j, "used_ms", boosted ? 0 : t->used_ns / 1e6,
			       3);
		json_kv_double(&j, "expected_ms", t->expected_ns / 1e6, 3);
		json_kv_uint(&j, "bursts", t->nr_bursts);
		json_end_object(&j);
		json_finish(&j);
		return;
	}
	printf("pid %d: level %u%s, %.3f ms used at this level, "
	       "expected burst %.3f ms, %llu bursts\n",
	       pid, level, boosted ? " (boosted)" : "",
	       boosted ? 0 : t->used_ns / 1e6, t->expected_ns / 1e6,
	       (unsigned long long)t->nr_bursts);
}

int pcbsched_task(const char *pid_arg, bool json)
{
	struct pcb_queue_stats qs;
	struct pcb_task_view t;
	int pid, pidfd, fd, qfd, err;
	long long v;
	bool have_qs;

	if (cli_number("pcbsched", "PID", pid_arg, 10, 1, INT_MAX, &v))
		return CLI_EXIT_USAGE;
	pid = (int)v;
	fd = pcbsched_find_map(PCB_TASKS_MAP);
	if (fd < 0) {
		fprintf(stderr, "pcbsched: no pcbsched policy is loaded\n");
		return 1;
	}
	pidfd = syscall(SYS_pidfd_open, pid, 0);
	if (pidfd < 0) {
		fprintf(stderr, "pcbsched: no process %d: %s\n", pid,
			strerror(errno));
		close(fd);
		return 1;
	}
	err = bpf_map_lookup_elem(fd, &pidfd, &t);
	if (err)
		fprintf(stderr, "pcbsched: the policy does not know %d\n", pid);
	qfd = pcbsched_find_map(PCB_QUEUES_MAP);
	have_qs = qfd >= 0 && !pcbsched_read_queues(qfd, &qs);
	if (!err)
		print_task(pid, &t, have_qs ? &qs : NULL, json);
	if (qfd >= 0)
		close(qfd);
	close(pidfd);
	close(fd);
	return err ? 1 : 0;
}
