// SPDX-License-Identifier: GPL-2.0-only
/*
 * dibsctl's command line for client, dmb, gid, vlan, stats and monitor,
 * without a kernel: every form parses into the right command, every
 * usage error exits 2 with one message line, and batch files take the
 * new commands.
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "unit-util.h"

#define ARGS(...) ((const char *const[]){ __VA_ARGS__, NULL })

#define RGID "0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d"

#define PARSE_OK(p, args) do {						\
	int _ret = parse_dibsctl(p, args);				\
	EXPECT_EQ(EXIT_OK, _ret)					\
		TH_LOG("parse failed: %s", (p)->err);			\
	EXPECT_STREQ("", (p)->err);					\
} while (0)

static const char *verb_of(const struct cmd *cmd)
{
	return cmd->verb ? cmd->verb->name : "(none)";
}

static const char *object_of(const struct cmd *cmd)
{
	return cmd->object ? cmd->object->name : "(none)";
}

TEST(objects_alone_are_show)
{
	static const char *const objects[] = { "client", "dmb", "gid", "vlan",
					       "stats" };
	struct parsed p = { 0 };
	size_t i;

	for (i = 0; i < sizeof(objects) / sizeof(objects[0]); i++) {
		PARSE_OK(&p, ARGS(objects[i]));
		EXPECT_STREQ(objects[i], object_of(&p.cmd));
		EXPECT_STREQ("show", verb_of(&p.cmd));
	}
	parsed_free(&p);
}

TEST(client_show)
{
	struct parsed p = { 0 };

	PARSE_OK(&p, ARGS("client", "show"));
	EXPECT_EQ(NULL, p.cmd.obj.client);
	PARSE_OK(&p, ARGS("client", "show", "dibs_user"));
	EXPECT_STREQ("dibs_user", p.cmd.obj.client);
	PARSE_OK(&p, ARGS("client", "show", "0"));
	EXPECT_STREQ("0", p.cmd.obj.client);
	parsed_free(&p);
}

TEST(client_bind_and_unbind)
{
	struct parsed p = { 0 };

	PARSE_OK(&p, ARGS("client", "bind", "dibs_user", "dev", "lo3"));
	EXPECT_STREQ("bind", verb_of(&p.cmd));
	EXPECT_STREQ("dibs_user", p.cmd.obj.client);
	EXPECT_STREQ("lo3", p.cmd.obj.dev);
	EXPECT_FALSE(p.cmd.obj.force);

	PARSE_OK(&p, ARGS("client", "unbind", "1", "dev", "2"));
	EXPECT_STREQ("unbind", verb_of(&p.cmd));
	EXPECT_STREQ("1", p.cmd.obj.client);
	EXPECT_STREQ("2", p.cmd.obj.dev);
	EXPECT_FALSE(p.cmd.obj.force);

	PARSE_OK(&p, ARGS("client", "unbind", "dibs_user", "dev", "lo", "force"));
	EXPECT_TRUE(p.cmd.obj.force);
	PARSE_OK(&p, ARGS("client", "unbind", "dibs_user", "force", "dev", "lo"));
	EXPECT_TRUE(p.cmd.obj.force);
	EXPECT_STREQ("lo", p.cmd.obj.dev);
	parsed_free(&p);
}

TEST(dmb_show_filters)
{
	struct parsed p = { 0 };

	PARSE_OK(&p, ARGS("dmb", "show"));
	EXPECT_EQ(NULL, p.cmd.obj.dev);
	EXPECT_EQ(NULL, p.cmd.obj.client);
	PARSE_OK(&p, ARGS("dmb", "show", "dev", "lo"));
	EXPECT_STREQ("lo", p.cmd.obj.dev);
	PARSE_OK(&p, ARGS("dmb", "show", "client", "dibs_user", "dev", "7"));
	EXPECT_STREQ("dibs_user", p.cmd.obj.client);
	EXPECT_STREQ("7", p.cmd.obj.dev);
	parsed_free(&p);
}

TEST(gid_show_and_check)
{
	struct parsed p = { 0 };

	PARSE_OK(&p, ARGS("gid", "show"));
	EXPECT_STREQ("show", verb_of(&p.cmd));
	PARSE_OK(&p, ARGS("gid", "check", "lo", RGID));
	EXPECT_STREQ("check", verb_of(&p.cmd));
	EXPECT_STREQ("lo", p.cmd.obj.dev);
	EXPECT_TRUE(p.cmd.obj.gid.set);
	EXPECT_EQ(0x0a, p.cmd.obj.gid.bytes[0]);
	EXPECT_EQ(0x4d, p.cmd.obj.gid.bytes[15]);
	EXPECT_FALSE(p.cmd.obj.vlan.set);
	PARSE_OK(&p, ARGS("gid", "check", "lo", RGID, "vlan", "4095"));
	EXPECT_TRUE(p.cmd.obj.vlan.set);
	EXPECT_EQ(4095, p.cmd.obj.vlan.value);
	PARSE_OK(&p, ARGS("gid", "check", "lo", RGID, "vlan", "0"));
	EXPECT_TRUE(p.cmd.obj.vlan.set);
	EXPECT_EQ(0, p.cmd.obj.vlan.value);
	parsed_free(&p);
}

TEST(vlan_show)
{
	struct parsed p = { 0 };

	PARSE_OK(&p, ARGS("vlan", "show"));
	EXPECT_EQ(NULL, p.cmd.obj.dev);
	PARSE_OK(&p, ARGS("vlan", "show", "dev", "lo"));
	EXPECT_STREQ("lo", p.cmd.obj.dev);
	parsed_free(&p);
}

TEST(stats_show_and_reset)
{
	struct parsed p = { 0 };

	PARSE_OK(&p, ARGS("stats", "show"));
	EXPECT_EQ(NULL, p.cmd.obj.dev);
	EXPECT_EQ(NULL, p.cmd.obj.client);
	PARSE_OK(&p, ARGS("stats", "show", "dev", "lo"));
	EXPECT_STREQ("lo", p.cmd.obj.dev);
	PARSE_OK(&p, ARGS("stats", "show", "client", "dibs_user"));
	EXPECT_STREQ("dibs_user", p.cmd.obj.client);
	PARSE_OK(&p, ARGS("stats", "reset"));
	EXPECT_STREQ("reset", verb_of(&p.cmd));
	EXPECT_EQ(NULL, p.cmd.obj.dev);
	PARSE_OK(&p, ARGS("stats", "reset", "dev", "lo"));
	EXPECT_STREQ("lo", p.cmd.obj.dev);
	parsed_free(&p);
}

TEST(stats_option_with_dev_show)
{
	struct parsed p = { 0 };

	PARSE_OK(&p, ARGS("-s", "show"));
	EXPECT_TRUE(p.cli.print.stats);
	PARSE_OK(&p, ARGS("--stats", "dev", "show", "lo"));
	EXPECT_TRUE(p.cli.print.stats);
	PARSE_OK(&p, ARGS("-jsd", "show"));
	EXPECT_TRUE(p.cli.print.stats);
	EXPECT_TRUE(p.cli.print.details);
	EXPECT_EQ(OUTPUT_JSON, p.cli.print.format);
	PARSE_OK(&p, ARGS("show"));
	EXPECT_FALSE(p.cli.print.stats);
	parsed_free(&p);
}

TEST(monitor_kinds)
{
	static const struct {
		const char *word;
		unsigned int groups;
		unsigned int events;
	} kinds[] = {
		{ NULL, DIBSCTL_MONITOR_DEVS_CLIENTS | DIBSCTL_MONITOR_DMBS,
		  1U << DIBSCTL_EVENT_DEV_NEW | 1U << DIBSCTL_EVENT_DMB_DEL |
		  1U << DIBSCTL_EVENT_CLIENT_BIND },
		{ "all", DIBSCTL_MONITOR_DEVS_CLIENTS | DIBSCTL_MONITOR_DMBS,
		  1U << DIBSCTL_EVENT_DEV_DEL | 1U << DIBSCTL_EVENT_DMB_NEW |
		  1U << DIBSCTL_EVENT_CLIENT_NEW },
		{ "dev", DIBSCTL_MONITOR_DEVS_CLIENTS,
		  1U << DIBSCTL_EVENT_DEV_NEW | 1U << DIBSCTL_EVENT_DEV_DEL },
		{ "client", DIBSCTL_MONITOR_DEVS_CLIENTS,
		  1U << DIBSCTL_EVENT_CLIENT_NEW | 1U << DIBSCTL_EVENT_CLIENT_DEL |
		  1U << DIBSCTL_EVENT_CLIENT_BIND |
		  1U << DIBSCTL_EVENT_CLIENT_UNBIND },
		{ "dmb", DIBSCTL_MONITOR_DMBS,
		  1U << DIBSCTL_EVENT_DMB_NEW | 1U << DIBSCTL_EVENT_DMB_DEL },
	};
	struct parsed p = { 0 };
	size_t i;

	for (i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++) {
		if (kinds[i].word)
			PARSE_OK(&p, ARGS("monitor", kinds[i].word));
		else
			PARSE_OK(&p, ARGS("monitor"));
		EXPECT_STREQ("monitor", object_of(&p.cmd));
		EXPECT_EQ(kinds[i].groups, p.cmd.obj.groups) TH_LOG("case %zu", i);
		/* Every listed event is printed ... */
		EXPECT_EQ(kinds[i].events, p.cmd.obj.events & kinds[i].events)
			TH_LOG("case %zu", i);
	}
	/* ... and no other. */
	PARSE_OK(&p, ARGS("monitor", "dmb"));
	EXPECT_EQ(0U, p.cmd.obj.events & (1U << DIBSCTL_EVENT_DEV_NEW));
	PARSE_OK(&p, ARGS("monitor", "dev"));
	EXPECT_EQ(0U, p.cmd.obj.events & (1U << DIBSCTL_EVENT_CLIENT_BIND));
	EXPECT_FALSE(p.cmd.obj.rcvbuf.set);
	/* rcvbuf: the socket's receive buffer, bytes, at the edges */
	PARSE_OK(&p, ARGS("monitor", "dmb", "rcvbuf", "1024"));
	EXPECT_TRUE(p.cmd.obj.rcvbuf.set);
	EXPECT_EQ(1024U, p.cmd.obj.rcvbuf.value);
	EXPECT_EQ(DIBSCTL_MONITOR_DMBS, p.cmd.obj.groups);
	PARSE_OK(&p, ARGS("monitor", "all", "rcvbuf", "1073741823"));
	EXPECT_EQ(1073741823U, p.cmd.obj.rcvbuf.value);
	parsed_free(&p);
}

TEST(help_of_every_object)
{
	static const char *const objects[] = { "client", "dmb", "gid", "vlan",
					       "stats", "monitor", "config" };
	size_t i;

	for (i = 0; i < sizeof(objects) / sizeof(objects[0]); i++) {
		struct captured cap;

		EXPECT_EQ(EXIT_OK, run_dibsctl(&cap, ARGS(objects[i], "help")));
		EXPECT_NE(NULL, strstr(cap.out, objects[i])) TH_LOG("%s", cap.out);
		EXPECT_STREQ("", cap.err);
		captured_free(&cap);
	}
}

TEST(top_help_names_every_object)
{
	struct captured cap;

	EXPECT_EQ(EXIT_OK, run_dibsctl(&cap, ARGS("help")));
	EXPECT_NE(NULL, strstr(cap.out, "dev client dmb gid vlan stats monitor config"))
		TH_LOG("%s", cap.out);
	EXPECT_NE(NULL, strstr(cap.out, "-s|--stats"));
	captured_free(&cap);
}

struct usage_case {
	const char *const *args;
	const char *message;
};

static const struct usage_case usage_cases[] = {
	{ ARGS("clients"), "unknown object \"clients\"" },
	{ ARGS("cli"), "unknown object \"cli\"" },
	{ ARGS("Client"), "unknown object \"Client\"" },
	{ ARGS("client", "sh"), "client: unknown verb \"sh\"" },
	{ ARGS("client", "list"), "client: unknown verb \"list\"" },
	{ ARGS("client", "show", "a", "b"), "client show: unexpected argument \"b\"" },
	{ ARGS("client", "show", "-j"), "options go before the command" },
	{ ARGS("client", "show",
	       "a234567890123456789012345678901234567890123456789012345678901234"),
	  "is no client name or id" },
	{ ARGS("client", "bind"), "client bind: missing client name or id" },
	{ ARGS("client", "bind", "dibs_user"), "client bind: missing \"dev DEV\"" },
	{ ARGS("client", "bind", "dibs_user", "dev"), "\"dev\" needs a value" },
	{ ARGS("client", "bind", "dibs_user", "lo"), "unknown keyword \"lo\"" },
	{ ARGS("client", "bind", "dibs_user", "device", "lo"),
	  "unknown keyword \"device\"" },
	{ ARGS("client", "bind", "dibs_user", "dev", "lo", "force"),
	  "client bind: unknown keyword \"force\"" },
	{ ARGS("client", "bind", "dibs_user", "dev", "lo", "dev", "lo"),
	  "\"dev\" given twice" },
	{ ARGS("client", "bind", "dibs_user", "dev", "abcdefghijklmnop"),
	  "is no device name or index" },
	{ ARGS("client", "unbind", "dibs_user", "dev", "lo", "forc"),
	  "client unbind: unknown keyword \"forc\"" },
	{ ARGS("client", "unbind", "dibs_user", "force"),
	  "client unbind: missing \"dev DEV\"" },
	{ ARGS("dmb", "show", "lo"), "dmb show: unknown keyword \"lo\"" },
	{ ARGS("dmb", "show", "dev"), "dmb show: \"dev\" needs a value" },
	{ ARGS("dmb", "show", "devi", "lo"), "unknown keyword \"devi\"" },
	{ ARGS("dmb", "show", "client", "a", "client", "b"),
	  "\"client\" given twice" },
	{ ARGS("dmb", "list"), "dmb: unknown verb \"list\"" },
	{ ARGS("gid", "show", "lo"), "gid show: unexpected argument \"lo\"" },
	{ ARGS("gid", "check"), "gid check: missing device and remote GID" },
	{ ARGS("gid", "check", "lo"), "gid check: missing remote GID" },
	{ ARGS("gid", "check", "lo", "nogid"), "not a UUID" },
	{ ARGS("gid", "check", "lo", RGID, "vlan"), "\"vlan\" needs a value" },
	{ ARGS("gid", "check", "lo", RGID, "vlan", "4096"), "a VLAN id is 0 to 4095" },
	{ ARGS("gid", "check", "lo", RGID, "vlan", "-1"), "a VLAN id is 0 to 4095" },
	{ ARGS("gid", "check", "lo", RGID, "vlan", "5x"), "a VLAN id is 0 to 4095" },
	{ ARGS("gid", "check", "lo", RGID, "vlan", ""), "a VLAN id is 0 to 4095" },
	{ ARGS("gid", "check", "lo", RGID, "vlan", "+5"), "a VLAN id is 0 to 4095" },
	{ ARGS("gid", "check", "lo", RGID, "vid", "5"), "unknown keyword \"vid\"" },
	{ ARGS("gid", "check", "-j", RGID), "options go before the command" },
	{ ARGS("vlan", "show", "lo"), "vlan show: unknown keyword \"lo\"" },
	{ ARGS("vlan", "show", "client", "x"), "unknown keyword \"client\"" },
	{ ARGS("stats", "show", "dev", "lo", "client", "x"),
	  "\"dev\" and \"client\" exclude each other" },
	{ ARGS("stats", "show", "lo"), "stats show: unknown keyword \"lo\"" },
	{ ARGS("stats", "reset", "client", "x"),
	  "stats reset: unknown keyword \"client\"" },
	{ ARGS("stats", "reset", "all"), "unknown keyword \"all\"" },
	{ ARGS("stats", "clear"), "stats: unknown verb \"clear\"" },
	{ ARGS("monitor", "dmbs"), "monitor: unknown verb \"dmbs\"" },
	{ ARGS("monitor", "Dev"), "monitor: unknown verb \"Dev\"" },
	{ ARGS("monitor", "dev", "lo"), "monitor dev: unknown keyword \"lo\"" },
	{ ARGS("monitor", "all", "dmb"), "monitor all: unknown keyword \"dmb\"" },
	{ ARGS("monitor", "all", "rcvbuf"), "\"rcvbuf\" needs a value" },
	{ ARGS("monitor", "dmb", "rcvbuf", "1023"),
	  "rcvbuf: \"1023\" is not a receive buffer size (1024 to 1073741823 bytes)" },
	{ ARGS("monitor", "dmb", "rcvbuf", "1073741824"),
	  "\"1073741824\" is not a receive buffer size" },
	{ ARGS("monitor", "dmb", "rcvbuf", "64k"),
	  "\"64k\" is not a receive buffer size" },
	{ ARGS("monitor", "dmb", "rcvbuf", "-1"),
	  "\"-1\" is not a receive buffer size" },
	{ ARGS("monitor", "dev", "rcvbuf", "4096", "rcvbuf", "4096"),
	  "\"rcvbuf\" given twice" },
	{ ARGS("client", "help", "x"), "client help: unexpected argument \"x\"" },
};

TEST(usage_errors_exit_2_with_one_message_line)
{
	size_t i;

	for (i = 0; i < sizeof(usage_cases) / sizeof(usage_cases[0]); i++) {
		const struct usage_case *c = &usage_cases[i];
		struct captured cap;
		char *newline;

		run_dibsctl(&cap, c->args);
		EXPECT_EQ(EXIT_USAGE, cap.status)
			TH_LOG("case %zu (expected \"%s\"): exit %d, stderr \"%s\"",
			       i, c->message, cap.status, cap.err);
		EXPECT_STREQ("", cap.out) TH_LOG("case %zu", i);
		EXPECT_EQ(0, strncmp(cap.err, "dibsctl: ", 9))
			TH_LOG("case %zu: stderr \"%s\"", i, cap.err);
		EXPECT_NE(NULL, strstr(cap.err, c->message))
			TH_LOG("case %zu: expected \"%s\" in \"%s\"", i,
			       c->message, cap.err);
		newline = strchr(cap.err, '\n');
		EXPECT_TRUE(newline && newline[1] == '\0')
			TH_LOG("case %zu: not one line: \"%s\"", i, cap.err);
		captured_free(&cap);
	}
}

static char *write_batch(const char *text)
{
	char *path = strdup("/tmp/dibsctl-batch-XXXXXX");
	int fd;

	if (!path)
		abort();
	fd = mkstemp(path);
	if (fd < 0 || write(fd, text, strlen(text)) != (ssize_t)strlen(text))
		abort();
	close(fd);
	return path;
}

/* Every new command is accepted in a batch: a later bad line is named. */
TEST(batch_takes_the_new_commands)
{
	char *path = write_batch(
		"client show\n"
		"client show dibs_user\n"
		"client bind dibs_user dev lo\n"
		"client unbind 0 dev 1 force\n"
		"dmb show dev lo client dibs_user\n"
		"gid show\n"
		"gid check lo " RGID " vlan 5\n"
		"vlan show dev lo\n"
		"stats show client dibs_user\n"
		"stats reset dev lo\n"
		"monitor dmb\n"
		"stats frob\n");
	struct captured cap;

	run_dibsctl(&cap, ARGS("-b", path));
	EXPECT_EQ(EXIT_USAGE, cap.status);
	EXPECT_NE(NULL, strstr(cap.err, ":12: stats: unknown verb \"frob\""))
		TH_LOG("%s", cap.err);
	EXPECT_STREQ("", cap.out);
	captured_free(&cap);
	unlink(path);
	free(path);
}

TEST(client_ids_and_vlan_ids)
{
	uint32_t id;

	EXPECT_TRUE(parse_client_id("0", &id));
	EXPECT_EQ(0, id);
	EXPECT_TRUE(parse_client_id("7", &id));
	EXPECT_EQ(7, id);
	EXPECT_FALSE(parse_client_id("8", &id));
	EXPECT_FALSE(parse_client_id("07", &id));
	EXPECT_FALSE(parse_client_id("", &id));
	EXPECT_FALSE(parse_client_id("dibs_user", &id));
}

TEST_HARNESS_MAIN
