// SPDX-License-Identifier: GPL-2.0
/*
 * /sys/kernel/symbiont for a guest: one value per file, documented in
 * Documentation/ABI/testing/sysfs-kernel-symbiont.
 *
 * Data flow: readers call the show() methods, which read the published
 * state locklessly; writers (the workqueue) call *_changed(), which
 * sysfs_notify()s the file so poll() wakes, and emits a KOBJ_CHANGE uevent.
 *
 * Lifetime: the kobjects live from symbiont_sysfs_init() to
 * symbiont_sysfs_exit(); the workqueue is drained before exit.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kobject.h>
#include <linux/sysfs.h>
#include "guest.h"

static struct kobject *root_kobj;
static struct kobject *self_kobj;

static ssize_t role_show(struct kobject *kobj, struct kobj_attribute *attr,
			 char *buf)
{
	return sysfs_emit(buf, "guest\n");
}
static struct kobj_attribute role_attr = __ATTR_RO(role);

static ssize_t domid_show(struct kobject *kobj, struct kobj_attribute *attr,
			  char *buf)
{
	return sysfs_emit(buf, "%u\n", symbiont_self_domid());
}
static struct kobj_attribute domid_attr = __ATTR_RO(domid);

static struct attribute *self_attrs[] = {
	&domid_attr.attr,
	NULL,
};

static const struct attribute_group self_group = {
	.attrs = self_attrs,
};

void symbiont_sysfs_self_changed(void)
{
	if (!self_kobj)
		return;
	sysfs_notify(self_kobj, NULL, "domid");
	kobject_uevent(self_kobj, KOBJ_CHANGE);
}

int symbiont_sysfs_init(void)
{
	int err;

	root_kobj = kobject_create_and_add("symbiont", kernel_kobj);
	if (!root_kobj)
		return -ENOMEM;

	err = sysfs_create_file(root_kobj, &role_attr.attr);
	if (err)
		goto put_root;

	self_kobj = kobject_create_and_add("self", root_kobj);
	if (!self_kobj) {
		err = -ENOMEM;
		goto put_root;
	}
	err = sysfs_create_group(self_kobj, &self_group);
	if (err)
		goto put_self;
	return 0;

put_self:
	kobject_put(self_kobj);
	self_kobj = NULL;
put_root:
	kobject_put(root_kobj);
	root_kobj = NULL;
	return err;
}

void symbiont_sysfs_exit(void)
{
	kobject_put(self_kobj);
	self_kobj = NULL;
	kobject_put(root_kobj);
	root_kobj = NULL;
}
