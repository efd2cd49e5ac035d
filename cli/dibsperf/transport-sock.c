// SPDX-License-Identifier: GPL-2.0-only
/*
 * The two reference transports dibsperf compares dibs with: a Unix stream
 * socketpair and TCP over 127.0.0.1, both blocking, TCP with Nagle off
 * so that ping-pong measures the stack rather than a delayed-ACK timer.
 */
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <unistd.h>

#include "dibsperf.h"

struct perf_conn {
	int fd;
	size_t msg_size;
};

/* What both ends inherit from prepare(). */
struct sock_shared {
	int fds[2];		/* unix: the socketpair */
	int listen_fd;		/* tcp: bound to 127.0.0.1, port in addr */
	struct sockaddr_in addr;
};

static int sock_shared_new(struct sock_shared **shared)
{
	*shared = calloc(1, sizeof(**shared));
	if (!*shared)
		return -ENOMEM;
	(*shared)->fds[0] = -1;
	(*shared)->fds[1] = -1;
	(*shared)->listen_fd = -1;
	return 0;
}

static void sock_release(void *data)
{
	struct sock_shared *shared = data;

	if (!shared)
		return;
	if (shared->fds[0] >= 0)
		close(shared->fds[0]);
	if (shared->fds[1] >= 0)
		close(shared->fds[1]);
	if (shared->listen_fd >= 0)
		close(shared->listen_fd);
	free(shared);
}

static int conn_new(int fd, size_t msg_size, struct perf_conn **conn)
{
	*conn = malloc(sizeof(**conn));
	if (!*conn) {
		close(fd);
		return -ENOMEM;
	}
	(*conn)->fd = fd;
	(*conn)->msg_size = msg_size;
	return 0;
}

static int unix_prepare(const struct perf_opts *opts, void **data)
{
	struct sock_shared *shared;
	int ret;

	ret = sock_shared_new(&shared);
	if (ret)
		return ret;
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, shared->fds)) {
		ret = -errno;
		sock_release(shared);
		return ret;
	}
	*data = shared;
	return 0;
}

static int unix_connect(const struct perf_opts *opts, void *data,
			enum perf_role role, int ctl, size_t msg_size,
			struct perf_conn **conn)
{
	struct sock_shared *shared = data;
	int fd = shared->fds[role];

	/* The end of the other process is closed with the shared state. */
	shared->fds[role] = -1;
	return conn_new(fd, msg_size, conn);
}

static int tcp_prepare(const struct perf_opts *opts, void **data)
{
	struct sock_shared *shared;
	socklen_t len = sizeof(shared->addr);
	int ret;

	ret = sock_shared_new(&shared);
	if (ret)
		return ret;
	shared->addr.sin_family = AF_INET;
	shared->addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	shared->listen_fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (shared->listen_fd < 0 ||
	    bind(shared->listen_fd, (struct sockaddr *)&shared->addr, len) ||
	    getsockname(shared->listen_fd, (struct sockaddr *)&shared->addr,
			&len) ||
	    listen(shared->listen_fd, 1)) {
		ret = -errno;
		sock_release(shared);
		return ret;
	}
	*data = shared;
	return 0;
}

static int tcp_connect(const struct perf_opts *opts, void *data,
		       enum perf_role role, int ctl, size_t msg_size,
		       struct perf_conn **conn)
{
	struct sock_shared *shared = data;
	int one = 1;
	int fd;

	if (role == PERF_SERVER) {
		fd = accept4(shared->listen_fd, NULL, NULL, SOCK_CLOEXEC);
		if (fd < 0)
			return -errno;
	} else {
		fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
		if (fd < 0)
			return -errno;
		if (connect(fd, (struct sockaddr *)&shared->addr,
			    sizeof(shared->addr))) {
			int ret = -errno;

			close(fd);
			return ret;
		}
	}
	if (setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one))) {
		int ret = -errno;

		close(fd);
		return ret;
	}
	return conn_new(fd, msg_size, conn);
}

static int sock_send(struct perf_conn *conn, const void *buf)
{
	return perf_write_all(conn->fd, buf, conn->msg_size);
}

static int sock_recv(struct perf_conn *conn, void *buf)
{
	return perf_read_all(conn->fd, buf, conn->msg_size);
}

static void sock_close(struct perf_conn *conn)
{
	close(conn->fd);
	free(conn);
}

const struct perf_transport perf_transport_unix = {
	.name = "unix",
	.prepare = unix_prepare,
	.connect = unix_connect,
	.send = sock_send,
	.recv = sock_recv,
	.close = sock_close,
	.release = sock_release,
};

const struct perf_transport perf_transport_tcp = {
	.name = "tcp",
	.prepare = tcp_prepare,
	.connect = tcp_connect,
	.send = sock_send,
	.recv = sock_recv,
	.close = sock_close,
	.release = sock_release,
};
