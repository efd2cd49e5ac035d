/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Direct Internal Buffer Sharing (dibs): the in-kernel API between dibs
 * device drivers, the dibs layer and dibs clients.
 *
 * This out-of-tree header is source compatible with include/linux/dibs.h of
 * upstream Linux 6.18: a client or driver written for upstream dibs builds
 * against it unchanged.  Additions are only ever appended to structures.
 *
 * Vocabulary: a dibs fabric connects dibs devices; a device owns DMBs
 * (direct memory buffers) that exactly one remote device may write into.
 * Fabrics are named by a 16-bit id, devices by a GID (a UUID) and DMBs by a
 * 64-bit token that is unique on its fabric.
 */
#ifndef _DIBS_H
#define _DIBS_H

#include <linux/device.h>
#include <linux/spinlock.h>
#include <linux/types.h>
#include <linux/uuid.h>

/**
 * struct dibs_dmb - a direct memory buffer
 * @dmb_tok: fabric-wide token of the DMB, set by register_dmb()
 * @rgid: GID of the only remote device allowed to write into the DMB
 * @cpu_addr: kernel address of the buffer
 * @dmb_len: buffer length in bytes
 * @idx: index of the DMB on its device; non-zero on entry asks for it
 * @vlan_valid: deprecated VLAN tagging: non-zero if @vlan_id applies;
 *	ignored by devices without VLAN support
 * @vlan_id: deprecated VLAN tagging: the VLAN of the DMB
 * @dma_addr: for the driver's use
 *
 * A client offers a DMB on one of its local devices as receive buffer for
 * one remote sending device.
 */
struct dibs_dmb {
	u64 dmb_tok;
	uuid_t rgid;
	void *cpu_addr;
	u32 dmb_len;
	u32 idx;
	u32 vlan_valid;
	u32 vlan_id;
	dma_addr_t dma_addr;
};

/**
 * enum dibs_event_type - what an event reported through handle_event()
 *	concerns
 * @DIBS_BUF_EVENT: a buffer, e.g. a remote DMB was unregistered
 * @DIBS_DEV_EVENT: a device, e.g. a remote device was disabled
 * @DIBS_SW_EVENT: sent by a remote client through signal_event()
 * @DIBS_OTHER_TYPE: anything else
 */
enum dibs_event_type {
	DIBS_BUF_EVENT,
	DIBS_DEV_EVENT,
	DIBS_SW_EVENT,
	DIBS_OTHER_TYPE };

/**
 * enum dibs_event_subtype - what happened, for DIBS_BUF_EVENT and
 *	DIBS_DEV_EVENT
 * @DIBS_BUF_UNREGISTERED: the remote DMB @buffer_tok was unregistered
 * @DIBS_DEV_DISABLED: the remote device @gid was disabled
 * @DIBS_DEV_ERR_STATE: the remote device @gid is in an error state
 * @DIBS_OTHER_SUBTYPE: anything else
 */
enum dibs_event_subtype {
	DIBS_BUF_UNREGISTERED,
	DIBS_DEV_DISABLED,
	DIBS_DEV_ERR_STATE,
	DIBS_OTHER_SUBTYPE
};

/**
 * struct dibs_event - an event a device reports to its clients
 * @type: an enum dibs_event_type
 * @subtype: an enum dibs_event_subtype, or for DIBS_SW_EVENT the sender's
 *	event code
 * @gid: GID of the device the event concerns; all zeroes when not
 *	applicable
 * @buffer_tok: token of the DMB the event concerns; zero when not
 *	applicable
 * @time: when the event happened, as the device reports it
 * @data: event specific data, or zero
 */
struct dibs_event {
	u32 type;
	u32 subtype;
	uuid_t gid;
	u64 buffer_tok;
	u64 time;
	u64 data;
};

struct dibs_dev;
struct dibs_dev_track;

/* Clients */

#define MAX_DIBS_CLIENTS	8
/* dmb_clientid_arr value of a DMB index no client uses */
#define NO_DIBS_CLIENT		0xff

/**
 * struct dibs_client_ops - what the dibs layer and drivers call in a client
 *
 * @add_dev: a device became available: called for every existing device
 *	at dibs_register_client(), for every device added later, and when
 *	an administrator binds the client to a device (client-bind).
 * @del_dev: a device goes away: called for every bound device at
 *	dibs_unregister_client(), whenever a bound device is removed, and
 *	when an administrator unbinds the client (client-unbind).  No new
 *	handler calls start for the device; the client must release
 *	everything it holds on it (its DMBs above all) before returning.
 * @handle_irq: a DMB of this client on @dev was signalled; @idx is the DMB
 *	index, @dmbemask tells which signal bits were set.  Several signals
 *	may be merged into one call.  Runs in interrupt context.
 * @handle_event: @dev reports @event.  Runs in interrupt context.
 */
struct dibs_client_ops {
	void (*add_dev)(struct dibs_dev *dev);
	void (*del_dev)(struct dibs_dev *dev);
	void (*handle_irq)(struct dibs_dev *dev, unsigned int idx,
			   u16 dmbemask);
	void (*handle_event)(struct dibs_dev *dev,
			     const struct dibs_event *event);
};

/**
 * struct dibs_client - a user of dibs devices, e.g. SMC-D
 * @name: used in log messages
 * @ops: the client's handlers
 * @id: slot of the client, assigned by dibs_register_client()
 */
struct dibs_client {
	const char *name;
	const struct dibs_client_ops *ops;
	u8 id;
};

/**
 * dibs_register_client() - make a client known to the dibs layer
 * @client: the client; @client->name and @client->ops must be set
 *
 * Assigns @client->id and calls @client->ops->add_dev() for every existing
 * device the client is bound to.  The name is shown to administrators
 * (client-get) and selects the client in their requests: it must have 1 to
 * DIBS_CLIENT_NAME_MAX_LEN (63) bytes.
 *
 * Context: Process context; takes the dibs layer's device mutex.
 * Return: 0; -EINVAL, with nothing registered, when the name is missing,
 * empty or too long, or @client->ops is NULL; -ENOSPC when
 * MAX_DIBS_CLIENTS clients are registered.
 */
int dibs_register_client(struct dibs_client *client);

/**
 * dibs_unregister_client() - remove a client from the dibs layer
 * @client: a client registered with dibs_register_client()
 *
 * Calls @client->ops->del_dev() for every device the client is bound to
 * and drops its VLAN references.  The client must have unregistered all
 * its DMBs before; if it has not, nothing changes.
 *
 * Context: Process context; takes the dibs layer's device mutex.
 * Return: 0; -EINVAL if @client is not registered; -EBUSY when the client
 * still has DMBs registered.
 */
int dibs_unregister_client(struct dibs_client *client);

/* Devices */

/*
 * Fabric id every loopback device reports.  Unlike on other fabrics, two
 * loopback devices cannot reach each other: a loopback device reaches only
 * itself (same GID).
 */
#define DIBS_LOOPBACK_FABRIC	0xFFFF

/**
 * struct dibs_dev_ops - what a device offers to clients
 *
 * All operations are mandatory except add_vlan_id, del_vlan_id,
 * signal_event and the three memory-mapped remote DMB operations
 * (support_mmapped_rdmb, attach_dmb, detach_dmb), which a driver provides
 * all together or not at all.
 *
 * @get_fabric_id: the device's fabric id.  Devices with different fabric
 *	ids never reach each other; only query_remote_gid() tells for sure
 *	whether a device is reachable (see DIBS_LOOPBACK_FABRIC).
 * @query_remote_gid: 0 if the device with GID @rgid is reachable from
 *	@dev (on VLAN @vid if @vid_valid and VLANs are supported).
 * @max_dmbs: how many DMBs a device of this kind can hold at once.
 * @register_dmb: allocate a zeroed buffer of @dmb->dmb_len bytes for
 *	@client and register it for writes from @dmb->rgid.  On success
 *	@dmb->dmb_tok, cpu_addr, idx and dma_addr are set.  A driver that
 *	reports its DMBs (dibs_dmb_track_add()) fails with -ENODEV if
 *	@client is not bound to @dev.
 * @unregister_dmb: unregister and free the DMB @dmb->dmb_tok.
 * @move_data: write @size bytes from @data at @offset into the remote DMB
 *	@dmb_tok, synchronously.  If @sf is set, the owner of the DMB gets
 *	handle_irq() with signal bit @idx set.
 * @add_vlan_id: deprecated, optional; put @dev into VLAN @vlan_id.
 *	NULL for a device without VLANs, which clients probe for, as on
 *	upstream.  Clients that want their references counted use
 *	dibs_add_vlan_id() instead.
 * @del_vlan_id: deprecated, optional; remove @dev from VLAN @vlan_id.
 * @signal_event: send a DIBS_SW_EVENT with @event_code and @info to the
 *	remote device @rgid, immediately if @trigger_irq is non-zero.
 * @support_mmapped_rdmb: non-zero if the device can map a remote DMB so
 *	that stores into the mapping land in the DMB without move_data().
 * @attach_dmb: map the remote DMB @dmb->dmb_tok; sets @dmb->cpu_addr,
 *	dma_addr, dmb_len and idx.  The mapping lasts until detach_dmb().
 * @detach_dmb: drop the mapping of the remote DMB @token.
 *
 * Operations returning int return 0 or a negative errno.
 */
struct dibs_dev_ops {
	u16 (*get_fabric_id)(struct dibs_dev *dev);
	int (*query_remote_gid)(struct dibs_dev *dev, const uuid_t *rgid,
				u32 vid_valid, u32 vid);
	int (*max_dmbs)(void);
	int (*register_dmb)(struct dibs_dev *dev, struct dibs_dmb *dmb,
			    struct dibs_client *client);
	int (*unregister_dmb)(struct dibs_dev *dev, struct dibs_dmb *dmb);
	int (*move_data)(struct dibs_dev *dev, u64 dmb_tok, unsigned int idx,
			 bool sf, unsigned int offset, void *data,
			 unsigned int size);
	int (*add_vlan_id)(struct dibs_dev *dev, u64 vlan_id);
	int (*del_vlan_id)(struct dibs_dev *dev, u64 vlan_id);
	int (*signal_event)(struct dibs_dev *dev, const uuid_t *rgid,
			    u32 trigger_irq, u32 event_code, u64 info);
	int (*support_mmapped_rdmb)(struct dibs_dev *dev);
	int (*attach_dmb)(struct dibs_dev *dev, struct dibs_dmb *dmb);
	int (*detach_dmb)(struct dibs_dev *dev, u64 token);
};

struct dibs_dev {
	/* entry in the dibs layer's device list */
	struct list_head list;
	struct device dev;
	/* set by the driver before dibs_dev_add(): */
	const struct dibs_dev_ops *ops;
	uuid_t gid;
	void *drv_priv;

	/* one pointer per client, for that client's own use */
	void *priv[MAX_DIBS_CLIENTS];

	/* protects dmb_clientid_arr and subs */
	spinlock_t lock;
	/* client id owning each DMB index, or NO_DIBS_CLIENT */
	u8 *dmb_clientid_arr;
	/* clients that receive handle_irq()/handle_event(), by client id */
	struct dibs_client *subs[MAX_DIBS_CLIENTS];

	/* Additions of this out-of-tree dibs: */

	/* device index, unique while the dibs module stays loaded */
	u32 index;
	/* state of the dibs layer, private to it */
	struct dibs_dev_track *track;
	/* kind that created the device, NULL for a device a driver added */
	const struct dibs_dev_kind *kind;
};

/**
 * struct dibs_dev_kind - a kind of device that user space can create
 * @name: name of the kind, as the device's sysfs "type" and uevent report it
 * @type: device type (enum dibs_dev_type) that dev-new asks for
 * @name_prefix: names that dev-new picks when the request has none are
 *	this followed by 1, 2, ... (at most 10 bytes, so that they fit)
 * @owner: module that provides @create and @destroy
 * @create: create and add a device named @name with GID @gid, set its
 *	kind to this one before adding it, and return it in *@dibsp (@dibsp
 *	may be NULL).  Called with the core's device lock held, after the
 *	core has checked that name and GID are free; returns 0 or -errno.
 * @destroy: remove the device @dibs of this kind and free it.  Without
 *	@force, a device with DMBs registered stays and -EBUSY is returned,
 *	with their number in *@dmbs_in_use (if not NULL).  Called with the
 *	core's device lock held.
 * @list: entry in the core's list of kinds, private to the core
 *
 * A driver registers its kind with dibs_dev_kind_register() and removes
 * its devices before dibs_dev_kind_unregister().
 */
struct dibs_dev_kind {
	const char *name;
	u32 type;
	const char *name_prefix;
	struct module *owner;
	int (*create)(const char *name, const uuid_t *gid,
		      struct dibs_dev **dibsp);
	int (*destroy)(struct dibs_dev *dibs, bool force,
		       unsigned int *dmbs_in_use);
	struct list_head list;
};

int dibs_dev_kind_register(struct dibs_dev_kind *kind);
void dibs_dev_kind_unregister(struct dibs_dev_kind *kind);

/**
 * dibs_set_priv() - store a client's private pointer for a device
 * @dev: the device
 * @client: the registered client whose slot to use
 * @priv: the pointer, or NULL
 */
static inline void dibs_set_priv(struct dibs_dev *dev,
				 struct dibs_client *client, void *priv)
{
	dev->priv[client->id] = priv;
}

/**
 * dibs_get_priv() - a client's private pointer for a device
 * @dev: the device
 * @client: the registered client whose slot to read
 *
 * Return: what @client last stored with dibs_set_priv(), or NULL.
 */
static inline void *dibs_get_priv(struct dibs_dev *dev,
				  struct dibs_client *client)
{
	return dev->priv[client->id];
}

/* For drivers */

/**
 * dibs_dev_alloc() - allocate a device
 *
 * Initialises dev and lock.  Once this succeeded, drop the device with
 * put_device(&dibs->dev), never with kfree().
 *
 * Context: Process context; may sleep.
 * Return: the zeroed device, or NULL when out of memory.
 */
struct dibs_dev *dibs_dev_alloc(void);

/**
 * dibs_dev_add() - register a device with the dibs layer and all clients
 * @dibs: a device from dibs_dev_alloc(); ops, gid, drv_priv and the device
 *	name (dev_set_name()) must be set
 *
 * Assigns @dibs->index, adds the device to sysfs and calls add_dev() of
 * every client bound to it.  On failure the device is not added.
 *
 * Context: Process context; takes the dibs layer's device mutex.
 * Return: 0; -EEXIST if another dibs device has the same name; -EINVAL
 * for a nameless device, incomplete ops or a max_dmbs() below 1; -ENOSPC
 * when device indexes are exhausted; -ENOMEM; or the error of
 * device_add().
 */
int dibs_dev_add(struct dibs_dev *dibs);

/**
 * dibs_dev_del() - unregister a device from all clients and the dibs layer
 * @dibs: a device added with dibs_dev_add(); nothing happens if it is not
 *	added
 *
 * Every bound client's del_dev() has returned when this returns.  The
 * driver still holds its reference from dibs_dev_alloc().
 *
 * Context: Process context; takes the dibs layer's device mutex.
 */
void dibs_dev_del(struct dibs_dev *dibs);

/* Additions of this out-of-tree dibs for drivers: reporting to the layer */

/*
 * dibs->ops stays the driver's own table.  A driver that wants its DMBs in
 * "dibsctl dmb show" and its traffic in the statistics reports them with
 * the calls below; a driver that does not still works, unseen.
 */

/**
 * dibs_dmb_track_add() - report a DMB that the driver registered
 * @dibs: the device, added with dibs_dev_add()
 * @dmb: the DMB as register_dmb() filled it in (idx, dmb_tok, dmb_len,
 *	rgid and VLAN)
 * @client: the client that registered it
 *
 * Call it from register_dmb() once the DMB has its index and token, and
 * fail the registration (undoing it) if this fails.  Whether @client is
 * bound to @dibs is checked in one step with recording the DMB, so a DMB
 * never belongs to an unbound client.
 *
 * Context: process context; may sleep.
 * Return: 0; -ENODEV if @client is not bound to @dibs; -EINVAL for an
 * index at or above max_dmbs() or already recorded; -ENOMEM.
 */
int dibs_dmb_track_add(struct dibs_dev *dibs, const struct dibs_dmb *dmb,
		       struct dibs_client *client);

/**
 * dibs_dmb_track_fail() - report a registration that the driver refused
 * @dibs: the device
 * @client: the client that asked
 * @err: the error register_dmb() returns; 0 reports nothing
 *
 * Counts the failure in the device's and the client's statistics, by its
 * kind: -ENOSPC, -ENOMEM or other.
 *
 * Context: any.
 */
void dibs_dmb_track_fail(struct dibs_dev *dibs, struct dibs_client *client,
			 int err);

/**
 * dibs_dmb_track_del() - report that a DMB was unregistered
 * @dibs: the device
 * @dmb: the DMB, with the idx and dmb_tok it was registered with
 *
 * Call it from unregister_dmb().  A DMB that was not reported, or was
 * dropped with its device already, is ignored.
 *
 * Context: any; the netlink notification is allocated with GFP_ATOMIC.
 */
void dibs_dmb_track_del(struct dibs_dev *dibs, const struct dibs_dmb *dmb);

/**
 * dibs_dmb_track_attach() - report an attach_dmb() or detach_dmb()
 * @dibs: the device that owns the DMB
 * @idx: the DMB's index
 * @token: the DMB's token
 * @attach: true for attach_dmb(), false for detach_dmb()
 *
 * Context: any.
 */
void dibs_dmb_track_attach(struct dibs_dev *dibs, u32 idx, u64 token,
			   bool attach);

/**
 * dibs_dmb_track_move() - count a move into a DMB
 * @dibs: the device that moved the data
 * @idx: the index of the target DMB
 * @token: the token of the target DMB
 * @size: bytes moved
 * @sf: whether the move signalled the DMB's owner
 * @err: 0, or the error of the failed move (counted as a move error)
 *
 * Drivers call it from move_data(); clients that write into a DMB through
 * attach_dmb() call it for each write.  The move counts for @dibs, and,
 * when the target DMB is one of @dibs' own (as on a loopback device), for
 * that DMB and its owner.  No lock is taken: the counters are per CPU or
 * atomic.
 *
 * Context: any, including hard interrupts.
 */
void dibs_dmb_track_move(struct dibs_dev *dibs, u32 idx, u64 token,
			 unsigned int size, bool sf, int err);

/* Additions of this out-of-tree dibs for clients */

/**
 * dibs_add_vlan_id() - put a device into a VLAN on behalf of a client
 * @dibs: the device
 * @client: a client bound to @dibs
 * @vlan_id: the VLAN, 0 to 4095
 *
 * References are counted per device, VLAN and client; the driver's
 * add_vlan_id() is called for the device's first reference to @vlan_id.
 * A client's references are dropped when it is unbound from the device or
 * unregisters.
 *
 * Context: Process context; takes a mutex of @dibs.
 * Return: 0; -EINVAL for a VLAN id above 4095, a client that is not
 * registered or a device that is not added; -ENODEV if @client is not
 * bound to @dibs; -ENOMEM; or the driver's error.
 */
int dibs_add_vlan_id(struct dibs_dev *dibs, struct dibs_client *client,
		     u64 vlan_id);

/**
 * dibs_del_vlan_id() - drop a reference of a client to a VLAN
 * @dibs: the device
 * @client: the client that took the reference with dibs_add_vlan_id()
 * @vlan_id: the VLAN, 0 to 4095
 *
 * The driver's del_vlan_id() is called when the device's last reference to
 * @vlan_id goes.
 *
 * Context: Process context; takes a mutex of @dibs.
 * Return: 0; -EINVAL for a VLAN id above 4095, a client that is not
 * registered or a device that is not added; -ENOENT if @client holds no
 * reference to @vlan_id on @dibs; or the driver's error.
 */
int dibs_del_vlan_id(struct dibs_dev *dibs, struct dibs_client *client,
		     u64 vlan_id);

#endif /* _DIBS_H */
