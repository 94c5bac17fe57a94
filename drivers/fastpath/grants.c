// SPDX-License-Identifier: GPL-2.0
/*
 * grants.c - the granter's grant references, counted, capped, and never
 * more than one channel's worth outstanding to a peer.
 *
 * What: every page the fast path grants goes through fp_grant_page() and
 * comes back through fp_grant_end(), one teardown's worth at a time
 * (fp_grants_retain() closes it).
 *  - Counted: fp_grants_used is every reference granted and not yet
 *    ended, retained ones included. An offer that would take it past the
 *    max_grants parameter fails (fp_grants_may_offer(): -ENOSPC, one log
 *    line), so the fast path can never take the grant table the domain's
 *    own PV devices need.
 *  - Retained: at teardown a grant the peer still maps is not handed to
 *    gnttab_end_foreign_access(), whose deferred list would let a peer
 *    that keeps every offer mapped pin a fresh channel's worth of pages
 *    and references per offer. It is kept here with its page, by peer
 *    domid. The state machine offers nothing to a peer with retained
 *    grants (fp_grants_retained() is the fact grants_retained). When the
 *    peer leaves our view, its retained pages are zeroed
 *    (fp_grants_peer_left()): nothing of the channel stays readable by a
 *    later domain with the same domid.
 *  - Swept: a delayed work on fp_wq ends every retained grant the peer
 *    has let go of and frees its page; once none of a peer's is left, it
 *    steps that peer's channel START, and the offer that waited goes out.
 *    It runs while anything is retained, from FP_SWEEP_MIN apart backing
 *    off to FP_SWEEP_MAX. A domain that dies or is restored lets go of
 *    everything (Xen unmaps a dead domain's maps; a restored domain starts
 *    with an empty grant table).
 *  - Unload: what is still retained goes to gnttab_end_foreign_access(),
 *    which frees it once the peer unmaps; the log says how many.
 *
 * Locking: fp_lock for the list and the counters (every caller holds it;
 * the sweep takes it). Lifetime: an fp_retained lives from the teardown
 * that made it until its last grant ended (or unload).
 */
#include <linux/highmem.h>
#include <linux/list.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/workqueue.h>
#include <xen/grant_table.h>
#include <xen/page.h>
#include "fastpath.h"

#define FP_SWEEP_MIN	(HZ / 10)
#define FP_SWEEP_MAX	(5 * HZ)
#define FP_DEFAULT_GRANT_CHANNELS	16

static unsigned int max_grants = FP_DEFAULT_GRANT_CHANNELS * FP_NR_PAGES;
module_param(max_grants, uint, 0444);
MODULE_PARM_DESC(max_grants, "grant references the fast path may use at once, over all peers (default 16 channels' worth)");

/* One teardown's grants that the peer still mapped. */
struct fp_retained {
	struct list_head node;
	u16 peer;
	unsigned int n;
	grant_ref_t refs[FP_NR_PAGES];
	struct page *pages[FP_NR_PAGES];
};

static LIST_HEAD(fp_retained_list);
static unsigned int fp_grants_used;
static unsigned int fp_grants_kept;	/* of which retained */
static unsigned long fp_sweep_delay = FP_SWEEP_MIN;
static void fp_sweep_work_fn(struct work_struct *work);
static DECLARE_DELAYED_WORK(fp_sweep_work, fp_sweep_work_fn);

unsigned int fp_grants_in_use(void)
{
	return READ_ONCE(fp_grants_used);
}

unsigned int fp_grants_retained_count(void)
{
	return READ_ONCE(fp_grants_kept);
}

/* fp_lock: room for one more channel's grants? */
int fp_grants_may_offer(u16 peer)
{
	lockdep_assert_held(&fp_lock);
	if (fp_grants_used + FP_NR_PAGES <= max_grants)
		return 0;
	pr_warn_ratelimited("grant limit reached (%u of max_grants=%u in use): no channel to peer %u\n",
			    fp_grants_used, max_grants, peer);
	return -ENOSPC;
}

/* fp_lock: grant one page to the peer, read-write. */
int fp_grant_page(u16 peer, void *page, grant_ref_t *ref)
{
	int r;

	lockdep_assert_held(&fp_lock);
	r = gnttab_grant_foreign_access(peer,
			xen_page_to_gfn(virt_to_page(page)), 0);
	if (r < 0)
		return r;
	*ref = r;
	WRITE_ONCE(fp_grants_used, fp_grants_used + 1);
	return 0;
}

/* Ends retained grant i of r if the peer let it go; true if it did. */
static bool fp_retained_try_end(struct fp_retained *r, unsigned int i)
{
	if (!gnttab_try_end_foreign_access(r->refs[i]))
		return false;
	__free_page(r->pages[i]);
	r->n--;
	r->refs[i] = r->refs[r->n];
	r->pages[i] = r->pages[r->n];
	WRITE_ONCE(fp_grants_used, fp_grants_used - 1);
	WRITE_ONCE(fp_grants_kept, fp_grants_kept - 1);
	return true;
}

/* Tries every grant of r; true if none is left (r is then freed). */
static bool fp_retained_sweep(struct fp_retained *r)
{
	unsigned int i = 0;

	while (i < r->n)
		if (!fp_retained_try_end(r, i))
			i++;
	if (r->n)
		return false;
	list_del(&r->node);
	kfree(r);
	return true;
}

static void fp_sweep_schedule(unsigned long delay)
{
	fp_sweep_delay = delay;
	mod_delayed_work(fp_wq, &fp_sweep_work, delay);
}

/*
 * fp_lock: end one grant of a teardown (*ref INVALID_GRANT_REF: the page
 * was never granted and is simply freed). A grant the peer still maps is
 * retained in *kept (allocated on first use); hand *kept to
 * fp_grants_retain() once the teardown's last page is done. The page is
 * left as it is: the peer, when it runs again, reads the ring up to our
 * closed word, and a page zeroed under it would read as a violation.
 */
void fp_grant_end(u16 peer, grant_ref_t *ref, void *page,
		  struct fp_retained **kept)
{
	struct fp_retained *r = *kept;

	lockdep_assert_held(&fp_lock);
	if (*ref == INVALID_GRANT_REF) {
		free_page((unsigned long)page);
		return;
	}
	if (gnttab_try_end_foreign_access(*ref)) {
		free_page((unsigned long)page);
		WRITE_ONCE(fp_grants_used, fp_grants_used - 1);
	} else {
		if (!r)
			r = kzalloc(sizeof(*r), GFP_KERNEL);
		if (r) {
			r->peer = peer;
			r->refs[r->n] = *ref;
			r->pages[r->n++] = virt_to_page(page);
			*kept = r;
		} else {
			/* The kernel frees it once unmapped; uncounted. */
			gnttab_end_foreign_access(*ref, virt_to_page(page));
			WRITE_ONCE(fp_grants_used, fp_grants_used - 1);
		}
	}
	*ref = INVALID_GRANT_REF;
}

/* fp_lock: the teardown is done; keep what fp_grant_end() retained. */
void fp_grants_retain(struct fp_retained *r)
{
	lockdep_assert_held(&fp_lock);
	if (!r)
		return;
	list_add_tail(&r->node, &fp_retained_list);
	WRITE_ONCE(fp_grants_kept, fp_grants_kept + r->n);
	pr_info_ratelimited("peer %u: still maps %u of our pages after teardown; no new channel to it until it unmaps them\n",
			    r->peer, r->n);
	fp_sweep_schedule(FP_SWEEP_MIN);
}

/*
 * fp_lock: the peer left our view (it died, or left the group). Zero what
 * it still maps: its domid may come back as another domain, which must
 * not read the old channel's traffic in the window before the sweep ends
 * the grants (Xen drops a dead domain's maps; the sweep then succeeds).
 */
void fp_grants_peer_left(u16 peer)
{
	struct fp_retained *r;
	unsigned int i;

	lockdep_assert_held(&fp_lock);
	list_for_each_entry(r, &fp_retained_list, node)
		if (r->peer == peer)
			for (i = 0; i < r->n; i++)
				clear_highpage(r->pages[i]);
}

/* fp_lock: does the peer still map pages of an earlier offer of ours? */
bool fp_grants_retained(u16 peer)
{
	struct fp_retained *r, *tmp;
	bool left = false;

	lockdep_assert_held(&fp_lock);
	list_for_each_entry_safe(r, tmp, &fp_retained_list, node)
		if (r->peer == peer && !fp_retained_sweep(r))
			left = true;
	return left;
}

static bool fp_peer_has_retained(u16 peer)
{
	struct fp_retained *r;

	list_for_each_entry(r, &fp_retained_list, node)
		if (r->peer == peer)
			return true;
	return false;
}

static void fp_sweep_work_fn(struct work_struct *work)
{
	struct fp_retained *r, *tmp;
	struct fp_channel *ch;
	u16 freed[16];
	unsigned int nfreed = 0, i;
	bool more = false;

	mutex_lock(&fp_lock);
	list_for_each_entry_safe(r, tmp, &fp_retained_list, node) {
		u16 peer = r->peer;

		if (nfreed == ARRAY_SIZE(freed)) {
			more = true;
			break;
		}
		if (fp_retained_sweep(r))
			freed[nfreed++] = peer;
	}
	/* A peer that let go of all of them: the waiting offer goes out. */
	for (i = 0; i < nfreed; i++) {
		if (fp_peer_has_retained(freed[i]))
			continue;
		ch = fp_channel_find(freed[i]);
		if (ch)
			fp_step(ch, FP_EV_START, NULL);
	}
	if (more)
		fp_sweep_schedule(0);
	else if (!list_empty(&fp_retained_list))
		fp_sweep_schedule(min_t(unsigned long, 2 * fp_sweep_delay,
					FP_SWEEP_MAX));
	mutex_unlock(&fp_lock);
}

/* Module exit, after every channel is gone: hand over what is left. */
void fp_grants_exit(void)
{
	struct fp_retained *r, *tmp;
	unsigned int i, left = 0;

	cancel_delayed_work_sync(&fp_sweep_work);
	mutex_lock(&fp_lock);
	list_for_each_entry_safe(r, tmp, &fp_retained_list, node) {
		if (!fp_retained_sweep(r)) {
			for (i = 0; i < r->n; i++)
				gnttab_end_foreign_access(r->refs[i], r->pages[i]);
			left += r->n;
			list_del(&r->node);
			kfree(r);
		}
	}
	mutex_unlock(&fp_lock);
	if (left)
		pr_warn("%u pages still mapped by peers at unload; freed once they unmap them\n",
			left);
}
