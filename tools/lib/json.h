/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The JSON every pcbkit tool prints with --json: objects and arrays with
 * their commas placed automatically, and strings that are always valid
 * JSON whatever bytes they hold (a comm is any 15 bytes but NUL).
 *
 *	struct json j;
 *
 *	json_init(&j, stdout, 0);
 *	json_begin_object(&j);
 *	json_kv_int(&j, "pid", 1);
 *	json_kv_string(&j, "comm", "init");
 *	json_end_object(&j);
 *	json_finish(&j);	// {"pid":1,"comm":"init"} and a newline
 *
 * Numbers that are not finite print as null. Output is compact; with
 * JSON_ROWS each element of the outermost array starts a line of its own.
 */
#ifndef PCBKIT_JSON_H
#define PCBKIT_JSON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#define JSON_MAX_DEPTH 16
#define JSON_ROWS      0x1

struct json {
	FILE *out;
	unsigned int flags;
	int depth;
	bool has_member[JSON_MAX_DEPTH]; /* a comma before the next one */
	bool after_key;			 /* the next value follows "key": */
};

void json_init(struct json *j, FILE *out, unsigned int flags);
/* Ends the document with a newline and flushes it; @j may start another. */
void json_finish(struct json *j);

void json_begin_object(struct json *j);
void json_end_object(struct json *j);
void json_begin_array(struct json *j);
void json_end_array(struct json *j);
/* The key of the next value in an object. */
void json_key(struct json *j, const char *key);

void json_string(struct json *j, const char *s);
/* @len bytes, NULs included: a message text is not a C string. */
void json_string_n(struct json *j, const char *s, size_t len);
void json_int(struct json *j, long long v);
void json_uint(struct json *j, unsigned long long v);
/* @decimals after the point, as printf's %.*f. */
void json_double(struct json *j, double v, int decimals);
void json_bool(struct json *j, bool v);
void json_null(struct json *j);

/* A key and its value in one call. */
void json_kv_string(struct json *j, const char *key, const char *s);
void json_kv_int(struct json *j, const char *key, long long v);
void json_kv_uint(struct json *j, const char *key, unsigned long long v);
void json_kv_double(struct json *j, const char *key, double v, int decimals);
void json_kv_bool(struct json *j, const char *key, bool v);
void json_kv_null(struct json *j, const char *key);

/*
 * @len bytes of @s as a JSON string literal, quotes included: valid UTF-8
 * passes through, every other byte is escaped as \u00XX (the byte's value
 * as a code point), as are control characters, '"' and '\'.
 */
void json_put_string_n(FILE *out, const char *s, size_t len);

#endif /* PCBKIT_JSON_H */
