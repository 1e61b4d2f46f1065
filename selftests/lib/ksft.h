/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What every C selftest shares, in kselftest's conventions: exit 0 pass,
 * 1 fail, 4 skip; die() and skip() end the test after a registered
 * cleanup (and unload pcbstat.ko if the test loaded it, so that a failure
 * is reported as itself, not as a module left loaded); and
 * per-case TAP results for a test of several scenarios, which
 * selftests/run shows nested under the test's own line.
 *
 *	ksft_case_begin();
 *	KSFT_CHECK(x == 1, "x is %d", x);
 *	ksft_case_end("scenario");	// "ok 1 scenario" or "not ok 1 ..."
 *	...
 *	return ksft_exit();		// "1..N", then 0 or 1
 */
#ifndef PCBKIT_KSFT_H
#define PCBKIT_KSFT_H

#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#define KSFT_PASS 0
#define KSFT_FAIL 1
#define KSFT_SKIP 4

/* Run by die() and skip() before they exit: kill helpers, detach... */
static void (*ksft_cleanup)(void);
/* The process that loaded pcbstat.ko, so unloads it when it dies; or 0. */
static pid_t ksft_module_loader;

static inline void ksft_run_cleanup(void)
{
	void (*cleanup)(void) = ksft_cleanup;

	/* A cleanup that dies must not run itself again. */
	ksft_cleanup = NULL;
	if (cleanup)
		cleanup();
	/* Not from a child: the parent may still be using the module. */
	if (ksft_module_loader == getpid()) {
		ksft_module_loader = 0;
		if (system("rmmod pcbstat"))
			printf("rmmod pcbstat failed after the failure\n");
	}
}

static inline void __attribute__((noreturn, format(printf, 1, 2)))
die(const char *fmt, ...)
{
	va_list ap;

	printf("FAIL: ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	fflush(stdout);
	ksft_run_cleanup();
	exit(KSFT_FAIL);
}

/* The reason is the last line of output: selftests/run shows it. */
static inline void __attribute__((noreturn, format(printf, 1, 2)))
skip(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	fflush(stdout);
	ksft_run_cleanup();
	exit(KSFT_SKIP);
}

/* A test's scale from the environment, @def if unset; junk fails it. */
static inline long ksft_env_long(const char *name, long def, long min, long max)
{
	const char *v = getenv(name);
	char *end;
	long n;

	if (!v || !*v)
		return def;
	errno = 0;
	n = strtol(v, &end, 0);
	if (*end || errno || n < min || n > max)
		die("%s='%s' is not a number in %ld..%ld", name, v, min, max);
	return n;
}

/*
 * A bound inside a test, stretched as the runner stretches timeouts
 * (SELFTEST_TIMEOUT_SCALE): a debug kernel is several times slower.
 */
static inline long ksft_scaled(long seconds)
{
	return seconds * ksft_env_long("SELFTEST_TIMEOUT_SCALE", 1, 1, 100);
}

static inline bool module_is_loaded(void)
{
	return access("/sys/module/pcbstat", F_OK) == 0;
}

/*
 * Loads $PCBKIT_MODULE unless pcbstat.ko is loaded; true if this test
 * loaded it. Not root: the test is skipped.
 */
static inline bool module_load(void)
{
	const char *ko = getenv("PCBKIT_MODULE");
	char cmd[4200];

	if (geteuid())
		skip("needs root");
	if (module_is_loaded())
		return false;
	if (!ko)
		die("PCBKIT_MODULE not set (run under selftests/run)");
	snprintf(cmd, sizeof(cmd), "insmod '%s'", ko);
	if (system(cmd))
		die("%s failed", cmd);
	ksft_module_loader = getpid();
	return true;
}

/* Unloads pcbstat.ko if module_load() loaded it. */
static inline void module_unload(void)
{
	if (ksft_module_loader != getpid())
		return;
	ksft_module_loader = 0;
	if (system("rmmod pcbstat"))
		die("rmmod pcbstat failed");
}

/* A numeric parameter of pcbstat.ko, -1 if unreadable. */
static inline long module_param_long(const char *name)
{
	char path[256];
	FILE *f;
	long v = -1;

	snprintf(path, sizeof(path), "/sys/module/pcbstat/parameters/%s", name);
	f = fopen(path, "r");
	if (f) {
		if (fscanf(f, "%ld", &v) != 1)
			v = -1;
		fclose(f);
	}
	return v;
}

/* Per-case results: cases run, cases failed, failures in this case. */
static int ksft_cases, ksft_cases_failed, ksft_case_failures;

static inline void ksft_case_begin(void)
{
	ksft_case_failures = 0;
}

/* A failed check: the case goes on, and ends "not ok". */
#define KSFT_CHECK(cond, ...)                           \
	do {                                            \
		if (!(cond)) {                          \
			printf("# FAIL: " __VA_ARGS__); \
			printf("\n");                   \
			ksft_case_failures++;           \
		}                                       \
	} while (0)

static inline void ksft_case_end(const char *name)
{
	ksft_cases++;
	if (ksft_case_failures)
		ksft_cases_failed++;
	printf("%sok %d %s\n", ksft_case_failures ? "not " : "", ksft_cases,
	       name);
	fflush(stdout);
}

/* One call per case: KSFT_CASE("timeouts", timeouts(&b)). */
#define KSFT_CASE(name, call)        \
	do {                         \
		ksft_case_begin();   \
		call;                \
		ksft_case_end(name); \
	} while (0)

/* The plan, after the cases, and the test's exit status. */
static inline int ksft_exit(void)
{
	printf("1..%d\n# %d of %d cases failed\n", ksft_cases,
	       ksft_cases_failed, ksft_cases);
	return ksft_cases_failed ? KSFT_FAIL : KSFT_PASS;
}

#endif /* PCBKIT_KSFT_H */
