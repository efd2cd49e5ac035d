/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Internal interfaces of libdibsctl, shared between its source files and
 * the host unit tests (which link the library's objects statically).
 */
#ifndef LIBDIBSCTL_PRIVATE_H
#define LIBDIBSCTL_PRIVATE_H

#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>

#include <linux/dibs.h>
#include <linux/netlink.h>

#include "libdibsctl.h"

#define DIBSCTL_EXPORT __attribute__((visibility("default")))

#define DIBSCTL_SYSFS_CLASS_DIR	"/sys/class/dibs"

struct nl_sock;
struct nl_msg;

struct dibsctl {
	int refcount;
	/* Unknown (0) until the first request picks netlink or sysfs. */
	enum dibsctl_source source;
	/* The sysfs source was asked for with DIBSCTL_SYSFS=1. */
	bool sysfs_forced;
	struct nl_sock *sock;
	int family;
	char *sysfs_dir;
	/* Details of the last failed call; NULL when it succeeded. */
	char *errmsg;
	const char *err_attr;
};

/* Bits of struct dibsctl_dev.present, one per DIBS_A_DEV_* attribute. */
#define DIBSCTL_HAS(attr)	(1U << (attr))

struct dibsctl_dev {
	int refcount;
	unsigned int present;
	uint32_t index;
	uint32_t type;
	uint32_t max_dmbs;
	uint32_t dmbs_in_use;
	uint16_t fabric_id;
	bool mmapped_rdmb;
	uint8_t gid[DIBS_GID_LEN];
	char name[DIBS_DEV_NAME_MAX_LEN + 1];
};

struct dibsctl_dev_list {
	int refcount;
	size_t count;
	size_t capacity;
	struct dibsctl_dev **devs;
};

/* libdibsctl-error.c */
void dibsctl_clear_error(struct dibsctl *ctx);
__attribute__((format(printf, 3, 4)))
int dibsctl_fail(struct dibsctl *ctx, int err, const char *fmt, ...);
int dibsctl_errno_from_nl(int nlerr);
void dibsctl_set_extack(struct dibsctl *ctx, const struct nlmsghdr *nlh,
			const struct nlmsghdr *request);

/* libdibsctl-ctx.c */
int dibsctl_pick_source(struct dibsctl *ctx);
void dibsctl_set_sysfs_dir(struct dibsctl *ctx, const char *dir);
void dibsctl_close_socket(struct dibsctl *ctx);

/* libdibsctl-nl.c */
int dibsctl_nl_open(struct dibsctl *ctx);
int dibsctl_nl_request(struct dibsctl *ctx, uint8_t cmd, int flags,
		       struct nl_msg **msg);
int dibsctl_nl_transact(struct dibsctl *ctx, struct nl_msg *msg,
			struct dibsctl_dev_list *replies);
int dibsctl_dev_new_from_nlmsg(struct nlmsghdr *nlh, struct dibsctl_dev **dev);

/* libdibsctl-sysfs.c */
int dibsctl_sysfs_list(struct dibsctl *ctx, struct dibsctl_dev_list *list);
int dibsctl_sysfs_get(struct dibsctl *ctx, const char *name,
		      struct dibsctl_dev **dev);

/* libdibsctl-dev.c */
struct dibsctl_dev *dibsctl_dev_alloc(void);
struct dibsctl_dev_list *dibsctl_dev_list_alloc(void);
int dibsctl_dev_list_append(struct dibsctl_dev_list *list,
			    struct dibsctl_dev *dev);
bool dibsctl_dev_name_fits(const char *name);

#endif /* LIBDIBSCTL_PRIVATE_H */
