// SPDX-License-Identifier: GPL-2.0-only
/*
 * Writes what dibsctl's JSON printers produce for a few devices into
 * DIR, one file per sample, for schema-test.py to validate:
 * show-*.json hold "show -j" output (arrays), add-*.json "add -j"
 * output (one object).  The other objects' samples are named
 * SCHEMA.DEF.N.json, for docs/dibsctl-SCHEMA.schema.json #/$defs/DEF
 * (objects-schema-test.py).
 *
 * usage: json-samples DIR
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fake-objects.h"
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

/* Writes @text (freed) as @name; NULL (a printer failed) is an error. */
static int write_text(const char *dir, const char *name, char *text)
{
	int ret;

	if (!text) {
		fprintf(stderr, "json-samples: printing %s failed\n", name);
		return 1;
	}
	ret = write_sample(dir, name, text);
	free(text);
	return ret;
}

/* The objects of LIBDIBSCTL_3, in every shape dibsctl prints them. */
static int write_object_samples(const char *dir)
{
	static const struct print_opts json = { .format = OUTPUT_JSON };
	static const struct print_opts pretty = { .format = OUTPUT_JSON_PRETTY };
	struct dibsctl_client *clients[2] = { fake_client(), fake_client_unbound() };
	struct dibsctl_dmb *dmbs[3] = { fake_dmb(true, true, true),
					fake_dmb(false, false, false),
					fake_dmb(false, true, false) };
	struct dibsctl_gid *gids[2] = { fake_gid_local(), fake_gid_peer() };
	struct dibsctl_vlan *vlans[2] = { fake_vlan(false), fake_vlan(true) };
	struct dibsctl_stats *stats[2] = { fake_stats_dev(), fake_stats_client() };
	struct dibsctl_dev *dev = fake_dev_with_clients();
	struct gid_check_result check = { .dev = "lo", .vlan_id = DIBSCTL_NO_VLAN,
					  .reachable = true };
	char *text = NULL, name[64];
	int ret = 0, type;
	size_t i;

	memcpy(check.gid, fake_rgid, sizeof(check.gid));
	CAPTURE(text, print_client_list(&json, out, clients, 2));
	ret |= write_text(dir, "client.client-list.1.json", text);
	CAPTURE(text, print_client_list(&pretty, out, clients, 1));
	ret |= write_text(dir, "client.client-list.2.json", text);
	CAPTURE(text, print_client_list(&json, out, clients, 0));
	ret |= write_text(dir, "client.client-list.3.json", text);
	CAPTURE(text, print_dmb_list(&json, out, dmbs, 3));
	ret |= write_text(dir, "dmb.dmb-list.1.json", text);
	CAPTURE(text, print_dmb_list(&pretty, out, dmbs + 1, 1));
	ret |= write_text(dir, "dmb.dmb-list.2.json", text);
	CAPTURE(text, print_gid_list(&json, out, gids, 2));
	ret |= write_text(dir, "gid.gid-list.1.json", text);
	CAPTURE(text, print_gid_check(&json, out, &check));
	ret |= write_text(dir, "gid.gid-check.1.json", text);
	check.vlan_id = 4095;
	check.reachable = false;
	CAPTURE(text, print_gid_check(&pretty, out, &check));
	ret |= write_text(dir, "gid.gid-check.2.json", text);
	CAPTURE(text, print_vlan_list(&json, out, vlans, 2));
	ret |= write_text(dir, "vlan.vlan-list.1.json", text);
	CAPTURE(text, print_stats_list(&json, out, stats, 2));
	ret |= write_text(dir, "stats.stats-list.1.json", text);
	CAPTURE(text, print_stats_list(&pretty, out, stats + 1, 1));
	ret |= write_text(dir, "stats.stats-list.2.json", text);
	/* dev show -s and -d: the device schema with counters and clients. */
	CAPTURE(text, print_dev_list_stats(&json, out, &dev, stats, 1));
	ret |= write_text(dir, "dev.dev-list.1.json", text);
	CAPTURE(text, print_dev_list(&json, out, &dev, 1));
	ret |= write_text(dir, "dev.dev-list.2.json", text);
	for (type = DIBSCTL_EVENT_DEV_NEW; type <= DIBSCTL_EVENT_DMB_DEL; type++) {
		struct dibsctl_event *event = fake_event(type);

		CAPTURE(text, print_event(&json, out, event));
		snprintf(name, sizeof(name), "monitor.event.%d.json", type);
		ret |= write_text(dir, name, text);
		dibsctl_event_unref(event);
	}

	for (i = 0; i < 2; i++) {
		dibsctl_client_unref(clients[i]);
		dibsctl_gid_unref(gids[i]);
		dibsctl_vlan_unref(vlans[i]);
		dibsctl_stats_unref(stats[i]);
	}
	for (i = 0; i < 3; i++)
		dibsctl_dmb_unref(dmbs[i]);
	dibsctl_dev_unref(dev);
	return ret;
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

	ret |= write_object_samples(argv[1]);

	for (i = 0; i < 8; i++)
		free(text[i]);
	for (i = 0; i < 3; i++)
		dibsctl_dev_unref(devs[i]);
	dibsctl_unref(ctx);
	fake_sysfs_remove(root);
	return ret;
}
