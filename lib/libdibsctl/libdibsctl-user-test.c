// SPDX-License-Identifier: GPL-2.0-only
/*
 * The data path of libdibsctl-user (LIBDIBSCTL_USER_1) against the real
 * dibs_user.ko, in the VM: everything through the public API, as a
 * program would use it (libdibsctl only sets up and checks devices; the
 * dibsctl_user_* calls bind to libdibsctl-user by their version).
 * Binding by name and index, the device facts against the netlink view,
 * a move seen through the owner's mapping with its signal, coalesced
 * signals, nocopy stores, software events, the errors the API promises,
 * a wrong writer device, and a device deleted under an open file.
 *
 * Loads $DIBS_MODULES/dibs_user.ko if needed and removes it at the end,
 * since tests/run-vm-suites reloads only dibs.ko.
 * Run alone: tools/dibs-vm -- BUILD/lib/libdibsctl/libdibsctl-user-test
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "libdibsctl.h"
#include "libdibsctl-user.h"

#define WAIT_MS		5000
#define DMB_LEN		(64 * 1024)

static pid_t module_loader;

static void __attribute__((constructor)) load_module(void)
{
	const char *dir = getenv("DIBS_MODULES");
	char cmd[512];

	if (access("/sys/module/dibs_user", F_OK) == 0 || !dir)
		return;
	snprintf(cmd, sizeof(cmd), "insmod %s/dibs_user.ko", dir);
	if (system(cmd) == 0) {
		module_loader = getpid();
		for (int i = 0; i < 100 && access("/dev/dibs", F_OK); i++)
			usleep(50000);
	}
}

static void __attribute__((destructor)) unload_module(void)
{
	if (module_loader && module_loader == getpid() &&
	    system("rmmod dibs_user") != 0)
		fprintf(stderr, "# rmmod dibs_user failed\n");
}

static void fill_random(unsigned char *buf, size_t len, unsigned int seed)
{
	for (size_t i = 0; i < len; i++) {
		seed = seed * 1103515245 + 12345;
		buf[i] = seed >> 16;
	}
}

FIXTURE(user) {
	struct dibsctl *ctx;
	struct dibsctl_dev *lo;
	uint8_t lo_gid[DIBSCTL_GID_LEN];
	uint32_t lo_index;
	struct dibsctl_user *reader;
	struct dibsctl_user *writer;
	/* extra devices a test created, deleted by the teardown */
	const char *extra[2];
};

FIXTURE_SETUP(user)
{
	int ret;

	ASSERT_EQ(0, dibsctl_new(&self->ctx));
	ASSERT_EQ(0, dibsctl_dev_new_from_name(self->ctx, "lo", &self->lo));
	ASSERT_EQ(0, dibsctl_dev_get_gid(self->lo, self->lo_gid));
	ASSERT_EQ(0, dibsctl_dev_get_index(self->lo, &self->lo_index));
	ret = dibsctl_user_open_by_name("lo", &self->reader);
	ASSERT_EQ(0, ret)
		TH_LOG("open /dev/dibs bound to lo: %s (dibs_user.ko loaded?)",
		       strerror(-ret));
	ASSERT_EQ(0, dibsctl_user_open_by_name("lo", &self->writer));
}

FIXTURE_TEARDOWN(user)
{
	dibsctl_user_close(self->reader);
	dibsctl_user_close(self->writer);
	for (size_t i = 0; i < 2; i++)
		if (self->extra[i])
			dibsctl_dev_del_by_name(self->ctx, self->extra[i],
						DIBSCTL_DEL_FORCE);
	dibsctl_dev_unref(self->lo);
	dibsctl_unref(self->ctx);
}

TEST_F(user, info_matches_netlink)
{
	struct dibsctl_user_info info;
	struct dibsctl_user *by_index;
	uint32_t max_dmbs;

	ASSERT_EQ(0, dibsctl_user_get_info(self->reader, &info));
	EXPECT_STREQ("lo", info.name);
	EXPECT_EQ(self->lo_index, info.index);
	EXPECT_EQ(0, memcmp(self->lo_gid, info.gid, DIBSCTL_GID_LEN))
		TH_LOG("the GID of /dev/dibs differs from dev-get's");
	ASSERT_EQ(0, dibsctl_dev_get_max_dmbs(self->lo, &max_dmbs));
	EXPECT_EQ(max_dmbs, info.max_dmbs);
	EXPECT_TRUE(info.flags & DIBSCTL_USER_MMAPPED_RDMB)
		TH_LOG("the loopback can map remote DMBs, flags are %#x",
		       info.flags);
	EXPECT_FALSE(info.flags & DIBSCTL_USER_DEV_GONE);
	EXPECT_EQ(0, info.dmbs);
	EXPECT_EQ(0, info.dmb_bytes);

	ASSERT_EQ(0, dibsctl_user_open_by_index(self->lo_index, &by_index));
	ASSERT_EQ(0, dibsctl_user_get_info(by_index, &info));
	EXPECT_STREQ("lo", info.name);
	EXPECT_LE(0, dibsctl_user_get_fd(by_index));
	dibsctl_user_close(by_index);
}

TEST_F(user, open_errors)
{
	struct dibsctl_user *u = NULL;

	EXPECT_EQ(-ENODEV, dibsctl_user_open_by_name("nosuch0", &u));
	EXPECT_EQ(-EINVAL, dibsctl_user_open_by_name("", &u));
	EXPECT_EQ(-EINVAL, dibsctl_user_open_by_name("0123456789abcdef", &u));
	EXPECT_EQ(-EINVAL, dibsctl_user_open_by_index(0, &u));
	EXPECT_EQ(-ENODEV, dibsctl_user_open_by_index(0x7fffffff, &u));
	EXPECT_EQ(NULL, u);
	dibsctl_user_close(NULL);
}

TEST_F(user, move_is_seen_and_signalled)
{
	static unsigned char data[DMB_LEN / 2];
	struct dibsctl_user_event ev;
	struct dibsctl_user_info info;
	struct dibsctl_user_dmb dmb;
	const unsigned char *map;
	void *addr;

	ASSERT_EQ(0, dibsctl_user_dmb_register(self->reader, DMB_LEN,
					       self->lo_gid,
					       DIBSCTL_USER_NO_VLAN, &dmb));
	EXPECT_NE(0, dmb.token);
	EXPECT_EQ(DMB_LEN, dmb.len);
	ASSERT_EQ(0, dibsctl_user_get_info(self->reader, &info));
	EXPECT_EQ(1, info.dmbs);
	EXPECT_EQ(DMB_LEN, info.dmb_bytes);
	ASSERT_EQ(0, dibsctl_user_map(self->reader, &dmb, &addr));
	map = addr;

	/* Nothing has arrived yet: a zero timeout returns at once. */
	EXPECT_EQ(0, dibsctl_user_wait(self->reader, 0, &ev));

	fill_random(data, sizeof(data), 42);
	ASSERT_EQ(0, dibsctl_user_move(self->writer, dmb.token, 4096, data,
				       sizeof(data), 3));
	ASSERT_EQ(1, dibsctl_user_wait(self->reader, WAIT_MS, &ev));
	EXPECT_EQ(DIBSCTL_USER_EVENT_SIGNAL, ev.kind);
	EXPECT_EQ(dmb.token, ev.token);
	EXPECT_EQ(dmb.idx, ev.idx);
	EXPECT_NE(0, ev.dmbemask);
	EXPECT_EQ(0, memcmp(data, map + 4096, sizeof(data)))
		TH_LOG("the owner's mapping does not show what was moved");
	EXPECT_EQ(0, map[4095]);

	/* Two signals before the owner looks: one record. */
	ASSERT_EQ(0, dibsctl_user_signal(self->writer, dmb.token, 0));
	ASSERT_EQ(0, dibsctl_user_signal(self->writer, dmb.token, 0));
	ASSERT_EQ(1, dibsctl_user_wait(self->reader, WAIT_MS, &ev));
	EXPECT_EQ(DIBSCTL_USER_EVENT_SIGNAL, ev.kind);
	EXPECT_EQ(0, dibsctl_user_wait(self->reader, 100, &ev))
		TH_LOG("signals of one DMB were not coalesced");

	/* A move without signal wakes nobody. */
	ASSERT_EQ(0, dibsctl_user_move(self->writer, dmb.token, 0, data, 64,
				       DIBSCTL_USER_NO_SIGNAL));
	EXPECT_EQ(0, dibsctl_user_wait(self->reader, 100, &ev));

	EXPECT_EQ(0, dibsctl_user_unmap(&dmb, addr));
	EXPECT_EQ(0, dibsctl_user_dmb_unregister(self->reader, dmb.token));
	EXPECT_EQ(-ENOENT, dibsctl_user_dmb_unregister(self->reader, dmb.token));
	ASSERT_EQ(0, dibsctl_user_get_info(self->reader, &info));
	EXPECT_EQ(0, info.dmbs);
	EXPECT_EQ(0, info.dmb_bytes);
}

TEST_F(user, move_errors)
{
	struct dibsctl_user_dmb dmb;
	unsigned char data[128] = { 1 };

	ASSERT_EQ(0, dibsctl_user_dmb_register(self->reader, 4096,
					       self->lo_gid,
					       DIBSCTL_USER_NO_VLAN, &dmb));
	EXPECT_EQ(-ENOENT, dibsctl_user_move(self->writer, dmb.token ^ 1, 0,
					     data, sizeof(data),
					     DIBSCTL_USER_NO_SIGNAL));
	EXPECT_EQ(-ERANGE, dibsctl_user_move(self->writer, dmb.token, 4000,
					     data, sizeof(data),
					     DIBSCTL_USER_NO_SIGNAL));
	EXPECT_EQ(-ERANGE, dibsctl_user_move(self->writer, dmb.token, 8192,
					     data, 1, DIBSCTL_USER_NO_SIGNAL));
	EXPECT_EQ(-EINVAL, dibsctl_user_move(self->writer, dmb.token, 0, data,
					     sizeof(data), 16));
	EXPECT_EQ(-EINVAL, dibsctl_user_move(self->writer, dmb.token, 0, data,
					     sizeof(data), -2));
	EXPECT_EQ(-EINVAL, dibsctl_user_move(self->writer, dmb.token, 0, NULL,
					     1, DIBSCTL_USER_NO_SIGNAL));
	EXPECT_EQ(-EINVAL, dibsctl_user_signal(self->writer, dmb.token, 16));
	EXPECT_EQ(-EINVAL, dibsctl_user_dmb_register(self->reader, 0,
						     self->lo_gid,
						     DIBSCTL_USER_NO_VLAN,
						     &dmb));
}

TEST_F(user, nocopy_stores_land_in_the_dmb)
{
	struct dibsctl_user_dmb dmb, att, again;
	struct dibsctl_user_event ev;
	unsigned char *wmap;
	const unsigned char *rmap;
	void *addr;

	ASSERT_EQ(0, dibsctl_user_dmb_register(self->reader, DMB_LEN,
					       self->lo_gid,
					       DIBSCTL_USER_NO_VLAN, &dmb));
	ASSERT_EQ(0, dibsctl_user_map(self->reader, &dmb, &addr));
	rmap = addr;
	ASSERT_EQ(0, dibsctl_user_attach(self->writer, dmb.token, &att));
	EXPECT_EQ(dmb.token, att.token);
	EXPECT_EQ(dmb.idx, att.idx);
	EXPECT_LE(DMB_LEN, att.len);
	EXPECT_TRUE(att.flags & DIBSCTL_USER_DMB_ATTACHED);
	EXPECT_EQ(-EEXIST, dibsctl_user_attach(self->writer, dmb.token, &again));
	ASSERT_EQ(0, dibsctl_user_map(self->writer, &att, &addr));
	wmap = addr;

	fill_random(wmap, DMB_LEN, 7);
	ASSERT_EQ(0, dibsctl_user_signal(self->writer, dmb.token, 1));
	ASSERT_EQ(1, dibsctl_user_wait(self->reader, WAIT_MS, &ev));
	EXPECT_EQ(DIBSCTL_USER_EVENT_SIGNAL, ev.kind);
	EXPECT_EQ(dmb.token, ev.token);
	EXPECT_EQ(0, memcmp(wmap, rmap, DMB_LEN))
		TH_LOG("stores into the attached DMB did not reach its owner");

	EXPECT_EQ(0, dibsctl_user_unmap(&att, wmap));
	EXPECT_EQ(0, dibsctl_user_detach(self->writer, dmb.token));
	EXPECT_EQ(-ENOENT, dibsctl_user_detach(self->writer, dmb.token));
	EXPECT_EQ(0, dibsctl_user_unmap(&dmb, (void *)rmap));
}

TEST_F(user, software_event)
{
	struct dibsctl_user_event ev;
	int ret;

	ASSERT_EQ(0, dibsctl_user_signal_event(self->writer, self->lo_gid,
					       0x1234, 0x0123456789abcdefULL));
	/* Both files are bound to lo: the reader gets it, whatever else. */
	do {
		ret = dibsctl_user_wait(self->reader, WAIT_MS, &ev);
		ASSERT_EQ(1, ret) TH_LOG("no software event arrived");
	} while (ev.kind != DIBSCTL_USER_EVENT_DEVICE);
	EXPECT_EQ(DIBSCTL_USER_SW_EVENT, ev.type);
	EXPECT_EQ(0x1234, ev.subtype);
	EXPECT_EQ(0x0123456789abcdefULL, ev.data);
	EXPECT_EQ(0, memcmp(self->lo_gid, ev.gid, DIBSCTL_GID_LEN))
		TH_LOG("the event does not carry the sender's GID");
}

/*
 * A DMB that usertest1 registered for itself refuses usertest2: the
 * loopback keeps each device's tokens apart, so the token is unknown
 * there (ENOENT; a device that can tell says EACCES).  Nothing lands.
 */
TEST_F(user, wrong_writer_is_refused)
{
	struct dibsctl_user *on_lo1, *on_lo2;
	struct dibsctl_user_dmb dmb, att;
	struct dibsctl_dev *lo1, *lo2;
	uint8_t gid1[DIBSCTL_GID_LEN];
	const unsigned char *map;
	char data[64] = "x";
	void *addr;
	int ret;

	ASSERT_EQ(0, dibsctl_dev_add_loopback(self->ctx, "usertest1", NULL,
					      &lo1));
	self->extra[0] = "usertest1";
	ASSERT_EQ(0, dibsctl_dev_add_loopback(self->ctx, "usertest2", NULL,
					      &lo2));
	self->extra[1] = "usertest2";
	ASSERT_EQ(0, dibsctl_dev_get_gid(lo1, gid1));
	dibsctl_dev_unref(lo1);
	dibsctl_dev_unref(lo2);

	ASSERT_EQ(0, dibsctl_user_open_by_name("usertest1", &on_lo1));
	ASSERT_EQ(0, dibsctl_user_open_by_name("usertest2", &on_lo2));
	ASSERT_EQ(0, dibsctl_user_dmb_register(on_lo1, 4096, gid1,
					       DIBSCTL_USER_NO_VLAN, &dmb));
	ASSERT_EQ(0, dibsctl_user_map(on_lo1, &dmb, &addr));
	map = addr;
	ret = dibsctl_user_move(on_lo2, dmb.token, 0, data, sizeof(data),
				DIBSCTL_USER_NO_SIGNAL);
	EXPECT_TRUE(ret == -ENOENT || ret == -EACCES)
		TH_LOG("move from the wrong device: %d, not -ENOENT or -EACCES",
		       ret);
	ret = dibsctl_user_attach(on_lo2, dmb.token, &att);
	EXPECT_TRUE(ret == -ENOENT || ret == -EACCES)
		TH_LOG("attach from the wrong device: %d, not -ENOENT or -EACCES",
		       ret);
	EXPECT_EQ(0, map[0]) TH_LOG("the refused move wrote into the DMB");
	EXPECT_EQ(0, dibsctl_user_move(on_lo1, dmb.token, 0, data,
				       sizeof(data), DIBSCTL_USER_NO_SIGNAL));
	EXPECT_EQ('x', map[0]);
	dibsctl_user_unmap(&dmb, addr);
	dibsctl_user_close(on_lo1);
	dibsctl_user_close(on_lo2);
}

/* Deleting the device under an open file: errors, never a hang. */
TEST_F(user, device_deleted_under_the_file)
{
	struct dibsctl_user_event ev;
	struct dibsctl_user_dmb dmb;
	struct dibsctl_user *u;
	struct dibsctl_dev *dev;
	uint8_t gid[DIBSCTL_GID_LEN];
	int ret;

	ASSERT_EQ(0, dibsctl_dev_add_loopback(self->ctx, "usertest1", NULL,
					      &dev));
	self->extra[0] = "usertest1";
	ASSERT_EQ(0, dibsctl_dev_get_gid(dev, gid));
	dibsctl_dev_unref(dev);
	ASSERT_EQ(0, dibsctl_user_open_by_name("usertest1", &u));
	ASSERT_EQ(0, dibsctl_user_dmb_register(u, 4096, gid,
					       DIBSCTL_USER_NO_VLAN, &dmb));
	ASSERT_EQ(0, dibsctl_dev_del_by_name(self->ctx, "usertest1",
					     DIBSCTL_DEL_FORCE));
	self->extra[0] = NULL;

	/* Queued events may come first; then the end. */
	do {
		ret = dibsctl_user_wait(u, WAIT_MS, &ev);
	} while (ret == 1);
	EXPECT_EQ(-ENODEV, ret)
		TH_LOG("wait after the device was deleted: %d", ret);
	EXPECT_EQ(-ENODEV, dibsctl_user_move(u, dmb.token, 0, gid, 1,
					     DIBSCTL_USER_NO_SIGNAL));
	dibsctl_user_close(u);
}

TEST_HARNESS_MAIN
