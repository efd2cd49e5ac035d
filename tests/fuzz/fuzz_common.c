// SPDX-License-Identifier: GPL-2.0-only
/* Shared by the kernel fuzzers; see fuzz_common.h. */
#include <errno.h>
#include <grp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <unistd.h>
#include <linux/capability.h>
#include <sys/syscall.h>

#include "fuzz_common.h"

struct fz_stats *fz_stats;

void fz_seed(struct fz_rng *r, uint64_t seed)
{
	r->s = seed * 0x9e3779b97f4a7c15ULL + 0x632be59bd9b4e019ULL;
	if (!r->s)
		r->s = 1;
}

/* xorshift64*: small, fast, and the same everywhere */
uint64_t fz_next(struct fz_rng *r)
{
	r->s ^= r->s >> 12;
	r->s ^= r->s << 25;
	r->s ^= r->s >> 27;
	return r->s * 0x2545f4914f6cdd1dULL;
}

uint32_t fz_below(struct fz_rng *r, uint32_t n)
{
	return (uint32_t)((fz_next(r) >> 32) % n);
}

int fz_chance(struct fz_rng *r, unsigned int pct)
{
	return fz_below(r, 100) < pct;
}

void fz_bytes(struct fz_rng *r, void *buf, size_t len)
{
	unsigned char *p = buf;

	while (len--)
		*p++ = (unsigned char)fz_next(r);
}

void fz_stats_init(void)
{
	fz_stats = mmap(NULL, sizeof(*fz_stats), PROT_READ | PROT_WRITE,
			MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (fz_stats == MAP_FAILED) {
		perror("mmap stats");
		exit(2);
	}
}

void fz_count_errno(int err)
{
	if (err >= 0 && err <= FZ_ERRNO_MAX)
		__atomic_fetch_add(&fz_stats->errs[err], 1, __ATOMIC_RELAXED);
	else
		__atomic_fetch_add(&fz_stats->bad_errno, 1, __ATOMIC_RELAXED);
}

void fz_fail(const char *fmt, ...)
{
	unsigned long n;
	va_list ap;

	n = __atomic_fetch_add(&fz_stats->failures, 1, __ATOMIC_RELAXED);
	if (n >= 30) {
		if (n == 30)
			printf("FAIL: (further failures only counted)\n");
		return;
	}
	printf("FAIL: ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	fflush(stdout);
}

void fz_print_histogram(const char *prefix)
{
	const char *sep = "";
	int e;

	printf("%s", prefix);
	for (e = 0; e <= FZ_ERRNO_MAX; e++) {
		if (!fz_stats->errs[e])
			continue;
		printf("%s%s %lu", sep, e ? strerrorname_np(e) : "ok",
		       fz_stats->errs[e]);
		sep = ", ";
	}
	if (fz_stats->bad_errno)
		printf("%sout-of-range %lu", sep, fz_stats->bad_errno);
	printf("\n");
}

int fz_drop_privileges(void)
{
	struct __user_cap_header_struct hdr = {
		.version = _LINUX_CAPABILITY_VERSION_3,
	};
	struct __user_cap_data_struct data[2] = { { 0 } };
	char line[256];
	int cap, ok = 0;
	FILE *f;

	for (cap = 0; cap <= 63; cap++)
		prctl(PR_CAPBSET_DROP, cap, 0, 0, 0);
	if (setgroups(0, NULL) || setresgid(65534, 65534, 65534) ||
	    setresuid(65534, 65534, 65534)) {
		perror("dropping to nobody");
		return -1;
	}
	/* the uid change cleared them; say so explicitly anyway */
	if (syscall(SYS_capset, &hdr, data)) {
		perror("capset");
		return -1;
	}
	prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
	f = fopen("/proc/self/status", "r");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (!strcmp(line, "CapEff:\t0000000000000000\n"))
			ok = 1;
	fclose(f);
	if (!ok || getuid() != 65534) {
		fprintf(stderr, "still privileged after dropping to nobody\n");
		return -1;
	}
	return 0;
}

unsigned long long fz_parse_num(const char *what, const char *arg)
{
	unsigned long long v;
	char *end;

	errno = 0;
	v = strtoull(arg, &end, 0);
	if (errno || end == arg || *end) {
		fprintf(stderr, "bad %s '%s': want a number\n", what, arg);
		exit(2);
	}
	return v;
}
