// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The library context: reference counting, and choosing where devices
 * are read from (the "dibs" netlink family, or upstream's sysfs).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <netlink/socket.h>

#include "libdibsctl-private.h"

DIBSCTL_EXPORT int dibsctl_new(struct dibsctl **ctx)
{
	struct dibsctl *c;

	if (!ctx)
		return -EINVAL;
	c = calloc(1, sizeof(*c));
	if (!c)
		return -ENOMEM;
	c->sysfs_dir = strdup(DIBSCTL_SYSFS_CLASS_DIR);
	if (!c->sysfs_dir) {
		free(c);
		return -ENOMEM;
	}
	c->refcount = 1;
	*ctx = c;
	return 0;
}

DIBSCTL_EXPORT struct dibsctl *dibsctl_ref(struct dibsctl *ctx)
{
	if (ctx)
		ctx->refcount++;
	return ctx;
}

DIBSCTL_EXPORT struct dibsctl *dibsctl_unref(struct dibsctl *ctx)
{
	if (!ctx)
		return NULL;
	if (--ctx->refcount > 0)
		return ctx;
	dibsctl_close_socket(ctx);
	dibsctl_clear_error(ctx);
	free(ctx->sysfs_dir);
	free(ctx);
	return NULL;
}

void dibsctl_close_socket(struct dibsctl *ctx)
{
	nl_socket_free(ctx->sock);
	ctx->sock = NULL;
}

/* Lets the unit tests point the sysfs fallback at a fake tree. */
void dibsctl_set_sysfs_dir(struct dibsctl *ctx, const char *dir)
{
	char *copy = strdup(dir);

	if (!copy)
		return;
	free(ctx->sysfs_dir);
	ctx->sysfs_dir = copy;
}

static bool dibsctl_sysfs_present(const struct dibsctl *ctx)
{
	struct stat st;

	return stat(ctx->sysfs_dir, &st) == 0 && S_ISDIR(st.st_mode);
}

/*
 * Decides, on first use, between netlink and the read-only sysfs
 * fallback.  Nothing is remembered after a failure, so a module loaded
 * later is found by the next call.
 */
int dibsctl_pick_source(struct dibsctl *ctx)
{
	const char *force = secure_getenv("DIBSCTL_SYSFS");
	int err;

	if (ctx->source)
		return 0;

	if (force && strcmp(force, "1") == 0) {
		if (!dibsctl_sysfs_present(ctx))
			return dibsctl_fail(ctx, -ENODEV,
					    "dibs module not loaded: DIBSCTL_SYSFS=1 but %s does not exist",
					    ctx->sysfs_dir);
		ctx->source = DIBSCTL_SOURCE_SYSFS;
		ctx->sysfs_forced = true;
		return 0;
	}

	err = dibsctl_nl_open(ctx);
	if (!err) {
		ctx->source = DIBSCTL_SOURCE_NETLINK;
		return 0;
	}
	if (err != -ENOENT)
		return err;

	if (dibsctl_sysfs_present(ctx)) {
		dibsctl_clear_error(ctx);
		ctx->source = DIBSCTL_SOURCE_SYSFS;
		return 0;
	}
	return dibsctl_fail(ctx, -ENODEV,
			    "dibs module not loaded: no \"%s\" generic netlink family and no %s",
			    DIBS_FAMILY_NAME, ctx->sysfs_dir);
}

DIBSCTL_EXPORT int dibsctl_get_source(struct dibsctl *ctx)
{
	int err;

	if (!ctx)
		return -EINVAL;
	dibsctl_clear_error(ctx);
	err = dibsctl_pick_source(ctx);
	return err ? err : (int)ctx->source;
}
