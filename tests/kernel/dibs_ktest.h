/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Helpers shared by the kernel test programs: raw requests to the "dibs"
 * generic netlink family through libnl-genl (deliberately not through
 * libdibsctl, so that the kernel is tested on its own), the extended ack
 * of a failed request, the "monitor" multicast group, and the
 * /sys/class/dibs view of the same devices.
 */
#ifndef DIBS_KTEST_H
#define DIBS_KTEST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <netlink/msg.h>
#include <linux/dibs.h>

#define DIBS_SYSFS_CLASS "/sys/class/dibs"
#define DIBS_LOOPBACK_FABRIC_ID 0xffff
/* A buffer large enough for any one sysfs attribute of a dibs device. */
#define DIBS_SYSFS_ATTR_MAX 256
/* "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx" plus its NUL. */
#define DIBS_UUID_STR_LEN 37

/* One device as a reply or a notification described it. */
struct dibs_dev_msg {
	uint8_t cmd;			/* genetlink command of the message */
	uint32_t present;		/* bit n: attribute n was there */
	uint32_t index;
	char name[DIBS_DEV_NAME_MAX_LEN + 1];
	uint32_t type;
	uint8_t gid[DIBS_GID_LEN];
	uint16_t fabric_id;
	uint32_t max_dmbs;
	uint32_t dmbs_in_use;
	bool mmapped_rdmb;
	/* Empty, or why the message does not follow the spec. */
	char malformed[128];
};

#define DIBS_HAS(dev, attr) (((dev)->present >> (attr)) & 1)

/* What the kernel answered to one request. */
struct dibs_reply {
	int err;			/* 0, or the -errno of the ack */
	bool has_msg;
	char msg[256];			/* NLMSGERR_ATTR_MSG */
	bool has_offs;
	uint32_t offs;			/* NLMSGERR_ATTR_OFFS */
	/* Type of the request attribute that offs points at, or 0. */
	int bad_attr;
	bool has_miss_type;
	uint32_t miss_type;		/* NLMSGERR_ATTR_MISS_TYPE */
	int ndevs;
	struct dibs_dev_msg *devs;	/* replies, in arrival order */
	/* Set when something other than the kernel's errno went wrong. */
	char local_error[128];
};

struct dibs_genl {
	struct nl_sock *sk;
	int family;
	int monitor_group;
};

/*
 * Opens a socket and resolves the family and its "monitor" group.
 * Returns 0, or -ENOENT when the family is not registered, or another
 * -errno.
 */
int dibs_genl_open(struct dibs_genl *g);
void dibs_genl_close(struct dibs_genl *g);

/*
 * Starts a request for cmd; the caller adds attributes with libnl's
 * nla_put*() (any attribute, valid or not) and sends it with
 * dibs_genl_send(). flags: extra nlmsg flags such as NLM_F_DUMP.
 */
struct nl_msg *dibs_genl_msg(const struct dibs_genl *g, uint8_t cmd,
			     int flags);

/*
 * Sends msg (and frees it), then collects every device message and the
 * final ack or done into *reply. Returns reply->err (0 or the kernel's
 * -errno), or -EPROTO with reply->local_error set when the exchange itself
 * broke. Release the reply with dibs_reply_free().
 */
int dibs_genl_send(struct dibs_genl *g, struct nl_msg *msg,
		   struct dibs_reply *reply);
void dibs_reply_free(struct dibs_reply *reply);

/* Convenience requests built on the two calls above. */
int dibs_dev_get_name(struct dibs_genl *g, const char *name,
		      struct dibs_reply *reply);
int dibs_dev_get_index(struct dibs_genl *g, uint32_t index,
		       struct dibs_reply *reply);
int dibs_dev_dump(struct dibs_genl *g, struct dibs_reply *reply);
/* A loopback device; name and gid may be NULL for the defaults. */
int dibs_dev_new(struct dibs_genl *g, const char *name, const uint8_t *gid,
		 struct dibs_reply *reply);
int dibs_dev_del_name(struct dibs_genl *g, const char *name, bool force,
		      struct dibs_reply *reply);
int dibs_dev_del_index(struct dibs_genl *g, uint32_t index, bool force,
		       struct dibs_reply *reply);

/*
 * A socket subscribed to the "monitor" group. dibs_monitor_next() waits up
 * to timeout_ms for the next notification: 1 one was stored in *ntf,
 * 0 none came, -errno the socket failed (-ENOBUFS: notifications lost).
 */
struct dibs_monitor {
	struct nl_sock *sk;
	int count;
	int first;
	struct dibs_dev_msg queue[64];
	int overflow;
};

int dibs_monitor_open(struct dibs_monitor *m, const struct dibs_genl *g);
void dibs_monitor_close(struct dibs_monitor *m);
int dibs_monitor_next(struct dibs_monitor *m, struct dibs_dev_msg *ntf,
		      int timeout_ms);

/* Text helpers for failure messages and comparisons. */
void dibs_uuid_str(const uint8_t gid[DIBS_GID_LEN],
		   char out[DIBS_UUID_STR_LEN]);
/* Parses "xxxxxxxx-xxxx-..." into 16 bytes; 0 or -EINVAL. */
int dibs_uuid_parse(const char *s, uint8_t gid[DIBS_GID_LEN]);
const char *dibs_attr_name(int attr);
const char *dibs_errno_name(int err);	/* "EINVAL" for -EINVAL or EINVAL */
/* One line: "index=1 name=lo type=1 gid=... fabric_id=0xffff ...". */
void dibs_dev_format(const struct dibs_dev_msg *dev, char *buf, size_t len);

/*
 * Compares two device messages attribute by attribute (presence and
 * value). Returns true when equal; otherwise describes the first
 * difference in why.
 */
bool dibs_dev_equal(const struct dibs_dev_msg *a, const struct dibs_dev_msg *b,
		    char *why, size_t len);

/*
 * sysfs: reads /sys/class/dibs/<dev>/<attr> byte for byte (NUL added).
 * Returns the number of bytes, or -errno.
 */
int dibs_sysfs_read(const char *dev, const char *attr, char *buf, size_t len);
/* Device names under /sys/class/dibs, sorted, separated by one space. */
int dibs_sysfs_names(char *buf, size_t len);
/*
 * Checks that the sysfs attributes of dev->name say what the netlink
 * message says (gid, fabric_id, type, index, max_dmbs). true if so,
 * otherwise the first difference is described in why.
 */
bool dibs_sysfs_matches(const struct dibs_dev_msg *dev, char *why, size_t len);

/*
 * The whole observable state: every device the dump returns (sorted by
 * index) and every entry under /sys/class/dibs with its attributes.
 * Used to prove that a rejected request changed nothing.
 */
struct dibs_state {
	int ndevs;
	struct dibs_dev_msg devs[32];
	char sysfs[4096];
};

int dibs_state_read(struct dibs_genl *g, struct dibs_state *state,
		    char *why, size_t len);
bool dibs_state_equal(const struct dibs_state *before,
		      const struct dibs_state *after, char *why, size_t len);

/*
 * Deletes (with force) every device that is not in keep, so that a test
 * leaves the module as it found it. Returns the number it could not
 * delete.
 */
int dibs_remove_devices_except(struct dibs_genl *g,
			       const struct dibs_state *keep);

/* A recognisable, non-null GID made from seed, for tests that set one. */
void dibs_test_gid(uint8_t gid[DIBS_GID_LEN], unsigned int seed);

#ifdef __KSELFTEST_HARNESS_H
/* What the kernel answered, for the log of a failing check. */
#define DIBS_LOG_REPLY(r) \
	TH_LOG("kernel answered %s%s%s%s %s", dibs_errno_name((r)->err), \
	       (r)->has_msg ? ", extack \"" : " (no extack message)", \
	       (r)->has_msg ? (r)->msg : "", (r)->has_msg ? "\"" : "", \
	       (r)->local_error)

/* The request must succeed; on failure the kernel's answer is logged. */
#define ASSERT_REQ_OK(call, r) do { \
	int __req_ret = (call); \
	ASSERT_EQ(0, __req_ret) DIBS_LOG_REPLY(r); \
} while (0)

/* A reply must hold exactly one well-formed device message for cmd. */
#define ASSERT_ONE_DEV(r, want_cmd) do { \
	ASSERT_EQ(1, (r)->ndevs) \
		TH_LOG("expected one device in the reply, got %d", (r)->ndevs); \
	ASSERT_STREQ("", (r)->devs[0].malformed); \
	ASSERT_EQ(want_cmd, (r)->devs[0].cmd) \
		TH_LOG("reply carries command %d, expected %d", \
		       (r)->devs[0].cmd, want_cmd); \
} while (0)
#endif

#endif /* DIBS_KTEST_H */
