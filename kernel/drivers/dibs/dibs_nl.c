// SPDX-License-Identifier: GPL-2.0
/*
 * The "dibs" generic netlink family: request handlers and notifications.
 * Policies and the op table are generated from genl-spec/dibs.yaml into
 * dibs_nl_gen.c.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/build_bug.h>
#include <linux/capability.h>
#include <linux/err.h>
#include <linux/mm.h>
#include <linux/lockdep.h>
#include <linux/module.h>
#include <linux/string.h>
#include <linux/uuid.h>
#include <net/genetlink.h>
#include <net/netlink.h>

#include "dibs_nl_gen.h"
#include "dibs_priv.h"

/*
 * Most devices dev-new creates: every device counts, also those a driver
 * added.  Each costs memory (a loopback device its DMB table) and is
 * dumped, bound and announced; 1024 leaves room for nl_scale_test's 1000.
 */
static unsigned int max_devs = 1024;
module_param(max_devs, uint, 0644);
MODULE_PARM_DESC(max_devs,
		 "dev-new refuses a device beyond this many (default 1024)");

/* under dibs_devs_lock: whether notifications can be sent */
static bool dibs_nl_registered;
/* under dibs_devs_lock: the module is going away, refuse changes */
static bool dibs_nl_closing;

/* where a dev-get dump resumes */
struct dibs_nl_dump_ctx {
	u32 last_index;
};

static struct genl_family dibs_nl_family = {
	.name		= DIBS_FAMILY_NAME,
	.version	= DIBS_FAMILY_VERSION,
	/*
	 * Devices are global, not per network namespace: root of a
	 * container must not create or delete them.
	 */
	.netnsok	= false,
	/* dibs_devs_lock serialises what needs it */
	.parallel_ops	= true,
	/* strict header checks for every command */
	.resv_start_op	= DIBS_CMD_DEV_GET,
	.module		= THIS_MODULE,
	.ops		= dibs_nl_ops,
	.n_ops		= ARRAY_SIZE(dibs_nl_ops),
	.mcgrps		= dibs_nl_mcgrps,
	.n_mcgrps	= ARRAY_SIZE(dibs_nl_mcgrps),
};

/* Notifications to a multicast group */

static void dibs_nl_multicast(struct sk_buff *msg, unsigned int group,
			      gfp_t gfp)
{
	genlmsg_multicast(&dibs_nl_family, msg, 0, group, gfp);
}

/* a listener must learn that it missed an event */
static void dibs_nl_missed(unsigned int group)
{
	genl_set_err(&dibs_nl_family, &init_net, 0, group, -ENOBUFS);
}

static bool dibs_nl_want(unsigned int group)
{
	return READ_ONCE(dibs_nl_registered) &&
	       genl_has_listeners(&dibs_nl_family, &init_net, group);
}

static int dibs_nl_dev_fill(struct sk_buff *skb, struct dibs_dev *dibs,
			    u32 portid, u32 seq, int flags, u8 cmd)
{
	void *hdr;

	lockdep_assert_held(&dibs_devs_lock);
	hdr = genlmsg_put(skb, portid, seq, &dibs_nl_family, flags, cmd);
	if (!hdr)
		return -EMSGSIZE;
	if (nla_put_u32(skb, DIBS_A_DEV_INDEX, dibs->index) ||
	    nla_put_string(skb, DIBS_A_DEV_NAME, dev_name(&dibs->dev)) ||
	    nla_put_u32(skb, DIBS_A_DEV_TYPE, dibs_dev_type(dibs)) ||
	    nla_put(skb, DIBS_A_DEV_GID, sizeof(dibs->gid), &dibs->gid) ||
	    nla_put_u16(skb, DIBS_A_DEV_FABRIC_ID,
			dibs->ops->get_fabric_id(dibs)) ||
	    nla_put_u32(skb, DIBS_A_DEV_MAX_DMBS, dibs->ops->max_dmbs()) ||
	    nla_put_u32(skb, DIBS_A_DEV_DMBS_IN_USE,
			dibs_dev_dmbs_in_use(dibs)))
		goto err_cancel_msg;
	if (dibs_dev_mmapped_rdmb(dibs) &&
	    nla_put_flag(skb, DIBS_A_DEV_MMAPPED_RDMB))
		goto err_cancel_msg;
	genlmsg_end(skb, hdr);
	return 0;

err_cancel_msg:
	genlmsg_cancel(skb, hdr);
	return -EMSGSIZE;
}

void dibs_nl_dev_notify(struct dibs_dev *dibs, u8 cmd)
{
	struct sk_buff *msg;

	lockdep_assert_held(&dibs_devs_lock);
	if (!dibs_nl_want(DIBS_NLGRP_MONITOR))
		return;
	msg = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!msg)
		goto err_tell_listeners;
	if (dibs_nl_dev_fill(msg, dibs, 0, 0, 0, cmd)) {
		nlmsg_free(msg);
		goto err_tell_listeners;
	}
	genlmsg_multicast(&dibs_nl_family, msg, 0, DIBS_NLGRP_MONITOR,
			  GFP_KERNEL);
	return;

err_tell_listeners:
	/* a monitor must learn that it missed an event */
	genl_set_err(&dibs_nl_family, &init_net, 0, DIBS_NLGRP_MONITOR,
		     -ENOBUFS);
}

/*
 * Finds the device named by @index_attr and/or @name_attr.  Without both,
 * NULL when @miss_type is 0 (an optional filter), else -EINVAL with
 * @miss_type as the missing attribute.  @dev_attr is set to the attribute
 * that named the device, for errors.
 */
static struct dibs_dev *dibs_nl_find_dev(struct netlink_ext_ack *extack,
					 struct nlattr *index_attr,
					 struct nlattr *name_attr,
					 int miss_type,
					 struct nlattr **dev_attr)
{
	char name[DIBS_DEV_NAME_MAX_LEN + 1];
	struct dibs_dev *by_index = NULL;
	struct dibs_dev *by_name;
	u32 index = 0;

	lockdep_assert_held(&dibs_devs_lock);
	if (!index_attr && !name_attr) {
		if (!miss_type)
			return NULL;
		NL_SET_ERR_ATTR_MISS(extack, NULL, miss_type);
		NL_SET_ERR_MSG_MOD(extack,
				   "no device given: pass its index or name");
		return ERR_PTR(-EINVAL);
	}
	if (index_attr) {
		index = nla_get_u32(index_attr);
		by_index = dibs_dev_find_by_index(index);
		if (!by_index) {
			NL_SET_BAD_ATTR(extack, index_attr);
			DIBS_NL_MSG_FMT(extack,
					"no dibs device with this index",
					"no dibs device with index %u", index);
			return ERR_PTR(-ENODEV);
		}
		*dev_attr = index_attr;
	}
	if (!name_attr)
		return by_index;

	if (nla_strscpy(name, name_attr, sizeof(name)) < 0) {
		NL_SET_BAD_ATTR(extack, name_attr);
		NL_SET_ERR_MSG_MOD(extack,
				   "device name is longer than 15 bytes");
		return ERR_PTR(-EINVAL);
	}
	by_name = dibs_dev_find_by_name(name);
	if (!by_name) {
		NL_SET_BAD_ATTR(extack, name_attr);
		DIBS_NL_MSG_FMT(extack, "no dibs device with this name",
				"no dibs device %s", name);
		return ERR_PTR(-ENODEV);
	}
	if (by_index && by_index != by_name) {
		NL_SET_BAD_ATTR(extack, name_attr);
		DIBS_NL_MSG_FMT(extack,
				"index and name denote different devices",
				"index %u is dibs device %s, not %s", index,
				dev_name(&by_index->dev), name);
		return ERR_PTR(-EINVAL);
	}
	*dev_attr = name_attr;
	return by_name;
}

/* the device named by the dev-index/dev-name attributes of a dev-* op */
static struct dibs_dev *dibs_nl_dev_lookup(struct genl_info *info,
					   struct nlattr **dev_attr)
{
	return dibs_nl_find_dev(info->extack, info->attrs[DIBS_A_DEV_INDEX],
				info->attrs[DIBS_A_DEV_NAME], DIBS_A_DEV_NAME,
				dev_attr);
}

/* like dibs_nl_find_dev(), for a client named by id and/or name */
static struct dibs_client *dibs_nl_find_client(struct netlink_ext_ack *extack,
					       struct nlattr *id_attr,
					       struct nlattr *name_attr,
					       int miss_type,
					       struct nlattr **client_attr)
{
	char name[DIBS_CLIENT_NAME_MAX_LEN + 1];
	struct dibs_client *by_id = NULL;
	struct dibs_client *by_name;
	u32 id = 0;

	lockdep_assert_held(&dibs_devs_lock);
	if (!id_attr && !name_attr) {
		if (!miss_type)
			return NULL;
		NL_SET_ERR_ATTR_MISS(extack, NULL, miss_type);
		NL_SET_ERR_MSG_MOD(extack,
				   "no client given: pass its id or name");
		return ERR_PTR(-EINVAL);
	}
	if (id_attr) {
		id = nla_get_u32(id_attr);
		by_id = id < MAX_DIBS_CLIENTS ? dibs_client_by_id(id) : NULL;
		if (!by_id) {
			NL_SET_BAD_ATTR(extack, id_attr);
			DIBS_NL_MSG_FMT(extack, "no dibs client with this id",
					"no dibs client with id %u", id);
			return ERR_PTR(-ENOENT);
		}
		*client_attr = id_attr;
	}
	if (!name_attr)
		return by_id;

	if (nla_strscpy(name, name_attr, sizeof(name)) < 0) {
		NL_SET_BAD_ATTR(extack, name_attr);
		NL_SET_ERR_MSG_MOD(extack,
				   "client name is longer than 63 bytes");
		return ERR_PTR(-EINVAL);
	}
	by_name = dibs_client_by_name(name);
	if (!by_name) {
		NL_SET_BAD_ATTR(extack, name_attr);
		DIBS_NL_MSG_FMT(extack, "no dibs client with this name",
				"no dibs client %s", name);
		return ERR_PTR(-ENOENT);
	}
	if (by_id && by_id != by_name) {
		NL_SET_BAD_ATTR(extack, name_attr);
		DIBS_NL_MSG_FMT(extack,
				"id and name denote different clients",
				"client id %u is %s, not %s", id, by_id->name,
				name);
		return ERR_PTR(-EINVAL);
	}
	*client_attr = name_attr;
	return by_name;
}

int dibs_nl_dev_get_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr *dev_attr;
	struct dibs_dev *dibs;
	struct sk_buff *msg;
	int err;

	msg = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;

	mutex_lock(&dibs_devs_lock);
	dibs = dibs_nl_dev_lookup(info, &dev_attr);
	if (IS_ERR(dibs)) {
		err = PTR_ERR(dibs);
		goto err_unlock_free_msg;
	}
	err = dibs_nl_dev_fill(msg, dibs, info->snd_portid, info->snd_seq, 0,
			       info->genlhdr->cmd);
	if (err)
		goto err_unlock_free_msg;
	mutex_unlock(&dibs_devs_lock);
	return genlmsg_reply(msg, info);

err_unlock_free_msg:
	mutex_unlock(&dibs_devs_lock);
	nlmsg_free(msg);
	return err;
}

int dibs_nl_dev_get_dumpit(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct dibs_nl_dump_ctx *ctx = (struct dibs_nl_dump_ctx *)cb->ctx;
	struct dibs_dev *dibs;
	int err = 0;

	BUILD_BUG_ON(sizeof(*ctx) > sizeof(cb->ctx));
	mutex_lock(&dibs_devs_lock);
	for (dibs = dibs_dev_next(ctx->last_index); dibs;
	     dibs = dibs_dev_next(dibs->index)) {
		err = dibs_nl_dev_fill(skb, dibs,
				       NETLINK_CB(cb->skb).portid,
				       cb->nlh->nlmsg_seq, NLM_F_MULTI,
				       DIBS_CMD_DEV_GET);
		if (err)
			break;
		ctx->last_index = dibs->index;
	}
	mutex_unlock(&dibs_devs_lock);

	/* a full skb is sent; the dump goes on after ctx->last_index */
	if (err == -EMSGSIZE && skb->len)
		return skb->len;
	return err ?: skb->len;
}

static int dibs_nl_dev_new_name(struct genl_info *info,
				const struct dibs_dev_kind *kind, char *name,
				size_t size)
{
	struct nlattr *name_attr = info->attrs[DIBS_A_DEV_NAME];
	struct netlink_ext_ack *extack = info->extack;
	unsigned int n;

	if (!name_attr) {
		/* the first free of lo1, lo2, ...; the search ends */
		for (n = 1; ; n++) {
			snprintf(name, size, "%s%u", kind->name_prefix, n);
			if (!dibs_dev_find_by_name(name))
				return 0;
		}
	}
	if (nla_strscpy(name, name_attr, size) < 0) {
		NL_SET_BAD_ATTR(extack, name_attr);
		NL_SET_ERR_MSG_MOD(extack,
				   "device name is longer than 15 bytes");
		return -EINVAL;
	}
	if (!dibs_dev_name_valid(name)) {
		NL_SET_BAD_ATTR(extack, name_attr);
		NL_SET_ERR_MSG_MOD(extack,
				   "invalid device name: use 1 to 15 of A-Z a-z 0-9 _ . - (not \".\" or \"..\")");
		return -EINVAL;
	}
	if (dibs_dev_find_by_name(name)) {
		NL_SET_BAD_ATTR(extack, name_attr);
		DIBS_NL_MSG_FMT(extack, "a dibs device with this name exists",
				"dibs device %s exists", name);
		return -EEXIST;
	}
	return 0;
}

static int dibs_nl_dev_new_gid(struct genl_info *info, uuid_t *gid)
{
	struct nlattr *gid_attr = info->attrs[DIBS_A_DEV_GID];
	struct netlink_ext_ack *extack = info->extack;
	struct dibs_dev *holder;

	if (!gid_attr) {
		do {
			uuid_gen(gid);
		} while (dibs_dev_find_by_gid(gid));
		return 0;
	}
	if (nla_len(gid_attr) != sizeof(*gid)) {
		NL_SET_BAD_ATTR(extack, gid_attr);
		NL_SET_ERR_MSG_MOD(extack, "gid must be exactly 16 bytes");
		return -EINVAL;
	}
	memcpy(gid, nla_data(gid_attr), sizeof(*gid));
	if (uuid_is_null(gid)) {
		NL_SET_BAD_ATTR(extack, gid_attr);
		NL_SET_ERR_MSG_MOD(extack, "gid must not be all zeroes");
		return -EINVAL;
	}
	holder = dibs_dev_find_by_gid(gid);
	if (holder) {
		NL_SET_BAD_ATTR(extack, gid_attr);
		DIBS_NL_MSG_FMT(extack,
				"gid is already used by another dibs device",
				"gid %pUb is used by %s", gid,
				dev_name(&holder->dev));
		return -EEXIST;
	}
	return 0;
}

int dibs_nl_dev_new_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct netlink_ext_ack *extack = info->extack;
	char name[DIBS_DEV_NAME_MAX_LEN + 1];
	struct dibs_dev_kind *kind;
	struct dibs_dev *dibs;
	struct sk_buff *msg;
	uuid_t gid;
	u32 type;
	int err;

	if (GENL_REQ_ATTR_CHECK(info, DIBS_A_DEV_TYPE)) {
		NL_SET_ERR_MSG_MOD(extack, "missing device type");
		return -EINVAL;
	}
	type = nla_get_u32(info->attrs[DIBS_A_DEV_TYPE]);
	/* allocated first: once the device exists, nothing may fail */
	msg = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;

	mutex_lock(&dibs_devs_lock);
	if (dibs_nl_closing) {
		NL_SET_ERR_MSG_MOD(extack, "dibs is being unloaded");
		err = -ENODEV;
		goto err_unlock_free_msg;
	}
	/* the kind cannot be unregistered while we hold dibs_devs_lock */
	kind = dibs_dev_kind_find(type);
	if (!kind || !try_module_get(kind->owner)) {
		NL_SET_BAD_ATTR(extack, info->attrs[DIBS_A_DEV_TYPE]);
		DIBS_NL_MSG_FMT(extack,
				"no driver creates devices of this type",
				"no driver creates devices of type %u (%s)",
				type, kind ? "its module is going away" :
					     "none registered");
		err = -EOPNOTSUPP;
		goto err_unlock_free_msg;
	}
	err = dibs_nl_dev_new_name(info, kind, name, sizeof(name));
	if (err)
		goto err_put_kind;
	err = dibs_nl_dev_new_gid(info, &gid);
	if (err)
		goto err_put_kind;
	if (dibs_dev_count() >= READ_ONCE(max_devs)) {
		DIBS_NL_MSG_FMT(extack,
				"too many dibs devices (module parameter max_devs)",
				"%u dibs devices exist, module parameter max_devs allows %u",
				dibs_dev_count(), READ_ONCE(max_devs));
		err = -ENOSPC;
		goto err_put_kind;
	}
	err = kind->create(name, &gid, &dibs);
	if (err) {
		DIBS_NL_MSG_FMT(extack, "cannot create the device",
				"cannot create %s device %s", kind->name,
				name);
		goto err_put_kind;
	}
	err = dibs_nl_dev_fill(msg, dibs, info->snd_portid, info->snd_seq, 0,
			       info->genlhdr->cmd);
	if (WARN_ON_ONCE(err)) {
		/* cannot happen with NLMSG_GOODSIZE; leave nothing behind */
		kind->destroy(dibs, true, NULL);
		goto err_put_kind;
	}
	module_put(kind->owner);
	mutex_unlock(&dibs_devs_lock);
	return genlmsg_reply(msg, info);

err_put_kind:
	module_put(kind->owner);
err_unlock_free_msg:
	mutex_unlock(&dibs_devs_lock);
	nlmsg_free(msg);
	return err;
}

int dibs_nl_dev_del_doit(struct sk_buff *skb, struct genl_info *info)
{
	bool force = nla_get_flag(info->attrs[DIBS_A_DEV_FORCE]);
	struct netlink_ext_ack *extack = info->extack;
	unsigned int dmbs_in_use = 0;
	struct nlattr *dev_attr;
	struct dibs_dev *dibs;
	int err;

	mutex_lock(&dibs_devs_lock);
	if (dibs_nl_closing) {
		NL_SET_ERR_MSG_MOD(extack, "dibs is being unloaded");
		err = -ENODEV;
		goto out_unlock;
	}
	dibs = dibs_nl_dev_lookup(info, &dev_attr);
	if (IS_ERR(dibs)) {
		err = PTR_ERR(dibs);
		goto out_unlock;
	}
	if (!dibs->kind) {
		NL_SET_BAD_ATTR(extack, dev_attr);
		DIBS_NL_MSG_FMT(extack,
				"only devices created with dev-new can be deleted",
				"cannot delete %s: its driver added it, not dev-new",
				dev_name(&dibs->dev));
		err = -EOPNOTSUPP;
		goto out_unlock;
	}
	err = dibs->kind->destroy(dibs, force, &dmbs_in_use);
	if (err == -EBUSY) {
		NL_SET_BAD_ATTR(extack, dev_attr);
		DIBS_NL_MSG_FMT(extack,
				"device has DMBs registered; delete it with force to drop them",
				"%s has %u DMBs registered; delete with force",
				dev_name(&dibs->dev), dmbs_in_use);
	}
out_unlock:
	mutex_unlock(&dibs_devs_lock);
	return err;
}

/* Clients */

static unsigned int dibs_nl_client_dmbs(struct dibs_client *client)
{
	unsigned int dmbs = 0;
	struct dibs_dev *dibs;
	u32 index = 0;

	while ((dibs = dibs_dev_next(index))) {
		dmbs += dibs_track_client_dmbs(dibs, client->id);
		index = dibs->index;
	}
	return dmbs;
}

static int dibs_nl_client_fill(struct sk_buff *skb,
			       struct dibs_client *client, u32 portid,
			       u32 seq, int flags, u8 cmd)
{
	void *hdr;

	lockdep_assert_held(&dibs_devs_lock);
	hdr = genlmsg_put(skb, portid, seq, &dibs_nl_family, flags, cmd);
	if (!hdr)
		return -EMSGSIZE;
	if (nla_put_u32(skb, DIBS_A_CLIENT_ID, client->id) ||
	    nla_put_string(skb, DIBS_A_CLIENT_NAME, client->name) ||
	    nla_put_u32(skb, DIBS_A_CLIENT_DMBS, dibs_nl_client_dmbs(client)))
		goto err_cancel_msg;
	genlmsg_end(skb, hdr);
	return 0;

err_cancel_msg:
	genlmsg_cancel(skb, hdr);
	return -EMSGSIZE;
}

void dibs_nl_client_notify(struct dibs_client *client, u8 cmd)
{
	struct sk_buff *msg;

	lockdep_assert_held(&dibs_devs_lock);
	if (!dibs_nl_want(DIBS_NLGRP_MONITOR))
		return;
	msg = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!msg)
		goto err_tell_listeners;
	if (dibs_nl_client_fill(msg, client, 0, 0, 0, cmd)) {
		nlmsg_free(msg);
		goto err_tell_listeners;
	}
	dibs_nl_multicast(msg, DIBS_NLGRP_MONITOR, GFP_KERNEL);
	return;

err_tell_listeners:
	dibs_nl_missed(DIBS_NLGRP_MONITOR);
}

void dibs_nl_bind_notify(struct dibs_client *client, struct dibs_dev *dibs,
			 u8 cmd)
{
	struct sk_buff *msg;
	void *hdr;

	lockdep_assert_held(&dibs_devs_lock);
	if (!dibs_nl_want(DIBS_NLGRP_MONITOR))
		return;
	msg = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!msg)
		goto err_tell_listeners;
	hdr = genlmsg_put(msg, 0, 0, &dibs_nl_family, 0, cmd);
	if (!hdr ||
	    nla_put_u32(msg, DIBS_A_CLIENT_ID, client->id) ||
	    nla_put_string(msg, DIBS_A_CLIENT_NAME, client->name) ||
	    nla_put_u32(msg, DIBS_A_CLIENT_DEV_INDEX, dibs->index) ||
	    nla_put_string(msg, DIBS_A_CLIENT_DEV_NAME,
			   dev_name(&dibs->dev))) {
		nlmsg_free(msg);
		goto err_tell_listeners;
	}
	genlmsg_end(msg, hdr);
	dibs_nl_multicast(msg, DIBS_NLGRP_MONITOR, GFP_KERNEL);
	return;

err_tell_listeners:
	dibs_nl_missed(DIBS_NLGRP_MONITOR);
}

int dibs_nl_client_get_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct dibs_client *client;
	struct nlattr *client_attr;
	struct sk_buff *msg;
	int err;

	msg = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	mutex_lock(&dibs_devs_lock);
	client = dibs_nl_find_client(info->extack,
				     info->attrs[DIBS_A_CLIENT_ID],
				     info->attrs[DIBS_A_CLIENT_NAME],
				     DIBS_A_CLIENT_NAME, &client_attr);
	if (IS_ERR(client)) {
		err = PTR_ERR(client);
		goto err_unlock_free_msg;
	}
	err = dibs_nl_client_fill(msg, client, info->snd_portid,
				  info->snd_seq, 0, info->genlhdr->cmd);
	if (err)
		goto err_unlock_free_msg;
	mutex_unlock(&dibs_devs_lock);
	return genlmsg_reply(msg, info);

err_unlock_free_msg:
	mutex_unlock(&dibs_devs_lock);
	nlmsg_free(msg);
	return err;
}

/* where a client-get dump resumes */
struct dibs_nl_client_dump_ctx {
	u32 next_id;
};

int dibs_nl_client_get_dumpit(struct sk_buff *skb,
			      struct netlink_callback *cb)
{
	struct dibs_nl_client_dump_ctx *ctx = (void *)cb->ctx;
	struct dibs_client *client;
	int err = 0;

	BUILD_BUG_ON(sizeof(*ctx) > sizeof(cb->ctx));
	mutex_lock(&dibs_devs_lock);
	for (; ctx->next_id < MAX_DIBS_CLIENTS; ctx->next_id++) {
		client = dibs_client_by_id(ctx->next_id);
		if (!client)
			continue;
		err = dibs_nl_client_fill(skb, client,
					  NETLINK_CB(cb->skb).portid,
					  cb->nlh->nlmsg_seq, NLM_F_MULTI,
					  DIBS_CMD_CLIENT_GET);
		if (err)
			break;
	}
	mutex_unlock(&dibs_devs_lock);

	if (err == -EMSGSIZE && skb->len)
		return skb->len;
	return err ?: skb->len;
}

/* the client and device of client-bind and client-unbind */
static int dibs_nl_client_dev_lookup(struct genl_info *info,
				     struct dibs_client **client,
				     struct dibs_dev **dibs)
{
	struct nlattr *client_attr, *dev_attr;

	*client = dibs_nl_find_client(info->extack,
				      info->attrs[DIBS_A_CLIENT_ID],
				      info->attrs[DIBS_A_CLIENT_NAME],
				      DIBS_A_CLIENT_NAME, &client_attr);
	if (IS_ERR(*client))
		return PTR_ERR(*client);
	*dibs = dibs_nl_find_dev(info->extack,
				 info->attrs[DIBS_A_CLIENT_DEV_INDEX],
				 info->attrs[DIBS_A_CLIENT_DEV_NAME],
				 DIBS_A_CLIENT_DEV_NAME, &dev_attr);
	return PTR_ERR_OR_ZERO(*dibs);
}

int dibs_nl_client_bind_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct netlink_ext_ack *extack = info->extack;
	struct dibs_client *client;
	struct dibs_dev *dibs;
	int err;

	mutex_lock(&dibs_devs_lock);
	if (dibs_nl_closing) {
		NL_SET_ERR_MSG_MOD(extack, "dibs is being unloaded");
		err = -ENODEV;
		goto out_unlock;
	}
	err = dibs_nl_client_dev_lookup(info, &client, &dibs);
	if (err)
		goto out_unlock;
	err = dibs_client_bind_locked(client, dibs);
	if (err == -EEXIST)
		DIBS_NL_MSG_FMT(extack, "client is already bound to the device",
				"client %s is already bound to %s",
				client->name, dev_name(&dibs->dev));
out_unlock:
	mutex_unlock(&dibs_devs_lock);
	return err;
}

int dibs_nl_client_unbind_doit(struct sk_buff *skb, struct genl_info *info)
{
	bool force = nla_get_flag(info->attrs[DIBS_A_CLIENT_FORCE]);
	struct netlink_ext_ack *extack = info->extack;
	struct dibs_client *client;
	unsigned int dmbs = 0;
	struct dibs_dev *dibs;
	int err;

	mutex_lock(&dibs_devs_lock);
	if (dibs_nl_closing) {
		NL_SET_ERR_MSG_MOD(extack, "dibs is being unloaded");
		err = -ENODEV;
		goto out_unlock;
	}
	err = dibs_nl_client_dev_lookup(info, &client, &dibs);
	if (err)
		goto out_unlock;
	err = dibs_client_unbind_locked(client, dibs, force, &dmbs);
	if (err == -ENOENT)
		DIBS_NL_MSG_FMT(extack, "client is not bound to the device",
				"client %s is not bound to %s", client->name,
				dev_name(&dibs->dev));
	else if (err == -EBUSY)
		DIBS_NL_MSG_FMT(extack,
				"client holds DMBs on the device, e.g. SMC-D for minutes after its last connection; force ends its connections",
				"%s holds %u DMBs on %s (SMC-D: minutes when idle); force ends conns",
				client->name, dmbs, dev_name(&dibs->dev));
out_unlock:
	mutex_unlock(&dibs_devs_lock);
	return err;
}

/* Bindings */

static int dibs_nl_binding_fill(struct sk_buff *skb, struct dibs_dev *dibs,
				struct dibs_client *client, u32 portid,
				u32 seq, int flags)
{
	void *hdr;

	lockdep_assert_held(&dibs_devs_lock);
	hdr = genlmsg_put(skb, portid, seq, &dibs_nl_family, flags,
			  DIBS_CMD_BINDING_GET);
	if (!hdr)
		return -EMSGSIZE;
	if (nla_put_u32(skb, DIBS_A_BINDING_DEV_INDEX, dibs->index) ||
	    nla_put_string(skb, DIBS_A_BINDING_DEV_NAME,
			   dev_name(&dibs->dev)) ||
	    nla_put_u32(skb, DIBS_A_BINDING_CLIENT_ID, client->id) ||
	    nla_put_string(skb, DIBS_A_BINDING_CLIENT_NAME, client->name) ||
	    nla_put_u32(skb, DIBS_A_BINDING_DMBS,
			dibs_track_client_dmbs(dibs, client->id)))
		goto err_cancel_msg;
	genlmsg_end(skb, hdr);
	return 0;

err_cancel_msg:
	genlmsg_cancel(skb, hdr);
	return -EMSGSIZE;
}

int dibs_nl_binding_get_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr *client_attr, *dev_attr;
	struct dibs_client *client;
	struct dibs_dev *dibs;
	struct sk_buff *msg;
	int err;

	msg = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	mutex_lock(&dibs_devs_lock);
	dibs = dibs_nl_find_dev(info->extack,
				info->attrs[DIBS_A_BINDING_DEV_INDEX],
				info->attrs[DIBS_A_BINDING_DEV_NAME],
				DIBS_A_BINDING_DEV_NAME, &dev_attr);
	if (IS_ERR(dibs)) {
		err = PTR_ERR(dibs);
		goto err_unlock_free_msg;
	}
	client = dibs_nl_find_client(info->extack,
				     info->attrs[DIBS_A_BINDING_CLIENT_ID],
				     info->attrs[DIBS_A_BINDING_CLIENT_NAME],
				     DIBS_A_BINDING_CLIENT_NAME, &client_attr);
	if (IS_ERR(client)) {
		err = PTR_ERR(client);
		goto err_unlock_free_msg;
	}
	if (!dibs_track_bound(dibs, client->id)) {
		DIBS_NL_MSG_FMT(info->extack,
				"client is not bound to the device",
				"client %s is not bound to %s", client->name,
				dev_name(&dibs->dev));
		err = -ENOENT;
		goto err_unlock_free_msg;
	}
	err = dibs_nl_binding_fill(msg, dibs, client, info->snd_portid,
				   info->snd_seq, 0);
	if (err)
		goto err_unlock_free_msg;
	mutex_unlock(&dibs_devs_lock);
	return genlmsg_reply(msg, info);

err_unlock_free_msg:
	mutex_unlock(&dibs_devs_lock);
	nlmsg_free(msg);
	return err;
}

/*
 * Where a binding-get dump resumes, and its filters.  It resumes by key,
 * (device index, client id), so that devices and clients that come and
 * go between the parts neither repeat nor hide the others.
 */
struct dibs_nl_binding_dump_ctx {
	/* the device being dumped, 0 before the first */
	u32 dev_index;
	/* the next client id to look at on it */
	u32 next_id;
	/* only this device if non-zero */
	u32 filter_dev;
	/* only this client unless NO_DIBS_CLIENT */
	u8 filter_client;
	bool started;
};

static int dibs_nl_binding_dump_start(struct netlink_callback *cb,
				      struct dibs_nl_binding_dump_ctx *ctx)
{
	struct nlattr **attrs = dibs_nl_dump_attrs(cb);
	struct dibs_client *client;
	struct dibs_dev *dibs;
	struct nlattr *attr;

	ctx->filter_client = NO_DIBS_CLIENT;
	dibs = dibs_nl_find_dev(cb->extack, attrs[DIBS_A_BINDING_DEV_INDEX],
				attrs[DIBS_A_BINDING_DEV_NAME], 0, &attr);
	if (IS_ERR(dibs))
		return PTR_ERR(dibs);
	if (dibs)
		ctx->filter_dev = dibs->index;
	client = dibs_nl_find_client(cb->extack,
				     attrs[DIBS_A_BINDING_CLIENT_ID],
				     attrs[DIBS_A_BINDING_CLIENT_NAME], 0,
				     &attr);
	if (IS_ERR(client))
		return PTR_ERR(client);
	if (client)
		ctx->filter_client = client->id;
	ctx->started = true;
	return 0;
}

int dibs_nl_binding_get_dumpit(struct sk_buff *skb,
			       struct netlink_callback *cb)
{
	struct dibs_nl_binding_dump_ctx *ctx = (void *)cb->ctx;
	struct dibs_client *client;
	struct dibs_dev *dibs;
	int err = 0;

	BUILD_BUG_ON(sizeof(*ctx) > sizeof(cb->ctx));
	mutex_lock(&dibs_devs_lock);
	if (!ctx->started) {
		err = dibs_nl_binding_dump_start(cb, ctx);
		if (err)
			goto out_unlock;
	}
	/* resumes on the device of the last part, if it is still there */
	for (dibs = dibs_dev_next(ctx->dev_index ? ctx->dev_index - 1 : 0);
	     dibs; dibs = dibs_dev_next(dibs->index)) {
		if (dibs->index != ctx->dev_index) {
			ctx->dev_index = dibs->index;
			ctx->next_id = 0;
		}
		if (ctx->filter_dev && dibs->index != ctx->filter_dev)
			continue;
		for (; ctx->next_id < MAX_DIBS_CLIENTS; ctx->next_id++) {
			if (ctx->filter_client != NO_DIBS_CLIENT &&
			    ctx->next_id != ctx->filter_client)
				continue;
			client = dibs_client_by_id(ctx->next_id);
			if (!client || !dibs_track_bound(dibs, client->id))
				continue;
			err = dibs_nl_binding_fill(skb, dibs, client,
						   NETLINK_CB(cb->skb).portid,
						   cb->nlh->nlmsg_seq,
						   NLM_F_MULTI);
			if (err)
				goto out_unlock;
		}
	}
out_unlock:
	mutex_unlock(&dibs_devs_lock);

	if (err == -EMSGSIZE && skb->len)
		return skb->len;
	return err ?: skb->len;
}

/* DMBs */

static int dibs_nl_dmb_fill(struct sk_buff *skb, struct dibs_dev *dibs,
			    const struct dibs_dmb_info *rec, bool token,
			    u32 portid, u32 seq, int flags, u8 cmd)
{
	void *hdr;

	hdr = genlmsg_put(skb, portid, seq, &dibs_nl_family, flags, cmd);
	if (!hdr)
		return -EMSGSIZE;
	if (nla_put_u32(skb, DIBS_A_DMB_DEV_INDEX, dibs->index) ||
	    nla_put_string(skb, DIBS_A_DMB_DEV_NAME, dev_name(&dibs->dev)))
		goto err_cancel_msg;
	if (rec->client_id < MAX_DIBS_CLIENTS &&
	    (nla_put_u32(skb, DIBS_A_DMB_CLIENT_ID, rec->client_id) ||
	     nla_put_string(skb, DIBS_A_DMB_CLIENT_NAME, rec->client_name)))
		goto err_cancel_msg;
	if (token && nla_put_u64_64bit(skb, DIBS_A_DMB_TOKEN, rec->token,
				       DIBS_A_DMB_PAD))
		goto err_cancel_msg;
	if (nla_put_u32(skb, DIBS_A_DMB_IDX, rec->idx) ||
	    nla_put_u32(skb, DIBS_A_DMB_LEN, rec->len) ||
	    nla_put(skb, DIBS_A_DMB_RGID, sizeof(rec->rgid), &rec->rgid))
		goto err_cancel_msg;
	if (rec->vlan_valid &&
	    nla_put_u16(skb, DIBS_A_DMB_VLAN_ID, rec->vlan_id))
		goto err_cancel_msg;
	if (cmd == DIBS_CMD_DMB_GET && rec->attached &&
	    nla_put_flag(skb, DIBS_A_DMB_ATTACHED))
		goto err_cancel_msg;
	if (cmd != DIBS_CMD_DMB_NEW_NTF &&
	    (nla_put_u64_64bit(skb, DIBS_A_DMB_BYTES, rec->bytes,
			       DIBS_A_DMB_PAD) ||
	     nla_put_u64_64bit(skb, DIBS_A_DMB_MOVES, rec->moves,
			       DIBS_A_DMB_PAD) ||
	     nla_put_u64_64bit(skb, DIBS_A_DMB_SIGNALS, rec->signals,
			       DIBS_A_DMB_PAD)))
		goto err_cancel_msg;
	genlmsg_end(skb, hdr);
	return 0;

err_cancel_msg:
	genlmsg_cancel(skb, hdr);
	return -EMSGSIZE;
}

void dibs_nl_dmb_notify(struct dibs_dev *dibs, const struct dibs_dmb_info *rec,
			u8 cmd)
{
	struct sk_buff *msg;

	/* where anyone may join the group, nobody gets DMBs from it */
	if (!DIBS_NL_MCGRP_CAPS || !dibs_nl_want(DIBS_NLGRP_DMB))
		return;
	msg = genlmsg_new(NLMSG_GOODSIZE, GFP_ATOMIC);
	if (!msg)
		goto err_tell_listeners;
	/* a token is a write capability: never broadcast it */
	if (dibs_nl_dmb_fill(msg, dibs, rec, false, 0, 0, 0, cmd)) {
		nlmsg_free(msg);
		goto err_tell_listeners;
	}
	dibs_nl_multicast(msg, DIBS_NLGRP_DMB, GFP_ATOMIC);
	return;

err_tell_listeners:
	dibs_nl_missed(DIBS_NLGRP_DMB);
}

/* where a dmb-get dump resumes, and its filters */
struct dibs_nl_dmb_dump_ctx {
	/* the device being dumped, 0 before the first */
	u32 dev_index;
	/* the next DMB index to look at on it */
	u32 next_idx;
	/* only this device if non-zero */
	u32 filter_dev;
	/* only this client unless NO_DIBS_CLIENT */
	u8 filter_client;
	bool started;
	/* whether the caller may see tokens */
	bool tokens;
};

/* resolves the filters of a dmb-get dump, once */
static int dibs_nl_dmb_dump_start(struct netlink_callback *cb,
				  struct dibs_nl_dmb_dump_ctx *ctx)
{
	struct nlattr **attrs = dibs_nl_dump_attrs(cb);
	struct dibs_client *client;
	struct nlattr *attr;
	struct dibs_dev *dibs;

	/* decided in the requester's context, for every part of the dump */
	ctx->tokens = netlink_capable(cb->skb, CAP_NET_ADMIN);
	ctx->filter_client = NO_DIBS_CLIENT;
	dibs = dibs_nl_find_dev(cb->extack, attrs[DIBS_A_DMB_DEV_INDEX],
				attrs[DIBS_A_DMB_DEV_NAME], 0, &attr);
	if (IS_ERR(dibs))
		return PTR_ERR(dibs);
	if (dibs)
		ctx->filter_dev = dibs->index;
	client = dibs_nl_find_client(cb->extack, attrs[DIBS_A_DMB_CLIENT_ID],
				     attrs[DIBS_A_DMB_CLIENT_NAME], 0, &attr);
	if (IS_ERR(client))
		return PTR_ERR(client);
	if (client)
		ctx->filter_client = client->id;
	ctx->started = true;
	return 0;
}

int dibs_nl_dmb_get_dumpit(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct dibs_nl_dmb_dump_ctx *ctx = (void *)cb->ctx;
	struct dibs_dmb_info rec;
	struct dibs_dev *dibs;
	int err = 0;

	BUILD_BUG_ON(sizeof(*ctx) > sizeof(cb->ctx));
	mutex_lock(&dibs_devs_lock);
	if (!ctx->started) {
		err = dibs_nl_dmb_dump_start(cb, ctx);
		if (err)
			goto out_unlock;
	}
	/* resumes on the device of the last part, if it is still there */
	for (dibs = dibs_dev_next(ctx->dev_index ? ctx->dev_index - 1 : 0);
	     dibs; dibs = dibs_dev_next(dibs->index)) {
		if (dibs->index != ctx->dev_index) {
			ctx->dev_index = dibs->index;
			ctx->next_idx = 0;
		}
		if (ctx->filter_dev && dibs->index != ctx->filter_dev)
			continue;
		while (dibs_track_dmb_next(dibs, ctx->next_idx, &rec)) {
			if (ctx->filter_client == NO_DIBS_CLIENT ||
			    rec.client_id == ctx->filter_client) {
				err = dibs_nl_dmb_fill(skb, dibs, &rec,
						       ctx->tokens,
						       NETLINK_CB(cb->skb).portid,
						       cb->nlh->nlmsg_seq,
						       NLM_F_MULTI,
						       DIBS_CMD_DMB_GET);
				if (err)
					goto out_unlock;
			}
			ctx->next_idx = rec.idx + 1;
		}
	}
out_unlock:
	mutex_unlock(&dibs_devs_lock);

	if (err == -EMSGSIZE && skb->len)
		return skb->len;
	return err ?: skb->len;
}

/* GIDs */

static int dibs_nl_gid_fill(struct sk_buff *skb, struct dibs_dev *dibs,
			    const uuid_t *gid, const struct dibs_peer *peer,
			    u32 portid, u32 seq, int flags)
{
	void *hdr;

	hdr = genlmsg_put(skb, portid, seq, &dibs_nl_family, flags,
			  DIBS_CMD_GID_GET);
	if (!hdr)
		return -EMSGSIZE;
	if (nla_put(skb, DIBS_A_GID_GID, sizeof(*gid), gid) ||
	    nla_put_u32(skb, DIBS_A_GID_ROLE,
			peer ? DIBS_GID_ROLE_PEER : DIBS_GID_ROLE_LOCAL) ||
	    nla_put_u32(skb, DIBS_A_GID_DEV_INDEX, dibs->index) ||
	    nla_put_string(skb, DIBS_A_GID_DEV_NAME, dev_name(&dibs->dev)) ||
	    nla_put_u16(skb, DIBS_A_GID_FABRIC_ID,
			dibs->ops->get_fabric_id(dibs)))
		goto err_cancel_msg;
	if (peer && nla_put_u32(skb, DIBS_A_GID_DMBS, peer->dmbs))
		goto err_cancel_msg;
	genlmsg_end(skb, hdr);
	return 0;

err_cancel_msg:
	genlmsg_cancel(skb, hdr);
	return -EMSGSIZE;
}

/*
 * Where a gid-get dump resumes: by key, not by position, so that peers
 * coming or going between the parts neither repeat nor hide others.
 */
struct dibs_nl_gid_dump_ctx {
	/* the device being dumped, 0 before the first */
	u32 dev_index;
	/* the device's own GID was sent */
	bool local_sent;
	/* a peer of the device was sent, the last one is last_peer */
	bool peer_sent;
	uuid_t last_peer;
};

int dibs_nl_gid_get_dumpit(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct dibs_nl_gid_dump_ctx *ctx = (void *)cb->ctx;
	u32 portid = NETLINK_CB(cb->skb).portid;
	u32 seq = cb->nlh->nlmsg_seq;
	struct dibs_peer *peers;
	struct dibs_dev *dibs;
	int err = 0, n, i;

	BUILD_BUG_ON(sizeof(*ctx) > sizeof(cb->ctx));
	mutex_lock(&dibs_devs_lock);
	for (dibs = dibs_dev_next(ctx->dev_index ? ctx->dev_index - 1 : 0);
	     dibs; dibs = dibs_dev_next(dibs->index)) {
		if (dibs->index != ctx->dev_index) {
			ctx->dev_index = dibs->index;
			ctx->local_sent = false;
			ctx->peer_sent = false;
		}
		if (!ctx->local_sent) {
			err = dibs_nl_gid_fill(skb, dibs, &dibs->gid, NULL,
					       portid, seq, NLM_F_MULTI);
			if (err)
				break;
			ctx->local_sent = true;
		}
		n = dibs_track_peers(dibs, &peers);
		if (n < 0) {
			err = n;
			break;
		}
		/* the peers are sorted by GID: go on after the last sent */
		for (i = 0; i < n; i++) {
			if (ctx->peer_sent &&
			    memcmp(&peers[i].gid, &ctx->last_peer,
				   sizeof(ctx->last_peer)) <= 0)
				continue;
			err = dibs_nl_gid_fill(skb, dibs, &peers[i].gid,
					       &peers[i], portid, seq,
					       NLM_F_MULTI);
			if (err)
				break;
			uuid_copy(&ctx->last_peer, &peers[i].gid);
			ctx->peer_sent = true;
		}
		kvfree(peers);
		if (err)
			break;
	}
	mutex_unlock(&dibs_devs_lock);

	if (err == -EMSGSIZE && skb->len)
		return skb->len;
	return err ?: skb->len;
}

int dibs_nl_gid_check_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr *vid_attr = info->attrs[DIBS_A_GID_VLAN_ID];
	struct netlink_ext_ack *extack = info->extack;
	struct nlattr *dev_attr;
	struct dibs_dev *dibs;
	struct sk_buff *msg;
	u16 vid = 0;
	void *hdr;
	uuid_t gid;
	int err;

	if (GENL_REQ_ATTR_CHECK(info, DIBS_A_GID_GID)) {
		NL_SET_ERR_MSG_MOD(extack, "missing GID to check");
		return -EINVAL;
	}
	memcpy(&gid, nla_data(info->attrs[DIBS_A_GID_GID]), sizeof(gid));
	if (vid_attr)
		vid = nla_get_u16(vid_attr);
	msg = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;

	mutex_lock(&dibs_devs_lock);
	dibs = dibs_nl_find_dev(extack, info->attrs[DIBS_A_GID_DEV_INDEX],
				info->attrs[DIBS_A_GID_DEV_NAME],
				DIBS_A_GID_DEV_NAME, &dev_attr);
	if (IS_ERR(dibs)) {
		err = PTR_ERR(dibs);
		goto err_unlock_free_msg;
	}
	err = dibs->ops->query_remote_gid(dibs, &gid, !!vid_attr, vid);
	hdr = genlmsg_put(msg, info->snd_portid, info->snd_seq,
			  &dibs_nl_family, 0, info->genlhdr->cmd);
	if (!hdr ||
	    nla_put_u32(msg, DIBS_A_GID_DEV_INDEX, dibs->index) ||
	    nla_put_string(msg, DIBS_A_GID_DEV_NAME, dev_name(&dibs->dev)) ||
	    nla_put(msg, DIBS_A_GID_GID, sizeof(gid), &gid) ||
	    (vid_attr && nla_put_u16(msg, DIBS_A_GID_VLAN_ID, vid)) ||
	    nla_put_u8(msg, DIBS_A_GID_REACHABLE, !err)) {
		err = -EMSGSIZE;
		goto err_unlock_free_msg;
	}
	genlmsg_end(msg, hdr);
	mutex_unlock(&dibs_devs_lock);
	return genlmsg_reply(msg, info);

err_unlock_free_msg:
	mutex_unlock(&dibs_devs_lock);
	nlmsg_free(msg);
	return err;
}

/* VLANs */

static int dibs_nl_vlan_fill(struct sk_buff *skb, struct dibs_dev *dibs,
			     const struct dibs_vlan_ref *ref, u32 portid,
			     u32 seq, int flags)
{
	void *hdr;

	hdr = genlmsg_put(skb, portid, seq, &dibs_nl_family, flags,
			  DIBS_CMD_VLAN_GET);
	if (!hdr)
		return -EMSGSIZE;
	if (nla_put_u32(skb, DIBS_A_VLAN_DEV_INDEX, dibs->index) ||
	    nla_put_string(skb, DIBS_A_VLAN_DEV_NAME, dev_name(&dibs->dev)) ||
	    nla_put_u16(skb, DIBS_A_VLAN_ID, ref->vid))
		goto err_cancel_msg;
	if (nla_put_u32(skb, DIBS_A_VLAN_CLIENT_ID, ref->client_id) ||
	    nla_put_string(skb, DIBS_A_VLAN_CLIENT_NAME,
			   dibs_client_name(ref->client_id)) ||
	    nla_put_u32(skb, DIBS_A_VLAN_REFS, ref->refs))
		goto err_cancel_msg;
	genlmsg_end(skb, hdr);
	return 0;

err_cancel_msg:
	genlmsg_cancel(skb, hdr);
	return -EMSGSIZE;
}

/*
 * Where a vlan-get dump resumes, and its filter. It resumes by key, the
 * order of dibs_dev_track::vlans: VLAN id, then client id.
 */
struct dibs_nl_vlan_dump_ctx {
	/* the device being dumped, 0 before the first */
	u32 dev_index;
	/* only this device if non-zero */
	u32 filter_dev;
	/* an entry of the device was sent: the last is last_vid, last_key */
	bool sent;
	bool started;
	u16 last_vid;
	int last_key;
};

/* the order of references to one VLAN, as in dibs_track.c */
static int dibs_nl_vlan_key(const struct dibs_vlan_ref *ref)
{
	return ref->client_id;
}

/* whether @ref comes after the last entry the dump sent */
static bool dibs_nl_vlan_after(const struct dibs_nl_vlan_dump_ctx *ctx,
			       const struct dibs_vlan_ref *ref)
{
	if (!ctx->sent || ref->vid != ctx->last_vid)
		return !ctx->sent || ref->vid > ctx->last_vid;
	return dibs_nl_vlan_key(ref) > ctx->last_key;
}

int dibs_nl_vlan_get_dumpit(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct dibs_nl_vlan_dump_ctx *ctx = (void *)cb->ctx;
	struct nlattr **attrs = dibs_nl_dump_attrs(cb);
	struct dibs_vlan_ref *ref;
	struct dibs_dev_track *t;
	struct dibs_dev *dibs;
	struct nlattr *attr;
	int err = 0;

	BUILD_BUG_ON(sizeof(*ctx) > sizeof(cb->ctx));
	mutex_lock(&dibs_devs_lock);
	if (!ctx->started) {
		dibs = dibs_nl_find_dev(cb->extack,
					attrs[DIBS_A_VLAN_DEV_INDEX],
					attrs[DIBS_A_VLAN_DEV_NAME], 0, &attr);
		if (IS_ERR(dibs)) {
			err = PTR_ERR(dibs);
			goto out_unlock;
		}
		if (dibs)
			ctx->filter_dev = dibs->index;
		ctx->started = true;
	}
	for (dibs = dibs_dev_next(ctx->dev_index ? ctx->dev_index - 1 : 0);
	     dibs; dibs = dibs_dev_next(dibs->index)) {
		if (dibs->index != ctx->dev_index) {
			ctx->dev_index = dibs->index;
			ctx->sent = false;
		}
		if (ctx->filter_dev && dibs->index != ctx->filter_dev)
			continue;
		t = dibs->track;
		mutex_lock(&t->vlan_lock);
		list_for_each_entry(ref, &t->vlans, list) {
			if (!dibs_nl_vlan_after(ctx, ref))
				continue;
			err = dibs_nl_vlan_fill(skb, dibs, ref,
						NETLINK_CB(cb->skb).portid,
						cb->nlh->nlmsg_seq,
						NLM_F_MULTI);
			if (err)
				break;
			ctx->last_vid = ref->vid;
			ctx->last_key = dibs_nl_vlan_key(ref);
			ctx->sent = true;
		}
		mutex_unlock(&t->vlan_lock);
		if (err)
			break;
	}
out_unlock:
	mutex_unlock(&dibs_devs_lock);

	if (err == -EMSGSIZE && skb->len)
		return skb->len;
	return err ?: skb->len;
}

/* Statistics */

/* statistics of @dibs, or else of @client */
static int dibs_nl_stats_fill(struct sk_buff *skb, struct dibs_dev *dibs,
			      struct dibs_client *client, u32 portid,
			      u32 seq, int flags, u8 cmd)
{
	struct dibs_stats_vals v;
	void *hdr;

	hdr = genlmsg_put(skb, portid, seq, &dibs_nl_family, flags, cmd);
	if (!hdr)
		return -EMSGSIZE;
	if (dibs) {
		dibs_stats_read(&dibs->track->stats, &v);
		if (nla_put_u32(skb, DIBS_A_STATS_DEV_INDEX, dibs->index) ||
		    nla_put_string(skb, DIBS_A_STATS_DEV_NAME,
				   dev_name(&dibs->dev)))
			goto err_cancel_msg;
	} else {
		dibs_stats_read(dibs_client_stats(client->id), &v);
		if (nla_put_u32(skb, DIBS_A_STATS_CLIENT_ID, client->id) ||
		    nla_put_string(skb, DIBS_A_STATS_CLIENT_NAME, client->name))
			goto err_cancel_msg;
	}
	if (nla_put_u32(skb, DIBS_A_STATS_DMBS_IN_USE, v.dmbs_in_use) ||
	    nla_put_u32(skb, DIBS_A_STATS_DMBS_MAX_IN_USE,
			v.dmbs_max_in_use) ||
	    nla_put_u64_64bit(skb, DIBS_A_STATS_DMB_REGISTRATIONS,
			      v.registrations, DIBS_A_STATS_PAD) ||
	    nla_put_u64_64bit(skb, DIBS_A_STATS_DMB_UNREGISTRATIONS,
			      v.unregistrations, DIBS_A_STATS_PAD) ||
	    nla_put_u64_64bit(skb, DIBS_A_STATS_DMB_FAIL_NOSPC,
			      v.fail_nospc, DIBS_A_STATS_PAD) ||
	    nla_put_u64_64bit(skb, DIBS_A_STATS_DMB_FAIL_NOMEM,
			      v.fail_nomem, DIBS_A_STATS_PAD) ||
	    nla_put_u64_64bit(skb, DIBS_A_STATS_DMB_FAIL_OTHER,
			      v.fail_other, DIBS_A_STATS_PAD) ||
	    nla_put_u64_64bit(skb, DIBS_A_STATS_MOVES, v.moves,
			      DIBS_A_STATS_PAD) ||
	    nla_put_u64_64bit(skb, DIBS_A_STATS_MOVE_BYTES, v.move_bytes,
			      DIBS_A_STATS_PAD) ||
	    nla_put_u64_64bit(skb, DIBS_A_STATS_MOVE_ERRORS, v.move_errors,
			      DIBS_A_STATS_PAD) ||
	    nla_put_u64_64bit(skb, DIBS_A_STATS_SIGNALS, v.signals,
			      DIBS_A_STATS_PAD) ||
	    nla_put_u64_64bit(skb, DIBS_A_STATS_EVENTS, v.events,
			      DIBS_A_STATS_PAD))
		goto err_cancel_msg;
	genlmsg_end(skb, hdr);
	return 0;

err_cancel_msg:
	genlmsg_cancel(skb, hdr);
	return -EMSGSIZE;
}

int dibs_nl_stats_get_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr *dev_index = info->attrs[DIBS_A_STATS_DEV_INDEX];
	struct nlattr *dev_name = info->attrs[DIBS_A_STATS_DEV_NAME];
	struct nlattr *client_id = info->attrs[DIBS_A_STATS_CLIENT_ID];
	struct nlattr *client_name = info->attrs[DIBS_A_STATS_CLIENT_NAME];
	struct netlink_ext_ack *extack = info->extack;
	struct dibs_client *client = NULL;
	struct dibs_dev *dibs = NULL;
	struct nlattr *attr;
	struct sk_buff *msg;
	int err;

	if ((dev_index || dev_name) && (client_id || client_name)) {
		NL_SET_BAD_ATTR(extack, client_id ?: client_name);
		NL_SET_ERR_MSG_MOD(extack,
				   "give either a device or a client, not both");
		return -EINVAL;
	}
	if (!dev_index && !dev_name && !client_id && !client_name) {
		NL_SET_ERR_ATTR_MISS(extack, NULL, DIBS_A_STATS_DEV_NAME);
		NL_SET_ERR_MSG_MOD(extack,
				   "no device or client given: pass one, or dump");
		return -EINVAL;
	}
	msg = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;

	mutex_lock(&dibs_devs_lock);
	if (dev_index || dev_name) {
		dibs = dibs_nl_find_dev(extack, dev_index, dev_name,
					DIBS_A_STATS_DEV_NAME, &attr);
		err = PTR_ERR_OR_ZERO(dibs);
	} else {
		client = dibs_nl_find_client(extack, client_id, client_name,
					     DIBS_A_STATS_CLIENT_NAME, &attr);
		err = PTR_ERR_OR_ZERO(client);
	}
	if (err)
		goto err_unlock_free_msg;
	err = dibs_nl_stats_fill(msg, dibs, client, info->snd_portid,
				 info->snd_seq, 0, info->genlhdr->cmd);
	if (err)
		goto err_unlock_free_msg;
	mutex_unlock(&dibs_devs_lock);
	return genlmsg_reply(msg, info);

err_unlock_free_msg:
	mutex_unlock(&dibs_devs_lock);
	nlmsg_free(msg);
	return err;
}

/* where a stats-get dump resumes: devices first, then clients */
struct dibs_nl_stats_dump_ctx {
	u32 last_index;
	u32 next_client;
	bool clients;
};

int dibs_nl_stats_get_dumpit(struct sk_buff *skb,
			     struct netlink_callback *cb)
{
	struct dibs_nl_stats_dump_ctx *ctx = (void *)cb->ctx;
	u32 portid = NETLINK_CB(cb->skb).portid;
	u32 seq = cb->nlh->nlmsg_seq;
	struct dibs_client *client;
	struct dibs_dev *dibs;
	int err = 0;

	BUILD_BUG_ON(sizeof(*ctx) > sizeof(cb->ctx));
	mutex_lock(&dibs_devs_lock);
	if (!ctx->clients) {
		for (dibs = dibs_dev_next(ctx->last_index); dibs;
		     dibs = dibs_dev_next(dibs->index)) {
			err = dibs_nl_stats_fill(skb, dibs, NULL, portid, seq,
						 NLM_F_MULTI,
						 DIBS_CMD_STATS_GET);
			if (err)
				goto out_unlock;
			ctx->last_index = dibs->index;
		}
		ctx->clients = true;
	}
	for (; ctx->next_client < MAX_DIBS_CLIENTS; ctx->next_client++) {
		client = dibs_client_by_id(ctx->next_client);
		if (!client)
			continue;
		err = dibs_nl_stats_fill(skb, NULL, client, portid, seq,
					 NLM_F_MULTI, DIBS_CMD_STATS_GET);
		if (err)
			break;
	}
out_unlock:
	mutex_unlock(&dibs_devs_lock);

	if (err == -EMSGSIZE && skb->len)
		return skb->len;
	return err ?: skb->len;
}

int dibs_nl_stats_reset_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct dibs_dev *dibs;
	struct nlattr *attr;
	u32 index = 0;
	int err = 0;
	u8 id;

	mutex_lock(&dibs_devs_lock);
	dibs = dibs_nl_find_dev(info->extack,
				info->attrs[DIBS_A_STATS_DEV_INDEX],
				info->attrs[DIBS_A_STATS_DEV_NAME], 0, &attr);
	if (IS_ERR(dibs)) {
		err = PTR_ERR(dibs);
		goto out_unlock;
	}
	if (dibs) {
		dibs_stats_reset(&dibs->track->stats);
		goto out_unlock;
	}
	while ((dibs = dibs_dev_next(index))) {
		dibs_stats_reset(&dibs->track->stats);
		index = dibs->index;
	}
	for (id = 0; id < MAX_DIBS_CLIENTS; id++)
		if (dibs_client_by_id(id))
			dibs_stats_reset(dibs_client_stats(id));
out_unlock:
	mutex_unlock(&dibs_devs_lock);
	return err;
}

int dibs_nl_init(void)
{
	int err;

	err = genl_register_family(&dibs_nl_family);
	if (err)
		return err;
	if (!DIBS_NL_MCGRP_CAPS)
		pr_info("this kernel lets anyone join the %s group: sending nothing to it\n",
			DIBS_MCGRP_DMB);
	mutex_lock(&dibs_devs_lock);
	WRITE_ONCE(dibs_nl_registered, true);
	dibs_nl_closing = false;
	mutex_unlock(&dibs_devs_lock);
	return 0;
}

void dibs_nl_exit(void)
{
	struct dibs_dev *dibs;
	u32 index = 0;

	mutex_lock(&dibs_devs_lock);
	/* the devices go after the family; announce their removal now */
	dibs_nl_closing = true;
	while ((dibs = dibs_dev_next(index))) {
		dibs_nl_dev_notify(dibs, DIBS_CMD_DEV_DEL_NTF);
		index = dibs->index;
	}
	WRITE_ONCE(dibs_nl_registered, false);
	mutex_unlock(&dibs_devs_lock);
	genl_unregister_family(&dibs_nl_family);
}

MODULE_ALIAS_GENL_FAMILY(DIBS_FAMILY_NAME);
