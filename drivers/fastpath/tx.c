// SPDX-License-Identifier: GPL-2.0
/*
 * tx.c - frames for a co-resident peer leave through the shared ring
 * instead of the NIC; frames stranded in a dead ring go out on the NIC.
 *
 * Data flow: dev_queue_xmit(nic) -> NF_NETDEV_EGRESS -> fp_egress():
 *   destination MAC unicast and a trusted peer MAC (fp_channel_by_mac:
 *   the RCU MAC -> domid index, then the channel table; no scan, no
 *   copy) -> that peer's channel, open
 *   -> one ring message [struct fp_frame_hdr][frame], gathered from the
 *      skb's head and page fragments by sym_ring_sendv() (one copy into
 *      the dedicated shared pages) -> kick the peer if it asked -> consume
 *      the skb and return NF_STOLEN.
 *   Ring full: the skb joins the channel's backlog (NF_STOLEN; later
 *   frames queue behind it, so the stream keeps its order), we ask the
 *   peer to kick us when the head fits, and its event's NAPI poll moves
 *   the backlog on (fp_tx_kick). Queued skbs keep their socket charged,
 *   so TCP Small Queues throttles the sender. A peer that consumes
 *   nothing for FP_STALL_TIMEOUT_S while frames wait would hold them, and
 *   the sockets' memory, for ever: the stall timer (fp_tx_stall_check)
 *   has the channel torn down, and they take the NIC.
 *   Anything else - no channel, not open, backlog over FP_BACKLOG_BYTES,
 *   frame too large, frag_list, a GSO type the header cannot carry -
 *   returns NF_ACCEPT and the frame takes the normal path unchanged
 *   (counted in fallbacks when a channel exists).
 *
 * Teardown (fp_tx_reclaim, fp_tx_backlog_resend; shmem.c, fp_lock): the
 * messages we wrote that the peer has not consumed are copied back out of
 * our TX ring and re-sent with dev_queue_xmit(nic), then the backlog
 * (each counted in reclaimed). fp_bypass, a per-CPU flag set around that
 * call with BH off, makes the hook (which runs synchronously inside
 * dev_queue_xmit on this CPU) let them pass; unlike skb->mark it cannot
 * collide with marks users set.
 *
 * Our own suspend, before that teardown (fp_tx_drain, fp_lock): the peer
 * is still alive, so we wait, bounded, until it has consumed the backlog
 * and the ring; each NAPI poll meanwhile wakes the waiter (rx.c).
 *
 * Locking: the hook runs in BH context under rcu_read_lock_bh (from
 * __dev_queue_xmit); it takes rcu_read_lock for the channel table and
 * ch->tx_lock for the ring and the backlog (several CPUs transmit at
 * once; the ring has one producer; NAPI flushes the backlog under it
 * too). Teardown clears tx_open under the same lock, then unbinds the
 * event channel: the peer is kicked only under tx_lock with tx_open true
 * (as netfront notifies under its TX lock), so no kick can reach an irq
 * that teardown has unbound.
 */
#include <linux/netfilter.h>
#include <linux/netfilter_netdev.h>
#include <linux/percpu.h>
#include <linux/skbuff.h>
#include <xen/events.h>
#include "fastpath.h"

/* Frames waiting for ring space; beyond this they take the NIC. */
#define FP_BACKLOG_BYTES	(1u << 20)

static DEFINE_PER_CPU(bool, fp_bypass);

#ifdef SYMBIONT_FAULT_INJECTION
/* Under tx_lock: test-only, make the indices we publish impossible. */
static void fp_tx_maybe_corrupt(struct fp_channel *ch)
{
	if (!READ_ONCE(fp_hostile))
		return;
	/* prod beyond cons + size, and a length beyond max_msg. */
	WRITE_ONCE(ch->tx.ctrl->prod, ch->tx.prod + 3 * FP_RING_SIZE + 8);
	WRITE_ONCE(*(u32 *)ch->tx.segs[0], 0xfffffff0u);
	/* cons the peer's producer will find impossible. */
	WRITE_ONCE(ch->rx.ctrl->cons, ch->rx.cons + 5 * FP_RING_SIZE);
}
#else
static inline void fp_tx_maybe_corrupt(struct fp_channel *ch) { }
#endif

/*
 * Can this frame be one ring message, and would the peer take it? It runs
 * the peer's own check (sym_fp_frame_sendable(), without the address
 * policy, which is the peer's to apply): a frame it would refuse for its type or
 * its offload state takes the NIC instead of being lost. A VLAN tag held
 * in the skb's metadata would not travel in the ring: NIC too.
 */
static int fp_tx_check(struct sk_buff *skb)
{
	u32 head_len = sym_fp_frame_head_len(skb->len);
	u8 buf[SYM_FP_FRAME_HEAD];
	struct virtio_net_hdr hdr;
	struct sym_fp_vnet vnet;
	const u8 *head;

	if (skb_has_frag_list(skb) || skb->len > FP_MAX_MSG - FP_HDR_LEN)
		return -EMSGSIZE;
	if (skb_vlan_tag_present(skb) ||
	    virtio_net_hdr_from_skb(skb, &hdr, true, false, 0))
		return -EOPNOTSUPP;
	/* The linear head in place; a copy only for a fragmented head. */
	head = skb_header_pointer(skb, 0, head_len, buf);
	if (!head)
		return -EINVAL;
	fp_vnet_from_hdr(&hdr, &vnet);
	if (!sym_fp_frame_sendable(&vnet, head, head_len, skb->len))
		return -EOPNOTSUPP;
	return 0;
}

/*
 * Under tx_lock: one frame into the ring; 0, -ENOSPC or -EPROTO. Sets
 * *notify when the peer must be kicked, and never clears it.
 */
static int fp_tx_ring(struct fp_channel *ch, struct sk_buff *skb,
		      bool *notify)
{
	struct sym_ring_iov iov[MAX_SKB_FRAGS + 2];
	struct fp_frame_hdr hdr = {};
	unsigned int n = 0, i;
	bool kick;
	int err;

	/* fp_tx_check() passed: this cannot fail. */
	virtio_net_hdr_from_skb(skb, &hdr.vnet, true, false, 0);
	iov[n].base = &hdr;
	iov[n++].len = sizeof(hdr);
	iov[n].base = skb->data;
	iov[n++].len = skb_headlen(skb);
	for (i = 0; i < skb_shinfo(skb)->nr_frags; i++) {
		const skb_frag_t *frag = &skb_shinfo(skb)->frags[i];

		iov[n].base = skb_frag_address(frag);
		iov[n++].len = skb_frag_size(frag);
	}
	/* The library's flag is per call: accumulate, never overwrite. */
	err = sym_ring_sendv(&ch->tx, FP_MSG_FRAME, iov, n, &kick);
	*notify |= kick;
	if (!err) {
		WRITE_ONCE(ch->stats.tx_packets, ch->stats.tx_packets + 1);
		WRITE_ONCE(ch->stats.tx_bytes, ch->stats.tx_bytes + skb->len);
		fp_tx_maybe_corrupt(ch);
	}
	return err;
}

/*
 * Under tx_lock, after -ENOSPC: ask the peer to kick us when a frame of
 * len fits; true if it fits already. *notify accumulates (the ring
 * library's final check resets its own flag).
 */
static bool fp_tx_wait_room(struct fp_channel *ch, u32 len, bool *notify)
{
	bool kick, room;

	room = sym_ring_tx_final_check(&ch->tx, FP_HDR_LEN + len, &kick);
	*notify |= kick;
	return room;
}

/*
 * Under tx_lock: move backlogged frames into the ring, oldest first, until
 * it is full (then ask the peer to kick us when the head fits) or empty.
 * Returns the frames moved, or -EPROTO.
 */
static int fp_tx_flush(struct fp_channel *ch, bool *notify)
{
	struct sk_buff *skb;
	int moved = 0, err;

	while ((skb = skb_peek(&ch->backlog))) {
		err = fp_tx_ring(ch, skb, notify);
		if (err == -ENOSPC) {
			if (fp_tx_wait_room(ch, skb->len, notify))
				continue;
			break;
		}
		if (err)	/* -EPROTO: teardown re-sends the backlog */
			return err;
		__skb_unlink(skb, &ch->backlog);
		ch->backlog_bytes -= skb->len;
		dev_consume_skb_any(skb);
		moved++;
	}
	ch->backlog_moved += moved;
	return moved;
}

/* Under tx_lock, with frames in the backlog: watch for a stall. */
static void fp_tx_watch_stall(struct fp_channel *ch)
{
	if (timer_pending(&ch->stall_timer))
		return;
	ch->stall_mark = ch->backlog_moved;
	ch->stall_checks = 0;
	mod_timer(&ch->stall_timer, jiffies + FP_STALL_TIMEOUT_S * HZ / 2);
}

/*
 * Timer, every half stall timeout while frames wait: two checks in a row
 * that saw none of them move into the ring mean the peer consumed nothing
 * for the whole timeout (it is paused, hung or hostile). The state
 * machine then tears the channel down, and what waited takes the NIC.
 */
void fp_tx_stall_check(struct timer_list *t)
{
	struct fp_channel *ch = from_timer(ch, t, stall_timer);
	bool stalled = false;

	spin_lock_bh(&ch->tx_lock);
	if (ch->tx_open && !skb_queue_empty(&ch->backlog)) {
		if (ch->backlog_moved != ch->stall_mark) {
			ch->stall_mark = ch->backlog_moved;
			ch->stall_checks = 0;
		}
		stalled = ++ch->stall_checks >= 2;
		if (!stalled)
			mod_timer(&ch->stall_timer,
				  jiffies + FP_STALL_TIMEOUT_S * HZ / 2);
	}
	spin_unlock_bh(&ch->tx_lock);
	if (stalled)
		fp_channel_signal(ch, FP_PENDING_STALL);
}

/*
 * The frame is ours now, so the NIC's xmit will never show it to packet
 * sockets: do that here, as dev_hard_start_xmit() would have. Frames that
 * fall back to the NIC later are shown a second time there.
 */
static void fp_tx_tap(struct sk_buff *skb)
{
	if (dev_nit_active(skb->dev))
		dev_queue_xmit_nit(skb, skb->dev);
}

/*
 * 0: in the ring (the caller consumes the skb); 1: queued behind others
 * (the skb is ours now); -errno: the caller lets it take the NIC.
 */
static int fp_tx_frame(struct fp_channel *ch, struct sk_buff *skb)
{
	bool notify = false;
	int err;

	err = fp_tx_check(skb);
	if (err)
		return err;

	spin_lock(&ch->tx_lock);
	if (!ch->tx_open) {
		err = -ENOTCONN;
		goto unlock;
	}
	/* Frames keep their order: nothing overtakes the backlog. */
	if (!skb_queue_empty(&ch->backlog)) {
		err = fp_tx_flush(ch, &notify);
		if (err < 0)
			goto unlock;
	}
	if (skb_queue_empty(&ch->backlog)) {
		err = fp_tx_ring(ch, skb, &notify);
		if (!err)
			fp_tx_tap(skb);
		if (err != -ENOSPC)
			goto unlock;
	}
	if (ch->backlog_bytes + skb->len > FP_BACKLOG_BYTES) {
		err = -ENOBUFS;
		goto unlock;
	}
	/* Once queued, a flush (here or in NAPI) may consume it. */
	fp_tx_tap(skb);
	/*
	 * The skb keeps its socket charged while it waits here, so TCP
	 * Small Queues slows the sender instead of the NIC taking the excess
	 * (which would reorder the stream).
	 */
	__skb_queue_tail(&ch->backlog, skb);
	ch->backlog_bytes += skb->len;
	fp_tx_watch_stall(ch);
	err = 1;
	if (fp_tx_wait_room(ch, skb_peek(&ch->backlog)->len, &notify) &&
	    fp_tx_flush(ch, &notify) == -EPROTO)
		fp_channel_signal(ch, FP_PENDING_ERROR);
unlock:
	/* Only set once tx_open was seen true: the irq is still bound. */
	if (notify)
		notify_remote_via_irq(ch->irq);
	spin_unlock(&ch->tx_lock);

	if (err == -EPROTO)
		fp_channel_signal(ch, FP_PENDING_ERROR);
	return err;
}

/*
 * NAPI, on the peer's event: it may have made room for the backlog.
 * Returns the frames moved into the ring.
 */
int fp_tx_kick(struct fp_channel *ch)
{
	bool notify = false;
	int moved = 0;

	spin_lock(&ch->tx_lock);
	if (ch->tx_open && !skb_queue_empty(&ch->backlog))
		moved = fp_tx_flush(ch, &notify);
	/* Set only with tx_open true: the irq is still bound. */
	if (notify)
		notify_remote_via_irq(ch->irq);
	spin_unlock(&ch->tx_lock);
	if (moved == -EPROTO) {
		fp_channel_signal(ch, FP_PENDING_ERROR);
		moved = 0;
	}
	return moved;
}

static unsigned int fp_egress(void *priv, struct sk_buff *skb,
			      const struct nf_hook_state *state)
{
	struct fp_channel *ch;
	u8 dest[ETH_ALEN];
	int err;

	if (this_cpu_read(fp_bypass))
		return NF_ACCEPT;
	if (skb_copy_bits(skb, 0, dest, ETH_ALEN) ||
	    !is_unicast_ether_addr(dest))
		return NF_ACCEPT;

	rcu_read_lock();
	ch = fp_channel_by_mac(dest);
	if (!ch || !READ_ONCE(ch->tx_open)) {
		rcu_read_unlock();
		return NF_ACCEPT;
	}
	err = fp_tx_frame(ch, skb);
	if (err < 0)
		atomic64_inc(&ch->stats.fallbacks);
	rcu_read_unlock();
	if (err < 0)
		return NF_ACCEPT;
	if (!err)
		consume_skb(skb);
	return NF_STOLEN;
}

static struct nf_hook_ops fp_egress_ops = {
	.hook = fp_egress,
	.pf = NFPROTO_NETDEV,
	.hooknum = NF_NETDEV_EGRESS,
	.priority = 0,
};

/* Under RTNL (netdev notifier). */
int fp_tx_init(struct net_device *nic)
{
	fp_egress_ops.dev = nic;
	return nf_register_net_hook(dev_net(nic), &fp_egress_ops);
}

void fp_tx_exit(struct net_device *nic)
{
	nf_unregister_net_hook(dev_net(nic), &fp_egress_ops);
}

/* Out on the NIC, past our own hook (which runs inside this call). */
static void fp_tx_xmit_bypass(struct sk_buff *skb)
{
	local_bh_disable();
	/* Read by fp_egress() inside this very call, on this CPU. */
	this_cpu_write(fp_bypass, true);
	dev_queue_xmit(skb);
	this_cpu_write(fp_bypass, false);
	local_bh_enable();
}

/* One taken-back message out on the NIC, past our hook. */
static void fp_tx_resend(struct fp_channel *ch, struct net_device *nic,
			 const u8 *buf, u32 len)
{
	struct fp_frame_hdr hdr;
	const struct ethhdr *eth;
	struct sk_buff *skb;

	if (len < FP_HDR_LEN + ETH_HLEN)
		goto error;
	memcpy(&hdr, buf, sizeof(hdr));
	eth = (const struct ethhdr *)(buf + FP_HDR_LEN);
	/* The peer may have rewritten our ring: only what we could have sent. */
	if (!ether_addr_equal(eth->h_source, nic->dev_addr) ||
	    !ether_addr_equal(eth->h_dest, ch->peer_mac))
		goto error;
	skb = fp_skb_from_buf(NULL, buf + FP_HDR_LEN, len - FP_HDR_LEN,
			      GFP_KERNEL);
	if (!skb)
		goto error;
	skb->dev = nic;
	skb->protocol = eth->h_proto;
	skb_reset_mac_header(skb);
	skb_set_network_header(skb, ETH_HLEN);
	if (virtio_net_hdr_to_skb(skb, &hdr.vnet, true)) {
		kfree_skb(skb);
		goto error;
	}

	fp_tx_xmit_bypass(skb);
	atomic64_inc(&ch->stats.fallbacks);
	atomic64_inc(&ch->stats.reclaimed);
	return;

error:
	atomic64_inc(&ch->stats.errors);
}

/*
 * Teardown, TX closed and NAPI off: re-send what the peer has not
 * consumed. The pages are still mapped (mapper) or still ours (granter).
 * A second consumer is attached to our own TX ring through a private
 * control block holding our prod and the peer's last cons, so the ring
 * library does the copying and bounds checks; the peer's cons is read
 * once and accepted only between the last validated one and our prod.
 */
void fp_tx_reclaim(struct fp_channel *ch)
{
	struct net_device *nic = fp_nic();
	struct sym_ring_ctrl priv;
	struct sym_ring_rx back;
	unsigned int n;
	u32 len;
	u16 type;

	if (!nic || sym_ring_tx_reclaimer(&ch->tx, &priv, &back))
		return;
	for (n = 0; n < FP_RING_SIZE / SYM_RING_HDR_SIZE; n++) {
		if (sym_ring_recv(&back, ch->rx_buf, FP_MAX_MSG, &len, &type,
				  NULL))
			break;
		if (type == FP_MSG_FRAME)
			fp_tx_resend(ch, nic, ch->rx_buf, len);
	}
}

/*
 * Teardown, after fp_tx_reclaim() (the ring holds older frames): the
 * backlog goes out on the NIC, in order. Also on a channel that never had
 * rings: the list is simply empty.
 */
void fp_tx_backlog_resend(struct fp_channel *ch)
{
	struct sk_buff_head list;
	struct sk_buff *skb;

	__skb_queue_head_init(&list);
	spin_lock_bh(&ch->tx_lock);
	skb_queue_splice_init(&ch->backlog, &list);
	ch->backlog_bytes = 0;
	spin_unlock_bh(&ch->tx_lock);

	while ((skb = __skb_dequeue(&list))) {
		atomic64_inc(&ch->stats.fallbacks);
		atomic64_inc(&ch->stats.reclaimed);
		if (fp_nic())
			fp_tx_xmit_bypass(skb);
		else
			kfree_skb(skb);
	}
}

/*
 * Under tx_lock: flush the backlog, then ask the peer to kick us once it
 * has consumed everything. 1: drained; 0: wait; -EPROTO: broken.
 */
static int fp_tx_drain_check(struct fp_channel *ch)
{
	bool notify = false, kick = false;
	int ret = 0;

	if (!skb_queue_empty(&ch->backlog) &&
	    fp_tx_flush(ch, &notify) == -EPROTO)
		ret = -EPROTO;
	else if (skb_queue_empty(&ch->backlog) &&
		 sym_ring_tx_drained(&ch->tx, &kick))
		ret = sym_ring_tx_broken(&ch->tx) ? -EPROTO : 1;
	/* Set only with tx_open true: the irq is still bound. */
	if (notify || kick)
		notify_remote_via_irq(ch->irq);
	return ret;
}

/*
 * Our own suspend (PM .freeze: userspace is frozen, the peer is alive and
 * still consuming), channel open, fp_lock held: wait until the peer has
 * consumed our backlog and ring, so that teardown has nothing to take
 * back and re-send on a NIC that is about to suspend too (netfront drops
 * much of such a burst). Bounded: until deadline, and while the peer
 * consumes something in every FP_DRAIN_IDLE_MS; a peer that closes,
 * breaks the ring or goes quiet ends it early, and what is left takes
 * the NIC at teardown as before. Returns 0 when drained, -ETIMEDOUT,
 * -EPIPE (closed) or -EPROTO.
 */
int fp_tx_drain(struct fp_channel *ch, unsigned long deadline)
{
	u32 seen, left = 0;
	u64 moved = 0;
	bool quiet = false;
	long wait;
	int ret;

	WRITE_ONCE(ch->draining, true);
	for (;;) {
		/* Before the check: the kick it asks for bumps drain_events. */
		seen = READ_ONCE(ch->drain_events);
		spin_lock_bh(&ch->tx_lock);
		ret = ch->tx_open ? fp_tx_drain_check(ch) : -EPIPE;
		/* A whole idle wait, and the peer took nothing meanwhile. */
		if (!ret && quiet && left == sym_ring_tx_unconsumed(&ch->tx) &&
		    moved == ch->backlog_moved)
			ret = -ETIMEDOUT;
		left = sym_ring_tx_unconsumed(&ch->tx);
		moved = ch->backlog_moved;
		spin_unlock_bh(&ch->tx_lock);
		if (ret)
			break;
		if (fp_shmem_peer_closed(ch)) {
			ret = -EPIPE;
			break;
		}
		wait = min_t(long, (long)(deadline - jiffies),
			     msecs_to_jiffies(FP_DRAIN_IDLE_MS));
		if (wait <= 0) {
			ret = -ETIMEDOUT;
			break;
		}
		quiet = !wait_event_timeout(ch->drain_wq,
					    READ_ONCE(ch->drain_events) != seen,
					    wait);
	}
	WRITE_ONCE(ch->draining, false);
	return ret == 1 ? 0 : ret;
}
