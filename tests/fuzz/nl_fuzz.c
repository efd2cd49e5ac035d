// SPDX-License-Identifier: GPL-2.0-only
/*
 * nl_fuzz: a fuzzer for the "dibs" generic netlink family.
 *
 *   nl_fuzz [-s SEED] [-n COUNT]
 *
 * Builds a valid request per operation from the spec's tables (generated
 * at build time by gen-fuzz-spec), mutates it (unknown, repeated, short,
 * long and unterminated attributes, out-of-range values, bad nests, bad
 * nlmsg_len, no genlmsghdr, wrong commands, flags and versions, flipped
 * bytes) and checks every reply.  Half of COUNT is sent as root, half at
 * the same time by a child that became nobody without capabilities.
 *
 * Failures: a malformed reply (nlmsg_len, an attribute past its message),
 * an error that is not a negative errno, no answer to an acked request, a
 * dump that never ends, an admin-perm operation that succeeds without
 * CAP_NET_ADMIN, a DMB token in a reply or notification to it, a multicast
 * group it may join that only admins may, operations whose flags differ
 * between the spec and CTRL_CMD_GETFAMILY, and, at the end, a device the
 * fuzzer made still there or a DMB count other than at the start.  Exit 0, 1 on failures,
 * 2 on bad usage or setup errors.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>
#include <linux/dibs.h>

#include "fuzz_common.h"
#include "fuzz_spec.h"

/*
 * Multicast groups only CAP_NET_ADMIN may join, besides those the spec
 * flags admin-perm (YNL's genetlink schema has no such flag for groups,
 * so the spec may never say it): dmb tells who registers which buffer
 * when, which is for administrators only (issue 13).
 */
static const char *const admin_only_groups[] = { "dmb", NULL };

#define MSG_MAX 4096
#define RBUF_SIZE (128 * 1024)
#define MAX_DEVS 64
#define MAX_GROUPS 8

enum { C_SENT, C_SENT_ROOT, C_SENT_UNPRIV, C_DATA, C_DUMPS, C_NOREPLY,
	C_NTF, C_DMB_UNPRIV };

#define FZ_INC(c) __atomic_fetch_add(&fz_stats->counters[c], 1, __ATOMIC_RELAXED)

struct dev_info {
	uint32_t index;
	char name[DIBS_DEV_NAME_MAX_LEN + 1];
	uint8_t gid[DIBS_GID_LEN];
	uint32_t dmbs;
};

struct kgroup {
	char name[GENL_NAMSIZ];
	uint32_t id;
};

static uint16_t family_id;
static uint32_t kernel_op_flags[256];	/* CTRL_ATTR_OP_FLAGS + 1<<31 if present */
static struct kgroup kgroups[MAX_GROUPS];
static int nkgroups;
static struct dev_info start_devs[MAX_DEVS];
static int nstart_devs;
static uint8_t gid_pool[4][DIBS_GID_LEN];
static uint32_t index_pool[8] = { 1, 2, 3, 0, 0xffffffff, 100, 4096, 7 };
static const char *const dev_names[] = { "fz0", "fz1", "fz2", "lo", "nosuch",
	"", "lo1", "fz-with.dots_", "fz0123456789abc" };
/* dev-del and client-unbind only name devices the fuzzer may take */
static const char *const own_names[] = { "fz0", "fz1", "fz2", "lo1" };
static const char *const client_names[] = { "dibs_user", "dibs_test_client",
	"dibs_smcd", "nosuch", "" };
static bool unprivileged;
static const char *who = "root";

static const struct fz_op *op_by_cmd(unsigned int cmd)
{
	int i;

	for (i = 0; i < FZ_NOPS; i++)
		if (fz_ops[i].cmd == cmd)
			return &fz_ops[i];
	return NULL;
}

static int nl_open(void)
{
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
	struct timeval tv = { .tv_sec = 20 };
	int fd, one = 1;

	fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_GENERIC);
	if (fd < 0) {
		perror("netlink socket");
		exit(2);
	}
	/* bound, so that broadcasts (from port 0) do not skip it as their sender */
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa))) {
		perror("bind netlink socket");
		exit(2);
	}
	setsockopt(fd, SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof(one));
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	return fd;
}

/* ---------------------------------------------------------- building */

struct msg {
	uint8_t buf[MSG_MAX];
	size_t len;		/* bytes built */
};

static struct nlmsghdr *msg_hdr(struct msg *m)
{
	return (struct nlmsghdr *)m->buf;
}

static struct nlattr *put_attr(struct msg *m, uint16_t type, const void *data,
			       size_t len)
{
	struct nlattr *nla;

	if (m->len + NLA_ALIGN(NLA_HDRLEN + len) > MSG_MAX)
		return NULL;
	nla = (struct nlattr *)(m->buf + m->len);
	nla->nla_type = type;
	nla->nla_len = (uint16_t)(NLA_HDRLEN + len);
	memcpy(nla + 1, data, len);
	memset((uint8_t *)(nla + 1) + len, 0, NLA_ALIGN(len) - len);
	m->len += NLA_ALIGN(NLA_HDRLEN + len);
	return nla;
}

static void put_u32(struct msg *m, uint16_t type, uint32_t v)
{
	put_attr(m, type, &v, sizeof(v));
}

static void msg_start(struct msg *m, unsigned int cmd, bool dump)
{
	struct genlmsghdr g = { .cmd = (uint8_t)cmd, .version = DIBS_FAMILY_VERSION };
	struct nlmsghdr *h = msg_hdr(m);

	memset(h, 0, NLMSG_HDRLEN);
	h->nlmsg_type = family_id;
	h->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK | (dump ? NLM_F_DUMP : 0);
	memcpy(m->buf + NLMSG_HDRLEN, &g, sizeof(g));
	m->len = NLMSG_HDRLEN + GENL_HDRLEN;
}

static void msg_end(struct msg *m)
{
	msg_hdr(m)->nlmsg_len = (uint32_t)m->len;
}

static bool has_word(const char *name, const char *word)
{
	return strstr(name, word) != NULL;
}

/* a value the attribute's checks accept, mostly one naming a real object */
static void put_valid(struct fz_rng *r, struct msg *m, const struct fz_op *op,
		      const struct fz_attr *a)
{
	bool own = op->admin && (op->cmd == DIBS_CMD_DEV_DEL ||
				 op->cmd == DIBS_CMD_CLIENT_UNBIND);
	const char *s;
	uint64_t v;

	switch (a->type) {
	case FZ_STRING:
		if (has_word(a->name, "client"))
			s = client_names[fz_below(r, 5)];
		else if (!strcmp(a->name, "name") && !strcmp(op->name, "client-get"))
			s = client_names[fz_below(r, 5)];
		else if (!strcmp(a->name, "name") && has_word(op->name, "client-"))
			s = client_names[fz_below(r, 5)];
		else if (own)
			s = own_names[fz_below(r, 4)];
		else
			s = dev_names[fz_below(r, 9)];
		put_attr(m, a->id, s, strlen(s) + 1);
		return;
	case FZ_BINARY:
		put_attr(m, a->id, gid_pool[fz_below(r, 4)], DIBS_GID_LEN);
		return;
	case FZ_FLAG:
		put_attr(m, a->id, NULL, 0);
		return;
	default:
		break;
	}
	if (has_word(a->name, "index"))
		v = own ? 1000 + fz_below(r, 3) : index_pool[fz_below(r, 8)];
	else if (a->is_enum)
		v = fz_chance(r, 80) ? 1 : fz_below(r, 3);
	else
		v = fz_below(r, 8);
	if (a->has_max && v > (uint64_t)a->max)
		v = (uint64_t)a->max;
	if (a->has_min && v < (uint64_t)a->min)
		v = (uint64_t)a->min;
	switch (a->type) {
	case FZ_U8: { uint8_t x = (uint8_t)v; put_attr(m, a->id, &x, 1); break; }
	case FZ_U16: { uint16_t x = (uint16_t)(has_word(a->name, "vlan") ?
				fz_below(r, 4096) : v);
		put_attr(m, a->id, &x, 2); break; }
	case FZ_U64: put_attr(m, a->id, &v, 8); break;
	default: put_u32(m, a->id, (uint32_t)v); break;
	}
}

/* the valid request of OP: a random subset of its request attributes */
static void build_valid(struct fz_rng *r, struct msg *m, const struct fz_op *op)
{
	bool dump = op->has_dump && (!op->has_do || fz_chance(r, 40));
	int i;

	msg_start(m, op->cmd, dump);
	for (i = 0; i < op->nreq; i++)
		if (fz_chance(r, 55))
			put_valid(r, m, op, &op->req[i]);
	msg_end(m);
}

enum mutation {
	M_UNKNOWN_ATTR, M_REPEAT, M_WRONG_LEN, M_OUT_OF_RANGE, M_STR_NO_NUL,
	M_NESTED, M_NLA_LEN, M_NLMSG_SHORT, M_NLMSG_LONG, M_NO_GENLHDR,
	M_DUMP_FLAG, M_CMD, M_VERSION, M_FLIP, M_TRUNCATE, M_FLAGS, M_TYPE,
	M_COUNT
};

static const struct fz_attr *random_attr(struct fz_rng *r, const struct fz_op *op)
{
	return op->nreq ? &op->req[fz_below(r, (uint32_t)op->nreq)] : NULL;
}

static struct nlattr *last_attr(struct msg *m)
{
	size_t off = NLMSG_HDRLEN + GENL_HDRLEN, last = 0;
	struct nlattr *nla;

	while (off + NLA_HDRLEN <= m->len) {
		nla = (struct nlattr *)(m->buf + off);
		if (nla->nla_len < NLA_HDRLEN)
			break;
		last = off;
		off += NLA_ALIGN(nla->nla_len);
	}
	return last ? (struct nlattr *)(m->buf + last) : NULL;
}

static void mutate(struct fz_rng *r, struct msg *m, const struct fz_op *op,
		   size_t *send_len)
{
	const struct fz_attr *a = random_attr(r, op);
	struct nlmsghdr *h = msg_hdr(m);
	uint8_t junk[128];
	struct nlattr *nla;
	size_t n;

	fz_bytes(r, junk, sizeof(junk));
	switch ((enum mutation)fz_below(r, M_COUNT)) {
	case M_UNKNOWN_ATTR: {
		static const uint16_t ids[] = { 0, 0x3fff, 0x7fff, 0xffff };
		uint16_t id = fz_chance(r, 50) ? ids[fz_below(r, 4)] :
			(uint16_t)(op->max_attr + 1 + fz_below(r, 4));
		put_attr(m, id, junk, fz_below(r, 24));
		break;
	}
	case M_REPEAT:
		nla = last_attr(m);
		if (nla)
			put_attr(m, nla->nla_type, nla + 1, nla->nla_len - NLA_HDRLEN);
		break;
	case M_WRONG_LEN: {
		static const size_t lens[] = { 0, 1, 2, 3, 5, 7, 9, 15, 17, 64, 100 };
		if (a)
			put_attr(m, a->id, junk, lens[fz_below(r, 11)]);
		break;
	}
	case M_OUT_OF_RANGE:
		if (!a)
			break;
		if (a->type == FZ_STRING) {
			n = (a->max_len ? a->max_len : 64) + 1 + fz_below(r, 40);
			memset(junk, 'a' + (int)fz_below(r, 26), sizeof(junk));
			junk[n < sizeof(junk) ? n : sizeof(junk) - 1] = 0;
			put_attr(m, a->id, junk, n < sizeof(junk) ? n + 1 : sizeof(junk));
		} else if (a->type == FZ_U32) {
			uint32_t v = a->has_max ? (uint32_t)a->max + 1 + fz_below(r, 3) :
				a->has_min ? (uint32_t)a->min - 1 :
				a->is_enum ? 2 + fz_below(r, 100) : 0xffffffff;
			put_u32(m, a->id, v);
		} else if (a->type == FZ_U16) {
			uint16_t v = (uint16_t)(4096 + fz_below(r, 61440));
			put_attr(m, a->id, &v, 2);
		} else if (a->type == FZ_BINARY) {
			put_attr(m, a->id, junk, a->exact_len + 1 + fz_below(r, 8));
		}
		break;
	case M_STR_NO_NUL:
		if (a && a->type == FZ_STRING) {
			n = 1 + fz_below(r, a->max_len ? a->max_len : 15);
			memset(junk, 'f', n);
			/* unaligned length: the padding is not a NUL either */
			nla = put_attr(m, a->id, junk, n);
			if (nla)
				memset((uint8_t *)(nla + 1) + n, 'x', NLA_ALIGN(n) - n);
		}
		break;
	case M_NESTED: {
		struct msg inner = { .len = 0 };
		uint16_t id = a ? a->id : 1;

		put_attr(&inner, (uint16_t)fz_below(r, 10), junk, fz_below(r, 9));
		if (fz_chance(r, 60)) {
			/* an inner attribute running past its nest */
			nla = (struct nlattr *)inner.buf;
			nla->nla_len = (uint16_t)(nla->nla_len + 4 + fz_below(r, 200));
		}
		put_attr(m, id | NLA_F_NESTED, inner.buf, inner.len);
		break;
	}
	case M_NLA_LEN:
		nla = last_attr(m);
		if (nla)
			nla->nla_len = fz_chance(r, 50) ? (uint16_t)fz_below(r, 4) :
				(uint16_t)(nla->nla_len + 4 + fz_below(r, 300));
		break;
	case M_NLMSG_SHORT:
		h->nlmsg_len = fz_below(r, (uint32_t)m->len);
		return;
	case M_NLMSG_LONG:
		h->nlmsg_len = (uint32_t)m->len + 1 + fz_below(r, 64);
		return;
	case M_NO_GENLHDR:
		m->len = NLMSG_HDRLEN + fz_below(r, GENL_HDRLEN);
		break;
	case M_DUMP_FLAG:
		h->nlmsg_flags ^= NLM_F_DUMP;
		break;
	case M_CMD: {
		uint8_t cmd = fz_chance(r, 30) ? 0 :
			fz_chance(r, 50) ? (uint8_t)(FZ_CMD_LAST + 1 + fz_below(r, 3)) :
			(uint8_t)fz_below(r, 256);
		m->buf[NLMSG_HDRLEN] = cmd;
		break;
	}
	case M_VERSION:
		m->buf[NLMSG_HDRLEN + 1] = (uint8_t)fz_below(r, 256);
		break;
	case M_FLIP:
		if (m->len > NLMSG_HDRLEN) {
			n = NLMSG_HDRLEN + fz_below(r, (uint32_t)(m->len - NLMSG_HDRLEN));
			m->buf[n] ^= (uint8_t)(1 + fz_below(r, 255));
		}
		break;
	case M_TRUNCATE:
		if (m->len > NLMSG_HDRLEN)
			m->len = NLMSG_HDRLEN + fz_below(r, (uint32_t)(m->len - NLMSG_HDRLEN));
		break;
	case M_FLAGS: {
		static const uint16_t extra[] = { NLM_F_ECHO, NLM_F_ROOT, NLM_F_MATCH,
			NLM_F_ATOMIC, NLM_F_EXCL, NLM_F_CREATE, NLM_F_REPLACE, NLM_F_APPEND };
		h->nlmsg_flags |= extra[fz_below(r, 8)];
		if (fz_chance(r, 30))
			h->nlmsg_flags &= (uint16_t)~NLM_F_ACK;
		break;
	}
	case M_TYPE: {
		/* never another family: random commands to those could do harm */
		static const uint16_t types[] = { 0, NLMSG_NOOP, NLMSG_ERROR,
			NLMSG_DONE, NLMSG_OVERRUN, 15, GENL_ID_CTRL };
		h->nlmsg_type = types[fz_below(r, 7)];
		break;
	}
	case M_COUNT:
		break;
	}
	msg_end(m);
	*send_len = m->len;
}

/* ---------------------------------------------------------- checking */

/* Attributes from OFF to LEN of BUF must tile it exactly. */
static bool attrs_ok(const uint8_t *buf, size_t off, size_t len, const char *what,
		     unsigned int cmd)
{
	while (off < len) {
		const struct nlattr *nla = (const void *)(buf + off);

		if (len - off < NLA_HDRLEN || nla->nla_len < NLA_HDRLEN ||
		    nla->nla_len > len - off) {
			fz_fail("%s: malformed %s (cmd %u): attribute at offset %zu of %zu runs past the message (nla_len %u)",
				who, what, cmd, off, len,
				len - off >= NLA_HDRLEN ? nla->nla_len : 0);
			return false;
		}
		off += NLA_ALIGN(nla->nla_len);
	}
	return true;
}

static bool has_attr(const uint8_t *buf, size_t off, size_t len, uint16_t type)
{
	while (off + NLA_HDRLEN <= len) {
		const struct nlattr *nla = (const void *)(buf + off);

		if (nla->nla_len < NLA_HDRLEN)
			return false;
		if ((nla->nla_type & NLA_TYPE_MASK) == type)
			return true;
		off += NLA_ALIGN(nla->nla_len);
	}
	return false;
}

static void check_errno(int err, const char *what)
{
	if (err > 0 || err < -FZ_ERRNO_MAX)
		fz_fail("%s: %s carries error %d, not 0 or a negative errno", who,
			what, err);
	fz_count_errno(-err);
}

/* the admin operation named by a request header the kernel echoed */
static const struct fz_op *echoed_admin_op(const struct nlmsghdr *req,
					   size_t avail)
{
	const struct genlmsghdr *g = (const void *)((const uint8_t *)req + NLMSG_HDRLEN);
	const struct fz_op *op;

	if (req->nlmsg_type != family_id || avail < NLMSG_HDRLEN + GENL_HDRLEN ||
	    req->nlmsg_len < NLMSG_HDRLEN + GENL_HDRLEN)
		return NULL;
	op = op_by_cmd(g->cmd);
	return op && op->admin ? op : NULL;
}

/* One data message of the family, a reply or a notification. */
static void check_family_msg(const struct nlmsghdr *h, bool ntf)
{
	const uint8_t *p = (const uint8_t *)h;
	const struct genlmsghdr *g = (const void *)(p + NLMSG_HDRLEN);
	const struct fz_op *op;

	if (h->nlmsg_len < NLMSG_HDRLEN + GENL_HDRLEN) {
		fz_fail("%s: malformed %s: nlmsg_len %u leaves no genlmsghdr", who,
			ntf ? "notification" : "reply", h->nlmsg_len);
		return;
	}
	if (!attrs_ok(p, NLMSG_HDRLEN + GENL_HDRLEN, h->nlmsg_len,
		      ntf ? "notification" : "reply", g->cmd))
		return;
	op = op_by_cmd(g->cmd);
	if (!op) {
		fz_fail("%s: %s with command %u, which the spec does not have", who,
			ntf ? "notification" : "reply", g->cmd);
		return;
	}
	if (!unprivileged)
		return;
	if (g->cmd == DIBS_CMD_DMB_GET)
		FZ_INC(C_DMB_UNPRIV);
	if (op->admin && !ntf)
		fz_fail("%s: admin-perm op %s answered with data without CAP_NET_ADMIN",
			who, op->name);
	if ((g->cmd == DIBS_CMD_DMB_GET || g->cmd == DIBS_CMD_DMB_NEW_NTF ||
	     g->cmd == DIBS_CMD_DMB_DEL_NTF) &&
	    has_attr(p, NLMSG_HDRLEN + GENL_HDRLEN, h->nlmsg_len, DIBS_A_DMB_TOKEN))
		fz_fail("%s: %s %s carries a DMB token (a write capability) to a caller without CAP_NET_ADMIN",
			who, op->name, ntf ? "notification" : "reply");
}

/*
 * Reads what the kernel answered to one request (synchronously queued by
 * sendmsg; later parts of a dump come while reading) and checks it.
 */
static void receive_replies(int fd, uint8_t *rbuf, bool expect,
			    const struct nlmsghdr *req, const char *opname)
{
	const struct fz_op *aop = echoed_admin_op(req, req->nlmsg_len);
	const struct fz_op *reqop = req->nlmsg_type == family_id &&
		req->nlmsg_len >= NLMSG_HDRLEN + GENL_HDRLEN ?
		op_by_cmd(((const struct genlmsghdr *)NLMSG_DATA(req))->cmd) : NULL;
	bool got = false, dump_open = false;

	for (;;) {
		ssize_t n = recv(fd, rbuf, RBUF_SIZE,
				 (dump_open ? 0 : MSG_DONTWAIT) | MSG_TRUNC);
		size_t off = 0;

		if (n < 0) {
			if (errno == EINTR)
				continue;
			if (dump_open)
				fz_fail("%s: %s: dump did not end: %s", who, opname,
					strerror(errno));
			else if (errno != EAGAIN)
				fz_fail("%s: %s: recv: %s", who, opname, strerror(errno));
			else if (expect && !got)
				fz_fail("%s: %s: no answer to a request with NLM_F_ACK",
					who, opname);
			if (!got)
				FZ_INC(C_NOREPLY);
			return;
		}
		if (n > RBUF_SIZE) {
			fz_fail("%s: %s: a reply of %zd bytes, more than a netlink message should be",
				who, opname, n);
			return;
		}
		got = true;
		while (off < (size_t)n) {
			const struct nlmsghdr *h = (const void *)(rbuf + off);
			size_t left = (size_t)n - off;

			if (left < NLMSG_HDRLEN || h->nlmsg_len < NLMSG_HDRLEN ||
			    h->nlmsg_len > left) {
				fz_fail("%s: %s: malformed reply: nlmsg_len %u with %zu bytes left",
					who, opname,
					left >= NLMSG_HDRLEN ? h->nlmsg_len : 0, left);
				return;
			}
			if (h->nlmsg_type == NLMSG_ERROR) {
				const struct nlmsgerr *e = NLMSG_DATA(h);
				size_t plen = h->nlmsg_len - NLMSG_HDRLEN, tlv;

				if (plen < sizeof(*e)) {
					fz_fail("%s: %s: NLMSG_ERROR of %zu bytes", who,
						opname, plen);
					return;
				}
				check_errno(e->error, "NLMSG_ERROR");
				tlv = h->nlmsg_flags & NLM_F_CAPPED ? sizeof(*e) :
					sizeof(e->error) + NLMSG_ALIGN(e->msg.nlmsg_len);
				if (tlv > plen) {
					fz_fail("%s: %s: NLMSG_ERROR of %zu bytes echoes a request of %u",
						who, opname, plen, e->msg.nlmsg_len);
					return;
				}
				if (h->nlmsg_flags & NLM_F_ACK_TLVS)
					attrs_ok((const uint8_t *)e, tlv, plen,
						 "extended ack", 0);
				if (!e->error && reqop && e->msg.nlmsg_seq == req->nlmsg_seq)
					__atomic_fetch_add(&fz_stats->per_op[reqop->cmd], 1,
							   __ATOMIC_RELAXED);
				/* a success echoes only the nlmsghdr: match it */
				if (unprivileged && !e->error && aop &&
				    e->msg.nlmsg_type == req->nlmsg_type &&
				    e->msg.nlmsg_len == req->nlmsg_len &&
				    e->msg.nlmsg_seq == req->nlmsg_seq)
					fz_fail("%s: admin-perm op %s succeeded without CAP_NET_ADMIN",
						who, aop->name);
				dump_open = false;
			} else if (h->nlmsg_type == NLMSG_DONE) {
				int err = 0;

				if (h->nlmsg_len >= NLMSG_HDRLEN + sizeof(int))
					memcpy(&err, NLMSG_DATA(h), sizeof(err));
				check_errno(err, "NLMSG_DONE");
				if (!err && reqop)
					__atomic_fetch_add(&fz_stats->per_op[reqop->cmd], 1,
							   __ATOMIC_RELAXED);
				if (unprivileged && !err && aop)
					fz_fail("%s: admin-perm op %s dumped without CAP_NET_ADMIN",
						who, aop->name);
				FZ_INC(C_DUMPS);
				dump_open = false;
			} else if (h->nlmsg_type == family_id) {
				check_family_msg(h, false);
				FZ_INC(C_DATA);
				if (h->nlmsg_flags & NLM_F_MULTI)
					dump_open = true;
			} else if (h->nlmsg_type >= NLMSG_MIN_TYPE) {
				attrs_ok((const uint8_t *)h, NLMSG_HDRLEN + GENL_HDRLEN,
					 h->nlmsg_len, "reply of another family", 0);
			}
			off += NLMSG_ALIGN(h->nlmsg_len);
		}
	}
}

static void send_checked(int fd, uint8_t *rbuf, struct msg *m, size_t send_len,
			 const char *opname)
{
	const struct nlmsghdr *h = msg_hdr(m);
	bool expect;

	/* the kernel answers what it parses and was asked to ack */
	expect = h->nlmsg_len >= NLMSG_HDRLEN && h->nlmsg_len <= send_len &&
		 (h->nlmsg_flags & NLM_F_REQUEST) && (h->nlmsg_flags & NLM_F_ACK);
	if (send(fd, m->buf, send_len, 0) < 0) {
		/* the socket refuses nothing a process may send */
		fz_fail("%s: send of %zu bytes (%s): %s", who, send_len, opname,
			strerror(errno));
		return;
	}
	FZ_INC(C_SENT);
	FZ_INC(unprivileged ? C_SENT_UNPRIV : C_SENT_ROOT);
	receive_replies(fd, rbuf, expect, h, opname);
}

/* ---------------------------------------------- plain, checked requests */

typedef void (*msg_cb)(const struct nlmsghdr *h, void *arg);

/* A request that must succeed; CB sees each data message. */
static int request(int fd, struct msg *m, uint16_t type, msg_cb cb, void *arg)
{
	static uint8_t rbuf[RBUF_SIZE];
	int err = 0;
	bool done = false;

	msg_hdr(m)->nlmsg_type = type;
	if (send(fd, m->buf, m->len, 0) < 0)
		return -errno;
	while (!done) {
		ssize_t n = recv(fd, rbuf, sizeof(rbuf), 0);
		size_t off = 0;

		if (n < 0)
			return -errno;
		while (off + NLMSG_HDRLEN <= (size_t)n) {
			const struct nlmsghdr *h = (const void *)(rbuf + off);

			if (h->nlmsg_len < NLMSG_HDRLEN || h->nlmsg_len > (size_t)n - off)
				return -EBADMSG;
			if (h->nlmsg_type == NLMSG_ERROR) {
				err = ((const struct nlmsgerr *)NLMSG_DATA(h))->error;
				done = true;
			} else if (h->nlmsg_type == NLMSG_DONE) {
				done = true;
			} else if (cb) {
				cb(h, arg);
			}
			off += NLMSG_ALIGN(h->nlmsg_len);
		}
	}
	return err;
}

/* calls FN(type, payload, len, arg) for each attribute in [off, len) */
static void for_attrs(const uint8_t *p, size_t off, size_t len,
		      void (*fn)(uint16_t, const uint8_t *, size_t, void *), void *arg)
{
	while (off + NLA_HDRLEN <= len) {
		const struct nlattr *nla = (const void *)(p + off);

		if (nla->nla_len < NLA_HDRLEN || nla->nla_len > len - off)
			return;
		fn(nla->nla_type & NLA_TYPE_MASK, p + off + NLA_HDRLEN,
		   nla->nla_len - NLA_HDRLEN, arg);
		off += NLA_ALIGN(nla->nla_len);
	}
}

static void op_attr(uint16_t type, const uint8_t *d, size_t len, void *arg)
{
	uint32_t *id_flags = arg;

	if (type == CTRL_ATTR_OP_ID && len >= 4)
		memcpy(&id_flags[0], d, 4);
	else if (type == CTRL_ATTR_OP_FLAGS && len >= 4)
		memcpy(&id_flags[1], d, 4);
}

static void op_nest(uint16_t type, const uint8_t *d, size_t len, void *arg)
{
	uint32_t id_flags[2] = { 0, 0 };

	for_attrs(d, 0, len, op_attr, id_flags);
	if (id_flags[0] < 256)
		kernel_op_flags[id_flags[0]] = id_flags[1] | 0x80000000U;
}

static void grp_attr(uint16_t type, const uint8_t *d, size_t len, void *arg)
{
	struct kgroup *g = arg;

	if (type == CTRL_ATTR_MCAST_GRP_NAME)
		snprintf(g->name, sizeof(g->name), "%.*s", (int)len, (const char *)d);
	else if (type == CTRL_ATTR_MCAST_GRP_ID && len >= 4)
		memcpy(&g->id, d, 4);
}

static void grp_nest(uint16_t type, const uint8_t *d, size_t len, void *arg)
{
	if (nkgroups < MAX_GROUPS)
		for_attrs(d, 0, len, grp_attr, &kgroups[nkgroups++]);
}

static void family_attr(uint16_t type, const uint8_t *d, size_t len, void *arg)
{
	if (type == CTRL_ATTR_FAMILY_ID && len >= 2)
		memcpy(&family_id, d, 2);
	else if (type == CTRL_ATTR_OPS)
		for_attrs(d, 0, len, op_nest, NULL);
	else if (type == CTRL_ATTR_MCAST_GROUPS)
		for_attrs(d, 0, len, grp_nest, NULL);
}

static void family_cb(const struct nlmsghdr *h, void *arg)
{
	for_attrs((const uint8_t *)h, NLMSG_HDRLEN + GENL_HDRLEN, h->nlmsg_len,
		  family_attr, NULL);
}

static void resolve_family(int fd)
{
	struct msg m;
	int err;

	msg_start(&m, CTRL_CMD_GETFAMILY, false);
	m.buf[NLMSG_HDRLEN + 1] = 1;
	put_attr(&m, CTRL_ATTR_FAMILY_NAME, DIBS_FAMILY_NAME,
		 sizeof(DIBS_FAMILY_NAME));
	msg_end(&m);
	err = request(fd, &m, GENL_ID_CTRL, family_cb, NULL);
	if (err || !family_id) {
		fprintf(stderr, "nl_fuzz: family %s not found through nlctrl: %s\n",
			DIBS_FAMILY_NAME, strerror(-err));
		exit(2);
	}
}

/* The kernel's op flags must say what the spec says. */
static void check_op_flags(void)
{
	unsigned int cmd;
	int i;

	for (i = 0; i < FZ_NOPS; i++) {
		const struct fz_op *op = &fz_ops[i];
		uint32_t f = kernel_op_flags[op->cmd];

		if (op->notification) {
			if (f)
				fz_fail("CTRL_ATTR_OPS lists %s (%u), a notification in the spec",
					op->name, op->cmd);
			continue;
		}
		if (!f) {
			fz_fail("CTRL_ATTR_OPS lacks %s (%u)", op->name, op->cmd);
			continue;
		}
		if (!!(f & GENL_ADMIN_PERM) != op->admin)
			fz_fail("op %s: the spec says admin-perm %s, the kernel's CTRL_ATTR_OP_FLAGS 0x%x say %s",
				op->name, op->admin ? "yes" : "no", f & 0xffff,
				f & GENL_ADMIN_PERM ? "yes" : "no");
		if (!!(f & GENL_CMD_CAP_DO) != op->has_do ||
		    !!(f & GENL_CMD_CAP_DUMP) != op->has_dump)
			fz_fail("op %s: spec do %d dump %d, kernel flags 0x%x", op->name,
				op->has_do, op->has_dump, f & 0xffff);
	}
	for (cmd = 0; cmd < 256; cmd++)
		if (kernel_op_flags[cmd] && !op_by_cmd(cmd))
			fz_fail("CTRL_ATTR_OPS lists command %u, which the spec lacks", cmd);
	for (i = 0; i < nkgroups; i++)
		printf("group %s: id %u\n", kgroups[i].name, kgroups[i].id);
	for (i = 0; i < FZ_NOPS; i++)
		if (!fz_ops[i].notification)
			printf("op %s: spec %s, kernel flags 0x%x\n", fz_ops[i].name,
			       fz_ops[i].admin ? "admin-perm" : "unprivileged",
			       kernel_op_flags[fz_ops[i].cmd] & 0xffff);
}

static void dev_attr(uint16_t type, const uint8_t *d, size_t len, void *arg)
{
	struct dev_info *dev = arg;

	if (type == DIBS_A_DEV_INDEX && len >= 4)
		memcpy(&dev->index, d, 4);
	else if (type == DIBS_A_DEV_NAME)
		snprintf(dev->name, sizeof(dev->name), "%.*s", (int)len, (const char *)d);
	else if (type == DIBS_A_DEV_GID && len == DIBS_GID_LEN)
		memcpy(dev->gid, d, DIBS_GID_LEN);
	else if (type == DIBS_A_DEV_DMBS_IN_USE && len >= 4)
		memcpy(&dev->dmbs, d, 4);
}

struct dev_list {
	struct dev_info devs[MAX_DEVS * 4];
	int n;
};

static void dev_cb(const struct nlmsghdr *h, void *arg)
{
	struct dev_list *l = arg;

	if (l->n >= MAX_DEVS * 4)
		return;
	memset(&l->devs[l->n], 0, sizeof(l->devs[0]));
	for_attrs((const uint8_t *)h, NLMSG_HDRLEN + GENL_HDRLEN, h->nlmsg_len,
		  dev_attr, &l->devs[l->n]);
	l->n++;
}

static int dump_devs(int fd, struct dev_list *l)
{
	struct msg m;

	l->n = 0;
	msg_start(&m, DIBS_CMD_DEV_GET, true);
	msg_end(&m);
	return request(fd, &m, family_id, dev_cb, l);
}

static void client_attr(uint16_t type, const uint8_t *d, size_t len, void *arg)
{
	uint32_t *v = arg;

	if (type == DIBS_A_CLIENT_ID && len >= 4)
		memcpy(&v[0], d, 4);
	else if (type == DIBS_A_CLIENT_DMBS && len >= 4)
		memcpy(&v[1], d, 4);
}

static void client_cb(const struct nlmsghdr *h, void *arg)
{
	uint32_t v[2] = { 0, 0 };
	uint32_t *ids = arg;

	for_attrs((const uint8_t *)h, NLMSG_HDRLEN + GENL_HDRLEN, h->nlmsg_len,
		  client_attr, v);
	ids[v[0] & 7] = 0x100 | v[1];
}

static uint32_t start_dmbs(const char *name)
{
	int i;

	for (i = 0; i < nstart_devs; i++)
		if (!strcmp(start_devs[i].name, name))
			return start_devs[i].dmbs;
	return 0;
}

static bool was_there(const char *name)
{
	int i;

	for (i = 0; i < nstart_devs; i++)
		if (!strcmp(start_devs[i].name, name))
			return true;
	return false;
}

/*
 * Deletes every device the fuzzer made, binds every client to every device
 * it found again, and checks that the devices are those it found, with no
 * DMB anywhere.
 */
static void delete_new_devices(int fd)
{
	static struct dev_list l;
	struct msg m;
	int i, err;

	if (dump_devs(fd, &l)) {
		fz_fail("dev-get dump during the fuzzing failed");
		return;
	}
	for (i = 0; i < l.n; i++) {
		if (was_there(l.devs[i].name))
			continue;
		msg_start(&m, DIBS_CMD_DEV_DEL, false);
		put_attr(&m, DIBS_A_DEV_NAME, l.devs[i].name, strlen(l.devs[i].name) + 1);
		put_attr(&m, DIBS_A_DEV_FORCE, NULL, 0);
		msg_end(&m);
		err = request(fd, &m, family_id, NULL, NULL);
		if (err)
			fz_fail("deleting %s, which the fuzzer made: %s", l.devs[i].name,
				strerror(-err));
	}
}

static void clean_up(int fd)
{
	static struct dev_list l;
	uint32_t clients[8] = { 0 };
	struct msg m;
	int i, c, err;

	delete_new_devices(fd);
	msg_start(&m, DIBS_CMD_CLIENT_GET, true);
	msg_end(&m);
	if (request(fd, &m, family_id, client_cb, clients))
		fz_fail("client-get dump after the fuzzing failed");
	for (c = 0; c < 8; c++) {
		for (i = 0; clients[c] && i < nstart_devs; i++) {
			msg_start(&m, DIBS_CMD_CLIENT_BIND, false);
			put_u32(&m, DIBS_A_CLIENT_ID, (uint32_t)c);
			put_u32(&m, DIBS_A_CLIENT_DEV_INDEX, start_devs[i].index);
			msg_end(&m);
			err = request(fd, &m, family_id, NULL, NULL);
			if (err && err != -EALREADY && err != -EEXIST && err != -ENODEV)
				fz_fail("binding client %d to %s again: %s", c,
					start_devs[i].name, strerror(-err));
		}
	}
	if (dump_devs(fd, &l)) {
		fz_fail("dev-get dump after the clean-up failed");
		return;
	}
	for (i = 0; i < l.n; i++) {
		if (!was_there(l.devs[i].name))
			fz_fail("device %s, made by the fuzzer, is still there",
				l.devs[i].name);
		if (l.devs[i].dmbs != start_dmbs(l.devs[i].name))
			fz_fail("device %s has %u DMBs after the fuzzing, %u before",
				l.devs[i].name, l.devs[i].dmbs,
				start_dmbs(l.devs[i].name));
	}
	printf("clean-up: %d devices left (%d before)\n", l.n, nstart_devs);
}

/* ------------------------------------------------------------- the run */

static bool group_admin_only(const char *name)
{
	const struct fz_group *g;
	int i;

	for (g = fz_groups; g->name; g++)
		if (!strcmp(g->name, name) && g->admin)
			return true;
	for (i = 0; admin_only_groups[i]; i++)
		if (!strcmp(admin_only_groups[i], name))
			return true;
	return false;
}

/* Joins every group it may; returns the socket listening to them. */
static int join_groups(void)
{
	int fd = nl_open(), i;
	char joined[256] = "";

	for (i = 0; i < nkgroups; i++) {
		int err = setsockopt(fd, SOL_NETLINK, NETLINK_ADD_MEMBERSHIP,
				     &kgroups[i].id, sizeof(kgroups[i].id));

		if (!err) {
			strcat(joined, " ");
			strncat(joined, kgroups[i].name, GENL_NAMSIZ);
		}
		if (!err && unprivileged && group_admin_only(kgroups[i].name))
			fz_fail("%s: joined multicast group %s, which only CAP_NET_ADMIN may join (who registers which DMB is for administrators, issue 13)",
				who, kgroups[i].name);
		else if (err && (!unprivileged || !group_admin_only(kgroups[i].name)))
			fz_fail("%s: cannot join multicast group %s: %s", who,
				kgroups[i].name, strerror(errno));
	}
	printf("%s joined groups:%s\n", who, joined[0] ? joined : " none");
	return fd;
}

static void drain_notifications(int fd, uint8_t *rbuf)
{
	ssize_t n;

	while ((n = recv(fd, rbuf, RBUF_SIZE, MSG_DONTWAIT)) > 0 ||
	       (n < 0 && errno == ENOBUFS)) {
		size_t off = 0;

		while (n > 0 && off + NLMSG_HDRLEN <= (size_t)n) {
			const struct nlmsghdr *h = (const void *)(rbuf + off);

			if (h->nlmsg_len < NLMSG_HDRLEN || h->nlmsg_len > (size_t)n - off) {
				fz_fail("%s: malformed notification: nlmsg_len %u", who,
					h->nlmsg_len);
				break;
			}
			if (h->nlmsg_type == family_id) {
				check_family_msg(h, true);
				FZ_INC(C_NTF);
			}
			off += NLMSG_ALIGN(h->nlmsg_len);
		}
	}
}

static void fuzz(uint64_t seed, unsigned long count)
{
	static uint8_t rbuf[RBUF_SIZE];
	int fd = nl_open(), gfd = join_groups();
	struct fz_rng r;
	struct msg m;
	unsigned long i;

	fz_seed(&r, seed);
	for (i = 0; i < count; i++) {
		const struct fz_op *op;
		size_t send_len;
		int k, nmut;

		do {
			op = &fz_ops[fz_below(&r, FZ_NOPS)];
		} while (op->notification && fz_chance(&r, 80));
		if (op->notification)
			msg_start(&m, op->cmd, fz_chance(&r, 50)), msg_end(&m);
		else
			build_valid(&r, &m, op);
		send_len = m.len;
		nmut = fz_chance(&r, 25) ? 0 : 1 + (int)fz_below(&r, 3);
		for (k = 0; k < nmut; k++)
			mutate(&r, &m, op, &send_len);
		msg_hdr(&m)->nlmsg_seq = (uint32_t)i + 1;
		send_checked(fd, rbuf, &m, send_len, op->name);
		if (i % 256 == 255)
			drain_notifications(gfd, rbuf);
		/* bounds the devices dev-new without a name makes */
		if (!unprivileged && i % 1000 == 999)
			delete_new_devices(fd);
	}
	drain_notifications(gfd, rbuf);
	close(gfd);
	close(fd);
}

static void usage(void)
{
	fprintf(stderr, "usage: nl_fuzz [-s SEED] [-n COUNT]\n");
	exit(2);
}

int main(int argc, char **argv)
{
	static struct dev_list l;
	unsigned long long seed = 13, count = 2000;
	int opt, fd, status, i;
	pid_t child;

	while ((opt = getopt(argc, argv, "s:n:")) != -1) {
		if (opt == 's')
			seed = fz_parse_num("seed", optarg);
		else if (opt == 'n')
			count = fz_parse_num("count", optarg);
		else
			usage();
	}
	if (optind != argc)
		usage();
	setvbuf(stdout, NULL, _IOLBF, 0);
	fz_stats_init();
	printf("nl_fuzz: seed %llu, count %llu\n", seed, count);

	fd = nl_open();
	resolve_family(fd);
	check_op_flags();
	if (dump_devs(fd, &l) || !l.n) {
		fprintf(stderr, "nl_fuzz: no dibs device to start from\n");
		return 2;
	}
	nstart_devs = l.n < MAX_DEVS ? l.n : MAX_DEVS;
	memcpy(start_devs, l.devs, sizeof(start_devs[0]) * (size_t)nstart_devs);
	memcpy(gid_pool[0], start_devs[0].gid, DIBS_GID_LEN);
	memset(gid_pool[1], 0, DIBS_GID_LEN);
	memset(gid_pool[2], 0xab, DIBS_GID_LEN);
	memcpy(gid_pool[3], start_devs[nstart_devs - 1].gid, DIBS_GID_LEN);
	index_pool[1] = start_devs[nstart_devs - 1].index;

	fflush(stdout);
	child = fork();
	if (child < 0) {
		perror("fork");
		return 2;
	}
	if (!child) {
		unprivileged = true;
		who = "nobody";
		if (fz_drop_privileges())
			_exit(2);
		fuzz(seed + 1, count / 2);
		_exit(0);
	}
	fuzz(seed, count - count / 2);
	if (waitpid(child, &status, 0) < 0 || !WIFEXITED(status) ||
	    WEXITSTATUS(status)) {
		fz_fail("the unprivileged child failed (status 0x%x)", status);
	}
	clean_up(fd);
	close(fd);

	printf("nl_fuzz: seed %llu: %lu messages sent (%lu as root, %lu as nobody), %lu data replies, %lu dumps ended, %lu without answer, %lu notifications checked\n",
	       seed, fz_stats->counters[C_SENT], fz_stats->counters[C_SENT_ROOT],
	       fz_stats->counters[C_SENT_UNPRIV], fz_stats->counters[C_DATA],
	       fz_stats->counters[C_DUMPS], fz_stats->counters[C_NOREPLY],
	       fz_stats->counters[C_NTF]);
	printf("nl_fuzz: nobody got %lu dmb-get entries, checked for tokens\n",
	       fz_stats->counters[C_DMB_UNPRIV]);
	fz_print_histogram("nl_fuzz: acks: ");
	printf("nl_fuzz: successes per op:");
	for (i = 0; i < FZ_NOPS; i++)
		if (!fz_ops[i].notification)
			printf(" %s %lu", fz_ops[i].name, fz_stats->per_op[fz_ops[i].cmd]);
	printf("\n");
	if (fz_stats->failures) {
		printf("nl_fuzz: %lu failures\n", fz_stats->failures);
		return 1;
	}
	return 0;
}
