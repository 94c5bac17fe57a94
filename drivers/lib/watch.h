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
 * sym_watch_begin() before it reads XenStore: a firing that races
 * with the read is then queued again rather than lost. Callbacks re-read
 * and reconcile; they never apply deltas, so a dropped duplicate is harmless.
 *
 * Every firing is counted in the watch's own fired/dropped and in the
 * owning module's struct sym_xs_stats, so a module's stats show every
 * watch it registered.
 *
 * Lifetime: sym_watch_register() ... sym_watch_unregister(),
 * which returns once no callback is running; the owner then cancels @work.
 */
#ifndef SYM_WATCH_H
#define SYM_WATCH_H

#include <linux/workqueue.h>
#include <xen/xenbus.h>
#include "xs.h"

struct sym_watch {
	struct xenbus_watch xb;
	unsigned long flags;
	struct sym_xs_stats *stats;
	struct workqueue_struct *wq;
	struct work_struct *work;
	atomic_long_t fired;
	atomic_long_t dropped;
};

int sym_watch_register(struct sym_watch *w, struct sym_xs_stats *stats,
		       const char *node, struct workqueue_struct *wq,
		       struct work_struct *work);
void sym_watch_unregister(struct sym_watch *w);
void sym_watch_begin(struct sym_watch *w);
bool sym_watch_registered(const struct sym_watch *w);

#endif /* SYM_WATCH_H */
