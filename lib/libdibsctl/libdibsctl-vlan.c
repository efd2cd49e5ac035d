// SPDX-License-Identifier: LGPL-2.1-or-later
/* VLANs of the devices (vlan-get), optionally of one device. */
#include <errno.h>

#include <netlink/attr.h>
#include <netlink/msg.h>

#include "dibs-nl-gen.h"
#include "libdibsctl-private.h"

DIBSCTL_REC_TYPE(vlan)
DIBSCTL_REC_GETTER(vlan, dev_index, DIBS_A_VLAN_DEV_INDEX, uint32_t)
DIBSCTL_REC_STRING(vlan, dev_name, DIBS_A_VLAN_DEV_NAME)
DIBSCTL_REC_GETTER(vlan, id, DIBS_A_VLAN_ID, uint16_t)
DIBSCTL_REC_GETTER(vlan, client_id, DIBS_A_VLAN_CLIENT_ID, uint32_t)
DIBSCTL_REC_STRING(vlan, client_name, DIBS_A_VLAN_CLIENT_NAME)
DIBSCTL_REC_GETTER(vlan, refs, DIBS_A_VLAN_REFS, uint32_t)

struct dibsctl_vlan_each {
	dibsctl_vlan_cb cb;
	void *data;
};

static int dibsctl_vlan_each_one(struct dibsctl_rec *rec, void *arg)
{
	struct dibsctl_vlan_each *e = arg;

	return e->cb((struct dibsctl_vlan *)rec, e->data);
}

DIBSCTL_EXPORT int dibsctl_vlan_dump(struct dibsctl *ctx, const char *dev,
				     dibsctl_vlan_cb cb, void *data)
{
	const struct dibsctl_rec_filter filter = { DIBS_A_VLAN_DEV_NAME, dev };
	struct dibsctl_vlan_each e = { .cb = cb, .data = data };
	int err;

	if (!ctx || !cb)
		return -EINVAL;
	dibsctl_clear_error(ctx);
	err = dev ? dibsctl_check_dev_name(ctx, dev) : 0;
	if (!err)
		err = dibsctl_rec_dump_each(ctx, DIBS_CMD_VLAN_GET,
					    &dibsctl_vlan_set, &filter, 1,
					    dibsctl_vlan_each_one, &e);
	return err;
}

DIBSCTL_EXPORT int dibsctl_vlan_list_new(struct dibsctl *ctx, const char *dev,
					 struct dibsctl_vlan_list **list)
{
	const struct dibsctl_rec_filter filter = { DIBS_A_VLAN_DEV_NAME, dev };
	struct dibsctl_rec_list *l;
	int err;

	if (!ctx || !list)
		return -EINVAL;
	dibsctl_clear_error(ctx);
	err = dev ? dibsctl_check_dev_name(ctx, dev) : 0;
	if (!err)
		err = dibsctl_rec_dump(ctx, DIBS_CMD_VLAN_GET, &dibsctl_vlan_set,
				       &filter, 1, &l);
	if (!err)
		*list = (struct dibsctl_vlan_list *)l;
	return err;
}
