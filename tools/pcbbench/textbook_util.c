// SPDX-License-Identifier: GPL-2.0
/*
 * What the parts of 'pcbbench textbook' share: figures with their 95%
 * interval, verdict lines, the PCB from /dev/pcbstat beside procfs, and
 * the files the charts are drawn from.
 */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "textbook.h"

void tb_fig_of(double *v, int n, struct tb_fig *f)
{
	struct summary s;

	summarize(v, n, &s);
	f->p50 = s.p50;
	f->n = n;
	median_ci95(v, n, &f->lo, &f->hi);
}

static const char *ratio_verdict(const struct tb_fig *r)
{
	if (!r->n)
		return "not measured";
	if (r->lo > 1)
		return "holds";
	if (r->hi <= 1)
		return "does not hold here";
	return "undecided";
}

bool tb_verdict(const struct tb_opts *o, const char *claim,
		const struct tb_fig *r)
{
	const char *v = ratio_verdict(r);

	if (o->json)
		printf("{\"verdict\":\"%s\",\"claim\":\"%s\",\"ratio\":%.3f,"
		       "\"lo\":%.3f,\"hi\":%.3f,\"trials\":%d}\n",
		       v, claim, r->p50, r->lo, r->hi, r->n);
	else
		printf("verdict: %s: %s (x%.2f, 95%% CI %.2f-%.2f, %d "
		       "trials)\n",
		       claim, v, r->p50, r->lo, r->hi, r->n);
	return !strcmp(v, "holds");
}

void tb_verdict_plain(const struct tb_opts *o, const char *claim, bool holds,
		      const char *evidence)
{
	const char *v = holds ? "holds" : "does not hold here";

	if (o->json)
		printf("{\"verdict\":\"%s\",\"claim\":\"%s\",\"evidence\":"
		       "\"%s\"}\n",
		       v, claim, evidence);
	else
		printf("verdict: %s: %s (%s)\n", claim, v, evidence);
}

static int pcb_fd = -1;

void tb_pcb_close(void)
{
	if (pcb_fd >= 0)
		close(pcb_fd);
	pcb_fd = -1;
}

int tb_pcb(pid_t pid, bool thread, struct pcbstat_task *t)
{
	struct pcbstat_get g = {
		.size = sizeof(g),
		.flags = thread ? PCBSTAT_GET_THREAD : 0,
		.pid = pid,
		.entry_size = sizeof(*t),
		.out = (uintptr_t)t,
	};

	/* reopened if the module was reloaded under us */
	if (pcb_fd < 0 || ioctl(pcb_fd, PCBSTAT_IOC_GET, &g)) {
		tb_pcb_close();
		pcb_fd = open(PCBSTAT_DEVICE, O_RDONLY | O_CLOEXEC);
		if (pcb_fd < 0 || ioctl(pcb_fd, PCBSTAT_IOC_GET, &g))
			return -1;
	}
	return 0;
}

int tb_status_threads(pid_t pid)
{
	char path[64], line[256];
	int n = -1;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/status", pid);
	f = fopen(path, "r");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "Threads: %d", &n) == 1)
			break;
	fclose(f);
	return n;
}

int tb_pin(int cpu)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN), i;
	cpu_set_t set;

	CPU_ZERO(&set);
	if (cpu >= 0)
		CPU_SET(cpu, &set);
	for (i = 0; cpu < 0 && i < n && i < CPU_SETSIZE; i++)
		CPU_SET(i, &set);
	return sched_setaffinity(0, sizeof(set), &set);
}

FILE *tb_dat(const struct tb_opts *o, const char *name)
{
	char path[4096];

	if (!o->out_dir)
		return NULL;
	snprintf(path, sizeof(path), "%s/%s", o->out_dir, name);
	return fopen(path, "w");
}
