/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A XenStore watch that never blocks xenwatch and never queues more than one
 * work item, however often the watched node fires.
 *
 * All watch callbacks of a kernel run on the single xenwatch kthread, and a
 * domain may rewrite a node it owns as fast as xenstored lets it. So the
 * will_handle hook (run under xenbus' watches_lock, before the event is
 * queued) drops every firing that arrives while one is already pending, and
 * the callback only queues @work. The work must call
 * coalesced_watch_begin() before it reads XenStore: a firing that races
 * with the read is then queued again rather than lost. Callbacks re-read
 * and reconcile; they never apply deltas, so a dropped duplicate is harmless.
 *
 * Lifetime: coalesced_watch_register() ... coalesced_watch_unregister(),
 * which returns once no callback is running; the owner then cancels @work.
 */
#ifndef SYMBIONT_COALESCED_WATCH_H
#define SYMBIONT_COALESCED_WATCH_H

#include <linux/workqueue.h>
#include <xen/xenbus.h>

struct coalesced_watch {
	struct xenbus_watch xb;
	unsigned long flags;
	struct workqueue_struct *wq;
	struct work_struct *work;
	atomic_long_t fired;
	atomic_long_t dropped;
};

int coalesced_watch_register(struct coalesced_watch *w, const char *node,
			     struct workqueue_struct *wq,
			     struct work_struct *work);
void coalesced_watch_unregister(struct coalesced_watch *w);
void coalesced_watch_begin(struct coalesced_watch *w);
bool coalesced_watch_registered(const struct coalesced_watch *w);

#endif
