// SPDX-License-Identifier: GPL-2.0-only
/*
 * /dev/dibs (dibs_user.ko) on loopback devices: two processes moving data
 * through the copy path and the nocopy (attach) path with the data
 * checked, signals and their merging, poll() and read(), software events,
 * every refused request with its errno, the per-file limits, DMBs freed on
 * close and on kill -9, and a device deleted under a running writer.
 * Issue 13: a user copy stuck on a userfaultfd page does not hold up a
 * device delete, /dev/dibs files together leave part of a device's DMBs
 * to in-kernel clients, read() into a bad buffer loses no record, and an
 * ioctl number with the wrong direction is refused with ENOTTY.
 *
 * Loads $DIBS_MODULES/dibs_user.ko if it is not loaded and removes it at
 * the end.  Bytes moved per path: $DIBS_USER_TEST_BYTES, in rounds of one
 * 1 MiB DMB; the default is 1 GiB per path (about 30 s under QEMU TCG);
 * a smaller value such as DIBS_USER_TEST_BYTES=67108864 shortens a run.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <poll.h>
#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <linux/dibs_user.h>
#include <linux/userfaultfd.h>

#include "kselftest_harness.h"
#include "dibs_ktest.h"

#define DEV_PATH "/dev/dibs"
#define PARAM_DIR "/sys/module/dibs_user/parameters/"
#define DMB_LEN (1U << 20)
#define MOVE_CHUNK (64U << 10)
#define DEFAULT_TEST_BYTES	(1ULL << 30)
/* how long a signal or event may take to arrive */
#define WAIT_MS 5000

static pid_t module_loader;

/* loads dibs_user.ko for the suite unless it is loaded already */
static void __attribute__((constructor)) load_module(void)
{
	const char *dir = getenv("DIBS_MODULES");
	char cmd[512];

	if (access("/sys/module/dibs_user", F_OK) == 0 || !dir)
		return;
	snprintf(cmd, sizeof(cmd), "insmod %s/dibs_user.ko", dir);
	if (system(cmd) == 0) {
		module_loader = getpid();
		/* udev creates the node; wait for it */
		for (int i = 0; i < 100 && access(DEV_PATH, F_OK); i++)
			usleep(50000);
	}
}

static void __attribute__((destructor)) unload_module(void)
{
	if (module_loader && module_loader == getpid())
		if (system("rmmod dibs_user") != 0)
			fprintf(stderr, "# rmmod dibs_user failed\n");
}

/* the dmbemask bit of signal index @idx: 0x1000 rotated right by @idx */
static uint16_t sig_bit(unsigned int idx)
{
	return (uint16_t)(0x1000U >> idx | 0x1000U << (16 - idx));
}

static uint64_t xorshift(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

/* the data of round @round: the same in writer and reader */
static void fill_round(uint8_t *buf, size_t len, unsigned int round)
{
	uint64_t s = 0x9e3779b97f4a7c15ULL ^ ((uint64_t)round << 32 | 1);

	for (size_t i = 0; i + 8 <= len; i += 8) {
		uint64_t v = xorshift(&s);

		memcpy(buf + i, &v, 8);
	}
}

static uint64_t fnv1a(const uint8_t *p, size_t len)
{
	uint64_t h = 0xcbf29ce484222325ULL;

	for (size_t i = 0; i < len; i++)
		h = (h ^ p[i]) * 0x100000001b3ULL;
	return h;
}

static unsigned int test_rounds(void)
{
	const char *env = getenv("DIBS_USER_TEST_BYTES");
	unsigned long long bytes = env ? strtoull(env, NULL, 0) :
				   DEFAULT_TEST_BYTES;

	return bytes < DMB_LEN ? 1 : bytes / DMB_LEN;
}

/* opens /dev/dibs bound to @name; -errno on failure */
static int dev_open(const char *name)
{
	struct dibs_user_bind b = { .size = sizeof(b) };
	int fd, err;

	fd = open(DEV_PATH, O_RDWR | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	strncpy(b.name, name, sizeof(b.name) - 1);
	if (ioctl(fd, DIBS_USER_IOC_BIND, &b)) {
		err = -errno;
		close(fd);
		return err;
	}
	return fd;
}

static int get_info(int fd, struct dibs_user_info *info)
{
	memset(info, 0, sizeof(*info));
	info->size = sizeof(*info);
	return ioctl(fd, DIBS_USER_IOC_INFO, info) ? -errno : 0;
}

static int reg_dmb(int fd, uint32_t len, const uint8_t *rgid,
		   struct dibs_user_dmb_register *r)
{
	memset(r, 0, sizeof(*r));
	r->size = sizeof(*r);
	r->len = len;
	memcpy(r->rgid, rgid, DIBS_USER_GID_LEN);
	return ioctl(fd, DIBS_USER_IOC_DMB_REGISTER, r) ? -errno : 0;
}

static int move(int fd, uint64_t token, uint32_t offset, const void *buf,
		uint32_t len, int sig_idx)
{
	struct dibs_user_move m = {
		.size = sizeof(m),
		.token = token,
		.buf = (uintptr_t)buf,
		.offset = offset,
		.len = len,
	};

	if (sig_idx >= 0) {
		m.flags = DIBS_USER_MOVE_SIGNAL;
		m.sig_idx = sig_idx;
	}
	return ioctl(fd, DIBS_USER_IOC_MOVE, &m) ? -errno : 0;
}

static int attach(int fd, uint64_t token, struct dibs_user_attach *a)
{
	memset(a, 0, sizeof(*a));
	a->size = sizeof(*a);
	a->token = token;
	return ioctl(fd, DIBS_USER_IOC_ATTACH, a) ? -errno : 0;
}

/* waits for one record; 0, -ETIME, or -errno of poll()/read() */
static int next_record(int fd, struct dibs_user_event *ev, int timeout_ms)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };
	int n;

	n = poll(&p, 1, timeout_ms);
	if (n < 0)
		return -errno;
	if (n == 0)
		return -ETIME;
	if (read(fd, ev, sizeof(*ev)) != sizeof(*ev))
		return -errno;
	return 0;
}

/* dmbs-in-use of @name as the dibs family reports it, or -errno */
static long dmbs_in_use(struct dibs_genl *g, const char *name)
{
	struct dibs_reply r = { 0 };
	long ret;

	ret = dibs_dev_get_name(g, name, &r);
	if (!ret)
		ret = r.ndevs == 1 ? (long)r.devs[0].dmbs_in_use : -EPROTO;
	dibs_reply_free(&r);
	return ret;
}

/* polls dmbs-in-use until it is @want (frees may trail a process exit) */
static long wait_in_use(struct dibs_genl *g, const char *name, long want)
{
	long got = -1;

	for (int i = 0; i < 100; i++) {
		got = dmbs_in_use(g, name);
		if (got == want)
			break;
		usleep(50000);
	}
	return got;
}

static int write_param(const char *param, unsigned long long val)
{
	char path[128];
	FILE *f;
	int ret;

	snprintf(path, sizeof(path), PARAM_DIR "%s", param);
	f = fopen(path, "w");
	if (!f)
		return -errno;
	ret = fprintf(f, "%llu\n", val) < 0 ? -EIO : 0;
	if (fclose(f))
		ret = -errno;
	return ret;
}

static unsigned long long read_param(const char *param)
{
	unsigned long long val = 0;
	char path[128];
	FILE *f;

	snprintf(path, sizeof(path), PARAM_DIR "%s", param);
	f = fopen(path, "r");
	if (f) {
		if (fscanf(f, "%llu", &val) != 1)
			val = 0;
		fclose(f);
	}
	return val;
}

/* the number of lines in the kernel log now, for dmesg_clean_since() */
static long dmesg_mark(void)
{
	FILE *f = popen("dmesg | wc -l", "r");
	long lines = 0;

	if (f) {
		if (fscanf(f, "%ld", &lines) != 1)
			lines = 0;
		pclose(f);
	}
	return lines;
}

/* true if the log after line @mark has no warning nor leftover DMB */
static bool dmesg_clean_since(long mark)
{
	char cmd[256];

	snprintf(cmd, sizeof(cmd),
		 "! dmesg | tail -n +%ld | grep -E 'did not unregister|is still attached|WARNING:|BUG:|Oops'",
		 mark + 1);
	return system(cmd) == 0;
}

FIXTURE(user) {
	struct dibs_genl g;
	struct dibs_state initial;
	int fd;				/* bound to lo */
	struct dibs_user_info info;	/* of lo */
	unsigned long long max_dmbs, max_bytes;
};

FIXTURE_SETUP(user)
{
	char why[1024];
	int ret;

	ASSERT_EQ(0, access(DEV_PATH, R_OK | W_OK))
		TH_LOG("%s: %s (dibs_user.ko not loaded? DIBS_MODULES=%s)",
		       DEV_PATH, strerror(errno), getenv("DIBS_MODULES") ?: "");
	ret = dibs_genl_open(&self->g);
	ASSERT_EQ(0, ret) TH_LOG("dibs family: %s", dibs_errno_name(ret));
	ASSERT_EQ(0, dibs_state_read(&self->g, &self->initial, why,
				     sizeof(why))) TH_LOG("%s", why);
	self->max_dmbs = read_param("max_dmbs_per_file");
	self->max_bytes = read_param("max_bytes_per_file");
	self->fd = dev_open("lo");
	ASSERT_LE(0, self->fd) TH_LOG("bind to lo: %s", strerror(-self->fd));
	ASSERT_EQ(0, get_info(self->fd, &self->info));
}

FIXTURE_TEARDOWN(user)
{
	if (self->fd >= 0)
		close(self->fd);
	write_param("max_dmbs_per_file", self->max_dmbs);
	write_param("max_bytes_per_file", self->max_bytes);
	if (self->g.sk) {
		EXPECT_EQ(0, dibs_remove_devices_except(&self->g,
							&self->initial))
			TH_LOG("could not delete the devices this test created");
		EXPECT_EQ(0, wait_in_use(&self->g, "lo", 0))
			TH_LOG("DMBs left on lo after the test");
	}
	dibs_genl_close(&self->g);
}

TEST_F(user, bind_and_info)
{
	struct dibs_user_bind b = { .size = sizeof(b), .index = 1 };
	struct dibs_user_dmb_register r;
	struct dibs_user_event ev;
	int fd;

	EXPECT_EQ(DIBS_USER_VERSION, self->info.version);
	EXPECT_STREQ("lo", self->info.name);
	EXPECT_EQ(0xffff, self->info.fabric_id);
	EXPECT_TRUE(self->info.flags & DIBS_USER_INFO_MMAPPED_RDMB);
	EXPECT_EQ(0, self->info.dmbs);

	fd = open(DEV_PATH, O_RDWR);
	ASSERT_LE(0, fd);
	/* nothing works before bind */
	EXPECT_EQ(-ENOTCONN, reg_dmb(fd, 4096, self->info.gid, &r));
	EXPECT_EQ(-1, read(fd, &ev, sizeof(ev)));
	EXPECT_EQ(ENOTCONN, errno);
	/* neither or both of index and name */
	b.index = 0;
	EXPECT_EQ(-1, ioctl(fd, DIBS_USER_IOC_BIND, &b));
	EXPECT_EQ(EINVAL, errno);
	b.index = self->info.index;
	strcpy(b.name, "lo");
	EXPECT_EQ(-1, ioctl(fd, DIBS_USER_IOC_BIND, &b));
	EXPECT_EQ(EINVAL, errno);
	/* a size below version 1, a non-zero unknown tail */
	memset(b.name, 0, sizeof(b.name));
	b.size = DIBS_USER_BIND_SIZE_VER1 - 4;
	EXPECT_EQ(-1, ioctl(fd, DIBS_USER_IOC_BIND, &b));
	EXPECT_EQ(EINVAL, errno);
	{
		struct { struct dibs_user_bind b; uint32_t more; } big = {
			.b = { .size = sizeof(big), .index = b.index },
			.more = 1,
		};

		EXPECT_EQ(-1, ioctl(fd, DIBS_USER_IOC_BIND, &big));
		EXPECT_EQ(E2BIG, errno);
		big.more = 0;
		EXPECT_EQ(0, ioctl(fd, DIBS_USER_IOC_BIND, &big))
			TH_LOG("a longer structure with a zero tail: %s",
			       strerror(errno));
	}
	b.size = sizeof(b);
	EXPECT_EQ(-1, ioctl(fd, DIBS_USER_IOC_BIND, &b));
	EXPECT_EQ(EISCONN, errno);
	close(fd);

	EXPECT_EQ(-ENODEV, dev_open("nosuchdev"));
	fd = open(DEV_PATH, O_RDWR);
	ASSERT_LE(0, fd);
	EXPECT_EQ(-1, ioctl(fd, _IO(DIBS_USER_IOC_MAGIC, 0x7f)));
	EXPECT_EQ(ENOTTY, errno);
	close(fd);
}

/* the reader side of a transfer: verifies @rounds rounds in @dmb */
static void read_rounds(struct __test_metadata *_metadata, int fd,
			const struct dibs_user_dmb_register *r,
			const uint8_t *dmb, int ack_fd, unsigned int rounds)
{
	uint8_t *want = malloc(DMB_LEN);
	struct dibs_user_event ev;

	ASSERT_NE(NULL, want);
	for (unsigned int round = 0; round < rounds; round++) {
		ASSERT_EQ(0, next_record(fd, &ev, WAIT_MS))
			TH_LOG("round %u: no signal", round);
		ASSERT_EQ(DIBS_USER_EVENT_SIGNAL, ev.kind);
		ASSERT_EQ(r->token, ev.token);
		ASSERT_EQ(r->idx, ev.idx);
		ASSERT_EQ(sig_bit(round % 16), ev.dmbemask)
			TH_LOG("round %u: signal index %u", round, round % 16);
		fill_round(want, DMB_LEN, round);
		ASSERT_EQ(fnv1a(want, DMB_LEN), fnv1a(dmb, DMB_LEN))
			TH_LOG("round %u: checksum of the DMB differs", round);
		ASSERT_EQ(1, write(ack_fd, "a", 1));
	}
	free(want);
}

/* runs a writer child and the reader; @nocopy: attach instead of move */
static void transfer(struct __test_metadata *_metadata, int fd,
		     const struct dibs_user_info *info, bool nocopy)
{
	unsigned int rounds = test_rounds();
	struct dibs_user_dmb_register r;
	int acks[2], status;
	uint8_t *dmb;
	pid_t pid;

	ASSERT_EQ(0, reg_dmb(fd, DMB_LEN, info->gid, &r));
	dmb = mmap(NULL, DMB_LEN, PROT_READ, MAP_SHARED, fd, r.mmap_offset);
	ASSERT_NE(MAP_FAILED, dmb) TH_LOG("mmap: %s", strerror(errno));
	ASSERT_EQ(0, pipe(acks));
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		uint8_t *data = malloc(DMB_LEN), *rdmb = NULL;
		struct dibs_user_attach a;
		int wfd = dev_open(info->name);
		char c;

		if (!data || wfd < 0)
			_exit(10);
		if (nocopy) {
			if (attach(wfd, r.token, &a) || a.len != DMB_LEN)
				_exit(11);
			rdmb = mmap(NULL, DMB_LEN, PROT_READ | PROT_WRITE,
				    MAP_SHARED, wfd, a.mmap_offset);
			if (rdmb == MAP_FAILED)
				_exit(12);
		}
		for (unsigned int round = 0; round < rounds; round++) {
			fill_round(data, DMB_LEN, round);
			if (nocopy) {
				memcpy(rdmb, data, DMB_LEN);
				if (move(wfd, r.token, 0, NULL, 0, round % 16))
					_exit(13);
			} else {
				for (uint32_t off = 0; off < DMB_LEN;
				     off += MOVE_CHUNK)
					if (move(wfd, r.token, off, data + off,
						 MOVE_CHUNK,
						 off + MOVE_CHUNK == DMB_LEN ?
						 (int)(round % 16) : -1))
						_exit(14);
			}
			if (read(acks[0], &c, 1) != 1)
				_exit(15);
		}
		_exit(0);
	}
	read_rounds(_metadata, fd, &r, dmb, acks[1], rounds);
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0)
		TH_LOG("writer failed with status 0x%x", status);
	munmap(dmb, DMB_LEN);
	close(acks[0]);
	close(acks[1]);
}

TEST_F_TIMEOUT(user, copy_two_processes, 600)
{
	transfer(_metadata, self->fd, &self->info, false);
}

TEST_F_TIMEOUT(user, nocopy_two_processes, 600)
{
	transfer(_metadata, self->fd, &self->info, true);
}

TEST_F(user, signals_merge_and_poll)
{
	struct dibs_user_dmb_register r1, r2;
	struct dibs_user_event ev[4];
	struct pollfd p = { .fd = self->fd, .events = POLLIN };
	int wfd = dev_open("lo");
	ssize_t n;

	ASSERT_LE(0, wfd);
	ASSERT_EQ(0, reg_dmb(self->fd, 4096, self->info.gid, &r1));
	ASSERT_EQ(0, reg_dmb(self->fd, 4096, self->info.gid, &r2));
	EXPECT_EQ(0, poll(&p, 1, 0)) TH_LOG("POLLIN with nothing queued");
	EXPECT_EQ(0, fcntl(self->fd, F_SETFL, O_NONBLOCK));
	EXPECT_EQ(-1, read(self->fd, ev, sizeof(ev)));
	EXPECT_EQ(EAGAIN, errno);
	EXPECT_EQ(-1, read(self->fd, ev, sizeof(ev[0]) - 1));
	EXPECT_EQ(EINVAL, errno);

	/* two signals on r1 before a read merge; r2 gets its own record */
	EXPECT_EQ(0, move(wfd, r1.token, 0, "x", 1, 0));
	EXPECT_EQ(0, move(wfd, r1.token, 1, "y", 1, 3));
	EXPECT_EQ(0, move(wfd, r2.token, 0, NULL, 0, 15));
	/* a move without a signal queues nothing */
	EXPECT_EQ(0, move(wfd, r2.token, 0, "z", 1, -1));
	EXPECT_EQ(1, poll(&p, 1, WAIT_MS));
	EXPECT_TRUE(p.revents & POLLIN);
	n = read(self->fd, ev, sizeof(ev));
	ASSERT_EQ((ssize_t)(2 * sizeof(ev[0])), n)
		TH_LOG("read %zd bytes, wanted two records", n);
	EXPECT_EQ(sizeof(ev[0]), ev[0].size);
	EXPECT_EQ(DIBS_USER_EVENT_SIGNAL, ev[0].kind);
	EXPECT_EQ(r1.token, ev[0].token);
	EXPECT_EQ(0x1000 | 0x0200, ev[0].dmbemask);
	EXPECT_EQ(r2.token, ev[1].token);
	EXPECT_EQ(r2.idx, ev[1].idx);
	EXPECT_EQ(0x2000, ev[1].dmbemask);
	EXPECT_EQ(0, poll(&p, 1, 0));

	/* a blocked poll() wakes when the signal comes */
	{
		pid_t pid = fork();
		int status;

		ASSERT_LE(0, pid);
		if (pid == 0) {
			usleep(200000);
			_exit(move(wfd, r1.token, 0, NULL, 0, 1) ? 1 : 0);
		}
		p.revents = 0;
		EXPECT_EQ(1, poll(&p, 1, WAIT_MS));
		EXPECT_TRUE(p.revents & POLLIN);
		EXPECT_EQ(sizeof(ev[0]), read(self->fd, ev, sizeof(ev)));
		EXPECT_EQ(0x0800, ev[0].dmbemask);
		waitpid(pid, &status, 0);
		EXPECT_EQ(0, status);
	}
	close(wfd);
}

TEST_F(user, sw_event_reaches_every_file)
{
	struct dibs_user_signal_event se = {
		.size = sizeof(se),
		.flags = DIBS_USER_SIGNAL_IRQ,
		.event_code = 7,
		.info = 0x1122334455667788ULL,
	};
	struct dibs_user_event ev;
	int other = dev_open("lo");

	ASSERT_LE(0, other);
	memcpy(se.rgid, self->info.gid, sizeof(se.rgid));
	ASSERT_EQ(0, ioctl(other, DIBS_USER_IOC_SIGNAL_EVENT, &se))
		TH_LOG("signal_event: %s", strerror(errno));
	for (int i = 0; i < 2; i++) {
		int fd = i ? other : self->fd;

		ASSERT_EQ(0, next_record(fd, &ev, WAIT_MS))
			TH_LOG("file %d got no event", i);
		EXPECT_EQ(DIBS_USER_EVENT_DEVICE, ev.kind);
		EXPECT_EQ(DIBS_USER_SW_EVENT, ev.type);
		EXPECT_EQ(7, ev.subtype);
		EXPECT_EQ(0x1122334455667788ULL, ev.data);
		EXPECT_EQ(0, memcmp(ev.gid, self->info.gid, sizeof(ev.gid)));
	}
	se.rgid[0] ^= 0xff;
	EXPECT_EQ(-1, ioctl(other, DIBS_USER_IOC_SIGNAL_EVENT, &se));
	EXPECT_EQ(ENETUNREACH, errno);
	se.rgid[0] ^= 0xff;
	se.flags = 0x80;
	EXPECT_EQ(-1, ioctl(other, DIBS_USER_IOC_SIGNAL_EVENT, &se));
	EXPECT_EQ(EINVAL, errno);
	close(other);
}

static sigjmp_buf fault_jmp;

static void on_fault(int sig)
{
	siglongjmp(fault_jmp, sig);
}

/* reads *@p; returns the signal that raised (SIGBUS, SIGSEGV) or 0 */
static int __attribute__((noinline)) touch(const volatile uint8_t *p)
{
	struct sigaction sa = { .sa_handler = on_fault }, old_bus, old_segv;
	volatile int sig;

	sigaction(SIGBUS, &sa, &old_bus);
	sigaction(SIGSEGV, &sa, &old_segv);
	sig = sigsetjmp(fault_jmp, 1);
	if (!sig)
		(void)*p;
	sigaction(SIGBUS, &old_bus, NULL);
	sigaction(SIGSEGV, &old_segv, NULL);
	return sig;
}

TEST_F(user, refused_requests)
{
	struct dibs_user_dmb_register r;
	struct dibs_user_attach a;
	uint8_t other_gid[16], buf[64] = { 0 };
	struct dibs_user_dmb_unregister u = { .size = sizeof(u) };
	struct dibs_user_detach d = { .size = sizeof(d) };
	long page = sysconf(_SC_PAGESIZE);
	void *map;

	ASSERT_EQ(0, reg_dmb(self->fd, 8192, self->info.gid, &r));
	EXPECT_NE(0, r.token);

	EXPECT_EQ(-EINVAL, reg_dmb(self->fd, 0, self->info.gid, &r));
	EXPECT_EQ(-EINVAL, reg_dmb(self->fd, (1U << 30) + 1, self->info.gid,
				   &r));
	memcpy(other_gid, self->info.gid, 16);
	other_gid[15] ^= 1;
	EXPECT_EQ(-ENETUNREACH, reg_dmb(self->fd, 4096, other_gid, &r));
	ASSERT_EQ(0, reg_dmb(self->fd, 8192, self->info.gid, &r));

	EXPECT_EQ(-ENOENT, move(self->fd, r.token ^ 1, 0, buf, 1, -1));
	EXPECT_EQ(-ERANGE, move(self->fd, r.token, 8192, buf, 1, -1));
	EXPECT_EQ(-ERANGE, move(self->fd, r.token, 8190, buf, 3, -1));
	EXPECT_EQ(-ERANGE, move(self->fd, r.token, UINT32_MAX, buf, 2, -1));
	EXPECT_EQ(-EINVAL, move(self->fd, r.token, 0, buf, 1, 16));
	EXPECT_EQ(-EFAULT, move(self->fd, r.token, 0, (void *)8, 4, -1));
	EXPECT_EQ(0, move(self->fd, r.token, 8192 - 64, buf, 64, -1));

	EXPECT_EQ(-ENOENT, attach(self->fd, r.token ^ 1, &a));
	EXPECT_EQ(0, attach(self->fd, r.token, &a));
	EXPECT_EQ(8192, a.len);
	EXPECT_EQ(-EEXIST, attach(self->fd, r.token, &a));
	d.token = r.token ^ 1;
	EXPECT_EQ(-1, ioctl(self->fd, DIBS_USER_IOC_DETACH, &d));
	EXPECT_EQ(ENOENT, errno);
	d.token = r.token;
	EXPECT_EQ(0, ioctl(self->fd, DIBS_USER_IOC_DETACH, &d));
	EXPECT_EQ(-1, ioctl(self->fd, DIBS_USER_IOC_DETACH, &d));
	EXPECT_EQ(ENOENT, errno);

	/* mappings: own DMBs read-only, exact offsets, no overlong ones */
	map = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_SHARED, self->fd,
		   r.mmap_offset);
	EXPECT_EQ(MAP_FAILED, map);
	EXPECT_EQ(EACCES, errno);
	map = mmap(NULL, 8192 + page, PROT_READ, MAP_SHARED, self->fd,
		   r.mmap_offset);
	EXPECT_EQ(MAP_FAILED, map);
	EXPECT_EQ(EINVAL, errno);
	map = mmap(NULL, page, PROT_READ, MAP_SHARED, self->fd,
		   r.mmap_offset + 2 * page);
	EXPECT_EQ(MAP_FAILED, map);
	EXPECT_EQ(EINVAL, errno);
	map = mmap(NULL, 8192, PROT_READ, MAP_PRIVATE, self->fd,
		   r.mmap_offset);
	EXPECT_EQ(MAP_FAILED, map);
	map = mmap(NULL, 8192, PROT_READ, MAP_SHARED, self->fd,
		   r.mmap_offset);
	ASSERT_NE(MAP_FAILED, map);
	EXPECT_EQ(-1, mprotect(map, 8192, PROT_READ | PROT_WRITE));
	EXPECT_EQ(EACCES, errno);

	/* unregistering tears the mapping down: SIGBUS, not stale memory */
	u.token = r.token;
	EXPECT_EQ(0, ioctl(self->fd, DIBS_USER_IOC_DMB_UNREGISTER, &u));
	EXPECT_EQ(-1, ioctl(self->fd, DIBS_USER_IOC_DMB_UNREGISTER, &u));
	EXPECT_EQ(ENOENT, errno);
	EXPECT_EQ(-ENOENT, move(self->fd, r.token, 0, buf, 1, -1));
	{
		int sig = touch(map);

		EXPECT_EQ(SIGBUS, sig)
			TH_LOG("reading an unregistered DMB's mapping gave signal %d",
			       sig);
	}
	munmap(map, 8192);
	u.reserved = 1;
	EXPECT_EQ(-1, ioctl(self->fd, DIBS_USER_IOC_DMB_UNREGISTER, &u));
	EXPECT_EQ(EINVAL, errno);
}

TEST_F(user, wrong_writer_device)
{
	struct dibs_reply rep = { 0 };
	struct dibs_user_dmb_register r;
	struct dibs_user_info i1, i2;
	struct dibs_user_attach a;
	int fd1, fd2;

	ASSERT_EQ(0, dibs_dev_new(&self->g, "lo1", NULL, &rep));
	dibs_reply_free(&rep);
	ASSERT_EQ(0, dibs_dev_new(&self->g, "lo2", NULL, &rep));
	dibs_reply_free(&rep);
	fd1 = dev_open("lo1");
	fd2 = dev_open("lo2");
	ASSERT_LE(0, fd1);
	ASSERT_LE(0, fd2);
	ASSERT_EQ(0, get_info(fd1, &i1));
	ASSERT_EQ(0, get_info(fd2, &i2));

	/* lo2's DMB for itself: lo1 can neither move into it nor attach it */
	ASSERT_EQ(0, reg_dmb(fd2, 4096, i2.gid, &r));
	EXPECT_EQ(-ENOENT, move(fd1, r.token, 0, "x", 1, 0));
	EXPECT_EQ(-ENOENT, attach(fd1, r.token, &a));
	EXPECT_EQ(0, move(fd2, r.token, 0, "x", 1, -1));
	/* and lo2 cannot name lo1 as writer: a loopback reaches only itself */
	EXPECT_EQ(-ENETUNREACH, reg_dmb(fd2, 4096, i1.gid, &r));
	close(fd1);
	close(fd2);
}

TEST_F(user, per_file_limits)
{
	struct dibs_user_dmb_register r;
	struct dibs_user_attach a;
	struct dibs_user_info info;
	int fd;

	ASSERT_EQ(0, write_param("max_dmbs_per_file", 2));
	ASSERT_EQ(0, write_param("max_bytes_per_file", 3 * 4096));
	fd = dev_open("lo");
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, get_info(fd, &info));
	EXPECT_EQ(2, info.limit_dmbs);
	EXPECT_EQ(3 * 4096, info.limit_bytes);
	EXPECT_EQ(0, reg_dmb(fd, 2 * 4096, self->info.gid, &r));
	EXPECT_EQ(-EDQUOT, reg_dmb(fd, 4096 + 1, self->info.gid, &r));
	EXPECT_EQ(0, reg_dmb(fd, 4096, self->info.gid, &r));
	EXPECT_EQ(-EDQUOT, reg_dmb(fd, 1, self->info.gid, &r));
	EXPECT_EQ(-EDQUOT, attach(fd, r.token, &a));
	ASSERT_EQ(0, get_info(fd, &info));
	EXPECT_EQ(2, info.dmbs);
	EXPECT_EQ(3 * 4096, info.dmb_bytes);
	/* the file bound before the change keeps its limits */
	EXPECT_EQ(0, reg_dmb(self->fd, 4 * 4096, self->info.gid, &r));
	close(fd);
}

TEST_F(user, dmbs_freed_on_close)
{
	struct dibs_user_dmb_register r;
	struct dibs_user_attach a;
	void *map;
	int fd = dev_open("lo");

	ASSERT_LE(0, fd);
	for (int i = 0; i < 5; i++)
		ASSERT_EQ(0, reg_dmb(fd, 4096 << i, self->info.gid, &r));
	ASSERT_EQ(0, attach(self->fd, r.token, &a));
	map = mmap(NULL, 4096, PROT_READ, MAP_SHARED, fd, r.mmap_offset);
	ASSERT_NE(MAP_FAILED, map);
	EXPECT_EQ(5, dmbs_in_use(&self->g, "lo"));
	close(fd);
	/* the mapping keeps the file open */
	EXPECT_EQ(5, dmbs_in_use(&self->g, "lo"));
	munmap(map, 4096);
	EXPECT_EQ(0, wait_in_use(&self->g, "lo", 0));
}

TEST_F_TIMEOUT(user, dmbs_freed_on_kill, 120)
{
	int ready[2], status;
	char c;
	pid_t pid;

	ASSERT_EQ(0, pipe(ready));
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		struct dibs_user_dmb_register r;
		struct dibs_user_attach a;
		uint8_t *data = calloc(1, DMB_LEN);
		int fd = dev_open("lo");
		uint8_t *rdmb;

		if (fd < 0 || !data)
			_exit(10);
		for (int i = 0; i < 3; i++)
			if (reg_dmb(fd, DMB_LEN, self->info.gid, &r))
				_exit(11);
		if (attach(fd, r.token, &a))
			_exit(12);
		rdmb = mmap(NULL, DMB_LEN, PROT_READ | PROT_WRITE, MAP_SHARED,
			    fd, a.mmap_offset);
		if (rdmb == MAP_FAILED)
			_exit(13);
		if (write(ready[1], "r", 1) != 1)
			_exit(14);
		for (;;) {
			if (move(fd, r.token, 0, data, DMB_LEN, 0))
				_exit(15);
			memset(rdmb, data[0]++, DMB_LEN);
		}
	}
	ASSERT_EQ(1, read(ready[0], &c, 1)) TH_LOG("the child did not start");
	EXPECT_EQ(3, dmbs_in_use(&self->g, "lo"));
	usleep(300000);
	ASSERT_EQ(0, kill(pid, SIGKILL));
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL)
		TH_LOG("the child ended with status 0x%x before the kill",
		       status);
	EXPECT_EQ(0, wait_in_use(&self->g, "lo", 0));
	close(ready[0]);
	close(ready[1]);
}

TEST_F_TIMEOUT(user, device_deleted_under_load, 120)
{
	struct dibs_user_dmb_register r;
	struct dibs_reply rep = { 0 };
	struct dibs_user_event ev;
	struct dibs_user_info info;
	struct pollfd p;
	int ready[2], status, fd, ret;
	long mark = dmesg_mark();
	uint8_t *map;
	char c;
	pid_t pid;

	ASSERT_EQ(0, dibs_dev_new(&self->g, "lo1", NULL, &rep));
	dibs_reply_free(&rep);
	fd = dev_open("lo1");
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, get_info(fd, &info));
	ASSERT_EQ(0, reg_dmb(fd, DMB_LEN, info.gid, &r));
	map = mmap(NULL, DMB_LEN, PROT_READ, MAP_SHARED, fd, r.mmap_offset);
	ASSERT_NE(MAP_FAILED, map);
	ASSERT_EQ(0, pipe(ready));
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		/* moves into the DMB until the device goes away */
		uint8_t *data = calloc(1, MOVE_CHUNK);
		int wfd = dev_open("lo1");

		if (wfd < 0 || !data)
			_exit(10);
		if (write(ready[1], "r", 1) != 1)
			_exit(11);
		for (;;) {
			ret = move(wfd, r.token, 0, data, MOVE_CHUNK, 0);
			if (ret == -ENODEV)
				_exit(0);
			if (ret)
				_exit(12);
		}
	}
	ASSERT_EQ(1, read(ready[0], &c, 1));
	usleep(200000);

	ret = dibs_dev_del_name(&self->g, "lo1", false, &rep);
	dibs_reply_free(&rep);
	EXPECT_EQ(-EBUSY, ret);
	ret = dibs_dev_del_name(&self->g, "lo1", true, &rep);
	dibs_reply_free(&rep);
	ASSERT_EQ(0, ret);

	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0)
		TH_LOG("the writer did not see ENODEV: status 0x%x", status);
	p = (struct pollfd){ .fd = fd, .events = POLLIN };
	EXPECT_EQ(1, poll(&p, 1, WAIT_MS));
	EXPECT_TRUE(p.revents & POLLHUP) TH_LOG("revents 0x%x", p.revents);
	/* what was queued is still readable, then the end is reported */
	while (read(fd, &ev, sizeof(ev)) == sizeof(ev))
		;
	EXPECT_EQ(ENODEV, errno);
	EXPECT_EQ(-ENODEV, reg_dmb(fd, 4096, info.gid, &r));
	ASSERT_EQ(0, get_info(fd, &info));
	EXPECT_TRUE(info.flags & DIBS_USER_INFO_DEV_GONE);
	EXPECT_EQ(0, info.dmbs);
	{
		int sig = touch(map);

		EXPECT_EQ(SIGBUS, sig)
			TH_LOG("the DMB mapping outlived its device: signal %d",
			       sig);
	}
	munmap(map, DMB_LEN);
	close(fd);
	close(ready[0]);
	close(ready[1]);
	EXPECT_TRUE(dmesg_clean_since(mark))
		TH_LOG("the kernel log shows leftovers or a warning");
}

/* writes @text to @dir/@file; 0 or -errno */
static int cg_write(const char *dir, const char *file, const char *text)
{
	char path[256];
	int fd, ret = 0;

	snprintf(path, sizeof(path), "%s/%s", dir, file);
	fd = open(path, O_WRONLY);
	if (fd < 0)
		return -errno;
	if (write(fd, text, strlen(text)) < 0)
		ret = -errno;
	close(fd);
	return ret;
}

static long long cg_read(const char *dir, const char *file)
{
	long long val = -1;
	char path[256];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, file);
	f = fopen(path, "r");
	if (f) {
		if (fscanf(f, "%lld", &val) != 1)
			val = -1;
		fclose(f);
	}
	return val;
}

#define CG_LIMIT (16LL << 20)
#define CG_DMB_LEN (4U << 20)

/*
 * DMB memory is charged to the registering process's memory cgroup: a
 * DMB raises memory.current by its size, and memory.max stops
 * registrations with ENOMEM (the DMB count stays where it was).
 */
TEST_F(user, dmb_memory_charged_to_cgroup)
{
	char root[] = "/tmp/dibs-cg.XXXXXX", cg[64];
	int status;
	pid_t pid;

	ASSERT_NE(NULL, mkdtemp(root));
	if (mount("none", root, "cgroup2", 0, NULL)) {
		rmdir(root);
		SKIP(return, "cannot mount cgroup2: %s", strerror(errno));
	}
	snprintf(cg, sizeof(cg), "%s/dibs_user_test", root);
	ASSERT_EQ(0, cg_write(root, "cgroup.subtree_control", "+memory"));
	ASSERT_EQ(0, mkdir(cg, 0755));
	ASSERT_EQ(0, cg_write(cg, "memory.max", "16777216"));

	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		struct dibs_user_dmb_register r;
		long long before, after;
		char me[32];
		int fd, err = 0, n;

		snprintf(me, sizeof(me), "%d", getpid());
		if (cg_write(cg, "cgroup.procs", me))
			_exit(10);
		fd = dev_open("lo");
		if (fd < 0)
			_exit(11);
		before = cg_read(cg, "memory.current");
		if (reg_dmb(fd, CG_DMB_LEN, self->info.gid, &r))
			_exit(12);
		after = cg_read(cg, "memory.current");
		if (before < 0 || after - before < CG_DMB_LEN)
			_exit(13);
		for (n = 1; n <= CG_LIMIT / CG_DMB_LEN && !err; n++)
			err = reg_dmb(fd, CG_DMB_LEN, self->info.gid, &r);
		if (err != -ENOMEM)
			_exit(14);
		if (dmbs_in_use(&self->g, "lo") != n - 1)
			_exit(15);
		_exit(0);
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0)
		TH_LOG("child status 0x%x: 12 first DMB refused, 13 memory.current did not grow by the DMB, 14 memory.max did not stop registration with ENOMEM, 15 a refused DMB was counted",
		       status);
	EXPECT_EQ(0, wait_in_use(&self->g, "lo", 0));
	EXPECT_EQ(0, rmdir(cg));
	EXPECT_EQ(0, umount(root));
	rmdir(root);
}

/*
 * Issue 13, finding 1: a process can make its own page faults last forever
 * (userfaultfd, FUSE).  An ioctl of /dev/dibs stuck in such a fault must
 * not hold anything that deleting the device waits for: the delete
 * returns, other dibs requests work, and once the fault is served the
 * ioctl ends (ENODEV for a move whose device went away) and nothing is
 * left behind.
 */

/* how long a forced dev-del may take with a user copy stuck */
#define DEL_WAIT_S 20

struct stuck_ioctl {
	int fd;
	unsigned long cmd;
	void *arg;
	int ret;	/* 0 or -errno of the ioctl */
};

static void *run_stuck_ioctl(void *p)
{
	struct stuck_ioctl *op = p;

	op->ret = ioctl(op->fd, op->cmd, op->arg) ? -errno : 0;
	return NULL;
}

/* a userfaultfd of this process, or -errno */
static int uffd_open(void)
{
	struct uffdio_api api = { .api = UFFD_API };
	int fd, err;

	fd = syscall(__NR_userfaultfd, O_CLOEXEC | O_NONBLOCK);
	if (fd < 0)
		return -errno;
	if (ioctl(fd, UFFDIO_API, &api)) {
		err = -errno;
		close(fd);
		return err;
	}
	return fd;
}

/* waits up to @ms for a page fault on @uffd: 0, -ETIME or -errno */
static int uffd_wait_fault(int uffd, int ms, struct uffd_msg *msg)
{
	struct pollfd p = { .fd = uffd, .events = POLLIN };
	int n = poll(&p, 1, ms);

	if (n < 0)
		return -errno;
	if (n == 0)
		return -ETIME;
	if (read(uffd, msg, sizeof(*msg)) != sizeof(*msg))
		return -errno;
	return msg->event == UFFD_EVENT_PAGEFAULT ? 0 : -EPROTO;
}

/*
 * Force-deletes device @name from a child (a delete that hangs must not
 * hang the test) and waits for it at most DEL_WAIT_S seconds: 0, -errno of
 * the delete, or -ETIME with the child still running in *@pidp.
 */
static int del_dev_bounded(const char *name, int uffd, pid_t *pidp)
{
	int status;
	pid_t pid;

	*pidp = fork();
	if (*pidp < 0)
		return -errno;
	if (*pidp == 0) {
		struct dibs_reply rep = { 0 };
		struct dibs_genl g;
		int ret;

		/* the parent must be able to serve the fault without us */
		close(uffd);
		ret = dibs_genl_open(&g);
		if (!ret)
			ret = dibs_dev_del_name(&g, name, true, &rep);
		_exit(ret < 0 ? -ret & 0xff : 0);
	}
	for (int i = 0; i < DEL_WAIT_S * 20; i++) {
		pid = waitpid(*pidp, &status, WNOHANG);
		if (pid == *pidp) {
			*pidp = 0;
			return WIFEXITED(status) ? -WEXITSTATUS(status) : -ECHILD;
		}
		usleep(50000);
	}
	return -ETIME;
}

/*
 * A thread's ioctl stuck in a user copy while "lo1" is deleted by force:
 * a MOVE whose source page is missing (never served), or (@reg) a
 * REGISTER whose argument is write-protected, so that the copy in works
 * and the copy out of the results faults.
 */
static void stuck_copy_vs_del(struct __test_metadata *_metadata,
			      FIXTURE_DATA(user) *self, bool reg)
{
	const char *what = reg ? "DMB_REGISTER" : "MOVE";
	long page = sysconf(_SC_PAGESIZE), mark = dmesg_mark();
	struct uffdio_register ureg = { 0 };
	struct dibs_user_dmb_register r;
	struct dibs_reply rep = { 0 };
	struct dibs_user_move m = { .size = sizeof(m) };
	struct dibs_user_info info;
	struct stuck_ioctl op = { 0 };
	struct uffd_msg msg;
	int uffd, fd, ret, status;
	pid_t del_pid = 0;
	uint8_t *mem;
	pthread_t th;

	uffd = uffd_open();
	if (uffd == -ENOSYS)
		SKIP(return, "the kernel has no userfaultfd");
	ASSERT_LE(0, uffd) TH_LOG("userfaultfd: %s", strerror(-uffd));
	ASSERT_EQ(0, dibs_dev_new(&self->g, "lo1", NULL, &rep));
	dibs_reply_free(&rep);
	fd = dev_open("lo1");
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, get_info(fd, &info));
	mem = mmap(NULL, page, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, mem);
	ureg.range.start = (uintptr_t)mem;
	ureg.range.len = page;
	op.fd = fd;
	if (reg) {
		struct uffdio_writeprotect wp = {
			.range = ureg.range,
			.mode = UFFDIO_WRITEPROTECT_MODE_WP,
		};
		struct dibs_user_dmb_register *rp = (void *)mem;

		rp->size = sizeof(*rp);
		rp->len = 4096;
		memcpy(rp->rgid, info.gid, sizeof(rp->rgid));
		ureg.mode = UFFDIO_REGISTER_MODE_WP;
		if (ioctl(uffd, UFFDIO_REGISTER, &ureg))
			SKIP(goto out, "no write-protect userfaults: %s",
			     strerror(errno));
		ASSERT_EQ(0, ioctl(uffd, UFFDIO_WRITEPROTECT, &wp))
			TH_LOG("UFFDIO_WRITEPROTECT: %s", strerror(errno));
		op.cmd = DIBS_USER_IOC_DMB_REGISTER;
		op.arg = rp;
	} else {
		ASSERT_EQ(0, reg_dmb(fd, page, info.gid, &r));
		ureg.mode = UFFDIO_REGISTER_MODE_MISSING;
		ASSERT_EQ(0, ioctl(uffd, UFFDIO_REGISTER, &ureg))
			TH_LOG("UFFDIO_REGISTER: %s", strerror(errno));
		m.token = r.token;
		m.buf = (uintptr_t)mem;
		m.len = page;
		op.cmd = DIBS_USER_IOC_MOVE;
		op.arg = &m;
	}
	ASSERT_EQ(0, pthread_create(&th, NULL, run_stuck_ioctl, &op));
	ret = uffd_wait_fault(uffd, WAIT_MS, &msg);
	ASSERT_EQ(0, ret) TH_LOG("the %s ioctl did not fault on its page: %s",
				 what, strerror(-ret));

	ret = del_dev_bounded("lo1", uffd, &del_pid);
	EXPECT_EQ(0, ret) {
		if (ret == -ETIME)
			TH_LOG("dev-del did not return within %d s while a user copy was stuck in %s",
			       DEL_WAIT_S, what);
		else
			TH_LOG("dev-del lo1 force: %s", strerror(-ret));
	}
	if (!ret) {
		EXPECT_EQ(0, dibs_dev_get_name(&self->g, "lo", &rep))
			TH_LOG("dev-get after the delete failed");
		dibs_reply_free(&rep);
		EXPECT_EQ(-ENODEV, dibs_dev_get_name(&self->g, "lo1", &rep))
			TH_LOG("lo1 is still there after its delete");
		dibs_reply_free(&rep);
	}

	/* serve the fault: the stuck ioctl goes on */
	if (reg) {
		struct uffdio_writeprotect wp = { .range = ureg.range };

		EXPECT_EQ(0, ioctl(uffd, UFFDIO_WRITEPROTECT, &wp))
			TH_LOG("UFFDIO_WRITEPROTECT off: %s", strerror(errno));
	} else {
		struct uffdio_zeropage zp = { .range = ureg.range };

		EXPECT_EQ(0, ioctl(uffd, UFFDIO_ZEROPAGE, &zp))
			TH_LOG("UFFDIO_ZEROPAGE: %s", strerror(errno));
	}
	ASSERT_EQ(0, pthread_join(th, NULL));
	if (del_pid)
		ASSERT_EQ(del_pid, waitpid(del_pid, &status, 0));
	if (reg) {
		/* registered before the delete, released by it */
		EXPECT_EQ(0, op.ret) TH_LOG("REGISTER: %s", strerror(-op.ret));
	} else {
		EXPECT_EQ(-ENODEV, op.ret)
			TH_LOG("MOVE ended with %s, not ENODEV",
			       strerror(-op.ret));
	}
	ASSERT_EQ(0, get_info(fd, &info));
	EXPECT_TRUE(info.flags & DIBS_USER_INFO_DEV_GONE);
	EXPECT_EQ(0, info.dmbs) TH_LOG("the file still counts DMBs");
	EXPECT_TRUE(dmesg_clean_since(mark))
		TH_LOG("the kernel log shows leftovers or a warning");
out:
	munmap(mem, page);
	close(fd);
	close(uffd);
}

TEST_F_TIMEOUT(user, stuck_move_copy_does_not_block_dev_del, 120)
{
	stuck_copy_vs_del(_metadata, self, false);
}

TEST_F_TIMEOUT(user, stuck_register_copy_does_not_block_dev_del, 120)
{
	stuck_copy_vs_del(_metadata, self, true);
}

/*
 * Issue 13, finding 2: however many files a user opens, /dev/dibs takes at
 * most dev_dmbs_percent of a device's DMBs (refused with ENOSPC), and an
 * in-kernel client (dibs_test_client.ko) can still register on it.
 */
TEST_F_TIMEOUT(user, dev_limit_keeps_room_for_kernel_clients, 600)
{
	struct dibs_user_dmb_register r;
	struct dibs_reply rep = { 0 };
	struct dibs_user_info info;
	unsigned long long pct = 50;
	int fds[64], nfds, ret = 0, loaded, fd, last_fd = -1;
	struct dibs_user_dmb_unregister u = { .size = sizeof(u) };
	long want, got = 0;
	uint64_t last = 0;

	if (access(PARAM_DIR "dev_dmbs_percent", F_OK) == 0)
		pct = read_param("dev_dmbs_percent");
	ASSERT_EQ(0, dibs_dev_new(&self->g, "lo1", NULL, &rep));
	dibs_reply_free(&rep);
	fds[0] = dev_open("lo1");
	ASSERT_LE(0, fds[0]);
	/* a loopback device reaches only itself */
	ASSERT_EQ(0, get_info(fds[0], &info));
	/* file after file until the refusal is not the file's own limit */
	for (nfds = 1;; nfds++) {
		while (!(ret = reg_dmb(fds[nfds - 1], 1, info.gid, &r))) {
			last = r.token;
			last_fd = fds[nfds - 1];
			got++;
		}
		if (ret != -EDQUOT || nfds == 64)
			break;
		fds[nfds] = dev_open("lo1");
		ASSERT_LE(0, fds[nfds]);
	}
	want = (long)((unsigned long long)info.max_dmbs * pct / 100);
	EXPECT_EQ(-ENOSPC, ret) TH_LOG("registration stopped with %s",
				       strerror(-ret));
	EXPECT_EQ(want, got)
		TH_LOG("/dev/dibs files took %ld of lo1's %u DMBs, expected %ld (dev_dmbs_percent %llu)",
		       got, info.max_dmbs, want, pct);

	loaded = dibs_module_load(DIBS_TC_NAME, NULL);
	ASSERT_LE(0, loaded) TH_LOG("cannot load %s.ko", DIBS_TC_NAME);
	ret = dibs_tc_ctl("register lo1 1 4096");
	EXPECT_EQ(0, ret)
		TH_LOG("an in-kernel client could not register on lo1 after /dev/dibs took %ld DMBs: %s",
		       got, strerror(-ret));
	if (!ret)
		EXPECT_EQ(0, dibs_tc_ctl("unregister lo1"));
	if (loaded == 0)
		dibs_module_unload(DIBS_TC_NAME);

	/* a DMB given back can be taken again, by another file */
	u.token = last;
	EXPECT_EQ(0, ioctl(last_fd, DIBS_USER_IOC_DMB_UNREGISTER, &u));
	fd = dev_open("lo1");
	ASSERT_LE(0, fd);
	EXPECT_EQ(0, reg_dmb(fd, 1, info.gid, &r));
	EXPECT_EQ(-ENOSPC, reg_dmb(fd, 1, info.gid, &r));
	close(fd);
	for (int i = 0; i < nfds; i++)
		close(fds[i]);
	EXPECT_EQ(0, wait_in_use(&self->g, "lo1", 0));
}

/*
 * Issue 13, finding 3: read() into memory it cannot write fails with
 * EFAULT and keeps the record for the next read(); a read() whose second
 * record does not fit in writable memory returns the first one only.
 */
TEST_F(user, read_fault_keeps_record)
{
	struct dibs_user_signal_event se = {
		.size = sizeof(se),
		.flags = DIBS_USER_SIGNAL_IRQ,
		.event_code = 9,
	};
	struct pollfd p = { .fd = self->fd, .events = POLLIN };
	long page = sysconf(_SC_PAGESIZE);
	struct dibs_user_dmb_register r;
	struct dibs_user_event ev, *tail;
	int wfd = dev_open("lo");
	uint8_t *mem;
	void *ro;
	ssize_t n;

	ASSERT_LE(0, wfd);
	/* memory read() cannot write to */
	ro = mmap(NULL, page, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, ro);
	ASSERT_EQ(0, fcntl(self->fd, F_SETFL, O_NONBLOCK));
	ASSERT_EQ(0, reg_dmb(self->fd, 4096, self->info.gid, &r));

	/* a signal */
	ASSERT_EQ(0, move(wfd, r.token, 0, NULL, 0, 2));
	ASSERT_EQ(1, poll(&p, 1, WAIT_MS));
	EXPECT_EQ(-1, read(self->fd, ro, sizeof(ev)));
	EXPECT_EQ(EFAULT, errno);
	n = read(self->fd, &ev, sizeof(ev));
	EXPECT_EQ((ssize_t)sizeof(ev), n)
		TH_LOG("the signal record was lost with the failed read: %s",
		       n < 0 ? strerror(errno) : "short read");
	EXPECT_EQ(DIBS_USER_EVENT_SIGNAL, ev.kind);
	EXPECT_EQ(r.token, ev.token);
	EXPECT_EQ(sig_bit(2), ev.dmbemask);

	/* a device event */
	memcpy(se.rgid, self->info.gid, sizeof(se.rgid));
	ASSERT_EQ(0, ioctl(wfd, DIBS_USER_IOC_SIGNAL_EVENT, &se));
	ASSERT_EQ(1, poll(&p, 1, WAIT_MS));
	EXPECT_EQ(-1, read(self->fd, ro, sizeof(ev)));
	EXPECT_EQ(EFAULT, errno);
	memset(&ev, 0, sizeof(ev));
	n = read(self->fd, &ev, sizeof(ev));
	EXPECT_EQ((ssize_t)sizeof(ev), n)
		TH_LOG("the event record was lost with the failed read: %s",
		       n < 0 ? strerror(errno) : "short read");
	EXPECT_EQ(DIBS_USER_EVENT_DEVICE, ev.kind);
	EXPECT_EQ(9, ev.subtype);

	/* two records, room for one before an unmapped page */
	mem = mmap(NULL, 2 * page, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, mem);
	ASSERT_EQ(0, munmap(mem + page, page));
	tail = (void *)(mem + page - sizeof(ev));
	ASSERT_EQ(0, move(wfd, r.token, 0, NULL, 0, 4));
	ASSERT_EQ(0, ioctl(wfd, DIBS_USER_IOC_SIGNAL_EVENT, &se));
	ASSERT_EQ(1, poll(&p, 1, WAIT_MS));
	EXPECT_EQ((ssize_t)sizeof(ev), read(self->fd, tail, 2 * sizeof(ev)));
	EXPECT_EQ(DIBS_USER_EVENT_SIGNAL, tail->kind);
	EXPECT_EQ(sig_bit(4), tail->dmbemask);
	n = read(self->fd, &ev, sizeof(ev));
	EXPECT_EQ((ssize_t)sizeof(ev), n)
		TH_LOG("the record that did not fit was lost: %s",
		       n < 0 ? strerror(errno) : "short read");
	EXPECT_EQ(DIBS_USER_EVENT_DEVICE, ev.kind);
	EXPECT_EQ(-1, read(self->fd, &ev, sizeof(ev)));
	EXPECT_EQ(EAGAIN, errno);
	munmap(mem, page);
	munmap(ro, page);
	close(wfd);
}

/*
 * Issue 13, finding 4: an ioctl number is matched whole but for its size
 * (the structures carry their own): every command with another direction
 * fails with ENOTTY and changes nothing, while another size still works.
 */
TEST_F(user, wrong_ioctl_direction_is_enotty)
{
	static const struct {
		const char *name;
		unsigned long cmd;
	} cmds[] = {
		{ "BIND", DIBS_USER_IOC_BIND },
		{ "INFO", DIBS_USER_IOC_INFO },
		{ "DMB_REGISTER", DIBS_USER_IOC_DMB_REGISTER },
		{ "DMB_UNREGISTER", DIBS_USER_IOC_DMB_UNREGISTER },
		{ "MOVE", DIBS_USER_IOC_MOVE },
		{ "ATTACH", DIBS_USER_IOC_ATTACH },
		{ "DETACH", DIBS_USER_IOC_DETACH },
		{ "SIGNAL_EVENT", DIBS_USER_IOC_SIGNAL_EVENT },
	};
	static const unsigned int dirs[] = {
		_IOC_NONE, _IOC_READ, _IOC_WRITE, _IOC_READ | _IOC_WRITE,
	};
	struct pollfd p = { .fd = self->fd, .events = POLLIN };
	struct dibs_user_dmb_register r0, reg;
	struct dibs_user_dmb_unregister unreg = { .size = sizeof(unreg) };
	struct dibs_user_bind bind = { .size = sizeof(bind), .name = "lo" };
	struct dibs_user_signal_event se = {
		.size = sizeof(se), .flags = DIBS_USER_SIGNAL_IRQ,
	};
	struct dibs_user_detach det = { .size = sizeof(det) };
	struct dibs_user_move mv = { .size = sizeof(mv) };
	struct dibs_user_info info, info0;
	struct dibs_user_attach a0, att;
	const uint8_t *dmb;
	int unbound, wfd;
	void *args[8];

	unbound = open(DEV_PATH, O_RDWR);
	ASSERT_LE(0, unbound);
	wfd = dev_open("lo");
	ASSERT_LE(0, wfd);
	ASSERT_EQ(0, reg_dmb(self->fd, 4096, self->info.gid, &r0));
	dmb = mmap(NULL, 4096, PROT_READ, MAP_SHARED, self->fd,
		   r0.mmap_offset);
	ASSERT_NE(MAP_FAILED, dmb);
	ASSERT_EQ(0, attach(wfd, r0.token, &a0));

	/* arguments each of which the right command would act on */
	memset(&info0, 0xa5, sizeof(info0));
	info0.size = sizeof(info0);
	info = info0;
	memset(&reg, 0, sizeof(reg));
	reg.size = sizeof(reg);
	reg.len = 4096;
	memcpy(reg.rgid, self->info.gid, sizeof(reg.rgid));
	unreg.token = r0.token;
	mv.token = r0.token;
	mv.buf = (uintptr_t)"q";
	mv.len = 1;
	mv.flags = DIBS_USER_MOVE_SIGNAL;
	memset(&att, 0, sizeof(att));
	att.size = sizeof(att);
	att.token = r0.token;
	det.token = r0.token;
	memcpy(se.rgid, self->info.gid, sizeof(se.rgid));
	args[0] = &bind;
	args[1] = &info;
	args[2] = &reg;
	args[3] = &unreg;
	args[4] = &mv;
	args[5] = &att;
	args[6] = &det;
	args[7] = &se;

	for (size_t i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++) {
		unsigned long cmd = cmds[i].cmd;
		/* BIND on a bound file fails anyway: use an unbound one */
		int fd = i == 0 ? unbound : (i == 5 || i == 6) ? wfd :
			 self->fd;

		for (size_t d = 0; d < sizeof(dirs) / sizeof(dirs[0]); d++) {
			unsigned long wrong;

			if (dirs[d] == _IOC_DIR(cmd))
				continue;
			wrong = _IOC(dirs[d], _IOC_TYPE(cmd), _IOC_NR(cmd),
				     _IOC_SIZE(cmd));
			errno = 0;
			EXPECT_EQ(-1, ioctl(fd, wrong, args[i]))
				TH_LOG("%s with direction %u was accepted",
				       cmds[i].name, dirs[d]);
			EXPECT_EQ(ENOTTY, errno)
				TH_LOG("%s with direction %u: %s, not ENOTTY",
				       cmds[i].name, dirs[d], strerror(errno));
		}
	}

	/* nothing changed */
	EXPECT_EQ(0, memcmp(&info, &info0, sizeof(info)))
		TH_LOG("a wrong-direction INFO wrote its result");
	EXPECT_EQ(-ENOTCONN, get_info(unbound, &info))
		TH_LOG("a wrong-direction BIND bound the file");
	ASSERT_EQ(0, get_info(self->fd, &info));
	EXPECT_EQ(1, info.dmbs) TH_LOG("a wrong-direction REGISTER or UNREGISTER changed the file's DMBs");
	ASSERT_EQ(0, get_info(wfd, &info));
	EXPECT_EQ(1, info.dmbs) TH_LOG("a wrong-direction ATTACH or DETACH changed the writer's attachments");
	EXPECT_EQ(1, dmbs_in_use(&self->g, "lo"));
	EXPECT_EQ(0, dmb[0]) TH_LOG("a wrong-direction MOVE wrote the DMB");
	EXPECT_EQ(0, poll(&p, 1, 200))
		TH_LOG("a wrong-direction MOVE or SIGNAL_EVENT queued a record");

	/* the size in the number is not checked: the structure has its own */
	info = info0;
	EXPECT_EQ(0, ioctl(self->fd, _IOC(_IOC_DIR(DIBS_USER_IOC_INFO),
					  DIBS_USER_IOC_MAGIC,
					  _IOC_NR(DIBS_USER_IOC_INFO), 8),
			   &info)) TH_LOG("INFO with size 8: %s",
					  strerror(errno));
	EXPECT_EQ(1, info.dmbs);
	munmap((void *)dmb, 4096);
	close(wfd);
	close(unbound);
}

TEST_HARNESS_MAIN
