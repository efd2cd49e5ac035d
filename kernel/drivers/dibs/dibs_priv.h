/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Internals of dibs.ko shared by the core, the loopback driver and the
 * netlink family.
 */
#ifndef _DIBS_PRIV_H
#define _DIBS_PRIV_H

#include <linux/device.h>
#include <linux/dibs.h>
#include <linux/mutex.h>
#include <linux/printk.h>
#include <linux/version.h>
#include <net/netlink.h>
#include <uapi/linux/dibs.h>

/* Kernel API differences between Debian 12's 6.1 and later kernels */

#if KERNEL_VERSION(6, 4, 0) <= LINUX_VERSION_CODE
#define dibs_class_create(name)	class_create(name)
#else
#define dibs_class_create(name)	class_create(THIS_MODULE, name)
#endif

/* struct class::dev_uevent takes a const device from 6.3 on */
#if KERNEL_VERSION(6, 3, 0) <= LINUX_VERSION_CODE
#define DIBS_UEVENT_DEV_CONST	const
#else
#define DIBS_UEVENT_DEV_CONST
#endif

/*
 * Formatted extack messages exist from 6.2 on.  Before, extack keeps only a
 * pointer that must stay valid until the ack is built, so only a static
 * message can be given: @static_msg says the same without the details.
 * The format is still checked on old kernels.
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

/* Device registry (dibs_main.c) */

/*
 * Serialises device addition and removal, client registration and every
 * walk of the device list, including the netlink handlers.
 */
extern struct mutex dibs_devs_lock;

struct dibs_dev *dibs_dev_find_by_index(u32 index);
struct dibs_dev *dibs_dev_find_by_name(const char *name);
struct dibs_dev *dibs_dev_find_by_gid(const uuid_t *gid);
/* first device with an index above @index, in index order, or NULL */
struct dibs_dev *dibs_dev_next(u32 index);
bool dibs_dev_name_valid(const char *name);
enum dibs_dev_type dibs_dev_type(const struct dibs_dev *dibs);

int dibs_dev_add_locked(struct dibs_dev *dibs);
void dibs_dev_del_locked(struct dibs_dev *dibs);

unsigned int dibs_dev_dmbs_in_use(struct dibs_dev *dibs);
bool dibs_dev_mmapped_rdmb(struct dibs_dev *dibs);
const char *dibs_client_name(u8 id);

/* Netlink family (dibs_nl.c) */

int dibs_nl_init(void);
/* announces the removal of every device, then unregisters the family */
void dibs_nl_exit(void);
/* @cmd: DIBS_CMD_DEV_NEW_NTF or DIBS_CMD_DEV_DEL_NTF; dibs_devs_lock held */
void dibs_nl_dev_notify(struct dibs_dev *dibs, u8 cmd);

#endif /* _DIBS_PRIV_H */
