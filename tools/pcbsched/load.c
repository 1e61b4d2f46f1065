// SPDX-License-Identifier: GPL-2.0
/*
 * Loading a policy: the type-specific steps (the kernel headers' SCX_OPS_*
 * macros on the policy's skeleton) live in policies.c; this is what they
 * share around them.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <scx/common.h>

#include "pcb_sched.h"
#include "pcbsched.h"

static bool libbpf_verbose;

static int print_libbpf(enum libbpf_print_level level, const char *fmt,
			va_list ap)
{
	if (level == LIBBPF_DEBUG && !libbpf_verbose)
		return 0;
	return vfprintf(stderr, fmt, ap);
}

/*
 * SCX_OPS_OPEN() reads some 50 enums and fields of the running kernel
 * (SCX_ENUM_INIT(), the ops fields it checks) from __COMPAT_vmlinux_btf,
 * each by a linear search of its ~130,000 types: about a second natively
 * and tens of seconds under QEMU TCG, on every attach and every restart
 * after a hotplug. One pass instead copies the types those look-ups can
 * ask for (the scx_* enums, struct sched_ext_ops[_cid]) into a small BTF,
 * which the headers then search. Member type ids are copied unmapped:
 * only the members' names are read.
 */
static bool scx_type(const struct btf *btf, const struct btf_type *t)
{
	const char *name = btf__name_by_offset(btf, t->name_off);

	if (!name)
		return false;
	if (btf_is_any_enum(t))
		return !strncmp(name, "scx_", 4);
	return btf_is_struct(t) && !strncmp(name, "sched_ext_ops", 13);
}

static void prime_scx_btf(void)
{
	struct btf *vmlinux, *small;
	__u32 id, n;

	if (__COMPAT_vmlinux_btf)
		return;
	vmlinux = btf__load_vmlinux_btf();
	if (!vmlinux)
		return; /* SCX_OPS_OPEN() reports it */
	small = btf__new_empty();
	n = btf__type_cnt(vmlinux);
	for (id = 1; small && id < n; id++) {
		const struct btf_type *t = btf__type_by_id(vmlinux, id);

		if (scx_type(vmlinux, t) &&
		    btf__add_type(small, vmlinux, t) < 0) {
			btf__free(small);
			small = NULL;
		}
	}
	if (small) {
		__COMPAT_vmlinux_btf = small;
		btf__free(vmlinux);
	} else {
		__COMPAT_vmlinux_btf = vmlinux;
	}
}

/*
 * SCX_OPS_ATTACH() ends the process on failure with the errno's text;
 * the common cause deserves a plainer word first.
 */
static bool another_scheduler_attached(void)
{
	char state[32] = "";
	FILE *f = fopen("/sys/kernel/sched_ext/state", "r");

	if (!f)
		return false;
	if (!fgets(state, sizeof(state), f))
		state[0] = '\0';
	fclose(f);
	return !strncmp(state, "enabled", 7);
}

int pcbsched_load(const struct pcbsched_policy *policy, bool partial,
		  bool verbose, const struct pcbsched_setting *settings,
		  int nr_settings, struct pcbsched_loaded *out)
{
	struct pcbsched_request req = {
		.partial = partial,
		.settings = settings,
		.nr_settings = nr_settings,
	};
	struct bpf_map *queues;
	int err;

	libbpf_verbose = verbose;
	libbpf_set_print(print_libbpf);
	memset(out, 0, sizeof(*out));
	out->queues_fd = -1;
	out->policy = policy;
	if (another_scheduler_attached()) {
		fprintf(stderr,
			"pcbsched: cannot attach %s: another sched_ext scheduler is already loaded\n",
			policy->ops);
		return -EBUSY;
	}
	prime_scx_btf();
	err = policy->load(&req, out);
	if (err)
		return err;
	queues = bpf_object__find_map_by_name(out->obj, PCB_QUEUES_MAP);
	out->queues_fd = queues ? bpf_map__fd(queues) : -1;
	return 0;
}

/* Detaching runs ops.exit, so the exit record is complete afterwards. */
void pcbsched_detach(struct pcbsched_loaded *loaded)
{
	bpf_link__destroy(loaded->link);
	loaded->link = NULL;
}

void pcbsched_close(struct pcbsched_loaded *loaded)
{
	pcbsched_detach(loaded);
	if (loaded->skel)
		loaded->policy->destroy(loaded->skel);
	loaded->skel = NULL;
	loaded->obj = NULL;
	loaded->uei = NULL;
	loaded->stats = NULL;
}
