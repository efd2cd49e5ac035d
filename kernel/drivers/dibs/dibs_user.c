// SPDX-License-Identifier: GPL-2.0
/*
 * dibs_user: a dibs client that hands dibs to processes through the misc
 * device /dev/dibs.  The interface is described in
 * include/uapi/linux/dibs_user.h.
 *
 * Locking, outermost first:
 *   dibs_devs_lock (dibs core; held around add_dev()/del_dev())
 *   dibs_user_devs_lock       the list of known devices
 *   udev->files_lock          the files bound to a device; del_dev() holds
 *                             it while it strips those files
 *   ufile->sem                the file's binding and buffers: written by
 *                             every change, read by the data path.
 *                             del_dev() waits for it, so nothing may wait
 *                             for user memory under it: a page fault can
 *                             last forever (userfaultfd, FUSE).  Copies
 *                             from user space run before it is taken or
 *                             with page faults disabled, copies to user
 *                             space after it is dropped
 *   ufile->map_lock           lookups by mmap offset; mmap() takes it under
 *                             mmap_lock, so nothing under it touches user
 *                             memory
 *   udev->irq_lock            index -> buffer table and file list as seen
 *                             from handle_irq()/handle_event()
 *   ufile->ev_lock            the file's queue of signals and events
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/bitops.h>
#include <linux/dibs.h>
#include <linux/fs.h>
#include <linux/kref.h>
#include <linux/list.h>
#include <linux/lockdep.h>
#include <linux/miscdevice.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/pagemap.h>
#include <linux/poll.h>
#include <linux/rwsem.h>
#include <linux/sched.h>
#include <linux/sizes.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/string.h>
#include <linux/uaccess.h>
#include <linux/wait.h>
#include <uapi/linux/dibs_user.h>

#include "dibs_compat.h"

MODULE_DESCRIPTION("dibs client for user space: /dev/dibs");
MODULE_LICENSE("GPL");

static int dibs_user_set_percent(const char *val,
				 const struct kernel_param *kp)
{
	return param_set_uint_minmax(val, kp, 0, 100);
}

static unsigned int max_dmbs_per_file = 256;
module_param(max_dmbs_per_file, uint, 0644);
MODULE_PARM_DESC(max_dmbs_per_file,
		 "Most DMBs plus attachments one open file may hold (0: no limit; default: 256)");

static unsigned long max_bytes_per_file = SZ_256M;
module_param(max_bytes_per_file, ulong, 0644);
MODULE_PARM_DESC(max_bytes_per_file,
		 "Most DMB bytes one open file may register (0: no limit; default: 256 MiB)");

static const struct kernel_param_ops dev_dmbs_percent_ops = {
	.set = dibs_user_set_percent,
	.get = param_get_uint,
};

static unsigned int dev_dmbs_percent = 50;
module_param_cb(dev_dmbs_percent, &dev_dmbs_percent_ops, &dev_dmbs_percent,
		0644);
MODULE_PARM_DESC(dev_dmbs_percent,
		 "Share of each device's DMBs, in percent, that all /dev/dibs files together may register; the rest stays for in-kernel clients such as SMC-D (0-100; default: 50)");

/* largest DMB a file may register */
#define DIBS_USER_DMB_MAX_LEN	SZ_1G
/* device events queued per file; later ones are dropped and counted */
#define DIBS_USER_EVENT_QUEUE	64
/* bounce buffer of the copy path on devices that cannot map remote DMBs */
#define DIBS_USER_BOUNCE_LEN	SZ_64K
/* highest signal index: the mask has 16 bits */
#define DIBS_USER_SIG_IDX_MAX	15
/* an ioctl number without its size: what the dispatcher matches */
#define DIBS_USER_IOC_SIZE_BITS		(_IOC_SIZEMASK << _IOC_SIZESHIFT)
#define DIBS_USER_IOC_NOSIZE(cmd)	((cmd) & ~DIBS_USER_IOC_SIZE_BITS)

/* a dibs device as this client sees it */
struct dibs_user_dev {
	struct kref ref;
	/* entry in dibs_user_devs while the device exists */
	struct list_head list;
	/* valid until @gone is set */
	struct dibs_dev *dibs;
	char name[DIBS_USER_NAME_LEN];
	u32 index;
	/* protects @files and @gone for sleeping users */
	struct mutex files_lock;
	struct list_head files;
	bool gone;
	/* protects @by_idx and @files for the interrupt-context handlers */
	spinlock_t irq_lock;
	/* own DMB of some file by device DMB index */
	struct dibs_user_buf **by_idx;
	u32 max_dmbs;
	/* DMBs that files registered on the device, at most dev_dmbs_percent */
	atomic_t nr_dmbs;
};

/* a DMB registered by a file, or a remote DMB it attached */
struct dibs_user_buf {
	/* entry in dibs_user_file.bufs */
	struct list_head list;
	struct dibs_user_file *owner;
	struct dibs_dmb dmb;
	bool remote;
	/* mmap() offset in pages; unique module-wide */
	u64 pgoff;
	unsigned long npages;
	/* signals not yet read; under ev_lock */
	struct list_head signal_node;
	u16 signal_mask;
};

struct dibs_user_file {
	struct address_space *mapping;
	struct rw_semaphore sem;
	/* set by bind, under @sem */
	struct dibs_user_dev *udev;
	/* entry in udev->files */
	struct list_head dev_node;
	/* the device was deleted under the file */
	bool gone;
	unsigned int limit_dmbs;
	unsigned long limit_bytes;
	unsigned int nr_bufs;
	unsigned long dmb_bytes;
	/* changes under @sem and @map_lock, lookups under either */
	struct mutex map_lock;
	struct list_head bufs;

	/* one read() at a time: a record leaves the queue once copied out */
	struct mutex read_lock;
	/* protects the queue below; taken in interrupt context */
	spinlock_t ev_lock;
	wait_queue_head_t wait;
	struct list_head signals;
	struct dibs_user_event events[DIBS_USER_EVENT_QUEUE];
	unsigned int ev_head;
	unsigned int ev_count;
	u64 ev_dropped;
	bool hup;
};

/* protects dibs_user_devs */
static DEFINE_MUTEX(dibs_user_devs_lock);
static LIST_HEAD(dibs_user_devs);
/* next free mmap() offset, in pages */
static atomic64_t dibs_user_next_pgoff = ATOMIC64_INIT(1);

static struct dibs_client dibs_user_client;

static void dibs_user_dev_free(struct kref *ref)
{
	struct dibs_user_dev *udev = container_of(ref, struct dibs_user_dev,
						  ref);

	kvfree(udev->by_idx);
	kfree(udev);
}

static void dibs_user_add_dev(struct dibs_dev *dibs)
{
	struct dibs_user_dev *udev;
	int max_dmbs;

	udev = kzalloc(sizeof(*udev), GFP_KERNEL);
	if (!udev)
		goto err;
	max_dmbs = dibs->ops->max_dmbs();
	udev->by_idx = kvcalloc(max_dmbs, sizeof(*udev->by_idx), GFP_KERNEL);
	if (!udev->by_idx) {
		kfree(udev);
		goto err;
	}
	kref_init(&udev->ref);
	udev->dibs = dibs;
	udev->max_dmbs = max_dmbs;
	strscpy(udev->name, dev_name(&dibs->dev), sizeof(udev->name));
	udev->index = dibs->index;
	mutex_init(&udev->files_lock);
	INIT_LIST_HEAD(&udev->files);
	spin_lock_init(&udev->irq_lock);
	dibs_set_priv(dibs, &dibs_user_client, udev);

	mutex_lock(&dibs_user_devs_lock);
	list_add_tail(&udev->list, &dibs_user_devs);
	mutex_unlock(&dibs_user_devs_lock);
	return;
err:
	/* the device stays usable by other clients, just not from /dev/dibs */
	pr_warn("out of memory: device %s not available through /dev/dibs\n",
		dev_name(&dibs->dev));
}

static void dibs_user_zap(struct dibs_user_file *ufile,
			  struct dibs_user_buf *buf)
{
	unmap_mapping_range(ufile->mapping, (loff_t)buf->pgoff << PAGE_SHIFT,
			    (loff_t)buf->npages << PAGE_SHIFT, 1);
}

/*
 * Releases @buf on the device: its mappings first, so that no process can
 * reach the memory once the driver frees it.  ufile->sem held for writing.
 */
static void dibs_user_buf_release(struct dibs_user_file *ufile,
				  struct dibs_user_buf *buf)
{
	struct dibs_user_dev *udev = ufile->udev;
	struct dibs_dev *dibs = udev->dibs;
	unsigned long flags;
	int err;

	mutex_lock(&ufile->map_lock);
	list_del(&buf->list);
	mutex_unlock(&ufile->map_lock);
	dibs_user_zap(ufile, buf);
	ufile->nr_bufs--;

	if (buf->remote) {
		err = dibs->ops->detach_dmb(dibs, buf->dmb.dmb_tok);
	} else {
		spin_lock_irqsave(&udev->irq_lock, flags);
		if (udev->by_idx[buf->dmb.idx] == buf)
			udev->by_idx[buf->dmb.idx] = NULL;
		spin_unlock_irqrestore(&udev->irq_lock, flags);
		spin_lock_irqsave(&ufile->ev_lock, flags);
		list_del_init(&buf->signal_node);
		spin_unlock_irqrestore(&ufile->ev_lock, flags);
		ufile->dmb_bytes -= buf->dmb.dmb_len;
		err = dibs->ops->unregister_dmb(dibs, &buf->dmb);
		atomic_dec(&udev->nr_dmbs);
	}
	if (err)
		pr_warn("%s: cannot %s DMB %u: %d\n", udev->name,
			buf->remote ? "detach" : "unregister", buf->dmb.idx,
			err);
	kfree(buf);
}

static void dibs_user_release_all(struct dibs_user_file *ufile)
{
	struct dibs_user_buf *buf, *tmp;

	list_for_each_entry_safe(buf, tmp, &ufile->bufs, list)
		dibs_user_buf_release(ufile, buf);
}

static void dibs_user_del_dev(struct dibs_dev *dibs)
{
	struct dibs_user_dev *udev = dibs_get_priv(dibs, &dibs_user_client);
	struct dibs_user_file *ufile;

	if (!udev)
		return;
	mutex_lock(&dibs_user_devs_lock);
	list_del(&udev->list);
	mutex_unlock(&dibs_user_devs_lock);

	mutex_lock(&udev->files_lock);
	udev->gone = true;
	/*
	 * Every file fails with ENODEV before any buffer goes away, so that a
	 * writer sees the device vanish, not its peer's tokens one by one.
	 */
	list_for_each_entry(ufile, &udev->files, dev_node) {
		down_write(&ufile->sem);
		ufile->gone = true;
		up_write(&ufile->sem);
	}
	list_for_each_entry(ufile, &udev->files, dev_node) {
		down_write(&ufile->sem);
		dibs_user_release_all(ufile);
		up_write(&ufile->sem);
		spin_lock_irq(&ufile->ev_lock);
		ufile->hup = true;
		spin_unlock_irq(&ufile->ev_lock);
		wake_up_interruptible_poll(&ufile->wait, EPOLLHUP);
	}
	mutex_unlock(&udev->files_lock);
	dibs_set_priv(dibs, &dibs_user_client, NULL);
	kref_put(&udev->ref, dibs_user_dev_free);
}

static void dibs_user_handle_irq(struct dibs_dev *dibs, unsigned int idx,
				 u16 dmbemask)
{
	struct dibs_user_dev *udev = dibs_get_priv(dibs, &dibs_user_client);
	struct dibs_user_file *ufile;
	struct dibs_user_buf *buf;
	unsigned long flags;

	if (!udev || idx >= udev->max_dmbs)
		return;
	spin_lock_irqsave(&udev->irq_lock, flags);
	buf = udev->by_idx[idx];
	if (buf) {
		ufile = buf->owner;
		spin_lock(&ufile->ev_lock);
		/* signals not yet read merge into one record */
		if (list_empty(&buf->signal_node))
			list_add_tail(&buf->signal_node, &ufile->signals);
		buf->signal_mask |= dmbemask;
		spin_unlock(&ufile->ev_lock);
		wake_up_interruptible_poll(&ufile->wait, EPOLLIN | EPOLLRDNORM);
	}
	spin_unlock_irqrestore(&udev->irq_lock, flags);
}

static void dibs_user_queue_event(struct dibs_user_file *ufile,
				  const struct dibs_event *event)
{
	struct dibs_user_event *rec;

	spin_lock(&ufile->ev_lock);
	if (ufile->ev_count == DIBS_USER_EVENT_QUEUE) {
		/* a reader that does not keep up learns how much it missed */
		ufile->ev_dropped++;
	} else {
		rec = &ufile->events[(ufile->ev_head + ufile->ev_count) %
				     DIBS_USER_EVENT_QUEUE];
		ufile->ev_count++;
		memset(rec, 0, sizeof(*rec));
		rec->size = sizeof(*rec);
		rec->kind = DIBS_USER_EVENT_DEVICE;
		rec->type = event->type;
		rec->subtype = event->subtype;
		memcpy(rec->gid, &event->gid, sizeof(rec->gid));
		rec->token = event->buffer_tok;
		rec->time = event->time;
		rec->data = event->data;
	}
	spin_unlock(&ufile->ev_lock);
	wake_up_interruptible_poll(&ufile->wait, EPOLLIN | EPOLLRDNORM);
}

static void dibs_user_handle_event(struct dibs_dev *dibs,
				   const struct dibs_event *event)
{
	struct dibs_user_dev *udev = dibs_get_priv(dibs, &dibs_user_client);
	struct dibs_user_file *ufile;
	unsigned long flags;

	if (!udev)
		return;
	spin_lock_irqsave(&udev->irq_lock, flags);
	list_for_each_entry(ufile, &udev->files, dev_node)
		dibs_user_queue_event(ufile, event);
	spin_unlock_irqrestore(&udev->irq_lock, flags);
}

static const struct dibs_client_ops dibs_user_client_ops = {
	.add_dev = dibs_user_add_dev,
	.del_dev = dibs_user_del_dev,
	.handle_irq = dibs_user_handle_irq,
	.handle_event = dibs_user_handle_event,
};

static struct dibs_client dibs_user_client = {
	.name = "dibs_user",
	.ops = &dibs_user_client_ops,
};

/* File operations */

static int dibs_user_open(struct inode *inode, struct file *file)
{
	struct dibs_user_file *ufile;

	ufile = kzalloc(sizeof(*ufile), GFP_KERNEL_ACCOUNT);
	if (!ufile)
		return -ENOMEM;
	ufile->mapping = file->f_mapping;
	init_rwsem(&ufile->sem);
	INIT_LIST_HEAD(&ufile->dev_node);
	mutex_init(&ufile->map_lock);
	INIT_LIST_HEAD(&ufile->bufs);
	mutex_init(&ufile->read_lock);
	spin_lock_init(&ufile->ev_lock);
	init_waitqueue_head(&ufile->wait);
	INIT_LIST_HEAD(&ufile->signals);
	file->private_data = ufile;
	/*
	 * mmap offsets are not file positions.  With no .llseek this makes
	 * lseek() fail with ESPIPE on every kernel (6.12 removed no_llseek).
	 */
	return nonseekable_open(inode, file);
}

static int dibs_user_release(struct inode *inode, struct file *file)
{
	struct dibs_user_file *ufile = file->private_data;
	struct dibs_user_dev *udev = ufile->udev;
	unsigned long flags;

	if (udev) {
		mutex_lock(&udev->files_lock);
		down_write(&ufile->sem);
		if (!ufile->gone)
			dibs_user_release_all(ufile);
		spin_lock_irqsave(&udev->irq_lock, flags);
		list_del(&ufile->dev_node);
		spin_unlock_irqrestore(&udev->irq_lock, flags);
		up_write(&ufile->sem);
		mutex_unlock(&udev->files_lock);
		kref_put(&udev->ref, dibs_user_dev_free);
	}
	kfree(ufile);
	return 0;
}

static bool dibs_user_has_records(struct dibs_user_file *ufile)
{
	bool ret;

	spin_lock_irq(&ufile->ev_lock);
	ret = !list_empty(&ufile->signals) || ufile->ev_count ||
	      ufile->ev_dropped;
	spin_unlock_irq(&ufile->ev_lock);
	return ret;
}

/*
 * The next record of the file's queue, left on it: read() takes it off
 * with dibs_user_take_record() only once it reached the reader, so that a
 * copy that faults loses nothing.  Returns the buffer of a signal record
 * (for dibs_user_take_record()), ERR_PTR(-ENOENT) if the queue is empty,
 * NULL for the other records.
 */
static struct dibs_user_buf *dibs_user_peek_record(struct dibs_user_file *ufile,
						   struct dibs_user_event *rec)
{
	struct dibs_user_buf *buf = NULL;

	memset(rec, 0, sizeof(*rec));
	rec->size = sizeof(*rec);
	spin_lock_irq(&ufile->ev_lock);
	if (ufile->ev_dropped) {
		rec->kind = DIBS_USER_EVENT_OVERFLOW;
		rec->data = ufile->ev_dropped;
	} else if (!list_empty(&ufile->signals)) {
		buf = list_first_entry(&ufile->signals, struct dibs_user_buf,
				       signal_node);
		rec->kind = DIBS_USER_EVENT_SIGNAL;
		rec->token = buf->dmb.dmb_tok;
		rec->idx = buf->dmb.idx;
		rec->dmbemask = buf->signal_mask;
	} else if (ufile->ev_count) {
		*rec = ufile->events[ufile->ev_head];
	} else {
		buf = ERR_PTR(-ENOENT);
	}
	spin_unlock_irq(&ufile->ev_lock);
	return buf;
}

/*
 * Takes the record @rec that dibs_user_peek_record() returned (with @buf)
 * off the queue; ufile->read_lock held across both, so it is still the
 * first of its kind, unless its buffer was released meanwhile.  Signals
 * and drops that came in the meantime stay queued.
 */
static void dibs_user_take_record(struct dibs_user_file *ufile,
				  const struct dibs_user_event *rec,
				  struct dibs_user_buf *buf)
{
	lockdep_assert_held(&ufile->read_lock);
	spin_lock_irq(&ufile->ev_lock);
	switch (rec->kind) {
	case DIBS_USER_EVENT_OVERFLOW:
		ufile->ev_dropped -= rec->data;
		break;
	case DIBS_USER_EVENT_SIGNAL:
		/* a buffer released since has left the list */
		if (list_first_entry_or_null(&ufile->signals,
					     struct dibs_user_buf,
					     signal_node) != buf ||
		    buf->dmb.dmb_tok != rec->token)
			break;
		buf->signal_mask &= ~rec->dmbemask;
		if (!buf->signal_mask)
			list_del_init(&buf->signal_node);
		break;
	default:
		ufile->ev_head = (ufile->ev_head + 1) % DIBS_USER_EVENT_QUEUE;
		ufile->ev_count--;
		break;
	}
	spin_unlock_irq(&ufile->ev_lock);
}

/* copies the next record to @ubuf: 0, -ENOENT if there is none, -errno */
static int dibs_user_read_one(struct dibs_user_file *ufile, char __user *ubuf)
{
	struct dibs_user_event rec;
	struct dibs_user_buf *buf;
	int err;

	err = mutex_lock_interruptible(&ufile->read_lock);
	if (err)
		return err;
	buf = dibs_user_peek_record(ufile, &rec);
	if (IS_ERR(buf)) {
		err = PTR_ERR(buf);
	} else if (copy_to_user(ubuf, &rec, sizeof(rec))) {
		err = -EFAULT;
	} else {
		dibs_user_take_record(ufile, &rec, buf);
		err = 0;
	}
	mutex_unlock(&ufile->read_lock);
	return err;
}

static ssize_t dibs_user_read(struct file *file, char __user *ubuf,
			      size_t count, loff_t *ppos)
{
	struct dibs_user_file *ufile = file->private_data;
	const size_t rec_size = sizeof(struct dibs_user_event);
	size_t done = 0;
	int err;

	if (count < rec_size)
		return -EINVAL;
	if (!READ_ONCE(ufile->udev))
		return -ENOTCONN;
	while (done + rec_size <= count) {
		err = dibs_user_read_one(ufile, ubuf + done);
		if (!err) {
			done += rec_size;
			continue;
		}
		if (done)
			break;
		if (err != -ENOENT)
			return err;
		if (READ_ONCE(ufile->hup))
			return -ENODEV;
		if (file->f_flags & O_NONBLOCK)
			return -EAGAIN;
		err = wait_event_interruptible(ufile->wait,
					       dibs_user_has_records(ufile) ||
					       READ_ONCE(ufile->hup));
		if (err)
			return err;
	}
	return done;
}

static __poll_t dibs_user_poll(struct file *file, poll_table *wait)
{
	struct dibs_user_file *ufile = file->private_data;
	__poll_t mask = 0;

	poll_wait(file, &ufile->wait, wait);
	if (!READ_ONCE(ufile->udev))
		return EPOLLERR;
	if (dibs_user_has_records(ufile))
		mask |= EPOLLIN | EPOLLRDNORM;
	if (READ_ONCE(ufile->hup))
		mask |= EPOLLHUP;
	return mask;
}

/* the buffer mapped at page offset @pgoff of the file, if any */
static struct dibs_user_buf *dibs_user_buf_at(struct dibs_user_file *ufile,
					      unsigned long pgoff)
{
	struct dibs_user_buf *buf;

	lockdep_assert_held(&ufile->map_lock);
	list_for_each_entry(buf, &ufile->bufs, list)
		if (pgoff >= buf->pgoff && pgoff - buf->pgoff < buf->npages)
			return buf;
	return NULL;
}

/*
 * Pages are inserted at fault time, not in mmap(): a VMA is linked into
 * the file's mapping only after mmap() returns, so PTEs set up in mmap()
 * could escape the unmap_mapping_range() of a buffer released meanwhile.
 * A fault looks the buffer up under map_lock, which release takes before
 * unmapping, so every PTE it inserts is either for a live buffer or gets
 * unmapped.  Offsets are never reused: a stale VMA just gets SIGBUS.
 */
static vm_fault_t dibs_user_fault(struct vm_fault *vmf)
{
	struct dibs_user_file *ufile = vmf->vma->vm_file->private_data;
	struct dibs_user_buf *buf;
	vm_fault_t ret = VM_FAULT_SIGBUS;

	mutex_lock(&ufile->map_lock);
	buf = dibs_user_buf_at(ufile, vmf->pgoff);
	if (buf && (buf->remote || !(vmf->vma->vm_flags & VM_WRITE)))
		ret = vmf_insert_pfn(vmf->vma, vmf->address,
				     page_to_pfn(virt_to_page(buf->dmb.cpu_addr)) +
				     vmf->pgoff - buf->pgoff);
	mutex_unlock(&ufile->map_lock);
	return ret;
}

static const struct vm_operations_struct dibs_user_vm_ops = {
	.fault = dibs_user_fault,
};

static int dibs_user_mmap(struct file *file, struct vm_area_struct *vma)
{
	struct dibs_user_file *ufile = file->private_data;
	unsigned long pages = vma_pages(vma);
	struct dibs_user_buf *buf;
	unsigned long clear = 0;
	int err = 0;

	if (!(vma->vm_flags & VM_SHARED))
		return -EINVAL;
	mutex_lock(&ufile->map_lock);
	buf = dibs_user_buf_at(ufile, vma->vm_pgoff);
	if (!buf || pages > buf->npages - (vma->vm_pgoff - buf->pgoff)) {
		err = -EINVAL;
	} else if (!buf->remote) {
		/* the owner of a DMB only reads it; writers move or attach */
		if (vma->vm_flags & VM_WRITE)
			err = -EACCES;
		clear = VM_MAYWRITE;
	}
	/* only memory with struct pages can be mapped this way */
	if (!err && (!PAGE_ALIGNED(buf->dmb.cpu_addr) ||
		     !virt_addr_valid(buf->dmb.cpu_addr)))
		err = -ENODEV;
	mutex_unlock(&ufile->map_lock);
	if (err)
		return err;
	dibs_vm_flags_mod(vma, VM_PFNMAP | VM_IO | VM_DONTEXPAND |
			       VM_DONTDUMP, clear);
	vma->vm_ops = &dibs_user_vm_ops;
	return 0;
}

/* ioctls */

/*
 * Copies the argument of an ioctl in: the caller's structure may be
 * shorter or longer than ours (see the uapi header).  Returns the size the
 * caller gave, or a negative errno.
 */
static int dibs_user_get_arg(void *karg, size_t ksize, size_t min_size,
			     const void __user *uarg)
{
	u32 usize;
	int err;

	if (get_user(usize, (const u32 __user *)uarg))
		return -EFAULT;
	if (usize < min_size || usize > PAGE_SIZE)
		return -EINVAL;
	err = copy_struct_from_user(karg, ksize, uarg, usize);
	if (err)
		return err;
	return usize;
}

/* copies the result out, no more than the caller's structure holds */
static int dibs_user_put_arg(void __user *uarg, void *karg, size_t ksize,
			     u32 usize)
{
	*(u32 *)karg = min_t(u32, usize, ksize);
	return copy_to_user(uarg, karg, min_t(u32, usize, ksize)) ?
	       -EFAULT : 0;
}

/*
 * Takes ufile->sem; fails unless the file is bound to a present device.
 * The wait can be killed: whoever holds the lock, a process can end.
 */
static int dibs_user_lock(struct dibs_user_file *ufile, bool write)
{
	int err;

	if (write)
		err = down_write_killable(&ufile->sem);
	else
		err = down_read_killable(&ufile->sem);
	if (err)
		return err;
	if (ufile->udev && !ufile->gone)
		return 0;
	if (write)
		up_write(&ufile->sem);
	else
		up_read(&ufile->sem);
	return ufile->udev ? -ENODEV : -ENOTCONN;
}

static struct dibs_user_dev *dibs_user_dev_get(const struct dibs_user_bind *arg)
{
	struct dibs_user_dev *udev, *found = NULL;

	mutex_lock(&dibs_user_devs_lock);
	list_for_each_entry(udev, &dibs_user_devs, list) {
		if (arg->index ? udev->index == arg->index :
				 !strcmp(udev->name, arg->name)) {
			kref_get(&udev->ref);
			found = udev;
			break;
		}
	}
	mutex_unlock(&dibs_user_devs_lock);
	return found;
}

static int dibs_user_ioc_bind(struct dibs_user_file *ufile, void __user *uarg)
{
	struct dibs_user_dev *udev;
	struct dibs_user_bind arg;
	unsigned long flags;
	int ret;

	ret = dibs_user_get_arg(&arg, sizeof(arg), DIBS_USER_BIND_SIZE_VER1,
				uarg);
	if (ret < 0)
		return ret;
	if (strnlen(arg.name, sizeof(arg.name)) == sizeof(arg.name) ||
	    !arg.index == !arg.name[0])
		return -EINVAL;
	udev = dibs_user_dev_get(&arg);
	if (!udev)
		return -ENODEV;

	if (mutex_lock_killable(&udev->files_lock)) {
		kref_put(&udev->ref, dibs_user_dev_free);
		return -EINTR;
	}
	if (down_write_killable(&ufile->sem)) {
		mutex_unlock(&udev->files_lock);
		kref_put(&udev->ref, dibs_user_dev_free);
		return -EINTR;
	}
	if (ufile->udev) {
		ret = -EISCONN;
	} else if (udev->gone) {
		ret = -ENODEV;
	} else {
		ufile->limit_dmbs = READ_ONCE(max_dmbs_per_file);
		ufile->limit_bytes = READ_ONCE(max_bytes_per_file);
		spin_lock_irqsave(&udev->irq_lock, flags);
		list_add_tail(&ufile->dev_node, &udev->files);
		spin_unlock_irqrestore(&udev->irq_lock, flags);
		WRITE_ONCE(ufile->udev, udev);
		ret = 0;
	}
	up_write(&ufile->sem);
	mutex_unlock(&udev->files_lock);
	if (ret)
		kref_put(&udev->ref, dibs_user_dev_free);
	return ret;
}

static int dibs_user_ioc_info(struct dibs_user_file *ufile, void __user *uarg)
{
	struct dibs_user_info arg;
	struct dibs_user_dev *udev;
	struct dibs_dev *dibs;
	int usize, err;

	usize = dibs_user_get_arg(&arg, sizeof(arg), DIBS_USER_INFO_SIZE_VER1,
				  uarg);
	if (usize < 0)
		return usize;
	if (down_read_killable(&ufile->sem))
		return -EINTR;
	udev = ufile->udev;
	if (!udev) {
		up_read(&ufile->sem);
		return -ENOTCONN;
	}
	memset(&arg, 0, sizeof(arg));
	arg.version = DIBS_USER_VERSION;
	arg.index = udev->index;
	memcpy(arg.name, udev->name, sizeof(arg.name));
	if (ufile->gone) {
		arg.flags |= DIBS_USER_INFO_DEV_GONE;
	} else {
		dibs = udev->dibs;
		memcpy(arg.gid, &dibs->gid, sizeof(arg.gid));
		arg.fabric_id = dibs->ops->get_fabric_id(dibs);
		arg.max_dmbs = udev->max_dmbs;
		if (dibs->ops->support_mmapped_rdmb &&
		    dibs->ops->support_mmapped_rdmb(dibs))
			arg.flags |= DIBS_USER_INFO_MMAPPED_RDMB;
	}
	arg.dmbs = ufile->nr_bufs;
	arg.dmb_bytes = ufile->dmb_bytes;
	arg.limit_dmbs = ufile->limit_dmbs;
	arg.limit_bytes = ufile->limit_bytes;
	up_read(&ufile->sem);
	err = dibs_user_put_arg(uarg, &arg, sizeof(arg), usize);
	return err;
}

static bool dibs_user_count_ok(struct dibs_user_file *ufile)
{
	return !ufile->limit_dmbs || ufile->nr_bufs < ufile->limit_dmbs;
}

/*
 * Counts one more DMB of /dev/dibs on @udev unless the files together hold
 * dev_dmbs_percent of its DMBs already: however many files a user opens,
 * in-kernel clients (SMC-D) keep the rest.
 */
static bool dibs_user_dev_charge(struct dibs_user_dev *udev)
{
	u32 limit = div_u64((u64)udev->max_dmbs * READ_ONCE(dev_dmbs_percent),
			    100);
	int old = atomic_read(&udev->nr_dmbs);

	do {
		if ((u32)old >= limit)
			return false;
	} while (!atomic_try_cmpxchg(&udev->nr_dmbs, &old, old + 1));
	return true;
}

/* gives @buf its mmap() offsets and makes it visible to mmap() */
static void dibs_user_buf_publish(struct dibs_user_file *ufile,
				  struct dibs_user_buf *buf)
{
	buf->owner = ufile;
	buf->npages = PAGE_ALIGN(buf->dmb.dmb_len) >> PAGE_SHIFT;
	/* a gap page between buffers keeps an overlong mmap() an error */
	buf->pgoff = atomic64_add_return(buf->npages + 1,
					 &dibs_user_next_pgoff) -
		     buf->npages;
	mutex_lock(&ufile->map_lock);
	list_add_tail(&buf->list, &ufile->bufs);
	mutex_unlock(&ufile->map_lock);
	ufile->nr_bufs++;
}

static struct dibs_user_buf *dibs_user_find_buf(struct dibs_user_file *ufile,
						u64 token, bool remote)
{
	struct dibs_user_buf *buf;

	list_for_each_entry(buf, &ufile->bufs, list)
		if (buf->dmb.dmb_tok == token && buf->remote == remote)
			return buf;
	return NULL;
}

/* drops the DMB (@attached: the remote one) this file holds under @token */
static int dibs_user_drop_buf(struct dibs_user_file *ufile, u64 token,
			      bool attached)
{
	struct dibs_user_buf *buf;
	int err;

	err = dibs_user_lock(ufile, true);
	if (err)
		return err;
	buf = dibs_user_find_buf(ufile, token, attached);
	if (buf)
		dibs_user_buf_release(ufile, buf);
	else
		err = -ENOENT;
	up_write(&ufile->sem);
	return err;
}

static int dibs_user_ioc_register(struct dibs_user_file *ufile,
				  void __user *uarg)
{
	struct dibs_user_dmb_register arg;
	struct dibs_user_buf *buf;
	struct dibs_user_dev *udev;
	struct dibs_dev *dibs;
	unsigned long flags;
	uuid_t rgid;
	int usize, err;

	usize = dibs_user_get_arg(&arg, sizeof(arg),
				  DIBS_USER_DMB_REGISTER_SIZE_VER1, uarg);
	if (usize < 0)
		return usize;
	if (!arg.len || arg.len > DIBS_USER_DMB_MAX_LEN ||
	    (arg.flags & ~DIBS_USER_DMB_VLAN) || arg.reserved ||
	    arg.vlan_id >= 4096 ||
	    (!(arg.flags & DIBS_USER_DMB_VLAN) && arg.vlan_id))
		return -EINVAL;
	memcpy(&rgid, arg.rgid, sizeof(rgid));

	err = dibs_user_lock(ufile, true);
	if (err)
		return err;
	udev = ufile->udev;
	dibs = udev->dibs;
	if (!dibs_user_count_ok(ufile) ||
	    (ufile->limit_bytes &&
	     arg.len > ufile->limit_bytes - ufile->dmb_bytes)) {
		err = -EDQUOT;
		goto out_unlock;
	}
	err = dibs->ops->query_remote_gid(dibs, &rgid,
					  !!(arg.flags & DIBS_USER_DMB_VLAN),
					  arg.vlan_id);
	if (err) {
		err = -ENETUNREACH;
		goto out_unlock;
	}
	if (!dibs_user_dev_charge(udev)) {
		err = -ENOSPC;
		goto out_unlock;
	}
	buf = kzalloc(sizeof(*buf), GFP_KERNEL_ACCOUNT);
	if (!buf) {
		err = -ENOMEM;
		goto err_uncharge;
	}
	INIT_LIST_HEAD(&buf->signal_node);
	buf->dmb.dmb_len = arg.len;
	uuid_copy(&buf->dmb.rgid, &rgid);
	buf->dmb.vlan_valid = !!(arg.flags & DIBS_USER_DMB_VLAN);
	buf->dmb.vlan_id = arg.vlan_id;
	err = dibs->ops->register_dmb(dibs, &buf->dmb, &dibs_user_client);
	if (err)
		goto err_free_buf;
	if (buf->dmb.idx >= udev->max_dmbs) {
		/* a driver bug; the index table cannot hold it */
		err = -EIO;
		goto err_unregister;
	}
	dibs_user_buf_publish(ufile, buf);
	ufile->dmb_bytes += arg.len;
	spin_lock_irqsave(&udev->irq_lock, flags);
	udev->by_idx[buf->dmb.idx] = buf;
	spin_unlock_irqrestore(&udev->irq_lock, flags);

	arg.token = buf->dmb.dmb_tok;
	arg.idx = buf->dmb.idx;
	arg.mmap_offset = buf->pgoff << PAGE_SHIFT;
	up_write(&ufile->sem);

	err = dibs_user_put_arg(uarg, &arg, sizeof(arg), usize);
	/*
	 * A caller that cannot learn the token could never unregister the
	 * DMB: drop it, unless the device went and released it meanwhile.
	 */
	if (err)
		dibs_user_drop_buf(ufile, arg.token, false);
	return err;

err_unregister:
	dibs->ops->unregister_dmb(dibs, &buf->dmb);
err_free_buf:
	kfree(buf);
err_uncharge:
	atomic_dec(&udev->nr_dmbs);
out_unlock:
	up_write(&ufile->sem);
	return err;
}

static int dibs_user_ioc_unregister(struct dibs_user_file *ufile,
				    void __user *uarg)
{
	struct dibs_user_dmb_unregister arg;
	int usize;

	usize = dibs_user_get_arg(&arg, sizeof(arg),
				  DIBS_USER_DMB_UNREGISTER_SIZE_VER1, uarg);
	if (usize < 0)
		return usize;
	if (arg.reserved)
		return -EINVAL;
	return dibs_user_drop_buf(ufile, arg.token, false);
}

/*
 * Copies from user space under ufile->sem with page faults disabled, so
 * that a fault that never completes cannot hold up del_dev().  Returns the
 * number of bytes not copied; the caller faults them in with no lock held
 * and tries again.
 */
static size_t dibs_user_copy_nofault(void *dst, const void __user *src,
				     size_t len)
{
	size_t left;

	if (!access_ok(src, len))
		return len;
	pagefault_disable();
	left = __copy_from_user_inatomic(dst, src, len);
	pagefault_enable();
	return left;
}

/*
 * The copy path where the device can map the remote DMB: no bounce.  The
 * DMB is attached only while ufile->sem is held; where the source is not
 * in memory, the lock is dropped to fault it in and the copy goes on from
 * there.
 */
static int dibs_user_move_direct(struct dibs_user_file *ufile,
				 const struct dibs_user_move *arg)
{
	const u8 __user *src = u64_to_user_ptr(arg->buf);
	struct dibs_dmb dmb;
	struct dibs_dev *dibs;
	bool fault = false, more;
	u32 done = 0, want;
	u8 dummy = 0;
	int err;

	for (;;) {
		err = dibs_user_lock(ufile, false);
		if (err)
			return err;
		dibs = ufile->udev->dibs;
		memset(&dmb, 0, sizeof(dmb));
		dmb.dmb_tok = arg->token;
		err = dibs->ops->attach_dmb(dibs, &dmb);
		if (err) {
			up_read(&ufile->sem);
			return err == -EINVAL ? -ENOENT : err;
		}
		if (arg->offset > dmb.dmb_len ||
		    arg->len > dmb.dmb_len - arg->offset)
			err = -ERANGE;
		else if (fault)
			err = -EFAULT;
		else
			done = arg->len -
			       dibs_user_copy_nofault(dmb.cpu_addr + arg->offset +
						      done, src + done,
						      arg->len - done);
		more = !err && done < arg->len;
		if (!more) {
			/* the driver sees no move: count it as one, signal apart */
			if (arg->len || err)
				dibs_dmb_track_move(dibs, dmb.idx, arg->token,
						    arg->len, false, err);
			if (!err && (arg->flags & DIBS_USER_MOVE_SIGNAL))
				err = dibs->ops->move_data(dibs, arg->token,
							   arg->sig_idx, true,
							   arg->offset,
							   &dummy, 0);
		}
		dibs->ops->detach_dmb(dibs, arg->token);
		up_read(&ufile->sem);
		if (!more)
			return err;
		if (fatal_signal_pending(current))
			return -EINTR;
		/* may wait as long as the fault takes: no lock is held */
		want = min_t(u32, arg->len - done, PAGE_SIZE);
		fault = fault_in_readable((const char __user *)src + done,
					  want) == want;
		/* a signal cut the wait short: the move can just run again */
		if (fault && signal_pending(current))
			return -ERESTARTSYS;
	}
}

/*
 * The copy path through a kernel buffer; signals with the last piece.
 * Each piece is copied in before ufile->sem is taken to move it.
 */
static int dibs_user_move_bounce(struct dibs_user_file *ufile,
				 const struct dibs_user_move *arg)
{
	bool sf = arg->flags & DIBS_USER_MOVE_SIGNAL;
	u32 done = 0, chunk;
	struct dibs_dev *dibs;
	void *bounce;
	int err = 0;

	bounce = kmalloc(min(arg->len, DIBS_USER_BOUNCE_LEN) ?: 1,
			 GFP_KERNEL);
	if (!bounce)
		return -ENOMEM;
	do {
		chunk = min(arg->len - done, DIBS_USER_BOUNCE_LEN);
		if (copy_from_user(bounce, u64_to_user_ptr(arg->buf) + done,
				   chunk)) {
			err = -EFAULT;
			break;
		}
		err = dibs_user_lock(ufile, false);
		if (err)
			break;
		dibs = ufile->udev->dibs;
		err = dibs->ops->move_data(dibs, arg->token, arg->sig_idx,
					   sf && done + chunk == arg->len,
					   arg->offset + done, bounce, chunk);
		up_read(&ufile->sem);
		done += chunk;
	} while (!err && done < arg->len);
	kfree(bounce);
	return err;
}

static int dibs_user_ioc_move(struct dibs_user_file *ufile, void __user *uarg)
{
	struct dibs_user_move arg;
	struct dibs_dev *dibs;
	int usize, err;
	bool direct;

	usize = dibs_user_get_arg(&arg, sizeof(arg), DIBS_USER_MOVE_SIZE_VER1,
				  uarg);
	if (usize < 0)
		return usize;
	if ((arg.flags & ~DIBS_USER_MOVE_SIGNAL) || arg.reserved ||
	    arg.sig_idx > DIBS_USER_SIG_IDX_MAX ||
	    (!(arg.flags & DIBS_USER_MOVE_SIGNAL) && arg.sig_idx))
		return -EINVAL;
	err = dibs_user_lock(ufile, false);
	if (err)
		return err;
	dibs = ufile->udev->dibs;
	direct = dibs->ops->support_mmapped_rdmb &&
		 dibs->ops->support_mmapped_rdmb(dibs);
	up_read(&ufile->sem);
	if (direct)
		return dibs_user_move_direct(ufile, &arg);
	return dibs_user_move_bounce(ufile, &arg);
}

static int dibs_user_ioc_attach(struct dibs_user_file *ufile,
				void __user *uarg)
{
	struct dibs_user_attach arg;
	struct dibs_user_buf *buf;
	struct dibs_dev *dibs;
	int usize, err;

	usize = dibs_user_get_arg(&arg, sizeof(arg),
				  DIBS_USER_ATTACH_SIZE_VER1, uarg);
	if (usize < 0)
		return usize;
	if (arg.reserved)
		return -EINVAL;
	err = dibs_user_lock(ufile, true);
	if (err)
		return err;
	dibs = ufile->udev->dibs;
	if (!dibs->ops->support_mmapped_rdmb ||
	    !dibs->ops->support_mmapped_rdmb(dibs)) {
		err = -EOPNOTSUPP;
		goto out_unlock;
	}
	if (dibs_user_find_buf(ufile, arg.token, true)) {
		err = -EEXIST;
		goto out_unlock;
	}
	if (!dibs_user_count_ok(ufile)) {
		err = -EDQUOT;
		goto out_unlock;
	}
	buf = kzalloc(sizeof(*buf), GFP_KERNEL_ACCOUNT);
	if (!buf) {
		err = -ENOMEM;
		goto out_unlock;
	}
	INIT_LIST_HEAD(&buf->signal_node);
	buf->remote = true;
	buf->dmb.dmb_tok = arg.token;
	err = dibs->ops->attach_dmb(dibs, &buf->dmb);
	if (err) {
		kfree(buf);
		if (err == -EINVAL)
			err = -ENOENT;
		goto out_unlock;
	}
	dibs_user_buf_publish(ufile, buf);
	arg.len = buf->dmb.dmb_len;
	arg.idx = buf->dmb.idx;
	arg.mmap_offset = buf->pgoff << PAGE_SHIFT;
	up_write(&ufile->sem);

	/* as in dibs_user_ioc_register(): results go out with no lock held */
	err = dibs_user_put_arg(uarg, &arg, sizeof(arg), usize);
	if (err)
		dibs_user_drop_buf(ufile, arg.token, true);
	return err;

out_unlock:
	up_write(&ufile->sem);
	return err;
}

static int dibs_user_ioc_detach(struct dibs_user_file *ufile,
				void __user *uarg)
{
	struct dibs_user_detach arg;
	int usize;

	usize = dibs_user_get_arg(&arg, sizeof(arg),
				  DIBS_USER_DETACH_SIZE_VER1, uarg);
	if (usize < 0)
		return usize;
	if (arg.reserved)
		return -EINVAL;
	return dibs_user_drop_buf(ufile, arg.token, true);
}

static int dibs_user_ioc_signal_event(struct dibs_user_file *ufile,
				      void __user *uarg)
{
	struct dibs_user_signal_event arg;
	struct dibs_dev *dibs;
	uuid_t rgid;
	int usize, err;

	usize = dibs_user_get_arg(&arg, sizeof(arg),
				  DIBS_USER_SIGNAL_EVENT_SIZE_VER1, uarg);
	if (usize < 0)
		return usize;
	if ((arg.flags & ~DIBS_USER_SIGNAL_IRQ) || arg.reserved)
		return -EINVAL;
	memcpy(&rgid, arg.rgid, sizeof(rgid));
	err = dibs_user_lock(ufile, false);
	if (err)
		return err;
	dibs = ufile->udev->dibs;
	if (!dibs->ops->signal_event)
		err = -EOPNOTSUPP;
	else
		err = dibs->ops->signal_event(dibs, &rgid,
					      !!(arg.flags & DIBS_USER_SIGNAL_IRQ),
					      arg.event_code, arg.info);
	up_read(&ufile->sem);
	return err;
}

static long dibs_user_ioctl(struct file *file, unsigned int cmd,
			    unsigned long arg)
{
	struct dibs_user_file *ufile = file->private_data;
	void __user *uarg = (void __user *)arg;

	/*
	 * Type, number and direction must match; the size in @cmd is that
	 * of one header version and the structure carries its own (uapi).
	 */
	switch (DIBS_USER_IOC_NOSIZE(cmd)) {
	case DIBS_USER_IOC_NOSIZE(DIBS_USER_IOC_BIND):
		return dibs_user_ioc_bind(ufile, uarg);
	case DIBS_USER_IOC_NOSIZE(DIBS_USER_IOC_INFO):
		return dibs_user_ioc_info(ufile, uarg);
	case DIBS_USER_IOC_NOSIZE(DIBS_USER_IOC_DMB_REGISTER):
		return dibs_user_ioc_register(ufile, uarg);
	case DIBS_USER_IOC_NOSIZE(DIBS_USER_IOC_DMB_UNREGISTER):
		return dibs_user_ioc_unregister(ufile, uarg);
	case DIBS_USER_IOC_NOSIZE(DIBS_USER_IOC_MOVE):
		return dibs_user_ioc_move(ufile, uarg);
	case DIBS_USER_IOC_NOSIZE(DIBS_USER_IOC_ATTACH):
		return dibs_user_ioc_attach(ufile, uarg);
	case DIBS_USER_IOC_NOSIZE(DIBS_USER_IOC_DETACH):
		return dibs_user_ioc_detach(ufile, uarg);
	case DIBS_USER_IOC_NOSIZE(DIBS_USER_IOC_SIGNAL_EVENT):
		return dibs_user_ioc_signal_event(ufile, uarg);
	default:
		return -ENOTTY;
	}
}

static const struct file_operations dibs_user_fops = {
	.owner = THIS_MODULE,
	.open = dibs_user_open,
	.release = dibs_user_release,
	.read = dibs_user_read,
	.poll = dibs_user_poll,
	.mmap = dibs_user_mmap,
	.unlocked_ioctl = dibs_user_ioctl,
	.compat_ioctl = compat_ptr_ioctl,
};

static struct miscdevice dibs_user_miscdev = {
	.minor = MISC_DYNAMIC_MINOR,
	.name = DIBS_USER_DEV_NAME,
	.fops = &dibs_user_fops,
	.mode = 0600,
};

static int __init dibs_user_init(void)
{
	int err;

	err = dibs_register_client(&dibs_user_client);
	if (err)
		return err;
	err = misc_register(&dibs_user_miscdev);
	if (err)
		dibs_unregister_client(&dibs_user_client);
	return err;
}

static void __exit dibs_user_exit(void)
{
	misc_deregister(&dibs_user_miscdev);
	/* no file is open any more: the module is unloaded only then */
	dibs_unregister_client(&dibs_user_client);
}

module_init(dibs_user_init);
module_exit(dibs_user_exit);
