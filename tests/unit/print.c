// SPDX-License-Identifier: GPL-2.0-only
/*
 * dibsctl's printers, fed with devices parsed from hand-made netlink
 * replies: the plain-text lines, and JSON parsed back with json-c.
 */
#include <stdlib.h>
#include <string.h>

#include "kselftest_harness.h"
#include "unit-util.h"

#define LO_GID "6f1c2f1e-9d3a-4b55-8c1a-0e2f3a4b5c6d"

static const struct print_opts plain = { .format = OUTPUT_PLAIN };
static const struct print_opts plain_details = {
	.format = OUTPUT_PLAIN, .details = true,
};
static const struct print_opts json = { .format = OUTPUT_JSON };
static const struct print_opts json_details = {
	.format = OUTPUT_JSON, .details = true,
};
static const struct print_opts pretty = { .format = OUTPUT_JSON_PRETTY };

FIXTURE(dev) {
	struct dibsctl_dev *lo;
};

FIXTURE_SETUP(dev)
{
	struct fake_dev f;

	fake_dev_lo(&f);
	ASSERT_EQ(0, fake_dev_new(&f, &self->lo));
}

FIXTURE_TEARDOWN(dev)
{
	dibsctl_dev_unref(self->lo);
}

TEST_F(dev, plain_line)
{
	char *text = print_to_string(print_dev_object, &plain, self->lo);

	ASSERT_NE(NULL, text);
	EXPECT_STREQ("1: lo: type loopback fabric_id 0xffff gid " LO_GID "\n",
		     text);
	free(text);
}

TEST_F(dev, plain_details_line)
{
	char *text = print_to_string(print_dev_object, &plain_details, self->lo);

	ASSERT_NE(NULL, text);
	EXPECT_STREQ("1: lo: type loopback fabric_id 0xffff gid " LO_GID "\n"
		     "    max_dmbs 5000 dmbs_in_use 0 mmapped_rdmb yes\n", text);
	free(text);
}

/* Parses @text as JSON; the caller puts the result. */
static json_object *parse_json(const char *text)
{
	enum json_tokener_error jerr;
	json_object *obj = json_tokener_parse_verbose(text, &jerr);

	return jerr == json_tokener_success ? obj : NULL;
}

static bool json_key_is_int(json_object *obj, const char *key, int64_t val)
{
	json_object *v;

	return json_object_object_get_ex(obj, key, &v) &&
	       json_object_is_type(v, json_type_int) &&
	       json_object_get_int64(v) == val;
}

static bool json_key_is_string(json_object *obj, const char *key,
			       const char *val)
{
	json_object *v;

	return json_object_object_get_ex(obj, key, &v) &&
	       json_object_is_type(v, json_type_string) &&
	       strcmp(json_object_get_string(v), val) == 0;
}

static bool json_key_is_bool(json_object *obj, const char *key, bool val)
{
	json_object *v;

	return json_object_object_get_ex(obj, key, &v) &&
	       json_object_is_type(v, json_type_boolean) &&
	       json_object_get_boolean(v) == val;
}

TEST_F(dev, json_object_has_every_field_with_its_type)
{
	char *text = print_to_string(print_dev_object, &json, self->lo);
	json_object *obj;

	ASSERT_NE(NULL, text);
	obj = parse_json(text);
	ASSERT_NE(NULL, obj) TH_LOG("not JSON: %s", text);
	ASSERT_TRUE(json_object_is_type(obj, json_type_object));
	EXPECT_EQ(8, json_object_object_length(obj)) TH_LOG("%s", text);
	EXPECT_TRUE(json_key_is_int(obj, "index", 1)) TH_LOG("%s", text);
	EXPECT_TRUE(json_key_is_string(obj, "name", "lo")) TH_LOG("%s", text);
	EXPECT_TRUE(json_key_is_string(obj, "type", "loopback")) TH_LOG("%s", text);
	EXPECT_TRUE(json_key_is_string(obj, "gid", LO_GID)) TH_LOG("%s", text);
	EXPECT_TRUE(json_key_is_int(obj, "fabric_id", 0xffff)) TH_LOG("%s", text);
	EXPECT_TRUE(json_key_is_int(obj, "max_dmbs", 5000)) TH_LOG("%s", text);
	EXPECT_TRUE(json_key_is_int(obj, "dmbs_in_use", 0)) TH_LOG("%s", text);
	EXPECT_TRUE(json_key_is_bool(obj, "mmapped_rdmb", true)) TH_LOG("%s", text);
	/* One line, one document. */
	EXPECT_EQ(strlen(text) - 1, strcspn(text, "\n"));
	json_object_put(obj);
	free(text);
}

TEST_F(dev, json_ignores_details_flag)
{
	char *a = print_to_string(print_dev_object, &json, self->lo);
	char *b = print_to_string(print_dev_object, &json_details, self->lo);

	ASSERT_NE(NULL, a);
	ASSERT_NE(NULL, b);
	EXPECT_STREQ(a, b);
	free(a);
	free(b);
}

TEST_F(dev, pretty_json_is_the_same_document)
{
	char *flat = print_to_string(print_dev_object, &json, self->lo);
	char *nice = print_to_string(print_dev_object, &pretty, self->lo);
	json_object *a, *b;

	ASSERT_NE(NULL, flat);
	ASSERT_NE(NULL, nice);
	a = parse_json(flat);
	b = parse_json(nice);
	ASSERT_NE(NULL, a);
	ASSERT_NE(NULL, b) TH_LOG("not JSON: %s", nice);
	EXPECT_TRUE(json_object_equal(a, b));
	/* Pretty means more than one line. */
	EXPECT_LT(strcspn(nice, "\n"), strlen(nice) - 1);
	json_object_put(a);
	json_object_put(b);
	free(flat);
	free(nice);
}

TEST_F(dev, show_prints_an_array_even_for_one_device)
{
	char *text = print_list_to_string(&json, &self->lo, 1);
	json_object *arr, *elem, *single;
	char *obj_text;

	ASSERT_NE(NULL, text);
	arr = parse_json(text);
	ASSERT_NE(NULL, arr);
	ASSERT_TRUE(json_object_is_type(arr, json_type_array)) TH_LOG("%s", text);
	ASSERT_EQ(1, json_object_array_length(arr));
	elem = json_object_array_get_idx(arr, 0);

	/* The element is exactly what add -j prints for the device. */
	obj_text = print_to_string(print_dev_object, &json, self->lo);
	single = parse_json(obj_text);
	ASSERT_NE(NULL, single);
	EXPECT_TRUE(json_object_equal(single, elem));
	json_object_put(single);
	json_object_put(arr);
	free(obj_text);
	free(text);
}

TEST(empty_list)
{
	char *text = print_list_to_string(&json, NULL, 0);

	ASSERT_NE(NULL, text);
	EXPECT_STREQ("[]\n", text);
	free(text);
	text = print_list_to_string(&plain, NULL, 0);
	ASSERT_NE(NULL, text);
	EXPECT_STREQ("", text);
	free(text);
}

TEST(two_devices_in_order)
{
	struct dibsctl_dev *devs[2];
	struct fake_dev f;
	json_object *arr;
	char *text;

	fake_dev_lo(&f);
	ASSERT_EQ(0, fake_dev_new(&f, &devs[0]));
	f.index = 4;
	f.name = "lo7";
	f.gid[15] = 0x00;
	f.dmbs_in_use = 12;
	f.mmapped_rdmb = false;
	ASSERT_EQ(0, fake_dev_new(&f, &devs[1]));

	text = print_list_to_string(&plain_details, devs, 2);
	ASSERT_NE(NULL, text);
	EXPECT_STREQ("1: lo: type loopback fabric_id 0xffff gid " LO_GID "\n"
		     "    max_dmbs 5000 dmbs_in_use 0 mmapped_rdmb yes\n"
		     "4: lo7: type loopback fabric_id 0xffff gid 6f1c2f1e-9d3a-4b55-8c1a-0e2f3a4b5c00\n"
		     "    max_dmbs 5000 dmbs_in_use 12 mmapped_rdmb no\n", text);
	free(text);

	text = print_list_to_string(&json, devs, 2);
	ASSERT_NE(NULL, text);
	arr = parse_json(text);
	ASSERT_NE(NULL, arr);
	ASSERT_EQ(2, json_object_array_length(arr));
	EXPECT_TRUE(json_key_is_string(json_object_array_get_idx(arr, 0), "name", "lo"));
	EXPECT_TRUE(json_key_is_string(json_object_array_get_idx(arr, 1), "name", "lo7"));
	EXPECT_TRUE(json_key_is_int(json_object_array_get_idx(arr, 1), "index", 4));
	EXPECT_TRUE(json_key_is_int(json_object_array_get_idx(arr, 1), "dmbs_in_use", 12));
	/* A netlink reply without the flag means false, not absent. */
	EXPECT_TRUE(json_key_is_bool(json_object_array_get_idx(arr, 1),
				     "mmapped_rdmb", false)) TH_LOG("%s", text);
	json_object_put(arr);
	free(text);
	dibsctl_dev_unref(devs[0]);
	dibsctl_dev_unref(devs[1]);
}

TEST(reply_without_optional_attributes)
{
	struct dibsctl_dev *dev;
	struct fake_dev f;
	json_object *obj;
	char *text;

	fake_dev_lo(&f);
	f.has_index = false;
	f.has_type = false;
	f.has_max_dmbs = false;
	f.has_dmbs_in_use = false;
	ASSERT_EQ(0, fake_dev_new(&f, &dev));

	text = print_to_string(print_dev_object, &plain_details, dev);
	ASSERT_NE(NULL, text);
	EXPECT_STREQ("lo: fabric_id 0xffff gid " LO_GID
		     "\n    mmapped_rdmb yes\n", text);
	free(text);

	text = print_to_string(print_dev_object, &json, dev);
	ASSERT_NE(NULL, text);
	EXPECT_EQ(NULL, strstr(text, "null")) TH_LOG("%s", text);
	obj = parse_json(text);
	ASSERT_NE(NULL, obj);
	EXPECT_EQ(4, json_object_object_length(obj)) TH_LOG("%s", text);
	EXPECT_FALSE(json_object_object_get_ex(obj, "index", NULL));
	EXPECT_FALSE(json_object_object_get_ex(obj, "type", NULL));
	EXPECT_FALSE(json_object_object_get_ex(obj, "max_dmbs", NULL));
	EXPECT_FALSE(json_object_object_get_ex(obj, "dmbs_in_use", NULL));
	EXPECT_TRUE(json_key_is_bool(obj, "mmapped_rdmb", true));
	json_object_put(obj);
	free(text);
	dibsctl_dev_unref(dev);
}

/* The sysfs fallback knows name, gid and fabric id, nothing else. */
TEST(sysfs_device_prints_only_what_sysfs_has)
{
	char *root = fake_sysfs_new();
	struct dibsctl_dev *dev;
	struct dibsctl *ctx;
	json_object *obj;
	char *text;

	ASSERT_NE(NULL, root);
	ASSERT_EQ(0, fake_sysfs_add(root, "lo", LO_GID "\n", "0xffff\n"));
	ASSERT_EQ(0, fake_sysfs_context(root, &ctx));
	ASSERT_EQ(0, dibsctl_dev_new_from_name(ctx, "lo", &dev));

	text = print_to_string(print_dev_object, &plain_details, dev);
	ASSERT_NE(NULL, text);
	EXPECT_STREQ("lo: fabric_id 0xffff gid " LO_GID "\n", text);
	free(text);

	text = print_to_string(print_dev_object, &json, dev);
	ASSERT_NE(NULL, text);
	obj = parse_json(text);
	ASSERT_NE(NULL, obj);
	EXPECT_EQ(3, json_object_object_length(obj)) TH_LOG("%s", text);
	EXPECT_TRUE(json_key_is_string(obj, "name", "lo"));
	EXPECT_TRUE(json_key_is_string(obj, "gid", LO_GID));
	EXPECT_TRUE(json_key_is_int(obj, "fabric_id", 0xffff));
	json_object_put(obj);
	free(text);
	dibsctl_dev_unref(dev);
	dibsctl_unref(ctx);
	fake_sysfs_remove(root);
}

TEST(fabric_id_is_hex_in_plain_and_a_number_in_json)
{
	struct dibsctl_dev *dev;
	struct fake_dev f;
	json_object *obj;
	char *text;

	fake_dev_lo(&f);
	f.type = DIBSCTL_DEV_TYPE_OTHER;
	f.fabric_id = 0x00a1;
	ASSERT_EQ(0, fake_dev_new(&f, &dev));
	text = print_to_string(print_dev_object, &plain, dev);
	ASSERT_NE(NULL, text);
	EXPECT_STREQ("1: lo: type other fabric_id 0x00a1 gid " LO_GID "\n", text);
	free(text);

	text = print_to_string(print_dev_object, &json, dev);
	obj = parse_json(text);
	ASSERT_NE(NULL, obj);
	EXPECT_TRUE(json_key_is_int(obj, "fabric_id", 0xa1)) TH_LOG("%s", text);
	EXPECT_TRUE(json_key_is_string(obj, "type", "other")) TH_LOG("%s", text);
	json_object_put(obj);
	free(text);
	dibsctl_dev_unref(dev);
}

TEST(unknown_type_prints_its_number)
{
	struct dibsctl_dev *dev;
	struct fake_dev f;
	json_object *obj;
	char *text;

	fake_dev_lo(&f);
	f.type = 7;
	ASSERT_EQ(0, fake_dev_new(&f, &dev));
	text = print_to_string(print_dev_object, &plain, dev);
	ASSERT_NE(NULL, text);
	EXPECT_STREQ("1: lo: type 7 fabric_id 0xffff gid " LO_GID "\n", text);
	free(text);
	text = print_to_string(print_dev_object, &json, dev);
	obj = parse_json(text);
	ASSERT_NE(NULL, obj);
	EXPECT_TRUE(json_key_is_string(obj, "type", "7")) TH_LOG("%s", text);
	json_object_put(obj);
	free(text);
	dibsctl_dev_unref(dev);
}

TEST(largest_values)
{
	struct dibsctl_dev *dev;
	struct fake_dev f;
	json_object *obj;
	char *text;

	fake_dev_lo(&f);
	f.index = UINT32_MAX;
	f.max_dmbs = UINT32_MAX;
	f.dmbs_in_use = UINT32_MAX;
	f.fabric_id = 0;
	ASSERT_EQ(0, fake_dev_new(&f, &dev));
	text = print_to_string(print_dev_object, &plain_details, dev);
	ASSERT_NE(NULL, text);
	EXPECT_STREQ("4294967295: lo: type loopback fabric_id 0x0000 gid " LO_GID "\n"
		     "    max_dmbs 4294967295 dmbs_in_use 4294967295 mmapped_rdmb yes\n",
		     text);
	free(text);
	text = print_to_string(print_dev_object, &json, dev);
	obj = parse_json(text);
	ASSERT_NE(NULL, obj);
	EXPECT_TRUE(json_key_is_int(obj, "index", UINT32_MAX)) TH_LOG("%s", text);
	EXPECT_TRUE(json_key_is_int(obj, "max_dmbs", UINT32_MAX)) TH_LOG("%s", text);
	EXPECT_TRUE(json_key_is_int(obj, "fabric_id", 0)) TH_LOG("%s", text);
	json_object_put(obj);
	free(text);
	dibsctl_dev_unref(dev);
}

TEST_HARNESS_MAIN
