// SPDX-License-Identifier: GPL-2.0
/*
 * test_peer_set.c - unit tests for the sorted peer snapshot and its diff.
 *
 * Builds sets on the heap exactly as the guest glue would (size, init,
 * insert), checks ordering and lookups, and checks the diff both on hand
 * written cases (moves, state changes, domid reuse, phase order) and on
 * random sets against the properties a correct diff must have. A recorder
 * callback copies each reported change into a local array.
 * Single-threaded; each test owns its sets.
 */
#include "harness.h"
#include "peer_set.h"

#define MAX_CHANGES 4096

struct change {
	enum sym_peer_change kind;
	struct sym_peer old_p;
	struct sym_peer new_p;
	bool has_old, has_new;
};

struct recorder {
	unsigned int count;
	struct change changes[MAX_CHANGES];
};

static struct recorder rec;

static void record(void *ctx, enum sym_peer_change kind,
		   const struct sym_peer *old_p, const struct sym_peer *new_p)
{
	struct recorder *r = ctx;
	struct change *c;

	if (r->count >= MAX_CHANGES)
		abort();
	c = &r->changes[r->count++];
	memset(c, 0, sizeof(*c));
	c->kind = kind;
	c->has_old = old_p;
	c->has_new = new_p;
	if (old_p)
		c->old_p = *old_p;
	if (new_p)
		c->new_p = *new_p;
}

static void diff(const struct sym_peer_set *a, const struct sym_peer_set *b)
{
	memset(&rec, 0, sizeof(rec));
	sym_peer_set_diff(a, b, record, &rec);
}

static struct sym_peer_set *new_set(u32 capacity)
{
	struct sym_peer_set *set = malloc(sym_peer_set_size(capacity));

	if (!set)
		abort();
	sym_peer_set_init(set, capacity);
	return set;
}

static void make_uuid(char out[37], unsigned int n)
{
	snprintf(out, 37, "%08x-0000-4000-8000-%012x", n, n * 7919u);
}

static struct sym_peer peer(u16 domid, unsigned int uuid_n, const char *name)
{
	struct sym_peer p;

	memset(&p, 0, sizeof(p));
	p.domid = domid;
	p.state = SYM_PEER_JOINED;
	p.has_mac = true;
	p.mac[0] = 0x00;
	p.mac[1] = 0x16;
	p.mac[2] = 0x3e;
	p.mac[4] = domid >> 8;
	p.mac[5] = domid & 0xff;
	make_uuid(p.uuid, uuid_n);
	snprintf(p.name, sizeof(p.name), "%s", name);
	return p;
}

static int add(struct sym_peer_set *set, u16 domid, unsigned int uuid_n, const char *name)
{
	struct sym_peer p = peer(domid, uuid_n, name);

	return sym_peer_set_insert(set, &p);
}

TEST(size_covers_peers_and_index)
{
	ASSERT_TRUE(sym_peer_set_size(0) >= sizeof(struct sym_peer_set));
	ASSERT_TRUE(sym_peer_set_size(10) >= sizeof(struct sym_peer_set) + 10 * sizeof(struct sym_peer));
	ASSERT_EQ(sym_peer_set_size(SYM_PEERS_MAX), sym_peer_set_size(SYM_PEERS_MAX + 1));
	ASSERT_EQ(sym_peer_set_size(SYM_PEERS_MAX), sym_peer_set_size(0xffffffffu));
}

TEST(insert_keeps_domid_order)
{
	static const u16 domids[] = { 7, 3, 42, 1, 0, 32751, 19 };
	struct sym_peer_set *set = new_set(16);
	unsigned int i;
	int ret;

	for (i = 0; i < ARRAY_SIZE(domids); i++) {
		ret = add(set, domids[i], i, "vm");
		ASSERT_EQ(0, ret);
	}
	ASSERT_EQ(ARRAY_SIZE(domids), set->count);
	ASSERT_EQ(16, set->capacity);
	for (i = 1; i < set->count; i++)
		ASSERT_TRUE(set->peers[i - 1].domid < set->peers[i].domid);
	ASSERT_EQ(0, set->peers[0].domid);
	ASSERT_EQ(32751, set->peers[set->count - 1].domid);
	free(set);
}

TEST(insert_rejects_duplicate_full_and_bad_state)
{
	struct sym_peer_set *set = new_set(2);
	struct sym_peer p = peer(9, 1, "x");
	int ret;

	ASSERT_EQ(0, sym_peer_set_insert(set, &p));
	ret = add(set, 9, 2, "other");
	ASSERT_EQ(-EEXIST, ret);
	ASSERT_EQ(0, add(set, 4, 2, "y"));
	ret = add(set, 4, 3, "dup-and-full");
	ASSERT_EQ(-EEXIST, ret);
	ret = add(set, 5, 3, "z");
	ASSERT_EQ(-ENOSPC, ret);
	p.domid = 1;
	p.state = (enum sym_peer_state)0;
	ASSERT_EQ(-EINVAL, sym_peer_set_insert(set, &p));
	ASSERT_EQ(2, set->count);

	sym_peer_set_init(set, 0);
	ASSERT_EQ(-ENOSPC, add(set, 1, 1, "a"));
	free(set);
}

TEST(insert_normalises_strings_and_mac)
{
	struct sym_peer_set *set = new_set(4);
	const struct sym_peer *found;
	struct sym_peer p = peer(3, 5, "short");
	char want_uuid[37];

	/* Garbage after the NUL must not leak into comparisons. */
	memset(p.name + 6, 'Q', sizeof(p.name) - 6);
	p.uuid[36] = 'Z';
	p.has_mac = false;
	ASSERT_EQ(0, sym_peer_set_insert(set, &p));
	found = sym_peer_set_find_domid(set, 3);
	ASSERT_TRUE(found != NULL);
	ASSERT_STREQ("short", found->name);
	ASSERT_EQ(0, found->name[64]);
	ASSERT_EQ(0, found->name[40]);
	make_uuid(want_uuid, 5);
	ASSERT_STREQ(want_uuid, found->uuid);
	ASSERT_FALSE(found->has_mac);
	ASSERT_EQ(0, found->mac[5]);
	free(set);
}

TEST(find_by_domid_mac_uuid)
{
	struct sym_peer_set *set = new_set(8);
	struct sym_peer nomac = peer(8, 80, "nomac");
	u8 mac[6] = { 0x00, 0x16, 0x3e, 0, 0, 5 };
	char uuid[37];

	ASSERT_EQ(0, add(set, 5, 50, "five"));
	ASSERT_EQ(0, add(set, 2, 20, "two"));
	nomac.has_mac = false;
	ASSERT_EQ(0, sym_peer_set_insert(set, &nomac));

	ASSERT_STREQ("five", sym_peer_set_find_domid(set, 5)->name);
	ASSERT_STREQ("two", sym_peer_set_find_domid(set, 2)->name);
	ASSERT_TRUE(sym_peer_set_find_domid(set, 3) == NULL);
	ASSERT_TRUE(sym_peer_set_find_domid(set, 0) == NULL);
	ASSERT_TRUE(sym_peer_set_find_domid(set, 0xffff) == NULL);
	ASSERT_TRUE(sym_peer_set_find_domid(NULL, 5) == NULL);

	ASSERT_EQ(5, sym_peer_set_find_mac(set, mac)->domid);
	mac[5] = 8;	/* the no-MAC peer's zeroed mac must never match */
	ASSERT_TRUE(sym_peer_set_find_mac(set, mac) == NULL);
	memset(mac, 0, sizeof(mac));
	ASSERT_TRUE(sym_peer_set_find_mac(set, mac) == NULL);
	ASSERT_TRUE(sym_peer_set_find_mac(NULL, mac) == NULL);

	make_uuid(uuid, 20);
	ASSERT_EQ(2, sym_peer_set_find_uuid(set, uuid)->domid);
	make_uuid(uuid, 80);
	ASSERT_EQ(8, sym_peer_set_find_uuid(set, uuid)->domid);
	make_uuid(uuid, 21);
	ASSERT_TRUE(sym_peer_set_find_uuid(set, uuid) == NULL);
	ASSERT_TRUE(sym_peer_set_find_uuid(set, "") == NULL);
	ASSERT_TRUE(sym_peer_set_find_uuid(set, NULL) == NULL);
	free(set);
}

TEST(find_uuid_with_duplicates_returns_lowest_domid)
{
	struct sym_peer_set *set = new_set(8);
	char uuid[37];

	ASSERT_EQ(0, add(set, 30, 1, "b"));
	ASSERT_EQ(0, add(set, 10, 1, "a"));
	ASSERT_EQ(0, add(set, 20, 2, "c"));
	make_uuid(uuid, 1);
	ASSERT_EQ(10, sym_peer_set_find_uuid(set, uuid)->domid);
	free(set);
}

TEST(diff_null_and_identical)
{
	struct sym_peer_set *a = new_set(4);
	struct sym_peer_set *b = new_set(4);

	diff(NULL, NULL);
	ASSERT_EQ(0, rec.count);
	diff(a, b);
	ASSERT_EQ(0, rec.count);
	ASSERT_EQ(0, add(a, 1, 1, "a"));
	ASSERT_EQ(0, add(b, 1, 1, "a"));
	diff(a, b);
	ASSERT_EQ(0, rec.count);
	diff(a, a);
	ASSERT_EQ(0, rec.count);

	diff(NULL, a);
	ASSERT_EQ(1, rec.count);
	ASSERT_EQ(SYM_PEER_ADDED, rec.changes[0].kind);
	ASSERT_FALSE(rec.changes[0].has_old);
	ASSERT_EQ(1, rec.changes[0].new_p.domid);

	diff(a, NULL);
	ASSERT_EQ(1, rec.count);
	ASSERT_EQ(SYM_PEER_REMOVED, rec.changes[0].kind);
	ASSERT_FALSE(rec.changes[0].has_new);
	ASSERT_EQ(1, rec.changes[0].old_p.domid);
	free(a);
	free(b);
}

TEST(diff_reports_move_not_remove_add)
{
	struct sym_peer_set *a = new_set(4);
	struct sym_peer_set *b = new_set(4);

	ASSERT_EQ(0, add(a, 3, 100, "mover"));
	ASSERT_EQ(0, add(a, 4, 200, "stay"));
	ASSERT_EQ(0, add(b, 4, 200, "stay"));
	ASSERT_EQ(0, add(b, 11, 100, "mover"));
	diff(a, b);
	ASSERT_EQ(1, rec.count);
	ASSERT_EQ(SYM_PEER_MOVED, rec.changes[0].kind);
	ASSERT_EQ(3, rec.changes[0].old_p.domid);
	ASSERT_EQ(11, rec.changes[0].new_p.domid);
	ASSERT_STREQ("mover", rec.changes[0].new_p.name);

	diff(b, a);
	ASSERT_EQ(1, rec.count);
	ASSERT_EQ(SYM_PEER_MOVED, rec.changes[0].kind);
	ASSERT_EQ(11, rec.changes[0].old_p.domid);
	ASSERT_EQ(3, rec.changes[0].new_p.domid);
	free(a);
	free(b);
}

TEST(diff_state_mac_name_changes)
{
	struct sym_peer_set *a = new_set(4);
	struct sym_peer_set *b = new_set(4);
	struct sym_peer p;

	ASSERT_EQ(0, add(a, 1, 1, "one"));
	ASSERT_EQ(0, add(a, 2, 2, "two"));
	ASSERT_EQ(0, add(a, 3, 3, "three"));
	ASSERT_EQ(0, add(a, 4, 4, "four"));
	p = peer(1, 1, "one");
	p.state = SYM_PEER_MIGRATING;
	ASSERT_EQ(0, sym_peer_set_insert(b, &p));
	p = peer(2, 2, "two");
	p.mac[5] ^= 0x80;
	ASSERT_EQ(0, sym_peer_set_insert(b, &p));
	ASSERT_EQ(0, add(b, 3, 3, "renamed"));
	p = peer(4, 4, "four");
	p.has_mac = false;
	ASSERT_EQ(0, sym_peer_set_insert(b, &p));

	diff(a, b);
	ASSERT_EQ(4, rec.count);
	ASSERT_EQ(SYM_PEER_STATE_CHANGED, rec.changes[0].kind);
	ASSERT_EQ(1, rec.changes[0].old_p.domid);
	ASSERT_EQ(SYM_PEER_JOINED, rec.changes[0].old_p.state);
	ASSERT_EQ(SYM_PEER_MIGRATING, rec.changes[0].new_p.state);
	ASSERT_EQ(SYM_PEER_STATE_CHANGED, rec.changes[1].kind);
	ASSERT_EQ(2, rec.changes[1].new_p.domid);
	ASSERT_EQ(SYM_PEER_STATE_CHANGED, rec.changes[2].kind);
	ASSERT_STREQ("renamed", rec.changes[2].new_p.name);
	ASSERT_EQ(SYM_PEER_STATE_CHANGED, rec.changes[3].kind);
	ASSERT_FALSE(rec.changes[3].new_p.has_mac);
	free(a);
	free(b);
}

TEST(diff_domid_reused_by_other_vm)
{
	struct sym_peer_set *a = new_set(4);
	struct sym_peer_set *b = new_set(4);

	ASSERT_EQ(0, add(a, 5, 1, "old"));
	ASSERT_EQ(0, add(b, 5, 2, "new"));
	diff(a, b);
	ASSERT_EQ(2, rec.count);
	ASSERT_EQ(SYM_PEER_REMOVED, rec.changes[0].kind);
	ASSERT_STREQ("old", rec.changes[0].old_p.name);
	ASSERT_EQ(SYM_PEER_ADDED, rec.changes[1].kind);
	ASSERT_STREQ("new", rec.changes[1].new_p.name);
	free(a);
	free(b);
}

TEST(diff_swap_of_two_vms_is_two_moves)
{
	struct sym_peer_set *a = new_set(4);
	struct sym_peer_set *b = new_set(4);

	ASSERT_EQ(0, add(a, 5, 1, "x"));
	ASSERT_EQ(0, add(a, 6, 2, "y"));
	ASSERT_EQ(0, add(b, 6, 1, "x"));
	ASSERT_EQ(0, add(b, 5, 2, "y"));
	diff(a, b);
	ASSERT_EQ(2, rec.count);
	ASSERT_EQ(SYM_PEER_MOVED, rec.changes[0].kind);
	ASSERT_EQ(SYM_PEER_MOVED, rec.changes[1].kind);
	ASSERT_EQ(5, rec.changes[0].old_p.domid);
	ASSERT_EQ(6, rec.changes[0].new_p.domid);
	ASSERT_EQ(6, rec.changes[1].old_p.domid);
	ASSERT_EQ(5, rec.changes[1].new_p.domid);
	free(a);
	free(b);
}

TEST(diff_phase_order)
{
	struct sym_peer_set *a = new_set(8);
	struct sym_peer_set *b = new_set(8);
	struct sym_peer p;

	ASSERT_EQ(0, add(a, 1, 1, "gone"));
	ASSERT_EQ(0, add(a, 2, 2, "mover"));
	ASSERT_EQ(0, add(a, 3, 3, "changer"));
	ASSERT_EQ(0, add(b, 9, 9, "fresh"));
	ASSERT_EQ(0, add(b, 8, 2, "mover"));
	p = peer(3, 3, "changer");
	p.state = SYM_PEER_MIGRATING;
	ASSERT_EQ(0, sym_peer_set_insert(b, &p));
	diff(a, b);
	ASSERT_EQ(4, rec.count);
	ASSERT_EQ(SYM_PEER_REMOVED, rec.changes[0].kind);
	ASSERT_EQ(SYM_PEER_MOVED, rec.changes[1].kind);
	ASSERT_EQ(SYM_PEER_STATE_CHANGED, rec.changes[2].kind);
	ASSERT_EQ(SYM_PEER_ADDED, rec.changes[3].kind);
	free(a);
	free(b);
}

TEST(diff_duplicate_uuids_pair_in_domid_order)
{
	struct sym_peer_set *a = new_set(8);
	struct sym_peer_set *b = new_set(8);

	/* Localhost migration: old and new domain briefly share a uuid. */
	ASSERT_EQ(0, add(a, 4, 1, "vm"));
	ASSERT_EQ(0, add(b, 4, 1, "vm"));
	ASSERT_EQ(0, add(b, 12, 1, "vm"));
	diff(a, b);
	ASSERT_EQ(1, rec.count);
	ASSERT_EQ(SYM_PEER_ADDED, rec.changes[0].kind);
	ASSERT_EQ(12, rec.changes[0].new_p.domid);

	sym_peer_set_init(a, 8);
	sym_peer_set_init(b, 8);
	ASSERT_EQ(0, add(a, 1, 1, "vm"));
	ASSERT_EQ(0, add(a, 2, 1, "vm"));
	ASSERT_EQ(0, add(a, 3, 1, "vm"));
	ASSERT_EQ(0, add(b, 7, 1, "vm"));
	ASSERT_EQ(0, add(b, 2, 1, "vm"));
	ASSERT_EQ(0, add(b, 6, 1, "vm"));
	diff(a, b);
	ASSERT_EQ(2, rec.count);
	ASSERT_EQ(SYM_PEER_MOVED, rec.changes[0].kind);
	ASSERT_EQ(1, rec.changes[0].old_p.domid);
	ASSERT_EQ(6, rec.changes[0].new_p.domid);
	ASSERT_EQ(SYM_PEER_MOVED, rec.changes[1].kind);
	ASSERT_EQ(3, rec.changes[1].old_p.domid);
	ASSERT_EQ(7, rec.changes[1].new_p.domid);
	free(a);
	free(b);
}

static unsigned int lcg_state = 12345;

static unsigned int lcg(void)
{
	lcg_state = lcg_state * 1103515245u + 12345u;
	return lcg_state >> 8;
}

TEST(full_set_of_1024_peers)
{
	struct sym_peer_set *a = new_set(SYM_PEERS_MAX);
	struct sym_peer_set *b = new_set(SYM_PEERS_MAX);
	static u16 order[SYM_PEERS_MAX];
	unsigned int i, moved = 0, removed = 0, added = 0;
	char uuid[37];

	for (i = 0; i < SYM_PEERS_MAX; i++)
		order[i] = i;
	for (i = SYM_PEERS_MAX - 1; i > 0; i--) {
		unsigned int j = lcg() % (i + 1);
		u16 tmp = order[i];

		order[i] = order[j];
		order[j] = tmp;
	}
	for (i = 0; i < SYM_PEERS_MAX; i++)
		ASSERT_EQ(0, add(a, order[i] * 3, order[i], "vm"));
	ASSERT_EQ(-ENOSPC, add(a, 32000, 5000, "vm"));
	ASSERT_EQ(SYM_PEERS_MAX, a->count);
	for (i = 0; i < SYM_PEERS_MAX; i++) {
		ASSERT_EQ(i * 3, a->peers[i].domid);
		ASSERT_EQ(i * 3, sym_peer_set_find_domid(a, i * 3)->domid);
		ASSERT_TRUE(sym_peer_set_find_domid(a, i * 3 + 1) == NULL);
		make_uuid(uuid, i);
		ASSERT_EQ(i * 3, sym_peer_set_find_uuid(a, uuid)->domid);
	}

	/* Every other VM moves to a fresh domid; a quarter leave or arrive. */
	for (i = 0; i < SYM_PEERS_MAX; i++) {
		if (i % 4 == 3)
			ASSERT_EQ(0, add(b, 20000 + i, 10000 + i, "vm"));
		else if (i % 2)
			ASSERT_EQ(0, add(b, 10000 + i, i, "vm"));
		else
			ASSERT_EQ(0, add(b, i * 3, i, "vm"));
	}
	diff(a, b);
	for (i = 0; i < rec.count; i++) {
		struct change *c = &rec.changes[i];

		if (c->kind == SYM_PEER_MOVED) {
			moved++;
			ASSERT_EQ(10000 + c->old_p.domid / 3, c->new_p.domid);
			ASSERT_STREQ(c->old_p.uuid, c->new_p.uuid);
		} else if (c->kind == SYM_PEER_REMOVED) {
			removed++;
			ASSERT_EQ(3, c->old_p.domid / 3 % 4);
		} else if (c->kind == SYM_PEER_ADDED) {
			added++;
			ASSERT_TRUE(c->new_p.domid >= 20000);
		} else {
			ASSERT_TRUE(false);
		}
	}
	ASSERT_EQ(SYM_PEERS_MAX / 4, moved);
	ASSERT_EQ(SYM_PEERS_MAX / 4, removed);
	ASSERT_EQ(SYM_PEERS_MAX / 4, added);
	free(a);
	free(b);
}

/*
 * Random small sets with few uuids, so moves, duplicates, domid reuse and
 * state changes all happen; the diff must satisfy the documented contract.
 */
static void random_set(struct sym_peer_set *set)
{
	unsigned int n = lcg() % 12, i;

	sym_peer_set_init(set, 16);
	for (i = 0; i < n; i++) {
		struct sym_peer p = peer(lcg() % 16, lcg() % 5, (lcg() & 1) ? "a" : "b");

		if (lcg() & 1)
			p.state = SYM_PEER_MIGRATING;
		sym_peer_set_insert(set, &p);	/* duplicates rejected, fine */
	}
}

static bool same_peer(const struct sym_peer *a, const struct sym_peer *b)
{
	return a->domid == b->domid && !strcmp(a->uuid, b->uuid);
}

static bool details_equal(const struct sym_peer *a, const struct sym_peer *b)
{
	return a->state == b->state && a->has_mac == b->has_mac &&
	       !memcmp(a->mac, b->mac, 6) && !strcmp(a->name, b->name);
}

TEST(policy_change_is_a_state_change_and_is_kept)
{
	struct sym_peer_set *a = new_set(2), *b = new_set(2);
	struct sym_peer p = peer(5, 5, "vm5"), q = p;

	ASSERT_EQ(0, sym_peer_set_insert(a, &p));
	q.ipv4.nr = 1;
	q.ipv4.prefix[0].addr = 0xc0000201;
	q.ipv4.prefix[0].len = 32;
	ASSERT_TRUE(sym_peer_policy_differs(&p, &q));
	ASSERT_EQ(0, sym_peer_set_insert(b, &q));
	ASSERT_EQ(1u, b->peers[0].ipv4.nr);
	ASSERT_EQ(0xc0000201u, b->peers[0].ipv4.prefix[0].addr);
	diff(a, b);
	ASSERT_EQ(1u, rec.count);
	ASSERT_EQ(SYM_PEER_STATE_CHANGED, rec.changes[0].kind);

	q.ipv4.nr = 0;
	q.fastpath_off = true;
	ASSERT_TRUE(sym_peer_policy_differs(&p, &q));
	q.fastpath_off = false;
	ASSERT_FALSE(sym_peer_policy_differs(&p, &q));
	free(a);
	free(b);
}

TEST(diff_random_sets_satisfy_contract)
{
	struct sym_peer_set *a = new_set(16);
	struct sym_peer_set *b = new_set(16);
	unsigned int round, i, j;

	for (round = 0; round < 3000; round++) {
		unsigned int seen_old[16] = { 0 }, seen_new[16] = { 0 };
		int last_phase = -1;

		random_set(a);
		random_set(b);
		diff(a, b);
		for (i = 0; i < rec.count; i++) {
			struct change *c = &rec.changes[i];
			static const int phase_of[] = {
				[SYM_PEER_REMOVED] = 0, [SYM_PEER_MOVED] = 1,
				[SYM_PEER_STATE_CHANGED] = 2, [SYM_PEER_ADDED] = 3,
			};

			ASSERT_TRUE(phase_of[c->kind] >= last_phase);
			last_phase = phase_of[c->kind];
			ASSERT_EQ(c->kind != SYM_PEER_ADDED, c->has_old);
			ASSERT_EQ(c->kind != SYM_PEER_REMOVED, c->has_new);
			if (c->has_old) {
				ASSERT_TRUE(sym_peer_set_find_domid(a, c->old_p.domid) != NULL);
				seen_old[c->old_p.domid]++;
			}
			if (c->has_new) {
				ASSERT_TRUE(sym_peer_set_find_domid(b, c->new_p.domid) != NULL);
				seen_new[c->new_p.domid]++;
			}
			if (c->kind == SYM_PEER_MOVED) {
				ASSERT_STREQ(c->old_p.uuid, c->new_p.uuid);
				ASSERT_NE(c->old_p.domid, c->new_p.domid);
			}
			if (c->kind == SYM_PEER_STATE_CHANGED) {
				ASSERT_TRUE(same_peer(&c->old_p, &c->new_p));
				ASSERT_FALSE(details_equal(&c->old_p, &c->new_p));
			}
			/* A removal and an addition of one uuid must be a move. */
			if (c->kind == SYM_PEER_REMOVED)
				for (j = 0; j < rec.count; j++)
					ASSERT_FALSE(rec.changes[j].kind == SYM_PEER_ADDED &&
						     !strcmp(rec.changes[j].new_p.uuid,
							     c->old_p.uuid));
		}
		/* Each peer is reported at most once; unreported ones are unchanged. */
		for (i = 0; i < a->count; i++) {
			const struct sym_peer *o = &a->peers[i];
			const struct sym_peer *n = sym_peer_set_find_domid(b, o->domid);
			bool unchanged = n && same_peer(o, n) && details_equal(o, n);

			ASSERT_EQ(unchanged ? 0 : 1, seen_old[o->domid]);
		}
		for (i = 0; i < b->count; i++) {
			const struct sym_peer *n = &b->peers[i];
			const struct sym_peer *o = sym_peer_set_find_domid(a, n->domid);
			bool unchanged = o && same_peer(o, n) && details_equal(o, n);

			ASSERT_EQ(unchanged ? 0 : 1, seen_new[n->domid]);
		}
	}
	free(a);
	free(b);
}
