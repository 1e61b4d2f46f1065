// SPDX-License-Identifier: GPL-2.0
/* 'pcbsched status': what sched_ext reports about the loaded policy. */
#include <stdio.h>
#include <string.h>

#include "json.h"
#include "pcbsched.h"

#define SCX_SYSFS "/sys/kernel/sched_ext"

static const char *const status_files[] = {
	"state",      "root/ops",    "switch_all", "nr_rejected",
	"enable_seq", "hotplug_seq", NULL,
};

static int read_line(const char *rel, char *buf, size_t size)
{
	char path[256];
	FILE *f;

	snprintf(path, sizeof(path), SCX_SYSFS "/%s", rel);
	f = fopen(path, "r");
	if (!f)
		return -1;
	if (!fgets(buf, size, f))
		buf[0] = '\0';
	fclose(f);
	buf[strcspn(buf, "\n")] = '\0';
	return 0;
}

int pcbsched_status(bool json)
{
	const char *const *f;
	char val[256];
	bool first = true;

	if (read_line("state", val, sizeof(val))) {
		fprintf(stderr,
			"pcbsched: %s missing: this kernel has no sched_ext\n",
			SCX_SYSFS);
		return 1;
	}
	if (json)
		putchar('{');
	for (f = status_files; *f; f++) {
		if (read_line(*f, val, sizeof(val)))
			continue; /* root/ops exists only while enabled */
		if (json) {
			printf("%s", first ? "" : ",");
			json_put_string(stdout, *f);
			putchar(':');
			json_put_string(stdout, val);
		} else {
			printf("%-12s %s\n", *f, val);
		}
		first = false;
	}
	if (json)
		puts("}");
	return 0;
}
