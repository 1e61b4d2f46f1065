// SPDX-License-Identifier: GPL-2.0
#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

/* Long options answer getopt with their table index above any letter. */
#define CLI_INDEX_BASE 256

int cli_number(const char *prog, const char *what, const char *s, int base,
	       long long min, long long max, long long *out)
{
	long long v;
	char *end;

	errno = 0;
	v = strtoll(s, &end, base);
	if (!*s || isspace((unsigned char)*s) || *end || end == s) {
		fprintf(stderr, "%s: %s: '%s' is not %s integer\n", prog, what,
			s, base == 8 ? "an octal" : "an");
		return -1;
	}
	if (errno == ERANGE || v < min || v > max) {
		fprintf(stderr, "%s: %s: %s is out of range %lld..%lld\n", prog,
			what, s, min, max);
		return -1;
	}
	*out = v;
	return 0;
}

int cli_double(const char *prog, const char *what, const char *s, double min,
	       double max, double *out)
{
	double v;
	char *end;

	errno = 0;
	v = strtod(s, &end);
	if (!*s || isspace((unsigned char)*s) || *end || end == s ||
	    !isfinite(v)) {
		fprintf(stderr, "%s: %s: '%s' is not a number\n", prog, what,
			s);
		return -1;
	}
	if (errno == ERANGE || v < min || v > max) {
		fprintf(stderr, "%s: %s: %s is out of range %g..%g\n", prog,
			what, s, min, max);
		return -1;
	}
	*out = v;
	return 0;
}

static bool cli_has_arg(const struct cli_opt *o)
{
	switch (o->kind) {
	case CLI_K_FLAG:
	case CLI_K_HELP:
		return false;
	case CLI_K_CALL:
		return o->takes_arg;
	default:
		return true;
	}
}

/* How messages name @o: its long form when it has one. */
static void cli_opt_name(const struct cli_opt *o, char *buf, size_t size)
{
	if (o->name)
		snprintf(buf, size, "--%s", o->name);
	else
		snprintf(buf, size, "-%c", o->letter);
}

static int cli_take(const char *prog, const struct cli_opt *o, const char *arg)
{
	char what[64];
	long long v;
	double d;

	cli_opt_name(o, what, sizeof(what));
	switch (o->kind) {
	case CLI_K_FLAG:
		*(bool *)o->dest = true;
		return 0;
	case CLI_K_INT:
	case CLI_K_LONG:
		if (cli_number(prog, what, arg, o->base, o->min, o->max, &v))
			return -1;
		if (o->kind == CLI_K_INT)
			*(int *)o->dest = (int)v;
		else
			*(long *)o->dest = (long)v;
		return 0;
	case CLI_K_DOUBLE:
		if (cli_double(prog, what, arg, o->dmin, o->dmax, &d))
			return -1;
		*(double *)o->dest = d;
		return 0;
	case CLI_K_STRING:
		*(const char **)o->dest = arg;
		return 0;
	case CLI_K_CALL:
		return o->call(o->dest, arg);
	case CLI_K_HELP:
		o->help(stdout);
		return 0;
	}
	return -1;
}

static const struct cli_opt *cli_by_letter(const struct cli_opt *opts, int c)
{
	for (; opts->name || opts->letter; opts++)
		if (opts->letter && opts->letter == c)
			return opts;
	return NULL;
}

/* getopt_long's tables for @opts; NULL if out of memory. */
static struct option *cli_tables(const struct cli_opt *opts, bool in_order,
				 char *shorts, size_t size)
{
	size_t n = 0, i, j = 0, k = 0;
	struct option *longs;

	while (opts[n].name || opts[n].letter)
		n++;
	longs = calloc(n + 1, sizeof(*longs));
	if (!longs)
		return NULL;
	if (in_order)
		shorts[k++] = '+';
	shorts[k++] = ':';
	for (i = 0; i < n; i++) {
		bool arg = cli_has_arg(&opts[i]);

		if (opts[i].name)
			longs[j++] = (struct option){ opts[i].name,
						      arg ? required_argument
							  : no_argument,
						      NULL,
						      CLI_INDEX_BASE + (int)i };
		if (opts[i].letter && k + 3 < size) {
			shorts[k++] = (char)opts[i].letter;
			if (arg)
				shorts[k++] = ':';
		}
	}
	shorts[k] = '\0';
	return longs;
}

static void cli_bad_option(const char *prog, const struct cli_opt *opts, int c,
			   char **argv)
{
	const char *given = argv[optind - 1];
	const struct cli_opt *o = NULL;

	if (optopt >= CLI_INDEX_BASE)
		o = &opts[optopt - CLI_INDEX_BASE];
	else if (optopt)
		o = cli_by_letter(opts, optopt);
	if (c == ':')
		fprintf(stderr, "%s: %s needs a value\n", prog, given);
	else if (o)
		fprintf(stderr, "%s: %s takes no value\n", prog, given);
	else if (optopt)
		fprintf(stderr, "%s: unknown option -%c (--help lists them)\n",
			prog, optopt);
	else
		fprintf(stderr, "%s: unknown option %s (--help lists them)\n",
			prog, given);
}

int cli_parse(const char *prog, const struct cli_opt *opts, int argc,
	      char **argv, bool in_order)
{
	const struct cli_opt *o;
	struct option *longs;
	char shorts[128];
	int c, ret = CLI_BAD;

	longs = cli_tables(opts, in_order, shorts, sizeof(shorts));
	if (!longs) {
		fprintf(stderr, "%s: out of memory\n", prog);
		return CLI_BAD;
	}
	opterr = 0;
	optind = 0; /* a full restart: a tool may parse more than once */
	while ((c = getopt_long(argc, argv, shorts, longs, NULL)) != -1) {
		if (c == '?' || c == ':') {
			cli_bad_option(prog, opts, c, argv);
			goto out;
		}
		o = c >= CLI_INDEX_BASE ? &opts[c - CLI_INDEX_BASE]
					: cli_by_letter(opts, c);
		if (!o || cli_take(prog, o, optarg))
			goto out;
		if (o->kind == CLI_K_HELP) {
			ret = CLI_HELP_SHOWN;
			goto out;
		}
	}
	ret = optind;
out:
	free(longs);
	return ret;
}
