/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * libdibsctl - manage dibs (Direct Internal Buffer Sharing) devices
 *
 * The library talks to the "dibs" generic netlink family.  On kernels
 * that only have upstream's dibs layer (no netlink family) it reads
 * /sys/class/dibs instead, read-only.  See libdibsctl(3).
 */
#ifndef LIBDIBSCTL_H
#define LIBDIBSCTL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Bytes of a GID; the text form is a 36-character UUID plus NUL. */
#define DIBSCTL_GID_LEN		16
#define DIBSCTL_GID_STR_LEN	37
/* Longest device name, without the terminating NUL. */
#define DIBSCTL_DEV_NAME_MAX	15

/* Device types, as in enum dibs_dev_type of <linux/dibs.h>. */
#define DIBSCTL_DEV_TYPE_OTHER		0
#define DIBSCTL_DEV_TYPE_LOOPBACK	1

/* Flags for dibsctl_dev_del_by_name() and dibsctl_dev_del_by_index(). */
#define DIBSCTL_DEL_FORCE	(1U << 0)

/* Where a context reads devices from; see dibsctl_get_source(). */
enum dibsctl_source {
	DIBSCTL_SOURCE_NETLINK = 1,
	DIBSCTL_SOURCE_SYSFS = 2,
};

struct dibsctl;
struct dibsctl_dev;
struct dibsctl_dev_list;

/* Context: owns the netlink socket, remembers the last error. */
int dibsctl_new(struct dibsctl **ctx);
struct dibsctl *dibsctl_ref(struct dibsctl *ctx);
struct dibsctl *dibsctl_unref(struct dibsctl *ctx);
int dibsctl_get_source(struct dibsctl *ctx);
const char *dibsctl_get_errmsg(const struct dibsctl *ctx);
const char *dibsctl_get_err_attr(const struct dibsctl *ctx);

/* Looking devices up. */
int dibsctl_dev_list_new(struct dibsctl *ctx, struct dibsctl_dev_list **list);
int dibsctl_dev_new_from_name(struct dibsctl *ctx, const char *name,
			      struct dibsctl_dev **dev);
int dibsctl_dev_new_from_index(struct dibsctl *ctx, uint32_t index,
			       struct dibsctl_dev **dev);

/* Creating and deleting devices (netlink only, needs CAP_NET_ADMIN). */
int dibsctl_dev_add_loopback(struct dibsctl *ctx, const char *name,
			     const uint8_t *gid, struct dibsctl_dev **dev);
int dibsctl_dev_del_by_name(struct dibsctl *ctx, const char *name,
			    unsigned int flags);
int dibsctl_dev_del_by_index(struct dibsctl *ctx, uint32_t index,
			     unsigned int flags);

/* Device lists: iterate with dibsctl_dev_list_foreach(). */
struct dibsctl_dev_list *dibsctl_dev_list_ref(struct dibsctl_dev_list *list);
struct dibsctl_dev_list *dibsctl_dev_list_unref(struct dibsctl_dev_list *list);
size_t dibsctl_dev_list_count(const struct dibsctl_dev_list *list);
struct dibsctl_dev *dibsctl_dev_list_first(const struct dibsctl_dev_list *list);
struct dibsctl_dev *dibsctl_dev_list_next(const struct dibsctl_dev_list *list,
					  const struct dibsctl_dev *dev);

#define dibsctl_dev_list_foreach(dev, list)				\
	for ((dev) = dibsctl_dev_list_first(list); (dev);		\
	     (dev) = dibsctl_dev_list_next((list), (dev)))

/*
 * Devices.  Attribute getters return 0, or -ENODATA when the source did
 * not report the attribute (the sysfs fallback reports only name, gid
 * and fabric id).
 */
struct dibsctl_dev *dibsctl_dev_ref(struct dibsctl_dev *dev);
struct dibsctl_dev *dibsctl_dev_unref(struct dibsctl_dev *dev);
const char *dibsctl_dev_get_name(const struct dibsctl_dev *dev);
int dibsctl_dev_get_index(const struct dibsctl_dev *dev, uint32_t *index);
int dibsctl_dev_get_type(const struct dibsctl_dev *dev, uint32_t *type);
int dibsctl_dev_get_gid(const struct dibsctl_dev *dev,
			uint8_t gid[DIBSCTL_GID_LEN]);
int dibsctl_dev_get_fabric_id(const struct dibsctl_dev *dev,
			      uint16_t *fabric_id);
int dibsctl_dev_get_max_dmbs(const struct dibsctl_dev *dev,
			     uint32_t *max_dmbs);
int dibsctl_dev_get_dmbs_in_use(const struct dibsctl_dev *dev,
				uint32_t *dmbs_in_use);
int dibsctl_dev_get_mmapped_rdmb(const struct dibsctl_dev *dev,
				 bool *mmapped_rdmb);

/* Helpers for the text forms used by dibsctl and sysfs. */
const char *dibsctl_dev_type_name(uint32_t type);
int dibsctl_gid_parse(const char *str, uint8_t gid[DIBSCTL_GID_LEN]);
int dibsctl_gid_format(const uint8_t gid[DIBSCTL_GID_LEN], char *buf,
		       size_t size);

/*
 * The data path (LIBDIBSCTL_2): /dev/dibs of the dibs_user module.  A
 * struct dibsctl_user is one open file bound to one device; it needs no
 * struct dibsctl.  Functions return 0 or -errno (the kernel's errno).
 */
struct dibsctl_user;

/* struct dibsctl_user_info.flags */
#define DIBSCTL_USER_MMAPPED_RDMB	(1U << 0)	/* attach works */
#define DIBSCTL_USER_DEV_GONE		(1U << 1)	/* device deleted */

struct dibsctl_user_info {
	uint32_t index;
	uint32_t flags;			/* DIBSCTL_USER_* */
	char name[DIBSCTL_DEV_NAME_MAX + 1];
	uint8_t gid[DIBSCTL_GID_LEN];
	uint16_t fabric_id;
	uint32_t max_dmbs;		/* of the device */
	uint32_t dmbs;			/* registered and attached by this file */
	uint32_t limit_dmbs;		/* 0: unlimited */
	uint64_t dmb_bytes;
	uint64_t limit_bytes;		/* 0: unlimited */
};

/* struct dibsctl_user_dmb.flags */
#define DIBSCTL_USER_DMB_ATTACHED	(1U << 0)	/* remote, writable */

/* A DMB registered (own, read-only) or attached (remote, writable). */
struct dibsctl_user_dmb {
	uint64_t token;
	uint32_t idx;
	uint32_t len;
	uint64_t mmap_offset;
	uint32_t flags;			/* DIBSCTL_USER_DMB_* */
};

/* No VLAN, for dibsctl_user_dmb_register(). */
#define DIBSCTL_USER_NO_VLAN	(-1)
/* No signal, for dibsctl_user_move(). */
#define DIBSCTL_USER_NO_SIGNAL	(-1)

/* struct dibsctl_user_event.kind */
enum dibsctl_user_event_kind {
	DIBSCTL_USER_EVENT_SIGNAL = 1,	/* token, idx, dmbemask */
	DIBSCTL_USER_EVENT_DEVICE = 2,	/* type, subtype, gid, token, time, data */
	DIBSCTL_USER_EVENT_OVERFLOW = 3,	/* data: device events dropped */
};

/* struct dibsctl_user_event.type of a device event */
#define DIBSCTL_USER_BUF_EVENT	0
#define DIBSCTL_USER_DEV_EVENT	1
#define DIBSCTL_USER_SW_EVENT	2

struct dibsctl_user_event {
	uint32_t kind;			/* enum dibsctl_user_event_kind */
	uint64_t token;
	uint32_t idx;
	uint16_t dmbemask;
	uint32_t type;			/* DIBSCTL_USER_*_EVENT */
	uint32_t subtype;		/* or the event code of a SW event */
	uint8_t gid[DIBSCTL_GID_LEN];
	uint64_t time;
	uint64_t data;
};

int dibsctl_user_open_by_name(const char *name, struct dibsctl_user **user);
int dibsctl_user_open_by_index(uint32_t index, struct dibsctl_user **user);
void dibsctl_user_close(struct dibsctl_user *user);
int dibsctl_user_get_fd(const struct dibsctl_user *user);
int dibsctl_user_get_info(struct dibsctl_user *user,
			  struct dibsctl_user_info *info);
int dibsctl_user_dmb_register(struct dibsctl_user *user, uint32_t len,
			      const uint8_t rgid[DIBSCTL_GID_LEN], int vlan_id,
			      struct dibsctl_user_dmb *dmb);
int dibsctl_user_dmb_unregister(struct dibsctl_user *user, uint64_t token);
int dibsctl_user_attach(struct dibsctl_user *user, uint64_t token,
			struct dibsctl_user_dmb *dmb);
int dibsctl_user_detach(struct dibsctl_user *user, uint64_t token);
int dibsctl_user_map(struct dibsctl_user *user,
		     const struct dibsctl_user_dmb *dmb, void **addr);
int dibsctl_user_unmap(const struct dibsctl_user_dmb *dmb, void *addr);
int dibsctl_user_move(struct dibsctl_user *user, uint64_t token,
		      uint32_t offset, const void *buf, uint32_t len,
		      int sig_idx);
int dibsctl_user_signal(struct dibsctl_user *user, uint64_t token,
			unsigned int sig_idx);
int dibsctl_user_signal_event(struct dibsctl_user *user,
			      const uint8_t rgid[DIBSCTL_GID_LEN],
			      uint32_t event_code, uint64_t info);
int dibsctl_user_wait(struct dibsctl_user *user, int timeout_ms,
		      struct dibsctl_user_event *event);

#ifdef __cplusplus
}
#endif

#endif /* LIBDIBSCTL_H */
