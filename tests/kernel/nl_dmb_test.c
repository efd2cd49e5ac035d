// SPDX-License-Identifier: GPL-2.0-only
/*
 * DMBs, GIDs and VLANs with two real clients (dibs_user.ko via /dev/dibs
 * and dibs_test_client.ko): dmb-get lists every DMB with its exact
 * attributes (token only for CAP_NET_ADMIN, vlan-id only if given,
 * attached while a writer has it mapped), filtered by device and client
 * (id and name) and refusing unknown filter targets; gid-get lists each
 * device's own GID then its peer GIDs with the exact DMB count; gid-check
 * reaches the device's own GID and not another; vlan-get rows and
 * reference counts per client and anonymous, ENOENT on an extra del,
 * vid > 4095 refused.
 */
#include <errno.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <linux/dibs_user.h>
#include <netlink/attr.h>

#include "kselftest_harness.h"
#include "dibs_ktest.h"

#define DEV_A "ktd.a"
#define DEV_B "ktd.b"
#define FREE_CLIENT_ID 7

FIXTURE(dmbs) {
	struct dibs_genl g;
	struct dibs_state initial;
	struct dibs_reply r;
	uint32_t a_index, b_index;
	uint8_t a_gid[DIBS_GID_LEN], b_gid[DIBS_GID_LEN];
	char a_uuid[DIBS_UUID_STR_LEN], b_uuid[DIBS_UUID_STR_LEN];
	struct dibs_rec user, tc;
	int fd_a, fd_b;			/* /dev/dibs on DEV_A and DEV_B */
};

FIXTURE_SETUP(dmbs)
{
	char why[1024];
	int ret;

	self->fd_a = self->fd_b = -1;
	ret = dibs_genl_open(&self->g);
	ASSERT_EQ(0, ret) TH_LOG("no dibs family: %s", dibs_errno_name(ret));
	ASSERT_EQ(0, dibs_state_read(&self->g, &self->initial, why, sizeof(why)))
		TH_LOG("%s", why);
	ASSERT_EQ(0, dibs_clients_load(why, sizeof(why))) TH_LOG("%s", why);
	ASSERT_REQ_OK(dibs_dev_new(&self->g, DEV_A, NULL, &self->r), &self->r);
	self->a_index = self->r.devs[0].index;
	memcpy(self->a_gid, self->r.devs[0].gid, DIBS_GID_LEN);
	dibs_reply_free(&self->r);
	ASSERT_REQ_OK(dibs_dev_new(&self->g, DEV_B, NULL, &self->r), &self->r);
	self->b_index = self->r.devs[0].index;
	memcpy(self->b_gid, self->r.devs[0].gid, DIBS_GID_LEN);
	dibs_reply_free(&self->r);
	dibs_uuid_str(self->a_gid, self->a_uuid);
	dibs_uuid_str(self->b_gid, self->b_uuid);
	ASSERT_EQ(0, dibs_client_get_name(&self->g, DIBS_USER_CLIENT_NAME,
					  &self->user));
	ASSERT_EQ(0, dibs_client_get_name(&self->g, DIBS_TC_NAME, &self->tc));
	self->fd_a = dibs_user_open(DEV_A);
	ASSERT_LE(0, self->fd_a) TH_LOG("/dev/dibs on " DEV_A ": %s",
					dibs_errno_name(self->fd_a));
	self->fd_b = dibs_user_open(DEV_B);
	ASSERT_LE(0, self->fd_b);
}

FIXTURE_TEARDOWN(dmbs)
{
	dibs_reply_free(&self->r);
	if (self->fd_a >= 0)
		close(self->fd_a);
	if (self->fd_b >= 0)
		close(self->fd_b);
	dibs_tc_ctl("unregister %s", DEV_A);
	dibs_tc_ctl("unregister %s", DEV_B);
	if (self->g.sk)
		EXPECT_EQ(0, dibs_remove_devices_except(&self->g, &self->initial))
			TH_LOG("could not delete the devices this test created");
	dibs_clients_unload();
	dibs_genl_close(&self->g);
}

/* A DMB of dibs_user with a VLAN. */
static int user_reg_vlan(int fd, uint32_t len, const uint8_t *rgid,
			 uint16_t vid, uint64_t *token, uint32_t *idx)
{
	struct dibs_user_dmb_register r = {
		.size = sizeof(r), .len = len,
		.flags = DIBS_USER_DMB_VLAN, .vlan_id = vid,
	};

	memcpy(r.rgid, rgid, DIBS_GID_LEN);
	if (ioctl(fd, DIBS_USER_IOC_DMB_REGISTER, &r))
		return -errno;
	*token = r.token;
	*idx = r.idx;
	return 0;
}

/* The dmb-get record with token, or NULL. */
static const struct dibs_rec *find_token(const struct dibs_reply *r,
					 uint64_t token)
{
	int i;

	for (i = 0; i < r->nrecs; i++)
		if (r->recs[i].u[DIBS_A_DMB_TOKEN] == token)
			return &r->recs[i];
	return NULL;
}

/*
 * The state every dmb test starts from: 2 DMBs of the test client on A
 * (4096 bytes), one of dibs_user on A (8192 bytes, VLAN 42) and one on B
 * (16384 bytes).
 */
struct dmb_setup {
	uint64_t ua_token, ub_token;
	uint32_t ua_idx, ub_idx;
};

static int make_dmbs(struct __test_metadata *_metadata,
		     FIXTURE_DATA(dmbs) *self, struct dmb_setup *d)
{
	if (dibs_tc_ctl("register %s 2 4096", DEV_A))
		return -1;
	if (user_reg_vlan(self->fd_a, 8192, self->a_gid, 42, &d->ua_token,
			  &d->ua_idx))
		return -1;
	return dibs_user_reg(self->fd_b, 16384, self->b_gid, &d->ub_token,
			     &d->ub_idx);
}

static int dmb_dump(struct dibs_genl *g, struct dibs_reply *r,
		    const struct dibs_put *puts, size_t n)
{
	return dibs_request(g, r, DIBS_CMD_DMB_GET, NLM_F_DUMP, puts, n);
}

TEST_F(dmbs, dmb_get_attributes)
{
	struct dmb_setup d;
	const struct dibs_rec *rec;
	int i, tc_rows = 0;

	ASSERT_EQ(0, make_dmbs(_metadata, self, &d));
	ASSERT_REQ_OK(dmb_dump(&self->g, &self->r, NULL, 0), &self->r);
	ASSERT_EQ(4, self->r.nrecs) TH_LOG("DMBs in the dump");
	for (i = 0; i < self->r.nrecs; i++) {
		rec = &self->r.recs[i];
		ASSERT_REC(rec, DIBS_CMD_DMB_GET);
		EXPECT_TRUE(DIBS_REC_HAS(rec, DIBS_A_DMB_TOKEN));
		EXPECT_NE(0, rec->u[DIBS_A_DMB_TOKEN]);
		EXPECT_TRUE(DIBS_REC_HAS(rec, DIBS_A_DMB_IDX));
		EXPECT_ATTR_U(rec, DIBS_A_DMB_BYTES, 0);
		EXPECT_ATTR_U(rec, DIBS_A_DMB_MOVES, 0);
		EXPECT_ATTR_U(rec, DIBS_A_DMB_SIGNALS, 0);
		EXPECT_NO_ATTR(rec, DIBS_A_DMB_ATTACHED);
		if (!strcmp(rec->s[DIBS_A_DMB_CLIENT_NAME], DIBS_TC_NAME)) {
			tc_rows++;
			EXPECT_ATTR_U(rec, DIBS_A_DMB_DEV_INDEX, self->a_index);
			EXPECT_ATTR_S(rec, DIBS_A_DMB_DEV_NAME, DEV_A);
			EXPECT_ATTR_U(rec, DIBS_A_DMB_CLIENT_ID,
				      self->tc.u[DIBS_A_CLIENT_ID]);
			EXPECT_ATTR_U(rec, DIBS_A_DMB_LEN, 4096);
			EXPECT_ATTR_S(rec, DIBS_A_DMB_RGID, self->a_uuid);
			EXPECT_NO_ATTR(rec, DIBS_A_DMB_VLAN_ID);
		}
	}
	EXPECT_EQ(2, tc_rows) TH_LOG("rows of the test client");

	rec = find_token(&self->r, d.ua_token);
	ASSERT_NE(NULL, rec) TH_LOG("dibs_user's DMB on " DEV_A " is not listed by its token");
	EXPECT_ATTR_U(rec, DIBS_A_DMB_DEV_INDEX, self->a_index);
	EXPECT_ATTR_S(rec, DIBS_A_DMB_DEV_NAME, DEV_A);
	EXPECT_ATTR_U(rec, DIBS_A_DMB_CLIENT_ID, self->user.u[DIBS_A_CLIENT_ID]);
	EXPECT_ATTR_S(rec, DIBS_A_DMB_CLIENT_NAME, DIBS_USER_CLIENT_NAME);
	EXPECT_ATTR_U(rec, DIBS_A_DMB_IDX, d.ua_idx);
	EXPECT_ATTR_U(rec, DIBS_A_DMB_LEN, 8192);
	EXPECT_ATTR_S(rec, DIBS_A_DMB_RGID, self->a_uuid);
	EXPECT_ATTR_U(rec, DIBS_A_DMB_VLAN_ID, 42);

	rec = find_token(&self->r, d.ub_token);
	ASSERT_NE(NULL, rec) TH_LOG("dibs_user's DMB on " DEV_B " is not listed by its token");
	EXPECT_ATTR_U(rec, DIBS_A_DMB_DEV_INDEX, self->b_index);
	EXPECT_ATTR_S(rec, DIBS_A_DMB_DEV_NAME, DEV_B);
	EXPECT_ATTR_U(rec, DIBS_A_DMB_IDX, d.ub_idx);
	EXPECT_ATTR_U(rec, DIBS_A_DMB_LEN, 16384);
	EXPECT_ATTR_S(rec, DIBS_A_DMB_RGID, self->b_uuid);
	EXPECT_NO_ATTR(rec, DIBS_A_DMB_VLAN_ID);
}

TEST_F(dmbs, dmb_get_attached)
{
	struct dibs_user_attach a = { .size = sizeof(a) };
	struct dibs_user_detach det = { .size = sizeof(det) };
	struct dmb_setup d;
	int writer;

	ASSERT_EQ(0, make_dmbs(_metadata, self, &d));
	writer = dibs_user_open(DEV_A);
	ASSERT_LE(0, writer);
	a.token = d.ua_token;
	ASSERT_EQ(0, ioctl(writer, DIBS_USER_IOC_ATTACH, &a));
	ASSERT_REQ_OK(dmb_dump(&self->g, &self->r, NULL, 0), &self->r);
	ASSERT_NE(NULL, find_token(&self->r, d.ua_token));
	EXPECT_TRUE(DIBS_REC_HAS(find_token(&self->r, d.ua_token),
				 DIBS_A_DMB_ATTACHED))
		TH_LOG("an attached DMB lacks the attached flag");
	EXPECT_FALSE(DIBS_REC_HAS(find_token(&self->r, d.ub_token),
				  DIBS_A_DMB_ATTACHED));
	dibs_reply_free(&self->r);
	det.token = d.ua_token;
	ASSERT_EQ(0, ioctl(writer, DIBS_USER_IOC_DETACH, &det));
	ASSERT_REQ_OK(dmb_dump(&self->g, &self->r, NULL, 0), &self->r);
	ASSERT_NE(NULL, find_token(&self->r, d.ua_token));
	EXPECT_FALSE(DIBS_REC_HAS(find_token(&self->r, d.ua_token),
				  DIBS_A_DMB_ATTACHED))
		TH_LOG("a detached DMB still has the attached flag");
	close(writer);
}

TEST_F(dmbs, dmb_get_filters)
{
	const struct {
		const char *what;
		struct dibs_put puts[2];
		int nputs;
		int want;
	} cases[] = {
		{ "dev-index of " DEV_A,
		  { DIBS_PUT_U32(DIBS_A_DMB_DEV_INDEX, self->a_index) }, 1, 3 },
		{ "dev-name " DEV_B,
		  { DIBS_PUT_STR(DIBS_A_DMB_DEV_NAME, DEV_B) }, 1, 1 },
		{ "dev-name lo",
		  { DIBS_PUT_STR(DIBS_A_DMB_DEV_NAME, "lo") }, 1, 0 },
		{ "client-id of the test client",
		  { DIBS_PUT_U32(DIBS_A_DMB_CLIENT_ID, self->tc.u[DIBS_A_CLIENT_ID]) },
		  1, 2 },
		{ "client-name dibs_user",
		  { DIBS_PUT_STR(DIBS_A_DMB_CLIENT_NAME, DIBS_USER_CLIENT_NAME) },
		  1, 2 },
		{ "dev-name " DEV_A " and client-name dibs_user",
		  { DIBS_PUT_STR(DIBS_A_DMB_DEV_NAME, DEV_A),
		    DIBS_PUT_STR(DIBS_A_DMB_CLIENT_NAME, DIBS_USER_CLIENT_NAME) },
		  2, 1 },
		{ "dev-index of " DEV_B " and client-id of the test client",
		  { DIBS_PUT_U32(DIBS_A_DMB_DEV_INDEX, self->b_index),
		    DIBS_PUT_U32(DIBS_A_DMB_CLIENT_ID, self->tc.u[DIBS_A_CLIENT_ID]) },
		  2, 0 },
	};
	struct dmb_setup d;
	unsigned int c;
	int i;

	ASSERT_EQ(0, make_dmbs(_metadata, self, &d));
	for (c = 0; c < sizeof(cases) / sizeof(cases[0]); c++) {
		ASSERT_REQ_OK(dmb_dump(&self->g, &self->r, cases[c].puts,
				       cases[c].nputs), &self->r);
		EXPECT_EQ(cases[c].want, self->r.nrecs)
			TH_LOG("dmb-get filtered by %s: rows", cases[c].what);
		for (i = 0; i < self->r.nrecs; i++) {
			const struct dibs_rec *rec = &self->r.recs[i];
			const struct dibs_put *p = cases[c].puts;
			int k;

			for (k = 0; k < cases[c].nputs; k++) {
				if (p[k].kind == DIBS_PUT_KIND_STR) {
					EXPECT_STREQ((const char *)p[k].p, rec->s[p[k].type])
						TH_LOG("filter %s let a row of another object through",
						       cases[c].what);
				} else {
					EXPECT_EQ(p[k].u, rec->u[p[k].type])
						TH_LOG("filter %s let a row of another object through",
						       cases[c].what);
				}
			}
		}
		dibs_reply_free(&self->r);
	}
}

TEST_F(dmbs, dmb_get_unknown_filter_targets)
{
	const struct {
		const char *what;
		struct dibs_put put;
		int err;
	} cases[] = {
		{ "an unknown device name",
		  DIBS_PUT_STR(DIBS_A_DMB_DEV_NAME, "ktd.none"), -ENODEV },
		{ "an unknown device index",
		  DIBS_PUT_U32(DIBS_A_DMB_DEV_INDEX, 0x7fffff00), -ENODEV },
		{ "an unknown client name",
		  DIBS_PUT_STR(DIBS_A_DMB_CLIENT_NAME, "no_such_client"), -ENOENT },
		{ "an unused client id",
		  DIBS_PUT_U32(DIBS_A_DMB_CLIENT_ID, FREE_CLIENT_ID), -ENOENT },
	};
	unsigned int c;

	for (c = 0; c < sizeof(cases) / sizeof(cases[0]); c++) {
		EXPECT_EQ(cases[c].err, dmb_dump(&self->g, &self->r, &cases[c].put, 1))
			TH_LOG("dmb-get filtered by %s: expected %s, got %s",
			       cases[c].what, dibs_errno_name(cases[c].err),
			       dibs_errno_name(self->r.err));
		EXPECT_TRUE(self->r.has_msg)
			TH_LOG("no extack for dmb-get filtered by %s", cases[c].what);
		if (self->r.has_msg)
			TH_LOG("extack: %s", self->r.msg);
		/*
		 * A dump that fails in its dumpit gets only the message in
		 * NLMSG_DONE on 6.1 (netlink_dump_done() adds no offset),
		 * and 6.1 has no NL_SET_ERR_MSG_FMT to name the object.
		 */
		if (self->r.has_offs) {
			EXPECT_EQ(cases[c].put.type, self->r.bad_attr)
				TH_LOG("dmb-get filtered by %s: extack points at %s",
				       cases[c].what,
				       dibs_set_attr_name(DIBS_SET_DMB, self->r.bad_attr));
		}
		EXPECT_EQ(0, self->r.nrecs);
		dibs_reply_free(&self->r);
	}
	/* index and name of different devices */
	EXPECT_EQ(-EINVAL, DIBS_REQ(&self->g, &self->r, DIBS_CMD_DMB_GET, NLM_F_DUMP,
				    DIBS_PUT_U32(DIBS_A_DMB_DEV_INDEX, self->a_index),
				    DIBS_PUT_STR(DIBS_A_DMB_DEV_NAME, DEV_B)));
	EXPECT_TRUE(self->r.has_msg);
}

TEST_F(dmbs, gid_get)
{
	struct dmb_setup d;
	int i, j;

	ASSERT_EQ(0, make_dmbs(_metadata, self, &d));
	ASSERT_REQ_OK(DIBS_REQ(&self->g, &self->r, DIBS_CMD_GID_GET, NLM_F_DUMP),
		      &self->r);
	/* lo: local; A: local, peer A (3 DMBs); B: local, peer B (1 DMB) */
	ASSERT_EQ(self->initial.ndevs + 4, self->r.nrecs) TH_LOG("gid-get rows");
	for (i = 0; i < self->r.nrecs; i++)
		ASSERT_REC(&self->r.recs[i], DIBS_CMD_GID_GET);
	for (i = 0, j = 0; j < self->initial.ndevs; j++, i++) {
		const struct dibs_rec *rec = &self->r.recs[i];
		char uuid[DIBS_UUID_STR_LEN];

		dibs_uuid_str(self->initial.devs[j].gid, uuid);
		EXPECT_ATTR_U(rec, DIBS_A_GID_ROLE, DIBS_GID_ROLE_LOCAL);
		EXPECT_ATTR_S(rec, DIBS_A_GID_GID, uuid);
		EXPECT_ATTR_U(rec, DIBS_A_GID_DEV_INDEX, self->initial.devs[j].index);
		EXPECT_ATTR_S(rec, DIBS_A_GID_DEV_NAME, self->initial.devs[j].name);
		EXPECT_ATTR_U(rec, DIBS_A_GID_FABRIC_ID, DIBS_LOOPBACK_FABRIC_ID);
	}
	{
		const struct dibs_rec *rec = &self->r.recs[i];

		EXPECT_ATTR_U(&rec[0], DIBS_A_GID_ROLE, DIBS_GID_ROLE_LOCAL);
		EXPECT_ATTR_S(&rec[0], DIBS_A_GID_GID, self->a_uuid);
		EXPECT_ATTR_U(&rec[0], DIBS_A_GID_DEV_INDEX, self->a_index);
		EXPECT_ATTR_S(&rec[0], DIBS_A_GID_DEV_NAME, DEV_A);
		EXPECT_ATTR_U(&rec[0], DIBS_A_GID_FABRIC_ID, DIBS_LOOPBACK_FABRIC_ID);
		EXPECT_NO_ATTR(&rec[0], DIBS_A_GID_DMBS);
		EXPECT_ATTR_U(&rec[1], DIBS_A_GID_ROLE, DIBS_GID_ROLE_PEER);
		EXPECT_ATTR_S(&rec[1], DIBS_A_GID_GID, self->a_uuid);
		EXPECT_ATTR_U(&rec[1], DIBS_A_GID_DEV_INDEX, self->a_index);
		EXPECT_ATTR_S(&rec[1], DIBS_A_GID_DEV_NAME, DEV_A);
		EXPECT_ATTR_U(&rec[1], DIBS_A_GID_DMBS, 3);
		EXPECT_ATTR_U(&rec[2], DIBS_A_GID_ROLE, DIBS_GID_ROLE_LOCAL);
		EXPECT_ATTR_S(&rec[2], DIBS_A_GID_GID, self->b_uuid);
		EXPECT_ATTR_U(&rec[2], DIBS_A_GID_DEV_INDEX, self->b_index);
		EXPECT_ATTR_U(&rec[3], DIBS_A_GID_ROLE, DIBS_GID_ROLE_PEER);
		EXPECT_ATTR_S(&rec[3], DIBS_A_GID_GID, self->b_uuid);
		EXPECT_ATTR_U(&rec[3], DIBS_A_GID_DEV_INDEX, self->b_index);
		EXPECT_ATTR_U(&rec[3], DIBS_A_GID_DMBS, 1);
	}
	dibs_reply_free(&self->r);

	/* the peer row follows the DMBs: one fewer, then none */
	ASSERT_EQ(0, dibs_user_unreg(self->fd_b, d.ub_token));
	ASSERT_REQ_OK(DIBS_REQ(&self->g, &self->r, DIBS_CMD_GID_GET, NLM_F_DUMP),
		      &self->r);
	EXPECT_EQ(self->initial.ndevs + 3, self->r.nrecs)
		TH_LOG("gid-get rows once " DEV_B " has no DMB");
	dibs_reply_free(&self->r);
	ASSERT_EQ(0, dibs_tc_ctl("unregister %s", DEV_A));
	ASSERT_REQ_OK(DIBS_REQ(&self->g, &self->r, DIBS_CMD_GID_GET, NLM_F_DUMP),
		      &self->r);
	ASSERT_EQ(self->initial.ndevs + 3, self->r.nrecs);
	/* the peer row of DEV_A after the test client's DMBs left */
	EXPECT_ATTR_U(&self->r.recs[self->initial.ndevs + 1], DIBS_A_GID_DMBS, 1);
}

TEST_F(dmbs, gid_check)
{
	uint8_t other[DIBS_GID_LEN];

	/* its own GID: reachable; the reply echoes the request */
	ASSERT_REQ_OK(DIBS_REQ(&self->g, &self->r, DIBS_CMD_GID_CHECK, 0,
			       DIBS_PUT_STR(DIBS_A_GID_DEV_NAME, DEV_A),
			       DIBS_PUT_BIN(DIBS_A_GID_GID, self->a_gid, DIBS_GID_LEN)),
		      &self->r);
	ASSERT_EQ(1, self->r.nrecs);
	ASSERT_REC(&self->r.recs[0], DIBS_CMD_GID_CHECK);
	EXPECT_ATTR_U(&self->r.recs[0], DIBS_A_GID_DEV_INDEX, self->a_index);
	EXPECT_ATTR_S(&self->r.recs[0], DIBS_A_GID_DEV_NAME, DEV_A);
	EXPECT_ATTR_S(&self->r.recs[0], DIBS_A_GID_GID, self->a_uuid);
	EXPECT_NO_ATTR(&self->r.recs[0], DIBS_A_GID_VLAN_ID);
	EXPECT_ATTR_U(&self->r.recs[0], DIBS_A_GID_REACHABLE, 1);
	dibs_reply_free(&self->r);

	/* with a VLAN, by index */
	ASSERT_REQ_OK(DIBS_REQ(&self->g, &self->r, DIBS_CMD_GID_CHECK, 0,
			       DIBS_PUT_U32(DIBS_A_GID_DEV_INDEX, self->a_index),
			       DIBS_PUT_BIN(DIBS_A_GID_GID, self->a_gid, DIBS_GID_LEN),
			       DIBS_PUT_U16(DIBS_A_GID_VLAN_ID, 4095)),
		      &self->r);
	ASSERT_EQ(1, self->r.nrecs);
	EXPECT_ATTR_S(&self->r.recs[0], DIBS_A_GID_DEV_NAME, DEV_A);
	EXPECT_ATTR_U(&self->r.recs[0], DIBS_A_GID_VLAN_ID, 4095);
	EXPECT_ATTR_U(&self->r.recs[0], DIBS_A_GID_REACHABLE, 1);
	dibs_reply_free(&self->r);

	/* another device's GID, and a made-up one: not reachable */
	ASSERT_REQ_OK(DIBS_REQ(&self->g, &self->r, DIBS_CMD_GID_CHECK, 0,
			       DIBS_PUT_STR(DIBS_A_GID_DEV_NAME, DEV_A),
			       DIBS_PUT_BIN(DIBS_A_GID_GID, self->b_gid, DIBS_GID_LEN)),
		      &self->r);
	ASSERT_EQ(1, self->r.nrecs);
	EXPECT_ATTR_S(&self->r.recs[0], DIBS_A_GID_GID, self->b_uuid);
	EXPECT_ATTR_U(&self->r.recs[0], DIBS_A_GID_REACHABLE, 0);
	dibs_reply_free(&self->r);
	dibs_test_gid(other, 4711);
	ASSERT_REQ_OK(DIBS_REQ(&self->g, &self->r, DIBS_CMD_GID_CHECK, 0,
			       DIBS_PUT_STR(DIBS_A_GID_DEV_NAME, DEV_B),
			       DIBS_PUT_BIN(DIBS_A_GID_GID, other, DIBS_GID_LEN)),
		      &self->r);
	ASSERT_EQ(1, self->r.nrecs);
	EXPECT_ATTR_U(&self->r.recs[0], DIBS_A_GID_REACHABLE, 0);
	dibs_reply_free(&self->r);

	/* refused: no gid, no device, unknown device */
	EXPECT_EQ(-EINVAL, DIBS_REQ(&self->g, &self->r, DIBS_CMD_GID_CHECK, 0,
				    DIBS_PUT_STR(DIBS_A_GID_DEV_NAME, DEV_A)));
	EXPECT_TRUE(self->r.has_miss_type) TH_LOG("no missing-attribute extack");
	EXPECT_EQ(DIBS_A_GID_GID, self->r.miss_type);
	dibs_reply_free(&self->r);
	EXPECT_EQ(-EINVAL, DIBS_REQ(&self->g, &self->r, DIBS_CMD_GID_CHECK, 0,
				    DIBS_PUT_BIN(DIBS_A_GID_GID, self->a_gid, DIBS_GID_LEN)));
	EXPECT_TRUE(self->r.has_miss_type) TH_LOG("no missing-attribute extack");
	EXPECT_TRUE(self->r.miss_type == DIBS_A_GID_DEV_INDEX ||
		    self->r.miss_type == DIBS_A_GID_DEV_NAME)
		TH_LOG("missing attribute reported: %u", self->r.miss_type);
	dibs_reply_free(&self->r);
	EXPECT_EQ(-ENODEV, DIBS_REQ(&self->g, &self->r, DIBS_CMD_GID_CHECK, 0,
				    DIBS_PUT_STR(DIBS_A_GID_DEV_NAME, "ktd.none"),
				    DIBS_PUT_BIN(DIBS_A_GID_GID, self->a_gid, DIBS_GID_LEN)));
	EXPECT_TRUE(self->r.has_msg);
	EXPECT_EQ(DIBS_A_GID_DEV_NAME, self->r.bad_attr);
}

/* One expected vlan-get row; client NULL for the anonymous one. */
struct vlan_row {
	uint32_t dev_index;
	uint16_t id;
	const struct dibs_rec *client;
	uint32_t refs;
};

static void check_vlans(struct __test_metadata *_metadata,
			struct dibs_genl *g, const char *dev,
			const struct vlan_row *want, int n, const char *when)
{
	struct dibs_reply r;
	int i, ret;

	if (dev)
		ret = DIBS_REQ(g, &r, DIBS_CMD_VLAN_GET, NLM_F_DUMP,
			       DIBS_PUT_STR(DIBS_A_VLAN_DEV_NAME, dev));
	else
		ret = DIBS_REQ(g, &r, DIBS_CMD_VLAN_GET, NLM_F_DUMP);
	ASSERT_EQ(0, ret) TH_LOG("vlan-get %s: %s", when, dibs_errno_name(ret));
	EXPECT_EQ(n, r.nrecs) TH_LOG("vlan-get rows %s", when);
	for (i = 0; i < n && i < r.nrecs; i++) {
		const struct dibs_rec *rec = &r.recs[i];

		ASSERT_REC(rec, DIBS_CMD_VLAN_GET);
		TH_LOG("%s, row %d", when, i);
		EXPECT_ATTR_U(rec, DIBS_A_VLAN_DEV_INDEX, want[i].dev_index);
		EXPECT_TRUE(DIBS_REC_HAS(rec, DIBS_A_VLAN_DEV_NAME));
		EXPECT_ATTR_U(rec, DIBS_A_VLAN_ID, want[i].id);
		EXPECT_ATTR_U(rec, DIBS_A_VLAN_REFS, want[i].refs);
		if (want[i].client) {
			EXPECT_ATTR_U(rec, DIBS_A_VLAN_CLIENT_ID,
				      want[i].client->u[DIBS_A_CLIENT_ID]);
			EXPECT_ATTR_S(rec, DIBS_A_VLAN_CLIENT_NAME,
				      want[i].client->s[DIBS_A_CLIENT_NAME]);
		} else {
			EXPECT_NO_ATTR(rec, DIBS_A_VLAN_CLIENT_ID);
			EXPECT_NO_ATTR(rec, DIBS_A_VLAN_CLIENT_NAME);
		}
	}
	dibs_reply_free(&r);
}

TEST_F(dmbs, vlan_refs)
{
	const struct dibs_rec *tc = &self->tc;
	uint32_t a = self->a_index, b = self->b_index;
	char status[16384];

	check_vlans(_metadata, &self->g, NULL, NULL, 0, "at the start");

	/*
	 * A client written for upstream sees the driver's own ops: a
	 * loopback has no VLAN operations, and probing them finds NULL.
	 */
	dibs_tc_status(status, sizeof(status));
	EXPECT_NE(NULL, strstr(status, "ops " DEV_A " move_data dibs_lo_move_data [dibs] add_vlan_id - del_vlan_id -"))
		TH_LOG("dibs->ops of " DEV_A " must be the loopback's own, without VLAN ops; test client status:\n%s",
		       status);
	EXPECT_EQ(-EOPNOTSUPP, dibs_tc_ctl("vlan-add-op %s 10", DEV_A))
		TH_LOG("dibs->ops->add_vlan_id of a loopback must be NULL, as upstream");

	ASSERT_EQ(0, dibs_tc_ctl("vlan-add %s 10", DEV_A));
	ASSERT_EQ(0, dibs_tc_ctl("vlan-add %s 10", DEV_A));
	ASSERT_EQ(0, dibs_tc_ctl("vlan-add %s 20", DEV_A));
	ASSERT_EQ(0, dibs_tc_ctl("vlan-add %s 5", DEV_B));
	ASSERT_EQ(0, dibs_tc_ctl("vlan-add %s 4095", DEV_B));
	{
		const struct vlan_row all[] = {
			{ a, 10, tc, 2 }, { a, 20, tc, 1 },
			{ b, 5, tc, 1 }, { b, 4095, tc, 1 },
		};
		check_vlans(_metadata, &self->g, NULL, all, 4, "after the adds");
		check_vlans(_metadata, &self->g, DEV_A, all, 2, "of " DEV_A);
		check_vlans(_metadata, &self->g, DEV_B, all + 2, 2, "of " DEV_B);
		check_vlans(_metadata, &self->g, "lo", NULL, 0, "of lo");
	}

	/* out of range: refused, nothing recorded */
	EXPECT_EQ(-EINVAL, dibs_tc_ctl("vlan-add %s 4096", DEV_A));
	EXPECT_EQ(-EINVAL, dibs_tc_ctl("vlan-add %s 65536", DEV_A));

	/* dels: one reference each, ENOENT once none is left */
	ASSERT_EQ(0, dibs_tc_ctl("vlan-del %s 10", DEV_A));
	{
		const struct vlan_row rows[] = {
			{ a, 10, tc, 1 }, { a, 20, tc, 1 },
		};
		check_vlans(_metadata, &self->g, DEV_A, rows, 2, "after one del");
	}
	ASSERT_EQ(0, dibs_tc_ctl("vlan-del %s 10", DEV_A));
	EXPECT_EQ(-ENOENT, dibs_tc_ctl("vlan-del %s 10", DEV_A))
		TH_LOG("a del without a client reference must fail with ENOENT");
	EXPECT_EQ(-ENOENT, dibs_tc_ctl("vlan-del %s 30", DEV_A));
	{
		const struct vlan_row rows[] = {
			{ a, 20, tc, 1 }, { b, 5, tc, 1 }, { b, 4095, tc, 1 },
		};
		check_vlans(_metadata, &self->g, NULL, rows, 3, "after the dels");
	}

	/* unbinding the client from B drops its references there only */
	ASSERT_REQ_OK(DIBS_REQ(&self->g, &self->r, DIBS_CMD_CLIENT_UNBIND, 0,
			       DIBS_PUT_STR(DIBS_A_CLIENT_NAME, DIBS_TC_NAME),
			       DIBS_PUT_STR(DIBS_A_CLIENT_DEV_NAME, DEV_B)), &self->r);
	dibs_reply_free(&self->r);
	{
		const struct vlan_row rows[] = { { a, 20, tc, 1 } };

		check_vlans(_metadata, &self->g, NULL, rows, 1, "after the unbind from " DEV_B);
	}

	/* unregistering the client drops the rest of its references */
	ASSERT_EQ(0, dibs_module_unload(DIBS_TC_NAME));
	check_vlans(_metadata, &self->g, NULL, NULL, 0, "after the client unregistered");
}

/* As for dmb-get: a dumpit's error carries no offset on 6.1. */
TEST_F(dmbs, vlan_get_unknown_device)
{
	EXPECT_EQ(-ENODEV, DIBS_REQ(&self->g, &self->r, DIBS_CMD_VLAN_GET, NLM_F_DUMP,
				    DIBS_PUT_STR(DIBS_A_VLAN_DEV_NAME, "ktd.none")));
	EXPECT_TRUE(self->r.has_msg);
	TH_LOG("extack: %s", self->r.msg);
	if (self->r.has_offs)
		EXPECT_EQ(DIBS_A_VLAN_DEV_NAME, self->r.bad_attr);
	dibs_reply_free(&self->r);
	EXPECT_EQ(-ENODEV, DIBS_REQ(&self->g, &self->r, DIBS_CMD_VLAN_GET, NLM_F_DUMP,
				    DIBS_PUT_U32(DIBS_A_VLAN_DEV_INDEX, 0x7fffff00)));
	EXPECT_TRUE(self->r.has_msg);
	TH_LOG("extack: %s", self->r.msg);
	if (self->r.has_offs)
		EXPECT_EQ(DIBS_A_VLAN_DEV_INDEX, self->r.bad_attr);
}

TEST_HARNESS_MAIN
