// SPDX-License-Identifier: GPL-2.0-only
/*
 * dev_fuzz: a fuzzer for /dev/dibs (dibs_user.ko).
 *
 *   dev_fuzz [-s SEED] [-n COUNT] -d DEV     fuzz COUNT operations
 *   dev_fuzz -T -d DEV                        transfer until killed (stress)
 *
 * Up to four open files take random operations: every ioctl of
 * <linux/dibs_user.h> built from a valid template and then spoiled (sizes
 * around the versioned ones, non-zero reserved fields and tails, unknown
 * flags, tokens not ours, offset + length overflows, bad and half-mapped
 * pointers), ioctl numbers with the wrong direction or size and random
 * ones of the magic, mmap() at random offsets, lengths and protections,
 * reads of every size, closes while a thread still uses the file, and
 * forked children that share the files and are killed midway.
 *
 * Failures: an ioctl answering something other than 0 or one of the
 * errnos the header documents, a valid request refused (register, move
 * within the DMB, unregister, info), a token of 0, data moved that does
 * not show in the DMB's mapping, a registered DMB mappable writable, a
 * read() whose records do not tile what it returned.  Exit 0, 1 on
 * failures, 2 on bad usage or setup errors.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <setjmp.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <linux/dibs_user.h>

#include "fuzz_common.h"

#define NSLOTS 4
#define MAX_DMBS 48
#define PAGE 4096UL

enum { C_IOCTL, C_MMAP, C_MMAP_OK, C_READ, C_FORK, C_THREAD, C_REOPEN,
	C_SIGBUS, C_REGISTERED, C_MOVED, C_VERIFIED };
#define FZ_INC(c) __atomic_fetch_add(&fz_stats->counters[c], 1, __ATOMIC_RELAXED)

struct dmb {
	uint64_t token;
	uint32_t len;
	uint64_t off;
	bool own_writer;	/* registered for this device's own GID */
};

struct slot {
	int fd;
	bool bound;
	struct dmb dmbs[MAX_DMBS];
	int n;
	struct dmb att[8];	/* attachments */
	int natt;
};

static const char *dev_name;
static uint32_t dev_index;
static uint8_t dev_gid[DIBS_USER_GID_LEN];
static bool have_gid;
/* a page readable and writable, followed by one that is not mapped */
static uint8_t *arena, *hole;
static uint8_t databuf[65536];
static __thread sigjmp_buf touch_env;
static __thread bool racing;	/* in a thread whose file main closes */
static __thread volatile sig_atomic_t touching;

static void on_fault(int sig)
{
	if (touching)
		siglongjmp(touch_env, 1);
	signal(sig, SIG_DFL);
	raise(sig);
}

/* reads (or writes) one byte of a mapping; false on SIGBUS/SIGSEGV */
static bool touch(volatile uint8_t *p, bool write, uint8_t *val)
{
	if (sigsetjmp(touch_env, 1)) {
		touching = 0;
		FZ_INC(C_SIGBUS);
		return false;
	}
	touching = 1;
	if (write)
		*p = *val;
	else
		*val = *p;
	touching = 0;
	return true;
}

static int open_dev(void)
{
	int fd = open("/dev/dibs", O_RDWR | O_NONBLOCK | O_CLOEXEC);

	if (fd < 0) {
		fz_fail("open /dev/dibs: %s", strerror(errno));
		exit(1);
	}
	return fd;
}

static bool errno_documented(int err)
{
	switch (err) {
	case EFAULT: case EINVAL: case E2BIG: case ENOTCONN: case ENODEV:
	case ENOTTY: case EISCONN: case ENETUNREACH: case EDQUOT: case ENOSPC:
	case ENOMEM: case ENOENT: case EACCES: case ERANGE: case EOPNOTSUPP:
	case EEXIST: case EBADF: case EPERM: case EBUSY: case EAGAIN:
	case EINTR:
		return true;
	}
	return false;
}

static const char *cmd_name(unsigned long cmd)
{
	static const char *const names[] = { "BIND", "INFO", "DMB_REGISTER",
		"DMB_UNREGISTER", "MOVE", "ATTACH", "DETACH", "SIGNAL_EVENT" };
	unsigned int nr = _IOC_NR(cmd);

	if (_IOC_TYPE(cmd) == DIBS_USER_IOC_MAGIC && nr >= 0x20 && nr <= 0x27)
		return names[nr - 0x20];
	return "other";
}

/* One ioctl, counted and checked; returns 0 or the errno. */
static int do_ioctl(int fd, unsigned long cmd, void *arg)
{
	int ret, err;

	FZ_INC(C_IOCTL);
	ret = ioctl(fd, cmd, arg);
	err = ret < 0 ? errno : 0;
	if (ret > 0)
		fz_fail("ioctl 0x%lx (%s) returned %d", cmd, cmd_name(cmd), ret);
	else if (err && !errno_documented(err))
		fz_fail("ioctl 0x%lx (%s) failed with %s, which dibs_user.h does not document",
			cmd, cmd_name(cmd), strerrorname_np(err));
	fz_count_errno(err);
	return err;
}

/* ------------------------------------------------- argument templates */

struct req {
	unsigned long cmd;
	size_t size;		/* of the structure as built */
	bool valid;		/* every field as the header wants */
	uint8_t *arg;		/* where it lies */
};

/* the @size a caller puts in: mostly right, sometimes not */
static uint32_t pick_size(struct fz_rng *r, size_t real, uint32_t ver1, bool *valid)
{
	static const uint32_t odd[] = { 0, 1, 4, 8, 4095, 4096, 4097, 0xffffffffU };

	switch (fz_below(r, 20)) {
	case 0:
		*valid = false;
		return odd[fz_below(r, 8)];
	case 1:
		*valid = false;
		return ver1 - 1 - fz_below(r, 4);
	case 2:
		return ver1;
	case 3: /* longer than we know: a zero tail is fine */
		return (uint32_t)real + 8;
	default:
		return (uint32_t)real;
	}
}

static void put_gid(struct fz_rng *r, uint8_t *gid, bool *valid)
{
	if (have_gid && fz_chance(r, 85)) {
		memcpy(gid, dev_gid, DIBS_USER_GID_LEN);
	} else {
		fz_bytes(r, gid, DIBS_USER_GID_LEN);
		*valid = false;
	}
}

static struct dmb *pick_dmb(struct fz_rng *r, struct slot *s)
{
	return s->n ? &s->dmbs[fz_below(r, (uint32_t)s->n)] : NULL;
}

static uint32_t pick_len(struct fz_rng *r)
{
	static const uint32_t lens[] = { 1, 100, 4096, 4096, 4096, 8192, 65536,
		300000, 1U << 20, 4U << 20, (4U << 20) + 1, 1U << 30,
		(1U << 30) + 1, 0, 0xffffffffU };

	return fz_chance(r, 70) ? 1 + fz_below(r, 16384) : lens[fz_below(r, 15)];
}

/*
 * Builds a request for ioctl NR (0x20..0x27) into q->arg: valid when
 * nothing was spoiled, so that the kernel must accept it.
 */
static void build(struct fz_rng *r, struct slot *s, unsigned int nr, struct req *q,
		  struct dmb **target)
{
	uint8_t buf[4096 + 64];
	bool valid = true, spoil = fz_chance(r, 35);
	struct dmb *d = pick_dmb(r, s);
	uint32_t size;

	memset(buf, 0, sizeof(buf));
	*target = NULL;
	switch (nr) {
	case 0x20: {
		struct dibs_user_bind *b = (void *)buf;

		q->cmd = DIBS_USER_IOC_BIND;
		q->size = sizeof(*b);
		size = pick_size(r, sizeof(*b), DIBS_USER_BIND_SIZE_VER1, &valid);
		switch (fz_below(r, 6)) {
		case 0: b->index = dev_index; break;
		case 1: b->index = dev_index;
			strcpy(b->name, dev_name); valid = false; break;
		case 2: valid = false; break;
		case 3: memset(b->name, 'x', sizeof(b->name)); valid = false; break;
		case 4: b->index = (uint32_t)fz_next(r); valid = false; break;
		default: strcpy(b->name, dev_name); break;
		}
		b->size = size;
		valid = valid && !s->bound;
		break;
	}
	case 0x21:
		q->cmd = DIBS_USER_IOC_INFO;
		q->size = sizeof(struct dibs_user_info);
		((struct dibs_user_info *)buf)->size =
			pick_size(r, q->size, DIBS_USER_INFO_SIZE_VER1, &valid);
		break;
	case 0x22: {
		struct dibs_user_dmb_register *g = (void *)buf;

		q->cmd = DIBS_USER_IOC_DMB_REGISTER;
		q->size = sizeof(*g);
		g->size = pick_size(r, sizeof(*g), DIBS_USER_DMB_REGISTER_SIZE_VER1,
				    &valid);
		g->len = fz_chance(r, 60) ? 1 + fz_below(r, 65536) : pick_len(r);
		valid = valid && g->len && g->len <= 65536;
		put_gid(r, g->rgid, &valid);
		if (fz_chance(r, 10)) {
			g->flags = DIBS_USER_DMB_VLAN;
			g->vlan_id = fz_below(r, 5000);
			valid = false;	/* whether the loopback takes VLANs is its business */
		}
		if (spoil && fz_chance(r, 30)) {
			g->reserved = 1;
			valid = false;
		}
		if (spoil && fz_chance(r, 20)) {
			g->flags |= 1U << fz_below(r, 32);
			valid = false;
		}
		valid = valid && s->n < MAX_DMBS;
		break;
	}
	case 0x23: {
		struct dibs_user_dmb_unregister *u = (void *)buf;

		q->cmd = DIBS_USER_IOC_DMB_UNREGISTER;
		q->size = sizeof(*u);
		u->size = pick_size(r, sizeof(*u), DIBS_USER_DMB_UNREGISTER_SIZE_VER1,
				    &valid);
		if (d && fz_chance(r, 75)) {
			u->token = d->token;
			*target = d;
		} else {
			u->token = fz_chance(r, 50) ? 0 : fz_next(r);
			valid = false;
		}
		if (spoil && fz_chance(r, 30)) {
			u->reserved = (uint32_t)fz_next(r) | 1;
			valid = false;
		}
		break;
	}
	case 0x24: {
		struct dibs_user_move *m = (void *)buf;
		uint32_t len = d ? d->len : 4096;

		q->cmd = DIBS_USER_IOC_MOVE;
		q->size = sizeof(*m);
		m->size = pick_size(r, sizeof(*m), DIBS_USER_MOVE_SIZE_VER1, &valid);
		if (d && fz_chance(r, 80)) {
			m->token = d->token;
			*target = d;
		} else {
			m->token = fz_next(r);
			valid = false;
		}
		m->offset = fz_below(r, len);
		m->len = fz_below(r, len - m->offset + 1);
		if (m->len > sizeof(databuf))
			m->len = sizeof(databuf);
		if (spoil) {
			static const uint32_t big[] = { 0xffffffffU, 0x80000000U,
				0xfffff000U, 4096, 1 };

			valid = false;
			switch (fz_below(r, 4)) {
			case 0: m->offset = big[fz_below(r, 5)]; break;
			case 1: m->len = big[fz_below(r, 5)]; break;
			case 2: m->offset = len; m->len = 1; break;
			default: m->offset = big[fz_below(r, 5)];
				m->len = big[fz_below(r, 5)]; break;
			}
		}
		m->buf = (uintptr_t)databuf;
		if (fz_chance(r, 8)) {
			static const uint64_t bad[] = { 0, 1, 0xffff888000000000ULL,
				0xffffffffffffffffULL };

			m->buf = fz_chance(r, 50) ? (uintptr_t)hole : bad[fz_below(r, 4)];
			valid = valid && !m->len;
		}
		valid = valid && d && d->own_writer;
		if (fz_chance(r, 40)) {
			m->flags = DIBS_USER_MOVE_SIGNAL;
			m->sig_idx = fz_below(r, 18);
			valid = valid && m->sig_idx <= 15;
		} else if (fz_chance(r, 5)) {
			m->sig_idx = 1 + fz_below(r, 15);
			valid = false;
		}
		if (spoil && fz_chance(r, 20)) {
			m->flags |= 1U << fz_below(r, 32);
			valid = valid && m->flags == DIBS_USER_MOVE_SIGNAL;
		}
		break;
	}
	case 0x25:
	case 0x26: {
		struct dibs_user_attach *a = (void *)buf;

		q->cmd = nr == 0x25 ? DIBS_USER_IOC_ATTACH : DIBS_USER_IOC_DETACH;
		q->size = nr == 0x25 ? sizeof(*a) : sizeof(struct dibs_user_detach);
		a->size = pick_size(r, q->size, nr == 0x25 ?
				    DIBS_USER_ATTACH_SIZE_VER1 :
				    DIBS_USER_DETACH_SIZE_VER1, &valid);
		if (nr == 0x26 && s->natt && fz_chance(r, 70))
			a->token = s->att[fz_below(r, (uint32_t)s->natt)].token;
		else
			a->token = d && fz_chance(r, 80) ? d->token : fz_next(r);
		if (spoil && fz_chance(r, 30))
			a->reserved = 1;
		valid = false;	/* checked by what follows, not here */
		break;
	}
	default: {
		struct dibs_user_signal_event *e = (void *)buf;

		q->cmd = DIBS_USER_IOC_SIGNAL_EVENT;
		q->size = sizeof(*e);
		e->size = pick_size(r, sizeof(*e), DIBS_USER_SIGNAL_EVENT_SIZE_VER1,
				    &valid);
		put_gid(r, e->rgid, &valid);
		e->event_code = (uint32_t)fz_next(r);
		e->info = fz_next(r);
		if (fz_chance(r, 30))
			e->flags = DIBS_USER_SIGNAL_IRQ;
		if (spoil && fz_chance(r, 30)) {
			e->reserved = 1;
			valid = false;
		}
		valid = false;	/* a device may not send events: EOPNOTSUPP */
		break;
	}
	}
	size = *(uint32_t *)buf;
	if (size == q->size + 8 && spoil && fz_chance(r, 50)) {
		buf[q->size + fz_below(r, 8)] = 0x5a;	/* E2BIG tail */
		valid = false;
	}
	if (size < q->size && size >= 8 && fz_chance(r, 50))
		valid = false;
	valid = valid && s->bound == (nr != 0x20) && !spoil;
	/* the structure ends where the arena ends; the tail may cross it */
	if (size > q->size && size <= 4096 && fz_chance(r, 10)) {
		q->arg = hole - q->size;
		valid = false;
	} else {
		q->arg = hole - PAGE;
	}
	memcpy(q->arg, buf, q->arg == hole - q->size ? q->size :
	       (size > q->size && size <= 4096 ? size : q->size));
	q->valid = valid;
}

static void forget(struct slot *s, uint64_t token)
{
	int i;

	for (i = 0; i < s->n; i++)
		if (s->dmbs[i].token == token) {
			s->dmbs[i] = s->dmbs[--s->n];
			return;
		}
}

static void forget_att(struct slot *s, uint64_t token)
{
	int i;

	for (i = 0; i < s->natt; i++)
		if (s->att[i].token == token) {
			s->att[i] = s->att[--s->natt];
			return;
		}
}

/* The bytes just moved into D must show in a read-only mapping of it. */
static void verify_move(struct slot *s, const struct dmb *d,
			const struct dibs_user_move *m)
{
	size_t maplen = (d->len + PAGE - 1) & ~(PAGE - 1);
	uint8_t *p;
	uint32_t i;

	p = mmap(NULL, maplen, PROT_READ, MAP_SHARED, s->fd, (off_t)d->off);
	FZ_INC(C_MMAP);
	if (p == MAP_FAILED) {
		fz_fail("mmap of a registered DMB (len %u, offset 0x%llx): %s",
			d->len, (unsigned long long)d->off, strerror(errno));
		return;
	}
	FZ_INC(C_MMAP_OK);
	for (i = 0; i < m->len; i++) {
		uint8_t v;

		if (!touch(p + m->offset + i, false, &v)) {
			fz_fail("reading a DMB's mapping at %u raised a fault",
				m->offset + i);
			break;
		}
		if (v != databuf[i]) {
			fz_fail("moved %u bytes to offset %u of a DMB, but byte %u reads 0x%02x instead of 0x%02x",
				m->len, m->offset, i, v, databuf[i]);
			break;
		}
	}
	FZ_INC(C_VERIFIED);
	munmap(p, maplen);
}

static void after(struct fz_rng *r, struct slot *s, const struct req *q,
		  struct dmb *target, int err)
{
	const uint8_t *a = q->arg;

	/*
	 * Limits count DMBs that forked children left on shared files; a
	 * racing thread sees its file closed under it.
	 */
	if (q->valid && err && !(_IOC_NR(q->cmd) == 0x22 &&
				 (err == EDQUOT || err == ENOSPC || err == ENOMEM)) &&
	    !(racing && err == EBADF))
		fz_fail("a valid %s (size %u) was refused: %s", cmd_name(q->cmd),
			*(const uint32_t *)a, strerrorname_np(err));
	if (err)
		return;
	switch (_IOC_NR(q->cmd)) {
	case 0x20:
		s->bound = true;
		break;
	case 0x21: {
		const struct dibs_user_info *i = (const void *)a;

		if (i->size >= DIBS_USER_INFO_SIZE_VER1 && i->index != dev_index)
			fz_fail("INFO says device index %u, bound to %u", i->index,
				dev_index);
		if (!have_gid && i->size >= DIBS_USER_INFO_SIZE_VER1) {
			memcpy(dev_gid, i->gid, DIBS_USER_GID_LEN);
			have_gid = true;
		}
		break;
	}
	case 0x22: {
		const struct dibs_user_dmb_register *g = (const void *)a;

		FZ_INC(C_REGISTERED);
		if (g->size < DIBS_USER_DMB_REGISTER_SIZE_VER1)
			break;
		if (!g->token)
			fz_fail("DMB_REGISTER gave token 0");
		if (s->n < MAX_DMBS) {
			s->dmbs[s->n].token = g->token;
			s->dmbs[s->n].len = g->len;
			s->dmbs[s->n].off = g->mmap_offset;
			s->dmbs[s->n].own_writer = have_gid &&
				!memcmp(g->rgid, dev_gid, DIBS_USER_GID_LEN);
			s->n++;
		} else {
			struct dibs_user_dmb_unregister u = {
				.size = sizeof(u), .token = g->token };

			if (do_ioctl(s->fd, DIBS_USER_IOC_DMB_UNREGISTER, &u))
				fz_fail("unregistering a DMB just registered failed");
		}
		break;
	}
	case 0x23:
		if (target)
			forget(s, target->token);
		break;
	case 0x24: {
		const struct dibs_user_move *m = (const void *)a;

		FZ_INC(C_MOVED);
		if (q->valid && target && m->len && fz_chance(r, 15))
			verify_move(s, target, m);
		break;
	}
	case 0x25: {
		const struct dibs_user_attach *t = (const void *)a;

		if (t->size >= DIBS_USER_ATTACH_SIZE_VER1 && s->natt < 8) {
			s->att[s->natt].token = t->token;
			s->att[s->natt].len = t->len;
			s->att[s->natt].off = t->mmap_offset;
			s->natt++;
		}
		break;
	}
	case 0x26:
		forget_att(s, ((const struct dibs_user_detach *)a)->token);
		break;
	}
}

/* an ioctl number the driver does not know, or knows under another _IOC */
static unsigned long odd_cmd(struct fz_rng *r)
{
	static const unsigned int dirs[] = { _IOC_NONE, _IOC_READ, _IOC_WRITE,
		_IOC_READ | _IOC_WRITE };
	unsigned int nr = fz_chance(r, 60) ? 0x20 + fz_below(r, 10) : fz_below(r, 256);

	return _IOC(dirs[fz_below(r, 4)], DIBS_USER_IOC_MAGIC, nr,
		    fz_chance(r, 50) ? fz_below(r, 128) : fz_below(r, 1U << 14));
}

static void op_ioctl(struct fz_rng *r, struct slot *s)
{
	struct dmb *target;
	struct req q;
	unsigned int nr;
	int err;

	if (fz_chance(r, 12)) {
		uint8_t *arg = fz_chance(r, 70) ? hole - PAGE :
			fz_chance(r, 50) ? hole : NULL;

		fz_bytes(r, hole - PAGE, 256);
		do_ioctl(s->fd, odd_cmd(r), arg);
		return;
	}
	/* unbound files mostly bind; bound ones mostly work */
	nr = !s->bound && fz_chance(r, 60) ? 0x20 :
		fz_chance(r, 30) ? 0x22 : fz_chance(r, 40) ? 0x24 :
		0x20 + fz_below(r, 8);
	build(r, s, nr, &q, &target);
	if (fz_chance(r, 4)) {
		static const uintptr_t bad[] = { 0, 1, 0xffff888000000000ULL,
			0xfffffffffffff000ULL };

		q.arg = fz_chance(r, 50) ? hole : (uint8_t *)bad[fz_below(r, 4)];
		err = do_ioctl(s->fd, q.cmd, q.arg);
		if (!err)
			fz_fail("%s with pointer %p succeeded", cmd_name(q.cmd), q.arg);
		return;
	}
	err = do_ioctl(s->fd, q.cmd, q.arg);
	after(r, s, &q, target, err);
}

static void op_mmap(struct fz_rng *r, struct slot *s)
{
	static const int prots[] = { PROT_READ, PROT_READ | PROT_WRITE, PROT_WRITE,
		PROT_READ | PROT_EXEC, PROT_NONE };
	struct dmb *d = pick_dmb(r, s);
	bool att = s->natt && fz_chance(r, 30);
	uint64_t off;
	size_t len;
	int prot = prots[fz_below(r, 5)];
	int flags = fz_chance(r, 85) ? MAP_SHARED : MAP_PRIVATE;
	uint8_t *p, v = 0;

	if (att)
		d = &s->att[fz_below(r, (uint32_t)s->natt)];
	if (d && fz_chance(r, 75)) {
		off = d->off + (fz_chance(r, 70) ? 0 : fz_below(r, 8) * PAGE);
		len = (d->len + PAGE - 1) & ~(PAGE - 1);
		if (fz_chance(r, 25))
			len += PAGE * (1 + fz_below(r, 4));
		else if (fz_chance(r, 10))
			len = 1 + fz_below(r, (uint32_t)len);
	} else {
		off = fz_chance(r, 50) ? fz_below(r, 1024) * PAGE :
			fz_next(r) & ~(PAGE - 1) & 0x7fffffffffffffffULL;
		len = fz_chance(r, 80) ? PAGE * (1 + fz_below(r, 16)) :
			fz_chance(r, 50) ? 0 : (size_t)1 << 40;
	}
	FZ_INC(C_MMAP);
	p = mmap(NULL, len, prot, flags, s->fd, (off_t)off);
	if (p == MAP_FAILED) {
		fz_count_errno(errno);
		return;
	}
	fz_count_errno(0);
	FZ_INC(C_MMAP_OK);
	if (d && !att && off == d->off && (prot & PROT_WRITE) && flags == MAP_SHARED)
		fz_fail("a registered DMB (read-only for its owner) was mapped writable, shared");
	if (d && off == d->off && (prot & PROT_READ) && len <= ((d->len + PAGE - 1) & ~(PAGE - 1)))
		touch(p, false, &v);
	if (att && d && off == d->off && (prot & PROT_WRITE) && flags == MAP_SHARED)
		touch(p, true, &v);
	munmap(p, len);
}

static void op_read(struct fz_rng *r, struct slot *s)
{
	static const size_t sizes[] = { 0, 1, sizeof(struct dibs_user_event) - 1,
		sizeof(struct dibs_user_event), 2 * sizeof(struct dibs_user_event) + 3,
		4096 };
	size_t want = sizes[fz_below(r, 6)], off = 0;
	uint8_t *buf = fz_chance(r, 90) ? hole - PAGE : hole;
	ssize_t n;

	FZ_INC(C_READ);
	n = read(s->fd, buf, want);
	if (n < 0) {
		if (!errno_documented(errno))
			fz_fail("read of %zu: %s", want, strerrorname_np(errno));
		fz_count_errno(errno);
		return;
	}
	fz_count_errno(0);
	while (off < (size_t)n) {
		const struct dibs_user_event *e = (const void *)(buf + off);

		if ((size_t)n - off < 8 || e->size < 8 || e->size > (size_t)n - off) {
			fz_fail("read returned %zd bytes whose records do not tile them (record at %zu of size %u)",
				n, off, (size_t)n - off >= 4 ? e->size : 0);
			return;
		}
		if (e->kind < DIBS_USER_EVENT_SIGNAL || e->kind > DIBS_USER_EVENT_OVERFLOW)
			fz_fail("read gave a record of kind %u", e->kind);
		off += e->size;
	}
}

/* who runs the operations: a thread or a child does not fork or race */
enum runner { TOP, CHILD, THREAD };

static void run_ops(struct fz_rng *r, struct slot *slots, int nslots,
		    unsigned long count, enum runner who);

struct racer {
	struct slot s;
	uint64_t seed;
};

static void *race_thread(void *arg)
{
	struct racer *rc = arg;
	struct fz_rng r;

	racing = true;
	fz_seed(&r, rc->seed);
	run_ops(&r, &rc->s, 1, 40, THREAD);
	return NULL;
}

/* A thread works on the file while it is closed under it. */
static void op_close_race(struct fz_rng *r, struct slot *s)
{
	struct racer rc = { .seed = fz_next(r) };
	pthread_t t;
	unsigned int spin = fz_below(r, 20000), i;

	rc.s.fd = s->fd;
	rc.s.bound = s->bound;
	FZ_INC(C_THREAD);
	if (pthread_create(&t, NULL, race_thread, &rc)) {
		fz_fail("pthread_create: %s", strerror(errno));
		return;
	}
	for (i = 0; i < spin; i++)
		__asm__ volatile("" ::: "memory");
	close(s->fd);
	pthread_join(t, NULL);
	s->fd = open_dev();
	s->bound = false;
	s->n = 0;
	s->natt = 0;
}

/* A child shares the files, works on them and dies, maybe killed. */
static void op_fork(struct fz_rng *r, struct slot *slots)
{
	uint64_t seed = fz_next(r);
	bool kill_it = fz_chance(r, 50);
	int status, i;
	pid_t pid;

	FZ_INC(C_FORK);
	fflush(stdout);
	pid = fork();
	if (pid < 0) {
		fz_fail("fork: %s", strerror(errno));
		return;
	}
	if (!pid) {
		struct fz_rng cr;

		fz_seed(&cr, seed);
		/* the parent's tokens stay the parent's */
		for (i = 0; i < NSLOTS; i++)
			slots[i].n = slots[i].natt = 0;
		run_ops(&cr, slots, NSLOTS, 200, CHILD);
		_exit(0);
	}
	if (kill_it) {
		usleep(fz_below(r, 5000));
		kill(pid, SIGKILL);
	}
	if (waitpid(pid, &status, 0) != pid)
		fz_fail("waitpid: %s", strerror(errno));
	else if (WIFSIGNALED(status) && WTERMSIG(status) != SIGKILL)
		fz_fail("the forked child died of signal %d", WTERMSIG(status));
	else if (WIFEXITED(status) && WEXITSTATUS(status))
		fz_fail("the forked child exited %d", WEXITSTATUS(status));
	/* the child may have bound the files it shared */
	for (i = 0; i < NSLOTS; i++) {
		struct dibs_user_info info = { .size = sizeof(info) };

		slots[i].bound = !ioctl(slots[i].fd, DIBS_USER_IOC_INFO, &info);
	}
}

static void run_ops(struct fz_rng *r, struct slot *slots, int nslots,
		    unsigned long count, enum runner who)
{
	unsigned long i;

	for (i = 0; i < count; i++) {
		struct slot *s = &slots[fz_below(r, (uint32_t)nslots)];
		uint32_t what = fz_below(r, 1000);

		if (what < 880) {
			op_ioctl(r, s);
		} else if (what < 950) {
			op_mmap(r, s);
		} else if (what < 975) {
			op_read(r, s);
		} else if (what < 985) {
			struct pollfd pfd = { .fd = s->fd, .events = POLLIN };

			poll(&pfd, 1, 0);
		} else if (who == THREAD) {
			op_read(r, s);
		} else if (what < 993 || who == CHILD) {
			FZ_INC(C_REOPEN);
			close(s->fd);
			s->fd = open_dev();
			s->bound = false;
			s->n = s->natt = 0;
		} else if (what < 998) {
			op_close_race(r, s);
		} else {
			op_fork(r, slots);
		}
	}
}

/* Moves data with signals into its own DMBs until killed (stress). */
static void transfer(void)
{
	struct dibs_user_bind b = { .size = sizeof(b) };
	struct dibs_user_info info = { .size = sizeof(info) };
	struct dibs_user_dmb_register g[4];
	uint8_t events[4096];
	unsigned long round;
	int fd = open_dev(), i;

	snprintf(b.name, sizeof(b.name), "%s", dev_name);
	if (ioctl(fd, DIBS_USER_IOC_BIND, &b) || ioctl(fd, DIBS_USER_IOC_INFO, &info)) {
		perror("bind");
		exit(1);
	}
	for (round = 0;; round++) {
		for (i = 0; i < 4; i++) {
			memset(&g[i], 0, sizeof(g[i]));
			g[i].size = sizeof(g[i]);
			g[i].len = 65536;
			memcpy(g[i].rgid, info.gid, sizeof(info.gid));
			if (ioctl(fd, DIBS_USER_IOC_DMB_REGISTER, &g[i]))
				g[i].token = 0;
		}
		for (i = 0; i < 64; i++) {
			struct dibs_user_move m = {
				.size = sizeof(m), .flags = DIBS_USER_MOVE_SIGNAL,
				.token = g[i % 4].token, .buf = (uintptr_t)databuf,
				.len = 32768, .offset = (uint32_t)(i % 2) * 32768,
				.sig_idx = (uint32_t)i % 16,
			};

			ioctl(fd, DIBS_USER_IOC_MOVE, &m);
			while (read(fd, events, sizeof(events)) > 0)
				;
		}
		for (i = 0; i < 4; i++) {
			struct dibs_user_dmb_unregister u = {
				.size = sizeof(u), .token = g[i].token };

			if (round % 3 && g[i].token)
				ioctl(fd, DIBS_USER_IOC_DMB_UNREGISTER, &u);
		}
		if (round % 7 == 6) {
			close(fd);
			fd = open_dev();
			if (ioctl(fd, DIBS_USER_IOC_BIND, &b))
				exit(0);	/* the device went away */
		}
	}
}

static void usage(void)
{
	fprintf(stderr, "usage: dev_fuzz [-s SEED] [-n COUNT] -d DEV\n"
		"       dev_fuzz -T -d DEV\n");
	exit(2);
}

int main(int argc, char **argv)
{
	unsigned long long seed = 13, count = 2000;
	struct slot slots[NSLOTS];
	bool stress = false;
	char path[256], line[32];
	struct sigaction sa;
	struct fz_rng r;
	FILE *f;
	int opt, i;

	while ((opt = getopt(argc, argv, "s:n:d:T")) != -1) {
		if (opt == 's')
			seed = fz_parse_num("seed", optarg);
		else if (opt == 'n')
			count = fz_parse_num("count", optarg);
		else if (opt == 'd')
			dev_name = optarg;
		else if (opt == 'T')
			stress = true;
		else
			usage();
	}
	if (optind != argc || !dev_name || strlen(dev_name) >= DIBS_USER_NAME_LEN)
		usage();
	setvbuf(stdout, NULL, _IOLBF, 0);
	fz_stats_init();
	for (i = 0; i < (int)sizeof(databuf); i++)
		databuf[i] = (uint8_t)(i * 7 + 3);
	if (stress)
		transfer();

	snprintf(path, sizeof(path), "/sys/class/dibs/%s/index", dev_name);
	f = fopen(path, "r");
	if (!f || !fgets(line, sizeof(line), f)) {
		fprintf(stderr, "dev_fuzz: cannot read %s\n", path);
		return 2;
	}
	fclose(f);
	dev_index = (uint32_t)fz_parse_num("index", strtok(line, "\n"));

	arena = mmap(NULL, 2 * PAGE, PROT_READ | PROT_WRITE,
		     MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (arena == MAP_FAILED || munmap(arena + PAGE, PAGE)) {
		perror("mmap");
		return 2;
	}
	hole = arena + PAGE;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_fault;
	sigaction(SIGBUS, &sa, NULL);
	sigaction(SIGSEGV, &sa, NULL);

	printf("dev_fuzz: seed %llu, count %llu, device %s (index %u)\n", seed,
	       count, dev_name, dev_index);
	fz_seed(&r, seed);
	for (i = 0; i < NSLOTS; i++) {
		memset(&slots[i], 0, sizeof(slots[i]));
		slots[i].fd = open_dev();
	}
	run_ops(&r, slots, NSLOTS, count, TOP);
	for (i = 0; i < NSLOTS; i++)
		close(slots[i].fd);

	printf("dev_fuzz: seed %llu: %lu ioctls, %lu mmaps (%lu mapped), %lu reads, %lu DMBs registered, %lu moves (%lu checked in the mapping), %lu reopens, %lu close races, %lu forks, %lu faults caught\n",
	       seed, fz_stats->counters[C_IOCTL], fz_stats->counters[C_MMAP],
	       fz_stats->counters[C_MMAP_OK], fz_stats->counters[C_READ],
	       fz_stats->counters[C_REGISTERED], fz_stats->counters[C_MOVED],
	       fz_stats->counters[C_VERIFIED], fz_stats->counters[C_REOPEN],
	       fz_stats->counters[C_THREAD], fz_stats->counters[C_FORK],
	       fz_stats->counters[C_SIGBUS]);
	fz_print_histogram("dev_fuzz: results: ");
	if (fz_stats->failures) {
		printf("dev_fuzz: %lu failures\n", fz_stats->failures);
		return 1;
	}
	return 0;
}
