// SPDX-License-Identifier: GPL-2.0
/*
 * Coalescing XenStore watches: see coalesced_watch.h for the contract.
 *
 * Data flow: xenstored -> xenbus rx thread -> will_handle (drop if pending)
 * -> xenwatch kthread -> callback (queue_work) -> owner's work, which calls
 * coalesced_watch_begin() and then re-reads XenStore.
 *
 * The PENDING bit is the only shared state: set by will_handle, cleared by
 * the work. node strings are owned by this file (kstrdup) and freed on
 * unregister.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/slab.h>
#include "coalesced_watch.h"

enum {
	WATCH_PENDING,
	WATCH_REGISTERED,
};

static bool coalesced_watch_will_handle(struct xenbus_watch *xb,
					const char *path, const char *token)
{
	struct coalesced_watch *w = container_of(xb, struct coalesced_watch, xb);

	atomic_long_inc(&w->fired);
	/* Fully ordered; pairs with smp_mb__after_atomic() in _begin(). */
	if (test_and_set_bit(WATCH_PENDING, &w->flags)) {
		atomic_long_inc(&w->dropped);
		return false;
	}
	return true;
}

static void coalesced_watch_fired(struct xenbus_watch *xb, const char *path,
				  const char *token)
{
	struct coalesced_watch *w = container_of(xb, struct coalesced_watch, xb);

	queue_work(w->wq, w->work);
}

void coalesced_watch_begin(struct coalesced_watch *w)
{
	clear_bit(WATCH_PENDING, &w->flags);
	/*
	 * Order the clear before the XenStore reads that follow; pairs with
	 * test_and_set_bit() in will_handle, so a firing after this point is
	 * queued anew and a firing before it is covered by our read.
	 */
	smp_mb__after_atomic();
}

int coalesced_watch_register(struct coalesced_watch *w, const char *node,
			     struct workqueue_struct *wq,
			     struct work_struct *work)
{
	int err;

	w->xb.node = kstrdup(node, GFP_KERNEL);
	if (!w->xb.node)
		return -ENOMEM;
	w->xb.will_handle = coalesced_watch_will_handle;
	w->xb.callback = coalesced_watch_fired;
	w->wq = wq;
	w->work = work;
	w->flags = 0;
	atomic_long_set(&w->fired, 0);
	atomic_long_set(&w->dropped, 0);

	err = register_xenbus_watch(&w->xb);
	if (err) {
		kfree(w->xb.node);
		w->xb.node = NULL;
		return err;
	}
	set_bit(WATCH_REGISTERED, &w->flags);
	return 0;
}

bool coalesced_watch_registered(const struct coalesced_watch *w)
{
	return test_bit(WATCH_REGISTERED, &w->flags);
}

void coalesced_watch_unregister(struct coalesced_watch *w)
{
	if (!test_and_clear_bit(WATCH_REGISTERED, &w->flags))
		return;
	unregister_xenbus_watch(&w->xb);
	kfree(w->xb.node);
	w->xb.node = NULL;
}
