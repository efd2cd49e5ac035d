// SPDX-License-Identifier: GPL-2.0-only
/*
 * dibsperf - throughput and ping-pong latency between two processes over
 * a dibs device (copy and nocopy), next to a Unix socket and TCP over
 * 127.0.0.1 measured in the same run.  See dibsperf(1).
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <json-c/json.h>

#include "dibsperf.h"

#define EXIT_OK		0
#define EXIT_FAILED	1
#define EXIT_USAGE	2

#define MSG_SIZE_MIN	64
#define MSG_SIZE_MAX	(1024 * 1024)
#define MAX_SIZES	32
/* Ping-pongs before timing starts; their echoes are compared in full. */
#define WARMUP_PINGS	16

/* First eight bytes of every message: what the server does with it. */
enum perf_op {
	OP_DATA = 0x44415441,	/* throughput: consume */
	OP_LAST,		/* throughput: consume and reply */
	OP_PING,		/* latency: echo */
	OP_END,			/* measurement over: exit */
};

static const struct perf_transport *const transports[] = {
	&perf_transport_copy,
	&perf_transport_nocopy,
	&perf_transport_unix,
	&perf_transport_tcp,
};

#define N_TRANSPORTS (sizeof(transports) / sizeof(transports[0]))

struct run_config {
	struct perf_opts opts;
	const struct perf_transport *modes[N_TRANSPORTS];
	size_t n_modes;
	size_t sizes[MAX_SIZES];
	size_t n_sizes;
	bool json;
	bool pretty;
};

int perf_write_all(int fd, const void *buf, size_t len)
{
	const char *p = buf;

	while (len) {
		ssize_t n = write(fd, p, len);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		p += n;
		len -= n;
	}
	return 0;
}

int perf_read_all(int fd, void *buf, size_t len)
{
	char *p = buf;

	while (len) {
		ssize_t n = read(fd, p, len);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		if (n == 0)
			return -ECONNRESET;
		p += n;
		len -= n;
	}
	return 0;
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void set_op(void *msg, uint64_t op)
{
	memcpy(msg, &op, sizeof(op));
}

static uint64_t get_op(const void *msg)
{
	uint64_t op;

	memcpy(&op, msg, sizeof(op));
	return op;
}

static int serve(const struct perf_transport *tp, struct perf_conn *conn,
		 void *msg)
{
	int ret;

	for (;;) {
		ret = tp->recv(conn, msg);
		if (ret)
			return ret;
		switch (get_op(msg)) {
		case OP_DATA:
			break;
		case OP_LAST:
		case OP_PING:
			ret = tp->send(conn, msg);
			if (ret)
				return ret;
			break;
		case OP_END:
			return 0;
		default:
			return -EPROTO;
		}
	}
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/*
 * Percentiles come from at most this many half round trips: beyond it a
 * uniform sample of all of them is kept (reservoir sampling), so a long
 * run needs no more memory.
 */
#define LATENCY_SAMPLES_MAX	(1U << 20)

static int measure_latency(const struct perf_transport *tp,
			   struct perf_conn *conn, const struct perf_opts *opts,
			   void *msg, void *reply, struct perf_result *res)
{
	size_t cap = 4096, kept = 0;
	double *samples, start, sum = 0;
	uint64_t n = 0;
	int ret = 0;

	samples = malloc(cap * sizeof(*samples));
	if (!samples)
		return -ENOMEM;
	set_op(msg, OP_PING);
	start = now_s();
	do {
		double t0 = now_s(), half_rtt;

		ret = tp->send(conn, msg);
		if (!ret)
			ret = tp->recv(conn, reply);
		if (ret)
			break;
		half_rtt = (now_s() - t0) / 2 * 1e6;
		sum += half_rtt;
		n++;
		if (kept == cap && cap < LATENCY_SAMPLES_MAX) {
			double *bigger = realloc(samples,
						 2 * cap * sizeof(*samples));

			if (!bigger) {
				ret = -ENOMEM;
				break;
			}
			samples = bigger;
			cap *= 2;
		}
		if (kept < cap) {
			samples[kept++] = half_rtt;
		} else {
			uint64_t slot = ((uint64_t)rand() << 31 | rand()) % n;

			if (slot < kept)
				samples[slot] = half_rtt;
		}
	} while (now_s() - start < opts->seconds);

	if (!ret) {
		qsort(samples, kept, sizeof(*samples), cmp_double);
		res->pingpongs = n;
		res->latency_avg_us = sum / n;
		res->latency_p50_us = samples[kept / 2];
		res->latency_p99_us = samples[(kept * 99) / 100];
	}
	free(samples);
	return ret;
}

static int measure_throughput(const struct perf_transport *tp,
			      struct perf_conn *conn,
			      const struct perf_opts *opts, void *msg,
			      void *reply, size_t size,
			      struct perf_result *res)
{
	uint64_t count = 0;
	double start, end;
	int ret;

	set_op(msg, OP_DATA);
	start = now_s();
	do {
		ret = tp->send(conn, msg);
		if (ret)
			return ret;
		count++;
	} while (now_s() - start < opts->seconds);
	set_op(msg, OP_LAST);
	ret = tp->send(conn, msg);
	if (!ret)
		ret = tp->recv(conn, reply);
	if (ret)
		return ret;
	end = now_s();
	count++;
	res->throughput_bps = count * size / (end - start);
	res->messages_per_s = count / (end - start);
	return 0;
}

/* Every byte of the echo must come back: the transport moves real data. */
static int warm_up(const struct perf_transport *tp, struct perf_conn *conn,
		   void *msg, void *reply, size_t size)
{
	unsigned char *bytes = msg;
	int i, ret;

	for (i = 0; i < WARMUP_PINGS; i++) {
		for (size_t j = 8; j < size; j++)
			bytes[j] = (unsigned char)rand();
		set_op(msg, OP_PING);
		ret = tp->send(conn, msg);
		if (!ret)
			ret = tp->recv(conn, reply);
		if (ret)
			return ret;
		if (memcmp(msg, reply, size))
			return -EILSEQ;
	}
	return 0;
}

static int run_client(const struct perf_transport *tp, struct perf_conn *conn,
		      const struct perf_opts *opts, size_t size,
		      struct perf_result *res)
{
	void *msg = calloc(1, size), *reply = calloc(1, size);
	int ret = -ENOMEM;

	if (!msg || !reply)
		goto out;
	ret = warm_up(tp, conn, msg, reply, size);
	if (!ret)
		ret = measure_throughput(tp, conn, opts, msg, reply, size, res);
	if (!ret)
		ret = measure_latency(tp, conn, opts, msg, reply, res);
	if (!ret) {
		set_op(msg, OP_END);
		ret = tp->send(conn, msg);
	}
out:
	free(msg);
	free(reply);
	return ret;
}

/*
 * Exit status of the server: EXIT_OK, EXIT_FAILED after saying why, or
 * SERVER_CONNECT_FAILED + errno, silently: the client usually fails the
 * same way, and says it once.
 */
#define SERVER_CONNECT_FAILED	2

static int run_server(const struct perf_transport *tp, void *shared, int ctl,
		      const struct perf_opts *opts, size_t size)
{
	struct perf_conn *conn;
	void *msg;
	int ret;

	ret = tp->connect(opts, shared, PERF_SERVER, ctl, size, &conn);
	if (ret)
		return -ret < 255 - SERVER_CONNECT_FAILED ?
			SERVER_CONNECT_FAILED - ret : EXIT_FAILED;
	msg = malloc(size);
	ret = msg ? serve(tp, conn, msg) : -ENOMEM;
	if (ret)
		fprintf(stderr, "dibsperf: %s server: %s\n", tp->name,
			strerror(-ret));
	free(msg);
	tp->close(conn);
	return ret ? EXIT_FAILED : EXIT_OK;
}

static void report_connect_error(const struct perf_transport *tp,
				  const struct perf_opts *opts,
				  const char *who, int err)
{
	if (tp->is_dibs)
		fprintf(stderr, "dibsperf: %s%s: /dev/dibs bound to %s: %s\n",
			tp->name, who, opts->dev_name, strerror(err));
	else
		fprintf(stderr, "dibsperf: %s%s: connect: %s\n", tp->name, who,
			strerror(err));
}

/* One transport at one size: fork the server, measure, reap it. */
static int measure(const struct perf_transport *tp,
		   const struct perf_opts *opts, size_t size,
		   struct perf_result *res)
{
	int ctl[2], status = 0, server_err = 0, ret;
	struct perf_conn *conn;
	bool connected = false;
	void *shared = NULL;
	pid_t pid;

	memset(res, 0, sizeof(*res));
	res->mode = tp->name;
	res->is_dibs = tp->is_dibs;
	res->size = size;
	ret = tp->prepare(opts, &shared);
	if (ret) {
		fprintf(stderr, "dibsperf: %s: %s\n", tp->name, strerror(-ret));
		return ret;
	}
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, ctl)) {
		ret = -errno;
		tp->release(shared);
		return ret;
	}
	fflush(NULL);
	pid = fork();
	if (pid < 0) {
		ret = -errno;
		close(ctl[0]);
		close(ctl[1]);
		tp->release(shared);
		return ret;
	}
	if (pid == 0) {
		close(ctl[0]);
		_exit(run_server(tp, shared, ctl[1], opts, size));
	}
	close(ctl[1]);

	ret = tp->connect(opts, shared, PERF_CLIENT, ctl[0], size, &conn);
	if (!ret) {
		connected = true;
		ret = run_client(tp, conn, opts, size, res);
		tp->close(conn);
	}
	close(ctl[0]);
	if (ret)
		kill(pid, SIGKILL);
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	tp->release(shared);
	if (WIFEXITED(status) && WEXITSTATUS(status) >= SERVER_CONNECT_FAILED)
		server_err = WEXITSTATUS(status) - SERVER_CONNECT_FAILED;

	/* The server's failure explains the client's lost connection. */
	if (server_err && (!ret || ret == -ECONNRESET || ret == -EPIPE ||
			   ret == -ETIMEDOUT)) {
		report_connect_error(tp, opts, " server", server_err);
		return -server_err;
	}
	if (ret && !connected) {
		report_connect_error(tp, opts, "", -ret);
	} else if (ret) {
		fprintf(stderr, "dibsperf: %s, %zu bytes: %s\n", tp->name, size,
			ret == -EILSEQ ? "echo differs from what was sent"
				       : strerror(-ret));
	} else if (!(WIFEXITED(status) && WEXITSTATUS(status) == EXIT_OK)) {
		fprintf(stderr, "dibsperf: %s, %zu bytes: the server failed\n",
			tp->name, size);
		ret = -EPROTO;
	}
	return ret;
}

static const struct perf_result *find_result(const struct perf_result *res,
					     size_t n, const char *mode,
					     size_t size)
{
	for (size_t i = 0; i < n; i++)
		if (res[i].size == size && !strcmp(res[i].mode, mode))
			return &res[i];
	return NULL;
}

static struct json_object *json_ratio(const struct perf_result *r,
				      const struct perf_result *base)
{
	struct json_object *obj;

	if (!base)
		return NULL;
	obj = json_object_new_object();
	json_object_object_add(obj, "throughput",
		json_object_new_double(r->throughput_bps /
				       base->throughput_bps));
	json_object_object_add(obj, "latency",
		json_object_new_double(r->latency_avg_us /
				       base->latency_avg_us));
	return obj;
}

static void print_json(const struct run_config *cfg,
		       const struct perf_result *res, size_t n)
{
	struct json_object *top = json_object_new_object();
	struct json_object *arr = json_object_new_array();

	json_object_object_add(top, "version",
			       json_object_new_string(DIBSPERF_VERSION));
	json_object_object_add(top, "device",
			       json_object_new_string(cfg->opts.dev_name));
	json_object_object_add(top, "seconds",
			       json_object_new_double(cfg->opts.seconds));
	json_object_object_add(top, "busy_poll",
			       json_object_new_boolean(cfg->opts.busy_poll));
	for (size_t i = 0; i < n; i++) {
		const struct perf_result *r = &res[i];
		struct json_object *o = json_object_new_object();
		struct json_object *lat = json_object_new_object();

		json_object_object_add(o, "mode", json_object_new_string(r->mode));
		json_object_object_add(o, "size", json_object_new_int64(r->size));
		json_object_object_add(o, "throughput_bps",
				       json_object_new_double(r->throughput_bps));
		json_object_object_add(o, "messages_per_s",
				       json_object_new_double(r->messages_per_s));
		json_object_object_add(o, "pingpongs",
				       json_object_new_int64(r->pingpongs));
		json_object_object_add(lat, "avg",
				       json_object_new_double(r->latency_avg_us));
		json_object_object_add(lat, "p50",
				       json_object_new_double(r->latency_p50_us));
		json_object_object_add(lat, "p99",
				       json_object_new_double(r->latency_p99_us));
		json_object_object_add(o, "latency_us", lat);
		if (r->is_dibs) {
			json_object_object_add(o, "vs_unix",
				json_ratio(r, find_result(res, n, "unix", r->size)));
			json_object_object_add(o, "vs_tcp",
				json_ratio(r, find_result(res, n, "tcp", r->size)));
		}
		json_object_array_add(arr, o);
	}
	json_object_object_add(top, "results", arr);
	puts(json_object_to_json_string_ext(top, cfg->pretty ?
		JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED :
		JSON_C_TO_STRING_PLAIN));
	json_object_put(top);
}

static void print_ratio(const struct perf_result *r,
			const struct perf_result *base)
{
	if (base)
		printf("  %5.2fx %5.2fx", r->throughput_bps / base->throughput_bps,
		       r->latency_avg_us / base->latency_avg_us);
	else
		printf("  %6s %6s", "-", "-");
}

static void print_table(const struct run_config *cfg,
			const struct perf_result *res, size_t n)
{
	printf("dibsperf %s: device %s, %.2g s per measurement%s\n",
	       DIBSPERF_VERSION, cfg->opts.dev_name, cfg->opts.seconds,
	       cfg->opts.busy_poll ? ", busy polling" : "");
	printf("%-7s %8s %10s %10s %9s %9s %9s  %-13s  %s\n", "mode", "size",
	       "MiB/s", "msg/s", "lat_us", "p50_us", "p99_us",
	       "vs unix t/l", "vs tcp t/l");
	for (size_t i = 0; i < n; i++) {
		const struct perf_result *r = &res[i];

		printf("%-7s %8zu %10.1f %10.0f %9.2f %9.2f %9.2f", r->mode,
		       r->size, r->throughput_bps / (1024 * 1024),
		       r->messages_per_s, r->latency_avg_us, r->latency_p50_us,
		       r->latency_p99_us);
		if (r->is_dibs) {
			print_ratio(r, find_result(res, n, "unix", r->size));
			print_ratio(r, find_result(res, n, "tcp", r->size));
		}
		putchar('\n');
	}
	printf("t/l: throughput and latency as multiples of the socket's "
	       "(throughput: higher is better, latency: lower is better)\n");
}

static void usage(FILE *out)
{
	fprintf(out,
		"Usage: dibsperf [OPTIONS]\n"
		"Throughput and ping-pong latency between two processes over a dibs\n"
		"device, next to a Unix socket and TCP over 127.0.0.1.\n"
		"\n"
		"  -d, --dev NAME       dibs device (default lo)\n"
		"  -m, --modes LIST     of copy,nocopy,unix,tcp (default all)\n"
		"  -s, --sizes LIST     message sizes, 64 to 1M, suffixes K and M\n"
		"                       (default 64,1K,16K,256K,1M)\n"
		"  -t, --time SECONDS   per measurement (default 1)\n"
		"  -b, --busy-poll      spin on the DMB instead of waiting in poll()\n"
		"  -j, --json           JSON output\n"
		"  -p, --pretty         indented JSON\n"
		"  -V, --version        print the version\n"
		"  -h, --help           print this help\n");
}

static int parse_size(const char *str, size_t *size)
{
	unsigned long long v;
	char *end;

	errno = 0;
	if (*str < '0' || *str > '9')
		return -EINVAL;
	v = strtoull(str, &end, 10);
	if (errno)
		return -EINVAL;
	if (*end == 'K' || *end == 'k') {
		v *= 1024;
		end++;
	} else if (*end == 'M' || *end == 'm') {
		v *= 1024 * 1024;
		end++;
	}
	if (*end || v < MSG_SIZE_MIN || v > MSG_SIZE_MAX)
		return -EINVAL;
	*size = v;
	return 0;
}

static int parse_sizes(char *list, struct run_config *cfg)
{
	char *save = NULL, *tok;

	cfg->n_sizes = 0;
	for (tok = strtok_r(list, ",", &save); tok;
	     tok = strtok_r(NULL, ",", &save)) {
		if (cfg->n_sizes == MAX_SIZES) {
			fprintf(stderr, "dibsperf: more than %d sizes\n",
				MAX_SIZES);
			return -EINVAL;
		}
		if (parse_size(tok, &cfg->sizes[cfg->n_sizes])) {
			fprintf(stderr,
				"dibsperf: invalid size '%s': want %d to %d bytes\n",
				tok, MSG_SIZE_MIN, MSG_SIZE_MAX);
			return -EINVAL;
		}
		cfg->n_sizes++;
	}
	if (!cfg->n_sizes) {
		fprintf(stderr, "dibsperf: no message size given\n");
		return -EINVAL;
	}
	return 0;
}

static int parse_modes(char *list, struct run_config *cfg)
{
	char *save = NULL, *tok;
	size_t i;

	cfg->n_modes = 0;
	for (tok = strtok_r(list, ",", &save); tok;
	     tok = strtok_r(NULL, ",", &save)) {
		for (i = 0; i < N_TRANSPORTS; i++)
			if (!strcmp(tok, transports[i]->name))
				break;
		if (i == N_TRANSPORTS) {
			fprintf(stderr,
				"dibsperf: unknown mode '%s': want copy, nocopy, unix or tcp\n",
				tok);
			return -EINVAL;
		}
		for (size_t j = 0; j < cfg->n_modes; j++)
			if (cfg->modes[j] == transports[i]) {
				fprintf(stderr, "dibsperf: mode '%s' given twice\n",
					tok);
				return -EINVAL;
			}
		cfg->modes[cfg->n_modes++] = transports[i];
	}
	if (!cfg->n_modes) {
		fprintf(stderr, "dibsperf: no mode given\n");
		return -EINVAL;
	}
	return 0;
}

static int parse_args(int argc, char **argv, struct run_config *cfg)
{
	static const struct option longopts[] = {
		{ "dev", required_argument, NULL, 'd' },
		{ "modes", required_argument, NULL, 'm' },
		{ "sizes", required_argument, NULL, 's' },
		{ "time", required_argument, NULL, 't' },
		{ "busy-poll", no_argument, NULL, 'b' },
		{ "json", no_argument, NULL, 'j' },
		{ "pretty", no_argument, NULL, 'p' },
		{ "version", no_argument, NULL, 'V' },
		{ "help", no_argument, NULL, 'h' },
		{}
	};
	static const size_t default_sizes[] = {
		64, 1024, 16 * 1024, 256 * 1024, 1024 * 1024
	};
	char *end;
	int c;

	memset(cfg, 0, sizeof(*cfg));
	cfg->opts.dev_name = "lo";
	cfg->opts.seconds = 1;
	for (size_t i = 0; i < N_TRANSPORTS; i++)
		cfg->modes[i] = transports[i];
	cfg->n_modes = N_TRANSPORTS;
	memcpy(cfg->sizes, default_sizes, sizeof(default_sizes));
	cfg->n_sizes = sizeof(default_sizes) / sizeof(default_sizes[0]);

	while ((c = getopt_long(argc, argv, "d:m:s:t:bjpVh", longopts,
				NULL)) != -1) {
		switch (c) {
		case 'd':
			if (!*optarg || strlen(optarg) > 15) {
				fprintf(stderr,
					"dibsperf: invalid device name '%s'\n",
					optarg);
				return EXIT_USAGE;
			}
			cfg->opts.dev_name = optarg;
			break;
		case 'm':
			if (parse_modes(optarg, cfg))
				return EXIT_USAGE;
			break;
		case 's':
			if (parse_sizes(optarg, cfg))
				return EXIT_USAGE;
			break;
		case 't':
			errno = 0;
			cfg->opts.seconds = strtod(optarg, &end);
			if (errno || *end || end == optarg ||
			    !(cfg->opts.seconds > 0 && cfg->opts.seconds <= 3600)) {
				fprintf(stderr,
					"dibsperf: invalid time '%s': want seconds, more than 0, at most 3600\n",
					optarg);
				return EXIT_USAGE;
			}
			break;
		case 'b':
			cfg->opts.busy_poll = true;
			break;
		case 'j':
			cfg->json = true;
			break;
		case 'p':
			cfg->json = true;
			cfg->pretty = true;
			break;
		case 'V':
			printf("dibsperf %s\n", DIBSPERF_VERSION);
			return -1;
		case 'h':
			usage(stdout);
			return -1;
		default:
			usage(stderr);
			return EXIT_USAGE;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "dibsperf: unexpected argument '%s'\n",
			argv[optind]);
		return EXIT_USAGE;
	}
	return EXIT_OK;
}

int main(int argc, char **argv)
{
	struct perf_result *res;
	struct run_config cfg;
	size_t n = 0;
	int ret;

	ret = parse_args(argc, argv, &cfg);
	if (ret)
		return ret < 0 ? EXIT_OK : ret;
	/* A server that died must not kill the client on its next write. */
	signal(SIGPIPE, SIG_IGN);
	srand(getpid());

	res = calloc(cfg.n_sizes * cfg.n_modes, sizeof(*res));
	if (!res) {
		fprintf(stderr, "dibsperf: %s\n", strerror(ENOMEM));
		return EXIT_FAILED;
	}
	for (size_t s = 0; s < cfg.n_sizes; s++) {
		for (size_t m = 0; m < cfg.n_modes; m++) {
			ret = measure(cfg.modes[m], &cfg.opts, cfg.sizes[s],
				      &res[n]);
			if (ret)
				goto out;
			n++;
		}
	}
	if (cfg.json)
		print_json(&cfg, res, n);
	else
		print_table(&cfg, res, n);
out:
	free(res);
	return ret ? EXIT_FAILED : EXIT_OK;
}
