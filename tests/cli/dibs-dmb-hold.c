// SPDX-License-Identifier: GPL-2.0-only
/*
 * Holds DMBs of the dibs_user client (/dev/dibs) for the dibsctl suites:
 * registers COUNT DMBs of LEN bytes on DEV, writing into them from the
 * device itself (loopback: its own GID is the rgid), prints one line
 * "idx IDX token 0xTOKEN" per DMB, then waits for SIGTERM or SIGINT and
 * exits 0; closing /dev/dibs unregisters the DMBs.
 *
 * usage: dibs-dmb-hold DEV COUNT LEN [VLAN]
 */
#include <errno.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libdibsctl.h>

static void on_signal(int sig)
{
}

int main(int argc, char **argv)
{
	struct dibsctl_user_info info;
	struct dibsctl_user *user;
	sigset_t mask, old;
	int count, len, vlan = DIBSCTL_USER_NO_VLAN, err, i, sig;

	if (argc < 4 || argc > 5) {
		fprintf(stderr, "usage: dibs-dmb-hold DEV COUNT LEN [VLAN]\n");
		return 2;
	}
	count = atoi(argv[2]);
	len = atoi(argv[3]);
	if (argc == 5)
		vlan = atoi(argv[4]);

	/* Wait for the signals from here on: none arrives unseen. */
	sigemptyset(&mask);
	sigaddset(&mask, SIGTERM);
	sigaddset(&mask, SIGINT);
	sigprocmask(SIG_BLOCK, &mask, &old);
	signal(SIGTERM, on_signal);
	signal(SIGINT, on_signal);

	err = dibsctl_user_open_by_name(argv[1], &user);
	if (!err)
		err = dibsctl_user_get_info(user, &info);
	if (err) {
		fprintf(stderr, "dibs-dmb-hold: %s: %s\n", argv[1], strerror(-err));
		return 1;
	}
	for (i = 0; i < count; i++) {
		struct dibsctl_user_dmb dmb;

		err = dibsctl_user_dmb_register(user, (uint32_t)len, info.gid,
						vlan, &dmb);
		if (err) {
			fprintf(stderr, "dibs-dmb-hold: register: %s\n",
				strerror(-err));
			dibsctl_user_close(user);
			return 1;
		}
		printf("idx %" PRIu32 " token 0x%016" PRIx64 "\n", dmb.idx,
		       dmb.token);
	}
	fflush(stdout);
	sigwait(&mask, &sig);
	dibsctl_user_close(user);
	return 0;
}
