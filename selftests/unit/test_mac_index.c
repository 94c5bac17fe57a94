// SPDX-License-Identifier: GPL-2.0
/*
 * test_mac_index.c - unit tests for the immutable MAC -> domid hash.
 *
 * Tables are built on the heap as the fast path's glue builds them (slots
 * for n, bytes, init, add each entry). The tests cover hits and misses,
 * forced collisions (MACs searched for the same home slot, with wrap
 * around the end of the table), a table filled to the last slot (adds
 * fail, lookups of absent MACs still end), a MAC added for two domids
 * (ambiguous: never found, the chain around it still is), removal (a
 * rebuild without the entry, the others still found behind it), the
 * all-zero MAC and group addresses never added nor found, and random
 * sets against a plain list. Single-threaded; each test owns its tables.
 */
#include <stdlib.h>
#include "harness.h"
#include "mac_index.h"

static struct sym_mac_index *new_index(u32 slots)
{
	struct sym_mac_index *idx = malloc(sym_mac_index_bytes(slots));

	if (!idx || sym_mac_index_init(idx, slots))
		abort();
	return idx;
}

/* A locally administered unicast MAC numbered n. */
static void mac_of(u32 n, u8 *mac)
{
	mac[0] = 0x02;
	mac[1] = 0x16;
	mac[2] = (u8)(n >> 24);
	mac[3] = (u8)(n >> 16);
	mac[4] = (u8)(n >> 8);
	mac[5] = (u8)n;
}

/* The first count MACs after *from whose probe starts at slot home. */
static void macs_at(const struct sym_mac_index *idx, u32 home, u32 *from,
		    u8 (*macs)[SYM_MAC_LEN], unsigned int count)
{
	unsigned int found = 0;

	while (found < count) {
		mac_of((*from)++, macs[found]);
		if (sym_mac_index_home(idx, macs[found]) == home)
			found++;
	}
}

/* Adds macs[0..n) as domids first, first + 1, ...; the first error, or 0. */
static int add_each(struct sym_mac_index *idx, u8 (*macs)[SYM_MAC_LEN],
		    unsigned int n, u16 first)
{
	unsigned int i;
	int ret;

	for (i = 0; i < n; i++) {
		ret = sym_mac_index_add(idx, macs[i], (u16)(first + i));
		if (ret)
			return ret;
	}
	return 0;
}

/* A table of SYM_MAC_INDEX_MIN_SLOTS holding 3 MACs with one home, domids 1-3. */
static struct sym_mac_index *chain_of_3(u32 home, u8 (*macs)[SYM_MAC_LEN])
{
	struct sym_mac_index *idx = new_index(SYM_MAC_INDEX_MIN_SLOTS);
	u32 from = 0;

	macs_at(idx, home, &from, macs, 3);
	if (add_each(idx, macs, 3, 1))
		abort();
	return idx;
}

TEST(slots_for_load_at_most_a_quarter)
{
	ASSERT_EQ(8u, sym_mac_index_slots(0));
	ASSERT_EQ(8u, sym_mac_index_slots(1));
	ASSERT_EQ(8u, sym_mac_index_slots(2));
	ASSERT_EQ(16u, sym_mac_index_slots(3));
	ASSERT_EQ(4096u, sym_mac_index_slots(1000));
	ASSERT_EQ(4096u, sym_mac_index_slots(1024));
	ASSERT_EQ(8192u, sym_mac_index_slots(1025));
	ASSERT_EQ(SYM_MAC_INDEX_MAX_SLOTS, sym_mac_index_slots(SYM_MAC_INDEX_MAX_SLOTS / 4));
	ASSERT_EQ(0u, sym_mac_index_slots(SYM_MAC_INDEX_MAX_SLOTS / 4 + 1));
}

TEST(init_rejects_bad_sizes)
{
	u8 buf[sizeof(struct sym_mac_index) + 64 * sizeof(u64)];
	struct sym_mac_index *idx = (struct sym_mac_index *)buf;

	ASSERT_EQ(-EINVAL, sym_mac_index_init(idx, 0));
	ASSERT_EQ(-EINVAL, sym_mac_index_init(idx, 4));
	ASSERT_EQ(-EINVAL, sym_mac_index_init(idx, 12));
	ASSERT_EQ(-EINVAL, sym_mac_index_init(idx, SYM_MAC_INDEX_MAX_SLOTS * 2));
	ASSERT_EQ(0, sym_mac_index_init(idx, 64));
	ASSERT_EQ(63u, idx->mask);
	ASSERT_EQ(0u, idx->count);
}

TEST(hits_and_misses)
{
	struct sym_mac_index *idx = new_index(sym_mac_index_slots(3));
	u8 a[SYM_MAC_LEN] = { 0x00, 0x16, 0x3e, 0x00, 0x00, 0x01 };
	u8 b[SYM_MAC_LEN] = { 0x00, 0x16, 0x3e, 0x00, 0x00, 0x02 };
	u8 c[SYM_MAC_LEN] = { 0x00, 0x16, 0x3e, 0x00, 0x00, 0x03 };
	u16 domid = 0;

	ASSERT_EQ(-ENOENT, sym_mac_index_lookup(idx, a, &domid));
	ASSERT_EQ(0, sym_mac_index_add(idx, a, 1));
	ASSERT_EQ(0, sym_mac_index_add(idx, b, 0x7fef));
	ASSERT_EQ(2u, idx->count);
	ASSERT_EQ(0, sym_mac_index_lookup(idx, a, &domid));
	ASSERT_EQ(1, domid);
	ASSERT_EQ(0, sym_mac_index_lookup(idx, b, &domid));
	ASSERT_EQ(0x7fef, domid);
	domid = 7;
	ASSERT_EQ(-ENOENT, sym_mac_index_lookup(idx, c, &domid));
	ASSERT_EQ(7, domid);	/* untouched on a miss */
	free(idx);
}

TEST(null_table_finds_nothing)
{
	u8 a[SYM_MAC_LEN] = { 0x00, 0x16, 0x3e, 0x00, 0x00, 0x01 };
	u16 domid;

	ASSERT_EQ(-ENOENT, sym_mac_index_lookup(NULL, a, &domid));
}

TEST(zero_and_group_macs_never_added_nor_found)
{
	static const u8 bad[][SYM_MAC_LEN] = {
		{ 0, 0, 0, 0, 0, 0 },				/* empty key */
		{ 0xff, 0xff, 0xff, 0xff, 0xff, 0xff },		/* broadcast */
		{ 0x01, 0x00, 0x5e, 0x00, 0x00, 0x01 },		/* IPv4 multicast */
		{ 0x33, 0x33, 0x00, 0x00, 0x00, 0x01 },		/* IPv6 multicast */
	};
	struct sym_mac_index *idx = new_index(SYM_MAC_INDEX_MIN_SLOTS);
	unsigned int i, s;
	u16 domid;

	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		ASSERT_EQ(-EINVAL, sym_mac_index_add(idx, bad[i], 5));
		ASSERT_EQ(-ENOENT, sym_mac_index_lookup(idx, bad[i], &domid));
	}
	ASSERT_EQ(0u, idx->count);
	for (s = 0; s <= idx->mask; s++)
		ASSERT_EQ(0ull, idx->slot[s]);
	/* Hand-made slots holding them still never match. */
	for (s = 0; s <= idx->mask; s++)
		idx->slot[s] = 0xffffffffffffull | (u64)9 << 48;
	ASSERT_EQ(-ENOENT, sym_mac_index_lookup(idx, bad[1], &domid));
	ASSERT_EQ(-ENOENT, sym_mac_index_lookup(idx, bad[0], &domid));
	free(idx);
}

/* Entries with one home slot sit one after the other, wrapping at the end. */
TEST(collisions_probe_on_and_wrap)
{
	struct sym_mac_index *idx = new_index(SYM_MAC_INDEX_MIN_SLOTS);
	u32 last = idx->mask, from = 0;
	u8 macs[4][SYM_MAC_LEN], other[1][SYM_MAC_LEN];
	unsigned int i;
	u16 domid;

	macs_at(idx, last, &from, macs, 4);
	ASSERT_EQ(0, add_each(idx, macs, 4, 100));
	/* Slots last, 0, 1, 2: the chain wrapped. */
	ASSERT_NE(0ull, idx->slot[last]);
	ASSERT_NE(0ull, idx->slot[0]);
	ASSERT_NE(0ull, idx->slot[2]);
	for (i = 0; i < 4; i++) {
		ASSERT_EQ(0, sym_mac_index_lookup(idx, macs[i], &domid));
		ASSERT_EQ(100 + i, domid);
	}
	/* A miss with the same home walks the chain and stops at slot 3. */
	macs_at(idx, last, &from, other, 1);
	ASSERT_EQ(-ENOENT, sym_mac_index_lookup(idx, other[0], &domid));
	free(idx);
}

TEST(add_of_a_known_mac_for_another_domid_makes_it_ambiguous)
{
	u8 macs[3][SYM_MAC_LEN];
	struct sym_mac_index *idx = chain_of_3(3, macs);
	u16 domid = 77;

	/* Two live peers with one MAC: the fast path must send to neither. */
	ASSERT_EQ(0, sym_mac_index_add(idx, macs[1], 20));
	ASSERT_EQ(3u, idx->count);
	ASSERT_EQ(-ENOTUNIQ, sym_mac_index_lookup(idx, macs[1], &domid));
	ASSERT_EQ(77, domid);
	/* A third add, even of the first domid, leaves it ambiguous. */
	ASSERT_EQ(0, sym_mac_index_add(idx, macs[1], 2));
	ASSERT_EQ(-ENOTUNIQ, sym_mac_index_lookup(idx, macs[1], &domid));
	/* The rest of the chain, behind it and in front, is still found. */
	ASSERT_EQ(0, sym_mac_index_lookup(idx, macs[0], &domid));
	ASSERT_EQ(1, domid);
	ASSERT_EQ(0, sym_mac_index_lookup(idx, macs[2], &domid));
	ASSERT_EQ(3, domid);
	free(idx);
}

TEST(add_of_a_known_mac_for_the_same_domid_changes_nothing)
{
	u8 macs[3][SYM_MAC_LEN];
	struct sym_mac_index *idx = chain_of_3(3, macs);
	u16 domid;

	ASSERT_EQ(0, sym_mac_index_add(idx, macs[1], 2));
	ASSERT_EQ(3u, idx->count);
	ASSERT_EQ(0, sym_mac_index_lookup(idx, macs[1], &domid));
	ASSERT_EQ(2, domid);
	free(idx);
}

TEST(the_ambiguous_marker_is_no_domid)
{
	u8 mac[SYM_MAC_LEN] = { 0x02, 0, 0, 0, 0, 9 };
	struct sym_mac_index *idx = new_index(8);

	ASSERT_EQ(-EINVAL, sym_mac_index_add(idx, mac, SYM_MAC_INDEX_AMBIGUOUS));
	ASSERT_EQ(0u, idx->count);
	free(idx);
}

TEST(full_table_refuses_adds_and_still_answers)
{
	struct sym_mac_index *idx = new_index(SYM_MAC_INDEX_MIN_SLOTS);
	u8 mac[SYM_MAC_LEN];
	u32 i;
	u16 domid;

	for (i = 0; i < SYM_MAC_INDEX_MIN_SLOTS; i++) {
		mac_of(i, mac);
		ASSERT_EQ(0, sym_mac_index_add(idx, mac, i));
	}
	ASSERT_EQ(SYM_MAC_INDEX_MIN_SLOTS, idx->count);
	mac_of(SYM_MAC_INDEX_MIN_SLOTS, mac);
	ASSERT_EQ(-ENOSPC, sym_mac_index_add(idx, mac, 1));
	/* No empty slot to stop at: one pass, then a miss. */
	ASSERT_EQ(-ENOENT, sym_mac_index_lookup(idx, mac, &domid));
	for (i = 0; i < SYM_MAC_INDEX_MIN_SLOTS; i++) {
		mac_of(i, mac);
		ASSERT_EQ(0, sym_mac_index_lookup(idx, mac, &domid));
		ASSERT_EQ(i, domid);
		/* Replacing in a full table still works. */
		ASSERT_EQ(0, sym_mac_index_add(idx, mac, i + 50));
	}
	free(idx);
}

/*
 * Removal is a rebuild without the entry: an entry that probed past the
 * removed one is still found, and the removed one is not.
 */
TEST(removal_by_rebuild_keeps_the_chain)
{
	struct sym_mac_index *next = new_index(SYM_MAC_INDEX_MIN_SLOTS);
	u8 macs[3][SYM_MAC_LEN];
	struct sym_mac_index *idx = chain_of_3(5, macs);
	u16 domid;

	/* The new table, without macs[1]; the old one is unchanged. */
	ASSERT_EQ(0, sym_mac_index_add(next, macs[0], 1));
	ASSERT_EQ(0, sym_mac_index_add(next, macs[2], 3));
	ASSERT_EQ(-ENOENT, sym_mac_index_lookup(next, macs[1], &domid));
	ASSERT_EQ(0, sym_mac_index_lookup(next, macs[2], &domid));
	ASSERT_EQ(3, domid);
	ASSERT_EQ(0, sym_mac_index_lookup(idx, macs[1], &domid));
	ASSERT_EQ(2, domid);
	free(idx);
	free(next);
}

/* Random sets of 1..1000 against a plain list: every member, no other. */
TEST(random_sets_match_a_list)
{
	static u8 macs[1000][SYM_MAC_LEN];
	unsigned int round, i, j, n;
	u16 domid;

	srand(1);
	for (round = 0; round < 50; round++) {
		struct sym_mac_index *idx;

		n = 1 + (unsigned int)rand() % 1000;
		idx = new_index(sym_mac_index_slots(n));
		for (i = 0; i < n; i++) {
			for (j = 0; j < SYM_MAC_LEN; j++)
				macs[i][j] = (u8)rand();
			macs[i][0] &= 0xfe;		/* unicast */
			macs[i][0] |= 0x02;		/* never all zero */
			ASSERT_EQ(0, sym_mac_index_add(idx, macs[i], (u16)i));
		}
		ASSERT_TRUE(idx->count <= n);
		for (i = 0; i < n; i++) {
			/* A (rare) MAC added twice is ambiguous: not found. */
			for (j = 0; j < n; j++)
				if (j != i && !memcmp(macs[j], macs[i], SYM_MAC_LEN))
					break;
			if (j < n) {
				ASSERT_EQ(-ENOTUNIQ,
					  sym_mac_index_lookup(idx, macs[i], &domid));
				continue;
			}
			ASSERT_EQ(0, sym_mac_index_lookup(idx, macs[i], &domid));
			ASSERT_EQ(i, domid);
		}
		for (i = 0; i < 1000; i++) {
			u8 miss[SYM_MAC_LEN] = { 0x06, 0xee, 0, 0, (u8)(i >> 8), (u8)i };

			ASSERT_EQ(-ENOENT, sym_mac_index_lookup(idx, miss, &domid));
		}
		free(idx);
	}
}
