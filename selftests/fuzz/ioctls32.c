// SPDX-License-Identifier: GPL-2.0
/*
 * The ioctl fuzzer of ioctls.c built as a 32-bit program, so that every
 * call reaches the devices through compat_ioctl: /dev/pcbmq's conversion
 * of 4-byte message types and compat msqid_ds layouts, and /dev/pcbstat's
 * compat_ptr_ioctl. Its pointers are a 32-bit caller's (fuzz.h): past the
 * end of its address space, or a field wider than 32 bits, which the
 * device must refuse rather than truncate to the live address in its low
 * half. Every check of ioctls.c holds here too.
 *
 * SELFTEST_FUZZ_CALLS and SELFTEST_FUZZ_SEED as for ioctls.c.
 * timeout: 300
 */
#include "ioctls.c"
