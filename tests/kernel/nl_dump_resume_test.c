// SPDX-License-Identifier: GPL-2.0-only
/*
 * gid-get and vlan-get dumps that take several parts while entries come
 * and go between them (issue 11): every entry that existed for the whole
 * dump is in it exactly once, and no entry appears twice. Entries are
 * added and removed before the position the dump reached, which is what
 * a dump resuming by position gets wrong (it repeats or skips one).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>

#include "kselftest_harness.h"
#include "dibs_ktest.h"

#define DEV_A "kdr.a"
/* the stable entries: enough for many parts of the buffer below */
#define STABLE_VLANS 1200		/* references of the test client */
#define VLAN_BASE 1000
#define STABLE_PEERS 300
/* the receive buffer; the kernel fills each part up to about this */
#define RECV_BUF 4096
#define MAX_KEYS 4096

/* one entry of a dump: device, then the set's key bytes */
struct dump_key {
	uint32_t dev;
	uint8_t k[DIBS_GID_LEN];
};

struct dump {
	int nparts;
	int nkeys;
	struct dump_key keys[MAX_KEYS];
	char why[256];
};

/* called between the parts, after part number part (from 1) arrived */
typedef int (*between_fn)(void *arg, int part);

/* the key of one message of the dump of cmd into key; 0 or -1 */
static int parse_key(uint8_t cmd, struct nlmsghdr *nlh, struct dump_key *key)
{
	int len = nlh->nlmsg_len - NLMSG_LENGTH(GENL_HDRLEN);
	struct nlattr *na = (void *)((char *)NLMSG_DATA(nlh) + GENL_HDRLEN);
	bool has_dev = false, has_key = false;
	uint32_t u32;
	uint16_t u16;

	memset(key, 0, sizeof(*key));
	/* a VLAN row without client id is the anonymous one */
	if (cmd == DIBS_CMD_VLAN_GET)
		key->k[2] = 0xff;
	for (; len >= NLA_HDRLEN && na->nla_len >= NLA_HDRLEN &&
	       na->nla_len <= len;
	     len -= NLA_ALIGN(na->nla_len),
	     na = (void *)((char *)na + NLA_ALIGN(na->nla_len))) {
		void *p = (char *)na + NLA_HDRLEN;
		int type = na->nla_type & NLA_TYPE_MASK;

		if (cmd == DIBS_CMD_GID_GET) {
			if (type == DIBS_A_GID_DEV_INDEX) {
				memcpy(&key->dev, p, 4);
				has_dev = true;
			} else if (type == DIBS_A_GID_GID &&
				   na->nla_len == NLA_HDRLEN + DIBS_GID_LEN) {
				memcpy(key->k, p, DIBS_GID_LEN);
				has_key = true;
			}
		} else {
			if (type == DIBS_A_VLAN_DEV_INDEX) {
				memcpy(&key->dev, p, 4);
				has_dev = true;
			} else if (type == DIBS_A_VLAN_ID) {
				memcpy(&u16, p, 2);
				memcpy(key->k, &u16, 2);
				has_key = true;
			} else if (type == DIBS_A_VLAN_CLIENT_ID) {
				memcpy(&u32, p, 4);
				key->k[2] = u32;
			}
		}
	}
	return has_dev && has_key ? 0 : -1;
}

/*
 * A dump of cmd read one part per recv(), calling between() after each;
 * 0, or -1 with d->why set.
 */
static int dump_split(const struct dibs_genl *g, uint8_t cmd,
		      between_fn between, void *arg, struct dump *d)
{
	char req[NLMSG_SPACE(GENL_HDRLEN)] __attribute__((aligned(4)));
	static char buf[RECV_BUF] __attribute__((aligned(4)));
	struct sockaddr_nl kernel = { .nl_family = AF_NETLINK };
	struct nlmsghdr *nlh = (void *)req;
	struct genlmsghdr *gh = NLMSG_DATA(nlh);
	bool done = false;
	int fd, ret = -1;

	memset(d, 0, sizeof(*d));
	fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_GENERIC);
	if (fd < 0) {
		snprintf(d->why, sizeof(d->why), "socket: %s", strerror(errno));
		return -1;
	}
	memset(req, 0, sizeof(req));
	nlh->nlmsg_len = NLMSG_LENGTH(GENL_HDRLEN);
	nlh->nlmsg_type = g->family;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
	nlh->nlmsg_seq = 1;
	gh->cmd = cmd;
	gh->version = DIBS_FAMILY_VERSION;
	if (sendto(fd, req, nlh->nlmsg_len, 0, (struct sockaddr *)&kernel,
		   sizeof(kernel)) < 0) {
		snprintf(d->why, sizeof(d->why), "send: %s", strerror(errno));
		goto out;
	}
	while (!done) {
		ssize_t n = recv(fd, buf, sizeof(buf), MSG_TRUNC);
		int len = n;

		if (n < 0 || n > (ssize_t)sizeof(buf)) {
			snprintf(d->why, sizeof(d->why),
				 "recv: %zd (%s)", n, strerror(errno));
			goto out;
		}
		d->nparts++;
		for (nlh = (void *)buf; NLMSG_OK(nlh, len);
		     nlh = NLMSG_NEXT(nlh, len)) {
			if (nlh->nlmsg_type == NLMSG_DONE) {
				done = true;
				break;
			}
			if (nlh->nlmsg_type == NLMSG_ERROR) {
				struct nlmsgerr *e = NLMSG_DATA(nlh);

				snprintf(d->why, sizeof(d->why),
					 "dump failed: %s",
					 strerror(-e->error));
				goto out;
			}
			if (d->nkeys == MAX_KEYS ||
			    parse_key(cmd, nlh, &d->keys[d->nkeys])) {
				snprintf(d->why, sizeof(d->why),
					 "message %d: malformed or too many",
					 d->nkeys);
				goto out;
			}
			d->nkeys++;
		}
		if (!done && between(arg, d->nparts)) {
			snprintf(d->why, sizeof(d->why),
				 "changing the set after part %d failed",
				 d->nparts);
			goto out;
		}
	}
	ret = 0;
out:
	close(fd);
	return ret;
}

/* how often key (dev, k) is in the dump */
static int dump_count(const struct dump *d, uint32_t dev, const uint8_t *k,
		      size_t klen)
{
	int i, n = 0;

	for (i = 0; i < d->nkeys; i++)
		n += d->keys[i].dev == dev && !memcmp(d->keys[i].k, k, klen);
	return n;
}

/* the first entry of the dump that appears twice, or -1 */
static int dump_first_repeat(const struct dump *d)
{
	int i, j;

	for (i = 0; i < d->nkeys; i++)
		for (j = i + 1; j < d->nkeys; j++)
			if (!memcmp(&d->keys[i], &d->keys[j],
				    sizeof(d->keys[i])))
				return i;
	return -1;
}

FIXTURE(dumps) {
	struct dibs_genl g;
	struct dibs_state initial;
	struct dibs_reply r;
	uint32_t a_index;
};

FIXTURE_SETUP(dumps)
{
	char why[1024];
	int ret;

	ret = dibs_genl_open(&self->g);
	ASSERT_EQ(0, ret) TH_LOG("no dibs family: %s", dibs_errno_name(ret));
	ASSERT_EQ(0, dibs_state_read(&self->g, &self->initial, why, sizeof(why)))
		TH_LOG("%s", why);
	ASSERT_EQ(0, dibs_clients_load(why, sizeof(why))) TH_LOG("%s", why);
	ASSERT_REQ_OK(dibs_dev_new(&self->g, DEV_A, NULL, &self->r), &self->r);
	self->a_index = self->r.devs[0].index;
	dibs_reply_free(&self->r);
}

FIXTURE_TEARDOWN(dumps)
{
	dibs_reply_free(&self->r);
	dibs_tc_ctl("unregister %s", DEV_A);
	if (self->g.sk)
		EXPECT_EQ(0, dibs_remove_devices_except(&self->g, &self->initial))
			TH_LOG("could not delete the devices this test created");
	dibs_clients_unload();
	dibs_genl_close(&self->g);
}

/*
 * Between the parts of a vlan-get dump: odd parts add a reference of the
 * test client to a VLAN below every stable one (before the dump's
 * position), even parts drop it again.
 */
static int vlan_between(void *arg, int part)
{
	(void)arg;
	if (part % 2)
		return dibs_tc_ctl("vlan-add " DEV_A " %d", part);
	return dibs_tc_ctl("vlan-del " DEV_A " %d", part - 1);
}

TEST_F(dumps, vlan_resumes_by_key)
{
	static struct dump d;
	int i, vid, rep;

	for (i = 0; i < STABLE_VLANS; i++)
		ASSERT_EQ(0, dibs_tc_ctl("vlan-add %s %d", DEV_A,
					 VLAN_BASE + i));
	ASSERT_EQ(0, dump_split(&self->g, DIBS_CMD_VLAN_GET, vlan_between,
				NULL, &d)) TH_LOG("%s", d.why);
	ASSERT_LE(4, d.nparts)
		TH_LOG("the dump came in %d parts; the test needs several",
		       d.nparts);
	rep = dump_first_repeat(&d);
	EXPECT_EQ(-1, rep)
		TH_LOG("VLAN %u (client byte 0x%02x) of device %u twice in %d parts",
		       rep < 0 ? 0 : d.keys[rep].k[0] | d.keys[rep].k[1] << 8,
		       rep < 0 ? 0 : d.keys[rep].k[2],
		       rep < 0 ? 0 : d.keys[rep].dev, d.nparts);
	/* the client's rows: every stable VLAN once */
	for (i = 0; i < STABLE_VLANS; i++) {
		int j, n = 0;

		vid = VLAN_BASE + i;
		for (j = 0; j < d.nkeys; j++)
			n += d.keys[j].dev == self->a_index &&
			     (d.keys[j].k[0] | d.keys[j].k[1] << 8) == vid &&
			     d.keys[j].k[2] != 0xff;
		EXPECT_EQ(1, n)
			TH_LOG("the client's VLAN %d, there all along, %d times",
			       vid, n);
	}
}

/* a GID sorting by its first byte, then by n, as UUID text */
static void peer_gid(uint8_t gid[DIBS_GID_LEN], char text[DIBS_UUID_STR_LEN],
		     uint8_t first, unsigned int n)
{
	memset(gid, 0x5a, DIBS_GID_LEN);
	gid[0] = first;
	gid[1] = n >> 8;
	gid[2] = n & 0xff;
	dibs_uuid_str(gid, text);
}

/*
 * Between the parts of a gid-get dump: odd parts add a DMB on DEV_A for
 * a peer sorting before every other (before the dump's position in
 * DEV_A's peers), even parts remove it again.
 */
static int gid_between(void *arg, int part)
{
	char text[DIBS_UUID_STR_LEN];
	uint8_t gid[DIBS_GID_LEN];

	(void)arg;
	peer_gid(gid, text, 0x01, 0);
	if (part % 2)
		return dibs_tc_ctl("register-peer " DEV_A " 4096 %s", text);
	return dibs_tc_ctl("unregister-peer " DEV_A " %s", text);
}

/*
 * DEV_A's peers: STABLE_PEERS DMBs of dibs_test_client, each for another
 * GID (the loopback driver does not check that a peer exists), and one
 * more whose DMB comes and goes while the dump runs.
 */
TEST_F(dumps, gid_resumes_by_key)
{
	char text[DIBS_UUID_STR_LEN];
	uint8_t gid[DIBS_GID_LEN];
	static struct dump d;
	int i, rep, n;

	for (i = 0; i < STABLE_PEERS; i++) {
		peer_gid(gid, text, 0x80, i);
		ASSERT_EQ(0, dibs_tc_ctl("register-peer %s 4096 %s", DEV_A,
					 text))
			TH_LOG("DMB for peer %s", text);
	}
	ASSERT_EQ(0, dump_split(&self->g, DIBS_CMD_GID_GET, gid_between, NULL,
				&d)) TH_LOG("%s", d.why);
	ASSERT_LE(4, d.nparts)
		TH_LOG("the dump came in %d parts; the test needs several",
		       d.nparts);
	rep = dump_first_repeat(&d);
	EXPECT_EQ(-1, rep)
		TH_LOG("GID %02x%02x%02x... of device %u twice in %d parts",
		       rep < 0 ? 0 : d.keys[rep].k[0],
		       rep < 0 ? 0 : d.keys[rep].k[1],
		       rep < 0 ? 0 : d.keys[rep].k[2],
		       rep < 0 ? 0 : d.keys[rep].dev, d.nparts);
	for (i = 0; i < STABLE_PEERS; i++) {
		peer_gid(gid, text, 0x80, i);
		n = dump_count(&d, self->a_index, gid, DIBS_GID_LEN);
		EXPECT_EQ(1, n)
			TH_LOG("peer %s of " DEV_A ", there all along, %d times",
			       text, n);
	}
}

TEST_HARNESS_MAIN
