/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The parts of pcbstat.ko, as main.c brings them up: each has an init that
 * undoes itself on failure and an exit that undoes a successful init;
 * main.c calls them in order and unwinds in reverse. (The ABI is
 * uapi/pcbstat.h; this header is only the module's own wiring.)
 */
#ifndef PCBSTAT_PARTS_H
#define PCBSTAT_PARTS_H

#include "compat.h"

int pcbstat_proc_init(void);
void pcbstat_proc_exit(void);

int pcbstat_stats_init(void);
void pcbstat_stats_exit(void);

int pcbmq_init(void);
void pcbmq_exit(void);
int pcbmq_proc_init(void);
void pcbmq_proc_exit(void);

#endif /* PCBSTAT_PARTS_H */
