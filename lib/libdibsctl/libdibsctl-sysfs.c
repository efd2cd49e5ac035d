// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Read-only fallback for kernels with upstream's own dibs layer (6.18+),
 * which has no netlink family: devices are the entries of
 * /sys/class/dibs, each with the attributes gid ("%pUb") and fabric_id
 * ("0x%04x").  Only what upstream exposes is read, so the fallback
 * behaves the same against upstream and against our module.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "libdibsctl-private.h"

/* Reads one attribute file without its trailing newline. */
static int dibsctl_sysfs_read(const char *path, char *buf, size_t size)
{
	ssize_t len;
	int fd, err;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	len = read(fd, buf, size - 1);
	err = len < 0 ? -errno : 0;
	close(fd);
	if (err)
		return err;
	if (len > 0 && buf[len - 1] == '\n')
		len--;
	buf[len] = '\0';
	return 0;
}

/* "0x" and one to four hex digits; upstream prints "0x%04x". */
static int dibsctl_parse_fabric_id(const char *text, uint16_t *fabric_id)
{
	size_t digits;

	if (strncmp(text, "0x", 2) != 0)
		return -EINVAL;
	digits = strspn(text + 2, "0123456789abcdefABCDEF");
	if (digits == 0 || digits > 4 || text[2 + digits] != '\0')
		return -EINVAL;
	*fabric_id = (uint16_t)strtoul(text + 2, NULL, 16);
	return 0;
}

enum dibsctl_sysfs_attr {
	DIBSCTL_SYSFS_GID,
	DIBSCTL_SYSFS_FABRIC_ID,
};

static const struct {
	const char *file;
	enum dibsctl_sysfs_attr attr;
} dibsctl_sysfs_attrs[] = {
	{ "gid", DIBSCTL_SYSFS_GID },
	{ "fabric_id", DIBSCTL_SYSFS_FABRIC_ID },
};

static int dibsctl_sysfs_read_dev(struct dibsctl *ctx, const char *name,
				  struct dibsctl_dev **dev)
{
	struct dibsctl_dev *d;
	char path[PATH_MAX];
	char text[64];
	struct stat st;
	size_t i;
	int err;

	if (!dibsctl_dev_name_fits(name))
		return dibsctl_fail(ctx, -ENAMETOOLONG,
				    "device name %s in %s is longer than %d bytes",
				    name, ctx->sysfs_dir, DIBS_DEV_NAME_MAX_LEN);
	if (strchr(name, '/') || strcmp(name, ".") == 0 ||
	    strcmp(name, "..") == 0)
		return dibsctl_fail(ctx, -ENODEV, "no dibs device %s", name);

	snprintf(path, sizeof(path), "%s/%s", ctx->sysfs_dir, name);
	if (stat(path, &st) < 0 || !S_ISDIR(st.st_mode))
		return dibsctl_fail(ctx, -ENODEV, "no dibs device %s", name);

	d = dibsctl_dev_alloc();
	if (!d)
		return -ENOMEM;
	strcpy(d->name, name);
	d->present |= DIBSCTL_HAS(DIBS_A_DEV_NAME);

	for (i = 0; i < sizeof(dibsctl_sysfs_attrs) / sizeof(dibsctl_sysfs_attrs[0]); i++) {
		snprintf(path, sizeof(path), "%s/%s/%s", ctx->sysfs_dir, name,
			 dibsctl_sysfs_attrs[i].file);
		err = dibsctl_sysfs_read(path, text, sizeof(text));
		if (err == -ENOENT)
			continue;
		if (err) {
			dibsctl_fail(ctx, err, "cannot read %s", path);
			goto err_unref_dev;
		}
		switch (dibsctl_sysfs_attrs[i].attr) {
		case DIBSCTL_SYSFS_GID:
			err = dibsctl_gid_parse(text, d->gid);
			d->present |= DIBSCTL_HAS(DIBS_A_DEV_GID);
			break;
		case DIBSCTL_SYSFS_FABRIC_ID:
			err = dibsctl_parse_fabric_id(text, &d->fabric_id);
			d->present |= DIBSCTL_HAS(DIBS_A_DEV_FABRIC_ID);
			break;
		}
		if (err) {
			err = dibsctl_fail(ctx, -EBADMSG,
					   "malformed %s: \"%s\"", path, text);
			goto err_unref_dev;
		}
	}

	*dev = d;
	return 0;

err_unref_dev:
	dibsctl_dev_unref(d);
	return err;
}

static int dibsctl_sysfs_entry(const struct dirent *entry)
{
	return entry->d_name[0] != '.';
}

/* Devices sorted by name: sysfs has no other stable order. */
int dibsctl_sysfs_list(struct dibsctl *ctx, struct dibsctl_dev_list *list)
{
	struct dirent **entries;
	int count, i, err = 0;

	count = scandir(ctx->sysfs_dir, &entries, dibsctl_sysfs_entry,
			alphasort);
	if (count < 0)
		return dibsctl_fail(ctx, -errno, "cannot read %s",
				    ctx->sysfs_dir);

	for (i = 0; i < count; i++) {
		struct dibsctl_dev *dev;

		if (!err) {
			err = dibsctl_sysfs_read_dev(ctx, entries[i]->d_name,
						     &dev);
			if (!err) {
				err = dibsctl_dev_list_append(list, dev);
				dibsctl_dev_unref(dev);
			}
		}
		free(entries[i]);
	}
	free(entries);
	return err;
}

int dibsctl_sysfs_get(struct dibsctl *ctx, const char *name,
		      struct dibsctl_dev **dev)
{
	return dibsctl_sysfs_read_dev(ctx, name, dev);
}
