// SPDX-License-Identifier: GPL-2.0-only
/*
 * The "stats" object: show [dev DEV | client CLIENT], prometheus (the
 * same in Prometheus' text format), reset [dev DEV].
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "dibsctl.h"

static const struct arg_spec stats_show_args[] = {
	{ "dev", parse_dev_arg, offsetof(struct obj_args, dev) },
	{ "client", parse_client_arg, offsetof(struct obj_args, client) },
};

static const struct arg_spec stats_reset_args[] = {
	{ "dev", parse_dev_arg, offsetof(struct obj_args, dev) },
};

static int stats_parse_show(struct cli *cli, const struct cmd_verb *verb,
			    int argc, char **argv, struct cmd *cmd)
{
	char where[32];
	int ret;

	cmd_where(cmd, where, sizeof(where));
	ret = parse_keywords(cli, where, stats_show_args,
			     sizeof(stats_show_args) / sizeof(stats_show_args[0]),
			     argc, argv, &cmd->obj);
	if (!ret && cmd->obj.dev && cmd->obj.client)
		return cli_usage_error(cli,
				       "%s: \"dev\" and \"client\" exclude each other",
				       where);
	return ret;
}

static int stats_parse_reset(struct cli *cli, const struct cmd_verb *verb,
			     int argc, char **argv, struct cmd *cmd)
{
	char where[32];

	return parse_keywords(cli, cmd_where(cmd, where, sizeof(where)),
			      stats_reset_args,
			      sizeof(stats_reset_args) / sizeof(stats_reset_args[0]),
			      argc, argv, &cmd->obj);
}

/* stats show prints as -j/-d say; stats prometheus ignores them. */
static int stats_print(struct cli *cli, const struct cmd *cmd,
		       struct dibsctl_stats *const *stats, size_t n)
{
	if (strcmp(cmd->verb->name, "prometheus") == 0)
		return print_stats_prometheus(cli->out, stats, n);
	return print_stats_list(&cli->print, cli->out, stats, n);
}

static int stats_show_all(struct cli *cli, const struct cmd *cmd,
			  struct dibsctl *ctx)
{
	struct dibsctl_stats_list *list;
	struct dibsctl_stats **stats;
	struct dibsctl_stats *s;
	size_t n = 0;
	int err;

	err = dibsctl_stats_list_new(ctx, &list);
	if (err)
		return err;
	stats = calloc(dibsctl_stats_list_count(list) + 1, sizeof(*stats));
	if (stats) {
		dibsctl_stats_list_foreach(s, list)
			stats[n++] = s;
		err = stats_print(cli, cmd, stats, n);
		free(stats);
	} else {
		err = -ENOMEM;
	}
	dibsctl_stats_list_unref(list);
	return err;
}

static int stats_run_show(struct cli *cli, const struct cmd *cmd)
{
	struct dibsctl_stats *stats = NULL;
	struct dibsctl *ctx;
	char *name = NULL;
	int err;

	err = cli_context(cli, &ctx);
	if (err)
		return err;
	if (cmd->obj.dev) {
		err = resolve_dev(ctx, cmd->obj.dev, &name);
		if (!err)
			err = dibsctl_stats_new_from_dev(ctx, name, &stats);
	} else if (cmd->obj.client) {
		err = resolve_client(ctx, cmd->obj.client, &name);
		if (!err)
			err = dibsctl_stats_new_from_client(ctx, name, &stats);
	} else {
		err = stats_show_all(cli, cmd, ctx);
	}
	if (!err && stats)
		err = stats_print(cli, cmd, &stats, 1);
	dibsctl_stats_unref(stats);
	free(name);
	if (err)
		return cli_op_error(cli, err, "stats %s", cmd->verb->name);
	return EXIT_OK;
}

static int stats_run_reset(struct cli *cli, const struct cmd *cmd)
{
	struct dibsctl *ctx;
	char *dev = NULL;
	int err;

	err = cli_context(cli, &ctx);
	if (err)
		return err;
	err = cmd->obj.dev ? resolve_dev(ctx, cmd->obj.dev, &dev) : 0;
	if (!err)
		err = dibsctl_stats_reset(ctx, dev);
	free(dev);
	if (err)
		return cli_op_error(cli, err, "stats reset");
	return EXIT_OK;
}

static int stats_run_help(struct cli *cli, const struct cmd *cmd)
{
	print_object_usage(cli->out, &stats_object);
	return EXIT_OK;
}

static const struct cmd_verb stats_verbs[] = {
	{ "show", "[dev DEV | client CLIENT]", stats_parse_show,
	  stats_run_show },
	{ "prometheus", "[dev DEV | client CLIENT]", stats_parse_show,
	  stats_run_show },
	{ "reset", "[dev DEV]", stats_parse_reset, stats_run_reset },
	{ "help", "", parse_no_args, stats_run_help },
};

const struct cmd_object stats_object = {
	.name = "stats",
	.verbs = stats_verbs,
	.n_verbs = sizeof(stats_verbs) / sizeof(stats_verbs[0]),
	.default_verb = "show",
};
