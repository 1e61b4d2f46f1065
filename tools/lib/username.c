// SPDX-License-Identifier: GPL-2.0
#include <pwd.h>
#include <stdbool.h>
#include <stdio.h>

#include "username.h"

#define USER_CACHE 256
#define USER_LEN   33

const char *user_name(uint32_t uid)
{
	static struct {
		uint32_t uid;
		bool used;
		char name[USER_LEN];
	} cache[USER_CACHE];
	unsigned int slot = uid % USER_CACHE;
	struct passwd *pw;

	if (cache[slot].used && cache[slot].uid == uid)
		return cache[slot].name;
	pw = getpwuid(uid);
	cache[slot].uid = uid;
	cache[slot].used = true;
	if (pw)
		snprintf(cache[slot].name, USER_LEN, "%s", pw->pw_name);
	else
		snprintf(cache[slot].name, USER_LEN, "%u", uid);
	return cache[slot].name;
}
