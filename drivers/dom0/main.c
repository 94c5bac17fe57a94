// SPDX-License-Identifier: GPL-2.0
/*
 * symbiont dom0 module: host-side membership of co-resident VMs, the dom0
 * half of Documentation/protocol.md. See dom0.h for the map of files, the
 * data flow and the lock order.
 *
 * Init order: check we are dom0, then the workqueue, the event device, sysfs,
 * the published mode node, the domain state, and last discovery, which
 * starts the watches (or the poll timer) that feed the workqueue. Exit
 * undoes it in reverse: discovery stops first so nothing new is queued,
 * then every record's watch goes, the queue drains, views are withdrawn.
 */
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/string.h>
#include <xen/xen.h>
#include "dom0.h"
#include "events.h"
#include "root.h"

#define DOM0_EVENT_CAPACITY	1024

static char *mode = "event";
module_param(mode, charp, 0444);
MODULE_PARM_DESC(mode, "\"event\" (XenStore watches, default) or \"poll\" (heartbeat baseline)");

unsigned int dom0_poll_ms = 1000;
module_param_named(poll_ms, dom0_poll_ms, uint, 0444);
MODULE_PARM_DESC(poll_ms, "poll mode: milliseconds between scans (min 10, default 1000)");

struct workqueue_struct *dom0_wq;
struct sym_xs_stats dom0_xs;
bool dom0_poll_mode;

static int __init symbiont_dom0_init(void)
{
	int err;

	if (!xen_initial_domain()) {
		pr_err("not running in Xen dom0; refusing to load\n");
		return -ENODEV;
	}
	err = sym_mode_parse(mode, dom0_poll_ms, &dom0_poll_mode);
	if (err)
		return err;

	dom0_wq = alloc_ordered_workqueue("symbiont_dom0", WQ_MEM_RECLAIM);
	if (!dom0_wq)
		return -ENOMEM;

	err = sym_events_init(THIS_MODULE, NULL, DOM0_EVENT_CAPACITY);
	if (err)
		goto destroy_wq;

	err = dom0_sysfs_init();
	if (err)
		goto exit_events;

	err = dom0_mode_publish();
	if (err) {
		pr_err("cannot publish mode in XenStore (%d)\n", err);
		goto exit_sysfs;
	}

	dom0_domains_init();
	dom0_relay_init();
	err = dom0_discover_init();
	if (err) {
		pr_err("cannot start discovery (%d)\n", err);
		goto unpublish_mode;
	}

	pr_info("loaded, %s mode\n", dom0_poll_mode ? "poll" : "event");
	return 0;

unpublish_mode:
	dom0_mode_unpublish();
exit_sysfs:
	dom0_sysfs_exit();
exit_events:
	sym_events_exit();
destroy_wq:
	destroy_workqueue(dom0_wq);
	return err;
}

static void __exit symbiont_dom0_exit(void)
{
	dom0_discover_exit();
	dom0_domains_exit();
	dom0_mode_unpublish();
	dom0_sysfs_exit();
	sym_events_exit();
	destroy_workqueue(dom0_wq);
}

module_init(symbiont_dom0_init);
module_exit(symbiont_dom0_exit);

MODULE_DESCRIPTION("symbiont: host-side membership of co-resident Xen VMs");
MODULE_LICENSE("GPL");
MODULE_IMPORT_NS(SYMBIONT);
