/* SPDX-License-Identifier: GPL-2.0 */
/* User names for uids, remembered: getpwuid() reads passwd every call. */
#ifndef PCBKIT_USERNAME_H
#define PCBKIT_USERNAME_H

#include <stdint.h>

/* The name of @uid, or the number if it has none; valid until exit. */
const char *user_name(uint32_t uid);

#endif /* PCBKIT_USERNAME_H */
