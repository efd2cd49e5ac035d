// SPDX-License-Identifier: GPL-2.0-only
/*
 * Objects of LIBDIBSCTL_3 from hand-made netlink messages: encoded as
 * the kernel would, parsed with the library's own functions.
 */
#include <errno.h>
#include <stdlib.h>

#include <netlink/attr.h>
#include <netlink/genl/genl.h>
#include <netlink/msg.h>

#include "dibs-nl-gen.h"
#include "libdibsctl-private.h"
#include "fake-objects.h"

const uint8_t fake_gid[DIBSCTL_GID_LEN] = {
	0x6f, 0x1c, 0x2f, 0x1e, 0x9d, 0x3a, 0x4b, 0x55,
	0x8c, 0x1a, 0x0e, 0x2f, 0x3a, 0x4b, 0x5c, 0x6d,
};

const uint8_t fake_rgid[DIBSCTL_GID_LEN] = {
	0x0a, 0x1b, 0x2c, 0x3d, 0x4e, 0x5f, 0x4a, 0x6b,
	0x8c, 0x7d, 0x9e, 0x0f, 0x1a, 0x2b, 0x3c, 0x4d,
};

static struct nl_msg *fake_msg(uint8_t cmd)
{
	struct nl_msg *msg = nlmsg_alloc();

	if (!msg || !genlmsg_put(msg, 0, 1, 0x20, 0, 0, cmd,
				 DIBS_FAMILY_VERSION))
		abort();
	return msg;
}

static void *fake_rec(const struct dibsctl_set *set, struct nl_msg *msg)
{
	struct dibsctl_rec *rec;

	if (dibsctl_rec_new_from_nlmsg(set, nlmsg_hdr(msg), &rec))
		abort();
	nlmsg_free(msg);
	return rec;
}

/* A binding-get reply, as the kernel encodes it. */
static void add_binding(struct dibsctl_rec_list *list, uint32_t dev_index,
			const char *dev_name, uint32_t client_id,
			const char *client_name, uint32_t dmbs)
{
	struct nl_msg *msg = fake_msg(DIBS_CMD_BINDING_GET);
	struct dibsctl_rec *rec;

	if (nla_put_u32(msg, DIBS_A_BINDING_DEV_INDEX, dev_index) ||
	    nla_put_string(msg, DIBS_A_BINDING_DEV_NAME, dev_name) ||
	    nla_put_u32(msg, DIBS_A_BINDING_CLIENT_ID, client_id) ||
	    nla_put_string(msg, DIBS_A_BINDING_CLIENT_NAME, client_name) ||
	    nla_put_u32(msg, DIBS_A_BINDING_DMBS, dmbs))
		abort();
	rec = fake_rec(&dibsctl_binding_set, msg);
	if (dibsctl_rec_list_append(list, rec))
		abort();
	dibsctl_rec_unref(rec);
}

/* The bindings: lo to dibs_user and dibs_test_client, lo3 to dibs_user. */
static struct dibsctl_rec_list *fake_bindings(void)
{
	struct dibsctl_rec_list *list = dibsctl_rec_list_alloc();

	if (!list)
		abort();
	add_binding(list, 1, "lo", 0, "dibs_user", 2);
	add_binding(list, 1, "lo", 1, "dibs_test_client", 0);
	add_binding(list, 5, "lo3", 0, "dibs_user", 1);
	return list;
}

static void put_client(struct nl_msg *msg, uint32_t id, const char *name,
		       uint32_t dmbs)
{
	if (nla_put_u32(msg, DIBS_A_CLIENT_ID, id) ||
	    nla_put_string(msg, DIBS_A_CLIENT_NAME, name) ||
	    nla_put_u32(msg, DIBS_A_CLIENT_DMBS, dmbs))
		abort();
}

static struct nl_msg *client_msg(uint8_t cmd)
{
	struct nl_msg *msg = fake_msg(cmd);

	put_client(msg, 0, "dibs_user", 3);
	return msg;
}

/* @client with its bindings from fake_bindings() */
static struct dibsctl_client *with_bindings(struct dibsctl_rec *client,
					    bool none)
{
	struct dibsctl_rec_list *bindings;

	bindings = none ? dibsctl_rec_list_alloc() : fake_bindings();
	if (!bindings || dibsctl_client_set_bindings(&client, 1, bindings))
		abort();
	dibsctl_rec_list_unref(bindings);
	return (struct dibsctl_client *)client;
}

struct dibsctl_client *fake_client(void)
{
	return with_bindings(fake_rec(&dibsctl_client_set,
				      client_msg(DIBS_CMD_CLIENT_GET)), false);
}

struct dibsctl_client *fake_client_unbound(void)
{
	struct nl_msg *msg = fake_msg(DIBS_CMD_CLIENT_GET);

	put_client(msg, 1, "dibs_test_client", 0);
	return with_bindings(fake_rec(&dibsctl_client_set, msg), true);
}

static struct nl_msg *dev_msg(uint8_t cmd)
{
	struct nl_msg *msg = fake_msg(cmd);

	if (nla_put_u32(msg, DIBS_A_DEV_INDEX, 1) ||
	    nla_put_string(msg, DIBS_A_DEV_NAME, "lo") ||
	    nla_put_u32(msg, DIBS_A_DEV_TYPE, DIBS_DEV_TYPE_LOOPBACK) ||
	    nla_put(msg, DIBS_A_DEV_GID, DIBS_GID_LEN, fake_gid) ||
	    nla_put_u16(msg, DIBS_A_DEV_FABRIC_ID, 0xffff) ||
	    nla_put_u32(msg, DIBS_A_DEV_MAX_DMBS, 5000) ||
	    nla_put_u32(msg, DIBS_A_DEV_DMBS_IN_USE, 2) ||
	    nla_put_flag(msg, DIBS_A_DEV_MMAPPED_RDMB))
		abort();
	return msg;
}

struct dibsctl_dev *fake_dev_with_clients(void)
{
	struct nl_msg *msg = dev_msg(DIBS_CMD_DEV_GET);
	struct dibsctl_rec_list *bindings = fake_bindings();
	struct dibsctl_dev *dev;

	if (dibsctl_dev_new_from_nlmsg(nlmsg_hdr(msg), &dev) ||
	    dibsctl_dev_set_bindings(&dev, 1, bindings))
		abort();
	dibsctl_rec_list_unref(bindings);
	nlmsg_free(msg);
	return dev;
}

static struct nl_msg *dmb_msg(uint8_t cmd, bool token, bool vlan,
			      bool attached, bool counters)
{
	struct nl_msg *msg = fake_msg(cmd);

	if (nla_put_u32(msg, DIBS_A_DMB_DEV_INDEX, 1) ||
	    nla_put_string(msg, DIBS_A_DMB_DEV_NAME, "lo") ||
	    nla_put_u32(msg, DIBS_A_DMB_CLIENT_ID, 0) ||
	    nla_put_string(msg, DIBS_A_DMB_CLIENT_NAME, "dibs_user") ||
	    (token && nla_put_u64(msg, DIBS_A_DMB_TOKEN, 0xfedcba9876543210ULL)) ||
	    nla_put_u32(msg, DIBS_A_DMB_IDX, 3) ||
	    nla_put_u32(msg, DIBS_A_DMB_LEN, 8192) ||
	    nla_put(msg, DIBS_A_DMB_RGID, DIBS_GID_LEN, fake_rgid) ||
	    (vlan && nla_put_u16(msg, DIBS_A_DMB_VLAN_ID, 5)) ||
	    (attached && nla_put_flag(msg, DIBS_A_DMB_ATTACHED)) ||
	    (counters && (nla_put_u64(msg, DIBS_A_DMB_BYTES, 1ULL << 40) ||
			  nla_put_u64(msg, DIBS_A_DMB_MOVES, 12) ||
			  nla_put_u64(msg, DIBS_A_DMB_SIGNALS, 4))))
		abort();
	return msg;
}

struct dibsctl_dmb *fake_dmb(bool token, bool vlan, bool attached)
{
	return fake_rec(&dibsctl_dmb_set,
			dmb_msg(DIBS_CMD_DMB_GET, token, vlan, attached, true));
}

struct dibsctl_gid *fake_gid_local(void)
{
	struct nl_msg *msg = fake_msg(DIBS_CMD_GID_GET);

	if (nla_put(msg, DIBS_A_GID_GID, DIBS_GID_LEN, fake_gid) ||
	    nla_put_u32(msg, DIBS_A_GID_ROLE, DIBS_GID_ROLE_LOCAL) ||
	    nla_put_u32(msg, DIBS_A_GID_DEV_INDEX, 1) ||
	    nla_put_string(msg, DIBS_A_GID_DEV_NAME, "lo") ||
	    nla_put_u16(msg, DIBS_A_GID_FABRIC_ID, 0xffff))
		abort();
	return fake_rec(&dibsctl_gid_set, msg);
}

struct dibsctl_gid *fake_gid_peer(void)
{
	struct nl_msg *msg = fake_msg(DIBS_CMD_GID_GET);

	if (nla_put(msg, DIBS_A_GID_GID, DIBS_GID_LEN, fake_rgid) ||
	    nla_put_u32(msg, DIBS_A_GID_ROLE, DIBS_GID_ROLE_PEER) ||
	    nla_put_u32(msg, DIBS_A_GID_DEV_INDEX, 1) ||
	    nla_put_string(msg, DIBS_A_GID_DEV_NAME, "lo") ||
	    nla_put_u32(msg, DIBS_A_GID_DMBS, 2))
		abort();
	return fake_rec(&dibsctl_gid_set, msg);
}

struct dibsctl_vlan *fake_vlan(bool client)
{
	struct nl_msg *msg = fake_msg(DIBS_CMD_VLAN_GET);

	if (nla_put_u32(msg, DIBS_A_VLAN_DEV_INDEX, 1) ||
	    nla_put_string(msg, DIBS_A_VLAN_DEV_NAME, "lo") ||
	    nla_put_u16(msg, DIBS_A_VLAN_ID, 5) ||
	    (client && (nla_put_u32(msg, DIBS_A_VLAN_CLIENT_ID, 0) ||
			nla_put_string(msg, DIBS_A_VLAN_CLIENT_NAME,
				       "dibs_user"))) ||
	    nla_put_u32(msg, DIBS_A_VLAN_REFS, client ? 2 : 1))
		abort();
	return fake_rec(&dibsctl_vlan_set, msg);
}

static void put_counters(struct nl_msg *msg)
{
	int attr;

	if (nla_put_u32(msg, DIBS_A_STATS_DMBS_IN_USE, 1) ||
	    nla_put_u32(msg, DIBS_A_STATS_DMBS_MAX_IN_USE, 2))
		abort();
	for (attr = DIBS_A_STATS_DMB_REGISTRATIONS; attr <= DIBS_A_STATS_EVENTS;
	     attr++)
		if (nla_put_u64(msg, attr, attr - DIBS_A_STATS_DMBS_IN_USE + 1))
			abort();
}

struct dibsctl_stats *fake_stats_dev(void)
{
	struct nl_msg *msg = fake_msg(DIBS_CMD_STATS_GET);

	if (nla_put_u32(msg, DIBS_A_STATS_DEV_INDEX, 1) ||
	    nla_put_string(msg, DIBS_A_STATS_DEV_NAME, "lo"))
		abort();
	put_counters(msg);
	return fake_rec(&dibsctl_stats_set, msg);
}

struct dibsctl_stats *fake_stats_client(void)
{
	struct nl_msg *msg = fake_msg(DIBS_CMD_STATS_GET);

	if (nla_put_u32(msg, DIBS_A_STATS_CLIENT_ID, 0) ||
	    nla_put_string(msg, DIBS_A_STATS_CLIENT_NAME, "dibs_user"))
		abort();
	put_counters(msg);
	return fake_rec(&dibsctl_stats_set, msg);
}

struct dibsctl_event *fake_event(int type)
{
	struct dibsctl_event *event;
	struct nl_msg *msg;

	switch (type) {
	case DIBSCTL_EVENT_DEV_NEW:
		msg = dev_msg(DIBS_CMD_DEV_NEW_NTF);
		break;
	case DIBSCTL_EVENT_DEV_DEL:
		msg = dev_msg(DIBS_CMD_DEV_DEL_NTF);
		break;
	case DIBSCTL_EVENT_CLIENT_NEW:
		msg = client_msg(DIBS_CMD_CLIENT_NEW_NTF);
		break;
	case DIBSCTL_EVENT_CLIENT_DEL:
		msg = client_msg(DIBS_CMD_CLIENT_DEL_NTF);
		break;
	case DIBSCTL_EVENT_CLIENT_BIND:
	case DIBSCTL_EVENT_CLIENT_UNBIND:
		msg = fake_msg(type == DIBSCTL_EVENT_CLIENT_BIND ?
			       DIBS_CMD_CLIENT_BIND_NTF :
			       DIBS_CMD_CLIENT_UNBIND_NTF);
		if (nla_put_u32(msg, DIBS_A_CLIENT_ID, 0) ||
		    nla_put_string(msg, DIBS_A_CLIENT_NAME, "dibs_user") ||
		    nla_put_u32(msg, DIBS_A_CLIENT_DEV_INDEX, 5) ||
		    nla_put_string(msg, DIBS_A_CLIENT_DEV_NAME, "lo3"))
			abort();
		break;
	case DIBSCTL_EVENT_DMB_NEW:
		msg = dmb_msg(DIBS_CMD_DMB_NEW_NTF, false, false, false, false);
		break;
	case DIBSCTL_EVENT_DMB_DEL:
		msg = dmb_msg(DIBS_CMD_DMB_DEL_NTF, false, true, false, true);
		break;
	default:
		abort();
	}
	if (dibsctl_event_new_from_nlmsg(nlmsg_hdr(msg), &event))
		abort();
	nlmsg_free(msg);
	return event;
}
