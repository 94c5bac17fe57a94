/* SPDX-License-Identifier: GPL-2.0 */
/*
 * peer_set.h - the guest's table of co-resident peers, as an immutable
 * snapshot sorted by domid.
 *
 * Data flow: whenever symbiont/generation fires, the guest glue allocates
 * sym_peer_set_size(n) bytes, calls sym_peer_set_init(), inserts every peer
 * it reads from its view, then diffs the new snapshot against the published
 * one with sym_peer_set_diff() (to drive notifiers) and publishes the new one
 * under RCU. Readers look peers up by domid or MAC.
 *
 * The allocation holds, after peers[capacity], a private index of the peers
 * ordered by uuid that insert keeps up to date; it is what makes the diff
 * O(n log n) without allocating. So: always allocate sym_peer_set_size()
 * bytes, copy a set only as a whole sym_peer_set_size(capacity) bytes, and
 * never edit peers[] directly.
 *
 * Locking/lifetime: pure code, caller serialises. Once published a set must
 * not be modified (readers see it lock-free); build a new one instead.
 */
#ifndef SYM_PEER_SET_H
#define SYM_PEER_SET_H

#include "sym_compat.h"
#include "fp_frame.h"

#define SYM_PEERS_MAX	1024

enum sym_peer_state {
	SYM_PEER_JOINED = 1,
	SYM_PEER_MIGRATING = 2,
};

struct sym_peer {
	u16 domid;
	u8 mac[6];
	bool has_mac;
	enum sym_peer_state state;
	char uuid[37];
	char name[65];
	bool fastpath_off;		/* dom0's policy: no channel to it */
	struct sym_fp_addrs ipv4;	/* its vif's ip=; nr 0: unrestricted */
};

/* peers[] is sorted by domid; domids are unique, uuids need not be. */
struct sym_peer_set {
	u32 count;
	u32 capacity;
	struct sym_peer peers[];
};

/* Bytes to allocate for a set of capacity peers (at most SYM_PEERS_MAX). */
size_t sym_peer_set_size(u32 capacity);
/* capacity above SYM_PEERS_MAX is clamped to it. */
void sym_peer_set_init(struct sym_peer_set *set, u32 capacity);
/*
 * Copies *p in, keeping the order; uuid and name are cut at their first NUL
 * and zero padded, mac is zeroed when !has_mac. -EEXIST for a domid already
 * present, -ENOSPC when full, -EINVAL for an unknown state.
 */
int sym_peer_set_insert(struct sym_peer_set *set, const struct sym_peer *p);
/* Binary search; NULL if absent. */
const struct sym_peer *sym_peer_set_find_domid(const struct sym_peer_set *set, u16 domid);
/* Linear scan over peers that have a MAC; the lowest domid wins. */
const struct sym_peer *sym_peer_set_find_mac(const struct sym_peer_set *set, const u8 mac[6]);
/* Binary search on the uuid index; the lowest domid with that uuid wins. */
const struct sym_peer *sym_peer_set_find_uuid(const struct sym_peer_set *set, const char *uuid);

enum sym_peer_change {
	SYM_PEER_ADDED,
	SYM_PEER_REMOVED,
	SYM_PEER_STATE_CHANGED,
	SYM_PEER_MOVED,		/* same uuid, new domid */
};

typedef void (*sym_peer_diff_fn)(void *ctx, enum sym_peer_change change,
				 const struct sym_peer *old_p,
				 const struct sym_peer *new_p);

/*
 * Reports how old_set became new_set; either may be NULL, meaning empty.
 *
 * A peer is the same if domid and uuid both match; STATE_CHANGED (old_p and
 * new_p) is reported when its state, MAC, name or policy differ. Of the rest, a uuid
 * that vanished at one domid and appeared at another is MOVED (old_p, new_p);
 * when a uuid left or arrived at several domids, they are paired in domid
 * order. Anything left over is REMOVED (old_p, new_p NULL) or ADDED (old_p
 * NULL, new_p). Callbacks come in four phases: all removals, then moves,
 * then state changes, then additions; within a phase, in uuid order (state
 * changes in domid order). O(n log n), no allocation. fn must not modify
 * either set.
 */
/* dom0's policy for the peer (fastpath_off, ipv4) differs. */
bool sym_peer_policy_differs(const struct sym_peer *a, const struct sym_peer *b);

void sym_peer_set_diff(const struct sym_peer_set *old_set,
		       const struct sym_peer_set *new_set,
		       sym_peer_diff_fn fn, void *ctx);

#endif /* SYM_PEER_SET_H */
