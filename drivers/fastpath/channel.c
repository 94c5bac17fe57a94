// SPDX-License-Identifier: GPL-2.0
/*
 * channel.c - channel objects and the glue of the channel state machine.
 *
 * What: one struct fp_channel per peer in our view, in an xarray keyed by
 * the peer's domid (read under RCU by the egress hook). fp_step() is the
 * only function that changes a channel's state; every input (notifier,
 * view change, NAPI, the hook) ends up there under fp_lock.
 *
 * The decisions are the core's (sym_fp_step(), drivers/core/fp_channel.c,
 * where the transitions are listed): fp_step() gathers the facts (role,
 * fp_may_start(), the peer's record in our view and its state, epoch, the
 * peer's churn budget, whether it still maps an earlier offer, jiffies64),
 * asks the core, then performs the actions in order and stores the next
 * state. A failed offer, map or ack counts an error, stops there, leaves
 * the state as it was (idle; mapped for the ack, which keeps the mapping)
 * and is retried (retry_work); a failed map leaves our epoch, so the
 * retry, or the next START or VIEW, tries the same offer
 * (sym_fp_epoch_after_map()).
 *
 * Asynchronous inputs (softirq: a ring said -EPROTO, or the peer's
 * closed word is set) set a bit in ch->pending and queue event_work on
 * fp_wq, which takes fp_lock and steps.
 *
 * What XenStore (or the grant table) refused is done again by retry_work,
 * with a backoff, until it succeeds: a teardown's closed record, so that a
 * peer never keeps reading an offer we took back, and an offer, a map or
 * an ack that failed, so that the channel comes up without waiting for
 * the next view change. An idle channel first settles the closed record
 * it owes and then tries again; a mapped one acks, which replaces it. A
 * failed offer never cancels a closed record owed: with the fast path
 * switched off meanwhile, the offer is not made again and the closed
 * record is all the peer will get.
 *
 * Lifetime: fp_channel_get() creates and publishes; fp_channel_destroy()
 * stops the channel, unpublishes it, waits for event_work and retry_work
 * and drops the
 * table's kobject reference; the release (sysfs.c) frees after RCU.
 */
#include <linux/jiffies.h>
#include <linux/random.h>
#include <linux/slab.h>
#include <linux/xarray.h>
#include "fastpath.h"
#include "fp_budget.h"

#define FP_RETRY_MIN		(HZ / 10)
#define FP_RETRY_MAX		(10 * HZ)

/* A peer ends SYM_FP_CHURN_MAX channels in a row, each within this: broken. */
#define FP_CHURN_WINDOW_S	10

#ifdef SYMBIONT_FAULT_INJECTION
/*
 * The testbed's churn scenario lengthens the window: under QEMU TCG one of
 * its rounds can take longer than the real one, and a round that does
 * would restart the count the scenario checks.
 */
static unsigned int churn_window_s = FP_CHURN_WINDOW_S;
module_param(churn_window_s, uint, 0644);
MODULE_PARM_DESC(churn_window_s, "TEST ONLY: seconds between a peer's channel ends that still count as churn");
#define fp_churn_window()	((u64)READ_ONCE(churn_window_s) * HZ)
#else
#define fp_churn_window()	((u64)FP_CHURN_WINDOW_S * HZ)
#endif

static DEFINE_XARRAY(fp_channels);

/*
 * The peers' churn budgets, by uuid (fp_lock): one per peer we can take
 * over, so none is lost while the peers fit (drivers/core/fp_budget.h).
 */
static struct sym_fp_budget fp_budgets[FP_MAX_PEERS];

const char *fp_state_str(enum fp_state st)
{
	return sym_fp_chan_state_name((enum sym_fp_chan_state)st);
}

struct fp_channel *fp_channel_find(u16 peer)
{
	return xa_load(&fp_channels, peer);
}

struct fp_channel *fp_channel_next(unsigned long *peer)
{
	lockdep_assert_held(&fp_lock);
	return xa_find(&fp_channels, peer, ULONG_MAX, XA_PRESENT);
}

static void fp_event_work(struct work_struct *work)
{
	struct fp_channel *ch = container_of(work, struct fp_channel,
					     event_work);

	mutex_lock(&fp_lock);
	if (fp_channel_find(ch->peer) == ch) {
		if (test_and_clear_bit(FP_PENDING_ERROR, &ch->pending))
			fp_step(ch, FP_EV_ERROR, NULL);
		if (test_and_clear_bit(FP_PENDING_PEER_CLOSED, &ch->pending))
			fp_step(ch, FP_EV_PEER_CLOSED, NULL);
		if (test_and_clear_bit(FP_PENDING_STALL, &ch->pending))
			fp_step(ch, FP_EV_STALL, NULL);
	}
	mutex_unlock(&fp_lock);
}

/*
 * From any context: hand an event to the state machine. True if this call
 * raised it, false if it was already pending (nothing new to do).
 */
/* Under fp_lock: do again later what failed (see retry_work in fastpath.h). */
static void fp_channel_retry(struct fp_channel *ch)
{
	ch->retry_delay = ch->retry_delay ?
			  min_t(unsigned long, ch->retry_delay * 2, FP_RETRY_MAX) :
			  FP_RETRY_MIN;
	queue_delayed_work(fp_wq, &ch->retry_work, ch->retry_delay);
}

/* Under fp_lock: our record for the peer says closed, now or after a retry. */
static void fp_channel_publish_closed(struct fp_channel *ch)
{
	ch->closed_owed = fp_publish_closed(ch->peer) != 0;
	if (ch->closed_owed)
		fp_channel_retry(ch);
	else
		ch->retry_delay = 0;
}

/* Under fp_lock: an idle channel tries again, as on joining our view. */
static void fp_channel_restart(struct fp_channel *ch)
{
	struct sym_fp_record *rec;

	fp_step(ch, FP_EV_START, NULL);
	rec = kmalloc(sizeof(*rec), GFP_KERNEL);
	if (rec && !fp_view_read(ch->peer, rec))
		fp_step(ch, FP_EV_VIEW, rec);
	kfree(rec);
}

static void fp_retry_work(struct work_struct *work)
{
	struct fp_channel *ch = container_of(to_delayed_work(work),
					     struct fp_channel, retry_work);

	mutex_lock(&fp_lock);
	/* Gone from the table: fp_channel_destroy() is waiting for us. */
	if (ch->retry_delay && fp_channel_find(ch->peer) == ch) {
		if (ch->state == FP_MAPPED) {
			/* The ack again; it replaces a closed record owed. */
			fp_step(ch, FP_EV_START, NULL);
		} else if (ch->state == FP_IDLE) {
			if (ch->closed_owed)
				fp_channel_publish_closed(ch);
			/* Once it landed: an offer that can go out, goes. */
			if (!ch->closed_owed)
				fp_channel_restart(ch);
		}
	}
	mutex_unlock(&fp_lock);
}

bool fp_channel_signal(struct fp_channel *ch, int pending_bit)
{
	if (test_and_set_bit(pending_bit, &ch->pending))
		return false;
	queue_work(fp_wq, &ch->event_work);
	return true;
}

/* Under fp_lock. Finds or creates the channel of a peer in our view. */
int fp_channel_get(const struct symbiont_peer *peer, struct fp_channel **out)
{
	struct fp_channel *ch = fp_channel_find(peer->domid);
	int err;

	lockdep_assert_held(&fp_lock);
	if (ch) {
		*out = ch;
		return 0;
	}
	if (!peer->has_mac || !is_valid_ether_addr(peer->mac))
		return -EADDRNOTAVAIL;
	if (!peer->uuid[0])
		return -EINVAL;		/* no budget to keep: no channel */

	ch = kzalloc(sizeof(*ch), GFP_KERNEL);
	if (!ch)
		return -ENOMEM;
	ch->peer = peer->domid;
	ether_addr_copy(ch->peer_mac, peer->mac);
	strscpy(ch->uuid, peer->uuid, sizeof(ch->uuid));
	ch->state = FP_IDLE;
	ch->irq = -1;
	spin_lock_init(&ch->tx_lock);
	__skb_queue_head_init(&ch->backlog);
	atomic64_set(&ch->stats.fallbacks, 0);
	atomic64_set(&ch->stats.errors, 0);
	atomic64_set(&ch->stats.stalls, 0);
	atomic64_set(&ch->stats.reclaimed, 0);
	init_waitqueue_head(&ch->drain_wq);
	atomic64_set(&ch->stats.rx_spoofed, 0);
	atomic64_set(&ch->stats.rx_filtered, 0);
	timer_setup(&ch->stall_timer, fp_tx_stall_check, 0);
	INIT_WORK(&ch->event_work, fp_event_work);
	INIT_DELAYED_WORK(&ch->retry_work, fp_retry_work);

	err = fp_sysfs_add(ch);		/* on failure the kobject frees ch */
	if (err)
		return err;
	err = xa_insert(&fp_channels, ch->peer, ch, GFP_KERNEL);
	if (err)
		goto del_sysfs;
	*out = ch;
	return 0;

del_sysfs:
	fp_sysfs_del(ch);
	return err;
}

/* Under fp_lock, which it drops and retakes to wait for event_work. */
void fp_channel_destroy(struct fp_channel *ch)
{
	lockdep_assert_held(&fp_lock);
	fp_step(ch, FP_EV_STOP, NULL);
	xa_erase(&fp_channels, ch->peer);
	mutex_unlock(&fp_lock);
	/* Teardown stopped it already; a channel never opened never armed it. */
	del_timer_sync(&ch->stall_timer);
	/* Both take fp_lock and find ch gone from the table. */
	cancel_work_sync(&ch->event_work);
	cancel_delayed_work_sync(&ch->retry_work);
	mutex_lock(&fp_lock);
	fp_sysfs_del(ch);
}

void fp_channels_destroy_all(void)
{
	struct fp_channel *ch;
	unsigned long peer;

	lockdep_assert_held(&fp_lock);
	xa_for_each(&fp_channels, peer, ch)
		fp_channel_destroy(ch);
}

void fp_step_all(enum fp_event ev)
{
	struct fp_channel *ch;
	unsigned long peer;

	lockdep_assert_held(&fp_lock);
	xa_for_each(&fp_channels, peer, ch)
		fp_step(ch, ev, NULL);
}

/*
 * Our suspend, before FP_EV_STOP: each open channel waits for its peer to
 * consume what we sent (fp_tx_drain), all within ms in total.
 */
void fp_drain_all(unsigned int ms)
{
	unsigned long deadline = jiffies + msecs_to_jiffies(ms);
	struct fp_channel *ch;
	unsigned long peer;
	int err;

	lockdep_assert_held(&fp_lock);
	xa_for_each(&fp_channels, peer, ch) {
		if (ch->state != FP_CONNECTED)
			continue;
		err = fp_tx_drain(ch, deadline);
		if (err)
			pr_warn_ratelimited("peer %u: did not consume our ring before we suspended (%d); the rest takes the NIC\n",
					    ch->peer, err);
	}
}

/* Granter: new epoch, grant, allocate the event channel, publish. */
static int fp_offer(struct fp_channel *ch)
{
	int err;

	ch->epoch = get_random_u32() | 1;
	err = fp_shmem_offer(ch);
	if (err)
		goto fail;
	err = fp_publish_offer(ch);
	if (err)
		goto teardown;
	ch->retry_delay = 0;
	ch->closed_owed = false;	/* the offer replaced it */
	return 0;

teardown:
	fp_shmem_teardown(ch);
fail:
	atomic64_inc(&ch->stats.errors);
	pr_warn_ratelimited("peer %u: cannot offer a channel (%d)\n",
			    ch->peer, err);
	return err;
}

/* Mapper: map the offer and bind its event channel. */
static int fp_map(struct fp_channel *ch, const struct sym_fp_record *offer)
{
	int err;

	/*
	 * The offer's epoch is ours once its pages are mapped: an offer
	 * mapped once is never mapped again (its teardown sets our closed
	 * word in it). A map that failed leaves the epoch, so the next
	 * START or VIEW tries the same offer.
	 */
	err = fp_shmem_map(ch, offer);
	ch->epoch = sym_fp_epoch_after_map(ch->epoch, offer->epoch, !err);
	if (err) {
		atomic64_inc(&ch->stats.errors);
		pr_warn_ratelimited("peer %u: cannot map its channel (%d)\n",
				    ch->peer, err);
	}
	return err;
}

/* Mapper: acknowledge the offer we mapped; a refusal keeps the mapping. */
static int fp_ack(struct fp_channel *ch)
{
	int err = fp_publish_ack(ch);

	if (err) {
		atomic64_inc(&ch->stats.errors);
		pr_warn_ratelimited("peer %u: cannot acknowledge its channel (%d), retrying\n",
				    ch->peer, err);
		return err;
	}
	ch->retry_delay = 0;
	ch->closed_owed = false;	/* the ack replaced it */
	return 0;
}

/*
 * Under fp_lock: the peer's allowed IPv4 prefixes as our view says them,
 * published for NAPI if they changed; at once, also on a live channel.
 */
static void fp_channel_set_policy(struct fp_channel *ch,
				  const struct symbiont_peer *peer)
{
	struct fp_peer_ipv4 *old = rcu_dereference_protected(ch->peer_ipv4,
						lockdep_is_held(&fp_lock));
	struct sym_fp_addrs want;
	struct fp_peer_ipv4 *new;
	unsigned int i;

	memset(&want, 0, sizeof(want));		/* compared whole, padding too */
	want.nr = min_t(unsigned int, peer->nr_ipv4, SYM_FP_MAX_ADDRS);
	for (i = 0; i < want.nr; i++) {
		want.prefix[i].addr = peer->ipv4[i].addr;
		want.prefix[i].len = peer->ipv4[i].len;
	}
	if (old ? !memcmp(&old->addrs, &want, sizeof(want)) : !want.nr)
		return;
	new = kmalloc(sizeof(*new), GFP_KERNEL);
	if (!new) {
		pr_warn_ratelimited("peer %u: no memory for its address policy; the last one stays\n",
				    ch->peer);
		return;
	}
	new->addrs = want;
	rcu_assign_pointer(ch->peer_ipv4, new);
	if (old)
		kfree_rcu(old, rcu);
}

/*
 * The channel state machine; under fp_lock. view is the peer's record in
 * our view for FP_EV_VIEW, else NULL (FP_XS_ABSENT records are ignored:
 * view.c rewrites views wholesale and the relay puts the record back
 * after).
 */
void fp_step(struct fp_channel *ch, enum fp_event ev,
	     const struct sym_fp_record *view)
{
	struct sym_fp_budget *budget = sym_fp_budget_of(fp_budgets,
					ARRAY_SIZE(fp_budgets), ch->uuid);
	struct symbiont_peer peer;
	bool known = !symbiont_peer_lookup_by_domid(ch->peer, &peer);
	struct sym_fp_facts f = {
		.may_start = fp_may_start(),
		.self_lower = symbiont_self_domid() < ch->peer,
		.granter = ch->granter,
		.view_state = view ? view->state : FP_XS_ABSENT,
		.view_epoch = view ? view->epoch : 0,
		.epoch = ch->epoch,
		.peer_migrating = known && peer.state == SYMBIONT_PEER_MIGRATING,
		.policy_off = known && peer.fastpath_off,
		.grants_retained = fp_grants_retained(ch->peer),
		.churn = budget->churn,
		.churn_at = budget->churn_at,
		.now = get_jiffies_64(),
		.churn_window = fp_churn_window(),
	};
	struct sym_fp_transition t;

	lockdep_assert_held(&fp_lock);
	t = sym_fp_step((enum sym_fp_chan_state)ch->state,
			(enum sym_fp_chan_event)ev, &f);

	if (t.actions & SYM_FP_ACT_CHURN_RESET)
		budget->churn = 1;
	if (t.actions & SYM_FP_ACT_CHURN_BUMP)
		budget->churn++;
	if (t.actions & (SYM_FP_ACT_CHURN_RESET | SYM_FP_ACT_CHURN_BUMP))
		budget->churn_at = f.now;
	if (t.actions & SYM_FP_ACT_WARN_CHURN)
		pr_warn_ratelimited("peer %u: ends every channel at once, channel broken\n",
				    ch->peer);
	if (t.actions & SYM_FP_ACT_WARN_VIOLATION)
		pr_warn_ratelimited("peer %u: protocol violation, channel broken\n",
				    ch->peer);
	if (t.actions & SYM_FP_ACT_WARN_STALL) {
		atomic64_inc(&ch->stats.stalls);
		pr_warn_ratelimited("peer %u: consumed nothing for %u s while frames waited; channel torn down, they take the NIC\n",
				    ch->peer, FP_STALL_TIMEOUT_S);
	}
	if (t.actions & SYM_FP_ACT_COUNT_ERROR)
		atomic64_inc(&ch->stats.errors);
	if (t.actions & SYM_FP_ACT_TEARDOWN)
		fp_shmem_teardown(ch);
	if (t.actions & SYM_FP_ACT_PUBLISH_CLOSED)
		fp_channel_publish_closed(ch);
	if (t.actions & SYM_FP_ACT_TEARDOWN)
		WRITE_ONCE(ch->state, FP_IDLE);
	if (t.actions & SYM_FP_ACT_SET_ROLE)
		ch->granter = f.self_lower;
	if (known)
		fp_channel_set_policy(ch, &peer);
	if (((t.actions & SYM_FP_ACT_OFFER) && fp_offer(ch)) ||
	    ((t.actions & SYM_FP_ACT_MAP) && fp_map(ch, view)) ||
	    ((t.actions & SYM_FP_ACT_ACK) && fp_ack(ch))) {
		fp_channel_retry(ch);
		return;
	}
	if (t.actions & SYM_FP_ACT_OPEN)
		fp_shmem_open(ch);
	WRITE_ONCE(ch->state, (enum fp_state)t.next);
	/* Bounded: the START that follows asks for no further restart. */
	if (t.actions & SYM_FP_ACT_RESTART)
		fp_step(ch, FP_EV_START, view);
}
