// SPDX-License-Identifier: LGPL-2.1-or-later
/* Statistics of devices and clients (stats-get) and their reset. */
#include <errno.h>

#include <netlink/attr.h>
#include <netlink/msg.h>

#include "dibs-nl-gen.h"
#include "libdibsctl-private.h"

/* The counters follow the four key attributes, in the spec's order. */
#define DIBSCTL_STATS_FIRST	DIBS_A_STATS_DMBS_IN_USE
_Static_assert(DIBS_A_STATS_EVENTS - DIBSCTL_STATS_FIRST ==
	       DIBSCTL_STATS_EVENTS, "stats counters in spec order");
_Static_assert(DIBS_A_STATS_MOVE_BYTES - DIBSCTL_STATS_FIRST ==
	       DIBSCTL_STATS_MOVE_BYTES, "stats counters in spec order");

DIBSCTL_REC_TYPE(stats)
DIBSCTL_REC_GETTER(stats, dev_index, DIBS_A_STATS_DEV_INDEX, uint32_t)
DIBSCTL_REC_STRING(stats, dev_name, DIBS_A_STATS_DEV_NAME)
DIBSCTL_REC_GETTER(stats, client_id, DIBS_A_STATS_CLIENT_ID, uint32_t)
DIBSCTL_REC_STRING(stats, client_name, DIBS_A_STATS_CLIENT_NAME)

DIBSCTL_EXPORT int dibsctl_stats_get_counter(const struct dibsctl_stats *stats,
					     unsigned int counter,
					     uint64_t *value)
{
	int attr = DIBSCTL_STATS_FIRST + (int)counter;

	if (!stats || !value || counter >= DIBSCTL_STATS_COUNTERS)
		return -EINVAL;
	if (!dibsctl_rec_has(&stats->rec, attr))
		return -ENODATA;
	*value = stats->rec.u[attr];
	return 0;
}

DIBSCTL_EXPORT const char *dibsctl_stats_counter_name(unsigned int counter)
{
	if (counter >= DIBSCTL_STATS_COUNTERS)
		return NULL;
	return dibs_nl_stats_attr_name[DIBSCTL_STATS_FIRST + counter];
}

DIBSCTL_EXPORT int dibsctl_stats_list_new(struct dibsctl *ctx,
					  struct dibsctl_stats_list **list)
{
	struct dibsctl_rec_list *l;
	int err;

	if (!ctx || !list)
		return -EINVAL;
	dibsctl_clear_error(ctx);
	err = dibsctl_rec_dump(ctx, DIBS_CMD_STATS_GET, &dibsctl_stats_set,
			       NULL, 0, &l);
	if (!err)
		*list = (struct dibsctl_stats_list *)l;
	return err;
}

static int dibsctl_stats_get(struct dibsctl *ctx, int attr, const char *name,
			     struct dibsctl_stats **stats)
{
	struct dibsctl_rec *rec;
	struct nl_msg *msg;
	int err;

	err = dibsctl_netlink_only(ctx);
	if (err)
		return err;
	err = dibsctl_nl_request(ctx, DIBS_CMD_STATS_GET, 0, &msg);
	if (err)
		return err;
	if (nla_put_string(msg, attr, name))
		err = -ENOMEM;
	else
		err = dibsctl_rec_transact_one(ctx, msg, &dibsctl_stats_set,
					       &rec);
	nlmsg_free(msg);
	if (!err)
		*stats = (struct dibsctl_stats *)rec;
	return err;
}

DIBSCTL_EXPORT int dibsctl_stats_new_from_dev(struct dibsctl *ctx,
					      const char *dev,
					      struct dibsctl_stats **stats)
{
	int err;

	if (!ctx || !stats)
		return -EINVAL;
	dibsctl_clear_error(ctx);
	err = dibsctl_check_dev_name(ctx, dev);
	if (err)
		return err;
	return dibsctl_stats_get(ctx, DIBS_A_STATS_DEV_NAME, dev, stats);
}

DIBSCTL_EXPORT int dibsctl_stats_new_from_client(struct dibsctl *ctx,
						 const char *client,
						 struct dibsctl_stats **stats)
{
	int err;

	if (!ctx || !stats)
		return -EINVAL;
	dibsctl_clear_error(ctx);
	err = dibsctl_check_client_name(ctx, client);
	if (err)
		return err;
	return dibsctl_stats_get(ctx, DIBS_A_STATS_CLIENT_NAME, client, stats);
}

DIBSCTL_EXPORT int dibsctl_stats_reset(struct dibsctl *ctx, const char *dev)
{
	struct nl_msg *msg;
	int err;

	if (!ctx)
		return -EINVAL;
	dibsctl_clear_error(ctx);
	err = dev ? dibsctl_check_dev_name(ctx, dev) : 0;
	if (!err)
		err = dibsctl_netlink_only(ctx);
	if (err)
		return err;
	err = dibsctl_nl_request(ctx, DIBS_CMD_STATS_RESET, 0, &msg);
	if (err)
		return err;
	if (dev && nla_put_string(msg, DIBS_A_STATS_DEV_NAME, dev))
		err = -ENOMEM;
	else
		err = dibsctl_nl_transact(ctx, msg, NULL);
	nlmsg_free(msg);
	return err;
}
