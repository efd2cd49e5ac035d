// SPDX-License-Identifier: GPL-2.0-only
/*
 * dibsctl [OPTIONS] OBJECT [VERB [ARGS...]]: options, dispatch through
 * the object and verb tables, batch files and error reporting.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "dibsctl.h"

#ifndef DIBSCTL_VERSION
#error "the build defines DIBSCTL_VERSION"
#endif

static const struct cmd_object *const objects[] = {
	&dev_object,
	&client_object,
	&dmb_object,
	&gid_object,
	&vlan_object,
	&stats_object,
	&monitor_object,
	&config_object,
};

#define N_OBJECTS (sizeof(objects) / sizeof(objects[0]))

void cli_init(struct cli *cli, FILE *out, FILE *err)
{
	memset(cli, 0, sizeof(*cli));
	cli->out = out;
	cli->err = err;
	cli->print.format = OUTPUT_PLAIN;
}

void cli_release(struct cli *cli)
{
	cli->ctx = dibsctl_unref(cli->ctx);
}

static void print_where(struct cli *cli)
{
	fputs("dibsctl: ", cli->err);
	if (cli->where_file)
		fprintf(cli->err, "%s:%u: ", cli->where_file, cli->where_line);
}

int cli_usage_error(struct cli *cli, const char *fmt, ...)
{
	va_list ap;

	print_where(cli);
	va_start(ap, fmt);
	vfprintf(cli->err, fmt, ap);
	va_end(ap);
	fputc('\n', cli->err);
	return EXIT_USAGE;
}

/*
 * "dibsctl: <what>: <strerror>[: <message>][ (attribute <name>)]": the
 * message comes from the kernel's extack or from the library, or, for an
 * EPERM without one, says what was missing; the offending attribute is
 * only named with -d.
 */
int cli_op_error(struct cli *cli, int err, const char *what, ...)
{
	const char *msg = dibsctl_get_errmsg(cli->ctx);
	const char *attr = dibsctl_get_err_attr(cli->ctx);
	va_list ap;

	print_where(cli);
	va_start(ap, what);
	vfprintf(cli->err, what, ap);
	va_end(ap);
	fprintf(cli->err, ": %s", strerror(err < 0 ? -err : err));
	if (msg)
		fprintf(cli->err, ": %s", msg);
	else if (err == -EPERM || err == EPERM)
		/* genetlink refuses admin-perm ops without a message */
		fprintf(cli->err, ": needs CAP_NET_ADMIN");
	if (attr && cli->print.details)
		fprintf(cli->err, " (attribute %s)", attr);
	fputc('\n', cli->err);
	return EXIT_FAILED;
}

int cli_context(struct cli *cli, struct dibsctl **ctx)
{
	int err;

	if (!cli->ctx) {
		err = dibsctl_new(&cli->ctx);
		if (err) {
			print_where(cli);
			fprintf(cli->err, "cannot set up libdibsctl: %s\n",
				strerror(-err));
			return EXIT_FAILED;
		}
	}
	*ctx = cli->ctx;
	return EXIT_OK;
}

/* A failed write to stdout (a full disk, a closed pipe) is a failure. */
int cli_finish_output(struct cli *cli)
{
	if (fflush(cli->out) == 0 && !ferror(cli->out))
		return EXIT_OK;
	fprintf(cli->err, "dibsctl: cannot write the output: %s\n",
		strerror(errno ? errno : EIO));
	return EXIT_FAILED;
}

static void print_verb_lines(FILE *out, const char *object,
			     const struct cmd_verb *verbs, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		fprintf(out, "       dibsctl [OPTIONS] %s%s%s%s%s\n",
			object ? object : "", object ? " " : "",
			verbs[i].name, verbs[i].synopsis[0] ? " " : "",
			verbs[i].synopsis);
}

void cli_print_usage(FILE *out)
{
	size_t i;

	fputs("Usage: dibsctl [OPTIONS] OBJECT [VERB [ARGS...]]\n", out);
	print_verb_lines(out, NULL, dev_shortcut_verbs,
			 dev_shortcut_verbs_count);
	fputs("       dibsctl [OPTIONS] -b FILE\n"
	      "       dibsctl help\n"
	      "       dibsctl OBJECT help\n"
	      "OBJECT := {", out);
	for (i = 0; i < N_OBJECTS; i++)
		fprintf(out, " %s", objects[i]->name);
	fputs(" }\n"
	      "OPTIONS := { -j|--json | -p|--pretty | -d|--details | -s|--stats |\n"
	      "             -b|--batch FILE | -V|--version | -h|--help }\n"
	      "DEV := device name, or index when no device has that name\n"
	      "CLIENT := client name, or id when no client has that name\n",
	      out);
}

static int top_parse_help(struct cli *cli, const struct cmd_verb *verb,
			  int argc, char **argv, struct cmd *cmd)
{
	if (argc > 0)
		return cli_usage_error(cli, "help: unexpected argument \"%s\"",
				       argv[0]);
	return EXIT_OK;
}

static int top_run_help(struct cli *cli, const struct cmd *cmd)
{
	cli_print_usage(cli->out);
	return EXIT_OK;
}

static const struct cmd_verb top_verbs[] = {
	{ "help", "", top_parse_help, top_run_help },
};

static const struct cmd_verb *find_verb(const struct cmd_verb *verbs, size_t n,
					const char *name)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strcmp(verbs[i].name, name) == 0)
			return &verbs[i];
	return NULL;
}

/* argv[0] is the OBJECT, or a verb that needs none (show, add, del). */
int cli_parse_command(struct cli *cli, int argc, char **argv, struct cmd *cmd)
{
	const struct cmd_verb *verb;
	size_t i;

	memset(cmd, 0, sizeof(*cmd));
	if (argc < 1)
		return cli_usage_error(cli, "no command given; try \"dibsctl help\"");

	for (i = 0; i < N_OBJECTS; i++) {
		const struct cmd_object *obj = objects[i];
		const char *name = argc > 1 ? argv[1] : obj->default_verb;
		int used = argc > 1 ? 2 : 1;

		if (strcmp(argv[0], obj->name) != 0)
			continue;
		verb = find_verb(obj->verbs, obj->n_verbs, name);
		if (!verb)
			return cli_usage_error(cli,
					       "%s: unknown verb \"%s\"; try \"dibsctl %s help\"",
					       obj->name, name, obj->name);
		cmd->object = obj;
		cmd->verb = verb;
		return verb->parse(cli, verb, argc - used, argv + used, cmd);
	}

	verb = find_verb(dev_shortcut_verbs, dev_shortcut_verbs_count, argv[0]);
	if (!verb)
		verb = find_verb(top_verbs, sizeof(top_verbs) / sizeof(top_verbs[0]),
				 argv[0]);
	if (!verb)
		return cli_usage_error(cli,
				       "unknown object \"%s\"; try \"dibsctl help\"",
				       argv[0]);
	cmd->verb = verb;
	return verb->parse(cli, verb, argc - 1, argv + 1, cmd);
}

int cli_run_command(struct cli *cli, const struct cmd *cmd)
{
	return cmd->verb->run(cli, cmd);
}

static const struct {
	const char *name;
	char opt;
} long_options[] = {
	{ "json", 'j' },
	{ "pretty", 'p' },
	{ "details", 'd' },
	{ "stats", 's' },
	{ "batch", 'b' },
	{ "version", 'V' },
	{ "help", 'h' },
};

static void apply_option(struct cli *cli, char opt, const char *value)
{
	switch (opt) {
	case 'j':
		if (cli->print.format == OUTPUT_PLAIN)
			cli->print.format = OUTPUT_JSON;
		break;
	case 'p':
		cli->print.format = OUTPUT_JSON_PRETTY;
		break;
	case 'd':
		cli->print.details = true;
		break;
	case 's':
		cli->print.stats = true;
		break;
	case 'b':
		cli->batch_file = value;
		break;
	case 'V':
		cli->show_version = true;
		break;
	case 'h':
		cli->show_help = true;
		break;
	}
}

static int parse_long_option(struct cli *cli, int argc, char **argv, int *i)
{
	const char *arg = argv[*i], *name = arg + 2;
	const char *eq = strchr(name, '=');
	size_t len = eq ? (size_t)(eq - name) : strlen(name);
	const char *value = NULL;
	size_t o;

	/* Exact names only: getopt's unambiguous prefixes are not taken. */
	for (o = 0; o < sizeof(long_options) / sizeof(long_options[0]); o++)
		if (strlen(long_options[o].name) == len &&
		    strncmp(long_options[o].name, name, len) == 0)
			break;
	if (o == sizeof(long_options) / sizeof(long_options[0]))
		return cli_usage_error(cli, "unknown option \"%.*s\"; try \"dibsctl help\"",
				       (int)(len + 2), arg);

	if (long_options[o].opt == 'b') {
		if (eq)
			value = eq + 1;
		else if (*i + 1 < argc)
			value = argv[++*i];
		if (!value || !value[0])
			return cli_usage_error(cli, "option --batch needs a FILE");
	} else if (eq) {
		return cli_usage_error(cli, "option --%s takes no value",
				       long_options[o].name);
	}
	apply_option(cli, long_options[o].opt, value);
	return EXIT_OK;
}

/* Short options may be grouped (-jd); -b takes the rest or the next word. */
static int parse_short_options(struct cli *cli, int argc, char **argv, int *i)
{
	const char *p;

	for (p = argv[*i] + 1; *p; p++) {
		const char *value = NULL;

		if (*p == 'b') {
			if (p[1])
				value = p + 1;
			else if (*i + 1 < argc)
				value = argv[++*i];
			if (!value || !value[0])
				return cli_usage_error(cli, "option -b needs a FILE");
			apply_option(cli, 'b', value);
			return EXIT_OK;
		}
		if (!strchr("jpdsVh", *p))
			return cli_usage_error(cli, "unknown option \"-%c\"; try \"dibsctl help\"",
					       *p);
		apply_option(cli, *p, NULL);
	}
	return EXIT_OK;
}

/* Options come before the command, as with ip(8); *first is its index. */
int cli_parse_options(struct cli *cli, int argc, char **argv, int *first)
{
	int i, ret;

	for (i = 1; i < argc; i++) {
		const char *arg = argv[i];

		if (arg[0] != '-' || arg[1] == '\0')
			break;
		if (strcmp(arg, "--") == 0) {
			i++;
			break;
		}
		if (arg[1] == '-')
			ret = parse_long_option(cli, argc, argv, &i);
		else
			ret = parse_short_options(cli, argc, argv, &i);
		if (ret)
			return ret;
	}
	*first = i;
	return EXIT_OK;
}

/* Splits @text in place at blanks; a word starting with '#' ends it. */
static int split_words(char *text, int *argc, char ***argv)
{
	char **words = NULL, **grown;
	int n = 0, capacity = 0;
	char *p = text;

	for (;;) {
		p += strspn(p, " \t\r\n\v\f");
		if (!*p || *p == '#')
			break;
		if (n + 1 >= capacity) {
			capacity = capacity ? 2 * capacity : 8;
			grown = reallocarray(words, capacity, sizeof(*words));
			if (!grown) {
				free(words);
				return -ENOMEM;
			}
			words = grown;
		}
		words[n++] = p;
		p += strcspn(p, " \t\r\n\v\f");
		if (*p)
			*p++ = '\0';
	}
	if (words)
		words[n] = NULL;
	*argc = n;
	*argv = words;
	return 0;
}

void batch_free(struct batch_cmd *cmds, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(cmds[i].argv);
		free(cmds[i].text);
	}
	free(cmds);
}

static int read_batch(struct cli *cli, FILE *in, const char *name,
		      struct batch_cmd **cmds, size_t *n_cmds)
{
	struct batch_cmd *list = NULL, *grown;
	size_t n = 0, capacity = 0, size = 0;
	unsigned int line = 0;
	char *text = NULL;
	int err = 0;

	while (getline(&text, &size, in) >= 0) {
		struct batch_cmd c = { .line = ++line };

		err = split_words(text, &c.argc, &c.argv);
		if (err)
			break;
		if (c.argc == 0)
			continue;
		if (n == capacity) {
			capacity = capacity ? 2 * capacity : 16;
			grown = reallocarray(list, capacity, sizeof(*list));
			if (!grown) {
				free(c.argv);
				err = -ENOMEM;
				break;
			}
			list = grown;
		}
		/* The words point into text: it now belongs to the command. */
		c.text = text;
		list[n++] = c;
		text = NULL;
		size = 0;
	}
	if (!err && ferror(in))
		err = errno ? -errno : -EIO;
	free(text);
	if (err) {
		batch_free(list, n);
		fprintf(cli->err, "dibsctl: %s: %s\n", name, strerror(-err));
		return EXIT_FAILED;
	}
	*cmds = list;
	*n_cmds = n;
	return EXIT_OK;
}

/*
 * Reads @file ("-": stdin) and parses every line of it; on success the
 * commands are in *@cmds and cli->where_file names the file (the caller
 * sets where_line per command and clears where_file).  Nothing runs.
 */
int batch_load(struct cli *cli, const char *file, struct batch_cmd **cmds,
	       size_t *n_cmds)
{
	bool use_stdin = strcmp(file, "-") == 0;
	const char *name = use_stdin ? "<stdin>" : file;
	struct batch_cmd *list = NULL;
	size_t n = 0, i;
	FILE *in;
	int ret;

	in = use_stdin ? stdin : fopen(file, "re");
	if (!in) {
		fprintf(cli->err, "dibsctl: %s: %s\n", file, strerror(errno));
		return EXIT_FAILED;
	}
	ret = read_batch(cli, in, name, &list, &n);
	if (!use_stdin)
		fclose(in);
	if (ret)
		return ret;

	cli->where_file = name;
	for (i = 0; i < n && !ret; i++) {
		cli->where_line = list[i].line;
		ret = cli_parse_command(cli, list[i].argc, list[i].argv,
					&list[i].cmd);
	}
	if (ret) {
		cli->where_file = NULL;
		batch_free(list, n);
		return ret;
	}
	*cmds = list;
	*n_cmds = n;
	return EXIT_OK;
}

/*
 * Every line is parsed before the first one runs, so a usage error
 * anywhere changes nothing.  Running stops at the first failure.
 */
int cli_run_batch(struct cli *cli, const char *file)
{
	struct batch_cmd *cmds = NULL;
	size_t n = 0, i;
	int ret;

	ret = batch_load(cli, file, &cmds, &n);
	if (ret)
		return ret;
	for (i = 0; i < n && !ret; i++) {
		cli->where_line = cmds[i].line;
		ret = cli_run_command(cli, &cmds[i].cmd);
	}
	cli->where_file = NULL;
	batch_free(cmds, n);
	return ret;
}

int cli_main(struct cli *cli, int argc, char **argv)
{
	struct cmd cmd;
	int first, ret;

	ret = cli_parse_options(cli, argc, argv, &first);
	if (ret)
		return ret;

	if (cli->show_help) {
		cli_print_usage(cli->out);
		ret = EXIT_OK;
	} else if (cli->show_version) {
		fprintf(cli->out, "dibsctl %s\n", DIBSCTL_VERSION);
		ret = EXIT_OK;
	} else if (cli->batch_file) {
		if (first < argc)
			return cli_usage_error(cli,
					       "-b FILE takes no command on the command line, got \"%s\"",
					       argv[first]);
		ret = cli_run_batch(cli, cli->batch_file);
	} else {
		ret = cli_parse_command(cli, argc - first, argv + first, &cmd);
		if (!ret)
			ret = cli_run_command(cli, &cmd);
	}

	if (cli_finish_output(cli) && !ret)
		ret = EXIT_FAILED;
	return ret;
}
