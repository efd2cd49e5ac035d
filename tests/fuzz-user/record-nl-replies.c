// SPDX-License-Identifier: GPL-2.0-only
/*
 * Records what the dibs module sends, for fuzz-nl-reply's seed corpus:
 * each buffer one recv() returns is written unchanged to its own file.
 *
 *   record-nl-replies DIR dumps     every dump dibsctl asks for (dev,
 *                                   client, dmb, gid, vlan, stats,
 *                                   binding): DIR/<cmd>-<part>
 *   record-nl-replies DIR monitor N the notifications of the monitor and
 *                                   dmb groups, until N have come or
 *                                   none for 5 s: DIR/ntf-<n>
 *
 * record-corpus.sh runs it in the VM.  Not installed.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <linux/dibs.h>
#include <netlink/genl/ctrl.h>
#include <netlink/genl/genl.h>
#include <netlink/msg.h>
#include <netlink/socket.h>

static const struct {
	const char *name;
	uint8_t cmd;
} dumps[] = {
	{ "dev-get", DIBS_CMD_DEV_GET },
	{ "client-get", DIBS_CMD_CLIENT_GET },
	{ "dmb-get", DIBS_CMD_DMB_GET },
	{ "gid-get", DIBS_CMD_GID_GET },
	{ "vlan-get", DIBS_CMD_VLAN_GET },
	{ "stats-get", DIBS_CMD_STATS_GET },
	{ "binding-get", DIBS_CMD_BINDING_GET },
};

static int save(const char *dir, const char *name, unsigned int n,
		const unsigned char *buf, int len)
{
	char path[4096];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s-%u", dir, name, n);
	f = fopen(path, "we");
	if (!f || fwrite(buf, 1, len, f) != (size_t)len || fclose(f)) {
		fprintf(stderr, "record-nl-replies: %s: %s\n", path,
			strerror(errno));
		return -1;
	}
	return 0;
}

/* True when @buf holds the end of a dump, or an error instead of it. */
static bool ends_dump(unsigned char *buf, int len, int *err)
{
	struct nlmsghdr *nlh;

	for (nlh = (struct nlmsghdr *)buf; nlmsg_ok(nlh, len);
	     nlh = nlmsg_next(nlh, &len)) {
		if (nlh->nlmsg_type == NLMSG_DONE)
			return true;
		if (nlh->nlmsg_type == NLMSG_ERROR) {
			*err = ((struct nlmsgerr *)nlmsg_data(nlh))->error;
			return true;
		}
	}
	return false;
}

static int record_dump(struct nl_sock *sk, int family, const char *dir,
		       const char *name, uint8_t cmd)
{
	struct sockaddr_nl peer;
	unsigned int part = 0;
	unsigned char *buf;
	struct nl_msg *msg;
	int len, err = 0;
	bool done;

	msg = nlmsg_alloc();
	if (!msg || !genlmsg_put(msg, NL_AUTO_PORT, NL_AUTO_SEQ, family, 0,
				 NLM_F_DUMP, cmd, DIBS_FAMILY_VERSION) ||
	    nl_send_auto(sk, msg) < 0) {
		fprintf(stderr, "record-nl-replies: cannot send %s\n", name);
		nlmsg_free(msg);
		return -1;
	}
	nlmsg_free(msg);
	do {
		len = nl_recv(sk, &peer, &buf, NULL);
		if (len <= 0) {
			fprintf(stderr, "record-nl-replies: %s: %s\n", name,
				nl_geterror(len));
			return -1;
		}
		done = ends_dump(buf, len, &err);
		if (save(dir, name, ++part, buf, len)) {
			free(buf);
			return -1;
		}
		free(buf);
	} while (!done);
	if (err) {
		fprintf(stderr, "record-nl-replies: %s: %s\n", name,
			strerror(-err));
		return -1;
	}
	printf("%s: %u parts\n", name, part);
	return 0;
}

static int record_monitor(struct nl_sock *sk, const char *dir, unsigned int max)
{
	static const char *const groups[] = { DIBS_MCGRP_MONITOR, DIBS_MCGRP_DMB };
	struct sockaddr_nl peer;
	struct timeval tv = { .tv_sec = 5 };
	unsigned int n = 0;
	unsigned char *buf;
	size_t i;
	int len;

	nl_socket_disable_seq_check(sk);
	for (i = 0; i < sizeof(groups) / sizeof(groups[0]); i++) {
		int id = genl_ctrl_resolve_grp(sk, DIBS_FAMILY_NAME, groups[i]);

		if (id < 0 || nl_socket_add_memberships(sk, id, 0) < 0) {
			fprintf(stderr, "record-nl-replies: cannot join %s\n",
				groups[i]);
			return -1;
		}
	}
	if (setsockopt(nl_socket_get_fd(sk), SOL_SOCKET, SO_RCVTIMEO, &tv,
		       sizeof(tv)) < 0)
		return -1;
	/* Ready: record-corpus.sh waits for this line. */
	printf("listening\n");
	fflush(stdout);
	while (n < max) {
		len = nl_recv(sk, &peer, &buf, NULL);
		if (len <= 0)
			break;
		if (save(dir, "ntf", ++n, buf, len)) {
			free(buf);
			return -1;
		}
		free(buf);
	}
	printf("notifications: %u\n", n);
	return n ? 0 : -1;
}

int main(int argc, char **argv)
{
	struct nl_sock *sk;
	int family, ret = 0;
	size_t i;

	if (argc < 3 || (strcmp(argv[2], "dumps") != 0 &&
			 (strcmp(argv[2], "monitor") != 0 || argc != 4))) {
		fprintf(stderr, "usage: record-nl-replies DIR dumps|monitor N\n");
		return 2;
	}
	sk = nl_socket_alloc();
	if (!sk || genl_connect(sk) < 0) {
		fprintf(stderr, "record-nl-replies: no generic netlink socket\n");
		return 1;
	}
	family = genl_ctrl_resolve(sk, DIBS_FAMILY_NAME);
	if (family < 0) {
		fprintf(stderr, "record-nl-replies: no dibs family: %s\n",
			nl_geterror(family));
		nl_socket_free(sk);
		return 1;
	}
	if (strcmp(argv[2], "monitor") == 0) {
		ret = record_monitor(sk, argv[1], (unsigned int)atoi(argv[3]));
	} else {
		for (i = 0; i < sizeof(dumps) / sizeof(dumps[0]) && !ret; i++)
			ret = record_dump(sk, family, argv[1], dumps[i].name,
					  dumps[i].cmd);
	}
	nl_socket_free(sk);
	return ret ? 1 : 0;
}
