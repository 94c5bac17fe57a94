// SPDX-License-Identifier: GPL-2.0
/*
 * trusted.c - facts about a domain that the toolstack wrote and the domain
 * cannot forge: its VM uuid (/local/domain/<d>/vm = "/vm/<uuid>"), its name
 * (/local/domain/<d>/name), the MAC of its first vif
 * (/local/domain/0/backend/vif/<d>/0/mac), and the group the dom0 admin put
 * its VM name in (/local/domain/0/symbiont/groups/<name>).
 *
 * Data flow: domains.c calls dom0_trusted_read() when a domain asks to
 * join; groups.c calls dom0_trusted_group() when the groups node changes.
 * Values are parsed strictly; anything missing or malformed degrades to
 * "unknown" (empty uuid/name, no MAC, group "default") and is logged at a
 * limited rate.
 *
 * Group names are looked up by VM name as a XenStore path component, and
 * XenStore path components cannot contain '.', so a VM whose name contains
 * a '.' cannot be given a group: it always stays in "default".
 *
 * Runs on dom0_wq only; no locking, no state.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/slab.h>
#include <linux/string.h>
#include "dom0.h"

static int dom0_read_vm_uuid(u16 domid, char uuid[SYM_UUID_STR_LEN + 1])
{
	char path[DOM0_PATH_MAX];
	unsigned int len;
	char *val;
	int err;

	snprintf(path, sizeof(path), "/local/domain/%u/vm", domid);
	val = dom0_xs_read(XBT_NIL, path, &len);
	if (IS_ERR(val))
		return PTR_ERR(val);
	err = sym_parse_vm_path(val, len, uuid);
	kfree(val);
	return err;
}

static int dom0_read_name(u16 domid, char name[SYM_NAME_MAX + 1])
{
	char path[DOM0_PATH_MAX];
	unsigned int len;
	char *val;
	int err;

	snprintf(path, sizeof(path), "/local/domain/%u/name", domid);
	val = dom0_xs_read(XBT_NIL, path, &len);
	if (IS_ERR(val))
		return PTR_ERR(val);
	err = sym_parse_name(val, len, name, SYM_NAME_MAX + 1);
	kfree(val);
	return err;
}

static int dom0_read_mac(u16 domid, u8 mac[SYM_MAC_LEN])
{
	char path[DOM0_PATH_MAX];
	unsigned int len;
	char *val;
	int err;

	snprintf(path, sizeof(path), "/local/domain/0/backend/vif/%u/0/mac",
		 domid);
	val = dom0_xs_read(XBT_NIL, path, &len);
	if (IS_ERR(val))
		return PTR_ERR(val);
	err = sym_parse_mac(val, len, mac);
	kfree(val);
	return err;
}

void dom0_trusted_group(const char *vm_name, char group[SYM_NAME_MAX + 1])
{
	char path[DOM0_PATH_MAX];
	unsigned int len;
	char *val;
	int err;

	strscpy(group, DOM0_DEFAULT_GROUP, SYM_NAME_MAX + 1);
	if (!vm_name[0] || strchr(vm_name, '.'))
		return;
	snprintf(path, sizeof(path), "/local/domain/0/symbiont/groups/%s",
		 vm_name);
	val = dom0_xs_read(XBT_NIL, path, &len);
	if (IS_ERR(val))
		return;
	err = sym_parse_name(val, len, group, SYM_NAME_MAX + 1);
	if (err) {
		strscpy(group, DOM0_DEFAULT_GROUP, SYM_NAME_MAX + 1);
		pr_warn_ratelimited("malformed group for VM %s in %s; using %s\n",
				    vm_name, path, DOM0_DEFAULT_GROUP);
	}
	kfree(val);
}

/*
 * Fills d's trusted facts. Missing or malformed facts become unknown;
 * only a XenStore failure other than "missing" is returned, so the caller
 * can retry later instead of publishing a half-read identity.
 */
int dom0_trusted_read(struct symbiont_domain *d)
{
	int err;

	err = dom0_read_vm_uuid(d->domid, d->uuid);
	if (err) {
		d->uuid[0] = '\0';
		if (err != -ENOENT && err != -EINVAL && err != -ERANGE)
			return err;
		pr_warn_ratelimited("domain %u: no valid uuid in /local/domain/%u/vm (%d)\n",
				    d->domid, d->domid, err);
	}

	err = dom0_read_name(d->domid, d->name);
	if (err) {
		d->name[0] = '\0';
		if (err != -ENOENT && err != -EINVAL)
			return err;
		pr_warn_ratelimited("domain %u: no valid name in /local/domain/%u/name (%d)\n",
				    d->domid, d->domid, err);
	}

	err = dom0_read_mac(d->domid, d->mac);
	d->has_mac = !err;
	if (err && err != -ENOENT) {
		if (err != -EINVAL)
			return err;
		pr_warn_ratelimited("domain %u: malformed MAC in /local/domain/0/backend/vif/%u/0/mac\n",
				    d->domid, d->domid);
	}

	dom0_trusted_group(d->name, d->group_name);
	return 0;
}
