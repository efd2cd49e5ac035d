// SPDX-License-Identifier: GPL-2.0-only
/*
 * Clients and binding, with two real clients (dibs_user.ko behind
 * /dev/dibs and tests/modules' dibs_test_client.ko): client-get do (by id,
 * by name) and dump, binding-get do and dump (filters, order, the
 * client's DMB count per device), no bindings nested in dev or client;
 * client-unbind calls del_dev() and stops the handlers, a client cannot
 * register DMBs on a device it is not bound to, client-bind calls
 * add_dev(), both visible in client-get and dev-get; EEXIST, ENOENT,
 * ENODEV; EBUSY while the client holds DMBs and force releasing them;
 * dibs_register_client() refusing a missing, empty or too long name.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include <netlink/attr.h>

#include "kselftest_harness.h"
#include "dibs_ktest.h"

#define DEV_A "ktc.a"
#define DEV_B "ktc.b"
/* A client slot no client takes while the suite runs: 2 are loaded. */
#define FREE_CLIENT_ID 7

FIXTURE(clients) {
	struct dibs_genl g;
	struct dibs_state initial;
	struct dibs_reply r;
	uint32_t a_index, b_index;
	uint8_t a_gid[DIBS_GID_LEN], b_gid[DIBS_GID_LEN];
	struct dibs_rec user, tc;	/* client-get of both clients */
	int fd;				/* /dev/dibs on DEV_A, or -1 */
};

FIXTURE_SETUP(clients)
{
	char why[1024];
	int ret;

	self->fd = -1;
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

	ASSERT_EQ(0, dibs_client_get_name(&self->g, DIBS_USER_CLIENT_NAME,
					  &self->user));
	ASSERT_EQ(0, dibs_client_get_name(&self->g, DIBS_TC_NAME, &self->tc));
}

FIXTURE_TEARDOWN(clients)
{
	dibs_reply_free(&self->r);
	if (self->fd >= 0)
		close(self->fd);
	dibs_tc_ctl("unregister %s", DEV_A);
	if (self->g.sk)
		EXPECT_EQ(0, dibs_remove_devices_except(&self->g, &self->initial))
			TH_LOG("could not delete the devices this test created");
	dibs_clients_unload();
	dibs_genl_close(&self->g);
}

/* client-bind or client-unbind of client NAME to device DEV by name */
static int bind_op(struct dibs_genl *g, struct dibs_reply *r, uint8_t cmd,
		   const char *client, const char *dev, bool force)
{
	if (force)
		return DIBS_REQ(g, r, cmd, 0,
				DIBS_PUT_STR(DIBS_A_CLIENT_NAME, client),
				DIBS_PUT_STR(DIBS_A_CLIENT_DEV_NAME, dev),
				DIBS_PUT_FLAG(DIBS_A_CLIENT_FORCE));
	return DIBS_REQ(g, r, cmd, 0, DIBS_PUT_STR(DIBS_A_CLIENT_NAME, client),
			DIBS_PUT_STR(DIBS_A_CLIENT_DEV_NAME, dev));
}

/*
 * binding-get do of client @client_id and device @dev_index into *rec:
 * 0, or the kernel's -errno (-ENOENT: not bound).
 */
static int binding_get(struct dibs_genl *g, uint32_t client_id,
		       uint32_t dev_index, struct dibs_rec *rec)
{
	struct dibs_reply r;
	int err;

	err = DIBS_REQ(g, &r, DIBS_CMD_BINDING_GET, 0,
		       DIBS_PUT_U32(DIBS_A_BINDING_CLIENT_ID, client_id),
		       DIBS_PUT_U32(DIBS_A_BINDING_DEV_INDEX, dev_index));
	if (!err && r.nrecs != 1)
		err = -EPROTO;
	if (!err)
		*rec = r.recs[0];
	dibs_reply_free(&r);
	return err;
}

/* Whether client id is bound to dev (binding-get do), -1 on errors. */
static int dev_has_client(struct dibs_genl *g, const char *dev, uint32_t id)
{
	struct dibs_reply r;
	int err;

	err = DIBS_REQ(g, &r, DIBS_CMD_BINDING_GET, 0,
		       DIBS_PUT_U32(DIBS_A_BINDING_CLIENT_ID, id),
		       DIBS_PUT_STR(DIBS_A_BINDING_DEV_NAME, dev));
	dibs_reply_free(&r);
	if (err == -ENOENT)
		return 0;
	return err ? -1 : 1;
}

/* The client's DMBs on the device as binding-get says, -1 if unbound. */
static long binding_dmbs(struct dibs_genl *g, const struct dibs_rec *client,
			 uint32_t dev_index)
{
	struct dibs_rec rec;

	if (binding_get(g, client->u[DIBS_A_CLIENT_ID], dev_index, &rec) ||
	    !DIBS_REC_HAS(&rec, DIBS_A_BINDING_DMBS))
		return -1;
	return (long)rec.u[DIBS_A_BINDING_DMBS];
}

static long tc_value(const char *dev, const char *key)
{
	long v = -1;

	if (dibs_tc_dev_value(dev, key, &v))
		return -1;
	return v;
}

#define EXPECT_TC(dev, key, want) do { \
	char __st[4096]; \
	long __v = tc_value(dev, key); \
	if (__v != (want)) \
		dibs_tc_status(__st, sizeof(__st)); \
	EXPECT_EQ((long)(want), __v) \
		TH_LOG("%s of %s in the test client's status: expected %ld, got %ld; status:\n%s", \
		       key, dev, (long)(want), __v, __st); \
} while (0)

TEST_F(clients, client_get_dump_and_do)
{
	const struct dibs_rec *ids[2] = { &self->user, &self->tc };
	const char *names[2] = { DIBS_USER_CLIENT_NAME, DIBS_TC_NAME };
	struct dibs_rec rec;
	int i, j, n = 0;
	uint64_t last = 0;

	/* do by name: both clients, each bound to lo, DEV_A, DEV_B */
	for (i = 0; i < 2; i++) {
		ASSERT_REC(ids[i], DIBS_CMD_CLIENT_GET);
		EXPECT_ATTR_S(ids[i], DIBS_A_CLIENT_NAME, names[i]);
		EXPECT_TRUE(DIBS_REC_HAS(ids[i], DIBS_A_CLIENT_ID));
		EXPECT_GE(7, ids[i]->u[DIBS_A_CLIENT_ID]);
		EXPECT_ATTR_U(ids[i], DIBS_A_CLIENT_DMBS, 0);
		/* since version 2 the devices are binding-get's */
		EXPECT_STREQ("", ids[i]->malformed)
			TH_LOG("%s: client-get does not follow the spec", names[i]);
		EXPECT_EQ(0, binding_dmbs(&self->g, ids[i], self->a_index));
		EXPECT_EQ(0, binding_dmbs(&self->g, ids[i], self->b_index));
	}
	EXPECT_NE(self->user.u[DIBS_A_CLIENT_ID], self->tc.u[DIBS_A_CLIENT_ID]);

	/* do by id, and by id and name together: the same record */
	for (i = 0; i < 2; i++) {
		ASSERT_REQ_OK(DIBS_REQ(&self->g, &self->r, DIBS_CMD_CLIENT_GET, 0,
				       DIBS_PUT_U32(DIBS_A_CLIENT_ID,
						    ids[i]->u[DIBS_A_CLIENT_ID])),
			      &self->r);
		ASSERT_EQ(1, self->r.nrecs);
		EXPECT_EQ(0, memcmp(ids[i], &self->r.recs[0], sizeof(rec)))
			TH_LOG("client-get by id differs from by name for %s", names[i]);
		dibs_reply_free(&self->r);
		ASSERT_REQ_OK(DIBS_REQ(&self->g, &self->r, DIBS_CMD_CLIENT_GET, 0,
				       DIBS_PUT_U32(DIBS_A_CLIENT_ID,
						    ids[i]->u[DIBS_A_CLIENT_ID]),
				       DIBS_PUT_STR(DIBS_A_CLIENT_NAME, names[i])),
			      &self->r);
		ASSERT_EQ(1, self->r.nrecs);
		EXPECT_EQ(0, memcmp(ids[i], &self->r.recs[0], sizeof(rec)));
		dibs_reply_free(&self->r);
	}

	/* dump: exactly these two, in id order, equal to the do replies */
	ASSERT_REQ_OK(DIBS_REQ(&self->g, &self->r, DIBS_CMD_CLIENT_GET,
			       NLM_F_DUMP), &self->r);
	for (i = 0; i < self->r.nrecs; i++) {
		const struct dibs_rec *d = &self->r.recs[i];

		ASSERT_REC(d, DIBS_CMD_CLIENT_GET);
		if (i)
			EXPECT_LT(last, d->u[DIBS_A_CLIENT_ID])
				TH_LOG("dump not in id order");
		last = d->u[DIBS_A_CLIENT_ID];
		for (j = 0; j < 2; j++) {
			if (d->u[DIBS_A_CLIENT_ID] != ids[j]->u[DIBS_A_CLIENT_ID])
				continue;
			n++;
			EXPECT_EQ(0, memcmp(ids[j], d, sizeof(rec)))
				TH_LOG("dump entry of %s differs from client-get do",
				       names[j]);
		}
	}
	EXPECT_EQ(2, self->r.nrecs) TH_LOG("clients in the dump");
	EXPECT_EQ(2, n);
}

TEST_F(clients, client_get_refused)
{
	/* unknown name, unused id, id and name of different clients */
	EXPECT_EQ(-ENOENT, DIBS_REQ(&self->g, &self->r, DIBS_CMD_CLIENT_GET, 0,
				    DIBS_PUT_STR(DIBS_A_CLIENT_NAME, "no_such_client")));
	EXPECT_TRUE(self->r.has_msg) TH_LOG("no extack for an unknown client name");
	EXPECT_EQ(DIBS_A_CLIENT_NAME, self->r.bad_attr);
	dibs_reply_free(&self->r);
	EXPECT_EQ(-ENOENT, DIBS_REQ(&self->g, &self->r, DIBS_CMD_CLIENT_GET, 0,
				    DIBS_PUT_U32(DIBS_A_CLIENT_ID, FREE_CLIENT_ID)));
	EXPECT_TRUE(self->r.has_msg) TH_LOG("no extack for an unused client id");
	EXPECT_EQ(DIBS_A_CLIENT_ID, self->r.bad_attr);
	dibs_reply_free(&self->r);
	EXPECT_EQ(-EINVAL, DIBS_REQ(&self->g, &self->r, DIBS_CMD_CLIENT_GET, 0,
				    DIBS_PUT_U32(DIBS_A_CLIENT_ID,
						 self->user.u[DIBS_A_CLIENT_ID]),
				    DIBS_PUT_STR(DIBS_A_CLIENT_NAME, DIBS_TC_NAME)));
	EXPECT_TRUE(self->r.has_msg) TH_LOG("no extack for id and name that disagree");
	dibs_reply_free(&self->r);
	/* a do without id or name */
	EXPECT_EQ(-EINVAL, DIBS_REQ(&self->g, &self->r, DIBS_CMD_CLIENT_GET, 0));
	EXPECT_TRUE(self->r.has_msg || self->r.has_miss_type)
		TH_LOG("no extack for client-get without a client");
}

/*
 * client-get dump as text, one record a line; a failed dump says why
 * there instead.  Returns the dump's errno.
 */
static int client_dump(struct dibs_genl *g, char *buf, size_t len)
{
	struct dibs_reply r;
	size_t used = 0;
	int i, ret;

	ret = DIBS_REQ(g, &r, DIBS_CMD_CLIENT_GET, NLM_F_DUMP);
	if (ret) {
		snprintf(buf, len, "client-get dump failed: %s%s%s",
			 dibs_errno_name(ret), r.local_error[0] ? ": " : "",
			 r.local_error);
		dibs_reply_free(&r);
		return ret;
	}
	buf[0] = '\0';
	for (i = 0; i < r.nrecs && used + 1 < len; i++) {
		dibs_rec_format(&r.recs[i], buf + used, len - used);
		used += strlen(buf + used);
		if (r.recs[i].malformed[0])
			used += snprintf(buf + used, len - used, " (malformed: %s)",
					 r.recs[i].malformed);
		if (used + 1 < len)
			buf[used++] = '\n';
		buf[used] = '\0';
	}
	dibs_reply_free(&r);
	return 0;
}

/*
 * dibs_register_client() refuses a client without a name, with an empty
 * one or with one longer than DIBS_CLIENT_NAME_MAX_LEN: -EINVAL, and the
 * client dump goes on listing exactly the clients before.  A name of
 * DIBS_CLIENT_NAME_MAX_LEN bytes is fine.
 */
TEST_F(clients, register_refuses_bad_names)
{
	const char *const bad[] = { "64", "128", "0", "null" };
	char before[4096], after[4096], name[DIBS_CLIENT_NAME_MAX_LEN + 1];
	struct dibs_rec rec;
	unsigned int i;
	int ret;

	ASSERT_EQ(0, client_dump(&self->g, before, sizeof(before)))
		TH_LOG("%s", before);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		ret = dibs_tc_ctl("extra-register %s", bad[i]);
		EXPECT_EQ(-EINVAL, ret)
			TH_LOG("client name %s: registration gave %s, not EINVAL",
			       bad[i], dibs_errno_name(ret));
		client_dump(&self->g, after, sizeof(after));
		EXPECT_STREQ(before, after)
			TH_LOG("client dump after the client named %s", bad[i]);
		if (!ret)
			dibs_tc_ctl("extra-unregister");
	}

	/* the longest name is fine, and client-get finds it */
	memset(name, 'x', DIBS_CLIENT_NAME_MAX_LEN);
	name[DIBS_CLIENT_NAME_MAX_LEN] = '\0';
	ASSERT_EQ(0, dibs_tc_ctl("extra-register %d", DIBS_CLIENT_NAME_MAX_LEN));
	ret = dibs_client_get_name(&self->g, name, &rec);
	EXPECT_EQ(0, ret) TH_LOG("client-get of a %d-byte name: %s",
				 DIBS_CLIENT_NAME_MAX_LEN, dibs_errno_name(ret));
	if (!ret) {
		EXPECT_ATTR_S(&rec, DIBS_A_CLIENT_NAME, name);
		EXPECT_STREQ("", rec.malformed);
	}
	client_dump(&self->g, after, sizeof(after));
	EXPECT_NE(NULL, strstr(after, name)) TH_LOG("client dump: %s", after);
	EXPECT_EQ(0, dibs_tc_ctl("extra-unregister"));
	client_dump(&self->g, after, sizeof(after));
	EXPECT_STREQ(before, after) TH_LOG("client dump after extra-unregister");
}

TEST_F(clients, binding_get)
{
	const struct dibs_rec *lo_id, *hi_id;
	struct dibs_reply devs;
	struct dibs_rec rec;
	uint64_t last = 0;
	int i;

	lo_id = self->user.u[DIBS_A_CLIENT_ID] < self->tc.u[DIBS_A_CLIENT_ID] ?
		&self->user : &self->tc;
	hi_id = lo_id == &self->user ? &self->tc : &self->user;

	/* dev-get carries no bindings: a fixed-size object */
	ASSERT_REQ_OK(dibs_dev_get_name(&self->g, DEV_A, &devs), &devs);
	ASSERT_EQ(1, devs.nrecs);
	EXPECT_STREQ("", devs.recs[0].malformed)
		TH_LOG("dev-get of " DEV_A " does not follow the spec");
	EXPECT_STREQ("", devs.devs[0].malformed);
	dibs_reply_free(&devs);

	/* the bindings of DEV_A: both clients, in id order */
	ASSERT_REQ_OK(DIBS_REQ(&self->g, &self->r, DIBS_CMD_BINDING_GET,
			       NLM_F_DUMP,
			       DIBS_PUT_STR(DIBS_A_BINDING_DEV_NAME, DEV_A)),
		      &self->r);
	ASSERT_EQ(2, self->r.nrecs) TH_LOG("bindings of " DEV_A);
	for (i = 0; i < 2; i++) {
		const struct dibs_rec *b = &self->r.recs[i];
		const struct dibs_rec *c = i ? hi_id : lo_id;

		ASSERT_REC(b, DIBS_CMD_BINDING_GET);
		EXPECT_ATTR_U(b, DIBS_A_BINDING_DEV_INDEX, self->a_index);
		EXPECT_ATTR_S(b, DIBS_A_BINDING_DEV_NAME, DEV_A);
		EXPECT_ATTR_U(b, DIBS_A_BINDING_CLIENT_ID, c->u[DIBS_A_CLIENT_ID]);
		EXPECT_ATTR_S(b, DIBS_A_BINDING_CLIENT_NAME,
			      c->s[DIBS_A_CLIENT_NAME]);
		EXPECT_ATTR_U(b, DIBS_A_BINDING_DMBS, 0);
		/* the do of the pair says the same */
		ASSERT_EQ(0, binding_get(&self->g, c->u[DIBS_A_CLIENT_ID],
					 self->a_index, &rec));
		EXPECT_EQ(0, memcmp(b, &rec, sizeof(rec)))
			TH_LOG("binding-get do differs from the dump entry");
	}
	dibs_reply_free(&self->r);

	/* one client's: every device once, in index order */
	ASSERT_REQ_OK(dibs_dev_dump(&self->g, &devs), &devs);
	ASSERT_REQ_OK(DIBS_REQ(&self->g, &self->r, DIBS_CMD_BINDING_GET,
			       NLM_F_DUMP,
			       DIBS_PUT_STR(DIBS_A_BINDING_CLIENT_NAME,
					    DIBS_TC_NAME)), &self->r);
	EXPECT_EQ(devs.ndevs, self->r.nrecs) TH_LOG("bindings of " DIBS_TC_NAME);
	for (i = 0; i < self->r.nrecs && i < devs.ndevs; i++) {
		EXPECT_ATTR_U(&self->r.recs[i], DIBS_A_BINDING_DEV_INDEX,
			      devs.devs[i].index);
		EXPECT_ATTR_U(&self->r.recs[i], DIBS_A_BINDING_CLIENT_ID,
			      self->tc.u[DIBS_A_CLIENT_ID]);
	}
	dibs_reply_free(&self->r);

	/* all: every device with both clients, ordered by (index, id) */
	ASSERT_REQ_OK(DIBS_REQ(&self->g, &self->r, DIBS_CMD_BINDING_GET,
			       NLM_F_DUMP), &self->r);
	EXPECT_EQ(2 * devs.ndevs, self->r.nrecs) TH_LOG("bindings in the dump");
	for (i = 0; i < self->r.nrecs; i++) {
		const struct dibs_rec *b = &self->r.recs[i];
		uint64_t key = b->u[DIBS_A_BINDING_DEV_INDEX] << 8 |
			       b->u[DIBS_A_BINDING_CLIENT_ID];

		ASSERT_REC(b, DIBS_CMD_BINDING_GET);
		if (i)
			EXPECT_LT(last, key) TH_LOG("dump not in (index, id) order");
		last = key;
	}
	dibs_reply_free(&self->r);
	dibs_reply_free(&devs);

	/* both filters: the one pair */
	ASSERT_REQ_OK(DIBS_REQ(&self->g, &self->r, DIBS_CMD_BINDING_GET,
			       NLM_F_DUMP,
			       DIBS_PUT_U32(DIBS_A_BINDING_DEV_INDEX, self->b_index),
			       DIBS_PUT_STR(DIBS_A_BINDING_CLIENT_NAME,
					    DIBS_USER_CLIENT_NAME)), &self->r);
	ASSERT_EQ(1, self->r.nrecs);
	EXPECT_ATTR_S(&self->r.recs[0], DIBS_A_BINDING_DEV_NAME, DEV_B);
	EXPECT_ATTR_S(&self->r.recs[0], DIBS_A_BINDING_CLIENT_NAME,
		      DIBS_USER_CLIENT_NAME);
}

TEST_F(clients, binding_get_refused)
{
	/* unknown device or client, in a do and as a dump filter */
	EXPECT_EQ(-ENODEV, DIBS_REQ(&self->g, &self->r, DIBS_CMD_BINDING_GET, 0,
				    DIBS_PUT_STR(DIBS_A_BINDING_DEV_NAME, "ktc.none"),
				    DIBS_PUT_STR(DIBS_A_BINDING_CLIENT_NAME,
						 DIBS_TC_NAME)));
	EXPECT_TRUE(self->r.has_msg);
	EXPECT_EQ(DIBS_A_BINDING_DEV_NAME, self->r.bad_attr);
	dibs_reply_free(&self->r);
	EXPECT_EQ(-ENOENT, DIBS_REQ(&self->g, &self->r, DIBS_CMD_BINDING_GET,
				    NLM_F_DUMP,
				    DIBS_PUT_U32(DIBS_A_BINDING_CLIENT_ID,
						 FREE_CLIENT_ID)));
	dibs_reply_free(&self->r);
	EXPECT_EQ(-ENODEV, DIBS_REQ(&self->g, &self->r, DIBS_CMD_BINDING_GET,
				    NLM_F_DUMP,
				    DIBS_PUT_U32(DIBS_A_BINDING_DEV_INDEX,
						 0x7fffff00)));
	dibs_reply_free(&self->r);
	/* a do needs both */
	EXPECT_EQ(-EINVAL, DIBS_REQ(&self->g, &self->r, DIBS_CMD_BINDING_GET, 0,
				    DIBS_PUT_STR(DIBS_A_BINDING_DEV_NAME, DEV_A)));
	EXPECT_TRUE(self->r.has_msg || self->r.has_miss_type)
		TH_LOG("no extack for binding-get without a client");
	dibs_reply_free(&self->r);
	EXPECT_EQ(-EINVAL, DIBS_REQ(&self->g, &self->r, DIBS_CMD_BINDING_GET, 0,
				    DIBS_PUT_STR(DIBS_A_BINDING_CLIENT_NAME,
						 DIBS_TC_NAME)));
	EXPECT_TRUE(self->r.has_msg || self->r.has_miss_type)
		TH_LOG("no extack for binding-get without a device");
}

TEST_F(clients, client_dmb_counts)
{
	struct dibs_rec rec;

	ASSERT_EQ(0, dibs_tc_ctl("register %s 3 4096", DEV_A));
	self->fd = dibs_user_open(DEV_B);
	ASSERT_LE(0, self->fd) TH_LOG("/dev/dibs on " DEV_B ": %s",
				      dibs_errno_name(self->fd));
	ASSERT_EQ(0, dibs_user_reg(self->fd, 4096, self->b_gid, NULL, NULL));

	ASSERT_EQ(0, dibs_client_get_name(&self->g, DIBS_TC_NAME, &rec));
	EXPECT_ATTR_U(&rec, DIBS_A_CLIENT_DMBS, 3);
	EXPECT_EQ(3, binding_dmbs(&self->g, &rec, self->a_index));
	EXPECT_EQ(0, binding_dmbs(&self->g, &rec, self->b_index));
	ASSERT_EQ(0, dibs_client_get_name(&self->g, DIBS_USER_CLIENT_NAME, &rec));
	EXPECT_ATTR_U(&rec, DIBS_A_CLIENT_DMBS, 1);
	EXPECT_EQ(1, binding_dmbs(&self->g, &rec, self->b_index));
	EXPECT_EQ(0, binding_dmbs(&self->g, &rec, self->a_index));
}

TEST_F(clients, unbind_and_bind)
{
	uint32_t tc_id = self->tc.u[DIBS_A_CLIENT_ID];
	struct dibs_rec rec;

	EXPECT_TC(DEV_A, "add_dev", 1);
	EXPECT_TC(DEV_A, "del_dev", 0);
	EXPECT_TC(DEV_A, "bound", 1);

	/* unbind by client id and device index */
	ASSERT_REQ_OK(DIBS_REQ(&self->g, &self->r, DIBS_CMD_CLIENT_UNBIND, 0,
			       DIBS_PUT_U32(DIBS_A_CLIENT_ID, tc_id),
			       DIBS_PUT_U32(DIBS_A_CLIENT_DEV_INDEX, self->a_index)),
		      &self->r);
	EXPECT_EQ(0, self->r.nrecs) TH_LOG("client-unbind replies nothing");
	dibs_reply_free(&self->r);
	EXPECT_TC(DEV_A, "del_dev", 1);
	EXPECT_TC(DEV_A, "bound", 0);
	EXPECT_EQ(0, dev_has_client(&self->g, DEV_A, tc_id))
		TH_LOG("dev-get of " DEV_A " still lists the unbound client");
	EXPECT_EQ(1, dev_has_client(&self->g, DEV_A, self->user.u[DIBS_A_CLIENT_ID]))
		TH_LOG("dibs_user must stay bound to " DEV_A);
	EXPECT_EQ(1, dev_has_client(&self->g, DEV_B, tc_id))
		TH_LOG("the client must stay bound to " DEV_B);
	EXPECT_EQ(-ENOENT, binding_get(&self->g, tc_id, self->a_index, &rec))
		TH_LOG("binding-get still finds the unbound pair");
	EXPECT_EQ(0, binding_get(&self->g, tc_id, self->b_index, &rec));

	/* a second unbind: ENOENT, nothing called */
	EXPECT_EQ(-ENOENT, bind_op(&self->g, &self->r, DIBS_CMD_CLIENT_UNBIND,
				   DIBS_TC_NAME, DEV_A, false));
	EXPECT_TRUE(self->r.has_msg) TH_LOG("no extack for unbinding an unbound client");
	dibs_reply_free(&self->r);
	EXPECT_TC(DEV_A, "del_dev", 1);

	/* no DMB on a device the client is not bound to */
	EXPECT_NE(0, dibs_tc_ctl("register %s 1 4096", DEV_A))
		TH_LOG("an unbound client registered a DMB");
	ASSERT_REQ_OK(dibs_dev_get_name(&self->g, DEV_A, &self->r), &self->r);
	EXPECT_EQ(0, self->r.devs[0].dmbs_in_use);
	dibs_reply_free(&self->r);

	/* bind by names: add_dev() again */
	ASSERT_REQ_OK(bind_op(&self->g, &self->r, DIBS_CMD_CLIENT_BIND,
			      DIBS_TC_NAME, DEV_A, false), &self->r);
	EXPECT_EQ(0, self->r.nrecs) TH_LOG("client-bind replies nothing");
	dibs_reply_free(&self->r);
	EXPECT_TC(DEV_A, "add_dev", 2);
	EXPECT_TC(DEV_A, "bound", 1);
	EXPECT_EQ(1, dev_has_client(&self->g, DEV_A, tc_id));
	EXPECT_EQ(0, binding_get(&self->g, tc_id, self->a_index, &rec));

	/* bound again: EEXIST, add_dev not called */
	EXPECT_EQ(-EEXIST, bind_op(&self->g, &self->r, DIBS_CMD_CLIENT_BIND,
				   DIBS_TC_NAME, DEV_A, false));
	EXPECT_TRUE(self->r.has_msg) TH_LOG("no extack for binding a bound client");
	dibs_reply_free(&self->r);
	EXPECT_TC(DEV_A, "add_dev", 2);

	/* and it can register again */
	EXPECT_EQ(0, dibs_tc_ctl("register %s 1 4096", DEV_A));
	EXPECT_EQ(0, dibs_tc_ctl("unregister %s", DEV_A));
}

TEST_F(clients, bind_refused)
{
	/* unknown device by name and index, unknown client, nothing given */
	EXPECT_EQ(-ENODEV, bind_op(&self->g, &self->r, DIBS_CMD_CLIENT_BIND,
				   DIBS_TC_NAME, "ktc.none", false));
	EXPECT_TRUE(self->r.has_msg);
	EXPECT_EQ(DIBS_A_CLIENT_DEV_NAME, self->r.bad_attr);
	dibs_reply_free(&self->r);
	EXPECT_EQ(-ENODEV, DIBS_REQ(&self->g, &self->r, DIBS_CMD_CLIENT_UNBIND, 0,
				    DIBS_PUT_STR(DIBS_A_CLIENT_NAME, DIBS_TC_NAME),
				    DIBS_PUT_U32(DIBS_A_CLIENT_DEV_INDEX, 0x7fffff00)));
	EXPECT_TRUE(self->r.has_msg);
	EXPECT_EQ(DIBS_A_CLIENT_DEV_INDEX, self->r.bad_attr);
	dibs_reply_free(&self->r);
	EXPECT_EQ(-ENOENT, bind_op(&self->g, &self->r, DIBS_CMD_CLIENT_BIND,
				   "no_such_client", DEV_A, false));
	EXPECT_TRUE(self->r.has_msg);
	EXPECT_EQ(DIBS_A_CLIENT_NAME, self->r.bad_attr);
	dibs_reply_free(&self->r);
	EXPECT_EQ(-ENOENT, DIBS_REQ(&self->g, &self->r, DIBS_CMD_CLIENT_UNBIND, 0,
				    DIBS_PUT_U32(DIBS_A_CLIENT_ID, FREE_CLIENT_ID),
				    DIBS_PUT_STR(DIBS_A_CLIENT_DEV_NAME, DEV_A)));
	EXPECT_TRUE(self->r.has_msg);
	dibs_reply_free(&self->r);
	EXPECT_EQ(-EINVAL, DIBS_REQ(&self->g, &self->r, DIBS_CMD_CLIENT_BIND, 0,
				    DIBS_PUT_STR(DIBS_A_CLIENT_NAME, DIBS_TC_NAME)));
	EXPECT_TRUE(self->r.has_msg || self->r.has_miss_type)
		TH_LOG("no extack for client-bind without a device");
	dibs_reply_free(&self->r);
	EXPECT_EQ(-EINVAL, DIBS_REQ(&self->g, &self->r, DIBS_CMD_CLIENT_BIND, 0,
				    DIBS_PUT_STR(DIBS_A_CLIENT_DEV_NAME, DEV_A)));
	EXPECT_TRUE(self->r.has_msg || self->r.has_miss_type)
		TH_LOG("no extack for client-bind without a client");
	dibs_reply_free(&self->r);
	/* nothing changed */
	EXPECT_TC(DEV_A, "add_dev", 1);
	EXPECT_TC(DEV_A, "del_dev", 0);
}

/* handle_event() and handle_irq() reach only bound clients */
TEST_F(clients, handlers_stop_after_unbind)
{
	uint64_t token = 0;
	long irq0, ev0;
	int i;

	self->fd = dibs_user_open(DEV_A);
	ASSERT_LE(0, self->fd) TH_LOG("/dev/dibs on " DEV_A ": %s",
				      dibs_errno_name(self->fd));
	ev0 = tc_value(DEV_A, "handle_event");
	irq0 = tc_value(DEV_A, "handle_irq");
	ASSERT_LE(0, ev0) TH_LOG("no handle_event count in the test client's status");
	ASSERT_LE(0, irq0) TH_LOG("no handle_irq count in the test client's status");

	/* bound: an event and a signalled move into its DMB reach it */
	ASSERT_EQ(0, dibs_user_event(self->fd, self->a_gid, 7));
	EXPECT_TC(DEV_A, "handle_event", ev0 + 1);
	ASSERT_EQ(0, dibs_tc_ctl("register %s 1 4096", DEV_A));
	ASSERT_REQ_OK(DIBS_REQ(&self->g, &self->r, DIBS_CMD_DMB_GET, NLM_F_DUMP,
			       DIBS_PUT_STR(DIBS_A_DMB_CLIENT_NAME, DIBS_TC_NAME)),
		      &self->r);
	ASSERT_EQ(1, self->r.nrecs);
	token = self->r.recs[0].u[DIBS_A_DMB_TOKEN];
	dibs_reply_free(&self->r);
	ASSERT_EQ(0, dibs_user_move(self->fd, token, 0, 16, 3));
	EXPECT_TC(DEV_A, "handle_irq", irq0 + 1);

	/* force-unbound, with the DMB left behind by its del_dev() */
	{
		int fd = open("/sys/module/" DIBS_TC_NAME
			      "/parameters/unregister_on_del", O_WRONLY);

		ASSERT_LE(0, fd);
		ASSERT_EQ(1, write(fd, "N", 1));
		close(fd);
	}
	ASSERT_REQ_OK(bind_op(&self->g, &self->r, DIBS_CMD_CLIENT_UNBIND,
			      DIBS_TC_NAME, DEV_A, true), &self->r);
	dibs_reply_free(&self->r);
	EXPECT_TC(DEV_A, "del_dev", 1);
	for (i = 0; i < 3; i++) {
		ASSERT_EQ(0, dibs_user_event(self->fd, self->a_gid, 8));
		EXPECT_EQ(0, dibs_user_move(self->fd, token, 0, 16, 4));
	}
	EXPECT_TC(DEV_A, "handle_event", ev0 + 1);
	EXPECT_TC(DEV_A, "handle_irq", irq0 + 1);
	/* dibs_user is still bound and sees the events */
	EXPECT_EQ(1, dev_has_client(&self->g, DEV_A, self->user.u[DIBS_A_CLIENT_ID]));
	/* the teardown deletes DEV_A with force, freeing the left DMB */
}

TEST_F(clients, unbind_busy_and_force)
{
	struct dibs_state before, after;
	struct dibs_rec rec;
	char why[1024];

	ASSERT_EQ(0, dibs_tc_ctl("register %s 2 8192", DEV_A));
	ASSERT_EQ(0, dibs_state_read(&self->g, &before, why, sizeof(why)));

	EXPECT_EQ(-EBUSY, bind_op(&self->g, &self->r, DIBS_CMD_CLIENT_UNBIND,
				  DIBS_TC_NAME, DEV_A, false));
	EXPECT_TRUE(self->r.has_msg) TH_LOG("no extack with EBUSY");
	if (self->r.has_msg)
		TH_LOG("extack: %s", self->r.msg);
	dibs_reply_free(&self->r);
	EXPECT_TC(DEV_A, "del_dev", 0);
	EXPECT_TC(DEV_A, "bound", 1);
	EXPECT_TC(DEV_A, "dmbs", 2);
	ASSERT_EQ(0, dibs_state_read(&self->g, &after, why, sizeof(why)));
	EXPECT_TRUE(dibs_state_equal(&before, &after, why, sizeof(why)))
		TH_LOG("a refused unbind changed the devices: %s", why);
	ASSERT_REQ_OK(DIBS_REQ(&self->g, &self->r, DIBS_CMD_DMB_GET, NLM_F_DUMP,
			       DIBS_PUT_STR(DIBS_A_DMB_DEV_NAME, DEV_A)), &self->r);
	EXPECT_EQ(2, self->r.nrecs);
	dibs_reply_free(&self->r);

	/* force: del_dev() releases them, the client is unbound */
	ASSERT_REQ_OK(bind_op(&self->g, &self->r, DIBS_CMD_CLIENT_UNBIND,
			      DIBS_TC_NAME, DEV_A, true), &self->r);
	dibs_reply_free(&self->r);
	EXPECT_TC(DEV_A, "del_dev", 1);
	EXPECT_TC(DEV_A, "bound", 0);
	ASSERT_REQ_OK(DIBS_REQ(&self->g, &self->r, DIBS_CMD_DMB_GET, NLM_F_DUMP,
			       DIBS_PUT_STR(DIBS_A_DMB_DEV_NAME, DEV_A)), &self->r);
	EXPECT_EQ(0, self->r.nrecs) TH_LOG("DMBs left on " DEV_A " after the forced unbind");
	dibs_reply_free(&self->r);
	ASSERT_REQ_OK(dibs_dev_get_name(&self->g, DEV_A, &self->r), &self->r);
	EXPECT_EQ(0, self->r.devs[0].dmbs_in_use);
	dibs_reply_free(&self->r);
	ASSERT_EQ(0, dibs_client_get_name(&self->g, DIBS_TC_NAME, &rec));
	EXPECT_ATTR_U(&rec, DIBS_A_CLIENT_DMBS, 0);
	EXPECT_EQ(-ENOENT, binding_get(&self->g, rec.u[DIBS_A_CLIENT_ID],
				       self->a_index, &rec));
	/* force on an idle bound client is a plain unbind */
	ASSERT_REQ_OK(bind_op(&self->g, &self->r, DIBS_CMD_CLIENT_UNBIND,
			      DIBS_TC_NAME, DEV_B, true), &self->r);
	dibs_reply_free(&self->r);
	EXPECT_TC(DEV_B, "del_dev", 1);
}

/* Unbinding drops the client's VLAN references on the device. */
TEST_F(clients, unbind_drops_vlans)
{
	ASSERT_EQ(0, dibs_tc_ctl("vlan-add %s 100", DEV_A));
	ASSERT_EQ(0, dibs_tc_ctl("vlan-add %s 100", DEV_A));
	ASSERT_EQ(0, dibs_tc_ctl("vlan-add %s 200", DEV_A));
	ASSERT_REQ_OK(bind_op(&self->g, &self->r, DIBS_CMD_CLIENT_UNBIND,
			      DIBS_TC_NAME, DEV_A, false), &self->r);
	dibs_reply_free(&self->r);
	ASSERT_REQ_OK(DIBS_REQ(&self->g, &self->r, DIBS_CMD_VLAN_GET, NLM_F_DUMP,
			       DIBS_PUT_STR(DIBS_A_VLAN_DEV_NAME, DEV_A)), &self->r);
	EXPECT_EQ(0, self->r.nrecs) TH_LOG("VLAN rows left on " DEV_A " after the unbind");
	dibs_reply_free(&self->r);
	/* bound again (the ctl needs a bound device) */
	ASSERT_REQ_OK(bind_op(&self->g, &self->r, DIBS_CMD_CLIENT_BIND,
			      DIBS_TC_NAME, DEV_A, false), &self->r);
	dibs_reply_free(&self->r);
	EXPECT_EQ(-ENOENT, dibs_tc_ctl("vlan-del %s 100", DEV_A))
		TH_LOG("the client's references must not come back with the bind");
}

/* what the binding process of bind_race_with_registration did */
struct race_shared {
	volatile int stop;
	unsigned int unbinds, busy, binds, errors;
};

static void race_binder(struct race_shared *sh)
{
	struct dibs_genl g;
	struct dibs_reply r;
	int ret;

	if (dibs_genl_open(&g))
		_exit(1);
	while (!sh->stop) {
		ret = bind_op(&g, &r, DIBS_CMD_CLIENT_UNBIND, DIBS_TC_NAME,
			      DEV_A, false);
		dibs_reply_free(&r);
		if (ret == -EBUSY) {
			sh->busy++;
			continue;
		} else if (ret) {
			sh->errors++;
			continue;
		}
		sh->unbinds++;
		ret = bind_op(&g, &r, DIBS_CMD_CLIENT_BIND, DIBS_TC_NAME, DEV_A,
			      false);
		dibs_reply_free(&r);
		if (ret)
			sh->errors++;
		else
			sh->binds++;
	}
	dibs_genl_close(&g);
	_exit(0);
}

/*
 * A plain unbind and a DMB registration racing: whether the client is
 * bound is checked in one step with recording the DMB, so either the
 * registration fails with ENODEV or the unbind with EBUSY, and a client
 * never holds a DMB on a device it was unbound from ("late").
 */
TEST_F_TIMEOUT(clients, bind_race_with_registration, 300)
{
	unsigned int tries, ok, enodev, other, late;
	char status[16384], *line;
	struct race_shared *sh;
	int wstatus;
	pid_t pid;

	sh = mmap(NULL, sizeof(*sh), PROT_READ | PROT_WRITE,
		  MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, sh);
	memset(sh, 0, sizeof(*sh));
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0)
		race_binder(sh);
	/* the test client's "race" runs while the other process binds */
	EXPECT_EQ(0, dibs_tc_ctl("race %s 3000", DEV_A));
	sh->stop = 1;
	ASSERT_EQ(pid, waitpid(pid, &wstatus, 0));
	EXPECT_TRUE(WIFEXITED(wstatus) && WEXITSTATUS(wstatus) == 0);
	TH_LOG("binder: %u unbinds, %u refused busy, %u binds, %u errors",
	       sh->unbinds, sh->busy, sh->binds, sh->errors);
	EXPECT_EQ(0, sh->errors) TH_LOG("bind or unbind failed otherwise than EBUSY");
	EXPECT_LT(0, sh->unbinds) TH_LOG("no unbind got through: the race was not run");
	if (sh->unbinds != sh->binds) {
		/* stopped between unbind and bind: bind again for the checks */
		EXPECT_EQ(0, bind_op(&self->g, &self->r, DIBS_CMD_CLIENT_BIND,
				     DIBS_TC_NAME, DEV_A, false));
		dibs_reply_free(&self->r);
	}
	munmap(sh, sizeof(*sh));

	dibs_tc_status(status, sizeof(status));
	line = strstr(status, "race " DEV_A " ");
	ASSERT_NE(NULL, line) TH_LOG("no race line in:\n%s", status);
	ASSERT_EQ(5, sscanf(line, "race " DEV_A " tries %u ok %u enodev %u other %u late %u",
			    &tries, &ok, &enodev, &other, &late));
	TH_LOG("registrations: %u tries, %u ok, %u ENODEV, %u other, %u late",
	       tries, ok, enodev, other, late);
	EXPECT_EQ(3000, tries);
	EXPECT_EQ(0, late) TH_LOG("a DMB was registered for an unbound client, or the client unbound while holding one");
	EXPECT_EQ(0, other);
	EXPECT_LT(0, ok) TH_LOG("no registration succeeded: the race was not run");
	/* nothing left behind on either side */
	ASSERT_REQ_OK(DIBS_REQ(&self->g, &self->r, DIBS_CMD_DMB_GET, NLM_F_DUMP,
			       DIBS_PUT_STR(DIBS_A_DMB_DEV_NAME, DEV_A)), &self->r);
	EXPECT_EQ(0, self->r.nrecs) TH_LOG("DMBs left on " DEV_A);
	dibs_reply_free(&self->r);
	EXPECT_EQ(1, dev_has_client(&self->g, DEV_A, self->tc.u[DIBS_A_CLIENT_ID]));
}

TEST_HARNESS_MAIN
