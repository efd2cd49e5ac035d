// SPDX-License-Identifier: GPL-2.0
/*
 * dibs_smcd: SMC-D over dibs for kernels whose SMC still has the SMC-D
 * device interface of the 6.1 era (smcd_alloc_dev(), smcd_register_dev(),
 * ...).  A dibs client: every dibs device it is bound to becomes an SMC-D
 * device, so AF_SMC sockets move their data through dibs.
 *
 * What SMC 6.1 expects of an SMC-D device, and how it is met here:
 *  - move_data() runs in atomic context (under the connection's send lock
 *    and from the receive tasklet): it goes straight to dibs->ops, whose
 *    move path only takes spinlocks.
 *  - add_vlan_id()/del_vlan_id() run under smcd->lock with IRQs off, while
 *    the dibs layer's VLAN references take a mutex: they are queued and
 *    applied from a work item.
 *  - GIDs are u64 and 0 means "every peer": a dibs GID (a UUID) is folded
 *    into a non-zero u64 and mapped back through the devices bound here.
 *    Only these devices can be mapped back, which is all a loopback reaches.
 *  - The SMC-D device's parent is read as a struct pci_dev by SMC's netlink
 *    device dump: it is a zeroed struct pci_dev of this module, registered
 *    as a plain device below the dibs device, whose name SMC reports as the
 *    device's PCI id.
 *  - The system EID is read at the first registration; bytes 24 and 28
 *    decide whether SMC-Dv2 (which needs no PNETID) is on.
 *  - DMBs: a non-zero dma_addr, a cpu_addr in the direct map and an index
 *    below the max_dmbs given to smcd_alloc_dev(), or the DMB is refused.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/dibs.h>
#include <linux/dma-mapping.h>
#include <linux/if_vlan.h>
#include <linux/list.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/pci.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/workqueue.h>
#include <net/smc.h>
#include <asm/unaligned.h>

MODULE_DESCRIPTION("SMC-D over dibs: dibs devices as SMC-D devices of SMC");
MODULE_LICENSE("GPL");

/*
 * The system EID SMC offers for SMC-Dv2.  SMC reads it once, at the first
 * SMC-D registration, and turns v2 on when byte 24 or 28 is not '0'.
 */
#define DIBS_SMCD_EID_LEN	32
static u8 dibs_smcd_seid[DIBS_SMCD_EID_LEN] __nonstring =
	"DIBS-SMCD-SYSTEM-EID-00001-V2-01";

/* one queued add_vlan_id()/del_vlan_id() of SMC */
struct dibs_smcd_vlan_op {
	struct list_head list;
	u64 vlan_id;
	bool add;
};

/* a dibs device as SMC-D device */
struct dibs_smcd {
	/* entry in dibs_smcd_devs */
	struct list_head list;
	struct dibs_dev *dibs;
	/* NULL once torn down at module unload, before del_dev() */
	struct smcd_dev *smcd;
	/* the parent of smcd->dev that SMC reads as a PCI device */
	struct pci_dev *parent;
	/* dibs->gid folded into the u64 SMC knows the device by */
	u64 gid;
	/* VLAN operations of SMC waiting for vlan_work */
	spinlock_t vlan_lock;
	struct list_head vlan_ops;
	struct work_struct vlan_work;
};

static struct dibs_client dibs_smcd_client;

/* serialises add, del and unload; nests inside the dibs layer's lock */
static DEFINE_MUTEX(dibs_smcd_mutex);
/* protects dibs_smcd_devs for the GID lookups of SMC's ops */
static DEFINE_SPINLOCK(dibs_smcd_devs_lock);
static LIST_HEAD(dibs_smcd_devs);
/* set at unload: add_dev() creates no more SMC-D devices */
static bool dibs_smcd_unloading;

/* the u64 GID of SMC for a dibs GID; never 0 for a valid device */
static u64 dibs_smcd_gid(const uuid_t *gid)
{
	return get_unaligned_be64(&gid->b[0]) ^ get_unaligned_be64(&gid->b[8]);
}

/* the dibs GID of one of our devices with SMC GID @gid; false if none */
static bool dibs_smcd_uuid(u64 gid, uuid_t *uuid)
{
	struct dibs_smcd *ds;
	bool found = false;
	unsigned long flags;

	spin_lock_irqsave(&dibs_smcd_devs_lock, flags);
	list_for_each_entry(ds, &dibs_smcd_devs, list) {
		if (ds->gid == gid) {
			uuid_copy(uuid, &ds->dibs->gid);
			found = true;
			break;
		}
	}
	spin_unlock_irqrestore(&dibs_smcd_devs_lock, flags);
	return found;
}

static struct dibs_dev *dibs_smcd_dibs(struct smcd_dev *smcd)
{
	return ((struct dibs_smcd *)smcd->priv)->dibs;
}

static int dibs_smcd_query_rgid(struct smcd_dev *smcd, u64 rgid,
				u32 vid_valid, u32 vid)
{
	struct dibs_dev *dibs = dibs_smcd_dibs(smcd);
	uuid_t uuid;

	if (!dibs_smcd_uuid(rgid, &uuid))
		return -ENETUNREACH;
	return dibs->ops->query_remote_gid(dibs, &uuid, vid_valid, vid);
}

static int dibs_smcd_register_dmb(struct smcd_dev *smcd,
				  struct smcd_dmb *dmb)
{
	struct dibs_dev *dibs = dibs_smcd_dibs(smcd);
	struct dibs_dmb ddmb = {
		.dmb_len = dmb->dmb_len,
		.idx = dmb->sba_idx,
		.vlan_valid = dmb->vlan_valid,
		.vlan_id = dmb->vlan_id,
	};
	int err;

	if (!dibs_smcd_uuid(dmb->rgid, &ddmb.rgid))
		return -ENETUNREACH;
	err = dibs->ops->register_dmb(dibs, &ddmb, &dibs_smcd_client);
	if (err)
		return err;
	/* smcd->conn[] has max_dmbs entries; SMC reads cpu_addr's page */
	if (ddmb.idx >= dibs->ops->max_dmbs() ||
	    !virt_addr_valid(ddmb.cpu_addr)) {
		dev_warn_ratelimited(&dibs->dev,
				     "DMB index %u or address unusable for SMC-D\n",
				     ddmb.idx);
		dibs->ops->unregister_dmb(dibs, &ddmb);
		return -EINVAL;
	}
	dmb->dmb_tok = ddmb.dmb_tok;
	dmb->sba_idx = ddmb.idx;
	dmb->cpu_addr = ddmb.cpu_addr;
	/* SMC never unregisters a DMB whose dma_addr is 0 */
	dmb->dma_addr = ddmb.dma_addr ?: DMA_MAPPING_ERROR;
	return 0;
}

static int dibs_smcd_unregister_dmb(struct smcd_dev *smcd,
				    struct smcd_dmb *dmb)
{
	struct dibs_dev *dibs = dibs_smcd_dibs(smcd);
	struct dibs_dmb ddmb = {
		.dmb_tok = dmb->dmb_tok,
		.idx = dmb->sba_idx,
		.cpu_addr = dmb->cpu_addr,
		.dmb_len = dmb->dmb_len,
		.dma_addr = dmb->dma_addr,
	};

	return dibs->ops->unregister_dmb(dibs, &ddmb);
}

static void dibs_smcd_vlan_work(struct work_struct *work)
{
	struct dibs_smcd *ds = container_of(work, struct dibs_smcd, vlan_work);
	struct dibs_smcd_vlan_op *op;
	int err;

	for (;;) {
		spin_lock_irq(&ds->vlan_lock);
		op = list_first_entry_or_null(&ds->vlan_ops,
					      struct dibs_smcd_vlan_op, list);
		if (op)
			list_del(&op->list);
		spin_unlock_irq(&ds->vlan_lock);
		if (!op)
			break;
		if (op->add)
			err = dibs_add_vlan_id(ds->dibs, &dibs_smcd_client,
					       op->vlan_id);
		else
			err = dibs_del_vlan_id(ds->dibs, &dibs_smcd_client,
					       op->vlan_id);
		/* -ENODEV: unbound meanwhile, which dropped the references */
		if (err && err != -ENODEV)
			dev_warn(&ds->dibs->dev, "VLAN %llu %s failed: %d\n",
				 op->vlan_id, op->add ? "add" : "del", err);
		kfree(op);
	}
}

/* SMC holds smcd->lock with IRQs off here: queue, never sleep */
static int dibs_smcd_queue_vlan(struct smcd_dev *smcd, u64 vlan_id, bool add)
{
	struct dibs_smcd *ds = smcd->priv;
	struct dibs_smcd_vlan_op *op;
	unsigned long flags;

	if (vlan_id > VLAN_N_VID - 1)
		return -EINVAL;
	op = kzalloc(sizeof(*op), GFP_ATOMIC);
	if (!op)
		return -ENOMEM;
	op->vlan_id = vlan_id;
	op->add = add;
	spin_lock_irqsave(&ds->vlan_lock, flags);
	list_add_tail(&op->list, &ds->vlan_ops);
	spin_unlock_irqrestore(&ds->vlan_lock, flags);
	schedule_work(&ds->vlan_work);
	return 0;
}

static int dibs_smcd_add_vlan_id(struct smcd_dev *smcd, u64 vlan_id)
{
	return dibs_smcd_queue_vlan(smcd, vlan_id, true);
}

static int dibs_smcd_del_vlan_id(struct smcd_dev *smcd, u64 vlan_id)
{
	return dibs_smcd_queue_vlan(smcd, vlan_id, false);
}

/* dibs has no "VLAN required" mode: a device serves every VLAN it joined */
static int dibs_smcd_vlan_required(struct smcd_dev *smcd)
{
	return 0;
}

static int dibs_smcd_signal_event(struct smcd_dev *smcd, u64 rgid,
				  u32 trigger_irq, u32 event_code, u64 info)
{
	struct dibs_dev *dibs = dibs_smcd_dibs(smcd);
	uuid_t uuid;

	if (!dibs->ops->signal_event)
		return -EOPNOTSUPP;
	if (!dibs_smcd_uuid(rgid, &uuid))
		return -ENETUNREACH;
	return dibs->ops->signal_event(dibs, &uuid, trigger_irq, event_code,
				       info);
}

static int dibs_smcd_move_data(struct smcd_dev *smcd, u64 dmb_tok,
			       unsigned int idx, bool sf, unsigned int offset,
			       void *data, unsigned int size)
{
	struct dibs_dev *dibs = dibs_smcd_dibs(smcd);

	return dibs->ops->move_data(dibs, dmb_tok, idx, sf, offset, data,
				    size);
}

static u8 *dibs_smcd_get_system_eid(void)
{
	return dibs_smcd_seid;
}

/*
 * SMC offers one device per CHID.  Loopback devices all share one fabric
 * but reach only themselves, so each gets a CHID of its own.
 */
static u16 dibs_smcd_get_chid(struct smcd_dev *smcd)
{
	struct dibs_dev *dibs = dibs_smcd_dibs(smcd);
	u16 fabric = dibs->ops->get_fabric_id(dibs);

	if (fabric == DIBS_LOOPBACK_FABRIC)
		return 0xff00 | (dibs->index & 0xff);
	return fabric;
}

static const struct smcd_ops dibs_smcd_ops = {
	.query_remote_gid = dibs_smcd_query_rgid,
	.register_dmb = dibs_smcd_register_dmb,
	.unregister_dmb = dibs_smcd_unregister_dmb,
	.add_vlan_id = dibs_smcd_add_vlan_id,
	.del_vlan_id = dibs_smcd_del_vlan_id,
	.set_vlan_required = dibs_smcd_vlan_required,
	.reset_vlan_required = dibs_smcd_vlan_required,
	.signal_event = dibs_smcd_signal_event,
	.move_data = dibs_smcd_move_data,
	.get_system_eid = dibs_smcd_get_system_eid,
	.get_chid = dibs_smcd_get_chid,
};

static void dibs_smcd_parent_release(struct device *dev)
{
	kfree(to_pci_dev(dev));
}

/* the parent SMC may read as a PCI device: zeroed, named after @dibs */
static struct pci_dev *dibs_smcd_parent_add(struct dibs_dev *dibs)
{
	struct pci_dev *pdev;
	int err;

	pdev = kzalloc(sizeof(*pdev), GFP_KERNEL);
	if (!pdev)
		return NULL;
	device_initialize(&pdev->dev);
	pdev->dev.parent = &dibs->dev;
	pdev->dev.release = dibs_smcd_parent_release;
	err = dev_set_name(&pdev->dev, "smcd-%s", dev_name(&dibs->dev));
	if (!err)
		err = device_add(&pdev->dev);
	if (err) {
		put_device(&pdev->dev);
		return NULL;
	}
	return pdev;
}

static void dibs_smcd_free(struct dibs_smcd *ds)
{
	struct dibs_smcd_vlan_op *op, *tmp;

	cancel_work_sync(&ds->vlan_work);
	/* the dibs layer drops our VLAN references with the binding */
	list_for_each_entry_safe(op, tmp, &ds->vlan_ops, list)
		kfree(op);
	kfree(ds);
}

/* unregister from SMC: ends its link groups and frees their DMBs */
static void dibs_smcd_teardown(struct dibs_smcd *ds)
{
	struct smcd_dev *smcd = ds->smcd;
	unsigned long flags;

	if (!smcd)
		return;
	smcd_unregister_dev(smcd);
	/*
	 * Handlers run under dibs->lock: once it is dropped here, none
	 * still uses the SMC-D device (at unload the binding stays).
	 */
	spin_lock_irqsave(&ds->dibs->lock, flags);
	ds->smcd = NULL;
	spin_unlock_irqrestore(&ds->dibs->lock, flags);
	smcd_free_dev(smcd);
	device_unregister(&ds->parent->dev);
	ds->parent = NULL;
	flush_work(&ds->vlan_work);
}

static void dibs_smcd_add_dev(struct dibs_dev *dibs)
{
	struct dibs_smcd *ds, *other;
	struct smcd_dev *smcd;
	int err = -ENOMEM;

	mutex_lock(&dibs_smcd_mutex);
	if (dibs_smcd_unloading)
		goto out_unlock;
	ds = kzalloc(sizeof(*ds), GFP_KERNEL);
	if (!ds)
		goto err_msg;
	ds->dibs = dibs;
	ds->gid = dibs_smcd_gid(&dibs->gid);
	spin_lock_init(&ds->vlan_lock);
	INIT_LIST_HEAD(&ds->vlan_ops);
	INIT_WORK(&ds->vlan_work, dibs_smcd_vlan_work);
	/* SMC reads GID 0 as "all peers" and cannot tell equal GIDs apart */
	err = -EEXIST;
	if (!ds->gid)
		goto err_free_ds;
	list_for_each_entry(other, &dibs_smcd_devs, list)
		if (other->gid == ds->gid)
			goto err_free_ds;

	err = -ENOMEM;
	ds->parent = dibs_smcd_parent_add(dibs);
	if (!ds->parent)
		goto err_free_ds;
	smcd = smcd_alloc_dev(&ds->parent->dev, dev_name(&dibs->dev),
			      &dibs_smcd_ops, dibs->ops->max_dmbs());
	if (!smcd)
		goto err_del_parent;
	smcd->priv = ds;
	smcd->local_gid = ds->gid;
	ds->smcd = smcd;

	/* SMC's ops may look the device up as soon as it is registered */
	spin_lock_irq(&dibs_smcd_devs_lock);
	list_add_tail(&ds->list, &dibs_smcd_devs);
	spin_unlock_irq(&dibs_smcd_devs_lock);
	err = smcd_register_dev(smcd);
	if (err)
		goto err_unlist;
	dibs_set_priv(dibs, &dibs_smcd_client, ds);
	mutex_unlock(&dibs_smcd_mutex);
	return;

err_unlist:
	spin_lock_irq(&dibs_smcd_devs_lock);
	list_del(&ds->list);
	spin_unlock_irq(&dibs_smcd_devs_lock);
	smcd_free_dev(smcd);
err_del_parent:
	device_unregister(&ds->parent->dev);
err_free_ds:
	kfree(ds);
err_msg:
	dev_err(&dibs->dev, "not usable for SMC-D: %s (%d)\n",
		err == -EEXIST ? "its GID folds to 0 or to another device's" :
		"registration failed", err);
out_unlock:
	mutex_unlock(&dibs_smcd_mutex);
}

static void dibs_smcd_del_dev(struct dibs_dev *dibs)
{
	struct dibs_smcd *ds = dibs_get_priv(dibs, &dibs_smcd_client);

	if (!ds)
		return;
	mutex_lock(&dibs_smcd_mutex);
	dibs_smcd_teardown(ds);
	spin_lock_irq(&dibs_smcd_devs_lock);
	list_del(&ds->list);
	spin_unlock_irq(&dibs_smcd_devs_lock);
	dibs_set_priv(dibs, &dibs_smcd_client, NULL);
	mutex_unlock(&dibs_smcd_mutex);
	dibs_smcd_free(ds);
}

static void dibs_smcd_handle_irq(struct dibs_dev *dibs, unsigned int idx,
				 u16 dmbemask)
{
	struct dibs_smcd *ds = dibs_get_priv(dibs, &dibs_smcd_client);

	if (ds && ds->smcd)
		smcd_handle_irq(ds->smcd, idx, dmbemask);
}

static void dibs_smcd_handle_event(struct dibs_dev *dibs,
				   const struct dibs_event *event)
{
	struct dibs_smcd *ds = dibs_get_priv(dibs, &dibs_smcd_client);
	struct smcd_event ev = {
		.code = event->subtype,
		.time = event->time,
		.info = event->data,
	};

	if (!ds || !ds->smcd)
		return;
	switch (event->type) {
	case DIBS_BUF_EVENT:
		ev.type = ISM_EVENT_DMB;
		ev.tok = event->buffer_tok;
		break;
	case DIBS_DEV_EVENT:
		ev.type = ISM_EVENT_GID;
		ev.tok = dibs_smcd_gid(&event->gid);
		break;
	case DIBS_SW_EVENT:
		/* SMC answers and terminates by the sender's GID */
		ev.type = ISM_EVENT_SWR;
		ev.tok = dibs_smcd_gid(&event->gid);
		break;
	default:
		return;
	}
	smcd_handle_event(ds->smcd, &ev);
}

static const struct dibs_client_ops dibs_smcd_client_ops = {
	.add_dev = dibs_smcd_add_dev,
	.del_dev = dibs_smcd_del_dev,
	.handle_irq = dibs_smcd_handle_irq,
	.handle_event = dibs_smcd_handle_event,
};

static struct dibs_client dibs_smcd_client = {
	.name = "smcd",
	.ops = &dibs_smcd_client_ops,
};

static int __init dibs_smcd_init(void)
{
	return dibs_register_client(&dibs_smcd_client);
}

static void __exit dibs_smcd_exit(void)
{
	struct dibs_smcd *ds;
	int err;

	/*
	 * SMC keeps idle link groups and their DMBs for minutes, and the
	 * dibs layer refuses to unregister a client holding DMBs: end SMC's
	 * use of every device first.
	 */
	mutex_lock(&dibs_smcd_mutex);
	dibs_smcd_unloading = true;
	list_for_each_entry(ds, &dibs_smcd_devs, list)
		dibs_smcd_teardown(ds);
	mutex_unlock(&dibs_smcd_mutex);
	err = dibs_unregister_client(&dibs_smcd_client);
	if (err)
		pr_err("unregistering from dibs failed: %d\n", err);
}

module_init(dibs_smcd_init);
module_exit(dibs_smcd_exit);
