/* SPDX-License-Identifier: GPL-2.0 */
/* pcbsched: the policies it knows and what loading one yields. */
#ifndef PCBSCHED_H
#define PCBSCHED_H

#include <stdbool.h>
#include <stddef.h>

struct bpf_object;
struct bpf_link;
struct user_exit_info;
struct pcb_stats;
struct pcbsched_loaded;
struct pcbsched_request;

/*
 * One policy, and what its skeleton's type-specific code does for the
 * generic loader (generated for each policy in policies.c).
 */
struct pcbsched_policy {
	const char *name; /* what the user types */
	const char *ops;  /* sched_ext_ops.name, shown in sysfs */
	const char *summary;
	/* open, set knobs and flags, load, attach (SCX_OPS_*) */
	int (*load)(const struct pcbsched_request *req,
		    struct pcbsched_loaded *out);
	/* UEI_REPORT: the exit and the kernel's debug dump, on stderr */
	long long (*report)(struct pcbsched_loaded *loaded);
	void (*destroy)(void *skel);
};

/*
 * A policy's tunable: a `const volatile u64` in its BPF program, set from
 * the command line before loading. One option may serve several policies.
 */
struct pcbsched_knob {
	const char *option;   /* --option VALUE */
	const char *var;      /* rodata variable in the BPF program */
	const char *policies; /* space-separated policy names */
	unsigned long long def, min, max;
	const char *help;
};

#define PCBSCHED_MAX_SETTINGS 16

struct pcbsched_setting {
	const char *var;
	unsigned long long value;
};

/* What the command line asks of the policy about to load. */
struct pcbsched_request {
	bool partial; /* SCX_OPS_SWITCH_PARTIAL */
	const struct pcbsched_setting *settings;
	int nr_settings;
};

extern const struct pcbsched_knob pcbsched_knobs[];
bool pcbsched_knob_applies(const struct pcbsched_knob *k,
			   const struct pcbsched_policy *policy);

/* A policy attached to the kernel, and where its shared state lives. */
struct pcbsched_loaded {
	const struct pcbsched_policy *policy;
	void *skel; /* the policy's skeleton */
	struct bpf_object *obj;
	struct bpf_link *link;
	volatile struct user_exit_info *uei;
	volatile struct pcb_stats *stats;
	int queues_fd; /* PCB_QUEUES_MAP, or -1 if the policy has none */
};

extern const struct pcbsched_policy pcbsched_policies[];
const struct pcbsched_policy *pcbsched_find_policy(const char *name);

int pcbsched_load(const struct pcbsched_policy *policy, bool partial,
		  bool verbose, const struct pcbsched_setting *settings,
		  int nr_settings, struct pcbsched_loaded *out);
void pcbsched_detach(struct pcbsched_loaded *loaded);
void pcbsched_close(struct pcbsched_loaded *loaded);

int pcbsched_status(bool json);
int pcbsched_status_openmetrics(void);
int pcbsched_task(const char *pid_arg, bool json);

/* A map of the loaded scheduler, found by name from any process. */
int pcbsched_find_map(const char *name);
struct pcb_queue_stats;
int pcbsched_read_queues(int fd, struct pcb_queue_stats *qs);

#endif /* PCBSCHED_H */
