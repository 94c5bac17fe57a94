// SPDX-License-Identifier: GPL-2.0
/*
 * trusted.c - facts about a domain that the toolstack wrote and the domain
 * cannot forge: its VM uuid (/local/domain/<d>/vm = "/vm/<uuid>"), its name
 * (/local/domain/<d>/name), the MAC of its first vif
 * (/local/domain/0/backend/vif/<d>/0/mac), and the group the dom0 admin put
 * its VM name in (/local/domain/0/symbiont/groups/<name>). With them, the
 * policy dom0 gives the fast path: the IPv4 prefixes the toolstack allowed
 * the first vif (/local/domain/0/backend/vif/<d>/0/ip, the vif spec's
 * ip=, as the vif hotplug script's anti-spoofing rules use them), and
 * whether the admin switched the fast path off for its VM or its group:
 *
 *   /local/domain/0/symbiont/fastpath/vm/<vm-name>  "on" or "off"
 *   /local/domain/0/symbiont/fastpath/group/<group> "on" or "off"
 *
 * Absent is on; any other value is off (fail closed), as is an ip node
 * that does not parse.
 *
 * Data flow: domains.c calls dom0_trusted_identity() on every reconcile of
 * a member (to see whether another domain took its domid, and whether its
 * ip node changed: dom0_trusted_ipv4_update()) and when a domain asks to
 * join, then dom0_trusted_set() to admit it; groups.c calls
 * dom0_trusted_group() and dom0_trusted_policy_off() when the groups or
 * the fastpath node changes.
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
#include <linux/slab.h>
#include <linux/string.h>
#include "dom0.h"

/* Room for any well-formed fact; a longer value is malformed. */
#define DOM0_FACT_MAX	128

/* Reads one fact into buf: its length, -EINVAL if too long, or -errno. */
static int dom0_read_fact(const char *path, char buf[DOM0_FACT_MAX])
{
	int len = sym_xs_read(&dom0_xs, XBT_NIL, path, "", buf,
			      DOM0_FACT_MAX);

	return len == -E2BIG ? -EINVAL : len;
}

static int dom0_read_vm_uuid(u16 domid, char uuid[SYM_UUID_STR_LEN + 1])
{
	char path[DOM0_PATH_MAX], val[DOM0_FACT_MAX];
	int len;

	snprintf(path, sizeof(path), "/local/domain/%u/vm", domid);
	len = dom0_read_fact(path, val);
	return len < 0 ? len : sym_parse_vm_path(val, len, uuid);
}

static int dom0_read_name(u16 domid, char name[SYM_NAME_MAX + 1])
{
	char path[DOM0_PATH_MAX], val[DOM0_FACT_MAX];
	int len;

	snprintf(path, sizeof(path), "/local/domain/%u/name", domid);
	len = dom0_read_fact(path, val);
	return len < 0 ? len : sym_parse_name(val, len, name, SYM_NAME_MAX + 1);
}

static int dom0_read_mac(u16 domid, u8 mac[SYM_MAC_LEN])
{
	char path[DOM0_PATH_MAX], val[DOM0_FACT_MAX];
	int len;

	snprintf(path, sizeof(path), "/local/domain/0/backend/vif/%u/0/mac",
		 domid);
	len = dom0_read_fact(path, val);
	return len < 0 ? len : sym_parse_mac(val, len, mac);
}

/* The backend's ip node into id->ipv4 (absent: unrestricted). */
static int dom0_read_ipv4(u16 domid, struct sym_identity *id)
{
	char path[DOM0_PATH_MAX], val[DOM0_FACT_MAX + SYM_FP_ADDRS_STR_MAX];
	int len;

	id->ipv4.nr = 0;
	id->ipv4_bad = false;
	snprintf(path, sizeof(path), "/local/domain/0/backend/vif/%u/0/ip",
		 domid);
	len = sym_xs_read(&dom0_xs, XBT_NIL, path, "", val, sizeof(val));
	if (len == -ENOENT)
		return 0;
	if (len == -E2BIG || (len >= 0 && sym_fp_addrs_parse(val, len, &id->ipv4))) {
		id->ipv4.nr = 0;
		id->ipv4_bad = true;
		pr_warn_ratelimited("domain %u: cannot parse %s; no fast path for it\n",
				    domid, path);
		return 0;
	}
	return len < 0 ? len : 0;
}

/* One admin node of the fastpath switch: true if it says off. */
static bool dom0_policy_node_off(const char *kind, const char *name)
{
	char path[DOM0_PATH_MAX], val[DOM0_FACT_MAX];
	int len;

	if (!name[0] || strchr(name, '.'))
		return false;
	snprintf(path, sizeof(path), "/local/domain/0/symbiont/fastpath/%s/%s",
		 kind, name);
	len = dom0_read_fact(path, val);
	if (len == -ENOENT || (len == 2 && !memcmp(val, "on", 2)))
		return false;
	if (len != 3 || memcmp(val, "off", 3))
		pr_warn_ratelimited("%s: neither on nor off; fast path off\n",
				    path);
	return true;
}

bool dom0_trusted_policy_off(const char *vm_name, const char *group)
{
	return dom0_policy_node_off("vm", vm_name) ||
	       dom0_policy_node_off("group", group);
}

/*
 * A member's ip node was read anew: true if that changed its policy. The
 * admin's switch is not read again here (the fastpath watch does that).
 */
bool dom0_trusted_ipv4_update(struct symbiont_domain *d,
			      const struct sym_identity *id)
{
	bool off = id->ipv4_bad || d->switched_off;

	if (off == d->fastpath_off && id->ipv4_bad == d->ipv4_bad &&
	    id->ipv4.nr == d->ipv4.nr &&
	    !memcmp(id->ipv4.prefix, d->ipv4.prefix,
		    id->ipv4.nr * sizeof(id->ipv4.prefix[0])))
		return false;
	d->ipv4 = id->ipv4;
	d->ipv4_bad = id->ipv4_bad;
	d->fastpath_off = off;
	return true;
}

void dom0_trusted_group(const char *vm_name, char group[SYM_NAME_MAX + 1])
{
	char path[DOM0_PATH_MAX], val[DOM0_FACT_MAX];
	int len;

	strscpy(group, DOM0_DEFAULT_GROUP, SYM_NAME_MAX + 1);
	if (!vm_name[0] || strchr(vm_name, '.'))
		return;
	snprintf(path, sizeof(path), "/local/domain/0/symbiont/groups/%s",
		 vm_name);
	len = dom0_read_fact(path, val);
	if (len == -ENOENT)
		return;
	if (len < 0 || sym_parse_name(val, len, group, SYM_NAME_MAX + 1)) {
		strscpy(group, DOM0_DEFAULT_GROUP, SYM_NAME_MAX + 1);
		pr_warn_ratelimited("malformed group for VM %s in %s; using %s\n",
				    vm_name, path, DOM0_DEFAULT_GROUP);
	}
}

/*
 * Reads domid's identity: 4 XenStore reads (vm, name, the vif backend's
 * mac and ip). Missing or malformed facts become unknown; only a XenStore failure
 * other than "missing" is returned, so the caller can retry later instead
 * of acting on a half-read identity.
 */
int dom0_trusted_identity(u16 domid, struct sym_identity *id)
{
	int err;

	err = dom0_read_vm_uuid(domid, id->uuid);
	if (err) {
		id->uuid[0] = '\0';
		if (err != -ENOENT && err != -EINVAL && err != -ERANGE)
			return err;
		pr_warn_ratelimited("domain %u: no valid uuid in /local/domain/%u/vm (%d)\n",
				    domid, domid, err);
	}

	err = dom0_read_name(domid, id->name);
	if (err) {
		id->name[0] = '\0';
		if (err != -ENOENT && err != -EINVAL)
			return err;
		pr_warn_ratelimited("domain %u: no valid name in /local/domain/%u/name (%d)\n",
				    domid, domid, err);
	}

	err = dom0_read_mac(domid, id->mac);
	id->has_mac = !err;
	if (err && err != -ENOENT) {
		if (err != -EINVAL)
			return err;
		pr_warn_ratelimited("domain %u: malformed MAC in /local/domain/0/backend/vif/%u/0/mac\n",
				    domid, domid);
	}
	return dom0_read_ipv4(domid, id);
}

/* d's identity as last published. */
void dom0_trusted_get(const struct symbiont_domain *d, struct sym_identity *id)
{
	memset(id, 0, sizeof(*id));
	strscpy(id->uuid, d->uuid, sizeof(id->uuid));
	strscpy(id->name, d->name, sizeof(id->name));
	id->has_mac = d->has_mac;
	memcpy(id->mac, d->mac, SYM_MAC_LEN);
	id->ipv4 = d->ipv4;
}

/*
 * Gives d the identity id, the group its name is in and its fast-path
 * policy (three more reads).
 */
void dom0_trusted_set(struct symbiont_domain *d, const struct sym_identity *id)
{
	strscpy(d->uuid, id->uuid, sizeof(d->uuid));
	strscpy(d->name, id->name, sizeof(d->name));
	d->has_mac = id->has_mac;
	memcpy(d->mac, id->mac, SYM_MAC_LEN);
	dom0_trusted_group(d->name, d->group_name);
	d->ipv4 = id->ipv4;
	d->ipv4_bad = id->ipv4_bad;
	d->switched_off = dom0_trusted_policy_off(d->name, d->group_name);
	d->fastpath_off = id->ipv4_bad || d->switched_off;
}
