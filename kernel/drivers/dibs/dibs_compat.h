/* SPDX-License-Identifier: GPL-2.0 */
/*
 * dibs_compat.h - the kernel API differences between the kernels the
 * out-of-tree dibs modules build for (6.1 up to the last kernel without its
 * own CONFIG_DIBS), in one place.  Each shim names the kernel change that
 * made it necessary; nothing else in kernel/ tests LINUX_VERSION_CODE.
 */
#ifndef _DIBS_COMPAT_H
#define _DIBS_COMPAT_H

#include <linux/device.h>
#include <linux/mm.h>
#include <linux/version.h>
#include <net/genetlink.h>
#include <net/netlink.h>

/*
 * v6.4, "driver core: class: remove module * from class_create()":
 * class_create() lost its owner argument.
 */
#if KERNEL_VERSION(6, 4, 0) <= LINUX_VERSION_CODE
#define dibs_class_create(name)	class_create(name)
#else
#define dibs_class_create(name)	class_create(THIS_MODULE, name)
#endif

/*
 * v6.3, "driver core: make struct class.dev_uevent() take a const *":
 * struct class::dev_uevent takes a const device.
 */
#if KERNEL_VERSION(6, 3, 0) <= LINUX_VERSION_CODE
#define DIBS_UEVENT_DEV_CONST	const
#else
#define DIBS_UEVENT_DEV_CONST
#endif

/*
 * v6.7, "genetlink: add CAP_NET_ADMIN test for multicast bind" and
 * "genetlink: use internal flags for multicast groups", also in the stable
 * 6.1 kernels since: genl_bind() refuses to let a socket without
 * CAP_NET_ADMIN join a group flagged GENL_MCAST_CAP_NET_ADMIN.  Before,
 * anyone could join any group; there DIBS_NL_MCGRP_CAPS is false and dibs
 * sends nothing to a group that should need the capability.
 */
#ifdef GENL_MCAST_CAP_NET_ADMIN
#define DIBS_NL_MCGRP_CAPS		true
#else
#define GENL_MCAST_CAP_NET_ADMIN	0
#define DIBS_NL_MCGRP_CAPS		false
#endif

/*
 * v6.2, "netlink: add support for formatted extack messages"
 * (NL_SET_ERR_MSG_FMT_MOD).  Before it, extack keeps only a pointer that
 * must stay valid until the ack is built, so only a static message can be
 * given: @static_msg says the same without the details.  The format is
 * still checked on old kernels.
 */
#if KERNEL_VERSION(6, 2, 0) <= LINUX_VERSION_CODE
#define DIBS_NL_MSG_FMT(extack, static_msg, fmt, ...)			\
	NL_SET_ERR_MSG_FMT_MOD(extack, fmt, ##__VA_ARGS__)
#else
#define DIBS_NL_MSG_FMT(extack, static_msg, fmt, ...)			\
	do {								\
		NL_SET_ERR_MSG_MOD(extack, static_msg);			\
		if (0)							\
			no_printk(fmt, ##__VA_ARGS__);			\
	} while (0)
#endif

/*
 * v6.2, "genetlink: use struct genl_info for dump requests too":
 * struct genl_dumpit_info carries the request attributes in a genl_info.
 */
#if KERNEL_VERSION(6, 2, 0) <= LINUX_VERSION_CODE
#define dibs_nl_dump_attrs(cb)	(genl_dumpit_info(cb)->info.attrs)
#else
#define dibs_nl_dump_attrs(cb)	(genl_dumpit_info(cb)->attrs)
#endif

/*
 * v6.3, "mm: introduce vma->vm_flags wrapper functions": vm_flags may only
 * be changed through vm_flags_mod() and friends.
 */
#if KERNEL_VERSION(6, 3, 0) <= LINUX_VERSION_CODE
#define dibs_vm_flags_mod(vma, set, clear)	vm_flags_mod(vma, set, clear)
#else
static inline void dibs_vm_flags_mod(struct vm_area_struct *vma,
				     unsigned long set, unsigned long clear)
{
	vma->vm_flags = (vma->vm_flags | set) & ~clear;
}
#endif

#endif /* _DIBS_COMPAT_H */
