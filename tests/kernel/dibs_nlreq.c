// SPDX-License-Identifier: GPL-2.0-only
/*
 * dibs_nlreq: one raw dibs netlink request from a shell test, without
 * libdibsctl or dibsctl (the kernel is tested on its own).
 *
 *   dibs_nlreq family                      is the family registered?
 *   dibs_nlreq get NAME | get index N      dev-get do
 *   dibs_nlreq dump                        dev-get dump
 *   dibs_nlreq new [name NAME] [gid UUID]  dev-new of a loopback device
 *   dibs_nlreq del NAME | del index N [force]
 *   dibs_nlreq monitor COUNT MS            wait for COUNT notifications
 *   dibs_nlreq join GROUP                  join a multicast group, leave
 *
 * Each device in a reply is printed as one line of key=value pairs
 * ("index=2 name=lo1 type=1 gid=... fabric_id=0xffff max_dmbs=5000
 * dmbs_in_use=0 mmapped_rdmb=1"). A refused request prints
 * "errno=ENAME", then "extack=MESSAGE" and "bad_attr=ATTR" when the
 * kernel gave them, and exits 1; stderr then says
 * "dibs_nlreq: COMMAND: STRERROR[: EXTACK]". Exit 2: usage error;
 * 3: the family is not registered; 4: the exchange itself failed.
 *
 * monitor subscribes to the "monitor" group, prints "ready" once it is
 * subscribed, then each notification as "dev-new-ntf KEY=VALUE..." (or
 * dev-del-ntf), and exits 0 after COUNT of them, or 1 when none came for
 * MS milliseconds.
 *
 * join prints "joined GROUP" when the kernel let it join GROUP ("monitor",
 * "dmb"), else "errno=ENAME" and exits 1, as a refused request.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <netlink/attr.h>

#include "dibs_ktest.h"

static int usage(void)
{
	fprintf(stderr,
		"usage: dibs_nlreq family | get NAME | get index N | dump |\n"
		"       new [name NAME] [gid UUID] | del NAME | del index N [force] |\n"
		"       monitor COUNT MS | join GROUP\n");
	return 2;
}

static int parse_index(const char *s, uint32_t *index)
{
	unsigned long v;
	char *end;

	errno = 0;
	v = strtoul(s, &end, 0);
	if (errno || !*s || *end || v > UINT32_MAX)
		return -EINVAL;
	*index = v;
	return 0;
}

/* Adds the device selector: NAME or "index N"; returns args used or -1. */
static int put_selector(struct nl_msg *msg, int argc, char **argv)
{
	uint32_t index;

	if (argc >= 2 && !strcmp(argv[0], "index")) {
		if (parse_index(argv[1], &index) ||
		    nla_put_u32(msg, DIBS_A_DEV_INDEX, index))
			return -1;
		return 2;
	}
	if (argc >= 1) {
		if (nla_put_string(msg, DIBS_A_DEV_NAME, argv[0]))
			return -1;
		return 1;
	}
	return -1;
}

static int build(struct dibs_genl *g, int argc, char **argv,
		 struct nl_msg **msgp)
{
	const char *cmd = argv[0];
	struct nl_msg *msg;
	uint8_t gid[DIBS_GID_LEN];
	int used;

	argc--;
	argv++;
	if (!strcmp(cmd, "dump")) {
		msg = dibs_genl_msg(g, DIBS_CMD_DEV_GET, NLM_F_DUMP);
		used = 0;
	} else if (!strcmp(cmd, "get")) {
		msg = dibs_genl_msg(g, DIBS_CMD_DEV_GET, 0);
		used = msg ? put_selector(msg, argc, argv) : -1;
	} else if (!strcmp(cmd, "del")) {
		msg = dibs_genl_msg(g, DIBS_CMD_DEV_DEL, 0);
		used = msg ? put_selector(msg, argc, argv) : -1;
		if (used >= 0 && used < argc && !strcmp(argv[used], "force")) {
			if (nla_put_flag(msg, DIBS_A_DEV_FORCE))
				used = -1;
			else
				used++;
		}
	} else if (!strcmp(cmd, "new")) {
		msg = dibs_genl_msg(g, DIBS_CMD_DEV_NEW, 0);
		used = 0;
		if (msg && nla_put_u32(msg, DIBS_A_DEV_TYPE,
				       DIBS_DEV_TYPE_LOOPBACK))
			used = -1;
		while (msg && used >= 0 && used + 1 < argc) {
			if (!strcmp(argv[used], "name")) {
				if (nla_put_string(msg, DIBS_A_DEV_NAME,
						   argv[used + 1]))
					used = -1;
			} else if (!strcmp(argv[used], "gid")) {
				if (dibs_uuid_parse(argv[used + 1], gid) ||
				    nla_put(msg, DIBS_A_DEV_GID, DIBS_GID_LEN,
					    gid))
					used = -1;
			} else {
				break;
			}
			if (used >= 0)
				used += 2;
		}
	} else {
		return -1;
	}
	if (!msg || used != argc) {
		if (msg)
			nlmsg_free(msg);
		return -1;
	}
	*msgp = msg;
	return 0;
}

static int monitor(struct dibs_genl *g, int count, int timeout_ms)
{
	struct dibs_monitor mon;
	struct dibs_dev_msg ntf;
	char line[512];
	int ret, i;

	ret = dibs_monitor_open(&mon, g);
	if (ret) {
		fprintf(stderr, "dibs_nlreq: monitor group: %s\n", strerror(-ret));
		return 4;
	}
	printf("ready\n");
	fflush(stdout);
	for (i = 0; i < count; i++) {
		ret = dibs_monitor_next(&mon, &ntf, timeout_ms);
		if (ret <= 0)
			break;
		dibs_dev_format(&ntf, line, sizeof(line));
		printf("%s %s\n", ntf.cmd == DIBS_CMD_DEV_NEW_NTF ? "dev-new-ntf" :
		       ntf.cmd == DIBS_CMD_DEV_DEL_NTF ? "dev-del-ntf" :
		       "unexpected-cmd", line);
		fflush(stdout);
	}
	dibs_monitor_close(&mon);
	if (ret < 0)
		fprintf(stderr, "dibs_nlreq: monitor: %s\n", strerror(-ret));
	return i == count ? 0 : 1;
}

static int join(const char *group)
{
	const char *const groups[] = { group };
	struct dibs_recmon mon;
	int ret;

	ret = dibs_recmon_open(&mon, groups, 1);
	if (ret) {
		fprintf(stderr, "dibs_nlreq: join %s: %s\n", group, strerror(-ret));
		printf("errno=%s\n", dibs_errno_name(ret));
		return 1;
	}
	dibs_recmon_close(&mon);
	printf("joined %s\n", group);
	return 0;
}

/* "monitor COUNT MS": returns 0 and the numbers, or -1. */
static int parse_monitor(int argc, char **argv, int *count, int *timeout_ms)
{
	uint32_t c, ms;

	if (argc != 4 || parse_index(argv[2], &c) || parse_index(argv[3], &ms) ||
	    c > 100000 || ms > 3600000)
		return -1;
	*count = c;
	*timeout_ms = ms;
	return 0;
}

int main(int argc, char **argv)
{
	int count = 0, timeout_ms = 0;
	struct dibs_reply reply;
	struct dibs_genl g;
	struct nl_msg *msg;
	char line[512];
	int ret, i;

	if (argc < 2)
		return usage();
	/* Check the syntax before needing the family: a typo exits 2. */
	memset(&g, 0, sizeof(g));
	if (!strcmp(argv[1], "monitor")) {
		if (parse_monitor(argc, argv, &count, &timeout_ms))
			return usage();
	} else if (!strcmp(argv[1], "join")) {
		if (argc != 3)
			return usage();
	} else if (strcmp(argv[1], "family")) {
		if (build(&g, argc - 1, argv + 1, &msg))
			return usage();
		nlmsg_free(msg);
	} else if (argc != 2) {
		return usage();
	}
	ret = dibs_genl_open(&g);
	if (ret) {
		printf("errno=%s\n", dibs_errno_name(ret));
		fprintf(stderr, "dibs_nlreq: dibs family: %s\n", strerror(-ret));
		return 3;
	}
	if (!strcmp(argv[1], "family")) {
		dibs_genl_close(&g);
		return 0;
	}
	if (!strcmp(argv[1], "monitor")) {
		ret = monitor(&g, count, timeout_ms);
		dibs_genl_close(&g);
		return ret;
	}
	if (!strcmp(argv[1], "join")) {
		dibs_genl_close(&g);
		return join(argv[2]);
	}
	if (build(&g, argc - 1, argv + 1, &msg)) {
		dibs_genl_close(&g);
		return usage();
	}
	ret = dibs_genl_send(&g, msg, &reply);
	dibs_genl_close(&g);
	if (reply.local_error[0]) {
		fprintf(stderr, "dibs_nlreq: %s\n", reply.local_error);
		dibs_reply_free(&reply);
		return 4;
	}
	for (i = 0; i < reply.ndevs; i++) {
		dibs_dev_format(&reply.devs[i], line, sizeof(line));
		printf("%s\n", line);
	}
	if (ret) {
		/* stderr as dibsctl words it, for the shell helpers' errno check */
		fprintf(stderr, "dibs_nlreq: %s: %s%s%s\n", argv[1], strerror(-ret),
			reply.has_msg ? ": " : "", reply.has_msg ? reply.msg : "");
		printf("errno=%s\n", dibs_errno_name(ret));
		if (reply.has_msg)
			printf("extack=%s\n", reply.msg);
		if (reply.has_offs)
			printf("bad_attr=%s\n", reply.bad_attr ?
			       dibs_attr_name(reply.bad_attr) : "(none)");
		if (reply.has_miss_type)
			printf("missing_attr=%s\n",
			       dibs_attr_name(reply.miss_type));
	}
	dibs_reply_free(&reply);
	return ret ? 1 : 0;
}
