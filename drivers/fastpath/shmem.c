// SPDX-License-Identifier: GPL-2.0
/*
 * shmem.c - the shared resources of one channel: pages, grants, the event
 * channel, the two rings and the NAPI context; set up for either role
 * and torn down without loss. The grant-table and event-channel
 * primitives are called directly: no xenbus device is involved (there is
 * none: the channel is not a xenbus device), and failures are reported
 * here, rate-limited, never in XenStore.
 *
 * Granter (lower domid): a control page and 2 x FP_RING_SEGS segments of
 * 64 KiB, dedicated and zeroed (XSA-403: nothing but ring data ever lives
 * in them), each page granted to the peer with
 * gnttab_grant_foreign_access() and listed in the control page; an
 * unbound event channel for the peer (EVTCHNOP_alloc_unbound), bound
 * lateeoi here.
 * Mapper (higher domid): FP_NR_PAGES pages without backing memory
 * (gnttab_alloc_pages), each mapped in place by gnttab_map_refs() with
 * GNTMAP_host_map: the control page first, whose reference list is copied
 * out once, then the data pages in batches. Each page is used at its own
 * kernel address (no vmap, nothing in /proc/vmallocinfo), so both roles
 * hand the ring library one segment per page. The event channel is bound
 * with EVTCHNOP_bind_interdomain, then lateeoi like the granter's.
 *
 * Teardown order (fp_shmem_teardown), every step safe on a partly set-up
 * channel:
 *   1. close TX under tx_lock: the hook stops using the ring and stops
 *      kicking the peer (it kicks only under tx_lock with tx_open set);
 *   2. set our closed word and kick: the peer falls back too;
 *   3. disable NAPI, unbind the irq (closes the port; waits for a
 *      running handler), delete NAPI: nothing reads the RX ring any more;
 *   4. deliver what is left in the RX ring, take back what the peer has
 *      not consumed from the TX ring and re-send it through the NIC,
 *      then the backlog of frames that never reached the ring;
 *   5. release memory: the mapper unmaps (before SELF_MIGRATE_OUT
 *      returns, so the save does not fail on foreign frames) and gives
 *      the pages back with gnttab_free_pages() (a page whose unmap failed
 *      is leaked, never reused); the granter ends each grant through
 *      grants.c, which frees a page only once the peer no longer maps it
 *      (XSA-396) and retains, zeroed, the ones it still maps: no new
 *      offer to that peer until it lets them go.
 *
 * Locking: under fp_lock, except the closed-word reader used by NAPI.
 */
#include <linux/gfp.h>
#include <linux/interrupt.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>
#include <xen/events.h>
#include <xen/grant_table.h>
#include <xen/page.h>
#include <xen/interface/event_channel.h>
#include <asm/xen/hypercall.h>
#include "fastpath.h"

#define FP_NAPI_WEIGHT	64
#define FP_MAP_BATCH	16	/* grant operations per hypercall */

/* Mapper: the granter's pages, mapped here. */
struct fp_mapping {
	struct page *pages[FP_NR_PAGES];	/* ch->refs[i] maps at pages[i] */
	grant_handle_t handles[FP_NR_PAGES];	/* INVALID_GRANT_HANDLE: not mapped */
};

static void fp_shmem_attach_rings(struct fp_channel *ch)
{
	unsigned int mine = ch->granter ? FP_ROLE_GRANTER : FP_ROLE_MAPPER;
	unsigned int theirs = 1 - mine;

	/* Ring r is produced by role r; one segment per page, both roles. */
	sym_ring_tx_init_segs(&ch->tx, &ch->ctrl->ring[mine], ch->segs[mine],
			      FP_PAGE_SIZE, FP_DATA_PAGES, FP_MAX_MSG);
	sym_ring_rx_init_segs(&ch->rx, &ch->ctrl->ring[theirs],
			      ch->segs[theirs], FP_PAGE_SIZE, FP_DATA_PAGES,
			      FP_MAX_MSG);
	ch->closed[FP_ROLE_GRANTER] = &ch->ctrl->closed[FP_ROLE_GRANTER].closed;
	ch->closed[FP_ROLE_MAPPER] = &ch->ctrl->closed[FP_ROLE_MAPPER].closed;
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

/* Index in ch->refs of data page p (of FP_DATA_PAGES) of ring r. */
static unsigned int fp_ref_index(unsigned int r, unsigned int p)
{
	return 1 + r * FP_DATA_PAGES + p;
}

/*
 * Binds a port of ours (allocated or bound for the peer) to our lateeoi
 * handler; closes it on failure, as in-tree frontends do.
 */
static int fp_shmem_bind(struct fp_channel *ch, evtchn_port_t port)
{
	struct evtchn_close close = { .port = port };
	int irq;

	irq = bind_evtchn_to_irqhandler_lateeoi(port, fp_interrupt, 0,
						"symbiont-fp", ch);
	if (irq < 0) {
		HYPERVISOR_event_channel_op(EVTCHNOP_close, &close);
		pr_warn_ratelimited("peer %u: cannot bind event channel %u (%d)\n",
				    ch->peer, port, irq);
		return irq;
	}
	ch->port = port;
	ch->irq = irq;
	return 0;
}


/* Granter: zeroed dedicated pages (XSA-403), granted, listed, and a port. */
int fp_shmem_offer(struct fp_channel *ch)
{
	struct evtchn_alloc_unbound alloc = {
		.dom = DOMID_SELF,
		.remote_dom = ch->peer,
	};
	unsigned int r, seg, p, i;
	u8 *base;
	int err;

	BUILD_BUG_ON(PAGE_SIZE != FP_PAGE_SIZE);
	for (i = 0; i < FP_NR_PAGES; i++)
		ch->refs[i] = INVALID_GRANT_REF;
	err = fp_grants_may_offer(ch->peer);
	if (err)
		return err;
	ch->ctrl = (struct sym_fp_ctrl_page *)get_zeroed_page(GFP_KERNEL);
	if (!ch->ctrl)
		return -ENOMEM;
	for (r = 0; r < 2; r++)
		for (seg = 0; seg < FP_RING_SEGS; seg++) {
			/* Order-0 pages each once split: see grant_table.h. */
			base = alloc_pages_exact(FP_SEG_SIZE,
						 GFP_KERNEL | __GFP_ZERO);
			if (!base) {
				err = -ENOMEM;
				goto teardown;
			}
			for (p = 0; p < FP_SEG_PAGES; p++)
				ch->segs[r][seg * FP_SEG_PAGES + p] =
					base + p * FP_PAGE_SIZE;
		}
	sym_ring_shared_init(&ch->ctrl->ring[0]);
	sym_ring_shared_init(&ch->ctrl->ring[1]);
	fp_shmem_attach_rings(ch);

	err = fp_grant_page(ch->peer, ch->ctrl, &ch->refs[0]);
	for (r = 0; !err && r < 2; r++)
		for (p = 0; !err && p < FP_DATA_PAGES; p++) {
			i = fp_ref_index(r, p);
			err = fp_grant_page(ch->peer, ch->segs[r][p], &ch->refs[i]);
			ch->ctrl->refs[i - 1] = cpu_to_le32(ch->refs[i]);
		}
	if (err)
		goto teardown;

	/* NAPI first: the irq may fire as soon as it is bound. */
	err = fp_shmem_napi(ch);
	if (err)
		goto teardown;
	err = HYPERVISOR_event_channel_op(EVTCHNOP_alloc_unbound, &alloc);
	if (err) {
		pr_warn_ratelimited("peer %u: cannot allocate an event channel (%d)\n",
				    ch->peer, err);
		goto teardown;
	}
	err = fp_shmem_bind(ch, alloc.port);
	if (err)
		goto teardown;
	return 0;

teardown:
	fp_shmem_teardown(ch);
	return err;
}

/*
 * Mapper: maps refs[first .. first + n) at their pages, FP_MAP_BATCH per
 * hypercall. Every page that mapped gets its handle, whatever happens to
 * the others. Returns 0, or -ENXIO if any did not map.
 */
static int fp_shmem_map_pages(struct fp_channel *ch, unsigned int first,
			      unsigned int n)
{
	struct gnttab_map_grant_ref op[FP_MAP_BATCH];
	struct fp_mapping *map = ch->map;
	unsigned int i, k, c;
	int err = 0, ret;

	for (i = first; i < first + n; i += c) {
		c = min(FP_MAP_BATCH, first + n - i);
		for (k = 0; k < c; k++)
			gnttab_set_map_op(&op[k],
					  (unsigned long)page_address(map->pages[i + k]),
					  GNTMAP_host_map, ch->refs[i + k], ch->peer);
		ret = gnttab_map_refs(op, NULL, &map->pages[i], c);
		for (k = 0; k < c; k++) {
			if (!ret && op[k].status == GNTST_okay) {
				map->handles[i + k] = op[k].handle;
				continue;
			}
			/* The hypercall's error, else the grant's status. */
			if (!err)
				pr_warn_ratelimited("peer %u: cannot map grant %u (%d)\n",
						    ch->peer, ch->refs[i + k],
						    ret ? ret : op[k].status);
			err = -ENXIO;
		}
	}
	return err;
}

/*
 * Mapper: map the control page, copy the granter's reference list out of
 * it once, map the data pages (a hostile list only makes a map fail),
 * bind.
 */
int fp_shmem_map(struct fp_channel *ch, const struct sym_fp_record *offer)
{
	struct evtchn_bind_interdomain bind = {
		.remote_dom = ch->peer,
		.remote_port = offer->evtchn,
	};
	unsigned int r, p, i;
	int err;

	if (offer->nr_pages != FP_XS_PAGES)
		return -EPROTO;
	ch->map = kzalloc(sizeof(*ch->map), GFP_KERNEL);
	if (!ch->map)
		return -ENOMEM;
	for (i = 0; i < FP_NR_PAGES; i++)
		ch->map->handles[i] = INVALID_GRANT_HANDLE;
	err = gnttab_alloc_pages(FP_NR_PAGES, ch->map->pages);
	if (err) {
		kfree(ch->map);
		ch->map = NULL;
		return err;
	}

	ch->refs[0] = offer->refs[0];
	err = fp_shmem_map_pages(ch, 0, 1);
	if (err)
		goto teardown;
	ch->ctrl = page_address(ch->map->pages[0]);
	for (i = 1; i < FP_NR_PAGES; i++)
		ch->refs[i] = le32_to_cpu(READ_ONCE(ch->ctrl->refs[i - 1]));
	err = fp_shmem_map_pages(ch, 1, FP_NR_PAGES - 1);
	if (err)
		goto teardown;
	for (r = 0; r < 2; r++)
		for (p = 0; p < FP_DATA_PAGES; p++)
			ch->segs[r][p] = page_address(ch->map->pages[fp_ref_index(r, p)]);
	fp_shmem_attach_rings(ch);

	/* NAPI first: the irq may fire as soon as it is bound. */
	err = fp_shmem_napi(ch);
	if (err)
		goto teardown;
	err = HYPERVISOR_event_channel_op(EVTCHNOP_bind_interdomain, &bind);
	if (err) {
		pr_warn_ratelimited("peer %u: cannot bind its event channel %u (%d)\n",
				    ch->peer, offer->evtchn, err);
		goto teardown;
	}
	err = fp_shmem_bind(ch, bind.local_port);
	if (err)
		goto teardown;
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

/*
 * Granter: each page's grant ends (pages never allocated are NULL); the
 * ones the peer still maps are retained (grants.c).
 */
static void fp_shmem_ungrant(struct fp_channel *ch)
{
	struct fp_retained *kept = NULL;
	unsigned int r, p, i;

	for (r = 0; r < 2; r++)
		for (p = 0; p < FP_DATA_PAGES; p++) {
			i = fp_ref_index(r, p);
			if (ch->segs[r][p])
				fp_grant_end(ch->peer, &ch->refs[i],
					     ch->segs[r][p], &kept);
		}
	if (ch->ctrl)
		fp_grant_end(ch->peer, &ch->refs[0], ch->ctrl, &kept);
	fp_grants_retain(kept);
}

/*
 * Mapper: unmaps every mapped page, FP_MAP_BATCH per hypercall, and gives
 * the pages back; a page whose unmap failed still holds the peer's frame
 * and is leaked rather than reused.
 */
static void fp_shmem_unmap(struct fp_channel *ch)
{
	struct gnttab_unmap_grant_ref op[FP_MAP_BATCH];
	struct page *pages[FP_MAP_BATCH];
	struct fp_mapping *map = ch->map;
	unsigned int i, k, c, leaked = 0;
	int ret;

	for (i = 0; i < FP_NR_PAGES; i += FP_MAP_BATCH) {
		for (k = 0, c = 0; k < FP_MAP_BATCH && i + k < FP_NR_PAGES; k++) {
			if (map->handles[i + k] == INVALID_GRANT_HANDLE)
				continue;
			gnttab_set_unmap_op(&op[c],
					    (unsigned long)page_address(map->pages[i + k]),
					    GNTMAP_host_map, map->handles[i + k]);
			pages[c++] = map->pages[i + k];
		}
		if (!c)
			continue;
		ret = gnttab_unmap_refs(op, NULL, pages, c);
		for (k = 0, c = 0; k < FP_MAP_BATCH && i + k < FP_NR_PAGES; k++) {
			if (map->handles[i + k] == INVALID_GRANT_HANDLE)
				continue;
			if (ret || op[c++].status != GNTST_okay) {
				map->pages[i + k] = NULL;	/* leaked */
				leaked++;
			}
			map->handles[i + k] = INVALID_GRANT_HANDLE;
		}
	}
	if (leaked)
		pr_err_ratelimited("peer %u: %u pages failed to unmap; leaked\n",
				   ch->peer, leaked);
	/* Back to the pool, skipping the leaked ones. */
	for (i = 0, c = 0; i < FP_NR_PAGES; i++)
		if (map->pages[i])
			map->pages[c++] = map->pages[i];
	gnttab_free_pages(c, map->pages);
	kfree(map);
	ch->map = NULL;
}

static void fp_shmem_release(struct fp_channel *ch)
{
	if (ch->granter)
		fp_shmem_ungrant(ch);
	else if (ch->map)
		fp_shmem_unmap(ch);
	memset(ch->segs, 0, sizeof(ch->segs));
	ch->ctrl = NULL;
	ch->closed[0] = NULL;
	ch->closed[1] = NULL;
}

void fp_shmem_teardown(struct fp_channel *ch)
{
	unsigned int mine = ch->granter ? FP_ROLE_GRANTER : FP_ROLE_MAPPER;
	bool rings = ch->closed[mine] != NULL;

	/*
	 * 1. The hook sees tx_open false under tx_lock and leaves the ring;
	 * it kicks the peer only under the lock with tx_open set, so after
	 * this nothing but us uses ch->irq from the TX side.
	 */
	spin_lock_bh(&ch->tx_lock);
	ch->tx_open = false;
	spin_unlock_bh(&ch->tx_lock);
	/*
	 * Sees tx_open false from now on: it neither re-arms nor signals. A
	 * stall it signalled before was this channel's: not the next one's.
	 */
	del_timer_sync(&ch->stall_timer);
	clear_bit(FP_PENDING_STALL, &ch->pending);

	/* 2. Tell the peer: our closed word, then the event. */
	if (rings) {
		WRITE_ONCE(*ch->closed[mine], 1);
		/*
		 * The word before the event; pairs with the peer's read of it
		 * in fp_shmem_peer_closed(), in the NAPI poll that this event
		 * schedules there (after the event, so after our store).
		 */
		virt_wmb();
	}
	if (ch->irq >= 0)
		notify_remote_via_irq(ch->irq);

	/*
	 * 3. NAPI first: the poll uses ch->irq for its late EOI and its
	 * kicks. An event after this finds NAPI disabled and schedules
	 * nothing.
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
