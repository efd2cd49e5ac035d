// SPDX-License-Identifier: GPL-2.0
/*
 * dibs_test_bug: a module that commits one deliberate bug when loaded, so
 * that tests/debug/selftest can prove the debug kernel's detectors and
 * tools/debug-kernel/check-log catch it.  For that selftest only: it is in
 * no package and no normal test suite.
 *
 * The bug= parameter picks the bug:
 *   none             nothing (the module loads and unloads cleanly)
 *   leak             an allocation nobody frees (kmemleak)
 *   use-after-free   a read of freed memory (KASAN)
 *   sleep-in-atomic  a might-sleep call under a spinlock (DEBUG_ATOMIC_SLEEP)
 *   lock-inversion   two mutexes taken in both orders (lockdep)
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/compiler.h>
#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/string.h>

MODULE_DESCRIPTION("dibs debug-kernel selftest: commits one deliberate bug on load");
MODULE_LICENSE("GPL");

static char *bug = "none";
module_param(bug, charp, 0444);
MODULE_PARM_DESC(bug,
		 "Bug to commit at load: none, leak, use-after-free, sleep-in-atomic or lock-inversion");

/* a leaked object carries this, so that its kmemleak hex dump is recognisable */
#define DTB_LEAK_MARK	"dibs_test_bug leak"

struct dtb_leak {
	char mark[32];
	struct dtb_leak *next;
};

/*
 * A chain of two objects: kmemleak reports both, the head because nothing
 * points to it and the tail because only the lost head does.
 */
static int dtb_leak(void)
{
	struct dtb_leak *head, *tail;

	tail = kzalloc(sizeof(*tail), GFP_KERNEL);
	if (!tail)
		return -ENOMEM;
	head = kzalloc(sizeof(*head), GFP_KERNEL);
	if (!head) {
		kfree(tail);
		return -ENOMEM;
	}
	strscpy(tail->mark, DTB_LEAK_MARK, sizeof(tail->mark));
	strscpy(head->mark, DTB_LEAK_MARK, sizeof(head->mark));
	head->next = tail;
	pr_info("leaking 2 objects of %zu bytes\n", sizeof(*head));
	return 0;
}

static int dtb_use_after_free(void)
{
	u32 *counter;
	u32 value;

	counter = kmalloc(sizeof(*counter), GFP_KERNEL);
	if (!counter)
		return -ENOMEM;
	*counter = 1;
	kfree(counter);
	/* hide the free from the compiler, which would warn or drop the read */
	OPTIMIZER_HIDE_VAR(counter);
	value = READ_ONCE(*counter);
	pr_info("read %u from freed memory\n", value);
	return 0;
}

static DEFINE_SPINLOCK(dtb_spinlock);

static int dtb_sleep_in_atomic(void)
{
	spin_lock(&dtb_spinlock);
	/* reports without sleeping, so the kernel stays consistent */
	might_sleep();
	spin_unlock(&dtb_spinlock);
	return 0;
}

static DEFINE_MUTEX(dtb_mutex_a);
static DEFINE_MUTEX(dtb_mutex_b);

/*
 * A then B, later B then A: a deadlock waiting for two threads.  lockdep
 * reports the circular dependency from one thread, without deadlocking.
 */
static int dtb_lock_inversion(void)
{
	mutex_lock(&dtb_mutex_a);
	mutex_lock(&dtb_mutex_b);
	mutex_unlock(&dtb_mutex_b);
	mutex_unlock(&dtb_mutex_a);

	mutex_lock(&dtb_mutex_b);
	mutex_lock(&dtb_mutex_a);
	mutex_unlock(&dtb_mutex_a);
	mutex_unlock(&dtb_mutex_b);
	return 0;
}

static const struct {
	const char *name;
	int (*commit)(void);
} dtb_bugs[] = {
	{ "none", NULL },
	{ "leak", dtb_leak },
	{ "use-after-free", dtb_use_after_free },
	{ "sleep-in-atomic", dtb_sleep_in_atomic },
	{ "lock-inversion", dtb_lock_inversion },
};

static int __init dtb_init(void)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(dtb_bugs); i++) {
		if (strcmp(bug, dtb_bugs[i].name))
			continue;
		if (!dtb_bugs[i].commit)
			return 0;
		pr_info("committing bug %s on purpose\n", bug);
		return dtb_bugs[i].commit();
	}
	pr_err("unknown bug=%s\n", bug);
	return -EINVAL;
}
module_init(dtb_init);

static void __exit dtb_exit(void)
{
}
module_exit(dtb_exit);
