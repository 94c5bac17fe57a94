// SPDX-License-Identifier: GPL-2.0
/*
 * test_fp_channel.c - unit tests for the fast-path channel state machine
 * (sym_fp_step(), drivers/core/fp_channel.c).
 *
 * Checks every (state, event) pair with the fact combinations that matter
 * against a table written from Documentation/fastpath.md, the churn rule
 * at its edges, invariants over a grid of all states, events and facts,
 * and whole lifecycles through a miniature glue (struct chan) that
 * performs the actions the way drivers/fastpath/channel.c does, including
 * a failed offer, map or ack. Single-threaded; each test owns its state.
 */
#include "harness.h"
#include "fp_channel.h"

#define TD	(SYM_FP_ACT_TEARDOWN | SYM_FP_ACT_PUBLISH_CLOSED)
#define ROLE	SYM_FP_ACT_SET_ROLE
#define OFFER	SYM_FP_ACT_OFFER
#define MAP	(SYM_FP_ACT_MAP | SYM_FP_ACT_RESTART)
#define ACKOPEN	(SYM_FP_ACT_ACK | SYM_FP_ACT_OPEN)
#define ACQUIRE	(ROLE | OFFER | SYM_FP_ACT_MAP | ACKOPEN)
#define RESET	SYM_FP_ACT_CHURN_RESET
#define RESTART	SYM_FP_ACT_RESTART
#define BUMP	SYM_FP_ACT_CHURN_BUMP
#define WINDOW	1000u
#define OURS	5u	/* our epoch in the tables */
#define OTHER	9u

/* Facts of a granter (self_lower) or a mapper, no churn history. */
static struct sym_fp_facts facts(bool may_start, bool granter,
				 enum sym_fp_xs_state view, u32 view_epoch)
{
	struct sym_fp_facts f;

	memset(&f, 0, sizeof(f));
	f.may_start = may_start;
	f.self_lower = granter;
	f.granter = granter;
	f.view_state = view;
	f.view_epoch = view_epoch;
	f.epoch = OURS;
	f.now = 50000;
	f.churn_window = WINDOW;
	return f;
}

struct row {
	int line;
	enum sym_fp_chan_state cur;
	enum sym_fp_chan_event ev;
	bool may_start;
	bool granter;
	enum sym_fp_xs_state view;
	u32 view_epoch;
	enum sym_fp_chan_state next;
	u32 actions;
};

#define R(cur, ev, may, gr, view, ve, next, act) \
	{ __LINE__, SYM_FP_##cur, SYM_FP_EV_##ev, may, gr, FP_XS_##view, ve, \
	  SYM_FP_##next, act }

static const struct row rows[] = {
	/* IDLE: only START and VIEW act, and only if we may start. */
	R(IDLE, START, 1, 1, ABSENT, 0, OFFERED, ROLE | OFFER),
	R(IDLE, START, 0, 1, ABSENT, 0, IDLE, 0),
	R(IDLE, START, 1, 0, ABSENT, 0, IDLE, ROLE),
	R(IDLE, START, 1, 0, OFFERED, OTHER, MAPPED, ROLE | MAP),
	R(IDLE, START, 1, 0, OFFERED, OURS, IDLE, ROLE),
	R(IDLE, START, 0, 0, OFFERED, OTHER, IDLE, 0),
	R(IDLE, VIEW, 1, 1, ABSENT, 0, OFFERED, ROLE | OFFER),
	R(IDLE, VIEW, 1, 1, CONNECTED, OURS, OFFERED, ROLE | OFFER),
	R(IDLE, VIEW, 1, 1, CLOSED, 0, OFFERED, ROLE | OFFER),
	R(IDLE, VIEW, 0, 1, CLOSED, 0, IDLE, 0),
	R(IDLE, VIEW, 1, 0, OFFERED, OTHER, MAPPED, ROLE | MAP),
	R(IDLE, VIEW, 1, 0, OFFERED, OURS, IDLE, ROLE),	/* never twice */
	R(IDLE, VIEW, 1, 0, CONNECTED, OTHER, IDLE, ROLE),
	R(IDLE, VIEW, 1, 0, CLOSED, 0, IDLE, ROLE),
	R(IDLE, VIEW, 1, 0, ABSENT, 0, IDLE, ROLE),
	R(IDLE, VIEW, 0, 0, OFFERED, OTHER, IDLE, 0),
	R(IDLE, STOP, 1, 1, ABSENT, 0, IDLE, 0),
	R(IDLE, STOP, 1, 0, OFFERED, OTHER, IDLE, 0),
	R(IDLE, PEER_CLOSED, 1, 1, ABSENT, 0, IDLE, 0),
	R(IDLE, PEER_CLOSED, 1, 0, OFFERED, OTHER, IDLE, 0),
	R(IDLE, ERROR, 1, 1, ABSENT, 0, IDLE, 0),
	R(IDLE, ERROR, 1, 0, OFFERED, OTHER, IDLE, 0),

	/* OFFERED (granter): the ack of our epoch opens; STOP, ERROR end. */
	R(OFFERED, VIEW, 1, 1, CONNECTED, OURS, CONNECTED, SYM_FP_ACT_OPEN),
	R(OFFERED, VIEW, 0, 1, CONNECTED, OURS, CONNECTED, SYM_FP_ACT_OPEN),
	R(OFFERED, VIEW, 1, 1, CONNECTED, OTHER, OFFERED, 0),
	R(OFFERED, VIEW, 1, 1, OFFERED, OURS, OFFERED, 0),
	R(OFFERED, VIEW, 1, 1, CLOSED, OURS, OFFERED, 0),
	R(OFFERED, VIEW, 1, 1, ABSENT, OURS, OFFERED, 0),
	R(OFFERED, START, 1, 1, CONNECTED, OURS, OFFERED, 0),
	R(OFFERED, START, 1, 1, ABSENT, 0, OFFERED, 0),
	/* The mapper closed the offer (it mapped it, then gave up): anew. */
	R(OFFERED, PEER_CLOSED, 1, 1, ABSENT, 0, IDLE, RESET | TD | RESTART),
	R(OFFERED, PEER_CLOSED, 0, 1, ABSENT, 0, IDLE, RESET | TD | RESTART),
	R(OFFERED, STOP, 1, 1, ABSENT, 0, IDLE, TD),
	R(OFFERED, STOP, 0, 1, CONNECTED, OURS, IDLE, TD),
	R(OFFERED, ERROR, 1, 1, ABSENT, 0, BROKEN, TD),
	R(OFFERED, ERROR, 0, 1, ABSENT, 0, BROKEN, TD),

	/*
	 * MAPPED (mapper): START acknowledges (again, if XenStore refused);
	 * the offer we mapped is current; anything else ends it, as in
	 * CONNECTED.
	 */
	R(MAPPED, START, 1, 0, OFFERED, OURS, CONNECTED, ACKOPEN),
	R(MAPPED, START, 1, 0, ABSENT, 0, CONNECTED, ACKOPEN),
	R(MAPPED, START, 0, 0, OFFERED, OURS, MAPPED, 0),
	R(MAPPED, VIEW, 1, 0, OFFERED, OURS, MAPPED, 0),
	R(MAPPED, VIEW, 1, 0, ABSENT, 0, MAPPED, 0),
	R(MAPPED, VIEW, 1, 0, OFFERED, OTHER, IDLE, RESET | TD | RESTART),
	R(MAPPED, VIEW, 1, 0, CLOSED, 0, IDLE, RESET | TD | RESTART),
	R(MAPPED, VIEW, 0, 0, CONNECTED, OURS, IDLE, RESET | TD | RESTART),
	R(MAPPED, PEER_CLOSED, 1, 0, ABSENT, 0, IDLE, RESET | TD | RESTART),
	R(MAPPED, STOP, 1, 0, OFFERED, OURS, IDLE, TD),
	R(MAPPED, ERROR, 1, 0, OFFERED, OURS, BROKEN, TD),

	/* CONNECTED granter: the mapper's ack of our epoch is current. */
	R(CONNECTED, VIEW, 1, 1, CONNECTED, OURS, CONNECTED, 0),
	R(CONNECTED, VIEW, 1, 1, ABSENT, 0, CONNECTED, 0),
	R(CONNECTED, VIEW, 1, 1, CONNECTED, OTHER, IDLE, RESET | TD | RESTART),
	R(CONNECTED, VIEW, 1, 1, CLOSED, 0, IDLE, RESET | TD | RESTART),
	R(CONNECTED, VIEW, 1, 1, OFFERED, OURS, IDLE, RESET | TD | RESTART),
	R(CONNECTED, VIEW, 0, 1, CLOSED, 0, IDLE, RESET | TD | RESTART),
	R(CONNECTED, PEER_CLOSED, 1, 1, ABSENT, 0, IDLE, RESET | TD | RESTART),
	R(CONNECTED, PEER_CLOSED, 0, 1, ABSENT, 0, IDLE, RESET | TD | RESTART),
	R(CONNECTED, START, 1, 1, CLOSED, 0, CONNECTED, 0),
	R(CONNECTED, STOP, 1, 1, CLOSED, 0, IDLE, TD),
	R(CONNECTED, ERROR, 1, 1, CONNECTED, OURS, BROKEN, SYM_FP_ACT_WARN_VIOLATION |
	  SYM_FP_ACT_COUNT_ERROR | TD),

	/* CONNECTED mapper: the granter's offer of our epoch is current. */
	R(CONNECTED, VIEW, 1, 0, OFFERED, OURS, CONNECTED, 0),
	R(CONNECTED, VIEW, 1, 0, ABSENT, 0, CONNECTED, 0),
	R(CONNECTED, VIEW, 1, 0, OFFERED, OTHER, IDLE, RESET | TD | RESTART),
	R(CONNECTED, VIEW, 0, 0, OFFERED, OTHER, IDLE, RESET | TD | RESTART),
	R(CONNECTED, VIEW, 1, 0, CLOSED, 0, IDLE, RESET | TD | RESTART),
	R(CONNECTED, VIEW, 1, 0, CONNECTED, OURS, IDLE, RESET | TD | RESTART),
	R(CONNECTED, PEER_CLOSED, 1, 0, ABSENT, 0, IDLE, RESET | TD | RESTART),
	R(CONNECTED, START, 1, 0, OFFERED, OTHER, CONNECTED, 0),
	R(CONNECTED, STOP, 1, 0, OFFERED, OURS, IDLE, TD),
	R(CONNECTED, ERROR, 0, 0, OFFERED, OURS, BROKEN, SYM_FP_ACT_WARN_VIOLATION |
	  SYM_FP_ACT_COUNT_ERROR | TD),

	/* BROKEN: nothing but STOP, which has nothing to tear down. */
	R(BROKEN, START, 1, 1, ABSENT, 0, BROKEN, 0),
	R(BROKEN, START, 1, 0, OFFERED, OTHER, BROKEN, 0),
	R(BROKEN, VIEW, 1, 1, CONNECTED, OTHER, BROKEN, 0),
	R(BROKEN, VIEW, 1, 0, OFFERED, OTHER, BROKEN, 0),
	R(BROKEN, PEER_CLOSED, 1, 1, ABSENT, 0, BROKEN, 0),
	R(BROKEN, ERROR, 1, 0, ABSENT, 0, BROKEN, 0),
	R(BROKEN, STOP, 1, 1, ABSENT, 0, IDLE, 0),
	R(BROKEN, STOP, 0, 0, OFFERED, OTHER, IDLE, 0),

	/* PEER_GONE: it left or is migrating; what it held counts as churn. */
	R(IDLE, PEER_GONE, 1, 1, ABSENT, 0, IDLE, 0),
	R(IDLE, PEER_GONE, 1, 0, OFFERED, OTHER, IDLE, 0),
	R(OFFERED, PEER_GONE, 1, 1, ABSENT, 0, IDLE, RESET | TD),
	R(MAPPED, PEER_GONE, 1, 0, OFFERED, OURS, IDLE, RESET | TD),
	R(CONNECTED, PEER_GONE, 1, 1, CONNECTED, OURS, IDLE, RESET | TD),
	R(CONNECTED, PEER_GONE, 1, 0, OFFERED, OURS, IDLE, RESET | TD),
	R(BROKEN, PEER_GONE, 1, 1, ABSENT, 0, IDLE, 0),

	/* STALL: frames wait and the peer consumes none; only a ring has it. */
	R(IDLE, STALL, 1, 1, ABSENT, 0, IDLE, 0),
	R(OFFERED, STALL, 1, 1, ABSENT, 0, OFFERED, 0),
	R(MAPPED, STALL, 1, 0, OFFERED, OURS, MAPPED, 0),
	R(CONNECTED, STALL, 1, 1, CONNECTED, OURS, IDLE,
	  SYM_FP_ACT_WARN_STALL | TD | RESTART),
	R(CONNECTED, STALL, 0, 0, OFFERED, OURS, IDLE,
	  SYM_FP_ACT_WARN_STALL | TD | RESTART),
	R(BROKEN, STALL, 1, 0, OFFERED, OTHER, BROKEN, 0),
};

TEST(every_state_event_pair)
{
	bool seen[5][7];
	unsigned int i, s, e;

	memset(seen, 0, sizeof(seen));
	for (i = 0; i < ARRAY_SIZE(rows); i++) {
		const struct row *r = &rows[i];
		struct sym_fp_facts f = facts(r->may_start, r->granter, r->view,
					      r->view_epoch);
		struct sym_fp_transition t = sym_fp_step(r->cur, r->ev, &f);

		seen[r->cur][r->ev] = true;
		if (t.next != r->next || t.actions != r->actions)
			SYM_FAIL("# %s:%d %s + %s (may=%d granter=%d view=%s/%u): got %s %#x, want %s %#x",
				 __FILE__, r->line, sym_fp_chan_state_name(r->cur),
				 sym_fp_chan_event_name(r->ev), r->may_start, r->granter,
				 sym_fp_state_name(r->view), r->view_epoch,
				 sym_fp_chan_state_name(t.next), t.actions,
				 sym_fp_chan_state_name(r->next), r->actions);
	}
	for (s = 0; s < 5; s++)
		for (e = 0; e < 7; e++)
			if (!seen[s][e])
				SYM_FAIL("# no row for %s + %s",
					 sym_fp_chan_state_name(s), sym_fp_chan_event_name(e));
}

TEST(unknown_state_or_event_changes_nothing)
{
	struct sym_fp_facts f = facts(true, true, FP_XS_CONNECTED, OURS);
	struct sym_fp_transition t;
	unsigned int s;

	t = sym_fp_step((enum sym_fp_chan_state)7, SYM_FP_EV_STOP, &f);
	ASSERT_EQ(7, t.next);
	ASSERT_EQ(0, t.actions);
	for (s = SYM_FP_IDLE; s <= SYM_FP_BROKEN; s++) {
		t = sym_fp_step(s, (enum sym_fp_chan_event)11, &f);
		ASSERT_EQ(s, t.next);
		ASSERT_EQ(0, t.actions);
	}
	ASSERT_STREQ("invalid", sym_fp_chan_state_name((enum sym_fp_chan_state)5));
	ASSERT_STREQ("mapped", sym_fp_chan_state_name(SYM_FP_MAPPED));
	ASSERT_STREQ("invalid", sym_fp_chan_event_name((enum sym_fp_chan_event)7));
	ASSERT_STREQ("stall", sym_fp_chan_event_name(SYM_FP_EV_STALL));
	ASSERT_STREQ("peer-gone", sym_fp_chan_event_name(SYM_FP_EV_PEER_GONE));
	ASSERT_STREQ("broken", sym_fp_chan_state_name(SYM_FP_BROKEN));
	ASSERT_STREQ("peer-closed", sym_fp_chan_event_name(SYM_FP_EV_PEER_CLOSED));
}

/* CONNECTED granter, peer closed, with this churn history. */
static struct sym_fp_transition churn_step(u32 churn, u64 age, bool granter)
{
	struct sym_fp_facts f = facts(true, granter, FP_XS_ABSENT, 0);

	f.churn = churn;
	f.churn_at = f.now - age;
	return sym_fp_step(SYM_FP_CONNECTED, SYM_FP_EV_PEER_CLOSED, &f);
}

#define BROKEN_ACTS	(SYM_FP_ACT_WARN_CHURN | SYM_FP_ACT_COUNT_ERROR | TD)

TEST(churn_counts_from_one)
{
	struct sym_fp_transition t;

	/* No history: reset to 1 even if churn_at happens to be recent. */
	t = churn_step(0, 0, true);
	ASSERT_EQ(SYM_FP_IDLE, t.next);
	ASSERT_EQ(RESET | TD | RESTART, t.actions);
	t = churn_step(1, 0, true);
	ASSERT_EQ(BUMP | TD | RESTART, t.actions);
}

TEST(churn_just_under_and_at_the_max)
{
	struct sym_fp_transition t;

	t = churn_step(SYM_FP_CHURN_MAX - 2, 1, true);	/* becomes max - 1 */
	ASSERT_EQ(SYM_FP_IDLE, t.next);
	ASSERT_EQ(BUMP | TD | RESTART, t.actions);
	t = churn_step(SYM_FP_CHURN_MAX - 2, 1, false);
	ASSERT_EQ(SYM_FP_IDLE, t.next);
	ASSERT_EQ(BUMP | TD | RESTART, t.actions);

	t = churn_step(SYM_FP_CHURN_MAX - 1, 1, true);	/* becomes max */
	ASSERT_EQ(SYM_FP_BROKEN, t.next);
	ASSERT_EQ(BUMP | BROKEN_ACTS, t.actions);
	t = churn_step(SYM_FP_CHURN_MAX - 1, WINDOW - 1, false);
	ASSERT_EQ(SYM_FP_BROKEN, t.next);
	ASSERT_EQ(BUMP | BROKEN_ACTS, t.actions);

	/* Past the max (broken, stopped, connected again): breaks at once. */
	t = churn_step(SYM_FP_CHURN_MAX + 3, 0, true);
	ASSERT_EQ(SYM_FP_BROKEN, t.next);
	ASSERT_EQ(BUMP | BROKEN_ACTS, t.actions);
}

TEST(churn_window_expiry_resets)
{
	struct sym_fp_transition t;

	t = churn_step(SYM_FP_CHURN_MAX - 1, WINDOW - 1, true);
	ASSERT_EQ(SYM_FP_BROKEN, t.next);
	t = churn_step(SYM_FP_CHURN_MAX - 1, WINDOW, true);
	ASSERT_EQ(SYM_FP_IDLE, t.next);
	ASSERT_EQ(RESET | TD | RESTART, t.actions);
	t = churn_step(SYM_FP_CHURN_MAX + 3, WINDOW + 1, true);
	ASSERT_EQ(RESET | TD | RESTART, t.actions);
}

TEST(churn_applies_to_a_replaced_record_too)
{
	struct sym_fp_facts f = facts(true, false, FP_XS_OFFERED, OTHER);
	struct sym_fp_transition t;

	f.churn = SYM_FP_CHURN_MAX - 1;
	f.churn_at = f.now;
	t = sym_fp_step(SYM_FP_CONNECTED, SYM_FP_EV_VIEW, &f);
	ASSERT_EQ(SYM_FP_BROKEN, t.next);
	ASSERT_EQ(BUMP | BROKEN_ACTS, t.actions);
	/* The protocol-violation path does not touch churn. */
	t = sym_fp_step(SYM_FP_CONNECTED, SYM_FP_EV_ERROR, &f);
	ASSERT_EQ(0, t.actions & (RESET | BUMP));
}

TEST(churn_time_is_modular)
{
	struct sym_fp_facts f = facts(true, true, FP_XS_ABSENT, 0);
	struct sym_fp_transition t;

	f.churn = SYM_FP_CHURN_MAX - 1;
	f.churn_at = U64_MAX - 5;
	f.now = 3;		/* 9 later */
	t = sym_fp_step(SYM_FP_CONNECTED, SYM_FP_EV_PEER_CLOSED, &f);
	ASSERT_EQ(SYM_FP_BROKEN, t.next);
}

TEST(no_offer_or_map_to_a_migrating_peer)
{
	struct sym_fp_facts f = facts(true, true, FP_XS_ABSENT, 0);
	struct sym_fp_transition t;

	f.peer_migrating = true;
	t = sym_fp_step(SYM_FP_IDLE, SYM_FP_EV_START, &f);
	ASSERT_EQ(SYM_FP_IDLE, t.next);
	ASSERT_EQ(0, t.actions);
	f = facts(true, false, FP_XS_OFFERED, OTHER);
	f.peer_migrating = true;
	t = sym_fp_step(SYM_FP_IDLE, SYM_FP_EV_VIEW, &f);
	ASSERT_EQ(SYM_FP_IDLE, t.next);
	ASSERT_EQ(0, t.actions);
	/* Back from migrating: the same facts otherwise offer and map. */
	f.peer_migrating = false;
	t = sym_fp_step(SYM_FP_IDLE, SYM_FP_EV_VIEW, &f);
	ASSERT_EQ(ROLE | MAP, t.actions);
	/* Mapped, and the peer announced its migration: no ack. */
	f.peer_migrating = true;
	t = sym_fp_step(SYM_FP_MAPPED, SYM_FP_EV_START, &f);
	ASSERT_EQ(SYM_FP_MAPPED, t.next);
	ASSERT_EQ(0, t.actions);
}

TEST(policy_off_ends_a_channel_and_starts_none)
{
	struct sym_fp_facts f = facts(true, true, FP_XS_CONNECTED, OURS);
	struct sym_fp_transition t;

	f.policy_off = true;
	t = sym_fp_step(SYM_FP_CONNECTED, SYM_FP_EV_VIEW, &f);
	ASSERT_EQ(SYM_FP_IDLE, t.next);
	ASSERT_EQ(TD, t.actions);
	t = sym_fp_step(SYM_FP_OFFERED, SYM_FP_EV_START, &f);
	ASSERT_EQ(SYM_FP_IDLE, t.next);
	ASSERT_EQ(TD, t.actions);
	t = sym_fp_step(SYM_FP_IDLE, SYM_FP_EV_START, &f);
	ASSERT_EQ(SYM_FP_IDLE, t.next);
	ASSERT_EQ(0, t.actions);
	f = facts(true, false, FP_XS_OFFERED, OTHER);
	f.policy_off = true;
	t = sym_fp_step(SYM_FP_IDLE, SYM_FP_EV_VIEW, &f);
	ASSERT_EQ(0, t.actions);
	t = sym_fp_step(SYM_FP_MAPPED, SYM_FP_EV_START, &f);
	ASSERT_EQ(SYM_FP_IDLE, t.next);
	ASSERT_EQ(TD, t.actions);
	/* Switched back on: the same facts map again. */
	f.policy_off = false;
	t = sym_fp_step(SYM_FP_IDLE, SYM_FP_EV_VIEW, &f);
	ASSERT_EQ(ROLE | MAP, t.actions);
}

TEST(second_offer_waits_for_retained_grants)
{
	struct sym_fp_facts f = facts(true, true, FP_XS_ABSENT, 0);
	struct sym_fp_transition t;

	f.grants_retained = true;
	t = sym_fp_step(SYM_FP_IDLE, SYM_FP_EV_START, &f);
	ASSERT_EQ(SYM_FP_IDLE, t.next);
	ASSERT_EQ(ROLE, t.actions);
	/* The peer closed a channel: teardown, then START with fresh facts. */
	t = sym_fp_step(SYM_FP_CONNECTED, SYM_FP_EV_PEER_CLOSED, &f);
	ASSERT_EQ(SYM_FP_IDLE, t.next);
	ASSERT_EQ(RESET | TD | RESTART, t.actions);
	/* Our own retained grants do not stop a mapper. */
	f = facts(true, false, FP_XS_OFFERED, OTHER);
	f.grants_retained = true;
	t = sym_fp_step(SYM_FP_IDLE, SYM_FP_EV_VIEW, &f);
	ASSERT_EQ(ROLE | MAP, t.actions);
}

TEST(spent_budget_starts_broken_until_the_window_passed)
{
	struct sym_fp_facts f = facts(true, true, FP_XS_ABSENT, 0);
	struct sym_fp_transition t;

	f.churn = SYM_FP_CHURN_MAX;
	f.churn_at = f.now - (WINDOW - 1);
	t = sym_fp_step(SYM_FP_IDLE, SYM_FP_EV_START, &f);
	ASSERT_EQ(SYM_FP_BROKEN, t.next);
	ASSERT_EQ(SYM_FP_ACT_WARN_CHURN | SYM_FP_ACT_COUNT_ERROR, t.actions);
	f.churn = SYM_FP_CHURN_MAX - 1;
	t = sym_fp_step(SYM_FP_IDLE, SYM_FP_EV_START, &f);
	ASSERT_EQ(SYM_FP_OFFERED, t.next);
	f.churn = SYM_FP_CHURN_MAX;
	f.churn_at = f.now - WINDOW;
	t = sym_fp_step(SYM_FP_IDLE, SYM_FP_EV_START, &f);
	ASSERT_EQ(SYM_FP_OFFERED, t.next);
	ASSERT_EQ(ROLE | OFFER, t.actions);
}

TEST(peer_gone_counts_as_churn)
{
	struct sym_fp_facts f = facts(true, true, FP_XS_CONNECTED, OURS);
	struct sym_fp_transition t;

	f.churn = 2;
	f.churn_at = f.now - 1;
	t = sym_fp_step(SYM_FP_OFFERED, SYM_FP_EV_PEER_GONE, &f);
	ASSERT_EQ(SYM_FP_IDLE, t.next);
	ASSERT_EQ(BUMP | TD, t.actions);
	f.churn = SYM_FP_CHURN_MAX - 1;
	t = sym_fp_step(SYM_FP_CONNECTED, SYM_FP_EV_PEER_GONE, &f);
	ASSERT_EQ(SYM_FP_BROKEN, t.next);
	ASSERT_EQ(BUMP | BROKEN_ACTS, t.actions);
}

/* Invariants over every state, event and a grid of facts. */
TEST(invariants_over_all_facts)
{
	static const enum sym_fp_xs_state views[] = {
		FP_XS_ABSENT, FP_XS_OFFERED, FP_XS_CONNECTED, FP_XS_CLOSED,
	};
	static const u32 churns[] = { 0, 1, SYM_FP_CHURN_MAX - 1, SYM_FP_CHURN_MAX, 100 };
	static const u64 ages[] = { 0, WINDOW - 1, WINDOW, 10 * WINDOW };
	const unsigned int total = 5 * 7 * 128 * ARRAY_SIZE(views) *
				   ARRAY_SIZE(churns) * ARRAY_SIZE(ages);
	unsigned int i, n = 0;

	/* i enumerates (state, event, 7 fact bits, view, churn, age). */
	for (i = 0; i < total; i++) {
		unsigned int s = i % 5, e = i / 5 % 7, bits = i / 35 % 128;
		unsigned int v = i / 4480 % ARRAY_SIZE(views);
		unsigned int c = i / (4480 * ARRAY_SIZE(views)) % ARRAY_SIZE(churns);
		unsigned int a = i / (4480 * ARRAY_SIZE(views) * ARRAY_SIZE(churns));
		bool held = s == SYM_FP_OFFERED || s == SYM_FP_MAPPED ||
			    s == SYM_FP_CONNECTED;
		struct sym_fp_facts f = facts(bits & 1, bits & 2, views[v],
					      bits & 8 ? OURS : OTHER);
		struct sym_fp_transition t;
		u32 act;

		f.granter = bits & 4;
		f.peer_migrating = bits & 16;
		f.grants_retained = bits & 32;
		f.policy_off = bits & 64;
		f.churn = churns[c];
		f.churn_at = f.now - ages[a];
		t = sym_fp_step(s, e, &f);
		act = t.actions;
		n++;

		ASSERT_TRUE(t.next <= SYM_FP_BROKEN);
		/* Teardown and the closed record go together. */
		ASSERT_EQ(!!(act & SYM_FP_ACT_TEARDOWN), !!(act & SYM_FP_ACT_PUBLISH_CLOSED));
		/* Only a channel with resources is torn down. */
		if (act & SYM_FP_ACT_TEARDOWN)
			ASSERT_TRUE(held);
		/* STOP always ends in IDLE, with resources released. */
		if (e == SYM_FP_EV_STOP) {
			ASSERT_EQ(SYM_FP_IDLE, t.next);
			ASSERT_EQ(held ? TD : 0, act);
		}
		/*
		 * The peer's closed word is acted on in every state that has
		 * rings (where NAPI can see it): it never leaves a channel
		 * as it was, so one close is handled once, not on every event.
		 */
		if (e == SYM_FP_EV_PEER_CLOSED && held)
			ASSERT_TRUE(act & SYM_FP_ACT_TEARDOWN);
		/* The peer gone: nothing is left, nothing is started. */
		if (e == SYM_FP_EV_PEER_GONE) {
			ASSERT_TRUE(t.next == SYM_FP_IDLE || t.next == SYM_FP_BROKEN);
			ASSERT_EQ(held, !!(act & SYM_FP_ACT_TEARDOWN));
			ASSERT_EQ(0, act & ACQUIRE);
		}
		/* Broken stays broken, silently, until STOP or PEER_GONE. */
		if (s == SYM_FP_BROKEN) {
			ASSERT_EQ(0, act);
			ASSERT_EQ(e == SYM_FP_EV_STOP || e == SYM_FP_EV_PEER_GONE ?
				  SYM_FP_IDLE : SYM_FP_BROKEN, t.next);
		}
		/*
		 * Becoming broken releases everything and acquires nothing;
		 * from IDLE only a spent budget does it (a new channel to a
		 * peer that churned, which it tells).
		 */
		if (t.next == SYM_FP_BROKEN && s != SYM_FP_BROKEN) {
			ASSERT_TRUE(s == SYM_FP_IDLE || (act & SYM_FP_ACT_TEARDOWN));
			ASSERT_EQ(0, act & ACQUIRE);
			if (s == SYM_FP_IDLE)
				ASSERT_TRUE(f.churn >= SYM_FP_CHURN_MAX &&
					    f.now - f.churn_at < f.churn_window &&
					    (act & SYM_FP_ACT_WARN_CHURN));
		}
		/* Never an offer, a map or an ack to a migrating peer. */
		if (f.peer_migrating)
			ASSERT_EQ(0, act & (OFFER | SYM_FP_ACT_MAP | SYM_FP_ACT_ACK));
		/*
		 * dom0's policy off: nothing acquired; a channel is ended on
		 * START or VIEW, quietly and without counting it as churn.
		 */
		if (f.policy_off) {
			ASSERT_EQ(0, act & (OFFER | SYM_FP_ACT_MAP | SYM_FP_ACT_ACK));
			if (held && (e == SYM_FP_EV_START || e == SYM_FP_EV_VIEW)) {
				ASSERT_EQ(TD, act);
				ASSERT_EQ(SYM_FP_IDLE, t.next);
			}
		}
		/* No second offer while the peer maps the pages of the first. */
		if (f.grants_retained)
			ASSERT_EQ(0, act & OFFER);
		/* Resources are acquired only by offer or map, as they say. */
		if (act & OFFER) {
			ASSERT_TRUE(f.may_start && f.self_lower && (act & ROLE));
			ASSERT_EQ(SYM_FP_OFFERED, t.next);
			ASSERT_EQ(0, act & (SYM_FP_ACT_MAP | ACKOPEN));
		}
		/* A map, then (next step) its ack: never both at once. */
		if (act & SYM_FP_ACT_MAP) {
			ASSERT_TRUE(f.may_start && !f.self_lower && (act & ROLE));
			ASSERT_TRUE(f.view_state == FP_XS_OFFERED && f.view_epoch != f.epoch);
			ASSERT_EQ(MAP | ROLE, act);
			ASSERT_EQ(SYM_FP_MAPPED, t.next);
		}
		if (act & SYM_FP_ACT_ACK) {
			ASSERT_TRUE(s == SYM_FP_MAPPED && e == SYM_FP_EV_START && f.may_start);
			ASSERT_EQ(ACKOPEN, act);
			ASSERT_EQ(SYM_FP_CONNECTED, t.next);
		}
		if ((act & SYM_FP_ACT_TEARDOWN) || s == SYM_FP_IDLE) {
			if (t.next == SYM_FP_OFFERED)
				ASSERT_TRUE(act & OFFER);
			if (t.next == SYM_FP_MAPPED)
				ASSERT_TRUE(act & SYM_FP_ACT_MAP);
			ASSERT_TRUE(t.next != SYM_FP_CONNECTED);
		}
		if (act & ROLE)
			ASSERT_TRUE(f.may_start);
		/*
		 * Churn moves only when the peer ends a connected channel or
		 * an offer we mapped, closes an offer (which it must have
		 * mapped to do so), or leaves or migrates with any of them up.
		 */
		if (act & (RESET | BUMP)) {
			ASSERT_TRUE(s == SYM_FP_CONNECTED || s == SYM_FP_MAPPED ||
				    (s == SYM_FP_OFFERED && (e == SYM_FP_EV_PEER_CLOSED ||
							     e == SYM_FP_EV_PEER_GONE)));
			ASSERT_TRUE(e == SYM_FP_EV_VIEW || e == SYM_FP_EV_PEER_CLOSED ||
				    e == SYM_FP_EV_PEER_GONE);
			ASSERT_TRUE(act & SYM_FP_ACT_TEARDOWN);
			ASSERT_TRUE(!(act & RESET) != !(act & BUMP));
		}
		/*
		 * A teardown never acquires in the same step: the glue
		 * restarts with fresh facts (the peer may still map the pages).
		 */
		if (act & SYM_FP_ACT_TEARDOWN)
			ASSERT_EQ(0, act & ACQUIRE);
		if (act & RESTART)
			ASSERT_TRUE(((act & SYM_FP_ACT_TEARDOWN) && t.next == SYM_FP_IDLE) ||
				    ((act & SYM_FP_ACT_MAP) && t.next == SYM_FP_MAPPED));
		/* A stall tears down a connected channel, and nothing else. */
		if (e == SYM_FP_EV_STALL)
			ASSERT_EQ(s == SYM_FP_CONNECTED, !!(act & SYM_FP_ACT_WARN_STALL));
		/* An error is counted exactly when it is logged. */
		ASSERT_EQ(!!(act & SYM_FP_ACT_COUNT_ERROR),
			  !!(act & (SYM_FP_ACT_WARN_CHURN | SYM_FP_ACT_WARN_VIOLATION)));
	}
	ASSERT_EQ(5 * 7 * 128 * 4 * 5 * 4, n);
}

/* A miniature glue: performs the actions the way channel.c does. */
struct chan {
	enum sym_fp_chan_state state;
	bool granter;
	bool self_lower;
	bool may_start;
	u32 epoch;
	u32 churn;
	u64 churn_at;
	u64 now;
	u32 next_epoch;		/* what the next offer picks */
	bool fail_offer;
	bool fail_map;		/* the map itself fails */
	bool fail_ack;		/* mapped, but the ack cannot be published */
	bool resources;
	unsigned int errors, warnings, closed, offers, maps, acks, opens;
	int bad;		/* line of the first glue check that failed */
};

/* The harness's asserts work in TEST bodies only: note, check later. */
#define CHECK(ch, cond)						\
	do {							\
		if (!(cond) && !(ch)->bad)			\
			(ch)->bad = __LINE__;			\
	} while (0)

static void chan_init(struct chan *ch, bool granter)
{
	memset(ch, 0, sizeof(*ch));
	ch->self_lower = granter;
	ch->may_start = true;
	ch->now = 100000;
	ch->next_epoch = 41;
}

static void step(struct chan *ch, enum sym_fp_chan_event ev,
		 enum sym_fp_xs_state view, u32 view_epoch)
{
	struct sym_fp_facts f = {
		.may_start = ch->may_start,
		.self_lower = ch->self_lower,
		.granter = ch->granter,
		.view_state = view,
		.view_epoch = view_epoch,
		.epoch = ch->epoch,
		.churn = ch->churn,
		.churn_at = ch->churn_at,
		.now = ch->now,
		.churn_window = WINDOW,
	};
	struct sym_fp_transition t = sym_fp_step(ch->state, ev, &f);

	if (t.actions & RESET)
		ch->churn = 1;
	if (t.actions & BUMP)
		ch->churn++;
	if (t.actions & (RESET | BUMP))
		ch->churn_at = ch->now;
	if (t.actions & (SYM_FP_ACT_WARN_CHURN | SYM_FP_ACT_WARN_VIOLATION))
		ch->warnings++;
	if (t.actions & SYM_FP_ACT_COUNT_ERROR)
		ch->errors++;
	if (t.actions & SYM_FP_ACT_TEARDOWN) {
		CHECK(ch, ch->resources);
		ch->resources = false;
	}
	if (t.actions & SYM_FP_ACT_PUBLISH_CLOSED)
		ch->closed++;
	if (t.actions & SYM_FP_ACT_TEARDOWN)
		ch->state = SYM_FP_IDLE;
	if (t.actions & ROLE)
		ch->granter = ch->self_lower;
	/* A failed offer, map or ack stops there; the state stays. */
	if (t.actions & OFFER) {
		CHECK(ch, !ch->resources);
		ch->epoch = ch->next_epoch++;
		if (ch->fail_offer) {
			ch->errors++;
			return;
		}
		ch->resources = true;
		ch->offers++;
	}
	if (t.actions & SYM_FP_ACT_MAP) {
		CHECK(ch, !ch->resources);
		ch->epoch = sym_fp_epoch_after_map(ch->epoch, view_epoch,
						   !ch->fail_map);
		if (ch->fail_map) {
			ch->errors++;
			return;
		}
		ch->resources = true;
		ch->maps++;
	}
	if (t.actions & SYM_FP_ACT_ACK) {
		CHECK(ch, ch->resources);
		if (ch->fail_ack) {
			ch->errors++;
			return;
		}
		ch->acks++;
	}
	if (t.actions & SYM_FP_ACT_OPEN) {
		CHECK(ch, ch->resources);
		ch->opens++;
	}
	ch->state = t.next;
	/* Resources exist exactly in OFFERED, MAPPED and CONNECTED. */
	CHECK(ch, (ch->state == SYM_FP_OFFERED || ch->state == SYM_FP_MAPPED ||
		   ch->state == SYM_FP_CONNECTED) == ch->resources);
	if (t.actions & RESTART)
		step(ch, SYM_FP_EV_START, view, view_epoch);
}

TEST(granter_lifecycle)
{
	static struct chan ch;

	chan_init(&ch, true);
	step(&ch, SYM_FP_EV_START, FP_XS_ABSENT, 0);
	ASSERT_EQ(SYM_FP_OFFERED, ch.state);
	ASSERT_EQ(41, ch.epoch);
	step(&ch, SYM_FP_EV_VIEW, FP_XS_CONNECTED, 40);	/* an old ack */
	ASSERT_EQ(SYM_FP_OFFERED, ch.state);
	step(&ch, SYM_FP_EV_VIEW, FP_XS_CONNECTED, 41);
	ASSERT_EQ(SYM_FP_CONNECTED, ch.state);
	ASSERT_EQ(1, ch.opens);
	step(&ch, SYM_FP_EV_VIEW, FP_XS_ABSENT, 0);	/* view rewritten */
	step(&ch, SYM_FP_EV_VIEW, FP_XS_CONNECTED, 41);
	ASSERT_EQ(SYM_FP_CONNECTED, ch.state);
	ASSERT_EQ(0, ch.closed);

	/* The mapper closes: we tear down and offer afresh at once. */
	step(&ch, SYM_FP_EV_PEER_CLOSED, FP_XS_ABSENT, 0);
	ASSERT_EQ(SYM_FP_OFFERED, ch.state);
	ASSERT_EQ(42, ch.epoch);
	ASSERT_EQ(1, ch.closed);
	ASSERT_EQ(1, ch.churn);
	step(&ch, SYM_FP_EV_VIEW, FP_XS_CONNECTED, 42);
	ASSERT_EQ(SYM_FP_CONNECTED, ch.state);

	/* Our suspend: stop, then start again once resumed. */
	step(&ch, SYM_FP_EV_STOP, FP_XS_ABSENT, 0);
	ASSERT_EQ(SYM_FP_IDLE, ch.state);
	ch.may_start = false;
	step(&ch, SYM_FP_EV_START, FP_XS_ABSENT, 0);
	ASSERT_EQ(SYM_FP_IDLE, ch.state);
	ch.may_start = true;
	step(&ch, SYM_FP_EV_START, FP_XS_ABSENT, 0);
	ASSERT_EQ(SYM_FP_OFFERED, ch.state);
	ASSERT_EQ(0, ch.errors);
	ASSERT_EQ(3, ch.offers);

	/* A ring error while offered breaks, without a log line. */
	step(&ch, SYM_FP_EV_ERROR, FP_XS_ABSENT, 0);
	ASSERT_EQ(SYM_FP_BROKEN, ch.state);
	ASSERT_EQ(0, ch.errors);
	ASSERT_EQ(0, ch.bad);
}

TEST(mapper_lifecycle_never_maps_an_offer_twice)
{
	static struct chan ch;

	chan_init(&ch, false);
	step(&ch, SYM_FP_EV_START, FP_XS_ABSENT, 0);
	ASSERT_EQ(SYM_FP_IDLE, ch.state);
	ASSERT_FALSE(ch.granter);
	step(&ch, SYM_FP_EV_VIEW, FP_XS_OFFERED, 7);
	ASSERT_EQ(SYM_FP_CONNECTED, ch.state);
	ASSERT_EQ(7, ch.epoch);
	step(&ch, SYM_FP_EV_VIEW, FP_XS_OFFERED, 7);	/* unchanged */
	ASSERT_EQ(1, ch.maps);

	/* The granter withdraws: teardown; its stale offer is not mapped. */
	step(&ch, SYM_FP_EV_VIEW, FP_XS_CLOSED, 0);
	ASSERT_EQ(SYM_FP_IDLE, ch.state);
	step(&ch, SYM_FP_EV_VIEW, FP_XS_OFFERED, 7);
	ASSERT_EQ(SYM_FP_IDLE, ch.state);
	ASSERT_EQ(1, ch.maps);

	/* A new offer replaces the one in use: teardown, map the new one. */
	step(&ch, SYM_FP_EV_VIEW, FP_XS_OFFERED, 8);
	ASSERT_EQ(SYM_FP_CONNECTED, ch.state);
	step(&ch, SYM_FP_EV_VIEW, FP_XS_OFFERED, 9);
	ASSERT_EQ(SYM_FP_CONNECTED, ch.state);
	ASSERT_EQ(9, ch.epoch);
	ASSERT_EQ(3, ch.maps);
	ASSERT_EQ(2, ch.closed);
	ASSERT_EQ(2, ch.churn);		/* two ends in a row, no time between */
	ASSERT_EQ(0, ch.errors);

	/* A ring error while connected is a logged, counted violation. */
	step(&ch, SYM_FP_EV_ERROR, FP_XS_ABSENT, 0);
	ASSERT_EQ(SYM_FP_BROKEN, ch.state);
	ASSERT_EQ(1, ch.errors);
	ASSERT_EQ(1, ch.warnings);
	ASSERT_EQ(3, ch.closed);
	ASSERT_EQ(0, ch.bad);
}

TEST(failed_offer_or_map_leaves_idle_and_retries)
{
	static struct chan g, m;

	chan_init(&g, true);
	g.fail_offer = true;
	step(&g, SYM_FP_EV_START, FP_XS_ABSENT, 0);
	ASSERT_EQ(SYM_FP_IDLE, g.state);
	ASSERT_EQ(1, g.errors);
	g.fail_offer = false;
	step(&g, SYM_FP_EV_VIEW, FP_XS_CLOSED, 0);
	ASSERT_EQ(SYM_FP_OFFERED, g.state);
	step(&g, SYM_FP_EV_VIEW, FP_XS_CONNECTED, g.epoch);
	ASSERT_EQ(SYM_FP_CONNECTED, g.state);
	/* Failing the re-offer after the peer's close: idle, not connected. */
	g.fail_offer = true;
	step(&g, SYM_FP_EV_PEER_CLOSED, FP_XS_ABSENT, 0);
	ASSERT_EQ(SYM_FP_IDLE, g.state);
	ASSERT_EQ(2, g.errors);

	/* A failed map used nothing: the same offer is tried again. */
	chan_init(&m, false);
	m.fail_map = true;
	step(&m, SYM_FP_EV_VIEW, FP_XS_OFFERED, 7);
	ASSERT_EQ(SYM_FP_IDLE, m.state);
	ASSERT_EQ(1, m.errors);
	ASSERT_EQ(0, m.epoch);
	step(&m, SYM_FP_EV_VIEW, FP_XS_OFFERED, 7);	/* fails again */
	ASSERT_EQ(SYM_FP_IDLE, m.state);
	ASSERT_EQ(2, m.errors);
	m.fail_map = false;
	step(&m, SYM_FP_EV_VIEW, FP_XS_OFFERED, 7);	/* the next view change */
	ASSERT_EQ(SYM_FP_CONNECTED, m.state);
	ASSERT_EQ(7, m.epoch);
	ASSERT_EQ(1, m.maps);
	ASSERT_EQ(0, m.bad);
}

/* A mapper that mapped offer 7 and whose ack XenStore refuses. */
static void chan_mapped_unacked(struct chan *m)
{
	chan_init(m, false);
	m->fail_ack = true;
	step(m, SYM_FP_EV_VIEW, FP_XS_OFFERED, 7);
}

TEST(a_refused_ack_keeps_the_mapping_and_is_retried)
{
	static struct chan m;

	/* Mapped, then XenStore refused the ack: mapped, nothing closed. */
	chan_mapped_unacked(&m);
	ASSERT_EQ(SYM_FP_MAPPED, m.state);
	ASSERT_EQ(1, m.errors);
	ASSERT_EQ(7, m.epoch);
	ASSERT_EQ(1, m.maps);
	step(&m, SYM_FP_EV_VIEW, FP_XS_OFFERED, 7);	/* unchanged: waits */
	ASSERT_EQ(SYM_FP_MAPPED, m.state);
	ASSERT_EQ(1, m.errors);
	step(&m, SYM_FP_EV_START, FP_XS_ABSENT, 0);	/* the retry, refused */
	ASSERT_EQ(SYM_FP_MAPPED, m.state);
	ASSERT_EQ(2, m.errors);
	m.fail_ack = false;
	step(&m, SYM_FP_EV_START, FP_XS_ABSENT, 0);	/* the retry */
	ASSERT_EQ(SYM_FP_CONNECTED, m.state);
	ASSERT_EQ(1, m.maps);
	ASSERT_EQ(1, m.acks);
	ASSERT_EQ(1, m.opens);
	ASSERT_EQ(0, m.closed);		/* the granter saw no close: no churn */

	/* An offer mapped once is never mapped again. */
	step(&m, SYM_FP_EV_STOP, FP_XS_ABSENT, 0);
	ASSERT_EQ(SYM_FP_IDLE, m.state);
	step(&m, SYM_FP_EV_VIEW, FP_XS_OFFERED, 7);
	ASSERT_EQ(SYM_FP_IDLE, m.state);
	ASSERT_EQ(1, m.maps);
	step(&m, SYM_FP_EV_VIEW, FP_XS_OFFERED, 8);	/* a new offer is */
	ASSERT_EQ(SYM_FP_CONNECTED, m.state);
	ASSERT_EQ(0, m.bad);
}

TEST(an_offer_replaced_while_mapped_is_let_go)
{
	static struct chan m;

	chan_mapped_unacked(&m);
	ASSERT_EQ(SYM_FP_MAPPED, m.state);
	/* The granter offers anew: the old mapping goes, the new is mapped. */
	step(&m, SYM_FP_EV_VIEW, FP_XS_OFFERED, 8);
	ASSERT_EQ(SYM_FP_MAPPED, m.state);
	ASSERT_EQ(8, m.epoch);
	ASSERT_EQ(2, m.maps);
	ASSERT_EQ(1, m.closed);
	ASSERT_EQ(1, m.churn);
	/* It withdraws: teardown, and the stale offer is not mapped again. */
	step(&m, SYM_FP_EV_VIEW, FP_XS_CLOSED, 0);
	ASSERT_EQ(SYM_FP_IDLE, m.state);
	ASSERT_EQ(2, m.closed);
	m.fail_ack = false;
	step(&m, SYM_FP_EV_START, FP_XS_OFFERED, 8);
	ASSERT_EQ(SYM_FP_IDLE, m.state);
	ASSERT_EQ(0, m.acks);
	ASSERT_EQ(0, m.bad);
}

TEST(a_closed_offer_is_offered_anew_once_and_counts_as_churn)
{
	static struct chan g;
	unsigned int i;

	chan_init(&g, true);
	step(&g, SYM_FP_EV_START, FP_XS_ABSENT, 0);
	ASSERT_EQ(SYM_FP_OFFERED, g.state);
	ASSERT_EQ(41, g.epoch);
	/* The mapper mapped our offer and closed it (buggy or hostile). */
	step(&g, SYM_FP_EV_PEER_CLOSED, FP_XS_ABSENT, 0);
	ASSERT_EQ(SYM_FP_OFFERED, g.state);
	ASSERT_EQ(42, g.epoch);
	ASSERT_EQ(1, g.closed);
	ASSERT_EQ(1, g.churn);
	ASSERT_EQ(2, g.offers);
	/* A mapper that closes every offer at once is broken, bounded. */
	for (i = 0; i < 2 * SYM_FP_CHURN_MAX; i++)
		step(&g, SYM_FP_EV_PEER_CLOSED, FP_XS_ABSENT, 0);
	ASSERT_EQ(SYM_FP_BROKEN, g.state);
	ASSERT_EQ(SYM_FP_CHURN_MAX, g.offers);
	ASSERT_EQ(SYM_FP_CHURN_MAX, g.closed);
	ASSERT_EQ(1, g.errors);
	ASSERT_EQ(0, g.bad);
}

/* The granter's peer maps and closes n times, gap apart. */
static void churn_loop(struct chan *ch, unsigned int n, u64 gap)
{
	unsigned int i;

	for (i = 0; i < n; i++) {
		step(ch, SYM_FP_EV_VIEW, FP_XS_CONNECTED, ch->epoch);
		ch->now += gap;
		step(ch, SYM_FP_EV_PEER_CLOSED, FP_XS_ABSENT, 0);
	}
}

TEST(the_eighth_quick_end_breaks_until_stop)
{
	static struct chan ch;
	unsigned int e;

	chan_init(&ch, true);
	step(&ch, SYM_FP_EV_START, FP_XS_ABSENT, 0);
	churn_loop(&ch, SYM_FP_CHURN_MAX - 1, WINDOW - 1);
	ASSERT_EQ(SYM_FP_OFFERED, ch.state);
	ASSERT_EQ(SYM_FP_CHURN_MAX - 1, ch.churn);
	ASSERT_EQ(0, ch.errors);
	churn_loop(&ch, 1, WINDOW - 1);
	ASSERT_EQ(SYM_FP_BROKEN, ch.state);
	ASSERT_EQ(1, ch.errors);
	ASSERT_EQ(1, ch.warnings);
	ASSERT_EQ(SYM_FP_CHURN_MAX, ch.offers);
	ASSERT_EQ(SYM_FP_CHURN_MAX, ch.closed);

	/* Nothing but STOP moves it, whatever the view says. */
	for (e = 0; e < 5; e++) {
		if (e == SYM_FP_EV_STOP)
			continue;
		step(&ch, e, FP_XS_CONNECTED, ch.epoch);
		step(&ch, e, FP_XS_OFFERED, 77);
		step(&ch, e, FP_XS_ABSENT, 0);
		ASSERT_EQ(SYM_FP_BROKEN, ch.state);
	}
	ASSERT_EQ(SYM_FP_CHURN_MAX, ch.offers);
	step(&ch, SYM_FP_EV_STOP, FP_XS_ABSENT, 0);
	ASSERT_EQ(SYM_FP_IDLE, ch.state);
	ASSERT_EQ(SYM_FP_CHURN_MAX, ch.closed);	/* nothing left to close */

	/*
	 * STOP keeps the count: within the window a START finds the budget
	 * spent and breaks again at once, offering nothing...
	 */
	ch.now += WINDOW - 1;
	step(&ch, SYM_FP_EV_START, FP_XS_ABSENT, 0);
	ASSERT_EQ(SYM_FP_BROKEN, ch.state);
	ASSERT_EQ(SYM_FP_CHURN_MAX, ch.offers);
	ASSERT_EQ(2, ch.errors);
	/* ...but not once the window has passed. */
	step(&ch, SYM_FP_EV_STOP, FP_XS_ABSENT, 0);
	ch.now += 1;
	step(&ch, SYM_FP_EV_START, FP_XS_ABSENT, 0);
	ASSERT_EQ(SYM_FP_OFFERED, ch.state);
	churn_loop(&ch, 1, 1);
	ASSERT_EQ(SYM_FP_OFFERED, ch.state);
	ASSERT_EQ(1, ch.churn);
	ASSERT_EQ(0, ch.bad);
}

TEST(slow_churn_never_breaks)
{
	static struct chan ch;

	chan_init(&ch, true);
	step(&ch, SYM_FP_EV_START, FP_XS_ABSENT, 0);
	churn_loop(&ch, 3 * SYM_FP_CHURN_MAX, WINDOW);
	ASSERT_EQ(SYM_FP_OFFERED, ch.state);
	ASSERT_EQ(1, ch.churn);
	ASSERT_EQ(0, ch.errors);

	/* A slow one in the middle of a quick run starts the count again. */
	churn_loop(&ch, SYM_FP_CHURN_MAX - 2, 0);
	churn_loop(&ch, 1, WINDOW + 1);
	churn_loop(&ch, SYM_FP_CHURN_MAX - 2, 0);
	ASSERT_EQ(SYM_FP_OFFERED, ch.state);
	ASSERT_EQ(SYM_FP_CHURN_MAX - 1, ch.churn);
	ASSERT_EQ(0, ch.bad);
}
