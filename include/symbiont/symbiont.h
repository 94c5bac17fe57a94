/* SPDX-License-Identifier: GPL-2.0 */
/*
 * symbiont: the in-kernel API of the guest module for other modules
 * (the fast path is one such consumer).
 *
 * The co-resident peer table is an immutable snapshot published under RCU.
 * Lookups copy the peer out, so callers hold no reference afterwards:
 *
 *	struct symbiont_peer p;
 *	if (!symbiont_peer_lookup_by_mac(skb_mac, &p)) ... p.domid ...
 *
 * The notifier chain is a blocking chain called from the module's ordered
 * workqueue (join, leave, migrate of a peer) and, for this domain's own
 * suspend, synchronously from the PM .freeze callback before the domain
 * is suspended: a consumer must tear down its channels and unmap foreign
 * pages before returning from SYMBIONT_SELF_MIGRATE_OUT.
 */
#ifndef SYMBIONT_SYMBIONT_H
#define SYMBIONT_SYMBIONT_H

#include <linux/kobject.h>
#include <linux/notifier.h>
#include <linux/types.h>

#define SYMBIONT_UUID_LEN	36
#define SYMBIONT_NAME_MAX	64

enum symbiont_peer_state {
	SYMBIONT_PEER_JOINED = 1,
	SYMBIONT_PEER_MIGRATING = 2,
};

#define SYMBIONT_IPV4_MAX	8

/* An IPv4 prefix: addr in host byte order, len 0..32. */
struct symbiont_ipv4_prefix {
	u32 addr;
	u8 len;
};

struct symbiont_peer {
	u16 domid;
	bool has_mac;
	u8 mac[6];
	enum symbiont_peer_state state;
	char uuid[SYMBIONT_UUID_LEN + 1];
	char name[SYMBIONT_NAME_MAX + 1];
	/* dom0's policy allows no fast-path channel to this peer. */
	bool fastpath_off;
	/*
	 * The IPv4 addresses the toolstack allowed the peer's vif (`ip=` of
	 * its vif spec), which frames from it must come from; none: any.
	 */
	u8 nr_ipv4;
	struct symbiont_ipv4_prefix ipv4[SYMBIONT_IPV4_MAX];
};

/* Notifier actions; the data pointer is a const struct symbiont_peer *. */
enum symbiont_notify {
	SYMBIONT_PEER_JOIN,		/* a peer entered our view */
	SYMBIONT_PEER_LEAVE,		/* a peer left our view, for any reason */
	SYMBIONT_PEER_MIGRATE_OUT,	/* a peer announced it is migrating */
	SYMBIONT_PEER_MIGRATE_IN,	/* a peer came back under a new domid */
	SYMBIONT_SELF_MIGRATE_OUT,	/* we are about to be suspended (data: NULL) */
	/*
	 * We resumed, maybe with a new domid, which symbiont_self_domid()
	 * already returns (data: NULL).
	 */
	SYMBIONT_SELF_MIGRATE_IN,
	/*
	 * dom0's policy for a peer changed: fastpath_off or its allowed
	 * IPv4 prefixes (data: the peer, as lookups now return it).
	 */
	SYMBIONT_PEER_POLICY,
};

int symbiont_peer_lookup_by_domid(u16 domid, struct symbiont_peer *out);
int symbiont_peer_lookup_by_mac(const u8 mac[6], struct symbiont_peer *out);

/*
 * Call fn for each peer of one consistent snapshot, under rcu_read_lock():
 * fn must not sleep. A non-zero return stops the walk and is returned.
 */
int symbiont_peer_for_each(int (*fn)(const struct symbiont_peer *peer,
				     void *ctx), void *ctx);

u16 symbiont_self_domid(void);

/*
 * /sys/kernel/symbiont, for a consumer's own subdirectory (the fast path
 * adds channels/). Valid while the caller uses this module's symbols.
 */
struct kobject *symbiont_sysfs_root(void);

int symbiont_register_notifier(struct notifier_block *nb);
int symbiont_unregister_notifier(struct notifier_block *nb);

#endif
