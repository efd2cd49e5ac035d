// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Clients: lookups (client-get), binding to and unbinding from devices
 * (client-bind, client-unbind), getters.
 */
#include <errno.h>

#include <netlink/attr.h>
#include <netlink/msg.h>

#include "dibs-nl-gen.h"
#include "libdibsctl-private.h"

DIBSCTL_REC_TYPE(client)
DIBSCTL_REC_STRING(client, name, DIBS_A_CLIENT_NAME)
DIBSCTL_REC_GETTER(client, id, DIBS_A_CLIENT_ID, uint32_t)
DIBSCTL_REC_GETTER(client, dmbs, DIBS_A_CLIENT_DMBS, uint32_t)

DIBSCTL_EXPORT int dibsctl_client_get_devs(const struct dibsctl_client *client,
					   struct dibsctl_dev_list **devs)
{
	if (!client || !devs)
		return -EINVAL;
	if (!client->rec.devs)
		return -ENODATA;
	*devs = dibsctl_dev_list_ref(client->rec.devs);
	return 0;
}

struct dibsctl_client_each {
	struct dibsctl *ctx;
	/* NULL: the module has no binding-get, the devices stay unread */
	struct dibsctl_rec_list *bindings;
	dibsctl_client_cb cb;
	void *data;
};

static int dibsctl_client_each_one(struct dibsctl_rec *rec, void *arg)
{
	struct dibsctl_client_each *e = arg;
	int err;

	if (e->bindings) {
		err = dibsctl_client_set_bindings(&rec, 1, e->bindings);
		if (err == -EBADMSG)
			dibsctl_fail(e->ctx, err,
				     "malformed binding in the kernel's reply");
		if (err)
			return err;
	}
	return e->cb((struct dibsctl_client *)rec, e->data);
}

/*
 * The bindings come first, in a dump of their own, so that each client
 * can be handed out with its devices as its part of the client dump is
 * read.
 */
DIBSCTL_EXPORT int dibsctl_client_dump(struct dibsctl *ctx,
				       dibsctl_client_cb cb, void *data)
{
	struct dibsctl_client_each e = { .ctx = ctx, .cb = cb, .data = data };
	int err;

	if (!ctx || !cb)
		return -EINVAL;
	dibsctl_clear_error(ctx);
	err = dibsctl_netlink_only(ctx);
	if (!err)
		err = dibsctl_binding_dump_all(ctx, DIBS_A_BINDING_CLIENT_NAME,
					       &e.bindings);
	if (!err)
		err = dibsctl_rec_dump_each(ctx, DIBS_CMD_CLIENT_GET,
					    &dibsctl_client_set, NULL, 0,
					    dibsctl_client_each_one, &e);
	dibsctl_rec_list_unref(e.bindings);
	return err;
}

static int dibsctl_client_append(struct dibsctl_client *client, void *list)
{
	return dibsctl_rec_list_append(list, &client->rec);
}

DIBSCTL_EXPORT int dibsctl_client_list_new(struct dibsctl *ctx,
					   struct dibsctl_client_list **list)
{
	struct dibsctl_rec_list *l;
	int err;

	if (!ctx || !list)
		return -EINVAL;
	l = dibsctl_rec_list_alloc();
	if (!l)
		return -ENOMEM;
	err = dibsctl_client_dump(ctx, dibsctl_client_append, l);
	if (err) {
		dibsctl_rec_list_unref(l);
		return err;
	}
	*list = (struct dibsctl_client_list *)l;
	return 0;
}

static int dibsctl_client_get(struct dibsctl *ctx, const char *name,
			      uint32_t id, struct dibsctl_client **client)
{
	struct dibsctl_rec *rec;
	struct nl_msg *msg;
	int err;

	err = dibsctl_netlink_only(ctx);
	if (err)
		return err;
	err = dibsctl_nl_request(ctx, DIBS_CMD_CLIENT_GET, 0, &msg);
	if (err)
		return err;
	if (name ? nla_put_string(msg, DIBS_A_CLIENT_NAME, name) :
		   nla_put_u32(msg, DIBS_A_CLIENT_ID, id))
		err = -ENOMEM;
	else
		err = dibsctl_rec_transact_one(ctx, msg, &dibsctl_client_set,
					       &rec);
	nlmsg_free(msg);
	if (err)
		return err;
	if (!dibsctl_rec_has(rec, DIBS_A_CLIENT_NAME))
		err = dibsctl_fail(ctx, -EBADMSG,
				   "the kernel's client has no name");
	else
		err = dibsctl_client_read_bindings(ctx, &rec, 1,
						   rec->s[DIBS_A_CLIENT_NAME]);
	if (err) {
		dibsctl_rec_unref(rec);
		return err;
	}
	*client = (struct dibsctl_client *)rec;
	return 0;
}

DIBSCTL_EXPORT int dibsctl_client_new_from_name(struct dibsctl *ctx,
						const char *name,
						struct dibsctl_client **client)
{
	int err;

	if (!ctx || !client)
		return -EINVAL;
	dibsctl_clear_error(ctx);
	err = dibsctl_check_client_name(ctx, name);
	if (err)
		return err;
	return dibsctl_client_get(ctx, name, 0, client);
}

DIBSCTL_EXPORT int dibsctl_client_new_from_id(struct dibsctl *ctx, uint32_t id,
					      struct dibsctl_client **client)
{
	if (!ctx || !client)
		return -EINVAL;
	dibsctl_clear_error(ctx);
	if (id > 7)
		return dibsctl_fail(ctx, -EINVAL, "client ids are 0 to 7");
	return dibsctl_client_get(ctx, NULL, id, client);
}

static int dibsctl_client_binding(struct dibsctl *ctx, uint8_t cmd,
				  const char *client, const char *dev,
				  bool force)
{
	struct nl_msg *msg;
	int err;

	err = dibsctl_check_client_name(ctx, client);
	if (!err)
		err = dibsctl_check_dev_name(ctx, dev);
	if (!err)
		err = dibsctl_netlink_only(ctx);
	if (err)
		return err;
	err = dibsctl_nl_request(ctx, cmd, 0, &msg);
	if (err)
		return err;
	if (nla_put_string(msg, DIBS_A_CLIENT_NAME, client) ||
	    nla_put_string(msg, DIBS_A_CLIENT_DEV_NAME, dev) ||
	    (force && nla_put_flag(msg, DIBS_A_CLIENT_FORCE)))
		err = -ENOMEM;
	else
		err = dibsctl_nl_transact(ctx, msg, NULL);
	nlmsg_free(msg);
	return err;
}

DIBSCTL_EXPORT int dibsctl_client_bind(struct dibsctl *ctx, const char *client,
				       const char *dev)
{
	if (!ctx)
		return -EINVAL;
	dibsctl_clear_error(ctx);
	return dibsctl_client_binding(ctx, DIBS_CMD_CLIENT_BIND, client, dev,
				      false);
}

DIBSCTL_EXPORT int dibsctl_client_unbind(struct dibsctl *ctx,
					 const char *client, const char *dev,
					 unsigned int flags)
{
	if (!ctx)
		return -EINVAL;
	dibsctl_clear_error(ctx);
	if (flags & ~DIBSCTL_UNBIND_FORCE)
		return dibsctl_fail(ctx, -EINVAL, "unknown flags 0x%x",
				    flags & ~DIBSCTL_UNBIND_FORCE);
	return dibsctl_client_binding(ctx, DIBS_CMD_CLIENT_UNBIND, client, dev,
				      flags & DIBSCTL_UNBIND_FORCE);
}
