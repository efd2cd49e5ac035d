// SPDX-License-Identifier: GPL-2.0-only
/*
 * 1000 loopback devices (issue 11): every client object stays one small
 * message.  With the devices in place: a client that registers is
 * announced (client-new-ntf, no ENOBUFS), client-get of every client
 * succeeds (do and dump), binding-get's dump lists every (device, client)
 * pair exactly once across its many parts, bind/unbind notifications
 * arrive, and "dibsctl client show" works.  Then every device is deleted.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <netlink/attr.h>

#include "kselftest_harness.h"
#include "dibs_ktest.h"

#define SCALE_DEVS 1000
#define SCALE_PREFIX "scl"
/* the device the bind/unbind round trip uses */
#define SCALE_PICK 500
/* client slots: MAX_DIBS_CLIENTS of <linux/dibs.h> */
#define MAX_CLIENTS_SEEN 8

FIXTURE(scale) {
	struct dibs_genl g;
	struct dibs_state initial;
	struct dibs_reply r;
	struct dibs_recmon mon;
	uint32_t index[SCALE_DEVS];	/* ascending, as they were created */
};

FIXTURE_SETUP(scale)
{
	char why[1024];
	int ret;

	ret = dibs_genl_open(&self->g);
	ASSERT_EQ(0, ret) TH_LOG("no dibs family: %s", dibs_errno_name(ret));
	ASSERT_EQ(0, dibs_state_read(&self->g, &self->initial, why, sizeof(why)))
		TH_LOG("%s", why);
	/* dibs_user now, the test client only once the devices are there */
	ASSERT_EQ(0, dibs_clients_load(why, sizeof(why))) TH_LOG("%s", why);
	ASSERT_EQ(0, dibs_module_unload(DIBS_TC_NAME));
}

FIXTURE_TEARDOWN(scale)
{
	dibs_reply_free(&self->r);
	dibs_recmon_close(&self->mon);
	if (self->g.sk)
		EXPECT_EQ(0, dibs_remove_devices_except(&self->g, &self->initial))
			TH_LOG("could not delete the devices this test created");
	dibs_clients_unload();
	dibs_genl_close(&self->g);
}

/* The position of @index in the ascending @index array, or -1. */
static int dev_pos(const uint32_t *index, uint32_t want)
{
	int lo = 0, hi = SCALE_DEVS;

	while (lo < hi) {
		int mid = lo + (hi - lo) / 2;

		if (index[mid] == want)
			return mid;
		if (index[mid] < want)
			lo = mid + 1;
		else
			hi = mid;
	}
	return -1;
}

/* The next notification of the monitor socket, which must be @cmd. */
static void expect_ntf(struct __test_metadata *_metadata,
		       struct dibs_recmon *mon, uint8_t cmd,
		       struct dibs_rec *ntf, const char *when)
{
	char buf[512];
	int ret = dibs_recmon_next(mon, ntf, 60000);

	ASSERT_EQ(1, ret) TH_LOG("%s: no %s: %s", when, dibs_cmd_name(cmd),
				 ret ? dibs_errno_name(ret) : "none came");
	dibs_rec_format(ntf, buf, sizeof(buf));
	ASSERT_EQ(cmd, ntf->cmd) TH_LOG("%s: got %s", when, buf);
	EXPECT_STREQ("", ntf->malformed) TH_LOG("%s: %s", when, buf);
}

/* Runs dibsctl ARGS; its exit status, its stdout in @out. */
static int run_dibsctl(const char *args, char **out)
{
	const char *build = getenv("DIBS_BUILD_DIR");
	size_t len = 0, cap = 0;
	char cmd[512], chunk[4096];
	FILE *p;
	int status;

	*out = NULL;
	if (!build)
		return -ENOENT;
	snprintf(cmd, sizeof(cmd), "'%s/cli/dibsctl/dibsctl' %s", build, args);
	p = popen(cmd, "r");
	if (!p)
		return -errno;
	for (;;) {
		size_t n = fread(chunk, 1, sizeof(chunk), p);

		if (!n)
			break;
		if (len + n + 1 > cap) {
			char *bigger;

			cap = 2 * (len + n + 1);
			bigger = realloc(*out, cap);
			if (!bigger)
				break;
			*out = bigger;
		}
		memcpy(*out + len, chunk, n);
		len += n;
		(*out)[len] = '\0';
	}
	status = pclose(p);
	return WIFEXITED(status) ? WEXITSTATUS(status) : -ECHILD;
}

TEST_F_TIMEOUT(scale, thousand_devices, 1200)
{
	static const char *const groups[] = { "monitor" };
	static bool seen[SCALE_DEVS][MAX_CLIENTS_SEEN];
	uint32_t client_ids[MAX_CLIENTS_SEEN];
	uint32_t tc_id = 0, pick;
	int i, nclients, rows, ours, twice = 0, outside = 0;
	struct dibs_rec ntf;
	char name[DIBS_DEV_NAME_MAX_LEN + 1];
	char *out;

	for (i = 0; i < SCALE_DEVS; i++) {
		snprintf(name, sizeof(name), SCALE_PREFIX "%d", i);
		ASSERT_REQ_OK(dibs_dev_new(&self->g, name, NULL, &self->r),
			      &self->r);
		self->index[i] = self->r.devs[0].index;
		if (i)
			ASSERT_LT(self->index[i - 1], self->index[i]);
		dibs_reply_free(&self->r);
	}

	/* a client registering now binds to every device: announced */
	ASSERT_EQ(0, dibs_recmon_open(&self->mon, groups, 1));
	ASSERT_EQ(0, dibs_module_load(DIBS_TC_NAME, NULL));
	expect_ntf(_metadata, &self->mon, DIBS_CMD_CLIENT_NEW_NTF, &ntf,
		   "the test client registered");
	EXPECT_ATTR_S(&ntf, DIBS_A_CLIENT_NAME, DIBS_TC_NAME);
	tc_id = ntf.u[DIBS_A_CLIENT_ID];

	/* client-get: the dump, then a do of each client */
	ASSERT_REQ_OK(DIBS_REQ(&self->g, &self->r, DIBS_CMD_CLIENT_GET,
			       NLM_F_DUMP), &self->r);
	nclients = self->r.nrecs;
	ASSERT_LE(2, nclients) TH_LOG("dibs_user and the test client");
	ASSERT_GE(MAX_CLIENTS_SEEN, nclients);
	for (i = 0; i < nclients; i++) {
		ASSERT_REC(&self->r.recs[i], DIBS_CMD_CLIENT_GET);
		client_ids[i] = self->r.recs[i].u[DIBS_A_CLIENT_ID];
	}
	dibs_reply_free(&self->r);
	for (i = 0; i < nclients; i++) {
		ASSERT_REQ_OK(DIBS_REQ(&self->g, &self->r, DIBS_CMD_CLIENT_GET, 0,
				       DIBS_PUT_U32(DIBS_A_CLIENT_ID,
						    client_ids[i])), &self->r);
		EXPECT_EQ(1, self->r.nrecs);
		dibs_reply_free(&self->r);
	}

	/* binding-get dump: every pair once, nothing else */
	ASSERT_REQ_OK(DIBS_REQ(&self->g, &self->r, DIBS_CMD_BINDING_GET,
			       NLM_F_DUMP), &self->r);
	rows = self->r.nrecs;
	ours = 0;
	for (i = 0; i < rows; i++) {
		const struct dibs_rec *b = &self->r.recs[i];
		int pos = dev_pos(self->index, b->u[DIBS_A_BINDING_DEV_INDEX]);
		int c;

		ASSERT_REC(b, DIBS_CMD_BINDING_GET);
		for (c = 0; c < nclients; c++)
			if (client_ids[c] == b->u[DIBS_A_BINDING_CLIENT_ID])
				break;
		if (c == nclients) {
			outside++;
			continue;
		}
		if (pos < 0)
			continue;
		twice += seen[pos][c];
		seen[pos][c] = true;
		ours++;
	}
	dibs_reply_free(&self->r);
	EXPECT_EQ(0, twice) TH_LOG("pairs listed more than once");
	EXPECT_EQ(0, outside) TH_LOG("bindings of clients client-get does not list");
	EXPECT_EQ(SCALE_DEVS * nclients, ours)
		TH_LOG("bindings of the %d devices and %d clients", SCALE_DEVS,
		       nclients);
	EXPECT_EQ((SCALE_DEVS + self->initial.ndevs) * nclients, rows)
		TH_LOG("rows of the whole dump");

	/* unbind and bind again: both notifications arrive */
	pick = self->index[SCALE_PICK];
	ASSERT_REQ_OK(DIBS_REQ(&self->g, &self->r, DIBS_CMD_CLIENT_UNBIND, 0,
			       DIBS_PUT_U32(DIBS_A_CLIENT_ID, tc_id),
			       DIBS_PUT_U32(DIBS_A_CLIENT_DEV_INDEX, pick)),
		      &self->r);
	dibs_reply_free(&self->r);
	expect_ntf(_metadata, &self->mon, DIBS_CMD_CLIENT_UNBIND_NTF, &ntf,
		   "client-unbind");
	EXPECT_ATTR_U(&ntf, DIBS_A_CLIENT_DEV_INDEX, pick);
	ASSERT_REQ_OK(DIBS_REQ(&self->g, &self->r, DIBS_CMD_CLIENT_BIND, 0,
			       DIBS_PUT_U32(DIBS_A_CLIENT_ID, tc_id),
			       DIBS_PUT_U32(DIBS_A_CLIENT_DEV_INDEX, pick)),
		      &self->r);
	dibs_reply_free(&self->r);
	expect_ntf(_metadata, &self->mon, DIBS_CMD_CLIENT_BIND_NTF, &ntf,
		   "client-bind");
	EXPECT_ATTR_U(&ntf, DIBS_A_CLIENT_DEV_INDEX, pick);

	/* dibsctl client show: both clients, the last device listed */
	EXPECT_EQ(0, run_dibsctl("client show", &out))
		TH_LOG("dibsctl client show failed");
	ASSERT_NE(NULL, out);
	EXPECT_NE(NULL, strstr(out, DIBS_TC_NAME));
	EXPECT_NE(NULL, strstr(out, DIBS_USER_CLIENT_NAME));
	snprintf(name, sizeof(name), SCALE_PREFIX "%d\n", SCALE_DEVS - 1);
	EXPECT_NE(NULL, strstr(out, name))
		TH_LOG("dibsctl client show does not end a device list with "
		       SCALE_PREFIX "%d", SCALE_DEVS - 1);
	free(out);

	/* and all of them go again */
	for (i = 0; i < SCALE_DEVS; i++) {
		ASSERT_REQ_OK(dibs_dev_del_index(&self->g, self->index[i], false,
						 &self->r), &self->r);
		dibs_reply_free(&self->r);
	}
	ASSERT_REQ_OK(dibs_dev_dump(&self->g, &self->r), &self->r);
	EXPECT_EQ(self->initial.ndevs, self->r.ndevs);
}

TEST_HARNESS_MAIN
