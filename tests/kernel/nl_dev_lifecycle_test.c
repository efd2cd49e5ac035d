// SPDX-License-Identifier: GPL-2.0-only
/*
 * dev-new and dev-del through raw generic netlink: default and given names
 * and GIDs, the reply, deletion by name and by index, indexes that are
 * never reused, the notifications on the "monitor" group, and many
 * add/delete cycles that must leave nothing behind.
 */
#include <errno.h>
#include <string.h>

#include "kselftest_harness.h"
#include "dibs_ktest.h"

#define CYCLES 200
/*
 * How long to wait for a notification that must come, and for one that
 * must not; multicast is queued before the request's ack, so the second
 * only guards against a late, misdirected message.
 */
#define NTF_WAIT_MS 2000
#define NO_NTF_WAIT_MS 50

FIXTURE(lifecycle) {
	struct dibs_genl g;
	struct dibs_monitor mon;
	struct dibs_state initial;
	struct dibs_reply r;
};

FIXTURE_SETUP(lifecycle)
{
	char why[1024];
	int ret;

	ret = dibs_genl_open(&self->g);
	ASSERT_EQ(0, ret)
		TH_LOG("cannot reach the dibs genetlink family: %s",
		       dibs_errno_name(ret));
	ASSERT_EQ(0, dibs_monitor_open(&self->mon, &self->g));
	ASSERT_EQ(0, dibs_state_read(&self->g, &self->initial, why, sizeof(why)))
		TH_LOG("%s", why);
	ASSERT_EQ(1, self->initial.ndevs)
		TH_LOG("each suite starts with only the default lo, found %d devices",
		       self->initial.ndevs);
	ASSERT_STREQ("lo", self->initial.devs[0].name);
}

FIXTURE_TEARDOWN(lifecycle)
{
	dibs_reply_free(&self->r);
	dibs_monitor_close(&self->mon);
	if (self->g.sk)
		EXPECT_EQ(0, dibs_remove_devices_except(&self->g, &self->initial))
			TH_LOG("could not delete the devices this test created");
	dibs_genl_close(&self->g);
}

/* Creates a loopback device and returns what the reply described. */
static void add_dev(struct __test_metadata *_metadata, struct dibs_genl *g,
		    const char *name, const uint8_t *gid,
		    struct dibs_dev_msg *dev)
{
	struct dibs_reply r;

	ASSERT_REQ_OK(dibs_dev_new(g, name, gid, &r), &r);
	ASSERT_ONE_DEV(&r, DIBS_CMD_DEV_NEW);
	*dev = r.devs[0];
	dibs_reply_free(&r);
}

/* The device must be gone from dev-get (ENODEV) and from sysfs. */
static void expect_gone(struct __test_metadata *_metadata, struct dibs_genl *g,
			const struct dibs_dev_msg *dev)
{
	char buf[DIBS_SYSFS_ATTR_MAX];
	struct dibs_reply r;
	int ret;

	ret = dibs_dev_get_name(g, dev->name, &r);
	EXPECT_EQ(-ENODEV, ret)
		TH_LOG("dev-get name %s after deletion: expected ENODEV, got %s",
		       dev->name, dibs_errno_name(ret));
	dibs_reply_free(&r);
	ret = dibs_dev_get_index(g, dev->index, &r);
	EXPECT_EQ(-ENODEV, ret)
		TH_LOG("dev-get index %u after deletion: expected ENODEV, got %s",
		       dev->index, dibs_errno_name(ret));
	dibs_reply_free(&r);
	ret = dibs_sysfs_read(dev->name, "gid", buf, sizeof(buf));
	EXPECT_EQ(-ENOENT, ret)
		TH_LOG("%s/%s still there after deletion", DIBS_SYSFS_CLASS,
		       dev->name);
}

/* The next notification must be cmd about dev, with the same attributes. */
static void expect_ntf(struct __test_metadata *_metadata,
		       struct dibs_monitor *mon, uint8_t cmd,
		       const struct dibs_dev_msg *dev)
{
	struct dibs_dev_msg ntf, want = *dev;
	char why[1024];
	int ret;

	ret = dibs_monitor_next(mon, &ntf, NTF_WAIT_MS);
	ASSERT_EQ(1, ret)
		TH_LOG("expected %s for %s, got %s",
		       cmd == DIBS_CMD_DEV_NEW_NTF ? "dev-new-ntf" : "dev-del-ntf",
		       dev->name, ret ? dibs_errno_name(ret) : "no notification");
	EXPECT_EQ(cmd, ntf.cmd)
		TH_LOG("notification about %s has command %d, expected %d",
		       ntf.name, ntf.cmd, cmd);
	want.cmd = ntf.cmd;
	EXPECT_TRUE(dibs_dev_equal(&want, &ntf, why, sizeof(why)))
		TH_LOG("notification vs dev-new reply: %s", why);
}

static void expect_no_ntf(struct __test_metadata *_metadata,
			  struct dibs_monitor *mon)
{
	struct dibs_dev_msg ntf;
	char desc[512];
	int ret;

	ret = dibs_monitor_next(mon, &ntf, NO_NTF_WAIT_MS);
	if (ret == 1)
		dibs_dev_format(&ntf, desc, sizeof(desc));
	EXPECT_EQ(0, ret)
		TH_LOG("unexpected notification: %s",
		       ret == 1 ? desc : dibs_errno_name(ret));
}

TEST_F(lifecycle, new_without_name_or_gid)
{
	static const uint8_t null_gid[DIBS_GID_LEN];
	struct dibs_dev_msg dev;
	char why[1024];

	add_dev(_metadata, &self->g, NULL, NULL, &dev);
	EXPECT_STREQ("lo1", dev.name);
	EXPECT_EQ(DIBS_DEV_TYPE_LOOPBACK, dev.type);
	EXPECT_EQ(DIBS_LOOPBACK_FABRIC_ID, dev.fabric_id);
	EXPECT_EQ(0, dev.dmbs_in_use);
	EXPECT_TRUE(DIBS_HAS(&dev, DIBS_A_DEV_MAX_DMBS));
	EXPECT_NE(0, memcmp(dev.gid, null_gid, DIBS_GID_LEN))
		TH_LOG("the random GID is all zeros");
	EXPECT_NE(0, memcmp(dev.gid, self->initial.devs[0].gid, DIBS_GID_LEN))
		TH_LOG("the random GID equals lo's");
	EXPECT_GT(dev.index, self->initial.devs[0].index);
	EXPECT_TRUE(dibs_sysfs_matches(&dev, why, sizeof(why)))
		TH_LOG("%s", why);

	ASSERT_REQ_OK(dibs_dev_get_name(&self->g, "lo1", &self->r), &self->r);
	ASSERT_ONE_DEV(&self->r, DIBS_CMD_DEV_GET);
	dev.cmd = DIBS_CMD_DEV_GET;
	EXPECT_TRUE(dibs_dev_equal(&dev, &self->r.devs[0], why, sizeof(why)))
		TH_LOG("dev-new reply vs dev-get: %s", why);
}

TEST_F(lifecycle, random_gids_differ)
{
	struct dibs_dev_msg a, b;

	add_dev(_metadata, &self->g, NULL, NULL, &a);
	add_dev(_metadata, &self->g, NULL, NULL, &b);
	EXPECT_NE(0, memcmp(a.gid, b.gid, DIBS_GID_LEN))
		TH_LOG("%s and %s got the same random GID", a.name, b.name);
}

TEST_F(lifecycle, new_with_name_and_gid)
{
	char uuid[DIBS_UUID_STR_LEN], want[DIBS_UUID_STR_LEN];
	struct dibs_dev_msg dev;
	uint8_t gid[DIBS_GID_LEN];
	char why[1024];

	/* 15 bytes, every character class the names allow. */
	dibs_test_gid(gid, 0xabcdef);
	add_dev(_metadata, &self->g, "Kt_new-1.long15", gid, &dev);
	EXPECT_STREQ("Kt_new-1.long15", dev.name);
	dibs_uuid_str(gid, want);
	dibs_uuid_str(dev.gid, uuid);
	EXPECT_STREQ(want, uuid);
	EXPECT_TRUE(dibs_sysfs_matches(&dev, why, sizeof(why)))
		TH_LOG("%s", why);
}

TEST_F(lifecycle, default_name_is_first_free)
{
	struct dibs_dev_msg dev[4], again, next;
	int i;

	for (i = 0; i < 3; i++) {
		char want[8];

		add_dev(_metadata, &self->g, NULL, NULL, &dev[i]);
		snprintf(want, sizeof(want), "lo%d", i + 1);
		EXPECT_STREQ(want, dev[i].name);
	}
	/* A name taken by hand is skipped too. */
	add_dev(_metadata, &self->g, "lo5", NULL, &dev[3]);

	ASSERT_REQ_OK(dibs_dev_del_name(&self->g, "lo2", false, &self->r),
		      &self->r);
	add_dev(_metadata, &self->g, NULL, NULL, &again);
	EXPECT_STREQ("lo2", again.name);
	EXPECT_GT(again.index, dev[3].index)
		TH_LOG("the new lo2 got index %u, not above the last one (%u)",
		       again.index, dev[3].index);
	add_dev(_metadata, &self->g, NULL, NULL, &next);
	EXPECT_STREQ("lo4", next.name);
	add_dev(_metadata, &self->g, NULL, NULL, &next);
	EXPECT_STREQ("lo6", next.name);
}

TEST_F(lifecycle, del_by_name)
{
	struct dibs_dev_msg dev;
	char why[1024];

	add_dev(_metadata, &self->g, "ktdel.name", NULL, &dev);
	ASSERT_REQ_OK(dibs_dev_del_name(&self->g, "ktdel.name", false, &self->r),
		      &self->r);
	EXPECT_EQ(0, self->r.ndevs)
		TH_LOG("dev-del replied with %d device messages", self->r.ndevs);
	expect_gone(_metadata, &self->g, &dev);
	dibs_reply_free(&self->r);
	ASSERT_EQ(0, dibs_state_read(&self->g, &self->initial, why, sizeof(why)))
		TH_LOG("%s", why);
	EXPECT_EQ(1, self->initial.ndevs);
}

TEST_F(lifecycle, del_by_index)
{
	struct dibs_dev_msg dev;

	add_dev(_metadata, &self->g, "ktdel.index", NULL, &dev);
	ASSERT_REQ_OK(dibs_dev_del_index(&self->g, dev.index, false, &self->r),
		      &self->r);
	expect_gone(_metadata, &self->g, &dev);
}

TEST_F(lifecycle, del_lo)
{
	struct dibs_dev_msg lo = self->initial.devs[0];

	ASSERT_REQ_OK(dibs_dev_del_name(&self->g, "lo", false, &self->r),
		      &self->r);
	expect_gone(_metadata, &self->g, &lo);
	dibs_reply_free(&self->r);
	/* Give lo back under its name, so the suite's state is restored. */
	ASSERT_REQ_OK(dibs_dev_new(&self->g, "lo", NULL, &self->r), &self->r);
	ASSERT_ONE_DEV(&self->r, DIBS_CMD_DEV_NEW);
	EXPECT_GT(self->r.devs[0].index, lo.index);
	self->initial.devs[0] = self->r.devs[0];
}

TEST_F(lifecycle, index_never_reused)
{
	struct dibs_dev_msg dev;
	uint32_t last = self->initial.devs[0].index;
	int i;

	for (i = 0; i < 5; i++) {
		add_dev(_metadata, &self->g, "ktreuse", NULL, &dev);
		EXPECT_GT(dev.index, last)
			TH_LOG("round %d: index %u after %u was handed out",
			       i, dev.index, last);
		last = dev.index;
		ASSERT_REQ_OK(dibs_dev_del_index(&self->g, dev.index, false,
						 &self->r), &self->r);
		dibs_reply_free(&self->r);
	}
}

TEST_F(lifecycle, notifications_in_order)
{
	struct dibs_dev_msg a, b;
	uint8_t gid[DIBS_GID_LEN];

	expect_no_ntf(_metadata, &self->mon);
	dibs_test_gid(gid, 7);
	add_dev(_metadata, &self->g, "ktntf.a", gid, &a);
	add_dev(_metadata, &self->g, NULL, NULL, &b);
	ASSERT_REQ_OK(dibs_dev_del_name(&self->g, "ktntf.a", false, &self->r),
		      &self->r);
	dibs_reply_free(&self->r);
	ASSERT_REQ_OK(dibs_dev_del_index(&self->g, b.index, false, &self->r),
		      &self->r);

	expect_ntf(_metadata, &self->mon, DIBS_CMD_DEV_NEW_NTF, &a);
	expect_ntf(_metadata, &self->mon, DIBS_CMD_DEV_NEW_NTF, &b);
	expect_ntf(_metadata, &self->mon, DIBS_CMD_DEV_DEL_NTF, &a);
	expect_ntf(_metadata, &self->mon, DIBS_CMD_DEV_DEL_NTF, &b);
	expect_no_ntf(_metadata, &self->mon);
}

TEST_F(lifecycle, reads_notify_nothing)
{
	ASSERT_REQ_OK(dibs_dev_dump(&self->g, &self->r), &self->r);
	dibs_reply_free(&self->r);
	ASSERT_REQ_OK(dibs_dev_get_name(&self->g, "lo", &self->r), &self->r);
	expect_no_ntf(_metadata, &self->mon);
}

/*
 * Many add/delete cycles: every one gives lo1 with a fresh index and two
 * notifications, and afterwards the module holds exactly what it held
 * before.
 */
TEST_F_TIMEOUT(lifecycle, add_del_cycles, 600)
{
	struct dibs_state after;
	struct dibs_dev_msg dev;
	uint32_t last = self->initial.devs[0].index;
	char why[1024];
	int i;

	for (i = 0; i < CYCLES; i++) {
		add_dev(_metadata, &self->g, NULL, NULL, &dev);
		ASSERT_STREQ("lo1", dev.name)
			TH_LOG("cycle %d: a previous lo1 was left behind", i);
		ASSERT_GT(dev.index, last)
			TH_LOG("cycle %d: index %u reused (last %u)", i,
			       dev.index, last);
		last = dev.index;
		ASSERT_REQ_OK(dibs_dev_del_index(&self->g, dev.index, false,
						 &self->r), &self->r);
		dibs_reply_free(&self->r);
		expect_ntf(_metadata, &self->mon, DIBS_CMD_DEV_NEW_NTF, &dev);
		expect_ntf(_metadata, &self->mon, DIBS_CMD_DEV_DEL_NTF, &dev);
		if (_metadata->passed == 0)
			TH_LOG("cycle %d failed", i);
		ASSERT_TRUE(_metadata->passed);
	}
	expect_no_ntf(_metadata, &self->mon);

	ASSERT_EQ(0, dibs_state_read(&self->g, &after, why, sizeof(why)))
		TH_LOG("%s", why);
	EXPECT_TRUE(dibs_state_equal(&self->initial, &after, why, sizeof(why)))
		TH_LOG("after %d cycles: %s", CYCLES, why);
}

TEST_HARNESS_MAIN
