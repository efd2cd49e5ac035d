// SPDX-License-Identifier: GPL-2.0-only
/*
 * The objects of LIBDIBSCTL_3 without a kernel: replies of client-get,
 * dmb-get, gid-get, vlan-get, stats-get and the notifications parsed
 * into typed objects, absent values as -ENODATA, reference counts,
 * argument checks before any request, the sysfs fallback refusing
 * them, and extack attributes named in the request's own set.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <linux/netlink.h>
#include <netlink/attr.h>
#include <netlink/genl/genl.h>
#include <netlink/msg.h>

#include "kselftest_harness.h"
#include "dibs-nl-gen.h"
#include "fake-objects.h"
#include "libdibsctl-private.h"
#include "unit-util.h"

TEST(client_with_bound_devices)
{
	struct dibsctl_client *c = fake_client();
	struct dibsctl_dev_list *devs;
	struct dibsctl_dev *dev;
	uint32_t val;

	EXPECT_STREQ("dibs_user", dibsctl_client_get_name(c));
	EXPECT_EQ(0, dibsctl_client_get_id(c, &val));
	EXPECT_EQ(0, val);
	EXPECT_EQ(0, dibsctl_client_get_dmbs(c, &val));
	EXPECT_EQ(3, val);
	ASSERT_EQ(0, dibsctl_client_get_devs(c, &devs));
	EXPECT_EQ(2, dibsctl_dev_list_count(devs));
	dev = dibsctl_dev_list_first(devs);
	EXPECT_STREQ("lo", dibsctl_dev_get_name(dev));
	EXPECT_EQ(0, dibsctl_dev_get_dmbs_in_use(dev, &val));
	EXPECT_EQ(2, val);
	/* A nested device has what came, nothing more. */
	EXPECT_EQ(-ENODATA, dibsctl_dev_get_max_dmbs(dev, &val));
	dev = dibsctl_dev_list_next(devs, dev);
	EXPECT_STREQ("lo3", dibsctl_dev_get_name(dev));
	EXPECT_EQ(0, dibsctl_dev_get_index(dev, &val));
	EXPECT_EQ(5, val);
	EXPECT_EQ(NULL, dibsctl_dev_list_next(devs, dev));
	/* The list outlives the client that handed it out. */
	EXPECT_EQ(NULL, dibsctl_client_unref(c));
	EXPECT_STREQ("lo3", dibsctl_dev_get_name(dev));
	EXPECT_EQ(NULL, dibsctl_dev_list_unref(devs));
}

TEST(client_without_devices_has_an_empty_list)
{
	struct dibsctl_client *c = fake_client_unbound();
	struct dibsctl_dev_list *devs;

	ASSERT_EQ(0, dibsctl_client_get_devs(c, &devs));
	EXPECT_EQ(0, dibsctl_dev_list_count(devs));
	EXPECT_EQ(NULL, dibsctl_dev_list_first(devs));
	dibsctl_dev_list_unref(devs);
	dibsctl_client_unref(c);
}

TEST(device_with_bound_clients)
{
	struct dibsctl_dev *dev = fake_dev_with_clients();
	struct dibsctl_client_list *clients;
	struct dibsctl_client *c;
	struct dibsctl_dev *plain_dev;
	struct fake_dev f;
	const char *names[2] = { "dibs_user", "dibs_test_client" };
	size_t n = 0;
	uint32_t id;

	ASSERT_EQ(0, dibsctl_dev_get_clients(dev, &clients));
	EXPECT_EQ(2, dibsctl_client_list_count(clients));
	dibsctl_client_list_foreach(c, clients) {
		EXPECT_STREQ(names[n], dibsctl_client_get_name(c));
		EXPECT_EQ(0, dibsctl_client_get_id(c, &id));
		EXPECT_EQ(n, id);
		n++;
	}
	EXPECT_EQ(2, n);
	dibsctl_client_list_unref(clients);
	dibsctl_dev_unref(dev);

	/* No bound-client: none reported. */
	fake_dev_lo(&f);
	ASSERT_EQ(0, fake_dev_new(&f, &plain_dev));
	EXPECT_EQ(-ENODATA, dibsctl_dev_get_clients(plain_dev, &clients));
	EXPECT_EQ(-EINVAL, dibsctl_dev_get_clients(plain_dev, NULL));
	dibsctl_dev_unref(plain_dev);
}

/* A binding record as binding-get's reply gives it; dmbs < 0: left out. */
static struct dibsctl_rec *binding(uint32_t dev_index, const char *dev,
				   uint32_t client_id, const char *client,
				   int dmbs)
{
	struct dibsctl_rec *b = dibsctl_rec_alloc();

	if (!b)
		abort();
	b->u[DIBS_A_BINDING_DEV_INDEX] = dev_index;
	b->s[DIBS_A_BINDING_DEV_NAME] = strdup(dev);
	b->u[DIBS_A_BINDING_CLIENT_ID] = client_id;
	b->s[DIBS_A_BINDING_CLIENT_NAME] = strdup(client);
	b->present = DIBSCTL_HAS(DIBS_A_BINDING_DEV_INDEX) |
		     DIBSCTL_HAS(DIBS_A_BINDING_DEV_NAME) |
		     DIBSCTL_HAS(DIBS_A_BINDING_CLIENT_ID) |
		     DIBSCTL_HAS(DIBS_A_BINDING_CLIENT_NAME);
	if (dmbs >= 0) {
		b->u[DIBS_A_BINDING_DMBS] = (uint32_t)dmbs;
		b->present |= DIBSCTL_HAS(DIBS_A_BINDING_DMBS);
	}
	return b;
}

static void append_binding(struct dibsctl_rec_list *list, struct dibsctl_rec *b)
{
	if (dibsctl_rec_list_append(list, b))
		abort();
	dibsctl_rec_unref(b);
}

/* binding-get rows land on the devices and clients they name */
TEST(bindings_join_devices_and_clients)
{
	struct dibsctl_rec_list *rows = dibsctl_rec_list_alloc();
	struct dibsctl_dev *devs[2] = { dibsctl_dev_alloc(), dibsctl_dev_alloc() };
	struct dibsctl_rec *clients[2] = { dibsctl_rec_alloc(), dibsctl_rec_alloc() };
	struct dibsctl_client_list *cl;
	struct dibsctl_dev_list *dl;
	struct dibsctl_client *c;
	struct dibsctl_dev *d;
	uint32_t val;

	ASSERT_NE(NULL, rows);
	devs[0]->index = 1;
	devs[1]->index = 3;
	clients[0]->u[DIBS_A_CLIENT_ID] = 0;
	clients[1]->u[DIBS_A_CLIENT_ID] = 5;
	/* device 2 came after the dev-get: not in devs, still a client's */
	append_binding(rows, binding(1, "lo", 0, "dibs_user", 2));
	append_binding(rows, binding(1, "lo", 1, "dibs_test_client", 0));
	append_binding(rows, binding(2, "lo2", 0, "dibs_user", 4));

	ASSERT_EQ(0, dibsctl_dev_set_bindings(devs, 2, rows));
	ASSERT_EQ(0, dibsctl_dev_get_clients(devs[0], &cl));
	EXPECT_EQ(2, dibsctl_client_list_count(cl));
	c = dibsctl_client_list_first(cl);
	EXPECT_STREQ("dibs_user", dibsctl_client_get_name(c));
	c = dibsctl_client_list_next(cl, c);
	EXPECT_STREQ("dibs_test_client", dibsctl_client_get_name(c));
	EXPECT_EQ(0, dibsctl_client_get_id(c, &val));
	EXPECT_EQ(1, val);
	dibsctl_client_list_unref(cl);
	/* no client bound: no list, as when version 1 sent no nest */
	EXPECT_EQ(-ENODATA, dibsctl_dev_get_clients(devs[1], &cl));

	ASSERT_EQ(0, dibsctl_client_set_bindings(clients, 2, rows));
	ASSERT_EQ(0, dibsctl_client_get_devs((struct dibsctl_client *)clients[0],
					     &dl));
	EXPECT_EQ(2, dibsctl_dev_list_count(dl));
	d = dibsctl_dev_list_next(dl, dibsctl_dev_list_first(dl));
	EXPECT_STREQ("lo2", dibsctl_dev_get_name(d));
	EXPECT_EQ(0, dibsctl_dev_get_index(d, &val));
	EXPECT_EQ(2, val);
	EXPECT_EQ(0, dibsctl_dev_get_dmbs_in_use(d, &val));
	EXPECT_EQ(4, val);
	dibsctl_dev_list_unref(dl);
	/* a client bound to nothing has an empty list */
	ASSERT_EQ(0, dibsctl_client_get_devs((struct dibsctl_client *)clients[1],
					     &dl));
	EXPECT_EQ(0, dibsctl_dev_list_count(dl));
	dibsctl_dev_list_unref(dl);

	/* a row without its DMB count is malformed */
	append_binding(rows, binding(3, "lo3", 0, "dibs_user", -1));
	EXPECT_EQ(-EBADMSG, dibsctl_dev_set_bindings(devs, 2, rows));
	EXPECT_EQ(-EBADMSG, dibsctl_client_set_bindings(clients, 2, rows));

	dibsctl_rec_list_unref(rows);
	dibsctl_dev_unref(devs[0]);
	dibsctl_dev_unref(devs[1]);
	dibsctl_rec_unref(clients[0]);
	dibsctl_rec_unref(clients[1]);
}

TEST(dmb_getters)
{
	struct dibsctl_dmb *dmb = fake_dmb(true, true, true);
	uint8_t rgid[DIBSCTL_GID_LEN];
	uint64_t u64;
	uint32_t u32;
	uint16_t u16;
	bool b;

	EXPECT_STREQ("lo", dibsctl_dmb_get_dev_name(dmb));
	EXPECT_STREQ("dibs_user", dibsctl_dmb_get_client_name(dmb));
	EXPECT_EQ(0, dibsctl_dmb_get_dev_index(dmb, &u32));
	EXPECT_EQ(1, u32);
	EXPECT_EQ(0, dibsctl_dmb_get_client_id(dmb, &u32));
	EXPECT_EQ(0, u32);
	EXPECT_EQ(0, dibsctl_dmb_get_token(dmb, &u64));
	EXPECT_EQ(0xfedcba9876543210ULL, u64);
	EXPECT_EQ(0, dibsctl_dmb_get_idx(dmb, &u32));
	EXPECT_EQ(3, u32);
	EXPECT_EQ(0, dibsctl_dmb_get_len(dmb, &u32));
	EXPECT_EQ(8192, u32);
	EXPECT_EQ(0, dibsctl_dmb_get_rgid(dmb, rgid));
	EXPECT_EQ(0, memcmp(rgid, fake_rgid, sizeof(rgid)));
	EXPECT_EQ(0, dibsctl_dmb_get_vlan_id(dmb, &u16));
	EXPECT_EQ(5, u16);
	EXPECT_EQ(0, dibsctl_dmb_get_attached(dmb, &b));
	EXPECT_TRUE(b);
	EXPECT_EQ(0, dibsctl_dmb_get_bytes(dmb, &u64));
	EXPECT_EQ(1ULL << 40, u64);
	EXPECT_EQ(0, dibsctl_dmb_get_moves(dmb, &u64));
	EXPECT_EQ(12, u64);
	EXPECT_EQ(0, dibsctl_dmb_get_signals(dmb, &u64));
	EXPECT_EQ(4, u64);
	EXPECT_EQ(-EINVAL, dibsctl_dmb_get_idx(dmb, NULL));
	EXPECT_EQ(-EINVAL, dibsctl_dmb_get_idx(NULL, &u32));
	dibsctl_dmb_unref(dmb);
}

TEST(dmb_without_token_or_vlan)
{
	struct dibsctl_dmb *dmb = fake_dmb(false, false, false);
	uint64_t token = 42;
	uint16_t vlan = 42;
	bool attached = true;

	EXPECT_EQ(-ENODATA, dibsctl_dmb_get_token(dmb, &token));
	EXPECT_EQ(42, token);
	EXPECT_EQ(-ENODATA, dibsctl_dmb_get_vlan_id(dmb, &vlan));
	/* A flag is always answered: absent is false. */
	EXPECT_EQ(0, dibsctl_dmb_get_attached(dmb, &attached));
	EXPECT_FALSE(attached);
	dibsctl_dmb_unref(dmb);
}

TEST(gid_entries)
{
	struct dibsctl_gid *local = fake_gid_local(), *peer = fake_gid_peer();
	uint8_t gid[DIBSCTL_GID_LEN];
	uint32_t u32;
	uint16_t u16;

	EXPECT_EQ(0, dibsctl_gid_get_role(local, &u32));
	EXPECT_EQ(DIBSCTL_GID_ROLE_LOCAL, u32);
	EXPECT_STREQ("local", dibsctl_gid_role_name(u32));
	EXPECT_EQ(0, dibsctl_gid_get_gid(local, gid));
	EXPECT_EQ(0, memcmp(gid, fake_gid, sizeof(gid)));
	EXPECT_EQ(0, dibsctl_gid_get_fabric_id(local, &u16));
	EXPECT_EQ(0xffff, u16);
	EXPECT_EQ(-ENODATA, dibsctl_gid_get_dmbs(local, &u32));
	EXPECT_STREQ("lo", dibsctl_gid_get_dev_name(local));

	EXPECT_EQ(0, dibsctl_gid_get_role(peer, &u32));
	EXPECT_STREQ("peer", dibsctl_gid_role_name(u32));
	EXPECT_EQ(0, dibsctl_gid_get_dmbs(peer, &u32));
	EXPECT_EQ(2, u32);
	EXPECT_EQ(-ENODATA, dibsctl_gid_get_fabric_id(peer, &u16));
	EXPECT_EQ(0, dibsctl_gid_get_dev_index(peer, &u32));
	EXPECT_EQ(1, u32);
	EXPECT_EQ(NULL, dibsctl_gid_role_name(2));
	dibsctl_gid_unref(local);
	dibsctl_gid_unref(peer);
}

TEST(vlan_entries)
{
	struct dibsctl_vlan *anon = fake_vlan(false), *owned = fake_vlan(true);
	uint32_t u32;
	uint16_t u16;

	EXPECT_EQ(0, dibsctl_vlan_get_id(anon, &u16));
	EXPECT_EQ(5, u16);
	EXPECT_EQ(-ENODATA, dibsctl_vlan_get_client_id(anon, &u32));
	EXPECT_EQ(NULL, dibsctl_vlan_get_client_name(anon));
	EXPECT_EQ(0, dibsctl_vlan_get_refs(anon, &u32));
	EXPECT_EQ(1, u32);
	EXPECT_EQ(0, dibsctl_vlan_get_client_id(owned, &u32));
	EXPECT_EQ(0, u32);
	EXPECT_STREQ("dibs_user", dibsctl_vlan_get_client_name(owned));
	EXPECT_EQ(0, dibsctl_vlan_get_refs(owned, &u32));
	EXPECT_EQ(2, u32);
	EXPECT_STREQ("lo", dibsctl_vlan_get_dev_name(owned));
	EXPECT_EQ(0, dibsctl_vlan_get_dev_index(owned, &u32));
	EXPECT_EQ(1, u32);
	dibsctl_vlan_unref(anon);
	dibsctl_vlan_unref(owned);
}

TEST(stats_counters_in_spec_order)
{
	static const char *const names[DIBSCTL_STATS_COUNTERS] = {
		"dmbs-in-use", "dmbs-max-in-use", "dmb-registrations",
		"dmb-unregistrations", "dmb-fail-nospc", "dmb-fail-nomem",
		"dmb-fail-other", "moves", "move-bytes", "move-errors",
		"signals", "events",
	};
	struct dibsctl_stats *dev = fake_stats_dev(), *client = fake_stats_client();
	uint64_t value;
	uint32_t u32;
	unsigned int c;

	for (c = 0; c < DIBSCTL_STATS_COUNTERS; c++) {
		EXPECT_STREQ(names[c], dibsctl_stats_counter_name(c));
		EXPECT_EQ(0, dibsctl_stats_get_counter(dev, c, &value));
		EXPECT_EQ(c + 1, value) TH_LOG("counter %u", c);
	}
	EXPECT_EQ(NULL, dibsctl_stats_counter_name(DIBSCTL_STATS_COUNTERS));
	EXPECT_EQ(-EINVAL, dibsctl_stats_get_counter(dev, DIBSCTL_STATS_COUNTERS,
						     &value));
	EXPECT_STREQ("lo", dibsctl_stats_get_dev_name(dev));
	EXPECT_EQ(NULL, dibsctl_stats_get_client_name(dev));
	EXPECT_EQ(-ENODATA, dibsctl_stats_get_client_id(dev, &u32));
	EXPECT_STREQ("dibs_user", dibsctl_stats_get_client_name(client));
	EXPECT_EQ(-ENODATA, dibsctl_stats_get_dev_index(client, &u32));
	EXPECT_EQ(0, dibsctl_stats_get_client_id(client, &u32));
	dibsctl_stats_unref(dev);
	dibsctl_stats_unref(client);
}

TEST(reference_counts_and_lists)
{
	struct dibsctl_rec_list *l = dibsctl_rec_list_alloc();
	struct dibsctl_vlan_list *list = (struct dibsctl_vlan_list *)l;
	struct dibsctl_vlan *a = fake_vlan(false), *b = fake_vlan(true), *v;
	size_t n = 0;

	ASSERT_NE(NULL, l);
	ASSERT_EQ(0, dibsctl_rec_list_append(l, &a->rec));
	ASSERT_EQ(0, dibsctl_rec_list_append(l, &b->rec));
	EXPECT_EQ(a, dibsctl_vlan_ref(a));
	EXPECT_EQ(a, dibsctl_vlan_unref(a));
	/* The list holds its own references: not freed yet. */
	EXPECT_EQ(a, dibsctl_vlan_unref(a));
	EXPECT_EQ(b, dibsctl_vlan_unref(b));
	EXPECT_EQ(2, dibsctl_vlan_list_count(list));
	dibsctl_vlan_list_foreach(v, list)
		n++;
	EXPECT_EQ(2, n);
	EXPECT_EQ(list, dibsctl_vlan_list_ref(list));
	EXPECT_EQ(list, dibsctl_vlan_list_unref(list));
	EXPECT_EQ(NULL, dibsctl_vlan_list_unref(list));
	EXPECT_EQ(NULL, dibsctl_vlan_list_unref(NULL));
	EXPECT_EQ(NULL, dibsctl_vlan_unref(NULL));
	EXPECT_EQ(0, dibsctl_vlan_list_count(NULL));
	EXPECT_EQ(NULL, dibsctl_vlan_list_first(NULL));
	EXPECT_EQ(NULL, dibsctl_dmb_list_next(NULL, NULL));
}

/*
 * _next steps through a list in order, also for an object that is in
 * two lists (it knows its place only in the one it joined last).
 */
TEST(list_next_in_order_also_in_two_lists)
{
	struct dibsctl_rec_list *l1 = dibsctl_rec_list_alloc();
	struct dibsctl_rec_list *l2 = dibsctl_rec_list_alloc();
	struct dibsctl_dmb_list *d1 = (struct dibsctl_dmb_list *)l1;
	struct dibsctl_dmb_list *d2 = (struct dibsctl_dmb_list *)l2;
	struct dibsctl_dmb *dmb[5], *shared, *it;
	size_t i, n;

	ASSERT_NE(NULL, l1);
	ASSERT_NE(NULL, l2);
	for (i = 0; i < 5; i++) {
		dmb[i] = fake_dmb(false, false, false);
		ASSERT_EQ(0, dibsctl_rec_list_append(l1, &dmb[i]->rec));
	}
	shared = dmb[2];
	/* l2: dmb[4], shared, dmb[0] */
	ASSERT_EQ(0, dibsctl_rec_list_append(l2, &dmb[4]->rec));
	ASSERT_EQ(0, dibsctl_rec_list_append(l2, &shared->rec));
	ASSERT_EQ(0, dibsctl_rec_list_append(l2, &dmb[0]->rec));
	n = 0;
	dibsctl_dmb_list_foreach(it, d1) {
		ASSERT_LT(n, 5);
		EXPECT_EQ(dmb[n], it) TH_LOG("l1 element %zu", n);
		n++;
	}
	EXPECT_EQ(5, n);
	EXPECT_EQ(dmb[3], dibsctl_dmb_list_next(d1, shared));
	EXPECT_EQ(dmb[0], dibsctl_dmb_list_next(d2, shared));
	EXPECT_EQ(NULL, dibsctl_dmb_list_next(d2, dmb[0]));
	EXPECT_EQ(NULL, dibsctl_dmb_list_next(d1, dmb[4]));
	/* not in the list at all */
	EXPECT_EQ(NULL, dibsctl_dmb_list_next(d2, dmb[1]));
	for (i = 0; i < 5; i++)
		dibsctl_dmb_unref(dmb[i]);
	dibsctl_rec_list_unref(l1);
	dibsctl_rec_list_unref(l2);
}

TEST(malformed_replies_are_ebadmsg)
{
	struct nl_msg *msg = nlmsg_alloc();
	struct dibsctl_rec *rec = NULL;
	static const uint8_t short_gid[15];

	ASSERT_NE(NULL, msg);
	ASSERT_NE(NULL, genlmsg_put(msg, 0, 1, 0x20, 0, 0, DIBS_CMD_DMB_GET, 1));
	ASSERT_EQ(0, nla_put(msg, DIBS_A_DMB_RGID, sizeof(short_gid), short_gid));
	EXPECT_EQ(-EBADMSG, dibsctl_rec_new_from_nlmsg(&dibsctl_dmb_set,
						       nlmsg_hdr(msg), &rec));
	EXPECT_EQ(NULL, rec);
	nlmsg_free(msg);

	/* An empty client name. */
	msg = nlmsg_alloc();
	ASSERT_NE(NULL, msg);
	ASSERT_NE(NULL, genlmsg_put(msg, 0, 1, 0x20, 0, 0, DIBS_CMD_CLIENT_GET, 1));
	ASSERT_EQ(0, nla_put(msg, DIBS_A_CLIENT_NAME, 1, ""));
	EXPECT_EQ(-EBADMSG, dibsctl_rec_new_from_nlmsg(&dibsctl_client_set,
						       nlmsg_hdr(msg), &rec));
	nlmsg_free(msg);
}

TEST(other_messages_are_no_events)
{
	struct nl_msg *msg = nlmsg_alloc();
	struct dibsctl_event *event = NULL;

	ASSERT_NE(NULL, msg);
	ASSERT_NE(NULL, genlmsg_put(msg, 0, 1, 0x20, 0, 0, DIBS_CMD_DEV_GET, 1));
	EXPECT_EQ(-ENOENT, dibsctl_event_new_from_nlmsg(nlmsg_hdr(msg), &event));
	EXPECT_EQ(NULL, event);
	nlmsg_free(msg);
}

TEST(bind_event_names_client_and_device)
{
	struct dibsctl_event *event = fake_event(DIBSCTL_EVENT_CLIENT_BIND);
	struct dibsctl_client *c = dibsctl_event_get_client(event);
	struct dibsctl_dev_list *devs;
	struct dibsctl_dev *dev;
	uint32_t index;

	ASSERT_NE(NULL, c);
	EXPECT_EQ(NULL, dibsctl_event_get_dmb(event));
	EXPECT_STREQ("dibs_user", dibsctl_client_get_name(c));
	ASSERT_EQ(0, dibsctl_client_get_devs(c, &devs));
	ASSERT_EQ(1, dibsctl_dev_list_count(devs));
	dev = dibsctl_dev_list_first(devs);
	EXPECT_STREQ("lo3", dibsctl_dev_get_name(dev));
	EXPECT_EQ(0, dibsctl_dev_get_index(dev, &index));
	EXPECT_EQ(5, index);
	dibsctl_dev_list_unref(devs);
	dibsctl_event_unref(event);

	event = fake_event(DIBSCTL_EVENT_DEV_NEW);
	EXPECT_NE(NULL, dibsctl_event_get_dev(event));
	EXPECT_EQ(NULL, dibsctl_event_get_client(event));
	dibsctl_event_unref(event);
}

static int count_dmb(struct dibsctl_dmb *dmb, void *n)
{
	++*(size_t *)n;
	return 0;
}

static int count_vlan(struct dibsctl_vlan *vlan, void *n)
{
	++*(size_t *)n;
	return 0;
}

static int count_dev(struct dibsctl_dev *dev, void *n)
{
	++*(size_t *)n;
	return 0;
}

TEST(bad_arguments_are_refused_before_any_request)
{
	size_t n = 0;
	static const uint8_t gid[DIBSCTL_GID_LEN];
	struct dibsctl_client_list *clients;
	struct dibsctl_monitor *mon = NULL;
	struct dibsctl_client *client;
	struct dibsctl_stats *stats;
	struct dibsctl_dmb_list *dmbs;
	struct dibsctl_vlan_list *vlans;
	struct dibsctl *ctx;
	bool reachable;

	ASSERT_EQ(0, dibsctl_new(&ctx));
	EXPECT_EQ(-EINVAL, dibsctl_client_bind(ctx, NULL, "lo"));
	EXPECT_NE(NULL, dibsctl_get_errmsg(ctx));
	EXPECT_EQ(-EINVAL, dibsctl_client_bind(ctx, "dibs_user", NULL));
	EXPECT_EQ(-EINVAL, dibsctl_client_bind(ctx, "dibs_user",
					       "abcdefghijklmnop"));
	EXPECT_EQ(-EINVAL, dibsctl_client_bind(ctx, "", "lo"));
	EXPECT_EQ(-EINVAL, dibsctl_client_unbind(ctx, "dibs_user", "lo", 2));
	EXPECT_NE(NULL, strstr(dibsctl_get_errmsg(ctx), "unknown flags"));
	EXPECT_EQ(-EINVAL, dibsctl_client_new_from_id(ctx, 8, &client));
	EXPECT_EQ(-EINVAL, dibsctl_client_new_from_name(ctx, NULL, &client));
	EXPECT_EQ(-EINVAL, dibsctl_client_list_new(ctx, NULL));
	EXPECT_EQ(-EINVAL, dibsctl_client_list_new(NULL, &clients));
	EXPECT_EQ(-EINVAL, dibsctl_dmb_list_new(ctx, "abcdefghijklmnop", NULL,
						&dmbs));
	EXPECT_EQ(-EINVAL, dibsctl_dmb_list_new(ctx, NULL, "", &dmbs));
	EXPECT_EQ(-EINVAL, dibsctl_vlan_list_new(ctx, "", &vlans));
	EXPECT_EQ(-EINVAL, dibsctl_gid_check(ctx, "lo", gid, 4096, &reachable));
	EXPECT_NE(NULL, strstr(dibsctl_get_errmsg(ctx), "4095"));
	EXPECT_EQ(-EINVAL, dibsctl_gid_check(ctx, "lo", gid, -2, &reachable));
	EXPECT_EQ(-EINVAL, dibsctl_gid_check(ctx, NULL, gid, DIBSCTL_NO_VLAN,
					     &reachable));
	EXPECT_EQ(-EINVAL, dibsctl_gid_check(ctx, "lo", NULL, DIBSCTL_NO_VLAN,
					     &reachable));
	EXPECT_EQ(-EINVAL, dibsctl_stats_new_from_dev(ctx, NULL, &stats));
	EXPECT_EQ(-EINVAL, dibsctl_stats_new_from_client(ctx, "", &stats));
	EXPECT_EQ(-EINVAL, dibsctl_stats_reset(ctx, ""));
	EXPECT_EQ(-EINVAL, dibsctl_monitor_new(ctx, 0, &mon));
	EXPECT_EQ(-EINVAL, dibsctl_monitor_new(ctx, 1U << 7, &mon));
	EXPECT_EQ(NULL, mon);
	EXPECT_EQ(-EINVAL, dibsctl_monitor_next(NULL, NULL));
	EXPECT_EQ(-EINVAL, dibsctl_monitor_set_rcvbuf(NULL, 4096));
	EXPECT_EQ(-EINVAL, dibsctl_dmb_dump(ctx, NULL, NULL, NULL, NULL));
	EXPECT_EQ(-EINVAL, dibsctl_dmb_dump(ctx, "", NULL, count_dmb, &n));
	EXPECT_EQ(-EINVAL, dibsctl_dmb_dump(ctx, NULL, "", count_dmb, &n));
	EXPECT_EQ(-EINVAL, dibsctl_vlan_dump(ctx, "abcdefghijklmnop",
					     count_vlan, &n));
	EXPECT_EQ(-EINVAL, dibsctl_gid_dump(ctx, NULL, NULL));
	EXPECT_EQ(-EINVAL, dibsctl_client_dump(ctx, NULL, NULL));
	EXPECT_EQ(-EINVAL, dibsctl_dev_dump(NULL, count_dev, &n));
	EXPECT_EQ(0, n);
	EXPECT_EQ(-EINVAL, dibsctl_monitor_get_fd(NULL));
	/* Nothing was decided yet: no request went out. */
	EXPECT_EQ(0, ctx->source);
	EXPECT_EQ(NULL, ctx->sock);
	dibsctl_unref(ctx);
}

/* upstream's sysfs has devices only. */
TEST(sysfs_fallback_has_no_new_objects)
{
	struct dibsctl_client_list *clients;
	struct dibsctl_monitor *mon;
	struct dibsctl_gid_list *gids;
	struct dibsctl *ctx;
	char *root = fake_sysfs_new();

	ASSERT_NE(NULL, root);
	ASSERT_EQ(0, fake_sysfs_add(root, "lo",
				    "6f1c2f1e-9d3a-4b55-8c1a-0e2f3a4b5c6d\n",
				    "0xffff\n"));
	ASSERT_EQ(0, fake_sysfs_context(root, &ctx));
	EXPECT_EQ(-EOPNOTSUPP, dibsctl_client_list_new(ctx, &clients));
	EXPECT_NE(NULL, strstr(dibsctl_get_errmsg(ctx), "devices only"));
	EXPECT_EQ(-EOPNOTSUPP, dibsctl_gid_list_new(ctx, &gids));
	EXPECT_EQ(-EOPNOTSUPP, dibsctl_stats_reset(ctx, NULL));
	EXPECT_EQ(-EOPNOTSUPP, dibsctl_client_bind(ctx, "dibs_user", "lo"));
	EXPECT_EQ(-EOPNOTSUPP, dibsctl_monitor_new(ctx, DIBSCTL_MONITOR_DMBS,
						   &mon));
	dibsctl_unref(ctx);
	fake_sysfs_remove(root);
}

/* An NLMSG_ERROR naming a missing attribute by type. */
static void missing_attr_error(struct nlmsghdr *nlh, size_t size, uint32_t type)
{
	struct nlmsgerr *e;
	struct nlattr *nla;

	memset(nlh, 0, size);
	nlh->nlmsg_type = NLMSG_ERROR;
	nlh->nlmsg_flags = NLM_F_ACK_TLVS | NLM_F_CAPPED;
	e = NLMSG_DATA(nlh);
	e->error = -EINVAL;
	nla = (struct nlattr *)((char *)nlh + NLMSG_ALIGN(NLMSG_LENGTH(sizeof(*e))));
	nla->nla_type = NLMSGERR_ATTR_MISS_TYPE;
	nla->nla_len = NLA_HDRLEN + sizeof(type);
	memcpy((char *)nla + NLA_HDRLEN, &type, sizeof(type));
	nlh->nlmsg_len = NLMSG_ALIGN(NLMSG_LENGTH(sizeof(*e))) + NLA_ALIGN(nla->nla_len);
}

TEST(extack_attributes_are_named_in_the_request_set)
{
	union {
		struct nlmsghdr nlh;
		char bytes[256];
	} a;
	struct dibsctl *ctx;

	ASSERT_EQ(0, dibsctl_new(&ctx));
	/* What dibsctl_nl_request() sets for gid-check. */
	ctx->attr_names = dibs_nl_gid_attr_name;
	ctx->attr_max = DIBS_A_GID_MAX;
	missing_attr_error(&a.nlh, sizeof(a), DIBS_A_GID_GID);
	dibsctl_set_extack(ctx, &a.nlh, NULL);
	EXPECT_STREQ("gid", dibsctl_get_err_attr(ctx));

	ctx->attr_names = dibs_nl_stats_attr_name;
	ctx->attr_max = DIBS_A_STATS_MAX;
	missing_attr_error(&a.nlh, sizeof(a), DIBS_A_STATS_CLIENT_NAME);
	dibsctl_set_extack(ctx, &a.nlh, NULL);
	EXPECT_STREQ("client-name", dibsctl_get_err_attr(ctx));

	ctx->attr_names = dibs_nl_client_attr_name;
	ctx->attr_max = DIBS_A_CLIENT_MAX;
	missing_attr_error(&a.nlh, sizeof(a), DIBS_A_CLIENT_DEV_NAME);
	dibsctl_set_extack(ctx, &a.nlh, NULL);
	EXPECT_STREQ("dev-name", dibsctl_get_err_attr(ctx));
	missing_attr_error(&a.nlh, sizeof(a), 99);
	dibsctl_clear_error(ctx);
	dibsctl_set_extack(ctx, &a.nlh, NULL);
	EXPECT_EQ(NULL, dibsctl_get_err_attr(ctx));
	dibsctl_unref(ctx);
}

TEST_HARNESS_MAIN
