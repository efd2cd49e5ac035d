/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Clients, DMBs, GIDs, VLANs, statistics and events built from
 * hand-made netlink messages, parsed by the library as the kernel's
 * would be, for the printer tests and json-samples.
 */
#ifndef FAKE_OBJECTS_H
#define FAKE_OBJECTS_H

#include <stdio.h>
#include <stdlib.h>

#include "dibsctl.h"

#define FAKE_GID_TEXT "6f1c2f1e-9d3a-4b55-8c1a-0e2f3a4b5c6d"
#define FAKE_RGID_TEXT "0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d"
extern const uint8_t fake_gid[DIBSCTL_GID_LEN];
extern const uint8_t fake_rgid[DIBSCTL_GID_LEN];

/* Client 0 "dibs_user" with 3 DMBs, bound to lo (2 DMBs) and lo3 (1). */
struct dibsctl_client *fake_client(void);
/* Client 1 "dibs_test_client", bound to nothing. */
struct dibsctl_client *fake_client_unbound(void);
/* "lo" bound to dibs_user and dibs_test_client. */
struct dibsctl_dev *fake_dev_with_clients(void);
/* A DMB of dibs_user on lo: idx 3, len 8192, token 0xfedcba9876543210 when
 * @token, VLAN 5 when @vlan, attached when @attached, counters. */
struct dibsctl_dmb *fake_dmb(bool token, bool vlan, bool attached);
struct dibsctl_gid *fake_gid_local(void);
struct dibsctl_gid *fake_gid_peer(void);
/* VLAN 5 on lo, of dibs_user (2 refs), or anonymous (1 ref). */
struct dibsctl_vlan *fake_vlan(bool client);
/* Statistics of lo, or of client dibs_user; counters 1, 2, 3, ... */
struct dibsctl_stats *fake_stats_dev(void);
struct dibsctl_stats *fake_stats_client(void);
/* One event of each type, by DIBSCTL_EVENT_*. */
struct dibsctl_event *fake_event(int type);

/* Runs CALL (which prints to FILE *out) into the string TEXT. */
#define CAPTURE(text, call) do {					\
	size_t _size;							\
	FILE *out = open_memstream(&(text), &_size);			\
	if (!out)							\
		abort();						\
	if ((call) != 0) {						\
		fclose(out);						\
		free(text);						\
		(text) = NULL;						\
	} else {							\
		fclose(out);						\
	}								\
} while (0)

#endif /* FAKE_OBJECTS_H */
