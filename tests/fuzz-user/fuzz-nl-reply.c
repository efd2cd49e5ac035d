// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * libFuzzer target: libdibsctl reading what the kernel sends.  The input
 * is what one recv() on the generic netlink socket returned (the seed
 * corpus holds real dev, client, dmb, gid, vlan, stats and binding dump
 * parts, recorded by record-nl-replies): each message in it goes through
 * every parser libdibsctl has for replies and notifications, the
 * policy-checked genlmsg_parse() of dibs-nl-gen.c's policies included,
 * and everything parsed is read back.
 *
 * The kernel's socket layer vouches for one thing only, that a message
 * lies within what was read (nl_recvmsgs() checks nlmsg_ok()); the walk
 * below does the same and trusts nothing else.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <netlink/genl/genl.h>
#include <netlink/msg.h>

#include "dibs-nl-gen.h"
#include "libdibsctl-private.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const struct dibsctl_set *const sets[] = {
	&dibsctl_client_set,
	&dibsctl_binding_set,
	&dibsctl_dmb_set,
	&dibsctl_gid_set,
	&dibsctl_vlan_set,
	&dibsctl_stats_set,
};

/* Reads every byte the parse kept, for ASan to check. */
static size_t read_rec(const struct dibsctl_rec *rec)
{
	size_t sum = 0;
	int i;

	for (i = 0; i < DIBSCTL_REC_ATTRS; i++) {
		sum += rec->u[i];
		if (rec->s[i])
			sum += strlen(rec->s[i]);
	}
	for (i = 0; i < DIBS_GID_LEN; i++)
		sum += rec->gid[i];
	return sum;
}

static size_t read_dev(const struct dibsctl_dev *dev)
{
	uint8_t gid[DIBSCTL_GID_LEN];
	const char *name = dibsctl_dev_get_name(dev);
	uint32_t u32 = 0;
	uint16_t u16 = 0;
	bool flag = false;
	size_t sum = name ? strlen(name) : 0;

	dibsctl_dev_get_index(dev, &u32);
	sum += u32;
	dibsctl_dev_get_type(dev, &u32);
	sum += u32;
	if (dibsctl_dev_get_gid(dev, gid) == 0)
		sum += gid[0] + gid[DIBSCTL_GID_LEN - 1];
	dibsctl_dev_get_fabric_id(dev, &u16);
	sum += u16;
	dibsctl_dev_get_max_dmbs(dev, &u32);
	sum += u32;
	dibsctl_dev_get_dmbs_in_use(dev, &u32);
	sum += u32;
	dibsctl_dev_get_mmapped_rdmb(dev, &flag);
	return sum + flag;
}

static void parse_one(struct nlmsghdr *nlh)
{
	struct dibsctl_event *event;
	struct dibsctl_dev *dev;
	struct dibsctl_rec *rec;
	volatile size_t sum = 0;
	size_t i;

	if (dibsctl_dev_new_from_nlmsg(nlh, &dev) == 0) {
		sum += read_dev(dev);
		dibsctl_dev_unref(dev);
	}
	for (i = 0; i < sizeof(sets) / sizeof(sets[0]); i++) {
		if (dibsctl_rec_new_from_nlmsg(sets[i], nlh, &rec) == 0) {
			sum += read_rec(rec);
			dibsctl_rec_unref(rec);
		}
	}
	if (dibsctl_event_new_from_nlmsg(nlh, &event) == 0) {
		sum += (size_t)dibsctl_event_get_type(event);
		dev = dibsctl_event_get_dev(event);
		if (dev)
			sum += read_dev(dev);
		dibsctl_event_unref(event);
	}
	(void)sum;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct nlmsghdr *nlh;
	void *buf;
	int len;

	if (size > 65536)
		return 0;
	/* An aligned copy, as a receive buffer is. */
	buf = malloc(size ? size : 1);
	if (!buf)
		abort();
	memcpy(buf, data, size);
	len = (int)size;
	for (nlh = buf; nlmsg_ok(nlh, len); nlh = nlmsg_next(nlh, &len)) {
		if (nlh->nlmsg_type < NLMSG_MIN_TYPE)
			continue;
		parse_one(nlh);
	}
	free(buf);
	return 0;
}
