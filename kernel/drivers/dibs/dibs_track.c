// SPDX-License-Identifier: GPL-2.0
/*
 * What the dibs layer sees of its devices: clients call dibs->ops, which
 * points to a per-device copy whose operations record DMBs, moves and VLAN
 * references before or after calling the driver's own operation.  Also the
 * statistics of devices and clients.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/bitops.h>
#include <linux/dibs.h>
#include <linux/err.h>
#include <linux/hashtable.h>
#include <linux/list.h>
#include <linux/lockdep.h>
#include <linux/minmax.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/percpu.h>
#include <linux/slab.h>
#include <linux/sort.h>
#include <linux/spinlock.h>
#include <linux/string.h>
#include <linux/u64_stats_sync.h>
#include <uapi/linux/dibs.h>

#include "dibs_priv.h"

#define DIBS_VLAN_ID_MAX	4095

/* Statistics */

static int dibs_stats_init(struct dibs_stats *stats)
{
	int cpu;

	spin_lock_init(&stats->lock);
	stats->pcpu = alloc_percpu(struct dibs_stats_pcpu);
	if (!stats->pcpu)
		return -ENOMEM;
	for_each_possible_cpu(cpu)
		u64_stats_init(&per_cpu_ptr(stats->pcpu, cpu)->syncp);
	return 0;
}

static void dibs_stats_destroy(struct dibs_stats *stats)
{
	free_percpu(stats->pcpu);
	stats->pcpu = NULL;
}

static void dibs_stats_sum(struct dibs_stats *stats,
			   struct dibs_stats_vals *sum)
{
	u64 moves, move_bytes, move_errors, signals, events;
	unsigned int start;
	int cpu;

	sum->moves = 0;
	sum->move_bytes = 0;
	sum->move_errors = 0;
	sum->signals = 0;
	sum->events = 0;
	for_each_possible_cpu(cpu) {
		struct dibs_stats_pcpu *pcpu = per_cpu_ptr(stats->pcpu, cpu);

		do {
			start = u64_stats_fetch_begin(&pcpu->syncp);
			moves = u64_stats_read(&pcpu->moves);
			move_bytes = u64_stats_read(&pcpu->move_bytes);
			move_errors = u64_stats_read(&pcpu->move_errors);
			signals = u64_stats_read(&pcpu->signals);
			events = u64_stats_read(&pcpu->events);
		} while (u64_stats_fetch_retry(&pcpu->syncp, start));
		sum->moves += moves;
		sum->move_bytes += move_bytes;
		sum->move_errors += move_errors;
		sum->signals += signals;
		sum->events += events;
	}
}

void dibs_stats_read(struct dibs_stats *stats, struct dibs_stats_vals *vals)
{
	struct dibs_stats_vals sum;
	unsigned long flags;

	dibs_stats_sum(stats, &sum);
	spin_lock_irqsave(&stats->lock, flags);
	*vals = stats->slow;
	vals->moves = sum.moves - stats->base.moves;
	vals->move_bytes = sum.move_bytes - stats->base.move_bytes;
	vals->move_errors = sum.move_errors - stats->base.move_errors;
	vals->signals = sum.signals - stats->base.signals;
	vals->events = sum.events - stats->base.events;
	spin_unlock_irqrestore(&stats->lock, flags);
}

void dibs_stats_reset(struct dibs_stats *stats)
{
	struct dibs_stats_vals sum;
	unsigned long flags;

	dibs_stats_sum(stats, &sum);
	spin_lock_irqsave(&stats->lock, flags);
	stats->base = sum;
	stats->slow.dmbs_max_in_use = stats->slow.dmbs_in_use;
	stats->slow.registrations = 0;
	stats->slow.unregistrations = 0;
	stats->slow.fail_nospc = 0;
	stats->slow.fail_nomem = 0;
	stats->slow.fail_other = 0;
	spin_unlock_irqrestore(&stats->lock, flags);
}

static void dibs_stats_count_move(struct dibs_stats *stats, int err,
				  unsigned int size, bool sf)
{
	struct dibs_stats_pcpu *pcpu;
	unsigned long flags;

	pcpu = get_cpu_ptr(stats->pcpu);
	flags = u64_stats_update_begin_irqsave(&pcpu->syncp);
	u64_stats_inc(&pcpu->moves);
	if (err) {
		u64_stats_inc(&pcpu->move_errors);
	} else {
		u64_stats_add(&pcpu->move_bytes, size);
		if (sf)
			u64_stats_inc(&pcpu->signals);
	}
	u64_stats_update_end_irqrestore(&pcpu->syncp, flags);
	put_cpu_ptr(stats->pcpu);
}

static void dibs_stats_count_event(struct dibs_stats *stats)
{
	struct dibs_stats_pcpu *pcpu;
	unsigned long flags;

	pcpu = get_cpu_ptr(stats->pcpu);
	flags = u64_stats_update_begin_irqsave(&pcpu->syncp);
	u64_stats_inc(&pcpu->events);
	u64_stats_update_end_irqrestore(&pcpu->syncp, flags);
	put_cpu_ptr(stats->pcpu);
}

static void dibs_stats_count_register(struct dibs_stats *stats, int err)
{
	unsigned long flags;

	spin_lock_irqsave(&stats->lock, flags);
	if (!err) {
		stats->slow.registrations++;
		stats->slow.dmbs_in_use++;
		stats->slow.dmbs_max_in_use = max(stats->slow.dmbs_max_in_use,
						  stats->slow.dmbs_in_use);
	} else if (err == -ENOSPC) {
		stats->slow.fail_nospc++;
	} else if (err == -ENOMEM) {
		stats->slow.fail_nomem++;
	} else {
		stats->slow.fail_other++;
	}
	spin_unlock_irqrestore(&stats->lock, flags);
}

/* @unregistered: by unregister_dmb(), not dropped with its device */
static void dibs_stats_count_unregister(struct dibs_stats *stats,
					bool unregistered)
{
	unsigned long flags;

	spin_lock_irqsave(&stats->lock, flags);
	if (unregistered)
		stats->slow.unregistrations++;
	if (stats->slow.dmbs_in_use)
		stats->slow.dmbs_in_use--;
	spin_unlock_irqrestore(&stats->lock, flags);
}

/*
 * Client statistics live as long as the module: a move or an event may
 * still count for a client that is unregistering.
 */
static struct dibs_stats dibs_client_stats_arr[MAX_DIBS_CLIENTS];

struct dibs_stats *dibs_client_stats(u8 id)
{
	return id < MAX_DIBS_CLIENTS ? &dibs_client_stats_arr[id] : NULL;
}

void dibs_client_stats_restart(u8 id)
{
	struct dibs_stats *stats = dibs_client_stats(id);
	unsigned long flags;

	dibs_stats_reset(stats);
	spin_lock_irqsave(&stats->lock, flags);
	stats->slow.dmbs_in_use = 0;
	stats->slow.dmbs_max_in_use = 0;
	spin_unlock_irqrestore(&stats->lock, flags);
}

int dibs_client_stats_init(void)
{
	int id, err;

	for (id = 0; id < MAX_DIBS_CLIENTS; id++) {
		err = dibs_stats_init(&dibs_client_stats_arr[id]);
		if (err)
			goto err_destroy_stats;
	}
	return 0;

err_destroy_stats:
	while (id--)
		dibs_stats_destroy(&dibs_client_stats_arr[id]);
	return err;
}

void dibs_client_stats_exit(void)
{
	int id;

	for (id = 0; id < MAX_DIBS_CLIENTS; id++)
		dibs_stats_destroy(&dibs_client_stats_arr[id]);
}

/* DMBs */

static struct dibs_dmb_rec *dibs_track_find_dmb(struct dibs_dev_track *t,
						u64 token)
{
	struct dibs_dmb_rec *rec;

	lockdep_assert_held(&t->lock);
	hash_for_each_possible(t->dmbs_by_token, rec, token_node, token)
		if (rec->token == token)
			return rec;
	return NULL;
}

static void dibs_track_count_register(struct dibs_dev *dibs, u8 id, int err)
{
	dibs_stats_count_register(&dibs->track->stats, err);
	if (id < MAX_DIBS_CLIENTS)
		dibs_stats_count_register(dibs_client_stats(id), err);
}

static int dibs_track_register_dmb(struct dibs_dev *dibs,
				   struct dibs_dmb *dmb,
				   struct dibs_client *client)
{
	struct dibs_dev_track *t = dibs->track;
	struct dibs_dmb_rec *rec;
	unsigned long flags;
	u8 id = client ? client->id : NO_DIBS_CLIENT;
	int err;

	if (!dibs_track_bound(dibs, id)) {
		dibs_track_count_register(dibs, id, -ENODEV);
		return -ENODEV;
	}
	/* before the driver: nothing may fail once it registered the DMB */
	rec = kzalloc(sizeof(*rec), GFP_KERNEL);
	if (!rec) {
		dibs_track_count_register(dibs, id, -ENOMEM);
		return -ENOMEM;
	}
	err = dibs->drv_ops->register_dmb(dibs, dmb, client);
	dibs_track_count_register(dibs, id, err);
	if (err) {
		kfree(rec);
		return err;
	}

	rec->token = dmb->dmb_tok;
	uuid_copy(&rec->rgid, &dmb->rgid);
	rec->idx = dmb->idx;
	rec->len = dmb->dmb_len;
	rec->vlan_valid = dmb->vlan_valid;
	rec->vlan_id = dmb->vlan_id;
	rec->client_id = id;
	strscpy(rec->client_name, client->name ?: "", sizeof(rec->client_name));

	spin_lock_irqsave(&t->lock, flags);
	hash_add(t->dmbs_by_token, &rec->token_node, rec->token);
	if (rec->idx < t->max_dmbs)
		t->by_idx[rec->idx] = rec;
	t->client_dmbs[id]++;
	spin_unlock_irqrestore(&t->lock, flags);
	dibs_nl_dmb_notify(dibs, rec, DIBS_CMD_DMB_NEW_NTF);
	return 0;
}

/* takes @rec out of the tables of its device; t->lock held */
static void dibs_track_unlink_dmb(struct dibs_dev_track *t,
				  struct dibs_dmb_rec *rec)
{
	lockdep_assert_held(&t->lock);
	hash_del(&rec->token_node);
	if (rec->idx < t->max_dmbs && t->by_idx[rec->idx] == rec)
		t->by_idx[rec->idx] = NULL;
	if (rec->client_id < MAX_DIBS_CLIENTS && t->client_dmbs[rec->client_id])
		t->client_dmbs[rec->client_id]--;
}

static void dibs_track_forget_dmb(struct dibs_dev *dibs,
				  struct dibs_dmb_rec *rec, bool unregistered)
{
	dibs_stats_count_unregister(&dibs->track->stats, unregistered);
	if (rec->client_id < MAX_DIBS_CLIENTS)
		dibs_stats_count_unregister(dibs_client_stats(rec->client_id),
					    unregistered);
	dibs_nl_dmb_notify(dibs, rec, DIBS_CMD_DMB_DEL_NTF);
	kfree(rec);
}

static int dibs_track_unregister_dmb(struct dibs_dev *dibs,
				     struct dibs_dmb *dmb)
{
	struct dibs_dev_track *t = dibs->track;
	struct dibs_dmb_rec *rec;
	unsigned long flags;
	int err;

	err = dibs->drv_ops->unregister_dmb(dibs, dmb);
	if (err)
		return err;
	spin_lock_irqsave(&t->lock, flags);
	rec = dibs_track_find_dmb(t, dmb->dmb_tok);
	if (rec)
		dibs_track_unlink_dmb(t, rec);
	spin_unlock_irqrestore(&t->lock, flags);
	if (rec)
		dibs_track_forget_dmb(dibs, rec, true);
	return 0;
}

static int dibs_track_move_data(struct dibs_dev *dibs, u64 dmb_tok,
				unsigned int idx, bool sf,
				unsigned int offset, void *data,
				unsigned int size)
{
	struct dibs_dev_track *t = dibs->track;
	u8 owner = NO_DIBS_CLIENT;
	struct dibs_dmb_rec *rec;
	unsigned long flags;
	int err;

	err = dibs->drv_ops->move_data(dibs, dmb_tok, idx, sf, offset, data,
				       size);
	dibs_stats_count_move(&t->stats, err, size, sf);

	/* a DMB of this very device: the loopback case */
	spin_lock_irqsave(&t->lock, flags);
	rec = dibs_track_find_dmb(t, dmb_tok);
	if (rec) {
		owner = rec->client_id;
		if (!err) {
			rec->moves++;
			rec->bytes += size;
			if (sf)
				rec->signals++;
		}
	}
	spin_unlock_irqrestore(&t->lock, flags);
	if (owner < MAX_DIBS_CLIENTS)
		dibs_stats_count_move(dibs_client_stats(owner), err, size, sf);
	return err;
}

static int dibs_track_attach_dmb(struct dibs_dev *dibs, struct dibs_dmb *dmb)
{
	struct dibs_dev_track *t = dibs->track;
	struct dibs_dmb_rec *rec;
	unsigned long flags;
	int err;

	err = dibs->drv_ops->attach_dmb(dibs, dmb);
	if (err)
		return err;
	spin_lock_irqsave(&t->lock, flags);
	rec = dibs_track_find_dmb(t, dmb->dmb_tok);
	if (rec)
		rec->attach_count++;
	spin_unlock_irqrestore(&t->lock, flags);
	return 0;
}

static int dibs_track_detach_dmb(struct dibs_dev *dibs, u64 token)
{
	struct dibs_dev_track *t = dibs->track;
	struct dibs_dmb_rec *rec;
	unsigned long flags;
	int err;

	err = dibs->drv_ops->detach_dmb(dibs, token);
	if (err)
		return err;
	spin_lock_irqsave(&t->lock, flags);
	rec = dibs_track_find_dmb(t, token);
	if (rec && rec->attach_count)
		rec->attach_count--;
	spin_unlock_irqrestore(&t->lock, flags);
	return 0;
}

bool dibs_track_dmb_next(struct dibs_dev *dibs, u32 idx,
			 struct dibs_dmb_rec *copy)
{
	struct dibs_dev_track *t = dibs->track;
	unsigned long flags;
	bool found = false;

	spin_lock_irqsave(&t->lock, flags);
	for (; idx < t->max_dmbs; idx++) {
		if (t->by_idx[idx]) {
			*copy = *t->by_idx[idx];
			found = true;
			break;
		}
	}
	spin_unlock_irqrestore(&t->lock, flags);
	return found;
}

static int dibs_peer_cmp(const void *a, const void *b)
{
	const struct dibs_peer *pa = a, *pb = b;

	return memcmp(&pa->gid, &pb->gid, sizeof(pa->gid));
}

int dibs_track_peers(struct dibs_dev *dibs, struct dibs_peer **peers)
{
	struct dibs_dev_track *t = dibs->track;
	struct dibs_peer *arr;
	unsigned long flags;
	unsigned int n = 0, i, out;
	u32 idx;

	arr = kvcalloc(t->max_dmbs, sizeof(*arr), GFP_KERNEL);
	if (!arr)
		return -ENOMEM;
	spin_lock_irqsave(&t->lock, flags);
	for (idx = 0; idx < t->max_dmbs; idx++) {
		if (t->by_idx[idx]) {
			uuid_copy(&arr[n].gid, &t->by_idx[idx]->rgid);
			arr[n++].dmbs = 1;
		}
	}
	spin_unlock_irqrestore(&t->lock, flags);

	sort(arr, n, sizeof(*arr), dibs_peer_cmp, NULL);
	for (i = 0, out = 0; i < n; i++) {
		if (out && uuid_equal(&arr[out - 1].gid, &arr[i].gid))
			arr[out - 1].dmbs++;
		else
			arr[out++] = arr[i];
	}
	*peers = arr;
	return out;
}

/* VLANs */

/* anonymous references sort before every client's */
static int dibs_vlan_key(u8 client_id)
{
	return client_id == DIBS_VLAN_ANON ? -1 : client_id;
}

static int dibs_vlan_get(struct dibs_dev *dibs, u8 client_id, u64 vlan_id)
{
	struct dibs_dev_track *t = dibs->track;
	struct list_head *pos = &t->vlans;
	struct dibs_vlan_ref *ref, *found = NULL, *new = NULL;
	unsigned int total = 0;
	int err = 0;

	if (vlan_id > DIBS_VLAN_ID_MAX)
		return -EINVAL;
	mutex_lock(&t->vlan_lock);
	list_for_each_entry(ref, &t->vlans, list) {
		if (ref->vid == vlan_id) {
			total += ref->refs;
			if (ref->client_id == client_id)
				found = ref;
		}
		if (ref->vid < vlan_id ||
		    (ref->vid == vlan_id &&
		     dibs_vlan_key(ref->client_id) < dibs_vlan_key(client_id)))
			pos = &ref->list;
	}
	if (!found) {
		new = kzalloc(sizeof(*new), GFP_KERNEL);
		if (!new) {
			err = -ENOMEM;
			goto out_unlock;
		}
	}
	if (!total && dibs->drv_ops->add_vlan_id) {
		err = dibs->drv_ops->add_vlan_id(dibs, vlan_id);
		if (err) {
			kfree(new);
			goto out_unlock;
		}
	}
	if (found) {
		found->refs++;
	} else {
		new->vid = vlan_id;
		new->client_id = client_id;
		new->refs = 1;
		list_add(&new->list, pos);
	}
out_unlock:
	mutex_unlock(&t->vlan_lock);
	return err;
}

/* whether another entry than @skip refers to VLAN @vid; vlan_lock held */
static bool dibs_vlan_in_use(struct dibs_dev_track *t, u16 vid,
			     struct dibs_vlan_ref *skip)
{
	struct dibs_vlan_ref *ref;

	list_for_each_entry(ref, &t->vlans, list)
		if (ref != skip && ref->vid == vid)
			return true;
	return false;
}

/* drops @ref and tells the driver when it was the last of its VLAN */
static int dibs_vlan_drop(struct dibs_dev *dibs, struct dibs_vlan_ref *ref)
{
	struct dibs_dev_track *t = dibs->track;
	bool last = !dibs_vlan_in_use(t, ref->vid, ref);
	u16 vid = ref->vid;

	lockdep_assert_held(&t->vlan_lock);
	list_del(&ref->list);
	kfree(ref);
	if (last && dibs->drv_ops->del_vlan_id)
		return dibs->drv_ops->del_vlan_id(dibs, vid);
	return 0;
}

static int dibs_vlan_put(struct dibs_dev *dibs, u8 client_id, u64 vlan_id)
{
	struct dibs_dev_track *t = dibs->track;
	struct dibs_vlan_ref *ref;
	int err = -ENOENT;

	if (vlan_id > DIBS_VLAN_ID_MAX)
		return -EINVAL;
	mutex_lock(&t->vlan_lock);
	list_for_each_entry(ref, &t->vlans, list) {
		if (ref->vid != vlan_id || ref->client_id != client_id)
			continue;
		if (--ref->refs)
			err = 0;
		else
			err = dibs_vlan_drop(dibs, ref);
		break;
	}
	mutex_unlock(&t->vlan_lock);
	return err;
}

void dibs_track_drop_client_vlans(struct dibs_dev *dibs, u8 id)
{
	struct dibs_dev_track *t = dibs->track;
	struct dibs_vlan_ref *ref, *tmp;
	int err;

	mutex_lock(&t->vlan_lock);
	list_for_each_entry_safe(ref, tmp, &t->vlans, list) {
		if (ref->client_id != id)
			continue;
		err = dibs_vlan_drop(dibs, ref);
		if (err)
			pr_warn("%s: del_vlan_id failed: %d\n",
				dev_name(&dibs->dev), err);
	}
	mutex_unlock(&t->vlan_lock);
}

static int dibs_track_add_vlan_id(struct dibs_dev *dibs, u64 vlan_id)
{
	return dibs_vlan_get(dibs, DIBS_VLAN_ANON, vlan_id);
}

static int dibs_track_del_vlan_id(struct dibs_dev *dibs, u64 vlan_id)
{
	return dibs_vlan_put(dibs, DIBS_VLAN_ANON, vlan_id);
}

static bool dibs_track_added(struct dibs_dev *dibs)
{
	return dibs->track && dibs->drv_ops && dibs->ops == &dibs->track->ops;
}

int dibs_add_vlan_id(struct dibs_dev *dibs, struct dibs_client *client,
		     u64 vlan_id)
{
	if (!client || client->id >= MAX_DIBS_CLIENTS ||
	    !dibs_track_added(dibs))
		return -EINVAL;
	if (!dibs_track_bound(dibs, client->id))
		return -ENODEV;
	return dibs_vlan_get(dibs, client->id, vlan_id);
}
EXPORT_SYMBOL_GPL(dibs_add_vlan_id);

int dibs_del_vlan_id(struct dibs_dev *dibs, struct dibs_client *client,
		     u64 vlan_id)
{
	if (!client || client->id >= MAX_DIBS_CLIENTS ||
	    !dibs_track_added(dibs))
		return -EINVAL;
	return dibs_vlan_put(dibs, client->id, vlan_id);
}
EXPORT_SYMBOL_GPL(dibs_del_vlan_id);

/* Bindings and events */

bool dibs_track_bound(struct dibs_dev *dibs, u8 id)
{
	struct dibs_dev_track *t = dibs->track;
	unsigned long flags;
	bool bound;

	if (id >= MAX_DIBS_CLIENTS)
		return false;
	spin_lock_irqsave(&t->lock, flags);
	bound = test_bit(id, &t->bound);
	spin_unlock_irqrestore(&t->lock, flags);
	return bound;
}

void dibs_track_set_bound(struct dibs_dev *dibs, u8 id, bool bound)
{
	struct dibs_dev_track *t = dibs->track;
	unsigned long flags;

	spin_lock_irqsave(&t->lock, flags);
	if (bound)
		__set_bit(id, &t->bound);
	else
		__clear_bit(id, &t->bound);
	spin_unlock_irqrestore(&t->lock, flags);
}

unsigned int dibs_track_client_dmbs(struct dibs_dev *dibs, u8 id)
{
	struct dibs_dev_track *t = dibs->track;
	unsigned long flags;
	unsigned int n;

	if (id >= MAX_DIBS_CLIENTS)
		return 0;
	spin_lock_irqsave(&t->lock, flags);
	n = t->client_dmbs[id];
	spin_unlock_irqrestore(&t->lock, flags);
	return n;
}

void dibs_track_warn_leftovers(struct dibs_dev *dibs, u8 id)
{
	struct dibs_dmb_rec rec;
	u32 idx = 0;

	while (dibs_track_dmb_next(dibs, idx, &rec)) {
		if (rec.client_id == id)
			pr_warn("%s: client %s left DMB %u (%u bytes) registered after del_dev()\n",
				dev_name(&dibs->dev), rec.client_name, rec.idx,
				rec.len);
		idx = rec.idx + 1;
	}
}

void dibs_track_count_event(struct dibs_dev *dibs, u8 id)
{
	dibs_stats_count_event(&dibs->track->stats);
	if (id < MAX_DIBS_CLIENTS)
		dibs_stats_count_event(dibs_client_stats(id));
}

/* Devices */

int dibs_track_alloc(struct dibs_dev *dibs)
{
	struct dibs_dev_track *t;
	int err;

	t = kzalloc(sizeof(*t), GFP_KERNEL);
	if (!t)
		return -ENOMEM;
	err = dibs_stats_init(&t->stats);
	if (err) {
		kfree(t);
		return err;
	}
	spin_lock_init(&t->lock);
	hash_init(t->dmbs_by_token);
	mutex_init(&t->vlan_lock);
	INIT_LIST_HEAD(&t->vlans);
	dibs->track = t;
	return 0;
}

void dibs_track_free(struct dibs_dev *dibs)
{
	struct dibs_dev_track *t = dibs->track;

	if (!t)
		return;
	dibs_stats_destroy(&t->stats);
	kvfree(t->by_idx);
	mutex_destroy(&t->vlan_lock);
	kfree(t);
	dibs->track = NULL;
}

int dibs_track_dev_add(struct dibs_dev *dibs, u32 max_dmbs)
{
	struct dibs_dev_track *t = dibs->track;
	const struct dibs_dev_ops *drv = dibs->ops;
	struct dibs_dmb_rec **by_idx;
	unsigned long flags;

	lockdep_assert_held(&dibs_devs_lock);
	if (!t)
		return -ENOMEM;
	by_idx = kvcalloc(max_dmbs, sizeof(*by_idx), GFP_KERNEL);
	if (!by_idx)
		return -ENOMEM;
	spin_lock_irqsave(&t->lock, flags);
	kvfree(t->by_idx);
	t->by_idx = by_idx;
	t->max_dmbs = max_dmbs;
	memset(t->client_dmbs, 0, sizeof(t->client_dmbs));
	t->bound = 0;
	spin_unlock_irqrestore(&t->lock, flags);

	t->ops = *drv;
	t->ops.register_dmb = dibs_track_register_dmb;
	t->ops.unregister_dmb = dibs_track_unregister_dmb;
	t->ops.move_data = dibs_track_move_data;
	/* the dibs layer counts VLAN references whether or not the driver can */
	t->ops.add_vlan_id = dibs_track_add_vlan_id;
	t->ops.del_vlan_id = dibs_track_del_vlan_id;
	if (drv->attach_dmb)
		t->ops.attach_dmb = dibs_track_attach_dmb;
	if (drv->detach_dmb)
		t->ops.detach_dmb = dibs_track_detach_dmb;
	dibs->drv_ops = drv;
	dibs->ops = &t->ops;
	return 0;
}

void dibs_track_dev_del(struct dibs_dev *dibs)
{
	struct dibs_dev_track *t = dibs->track;
	struct dibs_vlan_ref *ref, *vtmp;
	struct dibs_dmb_rec *rec;
	struct hlist_node *tmp;
	HLIST_HEAD(leftovers);
	unsigned long flags;
	int bkt;

	lockdep_assert_held(&dibs_devs_lock);
	if (!t || !dibs->drv_ops)
		return;
	/* DMBs the clients left behind go with the device */
	spin_lock_irqsave(&t->lock, flags);
	hash_for_each_safe(t->dmbs_by_token, bkt, tmp, rec, token_node) {
		dibs_track_unlink_dmb(t, rec);
		hlist_add_head(&rec->token_node, &leftovers);
	}
	spin_unlock_irqrestore(&t->lock, flags);
	hlist_for_each_entry_safe(rec, tmp, &leftovers, token_node) {
		hlist_del(&rec->token_node);
		dibs_track_forget_dmb(dibs, rec, false);
	}
	mutex_lock(&t->vlan_lock);
	list_for_each_entry_safe(ref, vtmp, &t->vlans, list) {
		list_del(&ref->list);
		kfree(ref);
	}
	mutex_unlock(&t->vlan_lock);
	dibs->ops = dibs->drv_ops;
}
