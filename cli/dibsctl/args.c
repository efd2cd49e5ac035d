// SPDX-License-Identifier: GPL-2.0-only
/*
 * Keyword arguments ("name lo1 gid UUID force") parsed from a table of
 * struct arg_spec, and the value parsers the tables use.
 */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "dibsctl.h"

/*
 * Every keyword at most once, exact spelling only; anything else is a
 * usage error naming the offending word.
 */
int parse_keywords(struct cli *cli, const char *where,
		   const struct arg_spec *specs, size_t n_specs,
		   int argc, char **argv, void *dest)
{
	unsigned long seen = 0;
	int i = 0;

	while (i < argc) {
		const struct arg_spec *spec = NULL;
		size_t s;
		int ret;

		for (s = 0; s < n_specs; s++) {
			if (strcmp(argv[i], specs[s].keyword) == 0) {
				spec = &specs[s];
				break;
			}
		}
		if (!spec)
			return cli_usage_error(cli, "%s: unknown keyword \"%s\"",
					       where, argv[i]);
		if (seen & (1UL << s))
			return cli_usage_error(cli, "%s: \"%s\" given twice",
					       where, argv[i]);
		seen |= 1UL << s;

		if (!spec->parse) {
			*(bool *)((char *)dest + spec->offset) = true;
			i++;
			continue;
		}
		if (i + 1 >= argc)
			return cli_usage_error(cli, "%s: \"%s\" needs a value",
					       where, argv[i]);
		ret = spec->parse(cli, argv[i], argv[i + 1],
				  (char *)dest + spec->offset);
		if (ret)
			return ret;
		i += 2;
	}
	return EXIT_OK;
}

/* Only loopback devices can be created; see "dev-new" in the spec. */
int parse_dev_type(struct cli *cli, const char *keyword, const char *value,
		   void *dest)
{
	const char *loopback = dibsctl_dev_type_name(DIBSCTL_DEV_TYPE_LOOPBACK);
	struct opt_u32 *type = dest;

	if (strcmp(value, loopback) != 0)
		return cli_usage_error(cli,
				       "%s \"%s\": cannot create this device type; the only one is %s",
				       keyword, value, loopback);
	type->value = DIBSCTL_DEV_TYPE_LOOPBACK;
	type->set = true;
	return EXIT_OK;
}

/*
 * The kernel's rule for new names: 1-15 of [A-Za-z0-9_.-], not . or ..;
 * dibsctl also refuses a leading '-', which it could not look up again.
 */
bool dev_name_is_valid(const char *name)
{
	static const char allowed[] =
		"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_.-";
	size_t len = strlen(name);

	return len > 0 && len <= DIBSCTL_DEV_NAME_MAX && name[0] != '-' &&
	       strspn(name, allowed) == len &&
	       strcmp(name, ".") != 0 && strcmp(name, "..") != 0;
}

int parse_new_dev_name(struct cli *cli, const char *keyword,
		       const char *value, void *dest)
{
	if (!dev_name_is_valid(value))
		return cli_usage_error(cli,
				       "%s \"%s\": a device name is 1 to %d characters of A-Z a-z 0-9 _ . - (not . or .., no leading -)",
				       keyword, value, DIBSCTL_DEV_NAME_MAX);
	*(const char **)dest = value;
	return EXIT_OK;
}

int parse_gid(struct cli *cli, const char *keyword, const char *value,
	      void *dest)
{
	struct opt_gid *gid = dest;

	if (dibsctl_gid_parse(value, gid->bytes) < 0)
		return cli_usage_error(cli,
				       "%s \"%s\": not a UUID (xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx)",
				       keyword, value);
	gid->set = true;
	return EXIT_OK;
}

/* A DEV that is all digits may be an index: 1 to 4294967295. */
bool parse_dev_index(const char *text, uint32_t *index)
{
	unsigned long long val;
	char *end;

	if (!text[0] || strspn(text, "0123456789") != strlen(text))
		return false;
	errno = 0;
	val = strtoull(text, &end, 10);
	if (errno || *end || val == 0 || val > UINT32_MAX)
		return false;
	*index = (uint32_t)val;
	return true;
}

/* The words a verb prints in its messages: "dmb show", "show". */
const char *cmd_where(const struct cmd *cmd, char *buf, size_t size)
{
	if (cmd->object)
		snprintf(buf, size, "%s %s", cmd->object->name, cmd->verb->name);
	else
		snprintf(buf, size, "%s", cmd->verb->name);
	return buf;
}

/*
 * DEV is a name or an index; either way it fits in a name.  A leading
 * '-' is an option in the wrong place ("show -j"), not a device.
 */
int check_dev_arg(struct cli *cli, const char *where, const char *dev)
{
	size_t len = strlen(dev);

	if (dev[0] == '-')
		return cli_usage_error(cli,
				       "%s: \"%s\": options go before the command, as in \"dibsctl %s %s\"",
				       where, dev, dev, where);
	if (len == 0 || len > DIBSCTL_DEV_NAME_MAX)
		return cli_usage_error(cli,
				       "%s: \"%s\" is no device name or index (1 to %d bytes)",
				       where, dev, DIBSCTL_DEV_NAME_MAX);
	return EXIT_OK;
}

/* "dev DEV" */
int parse_dev_arg(struct cli *cli, const char *keyword, const char *value,
		  void *dest)
{
	int ret = check_dev_arg(cli, keyword, value);

	if (!ret)
		*(const char **)dest = value;
	return ret;
}

/* "client CLIENT": a name of 1 to 63 bytes, or an id. */
int parse_client_arg(struct cli *cli, const char *keyword, const char *value,
		     void *dest)
{
	size_t len = strlen(value);

	if (value[0] == '-')
		return cli_usage_error(cli,
				       "%s \"%s\": options go before the command",
				       keyword, value);
	if (len == 0 || len > 63)
		return cli_usage_error(cli,
				       "%s \"%s\" is no client name or id (1 to 63 bytes)",
				       keyword, value);
	*(const char **)dest = value;
	return EXIT_OK;
}

/* "vlan VID": 0 to 4095, in decimal. */
int parse_vlan_id(struct cli *cli, const char *keyword, const char *value,
		  void *dest)
{
	struct opt_u32 *vlan = dest;
	unsigned long val;
	char *end;

	errno = 0;
	val = value[0] >= '0' && value[0] <= '9' ? strtoul(value, &end, 10) : 0;
	if (value[0] < '0' || value[0] > '9' || errno || *end || val > 4095)
		return cli_usage_error(cli,
				       "%s \"%s\": a VLAN id is 0 to 4095",
				       keyword, value);
	vlan->value = (uint32_t)val;
	vlan->set = true;
	return EXIT_OK;
}

/* A CLIENT that is all digits may be an id: 0 to 7. */
bool parse_client_id(const char *text, uint32_t *id)
{
	if (!text[0] || text[1] || text[0] < '0' || text[0] > '7')
		return false;
	*id = (uint32_t)(text[0] - '0');
	return true;
}

int parse_no_args(struct cli *cli, const struct cmd_verb *verb, int argc,
		  char **argv, struct cmd *cmd)
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
 * The name of the device DEV: itself, unless no device has that name
 * and it is an index.  Names win, as device names may be digits too.
 */
int resolve_dev(struct dibsctl *ctx, const char *dev, char **name)
{
	struct dibsctl_dev *d;
	uint32_t index;
	int err;

	err = dibsctl_dev_new_from_name(ctx, dev, &d);
	if (is_not_found(err) && parse_dev_index(dev, &index))
		err = dibsctl_dev_new_from_index(ctx, index, &d);
	if (err)
		return err;
	*name = dibsctl_dev_get_name(d) ? strdup(dibsctl_dev_get_name(d)) : NULL;
	dibsctl_dev_unref(d);
	return *name ? 0 : -ENOMEM;
}

/* The name of the client CLIENT, a name or an id, likewise. */
int resolve_client(struct dibsctl *ctx, const char *client, char **name)
{
	struct dibsctl_client *c;
	uint32_t id;
	int err;

	err = dibsctl_client_new_from_name(ctx, client, &c);
	if (is_not_found(err) && parse_client_id(client, &id))
		err = dibsctl_client_new_from_id(ctx, id, &c);
	if (err)
		return err;
	*name = dibsctl_client_get_name(c) ?
		strdup(dibsctl_client_get_name(c)) : NULL;
	dibsctl_client_unref(c);
	return *name ? 0 : -ENOMEM;
}

/* "Usage: dibsctl [OPTIONS] OBJECT VERB SYNOPSIS", one line per verb. */
void print_object_usage(FILE *out, const struct cmd_object *obj)
{
	size_t i;

	for (i = 0; i < obj->n_verbs; i++)
		fprintf(out, "%s dibsctl [OPTIONS] %s %s%s%s\n",
			i == 0 ? "Usage:" : "      ", obj->name,
			obj->verbs[i].name, obj->verbs[i].synopsis[0] ? " " : "",
			obj->verbs[i].synopsis);
	fputs("DEV := device name, or index when no device has that name\n"
	      "CLIENT := client name, or id when no client has that name\n",
	      out);
}
