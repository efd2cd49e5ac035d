/* SPDX-License-Identifier: GPL-2.0-only */
/* What tests/fuzz/gen-fuzz-spec tells nl_fuzz about the dibs family. */
#ifndef DIBS_FUZZ_SPEC_TYPES_H
#define DIBS_FUZZ_SPEC_TYPES_H

#include <stdint.h>

enum fz_type {
	FZ_U8, FZ_U16, FZ_U32, FZ_U64, FZ_FLAG, FZ_STRING, FZ_BINARY,
	FZ_NEST, FZ_PAD,
};

/* a request attribute of an operation, with its spec checks */
struct fz_attr {
	const char *name;
	uint16_t id;
	enum fz_type type;
	int has_min, has_max, is_enum;
	long long min, max;
	unsigned int max_len, min_len, exact_len;
};

struct fz_op {
	const char *name;
	uint8_t cmd;
	int notification;	/* no do, no dump: not a request */
	int admin;		/* flags: [admin-perm] */
	int has_do, has_dump;
	const struct fz_attr *req;
	int nreq;
	int max_attr;		/* highest attribute id of its set */
};

struct fz_group {
	const char *name;
	int admin;		/* only CAP_NET_ADMIN may join */
};

#endif
