// SPDX-License-Identifier: GPL-2.0
/*
 * domains.c - one record per domain dom0 knows of, and the reconcile step
 * that turns what a domain announced into membership.
 *
 * Data flow: discover.c creates a record per new domid. In event mode the
 * record watches /local/domain/<d>/data/symbiont/state with a coalesced
 * watch whose work calls dom0_domain_reconcile(); in poll mode the poll
 * round calls it directly. Reconcile re-reads the announced state, with
 * the guest's count of its transitions read on either side of it, and
 * whether the home still exists (never applies deltas), reads the trusted
 * facts when the domain asks to join and on every reconcile of a member (a
 * member whose facts changed is another domain behind the same domid: the
 * old one is reported gone and every cache keyed by the domid dropped
 * before the new one may join), runs sym_member_step(), records the
 * event it emits (with how many transitions the count moved beyond it,
 * which coalescing merged; they get a record of their own when there is
 * no event), and on a change of membership or of a member's state
 * updates sysfs, the generation, the group and the views of that group
 * only. A domain whose home is gone and that is not a member is freed.
 *
 * Fail closed, retry: a reconcile that could not read what it needs, or
 * admit a domain, or write a view (view.c withdraws it), queues itself
 * again after DOM0_RETRY_MIN, doubling to DOM0_RETRY_MAX, until a pass
 * leaves nothing undone; such a pass first rewrites a withdrawn view.
 *
 * A VM that departed migrating waits in the departed set for its restore;
 * after each step, and from departed_work at the next deadline, an expiry
 * pass reports lost those that waited DOM0_DEPARTED_TIMEOUT_S in vain.
 *
 * Locking: all of this runs on dom0_wq, an ordered workqueue, which is the
 * lock for records, states, groups and the departed set; the xarray's own
 * lock covers its insert and erase.
 *
 * This is dom0's one table of domains: the fast-path relay (relay.c) hangs
 * its per-domain state off the record (d->relay) and learns of domains
 * through it, with no table or discovery of its own.
 *
 * Lifetime: a record is freed only after its watch is unregistered (no
 * callback can queue its work any more) and its work is cancelled. A
 * record may free itself from its own work: the workqueue allows a work
 * item to be freed while it runs, and cancel_work() drops an instance the
 * watch queued again meanwhile.
 */
#include <linux/atomic.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/xarray.h>
#include "dom0.h"
#include "events.h"

static DEFINE_XARRAY(dom0_domains);
static struct sym_departed_set dom0_departed;
static struct delayed_work departed_work;	/* the next expiry pass */

/*
 * How long a VM saved (or migrating away) may stay away before it is
 * reported lost; its restore after that is a join.
 */
#define DOM0_DEPARTED_TIMEOUT_S	600

#ifdef SYMBIONT_FAULT_INJECTION
/* The lifecycle scenario cannot wait 10 minutes for a lost. */
static unsigned int departed_timeout_s = DOM0_DEPARTED_TIMEOUT_S;
module_param(departed_timeout_s, uint, 0644);
MODULE_PARM_DESC(departed_timeout_s, "TEST ONLY: seconds a VM that departed migrating may stay away before it is lost");
#define dom0_departed_ttl()	((u64)READ_ONCE(departed_timeout_s) * HZ)
#else
#define dom0_departed_ttl()	((u64)DOM0_DEPARTED_TIMEOUT_S * HZ)
#endif
static atomic64_t dom0_runs = ATOMIC64_INIT(0);
static atomic64_t dom0_throttled = ATOMIC64_INIT(0);
static atomic64_t dom0_retried = ATOMIC64_INIT(0);

#define DOM0_RETRY_MIN		(HZ / 10)
#define DOM0_RETRY_MAX		(10 * HZ)

/* Set at exit, on dom0_wq: no work is queued or runs after that. */
static bool dom0_stopping;

/*
 * What one guest's own writes may cost dom0, per kind of work (its
 * reconciles; the relay of its fast-path records): DOM0_GUEST_BURST runs
 * back to back, then one per DOM0_GUEST_INTERVAL. Each run re-reads and
 * rewrites what changed, so a run deferred is coalesced, never lost.
 */
#define DOM0_GUEST_INTERVAL	(HZ / 2)
#define DOM0_GUEST_BURST	5

void dom0_work_ran(void)
{
	atomic64_inc(&dom0_runs);
}

u64 dom0_work_runs(void)
{
	return atomic64_read(&dom0_runs);
}

/*
 * On dom0_wq, at the start of a work item a guest's writes queue: true if
 * that guest spent its budget; the work is then queued again for when it
 * may run (firings meanwhile find it pending and coalesce), and the caller
 * returns without reading XenStore (so its watch stays pending).
 */
bool dom0_throttle(struct sym_rate *rate, struct delayed_work *work)
{
	u64 wait = sym_rate_admit(rate, get_jiffies_64(), DOM0_GUEST_INTERVAL,
				  DOM0_GUEST_BURST);

	if (!wait)
		return false;
	atomic64_inc(&dom0_throttled);
	queue_delayed_work(dom0_wq, work, (unsigned long)wait);
	return true;
}

u64 dom0_throttled_runs(void)
{
	return atomic64_read(&dom0_throttled);
}

/*
 * The wait before a retry: DOM0_RETRY_MIN after a success, then doubling
 * up to DOM0_RETRY_MAX; *delay is the caller's, which zeroes it on a pass
 * that leaves nothing undone. Counted in stats/retries.
 */
unsigned long dom0_backoff(unsigned long *delay)
{
	*delay = *delay ? min_t(unsigned long, *delay * 2, DOM0_RETRY_MAX) :
			  DOM0_RETRY_MIN;
	atomic64_inc(&dom0_retried);
	return *delay;
}

/*
 * On dom0_wq: something d's reconcile needs failed; look again later.
 * Work queued meanwhile (its watch) runs sooner, which is as good.
 */
void dom0_domain_retry(struct symbiont_domain *d)
{
	unsigned long delay = dom0_backoff(&d->retry_delay);

	if (!dom0_stopping)
		queue_delayed_work(dom0_wq, &d->work, delay);
}

u64 dom0_retries(void)
{
	return atomic64_read(&dom0_retried);
}

struct symbiont_domain *dom0_domain_find(u16 domid)
{
	return xa_load(&dom0_domains, domid);
}

static void dom0_domain_reconcile(struct symbiont_domain *d);

static void dom0_domain_work(struct work_struct *work)
{
	struct symbiont_domain *d = container_of(to_delayed_work(work),
						 struct symbiont_domain, work);

	if (dom0_stopping || dom0_throttle(&d->rate, &d->work))
		return;
	/* May free d. Counted once done, so that the count says "finished". */
	dom0_domain_reconcile(d);
	dom0_work_ran();
}

static void dom0_domain_unwatch(struct symbiont_domain *d)
{
	sym_watch_unregister(&d->watch);
	dom0_relay_unwatch(d);
}

static void dom0_domain_erase(struct symbiont_domain *d)
{
	xa_erase(&dom0_domains, d->domid);
	kfree(d);
}

int dom0_domain_add(u16 domid)
{
	char path[DOM0_PATH_MAX];
	struct symbiont_domain *d;
	int err;

	d = kzalloc(sizeof(*d), GFP_KERNEL);
	if (!d)
		return -ENOMEM;
	d->domid = domid;
	d->state = SYM_MEMBER_NONE;
	INIT_LIST_HEAD(&d->group_node);
	INIT_LIST_HEAD(&d->move_node);
	INIT_DELAYED_WORK(&d->work, dom0_domain_work);

	err = xa_insert(&dom0_domains, domid, d, GFP_KERNEL);
	if (err)
		goto free_domain;
	err = dom0_relay_attach(d);
	if (err)
		goto erase_domain;
	if (dom0_poll_mode)
		return 0;

	/* Registration fires the watch once, which queues the first look. */
	snprintf(path, sizeof(path), "/local/domain/%u/data/symbiont/state",
		 domid);
	err = sym_watch_register(&d->watch, &dom0_xs, path, dom0_wq,
				 &d->work.work);
	if (err)
		goto detach_relay;
	return 0;

detach_relay:
	dom0_relay_unwatch(d);
	dom0_relay_detach(d);
erase_domain:
	xa_erase(&dom0_domains, domid);
free_domain:
	kfree(d);
	return err;
}

/* Called from d's own work or a poll round, never with d->work pending elsewhere. */
static void dom0_domain_free(struct symbiont_domain *d)
{
	dom0_domain_unwatch(d);
	cancel_delayed_work(&d->work);
	dom0_relay_detach(d);
	dom0_domain_erase(d);
}

/* A VM that departed migrating will not come back: lost, under its old domid. */
static void dom0_record_lost(u16 domid, const char *uuid, const char *name)
{
	struct sym_event ev = {
		.kind = SYM_EV_LOST,
		.domid = domid,
		.prev_domid = -1,
	};

	strscpy(ev.uuid, uuid, sizeof(ev.uuid));
	strscpy(ev.name, name, sizeof(ev.name));
	sym_events_record(&ev);
}

/* The expiry pass's report: the departed set keeps no name. */
static void dom0_departed_lost(void *ctx, const struct sym_departed *dep)
{
	dom0_record_lost(dep->domid, dep->uuid, "");
}

/* On dom0_wq: an expiry pass, and the next one scheduled. */
static void dom0_departed_sweep(void)
{
	u64 now = get_jiffies_64();
	u64 next = sym_departed_expire(&dom0_departed, now, dom0_departed_ttl(),
				       dom0_departed_lost, NULL);

	if (next)
		mod_delayed_work(dom0_wq, &departed_work,
				 (unsigned long)min_t(u64, next - now, MAX_JIFFY_OFFSET));
}

static void dom0_departed_work(struct work_struct *work)
{
	dom0_work_ran();
	dom0_departed_sweep();
}

/*
 * The event of a step, if it emitted one, carrying the transitions its
 * coalescing merged; without one, merged transitions get a record of
 * their own.
 */
static void dom0_domain_record(const struct symbiont_domain *d,
			       const struct sym_transition *t, u32 merged)
{
	struct sym_event ev = {
		.kind = t->emit ? t->kind : SYM_EV_MERGED,
		.domid = d->domid,
		.prev_domid = t->emit ? t->prev_domid : -1,
		.merged = merged,
	};

	if (!t->emit && !merged)
		return;
	/* A fresh boot took the uuid of a VM that was away: that one is lost. */
	if (t->emit && t->lost_domid >= 0)
		dom0_record_lost((u16)t->lost_domid, d->uuid, d->name);
	strscpy(ev.uuid, d->uuid, sizeof(ev.uuid));
	strscpy(ev.name, d->name, sizeof(ev.name));
	sym_events_record(&ev);
}

/* Publishes a change from state old to d->state. */
static void dom0_domain_apply(struct symbiont_domain *d,
			      enum sym_member_state old, bool alive)
{
	if (old == d->state) {
		/* A join that the state machine refused: undo the grouping. */
		if (d->state == SYM_MEMBER_NONE && d->group)
			dom0_group_leave(d);
		/* That, or a member's ip node changed (its policy). */
		dom0_groups_flush();
		return;
	}

	if (old == SYM_MEMBER_NONE) {
		dom0_member_add(d);
	} else if (d->state == SYM_MEMBER_NONE) {
		dom0_group_leave(d);
		if (alive)
			dom0_view_remove(d);
		dom0_member_remove(d);
	} else {
		dom0_group_changed(d);
		dom0_member_update(d);
	}
	dom0_generation_bump();
	dom0_groups_flush();
}

/*
 * data/symbiont/origin, the guest's claim that comes with its state:
 * unknown if absent (an older guest) or unreadable, and logged if
 * malformed (then unknown too: it only ever tells join from migrate-in).
 */
static enum sym_origin dom0_domain_origin(struct symbiont_domain *d)
{
	char path[DOM0_PATH_MAX], val[16];
	enum sym_origin origin;
	int len;

	snprintf(path, sizeof(path), "/local/domain/%u/data/symbiont/origin",
		 d->domid);
	len = sym_xs_read(&dom0_xs, XBT_NIL, path, "", val, sizeof(val));
	if (len < 0 && len != -E2BIG)
		return SYM_ORIGIN_UNKNOWN;
	if (len < 0 || sym_parse_origin(val, len, &origin)) {
		pr_warn_ratelimited("domain %u: malformed value in %s ignored\n",
				    d->domid, path);
		return SYM_ORIGIN_UNKNOWN;
	}
	return origin;
}

/*
 * How often dom0 reads the transitions count around the state before it
 * gives up on a count of the same moment (the guest kept announcing).
 */
#define DOM0_COUNT_TRIES	3

/* What a domain announced: its state and the count read on either side. */
struct dom0_announcement {
	char dir[DOM0_PATH_MAX];
	char state[16];
	int state_len;		/* sym_xs_read()'s answer for state */
	int count_err[2];	/* sym_xs_read_u64()'s for transitions */
	u64 count[2];
};

static void dom0_announce_read(struct dom0_announcement *a)
{
	a->count_err[0] = sym_xs_read_u64(&dom0_xs, XBT_NIL, a->dir,
					  "transitions", &a->count[0]);
	a->state_len = sym_xs_read(&dom0_xs, XBT_NIL, a->dir, "state",
				   a->state, sizeof(a->state));
	a->count_err[1] = sym_xs_read_u64(&dom0_xs, XBT_NIL, a->dir,
					  "transitions", &a->count[1]);
}

/* The state read lies between two reads of one count: they are one moment. */
static bool dom0_announce_settled(const struct dom0_announcement *a)
{
	return a->count_err[0] == a->count_err[1] &&
	       (a->count_err[0] || a->count[0] == a->count[1]);
}

static bool dom0_domain_announce(struct symbiont_domain *d,
				 enum sym_announce *ann, bool *has_count,
				 u32 *count)
{
	struct dom0_announcement a;
	int tries = 0, err;

	snprintf(a.dir, sizeof(a.dir), "/local/domain/%u/data/symbiont",
		 d->domid);
	do
		dom0_announce_read(&a);
	while (!dom0_announce_settled(&a) && ++tries < DOM0_COUNT_TRIES);

	if (a.state_len < 0 && a.state_len != -ENOENT && a.state_len != -E2BIG) {
		pr_warn_ratelimited("domain %u: cannot read %s/state (%d), retrying\n",
				    d->domid, a.dir, a.state_len);
		dom0_domain_retry(d);
		return false;
	}

	if (a.count_err[1] == -EINVAL ||
	    (!a.count_err[1] && a.count[1] > U32_MAX))
		pr_warn_ratelimited("domain %u: malformed value in %s/transitions ignored\n",
				    d->domid, a.dir);
	*has_count = dom0_announce_settled(&a) && !a.count_err[1] &&
		     a.count[1] <= U32_MAX;
	*count = (u32)a.count[1];

	if (a.state_len == -ENOENT)
		return !sym_parse_announce(NULL, 0, ann);
	err = a.state_len < 0 ? a.state_len :
	      sym_parse_announce(a.state, a.state_len, ann);
	if (err) {
		pr_warn_ratelimited("domain %u: malformed value in %s/state ignored\n",
				    d->domid, a.dir);
		return false;
	}
	return true;
}

/*
 * Another domain is behind d's domid (its identity changed): the domain d
 * described is gone. It takes the step of a vanished domain (lost, or
 * nothing more for one that had migrated out), and everything keyed by
 * the domid goes: the relay's records, its group, its view and its place
 * in its peers' views, its sysfs directory. d is then a record in state
 * none that the caller may admit afresh.
 */
static void dom0_domain_replaced(struct symbiont_domain *d,
				 enum sym_announce ann)
{
	enum sym_member_state old = d->state;
	struct sym_transition t;

	t = sym_member_step(old, ann, SYM_ORIGIN_UNKNOWN, false, d->domid,
			    d->uuid, &dom0_departed);
	d->state = SYM_MEMBER_NONE;
	dom0_domain_record(d, &t, 0);
	/* The new domain's count is not the old one's. */
	memset(&d->merge_count, 0, sizeof(d->merge_count));
	dom0_relay_forget_domid(d);
	dom0_domain_apply(d, old, true);
}

/*
 * The end of a pass over a live domain: a view that a failed write left
 * withdrawn (or a removal left behind) is written now; with nothing left
 * undone, the retry backoff starts again from its minimum.
 */
static void dom0_domain_settle(struct symbiont_domain *d, bool retry)
{
	if (d->view_stale) {
		if (d->group)
			dom0_view_write(d, dom0_group_members(d->group));
		else
			dom0_view_remove(d);
	}
	if (retry)
		dom0_domain_retry(d);
	else if (!d->view_stale)
		d->retry_delay = 0;
}

static void dom0_domain_reconcile(struct symbiont_domain *d)
{
	enum sym_member_state old = d->state;
	struct sym_identity id, was;
	char home[DOM0_PATH_MAX];
	struct sym_transition t;
	enum sym_origin origin;
	enum sym_announce ann;
	bool retry = false, has_count;
	int alive, err;
	u32 count;

	if (sym_watch_registered(&d->watch))
		sym_watch_begin(&d->watch);

	if (!dom0_domain_announce(d, &ann, &has_count, &count))
		return;
	snprintf(home, sizeof(home), "/local/domain/%u", d->domid);
	alive = sym_xs_exists(&dom0_xs, XBT_NIL, home, "");
	if (alive < 0) {
		pr_warn_ratelimited("domain %u: cannot look up %s (%d), retrying\n",
				    d->domid, home, alive);
		dom0_domain_retry(d);
		return;
	}

	/* Identity: of every member, and of a domain asking to join. */
	err = -ENODATA;
	if (alive && (old != SYM_MEMBER_NONE || ann == SYM_ANNOUNCE_JOINED))
		err = dom0_trusted_identity(d->domid, &id);
	if (old != SYM_MEMBER_NONE && alive) {
		dom0_trusted_get(d, &was);
		if (err) {
			pr_warn_ratelimited("domain %u: cannot check its identity (%d), retrying\n",
					    d->domid, err);
			retry = true;
		} else if (!sym_identity_same(&was, &id))
			dom0_domain_replaced(d, ann);
		else if (dom0_trusted_ipv4_update(d, &id))
			dom0_group_changed(d);
		old = d->state;
	}

	if (old == SYM_MEMBER_NONE && alive && ann == SYM_ANNOUNCE_JOINED) {
		if (!err) {
			dom0_trusted_set(d, &id);
			err = dom0_group_join(d);
		}
		if (err) {
			pr_warn_ratelimited("domain %u: cannot admit it yet (%d), retrying\n",
					    d->domid, err);
			dom0_domain_retry(d);
			return;
		}
	}

	/* Only a join asks where the guest comes from (one more read). */
	origin = old == SYM_MEMBER_NONE && alive && ann == SYM_ANNOUNCE_JOINED ?
		 dom0_domain_origin(d) : SYM_ORIGIN_UNKNOWN;
	t = sym_member_step(old, ann, origin, alive, d->domid, d->uuid,
			    &dom0_departed);
	d->state = t.next;
	dom0_domain_record(d, &t, sym_member_merged(&d->merge_count, has_count,
						    count, t.emit));
	dom0_domain_apply(d, old, alive);
	dom0_departed_sweep();

	if (!alive && d->state == SYM_MEMBER_NONE) {
		dom0_domain_free(d);
		return;
	}
	dom0_domain_settle(d, retry);
}

/* @releaseDomain names no domain: let every record look again. */
void dom0_domains_requeue_all(void)
{
	struct symbiont_domain *d;
	unsigned long domid;

	xa_for_each(&dom0_domains, domid, d)
		queue_delayed_work(dom0_wq, &d->work, 0);
}

/* Poll round; reconcile may free the entry being visited, which is fine. */
void dom0_domains_reconcile_all(void)
{
	struct symbiont_domain *d;
	unsigned long domid;

	xa_for_each(&dom0_domains, domid, d)
		dom0_domain_reconcile(d);
}

/*
 * Module exit, after discovery and the groups watch are gone: stop every
 * watch, let queued work finish, then withdraw the views and free.
 */
static void dom0_domains_unwatch_all(struct work_struct *work)
{
	struct symbiont_domain *d;
	unsigned long domid;

	dom0_stopping = true;
	xa_for_each(&dom0_domains, domid, d) {
		dom0_domain_unwatch(d);
		/* A throttle's or a retry's timer must not queue during the drain. */
		cancel_delayed_work(&d->work);
	}
}

void dom0_domains_exit(void)
{
	struct work_struct unwatch_all;
	struct symbiont_domain *d;
	unsigned long domid;

	/*
	 * Unwatch on dom0_wq itself: a reconcile running there may free its
	 * own record, so walking the table from here could race with it.
	 * flush_work, not drain: watches may still queue work until this runs.
	 */
	dom0_relay_stop();
	INIT_WORK_ONSTACK(&unwatch_all, dom0_domains_unwatch_all);
	queue_work(dom0_wq, &unwatch_all);
	flush_work(&unwatch_all);
	destroy_work_on_stack(&unwatch_all);
	drain_workqueue(dom0_wq);
	/* No reconcile can run now to arm it again. */
	cancel_delayed_work_sync(&departed_work);

	xa_for_each(&dom0_domains, domid, d) {
		cancel_delayed_work_sync(&d->work);
		dom0_relay_detach(d);
		if (d->state != SYM_MEMBER_NONE) {
			list_del_init(&d->group_node);
			d->group = NULL;
			dom0_view_remove(d);
			dom0_member_remove(d);
		}
		dom0_domain_erase(d);
	}
	dom0_groups_exit();
}

void dom0_domains_init(void)
{
	sym_departed_init(&dom0_departed);
	INIT_DELAYED_WORK(&departed_work, dom0_departed_work);
}
