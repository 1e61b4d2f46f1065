/* SPDX-License-Identifier: GPL-2.0 */
/*
 * pcbbench suites. Each suite measures pcbkit against its anchor (the
 * kernel's own mechanism) in the same boot and reports ratios; it lives in
 * its own bench_<suite>.c and is listed once in main.c.
 */
#ifndef PCBBENCH_H
#define PCBBENCH_H

#include <stdbool.h>

struct bench_suite {
	const char *name;
	const char *summary;
	int (*run)(int argc, char **argv);
};

extern const struct bench_suite bench_suites[];

/* pcbstat.ko on or off; 0 on success. */
int module_is_loaded(void);
int module_set(int loaded);
/* The .ko module_set() loads: $PCBKIT_MODULE or the build's. */
const char *module_path(void);
/* Exactly this build of pcbstat.ko loaded, or none if ko is NULL. */
int module_use(const char *ko);

int bench_mq_run(int argc, char **argv);
int bench_stat_run(int argc, char **argv);
int bench_sched_run(int argc, char **argv);
int bench_textbook_run(int argc, char **argv);
int bench_top_run(int argc, char **argv);

#endif /* PCBBENCH_H */
