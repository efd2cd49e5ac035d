// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Bindings: which client is bound to which device.  Since version 2 of
 * the family they are objects of their own (binding-get), not nests of
 * the device and client replies; the device and client getters of
 * LIBDIBSCTL_1 and _3 still hand them out, read here after the objects.
 */
#include <errno.h>
#include <string.h>

#include "dibs-nl-gen.h"
#include "libdibsctl-private.h"

/*
 * Dumps the bindings, optionally of one device or client (@attr names
 * @name).  A module of version 1 has no binding-get: *list stays NULL
 * and the caller reports no bindings rather than an error.
 */
static int dibsctl_binding_dump(struct dibsctl *ctx, int attr,
				const char *name,
				struct dibsctl_rec_list **list)
{
	const struct dibsctl_rec_filter filter = { attr, name };
	int err;

	*list = NULL;
	err = dibsctl_rec_dump(ctx, DIBS_CMD_BINDING_GET, &dibsctl_binding_set,
			       &filter, 1, list);
	/*
	 * The object itself was read (or created) already: had it gone by
	 * now (ENODEV, ENOENT), the caller still reports what it read.
	 */
	if (err == -EOPNOTSUPP ||
	    (name && (err == -ENODEV || err == -ENOENT))) {
		dibsctl_clear_error(ctx);
		return 0;
	}
	return err;
}

int dibsctl_binding_dump_all(struct dibsctl *ctx, int attr,
			     struct dibsctl_rec_list **list)
{
	return dibsctl_binding_dump(ctx, attr, NULL, list);
}

/* The device with @index in @devs, sorted by index as dev-get dumps. */
static struct dibsctl_dev *dibsctl_dev_find(struct dibsctl_dev **devs,
					    size_t n, uint32_t index)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (devs[mid]->index == index)
			return devs[mid];
		if (devs[mid]->index < index)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

/* A client of a device's list: its id and name, as bound-client was. */
static int dibsctl_binding_client(const struct dibsctl_rec *b,
				  struct dibsctl_rec **out)
{
	struct dibsctl_rec *rec = dibsctl_rec_alloc();

	if (!rec)
		return -ENOMEM;
	rec->u[DIBS_A_CLIENT_ID] = b->u[DIBS_A_BINDING_CLIENT_ID];
	rec->s[DIBS_A_CLIENT_NAME] = strdup(b->s[DIBS_A_BINDING_CLIENT_NAME]);
	if (!rec->s[DIBS_A_CLIENT_NAME]) {
		dibsctl_rec_unref(rec);
		return -ENOMEM;
	}
	rec->present = DIBSCTL_HAS(DIBS_A_CLIENT_ID) |
		       DIBSCTL_HAS(DIBS_A_CLIENT_NAME);
	*out = rec;
	return 0;
}

/* A device of a client's list: index, name, the client's DMBs there. */
static int dibsctl_binding_dev(const struct dibsctl_rec *b,
			       struct dibsctl_dev **out)
{
	const char *name = b->s[DIBS_A_BINDING_DEV_NAME];
	struct dibsctl_dev *dev;

	if (!dibsctl_dev_name_fits(name))
		return -EBADMSG;
	dev = dibsctl_dev_alloc();
	if (!dev)
		return -ENOMEM;
	dev->index = (uint32_t)b->u[DIBS_A_BINDING_DEV_INDEX];
	strcpy(dev->name, name);
	dev->dmbs_in_use = (uint32_t)b->u[DIBS_A_BINDING_DMBS];
	dev->present = DIBSCTL_HAS(DIBS_A_DEV_INDEX) |
		       DIBSCTL_HAS(DIBS_A_DEV_NAME) |
		       DIBSCTL_HAS(DIBS_A_DEV_DMBS_IN_USE);
	*out = dev;
	return 0;
}

/* Whether a binding carries all that a device or client list needs. */
static bool dibsctl_binding_complete(const struct dibsctl_rec *b)
{
	return dibsctl_rec_has(b, DIBS_A_BINDING_DEV_INDEX) &&
	       dibsctl_rec_has(b, DIBS_A_BINDING_DEV_NAME) &&
	       dibsctl_rec_has(b, DIBS_A_BINDING_CLIENT_ID) &&
	       dibsctl_rec_has(b, DIBS_A_BINDING_CLIENT_NAME) &&
	       dibsctl_rec_has(b, DIBS_A_BINDING_DMBS);
}

int dibsctl_dev_set_bindings(struct dibsctl_dev **devs, size_t n,
			     const struct dibsctl_rec_list *bindings)
{
	size_t i;
	int err = 0;

	/*
	 * A device without clients keeps no list (-ENODATA), as when
	 * version 1 sent no bound-client; a client's list may be empty.
	 */
	for (i = 0; i < n; i++)
		devs[i]->clients = dibsctl_client_list_unref(devs[i]->clients);
	for (i = 0; i < bindings->count && !err; i++) {
		const struct dibsctl_rec *b = bindings->recs[i];
		struct dibsctl_rec *client;
		struct dibsctl_dev *dev;

		if (!dibsctl_binding_complete(b))
			return -EBADMSG;
		/* a device added since the dev-get is not in @devs */
		dev = dibsctl_dev_find(devs, n,
				       (uint32_t)b->u[DIBS_A_BINDING_DEV_INDEX]);
		if (!dev)
			continue;
		if (!dev->clients)
			dev->clients = (struct dibsctl_client_list *)
				       dibsctl_rec_list_alloc();
		if (!dev->clients)
			return -ENOMEM;
		err = dibsctl_binding_client(b, &client);
		if (err)
			break;
		err = dibsctl_rec_list_append(&dev->clients->list, client);
		dibsctl_rec_unref(client);
	}
	return err;
}

int dibsctl_dev_read_bindings(struct dibsctl *ctx, struct dibsctl_dev **devs,
			      size_t n, const char *name)
{
	struct dibsctl_rec_list *bindings;
	int err;

	if (n == 0)
		return 0;
	err = dibsctl_binding_dump(ctx, DIBS_A_BINDING_DEV_NAME, name,
				   &bindings);
	if (err || !bindings)
		return err;
	err = dibsctl_dev_set_bindings(devs, n, bindings);
	dibsctl_rec_list_unref(bindings);
	if (err == -EBADMSG)
		dibsctl_fail(ctx, err, "malformed binding in the kernel's reply");
	return err;
}

int dibsctl_client_set_bindings(struct dibsctl_rec **clients, size_t n,
				const struct dibsctl_rec_list *bindings)
{
	size_t i, j;
	int err = 0;

	for (i = 0; i < n; i++) {
		dibsctl_dev_list_unref(clients[i]->devs);
		clients[i]->devs = dibsctl_dev_list_alloc();
		if (!clients[i]->devs)
			return -ENOMEM;
	}
	for (i = 0; i < bindings->count && !err; i++) {
		const struct dibsctl_rec *b = bindings->recs[i];
		struct dibsctl_dev *dev;

		if (!dibsctl_binding_complete(b))
			return -EBADMSG;
		/* at most MAX_DIBS_CLIENTS (8) clients */
		for (j = 0; j < n; j++)
			if (clients[j]->u[DIBS_A_CLIENT_ID] ==
			    b->u[DIBS_A_BINDING_CLIENT_ID])
				break;
		if (j == n)
			continue;
		err = dibsctl_binding_dev(b, &dev);
		if (err)
			break;
		err = dibsctl_dev_list_append(clients[j]->devs, dev);
		dibsctl_dev_unref(dev);
	}
	return err;
}

int dibsctl_client_read_bindings(struct dibsctl *ctx,
				 struct dibsctl_rec **clients, size_t n,
				 const char *name)
{
	struct dibsctl_rec_list *bindings;
	int err;

	if (n == 0)
		return 0;
	err = dibsctl_binding_dump(ctx, DIBS_A_BINDING_CLIENT_NAME, name,
				   &bindings);
	if (err || !bindings)
		return err;
	err = dibsctl_client_set_bindings(clients, n, bindings);
	dibsctl_rec_list_unref(bindings);
	if (err == -EBADMSG)
		dibsctl_fail(ctx, err, "malformed binding in the kernel's reply");
	return err;
}
