// SPDX-License-Identifier: GPL-2.0-only
/*
 * dibsctl [OPTIONS] OBJECT [VERB [ARGS...]]: options, dispatch through
 * the object and verb tables, batch files and error reporting.
 */
#include <errno.h>
#include <getopt.h>
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

/* The long options of getopt_long(3); see exact_long_option(). */
static const struct option long_options[] = {
	{ "json", no_argument, NULL, 'j' },
	{ "pretty", no_argument, NULL, 'p' },
	{ "details", no_argument, NULL, 'd' },
	{ "stats", no_argument, NULL, 's' },
	{ "batch", required_argument, NULL, 'b' },
	{ "version", no_argument, NULL, 'V' },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

/*
 * "+": options stop at the first word that is none (the command); ":":
 * no messages from getopt itself, a missing FILE is told apart.
 */
static const char short_options[] = "+:jpdsb:Vh";

static void apply_option(struct cli *cli, int opt, const char *value)
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

/*
 * The long option that @arg ("--name" or "--name=value") spells out in
 * full, or NULL.  getopt_long also takes unambiguous prefixes ("--jso");
 * dibsctl does not, so that a later option cannot change what an old
 * abbreviation in a script means.
 */
static const struct option *exact_long_option(const char *arg)
{
	const char *name = arg + 2;
	size_t len = strcspn(name, "=");
	const struct option *o;

	for (o = long_options; o->name; o++)
		if (strlen(o->name) == len && strncmp(o->name, name, len) == 0)
			return o;
	return NULL;
}

/*
 * Options come before the command, as with ip(8); *first is its index.
 * Short options may be grouped (-jd), -b takes the rest of its word or
 * the next word, "--" ends the options.  No state is kept from an
 * earlier call: getopt starts over (optind = 0), and argv is not
 * reordered.
 */
int cli_parse_options(struct cli *cli, int argc, char **argv, int *first)
{
	int opt;

	optind = 0;
	opterr = 0;
	for (;;) {
		/* The word getopt is in: where a long option is spelled. */
		int at = optind ? optind : 1;
		const char *word = at < argc ? argv[at] : "";
		bool is_long = strncmp(word, "--", 2) == 0;

		opt = getopt_long(argc, argv, short_options, long_options, NULL);
		if (opt == -1)
			break;
		if (is_long) {
			const struct option *o = exact_long_option(word);

			if (!o)
				return cli_usage_error(cli, "unknown option \"%.*s\"; try \"dibsctl help\"",
						       (int)(2 + strcspn(word + 2, "=")), word);
			if (opt == '?')
				return cli_usage_error(cli, "option --%s takes no value",
						       o->name);
		}
		if (opt == '?')
			return cli_usage_error(cli, "unknown option \"-%c\"; try \"dibsctl help\"",
					       optopt);
		if (opt == ':' || (opt == 'b' && !optarg[0]))
			return cli_usage_error(cli, "option %s needs a FILE",
					       is_long ? "--batch" : "-b");
		apply_option(cli, opt, optarg);
	}
	*first = optind;
	return EXIT_OK;
}

static bool is_blank(char c)
{
	return c && strchr(" \t\r\n\v\f", c);
}

/*
 * Splits the line @text of @len bytes (and a '\0' after them) into words
 * in place, quoted as in a shell without its expansions:
 *  - blanks separate words; a '#' that starts a word starts a comment;
 *  - '...' keeps everything up to the next ' as it is;
 *  - "..." too, except that \" and \\ stand for " and \;
 *  - elsewhere a backslash keeps the character after it as it is;
 *  - quoted and unquoted parts next to each other make one word, and
 *    '' or "" alone an empty word.
 * A quote ends on its line.  Returns 0, -ENOMEM, or -EINVAL with *@why
 * saying what is wrong with the line.
 */
int batch_split_line(char *text, size_t len, int *argc, char ***argv,
		     const char **why)
{
	char *in = text, *end = text + len, *out;
	char **words = NULL, **grown;
	int n = 0, capacity = 0;

	for (;;) {
		while (in < end && is_blank(*in))
			in++;
		if (in == end || *in == '#')
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
		/* Unquoting only shortens: the word is written over itself. */
		words[n++] = out = in;
		while (in < end && !is_blank(*in)) {
			char c = *in++;

			if (c == '\'') {
				while (in < end && *in != '\'')
					*out++ = *in++;
				if (in == end) {
					*why = "unterminated ' quote";
					goto err;
				}
				in++;
			} else if (c == '"') {
				while (in < end && *in != '"') {
					if (*in == '\\' && in + 1 < end &&
					    (in[1] == '"' || in[1] == '\\'))
						in++;
					*out++ = *in++;
				}
				if (in == end) {
					*why = "unterminated \" quote";
					goto err;
				}
				in++;
			} else if (c == '\\') {
				if (in == end || *in == '\n') {
					*why = "a backslash ends the line";
					goto err;
				}
				*out++ = *in++;
			} else if (c == '\0') {
				*why = "a NUL byte in the line";
				goto err;
			} else {
				*out++ = c;
			}
		}
		if (in < end)
			in++;
		*out = '\0';
	}
	if (words)
		words[n] = NULL;
	*argc = n;
	*argv = words;
	return 0;

err:
	free(words);
	return -EINVAL;
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

/*
 * Reads every line of @in (named @name in messages) and parses it; on
 * success the commands are in *@cmds and cli->where_file is @name (the
 * caller sets where_line per command and clears where_file).  Nothing
 * runs and nothing but @in is read: the fuzzer calls this too.
 */
int batch_parse(struct cli *cli, FILE *in, const char *name,
		struct batch_cmd **cmds, size_t *n_cmds)
{
	struct batch_cmd *list = NULL, *grown;
	size_t n = 0, capacity = 0, size = 0, i;
	const char *why = NULL;
	unsigned int line = 0;
	char *text = NULL;
	ssize_t len;
	int err = 0, ret;

	errno = 0;
	while ((len = getline(&text, &size, in)) >= 0) {
		struct batch_cmd c = { .line = ++line };

		err = batch_split_line(text, (size_t)len, &c.argc, &c.argv, &why);
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
	if (err == -EINVAL) {
		batch_free(list, n);
		cli->where_file = name;
		cli->where_line = line;
		ret = cli_usage_error(cli, "%s", why);
		cli->where_file = NULL;
		return ret;
	}
	if (err) {
		batch_free(list, n);
		fprintf(cli->err, "dibsctl: %s: %s\n", name, strerror(-err));
		return EXIT_FAILED;
	}

	cli->where_file = name;
	for (i = 0, ret = EXIT_OK; i < n && !ret; i++) {
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

/* batch_parse() of @file, or of stdin when it is "-". */
int batch_load(struct cli *cli, const char *file, struct batch_cmd **cmds,
	       size_t *n_cmds)
{
	bool use_stdin = strcmp(file, "-") == 0;
	FILE *in;
	int ret;

	in = use_stdin ? stdin : fopen(file, "re");
	if (!in) {
		fprintf(cli->err, "dibsctl: %s: %s\n", file, strerror(errno));
		return EXIT_FAILED;
	}
	ret = batch_parse(cli, in, use_stdin ? "<stdin>" : file, cmds, n_cmds);
	if (!use_stdin)
		fclose(in);
	return ret;
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
