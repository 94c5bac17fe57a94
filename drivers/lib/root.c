// SPDX-License-Identifier: GPL-2.0
/*
 * /sys/kernel/symbiont's own files, one value each (see root_sysfs.h and
 * Documentation/ABI/testing/sysfs-kernel-symbiont-{guest,dom0}). The
 * module describes itself once in a symbiont_root_info; show() reads it.
 */
#include <linux/kernel.h>
#include <linux/string.h>
#include <linux/sysfs.h>
#include "sym_compat.h"
#include "root.h"

static const struct sym_root_info *root_info;

int sym_mode_parse(const char *mode, unsigned int poll_ms, bool *poll_mode)
{
	if (!strcmp(mode, "poll")) {
		*poll_mode = true;
	} else if (!strcmp(mode, "event")) {
		*poll_mode = false;
	} else {
		pr_err("mode must be \"event\" or \"poll\", not \"%s\"\n", mode);
		return -EINVAL;
	}
	if (poll_ms < SYM_POLL_MS_MIN) {
		pr_err("poll_ms must be at least %u\n", SYM_POLL_MS_MIN);
		return -EINVAL;
	}
	return 0;
}
SYM_EXPORT(sym_mode_parse);

static ssize_t role_show(struct kobject *kobj, struct kobj_attribute *attr,
			 char *buf)
{
	return sysfs_emit(buf, "%s\n", root_info->role);
}

static ssize_t generation_show(struct kobject *kobj,
			       struct kobj_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%llu\n", root_info->generation());
}

static ssize_t mode_show(struct kobject *kobj, struct kobj_attribute *attr,
			 char *buf)
{
	return sysfs_emit(buf, "%s\n", root_info->poll_mode ? "poll" : "event");
}

static ssize_t poll_ms_show(struct kobject *kobj, struct kobj_attribute *attr,
			    char *buf)
{
	return sysfs_emit(buf, "%u\n", root_info->poll_ms);
}

static struct kobj_attribute role_attr = __ATTR_RO(role);
static struct kobj_attribute generation_attr = __ATTR_RO(generation);
static struct kobj_attribute mode_attr = __ATTR_RO(mode);
static struct kobj_attribute poll_ms_attr = __ATTR_RO(poll_ms);

static struct attribute *root_attrs[] = {
	&role_attr.attr,
	&generation_attr.attr,
	&mode_attr.attr,
	&poll_ms_attr.attr,
	NULL,
};

static const struct attribute_group root_group = {
	.attrs = root_attrs,
};

struct kobject *sym_root_create(const struct sym_root_info *info)
{
	struct kobject *root;

	root_info = info;
	root = kobject_create_and_add("symbiont", kernel_kobj);
	if (!root)
		return NULL;
	if (sysfs_create_group(root, &root_group)) {
		kobject_put(root);
		return NULL;
	}
	return root;
}
SYM_EXPORT(sym_root_create);

void sym_root_destroy(struct kobject *root)
{
	kobject_put(root);
}
SYM_EXPORT(sym_root_destroy);

void sym_root_generation_changed(struct kobject *root)
{
	sysfs_notify(root, NULL, "generation");
}
SYM_EXPORT(sym_root_generation_changed);
