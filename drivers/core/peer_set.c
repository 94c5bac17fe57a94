// SPDX-License-Identifier: GPL-2.0
/*
 * peer_set.c - sorted peer snapshots, lookups and snapshot diffs.
 *
 * A set is one caller-allocated block: the header, peers[capacity] sorted by
 * domid, then by_uuid[capacity], positions into peers[] ordered by
 * (uuid, domid). Insert keeps both orders with memmove (O(n) per insert,
 * like any sorted array). The diff walks both sets' uuid indexes in step, so
 * move detection needs no scratch memory and no quadratic search.
 *
 * Locking/lifetime: caller serialises; the set memory belongs to the caller.
 */
#include "peer_set.h"

static const struct sym_peer_set sym_empty_set;

static u32 sym_clamp_capacity(u32 capacity)
{
	return capacity > SYM_PEERS_MAX ? SYM_PEERS_MAX : capacity;
}

static u16 *sym_uuid_index(struct sym_peer_set *set)
{
	return (u16 *)&set->peers[set->capacity];
}

static const u16 *sym_uuid_index_const(const struct sym_peer_set *set)
{
	return (const u16 *)&set->peers[set->capacity];
}

size_t sym_peer_set_size(u32 capacity)
{
	capacity = sym_clamp_capacity(capacity);
	return sizeof(struct sym_peer_set) +
	       (size_t)capacity * (sizeof(struct sym_peer) + sizeof(u16));
}
SYM_EXPORT(sym_peer_set_size);

void sym_peer_set_init(struct sym_peer_set *set, u32 capacity)
{
	set->count = 0;
	set->capacity = sym_clamp_capacity(capacity);
}
SYM_EXPORT(sym_peer_set_init);

/* Copies a string of at most max chars, cut at NUL, zero padded to max + 1. */
static void sym_copy_padded(char *dst, const char *src, size_t max)
{
	const char *nul = memchr(src, '\0', max);
	size_t len = nul ? (size_t)(nul - src) : max;

	memcpy(dst, src, len);
	memset(dst + len, 0, max + 1 - len);
}

/* Uuids in a set are zero padded, so whole-buffer memcmp is exact. */
static int sym_uuid_order(const char *a, const char *b)
{
	return memcmp(a, b, sizeof(((struct sym_peer *)0)->uuid));
}

static int sym_uuid_cmp(const struct sym_peer *a, const struct sym_peer *b)
{
	int ret = sym_uuid_order(a->uuid, b->uuid);

	if (ret)
		return ret;
	return (int)a->domid - (int)b->domid;
}

/* First position in peers[] whose domid is >= domid. */
static u32 sym_domid_lower_bound(const struct sym_peer_set *set, u16 domid)
{
	u32 lo = 0, hi = set->count;

	while (lo < hi) {
		u32 mid = lo + (hi - lo) / 2;

		if (set->peers[mid].domid < domid)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* First position in by_uuid[] whose peer sorts at or after key. */
static u32 sym_uuid_lower_bound(const struct sym_peer_set *set,
				const struct sym_peer *key)
{
	const u16 *index = sym_uuid_index_const(set);
	u32 lo = 0, hi = set->count;

	while (lo < hi) {
		u32 mid = lo + (hi - lo) / 2;

		if (sym_uuid_cmp(&set->peers[index[mid]], key) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

int sym_peer_set_insert(struct sym_peer_set *set, const struct sym_peer *p)
{
	u16 *index = sym_uuid_index(set);
	struct sym_peer entry;
	u32 pos, upos, i;

	if (p->state != SYM_PEER_JOINED && p->state != SYM_PEER_MIGRATING)
		return -EINVAL;
	pos = sym_domid_lower_bound(set, p->domid);
	if (pos < set->count && set->peers[pos].domid == p->domid)
		return -EEXIST;
	if (set->count >= set->capacity)
		return -ENOSPC;

	memset(&entry, 0, sizeof(entry));
	entry.domid = p->domid;
	entry.has_mac = p->has_mac;
	if (p->has_mac)
		memcpy(entry.mac, p->mac, sizeof(entry.mac));
	entry.state = p->state;
	sym_copy_padded(entry.uuid, p->uuid, sizeof(entry.uuid) - 1);
	sym_copy_padded(entry.name, p->name, sizeof(entry.name) - 1);
	entry.fastpath_off = p->fastpath_off;
	entry.ipv4.nr = p->ipv4.nr < SYM_FP_MAX_ADDRS ? p->ipv4.nr
						       : SYM_FP_MAX_ADDRS;
	memcpy(entry.ipv4.prefix, p->ipv4.prefix,
	       entry.ipv4.nr * sizeof(entry.ipv4.prefix[0]));

	memmove(&set->peers[pos + 1], &set->peers[pos],
		(set->count - pos) * sizeof(set->peers[0]));
	set->peers[pos] = entry;
	for (i = 0; i < set->count; i++)
		if (index[i] >= pos)
			index[i]++;

	upos = sym_uuid_lower_bound(set, &entry);
	memmove(&index[upos + 1], &index[upos], (set->count - upos) * sizeof(index[0]));
	index[upos] = (u16)pos;
	set->count++;
	return 0;
}
SYM_EXPORT(sym_peer_set_insert);

const struct sym_peer *sym_peer_set_find_domid(const struct sym_peer_set *set, u16 domid)
{
	u32 pos;

	if (!set)
		return NULL;
	pos = sym_domid_lower_bound(set, domid);
	if (pos < set->count && set->peers[pos].domid == domid)
		return &set->peers[pos];
	return NULL;
}
SYM_EXPORT(sym_peer_set_find_domid);

const struct sym_peer *sym_peer_set_find_mac(const struct sym_peer_set *set, const u8 mac[6])
{
	u32 i;

	if (!set)
		return NULL;
	for (i = 0; i < set->count; i++)
		if (set->peers[i].has_mac && !memcmp(set->peers[i].mac, mac, 6))
			return &set->peers[i];
	return NULL;
}
SYM_EXPORT(sym_peer_set_find_mac);

const struct sym_peer *sym_peer_set_find_uuid(const struct sym_peer_set *set, const char *uuid)
{
	struct sym_peer key;
	const struct sym_peer *found;
	u32 upos;

	if (!set || !uuid)
		return NULL;
	memset(&key, 0, sizeof(key));
	sym_copy_padded(key.uuid, uuid, sizeof(key.uuid) - 1);
	upos = sym_uuid_lower_bound(set, &key);	/* domid 0 sorts first */
	if (upos >= set->count)
		return NULL;
	found = &set->peers[sym_uuid_index_const(set)[upos]];
	return sym_uuid_order(found->uuid, key.uuid) ? NULL : found;
}

/* Same domid and same uuid in the other set: not removed, added or moved. */
static bool sym_peer_is_stable(const struct sym_peer *p, const struct sym_peer_set *other)
{
	const struct sym_peer *q = sym_peer_set_find_domid(other, p->domid);

	return q && !sym_uuid_order(q->uuid, p->uuid);
}

struct sym_uuid_cursor {
	const struct sym_peer_set *set;
	const struct sym_peer_set *other;
	u32 pos;	/* into by_uuid[] */
	u32 end;	/* end of the current uuid group */
};

static const struct sym_peer *sym_cursor_peer(const struct sym_uuid_cursor *c, u32 pos)
{
	return &c->set->peers[sym_uuid_index_const(c->set)[pos]];
}

/* Next peer of the current uuid group that is not stable, or NULL. */
static const struct sym_peer *sym_cursor_next_unstable(struct sym_uuid_cursor *c)
{
	while (c->pos < c->end) {
		const struct sym_peer *p = sym_cursor_peer(c, c->pos++);

		if (!sym_peer_is_stable(p, c->other))
			return p;
	}
	return NULL;
}

static void sym_cursor_group_end(struct sym_uuid_cursor *c, const char *uuid)
{
	c->end = c->pos;
	while (c->end < c->set->count &&
	       !sym_uuid_order(sym_cursor_peer(c, c->end)->uuid, uuid))
		c->end++;
}

/* One pass over both uuid indexes reporting only changes of kind phase. */
static void sym_diff_by_uuid(const struct sym_peer_set *old_set,
			     const struct sym_peer_set *new_set,
			     enum sym_peer_change phase,
			     sym_peer_diff_fn fn, void *ctx)
{
	struct sym_uuid_cursor o = { old_set, new_set, 0, 0 };
	struct sym_uuid_cursor n = { new_set, old_set, 0, 0 };

	while (o.pos < old_set->count || n.pos < new_set->count) {
		const struct sym_peer *op = NULL, *np = NULL;
		const char *uuid;

		if (o.pos >= old_set->count)
			uuid = sym_cursor_peer(&n, n.pos)->uuid;
		else if (n.pos >= new_set->count)
			uuid = sym_cursor_peer(&o, o.pos)->uuid;
		else if (sym_uuid_order(sym_cursor_peer(&o, o.pos)->uuid,
					sym_cursor_peer(&n, n.pos)->uuid) <= 0)
			uuid = sym_cursor_peer(&o, o.pos)->uuid;
		else
			uuid = sym_cursor_peer(&n, n.pos)->uuid;
		sym_cursor_group_end(&o, uuid);
		sym_cursor_group_end(&n, uuid);

		for (;;) {
			op = sym_cursor_next_unstable(&o);
			np = sym_cursor_next_unstable(&n);
			if (!op && !np)
				break;
			if (op && np) {
				if (phase == SYM_PEER_MOVED)
					fn(ctx, SYM_PEER_MOVED, op, np);
			} else if (op) {
				if (phase == SYM_PEER_REMOVED)
					fn(ctx, SYM_PEER_REMOVED, op, NULL);
			} else if (phase == SYM_PEER_ADDED) {
				fn(ctx, SYM_PEER_ADDED, NULL, np);
			}
		}
	}
}

bool sym_peer_policy_differs(const struct sym_peer *a, const struct sym_peer *b)
{
	return a->fastpath_off != b->fastpath_off || a->ipv4.nr != b->ipv4.nr ||
	       memcmp(a->ipv4.prefix, b->ipv4.prefix,
		      a->ipv4.nr * sizeof(a->ipv4.prefix[0]));
}
SYM_EXPORT(sym_peer_policy_differs);

static bool sym_peer_details_differ(const struct sym_peer *a, const struct sym_peer *b)
{
	return a->state != b->state || a->has_mac != b->has_mac ||
	       memcmp(a->mac, b->mac, sizeof(a->mac)) ||
	       memcmp(a->name, b->name, sizeof(a->name)) ||
	       sym_peer_policy_differs(a, b);
}

static void sym_diff_state_changes(const struct sym_peer_set *old_set,
				   const struct sym_peer_set *new_set,
				   sym_peer_diff_fn fn, void *ctx)
{
	u32 i = 0, j = 0;

	while (i < old_set->count && j < new_set->count) {
		const struct sym_peer *op = &old_set->peers[i];
		const struct sym_peer *np = &new_set->peers[j];

		if (op->domid < np->domid) {
			i++;
		} else if (op->domid > np->domid) {
			j++;
		} else {
			if (!sym_uuid_order(op->uuid, np->uuid) &&
			    sym_peer_details_differ(op, np))
				fn(ctx, SYM_PEER_STATE_CHANGED, op, np);
			i++;
			j++;
		}
	}
}

void sym_peer_set_diff(const struct sym_peer_set *old_set,
		       const struct sym_peer_set *new_set,
		       sym_peer_diff_fn fn, void *ctx)
{
	if (!old_set)
		old_set = &sym_empty_set;
	if (!new_set)
		new_set = &sym_empty_set;

	sym_diff_by_uuid(old_set, new_set, SYM_PEER_REMOVED, fn, ctx);
	sym_diff_by_uuid(old_set, new_set, SYM_PEER_MOVED, fn, ctx);
	sym_diff_state_changes(old_set, new_set, fn, ctx);
	sym_diff_by_uuid(old_set, new_set, SYM_PEER_ADDED, fn, ctx);
}
SYM_EXPORT(sym_peer_set_diff);
