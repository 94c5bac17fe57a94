// SPDX-License-Identifier: GPL-2.0
/*
 * The co-resident peer table and the in-kernel API other modules use
 * (include/symbiont/symbiont.h).
 *
 * Data flow: view.c builds a complete, sorted sym_peer_set from dom0's
 * view and swaps it in with symbiont_table_replace(); readers look up
 * under rcu_read_lock() and copy the peer out. The previous snapshot goes
 * back to view.c for diffing and is freed after a grace period.
 *
 * Locking: table_lock serialises writers (there is one, symbiont_wq, but
 * exit also writes); readers are lockless under RCU. The notifier chain
 * is a blocking chain: callbacks run from symbiont_wq or from the PM
 * .freeze callback and may sleep.
 */
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/rcupdate.h>
#include <linux/slab.h>
#include "guest.h"

/* The public API's sizes are the core's, spelled for other modules. */
static_assert(SYMBIONT_UUID_LEN == SYM_UUID_STR_LEN);
static_assert(SYMBIONT_NAME_MAX == SYM_NAME_MAX);
static_assert(sizeof_field(struct symbiont_peer, mac) == SYM_MAC_LEN);
/* The exported prefixes are the core's, copied as they are. */
static_assert(SYMBIONT_IPV4_MAX == SYM_FP_MAX_ADDRS);
static_assert(sizeof(struct symbiont_ipv4_prefix) == sizeof(struct sym_fp_prefix));
static_assert(offsetof(struct symbiont_ipv4_prefix, len) == offsetof(struct sym_fp_prefix, len));

struct peer_table {
	struct rcu_head rcu;
	struct sym_peer_set set;	/* must stay last: flexible */
};

static struct peer_table __rcu *table;
static DEFINE_MUTEX(table_lock);
static BLOCKING_NOTIFIER_HEAD(symbiont_chain);

static struct peer_table *table_of(struct sym_peer_set *set)
{
	return container_of(set, struct peer_table, set);
}

struct sym_peer_set *symbiont_table_alloc(u32 capacity)
{
	struct peer_table *t;

	t = kvzalloc(offsetof(struct peer_table, set) +
		     sym_peer_set_size(capacity), GFP_KERNEL);
	if (!t)
		return NULL;
	sym_peer_set_init(&t->set, capacity);
	return &t->set;
}

static void table_free_rcu(struct rcu_head *head)
{
	kvfree(container_of(head, struct peer_table, rcu));
}

void symbiont_table_free(struct sym_peer_set *set)
{
	if (set)
		call_rcu(&table_of(set)->rcu, table_free_rcu);
}

struct sym_peer_set *symbiont_table_replace(struct sym_peer_set *set)
{
	struct peer_table *old;

	mutex_lock(&table_lock);
	old = rcu_dereference_protected(table, lockdep_is_held(&table_lock));
	/* rcu_assign_pointer orders the set's contents before publication. */
	rcu_assign_pointer(table, set ? table_of(set) : NULL);
	mutex_unlock(&table_lock);
	return old ? &old->set : NULL;
}

static void export_peer(const struct sym_peer *p, struct symbiont_peer *out)
{
	out->domid = p->domid;
	out->has_mac = p->has_mac;
	memcpy(out->mac, p->mac, sizeof(out->mac));
	out->state = p->state == SYM_PEER_MIGRATING ? SYMBIONT_PEER_MIGRATING
						    : SYMBIONT_PEER_JOINED;
	strscpy(out->uuid, p->uuid, sizeof(out->uuid));
	strscpy(out->name, p->name, sizeof(out->name));
	out->fastpath_off = p->fastpath_off;
	out->nr_ipv4 = p->ipv4.nr;
	memcpy(out->ipv4, p->ipv4.prefix, p->ipv4.nr * sizeof(out->ipv4[0]));
}

static int lookup(const struct sym_peer *(*find)(const struct sym_peer_set *,
						  const void *),
		  const void *key, struct symbiont_peer *out)
{
	const struct sym_peer *p = NULL;
	struct peer_table *t;

	rcu_read_lock();
	t = rcu_dereference(table);
	if (t)
		p = find(&t->set, key);
	if (p)
		export_peer(p, out);
	rcu_read_unlock();
	return p ? 0 : -ENOENT;
}

static const struct sym_peer *find_domid(const struct sym_peer_set *set,
					 const void *key)
{
	return sym_peer_set_find_domid(set, *(const u16 *)key);
}

static const struct sym_peer *find_mac(const struct sym_peer_set *set,
				       const void *key)
{
	return sym_peer_set_find_mac(set, key);
}

int symbiont_peer_lookup_by_domid(u16 domid, struct symbiont_peer *out)
{
	return lookup(find_domid, &domid, out);
}
EXPORT_SYMBOL_GPL(symbiont_peer_lookup_by_domid);

int symbiont_peer_lookup_by_mac(const u8 mac[6], struct symbiont_peer *out)
{
	return lookup(find_mac, mac, out);
}
EXPORT_SYMBOL_GPL(symbiont_peer_lookup_by_mac);

int symbiont_peer_for_each(int (*fn)(const struct symbiont_peer *peer,
				     void *ctx), void *ctx)
{
	struct symbiont_peer peer;
	struct peer_table *t;
	int ret = 0;
	u32 i;

	rcu_read_lock();
	t = rcu_dereference(table);
	for (i = 0; t && i < t->set.count && !ret; i++) {
		export_peer(&t->set.peers[i], &peer);
		ret = fn(&peer, ctx);
	}
	rcu_read_unlock();
	return ret;
}
EXPORT_SYMBOL_GPL(symbiont_peer_for_each);

int symbiont_register_notifier(struct notifier_block *nb)
{
	return blocking_notifier_chain_register(&symbiont_chain, nb);
}
EXPORT_SYMBOL_GPL(symbiont_register_notifier);

int symbiont_unregister_notifier(struct notifier_block *nb)
{
	return blocking_notifier_chain_unregister(&symbiont_chain, nb);
}
EXPORT_SYMBOL_GPL(symbiont_unregister_notifier);

int symbiont_notify(enum symbiont_notify action, const struct sym_peer *peer)
{
	struct symbiont_peer exported;

	if (!peer)
		return blocking_notifier_call_chain(&symbiont_chain, action, NULL);
	export_peer(peer, &exported);
	return blocking_notifier_call_chain(&symbiont_chain, action, &exported);
}

int symbiont_table_init(void)
{
	RCU_INIT_POINTER(table, NULL);
	return 0;
}

void symbiont_table_exit(void)
{
	symbiont_table_free(symbiont_table_replace(NULL));
	/* Wait for table_free_rcu() callbacks before the module text goes. */
	rcu_barrier();
}
