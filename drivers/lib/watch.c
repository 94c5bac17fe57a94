// SPDX-License-Identifier: GPL-2.0
/*
 * Coalescing XenStore watches: see watch.h for the contract.
 *
 * Data flow: xenstored -> xenbus rx thread -> will_handle (drop if pending)
 * -> xenwatch kthread -> callback (queue_work) -> owner's work, which calls
 * sym_watch_begin() and then re-reads XenStore.
 *
 * The PENDING bit is the only shared state: set by will_handle, cleared by
 * the work. node strings are owned by this file (kstrdup) and freed on
 * unregister.
 */
#include <linux/slab.h>
#include "sym_compat.h"
#include "watch.h"

enum {
	WATCH_PENDING,
	WATCH_REGISTERED,
};

static bool coalesced_watch_will_handle(struct xenbus_watch *xb,
					const char *path, const char *token)
{
	struct sym_watch *w = container_of(xb, struct sym_watch, xb);

	atomic_long_inc(&w->fired);
	atomic64_inc(&w->stats->watch_fired);
	/* Fully ordered; pairs with smp_mb__after_atomic() in _begin(). */
	if (test_and_set_bit(WATCH_PENDING, &w->flags)) {
		atomic_long_inc(&w->dropped);
		atomic64_inc(&w->stats->watch_dropped);
		return false;
	}
	return true;
}

static void coalesced_watch_fired(struct xenbus_watch *xb, const char *path,
				  const char *token)
{
	struct sym_watch *w = container_of(xb, struct sym_watch, xb);

	queue_work(w->wq, w->work);
}

void sym_watch_begin(struct sym_watch *w)
{
	clear_bit(WATCH_PENDING, &w->flags);
	/*
	 * Order the clear before the XenStore reads that follow; pairs with
	 * test_and_set_bit() in will_handle, so a firing after this point is
	 * queued anew and a firing before it is covered by our read.
	 */
	smp_mb__after_atomic();
}
SYM_EXPORT(sym_watch_begin);

int sym_watch_register(struct sym_watch *w, struct sym_xs_stats *stats,
		       const char *node, struct workqueue_struct *wq,
		       struct work_struct *work)
{
	int err;

	w->xb.node = kstrdup(node, GFP_KERNEL);
	if (!w->xb.node)
		return -ENOMEM;
	w->xb.will_handle = coalesced_watch_will_handle;
	w->xb.callback = coalesced_watch_fired;
	w->stats = stats;
	w->wq = wq;
	w->work = work;
	w->flags = 0;
	atomic_long_set(&w->fired, 0);
	atomic_long_set(&w->dropped, 0);

	atomic64_inc(&stats->requests);		/* XS_WATCH */
	err = register_xenbus_watch(&w->xb);
	if (err) {
		kfree(w->xb.node);
		w->xb.node = NULL;
		return err;
	}
	set_bit(WATCH_REGISTERED, &w->flags);
	return 0;
}
SYM_EXPORT(sym_watch_register);

bool sym_watch_registered(const struct sym_watch *w)
{
	return test_bit(WATCH_REGISTERED, &w->flags);
}
SYM_EXPORT(sym_watch_registered);

void sym_watch_unregister(struct sym_watch *w)
{
	if (!test_and_clear_bit(WATCH_REGISTERED, &w->flags))
		return;
	atomic64_inc(&w->stats->requests);	/* XS_UNWATCH */
	unregister_xenbus_watch(&w->xb);
	kfree(w->xb.node);
	w->xb.node = NULL;
}
SYM_EXPORT(sym_watch_unregister);
