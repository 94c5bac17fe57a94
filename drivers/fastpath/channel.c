// SPDX-License-Identifier: GPL-2.0
/*
 * channel.c - channel objects and the channel state machine.
 *
 * What: one struct fp_channel per peer in our view, in an xarray keyed by
 * the peer's domid (read under RCU by the egress hook). fp_step() is the
 * only function that changes a channel's state; every input (notifier,
 * view change, NAPI, the hook) ends up there under fp_lock.
 *
 *   IDLE --START/VIEW, granter: offer--------------> OFFERED
 *   IDLE --VIEW with a new offer, mapper: map, ack--> CONNECTED
 *   OFFERED --VIEW with the mapper's ack of our epoch--> CONNECTED
 *   OFFERED/CONNECTED --STOP, PEER_CLOSED, stale view--> IDLE (torn down)
 *   OFFERED/CONNECTED --ERROR-------------------------> BROKEN (torn down)
 *   CONNECTED --the peer's 8th teardown in quick succession--> BROKEN
 *   BROKEN --STOP--> IDLE
 *
 * Asynchronous inputs (softirq: a ring said -EPROTO, or the peer's
 * closed word is set) set a bit in ch->pending and queue event_work on
 * fp_wq, which takes fp_lock and steps.
 *
 * Lifetime: fp_channel_get() creates and publishes; fp_channel_destroy()
 * stops the channel, unpublishes it, waits for event_work and drops the
 * table's kobject reference; the release (sysfs.c) frees after RCU.
 */
#include <linux/jiffies.h>
#include <linux/random.h>
#include <linux/slab.h>
#include <linux/xarray.h>
#include "fastpath.h"

/* A peer may end this many channels in a row, each within the window. */
#define FP_CHURN_MAX		8
#define FP_CHURN_WINDOW		(10 * HZ)

static DEFINE_XARRAY(fp_channels);

static const char *const fp_state_names[] = {
	[FP_IDLE] = "idle",
	[FP_OFFERED] = "offered",
	[FP_CONNECTED] = "connected",
	[FP_BROKEN] = "broken",
};

const char *fp_state_str(enum fp_state st)
{
	return (unsigned int)st < ARRAY_SIZE(fp_state_names) ?
		fp_state_names[st] : "invalid";
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
	}
	mutex_unlock(&fp_lock);
}

/* From any context: hand an event to the state machine. */
void fp_channel_signal(struct fp_channel *ch, int pending_bit)
{
	if (!test_and_set_bit(pending_bit, &ch->pending))
		queue_work(fp_wq, &ch->event_work);
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

	ch = kzalloc(sizeof(*ch), GFP_KERNEL);
	if (!ch)
		return -ENOMEM;
	ch->peer = peer->domid;
	ether_addr_copy(ch->peer_mac, peer->mac);
	ch->state = FP_IDLE;
	ch->irq = -1;
	spin_lock_init(&ch->tx_lock);
	__skb_queue_head_init(&ch->backlog);
	atomic64_set(&ch->stats.fallbacks, 0);
	atomic64_set(&ch->stats.errors, 0);
	INIT_WORK(&ch->event_work, fp_event_work);

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
	/* event_work takes fp_lock and finds ch gone from the table. */
	cancel_work_sync(&ch->event_work);
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

static void fp_teardown(struct fp_channel *ch, enum fp_state next)
{
	fp_shmem_teardown(ch);
	fp_publish_closed(ch->peer);
	WRITE_ONCE(ch->state, next);
}

/*
 * The peer ended the channel (closed word, or a withdrawn or replaced
 * record). A granter offers again at once, with fresh pages: pages the
 * peer still maps are freed only when it unmaps them, so a peer that maps
 * and closes in a loop could make us pin 1 MiB per round. The
 * FP_CHURN_MAX-th such teardown in a row, each within FP_CHURN_WINDOW of
 * the last, breaks the channel instead (no offer until the peer leaves or
 * we stop).
 */
static void fp_peer_teardown(struct fp_channel *ch,
			     const struct sym_fp_record *view)
{
	if (ch->churn && time_before(jiffies, ch->churn_at + FP_CHURN_WINDOW))
		ch->churn++;
	else
		ch->churn = 1;
	ch->churn_at = jiffies;
	if (ch->churn >= FP_CHURN_MAX) {
		pr_warn_ratelimited("peer %u: ends every channel at once, channel broken\n",
				    ch->peer);
		atomic64_inc(&ch->stats.errors);
		fp_teardown(ch, FP_BROKEN);
		return;
	}
	fp_teardown(ch, FP_IDLE);
	fp_step(ch, FP_EV_START, view);
}

/* Granter: grant, allocate the event channel, publish. */
static void fp_offer(struct fp_channel *ch)
{
	int err;

	ch->epoch = get_random_u32() | 1;
	err = fp_shmem_offer(ch);
	if (err)
		goto fail;
	err = fp_publish_offer(ch);
	if (err)
		goto teardown;
	WRITE_ONCE(ch->state, FP_OFFERED);
	return;

teardown:
	fp_shmem_teardown(ch);
fail:
	atomic64_inc(&ch->stats.errors);
	pr_warn_ratelimited("peer %u: cannot offer a channel (%d)\n",
			    ch->peer, err);
}

/* Mapper: map the offer, bind, acknowledge. */
static void fp_map(struct fp_channel *ch, const struct sym_fp_record *offer)
{
	int err;

	/* Never map the same offer twice (it is stale once we tore it down). */
	if (offer->state != FP_XS_OFFERED || offer->epoch == ch->epoch)
		return;
	ch->epoch = offer->epoch;
	err = fp_shmem_map(ch, offer);
	if (err)
		goto fail;
	err = fp_publish_ack(ch);
	if (err)
		goto teardown;
	fp_shmem_open(ch);
	WRITE_ONCE(ch->state, FP_CONNECTED);
	return;

teardown:
	fp_shmem_teardown(ch);
fail:
	atomic64_inc(&ch->stats.errors);
	pr_warn_ratelimited("peer %u: cannot map its channel (%d)\n",
			    ch->peer, err);
}

/*
 * The channel state machine; under fp_lock. view is the peer's record in
 * our view for FP_EV_VIEW (FP_XS_ABSENT records are ignored: view.c
 * rewrites views wholesale and the relay puts the record back after).
 */
void fp_step(struct fp_channel *ch, enum fp_event ev,
	     const struct sym_fp_record *view)
{
	bool absent = !view || view->state == FP_XS_ABSENT;

	lockdep_assert_held(&fp_lock);
	switch (ch->state) {
	case FP_IDLE:
		if (ev != FP_EV_START && ev != FP_EV_VIEW)
			break;
		if (!fp_may_start())
			break;
		ch->granter = symbiont_self_domid() < ch->peer;
		if (ch->granter)
			fp_offer(ch);
		else if (!absent)
			fp_map(ch, view);
		break;

	case FP_OFFERED:
		switch (ev) {
		case FP_EV_VIEW:
			if (!absent && view->state == FP_XS_CONNECTED &&
			    view->epoch == ch->epoch) {
				fp_shmem_open(ch);
				WRITE_ONCE(ch->state, FP_CONNECTED);
			}
			break;
		case FP_EV_STOP:
			fp_teardown(ch, FP_IDLE);
			break;
		case FP_EV_ERROR:
			fp_teardown(ch, FP_BROKEN);
			break;
		case FP_EV_START:
		case FP_EV_PEER_CLOSED:
			break;
		}
		break;

	case FP_CONNECTED:
		switch (ev) {
		case FP_EV_VIEW:
			/* The peer withdrew or replaced what we are using. */
			if (absent)
				break;
			if (ch->granter ? view->state == FP_XS_CONNECTED &&
					  view->epoch == ch->epoch :
					  view->state == FP_XS_OFFERED &&
					  view->epoch == ch->epoch)
				break;
			fp_peer_teardown(ch, view);
			break;
		case FP_EV_PEER_CLOSED:
			fp_peer_teardown(ch, NULL);
			break;
		case FP_EV_STOP:
			fp_teardown(ch, FP_IDLE);
			break;
		case FP_EV_ERROR:
			pr_warn_ratelimited("peer %u: protocol violation, channel broken\n",
					    ch->peer);
			atomic64_inc(&ch->stats.errors);
			fp_teardown(ch, FP_BROKEN);
			break;
		case FP_EV_START:
			break;
		}
		break;

	case FP_BROKEN:
		if (ev == FP_EV_STOP)
			WRITE_ONCE(ch->state, FP_IDLE);
		break;
	}
}
