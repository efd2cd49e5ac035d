// SPDX-License-Identifier: GPL-2.0
/*
 * dibs_test_client: a dibs client for the test suites only, never shipped.
 * It owns DMBs on request so that tests can see devices in use, and records
 * the add_dev()/del_dev() calls it gets.
 *
 * debugfs, under /sys/kernel/debug/dibs_test_client/:
 *   ctl     write one command; a failed command fails the write() with
 *           its -errno.  DEV must be a device the client is bound to.
 *             register DEV COUNT LEN   register COUNT DMBs of LEN bytes on
 *                                      DEV (all or none)
 *             unregister DEV           free the DMBs held on DEV
 *             register-peer DEV LEN GID
 *                                      register one DMB of LEN bytes on
 *                                      DEV for the peer GID (UUID text),
 *                                      which the driver does not check
 *             unregister-peer DEV GID  free the DMBs held on DEV for GID
 *             vlan-add DEV VID         dibs_add_vlan_id() as this client
 *             vlan-del DEV VID         dibs_del_vlan_id() as this client
 *             vlan-add-op DEV VID      dibs->ops->add_vlan_id(), as a
 *                                      client written for upstream does
 *             vlan-del-op DEV VID      dibs->ops->del_vlan_id()
 *             race DEV COUNT           register and unregister one DMB
 *                                      COUNT times on DEV without the
 *                                      client's lock, while the test
 *                                      binds and unbinds the client: a
 *                                      registration that succeeds for an
 *                                      del_dev() while the DMB is held
 *                                      is "late"
 *             bench DEV CPUS COUNT LEN on each of the first CPUS online
 *                                      CPUs a thread does COUNT
 *                                      move_data() of LEN bytes into a
 *                                      DMB of its own (the client must
 *                                      hold CPUS DMBs on DEV); the wall
 *                                      time goes to status
 *             extra-register null|LEN
 *                                      dibs_register_client() of a second
 *                                      client without ops handlers, named
 *                                      NULL or LEN bytes of 'x' (up to
 *                                      DTC_EXTRA_NAME_MAX); it stays
 *                                      registered until extra-unregister
 *                                      or the module's unload
 *             extra-unregister         dibs_unregister_client() of it
 *             move DEV IDX OFFSET LEN [signal]
 *                                      move_data() of LEN bytes (0x00,
 *                                      0x01, ... 0xff, 0x00, ...) at
 *                                      OFFSET into the client's own DMB
 *                                      with index IDX on DEV, signalling
 *                                      it with "signal"
 *   status  one line per device seen since load, in order of first sight:
 *             device NAME index N present 0|1 add_dev N del_dev N dmbs N
 *             bound 0|1 handle_irq N handle_event N
 *           (present and bound: between add_dev() and del_dev(), which is
 *           all a client can tell), then one line per DMB held:
 *             dmb NAME idx N len N
 *           then, once a move command ran, the result of the last one:
 *             move NAME idx N offset N len N signal 0|1 result -ERRNO|0
 *           then the result of the last race and bench commands:
 *             race NAME tries N ok N enodev N other N late N
 *             bench NAME cpus N count N len N ns N errors N
 *           then "extra registered 1" while the second client is,
 *           then, per bound device, what its dibs->ops point to, as a
 *           client written for upstream sees them ("-" for NULL):
 *             ops NAME move_data SYMBOL add_vlan_id SYMBOL|- del_vlan_id SYMBOL|-
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/atomic.h>
#include <linux/completion.h>
#include <linux/cpumask.h>
#include <linux/debugfs.h>
#include <linux/delay.h>
#include <linux/dibs.h>
#include <linux/kernel.h>
#include <linux/kthread.h>
#include <linux/ktime.h>
#include <linux/list.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/uuid.h>
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
	/* only compared once del_dev() was called */
	struct dibs_dev *dibs;
	/* between add_dev() and del_dev() */
	bool bound;
	char name[32];
	u32 index;
	unsigned int add_dev_calls;
	unsigned int del_dev_calls;
	/* del_dev() calls, read without dtc_lock by the race command */
	atomic_t del_dev_gen;
	/* handler calls, in interrupt context */
	atomic_t handle_irq_calls;
	atomic_t handle_event_calls;
	struct list_head dmbs;
	unsigned int nr_dmbs;
};

/* the result of the last move command */
struct dtc_move {
	bool done;
	char name[32];
	u32 idx;
	u32 offset;
	u32 len;
	bool signal;
	int result;
};

/* protects dtc_devs and everything in it */
static DEFINE_MUTEX(dtc_lock);
/* held by add_dev(), del_dev() and each registration of dtc_race() */
static DEFINE_MUTEX(dtc_race_lock);
static LIST_HEAD(dtc_devs);
static struct dentry *dtc_debugfs;
static struct dibs_client dtc_client;
static struct dtc_move dtc_last_move;

struct dtc_race {
	bool done;
	char name[32];
	unsigned int tries, ok, enodev, other, late;
};

struct dtc_bench {
	bool done;
	char name[32];
	unsigned int cpus, count, len, errors;
	u64 ns;
};

static struct dtc_race dtc_last_race;
static struct dtc_bench dtc_last_bench;

static struct dtc_dev *dtc_find_dibs(struct dibs_dev *dibs)
{
	struct dtc_dev *tdev;

	/* an index is never reused, an address may be */
	list_for_each_entry(tdev, &dtc_devs, list)
		if (tdev->dibs == dibs && tdev->index == dibs->index)
			return tdev;
	return NULL;
}

static struct dtc_dev *dtc_find_name(const char *name)
{
	struct dtc_dev *tdev;

	list_for_each_entry(tdev, &dtc_devs, list)
		if (tdev->bound && !strcmp(tdev->name, name))
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

	mutex_lock(&dtc_race_lock);
	mutex_lock(&dtc_lock);
	tdev = dtc_find_dibs(dibs);
	if (!tdev) {
		tdev = kzalloc(sizeof(*tdev), GFP_KERNEL);
		if (!tdev) {
			mutex_unlock(&dtc_lock);
			mutex_unlock(&dtc_race_lock);
			return;
		}
		INIT_LIST_HEAD(&tdev->dmbs);
		strscpy(tdev->name, dev_name(&dibs->dev), sizeof(tdev->name));
		tdev->index = dibs->index;
		tdev->dibs = dibs;
		list_add_tail(&tdev->list, &dtc_devs);
	}
	WRITE_ONCE(tdev->bound, true);
	tdev->add_dev_calls++;
	dibs_set_priv(dibs, &dtc_client, tdev);
	mutex_unlock(&dtc_lock);
	mutex_unlock(&dtc_race_lock);
}

static void dtc_del_dev(struct dibs_dev *dibs)
{
	struct dtc_dev *tdev;

	mutex_lock(&dtc_race_lock);
	mutex_lock(&dtc_lock);
	tdev = dtc_find_dibs(dibs);
	if (tdev) {
		if (unregister_on_del)
			dtc_unregister_all(tdev);
		else
			dtc_forget_all(tdev);
		tdev->del_dev_calls++;
		atomic_inc(&tdev->del_dev_gen);
		WRITE_ONCE(tdev->bound, false);
	}
	mutex_unlock(&dtc_lock);
	mutex_unlock(&dtc_race_lock);
}

static void dtc_handle_irq(struct dibs_dev *dibs, unsigned int idx,
			   u16 dmbemask)
{
	struct dtc_dev *tdev = dibs_get_priv(dibs, &dtc_client);

	if (tdev)
		atomic_inc(&tdev->handle_irq_calls);
}

static void dtc_handle_event(struct dibs_dev *dibs,
			     const struct dibs_event *event)
{
	struct dtc_dev *tdev = dibs_get_priv(dibs, &dtc_client);

	if (tdev)
		atomic_inc(&tdev->handle_event_calls);
}

static const struct dibs_client_ops dtc_client_ops = {
	.add_dev = dtc_add_dev,
	.del_dev = dtc_del_dev,
	.handle_irq = dtc_handle_irq,
	.handle_event = dtc_handle_event,
};

static struct dibs_client dtc_client = {
	.name = "dibs_test_client",
	.ops = &dtc_client_ops,
};

/*
 * A second client, to try dibs_register_client() with names it must refuse;
 * registered between extra-register and extra-unregister.  No handlers: a
 * NULL op means "not supported".  dtc_lock protects both.
 */
#define DTC_EXTRA_NAME_MAX	128
static const struct dibs_client_ops dtc_extra_ops;
static char dtc_extra_name[DTC_EXTRA_NAME_MAX + 1];
static struct dibs_client dtc_extra = { .ops = &dtc_extra_ops };
static bool dtc_extra_registered;
/* Not dtc_lock: dibs_register_client() takes dibs_devs_lock, which is
 * held around calls into this client that take dtc_lock.
 */
static DEFINE_MUTEX(dtc_extra_lock);

/* "null" or the length of the name */
static int dtc_extra_register(const char *arg)
{
	unsigned int len;
	int err;

	if (!strcmp(arg, "null")) {
		dtc_extra.name = NULL;
	} else {
		if (kstrtouint(arg, 10, &len) || len > DTC_EXTRA_NAME_MAX)
			return -EINVAL;
		memset(dtc_extra_name, 'x', len);
		dtc_extra_name[len] = '\0';
		dtc_extra.name = dtc_extra_name;
	}
	mutex_lock(&dtc_extra_lock);
	if (dtc_extra_registered) {
		err = -EEXIST;
	} else {
		err = dibs_register_client(&dtc_extra);
		dtc_extra_registered = !err;
	}
	mutex_unlock(&dtc_extra_lock);
	return err;
}

static int dtc_extra_unregister(void)
{
	int err = -ENOENT;

	mutex_lock(&dtc_extra_lock);
	if (dtc_extra_registered) {
		err = dibs_unregister_client(&dtc_extra);
		dtc_extra_registered = !!err;
	}
	mutex_unlock(&dtc_extra_lock);
	return err;
}

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

/* one DMB for the peer @text, so that a device has many peers */
static int dtc_register_peer(const char *name, u32 len, const char *text)
{
	struct dtc_dmb *tdmb;
	struct dtc_dev *tdev;
	uuid_t rgid;
	int err;

	if (uuid_parse(text, &rgid))
		return -EINVAL;
	tdmb = kzalloc(sizeof(*tdmb), GFP_KERNEL);
	if (!tdmb)
		return -ENOMEM;
	tdmb->dmb.dmb_len = len;
	uuid_copy(&tdmb->dmb.rgid, &rgid);
	mutex_lock(&dtc_lock);
	tdev = dtc_find_name(name);
	err = tdev ? tdev->dibs->ops->register_dmb(tdev->dibs, &tdmb->dmb,
						   &dtc_client) : -ENODEV;
	if (err) {
		kfree(tdmb);
	} else {
		tdev->nr_dmbs++;
		list_add_tail(&tdmb->list, &tdev->dmbs);
	}
	mutex_unlock(&dtc_lock);
	return err;
}

static int dtc_unregister_peer(const char *name, const char *text)
{
	struct dtc_dmb *tdmb, *tmp;
	struct dtc_dev *tdev;
	int err = -ENOENT;
	uuid_t rgid;

	if (uuid_parse(text, &rgid))
		return -EINVAL;
	mutex_lock(&dtc_lock);
	tdev = dtc_find_name(name);
	if (!tdev) {
		mutex_unlock(&dtc_lock);
		return -ENODEV;
	}
	list_for_each_entry_safe(tdmb, tmp, &tdev->dmbs, list) {
		if (!uuid_equal(&tdmb->dmb.rgid, &rgid))
			continue;
		err = tdev->dibs->ops->unregister_dmb(tdev->dibs, &tdmb->dmb);
		if (err)
			break;
		list_del(&tdmb->list);
		kfree(tdmb);
		tdev->nr_dmbs--;
	}
	mutex_unlock(&dtc_lock);
	return err;
}

/* @op: the driver op through dibs->ops, as upstream clients call it */
static int dtc_vlan(const char *name, u32 vid, bool add, bool op)
{
	struct dtc_dev *tdev;
	struct dibs_dev *dibs;
	int err;

	mutex_lock(&dtc_lock);
	tdev = dtc_find_name(name);
	if (!tdev) {
		mutex_unlock(&dtc_lock);
		return -ENODEV;
	}
	dibs = tdev->dibs;
	if (op && add)
		err = dibs->ops->add_vlan_id ?
		      dibs->ops->add_vlan_id(dibs, vid) : -EOPNOTSUPP;
	else if (op)
		err = dibs->ops->del_vlan_id ?
		      dibs->ops->del_vlan_id(dibs, vid) : -EOPNOTSUPP;
	else if (add)
		err = dibs_add_vlan_id(dibs, &dtc_client, vid);
	else
		err = dibs_del_vlan_id(dibs, &dtc_client, vid);
	mutex_unlock(&dtc_lock);
	return err;
}

static int dtc_move(const char *name, u32 idx, u32 offset, u32 len,
		    bool signal)
{
	struct dtc_dmb *tdmb, *found = NULL;
	struct dtc_dev *tdev;
	u8 *data;
	u32 i;
	int err;

	data = kvmalloc(len ?: 1, GFP_KERNEL);
	if (!data)
		return -ENOMEM;
	for (i = 0; i < len; i++)
		data[i] = i;

	mutex_lock(&dtc_lock);
	tdev = dtc_find_name(name);
	if (!tdev) {
		err = -ENODEV;
		goto out_unlock;
	}
	list_for_each_entry(tdmb, &tdev->dmbs, list) {
		if (tdmb->dmb.idx == idx) {
			found = tdmb;
			break;
		}
	}
	if (!found) {
		err = -ENOENT;
		goto out_unlock;
	}
	err = tdev->dibs->ops->move_data(tdev->dibs, found->dmb.dmb_tok, 0,
					 signal, offset, data, len);
	dtc_last_move = (struct dtc_move) {
		.done = true,
		.idx = idx,
		.offset = offset,
		.len = len,
		.signal = signal,
		.result = err,
	};
	strscpy(dtc_last_move.name, name, sizeof(dtc_last_move.name));
out_unlock:
	mutex_unlock(&dtc_lock);
	kvfree(data);
	return err;
}

/*
 * Registers and unregisters one DMB @count times without dtc_lock, which
 * del_dev() takes, so that binding and unbinding can run in between.  Each
 * registration runs under dtc_race_lock, which add_dev() and del_dev()
 * take too: a del_dev() of an unbind that got past the layer's check for
 * DMBs while the registration ran waits for it, and then comes while the
 * DMB is held, where the race looks for it.
 */
static int dtc_race(const char *name, unsigned int count)
{
	struct dtc_race res = { .done = true };
	struct dibs_dmb dmb;
	struct dtc_dev *tdev;
	struct dibs_dev *dibs;
	unsigned int i;
	int gen, err;

	/*
	 * The test's binder may have the device unbound right now; it binds
	 * it again at once, so wait for that a little.  Only a bound entry's
	 * device is known to exist.
	 */
	for (i = 0; i < 1000; i++) {
		mutex_lock(&dtc_lock);
		tdev = dtc_find_name(name);
		if (tdev) {
			dibs = tdev->dibs;
			get_device(&dibs->dev);
		}
		mutex_unlock(&dtc_lock);
		if (tdev)
			break;
		usleep_range(1000, 2000);
	}
	if (!tdev)
		return -ENODEV;

	/* dtc_dev entries live until the module goes */
	for (i = 0; i < count; i++) {
		memset(&dmb, 0, sizeof(dmb));
		dmb.dmb_len = PAGE_SIZE;
		uuid_copy(&dmb.rgid, &dibs->gid);
		res.tries++;
		mutex_lock(&dtc_race_lock);
		err = dibs->ops->register_dmb(dibs, &dmb, &dtc_client);
		gen = atomic_read(&tdev->del_dev_gen);
		mutex_unlock(&dtc_race_lock);
		/* room for the binder, which waits for dtc_race_lock */
		usleep_range(50, 100);
		if (err == -ENODEV) {
			res.enodev++;
			continue;
		} else if (err) {
			res.other++;
			continue;
		}
		res.ok++;
		/* held now: a plain unbind must be refused until we let go */
		usleep_range(200, 400);
		if (atomic_read(&tdev->del_dev_gen) != gen)
			res.late++;
		dibs->ops->unregister_dmb(dibs, &dmb);
	}
	put_device(&dibs->dev);
	strscpy(res.name, name, sizeof(res.name));
	mutex_lock(&dtc_lock);
	dtc_last_race = res;
	mutex_unlock(&dtc_lock);
	return 0;
}

struct dtc_bench_thread {
	struct dibs_dev *dibs;
	u64 token;
	unsigned int count;
	unsigned int len;
	void *data;
	unsigned int errors;
	atomic_t *running;
	struct completion *all_done;
};

static int dtc_bench_fn(void *arg)
{
	struct dtc_bench_thread *bt = arg;
	unsigned int i;

	for (i = 0; i < bt->count; i++)
		if (bt->dibs->ops->move_data(bt->dibs, bt->token, 0, false, 0,
					     bt->data, bt->len))
			bt->errors++;
	if (atomic_dec_and_test(bt->running))
		complete(bt->all_done);
	return 0;
}

static int dtc_bench(const char *name, unsigned int cpus, unsigned int count,
		     unsigned int len)
{
	DECLARE_COMPLETION_ONSTACK(all_done);
	struct dtc_bench res = { .done = true };
	struct dtc_bench_thread *bt;
	struct task_struct **tasks;
	struct dtc_dmb *tdmb;
	struct dtc_dev *tdev;
	atomic_t running;
	unsigned int i, cpu;
	ktime_t start;
	int err = 0;

	if (!cpus || cpus > num_online_cpus() || !count)
		return -EINVAL;
	bt = kcalloc(cpus, sizeof(*bt), GFP_KERNEL);
	tasks = kcalloc(cpus, sizeof(*tasks), GFP_KERNEL);
	if (!bt || !tasks) {
		err = -ENOMEM;
		goto out_free;
	}
	/* holds the DMBs in place for the whole run */
	mutex_lock(&dtc_lock);
	tdev = dtc_find_name(name);
	if (!tdev || tdev->nr_dmbs < cpus) {
		err = tdev ? -ENOSPC : -ENODEV;
		goto out_unlock;
	}
	i = 0;
	list_for_each_entry(tdmb, &tdev->dmbs, list) {
		if (i == cpus)
			break;
		if (tdmb->dmb.dmb_len < len) {
			err = -ERANGE;
			goto out_unlock;
		}
		bt[i].dibs = tdev->dibs;
		bt[i].token = tdmb->dmb.dmb_tok;
		bt[i].count = count;
		bt[i].len = len;
		bt[i].running = &running;
		bt[i].all_done = &all_done;
		bt[i].data = kvzalloc(len ?: 1, GFP_KERNEL);
		if (!bt[i].data) {
			err = -ENOMEM;
			goto out_unlock;
		}
		i++;
	}
	atomic_set(&running, cpus);
	i = 0;
	for_each_online_cpu(cpu) {
		if (i == cpus)
			break;
		tasks[i] = kthread_create(dtc_bench_fn, &bt[i], "dibs_tc_bench/%u",
					  cpu);
		if (IS_ERR(tasks[i])) {
			err = PTR_ERR(tasks[i]);
			tasks[i] = NULL;
			break;
		}
		kthread_bind(tasks[i], cpu);
		i++;
	}
	if (err) {
		/* never woken: kthread_stop() ends them before they run */
		while (i--)
			kthread_stop(tasks[i]);
		goto out_unlock;
	}
	start = ktime_get();
	for (i = 0; i < cpus; i++)
		wake_up_process(tasks[i]);
	wait_for_completion(&all_done);
	res.ns = ktime_to_ns(ktime_sub(ktime_get(), start));
	for (i = 0; i < cpus; i++)
		res.errors += bt[i].errors;
	res.cpus = cpus;
	res.count = count;
	res.len = len;
	strscpy(res.name, name, sizeof(res.name));
	dtc_last_bench = res;
out_unlock:
	mutex_unlock(&dtc_lock);
out_free:
	if (bt)
		for (i = 0; i < cpus; i++)
			kvfree(bt[i].data);
	kfree(tasks);
	kfree(bt);
	return err;
}

/* "move DEV IDX OFFSET LEN [signal]" */
static int dtc_ctl_move(const char *cmd)
{
	u32 idx, offset, len;
	char word[16];
	char name[32];
	int n;

	n = sscanf(cmd, "move %31s %u %u %u %15s", name, &idx, &offset, &len,
		   word);
	if (n < 4 || (n == 5 && strcmp(word, "signal")))
		return -EINVAL;
	return dtc_move(name, idx, offset, len, n == 5);
}

static ssize_t dtc_ctl_write(struct file *file, const char __user *ubuf,
			     size_t count, loff_t *ppos)
{
	char buf[DTC_CTL_MAX + 1];
	unsigned int nr;
	char name[32];
	char gid[UUID_STRING_LEN + 1];
	char word[16];
	u32 idx, len;
	char *cmd;
	int err;

	if (count > DTC_CTL_MAX)
		return -EINVAL;
	if (copy_from_user(buf, ubuf, count))
		return -EFAULT;
	buf[count] = '\0';
	cmd = strim(buf);

	/* before "register" and "unregister", which would take their names */
	if (sscanf(cmd, "register-peer %31s %u %36s", name, &len, gid) == 3)
		err = dtc_register_peer(name, len, gid);
	else if (sscanf(cmd, "unregister-peer %31s %36s", name, gid) == 2)
		err = dtc_unregister_peer(name, gid);
	else if (sscanf(cmd, "register %31s %u %u", name, &nr, &len) == 3)
		err = dtc_register(name, nr, len);
	else if (sscanf(cmd, "unregister %31s", name) == 1)
		err = dtc_unregister(name);
	else if (sscanf(cmd, "vlan-add %31s %u", name, &idx) == 2)
		err = dtc_vlan(name, idx, true, false);
	else if (sscanf(cmd, "vlan-del %31s %u", name, &idx) == 2)
		err = dtc_vlan(name, idx, false, false);
	else if (sscanf(cmd, "vlan-add-op %31s %u", name, &idx) == 2)
		err = dtc_vlan(name, idx, true, true);
	else if (sscanf(cmd, "vlan-del-op %31s %u", name, &idx) == 2)
		err = dtc_vlan(name, idx, false, true);
	else if (sscanf(cmd, "race %31s %u", name, &nr) == 2)
		err = dtc_race(name, nr);
	else if (sscanf(cmd, "bench %31s %u %u %u", name, &nr, &idx, &len) == 4)
		err = dtc_bench(name, nr, idx, len);
	else if (sscanf(cmd, "extra-register %15s", word) == 1)
		err = dtc_extra_register(word);
	else if (!strcmp(cmd, "extra-unregister"))
		err = dtc_extra_unregister();
	else if (str_has_prefix(cmd, "move "))
		err = dtc_ctl_move(cmd);
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
		seq_printf(m, "device %s index %u present %d add_dev %u del_dev %u dmbs %u bound %d handle_irq %d handle_event %d\n",
			   tdev->name, tdev->index, tdev->bound,
			   tdev->add_dev_calls, tdev->del_dev_calls,
			   tdev->nr_dmbs, tdev->bound,
			   atomic_read(&tdev->handle_irq_calls),
			   atomic_read(&tdev->handle_event_calls));
	list_for_each_entry(tdev, &dtc_devs, list)
		list_for_each_entry(tdmb, &tdev->dmbs, list)
			seq_printf(m, "dmb %s idx %u len %u\n", tdev->name,
				   tdmb->dmb.idx, tdmb->dmb.dmb_len);
	if (dtc_last_move.done)
		seq_printf(m, "move %s idx %u offset %u len %u signal %d result %d\n",
			   dtc_last_move.name, dtc_last_move.idx,
			   dtc_last_move.offset, dtc_last_move.len,
			   dtc_last_move.signal, dtc_last_move.result);
	if (dtc_last_race.done)
		seq_printf(m, "race %s tries %u ok %u enodev %u other %u late %u\n",
			   dtc_last_race.name, dtc_last_race.tries,
			   dtc_last_race.ok, dtc_last_race.enodev,
			   dtc_last_race.other, dtc_last_race.late);
	if (dtc_last_bench.done)
		seq_printf(m, "bench %s cpus %u count %u len %u ns %llu errors %u\n",
			   dtc_last_bench.name, dtc_last_bench.cpus,
			   dtc_last_bench.count, dtc_last_bench.len,
			   dtc_last_bench.ns, dtc_last_bench.errors);
	if (READ_ONCE(dtc_extra_registered))
		seq_puts(m, "extra registered 1\n");
	list_for_each_entry(tdev, &dtc_devs, list) {
		const struct dibs_dev_ops *ops;

		if (!tdev->bound)
			continue;
		ops = tdev->dibs->ops;
		seq_printf(m, "ops %s move_data %ps", tdev->name, ops->move_data);
		if (ops->add_vlan_id)
			seq_printf(m, " add_vlan_id %ps", ops->add_vlan_id);
		else
			seq_puts(m, " add_vlan_id -");
		if (ops->del_vlan_id)
			seq_printf(m, " del_vlan_id %ps\n", ops->del_vlan_id);
		else
			seq_puts(m, " del_vlan_id -\n");
	}
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
		if (tdev->bound)
			dtc_unregister_all(tdev);
	mutex_unlock(&dtc_lock);
	dtc_extra_unregister();
	dibs_unregister_client(&dtc_client);
	list_for_each_entry_safe(tdev, tmp, &dtc_devs, list) {
		list_del(&tdev->list);
		kfree(tdev);
	}
}

module_init(dtc_init);
module_exit(dtc_exit);
