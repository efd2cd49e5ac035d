// SPDX-License-Identifier: GPL-2.0-only
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <netlink/attr.h>
#include <netlink/genl/genl.h>
#include <netlink/msg.h>

#include "libdibsctl-private.h"
#include "unit-util.h"

static size_t count_args(const char *const *args)
{
	size_t n = 0;

	while (args[n])
		n++;
	return n;
}

/* argv as main() gets it: "dibsctl" first, NULL last, writable strings. */
static char **make_argv(const char *const *args, int *argc)
{
	size_t n = count_args(args), i;
	char **argv = calloc(n + 2, sizeof(*argv));

	if (!argv)
		return NULL;
	argv[0] = strdup("dibsctl");
	for (i = 0; i < n; i++)
		argv[i + 1] = strdup(args[i]);
	*argc = (int)n + 1;
	return argv;
}

static void free_argv(char **argv)
{
	size_t i;

	for (i = 0; argv && argv[i]; i++)
		free(argv[i]);
	free(argv);
}

int run_dibsctl(struct captured *cap, const char *const *args)
{
	size_t out_size, err_size;
	FILE *out, *err;
	struct cli cli;
	char **argv;
	int argc;

	memset(cap, 0, sizeof(*cap));
	argv = make_argv(args, &argc);
	out = open_memstream(&cap->out, &out_size);
	err = open_memstream(&cap->err, &err_size);
	if (!argv || !out || !err)
		abort();
	cli_init(&cli, out, err);
	cap->status = cli_main(&cli, argc, argv);
	cli_release(&cli);
	fclose(out);
	fclose(err);
	free_argv(argv);
	return cap->status;
}

void captured_free(struct captured *cap)
{
	free(cap->out);
	free(cap->err);
	cap->out = NULL;
	cap->err = NULL;
}

void parsed_free(struct parsed *p)
{
	free_argv(p->argv);
	free(p->err);
	memset(p, 0, sizeof(*p));
}

int parse_dibsctl(struct parsed *p, const char *const *args)
{
	size_t err_size;
	FILE *err_stream;
	int argc, first, ret;

	parsed_free(p);
	p->argv = make_argv(args, &argc);
	err_stream = open_memstream(&p->err, &err_size);
	if (!p->argv || !err_stream)
		abort();
	cli_init(&p->cli, stdout, err_stream);
	ret = cli_parse_options(&p->cli, argc, p->argv, &first);
	if (!ret)
		ret = cli_parse_command(&p->cli, argc - first, p->argv + first,
					&p->cmd);
	fclose(err_stream);
	p->cli.err = NULL;
	return ret;
}

void fake_dev_lo(struct fake_dev *f)
{
	static const uint8_t gid[DIBSCTL_GID_LEN] = {
		0x6f, 0x1c, 0x2f, 0x1e, 0x9d, 0x3a, 0x4b, 0x55,
		0x8c, 0x1a, 0x0e, 0x2f, 0x3a, 0x4b, 0x5c, 0x6d,
	};

	memset(f, 0, sizeof(*f));
	f->has_index = true;
	f->index = 1;
	f->name = "lo";
	f->has_type = true;
	f->type = DIBSCTL_DEV_TYPE_LOOPBACK;
	f->has_gid = true;
	memcpy(f->gid, gid, sizeof(gid));
	f->has_fabric_id = true;
	f->fabric_id = 0xffff;
	f->has_max_dmbs = true;
	f->max_dmbs = 5000;
	f->has_dmbs_in_use = true;
	f->dmbs_in_use = 0;
	f->mmapped_rdmb = true;
}

/* Encodes @f as the kernel would and parses it with the library. */
int fake_dev_new(const struct fake_dev *f, struct dibsctl_dev **dev)
{
	struct nl_msg *msg = nlmsg_alloc();
	int err = -ENOMEM;

	if (!msg)
		return -ENOMEM;
	if (!genlmsg_put(msg, 0, 1, 0x20, 0, 0, DIBS_CMD_DEV_GET,
			 DIBS_FAMILY_VERSION))
		goto out;
	if ((f->has_index && nla_put_u32(msg, DIBS_A_DEV_INDEX, f->index)) ||
	    (f->name && nla_put_string(msg, DIBS_A_DEV_NAME, f->name)) ||
	    (f->has_type && nla_put_u32(msg, DIBS_A_DEV_TYPE, f->type)) ||
	    (f->has_gid && nla_put(msg, DIBS_A_DEV_GID, DIBSCTL_GID_LEN, f->gid)) ||
	    (f->has_fabric_id &&
	     nla_put_u16(msg, DIBS_A_DEV_FABRIC_ID, f->fabric_id)) ||
	    (f->has_max_dmbs &&
	     nla_put_u32(msg, DIBS_A_DEV_MAX_DMBS, f->max_dmbs)) ||
	    (f->has_dmbs_in_use &&
	     nla_put_u32(msg, DIBS_A_DEV_DMBS_IN_USE, f->dmbs_in_use)) ||
	    (f->mmapped_rdmb && nla_put_flag(msg, DIBS_A_DEV_MMAPPED_RDMB)))
		goto out;
	err = dibsctl_dev_new_from_nlmsg(nlmsg_hdr(msg), dev);
out:
	nlmsg_free(msg);
	return err;
}

char *print_to_string(int (*print)(const struct print_opts *, FILE *,
				   const struct dibsctl_dev *),
		      const struct print_opts *opts,
		      const struct dibsctl_dev *dev)
{
	char *text = NULL;
	size_t size;
	FILE *out = open_memstream(&text, &size);

	if (!out)
		abort();
	if (print(opts, out, dev) != 0) {
		fclose(out);
		free(text);
		return NULL;
	}
	fclose(out);
	return text;
}

char *print_list_to_string(const struct print_opts *opts,
			   struct dibsctl_dev *const *devs, size_t count)
{
	char *text = NULL;
	size_t size;
	FILE *out = open_memstream(&text, &size);

	if (!out)
		abort();
	if (print_dev_list(opts, out, devs, count) != 0) {
		fclose(out);
		free(text);
		return NULL;
	}
	fclose(out);
	return text;
}

char *fake_sysfs_new(void)
{
	char *root = strdup("/tmp/dibsctl-unit-sysfs-XXXXXX");

	if (root && !mkdtemp(root)) {
		free(root);
		return NULL;
	}
	return root;
}

static int write_file(const char *dir, const char *file, const char *text)
{
	char path[PATH_MAX];
	ssize_t len = (ssize_t)strlen(text);
	int fd;

	snprintf(path, sizeof(path), "%s/%s", dir, file);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd < 0)
		return -errno;
	if (write(fd, text, len) != len) {
		close(fd);
		return -EIO;
	}
	return close(fd) ? -errno : 0;
}

int fake_sysfs_add(const char *root, const char *name, const char *gid,
		   const char *fabric_id)
{
	char dir[PATH_MAX];
	int err = 0;

	snprintf(dir, sizeof(dir), "%s/%s", root, name);
	if (mkdir(dir, 0755) < 0)
		return -errno;
	if (gid)
		err = write_file(dir, "gid", gid);
	if (!err && fabric_id)
		err = write_file(dir, "fabric_id", fabric_id);
	return err;
}

static int remove_entry(const char *path, const struct stat *st, int flag,
			struct FTW *ftw)
{
	return remove(path);
}

void fake_sysfs_remove(char *root)
{
	if (root)
		nftw(root, remove_entry, 8, FTW_DEPTH | FTW_PHYS);
	free(root);
}

int fake_sysfs_context(const char *root, struct dibsctl **ctx)
{
	int err;

	if (setenv("DIBSCTL_SYSFS", "1", 1) < 0)
		return -errno;
	err = dibsctl_new(ctx);
	if (err)
		return err;
	dibsctl_set_sysfs_dir(*ctx, root);
	return 0;
}
