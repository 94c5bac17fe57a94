// SPDX-License-Identifier: GPL-2.0
/*
 * rx.c - frames from the peer into our stack, as if from our NIC.
 *
 * Data flow: the peer's event -> fp_interrupt() (lateeoi irq, masked
 * until we EOI) -> napi_schedule -> fp_napi_poll(): sym_ring_recv() copies
 * each message out of the shared ring straight into a fresh skb (a linear
 * head, then whole pages; sym_ring_peek() sizes it, sym_ring_recvv()
 * copies once); only then is anything in it looked at (the ring library
 * validated the record against its snapshot of prod). fp_rx_prepare() checks the frame
 * (header reserved bytes zero, source MAC = the peer's trusted MAC,
 * destination = our NIC; then sym_fp_frame_check(): only IPv4, IPv6 and
 * ARP, an IPv4 source or ARP sender within the peer's vif ip= as the
 * bridge's anti-spoofing would, offload metadata as strictly as netback),
 * applies the virtio_net_hdr (GSO, partial csum;
 * the helper is built for untrusted input), eth_type_trans() on the NIC,
 * and napi_gro_receive(): sockets, netfilter and tcpdump see it on the NIC.
 * When the ring is empty, NAPI completes and xen_irq_lateeoi() unmasks
 * the event (XSA-391: an event that brought nothing is reported
 * spurious, so a storm is throttled).
 *
 * A ring error (-EPROTO, hostile peer) hands FP_EV_ERROR to the state
 * machine through fp_channel_signal(); the channel is then torn down from
 * process context. Malformed frames are dropped and counted in errors,
 * spoofed ones in rx_spoofed, other ethertypes in rx_filtered.
 *
 * Locking: NAPI guarantees one poller per channel, which is the only
 * reader of the RX ring until teardown has disabled NAPI; teardown's
 * fp_rx_drain() then runs alone under fp_lock.
 */
#include <linux/interrupt.h>
#include <linux/skbuff.h>
#include <xen/events.h>
#include "fastpath.h"

#define FP_RX_COPYBREAK		2048u	/* received straight into the skb */
#define FP_RX_HEAD		256u	/* linear part of a paged skb */

irqreturn_t fp_interrupt(int irq, void *dev_id)
{
	struct fp_channel *ch = dev_id;

	/* The event stays masked until fp_napi_poll() sends the late EOI. */
	napi_schedule(&ch->napi);
	return IRQ_HANDLED;
}

/* An skb holding buf[0..len): linear head, the rest in page fragments. */
struct sk_buff *fp_skb_from_buf(struct napi_struct *napi, const u8 *buf,
				u32 len, gfp_t gfp)
{
	u32 head = min(len, FP_RX_HEAD);
	struct sk_buff *skb;
	struct page *page;
	u32 off, chunk;
	int i = 0;

	skb = napi ? napi_alloc_skb(napi, head) : alloc_skb(head, gfp);
	if (!skb)
		return NULL;
	skb_put_data(skb, buf, head);
	for (off = head; off < len; off += chunk) {
		chunk = min_t(u32, len - off, PAGE_SIZE);
		if (i >= MAX_SKB_FRAGS)
			goto drop;
		page = alloc_page(gfp);
		if (!page)
			goto drop;
		memcpy(page_address(page), buf + off, chunk);
		skb_add_rx_frag(skb, i++, page, 0, chunk, PAGE_SIZE);
	}
	return skb;

drop:
	kfree_skb(skb);
	return NULL;
}

/*
 * Checks one received message (header + frame, in skb) and makes it a
 * received frame of nic. Returns 0, or the verdict of the check (the
 * caller counts and drops it).
 */
static enum sym_fp_verdict fp_rx_prepare(struct fp_channel *ch,
					 struct sk_buff *skb,
					 struct net_device *nic)
{
	static const u8 zero[sizeof_field(struct fp_frame_hdr, reserved)];
	const struct fp_peer_ipv4 *ipv4;
	enum sym_fp_verdict verdict;
	struct fp_frame_hdr hdr;
	const struct ethhdr *eth;
	struct sym_fp_vnet vnet;

	if (skb->len < FP_HDR_LEN + ETH_HLEN ||
	    !pskb_may_pull(skb, FP_HDR_LEN + ETH_HLEN))
		return SYM_FP_FRAME_MALFORMED;
	memcpy(&hdr, skb->data, sizeof(hdr));
	if (memcmp(hdr.reserved, zero, sizeof(zero)))
		return SYM_FP_FRAME_MALFORMED;
	__skb_pull(skb, FP_HDR_LEN);

	eth = (const struct ethhdr *)skb->data;
	if (!ether_addr_equal(eth->h_source, ch->peer_mac) ||
	    !ether_addr_equal(eth->h_dest, nic->dev_addr))
		return SYM_FP_FRAME_MALFORMED;

	/* What the bridge would refuse, and offload state netback would. */
	if (!pskb_may_pull(skb, min(skb->len, SYM_FP_FRAME_HEAD)))
		return SYM_FP_FRAME_MALFORMED;
	fp_vnet_from_hdr(&hdr.vnet, &vnet);
	rcu_read_lock();
	ipv4 = rcu_dereference(ch->peer_ipv4);
	verdict = sym_fp_frame_check(&vnet, skb->data, skb_headlen(skb),
				     skb->len, ipv4 ? &ipv4->addrs : NULL);
	rcu_read_unlock();
	if (verdict != SYM_FP_FRAME_OK)
		return verdict;

	skb->dev = nic;
	skb->protocol = eth->h_proto;
	skb_set_network_header(skb, ETH_HLEN);
	if (virtio_net_hdr_to_skb(skb, &hdr.vnet, true))
		return SYM_FP_FRAME_OFFLOAD;
	skb->protocol = eth_type_trans(skb, nic);
	/* Never on a wire: nothing to verify (a partial csum stays partial). */
	if (skb->ip_summed == CHECKSUM_NONE)
		skb->ip_summed = CHECKSUM_UNNECESSARY;
	return SYM_FP_FRAME_OK;
}

/* A frame the peer sent that we do not take: counted by why. */
static void fp_rx_count_drop(struct fp_channel *ch, enum sym_fp_verdict why)
{
	switch (why) {
	case SYM_FP_FRAME_SPOOFED:
		atomic64_inc(&ch->stats.rx_spoofed);
		break;
	case SYM_FP_FRAME_ETHERTYPE:
		atomic64_inc(&ch->stats.rx_filtered);
		break;
	default:
		atomic64_inc(&ch->stats.errors);
		break;
	}
}

/*
 * An skb for a len-byte message, with bufs[] describing where the ring
 * should copy it: a linear head, then whole pages as fragments (not yet
 * accounted in the skb; fp_rx_fill() does that once the copy is done).
 */
static struct sk_buff *fp_rx_alloc(struct napi_struct *napi, u32 len,
				   struct sym_ring_buf *bufs, unsigned int *n)
{
	u32 head = len <= FP_RX_COPYBREAK ? len : FP_RX_HEAD, off;
	struct sk_buff *skb;
	struct page *page;
	unsigned int i = 0;

	skb = napi_alloc_skb(napi, head);
	if (!skb)
		return NULL;
	bufs[i].base = skb->data;
	bufs[i++].len = head;
	for (off = head; off < len; off += PAGE_SIZE) {
		if (i > MAX_SKB_FRAGS)
			goto drop;
		page = alloc_page(GFP_ATOMIC);
		if (!page)
			goto drop;
		skb_shinfo(skb)->frags[i - 1].bv_page = page;
		bufs[i].base = page_address(page);
		bufs[i++].len = PAGE_SIZE;
	}
	*n = i;
	return skb;

drop:
	while (--i > 0)
		put_page(skb_shinfo(skb)->frags[i - 1].bv_page);
	kfree_skb(skb);
	return NULL;
}

/* After the copy: account len bytes over the head and the pages used. */
static void fp_rx_fill(struct sk_buff *skb, const struct sym_ring_buf *bufs,
		       unsigned int n, u32 len)
{
	unsigned int i, used = 0;
	u32 chunk;

	chunk = min(len, bufs[0].len);
	skb_put(skb, chunk);
	len -= chunk;
	for (i = 1; i < n; i++) {
		struct page *page = skb_shinfo(skb)->frags[i - 1].bv_page;

		if (!len) {		/* the peer shortened the message */
			put_page(page);
			continue;
		}
		chunk = min_t(u32, len, PAGE_SIZE);
		skb_add_rx_frag(skb, used++, page, 0, chunk, PAGE_SIZE);
		len -= chunk;
	}
}

/* 1 delivered or dropped, -EAGAIN empty, -EPROTO ring broken. */
static int fp_rx_one(struct fp_channel *ch, struct napi_struct *napi)
{
	struct sym_ring_buf bufs[MAX_SKB_FRAGS + 1];
	struct net_device *nic = fp_nic();
	enum sym_fp_verdict verdict;
	struct sk_buff *skb;
	unsigned int n;
	u32 len;
	u16 type;
	int err;

	err = sym_ring_peek(&ch->rx, &len);
	if (err)
		return err;
	skb = fp_rx_alloc(napi, len, bufs, &n);
	if (!skb)
		return -ENOMEM;
	/* One copy, from the shared ring straight into the skb. */
	err = sym_ring_recvv(&ch->rx, bufs, n, &len, &type, NULL);
	if (err) {
		fp_rx_fill(skb, bufs, n, 0);	/* frees the pages */
		kfree_skb(skb);
		/* Grown since the peek: the peer rewrote a header. */
		return err == -EMSGSIZE ? -EPROTO : err;
	}
	fp_rx_fill(skb, bufs, n, len);

	verdict = type != FP_MSG_FRAME || !nic ? SYM_FP_FRAME_MALFORMED :
		  fp_rx_prepare(ch, skb, nic);
	if (verdict != SYM_FP_FRAME_OK) {
		fp_rx_count_drop(ch, verdict);
		kfree_skb(skb);
		return 1;
	}
	WRITE_ONCE(ch->stats.rx_packets, ch->stats.rx_packets + 1);
	WRITE_ONCE(ch->stats.rx_bytes, ch->stats.rx_bytes + skb->len + ETH_HLEN);
	napi_gro_receive(napi, skb);
	return 1;
}

int fp_napi_poll(struct napi_struct *napi, int budget)
{
	struct fp_channel *ch = container_of(napi, struct fp_channel, napi);
	bool notify = false, kick, more, closed;
	int done = 0, err, moved;

	/* The event may also say the peer made room for our backlog. */
	moved = fp_tx_kick(ch);
	while (done < budget) {
		err = fp_rx_one(ch, napi);
		if (err == -EAGAIN) {
			/*
			 * Re-arms prod_event; true if a message raced in. Its
			 * kick flag is per call: a later call must not lose it.
			 */
			more = sym_ring_rx_final_check(&ch->rx, &kick);
			notify |= kick;
			if (more)
				continue;
			break;
		}
		if (err == -EPROTO) {
			fp_channel_signal(ch, FP_PENDING_ERROR);
			break;
		}
		if (err < 0)	/* -ENOMEM: try again on the next poll */
			break;
		done++;
	}
	if (sym_ring_rx_push(&ch->rx))
		notify = true;
	if (notify)
		notify_remote_via_irq(ch->irq);
	/* Our suspend waits for the peer to consume (fp_tx_drain). */
	if (unlikely(READ_ONCE(ch->draining))) {
		WRITE_ONCE(ch->drain_events, ch->drain_events + 1);
		wake_up(&ch->drain_wq);
	}
	/*
	 * The peer's closed word is news once: the state machine then tears
	 * the channel (or the offer) down, unbinding this irq. Until it has,
	 * events that find the word still set bring nothing new.
	 */
	closed = fp_shmem_peer_closed(ch) &&
		 fp_channel_signal(ch, FP_PENDING_PEER_CLOSED);

	/* An event that brought no frames, no room and no close is spurious. */
	if (done < budget && napi_complete_done(napi, done))
		xen_irq_lateeoi(ch->irq, done || moved || closed ?
				0 : XEN_EOI_FLAG_SPURIOUS);
	return done;
}

/*
 * Teardown, NAPI disabled: deliver what the peer already put in our RX
 * ring. Bounded by the number of records the ring can hold, not by
 * anything the peer says.
 */
void fp_rx_drain(struct fp_channel *ch)
{
	struct net_device *nic = fp_nic();
	unsigned int n;
	struct sk_buff *skb;
	u32 len;
	u16 type;

	for (n = 0; n < FP_RING_SIZE / SYM_RING_HDR_SIZE; n++) {
		if (sym_ring_recv(&ch->rx, ch->rx_buf, FP_MAX_MSG, &len, &type,
				  NULL))
			break;
		skb = fp_skb_from_buf(NULL, ch->rx_buf, len, GFP_KERNEL);
		if (!skb || type != FP_MSG_FRAME || !nic ||
		    fp_rx_prepare(ch, skb, nic)) {
			atomic64_inc(&ch->stats.errors);
			kfree_skb(skb);
			continue;
		}
		WRITE_ONCE(ch->stats.rx_packets, ch->stats.rx_packets + 1);
		WRITE_ONCE(ch->stats.rx_bytes,
			   ch->stats.rx_bytes + skb->len + ETH_HLEN);
		netif_rx(skb);
	}
}
