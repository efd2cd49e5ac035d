/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * What the kernel fuzzers of tests/fuzz/ share: a seeded random number
 * generator (the same seed gives the same sequence of requests), an errno
 * histogram kept in memory shared with forked children, failure reports,
 * and dropping root to nobody without capabilities.
 */
#ifndef DIBS_FUZZ_COMMON_H
#define DIBS_FUZZ_COMMON_H

#include <stdarg.h>
#include <stdint.h>

/* errnos up to EHWPOISON (133) are the kernel's uapi errnos */
#define FZ_ERRNO_MAX 133

struct fz_rng {
	uint64_t s;
};

/* Outcome counts, in a MAP_SHARED page so that forked children add to it. */
struct fz_stats {
	unsigned long errs[FZ_ERRNO_MAX + 1];	/* [0]: success */
	unsigned long bad_errno;	/* negative errno out of range */
	unsigned long failures;
	unsigned long counters[16];	/* named by the program */
	unsigned long per_op[256];	/* named by the program */
};

extern struct fz_stats *fz_stats;

void fz_seed(struct fz_rng *r, uint64_t seed);
uint64_t fz_next(struct fz_rng *r);
/* uniform in [0, n), n > 0 */
uint32_t fz_below(struct fz_rng *r, uint32_t n);
/* true with probability pct/100 */
int fz_chance(struct fz_rng *r, unsigned int pct);
void fz_bytes(struct fz_rng *r, void *buf, size_t len);

void fz_stats_init(void);
/* count a result: 0 or an errno (positive) */
void fz_count_errno(int err);
/* Reports a failure (printed for the first 30, counted always). */
void fz_fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* "EINVAL 12, EPERM 3" of the histogram, success as "ok" */
void fz_print_histogram(const char *prefix);

/*
 * Become user nobody (65534) with every capability gone from every set,
 * as setpriv --reuid=nobody --clear-groups --inh-caps=-all
 * --bounding-set=-all does; checks CapEff afterwards.  0 or -1.
 */
int fz_drop_privileges(void);

/* strtoull with a check; exits 2 on a bad number */
unsigned long long fz_parse_num(const char *what, const char *arg);

#endif
