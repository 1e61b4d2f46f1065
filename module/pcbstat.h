/* SPDX-License-Identifier: GPL-2.0 */
/*
 * pcbstat.ko internals shared between its parts. Each part has an init that
 * undoes itself on failure and an exit that undoes a successful init;
 * main.c calls them in order and unwinds in reverse.
 */
#ifndef PCBSTAT_H
#define PCBSTAT_H

#include "compat.h"

int pcbstat_proc_init(void);
void pcbstat_proc_exit(void);

int pcbstat_stats_init(void);
void pcbstat_stats_exit(void);

int pcbmq_init(void);
void pcbmq_exit(void);
int pcbmq_proc_init(void);
void pcbmq_proc_exit(void);

#endif /* PCBSTAT_H */
