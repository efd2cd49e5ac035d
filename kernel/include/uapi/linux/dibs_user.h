/* SPDX-License-Identifier: ((GPL-2.0 WITH Linux-syscall-note) OR BSD-3-Clause) */
/*
 * /dev/dibs: the user-space dibs client (dibs_user.ko).
 *
 * Hand-written.  Every ioctl argument starts with a __u32 @size that the
 * caller sets to sizeof() of the structure it was compiled with.  The
 * kernel accepts any size from the first published size of that structure
 * (the DIBS_USER_*_SIZE_VER1 constants) up to a page: fields the caller
 * does not know are taken as zero, and fields the caller appended that the
 * kernel does not know must be zero (else E2BIG).  Structures only ever
 * grow at their end, so a program built against an older header keeps
 * working.  Reserved fields and unknown flags must be zero (else EINVAL).
 *
 * Life of an open file:
 *  1. DIBS_USER_IOC_BIND to one dibs device, by name or by index.  Every
 *     other ioctl, mmap() and read() fail with ENOTCONN before that.
 *  2. The reader registers DMBs (DIBS_USER_IOC_DMB_REGISTER) and mmap()s
 *     them read-only at the returned mmap offset to see what arrives.
 *  3. The writer moves data into a DMB by token (DIBS_USER_IOC_MOVE), or,
 *     if the device supports it, attaches the DMB (DIBS_USER_IOC_ATTACH)
 *     and mmap()s it writable to store into it directly.
 *  4. read() and poll() deliver DMB signals and device events as
 *     struct dibs_user_event records.
 * Closing the file (or the death of the process) unregisters its DMBs and
 * detaches what it attached.  If the bound device goes away, everything of
 * the file on it is released, its mappings are torn down (accesses then
 * raise SIGBUS), poll() reports POLLHUP and the ioctls fail with ENODEV.
 *
 * Errors common to all ioctls: EFAULT (bad pointer), EINVAL (bad @size,
 * reserved field or flag set), E2BIG (unknown trailing bytes non-zero),
 * ENOTCONN (not bound), ENODEV (bound device was deleted, also while the
 * ioctl ran), ENOTTY (unknown ioctl, or a known one whose number has
 * another direction than below).
 *
 * An ioctl that waits for the caller's memory (a page fault that
 * userfaultfd or FUSE serves) holds nothing that deleting or unbinding
 * the device waits for: the device can go meanwhile, and the ioctl then
 * fails with ENODEV, or (DMB_REGISTER, ATTACH) returns results for a
 * DMB the device released already.  Limits: each file has its own (see
 * struct dibs_user_info), and all files together register at most
 * dev_dmbs_percent (module parameter, default 50) of a device's DMBs, so
 * that in-kernel clients such as SMC-D find the rest free.
 */
#ifndef _UAPI_LINUX_DIBS_USER_H
#define _UAPI_LINUX_DIBS_USER_H

#include <linux/ioctl.h>
#include <linux/types.h>

/* interface version, reported by DIBS_USER_IOC_INFO */
#define DIBS_USER_VERSION		1

/* the character device */
#define DIBS_USER_DEV_NAME		"dibs"

#define DIBS_USER_NAME_LEN		16	/* device name with its NUL */
#define DIBS_USER_GID_LEN		16	/* GID: a UUID, as uuid_t */

/**
 * struct dibs_user_bind - DIBS_USER_IOC_BIND: bind the open file to a dibs
 *	device
 * @size: sizeof() this structure as the caller knows it
 * @index: index of the device, or 0
 * @name: name of the device, or empty
 *
 * Exactly one of @index (non-zero) and @name (non-empty, NUL-terminated)
 * names the device.  A file binds once.
 * Errors: ENODEV no such device; EINVAL both or neither given, or an
 * unterminated name; EISCONN already bound.
 */
struct dibs_user_bind {
	__u32 size;
	__u32 index;
	char name[DIBS_USER_NAME_LEN];
};

#define DIBS_USER_BIND_SIZE_VER1	24

/* dibs_user_info.flags */
/* the device can map a remote DMB: ATTACH and the nocopy path work */
#define DIBS_USER_INFO_MMAPPED_RDMB	0x1U
/* the bound device was deleted; only close() is left to do */
#define DIBS_USER_INFO_DEV_GONE		0x2U

/**
 * struct dibs_user_info - DIBS_USER_IOC_INFO: describe the bound device and
 *	the file's usage
 * @size: sizeof() this structure as the caller knows it
 * @version: DIBS_USER_VERSION of the kernel
 * @index: index of the device
 * @flags: DIBS_USER_INFO_* flags
 * @name: name of the device, NUL-terminated
 * @gid: GID of the device
 * @fabric_id: fabric of the device (0xffff: loopback)
 * @reserved: zero
 * @max_dmbs: most DMBs the device holds at once, for all clients together
 * @dmbs: DMBs this file has registered or attached
 * @limit_dmbs: most DMBs this file may have, 0 for unlimited
 * @dmb_bytes: bytes of the DMBs this file registered
 * @limit_bytes: most DMB bytes this file may register, 0 for unlimited
 *
 * Everything after @size is output.  @dmbs and @dmb_bytes count the DMBs
 * this file registered (bytes as requested, not rounded); the limits are
 * the module parameters max_dmbs_per_file and max_bytes_per_file in force
 * when the file was bound (0: unlimited).
 */
struct dibs_user_info {
	__u32 size;
	__u32 version;		/* DIBS_USER_VERSION */
	__u32 index;
	__u32 flags;		/* DIBS_USER_INFO_* */
	char name[DIBS_USER_NAME_LEN];
	__u8 gid[DIBS_USER_GID_LEN];
	__u16 fabric_id;
	__u16 reserved;
	__u32 max_dmbs;		/* of the device, for all clients */
	__u32 dmbs;
	__u32 limit_dmbs;
	__u64 dmb_bytes;
	__u64 limit_bytes;
};

#define DIBS_USER_INFO_SIZE_VER1	80

/* dibs_user_dmb_register.flags */
#define DIBS_USER_DMB_VLAN	0x1U	/* @vlan_id is valid */

/**
 * struct dibs_user_dmb_register - DIBS_USER_IOC_DMB_REGISTER: offer a DMB
 *	to one remote writer
 * @size: sizeof() this structure as the caller knows it
 * @len: length of the DMB in bytes
 * @rgid: GID of the only device allowed to write into the DMB
 * @flags: DIBS_USER_DMB_* flags
 * @vlan_id: VLAN of the DMB, with DIBS_USER_DMB_VLAN
 * @token: out: the DMB's token
 * @idx: out: the DMB's index on the device
 * @reserved: zero
 * @mmap_offset: out: offset to mmap() the DMB at
 *
 * In: @len (1 byte up to 1 GiB), @rgid (the GID of the only device allowed
 * to write into the DMB; on a loopback device its own GID), @flags and
 * @vlan_id.  Out: @token (random, non-zero), @idx (the DMB index on the
 * device, as in signals) and @mmap_offset: mmap() the DMB with this offset
 * and a length up to @len rounded up to pages, PROT_READ only.  The memory
 * is zeroed and charged to the caller's memory cgroup.
 * Errors: EINVAL bad length; ENETUNREACH @rgid not reachable from the
 * device; EDQUOT the file's DMB count or byte limit would be exceeded;
 * ENOSPC the device has no free DMB, or the /dev/dibs files together hold
 * their share of its DMBs (module parameter dev_dmbs_percent, 0-100,
 * default 50: half of them stays for in-kernel clients); ENOMEM out of
 * memory, the memory cgroup's limit reached, or a DMB larger than the
 * device can allocate in one piece (4 MiB on a loopback device on x86).
 */
struct dibs_user_dmb_register {
	__u32 size;
	__u32 len;
	__u8 rgid[DIBS_USER_GID_LEN];
	__u32 flags;		/* DIBS_USER_DMB_* */
	__u32 vlan_id;
	__u64 token;		/* out */
	__u32 idx;		/* out */
	__u32 reserved;
	__u64 mmap_offset;	/* out */
};

#define DIBS_USER_DMB_REGISTER_SIZE_VER1	56

/**
 * struct dibs_user_dmb_unregister - DIBS_USER_IOC_DMB_UNREGISTER:
 *	unregister a DMB of this file
 * @size: sizeof() this structure as the caller knows it
 * @reserved: zero
 * @token: token of the DMB
 *
 * Its mappings are torn down.  Signals for it still queued are dropped.
 * Errors: ENOENT no DMB with @token registered by this file.
 */
struct dibs_user_dmb_unregister {
	__u32 size;
	__u32 reserved;
	__u64 token;
};

#define DIBS_USER_DMB_UNREGISTER_SIZE_VER1	16

/* dibs_user_move.flags */
#define DIBS_USER_MOVE_SIGNAL	0x1U	/* signal bit @sig_idx after */

/**
 * struct dibs_user_move - DIBS_USER_IOC_MOVE: copy @len bytes from @buf to
 *	@offset in DMB @token
 * @size: sizeof() this structure as the caller knows it
 * @flags: DIBS_USER_MOVE_* flags
 * @token: token of the remote DMB
 * @buf: user address of the data
 * @offset: where in the DMB the data goes
 * @len: how many bytes to copy
 * @sig_idx: signal bit to set, with DIBS_USER_MOVE_SIGNAL
 * @reserved: zero
 *
 * The DMB is the one of the remote device with @token; this file's device
 * must be its designated writer.  With DIBS_USER_MOVE_SIGNAL, the owner of
 * the DMB gets a signal with bit @sig_idx (0..15) once the data is in.
 * @len may be 0 to only signal.  Where the device can map remote DMBs the
 * data is copied from @buf straight into the DMB.
 * Errors: ENOENT no such token (or the device is not its writer, on
 * devices that cannot tell the two apart); EACCES this device is not the
 * DMB's designated writer; ERANGE @offset + @len beyond the DMB (EINVAL
 * on devices that cannot map remote DMBs); EINVAL @sig_idx > 15, or not
 * zero without DIBS_USER_MOVE_SIGNAL; EFAULT @buf.
 */
struct dibs_user_move {
	__u32 size;
	__u32 flags;		/* DIBS_USER_MOVE_* */
	__u64 token;
	__u64 buf;		/* user address */
	__u32 offset;
	__u32 len;
	__u32 sig_idx;
	__u32 reserved;
};

#define DIBS_USER_MOVE_SIZE_VER1	40

/**
 * struct dibs_user_attach - DIBS_USER_IOC_ATTACH: map the remote DMB @token
 *	for writing (nocopy)
 * @size: sizeof() this structure as the caller knows it
 * @reserved: zero
 * @token: token of the remote DMB
 * @len: out: length of the DMB in bytes
 * @idx: out: the DMB's index on its device
 * @mmap_offset: out: offset to mmap() the DMB at
 *
 * Out: @len and @idx of the DMB and @mmap_offset: mmap() it with this
 * offset, PROT_READ | PROT_WRITE, MAP_SHARED.  Stores land in the DMB;
 * follow them with a DIBS_USER_IOC_MOVE of length 0 to signal.  An
 * attachment lasts until DIBS_USER_IOC_DETACH or close(), even if the
 * owner unregisters the DMB meanwhile.  Attaching a token twice is an
 * error.
 * Errors: EOPNOTSUPP the device cannot map remote DMBs; ENOENT no such
 * token; EACCES not the designated writer; EEXIST already attached;
 * EDQUOT the file's DMB count limit (attachments count as DMBs).
 */
struct dibs_user_attach {
	__u32 size;
	__u32 reserved;
	__u64 token;
	__u32 len;		/* out */
	__u32 idx;		/* out */
	__u64 mmap_offset;	/* out */
};

#define DIBS_USER_ATTACH_SIZE_VER1	32

/**
 * struct dibs_user_detach - DIBS_USER_IOC_DETACH: end an attachment; its
 *	mappings are torn down
 * @size: sizeof() this structure as the caller knows it
 * @reserved: zero
 * @token: token of the attached DMB
 *
 * Errors: ENOENT @token is not attached by this file.
 */
struct dibs_user_detach {
	__u32 size;
	__u32 reserved;
	__u64 token;
};

#define DIBS_USER_DETACH_SIZE_VER1	16

/* dibs_user_signal_event.flags */
#define DIBS_USER_SIGNAL_IRQ	0x1U	/* deliver immediately */

/**
 * struct dibs_user_signal_event - DIBS_USER_IOC_SIGNAL_EVENT: send a
 *	software event to device @rgid
 * @size: sizeof() this structure as the caller knows it
 * @flags: DIBS_USER_SIGNAL_* flags
 * @rgid: GID of the receiving device
 * @event_code: code the receivers read as subtype
 * @reserved: zero
 * @info: data the receivers read
 *
 * Every file bound to device @rgid reads a DIBS_USER_EVENT_DEVICE record
 * with type DIBS_USER_SW_EVENT, subtype @event_code, gid the sender's GID
 * and data @info.
 * Errors: EOPNOTSUPP the device cannot send events; ENETUNREACH.
 */
struct dibs_user_signal_event {
	__u32 size;
	__u32 flags;		/* DIBS_USER_SIGNAL_* */
	__u8 rgid[DIBS_USER_GID_LEN];
	__u32 event_code;
	__u32 reserved;
	__u64 info;
};

#define DIBS_USER_SIGNAL_EVENT_SIZE_VER1	40

/* 0xDB 0x00-0x0F belongs to mwave (Documentation/userspace-api/ioctl) */
#define DIBS_USER_IOC_MAGIC	0xDB

#define DIBS_USER_IOC_BIND \
	_IOW(DIBS_USER_IOC_MAGIC, 0x20, struct dibs_user_bind)
#define DIBS_USER_IOC_INFO \
	_IOWR(DIBS_USER_IOC_MAGIC, 0x21, struct dibs_user_info)
#define DIBS_USER_IOC_DMB_REGISTER \
	_IOWR(DIBS_USER_IOC_MAGIC, 0x22, struct dibs_user_dmb_register)
#define DIBS_USER_IOC_DMB_UNREGISTER \
	_IOW(DIBS_USER_IOC_MAGIC, 0x23, struct dibs_user_dmb_unregister)
#define DIBS_USER_IOC_MOVE \
	_IOW(DIBS_USER_IOC_MAGIC, 0x24, struct dibs_user_move)
#define DIBS_USER_IOC_ATTACH \
	_IOWR(DIBS_USER_IOC_MAGIC, 0x25, struct dibs_user_attach)
#define DIBS_USER_IOC_DETACH \
	_IOW(DIBS_USER_IOC_MAGIC, 0x26, struct dibs_user_detach)
#define DIBS_USER_IOC_SIGNAL_EVENT \
	_IOW(DIBS_USER_IOC_MAGIC, 0x27, struct dibs_user_signal_event)

/*
 * The ioctl numbers encode the size of the structure in this header; the
 * kernel matches on type, number and direction (_IOC_TYPE, _IOC_NR,
 * _IOC_DIR) but not on the size, so a program built with another version
 * of a structure reaches the same ioctl and is told apart by @size.
 */

/**
 * enum dibs_user_event_kind - what a struct dibs_user_event record reports
 *	(its kind)
 * @DIBS_USER_EVENT_SIGNAL: a DMB of this file was signalled; token, idx and
 *	dmbemask are set
 * @DIBS_USER_EVENT_DEVICE: the device reported an event; type, subtype,
 *	gid, token, time and data are set
 * @DIBS_USER_EVENT_OVERFLOW: device events were dropped because the queue
 *	was full; data says how many
 */
enum dibs_user_event_kind {
	DIBS_USER_EVENT_SIGNAL = 1,
	DIBS_USER_EVENT_DEVICE = 2,
	DIBS_USER_EVENT_OVERFLOW = 3,
};

/**
 * enum dibs_user_dev_event_type - type of a DIBS_USER_EVENT_DEVICE record,
 *	as the kernel's enum dibs_event_type
 * @DIBS_USER_BUF_EVENT: about a buffer (token)
 * @DIBS_USER_DEV_EVENT: about a device (gid)
 * @DIBS_USER_SW_EVENT: sent with signal_event() by device gid
 */
enum dibs_user_dev_event_type {
	DIBS_USER_BUF_EVENT = 0,
	DIBS_USER_DEV_EVENT = 1,
	DIBS_USER_SW_EVENT = 2,
};

/**
 * struct dibs_user_event - one record of read()
 * @size: length of this record in bytes
 * @kind: an enum dibs_user_event_kind
 * @token: token of the DMB the record concerns, or 0
 * @idx: index of the signalled DMB
 * @dmbemask: signal bits of the DMB, merged
 * @reserved: zero
 * @type: an enum dibs_user_dev_event_type
 * @subtype: event subtype, or the code of an SW event
 * @gid: GID of the device the event concerns, or the sender's
 * @time: when the event happened, as the device reports it
 * @data: event specific data
 *
 * read() returns as many whole records as fit into its buffer (EINVAL if
 * not even one fits); it blocks until one is there unless O_NONBLOCK
 * (EAGAIN).  A record leaves the queue only once it was copied out: when
 * the buffer is not writable, read() returns the records before that
 * point, or fails with EFAULT, and the next read() gets the record.
 * Signals of one DMB that arrive before read() takes them are merged into
 * one record: @dmbemask is the OR of their masks.  Signal
 * index i is the 16-bit value 0x1000 rotated right by i (0x1000 for 0,
 * 0x0800 for 1, ..., 0x0001 for 12, 0x8000 for 13, ..., 0x2000 for 15), as
 * ISM does.
 * Once the device is gone and the queue drained, read() fails with
 * ENODEV.  poll(): POLLIN when a record is queued, POLLHUP once the device
 * is gone.  A record never shrinks; later versions may append fields, and
 * @size tells how long each record is.
 */
struct dibs_user_event {
	__u32 size;		/* of this record */
	__u32 kind;		/* enum dibs_user_event_kind */
	__u64 token;
	__u32 idx;
	__u16 dmbemask;
	__u16 reserved;
	__u32 type;		/* enum dibs_user_dev_event_type */
	__u32 subtype;		/* event subtype, or the code of an SW event */
	__u8 gid[DIBS_USER_GID_LEN];
	__u64 time;
	__u64 data;
};

#endif /* _UAPI_LINUX_DIBS_USER_H */
