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

/* creates the default loopback device unless disabled by module parameter */
int dibs_loopback_init(void);
/* removes every loopback device, with whatever DMBs it still holds */
void dibs_loopback_exit(void);

bool dibs_dev_is_loopback(const struct dibs_dev *dibs);

/*
 * Create and register a loopback device named @name with GID @gid.
 * The caller holds dibs_devs_lock and has checked that both are free.
 */
int dibs_lo_dev_create_locked(const char *name, const uuid_t *gid,
			      struct dibs_dev **dibsp);

/*
 * Remove the loopback device @dibs and free it.  Without @force, a device
 * with DMBs registered is left alone and -EBUSY returned, with the number
 * of DMBs in @dmbs_in_use.  With @force, the clients are told to drop the
 * device and DMBs they leave behind are freed.  dibs_devs_lock held.
 */
int dibs_lo_dev_destroy_locked(struct dibs_dev *dibs, bool force,
			       unsigned int *dmbs_in_use);

#endif /* _DIBS_LOOPBACK_H */
