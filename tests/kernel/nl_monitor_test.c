// SPDX-License-Identifier: GPL-2.0-only
/*
 * Notifications of a scripted sequence, on the "monitor" and "dmb" groups,
 * exactly and in order: dev-new, a client registering (module load),
 * client-unbind / client-bind, DMB registration and unregistration, dev-del
 * of a device with a bound client, the client unregistering (module
 * unload). Each carries the attributes of the spec with the right values;
 * DMB notifications never carry a token, dmb-del-ntf carries the final
 * counters. A socket on "monitor" alone gets no DMB notification, and
 * reads notify nothing. A forced dev-del sends dev-del-ntf, then the
 * dmb-del-ntf of the DMBs the client's del_dev() releases.
 */
#include <errno.h>
#include <string.h>

#include <netlink/attr.h>

#include "kselftest_harness.h"
#include "dibs_ktest.h"

#define DEV_M "ktm.m"
/* Notifications are queued before the ack of their request. */
#define NTF_WAIT_MS 2000
#define NO_NTF_WAIT_MS 200

FIXTURE(monitor) {
	struct dibs_genl g;
	struct dibs_state initial;
	struct dibs_reply r;
	struct dibs_recmon both, mon_only;
};

FIXTURE_SETUP(monitor)
{
	static const char *const both[] = { DIBS_MCGRP_MONITOR, DIBS_MCGRP_DMB };
	char why[1024];
	int ret;

	ret = dibs_genl_open(&self->g);
	ASSERT_EQ(0, ret) TH_LOG("no dibs family: %s", dibs_errno_name(ret));
	ASSERT_EQ(0, dibs_state_read(&self->g, &self->initial, why, sizeof(why)))
		TH_LOG("%s", why);
	/* the client registers during the test */
	dibs_clients_unload();
	ASSERT_FALSE(dibs_module_loaded(DIBS_TC_NAME));
	ASSERT_EQ(0, dibs_recmon_open(&self->both, both, 2));
	ASSERT_EQ(0, dibs_recmon_open(&self->mon_only, both, 1));
}

FIXTURE_TEARDOWN(monitor)
{
	dibs_reply_free(&self->r);
	dibs_recmon_close(&self->both);
	dibs_recmon_close(&self->mon_only);
	dibs_tc_ctl("unregister %s", DEV_M);
	if (self->g.sk)
		EXPECT_EQ(0, dibs_remove_devices_except(&self->g, &self->initial))
			TH_LOG("could not delete the devices this test created");
	dibs_clients_unload();
	dibs_genl_close(&self->g);
}

/* The next notification must come and be of cmd; it is stored in *ntf. */
static void next_ntf(struct __test_metadata *_metadata, struct dibs_recmon *m,
		     uint8_t cmd, struct dibs_rec *ntf, const char *step)
{
	char buf[1024];
	int ret;

	ret = dibs_recmon_next(m, ntf, NTF_WAIT_MS);
	ASSERT_EQ(1, ret) TH_LOG("%s: expected %s, got %s", step,
				 dibs_cmd_name(cmd),
				 ret == 0 ? "nothing" : dibs_errno_name(ret));
	dibs_rec_format(ntf, buf, sizeof(buf));
	ASSERT_STREQ("", ntf->malformed) TH_LOG("%s: %s", step, buf);
	ASSERT_EQ(cmd, ntf->cmd) TH_LOG("%s: expected %s, got %s", step,
					dibs_cmd_name(cmd), buf);
	TH_LOG("%s: %s", step, buf);
}

static void no_more(struct __test_metadata *_metadata, struct dibs_recmon *m,
		    const char *when)
{
	struct dibs_rec ntf;
	char buf[1024];
	int ret;

	ret = dibs_recmon_next(m, &ntf, NO_NTF_WAIT_MS);
	if (ret == 1)
		dibs_rec_format(&ntf, buf, sizeof(buf));
	EXPECT_EQ(0, ret) TH_LOG("%s: unexpected %s", when,
				 ret == 1 ? buf : dibs_errno_name(ret));
}

/* A client-bind-ntf/client-unbind-ntf: exactly id, name, dev-index, dev-name. */
static void check_bind_ntf(struct __test_metadata *_metadata,
			   const struct dibs_rec *ntf, uint32_t id,
			   uint32_t dev_index)
{
	EXPECT_ATTR_U(ntf, DIBS_A_CLIENT_ID, id);
	EXPECT_ATTR_S(ntf, DIBS_A_CLIENT_NAME, DIBS_TC_NAME);
	EXPECT_ATTR_U(ntf, DIBS_A_CLIENT_DEV_INDEX, dev_index);
	EXPECT_ATTR_S(ntf, DIBS_A_CLIENT_DEV_NAME, DEV_M);
	EXPECT_NO_ATTR(ntf, DIBS_A_CLIENT_DMBS);
	EXPECT_NO_ATTR(ntf, DIBS_A_CLIENT_FORCE);
	EXPECT_STREQ("", ntf->malformed);
}

static void check_dmb_ntf(struct __test_metadata *_metadata,
			  const struct dibs_rec *ntf, uint32_t dev_index,
			  const char *uuid, uint32_t client_id)
{
	EXPECT_ATTR_U(ntf, DIBS_A_DMB_DEV_INDEX, dev_index);
	EXPECT_ATTR_S(ntf, DIBS_A_DMB_DEV_NAME, DEV_M);
	EXPECT_ATTR_U(ntf, DIBS_A_DMB_CLIENT_ID, client_id);
	EXPECT_ATTR_S(ntf, DIBS_A_DMB_CLIENT_NAME, DIBS_TC_NAME);
	EXPECT_TRUE(DIBS_REC_HAS(ntf, DIBS_A_DMB_IDX));
	EXPECT_ATTR_U(ntf, DIBS_A_DMB_LEN, 4096);
	EXPECT_ATTR_S(ntf, DIBS_A_DMB_RGID, uuid);
	EXPECT_NO_ATTR(ntf, DIBS_A_DMB_TOKEN);
	EXPECT_NO_ATTR(ntf, DIBS_A_DMB_VLAN_ID);
	EXPECT_NO_ATTR(ntf, DIBS_A_DMB_ATTACHED);
}

TEST_F(monitor, scripted_sequence)
{
	char uuid[DIBS_UUID_STR_LEN], why[256];
	struct dibs_rec ntf, client;
	uint32_t m_index, tc_id, idx[2];
	int i, j;

	/* 1. dev-new: dev-new-ntf, no client bound yet */
	ASSERT_REQ_OK(dibs_dev_new(&self->g, DEV_M, NULL, &self->r), &self->r);
	m_index = self->r.devs[0].index;
	dibs_uuid_str(self->r.devs[0].gid, uuid);
	dibs_reply_free(&self->r);
	next_ntf(_metadata, &self->both, DIBS_CMD_DEV_NEW_NTF, &ntf, "dev-new");
	EXPECT_ATTR_U(&ntf, DIBS_A_DEV_INDEX, m_index);
	EXPECT_ATTR_S(&ntf, DIBS_A_DEV_NAME, DEV_M);
	EXPECT_ATTR_S(&ntf, DIBS_A_DEV_GID, uuid);
	/* no bindings nested (version 2): an unknown attribute is malformed */
	EXPECT_STREQ("", ntf.malformed);

	/* 2. a client registers: client-new-ntf, bound to every device */
	ASSERT_EQ(0, dibs_module_load(DIBS_TC_NAME, NULL));
	ASSERT_EQ(0, dibs_client_get_name(&self->g, DIBS_TC_NAME, &client));
	tc_id = client.u[DIBS_A_CLIENT_ID];
	next_ntf(_metadata, &self->both, DIBS_CMD_CLIENT_NEW_NTF, &ntf,
		 "client registration");
	EXPECT_ATTR_U(&ntf, DIBS_A_CLIENT_ID, tc_id);
	EXPECT_ATTR_S(&ntf, DIBS_A_CLIENT_NAME, DIBS_TC_NAME);
	EXPECT_ATTR_U(&ntf, DIBS_A_CLIENT_DMBS, 0);
	EXPECT_STREQ("", ntf.malformed);
	/* its bindings are binding-get's: every device, DEV_M once */
	ASSERT_REQ_OK(DIBS_REQ(&self->g, &self->r, DIBS_CMD_BINDING_GET,
			       NLM_F_DUMP,
			       DIBS_PUT_U32(DIBS_A_BINDING_CLIENT_ID, tc_id)),
		      &self->r);
	EXPECT_EQ(self->initial.ndevs + 1, self->r.nrecs)
		TH_LOG("bindings of the new client");
	for (i = 0, j = 0; i < self->r.nrecs; i++)
		j += self->r.recs[i].u[DIBS_A_BINDING_DEV_INDEX] == m_index;
	dibs_reply_free(&self->r);
	EXPECT_EQ(1, j) TH_LOG("binding-get does not list " DEV_M " for the new client");
	/* implicit binding sends no client-bind-ntf */
	no_more(_metadata, &self->both, "after the client registered");

	/* 3. client-unbind, 4. client-bind */
	ASSERT_REQ_OK(DIBS_REQ(&self->g, &self->r, DIBS_CMD_CLIENT_UNBIND, 0,
			       DIBS_PUT_U32(DIBS_A_CLIENT_ID, tc_id),
			       DIBS_PUT_STR(DIBS_A_CLIENT_DEV_NAME, DEV_M)), &self->r);
	dibs_reply_free(&self->r);
	next_ntf(_metadata, &self->both, DIBS_CMD_CLIENT_UNBIND_NTF, &ntf,
		 "client-unbind");
	check_bind_ntf(_metadata, &ntf, tc_id, m_index);
	ASSERT_REQ_OK(DIBS_REQ(&self->g, &self->r, DIBS_CMD_CLIENT_BIND, 0,
			       DIBS_PUT_STR(DIBS_A_CLIENT_NAME, DIBS_TC_NAME),
			       DIBS_PUT_U32(DIBS_A_CLIENT_DEV_INDEX, m_index)), &self->r);
	dibs_reply_free(&self->r);
	next_ntf(_metadata, &self->both, DIBS_CMD_CLIENT_BIND_NTF, &ntf,
		 "client-bind");
	check_bind_ntf(_metadata, &ntf, tc_id, m_index);
	/* a refused bind notifies nothing */
	EXPECT_EQ(-EEXIST, DIBS_REQ(&self->g, &self->r, DIBS_CMD_CLIENT_BIND, 0,
				    DIBS_PUT_STR(DIBS_A_CLIENT_NAME, DIBS_TC_NAME),
				    DIBS_PUT_U32(DIBS_A_CLIENT_DEV_INDEX, m_index)));
	dibs_reply_free(&self->r);
	no_more(_metadata, &self->both, "after a refused client-bind");

	/* 5. two DMBs: two dmb-new-ntf, no token */
	ASSERT_EQ(0, dibs_tc_ctl("register %s 2 4096", DEV_M));
	for (i = 0; i < 2; i++) {
		next_ntf(_metadata, &self->both, DIBS_CMD_DMB_NEW_NTF, &ntf,
			 "DMB registration");
		check_dmb_ntf(_metadata, &ntf, m_index, uuid, tc_id);
		EXPECT_NO_ATTR(&ntf, DIBS_A_DMB_BYTES);
		idx[i] = ntf.u[DIBS_A_DMB_IDX];
	}
	EXPECT_NE(idx[0], idx[1]);

	/* a move, and reads of every kind: nothing */
	ASSERT_EQ(0, dibs_tc_ctl("move %s %u 0 100 signal", DEV_M, idx[0]));
	ASSERT_REQ_OK(DIBS_REQ(&self->g, &self->r, DIBS_CMD_DMB_GET, NLM_F_DUMP), &self->r);
	dibs_reply_free(&self->r);
	ASSERT_REQ_OK(DIBS_REQ(&self->g, &self->r, DIBS_CMD_CLIENT_GET, NLM_F_DUMP), &self->r);
	dibs_reply_free(&self->r);
	ASSERT_REQ_OK(DIBS_REQ(&self->g, &self->r, DIBS_CMD_STATS_GET, NLM_F_DUMP), &self->r);
	dibs_reply_free(&self->r);
	ASSERT_REQ_OK(DIBS_REQ(&self->g, &self->r, DIBS_CMD_GID_GET, NLM_F_DUMP), &self->r);
	dibs_reply_free(&self->r);
	ASSERT_REQ_OK(DIBS_REQ(&self->g, &self->r, DIBS_CMD_VLAN_GET, NLM_F_DUMP), &self->r);
	dibs_reply_free(&self->r);
	no_more(_metadata, &self->both, "after a move and reads");

	/* 6. unregistration: two dmb-del-ntf with the final counters */
	ASSERT_EQ(0, dibs_tc_ctl("unregister %s", DEV_M));
	for (i = 0; i < 2; i++) {
		next_ntf(_metadata, &self->both, DIBS_CMD_DMB_DEL_NTF, &ntf,
			 "DMB unregistration");
		check_dmb_ntf(_metadata, &ntf, m_index, uuid, tc_id);
		EXPECT_ATTR_U(&ntf, DIBS_A_DMB_IDX, idx[i]);
		EXPECT_ATTR_U(&ntf, DIBS_A_DMB_BYTES, i ? 0 : 100);
		EXPECT_ATTR_U(&ntf, DIBS_A_DMB_MOVES, i ? 0 : 1);
		EXPECT_ATTR_U(&ntf, DIBS_A_DMB_SIGNALS, i ? 0 : 1);
	}

	/* 7. dev-del of the device the client is bound to */
	ASSERT_REQ_OK(dibs_dev_del_name(&self->g, DEV_M, false, &self->r), &self->r);
	dibs_reply_free(&self->r);
	next_ntf(_metadata, &self->both, DIBS_CMD_DEV_DEL_NTF, &ntf, "dev-del");
	EXPECT_ATTR_U(&ntf, DIBS_A_DEV_INDEX, m_index);
	EXPECT_ATTR_S(&ntf, DIBS_A_DEV_NAME, DEV_M);
	no_more(_metadata, &self->both, "after dev-del");

	/* 8. the client unregisters: client-del-ntf */
	ASSERT_EQ(0, dibs_module_unload(DIBS_TC_NAME));
	next_ntf(_metadata, &self->both, DIBS_CMD_CLIENT_DEL_NTF, &ntf,
		 "client unregistration");
	EXPECT_ATTR_U(&ntf, DIBS_A_CLIENT_ID, tc_id);
	EXPECT_ATTR_S(&ntf, DIBS_A_CLIENT_NAME, DIBS_TC_NAME);
	EXPECT_STREQ("", ntf.malformed);
	no_more(_metadata, &self->both, "at the end");

	/* the socket on "monitor" alone saw the same minus the DMBs */
	{
		static const uint8_t mon_cmds[] = {
			DIBS_CMD_DEV_NEW_NTF, DIBS_CMD_CLIENT_NEW_NTF,
			DIBS_CMD_CLIENT_UNBIND_NTF, DIBS_CMD_CLIENT_BIND_NTF,
			DIBS_CMD_DEV_DEL_NTF, DIBS_CMD_CLIENT_DEL_NTF,
		};

		for (i = 0; i < (int)sizeof(mon_cmds); i++) {
			snprintf(why, sizeof(why), "monitor-only socket, %d", i);
			next_ntf(_metadata, &self->mon_only, mon_cmds[i], &ntf, why);
		}
		no_more(_metadata, &self->mon_only, "monitor-only socket at the end");
	}
}

/* A forced dev-del of a device with DMBs: dmb-del-ntf before dev-del-ntf. */
TEST_F(monitor, forced_dev_del)
{
	struct dibs_rec ntf;
	int i;

	ASSERT_EQ(0, dibs_module_load(DIBS_TC_NAME, NULL));
	next_ntf(_metadata, &self->both, DIBS_CMD_CLIENT_NEW_NTF, &ntf, "load");
	ASSERT_REQ_OK(dibs_dev_new(&self->g, DEV_M, NULL, &self->r), &self->r);
	dibs_reply_free(&self->r);
	next_ntf(_metadata, &self->both, DIBS_CMD_DEV_NEW_NTF, &ntf, "dev-new");
	EXPECT_STREQ("", ntf.malformed);
	ASSERT_EQ(0, dibs_tc_ctl("register %s 2 4096", DEV_M));
	for (i = 0; i < 2; i++)
		next_ntf(_metadata, &self->both, DIBS_CMD_DMB_NEW_NTF, &ntf, "register");
	ASSERT_REQ_OK(dibs_dev_del_name(&self->g, DEV_M, true, &self->r), &self->r);
	dibs_reply_free(&self->r);
	/*
	 * "A device is being removed": dev-del-ntf opens the removal, still
	 * with its DMBs; the client's del_dev() then releases them.
	 */
	next_ntf(_metadata, &self->both, DIBS_CMD_DEV_DEL_NTF, &ntf,
		 "forced dev-del");
	EXPECT_ATTR_S(&ntf, DIBS_A_DEV_NAME, DEV_M);
	EXPECT_ATTR_U(&ntf, DIBS_A_DEV_DMBS_IN_USE, 2);
	for (i = 0; i < 2; i++) {
		next_ntf(_metadata, &self->both, DIBS_CMD_DMB_DEL_NTF, &ntf,
			 "forced dev-del, DMBs");
		EXPECT_ATTR_S(&ntf, DIBS_A_DMB_DEV_NAME, DEV_M);
		EXPECT_NO_ATTR(&ntf, DIBS_A_DMB_TOKEN);
	}
	no_more(_metadata, &self->both, "after the forced dev-del");
}

TEST_HARNESS_MAIN
