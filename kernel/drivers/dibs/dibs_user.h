/* SPDX-License-Identifier: GPL-2.0 */
/*
 * dibs_user: differences between the kernels dibs_user.c builds for, kept
 * in one place as dibs_priv.h does for dibs.ko.
 */
#ifndef _DIBS_USER_H
#define _DIBS_USER_H

#include <linux/mm.h>
#include <linux/version.h>

/* since 6.3 vm_flags may only be changed through these helpers */
#if KERNEL_VERSION(6, 3, 0) <= LINUX_VERSION_CODE
#define dibs_user_vm_flags_mod(vma, set, clear) \
	vm_flags_mod(vma, set, clear)
#else
static inline void dibs_user_vm_flags_mod(struct vm_area_struct *vma,
					  unsigned long set,
					  unsigned long clear)
{
	vma->vm_flags = (vma->vm_flags | set) & ~clear;
}
#endif

#endif /* _DIBS_USER_H */
