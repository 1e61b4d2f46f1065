// SPDX-License-Identifier: GPL-2.0
#include <math.h>
#include <string.h>

#include "json.h"

/*
 * The length of the well-formed UTF-8 sequence at @s (at most @len bytes),
 * or 0 if it is not one: overlong forms, surrogates and code points above
 * U+10FFFF are not (RFC 3629).
 */
static size_t utf8_sequence(const unsigned char *s, size_t len)
{
	unsigned char lo = 0x80, hi = 0xbf;
	size_t n, i;

	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		n = 2;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		n = 3;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		n = 4;
	else
		return 0;
	if (n > len)
		return 0;
	/* The second byte's range excludes the forms named above. */
	if (s[0] == 0xe0)
		lo = 0xa0;
	else if (s[0] == 0xed)
		hi = 0x9f;
	else if (s[0] == 0xf0)
		lo = 0x90;
	else if (s[0] == 0xf4)
		hi = 0x8f;
	if (s[1] < lo || s[1] > hi)
		return 0;
	for (i = 2; i < n; i++)
		if (s[i] < 0x80 || s[i] > 0xbf)
			return 0;
	return n;
}

void json_put_string_n(FILE *out, const char *str, size_t len)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t i = 0, n;

	fputc('"', out);
	while (i < len) {
		unsigned char c = s[i];

		if (c == '"' || c == '\\') {
			fputc('\\', out);
			fputc(c, out);
			i++;
		} else if (c == '\n') {
			fputs("\\n", out);
			i++;
		} else if (c == '\t') {
			fputs("\\t", out);
			i++;
		} else if (c < 0x20 || c == 0x7f) {
			fprintf(out, "\\u%04x", c);
			i++;
		} else if ((n = utf8_sequence(s + i, len - i))) {
			fwrite(s + i, 1, n, out);
			i += n;
		} else {
			fprintf(out, "\\u%04x", c);
			i++;
		}
	}
	fputc('"', out);
}

void json_init(struct json *j, FILE *out, unsigned int flags)
{
	memset(j, 0, sizeof(*j));
	j->out = out;
	j->flags = flags;
}

void json_finish(struct json *j)
{
	fputc('\n', j->out);
	fflush(j->out);
	json_init(j, j->out, j->flags);
}

/* Before any value or key: the comma, and a row's line break. */
static void json_separate(struct json *j)
{
	if (j->after_key) {
		j->after_key = false;
		return;
	}
	if (j->has_member[j->depth])
		fputc(',', j->out);
	if ((j->flags & JSON_ROWS) && j->depth == 1)
		fputs("\n  ", j->out);
	j->has_member[j->depth] = true;
}

static void json_open(struct json *j, char c)
{
	json_separate(j);
	fputc(c, j->out);
	if (j->depth < JSON_MAX_DEPTH - 1)
		j->depth++;
	j->has_member[j->depth] = false;
}

static void json_close(struct json *j, char c)
{
	bool rows = (j->flags & JSON_ROWS) && j->depth == 1 && j->has_member[1];

	if (j->depth > 0)
		j->depth--;
	if (rows)
		fputc('\n', j->out);
	fputc(c, j->out);
}

void json_begin_object(struct json *j)
{
	json_open(j, '{');
}

void json_end_object(struct json *j)
{
	json_close(j, '}');
}

void json_begin_array(struct json *j)
{
	json_open(j, '[');
}

void json_end_array(struct json *j)
{
	json_close(j, ']');
}

void json_key(struct json *j, const char *key)
{
	json_separate(j);
	json_put_string_n(j->out, key, strlen(key));
	fputc(':', j->out);
	j->after_key = true;
}

void json_string_n(struct json *j, const char *s, size_t len)
{
	json_separate(j);
	json_put_string_n(j->out, s, len);
}

void json_string(struct json *j, const char *s)
{
	json_string_n(j, s, strlen(s));
}

void json_int(struct json *j, long long v)
{
	json_separate(j);
	fprintf(j->out, "%lld", v);
}

void json_uint(struct json *j, unsigned long long v)
{
	json_separate(j);
	fprintf(j->out, "%llu", v);
}

void json_double(struct json *j, double v, int decimals)
{
	json_separate(j);
	if (isfinite(v))
		fprintf(j->out, "%.*f", decimals, v);
	else
		fputs("null", j->out);
}

void json_bool(struct json *j, bool v)
{
	json_separate(j);
	fputs(v ? "true" : "false", j->out);
}

void json_null(struct json *j)
{
	json_separate(j);
	fputs("null", j->out);
}

void json_kv_string(struct json *j, const char *key, const char *s)
{
	json_key(j, key);
	json_string(j, s);
}

void json_kv_int(struct json *j, const char *key, long long v)
{
	json_key(j, key);
	json_int(j, v);
}

void json_kv_uint(struct json *j, const char *key, unsigned long long v)
{
	json_key(j, key);
	json_uint(j, v);
}

void json_kv_double(struct json *j, const char *key, double v, int decimals)
{
	json_key(j, key);
	json_double(j, v, decimals);
}

void json_kv_bool(struct json *j, const char *key, bool v)
{
	json_key(j, key);
	json_bool(j, v);
}

void json_kv_null(struct json *j, const char *key)
{
	json_key(j, key);
	json_null(j);
}
