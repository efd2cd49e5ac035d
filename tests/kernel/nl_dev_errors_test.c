// SPDX-License-Identifier: GPL-2.0-only
/*
 * Requests the dibs family must refuse: each one gets the expected errno,
 * an extack message, the offset of the offending attribute (or the type of
 * the missing one), no notification, and leaves every device (dump and
 * sysfs) exactly as it was.  dev-new beyond the module parameter
 * max_devs gets ENOSPC.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <netlink/attr.h>

#include "kselftest_harness.h"
#include "dibs_ktest.h"

/* An index no test run gets near. */
#define NO_SUCH_INDEX 0x7fffff00u
/* Beyond every attribute the spec defines. */
#define UNKNOWN_ATTR 200
/*
 * A notification is queued before the ack of the request that caused it,
 * so a short wait suffices to see that none came.
 */
#define NO_NTF_WAIT_MS 50

/* Besides lo, a second device so that index and name can disagree. */
#define OTHER_DEV "kterr.other"

/* What a builder needs to know about the devices present. */
struct known_devs {
	uint32_t lo_index;
	uint8_t lo_gid[DIBS_GID_LEN];
};

typedef int (*put_attrs_fn)(struct nl_msg *msg, const struct known_devs *k);

FIXTURE(errors) {
	struct dibs_genl g;
	struct dibs_monitor mon;
	struct dibs_state initial;
	struct dibs_state before;
	struct known_devs known;
	struct dibs_reply r;
};

FIXTURE_VARIANT(errors) {
	uint8_t cmd;
	put_attrs_fn put;
	int err;		/* expected -errno */
	int bad_attr;		/* NLMSGERR_ATTR_OFFS must point at it, 0: not checked */
	int miss_attr;		/* expected NLMSGERR_ATTR_MISS_TYPE, 0: none */
	const char *msg_has;	/* the extack message must contain it, or NULL */
};

FIXTURE_SETUP(errors)
{
	char why[1024];
	int ret, i;

	ret = dibs_genl_open(&self->g);
	ASSERT_EQ(0, ret)
		TH_LOG("cannot reach the dibs genetlink family: %s",
		       dibs_errno_name(ret));
	ASSERT_EQ(0, dibs_state_read(&self->g, &self->initial, why, sizeof(why)))
		TH_LOG("%s", why);
	for (i = 0; i < self->initial.ndevs; i++) {
		if (strcmp(self->initial.devs[i].name, "lo"))
			continue;
		self->known.lo_index = self->initial.devs[i].index;
		memcpy(self->known.lo_gid, self->initial.devs[i].gid,
		       DIBS_GID_LEN);
	}
	ASSERT_NE(0, self->known.lo_index) TH_LOG("no device lo");

	/* Last: a failed setup gets no teardown to delete it. */
	ASSERT_REQ_OK(dibs_dev_new(&self->g, OTHER_DEV, NULL, &self->r), &self->r);
	ASSERT_ONE_DEV(&self->r, DIBS_CMD_DEV_NEW);
	dibs_reply_free(&self->r);
	ASSERT_EQ(0, dibs_state_read(&self->g, &self->before, why, sizeof(why)))
		TH_LOG("%s", why);
	/* Subscribed only now: the device above is not part of the test. */
	ASSERT_EQ(0, dibs_monitor_open(&self->mon, &self->g));
}

FIXTURE_TEARDOWN(errors)
{
	dibs_reply_free(&self->r);
	dibs_monitor_close(&self->mon);
	if (self->g.sk)
		EXPECT_EQ(0, dibs_remove_devices_except(&self->g, &self->initial))
			TH_LOG("could not delete the devices this test created");
	dibs_genl_close(&self->g);
}

static const char *cmd_name(uint8_t cmd)
{
	return cmd == DIBS_CMD_DEV_GET ? "dev-get" :
	       cmd == DIBS_CMD_DEV_NEW ? "dev-new" :
	       cmd == DIBS_CMD_DEV_DEL ? "dev-del" : "?";
}

TEST_F(errors, rejected)
{
	struct dibs_state after;
	struct dibs_dev_msg ntf;
	struct nl_msg *msg;
	char why[1024];
	int ret;

	msg = dibs_genl_msg(&self->g, variant->cmd, 0);
	ASSERT_NE(NULL, msg);
	ASSERT_EQ(0, variant->put(msg, &self->known));
	ret = dibs_genl_send(&self->g, msg, &self->r);

	ASSERT_STREQ("", self->r.local_error);
	EXPECT_EQ(variant->err, ret)
		TH_LOG("%s: expected %s, got %s", cmd_name(variant->cmd),
		       dibs_errno_name(variant->err), dibs_errno_name(ret));
	EXPECT_EQ(0, self->r.ndevs)
		TH_LOG("a refused request still sent %d device messages",
		       self->r.ndevs);
	EXPECT_TRUE(self->r.has_msg && self->r.msg[0])
		TH_LOG("no extack message with %s", dibs_errno_name(ret));
	if (self->r.has_msg)
		TH_LOG("extack message: \"%s\"", self->r.msg);
	if (variant->msg_has)
		EXPECT_TRUE(self->r.has_msg &&
			    strstr(self->r.msg, variant->msg_has))
			TH_LOG("extack message \"%s\" does not say \"%s\"",
			       self->r.has_msg ? self->r.msg : "",
			       variant->msg_has);
	if (variant->bad_attr) {
		EXPECT_TRUE(self->r.has_offs)
			TH_LOG("no NLMSGERR_ATTR_OFFS; expected it to point at %s",
			       dibs_attr_name(variant->bad_attr));
		if (self->r.has_offs)
			EXPECT_EQ(variant->bad_attr, self->r.bad_attr)
				TH_LOG("NLMSGERR_ATTR_OFFS %u points at %s, expected %s",
				       self->r.offs,
				       self->r.bad_attr ?
				       dibs_attr_name(self->r.bad_attr) :
				       "no attribute",
				       dibs_attr_name(variant->bad_attr));
	}
	if (variant->miss_attr) {
		EXPECT_TRUE(self->r.has_miss_type)
			TH_LOG("no NLMSGERR_ATTR_MISS_TYPE; expected %s",
			       dibs_attr_name(variant->miss_attr));
		if (self->r.has_miss_type)
			EXPECT_EQ(variant->miss_attr, (int)self->r.miss_type)
				TH_LOG("NLMSGERR_ATTR_MISS_TYPE says %s, expected %s",
				       dibs_attr_name(self->r.miss_type),
				       dibs_attr_name(variant->miss_attr));
	}

	ret = dibs_monitor_next(&self->mon, &ntf, NO_NTF_WAIT_MS);
	if (ret == 1)
		dibs_dev_format(&ntf, why, sizeof(why));
	EXPECT_EQ(0, ret)
		TH_LOG("a refused request caused a notification: %s",
		       ret == 1 ? why : dibs_errno_name(ret));

	ASSERT_EQ(0, dibs_state_read(&self->g, &after, why, sizeof(why)))
		TH_LOG("%s", why);
	EXPECT_TRUE(dibs_state_equal(&self->before, &after, why, sizeof(why)))
		TH_LOG("a refused request changed the devices: %s", why);
}

/* Request builders, one per refused request. */

static int put_loopback(struct nl_msg *msg)
{
	return nla_put_u32(msg, DIBS_A_DEV_TYPE, DIBS_DEV_TYPE_LOOPBACK);
}

static int put_new_named(struct nl_msg *msg, const char *name)
{
	return put_loopback(msg) ?: nla_put_string(msg, DIBS_A_DEV_NAME, name);
}

static int new_name_too_long(struct nl_msg *msg, const struct known_devs *k)
{
	return put_new_named(msg, "sixteen_bytes_xx");
}

static int new_name_slash(struct nl_msg *msg, const struct known_devs *k)
{
	return put_new_named(msg, "kt/slash");
}

static int new_name_space(struct nl_msg *msg, const struct known_devs *k)
{
	return put_new_named(msg, "kt space");
}

static int new_name_colon(struct nl_msg *msg, const struct known_devs *k)
{
	return put_new_named(msg, "kt:colon");
}

static int new_name_non_ascii(struct nl_msg *msg, const struct known_devs *k)
{
	return put_new_named(msg, "kt\xc3\xa9");
}

static int new_name_empty(struct nl_msg *msg, const struct known_devs *k)
{
	return put_new_named(msg, "");
}

static int new_name_dot(struct nl_msg *msg, const struct known_devs *k)
{
	return put_new_named(msg, ".");
}

static int new_name_dotdot(struct nl_msg *msg, const struct known_devs *k)
{
	return put_new_named(msg, "..");
}

static int new_name_unterminated(struct nl_msg *msg,
				 const struct known_devs *k)
{
	return put_loopback(msg) ?: nla_put(msg, DIBS_A_DEV_NAME, 4, "ktnt");
}

static int new_name_taken(struct nl_msg *msg, const struct known_devs *k)
{
	return put_new_named(msg, "lo");
}

static int put_new_gid(struct nl_msg *msg, int len, const uint8_t *gid)
{
	return put_loopback(msg) ?:
	       nla_put_string(msg, DIBS_A_DEV_NAME, "kterr.gid") ?:
	       nla_put(msg, DIBS_A_DEV_GID, len, gid);
}

static int new_gid_short(struct nl_msg *msg, const struct known_devs *k)
{
	uint8_t gid[DIBS_GID_LEN];

	dibs_test_gid(gid, 1);
	return put_new_gid(msg, DIBS_GID_LEN - 1, gid);
}

static int new_gid_long(struct nl_msg *msg, const struct known_devs *k)
{
	uint8_t gid[DIBS_GID_LEN + 1];

	dibs_test_gid(gid, 2);
	gid[DIBS_GID_LEN] = 0x5a;
	return put_new_gid(msg, DIBS_GID_LEN + 1, gid);
}

static int new_gid_zero(struct nl_msg *msg, const struct known_devs *k)
{
	static const uint8_t gid[DIBS_GID_LEN];

	return put_new_gid(msg, DIBS_GID_LEN, gid);
}

static int new_gid_taken(struct nl_msg *msg, const struct known_devs *k)
{
	return put_new_gid(msg, DIBS_GID_LEN, k->lo_gid);
}

static int new_type_missing(struct nl_msg *msg, const struct known_devs *k)
{
	return nla_put_string(msg, DIBS_A_DEV_NAME, "kterr.notype");
}

static int new_type_other(struct nl_msg *msg, const struct known_devs *k)
{
	return nla_put_u32(msg, DIBS_A_DEV_TYPE, DIBS_DEV_TYPE_OTHER) ?:
	       nla_put_string(msg, DIBS_A_DEV_NAME, "kterr.other2");
}

static int new_type_unknown(struct nl_msg *msg, const struct known_devs *k)
{
	return nla_put_u32(msg, DIBS_A_DEV_TYPE, DIBS_DEV_TYPE_MAX + 1) ?:
	       nla_put_string(msg, DIBS_A_DEV_NAME, "kterr.type");
}

static int new_with_index(struct nl_msg *msg, const struct known_devs *k)
{
	return put_new_named(msg, "kterr.index") ?:
	       nla_put_u32(msg, DIBS_A_DEV_INDEX, NO_SUCH_INDEX);
}

static int new_with_force(struct nl_msg *msg, const struct known_devs *k)
{
	return put_new_named(msg, "kterr.force") ?:
	       nla_put_flag(msg, DIBS_A_DEV_FORCE);
}

static int new_with_unknown_attr(struct nl_msg *msg,
				 const struct known_devs *k)
{
	return put_new_named(msg, "kterr.unknown") ?:
	       nla_put_u32(msg, UNKNOWN_ATTR, 1);
}

static int no_attrs(struct nl_msg *msg, const struct known_devs *k)
{
	return 0;
}

static int no_such_name(struct nl_msg *msg, const struct known_devs *k)
{
	return nla_put_string(msg, DIBS_A_DEV_NAME, "kterr.nosuch");
}

static int no_such_index(struct nl_msg *msg, const struct known_devs *k)
{
	return nla_put_u32(msg, DIBS_A_DEV_INDEX, NO_SUCH_INDEX);
}

static int index_zero(struct nl_msg *msg, const struct known_devs *k)
{
	return nla_put_u32(msg, DIBS_A_DEV_INDEX, 0);
}

/* lo's index, the other device's name: a wrong dev-del hits only that. */
static int index_name_disagree(struct nl_msg *msg, const struct known_devs *k)
{
	return nla_put_u32(msg, DIBS_A_DEV_INDEX, k->lo_index) ?:
	       nla_put_string(msg, DIBS_A_DEV_NAME, OTHER_DEV);
}

static int name_too_long(struct nl_msg *msg, const struct known_devs *k)
{
	return nla_put_string(msg, DIBS_A_DEV_NAME, "sixteen_bytes_xx");
}

static int lo_with_gid(struct nl_msg *msg, const struct known_devs *k)
{
	return nla_put_string(msg, DIBS_A_DEV_NAME, "lo") ?:
	       nla_put(msg, DIBS_A_DEV_GID, DIBS_GID_LEN, k->lo_gid);
}

static int lo_with_type(struct nl_msg *msg, const struct known_devs *k)
{
	return nla_put_string(msg, DIBS_A_DEV_NAME, "lo") ?:
	       nla_put_u32(msg, DIBS_A_DEV_TYPE, DIBS_DEV_TYPE_LOOPBACK);
}

static int lo_with_force(struct nl_msg *msg, const struct known_devs *k)
{
	return nla_put_string(msg, DIBS_A_DEV_NAME, "lo") ?:
	       nla_put_flag(msg, DIBS_A_DEV_FORCE);
}

static int lo_with_unknown_attr(struct nl_msg *msg,
				const struct known_devs *k)
{
	return nla_put_string(msg, DIBS_A_DEV_NAME, "lo") ?:
	       nla_put_u32(msg, UNKNOWN_ATTR, 1);
}

static int force_only(struct nl_msg *msg, const struct known_devs *k)
{
	return nla_put_flag(msg, DIBS_A_DEV_FORCE);
}

#define REFUSED(_name, _cmd, _put, _err, _bad, _miss) \
	FIXTURE_VARIANT_ADD(errors, _name) { \
		.cmd = _cmd, .put = _put, .err = _err, \
		.bad_attr = _bad, .miss_attr = _miss, \
	}

/* dev-new: names (the policy allows NUL strings of at most 15 bytes) */
REFUSED(new_name_too_long, DIBS_CMD_DEV_NEW, new_name_too_long, -EINVAL,
	DIBS_A_DEV_NAME, 0);
REFUSED(new_name_slash, DIBS_CMD_DEV_NEW, new_name_slash, -EINVAL,
	DIBS_A_DEV_NAME, 0);
REFUSED(new_name_space, DIBS_CMD_DEV_NEW, new_name_space, -EINVAL,
	DIBS_A_DEV_NAME, 0);
REFUSED(new_name_colon, DIBS_CMD_DEV_NEW, new_name_colon, -EINVAL,
	DIBS_A_DEV_NAME, 0);
REFUSED(new_name_non_ascii, DIBS_CMD_DEV_NEW, new_name_non_ascii, -EINVAL,
	DIBS_A_DEV_NAME, 0);
REFUSED(new_name_empty, DIBS_CMD_DEV_NEW, new_name_empty, -EINVAL,
	DIBS_A_DEV_NAME, 0);
REFUSED(new_name_dot, DIBS_CMD_DEV_NEW, new_name_dot, -EINVAL,
	DIBS_A_DEV_NAME, 0);
REFUSED(new_name_dotdot, DIBS_CMD_DEV_NEW, new_name_dotdot, -EINVAL,
	DIBS_A_DEV_NAME, 0);
REFUSED(new_name_unterminated, DIBS_CMD_DEV_NEW, new_name_unterminated,
	-EINVAL, DIBS_A_DEV_NAME, 0);
REFUSED(new_name_taken, DIBS_CMD_DEV_NEW, new_name_taken, -EEXIST,
	DIBS_A_DEV_NAME, 0);
/* dev-new: GIDs (exact-len 16 is a range check: ERANGE from the policy) */
REFUSED(new_gid_short, DIBS_CMD_DEV_NEW, new_gid_short, -ERANGE,
	DIBS_A_DEV_GID, 0);
REFUSED(new_gid_long, DIBS_CMD_DEV_NEW, new_gid_long, -ERANGE,
	DIBS_A_DEV_GID, 0);
REFUSED(new_gid_zero, DIBS_CMD_DEV_NEW, new_gid_zero, -EINVAL,
	DIBS_A_DEV_GID, 0);
REFUSED(new_gid_taken, DIBS_CMD_DEV_NEW, new_gid_taken, -EEXIST,
	DIBS_A_DEV_GID, 0);
/* dev-new: types */
REFUSED(new_type_missing, DIBS_CMD_DEV_NEW, new_type_missing, -EINVAL,
	0, DIBS_A_DEV_TYPE);
/* a type no driver registered a kind for: nothing creates it */
FIXTURE_VARIANT_ADD(errors, new_type_other) {
	.cmd = DIBS_CMD_DEV_NEW, .put = new_type_other, .err = -EOPNOTSUPP,
	.bad_attr = DIBS_A_DEV_TYPE,
	.msg_has = "no driver creates devices of",
};
REFUSED(new_type_unknown, DIBS_CMD_DEV_NEW, new_type_unknown, -ERANGE,
	DIBS_A_DEV_TYPE, 0);
/* dev-new: attributes it does not take */
REFUSED(new_with_index, DIBS_CMD_DEV_NEW, new_with_index, -EINVAL,
	DIBS_A_DEV_INDEX, 0);
REFUSED(new_with_force, DIBS_CMD_DEV_NEW, new_with_force, -EINVAL,
	DIBS_A_DEV_FORCE, 0);
REFUSED(new_with_unknown_attr, DIBS_CMD_DEV_NEW, new_with_unknown_attr,
	-EINVAL, UNKNOWN_ATTR, 0);

/* dev-get do */
REFUSED(get_without_index_or_name, DIBS_CMD_DEV_GET, no_attrs, -EINVAL, 0, 0);
REFUSED(get_no_such_name, DIBS_CMD_DEV_GET, no_such_name, -ENODEV,
	DIBS_A_DEV_NAME, 0);
REFUSED(get_no_such_index, DIBS_CMD_DEV_GET, no_such_index, -ENODEV,
	DIBS_A_DEV_INDEX, 0);
REFUSED(get_index_zero, DIBS_CMD_DEV_GET, index_zero, -ERANGE,
	DIBS_A_DEV_INDEX, 0);
REFUSED(get_index_name_disagree, DIBS_CMD_DEV_GET, index_name_disagree,
	-EINVAL, 0, 0);
REFUSED(get_name_too_long, DIBS_CMD_DEV_GET, name_too_long, -EINVAL,
	DIBS_A_DEV_NAME, 0);
REFUSED(get_with_gid, DIBS_CMD_DEV_GET, lo_with_gid, -EINVAL,
	DIBS_A_DEV_GID, 0);
REFUSED(get_with_force, DIBS_CMD_DEV_GET, lo_with_force, -EINVAL,
	DIBS_A_DEV_FORCE, 0);
REFUSED(get_with_unknown_attr, DIBS_CMD_DEV_GET, lo_with_unknown_attr,
	-EINVAL, UNKNOWN_ATTR, 0);

/* dev-del */
REFUSED(del_without_index_or_name, DIBS_CMD_DEV_DEL, no_attrs, -EINVAL, 0, 0);
REFUSED(del_force_only, DIBS_CMD_DEV_DEL, force_only, -EINVAL, 0, 0);
REFUSED(del_no_such_name, DIBS_CMD_DEV_DEL, no_such_name, -ENODEV,
	DIBS_A_DEV_NAME, 0);
REFUSED(del_no_such_index, DIBS_CMD_DEV_DEL, no_such_index, -ENODEV,
	DIBS_A_DEV_INDEX, 0);
REFUSED(del_index_zero, DIBS_CMD_DEV_DEL, index_zero, -ERANGE,
	DIBS_A_DEV_INDEX, 0);
REFUSED(del_index_name_disagree, DIBS_CMD_DEV_DEL, index_name_disagree,
	-EINVAL, 0, 0);
REFUSED(del_name_too_long, DIBS_CMD_DEV_DEL, name_too_long, -EINVAL,
	DIBS_A_DEV_NAME, 0);
REFUSED(del_with_gid, DIBS_CMD_DEV_DEL, lo_with_gid, -EINVAL,
	DIBS_A_DEV_GID, 0);
REFUSED(del_with_type, DIBS_CMD_DEV_DEL, lo_with_type, -EINVAL,
	DIBS_A_DEV_TYPE, 0);
REFUSED(del_with_unknown_attr, DIBS_CMD_DEV_DEL, lo_with_unknown_attr,
	-EINVAL, UNKNOWN_ATTR, 0);

/* ---- the device limit, module parameter max_devs ---- */

#define MAX_DEVS_PARAM "/sys/module/dibs/parameters/max_devs"
#define LIMIT_DEV "kterr.limit"

static int max_devs_read(long *value)
{
	char buf[32];
	ssize_t n;
	int fd;

	fd = open(MAX_DEVS_PARAM, O_RDONLY);
	if (fd < 0)
		return -errno;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return -EIO;
	buf[n] = '\0';
	*value = strtol(buf, NULL, 10);
	return 0;
}

static int max_devs_write(long value)
{
	char buf[32];
	ssize_t n;
	int fd;

	fd = open(MAX_DEVS_PARAM, O_WRONLY);
	if (fd < 0)
		return -errno;
	snprintf(buf, sizeof(buf), "%ld\n", value);
	n = write(fd, buf, strlen(buf));
	close(fd);
	return n == (ssize_t)strlen(buf) ? 0 : -EIO;
}

FIXTURE(limit) {
	struct dibs_genl g;
	struct dibs_state initial;
	struct dibs_reply r;
	long saved;		/* max_devs before the test, or -1 */
};

FIXTURE_SETUP(limit)
{
	char why[1024];
	int ret;

	self->saved = -1;
	ret = dibs_genl_open(&self->g);
	ASSERT_EQ(0, ret) TH_LOG("no dibs family: %s", dibs_errno_name(ret));
	ASSERT_EQ(0, dibs_state_read(&self->g, &self->initial, why, sizeof(why)))
		TH_LOG("%s", why);
	ret = max_devs_read(&self->saved);
	ASSERT_EQ(0, ret) TH_LOG("cannot read %s: %s", MAX_DEVS_PARAM,
				 dibs_errno_name(ret));
	TH_LOG("max_devs is %ld", self->saved);
}

FIXTURE_TEARDOWN(limit)
{
	dibs_reply_free(&self->r);
	if (self->saved >= 0)
		EXPECT_EQ(0, max_devs_write(self->saved))
			TH_LOG("could not restore max_devs to %ld", self->saved);
	if (self->g.sk)
		EXPECT_EQ(0, dibs_remove_devices_except(&self->g, &self->initial))
			TH_LOG("could not delete the devices this test created");
	dibs_genl_close(&self->g);
}

/*
 * With as many devices as max_devs allows, dev-new gets ENOSPC, an extack
 * message naming the parameter, and changes nothing; one more allowed,
 * it succeeds.
 */
TEST_F(limit, dev_new_beyond_max_devs)
{
	struct dibs_state before, after;
	struct dibs_monitor mon;
	struct dibs_dev_msg ntf;
	char why[1024];
	int ret;

	ASSERT_LT(0, self->initial.ndevs);
	ASSERT_EQ(0, max_devs_write(self->initial.ndevs));
	ASSERT_EQ(0, dibs_state_read(&self->g, &before, why, sizeof(why)))
		TH_LOG("%s", why);
	ASSERT_EQ(0, dibs_monitor_open(&mon, &self->g));
	ret = dibs_dev_new(&self->g, LIMIT_DEV, NULL, &self->r);
	EXPECT_EQ(-ENOSPC, ret)
		TH_LOG("dev-new with %d devices and max_devs %d: %s, not ENOSPC",
		       self->initial.ndevs, self->initial.ndevs,
		       dibs_errno_name(ret));
	EXPECT_TRUE(self->r.has_msg && strstr(self->r.msg, "max_devs"))
		TH_LOG("extack \"%s\" does not name max_devs",
		       self->r.has_msg ? self->r.msg : "");
	dibs_reply_free(&self->r);
	ret = dibs_monitor_next(&mon, &ntf, NO_NTF_WAIT_MS);
	EXPECT_EQ(0, ret) TH_LOG("the refused dev-new caused a notification");
	dibs_monitor_close(&mon);
	ASSERT_EQ(0, dibs_state_read(&self->g, &after, why, sizeof(why)))
		TH_LOG("%s", why);
	EXPECT_TRUE(dibs_state_equal(&before, &after, why, sizeof(why)))
		TH_LOG("the refused dev-new changed the devices: %s", why);

	ASSERT_EQ(0, max_devs_write(self->initial.ndevs + 1));
	ret = dibs_dev_new(&self->g, LIMIT_DEV, NULL, &self->r);
	EXPECT_EQ(0, ret) TH_LOG("dev-new below max_devs: %s",
				 dibs_errno_name(ret));
}

TEST_HARNESS_MAIN
