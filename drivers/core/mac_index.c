// SPDX-License-Identifier: GPL-2.0
/*
 * mac_index.c - immutable MAC -> domid hash (see mac_index.h): built by
 * one writer before publication, read by any number of lockless readers
 * after. Every loop is bounded by the table's size.
 */
#include "mac_index.h"

#define MAC_KEY_MASK	((1ull << 48) - 1)

/* Zero is the empty slot; bit 0 of the first byte marks group addresses. */
static inline bool mac_key_valid(u64 key)
{
	return key && !(key & 1);
}

u32 sym_mac_index_slots(u32 n)
{
	u32 slots = SYM_MAC_INDEX_MIN_SLOTS;

	if (n > SYM_MAC_INDEX_MAX_SLOTS / 4)
		return 0;
	while (slots < 4 * n)
		slots <<= 1;
	return slots;
}
SYM_EXPORT(sym_mac_index_slots);

int sym_mac_index_init(struct sym_mac_index *idx, u32 slots)
{
	u32 bits = 0;

	if (slots < SYM_MAC_INDEX_MIN_SLOTS || slots > SYM_MAC_INDEX_MAX_SLOTS ||
	    (slots & (slots - 1)))
		return -EINVAL;
	while ((1u << bits) < slots)
		bits++;
	memset(idx, 0, sym_mac_index_bytes(slots));
	idx->mask = slots - 1;
	idx->shift = 64 - bits;
	return 0;
}
SYM_EXPORT(sym_mac_index_init);

int sym_mac_index_add(struct sym_mac_index *idx, const u8 *mac, u16 domid)
{
	u64 key = sym_mac_key(mac);
	u32 i, n;

	if (!mac_key_valid(key) || domid == SYM_MAC_INDEX_AMBIGUOUS)
		return -EINVAL;
	for (i = sym_mac_index_home(idx, mac), n = 0; n <= idx->mask;
	     i = (i + 1) & idx->mask, n++) {
		u64 slot = idx->slot[i];

		if (slot && (slot & MAC_KEY_MASK) != key)
			continue;
		if (!slot) {
			idx->count++;
		} else if ((u16)(slot >> 48) != domid) {
			/* Two domains, one MAC: neither may be sent to. */
			domid = SYM_MAC_INDEX_AMBIGUOUS;
		}
		idx->slot[i] = key | (u64)domid << 48;
		return 0;
	}
	return -ENOSPC;
}
SYM_EXPORT(sym_mac_index_add);

int sym_mac_index_lookup(const struct sym_mac_index *idx, const u8 *mac,
			 u16 *domid)
{
	u64 key = sym_mac_key(mac);
	u32 i, n;

	if (!idx || !mac_key_valid(key))
		return -ENOENT;
	for (i = sym_mac_index_home(idx, mac), n = 0; n <= idx->mask;
	     i = (i + 1) & idx->mask, n++) {
		u64 slot = idx->slot[i];

		if (!slot)
			break;
		if ((slot & MAC_KEY_MASK) == key) {
			if ((u16)(slot >> 48) == SYM_MAC_INDEX_AMBIGUOUS)
				return -ENOTUNIQ;
			*domid = (u16)(slot >> 48);
			return 0;
		}
	}
	return -ENOENT;
}
SYM_EXPORT(sym_mac_index_lookup);
