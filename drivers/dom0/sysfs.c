// SPDX-License-Identifier: GPL-2.0
/*
 * sysfs.c - /sys/kernel/symbiont for dom0, one value per file, documented
 * in Documentation/ABI/testing/sysfs-kernel-symbiont-dom0:
 *
 *   role generation mode poll_ms
 *   stats/{xs_requests,work_runs,watch_fired,watch_dropped,throttled,retries}
 *   members/<domid>/{uuid,name,mac,group,state}
 *
 * Data flow: the workqueue calls dom0_generation_bump() and the
 * dom0_member_*() hooks; readers call show(). A member directory holds a
 * copy of the member's facts in its own refcounted object, so a reader
 * never touches a domain record and removal never waits on a lock.
 *
 * uevents: members/ is a kset, so a member directory's add and remove
 * reach udev. /sys/kernel/symbiont itself belongs to no kset and
 * kobject_uevent() would drop its events, so the generation change is
 * announced on the event device (SYMBIONT_GENERATION=<n>) instead.
 *
 * Locking: members_lock (spinlock) guards the mutable fields (group,
 * state) of every member object; it is a leaf, never held around
 * kobject calls.
 *
 * Directories appear whole: stats/, each members/<domid>/ and the root
 * (lib/root.c) get their files from their kobj_type's default_groups,
 * which kobject_init_and_add() creates with the directory; a member's
 * KOBJ_ADD uevent goes out only after that, so a reader woken by it
 * finds every file.
 *
 * Lifetime: the root, stats and members objects live from
 * dom0_sysfs_init() to dom0_sysfs_exit(); a member object from
 * dom0_member_add() to the last put after dom0_member_remove(). Each
 * kobject is embedded in a container its release frees. Removal is
 * kobject_del() then kobject_put(): kernfs waits for running show()
 * calls and fails new ones (even on files still open), so release never
 * frees under a reader.
 */
#include <linux/atomic.h>
#include <linux/kobject.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/string.h>
#include <linux/sysfs.h>
#include "dom0.h"
#include "root.h"
#include "events.h"

struct dom0_member_kobj {
	struct kobject kobj;
	char uuid[SYM_UUID_STR_LEN + 1];
	char name[SYM_NAME_MAX + 1];
	char mac[SYM_MAC_STR_LEN + 1];
	char group[SYM_NAME_MAX + 1];		/* members_lock */
	enum sym_member_state state;		/* members_lock */
};

/* stats/: no state of its own, show() reads the module's counters. */
struct dom0_stats_kobj {
	struct kobject kobj;
};

static struct kobject *root_kobj;
static struct kobject *stats_kobj;
static struct kset *members_kset;
static DEFINE_SPINLOCK(members_lock);
static atomic64_t dom0_generation = ATOMIC64_INIT(0);

static u64 dom0_generation_read(void)
{
	return atomic64_read(&dom0_generation);
}

static ssize_t xs_requests_show(struct kobject *kobj,
				struct kobj_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%llu\n", sym_xs_requests(&dom0_xs));
}

static ssize_t work_runs_show(struct kobject *kobj,
			      struct kobj_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%llu\n", dom0_work_runs());
}

static ssize_t watch_fired_show(struct kobject *kobj,
				struct kobj_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%lld\n", atomic64_read(&dom0_xs.watch_fired));
}

static ssize_t watch_dropped_show(struct kobject *kobj,
				  struct kobj_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%lld\n", atomic64_read(&dom0_xs.watch_dropped));
}

static ssize_t throttled_show(struct kobject *kobj,
			      struct kobj_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%llu\n", dom0_throttled_runs());
}

static ssize_t retries_show(struct kobject *kobj,
			    struct kobj_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%llu\n", dom0_retries());
}

static struct kobj_attribute xs_requests_attr = __ATTR_RO(xs_requests);
static struct kobj_attribute throttled_attr = __ATTR_RO(throttled);
static struct kobj_attribute retries_attr = __ATTR_RO(retries);
static struct kobj_attribute work_runs_attr = __ATTR_RO(work_runs);
static struct kobj_attribute watch_fired_attr = __ATTR_RO(watch_fired);
static struct kobj_attribute watch_dropped_attr = __ATTR_RO(watch_dropped);

static struct attribute *stats_attrs[] = {
	&xs_requests_attr.attr,
	&work_runs_attr.attr,
	&watch_fired_attr.attr,
	&watch_dropped_attr.attr,
	&throttled_attr.attr,
	&retries_attr.attr,
	NULL,
};

ATTRIBUTE_GROUPS(stats);

static void dom0_stats_release(struct kobject *kobj)
{
	kfree(container_of(kobj, struct dom0_stats_kobj, kobj));
}

static const struct kobj_type stats_ktype = {
	.release = dom0_stats_release,
	.sysfs_ops = &kobj_sysfs_ops,
	.default_groups = stats_groups,
};

static struct kobject *dom0_stats_create(void)
{
	struct dom0_stats_kobj *sk;

	sk = kzalloc(sizeof(*sk), GFP_KERNEL);
	if (!sk)
		return NULL;
	if (kobject_init_and_add(&sk->kobj, &stats_ktype, root_kobj, "stats")) {
		kobject_put(&sk->kobj);		/* frees sk */
		return NULL;
	}
	return &sk->kobj;
}

static void dom0_stats_destroy(struct kobject *kobj)
{
	if (!kobj)
		return;
	kobject_del(kobj);
	kobject_put(kobj);
}

static struct dom0_member_kobj *to_member(struct kobject *kobj)
{
	return container_of(kobj, struct dom0_member_kobj, kobj);
}

static ssize_t uuid_show(struct kobject *kobj, struct kobj_attribute *attr,
			 char *buf)
{
	return sysfs_emit(buf, "%s\n", to_member(kobj)->uuid);
}

static ssize_t name_show(struct kobject *kobj, struct kobj_attribute *attr,
			 char *buf)
{
	return sysfs_emit(buf, "%s\n", to_member(kobj)->name);
}

static ssize_t mac_show(struct kobject *kobj, struct kobj_attribute *attr,
			char *buf)
{
	return sysfs_emit(buf, "%s\n", to_member(kobj)->mac);
}

static ssize_t group_show(struct kobject *kobj, struct kobj_attribute *attr,
			  char *buf)
{
	struct dom0_member_kobj *mk = to_member(kobj);
	char group[SYM_NAME_MAX + 1];

	spin_lock(&members_lock);
	strscpy(group, mk->group, sizeof(group));
	spin_unlock(&members_lock);
	return sysfs_emit(buf, "%s\n", group);
}

static ssize_t state_show(struct kobject *kobj, struct kobj_attribute *attr,
			  char *buf)
{
	struct dom0_member_kobj *mk = to_member(kobj);
	enum sym_member_state state;

	spin_lock(&members_lock);
	state = mk->state;
	spin_unlock(&members_lock);
	return sysfs_emit(buf, "%s\n", sym_member_state_name(state));
}

static struct kobj_attribute uuid_attr = __ATTR_RO(uuid);
static struct kobj_attribute name_attr = __ATTR_RO(name);
static struct kobj_attribute mac_attr = __ATTR_RO(mac);
static struct kobj_attribute group_attr = __ATTR_RO(group);
static struct kobj_attribute state_attr = __ATTR_RO(state);

static struct attribute *member_attrs[] = {
	&uuid_attr.attr,
	&name_attr.attr,
	&mac_attr.attr,
	&group_attr.attr,
	&state_attr.attr,
	NULL,
};
ATTRIBUTE_GROUPS(member);

static void dom0_member_release(struct kobject *kobj)
{
	kfree(to_member(kobj));
}

static const struct kobj_type member_ktype = {
	.release = dom0_member_release,
	.sysfs_ops = &kobj_sysfs_ops,
	.default_groups = member_groups,
};

void dom0_generation_bump(void)
{
	char env[48];
	char *envp[] = { env, NULL };
	u64 gen = atomic64_inc_return(&dom0_generation);

	sym_root_generation_changed(root_kobj);
	snprintf(env, sizeof(env), "SYMBIONT_GENERATION=%llu", gen);
	sym_events_uevent(envp);
}

int dom0_member_add(struct symbiont_domain *d)
{
	struct dom0_member_kobj *mk;
	int err;

	mk = kzalloc(sizeof(*mk), GFP_KERNEL);
	if (!mk)
		return -ENOMEM;
	strscpy(mk->uuid, d->uuid, sizeof(mk->uuid));
	strscpy(mk->name, d->name, sizeof(mk->name));
	if (d->has_mac)
		sym_format_mac(d->mac, mk->mac);
	strscpy(mk->group, d->group_name, sizeof(mk->group));
	mk->state = d->state;

	mk->kobj.kset = members_kset;
	err = kobject_init_and_add(&mk->kobj, &member_ktype, NULL, "%u",
				   d->domid);
	if (err) {
		pr_warn_ratelimited("domain %u: no sysfs entry (%d)\n",
				    d->domid, err);
		kobject_put(&mk->kobj);
		return err;
	}
	kobject_uevent(&mk->kobj, KOBJ_ADD);
	d->kobj = mk;
	return 0;
}

void dom0_member_update(struct symbiont_domain *d)
{
	struct dom0_member_kobj *mk = d->kobj;

	if (!mk)
		return;
	spin_lock(&members_lock);
	strscpy(mk->group, d->group_name, sizeof(mk->group));
	mk->state = d->state;
	spin_unlock(&members_lock);
	sysfs_notify(&mk->kobj, NULL, "state");
	sysfs_notify(&mk->kobj, NULL, "group");
	kobject_uevent(&mk->kobj, KOBJ_CHANGE);
}

void dom0_member_remove(struct symbiont_domain *d)
{
	if (!d->kobj)
		return;
	/* Unlink now: a quick rejoin must not collide with a delayed release. */
	kobject_del(&d->kobj->kobj);
	kobject_put(&d->kobj->kobj);
	d->kobj = NULL;
}

int dom0_sysfs_init(void)
{
	int err;

	static struct sym_root_info info = {
		.role = "dom0",
		.generation = dom0_generation_read,
	};

	info.poll_mode = dom0_poll_mode;
	info.poll_ms = dom0_poll_ms;
	root_kobj = sym_root_create(&info);
	if (!root_kobj)
		return -ENOMEM;

	stats_kobj = dom0_stats_create();
	if (!stats_kobj) {
		err = -ENOMEM;
		goto put_root;
	}

	members_kset = kset_create_and_add("members", NULL, root_kobj);
	if (!members_kset) {
		err = -ENOMEM;
		goto put_stats;
	}
	return 0;

put_stats:
	dom0_stats_destroy(stats_kobj);
	stats_kobj = NULL;
put_root:
	sym_root_destroy(root_kobj);
	root_kobj = NULL;
	return err;
}

void dom0_sysfs_exit(void)
{
	kset_unregister(members_kset);
	members_kset = NULL;
	dom0_stats_destroy(stats_kobj);
	stats_kobj = NULL;
	sym_root_destroy(root_kobj);
	root_kobj = NULL;
}
