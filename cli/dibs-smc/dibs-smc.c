// SPDX-License-Identifier: GPL-2.0-only
/*
 * dibs-smc: the SMC settings and counters SMC-D over dibs needs, through
 * SMC's own generic netlink family SMC_GEN_NETLINK (smc-tools is not in
 * Debian 12).  See dibs-smc(8).
 *
 *   dibs-smc ueid show | add EID | del EID | flush
 *   dibs-smc dev show
 *   dibs-smc stats show
 *
 * Exit status: 0 success, 1 the operation failed, 2 usage error.
 */
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linux/smc.h>
#include <netlink/genl/ctrl.h>
#include <netlink/genl/genl.h>
#include <netlink/netlink.h>

#define EXIT_FAILED	1
#define EXIT_USAGE	2

static const char *prog = "dibs-smc";

static void usage(FILE *out)
{
	fprintf(out,
		"usage: dibs-smc ueid show | ueid add EID | ueid del EID | ueid flush\n"
		"       dibs-smc dev show\n"
		"       dibs-smc stats show\n"
		"EID: up to 32 characters A-Z, 0-9, '.' and '-', starting with A-Z or 0-9\n");
}

static int usage_error(const char *what, const char *arg)
{
	fprintf(stderr, "%s: %s%s%s\n", prog, what, arg ? ": " : "",
		arg ? arg : "");
	usage(stderr);
	return EXIT_USAGE;
}

struct smc_nl {
	struct nl_sock *sk;
	int family;
};

static int smc_nl_open(struct smc_nl *nl)
{
	int err;

	nl->sk = nl_socket_alloc();
	if (!nl->sk) {
		fprintf(stderr, "%s: %s\n", prog, strerror(ENOMEM));
		return -1;
	}
	err = genl_connect(nl->sk);
	if (!err) {
		nl->family = genl_ctrl_resolve(nl->sk, SMC_GENL_FAMILY_NAME);
		err = nl->family < 0 ? nl->family : 0;
	}
	if (err) {
		fprintf(stderr, "%s: no SMC generic netlink family %s: %s (load SMC with: modprobe smc)\n",
			prog, SMC_GENL_FAMILY_NAME, nl_geterror(err));
		nl_socket_free(nl->sk);
		return -1;
	}
	return 0;
}

struct dump_ctx {
	int (*fn)(struct nlattr **tb, void *arg);
	void *arg;
	int err;
};

static int dump_cb(struct nl_msg *msg, void *arg)
{
	struct dump_ctx *ctx = arg;
	struct nlattr *tb[SMC_GEN_MAX + 1 > SMC_NLA_EID_TABLE_MAX + 1 ?
			  SMC_GEN_MAX + 1 : SMC_NLA_EID_TABLE_MAX + 1];
	struct genlmsghdr *gh = nlmsg_data(nlmsg_hdr(msg));

	if (nla_parse(tb, (int)(sizeof(tb) / sizeof(tb[0])) - 1,
		      genlmsg_attrdata(gh, 0), genlmsg_attrlen(gh, 0), NULL))
		return NL_SKIP;
	if (ctx->fn(tb, ctx->arg))
		ctx->err = -1;
	return NL_OK;
}

static int error_cb(struct sockaddr_nl *nla, struct nlmsgerr *e, void *arg)
{
	int *err = arg;

	(void)nla;
	*err = e->error;
	return NL_STOP;
}

/* sends @cmd (a dump if @fn) with an optional EID; 0 or -errno */
static int smc_nl_cmd(struct smc_nl *nl, uint8_t cmd, const char *eid,
		      int (*fn)(struct nlattr **tb, void *arg), void *arg)
{
	struct dump_ctx ctx = { .fn = fn, .arg = arg };
	struct nl_msg *msg = nlmsg_alloc();
	struct nl_cb *cb = NULL;
	int err = -ENOMEM, nlerr = 0;

	if (!msg)
		return err;
	if (!genlmsg_put(msg, NL_AUTO_PORT, NL_AUTO_SEQ, nl->family, 0,
			 fn ? NLM_F_DUMP : NLM_F_ACK, cmd, SMC_GENL_FAMILY_VERSION))
		goto out;
	if (eid && nla_put(msg, SMC_NLA_EID_TABLE_ENTRY, SMC_MAX_EID_LEN + 1,
			   eid))
		goto out;
	cb = nl_cb_alloc(NL_CB_DEFAULT);
	if (!cb)
		goto out;
	if (fn)
		nl_cb_set(cb, NL_CB_VALID, NL_CB_CUSTOM, dump_cb, &ctx);
	nl_cb_err(cb, NL_CB_CUSTOM, error_cb, &nlerr);
	err = nl_send_auto(nl->sk, msg);
	if (err >= 0)
		err = nl_recvmsgs(nl->sk, cb);
	if (nlerr)
		err = nlerr;
	else if (err < 0)
		err = -EIO;
	else
		err = ctx.err ? -EIO : 0;
out:
	nl_cb_put(cb);
	nlmsg_free(msg);
	return err;
}

/* -------------------------------------------------------------- ueid */

/* the 32-byte, blank-padded, NUL-terminated EID of @arg, or an error */
static int ueid_parse(const char *arg, char eid[SMC_MAX_EID_LEN + 1])
{
	size_t len = strlen(arg), i;

	if (!len || len > SMC_MAX_EID_LEN)
		return usage_error("an EID has 1 to 32 characters", arg);
	if (!isupper((unsigned char)arg[0]) && !isdigit((unsigned char)arg[0]))
		return usage_error("an EID starts with A-Z or 0-9", arg);
	for (i = 0; i < len; i++) {
		unsigned char c = arg[i];

		if (!isupper(c) && !isdigit(c) && c != '.' && c != '-')
			return usage_error("an EID holds only A-Z, 0-9, '.' and '-'",
					   arg);
	}
	memset(eid, ' ', SMC_MAX_EID_LEN);
	memcpy(eid, arg, len);
	eid[SMC_MAX_EID_LEN] = '\0';
	return 0;
}

static int ueid_print(struct nlattr **tb, void *arg)
{
	char eid[SMC_MAX_EID_LEN + 1];
	size_t n;

	(*(unsigned int *)arg)++;
	if (!tb[SMC_NLA_EID_TABLE_ENTRY])
		return 0;
	snprintf(eid, sizeof(eid), "%s",
		 (char *)nla_data(tb[SMC_NLA_EID_TABLE_ENTRY]));
	n = strlen(eid);
	while (n && eid[n - 1] == ' ')
		eid[--n] = '\0';
	printf("%s\n", eid);
	return 0;
}

static int cmd_ueid(struct smc_nl *nl, int argc, char **argv)
{
	char eid[SMC_MAX_EID_LEN + 1];
	unsigned int count = 0;
	const char *what;
	uint8_t cmd;
	int err;

	if (argc == 1 && !strcmp(argv[0], "show")) {
		err = smc_nl_cmd(nl, SMC_NETLINK_DUMP_UEID, NULL, ueid_print,
				 &count);
		if (err) {
			fprintf(stderr, "%s: ueid show: %s\n", prog, strerror(-err));
			return EXIT_FAILED;
		}
		if (!count)
			fprintf(stderr, "%s: no User EID set: SMC-Dv2 connections fall back to TCP; set one with: dibs-smc ueid add EID\n",
				prog);
		return 0;
	}
	if (argc == 1 && !strcmp(argv[0], "flush")) {
		cmd = SMC_NETLINK_FLUSH_UEID;
		what = "ueid flush";
		err = smc_nl_cmd(nl, cmd, NULL, NULL, NULL);
	} else if (argc == 2 && (!strcmp(argv[0], "add") ||
				 !strcmp(argv[0], "del"))) {
		err = ueid_parse(argv[1], eid);
		if (err)
			return err;
		cmd = argv[0][0] == 'a' ? SMC_NETLINK_ADD_UEID :
					  SMC_NETLINK_REMOVE_UEID;
		what = argv[0][0] == 'a' ? "ueid add" : "ueid del";
		err = smc_nl_cmd(nl, cmd, eid, NULL, NULL);
	} else {
		return usage_error("unknown ueid command",
				   argc ? argv[0] : "");
	}
	if (err) {
		const char *hint = "";

		if (err == -EEXIST)
			hint = " (already set)";
		else if (err == -ENOENT)
			hint = " (not set)";
		else if (err == -ERANGE)
			hint = " (SMC holds at most 4 User EIDs)";
		else if (err == -EPERM)
			hint = " (needs CAP_NET_ADMIN)";
		fprintf(stderr, "%s: %s: %s%s\n", prog, what, strerror(-err),
			hint);
		return EXIT_FAILED;
	}
	return 0;
}

/* --------------------------------------------------------------- dev */

static int dev_print(struct nlattr **tb, void *arg)
{
	struct nlattr *d[SMC_NLA_DEV_MAX + 1];

	(*(unsigned int *)arg)++;
	if (!tb[SMC_GEN_DEV_SMCD] ||
	    nla_parse_nested(d, SMC_NLA_DEV_MAX, tb[SMC_GEN_DEV_SMCD], NULL))
		return -1;
	printf("smcd %s chid 0x%04x use_cnt %u\n",
	       d[SMC_NLA_DEV_PCI_ID] ? nla_get_string(d[SMC_NLA_DEV_PCI_ID]) : "?",
	       d[SMC_NLA_DEV_PCI_CHID] ? nla_get_u16(d[SMC_NLA_DEV_PCI_CHID]) : 0,
	       d[SMC_NLA_DEV_USE_CNT] ? nla_get_u32(d[SMC_NLA_DEV_USE_CNT]) : 0);
	return 0;
}

/* ------------------------------------------------------------- stats */

struct stats {
	uint64_t t[SMC_NLA_STATS_T_MAX + 1];
	uint64_t fback_srv, fback_clnt;
	bool have, have_fback;
};

static int stats_get(struct nlattr **tb, void *arg)
{
	struct nlattr *s[SMC_NLA_STATS_MAX + 1], *t[SMC_NLA_STATS_T_MAX + 1];
	struct stats *st = arg;
	int i;

	if (!tb[SMC_GEN_STATS] ||
	    nla_parse_nested(s, SMC_NLA_STATS_MAX, tb[SMC_GEN_STATS], NULL) ||
	    !s[SMC_NLA_STATS_SMCD_TECH] ||
	    nla_parse_nested(t, SMC_NLA_STATS_T_MAX, s[SMC_NLA_STATS_SMCD_TECH],
			     NULL))
		return -1;
	for (i = SMC_NLA_STATS_T_CLNT_V1_SUCC; i <= SMC_NLA_STATS_T_MAX; i++)
		if (t[i])
			st->t[i] = nla_get_u64(t[i]);
	st->have = true;
	return 0;
}

static int fback_get(struct nlattr **tb, void *arg)
{
	struct nlattr *f[SMC_NLA_FBACK_STATS_MAX + 1];
	struct stats *st = arg;

	if (!tb[SMC_GEN_FBACK_STATS] ||
	    nla_parse_nested(f, SMC_NLA_FBACK_STATS_MAX,
			     tb[SMC_GEN_FBACK_STATS], NULL))
		return -1;
	/* the totals come with the first reason only */
	if (f[SMC_NLA_FBACK_STATS_SRV_CNT] && f[SMC_NLA_FBACK_STATS_CLNT_CNT]) {
		st->fback_srv = nla_get_u64(f[SMC_NLA_FBACK_STATS_SRV_CNT]);
		st->fback_clnt = nla_get_u64(f[SMC_NLA_FBACK_STATS_CLNT_CNT]);
	}
	return 0;
}

static int cmd_stats(struct smc_nl *nl)
{
	struct stats st = { 0 };
	int err;

	err = smc_nl_cmd(nl, SMC_NETLINK_GET_STATS, NULL, stats_get, &st);
	if (!err)
		err = smc_nl_cmd(nl, SMC_NETLINK_GET_FBACK_STATS, NULL,
				 fback_get, &st);
	if (err || !st.have) {
		fprintf(stderr, "%s: stats show: %s\n", prog,
			strerror(err ? -err : EIO));
		return EXIT_FAILED;
	}
	printf("smcd_client_v1 %" PRIu64 "\n", st.t[SMC_NLA_STATS_T_CLNT_V1_SUCC]);
	printf("smcd_client_v2 %" PRIu64 "\n", st.t[SMC_NLA_STATS_T_CLNT_V2_SUCC]);
	printf("smcd_server_v1 %" PRIu64 "\n", st.t[SMC_NLA_STATS_T_SRV_V1_SUCC]);
	printf("smcd_server_v2 %" PRIu64 "\n", st.t[SMC_NLA_STATS_T_SRV_V2_SUCC]);
	printf("smcd_tx_bytes %" PRIu64 "\n", st.t[SMC_NLA_STATS_T_TX_BYTES]);
	printf("smcd_rx_bytes %" PRIu64 "\n", st.t[SMC_NLA_STATS_T_RX_BYTES]);
	printf("fallback_client %" PRIu64 "\n", st.fback_clnt);
	printf("fallback_server %" PRIu64 "\n", st.fback_srv);
	return 0;
}

int main(int argc, char **argv)
{
	struct smc_nl nl;
	unsigned int count = 0;
	int rc, err;

	if (argc == 2 && (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help") ||
			  !strcmp(argv[1], "help"))) {
		usage(stdout);
		return 0;
	}
	if (argc < 2)
		return usage_error("missing command", NULL);
	if (strcmp(argv[1], "ueid") &&
	    !(argc == 3 && !strcmp(argv[2], "show") &&
	      (!strcmp(argv[1], "dev") || !strcmp(argv[1], "stats"))))
		return usage_error("unknown command", argv[1]);
	if (!strcmp(argv[1], "ueid") && argc < 3)
		return usage_error("ueid wants show, add EID, del EID or flush", NULL);
	if (!strcmp(argv[1], "ueid")) {
		char eid[SMC_MAX_EID_LEN + 1];
		bool ok = (argc == 3 && (!strcmp(argv[2], "show") ||
					 !strcmp(argv[2], "flush"))) ||
			  (argc == 4 && (!strcmp(argv[2], "add") ||
					 !strcmp(argv[2], "del")));

		/* bad input changes nothing: check it before SMC sees it */
		if (!ok)
			return usage_error("unknown ueid command", argv[2]);
		if (argc == 4 && ueid_parse(argv[3], eid))
			return EXIT_USAGE;
	}
	if (smc_nl_open(&nl))
		return EXIT_FAILED;
	if (!strcmp(argv[1], "ueid")) {
		rc = cmd_ueid(&nl, argc - 2, argv + 2);
	} else if (!strcmp(argv[1], "dev")) {
		err = smc_nl_cmd(&nl, SMC_NETLINK_GET_DEV_SMCD, NULL, dev_print,
				 &count);
		rc = 0;
		if (err) {
			fprintf(stderr, "%s: dev show: %s\n", prog, strerror(-err));
			rc = EXIT_FAILED;
		}
	} else {
		rc = cmd_stats(&nl);
	}
	nl_socket_free(nl.sk);
	return rc;
}
