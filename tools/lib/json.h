/* SPDX-License-Identifier: GPL-2.0 */
/* Minimal JSON output shared by the pcbkit tools: strings need escaping. */
#ifndef PCBKIT_JSON_H
#define PCBKIT_JSON_H

#include <stdio.h>

/* Prints s as a JSON string literal, quotes included. */
void json_put_string(FILE *out, const char *s);

#endif /* PCBKIT_JSON_H */
