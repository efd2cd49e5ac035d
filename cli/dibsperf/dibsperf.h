/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * dibsperf internals: the transports it measures and the measurements.
 *
 * Every measurement runs between this process (the client) and a child
 * forked for it (the server).  A transport moves messages of one fixed
 * size (msg_size) between the two; it is set up in three steps so that
 * kernel objects owned by one process (a /dev/dibs file, a DMB) are
 * created by that process: prepare() before the fork, connect() in both
 * processes after it, with a socketpair (ctl) for exchanging setup data.
 */
#ifndef DIBSPERF_H
#define DIBSPERF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum perf_role {
	PERF_CLIENT,
	PERF_SERVER,
};

struct perf_opts {
	const char *dev_name;	/* dibs device, for the dibs transports */
	double seconds;		/* length of each measurement */
	bool busy_poll;		/* dibs: spin on the DMB instead of poll() */
};

struct perf_transport;

/* One end of a connected transport, private to the transport. */
struct perf_conn;

struct perf_transport {
	const char *name;	/* "copy", "nocopy", "unix", "tcp" */
	bool is_dibs;
	/* Before the fork: state both ends inherit (a listening socket). */
	int (*prepare)(const struct perf_opts *opts, void **shared);
	int (*connect)(const struct perf_opts *opts, void *shared,
		       enum perf_role role, int ctl, size_t msg_size,
		       struct perf_conn **conn);
	/* One whole message of msg_size bytes; 0 or -errno. */
	int (*send)(struct perf_conn *conn, const void *buf);
	int (*recv)(struct perf_conn *conn, void *buf);
	void (*close)(struct perf_conn *conn);
	void (*release)(void *shared);
};

extern const struct perf_transport perf_transport_unix;
extern const struct perf_transport perf_transport_tcp;
extern const struct perf_transport perf_transport_copy;
extern const struct perf_transport perf_transport_nocopy;

/* One transport at one message size. */
struct perf_result {
	const char *mode;
	bool is_dibs;		/* compared with the sockets */
	size_t size;
	double throughput_bps;	/* payload bytes per second, one way */
	double messages_per_s;
	uint64_t pingpongs;
	double latency_avg_us;	/* half round trip, as sockperf reports */
	double latency_p50_us;
	double latency_p99_us;
};

/* Helpers the transports share (dibsperf.c). */
int perf_write_all(int fd, const void *buf, size_t len);
int perf_read_all(int fd, void *buf, size_t len);

#endif /* DIBSPERF_H */
