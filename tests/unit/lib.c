// SPDX-License-Identifier: GPL-2.0-only
/*
 * libdibsctl without a kernel: GID text forms, parsing of dev-get
 * replies, extack decoding, errno mapping, reference counting and
 * lists, argument checks, and the sysfs fallback on a fake tree.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <netlink/attr.h>
#include <netlink/errno.h>
#include <netlink/genl/genl.h>
#include <netlink/msg.h>

#include "kselftest_harness.h"
#include "libdibsctl-private.h"
#include "unit-util.h"

#define LO_GID "6f1c2f1e-9d3a-4b55-8c1a-0e2f3a4b5c6d"

static const uint8_t lo_gid[DIBSCTL_GID_LEN] = {
	0x6f, 0x1c, 0x2f, 0x1e, 0x9d, 0x3a, 0x4b, 0x55,
	0x8c, 0x1a, 0x0e, 0x2f, 0x3a, 0x4b, 0x5c, 0x6d,
};

TEST(gid_round_trip)
{
	uint8_t gid[DIBSCTL_GID_LEN];
	char text[DIBSCTL_GID_STR_LEN];

	ASSERT_EQ(0, dibsctl_gid_parse(LO_GID, gid));
	EXPECT_EQ(0, memcmp(lo_gid, gid, sizeof(gid)));
	ASSERT_EQ(0, dibsctl_gid_format(gid, text, sizeof(text)));
	EXPECT_STREQ(LO_GID, text);

	/* Upper case in, lower case out, as the kernel's %pUb. */
	ASSERT_EQ(0, dibsctl_gid_parse("6F1C2F1E-9D3A-4B55-8C1A-0E2F3A4B5C6D", gid));
	EXPECT_EQ(0, memcmp(lo_gid, gid, sizeof(gid)));
}

TEST(gid_rejects_anything_but_the_uuid_form)
{
	static const char *const bad[] = {
		"", "6f1c2f1e", "6f1c2f1e9d3a4b558c1a0e2f3a4b5c6d",
		"6f1c2f1e-9d3a-4b55-8c1a-0e2f3a4b5c6",
		"6f1c2f1e-9d3a-4b55-8c1a-0e2f3a4b5c6d0",
		"6f1c2f1e-9d3a-4b55-8c1a-0e2f3a4b5c6d ",
		" 6f1c2f1e-9d3a-4b55-8c1a-0e2f3a4b5c6d",
		"6f1c2f1e-9d3a-4b55-8c1a_0e2f3a4b5c6d",
		"6f1c2f1e-9d3a-4b55-8c1a-0e2f3a4b5c6x",
		"6f1c2f1-e9d3a-4b55-8c1a-0e2f3a4b5c6d",
		"{6f1c2f1e-9d3a-4b55-8c1a-0e2f3a4b5c6d}",
	};
	uint8_t gid[DIBSCTL_GID_LEN];
	size_t i;

	memset(gid, 0xaa, sizeof(gid));
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		EXPECT_EQ(-EINVAL, dibsctl_gid_parse(bad[i], gid))
			TH_LOG("accepted bad[%zu]", i);
	/* A rejected string leaves the output alone. */
	for (i = 0; i < sizeof(gid); i++)
		EXPECT_EQ(0xaa, gid[i]);
	EXPECT_EQ(-EINVAL, dibsctl_gid_parse(NULL, gid));
}

TEST(gid_format_needs_room_for_the_nul)
{
	char text[DIBSCTL_GID_STR_LEN];

	EXPECT_EQ(-ENOSPC, dibsctl_gid_format(lo_gid, text, sizeof(text) - 1));
	EXPECT_EQ(0, dibsctl_gid_format(lo_gid, text, sizeof(text)));
	EXPECT_EQ(36, strlen(text));
}

TEST(type_names)
{
	EXPECT_STREQ("loopback", dibsctl_dev_type_name(DIBSCTL_DEV_TYPE_LOOPBACK));
	EXPECT_STREQ("other", dibsctl_dev_type_name(DIBSCTL_DEV_TYPE_OTHER));
	EXPECT_EQ(NULL, dibsctl_dev_type_name(DIBS_DEV_TYPE_MAX + 1));
	EXPECT_EQ(NULL, dibsctl_dev_type_name(UINT32_MAX));
}

TEST(reply_with_every_attribute)
{
	struct dibsctl_dev *dev;
	struct fake_dev f;
	uint8_t gid[DIBSCTL_GID_LEN];
	uint32_t u32;
	uint16_t u16;
	bool flag;

	fake_dev_lo(&f);
	f.index = 3;
	f.dmbs_in_use = 7;
	ASSERT_EQ(0, fake_dev_new(&f, &dev));
	EXPECT_STREQ("lo", dibsctl_dev_get_name(dev));
	ASSERT_EQ(0, dibsctl_dev_get_index(dev, &u32));
	EXPECT_EQ(3, u32);
	ASSERT_EQ(0, dibsctl_dev_get_type(dev, &u32));
	EXPECT_EQ(DIBSCTL_DEV_TYPE_LOOPBACK, u32);
	ASSERT_EQ(0, dibsctl_dev_get_gid(dev, gid));
	EXPECT_EQ(0, memcmp(lo_gid, gid, sizeof(gid)));
	ASSERT_EQ(0, dibsctl_dev_get_fabric_id(dev, &u16));
	EXPECT_EQ(0xffff, u16);
	ASSERT_EQ(0, dibsctl_dev_get_max_dmbs(dev, &u32));
	EXPECT_EQ(5000, u32);
	ASSERT_EQ(0, dibsctl_dev_get_dmbs_in_use(dev, &u32));
	EXPECT_EQ(7, u32);
	ASSERT_EQ(0, dibsctl_dev_get_mmapped_rdmb(dev, &flag));
	EXPECT_TRUE(flag);
	EXPECT_EQ(NULL, dibsctl_dev_unref(dev));
}

TEST(absent_attributes_read_as_enodata)
{
	struct dibsctl_dev *dev;
	struct fake_dev f = { .name = "lo" };
	uint8_t gid[DIBSCTL_GID_LEN];
	uint32_t u32 = 42;
	uint16_t u16 = 42;
	bool flag = true;

	ASSERT_EQ(0, fake_dev_new(&f, &dev));
	EXPECT_STREQ("lo", dibsctl_dev_get_name(dev));
	EXPECT_EQ(-ENODATA, dibsctl_dev_get_index(dev, &u32));
	EXPECT_EQ(-ENODATA, dibsctl_dev_get_type(dev, &u32));
	EXPECT_EQ(-ENODATA, dibsctl_dev_get_gid(dev, gid));
	EXPECT_EQ(-ENODATA, dibsctl_dev_get_fabric_id(dev, &u16));
	EXPECT_EQ(-ENODATA, dibsctl_dev_get_max_dmbs(dev, &u32));
	EXPECT_EQ(-ENODATA, dibsctl_dev_get_dmbs_in_use(dev, &u32));
	EXPECT_EQ(42, u32);
	EXPECT_EQ(42, u16);
	/* A netlink reply always answers the flag: absent means false. */
	ASSERT_EQ(0, dibsctl_dev_get_mmapped_rdmb(dev, &flag));
	EXPECT_FALSE(flag);
	dibsctl_dev_unref(dev);

	EXPECT_EQ(NULL, dibsctl_dev_get_name(NULL));
	EXPECT_EQ(-ENODATA, dibsctl_dev_get_index(NULL, &u32));
}

/* A reply with one raw attribute after the genl header. */
static int parse_raw_reply(int type, const void *data, int len,
			   struct dibsctl_dev **dev)
{
	struct nl_msg *msg = nlmsg_alloc();
	int err = -ENOMEM;

	if (msg && genlmsg_put(msg, 0, 1, 0x20, 0, 0, DIBS_CMD_DEV_GET, 1) &&
	    nla_put(msg, type, len, data) == 0)
		err = dibsctl_dev_new_from_nlmsg(nlmsg_hdr(msg), dev);
	nlmsg_free(msg);
	return err;
}

TEST(malformed_replies_are_ebadmsg)
{
	static const char long_name[] = "abcdefghijklmnop";
	static const char unterminated[3] = { 'l', 'o', '1' };
	struct dibsctl_dev *dev = NULL;
	uint8_t gid[DIBSCTL_GID_LEN + 1] = { 0 };
	uint8_t u8 = 1;

	EXPECT_EQ(-EBADMSG, parse_raw_reply(DIBS_A_DEV_GID, gid, 15, &dev));
	EXPECT_EQ(-EBADMSG, parse_raw_reply(DIBS_A_DEV_GID, gid, 17, &dev));
	EXPECT_EQ(-EBADMSG, parse_raw_reply(DIBS_A_DEV_NAME, long_name,
					    sizeof(long_name), &dev));
	EXPECT_EQ(-EBADMSG, parse_raw_reply(DIBS_A_DEV_NAME, unterminated,
					    sizeof(unterminated), &dev));
	EXPECT_EQ(-EBADMSG, parse_raw_reply(DIBS_A_DEV_NAME, "", 1, &dev));
	EXPECT_EQ(-EBADMSG, parse_raw_reply(DIBS_A_DEV_INDEX, &u8, 1, &dev));
	EXPECT_EQ(-EBADMSG, parse_raw_reply(DIBS_A_DEV_FABRIC_ID, &u8, 1, &dev));
	EXPECT_EQ(NULL, dev);

	/* Attributes from a newer kernel are skipped, not refused. */
	EXPECT_EQ(0, parse_raw_reply(DIBS_A_DEV_MAX + 5, gid, 4, &dev));
	EXPECT_NE(NULL, dev);
	dibsctl_dev_unref(dev);
}

TEST(reference_counts)
{
	struct dibsctl_dev *dev;
	struct dibsctl *ctx;
	struct fake_dev f;

	fake_dev_lo(&f);
	ASSERT_EQ(0, fake_dev_new(&f, &dev));
	EXPECT_EQ(dev, dibsctl_dev_ref(dev));
	EXPECT_EQ(dev, dibsctl_dev_unref(dev));
	EXPECT_EQ(NULL, dibsctl_dev_unref(dev));
	EXPECT_EQ(NULL, dibsctl_dev_ref(NULL));
	EXPECT_EQ(NULL, dibsctl_dev_unref(NULL));

	ASSERT_EQ(0, dibsctl_new(&ctx));
	EXPECT_EQ(ctx, dibsctl_ref(ctx));
	EXPECT_EQ(ctx, dibsctl_unref(ctx));
	EXPECT_EQ(NULL, dibsctl_unref(ctx));
	EXPECT_EQ(NULL, dibsctl_unref(NULL));
	EXPECT_EQ(-EINVAL, dibsctl_new(NULL));
}

TEST(list_keeps_order_and_its_own_references)
{
	struct dibsctl_dev_list *list = dibsctl_dev_list_alloc();
	struct dibsctl_dev *devs[20], *dev;
	struct fake_dev f;
	char name[16];
	size_t i = 0;

	ASSERT_NE(NULL, list);
	fake_dev_lo(&f);
	for (i = 0; i < 20; i++) {
		snprintf(name, sizeof(name), "lo%zu", i);
		f.name = name;
		ASSERT_EQ(0, fake_dev_new(&f, &devs[i]));
		ASSERT_EQ(0, dibsctl_dev_list_append(list, devs[i]));
		/* The list holds its own reference. */
		dibsctl_dev_unref(devs[i]);
	}
	EXPECT_EQ(20, dibsctl_dev_list_count(list));

	i = 0;
	dibsctl_dev_list_foreach(dev, list) {
		snprintf(name, sizeof(name), "lo%zu", i);
		EXPECT_STREQ(name, dibsctl_dev_get_name(dev));
		i++;
	}
	EXPECT_EQ(20, i);

	/* A device kept past the list stays valid. */
	dev = dibsctl_dev_ref(dibsctl_dev_list_next(list, dibsctl_dev_list_first(list)));
	EXPECT_EQ(list, dibsctl_dev_list_ref(list));
	EXPECT_EQ(list, dibsctl_dev_list_unref(list));
	EXPECT_EQ(NULL, dibsctl_dev_list_unref(list));
	EXPECT_STREQ("lo1", dibsctl_dev_get_name(dev));
	dibsctl_dev_unref(dev);
}

TEST(empty_and_null_lists)
{
	struct dibsctl_dev_list *list = dibsctl_dev_list_alloc();
	struct dibsctl_dev *dev;
	int n = 0;

	ASSERT_NE(NULL, list);
	EXPECT_EQ(0, dibsctl_dev_list_count(list));
	dibsctl_dev_list_foreach(dev, list)
		n++;
	EXPECT_EQ(0, n);
	dibsctl_dev_list_unref(list);
	EXPECT_EQ(0, dibsctl_dev_list_count(NULL));
	EXPECT_EQ(NULL, dibsctl_dev_list_first(NULL));
	EXPECT_EQ(NULL, dibsctl_dev_list_next(NULL, NULL));
}

TEST(libnl_codes_become_negative_errnos)
{
	int code;

	EXPECT_EQ(0, dibsctl_errno_from_nl(0));
	EXPECT_EQ(-ENOENT, dibsctl_errno_from_nl(-NLE_OBJ_NOTFOUND));
	EXPECT_EQ(-ENOENT, dibsctl_errno_from_nl(NLE_OBJ_NOTFOUND));
	EXPECT_EQ(-EPERM, dibsctl_errno_from_nl(-NLE_PERM));
	EXPECT_EQ(-ENOMEM, dibsctl_errno_from_nl(-NLE_NOMEM));
	EXPECT_EQ(-EEXIST, dibsctl_errno_from_nl(-NLE_EXIST));
	EXPECT_EQ(-EBUSY, dibsctl_errno_from_nl(-NLE_BUSY));
	EXPECT_EQ(-EOPNOTSUPP, dibsctl_errno_from_nl(-NLE_OPNOTSUPP));
	EXPECT_EQ(-EIO, dibsctl_errno_from_nl(-NLE_FAILURE));
	EXPECT_EQ(-EIO, dibsctl_errno_from_nl(-1000));
	/* Whatever libnl says, the result is a negative errno. */
	for (code = 1; code <= 40; code++)
		EXPECT_GT(0, dibsctl_errno_from_nl(-code)) TH_LOG("NLE %d", code);
}

/* Our request, as libnl would send it: dev-new with type, name and gid. */
static struct nl_msg *make_request(void)
{
	struct nl_msg *msg = nlmsg_alloc();

	if (!msg || !genlmsg_put(msg, 0, 7, 0x20, 0, 0, DIBS_CMD_DEV_NEW, 1) ||
	    nla_put_u32(msg, DIBS_A_DEV_TYPE, DIBS_DEV_TYPE_LOOPBACK) ||
	    nla_put_string(msg, DIBS_A_DEV_NAME, "lo1") ||
	    nla_put(msg, DIBS_A_DEV_GID, DIBS_GID_LEN, lo_gid)) {
		nlmsg_free(msg);
		return NULL;
	}
	nlmsg_hdr(msg)->nlmsg_flags |= NLM_F_REQUEST | NLM_F_ACK;
	return msg;
}

static uint32_t offset_of_attr(struct nl_msg *msg, int type)
{
	struct nlmsghdr *nlh = nlmsg_hdr(msg);
	struct nlattr *nla = nlmsg_find_attr(nlh, GENL_HDRLEN, type);

	return (uint32_t)((char *)nla - (char *)nlh);
}

struct answer {
	union {
		struct nlmsghdr nlh;
		char bytes[1024];
	};
	size_t len;
};

static void put_tlv(struct answer *a, uint16_t type, const void *data,
		    size_t len)
{
	struct nlattr *nla = (struct nlattr *)(a->bytes + a->len);

	nla->nla_type = type;
	nla->nla_len = (uint16_t)(NLA_HDRLEN + len);
	memcpy(a->bytes + a->len + NLA_HDRLEN, data, len);
	a->len += NLA_ALIGN(nla->nla_len);
	a->nlh.nlmsg_len = (uint32_t)a->len;
}

/* The kernel's NLMSG_ERROR for @request, capped or with its payload. */
static void start_error(struct answer *a, struct nl_msg *request, int error,
			bool capped)
{
	struct nlmsghdr *req = nlmsg_hdr(request);
	struct nlmsgerr *e;

	memset(a, 0, sizeof(*a));
	a->nlh.nlmsg_type = NLMSG_ERROR;
	a->nlh.nlmsg_flags = NLM_F_ACK_TLVS | (capped ? NLM_F_CAPPED : 0);
	e = NLMSG_DATA(&a->nlh);
	e->error = error;
	if (capped) {
		e->msg = *req;
		a->len = NLMSG_LENGTH(sizeof(*e));
	} else {
		memcpy(&e->msg, req, req->nlmsg_len);
		a->len = NLMSG_LENGTH(sizeof(*e) - sizeof(*req) + req->nlmsg_len);
	}
	a->len = NLMSG_ALIGN(a->len);
	a->nlh.nlmsg_len = (uint32_t)a->len;
}

FIXTURE(extack) {
	struct dibsctl *ctx;
	struct nl_msg *request;
	struct answer a;
};

FIXTURE_SETUP(extack)
{
	ASSERT_EQ(0, dibsctl_new(&self->ctx));
	self->request = make_request();
	ASSERT_NE(NULL, self->request);
}

FIXTURE_TEARDOWN(extack)
{
	nlmsg_free(self->request);
	dibsctl_unref(self->ctx);
}

TEST_F(extack, capped_message_and_offset)
{
	static const char msg[] = "device name already in use";
	uint32_t offs = offset_of_attr(self->request, DIBS_A_DEV_NAME);

	start_error(&self->a, self->request, -EEXIST, true);
	put_tlv(&self->a, NLMSGERR_ATTR_MSG, msg, sizeof(msg));
	put_tlv(&self->a, NLMSGERR_ATTR_OFFS, &offs, sizeof(offs));
	dibsctl_set_extack(self->ctx, &self->a.nlh, nlmsg_hdr(self->request));
	EXPECT_STREQ(msg, dibsctl_get_errmsg(self->ctx));
	EXPECT_STREQ("name", dibsctl_get_err_attr(self->ctx));
}

TEST_F(extack, uncapped_answer_carries_our_request)
{
	static const char msg[] = "GID must not be all zeros";
	uint32_t offs = offset_of_attr(self->request, DIBS_A_DEV_GID);

	start_error(&self->a, self->request, -EINVAL, false);
	put_tlv(&self->a, NLMSGERR_ATTR_OFFS, &offs, sizeof(offs));
	put_tlv(&self->a, NLMSGERR_ATTR_MSG, msg, sizeof(msg));
	dibsctl_set_extack(self->ctx, &self->a.nlh, nlmsg_hdr(self->request));
	EXPECT_STREQ(msg, dibsctl_get_errmsg(self->ctx));
	EXPECT_STREQ("gid", dibsctl_get_err_attr(self->ctx));
}

TEST_F(extack, missing_attribute_by_type)
{
	uint32_t type = DIBS_A_DEV_TYPE;

	start_error(&self->a, self->request, -EINVAL, true);
	put_tlv(&self->a, NLMSGERR_ATTR_MISS_TYPE, &type, sizeof(type));
	dibsctl_set_extack(self->ctx, &self->a.nlh, nlmsg_hdr(self->request));
	EXPECT_EQ(NULL, dibsctl_get_errmsg(self->ctx));
	EXPECT_STREQ("type", dibsctl_get_err_attr(self->ctx));
}

TEST_F(extack, ignored_without_the_tlv_flag)
{
	static const char msg[] = "not for us";

	start_error(&self->a, self->request, -EINVAL, true);
	put_tlv(&self->a, NLMSGERR_ATTR_MSG, msg, sizeof(msg));
	self->a.nlh.nlmsg_flags &= ~NLM_F_ACK_TLVS;
	dibsctl_set_extack(self->ctx, &self->a.nlh, nlmsg_hdr(self->request));
	EXPECT_EQ(NULL, dibsctl_get_errmsg(self->ctx));
	EXPECT_EQ(NULL, dibsctl_get_err_attr(self->ctx));
}

TEST_F(extack, offsets_outside_our_request_name_nothing)
{
	uint32_t offsets[] = {
		0, NLMSG_HDRLEN, (uint32_t)nlmsg_hdr(self->request)->nlmsg_len,
		(uint32_t)nlmsg_hdr(self->request)->nlmsg_len - 2, 1u << 30,
	};
	size_t i;

	for (i = 0; i < sizeof(offsets) / sizeof(offsets[0]); i++) {
		start_error(&self->a, self->request, -EINVAL, true);
		put_tlv(&self->a, NLMSGERR_ATTR_OFFS, &offsets[i],
			sizeof(offsets[i]));
		dibsctl_set_extack(self->ctx, &self->a.nlh,
				   nlmsg_hdr(self->request));
		EXPECT_EQ(NULL, dibsctl_get_err_attr(self->ctx))
			TH_LOG("offset %u", offsets[i]);
	}
}

TEST_F(extack, unterminated_message_is_cut_at_its_length)
{
	static const char msg[5] = { 'b', 'u', 's', 'y', '!' };

	start_error(&self->a, self->request, -EBUSY, true);
	put_tlv(&self->a, NLMSGERR_ATTR_MSG, msg, sizeof(msg));
	dibsctl_set_extack(self->ctx, &self->a.nlh, nlmsg_hdr(self->request));
	EXPECT_STREQ("busy!", dibsctl_get_errmsg(self->ctx));
}

TEST_F(extack, truncated_tlv_is_not_read)
{
	static const char msg[] = "whole message";

	start_error(&self->a, self->request, -EINVAL, true);
	put_tlv(&self->a, NLMSGERR_ATTR_MSG, msg, sizeof(msg));
	/* The message claims more bytes than the answer has. */
	self->a.nlh.nlmsg_len -= 8;
	dibsctl_set_extack(self->ctx, &self->a.nlh, nlmsg_hdr(self->request));
	EXPECT_EQ(NULL, dibsctl_get_errmsg(self->ctx));
}

TEST_F(extack, end_of_dump_with_an_error)
{
	static const char msg[] = "dump failed";
	int error = -EMSGSIZE;

	memset(&self->a, 0, sizeof(self->a));
	self->a.nlh.nlmsg_type = NLMSG_DONE;
	self->a.nlh.nlmsg_flags = NLM_F_MULTI | NLM_F_ACK_TLVS;
	memcpy(NLMSG_DATA(&self->a.nlh), &error, sizeof(error));
	self->a.len = NLMSG_ALIGN(NLMSG_LENGTH(sizeof(error)));
	put_tlv(&self->a, NLMSGERR_ATTR_MSG, msg, sizeof(msg));
	dibsctl_set_extack(self->ctx, &self->a.nlh, nlmsg_hdr(self->request));
	EXPECT_STREQ(msg, dibsctl_get_errmsg(self->ctx));
}

TEST(bad_arguments_are_refused_before_any_request)
{
	struct dibsctl_dev_list *list;
	struct dibsctl_dev *dev = NULL;
	struct dibsctl *ctx;

	ASSERT_EQ(0, dibsctl_new(&ctx));
	EXPECT_EQ(-EINVAL, dibsctl_dev_new_from_name(ctx, "abcdefghijklmnop", &dev));
	EXPECT_NE(NULL, dibsctl_get_errmsg(ctx));
	EXPECT_EQ(-EINVAL, dibsctl_dev_new_from_name(ctx, "", &dev));
	EXPECT_EQ(-EINVAL, dibsctl_dev_new_from_name(ctx, NULL, &dev));
	EXPECT_EQ(-EINVAL, dibsctl_dev_new_from_index(ctx, 0, &dev));
	EXPECT_NE(NULL, strstr(dibsctl_get_errmsg(ctx), "start at 1"));
	EXPECT_EQ(-EINVAL, dibsctl_dev_del_by_name(ctx, "lo", 1U << 5));
	EXPECT_NE(NULL, strstr(dibsctl_get_errmsg(ctx), "unknown flags"));
	EXPECT_EQ(-EINVAL, dibsctl_dev_del_by_index(ctx, 0, 0));
	EXPECT_EQ(-EINVAL, dibsctl_dev_add_loopback(ctx, "abcdefghijklmnop",
						    NULL, &dev));
	EXPECT_EQ(-EINVAL, dibsctl_dev_list_new(ctx, NULL));
	EXPECT_EQ(-EINVAL, dibsctl_dev_list_new(NULL, &list));
	EXPECT_EQ(-EINVAL, dibsctl_dev_new_from_name(NULL, "lo", &dev));
	EXPECT_EQ(-EINVAL, dibsctl_get_source(NULL));
	EXPECT_EQ(NULL, dev);
	EXPECT_EQ(NULL, dibsctl_get_errmsg(NULL));
	/* Nothing was decided yet: no request went out. */
	EXPECT_EQ(0, ctx->source);
	EXPECT_EQ(NULL, ctx->sock);
	dibsctl_unref(ctx);
}

FIXTURE(sysfs) {
	char *root;
	struct dibsctl *ctx;
};

FIXTURE_SETUP(sysfs)
{
	self->root = fake_sysfs_new();
	ASSERT_NE(NULL, self->root);
	/* Created out of order: the fallback sorts by name. */
	ASSERT_EQ(0, fake_sysfs_add(self->root, "lo2",
				    "00000000-0000-0000-0000-0000000000a2\n",
				    "0xffff\n"));
	ASSERT_EQ(0, fake_sysfs_add(self->root, "lo", LO_GID "\n", "0xffff\n"));
	ASSERT_EQ(0, fake_sysfs_add(self->root, "ism0",
				    "11111111-2222-3333-4444-555555555555\n",
				    "0x0001\n"));
	ASSERT_EQ(0, fake_sysfs_context(self->root, &self->ctx));
}

FIXTURE_TEARDOWN(sysfs)
{
	dibsctl_unref(self->ctx);
	fake_sysfs_remove(self->root);
}

TEST_F(sysfs, forced_by_the_environment)
{
	EXPECT_EQ(DIBSCTL_SOURCE_SYSFS, dibsctl_get_source(self->ctx));
}

TEST_F(sysfs, lists_devices_sorted_with_name_gid_fabric_id)
{
	static const char *const names[] = { "ism0", "lo", "lo2" };
	static const uint16_t fabrics[] = { 0x0001, 0xffff, 0xffff };
	struct dibsctl_dev_list *list;
	struct dibsctl_dev *dev;
	uint8_t gid[DIBSCTL_GID_LEN];
	uint16_t fabric;
	uint32_t u32;
	bool flag;
	size_t i = 0;

	ASSERT_EQ(0, dibsctl_dev_list_new(self->ctx, &list))
		TH_LOG("%s", dibsctl_get_errmsg(self->ctx));
	EXPECT_EQ(3, dibsctl_dev_list_count(list));
	dibsctl_dev_list_foreach(dev, list) {
		ASSERT_LT(i, 3);
		EXPECT_STREQ(names[i], dibsctl_dev_get_name(dev));
		EXPECT_EQ(0, dibsctl_dev_get_gid(dev, gid));
		EXPECT_EQ(0, dibsctl_dev_get_fabric_id(dev, &fabric));
		EXPECT_EQ(fabrics[i], fabric);
		/* Upstream's sysfs has nothing else. */
		EXPECT_EQ(-ENODATA, dibsctl_dev_get_index(dev, &u32));
		EXPECT_EQ(-ENODATA, dibsctl_dev_get_type(dev, &u32));
		EXPECT_EQ(-ENODATA, dibsctl_dev_get_max_dmbs(dev, &u32));
		EXPECT_EQ(-ENODATA, dibsctl_dev_get_dmbs_in_use(dev, &u32));
		EXPECT_EQ(-ENODATA, dibsctl_dev_get_mmapped_rdmb(dev, &flag));
		i++;
	}
	dibsctl_dev_list_unref(list);
}

TEST_F(sysfs, get_by_name)
{
	uint8_t gid[DIBSCTL_GID_LEN];
	struct dibsctl_dev *dev;

	ASSERT_EQ(0, dibsctl_dev_new_from_name(self->ctx, "lo", &dev));
	ASSERT_EQ(0, dibsctl_dev_get_gid(dev, gid));
	EXPECT_EQ(0, memcmp(lo_gid, gid, sizeof(gid)));
	EXPECT_EQ(NULL, dibsctl_get_errmsg(self->ctx));
	dibsctl_dev_unref(dev);
}

TEST_F(sysfs, unknown_names_are_enodev)
{
	static const char *const names[] = { "nope", ".", "..", "a/b" };
	struct dibsctl_dev *dev = NULL;
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		EXPECT_EQ(-ENODEV, dibsctl_dev_new_from_name(self->ctx, names[i],
							     &dev))
			TH_LOG("name \"%s\"", names[i]);
		EXPECT_NE(NULL, dibsctl_get_errmsg(self->ctx));
	}
	EXPECT_EQ(NULL, dev);
}

TEST_F(sysfs, has_no_indexes_and_is_read_only)
{
	struct dibsctl_dev *dev = NULL;
	const char *msg;

	EXPECT_EQ(-EOPNOTSUPP, dibsctl_dev_new_from_index(self->ctx, 1, &dev));
	msg = dibsctl_get_errmsg(self->ctx);
	EXPECT_TRUE(msg && strstr(msg, "no device indexes")) TH_LOG("%s", msg);

	EXPECT_EQ(-EOPNOTSUPP, dibsctl_dev_add_loopback(self->ctx, "lo9", NULL, &dev));
	msg = dibsctl_get_errmsg(self->ctx);
	EXPECT_TRUE(msg && strstr(msg, "read-only")) TH_LOG("%s", msg);
	EXPECT_EQ(-EOPNOTSUPP, dibsctl_dev_del_by_name(self->ctx, "lo2", 0));
	EXPECT_EQ(-EOPNOTSUPP, dibsctl_dev_del_by_index(self->ctx, 2,
							 DIBSCTL_DEL_FORCE));
	EXPECT_EQ(NULL, dev);
}

TEST_F(sysfs, errors_clear_on_the_next_success)
{
	struct dibsctl_dev *dev;

	EXPECT_EQ(-ENODEV, dibsctl_dev_new_from_name(self->ctx, "nope", &dev));
	EXPECT_NE(NULL, dibsctl_get_errmsg(self->ctx));
	ASSERT_EQ(0, dibsctl_dev_new_from_name(self->ctx, "lo", &dev));
	EXPECT_EQ(NULL, dibsctl_get_errmsg(self->ctx));
	EXPECT_EQ(NULL, dibsctl_get_err_attr(self->ctx));
	dibsctl_dev_unref(dev);
}

TEST_F(sysfs, missing_attribute_files_are_absent_attributes)
{
	struct dibsctl_dev *dev;
	uint8_t gid[DIBSCTL_GID_LEN];
	uint16_t fabric;

	ASSERT_EQ(0, fake_sysfs_add(self->root, "bare", NULL, NULL));
	ASSERT_EQ(0, dibsctl_dev_new_from_name(self->ctx, "bare", &dev));
	EXPECT_EQ(-ENODATA, dibsctl_dev_get_gid(dev, gid));
	EXPECT_EQ(-ENODATA, dibsctl_dev_get_fabric_id(dev, &fabric));
	dibsctl_dev_unref(dev);
}

TEST_F(sysfs, malformed_files_are_ebadmsg_naming_the_file)
{
	static const struct {
		const char *gid, *fabric_id, *file;
	} bad[] = {
		{ "not-a-uuid\n", "0xffff\n", "gid" },
		{ LO_GID, "ffff\n", "fabric_id" },
		{ LO_GID, "0x\n", "fabric_id" },
		{ LO_GID, "0x10000\n", "fabric_id" },
		{ LO_GID, "0x-1\n", "fabric_id" },
		{ LO_GID, "0xffff junk\n", "fabric_id" },
	};
	struct dibsctl_dev_list *list = NULL;
	struct dibsctl_dev *dev = NULL;
	char name[16];
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		const char *msg;

		snprintf(name, sizeof(name), "bad%zu", i);
		ASSERT_EQ(0, fake_sysfs_add(self->root, name, bad[i].gid,
					    bad[i].fabric_id));
		EXPECT_EQ(-EBADMSG, dibsctl_dev_new_from_name(self->ctx, name,
							      &dev))
			TH_LOG("case %zu", i);
		msg = dibsctl_get_errmsg(self->ctx);
		EXPECT_TRUE(msg && strstr(msg, name) && strstr(msg, bad[i].file))
			TH_LOG("case %zu: %s", i, msg);
	}
	/* One bad entry fails the whole listing rather than hiding it. */
	EXPECT_EQ(-EBADMSG, dibsctl_dev_list_new(self->ctx, &list));
	EXPECT_EQ(NULL, list);
	EXPECT_EQ(NULL, dev);
}

TEST(sysfs_forced_without_the_class_directory)
{
	struct dibsctl_dev_list *list = NULL;
	struct dibsctl *ctx;
	const char *msg;

	ASSERT_EQ(0, fake_sysfs_context("/nonexistent/class/dibs", &ctx));
	EXPECT_EQ(-ENODEV, dibsctl_dev_list_new(ctx, &list));
	msg = dibsctl_get_errmsg(ctx);
	EXPECT_TRUE(msg && strstr(msg, "dibs module not loaded")) TH_LOG("%s", msg);
	EXPECT_EQ(-ENODEV, dibsctl_get_source(ctx));
	EXPECT_EQ(NULL, list);
	dibsctl_unref(ctx);
}

/*
 * Without DIBSCTL_SYSFS the fallback is automatic when the kernel has no
 * "dibs" family (as this host's, which cannot load our module).
 */
TEST(sysfs_fallback_when_the_family_is_missing)
{
	char *root = fake_sysfs_new();
	struct dibsctl_dev_list *list;
	struct dibsctl *ctx;
	const char *msg;
	int source;

	ASSERT_NE(NULL, root);
	ASSERT_EQ(0, fake_sysfs_add(root, "lo", LO_GID "\n", "0xffff\n"));
	ASSERT_EQ(0, unsetenv("DIBSCTL_SYSFS"));
	ASSERT_EQ(0, dibsctl_new(&ctx));
	dibsctl_set_sysfs_dir(ctx, root);
	source = dibsctl_get_source(ctx);
	if (source == DIBSCTL_SOURCE_NETLINK || source < 0) {
		TH_LOG("source %d: %s", source, dibsctl_get_errmsg(ctx));
		dibsctl_unref(ctx);
		fake_sysfs_remove(root);
		SKIP(return, "a \"dibs\" family exists, or no generic netlink here");
	}
	EXPECT_EQ(DIBSCTL_SOURCE_SYSFS, source)
		TH_LOG("source %d: %s", source, dibsctl_get_errmsg(ctx));
	ASSERT_EQ(0, dibsctl_dev_list_new(ctx, &list));
	EXPECT_EQ(1, dibsctl_dev_list_count(list));
	dibsctl_dev_list_unref(list);
	EXPECT_EQ(-EOPNOTSUPP, dibsctl_dev_add_loopback(ctx, NULL, NULL, NULL));
	msg = dibsctl_get_errmsg(ctx);
	EXPECT_TRUE(msg && strstr(msg, "no \"dibs\" generic netlink family"))
		TH_LOG("%s", msg);
	dibsctl_unref(ctx);
	fake_sysfs_remove(root);
}

TEST(neither_family_nor_sysfs_is_module_not_loaded)
{
	struct dibsctl_dev *dev = NULL;
	struct dibsctl *ctx;
	const char *msg;
	int err;

	ASSERT_EQ(0, unsetenv("DIBSCTL_SYSFS"));
	ASSERT_EQ(0, dibsctl_new(&ctx));
	dibsctl_set_sysfs_dir(ctx, "/nonexistent/class/dibs");
	err = dibsctl_dev_new_from_name(ctx, "lo", &dev);
	if (ctx->source == DIBSCTL_SOURCE_NETLINK) {
		dibsctl_dev_unref(dev);
		dibsctl_unref(ctx);
		SKIP(return, "this kernel has a \"dibs\" generic netlink family");
	}
	EXPECT_EQ(-ENODEV, err);
	msg = dibsctl_get_errmsg(ctx);
	EXPECT_TRUE(msg && strstr(msg, "dibs module not loaded")) TH_LOG("%s", msg);
	/* Nothing is decided: a module loaded later would be found. */
	EXPECT_EQ(0, ctx->source);
	EXPECT_EQ(NULL, ctx->sock);
	dibsctl_unref(ctx);
}

TEST_HARNESS_MAIN
