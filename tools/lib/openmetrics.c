// SPDX-License-Identifier: GPL-2.0
#include <math.h>
#include <stdarg.h>

#include "openmetrics.h"

void om_family(FILE *out, const char *name, const char *type, const char *help)
{
	fprintf(out, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, type);
}

void om_label_value(FILE *out, const char *s)
{
	fputc('"', out);
	for (; *s; s++) {
		if (*s == '\\' || *s == '"')
			fputc('\\', out);
		if (*s == '\n')
			fputs("\\n", out);
		else
			fputc(*s, out);
	}
	fputc('"', out);
}

void om_value(FILE *out, double v)
{
	if (isnan(v))
		fputs("NaN", out);
	else if (isinf(v))
		fputs(v > 0 ? "+Inf" : "-Inf", out);
	else if (v == (double)(long long)v && fabs(v) < 9e15)
		fprintf(out, "%lld", (long long)v);
	else
		fprintf(out, "%.9g", v);
}

void om_sample(FILE *out, const char *name, double value, ...)
{
	const char *label;
	va_list ap;
	int n = 0;

	fputs(name, out);
	va_start(ap, value);
	while ((label = va_arg(ap, const char *))) {
		fprintf(out, "%s%s=", n++ ? "," : "{", label);
		om_label_value(out, va_arg(ap, const char *));
	}
	va_end(ap);
	fputs(n ? "} " : " ", out);
	om_value(out, value);
	fputc('\n', out);
}

void om_eof(FILE *out)
{
	fputs("# EOF\n", out);
}
