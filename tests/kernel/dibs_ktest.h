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

/*
 * Every object of the family, not only devices: each message of a reply
 * or a notification is also parsed into a struct dibs_rec by the attribute
 * set its command uses, with every attribute's size checked against the
 * spec. Integers and flags land in u[attr] (a flag present is 1), strings
 * and GIDs (as lowercase UUID text) in s[attr]. No reply nests an
 * object: a nest is malformed.
 */
struct dibs_genl;
struct dibs_reply;

enum dibs_set {
	DIBS_SET_DEV,
	DIBS_SET_CLIENT,
	DIBS_SET_DMB,
	DIBS_SET_GID,
	DIBS_SET_VLAN,
	DIBS_SET_STATS,
	DIBS_SET_BINDING,
	DIBS_SET_NONE,
};

#define DIBS_REC_ATTRS 24
#define DIBS_REC_STR 64

struct dibs_rec {
	uint8_t cmd;
	int set;			/* enum dibs_set of cmd */
	uint32_t present;		/* bit n: attribute n was there */
	uint64_t u[DIBS_REC_ATTRS];
	char s[DIBS_REC_ATTRS][DIBS_REC_STR];
	char malformed[160];		/* empty, or why it breaks the spec */
};

#define DIBS_REC_HAS(rec, attr) ((((rec)->present) >> (attr)) & 1)

/* The attribute set the messages of cmd use (DIBS_SET_NONE if unknown). */
int dibs_cmd_set(uint8_t cmd);
const char *dibs_cmd_name(uint8_t cmd);
/* "client-id" for (DIBS_SET_DMB, DIBS_A_DMB_CLIENT_ID). */
const char *dibs_set_attr_name(int set, int attr);
/* One line "cmd-name key=value ..." of a record, for failure messages. */
void dibs_rec_format(const struct dibs_rec *rec, char *buf, size_t len);

/*
 * One request with the attributes listed: DIBS_REQ(g, &reply, cmd, flags,
 * DIBS_PUT_U32(attr, v), DIBS_PUT_STR(attr, "lo"), ...). Returns as
 * dibs_genl_send(); the records are in reply->recs.
 */
enum dibs_put_kind {
	DIBS_PUT_KIND_U8 = 1, DIBS_PUT_KIND_U16, DIBS_PUT_KIND_U32,
	DIBS_PUT_KIND_U64, DIBS_PUT_KIND_STR, DIBS_PUT_KIND_FLAG,
	DIBS_PUT_KIND_BIN,
};

struct dibs_put {
	int type;
	int kind;
	uint64_t u;
	const void *p;		/* string, or binary of len bytes */
	int len;
};

#define DIBS_PUT_U8(a, v)  { .type = (a), .kind = DIBS_PUT_KIND_U8, .u = (v) }
#define DIBS_PUT_U16(a, v) { .type = (a), .kind = DIBS_PUT_KIND_U16, .u = (v) }
#define DIBS_PUT_U32(a, v) { .type = (a), .kind = DIBS_PUT_KIND_U32, .u = (v) }
#define DIBS_PUT_U64(a, v) { .type = (a), .kind = DIBS_PUT_KIND_U64, .u = (v) }
#define DIBS_PUT_STR(a, v) { .type = (a), .kind = DIBS_PUT_KIND_STR, .p = (v) }
#define DIBS_PUT_FLAG(a)   { .type = (a), .kind = DIBS_PUT_KIND_FLAG }
#define DIBS_PUT_BIN(a, v, l) \
	{ .type = (a), .kind = DIBS_PUT_KIND_BIN, .p = (v), .len = (l) }

int dibs_request(struct dibs_genl *g, struct dibs_reply *reply, uint8_t cmd,
		 int flags, const struct dibs_put *puts, size_t nputs);

/* An empty attribute list is a GNU zero-length array: fine under gnu11. */
#define DIBS_REQ(g, reply, cmd, flags, ...) \
	dibs_request((g), (reply), (cmd), (flags), \
		     (const struct dibs_put[]){ __VA_ARGS__ }, \
		     sizeof((const struct dibs_put[]){ __VA_ARGS__ }) / \
		     sizeof(struct dibs_put))

/*
 * A socket subscribed to several multicast groups ("monitor", "dmb"),
 * keeping every notification as a record. dibs_recmon_next() as
 * dibs_monitor_next().
 */
struct dibs_recmon {
	struct nl_sock *sk;
	int count;
	int first;
	int cap;
	struct dibs_rec *queue;
	int overflow;
};

/* 0, or -errno: -EPERM when the kernel refuses to let it join a group */
int dibs_recmon_open(struct dibs_recmon *m, const char *const *groups,
		     int ngroups);
void dibs_recmon_close(struct dibs_recmon *m);
int dibs_recmon_next(struct dibs_recmon *m, struct dibs_rec *ntf,
		     int timeout_ms);

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
	int nrecs;
	struct dibs_rec *recs;		/* the same messages, as records */
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

/*
 * Lookups through the new ops: the one record of a do request, copied to
 * *rec. Return 0 or the kernel's -errno (-EPROTO: not exactly one record).
 */
int dibs_client_get_name(struct dibs_genl *g, const char *name,
			 struct dibs_rec *rec);
int dibs_stats_get_dev(struct dibs_genl *g, const char *dev,
		       struct dibs_rec *rec);
int dibs_stats_get_client(struct dibs_genl *g, const char *client,
			  struct dibs_rec *rec);

/*
 * Modules of $DIBS_MODULES: insmod NAME.ko with optional parameters unless
 * it is loaded (1: it was already loaded, 0: loaded now), rmmod NAME
 * (0, or -errno). -ENOENT when DIBS_MODULES is not set.
 */
int dibs_module_load(const char *name, const char *params);
int dibs_module_unload(const char *name);
bool dibs_module_loaded(const char *name);

/*
 * tests/modules' dibs_test_client through debugfs: a ctl command
 * ("register lo 2 4096"; 0 or the -errno of the write), and a number from
 * its status file: KEY's value on the last "device DEV ..." line (the
 * client's record of the device's latest appearance). -ENOENT when there
 * is no such line or key.
 */
#define DIBS_TC_NAME "dibs_test_client"
#define DIBS_TC_DEBUGFS "/sys/kernel/debug/dibs_test_client"
__attribute__((format(printf, 1, 2)))
int dibs_tc_ctl(const char *fmt, ...);
int dibs_tc_dev_value(const char *dev, const char *key, long *value);
/* The whole status file, for failure messages. */
void dibs_tc_status(char *buf, size_t len);

/*
 * /dev/dibs (dibs_user.ko), the second client of the suites: a file bound
 * to device DEV (fd or -errno), a DMB of len bytes writable by rgid
 * (token and idx out), its unregistration, a copy move of len bytes of
 * 0xa5 at offset (sig_idx >= 0: with that signal) and a software event to
 * the device of rgid. Each returns 0 or -errno.
 */
#define DIBS_USER_CLIENT_NAME "dibs_user"
int dibs_user_open(const char *dev);
int dibs_user_reg(int fd, uint32_t len, const uint8_t rgid[DIBS_GID_LEN],
		  uint64_t *token, uint32_t *idx);
int dibs_user_unreg(int fd, uint64_t token);
int dibs_user_move(int fd, uint64_t token, uint32_t offset, uint32_t len,
		   int sig_idx);
int dibs_user_event(int fd, const uint8_t rgid[DIBS_GID_LEN], uint32_t code);

/*
 * The two clients of the suites, dibs_user (first) and dibs_test_client,
 * loaded from $DIBS_MODULES (waiting for /dev/dibs), and unloaded again.
 * 0 or -errno with why set.
 */
int dibs_clients_load(char *why, size_t len);
void dibs_clients_unload(void);

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

/* A record must be well formed and of the command expected. */
#define ASSERT_REC(rec, want_cmd) do { \
	char __buf[1024]; \
	dibs_rec_format((rec), __buf, sizeof(__buf)); \
	ASSERT_STREQ("", (rec)->malformed) TH_LOG("record: %s", __buf); \
	ASSERT_EQ(want_cmd, (rec)->cmd) \
		TH_LOG("expected %s, got %s", dibs_cmd_name(want_cmd), __buf); \
} while (0)

/* Attribute attr of rec must be there and equal want (an integer). */
#define EXPECT_ATTR_U(rec, attr, want) do { \
	char __buf[1024]; \
	dibs_rec_format((rec), __buf, sizeof(__buf)); \
	EXPECT_TRUE(DIBS_REC_HAS(rec, attr)) \
		TH_LOG("%s missing in %s", \
		       dibs_set_attr_name((rec)->set, attr), __buf); \
	EXPECT_EQ((uint64_t)(want), (rec)->u[attr]) \
		TH_LOG("%s: expected %llu in %s", \
		       dibs_set_attr_name((rec)->set, attr), \
		       (unsigned long long)(want), __buf); \
} while (0)

/* Attribute attr of rec must be there and equal the string want. */
#define EXPECT_ATTR_S(rec, attr, want) do { \
	char __buf[1024]; \
	dibs_rec_format((rec), __buf, sizeof(__buf)); \
	EXPECT_TRUE(DIBS_REC_HAS(rec, attr)) \
		TH_LOG("%s missing in %s", \
		       dibs_set_attr_name((rec)->set, attr), __buf); \
	EXPECT_STREQ(want, (rec)->s[attr]) \
		TH_LOG("%s: expected \"%s\" in %s", \
		       dibs_set_attr_name((rec)->set, attr), want, __buf); \
} while (0)

/* Attribute attr of rec must be absent. */
#define EXPECT_NO_ATTR(rec, attr) do { \
	char __buf[1024]; \
	dibs_rec_format((rec), __buf, sizeof(__buf)); \
	EXPECT_FALSE(DIBS_REC_HAS(rec, attr)) \
		TH_LOG("%s must be absent in %s", \
		       dibs_set_attr_name((rec)->set, attr), __buf); \
} while (0)
#endif

#endif /* DIBS_KTEST_H */
