// SPDX-License-Identifier: GPL-2.0-only
/*
 * The "dev" object: show, add, del.  A new verb is a row in dev_verbs[]
 * plus its parse and run functions.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "dibsctl.h"

static int dev_parse_show(struct cli *cli, const struct cmd_verb *verb,
			  int argc, char **argv, struct cmd *cmd)
{
	char where[32];

	cmd_where(cmd, where, sizeof(where));
	if (argc > 1)
		return cli_usage_error(cli, "%s: unexpected argument \"%s\"",
				       where, argv[1]);
	if (argc == 1) {
		cmd->dev.dev = argv[0];
		return check_dev_arg(cli, where, argv[0]);
	}
	return EXIT_OK;
}

static const struct arg_spec dev_add_args[] = {
	{ "type", parse_dev_type, offsetof(struct dev_args, type) },
	{ "name", parse_new_dev_name, offsetof(struct dev_args, name) },
	{ "gid", parse_gid, offsetof(struct dev_args, gid) },
};

/* dev add type loopback [name NAME] [gid UUID] */
static int dev_parse_add(struct cli *cli, const struct cmd_verb *verb,
			 int argc, char **argv, struct cmd *cmd)
{
	char where[32];
	int ret;

	cmd_where(cmd, where, sizeof(where));
	ret = parse_keywords(cli, where, dev_add_args,
			     sizeof(dev_add_args) / sizeof(dev_add_args[0]),
			     argc, argv, &cmd->dev);
	if (ret)
		return ret;
	if (!cmd->dev.type.set)
		return cli_usage_error(cli, "%s: missing \"type loopback\"",
				       where);
	return EXIT_OK;
}

/* add loopback [name NAME] [gid UUID]: the type is the first word. */
static int dev_parse_add_shortcut(struct cli *cli, const struct cmd_verb *verb,
				  int argc, char **argv, struct cmd *cmd)
{
	char where[32];
	int ret;

	cmd_where(cmd, where, sizeof(where));
	if (argc < 1)
		return cli_usage_error(cli, "%s: missing device type (loopback)",
				       where);
	ret = parse_dev_type(cli, "type", argv[0], &cmd->dev.type);
	if (ret)
		return ret;
	/* "type" is not a keyword here: the first entry of dev_add_args. */
	return parse_keywords(cli, where, dev_add_args + 1,
			      sizeof(dev_add_args) / sizeof(dev_add_args[0]) - 1,
			      argc - 1, argv + 1, &cmd->dev);
}

static const struct arg_spec dev_del_args[] = {
	{ "force", NULL, offsetof(struct dev_args, force) },
};

/* del DEV [force] */
static int dev_parse_del(struct cli *cli, const struct cmd_verb *verb,
			 int argc, char **argv, struct cmd *cmd)
{
	char where[32];
	int ret;

	cmd_where(cmd, where, sizeof(where));
	if (argc < 1)
		return cli_usage_error(cli, "%s: missing device name or index",
				       where);
	cmd->dev.dev = argv[0];
	ret = check_dev_arg(cli, where, argv[0]);
	if (ret)
		return ret;
	return parse_keywords(cli, where, dev_del_args,
			      sizeof(dev_del_args) / sizeof(dev_del_args[0]),
			      argc - 1, argv + 1, &cmd->dev);
}

static int dev_parse_help(struct cli *cli, const struct cmd_verb *verb,
			  int argc, char **argv, struct cmd *cmd)
{
	char where[32];

	if (argc > 0)
		return cli_usage_error(cli, "%s: unexpected argument \"%s\"",
				       cmd_where(cmd, where, sizeof(where)),
				       argv[0]);
	return EXIT_OK;
}

static bool is_not_found(int err)
{
	return err == -ENODEV || err == -ENOENT;
}

/*
 * A DEV of digits names a device by index only when no device has that
 * name: names win, as device names may be digits too.  The sysfs
 * fallback has no indexes.
 */
static int dev_lookup(struct dibsctl *ctx, const char *dev,
		      struct dibsctl_dev **out)
{
	uint32_t index;
	int source, err;

	source = dibsctl_get_source(ctx);
	if (source < 0)
		return source;
	err = dibsctl_dev_new_from_name(ctx, dev, out);
	if (is_not_found(err) && source == DIBSCTL_SOURCE_NETLINK &&
	    parse_dev_index(dev, &index))
		err = dibsctl_dev_new_from_index(ctx, index, out);
	return err;
}

static int dev_delete(struct dibsctl *ctx, const char *dev, unsigned int flags)
{
	uint32_t index;
	int source, err;

	source = dibsctl_get_source(ctx);
	if (source < 0)
		return source;
	err = dibsctl_dev_del_by_name(ctx, dev, flags);
	if (is_not_found(err) && source == DIBSCTL_SOURCE_NETLINK &&
	    parse_dev_index(dev, &index))
		err = dibsctl_dev_del_by_index(ctx, index, flags);
	return err;
}

/* -s: the counters of @dev in @list, one stats dump (NULL: none). */
static struct dibsctl_stats *dev_find_stats(struct dibsctl_stats_list *list,
					    const struct dibsctl_dev *dev)
{
	struct dibsctl_stats *s, *found = NULL;
	uint32_t index, stats_index;

	if (!list || dibsctl_dev_get_index(dev, &index) < 0)
		return NULL;
	dibsctl_stats_list_foreach(s, list)
		if (dibsctl_stats_get_dev_index(s, &stats_index) == 0 &&
		    stats_index == index)
			found = s;
	return found;
}

struct dev_show {
	struct list_print lp;
	/* -s: read before the devices, whose dump holds the socket */
	struct dibsctl_stats_list *stats;
};

static int dev_print_one(struct dibsctl_dev *dev, void *arg)
{
	struct dev_show *ds = arg;

	return list_print_add(&ds->lp, dev, dev_find_stats(ds->stats, dev));
}

static int dev_show_begin(struct cli *cli, struct dibsctl *ctx,
			  struct dev_show *ds)
{
	list_print_init(&ds->lp, &cli->print, cli->out, LIST_DEV);
	ds->stats = NULL;
	if (!cli->print.stats)
		return 0;
	return dibsctl_stats_list_new(ctx, &ds->stats);
}

/* Each device is printed as its part of the dump arrives. */
static int dev_show_all(struct cli *cli, struct dibsctl *ctx)
{
	struct dev_show ds;
	int err;

	err = dev_show_begin(cli, ctx, &ds);
	if (!err)
		err = dibsctl_dev_dump(ctx, dev_print_one, &ds);
	err = list_print_end(&ds.lp, err);
	dibsctl_stats_list_unref(ds.stats);
	if (err)
		return cli_op_error(cli, err, "show");
	return EXIT_OK;
}

static int dev_show_one(struct cli *cli, struct dibsctl *ctx,
			struct dibsctl_dev *dev)
{
	struct dev_show ds;
	int err;

	err = dev_show_begin(cli, ctx, &ds);
	if (!err)
		err = dev_print_one(dev, &ds);
	err = list_print_end(&ds.lp, err);
	dibsctl_stats_list_unref(ds.stats);
	return err;
}

static int dev_run_show(struct cli *cli, const struct cmd *cmd)
{
	struct dibsctl_dev *dev;
	struct dibsctl *ctx;
	int err;

	err = cli_context(cli, &ctx);
	if (err)
		return err;
	if (!cmd->dev.dev)
		return dev_show_all(cli, ctx);

	err = dev_lookup(ctx, cmd->dev.dev, &dev);
	if (err)
		return cli_op_error(cli, err, "show %s", cmd->dev.dev);
	err = dev_show_one(cli, ctx, dev);
	dibsctl_dev_unref(dev);
	if (err)
		return cli_op_error(cli, err, "show %s", cmd->dev.dev);
	return EXIT_OK;
}

static int dev_run_add(struct cli *cli, const struct cmd *cmd)
{
	const struct dev_args *args = &cmd->dev;
	struct dibsctl_dev *dev;
	struct dibsctl *ctx;
	int err;

	err = cli_context(cli, &ctx);
	if (err)
		return err;
	err = dibsctl_dev_add_loopback(ctx, args->name,
				       args->gid.set ? args->gid.bytes : NULL,
				       &dev);
	if (err)
		return cli_op_error(cli, err, "add loopback%s%s",
				    args->name ? " " : "",
				    args->name ? args->name : "");
	err = print_dev_object(&cli->print, cli->out, dev);
	dibsctl_dev_unref(dev);
	if (err)
		return cli_op_error(cli, err, "add loopback");
	return EXIT_OK;
}

static int dev_run_del(struct cli *cli, const struct cmd *cmd)
{
	struct dibsctl *ctx;
	int err;

	err = cli_context(cli, &ctx);
	if (err)
		return err;
	err = dev_delete(ctx, cmd->dev.dev,
			 cmd->dev.force ? DIBSCTL_DEL_FORCE : 0);
	if (err)
		return cli_op_error(cli, err, "del %s", cmd->dev.dev);
	return EXIT_OK;
}

static int dev_run_help(struct cli *cli, const struct cmd *cmd)
{
	dev_print_usage(cli->out);
	return EXIT_OK;
}

static const struct cmd_verb dev_verbs[] = {
	{ "show", "[DEV]", dev_parse_show, dev_run_show },
	{ "add", "type loopback [name NAME] [gid UUID]", dev_parse_add,
	  dev_run_add },
	{ "del", "DEV [force]", dev_parse_del, dev_run_del },
	{ "help", "", dev_parse_help, dev_run_help },
};

const struct cmd_object dev_object = {
	.name = "dev",
	.verbs = dev_verbs,
	.n_verbs = sizeof(dev_verbs) / sizeof(dev_verbs[0]),
	.default_verb = "show",
};

/* dibsctl show|add|del ... without the word "dev". */
const struct cmd_verb dev_shortcut_verbs[] = {
	{ "show", "[DEV]", dev_parse_show, dev_run_show },
	{ "add", "loopback [name NAME] [gid UUID]", dev_parse_add_shortcut,
	  dev_run_add },
	{ "del", "DEV [force]", dev_parse_del, dev_run_del },
};

const size_t dev_shortcut_verbs_count =
	sizeof(dev_shortcut_verbs) / sizeof(dev_shortcut_verbs[0]);

void dev_print_usage(FILE *out)
{
	size_t i;

	for (i = 0; i < dev_object.n_verbs; i++)
		fprintf(out, "%s dibsctl [OPTIONS] dev %s%s%s\n",
			i == 0 ? "Usage:" : "      ", dev_verbs[i].name,
			dev_verbs[i].synopsis[0] ? " " : "",
			dev_verbs[i].synopsis);
	fprintf(out, "DEV := device name, or index when no device has that name\n");
}
