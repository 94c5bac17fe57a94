// SPDX-License-Identifier: GPL-2.0
/*
 * /sys/kernel/symbiont for a guest: one value per file, documented in
 * Documentation/ABI/testing/sysfs-kernel-symbiont-guest.
 *
 *   role, generation, mode, poll_ms, stats/{xs_requests,work_runs}
 *   self/{domid,uuid,name,mac,group,state}
 *   peers/<domid>/{uuid,name,mac,state}
 *
 * Data flow: show() methods read published state; the workqueue calls the
 * *_changed() and peer_*() hooks, which sysfs_notify() the affected files
 * (so poll() wakes). peers/ is a kset, so peer directories send
 * KOBJ_ADD/KOBJ_REMOVE/KOBJ_CHANGE uevents; generation and self changes
 * go out as KOBJ_CHANGE on the symbiont_events misc device (a plain
 * kobject under /sys/kernel has no kset and its uevents would be dropped).
 *
 * Directories appear whole: every directory here (self/, stats/, each
 * peers/<domid>/, and the root, see lib/root.c) gets its files from its
 * kobj_type's default_groups, which kobject_init_and_add() creates with
 * the directory; a peer's KOBJ_ADD uevent goes out only after that, so a
 * reader woken by it finds every file.
 *
 * Locking: peers_lock guards the peer directory list and each entry's
 * copy of the peer (show() takes it briefly).
 *
 * Lifetime: each kobject is embedded in a container its release frees.
 * Removal is kobject_del() then kobject_put(): kobject_del() removes the
 * files, and kernfs waits for running show() calls and fails new ones
 * (even on files still open), so release never frees under a reader.
 */
#include <linux/export.h>
#include <linux/kobject.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/slab.h>
#include <linux/sysfs.h>
#include <xen/interface/xen.h>
#include "events.h"
#include "guest.h"
#include "root.h"
#include <symbiont/symbiont.h>

struct peer_dir {
	struct kobject kobj;
	struct list_head node;
	struct sym_peer peer;
};

static struct kobject *root_kobj;

/* For consumers' own subdirectories; valid while they hold our symbols. */
struct kobject *symbiont_sysfs_root(void)
{
	return root_kobj;
}
EXPORT_SYMBOL_GPL(symbiont_sysfs_root);

/* self/ and stats/: no state of their own, show() reads the module's. */
struct guest_dir {
	struct kobject kobj;
};

static struct kobject *self_kobj;
static struct kobject *stats_kobj;
static struct kset *peers_kset;
static LIST_HEAD(peer_dirs);
static DEFINE_MUTEX(peers_lock);

static ssize_t xs_requests_show(struct kobject *kobj,
				struct kobj_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%lld\n",
			  sym_xs_requests(&symbiont_stats.xs));
}

static ssize_t work_runs_show(struct kobject *kobj,
			      struct kobj_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%lld\n", atomic64_read(&symbiont_stats.work_runs));
}

static struct kobj_attribute xs_requests_attr = __ATTR_RO(xs_requests);
static struct kobj_attribute work_runs_attr = __ATTR_RO(work_runs);

static struct attribute *stats_attrs[] = {
	&xs_requests_attr.attr,
	&work_runs_attr.attr,
	NULL,
};

ATTRIBUTE_GROUPS(stats);

static ssize_t show_mac(char *buf, bool has_mac, const u8 mac[6])
{
	return has_mac ? sysfs_emit(buf, "%pM\n", mac) : sysfs_emit(buf, "\n");
}

#define SELF_SHOW(field, fmt, expr)					\
static ssize_t self_##field##_show(struct kobject *kobj,		\
				   struct kobj_attribute *attr, char *buf) \
{									\
	struct symbiont_self_info self;					\
									\
	symbiont_self_get(&self);					\
	return sysfs_emit(buf, fmt "\n", expr);				\
}									\
static struct kobj_attribute self_##field##_attr =			\
	__ATTR(field, 0444, self_##field##_show, NULL)

SELF_SHOW(domid, "%u", self.domid);
SELF_SHOW(uuid, "%s", self.uuid);
SELF_SHOW(name, "%s", self.name);
SELF_SHOW(group, "%s", self.group);
SELF_SHOW(state, "%s", self.state == SYM_ANNOUNCE_ABSENT ? "" :
	  sym_announce_name(self.state));

static ssize_t self_mac_show(struct kobject *kobj, struct kobj_attribute *attr,
			     char *buf)
{
	struct symbiont_self_info self;

	symbiont_self_get(&self);
	return show_mac(buf, self.has_mac, self.mac);
}
static struct kobj_attribute self_mac_attr = __ATTR(mac, 0444, self_mac_show, NULL);

static struct attribute *self_attrs[] = {
	&self_domid_attr.attr,
	&self_uuid_attr.attr,
	&self_name_attr.attr,
	&self_mac_attr.attr,
	&self_group_attr.attr,
	&self_state_attr.attr,
	NULL,
};

ATTRIBUTE_GROUPS(self);

static void guest_dir_release(struct kobject *kobj)
{
	kfree(container_of(kobj, struct guest_dir, kobj));
}

static const struct kobj_type self_ktype = {
	.release = guest_dir_release,
	.sysfs_ops = &kobj_sysfs_ops,
	.default_groups = self_groups,
};

static const struct kobj_type stats_ktype = {
	.release = guest_dir_release,
	.sysfs_ops = &kobj_sysfs_ops,
	.default_groups = stats_groups,
};

/* root_kobj/<name>, created with its files. */
static struct kobject *guest_dir_create(const struct kobj_type *ktype,
					const char *name)
{
	struct guest_dir *dir;

	dir = kzalloc(sizeof(*dir), GFP_KERNEL);
	if (!dir)
		return NULL;
	if (kobject_init_and_add(&dir->kobj, ktype, root_kobj, "%s", name)) {
		kobject_put(&dir->kobj);	/* frees dir */
		return NULL;
	}
	return &dir->kobj;
}

static void guest_dir_destroy(struct kobject *kobj)
{
	if (!kobj)
		return;
	kobject_del(kobj);
	kobject_put(kobj);
}

static ssize_t peer_show(struct kobject *kobj, struct kobj_attribute *attr,
			 char *buf)
{
	struct peer_dir *dir = container_of(kobj, struct peer_dir, kobj);
	struct sym_peer p;

	mutex_lock(&peers_lock);
	p = dir->peer;
	mutex_unlock(&peers_lock);

	if (!strcmp(attr->attr.name, "uuid"))
		return sysfs_emit(buf, "%s\n", p.uuid);
	if (!strcmp(attr->attr.name, "name"))
		return sysfs_emit(buf, "%s\n", p.name);
	if (!strcmp(attr->attr.name, "mac"))
		return show_mac(buf, p.has_mac, p.mac);
	return sysfs_emit(buf, "%s\n", p.state == SYM_PEER_MIGRATING ?
			  "migrating" : "joined");
}

static struct kobj_attribute peer_uuid_attr = __ATTR(uuid, 0444, peer_show, NULL);
static struct kobj_attribute peer_name_attr = __ATTR(name, 0444, peer_show, NULL);
static struct kobj_attribute peer_mac_attr = __ATTR(mac, 0444, peer_show, NULL);
static struct kobj_attribute peer_state_attr = __ATTR(state, 0444, peer_show, NULL);

static struct attribute *peer_attrs[] = {
	&peer_uuid_attr.attr,
	&peer_name_attr.attr,
	&peer_mac_attr.attr,
	&peer_state_attr.attr,
	NULL,
};
ATTRIBUTE_GROUPS(peer);

static void peer_dir_release(struct kobject *kobj)
{
	kfree(container_of(kobj, struct peer_dir, kobj));
}

static const struct kobj_type peer_ktype = {
	.release = peer_dir_release,
	.sysfs_ops = &kobj_sysfs_ops,
	.default_groups = peer_groups,
};

static struct peer_dir *find_dir(u16 domid)
{
	struct peer_dir *dir;

	list_for_each_entry(dir, &peer_dirs, node)
		if (dir->peer.domid == domid)
			return dir;
	return NULL;
}

int symbiont_sysfs_peer_add(const struct sym_peer *peer)
{
	struct peer_dir *dir;
	int err;

	dir = kzalloc(sizeof(*dir), GFP_KERNEL);
	if (!dir)
		return -ENOMEM;
	dir->peer = *peer;
	dir->kobj.kset = peers_kset;
	err = kobject_init_and_add(&dir->kobj, &peer_ktype, NULL, "%u",
				   peer->domid);
	if (err) {
		kobject_put(&dir->kobj);
		return err;
	}
	mutex_lock(&peers_lock);
	list_add_tail(&dir->node, &peer_dirs);
	mutex_unlock(&peers_lock);
	kobject_uevent(&dir->kobj, KOBJ_ADD);
	return 0;
}

void symbiont_sysfs_peer_update(const struct sym_peer *peer)
{
	struct peer_dir *dir;

	mutex_lock(&peers_lock);
	dir = find_dir(peer->domid);
	if (dir)
		dir->peer = *peer;
	mutex_unlock(&peers_lock);
	if (!dir)
		return;
	sysfs_notify(&dir->kobj, NULL, "state");
	kobject_uevent(&dir->kobj, KOBJ_CHANGE);
}

static void peer_dir_remove(struct peer_dir *dir)
{
	kobject_uevent(&dir->kobj, KOBJ_REMOVE);
	kobject_del(&dir->kobj);
	kobject_put(&dir->kobj);
}

void symbiont_sysfs_peer_remove(u16 domid)
{
	struct peer_dir *dir;

	mutex_lock(&peers_lock);
	dir = find_dir(domid);
	if (dir)
		list_del(&dir->node);
	mutex_unlock(&peers_lock);
	if (dir)
		peer_dir_remove(dir);
}

static void symbiont_sysfs_peers_clear(void)
{
	struct peer_dir *dir, *tmp;
	LIST_HEAD(doomed);

	mutex_lock(&peers_lock);
	list_splice_init(&peer_dirs, &doomed);
	mutex_unlock(&peers_lock);
	list_for_each_entry_safe(dir, tmp, &doomed, node)
		peer_dir_remove(dir);
}

static char self_changed_env[] = "SYMBIONT_SELF=changed";
static char *self_env[] = { self_changed_env, NULL };

void symbiont_sysfs_self_changed(void)
{
	if (!self_kobj)
		return;
	sysfs_notify(self_kobj, NULL, "domid");
	sysfs_notify(self_kobj, NULL, "state");
	sym_events_uevent(self_env);
}

void symbiont_sysfs_generation_changed(void)
{
	char gen[40];
	char *env[] = { gen, NULL };

	snprintf(gen, sizeof(gen), "SYMBIONT_GENERATION=%llu",
		 symbiont_view_generation());
	sym_root_generation_changed(root_kobj);
	sym_events_uevent(env);
}

int symbiont_sysfs_init(void)
{
	int err;

	static struct sym_root_info info = {
		.role = "guest",
		.generation = symbiont_view_generation,
	};

	info.poll_mode = symbiont_poll_mode;
	info.poll_ms = symbiont_poll_ms;
	root_kobj = sym_root_create(&info);
	if (!root_kobj)
		return -ENOMEM;

	err = -ENOMEM;
	self_kobj = guest_dir_create(&self_ktype, "self");
	if (!self_kobj)
		goto put_root;
	stats_kobj = guest_dir_create(&stats_ktype, "stats");
	if (!stats_kobj)
		goto put_self;
	peers_kset = kset_create_and_add("peers", NULL, root_kobj);
	if (!peers_kset)
		goto put_stats;
	return 0;

put_stats:
	guest_dir_destroy(stats_kobj);
	stats_kobj = NULL;
put_self:
	guest_dir_destroy(self_kobj);
	self_kobj = NULL;
put_root:
	sym_root_destroy(root_kobj);
	root_kobj = NULL;
	return err;
}

void symbiont_sysfs_exit(void)
{
	symbiont_sysfs_peers_clear();
	kset_unregister(peers_kset);
	peers_kset = NULL;
	guest_dir_destroy(stats_kobj);
	stats_kobj = NULL;
	guest_dir_destroy(self_kobj);
	self_kobj = NULL;
	sym_root_destroy(root_kobj);
	root_kobj = NULL;
}
