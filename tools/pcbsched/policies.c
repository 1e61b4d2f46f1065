// SPDX-License-Identifier: GPL-2.0
/* The policies compiled into pcbsched: one skeleton each, embedded. */
#include <stdlib.h>
#include <string.h>

#include <linux/types.h>

#include "pcb_sched.h"
#include "pcbsched.h"
/* Skeletons name the shared structs, so they come after pcb_sched.h. */
#include "pcb_fifo.skel.h"

/* The skeletons' own elf_bytes take no size_t * on every bpftool. */
static const void *fifo_bytes(size_t *size)
{
	return pcb_fifo__elf_bytes(size);
}

const struct pcbsched_policy pcbsched_policies[] = {
	{ "fifo", "pcb_fifo", "global first-in first-out queue", fifo_bytes },
	{ NULL },
};

const struct pcbsched_policy *pcbsched_find_policy(const char *name)
{
	const struct pcbsched_policy *p;

	for (p = pcbsched_policies; p->name; p++)
		if (!strcmp(p->name, name) || !strcmp(p->ops, name))
			return p;
	return NULL;
}
