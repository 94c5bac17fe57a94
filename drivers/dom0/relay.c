// SPDX-License-Identifier: GPL-2.0
/*
 * relay.c - the dom0 half of the fast-path negotiation
 * (Documentation/fastpath.md): guests cannot read each other's XenStore,
 * so dom0 copies each guest's channel records into its peers' views.
 *
 * Off unless fastpath_relay=1; then nothing else in the module changes.
 *
 * Data flow:
 *
 *   guest M writes  /local/domain/M/data/symbiont/fastpath/<P>/{state,...}
 *     -> fp watch of M (coalesced) -> relay_fp_work(M)
 *     -> sym_fp_record_read() validates it (M's role: granter iff M < P)
 *     -> relay_put(P, M): one transaction writes
 *        /local/domain/P/symbiont/peers/M/fastpath/... and bumps P's
 *        generation, only if P still has peers/M in its view
 *
 *   view.c rewrites P's view (it removes peers/ wholesale)
 *     -> view watch of P (coalesced) -> relay_view_work(P)
 *     -> re-puts every record cached for P whose node is now missing,
 *        then pulls every group member's record for P that differs from
 *        what P's view holds (one written while P's view had no peers/M)
 *
 * Between two members that dom0_fastpath_allowed() refuses (the admin's
 * switch, trusted.c) nothing is relayed, and what was is withdrawn: the
 * pair cannot set up a channel whatever its guests do, since the mapper
 * learns the granter's grant references and event channel only here.
 *
 * The relay keeps no table of its own: its state for a domain hangs off
 * dom0's one domain record (d->relay), created and freed with it
 * (domains.c), so it learns of domains through discover.c like the rest
 * of the module. Each record always watches
 * /local/domain/<d>/symbiont/generation, which only dom0 writes (no guest
 * can make it fire); only while the domain is a member does it also watch
 * the guest-writable fastpath directory. A guest rewriting that directory
 * in a loop costs one queued work item at a time (sym_watch) and at most
 * 4 + FP_RELAY_MAX_PAGES reads per peer per run. Both watches count in
 * dom0's stats.
 *
 * Fail closed: a record that cannot be put into P's view is taken out of
 * it (one transaction removes peers/M/fastpath and bumps the generation;
 * if even that fails, view.c withdraws P's whole view), so P never keeps
 * a record of M's older than M's own; M's fp_work is then queued again
 * with a backoff (dom0_backoff) and puts it afresh.
 *
 * Serialisation: every work item runs on dom0_wq, the ordered workqueue
 * that also runs membership, groups and view.c, so the relay reads
 * struct symbiont_domain (state, group, view_generation) with no lock and
 * updates view_generation itself. Lock order: none taken here besides
 * the xarray's internal lock.
 *
 * Lifetime: d->relay lives from dom0_relay_attach() (domain record
 * created) to dom0_relay_detach() (record freed), which runs after
 * dom0_relay_unwatch() and cancels the relay's work first.
 */
#include <linux/moduleparam.h>
#include <linux/slab.h>
#include <linux/xarray.h>
#include "dom0.h"
#include "fp_proto.h"

static bool fastpath_relay;
module_param(fastpath_relay, bool, 0444);
MODULE_PARM_DESC(fastpath_relay, "relay fast-path channel records between group members (default off)");

struct dom0_relay {
	struct symbiont_domain *d;
	struct sym_watch view_watch;	/* symbiont/generation */
	struct sym_watch fp_watch;	/* data/symbiont/fastpath */
	struct work_struct view_work;
	struct delayed_work fp_work;	/* delayed only when throttled */
	struct sym_rate fp_rate;	/* the guest's own writes: dom0_throttle */
	unsigned long retry_delay;	/* of fp_work after a failed put */
	struct xarray written;	/* peer M -> struct sym_fp_record in our view */
};

/* Set at exit; work that sees it does nothing (it registers no watch). */
static bool relay_stopping;

static bool relay_is_member(const struct symbiont_domain *d)
{
	return d && d->state != SYM_MEMBER_NONE && d->group;
}

/* sym_fp_read_fn over /local/domain/<M>/data/symbiont/fastpath/<P>/. */
struct relay_read_ctx {
	struct xenbus_transaction t;
	char dir[DOM0_PATH_MAX];
	u16 m, p;
	struct sym_fp_record *rec;
	int verdict;		/* sym_fp_record_read()'s, of the committed try */
};

static int relay_read(void *ctx, const char *node, char *buf, size_t size,
		      size_t *len)
{
	struct relay_read_ctx *c = ctx;
	int n;

	n = sym_xs_read(&dom0_xs, c->t, c->dir, node, buf, size);
	if (n < 0)
		return n;
	*len = n;
	return 0;
}

/*
 * A malformed record is a verdict only if the transaction commits:
 * xenstored reads each node as it is when asked and finds a concurrent
 * commit only at the end, so a try that met M rewriting its record can
 * see the new state with the old nodes. Such a try fails to commit
 * (-EAGAIN) and is read again.
 */
static int relay_read_fill(struct xenbus_transaction t, void *arg)
{
	struct relay_read_ctx *c = arg;

	c->t = t;
	c->verdict = sym_fp_record_read(relay_read, c, c->m < c->p, c->rec);
	return c->verdict == -EPROTO ? 0 : c->verdict;
}

/*
 * Reads M's record for P in one committed transaction, so its nodes are
 * one consistent snapshot (M rewrites them in one transaction of its
 * own); -EPROTO if malformed.
 */
static int relay_read_record(u16 m, u16 p, struct sym_fp_record *rec)
{
	struct relay_read_ctx c = { .m = m, .p = p, .rec = rec };
	int err;

	snprintf(c.dir, sizeof(c.dir),
		 "/local/domain/%u/data/symbiont/fastpath/%u", m, p);
	err = sym_xs_transact(&dom0_xs, relay_read_fill, &c);
	return err ? err : c.verdict;
}

static int relay_put_node(struct xenbus_transaction t, const char *dir,
			  const char *node, u32 value)
{
	return sym_xs_printf(&dom0_xs, t, dir, node, "%u", value);
}

/* -ENOENT when P's view has no peers/M (nothing to attach the record to). */
static int relay_fill(struct xenbus_transaction t, u16 p, u16 m,
		      const struct sym_fp_record *rec, u64 generation)
{
	char peer[DOM0_PATH_MAX], dir[DOM0_PATH_MAX], home[DOM0_PATH_MAX];
	char node[24];
	u32 i;
	int err;

	snprintf(peer, sizeof(peer), "/local/domain/%u/symbiont/peers/%u",
		 p, m);
	err = sym_xs_exists(&dom0_xs, t, peer, "");
	if (err <= 0)
		return err ? err : -ENOENT;

	snprintf(dir, sizeof(dir), "%s/fastpath", peer);
	err = sym_xs_rm(&dom0_xs, t, dir, "");
	if (err || rec->state == FP_XS_ABSENT)
		goto generation;

	switch (rec->state) {
	case FP_XS_OFFERED:
		err = relay_put_node(t, dir, "evtchn", rec->evtchn);
		if (!err)
			err = relay_put_node(t, dir, "nr-pages", rec->nr_pages);
		for (i = 0; !err && i < rec->nr_pages; i++) {
			snprintf(node, sizeof(node), "ring-ref-%u", i);
			err = relay_put_node(t, dir, node, rec->refs[i]);
		}
		fallthrough;
	case FP_XS_CONNECTED:
		if (!err)
			err = relay_put_node(t, dir, "epoch", rec->epoch);
		break;
	default:
		break;
	}
	if (!err)
		err = sym_xs_write(&dom0_xs, t, dir, "state",
				   sym_fp_state_name(rec->state));
generation:
	if (err)
		return err;
	snprintf(home, sizeof(home), "/local/domain/%u/symbiont", p);
	return sym_xs_printf(&dom0_xs, t, home, "generation", "%llu",
			     generation);
}

/* Writes rec (FP_XS_ABSENT: removes it) into P's view for M. */
struct relay_fill_ctx {
	u16 p;
	u16 m;
	const struct sym_fp_record *rec;
	u64 generation;
};

static int relay_fill_fn(struct xenbus_transaction t, void *arg)
{
	struct relay_fill_ctx *ctx = arg;

	return relay_fill(t, ctx->p, ctx->m, ctx->rec, ctx->generation);
}

static int relay_write(struct symbiont_domain *dp, u16 m,
		       const struct sym_fp_record *rec)
{
	struct relay_fill_ctx ctx = {
		.p = dp->domid,
		.m = m,
		.rec = rec,
		.generation = dp->view_generation + 1,
	};
	int err;

	err = sym_xs_transact(&dom0_xs, relay_fill_fn, &ctx);
	if (!err)
		dp->view_generation = ctx.generation;
	return err;
}

static const struct sym_fp_record relay_absent = { .state = FP_XS_ABSENT };

/* M's relay runs again later and puts what it could not. */
static void relay_retry(u16 m)
{
	struct symbiont_domain *dm = dom0_domain_find(m);
	struct dom0_relay *r = dm ? dm->relay : NULL;

	if (r && !READ_ONCE(relay_stopping))
		queue_delayed_work(dom0_wq, &r->fp_work,
				   dom0_backoff(&r->retry_delay));
}

/*
 * Brings P's view of M's record in line with rec; caches what it wrote.
 * Returns 0, or the error of a put that failed (the record is then
 * withdrawn from P's view and retried).
 */
static int relay_put(struct symbiont_domain *dp, u16 m,
		     const struct sym_fp_record *rec, bool force)
{
	struct xarray *written = &dp->relay->written;
	struct sym_fp_record *cached = xa_load(written, m);
	struct sym_fp_record *copy;
	int err, withdrawn;

	if (!force && cached && sym_fp_record_equal(cached, rec))
		return 0;
	if (!force && !cached && rec->state == FP_XS_ABSENT)
		return 0;

	err = relay_write(dp, m, rec);
	if (err == -ENOENT) {
		/* M is not in P's view (yet); view_work will come back. */
		kfree(xa_erase(written, m));
		return 0;
	}
	if (err) {
		pr_warn_ratelimited("domain %u: cannot relay fast path of %u (%d), withdrawn until a retry puts it\n",
				    dp->domid, m, err);
		kfree(xa_erase(written, m));
		withdrawn = relay_write(dp, m, &relay_absent);
		if (withdrawn && withdrawn != -ENOENT)
			dom0_view_failed(dp);
		relay_retry(m);
		return err;
	}
	if (rec->state == FP_XS_ABSENT) {
		kfree(xa_erase(written, m));
		return 0;
	}
	copy = kmemdup(rec, sizeof(*rec), GFP_KERNEL);
	if (!copy || xa_is_err(xa_store(written, m, copy, GFP_KERNEL)))
		kfree(copy);
	else
		kfree(cached);
	return 0;
}

/*
 * M's record for P (a malformed one counts as absent) into P's view; 0, or
 * the error of a read or put that is to be retried.
 */
static int relay_pull(struct symbiont_domain *dm, struct symbiont_domain *dp,
		      struct sym_fp_record *rec)
{
	int err;

	/* The admin's switch or a bad ip node: carry nothing between them. */
	if (!dom0_fastpath_allowed(dm, dp)) {
		rec->state = FP_XS_ABSENT;
		return relay_put(dp, dm->domid, rec, false);
	}
	err = relay_read_record(dm->domid, dp->domid, rec);
	if (err == -EPROTO) {
		pr_warn_ratelimited("domain %u: malformed fast-path record for %u ignored\n",
				    dm->domid, dp->domid);
		rec->state = FP_XS_ABSENT;
	} else if (err) {
		relay_retry(dm->domid);
		return err;
	}
	return relay_put(dp, dm->domid, rec, false);
}

/*
 * Every other member of d's group: with to_peers, d's record for it into
 * its view (d's fastpath directory changed); otherwise its record for d
 * into d's view.
 */
static int relay_pull_group(struct symbiont_domain *d, bool to_peers)
{
	struct symbiont_domain *other;
	struct sym_fp_record *rec;
	int failed = 0;

	rec = kmalloc(sizeof(*rec), GFP_KERNEL);
	if (!rec)
		return -ENOMEM;
	list_for_each_entry(other, dom0_group_members(d->group), group_node) {
		if (other == d || !relay_is_member(other) || !other->relay)
			continue;
		if (to_peers ? relay_pull(d, other, rec) : relay_pull(other, d, rec))
			failed++;
	}
	kfree(rec);
	return failed;
}

/* M's fastpath directory changed: relay its records to its group. */
static void relay_fp_work(struct work_struct *work)
{
	struct dom0_relay *r = container_of(to_delayed_work(work),
					    struct dom0_relay, fp_work);

	if (READ_ONCE(relay_stopping) || dom0_throttle(&r->fp_rate, &r->fp_work))
		return;
	sym_watch_begin(&r->fp_watch);
	dom0_work_ran();
	if (relay_is_member(r->d) && !relay_pull_group(r->d, true))
		r->retry_delay = 0;
}

/* Every record cached for P, forgetting those of peers no longer in its group. */
static void relay_reput_all(struct symbiont_domain *dp)
{
	struct symbiont_domain *dm;
	struct sym_fp_record *rec;
	char path[DOM0_PATH_MAX];
	unsigned long m;

	xa_for_each(&dp->relay->written, m, rec) {
		dm = dom0_domain_find(m);
		if (!relay_is_member(dm) || dm->group != dp->group ||
		    !dom0_fastpath_allowed(dm, dp)) {
			kfree(xa_erase(&dp->relay->written, m));
			continue;
		}
		snprintf(path, sizeof(path),
			 "/local/domain/%u/symbiont/peers/%lu/fastpath",
			 dp->domid, m);
		if (sym_xs_exists(&dom0_xs, XBT_NIL, path, "") == 0)
			relay_put(dp, m, rec, true);
	}
}

static void relay_forget(struct dom0_relay *r)
{
	struct sym_fp_record *rec;
	unsigned long m;

	sym_watch_unregister(&r->fp_watch);
	/*
	 * On dom0_wq the work is not running: this drops a queued instance
	 * or a throttled one's timer. At exit (after the drain) that timer
	 * may just have fired: wait for the instance it queued.
	 */
	cancel_delayed_work_sync(&r->fp_work);
	xa_for_each(&r->written, m, rec)
		kfree(xa_erase(&r->written, m));
}

/* P's view changed (view.c, the relay itself, or removal). */
static void relay_view_work(struct work_struct *work)
{
	struct dom0_relay *r = container_of(work, struct dom0_relay, view_work);
	struct symbiont_domain *dp = r->d;
	char path[DOM0_PATH_MAX];
	int err;

	if (READ_ONCE(relay_stopping))
		return;
	sym_watch_begin(&r->view_watch);
	dom0_work_ran();
	if (!relay_is_member(dp)) {
		relay_forget(r);
		return;
	}
	if (!sym_watch_registered(&r->fp_watch)) {
		snprintf(path, sizeof(path),
			 "/local/domain/%u/data/symbiont/fastpath", dp->domid);
		/* Fires once at once: relay_fp_work relays what is there. */
		err = sym_watch_register(&r->fp_watch, &dom0_xs, path, dom0_wq,
					 &r->fp_work.work);
		if (err)
			pr_warn_ratelimited("domain %u: cannot watch %s (%d)\n",
					    dp->domid, path, err);
	}
	relay_reput_all(dp);
	/*
	 * Records P's view could not take before (no peers/M yet: a peer
	 * that offered before view.c listed it, e.g. right after a restore).
	 */
	relay_pull_group(dp, false);
}

/* A new domain record (on dom0_wq or at init). */
int dom0_relay_attach(struct symbiont_domain *d)
{
	char path[DOM0_PATH_MAX];
	struct dom0_relay *r;
	int err;

	if (!fastpath_relay)
		return 0;
	r = kzalloc(sizeof(*r), GFP_KERNEL);
	if (!r)
		return -ENOMEM;
	r->d = d;
	xa_init(&r->written);
	INIT_WORK(&r->view_work, relay_view_work);
	INIT_DELAYED_WORK(&r->fp_work, relay_fp_work);

	snprintf(path, sizeof(path), "/local/domain/%u/symbiont/generation",
		 d->domid);
	err = sym_watch_register(&r->view_watch, &dom0_xs, path, dom0_wq,
				 &r->view_work);
	if (err) {
		kfree(r);
		return err;
	}
	d->relay = r;
	return 0;
}

/* No relay work of d is queued by a watch after this returns. */
void dom0_relay_unwatch(struct symbiont_domain *d)
{
	if (!d->relay)
		return;
	sym_watch_unregister(&d->relay->view_watch);
	sym_watch_unregister(&d->relay->fp_watch);
}

/*
 * After dom0_relay_unwatch(), on dom0_wq (the relay's work is not running)
 * or at exit once dom0_wq is drained.
 */
void dom0_relay_detach(struct symbiont_domain *d)
{
	struct dom0_relay *r = d->relay;

	if (!r)
		return;
	cancel_work(&r->view_work);
	relay_forget(r);
	xa_destroy(&r->written);
	kfree(r);
	d->relay = NULL;
}

/*
 * Another domain is behind d's domid (domains.c, before d leaves its
 * group): drop every record cached under that domid, d's own (its peers'
 * records in its view, meant for the old domain) and each group peer's
 * cached record of d, so that nothing of the old domain is re-put into a
 * view. On dom0_wq.
 */
void dom0_relay_forget_domid(struct symbiont_domain *d)
{
	struct symbiont_domain *other;

	if (!d->relay)
		return;
	relay_forget(d->relay);
	if (!d->group)
		return;
	list_for_each_entry(other, dom0_group_members(d->group), group_node)
		if (other != d && other->relay)
			kfree(xa_erase(&other->relay->written, d->domid));
}

void dom0_relay_init(void)
{
	if (fastpath_relay)
		pr_info("fast-path relay on\n");
}

/* Module exit, before the domain watches go: no relay work acts after it. */
void dom0_relay_stop(void)
{
	WRITE_ONCE(relay_stopping, true);
}
