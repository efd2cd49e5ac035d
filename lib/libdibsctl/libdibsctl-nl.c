// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Netlink transport: one request, each of its replies handed on as it
 * is read, the final ack or error with its extack.  Replies are walked
 * here (nlmsg_ok/nlmsg_next), so no user code runs inside a libnl
 * callback.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <linux/genetlink.h>
#include <netlink/attr.h>
#include <netlink/genl/ctrl.h>
#include <netlink/genl/genl.h>
#include <netlink/msg.h>
#include <netlink/netlink.h>
#include <netlink/socket.h>

#include "dibs-nl-gen.h"
#include "libdibsctl-private.h"

/* The largest part of a dump (netlink_recvmsg() caps it at 32 KiB). */
#define DIBSCTL_NL_RECV_BUF	(32 * 1024)

static int dibsctl_parse_family_id(struct nlmsghdr *nlh, void *arg)
{
	struct nlattr *id;
	int *family = arg;

	if (!genlmsg_valid_hdr(nlh, 0))
		return -EBADMSG;
	id = nla_find(genlmsg_attrdata(nlmsg_data(nlh), 0),
		      genlmsg_attrlen(nlmsg_data(nlh), 0), CTRL_ATTR_FAMILY_ID);
	if (!id || nla_len(id) != sizeof(uint16_t))
		return -EBADMSG;
	*family = nla_get_u16(id);
	return 0;
}

/*
 * The family's id, in one round trip on our own transport: a getfamily
 * request without an ack, answered by the family or an error.
 */
static int dibsctl_nl_resolve(struct dibsctl *ctx)
{
	struct nl_msg *msg;
	int family = 0;
	int err;

	msg = nlmsg_alloc();
	if (!msg)
		return -ENOMEM;
	if (!genlmsg_put(msg, NL_AUTO_PORT, NL_AUTO_SEQ, GENL_ID_CTRL, 0, 0,
			 CTRL_CMD_GETFAMILY, 1) ||
	    nla_put_string(msg, CTRL_ATTR_FAMILY_NAME, DIBS_FAMILY_NAME)) {
		nlmsg_free(msg);
		return -ENOMEM;
	}
	ctx->attr_names = NULL;
	err = dibsctl_nl_transact_parse(ctx, msg, dibsctl_parse_family_id,
					&family);
	nlmsg_free(msg);
	if (!err && !family)
		err = -EBADMSG;
	return err ? err : family;
}

int dibsctl_nl_open(struct dibsctl *ctx)
{
	struct nl_sock *sock;
	int one = 1;
	int err;

	sock = nl_socket_alloc();
	if (!sock)
		return -ENOMEM;

	err = genl_connect(sock);
	if (err < 0) {
		nl_socket_free(sock);
		err = dibsctl_errno_from_nl(err);
		goto err_fail;
	}

	/*
	 * Ask for the kernel's error message and offending attribute, and
	 * spare us the echo of our own request.  Kernels without extended
	 * acks refuse the option; errors then come without a message.
	 */
	setsockopt(nl_socket_get_fd(sock), SOL_NETLINK, NETLINK_EXT_ACK,
		   &one, sizeof(one));
	setsockopt(nl_socket_get_fd(sock), SOL_NETLINK, NETLINK_CAP_ACK,
		   &one, sizeof(one));
	/*
	 * Read each datagram in one recvmsg(), with no MSG_PEEK first: the
	 * kernel never builds a dump part bigger than 32 KiB, and a bigger
	 * datagram fails with a clear error instead of being cut short.
	 */
	nl_socket_set_msg_buf_size(sock, DIBSCTL_NL_RECV_BUF);
	/* dibsctl_nl_request() asks for acks where no reply comes */
	nl_socket_disable_auto_ack(sock);
	/*
	 * Our transport checks sequence numbers itself and libnl does not
	 * see them go by: its own check would refuse the answers to the
	 * libnl calls still made on this socket (multicast group lookup).
	 */
	nl_socket_disable_seq_check(sock);

	dibsctl_close_socket(ctx);
	ctx->sock = sock;
	err = dibsctl_nl_resolve(ctx);
	if (err < 0) {
		/* the transport may have closed it already */
		dibsctl_close_socket(ctx);
		goto err_fail;
	}
	ctx->family = err;
	return 0;

err_fail:
	if (err == -ENOENT)
		return dibsctl_fail(ctx, err,
				    "no \"%s\" generic netlink family",
				    DIBS_FAMILY_NAME);
	return dibsctl_fail(ctx, err, "cannot open a generic netlink socket");
}

/* The attribute set of each request, to name attributes in extacks. */
static void dibsctl_set_attr_names(struct dibsctl *ctx, uint8_t cmd)
{
	switch (cmd) {
	case DIBS_CMD_CLIENT_GET:
	case DIBS_CMD_CLIENT_BIND:
	case DIBS_CMD_CLIENT_UNBIND:
		ctx->attr_names = dibs_nl_client_attr_name;
		ctx->attr_max = DIBS_A_CLIENT_MAX;
		break;
	case DIBS_CMD_DMB_GET:
		ctx->attr_names = dibs_nl_dmb_attr_name;
		ctx->attr_max = DIBS_A_DMB_MAX;
		break;
	case DIBS_CMD_GID_GET:
	case DIBS_CMD_GID_CHECK:
		ctx->attr_names = dibs_nl_gid_attr_name;
		ctx->attr_max = DIBS_A_GID_MAX;
		break;
	case DIBS_CMD_VLAN_GET:
		ctx->attr_names = dibs_nl_vlan_attr_name;
		ctx->attr_max = DIBS_A_VLAN_MAX;
		break;
	case DIBS_CMD_STATS_GET:
	case DIBS_CMD_STATS_RESET:
		ctx->attr_names = dibs_nl_stats_attr_name;
		ctx->attr_max = DIBS_A_STATS_MAX;
		break;
	case DIBS_CMD_BINDING_GET:
		ctx->attr_names = dibs_nl_binding_attr_name;
		ctx->attr_max = DIBS_A_BINDING_MAX;
		break;
	default:
		ctx->attr_names = dibs_nl_dev_attr_name;
		ctx->attr_max = DIBS_A_DEV_MAX;
		break;
	}
}

/* Starts a request message for @cmd; the caller adds attributes. */
int dibsctl_nl_request(struct dibsctl *ctx, uint8_t cmd, int flags,
		       struct nl_msg **msg)
{
	struct nl_msg *m;
	int err;

	if (!ctx->sock) {
		err = dibsctl_nl_open(ctx);
		if (err)
			return err;
	}

	/*
	 * Every request but a get of one object, which is answered by the
	 * object or an error, asks for an ack: a round trip the less for
	 * "dibsctl show lo".
	 */
	if ((flags & NLM_F_DUMP) ||
	    (cmd != DIBS_CMD_DEV_GET && cmd != DIBS_CMD_CLIENT_GET))
		flags |= NLM_F_ACK;

	m = nlmsg_alloc();
	if (!m)
		return -ENOMEM;
	if (!genlmsg_put(m, NL_AUTO_PORT, NL_AUTO_SEQ, ctx->family, 0, flags,
			 cmd, DIBS_FAMILY_VERSION)) {
		nlmsg_free(m);
		return -ENOMEM;
	}
	dibsctl_set_attr_names(ctx, cmd);
	*msg = m;
	return 0;
}

struct dibsctl_transaction {
	struct dibsctl *ctx;
	const struct nlmsghdr *request;
	int (*parse)(struct nlmsghdr *nlh, void *arg);
	void *arg;
	int err;
	bool done;
};

static void dibsctl_transaction_fail(struct dibsctl_transaction *t, int err)
{
	if (!t->err)
		t->err = err;
}

static void dibsctl_on_valid(struct dibsctl_transaction *t,
			     struct nlmsghdr *nlh)
{
	int err;

	/*
	 * A reply we cannot use, or one after the caller said stop, is
	 * remembered, not returned: reading goes on to the end so that the
	 * socket stays in step with the kernel.
	 */
	if (!t->parse || t->err)
		return;
	err = t->parse(nlh, t->arg);
	if (err) {
		dibsctl_transaction_fail(t, err);
		if (err == -EBADMSG)
			dibsctl_fail(t->ctx, err,
				     "malformed object in the kernel's reply");
	}
}

/* The end of a dump; it carries the dump's error code, if any. */
static void dibsctl_on_finish(struct dibsctl_transaction *t,
			      struct nlmsghdr *nlh)
{
	int dump_err = 0;

	if (nlh->nlmsg_len >= NLMSG_LENGTH(sizeof(dump_err)))
		memcpy(&dump_err, NLMSG_DATA(nlh), sizeof(dump_err));
	if (dump_err < 0) {
		t->err = dump_err;
		dibsctl_clear_error(t->ctx);
		dibsctl_set_extack(t->ctx, nlh, t->request);
	}
	t->done = true;
}

/* An ack (error 0) or the kernel's refusal of the request. */
static void dibsctl_on_error(struct dibsctl_transaction *t,
			     struct nlmsghdr *nlh)
{
	const struct nlmsgerr *e = nlmsg_data(nlh);

	t->done = true;
	if (nlh->nlmsg_len < NLMSG_LENGTH(sizeof(*e))) {
		dibsctl_transaction_fail(t, -EBADMSG);
		return;
	}
	if (e->error == 0)
		return;
	/* The kernel's verdict outranks a reply we failed to parse. */
	t->err = e->error < 0 ? e->error : -e->error;
	dibsctl_clear_error(t->ctx);
	dibsctl_set_extack(t->ctx, nlh, t->request);
}

static int dibsctl_parse_dev(struct nlmsghdr *nlh, void *arg)
{
	struct dibsctl_dev_list *replies = arg;
	struct dibsctl_dev *dev;
	int err;

	err = dibsctl_dev_new_from_nlmsg(nlh, &dev);
	if (err)
		return err;
	err = dibsctl_dev_list_append(replies, dev);
	dibsctl_dev_unref(dev);
	return err;
}

/*
 * Sends @msg (not freed here) and reads until its ack, error or end of
 * dump.  Every device in a reply is appended to @replies when given.
 */
int dibsctl_nl_transact(struct dibsctl *ctx, struct nl_msg *msg,
			struct dibsctl_dev_list *replies)
{
	return dibsctl_nl_transact_parse(ctx, msg,
					 replies ? dibsctl_parse_dev : NULL,
					 replies);
}

/*
 * The replies are read datagram by datagram and handed to @parse as
 * each one arrives, outside of any libnl callback: @parse may run the
 * caller's code, and a dump never needs more memory than one datagram.
 */
int dibsctl_nl_transact_parse(struct dibsctl *ctx, struct nl_msg *msg,
			      int (*parse)(struct nlmsghdr *nlh, void *arg),
			      void *arg)
{
	struct dibsctl_transaction t = {
		.ctx = ctx,
		.parse = parse,
		.arg = arg,
	};
	uint32_t seq;
	int err;

	err = nl_send_auto(ctx->sock, msg);
	if (err < 0)
		return dibsctl_fail(ctx, dibsctl_errno_from_nl(err),
				    "cannot send the netlink request");
	t.request = nlmsg_hdr(msg);
	seq = t.request->nlmsg_seq;

	while (!t.done) {
		struct sockaddr_nl from;
		unsigned char *buf = NULL;
		struct nlmsghdr *nlh;
		int len;

		len = nl_recv(ctx->sock, &from, &buf, NULL);
		if (len <= 0) {
			free(buf);
			/* Out of step with the kernel: start afresh next time. */
			dibsctl_close_socket(ctx);
			return dibsctl_fail(ctx, len < 0 ?
					    dibsctl_errno_from_nl(len) : -EIO,
					    "cannot read the kernel's answer");
		}
		for (nlh = (struct nlmsghdr *)buf; !t.done && nlmsg_ok(nlh, len);
		     nlh = nlmsg_next(nlh, &len)) {
			/* left over from a request given up on */
			if (nlh->nlmsg_seq != seq)
				continue;
			switch (nlh->nlmsg_type) {
			case NLMSG_NOOP:
				break;
			case NLMSG_DONE:
				dibsctl_on_finish(&t, nlh);
				break;
			case NLMSG_ERROR:
				dibsctl_on_error(&t, nlh);
				break;
			case NLMSG_OVERRUN:
				dibsctl_transaction_fail(&t, -ENOBUFS);
				break;
			default:
				dibsctl_on_valid(&t, nlh);
				/* a reply without NLM_F_MULTI is the whole answer */
				if (!(nlh->nlmsg_flags & NLM_F_MULTI) &&
				    !(t.request->nlmsg_flags & NLM_F_ACK))
					t.done = true;
				break;
			}
		}
		free(buf);
	}
	return t.err;
}

/* Builds a device from one dev-get/dev-new reply or notification. */
int dibsctl_dev_new_from_nlmsg(struct nlmsghdr *nlh, struct dibsctl_dev **dev)
{
	struct nlattr *tb[DIBS_A_DEV_MAX + 1];
	int err;

	err = genlmsg_parse(nlh, 0, tb, DIBS_A_DEV_MAX, dibs_nl_dev_policy);
	if (err < 0)
		return -EBADMSG;
	return dibsctl_dev_new_from_attrs(tb, genlmsg_attrdata(nlmsg_data(nlh), 0),
					  genlmsg_attrlen(nlmsg_data(nlh), 0),
					  dev);
}

/*
 * From parsed attributes: of a whole message (@attrs not NULL), or of a
 * nest (@attrs NULL: only the attributes that came, no flags).
 */
int dibsctl_dev_new_from_attrs(struct nlattr **tb, struct nlattr *attrs,
			       int len, struct dibsctl_dev **dev)
{
	struct dibsctl_dev *d;

	d = dibsctl_dev_alloc();
	if (!d)
		return -ENOMEM;

	if (tb[DIBS_A_DEV_INDEX]) {
		d->index = nla_get_u32(tb[DIBS_A_DEV_INDEX]);
		d->present |= DIBSCTL_HAS(DIBS_A_DEV_INDEX);
	}
	if (tb[DIBS_A_DEV_NAME]) {
		const char *name = nla_data(tb[DIBS_A_DEV_NAME]);
		size_t n = strnlen(name, nla_len(tb[DIBS_A_DEV_NAME]));

		if (n == 0 || n >= sizeof(d->name))
			goto err_bad_msg;
		memcpy(d->name, name, n);
		d->name[n] = '\0';
		d->present |= DIBSCTL_HAS(DIBS_A_DEV_NAME);
	}
	if (tb[DIBS_A_DEV_TYPE]) {
		d->type = nla_get_u32(tb[DIBS_A_DEV_TYPE]);
		d->present |= DIBSCTL_HAS(DIBS_A_DEV_TYPE);
	}
	if (tb[DIBS_A_DEV_GID]) {
		if (nla_len(tb[DIBS_A_DEV_GID]) != DIBS_GID_LEN)
			goto err_bad_msg;
		memcpy(d->gid, nla_data(tb[DIBS_A_DEV_GID]), DIBS_GID_LEN);
		d->present |= DIBSCTL_HAS(DIBS_A_DEV_GID);
	}
	if (tb[DIBS_A_DEV_FABRIC_ID]) {
		d->fabric_id = nla_get_u16(tb[DIBS_A_DEV_FABRIC_ID]);
		d->present |= DIBSCTL_HAS(DIBS_A_DEV_FABRIC_ID);
	}
	if (tb[DIBS_A_DEV_MAX_DMBS]) {
		d->max_dmbs = nla_get_u32(tb[DIBS_A_DEV_MAX_DMBS]);
		d->present |= DIBSCTL_HAS(DIBS_A_DEV_MAX_DMBS);
	}
	if (tb[DIBS_A_DEV_DMBS_IN_USE]) {
		d->dmbs_in_use = nla_get_u32(tb[DIBS_A_DEV_DMBS_IN_USE]);
		d->present |= DIBSCTL_HAS(DIBS_A_DEV_DMBS_IN_USE);
	}
	if (attrs) {
		/* A netlink reply always answers a flag: absent means false. */
		d->mmapped_rdmb = tb[DIBS_A_DEV_MMAPPED_RDMB] != NULL;
		d->present |= DIBSCTL_HAS(DIBS_A_DEV_MMAPPED_RDMB);
	}

	*dev = d;
	return 0;

err_bad_msg:
	dibsctl_dev_unref(d);
	return -EBADMSG;
}
