// SPDX-License-Identifier: GPL-2.0
/*
 * The "dibs" generic netlink family: request handlers and notifications.
 * Policies and the op table are generated from genl-spec/dibs.yaml into
 * dibs_nl_gen.c.
 */
#include <linux/build_bug.h>
#include <linux/lockdep.h>
#include <linux/module.h>
#include <linux/string.h>
#include <linux/uuid.h>
#include <net/genetlink.h>
#include <net/netlink.h>

#include "dibs_loopback.h"
#include "dibs_nl_gen.h"
#include "dibs_priv.h"

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

static int dibs_nl_dev_fill(struct sk_buff *skb, struct dibs_dev *dibs,
			    u32 portid, u32 seq, int flags, u8 cmd)
{
	void *hdr;

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
	if (!dibs_nl_registered ||
	    !genl_has_listeners(&dibs_nl_family, &init_net,
				DIBS_NLGRP_MONITOR))
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
 * Finds the device named by the index and/or name attributes of the
 * request.  @dev_attr is set to the attribute that named it, for errors.
 */
static struct dibs_dev *dibs_nl_dev_lookup(struct genl_info *info,
					   struct nlattr **dev_attr)
{
	struct nlattr *index_attr = info->attrs[DIBS_A_DEV_INDEX];
	struct nlattr *name_attr = info->attrs[DIBS_A_DEV_NAME];
	struct netlink_ext_ack *extack = info->extack;
	char name[DIBS_DEV_NAME_MAX_LEN + 1];
	struct dibs_dev *by_index = NULL;
	struct dibs_dev *by_name;
	u32 index = 0;

	lockdep_assert_held(&dibs_devs_lock);
	if (!index_attr && !name_attr) {
		NL_SET_ERR_ATTR_MISS(extack, NULL, DIBS_A_DEV_NAME);
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

static int dibs_nl_dev_new_name(struct genl_info *info, char *name,
				size_t size)
{
	struct nlattr *name_attr = info->attrs[DIBS_A_DEV_NAME];
	struct netlink_ext_ack *extack = info->extack;
	unsigned int n;

	if (!name_attr) {
		/* the first free of lo1, lo2, ...; the search ends */
		for (n = 1; ; n++) {
			snprintf(name, size, DIBS_LO_DEFAULT_NAME "%u", n);
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
	struct dibs_dev *dibs;
	struct sk_buff *msg;
	uuid_t gid;
	int err;

	if (GENL_REQ_ATTR_CHECK(info, DIBS_A_DEV_TYPE)) {
		NL_SET_ERR_MSG_MOD(extack, "missing device type");
		return -EINVAL;
	}
	if (nla_get_u32(info->attrs[DIBS_A_DEV_TYPE]) !=
	    DIBS_DEV_TYPE_LOOPBACK) {
		NL_SET_BAD_ATTR(extack, info->attrs[DIBS_A_DEV_TYPE]);
		NL_SET_ERR_MSG_MOD(extack,
				   "only loopback devices can be created");
		return -EOPNOTSUPP;
	}
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
	err = dibs_nl_dev_new_name(info, name, sizeof(name));
	if (err)
		goto err_unlock_free_msg;
	err = dibs_nl_dev_new_gid(info, &gid);
	if (err)
		goto err_unlock_free_msg;
	err = dibs_lo_dev_create_locked(name, &gid, &dibs);
	if (err) {
		DIBS_NL_MSG_FMT(extack, "cannot create loopback device",
				"cannot create loopback device %s", name);
		goto err_unlock_free_msg;
	}
	err = dibs_nl_dev_fill(msg, dibs, info->snd_portid, info->snd_seq, 0,
			       info->genlhdr->cmd);
	if (WARN_ON_ONCE(err)) {
		/* cannot happen with NLMSG_GOODSIZE; leave nothing behind */
		dibs_lo_dev_destroy_locked(dibs, true, NULL);
		goto err_unlock_free_msg;
	}
	mutex_unlock(&dibs_devs_lock);
	return genlmsg_reply(msg, info);

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
	if (!dibs_dev_is_loopback(dibs)) {
		NL_SET_BAD_ATTR(extack, dev_attr);
		DIBS_NL_MSG_FMT(extack,
				"only loopback devices can be deleted",
				"cannot delete %s: not a loopback device",
				dev_name(&dibs->dev));
		err = -EOPNOTSUPP;
		goto out_unlock;
	}
	err = dibs_lo_dev_destroy_locked(dibs, force, &dmbs_in_use);
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

int dibs_nl_init(void)
{
	int err;

	err = genl_register_family(&dibs_nl_family);
	if (err)
		return err;
	mutex_lock(&dibs_devs_lock);
	dibs_nl_registered = true;
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
	dibs_nl_registered = false;
	mutex_unlock(&dibs_devs_lock);
	genl_unregister_family(&dibs_nl_family);
}

MODULE_ALIAS_GENL_FAMILY(DIBS_FAMILY_NAME);
