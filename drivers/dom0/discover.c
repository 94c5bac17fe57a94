// SPDX-License-Identifier: GPL-2.0
/*
 * discover.c - how dom0 learns that domains came or went.
 *
 * Event mode: a coalesced watch on @introduceDomain queues a rescan that
 * lists /local/domain once and adds a record (with its own state watch)
 * for every domid not known yet; a coalesced watch on @releaseDomain
 * queues every record's work, because 4.17 does not say which domain went.
 * These two rescans are the only work that grows with the number of
 * domains, and they run once per domain creation or destruction.
 *
 * Poll mode, the heartbeat baseline (XenLoop scans every second): no watch
 * at all. A delayed work lists /local/domain every poll_ms, adds records
 * for new domids, reconciles every record and re-reads every member's
 * group, then re-arms itself.
 *
 * Locking/lifetime: all work runs on dom0_wq. dom0_discover_exit() stops
 * the watches (or the timer) and cancels their work synchronously, so no
 * rescan runs afterwards and no new record can appear.
 */
#include <linux/jiffies.h>
#include <linux/slab.h>
#include <linux/string.h>
#include "dom0.h"

static struct sym_watch introduce_watch;
static struct sym_watch release_watch;
static struct work_struct introduce_work;
static struct work_struct release_work;
static struct delayed_work poll_work;

static void dom0_discover_scan(void)
{
	unsigned int num, i;
	char **dir;
	u16 domid;
	int err;

	dir = sym_xs_directory(&dom0_xs, XBT_NIL, "/local/domain", "", &num);
	if (IS_ERR(dir)) {
		pr_warn_ratelimited("cannot list /local/domain (%ld)\n",
				    PTR_ERR(dir));
		return;
	}
	for (i = 0; i < num; i++) {
		if (sym_parse_domid(dir[i], strlen(dir[i]), &domid) || !domid)
			continue;
		if (dom0_domain_find(domid))
			continue;
		err = dom0_domain_add(domid);
		if (err)
			pr_warn_ratelimited("domain %u: cannot track it (%d)\n",
					    domid, err);
	}
	kfree(dir);
}

static void dom0_introduce_work(struct work_struct *work)
{
	sym_watch_begin(&introduce_watch);
	dom0_work_ran();
	dom0_discover_scan();
}

static void dom0_release_work(struct work_struct *work)
{
	sym_watch_begin(&release_watch);
	dom0_work_ran();
	dom0_domains_requeue_all();
}

static void dom0_poll_work(struct work_struct *work)
{
	dom0_work_ran();
	dom0_discover_scan();
	dom0_domains_reconcile_all();
	dom0_groups_reread();
	queue_delayed_work(dom0_wq, &poll_work,
			   msecs_to_jiffies(dom0_poll_ms));
}

static int dom0_discover_watch(struct sym_watch *w, const char *node,
			       struct work_struct *work)
{
	return sym_watch_register(w, &dom0_xs, node, dom0_wq, work);
}

static void dom0_discover_unwatch(struct sym_watch *w,
				  struct work_struct *work)
{
	sym_watch_unregister(w);
	cancel_work_sync(work);
}

int dom0_discover_init(void)
{
	int err;

	if (dom0_poll_mode) {
		INIT_DELAYED_WORK(&poll_work, dom0_poll_work);
		queue_delayed_work(dom0_wq, &poll_work, 0);
		return 0;
	}

	INIT_WORK(&introduce_work, dom0_introduce_work);
	INIT_WORK(&release_work, dom0_release_work);
	err = dom0_groups_watch_init();
	if (err)
		return err;
	err = dom0_discover_watch(&release_watch, "@releaseDomain",
				  &release_work);
	if (err)
		goto unwatch_groups;
	/* Fires once on registration: that is the initial scan. */
	err = dom0_discover_watch(&introduce_watch, "@introduceDomain",
				  &introduce_work);
	if (err)
		goto unwatch_release;
	return 0;

unwatch_release:
	dom0_discover_unwatch(&release_watch, &release_work);
unwatch_groups:
	dom0_groups_watch_exit();
	return err;
}

void dom0_discover_exit(void)
{
	if (dom0_poll_mode) {
		cancel_delayed_work_sync(&poll_work);
		return;
	}
	dom0_discover_unwatch(&introduce_watch, &introduce_work);
	dom0_discover_unwatch(&release_watch, &release_work);
	dom0_groups_watch_exit();
}
