/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Helpers for the host unit tests: run dibsctl's entry point with its
 * output captured, and build devices from hand-made netlink replies.
 */
#ifndef UNIT_UTIL_H
#define UNIT_UTIL_H

#include <stdbool.h>
#include <stdint.h>

#include "dibsctl.h"

struct captured {
	int status;
	char *out;
	char *err;
};

/* Runs "dibsctl ARGS..." (NULL-terminated) through cli_main(). */
int run_dibsctl(struct captured *cap, const char *const *args);
void captured_free(struct captured *cap);

/* A parsed, not run, command line; the command points into argv. */
struct parsed {
	struct cli cli;
	struct cmd cmd;
	char **argv;
	char *err;
};

/*
 * Parses "dibsctl ARGS..." into @p (zeroed first, or holding an earlier
 * parse, which is freed); returns the exit code of the parse.
 */
int parse_dibsctl(struct parsed *p, const char *const *args);
void parsed_free(struct parsed *p);

/* What a fake dev-get reply carries; unset fields are left out. */
struct fake_dev {
	bool has_index, has_type, has_gid, has_fabric_id, has_max_dmbs,
	     has_dmbs_in_use, mmapped_rdmb;
	uint32_t index, type, max_dmbs, dmbs_in_use;
	uint16_t fabric_id;
	const char *name;
	uint8_t gid[DIBSCTL_GID_LEN];
};

/* The loopback "lo" as our module reports it over netlink. */
void fake_dev_lo(struct fake_dev *f);
int fake_dev_new(const struct fake_dev *f, struct dibsctl_dev **dev);

/* Output of a printer into a string (caller frees). */
char *print_to_string(int (*print)(const struct print_opts *, FILE *,
				   const struct dibsctl_dev *),
		      const struct print_opts *opts,
		      const struct dibsctl_dev *dev);
char *print_list_to_string(const struct print_opts *opts,
			   struct dibsctl_dev *const *devs, size_t count);

/*
 * A fake /sys/class/dibs in a temporary directory: entries with gid and
 * fabric_id files holding the given text (NULL: no such file).
 */
char *fake_sysfs_new(void);
int fake_sysfs_add(const char *root, const char *name, const char *gid,
		   const char *fabric_id);
void fake_sysfs_remove(char *root);
/* A context reading @root through the sysfs fallback. */
int fake_sysfs_context(const char *root, struct dibsctl **ctx);

#endif /* UNIT_UTIL_H */
