// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The flat netlink objects of LIBDIBSCTL_3 (clients, DMBs, GIDs, VLANs,
 * statistics): one record type read from any attribute set by its
 * policy, reference counted, collected in lists.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <netlink/attr.h>
#include <netlink/genl/genl.h>
#include <netlink/msg.h>

#include "dibs-nl-gen.h"
#include "libdibsctl-private.h"

_Static_assert(DIBS_A_CLIENT_MAX < DIBSCTL_REC_ATTRS, "client attributes");
_Static_assert(DIBS_A_DMB_MAX < DIBSCTL_REC_ATTRS, "dmb attributes");
_Static_assert(DIBS_A_GID_MAX < DIBSCTL_REC_ATTRS, "gid attributes");
_Static_assert(DIBS_A_VLAN_MAX < DIBSCTL_REC_ATTRS, "vlan attributes");
_Static_assert(DIBS_A_STATS_MAX < DIBSCTL_REC_ATTRS, "stats attributes");
_Static_assert(DIBS_A_BINDING_MAX < DIBSCTL_REC_ATTRS, "binding attributes");

const struct dibsctl_set dibsctl_client_set = {
	.max = DIBS_A_CLIENT_MAX,
	.policy = dibs_nl_client_policy,
};

const struct dibsctl_set dibsctl_binding_set = {
	.max = DIBS_A_BINDING_MAX,
	.policy = dibs_nl_binding_policy,
};

const struct dibsctl_set dibsctl_dmb_set = {
	.max = DIBS_A_DMB_MAX,
	.policy = dibs_nl_dmb_policy,
};

const struct dibsctl_set dibsctl_gid_set = {
	.max = DIBS_A_GID_MAX,
	.policy = dibs_nl_gid_policy,
};

const struct dibsctl_set dibsctl_vlan_set = {
	.max = DIBS_A_VLAN_MAX,
	.policy = dibs_nl_vlan_policy,
};

const struct dibsctl_set dibsctl_stats_set = {
	.max = DIBS_A_STATS_MAX,
	.policy = dibs_nl_stats_policy,
};

struct dibsctl_rec *dibsctl_rec_alloc(void)
{
	struct dibsctl_rec *rec = calloc(1, sizeof(*rec));

	if (rec)
		rec->refcount = 1;
	return rec;
}

struct dibsctl_rec *dibsctl_rec_ref(struct dibsctl_rec *rec)
{
	if (rec)
		rec->refcount++;
	return rec;
}

struct dibsctl_rec *dibsctl_rec_unref(struct dibsctl_rec *rec)
{
	size_t i;

	if (!rec)
		return NULL;
	if (--rec->refcount > 0)
		return rec;
	for (i = 0; i < DIBSCTL_REC_ATTRS; i++)
		free(rec->s[i]);
	dibsctl_dev_list_unref(rec->devs);
	free(rec);
	return NULL;
}

bool dibsctl_rec_has(const struct dibsctl_rec *rec, int attr)
{
	return rec && attr >= 0 && attr < DIBSCTL_REC_ATTRS &&
	       (rec->present & DIBSCTL_HAS(attr));
}

struct dibsctl_rec_list *dibsctl_rec_list_alloc(void)
{
	struct dibsctl_rec_list *list = calloc(1, sizeof(*list));

	if (list)
		list->refcount = 1;
	return list;
}

/* Takes a reference of its own on @rec. */
int dibsctl_rec_list_append(struct dibsctl_rec_list *list,
			    struct dibsctl_rec *rec)
{
	if (list->count == list->capacity) {
		size_t capacity = list->capacity ? 2 * list->capacity : 8;
		struct dibsctl_rec **recs;

		recs = reallocarray(list->recs, capacity, sizeof(*recs));
		if (!recs)
			return -ENOMEM;
		list->recs = recs;
		list->capacity = capacity;
	}
	rec->pos = list->count;
	list->recs[list->count++] = dibsctl_rec_ref(rec);
	return 0;
}

struct dibsctl_rec_list *dibsctl_rec_list_ref(struct dibsctl_rec_list *list)
{
	if (list)
		list->refcount++;
	return list;
}

struct dibsctl_rec_list *dibsctl_rec_list_unref(struct dibsctl_rec_list *list)
{
	size_t i;

	if (!list)
		return NULL;
	if (--list->refcount > 0)
		return list;
	for (i = 0; i < list->count; i++)
		dibsctl_rec_unref(list->recs[i]);
	free(list->recs);
	free(list);
	return NULL;
}

struct dibsctl_rec *dibsctl_rec_list_next(const struct dibsctl_rec_list *list,
					  const struct dibsctl_rec *rec)
{
	size_t i;

	if (!list || !rec)
		return NULL;
	/* A record in several lists: only the last one knows it in O(1). */
	if (rec->pos < list->count && list->recs[rec->pos] == rec)
		return rec->pos + 1 < list->count ? list->recs[rec->pos + 1] :
						    NULL;
	for (i = 0; i + 1 < list->count; i++)
		if (list->recs[i] == rec)
			return list->recs[i + 1];
	return NULL;
}

/* Every attribute by its policy type; nests are read by the caller. */
int dibsctl_rec_from_attrs(const struct dibsctl_set *set, struct nlattr **tb,
			   struct dibsctl_rec **out)
{
	struct dibsctl_rec *rec;
	int i;

	rec = dibsctl_rec_alloc();
	if (!rec)
		return -ENOMEM;
	for (i = 1; i <= set->max; i++) {
		const struct nla_policy *pol = &set->policy[i];
		struct nlattr *nla = tb[i];

		if (pol->type == NLA_FLAG) {
			/* A reply always answers a flag: absent means false. */
			rec->u[i] = nla != NULL;
			rec->present |= DIBSCTL_HAS(i);
			continue;
		}
		if (!nla)
			continue;
		switch (pol->type) {
		case NLA_U8:
			rec->u[i] = nla_get_u8(nla);
			break;
		case NLA_U16:
			rec->u[i] = nla_get_u16(nla);
			break;
		case NLA_U32:
			rec->u[i] = nla_get_u32(nla);
			break;
		case NLA_U64:
			if (nla_len(nla) != sizeof(uint64_t))
				goto err_bad_msg;
			rec->u[i] = nla_get_u64(nla);
			break;
		case NLA_STRING: {
			size_t len = strnlen(nla_data(nla), nla_len(nla));

			if (len == 0)
				goto err_bad_msg;
			rec->s[i] = strndup(nla_data(nla), len);
			if (!rec->s[i]) {
				dibsctl_rec_unref(rec);
				return -ENOMEM;
			}
			break;
		}
		case NLA_UNSPEC:
			/* The set's GID; pad attributes have no length. */
			if (pol->minlen != DIBS_GID_LEN)
				continue;
			if (nla_len(nla) != DIBS_GID_LEN)
				goto err_bad_msg;
			memcpy(rec->gid, nla_data(nla), DIBS_GID_LEN);
			break;
		default:
			continue;
		}
		rec->present |= DIBSCTL_HAS(i);
	}
	*out = rec;
	return 0;

err_bad_msg:
	dibsctl_rec_unref(rec);
	return -EBADMSG;
}

int dibsctl_rec_new_from_nlmsg(const struct dibsctl_set *set,
			       struct nlmsghdr *nlh, struct dibsctl_rec **out)
{
	struct nlattr *tb[DIBSCTL_REC_ATTRS];

	if (genlmsg_parse(nlh, 0, tb, set->max, set->policy) < 0)
		return -EBADMSG;
	return dibsctl_rec_from_attrs(set, tb, out);
}

struct dibsctl_rec_collect {
	const struct dibsctl_set *set;
	struct dibsctl_rec_list *list;
};

static int dibsctl_rec_collect(struct nlmsghdr *nlh, void *arg)
{
	struct dibsctl_rec_collect *c = arg;
	struct dibsctl_rec *rec;
	int err;

	err = dibsctl_rec_new_from_nlmsg(c->set, nlh, &rec);
	if (err)
		return err;
	err = dibsctl_rec_list_append(c->list, rec);
	dibsctl_rec_unref(rec);
	return err;
}

int dibsctl_rec_transact(struct dibsctl *ctx, struct nl_msg *msg,
			 const struct dibsctl_set *set,
			 struct dibsctl_rec_list *list)
{
	struct dibsctl_rec_collect c = { .set = set, .list = list };

	return dibsctl_nl_transact_parse(ctx, msg,
					 list ? dibsctl_rec_collect : NULL, &c);
}

struct dibsctl_rec_each {
	const struct dibsctl_set *set;
	int (*fn)(struct dibsctl_rec *rec, void *arg);
	void *arg;
};

static int dibsctl_rec_each_one(struct nlmsghdr *nlh, void *arg)
{
	struct dibsctl_rec_each *e = arg;
	struct dibsctl_rec *rec;
	int err;

	err = dibsctl_rec_new_from_nlmsg(e->set, nlh, &rec);
	if (err)
		return err;
	err = e->fn(rec, e->arg);
	dibsctl_rec_unref(rec);
	return err;
}

int dibsctl_rec_dump_each(struct dibsctl *ctx, uint8_t cmd,
			  const struct dibsctl_set *set,
			  const struct dibsctl_rec_filter *filters,
			  size_t nfilters,
			  int (*fn)(struct dibsctl_rec *rec, void *arg),
			  void *arg)
{
	struct dibsctl_rec_each e = { .set = set, .fn = fn, .arg = arg };
	struct nl_msg *msg;
	size_t i;
	int err;

	err = dibsctl_netlink_only(ctx);
	if (err)
		return err;
	err = dibsctl_nl_request(ctx, cmd, NLM_F_DUMP, &msg);
	if (err)
		return err;
	for (i = 0; i < nfilters && !err; i++)
		if (filters[i].value &&
		    nla_put_string(msg, filters[i].attr, filters[i].value))
			err = -ENOMEM;
	if (!err)
		err = dibsctl_nl_transact_parse(ctx, msg, dibsctl_rec_each_one,
						&e);
	nlmsg_free(msg);
	return err;
}

static int dibsctl_rec_append_to(struct dibsctl_rec *rec, void *arg)
{
	return dibsctl_rec_list_append(arg, rec);
}

int dibsctl_rec_dump(struct dibsctl *ctx, uint8_t cmd,
		     const struct dibsctl_set *set,
		     const struct dibsctl_rec_filter *filters, size_t nfilters,
		     struct dibsctl_rec_list **list)
{
	struct dibsctl_rec_list *l;
	int err;

	l = dibsctl_rec_list_alloc();
	if (!l)
		return -ENOMEM;
	err = dibsctl_rec_dump_each(ctx, cmd, set, filters, nfilters,
				    dibsctl_rec_append_to, l);
	if (err) {
		dibsctl_rec_list_unref(l);
		return err;
	}
	*list = l;
	return 0;
}

int dibsctl_rec_transact_one(struct dibsctl *ctx, struct nl_msg *msg,
			     const struct dibsctl_set *set,
			     struct dibsctl_rec **rec)
{
	struct dibsctl_rec_list *list;
	int err;

	list = dibsctl_rec_list_alloc();
	if (!list)
		return -ENOMEM;
	err = dibsctl_rec_transact(ctx, msg, set, list);
	if (!err && list->count != 1)
		err = dibsctl_fail(ctx, -EBADMSG,
				   "the kernel replied with %zu objects instead of one",
				   list->count);
	if (!err)
		*rec = dibsctl_rec_ref(list->recs[0]);
	dibsctl_rec_list_unref(list);
	return err;
}

/* The objects of LIBDIBSCTL_3 exist only in our netlink family. */
int dibsctl_netlink_only(struct dibsctl *ctx)
{
	int err = dibsctl_pick_source(ctx);

	if (err)
		return err;
	if (ctx->source == DIBSCTL_SOURCE_SYSFS)
		return dibsctl_fail(ctx, -EOPNOTSUPP,
				    "%s shows devices only: no \"%s\" generic netlink family",
				    ctx->sysfs_dir, DIBS_FAMILY_NAME);
	return 0;
}

int dibsctl_check_dev_name(struct dibsctl *ctx, const char *name)
{
	if (!name || !dibsctl_dev_name_fits(name))
		return dibsctl_fail(ctx, -EINVAL,
				    "a device name has 1 to %d bytes",
				    DIBS_DEV_NAME_MAX_LEN);
	return 0;
}

int dibsctl_check_client_name(struct dibsctl *ctx, const char *name)
{
	size_t len = name ? strnlen(name, DIBS_CLIENT_NAME_MAX_LEN + 1) : 0;

	if (len == 0 || len > DIBS_CLIENT_NAME_MAX_LEN)
		return dibsctl_fail(ctx, -EINVAL,
				    "a client name has 1 to %d bytes",
				    DIBS_CLIENT_NAME_MAX_LEN);
	return 0;
}
