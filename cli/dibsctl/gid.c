// SPDX-License-Identifier: GPL-2.0-only
/*
 * The "gid" object: show, and check DEV RGID [vlan VID], whose exit
 * status is the answer: 0 reachable, 1 not reachable (or failed).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "dibsctl.h"

static int gid_print_one(struct dibsctl_gid *gid, void *lp)
{
	return list_print_add(lp, gid, NULL);
}

/* Each GID is printed as its part of the dump arrives. */
static int gid_run_show(struct cli *cli, const struct cmd *cmd)
{
	struct list_print lp;
	struct dibsctl *ctx;
	int err;

	err = cli_context(cli, &ctx);
	if (err)
		return err;
	list_print_init(&lp, &cli->print, cli->out, LIST_GID);
	err = list_print_end(&lp, dibsctl_gid_dump(ctx, gid_print_one, &lp));
	if (err)
		return cli_op_error(cli, err, "gid show");
	return EXIT_OK;
}

static const struct arg_spec gid_check_args[] = {
	{ "vlan", parse_vlan_id, offsetof(struct obj_args, vlan) },
};

/* gid check DEV RGID [vlan VID] */
static int gid_parse_check(struct cli *cli, const struct cmd_verb *verb,
			   int argc, char **argv, struct cmd *cmd)
{
	char where[32];
	int ret;

	cmd_where(cmd, where, sizeof(where));
	if (argc < 2)
		return cli_usage_error(cli, "%s: missing %s", where,
				       argc ? "remote GID" : "device and remote GID");
	cmd->obj.dev = argv[0];
	ret = check_dev_arg(cli, where, argv[0]);
	if (!ret)
		ret = parse_gid(cli, where, argv[1], &cmd->obj.gid);
	if (!ret)
		ret = parse_keywords(cli, where, gid_check_args,
				     sizeof(gid_check_args) / sizeof(gid_check_args[0]),
				     argc - 2, argv + 2, &cmd->obj);
	return ret;
}

static int gid_run_check(struct cli *cli, const struct cmd *cmd)
{
	struct gid_check_result result = { 0 };
	struct dibsctl *ctx;
	char *dev = NULL;
	int err;

	err = cli_context(cli, &ctx);
	if (err)
		return err;
	memcpy(result.gid, cmd->obj.gid.bytes, sizeof(result.gid));
	result.vlan_id = cmd->obj.vlan.set ? (int)cmd->obj.vlan.value :
					     DIBSCTL_NO_VLAN;
	err = resolve_dev(ctx, cmd->obj.dev, &dev);
	if (!err)
		err = dibsctl_gid_check(ctx, dev, result.gid, result.vlan_id,
					&result.reachable);
	if (!err) {
		result.dev = dev;
		err = print_gid_check(&cli->print, cli->out, &result);
	}
	free(dev);
	if (err)
		return cli_op_error(cli, err, "gid check %s", cmd->obj.dev);
	return result.reachable ? EXIT_OK : EXIT_FAILED;
}

static int gid_run_help(struct cli *cli, const struct cmd *cmd)
{
	print_object_usage(cli->out, &gid_object);
	fputs("RGID := remote GID, a UUID (xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx)\n"
	      "gid check exits 0 when DEV reaches RGID, 1 when not\n", cli->out);
	return EXIT_OK;
}

static const struct cmd_verb gid_verbs[] = {
	{ "show", "", parse_no_args, gid_run_show },
	{ "check", "DEV RGID [vlan VID]", gid_parse_check, gid_run_check },
	{ "help", "", parse_no_args, gid_run_help },
};

const struct cmd_object gid_object = {
	.name = "gid",
	.verbs = gid_verbs,
	.n_verbs = sizeof(gid_verbs) / sizeof(gid_verbs[0]),
	.default_verb = "show",
};
