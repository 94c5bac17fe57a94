/* SPDX-License-Identifier: GPL-2.0 */
/*
 * fp_channel.h - the decisions of a fast-path channel's state machine
 * (Documentation/fastpath.md, "States"): from (state, event, facts) to
 * (next state, actions), with no side effect.
 *
 * Data flow: fp_step() in drivers/fastpath/channel.c gathers the facts
 * under fp_lock (our role, whether we may start, the peer's record as our
 * view shows it, our epoch, the churn counter and the time as plain
 * numbers), calls sym_fp_step(), then performs the returned actions in
 * the order of their bits (lowest first) and stores the returned next
 * state. If SYM_FP_ACT_OFFER, SYM_FP_ACT_MAP or SYM_FP_ACT_ACK fails, the
 * glue counts an error, performs no further action and leaves the state
 * as it was (SYM_FP_IDLE, or SYM_FP_MAPPED for the ack), to be retried
 * by the next START. After SYM_FP_ACT_MAP, success or not, the glue
 * stores sym_fp_epoch_after_map() as our epoch: an offer whose map
 * failed is tried again, one mapped once never.
 *
 * A mapper maps in one step (IDLE -> MAPPED) and acknowledges in the next
 * (MAPPED -> CONNECTED): an ack that XenStore refused keeps the mapping
 * and is published again, so the granter never sees a transient failure
 * of ours as a closed offer, which it would count as churn.
 *
 * Churn: a peer that ends channels in a row (closed word, connected or
 * offered, its record withdrawn or replaced while connected, or leaving
 * or migrating with a channel up: PEER_GONE) costs the granter fresh
 * pages each time. Each such end bumps the counter if the previous one
 * was less than the window ago, else resets it to 1; reaching
 * SYM_FP_CHURN_MAX breaks the channel instead of starting again. The
 * counter is the peer's, not the channel's (fp_budget.h): a new channel
 * to a peer whose count is at the maximum, its last end within the
 * window, starts broken. Only STOP and PEER_GONE leave SYM_FP_BROKEN, and
 * neither resets the counter.
 *
 * A granter offers nothing to a peer that is migrating, nor while the
 * pages of its previous offer to that peer are still mapped there (the
 * glue retains them, fastpath/grants.c): whatever the peer does, it holds
 * at most one channel's worth of our pages and grant references.
 *
 * Pure C (sym_compat.h only). No state: the caller owns and serialises it.
 */
#ifndef SYM_FP_CHANNEL_H
#define SYM_FP_CHANNEL_H

#include "sym_compat.h"
#include "fp_proto.h"

/* The peer's SYM_FP_CHURN_MAX-th end in a row breaks the channel. */
#define SYM_FP_CHURN_MAX	8u

enum sym_fp_chan_state {
	SYM_FP_IDLE,		/* no shared resources */
	SYM_FP_OFFERED,		/* granter: granted and published, waiting for the ack */
	SYM_FP_MAPPED,		/* mapper: the offer mapped, its ack not yet published */
	SYM_FP_CONNECTED,	/* rings in use */
	SYM_FP_BROKEN,		/* peer violated the protocol: no resources, no retry */
};

enum sym_fp_chan_event {
	SYM_FP_EV_START,	/* peer joined, or we/it came back: try */
	SYM_FP_EV_VIEW,		/* the peer's record in our view changed */
	SYM_FP_EV_STOP,		/* leave, migrate, unload: tear down now */
	SYM_FP_EV_PEER_CLOSED,	/* the peer set its closed word */
	SYM_FP_EV_ERROR,	/* a ring returned -EPROTO */
	SYM_FP_EV_PEER_GONE,	/* the peer left our view or is migrating */
	SYM_FP_EV_STALL,	/* frames wait, and the peer consumed none for the stall timeout */
};

/* What the state machine consults; the glue fills every field. */
struct sym_fp_facts {
	bool may_start;		/* not suspended and attached to the NIC */
	bool self_lower;	/* our domid is below the peer's: granter if we start now */
	bool granter;		/* the role of the channel in use (or last used) */
	bool peer_migrating;	/* our view says the peer is migrating */
	bool policy_off;	/* dom0's policy allows no channel to the peer */
	bool grants_retained;	/* the peer still maps our previous offer */
	/* The peer's record in our view; FP_XS_ABSENT if none or not given. */
	enum sym_fp_xs_state view_state;
	u32 view_epoch;		/* meaningful for OFFERED and CONNECTED */
	u32 epoch;		/* ours: of the offer in use or last torn down */
	/* Churn: ends in a row, the time of the last one, now, the window. */
	u32 churn;
	u64 churn_at;
	u64 now;
	u64 churn_window;	/* same unit as now and churn_at */
};

/* Actions, in the order the glue performs them (lowest bit first). */
#define SYM_FP_ACT_CHURN_RESET	(1u << 0)  /* churn = 1, churn_at = now */
#define SYM_FP_ACT_CHURN_BUMP	(1u << 1)  /* churn += 1, churn_at = now */
#define SYM_FP_ACT_WARN_CHURN	(1u << 2)  /* log: ends every channel at once */
#define SYM_FP_ACT_WARN_VIOLATION (1u << 3) /* log: protocol violation */
#define SYM_FP_ACT_COUNT_ERROR	(1u << 4)  /* stats.errors += 1 */
#define SYM_FP_ACT_TEARDOWN	(1u << 5)  /* unmap/ungrant, unbind: now idle */
#define SYM_FP_ACT_PUBLISH_CLOSED (1u << 6) /* our record says closed */
#define SYM_FP_ACT_SET_ROLE	(1u << 7)  /* granter = self_lower */
#define SYM_FP_ACT_OFFER	(1u << 8)  /* new epoch, grant, publish the offer */
#define SYM_FP_ACT_MAP		(1u << 9)  /* map and bind the offer; epoch: below */
#define SYM_FP_ACT_ACK		(1u << 10) /* publish our ack of the mapped offer */
#define SYM_FP_ACT_OPEN		(1u << 11) /* open the rings to traffic */
#define SYM_FP_ACT_WARN_STALL	(1u << 12) /* log and count: the peer stopped consuming */
#define SYM_FP_ACT_RESTART	(1u << 13) /* last: step START with fresh facts */

struct sym_fp_transition {
	enum sym_fp_chan_state next;	/* once every action succeeded */
	u32 actions;			/* SYM_FP_ACT_* */
};

/*
 * One step. Unknown states and events change nothing. The transitions:
 *   IDLE --START/VIEW, may start, budget spent: warn, count--> BROKEN
 *   IDLE --START/VIEW, may start, peer not migrating, granter, no
 *          grants retained: offer-------------------------> OFFERED
 *   IDLE --START/VIEW, may start, peer not migrating, mapper, view
 *          offers an epoch other than ours: map, restart-----> MAPPED
 *   MAPPED --START, may start, peer not migrating: ack, open--> CONNECTED
 *   OFFERED --VIEW with the mapper's ack of our epoch: open--> CONNECTED
 *   OFFERED/MAPPED/CONNECTED --STOP: teardown---------------> IDLE
 *   OFFERED/MAPPED --ERROR: teardown-----------------------> BROKEN
 *   CONNECTED --ERROR: warn, count, teardown---------------> BROKEN
 *   CONNECTED --PEER_CLOSED, or VIEW with a record (not absent) other
 *          than the one in use: churn, teardown, restart----> IDLE
 *          (or, at SYM_FP_CHURN_MAX: warn, count, teardown --> BROKEN)
 *   MAPPED --PEER_CLOSED, or VIEW with a record (not absent) other than
 *          the offer we mapped: as CONNECTED
 *   OFFERED --PEER_CLOSED (the mapper mapped our offer, then closed it):
 *          the same as CONNECTED --PEER_CLOSED
 *   CONNECTED --STALL: warn, teardown (what waited takes the NIC),
 *          restart: a granter's offer waits until the peer, alive
 *          again, unmaps the old pages; a mapper maps only a new
 *          offer ------------------------------------------> IDLE
 *   OFFERED/MAPPED/CONNECTED --PEER_GONE: churn, teardown-----> IDLE
 *          (or, at SYM_FP_CHURN_MAX: warn, count, teardown --> BROKEN)
 *   BROKEN --STOP/PEER_GONE--> IDLE
 * Every teardown also publishes closed. "Restart" is SYM_FP_ACT_RESTART:
 * the glue steps START once more, with facts gathered anew: after a
 * teardown, because it changed one (the peer may still map the old pages:
 * grants_retained); after a map, to acknowledge it. Neither START from
 * IDLE after a teardown nor START from MAPPED asks for another.
 */
struct sym_fp_transition sym_fp_step(enum sym_fp_chan_state cur,
				     enum sym_fp_chan_event ev,
				     const struct sym_fp_facts *facts);

/*
 * The mapper's epoch once SYM_FP_ACT_MAP ran: the offer's if its pages
 * were mapped (an offer mapped once is stale after its teardown, which
 * set our closed word in it), else the one before, so that an offer whose
 * map failed is tried again on the next START or VIEW (IDLE maps only an
 * offer whose epoch is not ours).
 */
u32 sym_fp_epoch_after_map(u32 before, u32 offer, bool mapped);

/* "idle", "offered", "mapped", "connected", "broken"; "invalid" else. */
const char *sym_fp_chan_state_name(enum sym_fp_chan_state st);
/*
 * "start", "view", "stop", "peer-closed", "error", "peer-gone", "stall";
 * "invalid" else.
 */
const char *sym_fp_chan_event_name(enum sym_fp_chan_event ev);

#endif /* SYM_FP_CHANNEL_H */
