/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Command lines of the pcbkit tools: one table of options per command,
 * parsed by getopt_long, with every number checked. A value that is not
 * wholly a number in its range is an error naming the option, and bad
 * usage exits with CLI_EXIT_USAGE, the same in every tool.
 */
#ifndef PCBKIT_CLI_H
#define PCBKIT_CLI_H

#include <stdbool.h>
#include <stdio.h>

#define CLI_EXIT_USAGE 2

enum cli_kind {
	CLI_K_FLAG,   /* bool *: set to true */
	CLI_K_INT,    /* int *, in [min, max], in base @base */
	CLI_K_LONG,   /* long *, in [min, max], in base @base */
	CLI_K_DOUBLE, /* double *, finite, in [dmin, dmax] */
	CLI_K_STRING, /* const char **: the argument itself */
	CLI_K_CALL,   /* call(ctx, arg); arg is NULL if the option has none */
	CLI_K_HELP,   /* help(stdout) prints the usage */
};

struct cli_opt {
	const char *name; /* the long option, without "--" */
	int letter;	  /* the short option, or 0 */
	enum cli_kind kind;
	void *dest;
	long long min, max;
	int base; /* as strtoll's: 10, or 0 for 0x.. and 0.. too */
	double dmin, dmax;
	/* CLI_K_CALL: 0, or -1 after printing why the value is bad */
	int (*call)(void *ctx, const char *arg);
	bool takes_arg; /* CLI_K_CALL only */
	void (*help)(FILE *out);
};

#define CLI_FLAG(n, l, p) \
	{ .name = n, .letter = l, .kind = CLI_K_FLAG, .dest = p }
#define CLI_INT(n, l, p, lo, hi) \
	{ .name = n,             \
	  .letter = l,           \
	  .kind = CLI_K_INT,     \
	  .dest = p,             \
	  .min = lo,             \
	  .max = hi,             \
	  .base = 10 }
/* base 0: 0x.. and 0.. as strtol takes them, e.g. for keys */
#define CLI_LONG_BASE(n, l, p, lo, hi, b) \
	{ .name = n,                      \
	  .letter = l,                    \
	  .kind = CLI_K_LONG,             \
	  .dest = p,                      \
	  .min = lo,                      \
	  .max = hi,                      \
	  .base = b }
#define CLI_DOUBLE(n, l, p, lo, hi) \
	{ .name = n,                \
	  .letter = l,              \
	  .kind = CLI_K_DOUBLE,     \
	  .dest = p,                \
	  .dmin = lo,               \
	  .dmax = hi }
#define CLI_STRING(n, l, p) \
	{ .name = n, .letter = l, .kind = CLI_K_STRING, .dest = p }
#define CLI_CALL(n, l, fn, ctx) \
	{ .name = n,            \
	  .letter = l,          \
	  .kind = CLI_K_CALL,   \
	  .dest = ctx,          \
	  .call = fn,           \
	  .takes_arg = true }
#define CLI_HELP(fn) \
	{ .name = "help", .letter = 'h', .kind = CLI_K_HELP, .help = fn }
#define CLI_END { .name = NULL }

/* cli_parse()'s answers besides the index of the first operand. */
#define CLI_HELP_SHOWN (-1)
#define CLI_BAD	       (-2)

/*
 * Parses argv[1..] by @opts, in the name @prog for messages ("pcbbench
 * sched"). Returns the index in argv of the first operand (argc if none;
 * options and operands may mix unless @in_order, which stops at the first
 * operand as a subcommand's options must), CLI_HELP_SHOWN after --help, or
 * CLI_BAD after printing why to stderr.
 */
int cli_parse(const char *prog, const struct cli_opt *opts, int argc,
	      char **argv, bool in_order);

/* The exit status for cli_parse()'s negative answers: 0 or usage. */
static inline int cli_exit_status(int parsed)
{
	return parsed == CLI_HELP_SHOWN ? 0 : CLI_EXIT_USAGE;
}

/*
 * The number checks alone, for operands and hand-made parsers: 0, or -1
 * after printing "PROG: WHAT: 'S' is not ..." to stderr. @base as
 * strtoll's (0 takes 0x.. and 0..); leading blanks, trailing characters,
 * an empty string and overflow are all errors.
 */
int cli_number(const char *prog, const char *what, const char *s, int base,
	       long long min, long long max, long long *out);
int cli_double(const char *prog, const char *what, const char *s, double min,
	       double max, double *out);

#endif /* PCBKIT_CLI_H */
