// SPDX-License-Identifier: GPL-2.0
/*
 * membership.c - dom0 membership transitions and the departed-migrating set.
 *
 * sym_member_step() is one switch over the current state mirroring the
 * table in Documentation/protocol.md; it returns the next state and at most
 * one event, and touches only the departed set. The set is a small array
 * searched linearly (SYM_DEPARTED_MAX entries); an entry's life is:
 * migrate-out creates it (old domain alive), then either the old domain
 * resumes or leaves (entry dropped), or it disappears (entry kept as
 * departed) and a new domain with the same uuid joins (entry consumed), or
 * the new domain joins first (entry claimed) and the old one's disappearance
 * drops it. Two more ends: a fresh boot of the same uuid (the guest says
 * "boot") supersedes it, and an expiry pass reports it lost once it has
 * waited ttl for a restore.
 *
 * sym_transitions_next() is the guest's count of its own transitions and
 * sym_member_merged() dom0's reading of it: what a change of the count
 * says beyond the events dom0 logged is reported, never dropped.
 *
 * sym_identity_same() is what dom0 asks on every reconcile of a member: a
 * "no" means a new domain is behind the domid (the old one is gone).
 *
 * Locking/lifetime: caller serialises; no allocation.
 */
#include "membership.h"

#define SYM_UUID_BYTES	37

/* Zero-padded copy of uuid into key; false if there is no usable uuid. */
static bool sym_uuid_key(const char *uuid, char key[SYM_UUID_BYTES])
{
	const char *nul;
	size_t len;

	if (!uuid || !uuid[0])
		return false;
	nul = memchr(uuid, '\0', SYM_UUID_BYTES - 1);
	len = nul ? (size_t)(nul - uuid) : SYM_UUID_BYTES - 1;
	memset(key, 0, SYM_UUID_BYTES);
	memcpy(key, uuid, len);
	return true;
}

void sym_departed_init(struct sym_departed_set *departed)
{
	memset(departed, 0, sizeof(*departed));
}
SYM_EXPORT(sym_departed_init);

/* Index of the newest entry for key matching the filters, or -1. */
static int sym_departed_index(const struct sym_departed_set *departed,
			      const char key[SYM_UUID_BYTES],
			      bool match_domid, u16 domid, bool skip_claimed)
{
	int best = -1;
	int i;

	for (i = 0; i < SYM_DEPARTED_MAX; i++) {
		const struct sym_departed *d = &departed->slot[i];

		if (!d->used || memcmp(d->uuid, key, SYM_UUID_BYTES))
			continue;
		if ((match_domid && d->domid != domid) || (skip_claimed && d->claimed))
			continue;
		if (best < 0 || d->age > departed->slot[best].age)
			best = i;
	}
	return best;
}

static struct sym_departed *sym_departed_lookup(struct sym_departed_set *departed,
						const char key[SYM_UUID_BYTES],
						bool match_domid, u16 domid,
						bool skip_claimed)
{
	int i = sym_departed_index(departed, key, match_domid, domid, skip_claimed);

	return i < 0 ? NULL : &departed->slot[i];
}

const struct sym_departed *sym_departed_find(const struct sym_departed_set *departed,
					     const char *uuid)
{
	char key[SYM_UUID_BYTES];
	int i;

	if (!sym_uuid_key(uuid, key))
		return NULL;
	i = sym_departed_index(departed, key, false, 0, true);
	return i < 0 ? NULL : &departed->slot[i];
}

static struct sym_departed *sym_departed_slot_for(struct sym_departed_set *departed,
						  const char key[SYM_UUID_BYTES], u16 domid)
{
	struct sym_departed *victim;
	int i;

	victim = sym_departed_lookup(departed, key, true, domid, false);
	if (victim)
		return victim;
	victim = &departed->slot[0];
	for (i = 0; i < SYM_DEPARTED_MAX; i++) {
		struct sym_departed *d = &departed->slot[i];

		if (!d->used)
			return d;
		if (d->age < victim->age)
			victim = d;
	}
	return victim;
}

static void sym_departed_remember(struct sym_departed_set *departed,
				  const char key[SYM_UUID_BYTES], u16 domid,
				  bool old_domain_alive)
{
	struct sym_departed *d = sym_departed_slot_for(departed, key, domid);

	memcpy(d->uuid, key, SYM_UUID_BYTES);
	d->domid = domid;
	d->used = true;
	d->old_domain_alive = old_domain_alive;
	d->claimed = false;
	d->age = ++departed->clock;
}

static void sym_departed_forget(struct sym_departed_set *departed,
				const char key[SYM_UUID_BYTES], u16 domid)
{
	struct sym_departed *d = sym_departed_lookup(departed, key, true, domid, false);

	if (d)
		memset(d, 0, sizeof(*d));
}

/* The old domain of a migration is gone: keep it for the new one to claim. */
static void sym_departed_old_gone(struct sym_departed_set *departed,
				  const char key[SYM_UUID_BYTES], u16 domid)
{
	struct sym_departed *d = sym_departed_lookup(departed, key, true, domid, false);

	if (!d)
		sym_departed_remember(departed, key, domid, false);
	else if (d->claimed)
		memset(d, 0, sizeof(*d));
	else
		d->old_domain_alive = false;
}

/* A new domain joined: returns the domid it came from, or -1. */
static s32 sym_departed_claim(struct sym_departed_set *departed,
			      const char key[SYM_UUID_BYTES])
{
	struct sym_departed *d = sym_departed_lookup(departed, key, false, 0, true);
	s32 prev;

	if (!d)
		return -1;
	prev = d->domid;
	if (d->old_domain_alive)
		d->claimed = true;
	else
		memset(d, 0, sizeof(*d));
	return prev;
}

static struct sym_transition sym_stay(enum sym_member_state state)
{
	struct sym_transition t = { state, false, SYM_EV_JOIN, -1, -1 };

	return t;
}

static struct sym_transition sym_emit(enum sym_member_state next,
				      enum sym_event_kind kind, s32 prev_domid)
{
	struct sym_transition t = { next, true, kind, prev_domid, -1 };

	return t;
}

/*
 * A guest that says it booted joins with the uuid of a VM that departed
 * migrating: that VM will not resume (a fresh boot took its uuid). Its
 * entry goes, and if its old domain is gone it is reported lost. -1 if
 * there is nothing to report.
 */
static s32 sym_departed_superseded(struct sym_departed_set *departed,
				   const char key[SYM_UUID_BYTES])
{
	struct sym_departed *d = sym_departed_lookup(departed, key, false, 0, true);
	s32 lost;

	if (!d || d->old_domain_alive)
		return -1;
	lost = d->domid;
	memset(d, 0, sizeof(*d));
	return lost;
}

u64 sym_departed_expire(struct sym_departed_set *departed, u64 now, u64 ttl,
			sym_departed_lost_fn lost, void *ctx)
{
	u64 next = 0, deadline;
	int i;

	for (i = 0; i < SYM_DEPARTED_MAX; i++) {
		struct sym_departed *d = &departed->slot[i];

		if (!d->used || d->old_domain_alive || d->claimed)
			continue;
		if (!d->stamped) {
			d->stamped = true;
			d->gone_at = now;
		}
		if (now - d->gone_at >= ttl) {
			lost(ctx, d);
			memset(d, 0, sizeof(*d));
			continue;
		}
		deadline = d->gone_at + ttl;
		if (!next || deadline < next)
			next = deadline;
	}
	return next;
}
SYM_EXPORT(sym_departed_expire);

struct sym_transition sym_member_step(enum sym_member_state cur, enum sym_announce ann,
				      enum sym_origin origin, bool domain_alive,
				      u16 domid, const char *uuid,
				      struct sym_departed_set *departed)
{
	char key[SYM_UUID_BYTES];
	bool has_uuid = departed && sym_uuid_key(uuid, key);
	struct sym_transition t;
	s32 prev;

	switch (cur) {
	case SYM_MEMBER_NONE:
		if (!domain_alive || ann != SYM_ANNOUNCE_JOINED)
			return sym_stay(SYM_MEMBER_NONE);
		if (has_uuid && origin == SYM_ORIGIN_BOOT) {
			t = sym_emit(SYM_MEMBER_JOINED, SYM_EV_JOIN, -1);
			t.lost_domid = sym_departed_superseded(departed, key);
			return t;
		}
		prev = has_uuid ? sym_departed_claim(departed, key) : -1;
		if (prev >= 0)
			return sym_emit(SYM_MEMBER_JOINED, SYM_EV_MIGRATE_IN, prev);
		return sym_emit(SYM_MEMBER_JOINED, SYM_EV_JOIN, -1);
	case SYM_MEMBER_JOINED:
		if (!domain_alive)
			return sym_emit(SYM_MEMBER_NONE, SYM_EV_LOST, -1);
		if (ann == SYM_ANNOUNCE_JOINED)
			return sym_stay(SYM_MEMBER_JOINED);
		if (ann == SYM_ANNOUNCE_MIGRATING) {
			if (has_uuid)
				sym_departed_remember(departed, key, domid, true);
			return sym_emit(SYM_MEMBER_MIGRATING, SYM_EV_MIGRATE_OUT, -1);
		}
		return sym_emit(SYM_MEMBER_NONE, SYM_EV_LEAVE, -1);

	case SYM_MEMBER_MIGRATING:
		if (!domain_alive) {
			if (has_uuid)
				sym_departed_old_gone(departed, key, domid);
			return sym_stay(SYM_MEMBER_NONE);
		}
		if (ann == SYM_ANNOUNCE_MIGRATING)
			return sym_stay(SYM_MEMBER_MIGRATING);
		if (has_uuid)
			sym_departed_forget(departed, key, domid);
		if (ann == SYM_ANNOUNCE_JOINED)
			return sym_emit(SYM_MEMBER_JOINED, SYM_EV_MIGRATE_IN, domid);
		return sym_emit(SYM_MEMBER_NONE, SYM_EV_LEAVE, -1);
	}
	/* Unknown state from a caller bug: forget it rather than guess. */
	return sym_stay(SYM_MEMBER_NONE);
}
SYM_EXPORT(sym_member_step);

/* The announcements dom0 tells apart; leaving and absent are both a leave. */
static enum sym_announce sym_announce_class(enum sym_announce ann)
{
	return ann == SYM_ANNOUNCE_ABSENT ? SYM_ANNOUNCE_LEAVING : ann;
}

u32 sym_transitions_next(u32 count, enum sym_announce was, enum sym_announce now)
{
	if (sym_announce_class(was) == sym_announce_class(now))
		return count;
	return count + 1;	/* wraps after 2^32; dom0 reads that as a restart */
}
SYM_EXPORT(sym_transitions_next);

u32 sym_member_merged(struct sym_merge_count *mc, bool has_count, u32 count,
		      bool emitted)
{
	u32 delta;

	if (!has_count) {
		mc->known = false;
		return 0;
	}
	delta = count - mc->last;
	if (!mc->known || count < mc->last)
		delta = 0;
	mc->known = true;
	mc->last = count;
	return delta > (u32)emitted ? delta - (u32)emitted : 0;
}
SYM_EXPORT(sym_member_merged);

bool sym_identity_same(const struct sym_identity *was,
		       const struct sym_identity *now)
{
	if (strncmp(was->uuid, now->uuid, sizeof(was->uuid)) ||
	    strncmp(was->name, now->name, sizeof(was->name)))
		return false;
	return !was->has_mac || !now->has_mac ||
	       !memcmp(was->mac, now->mac, SYM_MAC_LEN);
}
SYM_EXPORT(sym_identity_same);

const char *sym_member_state_name(enum sym_member_state state)
{
	switch (state) {
	case SYM_MEMBER_NONE:
		return "none";
	case SYM_MEMBER_JOINED:
		return "joined";
	case SYM_MEMBER_MIGRATING:
		return "migrating";
	}
	return "invalid";
}
SYM_EXPORT(sym_member_state_name);
