// SPDX-License-Identifier: LGPL-2.1-or-later
/* DMBs (dmb-get): the dump with its device and client filters, getters. */
#include <errno.h>
#include <string.h>

#include <netlink/attr.h>
#include <netlink/msg.h>

#include "dibs-nl-gen.h"
#include "libdibsctl-private.h"

DIBSCTL_REC_TYPE(dmb)
DIBSCTL_REC_GETTER(dmb, dev_index, DIBS_A_DMB_DEV_INDEX, uint32_t)
DIBSCTL_REC_STRING(dmb, dev_name, DIBS_A_DMB_DEV_NAME)
DIBSCTL_REC_GETTER(dmb, client_id, DIBS_A_DMB_CLIENT_ID, uint32_t)
DIBSCTL_REC_STRING(dmb, client_name, DIBS_A_DMB_CLIENT_NAME)
DIBSCTL_REC_GETTER(dmb, token, DIBS_A_DMB_TOKEN, uint64_t)
DIBSCTL_REC_GETTER(dmb, idx, DIBS_A_DMB_IDX, uint32_t)
DIBSCTL_REC_GETTER(dmb, len, DIBS_A_DMB_LEN, uint32_t)
DIBSCTL_REC_GETTER(dmb, vlan_id, DIBS_A_DMB_VLAN_ID, uint16_t)
DIBSCTL_REC_GETTER(dmb, attached, DIBS_A_DMB_ATTACHED, bool)
DIBSCTL_REC_GETTER(dmb, bytes, DIBS_A_DMB_BYTES, uint64_t)
DIBSCTL_REC_GETTER(dmb, moves, DIBS_A_DMB_MOVES, uint64_t)
DIBSCTL_REC_GETTER(dmb, signals, DIBS_A_DMB_SIGNALS, uint64_t)

DIBSCTL_EXPORT int dibsctl_dmb_get_rgid(const struct dibsctl_dmb *dmb,
					uint8_t rgid[DIBSCTL_GID_LEN])
{
	if (!dmb || !rgid)
		return -EINVAL;
	if (!dibsctl_rec_has(&dmb->rec, DIBS_A_DMB_RGID))
		return -ENODATA;
	memcpy(rgid, dmb->rec.gid, DIBS_GID_LEN);
	return 0;
}

struct dibsctl_dmb_each {
	dibsctl_dmb_cb cb;
	void *data;
};

static int dibsctl_dmb_each_one(struct dibsctl_rec *rec, void *arg)
{
	struct dibsctl_dmb_each *e = arg;

	return e->cb((struct dibsctl_dmb *)rec, e->data);
}

static int dibsctl_dmb_check(struct dibsctl *ctx, const char *dev,
			     const char *client)
{
	int err = dev ? dibsctl_check_dev_name(ctx, dev) : 0;

	if (!err && client)
		err = dibsctl_check_client_name(ctx, client);
	return err;
}

DIBSCTL_EXPORT int dibsctl_dmb_dump(struct dibsctl *ctx, const char *dev,
				    const char *client, dibsctl_dmb_cb cb,
				    void *data)
{
	const struct dibsctl_rec_filter filters[] = {
		{ DIBS_A_DMB_DEV_NAME, dev },
		{ DIBS_A_DMB_CLIENT_NAME, client },
	};
	struct dibsctl_dmb_each e = { .cb = cb, .data = data };
	int err;

	if (!ctx || !cb)
		return -EINVAL;
	dibsctl_clear_error(ctx);
	err = dibsctl_dmb_check(ctx, dev, client);
	if (!err)
		err = dibsctl_rec_dump_each(ctx, DIBS_CMD_DMB_GET,
					    &dibsctl_dmb_set, filters, 2,
					    dibsctl_dmb_each_one, &e);
	return err;
}

DIBSCTL_EXPORT int dibsctl_dmb_list_new(struct dibsctl *ctx, const char *dev,
					const char *client,
					struct dibsctl_dmb_list **list)
{
	const struct dibsctl_rec_filter filters[] = {
		{ DIBS_A_DMB_DEV_NAME, dev },
		{ DIBS_A_DMB_CLIENT_NAME, client },
	};
	struct dibsctl_rec_list *l;
	int err;

	if (!ctx || !list)
		return -EINVAL;
	dibsctl_clear_error(ctx);
	err = dibsctl_dmb_check(ctx, dev, client);
	if (!err)
		err = dibsctl_rec_dump(ctx, DIBS_CMD_DMB_GET, &dibsctl_dmb_set,
				       filters, 2, &l);
	if (!err)
		*list = (struct dibsctl_dmb_list *)l;
	return err;
}
