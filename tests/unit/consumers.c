// SPDX-License-Identifier: GPL-2.0-only
/*
 * stats prometheus and config check/apply without a kernel: the
 * Prometheus text of statistics parsed from hand-made netlink messages,
 * label escaping, and configuration files that must be refused, with
 * FILE:LINE, before anything would be applied.
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "fake-objects.h"
#include "unit-util.h"

TEST(prometheus_device_and_client_families)
{
	struct dibsctl_stats *s[2] = { fake_stats_dev(), fake_stats_client() };
	char *text;

	CAPTURE(text, print_stats_prometheus(out, s, 2));
	ASSERT_NE(NULL, text);
	/* The first family whole: HELP, TYPE, then the sample. */
	EXPECT_EQ(text, strstr(text,
		"# HELP dibs_device_dmbs_in_use DMBs registered now.\n"
		"# TYPE dibs_device_dmbs_in_use gauge\n"
		"dibs_device_dmbs_in_use{device=\"lo\"} 1\n"
		"# HELP dibs_device_dmbs_max_in_use "));
	EXPECT_NE(NULL, strstr(text,
		"# TYPE dibs_device_dmbs_max_in_use gauge\n"
		"dibs_device_dmbs_max_in_use{device=\"lo\"} 2\n"));
	EXPECT_NE(NULL, strstr(text,
		"# TYPE dibs_device_dmb_registrations_total counter\n"
		"dibs_device_dmb_registrations_total{device=\"lo\"} 3\n"));
	EXPECT_NE(NULL, strstr(text,
		"# TYPE dibs_device_dmb_registration_failures_total counter\n"
		"dibs_device_dmb_registration_failures_total{device=\"lo\",reason=\"nospc\"} 5\n"
		"dibs_device_dmb_registration_failures_total{device=\"lo\",reason=\"nomem\"} 6\n"
		"dibs_device_dmb_registration_failures_total{device=\"lo\",reason=\"other\"} 7\n"));
	EXPECT_NE(NULL, strstr(text,
		"dibs_device_move_bytes_total{device=\"lo\"} 9\n"));
	EXPECT_NE(NULL, strstr(text,
		"# TYPE dibs_client_events_total counter\n"
		"dibs_client_events_total{client=\"dibs_user\"} 12\n"));
	/* Devices never carry a client label, nor clients a device label. */
	EXPECT_EQ(NULL, strstr(text, "dibs_device_dmbs_in_use{client"));
	EXPECT_EQ(NULL, strstr(text, "dibs_client_dmbs_in_use{device"));
	free(text);
	dibsctl_stats_unref(s[0]);
	dibsctl_stats_unref(s[1]);
}

TEST(prometheus_counts_every_family_once)
{
	struct dibsctl_stats *s[2] = { fake_stats_dev(), fake_stats_client() };
	unsigned int help = 0, type = 0, samples = 0;
	char *text, *line, *save = NULL;

	CAPTURE(text, print_stats_prometheus(out, s, 2));
	ASSERT_NE(NULL, text);
	for (line = strtok_r(text, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		if (strncmp(line, "# HELP dibs_", 12) == 0)
			help++;
		else if (strncmp(line, "# TYPE dibs_", 12) == 0)
			type++;
		else if (strncmp(line, "dibs_", 5) == 0)
			samples++;
		else
			TH_LOG("unexpected line: %s", line);
	}
	/* 10 families and 12 counters, for the device and for the client */
	EXPECT_EQ(20, help);
	EXPECT_EQ(20, type);
	EXPECT_EQ(24, samples);
	free(text);
	dibsctl_stats_unref(s[0]);
	dibsctl_stats_unref(s[1]);
}

TEST(prometheus_empty_prints_nothing)
{
	char *text;

	CAPTURE(text, print_stats_prometheus(out, NULL, 0));
	ASSERT_NE(NULL, text);
	EXPECT_STREQ("", text);
	free(text);
}

TEST(prometheus_label_escaping)
{
	char *text;

	CAPTURE(text, (prom_print_label_value(out, "a\"b\\c\nd"), 0));
	ASSERT_NE(NULL, text);
	EXPECT_STREQ("a\\\"b\\\\c\\nd", text);
	free(text);
}

/* A file under /tmp holding @content; its name is returned (free it). */
static char *write_conf(const char *content)
{
	char *name = strdup("/tmp/dibs-unit-conf-XXXXXX");
	int fd = name ? mkstemp(name) : -1;

	if (fd < 0 || write(fd, content, strlen(content)) != (ssize_t)strlen(content))
		abort();
	close(fd);
	return name;
}

/* Runs "dibsctl config VERB FILE" on @content; the file is removed. */
static int run_config(struct captured *cap, const char *verb,
		      const char *content, char **file)
{
	const char *args[4] = { "config", verb, NULL, NULL };
	int ret;

	*file = write_conf(content);
	args[2] = *file;
	ret = run_dibsctl(cap, args);
	unlink(*file);
	return ret;
}

TEST(config_check_accepts_declarations)
{
	struct captured cap;
	char *file;

	run_config(&cap, "check",
		   "# comment\n\n"
		   "add loopback name lo1 gid 6f1c2f1e-9d3a-4b55-8c1a-0e2f3a4b5c6d\n"
		   "dev add type loopback name lo2   # trailing comment\n"
		   "client bind dibs_user dev lo1\n"
		   "client unbind 0 dev 2\n", &file);
	EXPECT_EQ(0, cap.status);
	EXPECT_STREQ("", cap.out);
	EXPECT_STREQ("", cap.err);
	captured_free(&cap);
	free(file);
}

struct bad_conf {
	const char *content;
	int line;
	const char *message;
};

static const struct bad_conf bad_confs[] = {
	{ "add loopback name lo1\nshow\n", 2, "show: not a declaration" },
	{ "add loopback\n", 1, "add: a configuration names every device" },
	{ "add loopback gid 6f1c2f1e-9d3a-4b55-8c1a-0e2f3a4b5c6d\n", 1,
	  "a configuration names every device" },
	{ "\n\nadd loopbak name x\n", 3, "cannot create this device type" },
	{ "client unbind dibs_user dev lo force\n", 1,
	  "\"force\" is not allowed" },
	{ "client bind dibs_user\n", 1, "missing \"dev DEV\"" },
	{ "del lo\n", 1, "del: not a declaration" },
	{ "stats reset\n", 1, "stats reset: not a declaration" },
	{ "config apply /etc/dibs/dibs.conf\n", 1,
	  "config apply: not allowed in a batch file" },
	{ "add loopback name lo1 gid nonsense\n", 1, "gid" },
};

TEST(config_refuses_with_file_and_line)
{
	const char *verbs[] = { "check", "apply" };
	struct captured cap;
	char *file, *where;
	size_t i, v;

	for (v = 0; v < 2; v++) {
		for (i = 0; i < sizeof(bad_confs) / sizeof(bad_confs[0]); i++) {
			run_config(&cap, verbs[v], bad_confs[i].content, &file);
			if (asprintf(&where, "dibsctl: %s:%d: ", file,
				     bad_confs[i].line) < 0)
				abort();
			TH_LOG("config %s of %s", verbs[v], bad_confs[i].content);
			/* exit 2 before any kernel contact: no context opened */
			EXPECT_EQ(2, cap.status);
			EXPECT_EQ(cap.err, strstr(cap.err, where));
			EXPECT_NE(NULL, strstr(cap.err, bad_confs[i].message));
			EXPECT_EQ(NULL, strchr(cap.err, '\n') == NULL ? NULL :
				  strchr(strchr(cap.err, '\n') + 1, '\n'));
			EXPECT_STREQ("", cap.out);
			captured_free(&cap);
			free(where);
			free(file);
		}
	}
}

TEST(config_usage)
{
	const char *no_file[] = { "config", "apply", NULL };
	const char *two[] = { "config", "check", "a", "b", NULL };
	const char *missing[] = { "config", "check", "/nonexistent/dibs.conf", NULL };
	struct captured cap;

	run_dibsctl(&cap, no_file);
	EXPECT_EQ(2, cap.status);
	EXPECT_STREQ("dibsctl: config apply: missing FILE\n", cap.err);
	captured_free(&cap);
	run_dibsctl(&cap, two);
	EXPECT_EQ(2, cap.status);
	EXPECT_STREQ("dibsctl: config check: unexpected argument \"b\"\n", cap.err);
	captured_free(&cap);
	run_dibsctl(&cap, missing);
	EXPECT_EQ(1, cap.status);
	EXPECT_STREQ("dibsctl: /nonexistent/dibs.conf: No such file or directory\n",
		     cap.err);
	captured_free(&cap);
}

TEST_HARNESS_MAIN
