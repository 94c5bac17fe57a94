// SPDX-License-Identifier: GPL-2.0
/*
 * sysfs.c - /sys/kernel/symbiont/channels/<peer-domid>/{tx_packets,
 * tx_bytes,rx_packets,rx_bytes,fallbacks,errors,stalls,reclaimed,rx_spoofed,
 * rx_filtered,peer_ipv4,state} and
 * /sys/kernel/symbiont/fastpath/{grants,grants_retained}
 * (Documentation/ABI/testing/sysfs-kernel-symbiont-fastpath).
 *
 * /sys/kernel/symbiont belongs to symbiont_guest.ko
 * (symbiont_sysfs_root()); it cannot unload while we use its symbols, so
 * the directory outlives ours. We hold a reference anyway.
 *
 * Data flow: show() reads the counters with READ_ONCE/atomic64_read; no
 * lock. channels/ is a kset, so add and remove of a channel reach udev.
 *
 * A channel directory appears whole: its files are the kobj_type's
 * default_groups, created by kobject_init_and_add() with the directory,
 * and its KOBJ_ADD uevent goes out only after that. channels/ itself has
 * no files.
 *
 * Lifetime: the channel object is embedded in its kobject. The table's
 * reference is dropped by fp_sysfs_del(); kobject_del() first removes the
 * files, and kernfs waits for running show() calls and fails new ones
 * (even on files still open), so no show() runs after it. The release
 * frees after an RCU grace period because the egress hook may still hold
 * the pointer.
 */
#include <linux/slab.h>
#include <linux/sysfs.h>
#include "fastpath.h"

static struct kobject *symbiont_root;
static struct kset *channels_kset;

#define to_channel(k) container_of(k, struct fp_channel, kobj)

#define FP_U64_ATTR(name)						\
static ssize_t name##_show(struct kobject *kobj,			\
			   struct kobj_attribute *attr, char *buf)	\
{									\
	return sysfs_emit(buf, "%llu\n",				\
			  READ_ONCE(to_channel(kobj)->stats.name));	\
}									\
static struct kobj_attribute name##_attr = __ATTR_RO(name)

#define FP_ATOMIC_ATTR(name)						\
static ssize_t name##_show(struct kobject *kobj,			\
			   struct kobj_attribute *attr, char *buf)	\
{									\
	return sysfs_emit(buf, "%lld\n",				\
			  atomic64_read(&to_channel(kobj)->stats.name));\
}									\
static struct kobj_attribute name##_attr = __ATTR_RO(name)

FP_U64_ATTR(tx_packets);
FP_U64_ATTR(tx_bytes);
FP_U64_ATTR(rx_packets);
FP_U64_ATTR(rx_bytes);
FP_ATOMIC_ATTR(fallbacks);
FP_ATOMIC_ATTR(errors);
FP_ATOMIC_ATTR(reclaimed);
FP_ATOMIC_ATTR(stalls);
FP_ATOMIC_ATTR(rx_spoofed);
FP_ATOMIC_ATTR(rx_filtered);

static ssize_t state_show(struct kobject *kobj, struct kobj_attribute *attr,
			  char *buf)
{
	return sysfs_emit(buf, "%s\n",
			  fp_state_str(READ_ONCE(to_channel(kobj)->state)));
}
static struct kobj_attribute state_attr = __ATTR_RO(state);

/* The IPv4 prefixes frames from the peer may come from; empty: any. */
static ssize_t peer_ipv4_show(struct kobject *kobj,
			      struct kobj_attribute *attr, char *buf)
{
	const struct fp_peer_ipv4 *ipv4;
	char list[SYM_FP_ADDRS_STR_MAX + 1] = "";

	rcu_read_lock();
	ipv4 = rcu_dereference(to_channel(kobj)->peer_ipv4);
	if (ipv4 && sym_fp_addrs_format(&ipv4->addrs, list, sizeof(list)) < 0)
		list[0] = '\0';
	rcu_read_unlock();
	return sysfs_emit(buf, "%s\n", list);
}
static struct kobj_attribute peer_ipv4_attr = __ATTR_RO(peer_ipv4);

static struct attribute *fp_channel_attrs[] = {
	&tx_packets_attr.attr,
	&tx_bytes_attr.attr,
	&rx_packets_attr.attr,
	&rx_bytes_attr.attr,
	&fallbacks_attr.attr,
	&errors_attr.attr,
	&stalls_attr.attr,
	&reclaimed_attr.attr,
	&rx_spoofed_attr.attr,
	&rx_filtered_attr.attr,
	&peer_ipv4_attr.attr,
	&state_attr.attr,
	NULL,
};
ATTRIBUTE_GROUPS(fp_channel);

static void fp_channel_release(struct kobject *kobj)
{
	struct fp_channel *ch = to_channel(kobj);

	/* NAPI, its only reader, is gone; nobody else reads it. */
	kfree(rcu_access_pointer(ch->peer_ipv4));
	kfree_rcu(ch, rcu);
}

static const struct kobj_type fp_channel_ktype = {
	.release = fp_channel_release,
	.sysfs_ops = &kobj_sysfs_ops,
	.default_groups = fp_channel_groups,
};

static ssize_t grants_show(struct kobject *kobj, struct kobj_attribute *attr,
			   char *buf)
{
	return sysfs_emit(buf, "%u\n", fp_grants_in_use());
}
static struct kobj_attribute grants_attr = __ATTR_RO(grants);

static ssize_t grants_retained_show(struct kobject *kobj,
				    struct kobj_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%u\n", fp_grants_retained_count());
}
static struct kobj_attribute grants_retained_attr = __ATTR_RO(grants_retained);

static struct attribute *fp_global_attrs[] = {
	&grants_attr.attr,
	&grants_retained_attr.attr,
	NULL,
};

static const struct attribute_group fp_global_group = {
	.name = "fastpath",
	.attrs = fp_global_attrs,
};

/* On failure the kobject is put, which frees ch. */
int fp_sysfs_add(struct fp_channel *ch)
{
	int err;

	ch->kobj.kset = channels_kset;
	err = kobject_init_and_add(&ch->kobj, &fp_channel_ktype, NULL, "%u",
				   ch->peer);
	if (err) {
		kobject_put(&ch->kobj);
		return err;
	}
	kobject_uevent(&ch->kobj, KOBJ_ADD);
	return 0;
}

void fp_sysfs_del(struct fp_channel *ch)
{
	kobject_del(&ch->kobj);
	kobject_put(&ch->kobj);
}

int fp_sysfs_init(void)
{
	int err;

	symbiont_root = kobject_get(symbiont_sysfs_root());
	if (!symbiont_root)
		return -ENOENT;

	err = sysfs_create_group(symbiont_root, &fp_global_group);
	if (err)
		goto put_root;
	channels_kset = kset_create_and_add("channels", NULL, symbiont_root);
	if (!channels_kset) {
		err = -ENOMEM;
		goto remove_group;
	}
	return 0;

remove_group:
	sysfs_remove_group(symbiont_root, &fp_global_group);
put_root:
	kobject_put(symbiont_root);
	return err;
}

void fp_sysfs_exit(void)
{
	kset_unregister(channels_kset);
	sysfs_remove_group(symbiont_root, &fp_global_group);
	kobject_put(symbiont_root);
}
