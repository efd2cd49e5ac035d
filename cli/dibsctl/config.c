// SPDX-License-Identifier: GPL-2.0-only
/*
 * The "config" object: apply FILE, check FILE.  A configuration file
 * (dibs.conf(5)) is a batch file restricted to declarations:
 *
 *   add loopback name NAME [gid UUID]   (or dev add type loopback ...)
 *   client bind CLIENT dev DEV
 *   client unbind CLIENT dev DEV
 *
 * It is parsed whole, by the batch parser, before anything is applied.
 * Applying is idempotent: what already holds is left alone; a device
 * that exists with other properties is reported, never changed.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "dibsctl.h"

enum config_result {
	CONFIG_CREATED,
	CONFIG_BOUND,
	CONFIG_UNBOUND,
	CONFIG_UNCHANGED,
	CONFIG_CONFLICT,
	CONFIG_FAILED,
};

static const char *const config_result_names[] = {
	[CONFIG_CREATED] = "created",
	[CONFIG_BOUND] = "bound",
	[CONFIG_UNBOUND] = "unbound",
	[CONFIG_UNCHANGED] = "unchanged",
	[CONFIG_CONFLICT] = "conflict",
	[CONFIG_FAILED] = "failed",
};

static bool is_dev_add(const struct cmd *cmd)
{
	return (!cmd->object || cmd->object == &dev_object) &&
	       strcmp(cmd->verb->name, "add") == 0;
}

static bool is_client_binding(const struct cmd *cmd)
{
	return cmd->object == &client_object &&
	       (strcmp(cmd->verb->name, "bind") == 0 ||
		strcmp(cmd->verb->name, "unbind") == 0);
}

/*
 * A parsed line is a declaration when it says what should exist:
 * devices by name (an unnamed add would add one more at every boot),
 * bindings; unbind without force, which would drop a client's DMBs.
 */
int config_check_declaration(struct cli *cli, const struct cmd *cmd)
{
	char where[32];

	cmd_where(cmd, where, sizeof(where));
	if (is_dev_add(cmd)) {
		if (!cmd->dev.name)
			return cli_usage_error(cli,
					       "%s: a configuration names every device: missing \"name NAME\"",
					       where);
		return EXIT_OK;
	}
	if (is_client_binding(cmd)) {
		if (cmd->obj.force)
			return cli_usage_error(cli,
					       "%s: \"force\" is not allowed in a configuration",
					       where);
		return EXIT_OK;
	}
	return cli_usage_error(cli,
			       "%s: not a declaration; a configuration holds \"add loopback\", \"client bind\" and \"client unbind\" lines",
			       where);
}

static int config_parse_file(struct cli *cli, const struct cmd_verb *verb,
			     int argc, char **argv, struct cmd *cmd)
{
	char where[32];

	cmd_where(cmd, where, sizeof(where));
	if (cli->where_file)
		return cli_usage_error(cli, "%s: not allowed in a batch file",
				       where);
	if (argc < 1 || !argv[0][0])
		return cli_usage_error(cli, "%s: missing FILE", where);
	if (argc > 1)
		return cli_usage_error(cli, "%s: unexpected argument \"%s\"",
				       where, argv[1]);
	cmd->obj.file = argv[0];
	return EXIT_OK;
}

/* Loads @file and checks that every line is a declaration. */
static int config_load(struct cli *cli, const char *file,
		       struct batch_cmd **cmds, size_t *n)
{
	size_t i;
	int ret;

	ret = batch_load(cli, file, cmds, n);
	if (ret)
		return ret;
	for (i = 0; i < *n && !ret; i++) {
		cli->where_line = (*cmds)[i].line;
		ret = config_check_declaration(cli, &(*cmds)[i].cmd);
	}
	if (ret) {
		cli->where_file = NULL;
		batch_free(*cmds, *n);
	}
	return ret;
}

static void format_gid(const uint8_t gid[DIBSCTL_GID_LEN], char *buf)
{
	static const char hex[] = "0123456789abcdef";
	size_t i;

	for (i = 0; i < DIBSCTL_GID_LEN; i++) {
		if (i == 4 || i == 6 || i == 8 || i == 10)
			*buf++ = '-';
		*buf++ = hex[gid[i] >> 4];
		*buf++ = hex[gid[i] & 0xf];
	}
	*buf = '\0';
}

/* Compares an existing device with its declaration. */
static enum config_result config_compare_dev(struct cli *cli,
					     const struct dev_args *args,
					     const struct dibsctl_dev *dev)
{
	uint8_t gid[DIBSCTL_GID_LEN];
	char have[40], want[40];
	uint32_t type;

	if (dibsctl_dev_get_type(dev, &type) == 0 && args->type.set &&
	    type != args->type.value) {
		const char *name = dibsctl_dev_type_name(type);

		cli_usage_error(cli, "device %s exists as type %s, declared %s; left unchanged",
				args->name, name ? name : "unknown",
				dibsctl_dev_type_name(args->type.value));
		return CONFIG_CONFLICT;
	}
	if (args->gid.set && dibsctl_dev_get_gid(dev, gid) == 0 &&
	    memcmp(gid, args->gid.bytes, DIBSCTL_GID_LEN) != 0) {
		format_gid(gid, have);
		format_gid(args->gid.bytes, want);
		cli_usage_error(cli, "device %s exists with gid %s, declared %s; left unchanged",
				args->name, have, want);
		return CONFIG_CONFLICT;
	}
	return CONFIG_UNCHANGED;
}

static enum config_result config_apply_dev(struct cli *cli,
					   struct dibsctl *ctx,
					   const struct dev_args *args)
{
	enum config_result result;
	struct dibsctl_dev *dev;
	int err;

	err = dibsctl_dev_new_from_name(ctx, args->name, &dev);
	if (!err) {
		result = config_compare_dev(cli, args, dev);
		dibsctl_dev_unref(dev);
		return result;
	}
	if (err != -ENODEV && err != -ENOENT) {
		cli_op_error(cli, err, "show %s", args->name);
		return CONFIG_FAILED;
	}
	err = dibsctl_dev_add_loopback(ctx, args->name,
				       args->gid.set ? args->gid.bytes : NULL,
				       &dev);
	if (err) {
		cli_op_error(cli, err, "add loopback %s", args->name);
		return CONFIG_FAILED;
	}
	dibsctl_dev_unref(dev);
	return CONFIG_CREATED;
}

/* Whether client @client (a name) is bound to device @dev (a name). */
static int client_is_bound(struct dibsctl *ctx, const char *client,
			   const char *dev, bool *bound)
{
	struct dibsctl_dev_list *devs;
	struct dibsctl_client *c;
	struct dibsctl_dev *d;
	int err;

	err = dibsctl_client_new_from_name(ctx, client, &c);
	if (err)
		return err;
	err = dibsctl_client_get_devs(c, &devs);
	dibsctl_client_unref(c);
	if (err == -ENODATA) {
		*bound = false;
		return 0;
	}
	if (err)
		return err;
	*bound = false;
	dibsctl_dev_list_foreach(d, devs) {
		const char *name = dibsctl_dev_get_name(d);

		if (name && strcmp(name, dev) == 0)
			*bound = true;
	}
	dibsctl_dev_list_unref(devs);
	return 0;
}

static enum config_result config_apply_binding(struct cli *cli,
					       struct dibsctl *ctx,
					       const struct cmd *cmd)
{
	bool bind = strcmp(cmd->verb->name, "bind") == 0;
	const struct obj_args *args = &cmd->obj;
	char *client = NULL, *dev = NULL;
	enum config_result result = CONFIG_FAILED;
	bool bound = false;
	int err;

	err = resolve_client(ctx, args->client, &client);
	if (!err)
		err = resolve_dev(ctx, args->dev, &dev);
	if (!err)
		err = client_is_bound(ctx, client, dev, &bound);
	if (!err && bound == bind)
		result = CONFIG_UNCHANGED;
	else if (!err && bind)
		err = dibsctl_client_bind(ctx, client, dev);
	else if (!err)
		err = dibsctl_client_unbind(ctx, client, dev, 0);
	if (!err && bound != bind)
		result = bind ? CONFIG_BOUND : CONFIG_UNBOUND;
	free(client);
	free(dev);
	if (err) {
		cli_op_error(cli, err, "client %s %s dev %s", cmd->verb->name,
			     args->client, args->dev);
		return CONFIG_FAILED;
	}
	return result;
}

static void config_print_result(struct cli *cli, json_object *results,
				const struct batch_cmd *line,
				enum config_result result)
{
	json_object *obj;
	char *text = NULL;
	size_t size = 0, i;
	FILE *words;

	words = open_memstream(&text, &size);
	if (!words)
		return;
	for (i = 0; i < (size_t)line->argc; i++)
		fprintf(words, "%s%s", i ? " " : "", line->argv[i]);
	fclose(words);

	if (!results) {
		fprintf(cli->out, "%s:%u: %s: %s\n", cli->where_file,
			line->line, text, config_result_names[result]);
		free(text);
		return;
	}
	obj = json_object_new_object();
	json_object_object_add(obj, "file",
			       json_object_new_string(cli->where_file));
	json_object_object_add(obj, "line", json_object_new_int64(line->line));
	json_object_object_add(obj, "declaration", json_object_new_string(text));
	json_object_object_add(obj, "result",
			       json_object_new_string(config_result_names[result]));
	json_object_array_add(results, obj);
	free(text);
}

/*
 * Every declaration is tried, whatever happened to the ones before; the
 * exit status is 1 when any of them failed or conflicts.
 */
static int config_run_apply(struct cli *cli, const struct cmd *cmd)
{
	bool json = cli->print.format != OUTPUT_PLAIN;
	json_object *results = NULL;
	struct batch_cmd *cmds;
	struct dibsctl *ctx;
	size_t n, i;
	int ret, status = EXIT_OK;

	ret = config_load(cli, cmd->obj.file, &cmds, &n);
	if (ret)
		return ret;
	ret = cli_context(cli, &ctx);
	if (ret) {
		cli->where_file = NULL;
		batch_free(cmds, n);
		return ret;
	}
	if (json)
		results = json_object_new_array();
	for (i = 0; i < n; i++) {
		enum config_result result;

		cli->where_line = cmds[i].line;
		if (is_dev_add(&cmds[i].cmd))
			result = config_apply_dev(cli, ctx, &cmds[i].cmd.dev);
		else
			result = config_apply_binding(cli, ctx, &cmds[i].cmd);
		if (result == CONFIG_CONFLICT || result == CONFIG_FAILED)
			status = EXIT_FAILED;
		config_print_result(cli, results, &cmds[i], result);
	}
	if (results) {
		fprintf(cli->out, "%s\n",
			json_object_to_json_string_ext(results,
						       cli->print.format == OUTPUT_JSON_PRETTY ?
						       JSON_C_TO_STRING_PRETTY :
						       JSON_C_TO_STRING_PLAIN));
		json_object_put(results);
	}
	cli->where_file = NULL;
	batch_free(cmds, n);
	return status;
}

/* config check FILE: syntax only; the kernel is not asked. */
static int config_run_check(struct cli *cli, const struct cmd *cmd)
{
	struct batch_cmd *cmds;
	size_t n;
	int ret;

	ret = config_load(cli, cmd->obj.file, &cmds, &n);
	if (ret)
		return ret;
	cli->where_file = NULL;
	batch_free(cmds, n);
	return EXIT_OK;
}

static int config_run_help(struct cli *cli, const struct cmd *cmd)
{
	print_object_usage(cli->out, &config_object);
	return EXIT_OK;
}

static const struct cmd_verb config_verbs[] = {
	{ "apply", "FILE", config_parse_file, config_run_apply },
	{ "check", "FILE", config_parse_file, config_run_check },
	{ "help", "", parse_no_args, config_run_help },
};

const struct cmd_object config_object = {
	.name = "config",
	.verbs = config_verbs,
	.n_verbs = sizeof(config_verbs) / sizeof(config_verbs[0]),
	.default_verb = "help",
};
