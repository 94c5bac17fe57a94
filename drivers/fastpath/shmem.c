// SPDX-License-Identifier: GPL-2.0
/*
 * shmem.c - the shared resources of one channel: pages, grants, the event
 * channel, the two rings and the NAPI context; set up for either role
 * and torn down without loss.
 *
 * Granter (lower domid): a control page and 2 x FP_RING_SEGS segments of
 * 64 KiB, dedicated and zeroed (XSA-403: nothing but ring data ever lives
 * in them), each page granted to the peer and listed in the control page;
 * an unbound event channel for the peer, bound lateeoi here.
 * Mapper (higher domid): xenbus_map_ring_valloc() of the control page,
 * then of each segment (XENBUS_MAX_RING_GRANTS pages per call, so each
 * segment is virtually contiguous; the ring library takes the segment
 * list), and EVTCHNOP_bind_interdomain through the lateeoi helper. Both helpers take
 * a struct xenbus_device only for otherend_id and error reports, so each
 * channel carries a zeroed stand-in (ch->xbdev) naming the peer.
 *
 * Teardown order (fp_shmem_teardown), every step safe on a partly set-up
 * channel:
 *   1. close TX under tx_lock: the hook stops using the ring;
 *   2. set our closed word and kick: the peer falls back too;
 *   3. disable NAPI, unbind the irq (closes the port; waits for a
 *      running handler), delete NAPI: nothing reads the RX ring any more;
 *   4. deliver what is left in the RX ring, take back what the peer has
 *      not consumed from the TX ring and re-send it through the NIC,
 *      then the backlog of frames that never reached the ring;
 *   5. release memory: the mapper unmaps (before SELF_MIGRATE_OUT
 *      returns, so the save does not fail on foreign frames); the
 *      granter ends each grant with gnttab_end_foreign_access(ref, page),
 *      which frees the page only once the peer no longer maps it
 *      (XSA-396); we never free a granted page ourselves.
 *
 * Locking: under fp_lock, except the closed-word reader used by NAPI.
 */
#include <linux/gfp.h>
#include <linux/interrupt.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>
#include <xen/events.h>
#include <xen/page.h>
#include "fastpath.h"

#define FP_NAPI_WEIGHT	64

static void fp_shmem_attach_rings(struct fp_channel *ch)
{
	unsigned int mine = ch->granter ? FP_ROLE_GRANTER : FP_ROLE_MAPPER;
	unsigned int theirs = 1 - mine;

	/* Ring r is produced by role r; the geometry is protocol constants. */
	sym_ring_tx_init_segs(&ch->tx, &ch->ctrl->ring[mine], ch->segs[mine],
			      FP_SEG_SIZE, FP_RING_SEGS, FP_MAX_MSG);
	sym_ring_rx_init_segs(&ch->rx, &ch->ctrl->ring[theirs],
			      ch->segs[theirs], FP_SEG_SIZE, FP_RING_SEGS,
			      FP_MAX_MSG);
	ch->closed[FP_ROLE_GRANTER] = &ch->ctrl->closed[FP_ROLE_GRANTER].closed;
	ch->closed[FP_ROLE_MAPPER] = &ch->ctrl->closed[FP_ROLE_MAPPER].closed;
}

static void fp_shmem_xbdev(struct fp_channel *ch)
{
	memset(&ch->xbdev, 0, sizeof(ch->xbdev));
	ch->xbdev.otherend_id = ch->peer;
	/* xenbus error paths read <nodename>/state: name a node never there. */
	ch->xbdev.nodename = "data/symbiont/fastpath-none";
	ch->xbdev.devicetype = "symbiont-fastpath";
}

static int fp_shmem_napi(struct fp_channel *ch)
{
	ch->rx_buf = vmalloc(FP_MAX_MSG);
	if (!ch->rx_buf)
		return -ENOMEM;
	init_dummy_netdev(&ch->napi_dev);
	netif_napi_add_weight(&ch->napi_dev, &ch->napi, fp_napi_poll,
			      FP_NAPI_WEIGHT);
	ch->napi_added = true;
	napi_enable(&ch->napi);
	return 0;
}

/* Index in ch->refs of page p of segment seg of ring r. */
static unsigned int fp_ref_index(unsigned int r, unsigned int seg,
				 unsigned int p)
{
	return 1 + r * FP_DATA_PAGES + seg * FP_SEG_PAGES + p;
}

static int fp_grant(struct fp_channel *ch, unsigned int i, void *page)
{
	int ref = gnttab_grant_foreign_access(ch->peer,
			xen_page_to_gfn(virt_to_page(page)), 0);

	if (ref < 0)
		return ref;
	ch->refs[i] = ref;
	return 0;
}

/* Granter: zeroed dedicated pages (XSA-403), granted, listed, and a port. */
int fp_shmem_offer(struct fp_channel *ch)
{
	__le32 *list;
	unsigned int r, seg, p, i;
	int err;

	fp_shmem_xbdev(ch);
	for (i = 0; i < FP_NR_PAGES; i++)
		ch->refs[i] = INVALID_GRANT_REF;
	ch->ctrl = (struct sym_fp_ctrl_page *)get_zeroed_page(GFP_KERNEL);
	if (!ch->ctrl)
		return -ENOMEM;
	for (r = 0; r < 2; r++)
		for (seg = 0; seg < FP_RING_SEGS; seg++) {
			/* Order-0 pages each once split: see grant_table.h. */
			ch->segs[r][seg] = alloc_pages_exact(FP_SEG_SIZE,
						GFP_KERNEL | __GFP_ZERO);
			if (!ch->segs[r][seg]) {
				err = -ENOMEM;
				goto teardown;
			}
		}
	sym_ring_shared_init(&ch->ctrl->ring[0]);
	sym_ring_shared_init(&ch->ctrl->ring[1]);
	fp_shmem_attach_rings(ch);

	err = fp_grant(ch, 0, ch->ctrl);
	list = ch->ctrl->refs;
	for (r = 0; !err && r < 2; r++)
		for (seg = 0; !err && seg < FP_RING_SEGS; seg++)
			for (p = 0; !err && p < FP_SEG_PAGES; p++) {
				i = fp_ref_index(r, seg, p);
				err = fp_grant(ch, i, ch->segs[r][seg] +
					       p * PAGE_SIZE);
				list[i - 1] = cpu_to_le32(ch->refs[i]);
			}
	if (err)
		goto teardown;

	/* NAPI first: the irq may fire as soon as it is bound. */
	err = fp_shmem_napi(ch);
	if (err)
		goto teardown;
	err = xenbus_alloc_evtchn(&ch->xbdev, &ch->port);
	if (err)
		goto teardown;
	err = bind_evtchn_to_irqhandler_lateeoi(ch->port, fp_interrupt, 0,
						"symbiont-fp", ch);
	if (err < 0) {
		xenbus_free_evtchn(&ch->xbdev, ch->port);
		ch->port = 0;
		goto teardown;
	}
	ch->irq = err;
	return 0;

teardown:
	fp_shmem_teardown(ch);
	return err;
}

/*
 * Mapper: map the control page, copy the granter's reference list out of
 * it once, map each segment (a hostile list only makes a map fail), bind.
 */
int fp_shmem_map(struct fp_channel *ch, const struct sym_fp_record *offer)
{
	const __le32 *list;
	unsigned int r, seg, i;
	void *addr;
	int err;

	if (offer->nr_pages != FP_XS_PAGES)
		return -EPROTO;
	fp_shmem_xbdev(ch);

	ch->refs[0] = offer->refs[0];
	err = xenbus_map_ring_valloc(&ch->xbdev, &ch->refs[0], 1, &addr);
	if (err)
		goto teardown;
	ch->ctrl = addr;
	list = ch->ctrl->refs;
	for (i = 1; i < FP_NR_PAGES; i++)
		ch->refs[i] = le32_to_cpu(READ_ONCE(list[i - 1]));

	for (r = 0; r < 2; r++)
		for (seg = 0; seg < FP_RING_SEGS; seg++) {
			err = xenbus_map_ring_valloc(&ch->xbdev,
					&ch->refs[fp_ref_index(r, seg, 0)],
					FP_SEG_PAGES, &addr);
			if (err)
				goto teardown;
			ch->segs[r][seg] = addr;
		}
	fp_shmem_attach_rings(ch);
	/* NAPI first: the irq may fire as soon as it is bound. */
	err = fp_shmem_napi(ch);
	if (err)
		goto teardown;

	err = bind_interdomain_evtchn_to_irqhandler_lateeoi(&ch->xbdev,
			offer->evtchn, fp_interrupt, 0, "symbiont-fp", ch);
	if (err < 0)
		goto teardown;
	ch->irq = err;
	return 0;

teardown:
	fp_shmem_teardown(ch);
	return err;
}

/* Under fp_lock: from now on the hook may put frames into the TX ring. */
void fp_shmem_open(struct fp_channel *ch)
{
	spin_lock_bh(&ch->tx_lock);
	ch->tx_open = true;
	spin_unlock_bh(&ch->tx_lock);
	/*
	 * Frames may already wait for us; look once (NAPI re-arms itself).
	 * BH off so that the softirq runs when BH is enabled again.
	 */
	local_bh_disable();
	napi_schedule(&ch->napi);
	local_bh_enable();
	notify_remote_via_irq(ch->irq);
}

/* NAPI: has the peer said it is gone? Its word, read once. */
bool fp_shmem_peer_closed(struct fp_channel *ch)
{
	unsigned int theirs = ch->granter ? FP_ROLE_MAPPER : FP_ROLE_GRANTER;

	return READ_ONCE(*ch->closed[theirs]) != 0;
}

/* Ends one grant; the page is freed once the peer no longer maps it. */
static void fp_end_grant(struct fp_channel *ch, unsigned int i, void *page)
{
	if (ch->refs[i] == INVALID_GRANT_REF) {
		free_page((unsigned long)page);	/* never granted: ours alone */
		return;
	}
	gnttab_end_foreign_access(ch->refs[i], virt_to_page(page));
	ch->refs[i] = INVALID_GRANT_REF;
}

static void fp_shmem_release(struct fp_channel *ch)
{
	unsigned int r, seg, p;

	for (r = 0; r < 2; r++)
		for (seg = 0; seg < FP_RING_SEGS; seg++) {
			u8 *base = ch->segs[r][seg];

			ch->segs[r][seg] = NULL;
			if (!base)
				continue;
			if (!ch->granter) {
				xenbus_unmap_ring_vfree(&ch->xbdev, base);
				continue;
			}
			for (p = 0; p < FP_SEG_PAGES; p++)
				fp_end_grant(ch, fp_ref_index(r, seg, p),
					     base + p * PAGE_SIZE);
		}
	if (ch->ctrl) {
		if (ch->granter)
			fp_end_grant(ch, 0, ch->ctrl);
		else
			xenbus_unmap_ring_vfree(&ch->xbdev, ch->ctrl);
		ch->ctrl = NULL;
	}
	ch->closed[0] = NULL;
	ch->closed[1] = NULL;
}

void fp_shmem_teardown(struct fp_channel *ch)
{
	unsigned int mine = ch->granter ? FP_ROLE_GRANTER : FP_ROLE_MAPPER;
	bool rings = ch->closed[mine] != NULL;

	/* 1. The hook sees tx_open false under tx_lock and leaves the ring. */
	spin_lock_bh(&ch->tx_lock);
	ch->tx_open = false;
	spin_unlock_bh(&ch->tx_lock);

	/*
	 * 2. Tell the peer. The store is ordered before the event by the
	 * hypercall in notify_remote_via_irq(); pairs with READ_ONCE in the
	 * peer's fp_shmem_peer_closed(), run from the irq that event raises.
	 */
	if (rings)
		WRITE_ONCE(*ch->closed[mine], 1);
	if (ch->irq >= 0)
		notify_remote_via_irq(ch->irq);

	/*
	 * 3. NAPI first: the poll uses ch->irq for its late EOI. An event
	 * after this finds NAPI disabled and schedules nothing.
	 */
	if (ch->napi_added)
		napi_disable(&ch->napi);
	if (ch->irq >= 0) {
		/* Closes the port too; waits for a running handler. */
		unbind_from_irqhandler(ch->irq, ch);
		ch->irq = -1;
		ch->port = 0;
	}
	if (ch->napi_added) {
		netif_napi_del(&ch->napi);
		ch->napi_added = false;
	}

	/* 4. Nothing else touches the rings now. */
	if (rings && ch->rx_buf) {
		fp_rx_drain(ch);
		fp_tx_reclaim(ch);
	}
	fp_tx_backlog_resend(ch);
	vfree(ch->rx_buf);
	ch->rx_buf = NULL;

	/* 5. */
	fp_shmem_release(ch);
}
