// SPDX-License-Identifier: GPL-2.0
/*
 * dibs core: the "dibs" device class, the registry of devices and clients,
 * and the exported API of include/linux/dibs.h.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/ctype.h>
#include <linux/device.h>
#include <linux/dibs.h>
#include <linux/err.h>
#include <linux/list.h>
#include <linux/lockdep.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/string.h>
#include <linux/sysfs.h>
#include <uapi/linux/dibs.h>

#include "dibs_loopback.h"
#include "dibs_priv.h"

MODULE_DESCRIPTION("Direct Internal Buffer Sharing (dibs) core");
MODULE_LICENSE("GPL");

static struct class *dibs_class;

/* serialises all changes to the registry; see dibs_priv.h */
DEFINE_MUTEX(dibs_devs_lock);
/* all registered devices, in increasing index order */
static LIST_HEAD(dibs_devs);
/* number of entries of dibs_devs */
static unsigned int dibs_ndevs;
/*
 * Last index handed out.  Only ever grows, so an index is never reused
 * while the module stays loaded, and list order is index order.
 */
static u32 dibs_last_index;
/* registered kinds of device; dibs_devs_lock protects it */
static LIST_HEAD(dibs_dev_kinds);
/* registered clients by id; changed with dibs_devs_lock held */
static struct dibs_client *dibs_clients[MAX_DIBS_CLIENTS];

/* Clients */

static void dibs_dev_set_sub(struct dibs_dev *dibs, u8 id,
			     struct dibs_client *client)
{
	unsigned long flags;

	spin_lock_irqsave(&dibs->lock, flags);
	dibs->subs[id] = client;
	spin_unlock_irqrestore(&dibs->lock, flags);
}

/* binds @client to @dibs: add_dev(), then its handlers get called */
static void dibs_client_add_dev(struct dibs_client *client,
				struct dibs_dev *dibs)
{
	dibs->priv[client->id] = NULL;
	/* the client may register DMBs in add_dev() already */
	dibs_track_set_bound(dibs, client->id, true);
	if (client->ops->add_dev)
		client->ops->add_dev(dibs);
	dibs_dev_set_sub(dibs, client->id, client);
}

/* unbinds @client from @dibs: no more handler calls, then del_dev() */
static void dibs_client_del_dev(struct dibs_client *client,
				struct dibs_dev *dibs)
{
	dibs_dev_set_sub(dibs, client->id, NULL);
	dibs_track_set_bound(dibs, client->id, false);
	if (client->ops->del_dev)
		client->ops->del_dev(dibs);
	dibs->priv[client->id] = NULL;
	dibs_track_drop_client_vlans(dibs, client->id);
}

/* counts the DMBs of client @id on @dibs, or all DMBs for NO_DIBS_CLIENT */
static unsigned int dibs_dev_count_dmbs(struct dibs_dev *dibs, u8 id)
{
	unsigned int count = 0;
	unsigned long flags;
	int max_dmbs, i;

	max_dmbs = dibs->ops->max_dmbs();
	spin_lock_irqsave(&dibs->lock, flags);
	if (dibs->dmb_clientid_arr) {
		for (i = 0; i < max_dmbs; i++) {
			u8 owner = dibs->dmb_clientid_arr[i];

			if (id == NO_DIBS_CLIENT ? owner != NO_DIBS_CLIENT :
						   owner == id)
				count++;
		}
	}
	spin_unlock_irqrestore(&dibs->lock, flags);
	return count;
}

unsigned int dibs_dev_dmbs_in_use(struct dibs_dev *dibs)
{
	return dibs_dev_count_dmbs(dibs, NO_DIBS_CLIENT);
}

int dibs_register_client(struct dibs_client *client)
{
	struct dibs_dev *dibs;
	size_t len;
	u8 id;

	if (WARN_ON_ONCE(!client->ops))
		return -EINVAL;
	/*
	 * Every client reply and notification of the netlink family carries
	 * the name, within the length its policy allows for requests.
	 */
	if (!client->name) {
		pr_warn("cannot register a client without a name\n");
		return -EINVAL;
	}
	len = strnlen(client->name, DIBS_CLIENT_NAME_MAX_LEN + 1);
	if (!len || len > DIBS_CLIENT_NAME_MAX_LEN) {
		pr_warn("cannot register client \"%.*s\": its name must have 1 to %d bytes\n",
			DIBS_CLIENT_NAME_MAX_LEN, client->name,
			DIBS_CLIENT_NAME_MAX_LEN);
		return -EINVAL;
	}
	mutex_lock(&dibs_devs_lock);
	for (id = 0; id < MAX_DIBS_CLIENTS; id++)
		if (!dibs_clients[id])
			break;
	if (id == MAX_DIBS_CLIENTS) {
		mutex_unlock(&dibs_devs_lock);
		pr_err("cannot register client %s: all %d client slots in use\n",
		       client->name, MAX_DIBS_CLIENTS);
		return -ENOSPC;
	}
	client->id = id;
	dibs_client_stats_restart(id);
	dibs_clients[id] = client;
	/* implicit bindings: the client-new notification implies them */
	list_for_each_entry(dibs, &dibs_devs, list)
		dibs_client_add_dev(client, dibs);
	dibs_nl_client_notify(client, DIBS_CMD_CLIENT_NEW_NTF);
	mutex_unlock(&dibs_devs_lock);
	return 0;
}
EXPORT_SYMBOL_GPL(dibs_register_client);

int dibs_unregister_client(struct dibs_client *client)
{
	struct dibs_dev *dibs;
	unsigned int dmbs;

	mutex_lock(&dibs_devs_lock);
	if (client->id >= MAX_DIBS_CLIENTS ||
	    dibs_clients[client->id] != client) {
		mutex_unlock(&dibs_devs_lock);
		return -EINVAL;
	}
	/* refuse before any del_dev() call, so a refusal changes nothing */
	list_for_each_entry(dibs, &dibs_devs, list) {
		dmbs = dibs_dev_count_dmbs(dibs, client->id);
		if (dmbs) {
			mutex_unlock(&dibs_devs_lock);
			pr_err("client %s still has %u DMBs on device %s; not unregistering it\n",
			       client->name, dmbs, dev_name(&dibs->dev));
			return -EBUSY;
		}
	}
	dibs_nl_client_notify(client, DIBS_CMD_CLIENT_DEL_NTF);
	list_for_each_entry(dibs, &dibs_devs, list) {
		if (dibs_track_bound(dibs, client->id))
			dibs_client_del_dev(client, dibs);
		else
			dibs_track_drop_client_vlans(dibs, client->id);
	}
	dibs_clients[client->id] = NULL;
	mutex_unlock(&dibs_devs_lock);
	return 0;
}
EXPORT_SYMBOL_GPL(dibs_unregister_client);

struct dibs_client *dibs_client_by_id(u8 id)
{
	lockdep_assert_held(&dibs_devs_lock);
	return id < MAX_DIBS_CLIENTS ? dibs_clients[id] : NULL;
}

struct dibs_client *dibs_client_by_name(const char *name)
{
	u8 id;

	lockdep_assert_held(&dibs_devs_lock);
	for (id = 0; id < MAX_DIBS_CLIENTS; id++)
		if (dibs_clients[id] && dibs_clients[id]->name &&
		    !strcmp(dibs_clients[id]->name, name))
			return dibs_clients[id];
	return NULL;
}

int dibs_client_bind_locked(struct dibs_client *client, struct dibs_dev *dibs)
{
	lockdep_assert_held(&dibs_devs_lock);
	if (dibs_track_bound(dibs, client->id))
		return -EEXIST;
	dibs_client_add_dev(client, dibs);
	dibs_nl_bind_notify(client, dibs, DIBS_CMD_CLIENT_BIND_NTF);
	return 0;
}

int dibs_client_unbind_locked(struct dibs_client *client,
			      struct dibs_dev *dibs, bool force,
			      unsigned int *dmbs)
{
	unsigned int held;

	int err;

	lockdep_assert_held(&dibs_devs_lock);
	if (!dibs_track_bound(dibs, client->id))
		return -ENOENT;
	/* no DMB can be registered between counting and unbinding */
	err = dibs_track_unbind(dibs, client->id, force, &held);
	if (dmbs)
		*dmbs = held;
	if (err)
		return err;
	dibs_client_del_dev(client, dibs);
	/* left registered: the client may still unregister them itself */
	if (held)
		dibs_track_warn_leftovers(dibs, client->id);
	dibs_nl_bind_notify(client, dibs, DIBS_CMD_CLIENT_UNBIND_NTF);
	return 0;
}

const char *dibs_client_name(u8 id)
{
	lockdep_assert_held(&dibs_devs_lock);
	if (id >= MAX_DIBS_CLIENTS || !dibs_clients[id])
		return "(unregistered client)";
	return dibs_clients[id]->name;
}

/* Devices */

static struct dibs_dev *to_dibs_dev(DIBS_UEVENT_DEV_CONST struct device *dev)
{
	return container_of(dev, struct dibs_dev, dev);
}

enum dibs_dev_type dibs_dev_type(const struct dibs_dev *dibs)
{
	return dibs->kind ? dibs->kind->type : DIBS_DEV_TYPE_OTHER;
}

static const char *dibs_dev_type_name(const struct dibs_dev *dibs)
{
	return dibs->kind ? dibs->kind->name : "other";
}

struct dibs_dev_kind *dibs_dev_kind_find(u32 type)
{
	struct dibs_dev_kind *kind;

	lockdep_assert_held(&dibs_devs_lock);
	list_for_each_entry(kind, &dibs_dev_kinds, list)
		if (kind->type == type)
			return kind;
	return NULL;
}

/**
 * dibs_dev_kind_register() - let user space create devices of a kind
 * @kind: the kind, with every field but @list set; it must stay valid
 *	until dibs_dev_kind_unregister()
 *
 * From now on, dev-new requests for @kind->type go to @kind->create and
 * dev-del requests for its devices to @kind->destroy.
 *
 * Return: 0, -EINVAL for a kind without name, name_prefix, create or
 * destroy, with a name_prefix longer than 10 bytes or of the type "other",
 * -EEXIST if the type already has a kind.
 */
int dibs_dev_kind_register(struct dibs_dev_kind *kind)
{
	int err = 0;

	if (!kind->name || !kind->create || !kind->destroy ||
	    !kind->name_prefix || strlen(kind->name_prefix) > 10 ||
	    kind->type == DIBS_DEV_TYPE_OTHER)
		return -EINVAL;
	mutex_lock(&dibs_devs_lock);
	if (dibs_dev_kind_find(kind->type))
		err = -EEXIST;
	else
		list_add_tail(&kind->list, &dibs_dev_kinds);
	mutex_unlock(&dibs_devs_lock);
	return err;
}
EXPORT_SYMBOL_GPL(dibs_dev_kind_register);

/**
 * dibs_dev_kind_unregister() - stop creating devices of a kind
 * @kind: a kind registered with dibs_dev_kind_register()
 *
 * After it returns, no dev-new or dev-del request calls into @kind.  The
 * driver destroys the devices of @kind it still has, before or after.
 */
void dibs_dev_kind_unregister(struct dibs_dev_kind *kind)
{
	mutex_lock(&dibs_devs_lock);
	list_del(&kind->list);
	mutex_unlock(&dibs_devs_lock);
}
EXPORT_SYMBOL_GPL(dibs_dev_kind_unregister);

bool dibs_dev_mmapped_rdmb(struct dibs_dev *dibs)
{
	return dibs->ops->support_mmapped_rdmb &&
	       dibs->ops->support_mmapped_rdmb(dibs);
}

static void dibs_dev_release(struct device *dev)
{
	struct dibs_dev *dibs = to_dibs_dev(dev);

	dibs_track_free(dibs);
	kfree(dibs);
}

struct dibs_dev *dibs_dev_alloc(void)
{
	struct dibs_dev *dibs;

	dibs = kzalloc(sizeof(*dibs), GFP_KERNEL);
	if (!dibs)
		return NULL;
	if (dibs_track_alloc(dibs)) {
		kfree(dibs);
		return NULL;
	}
	INIT_LIST_HEAD(&dibs->list);
	spin_lock_init(&dibs->lock);
	dibs->dev.class = dibs_class;
	dibs->dev.release = dibs_dev_release;
	device_initialize(&dibs->dev);
	return dibs;
}
EXPORT_SYMBOL_GPL(dibs_dev_alloc);

static bool dibs_dev_ops_valid(const struct dibs_dev_ops *ops)
{
	bool mmapped_ops = ops->support_mmapped_rdmb || ops->attach_dmb ||
			   ops->detach_dmb;

	if (!ops->get_fabric_id || !ops->query_remote_gid || !ops->max_dmbs ||
	    !ops->register_dmb || !ops->unregister_dmb || !ops->move_data)
		return false;
	/* the memory-mapped remote DMB operations come all together */
	return !mmapped_ops || (ops->support_mmapped_rdmb && ops->attach_dmb &&
				ops->detach_dmb);
}

struct dibs_dev *dibs_dev_find_by_index(u32 index)
{
	struct dibs_dev *dibs;

	lockdep_assert_held(&dibs_devs_lock);
	list_for_each_entry(dibs, &dibs_devs, list)
		if (dibs->index == index)
			return dibs;
	return NULL;
}

struct dibs_dev *dibs_dev_find_by_name(const char *name)
{
	struct dibs_dev *dibs;

	lockdep_assert_held(&dibs_devs_lock);
	list_for_each_entry(dibs, &dibs_devs, list)
		if (!strcmp(dev_name(&dibs->dev), name))
			return dibs;
	return NULL;
}

struct dibs_dev *dibs_dev_find_by_gid(const uuid_t *gid)
{
	struct dibs_dev *dibs;

	lockdep_assert_held(&dibs_devs_lock);
	list_for_each_entry(dibs, &dibs_devs, list)
		if (uuid_equal(&dibs->gid, gid))
			return dibs;
	return NULL;
}

unsigned int dibs_dev_count(void)
{
	lockdep_assert_held(&dibs_devs_lock);
	return dibs_ndevs;
}

struct dibs_dev *dibs_dev_next(u32 index)
{
	struct dibs_dev *dibs;

	lockdep_assert_held(&dibs_devs_lock);
	list_for_each_entry(dibs, &dibs_devs, list)
		if (dibs->index > index)
			return dibs;
	return NULL;
}

bool dibs_dev_name_valid(const char *name)
{
	size_t len = strnlen(name, DIBS_DEV_NAME_MAX_LEN + 1);
	size_t i;

	if (!len || len > DIBS_DEV_NAME_MAX_LEN)
		return false;
	/* sysfs cannot hold these as directory names */
	if (!strcmp(name, ".") || !strcmp(name, ".."))
		return false;
	for (i = 0; i < len; i++)
		if (!isalnum(name[i]) && !strchr("_.-", name[i]))
			return false;
	return true;
}

static ssize_t gid_show(struct device *dev, struct device_attribute *attr,
			char *buf)
{
	return sysfs_emit(buf, "%pUb\n", &to_dibs_dev(dev)->gid);
}
static DEVICE_ATTR_RO(gid);

static ssize_t fabric_id_show(struct device *dev,
			      struct device_attribute *attr, char *buf)
{
	struct dibs_dev *dibs = to_dibs_dev(dev);

	return sysfs_emit(buf, "0x%04x\n", dibs->ops->get_fabric_id(dibs));
}
static DEVICE_ATTR_RO(fabric_id);

static ssize_t type_show(struct device *dev, struct device_attribute *attr,
			 char *buf)
{
	return sysfs_emit(buf, "%s\n", dibs_dev_type_name(to_dibs_dev(dev)));
}
static DEVICE_ATTR_RO(type);

static ssize_t index_show(struct device *dev, struct device_attribute *attr,
			  char *buf)
{
	return sysfs_emit(buf, "%u\n", to_dibs_dev(dev)->index);
}
static DEVICE_ATTR_RO(index);

static ssize_t max_dmbs_show(struct device *dev,
			     struct device_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%d\n", to_dibs_dev(dev)->ops->max_dmbs());
}
static DEVICE_ATTR_RO(max_dmbs);

/* identity only: what changes at run time is read through netlink */
static struct attribute *dibs_dev_attrs[] = {
	&dev_attr_gid.attr,
	&dev_attr_fabric_id.attr,
	&dev_attr_type.attr,
	&dev_attr_index.attr,
	&dev_attr_max_dmbs.attr,
	NULL,
};
ATTRIBUTE_GROUPS(dibs_dev);

static int dibs_dev_uevent(DIBS_UEVENT_DEV_CONST struct device *dev,
			   struct kobj_uevent_env *env)
{
	struct dibs_dev *dibs = to_dibs_dev(dev);

	return add_uevent_var(env, "DIBS_TYPE=%s", dibs_dev_type_name(dibs)) ?:
	       add_uevent_var(env, "DIBS_GID=%pUb", &dibs->gid) ?:
	       add_uevent_var(env, "DIBS_FABRIC_ID=0x%04x",
			      dibs->ops->get_fabric_id(dibs)) ?:
	       add_uevent_var(env, "DIBS_INDEX=%u", dibs->index);
}

int dibs_dev_add_locked(struct dibs_dev *dibs)
{
	const char *name = dev_name(&dibs->dev);
	int max_dmbs, err;
	u8 id;

	lockdep_assert_held(&dibs_devs_lock);
	if (!name || !*name) {
		pr_err("cannot add a dibs device without a name\n");
		return -EINVAL;
	}
	if (!dibs->ops || !dibs_dev_ops_valid(dibs->ops)) {
		pr_err("cannot add device %s: incomplete dibs_dev_ops\n", name);
		return -EINVAL;
	}
	/* device_add() would warn about the duplicate sysfs name */
	if (dibs_dev_find_by_name(name))
		return -EEXIST;
	max_dmbs = dibs->ops->max_dmbs();
	if (max_dmbs <= 0) {
		pr_err("cannot add device %s: max_dmbs() returned %d\n",
		       name, max_dmbs);
		return -EINVAL;
	}
	if (dibs_last_index == U32_MAX)
		return -ENOSPC;

	dibs->dmb_clientid_arr = kmalloc(max_dmbs, GFP_KERNEL);
	if (!dibs->dmb_clientid_arr)
		return -ENOMEM;
	memset(dibs->dmb_clientid_arr, NO_DIBS_CLIENT, max_dmbs);
	err = dibs_track_dev_add(dibs, max_dmbs);
	if (err)
		goto err_free_clientid_arr;
	/* before device_add(): the index is part of the add uevent */
	dibs->index = ++dibs_last_index;

	err = device_add(&dibs->dev);
	if (err)
		goto err_untrack;

	for (id = 0; id < MAX_DIBS_CLIENTS; id++)
		if (dibs_clients[id])
			dibs_client_add_dev(dibs_clients[id], dibs);
	list_add_tail(&dibs->list, &dibs_devs);
	dibs_ndevs++;
	dibs_nl_dev_notify(dibs, DIBS_CMD_DEV_NEW_NTF);
	return 0;

err_untrack:
	dibs_track_dev_del(dibs);
err_free_clientid_arr:
	kfree(dibs->dmb_clientid_arr);
	/* upstream-style drivers kfree() it themselves when this fails */
	dibs->dmb_clientid_arr = NULL;
	return err;
}

int dibs_dev_add(struct dibs_dev *dibs)
{
	int err;

	mutex_lock(&dibs_devs_lock);
	err = dibs_dev_add_locked(dibs);
	mutex_unlock(&dibs_devs_lock);
	return err;
}
EXPORT_SYMBOL_GPL(dibs_dev_add);

void dibs_dev_del_locked(struct dibs_dev *dibs)
{
	unsigned long flags;
	u8 id;

	lockdep_assert_held(&dibs_devs_lock);
	if (list_empty(&dibs->list))
		return;
	dibs_nl_dev_notify(dibs, DIBS_CMD_DEV_DEL_NTF);

	spin_lock_irqsave(&dibs->lock, flags);
	memset(dibs->subs, 0, sizeof(dibs->subs));
	spin_unlock_irqrestore(&dibs->lock, flags);
	for (id = 0; id < MAX_DIBS_CLIENTS; id++)
		if (dibs_clients[id] && dibs_track_bound(dibs, id))
			dibs_client_del_dev(dibs_clients[id], dibs);
	list_del_init(&dibs->list);
	dibs_ndevs--;
	device_del(&dibs->dev);
	dibs_track_dev_del(dibs);

	spin_lock_irqsave(&dibs->lock, flags);
	kfree(dibs->dmb_clientid_arr);
	dibs->dmb_clientid_arr = NULL;
	spin_unlock_irqrestore(&dibs->lock, flags);
}

void dibs_dev_del(struct dibs_dev *dibs)
{
	mutex_lock(&dibs_devs_lock);
	dibs_dev_del_locked(dibs);
	mutex_unlock(&dibs_devs_lock);
}
EXPORT_SYMBOL_GPL(dibs_dev_del);

static int __init dibs_init(void)
{
	int err;

	dibs_class = dibs_class_create("dibs");
	if (IS_ERR(dibs_class))
		return PTR_ERR(dibs_class);
	dibs_class->dev_groups = dibs_dev_groups;
	dibs_class->dev_uevent = dibs_dev_uevent;
	err = dibs_client_stats_init();
	if (err)
		goto err_destroy_class;

	/* the family comes first so that the default device is announced */
	err = dibs_nl_init();
	if (err)
		goto err_client_stats_exit;
	err = dibs_loopback_init();
	if (err)
		goto err_nl_exit;
	return 0;

err_nl_exit:
	dibs_nl_exit();
err_client_stats_exit:
	dibs_client_stats_exit();
err_destroy_class:
	class_destroy(dibs_class);
	return err;
}

static void __exit dibs_exit(void)
{
	/* no request may reach a device that is being torn down */
	dibs_nl_exit();
	dibs_loopback_exit();
	/* DMB records still waiting for their RCU callback, in this module */
	rcu_barrier();
	dibs_client_stats_exit();
	class_destroy(dibs_class);
}

module_init(dibs_init);
module_exit(dibs_exit);
