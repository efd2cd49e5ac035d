// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Events: a socket of its own subscribed to the "monitor" and/or "dmb"
 * groups, with a receive buffer big enough for bursts, read without
 * libnl callbacks (the datagram walked with nlmsg_ok/nlmsg_next); each
 * notification becomes a typed event the caller takes with
 * dibsctl_monitor_next().
 */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <linux/genetlink.h>
#include <netlink/genl/ctrl.h>
#include <netlink/genl/genl.h>
#include <netlink/msg.h>
#include <netlink/netlink.h>
#include <netlink/socket.h>

#include "dibs-nl-gen.h"
#include "libdibsctl-private.h"

/* Big enough for any one notification, as the kernel's NLMSG_GOODSIZE. */
#define DIBSCTL_MONITOR_BUF	(64 * 1024)

struct dibsctl_monitor {
	int refcount;
	struct dibsctl *ctx;
	struct nl_sock *sock;
	int family;
	/* The datagram being taken apart: its next message, bytes left. */
	char *buf;
	struct nlmsghdr *next;
	int left;
};

struct dibsctl_event {
	int refcount;
	int type;
	struct dibsctl_dev *dev;
	struct dibsctl_rec *rec;	/* client or DMB */
};

static const char *const dibsctl_event_names[] = {
	[DIBSCTL_EVENT_DEV_NEW] = "dev-new",
	[DIBSCTL_EVENT_DEV_DEL] = "dev-del",
	[DIBSCTL_EVENT_CLIENT_NEW] = "client-new",
	[DIBSCTL_EVENT_CLIENT_DEL] = "client-del",
	[DIBSCTL_EVENT_CLIENT_BIND] = "client-bind",
	[DIBSCTL_EVENT_CLIENT_UNBIND] = "client-unbind",
	[DIBSCTL_EVENT_DMB_NEW] = "dmb-new",
	[DIBSCTL_EVENT_DMB_DEL] = "dmb-del",
};

DIBSCTL_EXPORT const char *dibsctl_event_type_name(int type)
{
	if (type <= 0 ||
	    (size_t)type >= sizeof(dibsctl_event_names) / sizeof(dibsctl_event_names[0]))
		return NULL;
	return dibsctl_event_names[type];
}

DIBSCTL_EXPORT struct dibsctl_event *dibsctl_event_ref(struct dibsctl_event *event)
{
	if (event)
		event->refcount++;
	return event;
}

DIBSCTL_EXPORT struct dibsctl_event *dibsctl_event_unref(struct dibsctl_event *event)
{
	if (!event)
		return NULL;
	if (--event->refcount > 0)
		return event;
	dibsctl_dev_unref(event->dev);
	dibsctl_rec_unref(event->rec);
	free(event);
	return NULL;
}

DIBSCTL_EXPORT int dibsctl_event_get_type(const struct dibsctl_event *event)
{
	return event ? event->type : -EINVAL;
}

DIBSCTL_EXPORT struct dibsctl_dev *
dibsctl_event_get_dev(const struct dibsctl_event *event)
{
	return event ? event->dev : NULL;
}

DIBSCTL_EXPORT struct dibsctl_client *
dibsctl_event_get_client(const struct dibsctl_event *event)
{
	if (!event || event->type < DIBSCTL_EVENT_CLIENT_NEW ||
	    event->type > DIBSCTL_EVENT_CLIENT_UNBIND)
		return NULL;
	return (struct dibsctl_client *)event->rec;
}

DIBSCTL_EXPORT struct dibsctl_dmb *
dibsctl_event_get_dmb(const struct dibsctl_event *event)
{
	if (!event || (event->type != DIBSCTL_EVENT_DMB_NEW &&
		       event->type != DIBSCTL_EVENT_DMB_DEL))
		return NULL;
	return (struct dibsctl_dmb *)event->rec;
}

/*
 * A bind/unbind event names the client (id, name) and the device
 * (dev-index, dev-name): the device becomes the client's one entry of
 * its device list.
 */
static int dibsctl_event_bind_dev(struct dibsctl_rec *rec)
{
	struct dibsctl_dev *dev;
	int err;

	dev = dibsctl_dev_alloc();
	rec->devs = dibsctl_dev_list_alloc();
	if (!dev || !rec->devs) {
		dibsctl_dev_unref(dev);
		return -ENOMEM;
	}
	if (dibsctl_rec_has(rec, DIBS_A_CLIENT_DEV_INDEX)) {
		dev->index = (uint32_t)rec->u[DIBS_A_CLIENT_DEV_INDEX];
		dev->present |= DIBSCTL_HAS(DIBS_A_DEV_INDEX);
	}
	if (dibsctl_rec_has(rec, DIBS_A_CLIENT_DEV_NAME)) {
		const char *name = rec->s[DIBS_A_CLIENT_DEV_NAME];

		if (!dibsctl_dev_name_fits(name)) {
			dibsctl_dev_unref(dev);
			return -EBADMSG;
		}
		strcpy(dev->name, name);
		dev->present |= DIBSCTL_HAS(DIBS_A_DEV_NAME);
	}
	err = dibsctl_dev_list_append(rec->devs, dev);
	dibsctl_dev_unref(dev);
	return err;
}

/* Builds the event of one notification; -ENOENT for other messages. */
int dibsctl_event_new_from_nlmsg(struct nlmsghdr *nlh,
				 struct dibsctl_event **out)
{
	struct genlmsghdr *gnlh = nlmsg_data(nlh);
	struct dibsctl_event *event;
	int err;

	if (!genlmsg_valid_hdr(nlh, 0))
		return -EBADMSG;
	event = calloc(1, sizeof(*event));
	if (!event)
		return -ENOMEM;
	event->refcount = 1;

	switch (gnlh->cmd) {
	case DIBS_CMD_DEV_NEW_NTF:
	case DIBS_CMD_DEV_DEL_NTF:
		event->type = gnlh->cmd == DIBS_CMD_DEV_NEW_NTF ?
			      DIBSCTL_EVENT_DEV_NEW : DIBSCTL_EVENT_DEV_DEL;
		err = dibsctl_dev_new_from_nlmsg(nlh, &event->dev);
		break;
	case DIBS_CMD_CLIENT_NEW_NTF:
	case DIBS_CMD_CLIENT_DEL_NTF:
		event->type = gnlh->cmd == DIBS_CMD_CLIENT_NEW_NTF ?
			      DIBSCTL_EVENT_CLIENT_NEW : DIBSCTL_EVENT_CLIENT_DEL;
		err = dibsctl_rec_new_from_nlmsg(&dibsctl_client_set, nlh,
						 &event->rec);
		break;
	case DIBS_CMD_CLIENT_BIND_NTF:
	case DIBS_CMD_CLIENT_UNBIND_NTF:
		event->type = gnlh->cmd == DIBS_CMD_CLIENT_BIND_NTF ?
			      DIBSCTL_EVENT_CLIENT_BIND :
			      DIBSCTL_EVENT_CLIENT_UNBIND;
		err = dibsctl_rec_new_from_nlmsg(&dibsctl_client_set, nlh,
						 &event->rec);
		if (!err) {
			/* The device goes to the device list instead. */
			dibsctl_dev_list_unref(event->rec->devs);
			event->rec->devs = NULL;
			err = dibsctl_event_bind_dev(event->rec);
		}
		break;
	case DIBS_CMD_DMB_NEW_NTF:
	case DIBS_CMD_DMB_DEL_NTF:
		event->type = gnlh->cmd == DIBS_CMD_DMB_NEW_NTF ?
			      DIBSCTL_EVENT_DMB_NEW : DIBSCTL_EVENT_DMB_DEL;
		err = dibsctl_rec_new_from_nlmsg(&dibsctl_dmb_set, nlh,
						 &event->rec);
		/* Notifications do not answer the attached flag. */
		if (!err)
			event->rec->present &= ~DIBSCTL_HAS(DIBS_A_DMB_ATTACHED);
		break;
	default:
		err = -ENOENT;
		break;
	}
	if (err) {
		dibsctl_event_unref(event);
		return err;
	}
	*out = event;
	return 0;
}

static int dibsctl_monitor_join(struct dibsctl_monitor *mon, const char *group)
{
	struct dibsctl *ctx = mon->ctx;
	int id, err;

	/* libnl's lookup waits for an ack, which our socket does not ask for */
	nl_socket_enable_auto_ack(ctx->sock);
	id = genl_ctrl_resolve_grp(ctx->sock, DIBS_FAMILY_NAME, group);
	nl_socket_disable_auto_ack(ctx->sock);
	if (id < 0)
		return dibsctl_fail(ctx, dibsctl_errno_from_nl(id),
				    "no multicast group \"%s\" in the \"%s\" family",
				    group, DIBS_FAMILY_NAME);
	err = nl_socket_add_membership(mon->sock, id);
	if (err < 0)
		return dibsctl_fail(ctx, dibsctl_errno_from_nl(err),
				    "cannot join the multicast group \"%s\"",
				    group);
	return 0;
}

DIBSCTL_EXPORT int dibsctl_monitor_new(struct dibsctl *ctx,
				       unsigned int groups,
				       struct dibsctl_monitor **monitor)
{
	struct dibsctl_monitor *mon;
	int err;

	if (!ctx || !monitor)
		return -EINVAL;
	dibsctl_clear_error(ctx);
	if (!groups || (groups & ~(DIBSCTL_MONITOR_DEVS_CLIENTS |
				   DIBSCTL_MONITOR_DMBS)))
		return dibsctl_fail(ctx, -EINVAL, "bad monitor groups 0x%x",
				    groups);
	err = dibsctl_netlink_only(ctx);
	if (!err && !ctx->sock)
		err = dibsctl_nl_open(ctx);
	if (err)
		return err;

	mon = calloc(1, sizeof(*mon));
	if (!mon)
		return -ENOMEM;
	mon->refcount = 1;
	mon->ctx = dibsctl_ref(ctx);
	mon->family = ctx->family;
	mon->buf = malloc(DIBSCTL_MONITOR_BUF);
	mon->sock = nl_socket_alloc();
	if (!mon->buf || !mon->sock) {
		err = -ENOMEM;
		goto err_unref;
	}
	nl_socket_disable_seq_check(mon->sock);
	err = nl_connect(mon->sock, NETLINK_GENERIC);
	if (err < 0) {
		err = dibsctl_fail(ctx, dibsctl_errno_from_nl(err),
				   "cannot open a generic netlink socket");
		goto err_unref;
	}
	err = nl_socket_set_nonblocking(mon->sock);
	if (err < 0) {
		err = dibsctl_errno_from_nl(err);
		goto err_unref;
	}
	err = dibsctl_monitor_set_rcvbuf(mon, DIBSCTL_MONITOR_RCVBUF_DEFAULT);
	if (err)
		goto err_unref;
	if (groups & DIBSCTL_MONITOR_DEVS_CLIENTS) {
		err = dibsctl_monitor_join(mon, DIBS_MCGRP_MONITOR);
		if (err)
			goto err_unref;
	}
	if (groups & DIBSCTL_MONITOR_DMBS) {
		err = dibsctl_monitor_join(mon, DIBS_MCGRP_DMB);
		if (err)
			goto err_unref;
	}
	*monitor = mon;
	return 0;

err_unref:
	dibsctl_monitor_unref(mon);
	return err;
}

/*
 * SO_RCVBUFFORCE goes past net.core.rmem_max for CAP_NET_ADMIN; others
 * get SO_RCVBUF, which the kernel silently caps there.
 */
DIBSCTL_EXPORT int dibsctl_monitor_set_rcvbuf(struct dibsctl_monitor *monitor,
					      size_t bytes)
{
	int fd, size;

	if (!monitor)
		return -EINVAL;
	dibsctl_clear_error(monitor->ctx);
	/* the kernel doubles the value: keep that within an int */
	if (bytes < 1024 || bytes > INT_MAX / 2)
		return dibsctl_fail(monitor->ctx, -EINVAL,
				    "a receive buffer has 1024 to %d bytes",
				    INT_MAX / 2);
	size = (int)bytes;
	fd = nl_socket_get_fd(monitor->sock);
	if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &size, sizeof(size)) &&
	    setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, sizeof(size)))
		return dibsctl_fail(monitor->ctx, -errno,
				    "cannot set the receive buffer to %zu bytes",
				    bytes);
	return 0;
}

DIBSCTL_EXPORT struct dibsctl_monitor *
dibsctl_monitor_ref(struct dibsctl_monitor *monitor)
{
	if (monitor)
		monitor->refcount++;
	return monitor;
}

DIBSCTL_EXPORT struct dibsctl_monitor *
dibsctl_monitor_unref(struct dibsctl_monitor *monitor)
{
	if (!monitor)
		return NULL;
	if (--monitor->refcount > 0)
		return monitor;
	nl_socket_free(monitor->sock);
	dibsctl_unref(monitor->ctx);
	free(monitor->buf);
	free(monitor);
	return NULL;
}

DIBSCTL_EXPORT int dibsctl_monitor_get_fd(const struct dibsctl_monitor *monitor)
{
	if (!monitor)
		return -EINVAL;
	return nl_socket_get_fd(monitor->sock);
}

/*
 * Reads one datagram; -EAGAIN when none is waiting, -ENOBUFS when the
 * kernel dropped notifications because the receive buffer was full.
 */
static int dibsctl_monitor_read(struct dibsctl_monitor *mon)
{
	ssize_t n;

	mon->left = 0;
	do {
		n = recv(nl_socket_get_fd(mon->sock), mon->buf,
			 DIBSCTL_MONITOR_BUF, MSG_DONTWAIT);
	} while (n < 0 && errno == EINTR);
	if (n < 0)
		return -errno;
	mon->next = (struct nlmsghdr *)mon->buf;
	mon->left = (int)n;
	return 0;
}

/*
 * Hands out the next event: 0 with *event set, -EAGAIN when none is
 * waiting, -ENOBUFS once after the kernel dropped events for us (the
 * socket goes on with the events after the gap).  Messages of other
 * families or commands are skipped.
 */
DIBSCTL_EXPORT int dibsctl_monitor_next(struct dibsctl_monitor *monitor,
					struct dibsctl_event **event)
{
	int err;

	if (!monitor || !event)
		return -EINVAL;
	dibsctl_clear_error(monitor->ctx);
	for (;;) {
		struct nlmsghdr *nlh;

		if (monitor->left <= 0) {
			err = dibsctl_monitor_read(monitor);
			if (err)
				return err;
			continue;
		}
		nlh = monitor->next;
		if (!nlmsg_ok(nlh, monitor->left)) {
			monitor->left = 0;
			return dibsctl_fail(monitor->ctx, -EBADMSG,
					    "truncated netlink notification");
		}
		monitor->next = nlmsg_next(nlh, &monitor->left);
		if (nlh->nlmsg_type != monitor->family)
			continue;
		err = dibsctl_event_new_from_nlmsg(nlh, event);
		if (err == -ENOENT)
			continue;
		if (err == -EBADMSG)
			dibsctl_fail(monitor->ctx, err,
				     "malformed notification from the kernel");
		return err;
	}
}
