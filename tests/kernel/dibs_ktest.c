// SPDX-License-Identifier: GPL-2.0-only
/*
 * Raw netlink and sysfs helpers for the dibs kernel tests; see dibs_ktest.h.
 */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <sys/time.h>
#include <unistd.h>

#include <linux/dibs_user.h>
#include <linux/netlink.h>
#include <netlink/attr.h>
#include <netlink/genl/ctrl.h>
#include <netlink/genl/genl.h>
#include <netlink/socket.h>

#include "dibs_ktest.h"

#ifndef SOL_NETLINK
#define SOL_NETLINK 270
#endif

/* A request the kernel never answers must not hang a test run for ever. */
#define DIBS_REPLY_TIMEOUT_S 60

static const char *const attr_names[DIBS_A_DEV_MAX + 1] = {
	[DIBS_A_DEV_INDEX] = "index",
	[DIBS_A_DEV_NAME] = "name",
	[DIBS_A_DEV_TYPE] = "type",
	[DIBS_A_DEV_GID] = "gid",
	[DIBS_A_DEV_FABRIC_ID] = "fabric-id",
	[DIBS_A_DEV_MAX_DMBS] = "max-dmbs",
	[DIBS_A_DEV_DMBS_IN_USE] = "dmbs-in-use",
	[DIBS_A_DEV_MMAPPED_RDMB] = "mmapped-rdmb",
	[DIBS_A_DEV_FORCE] = "force",
};

const char *dibs_attr_name(int attr)
{
	static char unknown[32];

	if (attr > 0 && attr <= DIBS_A_DEV_MAX && attr_names[attr])
		return attr_names[attr];
	snprintf(unknown, sizeof(unknown), "attribute %d", attr);
	return unknown;
}

const char *dibs_errno_name(int err)
{
	const char *name;

	if (err == 0)
		return "success";
	name = strerrorname_np(err < 0 ? -err : err);
	return name ? name : "unknown errno";
}

static int hexval(char c)
{
	if (isdigit((unsigned char)c))
		return c - '0';
	return tolower((unsigned char)c) - 'a' + 10;
}

void dibs_uuid_str(const uint8_t gid[DIBS_GID_LEN], char out[DIBS_UUID_STR_LEN])
{
	char *p = out;
	int i;

	for (i = 0; i < DIBS_GID_LEN; i++) {
		if (i == 4 || i == 6 || i == 8 || i == 10)
			*p++ = '-';
		p += sprintf(p, "%02x", gid[i]);
	}
}

int dibs_uuid_parse(const char *s, uint8_t gid[DIBS_GID_LEN])
{
	int i;

	for (i = 0; i < DIBS_GID_LEN; i++) {
		if (i == 4 || i == 6 || i == 8 || i == 10) {
			if (*s++ != '-')
				return -EINVAL;
		}
		if (!isxdigit((unsigned char)s[0]) ||
		    !isxdigit((unsigned char)s[1]))
			return -EINVAL;
		gid[i] = hexval(s[0]) << 4 | hexval(s[1]);
		s += 2;
	}
	return *s ? -EINVAL : 0;
}

__attribute__((format(printf, 4, 5)))
static void append(char *buf, size_t len, size_t *used, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (*used >= len)
		return;
	va_start(ap, fmt);
	n = vsnprintf(buf + *used, len - *used, fmt, ap);
	va_end(ap);
	if (n > 0)
		*used = (size_t)n < len - *used ? *used + n : len;
}

void dibs_dev_format(const struct dibs_dev_msg *dev, char *buf, size_t len)
{
	char uuid[DIBS_UUID_STR_LEN];
	size_t used = 0;

	buf[0] = '\0';
	if (DIBS_HAS(dev, DIBS_A_DEV_INDEX))
		append(buf, len, &used, "index=%u ", dev->index);
	if (DIBS_HAS(dev, DIBS_A_DEV_NAME))
		append(buf, len, &used, "name=%s ", dev->name);
	if (DIBS_HAS(dev, DIBS_A_DEV_TYPE))
		append(buf, len, &used, "type=%u ", dev->type);
	if (DIBS_HAS(dev, DIBS_A_DEV_GID)) {
		dibs_uuid_str(dev->gid, uuid);
		append(buf, len, &used, "gid=%s ", uuid);
	}
	if (DIBS_HAS(dev, DIBS_A_DEV_FABRIC_ID))
		append(buf, len, &used, "fabric_id=0x%04x ", dev->fabric_id);
	if (DIBS_HAS(dev, DIBS_A_DEV_MAX_DMBS))
		append(buf, len, &used, "max_dmbs=%u ", dev->max_dmbs);
	if (DIBS_HAS(dev, DIBS_A_DEV_DMBS_IN_USE))
		append(buf, len, &used, "dmbs_in_use=%u ", dev->dmbs_in_use);
	append(buf, len, &used, "mmapped_rdmb=%d",
	       (int)DIBS_HAS(dev, DIBS_A_DEV_MMAPPED_RDMB));
	if (dev->malformed[0])
		append(buf, len, &used, " malformed=\"%s\"", dev->malformed);
}

bool dibs_dev_equal(const struct dibs_dev_msg *a, const struct dibs_dev_msg *b,
		    char *why, size_t len)
{
	char fa[256], fb[256];
	int attr;

	for (attr = 1; attr <= DIBS_A_DEV_MAX; attr++) {
		if (DIBS_HAS(a, attr) != DIBS_HAS(b, attr))
			goto differ;
	}
	if (strcmp(a->name, b->name) || a->index != b->index ||
	    a->type != b->type || memcmp(a->gid, b->gid, DIBS_GID_LEN) ||
	    a->fabric_id != b->fabric_id || a->max_dmbs != b->max_dmbs ||
	    a->dmbs_in_use != b->dmbs_in_use ||
	    strcmp(a->malformed, b->malformed))
		goto differ;
	return true;
differ:
	dibs_dev_format(a, fa, sizeof(fa));
	dibs_dev_format(b, fb, sizeof(fb));
	snprintf(why, len, "expected {%s}, got {%s}", fa, fb);
	return false;
}

/* Checks one attribute's payload size against the spec. */
static void check_attr(struct dibs_dev_msg *dev, struct nlattr *nla, int attr)
{
	static const int sizes[DIBS_A_DEV_MAX + 1] = {
		[DIBS_A_DEV_INDEX] = 4, [DIBS_A_DEV_TYPE] = 4,
		[DIBS_A_DEV_GID] = DIBS_GID_LEN, [DIBS_A_DEV_FABRIC_ID] = 2,
		[DIBS_A_DEV_MAX_DMBS] = 4, [DIBS_A_DEV_DMBS_IN_USE] = 4,
		[DIBS_A_DEV_MMAPPED_RDMB] = 0, [DIBS_A_DEV_FORCE] = 0,
	};
	int got = nla_len(nla);

	if (dev->malformed[0])
		return;
	if (attr == DIBS_A_DEV_NAME) {
		const char *s = nla_data(nla);

		if (got < 1 || got > DIBS_DEV_NAME_MAX_LEN + 1 ||
		    !memchr(s, '\0', got))
			snprintf(dev->malformed, sizeof(dev->malformed),
				 "name is not a NUL-terminated string of at most %d bytes (%d bytes)",
				 DIBS_DEV_NAME_MAX_LEN, got);
		return;
	}
	if (got != sizes[attr])
		snprintf(dev->malformed, sizeof(dev->malformed),
			 "%s has %d bytes, the spec says %d",
			 dibs_attr_name(attr), got, sizes[attr]);
}

static void parse_dev(struct nl_msg *msg, struct dibs_dev_msg *dev)
{
	struct nlmsghdr *nlh = nlmsg_hdr(msg);
	struct nlattr *tb[DIBS_A_DEV_MAX + 1];
	int attr;

	memset(dev, 0, sizeof(*dev));
	if (!genlmsg_valid_hdr(nlh, 0)) {
		snprintf(dev->malformed, sizeof(dev->malformed),
			 "no genetlink header");
		return;
	}
	dev->cmd = ((struct genlmsghdr *)nlmsg_data(nlh))->cmd;
	if (genlmsg_parse(nlh, 0, tb, DIBS_A_DEV_MAX, NULL) < 0) {
		snprintf(dev->malformed, sizeof(dev->malformed),
			 "attributes do not parse");
		return;
	}
	for (attr = 1; attr <= DIBS_A_DEV_MAX; attr++) {
		if (!tb[attr])
			continue;
		dev->present |= 1u << attr;
		check_attr(dev, tb[attr], attr);
	}
	if (dev->malformed[0])
		return;
	if (tb[DIBS_A_DEV_FORCE])
		snprintf(dev->malformed, sizeof(dev->malformed),
			 "force is a request-only attribute");
	if (tb[DIBS_A_DEV_INDEX])
		dev->index = nla_get_u32(tb[DIBS_A_DEV_INDEX]);
	if (tb[DIBS_A_DEV_NAME])
		snprintf(dev->name, sizeof(dev->name), "%s",
			 (char *)nla_data(tb[DIBS_A_DEV_NAME]));
	if (tb[DIBS_A_DEV_TYPE])
		dev->type = nla_get_u32(tb[DIBS_A_DEV_TYPE]);
	if (tb[DIBS_A_DEV_GID])
		memcpy(dev->gid, nla_data(tb[DIBS_A_DEV_GID]), DIBS_GID_LEN);
	if (tb[DIBS_A_DEV_FABRIC_ID])
		dev->fabric_id = nla_get_u16(tb[DIBS_A_DEV_FABRIC_ID]);
	if (tb[DIBS_A_DEV_MAX_DMBS])
		dev->max_dmbs = nla_get_u32(tb[DIBS_A_DEV_MAX_DMBS]);
	if (tb[DIBS_A_DEV_DMBS_IN_USE])
		dev->dmbs_in_use = nla_get_u32(tb[DIBS_A_DEV_DMBS_IN_USE]);
	dev->mmapped_rdmb = tb[DIBS_A_DEV_MMAPPED_RDMB] != NULL;
}

static int set_sockopts(struct nl_sock *sk)
{
	struct timeval tv = { .tv_sec = DIBS_REPLY_TIMEOUT_S };
	int fd = nl_socket_get_fd(sk);
	int one = 1;

	if (setsockopt(fd, SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof(one)) ||
	    setsockopt(fd, SOL_NETLINK, NETLINK_CAP_ACK, &one, sizeof(one)) ||
	    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)))
		return -errno;
	return 0;
}

int dibs_genl_open(struct dibs_genl *g)
{
	int ret;

	memset(g, 0, sizeof(*g));
	g->sk = nl_socket_alloc();
	if (!g->sk)
		return -ENOMEM;
	if (genl_connect(g->sk)) {
		ret = -ECONNREFUSED;
		goto err_free_sock;
	}
	ret = set_sockopts(g->sk);
	if (ret)
		goto err_free_sock;
	g->family = genl_ctrl_resolve(g->sk, DIBS_FAMILY_NAME);
	if (g->family < 0) {
		ret = -ENOENT;
		goto err_free_sock;
	}
	g->monitor_group = genl_ctrl_resolve_grp(g->sk, DIBS_FAMILY_NAME,
						 DIBS_MCGRP_MONITOR);
	if (g->monitor_group < 0) {
		ret = -ENOENT;
		goto err_free_sock;
	}
	return 0;

err_free_sock:
	nl_socket_free(g->sk);
	g->sk = NULL;
	return ret;
}

void dibs_genl_close(struct dibs_genl *g)
{
	if (g->sk)
		nl_socket_free(g->sk);
	g->sk = NULL;
}

struct nl_msg *dibs_genl_msg(const struct dibs_genl *g, uint8_t cmd, int flags)
{
	struct nl_msg *msg = nlmsg_alloc();

	if (!msg)
		return NULL;
	if (!genlmsg_put(msg, NL_AUTO_PORT, NL_AUTO_SEQ, g->family, 0, flags,
			 cmd, DIBS_FAMILY_VERSION)) {
		nlmsg_free(msg);
		return NULL;
	}
	return msg;
}

/* Records: every attribute set of the spec, for the checks of the ops. */
enum attr_kind {
	K_NONE, K_U8, K_U16, K_U32, K_U64, K_STR, K_BIN, K_FLAG, K_PAD,
};

struct attr_desc {
	const char *name;
	enum attr_kind kind;
	int max_len;		/* for K_STR: longest string without NUL */
};

static const struct attr_desc dev_attrs[DIBS_A_DEV_MAX + 1] = {
	[DIBS_A_DEV_INDEX] = { "index", K_U32 },
	[DIBS_A_DEV_NAME] = { "name", K_STR, DIBS_DEV_NAME_MAX_LEN },
	[DIBS_A_DEV_TYPE] = { "type", K_U32 },
	[DIBS_A_DEV_GID] = { "gid", K_BIN },
	[DIBS_A_DEV_FABRIC_ID] = { "fabric-id", K_U16 },
	[DIBS_A_DEV_MAX_DMBS] = { "max-dmbs", K_U32 },
	[DIBS_A_DEV_DMBS_IN_USE] = { "dmbs-in-use", K_U32 },
	[DIBS_A_DEV_MMAPPED_RDMB] = { "mmapped-rdmb", K_FLAG },
	[DIBS_A_DEV_FORCE] = { "force", K_FLAG },
};

static const struct attr_desc client_attrs[DIBS_A_CLIENT_MAX + 1] = {
	[DIBS_A_CLIENT_ID] = { "id", K_U32 },
	[DIBS_A_CLIENT_NAME] = { "name", K_STR, 63 },
	[DIBS_A_CLIENT_DMBS] = { "dmbs", K_U32 },
	[DIBS_A_CLIENT_DEV_INDEX] = { "dev-index", K_U32 },
	[DIBS_A_CLIENT_DEV_NAME] = { "dev-name", K_STR, DIBS_DEV_NAME_MAX_LEN },
	[DIBS_A_CLIENT_FORCE] = { "force", K_FLAG },
};

static const struct attr_desc dmb_attrs[DIBS_A_DMB_MAX + 1] = {
	[DIBS_A_DMB_PAD] = { "pad", K_PAD },
	[DIBS_A_DMB_DEV_INDEX] = { "dev-index", K_U32 },
	[DIBS_A_DMB_DEV_NAME] = { "dev-name", K_STR, DIBS_DEV_NAME_MAX_LEN },
	[DIBS_A_DMB_CLIENT_ID] = { "client-id", K_U32 },
	[DIBS_A_DMB_CLIENT_NAME] = { "client-name", K_STR, 63 },
	[DIBS_A_DMB_TOKEN] = { "token", K_U64 },
	[DIBS_A_DMB_IDX] = { "idx", K_U32 },
	[DIBS_A_DMB_LEN] = { "len", K_U32 },
	[DIBS_A_DMB_RGID] = { "rgid", K_BIN },
	[DIBS_A_DMB_VLAN_ID] = { "vlan-id", K_U16 },
	[DIBS_A_DMB_ATTACHED] = { "attached", K_FLAG },
	[DIBS_A_DMB_BYTES] = { "bytes", K_U64 },
	[DIBS_A_DMB_MOVES] = { "moves", K_U64 },
	[DIBS_A_DMB_SIGNALS] = { "signals", K_U64 },
};

static const struct attr_desc gid_attrs[DIBS_A_GID_MAX + 1] = {
	[DIBS_A_GID_GID] = { "gid", K_BIN },
	[DIBS_A_GID_ROLE] = { "role", K_U32 },
	[DIBS_A_GID_DEV_INDEX] = { "dev-index", K_U32 },
	[DIBS_A_GID_DEV_NAME] = { "dev-name", K_STR, DIBS_DEV_NAME_MAX_LEN },
	[DIBS_A_GID_FABRIC_ID] = { "fabric-id", K_U16 },
	[DIBS_A_GID_DMBS] = { "dmbs", K_U32 },
	[DIBS_A_GID_VLAN_ID] = { "vlan-id", K_U16 },
	[DIBS_A_GID_REACHABLE] = { "reachable", K_U8 },
};

static const struct attr_desc vlan_attrs[DIBS_A_VLAN_MAX + 1] = {
	[DIBS_A_VLAN_DEV_INDEX] = { "dev-index", K_U32 },
	[DIBS_A_VLAN_DEV_NAME] = { "dev-name", K_STR, DIBS_DEV_NAME_MAX_LEN },
	[DIBS_A_VLAN_ID] = { "id", K_U16 },
	[DIBS_A_VLAN_CLIENT_ID] = { "client-id", K_U32 },
	[DIBS_A_VLAN_CLIENT_NAME] = { "client-name", K_STR, 63 },
	[DIBS_A_VLAN_REFS] = { "refs", K_U32 },
};

static const struct attr_desc stats_attrs[DIBS_A_STATS_MAX + 1] = {
	[DIBS_A_STATS_PAD] = { "pad", K_PAD },
	[DIBS_A_STATS_DEV_INDEX] = { "dev-index", K_U32 },
	[DIBS_A_STATS_DEV_NAME] = { "dev-name", K_STR, DIBS_DEV_NAME_MAX_LEN },
	[DIBS_A_STATS_CLIENT_ID] = { "client-id", K_U32 },
	[DIBS_A_STATS_CLIENT_NAME] = { "client-name", K_STR, 63 },
	[DIBS_A_STATS_DMBS_IN_USE] = { "dmbs-in-use", K_U32 },
	[DIBS_A_STATS_DMBS_MAX_IN_USE] = { "dmbs-max-in-use", K_U32 },
	[DIBS_A_STATS_DMB_REGISTRATIONS] = { "dmb-registrations", K_U64 },
	[DIBS_A_STATS_DMB_UNREGISTRATIONS] = { "dmb-unregistrations", K_U64 },
	[DIBS_A_STATS_DMB_FAIL_NOSPC] = { "dmb-fail-nospc", K_U64 },
	[DIBS_A_STATS_DMB_FAIL_NOMEM] = { "dmb-fail-nomem", K_U64 },
	[DIBS_A_STATS_DMB_FAIL_OTHER] = { "dmb-fail-other", K_U64 },
	[DIBS_A_STATS_MOVES] = { "moves", K_U64 },
	[DIBS_A_STATS_MOVE_BYTES] = { "move-bytes", K_U64 },
	[DIBS_A_STATS_MOVE_ERRORS] = { "move-errors", K_U64 },
	[DIBS_A_STATS_SIGNALS] = { "signals", K_U64 },
	[DIBS_A_STATS_EVENTS] = { "events", K_U64 },
};

static const struct attr_desc binding_attrs[DIBS_A_BINDING_MAX + 1] = {
	[DIBS_A_BINDING_DEV_INDEX] = { "dev-index", K_U32 },
	[DIBS_A_BINDING_DEV_NAME] = { "dev-name", K_STR, DIBS_DEV_NAME_MAX_LEN },
	[DIBS_A_BINDING_CLIENT_ID] = { "client-id", K_U32 },
	[DIBS_A_BINDING_CLIENT_NAME] = { "client-name", K_STR, 63 },
	[DIBS_A_BINDING_DMBS] = { "dmbs", K_U32 },
};

static const struct {
	const struct attr_desc *attrs;
	int max;
} sets[] = {
	[DIBS_SET_DEV] = { dev_attrs, DIBS_A_DEV_MAX },
	[DIBS_SET_CLIENT] = { client_attrs, DIBS_A_CLIENT_MAX },
	[DIBS_SET_DMB] = { dmb_attrs, DIBS_A_DMB_MAX },
	[DIBS_SET_GID] = { gid_attrs, DIBS_A_GID_MAX },
	[DIBS_SET_VLAN] = { vlan_attrs, DIBS_A_VLAN_MAX },
	[DIBS_SET_STATS] = { stats_attrs, DIBS_A_STATS_MAX },
	[DIBS_SET_BINDING] = { binding_attrs, DIBS_A_BINDING_MAX },
};

_Static_assert(DIBS_A_STATS_MAX < DIBS_REC_ATTRS, "DIBS_REC_ATTRS too small");
_Static_assert(DIBS_A_DMB_MAX < DIBS_REC_ATTRS, "DIBS_REC_ATTRS too small");

int dibs_cmd_set(uint8_t cmd)
{
	switch (cmd) {
	case DIBS_CMD_DEV_GET: case DIBS_CMD_DEV_NEW: case DIBS_CMD_DEV_DEL:
	case DIBS_CMD_DEV_NEW_NTF: case DIBS_CMD_DEV_DEL_NTF:
		return DIBS_SET_DEV;
	case DIBS_CMD_CLIENT_GET: case DIBS_CMD_CLIENT_BIND:
	case DIBS_CMD_CLIENT_UNBIND: case DIBS_CMD_CLIENT_NEW_NTF:
	case DIBS_CMD_CLIENT_DEL_NTF: case DIBS_CMD_CLIENT_BIND_NTF:
	case DIBS_CMD_CLIENT_UNBIND_NTF:
		return DIBS_SET_CLIENT;
	case DIBS_CMD_DMB_GET: case DIBS_CMD_DMB_NEW_NTF:
	case DIBS_CMD_DMB_DEL_NTF:
		return DIBS_SET_DMB;
	case DIBS_CMD_GID_GET: case DIBS_CMD_GID_CHECK:
		return DIBS_SET_GID;
	case DIBS_CMD_VLAN_GET:
		return DIBS_SET_VLAN;
	case DIBS_CMD_STATS_GET: case DIBS_CMD_STATS_RESET:
		return DIBS_SET_STATS;
	case DIBS_CMD_BINDING_GET:
		return DIBS_SET_BINDING;
	}
	return DIBS_SET_NONE;
}

const char *dibs_cmd_name(uint8_t cmd)
{
	static const char *const names[DIBS_CMD_MAX + 1] = {
		[DIBS_CMD_DEV_GET] = "dev-get",
		[DIBS_CMD_DEV_NEW] = "dev-new",
		[DIBS_CMD_DEV_DEL] = "dev-del",
		[DIBS_CMD_DEV_NEW_NTF] = "dev-new-ntf",
		[DIBS_CMD_DEV_DEL_NTF] = "dev-del-ntf",
		[DIBS_CMD_CLIENT_GET] = "client-get",
		[DIBS_CMD_CLIENT_BIND] = "client-bind",
		[DIBS_CMD_CLIENT_UNBIND] = "client-unbind",
		[DIBS_CMD_CLIENT_NEW_NTF] = "client-new-ntf",
		[DIBS_CMD_CLIENT_DEL_NTF] = "client-del-ntf",
		[DIBS_CMD_CLIENT_BIND_NTF] = "client-bind-ntf",
		[DIBS_CMD_CLIENT_UNBIND_NTF] = "client-unbind-ntf",
		[DIBS_CMD_DMB_GET] = "dmb-get",
		[DIBS_CMD_DMB_NEW_NTF] = "dmb-new-ntf",
		[DIBS_CMD_DMB_DEL_NTF] = "dmb-del-ntf",
		[DIBS_CMD_GID_GET] = "gid-get",
		[DIBS_CMD_GID_CHECK] = "gid-check",
		[DIBS_CMD_VLAN_GET] = "vlan-get",
		[DIBS_CMD_STATS_GET] = "stats-get",
		[DIBS_CMD_STATS_RESET] = "stats-reset",
		[DIBS_CMD_BINDING_GET] = "binding-get",
	};
	static char unknown[32];

	if (cmd <= DIBS_CMD_MAX && names[cmd])
		return names[cmd];
	snprintf(unknown, sizeof(unknown), "command %u", cmd);
	return unknown;
}

const char *dibs_set_attr_name(int set, int attr)
{
	static char unknown[32];

	if (set >= 0 && set < DIBS_SET_NONE && attr > 0 &&
	    attr <= sets[set].max && sets[set].attrs[attr].name)
		return sets[set].attrs[attr].name;
	snprintf(unknown, sizeof(unknown), "attribute %d", attr);
	return unknown;
}

/*
 * Stores one attribute of set into present/u/s; returns NULL or what is
 * wrong with it.
 */
static const char *store_attr(int set, const struct nlattr *nla, int attr,
			      uint32_t *present, uint64_t *u, char (*s)[DIBS_REC_STR])
{
	const struct attr_desc *d = &sets[set].attrs[attr];
	int len = nla_len(nla);
	const char *data = nla_data(nla);
	static const int sizes[] = {
		[K_U8] = 1, [K_U16] = 2, [K_U32] = 4, [K_U64] = 8,
		[K_BIN] = DIBS_GID_LEN, [K_FLAG] = 0,
	};

	switch (d->kind) {
	case K_NONE:
		return "is not in the spec";
	case K_PAD:
		return NULL;
	case K_STR:
		if (len < 1 || len > d->max_len + 1 || !memchr(data, '\0', len))
			return "is not a NUL-terminated string of the spec's length";
		snprintf(s[attr], DIBS_REC_STR, "%s", data);
		break;
	default:
		if (len != sizes[d->kind])
			return "has the wrong size";
		if (d->kind == K_U8)
			u[attr] = *(const uint8_t *)data;
		else if (d->kind == K_U16)
			u[attr] = nla_get_u16((struct nlattr *)nla);
		else if (d->kind == K_U32)
			u[attr] = nla_get_u32((struct nlattr *)nla);
		else if (d->kind == K_U64)
			memcpy(&u[attr], data, 8);
		else if (d->kind == K_FLAG)
			u[attr] = 1;
		else
			dibs_uuid_str((const uint8_t *)data, s[attr]);
	}
	if (*present & (1u << attr))
		return "appears twice";
	*present |= 1u << attr;
	return NULL;
}

static void parse_rec(struct nl_msg *msg, struct dibs_rec *rec)
{
	struct nlmsghdr *nlh = nlmsg_hdr(msg);
	struct nlattr *nla;
	const char *bad;
	int rem, set;

	memset(rec, 0, sizeof(*rec));
	rec->set = DIBS_SET_NONE;
	if (!genlmsg_valid_hdr(nlh, 0)) {
		snprintf(rec->malformed, sizeof(rec->malformed),
			 "no genetlink header");
		return;
	}
	rec->cmd = ((struct genlmsghdr *)nlmsg_data(nlh))->cmd;
	rec->set = set = dibs_cmd_set(rec->cmd);
	if (set == DIBS_SET_NONE) {
		snprintf(rec->malformed, sizeof(rec->malformed),
			 "unknown command %u", rec->cmd);
		return;
	}
	nla_for_each_attr(nla, genlmsg_attrdata(nlmsg_data(nlh), 0),
			  genlmsg_attrlen(nlmsg_data(nlh), 0), rem) {
		int attr = nla_type(nla);
		const struct attr_desc *d;

		if (attr < 1 || attr > sets[set].max) {
			snprintf(rec->malformed, sizeof(rec->malformed),
				 "attribute %d is not in the spec", attr);
			return;
		}
		d = &sets[set].attrs[attr];
		bad = store_attr(set, nla, attr, &rec->present, rec->u, rec->s);
		if (bad) {
			snprintf(rec->malformed, sizeof(rec->malformed), "%s %s",
				 d->name ? d->name : "attribute", bad);
			return;
		}
	}
}

void dibs_rec_format(const struct dibs_rec *rec, char *buf, size_t len)
{
	size_t used = 0;
	int attr;

	buf[0] = '\0';
	append(buf, len, &used, "%s", dibs_cmd_name(rec->cmd));
	if (rec->set == DIBS_SET_NONE)
		goto out;
	for (attr = 1; attr <= sets[rec->set].max; attr++) {
		const struct attr_desc *d = &sets[rec->set].attrs[attr];

		if (!DIBS_REC_HAS(rec, attr))
			continue;
		if (d->kind == K_STR || d->kind == K_BIN)
			append(buf, len, &used, " %s=%s", d->name, rec->s[attr]);
		else if (d->kind == K_FLAG)
			append(buf, len, &used, " %s", d->name);
		else if (rec->set == DIBS_SET_DMB && attr == DIBS_A_DMB_TOKEN)
			append(buf, len, &used, " %s=0x%llx", d->name,
			       (unsigned long long)rec->u[attr]);
		else
			append(buf, len, &used, " %s=%llu", d->name,
			       (unsigned long long)rec->u[attr]);
	}
out:
	if (rec->malformed[0])
		append(buf, len, &used, " malformed=\"%s\"", rec->malformed);
}

static int send_or_enomem(struct dibs_genl *g, struct nl_msg *msg,
			  struct dibs_reply *reply);

int dibs_request(struct dibs_genl *g, struct dibs_reply *reply, uint8_t cmd,
		 int flags, const struct dibs_put *puts, size_t nputs)
{
	struct nl_msg *msg = dibs_genl_msg(g, cmd, flags);
	size_t i;
	int err = 0;

	for (i = 0; msg && i < nputs && !err; i++) {
		const struct dibs_put *p = &puts[i];

		switch (p->kind) {
		case DIBS_PUT_KIND_U8:
			err = nla_put_u8(msg, p->type, p->u);
			break;
		case DIBS_PUT_KIND_U16:
			err = nla_put_u16(msg, p->type, p->u);
			break;
		case DIBS_PUT_KIND_U32:
			err = nla_put_u32(msg, p->type, p->u);
			break;
		case DIBS_PUT_KIND_U64:
			err = nla_put_u64(msg, p->type, p->u);
			break;
		case DIBS_PUT_KIND_STR:
			err = nla_put_string(msg, p->type, p->p);
			break;
		case DIBS_PUT_KIND_FLAG:
			err = nla_put_flag(msg, p->type);
			break;
		case DIBS_PUT_KIND_BIN:
			err = nla_put(msg, p->type, p->len, p->p);
			break;
		default:
			err = -1;
		}
	}
	if (msg && err) {
		nlmsg_free(msg);
		msg = NULL;
	}
	return send_or_enomem(g, msg, reply);
}

static int on_rec_ntf(struct nl_msg *msg, void *arg)
{
	struct dibs_recmon *m = arg;

	if (m->count == m->cap) {
		int cap = m->cap ? 2 * m->cap : 64;
		struct dibs_rec *q = malloc(cap * sizeof(*q));
		int i;

		if (!q) {
			m->overflow++;
			return NL_OK;
		}
		for (i = 0; i < m->count; i++)
			q[i] = m->queue[(m->first + i) % m->cap];
		free(m->queue);
		m->queue = q;
		m->first = 0;
		m->cap = cap;
	}
	parse_rec(msg, &m->queue[(m->first + m->count) % m->cap]);
	m->count++;
	return NL_OK;
}

int dibs_recmon_open(struct dibs_recmon *m, const char *const *groups,
		     int ngroups)
{
	int ret, i, grp;

	memset(m, 0, sizeof(*m));
	m->sk = nl_socket_alloc();
	if (!m->sk)
		return -ENOMEM;
	nl_socket_disable_seq_check(m->sk);
	nl_socket_modify_cb(m->sk, NL_CB_VALID, NL_CB_CUSTOM, on_rec_ntf, m);
	if (genl_connect(m->sk)) {
		ret = -ECONNREFUSED;
		goto err_free_sock;
	}
	for (i = 0; i < ngroups; i++) {
		grp = genl_ctrl_resolve_grp(m->sk, DIBS_FAMILY_NAME, groups[i]);
		if (grp < 0) {
			ret = -ENOENT;
			goto err_free_sock;
		}
		/* not libnl's call: the kernel's errno (EPERM) must show */
		if (setsockopt(nl_socket_get_fd(m->sk), SOL_NETLINK,
			       NETLINK_ADD_MEMBERSHIP, &grp, sizeof(grp))) {
			ret = -errno;
			goto err_free_sock;
		}
	}
	/* a scripted sequence of thousands of DMBs must not overrun it */
	nl_socket_set_buffer_size(m->sk, 8 << 20, 0);
	if (nl_socket_set_nonblocking(m->sk)) {
		ret = -EINVAL;
		goto err_free_sock;
	}
	return 0;

err_free_sock:
	nl_socket_free(m->sk);
	m->sk = NULL;
	return ret;
}

void dibs_recmon_close(struct dibs_recmon *m)
{
	if (m->sk)
		nl_socket_free(m->sk);
	m->sk = NULL;
	free(m->queue);
	m->queue = NULL;
	m->count = m->cap = m->first = 0;
}

int dibs_recmon_next(struct dibs_recmon *m, struct dibs_rec *ntf,
		     int timeout_ms)
{
	struct pollfd pfd = { .fd = nl_socket_get_fd(m->sk), .events = POLLIN };
	int ret;

	while (!m->count) {
		if (m->overflow)
			return -ENOBUFS;
		ret = poll(&pfd, 1, timeout_ms);
		if (ret < 0)
			return -errno;
		if (ret == 0)
			return 0;
		ret = nl_recvmsgs_default(m->sk);
		if (ret == -NLE_NOMEM)
			return -ENOBUFS;
		if (ret < 0 && ret != -NLE_AGAIN)
			return -EIO;
	}
	*ntf = m->queue[m->first];
	m->first = (m->first + 1) % m->cap;
	m->count--;
	return 1;
}

/* One request in flight: what was sent and what came back so far. */
struct exchange {
	struct dibs_reply *reply;
	const unsigned char *req;
	uint32_t req_len;
	int cap;
	int rec_cap;
	bool done;
};

static int on_dev(struct nl_msg *msg, void *arg)
{
	struct exchange *x = arg;
	struct dibs_reply *r = x->reply;

	if (r->ndevs == x->cap) {
		int cap = x->cap ? 2 * x->cap : 8;
		struct dibs_dev_msg *devs = realloc(r->devs, cap * sizeof(*devs));

		if (!devs) {
			snprintf(r->local_error, sizeof(r->local_error),
				 "out of memory for replies");
			return NL_STOP;
		}
		r->devs = devs;
		x->cap = cap;
	}
	parse_dev(msg, &r->devs[r->ndevs++]);
	if (r->nrecs == x->rec_cap) {
		int cap = x->rec_cap ? 2 * x->rec_cap : 8;
		struct dibs_rec *recs = realloc(r->recs, cap * sizeof(*recs));

		if (!recs) {
			snprintf(r->local_error, sizeof(r->local_error),
				 "out of memory for replies");
			return NL_STOP;
		}
		r->recs = recs;
		x->rec_cap = cap;
	}
	parse_rec(msg, &r->recs[r->nrecs++]);
	return NL_OK;
}

/*
 * The extended ack follows the nlmsgerr (and the echoed request unless the
 * ack was capped); OFFS counts from the start of our request.
 */
static void parse_ext_ack(struct exchange *x, const struct nlmsghdr *nlh,
			  size_t ack_len)
{
	struct nlattr *tb[NLMSGERR_ATTR_MAX + 1];
	struct dibs_reply *r = x->reply;

	if (!(nlh->nlmsg_flags & NLM_F_ACK_TLVS) || nlh->nlmsg_len <= ack_len)
		return;
	if (nla_parse(tb, NLMSGERR_ATTR_MAX,
		      (struct nlattr *)((char *)nlh + ack_len),
		      nlh->nlmsg_len - ack_len, NULL))
		return;
	if (tb[NLMSGERR_ATTR_MSG]) {
		r->has_msg = true;
		snprintf(r->msg, sizeof(r->msg), "%.*s",
			 nla_len(tb[NLMSGERR_ATTR_MSG]),
			 (char *)nla_data(tb[NLMSGERR_ATTR_MSG]));
	}
	if (tb[NLMSGERR_ATTR_OFFS]) {
		r->has_offs = true;
		r->offs = nla_get_u32(tb[NLMSGERR_ATTR_OFFS]);
		if (r->offs >= NLMSG_HDRLEN + GENL_HDRLEN &&
		    r->offs + NLA_HDRLEN <= x->req_len) {
			const struct nlattr *bad = (const void *)(x->req + r->offs);

			r->bad_attr = bad->nla_type & NLA_TYPE_MASK;
		}
	}
	if (tb[NLMSGERR_ATTR_MISS_TYPE]) {
		r->has_miss_type = true;
		r->miss_type = nla_get_u32(tb[NLMSGERR_ATTR_MISS_TYPE]);
	}
}

static int on_error(struct sockaddr_nl *nla, struct nlmsgerr *err, void *arg)
{
	const struct nlmsghdr *nlh = (const struct nlmsghdr *)err - 1;
	struct exchange *x = arg;
	size_t ack_len = NLMSG_HDRLEN + NLMSG_ALIGN(sizeof(*err));

	if (!(nlh->nlmsg_flags & NLM_F_CAPPED))
		ack_len += NLMSG_ALIGN(err->msg.nlmsg_len) - NLMSG_HDRLEN;
	x->reply->err = err->error;
	parse_ext_ack(x, nlh, ack_len);
	x->done = true;
	return NL_STOP;
}

static int on_ack(struct nl_msg *msg, void *arg)
{
	struct exchange *x = arg;

	x->done = true;
	return NL_STOP;
}

/* A dump that fails half-way puts its error into NLMSG_DONE. */
static int on_done(struct nl_msg *msg, void *arg)
{
	struct nlmsghdr *nlh = nlmsg_hdr(msg);
	struct exchange *x = arg;

	if (nlh->nlmsg_len >= NLMSG_HDRLEN + sizeof(int)) {
		x->reply->err = *(int *)nlmsg_data(nlh);
		parse_ext_ack(x, nlh, NLMSG_HDRLEN + NLMSG_ALIGN(sizeof(int)));
	}
	x->done = true;
	return NL_STOP;
}

int dibs_genl_send(struct dibs_genl *g, struct nl_msg *msg,
		   struct dibs_reply *reply)
{
	struct exchange x = { .reply = reply };
	struct nl_cb *cb;
	unsigned char *req = NULL;
	int ret;

	memset(reply, 0, sizeof(*reply));
	cb = nl_cb_alloc(NL_CB_DEFAULT);
	if (!cb) {
		snprintf(reply->local_error, sizeof(reply->local_error),
			 "out of memory");
		goto out;
	}
	nl_cb_set(cb, NL_CB_VALID, NL_CB_CUSTOM, on_dev, &x);
	nl_cb_set(cb, NL_CB_ACK, NL_CB_CUSTOM, on_ack, &x);
	nl_cb_set(cb, NL_CB_FINISH, NL_CB_CUSTOM, on_done, &x);
	nl_cb_err(cb, NL_CB_CUSTOM, on_error, &x);

	ret = nl_send_auto(g->sk, msg);
	if (ret < 0) {
		snprintf(reply->local_error, sizeof(reply->local_error),
			 "sending the request: %s", nl_geterror(ret));
		goto out;
	}
	x.req_len = nlmsg_hdr(msg)->nlmsg_len;
	req = malloc(x.req_len);
	if (!req) {
		snprintf(reply->local_error, sizeof(reply->local_error),
			 "out of memory");
		goto out;
	}
	memcpy(req, nlmsg_hdr(msg), x.req_len);
	x.req = req;

	while (!x.done && !reply->local_error[0]) {
		ret = nl_recvmsgs(g->sk, cb);
		if (ret < 0 && !x.done)
			snprintf(reply->local_error, sizeof(reply->local_error),
				 "receiving the reply: %s", nl_geterror(ret));
	}
out:
	free(req);
	nl_cb_put(cb);
	nlmsg_free(msg);
	return reply->local_error[0] ? -EPROTO : reply->err;
}

void dibs_reply_free(struct dibs_reply *reply)
{
	free(reply->devs);
	reply->devs = NULL;
	reply->ndevs = 0;
	free(reply->recs);
	reply->recs = NULL;
	reply->nrecs = 0;
}

static int send_or_enomem(struct dibs_genl *g, struct nl_msg *msg,
			  struct dibs_reply *reply)
{
	if (!msg) {
		memset(reply, 0, sizeof(*reply));
		snprintf(reply->local_error, sizeof(reply->local_error),
			 "cannot build the request");
		return -EPROTO;
	}
	return dibs_genl_send(g, msg, reply);
}

int dibs_dev_get_name(struct dibs_genl *g, const char *name,
		      struct dibs_reply *reply)
{
	struct nl_msg *msg = dibs_genl_msg(g, DIBS_CMD_DEV_GET, 0);

	if (msg && nla_put_string(msg, DIBS_A_DEV_NAME, name)) {
		nlmsg_free(msg);
		msg = NULL;
	}
	return send_or_enomem(g, msg, reply);
}

int dibs_dev_get_index(struct dibs_genl *g, uint32_t index,
		       struct dibs_reply *reply)
{
	struct nl_msg *msg = dibs_genl_msg(g, DIBS_CMD_DEV_GET, 0);

	if (msg && nla_put_u32(msg, DIBS_A_DEV_INDEX, index)) {
		nlmsg_free(msg);
		msg = NULL;
	}
	return send_or_enomem(g, msg, reply);
}

int dibs_dev_dump(struct dibs_genl *g, struct dibs_reply *reply)
{
	return send_or_enomem(g, dibs_genl_msg(g, DIBS_CMD_DEV_GET, NLM_F_DUMP),
			      reply);
}

int dibs_dev_new(struct dibs_genl *g, const char *name, const uint8_t *gid,
		 struct dibs_reply *reply)
{
	struct nl_msg *msg = dibs_genl_msg(g, DIBS_CMD_DEV_NEW, 0);

	if (msg && (nla_put_u32(msg, DIBS_A_DEV_TYPE, DIBS_DEV_TYPE_LOOPBACK) ||
		    (name && nla_put_string(msg, DIBS_A_DEV_NAME, name)) ||
		    (gid && nla_put(msg, DIBS_A_DEV_GID, DIBS_GID_LEN, gid)))) {
		nlmsg_free(msg);
		msg = NULL;
	}
	return send_or_enomem(g, msg, reply);
}

static int dev_del(struct dibs_genl *g, const char *name, uint32_t index,
		   bool force, struct dibs_reply *reply)
{
	struct nl_msg *msg = dibs_genl_msg(g, DIBS_CMD_DEV_DEL, 0);

	if (msg && ((name && nla_put_string(msg, DIBS_A_DEV_NAME, name)) ||
		    (!name && nla_put_u32(msg, DIBS_A_DEV_INDEX, index)) ||
		    (force && nla_put_flag(msg, DIBS_A_DEV_FORCE)))) {
		nlmsg_free(msg);
		msg = NULL;
	}
	return send_or_enomem(g, msg, reply);
}

int dibs_dev_del_name(struct dibs_genl *g, const char *name, bool force,
		      struct dibs_reply *reply)
{
	return dev_del(g, name, 0, force, reply);
}

int dibs_dev_del_index(struct dibs_genl *g, uint32_t index, bool force,
		       struct dibs_reply *reply)
{
	return dev_del(g, NULL, index, force, reply);
}

static int on_ntf(struct nl_msg *msg, void *arg)
{
	struct dibs_monitor *m = arg;
	int size = (int)(sizeof(m->queue) / sizeof(m->queue[0]));

	if (m->count == size) {
		m->overflow++;
		return NL_OK;
	}
	parse_dev(msg, &m->queue[(m->first + m->count) % size]);
	m->count++;
	return NL_OK;
}

int dibs_monitor_open(struct dibs_monitor *m, const struct dibs_genl *g)
{
	int ret;

	memset(m, 0, sizeof(*m));
	m->sk = nl_socket_alloc();
	if (!m->sk)
		return -ENOMEM;
	nl_socket_disable_seq_check(m->sk);
	nl_socket_modify_cb(m->sk, NL_CB_VALID, NL_CB_CUSTOM, on_ntf, m);
	if (genl_connect(m->sk)) {
		ret = -ECONNREFUSED;
		goto err_free_sock;
	}
	if (nl_socket_add_membership(m->sk, g->monitor_group) ||
	    nl_socket_set_nonblocking(m->sk)) {
		ret = -EINVAL;
		goto err_free_sock;
	}
	return 0;

err_free_sock:
	nl_socket_free(m->sk);
	m->sk = NULL;
	return ret;
}

void dibs_monitor_close(struct dibs_monitor *m)
{
	if (m->sk)
		nl_socket_free(m->sk);
	m->sk = NULL;
}

int dibs_monitor_next(struct dibs_monitor *m, struct dibs_dev_msg *ntf,
		      int timeout_ms)
{
	int size = (int)(sizeof(m->queue) / sizeof(m->queue[0]));
	struct pollfd pfd = { .fd = nl_socket_get_fd(m->sk), .events = POLLIN };
	int ret;

	while (!m->count) {
		if (m->overflow)
			return -ENOBUFS;
		ret = poll(&pfd, 1, timeout_ms);
		if (ret < 0)
			return -errno;
		if (ret == 0)
			return 0;
		ret = nl_recvmsgs_default(m->sk);
		if (ret == -NLE_NOMEM)
			return -ENOBUFS;
		if (ret < 0 && ret != -NLE_AGAIN)
			return -EIO;
	}
	*ntf = m->queue[m->first];
	m->first = (m->first + 1) % size;
	m->count--;
	return 1;
}

int dibs_sysfs_read(const char *dev, const char *attr, char *buf, size_t len)
{
	char path[256];
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), DIBS_SYSFS_CLASS "/%s/%s", dev, attr);
	fd = open(path, O_RDONLY);
	if (fd < 0)
		return -errno;
	n = read(fd, buf, len - 1);
	if (n < 0)
		n = -errno;
	close(fd);
	if (n < 0)
		return n;
	buf[n] = '\0';
	return n;
}

static int cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int dibs_sysfs_names(char *buf, size_t len)
{
	char *names[256];
	struct dirent *de;
	size_t used = 0;
	int n = 0, i;
	DIR *dir;

	buf[0] = '\0';
	dir = opendir(DIBS_SYSFS_CLASS);
	if (!dir)
		return -errno;
	while ((de = readdir(dir)) && n < 256) {
		if (de->d_name[0] == '.')
			continue;
		names[n++] = strdup(de->d_name);
	}
	closedir(dir);
	qsort(names, n, sizeof(names[0]), cmp_names);
	for (i = 0; i < n; i++) {
		if (names[i])
			used += snprintf(buf + used, used < len ? len - used : 0,
					 "%s%s", i ? " " : "", names[i]);
		free(names[i]);
	}
	return used < len ? 0 : -ENOSPC;
}

static bool sysfs_expect(const char *dev, const char *attr,
			 const char *expected, char *why, size_t len)
{
	char got[DIBS_SYSFS_ATTR_MAX];
	int n = dibs_sysfs_read(dev, attr, got, sizeof(got));

	if (n < 0) {
		snprintf(why, len, "%s/%s/%s: %s", DIBS_SYSFS_CLASS, dev, attr,
			 strerror(-n));
		return false;
	}
	if (strcmp(got, expected)) {
		snprintf(why, len, "%s/%s/%s: expected \"%.*s\\n\", got \"%.*s%s\"",
			 DIBS_SYSFS_CLASS, dev, attr,
			 (int)strcspn(expected, "\n"), expected,
			 (int)strcspn(got, "\n"), got,
			 strchr(got, '\n') ? "\\n" : "");
		return false;
	}
	return true;
}

bool dibs_sysfs_matches(const struct dibs_dev_msg *dev, char *why, size_t len)
{
	char expected[64], uuid[DIBS_UUID_STR_LEN];
	const char *type;

	dibs_uuid_str(dev->gid, uuid);
	snprintf(expected, sizeof(expected), "%s\n", uuid);
	if (!sysfs_expect(dev->name, "gid", expected, why, len))
		return false;
	snprintf(expected, sizeof(expected), "0x%04x\n", dev->fabric_id);
	if (!sysfs_expect(dev->name, "fabric_id", expected, why, len))
		return false;
	type = dev->type == DIBS_DEV_TYPE_LOOPBACK ? "loopback\n" :
	       dev->type == DIBS_DEV_TYPE_OTHER ? "other\n" : "(unknown type)";
	if (!sysfs_expect(dev->name, "type", type, why, len))
		return false;
	snprintf(expected, sizeof(expected), "%u\n", dev->index);
	if (!sysfs_expect(dev->name, "index", expected, why, len))
		return false;
	snprintf(expected, sizeof(expected), "%u\n", dev->max_dmbs);
	return sysfs_expect(dev->name, "max_dmbs", expected, why, len);
}

static int cmp_index(const void *a, const void *b)
{
	const struct dibs_dev_msg *da = a, *db = b;

	return da->index < db->index ? -1 : da->index > db->index;
}

int dibs_state_read(struct dibs_genl *g, struct dibs_state *state,
		    char *why, size_t len)
{
	static const char *const attrs[] = {
		"gid", "fabric_id", "type", "index", "max_dmbs",
	};
	char names[1024], *name, *save = NULL;
	struct dibs_reply reply;
	size_t used = 0;
	unsigned int i;
	int ret;

	memset(state, 0, sizeof(*state));
	ret = dibs_dev_dump(g, &reply);
	if (ret) {
		snprintf(why, len, "dev-get dump failed: %s %s",
			 dibs_errno_name(ret), reply.local_error);
		dibs_reply_free(&reply);
		return ret;
	}
	if (reply.ndevs > (int)(sizeof(state->devs) / sizeof(state->devs[0]))) {
		snprintf(why, len, "dump returned %d devices, more than the test expects",
			 reply.ndevs);
		dibs_reply_free(&reply);
		return -E2BIG;
	}
	state->ndevs = reply.ndevs;
	memcpy(state->devs, reply.devs, reply.ndevs * sizeof(reply.devs[0]));
	dibs_reply_free(&reply);
	qsort(state->devs, state->ndevs, sizeof(state->devs[0]), cmp_index);

	ret = dibs_sysfs_names(names, sizeof(names));
	if (ret) {
		snprintf(why, len, "listing %s: %s", DIBS_SYSFS_CLASS,
			 strerror(-ret));
		return ret;
	}
	for (name = strtok_r(names, " ", &save); name;
	     name = strtok_r(NULL, " ", &save)) {
		used += snprintf(state->sysfs + used, sizeof(state->sysfs) - used,
				 "%s%s:", used ? "; " : "", name);
		for (i = 0; i < sizeof(attrs) / sizeof(attrs[0]); i++) {
			char val[DIBS_SYSFS_ATTR_MAX];

			if (dibs_sysfs_read(name, attrs[i], val, sizeof(val)) < 0)
				snprintf(val, sizeof(val), "(unreadable)");
			val[strcspn(val, "\n")] = '\0';
			used += snprintf(state->sysfs + used,
					 sizeof(state->sysfs) - used, " %s=%s",
					 attrs[i], val);
			if (used >= sizeof(state->sysfs)) {
				snprintf(why, len, "sysfs state too large");
				return -E2BIG;
			}
		}
	}
	return 0;
}

bool dibs_state_equal(const struct dibs_state *before,
		      const struct dibs_state *after, char *why, size_t len)
{
	char detail[600];
	int i;

	if (before->ndevs != after->ndevs) {
		snprintf(why, len, "dump had %d devices before, %d after",
			 before->ndevs, after->ndevs);
		return false;
	}
	for (i = 0; i < before->ndevs; i++) {
		if (!dibs_dev_equal(&before->devs[i], &after->devs[i],
				    detail, sizeof(detail))) {
			snprintf(why, len, "dump entry changed: %s", detail);
			return false;
		}
	}
	if (strcmp(before->sysfs, after->sysfs)) {
		snprintf(why, len, "sysfs changed: before \"%.400s\", after \"%.400s\"",
			 before->sysfs, after->sysfs);
		return false;
	}
	return true;
}

int dibs_remove_devices_except(struct dibs_genl *g,
			       const struct dibs_state *keep)
{
	struct dibs_reply dump, del;
	int i, j, failed = 0;

	if (dibs_dev_dump(g, &dump)) {
		dibs_reply_free(&dump);
		return 1;
	}
	for (i = 0; i < dump.ndevs; i++) {
		bool kept = false;

		for (j = 0; j < keep->ndevs; j++)
			kept |= keep->devs[j].index == dump.devs[i].index;
		if (kept)
			continue;
		if (dibs_dev_del_index(g, dump.devs[i].index, true, &del)) {
			fprintf(stderr, "# cannot delete device %s (index %u): %s %s%s\n",
				dump.devs[i].name, dump.devs[i].index,
				dibs_errno_name(del.err), del.msg, del.local_error);
			failed++;
		}
		dibs_reply_free(&del);
	}
	dibs_reply_free(&dump);
	return failed;
}

void dibs_test_gid(uint8_t gid[DIBS_GID_LEN], unsigned int seed)
{
	/* "dibs-ktest" in ASCII, then the seed: easy to spot in a log. */
	static const uint8_t prefix[10] = {
		0x64, 0x69, 0x62, 0x73, 0x2d, 0x6b, 0x74, 0x65, 0x73, 0x74,
	};

	memcpy(gid, prefix, sizeof(prefix));
	gid[10] = 0x40;
	gid[11] = 0x00;
	gid[12] = seed >> 24;
	gid[13] = seed >> 16;
	gid[14] = seed >> 8;
	gid[15] = seed;
}

/* The single record of a do request, or -EPROTO. */
static int one_rec(int ret, struct dibs_reply *r, struct dibs_rec *rec)
{
	if (!ret && r->nrecs != 1)
		ret = -EPROTO;
	if (!ret)
		*rec = r->recs[0];
	dibs_reply_free(r);
	return ret;
}

int dibs_client_get_name(struct dibs_genl *g, const char *name,
			 struct dibs_rec *rec)
{
	struct dibs_reply r;

	return one_rec(DIBS_REQ(g, &r, DIBS_CMD_CLIENT_GET, 0,
				DIBS_PUT_STR(DIBS_A_CLIENT_NAME, name)),
		       &r, rec);
}

int dibs_stats_get_dev(struct dibs_genl *g, const char *dev,
		       struct dibs_rec *rec)
{
	struct dibs_reply r;

	return one_rec(DIBS_REQ(g, &r, DIBS_CMD_STATS_GET, 0,
				DIBS_PUT_STR(DIBS_A_STATS_DEV_NAME, dev)),
		       &r, rec);
}

int dibs_stats_get_client(struct dibs_genl *g, const char *client,
			  struct dibs_rec *rec)
{
	struct dibs_reply r;

	return one_rec(DIBS_REQ(g, &r, DIBS_CMD_STATS_GET, 0,
				DIBS_PUT_STR(DIBS_A_STATS_CLIENT_NAME, client)),
		       &r, rec);
}

bool dibs_module_loaded(const char *name)
{
	char path[128];

	snprintf(path, sizeof(path), "/sys/module/%s", name);
	return access(path, F_OK) == 0;
}

static int run_cmd(const char *cmd)
{
	int status = system(cmd);

	if (status == -1)
		return -errno;
	return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : -EIO;
}

int dibs_module_load(const char *name, const char *params)
{
	const char *dir = getenv("DIBS_MODULES");
	char cmd[512];

	if (dibs_module_loaded(name))
		return 1;
	if (!dir)
		return -ENOENT;
	snprintf(cmd, sizeof(cmd), "insmod %s/%s.ko %s", dir, name,
		 params ? params : "");
	return run_cmd(cmd);
}

int dibs_module_unload(const char *name)
{
	char cmd[160];

	if (!dibs_module_loaded(name))
		return 0;
	snprintf(cmd, sizeof(cmd), "rmmod %s", name);
	return run_cmd(cmd);
}

int dibs_tc_ctl(const char *fmt, ...)
{
	char buf[128];
	va_list ap;
	ssize_t n;
	int fd, ret = 0;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	fd = open(DIBS_TC_DEBUGFS "/ctl", O_WRONLY);
	if (fd < 0)
		return -errno;
	n = write(fd, buf, strlen(buf));
	if (n < 0)
		ret = -errno;
	else if ((size_t)n != strlen(buf))
		ret = -EIO;
	close(fd);
	return ret;
}

static int read_file(const char *path, char *buf, size_t len)
{
	size_t used = 0;
	ssize_t n;
	int fd;

	buf[0] = '\0';
	fd = open(path, O_RDONLY);
	if (fd < 0)
		return -errno;
	while (used + 1 < len && (n = read(fd, buf + used, len - 1 - used)) > 0)
		used += n;
	buf[used] = '\0';
	close(fd);
	return 0;
}

void dibs_tc_status(char *buf, size_t len)
{
	int ret = read_file(DIBS_TC_DEBUGFS "/status", buf, len);

	if (ret)
		snprintf(buf, len, "(cannot read %s/status: %s)",
			 DIBS_TC_DEBUGFS, strerror(-ret));
}

int dibs_tc_dev_value(const char *dev, const char *key, long *value)
{
	char status[16384], *line, *save = NULL;
	bool found = false;
	int ret;

	ret = read_file(DIBS_TC_DEBUGFS "/status", status, sizeof(status));
	if (ret)
		return ret;
	for (line = strtok_r(status, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		char *word, *wsave = NULL, *prev = NULL;
		int i = 0;
		bool this_dev = false;

		for (word = strtok_r(line, " ", &wsave); word;
		     word = strtok_r(NULL, " ", &wsave), i++) {
			if (i == 0 && strcmp(word, "device"))
				break;
			if (i == 1) {
				this_dev = !strcmp(word, dev);
				if (!this_dev)
					break;
			}
			if (i >= 2 && prev && !strcmp(prev, key)) {
				*value = strtol(word, NULL, 0);
				found = true;
			}
			prev = word;
		}
	}
	return found ? 0 : -ENOENT;
}

int dibs_user_open(const char *dev)
{
	struct dibs_user_bind b = { .size = sizeof(b) };
	int fd, err;

	fd = open("/dev/" DIBS_USER_DEV_NAME, O_RDWR | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	snprintf(b.name, sizeof(b.name), "%s", dev);
	if (ioctl(fd, DIBS_USER_IOC_BIND, &b)) {
		err = -errno;
		close(fd);
		return err;
	}
	return fd;
}

int dibs_user_reg(int fd, uint32_t len, const uint8_t rgid[DIBS_GID_LEN],
		  uint64_t *token, uint32_t *idx)
{
	struct dibs_user_dmb_register r = { .size = sizeof(r), .len = len };

	memcpy(r.rgid, rgid, DIBS_GID_LEN);
	if (ioctl(fd, DIBS_USER_IOC_DMB_REGISTER, &r))
		return -errno;
	if (token)
		*token = r.token;
	if (idx)
		*idx = r.idx;
	return 0;
}

int dibs_user_unreg(int fd, uint64_t token)
{
	struct dibs_user_dmb_unregister u = { .size = sizeof(u), .token = token };

	return ioctl(fd, DIBS_USER_IOC_DMB_UNREGISTER, &u) ? -errno : 0;
}

int dibs_user_move(int fd, uint64_t token, uint32_t offset, uint32_t len,
		   int sig_idx)
{
	static uint8_t data[1 << 20];
	struct dibs_user_move m = {
		.size = sizeof(m),
		.token = token,
		.buf = (uintptr_t)data,
		.offset = offset,
		.len = len,
	};

	if (len > sizeof(data))
		return -E2BIG;
	memset(data, 0xa5, len);
	if (sig_idx >= 0) {
		m.flags = DIBS_USER_MOVE_SIGNAL;
		m.sig_idx = sig_idx;
	}
	return ioctl(fd, DIBS_USER_IOC_MOVE, &m) ? -errno : 0;
}

int dibs_user_event(int fd, const uint8_t rgid[DIBS_GID_LEN], uint32_t code)
{
	struct dibs_user_signal_event e = {
		.size = sizeof(e),
		.flags = DIBS_USER_SIGNAL_IRQ,
		.event_code = code,
	};

	memcpy(e.rgid, rgid, DIBS_GID_LEN);
	return ioctl(fd, DIBS_USER_IOC_SIGNAL_EVENT, &e) ? -errno : 0;
}

int dibs_clients_load(char *why, size_t len)
{
	int ret, i;

	ret = dibs_module_load("dibs_user", NULL);
	if (ret < 0) {
		snprintf(why, len, "cannot load dibs_user.ko from $DIBS_MODULES: %s",
			 dibs_errno_name(ret));
		return ret;
	}
	/* udev creates the node */
	for (i = 0; i < 200 && access("/dev/" DIBS_USER_DEV_NAME, F_OK); i++)
		usleep(50000);
	if (access("/dev/" DIBS_USER_DEV_NAME, F_OK)) {
		snprintf(why, len, "/dev/%s did not appear", DIBS_USER_DEV_NAME);
		return -ENOENT;
	}
	ret = dibs_module_load(DIBS_TC_NAME, NULL);
	if (ret < 0) {
		snprintf(why, len, "cannot load %s.ko from $DIBS_MODULES: %s",
			 DIBS_TC_NAME, dibs_errno_name(ret));
		return ret;
	}
	return 0;
}

void dibs_clients_unload(void)
{
	/* back to the default for the next suite */
	if (dibs_module_loaded(DIBS_TC_NAME)) {
		int fd = open("/sys/module/" DIBS_TC_NAME
			      "/parameters/unregister_on_del", O_WRONLY);

		if (fd >= 0) {
			if (write(fd, "Y", 1) != 1)
				fprintf(stderr, "# cannot reset unregister_on_del\n");
			close(fd);
		}
	}
	dibs_module_unload(DIBS_TC_NAME);
	dibs_module_unload("dibs_user");
}
