// SPDX-License-Identifier: GPL-2.0
/*
 * What the dibs layer sees of its devices.  dibs->ops stays the driver's
 * own table, as upstream: drivers report the DMBs they register and the
 * data they move (dibs_dmb_track_*() of include/linux/dibs.h), clients that
 * write through an attached DMB report those writes, and clients take VLAN
 * references through dibs_add_vlan_id().  Also the statistics of devices
 * and clients.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/bitops.h>
#include <linux/dibs.h>
#include <linux/err.h>
#include <linux/list.h>
#include <linux/lockdep.h>
#include <linux/minmax.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/jump_label.h>
#include <linux/moduleparam.h>
#include <linux/percpu.h>
#include <linux/rcupdate.h>
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

/*
 * The data path's counters can be switched off at run time (module
 * parameter move_stats), which bench/stats-overhead uses to measure what
 * they cost.  With them off, moves, bytes, signals and move errors stop
 * counting; DMBs are still tracked.
 */
static DEFINE_STATIC_KEY_TRUE(dibs_move_stats);

static int dibs_move_stats_set(const char *val, const struct kernel_param *kp)
{
	bool on;
	int err;

	err = kstrtobool(val, &on);
	if (err)
		return err;
	if (on)
		static_branch_enable(&dibs_move_stats);
	else
		static_branch_disable(&dibs_move_stats);
	return 0;
}

static int dibs_move_stats_get(char *buf, const struct kernel_param *kp)
{
	return sysfs_emit(buf, "%c\n",
			  static_key_enabled(&dibs_move_stats) ? 'Y' : 'N');
}

static const struct kernel_param_ops dibs_move_stats_ops = {
	.set = dibs_move_stats_set,
	.get = dibs_move_stats_get,
};
module_param_cb(move_stats, &dibs_move_stats_ops, NULL, 0644);
MODULE_PARM_DESC(move_stats,
		 "Count moves, bytes and signals of the data path (default: Y)");

struct dibs_dmb_rec {
	struct rcu_head rcu;
	u64 token;
	uuid_t rgid;
	u32 idx;
	u32 len;
	bool vlan_valid;
	u16 vlan_id;
	u8 client_id;
	char client_name[DIBS_CLIENT_NAME_MAX_LEN + 1];
	/* attach_dmb() calls not yet balanced by detach_dmb(); track->lock */
	unsigned int attach_count;
	/* written by the data path, each CPU its own */
	struct dibs_dmb_pcpu __percpu *pcpu;
};

/* what the data path counts of one DMB on one CPU */
struct dibs_dmb_pcpu {
	struct u64_stats_sync syncp;
	u64_stats_t bytes;
	u64_stats_t moves;
	u64_stats_t signals;
};

static void dibs_dmb_rec_free(struct rcu_head *head)
{
	struct dibs_dmb_rec *rec = container_of(head, struct dibs_dmb_rec, rcu);

	free_percpu(rec->pcpu);
	kfree(rec);
}

static void dibs_dmb_rec_info(const struct dibs_dmb_rec *rec,
			      struct dibs_dmb_info *info)
{
	int cpu;

	info->token = rec->token;
	uuid_copy(&info->rgid, &rec->rgid);
	info->idx = rec->idx;
	info->len = rec->len;
	info->vlan_valid = rec->vlan_valid;
	info->vlan_id = rec->vlan_id;
	info->client_id = rec->client_id;
	strscpy(info->client_name, rec->client_name, sizeof(info->client_name));
	info->attached = rec->attach_count;
	info->bytes = 0;
	info->moves = 0;
	info->signals = 0;
	for_each_possible_cpu(cpu) {
		const struct dibs_dmb_pcpu *pcpu = per_cpu_ptr(rec->pcpu, cpu);
		u64 bytes, moves, signals;
		unsigned int start;

		do {
			start = u64_stats_fetch_begin(&pcpu->syncp);
			bytes = u64_stats_read(&pcpu->bytes);
			moves = u64_stats_read(&pcpu->moves);
			signals = u64_stats_read(&pcpu->signals);
		} while (u64_stats_fetch_retry(&pcpu->syncp, start));
		info->bytes += bytes;
		info->moves += moves;
		info->signals += signals;
	}
}

/* the record of DMB @idx if its token is @token; t->lock held */
static struct dibs_dmb_rec *dibs_track_rec_locked(struct dibs_dev_track *t,
						  u32 idx, u64 token)
{
	struct dibs_dmb_rec *rec;

	lockdep_assert_held(&t->lock);
	if (!t->by_idx || idx >= t->max_dmbs)
		return NULL;
	rec = rcu_dereference_protected(t->by_idx[idx],
					lockdep_is_held(&t->lock));
	return rec && rec->token == token ? rec : NULL;
}

static void dibs_track_count_register(struct dibs_dev *dibs, u8 id, int err)
{
	dibs_stats_count_register(&dibs->track->stats, err);
	if (id < MAX_DIBS_CLIENTS)
		dibs_stats_count_register(dibs_client_stats(id), err);
}

void dibs_dmb_track_fail(struct dibs_dev *dibs, struct dibs_client *client,
			 int err)
{
	if (!dibs->track || !err)
		return;
	dibs_track_count_register(dibs, client ? client->id : NO_DIBS_CLIENT,
				  err);
}
EXPORT_SYMBOL_GPL(dibs_dmb_track_fail);

int dibs_dmb_track_add(struct dibs_dev *dibs, const struct dibs_dmb *dmb,
		       struct dibs_client *client)
{
	struct dibs_dev_track *t = dibs->track;
	u8 id = client ? client->id : NO_DIBS_CLIENT;
	struct dibs_dmb_info info;
	struct dibs_dmb_rec *rec;
	unsigned long flags;
	int err = 0, cpu;

	might_sleep();
	if (!t || id >= MAX_DIBS_CLIENTS) {
		err = -EINVAL;
		goto out_count;
	}
	rec = kzalloc(sizeof(*rec), GFP_KERNEL);
	if (rec)
		rec->pcpu = alloc_percpu(struct dibs_dmb_pcpu);
	if (!rec || !rec->pcpu) {
		kfree(rec);
		err = -ENOMEM;
		goto out_count;
	}
	for_each_possible_cpu(cpu)
		u64_stats_init(&per_cpu_ptr(rec->pcpu, cpu)->syncp);
	rec->token = dmb->dmb_tok;
	uuid_copy(&rec->rgid, &dmb->rgid);
	rec->idx = dmb->idx;
	rec->len = dmb->dmb_len;
	rec->vlan_valid = dmb->vlan_valid;
	rec->vlan_id = dmb->vlan_id;
	rec->client_id = id;
	strscpy(rec->client_name, client->name ?: "", sizeof(rec->client_name));

	/* checking the binding and inserting is one step: see unbind */
	spin_lock_irqsave(&t->lock, flags);
	if (!test_bit(id, &t->bound))
		err = -ENODEV;
	else if (!t->by_idx || rec->idx >= t->max_dmbs ||
		 WARN_ON_ONCE(rcu_access_pointer(t->by_idx[rec->idx])))
		err = -EINVAL;
	if (!err) {
		rcu_assign_pointer(t->by_idx[rec->idx], rec);
		t->client_dmbs[id]++;
		dibs_dmb_rec_info(rec, &info);
	}
	spin_unlock_irqrestore(&t->lock, flags);
	if (err) {
		free_percpu(rec->pcpu);
		kfree(rec);
		goto out_count;
	}
	dibs_track_count_register(dibs, id, 0);
	dibs_nl_dmb_notify(dibs, &info, DIBS_CMD_DMB_NEW_NTF);
	return 0;

out_count:
	dibs_track_count_register(dibs, id, err);
	return err;
}
EXPORT_SYMBOL_GPL(dibs_dmb_track_add);

/* takes @rec out of the tables of its device; t->lock held */
static void dibs_track_unlink_dmb(struct dibs_dev_track *t,
				  struct dibs_dmb_rec *rec)
{
	lockdep_assert_held(&t->lock);
	RCU_INIT_POINTER(t->by_idx[rec->idx], NULL);
	if (rec->client_id < MAX_DIBS_CLIENTS && t->client_dmbs[rec->client_id])
		t->client_dmbs[rec->client_id]--;
}

/* counts, announces and frees an unlinked record */
static void dibs_track_forget_dmb(struct dibs_dev *dibs,
				  struct dibs_dmb_rec *rec, bool unregistered)
{
	struct dibs_dmb_info info;

	dibs_dmb_rec_info(rec, &info);
	dibs_stats_count_unregister(&dibs->track->stats, unregistered);
	if (rec->client_id < MAX_DIBS_CLIENTS)
		dibs_stats_count_unregister(dibs_client_stats(rec->client_id),
					    unregistered);
	dibs_nl_dmb_notify(dibs, &info, DIBS_CMD_DMB_DEL_NTF);
	/* the data path may still be counting into it */
	call_rcu(&rec->rcu, dibs_dmb_rec_free);
}

void dibs_dmb_track_del(struct dibs_dev *dibs, const struct dibs_dmb *dmb)
{
	struct dibs_dev_track *t = dibs->track;
	struct dibs_dmb_rec *rec;
	unsigned long flags;

	if (!t)
		return;
	spin_lock_irqsave(&t->lock, flags);
	rec = dibs_track_rec_locked(t, dmb->idx, dmb->dmb_tok);
	if (rec)
		dibs_track_unlink_dmb(t, rec);
	spin_unlock_irqrestore(&t->lock, flags);
	if (rec)
		dibs_track_forget_dmb(dibs, rec, true);
}
EXPORT_SYMBOL_GPL(dibs_dmb_track_del);

void dibs_dmb_track_attach(struct dibs_dev *dibs, u32 idx, u64 token,
			   bool attach)
{
	struct dibs_dev_track *t = dibs->track;
	struct dibs_dmb_rec *rec;
	unsigned long flags;

	if (!t)
		return;
	spin_lock_irqsave(&t->lock, flags);
	rec = dibs_track_rec_locked(t, idx, token);
	if (rec && attach)
		rec->attach_count++;
	else if (rec && rec->attach_count)
		rec->attach_count--;
	spin_unlock_irqrestore(&t->lock, flags);
}
EXPORT_SYMBOL_GPL(dibs_dmb_track_attach);

static void dibs_dmb_count_move(struct dibs_dmb_rec *rec, unsigned int size,
				bool sf)
{
	struct dibs_dmb_pcpu *pcpu;
	unsigned long flags;

	pcpu = get_cpu_ptr(rec->pcpu);
	flags = u64_stats_update_begin_irqsave(&pcpu->syncp);
	u64_stats_inc(&pcpu->moves);
	u64_stats_add(&pcpu->bytes, size);
	if (sf)
		u64_stats_inc(&pcpu->signals);
	u64_stats_update_end_irqrestore(&pcpu->syncp, flags);
	put_cpu_ptr(rec->pcpu);
}

void dibs_dmb_track_move(struct dibs_dev *dibs, u32 idx, u64 token,
			 unsigned int size, bool sf, int err)
{
	struct dibs_dev_track *t = dibs->track;
	u8 owner = NO_DIBS_CLIENT;
	struct dibs_dmb_rec *rec;
	struct dibs_dmb_rec __rcu **by_idx;

	if (!static_branch_likely(&dibs_move_stats) || !t)
		return;
	dibs_stats_count_move(&t->stats, err, size, sf);

	/* a DMB of this very device, as on the loopback */
	rcu_read_lock();
	by_idx = READ_ONCE(t->by_idx);
	rec = by_idx && idx < READ_ONCE(t->max_dmbs) ?
	      rcu_dereference(by_idx[idx]) : NULL;
	if (rec && rec->token == token) {
		owner = rec->client_id;
		if (!err)
			dibs_dmb_count_move(rec, size, sf);
	}
	rcu_read_unlock();
	if (owner < MAX_DIBS_CLIENTS)
		dibs_stats_count_move(dibs_client_stats(owner), err, size, sf);
}
EXPORT_SYMBOL_GPL(dibs_dmb_track_move);

bool dibs_track_dmb_next(struct dibs_dev *dibs, u32 idx,
			 struct dibs_dmb_info *info)
{
	struct dibs_dev_track *t = dibs->track;
	struct dibs_dmb_rec *rec;
	unsigned long flags;
	bool found = false;

	spin_lock_irqsave(&t->lock, flags);
	for (; t->by_idx && idx < t->max_dmbs; idx++) {
		rec = rcu_dereference_protected(t->by_idx[idx],
						lockdep_is_held(&t->lock));
		if (rec) {
			dibs_dmb_rec_info(rec, info);
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
	for (idx = 0; t->by_idx && idx < t->max_dmbs; idx++) {
		struct dibs_dmb_rec *rec;

		rec = rcu_dereference_protected(t->by_idx[idx],
						lockdep_is_held(&t->lock));
		if (rec) {
			uuid_copy(&arr[n].gid, &rec->rgid);
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
		     ref->client_id < client_id))
			pos = &ref->list;
	}
	if (!found) {
		new = kzalloc(sizeof(*new), GFP_KERNEL);
		if (!new) {
			err = -ENOMEM;
			goto out_unlock;
		}
	}
	if (!total && dibs->ops->add_vlan_id) {
		err = dibs->ops->add_vlan_id(dibs, vlan_id);
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
	if (last && dibs->ops->del_vlan_id)
		return dibs->ops->del_vlan_id(dibs, vid);
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

/* tracked from dibs_dev_add() until dibs_dev_del() */
static bool dibs_track_added(struct dibs_dev *dibs)
{
	return dibs->track && dibs->track->by_idx;
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

int dibs_track_unbind(struct dibs_dev *dibs, u8 id, bool force,
		      unsigned int *dmbs)
{
	struct dibs_dev_track *t = dibs->track;
	unsigned long flags;
	unsigned int held;
	int err = 0;

	spin_lock_irqsave(&t->lock, flags);
	held = t->client_dmbs[id];
	if (held && !force)
		err = -EBUSY;
	else
		__clear_bit(id, &t->bound);
	spin_unlock_irqrestore(&t->lock, flags);
	if (dmbs)
		*dmbs = held;
	return err;
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
	struct dibs_dmb_info rec;
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
	struct dibs_dmb_rec __rcu **by_idx;
	unsigned long flags;

	lockdep_assert_held(&dibs_devs_lock);
	if (!t)
		return -ENOMEM;
	by_idx = kvcalloc(max_dmbs, sizeof(*by_idx), GFP_KERNEL);
	if (!by_idx)
		return -ENOMEM;
	spin_lock_irqsave(&t->lock, flags);
	/* a device deleted before keeps its table: nothing reads it now */
	kvfree(t->by_idx);
	t->by_idx = by_idx;
	t->max_dmbs = max_dmbs;
	memset(t->client_dmbs, 0, sizeof(t->client_dmbs));
	t->bound = 0;
	spin_unlock_irqrestore(&t->lock, flags);
	return 0;
}

void dibs_track_dev_del(struct dibs_dev *dibs)
{
	struct dibs_dev_track *t = dibs->track;
	struct dibs_vlan_ref *ref, *vtmp;
	struct dibs_dmb_rec *rec;
	unsigned long flags;
	u32 idx;

	lockdep_assert_held(&dibs_devs_lock);
	if (!dibs_track_added(dibs))
		return;
	/* DMBs the clients left behind go with the device */
	for (idx = 0; idx < t->max_dmbs; idx++) {
		spin_lock_irqsave(&t->lock, flags);
		rec = rcu_dereference_protected(t->by_idx[idx],
						lockdep_is_held(&t->lock));
		if (rec)
			dibs_track_unlink_dmb(t, rec);
		spin_unlock_irqrestore(&t->lock, flags);
		if (rec)
			dibs_track_forget_dmb(dibs, rec, false);
	}
	mutex_lock(&t->vlan_lock);
	list_for_each_entry_safe(ref, vtmp, &t->vlans, list) {
		list_del(&ref->list);
		kfree(ref);
	}
	mutex_unlock(&t->vlan_lock);
}
