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

#include "libdibsctl-user.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The text form of a GID is a 36-character UUID plus NUL. */
#define DIBSCTL_GID_STR_LEN	37

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
 * The data path (LIBDIBSCTL_2) is declared in <libdibsctl-user.h>:
 * libdibsctl exports it too, for programs linked against it before
 * libdibsctl-user existed.
 */

/*
 * Clients, DMBs, GIDs, VLANs, statistics and events (LIBDIBSCTL_3).
 * Netlink only: with the sysfs fallback these return -EOPNOTSUPP.
 * Every object is reference counted (the _unref of the last reference
 * frees it and returns NULL); lists hold their own references and are
 * walked with their _foreach macro.  Getters of values the kernel did
 * not send return -ENODATA.
 */
struct dibsctl_client;
struct dibsctl_client_list;
struct dibsctl_dmb;
struct dibsctl_dmb_list;
struct dibsctl_gid;
struct dibsctl_gid_list;
struct dibsctl_vlan;
struct dibsctl_vlan_list;
struct dibsctl_stats;
struct dibsctl_stats_list;
struct dibsctl_monitor;
struct dibsctl_event;

/* Flags for dibsctl_client_unbind(). */
#define DIBSCTL_UNBIND_FORCE	(1U << 0)

/* No VLAN, for dibsctl_gid_check(). */
#define DIBSCTL_NO_VLAN		(-1)

/* GID roles, as in enum dibs_gid_role of <linux/dibs.h>. */
#define DIBSCTL_GID_ROLE_LOCAL	0
#define DIBSCTL_GID_ROLE_PEER	1

#define DIBSCTL_LIST_FOREACH_(type, obj, list)				\
	for ((obj) = dibsctl_##type##_list_first(list); (obj);		\
	     (obj) = dibsctl_##type##_list_next((list), (obj)))

/* The clients bound to a device (each with id and name only). */
int dibsctl_dev_get_clients(const struct dibsctl_dev *dev,
			    struct dibsctl_client_list **clients);

/* Clients: lookups, binding to devices. */
int dibsctl_client_list_new(struct dibsctl *ctx,
			    struct dibsctl_client_list **list);
int dibsctl_client_new_from_name(struct dibsctl *ctx, const char *name,
				 struct dibsctl_client **client);
int dibsctl_client_new_from_id(struct dibsctl *ctx, uint32_t id,
			       struct dibsctl_client **client);
int dibsctl_client_bind(struct dibsctl *ctx, const char *client,
			const char *dev);
int dibsctl_client_unbind(struct dibsctl *ctx, const char *client,
			  const char *dev, unsigned int flags);
struct dibsctl_client *dibsctl_client_ref(struct dibsctl_client *client);
struct dibsctl_client *dibsctl_client_unref(struct dibsctl_client *client);
const char *dibsctl_client_get_name(const struct dibsctl_client *client);
int dibsctl_client_get_id(const struct dibsctl_client *client, uint32_t *id);
int dibsctl_client_get_dmbs(const struct dibsctl_client *client,
			    uint32_t *dmbs);
/* Bound devices: index, name and (dmbs_in_use) the client's DMBs there. */
int dibsctl_client_get_devs(const struct dibsctl_client *client,
			    struct dibsctl_dev_list **devs);
struct dibsctl_client_list *
dibsctl_client_list_ref(struct dibsctl_client_list *list);
struct dibsctl_client_list *
dibsctl_client_list_unref(struct dibsctl_client_list *list);
size_t dibsctl_client_list_count(const struct dibsctl_client_list *list);
struct dibsctl_client *
dibsctl_client_list_first(const struct dibsctl_client_list *list);
struct dibsctl_client *
dibsctl_client_list_next(const struct dibsctl_client_list *list,
			 const struct dibsctl_client *client);
#define dibsctl_client_list_foreach(obj, list)			\
	DIBSCTL_LIST_FOREACH_(client, obj, list)

/*
 * DMBs, optionally of one device and/or one client (NULL: any).  The
 * kernel lists DMBs to CAP_NET_ADMIN only: -EPERM for anyone else.
 */
int dibsctl_dmb_list_new(struct dibsctl *ctx, const char *dev,
			 const char *client, struct dibsctl_dmb_list **list);
struct dibsctl_dmb *dibsctl_dmb_ref(struct dibsctl_dmb *dmb);
struct dibsctl_dmb *dibsctl_dmb_unref(struct dibsctl_dmb *dmb);
int dibsctl_dmb_get_dev_index(const struct dibsctl_dmb *dmb, uint32_t *index);
const char *dibsctl_dmb_get_dev_name(const struct dibsctl_dmb *dmb);
int dibsctl_dmb_get_client_id(const struct dibsctl_dmb *dmb, uint32_t *id);
const char *dibsctl_dmb_get_client_name(const struct dibsctl_dmb *dmb);
/* -ENODATA when the kernel sent no token. */
int dibsctl_dmb_get_token(const struct dibsctl_dmb *dmb, uint64_t *token);
int dibsctl_dmb_get_idx(const struct dibsctl_dmb *dmb, uint32_t *idx);
int dibsctl_dmb_get_len(const struct dibsctl_dmb *dmb, uint32_t *len);
int dibsctl_dmb_get_rgid(const struct dibsctl_dmb *dmb,
			 uint8_t rgid[DIBSCTL_GID_LEN]);
int dibsctl_dmb_get_vlan_id(const struct dibsctl_dmb *dmb, uint16_t *vlan_id);
int dibsctl_dmb_get_attached(const struct dibsctl_dmb *dmb, bool *attached);
int dibsctl_dmb_get_bytes(const struct dibsctl_dmb *dmb, uint64_t *bytes);
int dibsctl_dmb_get_moves(const struct dibsctl_dmb *dmb, uint64_t *moves);
int dibsctl_dmb_get_signals(const struct dibsctl_dmb *dmb, uint64_t *signals);
struct dibsctl_dmb_list *dibsctl_dmb_list_ref(struct dibsctl_dmb_list *list);
struct dibsctl_dmb_list *dibsctl_dmb_list_unref(struct dibsctl_dmb_list *list);
size_t dibsctl_dmb_list_count(const struct dibsctl_dmb_list *list);
struct dibsctl_dmb *dibsctl_dmb_list_first(const struct dibsctl_dmb_list *list);
struct dibsctl_dmb *dibsctl_dmb_list_next(const struct dibsctl_dmb_list *list,
					  const struct dibsctl_dmb *dmb);
#define dibsctl_dmb_list_foreach(obj, list)				\
	DIBSCTL_LIST_FOREACH_(dmb, obj, list)

/* GIDs in use, and whether a device reaches a remote GID. */
int dibsctl_gid_list_new(struct dibsctl *ctx, struct dibsctl_gid_list **list);
int dibsctl_gid_check(struct dibsctl *ctx, const char *dev,
		      const uint8_t gid[DIBSCTL_GID_LEN], int vlan_id,
		      bool *reachable);
struct dibsctl_gid *dibsctl_gid_ref(struct dibsctl_gid *gid);
struct dibsctl_gid *dibsctl_gid_unref(struct dibsctl_gid *gid);
int dibsctl_gid_get_gid(const struct dibsctl_gid *gid,
			uint8_t bytes[DIBSCTL_GID_LEN]);
int dibsctl_gid_get_role(const struct dibsctl_gid *gid, uint32_t *role);
int dibsctl_gid_get_dev_index(const struct dibsctl_gid *gid, uint32_t *index);
const char *dibsctl_gid_get_dev_name(const struct dibsctl_gid *gid);
int dibsctl_gid_get_fabric_id(const struct dibsctl_gid *gid,
			      uint16_t *fabric_id);
int dibsctl_gid_get_dmbs(const struct dibsctl_gid *gid, uint32_t *dmbs);
const char *dibsctl_gid_role_name(uint32_t role);
struct dibsctl_gid_list *dibsctl_gid_list_ref(struct dibsctl_gid_list *list);
struct dibsctl_gid_list *dibsctl_gid_list_unref(struct dibsctl_gid_list *list);
size_t dibsctl_gid_list_count(const struct dibsctl_gid_list *list);
struct dibsctl_gid *dibsctl_gid_list_first(const struct dibsctl_gid_list *list);
struct dibsctl_gid *dibsctl_gid_list_next(const struct dibsctl_gid_list *list,
					  const struct dibsctl_gid *gid);
#define dibsctl_gid_list_foreach(obj, list)				\
	DIBSCTL_LIST_FOREACH_(gid, obj, list)

/* VLANs, optionally of one device (NULL: all). */
int dibsctl_vlan_list_new(struct dibsctl *ctx, const char *dev,
			  struct dibsctl_vlan_list **list);
struct dibsctl_vlan *dibsctl_vlan_ref(struct dibsctl_vlan *vlan);
struct dibsctl_vlan *dibsctl_vlan_unref(struct dibsctl_vlan *vlan);
int dibsctl_vlan_get_dev_index(const struct dibsctl_vlan *vlan,
			       uint32_t *index);
const char *dibsctl_vlan_get_dev_name(const struct dibsctl_vlan *vlan);
int dibsctl_vlan_get_id(const struct dibsctl_vlan *vlan, uint16_t *id);
/* -ENODATA for references taken through the device's add_vlan_id op. */
int dibsctl_vlan_get_client_id(const struct dibsctl_vlan *vlan, uint32_t *id);
const char *dibsctl_vlan_get_client_name(const struct dibsctl_vlan *vlan);
int dibsctl_vlan_get_refs(const struct dibsctl_vlan *vlan, uint32_t *refs);
struct dibsctl_vlan_list *dibsctl_vlan_list_ref(struct dibsctl_vlan_list *list);
struct dibsctl_vlan_list *
dibsctl_vlan_list_unref(struct dibsctl_vlan_list *list);
size_t dibsctl_vlan_list_count(const struct dibsctl_vlan_list *list);
struct dibsctl_vlan *
dibsctl_vlan_list_first(const struct dibsctl_vlan_list *list);
struct dibsctl_vlan *dibsctl_vlan_list_next(const struct dibsctl_vlan_list *list,
					    const struct dibsctl_vlan *vlan);
#define dibsctl_vlan_list_foreach(obj, list)				\
	DIBSCTL_LIST_FOREACH_(vlan, obj, list)

/* Statistics counters, in the order of the spec's stats attributes. */
enum dibsctl_stats_counter {
	DIBSCTL_STATS_DMBS_IN_USE,
	DIBSCTL_STATS_DMBS_MAX_IN_USE,
	DIBSCTL_STATS_DMB_REGISTRATIONS,
	DIBSCTL_STATS_DMB_UNREGISTRATIONS,
	DIBSCTL_STATS_DMB_FAIL_NOSPC,
	DIBSCTL_STATS_DMB_FAIL_NOMEM,
	DIBSCTL_STATS_DMB_FAIL_OTHER,
	DIBSCTL_STATS_MOVES,
	DIBSCTL_STATS_MOVE_BYTES,
	DIBSCTL_STATS_MOVE_ERRORS,
	DIBSCTL_STATS_SIGNALS,
	DIBSCTL_STATS_EVENTS,
	DIBSCTL_STATS_COUNTERS,		/* how many there are */
};

/* Statistics of one device or client, or of all; resetting them. */
int dibsctl_stats_list_new(struct dibsctl *ctx,
			   struct dibsctl_stats_list **list);
int dibsctl_stats_new_from_dev(struct dibsctl *ctx, const char *dev,
			       struct dibsctl_stats **stats);
int dibsctl_stats_new_from_client(struct dibsctl *ctx, const char *client,
				  struct dibsctl_stats **stats);
/* @dev NULL: every device and every client. */
int dibsctl_stats_reset(struct dibsctl *ctx, const char *dev);
struct dibsctl_stats *dibsctl_stats_ref(struct dibsctl_stats *stats);
struct dibsctl_stats *dibsctl_stats_unref(struct dibsctl_stats *stats);
/* Statistics are of a device (dev getters) or of a client. */
int dibsctl_stats_get_dev_index(const struct dibsctl_stats *stats,
				uint32_t *index);
const char *dibsctl_stats_get_dev_name(const struct dibsctl_stats *stats);
int dibsctl_stats_get_client_id(const struct dibsctl_stats *stats,
				uint32_t *id);
const char *dibsctl_stats_get_client_name(const struct dibsctl_stats *stats);
int dibsctl_stats_get_counter(const struct dibsctl_stats *stats,
			      unsigned int counter, uint64_t *value);
/* The spec's attribute name of a counter ("move-bytes"), or NULL. */
const char *dibsctl_stats_counter_name(unsigned int counter);
struct dibsctl_stats_list *
dibsctl_stats_list_ref(struct dibsctl_stats_list *list);
struct dibsctl_stats_list *
dibsctl_stats_list_unref(struct dibsctl_stats_list *list);
size_t dibsctl_stats_list_count(const struct dibsctl_stats_list *list);
struct dibsctl_stats *
dibsctl_stats_list_first(const struct dibsctl_stats_list *list);
struct dibsctl_stats *
dibsctl_stats_list_next(const struct dibsctl_stats_list *list,
			const struct dibsctl_stats *stats);
#define dibsctl_stats_list_foreach(obj, list)			\
	DIBSCTL_LIST_FOREACH_(stats, obj, list)

/*
 * Events.  A monitor has a socket of its own, subscribed to the groups
 * asked for; poll() its fd for POLLIN, then take the events one at a
 * time with dibsctl_monitor_next() until it returns -EAGAIN.  -ENOBUFS
 * means the kernel dropped events for this monitor; it goes on working.
 */
#define DIBSCTL_MONITOR_DEVS_CLIENTS	(1U << 0)	/* mcgrp "monitor" */
#define DIBSCTL_MONITOR_DMBS		(1U << 1)	/* mcgrp "dmb" */

enum dibsctl_event_type {
	DIBSCTL_EVENT_DEV_NEW = 1,	/* dibsctl_event_get_dev() */
	DIBSCTL_EVENT_DEV_DEL,		/* dibsctl_event_get_dev() */
	DIBSCTL_EVENT_CLIENT_NEW,	/* dibsctl_event_get_client() */
	DIBSCTL_EVENT_CLIENT_DEL,	/* dibsctl_event_get_client() */
	DIBSCTL_EVENT_CLIENT_BIND,	/* client; its devs: the one device */
	DIBSCTL_EVENT_CLIENT_UNBIND,	/* client; its devs: the one device */
	DIBSCTL_EVENT_DMB_NEW,		/* dibsctl_event_get_dmb() */
	DIBSCTL_EVENT_DMB_DEL,		/* dibsctl_event_get_dmb() */
};

int dibsctl_monitor_new(struct dibsctl *ctx, unsigned int groups,
			struct dibsctl_monitor **monitor);
struct dibsctl_monitor *dibsctl_monitor_ref(struct dibsctl_monitor *monitor);
struct dibsctl_monitor *
dibsctl_monitor_unref(struct dibsctl_monitor *monitor);
int dibsctl_monitor_get_fd(const struct dibsctl_monitor *monitor);
int dibsctl_monitor_next(struct dibsctl_monitor *monitor,
			 struct dibsctl_event **event);
struct dibsctl_event *dibsctl_event_ref(struct dibsctl_event *event);
struct dibsctl_event *dibsctl_event_unref(struct dibsctl_event *event);
int dibsctl_event_get_type(const struct dibsctl_event *event);
/* "dev-new", "client-bind", "dmb-del", ... or NULL. */
const char *dibsctl_event_type_name(int type);
/* Borrowed from the event (NULL when the event is of another kind). */
struct dibsctl_dev *dibsctl_event_get_dev(const struct dibsctl_event *event);
struct dibsctl_client *
dibsctl_event_get_client(const struct dibsctl_event *event);
struct dibsctl_dmb *dibsctl_event_get_dmb(const struct dibsctl_event *event);

/*
 * Dumps that stream (LIBDIBSCTL_4): each object is handed to @cb as its
 * part of the kernel's dump is read, and freed after @cb returns (take a
 * reference with its _ref to keep it); memory stays flat whatever the
 * number of objects.  @cb returns 0 to go on; anything else stops the
 * calls (the rest of the dump is read and dropped) and is returned.  A
 * dump the kernel fails part way returns its error after the objects
 * handed out so far.  The filters are those of the _list_new functions.
 */
typedef int (*dibsctl_dev_cb)(struct dibsctl_dev *dev, void *data);
typedef int (*dibsctl_client_cb)(struct dibsctl_client *client, void *data);
typedef int (*dibsctl_dmb_cb)(struct dibsctl_dmb *dmb, void *data);
typedef int (*dibsctl_gid_cb)(struct dibsctl_gid *gid, void *data);
typedef int (*dibsctl_vlan_cb)(struct dibsctl_vlan *vlan, void *data);

int dibsctl_dev_dump(struct dibsctl *ctx, dibsctl_dev_cb cb, void *data);
int dibsctl_client_dump(struct dibsctl *ctx, dibsctl_client_cb cb,
			void *data);
int dibsctl_dmb_dump(struct dibsctl *ctx, const char *dev, const char *client,
		     dibsctl_dmb_cb cb, void *data);
int dibsctl_gid_dump(struct dibsctl *ctx, dibsctl_gid_cb cb, void *data);
int dibsctl_vlan_dump(struct dibsctl *ctx, const char *dev,
		      dibsctl_vlan_cb cb, void *data);

/*
 * The monitor's socket receive buffer, in bytes (the kernel doubles it
 * for its bookkeeping): bigger survives longer bursts of events before
 * the kernel drops some (-ENOBUFS).  The default is
 * DIBSCTL_MONITOR_RCVBUF_DEFAULT; above net.core.rmem_max only with
 * CAP_NET_ADMIN.
 */
#define DIBSCTL_MONITOR_RCVBUF_DEFAULT	(4U * 1024 * 1024)
int dibsctl_monitor_set_rcvbuf(struct dibsctl_monitor *monitor, size_t bytes);

#ifdef __cplusplus
}
#endif

#endif /* LIBDIBSCTL_H */
