/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * dibsctl internals, shared by the tool and its host unit tests: the
 * command tables, argument parsing and the printers.
 */
#ifndef DIBSCTL_H
#define DIBSCTL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <json-c/json.h>

#include <libdibsctl.h>

#define EXIT_OK		0
#define EXIT_FAILED	1
#define EXIT_USAGE	2

enum output_format {
	OUTPUT_PLAIN,
	OUTPUT_JSON,
	OUTPUT_JSON_PRETTY,
};

struct print_opts {
	enum output_format format;
	bool details;
	/* -s: device counters with dev show. */
	bool stats;
};

/* State of one dibsctl invocation; nothing of it is global. */
struct cli {
	FILE *out;
	FILE *err;
	struct print_opts print;
	const char *batch_file;
	bool show_help;
	bool show_version;
	/* Where the current command came from, for messages in batch mode. */
	const char *where_file;
	unsigned int where_line;
	/* Opened by the first command that talks to the kernel. */
	struct dibsctl *ctx;
};

/* Optional values, with whether they were given. */
struct opt_u32 {
	bool set;
	uint32_t value;
};

struct opt_gid {
	bool set;
	uint8_t bytes[DIBSCTL_GID_LEN];
};

/* Arguments of the dev verbs, filled by their parsers. */
struct dev_args {
	const char *dev;
	const char *name;
	struct opt_u32 type;
	struct opt_gid gid;
	bool force;
};

/* Arguments of the client, dmb, gid, vlan, stats and monitor verbs. */
struct obj_args {
	const char *file;	/* config: the configuration file */
	const char *client;	/* CLIENT: a name, or an id */
	const char *dev;	/* DEV: a name, or an index */
	struct opt_gid gid;
	struct opt_u32 vlan;
	bool force;
	/* monitor: DIBSCTL_MONITOR_* groups and which events to print */
	unsigned int groups;
	unsigned int events;	/* bit per enum dibsctl_event_type */
	struct opt_u32 rcvbuf;	/* monitor: socket receive buffer, bytes */
};

/* What gid check found, for its printer. */
struct gid_check_result {
	const char *dev;
	uint8_t gid[DIBSCTL_GID_LEN];
	int vlan_id;		/* DIBSCTL_NO_VLAN: none given */
	bool reachable;
};

struct cmd;

/*
 * One verb: parse checks the words after it and fills a struct cmd
 * (returning EXIT_OK or EXIT_USAGE, nothing is run); run carries it out.
 */
struct cmd_verb {
	const char *name;
	const char *synopsis;
	int (*parse)(struct cli *cli, const struct cmd_verb *verb, int argc,
		     char **argv, struct cmd *cmd);
	int (*run)(struct cli *cli, const struct cmd *cmd);
};

struct cmd_object {
	const char *name;
	const struct cmd_verb *verbs;
	size_t n_verbs;
	/* The verb for "dibsctl OBJECT" alone. */
	const char *default_verb;
};

struct cmd {
	const struct cmd_object *object;
	const struct cmd_verb *verb;
	struct dev_args dev;
	struct obj_args obj;
};

/*
 * Keyword arguments declared as data: "keyword VALUE", or a bare
 * "keyword" when parse is NULL (a flag: the bool at offset is set).
 */
struct arg_spec {
	const char *keyword;
	int (*parse)(struct cli *cli, const char *keyword, const char *value,
		     void *dest);
	size_t offset;
};

/* One line of a batch or configuration file, parsed. */
struct batch_cmd {
	unsigned int line;
	int argc;
	char **argv;
	char *text;
	struct cmd cmd;
};

/* dibsctl.c */
int batch_load(struct cli *cli, const char *file, struct batch_cmd **cmds,
	       size_t *n_cmds);
void batch_free(struct batch_cmd *cmds, size_t n);
int batch_parse(struct cli *cli, FILE *in, const char *name,
		struct batch_cmd **cmds, size_t *n_cmds);
int batch_split_line(char *text, size_t len, int *argc, char ***argv,
		     const char **why);
int cli_main(struct cli *cli, int argc, char **argv);
int cli_parse_options(struct cli *cli, int argc, char **argv, int *first);
int cli_parse_command(struct cli *cli, int argc, char **argv,
		      struct cmd *cmd);
int cli_run_command(struct cli *cli, const struct cmd *cmd);
int cli_run_batch(struct cli *cli, const char *file);
void cli_init(struct cli *cli, FILE *out, FILE *err);
void cli_release(struct cli *cli);
int cli_context(struct cli *cli, struct dibsctl **ctx);
__attribute__((format(printf, 2, 3)))
int cli_usage_error(struct cli *cli, const char *fmt, ...);
__attribute__((format(printf, 3, 4)))
int cli_op_error(struct cli *cli, int err, const char *what, ...);
int cli_finish_output(struct cli *cli);
void cli_print_usage(FILE *out);

/* args.c */
int parse_keywords(struct cli *cli, const char *where,
		   const struct arg_spec *specs, size_t n_specs,
		   int argc, char **argv, void *dest);
int parse_dev_type(struct cli *cli, const char *keyword, const char *value,
		   void *dest);
int parse_new_dev_name(struct cli *cli, const char *keyword,
		       const char *value, void *dest);
int parse_gid(struct cli *cli, const char *keyword, const char *value,
	      void *dest);
int parse_dev_arg(struct cli *cli, const char *keyword, const char *value,
		  void *dest);
int parse_client_arg(struct cli *cli, const char *keyword, const char *value,
		     void *dest);
int parse_vlan_id(struct cli *cli, const char *keyword, const char *value,
		  void *dest);
bool dev_name_is_valid(const char *name);
bool parse_dev_index(const char *text, uint32_t *index);
bool parse_client_id(const char *text, uint32_t *id);
const char *cmd_where(const struct cmd *cmd, char *buf, size_t size);
int check_dev_arg(struct cli *cli, const char *where, const char *dev);
int parse_no_args(struct cli *cli, const struct cmd_verb *verb, int argc,
		  char **argv, struct cmd *cmd);
/* Names of DEV and CLIENT arguments that may be an index or an id. */
int resolve_dev(struct dibsctl *ctx, const char *dev, char **name);
int resolve_client(struct dibsctl *ctx, const char *client, char **name);
void print_object_usage(FILE *out, const struct cmd_object *obj);

/* client.c, dmb.c, gid.c, vlan.c, stats.c, monitor.c */
extern const struct cmd_object client_object;
extern const struct cmd_object dmb_object;
extern const struct cmd_object gid_object;
extern const struct cmd_object vlan_object;
extern const struct cmd_object stats_object;
extern const struct cmd_object monitor_object;

/* config.c */
extern const struct cmd_object config_object;
int config_check_declaration(struct cli *cli, const struct cmd *cmd);

/* dev.c */
extern const struct cmd_object dev_object;
extern const struct cmd_verb dev_shortcut_verbs[];
extern const size_t dev_shortcut_verbs_count;
void dev_print_usage(FILE *out);

/* print.c */

/*
 * A "show" list printed as its objects arrive: a plain line (or two)
 * per object, or a JSON array written element by element, each element
 * exactly as json-c prints it inside an array.
 */
enum list_kind {
	LIST_DEV,
	LIST_CLIENT,
	LIST_DMB,
	LIST_GID,
	LIST_VLAN,
	LIST_STATS,
};

#define LIST_PRINT_FIELDS	32

struct list_print {
	const struct print_opts *opts;
	FILE *out;
	enum list_kind kind;
	size_t count;		/* objects printed */
	/*
	 * JSON: the last element, reused while the objects have the same
	 * fields: which (a bit per field of the printer) and their values.
	 */
	json_object *json;
	uint32_t fields;
	json_object *values[LIST_PRINT_FIELDS];
};

void list_print_init(struct list_print *lp, const struct print_opts *opts,
		     FILE *out, enum list_kind kind);
/* @stats: counters printed with the object (dev show -s), or NULL. */
int list_print_add(struct list_print *lp, const void *obj,
		   const struct dibsctl_stats *stats);
/* Closes the list, also after a failure @err (which it returns). */
int list_print_end(struct list_print *lp, int err);

json_object *dev_to_json(const struct dibsctl_dev *dev);
int print_dev_plain(const struct print_opts *opts, FILE *out,
		    const struct dibsctl_dev *dev);
int print_dev_list(const struct print_opts *opts, FILE *out,
		   struct dibsctl_dev *const *devs, size_t count);
int print_dev_object(const struct print_opts *opts, FILE *out,
		     const struct dibsctl_dev *dev);
int print_dev_list_stats(const struct print_opts *opts, FILE *out,
			 struct dibsctl_dev *const *devs,
			 struct dibsctl_stats *const *stats, size_t count);
int print_client_list(const struct print_opts *opts, FILE *out,
		      struct dibsctl_client *const *clients, size_t count);
int print_dmb_list(const struct print_opts *opts, FILE *out,
		   struct dibsctl_dmb *const *dmbs, size_t count);
int print_gid_list(const struct print_opts *opts, FILE *out,
		   struct dibsctl_gid *const *gids, size_t count);
int print_gid_check(const struct print_opts *opts, FILE *out,
		    const struct gid_check_result *result);
int print_vlan_list(const struct print_opts *opts, FILE *out,
		    struct dibsctl_vlan *const *vlans, size_t count);
int print_stats_list(const struct print_opts *opts, FILE *out,
		     struct dibsctl_stats *const *stats, size_t count);
int print_event(const struct print_opts *opts, FILE *out,
		const struct dibsctl_event *event);

/* prometheus.c */
int print_stats_prometheus(FILE *out, struct dibsctl_stats *const *stats,
			   size_t count);
void prom_print_label_value(FILE *out, const char *value);

#endif /* DIBSCTL_H */
