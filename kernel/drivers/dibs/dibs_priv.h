/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Internals of dibs.ko shared by the core, the loopback driver and the
 * netlink family.
 */
#ifndef _DIBS_PRIV_H
#define _DIBS_PRIV_H

#include <linux/device.h>
#include <linux/dibs.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/percpu.h>
#include <linux/rcupdate.h>
#include <linux/printk.h>
#include <linux/spinlock.h>
#include <linux/u64_stats_sync.h>
#include <linux/uuid.h>
#include <net/netlink.h>
#include <uapi/linux/dibs.h>

#include "dibs_compat.h"

/* longest client name reported, without the NUL (the spec's max-len) */
#define DIBS_CLIENT_NAME_MAX_LEN	63

/* Statistics (dibs_track.c) */

/* the counters of a device or client as stats-get reports them */
struct dibs_stats_vals {
	u32 dmbs_in_use;
	u32 dmbs_max_in_use;
	u64 registrations;
	u64 unregistrations;
	u64 fail_nospc;
	u64 fail_nomem;
	u64 fail_other;
	u64 moves;
	u64 move_bytes;
	u64 move_errors;
	u64 signals;
	u64 events;
};

/* counters bumped on every move or event, so kept per CPU */
struct dibs_stats_pcpu {
	u64_stats_t moves;
	u64_stats_t move_bytes;
	u64_stats_t move_errors;
	u64_stats_t signals;
	u64_stats_t events;
	struct u64_stats_sync syncp;
};

struct dibs_stats {
	struct dibs_stats_pcpu __percpu *pcpu;
	/* protects the fields below */
	spinlock_t lock;
	struct dibs_stats_vals slow;
	/*
	 * Per-CPU sums at the last reset: a reset never writes the per-CPU
	 * counters, so it cannot race with their writers.
	 */
	struct dibs_stats_vals base;
};

void dibs_stats_read(struct dibs_stats *stats, struct dibs_stats_vals *vals);
void dibs_stats_reset(struct dibs_stats *stats);
/* the statistics of client slot @id; they restart at registration */
struct dibs_stats *dibs_client_stats(u8 id);
void dibs_client_stats_restart(u8 id);
int dibs_client_stats_init(void);
void dibs_client_stats_exit(void);

/* Tracking of DMBs, VLANs and bindings (dibs_track.c) */

/* what the dibs layer reports of a DMB: a snapshot of its record */
struct dibs_dmb_info {
	u64 token;
	uuid_t rgid;
	u32 idx;
	u32 len;
	bool vlan_valid;
	u16 vlan_id;
	u8 client_id;
	char client_name[DIBS_CLIENT_NAME_MAX_LEN + 1];
	/* written through attach_dmb() by someone right now */
	bool attached;
	u64 bytes;
	u64 moves;
	u64 signals;
};

/* references of one client to one VLAN of a device */
struct dibs_vlan_ref {
	/* entry in dibs_dev_track::vlans */
	struct list_head list;
	u16 vid;
	u8 client_id;
	u32 refs;
};

struct dibs_dmb_rec;

struct dibs_dev_track {
	/*
	 * Protects the fields up to vlan_lock against each other; taken in
	 * any context, never by the data path.
	 */
	spinlock_t lock;
	/*
	 * The records by DMB index, max_dmbs entries.  The data path finds
	 * a record under RCU, and records are freed after a grace period.
	 */
	struct dibs_dmb_rec __rcu **by_idx;
	u32 max_dmbs;
	/* DMBs held by each client */
	unsigned int client_dmbs[MAX_DIBS_CLIENTS];
	/* bit N: client N is bound to the device */
	unsigned long bound;
	/* serialises VLAN changes, which call the driver */
	struct mutex vlan_lock;
	/* struct dibs_vlan_ref by VLAN id, then client id */
	struct list_head vlans;
	struct dibs_stats stats;
};

/* in dibs_dev_alloc() and the device's release */
int dibs_track_alloc(struct dibs_dev *dibs);
void dibs_track_free(struct dibs_dev *dibs);
/* starts tracking the DMBs of @dibs; dibs_devs_lock held */
int dibs_track_dev_add(struct dibs_dev *dibs, u32 max_dmbs);
/* forgets the DMBs that the clients left behind */
void dibs_track_dev_del(struct dibs_dev *dibs);

bool dibs_track_bound(struct dibs_dev *dibs, u8 id);
void dibs_track_set_bound(struct dibs_dev *dibs, u8 id, bool bound);
/*
 * Unbinds client @id from @dibs in one step with counting its DMBs there
 * (in @dmbs), so that no DMB can be registered in between: -EBUSY, and
 * still bound, if it holds DMBs and not @force.
 */
int dibs_track_unbind(struct dibs_dev *dibs, u8 id, bool force,
		      unsigned int *dmbs);
unsigned int dibs_track_client_dmbs(struct dibs_dev *dibs, u8 id);
/* names the DMBs client @id still holds on @dibs */
void dibs_track_warn_leftovers(struct dibs_dev *dibs, u8 id);
/* drops every VLAN reference of client @id on @dibs */
void dibs_track_drop_client_vlans(struct dibs_dev *dibs, u8 id);
/* a handle_event() delivery to client @id (NO_DIBS_CLIENT: none) */
void dibs_track_count_event(struct dibs_dev *dibs, u8 id);
/* a snapshot of the DMB with the lowest index >= @idx; false if none */
bool dibs_track_dmb_next(struct dibs_dev *dibs, u32 idx,
			 struct dibs_dmb_info *info);

/* a distinct peer GID of a device and how many DMBs accept it */
struct dibs_peer {
	uuid_t gid;
	u32 dmbs;
};

/* the device's peers sorted by GID in *@peers (kvfree it), or -errno */
int dibs_track_peers(struct dibs_dev *dibs, struct dibs_peer **peers);

/* Device registry (dibs_main.c) */

/*
 * Serialises device addition and removal, client registration and every
 * walk of the device list, including the netlink handlers.
 */
extern struct mutex dibs_devs_lock;

struct dibs_dev *dibs_dev_find_by_index(u32 index);
struct dibs_dev *dibs_dev_find_by_name(const char *name);
struct dibs_dev *dibs_dev_find_by_gid(const uuid_t *gid);
/* number of registered devices; dibs_devs_lock held */
unsigned int dibs_dev_count(void);
/* first device with an index above @index, in index order, or NULL */
struct dibs_dev *dibs_dev_next(u32 index);
bool dibs_dev_name_valid(const char *name);
enum dibs_dev_type dibs_dev_type(const struct dibs_dev *dibs);
/* registered kind of device type @type, or NULL; dibs_devs_lock held */
struct dibs_dev_kind *dibs_dev_kind_find(u32 type);

int dibs_dev_add_locked(struct dibs_dev *dibs);
void dibs_dev_del_locked(struct dibs_dev *dibs);

unsigned int dibs_dev_dmbs_in_use(struct dibs_dev *dibs);
bool dibs_dev_mmapped_rdmb(struct dibs_dev *dibs);
const char *dibs_client_name(u8 id);
/* registered client in slot @id, or NULL; dibs_devs_lock held */
struct dibs_client *dibs_client_by_id(u8 id);
struct dibs_client *dibs_client_by_name(const char *name);
/* -EEXIST if bound already */
int dibs_client_bind_locked(struct dibs_client *client,
			    struct dibs_dev *dibs);
/*
 * -ENOENT if not bound; -EBUSY while the client holds DMBs on @dibs,
 * unless @force, with their number in @dmbs.
 */
int dibs_client_unbind_locked(struct dibs_client *client,
			      struct dibs_dev *dibs, bool force,
			      unsigned int *dmbs);

/* Netlink family (dibs_nl.c) */

int dibs_nl_init(void);
/* announces the removal of every device, then unregisters the family */
void dibs_nl_exit(void);
/* @cmd: DIBS_CMD_DEV_NEW_NTF or DIBS_CMD_DEV_DEL_NTF; dibs_devs_lock held */
void dibs_nl_dev_notify(struct dibs_dev *dibs, u8 cmd);
/* @cmd: DIBS_CMD_CLIENT_NEW_NTF or _DEL_NTF; dibs_devs_lock held */
void dibs_nl_client_notify(struct dibs_client *client, u8 cmd);
/* @cmd: DIBS_CMD_CLIENT_BIND_NTF or _UNBIND_NTF; dibs_devs_lock held */
void dibs_nl_bind_notify(struct dibs_client *client, struct dibs_dev *dibs,
			 u8 cmd);
/* @cmd: DIBS_CMD_DMB_NEW_NTF or _DEL_NTF; any context */
void dibs_nl_dmb_notify(struct dibs_dev *dibs,
			const struct dibs_dmb_info *info, u8 cmd);

#endif /* _DIBS_PRIV_H */
