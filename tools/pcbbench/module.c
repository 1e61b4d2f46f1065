// SPDX-License-Identifier: GPL-2.0
/*
 * Loading and unloading pcbstat.ko for the suites that measure with and
 * without it. $PCBKIT_MODULE names the .ko; the default is the build's.
 */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "bench.h"

static const char *module_path(void)
{
	const char *m = getenv("PCBKIT_MODULE");

	return m ? m : "module/pcbstat.ko";
}

int module_is_loaded(void)
{
	return access("/proc/pcbstat", R_OK) == 0;
}

int module_set(int loaded)
{
	char cmd[4096];

	if (loaded == module_is_loaded())
		return 0;
	if (loaded)
		snprintf(cmd, sizeof(cmd), "insmod %s", module_path());
	else
		snprintf(cmd, sizeof(cmd), "rmmod pcbstat");
	return system(cmd) ? -1 : 0;
}
