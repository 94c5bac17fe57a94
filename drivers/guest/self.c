// SPDX-License-Identifier: GPL-2.0
/*
 * This domain's identity and its announcements to dom0.
 *
 * Announcements say where they come from (data/symbiont/origin): "boot"
 * until this domain first resumes, "resume" after, so that dom0 can tell
 * a restore (migrate-in) from a fresh boot of the same VM (join).
 *
 * Data flow: a coalesced watch on our own "domid" node fires once at
 * registration and again after every resume (xs_resume() re-registers all
 * watches), including the restore into a new domain after save/restore or
 * migration. It queues refresh_work, which re-reads domid, name, VM uuid
 * and our first vif's MAC (from dom0's backend node, see read_own_mac()),
 * and publishes them for sysfs. Announcements
 * (data/symbiont/{version,origin,state}, see Documentation/protocol.md) are
 * written by symbiont_self_announce(), from the workqueue, the PM hooks,
 * the reboot notifier or module exit. A rejoin after resume that XenStore
 * refused (a restore can meet a busy or quota-bound xenstored) is
 * announced again by rejoin_retry, 100 ms doubling to 10 s, until it
 * lands or this domain suspends or leaves (symbiont_self_rejoin_cancel()).
 *
 * Every announcement moves data/symbiont/transitions in the same
 * transaction, the guest's count of its own transitions, from which dom0
 * tells how many of them its coalescing merged (Documentation/protocol.md,
 * "Merged transitions").
 *
 * Locking: announce_lock serialises announcements (the count is a
 * read-modify-write) and is taken before self_lock. self_lock (a leaf)
 * guards self_info; it is written from symbiont_wq and the PM/shutdown
 * paths, read by sysfs and the API.
 */
#include <linux/err.h>
#include <linux/kernel.h>
#include <linux/mutex.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <xen/interface/xen.h>
#include "membership.h"
#include "watch.h"
#include "guest.h"

/* Set once this domain resumed: announcements then say "resume". */
static bool self_resumed;
static struct sym_watch domid_watch;
static struct work_struct refresh_work;
static struct delayed_work rejoin_retry;
static unsigned long rejoin_delay;	/* symbiont_wq, or after a cancel */

#define SELF_REJOIN_RETRY_MIN	(HZ / 10)
#define SELF_REJOIN_RETRY_MAX	(10 * HZ)
/* Serialises announcements (PM hooks, reboot, symbiont_wq); outside self_lock. */
static DEFINE_MUTEX(announce_lock);
static DEFINE_MUTEX(self_lock);
static struct symbiont_self_info self_info = {
	.domid = DOMID_INVALID,
	.state = SYM_ANNOUNCE_ABSENT,
	.group = "",
};

void symbiont_self_get(struct symbiont_self_info *out)
{
	mutex_lock(&self_lock);
	*out = self_info;
	mutex_unlock(&self_lock);
}

u16 symbiont_self_domid(void)
{
	u16 domid;

	mutex_lock(&self_lock);
	domid = self_info.domid;
	mutex_unlock(&self_lock);
	return domid;
}
EXPORT_SYMBOL_GPL(symbiont_self_domid);

void symbiont_self_set_group(const char *group)
{
	bool changed;

	mutex_lock(&self_lock);
	changed = strcmp(self_info.group, group) != 0;
	if (changed)
		strscpy(self_info.group, group, sizeof(self_info.group));
	mutex_unlock(&self_lock);
	if (changed)
		symbiont_sysfs_self_changed();
}

/*
 * Read one of our own nodes (or an absolute path) and hand it to a
 * parser; false if unusable.
 */
static bool read_own(const char *node, int (*parse)(const char *s, size_t len,
						     void *out), void *out)
{
	char val[128];	/* longer than any value read here: malformed */
	int len, err;

	len = sym_xs_read(&symbiont_stats.xs, XBT_NIL, node, "", val,
			  sizeof(val));
	if (len < 0 && len != -E2BIG)
		return false;
	err = len < 0 ? len : parse(val, len, out);
	if (err)
		pr_warn_ratelimited("ignoring malformed %s\n", node);
	return !err;
}

static int parse_domid(const char *s, size_t len, void *out)
{
	return sym_parse_domid(s, len, out);
}

static int parse_vm_uuid(const char *s, size_t len, void *out)
{
	return sym_parse_vm_path(s, len, out);
}

static int parse_mac(const char *s, size_t len, void *out)
{
	return sym_parse_mac(s, len, out);
}

static int parse_name(const char *s, size_t len, void *out)
{
	return sym_parse_name(s, len, out, SYM_NAME_MAX + 1);
}

/*
 * Our first vif's MAC as the toolstack wrote it, in dom0's backend
 * directory, which we may read (libxl grants the frontend read access)
 * but not write; never our own device/vif/0/mac, which we (any process
 * of ours with XenStore access) can rewrite to another domain's MAC. The
 * same node dom0 shows to our peers (Documentation/protocol.md). A vif
 * whose backend is not in dom0 gives no MAC.
 */
static bool read_own_mac(u16 domid, u8 *mac)
{
	char node[48];

	if (domid == DOMID_INVALID)
		return false;
	snprintf(node, sizeof(node), "/local/domain/0/backend/vif/%u/0/mac",
		 domid);
	return read_own(node, parse_mac, mac);
}

/* On symbiont_wq: re-read who we are (after a restore, a new domid). */
void symbiont_self_reread(void)
{
	struct symbiont_self_info fresh;
	bool changed;

	symbiont_self_get(&fresh);
	if (!read_own("domid", parse_domid, &fresh.domid))
		fresh.domid = DOMID_INVALID;
	if (!read_own("vm", parse_vm_uuid, fresh.uuid))
		fresh.uuid[0] = '\0';
	if (!read_own("name", parse_name, fresh.name))
		fresh.name[0] = '\0';
	fresh.has_mac = read_own_mac(fresh.domid, fresh.mac);

	mutex_lock(&self_lock);
	changed = memcmp(&fresh, &self_info, sizeof(fresh)) != 0;
	if (changed) {
		/* Only identity comes from here; keep what others set. */
		fresh.state = self_info.state;
		strscpy(fresh.group, self_info.group, sizeof(fresh.group));
		self_info = fresh;
	}
	mutex_unlock(&self_lock);

	if (changed) {
		pr_info("domid %u name %s\n", fresh.domid, fresh.name);
		symbiont_sysfs_self_changed();
	}
}

static void refresh_self(struct work_struct *work)
{
	atomic64_inc(&symbiont_stats.work_runs);
	sym_watch_begin(&domid_watch);
	symbiont_self_reread();
}

/* From now on this domain has resumed (rejoin after thaw or restore). */
void symbiont_self_mark_resumed(void)
{
	WRITE_ONCE(self_resumed, true);
}

struct self_announcement {
	enum sym_announce was;
	enum sym_announce now;
	enum sym_origin origin;
};

/*
 * One announcement, in one transaction with the transitions count it
 * moves (data/symbiont/transitions, see sym_transitions_next()): dom0
 * reads the two together. The count is read back from XenStore, not kept
 * here, so that it goes on across a reload of this module; a withdrawal
 * removes everything else and keeps it for that reason.
 */
static int self_announce_fill(struct xenbus_transaction t, void *ctx)
{
	const struct self_announcement *a = ctx;
	struct sym_xs_stats *xs = &symbiont_stats.xs;
	u64 count = 0;
	u32 next;
	int err;

	err = sym_xs_read_u64(xs, t, "data/symbiont", "transitions", &count);
	if (err && err != -ENOENT && err != -EINVAL)
		return err;
	/* Absent, or rewritten by someone else: start again from 0. */
	if (err || count > U32_MAX)
		count = 0;
	next = sym_transitions_next((u32)count, a->was, a->now);

	if (a->now == SYM_ANNOUNCE_ABSENT) {
		err = sym_xs_rm(xs, t, "data/symbiont", "");
		if (err && err != -ENOENT)
			return err;
		return sym_xs_printf(xs, t, "data/symbiont", "transitions",
				     "%u", next);
	}
	err = sym_xs_write(xs, t, "data/symbiont", "version",
			   SYM_PROTOCOL_VERSION);
	if (!err)
		err = sym_xs_write(xs, t, "data/symbiont", "origin",
				   sym_origin_name(a->origin));
	/* Also when it was absent or rewritten: dom0 reads it with state. */
	if (!err)
		err = sym_xs_printf(xs, t, "data/symbiont", "transitions",
				    "%u", next);
	if (!err)
		err = sym_xs_write(xs, t, "data/symbiont", "state",
				   sym_announce_name(a->now));
	return err;
}

int symbiont_self_announce(enum sym_announce state)
{
	struct self_announcement a = {
		.now = state,
		.origin = READ_ONCE(self_resumed) ? SYM_ORIGIN_RESUME
						  : SYM_ORIGIN_BOOT,
	};
	int err;

	mutex_lock(&announce_lock);
	mutex_lock(&self_lock);
	a.was = self_info.state;
	mutex_unlock(&self_lock);

	err = sym_xs_transact(&symbiont_stats.xs, self_announce_fill, &a);
	if (err) {
		mutex_unlock(&announce_lock);
		pr_warn("cannot announce %s: %d\n", sym_announce_name(state), err);
		return err;
	}

	mutex_lock(&self_lock);
	self_info.state = state;
	mutex_unlock(&self_lock);
	mutex_unlock(&announce_lock);
	symbiont_sysfs_self_changed();
	return 0;
}

/* On symbiont_wq: announce joined after a resume, or retry until it lands. */
void symbiont_self_rejoin(void)
{
	if (!symbiont_self_announce(SYM_ANNOUNCE_JOINED)) {
		rejoin_delay = 0;
		return;
	}
	rejoin_delay = rejoin_delay ?
		       min_t(unsigned long, rejoin_delay * 2, SELF_REJOIN_RETRY_MAX) :
		       SELF_REJOIN_RETRY_MIN;
	queue_delayed_work(symbiont_wq, &rejoin_retry, rejoin_delay);
}

static void rejoin_retry_work(struct work_struct *work)
{
	atomic64_inc(&symbiont_stats.work_runs);
	symbiont_self_rejoin();
}

/* Before announcing anything else: no retried join may come after it. */
void symbiont_self_rejoin_cancel(void)
{
	cancel_delayed_work_sync(&rejoin_retry);
	rejoin_delay = 0;
}

int symbiont_self_init(void)
{
	INIT_WORK(&refresh_work, refresh_self);
	INIT_DELAYED_WORK(&rejoin_retry, rejoin_retry_work);
	return sym_watch_register(&domid_watch, &symbiont_stats.xs, "domid",
				  symbiont_wq, &refresh_work);
}

void symbiont_self_exit(void)
{
	sym_watch_unregister(&domid_watch);
	cancel_work_sync(&refresh_work);
}
