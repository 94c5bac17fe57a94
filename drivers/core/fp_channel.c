// SPDX-License-Identifier: GPL-2.0
/*
 * fp_channel.c - the fast-path channel state machine's decisions.
 *
 * sym_fp_step() is one switch over the current state; it reads only the
 * facts and returns the next state and the actions that get there (see
 * fp_channel.h for the glue's side). Helpers shared by several cases:
 * sym_fp_start() is IDLE + START/VIEW; sym_fp_churn() counts an end the
 * peer caused and tears down (broken once the budget is spent);
 * sym_fp_peer_ended() is what happens when the peer ends a connected
 * channel, an offer we mapped, or closes an offer it mapped: churn, then,
 * unless broken, restart (the glue steps START again once the teardown is
 * done); sym_fp_peer_events() is what MAPPED and CONNECTED share.
 *
 * Locking/lifetime: none; no allocation.
 */
#include "fp_channel.h"

#define SYM_FP_TEARDOWN	(SYM_FP_ACT_TEARDOWN | SYM_FP_ACT_PUBLISH_CLOSED)

/* The peer's last SYM_FP_CHURN_MAX ends came each within the window. */
static bool sym_fp_budget_spent(const struct sym_fp_facts *f)
{
	return f->churn >= SYM_FP_CHURN_MAX &&
	       f->now - f->churn_at < f->churn_window;
}

/* IDLE + START or VIEW: offer (granter) or map a new offer (mapper). */
static void sym_fp_start(const struct sym_fp_facts *f,
			 struct sym_fp_transition *t)
{
	if (!f->may_start)
		return;
	if (sym_fp_budget_spent(f)) {
		t->actions |= SYM_FP_ACT_WARN_CHURN | SYM_FP_ACT_COUNT_ERROR;
		t->next = SYM_FP_BROKEN;
		return;
	}
	if (f->peer_migrating || f->policy_off)
		return;
	t->actions |= SYM_FP_ACT_SET_ROLE;
	if (f->self_lower) {
		/* The glue steps START again once the peer let them go. */
		if (f->grants_retained)
			return;
		t->actions |= SYM_FP_ACT_OFFER;
		t->next = SYM_FP_OFFERED;
	} else if (f->view_state == FP_XS_OFFERED &&
		   f->view_epoch != f->epoch) {
		/* Never map the same offer twice: it is stale once torn down. */
		t->actions |= SYM_FP_ACT_MAP | SYM_FP_ACT_RESTART;
		t->next = SYM_FP_MAPPED;
	}
}

/*
 * The peer ended a channel or an offer: count it (churn rule), tear down.
 * False if that spent the peer's budget (the channel is now broken), true
 * if it is idle.
 */
static bool sym_fp_churn(const struct sym_fp_facts *f,
			 struct sym_fp_transition *t)
{
	u32 churn;

	if (f->churn && f->now - f->churn_at < f->churn_window) {
		t->actions |= SYM_FP_ACT_CHURN_BUMP;
		churn = f->churn + 1;
	} else {
		t->actions |= SYM_FP_ACT_CHURN_RESET;
		churn = 1;
	}
	t->actions |= SYM_FP_TEARDOWN;
	if (churn >= SYM_FP_CHURN_MAX) {
		t->actions |= SYM_FP_ACT_WARN_CHURN | SYM_FP_ACT_COUNT_ERROR;
		t->next = SYM_FP_BROKEN;
		return false;
	}
	t->next = SYM_FP_IDLE;
	return true;
}

/*
 * CONNECTED, and the peer ended it: closed word, or record gone or new;
 * or OFFERED, and the mapper closed the offer.
 */
static void sym_fp_peer_ended(const struct sym_fp_facts *f,
			      struct sym_fp_transition *t)
{
	if (sym_fp_churn(f, t))
		t->actions |= SYM_FP_ACT_RESTART;
}

/*
 * OFFERED or CONNECTED, START or VIEW: dom0 switched the pair's fast path
 * off (its relay no longer carries our records). End what we have,
 * without counting it against the peer; IDLE then waits for a view that
 * allows it again. True if that is what happens.
 */
static bool sym_fp_policy_ends(const struct sym_fp_facts *f,
			       enum sym_fp_chan_event ev,
			       struct sym_fp_transition *t)
{
	if (!f->policy_off || (ev != SYM_FP_EV_START && ev != SYM_FP_EV_VIEW))
		return false;
	t->actions = SYM_FP_TEARDOWN;
	t->next = SYM_FP_IDLE;
	return true;
}

/* MAPPED or CONNECTED + VIEW: is the record the one the channel uses? */
static bool sym_fp_view_current(const struct sym_fp_facts *f)
{
	enum sym_fp_xs_state want = f->granter ? FP_XS_CONNECTED : FP_XS_OFFERED;

	return f->view_state == want && f->view_epoch == f->epoch;
}

/*
 * MAPPED or CONNECTED: the peer ended what we have (closed word, record
 * gone or new, left or migrating), or STOP. True if ev was one of them.
 */
static bool sym_fp_peer_events(const struct sym_fp_facts *f,
			       enum sym_fp_chan_event ev,
			       struct sym_fp_transition *t)
{
	if (ev == SYM_FP_EV_VIEW) {
		/* Absent: view.c rewrites views wholesale; wait. */
		if (f->view_state != FP_XS_ABSENT && !sym_fp_view_current(f))
			sym_fp_peer_ended(f, t);
	} else if (ev == SYM_FP_EV_PEER_CLOSED) {
		sym_fp_peer_ended(f, t);
	} else if (ev == SYM_FP_EV_PEER_GONE) {
		sym_fp_churn(f, t);
	} else if (ev == SYM_FP_EV_STOP) {
		t->actions = SYM_FP_TEARDOWN;
		t->next = SYM_FP_IDLE;
	} else {
		return false;
	}
	return true;
}

struct sym_fp_transition sym_fp_step(enum sym_fp_chan_state cur,
				     enum sym_fp_chan_event ev,
				     const struct sym_fp_facts *f)
{
	struct sym_fp_transition t = { .next = cur, .actions = 0 };

	switch (cur) {
	case SYM_FP_IDLE:
		if (ev == SYM_FP_EV_START || ev == SYM_FP_EV_VIEW)
			sym_fp_start(f, &t);
		break;

	case SYM_FP_OFFERED:
		if (sym_fp_policy_ends(f, ev, &t))
			break;
		if (ev == SYM_FP_EV_VIEW && f->view_state == FP_XS_CONNECTED &&
		    f->view_epoch == f->epoch) {
			t.actions = SYM_FP_ACT_OPEN;
			t.next = SYM_FP_CONNECTED;
		} else if (ev == SYM_FP_EV_PEER_CLOSED) {
			/*
			 * Only a mapper that mapped this offer can set its
			 * closed word (its ack failed, or it is hostile).
			 * Ignoring it would leave the word set: every event
			 * of the peer would find it again, each one work
			 * that NAPI never flags spurious. So it ends the
			 * offer as it ends a channel: churn (bounded: the
			 * SYM_FP_CHURN_MAX-th breaks), teardown (the event
			 * channel goes with it), offer anew.
			 */
			sym_fp_peer_ended(f, &t);
		} else if (ev == SYM_FP_EV_PEER_GONE) {
			sym_fp_churn(f, &t);
		} else if (ev == SYM_FP_EV_STOP) {
			t.actions = SYM_FP_TEARDOWN;
			t.next = SYM_FP_IDLE;
		} else if (ev == SYM_FP_EV_ERROR) {
			t.actions = SYM_FP_TEARDOWN;
			t.next = SYM_FP_BROKEN;
		}
		break;

	case SYM_FP_MAPPED:
		if (sym_fp_policy_ends(f, ev, &t) ||
		    sym_fp_peer_events(f, ev, &t))
			break;
		if (ev == SYM_FP_EV_START && f->may_start &&
		    !f->peer_migrating) {
			/* The first try, or a retry of an ack that failed. */
			t.actions = SYM_FP_ACT_ACK | SYM_FP_ACT_OPEN;
			t.next = SYM_FP_CONNECTED;
		} else if (ev == SYM_FP_EV_ERROR) {
			t.actions = SYM_FP_TEARDOWN;
			t.next = SYM_FP_BROKEN;
		}
		break;

	case SYM_FP_CONNECTED:
		if (sym_fp_policy_ends(f, ev, &t) ||
		    sym_fp_peer_events(f, ev, &t))
			break;
		if (ev == SYM_FP_EV_STALL) {
			/* Not churn: the peer ended nothing, it went quiet. */
			t.actions = SYM_FP_ACT_WARN_STALL | SYM_FP_TEARDOWN |
				    SYM_FP_ACT_RESTART;
			t.next = SYM_FP_IDLE;
		} else if (ev == SYM_FP_EV_ERROR) {
			t.actions = SYM_FP_ACT_WARN_VIOLATION |
				    SYM_FP_ACT_COUNT_ERROR | SYM_FP_TEARDOWN;
			t.next = SYM_FP_BROKEN;
		}
		break;

	case SYM_FP_BROKEN:
		if (ev == SYM_FP_EV_STOP || ev == SYM_FP_EV_PEER_GONE)
			t.next = SYM_FP_IDLE;
		break;
	}
	return t;
}
SYM_EXPORT(sym_fp_step);

u32 sym_fp_epoch_after_map(u32 before, u32 offer, bool mapped)
{
	return mapped ? offer : before;
}
SYM_EXPORT(sym_fp_epoch_after_map);

const char *sym_fp_chan_state_name(enum sym_fp_chan_state st)
{
	static const char *const names[] = {
		[SYM_FP_IDLE] = "idle",
		[SYM_FP_OFFERED] = "offered",
		[SYM_FP_MAPPED] = "mapped",
		[SYM_FP_CONNECTED] = "connected",
		[SYM_FP_BROKEN] = "broken",
	};

	return (unsigned int)st < ARRAY_SIZE(names) ? names[st] : "invalid";
}
SYM_EXPORT(sym_fp_chan_state_name);

const char *sym_fp_chan_event_name(enum sym_fp_chan_event ev)
{
	static const char *const names[] = {
		[SYM_FP_EV_START] = "start",
		[SYM_FP_EV_VIEW] = "view",
		[SYM_FP_EV_STOP] = "stop",
		[SYM_FP_EV_PEER_CLOSED] = "peer-closed",
		[SYM_FP_EV_ERROR] = "error",
		[SYM_FP_EV_PEER_GONE] = "peer-gone",
		[SYM_FP_EV_STALL] = "stall",
	};

	return (unsigned int)ev < ARRAY_SIZE(names) ? names[ev] : "invalid";
}
SYM_EXPORT(sym_fp_chan_event_name);
