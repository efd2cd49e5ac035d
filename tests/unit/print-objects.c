// SPDX-License-Identifier: GPL-2.0-only
/*
 * dibsctl's printers of clients, DMBs, GIDs, VLANs, statistics and
 * events, fed with objects parsed from hand-made netlink messages: the
 * plain-text lines exactly, and JSON parsed back with json-c.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "kselftest_harness.h"
#include "dibs-nl-gen.h"
#include "fake-objects.h"
#include "libdibsctl-private.h"

static const struct print_opts plain = { .format = OUTPUT_PLAIN };
static const struct print_opts plain_details = {
	.format = OUTPUT_PLAIN, .details = true,
};
static const struct print_opts json = { .format = OUTPUT_JSON };
static const struct print_opts pretty = { .format = OUTPUT_JSON_PRETTY };

/* Parses @text as a JSON array of @n objects and returns element @i. */
static json_object *array_item(json_object *doc, size_t n, size_t i)
{
	if (!doc || !json_object_is_type(doc, json_type_array) ||
	    json_object_array_length(doc) != n)
		return NULL;
	return json_object_array_get_idx(doc, i);
}

static const char *json_str(json_object *obj, const char *key)
{
	json_object *val;

	if (!json_object_object_get_ex(obj, key, &val) ||
	    !json_object_is_type(val, json_type_string))
		return NULL;
	return json_object_get_string(val);
}

static int64_t json_int(json_object *obj, const char *key)
{
	json_object *val;

	if (!json_object_object_get_ex(obj, key, &val) ||
	    !json_object_is_type(val, json_type_int))
		return -1;
	return json_object_get_int64(val);
}

static bool json_has(json_object *obj, const char *key)
{
	return json_object_object_get_ex(obj, key, NULL);
}

TEST(client_plain_and_details)
{
	struct dibsctl_client *c[2] = { fake_client(), fake_client_unbound() };
	char *text;

	CAPTURE(text, print_client_list(&plain, out, c, 2));
	ASSERT_NE(NULL, text);
	EXPECT_STREQ("0: dibs_user: dmbs 3 devices lo,lo3\n"
		     "1: dibs_test_client: dmbs 0 devices none\n", text);
	free(text);

	CAPTURE(text, print_client_list(&plain_details, out, c, 1));
	ASSERT_NE(NULL, text);
	EXPECT_STREQ("0: dibs_user: dmbs 3 devices lo,lo3\n"
		     "    dev lo index 1 dmbs 2\n"
		     "    dev lo3 index 5 dmbs 1\n", text);
	free(text);
	dibsctl_client_unref(c[0]);
	dibsctl_client_unref(c[1]);
}

TEST(client_json_has_devices_array)
{
	struct dibsctl_client *c = fake_client();
	json_object *doc, *obj, *devs;
	char *text;

	CAPTURE(text, print_client_list(&json, out, &c, 1));
	ASSERT_NE(NULL, text);
	EXPECT_STREQ("[{\"id\":0,\"name\":\"dibs_user\",\"dmbs\":3,"
		     "\"devices\":[\"lo\",\"lo3\"]}]\n", text);
	doc = json_tokener_parse(text);
	obj = array_item(doc, 1, 0);
	ASSERT_NE(NULL, obj);
	ASSERT_TRUE(json_object_object_get_ex(obj, "devices", &devs));
	EXPECT_EQ(2, json_object_array_length(devs));
	json_object_put(doc);
	free(text);
	dibsctl_client_unref(c);
}

TEST(dev_lists_its_clients)
{
	struct dibsctl_dev *dev = fake_dev_with_clients();
	json_object *doc, *obj, *clients;
	char *text;

	CAPTURE(text, print_dev_list(&plain_details, out, &dev, 1));
	ASSERT_NE(NULL, text);
	EXPECT_STREQ("1: lo: type loopback fabric_id 0xffff gid " FAKE_GID_TEXT "\n"
		     "    max_dmbs 5000 dmbs_in_use 2 mmapped_rdmb yes clients dibs_user,dibs_test_client\n",
		     text);
	free(text);

	CAPTURE(text, print_dev_list(&json, out, &dev, 1));
	ASSERT_NE(NULL, text);
	doc = json_tokener_parse(text);
	obj = array_item(doc, 1, 0);
	ASSERT_NE(NULL, obj);
	ASSERT_TRUE(json_object_object_get_ex(obj, "clients", &clients));
	ASSERT_TRUE(json_object_is_type(clients, json_type_array));
	EXPECT_STREQ("dibs_test_client",
		     json_object_get_string(json_object_array_get_idx(clients, 1)));
	json_object_put(doc);
	free(text);
	dibsctl_dev_unref(dev);
}

TEST(dev_with_stats)
{
	struct dibsctl_dev *dev = fake_dev_with_clients();
	struct dibsctl_stats *stats = fake_stats_dev();
	json_object *doc, *obj;
	char *text;

	CAPTURE(text, print_dev_list_stats(&plain, out, &dev, &stats, 1));
	ASSERT_NE(NULL, text);
	EXPECT_STREQ("1: lo: type loopback fabric_id 0xffff gid " FAKE_GID_TEXT "\n"
		     "    dmbs_in_use 1 dmbs_max_in_use 2 dmb_registrations 3 dmb_unregistrations 4\n"
		     "    dmb_fail_nospc 5 dmb_fail_nomem 6 dmb_fail_other 7\n"
		     "    moves 8 move_bytes 9 move_errors 10 signals 11 events 12\n",
		     text);
	free(text);

	CAPTURE(text, print_dev_list_stats(&json, out, &dev, &stats, 1));
	ASSERT_NE(NULL, text);
	doc = json_tokener_parse(text);
	obj = array_item(doc, 1, 0);
	ASSERT_NE(NULL, obj);
	/* The device's own dmbs_in_use wins over the counter's. */
	EXPECT_EQ(2, json_int(obj, "dmbs_in_use"));
	EXPECT_EQ(1, json_int(obj, "index"));
	EXPECT_EQ(9, json_int(obj, "move_bytes"));
	EXPECT_EQ(12, json_int(obj, "events"));
	EXPECT_EQ(2, json_int(obj, "dmbs_max_in_use"));
	json_object_put(doc);
	free(text);
	dibsctl_stats_unref(stats);
	dibsctl_dev_unref(dev);
}

TEST(dmb_plain_with_token_vlan_and_details)
{
	struct dibsctl_dmb *dmb = fake_dmb(true, true, true);
	char *text;

	CAPTURE(text, print_dmb_list(&plain, out, &dmb, 1));
	ASSERT_NE(NULL, text);
	EXPECT_STREQ("lo idx 3 len 8192 client dibs_user rgid " FAKE_RGID_TEXT
		     " vlan 5 token 0xfedcba9876543210\n", text);
	free(text);

	CAPTURE(text, print_dmb_list(&plain_details, out, &dmb, 1));
	ASSERT_NE(NULL, text);
	EXPECT_STREQ("lo idx 3 len 8192 client dibs_user rgid " FAKE_RGID_TEXT
		     " vlan 5 token 0xfedcba9876543210\n"
		     "    attached yes bytes 1099511627776 moves 12 signals 4\n",
		     text);
	free(text);
	dibsctl_dmb_unref(dmb);
}

TEST(dmb_json_token_is_a_hex_string)
{
	struct dibsctl_dmb *dmb = fake_dmb(true, false, false);
	json_object *doc, *obj;
	char *text;

	CAPTURE(text, print_dmb_list(&json, out, &dmb, 1));
	ASSERT_NE(NULL, text);
	doc = json_tokener_parse(text);
	obj = array_item(doc, 1, 0);
	ASSERT_NE(NULL, obj);
	EXPECT_STREQ("0xfedcba9876543210", json_str(obj, "token"));
	EXPECT_STREQ(FAKE_RGID_TEXT, json_str(obj, "rgid"));
	EXPECT_STREQ("lo", json_str(obj, "dev_name"));
	EXPECT_STREQ("dibs_user", json_str(obj, "client_name"));
	EXPECT_EQ(1, json_int(obj, "dev_index"));
	EXPECT_EQ(0, json_int(obj, "client_id"));
	EXPECT_EQ(1LL << 40, json_int(obj, "bytes"));
	EXPECT_FALSE(json_has(obj, "vlan_id"));
	json_object_put(doc);
	free(text);
	dibsctl_dmb_unref(dmb);
}

TEST(dmb_without_token_has_no_token_key)
{
	struct dibsctl_dmb *dmb = fake_dmb(false, false, false);
	json_object *doc;
	char *text;

	CAPTURE(text, print_dmb_list(&json, out, &dmb, 1));
	ASSERT_NE(NULL, text);
	doc = json_tokener_parse(text);
	ASSERT_NE(NULL, array_item(doc, 1, 0));
	EXPECT_FALSE(json_has(array_item(doc, 1, 0), "token"));
	json_object_put(doc);
	free(text);

	CAPTURE(text, print_dmb_list(&plain, out, &dmb, 1));
	ASSERT_NE(NULL, text);
	EXPECT_EQ(NULL, strstr(text, "token"));
	free(text);
	dibsctl_dmb_unref(dmb);
}

TEST(gid_lines)
{
	struct dibsctl_gid *g[2] = { fake_gid_local(), fake_gid_peer() };
	json_object *doc;
	char *text;

	CAPTURE(text, print_gid_list(&plain, out, g, 2));
	ASSERT_NE(NULL, text);
	EXPECT_STREQ("lo local " FAKE_GID_TEXT " fabric_id 0xffff\n"
		     "lo peer " FAKE_RGID_TEXT " dmbs 2\n", text);
	free(text);

	CAPTURE(text, print_gid_list(&json, out, g, 2));
	ASSERT_NE(NULL, text);
	EXPECT_STREQ("[{\"dev_index\":1,\"dev_name\":\"lo\",\"role\":\"local\","
		     "\"gid\":\"" FAKE_GID_TEXT "\",\"fabric_id\":65535},"
		     "{\"dev_index\":1,\"dev_name\":\"lo\",\"role\":\"peer\","
		     "\"gid\":\"" FAKE_RGID_TEXT "\",\"dmbs\":2}]\n", text);
	doc = json_tokener_parse(text);
	EXPECT_NE(NULL, array_item(doc, 2, 1));
	json_object_put(doc);
	free(text);
	dibsctl_gid_unref(g[0]);
	dibsctl_gid_unref(g[1]);
}

TEST(gid_check_result)
{
	struct gid_check_result r = { .dev = "lo", .vlan_id = DIBSCTL_NO_VLAN,
				      .reachable = true };
	char *text;

	memcpy(r.gid, fake_rgid, sizeof(r.gid));
	CAPTURE(text, print_gid_check(&plain, out, &r));
	ASSERT_NE(NULL, text);
	EXPECT_STREQ("lo " FAKE_RGID_TEXT " reachable yes\n", text);
	free(text);

	r.vlan_id = 7;
	r.reachable = false;
	CAPTURE(text, print_gid_check(&json, out, &r));
	ASSERT_NE(NULL, text);
	EXPECT_STREQ("{\"dev_name\":\"lo\",\"gid\":\"" FAKE_RGID_TEXT
		     "\",\"vlan_id\":7,\"reachable\":false}\n", text);
	free(text);
}

TEST(vlan_lines)
{
	struct dibsctl_vlan *v[2] = { fake_vlan(false), fake_vlan(true) };
	char *text;

	CAPTURE(text, print_vlan_list(&plain, out, v, 2));
	ASSERT_NE(NULL, text);
	EXPECT_STREQ("lo vlan 5 refs 1\n"
		     "lo vlan 5 client dibs_user refs 2\n", text);
	free(text);

	CAPTURE(text, print_vlan_list(&json, out, v, 2));
	ASSERT_NE(NULL, text);
	EXPECT_STREQ("[{\"dev_index\":1,\"dev_name\":\"lo\",\"id\":5,\"refs\":1},"
		     "{\"dev_index\":1,\"dev_name\":\"lo\",\"id\":5,"
		     "\"client_id\":0,\"client_name\":\"dibs_user\",\"refs\":2}]\n",
		     text);
	free(text);
	dibsctl_vlan_unref(v[0]);
	dibsctl_vlan_unref(v[1]);
}

TEST(stats_of_device_and_client)
{
	struct dibsctl_stats *s[2] = { fake_stats_dev(), fake_stats_client() };
	json_object *doc, *obj;
	char *text;

	CAPTURE(text, print_stats_list(&plain, out, s, 2));
	ASSERT_NE(NULL, text);
	EXPECT_STREQ("dev lo\n"
		     "    dmbs_in_use 1 dmbs_max_in_use 2 dmb_registrations 3 dmb_unregistrations 4\n"
		     "    dmb_fail_nospc 5 dmb_fail_nomem 6 dmb_fail_other 7\n"
		     "    moves 8 move_bytes 9 move_errors 10 signals 11 events 12\n"
		     "client dibs_user\n"
		     "    dmbs_in_use 1 dmbs_max_in_use 2 dmb_registrations 3 dmb_unregistrations 4\n"
		     "    dmb_fail_nospc 5 dmb_fail_nomem 6 dmb_fail_other 7\n"
		     "    moves 8 move_bytes 9 move_errors 10 signals 11 events 12\n",
		     text);
	free(text);

	CAPTURE(text, print_stats_list(&pretty, out, s, 2));
	ASSERT_NE(NULL, text);
	doc = json_tokener_parse(text);
	obj = array_item(doc, 2, 1);
	ASSERT_NE(NULL, obj);
	EXPECT_STREQ("dibs_user", json_str(obj, "client_name"));
	EXPECT_EQ(0, json_int(obj, "client_id"));
	EXPECT_FALSE(json_has(obj, "dev_name"));
	EXPECT_EQ(10, json_int(obj, "move_errors"));
	EXPECT_EQ(3, json_int(obj, "dmb_registrations"));
	obj = array_item(doc, 2, 0);
	EXPECT_STREQ("lo", json_str(obj, "dev_name"));
	EXPECT_FALSE(json_has(obj, "client_id"));
	json_object_put(doc);
	free(text);
	dibsctl_stats_unref(s[0]);
	dibsctl_stats_unref(s[1]);
}

static const struct {
	int type;
	const char *plain;
	const char *json;
} event_cases[] = {
	/* notifications carry no bindings (family version 2) */
	{ DIBSCTL_EVENT_DEV_NEW,
	  "dev new lo index 1 type loopback fabric_id 0xffff gid " FAKE_GID_TEXT
	  " max_dmbs 5000 dmbs_in_use 2 mmapped_rdmb yes\n",
	  "{\"event\":\"dev-new\",\"index\":1,\"name\":\"lo\",\"type\":\"loopback\","
	  "\"fabric_id\":65535,\"gid\":\"" FAKE_GID_TEXT "\",\"max_dmbs\":5000,"
	  "\"dmbs_in_use\":2,\"mmapped_rdmb\":true}\n" },
	{ DIBSCTL_EVENT_DEV_DEL, "dev del lo index 1 ", "{\"event\":\"dev-del\"," },
	{ DIBSCTL_EVENT_CLIENT_NEW,
	  "client new dibs_user id 0 dmbs 3\n",
	  "{\"event\":\"client-new\",\"id\":0,\"name\":\"dibs_user\",\"dmbs\":3}\n" },
	{ DIBSCTL_EVENT_CLIENT_DEL, "client del dibs_user id 0",
	  "{\"event\":\"client-del\",\"id\":0," },
	{ DIBSCTL_EVENT_CLIENT_BIND, "client bind dibs_user dev lo3 id 0\n",
	  "{\"event\":\"client-bind\",\"id\":0,\"name\":\"dibs_user\","
	  "\"dev_index\":5,\"dev_name\":\"lo3\"}\n" },
	{ DIBSCTL_EVENT_CLIENT_UNBIND, "client unbind dibs_user dev lo3 id 0\n",
	  "{\"event\":\"client-unbind\",\"id\":0,\"name\":\"dibs_user\","
	  "\"dev_index\":5,\"dev_name\":\"lo3\"}\n" },
	{ DIBSCTL_EVENT_DMB_NEW,
	  "dmb new lo idx 3 len 8192 client dibs_user rgid " FAKE_RGID_TEXT
	  "\n",
	  "{\"event\":\"dmb-new\",\"dev_index\":1,\"dev_name\":\"lo\",\"idx\":3,"
	  "\"len\":8192,\"client_id\":0,\"client_name\":\"dibs_user\","
	  "\"rgid\":\"" FAKE_RGID_TEXT "\"}\n" },
	{ DIBSCTL_EVENT_DMB_DEL,
	  "dmb del lo idx 3 len 8192 client dibs_user rgid " FAKE_RGID_TEXT
	  " vlan 5 bytes 1099511627776 moves 12 signals 4\n",
	  "{\"event\":\"dmb-del\",\"dev_index\":1,\"dev_name\":\"lo\",\"idx\":3,"
	  "\"len\":8192,\"client_id\":0,\"client_name\":\"dibs_user\","
	  "\"rgid\":\"" FAKE_RGID_TEXT "\",\"vlan_id\":5,"
	  "\"bytes\":1099511627776,\"moves\":12,\"signals\":4}\n" },
};

/* Expected texts ending in "\n" are whole lines, others prefixes. */
static bool matches(const char *expected, const char *text)
{
	size_t len = strlen(expected);

	if (len && expected[len - 1] == '\n')
		return strcmp(expected, text) == 0;
	return strncmp(expected, text, len) == 0;
}

TEST(events_one_line_each)
{
	size_t i;

	for (i = 0; i < sizeof(event_cases) / sizeof(event_cases[0]); i++) {
		struct dibsctl_event *event = fake_event(event_cases[i].type);
		char *text;

		CAPTURE(text, print_event(&plain, out, event));
		ASSERT_NE(NULL, text);
		EXPECT_TRUE(matches(event_cases[i].plain, text))
			TH_LOG("plain: expected \"%s\", got \"%s\"",
			       event_cases[i].plain, text);
		EXPECT_EQ(1, (int)(strchr(text, '\n') - text + 1 == (long)strlen(text)));
		free(text);

		/* -p too prints one line per event. */
		CAPTURE(text, print_event(&pretty, out, event));
		ASSERT_NE(NULL, text);
		EXPECT_TRUE(matches(event_cases[i].json, text))
			TH_LOG("json: expected \"%s\", got \"%s\"",
			       event_cases[i].json, text);
		EXPECT_EQ(strlen(text) - 1, (size_t)(strchr(text, '\n') - text));
		free(text);
		dibsctl_event_unref(event);
	}
}

TEST(event_types_and_names)
{
	struct dibsctl_event *event = fake_event(DIBSCTL_EVENT_DMB_DEL);

	EXPECT_EQ(DIBSCTL_EVENT_DMB_DEL, dibsctl_event_get_type(event));
	EXPECT_NE(NULL, dibsctl_event_get_dmb(event));
	EXPECT_EQ(NULL, dibsctl_event_get_dev(event));
	EXPECT_EQ(NULL, dibsctl_event_get_client(event));
	EXPECT_STREQ("dmb-del", dibsctl_event_type_name(DIBSCTL_EVENT_DMB_DEL));
	EXPECT_STREQ("client-bind",
		     dibsctl_event_type_name(DIBSCTL_EVENT_CLIENT_BIND));
	EXPECT_EQ(NULL, dibsctl_event_type_name(0));
	EXPECT_EQ(NULL, dibsctl_event_type_name(99));
	EXPECT_EQ(event, dibsctl_event_ref(event));
	EXPECT_EQ(event, dibsctl_event_unref(event));
	EXPECT_EQ(NULL, dibsctl_event_unref(event));
}

/*
 * The JSON a list streams, element by element, is exactly what json-c
 * prints for the whole array: parsed back and printed again with the
 * same flags, it comes out unchanged (json-c keeps the key order).
 */
static void expect_json_c_array(struct __test_metadata *_metadata,
				const char *text, bool is_pretty, size_t n)
{
	int flags = JSON_C_TO_STRING_NOSLASHESCAPE |
		    (is_pretty ? JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED :
				 JSON_C_TO_STRING_PLAIN);
	json_object *doc = json_tokener_parse(text);
	char *again = NULL;

	ASSERT_NE(NULL, doc) TH_LOG("not JSON: %s", text);
	ASSERT_TRUE(json_object_is_type(doc, json_type_array));
	EXPECT_EQ(n, json_object_array_length(doc));
	ASSERT_LT(0, asprintf(&again, "%s\n",
			      json_object_to_json_string_ext(doc, flags)));
	EXPECT_STREQ(again, text);
	free(again);
	json_object_put(doc);
}

TEST(streamed_json_is_json_c_array)
{
	struct dibsctl_dmb *d[3] = {
		fake_dmb(true, true, true), fake_dmb(false, false, false),
		fake_dmb(true, false, true),
	};
	struct dibsctl_client *c[2] = { fake_client(), fake_client_unbound() };
	const struct print_opts *fmts[2] = { &json, &pretty };
	size_t f, n;
	char *text;

	for (f = 0; f < 2; f++) {
		for (n = 0; n <= 3; n++) {
			CAPTURE(text, print_dmb_list(fmts[f], out, d, n));
			ASSERT_NE(NULL, text);
			expect_json_c_array(_metadata, text, f == 1, n);
			free(text);
		}
		/* the same fields one after the other, then others again */
		{
			struct dibsctl_dmb *mix[6] = {
				d[0], d[0], d[1], d[1], d[2], d[0],
			};

			CAPTURE(text, print_dmb_list(fmts[f], out, mix, 6));
			ASSERT_NE(NULL, text);
			expect_json_c_array(_metadata, text, f == 1, 6);
			free(text);
		}
		/* clients hold an array of names: two levels of indent */
		CAPTURE(text, print_client_list(fmts[f], out, c, 2));
		ASSERT_NE(NULL, text);
		expect_json_c_array(_metadata, text, f == 1, 2);
		free(text);
	}
	for (n = 0; n < 3; n++)
		dibsctl_dmb_unref(d[n]);
	dibsctl_client_unref(c[0]);
	dibsctl_client_unref(c[1]);
}

/* Objects with the same fields but other values print their own. */
TEST(same_fields_other_values)
{
	struct dibsctl_dmb *d[3] = {
		fake_dmb(true, true, true), fake_dmb(true, true, true),
		fake_dmb(true, true, true),
	};
	char *text;
	size_t i;

	for (i = 0; i < 3; i++) {
		d[i]->rec.u[DIBS_A_DMB_IDX] = 10 + i;
		d[i]->rec.u[DIBS_A_DMB_ATTACHED] = i == 1;
		d[i]->rec.s[DIBS_A_DMB_CLIENT_NAME][0] = (char)('a' + i);
	}
	CAPTURE(text, print_dmb_list(&json, out, d, 3));
	ASSERT_NE(NULL, text);
	EXPECT_NE(NULL, strstr(text, "\"idx\":10,")) TH_LOG("%s", text);
	EXPECT_NE(NULL, strstr(text, "\"idx\":11,")) TH_LOG("%s", text);
	EXPECT_NE(NULL, strstr(text, "\"idx\":12,")) TH_LOG("%s", text);
	EXPECT_NE(NULL, strstr(text, "\"client_name\":\"aibs_user\"")) TH_LOG("%s", text);
	EXPECT_NE(NULL, strstr(text, "\"client_name\":\"bibs_user\"")) TH_LOG("%s", text);
	EXPECT_NE(NULL, strstr(text, "\"client_name\":\"cibs_user\"")) TH_LOG("%s", text);
	EXPECT_NE(NULL, strstr(text, "\"attached\":true")) TH_LOG("%s", text);
	EXPECT_NE(NULL, strstr(text, "\"attached\":false")) TH_LOG("%s", text);
	expect_json_c_array(_metadata, text, false, 3);
	free(text);
	for (i = 0; i < 3; i++)
		dibsctl_dmb_unref(d[i]);
}

/*
 * -j prints list elements with a serializer of its own: strings that need
 * escaping and the extremes of 64-bit counters still come out as json-c
 * prints them.
 */
TEST(flat_json_escapes_and_extremes)
{
	struct dibsctl_dmb *d[2] = {
		fake_dmb(true, true, true), fake_dmb(true, true, true),
	};
	char *text;

	free(d[0]->rec.s[DIBS_A_DMB_CLIENT_NAME]);
	d[0]->rec.s[DIBS_A_DMB_CLIENT_NAME] = strdup("q\"b\\s/\x01\xc3\xa9\b\f\n\r\t\x1f\x7f.");
	ASSERT_NE(NULL, d[0]->rec.s[DIBS_A_DMB_CLIENT_NAME]);
	d[0]->rec.u[DIBS_A_DMB_BYTES] = UINT64_MAX;
	d[0]->rec.u[DIBS_A_DMB_MOVES] = 0;
	d[1]->rec.u[DIBS_A_DMB_BYTES] = 1ULL << 63;
	d[1]->rec.u[DIBS_A_DMB_MOVES] = 9;
	d[1]->rec.u[DIBS_A_DMB_TOKEN] = 0x2a;
	CAPTURE(text, print_dmb_list(&json, out, d, 2));
	ASSERT_NE(NULL, text);
	EXPECT_NE(NULL, strstr(text, "\"bytes\":18446744073709551615,\"moves\":0,"))
		TH_LOG("%s", text);
	EXPECT_NE(NULL, strstr(text, "\"bytes\":9223372036854775808,\"moves\":9,"))
		TH_LOG("%s", text);
	EXPECT_NE(NULL, strstr(text, "\"client_name\":\"q\\\"b\\\\s/\\u0001"))
		TH_LOG("%s", text);
	EXPECT_NE(NULL, strstr(text, "\"token\":\"0x000000000000002a\""))
		TH_LOG("%s", text);
	expect_json_c_array(_metadata, text, false, 2);
	free(text);
	dibsctl_dmb_unref(d[0]);
	dibsctl_dmb_unref(d[1]);
}

/* A dump failing part way: valid JSON of what came, and the error. */
static int print_then_fail(const struct print_opts *opts, FILE *out,
			   struct dibsctl_dmb **d, size_t n)
{
	struct list_print lp;
	size_t i;

	list_print_init(&lp, opts, out, LIST_DMB);
	for (i = 0; i < n; i++)
		if (list_print_add(&lp, d[i], NULL))
			return -1;
	return list_print_end(&lp, -EIO) == -EIO ? 0 : -1;
}

TEST(failed_dump_closes_the_array)
{
	struct dibsctl_dmb *d[2] = {
		fake_dmb(true, true, true), fake_dmb(false, false, false),
	};
	char *text;

	CAPTURE(text, print_then_fail(&json, out, d, 2));
	ASSERT_NE(NULL, text);
	expect_json_c_array(_metadata, text, false, 2);
	free(text);
	CAPTURE(text, print_then_fail(&pretty, out, d, 1));
	ASSERT_NE(NULL, text);
	expect_json_c_array(_metadata, text, true, 1);
	free(text);
	/* nothing came: nothing is printed, as for any failed command */
	CAPTURE(text, print_then_fail(&json, out, d, 0));
	ASSERT_NE(NULL, text);
	EXPECT_STREQ("", text);
	free(text);
	dibsctl_dmb_unref(d[0]);
	dibsctl_dmb_unref(d[1]);
}

TEST_HARNESS_MAIN
