/* SPDX-License-Identifier: GPL-2.0 */
/*
 * mac_index.h - an immutable open-addressing hash of MAC address -> domid,
 * for the fast path's egress hook: one multiply and, at a load of at most
 * one quarter, mostly one probe of one u64 (1.2 on average for a hit, 1.4
 * for a miss), whatever the number of peers; no string is copied and
 * nothing is locked.
 *
 * Data flow: the writer (under its own lock) sizes a table for n entries
 * with sym_mac_index_slots(n), allocates sym_mac_index_bytes(slots) bytes,
 * sym_mac_index_init()s it and sym_mac_index_add()s every entry, then
 * publishes it whole (rcu_assign_pointer in the kernel) and never writes
 * it again; a change is a new table, and the old one is freed once no
 * reader can hold it (kfree_rcu). Readers call sym_mac_index_lookup() on
 * whatever table they find.
 *
 * Layout: slots is a power of two; slot[i] is 0 (empty) or the MAC in bits
 * 0-47 (byte k of the address in bits 8k..8k+7) and the domid in bits
 * 48-63. The all-zero MAC is the empty key, so it, and every group
 * address (bit 0 of the first byte: multicast, broadcast), can be neither
 * added nor found. Linear probing from the hash's slot, wrapping around;
 * a lookup stops at an empty slot or after visiting every slot (a table
 * filled by hand to the last slot still answers a miss).
 *
 * Pure C (sym_compat.h only). No allocation, no locking.
 */
#ifndef SYM_MAC_INDEX_H
#define SYM_MAC_INDEX_H

#include "sym_compat.h"

#define SYM_MAC_LEN			6
#define SYM_MAC_INDEX_MIN_SLOTS		8u
#define SYM_MAC_INDEX_MAX_SLOTS		(1u << 16)
/*
 * The domid of a slot whose MAC was added for two different domids (two
 * live domains with one MAC: a VM restored twice from one save file). No
 * domid: Xen's are below DOMID_FIRST_RESERVED (0x7ff0).
 */
#define SYM_MAC_INDEX_AMBIGUOUS		0xffffu

struct sym_mac_index {
	u32 mask;		/* slots - 1 */
	u32 shift;		/* 64 - log2(slots): the hash's top bits */
	u32 count;		/* entries added */
	u32 pad;
	u64 slot[];
};

/* Slots for n entries at a load of at most 1/4; 0 if n is too large. */
u32 sym_mac_index_slots(u32 n);

/* Bytes of a table with this many slots. */
static inline size_t sym_mac_index_bytes(u32 slots)
{
	return sizeof(struct sym_mac_index) + (size_t)slots * sizeof(u64);
}

/*
 * An empty table of slots (a power of two within [SYM_MAC_INDEX_MIN_SLOTS,
 * SYM_MAC_INDEX_MAX_SLOTS]) in sym_mac_index_bytes(slots) bytes at idx.
 * Returns 0 or -EINVAL.
 */
int sym_mac_index_init(struct sym_mac_index *idx, u32 slots);

/*
 * Before publication only: mac -> domid. An existing entry for mac with
 * the same domid is left as it is; one with another domid becomes
 * ambiguous (SYM_MAC_INDEX_AMBIGUOUS) for good: lookups of it fail, since
 * a frame for that MAC has no single right receiver. Returns 0; -EINVAL
 * for the all-zero MAC, a group address or domid SYM_MAC_INDEX_AMBIGUOUS;
 * -ENOSPC if every slot is taken.
 */
int sym_mac_index_add(struct sym_mac_index *idx, const u8 *mac, u16 domid);

/*
 * The domid of mac: 0 and *domid; -ENOTUNIQ (*domid untouched) if mac was
 * added for two domids; else -ENOENT (also for a NULL table, the all-zero
 * MAC and group addresses). At most one pass over the slots.
 */
int sym_mac_index_lookup(const struct sym_mac_index *idx, const u8 *mac,
			 u16 *domid);

/* The MAC as a 48-bit key, byte k in bits 8k..8k+7 (any endianness). */
static inline u64 sym_mac_key(const u8 *mac)
{
	return (u64)mac[0] | (u64)mac[1] << 8 | (u64)mac[2] << 16 |
	       (u64)mac[3] << 24 | (u64)mac[4] << 32 | (u64)mac[5] << 40;
}

/*
 * The slot where the probe for mac starts (tests build collisions with
 * it): Fibonacci hashing, the top log2(slots) bits of key * 2^64 / phi.
 */
static inline u32 sym_mac_index_home(const struct sym_mac_index *idx,
				     const u8 *mac)
{
	return (u32)((sym_mac_key(mac) * 0x9e3779b97f4a7c15ull) >> idx->shift) &
	       idx->mask;
}

#endif /* SYM_MAC_INDEX_H */
