// SPDX-License-Identifier: GPL-2.0-only
/*
 * The descriptors tools/genl-gen writes into dibs-nl-gen.c: every set's
 * attrs[] and by_id[] agree with its policy and name table, JSON keys are
 * the spec names with '-' turned into '_', and every request op's allowed
 * request attributes exist in its reply set.
 */
#include <string.h>

#include "kselftest_harness.h"
#include "dibs-nl-gen.h"

#define N_SETS (sizeof(dibs_nl_sets) / sizeof(dibs_nl_sets[0]))
#define N_OPS (sizeof(dibs_nl_ops_desc) / sizeof(dibs_nl_ops_desc[0]))

static int json_key_matches(const char *name, const char *key)
{
	for (; *name; name++, key++)
		if (*key != (*name == '-' ? '_' : *name))
			return 0;
	return *key == '\0';
}

TEST(sets_agree_with_policy_and_names)
{
	unsigned int i, j, id;

	for (i = 0; i < N_SETS; i++) {
		const struct dibs_nl_set_desc *s = dibs_nl_sets[i];

		ASSERT_NE(0, s->n_attrs) TH_LOG("set %s has no attributes", s->name);
		for (j = 0; j < s->n_attrs; j++) {
			const struct dibs_nl_attr_desc *a = &s->attrs[j];

			ASSERT_LE(a->id, s->max)
				TH_LOG("set %s: %s id %u > max %u", s->name, a->name, a->id, s->max);
			EXPECT_EQ(a, s->by_id[a->id])
				TH_LOG("set %s: by_id[%u] is not %s", s->name, a->id, a->name);
			EXPECT_TRUE(json_key_matches(a->name, a->json_key))
				TH_LOG("set %s: %s has JSON key %s", s->name, a->name, a->json_key);
			if (j)
				EXPECT_LT(s->attrs[j - 1].id, a->id)
					TH_LOG("set %s: attrs not in id order at %s", s->name, a->name);
		}
		for (id = 0; id <= s->max; id++)
			if (!s->by_id[id])
				EXPECT_EQ(0, s->policy[id].type)
					TH_LOG("set %s: id %u has a policy but no descriptor",
					       s->name, id);
	}
}

TEST(dev_set_matches_the_spec)
{
	const struct dibs_nl_set_desc *s = &dibs_nl_dev_set;

	ASSERT_STREQ("dev", s->name);
	EXPECT_EQ(DIBS_A_DEV_MAX, s->max);
	EXPECT_EQ(&dibs_nl_dev_policy[0], s->policy);
	EXPECT_STREQ(dibs_nl_dev_attr_name[DIBS_A_DEV_FABRIC_ID],
		     s->by_id[DIBS_A_DEV_FABRIC_ID]->name);
	EXPECT_STREQ("fabric_id", s->by_id[DIBS_A_DEV_FABRIC_ID]->json_key);
	EXPECT_EQ(DIBS_NL_KIND_U16, s->by_id[DIBS_A_DEV_FABRIC_ID]->kind);
	EXPECT_TRUE(s->by_id[DIBS_A_DEV_FABRIC_ID]->hints & DIBS_NL_HINT_HEX);
	EXPECT_EQ(DIBS_NL_KIND_BINARY, s->by_id[DIBS_A_DEV_GID]->kind);
	EXPECT_TRUE(s->by_id[DIBS_A_DEV_GID]->hints & DIBS_NL_HINT_UUID);
	EXPECT_EQ(DIBS_NL_KIND_STRING, s->by_id[DIBS_A_DEV_NAME]->kind);
	EXPECT_EQ(DIBS_NL_KIND_FLAG, s->by_id[DIBS_A_DEV_MMAPPED_RDMB]->kind);
	EXPECT_EQ(0, s->by_id[DIBS_A_DEV_NAME]->hints);
}

TEST(ops_name_their_command_and_request_attributes)
{
	unsigned int i, j;
	int dev_get = 0;

	for (i = 0; i < N_OPS; i++) {
		const struct dibs_nl_op_desc *op = &dibs_nl_ops_desc[i];
		const struct dibs_nl_set_desc *s = op->reply_set;

		ASSERT_LE(op->cmd, DIBS_CMD_MAX);
		EXPECT_STREQ(dibs_nl_op_name[op->cmd], op->name);
		EXPECT_TRUE(op->has_do || op->has_dump) TH_LOG("op %s has neither", op->name);
		for (j = 0; j < op->n_do_request; j++)
			EXPECT_TRUE(op->do_request[j] <= s->max && s->by_id[op->do_request[j]])
				TH_LOG("op %s: do request attr %u not in set %s",
				       op->name, op->do_request[j], s->name);
		for (j = 0; j < op->n_dump_request; j++)
			EXPECT_TRUE(op->dump_request[j] <= s->max && s->by_id[op->dump_request[j]])
				TH_LOG("op %s: dump request attr %u not in set %s",
				       op->name, op->dump_request[j], s->name);
		if (!strcmp(op->name, "dev-get")) {
			dev_get = 1;
			EXPECT_EQ(DIBS_CMD_DEV_GET, op->cmd);
			EXPECT_TRUE(op->has_do);
			EXPECT_TRUE(op->has_dump);
			EXPECT_EQ(&dibs_nl_dev_set, s);
		}
	}
	EXPECT_TRUE(dev_get) TH_LOG("no descriptor for dev-get");
}

TEST_HARNESS_MAIN
