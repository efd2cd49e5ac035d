// SPDX-License-Identifier: GPL-2.0-only
/*
 * Statistics, exactly: a scripted run of DMB registrations and
 * unregistrations, moves of known sizes (with and without signal, and a
 * failing one) through the test client's move_data() and signalling moves
 * through /dev/dibs, software events, and refused registrations (EINVAL as
 * "other", ENOSPC on a full device) must leave every counter of the
 * device, of both clients and of each DMB at the value computed here.
 * stats-reset of one device zeroes only that device (dmbs-max-in-use
 * restarts at dmbs-in-use); without a device it zeroes all devices and
 * clients. The dump lists devices in index order, then clients in id
 * order. stats-get refuses both or neither of device and client.
 *
 * Not covered: dmb-fail-nomem. Making the loopback's allocation fail on
 * purpose would need fault injection (failslab), which Debian's kernel
 * does not enable; a DMB beyond what the device can allocate in one piece
 * is refused by the loopback with ENOMEM only after dibs_user's own
 * checks, so it is tried, and counted as nomem if the kernel gets there.
 *
 * On a loopback device /dev/dibs moves data by storing into the attached
 * DMB, not through move_data(): dibs_user reports each such write as a
 * move of its bytes, and a signal as the loopback's move_data() of 0
 * bytes, so every byte counts, on the device, the owner and the DMB.
 */
#include <errno.h>
#include <string.h>
#include <unistd.h>

#include <netlink/attr.h>

#include "kselftest_harness.h"
#include "dibs_ktest.h"

#define DEV_S "kts.s"
#define DEV_T "kts.t"
#define LO_MAX_DMBS 5000	/* DIBS_LO_MAX_DMBS */

/* The counters of a stats record, in spec order from dmbs-in-use. */
struct counters {
	uint64_t v[DIBS_A_STATS_EVENTS + 1];
};

static void want(struct counters *c, uint32_t in_use, uint32_t max,
		 uint64_t regs, uint64_t unregs, uint64_t nospc, uint64_t nomem,
		 uint64_t other, uint64_t moves, uint64_t bytes, uint64_t errors,
		 uint64_t signals, uint64_t events)
{
	memset(c, 0, sizeof(*c));
	c->v[DIBS_A_STATS_DMBS_IN_USE] = in_use;
	c->v[DIBS_A_STATS_DMBS_MAX_IN_USE] = max;
	c->v[DIBS_A_STATS_DMB_REGISTRATIONS] = regs;
	c->v[DIBS_A_STATS_DMB_UNREGISTRATIONS] = unregs;
	c->v[DIBS_A_STATS_DMB_FAIL_NOSPC] = nospc;
	c->v[DIBS_A_STATS_DMB_FAIL_NOMEM] = nomem;
	c->v[DIBS_A_STATS_DMB_FAIL_OTHER] = other;
	c->v[DIBS_A_STATS_MOVES] = moves;
	c->v[DIBS_A_STATS_MOVE_BYTES] = bytes;
	c->v[DIBS_A_STATS_MOVE_ERRORS] = errors;
	c->v[DIBS_A_STATS_SIGNALS] = signals;
	c->v[DIBS_A_STATS_EVENTS] = events;
}

/* Every counter of rec equals c; each difference is logged. */
static void check_counters(struct __test_metadata *_metadata,
			   const struct dibs_rec *rec, const struct counters *c,
			   const char *what)
{
	char buf[1024];
	int attr;

	dibs_rec_format(rec, buf, sizeof(buf));
	ASSERT_STREQ("", rec->malformed) TH_LOG("%s: %s", what, buf);
	for (attr = DIBS_A_STATS_DMBS_IN_USE; attr <= DIBS_A_STATS_EVENTS; attr++) {
		EXPECT_TRUE(DIBS_REC_HAS(rec, attr))
			TH_LOG("%s: %s missing in %s", what,
			       dibs_set_attr_name(DIBS_SET_STATS, attr), buf);
		EXPECT_EQ(c->v[attr], rec->u[attr])
			TH_LOG("%s: %s expected %llu, got %llu", what,
			       dibs_set_attr_name(DIBS_SET_STATS, attr),
			       (unsigned long long)c->v[attr],
			       (unsigned long long)rec->u[attr]);
	}
}

FIXTURE(stats) {
	struct dibs_genl g;
	struct dibs_state initial;
	struct dibs_reply r;
	uint32_t s_index;
	uint8_t s_gid[DIBS_GID_LEN];
	struct dibs_rec user, tc;
	int fd;				/* /dev/dibs on DEV_S */
};

FIXTURE_SETUP(stats)
{
	char why[1024];
	int ret;

	self->fd = -1;
	ret = dibs_genl_open(&self->g);
	ASSERT_EQ(0, ret) TH_LOG("no dibs family: %s", dibs_errno_name(ret));
	ASSERT_EQ(0, dibs_state_read(&self->g, &self->initial, why, sizeof(why)))
		TH_LOG("%s", why);
	ASSERT_EQ(0, dibs_clients_load(why, sizeof(why))) TH_LOG("%s", why);
	ASSERT_REQ_OK(dibs_dev_new(&self->g, DEV_S, NULL, &self->r), &self->r);
	self->s_index = self->r.devs[0].index;
	memcpy(self->s_gid, self->r.devs[0].gid, DIBS_GID_LEN);
	dibs_reply_free(&self->r);
	ASSERT_EQ(0, dibs_client_get_name(&self->g, DIBS_USER_CLIENT_NAME,
					  &self->user));
	ASSERT_EQ(0, dibs_client_get_name(&self->g, DIBS_TC_NAME, &self->tc));
	self->fd = dibs_user_open(DEV_S);
	ASSERT_LE(0, self->fd) TH_LOG("/dev/dibs on " DEV_S ": %s",
				      dibs_errno_name(self->fd));
}

FIXTURE_TEARDOWN(stats)
{
	dibs_reply_free(&self->r);
	if (self->fd >= 0)
		close(self->fd);
	dibs_tc_ctl("unregister %s", DEV_S);
	dibs_tc_ctl("unregister %s", DEV_T);
	if (self->g.sk)
		EXPECT_EQ(0, dibs_remove_devices_except(&self->g, &self->initial))
			TH_LOG("could not delete the devices this test created");
	dibs_clients_unload();
	dibs_genl_close(&self->g);
}

/* The index of the test client's DMB on dev (it must hold exactly one). */
static int tc_dmb(struct dibs_genl *g, const char *dev, uint32_t *idx,
		  uint64_t *token)
{
	struct dibs_reply r;
	int ret;

	ret = DIBS_REQ(g, &r, DIBS_CMD_DMB_GET, NLM_F_DUMP,
		       DIBS_PUT_STR(DIBS_A_DMB_DEV_NAME, dev),
		       DIBS_PUT_STR(DIBS_A_DMB_CLIENT_NAME, DIBS_TC_NAME));
	if (!ret && r.nrecs != 1)
		ret = -EPROTO;
	if (!ret) {
		*idx = r.recs[0].u[DIBS_A_DMB_IDX];
		*token = r.recs[0].u[DIBS_A_DMB_TOKEN];
	}
	dibs_reply_free(&r);
	return ret;
}

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
 * The scripted run; the expected counters are in the comments and in
 * check_after_script().
 */
static void run_script(struct __test_metadata *_metadata,
		       FIXTURE_DATA(stats) *self, uint64_t *u1, uint64_t *u2,
		       uint64_t *t1)
{
	uint32_t idx;
	int i;

	/* tc: 3 registrations (in use 3), dibs_user: 2 (in use 5, max 5) */
	ASSERT_EQ(0, dibs_tc_ctl("register %s 3 4096", DEV_S));
	ASSERT_EQ(0, dibs_user_reg(self->fd, 8192, self->s_gid, u1, NULL));
	ASSERT_EQ(0, dibs_user_reg(self->fd, 8192, self->s_gid, u2, NULL));
	/* tc: 3 unregistrations (in use 2) */
	ASSERT_EQ(0, dibs_tc_ctl("unregister %s", DEV_S));
	/* tc: one registration of 64 KiB (in use 3, tc max stays 3) */
	ASSERT_EQ(0, dibs_tc_ctl("register %s 1 65536", DEV_S));
	/* tc: a refused registration (length 0: EINVAL, "other") */
	EXPECT_NE(0, dibs_tc_ctl("register %s 1 0", DEV_S));
	ASSERT_EQ(0, tc_dmb(&self->g, DEV_S, &idx, t1));
	/* tc moves: 1000 bytes, 2000 bytes signalled, one beyond the DMB */
	ASSERT_EQ(0, dibs_tc_ctl("move %s %u 0 1000", DEV_S, idx));
	ASSERT_EQ(0, dibs_tc_ctl("move %s %u 1000 2000 signal", DEV_S, idx));
	EXPECT_NE(0, dibs_tc_ctl("move %s %u 65000 1000", DEV_S, idx))
		TH_LOG("a move beyond the DMB's end succeeded");
	/* /dev/dibs: two signalling moves of 512 bytes into u1 (a write
	 * and a signalling move_data() of 0 bytes each), a plain one of 512
	 * bytes into u2 (a write only)
	 */
	for (i = 0; i < 2; i++)
		ASSERT_EQ(0, dibs_user_move(self->fd, *u1, 0, 512, i));
	ASSERT_EQ(0, dibs_user_move(self->fd, *u2, 0, 512, -1));
	/* one event, delivered to both clients bound to DEV_S */
	ASSERT_EQ(0, dibs_user_event(self->fd, self->s_gid, 1));
}

static void check_after_script(struct __test_metadata *_metadata,
			       FIXTURE_DATA(stats) *self, uint64_t u1,
			       uint64_t u2, uint64_t t1)
{
	struct counters c;
	struct dibs_rec rec;
	const struct dibs_rec *d;

	ASSERT_EQ(0, dibs_stats_get_dev(&self->g, DEV_S, &rec));
	EXPECT_ATTR_U(&rec, DIBS_A_STATS_DEV_INDEX, self->s_index);
	EXPECT_ATTR_S(&rec, DIBS_A_STATS_DEV_NAME, DEV_S);
	EXPECT_NO_ATTR(&rec, DIBS_A_STATS_CLIENT_ID);
	/* in use 3, max 5, 6 regs, 3 unregs, 0 nospc, 0 nomem, 1 other,
	 * moves 3 + 2 * 2 + 1, bytes 3000 + 3 * 512, 1 error,
	 * signals 1 + 2, events 2
	 */
	want(&c, 3, 5, 6, 3, 0, 0, 1, 8, 4536, 1, 3, 2);
	check_counters(_metadata, &rec, &c, "device " DEV_S);

	ASSERT_EQ(0, dibs_stats_get_client(&self->g, DIBS_TC_NAME, &rec));
	EXPECT_ATTR_U(&rec, DIBS_A_STATS_CLIENT_ID, self->tc.u[DIBS_A_CLIENT_ID]);
	EXPECT_ATTR_S(&rec, DIBS_A_STATS_CLIENT_NAME, DIBS_TC_NAME);
	EXPECT_NO_ATTR(&rec, DIBS_A_STATS_DEV_INDEX);
	want(&c, 1, 3, 4, 3, 0, 0, 1, 3, 3000, 1, 1, 1);
	check_counters(_metadata, &rec, &c, "client " DIBS_TC_NAME);

	ASSERT_EQ(0, dibs_stats_get_client(&self->g, DIBS_USER_CLIENT_NAME, &rec));
	want(&c, 2, 2, 2, 0, 0, 0, 0, 5, 1536, 0, 2, 1);
	check_counters(_metadata, &rec, &c, "client " DIBS_USER_CLIENT_NAME);

	/* per DMB */
	ASSERT_REQ_OK(DIBS_REQ(&self->g, &self->r, DIBS_CMD_DMB_GET, NLM_F_DUMP,
			       DIBS_PUT_STR(DIBS_A_DMB_DEV_NAME, DEV_S)), &self->r);
	EXPECT_EQ(3, self->r.nrecs);
	d = find_token(&self->r, t1);
	ASSERT_NE(NULL, d);
	EXPECT_ATTR_U(d, DIBS_A_DMB_BYTES, 3000);
	EXPECT_ATTR_U(d, DIBS_A_DMB_MOVES, 2);
	EXPECT_ATTR_U(d, DIBS_A_DMB_SIGNALS, 1);
	d = find_token(&self->r, u1);
	ASSERT_NE(NULL, d);
	EXPECT_ATTR_U(d, DIBS_A_DMB_BYTES, 1024);
	EXPECT_ATTR_U(d, DIBS_A_DMB_MOVES, 4);
	EXPECT_ATTR_U(d, DIBS_A_DMB_SIGNALS, 2);
	d = find_token(&self->r, u2);
	ASSERT_NE(NULL, d);
	EXPECT_ATTR_U(d, DIBS_A_DMB_BYTES, 512);
	EXPECT_ATTR_U(d, DIBS_A_DMB_MOVES, 1);
	EXPECT_ATTR_U(d, DIBS_A_DMB_SIGNALS, 0);
	dibs_reply_free(&self->r);
}

TEST_F(stats, fresh_device_and_clients_count_zero)
{
	struct counters c;
	struct dibs_rec rec;

	want(&c, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
	ASSERT_EQ(0, dibs_stats_get_dev(&self->g, DEV_S, &rec));
	check_counters(_metadata, &rec, &c, "new device " DEV_S);
	ASSERT_EQ(0, dibs_stats_get_client(&self->g, DIBS_TC_NAME, &rec));
	check_counters(_metadata, &rec, &c, "newly loaded " DIBS_TC_NAME);
	/* by id the same */
	ASSERT_REQ_OK(DIBS_REQ(&self->g, &self->r, DIBS_CMD_STATS_GET, 0,
			       DIBS_PUT_U32(DIBS_A_STATS_CLIENT_ID,
					    self->user.u[DIBS_A_CLIENT_ID])), &self->r);
	ASSERT_EQ(1, self->r.nrecs);
	EXPECT_ATTR_S(&self->r.recs[0], DIBS_A_STATS_CLIENT_NAME, DIBS_USER_CLIENT_NAME);
	check_counters(_metadata, &self->r.recs[0], &c, "newly loaded dibs_user");
	dibs_reply_free(&self->r);
	ASSERT_REQ_OK(DIBS_REQ(&self->g, &self->r, DIBS_CMD_STATS_GET, 0,
			       DIBS_PUT_U32(DIBS_A_STATS_DEV_INDEX, self->s_index)),
		      &self->r);
	ASSERT_EQ(1, self->r.nrecs);
	EXPECT_ATTR_S(&self->r.recs[0], DIBS_A_STATS_DEV_NAME, DEV_S);
}

TEST_F(stats, counters_exact)
{
	uint64_t u1, u2, t1;

	run_script(_metadata, self, &u1, &u2, &t1);
	check_after_script(_metadata, self, u1, u2, t1);
}

TEST_F(stats, reset_one_device_then_all)
{
	uint64_t u1, u2, t1;
	struct counters c;
	struct dibs_rec rec;

	run_script(_metadata, self, &u1, &u2, &t1);
	check_after_script(_metadata, self, u1, u2, t1);

	ASSERT_REQ_OK(DIBS_REQ(&self->g, &self->r, DIBS_CMD_STATS_RESET, 0,
			       DIBS_PUT_STR(DIBS_A_STATS_DEV_NAME, DEV_S)), &self->r);
	EXPECT_EQ(0, self->r.nrecs) TH_LOG("stats-reset replies nothing");
	dibs_reply_free(&self->r);
	ASSERT_EQ(0, dibs_stats_get_dev(&self->g, DEV_S, &rec));
	want(&c, 3, 3, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
	check_counters(_metadata, &rec, &c, DEV_S " after its reset");
	/* the clients keep theirs */
	ASSERT_EQ(0, dibs_stats_get_client(&self->g, DIBS_TC_NAME, &rec));
	want(&c, 1, 3, 4, 3, 0, 0, 1, 3, 3000, 1, 1, 1);
	check_counters(_metadata, &rec, &c, DIBS_TC_NAME " after a device reset");
	ASSERT_EQ(0, dibs_stats_get_client(&self->g, DIBS_USER_CLIENT_NAME, &rec));
	want(&c, 2, 2, 2, 0, 0, 0, 0, 5, 1536, 0, 2, 1);
	check_counters(_metadata, &rec, &c, "dibs_user after a device reset");

	/* counting goes on from zero */
	ASSERT_EQ(0, dibs_user_move(self->fd, u1, 0, 0, 5));
	ASSERT_EQ(0, dibs_stats_get_dev(&self->g, DEV_S, &rec));
	want(&c, 3, 3, 0, 0, 0, 0, 0, 1, 0, 0, 1, 0);
	check_counters(_metadata, &rec, &c, DEV_S " after a reset and a move");

	/* no device: everything */
	ASSERT_REQ_OK(DIBS_REQ(&self->g, &self->r, DIBS_CMD_STATS_RESET, 0), &self->r);
	dibs_reply_free(&self->r);
	ASSERT_EQ(0, dibs_stats_get_dev(&self->g, DEV_S, &rec));
	want(&c, 3, 3, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
	check_counters(_metadata, &rec, &c, DEV_S " after the full reset");
	ASSERT_EQ(0, dibs_stats_get_dev(&self->g, "lo", &rec));
	want(&c, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
	check_counters(_metadata, &rec, &c, "lo after the full reset");
	ASSERT_EQ(0, dibs_stats_get_client(&self->g, DIBS_TC_NAME, &rec));
	want(&c, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
	check_counters(_metadata, &rec, &c, DIBS_TC_NAME " after the full reset");
	ASSERT_EQ(0, dibs_stats_get_client(&self->g, DIBS_USER_CLIENT_NAME, &rec));
	want(&c, 2, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
	check_counters(_metadata, &rec, &c, "dibs_user after the full reset");

	/* the per-DMB counters are not statistics: a reset leaves them */
	ASSERT_REQ_OK(DIBS_REQ(&self->g, &self->r, DIBS_CMD_DMB_GET, NLM_F_DUMP,
			       DIBS_PUT_STR(DIBS_A_DMB_DEV_NAME, DEV_S)), &self->r);
	ASSERT_NE(NULL, find_token(&self->r, t1));
	EXPECT_ATTR_U(find_token(&self->r, t1), DIBS_A_DMB_BYTES, 3000);
	dibs_reply_free(&self->r);

	/* unknown device */
	EXPECT_EQ(-ENODEV, DIBS_REQ(&self->g, &self->r, DIBS_CMD_STATS_RESET, 0,
				    DIBS_PUT_STR(DIBS_A_STATS_DEV_NAME, "kts.none")));
	EXPECT_TRUE(self->r.has_msg);
	EXPECT_EQ(DIBS_A_STATS_DEV_NAME, self->r.bad_attr);
}

TEST_F(stats, enospc_and_max_in_use)
{
	struct counters c;
	struct dibs_rec rec;

	ASSERT_REQ_OK(dibs_dev_new(&self->g, DEV_T, NULL, &self->r), &self->r);
	ASSERT_EQ(LO_MAX_DMBS, self->r.devs[0].max_dmbs)
		TH_LOG("the loopback's max-dmbs changed; adjust LO_MAX_DMBS");
	dibs_reply_free(&self->r);
	ASSERT_EQ(0, dibs_tc_ctl("register %s %d 4096", DEV_T, LO_MAX_DMBS))
		TH_LOG("filling " DEV_T " with %d DMBs failed", LO_MAX_DMBS);
	EXPECT_EQ(-ENOSPC, dibs_tc_ctl("register %s 1 4096", DEV_T));
	ASSERT_EQ(0, dibs_tc_ctl("unregister %s", DEV_T));
	ASSERT_EQ(0, dibs_tc_ctl("register %s 2 4096", DEV_T));
	ASSERT_EQ(0, dibs_stats_get_dev(&self->g, DEV_T, &rec));
	want(&c, 2, LO_MAX_DMBS, LO_MAX_DMBS + 2, LO_MAX_DMBS, 1, 0, 0, 0, 0, 0,
	     0, 0);
	check_counters(_metadata, &rec, &c, "full device " DEV_T);
	ASSERT_EQ(0, dibs_stats_get_client(&self->g, DIBS_TC_NAME, &rec));
	check_counters(_metadata, &rec, &c, DIBS_TC_NAME " after filling " DEV_T);
	/* DEV_S saw none of it */
	ASSERT_EQ(0, dibs_stats_get_dev(&self->g, DEV_S, &rec));
	want(&c, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
	check_counters(_metadata, &rec, &c, DEV_S);
	ASSERT_EQ(0, dibs_tc_ctl("unregister %s", DEV_T));
}

TEST_F(stats, dump_order)
{
	uint32_t last_dev = 0, last_client = 0;
	int i, devs = 0, clients = 0;
	bool in_clients = false;

	ASSERT_REQ_OK(DIBS_REQ(&self->g, &self->r, DIBS_CMD_STATS_GET, NLM_F_DUMP),
		      &self->r);
	for (i = 0; i < self->r.nrecs; i++) {
		const struct dibs_rec *rec = &self->r.recs[i];

		ASSERT_REC(rec, DIBS_CMD_STATS_GET);
		if (DIBS_REC_HAS(rec, DIBS_A_STATS_DEV_INDEX)) {
			EXPECT_FALSE(in_clients) TH_LOG("a device after a client in the dump");
			EXPECT_LT(last_dev, rec->u[DIBS_A_STATS_DEV_INDEX]);
			EXPECT_TRUE(DIBS_REC_HAS(rec, DIBS_A_STATS_DEV_NAME));
			EXPECT_NO_ATTR(rec, DIBS_A_STATS_CLIENT_ID);
			last_dev = rec->u[DIBS_A_STATS_DEV_INDEX];
			devs++;
		} else {
			in_clients = true;
			EXPECT_TRUE(DIBS_REC_HAS(rec, DIBS_A_STATS_CLIENT_ID));
			EXPECT_TRUE(DIBS_REC_HAS(rec, DIBS_A_STATS_CLIENT_NAME));
			if (clients)
				EXPECT_LT(last_client, rec->u[DIBS_A_STATS_CLIENT_ID]);
			last_client = rec->u[DIBS_A_STATS_CLIENT_ID];
			clients++;
		}
	}
	EXPECT_EQ(self->initial.ndevs + 1, devs) TH_LOG("devices in the stats dump");
	EXPECT_EQ(2, clients) TH_LOG("clients in the stats dump");
}

TEST_F(stats, stats_get_refused)
{
	/* both a device and a client */
	EXPECT_EQ(-EINVAL, DIBS_REQ(&self->g, &self->r, DIBS_CMD_STATS_GET, 0,
				    DIBS_PUT_STR(DIBS_A_STATS_DEV_NAME, DEV_S),
				    DIBS_PUT_STR(DIBS_A_STATS_CLIENT_NAME, DIBS_TC_NAME)));
	EXPECT_TRUE(self->r.has_msg) TH_LOG("no extack for a device and a client");
	dibs_reply_free(&self->r);
	/* neither */
	EXPECT_EQ(-EINVAL, DIBS_REQ(&self->g, &self->r, DIBS_CMD_STATS_GET, 0));
	EXPECT_TRUE(self->r.has_msg || self->r.has_miss_type)
		TH_LOG("no extack for stats-get without an object");
	dibs_reply_free(&self->r);
	EXPECT_EQ(-ENODEV, DIBS_REQ(&self->g, &self->r, DIBS_CMD_STATS_GET, 0,
				    DIBS_PUT_U32(DIBS_A_STATS_DEV_INDEX, 0x7fffff00)));
	EXPECT_TRUE(self->r.has_msg);
	EXPECT_EQ(DIBS_A_STATS_DEV_INDEX, self->r.bad_attr);
	dibs_reply_free(&self->r);
	EXPECT_EQ(-ENOENT, DIBS_REQ(&self->g, &self->r, DIBS_CMD_STATS_GET, 0,
				    DIBS_PUT_STR(DIBS_A_STATS_CLIENT_NAME, "no_such_client")));
	EXPECT_TRUE(self->r.has_msg);
	EXPECT_EQ(DIBS_A_STATS_CLIENT_NAME, self->r.bad_attr);
	dibs_reply_free(&self->r);
	EXPECT_EQ(-ENOENT, DIBS_REQ(&self->g, &self->r, DIBS_CMD_STATS_GET, 0,
				    DIBS_PUT_U32(DIBS_A_STATS_CLIENT_ID, 7)));
	EXPECT_TRUE(self->r.has_msg);
}

TEST_HARNESS_MAIN
