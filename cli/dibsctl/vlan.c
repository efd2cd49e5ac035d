// SPDX-License-Identifier: GPL-2.0-only
/* The "vlan" object: show [dev DEV]. */
#include <errno.h>
#include <stdlib.h>

#include "dibsctl.h"

static const struct arg_spec vlan_show_args[] = {
	{ "dev", parse_dev_arg, offsetof(struct obj_args, dev) },
};

static int vlan_parse_show(struct cli *cli, const struct cmd_verb *verb,
			   int argc, char **argv, struct cmd *cmd)
{
	char where[32];

	return parse_keywords(cli, cmd_where(cmd, where, sizeof(where)),
			      vlan_show_args,
			      sizeof(vlan_show_args) / sizeof(vlan_show_args[0]),
			      argc, argv, &cmd->obj);
}

static int vlan_print_one(struct dibsctl_vlan *vlan, void *lp)
{
	return list_print_add(lp, vlan, NULL);
}

/* Each VLAN is printed as its part of the dump arrives. */
static int vlan_show(struct cli *cli, struct dibsctl *ctx, const char *dev)
{
	struct list_print lp;

	list_print_init(&lp, &cli->print, cli->out, LIST_VLAN);
	return list_print_end(&lp, dibsctl_vlan_dump(ctx, dev, vlan_print_one,
						     &lp));
}

static int vlan_run_show(struct cli *cli, const struct cmd *cmd)
{
	struct dibsctl *ctx;
	char *dev = NULL;
	int err;

	err = cli_context(cli, &ctx);
	if (err)
		return err;
	err = cmd->obj.dev ? resolve_dev(ctx, cmd->obj.dev, &dev) : 0;
	if (!err)
		err = vlan_show(cli, ctx, dev);
	free(dev);
	if (err)
		return cli_op_error(cli, err, "vlan show");
	return EXIT_OK;
}

static int vlan_run_help(struct cli *cli, const struct cmd *cmd)
{
	print_object_usage(cli->out, &vlan_object);
	return EXIT_OK;
}

static const struct cmd_verb vlan_verbs[] = {
	{ "show", "[dev DEV]", vlan_parse_show, vlan_run_show },
	{ "help", "", parse_no_args, vlan_run_help },
};

const struct cmd_object vlan_object = {
	.name = "vlan",
	.verbs = vlan_verbs,
	.n_verbs = sizeof(vlan_verbs) / sizeof(vlan_verbs[0]),
	.default_verb = "show",
};
