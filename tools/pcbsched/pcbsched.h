/* SPDX-License-Identifier: GPL-2.0 */
/* pcbsched: the policies it knows and what loading one yields. */
#ifndef PCBSCHED_H
#define PCBSCHED_H

#include <stdbool.h>
#include <stddef.h>

struct bpf_object;
struct bpf_link;
struct pcb_exit_info;
struct pcb_stats;

struct pcbsched_policy {
	const char *name; /* what the user types */
	const char *ops;  /* sched_ext_ops.name, shown in sysfs */
	const char *summary;
	const void *(*elf_bytes)(size_t *size);
};

/* A policy attached to the kernel, and where its shared state lives. */
struct pcbsched_loaded {
	const struct pcbsched_policy *policy;
	struct bpf_object *obj;
	struct bpf_link *link;
	volatile struct pcb_exit_info *exit;
	volatile struct pcb_stats *stats;
};

extern const struct pcbsched_policy pcbsched_policies[];
const struct pcbsched_policy *pcbsched_find_policy(const char *name);

int pcbsched_load(const struct pcbsched_policy *policy, bool partial,
		  bool verbose, struct pcbsched_loaded *out);
void pcbsched_detach(struct pcbsched_loaded *loaded);
void pcbsched_close(struct pcbsched_loaded *loaded);

int pcbsched_status(bool json);

#endif /* PCBSCHED_H */
