// SPDX-License-Identifier: GPL-2.0
/*
 * smcd-io: AF_SMC traffic over 127.0.0.1 for the SMC-D suite and bench,
 * with every connection checked through smc_diag: both ends must be in
 * SMC-D mode (not a TCP fallback) on the SMC-D device with GID --gid.
 *
 *   smcd-io [--gid HEX] [--tcp] stream BYTES [CONNS]
 *       CONNS connections at once (default 1); on each, both ends send
 *       BYTES of a seeded pseudo-random stream and check what they
 *       receive against it (position of the first difference, FNV-1a).
 *       Prints "payload N" (bytes sent over all connections, both ways).
 *   smcd-io [--gid HEX] churn COUNT
 *       COUNT connections one after the other: connect, 1 KiB each way,
 *       check, close.
 *   smcd-io [--gid HEX] [--wait-closed] hold CONNS
 *       opens CONNS connections, prints "ready" and waits in recv() on
 *       both ends of each, like an idle program; when one returns, prints
 *       "conn N end E ended: ERRNO-NAME|eof|data" and closes it.  Exits
 *       when all ended: 0 if every one ended with an error or EOF.
 *       --wait-closed: close an ended socket only once smc_diag shows it
 *       in state SMC_CLOSED, i.e. after SMC's abort of the connection is
 *       complete (a close() while SMC 6.1 aborts leaks the socket, see
 *       tests/smcd/smcd.sh); fails if that takes more than 60 s.
 *   smcd-io [--tcp] [--cpu N] pingpong SIZE ITERS
 *       ITERS round trips of SIZE bytes; prints "rtt_us X" (mean).
 *   smcd-io [--tcp] [--cpu N] tput SIZE BYTES
 *       one way, SIZE bytes a write; prints "mbps X" (MB/s, 10^6).
 *   smcd-io diag
 *       one line per SMC socket: "inode N mode smcd|fallback|smcr
 *       state N", from smc_diag.
 *
 * --tcp uses AF_INET TCP instead (nothing to check through smc_diag).
 * Exit status: 0 success, 1 a check or the I/O failed, 2 usage.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <inttypes.h>
#include <linux/inet_diag.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <linux/sock_diag.h>
#include <linux/smc_diag.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <sched.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#ifndef AF_SMC
#define AF_SMC 43
#endif

static bool use_tcp;
static bool check_gid;
static uint64_t want_gid;
static int pin_cpu = -1;
static bool wait_closed;

/* enum smc_state of net/smc/smc.h, as smc_diag reports it */
#define SMC_STATE_CLOSED 7

static void die(const char *what)
{
	fprintf(stderr, "smcd-io: %s: %s\n", what, strerror(errno));
	exit(1);
}

static void usage(void)
{
	fprintf(stderr,
		"usage: smcd-io [--gid HEX] [--tcp] [--cpu N] [--wait-closed]\n"
		"       stream BYTES [CONNS] | churn COUNT | hold CONNS |\n"
		"       pingpong SIZE ITERS | tput SIZE BYTES | diag\n");
	exit(2);
}

static unsigned long long num(const char *s)
{
	char *end;
	unsigned long long v;

	errno = 0;
	v = strtoull(s, &end, 0);
	if (errno || end == s || *end)
		usage();
	return v;
}

/* --------------------------------------------------------------- sockets */

static int sock_new(void)
{
	int fd = socket(use_tcp ? AF_INET : AF_SMC, SOCK_STREAM, 0);

	if (fd < 0)
		die(use_tcp ? "socket(AF_INET)" : "socket(AF_SMC)");
	return fd;
}

/* a listening socket on 127.0.0.1; its port in *port */
static int listener(uint16_t *port, int backlog)
{
	struct sockaddr_in sin = { .sin_family = AF_INET };
	socklen_t len = sizeof(sin);
	int fd = sock_new(), one = 1;

	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (bind(fd, (struct sockaddr *)&sin, sizeof(sin)) ||
	    listen(fd, backlog) ||
	    getsockname(fd, (struct sockaddr *)&sin, &len))
		die("listen on 127.0.0.1");
	*port = ntohs(sin.sin_port);
	return fd;
}

static int connect_to(uint16_t port)
{
	struct sockaddr_in sin = { .sin_family = AF_INET };
	int fd = sock_new();

	sin.sin_port = htons(port);
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (connect(fd, (struct sockaddr *)&sin, sizeof(sin)))
		die("connect to 127.0.0.1");
	return fd;
}

/* a connected pair: *c the connecting end, *s the accepted end */
static void pair(int lfd, uint16_t port, int *c, int *s)
{
	*c = connect_to(port);
	*s = accept(lfd, NULL, NULL);
	if (*s < 0)
		die("accept");
}

static int write_all(int fd, const void *buf, size_t len)
{
	const char *p = buf;

	while (len) {
		ssize_t n = send(fd, p, len, MSG_NOSIGNAL);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		p += n;
		len -= n;
	}
	return 0;
}

static int read_all(int fd, void *buf, size_t len)
{
	char *p = buf;

	while (len) {
		ssize_t n = recv(fd, p, len, 0);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			if (!n)
				errno = EPIPE;
			return -1;
		}
		p += n;
		len -= n;
	}
	return 0;
}

/* ------------------------------------------------------------ smc_diag */

struct diag_sock {
	uint64_t inode;
	uint8_t mode;
	uint8_t state;
	bool has_dmb;
	uint64_t my_gid;
};

/* calls @fn for every SMC socket; 0 or -1 with errno */
static int diag_dump(void (*fn)(const struct diag_sock *, void *), void *arg)
{
	struct {
		struct nlmsghdr nlh;
		struct smc_diag_req req;
	} msg = {
		.nlh = {
			.nlmsg_len = sizeof(msg),
			.nlmsg_type = SOCK_DIAG_BY_FAMILY,
			.nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP,
		},
		.req = {
			.diag_family = AF_SMC,
			.diag_ext = 1 << (SMC_DIAG_DMBINFO - 1),
		},
	};
	static char buf[65536];
	int fd, done = 0;

	fd = socket(AF_NETLINK, SOCK_DGRAM | SOCK_CLOEXEC, NETLINK_SOCK_DIAG);
	if (fd < 0)
		return -1;
	if (send(fd, &msg, sizeof(msg), 0) < 0)
		goto err;
	while (!done) {
		ssize_t n = recv(fd, buf, sizeof(buf), 0);
		struct nlmsghdr *h;

		if (n < 0)
			goto err;
		for (h = (struct nlmsghdr *)buf; NLMSG_OK(h, n);
		     h = NLMSG_NEXT(h, n)) {
			struct smc_diag_msg *m = NLMSG_DATA(h);
			struct diag_sock ds = { 0 };
			struct rtattr *a;
			int alen;

			if (h->nlmsg_type == NLMSG_DONE) {
				done = 1;
				break;
			}
			if (h->nlmsg_type == NLMSG_ERROR) {
				struct nlmsgerr *e = NLMSG_DATA(h);

				errno = -e->error;
				goto err;
			}
			ds.inode = m->diag_inode;
			ds.mode = m->diag_mode;
			ds.state = m->diag_state;
			a = (struct rtattr *)((char *)m + NLMSG_ALIGN(sizeof(*m)));
			alen = h->nlmsg_len - NLMSG_LENGTH(sizeof(*m));
			for (; RTA_OK(a, alen); a = RTA_NEXT(a, alen)) {
				if (a->rta_type == SMC_DIAG_DMBINFO &&
				    RTA_PAYLOAD(a) >= (int)sizeof(struct smcd_diag_dmbinfo)) {
					struct smcd_diag_dmbinfo d;

					memcpy(&d, RTA_DATA(a), sizeof(d));
					ds.has_dmb = true;
					ds.my_gid = d.my_gid;
				}
			}
			fn(&ds, arg);
		}
	}
	close(fd);
	return 0;
err:
	close(fd);
	return -1;
}

static const char *mode_name(uint8_t mode)
{
	switch (mode) {
	case SMC_DIAG_MODE_SMCD: return "smcd";
	case SMC_DIAG_MODE_FALLBACK_TCP: return "fallback";
	case SMC_DIAG_MODE_SMCR: return "smcr";
	}
	return "unknown";
}

struct find_ctx {
	uint64_t inode;
	struct diag_sock found;
	bool ok;
};

static void find_inode(const struct diag_sock *ds, void *arg)
{
	struct find_ctx *ctx = arg;

	if (ds->inode == ctx->inode) {
		ctx->found = *ds;
		ctx->ok = true;
	}
}

/* 0 if socket @fd is an SMC-D connection (on --gid): else says why */
static int check_smcd(int fd, const char *what)
{
	struct find_ctx ctx = { 0 };
	struct stat st;

	if (use_tcp)
		return 0;
	if (fstat(fd, &st))
		die("fstat");
	ctx.inode = st.st_ino;
	if (diag_dump(find_inode, &ctx))
		die("smc_diag dump (is smc_diag loaded?)");
	if (!ctx.ok) {
		fprintf(stderr, "smcd-io: %s: socket inode %llu not in smc_diag\n",
			what, (unsigned long long)ctx.inode);
		return -1;
	}
	if (ctx.found.mode != SMC_DIAG_MODE_SMCD) {
		fprintf(stderr, "smcd-io: %s: mode %s, not smcd\n", what,
			mode_name(ctx.found.mode));
		return -1;
	}
	if (check_gid && (!ctx.found.has_dmb || ctx.found.my_gid != want_gid)) {
		fprintf(stderr, "smcd-io: %s: SMC-D GID %#" PRIx64 ", expected %#" PRIx64 "\n",
			what, ctx.found.has_dmb ? (uint64_t)ctx.found.my_gid : 0,
			want_gid);
		return -1;
	}
	return 0;
}

static void print_sock(const struct diag_sock *ds, void *arg)
{
	(void)arg;
	printf("inode %" PRIu64 " mode %s state %u", ds->inode,
	       mode_name(ds->mode), ds->state);
	if (ds->has_dmb)
		printf(" gid %#" PRIx64, ds->my_gid);
	printf("\n");
}

/* ------------------------------------------------------------ patterns */

static uint64_t xorshift(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

static void fill(uint64_t *state, unsigned char *buf, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++) {
		if (!(i & 7))
			xorshift(state);
		buf[i] = (unsigned char)(*state >> ((i & 7) * 8));
	}
}

static uint64_t fnv1a(uint64_t h, const unsigned char *p, size_t len)
{
	while (len--) {
		h ^= *p++;
		h *= 0x100000001b3ULL;
	}
	return h;
}

#define CHUNK	(256 * 1024)
#define FNV0	0xcbf29ce484222325ULL

struct end {
	int fd;
	uint64_t seed_tx, seed_rx;
	unsigned long long bytes;
	uint64_t sum_tx, sum_rx;
	int err;
	char what[48];
};

static void *end_send(void *arg)
{
	struct end *e = arg;
	unsigned char *buf = malloc(CHUNK);
	uint64_t st = e->seed_tx;
	unsigned long long left = e->bytes;

	e->sum_tx = FNV0;
	while (buf && left) {
		size_t n = left < CHUNK ? left : CHUNK;

		fill(&st, buf, n);
		e->sum_tx = fnv1a(e->sum_tx, buf, n);
		if (write_all(e->fd, buf, n)) {
			fprintf(stderr, "smcd-io: %s: send: %s\n", e->what,
				strerror(errno));
			e->err = 1;
			break;
		}
		left -= n;
	}
	free(buf);
	return NULL;
}

/* receives and checks in this thread while another one sends */
static void *end_run(void *arg)
{
	struct end *e = arg;
	unsigned char *got = malloc(CHUNK), *want = malloc(CHUNK);
	unsigned long long done = 0;
	uint64_t st = e->seed_rx, sum_want = FNV0;
	pthread_t tx;

	if (!got || !want || pthread_create(&tx, NULL, end_send, e)) {
		e->err = 1;
		return NULL;
	}
	e->sum_rx = FNV0;
	while (done < e->bytes) {
		size_t n = e->bytes - done < CHUNK ? e->bytes - done : CHUNK;

		if (read_all(e->fd, got, n)) {
			fprintf(stderr, "smcd-io: %s: recv after %llu bytes: %s\n",
				e->what, done, strerror(errno));
			e->err = 1;
			break;
		}
		fill(&st, want, n);
		if (memcmp(got, want, n)) {
			size_t i = 0;

			while (got[i] == want[i])
				i++;
			fprintf(stderr, "smcd-io: %s: byte %llu differs: 0x%02x, sent 0x%02x\n",
				e->what, done + i, got[i], want[i]);
			e->err = 1;
			break;
		}
		e->sum_rx = fnv1a(e->sum_rx, got, n);
		sum_want = fnv1a(sum_want, want, n);
		done += n;
	}
	pthread_join(tx, NULL);
	if (!e->err && e->sum_rx != sum_want) {
		fprintf(stderr, "smcd-io: %s: checksum %016" PRIx64 ", sent %016" PRIx64 "\n",
			e->what, e->sum_rx, sum_want);
		e->err = 1;
	}
	free(got);
	free(want);
	return NULL;
}

static int cmd_stream(unsigned long long bytes, unsigned int conns)
{
	struct end *ends = calloc(2 * conns, sizeof(*ends));
	pthread_t *th = calloc(2 * conns, sizeof(*th));
	unsigned int i;
	uint16_t port;
	int lfd, err = 0;

	if (!ends || !th)
		die("calloc");
	lfd = listener(&port, conns + 16);
	for (i = 0; i < conns; i++) {
		struct end *c = &ends[2 * i], *s = &ends[2 * i + 1];

		pair(lfd, port, &c->fd, &s->fd);
		c->seed_tx = s->seed_rx = 0x9e3779b97f4a7c15ULL + 2 * i + 1;
		s->seed_tx = c->seed_rx = 0x9e3779b97f4a7c15ULL + 2 * i + 2;
		c->bytes = s->bytes = bytes;
		snprintf(c->what, sizeof(c->what), "conn %u client", i);
		snprintf(s->what, sizeof(s->what), "conn %u server", i);
		if (check_smcd(c->fd, c->what) || check_smcd(s->fd, s->what))
			err = 1;
	}
	for (i = 0; i < 2 * conns; i++)
		if (pthread_create(&th[i], NULL, end_run, &ends[i]))
			die("pthread_create");
	for (i = 0; i < 2 * conns; i++) {
		pthread_join(th[i], NULL);
		err |= ends[i].err;
	}
	for (i = 0; i < 2 * conns; i++)
		close(ends[i].fd);
	close(lfd);
	if (conns == 1)
		printf("checksum client->server %016" PRIx64 " server->client %016" PRIx64 "\n",
		       ends[1].sum_rx, ends[0].sum_rx);
	printf("payload %llu\n", 2ULL * bytes * conns);
	free(ends);
	free(th);
	return err;
}

static int cmd_churn(unsigned long count)
{
	unsigned char a[1024], b[1024], got[1024];
	unsigned long i;
	uint16_t port;
	int lfd, c, s;
	char what[48];
	uint64_t st = 42;

	lfd = listener(&port, 16);
	for (i = 0; i < count; i++) {
		snprintf(what, sizeof(what), "churn %lu", i);
		pair(lfd, port, &c, &s);
		fill(&st, a, sizeof(a));
		fill(&st, b, sizeof(b));
		if (check_smcd(c, what) || check_smcd(s, what))
			return 1;
		if (write_all(c, a, sizeof(a)) || read_all(s, got, sizeof(got)) ||
		    memcmp(a, got, sizeof(a)) ||
		    write_all(s, b, sizeof(b)) || read_all(c, got, sizeof(got)) ||
		    memcmp(b, got, sizeof(b))) {
			fprintf(stderr, "smcd-io: %s: exchange failed: %s\n", what,
				strerror(errno));
			return 1;
		}
		close(c);
		close(s);
	}
	close(lfd);
	printf("payload %lu\n", 2 * count * sizeof(a));
	return 0;
}

struct holder {
	int fd;
	unsigned int conn, end;
	int result;	/* 0 error or EOF, 1 data or not closed by SMC */
};

/* diag_dump() answers into one static buffer */
static pthread_mutex_t diag_lock = PTHREAD_MUTEX_INITIALIZER;

/*
 * Waits until SMC shows socket @fd in state SMC_CLOSED: 0, or -1 after
 * 60 s (the last state seen in *state, 0 if the socket was not listed).
 */
static int await_smc_closed(int fd, unsigned int *state)
{
	struct find_ctx ctx = { 0 };
	struct stat st;
	int i, err;

	if (fstat(fd, &st))
		die("fstat");
	ctx.inode = st.st_ino;
	for (i = 0; i < 6000; i++) {
		ctx.ok = false;
		pthread_mutex_lock(&diag_lock);
		err = diag_dump(find_inode, &ctx);
		pthread_mutex_unlock(&diag_lock);
		if (err)
			die("smc_diag dump (is smc_diag loaded?)");
		*state = ctx.ok ? ctx.found.state : 0;
		if (*state == SMC_STATE_CLOSED)
			return 0;
		usleep(10000);
	}
	return -1;
}

/* blocks in recv() like an idle program, until the connection ends */
static void *hold_wait(void *arg)
{
	struct holder *h = arg;
	unsigned int state;
	ssize_t n;
	char c;

	do
		n = recv(h->fd, &c, 1, 0);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		printf("conn %u end %u ended: %s\n", h->conn, h->end,
		       strerrorname_np(errno) ?: "?");
	else if (!n)
		printf("conn %u end %u ended: eof\n", h->conn, h->end);
	else
		printf("conn %u end %u ended: data\n", h->conn, h->end);
	h->result = n > 0;
	if (wait_closed && !h->result && await_smc_closed(h->fd, &state)) {
		printf("conn %u end %u: SMC state still %u after 60 s, not SMC_CLOSED\n",
		       h->conn, h->end, state);
		h->result = 1;
	}
	/* what a program does on an error: close, which frees SMC's state */
	close(h->fd);
	return NULL;
}

static int cmd_hold(unsigned int conns)
{
	struct holder *h = calloc(2 * conns, sizeof(*h));
	pthread_t *th = calloc(2 * conns, sizeof(*th));
	unsigned int i, bad = 0;
	uint16_t port;
	char what[48];
	int lfd;

	if (!h || !th)
		die("calloc");
	lfd = listener(&port, conns + 16);
	for (i = 0; i < conns; i++) {
		pair(lfd, port, &h[2 * i].fd, &h[2 * i + 1].fd);
		snprintf(what, sizeof(what), "conn %u", i);
		if (check_smcd(h[2 * i].fd, what))
			return 1;
	}
	close(lfd);
	for (i = 0; i < 2 * conns; i++) {
		h[i].conn = i / 2;
		h[i].end = i % 2;
		if (pthread_create(&th[i], NULL, hold_wait, &h[i]))
			die("pthread_create");
	}
	printf("ready\n");
	for (i = 0; i < 2 * conns; i++) {
		pthread_join(th[i], NULL);
		bad += h[i].result;
	}
	return bad ? 1 : 0;
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void pin(void)
{
	cpu_set_t set;

	if (pin_cpu < 0)
		return;
	CPU_ZERO(&set);
	CPU_SET(pin_cpu, &set);
	if (sched_setaffinity(0, sizeof(set), &set))
		die("sched_setaffinity");
}

struct pp {
	int fd;
	size_t size;
	unsigned long iters;
};

static void *pp_echo(void *arg)
{
	struct pp *p = arg;
	char *buf = malloc(p->size);
	unsigned long i;

	pin();
	for (i = 0; buf && i < p->iters; i++)
		if (read_all(p->fd, buf, p->size) ||
		    write_all(p->fd, buf, p->size))
			break;
	free(buf);
	return NULL;
}

static int cmd_pingpong(size_t size, unsigned long iters)
{
	char *buf = calloc(1, size);
	struct pp p = { .size = size, .iters = iters };
	unsigned long i;
	pthread_t th;
	uint16_t port;
	int lfd, c, one = 1;
	double t;

	pin();
	lfd = listener(&port, 4);
	pair(lfd, port, &c, &p.fd);
	if (check_smcd(c, "pingpong"))
		return 1;
	if (use_tcp) {
		setsockopt(c, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
		setsockopt(p.fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	}
	if (pthread_create(&th, NULL, pp_echo, &p))
		die("pthread_create");
	t = now();
	for (i = 0; i < iters; i++)
		if (write_all(c, buf, size) || read_all(c, buf, size))
			die("pingpong");
	t = now() - t;
	pthread_join(th, NULL);
	printf("rtt_us %.3f\n", t / iters * 1e6);
	return 0;
}

struct tp {
	int fd;
	size_t size;
	unsigned long long bytes;
};

static void *tp_sink(void *arg)
{
	struct tp *p = arg;
	char *buf = malloc(p->size);
	unsigned long long left = p->bytes;

	pin();
	while (buf && left) {
		ssize_t n = recv(p->fd, buf, p->size, 0);

		if (n <= 0)
			break;
		left -= n;
	}
	free(buf);
	return NULL;
}

static int cmd_tput(size_t size, unsigned long long bytes)
{
	char *buf = calloc(1, size);
	struct tp p = { .size = size, .bytes = bytes };
	unsigned long long left = bytes;
	pthread_t th;
	uint16_t port;
	int lfd, c;
	double t;

	pin();
	lfd = listener(&port, 4);
	pair(lfd, port, &c, &p.fd);
	if (check_smcd(c, "tput"))
		return 1;
	if (pthread_create(&th, NULL, tp_sink, &p))
		die("pthread_create");
	t = now();
	while (left) {
		size_t n = left < size ? left : size;

		if (write_all(c, buf, n))
			die("tput");
		left -= n;
	}
	pthread_join(th, NULL);
	t = now() - t;
	printf("mbps %.1f\n", bytes / t / 1e6);
	return 0;
}

int main(int argc, char **argv)
{
	int i = 1;

	for (; i < argc && argv[i][0] == '-'; i++) {
		if (!strcmp(argv[i], "--tcp")) {
			use_tcp = true;
		} else if (!strcmp(argv[i], "--gid") && i + 1 < argc) {
			check_gid = true;
			want_gid = num(argv[++i]);
		} else if (!strcmp(argv[i], "--cpu") && i + 1 < argc) {
			pin_cpu = (int)num(argv[++i]);
		} else if (!strcmp(argv[i], "--wait-closed")) {
			wait_closed = true;
		} else {
			usage();
		}
	}
	if (i >= argc)
		usage();
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (!strcmp(argv[i], "stream") && (argc - i == 2 || argc - i == 3))
		return cmd_stream(num(argv[i + 1]),
				  argc - i == 3 ? (unsigned int)num(argv[i + 2]) : 1);
	if (!strcmp(argv[i], "churn") && argc - i == 2)
		return cmd_churn(num(argv[i + 1]));
	if (!strcmp(argv[i], "hold") && argc - i == 2)
		return cmd_hold((unsigned int)num(argv[i + 1]));
	if (!strcmp(argv[i], "pingpong") && argc - i == 3)
		return cmd_pingpong(num(argv[i + 1]), num(argv[i + 2]));
	if (!strcmp(argv[i], "tput") && argc - i == 3)
		return cmd_tput(num(argv[i + 1]), num(argv[i + 2]));
	if (!strcmp(argv[i], "diag") && argc - i == 1) {
		if (diag_dump(print_sock, NULL))
			die("smc_diag dump (is smc_diag loaded?)");
		return 0;
	}
	usage();
	return 2;
}
