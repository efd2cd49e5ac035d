// SPDX-License-Identifier: GPL-2.0-only
/*
 * dibsctl's command line, without a kernel: every grammar path parses
 * into the right command, every usage error exits 2 with one message
 * line naming the problem, and nothing of a batch runs when one of its
 * lines is bad.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "unit-util.h"

#define ARGS(...) ((const char *const[]){ __VA_ARGS__, NULL })

static const uint8_t test_gid[DIBSCTL_GID_LEN] = {
	0x6f, 0x1c, 0x2f, 0x1e, 0x9d, 0x3a, 0x4b, 0x55,
	0x8c, 0x1a, 0x0e, 0x2f, 0x3a, 0x4b, 0x5c, 0x6d,
};

#define TEST_GID_TEXT "6f1c2f1e-9d3a-4b55-8c1a-0e2f3a4b5c6d"

/* Parses @args into the struct parsed @p and expects success. */
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

TEST(dev_alone_is_dev_show)
{
	struct parsed p = { 0 };

	PARSE_OK(&p, ARGS("dev"));
	EXPECT_STREQ("dev", object_of(&p.cmd));
	EXPECT_STREQ("show", verb_of(&p.cmd));
	EXPECT_EQ(NULL, p.cmd.dev.dev);
	parsed_free(&p);
}

TEST(dev_show_and_show_all)
{
	struct parsed p = { 0 };

	PARSE_OK(&p, ARGS("dev", "show"));
	EXPECT_STREQ("show", verb_of(&p.cmd));
	EXPECT_EQ(NULL, p.cmd.dev.dev);

	PARSE_OK(&p, ARGS("show"));
	EXPECT_STREQ("(none)", object_of(&p.cmd));
	EXPECT_STREQ("show", verb_of(&p.cmd));
	EXPECT_EQ(NULL, p.cmd.dev.dev);
	parsed_free(&p);
}

TEST(show_one_device_by_name_or_index)
{
	struct parsed p = { 0 };

	PARSE_OK(&p, ARGS("dev", "show", "lo"));
	EXPECT_STREQ("lo", p.cmd.dev.dev);
	PARSE_OK(&p, ARGS("show", "lo"));
	EXPECT_STREQ("lo", p.cmd.dev.dev);
	PARSE_OK(&p, ARGS("show", "17"));
	EXPECT_STREQ("17", p.cmd.dev.dev);
	/* 15 bytes is the longest name. */
	PARSE_OK(&p, ARGS("show", "abcdefghijklmno"));
	EXPECT_STREQ("abcdefghijklmno", p.cmd.dev.dev);
	parsed_free(&p);
}

TEST(dev_add_type_loopback)
{
	struct parsed p = { 0 };

	PARSE_OK(&p, ARGS("dev", "add", "type", "loopback"));
	EXPECT_STREQ("add", verb_of(&p.cmd));
	EXPECT_TRUE(p.cmd.dev.type.set);
	EXPECT_EQ(DIBSCTL_DEV_TYPE_LOOPBACK, p.cmd.dev.type.value);
	EXPECT_EQ(NULL, p.cmd.dev.name);
	EXPECT_FALSE(p.cmd.dev.gid.set);
	parsed_free(&p);
}

TEST(dev_add_keywords_in_any_order)
{
	struct parsed p = { 0 };

	PARSE_OK(&p, ARGS("dev", "add", "gid", TEST_GID_TEXT, "name",
				  "lo7", "type", "loopback"));
	EXPECT_STREQ("lo7", p.cmd.dev.name);
	EXPECT_TRUE(p.cmd.dev.gid.set);
	EXPECT_EQ(0, memcmp(test_gid, p.cmd.dev.gid.bytes, sizeof(test_gid)));
	EXPECT_TRUE(p.cmd.dev.type.set);
	parsed_free(&p);
}

TEST(add_loopback_shortcut)
{
	struct parsed p = { 0 };

	PARSE_OK(&p, ARGS("add", "loopback"));
	EXPECT_STREQ("(none)", object_of(&p.cmd));
	EXPECT_STREQ("add", verb_of(&p.cmd));
	EXPECT_TRUE(p.cmd.dev.type.set);
	EXPECT_EQ(DIBSCTL_DEV_TYPE_LOOPBACK, p.cmd.dev.type.value);
	EXPECT_EQ(NULL, p.cmd.dev.name);

	PARSE_OK(&p, ARGS("add", "loopback", "name", "lo1", "gid",
				  TEST_GID_TEXT));
	EXPECT_STREQ("lo1", p.cmd.dev.name);
	EXPECT_EQ(0, memcmp(test_gid, p.cmd.dev.gid.bytes, sizeof(test_gid)));
	parsed_free(&p);
}

TEST(gid_in_upper_case_is_the_same_gid)
{
	struct parsed p = { 0 };

	PARSE_OK(&p, ARGS("add", "loopback", "gid",
				  "6F1C2F1E-9D3A-4B55-8C1A-0E2F3A4B5C6D"));
	EXPECT_EQ(0, memcmp(test_gid, p.cmd.dev.gid.bytes, sizeof(test_gid)));
	parsed_free(&p);
}

TEST(del_by_name_or_index_with_force)
{
	struct parsed p = { 0 };

	PARSE_OK(&p, ARGS("dev", "del", "lo1"));
	EXPECT_STREQ("del", verb_of(&p.cmd));
	EXPECT_STREQ("lo1", p.cmd.dev.dev);
	EXPECT_FALSE(p.cmd.dev.force);

	PARSE_OK(&p, ARGS("del", "3", "force"));
	EXPECT_STREQ("3", p.cmd.dev.dev);
	EXPECT_TRUE(p.cmd.dev.force);
	parsed_free(&p);
}

TEST(help_verbs)
{
	struct parsed p = { 0 };

	PARSE_OK(&p, ARGS("help"));
	EXPECT_STREQ("help", verb_of(&p.cmd));
	EXPECT_STREQ("(none)", object_of(&p.cmd));
	PARSE_OK(&p, ARGS("dev", "help"));
	EXPECT_STREQ("help", verb_of(&p.cmd));
	EXPECT_STREQ("dev", object_of(&p.cmd));
	parsed_free(&p);
}

TEST(output_options)
{
	struct parsed p = { 0 };

	PARSE_OK(&p, ARGS("show"));
	EXPECT_EQ(OUTPUT_PLAIN, p.cli.print.format);
	EXPECT_FALSE(p.cli.print.details);

	PARSE_OK(&p, ARGS("-j", "show"));
	EXPECT_EQ(OUTPUT_JSON, p.cli.print.format);
	PARSE_OK(&p, ARGS("--json", "show"));
	EXPECT_EQ(OUTPUT_JSON, p.cli.print.format);

	/* -p implies -j, in either order. */
	PARSE_OK(&p, ARGS("-p", "show"));
	EXPECT_EQ(OUTPUT_JSON_PRETTY, p.cli.print.format);
	PARSE_OK(&p, ARGS("--pretty", "-j", "show"));
	EXPECT_EQ(OUTPUT_JSON_PRETTY, p.cli.print.format);

	PARSE_OK(&p, ARGS("-d", "show"));
	EXPECT_TRUE(p.cli.print.details);
	EXPECT_EQ(OUTPUT_PLAIN, p.cli.print.format);
	PARSE_OK(&p, ARGS("--details", "show"));
	EXPECT_TRUE(p.cli.print.details);

	/* Grouped short options. */
	PARSE_OK(&p, ARGS("-jd", "show"));
	EXPECT_EQ(OUTPUT_JSON, p.cli.print.format);
	EXPECT_TRUE(p.cli.print.details);

	/* "--" ends the options. */
	PARSE_OK(&p, ARGS("-d", "--", "show"));
	EXPECT_TRUE(p.cli.print.details);
	parsed_free(&p);
}

TEST(batch_option_forms)
{
	struct cli cli;
	char *err = NULL;
	int first;
	char *argv1[] = { "dibsctl", "-b", "cmds", NULL };
	char *argv2[] = { "dibsctl", "--batch", "cmds", NULL };
	char *argv3[] = { "dibsctl", "--batch=cmds", NULL };
	char *argv4[] = { "dibsctl", "-jbcmds", NULL };
	char **forms[] = { argv1, argv2, argv3, argv4 };
	int argcs[] = { 3, 3, 2, 2 };
	size_t i;

	for (i = 0; i < sizeof(forms) / sizeof(forms[0]); i++) {
		size_t size;
		FILE *errs = open_memstream(&err, &size);

		ASSERT_NE(NULL, errs);
		cli_init(&cli, stdout, errs);
		EXPECT_EQ(EXIT_OK, cli_parse_options(&cli, argcs[i], forms[i],
						      &first))
			TH_LOG("form %zu", i);
		fclose(errs);
		EXPECT_STREQ("cmds", cli.batch_file) TH_LOG("form %zu", i);
		EXPECT_EQ(argcs[i], first) TH_LOG("form %zu", i);
		EXPECT_STREQ("", err);
		free(err);
	}
}

struct usage_case {
	const char *const *args;
	const char *message;
};

/*
 * Each must exit 2 before doing anything, with exactly one stderr line
 * "dibsctl: ..." containing @message, and nothing on stdout.
 */
static const struct usage_case usage_cases[] = {
	{ ARGS("frob"), "unknown object \"frob\"" },
	{ ARGS("-"), "unknown object \"-\"" },
	{ ARGS("Dev"), "unknown object \"Dev\"" },
	{ ARGS("de"), "unknown object \"de\"" },
	{ ARGS("sh"), "unknown object \"sh\"" },
	{ ARGS("dev", "frob"), "dev: unknown verb \"frob\"" },
	{ ARGS("dev", "sh"), "dev: unknown verb \"sh\"" },
	{ ARGS("dev", "Show"), "dev: unknown verb \"Show\"" },
	{ ARGS("dev", "delete", "lo"), "dev: unknown verb \"delete\"" },
	{ ARGS("-S", "show"), "unknown option \"-S\"" },
	{ ARGS("--statistics", "show"), "unknown option \"--statistics\"" },
	{ ARGS("-x", "show"), "unknown option \"-x\"" },
	{ ARGS("-jx", "show"), "unknown option \"-x\"" },
	{ ARGS("--jso", "show"), "unknown option \"--jso\"" },
	{ ARGS("--JSON", "show"), "unknown option \"--JSON\"" },
	{ ARGS("--json=yes", "show"), "option --json takes no value" },
	/* getopt_long would take these abbreviations; dibsctl does not. */
	{ ARGS("--s", "show"), "unknown option \"--s\"" },
	{ ARGS("--det", "show"), "unknown option \"--det\"" },
	{ ARGS("--bat=cmds"), "unknown option \"--bat\"" },
	{ ARGS("--bat", "cmds"), "unknown option \"--bat\"" },
	{ ARGS("-+", "show"), "unknown option \"-+\"" },
	{ ARGS("-:", "show"), "unknown option \"-:\"" },
	{ ARGS("-jb"), "option -b needs a FILE" },
	{ ARGS("-b", ""), "option -b needs a FILE" },
	{ ARGS("-b"), "option -b needs a FILE" },
	{ ARGS("--batch"), "option --batch needs a FILE" },
	{ ARGS("--batch="), "option --batch needs a FILE" },
	{ ARGS("-b", "cmds", "show"), "-b FILE takes no command" },
	{ ARGS("show", "-j"), "show: \"-j\": options go before the command, as in \"dibsctl -j show\"" },
	{ ARGS("dev", "show", "--json"), "dev show: \"--json\": options go before the command" },
	{ ARGS("del", "-d", "lo"), "del: \"-d\": options go before the command" },
	{ ARGS("add", "loopback", "name", "-lo"), "name \"-lo\": a device name" },
	{ ARGS("show", "lo", "lo2"), "show: unexpected argument \"lo2\"" },
	{ ARGS("dev", "show", "lo", "details"),
	  "dev show: unexpected argument \"details\"" },
	{ ARGS("show", ""), "show: \"\" is no device name or index" },
	{ ARGS("show", "abcdefghijklmnop"),
	  "show: \"abcdefghijklmnop\" is no device name or index" },
	{ ARGS("dev", "add"), "dev add: missing \"type loopback\"" },
	{ ARGS("dev", "add", "name", "lo1"), "dev add: missing \"type loopback\"" },
	{ ARGS("dev", "add", "type"), "dev add: \"type\" needs a value" },
	{ ARGS("dev", "add", "type", "other"),
	  "type \"other\": cannot create this device type" },
	{ ARGS("dev", "add", "type", "Loopback"),
	  "type \"Loopback\": cannot create this device type" },
	{ ARGS("dev", "add", "type", "loop"),
	  "type \"loop\": cannot create this device type" },
	{ ARGS("dev", "add", "type", "loopback", "type", "loopback"),
	  "dev add: \"type\" given twice" },
	{ ARGS("dev", "add", "loopback"), "dev add: unknown keyword \"loopback\"" },
	{ ARGS("add"), "add: missing device type" },
	{ ARGS("add", "name", "lo1"), "type \"name\": cannot create this device type" },
	{ ARGS("add", "other"), "type \"other\": cannot create this device type" },
	{ ARGS("add", "loopback", "type", "loopback"),
	  "add: unknown keyword \"type\"" },
	{ ARGS("add", "loopback", "nam", "lo1"), "add: unknown keyword \"nam\"" },
	{ ARGS("add", "loopback", "NAME", "lo1"), "add: unknown keyword \"NAME\"" },
	{ ARGS("add", "loopback", "name"), "add: \"name\" needs a value" },
	{ ARGS("add", "loopback", "name", "a", "name", "b"),
	  "add: \"name\" given twice" },
	{ ARGS("add", "loopback", "name", "abcdefghijklmnop"),
	  "name \"abcdefghijklmnop\": a device name is 1 to 15 characters" },
	{ ARGS("add", "loopback", "name", ""), "name \"\": a device name" },
	{ ARGS("add", "loopback", "name", "lo/1"), "name \"lo/1\": a device name" },
	{ ARGS("add", "loopback", "name", "lo 1"), "name \"lo 1\": a device name" },
	{ ARGS("add", "loopback", "name", "lo:1"), "name \"lo:1\": a device name" },
	{ ARGS("add", "loopback", "name", "."), "name \".\": a device name" },
	{ ARGS("add", "loopback", "name", ".."), "name \"..\": a device name" },
	{ ARGS("add", "loopback", "gid", "6f1c2f1e"), "gid \"6f1c2f1e\": not a UUID" },
	{ ARGS("add", "loopback", "gid", "6f1c2f1e9d3a4b558c1a0e2f3a4b5c6d"),
	  "not a UUID" },
	{ ARGS("add", "loopback", "gid", "6f1c2f1e-9d3a-4b55-8c1a-0e2f3a4b5c6"),
	  "not a UUID" },
	{ ARGS("add", "loopback", "gid", "6f1c2f1e-9d3a-4b55-8c1a-0e2f3a4b5c6d0"),
	  "not a UUID" },
	{ ARGS("add", "loopback", "gid", "6f1c2f1e-9d3a-4b55-8c1a-0e2f3a4b5c6g"),
	  "not a UUID" },
	{ ARGS("add", "loopback", "gid", "6f1c2f1e-9d3a-4b558-c1a-0e2f3a4b5c6d"),
	  "not a UUID" },
	{ ARGS("add", "loopback", "gid", "{6f1c2f1e-9d3a-4b55-8c1a-0e2f3a4b5c6d}"),
	  "not a UUID" },
	{ ARGS("add", "loopback", "gid", ""), "gid \"\": not a UUID" },
	{ ARGS("del"), "del: missing device name or index" },
	{ ARGS("dev", "del"), "dev del: missing device name or index" },
	{ ARGS("del", ""), "del: \"\" is no device name or index" },
	{ ARGS("del", "abcdefghijklmnop"), "is no device name or index" },
	{ ARGS("del", "lo", "forc"), "del: unknown keyword \"forc\"" },
	{ ARGS("del", "lo", "Force"), "del: unknown keyword \"Force\"" },
	{ ARGS("del", "lo", "forced"), "del: unknown keyword \"forced\"" },
	{ ARGS("del", "lo", "force", "force"), "del: \"force\" given twice" },
	{ ARGS("help", "dev"), "help: unexpected argument \"dev\"" },
	{ ARGS("dev", "help", "add"), "dev help: unexpected argument \"add\"" },
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

TEST(no_command_is_a_usage_error)
{
	struct captured cap;

	EXPECT_EQ(EXIT_USAGE, run_dibsctl(&cap, ARGS("-j")));
	EXPECT_STREQ("dibsctl: no command given; try \"dibsctl help\"\n", cap.err);
	captured_free(&cap);

	EXPECT_EQ(EXIT_USAGE, run_dibsctl(&cap, (const char *const[]){ NULL }));
	EXPECT_STREQ("", cap.out);
	captured_free(&cap);
}

TEST(help_and_version_go_to_stdout)
{
	struct captured cap;

	EXPECT_EQ(EXIT_OK, run_dibsctl(&cap, ARGS("-V")));
	EXPECT_STREQ("dibsctl " DIBSCTL_VERSION "\n", cap.out);
	EXPECT_STREQ("", cap.err);
	captured_free(&cap);

	EXPECT_EQ(EXIT_OK, run_dibsctl(&cap, ARGS("--version")));
	EXPECT_STREQ("dibsctl " DIBSCTL_VERSION "\n", cap.out);
	captured_free(&cap);

	EXPECT_EQ(EXIT_OK, run_dibsctl(&cap, ARGS("help")));
	EXPECT_EQ(0, strncmp(cap.out, "Usage: dibsctl [OPTIONS] OBJECT", 31));
	EXPECT_NE(NULL, strstr(cap.out, "add loopback [name NAME] [gid UUID]"));
	EXPECT_NE(NULL, strstr(cap.out, "del DEV [force]"));
	EXPECT_STREQ("", cap.err);
	captured_free(&cap);

	EXPECT_EQ(EXIT_OK, run_dibsctl(&cap, ARGS("-h")));
	EXPECT_EQ(0, strncmp(cap.out, "Usage: dibsctl", 14));
	captured_free(&cap);

	EXPECT_EQ(EXIT_OK, run_dibsctl(&cap, ARGS("--help")));
	EXPECT_EQ(0, strncmp(cap.out, "Usage: dibsctl", 14));
	captured_free(&cap);

	EXPECT_EQ(EXIT_OK, run_dibsctl(&cap, ARGS("dev", "help")));
	EXPECT_NE(NULL, strstr(cap.out, "dev add type loopback [name NAME] [gid UUID]"));
	EXPECT_NE(NULL, strstr(cap.out, "dev del DEV [force]"));
	EXPECT_NE(NULL, strstr(cap.out, "dev show [DEV]"));
	EXPECT_STREQ("", cap.err);
	captured_free(&cap);
}

/* Writes @text to a temporary file; returns its name (caller frees). */
static char *write_batch(const char *text)
{
	char *name = strdup("/tmp/dibsctl-unit-batch-XXXXXX");
	int fd;

	if (!name)
		return NULL;
	fd = mkstemp(name);
	if (fd < 0 || write(fd, text, strlen(text)) != (ssize_t)strlen(text)) {
		free(name);
		return NULL;
	}
	close(fd);
	return name;
}

TEST(batch_usage_error_names_its_line_and_runs_nothing)
{
	/*
	 * Line 1 alone would run (and, without a dibs module on the host,
	 * fail with exit 1): exit 2 proves no line ran.
	 */
	char *file = write_batch("show\n# a comment\n\n  dev  sho lo\nhelp\n");
	struct captured cap;

	ASSERT_NE(NULL, file);
	EXPECT_EQ(EXIT_USAGE, run_dibsctl(&cap, ARGS("-b", file)));
	EXPECT_STREQ("", cap.out);
	{
		char *expected;

		ASSERT_LT(0, asprintf(&expected,
				      "dibsctl: %s:4: dev: unknown verb \"sho\"; try \"dibsctl dev help\"\n",
				      file));
		EXPECT_STREQ(expected, cap.err);
		free(expected);
	}
	captured_free(&cap);
	unlink(file);
	free(file);
}

TEST(batch_runs_lines_in_order)
{
	char *file = write_batch("help   # trailing comment\n\n#only a comment\n"
				 "dev help\n\t-V\n");
	struct captured cap;

	ASSERT_NE(NULL, file);
	/* "-V" in a batch is not an option but an unknown object, line 5. */
	EXPECT_EQ(EXIT_USAGE, run_dibsctl(&cap, ARGS("-b", file)));
	EXPECT_NE(NULL, strstr(cap.err, ":5: unknown object \"-V\""))
		TH_LOG("stderr: %s", cap.err);
	EXPECT_STREQ("", cap.out);
	captured_free(&cap);
	unlink(file);
	free(file);

	file = write_batch("help   # trailing comment\n\n#only a comment\ndev help\n");
	ASSERT_NE(NULL, file);
	EXPECT_EQ(EXIT_OK, run_dibsctl(&cap, ARGS("--batch", file)));
	EXPECT_STREQ("", cap.err);
	/* Both help texts, the top-level one first. */
	{
		const char *top = strstr(cap.out, "Usage: dibsctl [OPTIONS] OBJECT");
		const char *dev = strstr(cap.out, "Usage: dibsctl [OPTIONS] dev show");

		EXPECT_TRUE(top && dev && top < dev) TH_LOG("stdout: %s", cap.out);
	}
	captured_free(&cap);
	unlink(file);
	free(file);
}

struct split_case {
	const char *line;
	/* The words joined by '|', or NULL for an error. */
	const char *words;
	const char *why;
};

static const struct split_case split_cases[] = {
	{ "", "", NULL },
	{ "  \t\n", "", NULL },
	{ "# all comment\n", "", NULL },
	{ "dev show lo\n", "dev|show|lo", NULL },
	{ "  dev\tshow\r\n", "dev|show", NULL },
	{ "show lo # the loopback\n", "show|lo", NULL },
	{ "show lo#1\n", "show|lo#1", NULL },
	{ "show '#1' \"#2\" \\#3\n", "show|#1|#2|#3", NULL },
	{ "add loopback name 'lo 1'\n", "add|loopback|name|lo 1", NULL },
	{ "add loopback name \"lo 1\"\n", "add|loopback|name|lo 1", NULL },
	{ "add loopback name lo\\ 1\n", "add|loopback|name|lo 1", NULL },
	{ "x'a b'\"c d\"e\n", "xa bc de", NULL },
	{ "'it''s'\n", "its", NULL },
	{ "\"it's\" 'say \"hi\"'\n", "it's|say \"hi\"", NULL },
	{ "'a\\b' \"a\\b\" \"a\\\"b\" \"a\\\\b\"\n", "a\\b|a\\b|a\"b|a\\b", NULL },
	{ "a\\\\b \\'x \\\"y\n", "a\\b|'x|\"y", NULL },
	{ "'' \"\" x\n", "||x", NULL },
	{ "show 'lo\n", NULL, "unterminated ' quote" },
	{ "show \"lo\n", NULL, "unterminated \" quote" },
	{ "show \"lo\\\"\n", NULL, "unterminated \" quote" },
	{ "show lo\\\n", NULL, "a backslash ends the line" },
	{ "show lo\\", NULL, "a backslash ends the line" },
	{ "# 'a comment can say anything\n", "", NULL },
};

TEST(batch_line_quoting)
{
	size_t i;

	for (i = 0; i < sizeof(split_cases) / sizeof(split_cases[0]); i++) {
		const struct split_case *c = &split_cases[i];
		char *text = strdup(c->line), *joined = NULL;
		const char *why = NULL;
		char **argv = NULL;
		size_t size;
		int argc = -1, ret, w;
		FILE *out;

		ASSERT_NE(NULL, text);
		ret = batch_split_line(text, strlen(text), &argc, &argv, &why);
		if (!c->words) {
			EXPECT_EQ(-EINVAL, ret) TH_LOG("line \"%s\"", c->line);
			EXPECT_STREQ(c->why, why ? why : "(none)")
				TH_LOG("line \"%s\"", c->line);
			free(text);
			continue;
		}
		EXPECT_EQ(0, ret) TH_LOG("line \"%s\": %s", c->line, why);
		if (ret) {
			free(text);
			continue;
		}
		out = open_memstream(&joined, &size);
		ASSERT_NE(NULL, out);
		for (w = 0; w < argc; w++)
			fprintf(out, "%s%s", w ? "|" : "", argv[w]);
		fclose(out);
		EXPECT_STREQ(c->words, joined) TH_LOG("line \"%s\"", c->line);
		if (argc > 0)
			EXPECT_EQ(NULL, argv[argc]);
		free(joined);
		free(argv);
		free(text);
	}
}

/* A NUL byte is refused rather than cutting the line short. */
TEST(batch_line_with_nul_byte)
{
	char text[] = "show lo\0x\n";
	const char *why = NULL;
	char **argv = NULL;
	int argc;

	EXPECT_EQ(-EINVAL, batch_split_line(text, sizeof(text) - 1, &argc,
					    &argv, &why));
	EXPECT_STREQ("a NUL byte in the line", why ? why : "(none)");
}

TEST(batch_quoted_words_reach_the_parser)
{
	static const char text[] =
		"# lines as a user writes them\n"
		"add loopback name \"lo1\" gid '" TEST_GID_TEXT "'\n"
		"del 'lo1' force  # and a comment\n";
	struct batch_cmd *cmds = NULL;
	char *err = NULL;
	size_t n = 0, size;
	FILE *in = fmemopen((void *)text, sizeof(text) - 1, "r");
	FILE *errs = open_memstream(&err, &size);
	struct cli cli;

	ASSERT_NE(NULL, in);
	ASSERT_NE(NULL, errs);
	cli_init(&cli, stdout, errs);
	EXPECT_EQ(EXIT_OK, batch_parse(&cli, in, "text", &cmds, &n));
	fclose(in);
	fclose(errs);
	EXPECT_STREQ("", err);
	ASSERT_EQ(2, n);
	EXPECT_EQ(2, cmds[0].line);
	EXPECT_STREQ("add", verb_of(&cmds[0].cmd));
	EXPECT_STREQ("lo1", cmds[0].cmd.dev.name);
	EXPECT_TRUE(cmds[0].cmd.dev.gid.set);
	EXPECT_EQ(0, memcmp(test_gid, cmds[0].cmd.dev.gid.bytes,
			    DIBSCTL_GID_LEN));
	EXPECT_EQ(3, cmds[1].line);
	EXPECT_STREQ("del", verb_of(&cmds[1].cmd));
	EXPECT_STREQ("lo1", cmds[1].cmd.dev.dev);
	EXPECT_TRUE(cmds[1].cmd.dev.force);
	batch_free(cmds, n);
	free(err);
}

TEST(batch_unterminated_quote_names_its_line_and_runs_nothing)
{
	char *file = write_batch("show\n\nadd loopback name 'lo1\nhelp\n");
	struct captured cap;
	char *expected;

	ASSERT_NE(NULL, file);
	EXPECT_EQ(EXIT_USAGE, run_dibsctl(&cap, ARGS("-b", file)));
	EXPECT_STREQ("", cap.out);
	ASSERT_LT(0, asprintf(&expected,
			      "dibsctl: %s:3: unterminated ' quote\n", file));
	EXPECT_STREQ(expected, cap.err);
	free(expected);
	captured_free(&cap);
	unlink(file);
	free(file);
}

TEST(batch_of_only_comments_succeeds)
{
	char *file = write_batch("# nothing\n\n   \n");
	struct captured cap;

	ASSERT_NE(NULL, file);
	EXPECT_EQ(EXIT_OK, run_dibsctl(&cap, ARGS("-b", file)));
	EXPECT_STREQ("", cap.out);
	EXPECT_STREQ("", cap.err);
	captured_free(&cap);
	unlink(file);
	free(file);
}

TEST(batch_file_missing_is_a_failure)
{
	struct captured cap;

	EXPECT_EQ(EXIT_FAILED,
		  run_dibsctl(&cap, ARGS("-b", "/nonexistent/dibsctl-batch")));
	EXPECT_STREQ("dibsctl: /nonexistent/dibsctl-batch: No such file or directory\n",
		     cap.err);
	captured_free(&cap);
}

/* A full disk or closed pipe on stdout is a failure, not silence. */
TEST(write_error_on_stdout_fails)
{
	FILE *full = fopen("/dev/full", "w");
	char *err = NULL;
	size_t size;
	FILE *errs = open_memstream(&err, &size);
	char *argv[] = { "dibsctl", "help", NULL };
	struct cli cli;

	ASSERT_NE(NULL, full);
	ASSERT_NE(NULL, errs);
	cli_init(&cli, full, errs);
	EXPECT_EQ(EXIT_FAILED, cli_main(&cli, 2, argv));
	cli_release(&cli);
	fclose(errs);
	fclose(full);
	EXPECT_STREQ("dibsctl: cannot write the output: No space left on device\n",
		     err);
	free(err);
}

TEST(dev_index_parsing)
{
	uint32_t index = 0;

	EXPECT_TRUE(parse_dev_index("1", &index));
	EXPECT_EQ(1, index);
	EXPECT_TRUE(parse_dev_index("4294967295", &index));
	EXPECT_EQ(4294967295U, index);
	EXPECT_FALSE(parse_dev_index("4294967296", &index));
	EXPECT_FALSE(parse_dev_index("0", &index));
	EXPECT_FALSE(parse_dev_index("", &index));
	EXPECT_FALSE(parse_dev_index("-1", &index));
	EXPECT_FALSE(parse_dev_index("+1", &index));
	EXPECT_FALSE(parse_dev_index(" 1", &index));
	EXPECT_FALSE(parse_dev_index("1a", &index));
	EXPECT_FALSE(parse_dev_index("lo", &index));
	EXPECT_FALSE(parse_dev_index("99999999999999999999999", &index));
}

TEST(new_device_names)
{
	EXPECT_TRUE(dev_name_is_valid("lo"));
	EXPECT_TRUE(dev_name_is_valid("A-Z_a.z-09"));
	EXPECT_TRUE(dev_name_is_valid("abcdefghijklmno"));
	EXPECT_TRUE(dev_name_is_valid("..."));
	EXPECT_FALSE(dev_name_is_valid("abcdefghijklmnop"));
	EXPECT_FALSE(dev_name_is_valid(""));
	EXPECT_FALSE(dev_name_is_valid("."));
	EXPECT_FALSE(dev_name_is_valid(".."));
	EXPECT_FALSE(dev_name_is_valid("a/b"));
	EXPECT_FALSE(dev_name_is_valid("a b"));
	EXPECT_FALSE(dev_name_is_valid("l\xc3\xb6"));
	EXPECT_FALSE(dev_name_is_valid("-lo"));
	EXPECT_TRUE(dev_name_is_valid("lo-"));
}

TEST_HARNESS_MAIN
