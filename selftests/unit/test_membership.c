// SPDX-License-Identifier: GPL-2.0
/*
 * test_membership.c - unit tests for dom0's membership state machine.
 *
 * Checks every (state, input, alive) combination against the protocol
 * table, then drives whole lifecycles through a miniature dom0 (member
 * states indexed by domid plus an event log, formatted as text) the way the
 * glue would: join, save/restore with a new domid, destroy, shutdown,
 * cancelled suspend, localhost live migration, spurious firings and the
 * bounded departed set. Single-threaded; each test owns its state.
 */
#include "harness.h"
#include "membership.h"

#define UUID_A "11111111-2222-4333-8444-555555555555"
#define UUID_B "aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee"

struct dom0 {
	enum sym_member_state member[64];
	struct sym_departed_set departed;
	struct sym_event slots[32];
	struct sym_event_log log;
	u64 cursor;
	u64 now;
};

static void dom0_init(struct dom0 *d)
{
	memset(d, 0, sizeof(*d));
	sym_departed_init(&d->departed);
	sym_event_log_init(&d->log, d->slots, ARRAY_SIZE(d->slots));
}

/* What the glue does when domid's watch fires. */
static void fire(struct dom0 *d, u16 domid, enum sym_announce ann, bool alive,
		 const char *uuid, const char *name)
{
	struct sym_transition t;

	t = sym_member_step(d->member[domid], ann, SYM_ORIGIN_UNKNOWN, alive, domid, uuid, &d->departed);
	d->member[domid] = t.next;
	if (t.emit) {
		struct sym_event ev;

		memset(&ev, 0, sizeof(ev));
		ev.ts_ns = ++d->now;
		ev.kind = t.kind;
		ev.domid = domid;
		ev.prev_domid = t.prev_domid;
		snprintf(ev.uuid, sizeof(ev.uuid), "%s", uuid ? uuid : "");
		snprintf(ev.name, sizeof(ev.name), "%s", name);
		sym_event_log_append(&d->log, &ev);
	}
}

/* Next logged line with the "seq=.. ts=.. " prefix cut off, or "" if none. */
static const char *next_line(struct dom0 *d)
{
	static char buf[SYM_EVENT_LINE_MAX];
	struct sym_event ev;
	u64 lost;
	char *tail;

	if (!sym_event_log_read(&d->log, &d->cursor, &ev, &lost))
		return "";
	if (sym_event_format(&ev, buf, sizeof(buf)) < 0)
		return "format failed";
	buf[strlen(buf) - 1] = '\0';
	tail = strstr(buf, " kind=");
	return tail ? tail + 1 : "bad line";
}

struct row {
	enum sym_member_state cur;
	enum sym_announce ann;
	bool alive;
	enum sym_member_state next;
	int kind;	/* -1: no event */
};

TEST(every_combination_without_history)
{
	static const struct row rows[] = {
		{ SYM_MEMBER_NONE, SYM_ANNOUNCE_JOINED, true, SYM_MEMBER_JOINED, SYM_EV_JOIN },
		{ SYM_MEMBER_NONE, SYM_ANNOUNCE_MIGRATING, true, SYM_MEMBER_NONE, -1 },
		{ SYM_MEMBER_NONE, SYM_ANNOUNCE_LEAVING, true, SYM_MEMBER_NONE, -1 },
		{ SYM_MEMBER_NONE, SYM_ANNOUNCE_ABSENT, true, SYM_MEMBER_NONE, -1 },
		{ SYM_MEMBER_NONE, SYM_ANNOUNCE_JOINED, false, SYM_MEMBER_NONE, -1 },
		{ SYM_MEMBER_NONE, SYM_ANNOUNCE_MIGRATING, false, SYM_MEMBER_NONE, -1 },
		{ SYM_MEMBER_NONE, SYM_ANNOUNCE_LEAVING, false, SYM_MEMBER_NONE, -1 },
		{ SYM_MEMBER_NONE, SYM_ANNOUNCE_ABSENT, false, SYM_MEMBER_NONE, -1 },

		{ SYM_MEMBER_JOINED, SYM_ANNOUNCE_JOINED, true, SYM_MEMBER_JOINED, -1 },
		{ SYM_MEMBER_JOINED, SYM_ANNOUNCE_MIGRATING, true, SYM_MEMBER_MIGRATING, SYM_EV_MIGRATE_OUT },
		{ SYM_MEMBER_JOINED, SYM_ANNOUNCE_LEAVING, true, SYM_MEMBER_NONE, SYM_EV_LEAVE },
		{ SYM_MEMBER_JOINED, SYM_ANNOUNCE_ABSENT, true, SYM_MEMBER_NONE, SYM_EV_LEAVE },
		{ SYM_MEMBER_JOINED, SYM_ANNOUNCE_JOINED, false, SYM_MEMBER_NONE, SYM_EV_LOST },
		{ SYM_MEMBER_JOINED, SYM_ANNOUNCE_MIGRATING, false, SYM_MEMBER_NONE, SYM_EV_LOST },
		{ SYM_MEMBER_JOINED, SYM_ANNOUNCE_LEAVING, false, SYM_MEMBER_NONE, SYM_EV_LOST },
		{ SYM_MEMBER_JOINED, SYM_ANNOUNCE_ABSENT, false, SYM_MEMBER_NONE, SYM_EV_LOST },

		{ SYM_MEMBER_MIGRATING, SYM_ANNOUNCE_JOINED, true, SYM_MEMBER_JOINED, SYM_EV_MIGRATE_IN },
		{ SYM_MEMBER_MIGRATING, SYM_ANNOUNCE_MIGRATING, true, SYM_MEMBER_MIGRATING, -1 },
		{ SYM_MEMBER_MIGRATING, SYM_ANNOUNCE_LEAVING, true, SYM_MEMBER_NONE, SYM_EV_LEAVE },
		{ SYM_MEMBER_MIGRATING, SYM_ANNOUNCE_ABSENT, true, SYM_MEMBER_NONE, SYM_EV_LEAVE },
		{ SYM_MEMBER_MIGRATING, SYM_ANNOUNCE_JOINED, false, SYM_MEMBER_NONE, -1 },
		{ SYM_MEMBER_MIGRATING, SYM_ANNOUNCE_MIGRATING, false, SYM_MEMBER_NONE, -1 },
		{ SYM_MEMBER_MIGRATING, SYM_ANNOUNCE_LEAVING, false, SYM_MEMBER_NONE, -1 },
		{ SYM_MEMBER_MIGRATING, SYM_ANNOUNCE_ABSENT, false, SYM_MEMBER_NONE, -1 },
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(rows); i++) {
		struct sym_departed_set departed;
		struct sym_transition t;

		sym_departed_init(&departed);
		t = sym_member_step(rows[i].cur, rows[i].ann, SYM_ORIGIN_UNKNOWN, rows[i].alive, 7, UUID_A, &departed);
		if (t.next != rows[i].next || t.emit != (rows[i].kind >= 0) ||
		    (t.emit && (int)t.kind != rows[i].kind))
			SYM_FAIL("# %s:%d row %u (%s + %s, alive=%d): got next=%s emit=%d kind=%s",
				 __FILE__, __LINE__, i, sym_member_state_name(rows[i].cur),
				 sym_announce_name(rows[i].ann), rows[i].alive,
				 sym_member_state_name(t.next), t.emit,
				 sym_event_kind_name(t.kind));
		if (t.emit && t.kind == SYM_EV_MIGRATE_IN)
			ASSERT_EQ(7, t.prev_domid);	/* cancelled suspend: same domid */
		else
			ASSERT_EQ(-1, t.prev_domid);
	}
}

TEST(unknown_state_resets_to_none)
{
	struct sym_departed_set departed;
	struct sym_transition t;

	sym_departed_init(&departed);
	t = sym_member_step((enum sym_member_state)9, SYM_ANNOUNCE_JOINED, SYM_ORIGIN_UNKNOWN, true, 1, UUID_A,
			    &departed);
	ASSERT_EQ(SYM_MEMBER_NONE, t.next);
	ASSERT_FALSE(t.emit);
	ASSERT_STREQ("invalid", sym_member_state_name((enum sym_member_state)9));
	ASSERT_STREQ("migrating", sym_member_state_name(SYM_MEMBER_MIGRATING));
}

TEST(join_then_shutdown_is_leave)
{
	static struct dom0 d;

	dom0_init(&d);
	fire(&d, 3, SYM_ANNOUNCE_JOINED, true, UUID_A, "web");
	fire(&d, 3, SYM_ANNOUNCE_JOINED, true, UUID_A, "web");	/* spurious */
	fire(&d, 3, SYM_ANNOUNCE_LEAVING, true, UUID_A, "web");
	fire(&d, 3, SYM_ANNOUNCE_ABSENT, false, UUID_A, "web");	/* then destroyed */
	ASSERT_STREQ("kind=join domid=3 prev=- uuid=" UUID_A " name=web", next_line(&d));
	ASSERT_STREQ("kind=leave domid=3 prev=- uuid=" UUID_A " name=web", next_line(&d));
	ASSERT_STREQ("", next_line(&d));
	ASSERT_EQ(SYM_MEMBER_NONE, d.member[3]);
}

TEST(destroy_while_joined_is_lost)
{
	static struct dom0 d;

	dom0_init(&d);
	fire(&d, 4, SYM_ANNOUNCE_JOINED, true, UUID_A, "db");
	fire(&d, 4, SYM_ANNOUNCE_ABSENT, false, UUID_A, "db");
	fire(&d, 4, SYM_ANNOUNCE_ABSENT, false, UUID_A, "db");	/* @releaseDomain */
	ASSERT_STREQ("kind=join domid=4 prev=- uuid=" UUID_A " name=db", next_line(&d));
	ASSERT_STREQ("kind=lost domid=4 prev=- uuid=" UUID_A " name=db", next_line(&d));
	ASSERT_STREQ("", next_line(&d));
}

TEST(save_restore_is_migrate_in_with_both_domids)
{
	static struct dom0 d;

	dom0_init(&d);
	fire(&d, 5, SYM_ANNOUNCE_JOINED, true, UUID_A, "app");
	fire(&d, 5, SYM_ANNOUNCE_MIGRATING, true, UUID_A, "app");
	fire(&d, 5, SYM_ANNOUNCE_MIGRATING, true, UUID_A, "app");	/* spurious */
	fire(&d, 5, SYM_ANNOUNCE_ABSENT, false, UUID_A, "app");	/* saved, destroyed */
	ASSERT_TRUE(sym_departed_find(&d.departed, UUID_A) != NULL);
	ASSERT_EQ(5, sym_departed_find(&d.departed, UUID_A)->domid);
	fire(&d, 9, SYM_ANNOUNCE_ABSENT, true, UUID_A, "app");	/* restored, not yet resumed */
	fire(&d, 9, SYM_ANNOUNCE_JOINED, true, UUID_A, "app");

	ASSERT_STREQ("kind=join domid=5 prev=- uuid=" UUID_A " name=app", next_line(&d));
	ASSERT_STREQ("kind=migrate-out domid=5 prev=- uuid=" UUID_A " name=app", next_line(&d));
	ASSERT_STREQ("kind=migrate-in domid=9 prev=5 uuid=" UUID_A " name=app", next_line(&d));
	ASSERT_STREQ("", next_line(&d));
	ASSERT_EQ(SYM_MEMBER_NONE, d.member[5]);
	ASSERT_EQ(SYM_MEMBER_JOINED, d.member[9]);
	ASSERT_TRUE(sym_departed_find(&d.departed, UUID_A) == NULL);

	/* The entry is consumed: a later reboot of the VM is a plain join. */
	fire(&d, 9, SYM_ANNOUNCE_LEAVING, true, UUID_A, "app");
	fire(&d, 12, SYM_ANNOUNCE_JOINED, true, UUID_A, "app");
	ASSERT_STREQ("kind=leave domid=9 prev=- uuid=" UUID_A " name=app", next_line(&d));
	ASSERT_STREQ("kind=join domid=12 prev=- uuid=" UUID_A " name=app", next_line(&d));
}

TEST(cancelled_suspend_is_migrate_in_same_domid)
{
	static struct dom0 d;

	dom0_init(&d);
	fire(&d, 6, SYM_ANNOUNCE_JOINED, true, UUID_B, "cache");
	fire(&d, 6, SYM_ANNOUNCE_MIGRATING, true, UUID_B, "cache");
	fire(&d, 6, SYM_ANNOUNCE_JOINED, true, UUID_B, "cache");
	ASSERT_STREQ("kind=join domid=6 prev=- uuid=" UUID_B " name=cache", next_line(&d));
	ASSERT_STREQ("kind=migrate-out domid=6 prev=- uuid=" UUID_B " name=cache", next_line(&d));
	ASSERT_STREQ("kind=migrate-in domid=6 prev=6 uuid=" UUID_B " name=cache", next_line(&d));
	ASSERT_TRUE(sym_departed_find(&d.departed, UUID_B) == NULL);

	/* Nothing stale: destroy and a fresh boot elsewhere are lost + join. */
	fire(&d, 6, SYM_ANNOUNCE_ABSENT, false, UUID_B, "cache");
	fire(&d, 8, SYM_ANNOUNCE_JOINED, true, UUID_B, "cache");
	ASSERT_STREQ("kind=lost domid=6 prev=- uuid=" UUID_B " name=cache", next_line(&d));
	ASSERT_STREQ("kind=join domid=8 prev=- uuid=" UUID_B " name=cache", next_line(&d));
}

TEST(leave_while_migrating)
{
	static struct dom0 d;

	dom0_init(&d);
	fire(&d, 2, SYM_ANNOUNCE_JOINED, true, UUID_A, "x");
	fire(&d, 2, SYM_ANNOUNCE_MIGRATING, true, UUID_A, "x");
	fire(&d, 2, SYM_ANNOUNCE_LEAVING, true, UUID_A, "x");
	fire(&d, 2, SYM_ANNOUNCE_ABSENT, false, UUID_A, "x");
	fire(&d, 3, SYM_ANNOUNCE_JOINED, true, UUID_A, "x");
	ASSERT_STREQ("kind=join domid=2 prev=- uuid=" UUID_A " name=x", next_line(&d));
	ASSERT_STREQ("kind=migrate-out domid=2 prev=- uuid=" UUID_A " name=x", next_line(&d));
	ASSERT_STREQ("kind=leave domid=2 prev=- uuid=" UUID_A " name=x", next_line(&d));
	ASSERT_STREQ("kind=join domid=3 prev=- uuid=" UUID_A " name=x", next_line(&d));
	ASSERT_STREQ("", next_line(&d));
}

TEST(localhost_live_migration_new_domain_joins_first)
{
	static struct dom0 d;

	dom0_init(&d);
	fire(&d, 10, SYM_ANNOUNCE_JOINED, true, UUID_A, "vm");
	fire(&d, 10, SYM_ANNOUNCE_MIGRATING, true, UUID_A, "vm");
	fire(&d, 11, SYM_ANNOUNCE_JOINED, true, UUID_A, "vm");	/* old still exists */
	fire(&d, 10, SYM_ANNOUNCE_MIGRATING, false, UUID_A, "vm");	/* old destroyed */
	ASSERT_STREQ("kind=join domid=10 prev=- uuid=" UUID_A " name=vm", next_line(&d));
	ASSERT_STREQ("kind=migrate-out domid=10 prev=- uuid=" UUID_A " name=vm", next_line(&d));
	ASSERT_STREQ("kind=migrate-in domid=11 prev=10 uuid=" UUID_A " name=vm", next_line(&d));
	ASSERT_STREQ("", next_line(&d));
	ASSERT_TRUE(sym_departed_find(&d.departed, UUID_A) == NULL);

	/* The old domain's disappearance left nothing behind. */
	fire(&d, 11, SYM_ANNOUNCE_LEAVING, true, UUID_A, "vm");
	fire(&d, 12, SYM_ANNOUNCE_JOINED, true, UUID_A, "vm");
	ASSERT_STREQ("kind=leave domid=11 prev=- uuid=" UUID_A " name=vm", next_line(&d));
	ASSERT_STREQ("kind=join domid=12 prev=- uuid=" UUID_A " name=vm", next_line(&d));
}

TEST(two_vms_migrating_at_once)
{
	static struct dom0 d;

	dom0_init(&d);
	fire(&d, 1, SYM_ANNOUNCE_JOINED, true, UUID_A, "a");
	fire(&d, 2, SYM_ANNOUNCE_JOINED, true, UUID_B, "b");
	fire(&d, 1, SYM_ANNOUNCE_MIGRATING, true, UUID_A, "a");
	fire(&d, 2, SYM_ANNOUNCE_MIGRATING, true, UUID_B, "b");
	fire(&d, 1, SYM_ANNOUNCE_ABSENT, false, UUID_A, "a");
	fire(&d, 2, SYM_ANNOUNCE_ABSENT, false, UUID_B, "b");
	fire(&d, 20, SYM_ANNOUNCE_JOINED, true, UUID_B, "b");
	fire(&d, 21, SYM_ANNOUNCE_JOINED, true, UUID_A, "a");
	ASSERT_EQ(1, d.member[1] == SYM_MEMBER_NONE && d.member[2] == SYM_MEMBER_NONE);
	d.cursor = 5;
	ASSERT_STREQ("kind=migrate-in domid=20 prev=2 uuid=" UUID_B " name=b", next_line(&d));
	ASSERT_STREQ("kind=migrate-in domid=21 prev=1 uuid=" UUID_A " name=a", next_line(&d));
	ASSERT_STREQ("", next_line(&d));
}

TEST(unknown_uuid_never_matches)
{
	static struct dom0 d;

	dom0_init(&d);
	fire(&d, 1, SYM_ANNOUNCE_JOINED, true, NULL, "a");
	fire(&d, 1, SYM_ANNOUNCE_MIGRATING, true, NULL, "a");
	fire(&d, 1, SYM_ANNOUNCE_ABSENT, false, NULL, "a");
	fire(&d, 2, SYM_ANNOUNCE_JOINED, true, "", "a");
	fire(&d, 3, SYM_ANNOUNCE_JOINED, true, NULL, "a");
	d.cursor = 3;
	ASSERT_STREQ("kind=join domid=2 prev=- uuid= name=a", next_line(&d));
	ASSERT_STREQ("kind=join domid=3 prev=- uuid= name=a", next_line(&d));
	ASSERT_TRUE(sym_departed_find(&d.departed, "") == NULL);
	ASSERT_TRUE(sym_departed_find(&d.departed, NULL) == NULL);
}

TEST(null_departed_set_is_tolerated)
{
	struct sym_transition t;

	t = sym_member_step(SYM_MEMBER_JOINED, SYM_ANNOUNCE_MIGRATING, SYM_ORIGIN_UNKNOWN, true, 1, UUID_A, NULL);
	ASSERT_EQ(SYM_MEMBER_MIGRATING, t.next);
	t = sym_member_step(SYM_MEMBER_MIGRATING, SYM_ANNOUNCE_ABSENT, SYM_ORIGIN_UNKNOWN, false, 1, UUID_A, NULL);
	ASSERT_EQ(SYM_MEMBER_NONE, t.next);
	t = sym_member_step(SYM_MEMBER_NONE, SYM_ANNOUNCE_JOINED, SYM_ORIGIN_UNKNOWN, true, 2, UUID_A, NULL);
	ASSERT_EQ(SYM_EV_JOIN, t.kind);
}

static void uuid_for(char out[37], unsigned int n)
{
	snprintf(out, 37, "%08x-0000-4000-8000-000000000000", n);
}

TEST(departed_set_forgets_oldest_first)
{
	const unsigned int total = SYM_DEPARTED_MAX + 10;
	struct sym_departed_set departed;
	struct sym_transition t;
	char uuid[37];
	unsigned int i;

	sym_departed_init(&departed);
	for (i = 0; i < total; i++) {
		uuid_for(uuid, i);
		t = sym_member_step(SYM_MEMBER_JOINED, SYM_ANNOUNCE_MIGRATING, SYM_ORIGIN_UNKNOWN, true,
				    100 + i, uuid, &departed);
		ASSERT_EQ(SYM_EV_MIGRATE_OUT, t.kind);
		t = sym_member_step(SYM_MEMBER_MIGRATING, SYM_ANNOUNCE_ABSENT, SYM_ORIGIN_UNKNOWN, false,
				    100 + i, uuid, &departed);
		ASSERT_FALSE(t.emit);
	}
	for (i = 0; i < total; i++) {
		uuid_for(uuid, i);
		t = sym_member_step(SYM_MEMBER_NONE, SYM_ANNOUNCE_JOINED, SYM_ORIGIN_UNKNOWN, true,
				    1000 + i, uuid, &departed);
		ASSERT_TRUE(t.emit);
		if (i < total - SYM_DEPARTED_MAX) {
			ASSERT_EQ(SYM_EV_JOIN, t.kind);
			ASSERT_EQ(-1, t.prev_domid);
		} else {
			ASSERT_EQ(SYM_EV_MIGRATE_IN, t.kind);
			ASSERT_EQ(100 + i, t.prev_domid);
		}
	}
	for (i = 0; i < SYM_DEPARTED_MAX; i++)
		ASSERT_FALSE(departed.slot[i].used);
}

TEST(repeated_migrations_of_one_vm_use_one_slot)
{
	struct sym_departed_set departed;
	enum sym_member_state st = SYM_MEMBER_NONE;
	struct sym_transition t;
	unsigned int i, used = 0;
	u16 domid = 1;

	sym_departed_init(&departed);
	t = sym_member_step(st, SYM_ANNOUNCE_JOINED, SYM_ORIGIN_UNKNOWN, true, domid, UUID_A, &departed);
	st = t.next;
	for (i = 0; i < 500; i++) {
		t = sym_member_step(st, SYM_ANNOUNCE_MIGRATING, SYM_ORIGIN_UNKNOWN, true, domid, UUID_A, &departed);
		ASSERT_EQ(SYM_EV_MIGRATE_OUT, t.kind);
		t = sym_member_step(t.next, SYM_ANNOUNCE_ABSENT, SYM_ORIGIN_UNKNOWN, false, domid, UUID_A, &departed);
		ASSERT_FALSE(t.emit);
		t = sym_member_step(SYM_MEMBER_NONE, SYM_ANNOUNCE_JOINED, SYM_ORIGIN_UNKNOWN, true, domid + 1,
				    UUID_A, &departed);
		ASSERT_EQ(SYM_EV_MIGRATE_IN, t.kind);
		ASSERT_EQ(domid, t.prev_domid);
		st = t.next;
		domid++;
	}
	for (i = 0; i < SYM_DEPARTED_MAX; i++)
		used += departed.slot[i].used;
	ASSERT_EQ(0, used);
}

static struct sym_identity ident(const char *uuid, const char *name,
				 const char *mac)
{
	struct sym_identity id;

	memset(&id, 0, sizeof(id));
	snprintf(id.uuid, sizeof(id.uuid), "%s", uuid);
	snprintf(id.name, sizeof(id.name), "%s", name);
	id.has_mac = mac != NULL;
	if (mac)
		memcpy(id.mac, mac, SYM_MAC_LEN);
	return id;
}

#define MAC_1 "\x00\x16\x3e\x00\x00\x01"
#define MAC_2 "\x00\x16\x3e\x00\x00\x02"

TEST(identity_same_compares_uuid_name_and_known_macs)
{
	struct sym_identity a = ident(UUID_A, "web", MAC_1);
	struct sym_identity b;

	ASSERT_TRUE(sym_identity_same(&a, &a));
	b = ident(UUID_B, "web", MAC_1);
	ASSERT_FALSE(sym_identity_same(&a, &b));
	b = ident(UUID_A, "web2", MAC_1);
	ASSERT_FALSE(sym_identity_same(&a, &b));
	b = ident(UUID_A, "web", MAC_2);
	ASSERT_FALSE(sym_identity_same(&a, &b));
	/* A vif backend that is gone (or not there yet) says nothing. */
	b = ident(UUID_A, "web", NULL);
	ASSERT_TRUE(sym_identity_same(&a, &b));
	ASSERT_TRUE(sym_identity_same(&b, &a));
	/* An unknown uuid or name is a value like any other. */
	b = ident("", "web", MAC_1);
	ASSERT_FALSE(sym_identity_same(&a, &b));
	ASSERT_FALSE(sym_identity_same(&b, &a));
	b = ident(UUID_A, "", MAC_1);
	ASSERT_FALSE(sym_identity_same(&a, &b));
	a = ident("", "", NULL);
	b = ident("", "", NULL);
	ASSERT_TRUE(sym_identity_same(&a, &b));
	/* Bytes after the terminator do not count. */
	a = ident(UUID_A, "web", MAC_1);
	b = a;
	b.name[4] = 'x';
	ASSERT_TRUE(sym_identity_same(&a, &b));
}

/*
 * What the glue does on each reconcile of a member: the identity it read
 * now differs from the one it holds, so the old domain is gone (the step
 * a vanished domain takes) and the new one starts from none.
 */
static void recheck(struct dom0 *d, u16 domid, enum sym_announce ann,
		    const struct sym_identity *was, const struct sym_identity *now)
{
	if (d->member[domid] != SYM_MEMBER_NONE && !sym_identity_same(was, now))
		fire(d, domid, ann, false, was->uuid, was->name);	/* to none */
	fire(d, domid, ann, true, now->uuid, now->name);
}

TEST(domid_reused_while_joined_is_lost_then_join)
{
	struct sym_identity a = ident(UUID_A, "web", MAC_1);
	struct sym_identity b = ident(UUID_B, "db", MAC_2);
	struct dom0 d;

	dom0_init(&d);
	fire(&d, 7, SYM_ANNOUNCE_JOINED, true, UUID_A, "web");
	recheck(&d, 7, SYM_ANNOUNCE_JOINED, &a, &a);	/* same: nothing */
	recheck(&d, 7, SYM_ANNOUNCE_JOINED, &a, &b);
	recheck(&d, 7, SYM_ANNOUNCE_JOINED, &b, &a);	/* and back */
	ASSERT_STREQ("kind=join domid=7 prev=- uuid=" UUID_A " name=web", next_line(&d));
	ASSERT_STREQ("kind=lost domid=7 prev=- uuid=" UUID_A " name=web", next_line(&d));
	ASSERT_STREQ("kind=join domid=7 prev=- uuid=" UUID_B " name=db", next_line(&d));
	ASSERT_STREQ("kind=lost domid=7 prev=- uuid=" UUID_B " name=db", next_line(&d));
	ASSERT_STREQ("kind=join domid=7 prev=- uuid=" UUID_A " name=web", next_line(&d));
	ASSERT_STREQ("", next_line(&d));
	ASSERT_EQ(SYM_MEMBER_JOINED, d.member[7]);
}

TEST(domid_reused_by_one_not_yet_joined_is_lost_only)
{
	struct sym_identity a = ident(UUID_A, "web", MAC_1);
	struct sym_identity b = ident(UUID_B, "db", NULL);
	struct dom0 d;

	dom0_init(&d);
	fire(&d, 7, SYM_ANNOUNCE_JOINED, true, UUID_A, "web");
	recheck(&d, 7, SYM_ANNOUNCE_ABSENT, &a, &b);
	ASSERT_STREQ("kind=join domid=7 prev=- uuid=" UUID_A " name=web", next_line(&d));
	ASSERT_STREQ("kind=lost domid=7 prev=- uuid=" UUID_A " name=web", next_line(&d));
	ASSERT_STREQ("", next_line(&d));
	ASSERT_EQ(SYM_MEMBER_NONE, d.member[7]);
}

TEST(domid_reused_after_migrate_out_keeps_the_migration)
{
	struct sym_identity a = ident(UUID_A, "web", MAC_1);
	struct sym_identity b = ident(UUID_B, "db", MAC_2);
	struct dom0 d;

	dom0_init(&d);
	fire(&d, 7, SYM_ANNOUNCE_JOINED, true, UUID_A, "web");
	fire(&d, 7, SYM_ANNOUNCE_MIGRATING, true, UUID_A, "web");
	/* Saved, destroyed, and domid 7 given to another VM before dom0 looked. */
	recheck(&d, 7, SYM_ANNOUNCE_JOINED, &a, &b);
	ASSERT_EQ(SYM_MEMBER_JOINED, d.member[7]);
	/* The saved VM restored: still a migration from domid 7. */
	fire(&d, 9, SYM_ANNOUNCE_JOINED, true, UUID_A, "web");
	ASSERT_STREQ("kind=join domid=7 prev=- uuid=" UUID_A " name=web", next_line(&d));
	ASSERT_STREQ("kind=migrate-out domid=7 prev=- uuid=" UUID_A " name=web", next_line(&d));
	ASSERT_STREQ("kind=join domid=7 prev=- uuid=" UUID_B " name=db", next_line(&d));
	ASSERT_STREQ("kind=migrate-in domid=9 prev=7 uuid=" UUID_A " name=web", next_line(&d));
	ASSERT_STREQ("", next_line(&d));
}

/* Saved (migrate-out, then the old domain gone): what a pass reports. */
static void save_away(struct sym_departed_set *departed, u16 domid)
{
	sym_member_step(SYM_MEMBER_JOINED, SYM_ANNOUNCE_MIGRATING,
			SYM_ORIGIN_UNKNOWN, true, domid, UUID_A, departed);
	sym_member_step(SYM_MEMBER_MIGRATING, SYM_ANNOUNCE_ABSENT,
			SYM_ORIGIN_UNKNOWN, false, domid, UUID_A, departed);
}

TEST(fresh_boot_of_a_departed_uuid_is_a_join_and_the_saved_one_lost)
{
	struct sym_departed_set departed;
	struct sym_transition t;

	sym_departed_init(&departed);
	save_away(&departed, 7);
	t = sym_member_step(SYM_MEMBER_NONE, SYM_ANNOUNCE_JOINED, SYM_ORIGIN_BOOT,
			    true, 9, UUID_A, &departed);
	ASSERT_EQ(SYM_EV_JOIN, t.kind);
	ASSERT_EQ(-1, t.prev_domid);
	ASSERT_EQ(7, t.lost_domid);
	ASSERT_TRUE(sym_departed_find(&departed, UUID_A) == NULL);
	/* The save restored later anyway: nothing connects it any more. */
	t = sym_member_step(SYM_MEMBER_NONE, SYM_ANNOUNCE_JOINED, SYM_ORIGIN_RESUME,
			    true, 11, UUID_A, &departed);
	ASSERT_EQ(SYM_EV_JOIN, t.kind);
	ASSERT_EQ(-1, t.lost_domid);
}

TEST(resume_or_an_older_guest_is_still_migrate_in)
{
	enum sym_origin origins[] = { SYM_ORIGIN_RESUME, SYM_ORIGIN_UNKNOWN };
	struct sym_departed_set departed;
	struct sym_transition t;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(origins); i++) {
		sym_departed_init(&departed);
		save_away(&departed, 7);
		t = sym_member_step(SYM_MEMBER_NONE, SYM_ANNOUNCE_JOINED, origins[i],
				    true, 9, UUID_A, &departed);
		ASSERT_EQ(SYM_EV_MIGRATE_IN, t.kind);
		ASSERT_EQ(7, t.prev_domid);
		ASSERT_EQ(-1, t.lost_domid);
	}
	/* A fresh boot while the old domain still runs (mid-migration): no lost. */
	sym_departed_init(&departed);
	sym_member_step(SYM_MEMBER_JOINED, SYM_ANNOUNCE_MIGRATING, SYM_ORIGIN_UNKNOWN,
			true, 7, UUID_A, &departed);
	t = sym_member_step(SYM_MEMBER_NONE, SYM_ANNOUNCE_JOINED, SYM_ORIGIN_BOOT,
			    true, 9, UUID_A, &departed);
	ASSERT_EQ(SYM_EV_JOIN, t.kind);
	ASSERT_EQ(-1, t.lost_domid);
}

struct lost_log {
	unsigned int n;
	unsigned int other_uuid;
	u16 domid[4];
};

static void note_lost(void *ctx, const struct sym_departed *d)
{
	struct lost_log *l = ctx;

	if (strcmp(d->uuid, UUID_A))
		l->other_uuid++;
	if (l->n < ARRAY_SIZE(l->domid))
		l->domid[l->n] = d->domid;
	l->n++;
}

TEST(a_departed_vm_never_restored_is_lost_after_the_timeout)
{
	struct sym_departed_set departed;
	struct lost_log l = { 0 };
	struct sym_transition t;

	sym_departed_init(&departed);
	/* Nothing waits: no deadline. */
	ASSERT_EQ(0, sym_departed_expire(&departed, 100, 50, note_lost, &l));
	/* Migrating but its old domain alive: not a candidate yet. */
	sym_member_step(SYM_MEMBER_JOINED, SYM_ANNOUNCE_MIGRATING, SYM_ORIGIN_UNKNOWN,
			true, 7, UUID_A, &departed);
	ASSERT_EQ(0, sym_departed_expire(&departed, 100, 50, note_lost, &l));
	sym_member_step(SYM_MEMBER_MIGRATING, SYM_ANNOUNCE_ABSENT, SYM_ORIGIN_UNKNOWN,
			false, 7, UUID_A, &departed);
	/* First seen gone at 110: due at 160. */
	ASSERT_EQ(160, sym_departed_expire(&departed, 110, 50, note_lost, &l));
	ASSERT_EQ(160, sym_departed_expire(&departed, 159, 50, note_lost, &l));
	ASSERT_EQ(0u, l.n);
	ASSERT_EQ(0, sym_departed_expire(&departed, 160, 50, note_lost, &l));
	ASSERT_EQ(1u, l.n);
	ASSERT_EQ(0u, l.other_uuid);
	ASSERT_EQ(7, l.domid[0]);
	ASSERT_EQ(0, sym_departed_expire(&departed, 500, 50, note_lost, &l));
	ASSERT_EQ(1u, l.n);
	/* Its restore after the timeout is a join: the entry is gone. */
	t = sym_member_step(SYM_MEMBER_NONE, SYM_ANNOUNCE_JOINED, SYM_ORIGIN_RESUME,
			    true, 9, UUID_A, &departed);
	ASSERT_EQ(SYM_EV_JOIN, t.kind);
}

TEST(a_restore_in_time_is_never_lost)
{
	struct sym_departed_set departed;
	struct lost_log l = { 0 };

	sym_departed_init(&departed);
	save_away(&departed, 7);
	ASSERT_EQ(150, sym_departed_expire(&departed, 100, 50, note_lost, &l));
	sym_member_step(SYM_MEMBER_NONE, SYM_ANNOUNCE_JOINED, SYM_ORIGIN_RESUME,
			true, 9, UUID_A, &departed);
	ASSERT_EQ(0, sym_departed_expire(&departed, 1000, 50, note_lost, &l));
	ASSERT_EQ(0u, l.n);
}

TEST(transitions_count_moves_only_on_what_dom0_tells_apart)
{
	ASSERT_EQ(1u, sym_transitions_next(0, SYM_ANNOUNCE_ABSENT, SYM_ANNOUNCE_JOINED));
	ASSERT_EQ(5u, sym_transitions_next(5, SYM_ANNOUNCE_JOINED, SYM_ANNOUNCE_JOINED));
	ASSERT_EQ(6u, sym_transitions_next(5, SYM_ANNOUNCE_JOINED, SYM_ANNOUNCE_MIGRATING));
	ASSERT_EQ(6u, sym_transitions_next(5, SYM_ANNOUNCE_MIGRATING, SYM_ANNOUNCE_JOINED));
	ASSERT_EQ(6u, sym_transitions_next(5, SYM_ANNOUNCE_JOINED, SYM_ANNOUNCE_LEAVING));
	ASSERT_EQ(6u, sym_transitions_next(5, SYM_ANNOUNCE_MIGRATING, SYM_ANNOUNCE_ABSENT));
	/* Leaving, then withdrawing the registration: one leave. */
	ASSERT_EQ(5u, sym_transitions_next(5, SYM_ANNOUNCE_LEAVING, SYM_ANNOUNCE_ABSENT));
	ASSERT_EQ(5u, sym_transitions_next(5, SYM_ANNOUNCE_ABSENT, SYM_ANNOUNCE_LEAVING));
	ASSERT_EQ(0u, sym_transitions_next(UINT32_MAX, SYM_ANNOUNCE_ABSENT, SYM_ANNOUNCE_JOINED));
}

TEST(merged_count_edges)
{
	struct sym_merge_count mc = { 0 };

	/* The first count read is a baseline, even with a large value. */
	ASSERT_EQ(0u, sym_member_merged(&mc, true, 40, true));
	ASSERT_EQ(0u, sym_member_merged(&mc, true, 40, false));
	ASSERT_EQ(0u, sym_member_merged(&mc, true, 41, true));
	ASSERT_EQ(2u, sym_member_merged(&mc, true, 43, false));
	ASSERT_EQ(2u, sym_member_merged(&mc, true, 46, true));
	/* A state change with no count change (a raw write): nothing merged. */
	ASSERT_EQ(0u, sym_member_merged(&mc, true, 46, true));
	/* A count that went back is a new baseline. */
	ASSERT_EQ(0u, sym_member_merged(&mc, true, 3, false));
	ASSERT_EQ(1u, sym_member_merged(&mc, true, 4, false));
	/* No count (an older guest, or malformed): forgotten, then a baseline. */
	ASSERT_EQ(0u, sym_member_merged(&mc, false, 0, true));
	ASSERT_EQ(0u, sym_member_merged(&mc, true, 90, false));
	ASSERT_EQ(7u, sym_member_merged(&mc, true, 97, false));
	/* A claim as large as the count allows is reported as it is. */
	ASSERT_EQ(UINT32_MAX - 98, sym_member_merged(&mc, true, UINT32_MAX, true));
}

/* One guest announcing, dom0 looking now and then (its coalescing). */
struct flapper {
	enum sym_announce announced;
	u32 count;
	enum sym_member_state member;
	struct sym_merge_count mc;
	u64 events, merged, records;
};

static void flapper_look(struct flapper *f, struct sym_departed_set *departed)
{
	struct sym_transition t;
	u32 merged;

	t = sym_member_step(f->member, f->announced, SYM_ORIGIN_BOOT, true, 5,
			    UUID_A, departed);
	f->member = t.next;
	merged = sym_member_merged(&f->mc, true, f->count, t.emit);
	f->events += t.emit;
	f->merged += merged;
	f->records += t.emit || merged;
}

TEST(merged_announcements_are_counted_never_dropped)
{
	static const enum sym_announce pick[] = {
		SYM_ANNOUNCE_ABSENT, SYM_ANNOUNCE_JOINED, SYM_ANNOUNCE_MIGRATING,
		SYM_ANNOUNCE_LEAVING, SYM_ANNOUNCE_JOINED,
	};
	struct sym_departed_set departed;
	u32 rng = 12345;
	int run, i;

	for (run = 0; run < 200; run++) {
		struct flapper f = { .announced = SYM_ANNOUNCE_JOINED, .count = 1 };
		u32 baseline;

		sym_departed_init(&departed);
		flapper_look(&f, &departed);	/* dom0 sees the first join */
		ASSERT_EQ(1u, f.events);
		baseline = f.count;
		for (i = 0; i < 300; i++) {
			enum sym_announce next;

			rng = rng * 1103515245u + 12345u;
			next = pick[(rng >> 16) % ARRAY_SIZE(pick)];
			f.count = sym_transitions_next(f.count, f.announced, next);
			f.announced = next;
			/* dom0 looks after 1 in (run % 7 + 1) announcements. */
			if ((rng >> 8) % (run % 7 + 1) == 0)
				flapper_look(&f, &departed);
		}
		flapper_look(&f, &departed);
		/* Every transition after the first join is an event or merged. */
		ASSERT_EQ((u64)(f.count - baseline), f.events - 1 + f.merged);
		if (run % 7)
			ASSERT_TRUE(f.merged > 0);
		ASSERT_TRUE(f.records <= f.events + f.merged);
	}
}
