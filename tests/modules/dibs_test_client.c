// SPDX-License-Identifier: GPL-2.0
/*
 * dibs_test_client: a dibs client for the test suites only, never shipped.
 * It owns DMBs on request so that tests can see devices in use, and records
 * the add_dev()/del_dev() calls it gets.
 *
 * debugfs, under /sys/kernel/debug/dibs_test_client/:
 *   ctl     write "register DEV COUNT LEN" to register COUNT DMBs of LEN
 *           bytes on device DEV (all or none), "unregister DEV" to free
 *           the DMBs held on DEV.
 *   status  one line per device seen since load, in order of first sight:
 *             device NAME index N present 0|1 add_dev N del_dev N dmbs N
 *           then one line per DMB held:
 *             dmb NAME idx N len N
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/debugfs.h>
#include <linux/dibs.h>
#include <linux/kernel.h>
#include <linux/list.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/uaccess.h>

MODULE_DESCRIPTION("dibs client for tests: owns DMBs on request");
MODULE_LICENSE("GPL");

static bool unregister_on_del = true;
module_param(unregister_on_del, bool, 0644);
MODULE_PARM_DESC(unregister_on_del,
		 "Unregister held DMBs in del_dev() (default: Y); N leaves them to the driver");

/* longest ctl command accepted, in bytes */
#define DTC_CTL_MAX	64

struct dtc_dmb {
	struct list_head list;
	struct dibs_dmb dmb;
};

/* a device seen through add_dev(); kept after del_dev() for its counters */
struct dtc_dev {
	struct list_head list;
	/* NULL once del_dev() was called */
	struct dibs_dev *dibs;
	char name[32];
	u32 index;
	unsigned int add_dev_calls;
	unsigned int del_dev_calls;
	struct list_head dmbs;
	unsigned int nr_dmbs;
};

/* protects dtc_devs and everything in it */
static DEFINE_MUTEX(dtc_lock);
static LIST_HEAD(dtc_devs);
static struct dentry *dtc_debugfs;
static struct dibs_client dtc_client;

static struct dtc_dev *dtc_find_dibs(struct dibs_dev *dibs)
{
	struct dtc_dev *tdev;

	list_for_each_entry(tdev, &dtc_devs, list)
		if (tdev->dibs == dibs)
			return tdev;
	return NULL;
}

static struct dtc_dev *dtc_find_name(const char *name)
{
	struct dtc_dev *tdev;

	list_for_each_entry(tdev, &dtc_devs, list)
		if (tdev->dibs && !strcmp(tdev->name, name))
			return tdev;
	return NULL;
}

static void dtc_unregister_all(struct dtc_dev *tdev)
{
	struct dtc_dmb *tdmb, *tmp;
	int err;

	list_for_each_entry_safe(tdmb, tmp, &tdev->dmbs, list) {
		err = tdev->dibs->ops->unregister_dmb(tdev->dibs, &tdmb->dmb);
		if (err)
			pr_err("%s: unregister_dmb of DMB %u failed: %d\n",
			       tdev->name, tdmb->dmb.idx, err);
		list_del(&tdmb->list);
		kfree(tdmb);
	}
	tdev->nr_dmbs = 0;
}

static void dtc_forget_all(struct dtc_dev *tdev)
{
	struct dtc_dmb *tdmb, *tmp;

	list_for_each_entry_safe(tdmb, tmp, &tdev->dmbs, list) {
		list_del(&tdmb->list);
		kfree(tdmb);
	}
	tdev->nr_dmbs = 0;
}

static void dtc_add_dev(struct dibs_dev *dibs)
{
	struct dtc_dev *tdev;

	mutex_lock(&dtc_lock);
	tdev = dtc_find_dibs(dibs);
	if (!tdev) {
		tdev = kzalloc(sizeof(*tdev), GFP_KERNEL);
		if (!tdev) {
			mutex_unlock(&dtc_lock);
			return;
		}
		INIT_LIST_HEAD(&tdev->dmbs);
		strscpy(tdev->name, dev_name(&dibs->dev), sizeof(tdev->name));
		tdev->index = dibs->index;
		tdev->dibs = dibs;
		list_add_tail(&tdev->list, &dtc_devs);
	}
	tdev->add_dev_calls++;
	mutex_unlock(&dtc_lock);
}

static void dtc_del_dev(struct dibs_dev *dibs)
{
	struct dtc_dev *tdev;

	mutex_lock(&dtc_lock);
	tdev = dtc_find_dibs(dibs);
	if (tdev) {
		if (unregister_on_del)
			dtc_unregister_all(tdev);
		else
			dtc_forget_all(tdev);
		tdev->del_dev_calls++;
		tdev->dibs = NULL;
	}
	mutex_unlock(&dtc_lock);
}

static const struct dibs_client_ops dtc_client_ops = {
	.add_dev = dtc_add_dev,
	.del_dev = dtc_del_dev,
};

static struct dibs_client dtc_client = {
	.name = "dibs_test_client",
	.ops = &dtc_client_ops,
};

static int dtc_register(const char *name, unsigned int count, u32 len)
{
	struct dtc_dmb *tdmb, *tmp;
	struct dtc_dev *tdev;
	LIST_HEAD(added);
	unsigned int i;
	int err = 0;

	mutex_lock(&dtc_lock);
	tdev = dtc_find_name(name);
	if (!tdev) {
		mutex_unlock(&dtc_lock);
		return -ENODEV;
	}
	for (i = 0; i < count; i++) {
		tdmb = kzalloc(sizeof(*tdmb), GFP_KERNEL);
		if (!tdmb) {
			err = -ENOMEM;
			break;
		}
		tdmb->dmb.dmb_len = len;
		uuid_copy(&tdmb->dmb.rgid, &tdev->dibs->gid);
		err = tdev->dibs->ops->register_dmb(tdev->dibs, &tdmb->dmb,
						    &dtc_client);
		if (err) {
			kfree(tdmb);
			break;
		}
		list_add_tail(&tdmb->list, &added);
	}
	if (err) {
		/* all or nothing */
		list_for_each_entry_safe(tdmb, tmp, &added, list) {
			tdev->dibs->ops->unregister_dmb(tdev->dibs, &tdmb->dmb);
			list_del(&tdmb->list);
			kfree(tdmb);
		}
	} else {
		tdev->nr_dmbs += count;
		list_splice_tail(&added, &tdev->dmbs);
	}
	mutex_unlock(&dtc_lock);
	return err;
}

static int dtc_unregister(const char *name)
{
	struct dtc_dev *tdev;

	mutex_lock(&dtc_lock);
	tdev = dtc_find_name(name);
	if (tdev)
		dtc_unregister_all(tdev);
	mutex_unlock(&dtc_lock);
	return tdev ? 0 : -ENODEV;
}

static ssize_t dtc_ctl_write(struct file *file, const char __user *ubuf,
			     size_t count, loff_t *ppos)
{
	char buf[DTC_CTL_MAX + 1];
	unsigned int nr;
	char *cmd;
	char name[32];
	u32 len;
	int err;

	if (count > DTC_CTL_MAX)
		return -EINVAL;
	if (copy_from_user(buf, ubuf, count))
		return -EFAULT;
	buf[count] = '\0';
	cmd = strim(buf);

	if (sscanf(cmd, "register %31s %u %u", name, &nr, &len) == 3)
		err = dtc_register(name, nr, len);
	else if (sscanf(cmd, "unregister %31s", name) == 1)
		err = dtc_unregister(name);
	else
		err = -EINVAL;
	return err ? err : count;
}

static const struct file_operations dtc_ctl_fops = {
	.owner = THIS_MODULE,
	.open = simple_open,
	.write = dtc_ctl_write,
};

static int dtc_status_show(struct seq_file *m, void *unused)
{
	struct dtc_dev *tdev;
	struct dtc_dmb *tdmb;

	mutex_lock(&dtc_lock);
	list_for_each_entry(tdev, &dtc_devs, list)
		seq_printf(m, "device %s index %u present %d add_dev %u del_dev %u dmbs %u\n",
			   tdev->name, tdev->index, tdev->dibs ? 1 : 0,
			   tdev->add_dev_calls, tdev->del_dev_calls,
			   tdev->nr_dmbs);
	list_for_each_entry(tdev, &dtc_devs, list)
		list_for_each_entry(tdmb, &tdev->dmbs, list)
			seq_printf(m, "dmb %s idx %u len %u\n", tdev->name,
				   tdmb->dmb.idx, tdmb->dmb.dmb_len);
	mutex_unlock(&dtc_lock);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(dtc_status);

static int __init dtc_init(void)
{
	int err;

	dtc_debugfs = debugfs_create_dir(KBUILD_MODNAME, NULL);
	debugfs_create_file("ctl", 0200, dtc_debugfs, NULL, &dtc_ctl_fops);
	debugfs_create_file("status", 0444, dtc_debugfs, NULL,
			    &dtc_status_fops);
	err = dibs_register_client(&dtc_client);
	if (err)
		debugfs_remove_recursive(dtc_debugfs);
	return err;
}

static void __exit dtc_exit(void)
{
	struct dtc_dev *tdev, *tmp;

	/* waits for ctl writes in progress */
	debugfs_remove_recursive(dtc_debugfs);
	/* a client must hold no DMB when it unregisters */
	mutex_lock(&dtc_lock);
	list_for_each_entry(tdev, &dtc_devs, list)
		if (tdev->dibs)
			dtc_unregister_all(tdev);
	mutex_unlock(&dtc_lock);
	dibs_unregister_client(&dtc_client);
	list_for_each_entry_safe(tdev, tmp, &dtc_devs, list) {
		list_del(&tdev->list);
		kfree(tdev);
	}
}

module_init(dtc_init);
module_exit(dtc_exit);
