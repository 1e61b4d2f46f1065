/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Extensible ioctl arguments, the one rule of /dev/pcbstat and /dev/pcbmq:
 * every argument struct begins with its own __u32 size, and a size
 *   below the kernel's struct		EINVAL (no older layout exists yet)
 *   above one page			E2BIG, as openat2(2) and clone3(2)
 *   above the kernel's struct		accepted if the unknown tail is zero,
 *					else E2BIG (copy_struct_from_user())
 */
#ifndef PCBSTAT_EXT_ARG_H
#define PCBSTAT_EXT_ARG_H

#include <linux/uaccess.h>

/*
 * Copy the argument at @uarg into @karg, a struct of @ksize bytes led by
 * its size. Inlined so the common copy has a constant size, which spares
 * it the hardened-usercopy object check: one copy_from_user() when the
 * caller was built against the same header.
 */
static __always_inline int copy_ext_arg(void *karg, size_t ksize,
					void __user *uarg)
{
	u32 usize;

	if (copy_from_user(karg, uarg, ksize)) {
		/* A short struct at the end of a mapping: its size decides. */
		if (get_user(usize, (u32 __user *)uarg))
			return -EFAULT;
		return usize < ksize ? -EINVAL : -EFAULT;
	}
	usize = *(u32 *)karg;
	if (usize == ksize)
		return 0;
	if (usize < ksize)
		return -EINVAL;
	if (usize > PAGE_SIZE)
		return -E2BIG;
	return copy_struct_from_user(karg, ksize, uarg, usize);
}

#endif /* PCBSTAT_EXT_ARG_H */
