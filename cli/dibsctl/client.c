// SPDX-License-Identifier: GPL-2.0-only
/*
 * The "client" object: show, bind, unbind.  A new verb is a row in
 * client_verbs[] plus its parse and run functions.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "dibsctl.h"

/* client show [CLIENT] */
static int client_parse_show(struct cli *cli, const struct cmd_verb *verb,
			     int argc, char **argv, struct cmd *cmd)
{
	char where[32];

	cmd_where(cmd, where, sizeof(where));
	if (argc > 1)
		return cli_usage_error(cli, "%s: unexpected argument \"%s\"",
				       where, argv[1]);
	if (argc == 1)
		return parse_client_arg(cli, where, argv[0], &cmd->obj.client);
	return EXIT_OK;
}

static const struct arg_spec client_bind_args[] = {
	{ "dev", parse_dev_arg, offsetof(struct obj_args, dev) },
};

static const struct arg_spec client_unbind_args[] = {
	{ "dev", parse_dev_arg, offsetof(struct obj_args, dev) },
	{ "force", NULL, offsetof(struct obj_args, force) },
};

/* client bind CLIENT dev DEV; client unbind CLIENT dev DEV [force] */
static int client_parse_binding(struct cli *cli, const struct cmd_verb *verb,
				int argc, char **argv, struct cmd *cmd)
{
	bool unbind = strcmp(verb->name, "unbind") == 0;
	char where[32];
	int ret;

	cmd_where(cmd, where, sizeof(where));
	if (argc < 1)
		return cli_usage_error(cli, "%s: missing client name or id",
				       where);
	ret = parse_client_arg(cli, where, argv[0], &cmd->obj.client);
	if (ret)
		return ret;
	ret = unbind ?
	      parse_keywords(cli, where, client_unbind_args,
			     sizeof(client_unbind_args) / sizeof(client_unbind_args[0]),
			     argc - 1, argv + 1, &cmd->obj) :
	      parse_keywords(cli, where, client_bind_args,
			     sizeof(client_bind_args) / sizeof(client_bind_args[0]),
			     argc - 1, argv + 1, &cmd->obj);
	if (ret)
		return ret;
	if (!cmd->obj.dev)
		return cli_usage_error(cli, "%s: missing \"dev DEV\"", where);
	return EXIT_OK;
}

static int client_print_one(struct dibsctl_client *client, void *lp)
{
	return list_print_add(lp, client, NULL);
}

static int client_run_show(struct cli *cli, const struct cmd *cmd)
{
	const char *client = cmd->obj.client;
	struct dibsctl_client *c;
	struct list_print lp;
	struct dibsctl *ctx;
	uint32_t id;
	int err;

	err = cli_context(cli, &ctx);
	if (err)
		return err;
	if (!client) {
		/* each client is printed as its part of the dump arrives */
		list_print_init(&lp, &cli->print, cli->out, LIST_CLIENT);
		err = list_print_end(&lp, dibsctl_client_dump(ctx,
							      client_print_one,
							      &lp));
		if (err)
			return cli_op_error(cli, err, "client show");
		return EXIT_OK;
	}

	err = dibsctl_client_new_from_name(ctx, client, &c);
	if ((err == -ENOENT || err == -ENODEV) && parse_client_id(client, &id))
		err = dibsctl_client_new_from_id(ctx, id, &c);
	if (err)
		return cli_op_error(cli, err, "client show %s", client);
	err = print_client_list(&cli->print, cli->out, &c, 1);
	dibsctl_client_unref(c);
	if (err)
		return cli_op_error(cli, err, "client show %s", client);
	return EXIT_OK;
}

static int client_run_binding(struct cli *cli, const struct cmd *cmd)
{
	const struct obj_args *args = &cmd->obj;
	char *client = NULL, *dev = NULL;
	struct dibsctl *ctx;
	int err;

	err = cli_context(cli, &ctx);
	if (err)
		return err;
	err = resolve_client(ctx, args->client, &client);
	if (!err)
		err = resolve_dev(ctx, args->dev, &dev);
	if (!err && strcmp(cmd->verb->name, "bind") == 0)
		err = dibsctl_client_bind(ctx, client, dev);
	else if (!err)
		err = dibsctl_client_unbind(ctx, client, dev,
					    args->force ? DIBSCTL_UNBIND_FORCE : 0);
	free(client);
	free(dev);
	if (err)
		return cli_op_error(cli, err, "client %s %s dev %s",
				    cmd->verb->name, args->client, args->dev);
	return EXIT_OK;
}

static int client_run_help(struct cli *cli, const struct cmd *cmd)
{
	print_object_usage(cli->out, &client_object);
	return EXIT_OK;
}

static const struct cmd_verb client_verbs[] = {
	{ "show", "[CLIENT]", client_parse_show, client_run_show },
	{ "bind", "CLIENT dev DEV", client_parse_binding, client_run_binding },
	{ "unbind", "CLIENT dev DEV [force]", client_parse_binding,
	  client_run_binding },
	{ "help", "", parse_no_args, client_run_help },
};

const struct cmd_object client_object = {
	.name = "client",
	.verbs = client_verbs,
	.n_verbs = sizeof(client_verbs) / sizeof(client_verbs[0]),
	.default_verb = "show",
};
