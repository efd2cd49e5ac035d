// SPDX-License-Identifier: GPL-2.0-only
/*
 * libdibs-smc-preload.so: loaded with LD_PRELOAD (by dibs-smc-run), it
 * turns the TCP sockets a program creates into AF_SMC sockets, so that an
 * unmodified program talks SMC (SMC-D over dibs where a device is bound),
 * falling back to TCP where SMC cannot connect.  AF_SMC sockets take the
 * same sockaddr_in/sockaddr_in6 addresses and TCP socket options.
 *
 * DIBS_SMC_DEBUG=1 in the environment reports every converted socket on
 * stderr.  Where AF_SMC is missing (no SMC in the kernel), the program
 * gets its TCP socket as usual.
 */
#include <dlfcn.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/socket.h>

#ifndef AF_SMC
#define AF_SMC		43
#endif
/* the protocol of an AF_SMC socket says which IP version it uses */
#define SMCPROTO_SMC	0
#define SMCPROTO_SMC6	1

typedef int (*socket_fn)(int, int, int);

static int real_socket(int domain, int type, int protocol)
{
	static socket_fn fn;

	if (!fn)
		fn = (socket_fn)dlsym(RTLD_NEXT, "socket");
	if (!fn) {
		errno = ENOSYS;
		return -1;
	}
	return fn(domain, type, protocol);
}

int socket(int domain, int type, int protocol)
{
	int fd;

	/* type may carry SOCK_NONBLOCK and SOCK_CLOEXEC */
	if ((domain != AF_INET && domain != AF_INET6) ||
	    (type & 0xf) != SOCK_STREAM ||
	    (protocol != 0 && protocol != IPPROTO_TCP))
		return real_socket(domain, type, protocol);
	fd = real_socket(AF_SMC, type,
			 domain == AF_INET6 ? SMCPROTO_SMC6 : SMCPROTO_SMC);
	if (fd < 0)
		return real_socket(domain, type, protocol);
	if (getenv("DIBS_SMC_DEBUG"))
		fprintf(stderr, "dibs-smc-run: socket %d is AF_SMC (for %s)\n",
			fd, domain == AF_INET6 ? "AF_INET6" : "AF_INET");
	return fd;
}
