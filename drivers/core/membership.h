/* SPDX-License-Identifier: GPL-2.0 */
/*
 * membership.h - dom0's per-domain membership state machine and the bounded
 * set of VMs that went away while migrating.
 *
 * Data flow: when a domain's registration watch fires, the dom0 glue reads
 * data/symbiont/state back, parses it with sym_parse_announce(), checks
 * whether the domain's XenStore home still exists, and calls
 * sym_member_step() with the member's current state. It stores the returned
 * next state and, if emit is set, appends an event of the returned kind. A
 * value that fails to parse is "malformed": the glue must not call
 * sym_member_step() for it (state unchanged, no event, rate-limited log).
 *
 * The departed set maps a VM uuid to the domid it migrated away from, so the
 * domain that later joins with that uuid is reported as migrate-in with both
 * domids. It is bounded (SYM_DEPARTED_MAX); the oldest entry is forgotten
 * first. An entry is created at migrate-out already, not only once the old
 * domain is gone, so that a localhost live migration, where the new domain
 * joins before the old one is destroyed, is still seen as a migration.
 *
 * Locking/lifetime: pure code, caller serialises (one lock or one work item
 * for all members and the departed set). The caller owns the set.
 */
#ifndef SYM_MEMBERSHIP_H
#define SYM_MEMBERSHIP_H

#include "sym_compat.h"
#include "xs_parse.h"
#include "event_log.h"
#include "fp_frame.h"

#define SYM_DEPARTED_MAX	64

enum sym_member_state {
	SYM_MEMBER_NONE,
	SYM_MEMBER_JOINED,
	SYM_MEMBER_MIGRATING,
};

struct sym_departed {
	char uuid[37];
	u16 domid;		/* the domid it migrated away from */
	bool used;
	bool old_domain_alive;	/* migrate-out seen, old domain not yet gone */
	bool claimed;		/* a new domain already reported migrate-in */
	bool stamped;		/* gone_at is set (sym_departed_expire()) */
	u64 gone_at;		/* when an expiry pass first saw it departed */
	u64 age;		/* larger is newer */
};

struct sym_departed_set {
	struct sym_departed slot[SYM_DEPARTED_MAX];
	u64 clock;
};

struct sym_transition {
	enum sym_member_state next;
	bool emit;
	enum sym_event_kind kind;	/* valid if emit */
	s32 prev_domid;			/* migrate-in only, else -1 */
	/*
	 * A departed VM this step ended for good (a fresh boot took its
	 * uuid): report it lost, with this domid, before the event; else -1.
	 */
	s32 lost_domid;
};

void sym_departed_init(struct sym_departed_set *departed);
/* Unclaimed entry for uuid, newest first; NULL if none. */
const struct sym_departed *sym_departed_find(const struct sym_departed_set *departed,
					     const char *uuid);

/*
 * One step of the table in Documentation/protocol.md.
 * domain_alive: false when the domain's XenStore home is gone; this wins
 * over ann. uuid: trusted uuid of this domid (from /local/domain/<d>/vm), or
 * NULL/"" if unknown, in which case the departed set is not consulted.
 * origin: the guest's claim with its announcement; a join of a uuid that
 * departed migrating is migrate-in unless the guest says it booted, in
 * which case the departed one is lost (lost_domid) and this is a join.
 * Cases the table leaves open: none + anything but joined-and-alive and
 * joined + joined stay put silently; migrating + absent while alive is a
 * leave (the guest withdrew its registration).
 */
struct sym_transition sym_member_step(enum sym_member_state cur, enum sym_announce ann,
				      enum sym_origin origin, bool domain_alive,
				      u16 domid, const char *uuid,
				      struct sym_departed_set *departed);

/*
 * A guest's count of its own transitions (data/symbiont/transitions, the
 * guest's claim): the count after it announces now where it announced was
 * before. It moves only when dom0 would tell the two apart; leaving and a
 * withdrawn registration are one (both a leave).
 */
u32 sym_transitions_next(u32 count, enum sym_announce was, enum sym_announce now);

/* What dom0 last read of a domain's count; zeroed: nothing read yet. */
struct sym_merge_count {
	bool known;
	u32 last;
};

/*
 * dom0 read count (has_count: it could; an older guest has none) with the
 * state its step just acted on, and emitted says whether that step logged
 * an event for it. Returns how many transitions the domain counted that
 * no event stands for (dom0's coalescing merged them), and remembers
 * count. The first count read, and one that went back (only a guest that
 * rewrote its own node does that), are a new baseline: 0.
 */
u32 sym_member_merged(struct sym_merge_count *mc, bool has_count, u32 count,
		      bool emitted);

typedef void (*sym_departed_lost_fn)(void *ctx, const struct sym_departed *d);

/*
 * An expiry pass over the departed set at time now: an entry whose old
 * domain is gone and that no new domain claimed is stamped with now the
 * first time a pass sees it, and ttl after that it is reported to lost
 * and forgotten (a VM saved and never restored, or destroyed while
 * suspended). Returns the earliest deadline still pending, 0 if none, so
 * the caller can schedule the next pass. now and ttl in one unit.
 */
u64 sym_departed_expire(struct sym_departed_set *departed, u64 now, u64 ttl,
			sym_departed_lost_fn lost, void *ctx);

/*
 * A domain's trusted identity: what dom0 reads from the toolstack's nodes
 * (uuid from /local/domain/<d>/vm, name, MAC of its first vif). An unknown
 * uuid or name is "".
 */
struct sym_identity {
	char uuid[SYM_UUID_STR_LEN + 1];
	char name[SYM_NAME_MAX + 1];
	bool has_mac;
	u8 mac[SYM_MAC_LEN];
	/*
	 * Not identity (sym_identity_same() ignores them): the IPv4
	 * prefixes the toolstack allowed its first vif (the backend's ip
	 * node; nr 0: unrestricted), and whether that node was malformed.
	 */
	struct sym_fp_addrs ipv4;
	bool ipv4_bad;
};

/*
 * Whether now still describes the domain was described, i.e. no other
 * domain took its domid: uuid and name equal (unknown counts as a value),
 * and the MACs equal when both are known (a vif backend that is gone, as
 * during a save, says nothing).
 */
bool sym_identity_same(const struct sym_identity *was,
		       const struct sym_identity *now);

/* "none", "joined", "migrating"; "invalid" else. */
const char *sym_member_state_name(enum sym_member_state state);

#endif /* SYM_MEMBERSHIP_H */
