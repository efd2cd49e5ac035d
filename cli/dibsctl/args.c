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
