// SPDX-License-Identifier: GPL-2.0
/*
 * symbiont dom0 module: host-side membership of co-resident VMs.
 *
 * Loads only in the initial domain; it exposes /sys/kernel/symbiont/role.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kobject.h>
#include <linux/module.h>
#include <linux/sysfs.h>
#include <xen/xen.h>

static struct kobject *root_kobj;

static ssize_t role_show(struct kobject *kobj, struct kobj_attribute *attr,
			 char *buf)
{
	return sysfs_emit(buf, "dom0\n");
}
static struct kobj_attribute role_attr = __ATTR_RO(role);

static int __init symbiont_dom0_init(void)
{
	int err;

	if (!xen_initial_domain()) {
		pr_err("not running in Xen dom0; refusing to load\n");
		return -ENODEV;
	}

	root_kobj = kobject_create_and_add("symbiont", kernel_kobj);
	if (!root_kobj)
		return -ENOMEM;
	err = sysfs_create_file(root_kobj, &role_attr.attr);
	if (err)
		goto put_root;
	pr_info("loaded\n");
	return 0;

put_root:
	kobject_put(root_kobj);
	return err;
}

static void __exit symbiont_dom0_exit(void)
{
	kobject_put(root_kobj);
}

module_init(symbiont_dom0_init);
module_exit(symbiont_dom0_exit);

MODULE_DESCRIPTION("symbiont: host-side membership of co-resident Xen VMs");
MODULE_LICENSE("GPL");
