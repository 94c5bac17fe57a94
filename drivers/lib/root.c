// SPDX-License-Identifier: GPL-2.0
/*
 * /sys/kernel/symbiont's own files, one value each (see root.h and
 * Documentation/ABI/testing/sysfs-kernel-symbiont-{guest,dom0}). The
 * module describes itself once in a sym_root_info; show() reads it.
 *
 * The directory appears whole: its files are the kobj_type's default
 * groups, created by kobject_init_and_add() together with the directory,
 * never added to a directory already visible.
 *
 * Lifetime: the kobject is embedded in a sym_root that also holds the
 * info; release frees the sym_root. sym_root_destroy() unlinks the
 * directory at once (kernfs waits for running show() calls and refuses
 * new ones), so no show() reaches the module's info or generation
 * callback after it returns, even while another module (symbiont_fastpath)
 * still holds a reference to the kobject.
 */
#include <linux/kernel.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/sysfs.h>
#include "sym_compat.h"
#include "root.h"

struct sym_root {
	struct kobject kobj;
	const struct sym_root_info *info;
};

static const struct sym_root_info *to_info(struct kobject *kobj)
{
	return container_of(kobj, struct sym_root, kobj)->info;
}

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
	return sysfs_emit(buf, "%s\n", to_info(kobj)->role);
}

static ssize_t generation_show(struct kobject *kobj,
			       struct kobj_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%llu\n", to_info(kobj)->generation());
}

static ssize_t mode_show(struct kobject *kobj, struct kobj_attribute *attr,
			 char *buf)
{
	return sysfs_emit(buf, "%s\n", to_info(kobj)->poll_mode ? "poll" : "event");
}

static ssize_t poll_ms_show(struct kobject *kobj, struct kobj_attribute *attr,
			    char *buf)
{
	return sysfs_emit(buf, "%u\n", to_info(kobj)->poll_ms);
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

ATTRIBUTE_GROUPS(root);

static void root_release(struct kobject *kobj)
{
	kfree(container_of(kobj, struct sym_root, kobj));
}

static const struct kobj_type root_ktype = {
	.release = root_release,
	.sysfs_ops = &kobj_sysfs_ops,
	.default_groups = root_groups,
};

struct kobject *sym_root_create(const struct sym_root_info *info)
{
	struct sym_root *root;

	root = kzalloc(sizeof(*root), GFP_KERNEL);
	if (!root)
		return NULL;
	root->info = info;
	if (kobject_init_and_add(&root->kobj, &root_ktype, kernel_kobj,
				 "symbiont")) {
		kobject_put(&root->kobj);	/* frees root */
		return NULL;
	}
	return &root->kobj;
}
SYM_EXPORT(sym_root_create);

void sym_root_destroy(struct kobject *root)
{
	if (!root)
		return;
	kobject_del(root);
	kobject_put(root);
}
SYM_EXPORT(sym_root_destroy);

void sym_root_generation_changed(struct kobject *root)
{
	sysfs_notify(root, NULL, "generation");
}
SYM_EXPORT(sym_root_generation_changed);
