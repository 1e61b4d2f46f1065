/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Writing the Prometheus text exposition format, in the subset that is
 * also OpenMetrics: what node_exporter's textfile collector reads and
 * 'promtool check metrics' accepts. Counters are declared under their
 * _total name, as node_exporter's own are; the output ends with "# EOF".
 */
#ifndef PCBKIT_OPENMETRICS_H
#define PCBKIT_OPENMETRICS_H

#include <stdio.h>

/* "# HELP" and "# TYPE" of one family; type is counter, gauge, ... */
void om_family(FILE *out, const char *name, const char *type, const char *help);

/*
 * One sample: name, then label name/value pairs ending with NULL, then
 * nothing else; the value is printed with om_value(). Label values are
 * escaped (backslash, double quote, newline).
 */
void om_sample(FILE *out, const char *name, double value, ...);

/* A value as the format spells it: integers exactly, NaN, +Inf. */
void om_value(FILE *out, double v);

void om_label_value(FILE *out, const char *s);

void om_eof(FILE *out);

#endif /* PCBKIT_OPENMETRICS_H */
