// SPDX-License-Identifier: GPL-2.0-only
/*
 * dev-get through raw generic netlink: do by name, by index and by both,
 * and dump; every answer must describe the device exactly as
 * /sys/class/dibs does.
 */
#include <string.h>

#include <netlink/attr.h>

#include "kselftest_harness.h"
#include "dibs_ktest.h"

/* Devices for the dump test: enough to need several dump skbs. */
#define MANY_DEVS 50
/* Upstream's loopback limit, which ours keeps. */
#define LOOPBACK_MAX_DMBS 5000

FIXTURE(dev_get) {
	struct dibs_genl g;
	struct dibs_state initial;
	struct dibs_reply r;
};

FIXTURE_SETUP(dev_get)
{
	char why[1024];
	int ret;

	ret = dibs_genl_open(&self->g);
	ASSERT_EQ(0, ret)
		TH_LOG("cannot reach the dibs genetlink family: %s",
		       dibs_errno_name(ret));
	ASSERT_EQ(0, dibs_state_read(&self->g, &self->initial, why, sizeof(why)))
		TH_LOG("%s", why);
}

FIXTURE_TEARDOWN(dev_get)
{
	dibs_reply_free(&self->r);
	if (self->g.sk)
		EXPECT_EQ(0, dibs_remove_devices_except(&self->g, &self->initial))
			TH_LOG("could not delete the devices this test created");
	dibs_genl_close(&self->g);
}

static const int reply_attrs[] = {
	DIBS_A_DEV_INDEX, DIBS_A_DEV_NAME, DIBS_A_DEV_TYPE, DIBS_A_DEV_GID,
	DIBS_A_DEV_FABRIC_ID, DIBS_A_DEV_MAX_DMBS, DIBS_A_DEV_DMBS_IN_USE,
};

/*
 * Checks a loopback device message: every attribute there, loopback
 * values, and sysfs saying the same.
 */
static void check_loopback(struct __test_metadata *_metadata,
			   const struct dibs_dev_msg *dev)
{
	static const uint8_t null_gid[DIBS_GID_LEN];
	char why[1024];
	unsigned int i;

	for (i = 0; i < sizeof(reply_attrs) / sizeof(reply_attrs[0]); i++)
		EXPECT_TRUE(DIBS_HAS(dev, reply_attrs[i]))
			TH_LOG("%s: attribute %s missing from the reply",
			       dev->name, dibs_attr_name(reply_attrs[i]));
	EXPECT_EQ(DIBS_DEV_TYPE_LOOPBACK, dev->type)
		TH_LOG("%s: type %u, expected loopback", dev->name, dev->type);
	EXPECT_EQ(DIBS_LOOPBACK_FABRIC_ID, dev->fabric_id)
		TH_LOG("%s: fabric-id 0x%04x, expected 0xffff", dev->name,
		       dev->fabric_id);
	EXPECT_EQ(LOOPBACK_MAX_DMBS, dev->max_dmbs)
		TH_LOG("%s: max-dmbs %u, expected %u", dev->name, dev->max_dmbs,
		       LOOPBACK_MAX_DMBS);
	EXPECT_EQ(0, dev->dmbs_in_use)
		TH_LOG("%s: dmbs-in-use %u on an unused device", dev->name,
		       dev->dmbs_in_use);
	EXPECT_TRUE(dev->mmapped_rdmb)
		TH_LOG("%s: loopback supports attach_dmb, but mmapped-rdmb is not set",
		       dev->name);
	EXPECT_NE(0, memcmp(dev->gid, null_gid, DIBS_GID_LEN))
		TH_LOG("%s: GID is all zeros", dev->name);
	EXPECT_TRUE(dibs_sysfs_matches(dev, why, sizeof(why)))
		TH_LOG("%s", why);
}

TEST_F(dev_get, lo_by_name)
{
	ASSERT_REQ_OK(dibs_dev_get_name(&self->g, "lo", &self->r), &self->r);
	ASSERT_ONE_DEV(&self->r, DIBS_CMD_DEV_GET);
	EXPECT_STREQ("lo", self->r.devs[0].name);
	check_loopback(_metadata, &self->r.devs[0]);
}

TEST_F(dev_get, lo_by_index)
{
	struct dibs_dev_msg lo;
	char why[1024];

	ASSERT_REQ_OK(dibs_dev_get_name(&self->g, "lo", &self->r), &self->r);
	ASSERT_ONE_DEV(&self->r, DIBS_CMD_DEV_GET);
	lo = self->r.devs[0];
	dibs_reply_free(&self->r);

	ASSERT_REQ_OK(dibs_dev_get_index(&self->g, lo.index, &self->r), &self->r);
	ASSERT_ONE_DEV(&self->r, DIBS_CMD_DEV_GET);
	EXPECT_TRUE(dibs_dev_equal(&lo, &self->r.devs[0], why, sizeof(why)))
		TH_LOG("by index %u vs by name: %s", lo.index, why);
}

TEST_F(dev_get, index_and_name_that_agree)
{
	struct dibs_dev_msg lo;
	struct nl_msg *msg;
	char why[1024];

	ASSERT_REQ_OK(dibs_dev_get_name(&self->g, "lo", &self->r), &self->r);
	ASSERT_ONE_DEV(&self->r, DIBS_CMD_DEV_GET);
	lo = self->r.devs[0];
	dibs_reply_free(&self->r);

	msg = dibs_genl_msg(&self->g, DIBS_CMD_DEV_GET, 0);
	ASSERT_NE(NULL, msg);
	ASSERT_EQ(0, nla_put_u32(msg, DIBS_A_DEV_INDEX, lo.index));
	ASSERT_EQ(0, nla_put_string(msg, DIBS_A_DEV_NAME, "lo"));
	ASSERT_REQ_OK(dibs_genl_send(&self->g, msg, &self->r), &self->r);
	ASSERT_ONE_DEV(&self->r, DIBS_CMD_DEV_GET);
	EXPECT_TRUE(dibs_dev_equal(&lo, &self->r.devs[0], why, sizeof(why)))
		TH_LOG("%s", why);
}

TEST_F(dev_get, runtime_device)
{
	struct dibs_dev_msg created;
	uint8_t gid[DIBS_GID_LEN];
	char why[1024];

	dibs_test_gid(gid, 1);
	ASSERT_REQ_OK(dibs_dev_new(&self->g, "ktget.1", gid, &self->r), &self->r);
	ASSERT_ONE_DEV(&self->r, DIBS_CMD_DEV_NEW);
	created = self->r.devs[0];
	dibs_reply_free(&self->r);

	ASSERT_REQ_OK(dibs_dev_get_name(&self->g, "ktget.1", &self->r), &self->r);
	ASSERT_ONE_DEV(&self->r, DIBS_CMD_DEV_GET);
	EXPECT_TRUE(dibs_dev_equal(&created, &self->r.devs[0], why, sizeof(why)))
		TH_LOG("dev-new reply vs dev-get by name: %s", why);
	check_loopback(_metadata, &self->r.devs[0]);
	dibs_reply_free(&self->r);

	ASSERT_REQ_OK(dibs_dev_get_index(&self->g, created.index, &self->r),
		      &self->r);
	ASSERT_ONE_DEV(&self->r, DIBS_CMD_DEV_GET);
	EXPECT_TRUE(dibs_dev_equal(&created, &self->r.devs[0], why, sizeof(why)))
		TH_LOG("dev-new reply vs dev-get by index: %s", why);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(a, b);
}

/* The names in a reply, sorted, separated by one space (as sysfs_names). */
static void dump_names(const struct dibs_reply *r, char *buf, size_t len)
{
	char (*sorted)[DIBS_DEV_NAME_MAX_LEN + 1];
	size_t used = 0;
	int i;

	buf[0] = '\0';
	sorted = calloc(r->ndevs, sizeof(*sorted));
	if (!sorted)
		return;
	for (i = 0; i < r->ndevs; i++)
		snprintf(sorted[i], sizeof(sorted[i]), "%s", r->devs[i].name);
	qsort(sorted, r->ndevs, sizeof(*sorted), cmp_str);
	for (i = 0; i < r->ndevs && used < len; i++)
		used += snprintf(buf + used, len - used, "%s%s", i ? " " : "",
				 sorted[i]);
	free(sorted);
}

/*
 * The dump must list every device exactly once (across several skbs),
 * agree with dev-get do for each, and name the same set as sysfs.
 */
TEST_F_TIMEOUT(dev_get, dump_many_devices, 300)
{
	char names[2048], expected[2048], why[1024];
	struct dibs_reply one = {};
	bool seen[MANY_DEVS] = {};
	int i, j;

	for (i = 0; i < MANY_DEVS; i++) {
		char name[DIBS_DEV_NAME_MAX_LEN + 1];

		snprintf(name, sizeof(name), "ktdump%02d", i);
		ASSERT_REQ_OK(dibs_dev_new(&self->g, name, NULL, &self->r),
			      &self->r);
		dibs_reply_free(&self->r);
	}

	ASSERT_REQ_OK(dibs_dev_dump(&self->g, &self->r), &self->r);
	ASSERT_EQ(self->initial.ndevs + MANY_DEVS, self->r.ndevs)
		TH_LOG("dump returned %d devices, expected %d",
		       self->r.ndevs, self->initial.ndevs + MANY_DEVS);

	for (i = 0; i < self->r.ndevs; i++) {
		const struct dibs_dev_msg *dev = &self->r.devs[i];
		int n;

		EXPECT_STREQ("", dev->malformed);
		EXPECT_EQ(DIBS_CMD_DEV_GET, dev->cmd);
		for (j = 0; j < i; j++) {
			EXPECT_NE(dev->index, self->r.devs[j].index)
				TH_LOG("index %u listed twice (%s and %s)",
				       dev->index, dev->name,
				       self->r.devs[j].name);
			EXPECT_STRNE(dev->name, self->r.devs[j].name);
		}
		if (sscanf(dev->name, "ktdump%d", &n) == 1 && n >= 0 &&
		    n < MANY_DEVS)
			seen[n] = true;

		ASSERT_REQ_OK(dibs_dev_get_index(&self->g, dev->index, &one),
			      &one);
		ASSERT_ONE_DEV(&one, DIBS_CMD_DEV_GET);
		EXPECT_TRUE(dibs_dev_equal(dev, &one.devs[0], why, sizeof(why)))
			TH_LOG("dump entry vs dev-get do: %s", why);
		dibs_reply_free(&one);
		if (dev->type == DIBS_DEV_TYPE_LOOPBACK)
			check_loopback(_metadata, dev);
		else
			EXPECT_TRUE(dibs_sysfs_matches(dev, why, sizeof(why)))
				TH_LOG("%s", why);
	}
	for (i = 0; i < MANY_DEVS; i++)
		EXPECT_TRUE(seen[i]) TH_LOG("ktdump%02d missing from the dump", i);

	/* sysfs lists the same set of names. */
	ASSERT_EQ(0, dibs_sysfs_names(names, sizeof(names)));
	dump_names(&self->r, expected, sizeof(expected));
	EXPECT_STREQ(expected, names);
}

TEST_HARNESS_MAIN
