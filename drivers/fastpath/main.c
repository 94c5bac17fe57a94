// SPDX-License-Identifier: GPL-2.0
/*
 * symbiont fast path: shared-memory channels between co-resident guests
 * of one symbiont group, transparent to applications, with fallback to
 * the NIC and no loss. See fastpath.h for the map of files, the data
 * flow, the lock order and lifetimes; Documentation/fastpath.md for the
 * protocol.
 *
 * This file: parameters, the symbiont notifier (what discovery tells us),
 * the netdev notifier (the NIC comes and goes), the egress hook's MAC
 * index, init and exit.
 *
 * MAC index: the hook maps a destination MAC to a channel without a scan
 * or a copy (fp_channel_by_mac): an immutable MAC -> domid hash
 * (drivers/core/mac_index.c) of every channel's peer, rebuilt whole under
 * fp_lock after each join, leave or migrate-in and each load-time pass
 * (channels come and go only there; a migrate-out or our own suspend
 * only steps them), published with rcu_replace_pointer, the old one
 * freed with kfree_rcu. The hook then finds the channel by domid
 * (xarray). A MAC that two channels' peers share (two live domains with
 * one MAC) is ambiguous in the index: its frames take the NIC, which
 * knows where each domain's vif is.
 *
 * Init order: workqueue, sysfs (needs symbiont_guest's directory), the
 * netdev notifier (attaches the egress hook to the NIC, now or when it
 * appears), the view watch, the symbiont notifier, then one pass over
 * the peers already known. Exit undoes it in reverse: no new input, then
 * every channel torn down (frames taken back go out on the NIC), then the
 * hook goes.
 */
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/netdevice.h>
#include <linux/rtnetlink.h>
#include <linux/slab.h>
#include <xen/xen.h>
#include "fastpath.h"
#include "mac_index.h"


static char *nic = "eth0";
module_param(nic, charp, 0444);
MODULE_PARM_DESC(nic, "the NIC whose traffic to co-resident peers takes the fast path (default eth0)");

static unsigned int suspend_drain_ms = 1000;
module_param(suspend_drain_ms, uint, 0644);
MODULE_PARM_DESC(suspend_drain_ms, "at our suspend, wait at most this long for peers to consume what we sent them; the rest takes the NIC (default 1000, 0: no wait)");

#ifdef SYMBIONT_FAULT_INJECTION
bool fp_hostile;
module_param_named(hostile, fp_hostile, bool, 0644);
MODULE_PARM_DESC(hostile, "TEST ONLY: corrupt the ring indices and lengths this side publishes");
#endif

DEFINE_MUTEX(fp_lock);
struct workqueue_struct *fp_wq;
static struct net_device __rcu *fp_nic_dev;
/* Between SELF_MIGRATE_OUT and SELF_MIGRATE_IN: set up nothing. */
static bool fp_suspended;
static struct work_struct start_work;

/* The hook's MAC -> domid index; the table follows the rcu_head. */
struct fp_macs {
	struct rcu_head rcu;
	struct sym_mac_index idx;	/* last: its slots follow */
};
static struct fp_macs __rcu *fp_macs;

/* RCU: the channel of the peer with this (unicast) MAC, or NULL (also if
 * two peers share it: sym_mac_index_lookup() fails for an ambiguous MAC).
 */
struct fp_channel *fp_channel_by_mac(const u8 *mac)
{
	struct fp_macs *m = rcu_dereference(fp_macs);
	struct fp_channel *ch;
	u16 domid;

	if (!m || sym_mac_index_lookup(&m->idx, mac, &domid))
		return NULL;
	ch = fp_channel_find(domid);
	/* The index may lag the table by one event: trust only a match. */
	if (!ch || !ether_addr_equal(ch->peer_mac, mac))
		return NULL;
	return ch;
}

/*
 * Under fp_lock, after the channel table changed: a new index of every
 * channel's peer MAC replaces the old one. No channel, no index (so the
 * last one is freed at exit); without memory, no index either (all frames
 * take the NIC) rather than a stale one.
 */
static void fp_macs_rebuild(void)
{
	struct fp_macs *m = NULL, *old;
	struct fp_channel *ch;
	unsigned long peer;
	u32 n = 0, slots;

	lockdep_assert_held(&fp_lock);
	for (peer = 0; (ch = fp_channel_next(&peer)); peer++)
		n++;
	slots = sym_mac_index_slots(n);
	if (n && slots)
		m = kmalloc(offsetof(struct fp_macs, idx) +
			    sym_mac_index_bytes(slots), GFP_KERNEL);
	if (m && sym_mac_index_init(&m->idx, slots)) {
		kfree(m);
		m = NULL;
	}
	for (peer = 0; m && (ch = fp_channel_next(&peer)); peer++)
		if (sym_mac_index_add(&m->idx, ch->peer_mac, ch->peer)) {
			kfree(m);	/* cannot happen: sized for n */
			m = NULL;
		}
	if (!m && n)
		pr_warn_ratelimited("no MAC index for %u peers: frames take the NIC\n",
				    n);
	old = rcu_replace_pointer(fp_macs, m, lockdep_is_held(&fp_lock));
	if (old)
		kfree_rcu(old, rcu);
}

struct net_device *fp_nic(void)
{
	return rcu_dereference_check(fp_nic_dev, lockdep_is_held(&fp_lock) ||
				     rcu_read_lock_any_held());
}

bool fp_may_start(void)
{
	lockdep_assert_held(&fp_lock);
	return !fp_suspended && fp_nic();
}

/* Under fp_lock: a peer is (again) in our view. */
static void fp_peer_start(const struct symbiont_peer *peer)
{
	struct symbiont_peer live;
	struct fp_channel *ch;
	struct sym_fp_record *rec;
	unsigned long other;

	/*
	 * A peer back under a new domid: its old channel is dead, if its
	 * old domid left our view. A domid still in it is another live
	 * domain with the same MAC (a VM restored twice from one save
	 * file): both keep their channels, and the MAC index marks the MAC
	 * ambiguous, so that no frame for it takes either.
	 */
	for (other = 0; (ch = fp_channel_next(&other)); other++)
		if (ch->peer != peer->domid &&
		    ether_addr_equal(ch->peer_mac, peer->mac) &&
		    symbiont_peer_lookup_by_domid(ch->peer, &live))
			fp_channel_destroy(ch);

	if (fp_channel_get(peer, &ch))
		return;
	fp_step(ch, FP_EV_START, NULL);
	rec = kmalloc(sizeof(*rec), GFP_KERNEL);
	if (rec && !fp_view_read(peer->domid, rec))
		fp_step(ch, FP_EV_VIEW, rec);
	kfree(rec);
}

static int fp_symbiont_event(struct notifier_block *nb, unsigned long action,
			     void *data)
{
	const struct symbiont_peer *peer = data;
	struct fp_channel *ch;

	mutex_lock(&fp_lock);
	switch (action) {
	case SYMBIONT_PEER_JOIN:
	case SYMBIONT_PEER_MIGRATE_IN:
		fp_peer_start(peer);
		fp_macs_rebuild();	/* channels may have come and gone */
		break;
	case SYMBIONT_PEER_POLICY:
		/* Off: the channel goes; on again: it starts; ip=: applied. */
		ch = fp_channel_find(peer->domid);
		if (ch)
			fp_peer_start(peer);
		break;
	case SYMBIONT_PEER_LEAVE:
		ch = fp_channel_find(peer->domid);
		if (ch) {
			fp_step(ch, FP_EV_PEER_GONE, NULL);
			fp_channel_destroy(ch);
		}
		fp_grants_peer_left(peer->domid);
		fp_macs_rebuild();
		break;
	case SYMBIONT_PEER_MIGRATE_OUT:
		ch = fp_channel_find(peer->domid);
		if (ch)
			fp_step(ch, FP_EV_PEER_GONE, NULL);
		break;
	case SYMBIONT_SELF_MIGRATE_OUT:
		/*
		 * Synchronous: every foreign page is unmapped on return. The
		 * peers are alive: they consume what we sent them first.
		 */
		fp_suspended = true;
		fp_drain_all(READ_ONCE(suspend_drain_ms));
		fp_step_all(FP_EV_STOP);
		break;
	case SYMBIONT_SELF_MIGRATE_IN:
		/* Our domid may have changed, and with it our roles. */
		fp_suspended = false;
		fp_step_all(FP_EV_START);
		break;
	}
	mutex_unlock(&fp_lock);
	return NOTIFY_OK;
}

static struct notifier_block fp_symbiont_nb = {
	.notifier_call = fp_symbiont_event,
};

struct fp_peer_list {
	struct symbiont_peer *peers;
	unsigned int n;
};

static int fp_collect_peer(const struct symbiont_peer *peer, void *ctx)
{
	struct fp_peer_list *list = ctx;

	if (list->n >= FP_MAX_PEERS)
		return -ENOSPC;
	list->peers[list->n++] = *peer;
	return 0;
}

/* The peers discovery already knows (at load, or when the NIC appears). */
static void fp_start_work(struct work_struct *work)
{
	struct fp_peer_list list = {};
	unsigned int i;

	list.peers = kcalloc(FP_MAX_PEERS, sizeof(*list.peers), GFP_KERNEL);
	if (!list.peers)
		return;
	if (symbiont_peer_for_each(fp_collect_peer, &list))
		pr_warn("more than %d peers; the rest wait for their next event\n",
			FP_MAX_PEERS);
	mutex_lock(&fp_lock);
	for (i = 0; i < list.n; i++)
		fp_peer_start(&list.peers[i]);
	fp_macs_rebuild();
	mutex_unlock(&fp_lock);
	kfree(list.peers);
}

static int fp_netdev_event(struct notifier_block *nb, unsigned long event,
			   void *ptr)
{
	struct net_device *dev = netdev_notifier_info_to_dev(ptr);
	int err;

	switch (event) {
	case NETDEV_REGISTER:
		if (rtnl_dereference(fp_nic_dev) || strcmp(dev->name, nic) ||
		    !net_eq(dev_net(dev), &init_net))
			break;
		err = fp_tx_init(dev);
		if (err) {
			pr_warn("%s: cannot hook egress (%d)\n", dev->name, err);
			break;
		}
		dev_hold(dev);
		rcu_assign_pointer(fp_nic_dev, dev);
		pr_info("fast path on %s\n", dev->name);
		queue_work(fp_wq, &start_work);
		break;
	case NETDEV_UNREGISTER:
		if (dev != rtnl_dereference(fp_nic_dev))
			break;
		mutex_lock(&fp_lock);
		fp_step_all(FP_EV_STOP);
		RCU_INIT_POINTER(fp_nic_dev, NULL);
		mutex_unlock(&fp_lock);
		fp_tx_exit(dev);
		synchronize_net();
		dev_put(dev);
		break;
	}
	return NOTIFY_DONE;
}

static struct notifier_block fp_netdev_nb = {
	.notifier_call = fp_netdev_event,
};

static int __init symbiont_fastpath_init(void)
{
	int err;

	if (!xen_domain() || xen_initial_domain()) {
		pr_err("not running in a Xen guest; refusing to load\n");
		return -ENODEV;
	}

	fp_wq = alloc_ordered_workqueue("symbiont_fp", WQ_MEM_RECLAIM);
	if (!fp_wq)
		return -ENOMEM;
	INIT_WORK(&start_work, fp_start_work);

	err = fp_sysfs_init();
	if (err)
		goto destroy_wq;
	err = register_netdevice_notifier(&fp_netdev_nb);
	if (err)
		goto exit_sysfs;
	err = fp_negotiate_init();
	if (err)
		goto unregister_netdev_nb;
	err = symbiont_register_notifier(&fp_symbiont_nb);
	if (err)
		goto exit_negotiate;
	queue_work(fp_wq, &start_work);
	pr_info("loaded, nic %s\n", nic);
	return 0;

exit_negotiate:
	fp_negotiate_exit();
unregister_netdev_nb:
	flush_workqueue(fp_wq);
	unregister_netdevice_notifier(&fp_netdev_nb);
exit_sysfs:
	fp_sysfs_exit();
destroy_wq:
	destroy_workqueue(fp_wq);
	return err;
}

static void __exit symbiont_fastpath_exit(void)
{
	symbiont_unregister_notifier(&fp_symbiont_nb);
	fp_negotiate_exit();
	/* start_work and every channel's event_work. */
	flush_workqueue(fp_wq);

	mutex_lock(&fp_lock);
	fp_channels_destroy_all();
	fp_macs_rebuild();
	mutex_unlock(&fp_lock);
	fp_grants_exit();
	fp_unpublish_all();

	/* Replays NETDEV_UNREGISTER: the egress hook goes, the NIC is put. */
	unregister_netdevice_notifier(&fp_netdev_nb);
	fp_sysfs_exit();
	destroy_workqueue(fp_wq);
}

module_init(symbiont_fastpath_init);
module_exit(symbiont_fastpath_exit);

MODULE_DESCRIPTION("symbiont: shared-memory fast path between co-resident Xen guests");
MODULE_LICENSE("GPL");
MODULE_IMPORT_NS(SYMBIONT);
