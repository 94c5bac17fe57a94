// SPDX-License-Identifier: GPL-2.0
/*
 * symbiont guest module: discovery of co-resident VMs, guest side.
 *
 * Data flow: XenStore watches (self.c: our domid; view.c: the view dom0
 * publishes for us) queue work on symbiont_wq, an ordered workqueue, so
 * nothing blocks the xenwatch kthread and all reactions are serialised.
 * The work updates the RCU peer table (api.c), the event log
 * (/dev/symbiont_events) and sysfs.
 *
 * Lifecycle announcements (Documentation/protocol.md):
 *   load             -> "joined"
 *   PM .freeze       -> consumers get SYMBIONT_SELF_MIGRATE_OUT, then
 *                       "migrating"; runs before the domain is suspended,
 *                       while XenStore still works
 *   PM .thaw/.restore-> rejoin_work: "joined" (maybe in a new domain)
 *   reboot/poweroff  -> "leaving"
 *   unload           -> "leaving", then data/symbiont is removed
 *
 * Lifetime: init brings up the workqueue, table, sysfs, event log, the
 * watches, the PM device and the reboot notifier, then announces; exit
 * undoes that in reverse.
 */
#include <linux/module.h>
#include <linux/platform_device.h>
#include <linux/reboot.h>
#include <xen/xen.h>
#include "events.h"
#include "guest.h"
#include "root.h"

#define EVENT_LOG_CAPACITY 256

static char *mode = "event";
module_param(mode, charp, 0444);
MODULE_PARM_DESC(mode, "event (XenStore watches, default) or poll (baseline)");
unsigned int symbiont_poll_ms = 1000;
module_param_named(poll_ms, symbiont_poll_ms, uint, 0444);
MODULE_PARM_DESC(poll_ms, "poll period in ms for mode=poll (min 10)");

struct workqueue_struct *symbiont_wq;
struct symbiont_stats symbiont_stats;
bool symbiont_poll_mode;

static struct platform_device *pm_pdev;
static struct work_struct rejoin_work;

static void rejoin(struct work_struct *work)
{
	atomic64_inc(&symbiont_stats.work_runs);
	/*
	 * Our domid first: consumers of SELF_MIGRATE_IN derive roles from it,
	 * and the domid watch's own refresh may not have run yet.
	 */
	symbiont_self_reread();
	symbiont_self_mark_resumed();
	symbiont_self_rejoin();
	symbiont_notify(SYMBIONT_SELF_MIGRATE_IN, NULL);
	symbiont_view_refresh();
}

static int symbiont_pm_freeze(struct device *dev)
{
	symbiont_view_suspend();
	symbiont_notify(SYMBIONT_SELF_MIGRATE_OUT, NULL);
	/* symbiont_wq is frozen: this only drops a queued retry. */
	symbiont_self_rejoin_cancel();
	symbiont_self_announce(SYM_ANNOUNCE_MIGRATING);
	return 0;
}

/* .thaw: the suspend was cancelled; .restore: we run in a new domain. */
static int symbiont_pm_resume(struct device *dev)
{
	queue_work(symbiont_wq, &rejoin_work);
	return 0;
}

static const struct dev_pm_ops symbiont_pm_ops = {
	.freeze = symbiont_pm_freeze,
	.thaw = symbiont_pm_resume,
	.restore = symbiont_pm_resume,
};

static struct platform_driver symbiont_pm_driver = {
	.driver = {
		.name = "symbiont",
		.pm = &symbiont_pm_ops,
	},
};

static int symbiont_reboot(struct notifier_block *nb, unsigned long action,
			   void *data)
{
	symbiont_self_rejoin_cancel();
	symbiont_self_announce(SYM_ANNOUNCE_LEAVING);
	return NOTIFY_DONE;
}

static struct notifier_block symbiont_reboot_nb = {
	.notifier_call = symbiont_reboot,
};

static int __init symbiont_guest_init(void)
{
	int err;

	if (!xen_domain() || xen_initial_domain()) {
		pr_err("not a Xen guest (domU); refusing to load\n");
		return -ENODEV;
	}
	err = sym_mode_parse(mode, symbiont_poll_ms, &symbiont_poll_mode);
	if (err)
		return err;

	/*
	 * Freezable: do_suspend() freezes it before dpm_suspend_start(), so no
	 * peer notification can run during or after .freeze's
	 * SYMBIONT_SELF_MIGRATE_OUT; queued work runs after thaw_processes().
	 */
	symbiont_wq = alloc_ordered_workqueue("symbiont",
					      WQ_FREEZABLE | WQ_MEM_RECLAIM);
	if (!symbiont_wq)
		return -ENOMEM;
	INIT_WORK(&rejoin_work, rejoin);

	err = symbiont_table_init();
	if (err)
		goto destroy_wq;
	err = symbiont_sysfs_init();
	if (err)
		goto free_table;
	err = sym_events_init(THIS_MODULE, NULL, EVENT_LOG_CAPACITY);
	if (err)
		goto remove_sysfs;
	err = symbiont_self_init();
	if (err)
		goto remove_events;
	err = symbiont_view_init();
	if (err)
		goto stop_self;

	err = platform_driver_register(&symbiont_pm_driver);
	if (err)
		goto stop_view;
	pm_pdev = platform_device_register_simple("symbiont", -1, NULL, 0);
	if (IS_ERR(pm_pdev)) {
		err = PTR_ERR(pm_pdev);
		goto unregister_driver;
	}
	err = register_reboot_notifier(&symbiont_reboot_nb);
	if (err)
		goto unregister_device;

	err = symbiont_self_announce(SYM_ANNOUNCE_JOINED);
	if (err)
		goto unregister_reboot;

	pr_info("loaded (%s mode)\n", symbiont_poll_mode ? "poll" : "event");
	return 0;

unregister_reboot:
	unregister_reboot_notifier(&symbiont_reboot_nb);
unregister_device:
	platform_device_unregister(pm_pdev);
unregister_driver:
	platform_driver_unregister(&symbiont_pm_driver);
stop_view:
	symbiont_view_exit();
stop_self:
	symbiont_self_exit();
remove_events:
	sym_events_exit();
remove_sysfs:
	symbiont_sysfs_exit();
free_table:
	symbiont_table_exit();
destroy_wq:
	destroy_workqueue(symbiont_wq);
	return err;
}

static void __exit symbiont_guest_exit(void)
{
	unregister_reboot_notifier(&symbiont_reboot_nb);
	platform_device_unregister(pm_pdev);
	platform_driver_unregister(&symbiont_pm_driver);
	/* Nothing can queue a rejoin now: none may follow the leave. */
	cancel_work_sync(&rejoin_work);
	symbiont_self_rejoin_cancel();
	symbiont_self_announce(SYM_ANNOUNCE_LEAVING);
	symbiont_view_exit();
	symbiont_self_exit();
	symbiont_self_announce(SYM_ANNOUNCE_ABSENT);
	sym_events_exit();
	symbiont_sysfs_exit();
	symbiont_table_exit();
	destroy_workqueue(symbiont_wq);
}

module_init(symbiont_guest_init);
module_exit(symbiont_guest_exit);

MODULE_DESCRIPTION("symbiont: discovery of co-resident Xen VMs (guest)");
MODULE_LICENSE("GPL");
MODULE_IMPORT_NS(SYMBIONT);
