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
 *     -> fp_record_read() validates it (M's role: granter iff M < P)
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
 * A record per domain is found the way discover.c finds domains:
 * @introduceDomain and @releaseDomain (own watches) list /local/domain.
 * Each record always watches /local/domain/<d>/symbiont/generation, which
 * only dom0 writes (no guest can make it fire); only while the domain is a
 * member does it also watch the guest-writable fastpath directory. A
 * guest rewriting that directory in a loop costs one queued work item at a
 * time (coalesced_watch) and at most 4 + FP_RELAY_MAX_PAGES reads per
 * peer per run.
 *
 * Serialisation: every work item runs on dom0_wq, the ordered workqueue
 * that also runs membership, groups and view.c, so the relay reads
 * struct symbiont_domain (state, group, view_generation) with no lock and
 * updates view_generation itself. Lock order: none taken here besides
 * the xarray's internal lock.
 *
 * Lifetime: a relay record lives from the scan that saw its domain to the
 * scan that no longer does (or module exit); its watches are unregistered
 * and its work cancelled before it is freed.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/bitmap.h>
#include <linux/moduleparam.h>
#include <linux/slab.h>
#include <linux/xarray.h>
#include "dom0.h"
#include "fp_proto.h"

#define RELAY_TRIES	10

static bool fastpath_relay;
module_param(fastpath_relay, bool, 0444);
MODULE_PARM_DESC(fastpath_relay, "relay fast-path channel records between group members (default off)");

struct relay_dom {
	u16 domid;
	struct coalesced_watch view_watch;	/* symbiont/generation */
	struct coalesced_watch fp_watch;	/* data/symbiont/fastpath */
	struct work_struct view_work;
	struct work_struct fp_work;
	struct xarray written;	/* peer M -> struct fp_record in our view */
};

static DEFINE_XARRAY(relay_doms);
static struct coalesced_watch intro_watch, release_watch;
static struct work_struct scan_work;
/* Set at exit; work that sees it does nothing (it registers no watch). */
static bool relay_stopping;

/* A member whose views the relay may write into. */
static struct symbiont_domain *relay_member(u16 domid)
{
	struct symbiont_domain *d = dom0_domain_find(domid);

	if (!d || d->state == SYM_MEMBER_NONE || !d->group)
		return NULL;
	return d;
}

/* fp_read_fn over /local/domain/<M>/data/symbiont/fastpath/<P>/. */
struct relay_read_ctx {
	struct xenbus_transaction t;
	char dir[DOM0_PATH_MAX];
};

static int relay_read(void *ctx, const char *node, char *buf, size_t size,
		      size_t *len)
{
	struct relay_read_ctx *c = ctx;
	char path[DOM0_PATH_MAX];
	unsigned int vlen;
	char *val;

	snprintf(path, sizeof(path), "%s/%s", c->dir, node);
	val = dom0_xs_read(c->t, path, &vlen);
	if (IS_ERR(val))
		return PTR_ERR(val);
	if (vlen >= size) {
		kfree(val);
		return -E2BIG;
	}
	memcpy(buf, val, vlen);
	buf[vlen] = '\0';
	*len = vlen;
	kfree(val);
	return 0;
}

/* Reads M's record for P in one transaction; -EPROTO if malformed. */
static int relay_read_record(u16 m, u16 p, struct fp_record *rec)
{
	struct relay_read_ctx c;
	int tries, err;

	snprintf(c.dir, sizeof(c.dir),
		 "/local/domain/%u/data/symbiont/fastpath/%u", m, p);
	for (tries = 0; tries < RELAY_TRIES; tries++) {
		err = dom0_xs_transaction_start(&c.t);
		if (err)
			return err;
		err = fp_record_read(relay_read, &c, m < p, rec);
		/* Read-only: ending it checks nothing we need, so abort. */
		dom0_xs_transaction_end(c.t, true);
		if (err != -EAGAIN)
			return err;
	}
	return -EAGAIN;
}

static int relay_put_node(struct xenbus_transaction t, const char *dir,
			  const char *node, u32 value)
{
	char path[DOM0_PATH_MAX];
	char val[16];

	snprintf(path, sizeof(path), "%s/%s", dir, node);
	snprintf(val, sizeof(val), "%u", value);
	return dom0_xs_write(t, path, val);
}

/* -ENOENT when P's view has no peers/M (nothing to attach the record to). */
static int relay_fill(struct xenbus_transaction t, u16 p, u16 m,
		      const struct fp_record *rec, u64 generation)
{
	char peer[DOM0_PATH_MAX], dir[DOM0_PATH_MAX], path[DOM0_PATH_MAX];
	char node[24], gen[24];
	u32 i;
	int err;

	snprintf(peer, sizeof(peer), "/local/domain/%u/symbiont/peers/%u",
		 p, m);
	err = dom0_xs_exists(t, peer);
	if (err <= 0)
		return err ? err : -ENOENT;

	snprintf(dir, sizeof(dir), "%s/fastpath", peer);
	err = dom0_xs_rm(t, dir);
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
	if (!err) {
		snprintf(path, sizeof(path), "%s/state", dir);
		err = dom0_xs_write(t, path, fp_state_name(rec->state));
	}
generation:
	if (err)
		return err;
	snprintf(path, sizeof(path), "/local/domain/%u/symbiont/generation", p);
	snprintf(gen, sizeof(gen), "%llu", generation);
	return dom0_xs_write(t, path, gen);
}

/* Writes rec (FP_XS_ABSENT: removes it) into P's view for M. */
struct relay_fill_ctx {
	u16 p;
	u16 m;
	const struct fp_record *rec;
	u64 generation;
};

static int relay_fill_fn(struct xenbus_transaction t, void *arg)
{
	struct relay_fill_ctx *ctx = arg;

	return relay_fill(t, ctx->p, ctx->m, ctx->rec, ctx->generation);
}

static int relay_write(struct symbiont_domain *dp, u16 m,
		       const struct fp_record *rec)
{
	struct relay_fill_ctx ctx = {
		.p = dp->domid,
		.m = m,
		.rec = rec,
		.generation = dp->view_generation + 1,
	};
	u64 generation = ctx.generation;
	int err;

	err = dom0_xs_transact(relay_fill_fn, &ctx, RELAY_TRIES);
	if (!err)
		dp->view_generation = generation;
	return err;
}

/* Brings P's view of M's record in line with rec; caches what it wrote. */
static void relay_put(struct relay_dom *rp, struct symbiont_domain *dp,
		      u16 m, const struct fp_record *rec, bool force)
{
	struct fp_record *cached = xa_load(&rp->written, m);
	struct fp_record *copy;
	int err;

	if (!force && cached && fp_record_equal(cached, rec))
		return;
	if (!force && !cached && rec->state == FP_XS_ABSENT)
		return;

	err = relay_write(dp, m, rec);
	if (err == -ENOENT) {
		/* M is not in P's view (yet); view_work will come back. */
		kfree(xa_erase(&rp->written, m));
		return;
	}
	if (err) {
		pr_warn_ratelimited("domain %u: cannot relay fast path of %u (%d)\n",
				    dp->domid, m, err);
		return;
	}
	if (rec->state == FP_XS_ABSENT) {
		kfree(xa_erase(&rp->written, m));
		return;
	}
	copy = kmemdup(rec, sizeof(*rec), GFP_KERNEL);
	if (!copy || xa_is_err(xa_store(&rp->written, m, copy, GFP_KERNEL)))
		kfree(copy);
	else
		kfree(cached);
}

/* M's record for P (a malformed one counts as absent) into P's view. */
static void relay_pull(u16 m, struct relay_dom *rp, struct symbiont_domain *dp,
		       struct fp_record *rec)
{
	int err = relay_read_record(m, rp->domid, rec);

	if (err == -EPROTO) {
		pr_warn_ratelimited("domain %u: malformed fast-path record for %u ignored\n",
				    m, rp->domid);
		rec->state = FP_XS_ABSENT;
	} else if (err) {
		return;
	}
	relay_put(rp, dp, m, rec, false);
}

/* M's fastpath directory changed: relay its records to its group. */
static void relay_fp_work(struct work_struct *work)
{
	struct relay_dom *rm = container_of(work, struct relay_dom, fp_work);
	struct symbiont_domain *dm, *dp;
	struct fp_record *rec;
	struct relay_dom *rp;
	unsigned long p;

	if (READ_ONCE(relay_stopping))
		return;

	coalesced_watch_begin(&rm->fp_watch);
	dom0_work_ran();
	dm = relay_member(rm->domid);
	if (!dm)
		return;
	rec = kmalloc(sizeof(*rec), GFP_KERNEL);
	if (!rec)
		return;

	xa_for_each(&relay_doms, p, rp) {
		dp = relay_member(p);
		if (p == rm->domid || !dp || dp->group != dm->group)
			continue;
		relay_pull(rm->domid, rp, dp, rec);
	}
	kfree(rec);
}

/* Every other member of P's group: its record for P, into P's view. */
static void relay_pull_all(struct relay_dom *rp, struct symbiont_domain *dp)
{
	struct symbiont_domain *dm;
	struct fp_record *rec;
	unsigned long m;
	void *entry;

	rec = kmalloc(sizeof(*rec), GFP_KERNEL);
	if (!rec)
		return;
	xa_for_each(&relay_doms, m, entry) {
		dm = relay_member(m);
		if (m == rp->domid || !dm || dm->group != dp->group)
			continue;
		relay_pull(m, rp, dp, rec);
	}
	kfree(rec);
}

/* Every record cached for P, forgetting those of peers no longer in its group. */
static void relay_reput_all(struct relay_dom *rp, struct symbiont_domain *dp)
{
	char path[DOM0_PATH_MAX];
	struct symbiont_domain *dm;
	struct fp_record *rec;
	unsigned long m;
	int exists;

	xa_for_each(&rp->written, m, rec) {
		dm = relay_member(m);
		if (!dm || dm->group != dp->group) {
			kfree(xa_erase(&rp->written, m));
			continue;
		}
		snprintf(path, sizeof(path),
			 "/local/domain/%u/symbiont/peers/%lu/fastpath",
			 dp->domid, m);
		exists = dom0_xs_exists(XBT_NIL, path);
		if (exists == 0)
			relay_put(rp, dp, m, rec, true);
	}
}

static void relay_unwatch_fp(struct relay_dom *rp)
{
	struct fp_record *rec;
	unsigned long m;

	if (coalesced_watch_registered(&rp->fp_watch)) {
		dom0_xs_count();
		coalesced_watch_unregister(&rp->fp_watch);
	}
	/* On dom0_wq: the work is not running, drop a queued instance. */
	cancel_work(&rp->fp_work);
	xa_for_each(&rp->written, m, rec)
		kfree(xa_erase(&rp->written, m));
}

/* P's view changed (view.c, the relay itself, or removal). */
static void relay_view_work(struct work_struct *work)
{
	struct relay_dom *rp = container_of(work, struct relay_dom, view_work);
	struct symbiont_domain *dp;
	char path[DOM0_PATH_MAX];
	int err;

	if (READ_ONCE(relay_stopping))
		return;

	coalesced_watch_begin(&rp->view_watch);
	dom0_work_ran();
	dp = relay_member(rp->domid);
	if (!dp) {
		relay_unwatch_fp(rp);
		return;
	}
	if (!coalesced_watch_registered(&rp->fp_watch)) {
		snprintf(path, sizeof(path),
			 "/local/domain/%u/data/symbiont/fastpath", rp->domid);
		dom0_xs_count();
		/* Fires once at once: relay_fp_work relays what is there. */
		err = coalesced_watch_register(&rp->fp_watch, path, dom0_wq,
					       &rp->fp_work);
		if (err)
			pr_warn_ratelimited("domain %u: cannot watch %s (%d)\n",
					    rp->domid, path, err);
	}
	relay_reput_all(rp, dp);
	/*
	 * Records P's view could not take before (no peers/M yet: a peer
	 * that offered before view.c listed it, e.g. right after a restore).
	 */
	relay_pull_all(rp, dp);
}

static int relay_dom_add(u16 domid)
{
	char path[DOM0_PATH_MAX];
	struct relay_dom *rp;
	int err;

	rp = kzalloc(sizeof(*rp), GFP_KERNEL);
	if (!rp)
		return -ENOMEM;
	rp->domid = domid;
	xa_init(&rp->written);
	INIT_WORK(&rp->view_work, relay_view_work);
	INIT_WORK(&rp->fp_work, relay_fp_work);
	err = xa_insert(&relay_doms, domid, rp, GFP_KERNEL);
	if (err)
		goto free_dom;

	snprintf(path, sizeof(path), "/local/domain/%u/symbiont/generation",
		 domid);
	dom0_xs_count();
	err = coalesced_watch_register(&rp->view_watch, path, dom0_wq,
				       &rp->view_work);
	if (err)
		goto erase_dom;
	return 0;

erase_dom:
	xa_erase(&relay_doms, domid);
free_dom:
	kfree(rp);
	return err;
}

/* On dom0_wq (or at exit after draining it). */
static void relay_dom_free(struct relay_dom *rp)
{
	relay_unwatch_fp(rp);
	if (coalesced_watch_registered(&rp->view_watch)) {
		dom0_xs_count();
		coalesced_watch_unregister(&rp->view_watch);
	}
	cancel_work(&rp->view_work);
	xa_erase(&relay_doms, rp->domid);
	xa_destroy(&rp->written);
	kfree(rp);
}

/* @introduceDomain / @releaseDomain: reconcile records with /local/domain. */
static void relay_scan_work(struct work_struct *work)
{
	unsigned long *seen;
	struct relay_dom *rp;
	unsigned int i, num;
	unsigned long domid;
	char **dir;
	u16 d;

	if (READ_ONCE(relay_stopping))
		return;

	coalesced_watch_begin(&intro_watch);
	coalesced_watch_begin(&release_watch);
	dom0_work_ran();

	dir = dom0_xs_directory("/local/domain", &num);
	if (IS_ERR(dir)) {
		pr_warn_ratelimited("relay: cannot list /local/domain (%ld)\n",
				    PTR_ERR(dir));
		return;
	}
	seen = bitmap_zalloc(SYM_DOMID_FIRST_RESERVED, GFP_KERNEL);
	if (!seen)
		goto free_dir;

	for (i = 0; i < num; i++) {
		if (sym_parse_domid(dir[i], strlen(dir[i]), &d) || d == 0)
			continue;
		set_bit(d, seen);
		if (!xa_load(&relay_doms, d) && relay_dom_add(d))
			pr_warn_ratelimited("relay: cannot track domain %u\n", d);
	}
	xa_for_each(&relay_doms, domid, rp)
		if (!test_bit(domid, seen))
			relay_dom_free(rp);

	bitmap_free(seen);
free_dir:
	kfree(dir);
}

int dom0_relay_init(void)
{
	int err;

	if (!fastpath_relay)
		return 0;

	INIT_WORK(&scan_work, relay_scan_work);
	dom0_xs_count();
	err = coalesced_watch_register(&intro_watch, "@introduceDomain",
				       dom0_wq, &scan_work);
	if (err)
		return err;
	dom0_xs_count();
	err = coalesced_watch_register(&release_watch, "@releaseDomain",
				       dom0_wq, &scan_work);
	if (err)
		goto unwatch_intro;
	pr_info("fast-path relay on\n");
	return 0;

unwatch_intro:
	coalesced_watch_unregister(&intro_watch);
	cancel_work_sync(&scan_work);
	return err;
}

/* Before discovery stops: nothing of ours may run on dom0_wq afterwards. */
void dom0_relay_exit(void)
{
	struct relay_dom *rp;
	unsigned long domid;

	if (!fastpath_relay)
		return;

	coalesced_watch_unregister(&release_watch);
	coalesced_watch_unregister(&intro_watch);
	WRITE_ONCE(relay_stopping, true);
	/*
	 * Work that started before the store may still register a watch:
	 * wait for it. Work that starts after it returns at once.
	 */
	flush_workqueue(dom0_wq);
	xa_for_each(&relay_doms, domid, rp) {
		coalesced_watch_unregister(&rp->view_watch);
		coalesced_watch_unregister(&rp->fp_watch);
	}
	/* No watch can queue our work now; let what is queued finish. */
	flush_workqueue(dom0_wq);
	cancel_work_sync(&scan_work);
	xa_for_each(&relay_doms, domid, rp) {
		cancel_work_sync(&rp->view_work);
		cancel_work_sync(&rp->fp_work);
		relay_dom_free(rp);
	}
}
