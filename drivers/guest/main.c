// SPDX-License-Identifier: GPL-2.0
/*
 * symbiont guest module: discovery of co-resident VMs, guest side.
 *
 * Data flow: XenStore watches (self.c) queue work on symbiont_wq, an
 * ordered workqueue, so nothing ever blocks the xenwatch kthread and all
 * reactions are serialised; the work updates state that sysfs.c publishes.
 *
 * Lifetime: init brings up the workqueue, sysfs, then the watches; exit
 * undoes that in reverse, so no work runs once sysfs is gone.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <xen/xen.h>
#include "guest.h"

struct workqueue_struct *symbiont_wq;

static int __init symbiont_guest_init(void)
{
	int err;

	if (!xen_domain() || xen_initial_domain()) {
		pr_err("not a Xen guest (domU); refusing to load\n");
		return -ENODEV;
	}

	symbiont_wq = alloc_ordered_workqueue("symbiont", WQ_MEM_RECLAIM);
	if (!symbiont_wq)
		return -ENOMEM;

	err = symbiont_sysfs_init();
	if (err)
		goto destroy_wq;

	err = symbiont_self_init();
	if (err)
		goto remove_sysfs;

	pr_info("loaded\n");
	return 0;

remove_sysfs:
	symbiont_sysfs_exit();
destroy_wq:
	destroy_workqueue(symbiont_wq);
	return err;
}

static void __exit symbiont_guest_exit(void)
{
	symbiont_self_exit();
	symbiont_sysfs_exit();
	destroy_workqueue(symbiont_wq);
}

module_init(symbiont_guest_init);
module_exit(symbiont_guest_exit);

MODULE_DESCRIPTION("symbiont: discovery of co-resident Xen VMs (guest)");
MODULE_LICENSE("GPL");
