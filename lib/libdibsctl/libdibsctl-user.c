// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The data path: /dev/dibs of dibs_user.ko, one open file bound to one
 * device.  The library's own structures, not the uapi ones, are public,
 * so that a kernel growing its structures (they start with their size)
 * changes nothing for the library's callers.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include <linux/dibs_user.h>

#include "libdibsctl-private.h"

#define DIBSCTL_USER_DEV_PATH	"/dev/" DIBS_USER_DEV_NAME
/* Records read() at once; wait() hands them out one by one. */
#define DIBSCTL_USER_EVENT_BATCH	32

struct dibsctl_user {
	int fd;
	/* Records read but not yet returned by dibsctl_user_wait(). */
	size_t pending_len;
	size_t pending_pos;
	unsigned char pending[DIBSCTL_USER_EVENT_BATCH *
			      sizeof(struct dibs_user_event)];
};

static int user_ioctl(struct dibsctl_user *user, unsigned long request,
		      void *arg)
{
	int ret;

	do {
		ret = ioctl(user->fd, request, arg);
	} while (ret < 0 && errno == EINTR);
	return ret < 0 ? -errno : 0;
}

static int user_open(const struct dibs_user_bind *bind,
		     struct dibsctl_user **user)
{
	struct dibsctl_user *u;
	int ret;

	u = calloc(1, sizeof(*u));
	if (!u)
		return -ENOMEM;
	/* Non-blocking: wait() blocks in poll(), never in read(). */
	u->fd = open(DIBSCTL_USER_DEV_PATH, O_RDWR | O_CLOEXEC | O_NONBLOCK);
	if (u->fd < 0) {
		ret = -errno;
		free(u);
		return ret;
	}
	ret = user_ioctl(u, DIBS_USER_IOC_BIND, (void *)bind);
	if (ret) {
		close(u->fd);
		free(u);
		return ret;
	}
	*user = u;
	return 0;
}

DIBSCTL_EXPORT int dibsctl_user_open_by_name(const char *name,
					     struct dibsctl_user **user)
{
	struct dibs_user_bind bind = { .size = sizeof(bind) };

	if (!name || !user || !*name || strlen(name) >= sizeof(bind.name))
		return -EINVAL;
	memcpy(bind.name, name, strlen(name));
	return user_open(&bind, user);
}

DIBSCTL_EXPORT int dibsctl_user_open_by_index(uint32_t index,
					      struct dibsctl_user **user)
{
	struct dibs_user_bind bind = { .size = sizeof(bind), .index = index };

	if (!index || !user)
		return -EINVAL;
	return user_open(&bind, user);
}

DIBSCTL_EXPORT void dibsctl_user_close(struct dibsctl_user *user)
{
	if (!user)
		return;
	close(user->fd);
	free(user);
}

DIBSCTL_EXPORT int dibsctl_user_get_fd(const struct dibsctl_user *user)
{
	return user ? user->fd : -EINVAL;
}

DIBSCTL_EXPORT int dibsctl_user_get_info(struct dibsctl_user *user,
					 struct dibsctl_user_info *info)
{
	struct dibs_user_info ki = { .size = sizeof(ki) };
	int ret;

	if (!user || !info)
		return -EINVAL;
	ret = user_ioctl(user, DIBS_USER_IOC_INFO, &ki);
	if (ret)
		return ret;
	memset(info, 0, sizeof(*info));
	info->index = ki.index;
	if (ki.flags & DIBS_USER_INFO_MMAPPED_RDMB)
		info->flags |= DIBSCTL_USER_MMAPPED_RDMB;
	if (ki.flags & DIBS_USER_INFO_DEV_GONE)
		info->flags |= DIBSCTL_USER_DEV_GONE;
	/* The kernel terminates the name; do not rely on it. */
	memcpy(info->name, ki.name, sizeof(info->name) - 1);
	memcpy(info->gid, ki.gid, sizeof(info->gid));
	info->fabric_id = ki.fabric_id;
	info->max_dmbs = ki.max_dmbs;
	info->dmbs = ki.dmbs;
	info->limit_dmbs = ki.limit_dmbs;
	info->dmb_bytes = ki.dmb_bytes;
	info->limit_bytes = ki.limit_bytes;
	return 0;
}

DIBSCTL_EXPORT int dibsctl_user_dmb_register(struct dibsctl_user *user,
					     uint32_t len,
					     const uint8_t rgid[DIBSCTL_GID_LEN],
					     int vlan_id,
					     struct dibsctl_user_dmb *dmb)
{
	struct dibs_user_dmb_register reg = { .size = sizeof(reg), .len = len };
	int ret;

	if (!user || !rgid || !dmb || vlan_id < DIBSCTL_USER_NO_VLAN)
		return -EINVAL;
	memcpy(reg.rgid, rgid, sizeof(reg.rgid));
	if (vlan_id != DIBSCTL_USER_NO_VLAN) {
		reg.flags |= DIBS_USER_DMB_VLAN;
		reg.vlan_id = vlan_id;
	}
	ret = user_ioctl(user, DIBS_USER_IOC_DMB_REGISTER, &reg);
	if (ret)
		return ret;
	memset(dmb, 0, sizeof(*dmb));
	dmb->token = reg.token;
	dmb->idx = reg.idx;
	dmb->len = len;
	dmb->mmap_offset = reg.mmap_offset;
	return 0;
}

DIBSCTL_EXPORT int dibsctl_user_dmb_unregister(struct dibsctl_user *user,
					       uint64_t token)
{
	struct dibs_user_dmb_unregister unreg = {
		.size = sizeof(unreg),
		.token = token,
	};

	if (!user)
		return -EINVAL;
	return user_ioctl(user, DIBS_USER_IOC_DMB_UNREGISTER, &unreg);
}

DIBSCTL_EXPORT int dibsctl_user_attach(struct dibsctl_user *user,
				       uint64_t token,
				       struct dibsctl_user_dmb *dmb)
{
	struct dibs_user_attach att = { .size = sizeof(att), .token = token };
	int ret;

	if (!user || !dmb)
		return -EINVAL;
	ret = user_ioctl(user, DIBS_USER_IOC_ATTACH, &att);
	if (ret)
		return ret;
	memset(dmb, 0, sizeof(*dmb));
	dmb->token = token;
	dmb->idx = att.idx;
	dmb->len = att.len;
	dmb->mmap_offset = att.mmap_offset;
	dmb->flags = DIBSCTL_USER_DMB_ATTACHED;
	return 0;
}

DIBSCTL_EXPORT int dibsctl_user_detach(struct dibsctl_user *user,
				       uint64_t token)
{
	struct dibs_user_detach det = { .size = sizeof(det), .token = token };

	if (!user)
		return -EINVAL;
	return user_ioctl(user, DIBS_USER_IOC_DETACH, &det);
}

static size_t map_length(const struct dibsctl_user_dmb *dmb)
{
	size_t page = sysconf(_SC_PAGESIZE);

	return ((size_t)dmb->len + page - 1) / page * page;
}

DIBSCTL_EXPORT int dibsctl_user_map(struct dibsctl_user *user,
				    const struct dibsctl_user_dmb *dmb,
				    void **addr)
{
	int prot = PROT_READ;
	void *p;

	if (!user || !dmb || !addr || !dmb->len)
		return -EINVAL;
	/* Own DMBs are written by the remote writer only. */
	if (dmb->flags & DIBSCTL_USER_DMB_ATTACHED)
		prot |= PROT_WRITE;
	p = mmap(NULL, map_length(dmb), prot, MAP_SHARED, user->fd,
		 (off_t)dmb->mmap_offset);
	if (p == MAP_FAILED)
		return -errno;
	*addr = p;
	return 0;
}

DIBSCTL_EXPORT int dibsctl_user_unmap(const struct dibsctl_user_dmb *dmb,
				      void *addr)
{
	if (!dmb || !addr)
		return -EINVAL;
	return munmap(addr, map_length(dmb)) ? -errno : 0;
}

DIBSCTL_EXPORT int dibsctl_user_move(struct dibsctl_user *user,
				     uint64_t token, uint32_t offset,
				     const void *buf, uint32_t len,
				     int sig_idx)
{
	struct dibs_user_move move = {
		.size = sizeof(move),
		.token = token,
		.buf = (uintptr_t)buf,
		.offset = offset,
		.len = len,
	};

	if (!user || (len && !buf) || sig_idx < DIBSCTL_USER_NO_SIGNAL)
		return -EINVAL;
	if (sig_idx != DIBSCTL_USER_NO_SIGNAL) {
		move.flags = DIBS_USER_MOVE_SIGNAL;
		move.sig_idx = sig_idx;
	}
	return user_ioctl(user, DIBS_USER_IOC_MOVE, &move);
}

DIBSCTL_EXPORT int dibsctl_user_signal(struct dibsctl_user *user,
				       uint64_t token, unsigned int sig_idx)
{
	if (sig_idx > 15)
		return -EINVAL;
	return dibsctl_user_move(user, token, 0, NULL, 0, (int)sig_idx);
}

DIBSCTL_EXPORT int dibsctl_user_signal_event(struct dibsctl_user *user,
					     const uint8_t rgid[DIBSCTL_GID_LEN],
					     uint32_t event_code,
					     uint64_t info)
{
	struct dibs_user_signal_event sig = {
		.size = sizeof(sig),
		.flags = DIBS_USER_SIGNAL_IRQ,
		.event_code = event_code,
		.info = info,
	};

	if (!user || !rgid)
		return -EINVAL;
	memcpy(sig.rgid, rgid, sizeof(sig.rgid));
	return user_ioctl(user, DIBS_USER_IOC_SIGNAL_EVENT, &sig);
}

/* Hands out the next buffered record; false if none is left. */
static bool take_pending(struct dibsctl_user *user,
			 struct dibsctl_user_event *event)
{
	struct dibs_user_event rec;
	size_t left = user->pending_len - user->pending_pos;
	uint32_t size;

	if (left < sizeof(size))
		return false;
	memcpy(&size, user->pending + user->pending_pos, sizeof(size));
	/* A record never shrinks below its first version, nor overruns. */
	if (size < offsetof(struct dibs_user_event, data) + sizeof(rec.data) ||
	    size > left) {
		user->pending_pos = user->pending_len;
		return false;
	}
	memset(&rec, 0, sizeof(rec));
	memcpy(&rec, user->pending + user->pending_pos,
	       size < sizeof(rec) ? size : sizeof(rec));
	user->pending_pos += size;

	memset(event, 0, sizeof(*event));
	event->kind = rec.kind;
	event->token = rec.token;
	event->idx = rec.idx;
	event->dmbemask = rec.dmbemask;
	event->type = rec.type;
	event->subtype = rec.subtype;
	memcpy(event->gid, rec.gid, sizeof(event->gid));
	event->time = rec.time;
	event->data = rec.data;
	return true;
}

static int64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

DIBSCTL_EXPORT int dibsctl_user_wait(struct dibsctl_user *user,
				     int timeout_ms,
				     struct dibsctl_user_event *event)
{
	int64_t deadline = timeout_ms >= 0 ? now_ms() + timeout_ms : 0;
	struct pollfd pfd = { .fd = -1 };
	ssize_t n;
	int ret;

	if (!user || !event)
		return -EINVAL;
	for (;;) {
		if (take_pending(user, event))
			return 1;
		n = read(user->fd, user->pending, sizeof(user->pending));
		if (n > 0) {
			user->pending_len = n;
			user->pending_pos = 0;
			continue;
		}
		if (n == 0)
			return -ENODEV;
		if (errno == EINTR)
			continue;
		if (errno != EAGAIN)
			return -errno;
		/* Hung up with nothing left to read. */
		if (pfd.revents & (POLLHUP | POLLERR))
			return -ENODEV;

		pfd.fd = user->fd;
		pfd.events = POLLIN;
		pfd.revents = 0;
		if (timeout_ms >= 0) {
			int64_t left = deadline - now_ms();

			ret = poll(&pfd, 1, left > 0 ? (int)left : 0);
		} else {
			ret = poll(&pfd, 1, -1);
		}
		if (ret < 0 && errno != EINTR)
			return -errno;
		if (ret == 0)
			return 0;
	}
}
