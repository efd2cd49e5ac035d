/* SPDX-License-Identifier: GPL-2.0 */
/*
 * dibs loopback: software devices whose DMBs are written by the device
 * itself, so that dibs clients can talk within one system.
 */
#ifndef _DIBS_LOOPBACK_H
#define _DIBS_LOOPBACK_H

#include <linux/dibs.h>
#include <linux/uuid.h>

/* most DMBs one loopback device holds, as upstream */
#define DIBS_LO_MAX_DMBS	5000

/* name of the device created at module load */
#define DIBS_LO_DEFAULT_NAME	"lo"

#ifdef DIBS_LO
/*
 * Registers the loopback kind and creates the default loopback device
 * unless disabled by module parameter.
 */
int dibs_loopback_init(void);
/* unregisters the kind and removes every loopback device */
void dibs_loopback_exit(void);
#else
/* built with DIBS_LO=n: no loopback devices */
static inline int dibs_loopback_init(void) { return 0; }
static inline void dibs_loopback_exit(void) { }
#endif

#endif /* _DIBS_LOOPBACK_H */
