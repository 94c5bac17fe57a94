// SPDX-License-Identifier: GPL-2.0
/*
 * This domain's identity as XenStore states it.
 *
 * Data flow: a coalesced watch on our own "domid" node fires once at
 * registration and again after every resume (xs_resume() re-registers all
 * watches), including the restore into a new domain after save/restore or
 * migration. The watch only queues refresh_work, which re-reads the node
 * and publishes the value for sysfs.
 *
 * Locking: domid is written only by refresh_work (serialised by the ordered
 * workqueue) and read locklessly with READ_ONCE().
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kernel.h>
#include <xen/xenbus.h>
#include <xen/interface/xen.h>
#include "coalesced_watch.h"
#include "guest.h"

static struct coalesced_watch domid_watch;
static struct work_struct refresh_work;
static u16 self_domid = DOMID_INVALID;

u16 symbiont_self_domid(void)
{
	return READ_ONCE(self_domid);
}

static void refresh_self(struct work_struct *work)
{
	unsigned int domid;

	coalesced_watch_begin(&domid_watch);
	domid = xenbus_read_unsigned("domid", "", DOMID_INVALID);
	if (domid >= DOMID_FIRST_RESERVED) {
		pr_warn_ratelimited("unusable domid in XenStore\n");
		domid = DOMID_INVALID;
	}
	if (domid == READ_ONCE(self_domid))
		return;

	pr_info("domid is now %u\n", domid);
	WRITE_ONCE(self_domid, domid);
	symbiont_sysfs_self_changed();
}

int symbiont_self_init(void)
{
	INIT_WORK(&refresh_work, refresh_self);
	return coalesced_watch_register(&domid_watch, "domid", symbiont_wq,
					&refresh_work);
}

void symbiont_self_exit(void)
{
	coalesced_watch_unregister(&domid_watch);
	cancel_work_sync(&refresh_work);
}
