/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Internal interfaces of the symbiont guest module.
 *
 * main.c owns the module lifetime, the PM hooks and symbiont_wq, the ordered
 * workqueue every XenStore reaction runs on (so reactions are serialised
 * and never block xenwatch). self.c tracks this domain's identity and
 * writes its announcements; view.c reads the view dom0 publishes and turns
 * it into the RCU peer table (api.c) and peer events; sysfs.c publishes
 * all of it under /sys/kernel/symbiont. Every XenStore request goes
 * through symbiont_core's xs.h and is counted in symbiont_stats.xs.
 *
 * Locks, all leaves (none is held while taking another, none across a
 * XenStore request or a notifier call):
 *   self_lock (self.c, mutex)   this domain's identity (self_info)
 *   table_lock (api.c, mutex)   serialises writers of the RCU peer table;
 *                               readers take only rcu_read_lock()
 *   peers_lock (sysfs.c, mutex) the list of peer directories
 * The notifier chain is a blocking chain: its callbacks (the fast path)
 * run on symbiont_wq, or in the PM .freeze callback for our own suspend,
 * with none of these held.
 */
#ifndef SYMBIONT_GUEST_H
#define SYMBIONT_GUEST_H

#include <linux/kobject.h>
#include <linux/types.h>
#include <linux/workqueue.h>
#include <symbiont/symbiont.h>
#include "peer_set.h"
#include "xs.h"
#include "xs_parse.h"

extern struct workqueue_struct *symbiont_wq;
extern bool symbiont_poll_mode;
extern unsigned int symbiont_poll_ms;

struct symbiont_stats {
	struct sym_xs_stats xs;	/* every XenStore request and watch firing */
	atomic64_t work_runs;
};
extern struct symbiont_stats symbiont_stats;

/* self.c */
struct symbiont_self_info {
	u16 domid;
	bool has_mac;
	u8 mac[6];
	enum sym_announce state;
	char uuid[SYM_UUID_STR_LEN + 1];
	char name[SYM_NAME_MAX + 1];
	char group[SYM_NAME_MAX + 1];
};
int symbiont_self_init(void);
void symbiont_self_exit(void);
void symbiont_self_get(struct symbiont_self_info *out);
void symbiont_self_reread(void);
void symbiont_self_set_group(const char *group);
int symbiont_self_announce(enum sym_announce state);
void symbiont_self_mark_resumed(void);
void symbiont_self_rejoin(void);
void symbiont_self_rejoin_cancel(void);

/* view.c */
int symbiont_view_init(void);
void symbiont_view_exit(void);
void symbiont_view_refresh(void);
void symbiont_view_suspend(void);
u64 symbiont_view_generation(void);

/* api.c */
int symbiont_table_init(void);
void symbiont_table_exit(void);
/* Publish a new snapshot; returns the old one for the caller to diff and free. */
struct sym_peer_set *symbiont_table_replace(struct sym_peer_set *set);
void symbiont_table_free(struct sym_peer_set *set);
struct sym_peer_set *symbiont_table_alloc(u32 capacity);
int symbiont_notify(enum symbiont_notify action, const struct sym_peer *peer);

/* sysfs.c */
int symbiont_sysfs_init(void);
void symbiont_sysfs_exit(void);
void symbiont_sysfs_self_changed(void);
void symbiont_sysfs_generation_changed(void);
int symbiont_sysfs_peer_add(const struct sym_peer *peer);
void symbiont_sysfs_peer_update(const struct sym_peer *peer);
void symbiont_sysfs_peer_remove(u16 domid);

#endif
