/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Internal interfaces of libdibsctl, shared between its source files and
 * the host unit tests (which link the library's objects statically).
 */
#ifndef LIBDIBSCTL_PRIVATE_H
#define LIBDIBSCTL_PRIVATE_H

#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>

#include <linux/dibs.h>
#include <linux/netlink.h>

#include "libdibsctl.h"

#define DIBSCTL_EXPORT __attribute__((visibility("default")))

#define DIBSCTL_SYSFS_CLASS_DIR	"/sys/class/dibs"

struct nl_sock;
struct nl_msg;
struct nlattr;
struct nla_policy;

struct dibsctl {
	int refcount;
	/* Unknown (0) until the first request picks netlink or sysfs. */
	enum dibsctl_source source;
	/* The sysfs source was asked for with DIBSCTL_SYSFS=1. */
	bool sysfs_forced;
	struct nl_sock *sock;
	int family;
	char *sysfs_dir;
	/* Details of the last failed call; NULL when it succeeded. */
	char *errmsg;
	const char *err_attr;
	/* Attribute names of the current request's set, for extack. */
	const char *const *attr_names;
	int attr_max;
};

/* Bits of struct dibsctl_dev.present, one per DIBS_A_DEV_* attribute. */
#define DIBSCTL_HAS(attr)	(1U << (attr))

struct dibsctl_dev {
	int refcount;
	unsigned int present;
	uint32_t index;
	uint32_t type;
	uint32_t max_dmbs;
	uint32_t dmbs_in_use;
	uint16_t fabric_id;
	bool mmapped_rdmb;
	uint8_t gid[DIBS_GID_LEN];
	char name[DIBS_DEV_NAME_MAX_LEN + 1];
	/* Its bindings (binding-get); NULL when they were not read. */
	struct dibsctl_client_list *clients;
	/* Where the last list it was appended to holds it: O(1) _next. */
	size_t pos;
};

struct dibsctl_dev_list {
	int refcount;
	size_t count;
	size_t capacity;
	struct dibsctl_dev **devs;
};

/*
 * The objects of LIBDIBSCTL_3 (clients, DMBs, GIDs, VLANs, statistics)
 * are all a struct dibsctl_rec: the attributes of one flat netlink
 * object, stored by attribute type.  Each public type wraps one.
 */
#define DIBSCTL_REC_ATTRS	32

struct dibsctl_rec {
	int refcount;
	uint32_t present;			/* DIBSCTL_HAS(attr) */
	uint64_t u[DIBSCTL_REC_ATTRS];		/* integers and flags */
	char *s[DIBSCTL_REC_ATTRS];		/* strings */
	uint8_t gid[DIBS_GID_LEN];		/* the one binary attribute */
	/*
	 * A client's devices: its bindings (binding-get), or the device of
	 * a bind/unbind event; NULL when they were not read.
	 */
	struct dibsctl_dev_list *devs;
	/* Where the last list it was appended to holds it: O(1) _next. */
	size_t pos;
};

struct dibsctl_rec_list {
	int refcount;
	size_t count;
	size_t capacity;
	struct dibsctl_rec **recs;
};

/* How to read one attribute set. */
struct dibsctl_set {
	int max;
	const struct nla_policy *policy;
};

struct dibsctl_client { struct dibsctl_rec rec; };
struct dibsctl_client_list { struct dibsctl_rec_list list; };
struct dibsctl_dmb { struct dibsctl_rec rec; };
struct dibsctl_dmb_list { struct dibsctl_rec_list list; };
struct dibsctl_gid { struct dibsctl_rec rec; };
struct dibsctl_gid_list { struct dibsctl_rec_list list; };
struct dibsctl_vlan { struct dibsctl_rec rec; };
struct dibsctl_vlan_list { struct dibsctl_rec_list list; };
struct dibsctl_stats { struct dibsctl_rec rec; };
struct dibsctl_stats_list { struct dibsctl_rec_list list; };

extern const struct dibsctl_set dibsctl_client_set, dibsctl_dmb_set,
	dibsctl_gid_set, dibsctl_vlan_set, dibsctl_stats_set,
	dibsctl_binding_set;

/*
 * libdibsctl-binding.c: the bindings (binding-get) of @n devices or
 * clients, optionally only those of the device or client named @name,
 * into each one's clients or devs list.  Bindings of objects not in the
 * array are left out.
 */
int dibsctl_dev_read_bindings(struct dibsctl *ctx, struct dibsctl_dev **devs,
			      size_t n, const char *name);
int dibsctl_client_read_bindings(struct dibsctl *ctx,
				 struct dibsctl_rec **clients, size_t n,
				 const char *name);
/*
 * Every binding, before a device or client dump that streams: *list
 * stays NULL when the module has no binding-get (version 1).
 */
int dibsctl_binding_dump_all(struct dibsctl *ctx, int attr,
			     struct dibsctl_rec_list **list);
/* The same from @bindings (binding records), for the host tests too. */
int dibsctl_dev_set_bindings(struct dibsctl_dev **devs, size_t n,
			     const struct dibsctl_rec_list *bindings);
int dibsctl_client_set_bindings(struct dibsctl_rec **clients, size_t n,
				const struct dibsctl_rec_list *bindings);

/* libdibsctl-rec.c */
struct dibsctl_rec *dibsctl_rec_alloc(void);
struct dibsctl_rec *dibsctl_rec_ref(struct dibsctl_rec *rec);
struct dibsctl_rec *dibsctl_rec_unref(struct dibsctl_rec *rec);
struct dibsctl_rec_list *dibsctl_rec_list_alloc(void);
int dibsctl_rec_list_append(struct dibsctl_rec_list *list,
			    struct dibsctl_rec *rec);
struct dibsctl_rec_list *dibsctl_rec_list_ref(struct dibsctl_rec_list *list);
struct dibsctl_rec_list *dibsctl_rec_list_unref(struct dibsctl_rec_list *list);
struct dibsctl_rec *dibsctl_rec_list_next(const struct dibsctl_rec_list *list,
					  const struct dibsctl_rec *rec);
int dibsctl_rec_from_attrs(const struct dibsctl_set *set, struct nlattr **tb,
			   struct dibsctl_rec **rec);
int dibsctl_rec_new_from_nlmsg(const struct dibsctl_set *set,
			       struct nlmsghdr *nlh, struct dibsctl_rec **rec);
bool dibsctl_rec_has(const struct dibsctl_rec *rec, int attr);
/* Runs @msg (not freed) and collects every reply of @set in @list. */
int dibsctl_rec_transact(struct dibsctl *ctx, struct nl_msg *msg,
			 const struct dibsctl_set *set,
			 struct dibsctl_rec_list *list);
/* A string attribute a dump request carries when value is not NULL. */
struct dibsctl_rec_filter {
	int attr;
	const char *value;
};

/*
 * Dumps @cmd, with @filters, handing each record of @set to @fn as its
 * part of the dump is read; the record is unreferenced after @fn.  A
 * non-zero return of @fn stops the calls and is returned.
 */
int dibsctl_rec_dump_each(struct dibsctl *ctx, uint8_t cmd,
			  const struct dibsctl_set *set,
			  const struct dibsctl_rec_filter *filters,
			  size_t nfilters,
			  int (*fn)(struct dibsctl_rec *rec, void *arg),
			  void *arg);
/* Dumps @cmd, with @filters, into a new list of records of @set. */
int dibsctl_rec_dump(struct dibsctl *ctx, uint8_t cmd,
		     const struct dibsctl_set *set,
		     const struct dibsctl_rec_filter *filters, size_t nfilters,
		     struct dibsctl_rec_list **list);
/* The same, expecting exactly one reply. */
int dibsctl_rec_transact_one(struct dibsctl *ctx, struct nl_msg *msg,
			     const struct dibsctl_set *set,
			     struct dibsctl_rec **rec);
int dibsctl_netlink_only(struct dibsctl *ctx);
int dibsctl_check_dev_name(struct dibsctl *ctx, const char *name);
int dibsctl_check_client_name(struct dibsctl *ctx, const char *name);

/*
 * The exported functions of one object type T over struct dibsctl_rec:
 * dibsctl_T_ref/unref and dibsctl_T_list_ref/unref/count/first/next.
 */
#define DIBSCTL_REC_TYPE(T)						\
DIBSCTL_EXPORT struct dibsctl_##T *dibsctl_##T##_ref(struct dibsctl_##T *o)	\
{									\
	dibsctl_rec_ref(o ? &o->rec : NULL);				\
	return o;							\
}									\
DIBSCTL_EXPORT struct dibsctl_##T *dibsctl_##T##_unref(struct dibsctl_##T *o)	\
{									\
	return dibsctl_rec_unref(o ? &o->rec : NULL) ? o : NULL;	\
}									\
DIBSCTL_EXPORT struct dibsctl_##T##_list *				\
dibsctl_##T##_list_ref(struct dibsctl_##T##_list *l)			\
{									\
	dibsctl_rec_list_ref(l ? &l->list : NULL);			\
	return l;							\
}									\
DIBSCTL_EXPORT struct dibsctl_##T##_list *				\
dibsctl_##T##_list_unref(struct dibsctl_##T##_list *l)			\
{									\
	return dibsctl_rec_list_unref(l ? &l->list : NULL) ? l : NULL;	\
}									\
DIBSCTL_EXPORT size_t							\
dibsctl_##T##_list_count(const struct dibsctl_##T##_list *l)		\
{									\
	return l ? l->list.count : 0;					\
}									\
DIBSCTL_EXPORT struct dibsctl_##T *					\
dibsctl_##T##_list_first(const struct dibsctl_##T##_list *l)		\
{									\
	if (!l || l->list.count == 0)					\
		return NULL;						\
	return (struct dibsctl_##T *)l->list.recs[0];			\
}									\
DIBSCTL_EXPORT struct dibsctl_##T *					\
dibsctl_##T##_list_next(const struct dibsctl_##T##_list *l,		\
			const struct dibsctl_##T *o)			\
{									\
	return (struct dibsctl_##T *)dibsctl_rec_list_next(		\
		l ? &l->list : NULL, o ? &o->rec : NULL);		\
}

/* An integer getter of type T: 0, or -ENODATA when not sent. */
#define DIBSCTL_REC_GETTER(T, field, attr, type)			\
DIBSCTL_EXPORT int dibsctl_##T##_get_##field(const struct dibsctl_##T *o,	\
					     type *field)		\
{									\
	if (!o || !field)						\
		return -EINVAL;						\
	if (!dibsctl_rec_has(&o->rec, attr))				\
		return -ENODATA;					\
	*field = (type)o->rec.u[attr];					\
	return 0;							\
}

/* A string getter of type T: NULL when not sent. */
#define DIBSCTL_REC_STRING(T, field, attr)				\
DIBSCTL_EXPORT const char *						\
dibsctl_##T##_get_##field(const struct dibsctl_##T *o)			\
{									\
	return o && dibsctl_rec_has(&o->rec, attr) ? o->rec.s[attr] : NULL;	\
}

/* libdibsctl-monitor.c: -ENOENT for a message that is no event. */
int dibsctl_event_new_from_nlmsg(struct nlmsghdr *nlh,
				 struct dibsctl_event **event);

/* libdibsctl-error.c */
void dibsctl_clear_error(struct dibsctl *ctx);
__attribute__((format(printf, 3, 4)))
int dibsctl_fail(struct dibsctl *ctx, int err, const char *fmt, ...);
int dibsctl_errno_from_nl(int nlerr);
void dibsctl_set_extack(struct dibsctl *ctx, const struct nlmsghdr *nlh,
			const struct nlmsghdr *request);

/* libdibsctl-ctx.c */
int dibsctl_pick_source(struct dibsctl *ctx);
void dibsctl_set_sysfs_dir(struct dibsctl *ctx, const char *dir);
void dibsctl_close_socket(struct dibsctl *ctx);

/* libdibsctl-nl.c */
int dibsctl_nl_open(struct dibsctl *ctx);
int dibsctl_nl_request(struct dibsctl *ctx, uint8_t cmd, int flags,
		       struct nl_msg **msg);
int dibsctl_nl_transact(struct dibsctl *ctx, struct nl_msg *msg,
			struct dibsctl_dev_list *replies);
/* @parse gets each reply; a negative return is kept as the result. */
int dibsctl_nl_transact_parse(struct dibsctl *ctx, struct nl_msg *msg,
			      int (*parse)(struct nlmsghdr *nlh, void *arg),
			      void *arg);
int dibsctl_dev_new_from_attrs(struct nlattr **tb, struct nlattr *attrs,
			       int len, struct dibsctl_dev **dev);
int dibsctl_dev_new_from_nlmsg(struct nlmsghdr *nlh, struct dibsctl_dev **dev);

/* libdibsctl-sysfs.c */
int dibsctl_sysfs_list(struct dibsctl *ctx, struct dibsctl_dev_list *list);
int dibsctl_sysfs_get(struct dibsctl *ctx, const char *name,
		      struct dibsctl_dev **dev);

/* libdibsctl-dev.c */
struct dibsctl_dev *dibsctl_dev_alloc(void);
struct dibsctl_dev_list *dibsctl_dev_list_alloc(void);
int dibsctl_dev_list_append(struct dibsctl_dev_list *list,
			    struct dibsctl_dev *dev);
bool dibsctl_dev_name_fits(const char *name);

#endif /* LIBDIBSCTL_PRIVATE_H */
