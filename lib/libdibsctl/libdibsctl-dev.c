// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Devices and device lists: lookups, creation and deletion through
 * netlink (or lookups through the sysfs fallback), reference counting,
 * attribute getters and the GID text form.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <netlink/attr.h>
#include <netlink/msg.h>

#include "dibs-nl-gen.h"
#include "libdibsctl-private.h"

/* The public header cannot include the uapi one; keep them in step. */
_Static_assert(DIBSCTL_GID_LEN == DIBS_GID_LEN, "GID length");
_Static_assert(DIBSCTL_DEV_NAME_MAX == DIBS_DEV_NAME_MAX_LEN, "name length");
_Static_assert(DIBSCTL_DEV_TYPE_OTHER == DIBS_DEV_TYPE_OTHER, "type other");
_Static_assert(DIBSCTL_DEV_TYPE_LOOPBACK == DIBS_DEV_TYPE_LOOPBACK,
	       "type loopback");
_Static_assert(DIBS_A_DEV_MAX < 32, "attribute bits fit in present");

struct dibsctl_dev *dibsctl_dev_alloc(void)
{
	struct dibsctl_dev *dev = calloc(1, sizeof(*dev));

	if (dev)
		dev->refcount = 1;
	return dev;
}

DIBSCTL_EXPORT struct dibsctl_dev *dibsctl_dev_ref(struct dibsctl_dev *dev)
{
	if (dev)
		dev->refcount++;
	return dev;
}

DIBSCTL_EXPORT struct dibsctl_dev *dibsctl_dev_unref(struct dibsctl_dev *dev)
{
	if (!dev)
		return NULL;
	if (--dev->refcount > 0)
		return dev;
	dibsctl_client_list_unref(dev->clients);
	free(dev);
	return NULL;
}

struct dibsctl_dev_list *dibsctl_dev_list_alloc(void)
{
	struct dibsctl_dev_list *list = calloc(1, sizeof(*list));

	if (list)
		list->refcount = 1;
	return list;
}

/* Takes a reference of its own on @dev. */
int dibsctl_dev_list_append(struct dibsctl_dev_list *list,
			    struct dibsctl_dev *dev)
{
	if (list->count == list->capacity) {
		size_t capacity = list->capacity ? 2 * list->capacity : 8;
		struct dibsctl_dev **devs;

		devs = reallocarray(list->devs, capacity, sizeof(*devs));
		if (!devs)
			return -ENOMEM;
		list->devs = devs;
		list->capacity = capacity;
	}
	dev->pos = list->count;
	list->devs[list->count++] = dibsctl_dev_ref(dev);
	return 0;
}

DIBSCTL_EXPORT struct dibsctl_dev_list *
dibsctl_dev_list_ref(struct dibsctl_dev_list *list)
{
	if (list)
		list->refcount++;
	return list;
}

DIBSCTL_EXPORT struct dibsctl_dev_list *
dibsctl_dev_list_unref(struct dibsctl_dev_list *list)
{
	size_t i;

	if (!list)
		return NULL;
	if (--list->refcount > 0)
		return list;
	for (i = 0; i < list->count; i++)
		dibsctl_dev_unref(list->devs[i]);
	free(list->devs);
	free(list);
	return NULL;
}

DIBSCTL_EXPORT size_t dibsctl_dev_list_count(const struct dibsctl_dev_list *list)
{
	return list ? list->count : 0;
}

DIBSCTL_EXPORT struct dibsctl_dev *
dibsctl_dev_list_first(const struct dibsctl_dev_list *list)
{
	if (!list || list->count == 0)
		return NULL;
	return list->devs[0];
}

DIBSCTL_EXPORT struct dibsctl_dev *
dibsctl_dev_list_next(const struct dibsctl_dev_list *list,
		      const struct dibsctl_dev *dev)
{
	size_t i;

	if (!list || !dev)
		return NULL;
	/* A device in several lists: only the last one knows it in O(1). */
	if (dev->pos < list->count && list->devs[dev->pos] == dev)
		return dev->pos + 1 < list->count ? list->devs[dev->pos + 1] :
						    NULL;
	for (i = 0; i + 1 < list->count; i++)
		if (list->devs[i] == dev)
			return list->devs[i + 1];
	return NULL;
}

bool dibsctl_dev_name_fits(const char *name)
{
	size_t len = strnlen(name, DIBS_DEV_NAME_MAX_LEN + 1);

	return len > 0 && len <= DIBS_DEV_NAME_MAX_LEN;
}

static int dibsctl_check_name(struct dibsctl *ctx, const char *name)
{
	if (!name)
		return dibsctl_fail(ctx, -EINVAL, "no device name given");
	if (!dibsctl_dev_name_fits(name))
		return dibsctl_fail(ctx, -EINVAL,
				    "a device name has 1 to %d bytes",
				    DIBS_DEV_NAME_MAX_LEN);
	return 0;
}

static int dibsctl_check_index(struct dibsctl *ctx, uint32_t index)
{
	if (index == 0)
		return dibsctl_fail(ctx, -EINVAL,
				    "device indexes start at 1");
	return 0;
}

static int dibsctl_read_only(struct dibsctl *ctx)
{
	if (ctx->sysfs_forced)
		return dibsctl_fail(ctx, -EOPNOTSUPP,
				    "DIBSCTL_SYSFS=1 reads %s, which is read-only",
				    ctx->sysfs_dir);
	return dibsctl_fail(ctx, -EOPNOTSUPP,
			    "no \"%s\" generic netlink family: %s is read-only",
			    DIBS_FAMILY_NAME, ctx->sysfs_dir);
}

/* Runs @msg and hands back the single device the kernel replied with. */
static int dibsctl_transact_one(struct dibsctl *ctx, struct nl_msg *msg,
				struct dibsctl_dev **dev)
{
	struct dibsctl_dev_list *replies;
	int err;

	replies = dibsctl_dev_list_alloc();
	if (!replies)
		return -ENOMEM;
	err = dibsctl_nl_transact(ctx, msg, replies);
	if (!err && replies->count != 1)
		err = dibsctl_fail(ctx, -EBADMSG,
				   "the kernel replied with %zu devices instead of one",
				   replies->count);
	if (!err)
		err = dibsctl_dev_read_bindings(ctx, replies->devs, 1,
						replies->devs[0]->name);
	if (!err)
		*dev = dibsctl_dev_ref(replies->devs[0]);
	dibsctl_dev_list_unref(replies);
	return err;
}

struct dibsctl_dev_each {
	struct dibsctl *ctx;
	/* NULL: the module has no binding-get, the clients stay unread */
	struct dibsctl_rec_list *bindings;
	dibsctl_dev_cb cb;
	void *data;
};

static int dibsctl_dev_each_one(struct nlmsghdr *nlh, void *arg)
{
	struct dibsctl_dev_each *e = arg;
	struct dibsctl_dev *dev;
	int err;

	err = dibsctl_dev_new_from_nlmsg(nlh, &dev);
	if (err)
		return err;
	if (e->bindings) {
		err = dibsctl_dev_set_bindings(&dev, 1, e->bindings);
		if (err == -EBADMSG)
			dibsctl_fail(e->ctx, err,
				     "malformed binding in the kernel's reply");
	}
	if (!err)
		err = e->cb(dev, e->data);
	dibsctl_dev_unref(dev);
	return err;
}

/* The sysfs fallback has a few devices at most: read, then handed out. */
static int dibsctl_dev_dump_sysfs(struct dibsctl *ctx, dibsctl_dev_cb cb,
				  void *data)
{
	struct dibsctl_dev_list *l;
	size_t i;
	int err;

	l = dibsctl_dev_list_alloc();
	if (!l)
		return -ENOMEM;
	err = dibsctl_sysfs_list(ctx, l);
	for (i = 0; !err && i < l->count; i++)
		err = cb(l->devs[i], data);
	dibsctl_dev_list_unref(l);
	return err;
}

/*
 * The bindings come first, in a dump of their own, so that each device
 * can be handed out with its clients as its part of the dev-get dump is
 * read.
 */
DIBSCTL_EXPORT int dibsctl_dev_dump(struct dibsctl *ctx, dibsctl_dev_cb cb,
				    void *data)
{
	struct dibsctl_dev_each e = { .ctx = ctx, .cb = cb, .data = data };
	struct nl_msg *msg;
	int err;

	if (!ctx || !cb)
		return -EINVAL;
	dibsctl_clear_error(ctx);
	err = dibsctl_pick_source(ctx);
	if (err)
		return err;
	if (ctx->source == DIBSCTL_SOURCE_SYSFS)
		return dibsctl_dev_dump_sysfs(ctx, cb, data);

	err = dibsctl_binding_dump_all(ctx, DIBS_A_BINDING_DEV_NAME,
				       &e.bindings);
	if (!err)
		err = dibsctl_nl_request(ctx, DIBS_CMD_DEV_GET, NLM_F_DUMP,
					 &msg);
	if (!err) {
		err = dibsctl_nl_transact_parse(ctx, msg, dibsctl_dev_each_one,
						&e);
		nlmsg_free(msg);
	}
	dibsctl_rec_list_unref(e.bindings);
	return err;
}

static int dibsctl_dev_append(struct dibsctl_dev *dev, void *list)
{
	return dibsctl_dev_list_append(list, dev);
}

DIBSCTL_EXPORT int dibsctl_dev_list_new(struct dibsctl *ctx,
					struct dibsctl_dev_list **list)
{
	struct dibsctl_dev_list *l;
	int err;

	if (!ctx || !list)
		return -EINVAL;
	l = dibsctl_dev_list_alloc();
	if (!l)
		return -ENOMEM;
	err = dibsctl_dev_dump(ctx, dibsctl_dev_append, l);
	if (err) {
		dibsctl_dev_list_unref(l);
		return err;
	}
	*list = l;
	return 0;
}

DIBSCTL_EXPORT int dibsctl_dev_new_from_name(struct dibsctl *ctx,
					     const char *name,
					     struct dibsctl_dev **dev)
{
	struct nl_msg *msg;
	int err;

	if (!ctx || !dev)
		return -EINVAL;
	dibsctl_clear_error(ctx);
	err = dibsctl_check_name(ctx, name);
	if (err)
		return err;
	err = dibsctl_pick_source(ctx);
	if (err)
		return err;

	if (ctx->source == DIBSCTL_SOURCE_SYSFS)
		return dibsctl_sysfs_get(ctx, name, dev);

	err = dibsctl_nl_request(ctx, DIBS_CMD_DEV_GET, 0, &msg);
	if (err)
		return err;
	err = nla_put_string(msg, DIBS_A_DEV_NAME, name);
	if (!err)
		err = dibsctl_transact_one(ctx, msg, dev);
	else
		err = -ENOMEM;
	nlmsg_free(msg);
	return err;
}

DIBSCTL_EXPORT int dibsctl_dev_new_from_index(struct dibsctl *ctx,
					      uint32_t index,
					      struct dibsctl_dev **dev)
{
	struct nl_msg *msg;
	int err;

	if (!ctx || !dev)
		return -EINVAL;
	dibsctl_clear_error(ctx);
	err = dibsctl_check_index(ctx, index);
	if (err)
		return err;
	err = dibsctl_pick_source(ctx);
	if (err)
		return err;

	if (ctx->source == DIBSCTL_SOURCE_SYSFS)
		return dibsctl_fail(ctx, -EOPNOTSUPP,
				    "%s has no device indexes; use the device name",
				    ctx->sysfs_dir);

	err = dibsctl_nl_request(ctx, DIBS_CMD_DEV_GET, 0, &msg);
	if (err)
		return err;
	err = nla_put_u32(msg, DIBS_A_DEV_INDEX, index);
	if (!err)
		err = dibsctl_transact_one(ctx, msg, dev);
	else
		err = -ENOMEM;
	nlmsg_free(msg);
	return err;
}

DIBSCTL_EXPORT int dibsctl_dev_add_loopback(struct dibsctl *ctx,
					    const char *name,
					    const uint8_t *gid,
					    struct dibsctl_dev **dev)
{
	struct nl_msg *msg;
	int err;

	if (!ctx)
		return -EINVAL;
	dibsctl_clear_error(ctx);
	if (name) {
		err = dibsctl_check_name(ctx, name);
		if (err)
			return err;
	}
	err = dibsctl_pick_source(ctx);
	if (err)
		return err;
	if (ctx->source == DIBSCTL_SOURCE_SYSFS)
		return dibsctl_read_only(ctx);

	err = dibsctl_nl_request(ctx, DIBS_CMD_DEV_NEW, 0, &msg);
	if (err)
		return err;
	if (nla_put_u32(msg, DIBS_A_DEV_TYPE, DIBS_DEV_TYPE_LOOPBACK) ||
	    (name && nla_put_string(msg, DIBS_A_DEV_NAME, name)) ||
	    (gid && nla_put(msg, DIBS_A_DEV_GID, DIBS_GID_LEN, gid))) {
		err = -ENOMEM;
	} else if (dev) {
		err = dibsctl_transact_one(ctx, msg, dev);
	} else {
		err = dibsctl_nl_transact(ctx, msg, NULL);
	}
	nlmsg_free(msg);
	return err;
}

static int dibsctl_dev_del(struct dibsctl *ctx, const char *name,
			   uint32_t index, unsigned int flags)
{
	struct nl_msg *msg;
	int err;

	if (flags & ~DIBSCTL_DEL_FORCE)
		return dibsctl_fail(ctx, -EINVAL, "unknown flags 0x%x",
				    flags & ~DIBSCTL_DEL_FORCE);
	err = dibsctl_pick_source(ctx);
	if (err)
		return err;
	if (ctx->source == DIBSCTL_SOURCE_SYSFS)
		return dibsctl_read_only(ctx);

	err = dibsctl_nl_request(ctx, DIBS_CMD_DEV_DEL, 0, &msg);
	if (err)
		return err;
	if ((name ? nla_put_string(msg, DIBS_A_DEV_NAME, name) :
		    nla_put_u32(msg, DIBS_A_DEV_INDEX, index)) ||
	    ((flags & DIBSCTL_DEL_FORCE) && nla_put_flag(msg, DIBS_A_DEV_FORCE)))
		err = -ENOMEM;
	else
		err = dibsctl_nl_transact(ctx, msg, NULL);
	nlmsg_free(msg);
	return err;
}

DIBSCTL_EXPORT int dibsctl_dev_del_by_name(struct dibsctl *ctx,
					   const char *name,
					   unsigned int flags)
{
	int err;

	if (!ctx)
		return -EINVAL;
	dibsctl_clear_error(ctx);
	err = dibsctl_check_name(ctx, name);
	if (err)
		return err;
	return dibsctl_dev_del(ctx, name, 0, flags);
}

DIBSCTL_EXPORT int dibsctl_dev_del_by_index(struct dibsctl *ctx,
					    uint32_t index,
					    unsigned int flags)
{
	int err;

	if (!ctx)
		return -EINVAL;
	dibsctl_clear_error(ctx);
	err = dibsctl_check_index(ctx, index);
	if (err)
		return err;
	return dibsctl_dev_del(ctx, NULL, index, flags);
}

static bool dibsctl_dev_has(const struct dibsctl_dev *dev, int attr)
{
	return dev && (dev->present & DIBSCTL_HAS(attr));
}

DIBSCTL_EXPORT const char *dibsctl_dev_get_name(const struct dibsctl_dev *dev)
{
	return dibsctl_dev_has(dev, DIBS_A_DEV_NAME) ? dev->name : NULL;
}

#define DIBSCTL_GETTER(field, attr, type)				\
DIBSCTL_EXPORT int dibsctl_dev_get_##field(const struct dibsctl_dev *dev,	\
					   type *field)			\
{									\
	if (!dibsctl_dev_has(dev, attr))				\
		return -ENODATA;					\
	*field = dev->field;						\
	return 0;							\
}

DIBSCTL_GETTER(index, DIBS_A_DEV_INDEX, uint32_t)
DIBSCTL_GETTER(type, DIBS_A_DEV_TYPE, uint32_t)
DIBSCTL_GETTER(fabric_id, DIBS_A_DEV_FABRIC_ID, uint16_t)
DIBSCTL_GETTER(max_dmbs, DIBS_A_DEV_MAX_DMBS, uint32_t)
DIBSCTL_GETTER(dmbs_in_use, DIBS_A_DEV_DMBS_IN_USE, uint32_t)
DIBSCTL_GETTER(mmapped_rdmb, DIBS_A_DEV_MMAPPED_RDMB, bool)

DIBSCTL_EXPORT int dibsctl_dev_get_gid(const struct dibsctl_dev *dev,
				       uint8_t gid[DIBSCTL_GID_LEN])
{
	if (!dibsctl_dev_has(dev, DIBS_A_DEV_GID))
		return -ENODATA;
	memcpy(gid, dev->gid, DIBS_GID_LEN);
	return 0;
}

DIBSCTL_EXPORT int dibsctl_dev_get_clients(const struct dibsctl_dev *dev,
					   struct dibsctl_client_list **clients)
{
	if (!dev || !clients)
		return -EINVAL;
	if (!dev->clients)
		return -ENODATA;
	*clients = dibsctl_client_list_ref(dev->clients);
	return 0;
}

DIBSCTL_EXPORT const char *dibsctl_dev_type_name(uint32_t type)
{
	if (type > DIBS_DEV_TYPE_MAX)
		return NULL;
	return dibs_nl_dev_type_name[type];
}

static int dibsctl_hex_digit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Accepts exactly the 8-4-4-4-12 UUID form, in either case. */
DIBSCTL_EXPORT int dibsctl_gid_parse(const char *str,
				     uint8_t gid[DIBSCTL_GID_LEN])
{
	uint8_t out[DIBS_GID_LEN];
	size_t pos = 0, byte = 0;

	if (!str || !gid)
		return -EINVAL;
	while (byte < DIBS_GID_LEN) {
		int hi, lo;

		if (pos == 8 || pos == 13 || pos == 18 || pos == 23) {
			if (str[pos] != '-')
				return -EINVAL;
			pos++;
		}
		hi = dibsctl_hex_digit(str[pos]);
		if (hi < 0)
			return -EINVAL;
		lo = dibsctl_hex_digit(str[pos + 1]);
		if (lo < 0)
			return -EINVAL;
		out[byte++] = (uint8_t)(hi << 4 | lo);
		pos += 2;
	}
	if (str[pos] != '\0')
		return -EINVAL;
	memcpy(gid, out, sizeof(out));
	return 0;
}

/* Writes the lowercase UUID form, as the kernel's %pUb does. */
DIBSCTL_EXPORT int dibsctl_gid_format(const uint8_t gid[DIBSCTL_GID_LEN],
				      char *buf, size_t size)
{
	static const char hex[] = "0123456789abcdef";
	size_t pos = 0, byte;

	if (!gid || !buf)
		return -EINVAL;
	if (size < DIBSCTL_GID_STR_LEN)
		return -ENOSPC;
	for (byte = 0; byte < DIBS_GID_LEN; byte++) {
		if (byte == 4 || byte == 6 || byte == 8 || byte == 10)
			buf[pos++] = '-';
		buf[pos++] = hex[gid[byte] >> 4];
		buf[pos++] = hex[gid[byte] & 0xf];
	}
	buf[pos] = '\0';
	return 0;
}
