// SPDX-License-Identifier: LGPL-2.1-or-later
/* GIDs in use (gid-get) and reachability probes (gid-check). */
#include <errno.h>
#include <string.h>

#include <netlink/attr.h>
#include <netlink/msg.h>

#include "dibs-nl-gen.h"
#include "libdibsctl-private.h"

_Static_assert(DIBSCTL_GID_ROLE_LOCAL == DIBS_GID_ROLE_LOCAL, "role local");
_Static_assert(DIBSCTL_GID_ROLE_PEER == DIBS_GID_ROLE_PEER, "role peer");

DIBSCTL_REC_TYPE(gid)
DIBSCTL_REC_GETTER(gid, role, DIBS_A_GID_ROLE, uint32_t)
DIBSCTL_REC_GETTER(gid, dev_index, DIBS_A_GID_DEV_INDEX, uint32_t)
DIBSCTL_REC_STRING(gid, dev_name, DIBS_A_GID_DEV_NAME)
DIBSCTL_REC_GETTER(gid, fabric_id, DIBS_A_GID_FABRIC_ID, uint16_t)
DIBSCTL_REC_GETTER(gid, dmbs, DIBS_A_GID_DMBS, uint32_t)

DIBSCTL_EXPORT int dibsctl_gid_get_gid(const struct dibsctl_gid *gid,
				       uint8_t bytes[DIBSCTL_GID_LEN])
{
	if (!gid || !bytes)
		return -EINVAL;
	if (!dibsctl_rec_has(&gid->rec, DIBS_A_GID_GID))
		return -ENODATA;
	memcpy(bytes, gid->rec.gid, DIBS_GID_LEN);
	return 0;
}

DIBSCTL_EXPORT const char *dibsctl_gid_role_name(uint32_t role)
{
	if (role > DIBS_GID_ROLE_MAX)
		return NULL;
	return dibs_nl_gid_role_name[role];
}

struct dibsctl_gid_each {
	dibsctl_gid_cb cb;
	void *data;
};

static int dibsctl_gid_each_one(struct dibsctl_rec *rec, void *arg)
{
	struct dibsctl_gid_each *e = arg;

	return e->cb((struct dibsctl_gid *)rec, e->data);
}

DIBSCTL_EXPORT int dibsctl_gid_dump(struct dibsctl *ctx, dibsctl_gid_cb cb,
				    void *data)
{
	struct dibsctl_gid_each e = { .cb = cb, .data = data };

	if (!ctx || !cb)
		return -EINVAL;
	dibsctl_clear_error(ctx);
	return dibsctl_rec_dump_each(ctx, DIBS_CMD_GID_GET, &dibsctl_gid_set,
				     NULL, 0, dibsctl_gid_each_one, &e);
}

DIBSCTL_EXPORT int dibsctl_gid_list_new(struct dibsctl *ctx,
					struct dibsctl_gid_list **list)
{
	struct dibsctl_rec_list *l;
	int err;

	if (!ctx || !list)
		return -EINVAL;
	dibsctl_clear_error(ctx);
	err = dibsctl_rec_dump(ctx, DIBS_CMD_GID_GET, &dibsctl_gid_set,
			       NULL, 0, &l);
	if (!err)
		*list = (struct dibsctl_gid_list *)l;
	return err;
}

DIBSCTL_EXPORT int dibsctl_gid_check(struct dibsctl *ctx, const char *dev,
				     const uint8_t gid[DIBSCTL_GID_LEN],
				     int vlan_id, bool *reachable)
{
	struct dibsctl_rec *rec;
	struct nl_msg *msg;
	int err;

	if (!ctx || !gid || !reachable)
		return -EINVAL;
	dibsctl_clear_error(ctx);
	if (vlan_id != DIBSCTL_NO_VLAN && (vlan_id < 0 || vlan_id > 4095))
		return dibsctl_fail(ctx, -EINVAL, "VLAN ids are 0 to 4095");
	err = dibsctl_check_dev_name(ctx, dev);
	if (!err)
		err = dibsctl_netlink_only(ctx);
	if (err)
		return err;
	err = dibsctl_nl_request(ctx, DIBS_CMD_GID_CHECK, 0, &msg);
	if (err)
		return err;
	if (nla_put_string(msg, DIBS_A_GID_DEV_NAME, dev) ||
	    nla_put(msg, DIBS_A_GID_GID, DIBS_GID_LEN, gid) ||
	    (vlan_id != DIBSCTL_NO_VLAN &&
	     nla_put_u16(msg, DIBS_A_GID_VLAN_ID, (uint16_t)vlan_id)))
		err = -ENOMEM;
	else
		err = dibsctl_rec_transact_one(ctx, msg, &dibsctl_gid_set, &rec);
	nlmsg_free(msg);
	if (err)
		return err;
	if (!dibsctl_rec_has(rec, DIBS_A_GID_REACHABLE))
		err = dibsctl_fail(ctx, -EBADMSG,
				   "the kernel's gid-check reply has no reachable");
	else
		*reachable = rec->u[DIBS_A_GID_REACHABLE] != 0;
	dibsctl_rec_unref(rec);
	return err;
}
