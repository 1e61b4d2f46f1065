// SPDX-License-Identifier: GPL-2.0
/*
 * Loading and unloading pcbstat.ko for the suites that measure with and
 * without it. $PCBKIT_MODULE names the .ko; the default is the build's.
 * pcbbench stat may also load other builds of it (all named pcbstat), so
 * this remembers which file it loaded last.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "bench.h"

/* The file pcbbench loaded, or NULL if it loaded none (or unloaded it). */
static const char *loaded_ko;

const char *module_path(void)
{
	const char *m = getenv("PCBKIT_MODULE");

	return m ? m : "module/pcbstat.ko";
}

int module_is_loaded(void)
{
	return access("/proc/pcbstat", R_OK) == 0;
}

static int module_cmd(const char *verb, const char *arg)
{
	char cmd[4096];

	snprintf(cmd, sizeof(cmd), "%s %s", verb, arg);
	return system(cmd) ? -1 : 0;
}

/* The module's reference count, or -1 if it cannot be read. */
static long module_refcnt(void)
{
	FILE *f = fopen("/sys/module/pcbstat/refcnt", "r");
	long n = -1;

	if (!f)
		return -1;
	if (fscanf(f, "%ld", &n) != 1)
		n = -1;
	fclose(f);
	return n;
}

/*
 * A benchmark's child processes (stress-ng's, a pair's) may still be
 * closing their /dev/pcbmq when their parent's wait returned: give them
 * up to 10 s to let go of the module before rmmod, which refuses a module
 * in use.
 */
static void await_module_unused(void)
{
	struct timespec tick = { 0, 20 * 1000 * 1000 };
	int i;

	for (i = 0; i < 500 && module_refcnt() > 0; i++)
		nanosleep(&tick, NULL);
}

int module_use(const char *ko)
{
	if (module_is_loaded()) {
		/* One loaded before pcbbench ran is of unknown build. */
		if (ko && loaded_ko && !strcmp(ko, loaded_ko))
			return 0;
		await_module_unused();
		if (module_cmd("rmmod", "pcbstat"))
			return -1;
	}
	loaded_ko = NULL;
	if (!ko)
		return 0;
	if (module_cmd("insmod", ko))
		return -1;
	loaded_ko = ko;
	return 0;
}

int module_set(int loaded)
{
	if (loaded == module_is_loaded())
		return 0;
	return module_use(loaded ? module_path() : NULL);
}
