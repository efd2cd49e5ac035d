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
 * device the client is bound to.
 *
 * Context: Process context; takes the dibs layer's device mutex.
 * Return: 0, or -ENOSPC when MAX_DIBS_CLIENTS clients are registered.
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
 *	@dmb->dmb_tok, cpu_addr, idx and dma_addr are set.  Through
 *	dibs->ops, -ENODEV if @client is not bound to @dev.
 * @unregister_dmb: unregister and free the DMB @dmb->dmb_tok.
 * @move_data: write @size bytes from @data at @offset into the remote DMB
 *	@dmb_tok, synchronously.  If @sf is set, the owner of the DMB gets
 *	handle_irq() with signal bit @idx set.
 * @add_vlan_id: deprecated; put @dev into VLAN @vlan_id.  Through
 *	dibs->ops always present: the dibs layer counts the reference
 *	(naming no client; see dibs_add_vlan_id()) and calls the driver's
 *	op, if any, for the device's first reference to the VLAN.
 * @del_vlan_id: deprecated; remove @dev from VLAN @vlan_id (through
 *	dibs->ops: drop a reference taken by add_vlan_id, -ENOENT if none).
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
	/*
	 * The driver's own ops while the device is added: ops then points
	 * to the dibs layer's copy, which sees DMBs, moves and VLANs.
	 */
	const struct dibs_dev_ops *drv_ops;
	/* state of the dibs layer, private to it */
	struct dibs_dev_track *track;
};

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
