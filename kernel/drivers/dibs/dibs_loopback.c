// SPDX-License-Identifier: GPL-2.0
/*
 * dibs loopback devices: software dibs devices on the loopback fabric.  A
 * loopback device reaches only itself, so a client both owns and writes the
 * DMBs of the device, which lets dibs clients talk within one system.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/bitmap.h>
#include <linux/bitops.h>
#include <linux/dma-mapping.h>
#include <linux/gfp.h>
#include <linux/hashtable.h>
#include <linux/list.h>
#include <linux/lockdep.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/random.h>
#include <linux/rwlock.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/string.h>

#include "dibs_loopback.h"
#include "dibs_priv.h"

static bool default_loopback = true;
module_param(default_loopback, bool, 0444);
MODULE_PARM_DESC(default_loopback,
		 "Create the loopback device \"" DIBS_LO_DEFAULT_NAME "\" at load (default: Y)");

#define DIBS_LO_TOKEN_HASH_BITS	9

struct dibs_lo_dmb {
	struct hlist_node token_node;
	u64 token;
	/* the only device allowed to write into the DMB */
	uuid_t rgid;
	void *cpu_addr;
	u32 len;
	u32 idx;
	u8 client_id;
	/* between register_dmb() and unregister_dmb() */
	bool registered;
	/* attach_dmb() calls not yet balanced by detach_dmb() */
	unsigned int attach_count;
};

struct dibs_lo_dev {
	struct dibs_dev *dibs;
	/* entry in dibs_lo_devs */
	struct list_head list;
	/*
	 * Protects the fields below.  Moves only read the table and copy
	 * under the read side, so senders into different DMBs, or the same,
	 * run side by side.
	 */
	rwlock_t lock;
	/* removal has begun: no DMB may be registered or attached any more */
	bool removing;
	/* registered DMBs, and unregistered ones that are still attached */
	DECLARE_HASHTABLE(dmbs_by_token, DIBS_LO_TOKEN_HASH_BITS);
	/* indexes of the DMBs in dmbs_by_token */
	DECLARE_BITMAP(used_idx, DIBS_LO_MAX_DMBS);
};

/* all loopback devices; dibs_devs_lock protects it */
static LIST_HEAD(dibs_lo_devs);

static const struct dibs_dev_ops dibs_lo_ops;
static struct dibs_dev_kind dibs_lo_kind;

static u16 dibs_lo_get_fabric_id(struct dibs_dev *dibs)
{
	return DIBS_LOOPBACK_FABRIC;
}

static int dibs_lo_query_remote_gid(struct dibs_dev *dibs, const uuid_t *rgid,
				    u32 vid_valid, u32 vid)
{
	return uuid_equal(rgid, &dibs->gid) ? 0 : -ENETUNREACH;
}

static int dibs_lo_max_dmbs(void)
{
	return DIBS_LO_MAX_DMBS;
}

static struct dibs_lo_dmb *dibs_lo_find_dmb(struct dibs_lo_dev *ldev,
					    u64 token)
{
	struct dibs_lo_dmb *dmb;

	lockdep_assert_held(&ldev->lock);
	hash_for_each_possible(ldev->dmbs_by_token, dmb, token_node, token)
		if (dmb->token == token)
			return dmb;
	return NULL;
}

static void dibs_lo_set_owner(struct dibs_dev *dibs, u32 idx, u8 client_id)
{
	unsigned long flags;

	spin_lock_irqsave(&dibs->lock, flags);
	if (dibs->dmb_clientid_arr)
		dibs->dmb_clientid_arr[idx] = client_id;
	spin_unlock_irqrestore(&dibs->lock, flags);
}

static void *dibs_lo_alloc_buf(u32 len)
{
	struct page *page;

	/*
	 * A client falls back to another transport: no retries, no warning.
	 * The memory is charged to the registering task's memory cgroup, so
	 * that /dev/dibs users pay for their DMBs.
	 */
	page = alloc_pages(GFP_KERNEL_ACCOUNT | __GFP_ZERO | __GFP_NOWARN |
			   __GFP_NORETRY, get_order(len));
	return page ? page_address(page) : NULL;
}

static void dibs_lo_free_dmb(struct dibs_lo_dmb *dmb)
{
	free_pages((unsigned long)dmb->cpu_addr, get_order(dmb->len));
	kfree(dmb);
}

/*
 * Take @dmb out of the table once it is neither registered nor attached.
 * Returns true if the caller must free it, after dropping ldev->lock.
 */
static bool dibs_lo_unlink_unused(struct dibs_lo_dev *ldev,
				  struct dibs_lo_dmb *dmb)
{
	lockdep_assert_held_write(&ldev->lock);
	if (dmb->registered || dmb->attach_count)
		return false;
	hash_del(&dmb->token_node);
	__clear_bit(dmb->idx, ldev->used_idx);
	return true;
}

/* gives @dmb an index (@wanted_idx if free) and a token and publishes it */
static int dibs_lo_insert_dmb(struct dibs_lo_dev *ldev,
			      struct dibs_lo_dmb *dmb, u32 wanted_idx)
{
	unsigned long idx = DIBS_LO_MAX_DMBS;

	write_lock_bh(&ldev->lock);
	if (ldev->removing) {
		write_unlock_bh(&ldev->lock);
		return -ENODEV;
	}
	if (wanted_idx < DIBS_LO_MAX_DMBS)
		idx = find_next_zero_bit(ldev->used_idx, DIBS_LO_MAX_DMBS,
					 wanted_idx);
	if (idx >= DIBS_LO_MAX_DMBS)
		idx = find_first_zero_bit(ldev->used_idx, DIBS_LO_MAX_DMBS);
	if (idx >= DIBS_LO_MAX_DMBS) {
		write_unlock_bh(&ldev->lock);
		return -ENOSPC;
	}
	/* unique on the device, which is its own fabric; 0 means "none" */
	do {
		dmb->token = get_random_u64();
	} while (!dmb->token || dibs_lo_find_dmb(ldev, dmb->token));
	dmb->idx = idx;
	dmb->registered = true;
	__set_bit(idx, ldev->used_idx);
	hash_add(ldev->dmbs_by_token, &dmb->token_node, dmb->token);
	dibs_lo_set_owner(ldev->dibs, idx, dmb->client_id);
	write_unlock_bh(&ldev->lock);
	return 0;
}

/* ends a registration; true if the caller must free @lo_dmb */
static bool dibs_lo_unregister_locked(struct dibs_lo_dev *ldev,
				      struct dibs_lo_dmb *lo_dmb)
{
	lockdep_assert_held_write(&ldev->lock);
	lo_dmb->registered = false;
	dibs_lo_set_owner(ldev->dibs, lo_dmb->idx, NO_DIBS_CLIENT);
	return dibs_lo_unlink_unused(ldev, lo_dmb);
}

static int dibs_lo_register_dmb(struct dibs_dev *dibs, struct dibs_dmb *dmb,
				struct dibs_client *client)
{
	struct dibs_lo_dev *ldev = dibs->drv_priv;
	struct dibs_lo_dmb *lo_dmb;
	bool unused;
	int err;

	if (!dmb->dmb_len) {
		err = -EINVAL;
		goto err_count;
	}
	lo_dmb = kzalloc(sizeof(*lo_dmb), GFP_KERNEL);
	if (!lo_dmb) {
		err = -ENOMEM;
		goto err_count;
	}
	lo_dmb->len = dmb->dmb_len;
	uuid_copy(&lo_dmb->rgid, &dmb->rgid);
	lo_dmb->client_id = client->id;
	lo_dmb->cpu_addr = dibs_lo_alloc_buf(lo_dmb->len);
	if (!lo_dmb->cpu_addr) {
		err = -ENOMEM;
		goto err_free_lo_dmb;
	}
	err = dibs_lo_insert_dmb(ldev, lo_dmb, dmb->idx);
	if (err)
		goto err_free_buf;

	dmb->dmb_tok = lo_dmb->token;
	dmb->cpu_addr = lo_dmb->cpu_addr;
	dmb->idx = lo_dmb->idx;
	dmb->dma_addr = DMA_MAPPING_ERROR;
	/* refused if the client is no longer bound: undo, then */
	err = dibs_dmb_track_add(dibs, dmb, client);
	if (err) {
		write_lock_bh(&ldev->lock);
		unused = dibs_lo_unregister_locked(ldev, lo_dmb);
		write_unlock_bh(&ldev->lock);
		if (unused)
			dibs_lo_free_dmb(lo_dmb);
		return err;
	}
	return 0;

err_free_buf:
	free_pages((unsigned long)lo_dmb->cpu_addr, get_order(lo_dmb->len));
err_free_lo_dmb:
	kfree(lo_dmb);
err_count:
	dibs_dmb_track_fail(dibs, client, err);
	return err;
}

static int dibs_lo_unregister_dmb(struct dibs_dev *dibs, struct dibs_dmb *dmb)
{
	struct dibs_lo_dev *ldev = dibs->drv_priv;
	struct dibs_dmb gone = { .dmb_tok = dmb->dmb_tok };
	struct dibs_lo_dmb *lo_dmb;
	bool unused;

	write_lock_bh(&ldev->lock);
	lo_dmb = dibs_lo_find_dmb(ldev, dmb->dmb_tok);
	if (!lo_dmb || !lo_dmb->registered) {
		write_unlock_bh(&ldev->lock);
		return -EINVAL;
	}
	gone.idx = lo_dmb->idx;
	unused = dibs_lo_unregister_locked(ldev, lo_dmb);
	write_unlock_bh(&ldev->lock);

	dibs_dmb_track_del(dibs, &gone);
	if (unused)
		dibs_lo_free_dmb(lo_dmb);
	return 0;
}

static int dibs_lo_move_data(struct dibs_dev *dibs, u64 dmb_tok,
			     unsigned int idx, bool sf, unsigned int offset,
			     void *data, unsigned int size)
{
	struct dibs_lo_dev *ldev = dibs->drv_priv;
	struct dibs_client *owner = NULL;
	struct dibs_lo_dmb *lo_dmb;
	u32 dmb_idx = U32_MAX;
	unsigned long flags;
	u8 owner_id;
	int err = 0;

	read_lock_bh(&ldev->lock);
	lo_dmb = dibs_lo_find_dmb(ldev, dmb_tok);
	if (!lo_dmb || !lo_dmb->registered || offset > lo_dmb->len ||
	    size > lo_dmb->len - offset)
		err = -EINVAL;
	else if (!uuid_equal(&lo_dmb->rgid, &dibs->gid))
		err = -EACCES;
	if (lo_dmb)
		dmb_idx = lo_dmb->idx;
	if (!err)
		memcpy(lo_dmb->cpu_addr + offset, data, size);
	read_unlock_bh(&ldev->lock);

	dibs_dmb_track_move(dibs, dmb_idx, dmb_tok, size, sf, err);
	if (err || !sf)
		return err;
	spin_lock_irqsave(&dibs->lock, flags);
	owner_id = dibs->dmb_clientid_arr ? dibs->dmb_clientid_arr[dmb_idx] :
					    NO_DIBS_CLIENT;
	if (owner_id != NO_DIBS_CLIENT)
		owner = dibs->subs[owner_id];
	/* the signal mask counts bits from 0x1000 downwards, as ISM does */
	if (owner && owner->ops->handle_irq)
		owner->ops->handle_irq(dibs, dmb_idx, ror16(0x1000, idx));
	spin_unlock_irqrestore(&dibs->lock, flags);
	return 0;
}

/* a loopback device reaches only itself: the event goes to its clients */
static int dibs_lo_signal_event(struct dibs_dev *dibs, const uuid_t *rgid,
				u32 trigger_irq, u32 event_code, u64 info)
{
	struct dibs_event event = {
		.type = DIBS_SW_EVENT,
		.subtype = event_code,
		.data = info,
	};
	struct dibs_client *client;
	unsigned long flags;
	u8 id;

	if (!uuid_equal(rgid, &dibs->gid))
		return -ENETUNREACH;
	uuid_copy(&event.gid, &dibs->gid);
	spin_lock_irqsave(&dibs->lock, flags);
	for (id = 0; id < MAX_DIBS_CLIENTS; id++) {
		client = dibs->subs[id];
		if (client && client->ops->handle_event) {
			client->ops->handle_event(dibs, &event);
			dibs_track_count_event(dibs, id);
		}
	}
	spin_unlock_irqrestore(&dibs->lock, flags);
	return 0;
}

static int dibs_lo_support_mmapped_rdmb(struct dibs_dev *dibs)
{
	/* the "remote" DMB is local memory: the writer can store into it */
	return 1;
}

static int dibs_lo_attach_dmb(struct dibs_dev *dibs, struct dibs_dmb *dmb)
{
	struct dibs_lo_dev *ldev = dibs->drv_priv;
	struct dibs_lo_dmb *lo_dmb;

	write_lock_bh(&ldev->lock);
	if (ldev->removing) {
		write_unlock_bh(&ldev->lock);
		return -ENODEV;
	}
	lo_dmb = dibs_lo_find_dmb(ldev, dmb->dmb_tok);
	if (!lo_dmb || !lo_dmb->registered) {
		write_unlock_bh(&ldev->lock);
		return -EINVAL;
	}
	/* this device writes through the mapping: it must be the writer */
	if (!uuid_equal(&lo_dmb->rgid, &dibs->gid)) {
		write_unlock_bh(&ldev->lock);
		return -EACCES;
	}
	lo_dmb->attach_count++;
	dmb->cpu_addr = lo_dmb->cpu_addr;
	dmb->dma_addr = DMA_MAPPING_ERROR;
	dmb->dmb_len = lo_dmb->len;
	dmb->idx = lo_dmb->idx;
	write_unlock_bh(&ldev->lock);
	dibs_dmb_track_attach(dibs, dmb->idx, dmb->dmb_tok, true);
	return 0;
}

static int dibs_lo_detach_dmb(struct dibs_dev *dibs, u64 token)
{
	struct dibs_lo_dev *ldev = dibs->drv_priv;
	struct dibs_lo_dmb *lo_dmb;
	bool unused;
	u32 idx;

	write_lock_bh(&ldev->lock);
	lo_dmb = dibs_lo_find_dmb(ldev, token);
	if (!lo_dmb || !lo_dmb->attach_count) {
		write_unlock_bh(&ldev->lock);
		return -EINVAL;
	}
	lo_dmb->attach_count--;
	idx = lo_dmb->idx;
	unused = dibs_lo_unlink_unused(ldev, lo_dmb);
	write_unlock_bh(&ldev->lock);

	dibs_dmb_track_attach(dibs, idx, token, false);

	if (unused)
		dibs_lo_free_dmb(lo_dmb);
	return 0;
}

static const struct dibs_dev_ops dibs_lo_ops = {
	.get_fabric_id = dibs_lo_get_fabric_id,
	.query_remote_gid = dibs_lo_query_remote_gid,
	.max_dmbs = dibs_lo_max_dmbs,
	.register_dmb = dibs_lo_register_dmb,
	.unregister_dmb = dibs_lo_unregister_dmb,
	.move_data = dibs_lo_move_data,
	.signal_event = dibs_lo_signal_event,
	.support_mmapped_rdmb = dibs_lo_support_mmapped_rdmb,
	.attach_dmb = dibs_lo_attach_dmb,
	.detach_dmb = dibs_lo_detach_dmb,
};

/* frees what clients left behind after their del_dev() */
static void dibs_lo_free_leftover_dmbs(struct dibs_lo_dev *ldev)
{
	const char *name = dev_name(&ldev->dibs->dev);
	struct dibs_lo_dmb *lo_dmb;
	struct hlist_node *tmp;
	HLIST_HEAD(leftovers);
	int bkt;

	write_lock_bh(&ldev->lock);
	hash_for_each_safe(ldev->dmbs_by_token, bkt, tmp, lo_dmb, token_node) {
		hash_del(&lo_dmb->token_node);
		hlist_add_head(&lo_dmb->token_node, &leftovers);
	}
	bitmap_zero(ldev->used_idx, DIBS_LO_MAX_DMBS);
	write_unlock_bh(&ldev->lock);

	hlist_for_each_entry_safe(lo_dmb, tmp, &leftovers, token_node) {
		if (lo_dmb->registered)
			pr_warn("%s: client %s did not unregister DMB %u (%u bytes) in del_dev(); freeing it\n",
				name, dibs_client_name(lo_dmb->client_id),
				lo_dmb->idx, lo_dmb->len);
		else
			pr_warn("%s: DMB %u (%u bytes) of client %s is still attached; freeing it\n",
				name, lo_dmb->idx, lo_dmb->len,
				dibs_client_name(lo_dmb->client_id));
		hlist_del(&lo_dmb->token_node);
		dibs_lo_free_dmb(lo_dmb);
	}
}

/* dibs_lo_kind.create() */
static int dibs_lo_dev_create_locked(const char *name, const uuid_t *gid,
				     struct dibs_dev **dibsp)
{
	struct dibs_lo_dev *ldev;
	struct dibs_dev *dibs;
	int err;

	lockdep_assert_held(&dibs_devs_lock);
	ldev = kzalloc(sizeof(*ldev), GFP_KERNEL);
	if (!ldev)
		return -ENOMEM;
	rwlock_init(&ldev->lock);
	hash_init(ldev->dmbs_by_token);

	dibs = dibs_dev_alloc();
	if (!dibs) {
		err = -ENOMEM;
		goto err_free_ldev;
	}
	ldev->dibs = dibs;
	dibs->drv_priv = ldev;
	dibs->ops = &dibs_lo_ops;
	dibs->kind = &dibs_lo_kind;
	uuid_copy(&dibs->gid, gid);
	err = dev_set_name(&dibs->dev, "%s", name);
	if (err)
		goto err_put_dibs;
	err = dibs_dev_add_locked(dibs);
	if (err)
		goto err_put_dibs;

	list_add_tail(&ldev->list, &dibs_lo_devs);
	if (dibsp)
		*dibsp = dibs;
	return 0;

err_put_dibs:
	put_device(&dibs->dev);
err_free_ldev:
	kfree(ldev);
	return err;
}

/* dibs_lo_kind.destroy() */
static int dibs_lo_dev_destroy_locked(struct dibs_dev *dibs, bool force,
				      unsigned int *dmbs_in_use)
{
	struct dibs_lo_dev *ldev = dibs->drv_priv;
	unsigned int in_use;

	lockdep_assert_held(&dibs_devs_lock);
	/*
	 * Checking for DMBs and closing the device to new ones is one step
	 * under ldev->lock, which register_dmb() takes too: no DMB can be
	 * registered between the check and the removal.
	 */
	write_lock_bh(&ldev->lock);
	in_use = dibs_dev_dmbs_in_use(dibs);
	if (dmbs_in_use)
		*dmbs_in_use = in_use;
	if (in_use && !force) {
		write_unlock_bh(&ldev->lock);
		return -EBUSY;
	}
	ldev->removing = true;
	write_unlock_bh(&ldev->lock);

	/* every client's del_dev() is meant to unregister its DMBs */
	dibs_dev_del_locked(dibs);
	dibs_lo_free_leftover_dmbs(ldev);
	list_del(&ldev->list);
	put_device(&dibs->dev);
	kfree(ldev);
	return 0;
}

static struct dibs_dev_kind dibs_lo_kind = {
	.name = "loopback",
	.type = DIBS_DEV_TYPE_LOOPBACK,
	.name_prefix = DIBS_LO_DEFAULT_NAME,
	.owner = THIS_MODULE,
	.create = dibs_lo_dev_create_locked,
	.destroy = dibs_lo_dev_destroy_locked,
};

int dibs_loopback_init(void)
{
	uuid_t gid;
	int err;

	err = dibs_dev_kind_register(&dibs_lo_kind);
	if (err)
		return err;
	if (!default_loopback)
		return 0;
	uuid_gen(&gid);
	mutex_lock(&dibs_devs_lock);
	err = dibs_lo_dev_create_locked(DIBS_LO_DEFAULT_NAME, &gid, NULL);
	mutex_unlock(&dibs_devs_lock);
	if (err) {
		pr_err("cannot create loopback device %s: %d\n",
		       DIBS_LO_DEFAULT_NAME, err);
		dibs_dev_kind_unregister(&dibs_lo_kind);
	}
	return err;
}

void dibs_loopback_exit(void)
{
	struct dibs_lo_dev *ldev, *tmp;

	/* no dev-new may create a device behind our back from here on */
	dibs_dev_kind_unregister(&dibs_lo_kind);
	mutex_lock(&dibs_devs_lock);
	list_for_each_entry_safe(ldev, tmp, &dibs_lo_devs, list)
		dibs_lo_dev_destroy_locked(ldev->dibs, true, NULL);
	mutex_unlock(&dibs_devs_lock);
}
