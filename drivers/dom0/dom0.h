/* SPDX-License-Identifier: GPL-2.0 */
/*
 * dom0.h - internal interfaces of symbiont_dom0.ko, the host side of the
 * protocol in Documentation/protocol.md.
 *
 * Files and data flow:
 *   discover.c  @introduceDomain/@releaseDomain watches, or the poll timer,
 *               find domains and queue their work
 *   domains.c   per-domain records and the per-domain reconcile step
 *               (read state -> sym_member_step() -> event, group, views)
 *   trusted.c   toolstack-written facts: uuid, name, vif MAC, group
 *   groups.c    groups of members and the groups watch
 *   view.c      each member's view under /local/domain/<M>/symbiont
 *   sysfs.c     /sys/kernel/symbiont
 *   relay.c     fast-path record relay between group members
 *               (fastpath_relay=1 only; Documentation/fastpath.md)
 *
 * Serialisation: every work item runs on dom0_wq, an ordered workqueue, so
 * all membership, group and view state is touched by one thread at a time
 * and needs no lock of its own: the domain table (an xarray, domains.c)
 * is written only there, and nothing else walks it.
 *
 * Locks: the sysfs members lock (sysfs.c) and the event log lock
 * (lib/events.c) are leaves, never nested. No lock is held across kobject
 * removal or XenStore requests.
 */
#ifndef SYMBIONT_DOM0_H
#define SYMBIONT_DOM0_H

#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/workqueue.h>
#include <xen/xenbus.h>
#include "watch.h"
#include "xs.h"
#include "membership.h"
#include "rate.h"
#include "xs_parse.h"

#define DOM0_DEFAULT_GROUP	"default"
#define DOM0_PATH_MAX		128

struct dom0_group;
struct dom0_member_kobj;
struct dom0_relay;

struct symbiont_domain {
	u16 domid;
	enum sym_member_state state;

	/*
	 * Trusted facts, read when the domain asks to join and compared on
	 * every reconcile while it is a member (domains.c).
	 */
	char uuid[SYM_UUID_STR_LEN + 1];
	char name[SYM_NAME_MAX + 1];
	bool has_mac;
	u8 mac[SYM_MAC_LEN];
	char group_name[SYM_NAME_MAX + 1];
	/*
	 * Policy (trusted.c): its vif's allowed IPv4 prefixes, read with the
	 * identity; fastpath_off when the admin switched the fast path off
	 * for its VM or group, or its ip node was malformed (fail closed).
	 */
	struct sym_fp_addrs ipv4;
	bool ipv4_bad;
	bool switched_off;	/* the admin's switch, as last read */
	bool fastpath_off;	/* ipv4_bad || switched_off */

	/* Set while a member (state != NONE). */
	struct dom0_group *group;
	struct list_head group_node;
	struct list_head move_node;	/* groups.c, during a regroup */
	struct dom0_member_kobj *kobj;
	u64 view_generation;	/* last written to its view; never goes back */
	/*
	 * A write of its view (or its removal) failed: the view is withdrawn
	 * (view.c) until d's reconcile, retried after retry_delay jiffies
	 * (doubling, domains.c), writes it again.
	 */
	bool view_stale;
	unsigned long retry_delay;

	/* Its transitions count as last read with its state (domains.c). */
	struct sym_merge_count merge_count;

	struct sym_watch watch;	/* data/symbiont/state, event mode */
	struct delayed_work work;	/* reconcile; delayed only when throttled */
	struct sym_rate rate;		/* of reconciles (dom0_throttle) */
	struct dom0_relay *relay;	/* relay.c; NULL unless fastpath_relay */
};

/* main.c */
extern struct workqueue_struct *dom0_wq;
extern bool dom0_poll_mode;
extern unsigned int dom0_poll_ms;

/* Every XenStore request and watch firing of the module (xs.h). */
extern struct sym_xs_stats dom0_xs;

/* domains.c */
struct symbiont_domain *dom0_domain_find(u16 domid);
int dom0_domain_add(u16 domid);
void dom0_domains_requeue_all(void);
void dom0_domains_reconcile_all(void);
void dom0_domains_init(void);
void dom0_domains_exit(void);
u64 dom0_work_runs(void);
void dom0_work_ran(void);
bool dom0_throttle(struct sym_rate *rate, struct delayed_work *work);
u64 dom0_throttled_runs(void);
unsigned long dom0_backoff(unsigned long *delay);
void dom0_domain_retry(struct symbiont_domain *d);
u64 dom0_retries(void);

/* trusted.c */
int dom0_trusted_identity(u16 domid, struct sym_identity *id);
void dom0_trusted_get(const struct symbiont_domain *d, struct sym_identity *id);
void dom0_trusted_set(struct symbiont_domain *d, const struct sym_identity *id);
void dom0_trusted_group(const char *vm_name, char group[SYM_NAME_MAX + 1]);
bool dom0_trusted_policy_off(const char *vm_name, const char *group);
bool dom0_trusted_ipv4_update(struct symbiont_domain *d,
			      const struct sym_identity *id);

/* Whether dom0 lets a and b have a fast-path channel. */
static inline bool dom0_fastpath_allowed(const struct symbiont_domain *a,
					 const struct symbiont_domain *b)
{
	return !a->fastpath_off && !b->fastpath_off;
}

/* groups.c */
const char *dom0_group_name(const struct dom0_group *g);
/* Every member of g, linked by symbiont_domain.group_node. */
struct list_head *dom0_group_members(struct dom0_group *g);
int dom0_group_join(struct symbiont_domain *d);
void dom0_group_leave(struct symbiont_domain *d);
void dom0_group_changed(struct symbiont_domain *d);
void dom0_groups_flush(void);
void dom0_groups_reread(void);
int dom0_groups_watch_init(void);
void dom0_groups_watch_exit(void);
void dom0_groups_exit(void);

/* view.c */
int dom0_view_write(struct symbiont_domain *m, const struct list_head *members);
void dom0_view_failed(struct symbiont_domain *m);
void dom0_view_remove(struct symbiont_domain *m);
int dom0_mode_publish(void);
void dom0_mode_unpublish(void);

/* discover.c */
int dom0_discover_init(void);
void dom0_discover_exit(void);

/* relay.c: all do nothing unless fastpath_relay=1 */
void dom0_relay_init(void);
int dom0_relay_attach(struct symbiont_domain *d);
void dom0_relay_unwatch(struct symbiont_domain *d);
void dom0_relay_detach(struct symbiont_domain *d);
void dom0_relay_forget_domid(struct symbiont_domain *d);
void dom0_relay_stop(void);

/* sysfs.c */
int dom0_sysfs_init(void);
void dom0_sysfs_exit(void);
void dom0_generation_bump(void);
int dom0_member_add(struct symbiont_domain *d);
void dom0_member_update(struct symbiont_domain *d);
void dom0_member_remove(struct symbiont_domain *d);

#endif /* SYMBIONT_DOM0_H */
