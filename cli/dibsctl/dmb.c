// SPDX-License-Identifier: GPL-2.0-only
/* The "dmb" object: show [dev DEV] [client CLIENT]. */
#include <errno.h>
#include <stdlib.h>

#include "dibsctl.h"

static const struct arg_spec dmb_show_args[] = {
	{ "dev", parse_dev_arg, offsetof(struct obj_args, dev) },
	{ "client", parse_client_arg, offsetof(struct obj_args, client) },
};

static int dmb_parse_show(struct cli *cli, const struct cmd_verb *verb,
			  int argc, char **argv, struct cmd *cmd)
{
	char where[32];

	return parse_keywords(cli, cmd_where(cmd, where, sizeof(where)),
			      dmb_show_args,
			      sizeof(dmb_show_args) / sizeof(dmb_show_args[0]),
			      argc, argv, &cmd->obj);
}

static int dmb_print_one(struct dibsctl_dmb *dmb, void *lp)
{
	return list_print_add(lp, dmb, NULL);
}

/* Each DMB is printed as its part of the dump arrives. */
static int dmb_show(struct cli *cli, struct dibsctl *ctx, const char *dev,
		    const char *client)
{
	struct list_print lp;

	list_print_init(&lp, &cli->print, cli->out, LIST_DMB);
	return list_print_end(&lp, dibsctl_dmb_dump(ctx, dev, client,
						    dmb_print_one, &lp));
}

static int dmb_run_show(struct cli *cli, const struct cmd *cmd)
{
	char *dev = NULL, *client = NULL;
	struct dibsctl *ctx;
	int err;

	err = cli_context(cli, &ctx);
	if (err)
		return err;
	err = cmd->obj.dev ? resolve_dev(ctx, cmd->obj.dev, &dev) : 0;
	if (!err && cmd->obj.client)
		err = resolve_client(ctx, cmd->obj.client, &client);
	if (!err)
		err = dmb_show(cli, ctx, dev, client);
	free(dev);
	free(client);
	if (err)
		return cli_op_error(cli, err, "dmb show");
	return EXIT_OK;
}

static int dmb_run_help(struct cli *cli, const struct cmd *cmd)
{
	print_object_usage(cli->out, &dmb_object);
	return EXIT_OK;
}

static const struct cmd_verb dmb_verbs[] = {
	{ "show", "[dev DEV] [client CLIENT]", dmb_parse_show, dmb_run_show },
	{ "help", "", parse_no_args, dmb_run_help },
};

const struct cmd_object dmb_object = {
	.name = "dmb",
	.verbs = dmb_verbs,
	.n_verbs = sizeof(dmb_verbs) / sizeof(dmb_verbs[0]),
	.default_verb = "show",
};
