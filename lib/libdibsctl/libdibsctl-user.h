/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * libdibsctl-user - the /dev/dibs data path of dibs (Direct Internal
 * Buffer Sharing), without netlink: ioctl(), mmap() and read() on the
 * character device of the dibs_user module.  It links no libnl.
 *
 * libdibsctl-user.so.1 exports these functions at LIBDIBSCTL_USER_1;
 * libdibsctl.so.1 exports the same ones at LIBDIBSCTL_2 (its
 * <libdibsctl.h> includes this header).  Link one of the two: code moves
 * between them by changing only the link flag.  See libdibsctl(3).
 */
#ifndef LIBDIBSCTL_USER_H
#define LIBDIBSCTL_USER_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Bytes of a GID. */
#define DIBSCTL_GID_LEN		16
/* Longest device name, without the terminating NUL. */
#define DIBSCTL_DEV_NAME_MAX	15

/*
 * A struct dibsctl_user is one open file of /dev/dibs bound to one
 * device; it needs no struct dibsctl.  Functions return 0 or -errno (the
 * kernel's errno).
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

#endif /* LIBDIBSCTL_USER_H */
