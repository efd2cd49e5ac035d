// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Error reporting: -errno codes, the kernel's extended ack (extack) and
 * the library's own messages, kept in the context for the caller.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linux/genetlink.h>
#include <netlink/errno.h>

#include "dibs-nl-gen.h"
#include "libdibsctl-private.h"

void dibsctl_clear_error(struct dibsctl *ctx)
{
	free(ctx->errmsg);
	ctx->errmsg = NULL;
	ctx->err_attr = NULL;
}

static void dibsctl_set_errmsg(struct dibsctl *ctx, const char *fmt,
			       va_list ap)
{
	char *msg;

	free(ctx->errmsg);
	ctx->errmsg = NULL;
	/* Out of memory only loses the message, never the error code. */
	if (vasprintf(&msg, fmt, ap) >= 0)
		ctx->errmsg = msg;
}

/* Records a message the library itself produced and returns @err. */
int dibsctl_fail(struct dibsctl *ctx, int err, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	dibsctl_set_errmsg(ctx, fmt, ap);
	va_end(ap);
	return err;
}

/* Turns one of libnl's NLE_* codes (either sign) into a negative errno. */
int dibsctl_errno_from_nl(int nlerr)
{
	switch (nlerr < 0 ? -nlerr : nlerr) {
	case NLE_SUCCESS:
		return 0;
	case NLE_INTR:
		return -EINTR;
	case NLE_BAD_SOCK:
		return -EBADF;
	case NLE_AGAIN:
		return -EAGAIN;
	case NLE_NOMEM:
		return -ENOMEM;
	case NLE_EXIST:
		return -EEXIST;
	case NLE_INVAL:
	case NLE_PARSE_ERR:
		return -EINVAL;
	case NLE_RANGE:
		return -ERANGE;
	case NLE_MSGSIZE:
		return -EMSGSIZE;
	case NLE_OPNOTSUPP:
	case NLE_MSGTYPE_NOSUPPORT:
		return -EOPNOTSUPP;
	case NLE_AF_NOSUPPORT:
		return -EAFNOSUPPORT;
	case NLE_OBJ_NOTFOUND:
		return -ENOENT;
	case NLE_NOATTR:
		return -ENODATA;
	case NLE_MISSING_ATTR:
	case NLE_AF_MISMATCH:
	case NLE_MSG_TRUNC:
	case NLE_MSG_TOOSHORT:
	case NLE_ATTRSIZE:
		return -EBADMSG;
	case NLE_SEQ_MISMATCH:
		return -EPROTO;
	case NLE_MSG_OVERFLOW:
		return -ENOBUFS;
	case NLE_NOADDR:
		return -EADDRNOTAVAIL;
	case NLE_BUSY:
		return -EBUSY;
	case NLE_PROTO_MISMATCH:
		return -EPROTONOSUPPORT;
	case NLE_NOACCESS:
		return -EACCES;
	case NLE_PERM:
		return -EPERM;
	case NLE_NODEV:
		return -ENODEV;
	case NLE_DUMP_INTR:
		return -EAGAIN;
	default:
		return -EIO;
	}
}

/* Named in the set of the request: dev, unless another was sent. */
static const char *dibsctl_attr_name(const struct dibsctl *ctx, uint32_t type)
{
	const char *const *names = ctx->attr_names;
	int max = ctx->attr_max;

	if (!names) {
		names = dibs_nl_dev_attr_name;
		max = DIBS_A_DEV_MAX;
	}
	if (type > (uint32_t)max)
		return NULL;
	return names[type];
}

/* The attribute of our own request that the kernel's offset points at. */
static const char *dibsctl_attr_at_offset(const struct dibsctl *ctx,
					  const struct nlmsghdr *request,
					  uint32_t offs)
{
	const struct nlattr *nla;

	if (!request || offs < NLMSG_HDRLEN + GENL_HDRLEN ||
	    offs > request->nlmsg_len ||
	    request->nlmsg_len - offs < NLA_HDRLEN)
		return NULL;
	nla = (const struct nlattr *)((const char *)request + offs);
	return dibsctl_attr_name(ctx, nla->nla_type & NLA_TYPE_MASK);
}

static void dibsctl_store_kernel_msg(struct dibsctl *ctx, const char *msg,
				     size_t len)
{
	char *copy;

	/* The string attribute carries its NUL; do not trust that it does. */
	copy = strndup(msg, len);
	if (!copy)
		return;
	free(ctx->errmsg);
	ctx->errmsg = copy;
}

/*
 * Reads the extack TLVs of an NLMSG_ERROR or NLMSG_DONE message: the
 * kernel's message, and the offending attribute, either by its offset
 * in @request or, for a missing attribute, by its type.  libnl does not
 * parse these itself.
 */
void dibsctl_set_extack(struct dibsctl *ctx, const struct nlmsghdr *nlh,
			const struct nlmsghdr *request)
{
	const char *tlvs;
	size_t start, len;

	if (!(nlh->nlmsg_flags & NLM_F_ACK_TLVS))
		return;

	if (nlh->nlmsg_type == NLMSG_ERROR) {
		const struct nlmsgerr *e = NLMSG_DATA(nlh);
		size_t payload = sizeof(*e);

		if (nlh->nlmsg_len < NLMSG_LENGTH(sizeof(*e)))
			return;
		if (!(nlh->nlmsg_flags & NLM_F_CAPPED)) {
			if (e->msg.nlmsg_len < NLMSG_HDRLEN)
				return;
			payload += e->msg.nlmsg_len - NLMSG_HDRLEN;
		}
		start = NLMSG_ALIGN(NLMSG_HDRLEN + payload);
	} else if (nlh->nlmsg_type == NLMSG_DONE) {
		start = NLMSG_ALIGN(NLMSG_LENGTH(sizeof(int)));
	} else {
		return;
	}
	if (start >= nlh->nlmsg_len)
		return;

	tlvs = (const char *)nlh + start;
	len = nlh->nlmsg_len - start;
	while (len >= NLA_HDRLEN) {
		const struct nlattr *nla = (const struct nlattr *)tlvs;
		size_t nla_len = nla->nla_len, step;
		const void *data = tlvs + NLA_HDRLEN;
		size_t data_len;
		uint32_t val;

		if (nla_len < NLA_HDRLEN || nla_len > len)
			break;
		data_len = nla_len - NLA_HDRLEN;

		switch (nla->nla_type & NLA_TYPE_MASK) {
		case NLMSGERR_ATTR_MSG:
			if (data_len > 0)
				dibsctl_store_kernel_msg(ctx, data, data_len);
			break;
		case NLMSGERR_ATTR_OFFS:
			if (data_len == sizeof(val)) {
				memcpy(&val, data, sizeof(val));
				ctx->err_attr = dibsctl_attr_at_offset(ctx,
								       request, val);
			}
			break;
		case NLMSGERR_ATTR_MISS_TYPE:
			if (data_len == sizeof(val)) {
				memcpy(&val, data, sizeof(val));
				ctx->err_attr = dibsctl_attr_name(ctx, val);
			}
			break;
		default:
			break;
		}

		step = NLA_ALIGN(nla_len);
		if (step >= len)
			break;
		tlvs += step;
		len -= step;
	}
}

DIBSCTL_EXPORT const char *dibsctl_get_errmsg(const struct dibsctl *ctx)
{
	return ctx ? ctx->errmsg : NULL;
}

DIBSCTL_EXPORT const char *dibsctl_get_err_attr(const struct dibsctl *ctx)
{
	return ctx ? ctx->err_attr : NULL;
}
