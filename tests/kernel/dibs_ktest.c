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
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

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

/* One request in flight: what was sent and what came back so far. */
struct exchange {
	struct dibs_reply *reply;
	const unsigned char *req;
	uint32_t req_len;
	int cap;
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
		if (dibs_dev_del_index(g, dump.devs[i].index, true, &del))
			failed++;
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
