// SPDX-License-Identifier: GPL-2.0-only
/*
 * The "monitor" object: print events as they come, until SIGINT or
 * SIGTERM (exit 0).  monitor [all|dev|client|dmb] [rcvbuf BYTES]: all
 * (the default) is every event of both multicast groups; rcvbuf sizes
 * the socket's receive buffer (default: the library's, 4 MiB).
 */
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include "dibsctl.h"

#define EVENT_BIT(type)	(1U << (type))

static const struct {
	const char *verb;
	unsigned int groups;
	unsigned int events;
} monitor_kinds[] = {
	{ "all", DIBSCTL_MONITOR_DEVS_CLIENTS | DIBSCTL_MONITOR_DMBS, ~0U },
	{ "dev", DIBSCTL_MONITOR_DEVS_CLIENTS,
	  EVENT_BIT(DIBSCTL_EVENT_DEV_NEW) | EVENT_BIT(DIBSCTL_EVENT_DEV_DEL) },
	{ "client", DIBSCTL_MONITOR_DEVS_CLIENTS,
	  EVENT_BIT(DIBSCTL_EVENT_CLIENT_NEW) |
	  EVENT_BIT(DIBSCTL_EVENT_CLIENT_DEL) |
	  EVENT_BIT(DIBSCTL_EVENT_CLIENT_BIND) |
	  EVENT_BIT(DIBSCTL_EVENT_CLIENT_UNBIND) },
	{ "dmb", DIBSCTL_MONITOR_DMBS,
	  EVENT_BIT(DIBSCTL_EVENT_DMB_NEW) | EVENT_BIT(DIBSCTL_EVENT_DMB_DEL) },
};

/* rcvbuf BYTES: 1024 to INT_MAX / 2 (the kernel doubles it), decimal. */
static int parse_rcvbuf(struct cli *cli, const char *keyword,
			const char *value, void *dest)
{
	struct opt_u32 *rcvbuf = dest;
	unsigned long long bytes = 0;
	const char *p;

	for (p = value; *p >= '0' && *p <= '9' && bytes <= INT_MAX; p++)
		bytes = bytes * 10 + (unsigned long long)(*p - '0');
	if (p == value || *p || bytes < 1024 || bytes > INT_MAX / 2)
		return cli_usage_error(cli, "%s: \"%s\" is not a receive buffer size (1024 to %d bytes)",
				       keyword, value, INT_MAX / 2);
	rcvbuf->set = true;
	rcvbuf->value = (uint32_t)bytes;
	return EXIT_OK;
}

static const struct arg_spec monitor_args[] = {
	{ "rcvbuf", parse_rcvbuf, offsetof(struct obj_args, rcvbuf) },
};

static int monitor_parse(struct cli *cli, const struct cmd_verb *verb,
			 int argc, char **argv, struct cmd *cmd)
{
	char where[32];
	size_t i;
	int ret;

	ret = parse_keywords(cli, cmd_where(cmd, where, sizeof(where)),
			     monitor_args,
			     sizeof(monitor_args) / sizeof(monitor_args[0]),
			     argc, argv, &cmd->obj);
	if (ret)
		return ret;
	for (i = 0; i < sizeof(monitor_kinds) / sizeof(monitor_kinds[0]); i++) {
		if (strcmp(monitor_kinds[i].verb, verb->name) == 0) {
			cmd->obj.groups = monitor_kinds[i].groups;
			cmd->obj.events = monitor_kinds[i].events;
		}
	}
	return EXIT_OK;
}

static volatile sig_atomic_t monitor_stop;

static void monitor_on_signal(int sig)
{
	monitor_stop = 1;
}

/* Prints every waiting event; -EAGAIN once none is left. */
static int monitor_drain(struct cli *cli, struct dibsctl_monitor *mon,
			 unsigned int events)
{
	struct dibsctl_event *event;
	int err;

	for (;;) {
		int type;

		err = dibsctl_monitor_next(mon, &event);
		if (err == -ENOBUFS) {
			/*
			 * Nothing to resync: the monitor keeps no state, and
			 * the socket goes on with the events after the gap.
			 */
			fputs("dibsctl: monitor: the kernel dropped events (ENOBUFS); some are missing (a bigger \"rcvbuf\" may help)\n",
			      cli->err);
			fflush(cli->err);
			continue;
		}
		if (err == -EBADMSG) {
			cli_op_error(cli, err, "monitor");
			continue;
		}
		if (err)
			return err;
		type = dibsctl_event_get_type(event);
		err = 0;
		if (type > 0 && type < 32 && (events & EVENT_BIT(type)))
			err = print_event(&cli->print, cli->out, event);
		dibsctl_event_unref(event);
		if (err)
			return err;
	}
}

static int monitor_run(struct cli *cli, const struct cmd *cmd)
{
	struct sigaction sa = { .sa_handler = monitor_on_signal };
	struct sigaction old_int, old_term;
	struct dibsctl_monitor *mon;
	sigset_t block, old_mask;
	struct dibsctl *ctx;
	int err, ret = EXIT_OK;

	err = cli_context(cli, &ctx);
	if (err)
		return err;
	err = dibsctl_monitor_new(ctx, cmd->obj.groups, &mon);
	/* DMB events are root's; plain "monitor" still shows the others */
	if (err == -EPERM && cmd->obj.groups != DIBSCTL_MONITOR_DMBS &&
	    (cmd->obj.groups & DIBSCTL_MONITOR_DMBS)) {
		fprintf(cli->err,
			"dibsctl: monitor: DMB events need CAP_NET_ADMIN, showing the others\n");
		err = dibsctl_monitor_new(ctx, cmd->obj.groups &
					  ~DIBSCTL_MONITOR_DMBS, &mon);
	}
	if (err)
		return cli_op_error(cli, err, "monitor");
	if (cmd->obj.rcvbuf.set) {
		err = dibsctl_monitor_set_rcvbuf(mon, cmd->obj.rcvbuf.value);
		if (err) {
			dibsctl_monitor_unref(mon);
			return cli_op_error(cli, err, "monitor rcvbuf %" PRIu32,
					    cmd->obj.rcvbuf.value);
		}
	}

	/* The signals arrive only inside ppoll(): none is missed. */
	sigemptyset(&block);
	sigaddset(&block, SIGINT);
	sigaddset(&block, SIGTERM);
	sigprocmask(SIG_BLOCK, &block, &old_mask);
	monitor_stop = 0;
	sigaction(SIGINT, &sa, &old_int);
	sigaction(SIGTERM, &sa, &old_term);

	while (!monitor_stop) {
		struct pollfd pfd = {
			.fd = dibsctl_monitor_get_fd(mon),
			.events = POLLIN,
		};

		err = monitor_drain(cli, mon, cmd->obj.events);
		if (err != -EAGAIN) {
			ret = cli_op_error(cli, err, "monitor");
			break;
		}
		if (ppoll(&pfd, 1, NULL, &old_mask) < 0 && errno != EINTR) {
			ret = cli_op_error(cli, -errno, "monitor");
			break;
		}
	}

	sigaction(SIGINT, &old_int, NULL);
	sigaction(SIGTERM, &old_term, NULL);
	sigprocmask(SIG_SETMASK, &old_mask, NULL);
	dibsctl_monitor_unref(mon);
	return ret;
}

static int monitor_run_help(struct cli *cli, const struct cmd *cmd)
{
	fputs("Usage: dibsctl [OPTIONS] monitor [all|dev|client|dmb] [rcvbuf BYTES]\n"
	      "all (the default): every event; dev: devices added and removed;\n"
	      "client: clients registered, unregistered, bound and unbound;\n"
	      "dmb: DMBs registered and unregistered.  Stops on SIGINT or SIGTERM.\n"
	      "rcvbuf: the socket's receive buffer (default 4194304 bytes).\n",
	      cli->out);
	return EXIT_OK;
}

static const struct cmd_verb monitor_verbs[] = {
	{ "all", "[rcvbuf BYTES]", monitor_parse, monitor_run },
	{ "dev", "[rcvbuf BYTES]", monitor_parse, monitor_run },
	{ "client", "[rcvbuf BYTES]", monitor_parse, monitor_run },
	{ "dmb", "[rcvbuf BYTES]", monitor_parse, monitor_run },
	{ "help", "", parse_no_args, monitor_run_help },
};

const struct cmd_object monitor_object = {
	.name = "monitor",
	.verbs = monitor_verbs,
	.n_verbs = sizeof(monitor_verbs) / sizeof(monitor_verbs[0]),
	.default_verb = "all",
};
