// SPDX-License-Identifier: GPL-2.0-only
/*
 * The dibs transports, over libdibsctl-user's /dev/dibs API.  Each process
 * registers one DMB, its inbox, for the device both are bound to, and
 * the peer writes into it: by DIBS_USER_IOC_MOVE (copy) or through a
 * mapping of the attached DMB (nocopy).  An inbox holds
 *
 *   offset 0            data_seq: messages the peer has put into the slots
 *   offset CREDIT_OFF   credit: messages the peer has taken out of its inbox
 *   offset SLOTS_OFF    window slots of msg_size bytes, used in turn
 *
 * Counters are written after the data they announce, so a reader that
 * sees a counter (load-acquire) sees the data.  Each counter update is
 * followed by a DMB signal that wakes the peer in poll(), unless both
 * sides busy-poll.  Signals of a DMB coalesce, so they only mean "look
 * again"; the counters carry the truth.
 *
 * Writing into an inbox whose owner has left fails (the token is gone),
 * so nobody leaves while the peer may still write to it: closing first
 * acknowledges everything received, then waits until the peer has
 * acknowledged everything sent.  After that the peer writes nothing but
 * its own closing acknowledgement, whose failure close() ignores.
 * Without this, the receiver of the goodbye could acknowledge earlier
 * messages into an inbox that was just unregistered, and fail.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <libdibsctl-user.h>

#include "dibsperf.h"

#define CREDIT_OFF	64
#define SLOTS_OFF	4096
/* The loopback allocates a DMB physically contiguous: keep it small. */
#define WINDOW_BYTES	(1024 * 1024)
#define WINDOW_MAX	16
#define SIGNAL_IDX	0
/* A peer that says nothing for this long is taken for dead. */
#define PEER_TIMEOUT_MS	10000

struct perf_conn {
	struct dibsctl_user *user;
	bool nocopy;
	bool busy_poll;
	size_t msg_size;
	uint32_t window;
	struct dibsctl_user_dmb inbox;
	const unsigned char *inbox_map;
	uint64_t peer_token;
	/* nocopy: the peer's inbox, attached and mapped writable */
	struct dibsctl_user_dmb peer;
	unsigned char *peer_map;
	uint64_t sent;		/* messages put into the peer's inbox */
	uint64_t received;	/* messages taken out of the inbox */
	uint64_t acked;		/* received, as last told to the peer */
	bool connected;		/* both inboxes are known */
	bool failed;		/* a send or receive failed: the peer may be gone */
};

static uint64_t load_counter(const unsigned char *map, size_t off)
{
	return __atomic_load_n((const uint64_t *)(map + off),
			       __ATOMIC_ACQUIRE);
}

/* Puts @len bytes at @off of the peer's inbox. */
static int put_data(struct perf_conn *c, size_t off, const void *buf,
		    size_t len)
{
	if (c->nocopy) {
		memcpy(c->peer_map + off, buf, len);
		return 0;
	}
	return dibsctl_user_move(c->user, c->peer_token, off, buf, len,
				 DIBSCTL_USER_NO_SIGNAL);
}

/* Publishes a counter of the peer's inbox and wakes the peer. */
static int put_counter(struct perf_conn *c, size_t off, uint64_t value)
{
	int sig = c->busy_poll ? DIBSCTL_USER_NO_SIGNAL : SIGNAL_IDX;

	if (c->nocopy) {
		__atomic_store_n((uint64_t *)(c->peer_map + off), value,
				 __ATOMIC_RELEASE);
		return sig < 0 ? 0 : dibsctl_user_signal(c->user, c->peer_token,
							 sig);
	}
	return dibsctl_user_move(c->user, c->peer_token, off, &value,
				 sizeof(value), sig);
}

static int64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Waits until the inbox counter at @off exceeds @seen. */
static int wait_counter(struct perf_conn *c, size_t off, uint64_t seen)
{
	int64_t left, deadline = now_ms() + PEER_TIMEOUT_MS;
	struct dibsctl_user_event ev;
	unsigned int spins = 0;
	int ret;

	while (load_counter(c->inbox_map, off) <= seen) {
		if (c->busy_poll) {
			if (++spins % 4096 == 0 && now_ms() > deadline)
				return -ETIMEDOUT;
			continue;
		}
		left = deadline - now_ms();
		ret = dibsctl_user_wait(c->user, left > 0 ? (int)left : 0, &ev);
		if (ret < 0)
			return ret;
		if (ret == 0)
			return -ETIMEDOUT;
	}
	return 0;
}

static int dibs_send_one(struct perf_conn *c, const void *buf)
{
	int ret;

	if (c->sent - load_counter(c->inbox_map, CREDIT_OFF) >= c->window) {
		ret = wait_counter(c, CREDIT_OFF, c->sent - c->window);
		if (ret)
			return ret;
	}
	ret = put_data(c, SLOTS_OFF + (c->sent % c->window) * c->msg_size,
		       buf, c->msg_size);
	if (ret)
		return ret;
	c->sent++;
	return put_counter(c, 0, c->sent);
}

/* Tells the peer how many messages were taken out of the inbox. */
static int ack(struct perf_conn *c)
{
	int ret;

	if (c->acked == c->received)
		return 0;
	ret = put_counter(c, CREDIT_OFF, c->received);
	if (!ret)
		c->acked = c->received;
	return ret;
}

/*
 * Acknowledgements are batched: sent when half a window is unacknowledged
 * or before waiting, never one per message.  The last ones go out in
 * close().
 */
static int dibs_recv_one(struct perf_conn *c, void *buf)
{
	int ret;

	/* Half a window unacknowledged: let the sender go on. */
	if (c->received - c->acked >= (c->window + 1) / 2) {
		ret = ack(c);
		if (ret)
			return ret;
	}
	if (load_counter(c->inbox_map, 0) <= c->received) {
		/* About to wait: a sender with a full window waits for this. */
		ret = ack(c);
		if (!ret)
			ret = wait_counter(c, 0, c->received);
		if (ret)
			return ret;
	}
	memcpy(buf, c->inbox_map + SLOTS_OFF +
	       (c->received % c->window) * c->msg_size, c->msg_size);
	c->received++;
	return 0;
}

static int dibs_send(struct perf_conn *c, const void *buf)
{
	int ret = dibs_send_one(c, buf);

	c->failed |= ret != 0;
	return ret;
}

static int dibs_recv(struct perf_conn *c, void *buf)
{
	int ret = dibs_recv_one(c, buf);

	c->failed |= ret != 0;
	return ret;
}

static void dibs_close(struct perf_conn *c)
{
	/*
	 * The orderly goodbye of the header comment.  After a failure the
	 * peer may be dead: waiting for it would only cost the timeout.
	 */
	if (c->connected && !c->failed && !ack(c) && c->sent)
		wait_counter(c, CREDIT_OFF, c->sent - 1);
	if (c->peer_map)
		dibsctl_user_unmap(&c->peer, c->peer_map);
	if (c->inbox_map)
		dibsctl_user_unmap(&c->inbox, (void *)c->inbox_map);
	/* Closing the file unregisters the inbox and detaches the peer's. */
	dibsctl_user_close(c->user);
	free(c);
}

static int dibs_connect(const struct perf_opts *opts, bool nocopy, int ctl,
			size_t msg_size, struct perf_conn **conn)
{
	struct dibsctl_user_info info;
	struct perf_conn *c;
	void *map;
	int ret;

	c = calloc(1, sizeof(*c));
	if (!c)
		return -ENOMEM;
	c->nocopy = nocopy;
	c->busy_poll = opts->busy_poll;
	c->msg_size = msg_size;
	c->window = WINDOW_BYTES / msg_size;
	if (c->window > WINDOW_MAX)
		c->window = WINDOW_MAX;
	if (c->window < 1)
		c->window = 1;

	ret = dibsctl_user_open_by_name(opts->dev_name, &c->user);
	if (ret) {
		free(c);
		return ret;
	}
	ret = dibsctl_user_get_info(c->user, &info);
	if (ret)
		goto err;
	if (nocopy && !(info.flags & DIBSCTL_USER_MMAPPED_RDMB)) {
		ret = -EOPNOTSUPP;
		goto err;
	}
	/* Both processes are bound to the same device: it is the writer. */
	ret = dibsctl_user_dmb_register(c->user,
					SLOTS_OFF + c->window * msg_size,
					info.gid, DIBSCTL_USER_NO_VLAN,
					&c->inbox);
	if (ret)
		goto err;
	ret = dibsctl_user_map(c->user, &c->inbox, &map);
	if (ret)
		goto err;
	c->inbox_map = map;

	ret = perf_write_all(ctl, &c->inbox.token, sizeof(c->inbox.token));
	if (!ret)
		ret = perf_read_all(ctl, &c->peer_token, sizeof(c->peer_token));
	if (ret)
		goto err;
	if (nocopy) {
		ret = dibsctl_user_attach(c->user, c->peer_token, &c->peer);
		if (ret)
			goto err;
		ret = dibsctl_user_map(c->user, &c->peer, &map);
		if (ret)
			goto err;
		c->peer_map = map;
	}
	c->connected = true;
	*conn = c;
	return 0;
err:
	dibs_close(c);
	return ret;
}

static int dibs_prepare(const struct perf_opts *opts, void **shared)
{
	*shared = NULL;
	return 0;
}

static int copy_connect(const struct perf_opts *opts, void *shared,
			enum perf_role role, int ctl, size_t msg_size,
			struct perf_conn **conn)
{
	return dibs_connect(opts, false, ctl, msg_size, conn);
}

static int nocopy_connect(const struct perf_opts *opts, void *shared,
			  enum perf_role role, int ctl, size_t msg_size,
			  struct perf_conn **conn)
{
	return dibs_connect(opts, true, ctl, msg_size, conn);
}

static void dibs_release(void *shared)
{
}

const struct perf_transport perf_transport_copy = {
	.name = "copy",
	.is_dibs = true,
	.prepare = dibs_prepare,
	.connect = copy_connect,
	.send = dibs_send,
	.recv = dibs_recv,
	.close = dibs_close,
	.release = dibs_release,
};

const struct perf_transport perf_transport_nocopy = {
	.name = "nocopy",
	.is_dibs = true,
	.prepare = dibs_prepare,
	.connect = nocopy_connect,
	.send = dibs_send,
	.recv = dibs_recv,
	.close = dibs_close,
	.release = dibs_release,
};
