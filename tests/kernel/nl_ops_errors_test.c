// SPDX-License-Identifier: GPL-2.0-only
/*
 * Refused requests of the client, DMB, GID, VLAN and stats ops, and what
 * callers without CAP_NET_ADMIN may do.
 *
 * Strict policies: unknown attributes, attributes an op does not take,
 * wrong sizes and out-of-range values (client-id 8, vlan-id 4096, index 0,
 * a 15-byte GID), each refused with its errno, an extack message and
 * NLMSGERR_ATTR_OFFS at the offending attribute; missing device or client
 * with NLMSGERR_ATTR_MISS_TYPE; no notification on "monitor" or "dmb".
 *
 * Without CAP_NET_ADMIN (as nobody, and as root with the capability
 * dropped): the reads of devices, clients, bindings, VLANs and statistics
 * work and say what root sees; dmb-get, gid-get (the rgids of DMBs) and
 * gid-check (a device command on hardware) get EPERM, as does joining the
 * "dmb" group, while "monitor" may be joined; client-bind, client-unbind
 * and stats-reset get EPERM and change nothing.
 */
#include <errno.h>
#include <grp.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <linux/capability.h>
#include <netlink/attr.h>

#include "kselftest_harness.h"
#include "dibs_ktest.h"

#define DEV_E "kte.e"
#define UNKNOWN_ATTR 200
#define NO_NTF_WAIT_MS 50

struct known {
	uint32_t e_index;
	uint8_t e_gid[DIBS_GID_LEN];
	uint32_t tc_id;
};

typedef int (*put_fn)(struct nl_msg *msg, const struct known *k);

/* Both fixtures: the clients loaded, a device with 2 DMBs and a VLAN. */
struct ops_env {
	struct dibs_genl g;
	struct dibs_state initial;
	struct dibs_reply r;
	struct dibs_recmon mon;
	struct known k;
};

static void env_setup(struct __test_metadata *_metadata, struct ops_env *self)
{
	static const char *const groups[] = { DIBS_MCGRP_MONITOR, DIBS_MCGRP_DMB };
	struct dibs_rec tc;
	char why[1024];
	int ret;

	ret = dibs_genl_open(&self->g);
	ASSERT_EQ(0, ret) TH_LOG("no dibs family: %s", dibs_errno_name(ret));
	ASSERT_EQ(0, dibs_state_read(&self->g, &self->initial, why, sizeof(why)))
		TH_LOG("%s", why);
	ASSERT_EQ(0, dibs_clients_load(why, sizeof(why))) TH_LOG("%s", why);
	ASSERT_REQ_OK(dibs_dev_new(&self->g, DEV_E, NULL, &self->r), &self->r);
	self->k.e_index = self->r.devs[0].index;
	memcpy(self->k.e_gid, self->r.devs[0].gid, DIBS_GID_LEN);
	dibs_reply_free(&self->r);
	ASSERT_EQ(0, dibs_client_get_name(&self->g, DIBS_TC_NAME, &tc));
	self->k.tc_id = tc.u[DIBS_A_CLIENT_ID];
	ASSERT_EQ(0, dibs_tc_ctl("register %s 2 4096", DEV_E));
	ASSERT_EQ(0, dibs_tc_ctl("vlan-add %s 7", DEV_E));
	ASSERT_EQ(0, dibs_recmon_open(&self->mon, groups, 2));
}


static void env_teardown(struct __test_metadata *_metadata, struct ops_env *self)
{
	dibs_reply_free(&self->r);
	dibs_recmon_close(&self->mon);
	dibs_tc_ctl("vlan-del %s 7", DEV_E);
	dibs_tc_ctl("unregister %s", DEV_E);
	if (self->g.sk)
		EXPECT_EQ(0, dibs_remove_devices_except(&self->g, &self->initial))
			TH_LOG("could not delete the devices this test created");
	dibs_clients_unload();
	dibs_genl_close(&self->g);
}


FIXTURE(ops) {
	struct ops_env e;
};

FIXTURE_VARIANT(ops) {
	uint8_t cmd;
	int flags;
	put_fn put;
	int err;
	int bad_attr;		/* NLMSGERR_ATTR_OFFS must point at it; 0: none */
	int miss_attr;		/* NLMSGERR_ATTR_MISS_TYPE; 0: none; -1: either
				 * of the device's or the client's two */
	int miss_alt;		/* the other acceptable missing attribute */
};

FIXTURE_SETUP(ops)
{
	env_setup(_metadata, &self->e);
}

FIXTURE_TEARDOWN(ops)
{
	env_teardown(_metadata, &self->e);
}

/* Builders of the refused requests. */
static int put_unknown(struct nl_msg *m, const struct known *k)
{
	return nla_put_u32(m, UNKNOWN_ATTR, 1);
}

static int put_client_id_8(struct nl_msg *m, const struct known *k)
{
	return nla_put_u32(m, DIBS_A_CLIENT_ID, 8);
}

static int put_client_id_u16(struct nl_msg *m, const struct known *k)
{
	return nla_put_u16(m, DIBS_A_CLIENT_ID, k->tc_id);
}

static int put_client_name_long(struct nl_msg *m, const struct known *k)
{
	char name[80];

	memset(name, 'c', sizeof(name) - 1);
	name[sizeof(name) - 1] = '\0';
	return nla_put_string(m, DIBS_A_CLIENT_NAME, name);
}

static int put_client_get_force(struct nl_msg *m, const struct known *k)
{
	return nla_put_u32(m, DIBS_A_CLIENT_ID, k->tc_id) ||
	       nla_put_flag(m, DIBS_A_CLIENT_FORCE);
}

static int put_client_get_dmbs(struct nl_msg *m, const struct known *k)
{
	return nla_put_u32(m, DIBS_A_CLIENT_ID, k->tc_id) ||
	       nla_put_u32(m, DIBS_A_CLIENT_DMBS, 1);
}

static int put_bind_id_8(struct nl_msg *m, const struct known *k)
{
	return nla_put_u32(m, DIBS_A_CLIENT_ID, 8) ||
	       nla_put_u32(m, DIBS_A_CLIENT_DEV_INDEX, k->e_index);
}

static int put_bind_index_0(struct nl_msg *m, const struct known *k)
{
	return nla_put_u32(m, DIBS_A_CLIENT_ID, k->tc_id) ||
	       nla_put_u32(m, DIBS_A_CLIENT_DEV_INDEX, 0);
}

static int put_bind_force(struct nl_msg *m, const struct known *k)
{
	return nla_put_u32(m, DIBS_A_CLIENT_ID, k->tc_id) ||
	       nla_put_u32(m, DIBS_A_CLIENT_DEV_INDEX, k->e_index) ||
	       nla_put_flag(m, DIBS_A_CLIENT_FORCE);
}

static int put_bind_no_dev(struct nl_msg *m, const struct known *k)
{
	return nla_put_u32(m, DIBS_A_CLIENT_ID, k->tc_id);
}

static int put_bind_no_client(struct nl_msg *m, const struct known *k)
{
	return nla_put_u32(m, DIBS_A_CLIENT_DEV_INDEX, k->e_index);
}

static int put_unbind_force_u32(struct nl_msg *m, const struct known *k)
{
	return nla_put_u32(m, DIBS_A_CLIENT_ID, k->tc_id) ||
	       nla_put_u32(m, DIBS_A_CLIENT_DEV_INDEX, k->e_index) ||
	       nla_put_u32(m, DIBS_A_CLIENT_FORCE, 1);
}

static int put_dmb_index_0(struct nl_msg *m, const struct known *k)
{
	return nla_put_u32(m, DIBS_A_DMB_DEV_INDEX, 0);
}

static int put_dmb_client_id_8(struct nl_msg *m, const struct known *k)
{
	return nla_put_u32(m, DIBS_A_DMB_CLIENT_ID, 8);
}

static int put_dmb_token(struct nl_msg *m, const struct known *k)
{
	return nla_put_u64(m, DIBS_A_DMB_TOKEN, 1);
}

static int put_gid_check_vlan_4096(struct nl_msg *m, const struct known *k)
{
	return nla_put_u32(m, DIBS_A_GID_DEV_INDEX, k->e_index) ||
	       nla_put(m, DIBS_A_GID_GID, DIBS_GID_LEN, k->e_gid) ||
	       nla_put_u16(m, DIBS_A_GID_VLAN_ID, 4096);
}

static int put_gid_check_vlan_u32(struct nl_msg *m, const struct known *k)
{
	return nla_put_u32(m, DIBS_A_GID_DEV_INDEX, k->e_index) ||
	       nla_put(m, DIBS_A_GID_GID, DIBS_GID_LEN, k->e_gid) ||
	       nla_put_u32(m, DIBS_A_GID_VLAN_ID, 5);
}

static int put_gid_check_gid_15(struct nl_msg *m, const struct known *k)
{
	return nla_put_u32(m, DIBS_A_GID_DEV_INDEX, k->e_index) ||
	       nla_put(m, DIBS_A_GID_GID, DIBS_GID_LEN - 1, k->e_gid);
}

static int put_gid_check_role(struct nl_msg *m, const struct known *k)
{
	return nla_put_u32(m, DIBS_A_GID_DEV_INDEX, k->e_index) ||
	       nla_put(m, DIBS_A_GID_GID, DIBS_GID_LEN, k->e_gid) ||
	       nla_put_u32(m, DIBS_A_GID_ROLE, DIBS_GID_ROLE_PEER);
}

static int put_gid_check_no_gid(struct nl_msg *m, const struct known *k)
{
	return nla_put_u32(m, DIBS_A_GID_DEV_INDEX, k->e_index);
}

static int put_gid_check_no_dev(struct nl_msg *m, const struct known *k)
{
	return nla_put(m, DIBS_A_GID_GID, DIBS_GID_LEN, k->e_gid);
}

static int put_vlan_index_0(struct nl_msg *m, const struct known *k)
{
	return nla_put_u32(m, DIBS_A_VLAN_DEV_INDEX, 0);
}

static int put_vlan_refs(struct nl_msg *m, const struct known *k)
{
	return nla_put_u32(m, DIBS_A_VLAN_REFS, 1);
}

static int put_stats_client_id_8(struct nl_msg *m, const struct known *k)
{
	return nla_put_u32(m, DIBS_A_STATS_CLIENT_ID, 8);
}

static int put_stats_moves(struct nl_msg *m, const struct known *k)
{
	return nla_put_u32(m, DIBS_A_STATS_DEV_INDEX, k->e_index) ||
	       nla_put_u64(m, DIBS_A_STATS_MOVES, 0);
}

static int put_stats_reset_client(struct nl_msg *m, const struct known *k)
{
	return nla_put_string(m, DIBS_A_STATS_CLIENT_NAME, DIBS_TC_NAME);
}

static int put_stats_reset_index_0(struct nl_msg *m, const struct known *k)
{
	return nla_put_u32(m, DIBS_A_STATS_DEV_INDEX, 0);
}

static int put_nothing(struct nl_msg *m, const struct known *k)
{
	return 0;
}

#define REFUSED(_name, _cmd, _flags, _put, _err, _bad, _miss, _alt) \
	FIXTURE_VARIANT_ADD(ops, _name) { \
		.cmd = _cmd, .flags = _flags, .put = _put, .err = _err, \
		.bad_attr = _bad, .miss_attr = _miss, .miss_alt = _alt, \
	}

/* client-get; a string too long is EINVAL from the policy core */
REFUSED(client_get_unknown_attr, DIBS_CMD_CLIENT_GET, 0, put_unknown,
	-EINVAL, UNKNOWN_ATTR, 0, 0);
REFUSED(client_get_id_8, DIBS_CMD_CLIENT_GET, 0, put_client_id_8,
	-ERANGE, DIBS_A_CLIENT_ID, 0, 0);
REFUSED(client_get_id_u16, DIBS_CMD_CLIENT_GET, 0, put_client_id_u16,
	-EINVAL, DIBS_A_CLIENT_ID, 0, 0);
REFUSED(client_get_name_too_long, DIBS_CMD_CLIENT_GET, 0,
	put_client_name_long, -EINVAL, DIBS_A_CLIENT_NAME, 0, 0);
REFUSED(client_get_with_force, DIBS_CMD_CLIENT_GET, 0, put_client_get_force,
	-EINVAL, DIBS_A_CLIENT_FORCE, 0, 0);
REFUSED(client_get_with_dmbs, DIBS_CMD_CLIENT_GET, 0, put_client_get_dmbs,
	-EINVAL, DIBS_A_CLIENT_DMBS, 0, 0);
REFUSED(client_get_dump_unknown_attr, DIBS_CMD_CLIENT_GET, NLM_F_DUMP,
	put_unknown, -EINVAL, UNKNOWN_ATTR, 0, 0);
/* client-bind / client-unbind */
REFUSED(client_bind_id_8, DIBS_CMD_CLIENT_BIND, 0, put_bind_id_8,
	-ERANGE, DIBS_A_CLIENT_ID, 0, 0);
REFUSED(client_bind_index_0, DIBS_CMD_CLIENT_BIND, 0, put_bind_index_0,
	-ERANGE, DIBS_A_CLIENT_DEV_INDEX, 0, 0);
REFUSED(client_bind_with_force, DIBS_CMD_CLIENT_BIND, 0, put_bind_force,
	-EINVAL, DIBS_A_CLIENT_FORCE, 0, 0);
REFUSED(client_bind_unknown_attr, DIBS_CMD_CLIENT_BIND, 0, put_unknown,
	-EINVAL, UNKNOWN_ATTR, 0, 0);
REFUSED(client_bind_no_device, DIBS_CMD_CLIENT_BIND, 0, put_bind_no_dev,
	-EINVAL, 0, DIBS_A_CLIENT_DEV_INDEX, DIBS_A_CLIENT_DEV_NAME);
REFUSED(client_bind_no_client, DIBS_CMD_CLIENT_BIND, 0, put_bind_no_client,
	-EINVAL, 0, DIBS_A_CLIENT_ID, DIBS_A_CLIENT_NAME);
REFUSED(client_unbind_no_device, DIBS_CMD_CLIENT_UNBIND, 0, put_bind_no_dev,
	-EINVAL, 0, DIBS_A_CLIENT_DEV_INDEX, DIBS_A_CLIENT_DEV_NAME);
REFUSED(client_unbind_no_client, DIBS_CMD_CLIENT_UNBIND, 0,
	put_bind_no_client, -EINVAL, 0, DIBS_A_CLIENT_ID, DIBS_A_CLIENT_NAME);
/* a flag with a payload: the policy core says ERANGE */
REFUSED(client_unbind_force_not_flag, DIBS_CMD_CLIENT_UNBIND, 0,
	put_unbind_force_u32, -ERANGE, DIBS_A_CLIENT_FORCE, 0, 0);
/* dmb-get */
REFUSED(dmb_get_unknown_attr, DIBS_CMD_DMB_GET, NLM_F_DUMP, put_unknown,
	-EINVAL, UNKNOWN_ATTR, 0, 0);
REFUSED(dmb_get_index_0, DIBS_CMD_DMB_GET, NLM_F_DUMP, put_dmb_index_0,
	-ERANGE, DIBS_A_DMB_DEV_INDEX, 0, 0);
REFUSED(dmb_get_client_id_8, DIBS_CMD_DMB_GET, NLM_F_DUMP,
	put_dmb_client_id_8, -ERANGE, DIBS_A_DMB_CLIENT_ID, 0, 0);
REFUSED(dmb_get_token_filter, DIBS_CMD_DMB_GET, NLM_F_DUMP, put_dmb_token,
	-EINVAL, DIBS_A_DMB_TOKEN, 0, 0);
/* gid-get, gid-check */
REFUSED(gid_get_unknown_attr, DIBS_CMD_GID_GET, NLM_F_DUMP, put_unknown,
	-EINVAL, UNKNOWN_ATTR, 0, 0);
REFUSED(gid_check_vlan_4096, DIBS_CMD_GID_CHECK, 0, put_gid_check_vlan_4096,
	-ERANGE, DIBS_A_GID_VLAN_ID, 0, 0);
REFUSED(gid_check_vlan_u32, DIBS_CMD_GID_CHECK, 0, put_gid_check_vlan_u32,
	-EINVAL, DIBS_A_GID_VLAN_ID, 0, 0);
REFUSED(gid_check_gid_15_bytes, DIBS_CMD_GID_CHECK, 0, put_gid_check_gid_15,
	-ERANGE, DIBS_A_GID_GID, 0, 0);
REFUSED(gid_check_with_role, DIBS_CMD_GID_CHECK, 0, put_gid_check_role,
	-EINVAL, DIBS_A_GID_ROLE, 0, 0);
REFUSED(gid_check_no_gid, DIBS_CMD_GID_CHECK, 0, put_gid_check_no_gid,
	-EINVAL, 0, DIBS_A_GID_GID, DIBS_A_GID_GID);
REFUSED(gid_check_no_device, DIBS_CMD_GID_CHECK, 0, put_gid_check_no_dev,
	-EINVAL, 0, DIBS_A_GID_DEV_INDEX, DIBS_A_GID_DEV_NAME);
/* vlan-get */
REFUSED(vlan_get_unknown_attr, DIBS_CMD_VLAN_GET, NLM_F_DUMP, put_unknown,
	-EINVAL, UNKNOWN_ATTR, 0, 0);
REFUSED(vlan_get_index_0, DIBS_CMD_VLAN_GET, NLM_F_DUMP, put_vlan_index_0,
	-ERANGE, DIBS_A_VLAN_DEV_INDEX, 0, 0);
REFUSED(vlan_get_refs_filter, DIBS_CMD_VLAN_GET, NLM_F_DUMP, put_vlan_refs,
	-EINVAL, DIBS_A_VLAN_REFS, 0, 0);
/* stats-get, stats-reset */
REFUSED(stats_get_client_id_8, DIBS_CMD_STATS_GET, 0, put_stats_client_id_8,
	-ERANGE, DIBS_A_STATS_CLIENT_ID, 0, 0);
REFUSED(stats_get_with_moves, DIBS_CMD_STATS_GET, 0, put_stats_moves,
	-EINVAL, DIBS_A_STATS_MOVES, 0, 0);
REFUSED(stats_get_unknown_attr, DIBS_CMD_STATS_GET, 0, put_unknown,
	-EINVAL, UNKNOWN_ATTR, 0, 0);
REFUSED(stats_get_nothing, DIBS_CMD_STATS_GET, 0, put_nothing,
	-EINVAL, 0, 0, 0);
REFUSED(stats_reset_with_client, DIBS_CMD_STATS_RESET, 0,
	put_stats_reset_client, -EINVAL, DIBS_A_STATS_CLIENT_NAME, 0, 0);
REFUSED(stats_reset_index_0, DIBS_CMD_STATS_RESET, 0,
	put_stats_reset_index_0, -ERANGE, DIBS_A_STATS_DEV_INDEX, 0, 0);
REFUSED(stats_reset_unknown_attr, DIBS_CMD_STATS_RESET, 0, put_unknown,
	-EINVAL, UNKNOWN_ATTR, 0, 0);

/* What a refused request must not change: clients, DMBs, VLANs, stats. */
static void snapshot(struct dibs_genl *g, char *buf, size_t len)
{
	static const uint8_t cmds[] = {
		DIBS_CMD_DEV_GET, DIBS_CMD_CLIENT_GET, DIBS_CMD_DMB_GET,
		DIBS_CMD_VLAN_GET, DIBS_CMD_STATS_GET,
	};
	struct dibs_reply r;
	size_t used = 0;
	unsigned int c;
	int i;

	buf[0] = '\0';
	for (c = 0; c < sizeof(cmds); c++) {
		DIBS_REQ(g, &r, cmds[c], NLM_F_DUMP);
		for (i = 0; i < r.nrecs && used + 1 < len; i++) {
			dibs_rec_format(&r.recs[i], buf + used, len - used);
			used += strlen(buf + used);
			if (used + 1 < len)
				buf[used++] = '\n';
			buf[used] = '\0';
		}
		dibs_reply_free(&r);
	}
}

TEST_F(ops, refused)
{
	static char before[65536], after[65536];
	const struct { int set; } s = { dibs_cmd_set(variant->cmd) };
	struct dibs_rec ntf;
	struct nl_msg *msg;
	int ret;

	snapshot(&self->e.g, before, sizeof(before));
	msg = dibs_genl_msg(&self->e.g, variant->cmd, variant->flags);
	ASSERT_NE(NULL, msg);
	ASSERT_EQ(0, variant->put(msg, &self->e.k));
	ret = dibs_genl_send(&self->e.g, msg, &self->e.r);
	ASSERT_STREQ("", self->e.r.local_error);
	EXPECT_EQ(variant->err, ret)
		TH_LOG("%s: expected %s, got %s", dibs_cmd_name(variant->cmd),
		       dibs_errno_name(variant->err), dibs_errno_name(ret));
	EXPECT_EQ(0, self->e.r.nrecs)
		TH_LOG("a refused request still sent %d messages", self->e.r.nrecs);
	EXPECT_TRUE(self->e.r.has_msg && self->e.r.msg[0])
		TH_LOG("no extack message with %s", dibs_errno_name(ret));
	if (self->e.r.has_msg)
		TH_LOG("extack message: \"%s\"", self->e.r.msg);
	if (variant->bad_attr) {
		EXPECT_TRUE(self->e.r.has_offs)
			TH_LOG("no NLMSGERR_ATTR_OFFS; expected it at %s",
			       dibs_set_attr_name(s.set, variant->bad_attr));
		if (self->e.r.has_offs)
			EXPECT_EQ(variant->bad_attr, self->e.r.bad_attr)
				TH_LOG("NLMSGERR_ATTR_OFFS points at %s, expected %s",
				       self->e.r.bad_attr ?
				       dibs_set_attr_name(s.set, self->e.r.bad_attr) :
				       "no attribute",
				       dibs_set_attr_name(s.set, variant->bad_attr));
	}
	if (variant->miss_attr) {
		EXPECT_TRUE(self->e.r.has_miss_type)
			TH_LOG("no NLMSGERR_ATTR_MISS_TYPE; expected %s",
			       dibs_set_attr_name(s.set, variant->miss_attr));
		if (self->e.r.has_miss_type)
			EXPECT_TRUE(self->e.r.miss_type == (uint32_t)variant->miss_attr ||
				    self->e.r.miss_type == (uint32_t)variant->miss_alt)
				TH_LOG("NLMSGERR_ATTR_MISS_TYPE is %s, expected %s or %s",
				       dibs_set_attr_name(s.set, self->e.r.miss_type),
				       dibs_set_attr_name(s.set, variant->miss_attr),
				       dibs_set_attr_name(s.set, variant->miss_alt));
	}
	ret = dibs_recmon_next(&self->e.mon, &ntf, NO_NTF_WAIT_MS);
	EXPECT_EQ(0, ret) TH_LOG("a refused request sent %s",
				 ret == 1 ? dibs_cmd_name(ntf.cmd) : dibs_errno_name(ret));
	snapshot(&self->e.g, after, sizeof(after));
	EXPECT_STREQ(before, after) TH_LOG("a refused request changed the state");
}

/* ---- without CAP_NET_ADMIN ---- */

static int drop_net_admin(void)
{
	struct __user_cap_header_struct h = { .version = _LINUX_CAPABILITY_VERSION_3 };
	struct __user_cap_data_struct d[2];
	unsigned int word = CAP_NET_ADMIN / 32, bit = 1u << (CAP_NET_ADMIN % 32);

	if (prctl(PR_CAPBSET_DROP, CAP_NET_ADMIN, 0, 0, 0))
		return -errno;
	if (syscall(SYS_capget, &h, d))
		return -errno;
	d[word].effective &= ~bit;
	d[word].permitted &= ~bit;
	d[word].inheritable &= ~bit;
	return syscall(SYS_capset, &h, d) ? -errno : 0;
}

static int become_nobody(void)
{
	if (setgroups(0, NULL) || setresgid(65534, 65534, 65534) ||
	    setresuid(65534, 65534, 65534))
		return -errno;
	return 0;
}

/* The dump or do of cmd as text, one record a line, tokens left out. */
static int view(struct dibs_genl *g, uint8_t cmd, int flags,
		const struct dibs_put *puts, size_t n, char *buf, size_t len,
		bool *had_token)
{
	struct dibs_reply r;
	size_t used = 0;
	int i, ret;

	buf[0] = '\0';
	ret = dibs_request(g, &r, cmd, flags, puts, n);
	for (i = 0; !ret && i < r.nrecs && used + 1 < len; i++) {
		struct dibs_rec rec = r.recs[i];

		if (rec.set == DIBS_SET_DMB && DIBS_REC_HAS(&rec, DIBS_A_DMB_TOKEN)) {
			*had_token = true;
			rec.present &= ~(1u << DIBS_A_DMB_TOKEN);
		}
		dibs_rec_format(&rec, buf + used, len - used);
		used += strlen(buf + used);
		if (used + 1 < len)
			buf[used++] = '\n';
		buf[used] = '\0';
	}
	dibs_reply_free(&r);
	return ret;
}

struct read_case {
	const char *what;
	uint8_t cmd;
	int flags;
	struct dibs_put puts[2];
	int nputs;
};

/*
 * Runs every read as root (here) and, in a child that dropped its
 * privileges with drop(), again; then the admin ops in the child.
 */
static void unprivileged(struct __test_metadata *_metadata,
			 struct ops_env *self, int (*drop)(void))
{
	const struct read_case reads[] = {
		{ "dev-get dump", DIBS_CMD_DEV_GET, NLM_F_DUMP, { { 0 } }, 0 },
		{ "dev-get do", DIBS_CMD_DEV_GET, 0,
		  { DIBS_PUT_STR(DIBS_A_DEV_NAME, DEV_E) }, 1 },
		{ "client-get dump", DIBS_CMD_CLIENT_GET, NLM_F_DUMP, { { 0 } }, 0 },
		{ "client-get do", DIBS_CMD_CLIENT_GET, 0,
		  { DIBS_PUT_STR(DIBS_A_CLIENT_NAME, DIBS_TC_NAME) }, 1 },
		{ "vlan-get dump", DIBS_CMD_VLAN_GET, NLM_F_DUMP, { { 0 } }, 0 },
		{ "stats-get do", DIBS_CMD_STATS_GET, 0,
		  { DIBS_PUT_STR(DIBS_A_STATS_DEV_NAME, DEV_E) }, 1 },
		{ "stats-get dump", DIBS_CMD_STATS_GET, NLM_F_DUMP, { { 0 } }, 0 },
		{ "binding-get dump", DIBS_CMD_BINDING_GET, NLM_F_DUMP, { { 0 } }, 0 },
	};
	/* reads of DMBs and peers, and the hardware probe: root only */
	const struct read_case admin_reads[] = {
		{ "dmb-get dump", DIBS_CMD_DMB_GET, NLM_F_DUMP, { { 0 } }, 0 },
		{ "dmb-get dump of a client", DIBS_CMD_DMB_GET, NLM_F_DUMP,
		  { DIBS_PUT_U32(DIBS_A_DMB_CLIENT_ID, self->k.tc_id) }, 1 },
		{ "gid-get dump", DIBS_CMD_GID_GET, NLM_F_DUMP, { { 0 } }, 0 },
		{ "gid-check", DIBS_CMD_GID_CHECK, 0,
		  { DIBS_PUT_U32(DIBS_A_GID_DEV_INDEX, self->k.e_index),
		    DIBS_PUT_BIN(DIBS_A_GID_GID, self->k.e_gid, DIBS_GID_LEN) }, 2 },
	};
	const char *const dmb_group[] = { DIBS_MCGRP_DMB };
	const char *const monitor_group[] = { DIBS_MCGRP_MONITOR };
	enum { NREADS = sizeof(reads) / sizeof(reads[0]),
	       NADMIN = sizeof(admin_reads) / sizeof(admin_reads[0]) };
	static char root_view[NREADS][16384], before[65536], after[65536];
	char got[16384];
	unsigned int i;
	bool token;
	int status;
	pid_t pid;

	for (i = 0; i < NREADS; i++) {
		token = false;
		ASSERT_EQ(0, view(&self->g, reads[i].cmd, reads[i].flags,
				  reads[i].puts, reads[i].nputs, root_view[i],
				  sizeof(root_view[i]), &token))
			TH_LOG("%s as root", reads[i].what);
	}
	for (i = 0; i < NADMIN; i++) {
		token = false;
		ASSERT_EQ(0, view(&self->g, admin_reads[i].cmd,
				  admin_reads[i].flags, admin_reads[i].puts,
				  admin_reads[i].nputs, got, sizeof(got), &token))
			TH_LOG("%s as root", admin_reads[i].what);
		if (admin_reads[i].cmd == DIBS_CMD_DMB_GET)
			EXPECT_TRUE(token)
				TH_LOG("root's %s lacks tokens", admin_reads[i].what);
	}
	snapshot(&self->g, before, sizeof(before));

	fflush(stdout);
	fflush(stderr);
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		struct dibs_recmon mon;
		struct dibs_genl g;
		struct dibs_reply r;
		int ret;

		/* an ASSERT here ends this child, not the test's teardown */
		_metadata->setup_completed = false;
		ASSERT_EQ(0, drop()) TH_LOG("cannot drop privileges");
		/* the socket is opened without the capability */
		ASSERT_EQ(0, dibs_genl_open(&g));
		for (i = 0; i < NREADS; i++) {
			token = false;
			ret = view(&g, reads[i].cmd, reads[i].flags,
				   reads[i].puts, reads[i].nputs, got,
				   sizeof(got), &token);
			EXPECT_EQ(0, ret) TH_LOG("%s without CAP_NET_ADMIN: %s",
						 reads[i].what, dibs_errno_name(ret));
			EXPECT_FALSE(token)
				TH_LOG("%s without CAP_NET_ADMIN carries tokens",
				       reads[i].what);
			EXPECT_STREQ(root_view[i], got)
				TH_LOG("%s without CAP_NET_ADMIN differs from root's",
				       reads[i].what);
		}
		for (i = 0; i < NADMIN; i++) {
			token = false;
			ret = view(&g, admin_reads[i].cmd, admin_reads[i].flags,
				   admin_reads[i].puts, admin_reads[i].nputs,
				   got, sizeof(got), &token);
			EXPECT_EQ(-EPERM, ret)
				TH_LOG("%s without CAP_NET_ADMIN: %s, not EPERM (reply: %s)",
				       admin_reads[i].what, dibs_errno_name(ret),
				       got);
			EXPECT_FALSE(token)
				TH_LOG("%s without CAP_NET_ADMIN carries tokens",
				       admin_reads[i].what);
		}
		ret = dibs_recmon_open(&mon, dmb_group, 1);
		EXPECT_EQ(-EPERM, ret)
			TH_LOG("joining the dmb group without CAP_NET_ADMIN: %s, not EPERM",
			       dibs_errno_name(ret));
		dibs_recmon_close(&mon);
		ret = dibs_recmon_open(&mon, monitor_group, 1);
		EXPECT_EQ(0, ret)
			TH_LOG("joining the monitor group without CAP_NET_ADMIN: %s",
			       dibs_errno_name(ret));
		dibs_recmon_close(&mon);
		ret = DIBS_REQ(&g, &r, DIBS_CMD_CLIENT_UNBIND, 0,
			       DIBS_PUT_U32(DIBS_A_CLIENT_ID, self->k.tc_id),
			       DIBS_PUT_STR(DIBS_A_CLIENT_DEV_NAME, DEV_E),
			       DIBS_PUT_FLAG(DIBS_A_CLIENT_FORCE));
		EXPECT_EQ(-EPERM, ret) TH_LOG("client-unbind: %s", dibs_errno_name(ret));
		dibs_reply_free(&r);
		ret = DIBS_REQ(&g, &r, DIBS_CMD_CLIENT_BIND, 0,
			       DIBS_PUT_U32(DIBS_A_CLIENT_ID, self->k.tc_id),
			       DIBS_PUT_STR(DIBS_A_CLIENT_DEV_NAME, "lo"));
		EXPECT_EQ(-EPERM, ret) TH_LOG("client-bind: %s", dibs_errno_name(ret));
		dibs_reply_free(&r);
		ret = DIBS_REQ(&g, &r, DIBS_CMD_STATS_RESET, 0);
		EXPECT_EQ(-EPERM, ret) TH_LOG("stats-reset: %s", dibs_errno_name(ret));
		dibs_reply_free(&r);
		ret = DIBS_REQ(&g, &r, DIBS_CMD_STATS_RESET, 0,
			       DIBS_PUT_STR(DIBS_A_STATS_DEV_NAME, DEV_E));
		EXPECT_EQ(-EPERM, ret) TH_LOG("stats-reset of a device: %s",
					      dibs_errno_name(ret));
		dibs_reply_free(&r);
		dibs_genl_close(&g);
		fflush(stderr);
		_exit(_metadata->passed ? 0 : 1);
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0)
		TH_LOG("the unprivileged child failed (status 0x%x)", status);
	snapshot(&self->g, after, sizeof(after));
	EXPECT_STREQ(before, after)
		TH_LOG("requests refused with EPERM changed the state");
}

FIXTURE(unpriv) {
	struct ops_env e;
};

FIXTURE_SETUP(unpriv)
{
	env_setup(_metadata, &self->e);
}

FIXTURE_TEARDOWN(unpriv)
{
	env_teardown(_metadata, &self->e);
}

TEST_F(unpriv, nobody)
{
	unprivileged(_metadata, &self->e, become_nobody);
}

TEST_F(unpriv, root_without_net_admin)
{
	unprivileged(_metadata, &self->e, drop_net_admin);
}

TEST_HARNESS_MAIN
