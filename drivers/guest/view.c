// SPDX-License-Identifier: GPL-2.0
/*
 * The view: what dom0 tells this guest about its co-resident peers.
 *
 * Data flow: dom0 writes our view under symbiont/ in our home (owned by
 * dom0, readable only by us) and bumps symbiont/generation in the same
 * transaction. In event mode a coalesced watch on that node queues
 * view_work; in poll mode (the heartbeat baseline) poll_work re-reads the
 * generation every poll_ms. Either way refresh() reads the whole view into
 * a fresh sym_peer_set, retrying if the generation moved underneath
 * (seqlock style, no transaction needed), publishes it as the RCU table,
 * and diffs old against new. Each difference is run through the same
 * membership state machine dom0 uses, so a peer that announced
 * "migrating", vanished and came back under a new domid is reported as
 * migrate-in; it is logged, sent to the notifier chain and mirrored in
 * sysfs.
 *
 * Locking: everything here runs on symbiont_wq (ordered), so departed and
 * the per-refresh state need no lock; view_generation is read by sysfs
 * with READ_ONCE().
 */
#include <linux/err.h>
#include <linux/jiffies.h>
#include <linux/kernel.h>
#include <linux/slab.h>
#include "watch.h"
#include "events.h"
#include "membership.h"
#include "guest.h"

#define VIEW_DIR	"symbiont"
#define VIEW_RETRIES	5

static struct sym_watch gen_watch;
static struct work_struct view_work;
static struct delayed_work poll_work;
static struct sym_departed_set departed;
static u64 view_generation;
static u64 polled_generation = U64_MAX;
/*
 * Set at suspend: after resume our (maybe new) home has no view until dom0
 * publishes one, and an empty read then must not be taken for "every peer
 * left". Cleared by the first view read, or by resume_grace_work after
 * RESUME_GRACE_MS if no dom0 ever publishes (then the table empties).
 */
static bool awaiting_view;
static struct delayed_work resume_grace_work;
#define RESUME_GRACE_MS	10000

u64 symbiont_view_generation(void)
{
	return READ_ONCE(view_generation);
}

/* Generation of the view; 0 with -ENOENT when dom0 publishes none. */
static int read_generation(u64 *gen)
{
	int err;

	err = sym_xs_read_u64(&symbiont_stats.xs, XBT_NIL, VIEW_DIR,
			      "generation", gen);
	if (err)
		*gen = 0;
	return err;
}

static int read_field(const char *dir, const char *node, char *buf,
		      size_t size, unsigned int *len_out)
{
	int len;

	len = sym_xs_read(&symbiont_stats.xs, XBT_NIL, dir, node, buf, size);
	if (len < 0)
		return len;
	*len_out = len;
	return 0;
}

/*
 * dom0's policy for the peer: fastpath-policy ("on" or "off") and ip (its
 * vif's allowed IPv4 prefixes, as Documentation/fastpath.md says). Either
 * absent (a dom0 that writes neither) means on and unrestricted; a value
 * we cannot parse switches the fast path to that peer off.
 */
static int read_policy(const char *dir, struct sym_peer *p)
{
	char buf[SYM_FP_ADDRS_STR_MAX + 1];
	unsigned int len;
	int err;

	err = read_field(dir, "fastpath-policy", buf, sizeof(buf), &len);
	if (err && err != -ENOENT && err != -E2BIG)
		return err;
	p->fastpath_off = err == -E2BIG ||
			  (!err && (len != 2 || memcmp(buf, "on", 2)));

	err = read_field(dir, "ip", buf, sizeof(buf), &len);
	if (err == -ENOENT)
		return 0;
	if (err && err != -E2BIG)
		return err;
	if (err || sym_fp_addrs_parse(buf, len, &p->ipv4)) {
		p->ipv4.nr = 0;
		p->fastpath_off = true;
	}
	return 0;
}

static int read_peer(const char *entry, struct sym_peer *p)
{
	char dir[sizeof(VIEW_DIR "/peers/") + 8];
	char buf[SYM_NAME_MAX + 1];
	enum sym_announce state;
	unsigned int len;
	int err;

	memset(p, 0, sizeof(*p));
	err = sym_parse_domid(entry, strlen(entry), &p->domid);
	if (err)
		return err;
	snprintf(dir, sizeof(dir), VIEW_DIR "/peers/%u", p->domid);

	err = read_field(dir, "uuid", buf, sizeof(buf), &len) ?:
	      sym_parse_uuid(buf, len, p->uuid);
	if (err)
		return err;
	err = read_field(dir, "name", buf, sizeof(buf), &len) ?:
	      sym_parse_name(buf, len, p->name, sizeof(p->name));
	if (err)
		return err;
	err = read_field(dir, "mac", buf, sizeof(buf), &len);
	if (err)
		return err;
	p->has_mac = len && !sym_parse_mac(buf, len, p->mac);
	err = read_policy(dir, p);
	if (err)
		return err;
	err = read_field(dir, "state", buf, sizeof(buf), &len) ?:
	      sym_parse_announce(buf, len, &state);
	if (err)
		return err;
	switch (state) {
	case SYM_ANNOUNCE_JOINED:
		p->state = SYM_PEER_JOINED;
		return 0;
	case SYM_ANNOUNCE_MIGRATING:
		p->state = SYM_PEER_MIGRATING;
		return 0;
	default:
		return -EINVAL;
	}
}

/* Read the whole view; -EAGAIN if it changed while we read it. */
static int read_view(struct sym_peer_set **out, u64 *gen_out, char *group)
{
	struct sym_peer_set *set;
	unsigned int num = 0, len, i;
	char **entries = NULL;
	u64 gen, again;
	int err;

	err = read_generation(&gen);
	if (err == -ENOENT) {
		group[0] = '\0';
		*gen_out = 0;
		*out = symbiont_table_alloc(0);
		return *out ? 0 : -ENOMEM;
	}
	if (err)
		return err;

	if (read_field(VIEW_DIR, "group", group, SYM_NAME_MAX + 1, &len) ||
	    sym_parse_name(group, len, group, SYM_NAME_MAX + 1))
		group[0] = '\0';

	entries = sym_xs_directory(&symbiont_stats.xs, XBT_NIL, VIEW_DIR, "peers",
				   &num);
	if (IS_ERR(entries)) {
		if (PTR_ERR(entries) != -ENOENT)
			return PTR_ERR(entries);
		entries = NULL;
		num = 0;
	}
	set = symbiont_table_alloc(min_t(u32, num, SYM_PEERS_MAX));
	if (!set) {
		kfree(entries);
		return -ENOMEM;
	}
	for (i = 0; i < num; i++) {
		struct sym_peer p;

		err = read_peer(entries[i], &p);
		if (!err)
			err = sym_peer_set_insert(set, &p);
		if (err) {
			pr_warn_ratelimited("skipping view entry %s: %d\n",
					    entries[i], err);
			err = 0;
		}
	}
	kfree(entries);

	if (read_generation(&again) || again != gen) {
		symbiont_table_free(set);
		return -EAGAIN;
	}
	*out = set;
	*gen_out = gen;
	return 0;
}

static enum sym_member_state member_state(const struct sym_peer *p)
{
	return p->state == SYM_PEER_MIGRATING ? SYM_MEMBER_MIGRATING
					      : SYM_MEMBER_JOINED;
}

static enum sym_announce announced(const struct sym_peer *p)
{
	return p->state == SYM_PEER_MIGRATING ? SYM_ANNOUNCE_MIGRATING
					      : SYM_ANNOUNCE_JOINED;
}

static void log_event(enum sym_event_kind kind, const struct sym_peer *p,
		      s32 prev_domid)
{
	struct sym_event ev = {
		.kind = kind,
		.domid = p->domid,
		.prev_domid = prev_domid,
	};

	strscpy(ev.uuid, p->uuid, sizeof(ev.uuid));
	strscpy(ev.name, p->name, sizeof(ev.name));
	sym_events_record(&ev);
}

static void peer_removed(const struct sym_peer *old)
{
	struct sym_transition t;

	t = sym_member_step(member_state(old), SYM_ANNOUNCE_ABSENT,
			    SYM_ORIGIN_UNKNOWN, false, old->domid, old->uuid,
			    &departed);
	/* A guest cannot tell a crash from an orderly exit: both are leave. */
	if (t.emit)
		log_event(SYM_EV_LEAVE, old, -1);
	symbiont_sysfs_peer_remove(old->domid);
	symbiont_notify(SYMBIONT_PEER_LEAVE, old);
}

static void peer_added(const struct sym_peer *new)
{
	struct sym_transition t;

	t = sym_member_step(SYM_MEMBER_NONE, announced(new), SYM_ORIGIN_UNKNOWN,
			    true, new->domid, new->uuid, &departed);
	if (t.emit)
		log_event(t.kind, new, t.prev_domid);
	symbiont_sysfs_peer_add(new);
	symbiont_notify(t.emit && t.kind == SYM_EV_MIGRATE_IN ?
			SYMBIONT_PEER_MIGRATE_IN : SYMBIONT_PEER_JOIN, new);
}

static void peer_changed(const struct sym_peer *old, const struct sym_peer *new)
{
	struct sym_transition t;

	symbiont_sysfs_peer_update(new);
	if (sym_peer_policy_differs(old, new))
		symbiont_notify(SYMBIONT_PEER_POLICY, new);
	if (old->state == new->state)
		return;
	t = sym_member_step(member_state(old), announced(new),
			    SYM_ORIGIN_UNKNOWN, true, new->domid, new->uuid,
			    &departed);
	if (!t.emit)
		return;
	log_event(t.kind, new, t.prev_domid);
	switch (t.kind) {
	case SYM_EV_MIGRATE_OUT:
		symbiont_notify(SYMBIONT_PEER_MIGRATE_OUT, new);
		break;
	case SYM_EV_MIGRATE_IN:
		symbiont_notify(SYMBIONT_PEER_MIGRATE_IN, new);
		break;
	default:
		break;
	}
}

static void on_change(void *ctx, enum sym_peer_change change,
		      const struct sym_peer *old, const struct sym_peer *new)
{
	switch (change) {
	case SYM_PEER_ADDED:
		peer_added(new);
		break;
	case SYM_PEER_REMOVED:
		peer_removed(old);
		break;
	case SYM_PEER_MOVED:
		peer_removed(old);
		peer_added(new);
		break;
	case SYM_PEER_STATE_CHANGED:
		peer_changed(old, new);
		break;
	}
}

static void refresh(void)
{
	struct sym_peer_set *set = NULL, *old;
	char group[SYM_NAME_MAX + 1];
	int tries, err;
	u64 gen = 0;

	for (tries = 0; tries < VIEW_RETRIES; tries++) {
		err = read_view(&set, &gen, group);
		if (err != -EAGAIN)
			break;
	}
	if (err) {
		pr_warn_ratelimited("cannot read the view: %d\n", err);
		return;
	}

	if (awaiting_view && !gen) {
		symbiont_table_free(set);
		if (!delayed_work_pending(&resume_grace_work))
			queue_delayed_work(symbiont_wq, &resume_grace_work,
					   msecs_to_jiffies(RESUME_GRACE_MS));
		return;
	}
	awaiting_view = false;
	cancel_delayed_work(&resume_grace_work);

	old = symbiont_table_replace(set);
	sym_peer_set_diff(old, set, on_change, NULL);
	symbiont_table_free(old);

	symbiont_self_set_group(group);
	if (gen != READ_ONCE(view_generation)) {
		WRITE_ONCE(view_generation, gen);
		symbiont_sysfs_generation_changed();
	}
}

/* PM .freeze; symbiont_wq is frozen by now, so this does not race refresh(). */
void symbiont_view_suspend(void)
{
	awaiting_view = true;
}

static void resume_grace_expired(struct work_struct *work)
{
	atomic64_inc(&symbiont_stats.work_runs);
	awaiting_view = false;
	refresh();
}

void symbiont_view_refresh(void)
{
	if (symbiont_poll_mode)
		mod_delayed_work(symbiont_wq, &poll_work, 0);
	else
		queue_work(symbiont_wq, &view_work);
}

static void view_fired(struct work_struct *work)
{
	atomic64_inc(&symbiont_stats.work_runs);
	sym_watch_begin(&gen_watch);
	refresh();
}

static void view_polled(struct work_struct *work)
{
	u64 gen;
	int err;

	atomic64_inc(&symbiont_stats.work_runs);
	err = read_generation(&gen);
	if ((!err || err == -ENOENT) && gen != polled_generation) {
		polled_generation = gen;
		refresh();
	}
	queue_delayed_work(symbiont_wq, &poll_work,
			   msecs_to_jiffies(symbiont_poll_ms));
}

int symbiont_view_init(void)
{
	sym_departed_init(&departed);
	INIT_WORK(&view_work, view_fired);
	INIT_DELAYED_WORK(&poll_work, view_polled);
	INIT_DELAYED_WORK(&resume_grace_work, resume_grace_expired);
	if (symbiont_poll_mode) {
		queue_delayed_work(symbiont_wq, &poll_work, 0);
		return 0;
	}
	return sym_watch_register(&gen_watch, &symbiont_stats.xs, VIEW_DIR "/generation",
					symbiont_wq, &view_work);
}

void symbiont_view_exit(void)
{
	sym_watch_unregister(&gen_watch);
	cancel_work_sync(&view_work);
	cancel_delayed_work_sync(&poll_work);
	cancel_delayed_work_sync(&resume_grace_work);
}
