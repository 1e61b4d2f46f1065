/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Every difference between the kernels pcbstat.ko builds against (6.12 to
 * 7.x) is absorbed here, so the rest of the module is written against one
 * API. Add a wrapper here rather than an #if in the logic.
 */
#ifndef PCBSTAT_COMPAT_H
#define PCBSTAT_COMPAT_H

#include <linux/version.h>
#include <linux/slab.h>

/* 7.x allocates by type; older kernels only by size. */
#ifndef kmalloc_obj
#define kmalloc_obj(var, gfp) kmalloc(sizeof(var), gfp)
#define kzalloc_obj(var, gfp) kzalloc(sizeof(var), gfp)
#endif

#endif /* PCBSTAT_COMPAT_H */
