// SPDX-License-Identifier: GPL-2.0-only
/*
 * Writes what dibsctl's JSON printers produce for a few devices into
 * DIR, one file per sample, for schema-test.py to validate:
 * show-*.json hold "show -j" output (arrays), add-*.json "add -j"
 * output (one object).
 *
 * usage: json-samples DIR
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "unit-util.h"

static int write_sample(const char *dir, const char *name, const char *text)
{
	char path[4096];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "w");
	if (!f || fputs(text, f) < 0 || fclose(f) != 0) {
		fprintf(stderr, "json-samples: cannot write %s\n", path);
		return 1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	static const struct print_opts json = { .format = OUTPUT_JSON };
	static const struct print_opts pretty = { .format = OUTPUT_JSON_PRETTY };
	struct dibsctl_dev *devs[3];
	struct dibsctl *ctx = NULL;
	char *root, *text[8] = { 0 };
	struct fake_dev f;
	int ret = 0;
	size_t i;

	if (argc != 2) {
		fprintf(stderr, "usage: json-samples DIR\n");
		return 2;
	}

	fake_dev_lo(&f);
	if (fake_dev_new(&f, &devs[0]))
		return 1;
	f.index = 9;
	f.name = "lo7";
	f.dmbs_in_use = 4999;
	f.mmapped_rdmb = false;
	if (fake_dev_new(&f, &devs[1]))
		return 1;

	/* A device as the sysfs fallback reads it. */
	root = fake_sysfs_new();
	if (!root ||
	    fake_sysfs_add(root, "lo", "6f1c2f1e-9d3a-4b55-8c1a-0e2f3a4b5c6d\n",
			   "0xffff\n") ||
	    fake_sysfs_context(root, &ctx) ||
	    dibsctl_dev_new_from_name(ctx, "lo", &devs[2])) {
		fprintf(stderr, "json-samples: fake sysfs failed\n");
		return 1;
	}

	text[0] = print_list_to_string(&json, devs, 1);
	text[1] = print_list_to_string(&json, devs, 2);
	text[2] = print_list_to_string(&json, devs, 0);
	text[3] = print_list_to_string(&pretty, devs, 2);
	text[4] = print_list_to_string(&json, &devs[2], 1);
	text[5] = print_to_string(print_dev_object, &json, devs[0]);
	text[6] = print_to_string(print_dev_object, &pretty, devs[1]);
	text[7] = print_to_string(print_dev_object, &json, devs[2]);
	for (i = 0; i < 8; i++)
		if (!text[i])
			return 1;

	ret |= write_sample(argv[1], "show-one.json", text[0]);
	ret |= write_sample(argv[1], "show-two.json", text[1]);
	ret |= write_sample(argv[1], "show-empty.json", text[2]);
	ret |= write_sample(argv[1], "show-pretty.json", text[3]);
	ret |= write_sample(argv[1], "show-sysfs.json", text[4]);
	ret |= write_sample(argv[1], "add-one.json", text[5]);
	ret |= write_sample(argv[1], "add-pretty.json", text[6]);
	ret |= write_sample(argv[1], "add-sysfs.json", text[7]);

	for (i = 0; i < 8; i++)
		free(text[i]);
	for (i = 0; i < 3; i++)
		dibsctl_dev_unref(devs[i]);
	dibsctl_unref(ctx);
	fake_sysfs_remove(root);
	return ret;
}
